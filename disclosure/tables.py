"""A report's tables as typed data: exact amounts, each cell located (read by tablereader.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .money import ZERO
from .profile import TableDef

LEVEL_NAMES = {3: "类", 5: "款", 7: "项"}


@dataclass(slots=True)
class Cell:
    """One amount with where it came from; `typed` is False for values the program computed."""

    value: Decimal
    line: int | None = None
    typed: bool = True


@dataclass(slots=True)
class SubjectRow:
    """A 科目 row: code, name and its amounts by column key."""

    code: str
    name: str
    cells: dict[str, Cell]
    line: int | None = None
    code2: str = ""
    name2: str = ""

    @property
    def level(self) -> str:
        """Return 类, 款 or 项 from the code's length."""
        return LEVEL_NAMES.get(len(self.code), "")

    def value(self, key: str) -> Decimal:
        """Return the amount in a column (zero when absent)."""
        cell = self.cells.get(key)
        return cell.value if cell else ZERO


@dataclass
class Table:
    """A report's instance of a profile table."""

    definition: TableDef
    line: int | None = None
    present: bool = False
    rows: list[SubjectRow] = field(default_factory=list)
    total: SubjectRow | None = None
    lines: dict[int, dict[str, Cell]] = field(default_factory=dict)
    subtotals: dict[str, Cell] = field(default_factory=dict)
    records: dict[str, dict[str, Cell]] = field(default_factory=dict)
    note: str | None = None
    year: int | None = None

    def row(self, code: str) -> SubjectRow | None:
        """Return the 科目 row with this code."""
        for row in self.rows:
            if row.code == code:
                return row
        return None

    def cell(self, row: str, column: str | None) -> Cell | None:
        """Resolve a reference's row and column to a cell (None when the row is absent)."""
        layout = self.definition.layout
        if layout == "balance":
            line = int(row)
            side = self.definition.side_of(line)
            if side is None:
                return None
            key = column or side.columns[0].key
            return self.lines.get(line, {}).get(key)
        if layout == "record":
            return self.records.get(row, {}).get(column or self.definition.columns[0].key)
        if row in self.subtotals:
            return self.subtotals[row]
        target = self.total if row == "合计" else self.row(row)
        if target is None:
            return None
        return target.cells.get(column or self.definition.columns[0].key)

    def is_empty(self) -> bool:
        """Tell whether every amount of the table is zero."""
        cells: list[Cell] = []
        for row in [*self.rows, *([self.total] if self.total else [])]:
            cells.extend(row.cells.values())
        for values in [*self.lines.values(), *self.records.values()]:
            cells.extend(values.values())
        cells.extend(self.subtotals.values())
        return all(c.value == 0 for c in cells)
