"""Live preview in a real Chromium: every save reloads, errors show over the page, then recover."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
READY = "() => document.documentElement.getAttribute('data-preview') === 'ready'"  # events stream open
LIVERELOAD = "http://livereload.com/protocols/official-7"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason="Debian chromium not installed"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(root: Path) -> tuple[subprocess.Popen, str]:
    """Start `build.py serve` on a free port; return the process and the base URL once it answers."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--root", str(root), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    process.kill()
    pytest.fail("预览服务器没有启动")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def preview(tmp_path: Path):
    root = tmp_path / "portal"
    for name in ("data", "content", "templates"):
        shutil.copytree(ROOT / name, root / name)
    process, base = start_server(root)
    yield root, base
    stop_server(process)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield instance
        instance.close()


def test_every_save_reloads_even_a_second_apart(preview, browser):
    root, base = preview
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/units/jiyuan-ybzx/2023-final/index.html")
    page.wait_for_function(READY, timeout=10000)
    prose = root / "content" / "jiyuan-ybzx" / "2023-final.md"
    timings = []
    for i in range(3):
        marker = f"第{i}次保存的说明"
        with page.expect_event("load", timeout=10000):
            start = time.perf_counter()
            prose.write_text(prose.read_text(encoding="utf-8") + f"\n\n{marker}\n", encoding="utf-8")
        timings.append(time.perf_counter() - start)
        page.wait_for_function(READY, timeout=10000)
        assert marker in page.inner_text("main")
        time.sleep(1.0)  # saves one second apart must each reload
    print("保存到页面重新载入（毫秒）:", [round(t * 1000) for t in timings])
    assert errors == []


def test_error_overlay_names_the_problem_and_recovers(preview, browser):
    root, base = preview
    page = browser.new_page()
    page.goto(f"{base}/units/jiyuan-ybzx/2023-final/index.html")
    page.wait_for_function(READY, timeout=10000)
    report = root / "data" / "jiyuan-ybzx" / "2023-final.yaml"
    good = report.read_text(encoding="utf-8")
    with page.expect_event("load", timeout=10000):
        report.write_text(good.replace('1: "5,303.72"', '1: "5,303.99"', 1), encoding="utf-8")
    overlay = page.wait_for_selector("#preview-errors", timeout=10000)
    text = overlay.inner_text()
    assert "data/jiyuan-ybzx/2023-final.yaml:" in text and "公开01表" in text
    # The page under the overlay is still the last good build.
    assert "5,303.72" in page.inner_text("table[data-table=final-01]")
    # Saving another unit meanwhile rebuilds with the error still there: it stays shown.
    page.wait_for_function(READY, timeout=10000)
    other = root / "content" / "jinan-shizhong-ybj" / "2024-final.md"
    with page.expect_event("load", timeout=10000):
        other.write_text(other.read_text(encoding="utf-8") + "\n\n另一单位的修改\n", encoding="utf-8")
    overlay = page.wait_for_selector("#preview-errors", timeout=10000)
    assert "data/jiyuan-ybzx/2023-final.yaml:" in overlay.inner_text()
    page.wait_for_function(READY, timeout=10000)
    with page.expect_event("load", timeout=10000):
        report.write_text(good, encoding="utf-8")
    page.wait_for_load_state()
    page.wait_for_timeout(300)
    assert page.query_selector("#preview-errors") is None


def test_reload_fetches_the_page_alone_and_plotly_runs_after_load(preview, browser):
    root, base = preview
    page = browser.new_page()
    page.goto(f"{base}/units/jiyuan-ybzx/2023-final/index.html")
    page.wait_for_function(READY, timeout=10000)
    prose = root / "content" / "jiyuan-ybzx" / "2023-final.md"
    with page.expect_event("load", timeout=10000):
        prose.write_text(prose.read_text(encoding="utf-8") + "\n\n再保存一次\n", encoding="utf-8")
    page.wait_for_function(READY, timeout=10000)
    page.wait_for_function("() => !!window.Plotly", timeout=30000)
    entries = page.evaluate(
        """() => ({load: performance.getEntriesByType('navigation')[0].loadEventStart,
                   assets: performance.getEntriesByType('resource').filter(r => r.name.includes('/assets/'))
                       .map(r => [r.name.split('/').pop(), r.transferSize, r.startTime])})"""
    )
    hashed = {
        name: (size, begun)
        for name, size, begun in entries["assets"]
        if re.search(r"\.[0-9a-f]{10}\.(js|css)$", name)
    }
    assert {n.split(".")[0] for n in hashed} >= {"site", "charts", "plotly"}
    # Hashed assets come from the browser's cache on reload (nothing transferred) ...
    assert all(size == 0 for size, _ in hashed.values()), hashed
    # ... and plotly.js is fetched only once the page has loaded (charts.js starts it).
    plotly = next(begun for name, (_, begun) in hashed.items() if name.startswith("plotly.min."))
    assert plotly >= entries["load"]


