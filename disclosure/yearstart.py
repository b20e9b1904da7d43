"""A 决算's year-start budget (年初预算数): from the same year's 预算 when the portal holds it, else typed.

年初预算数 in the 决算 notes is the budget approved at the start of the year, 财政拨款 only: the 预算's
一般公共预算支出情况表 by 科目 (each 项's 合计) and its total, its 政府性基金 and 国有资本经营 totals, and its
机关运行经费 预算数. The 公开09表 “三公” 预算数 is not among them: it is the budget as adjusted during the
year (the table's own note says so), so the notes keep printing the table's figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .model import Report, resolve

# The 决算 figure of a year-start total → the 预算 figure of the same money (profile figure names).
TOTALS = {
    "一般公共预算财政拨款支出": "一般公共预算支出",
    "政府性基金预算财政拨款支出": "政府性基金预算支出",
    "国有资本经营预算财政拨款支出": "国有资本经营预算支出",
}
# The 预算 table whose 项 rows give each 科目's year-start budget: the table of this figure, its column.
ITEMS_FIGURE = "一般公共预算支出"
ITEM_CODE_LENGTH = 7


@dataclass(frozen=True)
class Amount:
    """One year-start figure and where it was read (file and line)."""

    value: Decimal
    file: str
    line: int | None = None


@dataclass
class YearStart:
    """A 决算's year-start budget figures and the file they come from."""

    file: str
    from_budget: bool
    totals: dict[str, Amount] = field(default_factory=dict)
    items: dict[str, Amount] = field(default_factory=dict)
    operating: Amount | None = None
    table: str = ""
    names: dict[str, str] = field(default_factory=dict)


def year_start(report: Report) -> YearStart:
    """Return a 决算's year-start budget: the paired 预算's figures, else the typed 年初预算."""
    budget = report.paired if report.kind == "final" else None
    return budget_figures(budget) if budget is not None else typed_figures(report)


def typed_figures(report: Report) -> YearStart:
    """Return the year-start figures typed under 年初预算 and 机关运行经费 in the 决算 itself."""
    file = report.file
    operating = report.operating.get("年初预算数")
    return YearStart(
        file,
        False,
        {k: Amount(c.value, file, c.line) for k, c in report.budget_total.items()},
        {k: Amount(c.value, file, c.line) for k, c in report.budget_items.items()},
        Amount(operating.value, file, operating.line) if operating else None,
        "年初预算",
    )


def budget_figures(budget: Report) -> YearStart:
    """Return the year-start figures of a 预算 report, in the 决算's figure names."""
    file = budget.file
    figures = budget.profile.figures
    totals: dict[str, Amount] = {}
    for final_name, budget_name in TOTALS.items():
        ref = figures.get(budget_name)
        cell = resolve(budget, ref) if ref else None
        if ref is not None:
            totals[final_name] = Amount(
                budget.figures.get(budget_name, Decimal(0)), file, cell.line if cell else None
            )
    items: dict[str, Amount] = {}
    names: dict[str, str] = {}
    ref = figures.get(ITEMS_FIGURE)
    table = budget.tables.get(ref.table) if ref else None
    if ref is not None and table is not None:
        column = ref.column or table.definition.columns[0].key
        for row in table.rows:
            if len(row.code) == ITEM_CODE_LENGTH:
                items[row.code] = Amount(row.value(column), file, row.line)
                names[row.code] = row.name
    operating = budget.operating.get("预算数")
    return YearStart(
        file,
        True,
        totals,
        items,
        Amount(operating.value, file, operating.line) if operating else None,
        f"{ref.table} {table.definition.title}" if ref is not None and table is not None else "",
        names,
    )
