"""Numbers of the 情况说明: changes against last year, shares, budget completion, lists."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from .grades import grade_of
from .model import Report
from .money import CENT, ZERO, percent
from .tables import SubjectRow
from .yearstart import YearStart, year_start

INCOME_SOURCES = ("财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入")
SECTION_KEYS = (
    "收支总计", "收入", "支出", "财政拨款收支总计", "一般公共预算财政拨款支出", "年初预算", "基本支出",
    "政府性基金", "国有资本经营", "三公经费", "机关运行经费", "政府采购", "国有资产", "预算绩效",
)  # fmt: skip
EXPENDITURE_KINDS = ("基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")
# 预算说明（notes/budget.html）的段落键、收入来源和“三公”经费各项。
BUDGET_SECTION_KEYS = ("预算收支", "绩效目标")
BUDGET_INCOME_SOURCES = (
    "一般公共预算收入", "政府性基金预算收入", "国有资本经营预算收入", "财政专户管理资金收入", "事业收入",
    "事业单位经营收入", "其他收入", "上级补助收入", "附属单位上缴收入", "使用非财政拨款结余", "上年结转",
)  # fmt: skip
BUDGET_EXPENDITURE_KINDS = ("基本支出", "项目支出")
THREE_PUBLIC_ITEMS = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")


def section_key_problem(key: str) -> str | None:
    """Return why an authored section key is not one the notes use, or None when it is."""
    if key in SECTION_KEYS or key in BUDGET_SECTION_KEYS:
        return None
    kind, _, name = key.partition("/")
    if kind == "收入" and name in INCOME_SOURCES:
        return None
    if kind == "支出" and name in EXPENDITURE_KINDS:
        return None
    if kind == "项" and name.isdigit() and len(name) == 7:
        return None
    if kind == "三公经费" and name in THREE_PUBLIC_ITEMS:
        return None
    if kind == "预算绩效" and name:
        return None  # a project's 自评综述 (checks_performance checks the name)
    if kind == "项":
        return f"“{key}”：项的代码应为 7 位数字，例如“项/2080505”"
    return f"情况说明中没有“{key}”这一段，这段文字不会显示（可用的键见 data/README.md 第三节）"


@dataclass(frozen=True)
class Change:
    """A figure against last year's: amount, direction words and rate."""

    current: Decimal
    previous: Decimal | None

    @property
    def known(self) -> bool:
        """Tell whether last year's figure is known."""
        return self.previous is not None

    @property
    def delta(self) -> Decimal:
        """Return the absolute change."""
        return abs(self.current - (self.previous or ZERO))

    @property
    def up(self) -> bool:
        """Tell whether the figure grew (no change counts as growth, as the documents print)."""
        return self.current >= (self.previous or ZERO)

    @property
    def word(self) -> str:
        """Return 增加 or 减少."""
        return "增加" if self.up else "减少"

    @property
    def rate_word(self) -> str:
        """Return 增长 or 下降."""
        return "增长" if self.up else "下降"

    @property
    def rate(self) -> Decimal | None:
        """Return the change rate in percent (None when last year was zero)."""
        return percent(self.delta, self.previous or ZERO)


@dataclass(frozen=True)
class Completion:
    """An actual figure against its year-start budget."""

    budget: Decimal
    actual: Decimal

    @property
    def rate(self) -> Decimal | None:
        """Return actual / budget in percent (None without a budget)."""
        return percent(self.actual, self.budget)

    @property
    def comparison(self) -> str:
        """Return the documents' comparison clause."""
        if self.actual > self.budget:
            return "决算数大于年初预算数"
        if self.actual < self.budget:
            return "决算数小于年初预算数"
        return "决算数与年初预算数持平"


@dataclass(frozen=True)
class BudgetItem:
    """One 项 of 一般公共预算财政拨款支出 with its 类 and 款 names and year-start budget."""

    code: str
    class_name: str
    section_name: str
    name: str
    completion: Completion
    typed_budget: bool


