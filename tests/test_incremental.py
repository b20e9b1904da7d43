"""Incremental builds redo only what an edit touched, and equal a full build byte for byte."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from disclosure.cli import main
from disclosure.state import STATE_FILE, load_state
from disclosure.synthetic import generate

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
        if p.is_file() and p.name != STATE_FILE
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
    # The edited report, next year's report (it compares with 2023), the unit page, the shared pages.
    expected = {
        f"units/{unit_id}/2023-final/index.html",
        f"units/{unit_id}/2024-final/index.html",
        f"units/{unit_id}/index.html",
    }
    # Shared pages (home, years, glossary, search, 404) list every unit and are always redone.
    assert {p for p in rewritten if p.startswith("units/")} == expected
    assert "index.html" in rewritten
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
        for path, page in record.pages.items():
            assert (site / path).is_file()
            assert any(source.startswith(f"data/{unit_id}/") for source in page["sources"])
            if path.endswith(".html"):
                assert "base.html" in page["templates"]


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
