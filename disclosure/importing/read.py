"""Pick the reader for a source file by its suffix and content."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from .source import ImportFailure, SourceDocument

_TEXT = {".txt", ".md", ".markdown", ".text"}
_EXCEL = {".xlsx", ".xlsm", ".xls"}
_CSV = {".csv"}
_SUPPORTED = (
    "文本（.txt/.md）、Excel 工作簿（.xlsx/.xls）、PDF（.pdf）、CSV（.csv，或放有各表 CSV 的文件夹、.zip）"
)


def _sniff(head: bytes) -> str:
    """Guess a file's kind from its first bytes (for files without a known suffix)."""
    if head.startswith(b"%PDF"):
        return ".pdf"
    if head.startswith(b"PK\x03\x04"):
        return ".xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return ".xls"
    return ""


def _is_workbook(path: Path) -> bool:
    """Tell whether a zip file is an Excel workbook (it has xl/workbook.xml), not a zip of CSV files."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (OSError, zipfile.BadZipFile):
        return False  # a broken zip: the CSV reader says so


def _reader(module: str, function: str, what: str) -> Callable[[Path], SourceDocument]:
    """Import a reader lazily: the Excel and PDF readers are optional modules."""
    try:
        found = importlib.import_module(f"disclosure.importing.{module}")
        reader: Callable[[Path], SourceDocument] = getattr(found, function)
        return reader
    except (ImportError, AttributeError) as exc:
        raise ImportFailure(
            f"本程序版本尚不能读取{what}（缺少读取模块 {module}.py），请先另存为文本或 Excel"
        ) from exc


def read_source(path: Path) -> SourceDocument:
    """Read any supported source file into a SourceDocument, or raise ImportFailure in Chinese."""
    path = Path(path)
    if not path.exists():
        raise ImportFailure(f"找不到文件 {path}")
    if path.is_dir():
        return _reader("csvfile", "read_csv_folder", " CSV 文件夹")(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise ImportFailure(f"无法读取 {path}：{exc.strerror or exc}") from exc
    if not head:
        raise ImportFailure(f"{path.name} 是空文件，没有可导入的内容")
    suffix = path.suffix.lower()
    sniffed = _sniff(head)
    if suffix in _CSV:
        return _reader("csvfile", "read_csv", " CSV 文件")(path)
    if suffix == ".zip" and sniffed == ".xlsx" and not _is_workbook(path):
        return _reader("csvfile", "read_csv_zip", "压缩包中的 CSV 文件")(path)
    if suffix not in _TEXT | _EXCEL | {".pdf"}:
        if not sniffed and suffix:
            raise ImportFailure(f"不认识的文件类型“{path.suffix}”（{path.name}），可导入{_SUPPORTED}")
        suffix = sniffed or ".txt"
    if suffix in _TEXT and sniffed:
        suffix = sniffed  # a workbook or PDF saved under a text name
    if suffix == ".pdf":
        if sniffed != ".pdf":
            raise ImportFailure(f"{path.name} 不是有效的 PDF 文件（文件头不对），可能已损坏")
        return _reader("pdf", "read_pdf", " PDF")(path)
    if suffix in _EXCEL:
        if sniffed not in (".xlsx", ".xls"):
            raise ImportFailure(f"{path.name} 不是有效的 Excel 工作簿（文件头不对），可能已损坏")
        return _reader("excel", "read_excel", " Excel 工作簿")(path)
    from .text import read_text

    return read_text(path)
