"""Open data: every CSV, XLSX and JSON download equals the model's tables; links resolve; builds repeat.

The bundled portal is built once into a temporary folder; the values are compared with the exact
Decimals of report.tables (every row, every column), read back from each format independently.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from posixpath import normpath
from typing import Any

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from disclosure.cli import main
from disclosure.config import load_config
from disclosure.model import Portal, Report
from disclosure.opendata import paths
from disclosure.opendata.rows import AMOUNT, TEXT, Field, TableData
from disclosure.opendata.texts import table_texts
from disclosure.opendata.xlsx import Workbook
from disclosure.pipeline import load_and_check
from disclosure.profile import Column
from disclosure.synthetic import generate
from disclosure.tables import Table

REPO = Path(__file__).resolve().parents[1]
BOM = b"\xef\xbb\xbf"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def build(root: Path, out: Path, *flags: str) -> Path:
    assert main(["--root", str(root), "build", "--out", str(out), *flags]) == 0
    return out


def downloads(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted((site / "downloads").rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(REPO, tmp_path_factory.mktemp("opendata") / "site")


@pytest.fixture(scope="module")
def portal() -> Portal:
    checked = load_and_check(REPO, load_config(REPO))
    assert not checked.problems.has_errors()
    return checked.portal


@pytest.fixture(scope="module")
def reports(portal: Portal) -> list[Report]:
    found = portal.reports
    assert {("jinan-shizhong-ybj", 2024), ("jiyuan-ybzx", 2023)} <= {(r.unit_id, r.year) for r in found}
    return found


# ---------------------------------------------------------------- the model's values, and each format's


def amount_keys(table: Table) -> list[str]:
    """The amount columns in file order (two-sided tables: every column of either side, once)."""
    definition = table.definition
    keys: list[str] = []
    for column in definition.all_columns():
        if column.key not in keys:
            keys.append(column.key)
    return keys


def expected(table: Table) -> dict[tuple[Any, str], Decimal]:
    """Every amount of the model's table, keyed by (row, column key), in printed row order."""
    definition = table.definition
    cells: dict[tuple[Any, str], Decimal] = {}
    if definition.layout == "balance":
        for side in definition.sides:
            for row in side.rows:
                if row.label:
                    for column in side.columns:
                        cells[(row.line, column.key)] = table.lines[row.line][column.key].value
    elif definition.layout == "record":
        for record in definition.records:
            for column in definition.columns:
                cells[(record, column.key)] = table.records[record][column.key].value
    elif definition.layout == "economic":
        key = definition.columns[0].key
        for row in table.rows:
            cells[(row.code, key)] = row.cells[key].value
        for name, cell in table.subtotals.items():
            cells[(name, key)] = cell.value
    elif definition.layout == "paired":
        assert table.total is not None
        for row in [table.total, *table.rows]:
            name = "合计" if row is table.total else (row.code, row.code2)
            for column in definition.columns:
                cells[(name, column.key)] = row.cells[column.key].value
    else:  # subject; items (projects) are keyed by name, and the 合计 row's code is 合计 too
        assert table.total is not None
        for row in [table.total, *table.rows]:
            for column in definition.columns:
                cells[(row.code, column.key)] = row.cells[column.key].value
    return cells


TEXT_COLUMNS = {"balance": 4, "record": 1, "economic": 2, "subject": 2, "paired": 4, "items": 2}


def read_rows(
    table: Table, header: list[Any], rows: list[list[Any]], number: Any
) -> dict[tuple[Any, str], Any]:
    """Read amounts back from a file's rows into the same (row, column key) form; blanks are skipped."""
    layout = table.definition.layout
    texts = TEXT_COLUMNS[layout]
    keys = amount_keys(table)
    assert len(header) == texts + len(keys)
    cells: dict[tuple[Any, str], Decimal] = {}
    for row in rows:
        assert len(row) <= len(header)
        row = list(row) + [None] * (len(header) - len(row))
        if layout == "balance":
            name = int(row[2])
        elif layout == "record":
            name = row[0]
        elif layout == "economic":
            name = row[0] or row[1]
        elif layout == "paired":
            name = (row[0], row[2]) if row[0] else ("合计" if row[1] == "合计" else None)
        elif layout == "items":
            name = row[0]
        else:
            name = row[0] or ("合计" if row[1] == "合计" else None)
        for key, value in zip(keys, row[texts:], strict=True):
            if value in (None, ""):
                continue
            assert (name, key) not in cells, f"{table.definition.number}: {name} {key} twice"
            cells[(name, key)] = number(value)
    return cells


