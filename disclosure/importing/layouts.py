"""Read one source table into the report data of its profile table, layout by layout."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..profile import Column, FixedRow, Side, TableDef
from .findings import Findings, amount_texts, row_adds_up
from .headers import Header, has_amount, is_blank, is_column_numbers, key, match_columns, plain, read_header
from .numbers import ZERO_AMOUNT, Amount, clean_text, is_number, parse_amount_text
from .source import Cell, SourceTable

_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
_TOTAL = ("合计", "总计")


@dataclass
class TableResult:
    """A table's data for the YAML, and where each written row came from."""

    data: dict[Any, Any] = field(default_factory=dict)
    sources: dict[tuple[Any, ...], str] = field(default_factory=dict)
    rows_read: int = 0


def row_where(row: list[Cell]) -> str:
    """Return where a row is (its first cell's place, without the column)."""
    return re.sub(r"第 \d+ 列$", "", row[0].where) if row else ""


def _text(row: list[Cell], j: int) -> str:
    return row[j].text if 0 <= j < len(row) else ""


def _cell(row: list[Cell], j: int) -> Cell | None:
    return row[j] if 0 <= j < len(row) else None


def _is_text(cell_text: str) -> bool:
    folded = clean_text(cell_text)
    return bool(folded) and not is_number(cell_text) and folded not in ("-", "—", "——", "－")


