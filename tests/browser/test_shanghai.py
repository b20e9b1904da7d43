"""The Shanghai-format report (tests/fixtures/shanghai) in a real browser: loads cleanly and fits a phone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from shanghai_document import UNIT_ID, make_portal

from disclosure.cli import main as cli_main

from .conftest import DESKTOP, PHONE, OpenPage, serve
from .test_pages import assert_clean

pytestmark = pytest.mark.browser

PAGE = f"units/{UNIT_ID}/2024-final/index.html"


@pytest.fixture(scope="module")
def shanghai_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture portal built and served over HTTP."""
    root = make_portal(tmp_path_factory.mktemp("shanghai") / "portal")
    assert cli_main(["--root", str(root), "build"]) == 0
    with serve(root / "site") as url:
        yield url


def test_shanghai_report_loads_cleanly(shanghai_url: str, open_page: OpenPage, screenshot_dir: Path) -> None:
    page, log = open_page(shanghai_url + PAGE, viewport=DESKTOP)
    titles = page.locator("#part-2 section.std-table h3").all_inner_texts()
    assert len(titles) == 9 and titles[0] == "收入支出决算总表"
    assert page.locator("table[data-table=shanghai-final-07] tbody td").count() == 12
    page.screenshot(path=str(screenshot_dir / "report-shanghai-desktop.png"), full_page=True)
    assert_clean(page, log)


def test_shanghai_report_fits_a_phone(shanghai_url: str, open_page: OpenPage, screenshot_dir: Path) -> None:
    page, log = open_page(shanghai_url + PAGE, viewport=PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    three = page.locator(".table-wrap:has(table[data-table=shanghai-final-07])")
    assert three.evaluate("w => w.scrollWidth > w.clientWidth && getComputedStyle(w).overflowX") in (
        "auto",
        "scroll",
    )
    page.screenshot(path=str(screenshot_dir / "report-shanghai-phone.png"), full_page=True)
    assert_clean(page, log)
