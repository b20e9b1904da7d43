"""Incremental builds redo only what an edit touched, and equal a full build byte for byte."""

from __future__ import annotations

import contextlib
import filecmp
import io
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from disclosure import state as state_module
from disclosure.cli import main
from disclosure.commands.build import build
from disclosure.config import load_config
from disclosure.incremental import plan_build
from disclosure.problems import Problems
from disclosure.state import STATE_DIR, load_pages, load_state, unit_inputs
from disclosure.synthetic import generate
from disclosure.units import read_index

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def portal(tmp_path: Path) -> Path:
    root = tmp_path / "portal"
    generate(ROOT, root, 12, years_per_unit=3)
    return root


def _build(root: Path, out: Path, *flags: str) -> None:
    assert main(["--root", str(root), "build", "--out", str(out), *flags]) == 0


def _files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and not p.relative_to(site).as_posix().startswith(STATE_DIR + "/")
    }


def _inodes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*.html")}


def test_incremental_rebuild_touches_only_the_edited_report_and_equals_full(portal: Path, tmp_path: Path):
    site = tmp_path / "site"
    _build(portal, site)
    before = _inodes(site)
    prose = next(
        p
        for p in sorted((portal / "content").glob("unit-*/2023-final.md"))
        if (p.parent / "2024-final.md").exists()
    )
    unit_id = prose.parent.name
    prose.write_text(prose.read_text(encoding="utf-8") + "\n新增的原因说明。\n", encoding="utf-8")
    _build(portal, site)
    after = _inodes(site)
    rewritten = {path for path in after if before.get(path) != after[path]}
    # The unit is redone (next year's report compares with 2023, the unit page lists both), but only
    # the edited report comes out different; pages that come out the same keep their file.
    assert {p for p in rewritten if p.startswith("units/")} == {f"units/{unit_id}/2023-final/index.html"}
    # Prose is not in the summaries the shared pages (home, years, glossary, search, 404) show.
    assert not {"index.html", "glossary/index.html", "404.html"} & rewritten
    full = tmp_path / "full"
    _build(portal, full, "--full")
    assert _files(site) == _files(full)


def test_template_edit_rerenders_only_pages_that_use_it(portal: Path, tmp_path: Path):
    site = tmp_path / "site"
    _build(portal, site)
    before = _inodes(site)
    glossary = portal / "templates" / "glossary.html"
    glossary.write_text(
        glossary.read_text(encoding="utf-8").replace("名词解释</h1>", "名词解释 </h1>"), encoding="utf-8"
    )
    _build(portal, site)
    after = _inodes(site)
    rewritten = {path for path in after if before.get(path) != after[path]}
    assert not any(p.startswith("units/") for p in rewritten)
    assert "glossary/index.html" in rewritten


def test_two_full_builds_are_byte_identical(portal: Path, tmp_path: Path):
    _build(portal, tmp_path / "a", "--full")
    _build(portal, tmp_path / "b", "--full")
    comparison = filecmp.dircmp(tmp_path / "a", tmp_path / "b")
    assert _files(tmp_path / "a") == _files(tmp_path / "b"), comparison.report()


def test_state_records_every_page_inputs_and_templates(portal: Path, tmp_path: Path):
    site = tmp_path / "site"
    _build(portal, site)
    state = load_state(site)
    assert state is not None
    for unit_id, record in state.units.items():
        assert record.pages is None  # left in the shard until needed
        for path, page in load_pages(site, unit_id).items():
            assert (site / path).is_file()
            assert any(source.startswith(f"data/{unit_id}/") for source in page["sources"])
            if path.endswith(".html"):
                assert "base.html" in page["templates"]


def test_full_build_records_the_inputs_planning_compares(portal: Path, tmp_path: Path):
    # A full build plans no inputs: its workers hash each unit's files. The next build must find
    # the same digests its own planning computes, or it would redo (or wrongly keep) units.
    site = tmp_path / "site"
    _build(portal, site, "--full")  # 12 units: in worker processes
    state = load_state(site)
    assert state is not None
    config = load_config(portal)
    index = read_index(portal, config, Problems())
    for unit_id, record in state.units.items():
        inputs, stats = unit_inputs(portal, config, unit_id, index.linked(unit_id), {})
        assert record.inputs == inputs and record.stats == stats
        assert f"data/{unit_id}/unit.yaml" in record.inputs
    folders = sorted(state.units)
    plan = plan_build(portal, config, index, folders, site, full=False)
    assert plan.incremental and plan.dirty == [] and sorted(plan.reused) == folders


