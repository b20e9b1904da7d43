"""The generated 情况说明 print the documents' own numbers; glossary links, sanitizing and escaping."""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from bs4 import BeautifulSoup
from helpers import JIYUAN_MD, SEEDS, MiniPortal

D = Decimal


def _text(node) -> str:
    """A section's text without any whitespace (the documents' sentences have none)."""
    return re.sub(r"\s+", "", node.get_text())


def _section(report_soup, seed: str, number: int):
    sections = report_soup(seed).select(f"#notes-{number}")
    assert len(sections) == 1, f"#notes-{number}"
    return sections[0]


def _share(part: str, whole: str) -> str:
    return f"{(D(part) * 100 / D(whole)).quantize(D('0.01'), rounding=ROUND_HALF_UP)}%"


# Sentence fragments with the numbers each document prints (percentages with two decimals, as the
# portal prints them: the document's “占100%” is 100.00%, “下降31.7%” is 31.70%).
PRINTED = {
    "000": [
        (1, "2024年度收、支总计均为1,547.33万元"),
        (1, "收、支总计各减少618.67万元，下降28.56%"),
        (2, "财政拨款收入1,547.33万元，占100.00%"),
        (2, "减少618.67万元，下降28.56%"),
        (3, "基本支出414.54万元，占26.79%"),
        (3, "项目支出1,132.78万元，占73.21%"),
        (3, "减少92.82万元，下降18.29%"),
        (3, "减少525.85万元，下降31.70%"),
        (4, "财政拨款收、支总计均为1,547.33万元"),
        (4, "财政拨款收、支总计各减少618.67万元，下降28.56%"),
        (5, "一般公共预算财政拨款支出1,547.33万元，占本年支出合计的100.00%"),
        (5, "一般公共预算财政拨款支出减少592.63万元，下降27.69%"),
        (5, "54.34万元，占3.51%"),
        (5, "1,463.22万元，占94.56%"),
        (5, "11,511.07万元"),
        (5, "完成年初预算的13.44%"),
        (6, "人员经费394.81万元"),
        (6, "公用经费19.74万元"),
        (10, "机关运行经费支出19.74万元，比年初预算数减少7.04万元，下降26.29%"),
        (12, "共有车辆1辆"),
        (12, "其他用车1辆"),
        (13, "4个项目"),
        (13, "优的3个"),
        (13, "良的1个"),
    ],
    "004": [
        (1, "2023年度收、支总计均为5,510.47万元"),
        (1, "收、支总计各减少1,649.05万元，下降23.03%"),
        (2, "财政拨款收入5,510.12万元，占100.00%"),
        (2, "其他收入0.20万元，占0.00%"),
        (3, "基本支出3,057.68万元，占55.49%"),
        (3, "项目支出2,452.79万元，占44.51%"),
        (4, "财政拨款收、支总计均为5,510.12万元"),
        (4, "财政拨款收、支总计各减少1,649.18万元，下降23.04%"),
        (5, "一般公共预算财政拨款支出5,303.72万元，占本年支出合计的96.25%"),
        (5, "减少1,326.54万元，下降20.01%"),
        (5, "995.19万元，占18.76%"),
        (5, "4,241.34万元，占79.97%"),
        (5, "67.19万元，占1.27%"),
        (5, "6,175.80万元"),
        (5, "完成年初预算的85.88%"),
        (6, "基本支出3,057.33万元"),
        (6, "人员经费2,952.20万元"),
        (6, "公用经费105.13万元"),
        (7, "206.50万元"),
        (7, "206.40万元"),
        (7, "完成年初预算的99.95%"),
        (9, "预算为1.27万元，支出决算为1.27万元，完成预算的100.00%"),
        (9, "1.20万元，占94.49%"),
        (9, "0.07万元，占5.51%"),
        (9, "保有量为1辆"),
        (9, "1批次、7人次"),
        (10, "机关运行经费支出105.13万元"),
        (10, "减少1.64万元，下降1.54%"),
        (11, "政府采购支出总额781.93万元"),
        (11, "政府采购服务支出781.93万元"),
        (11, "授予中小企业合同金额690.92万元，占政府采购支出总额的88.36%"),
        (12, "共有车辆1辆"),
        (13, "20个项目"),
        (13, "优的20个"),
    ],
}


@pytest.mark.parametrize(
    ("seed", "number", "fragment"), [(s, n, f) for s, items in PRINTED.items() for n, f in items]
)
def test_notes_print_the_documents_numbers(report_soup, seed, number, fragment):
    assert fragment in _text(_section(report_soup, seed, number))


