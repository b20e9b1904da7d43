"""The Excel reader: our own downloads and finance-system exports read cell by cell; imports equal the data.

Every workbook is made here: the bundled portal's own downloads (built once), and exports imitated
with openpyxl and xlwt from the built report page (tools/workbooks.py). Reader tests check titles,
cells and locations; end-to-end tests run `import` and compare the imported tables with the
bundled report; malformed workbooks must give a Chinese message naming the file, no traceback.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import MiniPortal, copy_portal
from openpyxl import Workbook
from tools.imports import BUNDLED, REPORT_PAGE, differences, import_as, performance, reports
from tools.workbooks import as_xls, finance_workbook

from disclosure.importing.excel import number_text, read_excel
from disclosure.importing.source import ImportFailure, SourceTable
from disclosure.opendata import paths
from disclosure.opendata.rows import amount_text

REPO = Path(__file__).resolve().parents[1]
UNIT, YEAR, KIND = BUNDLED
DOWNLOADS = paths.report_folder(UNIT, f"{YEAR}-{KIND}")


@pytest.fixture(scope="module")
def page_html(built_site: Path) -> str:
    return (built_site / REPORT_PAGE).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def report_json(built_site: Path) -> dict:
    return json.loads((built_site / DOWNLOADS / "report.json").read_text(encoding="utf-8"))


def texts(table: SourceTable) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows]


def expected_text(value: object, kind: str) -> str:
    """The text a cell of our own download must read back as: amounts as written (two decimals at
    least, exactly), 行次 and text as they are, blanks ""."""
    if value is None:
        return ""
    return amount_text(str(value)) if kind == "number" else str(value)


# ---------------------------------------------------------------- our own downloads


def test_report_workbook_reads_every_table_cell_for_cell(built_site, report_json):
    doc = read_excel(built_site / DOWNLOADS / "report.xlsx")
    assert doc.kind == "xlsx"
    tables = [t for t in doc.tables if "绩效自评表" not in t.title]  # a sheet per 自评表 follows the tables
    assert len(tables) == len(doc.tables) - len(report_json["notes_data"]["预算绩效"]["自评表"])
    assert [t.title for t in tables] == [f"{t['number']} {t['title']}" for t in report_json["tables"]]
    for table, data in zip(tables, report_json["tables"], strict=True):
        names = [f["name"] for f in data["fields"]]
        kinds = [f["type"] for f in data["fields"]]
        expected = [names] + [
            [expected_text(row[n], k) for n, k in zip(names, kinds, strict=True)] for row in data["rows"]
        ]
        assert texts(table) == expected, table.title
        assert table.where == f"工作表“{table.title}”"
        assert table.preamble == [] and table.footer == []


def test_per_table_download_names_each_cell_by_sheet_and_reference(built_site, report_json):
    data = next(t for t in report_json["tables"] if t["number"] == "公开02表")
    doc = read_excel(built_site / DOWNLOADS / f"{data['id']}.xlsx")
    (table,) = doc.tables
    sheet = f"{data['number']} {data['title']}"
    total = table.rows[1]  # the 合计 row comes first, right under the header
    assert total[1].text == "合计" and total[1].where == f"工作表“{sheet}”B2"
    first_amount = data["fields"][2]["name"]
    assert (
        total[2].text == amount_text(data["rows"][0][first_amount]) and total[2].where == f"工作表“{sheet}”C2"
    )


def test_year_workbook_has_a_sheet_per_table_with_every_unit(built_site):
    doc = read_excel(built_site / paths.year_xlsx(YEAR))
    income = next(t for t in doc.tables if t.title.startswith("公开02表"))
    assert texts(income)[0][:2] == ["单位代码", "单位名称"]
    assert {row[0] for row in texts(income)[1:]} >= {UNIT}
    assert len({t.title for t in doc.tables}) == len(doc.tables)


# ---------------------------------------------------------------- finance-system exports


def test_export_layout_keeps_titles_preamble_merged_headers_and_footer(tmp_path, page_html):
    doc = read_excel(finance_workbook(page_html, tmp_path / "export.xlsx", three_codes=True))
    table = next(t for t in doc.tables if "一般公共预算财政拨款支出决算表" in t.title)
    # The sheet is named after the 表号 only; the title row names the table, the 表号 row is preamble.
    assert table.title == "公开05表 一般公共预算财政拨款支出决算表"
    assert table.where == "工作表“公开05表”A1"
    assert [c.text for c in table.preamble][0] == "公开05表"
    assert any(c.text == "金额单位：万元" for c in table.preamble)
    assert table.footer[0].text.startswith("注：") and table.footer[-1].text == "制表人：李某"
    head, sub = texts(table)[:2]
    # 项目 spans 类/款/项/科目名称, 本年支出 spans its three columns: repeated over what they cover.
    assert head == ["项目"] * 4 + ["本年支出"] * 3
    assert sub == ["类", "款", "项", "科目名称", "小计", "基本支出", "项目支出"]
    rows = texts(table)
    assert ["208", "05", "05", "机关事业单位基本养老保险缴费支出", "34.88", "34.88", "0.00"] in rows
    assert rows[3][:4] == ["", "", "", "合计"]


def test_amounts_as_text_keep_their_separators_and_blank_zeros_stay_blank(tmp_path, page_html):
    as_text = read_excel(finance_workbook(page_html, tmp_path / "text.xlsx", amounts="text"))
    blank = read_excel(finance_workbook(page_html, tmp_path / "blank.xlsx", amounts="blank-zero"))
    total = next(r for r in texts(as_text.tables[2]) if "合计" in r)
    assert total[2:5] == ["1,547.33", "414.54", "1,132.78"]
    blank_total = next(r for r in texts(blank.tables[2]) if "合计" in r)
    assert blank_total[2:5] == ["1547.33", "414.54", "1132.78"] and blank_total[5:] == ["", "", ""]


def test_several_tables_on_one_sheet_are_cut_at_their_titles(tmp_path, page_html):
    doc = read_excel(finance_workbook(page_html, tmp_path / "one.xlsx", one_sheet=True))
    assert len(doc.tables) == 9
    assert doc.tables[1].title == "收入决算表" and doc.tables[1].preamble[0].text == "公开02表"
    assert all(t.where.startswith("工作表“部门决算公开表”A") for t in doc.tables)
    for table in doc.tables:
        assert table.footer and table.footer[0].text.startswith("注："), table.title
        assert not any("注：" in c.text for row in table.rows for c in row), table.title


def test_a_sheet_without_a_title_row_is_named_by_the_sheet(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "收入决算表"
    sheet.append(["科目代码", "科目名称", "本年收入合计"])
    sheet.append(["208", "社会保障和就业支出", 54.34])
    book.save(tmp_path / "plain.xlsx")
    (table,) = read_excel(tmp_path / "plain.xlsx").tables
    assert (table.title, table.where) == ("收入决算表", "工作表“收入决算表”")
    assert texts(table) == [["科目代码", "科目名称", "本年收入合计"], ["208", "社会保障和就业支出", "54.34"]]


@pytest.mark.parametrize(
    ("value", "number_format", "text"),
    [
        (1547.33, "#,##0.00", "1547.33"),
        (0.0, "#,##0.00", "0.00"),
        (1547.3, "0.00", "1547.30"),
        (1547.333, "0.00", "1547.333"),  # more digits than shown: kept, never rounded
        (0.1, "General", "0.1"),
        (12.0, "General", "12"),
        (123456789012.34, "#,##0.00", "123456789012.34"),
        (-5.5, "#,##0.00;[Red]-#,##0.00", "-5.50"),
    ],
)
def test_numeric_cells_give_back_the_stored_digits(value, number_format, text):
    assert number_text(value, number_format) == text


def test_numbers_survive_a_save_and_read_exactly(tmp_path):
    values = [1547.33, 0.07, 2166.0, 123456.78, 0.3]
    book = Workbook()
    book.active.append(values)
    book.save(tmp_path / "n.xlsx")
    (table,) = read_excel(tmp_path / "n.xlsx").tables
    assert texts(table) == [["1547.33", "0.07", "2166", "123456.78", "0.3"]]


def test_xls_workbook_reads_through_calamine(tmp_path):
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("公开02表")
    sheet.write_merge(0, 0, 0, 3, "收入决算表")
    sheet.write_merge(2, 2, 0, 1, "项目")
    sheet.write_merge(2, 3, 2, 2, "本年收入合计")
    sheet.write(3, 0, "科目代码")
    sheet.write(3, 1, "科目名称")
    sheet.write(4, 0, "208")
    sheet.write(4, 1, "社会保障和就业支出")
    sheet.write(4, 2, 54.34)
    sheet.write(5, 0, "210")
    sheet.write(5, 1, "卫生健康支出")
    sheet.write(5, 2, "1,463.22")
    book.save(str(tmp_path / "old.xls"))
    doc = read_excel(tmp_path / "old.xls")
    (table,) = doc.tables
    assert doc.kind == "xls" and table.title == "公开02表 收入决算表"
    assert texts(table) == [
        ["项目", "项目", "本年收入合计"],
        ["科目代码", "科目名称", "本年收入合计"],
        ["208", "社会保障和就业支出", "54.34"],
        ["210", "卫生健康支出", "1,463.22"],
    ]
    assert table.rows[3][2].where == "工作表“公开02表”C6"


def test_whole_amounts_of_an_xls_read_as_amounts_codes_and_line_numbers_as_they_are(tmp_path):
    """An .xls has no number formats: 200 beside 52.18 is an amount (200.00), not the 类 code 200."""
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("公开06表")
    sheet.write(0, 0, "一般公共预算财政拨款基本支出决算明细表")
    for c, heading in enumerate(["科目代码", "科目名称", "行次", "决算数", "科目代码", "科目名称", "决算数"]):
        sheet.write(1, c, heading)
    rows = [
        (301, "工资福利支出", 1, 52.18, 30201, "办公费", 200),
        (30101, "基本工资", 2, 200, 30202, "印刷费", 0),
        (30102, "津贴补贴", 3, 0, 30205, "水费", 1.5),
    ]
    for r, values in enumerate(rows, 2):
        for c, value in enumerate(values):
            sheet.write(r, c, value)
    book.save(str(tmp_path / "whole.xls"))
    (table,) = read_excel(tmp_path / "whole.xls").tables
    assert texts(table)[1:] == [
        ["301", "工资福利支出", "1", "52.18", "30201", "办公费", "200.0"],
        ["30101", "基本工资", "2", "200.00", "30202", "印刷费", "0.0"],
        ["30102", "津贴补贴", "3", "0.00", "30205", "水费", "1.5"],
    ]


def test_an_xls_of_whole_numbers_only_keeps_them_whole(tmp_path):
    """Without a single amount with decimals nothing says a column holds amounts: numbers stay as stored."""
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("公开02表")
    sheet.write(0, 0, "收入决算表")
    sheet.write(1, 0, "科目代码")
    sheet.write(1, 1, "本年收入合计")
    sheet.write(2, 0, 208)
    sheet.write(2, 1, 506)
    book.save(str(tmp_path / "whole.xls"))
    (table,) = read_excel(tmp_path / "whole.xls").tables
    assert texts(table) == [["科目代码", "本年收入合计"], ["208", "506"]]


def test_a_workbook_is_read_by_its_content_not_its_name(tmp_path, built_site):
    misnamed = tmp_path / "收入决算表.xls"
    misnamed.write_bytes((built_site / DOWNLOADS / f"{KIND}-02.xlsx").read_bytes())
    doc = read_excel(misnamed)
    assert doc.kind == "xlsx" and [t.title for t in doc.tables] == ["公开02表 收入决算表"]


# ---------------------------------------------------------------- malformed workbooks


def _encrypted(tmp_path: Path, page_html: str) -> Path:
    import msoffcrypto.format.ooxml

    plain = finance_workbook(page_html, tmp_path / "plain.xlsx")
    target = tmp_path / "locked.xlsx"
    with plain.open("rb") as source, target.open("wb") as out:
        msoffcrypto.format.ooxml.OOXMLFile(source).encrypt("123456", out)
    return target


def test_malformed_workbooks_fail_in_chinese_naming_the_file(tmp_path, page_html):
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(b"this is not a workbook at all\n" * 20)
    truncated = tmp_path / "truncated.xlsx"
    whole = finance_workbook(page_html, tmp_path / "whole.xlsx").read_bytes()
    truncated.write_bytes(whole[: len(whole) // 2])
    empty_sheets = tmp_path / "blank.xlsx"
    Workbook().save(empty_sheets)
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    cases = {
        garbage: "已损坏",
        truncated: "已损坏",
        empty_sheets: "没有任何内容",
        empty: "空文件",
        _encrypted(tmp_path, page_html): "设有打开密码",
    }
    for path, said in cases.items():
        with pytest.raises(ImportFailure) as failure:
            read_excel(path)
        assert said in failure.value.message and str(path) in failure.value.message, failure.value.message


def test_import_command_reports_a_locked_workbook_without_a_traceback(tmp_path, page_html):
    root = copy_portal(tmp_path / "portal")
    locked = _encrypted(tmp_path, page_html)
    run = subprocess.run(
        [
            sys.executable,
            str(REPO / "build.py"),
            "--root",
            str(root),
            "import",
            str(locked),
            "--unit",
            "x-locked",
            "--year",
            "2024",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = run.stdout + run.stderr
    assert run.returncode != 0
    assert "设有打开密码" in output and "locked.xlsx" in output
    assert "Traceback" not in output
    assert not (root / "data" / "x-locked").exists()


# ---------------------------------------------------------------- end to end


@pytest.fixture(scope="module")
def portal(tmp_path_factory) -> MiniPortal:
    return MiniPortal(copy_portal(tmp_path_factory.mktemp("excel-import") / "portal"))


VARIANTS = {
    "export-numbers": {},
    "export-text-three-codes": {"amounts": "text", "three_codes": True},
    "export-blank-zero-one-sheet": {"amounts": "blank-zero", "one_sheet": True},
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_finance_exports_import_to_the_reports_tables(portal, tmp_path, page_html, variant, suffix):
    source = finance_workbook(page_html, tmp_path / f"{variant}.xlsx", **VARIANTS[variant])
    if suffix == ".xls":
        source, variant = as_xls(source, tmp_path / f"{variant}.xls"), f"{variant}-xls"
    output = import_as(portal, source, f"x-{variant}")
    assert "共 0 个错误" in output, output
    found = reports(portal, UNIT, f"x-{variant}")
    assert differences(found[UNIT], found[f"x-{variant}"]) == []


SEED_PAGES = {"jiyuan-ybzx": (2023, "final"), "zhaoyuan-ybj": (2024, "budget")}


@pytest.mark.parametrize("variant", ["export-numbers", "export-blank-zero-one-sheet"])
@pytest.mark.parametrize("unit", sorted(SEED_PAGES))
def test_old_xls_exports_of_seeds_004_and_002_import_whole_amounts(
    portal, built_site, tmp_path, unit, variant
):
    """Seeds 004 and 002 have rows of whole amounts only (506, 106 106 106 0 0): an .xls keeps no
    number format, yet those rows import as amounts, not as 科目代码 or unknown rows."""
    year, kind = SEED_PAGES[unit]
    html = (built_site / "units" / unit / f"{year}-{kind}" / "index.html").read_text(encoding="utf-8")
    source = finance_workbook(html, tmp_path / f"{unit}.xlsx", **VARIANTS[variant])
    source = as_xls(source, tmp_path / f"{unit}.xls")
    name = f"x-xls-{unit}-{variant}"
    output = import_as(portal, source, name, year=year, kind=kind)
    assert "共 0 个错误" in output, output
    assert not [line for line in output.splitlines() if line.startswith("[未导入]") and "王某" not in line], (
        output
    )
    found = reports(portal, unit, name, year=year, kind=kind)
    assert differences(found[unit], found[name]) == []


BUNDLED_REPORTS = sorted(
    (path.parent.name, int(path.stem[:4]), path.stem[5:])
    for path in REPO.glob("data/*/[0-9][0-9][0-9][0-9]-*.yaml")
)


def own_download(built_site: Path, tmp_path: Path, report: tuple[str, int, str], per_table: bool) -> Path:
    """Return a report's workbook, or its per-table workbooks gathered as the sheets of one."""
    unit, year, kind = report
    folder = built_site / paths.report_folder(unit, f"{year}-{kind}")
    if not per_table:
        return folder / "report.xlsx"
    from openpyxl import load_workbook

    book = Workbook()
    book.remove(book.active)
    for path in sorted(folder.glob(f"{kind}-*.xlsx")):
        sheet = load_workbook(path).worksheets[0]
        copy = book.create_sheet(sheet.title)
        for row in sheet.iter_rows():
            for cell in row:
                copy.cell(
                    row=cell.row, column=cell.column, value=cell.value
                ).number_format = cell.number_format
    book.save(tmp_path / "tables.xlsx")
    return tmp_path / "tables.xlsx"


