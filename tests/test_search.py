"""Search: the built-in index (search/index.js, for file://) and the pagefind index (served site).

The built-in index must hold every report with its 科目 names and note text; pagefind's output must
cover the report pages, unit pages and glossary and nothing else; both are rebuilt over the whole
site on every build (also an incremental one) and come out byte-identical from the same input.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from helpers import JINAN_MD, MiniPortal, copy_portal, run_cli

from disclosure import pagefind_index
from disclosure.bench import search_cost
from disclosure.commands.build import build
from disclosure.config import load_config
from disclosure.pagefind_index import PARTS_FILE, record_page, split_parts
from disclosure.search import BUILTIN_INDEX, PAGEFIND_DIR, SEARCH_PAGE, UNUSED, clauses, pagefind_available

# The two bundled reports that contain 医疗救助 (in their tables, notes and attachments).
REPORTS = ["units/jinan-shizhong-ybj/2024-final/index.html", "units/jiyuan-ybzx/2023-final/index.html"]
UNITS = ["units/jinan-shizhong-ybj/index.html", "units/jiyuan-ybzx/index.html"]


def searched(site: Path) -> list[str]:
    """Return the pages that should be searchable: every report page, unit page, and the glossary."""
    reports = [p.relative_to(site).as_posix() for p in site.glob("units/*/*/index.html")]
    units = [p.relative_to(site).as_posix() for p in site.glob("units/*/index.html")]
    return sorted([*reports, *units, "glossary/index.html"])


def report_pages(site: Path) -> list[str]:
    pages = (p.relative_to(site).as_posix() for p in site.glob("units/*/*/index.html"))
    return sorted(p for p in pages if "-evaluation-" not in p)  # evaluation reports have their own kind


CJK = re.compile(r"[\u4e00-\u9fff]+")
FIGURE = re.compile(r"\d[\d,.]*\s*(?:万元|元|%)?")


def needs_pagefind() -> None:
    """Skip without pagefind installed (bash scripts/setup.sh installs it); under CI=true that is a failure."""
    if pagefind_available():
        return
    message = "pagefind not installed: pip install -e . (pagefind[extended] is a dependency)"
    if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


def load_builtin(site: Path) -> dict[str, Any]:
    """Read search/index.js and return window.PORTAL_SEARCH with the shared strings put back."""
    script = (site / BUILTIN_INDEX).read_text(encoding="utf-8")
    match = re.search(r"^window\.PORTAL_SEARCH = (\{.*\});$", script, re.M)
    assert match, "search/index.js does not define window.PORTAL_SEARCH"
    data = json.loads(match.group(1))
    shared = data["shared"]
    for page in data["pages"]:
        for key in ("subjects", "notes"):
            page[key] = [shared[s] if isinstance(s, int) else s for s in page[key]]
    return data


def parts(site: Path) -> list[Path]:
    """Return the folders of pagefind's index parts: pagefind/ and those its parts.json lists."""
    bundle = site / PAGEFIND_DIR
    listed = json.loads((bundle / PARTS_FILE).read_text(encoding="utf-8"))["parts"]
    return [bundle, *(bundle / part for part in listed)]


def fragments(site: Path) -> dict[str, dict[str, Any]]:
    """Return pagefind's page fragments (of every part) by page path (its words joined again)."""
    found = {}
    for part in parts(site):
        for path in sorted((part / "fragment").glob("*.pf_fragment")):
            data = gzip.decompress(path.read_bytes())
            assert data.startswith(b"pagefind_dcd")
            fragment = json.loads(data[len(b"pagefind_dcd") :])
            fragment["content"] = fragment["content"].replace("\u200b", "")
            path_of = fragment["url"].lstrip("/")
            assert path_of not in found, f"{path_of} indexed twice"
            found[path_of] = fragment
    return found


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def cjk(text: str) -> str:
    return "".join(CJK.findall(text))


# ---------------------------------------------------------------- the built-in index


def test_builtin_index_holds_every_searchable_page(built_site: Path) -> None:
    data = load_builtin(built_site)
    assert [p["url"] for p in data["pages"]] == searched(built_site)
    assert set(REPORTS + UNITS) <= {p["url"] for p in data["pages"]}
    kinds = {p["url"]: p["kind"] for p in data["pages"]}
    assert {kinds[r] for r in report_pages(built_site)} == {"报告"}
    assert {kinds[u] for u in searched(built_site) if u.count("/") == 2} == {"单位"}
    assert kinds["glossary/index.html"] == "名词解释"
    for page in data["pages"]:
        if page["kind"] == "报告":
            assert page["title"] and page["unit"] and page["year"] and page["subjects"] and page["notes"], (
                page["url"]
            )
    assert data["pagefind"] is pagefind_available()
    # Small: strings found on several pages are stored once.
    assert (built_site / BUILTIN_INDEX).stat().st_size < 60_000
    assert len(data["shared"]) == len(set(data["shared"]))


