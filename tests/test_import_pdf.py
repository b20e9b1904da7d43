"""The PDF reader: our own report page printed and hand-made layouts, read back; imports equal the data.

The PDFs are printed here by headless Debian Chromium from the built report page (tools/pdfs.py):
the page itself, a ruled layout (类/款/项 columns, 科目名称 wrapped over two lines, tables split over
small pages with the header repeated) and a layout without any lines. Reader tests check that every
row of every table on the page comes back as printed, in order; end-to-end tests run `import` and
compare with the bundled report. Encrypted, scanned, empty, truncated and non-PDF files must give a
Chinese message naming the file, never a traceback.
"""

from __future__ import annotations

import copy
import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import MiniPortal, copy_portal
from tools.imports import BUNDLED, REPORT_PAGE, differences, import_as, reports
from tools.pdfs import (
    HEAD_AND_FOOT,
    RUNNING_HEAD,
    chromium_browser,
    encrypt_pdf,
    print_pdf,
    report_tables,
    ruled_html,
    scanned_html,
    table_parts,
    three_code_columns,
    unruled_html,
)
from tools.portal import in_ci

from disclosure.importing.glyphs import restore
from disclosure.importing.pdf import read_pdf
from disclosure.importing.source import ImportFailure, SourceDocument, SourceTable

REPO = Path(__file__).resolve().parents[1]
UNIT = BUNDLED[0]
SMALL_PAGE = {
    "format": "A5",
    "margin": {"top": "16mm", "bottom": "16mm", "left": "10mm", "right": "10mm"},
    **HEAD_AND_FOOT,
}
WIDE_PAGE = {
    "format": "A4",
    "landscape": True,
    "margin": {"top": "12mm", "bottom": "12mm", "left": "12mm", "right": "12mm"},
}
LAYOUTS = ("report", "ruled", "unruled", "unruled-wrapped")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Headless Debian Chromium (skipped when absent, a failure under CI=true), as tests/browser does."""
    with chromium_browser() as browser:
        yield browser


@pytest.fixture(scope="module")
def page_html(built_site: Path) -> str:
    return (built_site / REPORT_PAGE).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def pdfs(chromium, built_site: Path, page_html: str, tmp_path_factory) -> dict[str, Path]:
    """Every PDF fixture, printed once per module."""
    folder = tmp_path_factory.mktemp("pdfs")
    made = {
        "report": print_pdf(
            chromium, folder / "report.pdf", url=(built_site / REPORT_PAGE).as_uri(), format="A4"
        ),
        "ruled": print_pdf(chromium, folder / "ruled.pdf", html=ruled_html(page_html), **SMALL_PAGE),
        "unruled": print_pdf(chromium, folder / "unruled.pdf", html=unruled_html(page_html), **WIDE_PAGE),
        "unruled-wrapped": print_pdf(
            chromium, folder / "wrapped.pdf", html=unruled_html(page_html, wrap_names=True), **WIDE_PAGE
        ),
        "scanned": print_pdf(chromium, folder / "scanned.pdf", html=scanned_html(), format="A4"),
    }
    made["encrypted"] = encrypt_pdf(made["ruled"], folder / "encrypted.pdf")
    return made


@pytest.fixture(scope="module")
def documents(pdfs: dict[str, Path]) -> dict[str, SourceDocument]:
    return {layout: read_pdf(pdfs[layout]) for layout in LAYOUTS}


# ---------------------------------------------------------------- what the page prints


def printed_rows(table: Any) -> list[list[str]]:
    """Return the body rows of an HTML table as printed: a merged cell's text in its first column."""
    rows = []
    for tr in table.select("tbody tr, tfoot tr"):
        row: list[str] = []
        for cell in tr.find_all(["th", "td"], recursive=False):
            row += [cell.get_text(strip=True)] + [""] * (int(cell.get("colspan", 1)) - 1)
        rows.append(row)
    return rows


def expected_tables(page_html: str, layout: str) -> list[tuple[str, str, list[list[str]]]]:
    """Return (表号, title, body rows) of each table on the page, as the layout prints it."""
    found = []
    for section in report_tables(page_html):
        number, title, _, table, _ = table_parts(section)
        if layout == "ruled":
            table = copy.copy(table)
            three_code_columns(table)
        found.append((number, title, printed_rows(table)))
    return found


def is_subsequence(wanted: list[list[str]], rows: list[list[str]]) -> bool:
    found = iter(rows)
    return all(any(row == want for row in found) for want in wanted)


def texts(table: SourceTable) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows]


def found_table(doc: SourceDocument, number: str, title: str) -> SourceTable:
    matches = [
        t
        for t in doc.tables
        if t.title.endswith(title) and (number in t.title or number in [c.text for c in t.preamble])
    ]
    assert len(matches) == 1, f"{number} {title}: {[t.title for t in doc.tables]}"
    return matches[0]


# ---------------------------------------------------------------- the reader


