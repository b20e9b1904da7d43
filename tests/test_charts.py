"""Charts: every figure's numbers equal the tables' (both seeds), every text is formatted in Python,
each figure type is a valid plotly figure, ids are fixed and two builds are byte-identical."""

from __future__ import annotations

import filecmp
import json
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from helpers import REPO, SEEDS, run_cli

from disclosure.charts import Chart, report_charts, unit_charts, year_charts
from disclosure.charts.assets import load_assets, plotly_bundle, plotly_css
from disclosure.charts.figures import nice_ticks, to_json
from disclosure.charts.trends import YEAR_CHART_UNITS
from disclosure.config import load_config
from disclosure.model import Portal, Report
from disclosure.money import format_money, format_percent, percent
from disclosure.notes import INCOME_SOURCES, NotesData
from disclosure.pipeline import load_and_check
from disclosure.summary import PortalIndex, ReportSummary, UnitSummary

REPORT_IDS = [
    "fig-1",
    "fig-2",
    "fig-3",
    "fig-4",
    "fig-5-1",
    "fig-5-2",
    "fig-5-3",
    "fig-6-1",
    "fig-6-2",
    "fig-9",
    "fig-10",
    "fig-13",
]
UNIT_IDS = [f"trend-{i}" for i in range(1, 8)]
YEAR_IDS = ["year-1", "year-2", "year-3"]


@pytest.fixture(scope="module")
def model() -> Portal:
    checked = load_and_check(REPO, load_config(REPO))
    assert not checked.problems.has_errors()
    return checked.portal


def report_of(portal: Portal, seed: str) -> Report:
    s = SEEDS[seed]
    unit = portal.unit(s.unit_id)
    assert unit is not None
    report = unit.report(s.year)
    assert report is not None
    return report


def charts_of(portal: Portal, seed: str) -> dict[str, Chart]:
    return {c.key: c for c in report_charts(report_of(portal, seed))}


def every_chart(portal: Portal) -> list[Chart]:
    charts = [c for r in portal.reports for c in report_charts(r)]
    charts += [c for u in portal.units for c in unit_charts(u)]
    for year in portal.years:
        charts += year_charts(year, [r for r in portal.reports if r.year == year], portal)
    return charts


def dec(value: float | None) -> Decimal | None:
    """The Decimal a plotted float came from (the specs plot float(str(decimal)))."""
    return None if value is None else Decimal(repr(value))


def bars(chart: Chart) -> list[tuple[str, str, Decimal | None, str]]:
    """Every bar of a chart as (series name, category, value, text)."""
    out = []
    for trace in chart.figure["data"]:
        assert trace["type"] == "bar"
        horizontal = trace["orientation"] == "h"
        values = trace["x"] if horizontal else trace["y"]
        categories = trace["y"] if horizontal else trace["x"]
        categories = [c.replace("<br>", "") for c in categories]  # long labels are wrapped
        out += [
            (trace["name"], c, dec(v), t) for c, v, t in zip(categories, values, trace["text"], strict=True)
        ]
    return out


def series(chart: Chart, name: str) -> dict[str, Decimal | None]:
    return {c: v for n, c, v, _ in bars(chart) if n == name}


# ---------------------------------------------------------------- figures equal the tables


@pytest.mark.parametrize("seed", SEEDS)
def test_report_figures_have_fixed_ids_in_document_order(model: Portal, seed: str) -> None:
    charts = report_charts(report_of(model, seed))
    assert [c.id for c in charts] == REPORT_IDS
    assert [c.number for c in charts] == [i.replace("fig-", "图") for i in REPORT_IDS]


@pytest.mark.parametrize(
    ("key", "name"), [("1", "收支总计"), ("4", "财政拨款收支总计"), ("5-1", "一般公共预算财政拨款支出")]
)
@pytest.mark.parametrize("seed", SEEDS)
def test_change_charts_show_this_year_and_last(model: Portal, seed: str, key: str, name: str) -> None:
    report = report_of(model, seed)
    chart = charts_of(model, seed)[key]
    values = [v for _, _, v, _ in bars(chart)]
    previous = report.previous.get(name)
    expected = ([previous] if previous is not None else []) + [report.figures[name]]
    assert values == expected
    ch = NotesData(report).change(name)
    if previous is not None:
        assert (
            f"{ch.word}{format_money(ch.delta)}万元，{ch.rate_word}{format_percent(ch.rate)}" in chart.caption
        )
    else:
        assert "的数未知，图中只列本年数" in chart.caption


