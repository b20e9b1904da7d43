"""A report's downloads: each table as CSV and XLSX, the whole report as JSON and as one workbook."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..model import Report
from ..performance import self_evaluation_json
from ..table_notes import table_note as view_note
from ..tables import Cell, Table
from . import paths
from .performance_sheets import add_performance_sheets
from .rows import TableData, Value, amount_text, code_heading, table_data
from .xlsx import Sheet, Workbook

WIDTHS = {
    "code": 10.0,
    "name": 36.0,
    "code2": 10.0,
    "name2": 30.0,
    "category": 20.0,
    "side": 6.0,
    "line": 6.0,
}
AMOUNT_WIDTH = 16.0


def widths(data: TableData) -> list[float]:
    """Return readable column widths for a table's sheet."""
    return [AMOUNT_WIDTH if f.is_amount else WIDTHS.get(f.role, 12.0) for f in data.fields]


Row = tuple[Value, ...]
TextRow = tuple[str | None, ...]
# A CSV cell a spreadsheet would read as a formula starts with one of these (see _csv_value).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def table_texts(data: TableData) -> tuple[list[Row], list[TextRow], list[TextRow]]:
    """Return a table's rows as report.json, the workbook and the CSV write them.

    report.json holds an amount as the Decimal's text, the workbook and the CSV as amount_text
    gives it, and the CSV quotes text a spreadsheet would read as a formula: each column is
    converted as a whole, once, rather than cell by cell three times.
    """
    if not data.rows:
        return [], [], []
    plain: list[Sequence[Value]] = []
    book: list[Sequence[str | None]] = []
    sheet: list[Sequence[str | None]] = []
    for f, column in zip(data.fields, zip(*data.rows, strict=True), strict=True):
        if f.is_amount:  # Decimal or None
            texts = [None if v is None else str(v) for v in column]
            plain.append(texts)
            exact = [
                t if t is None or t[-3:-2] == "." else amount_text(v)
                for t, v in zip(texts, column, strict=True)
            ]
            book.append(exact)
            sheet.append(exact)
        else:  # text, or the 行次 int
            plain.append(column)
            texts = [None if v is None else str(v) for v in column]
            book.append(texts)
            sheet.append([t if t is None or t[:1] not in FORMULA_STARTS else "'" + t for t in texts])
    return list(zip(*plain, strict=True)), list(zip(*book, strict=True)), list(zip(*sheet, strict=True))


def csv_bytes(data: TableData, rows: list[TextRow] | None = None) -> bytes:
    """Return the CSV of one table: UTF-8 with a BOM (so Excel and WPS read it), CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([f.name for f in data.fields])
    writer.writerows(table_texts(data)[2] if rows is None else rows)
    return buffer.getvalue().encode("utf-8-sig")


def _csv_value(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return amount_text(value)
    text = str(value)
    # A text cell that a spreadsheet would read as a formula (=, +, -, @) is quoted: a 科目名称 typed
    # as '=HYPERLINK(…)' must stay text when the CSV is opened in Excel or WPS.
    return "'" + text if text[:1] in FORMULA_STARTS else text


def add_sheet(book: Workbook, data: TableData, name: str, rows: list[TextRow]) -> Sheet:
    """Write one table into a workbook as a sheet: header row, then its rows (table_texts)."""
    sheet = book.sheet(name, widths(data))
    sheet.header([f.name for f in data.fields])
    sheet.text_rows(rows, [f.type for f in data.fields])
    return sheet


def sheet_name(data: TableData) -> str:
    """Return a table's sheet name: 公开02表 收入决算表."""
    return f"{data.number} {data.title}"


def table_note(table: Table, scope: str, suffix: str, unit_name: str) -> str:
    """Return the note printed under a table, exactly as the report page shows it."""
    return view_note(table, scope, suffix, unit_name)  # the note alone: a whole view costs 2 % of a build


def _amount(cell: Cell | None) -> str | None:
    return str(cell.value) if cell is not None else None


