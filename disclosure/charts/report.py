"""The figures of one 决算 report, numbered by the notes' section as the documents number them:
图1 收、支决算总计, 图2 收入结构, 图3 支出结构, 图4 财政拨款收、支总计, 图5-1/5-2 一般公共预算财政拨款支出
变动和结构, then 图5-3 (类 → 款 → 项), 图6-1/6-2 基本支出, 图9 “三公”经费, 图10 机关运行经费.

Every number comes from the report's computed figures and tables through NotesData, the same values
the notes print; captions repeat the notes' fixed sentences.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ..model import Report
from ..notes import Change, NotesData
from .budget_actual import budget_vs_actual
from .figures import (
    CURRENT,
    PREVIOUS,
    Chart,
    DataRow,
    DataTable,
    Point,
    Series,
    bar_figure,
    money,
    pct,
    point_bars,
    series_style,
)
from .performance import performance_charts
from .shares import Node, Slice, lighten, pie_figure, sunburst_figure
from .sources import source_of
from .spending import operating, three_public

LEVELS = {3: "lei", 5: "kuan", 7: "xiang"}
LEVEL_WORDS = {3: "类", 5: "款", 7: "项"}


def vs_words(ch: Change, label: str, before: int, year_word: str) -> str:
    """Return the notes' comparison sentence, or say that last year's figure is unknown."""
    if not ch.known:
        return f"{before}年度的数未知，图中只列本年数。"
    return f"与{before}{year_word}相比，{label}{ch.word}{money(ch.delta)}万元，{ch.rate_word}{pct(ch.rate)}。"


def change_chart(
    report: Report, n: NotesData, key: str, title: str, name: str, label: str, words: tuple[str, str, str]
) -> Chart:
    """A figure against last year's (图1, 图4, 图5-1): two bars, or one when last year is unknown."""
    lead, compared, year_word = words
    ch = n.change(name)
    year, before = report.year, report.year - 1
    points: list[Point] = []
    if ch.previous is not None:
        points.append((f"{before}年度", ch.previous, PREVIOUS))
    points.append((f"{year}年度", ch.current, CURRENT))
    series, rows = point_bars(label, points, hover_label=label)
    note = f"{ch.word}{money(ch.delta)}万元，{ch.rate_word}{pct(ch.rate)}" if ch.known else "上年数未知"
    if ch.known:
        rows.append(DataRow("增减额", [f"{ch.word}{money(ch.delta)}"]))
        rows.append(DataRow("增减率", [f"{ch.rate_word}{pct(ch.rate)}"]))
    caption = f"{year}年度{lead}{money(ch.current)}万元。" + vs_words(ch, compared, before, year_word)
    return Chart(
        key, f"图{key}", title, caption,
        bar_figure([c for c, _, _ in points], [series], note=note),
        DataTable(["年度", f"{label}（万元）"], rows),
    )  # fmt: skip


def share_chart(
    key: str,
    title: str,
    parts: list[tuple[str, Decimal]],
    whole: Decimal,
    n: NotesData,
    words: tuple[str, str],
) -> Chart:
    """A structure as a donut of the non-zero parts; the table lists every part with its share."""
    lead, suffix = words
    shown = [(name, value) for name, value in parts if value != 0]
    slices = [
        Slice(
            name,
            value,
            f"{name}<br>{money(value)}万元<br>{pct(n.share(value, whole))}",
            f"{name}：{money(value)}万元，占{pct(n.share(value, whole))}",
        )
        for name, value in shown
    ]
    clauses = [f"{name}{suffix}{money(value)}万元，占{pct(n.share(value, whole))}" for name, value in shown]
    caption = f"{lead}{money(whole)}万元" + (f"，其中：{'；'.join(clauses)}。" if clauses else "。")
    rows = [DataRow(name, [money(value), pct(n.share(value, whole))]) for name, value in parts]
    rows.append(
        DataRow("合计", [money(whole), pct(n.share(whole, whole)) if whole else pct(None)], level="total")
    )
    return Chart(
        key, f"图{key}", title, caption, pie_figure(slices), DataTable(["项目", "金额（万元）", "占比"], rows)
    )


def totals(report: Report, n: NotesData) -> Chart:
    """图1 收、支决算总计变动情况图."""
    chart = change_chart(
        report, n, "1", "收、支决算总计变动情况图", "收支总计", "收、支总计",
        ("收、支总计均为", "收、支总计各", "年"),
    )  # fmt: skip
    chart.sources = [source_of(report, "收支总计")]
    return chart


