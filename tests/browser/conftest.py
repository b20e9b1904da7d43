"""Fixtures for the browser tests: build the bundled portal, serve it locally, drive headless Chromium.

The portal is built once per session into a temporary folder and served by a threaded
http.server on 127.0.0.1 (a free port). Chromium is Debian's /usr/bin/chromium driven by
Playwright (never a downloaded browser). Without it the tests skip, except under CI=true,
where they fail so a missing install step cannot hide behind a green run.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from helpers import copy_portal
from tools.chromium import chromium_browser
from tools.portal import PAGES, built_portal

from disclosure.cli import main as cli_main

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}

# One page of each type of the bundled portal (paths inside the built site): PAGES, from tools/portal.py.
REPORTS = {name: path for name, path in PAGES.items() if name.startswith("report-")}

# Pushes every Content-Security-Policy violation into window.__csp (runs before page scripts).
CSP_RECORDER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} ${e.sample || ''}`.trim());
});
"""


# ---------------------------------------------------------------- building and serving


def build_portal(out: Path, *extra: str, root: Path = REPO) -> Path:
    """Build a portal (default: the repo's data/, content/, templates/) into out, failing the test on errors."""
    status = cli_main(["--root", str(root), "build", "--out", str(out), *extra])
    assert status == 0, f"python build.py build --out {out} {' '.join(extra)} failed with status {status}"
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve directory on 127.0.0.1 (free port) in a daemon thread; yield the base URL ending in '/'."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled portal with its 2024 archive published under archive/2024/, built once per session."""
    return built_portal(tmp_path_factory.mktemp("portal")).site


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    """Base URL of the built portal served over HTTP."""
    with serve(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def subpath_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The portal, with its 2024 archive, built with --base-url /sub/path/ and served under that path:
    returns .../sub/path/."""
    parent = tmp_path_factory.mktemp("subpath")
    project = copy_portal(parent / "project")
    assert cli_main(["--root", str(project), "archive", "2024", "--base-url", "/sub/path/"]) == 0
    build_portal(parent / "sub" / "path", "--base-url", "/sub/path/", root=project)
    with serve(parent) as url:
        yield url + "sub/path/"


# ---------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright (skipped locally when absent, an error in CI).

    Module-scoped (a launch costs well under a second): only one sync Playwright may run at a time,
    so a test module that starts its own still works beside these.
    """
    with chromium_browser() as chromium:
        yield chromium


@dataclass
class PageLog:
    """Everything a page did wrong while it was open."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def problems(self, page: Any = None) -> dict[str, list[str]]:
        """Return the non-empty problem lists (reading window.__csp from page when JS runs there)."""
        csp = list(self.csp_violations)
        if page is not None:
            with contextlib.suppress(Exception):  # JavaScript disabled, or page closed
                csp += page.evaluate("window.__csp || []")
        found = {
            "console errors": self.console_errors,
            "page errors": self.page_errors,
            "failed requests": self.failed_requests,
            "requests to other hosts": self.outside_requests,
            "CSP violations": csp,
        }
        return {kind: items for kind, items in found.items() if items}


def _outside(url: str) -> bool:
    """Tell whether a request leaves this machine's test server (file:, data:, about: stay local)."""
    parts = urlsplit(url)
    if parts.scheme in ("file", "data", "about", "blob", "chrome", "chrome-error", "devtools"):
        return False
    return parts.hostname != "127.0.0.1"


def watch(page: Any, log: PageLog) -> None:
    """Record console errors, page errors, failed requests, outside requests and CSP reports."""

    def on_console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            log.csp_violations.append(message.text)
        elif message.type == "error":
            log.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def on_response(response: Any) -> None:
        if response.status >= 400:
            log.failed_requests.append(f"{response.status} {response.url}")

    def on_request_failed(request: Any) -> None:
        # net::ERR_ABORTED is a load the browser cancelled itself, e.g. a script still loading when a test
        # follows a link; blocked (CSP, other host) and missing files fail with other codes.
        if request.failure != "net::ERR_ABORTED":
            log.failed_requests.append(f"{request.failure} {request.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    page.on("request", lambda r: log.requests.append(r.url))


OpenPage = Callable[..., tuple[Any, PageLog]]


@pytest.fixture
def open_page(browser: Any) -> Iterator[OpenPage]:
    """Open a URL in a fresh context; returns (page, log). Other hosts are recorded and blocked."""
    contexts: list[Any] = []

    def _open(url: str, viewport: dict[str, int] | None = None, **options: Any) -> tuple[Any, PageLog]:
        log = PageLog()
        context = browser.new_context(viewport=viewport or DESKTOP, locale="zh-CN", **options)
        contexts.append(context)
        context.add_init_script(CSP_RECORDER)

        def guard(route: Any) -> None:
            if _outside(route.request.url):
                log.outside_requests.append(route.request.url)
                route.abort()
            else:
                route.continue_()

        context.route("**/*", guard)
        page = context.new_page()
        watch(page, log)
        response = page.goto(url, wait_until="load")
        if url.startswith("http"):
            assert response is not None and response.ok, f"{url}: {response and response.status}"
        return page, log

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """test-artifacts/screenshots/ in the repo (git-ignored), where page screenshots are kept."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
