"""Lay out each table as the official document prints it: header rows and body rows of cells."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from types import MappingProxyType

from .money import ZERO, format_money
from .profile import Column, TableDef
from .table_notes import fill_year, filled_notes
from .tables import Cell, SubjectRow, Table

# Most cells have no attributes; they share this one (read-only) mapping instead of a dict each.
_NO_ATTRS: Mapping[str, str] = MappingProxyType({})


@dataclass(slots=True)
class ViewCell:
    """One cell to print: text, header or data, spans and machine-readable attributes."""

    text: str = ""
    header: bool = False
    scope: str = ""
    colspan: int = 1
    rowspan: int = 1
    css: str = ""
    # Never changed once the cell is made: the cells of a column may share one mapping.
    attrs: Mapping[str, str] = field(default_factory=lambda: _NO_ATTRS)


@dataclass(slots=True)
class ViewRow:
    """A printed row with its attributes (data-code, data-line …)."""

    cells: list[ViewCell]
    css: str = ""
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class TableView:
    """A table ready for the template: caption, header, body, note."""

    id: str
    number: str
    title: str
    header: list[ViewRow]
    body: list[ViewRow]
    foot: list[ViewRow]
    note: str
    empty: bool
    wide: bool
    show_number: bool = True
    remark: str = ""

    @property
    def heading(self) -> str:
        """Return the heading as the template prints it: 公开02表 收入决算表, or the title alone."""
        return f"{self.number} {self.title}" if self.show_number else self.title


def money_cell(cell: Cell | None, column: Column, blank_zero: bool, **attrs: str) -> ViewCell:
    """Return a right-aligned amount cell carrying its column key."""
    return amount_cell(cell, blank_zero, {"data-col": column.key, **attrs})


def amount_cell(cell: Cell | None, blank_zero: bool, attrs: Mapping[str, str]) -> ViewCell:
    """Return a right-aligned amount cell with the given attributes (data-col and any others)."""
    text = format_money(cell.value, blank_zero) if cell else ""
    return ViewCell(text, css="num", attrs=attrs)


def amount_cells(
    cells: dict[str, Cell], columns: list[Mapping[str, str]], blank_zero: bool
) -> list[ViewCell]:
    """Return a row's amount cells, one per column (columns: each one's shared attributes)."""
    return [amount_cell(cells.get(a["data-col"]), blank_zero, a) for a in columns]


def column_attrs(columns: Sequence[Column]) -> list[Mapping[str, str]]:
    """Return each column's attributes, made once per table and shared by its cells."""
    return [MappingProxyType({"data-col": c.key}) for c in columns]


def _header_rows(definition: TableDef) -> list[ViewRow]:
    rows: list[ViewRow] = []
    for raw in definition.header:
        cells = [
            ViewCell(c["text"], header=True, scope="col", colspan=c["colspan"], rowspan=c["rowspan"])
            for c in raw
        ]
        rows.append(ViewRow(cells))
    return _merge_blank_headers(rows)


def _merge_blank_headers(rows: list[ViewRow]) -> list[ViewRow]:
    """A blank cell under a single-column header belongs to the header above: span it down."""
    if len(rows) < 2:
        return rows
    top, below = rows[0], rows[1]
    position = 0
    kept: list[ViewCell] = []
    columns_top: list[ViewCell] = []
    for cell in top.cells:
        columns_top.extend([cell] * cell.colspan)
    for cell in below.cells:
        owner = columns_top[position] if position < len(columns_top) else None
        if cell.text == "" and owner is not None and owner.colspan == 1:
            owner.rowspan = max(owner.rowspan, 2)
        else:
            kept.append(cell)
        position += cell.colspan
    below.cells = kept
    return [row for row in rows if row.cells]


def _column_numbers(first_span: int, count: int, label: str = "栏次") -> ViewRow:
    cells = [ViewCell(label, header=True, scope="row", colspan=first_span)] if first_span else []
    cells += [ViewCell(str(i), header=True, scope="col", css="colno") for i in range(1, count + 1)]
    return ViewRow(cells, css="column-numbers")


