"""A unit-year with both a 预算 and a 决算: the 决算 notes take 年初预算数 from the 预算, each page links the
other, 图5-4 sets 年初预算数 against 决算数 by 项, `check` compares typed year-start figures and the “三公”
预算数 with the 预算, and editing the 预算 rebuilds the 决算 page.

Expected values are read from the YAML files (tests/pairs.py), never from the program.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import MiniPortal, expect, find, listing
from pairs import (
    BUDGET,
    BUDGET_PAGE,
    FINAL,
    FINAL_PAGE,
    UNIT,
    YEAR,
    add_budget,
    amount,
    budget_items,
    final_items,
    raw,
)
from tools.portal import in_ci
from tools.vnu import find_jar, find_java, validate

from disclosure.charts import report_charts, unit_charts
from disclosure.model import Report
from disclosure.problems import Level
from disclosure.state import STATE_FILE
from disclosure.synthetic import generate

REPO = Path(__file__).resolve().parents[1]
SENTENCE = re.compile(r"年初预算数为([\d,]+\.\d\d)万元，支出决算数为([\d,]+\.\d\d)万元")


def number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def build(portal: MiniPortal, *flags: str) -> Path:
    result = portal.cli("build", *flags)
    assert result.status == 0, result.output
    return portal.site()


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def final_report(portal: MiniPortal) -> Report:
    checked = portal.check()
    assert not checked.problems.has_errors(), listing(checked.problems)
    unit = checked.portal.unit(UNIT)
    assert unit is not None
    report = unit.report(YEAR, "final")
    assert report is not None
    return report


# ---------------------------------------------------------------- the notes


def test_notes_take_year_start_figures_from_the_budget(portal: MiniPortal):
    add_budget(portal, agreeing=False)  # the 决算 keeps its own, different, typed 年初预算
    soup = page(build(portal), FINAL_PAGE)
    planned, spent = budget_items(portal), final_items(portal)
    sentences = soup.select("#notes-5 p[data-code]")
    assert [p["data-code"] for p in sentences] == list(spent)
    for p in sentences:
        match = SENTENCE.search(p.get_text())
        assert match, p.get_text()
        assert number(match[1]) == planned.get(p["data-code"], Decimal(0)), p.get_text()
        assert number(match[2]) == spent[p["data-code"]]
    typed = raw(portal, FINAL)["年初预算"]
    assert any(amount(typed["科目"][code]) != planned.get(code, Decimal(0)) for code in typed["科目"])
    total = next(
        p for p in soup.select("#notes-5 p") if "年度一般公共预算财政拨款支出年初预算数为" in p.get_text()
    )
    match = SENTENCE.search(total.get_text())
    assert match and number(match[1]) == amount(raw(portal, BUDGET)["表"]["表五"]["合计"][0])
    operating = raw(portal, FINAL)["机关运行经费"]
    gap = abs(amount(operating["决算数"]) - amount(raw(portal, BUDGET)["机关运行经费"]["预算数"]))
    assert f"比年初预算数减少{gap:,.2f}万元" in soup.select_one("#notes-10 p").get_text()


def test_without_a_budget_the_typed_figures_stay(portal: MiniPortal):
    soup = page(build(portal), FINAL_PAGE)
    typed = raw(portal, FINAL)["年初预算"]["科目"]
    for p in soup.select("#notes-5 p[data-code]"):
        match = SENTENCE.search(p.get_text())
        assert match and number(match[1]) == amount(typed.get(p["data-code"])), p.get_text()
    assert soup.select_one(".paired-report") is None
    assert soup.select_one("#fig-5-4") is None


# ---------------------------------------------------------------- check


def test_an_agreeing_pair_checks_clean(portal: MiniPortal):
    add_budget(portal)
    problems = portal.check().problems
    assert not problems.has_errors(), listing(problems)
    assert not find(problems, contains=BUDGET), listing(problems)
    # (seed 004's own slip in a self-evaluation table is a warning of its own: test_performance.py)
    warnings = [p for p in find(problems, Level.WARNING) if not p.table.startswith("绩效自评表")]
    assert not warnings, listing(problems)


def test_a_typed_year_start_figure_unlike_the_budget_is_a_warning(portal: MiniPortal):
    add_budget(portal)
    typed = raw(portal, FINAL)["年初预算"]["科目"]["2101301"]
    portal.replace(FINAL, f"2101301: {typed}", "2101301: 1600.00", within="年初预算")
    problems = portal.check().problems
    found = expect(problems, Level.WARNING, table="年初预算", row="2101301")
    assert found.file == FINAL
    assert found.line == portal.line_of(FINAL, "2101301: 1600.00")
    for text in (BUDGET, "表五", "1,600.00", f"{amount(typed):,.2f}", "以预算报告"):
        assert text in found.message, found.message
    assert len(find(problems, Level.WARNING, table="年初预算")) == 1, listing(problems)


def test_typed_figures_of_the_bundled_final_are_each_named_against_the_budget(portal: MiniPortal):
    add_budget(portal, agreeing=False)
    problems = portal.check().problems
    assert not problems.has_errors(), listing(problems)
    warned = {p.row for p in find(problems, Level.WARNING, table="年初预算", contains=BUDGET)}
    typed = raw(portal, FINAL)["年初预算"]
    planned = budget_items(portal)
    expected = {code for code, v in typed["科目"].items() if amount(v) != planned.get(code, Decimal(0))}
    assert warned == expected | {"一般公共预算财政拨款支出"}
    operating = expect(problems, Level.WARNING, table="机关运行经费", row="年初预算数")
    assert BUDGET in operating.message and "预算数" in operating.message


def test_three_public_budget_unlike_the_budget_table_is_a_note(portal: MiniPortal):
    add_budget(portal)
    assert not find(portal.check().problems, table="公开09表", contains=BUDGET)
    budget = raw(portal, BUDGET)["表"]["表七"]["本年预算数"]
    changed = list(budget)
    changed[0] = f"{amount(budget[0]) + Decimal('0.20'):.2f}"  # 合计 and 公务接待费, still adding up
    changed[5] = f"{amount(budget[5]) + Decimal('0.20'):.2f}"
    portal.replace(
        FINAL, f"预算数: [{', '.join(budget)}]", f"预算数: [{', '.join(changed)}]", within="  公开09表"
    )
    problems = portal.check().problems
    assert not problems.has_errors(), listing(problems)
    notes = find(problems, Level.NOTE, table="公开09表", contains=BUDGET)
    assert {p.column for p in notes} == {"合计", "公务接待费"}, listing(problems)
    for p in notes:
        assert p.file == FINAL and p.row == "预算数"
        assert p.line == portal.line_of(FINAL, "预算数:", within="  公开09表")
        assert "表七 本年预算数" in p.message and "差 0.20" in p.message and "调整" in p.message


# ---------------------------------------------------------------- the pages


def test_each_page_links_the_other(portal: MiniPortal):
    add_budget(portal)
    site = build(portal)
    for here, there, word in ((FINAL_PAGE, BUDGET_PAGE, "预算"), (BUDGET_PAGE, FINAL_PAGE, "决算")):
        link = page(site, here).select_one("p.paired-report a")
        assert link is not None, here
        assert (site / here).parent.joinpath(link["href"]).resolve() == (site / there).resolve()
        title = page(site, there).select_one("h1").get_text(strip=True)
        assert link.get_text(strip=True) == title and word in title


def test_budget_vs_actual_chart_values_equal_the_data(portal: MiniPortal):
    add_budget(portal)
    charts = {c.key: c for c in report_charts(final_report(portal))}
    chart = charts["5-4"]
    planned, spent = budget_items(portal), final_items(portal)
    codes = sorted(set(planned) | set(spent))
    bars = {trace["name"]: trace for trace in chart.figure["data"]}
    assert [Decimal(repr(x)) for x in bars["年初预算数"]["x"]] == [planned.get(c, Decimal(0)) for c in codes]
    assert [Decimal(repr(x)) for x in bars["决算数"]["x"]] == [spent.get(c, Decimal(0)) for c in codes]
    assert bars["决算数"]["text"] == [f"{spent.get(c, Decimal(0)):,.2f}" for c in codes]
    assert [r.code for r in chart.table.rows[:-1]] == codes
    total = chart.table.rows[-1]
    budget_total = amount(raw(portal, BUDGET)["表"]["表五"]["合计"][0])
    final_total = amount(raw(portal, FINAL)["表"]["公开05表"]["合计"][0])
    assert total.cells[:2] == [f"{budget_total:,.2f}", f"{final_total:,.2f}"]
    assert f"{final_total / budget_total * 100:.2f}%" == total.cells[2]
    assert BUDGET_PAGE.split("/")[-2] in chart.sources[1][0]


def test_the_chart_is_on_the_page_with_its_data_table(portal: MiniPortal):
    add_budget(portal)
    site = build(portal)
    soup = page(site, FINAL_PAGE)
    figure = soup.select_one("#notes-5 figure#fig-5-4")
    assert figure is not None
    rows = figure.select("table.chart-table tbody tr[data-code]")
    planned = budget_items(portal)
    for row in rows:
        cells = [td.get_text() for td in row.select("td.num")]
        assert number(cells[0]) == planned.get(row["data-code"], Decimal(0))
    assert figure.select_one(".chart-plot")["aria-label"].startswith("图5-4 ")
    for link in figure.select(".chart-source a"):  # both sources: this page's 公开05表, the 预算's 表五
        path, _, anchor = link["href"].partition("#")
        target = (site / FINAL_PAGE).parent.joinpath(path).resolve() if path else site / FINAL_PAGE
        assert page(site, target.relative_to(site).as_posix()).find(id=anchor) is not None, link["href"]


def test_the_unit_trend_takes_the_operating_budget_from_the_budget(portal: MiniPortal):
    add_budget(portal, agreeing=False)
    checked = portal.check()
    unit = checked.portal.unit(UNIT)
    assert unit is not None
    trend = {c.key: c for c in unit_charts(unit)}["7"]
    row = next(r for r in trend.table.rows if r.label.startswith(str(YEAR)))
    expected = amount(raw(portal, BUDGET)["机关运行经费"]["预算数"])
    assert f"{expected:,.2f}" in row.cells, row.cells


# ---------------------------------------------------------------- incremental builds


def inodes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*.html")}


def files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.name != STATE_FILE
    }


def test_editing_the_budget_rebuilds_the_final_page(portal: MiniPortal, tmp_path: Path):
    add_budget(portal)
    site = build(portal)
    before = inodes(site)
    old = raw(portal, BUDGET)["机关运行经费"]["预算数"]
    new = f"{amount(old) + 5:.2f}"
    portal.replace(BUDGET, f"预算数: {old}", f"预算数: {new}", within="机关运行经费")
    build(portal)
    after = inodes(site)
    rewritten = {p for p in after if before.get(p) != after[p]}
    assert {FINAL_PAGE, BUDGET_PAGE} <= rewritten
    assert not any(p.startswith("units/jiyuan-ybzx/") for p in rewritten)
    actual = amount(raw(portal, FINAL)["机关运行经费"]["决算数"])
    text = page(site, FINAL_PAGE).select_one("#notes-10 p").get_text()
    assert f"比年初预算数减少{amount(new) - actual:,.2f}万元" in text
    full = tmp_path / "full"
    assert portal.cli("build", "--out", str(full), "--full").status == 0
    assert files(site) == files(full)


# ---------------------------------------------------------------- the synthetic portal


def test_synthetic_pairs_agree_and_pass_the_budget_rules(tmp_path: Path):
    root = tmp_path / "portal"
    generate(REPO, root, 12, years_per_unit=3)
    portal = MiniPortal(root)
    checked = portal.check()
    problems = checked.problems
    # (the copies of seed 004 keep its own slip in a self-evaluation table: a warning, test_performance.py)
    warnings = [p for p in find(problems, Level.WARNING) if not p.table.startswith("绩效自评表")]
    assert not problems.has_errors() and not warnings, listing(problems)
    paired = [r for r in checked.portal.reports if r.kind == "final" and r.paired is not None]
    assert len(paired) >= 3 and all(r.paired.kind == "budget" for r in paired)  # type: ignore[union-attr]
    assert not [p for p in problems.items if p.file.endswith("-final.yaml") and "-budget.yaml" in p.message]
    for report in paired:
        assert "5-4" in {c.key for c in report_charts(report)}


@pytest.mark.parametrize("kind", ["final", "budget"])
def test_pairing_knows_both_reports(portal: MiniPortal, kind: str):
    add_budget(portal)
    unit = portal.check().portal.unit(UNIT)
    assert unit is not None
    report = unit.report(YEAR, kind)
    assert report is not None and report.paired is not None
    assert report.paired.kind != kind and report.paired.year == YEAR and report.paired.paired is report


def test_paired_pages_are_valid_html(portal: MiniPortal):
    java, jar = find_java(), find_jar()
    if not (java and jar):
        message = "vnu.jar or Java not found (see tests/tools/vnu.py)"
        if in_ci():
            pytest.fail(f"CI=true and {message}")
        pytest.skip(message)
    add_budget(portal)
    site = build(portal)
    messages = validate(java, jar, [site / FINAL_PAGE, site / BUDGET_PAGE])  # type: ignore[arg-type]
    assert not [m for m in messages if m.kind != "info"], messages
