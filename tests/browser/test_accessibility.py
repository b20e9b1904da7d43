"""Accessibility gate (WCAG 2.1 AA, the basis of GB/T 37668-2019) on every page type in Chromium.

- axe-core (the copy bundled in the PyPI package axe-playwright-python) with the rule set tagged wcag2a,
  wcag2aa, wcag21a and wcag21aa: no violation of impact serious or critical. axe is evaluated into the
  page through the DevTools protocol (page.evaluate), so the page keeps its own CSP (script-src 'self').
  Where axe cannot tell a text's contrast (it reports it "incomplete"), the contrast is computed here.
- Tables: every data table has a caption and every header cell a scope.
- Charts: every plot is an image (role=img) with a text alternative, inside a captioned figure.
- A skip link is the first stop of the keyboard and moves the focus to <main>.
- Keyboard: Tab reaches every link of the site navigation, each with a visible focus ring that
  contrasts with what is around it (3:1).

Pages: one of each type of the served portal (home, unit, year, each report, glossary, search, 404) and
an archived year opened from disk (file://), built with `archive 2024` from a copy of the repo.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tools.portal import PAGE_TYPES, in_ci, report_kinds

from disclosure.cli import main as cli_main

from .conftest import DESKTOP, PAGES, REPO, REPORTS, OpenPage

pytestmark = pytest.mark.browser

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
ARCHIVE_YEAR = 2024

# Every page type of conftest.PAGES, a report of each other kind found in data/ (e.g. budgets), search, 404.
KINDS_COVERED = {Path(path).parent.name.split("-", 1)[-1] for path in REPORTS.values()}
SERVED = {**PAGES, **report_kinds(KINDS_COVERED), "search": "search/index.html", "404": "404.html"}
# Every archived page type of tools/portal.PAGE_TYPES, as a path inside archive/<year>/.
ARCHIVED = {
    name: path.removeprefix(f"archive/{ARCHIVE_YEAR}/")
    for name, path in PAGE_TYPES.items()
    if name.startswith("archive-")
}
ALL_PAGES = [*SERVED, *ARCHIVED]


def axe_source() -> str:
    """axe.min.js from the axe-playwright-python package (skipped locally when absent; an error in CI)."""
    try:
        import axe_playwright_python
    except ImportError:
        message = "axe-core not installed: pip install axe-playwright-python==0.1.8"
        if in_ci():
            pytest.fail(f"CI=true and {message}", pytrace=False)
        pytest.skip(message)
    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def axe() -> str:
    return axe_source()


@pytest.fixture(scope="module")
def archive_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """archive/<year>/ built from a temporary copy of the repo's data, content and templates."""
    project = tmp_path_factory.mktemp("a11y-archive")
    for name in ("data", "content", "templates"):
        shutil.copytree(REPO / name, project / name)
    if (REPO / "portal.yaml").is_file():
        shutil.copy2(REPO / "portal.yaml", project / "portal.yaml")
    assert cli_main(["--root", str(project), "archive", str(ARCHIVE_YEAR)]) == 0
    return project / "archive" / str(ARCHIVE_YEAR)


@pytest.fixture
def open_named(site_url: str, archive_dir: Path, open_page: OpenPage) -> Iterator[Any]:
    """Open a page by name: served over HTTP, or from disk for the archive; charts drawn."""

    def _open(name: str, draw: bool = False, **options: Any) -> Any:
        url = site_url + SERVED[name] if name in SERVED else (archive_dir / ARCHIVED[name]).as_uri()
        page, _log = open_page(url, viewport=DESKTOP, **options)
        if draw:
            draw_charts(page)
        return page

    yield _open


def draw_charts(page: Any) -> None:
    """Scroll each plot into view and wait until it is drawn, so axe sees the page as a reader does."""
    ids = page.eval_on_selector_all(".chart-plot", "els => els.map(e => e.id)")
    for plot_id in ids:
        page.locator(f"#{plot_id}").scroll_into_view_if_needed()
    if ids:
        page.wait_for_function(
            "() => [...document.querySelectorAll('.chart-plot')].every(c => c.dataset.drawn === 'done')",
            timeout=20000,
        )
    page.evaluate("window.scrollTo(0, 0)")


def run_axe(page: Any, axe: str) -> dict[str, Any]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe)
    return page.evaluate(
        """(tags) => axe.run(document, {
              runOnly: {type: 'tag', values: tags},
              resultTypes: ['violations', 'incomplete'],
           }).then(r => ({
              version: r.testEngine.version,
              violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160),
                                            summary: n.failureSummary}))})),
              incomplete: r.incomplete.filter(v => v.id === 'color-contrast')
                  .flatMap(v => v.nodes.map(n => n.target.join(' '))),
           }))""",
        TAGS,
    )


