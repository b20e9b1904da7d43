"""Incremental builds that update the site in place: per-file renames, equal to a full build, safe to stop."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from disclosure import output
from disclosure.commands.build import build
from disclosure.config import load_config
from disclosure.state import STATE_DIR, load_state
from disclosure.synthetic import generate

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def portal(tmp_path: Path) -> Path:
    root = tmp_path / "portal"
    generate(ROOT, root, 12, years_per_unit=3)
    return root


def _build(root: Path, out: Path, full: bool = False) -> tuple[int, str]:
    """Build as the preview server does (builtin search, so incremental builds go in place)."""
    config = replace(load_config(root), out_dir=str(out), preview=True)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        status = build(root, config, full=full)
    return status, printed.getvalue()


def _files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and not p.relative_to(site).as_posix().startswith(STATE_DIR + "/")
    }


def _inodes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}


def _edit_prose(root: Path) -> tuple[str, str]:
    prose = sorted((root / "content").glob("unit-*/20*-final.md"))[0]
    prose.write_text(prose.read_text(encoding="utf-8") + "\n就地更新的新说明。\n", encoding="utf-8")
    return prose.parent.name, prose.stem


def test_edit_rewrites_only_the_changed_files_in_place_and_equals_a_full_build(portal: Path, tmp_path: Path):
    site = tmp_path / "site"
    assert _build(portal, site)[0] == 0
    before = _inodes(site)
    unit_id, slug = _edit_prose(portal)
    status, printed = _build(portal, site)
    assert status == 0 and "增量构建：重新处理 1 个单位" in printed
    after = _inodes(site)
    rewritten = {p for p in after if before.get(p) != after[p] and not p.startswith(STATE_DIR + "/")}
    # The report page and the search index hold the new sentence; the search script is staged anew.
    assert f"units/{unit_id}/{slug}/index.html" in rewritten
    assert "search/index.js" in rewritten
    assert rewritten <= {f"units/{unit_id}/{slug}/index.html", "search/index.js"} | {
        p for p in rewritten if re.fullmatch(r"assets/search\.[0-9a-f]+\.js", p)
    }
    assert "就地更新的新说明" in (site / f"units/{unit_id}/{slug}/index.html").read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".site.*"))  # the staging folder is gone
    full = tmp_path / "full"
    assert _build(portal, full, full=True)[0] == 0
    assert _files(site) == _files(full)


def test_removed_unit_and_report_disappear_in_place(portal: Path, tmp_path: Path):
    site = tmp_path / "site"
    assert _build(portal, site)[0] == 0
    victim = sorted((portal / "data").glob("unit-*"))[1]
    shutil.rmtree(victim)
    shutil.rmtree(portal / "content" / victim.name, ignore_errors=True)
    report = next(
        p for p in sorted((portal / "data").glob("unit-*/20*-final.yaml")) if p.stem != "2024-final"
    )
    report.unlink()
    (portal / "content" / report.parent.name / f"{report.stem}.md").unlink(missing_ok=True)
    status, printed = _build(portal, site)
    assert status == 0 and "增量构建" in printed, printed
    assert not (site / "units" / victim.name).exists()
    assert not list((site / "downloads").glob(f"*/{victim.name}"))
    assert not (site / STATE_DIR / "units" / f"{victim.name}.json").exists()
    assert not (site / "units" / report.parent.name / report.stem).exists()
    full = tmp_path / "full"
    assert _build(portal, full, full=True)[0] == 0
    assert _files(site) == _files(full)


def test_failed_incremental_build_changes_nothing(portal: Path, tmp_path: Path):
    site = tmp_path / "site"
    assert _build(portal, site)[0] == 0
    before = {p: (site / p).read_bytes() for p in _inodes(site)}
    data = sorted((portal / "data").glob("unit-*/20*-final.yaml"))[0]
    data.write_text(data.read_text(encoding="utf-8") + "\n表: [\n", encoding="utf-8")
    status, printed = _build(portal, site)
    assert status == 1 and "原有网站保持不变" in printed
    assert {p: (site / p).read_bytes() for p in _inodes(site)} == before
    assert not list(tmp_path.glob(".site.*"))


def test_build_stopped_while_moving_files_leaves_whole_pages_and_no_state(
    portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    site = tmp_path / "site"
    assert _build(portal, site)[0] == 0
    old = _files(site)
    # A template edit redoes every page; the build stops after moving three of them.
    base = portal / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</footer>", "<!-- 改 --></footer>"), "utf-8")
    moved: list[str] = []
    real_replace = os.replace

    def replace_then_stop(source: str | Path, target: str | Path) -> None:
        if len(moved) == 3:
            raise KeyboardInterrupt
        real_replace(source, target)
        moved.append(str(target))

    monkeypatch.setattr(output.os, "replace", replace_then_stop)
    with pytest.raises(KeyboardInterrupt):
        _build(portal, site)
    monkeypatch.setattr(output.os, "replace", real_replace)
    assert len(moved) == 3
    full = tmp_path / "full"
    assert _build(portal, full, full=True)[0] == 0
    new = _files(full)
    for path, data in _files(site).items():
        assert data in (old.get(path), new.get(path)), path  # every file whole: the old or the new one
    assert load_state(site) is None  # the state went first: the next build is a full one
    status, printed = _build(portal, site)
    assert status == 0 and "增量构建" not in printed
    assert _files(site) == new


def test_a_preview_build_leaves_every_template_compiled_for_the_first_edit(portal: Path, tmp_path: Path):
    from disclosure.render import template_environment

    env = template_environment(portal / "templates")
    env.cache.clear()  # type: ignore[union-attr]
    assert _build(portal, tmp_path / "site")[0] == 0  # workers render the reports, in their processes
    compiled = {key[1] for key in env.cache}  # type: ignore[union-attr]
    assert {"report.html", "unit.html", "partials/table.html", "notes/final.html"} <= compiled
    assert compiled == set(env.list_templates(extensions=["html"]))
