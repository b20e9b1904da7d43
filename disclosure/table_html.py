"""Draw a table view's rows as HTML in Python: the hottest loop of a build (a report has ~1,800 cells).

The output is exactly what the Jinja macros `row`/`cell` of partials/table.html printed before
(same escaping, same attribute order). Most cells of a table open alike (an amount cell of a
column, a code cell, a name cell of a level), so each opening tag is drawn once per table part.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape

from .views import ViewCell, ViewRow

_SPECIAL = re.compile("[&<>\"']")


def _e(value: Any) -> str:
    """Escape as Jinja's autoescape does, without making a Markup for text that needs nothing."""
    if type(value) is str:
        return str(escape(value)) if _SPECIAL.search(value) else value
    if hasattr(value, "__html__"):
        return str(value.__html__())
    text = str(value)
    return str(escape(text)) if _SPECIAL.search(text) else text


def _name(item: tuple[str, str]) -> str:
    """Return an attribute's name as Jinja's dictsort compares it."""
    return item[0].lower()


def _attrs(attrs: Mapping[str, str]) -> str:
    # Jinja's dictsort: keys compared case-insensitively, ties kept in insertion order.
    items = sorted(attrs.items(), key=_name) if len(attrs) > 1 else attrs.items()
    return "".join([f' {_e(k)}="{_e(v)}"' for k, v in items])


def _opening(c: ViewCell, tag: str) -> str:
    """Return a cell's opening tag with its attributes."""
    parts = [f"<{tag}"]
    if c.header and c.scope:
        parts.append(f' scope="{_e(c.scope)}"')
    if c.colspan > 1:
        parts.append(f' colspan="{c.colspan}"')
    if c.rowspan > 1:
        parts.append(f' rowspan="{c.rowspan}"')
    if c.css:
        parts.append(f' class="{_e(c.css)}"')
    if c.attrs:
        parts.append(_attrs(c.attrs))
    parts.append(">")
    return "".join(parts)


def rows_html(rows: list[ViewRow]) -> Markup:
    """Return the rows of a table part (thead, tbody or tfoot) as safe HTML."""
    openings: dict[tuple[object, ...], str] = {}
    parts: list[str] = []
    for r in rows:
        css = f' class="{_e(r.css)}"' if r.css else ""
        attrs = _attrs(r.attrs) if r.attrs else ""
        parts.append(f"<tr{css}{attrs}>")
        for c in r.cells:
            text = c.text
            # th for a header that heads something: an empty header cell without a scope (the
            # blank under 行次 in the 栏次 row) heads nothing.
            tag = "th" if c.header and (c.scope or str(text).strip()) else "td"
            # The cells of a column share their attributes' mapping, alive (so its id unique) for
            # the whole call; a td prints no scope, so cells differing only in `header` open alike.
            key = (tag, c.scope, c.colspan, c.rowspan, c.css, id(c.attrs))
            opening = openings.get(key)
            if opening is None:
                opening = openings[key] = _opening(c, tag)
            if type(text) is not str or _SPECIAL.search(text):
                text = _e(text)
            parts.append(f"{opening}{text}</{tag}>")
        parts.append("</tr>")
    return Markup("".join(parts))