def test_change_chart_with_unknown_last_year_draws_this_year_only(model: Portal) -> None:
    report = replace(report_of(model, "000"), previous={})
    chart = {c.key: c for c in report_charts(report)}["1"]
    assert [(c, v) for _, c, v, _ in bars(chart)] == [("2024年度", Decimal("1547.33"))]
    assert chart.caption == "2024年度收、支总计均为1,547.33万元。2023年度的数未知，图中只列本年数。"


@pytest.mark.parametrize("seed", SEEDS)
def test_captions_repeat_the_notes_sentences(model: Portal, seed: str, soup_of: Any) -> None:
    """The figure states the same computed numbers, in the same words, as the notes beside it."""
    page = soup_of(SEEDS[seed].page)
    charts = charts_of(model, seed)
    for section, key in (("notes-1", "1"), ("notes-4", "4")):
        notes = page.find(id=section).find("p", recursive=False).get_text()
        assert charts[key].caption in notes, (charts[key].caption, notes)
    structure = page.find(id="notes-5").find_all("p", recursive=False)[1].get_text()
    assert charts["5-2"].caption in structure


@pytest.mark.parametrize("seed", SEEDS)
def test_structure_charts_equal_the_tables(model: Portal, seed: str) -> None:
    report = report_of(model, seed)
    f, n = report.figures, NotesData(report)
    charts = charts_of(model, seed)
    expectations = {
        "2": ([(s, f[s]) for s in INCOME_SOURCES], f["本年收入合计"]),
        "3": (n.expenditure_kinds(), f["本年支出合计"]),
        "5-2": ([(r.name, r.cells["小计"].value) for r in report.tables["公开05表"].rows if len(r.code) == 3],
                f["一般公共预算财政拨款支出"]),
        "6-1": ([("人员经费", f["人员经费"]), ("公用经费", f["公用经费"])], f["人员经费"] + f["公用经费"]),
    }  # fmt: skip
    for key, (parts, whole) in expectations.items():
        pie = charts[key].figure["data"][0]
        shown = [(name, value) for name, value in parts if value != 0]
        assert pie["labels"] == [name for name, _ in shown]
        assert [dec(v) for v in pie["values"]] == [value for _, value in shown]
        for text, (name, value) in zip(pie["text"], shown, strict=True):
            assert text == f"{name}<br>{format_money(value)}万元<br>{format_percent(percent(value, whole))}"
        table = charts[key].table
        assert [r.label for r in table.rows] == [name for name, _ in parts] + ["合计"]
        assert [r.cells[0] for r in table.rows] == [format_money(v) for _, v in parts] + [format_money(whole)]


@pytest.mark.parametrize("seed", SEEDS)
def test_drill_down_lists_every_item_of_table_05(model: Portal, seed: str) -> None:
    report = report_of(model, seed)
    table = report.tables["公开05表"]
    chart = charts_of(model, seed)["5-3"]
    trace = chart.figure["data"][0]
    assert trace["type"] == "sunburst" and trace["branchvalues"] == "total"
    assert trace["ids"] == ["合计", *(r.code for r in table.rows)]
    sizes = dict(zip(trace["ids"], (dec(v) for v in trace["values"]), strict=True))
    parents = dict(zip(trace["ids"], trace["parents"], strict=True))
    for row in table.rows:
        value = row.cells["小计"].value
        assert format_money(value) in trace["text"][trace["ids"].index(row.code)]
        children = [c for c, p in parents.items() if p == row.code]
        below = sum((sizes[c] for c in children), Decimal(0))
        # Drawn at its printed value, or at its children's sum when a rounding tail makes that larger.
        assert sizes[row.code] == max(value, below)
        assert parents[row.code] == next((row.code[:k] for k in (5, 3) if k < len(row.code)), "合计")
    rows = chart.table.rows[1:]
    assert [(r.code, r.label) for r in rows] == [(r.code, r.name) for r in table.rows]
    assert [r.cells[:3] for r in rows] == [
        [format_money(r.cells[k].value) for k in ("小计", "基本支出", "项目支出")] for r in table.rows
    ]


def test_drill_down_draws_a_class_below_its_items_at_their_sum(model: Portal) -> None:
    """Seed 004's 03/05 tables carry rounding tails; a parent is never drawn smaller than its items."""
    trace = charts_of(model, "004")["5-3"].figure["data"][0]
    sizes = dict(zip(trace["ids"], (dec(v) for v in trace["values"]), strict=True))
    for parent in trace["parents"]:
        if parent:
            children = [c for c, p in zip(trace["ids"], trace["parents"], strict=True) if p == parent]
            assert sum(sizes[c] for c in children) <= sizes[parent]


