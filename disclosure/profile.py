"""Table profiles: the official layout of a region's tables, read from data files."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from .formulas import CellRef, Term, expand_lines, parse_formula

PROFILE_DIR = Path(__file__).parent / "profiles"


@dataclass(frozen=True)
class Column:
    """A value column of a table, with an optional formula over other columns of the row."""

    key: str
    label: str
    formula: tuple[Term, ...] = ()


@dataclass(frozen=True)
class FixedRow:
    """A printed row of a balance table (行次, label, optional class code and formula)."""

    line: int
    label: str = ""
    code: str = ""
    formula: tuple[tuple[int, int], ...] = ()
    total: bool = False
    indent: int = 0


@dataclass(frozen=True)
class Side:
    """One side (收入 or 支出) of a balance table."""

    label: str
    columns: tuple[Column, ...]
    rows: tuple[FixedRow, ...]
    group: str = ""

    @cached_property
    def formula_columns(self) -> tuple[Column, ...]:
        """Return the columns computed from others in the row (the ones a check recomputes)."""
        return tuple(c for c in self.columns if c.formula)


@dataclass(frozen=True)
class Subtotal:
    """A named sum of economic classes (人员经费合计, 公用经费合计)."""

    key: str
    classes: tuple[str, ...]


@dataclass(frozen=True)
class TableDef:
    """The definition of one standard table of a profile."""

    id: str
    number: str
    title: str
    layout: str
    note: str = ""
    empty_note: str = ""
    classification: str = ""
    header: tuple[tuple[dict[str, Any], ...], ...] = ()
    columns: tuple[Column, ...] = ()
    sides: tuple[Side, ...] = ()
    groups: tuple[tuple[str, ...], ...] = ()
    subtotals: tuple[Subtotal, ...] = ()
    records: tuple[str, ...] = ()
    line_numbers: bool = True
    column_numbers: bool = True
    code_columns: int = 1
    # Where a 科目 table prints its 合计 row: "top" (national) or "bottom" (Shanghai 表五).
    total_position: str = "top"
    # How a record table lays out its cells: all of one record then the next ("records", 预算数 | 决算数),
    # or each column's records side by side ("interleaved", 合计 预算数 决算数 | 因公出国 预算数 决算数 …).
    record_order: str = "records"
    # A label such as 说明: the empty note is printed below the table note instead of replacing it.
    empty_note_label: str = ""
    # Whether the 表号 is printed in the heading (Shanghai's template prints the title only).
    show_number: bool = True
    # The rows a template prints whether or not they hold data: (code, name) in printed order.
    template_rows: tuple[tuple[str, str], ...] = ()

    def column(self, key: str) -> Column | None:
        """Return the column with this key, on any side."""
        for col in self.all_columns():
            if col.key == key:
                return col
        return None

    def all_columns(self) -> tuple[Column, ...]:
        """Return every value column (for balance tables, of both sides)."""
        if self.sides:
            return tuple(c for side in self.sides for c in side.columns)
        return self.columns

    @cached_property
    def _lines(self) -> dict[int, tuple[Side, FixedRow]]:
        return {row.line: (side, row) for side in self.sides for row in side.rows}

    @cached_property
    def formula_columns(self) -> tuple[Column, ...]:
        """Return the columns computed from others in the row (the ones a check recomputes)."""
        return tuple(c for c in self.columns if c.formula)

    @cached_property
    def class_names(self) -> dict[str, str]:
        """Return the 类 code → name map printed in a balance table's rows."""
        names: dict[str, str] = {}
        for side in self.sides:
            for row in side.rows:
                if row.code:
                    names[row.code] = row.label.split("、", 1)[-1]
        return names

    @cached_property
    def formula_order(self) -> tuple[tuple[Side, FixedRow], ...]:
        """Return a balance table's formula rows, each after the rows it sums (its parts first)."""
        order: list[tuple[Side, FixedRow]] = []
        done: set[int] = set()

        def visit(line: int) -> None:
            if line in done:
                return
            done.add(line)
            found = self._lines.get(line)
            if found is None or not found[1].formula:
                return
            for _, part in found[1].formula:
                visit(part)
            order.append(found)

        for side in self.sides:
            for row in side.rows:
                visit(row.line)
        return tuple(order)

    def side_of(self, line: int) -> Side | None:
        """Return the side holding this 行次."""
        found = self._lines.get(line)
        return found[0] if found else None

    def fixed_row(self, line: int) -> FixedRow | None:
        """Return the fixed row with this 行次."""
        found = self._lines.get(line)
        return found[1] if found else None