CASES = [(report, per_table) for report in BUNDLED_REPORTS for per_table in (False, True)]
IDS = [f"{u}-{y}-{k}-{'per-table' if p else 'report.xlsx'}" for (u, y, k), p in CASES]


def _imported_own(portal: MiniPortal, built_site: Path, tmp_path: Path, report, per_table: bool):
    """Import a bundled report's own download as a new unit; return (bundled report, imported report)."""
    unit, year, kind = report
    copy = f"x-own-{unit}-{'t' if per_table else 'r'}"
    import_as(portal, own_download(built_site, tmp_path, report, per_table), copy, year, kind)
    found = reports(portal, unit, copy, year=year, kind=kind)
    return found[unit], found[copy]


@pytest.mark.parametrize(("report", "per_table"), CASES, ids=IDS)
def test_export_then_import_is_the_identity(portal, built_site, tmp_path, report, per_table):
    """Each bundled report's own XLSX download imports back into exactly the tables of data/*.yaml."""
    bundled, imported = _imported_own(portal, built_site, tmp_path, report, per_table)
    assert differences(bundled, imported) == []
    if not per_table:  # report.xlsx holds the 绩效自评表 and 绩效目标表 too, 汇总表名称 included
        assert performance(imported) == performance(bundled)


def test_report_workbook_has_a_sheet_per_performance_table(built_site):
    from openpyxl import load_workbook

    folder = built_site / paths.report_folder("jiyuan-ybzx", "2023-final")
    book = load_workbook(folder / "report.xlsx")
    sheets = [s for s in book.worksheets if s.title.startswith("绩效自评表")]
    assert [s.title for s in sheets] == [f"绩效自评表{n}" for n in range(1, 19)]
    first = [[c.value for c in row] for row in sheets[0].iter_rows(max_row=4)]
    assert first[0][0] == "项目支出绩效自评表" and first[1][0] == "2024年09月"
    assert first[2][:2] == ["项目名称", "1-6级伤残军人医疗费超支缺口"]
    budget = load_workbook(built_site / paths.report_folder("zhaoyuan-ybj", "2024-budget") / "report.xlsx")
    assert [s.title for s in budget.worksheets if s.title.startswith("绩效目标表")] == [
        f"绩效目标表{n}" for n in range(1, 8)
    ]


