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
# Fewer body rows than this do not show a column's full width (an amount right-aligned, blank zeros
# leaving a column empty): the 栏次 numbers under the headings then give the columns.
_FEW_ROWS = 3


def aligned_rows(lines: list[Line]) -> list[list[Cell]]:
    """Return the rows of a table without ruling lines, its columns found from how words line up.

    A line holding text in one column only, no number, nearer to a body row than rows are to each
    other, is part of that row's cell: a 科目名称 wrapped over two lines, printed either from the
    row's line down or centred around it (the amounts then sit between the name's two lines).
    """
    bands = _bands(lines)
    texts = _placed_words(lines, bands)
    owners = _fragment_owners(lines, texts)
    return [_row(n, lines[n], texts, owners) for n in range(len(lines)) if n not in owners]


def _placed_words(lines: list[Line], bands: list[tuple[float, float]]) -> list[list[list[str]]]:
    """Return, for each line, the words that fall in each band."""
    texts: list[list[list[str]]] = []
    previous: Line | None = None
    for line in lines:
        # The first line of the table, or of its part on a new page: group headings may spread.
        first_heading = not _has_amount(line) and (previous is None or previous.page != line.page)
        placed: list[list[str]] = [[] for _ in bands]
        for word, places in zip(line.words, _places(line, bands, first_heading), strict=True):
            for index in places:
                placed[index].append(word.text)
        texts.append(placed)
        previous = line
    return texts


def _row(n: int, line: Line, texts: list[list[list[str]]], owners: dict[int, int]) -> list[Cell]:
    """Return line n as a row of cells, the lines of its wrapped cells joined in (above, then below)."""
    above = [m for m in owners if owners[m] == n and m < n]
    below = [m for m in owners if owners[m] == n and m > n]
    row = []
    for b in range(len(texts[n])):
        parts = [" ".join(texts[m][b]) for m in [*above, n, *below]]
        text = join_wrapped(parts) if above or below else parts[0]
        row.append(Cell(text, f"{line.where}第 {b + 1} 列"))
    return row


def _fragment_owners(lines: list[Line], texts: list[list[list[str]]]) -> dict[int, int]:
    """Return, for each line that is the rest of a wrapped cell, the body row (line index) it belongs to."""
    body = [n for n, line in enumerate(lines) if _has_amount(line)]
    pitches = sorted(
        lines[b].top - lines[a].top
        for a, b in zip(body, body[1:], strict=False)
        if lines[a].page == lines[b].page
    )
    if not body or not pitches:
        return {}
    pitch = pitches[len(pitches) // 2]  # the usual distance between two one-line rows
    owners: dict[int, int] = {}
    for n, line in enumerate(lines):
        filled = [b for b, words in enumerate(texts[n]) if words]
        if n < body[0] or len(filled) != 1 or _has_number(line):
            continue
        near = [m for m in body if lines[m].page == line.page]
        if not near:
            continue
        owner = min(near, key=lambda m: abs(lines[m].top - line.top))
        beside = " ".join(texts[owner][filled[0]])  # the row's own text in that column
        if abs(lines[owner].top - line.top) < pitch * 0.9 and not looks_numeric(beside):
            owners[n] = owner
    return owners


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
    that meets no body band marks a column of its own (one left blank all the way down), unless it
    is the heading of the text column just left of it: names are printed from the left, their
    heading centred, so over short names (合计 alone) it lies to their right. Lines of bare numbers
    (栏次 1 2 3, a row of 行次 only) give no band, they are centred under headings.
    """
    rows = [line for line in lines if _has_amount(line)]
    spans = [(w.x0, w.x1) for line in rows for w in line.words]
    body = [part for band in _merge(spans) for part in _split(band, spans, len(rows))]
    if len(rows) < _FEW_ROWS:
        body = _merge([*body, *_numbered_columns(lines, body)])
    numbers = [w for line in rows for w in line.words if looks_numeric(w.text)]
    # With few rows, a heading on any line under the group headings may head the text column (its
    # own heading, not that of a blank amount column beside it); 栏次 centred under 项目 does not.
    headings = [line for line in lines if not _has_amount(line)]
    below_groups = [w for line in headings[1:] for w in line.words if not _has_number(line)]
    alone: list[tuple[float, float]] = []
    for line in lines:
        if _has_amount(line):
            continue
        for word in line.words:
            if looks_numeric(word.text) or any(a < word.x1 and word.x0 < b for a, b in body):
                continue
            left = [band for band in body if band[1] <= word.x0]
            text_column = left and not any(left[-1][0] <= w.x0 and w.x1 <= left[-1][1] for w in numbers)
            heads = line.words + (below_groups if len(rows) < _FEW_ROWS else [])
            headed = text_column and any(left[-1][0] < w.x1 and w.x0 < left[-1][1] for w in heads)
            if text_column and not headed:
                alone.append((left[-1][0], word.x1))  # widen the names' column to its heading
            else:
                alone.append((word.x0, word.x1))
    return _merge([*body, *alone])


def _numbered_columns(lines: list[Line], body: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Return the columns the body leaves empty that the 栏次 line numbers (1 2 3 …, centred in each).

    A number's column reaches half way to its neighbours'; when no body word falls in it, the
    column is blank all the way down and is given just short of that width (never into a body band).
    """
    numbers = _column_numbers(lines)
    if len(numbers) < 2:
        return []
    centres = [(w.x0 + w.x1) / 2 for w in numbers]
    gaps = [b - a for a, b in zip(centres, centres[1:], strict=False)]
    empty: list[tuple[float, float]] = []
    for i, centre in enumerate(centres):
        left, right = gaps[max(i - 1, 0)] / 2, gaps[min(i, len(gaps) - 1)] / 2
        if any(a < centre + right and centre - left < b for a, b in body):
            continue  # the body has this column
        half = 0.9 * min(left, right)
        start = max([centre - half, *(b + 0.5 for a, b in body if b <= centre)])
        end = min([centre + half, *(a - 0.5 for a, b in body if a >= centre)])
        empty.append((start, end))
    return empty


def _column_numbers(lines: list[Line]) -> list[Word]:
    """Return the numbers of the 栏次 line (consecutive numbers, 栏次 or 行次 beside them at most)."""
    for line in lines:
        numbers = [w for w in line.words if w.text.isdigit()]
        labels = [w for w in line.words if not w.text.isdigit()]
        if len(numbers) < 2 or any(w.text not in ("栏次", "行次") for w in labels):
            continue
        first = int(numbers[0].text)
        if [int(w.text) for w in numbers] == list(range(first, first + len(numbers))):
            return numbers
    return []


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
