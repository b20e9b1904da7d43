"""The browser gates can fail: a page with each fault the gates look for is caught, fault by fault.

Served like the portal (127.0.0.1, same CSP as the site's pages), the canary page logs a console error,
throws, asks for a missing file, runs an inline script the CSP blocks and is wider than a phone; a page
without CSP asks another host for an image; a third has an image without alt and faint text, which
axe-core must report as serious or critical. Otherwise the page-type tests could pass blind.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import PHONE, OpenPage, serve
from .test_accessibility import BLOCKING, axe_source, run_axe

pytestmark = pytest.mark.browser

CSP = "default-src 'self'; script-src 'self'; img-src 'self' data:"
CANARY = f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}"><title>canary</title>
<link rel="stylesheet" href="wide.css"><script src="faults.js"></script></head>
<body><main><h1>canary</h1>
<img src="missing.png" alt="">
<script>document.title = "inline ran";</script>
<div class="wide">wide</div></main></body></html>"""
# Without a CSP (which would block it first), a request to another host reaches the route guard.
OUTSIDE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>outside</title></head>
<body><img src="http://example.invalid/x.png" alt=""></body></html>"""

# An image without a text alternative (critical) and grey-on-white text (serious contrast).
INACCESSIBLE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>a11y</title>
<link rel="stylesheet" href="wide.css"></head><body><main><h1>canary</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="20" height="20">
<p class="faint">看不清的文字</p></main></body></html>"""


@pytest.fixture(scope="module")
def canary_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("canary")
    (folder / "index.html").write_text(CANARY, encoding="utf-8")
    (folder / "outside.html").write_text(OUTSIDE, encoding="utf-8")
    (folder / "a11y.html").write_text(INACCESSIBLE, encoding="utf-8")
    (folder / "wide.css").write_text(".wide { width: 900px; }\n.faint { color: #ccc; }\n", encoding="utf-8")
    (folder / "faults.js").write_text(
        'console.error("canary console error");\nsetTimeout(() => { throw new Error("canary thrown"); });\n',
        encoding="utf-8",
    )
    with serve(folder) as url:
        yield url


def test_the_page_log_catches_every_fault(canary_url: str, open_page: OpenPage) -> None:
    page, log = open_page(canary_url + "index.html", viewport=PHONE)
    page.wait_for_timeout(300)  # the thrown error and the CSP report are asynchronous
    problems = log.problems(page)
    assert any("canary console error" in e for e in problems.get("console errors", [])), problems
    assert any("canary thrown" in e for e in problems.get("page errors", [])), problems
    assert any(r.endswith("/missing.png") for r in problems.get("failed requests", [])), problems
    assert any("script-src" in v for v in problems.get("CSP violations", [])), problems
    assert page.title() == "canary"  # the inline script was blocked
    assert page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]
    page, log = open_page(canary_url + "outside.html")
    assert log.problems(page).get("requests to other hosts") == ["http://example.invalid/x.png"]


def test_axe_reports_serious_and_critical_violations(canary_url: str, open_page: OpenPage) -> None:
    page, _log = open_page(canary_url + "a11y.html")
    found = {v["id"]: v["impact"] for v in run_axe(page, axe_source())["violations"]}
    assert found.get("image-alt") in BLOCKING and found.get("color-contrast") in BLOCKING, found
