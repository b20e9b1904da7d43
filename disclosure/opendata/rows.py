"""Flatten each table into one header and plain rows: the content of its CSV, XLSX and JSON.

A value is a str (text: codes stay text, so 2080505 is never a number), an int (行次), a Decimal
(an amount, exactly as the model holds it) or None (a cell the printed table leaves empty).

- 科目 tables (02, 03, 05, 07, 08): 科目代码, 科目名称, then the amounts in official column order;
  the 合计 row first, as printed.
- Two-sided tables (01, 04): one row per printed line that carries amounts, in long form:
  收支 (收入 or 支出), 项目, 行次, 科目代码 (the 支出 lines' class), then every amount column of
  either side; a line fills only its own side's columns.
- 经济分类 table (06): 科目代码, 科目名称, 金额 in printed order, then 人员经费合计 and 公用经费合计.
- Record table (09): 项目 (预算数 or 决算数), then the amounts.
- Tables classified twice (预算 表六, 表十): 部门预算支出经济分类科目编码 and 名称, 政府预算支出经济分类
  科目编码 and 名称, then the amounts; the 合计 row first.
- Item lists (预算 表十一): 项目名称, 项目类别, then the amounts; the 合计 row first.

Budget tables print 科目编码 where final tables print 科目代码; the heading follows the print.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ..profile import Column, Profile, TableDef
from ..tables import Cell, SubjectRow, Table

Value = str | int | Decimal | None

TEXT, INTEGER, AMOUNT = "string", "integer", "number"
_PLAIN = re.compile(r"-?\d+\.\d\d+")
_SHORT = re.compile(r"-?(0|[1-9]\d*)(\.\d)?")  # 120 or 12.5: only zeros to add


@dataclass(frozen=True)
class Field:
    """A column of the flat table: its heading, Table Schema type and role (or amount column key)."""

    name: str
    type: str
    role: str

    @property
    def is_amount(self) -> bool:
        """Tell whether the column holds amounts (万元)."""
        return self.type == AMOUNT


@dataclass
class TableData:
    """One table flattened: identity, columns and rows."""

    id: str
    number: str
    title: str
    layout: str
    classification: str
    fields: list[Field]
    rows: list[list[Value]] = field(default_factory=list)


def heading(column: Column) -> str:
    """Return a column's heading: its printed label, made whole where the print splits it.

    07's 本年支出 / 小计 becomes 本年支出小计 (its key); 09's 公务用车购置及运行维护费 / 小计 becomes
    公务用车购置及运行维护费小计; 06's 金额 stays 金额.
    """
    label, key = column.label, column.key
    if label == key:
        return label
    if key.endswith(label):
        return key
    if label == "小计":
        return key + label
    return label


NAME = Field("科目名称", TEXT, "name")


def code_heading(profile: Profile) -> str:
    """Return the code column's heading as the profile's tables print it: 科目代码, or 科目编码 (预算)."""
    printed = any("编码" in cell["text"] for t in profile.tables for row in t.header for cell in row)
    return "科目编码" if printed else "科目代码"


def _amounts(columns: tuple[Column, ...]) -> list[Field]:
    return [Field(heading(c), AMOUNT, c.key) for c in columns]


def _value(cell: Cell | None) -> Decimal | None:
    return cell.value if cell is not None else None


def _values(cells: Mapping[str, Cell], keys: list[str]) -> list[Value]:
    """Return a row's amounts under the column keys (None where the row has no cell)."""
    return [None if (cell := cells.get(k)) is None else cell.value for k in keys]


def _keys(columns: tuple[Column, ...]) -> list[str]:
    return [c.key for c in columns]


def _subject(table: Table, code: Field) -> TableData:
    definition = table.definition
    data = _data(definition, [code, NAME, *_amounts(definition.columns)])
    rows: list[SubjectRow] = ([table.total] if table.total else []) + table.rows
    keys = _keys(definition.columns)
    for row in rows:
        total = row is table.total
        values: list[Value] = [None if total else row.code, "合计" if total else row.name]
        data.rows.append(values + _values(row.cells, keys))
    return data


def _balance(table: Table, code: Field) -> TableData:
    definition = table.definition
    columns: list[Column] = []
    for side in definition.sides:
        columns += [c for c in side.columns if all(c.key != known.key for known in columns)]
    fields = [
        Field("收支", TEXT, "side"),
        Field("项目", TEXT, "name"),
        Field("行次", INTEGER, "line"),
        code,
    ]
    data = _data(definition, fields + _amounts(tuple(columns)))
    for side in definition.sides:
        keys = {c.key for c in side.columns}
        for row in side.rows:
            if not row.label:
                continue  # a blank printed line: no label, no amounts
            cells = table.lines.get(row.line, {})
            amounts = [_value(cells.get(c.key)) if c.key in keys else None for c in columns]
            data.rows.append([side.label, row.label, row.line, row.code or None, *amounts])
    return data


