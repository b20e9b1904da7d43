"""项目支出绩效自评表 (决算): the model of one table and how it is read from `预算绩效.自评表`.

Every cell keeps the text as printed ("26", "74.08%", "≥88家"), so the page shows exactly what the
document shows; checks_performance.py reads the numbers out of that text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .money import format_percent, percent

if TYPE_CHECKING:
    from .builder import ReportBuilder
    from .model import Report

# 资金 rows: [名称, 年初预算数, 全年预算数（A）, 全年执行数（B）, 分值, 执行率, 得分]
FUND_COLUMNS = ("名称", "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分")
# 资金管理 rows (some regions score it): [名称, 情况说明, 分值, 得分, 存在问题和改进措施]
MANAGEMENT_COLUMNS = ("名称", "情况说明", "分值", "得分", "存在问题和改进措施")
# 指标 rows; a 9-column row carries 偏差度 before the reason, as some regions print it.
INDICATOR_COLUMNS = (
    "一级指标", "二级指标", "三级指标", "年度指标值（A）", "实际完成指标值（B）", "分值", "得分",
    "偏差原因分析及改进措施",
)  # fmt: skip
DEVIATION_COLUMNS = (*INDICATOR_COLUMNS[:7], "偏差度", INDICATOR_COLUMNS[7])
TABLE_KEYS = (
    "项目名称", "汇总表名称", "主管部门", "实施单位", "填报日期", "资金", "资金管理", "年度总体目标", "指标",
    "总分值", "总分", "等级", "未达标说明",
)  # fmt: skip
_MEASURE = re.compile(r"^(?P<op>[≥≤=＝><＞＜]?)\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>[^\d]*)$")
_OPS = {"＝": "=", "＞": ">", "＜": "<"}


# Scores, weights and rates ("10", "20", "100%") recur in every table: each text is read once.
@lru_cache(maxsize=4096)
def number(text: str) -> Decimal | None:
    """Return the number a cell prints ("7.41", "74.08%" → 74.08), or None for text and blanks."""
    raw = text.strip().removesuffix("%")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def decimals(text: str) -> int:
    """Return how many decimals a printed number shows ("74.08%" → 2, "12" → 0)."""
    raw = text.strip().removesuffix("%")
    return len(raw.split(".", 1)[1]) if "." in raw else 0


@dataclass(frozen=True)
class Measure:
    """A quantitative 指标值 or 实际完成值: comparison (≥, ≤, = or none), number and unit."""

    op: str
    value: Decimal
    unit: str


@lru_cache(maxsize=4096)
def measure(text: str) -> Measure | None:
    """Read "≥88家" as (≥, 88, 家); None for qualitative text (合理, 2024年12月31日前)."""
    match = _MEASURE.match(text.strip())
    if not match:
        return None
    op = _OPS.get(match["op"], match["op"])
    return Measure(op, Decimal(match["num"]), match["unit"].strip())


@dataclass
class FundRow:
    """One 资金 row: 年度资金总额 or a part (当年财政拨款, 上年结转资金, 其他资金 …)."""

    name: str
    initial: str
    budget: str
    spent: str
    weight: str = ""
    rate: str = ""
    score: str = ""
    line: int | None = None


@dataclass
class ManagementRow:
    """One 资金管理情况 row (安排科学性, 拨付合规性 …) with its 分值 and 得分."""

    name: str
    note: str
    weight: str
    score: str
    reason: str = ""
    line: int | None = None


@dataclass
class Indicator:
    """One 三级指标 with its 一级/二级 group, 指标值 (A), 实际完成值 (B), 分值, 得分 and 偏差原因."""

    first: str
    second: str
    third: str
    target: str
    actual: str
    weight: str
    score: str
    reason: str = ""
    deviation: str | None = None
    line: int | None = None


@dataclass
class SelfEvaluation:
    """One 项目支出绩效自评表 as printed."""

    name: str
    department: str = ""
    unit: str = ""
    summary_name: str = ""
    date: str = ""
    funds: list[FundRow] = field(default_factory=list)
    management: list[ManagementRow] = field(default_factory=list)
    goal_expected: str = ""
    goal_actual: str = ""
    indicators: list[Indicator] = field(default_factory=list)
    total_weight: str = ""
    total: str = ""
    grade: str = ""
    explanation: str | None = None
    line: int | None = None
    total_line: int | None = None

    @property
    def key(self) -> str:
        """Return the name the 汇总表 (预算绩效.自评项目) lists this project under."""
        return self.summary_name or self.name

    @property
    def budget_row(self) -> FundRow | None:
        """Return the 年度资金总额 row (the first), which carries the 预算执行 score."""
        return self.funds[0] if self.funds else None

    @property
    def budget_weight(self) -> str:
        """Return the 预算执行 分值 printed in the header (项目预算执行情况（10分）)."""
        row = self.budget_row
        return row.weight if row else ""

    @property
    def management_weight(self) -> Decimal:
        """Return the 资金管理 分值 total printed in its header (分值(20))."""
        return sum((number(m.weight) or Decimal(0) for m in self.management), Decimal(0))

    @property
    def has_deviation(self) -> bool:
        """Tell whether the indicators print a 偏差度 column."""
        return any(i.deviation is not None for i in self.indicators)


def _cells(raw: Any, width: int) -> list[str] | None:
    if not isinstance(raw, list) or not 1 <= len(raw) <= width:
        return None
    return ["" if v is None else str(v) for v in raw] + [""] * (width - len(raw))


def read_self_evaluations(builder: ReportBuilder, raw_tables: Any) -> list[SelfEvaluation]:
    """Read `预算绩效.自评表`: one mapping per project, rows as lists in the printed column order."""
    if raw_tables is None:
        return []
    if not isinstance(raw_tables, list):
        builder.problems.error("“自评表”应为列表，每个项目一项", **builder.where("预算绩效", "自评表"))
        return []
    tables = []
    for i, raw in enumerate(raw_tables):
        path = ("预算绩效", "自评表", i)
        if not isinstance(raw, dict) or not raw.get("项目名称"):
            builder.problems.error("自评表应写成 {项目名称: …, 资金: […], 指标: […]}", **builder.where(*path))
            continue
        tables.append(_read_table(builder, raw, path))
    return tables


def _read_table(builder: ReportBuilder, raw: dict, path: tuple) -> SelfEvaluation:
    builder.unknown(raw, TABLE_KEYS, *path)
    department, unit, summary_name, date = (
        str(raw.get(k) or "") for k in ("主管部门", "实施单位", "汇总表名称", "填报日期")
    )
    table = SelfEvaluation(
        str(raw["项目名称"]), department, unit, summary_name, date, line=builder.doc.line(*path)
    )
    for key in ("总分值", "总分", "等级", "未达标说明"):
        setattr(table, _ATTRIBUTES[key], "" if raw.get(key) is None else str(raw[key]))
    if "未达标说明" not in raw:
        table.explanation = None  # the row is printed only when the document prints it
    table.total_line = builder.doc.line(*path, "总分")
    goal = raw.get("年度总体目标") or {}
    if not isinstance(goal, dict):
        builder.problems.error(
            "年度总体目标应写成 {预期: …, 实际: …}", **builder.where(*path, "年度总体目标")
        )
        goal = {}
    builder.unknown(goal, ("预期", "实际"), *path, "年度总体目标")
    table.goal_expected, table.goal_actual = str(goal.get("预期") or ""), str(goal.get("实际") or "")
    table.funds = _rows(builder, raw, path, "资金", FUND_COLUMNS, FundRow, table.name)
    table.management = _rows(builder, raw, path, "资金管理", MANAGEMENT_COLUMNS, ManagementRow, table.name)
    table.indicators = _indicators(builder, raw, path, table.name)
    return table


def _listed(builder: ReportBuilder, raw: dict, path: tuple, key: str) -> list[Any]:
    """Return the rows under a key, or none (with an error) when they are not a list."""
    value = raw.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        builder.problems.error(f"“{key}”应为列表，每行一项", **builder.where(*path, key))
        return []
    return value


_ATTRIBUTES = {"总分值": "total_weight", "总分": "total", "等级": "grade", "未达标说明": "explanation"}


def _rows(
    builder: ReportBuilder, raw: dict, path: tuple, key: str, columns: tuple[str, ...], kind: Any, name: str
) -> list[Any]:
    rows = []
    for j, item in enumerate(_listed(builder, raw, path, key)):
        cells = _cells(item, len(columns))
        if cells is None or not cells[0]:
            builder.problems.error(
                f"{key}每行应写成 [{', '.join(columns)}]（行末空格可省略）", row=name,
                **builder.where(*path, key, j),
            )  # fmt: skip
            continue
        rows.append(kind(*cells, line=builder.doc.line(*path, key, j)))
    return rows


def _indicators(builder: ReportBuilder, raw: dict, path: tuple, name: str) -> list[Indicator]:
    indicators = []
    for j, item in enumerate(_listed(builder, raw, path, "指标")):
        cells = _cells(item, len(DEVIATION_COLUMNS))
        if cells is None or len(item) < 7:
            builder.problems.error(
                f"指标应写成 [{', '.join(INDICATOR_COLUMNS)}]，有偏差度时写在得分之后", row=name,
                **builder.where(*path, "指标", j),
            )  # fmt: skip
            continue
        line = builder.doc.line(*path, "指标", j)
        first, second, third, target, actual, weight, score = cells[:7]
        if len(item) == len(DEVIATION_COLUMNS):
            deviation: str | None = cells[7]
            reason = cells[8]
        else:
            deviation, reason = None, cells[7]
        indicators.append(
            Indicator(first, second, third, target, actual, weight, score, reason, deviation, line)
        )  # fmt: skip
    return indicators


REVIEWS_MARK = "{自评综述}"


def review_paragraphs(report: Report) -> str:
    """Write the notes' 项目绩效自评综述 from the summary: score, budget, execution and rate.

    The figures are printed as typed in the summary (26, 106.72); what the unit found and will do
    is authored per project in the section `## 预算绩效/项目名称` and follows the figures.
    """
    paragraphs = []
    for i, project in enumerate(report.projects, 1):
        text = (
            f"{i}、{project.name}项目绩效自评综述：根据年初设定的绩效目标，项目自评得分为{project.score}分。"
        )
        if project.budget is not None and project.spent is not None:
            text += f"全年预算数为{project.budget}万元，执行数为{project.spent}万元"
            rate = percent(project.spent, project.budget)
            text += f"，完成预算的{format_percent(rate)}。" if rate is not None else "。"
        section = report.section(f"预算绩效/{project.name}")
        paragraphs.append(text + (section.text.strip() if section else ""))
    return "\n\n".join(paragraphs)


def expand_reviews(text: str, report: Report) -> str:
    """Replace the line `{自评综述}` of the authored 预算绩效 section with the generated paragraphs."""
    if REVIEWS_MARK not in text:
        return text
    return "\n".join(
        review_paragraphs(report) if line.strip() == REVIEWS_MARK else line for line in text.splitlines()
    )


def indicator_spans(indicators: list[Indicator]) -> list[tuple[Indicator, int, int]]:
    """Return each indicator with the rowspans of its 一级 and 二级 cells (0 where the cell above spans it)."""
    rows: list[tuple[Indicator, int, int]] = []
    count = len(indicators)
    for i, item in enumerate(indicators):
        span1 = span2 = 0
        if i == 0 or indicators[i - 1].first != item.first:
            span1 = next((j for j in range(i, count) if indicators[j].first != item.first), count) - i
        if span1 or indicators[i - 1].second != item.second:
            group = (item.first, item.second)
            span2 = (
                next(
                    (j for j in range(i, count) if (indicators[j].first, indicators[j].second) != group),
                    count,
                )
                - i
            )
        rows.append((item, span1, span2))
    return rows


def self_evaluation_json(table: SelfEvaluation) -> dict[str, Any]:
    """Return a table in the shape it is written in (`预算绩效.自评表`), for the report's JSON download."""

    def rows(items: list[Any], attributes: tuple[str, ...]) -> list[list[str | None]]:
        return [[getattr(item, a) for a in attributes] for item in items]

    indicator = ("first", "second", "third", "target", "actual", "weight", "score")
    return {
        "项目名称": table.name, "汇总表名称": table.summary_name or None, "主管部门": table.department,
        "实施单位": table.unit, "填报日期": table.date or None,
        "资金": rows(table.funds, ("name", "initial", "budget", "spent", "weight", "rate", "score")),
        "资金管理": rows(table.management, ("name", "note", "weight", "score", "reason")),
        "年度总体目标": {"预期": table.goal_expected, "实际": table.goal_actual},
        "指标": rows(table.indicators, (*indicator, "deviation", "reason") if table.has_deviation else (*indicator, "reason")),
        "总分值": table.total_weight or None, "总分": table.total, "等级": table.grade or None,
    }  # fmt: skip
