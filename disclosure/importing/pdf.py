"""Read a published disclosure PDF into a SourceDocument with pdfplumber.

The pages are read top to bottom as a stream of text lines and ruled tables (pdflayout.py). A
line whose text is a table title (收入决算表, 公开02表 …) opens a table; the lines after it are its
preamble (部门, 金额单位), then its rows come from the ruled table that follows, or, when the table
has no ruling lines, from the lines themselves, split into columns by how their words line up. A
table that runs over a page break goes on on the next page (header rows repeated there are kept:
the mapping drops them). A line starting with 注/说明 after the rows is the table's footer. Every
line outside the tables is also kept in ``lines`` (the notes, 职责, 名词解释), located by page.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .grid import has_row_figures, is_footer_start, is_preamble, is_table_number, is_title, looks_numeric
from .pdfaligned import aligned_rows
from .pdflayout import Line, RuledTable, group_lines, join_wrapped, page_words, ruled_tables
from .source import Cell, ImportFailure, SourceDocument, SourceTable, unreadable

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–\s]*\d+[-—–\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$"
)
_UNLOCK = "请使用未加密的原文件，或取消密码后另存再导入"
_MARGIN = 0.08  # the top and bottom 8 % of a page: where page numbers and running heads sit


@dataclass(frozen=True, slots=True)
class Margin:
    """A line alone in a page's top or bottom margin (a head or foot printed on this page only)."""

    line: Line

    @property
    def top(self) -> float:
        """Return the line's top (blocks are sorted by it)."""
        return self.line.top


Block = Line | RuledTable | Margin


def read_pdf(path: Path) -> SourceDocument:
    """Read a PDF's tables (found by their titles) and its prose lines."""
    path = Path(path)
    _check_file(path)
    import pdfplumber  # imported here: only a PDF import needs it

    # pdfminer logs a warning for every font it cannot measure; they say nothing to the user.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        with pdfplumber.open(path) as pdf:
            read = [_read_page(page, number) for number, page in enumerate(pdf.pages, 1)]
            images = sum(len(page.images) for page in pdf.pages)
    except ImportFailure:
        raise
    except Exception as error:  # pdfminer raises many kinds on a broken or locked file
        raise unreadable(path, error, "PDF 文件", "或格式不受支持", _UNLOCK) from None
    if not read:
        raise ImportFailure(f"PDF 文件 {path} 没有任何页面")
    running = _running_lines(read)
    pages = [_blocks(lines, tables, height, running) for lines, tables, height in read]
    if not any(pages):
        if images:
            raise ImportFailure(
                f"PDF 文件 {path} 没有文字层（共 {len(pages)} 页，只有图片，可能是扫描件），无法读取其中的表格："
                "请使用原始电子版 PDF、Excel 工作簿或文字版本导入"
            )
        raise ImportFailure(f"PDF 文件 {path} 中没有任何文字（共 {len(pages)} 页）")
    document = SourceDocument(path=path, kind="pdf")
    walker = _Walker(document)
    for blocks in pages:
        for block in blocks:
            walker.take(block)
    walker.finish()
    return document


def _check_file(path: Path) -> None:
    """Fail in Chinese when the file is missing, empty or not a PDF at all."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as error:
        raise ImportFailure(f"无法打开 PDF 文件 {path}：{error.strerror or error}") from None
    if not head:
        raise ImportFailure(f"PDF 文件 {path} 是空文件（0 字节），没有可读取的内容")
    if b"%PDF-" not in head:
        raise ImportFailure(f"文件 {path} 不是 PDF 文件（开头没有 %PDF 标记），可能已损坏或扩展名有误")


def _read_page(page: Any, number: int) -> tuple[list[Line], list[RuledTable], float]:
    """Return a page's text lines, its ruled tables and its height."""
    return group_lines(number, page_words(page)), ruled_tables(page, number), float(page.height)


def _blocks(
    lines: list[Line], tables: list[RuledTable], height: float, running: set[tuple[str, int]]
) -> list[Block]:
    """Return a page's text lines (outside ruled tables) and ruled tables, top to bottom."""
    blocks: list[Block] = []
    for line in lines:
        if _furniture(line, height, running):
            continue
        middle = (line.top + line.bottom) / 2
        owner = next((t for t in tables if t.top - 1 <= middle <= t.bottom + 1), None)
        (owner.lines if owner is not None else blocks).append(line)
    blocks.extend(tables)
    return _lone_margins(sorted(blocks, key=lambda b: b.top), height)


