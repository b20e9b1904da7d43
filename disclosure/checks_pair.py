"""Checks across a unit-year's 预算 and 决算: typed 年初预算 against the 预算, and the “三公” 预算数."""

from __future__ import annotations

from decimal import Decimal

from .model import Report, Unit, resolve
from .money import format_money
from .problems import Problems
from .yearstart import TOTALS, Amount, budget_figures

# The “三公” 预算数 both profiles name alike: 公开09表 预算数 (决算) and the 预算's 本年预算数.
THREE_PUBLIC = (
    "三公经费预算数", "因公出国（境）费预算数", "公务用车购置及运行维护费预算数",
    "公务用车购置费预算数", "公务用车运行维护费预算数", "公务接待费预算数",
)  # fmt: skip


def check_budget_and_final(unit: Unit, problems: Problems) -> None:
    """Compare each 决算 with the same year's 预算, when the unit has both."""
    for report in unit.reports:
        if report.kind == "final" and report.paired is not None:
            check_typed_year_start(report, report.paired, problems)
            check_three_public_budget(report, report.paired, problems)


def where_in(amount: Amount, what: str) -> str:
    """Name a figure of the 预算 with its file and line."""
    return f"{amount.file}" + (f":{amount.line}" if amount.line else "") + f" {what}"


def describe(budget: Report, name: str) -> str:
    """Name a 预算 figure by its table, row and column: 表五 一般公共预算支出情况表 合计「合计」."""
    ref = budget.profile.figures.get(name)
    if ref is None:
        return name
    definition = budget.profile.table(ref.table)
    title = f"{ref.table} {definition.title}" if definition else ref.table
    return f"{title} {ref.row}" + (f"「{ref.column}」" if ref.column else "")


def check_typed_year_start(final: Report, budget: Report, problems: Problems) -> None:
    """Warn where a typed 年初预算 differs from the 预算's figure (the notes print the 预算's)."""
    given = budget_figures(budget)
    winner = f"（情况说明和图表以预算报告 {budget.file} 为准，此处可不填写）"

    def differ(typed: Decimal, found: Amount | None, what: str, **where: object) -> None:
        value = found.value if found else Decimal(0)
        if typed == value:
            return
        if found is None:
            text = f"年初预算数 {format_money(typed)}，但 {budget.file} {what}中没有这个项（即预算为 0.00）"
        else:
            text = f"年初预算数 {format_money(typed)} 与 {where_in(found, what)} {format_money(value)} 不一致"
        problems.warning(text + winner, file=final.file, **where)

    for name, cell in final.budget_total.items():
        if name in given.totals:
            differ(cell.value, given.totals[name], describe(budget, TOTALS[name]), line=cell.line,
                   table="年初预算", row=name)  # fmt: skip
    for code, cell in final.budget_items.items():
        differ(cell.value, given.items.get(code), f"{given.table} {code}「合计」" if code in given.items
               else given.table, line=cell.line, table="年初预算", row=code)  # fmt: skip
    typed = final.operating.get("年初预算数")
    if typed is not None and given.operating is not None:
        differ(typed.value, given.operating, "机关运行经费「预算数」", line=typed.line, table="机关运行经费",
               row="年初预算数")  # fmt: skip


def check_three_public_budget(final: Report, budget: Report, problems: Problems) -> None:
    """Note where 公开09表's “三公” 预算数 differs from the 预算's “三公” table (adjusted in-year)."""
    for name in THREE_PUBLIC:
        final_ref, budget_ref = final.profile.figures.get(name), budget.profile.figures.get(name)
        if final_ref is None or budget_ref is None:
            continue
        ours, theirs = final.figures[name], budget.figures[name]
        if ours == theirs:
            continue
        cell, other = resolve(final, final_ref), resolve(budget, budget_ref)
        at = budget.file + (f":{other.line}" if other and other.line else "")
        problems.note(
            f"{format_money(ours)} ≠ {at} {budget_ref.table} {budget_ref.row}「{budget_ref.column}」 "
            f"{format_money(theirs)}（差 {format_money(abs(ours - theirs))}；预算可在年度中按规定调整，"
            "公开09表的预算数为调整后的全年预算数，请核实）",
            file=final.file, line=cell.line if cell else None, table=final_ref.table,
            row=final_ref.row, column=final_ref.column or "",
        )  # fmt: skip
