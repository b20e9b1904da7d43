"""Light summaries of units and reports: what the home and year pages need, kept for the whole portal.

Full reports (tables, prose) live only while their unit is being checked and rendered, so memory
does not grow with the portal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .evaluations import EvaluationRef
from .model import Report, ReportIdentity, Term, Unit, find_report


@dataclass
class ReportSummary(ReportIdentity):
    """A report's identity and named figures."""

    unit_id: str
    year: int
    kind: str
    title: str
    scope: str
    figures: dict[str, Decimal]
    previous: dict[str, Decimal]
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
    return ReportSummary(
        report.unit_id, report.year, report.kind, report.title, report.scope,
        dict(report.figures), dict(report.previous), list(report.files),
    )  # fmt: skip


def summarize_unit(unit: Unit | UnitSummary, reports: list[Report] | None = None) -> UnitSummary:
    """Keep what the shared pages need of a unit."""
    return UnitSummary(
        unit.id, unit.name, unit.level, unit.parent, unit.region, list(unit.consolidates), unit.file,
        [summarize_report(r) for r in (reports or [])],
        [e.ref() for e in getattr(unit, "evaluations", [])],
    )  # fmt: skip