def _lone_margins(blocks: list[Block], height: float) -> list[Block]:
    """Mark the lines alone in the page's margins, set apart from the page's body by a blank line.

    Such a line printed on one page only (a “续表” head, a one-off foot) is no running head
    repeated on several pages, yet it is no part of a table running on over the page break either.
    """
    marked = list(blocks)
    for i in range(len(marked) - 1):  # heads, from the top down
        block = marked[i]
        if not isinstance(block, Line) or not _lone(block, marked[i + 1], height, head=True):
            break
        marked[i] = Margin(block)
    for i in range(len(marked) - 1, 0, -1):  # feet, from the bottom up
        block = marked[i]
        if not isinstance(block, Line) or not _lone(block, marked[i - 1], height, head=False):
            break
        marked[i] = Margin(block)
    return marked


def _lone(block: Line, body: Block, height: float, head: bool) -> bool:
    """Tell whether a line is in the top (head) or bottom margin, a blank line away from the body."""
    if isinstance(body, Margin):
        return False
    text = block.text
    if block.widest_gap() >= block.height or is_title(text) or is_footer_start(text) or is_preamble(text):
        return False
    if head:
        return block.top < height * _MARGIN and body.top - block.bottom >= block.height
    return block.bottom > height * (1 - _MARGIN) and block.top - body.bottom >= block.height


def _margin_key(line: Line, height: float) -> tuple[str, int] | None:
    """Return what a line in the page's top or bottom margin looks like (digits masked), else None."""
    if height * _MARGIN <= line.top and line.bottom <= height * (1 - _MARGIN):
        return None
    if line.widest_gap() >= line.height:
        return None  # words spread in columns: a table's line, not a running head
    if is_preamble(line.text):
        return None  # tables starting at the top of several pages: their “（2023年度） 单位：万元”
    return re.sub(r"\d+", "#", line.text), round(line.top)


def _running_lines(read: list[tuple[list[Line], list[RuledTable], float]]) -> set[tuple[str, int]]:
    """Return the running heads and feet: margin lines printed at the same place on several pages."""
    pages: dict[tuple[str, int], int] = {}
    for lines, _, height in read:
        for key in {k for k in (_margin_key(line, height) for line in lines) if k is not None}:
            pages[key] = pages.get(key, 0) + 1
    return {key for key, count in pages.items() if count >= 2}


def _furniture(line: Line, height: float, running: set[tuple[str, int]]) -> bool:
    """Tell whether a line is page furniture: a running head or foot, or a page number in a margin."""
    key = _margin_key(line, height)
    return key is not None and (key in running or bool(_PAGE_NUMBER.match(line.text.strip())))


def _title_line(line: Line) -> bool:
    """Tell whether a line is a table title, not a table's row that ends in 表 (“… 100 优 汇总表”)."""
    numbers = any(looks_numeric(w.text) for w in line.words)
    spread = numbers and line.widest_gap() >= line.height
    return is_title(line.text) and not has_row_figures(line.text) and not spread


def _prose(line: Line) -> bool:
    """Tell whether a line is running text (a sentence), not a row of a table without rulings."""
    text = line.text
    if "。" in text:
        return True
    return line.widest_gap() < line.height * 0.8 and ("，" in text or len(text) > 40)


def _tabular(lines: list[Line]) -> bool:
    """Tell whether lines gathered under a title are a table: an amount, or rows of three columns or more."""
    amounts = any(looks_numeric(w.text) and "." in w.text for line in lines for w in line.words)
    columns = [
        line
        for line in lines
        if sum(b.x0 - a.x1 >= line.height for a, b in zip(line.words, line.words[1:], strict=False)) >= 2
    ]
    return amounts or len(columns) >= 2


