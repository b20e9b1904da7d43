"""The Shanghai fixture as a published document's text: tables under their titles, tab-separated.

Regenerate the committed texts after changing the fixture:
`python -c "import sys; sys.path.insert(0, 'tests'); import shanghai_document as s; s.write_documents()"`.

Written like the text extracted from published PDFs (/work/shared/seeds/000_*.txt): the document and
part headings, each table's title, 单位：万元, its header rows (a merged cell's text in its first column,
the columns it covers left empty), its rows, and 注：/说明： below. The Shanghai template prints no 表号,
行次 or 栏次, so neither does this text. Amounts are printed the ways real documents print them:
"1,547.33", "1, 547. 33" (stray spaces, tables listed in SPACED) and blank zeros (BLANK_ZERO).
The layout comes from the engine's own table views, so the text follows the profile exactly.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

from bs4 import BeautifulSoup

from disclosure.cli import main as cli_main
from disclosure.config import load_config
from disclosure.model import Report, Unit
from disclosure.pipeline import load_and_check
from disclosure.views import TableView, ViewRow, table_view

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "shanghai"
UNIT_ID = "shanghai-shili"
REPORT_FILE = f"data/{UNIT_ID}/2024-final.yaml"
SPACED = ("表二", "表三")
CHINESE_NUMBERS = [
    "",
    "一",
    "二",
    "三",
    "四",
    "五",
    "六",
    "七",
    "八",
    "九",
    "十",
    "十一",
    "十二",
    "十三",
    "十四",
    "十五",
]
BLANK_ZERO = ("表六",)


def make_portal(target: Path) -> Path:
    """Assemble a portal holding only the Shanghai fixture unit (templates and glossary from the repo)."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "templates", target / "templates")
    shutil.copy2(REPO / "portal.yaml", target / "portal.yaml")
    shutil.copytree(FIXTURE / "data", target / "data")
    shutil.copytree(FIXTURE / "content", target / "content")
    shutil.copy2(REPO / "content" / "名词解释.md", target / "content" / "名词解释.md")
    return target


def fixture_report(root: Path) -> tuple[Unit, Report]:
    """Load the fixture portal at root and return its one unit and report."""
    checked = load_and_check(root, load_config(root))
    unit = checked.portal.units[0]
    return unit, unit.reports[0]


def spaced(text: str) -> str:
    """Print an amount with the stray spaces of extracted PDFs: 1,547.33 → 1, 547. 33."""
    return text.replace(",", ", ").replace(".", ". ")


def grid(rows: list[ViewRow]) -> list[list[str]]:
    """Lay header rows on a grid: a spanning cell's text in its first column, the rest left empty."""
    width = sum(c.colspan for c in rows[0].cells) if rows else 0
    lines = [[""] * width for _ in rows]
    taken = [[False] * width for _ in rows]
    for r, row in enumerate(rows):
        column = 0
        for cell in row.cells:
            while column < width and taken[r][column]:
                column += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if r + dr < len(rows) and column + dc < width:
                        taken[r + dr][column + dc] = True
            if column < width:
                lines[r][column] = cell.text
            column += cell.colspan
    return lines


def table_text(view: TableView, number: str) -> list[str]:
    """Return one table's lines: title, unit, header, body, notes."""
    lines = [view.title, "单位：万元", ""]
    lines += ["\t".join(cells) for cells in grid(view.header)]
    for row in [*view.body, *view.foot]:
        cells: list[str] = []
        for cell in row.cells:
            text = cell.text
            if "num" in cell.css and number in SPACED:
                text = spaced(text)
            if "num" in cell.css and number in BLANK_ZERO and text == "0.00":
                text = ""
            cells += [text] + [""] * (cell.colspan - 1)
        lines.append("\t".join(cells))
    lines.append("")
    if view.note:
        lines.append(f"注：{view.note}")
    if view.remark:
        lines.append(view.remark)
    return [*lines, ""]


def prose_parts(root: Path) -> list[str]:
    """Return 第三部分 情况说明 and 第四部分 名词解释 as the built report page prints them (charts left out)."""
    with contextlib.redirect_stdout(io.StringIO()) as out:
        status = cli_main(["--root", str(root), "build"])
    assert status == 0, f"the fixture portal does not build:\n{out.getvalue()}"
    page_file = root / "site" / "units" / UNIT_ID / "2024-final" / "index.html"
    page = BeautifulSoup(page_file.read_text(encoding="utf-8"), "html.parser")
    notes, glossary = page.select_one("#part-3"), page.select_one("#part-4")
    assert notes is not None and glossary is not None
    for chart in notes.select("figure, details"):
        chart.decompose()
    lines = [line for e in notes.select("h2, h3, h4, p") for line in (e.get_text("", strip=True), "")]
    lines += [glossary.h2.get_text(strip=True) if glossary.h2 else "第四部分 名词解释", ""]
    terms = zip(glossary.select("dt"), glossary.select("dd"), strict=True)
    for number, (term, text) in enumerate(terms, 1):
        lines += [f"{CHINESE_NUMBERS[number]}、{term.get_text(strip=True)}：{text.get_text(strip=True)}", ""]
    return lines


def document_text(root: Path, prose: bool = False) -> str:
    """Return the fixture document as text, as a published Shanghai 决算 reads once extracted: 概况 and
    the tables (document.txt), with prose=True also 情况说明 and 名词解释 (document-notes.txt)."""
    unit, report = fixture_report(root)
    name, year = unit.name, report.year
    lines = [f"{name}", f"{year}年度部门决算", "", f"第一部分 {name}概况", "", "一、主要职能", ""]
    lines += [unit.duties.text.strip() if unit.duties else "", "", "二、部门决算单位构成", ""]
    lines += [unit.organization.text.strip() if unit.organization else "", ""]
    lines += [f"第二部分 {name}{year}年度部门决算表", "", f"{name}{year}年度部门决算表", ""]
    for definition in report.profile.tables:
        view = table_view(report.tables[definition.number], report.scope, "", False, unit.name)
        lines += table_text(view, definition.number)
    if prose:
        lines += prose_parts(root)
    return "\n".join(lines)


def write_documents() -> None:
    """Rewrite tests/fixtures/shanghai/document.txt and document-notes.txt from the fixture."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        root = make_portal(Path(folder) / "portal")
        (FIXTURE / "document.txt").write_text(document_text(root), encoding="utf-8")
        (FIXTURE / "document-notes.txt").write_text(document_text(root, prose=True), encoding="utf-8")
