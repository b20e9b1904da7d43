"""Located problems found while loading and checking, reported all at once in Chinese."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum


class Level(IntEnum):
    """How serious a problem is; only errors stop a build."""

    NOTE = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        """Return the Chinese name shown to finance officers."""
        return {1: "提示", 2: "警告", 3: "错误"}[self.value]


@dataclass(frozen=True)
class Problem:
    """One finding, located by file and line, table, row and column."""

    level: Level
    message: str
    file: str = ""
    line: int | None = None
    table: str = ""
    row: str = ""
    column: str = ""

    def format(self) -> str:
        """Return the one-line message: `file:line 表 行「列」说明`."""
        where = self.file + (f":{self.line}" if self.line else "")
        parts = [p for p in (where, self.table, self.row) if p]
        head = " ".join(parts)
        column = f"「{self.column}」" if self.column else ""
        sep = " " if head and not column else ""
        return f"[{self.level.label}] {head}{sep}{column}{self.message}"


@dataclass
class Problems:
    """Collect problems from every stage so that all are reported together."""

    items: list[Problem] = field(default_factory=list)

    def add(self, level: Level, message: str, **where: object) -> None:
        """Record one problem."""
        self.items.append(Problem(level, message, **where))  # type: ignore[arg-type]

    def error(self, message: str, **where: object) -> None:
        """Record an error (stops the build)."""
        self.add(Level.ERROR, message, **where)

    def warning(self, message: str, **where: object) -> None:
        """Record a warning (published anyway)."""
        self.add(Level.WARNING, message, **where)

    def note(self, message: str, **where: object) -> None:
        """Record a note, e.g. a rounding tail."""
        self.add(Level.NOTE, message, **where)

    def extend(self, other: Problems) -> None:
        """Take over another collector's problems."""
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Problem]:
        """Return only the errors."""
        return [p for p in self.items if p.level is Level.ERROR]

    def has_errors(self) -> bool:
        """Tell whether anything stops the build."""
        return any(p.level is Level.ERROR for p in self.items)

    def sorted(self) -> list[Problem]:
        """Return problems ordered by file and line, for stable output."""
        return sorted(self.items, key=lambda p: (p.file, p.line or 0, -p.level, p.message))

    def count(self, level: Level) -> int:
        """Count problems of one level."""
        return sum(1 for p in self.items if p.level is level)
