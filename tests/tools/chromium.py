"""The one headless Chromium launch shared by the browser tests and the PDF fixtures.

Debian's /usr/bin/chromium (installed by scripts/setup.sh, never a downloaded browser) driven by
Playwright. Without it a test skips, except under CI=true, where it fails so that a missing install
step cannot hide behind a green run.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tools.portal import in_ci

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def require_chromium(purpose: str) -> None:
    """Skip the test when Chromium is missing (fail under CI=true), naming what it was needed for."""
    import pytest

    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} not found: run `bash scripts/setup.sh` as root (apt-get install chromium fonts-noto-cjk) {purpose}"
    if in_ci():
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


@contextlib.contextmanager
def chromium_browser(purpose: str = "to run the browser tests") -> Iterator[Any]:
    """Yield headless Debian Chromium driven by Playwright; closed on exit."""
    require_chromium(purpose)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