@pytest.mark.parametrize("seed", SEEDS)
def test_economic_classes_equal_table_06(model: Portal, seed: str) -> None:
    report = report_of(model, seed)
    classes = [
        (r.code, r.name, r.cells["决算数"].value) for r in report.tables["公开06表"].rows if len(r.code) == 3
    ]
    chart = charts_of(model, seed)["6-2"]
    shown = [c for c in classes if c[2] != 0]
    assert [(c, v) for _, c, v, _ in bars(chart)] == [(f"{code} {name}", v) for code, name, v in shown]
    assert [(r.code, r.cells[0]) for r in chart.table.rows[:-1]] == [
        (c, format_money(v)) for c, _, v in classes
    ]


@pytest.mark.parametrize("seed", SEEDS)
def test_three_public_budget_and_actual_equal_table_09(model: Portal, seed: str) -> None:
    report = report_of(model, seed)
    records = report.tables["公开09表"].records
    chart = charts_of(model, seed)["9"]
    items = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")
    for record in ("预算数", "决算数"):
        assert series(chart, f"{report.year}年度{record}") == {i: records[record][i].value for i in items}
    # Neither seed knows last year's 三公 figures: only this year is drawn, and the caption says so.
    assert {name for name, *_ in bars(chart)} == {f"{report.year}年度预算数", f"{report.year}年度决算数"}
    assert f"{report.year - 1}年度的数未知" in chart.caption
    total = chart.table.rows[0]
    assert total.cells[:2] == [
        format_money(records["预算数"]["合计"].value),
        format_money(records["决算数"]["合计"].value),
    ]


@pytest.mark.parametrize("seed", SEEDS)
def test_operating_costs_against_budget_and_last_year(model: Portal, seed: str) -> None:
    report = report_of(model, seed)
    chart = charts_of(model, seed)["10"]
    got = {c: v for _, c, v, _ in bars(chart)}
    expected = {f"{report.year}年度决算数": report.operating["决算数"].value}
    if "年初预算数" in report.operating:
        expected[f"{report.year}年度年初预算数"] = report.operating["年初预算数"].value
    if "机关运行经费" in report.previous:
        expected[f"{report.year - 1}年度决算数"] = report.previous["机关运行经费"]
    else:
        assert f"{report.year - 1}年度的数未知" in chart.caption
    assert got == expected


def test_unit_trends_cover_every_year_in_data(model: Portal) -> None:
    for unit in model.units:
        charts = unit_charts(unit)
        if not any(r.kind == "final" for r in unit.reports):
            assert charts == []  # the trends are of 决算 figures; a budget-only unit has none
            continue
        assert [c.id for c in charts] == UNIT_IDS
        years = sorted(r.year for r in unit.reports if r.kind == "final")
        for chart in charts:
            for _, category, _, _ in bars(chart):
                assert category in [f"{y}年度" for y in years]
        report = unit.reports[0]
        first = {name: series(charts[0], name) for name in ("收、支总计", "本年收入合计", "本年支出合计")}
        assert first["收、支总计"] == {f"{report.year}年度": report.figures["收支总计"]}
        assert first["本年支出合计"] == {f"{report.year}年度": report.figures["本年支出合计"]}
        split = charts[2]
        assert series(split, "基本支出") == {f"{report.year}年度": report.figures["基本支出"]}
        assert series(split, "项目支出") == {f"{report.year}年度": report.figures["项目支出"]}
        assert series(charts[5], "决算数") == {f"{report.year}年度": report.figures["三公经费决算数"]}
        assert series(charts[6], "决算数") == {f"{report.year}年度": report.operating["决算数"].value}
        assert "一个年度的数据" in charts[0].caption


def test_year_page_puts_units_side_by_side(model: Portal) -> None:
    for year in model.years:
        reports = [r for r in model.reports if r.year == year and r.kind == "final"]
        charts = year_charts(year, reports, model)
        assert [c.id for c in charts] == YEAR_IDS
        totals, shares, three = charts
        for report in reports:
            name = model.unit(report.unit_id).name  # type: ignore[union-attr]
            assert series(totals, "收、支总计")[name] == report.figures["收支总计"]
            for kind in ("基本支出", "项目支出"):
                assert series(shares, kind)[name] == percent(
                    report.figures[kind], report.figures["本年支出合计"]
                )
            assert series(three, "决算数")[name] == report.figures["三公经费决算数"]
            assert series(three, "预算数")[name] == report.figures["三公经费预算数"]