def test_a_performance_sheet_cut_in_the_report_workbook_is_named_not_imported(portal, built_site, tmp_path):
    """A 自评表 sheet whose indicator rows were deleted by hand: that table is named, the others import."""
    from openpyxl import load_workbook

    unit, year, kind = "jiyuan-ybzx", 2023, "final"
    book = load_workbook(built_site / paths.report_folder(unit, f"{year}-{kind}") / "report.xlsx")
    sheet = book["绩效自评表2"]
    name = sheet["B3"].value
    header = next(r[0].row for r in sheet.iter_rows() if r[0].value == "一级指标")
    total = next(r[0].row for r in sheet.iter_rows() if r[0].value == "总分")
    sheet.delete_rows(header, total - header)
    book.save(tmp_path / "cut.xlsx")
    output = import_as(portal, tmp_path / "cut.xlsx", "x-own-cut", year, kind)
    (line,) = [x for x in output.splitlines() if x.startswith("[未导入]")]
    assert f"绩效自评表“{name}”没能读全" in line and "工作表“绩效自评表2”" in line, output
    found = reports(portal, unit, "x-own-cut", year=year, kind=kind)
    assert [t.name for t in found["x-own-cut"].self_evaluations] == [
        t.name for t in found[unit].self_evaluations if t.name != name
    ]


@pytest.mark.parametrize(
    ("text", "title", "number", "preamble", "footer"),
    [
        ("公开02表", True, True, True, False),
        ("收入决算表", True, False, False, False),
        ("公开05表 一般公共预算财政拨款支出决算表", True, False, False, False),
        ("表三 支出总体情况表（2024年度）", True, False, False, False),
        ("一、收入决算表", False, False, False, False),  # a line of the contents, not a title
        ("注：本表反映部门本年度取得的各项收入情况。", False, False, False, True),
        ("部门：济南市市中区医疗保障局", False, False, True, False),
        ("金额单位：万元", False, False, True, False),
        ("单位负责人：王某", False, False, False, True),
        ("科目名称", False, False, False, False),
    ],
)
def test_lines_around_tables_are_told_apart_by_their_text(text, title, number, preamble, footer):
    from disclosure.importing.grid import is_footer_start, is_preamble, is_table_number, is_title

    assert (is_title(text), is_table_number(text), is_preamble(text), is_footer_start(text)) == (
        title,
        number,
        preamble,
        footer,
    )
