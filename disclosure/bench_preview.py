"""Measure live preview: the time from saving a file to the browser showing the reloaded page.

"Reloaded" here means: the new document's DOMContentLoaded has finished (its DOM is complete and
its deferred scripts have run) and its <main> contains the text just saved. It is read from the
page's own navigation timing (performance.timeOrigin + domContentLoadedEventEnd, wall clock) and
counted from the moment before the file is written. Charts are drawn after the load event and are
not counted; the load event is reported beside it. Each save appends a new line to a report's
情况说明 (content/<unit>/<year>-final.md), a second after the page came back, as an author would.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .synthetic import generate

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
READY = "() => document.documentElement.getAttribute('data-preview') === 'ready'"
TIMING = """marker => {
  const n = performance.getEntriesByType('navigation')[0];
  return {origin: performance.timeOrigin, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd,
          html: n.responseEnd, shown: document.querySelector('main').innerText.includes(marker)};
}"""
BUILT = re.compile(r"构建 (\d+) 毫秒，CPU (\d+) 毫秒；发现修改到通知浏览器 (\d+) 毫秒")


@dataclass
class Save:
    """One save, in milliseconds: to DOMContentLoaded, to load, and the stages between."""

    reloaded: float
    loaded: float
    to_build: float  # save → the server saw it (inotify) → … and after the build, the reload sent
    build: float
    build_cpu: float
    browser: float  # reload sent → new page's DOMContentLoaded (fetch, parse, layout, scripts)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, server: subprocess.Popen, seconds: float) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline and server.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("预览服务器没有启动")


def _read_lines(stream: Any, lines: list[str]) -> None:
    for line in stream:
        lines.append(line.rstrip())


def measure(root: Path, saves: int = 9) -> list[Save]:
    """Serve root, open a report, save its prose `saves` times a second apart; time each reload."""
    from playwright.sync_api import sync_playwright

    port = _port()
    server = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve().parent.parent / "build.py"), "--root", str(root),
         "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    lines: list[str] = []
    threading.Thread(target=_read_lines, args=(server.stdout, lines), daemon=True).start()
    try:
        _wait_for(port, server, 1800)
        prose = sorted((root / "content").glob("*/20*-final.md"))[0]
        url = f"http://127.0.0.1:{port}/units/{prose.parent.name}/{prose.stem}/index.html"
        results: list[Save] = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page()
            page.goto(url)
            page.wait_for_function(READY, timeout=10000)
            time.sleep(1.0)  # as between saves: the page has settled (charts drawn) before one
            for i in range(saves):
                marker = f"第{i}次保存测量"
                built = len(lines)
                with page.expect_event("domcontentloaded", timeout=60000):
                    start = time.time()
                    prose.write_text(prose.read_text(encoding="utf-8") + f"\n\n{marker}\n", encoding="utf-8")
                page.wait_for_load_state("load")
                timing = page.evaluate(TIMING, marker)
                if not timing["shown"]:
                    raise SystemExit(f"重新载入的页面没有刚保存的文字：{marker}")
                page.wait_for_function(READY, timeout=10000)
                results.append(_stages(start, timing, lines[built:]))
                time.sleep(1.0)
            browser.close()
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


def _stages(start: float, timing: dict[str, float], printed: list[str]) -> Save:
    """Split one save's time using the page's timing and the line the server printed."""
    found = next((BUILT.search(line) for line in printed if BUILT.search(line)), None)
    build, cpu, notify = (float(v) for v in found.groups()) if found else (0.0, 0.0, 0.0)
    navigation = timing["origin"] / 1000  # wall clock when the reload began
    return Save(
        reloaded=(navigation + timing["dcl"] / 1000 - start) * 1000,
        loaded=(navigation + timing["load"] / 1000 - start) * 1000,
        to_build=(navigation - start) * 1000 - notify,
        build=build,
        build_cpu=cpu,
        browser=timing["dcl"],
    )


def report(label: str, results: list[Save]) -> str:
    """Return one line: the median and each save, then the medians of the stages."""

    def median(name: str) -> float:
        return statistics.median(getattr(r, name) for r in results)

    each = "、".join(f"{r.reloaded:.0f}" for r in results)
    return (
        f"{label}：保存到页面重新载入（DOMContentLoaded，含刚保存的文字）中位数 {median('reloaded'):.0f} 毫秒"
        f"（各次：{each}；load 事件 {median('loaded'):.0f} 毫秒）\n"
        f"  其中（中位数）：发现修改及通知 {median('to_build'):.0f}，构建 {median('build'):.0f}"
        f"（CPU {median('build_cpu'):.0f}），浏览器载入 {median('browser'):.0f} 毫秒"
    )


def bench_preview(unit_years: int, saves: int = 9) -> None:
    """Print save-to-reload times for the bundled portal and a synthetic one."""
    source = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        bundled = Path(tmp) / "bundled"
        for name in ("data", "content", "templates"):
            shutil.copytree(source / name, bundled / name)
        synthetic = Path(tmp) / "synthetic"
        generate(source, synthetic, unit_years)
        for label, root in (("自带示例", bundled), (f"样例 {unit_years} 份报告", synthetic)):
            print(report(label, measure(root, saves)), flush=True)
