"""Request parameters: query string, JSON body, urlencoded or multipart form.

aiogram's AiohttpSession sends every field as a form string (objects and lists
as JSON text, numbers as digits, booleans as ``true``/``false``) and leaves out
falsy values entirely; a JSON body carries native types. Both are accepted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.standin.errors import CHAT_ID_EMPTY, bad_request, chat_not_found


@dataclass(frozen=True)
class Upload:
    filename: str
    content: bytes
    content_type: str | None = None


class Params:
    def __init__(self, values: dict[str, Any], uploads: dict[str, Upload] | None = None) -> None:
        self.values = values
        self.uploads = uploads or {}

    def log_view(self) -> dict[str, Any]:
        view = dict(self.values)
        for name, upload in self.uploads.items():
            view[name] = f"<upload {upload.filename} {len(upload.content)} bytes>"
        return view

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "")

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad_request(f"field {name} must be a String")
        return str(value)

    def integer(self, name: str) -> int | None:
        value = self.values.get(name)
        if value in (None, ""):
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                pass
        raise bad_request(f"invalid {name} specified")

    def flag(self, name: str) -> bool:
        value = self.values.get(name)
        if value in (None, "", False, 0, "false", "False", "0"):
            return False
        if value in (True, 1, "true", "True", "1"):
            return True
        raise bad_request(f"invalid {name} specified")

    def json(self, name: str) -> Any:
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        if value == "":
            return None
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None

    def chat_ref(self, name: str = "chat_id") -> int | str:
        value = self.values.get(name)
        if value in (None, ""):
            raise bad_request(CHAT_ID_EMPTY if name == "chat_id" else f"{name} is empty")
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            stripped = value.strip()
            if stripped.startswith("@") and len(stripped) > 1:
                return stripped
            try:
                return int(stripped)
            except ValueError:
                pass
        raise chat_not_found()

    def file(self, name: str) -> Upload | str | None:
        """An uploaded file (direct field or ``attach://key``) or a string reference."""
        if name in self.uploads:
            return self.uploads[name]
        value = self.values.get(name)
        return self.resolve_media(value) if isinstance(value, str) else None

    def resolve_media(self, value: str) -> Upload | str | None:
        if value.startswith("attach://"):
            return self.uploads.get(value.removeprefix("attach://"))
        return value or None
