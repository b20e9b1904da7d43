"""Workbooks to import, made here with openpyxl the way finance systems export them.

The tables come from a built report page (its <h3>, meta line and <table>), written cell by cell
with each colspan/rowspan as a merged range, so an import can be compared with the report's data.
Options imitate what real exports do:

- ``amounts``: "number" (numeric cells with the format #,##0.00), "text" (the printed text,
  thousands separators included, stored as text) or "blank-zero" (numbers, 0.00 left blank);
- ``three_codes``: 科目代码 split into 类, 款 and 项 columns;
- ``one_sheet``: every table on one sheet, one under another, instead of a sheet per table;
- a title row, a 表号 row, a 部门/金额单位 row above each table, and the note plus a signature row
  under it.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from bs4 import Tag
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from .pdfs import report_tables, table_parts, three_code_columns


def _amount(text: str, amounts: str) -> Any:
    """Return an amount cell's value in the chosen style."""
    if amounts == "text":
        return text
    value = Decimal(text.replace(",", ""))
    if amounts == "blank-zero" and value == 0:
        return None
    return value


def write_table(sheet: Worksheet, top: int, table: Tag, amounts: str) -> int:
    """Write an HTML table from row `top` (1-based), spans merged; return the next free row."""
    taken: set[tuple[int, int]] = set()
    row = top
    for tr in table.select("thead tr, tbody tr, tfoot tr"):
        column = 1
        for cell in tr.find_all(["th", "td"], recursive=False):
            while (row, column) in taken:
                column += 1
            text = cell.get_text(strip=True)
            numeric = "num" in (cell.get("class") or []) and text
            target = sheet.cell(row=row, column=column)
            target.value = _amount(text, amounts) if numeric else (text or None)
            if text.startswith("="):
                target.data_type = "s"  # a 指标值 such as “=100%”, text, not a formula
            if numeric and amounts != "text":
                target.number_format = "#,##0.00"
            elif text:
                target.number_format = "@"  # codes stay text: 2080505, 05
            width, height = int(cell.get("colspan", 1)), int(cell.get("rowspan", 1))
            for r in range(row, row + height):
                for c in range(column, column + width):
                    taken.add((r, c))
            if width > 1 or height > 1:
                sheet.merge_cells(
                    start_row=row,
                    start_column=column,
                    end_row=row + height - 1,
                    end_column=column + width - 1,
                )
            column += width
        row += 1
    return row


def finance_workbook(
    page_html: str,
    target: Path,
    *,
    amounts: str = "number",
    three_codes: bool = False,
    one_sheet: bool = False,
) -> Path:
    """Write the report page's tables as a finance-system export and return its path."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    sheet: Worksheet | None = book.create_sheet("部门决算公开表") if one_sheet else None
    row = 1
    for section in report_tables(page_html):
        number, title, meta, table, note = table_parts(section)
        if three_codes:
            three_code_columns(table)
        if not one_sheet:
            sheet, row = book.create_sheet(number), 1
        assert sheet is not None
        width = max(len(tr.find_all(["th", "td"], recursive=False)) for tr in table.select("tr"))
        sheet.cell(row=row, column=1, value=title).font = Font(bold=True, size=14)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=max(width, 2))
        sheet.cell(row=row, column=1).alignment = Alignment(horizontal="center")
        sheet.cell(row=row + 1, column=max(width, 2), value=number)
        unit_line, _, money = meta.rpartition("　")
        sheet.cell(row=row + 2, column=1, value=unit_line.replace("　", " "))
        sheet.cell(row=row + 2, column=max(width, 2), value=money)
        row = write_table(sheet, row + 3, table, amounts)
        sheet.cell(row=row, column=1, value=note)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=max(width, 2))
        sheet.cell(row=row + 1, column=1, value="单位负责人：王某")
        sheet.cell(row=row + 1, column=3, value="制表人：李某")
        row += 4  # blank rows before the next table on the same sheet
    book.save(target)
    return target


def performance_tables(page_html: str) -> list[tuple[str, str, Tag, list[str]]]:
    """Return (title, meta line, <table>, note lines) of each 绩效目标表 and 绩效自评表 on a report page."""
    from bs4 import BeautifulSoup

    found = []
    for table in BeautifulSoup(page_html, "html.parser").select("table.target, table.self-evaluation"):
        caption = table.select_one("caption")
        assert caption is not None
        meta_tag = caption.select_one(".table-meta")
        meta = meta_tag.get_text(strip=True) if meta_tag else ""
        if meta_tag:
            meta_tag.decompose()
        title = caption.get_text(strip=True)
        caption.decompose()
        section = table.find_parent("section")
        notes = section.select(".table-note p") if section is not None else []
        found.append((title, meta, table, [p.get_text(strip=True) for p in notes]))
    return found


def performance_sheets(book: Workbook, page_html: str, *, one_sheet: bool = False) -> None:
    """Add the page's 绩效目标表 / 绩效自评表 to a workbook: a sheet per project, or all on one sheet."""
    sheet: Worksheet | None = None
    row = 1
    for n, (title, meta, table, notes) in enumerate(performance_tables(page_html), 1):
        if sheet is None or not one_sheet:
            name = ("绩效目标表" if "目标" in title else "绩效自评表") + ("" if one_sheet else str(n))
            sheet, row = book.create_sheet(name), 1
        width = max(
            sum(int(c.get("colspan", 1)) for c in tr.find_all(["th", "td"], recursive=False))
            for tr in table.select("tr")
        )
        sheet.cell(row=row, column=1, value=title).font = Font(bold=True, size=14)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        if meta:
            sheet.cell(row=row + 1, column=1, value=meta)
            row += 1
        row = write_table(sheet, row + 1, table, "text")
        for line in notes:
            sheet.cell(row=row, column=1, value=line)
            row += 1
        row += 2


def performance_workbook(page_html: str, target: Path, *, one_sheet: bool = False) -> Path:
    """Write the page's disclosure tables and its performance tables as one finance-system export."""
    from openpyxl import load_workbook

    finance_workbook(page_html, target)
    book = load_workbook(target)
    performance_sheets(book, page_html, one_sheet=one_sheet)
    book.save(target)
    return target


def as_xls(source: Path, target: Path) -> Path:
    """Write an .xlsx's sheets as an old-style .xls (xlwt): same values, same merged ranges."""
    import xlwt
    from openpyxl import load_workbook

    book = load_workbook(source)
    old = xlwt.Workbook(encoding="utf-8")
    for sheet in book.worksheets:
        out = old.add_sheet(sheet.title)
        merged = {(m.min_row, m.min_col): m for m in sheet.merged_cells.ranges}
        covered = {
            (r, c)
            for m in merged.values()
            for r in range(m.min_row, m.max_row + 1)
            for c in range(m.min_col, m.max_col + 1)
        }
        for row in sheet.iter_rows():
            for cell in row:
                value = float(cell.value) if isinstance(cell.value, (Decimal, int, float)) else cell.value
                if (cell.row, cell.column) in merged:
                    m = merged[(cell.row, cell.column)]
                    out.write_merge(m.min_row - 1, m.max_row - 1, m.min_col - 1, m.max_col - 1, value)
                elif value is not None and (cell.row, cell.column) not in covered:
                    out.write(cell.row - 1, cell.column - 1, value)
    old.save(str(target))
    return target