def test_a_year_of_many_units_charts_the_largest_and_says_so() -> None:
    def summary(n: int) -> UnitSummary:
        total = Decimal((n * 7919) % 1000 + 100)  # sizes in no particular order of the ids
        figures = {"收支总计": total, "本年支出合计": total, "基本支出": total - 40, "项目支出": Decimal(40),
                   "三公经费预算数": Decimal(2), "三公经费决算数": Decimal(1)}  # fmt: skip
        report = ReportSummary(f"u{n:03d}", 2024, "final", f"单位{n}2024年度决算", "单位", figures, [])
        return UnitSummary(f"u{n:03d}", f"单位{n}", "单位", None, "", [], "", [report])

    index = PortalIndex([summary(n) for n in range(1, 41)], [])
    reports = index.reports
    largest = sorted(reports, key=lambda r: r.figures["收支总计"], reverse=True)[:YEAR_CHART_UNITS]
    charts = year_charts(2024, reports, index)  # type: ignore[arg-type]
    assert YEAR_CHART_UNITS == 30
    for chart in charts:
        shown = [c for _, c, _, _ in bars(chart)]
        assert sorted(set(shown)) == sorted(f"单位{int(r.unit_id[1:])}" for r in largest), chart.id
        assert len(chart.table.rows) == 30
    top = largest[0]
    assert series(charts[0], "收、支总计")[f"单位{int(top.unit_id[1:])}"] == top.figures["收支总计"]
    assert "2024年度共40个部门（单位），图中为收支总计最大的30个（全部见上方报告一览）" in charts[0].caption
    assert [c.title.endswith("（收支总计前30位）") for c in charts] == [True, True, True]
    assert charts[1].caption.startswith("2024年度收支总计最大的30个部门（单位）支出合计中：")
    few = year_charts(2024, reports[:30], index)  # type: ignore[arg-type]
    assert len(series(few[0], "收、支总计")) == 30
    assert "最大" not in few[0].caption + few[1].caption and "前30位" not in few[0].title


# ---------------------------------------------------------------- every text is formatted in Python


def test_every_shown_number_is_formatted_in_python(model: Portal) -> None:
    for chart in every_chart(model):
        layout = chart.figure["layout"]
        for trace in chart.figure["data"]:
            assert trace["hoverinfo"] == "text", chart.id
            assert all(isinstance(t, str) for t in trace["hovertext"])
            if trace["type"] == "bar":
                values = trace["x"] if trace["orientation"] == "h" else trace["y"]
                fmt = format_percent if chart.unit == "%" else format_money
                assert trace["text"] == [fmt(dec(v)) if v is not None else "—" for v in values], chart.id
            else:
                assert trace["textinfo"] == "text"
            assert "texttemplate" not in trace and "hovertemplate" not in trace
        for axis in ("xaxis", "yaxis"):
            if axis in layout and layout[axis].get("type") != "category":
                ticks = layout[axis]
                assert ticks["tickmode"] == "array"
                fmt = format_percent if chart.unit == "%" else format_money
                assert ticks["ticktext"] == [fmt(dec(v)) for v in ticks["tickvals"]]
        for note in layout.get("annotations", []):
            assert re.fullmatch(
                r"(增加|减少)[\d,]+\.\d\d万元，(增长|下降)\d+\.\d\d%|上年数未知", note["text"]
            )


def test_nice_ticks() -> None:
    assert nice_ticks([Decimal("1547.33")]) == [Decimal(v) for v in (0, 500, 1000, 1500, 2000)]
    assert nice_ticks([Decimal("0.07"), Decimal("1.2")]) == [Decimal(v) for v in ("0", "0.5", "1", "1.5")]
    assert nice_ticks([Decimal(0)]) == [Decimal(0), Decimal(1)]
    assert all(t % Decimal("0.01") == 0 for t in nice_ticks([Decimal("0.03")]))


def test_json_is_deterministic_and_cannot_close_its_script() -> None:
    spec = {"b": [1.5, "</script><!--"], "a": {"y": "&", "x": "收支"}}
    text = to_json(spec)
    assert text == '{"a":{"x":"收支","y":"\\u0026"},"b":[1.5,"\\u003c/script\\u003e\\u003c!--"]}'
    assert json.loads(text) == spec


# ---------------------------------------------------------------- valid plotly figures, checked once per type


def figure_type(chart: Chart) -> str:
    trace = chart.figure["data"][0]
    layout = chart.figure["layout"]
    return "/".join([trace["type"], layout.get("barmode", ""), trace.get("orientation", ""), chart.unit,
                     str(len({t.get("name") for t in chart.figure["data"]}) > 1)])  # fmt: skip