def income(report: Report, n: NotesData) -> Chart:
    """图2 收入决算结构图 (by source)."""
    f = report.figures
    chart = share_chart(
        "2", "收入决算结构图", n.income_sources(), f["本年收入合计"], n, (f"{report.year}年度收入合计", "")
    )
    chart.sources = [source_of(report, "财政拨款收入"), source_of(report, "收支总计")]
    return chart


def expenditure(report: Report, n: NotesData) -> Chart:
    """图3 支出决算结构图 (基本支出, 项目支出 and any other kind)."""
    f = report.figures
    chart = share_chart(
        "3", "支出决算结构图", n.expenditure_kinds(), f["本年支出合计"], n, (f"{report.year}年度支出合计", "")
    )
    chart.sources = [source_of(report, "本年支出合计")]
    return chart


def grants(report: Report, n: NotesData) -> Chart:
    """图4 财政拨款收、支决算总计变动情况图."""
    chart = change_chart(
        report, n, "4", "财政拨款收、支决算总计变动情况图", "财政拨款收支总计", "财政拨款收、支总计",
        ("财政拨款收、支总计均为", "财政拨款收、支总计各", "年"),
    )  # fmt: skip
    chart.sources = [source_of(report, "财政拨款收支总计")]
    return chart


def general_change(report: Report, n: NotesData) -> Chart:
    """图5-1 一般公共预算财政拨款支出决算总计变动情况图."""
    chart = change_chart(
        report, n, "5-1", "一般公共预算财政拨款支出决算总计变动情况图", "一般公共预算财政拨款支出",
        "一般公共预算财政拨款支出", ("一般公共预算财政拨款支出", "一般公共预算财政拨款支出", "年度"),
    )  # fmt: skip
    chart.sources = [source_of(report, "一般公共预算财政拨款支出")]
    return chart


def general_structure(report: Report, n: NotesData) -> Chart:
    """图5-2 一般公共预算财政拨款支出决算结构图 (by 类)."""
    total = report.figures["一般公共预算财政拨款支出"]
    parts = [(row.name, n.general_value(row)) for row in n.general_classes()]
    chart = share_chart(
        "5-2", "一般公共预算财政拨款支出决算结构图", parts, total, n,
        (f"{report.year}年度一般公共预算财政拨款支出", "（类）支出"),
    )  # fmt: skip
    chart.caption = chart.caption.replace("万元，其中：", "万元，主要用于以下方面：", 1)
    chart.sources = [source_of(report, "一般公共预算财政拨款支出")]
    return chart


def general_detail(report: Report, n: NotesData) -> Chart | None:
    """图5-3 一般公共预算财政拨款支出明细（类、款、项）: a sunburst to drill down, every item listed."""
    table = report.tables.get(n.general_number)
    if table is None:
        return None
    total = report.figures["一般公共预算财政拨款支出"]
    general = table.definition.column(n.general_key)
    general_label = general.label if general else n.general_key
    codes = {row.code for row in table.rows}
    root = "合计"
    nodes = [
        Node(
            root,
            "合计",
            "",
            total,
            f"合计<br>{money(total)}",
            f"一般公共预算财政拨款支出合计：{money(total)}万元",
            "#ffffff",
        )
    ]
    colour = "#ffffff"
    classes = 0
    rows = [
        DataRow(
            "合计",
            [
                money(total),
                money(table.total.value("基本支出")) if table.total else "",
                money(table.total.value("项目支出")) if table.total else "",
                pct(n.share(total, total)) if total else pct(None),
            ],
            level="total",
        )
    ]
    for row in table.rows:
        size = len(row.code)
        if size == 3:
            colour = series_style(classes)[0]
            classes += 1
        parent = next((row.code[:k] for k in (5, 3) if k < size and row.code[:k] in codes), root)
        value = n.general_value(row)
        share = pct(n.share(value, total))
        level = LEVEL_WORDS.get(size, "")
        amount, basic, project = money(value), money(row.value("基本支出")), money(row.value("项目支出"))
        nodes.append(
            Node(
                row.code,
                row.name,
                parent,
                value,
                f"{row.name}<br>{amount}",
                f"{row.code} {row.name}（{level}）<br>{amount}万元，占{share}"
                f"<br>基本支出{basic}万元，项目支出{project}万元",
                lighten(colour, {3: 0.0, 5: 0.35, 7: 0.6}.get(size, 0.6)),
            )
        )
        rows.append(
            DataRow(row.name, [amount, basic, project, share], code=row.code, level=LEVELS.get(size, ""))
        )
    counts = {w: sum(1 for r in table.rows if len(r.code) == k) for k, w in LEVEL_WORDS.items()}
    items = [r for r in table.rows if len(r.code) == 7]
    caption = (
        f"{report.year}年度一般公共预算财政拨款支出{money(total)}万元，按功能分类科目分为"
        f"{counts['类']}个类、{counts['款']}个款、{counts['项']}个项。"
    )
    if items:
        top = max(items, key=lambda r: n.general_value(r))
        caption += (
            f"金额最大的项是{top.name}（{top.code}），{money(n.general_value(top))}万元，"
            f"占{pct(n.share(n.general_value(top), total))}。"
        )
    caption += "点击图中的类或款可逐级展开，全部科目列于下表。"
    return Chart(
        "5-3", "图5-3", "一般公共预算财政拨款支出决算明细图（类、款、项）", caption, sunburst_figure(nodes),
        DataTable(["科目代码", "科目名称", f"{general_label}（万元）", "基本支出（万元）", "项目支出（万元）", "占合计"], rows, codes=True),
        [source_of(report, "一般公共预算财政拨款支出")],
    )  # fmt: skip


