"""Recompute what a 项目支出绩效自评表 computes and flag the slips (checks of `预算绩效`).

The rules are those printed under the documents' tables: 执行率 = B/A; the 预算执行 score is
分值 × 执行率, at most 分值; a quantitative indicator scores B/A × 分值 when its 指标值 is "≥"
(正向) and A/B × 分值 when it is "≤" (反向), at most 分值; 总分 is the sum; 优 ≥ 90, 良 ≥ 80, 中 ≥ 60.
A slip in a real document's own arithmetic is a warning (the portal still builds, as published);
a qualitative score is judged by people, so a doubt about it is a note; the summary (自评项目)
disagreeing with its table is an error, since both are typed from the same project here.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from .grades import grade_of
from .model import Project, Report
from .money import tolerance
from .performance import REVIEWS_MARK, Indicator, SelfEvaluation, decimals, measure, number
from .problems import Problems

ONE = Decimal(1)
HUNDRED = Decimal(100)
POSITIVE = ("≥", ">")
NEGATIVE = ("≤", "<")


def _step(places: int) -> Decimal:
    """Return 10 ** -places (1, 0.1, 0.01 …), the unit of a number printed with that many decimals."""
    step = _STEPS.get(places)
    if step is None:
        step = _STEPS[places] = Decimal(1).scaleb(-places)
    return step


_STEPS: dict[int, Decimal] = {}


def at_printed(value: Decimal, printed: str) -> Decimal:
    """Round a computed value to the decimals the document printed beside it."""
    return value.quantize(_step(decimals(printed)), rounding=ROUND_HALF_UP)


def at_score(value: Decimal, printed: str) -> Decimal:
    """Round a computed score to the printed decimals, at least two: "11" is read as 11.00, so a
    shortfall cannot hide behind a whole-number score."""
    return value.quantize(_step(max(decimals(printed), 2)), rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """Format a computed number without trailing zeros (7.41, 12)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class TableChecker:
    """Check one self-evaluation table, reporting each problem with file, line, table and row."""

    def __init__(self, report: Report, table: SelfEvaluation, problems: Problems):
        self.report = report
        self.table = table
        self.problems = problems
        self.label = f"绩效自评表（{table.name}）"

    def where(self, line: int | None, row: str, column: str = "") -> dict[str, object]:
        """Return the location keywords of a cell."""
        return {"file": self.report.file, "line": line or self.table.line, "table": self.label,
                "row": row, "column": column}  # fmt: skip

    def value(self, text: str, line: int | None, row: str, column: str) -> Decimal | None:
        """Return a cell's number; a cell that should be a number but is text is an error."""
        found = number(text)
        if found is None and text.strip() not in ("", "-", "—", "/"):
            self.problems.error(f"应为数字，实际写的是“{text}”", **self.where(line, row, column))
        return found

    def run(self) -> None:
        """Run every rule on the table."""
        self.check_funds()
        for row in self.table.management:
            weight = self.value(row.weight, row.line, row.name, "分值")
            score = self.value(row.score, row.line, row.name, "得分")
            if weight is not None and score is not None and score > weight:
                self.problems.warning(
                    f"得分 {row.score} 超过分值 {row.weight}", **self.where(row.line, row.name, "得分")
                )
        for indicator in self.table.indicators:
            self.check_indicator(indicator)
        self.check_total()

    def check_funds(self) -> None:
        """执行率 = B/A for every row; 预算执行得分 = 分值 × 执行率 (capped); 总额 = the parts."""
        for row in self.table.funds:
            budget = self.value(row.budget, row.line, row.name, "全年预算数（A）")
            spent = self.value(row.spent, row.line, row.name, "全年执行数（B）")
            rate = self.value(row.rate, row.line, row.name, "执行率")
            self.value(row.initial, row.line, row.name, "年初预算数")
            if budget is None or spent is None or not budget or rate is None:
                continue
            expected = at_printed(spent / budget * HUNDRED, row.rate)
            if expected != rate:
                self.problems.warning(
                    f"执行率应为 全年执行数/全年预算数 = {row.spent}/{row.budget} = {plain(expected)}%，表中为 {row.rate}",
                    **self.where(row.line, row.name, "执行率"),
                )  # fmt: skip
        self.check_budget_score()
        self.check_fund_parts()

    def check_budget_score(self) -> None:
        """The 预算执行 score is 分值 × 执行率, at most 分值 (by the exact or the printed rate)."""
        row = self.table.budget_row
        if row is None:
            return
        weight, score = number(row.weight), self.value(row.score, row.line, row.name, "得分")
        budget, spent, rate = number(row.budget), number(row.spent), number(row.rate)
        if weight is None or score is None or not budget or spent is None:
            return
        exact = weight * min(spent / budget, ONE)
        candidates = {at_score(exact, row.score)}
        if rate is not None:
            candidates.add(at_score(weight * min(rate / HUNDRED, ONE), row.score))
        if score not in candidates:
            self.problems.warning(
                f"分值计算错误：预算执行得分应为 分值 × 执行率 = {row.weight} × {plain(min(spent / budget, ONE) * HUNDRED)[:8]}%"
                f" = {plain(at_score(exact, row.score))}，表中为 {row.score}",
                **self.where(row.line, row.name, "得分"),
            )  # fmt: skip

    def check_fund_parts(self) -> None:
        """年度资金总额 = 其中各项 (当年财政拨款 + 上年结转 + 其他资金) in each amount column."""
        if len(self.table.funds) < 2:
            return
        total, parts = self.table.funds[0], self.table.funds[1:]
        for attr, column in (
            ("initial", "年初预算数"),
            ("budget", "全年预算数（A）"),
            ("spent", "全年执行数（B）"),
        ):
            printed = number(getattr(total, attr))
            if printed is None:
                continue
            values = [number(getattr(p, attr)) or Decimal(0) for p in parts]
            if abs(sum(values, Decimal(0)) - printed) > tolerance(len(values)):
                self.problems.warning(
                    f"年度资金总额 {getattr(total, attr)} 不等于其下各项之和 {plain(sum(values, Decimal(0)))}",
                    **self.where(total.line, total.name, column),
                )  # fmt: skip

    def check_indicator(self, item: Indicator) -> None:
        """得分 ≤ 分值; a quantitative indicator's score follows the printed formula."""
        weight = self.value(item.weight, item.line, item.third, "分值")
        score = self.value(item.score, item.line, item.third, "得分")
        if weight is None or score is None:
            return
        if score > weight:
            self.problems.warning(
                f"得分 {item.score} 超过分值 {item.weight}", **self.where(item.line, item.third or item.second, "得分")
            )  # fmt: skip
            return
        target, actual = measure(item.target), measure(item.actual)
        if target is None or actual is None:
            if item.target.strip() and item.target.strip() == item.actual.strip() and score < weight:
                self.problems.note(
                    f"定性指标实际完成值与指标值相同（{item.actual}），得分 {item.score} 低于分值 {item.weight}，"
                    "请核对（定性指标由人工评定）",
                    **self.where(item.line, item.third or item.second, "得分"),
                )  # fmt: skip
            return
        if bool(target.unit) != bool(actual.unit):
            missing = "实际完成值" if target.unit else "年度指标值"
            self.problems.warning(
                f"{missing}缺少计量单位（年度指标值“{item.target}”，实际完成值“{item.actual}”）",
                **self.where(item.line, item.third, missing),
            )  # fmt: skip
        elif target.unit != actual.unit:
            return  # e.g. 12月底 against 100%: not the same measure, judged by people
        self.check_formula(item, weight, score, target.op, target.value, actual.value)

    def check_formula(
        self, item: Indicator, weight: Decimal, score: Decimal, op: str, a: Decimal, b: Decimal
    ) -> None:
        """Score a quantitative indicator: 正向 B/A × 分值, 反向 A/B × 分值, capped at 分值."""
        # The rule's description is filled in only on a slip (the usual indicator scores as printed).
        if op in POSITIVE:
            ratio = ONE if a == 0 else min(b / a, ONE)
            formula = "正向指标 实际完成值/指标值 × 分值 = {b}/{a} × {weight}"
        elif op in NEGATIVE:
            ratio = ONE if b == 0 else min(a / b, ONE)
            formula = "反向指标 指标值/实际完成值 × 分值 = {a}/{b} × {weight}"
        elif b <= a:  # "=" or no comparison: a shortfall scores as a 正向 indicator
            ratio = ONE if a == 0 else b / a
            formula = "未达到指标值，按正向指标 实际完成值/指标值 × 分值 = {b}/{a} × {weight}"
        else:
            self.problems.note(
                f"实际完成值“{item.actual}”超过指标值“{item.target}”，原表注未规定这种情况的计分方法，请核对",
                **self.where(item.line, item.third, "得分"),
            )  # fmt: skip
            return
        expected = at_score(weight * ratio, item.score)
        if expected == score:
            return
        where = self.where(item.line, item.third, "得分")
        formula = formula.format(a=plain(a), b=plain(b), weight=item.weight)
        if score == weight and ratio < ONE:
            self.problems.warning(
                f"未达到指标值却未扣分：{formula}，应得 {plain(expected)} 分，表中为满分 {item.score}",
                **where,
            )
        else:
            self.problems.warning(
                f"分值计算错误：{formula}，应得 {plain(expected)} 分，表中为 {item.score}", **where
            )

    def check_total(self) -> None:
        """总分 = the sum of the scores; the weights add up to 100 (or the printed 总分值); the grade."""
        table = self.table
        line = table.total_line
        scores = [table.budget_row.score if table.budget_row else ""]
        scores += [m.score for m in table.management] + [i.score for i in table.indicators]
        weights = (
            [table.budget_weight]
            + [m.weight for m in table.management]
            + [i.weight for i in table.indicators]
        )
        score_sum = sum((number(s) or Decimal(0) for s in scores), Decimal(0))
        weight_sum = sum((number(w) or Decimal(0) for w in weights), Decimal(0))
        total = self.value(table.total, line, "总分", "得分")
        if total is not None and abs(score_sum - total) > tolerance(len(scores)):
            self.problems.warning(
                f"总分 {table.total} 不等于各项得分之和 {plain(score_sum)}",
                **self.where(line, "总分", "得分"),
            )
        full = number(table.total_weight) if table.total_weight else HUNDRED
        if full is not None and weight_sum != full:
            self.problems.warning(
                f"各项分值之和为 {plain(weight_sum)}，应为 {plain(full)}", **self.where(line, "总分", "分值")
            )
        if total is not None and table.grade and table.grade != grade_of(total):
            self.problems.warning(
                f"等级“{table.grade}”与总分 {table.total} 不符（应为“{grade_of(total)}”）", **self.where(line, "总分", "等级")
            )  # fmt: skip