def headers(table: Table, kind: str) -> list[str]:
    """The official headings each file must start with (before the amount columns)."""
    code = "科目编码" if kind == "budget" else "科目代码"  # as each kind of document prints it
    return {
        "balance": ["收支", "项目", "行次", code],
        "record": ["项目"],
        "economic": [code, "科目名称"],
        "subject": [code, "科目名称"],
        "paired": [
            f"部门预算支出经济分类{code}",
            "部门预算支出经济分类科目名称",
            f"政府预算支出经济分类{code}",
            "政府预算支出经济分类科目名称",
        ],
        "items": ["项目名称", "项目类别"],
    }[table.definition.layout]


def report_dir(site: Path, report: Report) -> Path:
    return site / paths.report_folder(report.unit_id, report.slug)


def sheet_rows(sheet) -> tuple[list[Any], list[list[Any]]]:
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    return rows[0], rows[1:]


def xlsx_amount(value: Any) -> Decimal:
    assert isinstance(value, (int, float)), value
    return Decimal(repr(value))


# ---------------------------------------------------------------- CSV, XLSX, JSON equal the tables


def test_every_table_csv_equals_the_model(site: Path, reports: list[Report]):
    for report in reports:
        for definition in report.profile.tables:
            table = report.tables[definition.number]
            raw = (report_dir(site, report) / f"{definition.id}.csv").read_bytes()
            assert raw.startswith(BOM), definition.id
            assert b"\r\n" in raw
            lines = list(csv.reader(io.StringIO(raw[len(BOM) :].decode("utf-8"), newline="")))
            header, rows = lines[0], lines[1:]
            assert header[: len(headers(table, report.kind))] == headers(table, report.kind)
            assert read_rows(table, header, rows, Decimal) == expected(table), definition.id
            for row in rows:  # amounts print with two decimals (exactly)
                for text in row[TEXT_COLUMNS[definition.layout] :]:
                    assert text == "" or re.fullmatch(r"-?\d+\.\d{2,}", text), text


def finals(reports: list[Report]) -> list[Report]:
    return [r for r in reports if r.kind == "final"]


def test_subject_tables_keep_codes_as_text_and_the_total_first(site: Path, reports: list[Report]):
    for report in finals(reports):
        table = report.tables["公开02表"]
        raw = (report_dir(site, report) / "final-02.csv").read_bytes()[len(BOM) :].decode("utf-8")
        rows = list(csv.reader(io.StringIO(raw, newline="")))
        assert rows[0] == [
            "科目代码",
            "科目名称",
            "本年收入合计",
            "财政拨款收入",
            "上级补助收入",
            "事业收入",
            "经营收入",
            "附属单位上缴收入",
            "其他收入",
        ]
        assert rows[1][:2] == ["", "合计"]
        assert [r[0] for r in rows[2:]] == [r.code for r in table.rows]
        assert [r[1] for r in rows[2:]] == [r.name for r in table.rows]
    header = (
        (report_dir(site, finals(reports)[0]) / "final-07.csv")
        .read_bytes()[len(BOM) :]
        .decode("utf-8")
        .splitlines()[0]
    )
    assert header.split(",") == [
        "科目代码",
        "科目名称",
        "年初结转和结余",
        "本年收入",
        "本年支出小计",
        "本年支出基本支出",
        "本年支出项目支出",
        "年末结转和结余",
    ]


