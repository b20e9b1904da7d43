"""Figures across reports: a unit's trends over every year in data/, and a year's units side by side."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ..model import Portal, Report, Unit
from ..notes import INCOME_SOURCES, Change, NotesData
from ..yearstart import year_start
from .figures import BUDGET, CURRENT, Chart, DataRow, DataTable, Series, bar_figure, money, pct, series_style
from .spending import THREE_PUBLIC_ROWS

Value = Callable[[Report], "Decimal | None"]


def figure(name: str) -> Value:
    """Return a reader of a named figure of a report."""
    return lambda report: report.figures.get(name)


def operating(key: str) -> Value:
    """Return a reader of a 机关运行经费 amount (决算数, 年初预算数) of a report, None when not given."""
    if key == "年初预算数":
        return year_start_operating
    return lambda report: report.operating[key].value if key in report.operating else None


def year_start_operating(report: Report) -> Decimal | None:
    """Return 机关运行经费 年初预算数: from the same year's 预算 when the portal holds it, else typed."""
    amount = year_start(report).operating
    return amount.value if amount else None


def years_sentence(reports: list[Report]) -> str:
    """Say which years the trend covers (one year still draws, as a single bar)."""
    if len(reports) == 1:
        return f"目前只有{reports[0].year}年度一个年度的数据。"
    return f"共{len(reports)}个年度（{reports[0].year}—{reports[-1].year}年度）的数据。"


def series_sentence(label: str, reports: list[Report], read: Value) -> str:
    """State a series year by year, with each year's change against the year before it."""
    parts: list[str] = []
    before: tuple[int, Decimal] | None = None
    for report in reports:
        value = read(report)
        if value is None:
            parts.append(f"{report.year}年度未填报")
            continue
        text = f"{report.year}年度{money(value)}万元"
        if before is not None:
            ch = Change(value, before[1])
            text += f"（比{before[0]}年度{ch.word}{money(ch.delta)}万元，{ch.rate_word}{pct(ch.rate)}）"
        parts.append(text)
        before = (report.year, value)
    return f"{label}：{'，'.join(parts)}。"


def trend_chart(
    key: str,
    title: str,
    reports: list[Report],
    lines: list[tuple[str, Value, tuple[str, str] | None]],
    *,
    stacked: bool = False,
    whole: str = "",
) -> Chart:
    """Bars per year, one series per line (label, reader, style); with `whole`, shares of that figure."""
    categories = [f"{r.year}年度" for r in reports]
    series: list[Series] = []
    for i, (label, read, style) in enumerate(lines):
        colour, pattern = style or series_style(i)
        values = [read(r) for r in reports]
        texts = [money(v) for v in values]
        hovers = []
        for report, text, value in zip(reports, texts, values, strict=True):
            hover = f"{report.year}年度{label}：{text}万元"
            if whole and value is not None:
                hover += f"，占{pct(NotesData(report).share(value, report.figures[whole]))}"
            hovers.append(hover)
        series.append(Series(label, values, texts, hovers, colour, pattern))
    caption = years_sentence(reports) + "".join(
        series_sentence(label, reports, read) for label, read, _ in lines
    )
    head = ["年度", *(f"{label}（万元）" for label, _, _ in lines)]
    if whole:
        head += [f"{label}占比" for label, _, _ in lines]
    rows = []
    for report in reports:
        cells = [money(read(report)) for _, read, _ in lines]
        if whole:
            n = NotesData(report)
            cells += [pct(n.share(read(report) or Decimal(0), report.figures[whole])) for _, read, _ in lines]
        rows.append(DataRow(f"{report.year}年度", cells))
    figure_spec = bar_figure(categories, series, stacked=stacked, height=380)
    return Chart(key, f"图{key}", title, caption, figure_spec, DataTable(head, rows), id_prefix="trend")


