"""Year workbooks: our own downloads/years/<year>/<year>.xlsx (every unit's rows, 决算 and 预算 sheets)
import one report at a time, chosen by --unit (the 单位代码 column) and --kind.

The workbooks come from building the bundled portal; each bundled report is imported back from its
year's workbook into a copy of the portal and compared with data/*.yaml table by table.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import REPO, MiniPortal, copy_portal
from openpyxl import load_workbook
from tools.imports import differences, reports

from disclosure.importing.read import read_source
from disclosure.importing.source import ImportFailure
from disclosure.importing.yearbook import select_report
from disclosure.profile import load_profiles

BUNDLED_REPORTS = sorted(
    (path.parent.name, int(path.stem[:4]), path.stem[5:])
    for path in REPO.glob("data/*/[0-9][0-9][0-9][0-9]-*.yaml")
)


def year_workbook(site: Path, year: int) -> Path:
    return site / f"downloads/years/{year}/{year}.xlsx"


@pytest.fixture(scope="module")
def portal(tmp_path_factory) -> MiniPortal:
    return MiniPortal(copy_portal(tmp_path_factory.mktemp("yearbook-import") / "portal"))


@pytest.fixture(scope="module")
def bundled(built_site: Path) -> MiniPortal:
    """The portal the site was built from: its reports are the data/*.yaml ones, untouched."""
    return MiniPortal(built_site.parent)


def _import(portal: MiniPortal, source: Path, unit: str, year: int, *extra: str) -> str:
    result = portal.cli("import", str(source), "--unit", unit, "--year", str(year), "--force", *extra)
    assert "Traceback" not in result.output, result.output
    return result.output


@pytest.mark.parametrize("report", BUNDLED_REPORTS, ids=["-".join(map(str, r)) for r in BUNDLED_REPORTS])
def test_each_bundled_report_imports_from_its_year_workbook(portal, bundled, built_site, report):
    """Without --kind: the unit's rows of its year's workbook give exactly the tables of data/*.yaml."""
    unit, year, kind = report
    output = _import(portal, year_workbook(built_site, year), unit, year)
    assert f"取单位代码为“{unit}”的行" in output, output
    assert "共 0 个错误" in output and "0 处原文内容未导入" in output, output
    expected = reports(bundled, unit, year=year, kind=kind)[unit]
    imported = reports(portal, unit, year=year, kind=kind)[unit]
    assert differences(expected, imported) == []
    assert set(imported.tables) == set(expected.tables)


def test_a_unit_missing_from_the_workbook_is_named_with_the_units_it_has(portal, built_site):
    output = _import(portal, year_workbook(built_site, 2024), "no-such-unit", 2024)
    units = sorted({u for u, y, _ in BUNDLED_REPORTS if y == 2024})
    assert "没有单位代码为“no-such-unit”的行" in output
    assert all(f"{u}（" in output for u in units), output
    assert not (portal.root / "data/no-such-unit").exists()


@pytest.fixture(scope="module")
def both_kinds(built_site: Path, tmp_path_factory) -> tuple[Path, str, str]:
    """The 2024 workbook with the budget unit's rows relabelled as the final unit's: one unit, both kinds."""
    final_unit = next(u for u, y, k in BUNDLED_REPORTS if y == 2024 and k == "final")
    budget_unit = next(u for u, y, k in BUNDLED_REPORTS if y == 2024 and k == "budget")
    book = load_workbook(year_workbook(built_site, 2024))
    for sheet in book.worksheets:
        for (cell,) in sheet.iter_rows(min_col=1, max_col=1):
            if cell.value == budget_unit:
                cell.value = final_unit
    target = tmp_path_factory.mktemp("both") / "2024.xlsx"
    book.save(target)
    return target, final_unit, budget_unit


def test_both_kinds_without_kind_ask_for_it_naming_what_is_there(portal, both_kinds):
    source, unit, _ = both_kinds
    output = _import(portal, source, unit, 2024)
    assert "既有决算表又有预算表" in output and "--kind final" in output and "--kind budget" in output
    assert "公开01表 收入支出决算总表" in output and "表一 收支总体情况表" in output, output
    assert "没有写入任何文件" in output


def test_kind_picks_the_tables_of_one_report(both_kinds):
    source, unit, _ = both_kinds
    profiles = load_profiles(())
    doc = read_source(source)
    for kind, first in (("final", "公开01表"), ("budget", "表一")):
        chosen, got, note = select_report(doc, unit, kind, profiles)
        assert got == kind and f"取单位代码为“{unit}”的行" in note
        assert chosen.tables[0].title.startswith(first)
        assert all(row[0].text not in ("单位代码", unit) for t in chosen.tables for row in t.rows)
    with pytest.raises(ImportFailure, match="既有决算表又有预算表"):
        select_report(doc, unit, None, profiles)


def test_budget_of_a_unit_with_both_kinds_imports_exactly(portal, bundled, both_kinds):
    source, unit, budget_unit = both_kinds
    output = _import(portal, source, unit, 2024, "--kind", "budget")
    assert "共 0 个错误" in output, output
    expected = reports(bundled, budget_unit, year=2024, kind="budget")[budget_unit]
    imported = reports(portal, unit, year=2024, kind="budget")[unit]
    assert differences(expected, imported) == []


def test_a_kind_the_unit_lacks_in_the_workbook_is_refused(portal, built_site):
    unit, year, kind = BUNDLED_REPORTS[0]
    other = "budget" if kind == "final" else "final"
    output = _import(portal, year_workbook(built_site, year), unit, year, "--kind", other)
    assert f"没有{'预算' if other == 'budget' else '决算'}表" in output, output
    assert "没有写入任何文件" in output


def test_an_ordinary_workbook_is_left_as_it_is(built_site):
    unit, year, kind = BUNDLED_REPORTS[0]
    doc = read_source(built_site / f"downloads/{unit}/{year}-{kind}/report.xlsx")
    same, got, note = select_report(doc, unit, None, load_profiles(()))
    assert same is doc and got is None and note == ""
