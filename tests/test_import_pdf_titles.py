"""PDF reader: what opens a table and what is page furniture, on pages printed here by Chromium.

- A table's row whose last cell is “汇总表” (the 出处 of 图13's data table, printed when the figure is
  not drawn) ends in 表 like a title, but holds scores and amounts: it is a row, not a new table.
- A table starting at the top of several pages puts its “（2023年度） 2024年09月 单位：万元” line at
  the same place on each: that is the table's preamble (its 填报日期), not a running head. A real
  running head printed on every page is still left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from tools.pdfs import FONT, chromium_browser, print_pdf

from disclosure.importing.pdf import read_pdf
from disclosure.importing.source import SourceDocument

SUMMARY_ROWS = [
    ("打击欺诈骗保工作经费", "100.00", "", ""),
    ("医疗保障工作经费", "100", "", ""),
    ("1-6级伤残军人医疗费超支缺口", "100", "506", "100.00%"),
    ("豫财社2022-198号提前下达2023年中央财政医疗救助补助资金用于城乡医疗救助", "98.35", "262", "100.00%"),
    ("新农合门诊统筹系统维护费", "100", "5.2", "100.00%"),
    ("医保系统服务费", "100", "35", "100.00%"),
]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with chromium_browser() as browser:
        yield browser


def _page(body: str) -> str:
    css = (
        f"body{{font-family:{FONT};font-size:10pt}}table{{border-collapse:separate;border-spacing:16pt 3pt}}"
        "td{padding:0;white-space:nowrap;font-size:8pt}.page{break-after:page}.title{text-align:center;font-weight:bold;margin:0}"
    )
    return f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>{css}</style></head><body>{body}</body></html>'


def summary_rows_page(titled: bool) -> str:
    """Return a page with the 汇总表 listing, under a table title or only under a figure's caption."""
    rows = "".join(
        f"<tr><td>{name}</td><td>{score}</td><td>优</td><td>{budget}</td><td>{rate}</td><td>汇总表</td></tr>"
        for name, score, budget, rate in SUMMARY_ROWS
    )
    head = "<tr><td>项目</td><td>自评得分</td><td>自评等级</td><td>全年预算数</td><td>执行率</td><td>出处</td></tr>"
    caption = (
        '<p class="title">项目支出绩效自评结果汇总表</p>'
        if titled
        else "<p>图13 项目支出绩效自评得分（单位：分）</p>"
    )
    return _page(f"{caption}<table>{head}{rows}</table>")


def tables_at_page_tops() -> str:
    """Return self-evaluation tables whose title ends a page, their year/date line opening the next."""
    parts = ['<p class="title page">第五部分 附件</p>']
    for name in ("离休干部医疗费", "兴华机械厂退休人员大额医疗保险", "城乡医疗救助"):
        parts.append(
            f'<p class="title page">项目支出绩效自评表（{name}）</p>'
            '<p class="title" style="font-weight:normal">（2023年度）　2024年09月　单位：万元</p>'
            f"<table><tr><td>项目名称</td><td>{name}</td></tr>"
            "<tr><td>年初预算数</td><td>250.00</td></tr></table>"
        )
    return _page("".join(parts))


def running_head(text: str) -> dict[str, Any]:
    """Return Chromium's options printing text as a running head on every page."""
    style = f"font-size:8px;width:100%;text-align:center;font-family:{FONT}"
    return {
        "display_header_footer": True,
        "header_template": f'<div style="{style}">{text}</div>',
        "footer_template": "<div></div>",
    }


def read(chromium: Any, tmp_path: Any, html: str, **options: Any) -> SourceDocument:
    pdf = print_pdf(chromium, tmp_path / "page.pdf", html=html, format="A5", landscape=True, **options)
    return read_pdf(pdf)


@pytest.mark.browser
def test_rows_ending_in_hui_zong_biao_do_not_open_tables(chromium, tmp_path):
    doc = read(chromium, tmp_path, summary_rows_page(titled=False))
    assert doc.tables == [], [t.title for t in doc.tables]
    lines = [line.text for line in doc.lines]
    for name, *_ in SUMMARY_ROWS:
        assert any(line.startswith(name) and line.endswith("汇总表") for line in lines), lines


@pytest.mark.browser
def test_a_real_summary_table_title_still_opens_a_table_of_those_rows(chromium, tmp_path):
    doc = read(chromium, tmp_path, summary_rows_page(titled=True))
    (table,) = doc.tables
    assert table.title == "项目支出绩效自评结果汇总表"
    names = [row[0].text for row in table.rows]
    assert names == ["项目", *(name for name, *_ in SUMMARY_ROWS)]
    assert all(row[-1].text == "汇总表" for row in table.rows[1:])


@pytest.mark.browser
def test_a_date_line_at_the_top_of_several_pages_stays_the_tables_preamble(chromium, tmp_path):
    head = "济源市社会医疗保险中心2023年度单位决算"
    doc = read(chromium, tmp_path, tables_at_page_tops(), margin={"top": "10mm"}, **running_head(head))
    assert [t.title for t in doc.tables] == [
        "项目支出绩效自评表（离休干部医疗费）",
        "项目支出绩效自评表（兴华机械厂退休人员大额医疗保险）",
        "项目支出绩效自评表（城乡医疗救助）",
    ]
    for table in doc.tables:
        assert [c.text for c in table.preamble] == ["（2023年度） 2024年09月 单位：万元"], table.title
    assert not any(head in line.text for line in doc.lines)  # the running head is still page furniture


@pytest.mark.browser
def test_a_unit_line_on_every_page_does_not_break_a_table_running_over_them(chromium, tmp_path):
    """“金额单位：万元” printed at the top of every page (no running head any more) is no break in a table."""
    rows = "".join(f"<tr><td>{2080500 + n}</td><td>科目{n}</td><td>{n}.25</td></tr>" for n in range(1, 61))
    table = (
        '<p class="title">收入决算表</p><table style="border-collapse:collapse" border="1">'
        f"<thead><tr><td>科目代码</td><td>科目名称</td><td>金额</td></tr></thead><tbody>{rows}</tbody></table>"
    )
    doc = read(chromium, tmp_path, _page(table), margin={"top": "10mm"}, **running_head("金额单位：万元"))
    (found,) = doc.tables
    body = [row for row in found.rows if row[0].text.isdigit()]
    assert [row[2].text for row in body] == [f"{n}.25" for n in range(1, 61)]
    assert len({row[0].where.split("页")[0] for row in body}) > 1  # the table does run over pages