def balance_view(table: Table, blank_zero: bool) -> tuple[list[ViewRow], list[ViewRow]]:
    """Lay out a two-sided table (收入 | 支出) with 行次, as 公开01表 and 公开04表 print."""
    definition = table.definition
    sides = definition.sides
    numbered = definition.line_numbers
    header = (
        _plain_balance_header(definition)
        if not numbered
        else [
            ViewRow(
                [ViewCell(s.label, header=True, scope="colgroup", colspan=2 + len(s.columns)) for s in sides]
            ),
            ViewRow(
                [
                    cell
                    for s in sides
                    for cell in (
                        ViewCell("项目", header=True, scope="col"),
                        ViewCell("行次", header=True, scope="col"),
                        *(ViewCell(c.label, header=True, scope="col") for c in s.columns),
                    )
                ]
            ),
        ]
    )
    numbers: list[ViewCell] = []
    counter = 0
    for s in sides:
        numbers += [ViewCell("栏次", header=True, scope="row"), ViewCell("", header=True)]
        for _ in s.columns:
            counter += 1
            numbers.append(ViewCell(str(counter), header=True, scope="col", css="colno"))
    if numbered:
        header.append(ViewRow(numbers, css="column-numbers"))
    body: list[ViewRow] = []
    for pair in zip_longest(*(s.rows for s in sides)):
        cells: list[ViewCell] = []
        attrs: dict[str, str] = {}
        css = ""
        for side, row in zip(sides, pair, strict=False):
            if row is None:
                cells += [ViewCell()] * (1 + numbered) + [ViewCell() for _ in side.columns]
                continue
            label_css = f"indent-{row.indent}" if row.indent else ""
            cells.append(ViewCell(row.label, header=bool(row.label), scope="row", css=label_css))
            if numbered:
                cells.append(ViewCell(str(row.line), css="line"))
            if row.label:
                values = table.lines.get(row.line, {})
                extra = {"data-line": str(row.line), **({"data-code": row.code} if row.code else {})}
                cells += [money_cell(values.get(c.key), c, blank_zero, **extra) for c in side.columns]
            else:
                cells += [ViewCell(css="num") for _ in side.columns]
            if row.total:
                css = "total"
            attrs.setdefault("data-lines", "")
            attrs["data-lines"] = (attrs["data-lines"] + " " + str(row.line)).strip()
        body.append(ViewRow(cells, css=css, attrs=attrs))
    return header, body


def _plain_balance_header(definition: TableDef) -> list[ViewRow]:
    """Header of a balance table printed without 行次: side labels, 项目 and each side's columns
    (under the side's group label, e.g. 预算数 over 总计 | 一般公共预算 | 政府性基金预算)."""
    sides = definition.sides
    deep = any(s.group and len(s.columns) > 1 for s in sides)
    top = ViewRow(
        [ViewCell(s.label, header=True, scope="colgroup", colspan=1 + len(s.columns)) for s in sides]
    )
    second: list[ViewCell] = []
    third: list[ViewCell] = []
    for s in sides:
        second.append(ViewCell("项目", header=True, scope="col", rowspan=1 + deep))
        if s.group and len(s.columns) > 1:
            second.append(ViewCell(s.group, header=True, scope="colgroup", colspan=len(s.columns)))
            third += [ViewCell(c.label, header=True, scope="col") for c in s.columns]
        else:
            second += [ViewCell(c.label, header=True, scope="col", rowspan=1 + deep) for c in s.columns]
    return [top, ViewRow(second)] + ([ViewRow(third)] if deep else [])


def _code_cells(code: str, count: int, total: bool) -> list[ViewCell]:
    """The 科目编码 as printed: one column, or 类 | 款 | 项 with each row's own part only."""
    if count == 1:
        return [ViewCell("" if total else code, css="code")]
    parts = ["", "", ""]
    if not total:
        index = {3: 0, 5: 1, 7: 2}.get(len(code), 0)
        parts[index] = code if index == 0 else code[-2:]
    return [ViewCell(p, css="code") for p in parts[:count]]


