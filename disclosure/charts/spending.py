"""图9 “三公”经费 and 图10 机关运行经费 of a 决算 report: budget, actual and last year side by side."""

from __future__ import annotations

from decimal import Decimal

from ..model import Report
from ..money import ZERO
from ..notes import NotesData
from .figures import (
    BUDGET,
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
)
from .sources import source_of

THREE_PUBLIC_ITEMS = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")
THREE_PUBLIC_ROWS = (
    ("合计", "三公经费"),
    ("因公出国（境）费", "因公出国（境）费"),
    ("公务用车购置及运行维护费", "公务用车购置及运行维护费"),
    ("其中：公务用车购置费", "公务用车购置费"),
    ("其中：公务用车运行维护费", "公务用车运行维护费"),
    ("公务接待费", "公务接待费"),
)


def three_public(report: Report, n: NotesData) -> Chart:
    """图9 “三公”经费：预算数与决算数（及上年决算数，已知时）per item."""
    f, previous = report.figures, report.previous
    year, before = report.year, report.year - 1
    known = any(f"{name}决算数" in previous for _, name in THREE_PUBLIC_ROWS)
    columns: list[tuple[str, str, tuple[str, str], dict[str, Decimal | None]]] = []
    if known:
        columns.append(
            (
                "上年决算数",
                f"{before}年度决算数",
                PREVIOUS,
                {k: previous.get(f"{k}决算数") for _, k in THREE_PUBLIC_ROWS},
            )
        )
    columns.append(
        ("预算数", f"{year}年度预算数", BUDGET, {k: f[f"{k}预算数"] for _, k in THREE_PUBLIC_ROWS})
    )
    columns.append(
        ("决算数", f"{year}年度决算数", CURRENT, {k: f[f"{k}决算数"] for _, k in THREE_PUBLIC_ROWS})
    )
    series = []
    for _, name, (colour, pattern), values in columns:
        points = [values[item] for item in THREE_PUBLIC_ITEMS]
        texts = [money(v) for v in points]
        series.append(
            Series(
                name,
                points,
                texts,
                [f"{item} {name}：{t}万元" for item, t in zip(THREE_PUBLIC_ITEMS, texts, strict=True)],
                colour,
                pattern,
            )
        )
    budget3, actual3 = f["三公经费预算数"], f["三公经费决算数"]
    if budget3 == 0 and actual3 == 0:
        caption = (
            f"本{report.scope}无财政拨款安排的“三公”经费支出，{year}年度预算数和决算数均为{money(ZERO)}万元。"
        )
    else:
        caption = (
            f"{year}年度“三公”经费财政拨款支出预算为{money(budget3)}万元，支出决算为{money(actual3)}万元"
        )
        caption += f"，完成预算的{pct(n.share(actual3, budget3))}。" if budget3 else "。"
        caption += "其中：" + "；".join(
            f"{item}预算数{money(f[item + '预算数'])}万元，决算数{money(f[item + '决算数'])}万元" for item in THREE_PUBLIC_ITEMS
        ) + "。"  # fmt: skip
    if known:
        caption += f"{before}年度“三公”经费决算数为{money(previous.get('三公经费决算数'))}万元。"
    else:
        caption += f"{before}年度的数未知，图中只列本年预算数和决算数。"
    head = ["项目", *(f"{label}（万元）" for label, _, _, _ in columns), "完成预算"]
    rows = []
    for label, name in THREE_PUBLIC_ROWS:
        budget, actual = f[f"{name}预算数"], f[f"{name}决算数"]
        cells = [money(values[name]) for _, _, _, values in columns]
        cells.append(pct(n.share(actual, budget)) if budget else "—")
        rows.append(DataRow(label, cells, level="total" if name == "三公经费" else ""))
    return Chart(
        "9", "图9", "财政拨款“三公”经费支出预算数与决算数对比图", caption,
        bar_figure(list(THREE_PUBLIC_ITEMS), series, height=380), DataTable(head, rows),
        [source_of(report, "三公经费决算数")],
    )  # fmt: skip


def operating(report: Report, n: NotesData) -> Chart | None:
    """图10 机关运行经费：决算数与年初预算数、上年决算数."""
    actual = report.operating.get("决算数")
    if actual is None:
        return None
    year, before = report.year, report.year - 1
    budget = n.year_start.operating  # from the same year's 预算 when the portal holds it
    last = report.previous.get("机关运行经费")
    points: list[Point] = []
    if budget is not None:
        points.append((f"{year}年度年初预算数", budget.value, BUDGET))
    if last is not None:
        points.append((f"{before}年度决算数", last, PREVIOUS))
    points.append((f"{year}年度决算数", actual.value, CURRENT))
    series, rows = point_bars("机关运行经费", points)
    vs_budget, vs_last = n.operating_vs_budget(), n.operating_vs_previous()
    caption = f"{year}年度机关运行经费支出{money(actual.value)}万元"
    if vs_budget:
        caption += f"，比年初预算数{vs_budget.word}{money(vs_budget.delta)}万元，{vs_budget.rate_word}{pct(vs_budget.rate)}"
    if vs_last:
        caption += f"，与上年度相比，{vs_last.word}{money(vs_last.delta)}万元，{vs_last.rate_word}{pct(vs_last.rate)}"
    caption += "。"
    if budget is None:
        caption += "未填报年初预算数。"
    if last is None:
        caption += f"{before}年度的数未知，图中只列本年数。"
    return Chart(
        "10", "图10", "机关运行经费支出情况图", caption,
        bar_figure([c for c, _, _ in points], [series]), DataTable(["项目", "金额（万元）"], rows),
        [("#notes-10", "十、机关运行经费支出说明")],
    )  # fmt: skip
