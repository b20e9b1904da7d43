"""Importing the seed documents gives the bundled reports' tables, and pages showing the documents' numbers."""

from __future__ import annotations

import os
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from helpers import SEED_DIR, MiniPortal, page_amount, parse_seed

from disclosure.config import load_config
from disclosure.pipeline import load_and_check
from disclosure.tables import Table

if SEED_DIR is None:
    if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
        raise RuntimeError("seed documents not found: set DISCLOSURE_SEEDS or add tests/seeds/")
    pytest.skip("seed documents not found (set DISCLOSURE_SEEDS)", allow_module_level=True)

# (seed file, bundled unit, year, kind)
CASES = {
    "000": ("000_d410f008f030cfb3.txt", "jinan-shizhong-ybj", 2024, "final"),
    "004": ("004_037a2d5cec6712cc.txt", "jiyuan-ybzx", 2023, "final"),
    "002": ("002_208575b2d87000bf.txt", "zhaoyuan-ybj", 2024, "budget"),
}


# Names the bundled file corrected by hand (its header says so): the import keeps what is printed.
PRINTED_NAMES = {("002", "表六"): {"303/509": "对个人和家庭补助"}}


def table_values(table: Table) -> dict[str, Any]:
    """Every amount of a table as the model holds it (typed or computed), keyed by row and column."""
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
    values["注"] = table.note
    return values


def filled_rows(portal: MiniPortal, rel: str) -> set[str]:
    """Return the 科目 codes a bundled file marks “# 补” (filled in by hand where the PDF text lost them)."""
    marked = set()
    section = ""
    for line in portal.read(rel).splitlines():
        if re.match(r"^  \S+:", line):
            section = line.split(":")[0].strip()
        match = re.match(r"^\s+- \[(\d+), [^,]+(?:, (\d+), )?.*# 补", line)
        if match:
            marked.add(f"{section}:{match[1]}/{match[2] or ''}")
    return marked


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[MiniPortal, dict[str, Any]]:
    """The bundled portal plus each seed imported as a second unit `<unit>-imported`."""
    from helpers import copy_portal

    portal = MiniPortal(copy_portal(tmp_path_factory.mktemp("imported") / "portal"))
    outputs = {}
    for key, (name, unit, year, _kind) in CASES.items():
        result = portal.cli("import", str(SEED_DIR / name), "--unit", f"{unit}-imported", "--year", str(year))
        outputs[key] = result
    return portal, outputs


def test_every_seed_imports_and_names_its_profile(imported):
    portal, outputs = imported
    for key, (_, unit, year, kind) in CASES.items():
        result = outputs[key]
        profile = "national-final" if kind == "final" else "national-budget"
        assert f"识别为表样 {profile}" in result.output, result.output
        assert (portal.root / "data" / f"{unit}-imported" / f"{year}-{kind}.yaml").is_file()
        assert "Traceback" not in result.output


def test_imported_tables_equal_the_bundled_tables(imported):
    portal, _ = imported
    checked = load_and_check(portal.root, load_config(portal.root))
    units = {u.id: u for u in checked.portal.units}
    for key, (_, unit, year, kind) in CASES.items():
        bundled = next(r for r in units[unit].reports if r.year == year and r.kind == kind)
        mine = next(r for r in units[f"{unit}-imported"].reports if r.year == year and r.kind == kind)
        filled = filled_rows(portal, f"data/{unit}/{year}-{kind}.yaml")
        for number, table in bundled.tables.items():
            expected = table_values(table)
            got = table_values(mine.tables[number])
            auto = table.definition.empty_note.format(scope=bundled.scope, year=year, previous_year=year - 1)
            if expected["注"] == auto:
                expected["注"] = None  # the note the profile writes anyway is not imported again
            for code in [c for c in expected if f"{number}:{c}" in filled]:
                expected.pop(code)  # rows the PDF text lost: the import cannot see them
            if filled and any(k.startswith(f"{number}:") for k in filled):
                expected.pop("合计", None), got.pop("合计", None)  # computed from the rows present
            for code, printed in PRINTED_NAMES.get((key, number), {}).items():
                name, name2, cells = expected[code]
                expected[code] = (printed, name2, cells)
            assert {k: v for k, v in got.items() if k in expected} == expected, f"{key} {number}"
            assert set(got) - set(expected) == set(), f"{key} {number}: extra rows {set(got) - set(expected)}"


def test_rows_lost_at_page_breaks_are_reported_at_their_class_row(imported):
    _, outputs = imported
    result = outputs["002"]
    assert result.status == 1, "002 lost rows at page breaks: the import must say so"
    # 210 卫生健康支出 is printed on 第 122 行; its 款 21014/21015 rows fell off the page in the PDF text.
    lines = [x for x in result.output.splitlines() if "表二 210 卫生健康支出" in x and "下级科目之和" in x]
    assert lines and all("[错误]" in x and "原文 002_208575b2d87000bf.txt 第 122 行" in x for x in lines), (
        result.output
    )


@pytest.fixture(scope="module")
def built(imported: tuple[MiniPortal, dict[str, Any]]) -> MiniPortal:
    """The portal with the imported finals, built (the budget with lost rows removed first)."""
    portal, _ = imported
    shutil.rmtree(portal.root / "data" / "zhaoyuan-ybj-imported")  # its lost rows stop a build (see above)
    result = portal.cli("build")
    assert result.status == 0, result.output
    return portal


def _compare(cells: list[Any], expected: Decimal, where: str, wrong: list[str]) -> None:
    if len(cells) != 1 or page_amount(cells[0]) != expected:
        wrong.append(f"{where}: {[c.get_text(strip=True) for c in cells]} != {expected}")


@pytest.mark.parametrize("key", ["000", "004"])
def test_imported_final_pages_show_the_documents_numbers(built, key):
    name, unit, year, _ = CASES[key]
    doc = parse_seed(Path(SEED_DIR) / name)
    page = built.site() / "units" / f"{unit}-imported" / f"{year}-final" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    tables = {t["data-table"][-2:]: t for t in soup.select("table[data-table^=final-]")}
    wrong: list[str] = []
    for number in ("01", "04"):
        for (line, column), value in doc.balance[number].items():
            cells = tables[number].select(f'td[data-line="{line}"][data-col="{column}"]')
            _compare(cells, value, f"{number} {line}", wrong)
    for number, rows in doc.subject.items():
        for code, amounts in rows.items():
            selector = 'tr[data-row="合计"]' if code == "合计" else f'tr[data-code="{code}"]'
            row = tables[number].select(selector)
            assert len(row) == 1, f"公开{number}表 {code}"
            for column, value in amounts.items():
                _compare(row[0].select(f'td[data-col="{column}"]'), value, f"{number} {code} {column}", wrong)
    for code, value in doc.economic.items():
        _compare(
            tables["06"].select(f'td[data-code="{code}"][data-col="决算数"]'), value, f"06 {code}", wrong
        )
    for subtotal, value in doc.subtotals.items():
        _compare(tables["06"].select(f'td[data-row="{subtotal}"]'), value, f"06 {subtotal}", wrong)
    for (record, column), value in doc.records.items():
        cells = tables["09"].select(f'td[data-record="{record}"][data-col="{column}"]')
        _compare(cells, value, f"09 {record} {column}", wrong)
    assert not wrong, "\n".join(wrong)
