"""图5-4 一般公共预算财政拨款支出年初预算数与决算数对比图: on a 决算 whose year's 预算 the portal holds.

By 项, as the notes' 一般公共预算财政拨款支出决算具体情况 sentences: the 年初预算数 of each 项 from the 预算's
一般公共预算支出情况表, the 决算数 from the 决算's 一般公共预算财政拨款支出 table (公开05表); a 项 found on one side only shows zero on the other.
"""

from __future__ import annotations

from ..model import Report
from ..money import ZERO
from ..notes import Completion, NotesData
from ..yearstart import ITEM_CODE_LENGTH, ITEMS_FIGURE
from .figures import BUDGET, CURRENT, Chart, DataRow, DataTable, Series, bar_figure, money, pct

KEY = "5-4"
TITLE = "一般公共预算财政拨款支出年初预算数与决算数对比图"


def completion_text(c: Completion) -> str:
    """Return the completion rate as the notes print it, or say there was no year-start budget."""
    return pct(c.rate) if c.rate is not None else "年初无预算"


def actual_link(report: Report) -> tuple[str, str]:
    """Return the link to this page's 一般公共预算财政拨款支出 table (公开05表, Shanghai's 表五)."""
    definition = report.profile.table(report.profile.table_of("一般公共预算财政拨款支出"))
    if definition is None:
        return ("", "一般公共预算财政拨款支出决算表")
    label = f"{definition.number} {definition.title}" if definition.show_number else definition.title
    return (f"#{definition.id}", label)


def budget_link(report: Report) -> tuple[str, str]:
    """Return the link to the 预算's 一般公共预算支出 table (both pages live in the unit's folder)."""
    budget = report.paired
    assert budget is not None
    ref = budget.profile.figures.get(ITEMS_FIGURE)
    definition = budget.profile.table(ref.table) if ref else None
    anchor = f"#{definition.id}" if definition else ""
    label = f"{budget.title} {definition.number} {definition.title}" if definition else budget.title
    return (f"../{budget.slug}/index.html{anchor}", label)


def item_rows(report: Report, n: NotesData) -> list[tuple[str, str, Completion]]:
    """Return every 项 of either side as (code, name, year-start budget against actual), by code."""
    table = report.tables.get(n.general_number)
    spent = {r.code: r for r in table.rows if len(r.code) == ITEM_CODE_LENGTH} if table else {}
    planned = n.year_start.items
    rows = []
    for code in sorted(set(spent) | set(planned)):
        name = spent[code].name if code in spent else n.year_start.names.get(code, "")
        budget = planned[code].value if code in planned else ZERO
        rows.append((code, name, Completion(budget, n.general_value(spent[code]) if code in spent else ZERO)))
    return rows


def caption_of(report: Report, total: Completion, rows: list[tuple[str, str, Completion]]) -> str:
    """Say the totals, where the year-start budget comes from, and how the 项 compare."""
    text = (
        f"{report.year}年度一般公共预算财政拨款支出年初预算数为{money(total.budget)}万元，"
        f"支出决算数为{money(total.actual)}万元，"
        + (f"完成年初预算的{pct(total.rate)}。" if total.rate is not None else "年初无预算。")
    )
    budget = report.paired
    assert budget is not None
    text += f"年初预算数取自{budget.title}，决算数取自{actual_link(report)[1]}。"
    over = sum(1 for _, _, c in rows if c.actual > c.budget)
    under = sum(1 for _, _, c in rows if c.actual < c.budget)
    text += f"共{len(rows)}个项，其中决算数大于年初预算数的{over}个，小于年初预算数的{under}个"
    return text + f"，持平的{len(rows) - over - under}个。"


def budget_vs_actual(report: Report, n: NotesData) -> Chart | None:
    """图5-4: 年初预算数 and 决算数 of each 项 side by side, with the totals in the data table."""
    if report.kind != "final" or report.paired is None:
        return None
    rows = item_rows(report, n)
    total = n.general_total_completion() or Completion(ZERO, report.figures["一般公共预算财政拨款支出"])
    labels = [f"{code} {name}" for code, name, _ in rows]
    series = []
    for name, style, values in (
        ("年初预算数", BUDGET, [c.budget for _, _, c in rows]),
        ("决算数", CURRENT, [c.actual for _, _, c in rows]),
    ):
        texts = [money(v) for v in values]
        hovers = [f"{label} {name}：{t}万元" for label, t in zip(labels, texts, strict=True)]
        series.append(Series(name, values, texts, hovers, *style))
    table_rows = [
        DataRow(name, [money(c.budget), money(c.actual), completion_text(c)], code=code)
        for code, name, c in rows
    ]
    table_rows.append(
        DataRow("合计", [money(total.budget), money(total.actual), completion_text(total)], level="total")
    )
    return Chart(
        KEY, f"图{KEY}", TITLE, caption_of(report, total, rows),
        bar_figure(labels, series, horizontal=True, height=max(260, 100 + 56 * len(rows))),
        DataTable(["科目代码", "科目名称", "年初预算数（万元）", "决算数（万元）", "完成年初预算"], table_rows, codes=True),
        [actual_link(report), budget_link(report)],
    )  # fmt: skip
