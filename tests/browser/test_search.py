"""Search in headless Chromium: 医疗救助 finds both bundled reports served (pagefind, WebAssembly under
the search page's CSP) and opened from disk (the built-in index), with nothing failing or leaving
127.0.0.1; also under a sub-path and in a year's archive opened from disk."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from helpers import copy_portal

from disclosure.cli import main as cli_main

from .conftest import OpenPage, PageLog, serve

pytestmark = pytest.mark.browser

QUERY = "医疗救助"
REPORTS = ["units/jinan-shizhong-ybj/2024-final/index.html", "units/jiyuan-ybzx/2023-final/index.html"]


def need_pagefind(site: Path) -> None:
    """Skip when the build had no pagefind to run (not installed); under CI=true fail instead."""
    if (site / "pagefind" / "pagefind.js").is_file():
        return
    message = "no pagefind index in the built site: pip install -e . (pagefind[extended] is a dependency)"
    if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


def search(page: Any, query: str) -> tuple[str, list[str]]:
    """Type a query, press Enter; return the engine used and the result links (absolute URLs)."""
    page.fill("#search-q", query)
    page.press("#search-q", "Enter")
    page.wait_for_function(
        """(q) => document.getElementById('search-results').dataset.engine
              && document.getElementById('search-status').textContent.includes('找到')
              && document.getElementById('search-q').value === q""",
        arg=query,
        timeout=15_000,
    )
    engine = page.get_attribute("#search-results", "data-engine")
    links = page.eval_on_selector_all("#search-results li .search-title a", "as => as.map(a => a.href)")
    return engine, links


def assert_clean(page: Any, log: PageLog) -> None:
    problems = log.problems(page)
    assert not problems, f"{page.url}: {problems}"


def test_search_served_finds_both_reports_with_pagefind(
    site_url: str, site_dir: Path, open_page: OpenPage
) -> None:
    need_pagefind(site_dir)
    page, log = open_page(site_url + "index.html")
    page.click(".site-nav a:text('搜索')")  # the header link of every page
    page.wait_for_url("**/search/index.html")
    engine, links = search(page, QUERY)
    assert engine == "pagefind"
    assert {site_url + r for r in REPORTS} <= set(links), links
    assert page.locator("#search-results mark").count() > 0  # hits marked in the excerpts
    assert "找到" in page.inner_text("#search-status")
    fetched = [url for url in log.requests if "/pagefind/" in url]
    assert any(u.endswith(".pf_index") for u in fetched) and any(u.endswith(".pf_fragment") for u in fetched)
    assert any("wasm" in u for u in fetched)
    assert all(url.startswith(site_url) for url in log.requests), log.requests
    # The query is kept in the address; a result opens the report.
    assert page.url.endswith("?q=" + "%E5%8C%BB%E7%96%97%E6%95%91%E5%8A%A9")
    page.click(f"#search-results a[href$='{REPORTS[1]}']")
    page.wait_for_url(site_url + REPORTS[1])
    assert page.locator("main h1").inner_text() == "济源市社会医疗保险中心2023年度单位决算"
    assert_clean(page, log)


def test_search_from_disk_uses_the_builtin_index(site_dir: Path, open_page: OpenPage) -> None:
    page, log = open_page((site_dir / "search" / "index.html").as_uri())
    engine, links = search(page, QUERY)
    assert engine == "builtin"
    base = (site_dir / "search" / "index.html").as_uri()
    assert {urljoin(base, "../" + r) for r in REPORTS} <= set(links), links
    assert "内置索引" in page.inner_text("#search-status")
    assert not [u for u in log.requests if "/pagefind/" in u]  # not even tried from file://
    assert_clean(page, log)
    # A result link opens the report from disk.
    page.click(f"#search-results a[href$='{REPORTS[0]}']")
    page.wait_for_load_state("load")
    assert page.locator("main h1").inner_text() == "济南市市中区医疗保障局2024年度部门决算"
    assert_clean(page, log)


def test_search_from_the_address_and_with_no_hits(site_url: str, site_dir: Path, open_page: OpenPage) -> None:
    need_pagefind(site_dir)
    page, log = open_page(site_url + "search/index.html?q=" + QUERY)
    page.wait_for_selector("#search-results li")
    assert page.input_value("#search-q") == QUERY
    page.fill("#search-q", "甲乙丙")
    page.press("#search-q", "Enter")
    page.wait_for_function("() => document.getElementById('search-status').textContent.includes('没有找到')")
    assert page.locator("#search-results li").count() == 0
    assert_clean(page, log)


def test_search_works_under_a_sub_path(subpath_url: str, site_dir: Path, open_page: OpenPage) -> None:
    need_pagefind(site_dir)  # the sub-path build runs pagefind too when it is installed
    page, log = open_page(subpath_url + "search/index.html")
    engine, links = search(page, QUERY)
    assert engine == "pagefind"  # not the built-in fallback: pagefind loads its files under the sub-path
    assert all(url.startswith(subpath_url) for url in log.requests if "/pagefind/" in url)
    assert {subpath_url + r for r in REPORTS} <= set(links), links
    assert_clean(page, log)


def test_archive_from_disk_searches_its_own_year(
    tmp_path: Path, open_page: OpenPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    root = copy_portal(tmp_path / "portal")
    assert cli_main(["--root", str(root), "archive", "2024"]) == 0
    search_page = root / "archive" / "2024" / "search" / "index.html"
    page, log = open_page(search_page.as_uri())
    engine, links = search(page, QUERY)
    assert engine == "builtin"
    reports = [link for link in links if link.endswith("-final/index.html")]
    assert reports == [urljoin(search_page.as_uri(), "../" + REPORTS[0])]  # 2024 only
    assert_clean(page, log)


def test_search_served_merges_the_parts_of_the_pagefind_index(
    tmp_path: Path, open_page: OpenPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large portal's pagefind index comes in parts: search.js merges them and finds pages in any."""
    from disclosure import pagefind_index

    monkeypatch.setattr(pagefind_index, "PART_BYTES", 1)  # every page in a part of its own
    site = tmp_path / "site"
    assert cli_main(["--root", str(copy_portal(tmp_path / "portal")), "build", "--out", str(site)]) == 0
    need_pagefind(site)
    assert len(list((site / "pagefind").glob("part-*/pagefind-entry.json"))) >= 8
    with serve(site) as url:
        page, log = open_page(url + "search/index.html")
        engine, links = search(page, QUERY)
        assert engine == "pagefind"
        assert {url + r for r in REPORTS} <= set(links), links
        titles = page.eval_on_selector_all(
            "#search-results .search-title a", "as => as.map(a => a.textContent)"
        )
        assert "济源市社会医疗保险中心2023年度单位决算" in titles
        fetched = [u for u in log.requests if "/pagefind/part-" in u]
        assert any(u.endswith(".pf_fragment") for u in fetched) and not any("wasm" in u for u in fetched)
        assert_clean(page, log)
