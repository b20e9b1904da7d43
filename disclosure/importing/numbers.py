"""Read printed amounts exactly: thousands separators, stray spaces, full-width digits, blanks."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_MARKUP = re.compile(r"</?b>|</?strong>|\*\*|__")
_SPACES = re.compile(r"\s+")
_BLANKS = {"", "-", "--", "—", "——", "－", "–", "/", "—-"}
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^\d+(\.\d+)?$")


def clean_text(text: str) -> str:
    """Drop bold markup and every space, fold full-width forms (“１２”, “（”) to plain ones."""
    folded = unicodedata.normalize("NFKC", _MARKUP.sub("", text or ""))
    return _SPACES.sub("", folded)


@dataclass(frozen=True)
class Amount:
    """An amount as the YAML will hold it: exact text without separators, and its value."""

    text: str
    value: Decimal
    blank: bool = False


ZERO_AMOUNT = Amount("0", Decimal(0), blank=True)


class NumberError(ValueError):
    """A cell that should hold an amount but does not; the message is Chinese."""


def parse_amount_text(raw: str) -> Amount:
    """Read one printed amount; blank or “-” is zero; “(12.00)” is negative; at most 2 decimals."""
    text = clean_text(raw)
    if text in _BLANKS:
        return ZERO_AMOUNT
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    elif text[:1] in "-+":
        negative, text = text[0] == "-", text[1:]
    if not (_PLAIN.match(text) or _GROUPED.match(text)):
        raise NumberError(f"“{raw.strip()}”不是金额")
    digits = text.replace(",", "")
    if "." in digits and len(digits.split(".")[1]) > 2:
        raise NumberError(f"“{raw.strip()}”有 {len(digits.split('.')[1])} 位小数（金额以万元计，最多两位）")
    try:
        value = Decimal(digits)
    except InvalidOperation as exc:  # pragma: no cover - the patterns above admit only numbers
        raise NumberError(f"“{raw.strip()}”不是金额") from exc
    if negative and value != 0:
        return Amount("-" + digits, -value)
    return Amount(digits, value)


def looks_like_amount(raw: str) -> bool:
    """Tell whether a cell prints a number with decimals or separators (not a 行次 or 栏次)."""
    text = clean_text(raw)
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    text = text.lstrip("-")
    return bool(_GROUPED.match(text) or re.match(r"^\d+\.\d+$", text))


def is_number(raw: str) -> bool:
    """Tell whether a cell is any number (integers included)."""
    try:
        amount = parse_amount_text(raw)
    except NumberError:
        return False
    return not amount.blank
