"""Check every figure against every other (勾稽关系) and report all problems at once."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .checks_pair import check_budget_and_final
from .checks_performance import check_performance
from .checks_tables import Comparer, check_table, nonzero_parts
from .grades import grade_of
from .model import Portal, Report, Unit, resolve
from .money import ZERO, format_money, parse_amount, tolerance
from .notes import section_key_problem
from .problems import Problems
from .profile import CellRef, Rule
from .tables import Cell, SubjectRow

CATALOG = Path(__file__).parent / "catalog" / "subjects.yaml"
_NUMBER = r"(\d[\d,]*(?:\.\d+)?)"
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def load_catalog() -> dict[str, dict[str, str]]:
    """Return the shipped subject names by classification."""
    raw = yaml.load(CATALOG.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return {kind: {str(k): str(v) for k, v in names.items()} for kind, names in raw.items()}


def validate(portal: Portal, problems: Problems) -> None:
    """Run every check on every unit."""
    catalog = load_catalog()
    for unit in portal.units:
        validate_unit(unit, catalog, problems)


def validate_unit(unit: Unit, catalog: dict[str, dict[str, str]], problems: Problems) -> None:
    """Run every check on a unit's reports, then the checks across its years."""
    for report in unit.reports:
        validate_report(report, catalog, problems)
    check_years(unit, problems)
    check_budget_and_final(unit, problems)


def validate_report(report: Report, catalog: dict[str, dict[str, str]], problems: Problems) -> None:
    """Run the within-table, cross-table, naming and notes checks of one report."""
    cmp = Comparer(problems, report.file)
    for table in report.tables.values():
        check_table(table, cmp, problems)
    for rule in report.profile.rules:
        check_rule(report, rule, cmp)
    check_names(report, catalog, problems)
    check_notes_data(report, cmp, problems)
    check_sections(report, problems)
    check_authored_numbers(report, problems)
    check_performance(report, problems)


def _side(
    report: Report, terms: tuple[tuple[int, CellRef], ...]
) -> tuple[Decimal, list[Decimal], Cell | None]:
    values: list[Decimal] = []
    first: Cell | None = None
    for sign, ref in terms:
        cell = resolve(report, ref)
        value = cell.value if cell else ZERO
        values.append(sign * value)
        if first is None and cell is not None:
            first = cell
    return sum(values, ZERO), values, first


def _describe(terms: tuple[tuple[int, CellRef], ...]) -> str:
    text = ""
    for i, (sign, ref) in enumerate(terms):
        text += ("−" if sign < 0 else ("+" if i else "")) + str(ref)
    return text


def check_rule(report: Report, rule: Rule, cmp: Comparer) -> None:
    """Check one cross-table rule of the profile."""
    if rule.kind == "classes":
        check_classes(report, rule, cmp)
        return
    left, left_parts, left_cell = _side(report, rule.left)
    right, right_parts, right_cell = _side(report, rule.right)
    # Locate the message at the side that is a single printed cell (the total being checked).
    if len(rule.right) == 1 and right_cell is not None:
        found, expected, ref, what = right_cell, left, rule.right[0][1], _describe(rule.left)
    elif left_cell is not None:
        found, expected, ref, what = left_cell, right, rule.left[0][1], _describe(rule.right)
    else:
        return
    if found.value == expected:
        return  # the usual case: no labels to look up
    count = max(nonzero_parts(left_parts), nonzero_parts(right_parts))
    cmp.compare(
        found, expected, count, what,
        table=ref.table, row=_row_label(report, ref), column=_column_label(report, ref),
    )  # fmt: skip


def _column_label(report: Report, ref: CellRef) -> str:
    """Return the printed label of a reference's column (a balance side's only column if unnamed)."""
    table = report.profile.table(ref.table)
    if table is None:
        return ""
    if ref.column:
        column = table.column(ref.column)
        return column.label if column else ref.column
    if table.layout == "balance" and ref.row.isdigit():
        side = table.side_of(int(ref.row))
        return side.columns[0].label if side else ""
    return table.columns[0].label if table.columns else ""


def _row_label(report: Report, ref: CellRef) -> str:
    table = report.tables.get(ref.table)
    if table is None:
        return ref.row
    if table.definition.layout == "balance" and ref.row.isdigit():
        fixed = table.definition.fixed_row(int(ref.row))
        return f"{ref.row} {fixed.label}" if fixed else ref.row
    row = table.row(ref.row) if ref.row.isdigit() else None
    return f"{row.code} {row.name}" if row else ref.row


