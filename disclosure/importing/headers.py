"""Recognise tables by their titles and 表号, and columns by their header text (never by position)."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from ..profile import Column, Profile, TableDef
from .numbers import clean_text, looks_like_amount
from .source import Cell, SourceTable

_ORDINAL = re.compile(r"^([一二三四五六七八九十]+、|\d+[.、]|[(（][一二三四五六七八九十\d]+[)）])")
# A 表号 at the start of a title stands apart from the title (“表七 一般公共预算…”: 一 is not part of 七).
_NUMBER_IN = re.compile(r"^\s*(公开\s*\d{1,2}\s*表|表\s*[一二三四五六七八九十]+)(?:\s+|$)")
_NOT_VALUES = {"类", "款", "项", "项目", "栏次", "行次", "科目"}
SYNONYMS = {
    "小计": ("合计",),
    "合计": ("小计",),
    "金额": ("决算数", "预算数", "本年数", "金额合计"),
    "预算数": ("金额",),
    "决算数": ("金额",),
}


def key(text: str) -> str:
    """Return the comparable form of a title, header or row label (no spaces, markup, width, ordinals)."""
    folded = clean_text(text).replace("与", "和")
    return _ORDINAL.sub("", folded)


def plain(text: str) -> str:
    """Return a name as it should be written: markup and spaces dropped, full-width punctuation kept."""
    return re.sub(r"\s+", "", re.sub(r"</?b>|\*\*", "", text or ""))


def table_number(table: SourceTable) -> str:
    """Return the 表号 printed with a table (公开02表, 表二), or ""."""
    for text in [table.title, *(c.text for c in table.preamble)]:
        match = _NUMBER_IN.match(text.replace("**", "").strip())
        if match:
            return clean_text(match.group(1))
    return ""


def title_key(table: SourceTable) -> str:
    """Return the table's title without its 表号 (the part to compare with a profile's titles)."""
    folded = clean_text(_NUMBER_IN.sub("", table.title.replace("**", "").strip(), count=1))
    folded = re.sub(r"^表\d+(-\d+)?", "", folded)
    return key(folded)


def match_score(table: SourceTable, definition: TableDef) -> int:
    """Score how surely a source table is this profile table: 3 title, 2 表号, 1 title ends alike, 0 not."""
    title = title_key(table)
    wanted = key(definition.title)
    if title == wanted:
        return 3
    number = table_number(table)
    if number and number == clean_text(definition.number):
        return 2
    if title.endswith(wanted) and len(wanted) >= 4 and not number:
        return 1
    return 0


def profile_score(tables: list[SourceTable], profile: Profile) -> int:
    """Score a profile by how many of its tables the document's titles and 表号 name."""
    return sum(max((match_score(t, d) for t in tables), default=0) for d in profile.tables)


def assign_tables(
    tables: list[SourceTable], profile: Profile
) -> tuple[dict[str, SourceTable], list[SourceTable]]:
    """Assign each profile table its source table; return them and the source tables left over.

    A later table with an assigned table's title is that table continued after a page break: the
    returned table is a copy holding both runs of rows (the document itself is left unchanged).
    """
    found: dict[str, SourceTable] = {}
    used: set[int] = set()
    for strength in (3, 2, 1):
        for definition in profile.tables:
            if definition.number in found:
                continue
            for index, table in enumerate(tables):
                if index not in used and match_score(table, definition) == strength:
                    found[definition.number] = SourceTable(
                        table.title, table.where, list(table.rows), list(table.preamble), list(table.footer)
                    )
                    used.add(index)
                    break
    for index, table in enumerate(tables):
        if index in used or not table.title:
            continue
        for first in found.values():
            if title_key(table) == title_key(first):
                first.rows.extend(table.rows)
                first.footer.extend(table.footer)
                used.add(index)
                break
    return found, [t for i, t in enumerate(tables) if i not in used]


# ---------------------------------------------------------------- header rows and column paths


