"""The acceptance criteria: the bundled data pass with their rounding tails listed, any one changed
amount is caught in its own table, and a failed build never touches the published site."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import JINAN, JIYUAN, REPO, SEEDS, MiniPortal, copy_portal, expect, find, listing

from disclosure.builder import ReportBuilder
from disclosure.problems import Level, Problems
from disclosure.profile import load_profiles
from disclosure.sources import read_sources
from disclosure.validate import load_catalog, validate_report
from disclosure.yamlsource import YamlDoc

# ---------------------------------------------------------------- (a) the bundled data pass


def test_check_passes_on_the_bundled_data_and_lists_the_rounding_tails(portal):
    result = portal.cli("check")
    assert result.status == 0, result.output
    assert "检查通过" in result.out
    problems = portal.check().problems
    # The one warning is the seed document's own slip in a self-evaluation table (test_performance.py).
    warnings = [p for p in find(problems, Level.WARNING) if not p.table.startswith("绩效自评表")]
    assert not find(problems, Level.ERROR) and not warnings, listing(problems)

    # 000: 20805 = 54.34 while 34.88 + 19.45 = 54.33 (公开02表).
    tail = expect(
        problems,
        Level.NOTE,
        file=JINAN,
        table="公开02表",
        row="20805 行政事业单位养老支出",
        column="本年收入合计",
        contains=["54.34 ≠", "54.33", "属尾差"],
    )
    assert tail.line == portal.line_of(JINAN, "[20805,", "公开02表")
    # 000: 公开06表 394.81 + 19.74 = 414.55 while 公开05表 基本支出 = 414.54.
    tail = expect(
        problems,
        Level.NOTE,
        file=JINAN,
        table="公开05表",
        row="合计",
        column="基本支出",
        contains=["414.54 ≠ 公开06表[人员经费合计]+公开06表[公用经费合计] 414.55", "属尾差"],
    )
    assert tail.line == portal.line_of(JINAN, "    合计:", "公开05表")
    # 004: 公开01表 5,510.32 + 0.14 = 5,510.46 while 总计 = 5,510.47.
    tail = expect(
        problems,
        Level.NOTE,
        file=JIYUAN,
        table="公开01表",
        row="31 总计",
        column="金额",
        contains=["5,510.47 ≠", "5,510.46", "属尾差"],
    )
    assert tail.line == portal.line_of(JIYUAN, "    31: ", "公开01表")

    # The printed list carries them, located, as 提示.
    for problem in problems.items:
        assert problem.format() in result.out
    assert re.search(
        r"\[提示\] data/jinan-shizhong-ybj/2024-final\.yaml:\d+ 公开02表 20805 行政事业单位养老支出「本年收入合计」",
        result.out,
    )
    # Every note is a genuine rounding tail: the gap it names is a cent or a few (the self-evaluation
    # tables' own notes and warning are test_performance.py's).
    for problem in (p for p in problems.items if not p.table.startswith("绩效自评表")):
        gap = re.search(r"差 ([\d.,]+)，属尾差", problem.message)
        assert gap, problem.format()
        assert Decimal("0") < Decimal(gap.group(1)) <= Decimal("0.05"), problem.format()


# ---------------------------------------------------------------- (b) any one amount changed is caught


@pytest.fixture(scope="module")
def seed_sources(tmp_path_factory):
    """The two seed reports, read once: source, unit name and level."""
    root = copy_portal(tmp_path_factory.mktemp("amounts") / "portal")
    problems = Problems()
    sources = read_sources(root / "data", root / "content", root, problems)
    assert not problems.items, listing(problems)
    found = {}
    for unit in sources.units:
        for report in unit.reports:
            found[report.path] = (report, str(unit.doc.data["名称"]), str(unit.doc.data["级别"]))
    return found


def amount_paths(tables: dict, number: str):
    """Yield the path of every amount typed in one table of a report's `表`."""
    table = tables.get(number)
    if not isinstance(table, dict):
        return
    for key, value in table.items():
        if key == "注":
            continue
        if key == "科目":
            for i, row in enumerate(value):
                for k in range(2, len(row)):
                    yield ("表", number, "科目", i, k)
        elif isinstance(value, list):
            for k in range(len(value)):
                yield ("表", number, key, k)
        else:
            yield ("表", number, key)


