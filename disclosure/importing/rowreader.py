"""Reading one source table: shared row helpers (amounts by header position, realigned rows, leftovers)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..profile import Column, TableDef
from .findings import Findings, amount_texts, row_adds_up
from .headers import Header, is_blank, is_column_numbers, key, match_columns, plain
from .numbers import ZERO_AMOUNT, Amount, clean_text, is_number, parse_amount_text
from .source import Cell, SourceTable

CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
TOTALS = ("合计", "总计")


@dataclass
class TableResult:
    """A table's data for the YAML, and where each written row came from."""

    data: dict[Any, Any] = field(default_factory=dict)
    sources: dict[tuple[Any, ...], str] = field(default_factory=dict)
    rows_read: int = 0


def row_where(row: list[Cell]) -> str:
    """Return where a row is (its first cell's place, without the column)."""
    return re.sub(r"第 \d+ 列$", "", row[0].where) if row else ""


def text_at(row: list[Cell], j: int) -> str:
    """Return a cell's text, or "" past the row's end."""
    return row[j].text if 0 <= j < len(row) else ""


def cell_at(row: list[Cell], j: int) -> Cell | None:
    """Return a cell, or None past the row's end."""
    return row[j] if 0 <= j < len(row) else None


def is_text(cell_text: str) -> bool:
    """Tell whether a cell holds words rather than a number or a dash."""
    folded = clean_text(cell_text)
    return bool(folded) and not is_number(cell_text) and folded not in ("-", "—", "——", "－")


class RowReader:
    """What every layout reader shares: the table, its findings, and reading a row's amounts."""

    def __init__(self, definition: TableDef, table: SourceTable, findings: Findings):
        self.definition = definition
        self.table = table
        self.findings = findings
        self.number = definition.number
        self.result = TableResult()
        self.realigned: list[tuple[str, str, str]] = []

    def finding(self, level: str, message: str, where: str = "", row: str = "") -> None:
        """Record a finding in this table."""
        self.findings.add(level, message, where or self.table.where, self.number, row)

    def report_realigned(self) -> None:
        """Say which rows were read in printed order because their cells slipped off the header's columns."""
        if len(self.realigned) > 3:
            first, last = self.realigned[0][0], self.realigned[-1][0]
            self.finding(
                "warning",
                f"{len(self.realigned)} 行的数与表头的列没有对齐（{first}至{last}），已按各行数字的顺序读取，请核对原文",
                first,
            )
            return
        for where, label, read_as in self.realigned:
            self.finding(
                "warning",
                f"这一行的数与表头的列没有对齐（列错位），已按顺序读作{read_as}，请核对原文",
                where,
                label,
            )

    # ------------------------------------------------------------ shared

    def leftovers(self, header: Header, rows: list[list[Cell]], used: set[int]) -> None:
        """Report rows below the header that are neither data nor header repeats (not imported)."""
        repeats = header.keys()
        last_header = max((i for i, r in enumerate(rows) if any(r is h for h in header.rows)), default=-1)
        for index, row in enumerate(rows):
            if index in used or index <= last_header or is_blank(row) or is_column_numbers(row):
                continue
            if tuple(key(c.text) for c in row) in repeats:
                continue
            text = " ".join(plain(c.text) for c in row if plain(c.text))
            self.finding("unplaced", f"未能识别的行“{text[:40]}”，没有导入", row[0].where)

    def values(
        self,
        row: list[Cell],
        mapping: dict[str, int],
        columns: tuple[Column, ...],
        label: str,
        after: int,
        end: int | None = None,
    ) -> dict[str, Amount]:
        """Read a row's amounts by header position; realign a row whose cells slipped, and say so."""
        end = len(row) if end is None else min(end, len(row))
        first = min(mapping.values(), default=after + 1)
        shift = max(0, after + 1 - first)  # the row's names run into the header's amount columns
        positional = {
            c.key: self.findings_free(cell_at(row, mapping[c.key] + shift))
            for c in columns
            if c.key in mapping
        }
        stray = [
            row[j] for j in range(first + shift, end)
            if j - shift not in mapping.values() and clean_text(row[j].text)
        ]  # fmt: skip
        if row_adds_up(columns, positional) and not stray and not shift:
            return self.read_values(row, mapping, columns, label, shift)
        compact = [c for c in row[after + 1 : end] if clean_text(c.text)]
        ordered = [c for c in columns if c.key in mapping]
        if compact and len(compact) <= len(ordered):
            realigned = {c.key: self.findings_free(cell) for c, cell in zip(ordered, compact, strict=False)}
            realigned.update({c.key: ZERO_AMOUNT for c in ordered[len(compact) :]})
            if row_adds_up(columns, realigned) and (realigned != positional or stray or shift):
                self.realigned.append(
                    (
                        row[0].where,
                        label,
                        "、".join(f"{c.label}={realigned[c.key].text}" for c in ordered[: len(compact)]),
                    )
                )
                return {
                    c.key: self.read_cell(cell, label, c.label)
                    for c, cell in zip(ordered, compact, strict=False)
                } | {c.key: ZERO_AMOUNT for c in ordered[len(compact) :]}
        if stray:
            self.finding(
                "error",
                f"表头之外还有数“{plain(stray[0].text)}”，可能错列，请核对原文",
                stray[0].where,
                label,
            )
        return self.read_values(row, mapping, columns, label, shift)

    def read_values(
        self, row: list[Cell], mapping: dict[str, int], columns: tuple[Column, ...], label: str, shift: int
    ) -> dict[str, Amount]:
        """Read a row's amounts at the mapped columns, reporting cells that are not amounts."""
        return {
            c.key: self.read_cell(cell_at(row, mapping[c.key] + shift), label, c.label)
            for c in columns
            if c.key in mapping
        }

    def read_cell(self, cell: Cell | None, label: str, column: str) -> Amount:
        """Read one amount cell of this table."""
        return self.findings.amount(cell, self.number, label, column)

    @staticmethod
    def findings_free(cell: Cell | None) -> Amount:
        """Read an amount without reporting (for trying alignments)."""
        if cell is None:
            return ZERO_AMOUNT
        try:
            return parse_amount_text(cell.text)
        except ValueError:
            return Amount("0", ZERO_AMOUNT.value, blank=False)

    def column_map(
        self, header: Header, columns: tuple[Column, ...], within: range | None = None
    ) -> dict[str, int]:
        """Match the profile's columns to header columns, warning about those not found."""
        mapping = match_columns(header, columns, within)
        missing = [c.label for c in columns if c.key not in mapping]
        if missing and header.rows:
            self.finding("warning", f"表头中找不到列“{'、'.join(missing)}”，这些列按 0 导入")
        return mapping

    def amounts(self, values: dict[str, Amount], columns: tuple[Column, ...]) -> list[str]:
        """Return a row's amounts as YAML texts in profile order."""
        return amount_texts([values.get(c.key, ZERO_AMOUNT) for c in columns])
