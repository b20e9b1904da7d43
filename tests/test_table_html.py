"""Table rows drawn in Python (the table_rows filter) print exactly what the Jinja macros printed."""

from __future__ import annotations

from types import MappingProxyType

from jinja2 import DictLoader, Environment, StrictUndefined, select_autoescape
from markupsafe import Markup

from disclosure.table_html import rows_html
from disclosure.views import ViewCell, ViewRow

# The macros partials/table.html used before the rows moved to Python (kept here as the reference).
MACROS = """{% macro cell(c) -%}
{%- set tag = "th" if c.header and (c.scope or c.text|string|trim) else "td" -%}
<{{ tag }}{% if c.header and c.scope %} scope="{{ c.scope }}"{% endif %}{% if c.colspan > 1 %} colspan="{{ c.colspan }}"{% endif %}{% if c.rowspan > 1 %} rowspan="{{ c.rowspan }}"{% endif %}{% if c.css %} class="{{ c.css }}"{% endif %}{% for k, v in c.attrs|dictsort %} {{ k }}="{{ v }}"{% endfor %}>{{ c.text }}</{{ tag }}>
{%- endmacro %}
{% macro row(r) -%}
<tr{% if r.css %} class="{{ r.css }}"{% endif %}{% for k, v in r.attrs|dictsort %} {{ k }}="{{ v }}"{% endfor %}>{% for c in r.cells %}{{ cell(c) }}{% endfor %}</tr>
{%- endmacro %}
{% for r in rows %}{{ row(r) }}{% endfor %}"""


def macro_html(rows: list[ViewRow]) -> str:
    env = Environment(
        loader=DictLoader({"t.html": MACROS}), autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )  # fmt: skip
    return env.get_template("t.html").render(rows=rows)


def test_rows_match_the_macros() -> None:
    rows = [
        ViewRow([ViewCell("项目", header=True, scope="col", colspan=2), ViewCell(" ", header=True)]),
        ViewRow(
            [
                ViewCell(
                    "2080505", css="code", attrs={"data-code": "2080505", "Data-B": "x", "data-a": "<&>"}
                ),
                ViewCell("机关事业单位“养老”保险 & 缴费", rowspan=3),
                ViewCell(Markup("<b>1,547.33</b>"), css="num"),
            ],
            css="xiang",
            attrs={"data-level": "xiang", "data-code": "'2080505'"},
        ),
        ViewRow([ViewCell("", header=True, scope="row")], attrs={}),
    ]
    drawn = rows_html(rows)
    assert drawn == macro_html(rows)
    assert isinstance(drawn, Markup)
    assert '<td class="code" data-a="&lt;&amp;&gt;" Data-B="x" data-code="2080505">' in drawn
    assert "<td> </td>" in drawn  # a blank header cell without a scope heads nothing


def test_cells_sharing_attributes_open_alike_only_when_they_print_alike() -> None:
    column = MappingProxyType({"data-col": "合计"})
    rows = [
        ViewRow(
            [ViewCell("1.00", css="num", attrs=column), ViewCell("", header=True), ViewCell("x", header=True)]
        ),
        ViewRow(
            [ViewCell("2.00", css="num", attrs=column), ViewCell(""), ViewCell("y", header=True, scope="row")]
        ),
        ViewRow([ViewCell("3.00", css="num", attrs={"data-col": "合计"}), ViewCell("", colspan=2)]),
        ViewRow([ViewCell("4.00", attrs=column), ViewCell("z", header=False, scope="row")]),
    ]
    assert rows_html(rows) == macro_html(rows)
