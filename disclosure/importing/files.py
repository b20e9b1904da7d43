"""Put an import's results on disk: the report YAML, unit.yaml when new, and content files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .mapping import ImportResult
from .writer import render_report, scalar

UNIT_LEVEL_CONTENT = ("职责.md", "机构设置.md")


@dataclass
class Plan:
    """The files an import will write, and those it keeps because they already exist."""

    report: Path | None
    text: str = ""
    lines: dict[tuple[Any, ...], int] = field(default_factory=dict)
    files: dict[Path, str] = field(default_factory=dict)
    kept: list[Path] = field(default_factory=list)

    def existing(self) -> list[Path]:
        """Return the files of this report that already exist (overwriting them needs --force)."""
        return [p for p in self.files if p.exists()]


def plan_files(
    root: Path, data_dir: str, content_dir: str, result: ImportResult, source_name: str, force: bool
) -> Plan:
    """Work out every file to write for an import."""
    content_root = root / content_dir
    if result.evaluation:
        plan = Plan(None)
    else:
        report = root / data_dir / result.unit / f"{result.year}-{result.kind}.yaml"
        text, lines = render_report(result.data, result.profile, source_name, result.comments)
        plan = Plan(report, text, lines)
        plan.files[report] = text
    for relative, body in result.content.items():
        target = content_root / relative
        if Path(relative).name in UNIT_LEVEL_CONTENT and target.exists() and not force:
            plan.kept.append(target)  # a unit's 职责 are shared by all its reports: never replaced quietly
            continue
        plan.files[target] = body
    unit_file = root / data_dir / result.unit / "unit.yaml"
    if not unit_file.exists():  # an evaluation report's unit needs one too, or its pages don't show
        name = result.unit_name or result.unit
        plan.files[unit_file] = (
            f"名称: {scalar(name)}\n级别: {result.scope}                 # 部门 或 单位（按原文推断，请核对）\n上级部门: ~\n"
        )
    return plan


def write_plan(plan: Plan) -> list[Path]:
    """Write every planned file (UTF-8, LF) and return their paths."""
    written = []
    for path, text in plan.files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written
