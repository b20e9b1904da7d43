"""The Shanghai document (tests/fixtures/shanghai/document.txt, the fixture printed as a published text)
imports with --profile shanghai and without it, giving back exactly the fixture's tables; with its notes
(document-notes.txt) also the figures the notes' sentences state, in Shanghai's wording. The report's own
XLSX download and its page printed to PDF import back to the same tables too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import MiniPortal
from shanghai_document import FIXTURE, UNIT_ID, make_portal
from tools.imports import differences, import_as, reports
from tools.pdfs import CHROMIUM, CHROMIUM_ARGS, print_pdf
from tools.portal import in_ci

from disclosure.opendata import paths
from disclosure.tables import Cell, Table

DOCUMENT = FIXTURE / "document.txt"
WITH_NOTES = FIXTURE / "document-notes.txt"


def plain(values: dict[str, Any]) -> dict[str, Any]:
    """Return a mapping's amounts without where they were typed (Cell → its value)."""
    return {k: v.value if isinstance(v, Cell) else v for k, v in values.items()}


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
    assert "按 --profile shanghai 使用表样 shanghai-final" in runs["named"].output
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


def test_document_with_the_shanghai_notes_imports_its_sentence_figures(imported):
    """The notes' sentences, in Shanghai's wording, give back the fixture's figures they state."""
    portal, runs = imported
    assert runs["notes"].status == 0, runs["notes"].output
    units = {u.id: u for u in portal.check().portal.units}
    fixture, mine = units[UNIT_ID].reports[0], units["sh-notes"].reports[0]
    stated = ("收支总计", "财政拨款收支总计", "一般公共预算财政拨款支出")
    assert {k: mine.previous[k] for k in stated} == {k: fixture.previous[k] for k in stated}
    assert {k: c.value for k, c in mine.budget_items.items()} == {
        k: c.value for k, c in fixture.budget_items.items()
    }
    assert plain(mine.three_public) == plain(fixture.three_public)
    assert plain(mine.procurement) == plain(fixture.procurement)
    assert mine.vehicles == fixture.vehicles and mine.equipment == fixture.equipment
    assert mine.operating["决算数"].value == fixture.operating["决算数"].value


# ---------------------------------------------------------------- the report's own downloads and its printed page


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> MiniPortal:
    """The fixture portal, built (its downloads and report page are what gets imported back)."""
    portal = MiniPortal(make_portal(tmp_path_factory.mktemp("shanghai-built") / "portal"))
    assert portal.cli("build").status == 0
    return portal


def test_report_workbook_imports_back(built: MiniPortal):
    workbook = built.site() / paths.report_xlsx(UNIT_ID, "2024-final")
    output = import_as(built, workbook, "sh-xlsx", year=2024, kind="final")
    assert "按表名识别为表样 shanghai-final" in output and "共 0 个错误" in output
    found = reports(built, UNIT_ID, "sh-xlsx", year=2024)
    assert differences(found[UNIT_ID], found["sh-xlsx"]) == []


def test_printed_report_page_imports_back(built: MiniPortal, tmp_path: Path):
    if not CHROMIUM.exists():
        if in_ci():
            pytest.fail(f"CI=true and {CHROMIUM} not found", pytrace=False)
        pytest.skip(f"{CHROMIUM} not found")
    from playwright.sync_api import sync_playwright

    page = built.site() / "units" / UNIT_ID / "2024-final" / "index.html"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            pdf = print_pdf(
                browser, tmp_path / "shanghai.pdf", url=page.as_uri(), format="A4", landscape=True
            )
        finally:
            browser.close()
    output = import_as(built, pdf, "sh-pdf", year=2024, kind="final")
    assert "按表名识别为表样 shanghai-final" in output and "共 0 个错误" in output
    found = reports(built, UNIT_ID, "sh-pdf", year=2024)
    assert differences(found[UNIT_ID], found["sh-pdf"]) == []
