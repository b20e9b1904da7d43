"""What the last build read and wrote, so the next build redoes only what an edit touched.

Every page records its inputs as it is rendered (data files, content files, templates); a unit is
rebuilt when one of its inputs or one of the templates its pages used has changed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal
from pathlib import Path
from typing import Any

from .config import PortalConfig
from .evaluations import EvaluationRef
from .output import link_file
from .problems import Level, Problem, Problems
from .summary import ReportSummary, UnitSummary

STATE_DIR = ".build-state"
INDEX = "index.json"
VERSION = 5  # 5: summaries keep only the listed figures
ENGINE = Path(__file__).parent


@dataclass(slots=True)  # one per unit, all kept: no __dict__ each
class UnitRecord:
    """One unit's inputs, pages (with the templates each used), summary, problems and file stats."""

    inputs: dict[str, str]
    pages: dict[str, dict[str, list[str]]] | None  # None: only in its shard file (see load_pages)
    summary: dict[str, Any] | None
    problems: list[dict[str, Any]]
    stats: dict[str, list[int | str]] = field(default_factory=dict)
    templates: list[str] = field(default_factory=list)  # every template its pages used
    notes: int = 0  # its hints (提示), counted: build prints hints only as a number
    digest: str = field(default="", compare=False)  # of its shard file, set when loaded or saved
    summary_key: str = field(default="", compare=False)  # digest of the summary, computed once
    decoded: tuple[UnitSummary | None, Problems] | None = field(default=None, compare=False, repr=False)


@dataclass
class BuildState:
    """The record of a whole build: one index file and one shard file per unit (rewritten alone)."""

    fingerprint: str
    templates: dict[str, str]
    units: dict[str, UnitRecord] = field(default_factory=dict)
    shared: list[str] = field(default_factory=list)  # the site's files that belong to no unit
    shared_inputs: str = ""  # digest of what the shared pages show: carried over when unchanged
    # Records reduced to digests as their shards were written (see on_disk): read back from disk,
    # not from memory, when the next build needs them.
    slim: bool = field(default=False, compare=False)


def file_digest(path: Path) -> str:
    """Return a file's SHA-256."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files_under(folder: str, found: list[tuple[str, os.DirEntry]]) -> None:
    """Collect every file below a folder with its directory entry (stat cached by scandir)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir():
            _files_under(entry.path, found)
        elif entry.is_file():
            found.append((entry.path, entry))


def unit_inputs(
    root: Path, config: PortalConfig, unit_id: str, linked: list[str], known: dict
) -> tuple[dict[str, str], dict[str, list[int | str]]]:
    """Return every input file of a unit (data, content, linked units' unit.yaml) with its SHA-256.

    A file whose size and mtime equal the last build's record keeps its recorded digest unread;
    the second value is the record to keep for the next build.
    """
    base = str(root) + os.sep
    found: list[tuple[str, os.DirEntry | None]] = []
    for other in linked:
        found.append((f"{base}{config.data_dir}/{other}/unit.yaml", None))
    for folder in (f"{config.data_dir}/{unit_id}", f"{config.content_dir}/{unit_id}"):
        _files_under(base + folder, found)  # type: ignore[arg-type]
    inputs: dict[str, str] = {}
    stats: dict[str, list[int | str]] = {}
    for full, entry in found:
        try:
            info = entry.stat() if entry is not None else os.stat(full)
        except OSError:
            continue
        relative = full[len(base) :].replace(os.sep, "/")
        old = known.get(relative)
        if old and old[0] == info.st_mtime_ns and old[1] == info.st_size:
            stats[relative] = old
        else:
            stats[relative] = [info.st_mtime_ns, info.st_size, file_digest(Path(full))]
        inputs[relative] = str(stats[relative][2])
    return dict(sorted(inputs.items())), stats


def template_digests(templates: Path) -> dict[str, str]:
    """Return every template (and asset) with its SHA-256, by name relative to templates/."""
    return {
        p.relative_to(templates).as_posix(): file_digest(p)
        for p in sorted(templates.rglob("*"))
        if p.is_file()
    }


