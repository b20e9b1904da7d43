"""Generate a synthetic but realistic portal (units and years shaped like the bundled seeds)."""

from __future__ import annotations

import shutil
from pathlib import Path

from .synthetic_pairs import add_budgets, load_budget_seed

# Multi-year units are built from a seed whose carry-overs are zero, so consecutive years agree.
MULTI_YEAR_SEED = "jinan-shizhong-ybj"
# Units numbered a multiple of this (multi-year ones only) get a 预算 beside each 决算 (about 40% of reports).
PAIRED_EVERY = 4


def seed_reports(root: Path) -> list[tuple[str, Path]]:
    """Return the bundled reports as (unit id, yaml path)."""
    return sorted((p.parent.name, p) for p in (root / "data").glob("*/20*-final.yaml"))


def generate(root: Path, target: Path, unit_years: int, years_per_unit: int = 5) -> int:
    """Write a portal of about `unit_years` reports under target (data/, content/, templates/)."""
    if target.exists():
        shutil.rmtree(target)
    (target / "data").mkdir(parents=True)
    shutil.copytree(root / "templates", target / "templates")
    shutil.copytree(
        root / "content", target / "content", ignore=shutil.ignore_patterns("*-final*", "*-绩效评价")
    )
    for name in ("portal.yaml",):
        if (root / name).is_file():
            shutil.copy(root / name, target / name)
    seeds = seed_reports(root)
    budget = load_budget_seed(root)
    written = 0
    unit_number = 0
    while written < unit_years:
        unit_number += 1
        seed_id, seed_path = seeds[unit_number % len(seeds)]
        years = years_per_unit if seed_id == MULTI_YEAR_SEED else 1
        years = min(years, unit_years - written)
        written += _write_unit(root, target, seed_id, seed_path, unit_number, years)
        if budget is not None and seed_id == MULTI_YEAR_SEED and unit_number % PAIRED_EVERY == 0:
            latest = int(seed_path.name[:4])  # every year of every other multi-year unit has a 预算 too
            unit_id = f"unit-{unit_number:05d}"
            add_budgets(target, unit_id, unit_number, list(range(latest - years + 1, latest + 1)), budget)
    return written


def _write_unit(root: Path, target: Path, seed_id: str, seed_path: Path, number: int, years: int) -> int:
    unit_id = f"unit-{number:05d}"
    folder = target / "data" / unit_id
    folder.mkdir()
    unit_text = (root / "data" / seed_id / "unit.yaml").read_text(encoding="utf-8")
    name_line = next(line for line in unit_text.splitlines() if line.startswith("名称:"))
    unit_text = unit_text.replace(name_line, f"{name_line}（样例{number}）")
    (folder / "unit.yaml").write_text(unit_text, encoding="utf-8")
    content = target / "content" / unit_id
    content.mkdir(parents=True, exist_ok=True)
    for extra in ("职责.md", "机构设置.md"):
        source = root / "content" / seed_id / extra
        if source.is_file():
            _copy_text(source, content / extra, f"（样例单位 {number}）")
    seed_year = int(seed_path.name[:4])
    text = seed_path.read_text(encoding="utf-8")
    prose = root / "content" / seed_id / f"{seed_year}-final.md"
    for offset in range(years):
        year = seed_year - offset
        body = text.replace(f"年度: {seed_year}", f"年度: {year}")
        if offset < years - 1:
            body = _without_previous(body)  # last year is in the portal: its figures are used
        (folder / f"{year}-final.yaml").write_text(body, encoding="utf-8")
        if prose.is_file():
            _copy_text(prose, content / f"{year}-final.md", f"（样例单位 {number}，{year} 年度）")
        attachments = root / "content" / seed_id / f"{seed_year}-final-附件"
        for source in sorted(attachments.glob("*.md")):
            folder_out = content / f"{year}-final-附件"
            folder_out.mkdir(exist_ok=True)
            _copy_text(source, folder_out / source.name, f"（样例单位 {number}，{year} 年度）")
    return years


def _without_previous(text: str) -> str:
    """Drop the typed 上年 block (a top-level mapping) from a report's YAML text."""
    lines, kept, skipping = text.splitlines(), [], False
    for line in lines:
        if line.startswith("上年:"):
            skipping = True
            continue
        if skipping and line and not line.startswith((" ", "#")):
            skipping = False
        if not skipping:
            kept.append(line)
    return "\n".join(kept) + "\n"


def _copy_text(source: Path, target: Path, marker: str) -> None:
    """Copy a Markdown file with a unique last line, so no text repeats across the portal."""
    target.write_text(source.read_text(encoding="utf-8").rstrip() + f"\n\n{marker}\n", encoding="utf-8")
