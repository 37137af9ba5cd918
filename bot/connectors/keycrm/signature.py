"""Whether a delivery is KeyCRM's: KeyCRM signs nothing, so the address is the secret.

KeyCRM's «Відправити Webhook» action sends a POST with a JSON body and no signature header of any
kind (``refdata/crm/keycrm-api-facts.json``, webhooks.signature: "none documented"). The framework
has already matched the long random key in ``/connect/keycrm/<key>`` before it calls ``verify``;
what is left to check here is that the body has KeyCRM's shape, ``{"event": …, "context": {…}}``,
so that a stray request to a leaked address (a health probe, a browser) is not taken for one.
"""

from __future__ import annotations

import json
from typing import Any


def looks_like_keycrm_webhook(body: bytes) -> bool:
    """A JSON object with a text ``event`` and an object ``context``."""
    try:
        data: Any = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return False
    return (
        isinstance(data, dict)
        and isinstance(data.get("event"), str)
        and isinstance(data.get("context"), dict)
    )