def subject_view(table: Table, blank_zero: bool) -> tuple[list[ViewRow], list[ViewRow]]:
    """Lay out a 科目 table: code, name (indented by level), amounts in official column order."""
    definition = table.definition
    header = _header_rows(definition)
    if definition.column_numbers:
        header.append(_column_numbers(2, len(definition.columns)))
    body: list[ViewRow] = []
    total_row = [table.total] if table.total else []
    bottom = definition.total_position == "bottom"
    rows: list[SubjectRow] = table.rows + total_row if bottom else total_row + table.rows
    columns = column_attrs(definition.columns)
    for row in rows:
        total = row.code == "合计"
        level = {3: "lei", 5: "kuan", 7: "xiang"}.get(len(row.code), "total")
        cells = [
            *_code_cells(row.code, definition.code_columns, total),
            ViewCell("合计" if total else row.name, header=True, scope="row", css=f"name {level}"),
        ]
        cells += amount_cells(row.cells, columns, blank_zero)
        attrs = {"data-row": "合计"} if total else {"data-code": row.code, "data-level": row.level}
        body.append(ViewRow(cells, css="total" if total else level, attrs=attrs))
    return header, body


def economic_view(table: Table, blank_zero: bool) -> tuple[list[ViewRow], list[ViewRow], list[ViewRow]]:
    """Lay out the 经济分类 table in side-by-side groups, with 人员经费/公用经费 totals below."""
    definition = table.definition
    column = definition.columns[0]
    header = _header_rows(definition)
    groups = [[r for c in classes for r in _class_rows(table, c)] for classes in definition.groups]
    body: list[ViewRow] = []
    for line in zip_longest(*groups):
        cells: list[ViewCell] = []
        codes: list[str] = []
        for row in line:
            if row is None:
                cells += [ViewCell(), ViewCell(), ViewCell(css="num")]
                continue
            level = "lei" if len(row.code) == 3 else "kuan"
            codes.append(row.code)
            cells += [
                ViewCell(row.code, css="code", attrs={"data-code": row.code}),
                ViewCell(row.name, header=True, scope="row", css=f"name {level}"),
                money_cell(row.cells.get(column.key), column, blank_zero, **{"data-code": row.code}),
            ]
        body.append(ViewRow(cells, attrs={"data-codes": " ".join(codes)}))
    foot: list[ViewRow] = []
    subtotal_cells: list[ViewCell] = []
    width = 3 * len(definition.groups)
    spans = _subtotal_spans(definition, width)
    for subtotal, span in zip(definition.subtotals, spans, strict=False):
        subtotal_cells += [
            ViewCell(subtotal.key, header=True, scope="row", colspan=span - 1),
            money_cell(table.subtotals.get(subtotal.key), column, blank_zero, **{"data-row": subtotal.key}),
        ]
    if subtotal_cells:
        foot.append(ViewRow(subtotal_cells, css="total"))
    return header, body, foot


def _class_rows(table: Table, class_code: str) -> list[SubjectRow]:
    """A class's rows as printed: the template's rows in its order (zero when not typed), then any others."""
    typed = [r for r in table.rows if r.code[:3] == class_code]
    printed = [(code, name) for code, name in table.definition.template_rows if code[:3] == class_code]
    if not printed:
        return typed
    by_code = {r.code: r for r in typed}
    key = table.definition.columns[0].key
    rows = [
        by_code.get(code) or SubjectRow(code, name, {key: Cell(ZERO, typed=False)}) for code, name in printed
    ]
    listed = {code for code, _ in printed}
    return rows + [r for r in typed if r.code not in listed]


def _subtotal_spans(definition: TableDef, width: int) -> list[int]:
    """Split the table width among the subtotals by how many groups their classes fill."""
    spans: list[int] = []
    for subtotal in definition.subtotals:
        groups = sum(1 for g in definition.groups if set(g) & set(subtotal.classes))
        spans.append(3 * max(groups, 1))
    if spans and sum(spans) != width:
        spans[-1] += width - sum(spans)
    return spans