class NotesData:
    """The computed values that the notes' fixed sentences print, for one report."""

    def __init__(self, report: Report):
        self.report = report
        self.figures = report.figures

    # The tables behind the notes are found through the figures they feed, whatever the profile's 表号.
    @property
    def general_number(self) -> str:
        """Return the 表号 of the 一般公共预算财政拨款支出 table."""
        return self.report.profile.table_of("一般公共预算财政拨款支出")

    @property
    def general_key(self) -> str:
        """Return the column key of 一般公共预算财政拨款支出 in that table (小计 or 合计)."""
        return self.report.profile.column_of("一般公共预算财政拨款支出", "小计")

    @property
    def economic_number(self) -> str:
        """Return the 表号 of the 基本支出 经济分类 table."""
        return self.report.profile.table_of("人员经费")

    def general_value(self, row: SubjectRow) -> Decimal:
        """Return a row's 一般公共预算财政拨款支出 (the 小计 or 合计 column, as the profile names it)."""
        return row.value(self.general_key)

    @cached_property
    def year_start(self) -> YearStart:
        """Return the year-start budget: from the same year's 预算 when the portal holds it, else typed."""
        return year_start(self.report)

    def change(self, name: str) -> Change:
        """Return a named figure against last year's."""
        return Change(self.figures.get(name, ZERO), self.report.previous.get(name))

    def has_previous(self, items: list[tuple[str, Decimal]]) -> bool:
        """Tell whether last year's figure is known for any of the items."""
        return any(name in self.report.previous for name, _ in items)

    def share(self, part: Decimal, whole: Decimal) -> Decimal | None:
        """Return part's share of whole in percent."""
        return percent(part, whole)

    def income_sources(self) -> list[tuple[str, Decimal]]:
        """Return the income sources with their amounts, in the documents' order."""
        return [(name, self.figures.get(name, ZERO)) for name in INCOME_SOURCES]

    def expenditure_kinds(self) -> list[tuple[str, Decimal]]:
        """Return the expenditure kinds with their amounts."""
        return [(name, self.figures.get(name, ZERO)) for name in EXPENDITURE_KINDS]

    def general_classes(self) -> list[SubjectRow]:
        """Return the 类 rows of the 一般公共预算 table."""
        table = self.report.tables.get(self.general_number)
        return [r for r in table.rows if len(r.code) == 3] if table else []

    def general_total_completion(self) -> Completion | None:
        """Return 一般公共预算财政拨款支出 against its year-start budget, when one is given."""
        given, items = self.year_start.totals.get("一般公共预算财政拨款支出"), self.year_start.items
        if given is None and not items:
            return None
        budget = given.value if given else sum((a.value for a in items.values()), ZERO)
        return Completion(budget, self.figures.get("一般公共预算财政拨款支出", ZERO))

    def fund_completion(self, name: str) -> Completion | None:
        """Return a fund's expenditure against its year-start budget, when one is given."""
        given = self.year_start.totals.get(name)
        actual = self.figures.get(name, ZERO)
        if given is None or (self.year_start.from_budget and given.value == 0 and actual == 0):
            return None  # neither planned nor spent: the notes say the unit has none
        return Completion(given.value, actual)

    def budget_items(self) -> list[BudgetItem]:
        """Return every 项 of the 一般公共预算 table with its year-start budget."""
        table = self.report.tables.get(self.general_number)
        if table is None:
            return []
        names = {r.code: r.name for r in table.rows}
        items: list[BudgetItem] = []
        for row in table.rows:
            if len(row.code) != 7:
                continue
            budget = self.year_start.items.get(row.code)
            items.append(
                BudgetItem(
                    row.code,
                    names.get(row.code[:3], ""),
                    names.get(row.code[:5], ""),
                    row.name,
                    Completion(budget.value if budget else ZERO, self.general_value(row)),
                    budget is not None,
                )
            )
        return items

    def economic_names(self, classes: tuple[str, ...]) -> list[str]:
        """Return the names of the non-zero 款 of the given 经济分类 classes (主要包括 …)."""
        table = self.report.tables.get(self.economic_number)
        if table is None:
            return []
        key = table.definition.columns[0].key
        return [
            r.name for r in table.rows if len(r.code) == 5 and r.code[:3] in classes and r.value(key) != 0
        ]

    def subtotal_classes(self, key: str) -> tuple[str, ...]:
        """Return the classes that make up a subtotal (人员经费合计 …)."""
        table = self.report.tables.get(self.economic_number)
        if table is None:
            return ()
        for subtotal in table.definition.subtotals:
            if subtotal.key == key:
                return subtotal.classes
        return ()

    def fund_items(self, figure: str) -> list[tuple[str, str, str, SubjectRow, Decimal]]:
        """Return the 项 of the table behind a figure: 类 name, 款 name, 项 name, row, its amount."""
        number = self.report.profile.table_of(figure)
        table = self.report.tables.get(number)
        if table is None:
            return []
        key = self.report.profile.column_of(figure, table.definition.columns[0].key)
        names = {r.code: r.name for r in table.rows}
        return [
            (names.get(r.code[:3], ""), names.get(r.code[:5], ""), r.name, r, r.value(key))
            for r in table.rows
            if len(r.code) == 7
        ]

    def self_evaluation(self) -> tuple[int, Decimal, Decimal | None]:
        """Return the self-evaluated projects: count, their 全年预算数 total, the average score."""
        projects = self.report.projects
        budget = sum((p.budget for p in projects if p.budget is not None), ZERO)
        scores = [p.score for p in projects if p.score is not None]
        average = (sum(scores, ZERO) / len(scores)).quantize(CENT, rounding=ROUND_HALF_UP) if scores else None
        return len(projects), budget, average

    def operating_vs_budget(self) -> Change | None:
        """Return 机关运行经费 against its year-start budget (Change with the budget as `previous`)."""
        actual, budget = self.report.operating.get("决算数"), self.year_start.operating
        return Change(actual.value, budget.value) if actual and budget else None

    def operating_vs_previous(self) -> Change | None:
        """Return 机关运行经费 against last year's."""
        actual = self.report.operating.get("决算数")
        previous = self.report.previous.get("机关运行经费")
        return Change(actual.value, previous) if actual and previous is not None else None

    def grade(self, score: Decimal | None) -> str:
        """Return the grade a score earns (empty without a score)."""
        return grade_of(score) if score is not None else ""

    def procurement_total(self) -> Decimal:
        """Return 政府采购支出总额 = 货物 + 工程 + 服务."""
        return sum((self.report.procurement[k].value for k in ("货物", "工程", "服务")), ZERO)

    def vehicles_total(self) -> int:
        """Return the number of vehicles of every kind."""
        return sum(self.report.vehicles.values())

    def grades(self) -> dict[str, int]:
        """Count projects per grade (优, 良, 中, 差)."""
        counts = {"优": 0, "良": 0, "中": 0, "差": 0}
        for project in self.report.projects:
            if project.score is not None:
                counts[grade_of(project.score)] += 1
        return counts

    def project_rate(self, budget: Decimal | None, spent: Decimal | None) -> Decimal | None:
        """Return a project's execution rate B/A."""
        if budget is None or spent is None:
            return None
        return percent(spent, budget)

    # ---------------------------------------------------------------- 预算说明 (notes/budget.html)

    def versus(self, current: str, previous: str) -> Change:
        """Return one named figure against another of the same report (本年预算数 vs 上年预算数)."""
        return Change(self.figures.get(current, ZERO), self.figures.get(previous))

    def budget_income_sources(self) -> list[tuple[str, Decimal]]:
        """Return the budget's income sources with their amounts, in the tables' order."""
        return [(name, self.figures.get(name, ZERO)) for name in BUDGET_INCOME_SOURCES]

    def budget_expenditure_kinds(self) -> list[tuple[str, Decimal]]:
        """Return 基本支出 and 项目支出 of the budget."""
        return [(name, self.figures.get(name, ZERO)) for name in BUDGET_EXPENDITURE_KINDS]

    def operating_budget(self) -> Change | None:
        """Return this year's 机关运行经费 budget against last year's (None without this year's)."""
        current = self.report.operating.get("预算数")
        previous = self.report.operating.get("上年预算数")
        if current is None:
            return None
        return Change(current.value, previous.value if previous else None)

    def items_count(self, number: str) -> int:
        """Return how many items (projects) a list table holds."""
        table = self.report.tables.get(number)
        return len(table.rows) if table else 0

    def indicator_rows(
        self, indicators: list[tuple[str, str, str, str]]
    ) -> list[tuple[str, int, str, int, str, str]]:
        """Return 绩效指标 rows with the rowspans of 一级 and 二级 (0 where the cell above spans it)."""
        rows: list[tuple[str, int, str, int, str, str]] = []
        for i, (first, second, third, value) in enumerate(indicators):
            span1 = span2 = 0
            if i == 0 or indicators[i - 1][0] != first:
                span1 = (
                    next((j for j in range(i, len(indicators)) if indicators[j][0] != first), len(indicators))
                    - i
                )
            if span1 or indicators[i - 1][1] != second:
                span2 = (
                    next(
                        (j for j in range(i, len(indicators)) if indicators[j][:2] != (first, second)),
                        len(indicators),
                    )
                    - i
                )
            rows.append((first, span1, second, span2, third, value))
        return rows