@dataclass(frozen=True)
class Rule:
    """A cross-table consistency rule (勾稽关系)."""

    name: str
    kind: str
    left: tuple[tuple[int, CellRef], ...] = ()
    right: tuple[tuple[int, CellRef], ...] = ()
    table: str = ""
    column: str = ""
    against: str = ""
    against_column: str | None = None


@dataclass(frozen=True)
class Profile:
    """A region's table profile: tables, rules, and the named figures the notes use."""

    id: str
    name: str
    kind: str
    kind_label: str
    tables: tuple[TableDef, ...]
    rules: tuple[Rule, ...]
    figures: dict[str, CellRef] = field(default_factory=dict)
    carry_over: tuple[tuple[str, str], ...] = ()
    source: str = ""
    aliases: tuple[str, ...] = ()
    # The notes template (templates/notes/NAME.html); empty: the one of the report's kind.
    notes: str = ""
    # The headings of 第一部分 概况 (职责, 机构设置); {scope} is 部门 or 单位.
    overview: tuple[str, str] = ("{scope}职责", "机构设置")
    # The template's own 名词解释 (term, definition), used instead of the portal's standard glossary.
    glossary: tuple[tuple[str, str], ...] = ()

    def table(self, number: str) -> TableDef | None:
        """Return the table with this 表号."""
        for table in self.tables:
            if table.number == number:
                return table
        return None

    def table_of(self, figure: str) -> str:
        """Return the 表号 that a named figure comes from ("" when the profile lacks the figure)."""
        ref = self.figures.get(figure)
        return ref.table if ref else ""

    def column_of(self, figure: str, default: str = "") -> str:
        """Return the column key that a named figure reads (the profile's own name for 小计/合计)."""
        ref = self.figures.get(figure)
        return (ref.column or default) if ref else default


def _column(raw: Any) -> Column:
    if isinstance(raw, str):
        return Column(raw, raw)
    key = str(raw["key"])
    formula = tuple(parse_formula(raw["formula"])) if raw.get("formula") else ()
    return Column(key, str(raw.get("label", key)), formula)


def _header_cell(raw: Any) -> dict[str, Any]:
    if isinstance(raw, dict):
        return {
            "text": str(raw.get("text", "")),
            "colspan": int(raw.get("colspan", 1)),
            "rowspan": int(raw.get("rowspan", 1)),
        }
    return {"text": "" if raw is None else str(raw), "colspan": 1, "rowspan": 1}


def _fixed_row(raw: dict[str, Any]) -> FixedRow:
    formula = tuple(expand_lines(parse_formula(str(raw["formula"])))) if raw.get("formula") else ()
    return FixedRow(
        line=int(raw["line"]),
        label=str(raw.get("label", "")),
        code=str(raw.get("code", "")),
        formula=formula,
        total=bool(raw.get("total", False)),
        indent=int(raw.get("indent", 0)),
    )


def _table(raw: dict[str, Any], show_numbers: bool = True) -> TableDef:
    sides = tuple(
        Side(
            str(s["label"]),
            tuple(_column(c) for c in s["columns"]),
            tuple(_fixed_row(r) for r in s["rows"]),
            str(s.get("group", "")),
        )
        for s in raw.get("sides", ())
    )
    columns = tuple(_column(c) for c in raw.get("columns", ()))
    if raw.get("column"):
        columns = (_column(raw["column"]),)
    return TableDef(
        id=str(raw["id"]),
        number=str(raw["number"]),
        title=str(raw["title"]),
        layout=str(raw["layout"]),
        note=str(raw.get("note", "")),
        empty_note=str(raw.get("empty_note", "")),
        classification=str(raw.get("classification", "")),
        header=tuple(tuple(_header_cell(c) for c in row) for row in raw.get("header", ())),
        columns=columns,
        sides=sides,
        groups=tuple(tuple(str(c) for c in g) for g in raw.get("groups", ())),
        subtotals=tuple(
            Subtotal(str(s["key"]), tuple(str(c) for c in s["classes"])) for s in raw.get("subtotals", ())
        ),
        records=tuple(str(r) for r in raw.get("records", ())),
        line_numbers=bool(raw.get("line_numbers", True)),
        column_numbers=bool(raw.get("column_numbers", True)),
        code_columns=int(raw.get("code_columns", 1)),
        total_position=_choice(raw, "total_position", ("top", "bottom")),
        record_order=_choice(raw, "record_order", ("records", "interleaved")),
        empty_note_label=str(raw.get("empty_note_label", "")),
        show_number=bool(raw.get("show_number", show_numbers)),
        template_rows=tuple(_template_row(r) for r in raw.get("rows", ())),
    )


