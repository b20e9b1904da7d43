"""The report workbook's performance sheets: each 绩效自评表 and 绩效目标表 laid out as printed.

One sheet per project (绩效自评表1 …, 绩效目标表1 …): the title, then each block under its label
(项目名称, 主管部门/实施单位, the 资金 rows under 年初预算数 …, 资金管理情况, 年度总体目标, 一级指标 …, 总分),
every cell the printed text, so that importing the workbook gives the same tables back
(importing/selfeval.py and importing/targets.py read these labels).
"""

from __future__ import annotations

from decimal import Decimal
from itertools import groupby

from ..model import Report, Target
from ..performance import SelfEvaluation
from .rows import AMOUNT, TEXT, Value, amount_text
from .xlsx import Workbook

Rows = list[list[Value]]
WIDTH = 9  # the widest block: 一级指标 … 偏差原因 (with 偏差度)
TEXTS = [TEXT] * WIDTH
WIDTHS = [16.0, 16.0, 24.0, 16.0, 16.0, 10.0, 10.0, 10.0, 36.0]
FUND_HEADING = [
    "项目资金（万元）",
    "年初预算数",
    "全年预算数（A）",
    "全年执行数（B）",
    "分值",
    "执行率（B/A）",
    "得分",
]
MANAGEMENT_HEADING = ["资金管理情况", "情况说明", "分值", "得分", "存在问题和改进措施"]
GOAL_HEADING = ["年度总体目标", "年初预期目标", "目标实际完成情况"]
INDICATOR_HEADING = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
REASON = "偏差原因分析及改进措施"
EXPLANATION = "总分在80分以下的项目未实现绩效目标的原因分析及拟采取的措施说明"


def add_performance_sheets(book: Workbook, report: Report) -> None:
    """Add a sheet for each of the report's 绩效自评表 and 绩效目标表."""
    note = _note_lines(report.self_evaluation_note)
    for n, table in enumerate(report.self_evaluations, 1):
        rows = self_evaluation_rows(table) + (note if n == 1 else [])
        _write(book, f"绩效自评表{n}", "项目支出绩效自评表", rows)
    for n, target in enumerate(report.targets, 1):
        _write(book, f"绩效目标表{n}", "项目支出绩效目标表", target_rows(target))


def _write(book: Workbook, name: str, title: str, rows: Rows) -> None:
    """Write one table's sheet: its title as the header row, then its rows."""
    sheet = book.sheet(name, WIDTHS)
    sheet.header([title])
    rows = [row[:WIDTH] for row in rows]
    if all(v is None or isinstance(v, str) for row in rows for v in row):  # text only, as 自评表 are
        sheet.text_rows(rows, TEXTS)  # type: ignore[arg-type]
        return
    # An amount cell (a Decimal in a 目标表) changes the types: rows of the same types go together.
    for types, group in groupby(rows, key=_types):
        sheet.text_rows([[_text(v) for v in row] for row in group], types)


def _types(row: list[Value]) -> list[str]:
    return [TEXT if v is None or isinstance(v, str) else AMOUNT for v in row] + [TEXT] * (WIDTH - len(row))


def _text(value: Value) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return amount_text(value if isinstance(value, Decimal) else Decimal(str(value)))


def self_evaluation_rows(table: SelfEvaluation) -> Rows:
    """Return a 项目支出绩效自评表's rows as printed, each cell its text."""
    rows: Rows = [[table.date]] if table.date else []
    rows.append(["项目名称", table.name])
    if table.summary_name:
        rows.append(["汇总表名称", table.summary_name])
    rows.append(["主管部门", table.department, "实施单位", table.unit])
    if table.funds:
        rows.append(list(FUND_HEADING))
        rows += [[f.name, f.initial, f.budget, f.spent, f.weight, f.rate, f.score] for f in table.funds]
    if table.management:
        rows.append(list(MANAGEMENT_HEADING))
        rows += [[m.name, m.note, m.weight, m.score, m.reason] for m in table.management]
    rows += [list(GOAL_HEADING), [table.goal_expected, table.goal_actual]]
    deviation = table.has_deviation
    rows.append([*INDICATOR_HEADING, *(["偏差度"] if deviation else []), REASON])
    for i in table.indicators:
        middle: list[Value] = [i.deviation or ""] if deviation else []
        rows.append([i.first, i.second, i.third, i.target, i.actual, i.weight, i.score, *middle, i.reason])
    rows.append(["总分", table.total_weight, table.total] if table.total_weight else ["总分", table.total])
    if table.explanation is not None:  # "" when the table prints the line with nothing after it
        rows.append([EXPLANATION, table.explanation])
    return rows


def _note_lines(note: str) -> Rows:
    """Return the note under the self-evaluation tables, a row per paragraph (注：…, 1. …)."""
    return [[part.replace("\\*", "*")] for part in note.split("\n\n") if part.strip()]


def target_rows(target: Target) -> Rows:
    """Return a 项目支出绩效目标表's rows as printed (amounts as numbers)."""
    rows: Rows = [
        ["项目名称", target.name],
        ["主管部门", target.department, "实施单位", target.unit],
    ]
    for label, cell in (
        ("年度预算资金总额", target.total),
        ("财政拨款", target.fiscal),
        ("其他资金", target.other),
    ):
        if cell is not None:
            rows.append([label, cell.value])
    rows.append(["年度总体绩效目标", target.goal])
    rows.append(["一级指标", "二级指标", "三级指标", "指标值"])
    rows += [list(indicator) for indicator in target.indicators]
    return rows