@functools.cache
def engine_digest() -> str:
    """Hash the engine's code and data files, once per process (the code running cannot change)."""
    digest = hashlib.sha256()
    for path in sorted(ENGINE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".yaml", ".js"):
            digest.update(path.relative_to(ENGINE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(root: Path, config: PortalConfig) -> str:
    """Hash everything that affects every page: engine code, profiles, catalog, config, glossary."""
    settings = {k: v for k, v in asdict(config).items() if k not in ("out_dir", "jobs")}
    settings["SOURCE_DATE_EPOCH"] = os.environ.get("SOURCE_DATE_EPOCH", "")  # dates inside downloads
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    digest.update(engine_digest().encode())
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


# The state last loaded or saved, with its index file's bytes: the preview server builds again and
# again and need not read the shards back while the index on disk is the one it wrote.
_last: list[tuple[bytes, BuildState]] = []


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def load_state(out: Path, fingerprint: str | None = None) -> BuildState | None:
    """Read the last build's state from the site folder (None when absent, partial or unreadable).

    fingerprint: the new build's (see fingerprint()); a state made with another is of no use, and its
    unit records are not read (a whole portal's, held through a full build for nothing).
    """
    folder = out / STATE_DIR
    try:
        raw_index = (folder / INDEX).read_bytes()
        if _last and _last[0][0] == raw_index:
            return _last[0][1] if fingerprint in (None, _last[0][1].fingerprint) else None
        raw = json.loads(raw_index)
        if raw.get("version") != VERSION or fingerprint not in (None, raw["fingerprint"]):
            return None
        units = {}
        for unit_id, digest in raw["units"].items():
            data = (folder / "units" / f"{unit_id}.json").read_bytes()
            if hashlib.sha256(data).hexdigest() != digest:
                return None  # a shard from another build: trust nothing
            # Pages are most of a shard: left on disk until a build redoes the unit (memory stays
            # flat however large the portal).
            units[unit_id] = UnitRecord(**{**json.loads(data), "pages": None}, digest=digest)
        state = BuildState(raw["fingerprint"], raw["templates"], units, raw["shared"], raw["shared_inputs"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    _last[:] = [(raw_index, state)]
    return state


def forget_state(out: Path) -> None:
    """Remove the state's index, so a build stopped before writing it anew leaves no state."""
    (out / STATE_DIR / INDEX).unlink(missing_ok=True)


def shard_path(site: Path, unit_id: str) -> Path:
    """Return a unit's shard file in a site folder."""
    return site / STATE_DIR / "units" / f"{unit_id}.json"


def load_pages(site: Path, unit_id: str) -> dict[str, dict[str, list[str]]]:
    """Read the pages a unit's shard records (the files it made, with their inputs)."""
    return dict(json.loads(shard_path(site, unit_id).read_bytes())["pages"])


def pages_of(record: UnitRecord, site: Path, unit_id: str) -> dict[str, dict[str, list[str]]]:
    """Return a record's pages, from its shard in site when they are not in memory."""
    return record.pages if record.pages is not None else load_pages(site, unit_id)


def save_unit(site: Path, unit_id: str, record: UnitRecord, previous: Path | None = None) -> None:
    """Write a unit's shard into site (pages not in memory come from its shard in previous)."""
    pages = record.pages if record.pages is not None else load_pages(previous or site, unit_id)
    shard = {"inputs": record.inputs, "pages": pages, "summary": record.summary,
             "problems": record.problems, "stats": record.stats, "templates": record.templates,
             "notes": record.notes}  # fmt: skip
    data = _dumps(shard)
    record.digest = hashlib.sha256(data).hexdigest()
    target = shard_path(site, unit_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    _replace(target, data)


def save_state(out: Path, state: BuildState, previous: Path | None = None, partial: bool = False) -> None:
    """Write the state into out: the shard of every unit not already there, then the index, last.

    previous: the site holding the last build's shards (those of carried-over units are linked
    from it). partial: out is that site, updated in place; shards of removed units are deleted.
    Each file is written under a temporary name and renamed, so none is ever half written.
    """
    folder = out / STATE_DIR
    (folder / "units").mkdir(parents=True, exist_ok=True)
    for unit_id, record in sorted(state.units.items()):
        target = shard_path(out, unit_id)
        if record.digest and (partial or target.exists()):
            continue  # written as the unit came back, or unchanged in place
        if record.digest and previous is not None:
            link_file(shard_path(previous, unit_id), target)
            continue
        save_unit(out, unit_id, record, previous)
    if partial:
        for shard_file in (folder / "units").glob("*.json"):
            if shard_file.stem not in state.units:
                shard_file.unlink(missing_ok=True)
    index = _dumps(
        {"version": VERSION, "fingerprint": state.fingerprint, "templates": state.templates,
         "shared": state.shared, "shared_inputs": state.shared_inputs,
         "units": {unit_id: r.digest for unit_id, r in sorted(state.units.items())}}
    )  # fmt: skip
    _replace(folder / INDEX, index)
    _last[:] = [] if state.slim else [(index, state)]


def shared_files(folder: Path) -> list[str]:
    """Return the files of a site folder that belong to no unit (nor to the state), sorted.

    A unit's files are its pages, units/<unit>/…, and its reports' downloads,
    downloads/<year>/<unit>/<kind>/… (opendata/paths.py); the rest is shared.
    """
    found: list[str] = []
    for name in sorted(os.listdir(folder)):
        if name in ("units", STATE_DIR):
            continue
        if name != "downloads":
            entries: list[tuple[str, os.DirEntry]] = []
            if os.path.isdir(folder / name):
                _files_under(str(folder / name), entries)
                found += [e[len(str(folder)) + 1 :].replace(os.sep, "/") for e, _ in entries]
            else:
                found.append(name)
            continue
        for year in sorted(os.listdir(folder / name)):
            if not os.path.isdir(folder / name / year):
                found.append(f"{name}/{year}")
                continue
            for item in sorted(os.listdir(folder / name / year)):
                if not os.path.isdir(folder / name / year / item):
                    found.append(f"{name}/{year}/{item}")
    return sorted(found)


def summary_digest(record: UnitRecord) -> str:
    """Return a digest of a unit's summary (kept on the record: the preview server reuses records)."""
    if not record.summary_key:
        record.summary_key = hashlib.sha256(_dumps(record.summary)).hexdigest()
    return record.summary_key


def record_outcome(record: UnitRecord, keep: bool = True) -> tuple[UnitSummary | None, Problems]:
    """Return a carried-over unit's summary and problems (decoded once per record, kept when keep)."""
    if record.decoded is not None:
        return record.decoded
    decoded = (summary_from_json(record.summary), problems_from_json(record.problems))
    if keep:  # the preview server builds again with the same records
        record.decoded = decoded
    return decoded


def on_disk(record: UnitRecord) -> UnitRecord:
    """Return a record reduced to its shard's digest and its summary's, once the shard is written.

    A one-off build need not hold every unit's inputs, stats and summary until it ends: the shard
    on disk has them, and the portal index holds the summary the shared pages use.
    """
    return UnitRecord({}, None, None, [], digest=record.digest, summary_key=summary_digest(record))


def _replace(target: Path, data: bytes) -> None:
    """Write a file under a temporary name beside it, then rename it into place."""
    part = target.with_name(target.name + ".part")
    part.write_bytes(data)
    os.replace(part, target)


_REPORT_FIELDS = [f.name for f in fields(ReportSummary)]
_UNIT_FIELDS = [f.name for f in fields(UnitSummary)]


def summary_to_json(summary: UnitSummary | None) -> dict[str, Any] | None:
    """Serialize a unit summary (Decimals as exact strings)."""
    if summary is None:
        return None
    # By hand rather than with asdict(): this runs in the main process for every unit, while it
    # should be feeding the workers, and asdict's deep copy costs ten times as much.
    reports = [
        {**{name: getattr(r, name) for name in _REPORT_FIELDS},
         "figures": {k: str(v) for k, v in r.figures.items()}, "files": list(r.files)}
        for r in summary.reports
    ]  # fmt: skip
    evaluations = [dict(vars(e)) for e in summary.evaluations]
    return {**{name: getattr(summary, name) for name in _UNIT_FIELDS},
            "consolidates": list(summary.consolidates), "reports": reports, "evaluations": evaluations}  # fmt: skip


def summary_from_json(raw: dict[str, Any] | None) -> UnitSummary | None:
    """Rebuild a unit summary from its JSON."""
    if raw is None:
        return None
    reports = [
        ReportSummary(**{**r, "figures": {k: Decimal(v) for k, v in r["figures"].items()}})
        for r in raw["reports"]
    ]
    evaluations = [EvaluationRef(**e) for e in raw.get("evaluations", [])]
    return UnitSummary(**{**raw, "reports": reports, "evaluations": evaluations})


def problems_to_json(problems: Problems) -> list[dict[str, Any]]:
    """Serialize problems."""
    return [{**vars(p), "level": int(p.level)} for p in problems.items]


def problems_from_json(raw: list[dict[str, Any]]) -> Problems:
    """Rebuild problems."""
    return Problems([Problem(**{**p, "level": Level(p["level"])}) for p in raw])
