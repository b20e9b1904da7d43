"""Pie and sunburst figure specs (shares of a whole), as plain JSON-able dicts like figures.py's bars."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..money import ZERO
from .figures import INK, is_dark, layout, num, series_style


@dataclass
class Slice:
    """One slice of a pie: label, amount, the printed label and hover text."""

    label: str
    value: Decimal
    text: str
    hover: str


def pie_figure(slices: list[Slice], *, height: int = 360) -> dict[str, Any]:
    """Return a donut chart of shares whose labels (name, amount, share) are printed outside."""
    colours = [series_style(i)[0] for i in range(len(slices))]
    patterns = [series_style(i)[1] for i in range(len(slices))]
    trace: dict[str, Any] = {
        "type": "pie",
        "hole": 0.45,
        "sort": False,
        "direction": "clockwise",
        "labels": [s.label for s in slices],
        "values": [num(s.value) for s in slices],
        "text": [s.text for s in slices],
        "hovertext": [s.hover for s in slices],
        "textinfo": "text",
        "hoverinfo": "text",
        "textposition": "outside",
        "automargin": False,
        "marker": {
            "colors": colours,
            "line": {"color": "#ffffff", "width": 1.5},
            # "replace" with the slice colours as background: plotly.js mishandles "overlay" per slice.
            "pattern": {
                "shape": patterns,
                "fillmode": "replace",
                "bgcolor": colours,
                "fgcolor": "#ffffff",
                "size": 7,
                "solidity": 0.35,
            },
        },  # fmt: skip
    }
    spec_layout = layout(height, legend=False)
    spec_layout["margin"] = {"l": 110, "r": 110, "t": 60, "b": 60}
    return {"data": [trace], "layout": spec_layout}


@dataclass
class Node:
    """One sector of a sunburst: id, label, parent id, amount, printed label and hover text."""

    id: str
    label: str
    parent: str
    value: Decimal
    text: str
    hover: str
    colour: str


def sunburst_figure(nodes: list[Node], *, height: int = 560) -> dict[str, Any]:
    """Return a sunburst (click a sector to drill down); parents are drawn at least as large as
    their children, so a rounding tail (a 类 0.01 below the sum of its 款) cannot hide a branch."""
    children: dict[str, list[Node]] = {}
    for node in nodes:
        children.setdefault(node.parent, []).append(node)
    sizes: dict[str, Decimal] = {}

    def size(node: Node) -> Decimal:
        if node.id not in sizes:
            below = sum((size(c) for c in children.get(node.id, [])), ZERO)
            sizes[node.id] = max(node.value, below, ZERO)
        return sizes[node.id]

    trace: dict[str, Any] = {
        "type": "sunburst",
        "branchvalues": "total",
        "sort": False,
        "ids": [n.id for n in nodes],
        "labels": [n.label for n in nodes],
        "parents": [n.parent for n in nodes],
        "values": [num(size(n)) for n in nodes],
        "text": [n.text for n in nodes],
        "hovertext": [n.hover for n in nodes],
        "textinfo": "text",
        "hoverinfo": "text",
        "insidetextorientation": "horizontal",
        "insidetextfont": {"color": ["#ffffff" if is_dark(n.colour) else INK for n in nodes], "size": 12},
        "marker": {"colors": [n.colour for n in nodes], "line": {"color": "#ffffff", "width": 1.2}},
    }
    spec_layout = layout(height, legend=False)
    spec_layout["margin"] = {"l": 5, "r": 5, "t": 5, "b": 5}
    return {"data": [trace], "layout": spec_layout}


def lighten(colour: str, amount: float) -> str:
    """Mix a colour with white (amount 0 keeps it, 1 gives white)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mixed = (round(c + (255 - c) * amount) for c in (r, g, b))
    return "#" + "".join(f"{c:02x}" for c in mixed)
