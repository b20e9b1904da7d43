"""Light summaries of units and reports: what the home and year pages need, kept for the whole portal.

Full reports (tables, prose) live only while their unit is being checked and rendered; a summary
keeps only the few figures the listing pages show (LISTED_FIGURES), so what the main process holds
per report is small and held once (the build state on disk has the same summary).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .evaluations import EvaluationRef
from .model import Report, ReportIdentity, Term, Unit, find_report

# The figures the year page's table and charts show (templates/year.html, charts/trends.year_charts):
# a report has about 80, and keeping all of them for every report made the main process grow with
# the portal.
LISTED_FIGURES = (
    "收支总计", "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出",
    "三公经费预算数", "三公经费决算数",
)  # fmt: skip


@dataclass
class ReportSummary(ReportIdentity):
    """A report's identity and the figures the listing pages show."""

    unit_id: str
    year: int
    kind: str
    title: str
    scope: str
    figures: dict[str, Decimal]
    files: list[str]


@dataclass
class UnitSummary:
    """A unit's identity and its report summaries, newest first."""

    id: str
    name: str
    level: str
    parent: str | None
    region: str
    consolidates: list[str]
    file: str
    reports: list[ReportSummary] = field(default_factory=list)
    evaluations: list[EvaluationRef] = field(default_factory=list)

    def report(self, year: int, kind: str = "final") -> ReportSummary | None:
        """Return this unit's report of a year and kind."""
        return find_report(self.reports, year, kind)


@dataclass
class PortalIndex:
    """Every unit's summary plus the standard glossary: the portal as the shared pages see it."""

    units: list[UnitSummary]
    glossary: list[Term]
    hashes: dict[str, str] = field(default_factory=dict)
    archives: list[int] = field(default_factory=list)

    def drop_empty(self) -> None:
        """Forget units without reports (an archive of one year lists only that year's units)."""
        self.units = [u for u in self.units if u.reports or u.evaluations]
        self._by_id = {u.id: u for u in self.units}

    def __post_init__(self) -> None:
        self._by_id = {u.id: u for u in self.units}

    def unit(self, unit_id: str) -> UnitSummary | None:
        """Return a unit by id."""
        return self._by_id.get(unit_id)

    def replace(self, summary: UnitSummary) -> None:
        """Put a unit's full summary in place of its placeholder."""
        self._by_id[summary.id] = summary
        self.units = [summary if u.id == summary.id else u for u in self.units]

    def replace_many(self, summaries: list[UnitSummary]) -> None:
        """Put many units' full summaries in place of their placeholders (one pass)."""
        if not summaries:
            return
        new = {s.id: s for s in summaries}
        self._by_id.update(new)
        self.units = [new.get(u.id, u) for u in self.units]

    def linked(self, unit_id: str) -> list[str]:
        """Return the units whose names a unit's page shows (parent and members)."""
        unit = self.unit(unit_id)
        if unit is None:
            return []
        return [u for u in [unit.parent or "", *unit.consolidates] if u and self.unit(u) and u != unit_id]

    @property
    def reports(self) -> list[ReportSummary]:
        """Return every report of every unit."""
        return [r for u in self.units for r in u.reports]

    @property
    def years(self) -> list[int]:
        """Return every year that has a report, newest first."""
        return sorted(
            {r.year for r in self.reports} | {e.year for u in self.units for e in u.evaluations}, reverse=True
        )


def summarize_report(report: Report) -> ReportSummary:
    """Keep what the shared pages need of a report."""
    figures = report.figures
    return ReportSummary(
        report.unit_id, report.year, report.kind, report.title, report.scope,
        {name: figures[name] for name in LISTED_FIGURES if name in figures}, list(report.files),
    )  # fmt: skip


def summarize_unit(unit: Unit | UnitSummary, reports: list[Report] | None = None) -> UnitSummary:
    """Keep what the shared pages need of a unit."""
    return UnitSummary(
        unit.id, unit.name, unit.level, unit.parent, unit.region, list(unit.consolidates), unit.file,
        [summarize_report(r) for r in (reports or [])],
        [e.ref() for e in getattr(unit, "evaluations", [])],
    )  # fmt: skip
