"""What the last build read and wrote, so the next build redoes only what an edit touched.

Every page records its inputs as it is rendered (data files, content files, templates); a unit is
rebuilt when one of its inputs or one of the templates its pages used has changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .config import PortalConfig
from .evaluations import EvaluationRef
from .problems import Level, Problem, Problems
from .summary import ReportSummary, UnitSummary

STATE_FILE = ".build-state.json"
VERSION = 1
ENGINE = Path(__file__).parent


@dataclass
class UnitRecord:
    """One unit's inputs, pages (with the templates each used), summary and problems."""

    inputs: dict[str, str]
    pages: dict[str, dict[str, list[str]]]
    summary: dict[str, Any] | None
    problems: list[dict[str, Any]]


@dataclass
class BuildState:
    """The record of a whole build."""

    fingerprint: str
    templates: dict[str, str]
    units: dict[str, UnitRecord] = field(default_factory=dict)
    stats: dict[str, list[int | str]] = field(default_factory=dict)


def file_digest(
    path: Path, stats: dict[str, list[int | str]] | None = None, known: dict | None = None
) -> str:
    """Return a file's SHA-256, reusing the last build's when its size and mtime are unchanged."""
    if stats is None:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    info = path.stat()
    key = path.as_posix()
    old = (known or {}).get(key)
    if old and old[0] == info.st_mtime_ns and old[1] == info.st_size:
        stats[key] = old
        return str(old[2])
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    stats[key] = [info.st_mtime_ns, info.st_size, digest]
    return digest


def unit_inputs(
    root: Path, config: PortalConfig, unit_id: str, linked: list[str], stats: dict, known: dict
) -> dict[str, str]:
    """Return every input file of a unit (data, content, linked units' unit.yaml) with its SHA-256."""
    paths = [f"{config.data_dir}/{other}/unit.yaml" for other in linked]
    for folder in (f"{config.data_dir}/{unit_id}", f"{config.content_dir}/{unit_id}"):
        for directory, _, files in os.walk(root / folder):
            relative = Path(directory).relative_to(root).as_posix()
            paths.extend(f"{relative}/{name}" for name in files)
    return {p: file_digest(root / p, stats, known) for p in sorted(paths) if (root / p).is_file()}


def template_digests(templates: Path) -> dict[str, str]:
    """Return every template (and asset) with its SHA-256, by name relative to templates/."""
    return {
        p.relative_to(templates).as_posix(): file_digest(p)
        for p in sorted(templates.rglob("*"))
        if p.is_file()
    }


def fingerprint(root: Path, config: PortalConfig) -> str:
    """Hash everything that affects every page: engine code, profiles, catalog, config, glossary."""
    settings = {k: v for k, v in asdict(config).items() if k not in ("out_dir", "jobs")}
    settings["SOURCE_DATE_EPOCH"] = os.environ.get("SOURCE_DATE_EPOCH", "")  # dates inside downloads
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    for path in sorted(ENGINE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".yaml", ".js"):
            digest.update(path.relative_to(ENGINE).as_posix().encode())
            digest.update(path.read_bytes())
    # Asset names carry content hashes and every page links them: a changed asset redoes all pages.
    extra = [
        root / config.content_dir / "名词解释.md",
        *sorted((root / config.templates_dir / "assets").glob("*")),
    ]
    try:
        import plotly

        digest.update(f"plotly {plotly.__version__}".encode())
    except ImportError:  # pragma: no cover - plotly is a dependency
        pass
    if config.profiles_dir:
        extra += sorted((root / config.profiles_dir).glob("*.yaml"))
    for path in extra:
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def changed_files(old: dict[str, str], new: dict[str, str]) -> set[str]:
    """Return the paths added, removed or modified between two input records."""
    return {p for p in old.keys() | new.keys() if old.get(p) != new.get(p)}


def load_state(out: Path) -> BuildState | None:
    """Read the last build's state from the site folder (None when absent or unreadable)."""
    path = out / STATE_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("version") != VERSION:
            return None
        units = {k: UnitRecord(**v) for k, v in raw["units"].items()}
        return BuildState(raw["fingerprint"], raw["templates"], units, raw.get("stats", {}))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def dump_state(state: BuildState) -> str:
    """Serialize a state deterministically (compact: it is rewritten on every build)."""
    raw = {
        "version": VERSION,
        "fingerprint": state.fingerprint,
        "templates": state.templates,
        "stats": state.stats,
        "units": {
            unit_id: {
                "inputs": r.inputs,
                "pages": r.pages,
                "summary": r.summary,
                "problems": r.problems,
            }
            for unit_id, r in sorted(state.units.items())
        },
    }
    return json.dumps(raw, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def summary_to_json(summary: UnitSummary | None) -> dict[str, Any] | None:
    """Serialize a unit summary (Decimals as exact strings)."""
    if summary is None:
        return None
    raw = asdict(summary)
    for report in raw["reports"]:
        report["figures"] = {k: str(v) for k, v in report["figures"].items()}
        report["previous"] = {k: str(v) for k, v in report["previous"].items()}
    return raw


def summary_from_json(raw: dict[str, Any] | None) -> UnitSummary | None:
    """Rebuild a unit summary from its JSON."""
    if raw is None:
        return None
    reports = [
        ReportSummary(
            **{
                **r,
                "figures": {k: Decimal(v) for k, v in r["figures"].items()},
                "previous": {k: Decimal(v) for k, v in r["previous"].items()},
            }
        )
        for r in raw["reports"]
    ]
    evaluations = [EvaluationRef(**e) for e in raw.get("evaluations", [])]
    return UnitSummary(**{**raw, "reports": reports, "evaluations": evaluations})


def problems_to_json(problems: Problems) -> list[dict[str, Any]]:
    """Serialize problems."""
    return [{**asdict(p), "level": int(p.level)} for p in problems.items]


def problems_from_json(raw: list[dict[str, Any]]) -> Problems:
    """Rebuild problems."""
    return Problems([Problem(**{**p, "level": Level(p["level"])}) for p in raw])
