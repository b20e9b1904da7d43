"""Among a table's rows, a row holding only a name ending in 表 (zeros left blank) is a row, not a title.

A finance export leaves zero amounts blank, so a project whose amounts are all zero and whose
category is blank shows nothing but its name; when that name ends in 表 (“医保基金统计报表”) it
looks like a table title. Only a 表号, a known table title or a title set apart by a blank row
opens a new table among another table's rows.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import MiniPortal, copy_portal
from openpyxl import Workbook
from tools.imports import differences, reports
from tools.workbooks import finance_workbook

from disclosure.importing.excel import read_excel

PROJECT = "医保基金统计报表"
BUDGET = "data/zhaoyuan-ybj/2024-budget.yaml"
LAST_PROJECT = "      - [业务经费2024年9.37万, 特定目标类, 9.37, 9.37, 9.37]\n"


@pytest.fixture(scope="module")
def portal(tmp_path_factory) -> MiniPortal:
    """The portal with a zero project named like a table (no category) in the budget's 表十一, built."""
    portal = MiniPortal(copy_portal(tmp_path_factory.mktemp("title-rows") / "portal"))
    portal.replace(BUDGET, LAST_PROJECT, f"{LAST_PROJECT}      - [{PROJECT}, ~, 0, 0, 0]\n")
    result = portal.cli("build")
    assert result.status == 0, result.output
    return portal


@pytest.mark.parametrize("one_sheet", [False, True], ids=["sheet-per-table", "one-sheet"])
def test_a_blank_zero_row_named_like_a_table_stays_in_its_table(portal, tmp_path, one_sheet):
    page = (portal.site() / "units/zhaoyuan-ybj/2024-budget/index.html").read_text(encoding="utf-8")
    source = finance_workbook(page, tmp_path / "export.xlsx", amounts="blank-zero", one_sheet=one_sheet)
    doc = read_excel(source)
    assert not any(PROJECT in t.title for t in doc.tables), [t.title for t in doc.tables]
    (projects,) = [t for t in doc.tables if t.title.endswith("项目支出预算情况表")]
    assert [PROJECT] in [[c.text for c in row if c.text] for row in projects.rows]
    unit = f"x-title-rows-{'one' if one_sheet else 'many'}"
    result = portal.cli("import", str(source), "--unit", unit, "--year", "2024", "--kind", "budget")
    assert "共 0 个错误" in result.output, result.output
    assert not [line for line in result.output.splitlines() if "[未导入]" in line and PROJECT in line]
    found = reports(portal, "zhaoyuan-ybj", unit, year=2024, kind="budget")
    assert differences(found["zhaoyuan-ybj"], found[unit]) == []


def sheet_of(rows: list[list[object]], path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


HEADER: list[object] = ["项目名称", "项目类别", "合计"]


@pytest.mark.parametrize(
    ("between", "titles"),
    [
        ([["统计报表"]], ["项目支出预算情况表"]),  # a row: no 表号, no known title, no blank row above
        ([["收入总体情况表"]], ["项目支出预算情况表", "收入总体情况表"]),  # a known title
        ([["表三 统计报表"]], ["项目支出预算情况表", "表三 统计报表"]),  # a 表号
        ([[], ["统计报表"]], ["项目支出预算情况表", "统计报表"]),  # set apart by a blank row
    ],
    ids=["name-row", "known-title", "table-number", "after-blank-row"],
)
def test_only_title_like_rows_open_a_table_among_rows(tmp_path, between, titles):
    rows = [["项目支出预算情况表"], HEADER, ["甲项目", "一般项目", 5], *between, ["乙项目", "一般项目", 7]]
    doc = read_excel(sheet_of(rows, tmp_path / "sheet.xlsx"))
    assert [t.title for t in doc.tables] == titles
    last = [c.text for c in doc.tables[-1].rows[-1]]
    assert last[:3] == ["乙项目", "一般项目", "7"]