def test_a_state_of_other_settings_is_not_read(portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    site = tmp_path / "site"
    _build(portal, site)
    made = load_state(site)
    assert made is not None
    read: list[str] = []
    real = Path.read_bytes

    def reading(path: Path) -> bytes:
        read.append(path.name)
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", reading)
    state_module._last.clear()
    assert load_state(site, "another fingerprint") is None
    assert read == ["index.json"], "the unit records of a useless state were read"
    assert load_state(site, made.fingerprint) == made
    assert read[1:] == ["index.json", *(f"{unit_id}.json" for unit_id in sorted(made.units))]


def test_removed_unit_disappears_on_incremental_build(portal: Path, tmp_path: Path):
    site = tmp_path / "site"
    _build(portal, site)
    victim = sorted((portal / "data").glob("unit-*"))[0]
    shutil.rmtree(victim)
    _build(portal, site)
    assert not (site / "units" / victim.name).exists()


def test_added_report_relinks_the_units_other_report_pages(portal: Path, tmp_path: Path):
    site = tmp_path / "site"
    data = next(p for p in sorted((portal / "data").glob("unit-*/2024-final.yaml")))
    kept = data.read_bytes()
    data.unlink()
    _build(portal, site)
    older = site / "units" / data.parent.name / "2023-final" / "index.html"
    assert not any(h.endswith("/2024-final/index.html") for h in _other_report_links(older))
    data.write_bytes(kept)
    _build(portal, site)
    assert any(h.endswith("/2024-final/index.html") for h in _other_report_links(older))
    full = tmp_path / "full"
    _build(portal, full, "--full")
    assert _files(site) == _files(full)


def _other_report_links(page: Path) -> list[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    line = next(p for p in soup.select("p.muted") if p.get_text().startswith("本单位其他报告"))
    return [str(a["href"]) for a in line.select("a")]


def _build_touched(root: Path, out: Path, touched: set[str]) -> str:
    """Build as the preview server does, told which paths changed; return what it printed."""
    config = load_config(root, {"out_dir": str(out), "base_url": None})
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert build(root, config, touched=touched) == 0
    return printed.getvalue()


def test_watched_paths_redo_the_edited_and_linked_units_and_equal_full(portal: Path, tmp_path: Path):
    parent, member = sorted((portal / "data").glob("unit-*/unit.yaml"))[:2]
    text = member.read_text(encoding="utf-8")
    member.write_text(re.sub(r"上级部门:.*", f"上级部门: {parent.parent.name}", text), encoding="utf-8")
    site = tmp_path / "site"
    _build(portal, site)
    prose = sorted((portal / "content").glob("unit-*/2023-final.md"))[0]
    prose.write_text(prose.read_text(encoding="utf-8") + "\n新增的原因说明。\n", encoding="utf-8")
    edited = f"content/{prose.parent.name}/2023-final.md"
    assert "重新处理 1 个单位" in _build_touched(portal, site, {edited})
    # A unit.yaml that other units' pages read (their parent or members) redoes those units too.
    state = load_state(site)
    assert state is not None
    linked = Counter(p for r in state.units.values() for p in r.inputs if p.endswith("/unit.yaml"))
    shared_yaml, readers = linked.most_common(1)[0]
    assert (shared_yaml, readers) == (f"data/{parent.parent.name}/unit.yaml", 2)
    (portal / shared_yaml).write_text(
        (portal / shared_yaml).read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    assert f"重新处理 {readers} 个单位" in _build_touched(portal, site, {shared_yaml})
    full = tmp_path / "full"
    _build(portal, full, "--full")
    assert _files(site) == _files(full)


def test_paths_not_reported_are_trusted_unchanged(portal: Path, tmp_path: Path):
    site = tmp_path / "site"
    _build(portal, site)
    prose = sorted((portal / "content").glob("unit-*/2023-final.md"))[0]
    prose.write_text(prose.read_text(encoding="utf-8") + "\n新增的原因说明。\n", encoding="utf-8")
    # Nothing reported (no unit's folder is even listed): the edit is not seen ...
    assert "重新处理 0 个单位" in _build_touched(portal, site, set())
    # ... until its folder is reported (a file watcher reports every change).
    assert "重新处理 1 个单位" in _build_touched(portal, site, {f"content/{prose.parent.name}"})


def test_a_one_off_build_keeps_little_per_report(portal: Path, tmp_path: Path):
    from disclosure.state import _last
    from disclosure.summary import LISTED_FIGURES

    site = tmp_path / "site"
    _build(portal, site)
    assert not _last  # its records were reduced to digests: the next build reads the state from disk
    state = load_state(site)
    assert state is not None
    reports = [r for record in state.units.values() for r in (record.summary or {}).get("reports", [])]
    assert reports and all(set(r["figures"]) <= set(LISTED_FIGURES) for r in reports)
    assert all("previous" not in r for r in reports)