def _go_on(rows: list[list[Cell]], more: list[list[Cell]], page: int) -> list[list[Cell]]:
    """Return a ruled table's rows from a new page, a name the page break cut joined to the row above.

    A row cut by the break leaves the rest of its name (机关 | 事业单位职业年金缴费支出) alone in the
    first row under the repeated header: one cell, no code, no amount, in a column the row above fills.
    """
    if not rows or not more or f"第 {page} 页" in rows[-1][0].where:
        return more
    heading_end = next((i for i, r in enumerate(rows) if any(looks_numeric(c.text) for c in r)), len(rows))
    headings = {tuple(c.text for c in r) for r in rows[:heading_end]}
    k = next((i for i, r in enumerate(more) if tuple(c.text for c in r) not in headings), None)
    last = rows[-1]
    if k is None or len(more[k]) != len(last) or not any(looks_numeric(c.text) for c in last):
        return more
    filled = [j for j, c in enumerate(more[k]) if c.text.strip()]
    if len(filled) != 1 or looks_numeric(more[k][filled[0]].text) or not last[filled[0]].text.strip():
        return more
    j = filled[0]
    last[j] = Cell(join_wrapped([last[j].text, more[k][j].text]), last[j].where)
    return more[:k] + more[k + 1 :]


class _Walker:
    """Walks the blocks of every page in order, building the tables and the prose lines."""

    def __init__(self, document: SourceDocument) -> None:
        self.document = document
        self.table: SourceTable | None = None
        self.state = "prose"  # prose | title | ruled | aligned | footer
        self.aligned: list[Line] = []  # rows of the current table without rulings, not yet split
        self.last_footer: Line | None = None

    def take(self, block: Block) -> None:
        """Place one block: a line, a ruled table, or a line alone in a margin."""
        if isinstance(block, Margin):
            self._margin(block.line)
        elif isinstance(block, RuledTable):
            self._ruled(block)
        else:
            self._line(block)

    def finish(self) -> None:
        """Close the last table and drop titles that no table followed (a heading, a contents line)."""
        self._close_aligned()
        self.document.tables = [t for t in self.document.tables if t.rows or t.footer]

    def _line(self, line: Line) -> None:
        text = line.text
        if _title_line(line):
            self._title(line)
        elif self.state == "title" and is_preamble(text) and self.table is not None:
            self.table.preamble.append(line.cell())
        elif self.state == "ruled" and is_preamble(text):
            self.document.lines.append(line.cell())  # “单位：万元” repeated over a table going on: no break
            return
        elif self.state in ("ruled", "aligned") and is_footer_start(text) and self.table is not None:
            self._close_aligned()
            self.table.footer.append(line.cell())
            self.state, self.last_footer = "footer", line
        elif self.state == "footer" and self._continues_footer(line) and self.table is not None:
            self.table.footer.append(line.cell())
            self.last_footer = line
        elif self.state in ("title", "aligned") and not _prose(line):
            self.aligned.append(line)
            self.state = "aligned"
            return
        else:
            self._close_aligned()
            self.state = "prose"
        self.document.lines.append(line.cell())

    def _margin(self, line: Line) -> None:
        """Keep a one-off head or foot as prose; a table running on over the page break goes on."""
        if self.state in ("title", "ruled", "aligned"):
            self.document.lines.append(line.cell())
        else:
            self._line(line)

    def _continues_footer(self, line: Line) -> bool:
        last = self.last_footer
        return last is not None and last.page == line.page and line.top - last.bottom < line.height

    def _title(self, line: Line) -> None:
        self._close_aligned()
        table = self.table
        if table is not None and self.state == "title" and not table.rows:
            if all(is_table_number(part) for part in table.title.split()):
                table.title = f"{table.title} {line.text}"  # 公开02表 above 收入决算表: one title
                return
            if is_table_number(line.text):
                table.preamble.append(line.cell())  # 收入决算表 above 公开02表: the 表号 is preamble
                return
        self.table = SourceTable(title=line.text, where=line.where)
        self.document.tables.append(self.table)
        self.state = "title"

    def _ruled(self, block: RuledTable) -> None:
        self._close_aligned()
        if self.table is None or self.state not in ("title", "ruled"):
            # Ruled cells under no table title (a chart's grid, a boxed paragraph): read as lines.
            for line in block.lines:
                self._line(line)
            return
        self.table.rows.extend(_go_on(self.table.rows, block.rows, block.page))
        self.state = "ruled"

    def _close_aligned(self) -> None:
        lines, self.aligned = self.aligned, []
        if not lines or self.table is None:
            return
        if _tabular(lines):
            self.table.rows.extend(aligned_rows(lines))
        else:
            # No amounts and no columns: the lines under a heading ending in 表 (a contents list), not a table.
            self.document.lines.extend(line.cell() for line in lines)
