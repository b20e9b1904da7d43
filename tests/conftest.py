"""Fixtures: a throw-away copy of the portal per test, and the bundled portal built once per session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import SEEDS, MiniPortal, copy_portal, run_cli


@pytest.fixture
def portal(tmp_path: Path) -> MiniPortal:
    """A real mini portal: the repo's data/, content/, templates/ (and portal.yaml) copied to tmp_path."""
    return MiniPortal(copy_portal(tmp_path / "portal"))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled portal, built once into a temporary folder; tests only read it."""
    root = copy_portal(tmp_path_factory.mktemp("bundled") / "portal")
    # A public address, as a published portal has: sitemap.xml needs absolute addresses.
    config = root / "portal.yaml"
    text = config.read_text(encoding="utf-8")
    assert 'site_url: ""' in text
    config.write_text(text.replace('site_url: ""', "site_url: https://czj.example.gov.cn"), encoding="utf-8")
    result = run_cli("--root", str(root), "build")
    assert result.status == 0, f"building the bundled portal failed:\n{result.output}"
    return root / "site"


@pytest.fixture(scope="session")
def soup_of(built_site: Path) -> Callable[[str], BeautifulSoup]:
    """Parse a page of the bundled site (cached)."""
    cache: dict[str, BeautifulSoup] = {}

    def load(page: str) -> BeautifulSoup:
        if page not in cache:
            cache[page] = BeautifulSoup((built_site / page).read_text(encoding="utf-8"), "html.parser")
        return cache[page]

    return load


@pytest.fixture(scope="session")
def report_soup(soup_of: Callable[[str], BeautifulSoup]) -> Callable[[str], BeautifulSoup]:
    """The report page of a seed document ("000" or "004")."""
    return lambda seed: soup_of(SEEDS[seed].page)