# Contrast of an element's text against the colour behind it, from computed styles: walks up to the
# first ancestor with an opaque background (blending translucent ones); null when an image is behind.
CONTRAST = """(el) => {
  const rgba = s => { const m = s.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const lum = ([r, g, b]) => { const c = [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                               return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]; };
  const blend = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const layers = [];
  for (let node = el; node; node = node.parentElement) {
    const style = getComputedStyle(node);
    if (style.backgroundImage !== 'none') return null;
    const bg = rgba(style.backgroundColor);
    if (bg[3] > 0) layers.push(bg);
    if (bg[3] >= 1) break;
  }
  let back = [255, 255, 255, 1];
  for (const layer of layers.reverse()) back = blend(layer, back);
  const style = getComputedStyle(el);
  const fore = blend(rgba(style.color), back);
  const [a, b] = [lum(fore), lum(back)].sort((x, y) => y - x);
  const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
  return {ratio: (a + 0.05) / (b + 0.05), large: size >= 24 || (bold && size >= 18.66),
          text: el.textContent.trim().slice(0, 40)};
}"""


# ---------------------------------------------------------------- axe


@pytest.mark.parametrize("name", ALL_PAGES)
def test_axe_finds_no_serious_violation(name: str, open_named: Any, axe: str) -> None:
    page = open_named(name, draw=True)
    result = run_axe(page, axe)
    blocking = [v for v in result["violations"] if v["impact"] in BLOCKING]
    report = "\n".join(
        f"[{v['impact']}] {v['id']}: {v['help']}\n"
        + "\n".join(f"    {n['target']}  {n['html']}\n      {n['summary']}" for n in v["nodes"][:8])
        for v in blocking
    )
    assert not blocking, f"axe {result['version']} on {name}:\n{report}"
    # Text whose contrast axe could not judge (e.g. header cells spanning rows): measure it here.
    low = []
    for target in result["incomplete"]:
        found = page.evaluate(f"(sel) => ({CONTRAST})(document.querySelector(sel))", target)
        if found is None:
            continue
        needed = 3.0 if found["large"] else 4.5
        if found["ratio"] < needed:
            low.append(f"{target} “{found['text']}”: {found['ratio']:.2f}:1 < {needed}:1")
    assert not low, "text below WCAG AA contrast:\n" + "\n".join(low)


# ---------------------------------------------------------------- tables and charts


TABLES = """(selector) => [...document.querySelectorAll(selector)].map(t => ({
  id: t.dataset.table || t.dataset.chart || t.className,
  caption: t.caption ? t.caption.textContent.trim() : '',
  unscoped: [...t.querySelectorAll('th')].filter(th => !['col', 'row', 'colgroup', 'rowgroup']
      .includes(th.getAttribute('scope'))).map(th => th.outerHTML.slice(0, 100)),
  headers: t.querySelectorAll('th').length,
}))"""


@pytest.mark.parametrize("name", ALL_PAGES)
def test_data_tables_have_captions_and_scoped_headers(name: str, open_named: Any) -> None:
    page = open_named(name, java_script_enabled=False)
    tables = page.evaluate(TABLES, "table:not(.authored):not([role=presentation]):not([role=none])")
    if name.startswith(("report", "archive-report")):
        assert len(tables) >= 9, "a report has at least its nine tables"
    problems = []
    for table in tables:
        if not table["caption"]:
            problems.append(f"table {table['id']}: no caption")
        if not table["headers"]:
            problems.append(f"table {table['id']}: no header cells")
        for th in table["unscoped"]:
            problems.append(f"table {table['id']}: header cell without scope: {th}")
    assert not problems, "\n".join(problems)


# The reports' self-evaluation tables are data now (checked above); evaluation reports hold Markdown tables.
@pytest.mark.parametrize("name", ["evaluation"])
def test_authored_tables_have_captions_and_scoped_headers(name: str, open_named: Any) -> None:
    page = open_named(name, java_script_enabled=False)
    tables = page.evaluate(TABLES, "table.authored")
    assert tables, "the bundled evaluation report holds Markdown tables"
    bad = [t["id"] for t in tables if not t["caption"] or t["unscoped"]]
    assert not bad, f"{len(bad)} of {len(tables)} authored tables lack a caption or header scopes"


