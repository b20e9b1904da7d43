"""Read the text of a published document: tab-separated tables under their titles, and prose lines.

The reader only groups lines: a run of tab-separated lines is one table (blank lines and page-break
header repeats inside it are kept), the short lines just above it are its title, 表号 and preamble
(部门/单位/金额单位), and 注/说明 lines just below it are its footer. Numbers and headers are left as
found for the mapping to interpret.
"""

from __future__ import annotations

import re
from pathlib import Path

from .grid import has_row_figures
from .numbers import clean_text
from .source import Cell, ImportFailure, SourceDocument, SourceTable

TABLE_NUMBER = re.compile(r"^(公开\d{1,2}表|表[一二三四五六七八九十]+|附表\d+)$")
_PREAMBLE = re.compile(
    r"^((部门|单位|部门\(单位\)|编制单位|预算单位|金额单位|单位名称|部门名称)[:：]|单位[:：]?万元|\d{4}年度?$|\(\d{4}年度?\)$)"
)
_FOOTER = re.compile(r"^[(（]?(注|说明)[:：]")
_HEADING_MARK = re.compile(r"^#+\s*")


def decode(data: bytes, path: Path) -> str:
    """Decode a text file (UTF-8, else GB18030), refusing binary content with a Chinese message."""
    if not data.strip():
        raise ImportFailure(f"{path.name} 是空文件，没有可导入的内容")
    if b"\x00" in data[:4096]:
        raise ImportFailure(f"{path.name} 不是文本文件（含有二进制内容），请提供 .txt、.md、.xlsx 或 .pdf")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFailure(f"{path.name} 无法按 UTF-8 或 GB18030 解码，请另存为 UTF-8 文本")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
    if controls > max(8, len(text) // 200):
        raise ImportFailure(f"{path.name} 不是文本文件（含有大量控制字符），请提供 .txt、.md、.xlsx 或 .pdf")
    return text


def title_text(line: str) -> str:
    """Return a line without Markdown heading marks and bold markup."""
    return (
        _HEADING_MARK.sub("", line.strip()).replace("**", "").replace("<b>", "").replace("</b>", "").strip()
    )


def is_table_title(line: str) -> bool:
    """Tell whether a prose line reads like a table's title (short, ends in 表/表格)."""
    text = clean_text(title_text(line))
    if TABLE_NUMBER.match(text) or has_row_figures(text):
        return False  # a 表号 alone, or a row of the 汇总表 listing (“… 100 优 506 506 100.00% 汇总表”)
    return 2 < len(text) <= 40 and bool(re.search(r"(表|情况表|明细表)(\(.*\))?$", text)) and "。" not in text


class _Builder:
    """Group numbered lines into tables and prose."""

    def __init__(self, path: Path):
        self.doc = SourceDocument(path=path, kind="text")
        self.pending: list[Cell] = []  # prose lines since the last table row
        self.current: SourceTable | None = None

    def prose(self, cell: Cell) -> None:
        """Keep a prose line."""
        self.doc.lines.append(cell)
        self.pending.append(cell)

    def row(self, number: int, line: str) -> None:
        """Add a tab-separated line to the current table, or start a new one."""
        where = f"第 {number} 行"
        cells = [Cell(text, f"{where}第 {i + 1} 列") for i, text in enumerate(line.split("\t"))]
        if self.current is None or self._starts_new_table():
            self._open(where)
        assert self.current is not None
        self.current.rows.append(cells)
        self.pending = []

    def _starts_new_table(self) -> bool:
        """A new table begins when a title, 表号 or ordinary prose stands between two runs of rows."""
        assert self.current is not None
        texts = [clean_text(title_text(c.text)) for c in self.pending]
        if not texts:
            return False  # only blank lines: a page break inside the table
        titles = [t for t in texts if is_table_title(t) or TABLE_NUMBER.match(t)]
        own = {clean_text(self.current.title), clean_text(self.current.title.split(" ", 1)[-1])}
        if titles and all(t in own or t in self._numbers() for t in titles):
            # The same title (and 部门/单位 lines) repeated after a page break.
            return any(not (_PREAMBLE.match(t) or t in titles) for t in texts)
        return True

    def _numbers(self) -> set[str]:
        """Return the 表号 printed with the current table."""
        assert self.current is not None
        return {clean_text(c.text) for c in self.current.preamble if TABLE_NUMBER.match(clean_text(c.text))}

    def _open(self, where: str) -> None:
        """Start a table: footer lines go to the previous one, title and preamble to this one."""
        footer_end = 0
        if self.current is not None:
            for i, cell in enumerate(self.pending):
                text = clean_text(title_text(cell.text))
                if _FOOTER.match(text) or (
                    self.current.footer
                    and i == footer_end
                    and not is_table_title(text)
                    and not TABLE_NUMBER.match(text)
                    and not _PREAMBLE.match(text)
                    and len(self.current.footer) < 3
                    and _continues(self.current.footer[-1])
                ):
                    self.current.footer.append(cell)
                    footer_end = i + 1
                elif i == footer_end and not text:
                    footer_end = i + 1
                else:
                    break
        above = self.pending[footer_end:]
        title_index = max((i for i, c in enumerate(above) if is_table_title(c.text)), default=None)
        table = SourceTable(title="", where=where)
        if title_index is not None:
            table.title = title_text(above[title_index].text)
            table.where = above[title_index].where
            table.preamble = [
                c for c in above[title_index + 1 :]
                if TABLE_NUMBER.match(clean_text(title_text(c.text))) or _PREAMBLE.match(clean_text(c.text))
                or len(clean_text(c.text)) <= 20
            ]  # fmt: skip
        else:
            table.preamble = [c for c in above[-4:] if len(clean_text(c.text)) <= 30]
        for cell in table.preamble:
            if TABLE_NUMBER.match(clean_text(title_text(cell.text))):
                table.title = f"{clean_text(title_text(cell.text))} {table.title}".strip()
        self.doc.tables.append(table)
        self.current = table

    def finish(self) -> SourceDocument:
        """Close the last table and return the document."""
        if self.current is not None:
            for cell in self.pending[:3]:
                if _FOOTER.match(clean_text(title_text(cell.text))):
                    self.current.footer.append(cell)
        return self.doc


def _continues(cell: Cell) -> bool:
    """Tell whether a footer line seems cut off mid-sentence (it goes on in the next line)."""
    return not clean_text(cell.text).endswith(("。", ")", "）"))


def read_text(path: Path) -> SourceDocument:
    """Read a .txt/.md document into tables and numbered prose lines."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailure(f"无法读取 {path}：{exc.strerror or exc}") from exc
    text = decode(data, path)
    builder = _Builder(path)
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r\n")
        if "\t" in line and line.strip("\t ").strip():
            builder.row(number, line)
        elif line.strip() and line.strip() != "\u3000":
            builder.prose(Cell(line.strip(), f"第 {number} 行"))
    return builder.finish()
