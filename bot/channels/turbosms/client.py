"""The TurboSMS HTTP API (``<api_url>/<module>/<method>.json``) over aiohttp.

Every call is a JSON POST with ``Authorization: Bearer <token>`` (one of the four ways the API
takes the token), 10 s at most. The API answers every valid request with HTTP 200 and the outcome
in ``{"response_code", "response_status", "response_result"}``; any other HTTP status comes from
something in between (a proxy, a load balancer) and is read as HTTP. Errors become
:class:`GatewayRejected`; the token never appears in a message (it travels only in the header).

How each ``response_code`` of the refdata facts is taken (``Refusal`` in ``bot.channels.base``):

======================================================  ===========================================
code / status                                           outcome
======================================================  ===========================================
0 OK, 1 PONG                                            success
800 SUCCESS_MESSAGE_ACCEPTED, 801 SUCCESS_MESSAGE_SENT  success (per recipient: has a message_id)
802 / 803 SUCCESS_MESSAGE_PARTIAL_ACCEPTED / _SENT      success; each recipient's own code decides
103 REQUIRED_TOKEN, 105 REQUIRED_AUTH, 301 INVALID_TOKEN credentials (missing or wrong token)
106 REQUIRED_ACTIVE_USER                                credentials (the account is blocked)
203 REQUIRED_BALANCE                                    funds
302 INVALID_MESSAGE_SENDER, 400 NOT_ALLOWED_MESSAGE_     sender (a setting: the name is wrong, not
SENDER, 401 …_SENDER_NOT_ACTIVE, 415 …_TRANSACTION_      the account's, unpaid, or may not send
SENDER                                                  transactional messages)
305 INVALID_PHONE, 404 NOT_ALLOWED_NUMBER_STOPLIST,     recipient (this phone cannot be reached
406 NOT_ALLOWED_RECIPIENT_COUNTRY                       this way: no retry)
104, 200–202, 204–206 REQUIRED_*                        bad_request (something the request lacks)
300, 303, 304, 306 INVALID_* (but 301, 302, 305)        bad_request
402, 403, 405, 407–414 NOT_ALLOWED_* (but 404, 406)     bad_request (a value out of the API's limits;
                                                        413: text too long; 414: not our message id)
502 FAILED_PARSE_BODY                                   bad_request (our body could not be read)
500, 501 FAILED_CONVERT_RESULT2*, 503 FAILED_SMS_SEND,  unavailable (the provider failed: the same
504 FAILED_VIBER_SEND, 505 FAILED_SAVE_IMAGE, 999       request may succeed later)
FATAL_ERROR
a code not in the facts                                 5xx and 9xx unavailable, others bad_request
HTTP 401/403 (from in front of the API)                 credentials
HTTP 408/429/5xx, no answer, a body that is not JSON    unavailable (``Retry-After`` kept)
other HTTP 4xx                                          bad_request
======================================================  ===========================================
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Final

import aiohttp

from bot.channels.base import GatewayRejected, Refusal
from bot.domain.retry_after import parse_retry_after

DEFAULT_API_URL: Final = "https://api.turbosms.ua"
TIMEOUT: Final = aiohttp.ClientTimeout(total=10)
MAX_BODY_BYTES: Final = 1024 * 1024
MAX_MESSAGE: Final = 300

SUCCESS_CODES: Final = frozenset({0, 1, 800, 801, 802, 803})
# Success for one recipient: the message has an id.
ACCEPTED_CODES: Final = frozenset({800, 801})
REFUSALS: Final[Mapping[int, Refusal]] = {
    103: Refusal.credentials,
    105: Refusal.credentials,
    106: Refusal.credentials,
    301: Refusal.credentials,
    203: Refusal.funds,
    302: Refusal.sender,
    400: Refusal.sender,
    401: Refusal.sender,
    415: Refusal.sender,
    305: Refusal.recipient,
    404: Refusal.recipient,
    406: Refusal.recipient,
    **dict.fromkeys(
        (104, 200, 201, 202, 204, 205, 206, 300, 303, 304, 306, 502), Refusal.bad_request
    ),
    **dict.fromkeys((402, 403, 405, 407, 408, 409, 410, 411, 412, 413, 414), Refusal.bad_request),
    **dict.fromkeys((500, 501, 503, 504, 505, 999), Refusal.unavailable),
}


def refusal_for(code: int) -> Refusal:
    """What a TurboSMS ``response_code`` that is not a success means to the caller."""
    known = REFUSALS.get(code)
    if known is not None:
        return known
    return Refusal.unavailable if code >= 500 else Refusal.bad_request


def refusal_for_http(status: int) -> Refusal:
    if status in (401, 403):
        return Refusal.credentials
    if status in (408, 429) or status >= 500:
        return Refusal.unavailable
    return Refusal.bad_request


async def call(
    http: aiohttp.ClientSession, api_url: str, token: str, path: str, body: Mapping[str, Any]
) -> Any:
    """``response_result`` of a successful ``path`` (``message/send.json``); numbers with a
    fraction come as :class:`Decimal`. Raise :class:`GatewayRejected` for anything else."""
    url = api_url.rstrip("/") + "/" + path
    try:
        async with http.post(
            url,
            json=body,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=TIMEOUT,
            allow_redirects=False,
        ) as response:
            raw = await response.content.read(MAX_BODY_BYTES)
            if response.status != 200:
                raise GatewayRejected(
                    refusal_for_http(response.status),
                    f"HTTP {response.status}: {snippet(raw) or response.reason or 'no reason'}",
                    status=response.status,
                    retry_after=parse_retry_after(
                        response.headers.get("Retry-After"), datetime.now(UTC)
                    ),
                )
    except TimeoutError:
        raise GatewayRejected(
            Refusal.unavailable, f"{url} did not answer within 10 s", status=0
        ) from None
    except aiohttp.ClientError as error:
        raise GatewayRejected(
            Refusal.unavailable, f"{url} cannot be reached: {one_line(str(error))}", status=0
        ) from None
    return result_of(raw, url)


def result_of(raw: bytes, url: str) -> Any:
    """The envelope's ``response_result``, or the refusal its ``response_code`` means."""
    try:
        envelope = json.loads(raw, parse_float=Decimal)
    except ValueError:
        envelope = None
    code = envelope.get("response_code") if isinstance(envelope, dict) else None
    if not isinstance(code, int) or isinstance(code, bool):
        # A captive portal or proxy page answering 200: the API itself was not reached.
        raise GatewayRejected(Refusal.unavailable, f"{url} answered without a TurboSMS envelope")
    assert isinstance(envelope, dict)
    if code not in SUCCESS_CODES:
        status = one_line(str(envelope.get("response_status") or "no status"))
        raise GatewayRejected(refusal_for(code), status, code=code)
    return envelope.get("response_result")


def snippet(raw: bytes) -> str:
    return one_line(raw.decode("utf-8", "replace"))


def one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= MAX_MESSAGE else line[: MAX_MESSAGE - 1] + "…"
