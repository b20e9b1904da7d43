"""Find the tables on a grid of cell texts (a worksheet): titles, preamble, rows, footer.

A worksheet may hold one table or several, with or without a title row; the finance system's
exports put a title ("收入决算表"), a 表号 ("公开02表"), a 部门/金额单位 line, a header of merged
cells, the body, then notes and signatures. This module only recognises those parts by their
text; it never reads a number or a column heading (that is the mapping's job).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from .source import Cell, SourceTable

# A 表号 on its own: 公开02表, 附表1, 表一, 表3-1, 表号：公开02表.
_NUMBER = r"(?:\d{1,2}(?:-\d{1,2})?|[一二三四五六七八九十]{1,3})"
TABLE_NUMBER = re.compile(rf"(?:表号[:：]?)?(?:(?:公开|附)?{_NUMBER}表|附?表{_NUMBER})")
_TABLE_NUMBER_ONLY = re.compile(rf"^{TABLE_NUMBER.pattern}$")
# A table title: an optional 表号, then a name ending in 表 (an optional parenthesis after it), no
# sentence punctuation (so "注：本表…" and "单位：万元" are not titles).
_TITLE = re.compile(rf"^(?:{TABLE_NUMBER.pattern})?[^:：。，,;；、]{{2,48}}表(?:[（(][^)）]{{1,64}}[)）])?$")
# Lines between a title and the header: 部门, 单位, 金额单位, 年度, 日期, "（2024年度） 单位：万元".
_PREAMBLE = re.compile(
    r"^(?:(?:编制|填报|预算|主管)?(?:部门|单位)(?:名称)?[:：]|金额单位|单位[:：]?\s*(?:万?元)|[（(]\d{4}年度?[)）]|"
    r"\d{4}\s*年(?:度|\d{1,2}\s*月(?:\d{1,2}\s*日)?)?$)"
)
# The first line of what follows a table: notes and signatures.
_FOOTER = re.compile(r"^(?:注|说明|备注|本表|填表|制表|审核|(?:单位|财务)?负责人|填报日期|制表日期)")
# An amount or a code: a number, possibly as text with thousands separators.
_NUMERIC = re.compile(r"^[-+]?(?:\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.\d+)?$")


def squeeze(text: str) -> str:
    """Return text without any whitespace (titles and 表号 are matched with spaces removed)."""
    return re.sub(r"\s+", "", text)


# A table's row, not its title: an amount with cents or a rate among its text (“… 506 100.00% 汇总表”).
_ROW_FIGURES = re.compile(r"\d%|\d\.\d{2}(?:\D|$)")


def has_row_figures(text: str) -> bool:
    """Tell whether a line holds an amount with cents or a rate: a table's row even if it ends in 表."""
    return bool(_ROW_FIGURES.search(squeeze(text)))


def is_title(text: str) -> bool:
    """Tell whether a line's text is a table title or a 表号 on its own."""
    plain = squeeze(text)
    return bool(_TITLE.match(plain) or _TABLE_NUMBER_ONLY.match(plain))


def is_table_number(text: str) -> bool:
    """Tell whether a line's text is only a 表号 (公开02表, 表一)."""
    return bool(_TABLE_NUMBER_ONLY.match(squeeze(text)))


def is_preamble(text: str) -> bool:
    """Tell whether a line is one of those between a title and the header (部门, 金额单位 …)."""
    plain = squeeze(text)
    return bool(_PREAMBLE.match(plain) or _TABLE_NUMBER_ONLY.match(plain))


def is_footer_start(text: str) -> bool:
    """Tell whether a line starts what follows a table (注：, 说明, 本表…, signatures)."""
    return bool(_FOOTER.match(squeeze(text)))


def looks_numeric(text: str) -> bool:
    """Tell whether a text is a number as printed (1547.33, 1,547.33, 201): it ends a header."""
    return bool(_NUMERIC.match(squeeze(text)))


@dataclass(slots=True)
class Grid:
    """One worksheet as text: rows × columns (blank cells ""), merged ranges, numeric cells."""

    name: str  # the sheet's name
    texts: list[list[str]]
    where: list[list[str]]  # each cell's location, e.g. 工作表“公开02表”C5
    numbers: set[tuple[int, int]] = field(default_factory=set)  # cells stored as numbers
    merges: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # top, left, bottom, right (0-based)
    sheet_where: str = ""

    def filled(self, row: int) -> list[int]:
        """Return the columns of a row that hold text."""
        return [c for c, text in enumerate(self.texts[row]) if text.strip()]

    def row_texts(self, row: int) -> list[str]:
        """Return the non-blank texts of a row, left to right."""
        return [self.texts[row][c] for c in self.filled(row)]

    def is_data_row(self, row: int) -> bool:
        """Tell whether a row holds a number (a stored number or numeric text): the header is over."""
        return any((row, c) in self.numbers or looks_numeric(self.texts[row][c]) for c in self.filled(row))


@dataclass(slots=True)
class _Part:
    """A table being gathered: its title rows, preamble rows, grid rows, footer rows (row indexes)."""

    title: list[int] = field(default_factory=list)
    preamble: list[int] = field(default_factory=list)
    body: list[int] = field(default_factory=list)
    footer: list[int] = field(default_factory=list)


def find_tables(grid: Grid) -> list[SourceTable]:
    """Return the tables on a worksheet, in order; a sheet without a title row is one table named after the sheet."""
    parts = _split(grid)
    return [_table(grid, part, alone=len(parts) == 1) for part in parts if part.body or part.footer]