def summary_of(report: Report, table: SelfEvaluation) -> Project | None:
    """Return the 自评项目 (summary row) of a table, matched by its 汇总表名称 or 项目名称."""
    return next((p for p in report.projects if p.name == table.key), None)


def check_summary(report: Report, table: SelfEvaluation, problems: Problems) -> None:
    """The summary's 得分, 全年预算数 and 全年执行数 equal the table's."""
    label = f"绩效自评表（{table.name}）"
    project = summary_of(report, table)
    if project is None:
        if table.summary_name:
            problems.warning(
                f"汇总表（预算绩效.自评项目）中没有“{table.summary_name}”",
                file=report.file, line=table.line, table=label, row="汇总表名称",
            )  # fmt: skip
        return
    if table.summary_name and table.summary_name != table.name:
        problems.note(
            f"自评表的项目名称与汇总表中的“{table.summary_name}”不同（原文如此）",
            file=report.file, line=table.line, table=label, row="项目名称",
        )  # fmt: skip
    row = table.budget_row
    pairs = [("得分", project.score, number(table.total), table.total)]
    if row is not None:
        pairs += [("全年预算数", project.budget, number(row.budget), row.budget)]
        pairs += [("全年执行数", project.spent, number(row.spent), row.spent)]
    for column, summary, own, printed in pairs:
        if summary is not None and own is not None and summary != own:
            problems.error(
                f"汇总表写 {plain(summary)}，自评表（{table.name}）为 {printed}",
                file=report.file, line=project.line, table="预算绩效.自评项目", row=project.name, column=column,
            )  # fmt: skip