def test_server_caches_hashed_assets_and_revalidates_pages(preview):
    _, base = preview
    with urllib.request.urlopen(f"{base}/index.html") as response:
        html = response.read().decode("utf-8")
        assert response.headers["Cache-Control"] == "no-cache"
        etag = response.headers["ETag"]
    css = re.search(r'href="(assets/site\.[0-9a-f]{10}\.css)"', html)
    assert css is not None
    with urllib.request.urlopen(f"{base}/{css.group(1)}") as response:
        assert response.headers["Cache-Control"] == "max-age=31536000, immutable"
    request = urllib.request.Request(f"{base}/index.html", headers={"If-None-Match": etag})
    with pytest.raises(urllib.error.HTTPError) as unchanged:
        urllib.request.urlopen(request)
    assert unchanged.value.code == 304
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{base}/units/no-such-unit/index.html")
    assert missing.value.code == 404
    assert BeautifulSoup(missing.value.read().decode("utf-8"), "html.parser").h1.get_text() == "页面未找到"


def test_seven_open_pages_all_reload(preview, browser):
    # More pages than a browser opens HTTP connections to one host (six): none may be starved.
    root, base = preview
    context = browser.new_context()
    pages = [context.new_page() for _ in range(7)]
    for page in pages:
        page.goto(f"{base}/glossary/index.html")
        page.wait_for_function(READY, timeout=10000)
    loads = [0] * len(pages)
    for number, page in enumerate(pages):
        page.on("load", lambda _, number=number: loads.__setitem__(number, loads[number] + 1))
    prose = root / "content" / "jiyuan-ybzx" / "2023-final.md"
    prose.write_text(prose.read_text(encoding="utf-8") + "\n\n七个页面\n", encoding="utf-8")
    deadline = time.time() + 20
    while min(loads) < 1 and time.time() < deadline:
        pages[0].wait_for_timeout(100)
    assert loads == [1] * len(pages)
    context.close()


def test_an_error_made_while_stopped_stays_shown_when_another_unit_is_saved(tmp_path, browser):
    root = tmp_path / "portal"
    for name in ("data", "content", "templates"):
        shutil.copytree(ROOT / name, root / name)
    process, _ = start_server(root)  # builds the preview site and its state
    stop_server(process)
    report = root / "data" / "jiyuan-ybzx" / "2023-final.yaml"
    report.write_text(
        report.read_text(encoding="utf-8").replace('1: "5,303.72"', '1: "5,303.99"', 1), "utf-8"
    )
    process, base = start_server(root)  # its first build fails: the state on disk is older than the files
    try:
        page = browser.new_page()
        page.goto(f"{base}/units/jiyuan-ybzx/2023-final/index.html")
        page.wait_for_function(READY, timeout=10000)
        assert "data/jiyuan-ybzx/2023-final.yaml:" in page.wait_for_selector("#preview-errors").inner_text()
        other = root / "content" / "jinan-shizhong-ybj" / "2024-final.md"
        with page.expect_event("load", timeout=10000):
            other.write_text(other.read_text(encoding="utf-8") + "\n\n另一单位的修改\n", encoding="utf-8")
        assert "data/jiyuan-ybzx/2023-final.yaml:" in page.wait_for_selector("#preview-errors").inner_text()
    finally:
        stop_server(process)


def test_reloads_speak_livereloads_protocol_to_the_preview_only(preview):
    """The reload channel is livereload's (hello, info, reload); other sites' pages may not listen."""
    import asyncio
    import json

    from tornado import httpclient, websocket

    root, base = preview
    address = base.replace("http://", "ws://") + "/__preview__/livereload"

    async def listen(origin: str) -> dict:
        request = httpclient.HTTPRequest(address, headers={"Origin": origin})
        connection = await websocket.websocket_connect(request)
        connection.write_message(json.dumps({"command": "hello", "protocols": [LIVERELOAD]}))
        hello = json.loads(await connection.read_message())
        assert hello["command"] == "hello" and LIVERELOAD in hello["protocols"]
        await connection.write_message(json.dumps({"command": "info", "url": f"{base}/index.html"}))
        await asyncio.sleep(0.2)
        glossary = root / "content" / "名词解释.md"
        glossary.write_text(glossary.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        reload = json.loads(await asyncio.wait_for(connection.read_message(), 20))
        connection.close()
        return reload

    assert asyncio.run(listen(base))["command"] == "reload"
    with pytest.raises(httpclient.HTTPClientError) as refused:
        asyncio.run(listen("http://example.com"))
    assert refused.value.code == 403