@pytest.mark.parametrize("path", REPORTS)
def test_builtin_index_has_each_reports_title_unit_subjects_and_notes(
    built_site: Path, soup_of: Callable[[str], BeautifulSoup], path: str
) -> None:
    page = next(p for p in load_builtin(built_site)["pages"] if p["url"] == path)
    soup = soup_of(path)
    assert page["title"] == soup.select_one("main h1").get_text(strip=True)
    unit_link = soup.select(".breadcrumbs a")[-1].get_text(strip=True)
    assert page["unit"] == unit_link and page["year"] == int(path.split("/")[2][:4])
    # Every 科目 name of the standard tables.
    names = {" ".join(th.get_text().split()) for th in soup.select("#part-2 th.name")}
    assert names and names <= set(page["subjects"])
    assert {"医疗救助", "城乡医疗救助", "行政运行"} <= set(page["subjects"])
    # Every clause of the notes (figures taken out), and the attachment titles.
    notes = soup.select_one("#part-3")
    for figure in notes.select("figure"):
        figure.decompose()
    indexed = cjk("".join(page["notes"]))
    for clause in re.split(r"[。；！？\n]", notes.get_text("\n")):
        clause = FIGURE.sub("", clause)  # amounts, percentages and years are left out
        assert cjk(clause) in indexed, f"{path}: note text missing from the built-in index: {clause!r}"
    for section in soup.select("section.attachment"):
        assert section["aria-label"] in page["notes"]


def test_builtin_index_keeps_authored_reasons(built_site: Path) -> None:
    notes = {p["url"]: "。".join(p["notes"]) for p in load_builtin(built_site)["pages"]}
    assert "落实过“紧日子”的要求" in notes[REPORTS[0]]
    assert "减少了打击欺诈骗保工作经费" in notes[REPORTS[1]]
    assert "城乡医疗救助专项上级提前下达资金减少" in notes[REPORTS[1]]


def test_clauses_drop_figures_and_repeats() -> None:
    text = "2024年度收入合计1,547.33万元，占28.56%。与2023年相比，减少12.50万元。\n与2023年相比，减少3.00万元；城乡医疗救助（2101301）。"
    assert clauses(text) == ["年度收入合计，占", "与年相比，减少", "城乡医疗救助"]


# ---------------------------------------------------------------- pages and markup


def test_clauses_are_the_same_tidied_afresh_or_remembered() -> None:
    from disclosure.search import _clause

    text = "2024年度收入合计1,547.33万元，占28.56%。与2023年相比，减少12.50万元。\n（ ）城乡医疗救助（2101301）。"
    expected = ["年度收入合计，占", "与年相比，减少", "城乡医疗救助"]
    _clause.cache_clear()
    assert clauses(text) == expected
    assert _clause.cache_info().currsize >= 3  # remembered: without their figures the sentences recur
    assert clauses(text) == expected
    assert _clause.cache_info().hits >= 3
    assert _clause.cache_info().maxsize == 4096  # bounded, whatever the number of reports


def test_every_page_links_to_the_search_page(built_site: Path) -> None:
    pages = [p for p in built_site.rglob("*.html") if PAGEFIND_DIR not in p.parts and p.name != "404.html"]
    assert len(pages) >= 9
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        link = soup.select_one(".site-nav a[href$='search/index.html']")
        assert link is not None and link.get_text() == "搜索", page
        target = (page.parent / link["href"]).resolve()
        assert target == (built_site / SEARCH_PAGE).resolve(), page


def test_only_reports_units_and_glossary_are_marked_for_pagefind(built_site: Path) -> None:
    for page in built_site.rglob("*.html"):
        path = page.relative_to(built_site).as_posix()
        if path.startswith(PAGEFIND_DIR):
            continue
        main = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("main")
        assert main.has_attr("data-pagefind-body") == (path in searched(built_site)), path
        if path in searched(built_site):
            kind = {"glossary/index.html": "名词解释"}.get(path, "单位" if path.count("/") == 2 else "报告")
            kind = "绩效评价报告" if "-evaluation-" in path else kind
            assert main["data-pagefind-meta"] == f"kind:{kind}"


def test_csp_allows_webassembly_on_the_search_page_only(built_site: Path) -> None:
    for page in built_site.rglob("*.html"):
        if PAGEFIND_DIR in page.relative_to(built_site).parts:
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        policy = soup.select_one("meta[http-equiv=Content-Security-Policy]")["content"]
        script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src")).split()[1:]
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, page
        is_search = page == built_site / SEARCH_PAGE
        assert script_src == (["'self'", "'wasm-unsafe-eval'"] if is_search else ["'self'"]), page
        inline = [s for s in soup.select("script:not([src])") if s.get("type") != "application/json"]
        assert not inline, f"{page}: inline script"