def check_performance(report: Report, problems: Problems) -> None:
    """Check every self-evaluation table of a report and the summary against them."""
    for table in report.self_evaluations:
        TableChecker(report, table, problems).run()
        check_summary(report, table, problems)
    names = [t.name for t in report.self_evaluations]
    for name in {n for n in names if names.count(n) > 1}:
        problems.error("自评表中项目名称重复", file=report.file, table="预算绩效.自评表", row=name)
    check_review_sections(report, problems)
    check_typed_reviews(report, problems)


def check_review_sections(report: Report, problems: Problems) -> None:
    """A `## 预算绩效/项目` section must name a summary project, and the 预算绩效 section must place them."""
    names = {p.name for p in report.projects}
    main = report.section("预算绩效")
    placed = main is not None and REVIEWS_MARK in main.text
    for section in report.sections.values():
        if not section.key.startswith("预算绩效/"):
            continue
        where = {"file": section.file, "line": section.line, "table": "情况说明", "row": section.key}
        if section.key.split("/", 1)[1] not in names:
            problems.warning("预算绩效.自评项目中没有这个项目，这段自评综述不会显示", **where)
        elif not placed:
            problems.warning(f"“## 预算绩效”一段中没有 {REVIEWS_MARK} 这一行，这段自评综述不会显示", **where)


_TYPED_REVIEW = re.compile(
    r"(?:^|\d、)([^、：\n]+?)项目绩效自评综述：[^。\n]*?全年预算数为([\d.,]+)万元，执行数为([\d.,]+)万元"
)


def check_typed_reviews(report: Report, problems: Problems) -> None:
    """A 自评综述 typed by hand (e.g. a 中央转移支付 project's) must state its table's 全年预算数 and 执行数."""
    section = report.section("预算绩效")
    if section is None:
        return
    tables = {t.name: t for t in report.self_evaluations} | {t.key: t for t in report.self_evaluations}
    for number_, line in enumerate(section.text.splitlines(), section.text_line):
        for match in _TYPED_REVIEW.finditer(line):
            table = tables.get(match[1].strip())
            row = table.budget_row if table else None
            if table is None or row is None:
                continue
            for column, typed, printed in (
                ("全年预算数", match[2], row.budget),
                ("全年执行数", match[3], row.spent),
            ):
                if number(typed.replace(",", "")) != number(printed):
                    problems.error(
                        f"说明文字写“{column[2:] if column == '全年执行数' else column}为{typed}万元”，"
                        f"自评表（{table.name}）为 {printed}",
                        file=section.file, line=number_, table="情况说明", row=f"预算绩效/{match[1].strip()}",
                        column=column,
                    )  # fmt: skip