class TableMapper:
    """Map one source table onto one profile table."""

    def __init__(self, definition: TableDef, table: SourceTable, findings: Findings):
        self.definition = definition
        self.table = table
        self.findings = findings
        self.number = definition.number
        self.result = TableResult()
        self.realigned: list[tuple[str, str, str]] = []

    def finding(self, level: str, message: str, where: str = "", row: str = "") -> None:
        self.findings.add(level, message, where or self.table.where, self.number, row)

    def run(self) -> TableResult:
        """Read the table by its layout."""
        reader = {
            "balance": self.balance,
            "subject": self.subject,
            "paired": self.paired,
            "items": self.items,
            "economic": self.economic,
            "record": self.record,
        }[self.definition.layout]
        reader()
        self.report_realigned()
        return self.result

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
            c.key: self.findings_free(_cell(row, mapping[c.key] + shift)) for c in columns if c.key in mapping
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
        return {
            c.key: self.read_cell(_cell(row, mapping[c.key] + shift), label, c.label)
            for c in columns
            if c.key in mapping
        }

    def read_cell(self, cell: Cell | None, label: str, column: str) -> Amount:
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
        mapping = match_columns(header, columns, within)
        missing = [c.label for c in columns if c.key not in mapping]
        if missing and header.rows:
            self.finding("warning", f"表头中找不到列“{'、'.join(missing)}”，这些列按 0 导入")
        return mapping

    def amounts(self, values: dict[str, Amount], columns: tuple[Column, ...]) -> list[str]:
        return amount_texts([values.get(c.key, ZERO_AMOUNT) for c in columns])

    # ------------------------------------------------------------ 科目 tables

    def code_area(self, row: list[Cell], end: int, levels: list[int], carry: list[str]) -> tuple[str, str]:
        """Read a row's code (one column, or 类/款/项 in three) and its name from the cells before `end`."""
        code, name = "", ""
        for j in range(min(end, len(row))):
            text = clean_text(row[j].text)
            if not text:
                continue
            if text.isdigit() and not name:
                if len(text) in (3, 5, 7) and (not levels or j == levels[0] or len(text) > 2):
                    code = text
                elif len(text) == 2 and levels:
                    depth = levels.index(j) if j in levels else (1 if len(carry[0]) == 3 else 2)
                    code = (carry[depth - 1] if depth >= 1 else "") + text
                else:
                    code = text
            elif not name:
                name = plain(row[j].text)
        if code:
            level = {3: 0, 5: 1, 7: 2}.get(len(code))
            if level is not None:
                carry[level] = code
        return code, name

    def subject(self) -> None:
        columns = self.definition.columns
        rows = self.table.rows

        def is_data(row: list[Cell]) -> bool:
            texts = [clean_text(c.text) for c in row]
            first_text = next((t for t in texts if t), "")
            return (first_text.isdigit() and len(first_text) in (2, 3, 5, 7)) or (
                any(t in _TOTAL for t in texts) and (has_amount(row) or any(is_number(c.text) for c in row))
            )

        header = read_header(rows, is_data)
        mapping = self.column_map(header, columns)
        first = min(mapping.values(), default=2)
        levels = header.columns_named("类", "款", "项")
        carry = ["", "", ""]
        body: list[list[str]] = []
        used: set[int] = set()
        for index, row in enumerate(rows):
            if not is_data(row):
                continue
            last_text = max((j for j, c in enumerate(row) if _is_text(c.text)), default=-1)
            code, name = self.code_area(row, max(first, last_text + 1), levels, carry)
            if not code and key(name) in _TOTAL:
                label = "合计"
            elif _CODE.match(code):
                label = f"{code} {name}"
            else:
                continue
            used.add(index)
            values = self.values(row, mapping, columns, label, max(first - 1, last_text))
            texts = self.amounts(values, columns)
            if label == "合计":
                if "合计" in self.result.data:
                    continue
                self.result.data["合计"] = texts
                self.result.sources[("合计",)] = row_where(row)
            else:
                self.result.sources[("科目", len(body))] = row_where(row)
                body.append([code, name, *texts])
        if body:
            self.result.data["科目"] = body
        self.result.rows_read = len(used)
        self.leftovers(header, rows, used)

    def paired(self) -> None:
        """Rows classified twice (部门经济分类 beside 政府经济分类), codes in 类/款 columns."""
        columns = self.definition.columns
        rows = self.table.rows

        def is_data(row: list[Cell]) -> bool:
            texts = [clean_text(c.text) for c in row]
            first_text = next((t for t in texts if t), "")
            return (first_text.isdigit() and len(first_text) in (3, 5)) or (
                any(t in _TOTAL for t in texts) and any(is_number(c.text) for c in row)
            )

        header = read_header(rows, is_data)
        mapping = self.column_map(header, columns)
        first = min(mapping.values(), default=6)
        body: list[list[str]] = []
        used: set[int] = set()
        for index, row in enumerate(rows):
            if not is_data(row):
                continue
            last_text = max((j for j, c in enumerate(row) if _is_text(c.text)), default=-1)
            parts: list[list[str]] = [[]]
            names: list[str] = []
            for cell in row[: max(first, last_text + 1)]:
                text = clean_text(cell.text)
                if not text:
                    continue
                if text.isdigit():
                    if len(names) == len(parts):
                        parts.append([])
                    parts[-1].append(text)
                else:
                    names.append(plain(cell.text))
            used.add(index)
            if not any(parts) and names and key(names[0]) in _TOTAL:
                values = self.values(row, mapping, columns, "合计", max(first - 1, last_text))
                self.result.data["合计"] = self.amounts(values, columns)
                self.result.sources[("合计",)] = row_where(row)
                continue
            codes = ["".join(p) for p in parts] + ["", ""]
            names += ["", ""]
            label = f"{codes[0]} {names[0]}"
            values = self.values(row, mapping, columns, label, max(first - 1, last_text))
            self.result.sources[("科目", len(body))] = row_where(row)
            body.append([codes[0], names[0], codes[1], names[1], *self.amounts(values, columns)])
        if body:
            self.result.data["科目"] = body
        self.result.rows_read = len(used)
        self.leftovers(header, rows, used)

    def items(self) -> None:
        """Named items (projects): [名称, 类别, 金额…]."""
        columns = self.definition.columns
        rows = self.table.rows
        header = read_header(rows, has_amount)
        mapping = self.column_map(header, columns)
        first = min(mapping.values(), default=2)
        body: list[list[str]] = []
        used: set[int] = set()
        for index, row in enumerate(rows):
            if not has_amount(row):
                continue
            texts = [plain(c.text) for c in row[:first] if plain(c.text)]
            if not texts:
                continue
            used.add(index)
            values = self.values(row, mapping, columns, texts[0], first - 1)
            if key(texts[0]) in _TOTAL:
                self.result.data["合计"] = self.amounts(values, columns)
                self.result.sources[("合计",)] = row_where(row)
                continue
            self.result.sources[("项目", len(body))] = row_where(row)
            body.append([texts[0], texts[1] if len(texts) > 1 else "", *self.amounts(values, columns)])
        if body:
            self.result.data["项目"] = body
        self.result.rows_read = len(used)
        self.leftovers(header, rows, used)

    # ------------------------------------------------------------ 经济分类 side by side

    def economic(self) -> None:
        definition = self.definition
        column = definition.columns[0]
        found: dict[str, tuple[str, str, str]] = {}
        used: set[int] = set()
        subtotal_keys = {key(s.key): s.key for s in definition.subtotals}
        for index, row in enumerate(self.table.rows):
            for j, cell in enumerate(row):
                text = clean_text(cell.text)
                if _CODE.match(text) and len(text) <= 5 and j + 2 < len(row) + 1:
                    name = plain(_text(row, j + 1))
                    amount = self.read_cell(_cell(row, j + 2), f"{text} {name}", column.label)
                    if text in found:
                        self.finding("error", f"科目代码 {text} 出现了两次", cell.where, f"{text} {name}")
                        continue
                    found[text] = (name, amount.text, cell.where)
                    used.add(index)
                elif key(cell.text) in subtotal_keys:
                    after = next((c for c in row[j + 1 :] if clean_text(c.text)), None)
                    amount = self.read_cell(after, subtotal_keys[key(cell.text)], column.label)
                    self.result.data[subtotal_keys[key(cell.text)]] = amount.text
                    self.result.sources[(subtotal_keys[key(cell.text)],)] = cell.where
                    used.add(index)
        body: list[list[str]] = []
        for code in sorted(found):
            name, text, where = found[code]
            self.result.sources[("科目", len(body))] = where
            body.append([code, name, text])
        if body:
            self.result.data = {"科目": body, **self.result.data}
        self.result.rows_read = len(used)

    # ------------------------------------------------------------ one-row records (三公经费)

    def record(self) -> None:
        definition = self.definition
        columns = definition.columns
        rows = self.table.rows

        def is_data(row: list[Cell]) -> bool:
            return not is_column_numbers(row) and (has_amount(row) or (
                sum(1 for c in row if is_number(c.text)) >= 2 and not any(_is_text(c.text) for c in row)
            ))  # fmt: skip

        header = read_header(rows, is_data)
        data_rows = [(i, r) for i, r in enumerate(rows) if is_data(r)]
        if not data_rows:
            return
        index, row = data_rows[0]
        if len(data_rows) > 1:
            self.finding("warning", f"有 {len(data_rows)} 行数，只导入第一行", data_rows[1][1][0].where)
        width = len(columns)
        marked = {key(r): [j for j, p in enumerate(header.paths) if key(r) in p] for r in definition.records}
        interleaved = all(len(js) == width for js in marked.values())
        for number, record in enumerate(definition.records):
            if interleaved:
                # Each column's header names its record (预算数 | 决算数 under every item).
                group: list[int] | range = marked[key(record)]
                own = Header(header.rows, [[t for t in p if t != key(record)] for p in header.paths])
            else:
                group, own = range(number * width, (number + 1) * width), header
            mapping = match_columns(own, columns, group)
            for position, column in enumerate(columns):
                mapping.setdefault(column.key, group[position])  # the printed order when a header is unclear
            end = group[-1] + 1 if not interleaved else group[0] + 1
            values = self.values(row, mapping, columns, record, group[0] - 1, end)
            self.result.data[record] = self.amounts(values, columns)
            self.result.sources[(record,)] = row_where(row)
        self.result.rows_read = 1

    # ------------------------------------------------------------ 收支总表 (行次 rows, two sides)

    def balance(self) -> None:
        definition = self.definition
        rows = self.table.rows
        labels = {key(r.label): r for side in definition.sides for r in side.rows if r.label}

        def is_data(row: list[Cell]) -> bool:
            texts = [key(c.text) for c in row]
            if any(t in ("项目", "行次", "栏次") for t in texts):
                return False
            return any(t in labels for t in texts) or has_amount(row)

        header = read_header(rows, is_data)
        starts = self.side_starts(header, definition.sides)
        used: set[int] = set()
        for side, start, end in starts:
            line_columns = [j for j in header.columns_named("行次") if start <= j < end]
            within = range(start + 1, end)
            mapping = self.column_map(header, side.columns, within)
            last = 0
            for index, row in enumerate(rows):
                if index < len(header.rows) and row in header.rows:
                    continue
                fixed = self.fixed_row(row, side, start, line_columns, last)
                if fixed is None:
                    continue
                last = fixed.line
                used.add(index)
                label = f"{fixed.line} {fixed.label}"
                after = line_columns[0] if line_columns else start
                values = self.values(row, mapping, side.columns, label, after, end)
                texts = self.amounts(values, side.columns)
                if any(v.value for v in values.values()):
                    self.result.data[fixed.line] = texts[0] if len(side.columns) == 1 else texts
                    self.result.sources[(fixed.line,)] = row_where(row)
        self.result.data = dict(sorted(self.result.data.items()))
        self.result.rows_read = len(used)

    def side_starts(self, header: Header, sides: tuple[Side, ...]) -> list[tuple[Side, int, int]]:
        """Find where each side (收入, 支出) begins, from the header or from the 项目 columns."""
        width = len(header.paths)
        starts: list[int] = []
        for side in sides:
            hits = [
                j for j, p in enumerate(header.paths) if p and p[0] == key(side.label) and j not in starts
            ]
            hit = next((j for j in hits if not starts or j > starts[-1]), None)
            if hit is None or (starts and hit <= starts[-1]):
                break
            # The side label spans its columns; its first column is where the labels are.
            while hit > 0 and header.paths[hit - 1] and header.paths[hit - 1][0] == key(side.label):
                hit -= 1
            starts.append(hit)
        if len(starts) != len(sides):
            items = [j for j, p in enumerate(header.paths) if p and p[-1] == "项目"]
            starts = items[: len(sides)] if len(items) >= len(sides) else [0, width // 2][: len(sides)]
        bounds = [*starts[1:], max(width, 1)]
        return [(side, starts[i], bounds[i]) for i, side in enumerate(sides)]

    def fixed_row(
        self, row: list[Cell], side: Side, start: int, line_columns: list[int], after: int = 0
    ) -> FixedRow | None:
        """Return the profile row a source row's side stands for, by 行次 or else by its label.

        Without 行次, a label printed twice (一般公共预算财政拨款 as income and again under 年初结转)
        is the first such row below the row matched before (`after`)."""
        label = key(_text(row, start))
        line_text = clean_text(_text(row, line_columns[0])) if line_columns else ""
        exact = [r for r in side.rows if r.label and key(r.label) == label]
        loose = [
            r for r in side.rows
            if r.label and label and (label.startswith(key(r.label)) or key(r.label).startswith(label))
        ]  # fmt: skip
        candidates = exact or loose
        by_label = next((r for r in candidates if r.line > after), candidates[0] if candidates else None)
        if line_text.isdigit():
            by_line = next((r for r in side.rows if r.line == int(line_text)), None)
            if by_line is None:
                return None
            same = (
                key(by_line.label) == label
                or label.startswith(key(by_line.label))
                or key(by_line.label).startswith(label)
            )
            if label and by_line.label and not same:
                self.finding(
                    "warning",
                    f"行次 {line_text} 的名称“{plain(_text(row, start))}”与表样“{by_line.label}”不符，按行次导入",
                    row[start].where,
                )
            return by_line if by_line.label else None
        return by_label
