"""图13 项目支出绩效自评得分: every self-evaluated project of a 决算 report, from the summary (自评项目)
and from the self-evaluation tables the summary does not list (e.g. 中央对地方转移支付项目)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..grades import grade_of
from ..model import Report
from ..money import format_money, format_percent, percent
from ..performance import number
from .figures import BLUE, Chart, DataRow, DataTable, Series, bar_figure

LABEL_WIDTH = 17


@dataclass(frozen=True)
class ProjectScore:
    """One project's score with its grade, funds and where the score is printed."""

    name: str
    score: Decimal
    grade: str
    budget: Decimal | None
    spent: Decimal | None
    source: str

    @property
    def rate(self) -> Decimal | None:
        """Return 执行率 = 全年执行数 / 全年预算数 (two decimals), None when unknown."""
        if self.budget is None or self.spent is None:
            return None
        return percent(self.spent, self.budget)


def project_scores(report: Report) -> list[ProjectScore]:
    """Return the summary's projects, then the tables' projects the summary does not list."""
    tables = {t.key: t for t in report.self_evaluations}
    scores = []
    for p in report.projects:
        if p.score is None:
            continue
        budget, spent = p.budget, p.spent
        table = tables.get(p.name)
        if table is not None and table.budget_row is not None:  # a summary without funds: the table's
            budget = budget if budget is not None else number(table.budget_row.budget)
            spent = spent if spent is not None else number(table.budget_row.spent)
        scores.append(ProjectScore(p.name, p.score, p.grade or grade_of(p.score), budget, spent, "汇总表"))
    listed = {p.name for p in report.projects}
    for table in report.self_evaluations:
        total = number(table.total)
        if table.key in listed or total is None:
            continue
        row = table.budget_row
        budget, spent = (number(row.budget), number(row.spent)) if row else (None, None)
        scores.append(
            ProjectScore(table.name, total, table.grade or grade_of(total), budget, spent, "自评表")
        )
    return scores


def short(name: str) -> str:
    """Shorten a long project name for the axis (the hover and the data table keep it whole)."""
    return name if len(name) <= LABEL_WIDTH else name[: LABEL_WIDTH - 1] + "…"


def performance_chart(report: Report) -> Chart | None:
    """图13: each project's self-evaluation score (0–100) as a horizontal bar, with its grade."""
    scores = project_scores(report)
    if report.kind != "final" or not scores:
        return None
    texts = [format_money(s.score) for s in scores]  # the grade is in the hover text and the table
    series = Series(
        "自评得分",
        [s.score for s in scores],
        texts,
        [f"{s.name}：{s.score}分，{s.grade}" for s in scores],
        colour=BLUE,
        legend=False,
    )
    figure = bar_figure(
        [short(s.name) for s in scores], [series], horizontal=True, height=120 + 48 * len(scores)
    )
    axis = figure["layout"]["xaxis"]
    axis["title"]["text"] = "分"  # scores, not amounts: ticks every 20 points up to 100
    axis["tickvals"] = [20 * i for i in range(6)]
    axis["ticktext"] = [format_money(Decimal(20 * i)) for i in range(6)]
    axis["range"] = [0, 112]
    counts = {g: sum(1 for s in scores if s.grade == g) for g in ("优", "良", "中", "差")}
    grades = "、".join(f"{g}{n}个" for g, n in counts.items() if n)
    low = min(scores, key=lambda s: s.score)
    funded = [s for s in scores if s.budget is not None and s.spent is not None]
    budget = sum((s.budget for s in funded if s.budget is not None), Decimal(0))
    spent = sum((s.spent for s in funded if s.spent is not None), Decimal(0))
    money = f"，涉及全年预算数{format_money(budget)}万元、执行数{format_money(spent)}万元" if funded else ""
    caption = (
        f"{report.year}年度共{len(scores)}个项目开展绩效自评{money}，自评等级{grades}；"
        f"得分最低的是“{low.name}”（{low.score}分）。"
    )
    rows = [
        DataRow(
            s.name,
            [
                str(s.score),
                s.grade,
                str(s.budget) if s.budget is not None else "",
                str(s.spent) if s.spent is not None else "",
                format_percent(s.rate) if s.rate is not None else "",
                s.source,
            ],
        )  # fmt: skip
        for s in scores
    ]
    table = DataTable(
        ["项目", "自评得分", "自评等级", "全年预算数（万元）", "全年执行数（万元）", "执行率", "出处"], rows
    )
    sources = [("#notes-13", "十三、预算绩效情况说明")]
    if report.self_evaluations:
        sources.append(("#part-5", "第五部分 附件（项目支出绩效自评表）"))
    return Chart("13", "图13", "项目支出绩效自评得分", caption, figure, table, sources, unit="分")


def performance_charts(report: Report) -> list[Chart]:
    """Return 图13 when the report has self-evaluated projects."""
    chart = performance_chart(report)
    return [chart] if chart else []