def record_view(table: Table, blank_zero: bool) -> tuple[list[ViewRow], list[ViewRow]]:
    """Lay out a one-line table of records side by side (三公经费 预算数 | 决算数)."""
    definition = table.definition
    header = _header_rows(definition)
    count = len(definition.columns) * len(definition.records)
    if definition.column_numbers:
        header.append(_column_numbers(0, count))
    if definition.record_order == "interleaved":
        order = [(c, r) for c in definition.columns for r in definition.records]
    else:
        order = [(c, r) for r in definition.records for c in definition.columns]
    cells = [
        money_cell(table.records.get(record, {}).get(c.key), c, blank_zero, **{"data-record": record})
        for c, record in order
    ]
    return header, [ViewRow(cells, attrs={"data-row": "金额"})]


def paired_view(table: Table, blank_zero: bool) -> tuple[list[ViewRow], list[ViewRow]]:
    """Lay out a table classified twice: 部门经济分类 类 | 款 | 名称 | 政府经济分类 类 | 款 | 名称 | amounts."""
    definition = table.definition
    header = _header_rows(definition)
    body: list[ViewRow] = []
    columns = column_attrs(definition.columns)
    if table.total is not None:
        cells = [ViewCell(), ViewCell(), ViewCell("合计", header=True, scope="row", css="name total")]
        cells += [ViewCell(), ViewCell(), ViewCell()]
        cells += amount_cells(table.total.cells, columns, blank_zero)
        body.append(ViewRow(cells, css="total", attrs={"data-row": "合计"}))
    for row in table.rows:
        level = "lei" if len(row.code) == 3 else "kuan"
        cells = [
            ViewCell(row.code[:3], css="code"),
            ViewCell(row.code[3:], css="code"),
            ViewCell(row.name, header=True, scope="row", css=f"name {level}"),
            ViewCell(row.code2[:3], css="code"),
            ViewCell(row.code2[3:], css="code"),
            ViewCell(row.name2, css=f"name {level}"),
        ]
        cells += amount_cells(row.cells, columns, blank_zero)
        attrs = {"data-code": row.code, "data-code2": row.code2, "data-level": row.level}
        body.append(ViewRow(cells, css=level, attrs=attrs))
    return header, body


def items_view(table: Table, blank_zero: bool) -> tuple[list[ViewRow], list[ViewRow]]:
    """Lay out a list of named items (projects): 名称 | 类别 | amounts, 合计 first."""
    definition = table.definition
    header = _header_rows(definition)
    body: list[ViewRow] = []
    columns = column_attrs(definition.columns)
    for row in ([table.total] if table.total else []) + table.rows:
        total = row is table.total
        cells = [
            ViewCell("合计" if total else row.name, header=True, scope="row", css="name"),
            ViewCell("" if total else row.name2),
        ]
        cells += amount_cells(row.cells, columns, blank_zero)
        attrs = {"data-row": "合计"} if total else {"data-item": row.name}
        body.append(ViewRow(cells, css="total" if total else "", attrs=attrs))
    return header, body


def table_view(table: Table, scope: str, suffix: str, blank_zero: bool, unit: str = "") -> TableView:
    """Build the printable view of one table ({scope} and {unit} in notes name the report's unit)."""
    definition = table.definition
    foot: list[ViewRow] = []
    if definition.layout == "balance":
        header, body = balance_view(table, blank_zero)
    elif definition.layout == "economic":
        header, body, foot = economic_view(table, blank_zero)
    elif definition.layout == "record":
        header, body = record_view(table, blank_zero)
    elif definition.layout == "paired":
        header, body = paired_view(table, blank_zero)
    elif definition.layout == "items":
        header, body = items_view(table, blank_zero)
    else:
        header, body = subject_view(table, blank_zero)
    empty = table.is_empty()
    note, remark = filled_notes(table, scope, suffix, unit, empty)
    if table.year is not None:
        for header_row in header:
            for header_cell in header_row.cells:
                header_cell.text = fill_year(header_cell.text, table.year)
    width = sum(c.colspan for c in header[0].cells) if header else 0
    return TableView(
        definition.id, definition.number, definition.title, header, body, foot, note, empty, width > 7,
        definition.show_number, remark,
    )  # fmt: skip
