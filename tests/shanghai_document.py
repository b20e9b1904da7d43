"""The Shanghai fixture as a published document's text: tables under their titles, tab-separated.

Written like the text extracted from published PDFs (/work/shared/seeds/000_*.txt): the document and
part headings, each table's title, 单位：万元, its header rows (a merged cell's text in its first column,
the columns it covers left empty), its rows, and 注：/说明： below. The Shanghai template prints no 表号,
行次 or 栏次, so neither does this text. Amounts are printed the ways real documents print them:
"1,547.33", "1, 547. 33" (stray spaces, tables listed in SPACED) and blank zeros (BLANK_ZERO).
The layout comes from the engine's own table views, so the text follows the profile exactly.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from disclosure.config import load_config
from disclosure.model import Report, Unit
from disclosure.pipeline import load_and_check
from disclosure.views import TableView, ViewRow, table_view

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "shanghai"
UNIT_ID = "shanghai-shili"
REPORT_FILE = f"data/{UNIT_ID}/2024-final.yaml"
SPACED = ("表二", "表三")
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


def document_text(root: Path) -> str:
    """Return the whole fixture document as text, as a published Shanghai 决算 reads once extracted."""
    unit, report = fixture_report(root)
    name, year = unit.name, report.year
    lines = [f"{name}", f"{year}年度部门决算", "", f"第一部分 {name}概况", "", "一、主要职能", ""]
    lines += [unit.duties.text.strip() if unit.duties else "", "", "二、部门决算单位构成", ""]
    lines += [unit.organization.text.strip() if unit.organization else "", ""]
    lines += [f"第二部分 {name}{year}年度部门决算表", "", f"{name}{year}年度部门决算表", ""]
    for definition in report.profile.tables:
        view = table_view(report.tables[definition.number], report.scope, "", False, unit.name)
        lines += table_text(view, definition.number)
    return "\n".join(lines)
