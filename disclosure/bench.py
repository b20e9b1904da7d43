"""Benchmark a synthetic portal: full build, floor (render + write only), incremental, memory."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from .builder import build_unit
from .charts import Chart, Charts, PageCharts
from .config import PortalConfig, load_config
from .opendata import report_files, write_year_downloads, year_workers
from .output import SiteWriter, write_new
from .pages import Page, portal_pages, unit_pages
from .problems import Problems
from .render import Renderer, hashed_name
from .sources import SourceReader, read_unit
from .summary import summarize_unit
from .synthetic import generate
from .units import make_job, read_index, unit_folders


class TreeMemory:
    """Sample the resident memory of a process and all its descendants (Linux /proc).

    peak_kb sums each process's RSS, so pages a forked worker shares with its parent count twice;
    peak_pss_kb sums the proportional set sizes (a shared page split between its sharers).
    """

    def __init__(self, pid: int):
        self.pid = pid
        self.peak_kb = 0
        self.peak_pss_kb = 0
        self._rss: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            tree = self._tree()
            self.peak_kb = max(self.peak_kb, sum(self._rss.get(p, 0) for p in tree))
            self.peak_pss_kb = max(self.peak_pss_kb, sum(_pss_kb(p) for p in tree))

    def _tree(self) -> set[int]:
        parents: dict[int, int] = {}
        rss: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            parents[int(entry.name)] = int(fields.get("PPid", "0").strip() or 0)
            rss[int(entry.name)] = int(fields.get("VmRSS", "0 kB").split()[0] or 0)
        self._rss = rss
        tree, frontier = {self.pid}, [self.pid]
        while frontier:
            parent = frontier.pop()
            children = [p for p, pp in parents.items() if pp == parent and p not in tree]
            tree.update(children)
            frontier.extend(children)
        return tree


def _pss_kb(pid: int) -> int:
    """Return a process's proportional set size in KB (0 when it has ended)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def timed_build(root: Path, out: Path) -> tuple[float, float, int, int]:
    """Run `build.py build` in a child process; return seconds, CPU seconds (user + system of the
    whole process tree: what other load on the machine does not inflate) and peak memory of its tree
    (KB: summed RSS, summed PSS)."""
    script = Path(__file__).resolve().parent.parent / "build.py"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(script), "--root", str(root), "build", "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    with TreeMemory(process.pid) as memory:
        _, errors = process.communicate()
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the build and every process it waited for
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if process.returncode != 0:
        raise SystemExit(f"构建失败：{errors.decode('utf-8', 'replace')[-2000:]}")
    return seconds, cpu, memory.peak_kb, memory.peak_pss_kb


_floor_units: list = []
_floor_renderer: list = []


def _floor_render(bounds: tuple[int, int, str]) -> int:
    start, stop, target = bounds
    renderer = _floor_renderer[0]
    count = 0
    for unit in _floor_units[start:stop]:
        for page in unit_pages(unit, renderer.portal):
            write_new(Path(target) / page.path, renderer.render(page).encode("utf-8"))
            count += 1
        for report in unit.reports:  # the downloads beside the pages: files the site must hold too
            for path, data in report_files(report, unit.name).items():
                write_new(Path(target) / path, data)
    return count


def _cpu_seconds() -> float:
    """Return the CPU seconds of this process plus every child process it has waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class PrebuiltCharts(Charts):
    """Charts built before the floor is timed: pages are drawn with them, none is built while timed."""

    def __init__(self, config: PortalConfig, templates: Path):
        super().__init__(config, templates)
        self.built: dict[tuple[str, object], list[Chart]] = {}

    @staticmethod
    def _key(template: str, context: dict[str, Any]) -> tuple[str, object]:
        subject = context.get("report") or context.get("unit")
        return template, id(subject) if subject is not None else context.get("year")

    def prebuild(self, page: Page) -> None:
        """Build a page's charts now (the report, unit and year objects stay alive until it renders).

        Each figure is kept as the JSON the page holds: as dicts, a province's figures held at once
        took gigabytes, and a floor process that large is itself slowed down."""
        context = page.full_context()
        charts = super().for_page(page.root, page.template, context).charts
        for chart in charts:
            height = chart.height
            _ = chart.json  # cached on the chart
            chart.figure = {"layout": {"height": height}}
        self.built[self._key(page.template, context)] = charts

    def for_page(self, root: str, template: str, context: dict[str, Any]) -> PageCharts:
        """Return the page's charts built beforehand."""
        charts = self.built.get(self._key(template, context), [])
        return PageCharts(root, charts, self.assets, sortable=template == "year.html")