# 五（三）: each 项 of 一般公共预算财政拨款支出 against its year-start budget, as the documents print it
# (budget, actual, completion rate; None where the document says there was no budget).
ITEMS = {
    "000": {
        "2080505": ("34.41", "34.88", "101.37"),
        "2080506": ("17.21", "19.45", "113.02"),
        "2100399": ("0", "24.55", None),
        "2101101": ("16.07", "16.5", "102.68"),
        "2101102": ("12.21", "11.78", "96.48"),
        "2101199": ("1090", "438.9", "40.27"),
        "2101301": ("458.93", "525.77", "114.56"),
        "2101501": ("172.24", "184.03", "106.85"),
        "2101502": ("57.08", "50.01", "87.61"),
        "2101550": ("107.25", "118.13", "110.14"),
        "2101599": ("26", "17.95", "69.04"),
        "2109999": ("63", "75.61", "120.02"),
        "2210201": ("29.77", "29.77", "100"),
    },
    "004": {
        "2080107": ("35.00", "22.34", "63.83"),
        "2080108": ("5.20", "39.85", "766.35"),
        "2080109": ("527.70", "790.55", "149.81"),
        "2080501": ("22.60", "37.61", "166.42"),
        "2080502": ("15.30", "14.66", "95.82"),
        "2080505": ("101.90", "76.87", "75.44"),
        "2089999": ("13.60", "13.30", "97.79"),
        "2100410": ("0.00", "150.00", None),
        "2101199": ("794.50", "90.40", "11.38"),
        "2101301": ("1035.50", "1,108.95", "107.09"),
        "2101501": ("862.10", "842.63", "97.74"),
        "2101506": ("31.00", "31.00", "100"),
        "2101550": ("2016.70", "2,018.37", "100.08"),
        "2210201": ("87.10", "67.19", "77.14"),
    },
}
_ITEM = re.compile(
    r"年初预算数为([\d,.]+)万元，支出决算数为([\d,.]+)万元，(?:完成年初预算的([\d.]+)%|年初无预算)"
)


def _amount(text: str) -> Decimal:
    return D(text.replace(",", ""))


@pytest.mark.parametrize("seed", ITEMS)
def test_each_item_against_its_year_start_budget(report_soup, seed):
    section = _section(report_soup, seed, 5)
    items = section.select("p[data-code]")
    assert [p["data-code"] for p in items] == list(ITEMS[seed]), "every 项 of 公开05表, in order"
    for p in items:
        budget, actual, rate = ITEMS[seed][p["data-code"]]
        match = _ITEM.search(_text(p))
        assert match, _text(p)
        assert _amount(match.group(1)) == D(budget) and _amount(match.group(2)) == _amount(actual), _text(p)
        assert (D(match.group(3)) if match.group(3) else None) == (D(rate) if rate else None), _text(p)
        if _amount(actual) > D(budget):
            assert "决算数大于年初预算数" in _text(p)
        elif _amount(actual) < D(budget):
            assert "决算数小于年初预算数" in _text(p)


def test_notes_print_the_tables_where_the_document_slipped(report_soup):
    # 000 六 prints 基本支出 414.55 while its tables say 414.54.
    six = _text(_section(report_soup, "000", 6))
    assert "基本支出414.54万元" in six and "基本支出414.55" not in six
    # 000 五（二） prints 住房保障 占1.93% (forced to add up to 100%); 29.77 / 1,547.33 is 1.92%.
    assert f"29.77万元，占{_share('29.77', '1547.33')}" in _text(_section(report_soup, "000", 5))
    # 004 十一 prints 小微 as 88.36% of 中小企业; 690.92 / 690.92 is 100.00%.
    eleven = _text(_section(report_soup, "004", 11))
    assert "授予小微企业合同金额690.92万元，占授予中小企业合同金额的100.00%" in eleven
    assert eleven.count("88.36%") == 1


@pytest.mark.parametrize("seed", SEEDS)
def test_the_thirteen_sections_are_there(report_soup, seed):
    soup = report_soup(seed)
    headings = [_text(soup.select_one(f"#notes-{i} h3")) for i in range(1, 14)]
    numerals = "一二三四五六七八九十"
    expected = [*numerals, "十一", "十二", "十三"]
    assert [h.split("、", 1)[0] for h in headings] == expected
    assert all(soup.select_one(f"#notes-{i}").find_parent(id="part-3") for i in range(1, 14))


def test_growth_from_zero_is_not_printed_as_zero_percent(portal):
    portal.replace(
        "data/jiyuan-ybzx/2023-final.yaml", "上年:\n", "上年:\n  财政拨款收入: 6000\n  其他收入: 0\n"
    )
    assert portal.cli("build").status == 0
    soup = BeautifulSoup((portal.site() / SEEDS["004"].page).read_text(encoding="utf-8"), "html.parser")
    item = next(p for p in soup.select("#notes-2 p") if _text(p).startswith("6、"))
    assert "增加0.20万元" in _text(item)
    assert "增长0.00%" not in _text(item)


# ---------------------------------------------------------------- glossary links


def _prose_strings(notes):
    """The notes' text nodes in document order, leaving out figures (charts and their data tables)."""
    return [s for s in notes.find_all(string=True) if not s.find_parent("figure")]