def basic_split(report: Report, n: NotesData) -> Chart:
    """图6-1 基本支出：人员经费和公用经费."""
    f = report.figures
    staff, office = f["人员经费"], f["公用经费"]
    whole = staff + office
    chart = share_chart(
        "6-1", "一般公共预算财政拨款基本支出结构图", [("人员经费", staff), ("公用经费", office)], whole, n,
        ("人员经费与公用经费合计", ""),
    )  # fmt: skip
    basic = f["一般公共预算财政拨款基本支出"]
    lead = f"{report.year}年度一般公共预算财政拨款基本支出{money(basic)}万元，包括人员经费和公用经费。"
    if whole != basic:
        lead += (
            f"人员经费与公用经费之和为{money(whole)}万元，与基本支出相差{money(abs(whole - basic))}万元，"
            "系金额单位转换的尾数误差。"
        )
    chart.caption = lead + chart.caption
    chart.sources = [source_of(report, "人员经费"), source_of(report, "一般公共预算财政拨款支出")]
    return chart


def basic_economic(report: Report, n: NotesData) -> Chart | None:
    """图6-2 基本支出按经济分类（类）."""
    table = report.tables.get(n.economic_number)
    if table is None:
        return None
    key = table.definition.columns[0].key
    classes = [(row.code, row.name, row.value(key)) for row in table.rows if len(row.code) == 3]
    whole = report.figures["人员经费"] + report.figures["公用经费"]
    shown = [c for c in classes if c[2] != 0] or classes
    labels = [f"{code} {name}" for code, name, _ in shown]
    texts = [money(value) for _, _, value in shown]
    series = Series(
        "决算数",
        [value for _, _, value in shown],
        texts,
        [
            f"{label}：{t}万元，占{pct(n.share(v, whole))}"
            for label, t, (_, _, v) in zip(labels, texts, shown, strict=True)
        ],
        legend=False,
    )
    clauses = [
        f"{name}{money(value)}万元，占{pct(n.share(value, whole))}" for _, name, value in shown if value != 0
    ]
    caption = (
        f"{report.year}年度一般公共预算财政拨款基本支出按经济分类（类），"
        + ("；".join(clauses) if clauses else "各类均为0.00万元")
        + f"。占比以人员经费与公用经费合计{money(whole)}万元为分母。"
    )
    rows = [
        DataRow(name, [money(value), pct(n.share(value, whole))], code=code) for code, name, value in classes
    ]
    rows.append(
        DataRow("合计", [money(whole), pct(n.share(whole, whole)) if whole else pct(None)], level="total")
    )
    return Chart(
        "6-2", "图6-2", "一般公共预算财政拨款基本支出经济分类结构图", caption,
        bar_figure(labels, [series], horizontal=True, height=max(220, 90 + 48 * len(shown))),
        DataTable(["科目代码", "科目名称", "金额（万元）", "占比"], rows, codes=True),
        [source_of(report, "人员经费")],
    )  # fmt: skip


BUILDERS: tuple[Callable[[Report, NotesData], Chart | None], ...] = (
    totals, income, expenditure, grants, general_change, general_structure, general_detail, budget_vs_actual,
    basic_split, basic_economic, three_public, operating,
)  # fmt: skip


def report_charts(report: Report) -> list[Chart]:
    """Return the figures of a 决算 report in page order (none for other kinds)."""
    if report.kind != "final":
        return []
    n = NotesData(report)
    charts = [chart for chart in (build(report, n) for build in BUILDERS) if chart is not None]
    return charts + performance_charts(report)  # 图13, in 十三、预算绩效情况说明