def test_balance_tables_keep_income_and_spending_apart(site: Path, reports: list[Report]):
    report = finals(reports)[0]
    raw = (report_dir(site, report) / "final-04.csv").read_bytes()[len(BOM) :].decode("utf-8")
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    assert rows[0] == [
        "收支",
        "项目",
        "行次",
        "科目代码",
        "金额",
        "合计",
        "一般公共预算财政拨款",
        "政府性基金预算财政拨款",
        "国有资本经营预算财政拨款",
    ]
    income = [r for r in rows[1:] if r[0] == "收入"]
    spending = [r for r in rows[1:] if r[0] == "支出"]
    assert income and spending and len(income) + len(spending) == len(rows) - 1
    assert all(r[5:] == ["", "", "", ""] for r in income) and all(r[4] == "" for r in spending)
    assert next(r for r in spending if r[2] == "40")[:4] == ["支出", "八、社会保障和就业支出", "40", "208"]


def test_economic_table_lists_subtotals_last(site: Path, reports: list[Report]):
    for report in finals(reports):
        raw = (report_dir(site, report) / "final-06.csv").read_bytes()[len(BOM) :].decode("utf-8")
        rows = list(csv.reader(io.StringIO(raw, newline="")))
        assert rows[0] == ["科目代码", "科目名称", "金额"]
        assert [r[1] for r in rows[-2:]] == ["人员经费合计", "公用经费合计"]


def test_every_table_xlsx_equals_the_model(site: Path, reports: list[Report]):
    for report in reports:
        whole = load_workbook(report_dir(site, report) / "report.xlsx")
        # The tables' sheets, then a sheet per 绩效自评表 and 绩效目标表.
        performance = [f"绩效自评表{n}" for n in range(1, len(report.self_evaluations) + 1)]
        performance += [f"绩效目标表{n}" for n in range(1, len(report.targets) + 1)]
        assert whole.sheetnames[len(report.profile.tables) :] == performance
        tables = whole.sheetnames[: len(report.profile.tables)]
        for definition, name in zip(report.profile.tables, tables, strict=True):
            table = report.tables[definition.number]
            assert name.startswith(definition.number)
            book = load_workbook(report_dir(site, report) / f"{definition.id}.xlsx")
            assert len(book.sheetnames) == 1
            for sheet in (book.active, whole[name]):
                header, rows = sheet_rows(sheet)
                assert header[: len(headers(table, report.kind))] == headers(table, report.kind)
                assert read_rows(table, header, rows, xlsx_amount) == expected(table), definition.id
                texts = TEXT_COLUMNS[definition.layout]
                for cells in sheet.iter_rows(min_row=2):
                    for cell in cells[texts:]:
                        if cell.value is not None:
                            assert cell.data_type == "n" and cell.number_format == "#,##0.00"
                    for heading, cell in zip(header, cells, strict=False):
                        if ("代码" in heading or "编码" in heading) and cell.value is not None:
                            assert isinstance(cell.value, str) and cell.value.isdigit()  # 2080505 stays text


def test_xlsx_amounts_are_the_exact_decimal_text(site: Path, reports: list[Report]):
    """The <v> of every amount cell is the Decimal's text, not a float's."""
    for report in finals(reports):
        table = report.tables["公开02表"]
        with zipfile.ZipFile(report_dir(site, report) / "final-02.xlsx") as archive:
            xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
        values = re.findall(r'<c r="C(\d+)" s="3"><v>([^<]*)</v>', xml)
        assert [Decimal(v) for _, v in values] == [
            r.cells["本年收入合计"].value for r in [table.total, *table.rows]
        ]
    book = Workbook("精度", paths.FIXED_TIME)
    data = TableData(
        "t",
        "公开02表",
        "收入决算表",
        "subject",
        "function",
        [Field("科目代码", TEXT, "code"), Field("金额", AMOUNT, "金额")],
        [["2080505", Decimal("123456789012345.67")], ["2080506", Decimal("0.1")]],
    )
    sheet = book.sheet("精度", [10, 16])
    sheet.text_columns(table_texts(data).book, [f.type for f in data.fields])  # as add_sheet writes rows
    with zipfile.ZipFile(io.BytesIO(book.to_bytes())) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<v>123456789012345.67</v>" in xml and "<v>0.10</v>" in xml
    assert '<c r="A1" s="2" t="inlineStr"><is><t>2080505</t></is></c>' in xml