def test_each_figure_type_is_a_valid_plotly_figure(model: Portal) -> None:
    import plotly.graph_objects as go

    seen: dict[str, str] = {}
    for chart in every_chart(model):
        kind = figure_type(chart)
        if kind not in seen:
            go.Figure(chart.figure)  # raises on any invalid property or value
            seen[kind] = chart.id
    assert {k.split("/")[0] for k in seen} == {"bar", "pie", "sunburst"}
    assert len(seen) >= 6, seen


# ---------------------------------------------------------------- assets, pages and deterministic output


def test_plotly_rules_are_extracted_so_style_src_stays_strict() -> None:
    bundle = plotly_bundle().read_text(encoding="utf-8")
    css = plotly_css(bundle)
    assert css is not None and ".js-plotly-plot .plotly .main-svg{position:absolute;" in css
    assets = load_assets(REPO / "templates", True)
    assert assets.stylesheet and assets.guard_ids and not assets.inline_styles


def test_built_pages_embed_figures_and_load_plotly_only_with_charts(built_site: Path) -> None:
    bundles = sorted((built_site / "assets").glob("plotly.min.*.js"))
    assert len(bundles) == 1 and bundles[0].read_bytes() == plotly_bundle().read_bytes()
    expected = {SEEDS["000"].page: REPORT_IDS, SEEDS["004"].page: REPORT_IDS}
    expected |= {f"units/{s.unit_id}/index.html": UNIT_IDS for s in SEEDS.values()}
    expected |= {f"years/{s.year}/index.html": YEAR_IDS for s in SEEDS.values()}
    for page in sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html")):
        html = (built_site / page).read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
        directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
        # Scripts only from the site itself: never 'unsafe-inline' or 'unsafe-eval' (the search page's
        # 'wasm-unsafe-eval' lets WebAssembly compile, it does not allow eval); styles only from files.
        assert directives["script-src"][0] == "'self'", page
        assert not {"'unsafe-inline'", "'unsafe-eval'"} & set(directives["script-src"]), page
        assert directives["style-src"] == ["'self'"], page
        assert not soup.select("script:not([src]):not([type='application/json'])"), "inline script"
        assert "style=" not in html
        scripts = [s["src"] for s in soup.select("script[src]")]
        ids = [f["id"] for f in soup.select("figure.chart")]
        assert ids == expected.get(page, []), page
        if not ids:
            assert not any("plotly" in s for s in scripts), page
            continue
        assert all(s.has_attr("defer") for s in soup.select("script[src]"))
        # plotly.js is loaded by charts.js after the page's load event (off the page's critical path).
        assert [s.split("/")[-1].split(".")[0] for s in scripts] == ["charts"]
        plotly = soup.select_one("script[data-plotly]")["data-plotly"]
        assert (
            plotly.split("/")[-1].startswith("plotly.min.")
            and (built_site / page).parent.joinpath(plotly).is_file()
        )
        for figure_id in ids:
            figure = soup.find(id=figure_id)
            plot = figure.find(class_="chart-plot")
            assert plot["role"] == "img" and plot["aria-label"].startswith(
                figure.find(class_="chart-no").text
            )
            assert plot.has_attr("hidden"), "the plot shows only once charts.js draws it"
            data = json.loads(soup.find(id=f"{figure_id}-data").string)
            assert set(data) == {"data", "layout"}
            assert figure.find("figcaption").find(class_="chart-caption").text.strip()
            assert figure.find("table").find("tbody").find_all("tr")


def test_charts_can_be_switched_off(tmp_path: Path) -> None:
    from disclosure.commands.build import build

    out = tmp_path / "site"
    config = replace(load_config(REPO), charts=False, out_dir=str(out))
    assert build(REPO, config) == 0
    assert not list((out / "assets").glob("plotly*"))
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "chart-plot" not in html and "plotly" not in html
    # The year listing is still sortable (charts.js also sorts tables).
    assert "charts." in (out / "years/2024/index.html").read_text(encoding="utf-8")


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    for out in (first, second):
        result = run_cli("--root", str(REPO), "build", "--out", str(out))
        assert result.status == 0, result.output
    files = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file())
    assert any(f.startswith("assets/plotly.min.") for f in files)
    assert 'id="fig-5-3"' in (first / SEEDS["000"].page).read_text(encoding="utf-8")
    match, mismatch, errors = filecmp.cmpfiles(first, second, files, shallow=False)
    assert not mismatch and not errors