def test_search_page_loads_its_hashed_script(
    built_site: Path, soup_of: Callable[[str], BeautifulSoup]
) -> None:
    soup = soup_of(SEARCH_PAGE)
    assert soup.select_one("html")["lang"] == "zh-CN"
    assert soup.select_one("form#search-form")["data-pagefind"] == "on"
    src = soup.select_one("script[src*='search.']")["src"]
    assert re.fullmatch(r"\.\./assets/search\.[0-9a-f]{10}\.js", src)
    assert (built_site / "search" / src).resolve().is_file()
    assert soup.select_one("label[for=search-q]").get_text().startswith("搜索")


# ---------------------------------------------------------------- pagefind


def test_pagefind_indexes_reports_units_and_glossary_in_chinese(built_site: Path) -> None:
    needs_pagefind()
    bundle = built_site / PAGEFIND_DIR
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["zh-cn"]
    assert entry["languages"]["zh-cn"]["page_count"] == len(searched(built_site))
    assert (bundle / "pagefind.js").is_file() and list(bundle.glob("wasm.*.pagefind"))
    assert list((bundle / "index").glob("zh-cn_*.pf_index"))
    assert not [name for name in UNUSED if (bundle / name).exists()]
    found = fragments(built_site)
    assert sorted(found) == searched(built_site)
    for path in REPORTS:
        fragment = found[path]
        assert fragment["meta"]["kind"] == "报告"
        assert fragment["meta"]["title"] == next(
            p["title"] for p in load_builtin(built_site)["pages"] if p["url"] == path
        )
        text = fragment["content"]
        assert "医疗救助" in text and "城乡医疗救助" in text
        assert "目录" not in text.split("第一部分")[0]  # the table of contents is left out
        assert "第四部分 名词解释" not in text  # the standard glossary, indexed once on its own page
    # Words are segmented: 医疗救助 was indexed as 医疗 + 救助.
    raw = gzip.decompress(next((built_site / PAGEFIND_DIR / "fragment").glob("*.pf_fragment")).read_bytes())
    assert "\u200b".encode() in raw


def test_pagefind_is_given_small_report_pages_from_the_builtin_words(built_site: Path) -> None:
    needs_pagefind()
    assert json.loads((built_site / PAGEFIND_DIR / PARTS_FILE).read_text(encoding="utf-8")) == {"parts": []}
    builtin = {p["url"]: p for p in load_builtin(built_site)["pages"]}
    for path, fragment in fragments(built_site).items():
        page = builtin[path]
        assert fragment["meta"]["title"] == page["title"] and fragment["meta"]["kind"] == page["kind"], path
        if page["kind"] == "报告":  # its title, every 科目 name and note clause, and nothing else
            words = cjk(page["title"] + "".join(page["subjects"]) + "".join(page["notes"]))
            assert cjk(fragment["content"]) == words, path
    assert builtin[UNITS[0]]["unit"] in fragments(built_site)[UNITS[0]]["content"]


def test_record_page_keeps_authored_text_as_text() -> None:
    page = {"url": "units/x/2024-final/index.html", "kind": "报告", "title": "某局<script>alert(1)</script>",
            "unit": "某局", "year": 2024, "subjects": ["行政运行", "医疗救助&<b>"], "notes": ["原因<i>甲</i>"]}  # fmt: skip
    soup = BeautifulSoup(record_page(page), "html.parser")
    main = soup.select_one("main[data-pagefind-body]")
    assert main["data-pagefind-meta"] == "kind:报告" and soup.select("script") == []
    assert main.select_one("h1").get_text() == page["title"]
    assert [p.get_text() for p in main.select("p")] == ["行政运行、医疗救助&<b>", "原因<i>甲</i>。"]
    assert soup.select("b, i") == []


def test_split_parts_keeps_the_order_and_bounds_each_part() -> None:
    sizes = [("a", 3), ("b", 4), ("c", 2), ("d", 10), ("e", 1)]
    assert split_parts(sizes, 7) == [["a", "b"], ["c"], ["d"], ["e"]]  # d alone is over: a part of its own
    assert split_parts(sizes, 100) == [["a", "b", "c", "d", "e"]]
    assert split_parts([], 7) == []