def floor_seconds(root: Path, workers: int, keep: Path | None = None) -> tuple[float, float]:
    """Write the same site from a model loaded beforehand: every page rendered with the same templates
    (the same bytes, charts included: their figures are built as JSON before timing), every download and year
    workbook (no loading, checks or chart building; no search index); return seconds and CPU seconds
    (this process and its workers). keep: copy what it wrote there (for tests)."""
    config = load_config(root)
    problems = Problems()
    index = read_index(root, config, problems)
    job = make_job(root, config, index)
    _floor_units.clear()
    for folder in unit_folders(root / config.data_dir):
        source = read_unit(folder, root / config.content_dir / folder.name, SourceReader(root, problems))
        if source is not None:
            unit = build_unit(source, job.profiles, problems)
            _floor_units.append(unit)
    index.replace_many([summarize_unit(unit, unit.reports) for unit in _floor_units])
    templates = root / config.templates_dir
    css_name = "assets/" + hashed_name("site.css", (templates / "assets" / "site.css").read_bytes())
    renderer = Renderer(config, templates, index, css_name)
    renderer.charts = charts = PrebuiltCharts(config, templates)
    shared = portal_pages(index)
    for page in [p for unit in _floor_units for p in unit_pages(unit, index)] + shared:
        charts.prebuild(page)
    _floor_renderer[:] = [renderer]
    with tempfile.TemporaryDirectory() as tmp:
        writer = SiteWriter(Path(tmp) / "site")
        start, cpu = time.perf_counter(), _cpu_seconds()
        step = max(1, len(_floor_units) // (workers * 4))
        chunks = [(i, i + step, str(writer.tmp)) for i in range(0, len(_floor_units), step)]
        with year_workers(writer, max(2, workers)) as pool:  # a fork pool that builds the years too
            pool.map(_floor_render, chunks)
            years = write_year_downloads(writer, index, None, pool)  # as the build does: in workers
            for page in shared:
                writer.write_text(page.path, renderer.render(page))
            years.finish()
        seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu
        if keep is not None:
            shutil.copytree(writer.tmp, keep)
        writer.abort()
    return seconds, cpu


def floor_in_child(root: Path, workers: int) -> tuple[float, float]:
    """Measure floor_seconds in a fresh Python process, as the build is measured: every round's floor
    starts alike (run in this process, each round's floor inherited the heap of the last: 10 % slower)."""
    code = (
        "import json, sys; from pathlib import Path; from disclosure.bench import floor_seconds; "
        "print(json.dumps(floor_seconds(Path(sys.argv[1]), int(sys.argv[2]))))"
    )
    process = subprocess.run(
        [sys.executable, "-c", code, str(root), str(workers)],
        cwd=Path(__file__).resolve().parent.parent, capture_output=True, check=False,
    )  # fmt: skip
    if process.returncode != 0:
        raise SystemExit(f"测量下限失败：{process.stderr.decode('utf-8', 'replace')[-2000:]}")
    seconds, cpu = json.loads(process.stdout.decode("utf-8").splitlines()[-1])
    return seconds, cpu


def edit_one_report(root: Path) -> None:
    """Change one authored reason of one unit-year, as an officer saving a file would."""
    prose = sorted((root / "content").glob("*/20*-final.md"))[0]
    prose.write_text(prose.read_text(encoding="utf-8") + "\n（已修改）\n", encoding="utf-8")


def incremental_seconds(root: Path, out: Path) -> float:
    """Time a rebuild after one edit inside a running process, exactly as the preview server does it."""
    from .commands.build import build

    config = replace(load_config(root), out_dir=str(out), preview=True)
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
        build(root, config)  # warm: the preview server has already built once
        edit_one_report(root)
        start = time.perf_counter()
        status = build(root, config, wait=False)  # the old site is deleted in the background
        seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit("增量构建失败")
    return seconds


def search_cost(site: Path) -> dict[str, float]:
    """Index the built site with pagefind in a child process; return its seconds, CPU seconds, peak memory
    (MB, RSS of the child and pagefind's processes) and page and part counts (all 0 without pagefind)."""
    from .search import pagefind_available

    if not pagefind_available():
        return {
            "search_s": 0.0,
            "search_cpu_s": 0.0,
            "search_peak_mb": 0.0,
            "search_pages": 0,
            "search_parts": 0,
        }
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "disclosure.bench_search", str(site)],
        cwd=Path(__file__).resolve().parent.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    with TreeMemory(process.pid) as memory:
        output, errors = process.communicate()
    seconds, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise SystemExit(f"pagefind 索引失败：{errors.decode('utf-8', 'replace')[-2000:]}")
    counts = json.loads(output.decode("utf-8").splitlines()[-1])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "search_s": round(seconds, 3), "search_cpu_s": round(cpu, 3), "search_peak_mb": round(memory.peak_kb / 1024, 1),
        "search_pages": counts["pages"], "search_parts": counts["parts"],
    }  # fmt: skip


def default_rounds(unit_years: int) -> int:
    """Return how many rounds a size is measured: five where a run takes a minute or two, else one.

    Five: on a disk whose kernel time swings (this machine's: 3–10 s in a 20 s build), the median of
    three still moved by a tenth from run to run."""
    return 5 if unit_years <= 2000 else 1


