"""Check (and render) the portal unit by unit, in worker processes, keeping only summaries.

Each unit's reports are read, modelled, checked and rendered in one go, then dropped: memory stays
flat however many units the portal has, and the two cores of a small server both work.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.pool import Pool
from pathlib import Path

from .builder import build_unit
from .config import PortalConfig
from .evaluations import report_orphans
from .model import Unit
from .opendata import write_downloads
from .output import carry, put_file
from .problems import Problems
from .profile import Profile, load_profiles
from .search import SearchText, page_text
from .sections import glossary_terms
from .sources import UNIT_ID, SourceReader, read_unit
from .state import UnitRecord, unit_inputs
from .summary import PortalIndex, UnitSummary, summarize_unit
from .validate import load_catalog, validate_unit
from .yamlsource import YamlError, parse_yaml

PageWriter = Callable[[str, str], None]


@dataclass
class UnitOutcome:
    """What a worker returns for one unit: its summary, problems, pages with their inputs, search words."""

    unit_id: str
    summary: UnitSummary | None
    problems: Problems
    pages: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    texts: dict[str, SearchText] = field(default_factory=dict)  # rendered reports' words for search
    inputs: tuple[dict[str, str], dict[str, list[int | str]]] | None = None  # see Job.hash_inputs


@dataclass
class Job:
    """Everything a worker needs, set once per process."""

    root: Path
    config: PortalConfig
    profiles: dict[str, Profile]
    index: PortalIndex
    render_into: Path | None = None
    css_name: str = ""
    keep_from: Path | None = None
    in_place: bool = False  # keep_from is the site being updated: unchanged files stay where they are
    previous: dict[str, UnitRecord] = field(default_factory=dict)
    changed: dict[str, set[str]] = field(default_factory=dict)
    changed_templates: set[str] = field(default_factory=set)
    hash_inputs: bool = False  # record each unit's input files (a full build: none was planned)


_job: Job | None = None
_state: dict[str, object] = {}


def unit_folders(data_dir: Path) -> list[Path]:
    """Return the unit folders of data/ in a stable order."""
    if not data_dir.is_dir():
        return []
    return sorted(
        p for p in data_dir.iterdir()
        if p.is_dir() and not p.name.startswith((".", "_")) and p.name != "schema"
    )  # fmt: skip


def read_index(root: Path, config: PortalConfig, problems: Problems) -> PortalIndex:
    """Read every unit.yaml (small) and the standard glossary: the directory all pages link through."""
    reader = SourceReader(root, problems)
    data_dir = root / config.data_dir
    if not data_dir.is_dir():
        problems.error(f"找不到数据目录 {reader.rel(data_dir)}")
    units: list[UnitSummary] = []
    for folder in unit_folders(data_dir):
        path = folder / "unit.yaml"
        data = unit_facts(path, keep=config.preview) if UNIT_ID.match(folder.name) else {}
        units.append(
            UnitSummary(
                folder.name,
                str(data.get("名称") or folder.name),
                str(data.get("级别") or "单位"),
                str(data["上级部门"]) if data.get("上级部门") else None,
                str(data.get("地区") or ""),
                [str(c) for c in data.get("包含单位") or [] if isinstance(data.get("包含单位"), list)],
                reader.rel(path),
            )  # fmt: skip
        )
    report_orphans(root / config.content_dir, {u.id for u in units}, reader)
    glossary = glossary_terms(reader.text(root / config.content_dir / "名词解释.md"))
    return PortalIndex(units, glossary)


# unit.yaml contents by path with the (mtime, size) they were read at: the preview server reads the
# directory again on every save, and re-parses only the files that changed.
_facts: dict[Path, tuple[tuple[int, int], dict]] = {}


def unit_facts(path: Path, keep: bool = False) -> dict:
    """Return a unit.yaml's mapping ({} when absent or unreadable: the unit's own check reports it).

    keep: remember it for the next build of this process (the preview server's)."""
    try:
        info = path.stat()
    except OSError:
        return {}
    key = (info.st_mtime_ns, info.st_size)
    cached = _facts.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    try:
        parsed = parse_yaml(path.read_text(encoding="utf-8-sig")).data
        data = parsed if isinstance(parsed, dict) else {}
    except (OSError, YamlError, UnicodeDecodeError):
        data = {}
    if keep:
        _facts[path] = (key, data)
    return data


def _init(job: Job) -> None:
    global _job
    _job = job
    _state.clear()
    _state["catalog"] = load_catalog()
    if job.render_into is not None:
        from .render import Renderer

        _state["renderer"] = Renderer(
            job.config, job.root / job.config.templates_dir, job.index, job.css_name
        )


def process_unit(folder_name: str) -> UnitOutcome:
    """Read, model, check and (when building) render one unit; return only what the portal keeps."""
    assert _job is not None
    job = _job
    # Hashed before reading: a file edited meanwhile then differs from its record, and is redone.
    inputs = (
        unit_inputs(job.root, job.config, folder_name, job.index.linked(folder_name), {})
        if job.hash_inputs
        else None
    )
    outcome = check_unit(job, folder_name)
    outcome.inputs = inputs
    return outcome


def check_unit(job: Job, folder_name: str) -> UnitOutcome:
    """Read, model, check and render one unit."""
    problems = Problems()
    reader = SourceReader(job.root, problems)
    folder = job.root / job.config.data_dir / folder_name
    source = read_unit(folder, job.root / job.config.content_dir / folder_name, reader)
    if source is None:
        return UnitOutcome(folder_name, None, problems)
    unit = build_unit(source, job.profiles, problems)
    validate_unit(unit, _state["catalog"], problems)  # type: ignore[arg-type]
    if job.config.only_year:
        # An archive holds one fiscal year; last year's figures were already taken for comparisons.
        unit.reports = [r for r in unit.reports if r.year == job.config.only_year]
        unit.evaluations = [e for e in unit.evaluations if e.year == job.config.only_year]
        if not unit.reports and not unit.evaluations:
            return UnitOutcome(folder_name, summarize_unit(unit, []), problems)
    pages: dict[str, dict[str, list[str]]] = {}
    texts: dict[str, SearchText] = {}
    if job.render_into is not None and not problems.has_errors():
        pages = render_unit(job, unit, texts)
    summary = summarize_unit(unit, unit.reports)
    return UnitOutcome(folder_name, summary, problems, pages, texts)


def render_unit(job: Job, unit: Unit, texts: dict[str, SearchText]) -> dict[str, dict[str, list[str]]]:
    """Render a unit's pages, carrying over those whose recorded inputs and templates are unchanged.

    The words of each rendered report go into texts for the search index (made here, on every
    core, rather than by reading every page back at the end).
    """
    from .pages import unit_pages

    assert job.render_into is not None
    renderer = _state["renderer"]
    previous = job.previous.get(unit.id)
    changed = job.changed.get(unit.id, set())
    records: dict[str, dict[str, list[str]]] = {}
    for page in unit_pages(unit, job.index):
        old = (previous.pages or {}).get(page.path) if previous else None
        if (
            old is not None
            and job.keep_from is not None
            and old["sources"] == page.sources
            and not changed.intersection(old["sources"])
            and not job.changed_templates.intersection(old["templates"])
            and carry(job.keep_from, job.render_into, page.path, job.in_place)
        ):
            records[page.path] = old
            continue
        html = renderer.render(page)  # type: ignore[attr-defined]
        current = job.keep_from / page.path if job.keep_from is not None else None
        put_file(job.render_into / page.path, html.encode("utf-8"), current, job.in_place)
        if page.template == "report.html":
            texts[page.path] = page_text(job.render_into / page.path, current, html)
        records[page.path] = {"sources": page.sources, "templates": page.templates}
    records.update(write_downloads(job, unit, previous, changed))  # CSV/XLSX/JSON beside the pages
    return records


def worker_count(config: PortalConfig, units: int) -> int:
    """Use every core for a real portal, none extra for a handful of units."""
    cores = config.jobs or os.cpu_count() or 1
    return 1 if units < 8 else max(1, min(cores, units))


def start_workers(job: Job, workers: int) -> Pool | None:
    """Start the pool of worker processes for a job (None when one process is to do the work).

    The caller closes it (terminate, join). A build gives the same processes the years afterwards
    (opendata.write_year_downloads): a second pool would hold as much memory again, idle.
    Forked, they share this process's memory until either writes to it; started afresh (spawn)
    they measured 8 % more CPU (1,000 unit-years) and more memory below some 5,000.
    """
    if workers <= 1:
        return None
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    return context.Pool(workers, initializer=_init, initargs=(job,))


def run_units(job: Job, folders: list[str], workers: int, pool: Pool | None = None) -> Iterator[UnitOutcome]:
    """Process every unit, in this process or in a pool of workers, yielding outcomes in order.

    pool: workers started for this job (start_workers); without one, a pool is started and closed here.
    """
    if pool is None and workers > 1:
        with start_workers(job, workers) as own:  # type: ignore[union-attr]
            yield from run_units(job, folders, workers, own)
        return
    if pool is None:
        _init(job)
        for name in folders:
            yield process_unit(name)
        return
    yield from pool.imap(process_unit, folders)  # a unit at a time: no core idles at the end


def make_job(root: Path, config: PortalConfig, index: PortalIndex, **render: object) -> Job:
    """Return the job description for the workers."""
    extra = (root / config.profiles_dir,) if config.profiles_dir else ()
    return Job(root, config, load_profiles(extra), index, **render)  # type: ignore[arg-type]
