"""How many SMS parts a text takes, as a phone network bills it.

3GPP TS 23.038 (the GSM 7-bit default alphabet and its extension table) and TS 23.040 (the
concatenation header): a text made only of GSM-7 characters travels in 7-bit septets, 160 in a
single message and 153 per part once split (the header takes 7); an extension character is an
escape plus a character, 2 septets. Anything else (Cyrillic, most emoji) makes the whole text
UCS-2: 70 UTF-16 code units in a single message, 67 per part. A part never ends between the two
halves of an escape pair or of a surrogate pair (an emoji is 2 code units): such a half moves to
the next part, as phones and gateways split.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

# TS 23.038 6.2.1, the default alphabet, row by row (0x00–0x7F); 0x1B is the escape, not a
# character, and is left out.
GSM7_BASIC: Final = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"  # 0x1B (escape) between Ξ and Æ
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)
# TS 23.038 6.2.1.1, the extension table: each costs the escape too.
GSM7_EXTENSION: Final = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE: Final = 160
GSM7_PART: Final = 153
UCS2_SINGLE: Final = 70
UCS2_PART: Final = 67


class SmsEncoding(StrEnum):
    gsm7 = "gsm7"
    ucs2 = "ucs2"


@dataclass(frozen=True)
class SmsSize:
    encoding: SmsEncoding
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2) the whole text takes
    parts: int  # 0 for an empty text: nothing to send


def encoding_of(text: str) -> SmsEncoding:
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text):
        return SmsEncoding.gsm7
    return SmsEncoding.ucs2


def sms_size(text: str) -> SmsSize:
    """The encoding, the units and the parts ``text`` takes."""
    encoding = encoding_of(text)
    if encoding is SmsEncoding.gsm7:
        widths = [2 if ch in GSM7_EXTENSION else 1 for ch in text]
        single, part = GSM7_SINGLE, GSM7_PART
    else:
        widths = [2 if ord(ch) > 0xFFFF else 1 for ch in text]  # a surrogate pair in UTF-16
        single, part = UCS2_SINGLE, UCS2_PART
    units = sum(widths)
    return SmsSize(encoding, units, _parts(widths, units, single, part))


def sms_parts(text: str) -> int:
    return sms_size(text).parts


def _parts(widths: list[int], units: int, single: int, part: int) -> int:
    if units == 0:
        return 0
    if units <= single:
        return 1
    count, filled = 1, 0
    for width in widths:
        if filled + width > part:  # a pair does not straddle two parts
            count, filled = count + 1, 0
        filled += width
    return count
