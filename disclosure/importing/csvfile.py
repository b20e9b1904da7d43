"""Read CSV files (our own table downloads: UTF-8 with a BOM, one table per file) into a SourceDocument.

A CSV holds one table and, unlike a workbook's sheet, no name: the table is named by a title row
when the file has one (a finance export saved as CSV), else by the file's name — our downloads are
named by the table's id (final-02.csv), which the shipped profiles turn into its 表号 and title
(公开02表 收入决算表); a file named 公开02表.csv or 收入决算表.csv names itself.

A report's tables come as several files: a folder or a .zip of CSVs is read file by file, in the
order of their names. Cells keep their text exactly; a text our download guarded against being
read as a formula by a leading ' ('=HYPERLINK…) gets its own text back.
"""

from __future__ import annotations

import csv
import functools
import io
import zipfile
from pathlib import Path

from .grid import Grid, find_tables
from .source import ImportFailure, SourceDocument, SourceTable

_GUARDED = ("'=", "'+", "'-", "'@", "'\t", "'\r")
_ENCODINGS = ("utf-8-sig", "gb18030")  # our downloads; a CSV saved by Excel or WPS on Chinese Windows


def read_csv(path: Path) -> SourceDocument:
    """Read one CSV file's table."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFailure(f"无法打开 CSV 文件 {path}：{error.strerror or error}") from None
    document = SourceDocument(path=path, kind="csv")
    document.tables.extend(_tables(path.name, data, named=False))
    return document


def read_csv_folder(folder: Path) -> SourceDocument:
    """Read every CSV file of a folder (not its subfolders), one table each, in the order of their names."""
    files = sorted(p for p in Path(folder).iterdir() if p.is_file() and p.suffix.lower() == ".csv")
    if not files:
        raise ImportFailure(
            f"{folder} 是文件夹，其中没有 .csv 文件；请指定一个文件，或放有一份报告各表 CSV 的文件夹"
        )
    document = SourceDocument(path=Path(folder), kind="csv")
    for file in files:
        try:
            data = file.read_bytes()
        except OSError as error:
            raise ImportFailure(f"无法打开 CSV 文件 {file}：{error.strerror or error}") from None
        document.tables.extend(_tables(file.name, data))
    return document


def read_csv_zip(path: Path) -> SourceDocument:
    """Read every CSV file inside a .zip, one table each, in the order of their names."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = sorted(
                n for n in archive.namelist() if n.lower().endswith(".csv") and not n.endswith("/")
            )
            contents = [(n, archive.read(n)) for n in names]
    except (OSError, zipfile.BadZipFile, RuntimeError) as error:
        raise ImportFailure(f"无法读取压缩包 {path}：文件已损坏或设有密码（技术信息：{error}）") from None
    if not contents:
        raise ImportFailure(f"压缩包 {path.name} 中没有 .csv 文件；可导入放有一份报告各表 CSV 的 .zip")
    document = SourceDocument(path=path, kind="csv")
    for name, data in contents:
        document.tables.extend(_tables(name.rsplit("/", 1)[-1], data, inside=path.name))
    return document


def _tables(name: str, data: bytes, inside: str = "", named: bool = True) -> list[SourceTable]:
    """Return the tables of one CSV file's bytes (one, named by its title row or its file name).

    Cells are located by line and column, after the file's name when it is one of several (named).
    """
    label = f"{inside} 中的 {name}" if inside else name
    text = _decode(label, data)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise ImportFailure(
            f"CSV 文件 {label} 格式不对（{error}），请用 Excel 或 WPS 另存为 CSV 后再导入"
        ) from None
    texts = [[_unguarded(cell) for cell in row] for row in rows]
    if not any(cell.strip() for row in texts for cell in row):
        raise ImportFailure(f"CSV 文件 {label} 没有任何内容")
    prefix = f"{name} " if named else ""
    where = [[f"{prefix}第 {r + 1} 行第 {c + 1} 列" for c in range(len(row))] for r, row in enumerate(texts)]
    grid = Grid(_table_name(Path(name).stem), texts, where, sheet_where=name if named else "第 1 行")
    return find_tables(grid)


def _decode(label: str, data: bytes) -> str:
    """Return the file's text: UTF-8 (with or without BOM), else the Chinese Windows encoding."""
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailure(f"CSV 文件 {label} 的编码无法识别（应为 UTF-8 或 GBK），请另存为“CSV UTF-8”后再导入")


def _unguarded(cell: str) -> str:
    """Return a cell's text without the ' our download put before a text that looks like a formula."""
    return cell[1:] if cell.startswith(_GUARDED) else cell


def _table_name(stem: str) -> str:
    """Return the name a file gives its table: 表号 and title for a shipped table id (final-02), else the name."""
    return _table_ids().get(stem.lower(), stem)


@functools.cache
def _table_ids() -> dict[str, str]:
    """Return each shipped table id with its 表号 and title (final-02 → 公开02表 收入决算表)."""
    from ..profile import load_profiles

    names: dict[str, str] = {}
    for profile in load_profiles().values():
        for table in profile.tables:
            names.setdefault(table.id, f"{table.number} {table.title}")
    return names
