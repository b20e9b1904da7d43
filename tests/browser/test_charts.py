"""Charts in headless Chromium: every figure on report, unit and year pages draws when scrolled into
view, with no console error, no CSP violation and no request to another host; without JavaScript
the captions and data tables are all there; the year listing sorts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import DESKTOP, PHONE, OpenPage, PageLog

pytestmark = pytest.mark.browser

CHART_PAGES = {
    "report-jinan": ("units/jinan-shizhong-ybj/2024-final/index.html", 12),
    "report-jiyuan": ("units/jiyuan-ybzx/2023-final/index.html", 12),
    "unit-jinan": ("units/jinan-shizhong-ybj/index.html", 7),
    "unit-jiyuan": ("units/jiyuan-ybzx/index.html", 7),
    "year-2024": ("years/2024/index.html", 3),
    "year-2023": ("years/2023/index.html", 3),
}
PLAIN_PAGES = ("index.html", "glossary/index.html")

DRAWN = "el => el.getAttribute('data-drawn') === 'done' && !!el.querySelector('svg.main-svg')"


def assert_clean(page: Any, log: PageLog) -> None:
    problems = log.problems(page)
    assert not problems, f"{page.url}: {problems}"


def draw_all(page: Any) -> list[str]:
    """Scroll each plot into view and wait until plotly.js has drawn its SVG; return the plot ids."""
    ids = page.eval_on_selector_all(".chart-plot", "els => els.map(e => e.id)")
    for plot_id in ids:
        plot = page.locator(f"#{plot_id}")
        plot.scroll_into_view_if_needed()
        page.wait_for_function(f"() => ({DRAWN})(document.getElementById('{plot_id}'))", timeout=15000)
        assert plot.locator("svg.main-svg").count() >= 1, plot_id
    return ids


@pytest.mark.parametrize("name", CHART_PAGES)
def test_every_chart_draws_cleanly(
    name: str, site_url: str, open_page: OpenPage, screenshot_dir: Path
) -> None:
    path, count = CHART_PAGES[name]
    page, log = open_page(site_url + path, viewport=DESKTOP)
    ids = draw_all(page)
    assert len(ids) == count
    # Each plot is an image with a name, and shows the Python-formatted labels (1,547.33 …).
    for plot_id in ids:
        plot = page.locator(f"#{plot_id}")
        assert plot.get_attribute("role") == "img" and plot.get_attribute("aria-label")
        assert plot.is_visible()
    assert any(url.split("/")[-1].startswith("plotly.min.") for url in log.requests)
    assert all(url.startswith("http://127.0.0.1:") for url in log.requests), log.requests
    if name.startswith("report"):
        page.locator("#fig-1").screenshot(path=str(screenshot_dir / f"chart-{name}-fig-1.png"))
        page.locator("#fig-5-3").screenshot(path=str(screenshot_dir / f"chart-{name}-fig-5-3.png"))
    assert_clean(page, log)


def test_charts_below_the_fold_wait_until_scrolled_to(site_url: str, open_page: OpenPage) -> None:
    page, log = open_page(site_url + CHART_PAGES["report-jinan"][0], viewport=DESKTOP)
    page.wait_for_timeout(500)
    states = page.eval_on_selector_all(".chart-plot", "els => els.map(e => e.getAttribute('data-drawn'))")
    assert states[-1] is None, "the last figure drew before it was scrolled into view"
    page.locator("#fig-10-plot").scroll_into_view_if_needed()
    page.wait_for_function(f"() => ({DRAWN})(document.getElementById('fig-10-plot'))", timeout=15000)
    assert_clean(page, log)


def test_hover_label_is_the_python_text(site_url: str, open_page: OpenPage) -> None:
    page, log = open_page(site_url + CHART_PAGES["report-jinan"][0], viewport=DESKTOP)
    plot = page.locator("#fig-1-plot")
    plot.scroll_into_view_if_needed()
    page.wait_for_function(f"() => ({DRAWN})(document.getElementById('fig-1-plot'))", timeout=15000)
    box = plot.locator("g.point path").last.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#fig-1-plot .hoverlayer .hovertext", timeout=5000)
    hover = page.evaluate("document.querySelector('#fig-1-plot .hoverlayer').textContent")
    assert "2024年度收、支总计：1,547.33万元" in hover
    texts = page.eval_on_selector_all("#fig-1-plot text.bartext", "els => els.map(e => e.textContent)")
    assert texts == ["2,166.00", "1,547.33"]
    assert_clean(page, log)


@pytest.mark.parametrize("path", PLAIN_PAGES)
def test_pages_without_charts_do_not_load_plotly(path: str, site_url: str, open_page: OpenPage) -> None:
    page, log = open_page(site_url + path, viewport=DESKTOP)
    assert not any("plotly" in url for url in log.requests)
    assert page.locator("figure.chart").count() == 0
    assert_clean(page, log)


@pytest.mark.parametrize("name", CHART_PAGES)
def test_charts_without_javascript(name: str, site_url: str, open_page: OpenPage) -> None:
    path, count = CHART_PAGES[name]
    page, log = open_page(site_url + path, viewport=DESKTOP, java_script_enabled=False)
    figures = page.locator("figure.chart")
    assert figures.count() == count
    for i in range(count):
        figure = figures.nth(i)
        assert figure.locator("figcaption .chart-title").is_visible()
        caption = figure.locator("figcaption .chart-caption")
        text = caption.inner_text()
        assert caption.is_visible() and ("万元" in text or "%" in text), text
        assert not figure.locator(".chart-plot").is_visible(), "an empty plot box shows without JavaScript"
        table = figure.locator("table.chart-table")
        assert table.is_visible() and table.locator("tbody tr").count() >= 1
    problems = log.problems()
    assert not problems, problems


def test_charts_fit_a_phone(site_url: str, open_page: OpenPage) -> None:
    for name in ("report-jiyuan", "unit-jiyuan", "year-2024"):
        page, log = open_page(site_url + CHART_PAGES[name][0], viewport=PHONE)
        draw_all(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{name} scrolls sideways on a phone once its charts draw ({width})"
        assert_clean(page, log)


def test_year_listing_sorts(site_url: str, open_page: OpenPage) -> None:
    page, log = open_page(site_url + CHART_PAGES["year-2024"][0], viewport=DESKTOP)
    # The bundled portal has one unit a year: add two rows (copies with other amounts) to sort.
    page.evaluate(
        """() => {
          const body = document.querySelector('table[data-sortable] tbody');
          for (const amount of ['3000.5', '5']) {
            const row = body.rows[0].cloneNode(true);
            row.dataset.unit = 'copy-' + amount;
            row.cells[2].dataset.sort = amount;
            body.appendChild(row);
          }
        }"""
    )
    header = page.locator("table[data-sortable] thead th").nth(2)
    button = header.locator("button.sort-button")
    assert button.inner_text().startswith("收支总计")
    order = "() => [...document.querySelectorAll('table[data-sortable] tbody tr')].map(r => r.cells[2].dataset.sort)"
    values = page.evaluate(order)
    assert "3000.5" in values and "5" in values
    button.click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert page.evaluate(order) == sorted(values, key=float)
    button.click()
    assert header.get_attribute("aria-sort") == "descending"
    assert page.evaluate(order) == sorted(values, key=float, reverse=True)
    assert_clean(page, log)