def _economic(table: Table, code: Field) -> TableData:
    definition = table.definition
    column = definition.columns[0]
    data = _data(definition, [code, NAME, *_amounts(definition.columns)])
    ordered = [r for classes in definition.groups for c in classes for r in table.rows if r.code[:3] == c]
    placed = {id(r) for r in ordered}
    ordered += [r for r in table.rows if id(r) not in placed]
    for row in ordered:
        data.rows.append([row.code, row.name, _value(row.cells.get(column.key))])
    for subtotal in definition.subtotals:
        data.rows.append([None, subtotal.key, _value(table.subtotals.get(subtotal.key))])
    return data


def _record(table: Table, code: Field) -> TableData:
    definition = table.definition
    data = _data(definition, [Field("项目", TEXT, "record"), *_amounts(definition.columns)])
    keys = _keys(definition.columns)
    for record in definition.records:
        data.rows.append([record, *_values(table.records.get(record, {}), keys)])
    return data


def _paired(table: Table, code: Field) -> TableData:
    definition = table.definition
    word = code.name.removeprefix("科目")
    fields = [
        Field(f"部门预算支出经济分类科目{word}", TEXT, "code"),
        Field("部门预算支出经济分类科目名称", TEXT, "name"),
        Field(f"政府预算支出经济分类科目{word}", TEXT, "code2"),
        Field("政府预算支出经济分类科目名称", TEXT, "name2"),
    ]
    data = _data(definition, fields + _amounts(definition.columns))
    keys = _keys(definition.columns)
    for row in ([table.total] if table.total else []) + table.rows:
        total = row is table.total
        texts: list[Value] = (
            [None, "合计", None, None] if total else [row.code, row.name, row.code2, row.name2]
        )
        data.rows.append(texts + _values(row.cells, keys))
    return data


def _items(table: Table, code: Field) -> TableData:
    definition = table.definition
    fields = [Field("项目名称", TEXT, "name"), Field("项目类别", TEXT, "category")]
    data = _data(definition, fields + _amounts(definition.columns))
    keys = _keys(definition.columns)
    for row in ([table.total] if table.total else []) + table.rows:
        texts: list[Value] = ["合计", None] if row is table.total else [row.name, row.name2 or None]
        data.rows.append(texts + _values(row.cells, keys))
    return data


def _data(definition: TableDef, fields: list[Field]) -> TableData:
    """Start a flat table; an amount heading printed twice (two sides' 金额) takes its column key."""
    seen: set[str] = set()
    unique: list[Field] = []
    for f in fields:
        name = f.role if f.is_amount and f.name in seen and f.role not in seen else f.name
        while name in seen:
            name += "′"
        seen.add(name)
        unique.append(Field(name, f.type, f.role))
    return TableData(
        definition.id, definition.number, definition.title, definition.layout,
        definition.classification, unique,
    )  # fmt: skip


def table_data(table: Table, code: str = "科目代码") -> TableData:
    """Flatten one table according to its layout; `code` names the code column (see code_heading)."""
    layouts = {
        "balance": _balance, "economic": _economic, "record": _record, "paired": _paired, "items": _items,
    }  # fmt: skip
    return layouts.get(table.definition.layout, _subject)(table, Field(code, TEXT, "code"))


def amount_text(value: Decimal | str) -> str:
    """Write an amount exactly, with at least two decimals and never an exponent: 1547.33, 0.00.

    A str is an amount as report.json holds it (the Decimal's text).
    """
    if isinstance(value, str):
        text = value
        if _PLAIN.fullmatch(text):
            return text  # the common case, e.g. 54.34
    else:  # a Decimal: its text is digits with an optional sign and point, or has an exponent
        text = str(value)
        if text[-3:-2] == ".":
            return text  # the common case, two decimals
        if text[-2:-1] == ".":
            return text + "0"
        if "." not in text and "E" not in text and value.is_finite():
            return text + ".00"
        if _PLAIN.fullmatch(text):
            return text
    if _SHORT.fullmatch(text):
        return text + ("0" if "." in text else ".00")  # what quantize would give, without it
    if isinstance(value, str):
        value = Decimal(value)
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        with contextlib.suppress(ArithmeticError):  # more digits than the context holds: keep as is
            value = value.quantize(Decimal("0.01"))  # adds zeros only: exact
    return format(value, "f")
