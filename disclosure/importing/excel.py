"""Read an Excel workbook (.xlsx with openpyxl, .xls with python-calamine) into a SourceDocument.

Every sheet is turned into a grid of cell texts, then ``grid.find_tables`` finds its tables by
their title/表号 text. A cell's text is what the cell holds: text exactly as typed ("1,547.33"
stays "1,547.33"), a number written back as the digits Excel stored (never rounded, never summed),
a blank cell "". Merged header cells are repeated over what they cover.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from .grid import Grid, find_tables
from .source import ImportFailure, SourceDocument, unreadable

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a Compound File: an .xls, or an encrypted .xlsx
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # the stream an encrypted .xlsx keeps its zip in
_PLACES = re.compile(r"0\.(0+)")


def read_excel(path: Path) -> SourceDocument:
    """Read a workbook's tables: every sheet, every table found on it by its title or the sheet's name."""
    path = Path(path)
    head = _head(path)
    suffix = path.suffix.lower()
    if head.startswith(_OLE_MAGIC) and _ENCRYPTED in path.read_bytes():
        raise ImportFailure(
            f"Excel 工作簿 {path} 设有打开密码（已加密），无法读取：请在 Excel 或 WPS 中取消密码，另存为 .xlsx 后再导入"
        )
    if head.startswith(b"PK"):  # a zip: .xlsx whatever the name says
        grids, kind = _xlsx_grids(path), "xlsx"
    else:
        grids, kind = _calamine_grids(path), "xls" if head.startswith(_OLE_MAGIC) else suffix.lstrip(".")
    if not any(text.strip() for grid in grids for row in grid.texts for text in row):
        raise ImportFailure(f"Excel 工作簿 {path} 没有任何内容：每个工作表都是空的")
    document = SourceDocument(path=path, kind=kind)
    for grid in grids:
        pad_whole_amounts(grid)
        document.tables.extend(find_tables(grid))
    return document


def _head(path: Path) -> bytes:
    """Return the file's first bytes, failing in Chinese when it is missing or empty."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as error:
        raise ImportFailure(f"无法打开 Excel 工作簿 {path}：{error.strerror or error}") from None
    if not head:
        raise ImportFailure(f"Excel 工作簿 {path} 是空文件（0 字节），没有可读取的内容")
    return head


def _broken(path: Path, error: Exception) -> ImportFailure:
    """Return the failure for a workbook that its reader cannot open."""
    unlock = "请在 Excel 或 WPS 中取消密码，另存为 .xlsx 后再导入"
    return unreadable(path, error, "Excel 工作簿", "，或不是 .xlsx/.xls 格式", unlock)


# ---------------------------------------------------------------- .xlsx (openpyxl)


def _xlsx_grids(path: Path) -> list[Grid]:
    """Return each worksheet of an .xlsx as a grid (cached values of formulas, merged ranges known)."""
    from openpyxl import load_workbook  # imported here: only an Excel import needs it

    try:
        # read_only=False: only a fully loaded sheet knows its merged cells. Opened as a file so that
        # openpyxl does not judge it by its name (an .xlsx saved as .xls is still read).
        with path.open("rb") as handle:
            book = load_workbook(handle, read_only=False, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a broken part; none may escape as a traceback
        raise _broken(path, error) from None
    try:
        return [_xlsx_grid(sheet) for sheet in book.worksheets]
    finally:
        book.close()


def _xlsx_grid(sheet: Any) -> Grid:
    """Return one openpyxl worksheet as a grid of texts."""
    name = sheet.title
    texts: list[list[str]] = []
    where: list[list[str]] = []
    numbers: set[tuple[int, int]] = set()
    for r, row in enumerate(sheet.iter_rows()):
        texts.append([])
        where.append([])
        for c, cell in enumerate(row):
            value = cell.value
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                numbers.add((r, c))
            texts[r].append(cell_text(value, cell.number_format or "General"))
            where[r].append(f"工作表“{name}”{cell.coordinate}")
    merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in sheet.merged_cells.ranges]
    return Grid(name, texts, where, numbers, merges, sheet_where=f"工作表“{name}”")