@pytest.mark.parametrize("seed", SEEDS)
def test_first_use_of_a_glossary_term_links_to_its_entry(report_soup, seed):
    soup = report_soup(seed)
    notes = soup.select_one("#part-3")
    links = notes.select("a.term")
    assert links, "no glossary links in the notes"
    seen: set[str] = set()
    for link in links:
        term, href = link.get_text(), link["href"]
        assert re.fullmatch(r"#term-\d+", href)
        target = soup.find(id=href[1:])
        assert target is not None and target.name == "dt", href
        assert target.get_text(strip=True) == term
        assert target.find_parent(id="part-4"), "the entry is in 第四部分 名词解释"
        assert term not in seen, f"“{term}” linked twice"
        seen.add(term)
        first = next(s for s in _prose_strings(notes) if term in s)
        assert first.parent is link, f"“{term}” is used before its link"


@pytest.mark.parametrize("seed", SEEDS)
def test_every_glossary_term_used_in_the_notes_is_linked(report_soup, seed):
    soup = report_soup(seed)
    notes = soup.select_one("#part-3")
    text = "".join(_prose_strings(notes))
    linked = {a.get_text() for a in notes.select("a.term")}
    used = [dt.get_text(strip=True) for dt in soup.select("#part-4 dt") if dt.get_text(strip=True) in text]
    assert used
    assert [t for t in used if t not in linked and not any(t in other for other in linked)] == []


# ---------------------------------------------------------------- authored Markdown is sanitized

PAYLOAD = (
    '标记文字<script>alert("x")</script><img src="x.png" onerror="alert(1)">'
    '<a href="javascript:alert(2)" onclick="alert(3)">链接</a>[点我](javascript:alert(4))'
    '<p style="color:red" onmouseover="alert(5)">段落</p>'
)


def _assert_scripts_are_safe(page, soup) -> None:
    """Only external scripts from the site's own assets run; JSON data islands cannot close their element."""
    for script in soup.find_all("script"):
        if script.get("type") == "application/json":
            json.loads(script.string or "")
            assert "<" not in (script.string or ""), f"{page}: markup inside a data island"
            continue
        assert script.get("src") and not (script.string or "").strip(), f"{page}: inline script {script}"
        assert not script["src"].startswith(("javascript:", "data:", "http:", "https:", "//")), (
            f"{page}: {script}"
        )


def test_authored_markdown_cannot_inject_script(portal: MiniPortal):
    portal.replace(JIYUAN_MD, "## 收支总计\n\n", f"## 收支总计\n\n{PAYLOAD}")
    portal.write(
        JIYUAN_MD, portal.read(JIYUAN_MD) + f"\n## 国有资产\n\n{PAYLOAD}\n\n## 名词：测试名词\n\n{PAYLOAD}\n"
    )
    portal.write("content/jiyuan-ybzx/2023-final-附件/01-附件.md", f"# 附件\n\n{PAYLOAD}\n")
    for rel in ("content/jiyuan-ybzx/职责.md", "content/名词解释.md"):
        portal.write(rel, portal.read(rel) + f"\n\n{PAYLOAD}\n")
    result = portal.cli("build")
    assert result.status == 0, result.output
    pages = sorted(portal.site().rglob("*.html"))
    report = portal.site() / SEEDS["004"].page
    assert report in pages
    marked = 0
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        _assert_scripts_are_safe(page, soup)
        for element in soup.find_all(True):
            handlers = [name for name in element.attrs if name.lower().startswith("on")]
            assert not handlers, f"{page}: {element.name} {handlers}"
            for name in ("href", "src"):
                assert not str(element.get(name, "")).strip().lower().startswith("javascript:"), (
                    f"{page}: {element}"
                )
            assert "style" not in element.attrs or element.name not in ("p", "img", "a"), f"{page}: {element}"
        marked += page.read_text(encoding="utf-8").count("标记文字")
    # The payload reached the pages (the test is not vacuous): reason, 国有资产, own term, 职责, attachment, glossary.
    soup = BeautifulSoup(report.read_text(encoding="utf-8"), "html.parser")
    for where in ("#notes-1", "#notes-12", "#part-4", "#duties", "#part-5"):
        assert "标记文字" in soup.select_one(where).get_text(), where
    glossary = (portal.site() / "glossary/index.html").read_text(encoding="utf-8")
    assert "标记文字" in glossary
    assert marked >= 7


def test_unit_name_is_escaped_everywhere(portal: MiniPortal):
    name = "济源<b>粗体</b>医保<script>alert(1)</script>中心"
    portal.replace("data/jiyuan-ybzx/unit.yaml", "名称: 济源市社会医疗保险中心", f"名称: '{name}'")
    portal.replace("data/jiyuan-ybzx/2023-final.yaml", "名称: 济源市社会医疗保险中心2023年度单位决算\n", "")
    result = portal.cli("build")
    assert result.status == 0, result.output
    unit_page = BeautifulSoup(
        (portal.site() / "units/jiyuan-ybzx/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert unit_page.select_one("h1").get_text() == name
    assert not unit_page.select_one("h1").find_all(True)
    report = BeautifulSoup((portal.site() / SEEDS["004"].page).read_text(encoding="utf-8"), "html.parser")
    assert report.select_one("h1").get_text().startswith(name)
    assert any(name in span.get_text() for span in report.select(".table-meta span"))
    for page in portal.site().rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert not [b for b in soup.find_all("b") if "粗体" in b.get_text()], page
        _assert_scripts_are_safe(page, soup)