def unit_charts(unit: Unit) -> list[Chart]:
    """Return a unit's trends over every year of its 决算 in data/ (a single year draws single bars)."""
    reports = sorted((r for r in unit.reports if r.kind == "final"), key=lambda r: r.year)
    if not reports:
        return []
    sources = [s for s in INCOME_SOURCES if any(r.figures.get(s) for r in reports)] or ["财政拨款收入"]
    charts = [
        trend_chart(
            "1", "收、支决算总计变动趋势图", reports,
            [("收、支总计", figure("收支总计"), None), ("本年收入合计", figure("本年收入合计"), None),
             ("本年支出合计", figure("本年支出合计"), None)],
        ),
        trend_chart(
            "2", "收入决算结构变动趋势图", reports, [(s, figure(s), None) for s in sources],
            stacked=True, whole="本年收入合计",
        ),
        trend_chart(
            "3", "基本支出和项目支出变动趋势图", reports,
            [("基本支出", figure("基本支出"), None), ("项目支出", figure("项目支出"), None)],
            stacked=True, whole="本年支出合计",
        ),
        trend_chart(
            "4", "财政拨款收、支总计和一般公共预算财政拨款支出变动趋势图", reports,
            [("财政拨款收、支总计", figure("财政拨款收支总计"), None),
             ("一般公共预算财政拨款支出", figure("一般公共预算财政拨款支出"), None)],
        ),
        trend_chart(
            "5", "人员经费和公用经费变动趋势图", reports,
            [("人员经费", figure("人员经费"), None), ("公用经费", figure("公用经费"), None)], stacked=True,
        ),
        three_public_trend(reports),
    ]  # fmt: skip
    if any("决算数" in r.operating for r in reports):
        charts.append(
            trend_chart(
                "7", "机关运行经费变动趋势图", reports,
                [("年初预算数", operating("年初预算数"), BUDGET), ("决算数", operating("决算数"), CURRENT)],
            )
        )  # fmt: skip
    return charts


def three_public_trend(reports: list[Report]) -> Chart:
    """图6 “三公”经费预算数与决算数 by year; the table gives every item of every year."""
    chart = trend_chart(
        "6", "财政拨款“三公”经费支出变动趋势图", reports,
        [("预算数", figure("三公经费预算数"), BUDGET), ("决算数", figure("三公经费决算数"), CURRENT)],
    )  # fmt: skip
    head = [
        "年度",
        *(f"{label}{kind}（万元）" for label, _ in THREE_PUBLIC_ROWS for kind in ("预算数", "决算数")),
    ]
    rows = [
        DataRow(
            f"{r.year}年度",
            [
                money(r.figures[f"{name}{kind}"])
                for _, name in THREE_PUBLIC_ROWS
                for kind in ("预算数", "决算数")
            ],
        )
        for r in reports
    ]
    chart.table = DataTable(head, rows)
    return chart


def unit_name(portal: Portal, unit_id: str) -> str:
    """Return a unit's name (its id when the portal does not know it)."""
    unit = portal.unit(unit_id)
    return unit.name if unit is not None else unit_id


# A year's charts compare at most this many units, the largest by 收支总计: a bar per unit of a whole
# region (thousands) made charts tens of thousands of pixels tall, with captions as long; the year
# page's table lists every report, and the year's workbook has every figure.
YEAR_CHART_UNITS = 30


def largest(finals: list[Report], limit: int = YEAR_CHART_UNITS) -> list[Report]:
    """Return the 决算 reports to chart, by unit: all of them, or the limit largest by 收支总计."""
    if len(finals) > limit:
        finals = sorted(finals, key=lambda r: (-(r.figures.get("收支总计") or Decimal(0)), r.unit_id))[:limit]
    return sorted(finals, key=lambda r: r.unit_id)


