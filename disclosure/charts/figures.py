"""Figure specs as plain JSON-able dicts: one builder per figure type, filled with computed values.

No plotly import here: building a dict is fast, and plotly.graph_objects validation (slow) runs once
per figure type in the tests. Every text a reader sees — bar labels, hover labels, axis ticks — is a
string formatted in Python with format_money / format_percent; plotly never formats a number.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from functools import cached_property
from typing import Any

from ..money import ZERO, format_money, format_percent

FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
INK = "#1a1a1a"
GRID = "#e3e3e3"

# Blue / orange / gray with well separated lightness (CIE L* ≈ 32, 72, 55, 80, 45, 86), so that the
# series stay apart in grayscale print and for colour-blind readers; each series also gets its own
# fill pattern, and every bar or slice carries its amount as a text label.
BLUE = "#1f4e79"
ORANGE = "#e69f00"
GRAY = "#858585"
LIGHT_BLUE = "#9ecae1"
DARK_ORANGE = "#a6561c"
LIGHT_GRAY = "#d4d4d4"
SERIES_COLOURS = (BLUE, ORANGE, GRAY, LIGHT_BLUE, DARK_ORANGE, LIGHT_GRAY)
SERIES_PATTERNS = ("", "/", ".", "x", "\\", "-")
# Roles used across charts: this year / actual is solid dark blue, last year is gray with "/",
# the year-start budget is orange with ".".
CURRENT = (BLUE, "")
PREVIOUS = (GRAY, "/")
BUDGET = (ORANGE, ".")

_NICE = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
_CENT = Decimal("0.01")


def series_style(index: int) -> tuple[str, str]:
    """Return the colour and pattern of the index-th series."""
    return SERIES_COLOURS[index % len(SERIES_COLOURS)], SERIES_PATTERNS[index % len(SERIES_PATTERNS)]


def is_dark(colour: str) -> bool:
    """Tell whether white text reads better than black on a colour (relative luminance < 0.4)."""
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.4


def num(value: Decimal | None) -> float | None:
    """Return a plotting value derived exactly from the Decimal (str → float); None stays a gap."""
    return None if value is None else float(str(value))


def money(value: Decimal | None) -> str:
    """Format an amount as the documents print it (1,547.33); unknown prints as —."""
    return "—" if value is None else format_money(value)


def pct(value: Decimal | None) -> str:
    """Format a percentage exactly as the notes print it (28.56%; a missing ratio is 0.00%)."""
    return format_percent(value)


@dataclass
class DataRow:
    """One row of a chart's data table: a row header and its formatted cells."""

    label: str
    cells: list[str]
    code: str = ""
    level: str = ""


@dataclass
class DataTable:
    """The data of a chart as a table, for screen readers and readers without JavaScript."""

    head: list[str]
    rows: list[DataRow]
    codes: bool = False


@dataclass
class Chart:
    """One numbered, titled figure with its caption, plotly spec and data table."""

    key: str
    number: str
    title: str
    caption: str
    figure: dict[str, Any]
    table: DataTable
    sources: list[tuple[str, str]] = field(default_factory=list)
    id_prefix: str = "fig"
    unit: str = "万元"

    @property
    def id(self) -> str:
        """Return the figure's fixed element id (fig-5-1)."""
        return f"{self.id_prefix}-{self.key}"

    @property
    def label(self) -> str:
        """Return the plot's accessible name: number, title and the caption's words."""
        return f"{self.number} {self.title}。{self.caption}"

    @property
    def height(self) -> int:
        """Return the plot height in pixels."""
        return int(self.figure["layout"]["height"])

    @cached_property
    def json(self) -> str:
        """Return the spec as deterministic JSON, safe inside <script type="application/json">."""
        return to_json(self.figure)


