"""The portal's in-memory model: units, reports, their tables and the figures the notes use.

The model is built by builder.py from the sources already read; neither does any I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from .evaluations import Evaluation
from .performance import SelfEvaluation
from .profile import CellRef, Profile
from .sources import TextFile
from .tables import Cell, Table

KIND_LABELS = {"final": "决算", "budget": "预算"}
KIND_BY_LABEL = {"决算": "final", "预算": "budget", "final": "final", "budget": "budget"}
DEFAULT_PROFILE = {"final": "national-final", "budget": "national-budget"}

THREE_PUBLIC_COUNTS = (
    "因公出国团组", "因公出国人次", "购置车辆数", "公务用车保有量",
    "国内接待批次", "国内接待人次", "外事接待批次", "外事接待人次",
    "国外接待批次", "国外接待人次",
)  # fmt: skip
THREE_PUBLIC_AMOUNTS = ("国内接待费", "国外接待费")
OPERATING_KEYS = ("决算数", "年初预算数", "上年决算数")
BUDGET_OPERATING_KEYS = ("预算数", "上年预算数")
PROCUREMENT_KEYS = ("货物", "工程", "服务", "授予中小企业", "授予小微企业")
VEHICLE_KINDS = (
    "领导干部用车", "机要通信用车", "应急保障用车", "执法执勤用车",
    "特种专业技术用车", "离退休干部用车", "其他用车",
)  # fmt: skip


@dataclass
class Section:
    """An authored Markdown section of a report's prose file (line: of its heading)."""

    key: str
    text: str
    file: str
    line: int
    text_line: int = 0

    def __post_init__(self) -> None:
        if not self.text_line:
            self.text_line = self.line + 1


@dataclass
class Term:
    """A glossary entry."""

    term: str
    definition: str
    file: str = ""
    line: int = 0


@dataclass
class Attachment:
    """A Markdown attachment (第五部分 附件)."""

    slug: str
    title: str
    text: str
    file: str


@dataclass
class Project:
    """One project's self-evaluation result (绩效自评)."""

    name: str
    score: Decimal | None
    grade: str
    unit: str = ""
    budget: Decimal | None = None
    spent: Decimal | None = None
    line: int | None = None


@dataclass
class Target:
    """One project's 绩效目标表 (budget): funds, overall goal and 一级/二级/三级 indicators with 指标值."""

    name: str
    department: str
    unit: str
    total: Cell | None
    fiscal: Cell | None
    other: Cell | None
    goal: str
    indicators: list[tuple[str, str, str, str]]
    line: int | None = None


class ReportIdentity:
    """What names a report in URLs and titles: its year and kind (shared by reports and summaries)."""

    __slots__ = ()  # a summary (one per report of the portal, all kept) holds no __dict__

    year: int
    kind: str

    @property
    def kind_label(self) -> str:
        """Return 决算 or 预算."""
        return KIND_LABELS[self.kind]

    @property
    def slug(self) -> str:
        """Return the report's permanent path segment, e.g. 2024-final."""
        return f"{self.year}-{self.kind}"


@dataclass
class Report(ReportIdentity):
    """One disclosure: a unit's 决算 (or 预算) for one year."""

    unit_id: str
    year: int
    kind: str
    profile: Profile
    file: str
    title: str = ""
    scope: str = "单位"
    tables: dict[str, Table] = field(default_factory=dict)
    figures: dict[str, Decimal] = field(default_factory=dict)
    typed_previous: dict[str, Cell] = field(default_factory=dict)
    previous: dict[str, Decimal] = field(default_factory=dict)
    budget_total: dict[str, Cell] = field(default_factory=dict)
    budget_items: dict[str, Cell] = field(default_factory=dict)
    three_public: dict[str, Any] = field(default_factory=dict)
    operating: dict[str, Cell] = field(default_factory=dict)
    procurement: dict[str, Cell] = field(default_factory=dict)
    vehicles: dict[str, int] = field(default_factory=dict)
    other_vehicle_note: str = ""
    equipment: int = 0
    projects: list[Project] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    self_evaluations: list[SelfEvaluation] = field(default_factory=list)
    self_evaluation_note: str = ""
    sections: dict[str, Section] = field(default_factory=dict)
    glossary: list[Term] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    note_suffix: str = ""
    files: list[str] = field(default_factory=list)
    # The same unit-year's report of the other kind (a 决算's 预算 and back), when the unit has both.
    paired: Report | None = field(default=None, repr=False, compare=False)

    def section(self, key: str) -> Section | None:
        """Return an authored section by key."""
        return self.sections.get(key)


@dataclass
class Unit:
    """A department (部门) or unit (单位) with its reports, newest first."""

    id: str
    name: str
    level: str
    parent: str | None
    region: str
    consolidates: list[str]
    duties: TextFile | None
    organization: TextFile | None
    file: str
    reports: list[Report] = field(default_factory=list)
    evaluations: list[Evaluation] = field(default_factory=list)

    def report(self, year: int, kind: str = "final") -> Report | None:
        """Return this unit's report of a year and kind."""
        return find_report(self.reports, year, kind)


R = TypeVar("R", bound="ReportLike")


class ReportLike(Protocol):
    """Anything that names its year and kind (a full report or its summary)."""

    year: int
    kind: str


def find_report(reports: Iterable[R], year: int, kind: str) -> R | None:
    """Return the report of a year and kind from a unit's list."""
    return next((r for r in reports if r.year == year and r.kind == kind), None)


def pair_budgets_and_finals(reports: list[Report]) -> None:
    """Let each 决算 know the same year's 预算 and back, when a unit has both for a year."""
    for report in reports:
        report.paired = find_report(reports, report.year, "budget" if report.kind == "final" else "final")


@dataclass
class Portal:
    """All units and reports, plus the standard glossary."""

    units: list[Unit]
    glossary: list[Term]
    hashes: dict[str, str] = field(default_factory=dict)

    def unit(self, unit_id: str) -> Unit | None:
        """Return a unit by id."""
        for unit in self.units:
            if unit.id == unit_id:
                return unit
        return None

    @property
    def reports(self) -> list[Report]:
        """Return every report of every unit."""
        return [r for u in self.units for r in u.reports]

    @property
    def years(self) -> list[int]:
        """Return every year that has a report, newest first."""
        return sorted(
            {r.year for r in self.reports} | {e.year for u in self.units for e in u.evaluations}, reverse=True
        )


def resolve(report: Report, ref: CellRef) -> Cell | None:
    """Resolve a cell reference within a report's tables."""
    table = report.tables.get(ref.table)
    if table is None:
        return None
    try:
        return table.cell(ref.row, ref.column)
    except (ValueError, IndexError):
        return None
