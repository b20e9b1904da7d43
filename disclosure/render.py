"""Render pages through the Jinja templates; filters are registered here, in one place."""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, select_autoescape
from markupsafe import Markup

from .charts import Chart, Charts, PageCharts, fill_slots
from .config import PortalConfig
from .evaluations import evaluation_path
from .markup import link_terms, render_inline, render_markdown
from .model import Report, Term, Unit
from .money import format_money, format_percent
from .notes import NotesData
from .pages import Page, PortalLike, report_path, unit_path, year_path
from .performance import expand_reviews, indicator_spans
from .table_html import rows_html
from .views import table_view


def money(value: Decimal | int | None) -> str:
    """Format an amount in a sentence: 1,547.33."""
    return format_money(Decimal(value)) if value is not None else "0.00"


def pct(value: Decimal | None) -> str:
    """Format a percentage with two decimals: 28.56%."""
    return format_percent(value)


def register_filters(env: Environment) -> None:
    """Register every template filter of the portal."""
    env.filters["money"] = money
    env.filters["pct"] = pct
    env.filters["markdown"] = lambda text, level=3: Markup(render_markdown(text or "", level=level))
    env.filters["inline"] = lambda text: Markup(render_inline(text or ""))
    env.filters["reviews"] = expand_reviews
    env.filters["table_rows"] = rows_html
    env.globals["indicator_spans"] = indicator_spans


def report_glossary(report: Report, standard: list[Term]) -> list[Term]:
    """Merge the standard glossary with the report's own terms (same name replaces, new ones follow)."""
    own = {t.term: t for t in report.glossary}
    merged = [own.pop(t.term, t) for t in standard]
    merged += [t for t in report.glossary if t.term in own]
    return merged


def profile_glossary(report: Report) -> list[Term]:
    """Return the glossary the report's profile prescribes (empty: the portal's standard one applies)."""
    return [Term(term, text, report.profile.source) for term, text in report.profile.glossary]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Keep Python's cycle collector from running while a page renders.

    A report page makes thousands of objects that live until the page is done; each collection
    run during it walks them (and, every so often, the whole heap) to free nothing. They are
    freed by reference counting when the page is done, so collections resume at the same pace.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class RecordingEnvironment(Environment):
    """A Jinja environment that notes every template looked up (extends, include, import too)."""

    used: set[str]

    def get_template(self, name: Any, parent: Any = None, globals: Any = None) -> Any:  # noqa: A002
        """Return a template and record its name."""
        if hasattr(self, "used"):
            self.used.add(str(getattr(name, "name", name)))
        return super().get_template(name, parent, globals)


_ENVIRONMENTS: dict[str, RecordingEnvironment] = {}


def template_environment(templates: Path) -> RecordingEnvironment:
    """Return the Jinja environment of a templates folder, kept for the process's life.

    Compiled templates are reused between builds (the preview server builds many times); Jinja
    reloads a template whose file changed.
    """
    key = str(templates.resolve())
    if key not in _ENVIRONMENTS:
        env = RecordingEnvironment(
            loader=FileSystemLoader(key),
            autoescape=select_autoescape(["html", "xml"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        register_filters(env)
        _ENVIRONMENTS[key] = env
    return _ENVIRONMENTS[key]


def compile_templates(templates: Path) -> None:
    """Compile every template of a folder in this process (workers compile theirs in their own)."""
    env = template_environment(templates)
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)  # kept for the process's life; a changed file is compiled again


class Renderer:
    """Render the portal's pages with one Jinja environment built once."""

    def __init__(self, config: PortalConfig, templates: Path, portal: PortalLike, css: str):
        self.config = config
        self.portal = portal
        self.css_name = css
        self.env = template_environment(templates)
        self.charts = Charts(config, templates)

    def render(self, page: Page) -> str:
        """Render one page to HTML, recording in page.templates every template it used."""
        with self._recording(page):
            template, context = self._prepare(page)
            return template.render(context)

    def render_pieces(self, page: Page) -> Iterator[str]:
        """Render one page in pieces as render() would whole (a year's page lists every report of
        the year: written as it renders, it is never held in memory)."""
        with self._recording(page):
            template, context = self._prepare(page)
            yield from template.generate(context)

    @contextmanager
    def _recording(self, page: Page) -> Iterator[None]:
        """Record in page.templates the templates used while a page renders, the collector paused."""
        self.env.used = set()
        with _collector_paused():
            yield
        page.templates = sorted(self.env.used)

    def _prepare(self, page: Page) -> tuple[Template, dict[str, Any]]:
        """Return a page's template and the context it is rendered with."""
        root = page.root
        own = page.full_context()
        context: dict[str, Any] = {
            "site": self.config,
            "page": page,
            "root": root,
            "css": root + self.css_name,
            "link_report": lambda r: root + report_path(r),
            "link_unit": lambda u: root + unit_path(u),
            "link_year": lambda y: root + year_path(y),
            "link_evaluation": lambda e: root + evaluation_path(e),
            "link_glossary": root + "glossary/index.html",
            "link_home": root + "index.html",
            **own,
        }
        charts = self.charts.for_page(root, page.template, own)
        context["charts"] = charts
        used = getattr(self.env, "used", None)
        if charts.scripts and used is not None:
            used.add("assets/charts.js")  # a kept page must be redone when the script's hashed name changes
        if page.template == "report.html":
            context.update(self.report_context(own["report"], own["unit"], charts))
        return self.env.get_template(page.template), context

    def draw_chart(self, chart: Chart) -> Markup:
        """Return a figure's HTML (partials/chart.html)."""
        return Markup(self.env.get_template("partials/chart.html").module.chart(chart))

    def report_context(self, report: Report, unit: Unit, charts: PageCharts | None = None) -> dict[str, Any]:
        """Return what the report template needs beyond the model: table views, notes, glossary."""
        charts = charts if charts is not None else PageCharts()
        glossary = report_glossary(report, profile_glossary(report) or self.portal.glossary)
        anchors = [(t.term, f"term-{i}") for i, t in enumerate(glossary, 1)]
        views = [
            table_view(
                report.tables[t.number], report.scope, report.note_suffix, self.config.blank_zero, unit.name
            )
            for t in report.profile.tables
        ]
        notes_data = NotesData(report)

        def reason(key: str, prefix: str = "") -> Markup:
            section = report.section(key)
            if section is None or not section.text:
                return Markup("")
            html = render_inline(section.text)
            text = section.text.lstrip()
            if prefix and not text.startswith(("主要", prefix)):
                # An enumerated reason ("一是……二是……") reads "主要原因是：一是……".
                html = prefix + ("：" if text.startswith(("一是", "（一）", "1")) else "") + html
            return Markup(html)

        notes_html = self.env.get_template(f"notes/{report.profile.notes or report.kind}.html").render(
            report=report, unit=unit, n=notes_data, reason=reason, year=report.year,
            previous_year=report.year - 1, scope=report.scope, chart=charts.slot,
        )  # fmt: skip
        return {
            "tables": views,
            "notes": Markup(fill_slots(link_terms(notes_html, anchors), charts, self.draw_chart)),
            "glossary": glossary,
            "term_anchors": dict(anchors),
            "n": notes_data,
            "other_reports": [r for r in unit.reports if r is not report],
            "evaluations": [e for e in unit.evaluations if e.year == report.year],
        }


def hashed_name(name: str, content: bytes) -> str:
    """Return an asset file name carrying a short content hash (site.css → site.1a2b3c4d.css)."""
    digest = hashlib.sha256(content).hexdigest()[:10]
    stem, _, suffix = name.rpartition(".")
    return f"{stem}.{digest}.{suffix}"
