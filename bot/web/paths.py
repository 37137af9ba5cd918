"""Path parameters that name stored rows: a name no row can have is a 404 before any query.

Nothing the API stores holds a control character (every text is checked on the way in), and
PostgreSQL refuses a query parameter with a NUL byte outright, which would be a 500 instead of
the 404 such a name deserves.
"""

from __future__ import annotations

import unicodedata

from aiohttp import web

from bot.domain.errors import NotFound


def stored_name(request: web.Request, key: str) -> str:
    """The path parameter ``key``; NotFound (404 naming it) when it holds a control character."""
    value = request.match_info[key]
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise NotFound()
    return value