def round_ratios(builds: list[tuple[float, ...]], floors: list[tuple[float, ...]]) -> list[float]:
    """Return each round's build-to-floor ratio (wall seconds)."""
    return [build[0] / floor[0] if floor[0] else 0.0 for build, floor in zip(builds, floors, strict=True)]


def middle_round(ratios: list[float]) -> int:
    """Return the round whose ratio is the median (the first of two middle ones).

    Each round measures a build and then, at once, its floor: other load on the machine (it moves
    the same work's time by a fifth here) falls on both alike, so a round's ratio is fair, and the
    median round is neither the luckiest nor the unluckiest.
    """
    return sorted(range(len(ratios)), key=lambda i: ratios[i])[(len(ratios) - 1) // 2]


def bench(unit_years: int, keep: Path | None = None, rounds: int | None = None) -> dict[str, Any]:
    """Generate a portal of `unit_years` reports and measure it; print figures and a JSON line.

    rounds: rounds of a full build then its floor (default: default_rounds); the median round is reported."""
    rounds = rounds or default_rounds(unit_years)
    source_root = Path(__file__).resolve().parent.parent
    workers = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        root = keep or Path(tmp) / "portal"
        count = generate(source_root, root, unit_years)
        # The build is timed without pagefind's word index, which is measured on its own below.
        (root / "portal.yaml").write_text("search: builtin\n", encoding="utf-8")
        out = Path(tmp) / "site"
        print(f"生成样例门户：{count} 份报告（{root}）")
        builds: list[tuple[float, ...]] = []
        floors: list[tuple[float, ...]] = []
        for round_number in range(1, rounds + 1):
            shutil.rmtree(out, ignore_errors=True)  # each a full build, into a new folder
            os.sync()  # files written before (the portal, the last round's site) are not flushed during it
            builds.append(timed_build(root, out))
            build_s, cpu_s, peak_kb, pss_kb = builds[-1]
            mark = f"第 {round_number}/{rounds} 轮 " if rounds > 1 else ""
            print(
                f"{mark}完整构建：{build_s:.2f} 秒（CPU {cpu_s:.2f} 秒），峰值内存 {peak_kb / 1024:.0f} MB"
                f"（进程树 RSS 合计；按比例计共享页 PSS {pss_kb / 1024:.0f} MB）"
            )
            os.sync()
            floors.append(floor_in_child(root, workers))
            print(
                f"{mark}下限（只渲染和写出同样的页面与下载文件）：{floors[-1][0]:.2f} 秒（CPU {floors[-1][1]:.2f} 秒）"
            )
        ratios = round_ratios(builds, floors)
        middle = middle_round(ratios)
        build_s, cpu_s = builds[middle][0], builds[middle][1]
        floor_s, floor_cpu_s = floors[middle]
        peak_kb, pss_kb = max(b[2] for b in builds), max(b[3] for b in builds)
        if rounds > 1:
            print(
                f"取 {rounds} 轮中比值居中的第 {middle + 1} 轮：构建 {build_s:.2f} 秒，下限 {floor_s:.2f} 秒"
                f"（比值 {build_s / floor_s:.2f}）；内存取各轮最高的。"
            )
        incremental_s = incremental_seconds(root, out)
        search = search_cost(out)
        if search["search_pages"]:
            print(
                f"另行测量 pagefind 全文索引（{search['search_pages']} 个页面，分 {search['search_parts']} 部分）："
                f"{search['search_s']:.2f} 秒（CPU {search['search_cpu_s']:.2f} 秒），"
                f"峰值内存 {search['search_peak_mb']:.0f} MB"
            )
        print(f"修改一个文件后增量构建（进程内，如预览服务器）：{incremental_s:.3f} 秒")
    result = {
        "unit_years": count,
        "build_s": round(build_s, 3),
        "floor_s": round(floor_s, 3),
        "ratio": round(build_s / floor_s, 3) if floor_s else 0.0,
        "per_report_ms": round(build_s / max(count, 1) * 1000, 3),
        "build_cpu_s": round(cpu_s, 3),
        "floor_cpu_s": round(floor_cpu_s, 3),
        # The same ratio in CPU time: unlike wall time, not moved by other load on the machine.
        "cpu_ratio": round(cpu_s / floor_cpu_s, 3) if floor_cpu_s else 0.0,
        "cpu_per_report_ms": round(cpu_s / max(count, 1) * 1000, 3),
        "incremental_s": round(incremental_s, 3),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "peak_pss_mb": round(pss_kb / 1024, 1),
        "rounds": rounds,
        # Every round's wall seconds, build and floor, in order: how much the machine moved them.
        "build_runs_s": [round(b[0], 3) for b in builds],
        "floor_runs_s": [round(f[0], 3) for f in floors],
        "ratio_runs": [round(r, 3) for r in ratios],
        # pagefind's word index over the built site, in a process of its own (not in build_s).
        **search,
    }
    print(json.dumps(result, ensure_ascii=False))
    return result
