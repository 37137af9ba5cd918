"""The web confirmation link's token: the order's own link, an expiry nobody can stretch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.links import new_link_token
from bot.domain.page_tokens import (
    MAX_TOKEN_LENGTH,
    PageTokenExpired,
    PageTokenInvalid,
    make_page_token,
    read_page_token,
)

SECRET = b"page-token-secret-of-this-deployment"
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=3)


def test_a_token_reads_back_until_it_expires():
    link = new_link_token()
    token = make_page_token(link, LATER, SECRET)
    assert len(token) <= MAX_TOKEN_LENGTH and token.startswith(link + ".")
    read = read_page_token(token, SECRET, NOW)
    assert (read.link_token, read.expires_at) == (link, LATER)
    with pytest.raises(PageTokenExpired):
        read_page_token(token, SECRET, LATER)


def test_a_stretched_expiry_another_order_or_another_secret_is_refused():
    link = new_link_token()
    token = make_page_token(link, LATER, SECRET)
    _, expiry, signature = token.split(".")
    longer = make_page_token(link, LATER + timedelta(days=30), b"any").rsplit(".", 1)[0]
    stretched = f"{longer}.{signature}"
    other_order = f"{new_link_token()}.{expiry}.{signature}"
    for forged in (stretched, other_order):
        with pytest.raises(PageTokenInvalid):
            read_page_token(forged, SECRET, NOW)
    with pytest.raises(PageTokenInvalid):
        read_page_token(token, b"another deployment", NOW)


def test_an_expired_forgery_is_invalid_not_expired():
    token = make_page_token(new_link_token(), NOW - timedelta(days=1), b"someone else")
    with pytest.raises(PageTokenInvalid):
        read_page_token(token, SECRET, NOW)


@given(st.text(max_size=300))
def test_any_text_is_refused_cleanly(text):
    with pytest.raises((PageTokenInvalid, PageTokenExpired)):
        read_page_token(text, SECRET, NOW)


def test_link_tokens_with_dots_are_not_made():
    with pytest.raises(ValueError):
        make_page_token("a.b", LATER, SECRET)
