"""The built portal in a real browser: every page type loads cleanly, fits a phone, prints,
works without JavaScript, works opened from disk, and works under a sub-path.

Page types: tools/portal.PAGE_TYPES — home, unit, year, each report kind (决算, 预算), 绩效评价, glossary,
search, 404 and the published archive's pages (archive/2024/…); the Shanghai-format report is in
test_shanghai.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tools.portal import PAGE_TYPES

from .conftest import DESKTOP, PHONE, REPORTS, OpenPage, PageLog
from .test_charts import draw_all

pytestmark = pytest.mark.browser

FINAL_TABLES = "table[data-table^=final-]"
# The page types with charts (决算 reports, and the unit and year pages summing them up).
CHARTED = {"report-jinan", "report-jiyuan", "unit", "year", "archive-report", "archive-unit", "archive-year"}
# Every report page among the page types: each kind (决算, 预算) served, and the archived 决算.
REPORT_PAGES = {
    name: path for name, path in PAGE_TYPES.items() if name.startswith(("report-", "archive-report"))
}

# The page's stylesheet loaded and applies (its reset sets body margin 0; the browser default is 8px).
# Works for file:// pages too, whose style rules scripts may not read.
STYLED = """() => {
  const links = [...document.querySelectorAll('link[rel=stylesheet]')];
  return links.length > 0 && links.every(l => l.sheet !== null)
      && getComputedStyle(document.body).marginTop === '0px';
}"""


def assert_clean(page: Any, log: PageLog) -> None:
    """No console error, page error, failed request, request to another host or CSP violation."""
    problems = log.problems(page)
    assert not problems, f"{page.url}: {problems}"


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_loads_cleanly_on_desktop(
    name: str, site_url: str, open_page: OpenPage, screenshot_dir: Path
) -> None:
    page, log = open_page(site_url + PAGE_TYPES[name], viewport=DESKTOP)
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert page.title().strip(), "page has no title"
    assert page.locator("main h1").first.is_visible()
    # The stylesheet was fetched and applied (the site header is laid out by it).
    assert any(url.endswith(".css") for url in log.requests), "no stylesheet requested"
    assert page.evaluate(STYLED), "stylesheet not applied"
    if name.startswith("archive-"):
        assert page.locator(".archive-banner").inner_text().startswith("归档版本 · 2024 年度")
    drawn = draw_all(page)  # every chart of the page draws
    assert bool(drawn) == (name in CHARTED), f"{name}: charts {drawn}"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(screenshot_dir / f"{name}-desktop.png"), full_page=True)
    assert_clean(page, log)


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_fits_a_phone(name: str, site_url: str, open_page: OpenPage, screenshot_dir: Path) -> None:
    page, log = open_page(site_url + PAGE_TYPES[name], viewport=PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page scrolls sideways on a 375 px phone (scrollWidth {width})"
    page.screenshot(path=str(screenshot_dir / f"{name}-phone.png"), full_page=True)
    wraps = page.evaluate(
        """() => [...document.querySelectorAll('.table-wrap')].map(w => ({
              id: w.querySelector('table')?.dataset.table,
              client: w.clientWidth, scroll: w.scrollWidth,
              overflow: getComputedStyle(w).overflowX}))"""
    )
    for wrap in wraps:
        assert wrap["client"] <= PHONE["width"], f"table wrapper wider than the phone: {wrap}"
        if wrap["scroll"] > wrap["client"]:
            assert wrap["overflow"] in ("auto", "scroll"), f"wide table cannot scroll: {wrap}"
    if name in REPORTS:
        wide = [w for w in wraps if w["scroll"] > w["client"]]
        assert wide, "on a phone the wide tables should overflow their .table-wrap and scroll there"
        # The wrapper itself scrolls sideways while the page does not.
        scrolled = page.evaluate(
            """() => { const w = [...document.querySelectorAll('.table-wrap')]
                           .find(w => w.scrollWidth > w.clientWidth);
                       w.scrollLeft = 120; return w.scrollLeft; }"""
        )
        assert scrolled > 0
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_clean(page, log)


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_prints(name: str, site_url: str, open_page: OpenPage) -> None:
    page, log = open_page(site_url + PAGE_TYPES[name])
    page.emulate_media(media="print")
    assert page.evaluate("matchMedia('print').matches")
    assert page.locator("main h1").first.is_visible()
    if name in REPORTS:
        assert page.locator(FINAL_TABLES).count() == 9
    if name.startswith(("report-", "archive-report")):
        tables = page.locator("section.std-table table")
        assert tables.count() >= 9 and tables.first.is_visible() and tables.last.is_visible()
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5_000, f"PDF of {name} is empty ({len(pdf)} bytes)"
    assert_clean(page, log)


@pytest.mark.parametrize("name", REPORTS)
def test_report_without_javascript(name: str, site_url: str, open_page: OpenPage) -> None:
    page, log = open_page(site_url + REPORTS[name], java_script_enabled=False)
    tables = page.locator(FINAL_TABLES)
    assert tables.count() == 9, "a report shows the nine tables"
    for i in range(9):
        assert tables.nth(i).is_visible()
        assert tables.nth(i).locator("tbody tr").count() > 0
    notes = page.locator("section.notes")
    assert notes.is_visible()
    assert len(notes.inner_text()) > 200, "the notes (情况说明) are there without JavaScript"
    assert not log.problems(), log.problems()


@pytest.mark.parametrize("name", REPORT_PAGES)
def test_glossary_term_links_point_to_existing_ids(name: str, site_url: str, open_page: OpenPage) -> None:
    page, log = open_page(site_url + REPORT_PAGES[name])
    links = page.eval_on_selector_all(
        "section.notes a.term", "links => links.map(a => [a.textContent, a.getAttribute('href')])"
    )
    assert links, "the notes link their terms to the glossary part"
    for text, href in links:
        assert href and href.startswith("#"), f"term link {text!r} has href {href!r}"
        target = href[1:]
        assert page.evaluate("id => document.getElementById(id) !== null", target), (
            f"term link {text!r} points to missing #{target}"
        )
    # Following one lands on the term.
    first = page.locator("section.notes a.term").first
    href = first.get_attribute("href")
    first.click()
    assert page.url.endswith(href)
    assert page.locator(f"[id='{href[1:]}']").is_visible()
    assert_clean(page, log)


@pytest.mark.parametrize("name", REPORTS)
def test_site_works_opened_from_disk(name: str, site_dir: Path, open_page: OpenPage) -> None:
    report = site_dir / REPORTS[name]
    page, log = open_page(report.as_uri())
    assert page.locator(FINAL_TABLES).count() == 9
    assert page.evaluate(STYLED), "stylesheet not loaded from disk"
    unit_dir = report.parent.parent
    # Breadcrumb: 首页 › unit › this report.
    page.locator("nav.breadcrumbs a").nth(1).click()
    page.wait_for_load_state("load")
    assert page.url == (unit_dir / "index.html").as_uri()
    assert page.locator("main h1").is_visible()
    page.locator("nav.breadcrumbs a").first.click()
    page.wait_for_load_state("load")
    assert page.url == (site_dir / "index.html").as_uri()
    assert page.locator("main h1").is_visible()
    assert page.evaluate(STYLED)
    assert_clean(page, log)


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_site_works_under_a_sub_path(name: str, subpath_url: str, open_page: OpenPage) -> None:
    page, log = open_page(subpath_url + PAGE_TYPES[name])
    css = [url for url in log.requests if url.endswith(".css")]
    assert css and all(url.startswith(subpath_url) for url in css), css
    assert page.evaluate(STYLED), "stylesheet not applied"
    # Every link on the page stays under the sub-path and answers 200.
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    targets = sorted({h.split("#")[0] for h in hrefs if h.startswith("http")})
    assert targets
    for target in targets:
        assert target.startswith(subpath_url), f"link leaves the sub-path: {target}"
        assert page.request.get(target).status == 200, target
    draw_all(page)  # plotly and the chart data load from under the sub-path
    if name not in REPORTS:
        assert_clean(page, log)
        return
    page.locator("nav.breadcrumbs a").nth(1).click()
    page.wait_for_load_state("load")
    assert page.url.startswith(subpath_url + "units/")
    page.locator("nav.breadcrumbs a").first.click()
    page.wait_for_load_state("load")
    assert page.url == subpath_url + "index.html"
    assert_clean(page, log)
