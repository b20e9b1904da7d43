"""CSV downloads (UTF-8 with a BOM, one table per file) import back: a folder or a .zip of a report's
CSVs gives exactly the tables of data/*.yaml; a single CSV is its one table.

The CSVs are the bundled portal's own downloads (downloads/<unit>/<year>-<kind>/<table id>.csv).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from helpers import REPO, MiniPortal, copy_portal
from tools.imports import differences, reports

from disclosure.importing.csvfile import read_csv
from disclosure.importing.read import read_source
from disclosure.importing.source import ImportFailure
from disclosure.opendata.rows import amount_text

BUNDLED_REPORTS = sorted(
    (path.parent.name, int(path.stem[:4]), path.stem[5:])
    for path in REPO.glob("data/*/[0-9][0-9][0-9][0-9]-*.yaml")
)
IDS = ["-".join(map(str, r)) for r in BUNDLED_REPORTS]


def folder_of(site: Path, report: tuple[str, int, str]) -> Path:
    unit, year, kind = report
    return site / f"downloads/{unit}/{year}-{kind}"


def zip_of(folder: Path, target: Path) -> Path:
    """Zip a report's CSV files inside a folder of the zip, as a user would pack them."""
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.write(path, f"{folder.name}/{path.name}")
    return target


@pytest.fixture(scope="module")
def portal(tmp_path_factory) -> MiniPortal:
    return MiniPortal(copy_portal(tmp_path_factory.mktemp("csv-import") / "portal"))


@pytest.mark.parametrize("packed", ["folder", "zip"])
@pytest.mark.parametrize("report", BUNDLED_REPORTS, ids=IDS)
def test_a_reports_csv_downloads_import_back_exactly(portal, built_site, tmp_path, report, packed):
    unit, year, kind = report
    source = folder_of(built_site, report)
    if packed == "zip":
        source = zip_of(source, tmp_path / f"{unit}.zip")
    copy = f"x-csv-{packed}-{unit}"
    result = portal.cli("import", str(source), "--unit", copy, "--year", str(year), "--kind", kind)
    assert "Traceback" not in result.output
    assert "共 0 个错误" in result.output and "0 处原文内容未导入" in result.output, result.output
    found = reports(portal, unit, copy, year=year, kind=kind)
    assert differences(found[unit], found[copy]) == []
    assert set(found[copy].tables) == set(found[unit].tables)


def test_one_csv_is_its_table_cell_for_cell(built_site):
    folder = folder_of(built_site, BUNDLED_REPORTS[0])
    data = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    for table in data["tables"]:
        doc = read_source(folder / f"{table['id']}.csv")
        assert doc.kind == "csv"
        (found,) = doc.tables
        assert found.title == f"{table['number']} {table['title']}"
        names = [f["name"] for f in table["fields"]]
        kinds = [f["type"] for f in table["fields"]]
        expected = [names] + [
            [
                "" if row[n] is None else amount_text(row[n]) if k == "number" else str(row[n])
                for n, k in zip(names, kinds, strict=True)
            ]
            for row in table["rows"]
        ]
        assert [[c.text for c in row] for row in found.rows] == expected
        assert found.rows[1][0].where == "第 2 行第 1 列"


def test_a_csv_named_by_its_title_and_saved_by_excel_in_gbk_reads(tmp_path):
    path = tmp_path / "公开02表 收入决算表.csv"
    text = '科目代码,科目名称,本年收入合计\r\n,合计,"1,547.33"\r\n208,\'=社会保障,12.00\r\n'
    path.write_bytes(text.encode("gb18030"))
    (table,) = read_csv(path).tables
    assert table.title == "公开02表 收入决算表"
    assert [[c.text for c in row] for row in table.rows] == [
        ["科目代码", "科目名称", "本年收入合计"],
        ["", "合计", "1,547.33"],
        ["208", "=社会保障", "12.00"],  # the ' that kept a spreadsheet from running it is dropped
    ]


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda d: d, "没有 .csv 文件"),  # an empty folder
        (lambda d: _write(d / "empty.csv", b"\xef\xbb\xbf"), "没有任何内容"),
        (lambda d: _write(d / "bad.csv", b"\xff\xfe\x00\xd8\x00\xdc" * 3), "编码无法识别"),
        (lambda d: _zip(d / "notes.zip", {"readme.txt": "说明"}), "没有 .csv 文件"),
        (lambda d: _write(d / "broken.zip", b"PK\x03\x04broken"), "无法读取"),
    ],
    ids=["empty-folder", "empty-csv", "undecodable", "zip-without-csv", "broken-zip"],
)
def test_unreadable_csv_sources_fail_in_chinese_naming_them(tmp_path, make, said):
    folder = tmp_path / "source"
    folder.mkdir()
    source = make(folder)
    with pytest.raises(ImportFailure) as caught:
        read_source(source)
    assert said in caught.value.message and source.name in caught.value.message


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path