def _split(grid: Grid) -> list[_Part]:
    """Cut the sheet's rows into tables at each title row."""
    parts: list[_Part] = []
    current: _Part | None = None
    for row in range(len(grid.texts)):
        texts = grid.row_texts(row)
        if not texts:
            continue  # a blank row separates, it carries nothing
        if _starts_table(grid, current, row, texts):
            if (joined := _open_title(current)) is not None and all(
                is_table_number(t) for r in joined.title for t in grid.row_texts(r)
            ):
                joined.title.append(row)  # 公开02表 above 收入决算表: one title
            elif joined is not None and all(is_table_number(t) for t in texts):
                joined.preamble.append(row)  # 收入决算表 above 公开02表: the 表号 is preamble
            else:
                current = _Part(title=[row])  # a title right after a heading ending in 表 replaces it
                parts.append(current)
            continue
        if current is None:
            current = _Part()
            parts.append(current)
        _place(grid, current, row, texts)
    return parts


def _starts_table(grid: Grid, current: _Part | None, row: int, texts: list[str]) -> bool:
    """Tell whether a row is a table's title: title text only, and, among a table's rows, title-like.

    With zeros left blank, a body row may hold nothing but a name ending in 表 (a project
    “统计报表”); among a table's rows only a 表号, a known table title or a title set apart by a
    blank row above it opens a new table.
    """
    if not all(is_title(t) for t in texts):
        return False
    if current is None or not current.body or current.footer:
        return True
    return (
        any(TABLE_NUMBER.search(squeeze(t)) for t in texts)
        or any(is_known_title(t) for t in texts)
        or (row > 0 and not grid.row_texts(row - 1))
    )


def is_known_title(text: str) -> bool:
    """Tell whether a text (表号 and a trailing parenthesis left out) is a shipped profile's table title."""
    plain = re.sub(r"[（(][^)）]*[)）]$", "", TABLE_NUMBER.sub("", squeeze(text), count=1))
    return plain in _known_titles()


@functools.cache
def _known_titles() -> frozenset[str]:
    """Return the table titles of every shipped profile, without spaces."""
    from ..profile import load_profiles  # here: the reader needs the profiles only inside a table

    return frozenset(squeeze(t.title) for p in load_profiles().values() for t in p.tables)


def _open_title(part: _Part | None) -> _Part | None:
    """Return the part when it has a title and nothing under it yet (a second title line may join it)."""
    return part if part is not None and part.title and not part.body and not part.footer else None


def _place(grid: Grid, part: _Part, row: int, texts: list[str]) -> None:
    """Put a non-title row into the table's preamble, body or footer."""
    if part.footer:
        part.footer.append(row)
    elif not part.body and all(is_preamble(t) or (len(texts) == 1 and "：" in t) for t in texts):
        part.preamble.append(row)
    elif part.body and len(texts) <= 2 and is_footer_start(texts[0]):
        part.footer.append(row)
    elif part.body and len(texts) == 1 and "。" in texts[0] and len(grid.filled(row)) == 1:
        part.footer.append(row)  # a sentence under the table: a note without 注
    else:
        part.body.append(row)


def _table(grid: Grid, part: _Part, alone: bool) -> SourceTable:
    """Make a SourceTable of a gathered part: merged header cells repeated, blank edge columns left out."""
    texts = _with_header_merges(grid, part.body)
    columns = sorted({c for r in part.body for c, t in enumerate(texts[r]) if t.strip()})
    left, right = (columns[0], columns[-1]) if columns else (0, -1)
    rows = [[Cell(texts[r][c], grid.where[r][c]) for c in range(left, right + 1)] for r in part.body]
    if part.title:
        title = " ".join(" ".join(grid.row_texts(r)) for r in part.title)
        where = grid.where[part.title[0]][grid.filled(part.title[0])[0]]
        if alone and not any(is_table_number(t) for t in title.split()):
            title = _with_sheet_number(grid.name, title)
    else:
        title, where = grid.name, grid.sheet_where
    return SourceTable(
        title=title,
        where=where,
        rows=rows,
        preamble=_lines(grid, part.preamble),
        footer=_lines(grid, part.footer),
    )


def _with_sheet_number(sheet: str, title: str) -> str:
    """Return the title preceded by the 表号 of the sheet's name when only the sheet says it (公开02表)."""
    found = TABLE_NUMBER.search(squeeze(sheet))
    return f"{found.group(0)} {title}" if found and found.group(0) not in squeeze(title) else title


def _lines(grid: Grid, rows: list[int]) -> list[Cell]:
    """Return each non-blank cell of the rows as a line (a row "部门：X  单位：万元" gives two)."""
    return [Cell(grid.texts[r][c], grid.where[r][c]) for r in rows for c in grid.filled(r)]


def _with_header_merges(grid: Grid, body: list[int]) -> list[list[str]]:
    """Return the sheet's texts with each merged header cell's text repeated over the cells it covers.

    A header row is one above the table's first row holding a number; merged cells in the body
    (a 合计 spread over the 类/款/项 columns) stay in their first cell only.
    """
    if not body or not grid.merges:
        return grid.texts
    first_data = next((r for r in body if grid.is_data_row(r)), body[-1] + 1)
    texts = [list(row) for row in grid.texts]
    for top, left, bottom, right in grid.merges:
        if top < body[0] or top >= first_data or top >= len(texts):
            continue
        value = texts[top][left]
        for r in range(top, min(bottom, len(texts) - 1) + 1):
            for c in range(left, min(right, len(texts[r]) - 1) + 1):
                texts[r][c] = value
    return texts