def test_pagefind_in_parts_indexes_each_page_once_as_in_one(
    built_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    needs_pagefind()
    monkeypatch.setattr(pagefind_index, "PART_BYTES", 1)  # every page in a part of its own
    root = copy_portal(tmp_path / "portal")
    assert run_cli("--root", str(root), "build", "--out", str(tmp_path / "one")).status == 0
    site = tmp_path / "one"
    folders = parts(site)
    assert len(folders) == len(searched(site)) and folders[1] == site / PAGEFIND_DIR / "part-2"
    assert (folders[0] / "pagefind.js").is_file() and list(folders[0].glob("wasm.*.pagefind"))
    for folder in folders[1:]:  # a merged part uses the first part's script and WebAssembly
        entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert entry["languages"]["zh-cn"]["page_count"] == 1
        assert not list(folder.glob("pagefind*.js")) and not list(folder.glob("wasm.*"))
    whole = fragments(built_site)
    assert sorted(fragments(site)) == searched(site) == sorted(whole)
    for path, fragment in fragments(site).items():
        assert fragment["content"] == whole[path]["content"] and fragment["meta"] == whole[path]["meta"], path
    # Deterministic: a second full build writes the same parts, byte for byte.
    assert run_cli("--root", str(root), "build", "--full", "--out", str(tmp_path / "two")).status == 0
    first = {p: b for p, b in tree(site).items() if p.startswith(PAGEFIND_DIR + "/")}
    assert first == {p: b for p, b in tree(tmp_path / "two").items() if p.startswith(PAGEFIND_DIR + "/")}


# ---------------------------------------------------------------- every build: deterministic, incremental


def test_search_output_is_byte_identical_and_follows_an_incremental_build(tmp_path: Path) -> None:
    portal = MiniPortal(copy_portal(tmp_path / "portal"))
    assert portal.cli("build").status == 0
    first = tree(portal.site())
    # A second build with nothing changed carries every page over and writes the same index.
    result = portal.cli("build")
    assert result.status == 0 and "重新处理 0 个单位" in result.output
    assert tree(portal.site()) == first
    # A full build into another folder: the same bytes.
    assert portal.cli("build", "--full", "--out", str(tmp_path / "other")).status == 0
    other = tree(tmp_path / "other")
    search_files = [p for p in first if p.startswith((PAGEFIND_DIR + "/", "search/", "assets/search."))]
    assert len(search_files) >= 4
    assert {p: other[p] for p in search_files} == {p: first[p] for p in search_files}
    # An edit to one report's notes: the next (incremental) build indexes the new text.
    portal.replace(JINAN_MD, "## 支出/项目支出\n\n", "## 支出/项目支出\n\n按照勤俭节约的新规定，")
    result = portal.cli("build")
    assert result.status == 0 and "重新处理 1 个单位" in result.output
    notes = next(p for p in load_builtin(portal.site())["pages"] if p["url"] == REPORTS[0])["notes"]
    assert any("勤俭节约的新规定" in n for n in notes)
    jiyuan = next(p for p in load_builtin(portal.site())["pages"] if p["url"] == REPORTS[1])
    assert "医疗救助" in jiyuan["subjects"]  # the carried-over report is still indexed
    if pagefind_available():
        found = fragments(portal.site())
        assert sorted(found) == searched(portal.site())
        assert "勤俭节约的新规定" in found[REPORTS[0]]["content"]


def test_preview_builds_skip_pagefind_and_use_the_builtin_index(tmp_path: Path) -> None:
    root = copy_portal(tmp_path / "portal")
    config = replace(load_config(root), out_dir=str(tmp_path / "preview"), preview=True)
    assert build(root, config) == 0
    site = tmp_path / "preview"
    assert not (site / PAGEFIND_DIR).exists()
    soup = BeautifulSoup((site / SEARCH_PAGE).read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("form#search-form")["data-pagefind"] == "off"
    data = load_builtin(site)
    assert data["pagefind"] is False and [p["url"] for p in data["pages"]] == searched(site)


def test_archive_has_its_own_search_of_that_year(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    root = copy_portal(tmp_path / "portal")
    assert run_cli("--root", str(root), "archive", "2024").status == 0
    folder = root / "archive" / "2024"
    pages = load_builtin(folder)["pages"]
    urls = [p["url"] for p in pages]
    assert urls == searched(folder) and REPORTS[0] in urls and REPORTS[1] not in urls
    assert {p["year"] for p in pages if p["kind"] == "报告"} == {2024}
    assert (folder / SEARCH_PAGE).is_file()
    if pagefind_available():
        assert sorted(fragments(folder)) == urls
    assert run_cli("verify", str(folder)).status == 0


def test_bench_measures_the_search_step_alone(built_site: Path, tmp_path: Path) -> None:
    needs_pagefind()
    site = Path(shutil.copytree(built_site, tmp_path / "site"))
    cost = search_cost(site)
    assert cost["search_pages"] == len(searched(site)) and cost["search_parts"] == 1
    assert cost["search_s"] > 0 and cost["search_cpu_s"] > 0 and cost["search_peak_mb"] > 50
    # From the words in search/index.js alone it writes the very index the build wrote.
    assert tree(site / PAGEFIND_DIR) == tree(built_site / PAGEFIND_DIR)