def check_classes(report: Report, rule: Rule, cmp: Comparer) -> None:
    """Each 类 of a 科目 table must equal the balance table's row of that class, and back."""
    table = report.tables.get(rule.table)
    against = report.tables.get(rule.against)
    if table is None or against is None:
        return
    class_lines = {row.code: row for side in against.definition.sides for row in side.rows if row.code}
    column = table.definition.column(rule.column)
    seen: set[str] = set()
    for row in table.rows:
        if len(row.code) != 3:
            continue
        seen.add(row.code)
        fixed = class_lines.get(row.code)
        cell = row.cells.get(rule.column)
        if fixed is None or cell is None:
            continue
        other = against.cell(str(fixed.line), rule.against_column)
        expected = other.value if other else ZERO
        cmp.compare(
            cell, expected, 1, f"{rule.against}第{fixed.line}行",
            table=rule.table, row=f"{row.code} {row.name}", column=column.label if column else "",
        )  # fmt: skip
    for code, fixed in class_lines.items():
        other = against.cell(str(fixed.line), rule.against_column)
        if code not in seen and other is not None and other.value != 0:
            cmp.problems.error(
                f"{format_money(other.value)}，但{rule.table}中没有 {code} {fixed.label.split('、')[-1]} 这一类",
                file=cmp.file, line=other.line, table=rule.against, row=f"{fixed.line} {fixed.label}",
            )  # fmt: skip


def check_names(report: Report, catalog: dict[str, dict[str, str]], problems: Problems) -> None:
    """The same code carries the same name everywhere; codes must be known 科目."""
    classes: dict[str, str] = {}
    for table in report.tables.values():
        classes.update(table.definition.class_names)
    seen: dict[str, tuple[str, str]] = {}
    for number, table in report.tables.items():
        kind = table.definition.classification
        names = catalog.get(kind, {})
        if table.definition.layout == "items":
            continue
        for row in table.rows:
            code = row.code
            name = _SPACES.sub("", row.name)
            first = seen.setdefault(code, (name, number))
            if first[0] != name:
                problems.error(
                    f"同一科目代码在{first[1]}中的名称是“{first[0]}”", **_where(report, number, row)
                )
            known = classes.get(code) if kind == "function" else None
            known = known or names.get(code)
            if kind == "function" and len(code) == 3 and code not in classes:
                problems.error("未知的支出功能分类科目（类）", **_where(report, number, row))
            elif known and known != name:
                problems.warning(f"科目名称与科目表“{known}”不一致，请核对", **_where(report, number, row))
            elif not known and kind == "economic" and len(code) == 3:
                problems.error("未知的支出经济分类科目（类）", **_where(report, number, row))
            elif not known:
                problems.note("科目代码不在内置科目表中，请核对代码和名称", **_where(report, number, row))


def _where(report: Report, number: str, row: SubjectRow) -> dict[str, Any]:
    """Return the location keywords of a 科目 row."""
    return {"file": report.file, "line": row.line, "table": number, "row": f"{row.code} {row.name}"}


def check_notes_data(report: Report, cmp: Comparer, problems: Problems) -> None:
    """Check the figures behind the notes against the tables and each other."""
    where = {"file": report.file}
    domestic = report.three_public.get("国内接待费")
    foreign = report.three_public.get("国外接待费")
    if domestic is not None or foreign is not None:
        parts = [c.value for c in (domestic, foreign) if c is not None]
        ref = report.profile.figures.get("公务接待费决算数")
        table_cell = resolve(report, ref) if ref else None
        if ref is not None and table_cell is not None:
            cell = domestic or foreign
            assert cell is not None
            cmp.compare(
                Cell(sum(parts, ZERO), cell.line), table_cell.value, len(parts) + 1,
                f"{ref.table} 公务接待费决算数", table="三公经费", row="国内接待费+国外接待费",
            )  # fmt: skip
    procurement = report.procurement
    total = sum((procurement[k].value for k in ("货物", "工程", "服务")), ZERO)
    sme, small = procurement["授予中小企业"], procurement["授予小微企业"]
    if sme.value > total:
        problems.error(
            f"授予中小企业合同金额 {format_money(sme.value)} 大于政府采购支出总额 {format_money(total)}",
            line=sme.line, table="政府采购", **where,
        )  # fmt: skip
    if small.value > sme.value:
        problems.error(
            f"授予小微企业合同金额 {format_money(small.value)} 大于授予中小企业合同金额 {format_money(sme.value)}",
            line=small.line, table="政府采购", **where,
        )  # fmt: skip
    if "政府采购预算" in report.profile.figures and procurement["货物"].line is not None:
        ref = report.profile.figures["政府采购预算"]
        cmp.compare(
            Cell(total, procurement["货物"].line), report.figures["政府采购预算"], 4,
            f"{ref.table} 合计", table="政府采购", row="货物+工程+服务",
        )  # fmt: skip
    check_budget_items(report, problems)
    check_projects(report, problems)
    check_targets(report, cmp, problems)


def check_budget_items(report: Report, problems: Problems) -> None:
    """年初预算 items must be 项 of the 一般公共预算 table."""
    number = report.profile.table_of("一般公共预算财政拨款支出")
    table = report.tables.get(number)
    if table is None:
        return
    items = {r.code for r in table.rows if len(r.code) == 7}
    for code, cell in report.budget_items.items():
        if code not in items:
            problems.warning(
                f"年初预算列出的科目在{number}中没有支出（情况说明不会列出它）",
                file=report.file, line=cell.line, table="年初预算", row=code,
            )  # fmt: skip


