"""Draw a table view's rows as HTML in Python: the hottest loop of a build (a report has ~700 cells).

The output is exactly what the Jinja macros `row`/`cell` of partials/table.html printed before
(same escaping, same attribute order), at a tenth of the cost.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape

from .views import ViewCell, ViewRow

_SPECIAL = re.compile("[&<>\"']")


def _e(value: Any) -> str:
    """Escape as Jinja's autoescape does, without making a Markup for text that needs nothing."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    text = str(value)
    return str(escape(text)) if _SPECIAL.search(text) else text


def _attrs(attrs: dict[str, str]) -> str:
    # Jinja's dictsort: keys compared case-insensitively, ties kept in insertion order.
    items = sorted(attrs.items(), key=lambda kv: kv[0].lower()) if len(attrs) > 1 else attrs.items()
    return "".join(f' {_e(k)}="{_e(v)}"' for k, v in items)


def cell_html(c: ViewCell) -> str:
    """Return one cell: th for a header that heads something, td otherwise."""
    # An empty header cell without a scope (the blank under 行次 in the 栏次 row) heads nothing.
    tag = "th" if c.header and (c.scope or str(c.text).strip()) else "td"
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
    parts.append(f">{_e(c.text)}</{tag}>")
    return "".join(parts)


def row_html(r: ViewRow) -> str:
    """Return one table row with its cells."""
    css = f' class="{_e(r.css)}"' if r.css else ""
    attrs = _attrs(r.attrs) if r.attrs else ""
    return f"<tr{css}{attrs}>{''.join(cell_html(c) for c in r.cells)}</tr>"


def rows_html(rows: list[ViewRow]) -> Markup:
    """Return the rows of a table part (thead, tbody or tfoot) as safe HTML."""
    return Markup("".join(row_html(r) for r in rows))