def table_json(data: TableData, note: str, rows: list[Row] | None = None) -> dict[str, Any]:
    """Return one table for report.json: fields (Table Schema types) and rows keyed by field name."""
    names = [f.name for f in data.fields]
    rows = table_texts(data)[0] if rows is None else rows
    return {
        "id": data.id,
        "number": data.number,
        "title": data.title,
        "layout": data.layout,
        "classification": data.classification or None,
        "note": note,
        "fields": [
            {"name": f.name, "type": f.type, **({"column": f.role} if f.is_amount else {"role": f.role})}
            for f in data.fields
        ],
        "rows": [dict(zip(names, row, strict=True)) for row in rows],
    }


def notes_json(report: Report) -> dict[str, Any]:
    """Return the figures behind the notes, under the same names as the report file (data/README.md)."""
    three = {
        k: (_amount(v) if isinstance(v, Cell) or v is None else v) for k, v in report.three_public.items()
    }
    return {
        "上年": {k: _amount(c) for k, c in report.typed_previous.items()},
        "年初预算": {
            **{k: _amount(c) for k, c in report.budget_total.items()},
            "科目": {k: _amount(c) for k, c in report.budget_items.items()},
        },
        "三公经费": three,
        "机关运行经费": {k: _amount(c) for k, c in report.operating.items()},
        "政府采购": {k: _amount(c) for k, c in report.procurement.items()},
        "国有资产": {
            "车辆": dict(report.vehicles),
            "其他用车说明": report.other_vehicle_note or None,
            "大型设备": report.equipment,
        },
        "预算绩效": {
            "自评项目": [
                {
                    "名称": p.name,
                    "使用单位": p.unit or None,
                    "全年预算数": str(p.budget) if p.budget is not None else None,
                    "全年执行数": str(p.spent) if p.spent is not None else None,
                    "得分": str(p.score) if p.score is not None else None,
                    "等级": p.grade or None,
                }
                for p in report.projects
            ],
            "自评表": [self_evaluation_json(t) for t in report.self_evaluations],
        },
    }


def report_files(report: Report, unit_name: str, when: dt.datetime | None = None) -> dict[str, bytes]:
    """Return every download file of a report by its site path."""
    when = when or paths.stamp()
    unit_id, slug = report.unit_id, report.slug
    files: dict[str, bytes] = {}
    book = Workbook(report.title, when)
    tables: list[dict[str, Any]] = []
    code = code_heading(report.profile)
    for definition in report.profile.tables:
        table = report.tables[definition.number]
        data = table_data(table, code)
        plain, book_rows, csv_rows = table_texts(data)
        files[paths.table_file(unit_id, slug, data.id, "csv")] = csv_bytes(data, csv_rows)
        single = Workbook(f"{report.title} {data.number} {data.title}", when)
        book.copy(add_sheet(single, data, sheet_name(data), book_rows), sheet_name(data))
        files[paths.table_file(unit_id, slug, data.id, "xlsx")] = single.to_bytes()
        note = table_note(table, report.scope, report.note_suffix, unit_name)
        tables.append(table_json(data, note, plain))
    add_performance_sheets(book, report)
    files[paths.report_xlsx(unit_id, slug)] = book.to_bytes()
    document = {
        "unit": {"id": unit_id, "name": unit_name},
        "year": report.year,
        "kind": report.kind,
        "kind_label": report.kind_label,
        "scope": report.scope,
        "title": report.title,
        "profile": report.profile.id,
        "money_unit": "万元",
        "tables": tables,
        "figures": {k: str(v) for k, v in report.figures.items()},
        "notes_data": notes_json(report),
    }
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    files[paths.report_json(unit_id, slug)] = text.encode("utf-8")
    return files


def report_paths(report: Report) -> list[str]:
    """Return the site paths of a report's downloads (without building them)."""
    unit_id, slug = report.unit_id, report.slug
    found = [
        paths.table_file(unit_id, slug, t.id, suffix)
        for t in report.profile.tables
        for suffix in ("csv", "xlsx")
    ]
    return sorted([*found, paths.report_json(unit_id, slug), paths.report_xlsx(unit_id, slug)])
