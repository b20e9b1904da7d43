"""Read a built site as files: every reference (href, src, …) of every HTML page, resolved on disk.

A reference is resolved the way a browser resolves it against the page's own file: relative paths
from the page's folder; root-absolute paths ("/x", used only by 404.html, which a server shows at any
address) from the site's root; a folder stands for its index.html. External references (another
scheme or host) are collected separately: the portal must make none.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

# Attributes that load or link to another resource, by element ("*": on any element).
URL_ATTRIBUTES = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "form": ("action",),
    "use": ("href", "xlink:href"),
    "image": ("href", "xlink:href"),
    "blockquote": ("cite",),
    "q": ("cite",),
    "*": ("formaction",),
}
# Attributes holding ids of elements of the same page (space-separated where the spec allows).
ID_REF_ATTRIBUTES = ("aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "aria-details",
                     "aria-activedescendant", "aria-errormessage", "for", "headers", "list", "form",
                     "data-figure")  # fmt: skip
ID_REF_SKIP = {("form", "form")}  # <form form=…> is not a thing; "form" refers only on form controls
LOCAL_SCHEMES = {"", "file"}
HARMLESS_SCHEMES = {"data"}  # <link rel=icon href="data:,"> keeps browsers from asking for /favicon.ico
CSS_URL = re.compile(r"""url\(\s*(['"]?)(?P<url>[^'")]+)\1\s*\)""")


@dataclass(frozen=True)
class Reference:
    """One reference found in a page."""

    page: Path
    tag: str
    attribute: str
    value: str
    download: bool = False  # <a download>
    mime: str = ""  # the type attribute of <a>/<link>

    def where(self, root: Path) -> str:
        return f"{self.page.relative_to(root).as_posix()} <{self.tag} {self.attribute}={self.value!r}>"


@functools.lru_cache(maxsize=512)
def soup(page: Path) -> BeautifulSoup:
    """Parse a page once (the site is not rebuilt while the tests read it)."""
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


@functools.lru_cache(maxsize=512)
def ids_of(page: Path) -> frozenset[str]:
    """Every fragment target of a page: element ids and <a name>."""
    document = soup(page)
    ids = {str(e["id"]) for e in document.find_all(id=True)}
    ids |= {str(e["name"]) for e in document.find_all("a", attrs={"name": True})}
    return frozenset(ids)


def srcset_urls(value: str) -> list[str]:
    """The URLs of a srcset (comma-separated candidates, each a URL and an optional descriptor)."""
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def references(page: Path) -> Iterator[Reference]:
    """Every URL reference in one page."""
    for element in soup(page).find_all(True):
        names = URL_ATTRIBUTES.get(element.name, ()) + URL_ATTRIBUTES["*"]
        for attribute in names:
            raw = element.get(attribute)
            if raw is None:
                continue
            values = srcset_urls(str(raw)) if attribute == "srcset" else [str(raw)]
            for value in values:
                yield Reference(
                    page,
                    element.name,
                    attribute,
                    value.strip(),
                    download=element.has_attr("download"),
                    mime=str(element.get("type", "")),
                )


def is_external(value: str) -> bool:
    """Tell whether a reference names another scheme or host (http:, https:, //host, mailto: …)."""
    parts = urlsplit(value)
    if value.startswith("//"):
        return True
    return parts.scheme.lower() not in LOCAL_SCHEMES | HARMLESS_SCHEMES


def is_local(value: str) -> bool:
    """Tell whether a reference is a file of the site (not another host, not a data: URL)."""
    return not value.startswith("//") and urlsplit(value).scheme.lower() in LOCAL_SCHEMES


def is_script_url(value: str) -> bool:
    """Tell whether a reference runs script (javascript:, vbscript:), with the tricks browsers allow."""
    squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
    return squeezed.startswith(("javascript:", "vbscript:"))


@dataclass(frozen=True)
class Target:
    """Where a local reference leads: a file (maybe missing) and a fragment."""

    path: Path | None  # None: it leaves the site's root folder
    fragment: str
    same_page: bool


def resolve(page: Path, value: str, root: Path) -> Target:
    """Resolve a local reference of page against the file system (root: the site's root folder)."""
    parts = urlsplit(value)
    path = unquote(parts.path)
    fragment = unquote(parts.fragment)
    if parts.scheme == "file":
        target = Path(path)
    elif not path:
        return Target(page, fragment, same_page=True)
    elif path.startswith("/"):
        target = root / posixpath.normpath(path).lstrip("/")
    else:
        relative = posixpath.normpath(posixpath.join(page.parent.relative_to(root).as_posix(), path))
        if relative == ".." or relative.startswith("../"):
            return Target(None, fragment, same_page=False)
        target = root / relative
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return Target(target, fragment, same_page=False)


def id_references(page: Path) -> Iterator[tuple[str, str, str]]:
    """(tag, attribute, id) for every id that an attribute of the page refers to."""
    for element in soup(page).find_all(True):
        for attribute in ID_REF_ATTRIBUTES:
            if (element.name, attribute) in ID_REF_SKIP:
                continue
            if attribute == "form" and element.name not in ("button", "fieldset", "input", "object",
                                                             "output", "select", "textarea"):  # fmt: skip
                continue
            raw = element.get(attribute)
            if raw is None:
                continue
            values = raw if isinstance(raw, list) else str(raw).split()
            for value in values:
                yield element.name, attribute, str(value)


def css_references(stylesheet: Path) -> list[str]:
    """The url(...) references of a stylesheet."""
    return [m["url"].strip() for m in CSS_URL.finditer(stylesheet.read_text(encoding="utf-8"))]


def crawl(start: Path, root: Path) -> set[Path]:
    """Every HTML page reachable from start by following <a href> links inside root."""
    seen: set[Path] = set()
    queue = [start.resolve()]
    while queue:
        page = queue.pop()
        if page in seen or not page.is_file():
            continue
        seen.add(page)
        for ref in references(page):
            if ref.tag != "a" or not is_local(ref.value):
                continue
            target = resolve(page, ref.value, root)
            if target.path is not None and target.path.suffix == ".html":
                queue.append(target.path.resolve())
    return seen