def is_column_numbers(row: list[Cell]) -> bool:
    """Tell whether a row is the 栏次 row (栏次 1 2 3 … or just the column numbers)."""
    texts = [clean_text(c.text) for c in row if clean_text(c.text)]
    if any(t in ("栏次", "行次") for t in texts) and all(t.isdigit() or t in ("栏次", "行次") for t in texts):
        return True
    digits = [int(t) for t in texts if t.isdigit()]
    return (
        len(digits) >= 3
        and len(digits) == len(texts)
        and digits == list(range(digits[0], digits[0] + len(digits)))
    )


def is_blank(row: list[Cell]) -> bool:
    """Tell whether every cell of a row is empty."""
    return not any(clean_text(c.text) for c in row)


@dataclass
class Header:
    """A table's header: its rows and, per column, the stacked header texts above it."""

    rows: list[list[Cell]]
    paths: list[list[str]]

    def keys(self) -> set[tuple[str, ...]]:
        """Return each header row as a tuple of keys (to recognise repeats after page breaks)."""
        return {tuple(key(c.text) for c in row) for row in self.rows}

    def columns_named(self, *names: str) -> list[int]:
        """Return the columns whose lowest header text is one of names."""
        return [j for j, path in enumerate(self.paths) if path and path[-1] in names]

    def value_columns(self) -> list[int]:
        """Return the columns that may hold amounts (not 代码, 名称, 类/款/项, 行次)."""
        result = []
        for j, path in enumerate(self.paths):
            last = path[-1] if path else ""
            if not last or last in _NOT_VALUES or any(w in last for w in ("代码", "编码", "名称", "类别")):
                continue
            result.append(j)
        return result


def read_header(rows: list[list[Cell]], is_data: object) -> Header:
    """Take the rows above the first data row as the header and stack their texts per column."""
    header_rows: list[list[Cell]] = []
    for row in rows:
        if is_data(row):  # type: ignore[operator]
            break
        if not is_column_numbers(row) and not is_blank(row):
            header_rows.append(row)
    width = max((len(r) for r in rows), default=0)
    texts = [[key(c.text) for c in row] + [""] * (width - len(row)) for row in header_rows]
    paths: list[list[str]] = []
    for j in range(width):
        path: list[str] = []
        for r, line in enumerate(texts):
            text = line[j]
            if not text and any(lower[j] for lower in texts[r + 1 :]):
                # A blank cell in an upper row under a merged header: take the header to its left.
                text = next((line[i] for i in range(j - 1, -1, -1) if line[i]), "")
            if text and (not path or path[-1] != text):
                path.append(text)
        paths.append(path)
    return Header(header_rows, paths)


def _score(column: Column, path: list[str]) -> int:
    """Score how well a header path names a column (4 whole, 3 last part, 2 synonym)."""
    if not path:
        return 0
    names = {key(column.key), key(column.label)}
    joined = "".join(path)
    if joined in names:
        return 4
    if path[-1] in names:
        return 3
    synonyms = {s for n in names for s in SYNONYMS.get(n, ())}
    if path[-1] in synonyms or any(joined.endswith(n) for n in names):
        return 2
    return 0


def match_columns(
    header: Header, columns: tuple[Column, ...], within: Collection[int] | None = None
) -> dict[str, int]:
    """Match each profile column to the source column whose header text names it best."""
    candidates = [j for j in header.value_columns() if within is None or j in within]
    scored = sorted(
        ((_score(c, header.paths[j]), -j, i, j) for i, c in enumerate(columns) for j in candidates),
        reverse=True,
    )
    found: dict[str, int] = {}
    taken: set[int] = set()
    for score, _, i, j in scored:
        if score == 0:
            break
        if columns[i].key in found or j in taken:
            continue
        found[columns[i].key] = j
        taken.add(j)
    return found


def has_amount(row: list[Cell]) -> bool:
    """Tell whether any cell prints an amount with decimals or separators."""
    return any(looks_like_amount(c.text) for c in row)
