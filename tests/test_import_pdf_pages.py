"""PDF reader weak spots: a head printed on one page only, and unruled tables with a single body row.

The PDFs are printed here by headless Debian Chromium from the built report page (tools/pdfs.py),
as in test_import_pdf.py: a table that runs over a page break must go on past a head line printed
on the second page only (not a running head: it is on no other page); an unruled table whose only
body row leaves some columns blank must keep every amount under its own heading.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from tools.imports import REPORT_PAGE
from tools.pdfs import (
    chromium_browser,
    print_pdf,
    ruled_html,
    unruled_html,
    with_head_on_one_page,
)

from disclosure.importing.pdf import read_pdf
from disclosure.importing.source import SourceDocument, SourceTable

ONE_OFF_HEAD = "济南市市中区医疗保障局2024年度部门决算（续表）"
SMALL_RULED = {"format": "A5", "margin": {"top": "16mm", "bottom": "16mm", "left": "10mm", "right": "10mm"}}
SMALL_UNRULED = {
    "format": "A5",
    "landscape": True,
    "margin": {"top": "12mm", "bottom": "12mm", "left": "8mm", "right": "8mm"},
}
WIDE_PAGE = {"format": "A4", "landscape": True}


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with chromium_browser() as browser:
        yield browser


@pytest.fixture(scope="module")
def page_html(built_site: Path) -> str:
    return (built_site / REPORT_PAGE).read_text(encoding="utf-8")


def texts(table: SourceTable) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows]


def table_titled(doc: SourceDocument, title: str) -> SourceTable:
    (found,) = [t for t in doc.tables if t.title == title or t.title.endswith(" " + title)]
    return found


def pages_of(table: SourceTable) -> set[str]:
    return {c.where.split("页")[0] + "页" for row in table.rows for c in row}


# ---------------------------------------------------------------- a head on one page only


@pytest.fixture(scope="module")
def split_tables(chromium, page_html, tmp_path_factory) -> dict[str, tuple[SourceDocument, SourceDocument]]:
    """Each layout printed plainly and with a head on its second page only: (plain, with head)."""
    folder = tmp_path_factory.mktemp("one-off-head")
    small_text = unruled_html(page_html).replace("font-size:10pt", "font-size:8pt")
    made = {}
    for layout, html, options in (
        ("ruled", ruled_html(page_html), SMALL_RULED),
        ("unruled", small_text, SMALL_UNRULED),
    ):
        plain = print_pdf(chromium, folder / f"{layout}.pdf", html=html, **options)
        headed = with_head_on_one_page(chromium, plain, folder / f"{layout}-head.pdf", 1, ONE_OFF_HEAD)
        made[layout] = (read_pdf(plain), read_pdf(headed))
    return made


@pytest.mark.browser
@pytest.mark.parametrize("layout", ["ruled", "unruled"])
def test_a_head_on_one_page_does_not_cut_a_table_running_over_it(split_tables, layout):
    plain, headed = split_tables[layout]
    before = table_titled(plain, "收入支出决算总表")
    assert len(pages_of(before)) == 2  # the fixture does split the table over pages 1 and 2
    after = table_titled(headed, "收入支出决算总表")
    assert texts(after) == texts(before)
    assert pages_of(after) == {"第 1 页", "第 2 页"}
    assert [t.title for t in headed.tables] == [t.title for t in plain.tables]
    # The head is kept as a line of the document, where it was printed.
    (head,) = [line for line in headed.lines if ONE_OFF_HEAD in line.text]
    assert head.where.startswith("第 2 页")


# ---------------------------------------------------------------- one body row, blank columns

HEADINGS = ["年初结转和结余", "本年收入", "小计", "基本支出", "项目支出", "年末结转和结余"]
SINGLE_ROWS = {
    "blank-first": ["", "12.50", "12.50", "", "12.50", ""],
    "blank-first-two": ["", "", "1,234.56", "1,234.56", "", ""],
    "blank-middle": ["3.00", "", "", "", "", "3.00"],
    "two-amounts": ["", "12.50", "", "", "", "12.50"],
}


def one_row_table(page_html: str, values: list[str], column_numbers: bool) -> str:
    """Return the report page with only 公开07表, its 合计 row holding values (blank zeros left blank)."""
    soup = BeautifulSoup(page_html, "html.parser")
    sections = soup.select("section.std-table")
    (table,) = [s for s in sections if "政府性基金预算财政拨款收入支出决算表" in s.get_text()]
    cells = table.select("tbody td.num, tfoot td.num")
    assert len(cells) == len(values)
    for cell, value in zip(cells, values, strict=True):
        cell.string = value
    if not column_numbers:
        for row in table.select("thead tr"):
            if "栏次" in row.get_text():
                row.decompose()
    for other in sections:
        if other is not table:
            other.decompose()
    return str(soup)


CASES = [(name, numbers) for name in sorted(SINGLE_ROWS) for numbers in (True, False)]


@pytest.fixture(scope="module")
def one_row_documents(chromium, page_html, tmp_path_factory) -> dict[tuple[str, bool], SourceDocument]:
    folder = tmp_path_factory.mktemp("one-row")
    found = {}
    for name, numbers in CASES:
        html = unruled_html(one_row_table(page_html, SINGLE_ROWS[name], numbers))
        target = folder / f"{name}-{'numbered' if numbers else 'plain'}.pdf"
        found[name, numbers] = read_pdf(print_pdf(chromium, target, html=html, **WIDE_PAGE))
    return found


@pytest.mark.browser
@pytest.mark.parametrize(
    ("name", "numbers"), CASES, ids=[f"{n}-{'numbered' if c else 'no-numbers'}" for n, c in CASES]
)
def test_a_single_body_row_keeps_each_amount_under_its_heading(one_row_documents, name, numbers):
    table = table_titled(one_row_documents[name, numbers], "政府性基金预算财政拨款收入支出决算表")
    rows = texts(table)
    body = rows[-1]
    assert "合计" in body, rows
    columns = len(body)
    headings = ["".join(row[c] for row in rows[:-1] if row[c] not in row[:c]) for c in range(columns)]
    amounts = {heading: value for heading, value in zip(HEADINGS, SINGLE_ROWS[name], strict=True)}
    for heading, value in amounts.items():
        (column,) = [c for c, text in enumerate(headings) if heading in text]
        assert [h for h in HEADINGS if h in headings[column]] == [heading], rows  # one heading per column
        assert body[column] == value, f"{heading}: {rows}"
    assert sum(1 for text in body if text) == 1 + sum(1 for v in SINGLE_ROWS[name] if v)


# ---------------------------------------------------------------- a row's name cut by a page break


def _rows(page: int, texts: list[list[str]]) -> list:
    from disclosure.importing.source import Cell

    return [
        [Cell(t, f"第 {page} 页表格第 {r} 行第 {c} 列") for c, t in enumerate(row, 1)]
        for r, row in enumerate(texts, 1)
    ]


HEAD = [["科目编码", "科目编码", "科目名称", "合计"], ["类", "款", "科目名称", "合计"]]


def test_the_rest_of_a_name_cut_by_a_page_break_joins_the_row_above():
    from disclosure.importing.pdf import _go_on

    before = _rows(3, [*HEAD, ["208", "05", "机关", "30.00"]])
    after = _rows(
        4,
        [
            *HEAD,
            ["", "", "事业单位职业年金缴费支出", ""],
            ["", "27", "财政对其他社会保险基金的补助", "106.00"],
        ],
    )
    rest = _go_on(before, after, 4)
    assert before[-1][2].text == "机关事业单位职业年金缴费支出" and before[-1][2].where.startswith("第 3 页")
    assert [[c.text for c in r] for r in rest] == [
        *HEAD,
        ["", "27", "财政对其他社会保险基金的补助", "106.00"],
    ]


@pytest.mark.parametrize(
    ("first", "page"),
    [
        (["", "", "事业单位职业年金缴费支出", "0.00"], 4),  # an amount: a row of its own
        (["", "06", "事业单位职业年金缴费支出", ""], 4),  # a code: a row of its own
        (["", "", "事业单位职业年金缴费支出", ""], 3),  # the same page: no break cut it
    ],
)
def test_a_row_of_its_own_after_a_page_break_is_kept(first, page):
    from disclosure.importing.pdf import _go_on

    before = _rows(3, [*HEAD, ["208", "05", "机关", "30.00"]])
    after = _rows(page, [*HEAD, first])
    assert _go_on(before, after, page) == after
    assert before[-1][2].text == "机关"
