"""Checks within one table: row and column formulas, 类/款/项 sums, codes and names."""

from __future__ import annotations

from decimal import Decimal

from .money import ZERO, format_money, tolerance
from .problems import Problems
from .profile import Side, TableDef
from .tables import Cell, SubjectRow, Table


class Comparer:
    """Compare a printed figure with what it should equal, as a tail note or an error."""

    def __init__(self, problems: Problems, file: str):
        self.problems = problems
        self.file = file

    def compare(
        self,
        found: Cell,
        expected: Decimal,
        parts: int,
        what: str,
        *,
        table: str,
        row: str,
        column: str = "",
    ) -> None:
        """Record a note for a rounding tail, an error beyond it; nothing when equal."""
        diff = abs(found.value - expected)
        if diff == 0:
            return
        text = f"{format_money(found.value)} ≠ {what} {format_money(expected)}（差 {format_money(diff)}"
        where = {"file": self.file, "line": found.line, "table": table, "row": row, "column": column}
        if diff <= tolerance(parts):
            self.problems.note(text + "，属尾差）", **where)
        else:
            self.problems.error(text + "）", **where)


def nonzero_parts(values: list[Decimal]) -> int:
    """Count the printed parts that can carry a rounding error (non-zero ones)."""
    return max(1, sum(1 for v in values if v != 0))


def _describe_lines(formula: tuple[tuple[int, int], ...]) -> str:
    lines = [line for _, line in formula]
    signs = [sign for sign, _ in formula]
    if len(lines) > 2 and all(s == 1 for s in signs) and lines == list(range(lines[0], lines[-1] + 1)):
        return f"第{lines[0]}至{lines[-1]}行之和"
    text = ""
    for sign, line in formula:
        text += ("−" if sign < 0 else ("+" if text else "")) + str(line)
    return f"第{text}行"


def check_balance(table: Table, cmp: Comparer) -> None:
    """Check a balance table's total rows and its per-row column formulas."""
    definition = table.definition
    for side in definition.sides:
        for row in side.rows:
            cells = table.lines.get(row.line)
            if not cells:
                continue
            label = f"{row.line} {row.label}"
            if row.formula:
                for column in side.columns:
                    cell = cells[column.key]
                    if not cell.typed:
                        continue
                    parts = [sign * table.lines[line][column.key].value for sign, line in row.formula]
                    expected = sum(parts, ZERO)
                    if cell.value == expected:
                        continue
                    cmp.compare(
                        cell, expected, nonzero_parts(parts), _describe_lines(row.formula),
                        table=definition.number, row=label, column=column.label,
                    )  # fmt: skip
            _check_columns(cells, side, cmp, definition.number, label)


def _check_columns(
    cells: dict[str, Cell], owner: Side | TableDef, cmp: Comparer, table: str, row: str
) -> None:
    """Check one row's cells in the columns of `owner` (a table or a side) that have a formula."""
    for column in owner.formula_columns:
        cell = cells[column.key]
        if not cell.typed:
            continue
        expected = ZERO
        for t in column.formula:
            part = cells.get(t.name)
            if part is not None:
                expected += t.sign * part.value
        if cell.value == expected:
            continue  # the usual case: no description to build
        parts = [t.sign * cells[t.name].value for t in column.formula if t.name in cells]
        names = "".join(
            ("−" if t.sign < 0 else ("+" if i else "")) + (cells_label(owner.columns, t.name))
            for i, t in enumerate(column.formula)
        )
        cmp.compare(
            cell, expected, nonzero_parts(parts), names,
            table=table, row=row, column=column.label,
        )  # fmt: skip


def cells_label(columns: tuple, key: str) -> str:
    """Return a column's printed label."""
    for column in columns:
        if column.key == key:
            return str(column.label)
    return key


def children_by_parent(rows: list[SubjectRow]) -> dict[str, list[SubjectRow]]:
    """Group rows under the code one level up (款 under 类, 项 under 款)."""
    children: dict[str, list[SubjectRow]] = {}
    for row in rows:
        if len(row.code) > 3:
            children.setdefault(row.code[:-2], []).append(row)
    return children


def check_subject(table: Table, cmp: Comparer, problems: Problems) -> None:
    """Check a 科目 table: column formulas per row, nesting, and 类/款/项 and 合计 sums."""
    definition = table.definition
    columns = definition.columns
    codes = {r.code for r in table.rows}
    grouped = children_by_parent(table.rows)
    for row in table.rows:
        label = f"{row.code} {row.name}"
        _check_columns(row.cells, definition, cmp, definition.number, label)
        if len(row.code) > 3 and row.code[:-2] not in codes:
            problems.error(
                f"上级科目 {row.code[:-2]} 未列出（科目应按类、款、项逐级列示）",
                file=cmp.file, line=row.line, table=definition.number, row=label,
            )  # fmt: skip
        children = grouped.get(row.code)
        if children:
            _check_sum(row, children, columns, cmp, definition.number, "下级科目之和")
    if table.total is not None:
        _check_columns(table.total.cells, definition, cmp, definition.number, "合计")
        classes = [r for r in table.rows if len(r.code) == 3]
        if table.total.cells and any(c.typed for c in table.total.cells.values()):
            _check_sum(table.total, classes, columns, cmp, definition.number, "各类之和")


