"""Measure live preview: time from saving a file to the browser having reloaded the page."""

from __future__ import annotations

import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .synthetic import generate

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, seconds: float) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("预览服务器没有启动")


def measure(root: Path, saves: int = 5) -> list[float]:
    """Serve root, open a report, save its prose `saves` times a second apart; return seconds each."""
    from playwright.sync_api import sync_playwright

    port = _port()
    server = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve().parent.parent / "build.py"), "--root", str(root),
         "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_for(port, 600)
        prose = sorted((root / "content").glob("*/20*-final.md"))[0]
        url = f"http://127.0.0.1:{port}/units/{prose.parent.name}/{prose.stem}/index.html"
        timings: list[float] = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page()
            page.goto(url)
            for i in range(saves):
                page.wait_for_function("() => window.LiveReload !== undefined", timeout=10000)
                with page.expect_event("load", timeout=30000):
                    start = time.perf_counter()
                    prose.write_text(prose.read_text(encoding="utf-8") + f"\n\n测量{i}\n", encoding="utf-8")
                timings.append(time.perf_counter() - start)
                time.sleep(1.0)
            browser.close()
        return timings
    finally:
        server.terminate()
        server.wait(timeout=30)


def bench_preview(unit_years: int) -> None:
    """Print save-to-reload times for the bundled portal and a synthetic one."""
    source = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        bundled = Path(tmp) / "bundled"
        for name in ("data", "content", "templates"):
            shutil.copytree(source / name, bundled / name)
        synthetic = Path(tmp) / "synthetic"
        generate(source, synthetic, unit_years)
        for label, root in (("自带示例", bundled), (f"样例 {unit_years} 份报告", synthetic)):
            timings = measure(root)
            print(
                f"{label}：保存到页面重新载入 中位数 {statistics.median(timings) * 1000:.0f} 毫秒"
                f"（各次：{'、'.join(f'{t * 1000:.0f}' for t in timings)}）"
            )
