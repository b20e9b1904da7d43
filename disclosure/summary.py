"""Light summaries of units and reports: what the home and year pages need, kept for the whole portal.

Full reports (tables, prose) live only while their unit is being checked and rendered; a summary
keeps only the few figures the listing pages show (LISTED_FIGURES), so what the main process holds
per report is small and held once (the build state on disk has the same summary).
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, overload

from .evaluations import EvaluationRef
from .model import Report, ReportIdentity, Term, Unit, find_report

# The figures the year page's table and charts show (templates/year.html, charts/trends.year_charts):
# a report has about 80, and keeping all of them for every report made the main process grow with
# the portal.
LISTED_FIGURES = (
    "收支总计", "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出",
    "三公经费预算数", "三公经费决算数",
)  # fmt: skip


_LISTED = frozenset(LISTED_FIGURES)


class Figures(Mapping[str, Decimal]):
    """A report's listed figures, held as one string: a dict of Decimals cost eight times as much.

    The main process keeps one per report of the portal; the year pages read a few of each.
    Values come back exactly as given (str and Decimal round-trip, exponent included).
    """

    __slots__ = ("_names", "_text")

    def __init__(self, figures: Mapping[str, Decimal], names: tuple[str, ...] | None = None) -> None:
        # The usual names are the one shared tuple, LISTED_FIGURES (nothing per report).
        self._names = names or (LISTED_FIGURES if figures.keys() <= _LISTED else tuple(figures))
        self._text = "\t".join(str(figures[n]) if n in figures else "" for n in self._names)

    def __getitem__(self, name: str) -> Decimal:
        if name in self._names:
            value = self._text.split("\t")[self._names.index(name)]
            if value:
                return Decimal(value)
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return (n for n, v in zip(self._names, self._text.split("\t"), strict=True) if v)

    def __len__(self) -> int:
        return sum(1 for v in self._text.split("\t") if v)

    def __repr__(self) -> str:
        return f"Figures({dict(self)!r})"

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # Sent from the workers without the names when they are the shared ones.
        names = None if self._names is LISTED_FIGURES else self._names
        return (_figures_of_text, (self._text, names))


def _figures_of_text(text: str, names: tuple[str, ...] | None) -> Figures:
    figures = Figures.__new__(Figures)
    figures._names = names or LISTED_FIGURES
    figures._text = text
    return figures


@dataclass(slots=True)  # one per report of the portal, all kept: no __dict__ each
class ReportSummary(ReportIdentity):
    """A report's identity and the figures the listing pages show."""

    unit_id: str
    year: int
    kind: str
    title: str
    scope: str
    figures: Mapping[str, Decimal]  # a Figures (any mapping given is made one)
    files: list[str]

    def __post_init__(self) -> None:
        if not isinstance(self.figures, Figures):
            self.figures = Figures(self.figures)


class ShelvedReports(Sequence[ReportSummary]):
    """A unit's report summaries kept on disk (see ReportShelf), read back each time they are used."""

    __slots__ = ("_file", "_offset", "_length", "_count")

    def __init__(self, file: IO[bytes], offset: int, length: int, count: int) -> None:
        self._file, self._offset, self._length, self._count = file, offset, length, count

    def _load(self) -> list[ReportSummary]:
        self._file.seek(self._offset)
        reports: list[ReportSummary] = pickle.loads(self._file.read(self._length))
        return reports

    @overload
    def __getitem__(self, i: int) -> ReportSummary: ...
    @overload
    def __getitem__(self, i: slice) -> list[ReportSummary]: ...
    def __getitem__(self, i: int | slice) -> ReportSummary | list[ReportSummary]:
        return self._load()[i]

    def __iter__(self) -> Iterator[ReportSummary]:
        return iter(self._load())

    def __len__(self) -> int:
        return self._count

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"ShelvedReports({self._load()!r})"

    def __reduce__(self) -> tuple[Any, ...]:  # sent elsewhere, they go as the list they stand for
        return (list, (self._load(),))


class ReportShelf:
    """Where a build puts the report summaries of the units as they come back.

    A one-off build moves them to a scratch file: the shared pages read them unit by unit (the home
    page, one year at a time, the sitemap, the search listing), and what the main process holds per
    unit is its name and where its reports are, so its memory does not grow with the number of
    reports. The preview server builds again and again and keeps them in memory (keep), their
    strings shared: each arrives from a worker with its own copies of ids, file names and scopes.
    """

    def __init__(self, keep: bool, scratch: Path | None = None) -> None:
        # No name on disk: nothing is left behind if the build dies. Closed by close().
        self.file: IO[bytes] | None = None if keep else tempfile.TemporaryFile(dir=scratch)  # noqa: SIM115

    def shelve(self, summary: UnitSummary) -> UnitSummary:
        """Move a unit summary's reports to the shelf (or share their strings, when kept); return it."""
        if self.file is None:
            intern = sys.intern
            summary.id = intern(summary.id)
            for report in summary.reports:  # (its figures are one string: Figures)
                report.unit_id = intern(report.unit_id)
                report.files = [intern(f) for f in report.files]
                report.scope, report.kind = intern(report.scope), intern(report.kind)
            return summary
        reports = list(summary.reports)
        data = pickle.dumps(reports, protocol=pickle.HIGHEST_PROTOCOL)
        offset = self.file.seek(0, os.SEEK_END)
        self.file.write(data)
        summary.reports = ShelvedReports(self.file, offset, len(data), len(reports))
        return summary

    def close(self) -> None:
        """Delete the scratch file."""
        if self.file is not None:
            self.file.close()


@dataclass(slots=True)  # one per unit of the portal, in every process: no __dict__ each
class UnitSummary:
    """A unit's identity and its report summaries, newest first."""

    id: str
    name: str
    level: str
    parent: str | None
    region: str
    consolidates: list[str]
    file: str
    reports: Sequence[ReportSummary] = field(default_factory=list)  # a list, or ShelvedReports
    evaluations: list[EvaluationRef] = field(default_factory=list)

    def report(self, year: int, kind: str = "final") -> ReportSummary | None:
        """Return this unit's report of a year and kind."""
        return find_report(self.reports, year, kind)


@dataclass
class PortalIndex:
    """Every unit's summary plus the standard glossary: the portal as the shared pages see it."""

    units: list[UnitSummary]
    glossary: list[Term]
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
        """Return every report of every unit (all at once: the build reads them with each_report)."""
        return list(self.each_report())

    def each_report(self) -> Iterator[ReportSummary]:
        """Yield every report of every unit, a unit's at a time (shelved ones read back as they come)."""
        for unit in self.units:
            yield from unit.reports

    @property
    def years(self) -> list[int]:
        """Return every year that has a report, newest first."""
        return sorted(
            {r.year for r in self.each_report()} | {e.year for u in self.units for e in u.evaluations},
            reverse=True,
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
