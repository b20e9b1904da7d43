"""What a government web server needs besides the pages: sitemap.xml, robots.txt, a 404 page."""

from __future__ import annotations

from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from .evaluations import evaluation_path
from .pages import Page, report_path, unit_path, year_path
from .summary import PortalIndex


def base_path(base_url: str) -> str:
    """Return the path part of the base URL, always ending in "/" ("https://x.gov.cn/yjs" → "/yjs/")."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def absolute(base_url: str) -> bool:
    """Tell whether the base URL names a host (sitemaps need absolute addresses)."""
    parts = urlsplit(base_url)
    return bool(parts.scheme and parts.netloc)


def site_paths(index: PortalIndex) -> list[str]:
    """Return every permanent page path of the portal, home first."""
    paths = ["index.html", "glossary/index.html"]
    paths += [year_path(y) for y in index.years]
    for unit in sorted(index.units, key=lambda u: u.id):
        if unit.reports or unit.evaluations:
            paths.append(unit_path(unit))
            paths += [report_path(r) for r in unit.reports]
            paths += [evaluation_path(e) for e in unit.evaluations]
    return paths


def sitemap_xml(index: PortalIndex, base_url: str) -> str:
    """Return sitemap.xml listing every page (absolute URLs when the base URL names a host)."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    if not absolute(base):
        base = base_path(base)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for path in site_paths(index):
        url = base + (path[: -len("index.html")] if path.endswith("index.html") else path)
        lines.append(f"  <url><loc>{escape(url)}</loc></url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(base_url: str) -> str:
    """Return robots.txt allowing every page and naming the sitemap."""
    lines = ["User-agent: *", "Allow: /"]
    base = base_url if base_url.endswith("/") else base_url + "/"
    sitemap = base + "sitemap.xml" if absolute(base) else base_path(base) + "sitemap.xml"
    lines.append(f"Sitemap: {sitemap}")
    return "\n".join(lines) + "\n"


def not_found_page(base_url: str) -> Page:
    """Return the 404 page; its links start from the base path, since it is served at any depth."""
    return Page("404.html", "404.html", "页面未找到", {}, [], fixed_root=base_path(base_url))
