"""The bundled portal built once per test process, with an archived year published inside it.

Built from a temporary copy of the repo's data/, content/, templates/ and portal.yaml: `archive YEAR`
first (the snapshot a user downloads and opens from disk), then `build`, which publishes that archive
under site/archive/YEAR/ and links it from the home page. The link and HTML-validity gates read it.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
for _path in (str(REPO), str(TESTS)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from helpers import copy_portal, run_cli  # noqa: E402

ARCHIVE_YEAR = 2024


def in_ci() -> bool:
    """Tell whether we run under CI (CI=true), where a missing tool is a failure, not a skip."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


@dataclass(frozen=True)
class BuiltPortal:
    """Where the built portal is: the project copy, its site and its standalone archive folder."""

    root: Path
    site: Path
    archive: Path  # archive/<year>/ as the user downloads it (also published at site/archive/<year>/)

    def pages(self, folder: Path | None = None) -> list[Path]:
        """Every HTML file under folder (default: the whole site, archive included), sorted."""
        return sorted((folder or self.site).rglob("*.html"))


_BUILT: dict[str, BuiltPortal] = {}


def built_portal(parent: Path) -> BuiltPortal:
    """Archive ARCHIVE_YEAR and build the bundled portal under parent (once per process)."""
    if "portal" not in _BUILT:
        root = copy_portal(parent / "portal")
        archived = run_cli("--root", str(root), "archive", str(ARCHIVE_YEAR))
        assert archived.status == 0, f"archive {ARCHIVE_YEAR} failed:\n{archived.output}"
        built = run_cli("--root", str(root), "build")
        assert built.status == 0, f"build failed:\n{built.output}"
        site = root / "site"
        assert (site / "archive" / str(ARCHIVE_YEAR) / "index.html").is_file(), "archive not published"
        _BUILT["portal"] = BuiltPortal(root, site, root / "archive" / str(ARCHIVE_YEAR))
    return _BUILT["portal"]


def report_kinds(covered: set[str] | None = None) -> dict[str, str]:
    """One report page of each kind in the repo's data/ ({"report-budget": "units/…/2024-budget/index.html"}),
    leaving out the kinds in covered."""
    found: dict[str, str] = {}
    for path in sorted((REPO / "data").glob("*/*.yaml")):
        m = re.fullmatch(r"\d{4}-(?P<kind>[a-z]+)", path.stem)
        if m and m["kind"] not in (covered or set()) and f"report-{m['kind']}" not in found:
            found[f"report-{m['kind']}"] = f"units/{path.parent.name}/{path.stem}/index.html"
    return found


# One page of each type, as a path inside the built site; reports of other kinds than the bundled
# final accounts are added as found in data/. Pages beyond these are checked by the tests that walk
# every page.
PAGES = {
    "home": "index.html",
    "unit": "units/jinan-shizhong-ybj/index.html",
    "year": "years/2024/index.html",
    "report-jinan": "units/jinan-shizhong-ybj/2024-final/index.html",
    "report-jiyuan": "units/jiyuan-ybzx/2023-final/index.html",
    "glossary": "glossary/index.html",
    "evaluation": "units/zaozhuang-shizhong-ybj/2024-evaluation-01/index.html",
    "unit-evaluations-only": "units/zaozhuang-shizhong-ybj/index.html",
}
PAGE_TYPES = {
    **PAGES,
    "search": "search/index.html",
    "404": "404.html",
    "archive-home": f"archive/{ARCHIVE_YEAR}/index.html",
    "archive-unit": f"archive/{ARCHIVE_YEAR}/units/jinan-shizhong-ybj/index.html",
    "archive-year": f"archive/{ARCHIVE_YEAR}/years/{ARCHIVE_YEAR}/index.html",
    "archive-report": f"archive/{ARCHIVE_YEAR}/units/jinan-shizhong-ybj/{ARCHIVE_YEAR}-final/index.html",
    "archive-glossary": f"archive/{ARCHIVE_YEAR}/glossary/index.html",
    "archive-evaluation": f"archive/{ARCHIVE_YEAR}/units/jinan-shizhong-ybj/{ARCHIVE_YEAR}-evaluation-01/index.html",
}
PAGE_TYPES.update(report_kinds(covered={"final"}))
