"""Import a file into a throw-away portal and compare the imported report's tables with a bundled one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers import MiniPortal

from disclosure.config import load_config
from disclosure.model import Report
from disclosure.pipeline import load_and_check
from disclosure.tables import Table

BUNDLED = ("jinan-shizhong-ybj", 2024, "final")  # the report the fixtures are made from
REPORT_PAGE = "units/jinan-shizhong-ybj/2024-final/index.html"


def table_values(table: Table) -> dict[str, Any]:
    """Every amount and name of a table as the model holds it, keyed by row (the note left out)."""
    values: dict[str, Any] = {}
    for row in table.rows:
        values[f"{row.code}/{row.code2}"] = (row.name, row.name2, {k: c.value for k, c in row.cells.items()})
    if table.total:
        values["合计"] = {k: c.value for k, c in table.total.cells.items()}
    for line, cells in table.lines.items():
        values[f"行{line}"] = {k: c.value for k, c in cells.items()}
    for record, cells in table.records.items():
        values[record] = {k: c.value for k, c in cells.items()}
    for name, cell in table.subtotals.items():
        values[name] = cell.value
    return values


def reports(
    portal: MiniPortal, *units: str, year: int = BUNDLED[1], kind: str = BUNDLED[2]
) -> dict[str, Report]:
    """Load and check the portal; return the report of that year and kind of each unit named."""
    checked = load_and_check(portal.root, load_config(portal.root))
    found = {u.id: u for u in checked.portal.units}
    return {unit: next(r for r in found[unit].reports if r.year == year and r.kind == kind) for unit in units}


def import_as(
    portal: MiniPortal, source: Path, unit: str, year: int = BUNDLED[1], kind: str = BUNDLED[2]
) -> str:
    """Import source as `unit` for that year and kind; return the command's output."""
    result = portal.cli("import", str(source), "--unit", unit, "--year", str(year), "--kind", kind)
    assert "Traceback" not in result.output, result.output
    assert (portal.root / "data" / unit / f"{year}-{kind}.yaml").is_file(), result.output
    return result.output


def differences(bundled: Report, imported: Report, layouts: set[str] | None = None) -> list[str]:
    """Return every table row whose values differ between the bundled and the imported report
    (only in tables of the given layouts: subject, balance, economic, record …, when given)."""
    found: list[str] = []
    for number, table in bundled.tables.items():
        if layouts is not None and table.definition.layout not in layouts:
            continue
        expected = table_values(table)
        got = table_values(imported.tables[number])
        for key in sorted(set(expected) | set(got)):
            if expected.get(key) != got.get(key):
                found.append(f"{number} {key}: expected {expected.get(key)!r}, imported {got.get(key)!r}")
    return found


def performance(report: Report, summary_names: bool = True) -> dict[str, Any]:
    """The report's 绩效目标表 and 绩效自评表 as the model holds them (amounts as values, no lines).

    Without summary_names, 汇总表名称 is left out: it comes from the 汇总表 in the notes, which a
    workbook of tables does not hold.
    """
    from disclosure.performance import self_evaluation_json

    evaluations = []
    for table in report.self_evaluations:
        found = {**self_evaluation_json(table), "未达标说明": table.explanation}
        if not summary_names:
            found.pop("汇总表名称", None)
        evaluations.append(found)
    targets = [
        (t.name, t.department, t.unit, *(c.value if c else None for c in (t.total, t.fiscal, t.other)))
        + (t.goal, t.indicators)
        for t in report.targets
    ]
    return {"自评表": evaluations, "自评表注": report.self_evaluation_note, "绩效目标": targets}


def unplaced_performance(output: str) -> list[str]:
    """Return the import's “not imported” lines about performance tables."""
    return [line for line in output.splitlines() if line.startswith("[未导入]") and "绩效" in line]
