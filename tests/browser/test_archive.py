"""An archived year opens from disk (file://) in Chromium: every page type complete, banner shown,
charts drawn, links followed, no failed request."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tools.portal import ARCHIVE_YEAR, PAGE_TYPES

from disclosure.cli import main

from .conftest import REPO, OpenPage
from .test_charts import draw_all

# Each archived page type, as a path inside archive/<year>/.
ARCHIVED = {
    name: path.removeprefix(f"archive/{ARCHIVE_YEAR}/")
    for name, path in PAGE_TYPES.items()
    if name.startswith("archive-")
}


@pytest.fixture(scope="module")
def archive_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("archive-project")
    for name in ("data", "content", "templates"):
        shutil.copytree(REPO / name, project / name)
    assert main(["--root", str(project), "archive", "2024"]) == 0
    return project / "archive" / "2024"


def test_archive_opens_from_disk_without_failed_requests(archive_folder: Path, open_page):
    report = archive_folder / "units" / "jinan-shizhong-ybj" / "2024-final" / "index.html"
    page, log = open_page(report.as_uri())
    assert page.locator("table[data-table^=final-]").count() == 9
    assert "归档版本 · 2024 年度" in page.inner_text(".archive-banner")
    charts = page.locator(".chart-plot")
    for i in range(charts.count()):
        charts.nth(i).scroll_into_view_if_needed()
    if charts.count():
        page.wait_for_function(
            "() => [...document.querySelectorAll('.chart-plot')].every(c => c.querySelector('svg'))",
            timeout=15000,
        )
    assert log.problems(page) == {}
    # Relative links work from disk: breadcrumb to the unit, then home.
    page.click(".breadcrumbs a >> nth=1")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("units/jinan-shizhong-ybj/index.html")
    page.click(".breadcrumbs a >> nth=0")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("2024/index.html")
    assert log.problems(page) == {}


@pytest.mark.parametrize("name", ARCHIVED)
def test_every_archived_page_type_opens_from_disk(name: str, archive_folder: Path, open_page: OpenPage):
    page, log = open_page((archive_folder / ARCHIVED[name]).as_uri())
    assert page.locator("main h1").first.is_visible()
    assert page.inner_text(".archive-banner").startswith(f"归档版本 · {ARCHIVE_YEAR} 年度 · 生成于 ")
    draw_all(page)
    assert page.evaluate("[...document.styleSheets].length") > 0
    assert log.problems(page) == {}
