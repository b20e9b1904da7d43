"""A table's cells as each download writes them, converted column by column, once.

report.json holds an amount as the Decimal's text, the workbook and the CSV as amount_text gives
it, and the CSV quotes text a spreadsheet would read as a formula. Converting each column as a
whole (rather than each cell three times, branching on its type) is most of what makes the
downloads cheap; report.json's rows are written here too, as json.dumps would write them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring  # what json.dumps uses for a str with ensure_ascii=False

from .rows import TableData, Value, amount_text

# A CSV cell a spreadsheet would read as a formula starts with one of these: it is quoted, so that
# a 科目名称 typed as '=HYPERLINK(…)' stays text when the CSV is opened in Excel or WPS.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Texts = Sequence[str | None]

# report.json's encoding (compact, keys sorted, not ASCII-escaped), made once for every value.
dump = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def json_object(encoded: Mapping[str, str]) -> str:
    """Return a JSON object from its members' encoded values, keys sorted as json.dumps sorts them."""
    return "{" + ",".join([f"{encode_basestring(k)}:{encoded[k]}" for k in sorted(encoded)]) + "}"


@dataclass
class TableTexts:
    """One table's rows as written: report.json's rows, the workbook's columns, the CSV's rows."""

    json_rows: str
    book: list[Texts]
    csv: list[Texts]


def table_texts(data: TableData) -> TableTexts:
    """Return a table's cells as report.json, the workbook and the CSV write them."""
    names = [f.name for f in data.fields]
    columns: list[Sequence[Value]] = list(zip(*data.rows, strict=True)) if data.rows else [[] for _ in names]
    encoded: list[list[str]] = []
    book: list[Texts] = []
    csv: list[Texts] = []
    for f, column in zip(data.fields, columns, strict=True):
        if f.is_amount:  # Decimal or None
            texts = [None if v is None else str(v) for v in column]
            encoded.append(["null" if t is None else f'"{t}"' for t in texts])  # digits: nothing to escape
            exact = [  # most have two decimals already; most others are zeros (a 0 in the data)
                t if t is None or t[-3:-2] == "." else "0.00" if t == "0" else amount_text(v)  # type: ignore[arg-type]
                for t, v in zip(texts, column, strict=True)
            ]
            book.append(exact)
            csv.append(exact)
        else:  # text, or the 行次 int
            encoded.append(
                [
                    "null" if v is None else encode_basestring(v) if isinstance(v, str) else dump(v)
                    for v in column
                ]
            )
            texts = [None if v is None else str(v) for v in column]
            book.append(texts)
            csv.append([t if t is None or t[:1] not in FORMULA_STARTS else "'" + t for t in texts])
    return TableTexts(_json_rows(names, encoded, len(data.rows)), book, list(zip(*csv, strict=True)))


def _json_rows(names: list[str], encoded: list[list[str]], count: int) -> str:
    """Return the rows as a JSON array of objects keyed by field name (keys sorted)."""
    order = sorted(range(len(names)), key=names.__getitem__)
    members = [
        [key + v for v in encoded[i]] for i, key in ((i, encode_basestring(names[i]) + ":") for i in order)
    ]
    rows = [",".join(row) for row in zip(*members, strict=True)] if members else [""] * count
    return "[" + ",".join(["{" + row + "}" for row in rows]) + "]"
