"""Tables printed without ruling lines: columns found from how the words line up.

The body's rows (lines holding an amount) give the columns: bands of x where their words overlap.
Headings are placed over the band(s) they cover; a group heading on a table's first header line
(收入 over 项目/行次/金额, 预算数 over six columns) is centred over its group, so it is repeated
over the narrowest run of two or more columns it is centred on, as a merged cell of a ruled table
would be (the narrowest: a wider run around the same middle takes in sibling headings' columns).
"""

from __future__ import annotations

from .grid import looks_numeric
from .pdflayout import Line, Word, join_wrapped
from .source import Cell

_CENTRED = 6.0  # points: how far a group heading may sit from the middle of the columns it spans


def aligned_rows(lines: list[Line]) -> list[list[Cell]]:
    """Return the rows of a table without ruling lines, its columns found from how words line up.

    Columns are the bands where words of the body (lines holding a number) overlap; header words
    are placed in the band they overlap most (repeated over every band a wide heading covers), and a
    heading over no band makes its own. A line holding only the rest of the line above's text,
    closer to it than rows are to each other, is that cell's second line (a wrapped 科目名称).
    """
    bands = _bands(lines)
    rows: list[list[Cell]] = []
    previous: Line | None = None
    for line in lines:
        texts: list[list[str]] = [[] for _ in bands]
        first_heading = not _has_amount(line) and (
            previous is None or _has_amount(previous) or previous.page != line.page
        )
        for word, places in zip(line.words, _places(line, bands, first_heading), strict=True):
            for index in places:
                texts[index].append(word.text)
        cells = [Cell(" ".join(t), f"{line.where}第 {i + 1} 列") for i, t in enumerate(texts)]
        if rows and previous is not None and _continues(line, previous, texts, rows[-1]):
            index = next(i for i, t in enumerate(texts) if t)
            above = rows[-1][index]
            rows[-1][index] = Cell(join_wrapped([above.text, cells[index].text]), above.where)
        else:
            rows.append(cells)
        previous = line
    return rows


def _places(line: Line, bands: list[tuple[float, float]], first_heading: bool) -> list[list[int]]:
    """Return the band(s) of each word of a line; group headings of a first header line spread."""
    places = [_band_of(word, bands, repeat=not _has_number(line)) for word in line.words]
    if not first_heading:
        return places
    for n, word in enumerate(line.words):
        others = {i for m, p in enumerate(places) if m != n for i in p}
        group = _centred_group(word, bands, others)
        if len(group) > len(places[n]):
            places[n] = group
    return places


def _centred_group(word: Word, bands: list[tuple[float, float]], taken: set[int]) -> list[int]:
    """Return the narrowest run of two or more free bands the word is centred over (or none)."""
    centre = (word.x0 + word.x1) / 2
    best: list[int] = []
    for first in range(len(bands)):
        for last in range(first, len(bands)):
            run = list(range(first, last + 1))
            if taken & set(run):
                break
            middle = (bands[first][0] + bands[last][1]) / 2
            if abs(middle - centre) <= _CENTRED and len(run) > 1 and (not best or len(run) < len(best)):
                best = run
    return best


def _has_number(line: Line) -> bool:
    return any(looks_numeric(w.text) for w in line.words)


def _has_amount(line: Line) -> bool:
    """Tell whether a line holds an amount (a number with decimals): a body row, not 栏次 or a header."""
    return any(looks_numeric(w.text) and "." in w.text for w in line.words)


def _bands(lines: list[Line]) -> list[tuple[float, float]]:
    """Return the column bands, left to right.

    The body's words (lines holding an amount) give the bands where they overlap. A heading word
    that meets no body band marks a column of its own (one left blank all the way down); lines of
    bare numbers (栏次 1 2 3, a row of 行次 only) give no band, they are centred under headings.
    """
    rows = [line for line in lines if _has_amount(line)]
    spans = [(w.x0, w.x1) for line in rows for w in line.words]
    body = [part for band in _merge(spans) for part in _split(band, spans, len(rows))]
    headings = [w for line in lines if not _has_amount(line) for w in line.words if not looks_numeric(w.text)]
    alone = [(w.x0, w.x1) for w in headings if not any(a < w.x1 and w.x0 < b for a, b in body)]
    return _merge([*body, *alone])


def _split(
    band: tuple[float, float], spans: list[tuple[float, float]], rows: int
) -> list[tuple[float, float]]:
    """Cut a band where nearly every row leaves a gap: a merged body cell (人员经费合计 over 科目代码 and
    科目名称) bridges two columns in a row or two, and must not join them."""
    inside = [(a, b) for a, b in spans if band[0] <= a and b <= band[1]]
    few = max(1, rows // 10)
    for x in sorted({b for _, b in inside}):
        crossing = sum(1 for a, b in inside if a < x < b)
        if crossing <= few and any(a > x for a, _ in inside) and any(b <= x for _, b in inside):
            following = min(a for a, _ in inside if a > x)
            return [(band[0], x), *_split((following, band[1]), spans, rows)]
    return [band]


def _merge(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for a, b in sorted(spans):
        if merged and a < merged[-1][1] + 0.5:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _band_of(word: Word, bands: list[tuple[float, float]], repeat: bool) -> list[int]:
    """Return the band(s) a word belongs to: every band it covers when repeating headings, else the nearest."""
    overlaps = [(min(word.x1, b) - max(word.x0, a), i) for i, (a, b) in enumerate(bands)]
    covered = [i for size, i in overlaps if size > 0]
    if len(covered) > 1:
        # A heading over several columns is repeated in each; a merged body cell goes in its first.
        return covered if repeat else covered[:1]
    return [max(overlaps)[1]]  # the largest overlap, or else the smallest distance (least negative)


def _continues(line: Line, previous: Line, texts: list[list[str]], above: list[Cell]) -> bool:
    """Tell whether a line is the second line of a wrapped cell of the row above."""
    filled = [i for i, t in enumerate(texts) if t]
    if len(filled) != 1 or _has_number(line) or not _has_number(previous):
        return False
    index = filled[0]
    gap = line.top - previous.bottom
    return bool(above[index].text) and not looks_numeric(above[index].text) and gap < line.height * 0.5
