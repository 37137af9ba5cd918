"""One request to Nova Poshta's JSON API (``{apiKey, modelName, calledMethod, methodProperties}``
posted to one address), shared by every Nova Poshta client: tracking, pickup points, storage.

Transport failures and answers that are not an envelope raise :class:`CarrierUnavailable`; a
refusal is returned for the caller to read (tracking treats "bad number" refusals as answers) or
turned into the right exception by :func:`refusal`.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

import aiohttp

from bot.carriers.base import CarrierKeyRejected, CarrierUnavailable
from bot.carriers.novaposhta.parse import Envelope, MalformedResponse, read_envelope

DEFAULT_API_URL: Final = "https://api.novaposhta.ua/v2.0/json/"
MAX_REASON: Final = 300
# A refusal whose errors mention the API key means the key is wrong or expired. Neither refdata/
# novaposhta nor the stored Nova Poshta docs show NP's exact answer to a bad key, so this follows
# the issue's rule (errors that mention the API key) rather than an error code: "API key
# expired", "Invalid API key", "API auth fail" (as the fake answers a missing key), "apiKey ...".
KEY_ERROR: Final = re.compile(r"api\s*key|apikey|api auth", re.IGNORECASE)


def short(text: str) -> str:
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def refusal(envelope: Envelope) -> CarrierUnavailable:
    """What a ``success: false`` answer means: a refused key, or NP's own reason."""
    errors = "; ".join(envelope.errors) or "no errors given"
    reason = short(f"Nova Poshta refused: {errors}")
    if any(KEY_ERROR.search(error) for error in envelope.errors):
        return CarrierKeyRejected(reason)
    return CarrierUnavailable(reason)


class NovaPoshtaApi:
    """The session, the key (never shown) and the address every Nova Poshta client holds."""

    def __init__(
        self,
        http: aiohttp.ClientSession,
        *,
        api_key: str,
        api_url: str = DEFAULT_API_URL,
        timeout: float = 15.0,
    ) -> None:
        self._http = http
        self._api_key = api_key
        self._api_url = api_url
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    def __repr__(self) -> str:  # never show the key
        return f"{type(self).__name__}(api_url={self._api_url!r})"

    async def _post(
        self, model: str, method: str, properties: dict[str, Any]
    ) -> tuple[Envelope, Any]:
        """The answer's envelope (refusals included) and the payload it was read from."""
        body = {
            "apiKey": self._api_key,
            "modelName": model,
            "calledMethod": method,
            "methodProperties": properties,
        }
        try:
            async with self._http.post(self._api_url, json=body, timeout=self._timeout) as resp:
                status = resp.status
                raw = await resp.read()
        except TimeoutError as exc:
            raise CarrierUnavailable(f"no answer within {self._timeout.total} s") from exc
        except aiohttp.ClientError as exc:
            raise CarrierUnavailable(f"connection failed: {type(exc).__name__}") from exc
        if status >= 400:
            raise CarrierUnavailable(f"HTTP {status}")
        try:
            payload = json.loads(raw)
        except ValueError as exc:  # UnicodeDecodeError is a ValueError too
            raise CarrierUnavailable("unexpected answer: the answer is not JSON") from exc
        try:
            return read_envelope(payload), payload
        except MalformedResponse as exc:
            raise CarrierUnavailable(f"unexpected answer: {exc}") from exc
