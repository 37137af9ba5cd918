"""Validation and normalisation of reply_markup objects."""

from __future__ import annotations

from typing import Any, cast

from bot.standin.errors import BUTTON_DATA_INVALID, BUTTON_URL_INVALID, bad_request

INLINE_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
KEYBOARD_REQUESTS = (
    "request_users",
    "request_chat",
    "request_managed_bot",
    "request_contact",
    "request_location",
    "request_poll",
    "web_app",
)
_BUTTON = "can't parse inline keyboard button"


def parse_markup(value: Any, *, inline_only: bool = False) -> dict[str, Any] | None:
    """Check a reply_markup object; return it normalised (or None when absent)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in value:
        return {"inline_keyboard": _inline_rows(value["inline_keyboard"])}
    if inline_only:
        raise bad_request("can't parse inline keyboard markup JSON object")
    if "keyboard" in value:
        markup = dict(value)
        markup["keyboard"] = _keyboard_rows(value["keyboard"])
        return markup
    if value.get("remove_keyboard") is True or value.get("force_reply") is True:
        return dict(value)
    raise bad_request("can't parse reply keyboard markup JSON object")


def _rows(rows: Any, field: str) -> list[list[Any]]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(f'field "{field}" of the reply markup must be an Array of Arrays')
    return rows


def _inline_rows(rows: Any) -> list[list[dict[str, Any]]]:
    return [[_inline_button(b) for b in row] for row in _rows(rows, "inline_keyboard")]


def _inline_button(button: Any) -> dict[str, Any]:
    if not isinstance(button, dict):
        raise bad_request(f"{_BUTTON}: InlineKeyboardButton must be an Object")
    button = {key: value for key, value in button.items() if value is not None}
    text = button.get("text")
    if not isinstance(text, str) or not text.strip():
        raise bad_request(f'{_BUTTON}: Field "text" must be a non-empty String')
    actions = [name for name in INLINE_ACTIONS if name in button and button[name] is not False]
    if not actions:
        raise bad_request(f"{_BUTTON}: Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise bad_request(
            f"{_BUTTON}: exactly one of the optional fields must be used, got {', '.join(actions)}"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
            raise bad_request(BUTTON_DATA_INVALID)
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not url.startswith(("http://", "https://", "tg://")):
            raise bad_request(BUTTON_URL_INVALID)
    return cast(dict[str, Any], button)


def _keyboard_rows(rows: Any) -> list[list[dict[str, Any]]]:
    return [[_keyboard_button(b) for b in row] for row in _rows(rows, "keyboard")]


def _keyboard_button(button: Any) -> dict[str, Any]:
    if isinstance(button, str):
        button = {"text": button}
    if not isinstance(button, dict):
        raise bad_request(
            "can't parse keyboard button: KeyboardButton must be a String or an Object"
        )
    button = {key: value for key, value in button.items() if value is not None}
    text = button.get("text")
    if not isinstance(text, str) or not text.strip():
        raise bad_request('can\'t parse keyboard button: Field "text" must be a non-empty String')
    requests = [name for name in KEYBOARD_REQUESTS if button.get(name) not in (None, False)]
    if len(requests) > 1:
        raise bad_request(
            "can't parse keyboard button: at most one of the optional fields can be used"
        )
    return cast(dict[str, Any], button)
