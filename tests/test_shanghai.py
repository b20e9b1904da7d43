"""The Shanghai 2024 决算 profile (shanghai-final) on the page: a fictitious unit's report prints the
template's tables, notes and glossary; its schema and text documents are current (checks: test_shanghai_rules)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup
from helpers import REPO, MiniPortal, find
from shanghai_document import FIXTURE, REPORT_FILE, UNIT_ID, document_text, fixture_report, make_portal
from tools.vnu import find_jar, find_java, validate

from disclosure.money import format_money
from disclosure.problems import Level
from disclosure.profile import Profile, load_profiles

TEMPLATE_PDF = Path("/work/shared/templates/shanghai-2024-final-template.pdf")
PAGE = f"site/units/{UNIT_ID}/2024-final/index.html"

# The template's tables in its order (目录 第二部分 and the table pages), with each header row's texts.
TEMPLATE_TABLES = [
    ("收入支出决算总表", [["收入", "支出"], ["项目", "决算数", "项目", "决算数"]]),
    ("收入决算表", [
        ["项目", "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"],
        ["功能分类科目编码", "科目名称"],
    ]),
    ("支出决算表", [
        ["项目", "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"],
        ["功能分类科目编码", "科目名称"],
    ]),
    ("财政拨款收入支出决算总表", [
        ["收入", "支出"],
        ["项目", "决算数", "项目", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"],
    ]),
    ("一般公共预算财政拨款支出决算表", [["项目", "合计", "基本支出", "项目支出"], ["功能分类科目编码", "科目名称"]]),
    ("一般公共预算财政拨款基本支出决算表", [["经济分类科目编码", "科目名称", "决算数"] * 2]),
    ("财政拨款“三公”经费支出决算表", [
        ["财政拨款“三公”经费"],
        ["合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务接待费"],
        ["小计", "公务用车购置费", "公务用车运行维护费"],
        ["预算数", "决算数"] * 6,
    ]),
    ("政府性基金预算财政拨款收入支出决算表", [
        ["项目", "年初结转和结余", "本年收入", "本年支出", "年末结转和结余"],
        ["功能分类科目编码", "科目名称", "合计", "基本支出", "项目支出"],
    ]),
    ("国有资本经营预算财政拨款收入支出决算表", [
        ["项目", "年初结转和结余", "本年收入", "本年支出", "年末结转和结余"],
        ["功能分类科目编码", "科目名称", "合计", "基本支出", "项目支出"],
    ]),
]  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> MiniPortal:
    """The fixture portal, built once."""
    portal = MiniPortal(make_portal(tmp_path_factory.mktemp("shanghai") / "portal"))
    result = portal.cli("build")
    assert result.status == 0, result.output
    return portal


@pytest.fixture(scope="module")
def page(built: MiniPortal) -> BeautifulSoup:
    return BeautifulSoup(built.read(PAGE), "html.parser")


@pytest.fixture
def portal(tmp_path: Path) -> MiniPortal:
    return MiniPortal(make_portal(tmp_path / "portal"))


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profiles()["shanghai-final"]


# ---------------------------------------------------------------- the page prints the template's tables


def _texts(row) -> list[str]:
    return [c.get_text(strip=True) for c in row.find_all(["th", "td"])]


def test_tables_in_template_order_with_template_headers(page: BeautifulSoup):
    sections = page.select("#part-2 section.std-table")
    assert [s.h3.get_text(strip=True) for s in sections] == [title for title, _ in TEMPLATE_TABLES]
    assert [s.select_one("table")["data-table"] for s in sections] == [
        f"shanghai-final-{i:02d}" for i in range(1, 10)
    ]
    for section, (title, header) in zip(sections, TEMPLATE_TABLES, strict=True):
        assert [_texts(tr) for tr in section.select("thead tr")] == header, title
        assert not section.select(".table-no"), "上海模板不印表号"
    assert "栏次" not in page.select_one("#part-2").get_text()
    assert "行次" not in page.select_one("#part-2").get_text()


def test_rows_follow_the_template(page: BeautifulSoup, built: MiniPortal):
    unit, report = fixture_report(built.root)
    first = page.select_one('table[data-table="shanghai-final-01"]')
    labels = [th.get_text(strip=True) for th in first.select("tbody th")]
    assert labels[-8:] == ["本年收入合计", "本年支出合计", "使用非财政拨款结余", "结余分配"] + [
        "年初结转和结余", "年末结转和结余", "总计", "总计"
    ]  # fmt: skip
    assert "二十四、抗疫特别国债安排的支出" in labels and not any("债务" in x for x in labels)
    general = page.select('table[data-table="shanghai-final-05"] tbody tr')
    assert general[-1]["data-row"] == "合计" and general[0]["data-code"] == "208"
    total = report.figures["一般公共预算财政拨款支出"]
    assert _texts(general[-1])[2] == format_money(total)
    three = page.select('table[data-table="shanghai-final-07"] tbody td')
    assert [td["data-record"] for td in three] == ["预算数", "决算数"] * 6
    assert [td["data-col"] for td in three[::2]] == [c.key for c in report.profile.table("表七").columns]
    assert three[1].get_text() == format_money(report.figures["三公经费决算数"])
    economic = page.select_one('table[data-table="shanghai-final-06"]')
    left = [td.get_text() for td in economic.select("tbody tr td.code:nth-of-type(1)")]
    assert {code[:3] for code in left if code} <= {"301", "303"}
    assert economic.select_one('tfoot [data-row="人员经费合计"]').get_text() == format_money(
        report.figures["人员经费"]
    )


def test_empty_fund_table_keeps_its_note_and_adds_the_template_remark(page: BeautifulSoup, built: MiniPortal):
    unit, _ = fixture_report(built.root)
    capital = page.select_one("#shanghai-final-09")
    notes = [p.get_text(strip=True) for p in capital.select("p.table-note")]
    assert notes == [
        "注：本表反映部门本年度国有资本经营预算财政拨款收入支出及结转和结余情况。",
        f"说明：{unit.name}本年度没有国有资本经营预算财政拨款收入和支出，故本表无数据。",
    ]
    fund = page.select_one("#shanghai-final-08")
    assert [p.get_text(strip=True) for p in fund.select("p.table-note")] == [
        "注：本表反映部门本年度政府性基金预算财政拨款收入支出及结转和结余情况。"
    ]


# ---------------------------------------------------------------- notes (情况说明)

NOTE_SECTIONS = [
    "一、收入支出决算总体情况说明", "二、收入决算情况说明", "三、支出决算情况说明",
    "四、财政拨款收入支出决算总体情况说明", "五、一般公共预算财政拨款支出决算情况说明",
    "六、一般公共预算财政拨款基本支出决算情况说明", "七、财政拨款“三公”经费支出决算情况说明",
    "八、政府性基金预算财政拨款收入支出决算情况说明", "九、国有资本经营预算财政拨款收入支出决算情况说明",
    "十、预算绩效管理情况", "十一、其他重要事项的情况说明",
]  # fmt: skip


def test_notes_follow_the_template_sections(page: BeautifulSoup, built: MiniPortal):
    unit, report = fixture_report(built.root)
    f = report.figures
    assert [h.get_text(strip=True) for h in page.select("#part-3 > section > h3")] == NOTE_SECTIONS
    first = page.select_one("#notes-1 p").get_text(strip=True)
    change = f["收支总计"] - report.previous["收支总计"]
    assert first.startswith(
        f"{unit.name}{report.year}年度收入支出总计{format_money(f['收支总计'])}万元。"
        f"与{report.year - 1}年度相比，收入支出总计{'增加' if change >= 0 else '减少'}{format_money(abs(change))}万元"
    )
    staff = page.select_one("#notes-6 p").get_text(strip=True)
    assert f"人员经费{format_money(f['人员经费'])}万元" in staff
    items = page.select("#notes-5 p[data-code]")
    assert [p["data-code"] for p in items] == [r.code for r in report.tables["表五"].rows if len(r.code) == 7]
    capital = page.select_one("#notes-9 p").get_text(strip=True)
    assert capital == f"{unit.name}{report.year}年度无国有资本经营预算财政拨款收入和支出。"
    fund = [p["data-code"] for p in page.select("#notes-8 p[data-code]")]
    assert fund == [r.code for r in report.tables["表八"].rows if len(r.code) == 7]
    projects = report.projects
    budget = format_money(sum((p.budget for p in projects if p.budget is not None), Decimal(0)))
    assert f"绩效自评的{report.year}年度项目{len(projects)}个，涉及预算金额{budget}万元" in page.select_one(
        "#notes-10 p"
    ).get_text(strip=True)


# ---------------------------------------------------------------- schema, text document, template PDF


def _stringify_keys(value):
    if isinstance(value, dict):
        return {str(k): _stringify_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stringify_keys(v) for v in value]
    return value


def test_fixture_validates_against_the_profile_schema():
    schema = json.loads((REPO / "data/schema/report-shanghai-final.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    data = _stringify_keys(yaml.safe_load((FIXTURE / REPORT_FILE).read_text(encoding="utf-8")))
    assert list(validator.iter_errors(data)) == []
    data["表"]["表十"] = {}
    assert list(validator.iter_errors(data))


def test_committed_text_documents_are_current(portal: MiniPortal):
    committed = (FIXTURE / "document.txt").read_text(encoding="utf-8")
    assert committed == document_text(portal.root)
    with_notes = (FIXTURE / "document-notes.txt").read_text(encoding="utf-8")
    assert with_notes == document_text(portal.root, prose=True)
    assert with_notes.startswith(committed) and "十一、其他重要事项的情况说明" in with_notes
    for title, _ in TEMPLATE_TABLES:
        assert f"\n{title}\n单位：万元\n" in committed
    assert "1, 547" not in committed and "5, 755. 70" in committed  # 表二 printed with stray spaces


def test_titles_and_notes_come_from_the_template_pdf(profile: Profile):
    pdfplumber = pytest.importorskip("pdfplumber")
    if not TEMPLATE_PDF.is_file():
        pytest.skip("模板 PDF 不在本机")
    with pdfplumber.open(TEMPLATE_PDF) as pdf:
        text = "".join((page.extract_text() or "").replace(" ", "").replace("\n", "") for page in pdf.pages)
    tables_part = text.index("单位构成（")  # after the 目录: the 概况 page, then the table pages
    positions = [text.index(t.title + "单位：万元", tables_part) for t in profile.tables]
    assert positions == sorted(positions)
    for table in profile.tables:
        assert table.note.replace("{scope}", "部门") in text, table.title


def test_basic_spending_table_prints_every_template_row(portal: MiniPortal, profile: Profile):
    """Rows left out of the data (zeros) are still printed, as the template lists them."""

    def drop_zero_rows(data: dict) -> None:
        rows = data["表"]["表六"]["科目"]
        rows[:] = [r for r in rows if Decimal(r[2]) != 0]

    portal.edit_yaml(REPORT_FILE, drop_zero_rows)
    assert find(portal.check().problems, Level.ERROR) == []
    assert portal.cli("build").status == 0
    table = BeautifulSoup(portal.read(PAGE), "html.parser").select_one(
        'table[data-table="shanghai-final-06"]'
    )
    printed = [td["data-code"] for td in table.select("tbody td.code")]
    template = profile.table("表六").template_rows
    assert sorted(printed) == sorted(code for code, _ in template)
    left = [td["data-code"] for td in table.select("tbody tr td.code:first-child")]
    assert left == [code for code, _ in template if code[:3] in ("301", "303")]
    cell = table.select_one('td.num[data-code="30202"]')
    assert cell.get_text() == "0.00"


def test_overview_headings_follow_the_template(page: BeautifulSoup):
    assert [h.get_text(strip=True) for h in page.select("#part-1 > section > h3")] == [
        "一、主要职能",
        "二、部门决算单位构成",
    ]
    assert [
        a.get_text(strip=True)
        for a in page.select('nav.toc a[href="#duties"], nav.toc a[href="#organization"]')
    ] == [
        "一、主要职能",
        "二、部门决算单位构成",
    ]


def test_report_page_is_valid_html(built: MiniPortal):
    jar, java = find_jar(), find_java()
    if jar is None or java is None:
        pytest.skip("没有 vnu.jar 或 Java")
    messages = [m for m in validate(java, jar, [built.path(PAGE)]) if m.type == "error"]
    assert messages == []


def test_glossary_is_the_templates_with_the_reports_own_wording(page: BeautifulSoup, profile: Profile):
    terms = [dt.get_text(strip=True) for dt in page.select("#part-4 dl.glossary dt")]
    assert terms == [term for term, _ in profile.glossary]
    definitions = dict(zip(terms, (dd.get_text(strip=True) for dd in page.select("#part-4 dd")), strict=True))
    assert definitions["基本支出"] == dict(profile.glossary)["基本支出"]
    assert definitions["事业收入"].endswith("主要是：（虚构）医疗保障经办服务收入等。")


def test_glossary_comes_from_the_template_pdf(profile: Profile):
    pdfplumber = pytest.importorskip("pdfplumber")
    if not TEMPLATE_PDF.is_file():
        pytest.skip("模板 PDF 不在本机")
    with pdfplumber.open(TEMPLATE_PDF) as pdf:
        text = "".join((page.extract_text() or "").replace(" ", "").replace("\n", "") for page in pdf.pages)
    glossary = text[text.index("第四部分名词解释", 1000) :].replace(":", "：")
    for term, definition in profile.glossary:
        assert f"{term}：{definition}" in glossary, term


def test_notes_of_a_report_with_tables_only(portal: MiniPortal):
    """Without last year's figures, budgets or the notes' own data, only sentences the tables support print."""

    def tables_only(data: dict) -> None:
        for key in ("上年", "年初预算", "三公经费", "机关运行经费", "政府采购", "国有资产", "预算绩效"):
            data.pop(key)

    portal.edit_yaml(REPORT_FILE, tables_only)
    assert find(portal.check().problems, Level.ERROR) == []
    assert portal.cli("build").status == 0
    page = BeautifulSoup(portal.read(PAGE), "html.parser")
    notes = page.select_one("#part-3").get_text()
    assert "与2023年度相比" not in notes and "年初预算" not in notes.replace(
        "“三公”经费财政拨款支出年初预算", ""
    )
    assert [h.get_text(strip=True) for h in page.select("#part-3 > section > h3")] == NOTE_SECTIONS
    assert not page.select("#notes-5 p[data-code]")
    assert "本年度未填报机关运行经费。" in page.select_one("#notes-11").get_text()
