"""The pages of the portal: where each lives, which template draws it, what it reads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Union

from .evaluations import evaluation_path
from .model import Portal, Report, Unit
from .search import SEARCH_PAGE, search_script

if TYPE_CHECKING:
    from .summary import PortalIndex, ReportSummary, UnitSummary

PortalLike = Union[Portal, "PortalIndex"]


@dataclass
class Page:
    """One output page: its path in the site, template, context and input files."""

    path: str
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    templates: list[str] = field(default_factory=list)
    fixed_root: str | None = None
    # What is read only when the page is rendered, merged into context: a year page's reports (a
    # portal's pages are listed long before each is drawn, and need not hold every year's at once).
    read_context: Callable[[], dict[str, Any]] | None = None

    def full_context(self) -> dict[str, Any]:
        """Return the context with what is read at rendering."""
        return self.context if self.read_context is None else {**self.context, **self.read_context()}

    @property
    def root(self) -> str:
        """Return the prefix from this page to the site root: relative ("../../"), or fixed (404)."""
        if self.fixed_root is not None:
            return self.fixed_root
        return "../" * self.path.count("/")


def report_path(report: Report | ReportSummary) -> str:
    """Return a report's permanent page path."""
    return f"units/{report.unit_id}/{report.slug}/index.html"


def unit_path(unit: Unit | UnitSummary) -> str:
    """Return a unit's permanent page path."""
    return f"units/{unit.id}/index.html"


def year_path(year: int) -> str:
    """Return a year's permanent page path."""
    return f"years/{year}/index.html"


def portal_pages(portal: PortalLike) -> list[Page]:
    """List the pages shared by the whole portal: home, glossary, search, one page per year.

    Their inputs are every unit's summary (the build compares a digest of them, shared_inputs), not
    files: sources stays empty. A year's reports are read when its page is rendered.
    """
    home = {"portal": portal, "members_of": unit_children(portal), "report_count": report_count(portal)}
    pages = [
        Page("index.html", "home.html", "首页", home),
        Page("glossary/index.html", "glossary.html", "名词解释", {"terms": portal.glossary}, []),
        Page(SEARCH_PAGE, "search.html", "搜索", {"search_script": search_script}, []),
    ]
    for year in portal.years:
        context = {"year": year, "portal": portal}
        pages.append(
            Page(
                year_path(year),
                "year.html",
                f"{year}年度",
                context,
                read_context=partial(year_of, portal, year),
            )
        )
    return pages


def report_count(portal: PortalLike) -> int:
    """Return the number of reports of a portal (without reading shelved summaries)."""
    return sum(len(u.reports) for u in portal.units)


def year_of(portal: PortalLike, year: int) -> dict[str, Any]:
    """Return a year's reports and evaluations (what its page lists)."""
    return {
        "reports": [r for u in portal.units for r in u.reports if r.year == year],
        "evaluations": [e for u in portal.units for e in u.evaluations if e.year == year],
    }


def unit_children(portal: PortalLike) -> dict[str, list[Any]]:
    """Return each unit's member units by the parent's id (the home page nests them under it)."""
    # One pass: the page looked them up unit by unit, which grew with the square of the units.
    children: dict[str, list[Any]] = {}
    for unit in portal.units:
        if unit.parent is not None:
            children.setdefault(unit.parent, []).append(unit)
    return children


def linked_files(unit: Unit, portal: PortalLike) -> list[str]:
    """Return the unit.yaml files of the units a unit page names (its parent and members)."""
    files = []
    for other_id in [unit.parent or "", *unit.consolidates]:
        other = portal.unit(other_id) if other_id else None
        if other is not None and other.id != unit.id:
            files.append(other.file)
    return files


def sibling_key(unit: Unit) -> str:
    """Return a pseudo-source naming the unit's reports: a report page links to all of them."""
    # Not a file: it changes when a report is added or removed, so the page is not carried over.
    return "@reports:" + ",".join(sorted(r.slug for r in unit.reports))


def unit_pages(unit: Unit, portal: PortalLike) -> list[Page]:
    """List a unit's own pages: the unit page and one page per report."""
    pages = [
        Page(
            unit_path(unit),
            "unit.html",
            unit.name,
            {"unit": unit, "portal": portal},
            sorted(
                {unit.file}
                | {f for r in unit.reports for f in r.files}
                | set(linked_files(unit, portal))
                | {e.file for e in unit.evaluations}
            ),
        )
    ]
    for report in unit.reports:
        before = unit.report(report.year - 1, report.kind)
        # Last year's report feeds this one's comparisons and trend charts.
        sources = list(report.files) + (list(before.files) if before else [])
        if report.paired is not None:  # the 决算 takes its 年初预算数 from the 预算; each links the other
            sources += report.paired.files
        sources.append(sibling_key(unit))
        pages.append(
            Page(
                report_path(report),
                "report.html",
                report.title,
                {"report": report, "unit": unit, "portal": portal},
                sorted(set(sources) | {e.file for e in unit.evaluations if e.year == report.year}),
            )
        )
    for evaluation in unit.evaluations:
        sources = [
            unit.file,
            evaluation.file,
            *(f for r in unit.reports if r.year == evaluation.year for f in r.files),
        ]
        pages.append(
            Page(
                evaluation_path(evaluation),
                "evaluation.html",
                evaluation.title,
                {"evaluation": evaluation, "unit": unit, "portal": portal},
                sorted(set(sources)),
            )
        )
    return pages


def all_pages(portal: Portal) -> list[Page]:
    """List every page of an in-memory portal."""
    pages = portal_pages(portal)
    for unit in portal.units:
        pages.extend(unit_pages(unit, portal))
    return pages
