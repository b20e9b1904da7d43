"""Decide what a build must redo: units whose inputs or used templates changed since the last build."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from .config import PortalConfig
from .problems import Level, Problems
from .state import (
    BuildState,
    UnitRecord,
    changed_files,
    fingerprint,
    load_state,
    pages_of,
    problems_to_json,
    summary_to_json,
    template_digests,
    unit_inputs,
)
from .summary import PortalIndex
from .units import UnitOutcome


@dataclass
class BuildPlan:
    """The units to redo, the units to carry over, and the state being recorded for next time."""

    state: BuildState
    dirty: list[str]
    reused: dict[str, UnitRecord] = field(default_factory=dict)
    previous: dict[str, UnitRecord] = field(default_factory=dict)
    changed: dict[str, set[str]] = field(default_factory=dict)
    changed_templates: set[str] = field(default_factory=set)
    incremental: bool = False
    old: BuildState | None = None
    site: Path | None = None  # the current site, holding the last build's shards

    def record(self, outcome: UnitOutcome) -> None:
        """Store a redone unit's pages, summary and problems in the new state."""
        if outcome.inputs is not None:  # hashed by the worker (a full build)
            inputs, stats = outcome.inputs
        else:  # planned (an incremental build)
            planned = self.state.units[outcome.unit_id]
            inputs, stats = planned.inputs, planned.stats
        self.state.units[outcome.unit_id] = UnitRecord(
            inputs=inputs,
            pages=outcome.pages,
            summary=summary_to_json(outcome.summary),
            problems=problems_to_json(
                Problems([p for p in outcome.problems.items if p.level is not Level.NOTE])
            ),
            stats=stats,
            templates=sorted({t for page in outcome.pages.values() for t in page["templates"]}),
            notes=outcome.problems.count(Level.NOTE),
        )

    def stale_files(self) -> set[str]:
        """Return the files of the last site that no unit of this build has (removed pages)."""
        if self.old is None:
            return set()
        stale: set[str] = set()
        for unit_id, record in self.old.units.items():
            if unit_id not in self.reused:
                old = self.previous.get(unit_id, record)
                stale.update(pages_of(old, self.site, unit_id) if self.site else old.pages or {})
        for unit_id in self.dirty:
            stale.difference_update(self.state.units[unit_id].pages or {})
        return stale


def untouched(record: UnitRecord, config: PortalConfig, unit_id: str, touched: set[str]) -> bool:
    """Tell whether no touched path lies in a unit's folders or among its recorded inputs."""
    folders = (f"{config.data_dir}/{unit_id}", f"{config.content_dir}/{unit_id}")
    return not any(p in folders or p.startswith((folders[0] + "/", folders[1] + "/")) for p in touched) and (
        touched.isdisjoint(record.inputs)
    )


def plan_build(
    root: Path,
    config: PortalConfig,
    index: PortalIndex,
    folders: list[str],
    out: Path,
    full: bool,
    touched: set[str] | None = None,
) -> BuildPlan:
    """Compare every input with the last build's record and plan the least work.

    touched: the paths (relative to root) changed since the last build, when a file watcher knows
    them (the preview server); the folders of other units are then not even listed.
    """  # fmt: skip
    templates = template_digests(root / config.templates_dir)
    state = BuildState(fingerprint(root, config), templates)
    old = None if full else load_state(out, state.fingerprint)
    if old is None:
        # Every unit is redone: each worker records its unit's inputs as it starts on it (in
        # parallel), and its record goes into the state as it comes back (BuildPlan.record): this
        # process holds no record when it forks the workers.
        return BuildPlan(state, list(folders))
    for unit_id in folders:
        record = old.units.get(unit_id)
        if record is not None and touched is not None and untouched(record, config, unit_id, touched):
            state.units[unit_id] = UnitRecord(record.inputs, {}, None, [], record.stats)
            continue
        known = record.stats if record else {}
        inputs, stats = unit_inputs(root, config, unit_id, index.linked(unit_id), known)
        state.units[unit_id] = UnitRecord(inputs, {}, None, [], stats)
    changed_templates = changed_files(old.templates, templates)
    plan = BuildPlan(state, [], changed_templates=changed_templates, incremental=True, old=old, site=out)
    for unit_id in folders:
        record = old.units.get(unit_id)
        new_inputs = state.units[unit_id].inputs
        if record is None or record.summary is None:
            plan.dirty.append(unit_id)
            continue
        changed = changed_files(record.inputs, new_inputs)
        if changed or changed_templates.intersection(record.templates):
            plan.dirty.append(unit_id)
            plan.previous[unit_id] = replace(record, pages=pages_of(record, out, unit_id))
            plan.changed[unit_id] = changed
        else:
            plan.reused[unit_id] = record
            stats = state.units[unit_id].stats  # a file touched but unchanged: record its new time
            state.units[unit_id] = (
                record if record.stats == stats else replace(record, stats=stats, digest="")
            )
    return plan