def test_report_json_equals_the_model(site: Path, reports: list[Report]):
    for report in reports:
        document = json.loads((report_dir(site, report) / "report.json").read_text(encoding="utf-8"))
        assert document["unit"]["id"] == report.unit_id and document["year"] == report.year
        assert document["kind"] == report.kind and document["title"] == report.title
        assert document["figures"] == {k: str(v) for k, v in report.figures.items()}
        assert [t["number"] for t in document["tables"]] == [t.number for t in report.profile.tables]
        for item in document["tables"]:
            table = report.tables[item["number"]]
            names = [f["name"] for f in item["fields"]]
            rows = [[row[n] for n in names] for row in item["rows"]]
            assert read_rows(table, names, rows, Decimal) == expected(table), item["id"]
            # Amounts are strings, exactly as the Decimal prints: compare the text too.
            strings = read_rows(table, names, rows, str)
            assert strings == {k: str(v) for k, v in expected(table).items()}
        notes = document["notes_data"]
        assert notes["政府采购"] == {k: str(c.value) for k, c in report.procurement.items()}
        assert notes["国有资产"]["车辆"] == report.vehicles
        assert len(notes["预算绩效"]["自评项目"]) == len(report.projects)


def test_json_is_sorted_and_deterministic(site: Path, reports: list[Report]):
    for report in reports:
        text = (report_dir(site, report) / "report.json").read_text(encoding="utf-8")
        assert (
            text
            == json.dumps(json.loads(text), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
        )


# ---------------------------------------------------------------- the year files


def test_year_workbook_has_a_sheet_per_table_with_every_report(
    site: Path, portal: Portal, reports: list[Report]
):
    for year in {r.year for r in reports}:
        of_year = sorted((r for r in reports if r.year == year), key=lambda r: r.unit_id)
        book = load_workbook(site / paths.year_xlsx(year))
        kinds = {(r.profile.id, t.id) for r in of_year for t in r.profile.tables}
        assert len(book.sheetnames) == len(kinds)  # a sheet per table type of the year
        for report in of_year:
            unit = portal.unit(report.unit_id)
            assert unit is not None
            for definition in report.profile.tables:
                header, rows = sheet_rows(book[f"{definition.number} {definition.title}"[:31]])
                assert header[:2] == ["单位代码", "单位名称"]
                assert [r[0] for r in rows] == sorted(r[0] for r in rows)  # unit by unit
                sharing = {r.unit_id for r in of_year if r.profile.id == report.profile.id}
                assert {r[0] for r in rows} == sharing  # every report of the year with this table
                mine = [r[2:] for r in rows if r[0] == report.unit_id]
                assert {r[1] for r in rows if r[0] == report.unit_id} == {unit.name}
                assert read_rows(report.tables[definition.number], header[2:], mine, xlsx_amount) == expected(
                    report.tables[definition.number]
                )


def test_datapackage_lists_existing_typed_resources(site: Path, reports: list[Report]):
    for report in reports:
        path = site / paths.year_datapackage(report.year)
        package = json.loads(path.read_text(encoding="utf-8"))
        assert package["fiscalPeriod"] == {"start": f"{report.year}-01-01", "end": f"{report.year}-12-31"}
        assert package["profile"] == "fiscal-data-package"
        resources = {r["name"]: r for r in package["resources"]}
        of_year = [r for r in reports if r.year == report.year]
        assert len(resources) == len(package["resources"]) == sum(len(r.profile.tables) for r in of_year)
        for resource in package["resources"]:
            assert re.fullmatch(r"[-a-z0-9._/]+", resource["name"])
            # Inside the package folder: relative, no "../" (Frictionless, Fiscal Data Package).
            assert not resource["path"].startswith("/") and ".." not in resource["path"].split("/")
            assert (path.parent / resource["path"]).resolve().is_relative_to(path.parent.resolve())
            target = (path.parent / resource["path"]).resolve()
            assert target.is_file(), resource["path"]
            header = next(csv.reader(io.StringIO(target.read_bytes()[len(BOM) :].decode("utf-8"))))
            assert [f["name"] for f in resource["schema"]["fields"]] == header
            assert {f["type"] for f in resource["schema"]["fields"]} <= {"string", "integer", "number"}
        layouts = {
            f"{r.unit_id}.{r.slug}.{t.id}": (r.kind, t.layout) for r in of_year for t in r.profile.tables
        }
        phases = {"final": ("executed", "决算"), "budget": ("approved", "预算")}
        for measure in package["model"]["measures"].values():
            fields = {f["name"]: f["type"] for f in resources[measure["resource"]]["schema"]["fields"]}
            assert fields[measure["source"]] == "number"
            assert measure["currency"] == "CNY" and measure["factor"] == 10000
            kind, layout = layouts[measure["resource"]]
            if layout != "record":  # 三公 tables hold 预算数 and 决算数 rows: no single phase
                assert (measure["phase"], measure["phaseLabel"]) == phases[kind]
        kinds = set()
        for dimension in package["model"]["dimensions"].values():
            kinds.add(dimension.get("classificationType"))
            for attribute in dimension["attributes"].values():
                fields = {f["name"] for f in resources[attribute["resource"]]["schema"]["fields"]}
                assert "constant" in attribute or attribute["source"] in fields
        assert {"functional", "economic"} <= kinds
        if report.kind == "final":
            measure = package["model"]["measures"][f"{report.unit_id}.{report.slug}.final-02:本年收入合计"]
            assert measure["direction"] == "revenue"


# ---------------------------------------------------------------- links


def _links(site: Path, page: str) -> list[Any]:
    soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    return [a for a in soup.find_all("a", href=True) if "downloads/" in a["href"]]


def _target(page: str, href: str) -> str:
    assert not href.startswith(("/", "http")), href  # relative: any sub-path, and from disk
    return normpath(str(Path(page).parent / href))


def test_page_links_resolve_to_the_files(site: Path, reports: list[Report]):
    for report in reports:
        page = f"units/{report.unit_id}/{report.slug}/index.html"
        links = _links(site, page)
        assert len(links) == 2 * len(report.profile.tables) + 2
        for link in links:
            assert (site / _target(page, link["href"])).is_file(), link["href"]
            label = link["aria-label"]
            assert label.startswith("下载") and link.get_text(strip=True) in label
        soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
        for definition in report.profile.tables:
            section = soup.find("section", id=definition.id)
            names = [a["aria-label"] for a in section.select(".downloads a")]
            assert names == [
                f"下载{definition.number} {definition.title} CSV",
                f"下载{definition.number} {definition.title} XLSX",
            ]
        year_page = f"years/{report.year}/index.html"
        targets = {_target(year_page, a["href"]) for a in _links(site, year_page)}
        assert targets == {paths.year_xlsx(report.year), paths.year_datapackage(report.year)}
        assert all((site / t).is_file() for t in targets)


# ---------------------------------------------------------------- determinism


def test_two_builds_write_byte_identical_downloads(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    again = build(REPO, tmp_path / "again")
    assert downloads(again) == downloads(site)
    for path in (again / "downloads").rglob("*.xlsx"):
        with zipfile.ZipFile(path) as archive:
            assert {i.date_time for i in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
            core = archive.read("docProps/core.xml").decode("utf-8")
        assert core.count("2000-01-01T00:00:00Z") == 2


def test_source_date_epoch_dates_the_workbooks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01
    first = build(REPO, tmp_path / "a")
    second = build(REPO, tmp_path / "b")
    assert downloads(first) == downloads(second)
    book = load_workbook(first / paths.year_xlsx(2024))
    assert book.properties.created == book.properties.modified == dt.datetime(2025, 1, 1)
    with zipfile.ZipFile(first / paths.year_xlsx(2024)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2025, 1, 1, 0, 0, 0)}


# ---------------------------------------------------------------- incremental builds, several reports a year


def _inodes(site: Path) -> dict[str, int]:
    return {
        p.relative_to(site).as_posix(): p.stat().st_ino
        for p in (site / "downloads").rglob("*")
        if p.is_file()
    }


def test_incremental_builds_carry_downloads_over_and_equal_a_full_build(tmp_path: Path):
    root = tmp_path / "portal"
    generate(REPO, root, 12, years_per_unit=3)
    site = build(root, tmp_path / "site")
    checked = load_and_check(root, load_config(root))
    by_year: dict[int, list[Report]] = {}
    for report in checked.portal.reports:
        if report.kind == "final":  # the synthetic portal also has 预算 (their sheets follow the 决算 ones)
            by_year.setdefault(report.year, []).append(report)
    year = max(by_year, key=lambda y: len(by_year[y]))
    assert len(by_year[year]) > 1
    book = load_workbook(site / paths.year_xlsx(year))
    tables = by_year[year][0].profile.tables
    for definition, name in zip(tables, book.sheetnames[: len(tables)], strict=True):
        header, rows = sheet_rows(book[name])
        assert {r[0] for r in rows} == {r.unit_id for r in by_year[year]}
        for report in by_year[year]:
            table = report.tables[definition.number]
            mine = [r[2:] for r in rows if r[0] == report.unit_id]
            assert read_rows(table, header[2:], mine, xlsx_amount) == expected(table)

    # A prose edit: the report's files come out the same, so they and the year files are kept.
    before = _inodes(site)
    prose = next(p for p in sorted((root / "content").glob("unit-*/20*-final.md")))
    unit_id, slug = prose.parent.name, prose.stem
    prose.write_text(prose.read_text(encoding="utf-8") + "\n新增的原因说明。\n", encoding="utf-8")
    build(root, site)
    assert _inodes(site) == before

    # A data edit: that report's files and its year's files are rewritten, nothing else.
    data = root / "data" / unit_id / f"{slug}.yaml"
    text = data.read_text(encoding="utf-8")
    if re.search(r"^名称:", text, re.M):
        text = re.sub(r"^名称:.*$", "名称: 改过名称的报告", text, count=1, flags=re.M)
    else:
        text = re.sub(r"^表:", "名称: 改过名称的报告\n表:", text, count=1, flags=re.M)
    data.write_text(text, encoding="utf-8")
    build(root, site)
    after = _inodes(site)
    rewritten = {p for p in after if before.get(p) != after[p]}
    edited_year = int(slug[:4])
    folder = paths.report_folder(unit_id, slug) + "/"
    outside = rewritten - {paths.year_xlsx(edited_year), paths.year_datapackage(edited_year)}
    # Only this report's files that changed (the title is in the JSON and the workbooks, not the CSVs).
    assert paths.report_json(unit_id, slug) in outside and all(p.startswith(folder) for p in outside)
    assert not any(p.endswith(".csv") for p in outside)
    assert {paths.year_xlsx(edited_year), paths.year_datapackage(edited_year)} <= rewritten
    assert (
        json.loads((site / paths.report_json(unit_id, slug)).read_text(encoding="utf-8"))["title"]
        == "改过名称的报告"
    )
    full = build(root, tmp_path / "full", "--full")
    assert downloads(site) == downloads(full)


def test_heading_makes_split_labels_whole():
    from disclosure.opendata.rows import heading

    assert heading(Column("本年支出小计", "小计")) == "本年支出小计"
    assert heading(Column("公务用车购置及运行维护费", "小计")) == "公务用车购置及运行维护费小计"
    assert heading(Column("决算数", "金额")) == "金额"
    assert heading(Column("财政拨款收入", "财政拨款收入")) == "财政拨款收入"


def test_csv_text_cells_never_become_spreadsheet_formulas():
    from disclosure.opendata.report import csv_bytes

    names = ['=HYPERLINK("http://x","y")', "@SUM(A1)", "社会保障和就业支出"]
    data = TableData(
        "t", "公开02表", "收入决算表", "subject", "function",
        [Field("科目名称", TEXT, "name"), Field("金额", AMOUNT, "金额")],
        [[name, Decimal("-1.50")] for name in names],
    )  # fmt: skip
    rows = list(csv.reader(io.StringIO(csv_bytes(data).decode("utf-8-sig"))))[1:]
    assert rows[0][0] == '\'=HYPERLINK("http://x","y")'
    assert rows[1][0] == "'@SUM(A1)"
    assert rows[2][0] == "社会保障和就业支出"
    assert all(row[1] == "-1.50" for row in rows)  # amounts stay numbers
