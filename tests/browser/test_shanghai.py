"""The Shanghai-format report (tests/fixtures/shanghai) in a real browser: loads cleanly, fits a phone,
prints, draws its charts, links its glossary terms, and axe-core finds no serious or critical violation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from shanghai_document import UNIT_ID, make_portal

from disclosure.cli import main as cli_main

from .conftest import DESKTOP, PHONE, OpenPage, serve
from .test_accessibility import BLOCKING, axe_source, draw_charts, run_axe
from .test_charts import draw_all
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


def test_shanghai_report_prints(shanghai_url: str, open_page: OpenPage) -> None:
    page, log = open_page(shanghai_url + PAGE, viewport=DESKTOP)
    page.emulate_media(media="print")
    tables = page.locator("table[data-table^=shanghai-final-]")
    assert tables.count() == 9 and tables.first.is_visible() and tables.last.is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5_000
    assert_clean(page, log)


def test_shanghai_report_has_no_serious_accessibility_violation(
    shanghai_url: str, open_page: OpenPage
) -> None:
    page, log = open_page(shanghai_url + PAGE, viewport=DESKTOP)
    draw_charts(page)
    blocking = [v for v in run_axe(page, axe_source())["violations"] if v["impact"] in BLOCKING]
    assert not blocking, [(v["id"], v["help"], [n["target"] for n in v["nodes"][:5]]) for v in blocking]
    assert_clean(page, log)


def test_shanghai_report_draws_its_charts_and_links_its_terms(shanghai_url: str, open_page: OpenPage) -> None:
    page, log = open_page(shanghai_url + PAGE, viewport=DESKTOP)
    assert len(draw_all(page)) == page.locator(".chart-plot").count() > 0
    terms = page.eval_on_selector_all("a.term", "links => links.map(a => a.getAttribute('href'))")
    assert terms, "the notes link their terms to the 名词解释"
    for href in terms:
        assert href.startswith("#") and page.evaluate("id => !!document.getElementById(id)", href[1:]), href
    assert_clean(page, log)
