"""The reader-neutral shape of an imported document: tables of located text cells, and prose lines.

Every reader (``excel.py``, ``text.py``, ``pdf.py``) turns its file into a :class:`SourceDocument`;
the mapping onto a table profile (``mapping.py``) only ever sees this shape. Readers do not
interpret numbers or headers: a cell keeps its text exactly as found (``"1, 547. 33"``, ``""``,
``"**合 计**"``), so that every later message can quote the source and say where it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell's text as found, and where it was in the source (in Chinese, for messages)."""

    text: str
    where: str  # e.g. "第 3 页第 12 行", "工作表“公开02表”C5", "第 160 行"


@dataclass(slots=True)
class SourceTable:
    """One table as found: its title text, then every row (header rows included) in reading order.

    A table split over pages or sheets is one SourceTable; header rows repeated after a page
    break are kept (the mapping recognises and drops them). Merged cells are repeated into each
    cell they cover for header rows, left empty for body rows.
    """

    title: str  # title line(s) as found, e.g. "收入决算表" or "公开02表 收入决算表"
    where: str  # where the title was
    rows: list[list[Cell]] = field(default_factory=list)
    # Text lines between the title and the first row (表号, 单位, 部门, 金额单位：万元 …).
    preamble: list[Cell] = field(default_factory=list)
    # Text lines right after the table (注：…, 本表… 说明).
    footer: list[Cell] = field(default_factory=list)


@dataclass(slots=True)
class SourceDocument:
    """A whole source file: its tables in order and its prose lines (for notes, 职责, 名词解释)."""

    path: Path
    kind: str  # "xlsx" | "xls" | "text" | "pdf"
    tables: list[SourceTable] = field(default_factory=list)
    lines: list[Cell] = field(default_factory=list)


class ImportFailure(Exception):
    """A source that cannot be read at all; ``message`` is Chinese and names the file."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where


def unreadable(path: Path, error: BaseException, what: str, broken: str, unlock: str) -> ImportFailure:
    """Return the failure for a file its reader cannot open: locked by a password, or broken.

    what names the kind of file (“PDF 文件”), broken says what else it may be, unlock what to do.
    The reader's own error, and the errors it was raised from, tell a locked file.
    """
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    said = " ".join(f"{type(e).__name__} {e}" for e in chain).lower()
    if "password" in said or "encrypt" in said:
        return ImportFailure(f"{what} {path} 设有打开密码（已加密），无法读取：{unlock}")
    detail = str(error).strip() or type(error).__name__
    return ImportFailure(f"无法读取{what} {path}：文件已损坏{broken}（技术信息：{detail}）")