def _with(data, path, change):
    """Return data with the value at path changed, copying only the containers on the path."""
    if not path:
        return change(data)
    changed = list(data) if isinstance(data, list) else dict(data)
    changed[path[0]] = _with(data[path[0]], path[1:], change)
    return changed


def _plus_one(raw) -> str:
    return str(Decimal(str(raw).replace(",", "")) + 1)


@pytest.mark.parametrize("number", [f"公开0{i}表" for i in range(1, 10)])
@pytest.mark.parametrize("seed", list(SEEDS))
def test_any_one_amount_plus_one_is_an_error_in_its_table(seed_sources, seed, number):
    source, name, level = seed_sources[SEEDS[seed].report_file]
    profiles, catalog = load_profiles(), load_catalog()
    paths = list(amount_paths(source.doc.data["表"], number))
    assert paths, f"{number}: no amounts"
    missed = []
    for path in paths:
        data = _with(source.doc.data, path, _plus_one)
        variant = dataclasses.replace(source, doc=YamlDoc(data, source.doc.lines), prose=None, attachments=[])
        problems = Problems()
        report = ReportBuilder(variant, profiles, problems).build(name, level)
        assert report is not None
        validate_report(report, catalog, problems)
        errors = [
            p for p in problems.errors if p.table == number and p.row and p.file == source.path and p.line
        ]
        if not errors:
            missed.append(
                f"{'.'.join(map(str, path))} (line {source.doc.line(*path)}):\n{listing(problems.errors)}"
            )
    assert not missed, (
        f"{len(missed)} of {len(paths)} changed amounts not reported in {number}:\n" + "\n".join(missed)
    )


def test_the_amount_walk_covers_the_whole_report(seed_sources):
    counts = {}
    for seed in SEEDS.values():
        source = seed_sources[seed.report_file][0]
        counts[seed.key] = sum(
            len(list(amount_paths(source.doc.data["表"], f"公开0{i}表"))) for i in range(1, 10)
        )
    # 000: 01 8, 02 24×7, 03 24×6, 04 3+5×4, 05 24×3, 06 88+2, 07 6, 08 3, 09 12.
    assert counts["000"] == 8 + 168 + 144 + 23 + 72 + 90 + 6 + 3 + 12
    assert counts["004"] > 500


# ---------------------------------------------------------------- (c) a failed build publishes nothing


def _snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _leftovers(portal: MiniPortal) -> list[str]:
    return [p.name for p in portal.root.iterdir() if p.name.startswith(".site")]


def test_failed_build_leaves_the_site_byte_for_byte_untouched(portal):
    assert portal.cli("build").status == 0
    before = _snapshot(portal.site())
    assert "units/jiyuan-ybzx/2023-final/index.html" in before
    portal.replace(JIYUAN, "    8: 0.20", "    8: 1.20", "公开01表")
    result = portal.cli("build")
    assert result.status == 1
    assert "未生成网站" in result.err
    assert "公开01表 27 本年收入合计" in result.out
    assert _snapshot(portal.site()) == before
    assert _leftovers(portal) == []


def test_failed_first_build_creates_no_site(portal):
    portal.replace(JIYUAN, "    8: 0.20", "    8: 1.20", "公开01表")
    assert portal.cli("build").status == 1
    assert not portal.site().exists()
    assert _leftovers(portal) == []


def test_successful_build_replaces_the_whole_site(portal):
    assert portal.cli("build").status == 0
    stale = portal.site() / "units" / "gone" / "index.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("old", encoding="utf-8")
    assert portal.cli("build").status == 0
    assert not stale.exists()
    assert (portal.site() / "units/jinan-shizhong-ybj/2024-final/index.html").is_file()


def test_build_failing_while_rendering_leaves_the_site_untouched(portal):
    assert portal.cli("build").status == 0
    before = _snapshot(portal.site())
    report = portal.read("templates/report.html")
    portal.write(
        "templates/report.html", report.replace("{% block main %}", "{% block main %}{{ no_such_value }}", 1)
    )
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(portal.root), "build"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        cwd=portal.root,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert _snapshot(portal.site()) == before
    assert _leftovers(portal) == []
