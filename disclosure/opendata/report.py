"""A report's downloads: each table as CSV and XLSX, the whole report as JSON and as one workbook."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from ..model import Report
from ..performance import self_evaluation_json
from ..table_notes import table_note as view_note
from ..tables import Cell, Table
from . import paths
from .performance_sheets import add_performance_sheets
from .rows import TableData, code_heading, table_data
from .texts import TableTexts, dump, json_object, table_texts
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


def csv_bytes(data: TableData, texts: TableTexts | None = None) -> bytes:
    """Return the CSV of one table: UTF-8 with a BOM (so Excel and WPS read it), CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([f.name for f in data.fields])
    writer.writerows((texts or table_texts(data)).csv)
    return buffer.getvalue().encode("utf-8-sig")


def add_sheet(book: Workbook, data: TableData, name: str, texts: TableTexts | None = None) -> Sheet:
    """Write one table into a workbook as a sheet: header row, then the rows."""
    sheet = book.sheet(name, widths(data))
    sheet.header([f.name for f in data.fields])
    sheet.text_columns((texts or table_texts(data)).book, [f.type for f in data.fields])
    return sheet


def sheet_name(data: TableData) -> str:
    """Return a table's sheet name: 公开02表 收入决算表."""
    return f"{data.number} {data.title}"


def table_note(table: Table, scope: str, suffix: str, unit_name: str) -> str:
    """Return the note printed under a table, exactly as the report page shows it."""
    return view_note(table, scope, suffix, unit_name)  # the note alone: a whole view costs 2 % of a build


def _amount(cell: Cell | None) -> str | None:
    return str(cell.value) if cell is not None else None


def table_json(data: TableData, note: str, texts: TableTexts | None = None) -> str:
    """Return one table as report.json writes it: fields (Table Schema types), rows keyed by name."""
    head = {
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
    }
    return json_object(
        {**{k: dump(v) for k, v in head.items()}, "rows": (texts or table_texts(data)).json_rows}
    )


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
    tables: list[str] = []
    code = code_heading(report.profile)
    for definition in report.profile.tables:
        table = report.tables[definition.number]
        data = table_data(table, code)
        texts = table_texts(data)
        files[paths.table_file(unit_id, slug, data.id, "csv")] = csv_bytes(data, texts)
        single = Workbook(f"{report.title} {data.number} {data.title}", when)
        book.copy(add_sheet(single, data, sheet_name(data), texts), sheet_name(data))
        files[paths.table_file(unit_id, slug, data.id, "xlsx")] = single.to_bytes()
        note = table_note(table, report.scope, report.note_suffix, unit_name)
        tables.append(table_json(data, note, texts))
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
        "figures": {k: str(v) for k, v in report.figures.items()},
        "notes_data": notes_json(report),
    }
    text = (
        json_object({**{k: dump(v) for k, v in document.items()}, "tables": "[" + ",".join(tables) + "]"})
        + "\n"
    )
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
