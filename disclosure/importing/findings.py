"""What an import found: located problems and unplaced source content, in Chinese."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..profile import Column
from .numbers import ZERO_AMOUNT, Amount, NumberError, parse_amount_text
from .source import Cell

LEVEL_LABELS = {"error": "错误", "warning": "警告", "note": "提示", "unplaced": "未导入"}


@dataclass(frozen=True)
class Finding:
    """One located finding: where in the source, which table and row, and what."""

    level: str  # error | warning | note | unplaced
    message: str
    where: str = ""
    table: str = ""
    row: str = ""

    def format(self, source: str = "") -> str:
        """Return the one-line Chinese message, naming the source file and location."""
        place = " ".join(
            p for p in (f"{source}{' ' if source else ''}{self.where}".strip(), self.table, self.row) if p
        )
        return f"[{LEVEL_LABELS[self.level]}] {place}{'：' if place else ''}{self.message}"


@dataclass
class Findings:
    """Collect findings while mapping one document."""

    items: list[Finding] = field(default_factory=list)

    def add(self, level: str, message: str, where: str = "", table: str = "", row: str = "") -> None:
        """Record one finding."""
        self.items.append(Finding(level, message, where, table, row))

    def amount(self, cell: Cell | None, table: str, row: str, column: str) -> Amount:
        """Read one amount cell; a cell that is not an amount is an error at its location."""
        if cell is None:
            return ZERO_AMOUNT
        try:
            return parse_amount_text(cell.text)
        except NumberError as exc:
            self.add("error", f"「{column}」{exc}，按 0 导入", cell.where, table, row)
            return ZERO_AMOUNT


def row_adds_up(columns: tuple[Column, ...], values: dict[str, Amount]) -> bool:
    """Tell whether a row's formula columns equal their parts, within the rounding tail."""
    for column in columns:
        if not column.formula or column.key not in values:
            continue
        total = sum((t.sign * values[t.name].value for t in column.formula if t.name in values), Decimal(0))
        tolerance = Decimal("0.005") * (len(column.formula) + 1)
        if abs(values[column.key].value - total) > tolerance:
            return False
    return True


def amount_texts(values: list[Amount]) -> list[str]:
    """Return the YAML texts of a row's amounts, dropping trailing blank cells (zeros as printed stay)."""
    texts = [a.text for a in values]
    while values and values[len(texts) - 1].blank and len(texts) > 1:
        texts.pop()
        if not texts:
            break
    return texts
