"""What a government web server needs besides the pages: sitemap.xml, robots.txt, a 404 page."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from .evaluations import evaluation_path
from .pages import Page, report_path, unit_path, year_path
from .summary import PortalIndex


def base_path(base_url: str) -> str:
    """Return the path part of the base URL, always between slashes ("https://x.gov.cn/yjs" → "/yjs/",
    "yjsgk" → "/yjsgk/": the 404 page is served at any depth, so its links must start at the root)."""
    path = "/" + urlsplit(base_url).path.strip("/")
    return path if path == "/" else path + "/"


def absolute(base_url: str) -> bool:
    """Tell whether the base URL names a host (sitemaps need absolute addresses)."""
    parts = urlsplit(base_url)
    return bool(parts.scheme and parts.netloc)


def site_paths(index: PortalIndex) -> Iterator[str]:
    """Yield every permanent page path of the portal, home first (a unit's reports read as it comes)."""
    yield from ["index.html", "glossary/index.html"]
    yield from (year_path(y) for y in index.years)
    for unit in sorted(index.units, key=lambda u: u.id):
        if unit.reports or unit.evaluations:
            yield unit_path(unit)
            yield from (report_path(r) for r in unit.reports)
            yield from (evaluation_path(e) for e in unit.evaluations)


def public_address(base_url: str, site_url: str = "", inside: str = "") -> str | None:
    """Return the site's absolute address ending in "/" (plus inside, e.g. archive/2024/), or None.

    The host comes from base_url when it names one, else from site_url; without either, None.
    """
    if absolute(base_url):
        base = base_url if base_url.endswith("/") else base_url + "/"
    elif site_url:
        base = site_url.rstrip("/") + base_path(base_url)
    else:
        return None
    return base + inside


def sitemap_xml(index: PortalIndex, address: str) -> Iterator[str]:
    """Yield sitemap.xml in lines, listing every page by its absolute address (address ends in "/")."""
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    for path in site_paths(index):
        url = address + (path[: -len("index.html")] if path.endswith("index.html") else path)
        yield f"  <url><loc>{escape(url)}</loc></url>\n"
    yield "</urlset>\n"


def robots_txt(address: str | None) -> str:
    """Return robots.txt allowing every page and naming the sitemap when there is one."""
    lines = ["User-agent: *", "Allow: /"]
    if address is not None:
        lines.append(f"Sitemap: {address}sitemap.xml")
    return "\n".join(lines) + "\n"


def not_found_page(base_url: str, inside: str = "") -> Page:
    """Return the 404 page; its links start from the base path (plus inside, e.g. archive/2024/ for
    an archive's own 404 page), since it is served at any depth."""
    return Page("404.html", "404.html", "页面未找到", {}, [], fixed_root=base_path(base_url) + inside)