def cell_text(value: object, number_format: str = "General") -> str:
    """Return a cell's value as the text it stands for: numbers exact, blank cells ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return number_text(value, number_format)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def number_text(value: float, number_format: str = "General") -> str:
    """Return the digits a numeric cell holds, padded to the decimals its format shows (0 → "0.00").

    The file stores a number as decimal text ("1547.33"); openpyxl and calamine hand it over as a
    float. repr() gives the shortest text that reads back as the same float, and a decimal with at
    most 15 significant digits (all Excel keeps) is the only one that short, so repr() returns the
    stored digits exactly: "1547.33", never "1547.3299999999999". Decimal then pads the decimals the
    format shows ("#,##0.00" → two) by adding zeros only: no rounding, no float arithmetic.
    """
    exact = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    if not exact.is_finite():
        return repr(value)
    places = _PLACES.search(number_format.split(";")[0])
    shown = len(places.group(1)) if places else 0
    exponent = exact.as_tuple().exponent
    assert isinstance(exponent, int)
    if -exponent < shown:
        exact = exact.quantize(Decimal(1).scaleb(-shown))
    elif exact == exact.to_integral_value() and shown == 0:
        exact = exact.quantize(Decimal(1))  # 12.0 in a General cell shows as 12
    return format(exact, "f")


def pad_whole_amounts(grid: Grid) -> None:
    """Write whole numbers of an amount column with its decimals (200 → 200.00), as the column shows them.

    An .xls read by calamine (or an .xlsx cell formatted General) gives no number format, so a whole
    amount comes as "200", which reads like a 科目代码 (类 200) or a 行次. A sheet column holding a
    stored number with decimals is a column of amounts: its whole numbers are amounts too. Columns
    of whole numbers only (codes, 行次, 栏次 stored as numbers) are left as they are.
    """
    columns: dict[int, list[int]] = {}
    for r, c in grid.numbers:
        columns.setdefault(c, []).append(r)
    for c, rows in columns.items():
        places = max((len(grid.texts[r][c].partition(".")[2]) for r in rows), default=0)
        if places == 0:
            continue
        for r in rows:
            text = grid.texts[r][c]
            if "." not in text and text.lstrip("-").isdigit():
                grid.texts[r][c] = f"{text}.{'0' * places}"


# ---------------------------------------------------------------- .xls (python-calamine)


def _calamine_grids(path: Path) -> list[Grid]:
    """Return each sheet of an .xls (or any workbook calamine reads) as a grid of texts."""
    from openpyxl.utils import get_column_letter
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = [book.get_sheet_by_name(name) for name in book.sheet_names]
        grids = []
        for sheet in sheets:
            # skip_empty_area=False: rows and columns count from A1, so locations are right.
            values = sheet.to_python(skip_empty_area=False)
            merges = [
                (top, left, bottom, right) for (top, left), (bottom, right) in sheet.merged_cell_ranges or []
            ]
            grids.append(_calamine_grid(sheet.name, values, merges, get_column_letter))
    except ImportFailure:
        raise
    except Exception as error:  # calamine raises its own error types for broken or locked files
        raise _broken(path, error) from None
    return grids


def _calamine_grid(
    name: str, values: list[list[Any]], merges: list[tuple[int, int, int, int]], letter: Any
) -> Grid:
    """Return a calamine sheet's values as a grid of texts."""
    texts: list[list[str]] = []
    where: list[list[str]] = []
    numbers: set[tuple[int, int]] = set()
    for r, row in enumerate(values):
        texts.append([])
        where.append([])
        for c, value in enumerate(row):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                numbers.add((r, c))
            texts[r].append(cell_text(value))
            where[r].append(f"工作表“{name}”{letter(c + 1)}{r + 1}")
    return Grid(name, texts, where, numbers, merges, sheet_where=f"工作表“{name}”")