@pytest.mark.browser
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_printed_row_comes_back_in_order(documents, page_html, layout):
    doc = documents[layout]
    assert doc.kind == "pdf"
    for number, title, rows in expected_tables(page_html, layout):
        table = found_table(doc, number, title)
        assert is_subsequence(rows, texts(table)), f"{layout} {number}:\n{rows}\n---\n{texts(table)}"
        assert table.footer and table.footer[0].text.startswith("注："), f"{layout} {number}"
        assert any(c.text.startswith("部门：") for c in table.preamble), f"{layout} {number}"


@pytest.mark.browser
def test_ruled_layout_wraps_names_and_splits_tables_over_pages(documents, pdfs):
    import pdfplumber

    with pdfplumber.open(pdfs["ruled"]) as pdf:
        first_page = restore(pdf.pages[0].extract_text())
    # In the PDF the long name is printed on two lines; read back, it is one cell.
    assert "一、一般公共预算财政拨款收入" not in first_page.replace(" ", "")
    total = found_table(documents["ruled"], "公开01表", "收入支出决算总表")
    assert ["一、一般公共预算财政拨款收入", "1", "1,547.33", "一、一般公共服务支出", "32", "0.00"] in texts(
        total
    )
    # Split over two pages: both pages' rows, the header repeated at the top of the second.
    pages = {c.where.split("页")[0] for row in total.rows for c in row}
    assert len(pages) == 2, pages
    assert [row[0] for row in texts(total)].count("栏次") == 2
    assert texts(total)[0] == ["收入"] * 3 + ["支出"] * 3  # the merged group headings, repeated
    assert total.rows[3][2].where == "第 1 页表格第 4 行第 3 列"


@pytest.mark.browser
def test_running_heads_and_page_numbers_are_left_out(documents, pdfs):
    import pdfplumber

    with pdfplumber.open(pdfs["ruled"]) as pdf:
        printed = [restore(page.extract_text()) for page in pdf.pages]
    assert all(RUNNING_HEAD in text and f"- {n} -" in text for n, text in enumerate(printed, 1))
    doc = documents["ruled"]
    assert not any(RUNNING_HEAD in line.text or line.text.startswith("- ") for line in doc.lines)
    assert not any(RUNNING_HEAD in c.text for t in doc.tables for c in [*t.preamble, *t.footer])


@pytest.mark.browser
def test_ruled_layout_keeps_three_code_columns(documents):
    income = found_table(documents["ruled"], "公开02表", "收入决算表")
    rows = texts(income)
    assert rows[1][:4] == ["类", "款", "项", "科目名称"]
    assert ["208", "05", "05", "机关事业单位基本养老保险缴费支出"] in [r[:4] for r in rows]


@pytest.mark.browser
def test_unruled_layout_finds_columns_from_alignment(documents):
    income = found_table(documents["unruled"], "公开02表", "收入决算表")
    assert [
        "2080505",
        "机关事业单位基本养老保险缴费支出",
        "34.88",
        "34.88",
        "0.00",
        "0.00",
        "0.00",
        "0.00",
        "0.00",
    ] in texts(income)
    assert income.rows[0][0].where.startswith("第 ") and "行第 1 列" in income.rows[0][0].where


@pytest.mark.browser
def test_unruled_wrapped_names_are_one_cell_whichever_way_the_row_is_aligned(documents, pdfs):
    import pdfplumber

    with pdfplumber.open(pdfs["unruled-wrapped"]) as pdf:
        printed = [restore(line["text"]) for page in pdf.pages for line in page.extract_text_lines()]
    # The name is printed on two lines, the code and amounts centred between them.
    assert "机关事业单位基本养老" in printed and "保险缴费支出" in printed
    assert not any("机关事业单位基本养老保险缴费支出" in line for line in printed)
    income = found_table(documents["unruled-wrapped"], "公开02表", "收入决算表")
    row = next(r for r in texts(income) if r[0] == "2080505")
    assert row[:3] == ["2080505", "机关事业单位基本养老保险缴费支出", "34.88"]


@pytest.mark.browser
def test_prose_is_kept_as_lines_with_page_locations(documents, page_html):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page_html, "html.parser")
    sentence = next(p.get_text(strip=True) for p in soup.select("main p") if "。" in p.get_text())
    lines = documents["report"].lines
    start = next(line for line in lines if sentence.startswith(line.text.replace(" ", "")[:12]))
    assert start.where.startswith("第 ") and "页第" in start.where


