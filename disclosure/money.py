"""Exact money arithmetic and the number formats used in the disclosures."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal("0")
CENT = Decimal("0.01")
HALF_CENT = Decimal("0.005")
HUNDRED = Decimal("100")

_SPACES = re.compile(r"[\s\u3000]+")
_BOLD = re.compile(r"</?b>|\*\*")


class AmountError(ValueError):
    """A cell's text is not an amount."""


def parse_amount(raw: object) -> Decimal:
    """Read an amount as printed ("1, 547. 33", "1,547.33", "", "—") into an exact Decimal."""
    if raw is None:
        return ZERO
    if isinstance(raw, bool):
        raise AmountError(str(raw))
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        # A float can only come from code, never from our YAML loader; keep its shortest repr.
        return Decimal(repr(raw))
    text = str(raw)
    try:
        # Fast path: a plain number as typed in YAML.
        value = Decimal(text)
        if value.is_finite():
            return value
    except InvalidOperation:
        pass
    text = _BOLD.sub("", _SPACES.sub("", text)).replace(",", "").replace("，", "")
    if text in ("", "-", "—", "——", "－"):
        return ZERO
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise AmountError(str(raw)) from exc
    if not value.is_finite():
        raise AmountError(str(raw))
    return value


def tolerance(parts: int) -> Decimal:
    """Return the rounding bound for a total of `parts` printed figures: 0.005 × (n + 1)."""
    return HALF_CENT * (max(parts, 1) + 1)


def format_money(value: Decimal | None, blank_zero: bool = False) -> str:
    """Format as the documents print: thousands separators and two decimals (1,547.33)."""
    if value is None:
        return ""
    if not value:
        if blank_zero:
            return ""
        if not value.is_signed():  # most amounts of a report are zero; -0 still prints -0.00
            return "0.00"
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


def format_plain(value: Decimal) -> str:
    """Format an amount for sentences: 1,547.33 with separators, as the notes print."""
    return format_money(value)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """Return part / whole × 100 rounded to two decimals, or None when whole is zero."""
    if whole == 0:
        return None
    return (part * HUNDRED / whole).quantize(CENT, rounding=ROUND_HALF_UP)


def format_percent(value: Decimal | None) -> str:
    """Format a percentage with two decimals (28.56%); a missing ratio prints as 0.00%."""
    if value is None:
        value = ZERO
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):.2f}%"


def sum_amounts(values: list[Decimal]) -> Decimal:
    """Sum amounts exactly."""
    total = ZERO
    for value in values:
        total += value
    return total