@pytest.mark.parametrize("name", ALL_PAGES)
def test_charts_have_text_alternatives(name: str, open_named: Any) -> None:
    """(test_charts.py checks that each plot draws; here, what a reader without sight gets instead.)"""
    page = open_named(name)
    charts = page.evaluate(
        """() => [...document.querySelectorAll('.chart-plot')].map(p => ({
              id: p.id, role: p.getAttribute('role'), label: (p.getAttribute('aria-label') || '').trim(),
              figure: !!p.closest('figure'), caption: (p.closest('figure')?.querySelector('figcaption')
                  ?.textContent || '').trim(), table: !!p.closest('figure')?.querySelector('table caption'),
              }))"""
    )
    if name in REPORTS or name in ("unit", "year", "archive-report", "archive-year"):
        assert charts, f"{name} should have charts"
    for chart in charts:
        where = f"chart {chart['id']}"
        assert chart["role"] == "img", f"{where}: role={chart['role']!r}, expected img"
        assert len(chart["label"]) >= 10, f"{where}: aria-label {chart['label']!r} is no description"
        assert chart["figure"] and chart["caption"], f"{where}: not inside a captioned figure"
        assert chart["table"], f"{where}: its data table (with a caption) is missing"
    # Nothing else graphical without a text alternative (plotly's off-screen text-measuring SVG aside).
    bare = page.evaluate(
        """() => [...document.querySelectorAll('img, svg, canvas, [role=img]')]
              .filter(e => !e.closest('.chart-plot') || e.classList.contains('chart-plot'))
              .filter(e => { const r = e.getBoundingClientRect();
                             return r.right + scrollX > 0 && r.bottom + scrollY > 0 && r.width > 0; })
              .filter(e => !(e.getAttribute('alt') || e.getAttribute('aria-label')
                             || e.getAttribute('aria-labelledby') || e.getAttribute('aria-hidden') === 'true'))
              .map(e => e.outerHTML.slice(0, 100))"""
    )
    assert not bare, f"graphics without a text alternative: {bare}"


# ---------------------------------------------------------------- keyboard


def focused(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => { const e = document.activeElement; const s = getComputedStyle(e); const r = e.getBoundingClientRect();
                   return {tag: e.tagName.toLowerCase(), id: e.id, cls: e.className, href: e.getAttribute('href'),
                           mark: e.dataset.kbd || null,
                           text: e.textContent.trim().slice(0, 30), nav: !!e.closest('.site-nav'),
                           outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
                           shadow: s.boxShadow !== 'none', outlineColor: s.outlineColor,
                           visible: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0
                                    && r.left < innerWidth && r.top < innerHeight}; }"""
    )


# The contrast of the focus ring against the background around the focused element (WCAG 1.4.11).
RING_CONTRAST = """() => {
  const el = document.activeElement;
  const rgb = s => s.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => { const c = [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                               return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]; };
  let node = el.parentElement, back = [255, 255, 255];
  for (; node; node = node.parentElement) {
    const bg = rgb(getComputedStyle(node).backgroundColor);
    if (bg.length < 4 || bg[3] > 0) { back = bg.slice(0, 3); break; }
  }
  const ring = rgb(getComputedStyle(el).outlineColor).slice(0, 3);
  const [a, b] = [lum(ring), lum(back)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


@pytest.mark.parametrize("name", ALL_PAGES)
def test_skip_link_is_first_and_moves_focus_to_main(name: str, open_named: Any) -> None:
    page = open_named(name)
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["cls"] == "skip-link" and first["href"] == "#main", f"first Tab stop is {first}"
    assert first["visible"], "the skip link stays off screen when focused"
    assert first["outline"] or first["shadow"], "the focused skip link shows no focus ring"
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.id === 'main'", timeout=5000
    )
    assert page.evaluate("document.activeElement.tagName") == "MAIN"
    # The next Tab goes on from main: to the first focusable element after its start, not back to the top.
    page.keyboard.press("Tab")
    went_on = page.evaluate(
        """() => {
          const main = document.getElementById('main');
          const next = [...document.querySelectorAll(
              'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select, textarea, '
              + 'summary, [tabindex]:not([tabindex="-1"])')]
            .find(e => (main.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING)
                       && e.getClientRects().length > 0);
          return next ? next === document.activeElement : null;
        }"""
    )
    assert went_on is not False, f"Tab after the skip link went to {focused(page)}, not on from main"


@pytest.mark.parametrize("name", ALL_PAGES)
def test_keyboard_reaches_every_navigation_link_with_a_visible_focus(name: str, open_named: Any) -> None:
    page = open_named(name)
    # Mark the links of the menus: the site navigation, then the breadcrumbs.
    links = page.eval_on_selector_all(
        ".site-nav a, nav.breadcrumbs a",
        "els => els.map((a, i) => { a.dataset.kbd = (a.closest('.site-nav') ? 'nav-' : 'crumb-') + i; return a.dataset.kbd; })",
    )
    nav = [mark for mark in links if mark.startswith("nav-")]
    assert len(nav) >= 3, f"site navigation has {len(nav)} links"
    reached: list[str] = []
    problems = []
    for _ in range(len(links) + 6):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["mark"] is None:
            continue
        reached.append(now["mark"])
        if not (now["outline"] or now["shadow"]):
            problems.append(f"{now['text']!r}: no visible focus ring")
        elif now["outline"] and (ratio := page.evaluate(RING_CONTRAST)) < 3:
            problems.append(f"{now['text']!r}: focus ring {now['outlineColor']} contrast {ratio:.2f}:1 < 3:1")
        if not now["visible"]:
            problems.append(f"{now['text']!r}: focused but not visible")
    missing = [mark for mark in links if mark not in reached]
    assert not missing, f"Tab never reaches {missing} (reached {reached})"
    assert reached[: len(nav)] == nav, f"navigation out of order: {reached}"
    assert not problems, "\n".join(problems)