# ---------------------------------------------------------------- what cannot be read


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"", "空文件"),
        (b"<html><body>not a pdf</body></html>", "不是 PDF 文件"),
        ("truncated", "已损坏"),
        ("blank", "没有任何文字"),
    ],
    ids=["empty", "not-pdf", "truncated", "no-text"],
)
def test_unreadable_files_fail_in_chinese_naming_the_file(tmp_path, content, said):
    path = tmp_path / "source.pdf"
    blank = _blank_pdf()
    data = {"truncated": blank[: len(blank) // 2], "blank": blank}.get(content, content)
    path.write_bytes(data if isinstance(data, bytes) else b"")
    with pytest.raises(ImportFailure) as failure:
        read_pdf(path)
    assert said in failure.value.message and str(path) in failure.value.message


@pytest.mark.browser
@pytest.mark.parametrize(("fixture", "said"), [("encrypted", "设有打开密码"), ("scanned", "没有文字层")])
def test_locked_and_scanned_pdfs_fail_clearly(pdfs, fixture, said):
    with pytest.raises(ImportFailure) as failure:
        read_pdf(pdfs[fixture])
    assert said in failure.value.message and str(pdfs[fixture]) in failure.value.message


@pytest.mark.browser
def test_a_pdf_locked_only_against_editing_reads_like_the_original(documents, pdfs, tmp_path):
    """Many published PDFs carry an owner password (no copying or printing) but open without one."""
    locked = read_pdf(encrypt_pdf(pdfs["ruled"], tmp_path / "owner.pdf", password=""))
    original = documents["ruled"]
    assert [(t.title, texts(t)) for t in locked.tables] == [(t.title, texts(t)) for t in original.tables]


@pytest.mark.browser
@pytest.mark.parametrize(("fixture", "said"), [("encrypted", "设有打开密码"), ("scanned", "可能是扫描件")])
def test_import_command_reports_unreadable_pdfs_without_a_traceback(pdfs, tmp_path, fixture, said):
    root = copy_portal(tmp_path / "portal")
    command = [sys.executable, str(REPO / "build.py"), "--root", str(root), "import", str(pdfs[fixture])]
    run = subprocess.run(
        [*command, "--unit", "x-pdf", "--year", "2024"], capture_output=True, text=True, timeout=120
    )
    output = run.stdout + run.stderr
    assert run.returncode != 0 and said in output and pdfs[fixture].name in output, output
    assert "Traceback" not in output
    assert not (root / "data" / "x-pdf").exists()


# ---------------------------------------------------------------- end to end


@pytest.fixture(scope="module")
def portal(tmp_path_factory) -> MiniPortal:
    return MiniPortal(copy_portal(tmp_path_factory.mktemp("pdf-import") / "portal"))


@pytest.mark.browser
@pytest.mark.parametrize("layout", LAYOUTS)
def test_printed_pdfs_import_to_the_reports_tables(portal, pdfs, layout):
    output = import_as(portal, pdfs[layout], f"x-pdf-{layout}")
    found = reports(portal, UNIT, f"x-pdf-{layout}")
    assert differences(found[UNIT], found[f"x-pdf-{layout}"]) == [], output


@pytest.mark.parametrize(
    ("printed", "meant"),
    [
        ("收⼊⽀出决算总表", "收入支出决算总表"),
        ("部⻔：医疗保障局", "部门：医疗保障局"),
        ("⾦额单位：万元", "金额单位：万元"),
        ("财政专⼾管理资金收入", "财政专户管理资金收入"),  # ⼾ is drawn as the simplified 户, not 戶
    ],
)
def test_radical_code_points_from_pdf_fonts_are_read_as_the_ideographs_shown(printed, meant):
    assert printed != meant and restore(printed) == meant
    assert restore(meant) == meant


def _shanghai_template() -> Path | None:
    """The Shanghai 2024 决算 template PDF from the shared folder beside the repository, when there."""
    for folder in (REPO.parent / "shared" / "templates", Path("/work/shared/templates")):
        if (folder / "shanghai-2024-final-template.pdf").is_file():
            return folder / "shanghai-2024-final-template.pdf"
    return None


def test_a_published_template_pdf_gives_its_nine_tables_and_nothing_else():
    """A PDF not printed by us (the official Shanghai template): its tables, without its contents pages."""
    template = _shanghai_template()
    if template is None:
        if in_ci():
            pytest.fail(
                "CI=true and shared/templates/shanghai-2024-final-template.pdf not found", pytrace=False
            )
        pytest.skip("shared/templates/shanghai-2024-final-template.pdf not found")
    doc = read_pdf(template)
    assert [t.title for t in doc.tables] == [
        "收入支出决算总表",
        "收入决算表",
        "支出决算表",
        "财政拨款收入支出决算总表",
        "一般公共预算财政拨款支出决算表",
        "一般公共预算财政拨款基本支出决算表",
        "财政拨款“三公”经费支出决算表",
        "政府性基金预算财政拨款收入支出决算表",
        "国有资本经营预算财政拨款收入支出决算表",
    ]
    income = doc.tables[1]
    assert texts(income)[1][:3] == ["功能分类科目编码", "科目名称", "本年收入合计"]
    assert all(t.footer and t.footer[0].text.startswith("注：") for t in doc.tables)
    # The contents pages are prose, not a table under the heading “第二部分 … 部门决算表”.
    assert any(line.text == "二、收入决算表" for line in doc.lines)