def _template_row(raw: Any) -> tuple[str, str]:
    """Read a printed row of a 科目 table: "30101 基本工资" or [30101, 基本工资]."""
    code, _, name = str(raw).partition(" ") if not isinstance(raw, list) else (str(raw[0]), "", str(raw[1]))
    return code.strip(), name.strip()


def _choice(raw: dict[str, Any], key: str, allowed: tuple[str, ...]) -> str:
    """Return a setting that must be one of a few words (the first is the default)."""
    value = str(raw.get(key, allowed[0]))
    if value not in allowed:
        raise ValueError(f"表样中“{key}: {value}”无效（可用：{'、'.join(allowed)}）")
    return value


def _signed_refs(text: str) -> tuple[tuple[int, CellRef], ...]:
    return tuple((t.sign, CellRef.parse(t.name)) for t in parse_formula(text))


def _rule(raw: dict[str, Any]) -> Rule:
    name = str(raw.get("name", ""))
    if "equal" in raw:
        left, right = raw["equal"]
        return Rule(name, "equal", _signed_refs(left), _signed_refs(right))
    if "classes" in raw:
        return Rule(
            name,
            "classes",
            table=str(raw["classes"]),
            column=str(raw["column"]),
            against=str(raw["against"]),
            against_column=raw.get("against_column"),
        )
    raise ValueError(f"未知的规则：{raw}")


def parse_profile(raw: dict[str, Any], source: str = "") -> Profile:
    """Build a Profile from its YAML mapping."""
    return Profile(
        id=str(raw["id"]),
        name=str(raw.get("name", raw["id"])),
        kind=str(raw.get("kind", "final")),
        kind_label=str(raw.get("kind_label", "决算")),
        tables=tuple(_table(t, bool(raw.get("show_numbers", True))) for t in raw["tables"]),
        rules=tuple(_rule(r) for r in raw.get("rules", ())),
        figures={str(k): CellRef.parse(str(v)) for k, v in raw.get("figures", {}).items()},
        carry_over=tuple((str(c["previous"]), str(c["current"])) for c in raw.get("carry_over", ())),
        source=source,
        aliases=tuple(str(a) for a in raw.get("aliases", ())),
        notes=str(raw.get("notes", "")),
        overview=_overview(raw.get("overview")),
        glossary=tuple((str(k), str(v).strip()) for k, v in (raw.get("glossary") or {}).items()),
    )


def _overview(raw: Any) -> tuple[str, str]:
    """Read the two 概况 headings, keeping the national ones when not given."""
    if not raw:
        return ("{scope}职责", "机构设置")
    duties, organization = (str(x) for x in raw)
    return duties, organization


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CACHE: dict[tuple[str, int, int], Profile] = {}


def _load_profile(path: Path) -> Profile:
    """Parse one profile file, reusing the parse while the file is unchanged."""
    info = path.stat()
    key = (str(path), info.st_mtime_ns, info.st_size)
    if key not in _CACHE:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - safe loader
        _CACHE[key] = parse_profile(raw, str(path))
    return _CACHE[key]


def find_profile(profiles: dict[str, Profile], name: str) -> Profile | None:
    """Return the profile with this id or alias (`shanghai` for `shanghai-final`)."""
    if name in profiles:
        return profiles[name]
    return next((p for p in profiles.values() if name in p.aliases), None)


def load_profiles(extra_dirs: tuple[Path, ...] = ()) -> dict[str, Profile]:
    """Load every shipped profile, then any from extra folders (which may override by id)."""
    profiles: dict[str, Profile] = {}
    for folder in (PROFILE_DIR, *extra_dirs):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            profile = _load_profile(path)
            profiles[profile.id] = profile
    return profiles