def to_json(value: Any) -> str:
    """Dump with sorted keys and no spaces; escape <, > and & so no text can close the script."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def nice_ticks(values: list[Decimal]) -> list[Decimal]:
    """Return round tick values covering zero and every value (steps of 1, 2, 2.5, 5 × 10ⁿ, ≥ 0.01)."""
    top = max([ZERO, *values])
    bottom = min([ZERO, *values])
    span = top - bottom
    if span <= 0:
        return [ZERO, Decimal(1)]
    raw = span / 4
    base = max(Decimal(1).scaleb(raw.adjusted()), _CENT)
    step = next(base * n for n in _NICE if base * n >= raw and (base * n) % _CENT == 0)
    tick = (bottom / step).to_integral_value(rounding=ROUND_FLOOR) * step
    ticks = [tick]
    while ticks[-1] < top:
        ticks.append(ticks[-1] + step)
    return ticks


def value_axis(values: list[Decimal], *, percent: bool = False) -> dict[str, Any]:
    """Return a value axis whose ticks are placed and labelled in Python, with headroom for labels."""
    title = "占比" if percent else "万元"
    if percent:
        ticks = [Decimal(v) for v in (0, 25, 50, 75, 100)]
        labels = [pct(t) for t in ticks]
        low, high = ZERO, Decimal(101)
    else:
        ticks = nice_ticks(values)
        labels = [money(t) for t in ticks]
        low, high = ticks[0], ticks[-1]
        high = max(high, max([ZERO, *values]) * Decimal("1.18"))
    return {
        "tickmode": "array",
        "tickvals": [num(t) for t in ticks],
        "ticktext": labels,
        "range": [num(low), num(high)],
        "title": {"text": title, "font": {"size": 12}},
        "gridcolor": GRID,
        "zeroline": True,
        "zerolinecolor": "#9a9a9a",
        "fixedrange": True,
        "automargin": True,
    }


def category_axis() -> dict[str, Any]:
    """Return a category axis (labels are the strings given)."""
    return {"type": "category", "fixedrange": True, "automargin": True, "tickfont": {"size": 13}}


def layout(height: int, *, legend: bool = True, top: int = 30) -> dict[str, Any]:
    """Return the common layout: site font, white paper, legend above, no drag or zoom."""
    return {
        "height": height,
        "autosize": True,
        "font": {"family": FONT, "size": 13, "color": INK},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 10, "r": 20, "t": top, "b": 10},
        "showlegend": legend,
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": 1.02,
            "xanchor": "left",
            "yanchor": "bottom",
            "traceorder": "normal",
        },
        "hoverlabel": {
            "bgcolor": "#ffffff",
            "bordercolor": "#555555",
            "font": {"family": FONT, "color": INK},
        },
        "dragmode": False,
        "uniformtext": {"mode": "hide", "minsize": 10},
    }


@dataclass
class Series:
    """One bar series: values with their printed labels and hover texts, colour and pattern."""

    name: str
    values: Sequence[Decimal | None]
    texts: list[str]
    hovers: list[str]
    colour: str | list[str] = BLUE
    pattern: str | list[str] = ""
    legend: bool = True


# One bar of a year-on-year figure: its category, amount and (colour, pattern) style.
Point = tuple[str, Decimal, tuple[str, str]]


def point_bars(name: str, points: list[Point], hover_label: str = "") -> tuple[Series, list[DataRow]]:
    """Return one bar per point, each in its own style, and the data-table rows giving the same amounts."""
    texts = [money(v) for _, v, _ in points]
    series = Series(
        name,
        [v for _, v, _ in points],
        texts,
        [f"{c}{hover_label}：{t}万元" for (c, _, _), t in zip(points, texts, strict=True)],
        colour=[style[0] for _, _, style in points],
        pattern=[style[1] for _, _, style in points],
        legend=False,
    )
    return series, [DataRow(c, [t]) for (c, _, _), t in zip(points, texts, strict=True)]


def wrap_label(text: str, width: int = 9) -> str:
    """Break a long category label (a unit's name) into lines, so a phone keeps room for the bars."""
    if len(text) <= width + 2:
        return text
    return "<br>".join(text[i : i + width] for i in range(0, len(text), width))


def _marker(colour: str, pattern: str) -> dict[str, Any]:
    marker: dict[str, Any] = {"color": colour, "line": {"color": INK, "width": 0.6}}
    if pattern:
        marker["pattern"] = {
            "shape": pattern, "fillmode": "overlay", "fgcolor": "#ffffff", "fgopacity": 0.8,
            "size": 8, "solidity": 0.3,
        }  # fmt: skip
    return marker


def _bar_trace(
    s: Series, index: int | None, categories: list[str], horizontal: bool, stacked: bool
) -> dict[str, Any]:
    """One bar trace of a series (index: one point only, for a series styled point by point)."""
    pick = (lambda items: [items[index]]) if index is not None else (lambda items: list(items))
    colour = s.colour if isinstance(s.colour, str) else s.colour[index or 0]
    pattern = s.pattern if isinstance(s.pattern, str) else s.pattern[index or 0]
    points = [num(v) for v in pick(s.values)]
    cats = pick(categories)
    return {
        "type": "bar",
        "name": s.name,
        "showlegend": s.legend and index is None,
        "orientation": "h" if horizontal else "v",
        "x": points if horizontal else cats,
        "y": cats if horizontal else points,
        "text": pick(s.texts),
        "hovertext": pick(s.hovers),
        "hoverinfo": "text",
        "textposition": "inside" if stacked else "outside",
        "insidetextanchor": "middle",
        "textfont": {"color": "#ffffff" if stacked and is_dark(colour) else INK, "size": 12},
        "cliponaxis": False,
        "marker": _marker(colour, pattern),
    }


def bar_figure(
    categories: list[str],
    series: list[Series],
    *,
    height: int = 360,
    horizontal: bool = False,
    stacked: bool = False,
    percent: bool = False,
    note: str = "",
) -> dict[str, Any]:
    """Return a bar chart: grouped (amounts outside the bars) or stacked (amounts inside)."""
    data: list[dict[str, Any]] = []
    values: list[Decimal] = []
    # plotly.js draws per-point patterns wrongly (and warns), so a series styled point by point
    # (this year against last year) becomes one trace per point, each bar alone in its category.
    split = any(not isinstance(s.colour, str) or not isinstance(s.pattern, str) for s in series)
    if horizontal:
        categories = [wrap_label(c) for c in categories]
    for s in series:
        if not isinstance(s.colour, str) or not isinstance(s.pattern, str):
            data += [_bar_trace(s, i, categories, horizontal, stacked) for i in range(len(categories))]
        else:
            data.append(_bar_trace(s, None, categories, horizontal, stacked))
    if stacked:
        for i in range(len(categories)):
            values.append(sum((s.values[i] or ZERO for s in series), ZERO))
    else:
        values = [v for s in series for v in s.values if v is not None]
    spec_layout = layout(height, legend=any(s.legend for s in series), top=40 if note else 30)
    spec_layout.update(
        {
            "barmode": "stack" if stacked or split else "group",
            "bargap": 0.35 if len(categories) > 1 else 0.6,
            "bargroupgap": 0.08,
            "xaxis": value_axis(values, percent=percent) if horizontal else category_axis(),
            "yaxis": category_axis() if horizontal else value_axis(values, percent=percent),
        }
    )
    if horizontal:
        spec_layout["yaxis"]["autorange"] = "reversed"
    if note:
        spec_layout["annotations"] = [
            {
                "text": note, "showarrow": False, "xref": "paper", "yref": "paper", "x": 1, "y": 1.01,
                "xanchor": "right", "yanchor": "bottom", "font": {"size": 13, "color": INK},
            }
        ]  # fmt: skip
    return {"data": data, "layout": spec_layout}
