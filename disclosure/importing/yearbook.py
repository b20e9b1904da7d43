"""Take one report out of a year workbook: every unit's rows in a sheet per table, 决算 and 预算 side by side.

Our own year download (downloads/years/<year>/<year>.xlsx) and the finance system's summary exports
put a 单位代码 (and 单位名称) column before each table's own columns. Such a workbook holds many
reports; `select_report` keeps the rows of the unit being imported, drops the unit columns, and keeps
only the tables of one kind (决算 or 预算), so that the mapping sees one report as if published alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..profile import Profile
from .headers import match_score
from .numbers import clean_text
from .source import Cell, ImportFailure, SourceDocument, SourceTable

_CODE_HEADINGS = {"单位代码", "单位编码", "单位编号", "部门代码", "部门编码", "单位ID", "单位id"}
_NAME_HEADINGS = {"单位名称", "单位", "部门名称", "部门", "预算单位"}
KIND_LABELS = {"final": "决算", "budget": "预算"}


@dataclass
class _UnitTable:
    """A table of a year workbook: where its unit columns are and the units it holds."""

    table: SourceTable
    code: int | None  # the 单位代码 column
    name: int | None  # the 单位名称 column
    width: int  # how many leading columns belong to the unit
    header: int  # how many rows are the header
    units: dict[str, str] = field(default_factory=dict)  # 单位代码 → 单位名称, in order


def unit_columns(table: SourceTable) -> tuple[int | None, int | None, int]:
    """Return the 单位代码 and 单位名称 columns at the left of a table's first row, and how many there are."""
    if not table.rows:
        return None, None, 0
    code = name = None
    width = 0
    for index, cell in enumerate(table.rows[0][:2]):
        text = clean_text(cell.text)
        if text in _CODE_HEADINGS and code is None:
            code = index
        elif text in _NAME_HEADINGS and name is None:
            name = index
        else:
            break
        width = index + 1
    return code, name, width


def _unit_table(table: SourceTable) -> _UnitTable | None:
    """Return the table's unit columns and units, or None when it is an ordinary table."""
    code, name, width = unit_columns(table)
    if not width:
        return None
    key = code if code is not None else name
    assert key is not None
    headings = _CODE_HEADINGS | _NAME_HEADINGS
    header = next(
        (
            i
            for i, row in enumerate(table.rows)
            if _text(row, key) and clean_text(_text(row, key)) not in headings
        ),
        len(table.rows),
    )
    found = _UnitTable(table, code, name, width, header)
    for unit, row in _unit_rows(found):
        found.units.setdefault(unit, _text(row, name) if name is not None else "")
    return found


def _text(row: list[Cell], column: int | None) -> str:
    """Return a cell's text, stripped ("" past the row's end)."""
    return row[column].text.strip() if column is not None and column < len(row) else ""


def _unit_rows(found: _UnitTable) -> list[tuple[str, list[Cell]]]:
    """Return each body row with its unit (a blank unit cell continues the unit above: a merged cell)."""
    key = found.code if found.code is not None else found.name
    rows: list[tuple[str, list[Cell]]] = []
    unit = ""
    for row in found.table.rows[found.header :]:
        unit = _text(row, key) or unit
        rows.append((unit, row))
    return rows


def _cut(found: _UnitTable, unit: str) -> SourceTable:
    """Return the table with only the unit's rows, without the unit columns."""
    table = found.table
    width = found.width
    rows = [row[width:] for row in table.rows[: found.header]]
    rows += [row[width:] for owner, row in _unit_rows(found) if owner == unit]
    preamble = list(table.preamble)
    named = next((row for owner, row in _unit_rows(found) if owner == unit), None)
    if found.name is not None and named is not None and _text(named, found.name):
        # The unit's name, as a 单位名称 line would give it above a single report's table.
        preamble.append(Cell(f"单位名称：{_text(named, found.name)}", named[found.name].where))
    return SourceTable(table.title, table.where, rows, preamble, list(table.footer))


def _kind_of(table: SourceTable, profiles: dict[str, Profile]) -> str | None:
    """Return the kind of the profile whose tables this one matches best by title or 表号 (None if none)."""
    best, kind = 0, None
    for profile in profiles.values():
        for definition in profile.tables:
            score = match_score(table, definition)
            if score > best:
                best, kind = score, profile.kind
    return kind if best >= 2 else None


def _listing(tables: list[SourceTable]) -> str:
    """Return the titles of some tables for a message: the first and the last, and how many."""
    titles = [t.title for t in tables]
    if len(titles) <= 3:
        return "、".join(f"“{t}”" for t in titles)
    return f"“{titles[0]}”至“{titles[-1]}”等 {len(titles)} 张"


def _units_text(units: dict[str, str]) -> str:
    """Return the units of a workbook for a message: 代码（名称）, at most twenty."""
    shown = [f"{code}（{name}）" if name else code for code, name in list(units.items())[:20]]
    more = f" 等 {len(units)} 个" if len(units) > 20 else ""
    return "、".join(shown) + more


def select_report(
    doc: SourceDocument, unit: str, kind: str | None, profiles: dict[str, Profile]
) -> tuple[SourceDocument, str | None, str]:
    """Return the document cut down to one unit's report of one kind, the kind, and what was done.

    A document without unit columns comes back unchanged. Tables without unit columns in a year
    workbook are kept as they are (a contents sheet, a note): the mapping reports them.
    """
    found = [(t, _unit_table(t)) for t in doc.tables]
    year_tables = [f for _, f in found if f is not None]
    if not year_tables:
        return doc, kind, ""
    units: dict[str, str] = {}
    for year_table in year_tables:
        for code, unit_name in year_table.units.items():
            units.setdefault(code, unit_name)
    name = doc.path.name
    if unit not in units:
        raise ImportFailure(
            f"{name} 是含多个单位的年度工作簿（各表左侧有“单位代码”列），其中没有单位代码为“{unit}”的行；"
            f"工作簿中的单位有：{_units_text(units)}。请用 --unit 指定其中之一"
        )
    tables = [t if f is None else _cut(f, unit) for t, f in found if f is None or unit in f.units]
    kinds: dict[str, list[SourceTable]] = {}
    for table in tables:
        kinds.setdefault(_kind_of(table, profiles) or "", []).append(table)
    present = [k for k in ("final", "budget") if k in kinds]
    if kind is None and len(present) > 1:
        lists = "；".join(f"{KIND_LABELS[k]}表 {_listing(kinds[k])}" for k in present)
        raise ImportFailure(
            f"{name} 中单位“{unit}”既有决算表又有预算表（{lists}）；"
            "一次只能导入一份报告，请加 --kind final（决算）或 --kind budget（预算）"
        )
    if kind is not None and present and kind not in present:
        there = "、".join(KIND_LABELS[k] for k in present)
        raise ImportFailure(
            f"{name} 中单位“{unit}”只有{there}表，没有{KIND_LABELS.get(kind, kind)}表；"
            f"请改为 --kind {present[0]} 或去掉 --kind"
        )
    chosen = kind or (present[0] if present else None)
    kept = [t for t in tables if _kind_of(t, profiles) in (chosen, None)]
    label = KIND_LABELS.get(chosen or "", "")
    note = f"年度工作簿 {name}：取单位代码为“{unit}”的行，共 {len(kept)} 张{label}表"
    return SourceDocument(doc.path, doc.kind, kept, list(doc.lines)), chosen, note