def _check_sum(
    parent: SubjectRow, children: list[SubjectRow], columns: tuple, cmp: Comparer, table: str, what: str
) -> None:
    for column in columns:
        key = column.key
        cell = parent.cells.get(key)
        if cell is None or not cell.typed:
            continue
        # The same additions as sum() over the parts (a missing cell adds zero), without the list.
        expected = ZERO
        for child in children:
            part = child.cells.get(key)
            expected += part.value if part else ZERO
        if cell.value == expected:
            continue
        parts = [c.value(key) for c in children]
        label = "合计" if parent.code == "合计" else f"{parent.code} {parent.name}"
        cmp.compare(
            cell, expected, nonzero_parts(parts), what,
            table=table, row=label, column=column.label,
        )  # fmt: skip


def check_economic(table: Table, cmp: Comparer, problems: Problems) -> None:
    """Check the 经济分类 table: 类 = its 款, subtotals = their classes, every class placed."""
    definition = table.definition
    placed = {code for group in definition.groups for code in group}
    key = definition.columns[0].key
    codes = {r.code for r in table.rows}
    grouped = children_by_parent(table.rows)
    for row in table.rows:
        label = f"{row.code} {row.name}"
        if row.code[:3] not in placed:
            problems.error(
                f"经济分类 {row.code[:3]} 不在本表的人员经费或公用经费分组中",
                file=cmp.file, line=row.line, table=definition.number, row=label,
            )  # fmt: skip
        if len(row.code) == 5 and row.code[:3] not in codes:
            problems.error(
                f"上级科目 {row.code[:3]} 未列出", file=cmp.file, line=row.line,
                table=definition.number, row=label,
            )  # fmt: skip
        children = grouped.get(row.code)
        if children:
            _check_sum(row, children, definition.columns, cmp, definition.number, "下级科目之和")
    for subtotal in definition.subtotals:
        cell = table.subtotals.get(subtotal.key)
        if cell is None or not cell.typed:
            continue
        parts = [r.value(key) for r in table.rows if r.code in subtotal.classes]
        cmp.compare(
            cell, sum(parts, ZERO), nonzero_parts(parts),
            "、".join(subtotal.classes) + " 各类之和",
            table=definition.number, row=subtotal.key, column=definition.columns[0].label,
        )  # fmt: skip


def check_record(table: Table, cmp: Comparer) -> None:
    """Check a one-row-per-record table such as 三公经费 (合计 = parts, 小计 = parts)."""
    for record, cells in table.records.items():
        _check_columns(cells, table.definition, cmp, table.definition.number, record)


def check_paired(table: Table, cmp: Comparer, problems: Problems) -> None:
    """Check a table classified twice (部门经济分类 beside 政府经济分类): each 类 row is the sum of the
    款 rows under it (same 部门 类 and same 政府 类), 款 codes nest under both 类, 合计 = the 类 rows."""
    definition = table.definition
    columns = definition.columns
    classes = [r for r in table.rows if len(r.code) == 3]
    pairs = {(r.code, r.code2) for r in classes}
    by_class: dict[tuple[str, str], list[SubjectRow]] = {}
    for row in table.rows:
        if len(row.code) == 5:
            by_class.setdefault((row.code[:3], row.code2[:3]), []).append(row)
    for row in table.rows:
        label = f"{row.code} {row.name}"
        _check_columns(row.cells, definition, cmp, definition.number, label)
        if len(row.code) == 3:
            children = by_class.get((row.code, row.code2))
            if children:
                _check_sum(row, children, columns, cmp, definition.number, f"{row.code2}下各款之和")
        elif (row.code[:3], row.code2[:3]) not in pairs:
            problems.error(
                f"没有 {row.code[:3]}（部门经济分类）与 {row.code2[:3]}（政府经济分类）这一类行，款不能单独列示",
                file=cmp.file, line=row.line, table=definition.number, row=label,
            )  # fmt: skip
    if table.total is not None:
        _check_columns(table.total.cells, definition, cmp, definition.number, "合计")
        if any(c.typed for c in table.total.cells.values()):
            _check_sum(table.total, classes, columns, cmp, definition.number, "各类之和")


def check_items(table: Table, cmp: Comparer) -> None:
    """Check a list of items (projects): column formulas per row, 合计 = the items."""
    definition = table.definition
    for row in table.rows:
        _check_columns(row.cells, definition, cmp, definition.number, row.name)
    if table.total is not None:
        _check_columns(table.total.cells, definition, cmp, definition.number, "合计")
        if any(c.typed for c in table.total.cells.values()):
            _check_sum(table.total, table.rows, definition.columns, cmp, definition.number, "各项目之和")


def check_empty_note(table: Table, problems: Problems, file: str) -> None:
    """A table whose note says it has no data must hold only zeros."""
    if table.note and "无数据" in table.note and not table.is_empty():
        problems.error(
            "注释写着“本表无数据”，但表中有非零金额",
            file=file, line=table.line, table=table.definition.number,
        )  # fmt: skip


def check_table(table: Table, cmp: Comparer, problems: Problems) -> None:
    """Run every within-table check that fits the table's layout."""
    layout = table.definition.layout
    if layout == "balance":
        check_balance(table, cmp)
    elif layout == "subject":
        check_subject(table, cmp, problems)
    elif layout == "economic":
        check_economic(table, cmp, problems)
    elif layout == "record":
        check_record(table, cmp)
    elif layout == "paired":
        check_paired(table, cmp, problems)
    elif layout == "items":
        check_items(table, cmp)
    check_empty_note(table, problems, cmp.file)
