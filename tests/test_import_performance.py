"""Performance tables (绩效目标表, 绩效自评表) import from PDF and Excel equal to the bundled reports.

The sources are made here from the built portal: each report page printed by headless Debian
Chromium (as a reader prints it, and a second layout with other page breaks: landscape, the
self-evaluation tables running on one under another instead of each on a new page; that layout
again with the figures left undrawn, so their data tables are printed; and pages whose rows a page
break cuts in two), and finance-system workbooks holding a sheet per project's table, or all of them on one sheet
(tools/workbooks.py). Every import is compared, as the model reads it, with the bundled report:
the 决算 pages of seeds 000 (济南, 5 自评表) and 004 (济源, 18 自评表 with 资金管理情况 and 偏差度) and
the budget page of seed 002 (招远, 12 tables and 7 绩效目标表). Tables that cannot be read whole are
left out and named, never imported half-read, and never raise.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from helpers import MiniPortal, copy_portal
from tools.imports import differences, import_as, performance, reports, unplaced_performance
from tools.pdfs import chromium_browser, print_pdf
from tools.workbooks import as_xls, performance_workbook

from disclosure.importing.findings import Findings
from disclosure.importing.read import read_source
from disclosure.importing.selfeval import read_self_evaluations
from disclosure.importing.source import Cell, SourceTable
from disclosure.importing.targets import read_targets

REPORTS = {  # unit: (year, kind, how many self-evaluation tables, how many target tables)
    "jinan-shizhong-ybj": (2024, "final", 5, 0),
    "jiyuan-ybzx": (2023, "final", 18, 0),
    "zhaoyuan-ybj": (2024, "budget", 0, 7),
}
# Landscape pages, and the self-evaluation tables run on under each other: page breaks fall elsewhere.
FLOWING = (
    "@media print{@page{size:A4 landscape;margin:10mm}"
    ".part,.self-evaluation-part{page-break-before:auto !important}}"
)
# The flowing layout printed without its figures drawn (as before charts.js loaded plotly.js after the
# load event): each figure's data table is printed instead, so page breaks fall elsewhere again; the
# 汇总表 rows of 图13's table end in “汇总表”, and a table's “（2023年度） 2024年09月” line may open a page.
LAYOUTS = {"a4": ("", True), "flowing": (FLOWING, True), "chartless": (FLOWING, False)}
PDF_CASES = [(unit, layout) for layout in LAYOUTS for unit in REPORTS]


def page_of(built_site: Path, unit: str) -> Path:
    year, kind, _, _ = REPORTS[unit]
    return built_site / "units" / unit / f"{year}-{kind}" / "index.html"


@pytest.fixture(scope="module")
def portal(tmp_path_factory) -> MiniPortal:
    return MiniPortal(copy_portal(tmp_path_factory.mktemp("performance-import") / "portal"))


def import_and_compare(portal: MiniPortal, source: Path, unit: str, name: str) -> tuple[str, Any, Any]:
    """Import source as a new unit; return the output, the bundled and the imported report."""
    year, kind, _, _ = REPORTS[unit]
    output = import_as(portal, source, name, year=year, kind=kind)
    found = reports(portal, unit, name, year=year, kind=kind)
    return output, found[unit], found[name]


# ---------------------------------------------------------------- PDF


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with chromium_browser() as browser:
        yield browser


@pytest.mark.browser
@pytest.mark.parametrize(("unit", "layout"), PDF_CASES, ids=[f"{u}-{lay}" for u, lay in PDF_CASES])
def test_a_printed_report_page_imports_its_performance_tables(
    chromium, built_site, portal, tmp_path, unit, layout
):
    url = page_of(built_site, unit).as_uri()
    css, charts = LAYOUTS[layout]
    pdf = print_pdf(
        chromium, tmp_path / f"{unit}.pdf", url=url, css=css, charts=charts, prefer_css_page_size=True
    )
    output, bundled, got = import_and_compare(portal, pdf, unit, f"x-perf-{unit}-{layout}")
    _, _, evaluations, targets = REPORTS[unit]
    assert len(bundled.self_evaluations) == evaluations and len(bundled.targets) == targets
    assert unplaced_performance(output) == [], output
    assert "[未导入]" not in output, output
    assert differences(bundled, got) == [], output
    assert performance(got) == performance(bundled)


@pytest.mark.browser
def test_the_flowing_layout_does_break_tables_over_pages(chromium, built_site, tmp_path):
    """The second layout is worth having: a self-evaluation table starts mid-page and runs over a break."""
    url = page_of(built_site, "jinan-shizhong-ybj").as_uri()
    pdf = print_pdf(chromium, tmp_path / "flowing.pdf", url=url, css=FLOWING, prefer_css_page_size=True)
    doc = read_source(pdf)
    tables = [t for t in doc.tables if "绩效自评表" in t.title]
    assert len(tables) == REPORTS["jinan-shizhong-ybj"][2]
    pages = [sorted({int(c.where.split()[1]) for row in t.rows for c in row[:1]}) for t in tables]
    assert any(len(p) > 1 for p in pages), pages  # some table runs over a page break
    # Some table starts on the page where the one before it ends.
    titles = [int(t.where.split()[1]) for t in tables]
    assert any(before[-1] == title for before, title in zip(pages, titles[1:], strict=False)), (pages, titles)


# Rows may be cut by a page break too: a cell's wrapped text, or a merged 一级指标, runs over it.
ROWS_CUT = (
    "@media print{.part,.self-evaluation-part,.std-table{page-break-before:auto !important}"
    "tr{page-break-inside:auto !important}}"
)


CUT_CASES = [("jinan-shizhong-ybj", True), ("jiyuan-ybzx", True), ("jiyuan-ybzx", False)]


@pytest.mark.browser
@pytest.mark.parametrize(
    ("unit", "charts"), CUT_CASES, ids=[f"{u}-{'charts' if c else 'chartless'}" for u, c in CUT_CASES]
)
def test_rows_a_page_break_cuts_are_joined_again(chromium, built_site, portal, tmp_path, unit, charts):
    """A row cut over two pages is read whole: a merged 一级指标 cut by the break keeps to its own column
    (its box reaches over its neighbours), and the 年度总体目标 texts go on at the top of the next page."""
    url = page_of(built_site, unit).as_uri()
    pdf = print_pdf(
        chromium, tmp_path / "cut.pdf", url=url, css=ROWS_CUT, charts=charts, prefer_css_page_size=True
    )
    doc = read_source(pdf)
    cut = [
        t
        for t in doc.tables
        if "绩效自评表" in t.title and len({c.where.split()[1] for r in t.rows for c in r}) > 1
    ]
    assert cut, "the layout does cut self-evaluation tables over pages"
    output, bundled, got = import_and_compare(portal, pdf, unit, f"x-perf-rows-cut-{unit}-{int(charts)}")
    assert unplaced_performance(output) == [], output
    assert performance(got) == performance(bundled)


@pytest.mark.browser
def test_a_budget_page_whose_rows_a_page_break_cuts_imports_whole(chromium, built_site, portal, tmp_path):
    """Rows of the standard tables cut too: the rest of a 科目名称 alone under the repeated header joins its row."""
    unit = "zhaoyuan-ybj"
    url = page_of(built_site, unit).as_uri()
    pdf = print_pdf(chromium, tmp_path / "cut.pdf", url=url, css=ROWS_CUT, prefer_css_page_size=True)
    output, bundled, got = import_and_compare(portal, pdf, unit, "x-perf-rows-cut-budget")
    assert "[未导入]" not in output, output
    assert differences(bundled, got) == [], output
    assert performance(got) == performance(bundled)


# ---------------------------------------------------------------- Excel


@pytest.mark.parametrize("one_sheet", [False, True], ids=["sheet-per-table", "one-sheet"])
@pytest.mark.parametrize("unit", list(REPORTS))
def test_a_workbook_of_performance_sheets_imports_them(built_site, portal, tmp_path, unit, one_sheet):
    html = page_of(built_site, unit).read_text(encoding="utf-8")
    book = performance_workbook(html, tmp_path / f"{unit}.xlsx", one_sheet=one_sheet)
    name = f"x-perf-{unit}-{'one' if one_sheet else 'sheets'}"
    output, bundled, got = import_and_compare(portal, book, unit, name)
    assert unplaced_performance(output) == [], output
    assert differences(bundled, got) == [], output
    # A workbook has no 汇总表 (it is in the notes): names that only the 汇总表 gives are not known.
    assert performance(got, summary_names=False) == performance(bundled, summary_names=False)


@pytest.mark.parametrize("unit", list(REPORTS))
def test_an_old_style_xls_of_performance_sheets_imports_them(built_site, portal, tmp_path, unit):
    html = page_of(built_site, unit).read_text(encoding="utf-8")
    book = as_xls(performance_workbook(html, tmp_path / "book.xlsx"), tmp_path / "book.xls")
    output, bundled, got = import_and_compare(portal, book, unit, f"x-perf-xls-{unit}")
    assert unplaced_performance(output) == [], output
    assert differences(bundled, got) == [], output
    assert len(got.self_evaluations) == REPORTS[unit][2]
    assert performance(got, summary_names=False) == performance(bundled, summary_names=False)


# ---------------------------------------------------------------- what cannot be read whole


def edited_page(built_site: Path, unit: str, edit: Any) -> str:
    """Return a report page with one performance table edited (edit gets the page's soup)."""
    soup = BeautifulSoup(page_of(built_site, unit).read_text(encoding="utf-8"), "html.parser")
    edit(soup)
    return str(soup)


def drop_indicators(table: Any) -> None:
    """Remove a performance table's indicator header and rows."""
    for row in table.select("tr[data-indicator]"):
        row.decompose()
    for row in table.select("tr"):
        if "一级指标" in row.get_text():
            row.decompose()


def test_a_self_evaluation_table_without_indicators_is_named_and_left_out(built_site, portal, tmp_path):
    unit = "jinan-shizhong-ybj"
    second = "table.self-evaluation[data-table='self-evaluation-2']"
    html = edited_page(built_site, unit, lambda soup: drop_indicators(soup.select_one(second)))
    name = BeautifulSoup(html, "html.parser").select_one(second)["data-project"]
    book = performance_workbook(html, tmp_path / "cut.xlsx")
    output, bundled, got = import_and_compare(portal, book, unit, "x-perf-cut-evaluation")
    (line,) = unplaced_performance(output)
    assert f"绩效自评表“{name}”没能读全" in line and "工作表“绩效自评表2”" in line, output
    assert [t.name for t in got.self_evaluations] == [
        t.name for t in bundled.self_evaluations if t.name != name
    ]


def test_a_target_table_without_indicators_is_named_and_left_out(built_site, portal, tmp_path):
    unit = "zhaoyuan-ybj"
    third = "table.target[data-table='target-3']"
    html = edited_page(built_site, unit, lambda soup: drop_indicators(soup.select_one(third)))
    name = BeautifulSoup(html, "html.parser").select_one(third)["data-project"]
    book = performance_workbook(html, tmp_path / "cut.xlsx")
    output, bundled, got = import_and_compare(portal, book, unit, "x-perf-cut-target")
    (line,) = unplaced_performance(output)
    assert f"绩效目标表“{name}”没能读全" in line and "工作表“绩效目标表3”" in line, output
    assert [t.name for t in got.targets] == [t.name for t in bundled.targets if t.name != name]


def test_a_target_amount_that_is_not_a_number_is_said_not_guessed(built_site, portal, tmp_path):
    unit = "zhaoyuan-ybj"
    first = "table.target[data-table='target-1']"

    def garble(soup: Any) -> None:
        soup.select_one(f"{first} td[data-col='年度预算资金总额']").string = "一百零六"

    html = edited_page(built_site, unit, garble)
    name = BeautifulSoup(html, "html.parser").select_one(first)["data-project"]
    output, _, got = import_and_compare(
        portal, performance_workbook(html, tmp_path / "garbled.xlsx"), unit, "x-perf-garbled"
    )
    assert any(
        line.startswith("[警告]") and f"绩效目标表“{name}”：年度预算资金总额“一百零六”" in line
        for line in output.splitlines()
    ), output
    assert got.targets[0].name == name and got.targets[0].total is None


def mutated(tables: list[SourceTable], rnd: random.Random) -> list[SourceTable]:
    """Return copies of the tables with one performance table's rows cut, shifted or overwritten."""
    copies = [SourceTable(t.title, t.where, [list(r) for r in t.rows], list(t.preamble)) for t in tables]
    table = rnd.choice([t for t in copies if "绩效" in t.title and t.rows])
    for _ in range(rnd.randint(1, 4)):
        r = rnd.randrange(len(table.rows))
        row = table.rows[r]
        change = rnd.randrange(4)
        if change == 0:
            del table.rows[r]
        elif change == 1:
            table.rows[r] = row[: rnd.randrange(len(row) + 1)]
        elif change == 2:
            table.rows[r] = [Cell("", "x"), *row]
        elif row:
            labels = ["", "abc", "1.5", "总分", "项目名称", "一级指标", "年初预算数", "年度总体目标"]
            row[rnd.randrange(len(row))] = Cell(rnd.choice(labels), "x")
        if not table.rows:
            break
    return copies


@pytest.mark.parametrize("unit", list(REPORTS))
def test_broken_performance_tables_never_raise(built_site, tmp_path, unit):
    html = page_of(built_site, unit).read_text(encoding="utf-8")
    doc = read_source(performance_workbook(html, tmp_path / "book.xlsx"))
    rnd = random.Random(unit)
    for _ in range(300):
        tables = mutated(doc.tables, rnd)
        read_self_evaluations(tables, doc.lines)
        read_targets(tables, Findings())
