"""图5-4 (年初预算数 against 决算数 by 项) in headless Chromium, on a 决算 whose year's 预算 the portal holds:
it draws cleanly on a desktop and on a phone, its bars carry the Python-formatted amounts, and the
link to the 预算 opens that page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import MiniPortal, copy_portal, run_cli
from pairs import BUDGET_PAGE, FINAL_PAGE, add_budget, budget_items

from .conftest import DESKTOP, PHONE, OpenPage, serve
from .test_charts import DRAWN, assert_clean

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def paired(tmp_path_factory: pytest.TempPathFactory) -> MiniPortal:
    """The bundled portal with a 预算 beside the 济南 2024 决算, built once for this module."""
    portal = MiniPortal(copy_portal(tmp_path_factory.mktemp("paired") / "portal"))
    add_budget(portal)
    result = run_cli("--root", str(portal.root), "build")
    assert result.status == 0, result.output
    return portal


@pytest.fixture(scope="module")
def paired_url(paired: MiniPortal) -> Iterator[str]:
    with serve(paired.site()) as url:
        yield url


def draw(page: Any, plot_id: str) -> None:
    """Scroll a plot into view and wait until plotly.js has drawn it."""
    page.locator(f"#{plot_id}").scroll_into_view_if_needed()
    page.wait_for_function(f"() => ({DRAWN})(document.getElementById('{plot_id}'))", timeout=15000)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_budget_vs_actual_chart_draws(
    viewport: dict[str, int], paired: MiniPortal, paired_url: str, open_page: OpenPage, screenshot_dir: Path
) -> None:
    page, log = open_page(paired_url + FINAL_PAGE, viewport=viewport)
    draw(page, "fig-5-4-plot")
    plot = page.locator("#fig-5-4-plot")
    assert plot.get_attribute("role") == "img" and plot.get_attribute("aria-label", timeout=1000)
    texts = page.eval_on_selector_all("#fig-5-4-plot text.bartext", "els => els.map(e => e.textContent)")
    planned = {f"{v:,.2f}" for v in budget_items(paired).values() if v}
    assert planned & set(texts), texts  # the 年初预算数 bars print the 预算's amounts
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the page scrolls sideways ({width})"
    page.locator("#fig-5-4").screenshot(
        path=str(screenshot_dir / f"chart-budget-final-5-4-{viewport['width']}.png")
    )
    assert_clean(page, log)


def test_the_link_to_the_budget_opens_it(paired_url: str, open_page: OpenPage) -> None:
    page, log = open_page(paired_url + FINAL_PAGE, viewport=DESKTOP)
    page.locator("p.paired-report a").click()
    page.wait_for_load_state("load")
    assert page.url == paired_url + BUDGET_PAGE
    page.locator("p.paired-report a").click()
    page.wait_for_load_state("load")
    assert page.url == paired_url + FINAL_PAGE
    assert_clean(page, log)