def year_charts(year: int, reports: list[Report], portal: Portal) -> list[Chart]:
    """Return a year's units side by side: totals, shares of 基本/项目, “三公”经费."""
    every = [r for r in reports if r.kind == "final"]
    finals = largest(every)
    if not finals:
        return []
    names = [unit_name(portal, r.unit_id) for r in finals]
    height = 120 + 56 * len(finals)
    units = f"{year}年度共{len(every)}个部门（单位）"
    shown, titled = "各部门（单位）", ""
    if len(every) > len(finals):
        units += f"，图中为收支总计最大的{len(finals)}个（全部见上方报告一览）"
        shown, titled = f"收支总计最大的{len(finals)}个部门（单位）", f"（收支总计前{len(finals)}位）"

    def side_by_side(key: str, title: str, lines: list[tuple[str, str, tuple[str, str] | None]]) -> Chart:
        series = []
        for i, (label, name, style) in enumerate(lines):
            colour, pattern = style or series_style(i)
            values = [r.figures[name] for r in finals]
            texts = [money(v) for v in values]
            hovers = [f"{unit}{label}：{t}万元" for unit, t in zip(names, texts, strict=True)]
            series.append(Series(label, values, texts, hovers, colour, pattern, legend=len(lines) > 1))
        clauses = [
            f"{unit}" + "，".join(f"{label}{money(r.figures[name])}万元" for label, name, _ in lines)
            for unit, r in zip(names, finals, strict=True)
        ]
        caption = f"{units}：{'；'.join(clauses)}。"
        rows = [
            DataRow(unit, [money(r.figures[name]) for _, name, _ in lines])
            for unit, r in zip(names, finals, strict=True)
        ]
        spec = bar_figure(names, series, horizontal=True, height=height + 40 * (len(lines) - 1) * len(finals))
        table = DataTable(["部门（单位）", *(f"{label}（万元）" for label, _, _ in lines)], rows)
        return Chart(key, f"图{key}", title + titled, caption, spec, table, id_prefix="year")

    kinds = [k for k in ("基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")
             if any(r.figures.get(k) for r in finals)] or ["基本支出", "项目支出"]  # fmt: skip
    share_series = []
    for i, kind in enumerate(kinds):
        colour, pattern = series_style(i)
        shares = [NotesData(r).share(r.figures[kind], r.figures["本年支出合计"]) for r in finals]
        share_series.append(
            Series(
                kind,
                [s if s is not None else Decimal(0) for s in shares],
                [pct(s) for s in shares],
                [
                    f"{unit}{kind}{money(r.figures[kind])}万元，占{pct(s)}"
                    for unit, r, s in zip(names, finals, shares, strict=True)
                ],
                colour,
                pattern,
            )
        )
    clauses = [
        unit
        + "，".join(
            f"{kind}占{pct(NotesData(r).share(r.figures[kind], r.figures['本年支出合计']))}" for kind in kinds
        )
        for unit, r in zip(names, finals, strict=True)
    ]
    shares_chart = Chart(
        "2", "图2", "各部门（单位）基本支出和项目支出占比对比图" + titled,
        f"{year}年度{shown}支出合计中：{'；'.join(clauses)}。",
        bar_figure(names, share_series, horizontal=True, stacked=True, percent=True, height=height),
        DataTable(
            ["部门（单位）", "本年支出合计（万元）", *(f"{k}（万元）" for k in kinds), *(f"{k}占比" for k in kinds)],
            [
                DataRow(unit, [money(r.figures["本年支出合计"]), *(money(r.figures[k]) for k in kinds),
                               *(pct(NotesData(r).share(r.figures[k], r.figures["本年支出合计"])) for k in kinds)])
                for unit, r in zip(names, finals, strict=True)
            ],
        ),
        id_prefix="year",
        unit="%",
    )  # fmt: skip
    return [
        side_by_side("1", "各部门（单位）收、支决算总计对比图", [("收、支总计", "收支总计", CURRENT)]),
        shares_chart,
        side_by_side(
            "3", "各部门（单位）财政拨款“三公”经费支出对比图",
            [("预算数", "三公经费预算数", BUDGET), ("决算数", "三公经费决算数", CURRENT)],
        ),
    ]  # fmt: skip
