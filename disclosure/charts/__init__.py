"""Interactive charts: figure specs built in Python from the model, drawn by a self-hosted plotly.js.

Pages embed each figure as JSON in <script type="application/json"> beside its caption and data
table; one small script (templates/assets/charts.js) draws them, so pages run under a strict
Content-Security-Policy, and without JavaScript every page still reads completely.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from markupsafe import Markup

from ..config import PortalConfig
from .assets import ChartAssets, load_assets
from .figures import Chart, DataRow, DataTable
from .report import report_charts
from .trends import unit_charts, year_charts

__all__ = [
    "Chart", "ChartAssets", "Charts", "DataRow", "DataTable", "PageCharts",
    "report_charts", "unit_charts", "write_chart_assets", "year_charts",
]  # fmt: skip

SLOT = "<!--chart:{}-->"


class Writer(Protocol):
    """What the charts need of the site writer."""

    def write_bytes(self, path: str, data: bytes) -> None:
        """Write one binary file inside the site."""


@dataclass
class PageCharts:
    """The charts of one page and the tags the page needs to draw them (nothing when it has none)."""

    root: str = ""
    charts: list[Chart] = field(default_factory=list)
    assets: ChartAssets | None = None
    sortable: bool = False

    def __bool__(self) -> bool:
        return bool(self.charts)

    def get(self, key: str) -> Chart | None:
        """Return the chart with this key (5-1), or None."""
        return next((c for c in self.charts if c.key == key), None)

    def slot(self, key: str) -> Markup:
        """Mark where a chart goes in generated notes (filled in after glossary linking)."""
        return Markup(SLOT.format(key)) if self.get(key) else Markup("")

    @property
    def scripts(self) -> list[str]:
        """Return the deferred scripts: charts.js on pages with charts or sortable tables."""
        if self.assets is None:
            return []
        return [self.root + self.assets.script] if self.plotly or self.sortable else []

    @property
    def plotly(self) -> str:
        """Return plotly.js on chart pages; charts.js loads it once the page has loaded."""
        return self.root + self.assets.plotly if self.charts and self.assets and self.assets.plotly else ""

    @property
    def stylesheet(self) -> str:
        """Return plotly.js's extracted stylesheet on chart pages."""
        return (
            self.root + self.assets.stylesheet
            if self.charts and self.assets and self.assets.stylesheet
            else ""
        )

    @property
    def guard_ids(self) -> tuple[str, ...]:
        """Return the ids whose presence stops plotly.js from inserting inline <style> elements."""
        return self.assets.guard_ids if self.charts and self.assets and self.assets.stylesheet else ()

    @property
    def style_src(self) -> Markup:
        """Return the page's CSP style-src: 'self', plus 'unsafe-inline' only if plotly's rules could
        not be extracted from the bundle."""
        if self.charts and self.assets and self.assets.inline_styles:
            return Markup("'self' 'unsafe-inline'")
        return Markup("'self'")


class Charts:
    """Build each page's charts; hold the shared assets (loaded once per build)."""

    def __init__(self, config: PortalConfig, templates: Path):
        self.enabled = config.charts
        self.assets = load_assets(templates, self.enabled)

    def for_page(self, root: str, template: str, context: dict[str, Any]) -> PageCharts:
        """Return the charts of a page from its template and context."""
        charts: list[Chart] = []
        if self.enabled:
            if template == "report.html":
                charts = report_charts(context["report"])
            elif template == "unit.html":
                charts = unit_charts(context["unit"])
            elif template == "year.html":
                charts = year_charts(context["year"], context["reports"], context["portal"])
        return PageCharts(root, charts, self.assets, sortable=template == "year.html")

    def write(self, writer: Writer) -> None:
        """Write the asset files into the site."""
        for path, data in sorted(self.assets.files.items()):
            writer.write_bytes(path, data if isinstance(data, bytes) else data.read_bytes())


def fill_slots(html: str, page: PageCharts, draw: Any) -> str:
    """Replace each chart slot in generated HTML with the chart drawn by `draw(chart)`."""
    for chart in page.charts:
        html = html.replace(SLOT.format(chart.key), str(draw(chart)))
    return html


def write_chart_assets(writer: Writer, config: PortalConfig, templates: Path) -> None:
    """Write plotly.js, its stylesheet and charts.js (each hashed) into the site's assets/.

    Called once per build before any page renders, so the assets are read once and every
    renderer (also in forked worker processes) finds them cached."""
    Charts(config, templates).write(writer)