def check_projects(report: Report, problems: Problems) -> None:
    """A printed grade must follow from the score (优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差)."""
    for project in report.projects:
        if project.score is None:
            continue
        if project.score < 0 or project.score > 100:
            problems.error(
                f"得分 {project.score} 不在 0–100 之间",
                file=report.file, line=project.line, table="预算绩效", row=project.name,
            )  # fmt: skip
        expected = grade_of(project.score)
        if project.grade and project.grade != expected:
            problems.error(
                f"等级“{project.grade}”与得分 {project.score} 不符（应为“{expected}”）",
                file=report.file, line=project.line, table="预算绩效", row=project.name,
            )  # fmt: skip


def check_targets(report: Report, cmp: Comparer, problems: Problems) -> None:
    """A 绩效目标表's funds: 总额 = 财政拨款 + 其他资金, and = the project's row of the project table."""
    items = next((t for t in report.tables.values() if t.definition.layout == "items"), None)
    for target in report.targets:
        where = {"table": "绩效目标", "row": target.name}
        if target.total is not None and target.fiscal is not None:
            other = target.other.value if target.other else ZERO
            cmp.compare(
                target.total, target.fiscal.value + other, 2, "财政拨款+其他资金", column="年度预算资金总额", **where
            )  # fmt: skip
        if items is None or target.total is None:
            continue
        row = items.row(target.name)
        if row is None:
            problems.warning(
                f"{items.definition.number} {items.definition.title}中没有这个项目，请核对项目名称",
                file=report.file, line=target.line, **where,
            )  # fmt: skip
            continue
        column = items.definition.columns[0]
        cmp.compare(
            target.total, row.value(column.key), 1, f"{items.definition.number} {target.name} {column.label}",
            column="年度预算资金总额", **where,
        )  # fmt: skip


def check_sections(report: Report, problems: Problems) -> None:
    """Every authored section must be one the notes print; a 项 reason must name a 项 of the 一般公共预算 table."""
    number = report.profile.table_of("一般公共预算财政拨款支出")
    table = report.tables.get(number)
    items = {r.code for r in table.rows if len(r.code) == 7} if table else set()
    for section in report.sections.values():
        where = {"file": section.file, "line": section.line, "table": "情况说明", "row": section.key}
        reason = section_key_problem(section.key)
        if reason:
            problems.warning(reason, **where)
        elif section.key.startswith("项/") and section.key[2:] not in items:
            problems.warning(f"{number}中没有这个项，这段原因不会显示", **where)


def check_authored_numbers(report: Report, problems: Problems) -> None:
    """A figure written by hand in the prose must equal the tables."""
    pattern = _figures_pattern(tuple(report.figures))
    for section in report.sections.values():
        for number, line in enumerate(section.text.splitlines(), section.text_line):
            for match in pattern.finditer(line):
                name, raw = match.group(1), match.group(2)
                value = parse_amount(raw)
                expected = report.figures[name]
                if abs(value - expected) > 0:
                    problems.error(
                        f"说明文字写“{name}{raw}万元”，与表中 {format_money(expected)} 不一致",
                        file=section.file, line=number, table="情况说明", row=section.key,
                    )  # fmt: skip


@lru_cache(maxsize=64)
def _figures_pattern(figures: tuple[str, ...]) -> re.Pattern[str]:
    """Return the pattern of a figure written in prose: name, optional verb, amount in 万元."""
    names = sorted(figures, key=len, reverse=True)
    return re.compile(
        "("
        + "|".join(re.escape(n) for n in names)
        + r")(?:决算数?|支出|合计|总额)?(?:为|是|共计?|达)?\s*"
        + _NUMBER
        + r"\s*万元"
    )


def check_years(unit: Unit, problems: Problems) -> None:
    """Across years: 年初 = last year's 年末; typed 上年 figures equal last year's report."""
    for report in unit.reports:
        before = unit.report(report.year - 1, report.kind)
        if before is None:
            continue
        for previous_key, current_key in report.profile.carry_over:
            if previous_key not in before.figures or current_key not in report.figures:
                continue
            ref = report.profile.figures[current_key]
            cell = resolve(report, ref) or Cell(report.figures[current_key])
            if cell.value == before.figures[previous_key]:
                continue
            Comparer(problems, report.file).compare(
                cell, before.figures[previous_key], 1,
                f"{before.year}年度{previous_key}（{before.file}）",
                table=ref.table, row=_row_label(report, ref), column=_column_label(report, ref),
            )  # fmt: skip
        for key, cell in report.typed_previous.items():
            if key in before.figures and abs(cell.value - before.figures[key]) > tolerance(1):
                problems.warning(
                    f"上年数 {format_money(cell.value)} 与 {before.file} 中的 "
                    f"{format_money(before.figures[key])} 不一致（情况说明取 {before.year} 年度报告中的数）",
                    file=report.file, line=cell.line, table="上年", row=key,
                )  # fmt: skip
