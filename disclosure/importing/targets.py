"""Budget 项目支出绩效目标表: one mapping per project, as the budget files' `绩效目标` list holds them."""

from __future__ import annotations

from typing import Any

from .findings import Findings
from .grid import TABLE_NUMBER
from .headers import key, plain
from .numbers import NumberError, clean_text, parse_amount_text
from .source import Cell, SourceTable

TITLE = "项目支出绩效目标表"
LEVELS = ("一级指标", "二级指标", "三级指标", "指标值")


def is_target_table(table: SourceTable) -> bool:
    """Tell whether a source table is a project's 绩效目标表 (not the 专项资金 one), a 表号 before it or not."""
    title = key(table.title)
    number = TABLE_NUMBER.match(title)
    return title[number.end() if number else 0 :].startswith(TITLE)


def _after(row: list[Cell], label: str) -> str:
    """Return the first non-empty cell after the cell whose text contains label."""
    for j, cell in enumerate(row):
        if label in key(cell.text):
            # A merged label cell read from a PDF is repeated over the columns it covers: skip the repeats.
            return next(
                (plain(c.text) for c in row[j + 1 :] if clean_text(c.text) and c.text != cell.text), ""
            )
    return ""


def _amount(text: str) -> str | None:
    """Return an amount's text, or None when blank; raise NumberError when it is not an amount."""
    amount = parse_amount_text(text)
    return None if amount.blank else amount.text


_AMOUNTS = ("年度预算资金总额", "财政拨款", "其他资金")


def read_target(table: SourceTable, findings: Findings) -> tuple[dict[str, Any], str]:
    """Read one project's table; return its mapping (empty when it could not be read whole) and where it was."""
    target: dict[str, Any] = {}
    indicators: list[list[str]] = []
    columns: list[int] = []
    carried = ["", ""]
    for row in table.rows:
        texts = [key(c.text) for c in row]
        if not columns and all(level in texts for level in LEVELS):
            columns = [texts.index(level) for level in LEVELS]
        elif columns and len(row) > columns[2] and clean_text(row[columns[2]].text):
            indicators.append(_indicator(row, columns, carried))
        else:
            _field(target, row, texts)
    name = target.get("项目名称")
    if not name:
        findings.add("unplaced", "绩效目标表中找不到项目名称，没有导入", table.where)
        return {}, table.where
    if not indicators:
        findings.add(
            "unplaced",
            f"绩效目标表“{name}”没能读全（找不到 一级指标、二级指标、三级指标、指标值 的表头或指标行），没有导入",
            table.where,
        )
        return {}, table.where
    for label in _AMOUNTS:
        if label not in target:
            continue
        try:
            target[label] = _amount(target[label])
        except NumberError as error:
            findings.add(
                "warning", f"绩效目标表“{name}”：{label}“{target[label]}”{error}，没有导入这个数", table.where
            )
            target[label] = None
    target = {k: v for k, v in target.items() if v is not None}
    target["指标"] = indicators
    return target, table.where


def _indicator(row: list[Cell], columns: list[int], carried: list[str]) -> list[str]:
    """Return an indicator row's four cells; a blank 一级/二级 carries the one above (merged cells)."""
    cells = [plain(row[j].text) if j < len(row) else "" for j in columns]
    for level in (0, 1):
        if cells[level]:
            carried[level] = cells[level]
            if level == 0:
                carried[1] = cells[1] or carried[1]
        cells[level] = cells[level] or carried[level]
    return cells


def _field(target: dict[str, Any], row: list[Cell], texts: list[str]) -> None:
    """Read a row above the indicators: 项目名称, 主管部门/实施单位, the amounts, the overall goal."""
    if "项目名称" in texts:
        target["项目名称"] = _after(row, "项目名称")
    elif "主管部门" in texts:
        target["主管部门"] = _after(row, "主管部门")
        if any("实施单位" in t for t in texts):
            target["实施单位"] = _after(row, "实施单位")
    elif any("年度总体绩效目标" in t or t == "年度总体目标" for t in texts):
        target["年度总体绩效目标"] = next((c.text.strip() for c in row[1:] if clean_text(c.text)), "")
    else:
        label = next((a for a in _AMOUNTS if any(a in t for t in texts)), None)
        if label is not None:
            target[label] = _after(row, label)


def read_targets(
    tables: list[SourceTable], findings: Findings
) -> tuple[list[dict[str, Any]], list[str], list[SourceTable]]:
    """Read every project's 绩效目标表; return the targets, where each was, and the tables left over."""
    targets: list[dict[str, Any]] = []
    places: list[str] = []
    left: list[SourceTable] = []
    for table in tables:
        if not is_target_table(table):
            left.append(table)
            continue
        for part in split_projects(table):
            target, where = read_target(part, findings)
            if target:
                targets.append(target)
                places.append(where)
    return targets, places, left


def split_projects(table: SourceTable) -> list[SourceTable]:
    """Split tables that follow each other under the same title: each project starts at 项目名称."""
    parts: list[SourceTable] = []
    for row in table.rows:
        if any(key(c.text) == "项目名称" for c in row) or not parts:
            where = row[0].where if row else table.where
            parts.append(
                SourceTable(table.title, where.split("第 1 列")[0].strip() if parts else table.where)
            )
        parts[-1].rows.append(row)
    return parts
