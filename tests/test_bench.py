"""The benchmark, at a small size as CI runs it: its JSON line, and a floor that writes the build's files.

No time is asserted (a shared machine's timings say nothing); what is checked is that the figures are
measured and consistent, and that the floor writes the very pages and downloads the build writes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import run_cli

from disclosure.bench import default_rounds, floor_seconds, middle_round, round_ratios
from disclosure.bench_search import builtin_pages_of
from disclosure.search import BUILTIN_INDEX
from disclosure.synthetic import generate

FIELDS = {"unit_years", "build_s", "floor_s", "ratio", "per_report_ms", "incremental_s", "peak_rss_mb"}


def files(site: Path) -> dict[str, bytes]:
    """Return every file of a site by relative path."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_bench_prints_one_json_line_with_the_issue_figures() -> None:
    result = run_cli("bench", "--unit-years", "6", "--rounds", "2")
    assert result.status == 0, result.err
    figures = json.loads(result.out.strip().splitlines()[-1])
    assert figures.keys() >= FIELDS
    assert figures["unit_years"] == 6
    # Two rounds of a full build and its floor; the figures are those of one round, the lower ratio of two.
    assert figures["rounds"] == 2 and len(figures["build_runs_s"]) == len(figures["floor_runs_s"]) == 2
    chosen = figures["build_runs_s"].index(figures["build_s"])
    assert figures["floor_s"] == figures["floor_runs_s"][chosen]
    assert figures["ratio_runs"][chosen] == min(figures["ratio_runs"])
    assert result.out.count("完整构建：") == 2 and "取 2 轮中比值居中的" in result.out
    for name in ("build_s", "floor_s", "incremental_s", "peak_rss_mb", "build_cpu_s", "floor_cpu_s"):
        assert figures[name] > 0, name
    # Computed from the unrounded seconds: equal to the printed ones' quotient up to their rounding.
    assert figures["ratio"] == pytest.approx(figures["build_s"] / figures["floor_s"], rel=0.01)
    assert figures["per_report_ms"] == pytest.approx(figures["build_s"] / 6 * 1000, rel=0.01)


def test_bench_reports_the_median_round_of_three_below_a_provincial_size() -> None:
    assert default_rounds(100) == default_rounds(1000) == 5 and default_rounds(10_000) == 1
    builds, floors = [(26.0, 40.0), (22.7, 42.0), (22.9, 43.0)], [(13.3, 26.0), (16.0, 31.0), (15.0, 30.0)]
    assert middle_round(round_ratios(builds, floors)) == 2  # ratios 1.95, 1.42, 1.53: the middle one
    assert middle_round(round_ratios(builds[:1], floors[:1])) == 0
    result = run_cli("bench", "--unit-years", "6", "--rounds", "0")
    assert result.status == 2 and "--rounds 至少为 1" in result.err and "Traceback" not in result.err


def test_the_floor_writes_the_pages_and_downloads_the_build_writes(tmp_path: Path) -> None:
    root = tmp_path / "portal"
    generate(Path(__file__).resolve().parent.parent, root, 8)
    (root / "portal.yaml").write_text("search: builtin\n", encoding="utf-8")
    assert run_cli("--root", str(root), "build", "--out", str(tmp_path / "site")).status == 0
    floor_seconds(root, 2, keep=tmp_path / "floor")
    built, floor = files(tmp_path / "site"), files(tmp_path / "floor")
    downloads = {p for p in built if p.startswith("downloads/")}
    assert downloads and downloads == {p for p in floor if p.startswith("downloads/")}
    assert all(floor[p] == built[p] for p in downloads)  # the same bytes: the same work was done
    pages = {p for p in built if p.endswith(".html") and not p.startswith(("search/", "404"))}
    assert len(pages) >= 10 and pages <= floor.keys()
    # The very pages, charts included (their figures built before the floor is timed).
    assert [p for p in sorted(pages) if floor[p] != built[p]] == []
    report = BeautifulSoup(
        floor[next(p for p in sorted(pages) if p.endswith("-final/index.html"))], "html.parser"
    )
    assert report.select("figure.chart script[type='application/json']")


def test_the_search_step_reads_the_built_index_page_by_page(tmp_path: Path) -> None:
    root = tmp_path / "portal"
    generate(Path(__file__).resolve().parent.parent, root, 8)
    (root / "portal.yaml").write_text("search: builtin\n", encoding="utf-8")
    site = tmp_path / "site"
    assert run_cli("--root", str(root), "build", "--out", str(site)).status == 0
    script = (site / BUILTIN_INDEX).read_text(encoding="utf-8")
    whole = json.loads(script[script.index("{") : script.rindex("}") + 1])  # the index read at once
    expected = [
        {**page, **{key: [whole["shared"][s] if isinstance(s, int) else s for s in page[key]]
                    for key in ("subjects", "notes")}}
        for page in whole["pages"]
    ]  # fmt: skip
    pages = builtin_pages_of(site)
    assert not isinstance(pages, list)  # given one at a time, as the build gives them to pagefind
    assert list(pages) == expected
    assert len(expected) >= 10 and any(isinstance(s, int) for p in whole["pages"] for s in p["notes"])
