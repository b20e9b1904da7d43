"""Reading the Markdown inputs: 绩效评价 folders and report attachments, through the one SourceReader."""

from __future__ import annotations

from bs4 import BeautifulSoup
from helpers import MiniPortal, expect

from disclosure.problems import Level


def page_text(portal: MiniPortal, page: str) -> str:
    """Return the text of a built page's <main>."""
    soup = BeautifulSoup((portal.site() / page).read_text(encoding="utf-8"), "html.parser")
    main = soup.select_one("main")
    assert main is not None, page
    return main.get_text(" ")


def test_evaluations_of_a_unit_without_unit_yaml_are_an_error(portal: MiniPortal):
    portal.write("content/no-such-unit/2024-绩效评价/01-项目绩效评价报告.md", "# 评价\n")
    problems = portal.check().problems
    expect(problems, Level.ERROR, file="content/no-such-unit", contains="data/no-such-unit/unit.yaml")


def test_evaluations_and_attachments_are_read_in_name_order(portal: MiniPortal):
    portal.write("content/jiyuan-ybzx/2023-绩效评价/02-乙项目.md", "# 乙项目绩效评价报告\n正文\n")
    portal.write("content/jiyuan-ybzx/2023-绩效评价/01-甲项目.md", "# 甲项目绩效评价报告\n正文\n")
    portal.write("content/jiyuan-ybzx/2023-final-附件/2-附表.md", "## 附表二\n")
    portal.write("content/jiyuan-ybzx/2023-final-附件/1-附表.md", "## 附表一\n")
    built = portal.cli("build")
    assert built.status == 0, built.output
    unit = page_text(portal, "units/jiyuan-ybzx/index.html")
    assert unit.index("甲项目绩效评价报告") < unit.index("乙项目绩效评价报告")
    report = page_text(portal, "units/jiyuan-ybzx/2023-final/index.html")
    assert report.index("附表一") < report.index("附表二")
