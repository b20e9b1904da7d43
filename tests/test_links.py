"""Links gate: no broken internal link or anchor anywhere in the built site or in an archived year,
no reference to another host, and every download link is a real, readable file.

The site is the bundled portal with 2024 archived and published under site/archive/2024/; the archive
folder is also checked on its own, as a user opens it from disk after downloading it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from tools.portal import ARCHIVE_YEAR, BuiltPortal, built_portal
from tools.sitecheck import (
    Reference,
    crawl,
    css_references,
    id_references,
    ids_of,
    is_external,
    is_local,
    is_script_url,
    references,
    resolve,
)

# References to other hosts the portal is allowed to make, as (page glob, URL regex). There are none:
# every asset is served from the site itself, and the CSP (default-src 'self') would block them anyway.
ALLOWED_EXTERNAL: list[tuple[str, str]] = []
# What a download link may point at, by extension, with the MIME type its `type` attribute must give.
DOWNLOAD_TYPES = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".json": "application/json",
    ".zip": "application/zip",
}
SCOPES = ("site", "archive")


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> BuiltPortal:
    return built_portal(tmp_path_factory.mktemp("gates"))


def folder(portal: BuiltPortal, scope: str) -> Path:
    """The folder checked: the whole site (archive included) or the standalone archive folder."""
    return portal.site if scope == "site" else portal.archive


def published(value: str, scope: str) -> str:
    """Read an archive's absolute links (its 404 page's) where the live portal publishes it."""
    prefix = f"/archive/{ARCHIVE_YEAR}/"
    return "/" + value[len(prefix) :] if scope == "archive" and value.startswith(prefix) else value


def all_references(root: Path) -> list[Reference]:
    return [ref for page in sorted(root.rglob("*.html")) for ref in references(page)]


def allowed(ref: Reference, root: Path) -> bool:
    page = ref.page.relative_to(root)
    return any(page.match(glob) and re.search(url, ref.value) for glob, url in ALLOWED_EXTERNAL)


# ---------------------------------------------------------------- the gate


@pytest.mark.parametrize("scope", SCOPES)
def test_the_checked_folder_has_every_page_type(portal: BuiltPortal, scope: str) -> None:
    """Guard against a vacuous pass: the folder holds pages of every type, with many links."""
    root = folder(portal, scope)
    pages = {p.relative_to(root).as_posix() for p in root.rglob("*.html")}
    for expected in ("index.html", "glossary/index.html", "search/index.html", "404.html"):
        assert expected in pages, f"{scope}: {expected} missing"
    assert any(re.fullmatch(r"units/[^/]+/index\.html", p) for p in pages)
    assert any(re.fullmatch(r"units/[^/]+/\d{4}-[a-z]+/index\.html", p) for p in pages)
    assert any(re.fullmatch(r"years/\d{4}/index\.html", p) for p in pages)
    if scope == "site":
        assert any(p.startswith("archive/") for p in pages), "the archive is not published in the site"
    assert len(all_references(root)) > 100


@pytest.mark.parametrize("scope", SCOPES)
def test_no_reference_leaves_the_site(portal: BuiltPortal, scope: str) -> None:
    root = folder(portal, scope)
    outside = [r.where(root) for r in all_references(root) if is_external(r.value) and not allowed(r, root)]
    assert not outside, "references to other hosts or schemes:\n" + "\n".join(outside)
    scripts = [r.where(root) for r in all_references(root) if is_script_url(r.value)]
    assert not scripts, "javascript: URLs:\n" + "\n".join(scripts)


@pytest.mark.parametrize("scope", SCOPES)
def test_every_internal_reference_resolves_to_a_file(portal: BuiltPortal, scope: str) -> None:
    root = folder(portal, scope)
    broken = []
    for ref in all_references(root):
        if not is_local(ref.value):
            continue
        target = resolve(ref.page, published(ref.value, scope), root)
        if target.path is None:
            broken.append(f"{ref.where(root)}: leaves the site folder")
        elif not target.path.is_file():
            broken.append(f"{ref.where(root)}: no file {target.path.relative_to(root)}")
    assert not broken, f"{len(broken)} broken references:\n" + "\n".join(broken)


@pytest.mark.parametrize("scope", SCOPES)
def test_every_anchor_exists_in_its_target_page(portal: BuiltPortal, scope: str) -> None:
    root = folder(portal, scope)
    broken = []
    checked = 0
    for ref in all_references(root):
        if not is_local(ref.value) or "#" not in ref.value:
            continue
        target = resolve(ref.page, published(ref.value, scope), root)
        if target.path is None or not target.path.is_file():
            continue  # reported by the test above
        if not target.fragment:
            broken.append(f"{ref.where(root)}: empty fragment (a link to nowhere)")
        elif target.path.suffix == ".html":
            checked += 1
            if target.fragment not in ids_of(target.path):
                broken.append(
                    f"{ref.where(root)}: no id “{target.fragment}” in {target.path.relative_to(root)}"
                )
    assert checked > 50, f"only {checked} anchors found: is the table of contents still there?"
    assert not broken, f"{len(broken)} broken anchors:\n" + "\n".join(broken)


@pytest.mark.parametrize("scope", SCOPES)
def test_every_id_a_page_refers_to_exists(portal: BuiltPortal, scope: str) -> None:
    """aria-labelledby, for, headers, data-figure … name ids of the same page."""
    root = folder(portal, scope)
    broken = []
    for page in sorted(root.rglob("*.html")):
        ids = ids_of(page)
        for tag, attribute, value in id_references(page):
            if value not in ids:
                broken.append(f"{page.relative_to(root)} <{tag} {attribute}={value!r}>: no such id")
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize("scope", SCOPES)
def test_every_download_link_is_a_readable_file(portal: BuiltPortal, scope: str) -> None:
    root = folder(portal, scope)
    downloads = [
        r
        for r in all_references(root)
        if r.tag == "a" and is_local(r.value)
        and (r.download or "/downloads/" in "/" + r.value or Path(r.value.split("#")[0]).suffix in DOWNLOAD_TYPES)
    ]  # fmt: skip
    assert len(downloads) >= 20, f"only {len(downloads)} download links"
    problems = []
    for ref in downloads:
        target = resolve(ref.page, ref.value, root).path
        where = ref.where(root)
        if target is None or not target.is_file():
            problems.append(f"{where}: no file")
            continue
        suffix = target.suffix.lower()
        if suffix not in DOWNLOAD_TYPES:
            problems.append(f"{where}: unexpected download type {suffix}")
            continue
        if ref.mime and ref.mime != DOWNLOAD_TYPES[suffix]:
            problems.append(f"{where}: type={ref.mime!r}, expected {DOWNLOAD_TYPES[suffix]!r}")
        error = _unreadable(target)
        if error:
            problems.append(f"{where}: {error}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scope", SCOPES)
def test_every_page_is_reachable_from_the_home_page(portal: BuiltPortal, scope: str) -> None:
    root = folder(portal, scope)
    reached = crawl(root / "index.html", root)
    pages = {p.resolve() for p in root.rglob("*.html")}
    # The not-found page is shown by the server for a missing address; nothing links to it.
    orphans = sorted(
        p.relative_to(root.resolve()).as_posix() for p in pages - reached if p.name != "404.html"
    )
    assert not orphans, f"pages no link leads to: {orphans}"


@pytest.mark.parametrize("scope", SCOPES)
def test_data_packages_sitemap_and_stylesheets_resolve(portal: BuiltPortal, scope: str) -> None:
    """The machine-readable references: datapackage.json resources, sitemap.xml, url() in CSS."""
    root = folder(portal, scope)
    broken = []
    packages = sorted(root.rglob("datapackage.json"))
    assert packages, "no datapackage.json"
    for package in packages:
        for resource in json.loads(package.read_text(encoding="utf-8")).get("resources", []):
            paths = resource.get("path", [])
            for path in [paths] if isinstance(paths, str) else paths:
                if not (package.parent / path).resolve().is_file():
                    broken.append(f"{package.relative_to(root)}: resource {path} missing")
    sitemap = root / "sitemap.xml"
    if sitemap.is_file():
        spaces = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
        for loc in ElementTree.parse(sitemap).getroot().iterfind("s:url/s:loc", spaces):
            url = (loc.text or "").strip()
            if not is_local(url):
                continue  # an absolute address under the configured site URL
            target = resolve(root / "index.html", url if url.startswith("/") else "/" + url, root).path
            if target is None or not target.is_file():
                broken.append(f"sitemap.xml: {url} missing")
    for stylesheet in sorted(root.rglob("*.css")):
        for url in css_references(stylesheet):
            if url.startswith("data:"):
                continue
            if not is_local(url):
                broken.append(f"{stylesheet.relative_to(root)}: url({url}) leaves the site")
                continue
            target = resolve(stylesheet, url, root).path
            if target is None or not target.is_file():
                broken.append(f"{stylesheet.relative_to(root)}: url({url}) missing")
    assert not broken, "\n".join(broken)


def _unreadable(path: Path) -> str:
    """Return why a downloaded file would not open, or "" when it does."""
    data = path.read_bytes()
    if not data:
        return "empty file"
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
            if len(rows) < 2:
                return f"CSV has {len(rows)} rows"
        elif suffix == ".json":
            json.loads(data.decode("utf-8"))
        elif suffix in (".xlsx", ".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                bad = archive.testzip()
                if bad:
                    return f"corrupt member {bad}"
                if suffix == ".xlsx" and "[Content_Types].xml" not in archive.namelist():
                    return "not an Office Open XML workbook"
    except (UnicodeDecodeError, ValueError, zipfile.BadZipFile, csv.Error) as exc:
        return f"cannot be read: {exc}"
    return ""


# ---------------------------------------------------------------- the checker itself


def test_the_checker_finds_broken_links(tmp_path: Path) -> None:
    """A gate that cannot fail is no gate: a small broken site shows each kind of defect."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="sub/page.html#there">ok</a> <a href="sub/page.html#nowhere">bad anchor</a>'
        '<a href="missing.html">missing</a> <a href="https://example.org/">outside</a>'
        '<a href="../escape.html">escape</a> <a href=" javascript:alert(1)">js</a>'
        '<label for="nobody">x</label>',
        encoding="utf-8",
    )
    (tmp_path / "sub" / "page.html").write_text('<p id="there">here</p>', encoding="utf-8")
    page = tmp_path / "index.html"
    refs = {r.value: r for r in references(page)}
    assert is_external("https://example.org/") and is_external("//cdn.example.org/x.js")
    assert is_script_url(" javascript:alert(1)") and is_script_url("java\tscript:x")
    assert not is_external("sub/page.html") and not is_external("data:,")
    assert is_local("sub/page.html") and is_local("/x.html") and not is_local("data:,")
    ok = resolve(page, "sub/page.html#there", tmp_path)
    assert ok.path == tmp_path / "sub" / "page.html" and ok.fragment in ids_of(ok.path)
    assert resolve(page, "sub/page.html#nowhere", tmp_path).fragment not in ids_of(ok.path)
    assert not resolve(page, "missing.html", tmp_path).path.is_file()  # type: ignore[union-attr]
    assert resolve(page, "../escape.html", tmp_path).path is None
    assert resolve(page, "/sub/page.html", tmp_path).path == ok.path
    assert resolve(page, "sub/", tmp_path).path == tmp_path / "sub" / "index.html"
    assert set(refs) >= {"sub/page.html#there", "missing.html", "https://example.org/"}
    assert ("label", "for", "nobody") in set(id_references(page)) and "nobody" not in ids_of(page)
    assert crawl(page, tmp_path) == {page.resolve(), ok.path.resolve()}  # type: ignore[union-attr]
