"""A PDF page's layout as text: lines of words, ruled tables' cells, whitespace-aligned columns.

pdfplumber gives the words and the ruling lines; this module turns them into what the reader
walks through: text lines (outside ruled tables) and ruled tables as rows of cell texts, then,
for tables without lines, the columns found from how the words line up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .glyphs import restore
from .grid import looks_numeric
from .source import Cell

_TOLERANCE = 1.5  # points: edges closer than this are the same ruling line


@dataclass(slots=True)
class Word:
    """A run of characters without a gap, with its box (points from the page's top left)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(slots=True)
class Line:
    """A text line of a page: its words left to right, its number on the page (from 1)."""

    page: int
    number: int
    words: list[Word]

    @property
    def text(self) -> str:
        """Return the line's words joined by a space."""
        return " ".join(w.text for w in self.words)

    @property
    def top(self) -> float:
        """Return the line's top."""
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        """Return the line's bottom."""
        return max(w.bottom for w in self.words)

    @property
    def height(self) -> float:
        """Return the height of the line's tallest word."""
        return max(w.bottom - w.top for w in self.words)

    @property
    def where(self) -> str:
        """Return the line's location for messages."""
        return f"第 {self.page} 页第 {self.number} 行"

    def widest_gap(self) -> float:
        """Return the widest blank between two neighbouring words (0 for one word)."""
        return max((b.x0 - a.x1 for a, b in zip(self.words, self.words[1:], strict=False)), default=0.0)

    def cell(self) -> Cell:
        """Return the line as a located cell."""
        return Cell(self.text, self.where)


@dataclass(slots=True)
class RuledTable:
    """A table drawn with ruling lines: its rows of cell texts (merged header cells repeated)."""

    page: int
    top: float
    bottom: float
    rows: list[list[Cell]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)  # its words as text lines, read when no title owns it


def join_wrapped(parts: list[str]) -> str:
    """Join the lines of one cell: a space only between Latin words or digits (“1,547” never wraps).

    A line ending in a half-width comma or semicolon broke at the space printed after it ("错误, 应为").
    """
    text = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if text and (text[-1] in ",;:!?" or (_word(text[-1]) and _word(part[0]))):
            text += " "
        text += part
    return text


def _word(char: str) -> bool:
    """Tell whether a character is a Latin letter or digit (a line broken between two such is a space)."""
    return char.isascii() and char.isalnum()


def page_words(page: Any) -> list[Word]:
    """Return the page's words, their text restored (radical code points → ideographs)."""
    return [
        Word(restore(w["text"]), w["x0"], w["x1"], w["top"], w["bottom"])
        for w in page.extract_words(keep_blank_chars=False, use_text_flow=False)
    ]


def group_lines(page: int, words: list[Word]) -> list[Line]:
    """Group words into lines: a word whose top is within a third of a line's height joins it."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines:
            last = lines[-1]
            height = max(w.bottom - w.top for w in last)
            if abs(word.top - last[0].top) <= max(2.0, height / 3):
                last.append(word)
                continue
        lines.append([word])
    return [Line(page, n, sorted(ws, key=lambda w: w.x0)) for n, ws in enumerate(lines, 1)]


# ---------------------------------------------------------------- ruled tables


def ruled_tables(page: Any, number: int) -> list[RuledTable]:
    """Return the page's ruled tables, each spanning (top, bottom) the band its real rows cover.

    A row that is one cell as wide as the table (a title or a note drawn in a box, a heading
    underlined up to the table) is left out: its words are read as ordinary lines. Such a row
    between rows cuts the table in two: tables printed close together (one project's table under
    another's, the title and 注 between them) are found by pdfplumber as one grid.
    """
    found = []
    for table in page.find_tables():
        boxes = [row.cells for row in table.rows]
        texts = _unmixed(page, table.extract(), boxes)
        for first, last in _runs([not _full_width(row, table.bbox) for row in boxes]):
            rows = _cells(texts[first : last + 1], boxes[first : last + 1], number, first)
            found.append(RuledTable(number, table.rows[first].bbox[1], table.rows[last].bbox[3], rows))
    return found


def _unmixed(page: Any, texts: list[list[str | None]], boxes: list[list[Any]]) -> list[list[str | None]]:
    """Return the cell texts, a cell that takes in other cells read only up to the first of them.

    A merged cell cut by a page break (一级指标 over rows running on to the next page) has no bottom
    edge on this page: the grid gives it a box reaching over its neighbours, whose words it would
    mix into its own (“产出 公费医疗待遇享≥70人 … 指标”). Its own column ends where they start.
    """
    cells = [box for row in boxes for box in row if box is not None]
    fixed = [list(row) for row in texts]
    for r, row in enumerate(boxes):
        for c, box in enumerate(row):
            inner = [o for o in cells if o is not box and _inside(o, box) and o[0] > box[0] + _TOLERANCE]
            if box is not None and inner and r < len(fixed) and c < len(fixed[r]):
                left, top, right, bottom = page.bbox  # a box cut by the page break may reach past the page
                own = (max(box[0], left), max(box[1], top), min(o[0] for o in inner), min(box[3], bottom))
                if own[0] < own[2] and own[1] < own[3]:
                    fixed[r][c] = page.crop(own).extract_text() or ""
    return fixed


def _inside(inner: Any, outer: Any) -> bool:
    """Tell whether a cell box lies within another (edges shared within the tolerance)."""
    if outer is None:
        return False
    return (
        inner[0] >= outer[0] - _TOLERANCE
        and inner[2] <= outer[2] + _TOLERANCE
        and inner[1] >= outer[1] - _TOLERANCE
        and inner[3] <= outer[3] + _TOLERANCE
    )


def _runs(kept: list[bool]) -> list[tuple[int, int]]:
    """Return (first, last) of each run of kept rows."""
    runs: list[tuple[int, int]] = []
    for i, keep in enumerate(kept):
        if not keep:
            continue
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


def _full_width(row: list[Any], bbox: tuple[float, float, float, float]) -> bool:
    present = [c for c in row if c is not None]
    return len(present) == 1 and present[0][0] - bbox[0] < _TOLERANCE and bbox[2] - present[0][2] < _TOLERANCE


def _cells(texts: list[list[str | None]], boxes: list[list[Any]], page: int, offset: int) -> list[list[Cell]]:
    """Return a ruled table's cell texts, a merged header cell repeated over the cells it covers.

    A grid column where no cell of these rows starts (an edge drawn for another table on the
    same grid) is dropped: it would put a blank between a label and its amounts.
    """
    used = sorted({c for row in boxes for c, box in enumerate(row) if box is not None})
    boxes = [[row[c] for c in used] for row in boxes]
    values = [[join_wrapped(restore(row[c] or "").split("\n")) for c in used] for row in texts]
    first_data = next((r for r, row in enumerate(values) if any(looks_numeric(t) for t in row)), len(values))
    lefts = sorted({box[0] for row in boxes for box in row if box is not None})
    tops = [min((box[1] for box in row if box is not None), default=0.0) for row in boxes]
    for r, row in enumerate(boxes[:first_data]):
        for c, box in enumerate(row):
            if box is None:
                continue
            columns = [i for i, x in enumerate(lefts) if box[0] - _TOLERANCE < x < box[2] - _TOLERANCE]
            rows = [i for i, y in enumerate(tops) if box[1] - _TOLERANCE < y < box[3] - _TOLERANCE]
            for i in rows:
                for j in columns:
                    if (i, j) != (r, c) and i < len(values) and j < len(values[i]) and boxes[i][j] is None:
                        values[i][j] = values[r][c]
    return [
        [Cell(text, f"第 {page} 页表格第 {r + offset + 1} 行第 {c + 1} 列") for c, text in enumerate(row)]
        for r, row in enumerate(values)
    ]
