"""Turn a report's raw `表` data into typed tables of exact amounts, each cell located."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .money import ZERO, AmountError, parse_amount
from .problems import Problems
from .profile import Column, TableDef
from .tables import Cell, SubjectRow, Table
from .yamlsource import YamlDoc

_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
_PAIRED_CODE = re.compile(r"^\d{3}(\d{2})?$")
# An amount as almost every cell is typed: read by Decimal as is, with at most two decimals.
plain_amount = re.compile(r"-?[0-9]+(?:\.[0-9]{1,2})?").fullmatch


class TableReader:
    """Read the `表` mapping of one report file, reporting every problem with its line."""

    def __init__(self, doc: YamlDoc, file: str, problems: Problems):
        self.doc = doc
        self.file = file
        self.problems = problems
        # The plain amounts read so far in this report: a figure recurs across columns and tables.
        self.plain: dict[str, Decimal] = {}

    def amount(self, raw: Any, path: tuple[Any, ...], table: str, row: str, column: str) -> Cell:
        """Read one amount, or record a located error and return zero."""
        if isinstance(raw, str):
            if plain_amount(raw):
                # The plain numbers that make up almost every table: nothing left to check.
                return Cell(Decimal(raw), self.doc.line(*path))
            try:
                value = Decimal(raw)
                if value.is_finite() and value.as_tuple().exponent >= -2:  # type: ignore[operator]
                    return Cell(value, self.doc.line(*path))
            except ArithmeticError:
                pass
        line = self.doc.line(*path)
        if isinstance(raw, (list, dict)):
            self.problems.error(
                "此处应为金额", file=self.file, line=line, table=table, row=row, column=column
            )
            return Cell(ZERO, line)
        try:
            value = parse_amount(raw)
            if value.as_tuple().exponent < -2:  # type: ignore[operator]
                raise AmountError(str(raw))
            return Cell(value, line)
        except AmountError:
            self.problems.error(
                f"应为金额（万元，最多两位小数），实际写的是“{raw}”",
                file=self.file,
                line=line,
                table=table,
                row=row,
                column=column,
            )
            return Cell(ZERO, line)

    def read(self, definition: TableDef, raw: Any, path: tuple[Any, ...]) -> Table:
        """Read one table according to its layout."""
        table = Table(definition, line=self.doc.line(*path), present=raw is not None)
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            self.problems.error(
                "表的内容应为“键: 值”的形式（见 data/README.md）",
                file=self.file,
                line=table.line,
                table=definition.number,
            )
            raw = {}
        if raw.get("注"):
            table.note = str(raw["注"])
        reader = {
            "balance": self._balance,
            "subject": self._subject,
            "economic": self._economic,
            "record": self._record,
            "paired": self._paired,
            "items": self._items,
        }[definition.layout]
        known = reader(table, raw, path)
        for key in raw:
            if key not in known and key != "注":
                self.problems.error(
                    f"表中没有“{key}”这一项",
                    file=self.file,
                    line=self.doc.line(*path, key),
                    table=definition.number,
                )
        return table

    def _values(
        self,
        raw: Any,
        columns: tuple[Column, ...],
        path: tuple[Any, ...],
        table: str,
        row: str,
    ) -> dict[str, Cell]:
        line = self.doc.line(*path)
        if isinstance(raw, list):
            return self._row_cells(raw, 0, columns, path, line, table, row)
        self._check_count(1, columns, path, table, row)
        if not columns:
            return {}
        # One amount for the first column; an omitted trailing amount is a zero as printed
        # (data/README.md), so it is checked.
        cells = {column.key: Cell(ZERO, line) for column in columns[1:]}
        return {columns[0].key: self.amount(raw, path, table, row, columns[0].label), **cells}

    def _check_count(
        self, count: int, columns: tuple[Column, ...], path: tuple[Any, ...], table: str, row: str
    ) -> None:
        if count > len(columns):
            self.problems.error(
                f"有 {count} 个金额，但这一行只有 {len(columns)} 列（{'、'.join(c.label for c in columns)}）",
                file=self.file,
                line=self.doc.line(*path),
                table=table,
                row=row,
            )

    def _row_cells(
        self,
        item: list[Any],
        start: int,
        columns: tuple[Column, ...],
        path: tuple[Any, ...],
        line: int | None,
        table: str,
        row: str,
    ) -> dict[str, Cell]:
        """Read a list row's amounts from item `start` on, each cell located at its own item.

        The hot loop of reading a report. line: the row's own (YamlDoc.line of path). A problem is
        located where it always was: at the item `start` places before the amount's own (the row's
        line whenever the row is on one line).
        """
        self._check_count(len(item) - start, columns, path, table, row)
        cells: dict[str, Cell] = {}
        lines, plain = self.doc.lines, self.plain
        # Items of a sequence never go back a line: when the first and last amounts share one, so do
        # all of them (a row typed on one line, as nearly all are), and no per-item look-up is needed.
        # An item on its row's line has no line of its own: it is on `line`, the row's (as YamlDoc.line).
        first, last = lines.get((*path, start), line), lines.get((*path, len(item) - 1), line)
        one_line = first if first is not None and first == last else None
        for i, column in enumerate(columns, start):
            if i >= len(item):
                # An omitted trailing amount is a zero as printed (data/README.md), so it is checked.
                cells[column.key] = Cell(ZERO, line)
                continue
            at_line = one_line
            if at_line is None:
                at_line = lines.get((*path, i))
                if at_line is None:
                    at_line = self.doc.line(*path, i)
            value = item[i]
            amount = plain.get(value) if type(value) is str else None
            if amount is None and type(value) is str and plain_amount(value):
                amount = plain[value] = Decimal(value)
            if amount is not None:
                cells[column.key] = Cell(amount, at_line)
            else:
                cell = self.amount(value, (*path, i - start), table, row, column.label)
                cell.line = at_line
                cells[column.key] = cell
        return cells

    def _balance(self, table: Table, raw: dict[str, Any], path: tuple[Any, ...]) -> set[str]:
        definition = table.definition
        known: set[str] = set()
        for key, value in raw.items():
            if key == "注":
                continue
            try:
                line = int(str(key))
            except ValueError:
                continue
            row = definition.fixed_row(line)
            side = definition.side_of(line)
            if row is None or side is None or (not row.label):
                self.problems.error(
                    f"第 {line} 行次在表样中不存在或不填数",
                    file=self.file,
                    line=self.doc.line(*path, key),
                    table=definition.number,
                )
                known.add(key)
                continue
            known.add(key)
            label = f"{line} {row.label}"
            table.lines[line] = self._values(value, side.columns, (*path, key), definition.number, label)
        for side in definition.sides:
            for row in side.rows:
                if row.label and row.line not in table.lines:
                    table.lines[row.line] = {c.key: Cell(ZERO, table.line, False) for c in side.columns}
        self._compute_balance(table)
        return known

    def _compute_balance(self, table: Table) -> None:
        """Fill formula rows that were not typed, in dependency order."""
        lines = table.lines
        for side, row in table.definition.formula_order:
            cells = lines[row.line]
            for column in side.columns:
                key = column.key
                if cells[key].typed:
                    continue
                total = ZERO
                for sign, part in row.formula:
                    part_cells = lines.get(part)
                    if part_cells and key in part_cells:
                        total += sign * part_cells[key].value
                cells[key] = Cell(total, cells[key].line, False)

    def _subject_row(
        self, raw: Any, path: tuple[Any, ...], definition: TableDef, columns: tuple[Column, ...]
    ) -> SubjectRow | None:
        line = self.doc.lines.get(path) or self.doc.line(*path)
        if not isinstance(raw, list) or len(raw) < 2:
            self.problems.error(
                "科目行应写成 [科目代码, 科目名称, 金额, …]",
                file=self.file,
                line=line,
                table=definition.number,
            )
            return None
        code = str(raw[0]).strip()
        name = str(raw[1]).strip() if raw[1] is not None else ""
        if not _CODE.match(code) or (definition.classification == "economic" and len(code) > 5):
            self.problems.error(
                f"科目代码“{code}”格式不对（类 3 位、款 5 位"
                + ("、项 7 位数字）" if definition.classification != "economic" else " 数字）"),
                file=self.file,
                line=line,
                table=definition.number,
                row=f"{code} {name}",
            )
            return None
        cells = self._row_cells(raw, 2, columns, path, line, definition.number, f"{code} {name}")
        return SubjectRow(code, name, cells, line)

    def _subject_rows(
        self, table: Table, raw: dict[str, Any], path: tuple[Any, ...], columns: tuple[Column, ...]
    ) -> None:
        rows = raw.get("科目") or []
        if not isinstance(rows, list):
            self.problems.error(
                "“科目”应为列表，每行一个科目",
                file=self.file,
                line=self.doc.line(*path, "科目"),
                table=table.definition.number,
            )
            return
        seen: dict[str, int | None] = {}
        for i, item in enumerate(rows):
            row = self._subject_row(item, (*path, "科目", i), table.definition, columns)
            if row is None:
                continue
            if row.code in seen:
                self.problems.error(
                    f"科目代码重复（第 {seen[row.code]} 行已有）",
                    file=self.file,
                    line=row.line,
                    table=table.definition.number,
                    row=f"{row.code} {row.name}",
                )
                continue
            seen[row.code] = row.line
            table.rows.append(row)

    def _subject(self, table: Table, raw: dict[str, Any], path: tuple[Any, ...]) -> set[str]:
        definition = table.definition
        self._subject_rows(table, raw, path, definition.columns)
        if "合计" in raw:
            cells = self._values(raw["合计"], definition.columns, (*path, "合计"), definition.number, "合计")
            table.total = SubjectRow("合计", "合计", cells, self.doc.line(*path, "合计"))
        else:
            table.total = SubjectRow(
                "合计",
                "合计",
                {
                    c.key: Cell(
                        sum((r.value(c.key) for r in table.rows if r.level == "类"), ZERO),
                        table.line,
                        typed=False,
                    )
                    for c in definition.columns
                },
                table.line,
            )
        return {"科目", "合计"}

    def _economic(self, table: Table, raw: dict[str, Any], path: tuple[Any, ...]) -> set[str]:
        definition = table.definition
        self._subject_rows(table, raw, path, definition.columns)
        key = definition.columns[0].key
        label = definition.columns[0].label
        for subtotal in definition.subtotals:
            if subtotal.key in raw:
                table.subtotals[subtotal.key] = self.amount(
                    raw[subtotal.key], (*path, subtotal.key), definition.number, subtotal.key, label
                )
            else:
                value = sum((r.value(key) for r in table.rows if r.code in subtotal.classes), ZERO)
                table.subtotals[subtotal.key] = Cell(value, table.line, typed=False)
        return {"科目", *(s.key for s in definition.subtotals)}

    def _record(self, table: Table, raw: dict[str, Any], path: tuple[Any, ...]) -> set[str]:
        definition = table.definition
        for record in definition.records:
            value = raw.get(record, [])
            table.records[record] = self._values(
                value, definition.columns, (*path, record), definition.number, record
            )
        return set(definition.records)

    def _total(
        self, table: Table, raw: dict[str, Any], path: tuple[Any, ...], rows: list[SubjectRow]
    ) -> None:
        """Read the typed 合计 row, or sum the given rows when it is not typed."""
        definition = table.definition
        if "合计" in raw:
            cells = self._values(raw["合计"], definition.columns, (*path, "合计"), definition.number, "合计")
            table.total = SubjectRow("合计", "合计", cells, self.doc.line(*path, "合计"))
            return
        cells = {
            c.key: Cell(sum((r.value(c.key) for r in rows), ZERO), table.line, typed=False)
            for c in definition.columns
        }
        table.total = SubjectRow("合计", "合计", cells, table.line)

    def _paired(self, table: Table, raw: dict[str, Any], path: tuple[Any, ...]) -> set[str]:
        """Rows classified twice: [部门经济分类代码, 名称, 政府经济分类代码, 名称, 金额…]."""
        definition = table.definition
        rows = raw.get("科目") or []
        if not isinstance(rows, list):
            rows = []
            self.problems.error(
                "“科目”应为列表，每行一个科目", file=self.file,
                line=self.doc.line(*path, "科目"), table=definition.number,
            )  # fmt: skip
        seen: dict[tuple[str, str], int | None] = {}
        for i, item in enumerate(rows):
            item_path = (*path, "科目", i)
            line = self.doc.line(*item_path)
            if not isinstance(item, list) or len(item) < 4:
                self.problems.error(
                    "此表每行应写成 [部门经济分类代码, 名称, 政府经济分类代码, 名称, 金额, …]",
                    file=self.file, line=line, table=definition.number,
                )  # fmt: skip
                continue
            code, name = str(item[0]).strip(), str(item[1] or "").strip()
            code2, name2 = str(item[2]).strip(), str(item[3] or "").strip()
            label = f"{code} {name}"
            if not (_PAIRED_CODE.match(code) and _PAIRED_CODE.match(code2)) or len(code) != len(code2):
                self.problems.error(
                    f"科目代码“{code}”“{code2}”格式不对（类 3 位、款 5 位数字，两种分类同级）",
                    file=self.file, line=line, table=definition.number, row=label,
                )  # fmt: skip
                continue
            if (code, code2) in seen:
                self.problems.error(
                    f"科目代码重复（第 {seen[(code, code2)]} 行已有）",
                    file=self.file, line=line, table=definition.number, row=label,
                )  # fmt: skip
                continue
            seen[(code, code2)] = line
            cells = self._row_cells(item, 4, definition.columns, item_path, line, definition.number, label)
            table.rows.append(SubjectRow(code, name, cells, line, code2, name2))
        self._total(table, raw, path, [r for r in table.rows if len(r.code) == 3])
        return {"科目", "合计"}

    def _items(self, table: Table, raw: dict[str, Any], path: tuple[Any, ...]) -> set[str]:
        """A list of named items (projects): [名称, 类别, 金额…]."""
        definition = table.definition
        rows = raw.get("项目") or []
        if not isinstance(rows, list):
            rows = []
            self.problems.error(
                "“项目”应为列表，每行一个项目", file=self.file,
                line=self.doc.line(*path, "项目"), table=definition.number,
            )  # fmt: skip
        seen: dict[str, int | None] = {}
        for i, item in enumerate(rows):
            item_path = (*path, "项目", i)
            line = self.doc.line(*item_path)
            if not isinstance(item, list) or len(item) < 2 or not str(item[0] or "").strip():
                self.problems.error(
                    "项目行应写成 [项目名称, 项目类别, 金额, …]",
                    file=self.file, line=line, table=definition.number,
                )  # fmt: skip
                continue
            name, category = str(item[0]).strip(), str(item[1] or "").strip()
            if name in seen:
                self.problems.error(
                    f"项目名称重复（第 {seen[name]} 行已有）",
                    file=self.file, line=line, table=definition.number, row=name,
                )  # fmt: skip
                continue
            seen[name] = line
            cells = self._row_cells(item, 2, definition.columns, item_path, line, definition.number, name)
            table.rows.append(SubjectRow(name, name, cells, line, "", category))
        self._total(table, raw, path, table.rows)
        return {"项目", "合计"}
