"""The Shanghai document (tests/fixtures/shanghai/document.txt, the fixture printed as a published text)
imports with --profile shanghai and without it, giving back exactly the fixture's tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import MiniPortal
from shanghai_document import FIXTURE, UNIT_ID, make_portal

from disclosure.tables import Table

DOCUMENT = FIXTURE / "document.txt"
WITH_NOTES = FIXTURE / "document-notes.txt"


def table_values(table: Table) -> dict[str, Any]:
    """Every amount of a table as the model holds it (typed or computed), keyed by row and column."""
    values: dict[str, Any] = {"注": table.note}
    for row in table.rows:
        values[row.code] = (row.name, {k: c.value for k, c in row.cells.items()})
    if table.total:
        values["合计"] = {k: c.value for k, c in table.total.cells.items()}
    for line, cells in table.lines.items():
        values[f"行{line}"] = {k: c.value for k, c in cells.items()}
    for record, cells in table.records.items():
        values[record] = {k: c.value for k, c in cells.items()}
    for name, cell in table.subtotals.items():
        values[name] = cell.value
    return values


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[MiniPortal, dict[str, Any]]:
    """The fixture portal plus the document imported twice: with --profile shanghai and recognised."""
    portal = MiniPortal(make_portal(tmp_path_factory.mktemp("shanghai-import") / "portal"))
    runs = {
        "named": portal.cli(
            "import", str(DOCUMENT), "--unit", "sh-named", "--year", "2024", "--profile", "shanghai"
        ),
        "recognised": portal.cli("import", str(DOCUMENT), "--unit", "sh-recognised", "--year", "2024"),
        "notes": portal.cli("import", str(WITH_NOTES), "--unit", "sh-notes", "--year", "2024"),
    }
    return portal, runs


def test_imports_with_the_alias_and_recognised_without_it(imported):
    _, runs = imported
    assert runs["named"].status == 0, runs["named"].output
    assert "按 --profile 使用表样 shanghai-final" in runs["named"].output
    assert runs["recognised"].status == 0, runs["recognised"].output
    assert "按表名识别为表样 shanghai-final" in runs["recognised"].output
    assert "9 张表中认出 9 张" in runs["recognised"].output


@pytest.mark.parametrize("unit", ["sh-named", "sh-recognised", "sh-notes"])
def test_imported_tables_equal_the_fixture(imported, unit: str):
    portal, _ = imported
    checked = portal.check()
    units = {u.id: u for u in checked.portal.units}
    fixture, mine = units[UNIT_ID].reports[0], units[unit].reports[0]
    assert mine.profile.id == "shanghai-final"
    errors = [p.format() for p in checked.problems.errors if p.table.startswith("表")]
    assert errors == []
    for number, table in fixture.tables.items():
        assert table_values(mine.tables[number]) == table_values(table), number


def test_unknown_profile_names_the_aliases(tmp_path: Path):
    portal = MiniPortal(make_portal(tmp_path / "portal"))
    run = portal.cli("import", str(DOCUMENT), "--unit", "x", "--year", "2024", "--profile", "beijing")
    assert run.status != 0
    assert "没有名为“beijing”的表样" in run.output and "shanghai" in run.output
    assert "Traceback" not in run.output


@pytest.mark.xfail(
    strict=True,
    reason="导入器按全国格式的句式读情况说明中的数；上海模板的句式（“收入支出总计……”“X（类）Y（款）Z（项）。年初预算为……”、"
    "政府采购“以合同签订为准”等）尚未识别，读出的年初预算、接待费和采购额不全，check 报错",
)
def test_document_with_the_shanghai_notes_imports_clean(imported):
    _, runs = imported
    assert runs["notes"].status == 0, runs["notes"].output
