"""PDFs to import, made here: a built report page printed, and hand-made layouts of its tables.

Each layout is HTML printed to PDF by headless Debian Chromium (never a downloaded browser), with
the Noto CJK fonts of fonts-noto-cjk:

- ``report``: the portal's own report page, printed as a reader would print it;
- ``ruled``: a running head and page numbers on every page, every table ruled, 科目代码 split into 类/款/项 columns, a narrow 科目名称 column so
  long names wrap to two lines, a small page so tables split over pages (Chromium repeats the
  header on each page), the title and 表号 on separate lines as finance systems print them;
- ``unruled``: no lines at all, columns only aligned by whitespace;
- ``scanned``: a page holding only an image (no text layer);
- ``encrypted``: a PDF that asks for a password (pypdf).

The tables come from the built report page itself (its <h3>, meta line, thead and tbody), so an
import of any layout can be compared with the report's data.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import io
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Tag

from tools import chromium
from tools.chromium import CHROMIUM, CHROMIUM_ARGS

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "chromium_browser", "print_pdf"]

FONT = '"Noto Sans CJK SC", "Noto Sans SC", sans-serif'
RUNNING_HEAD = "济南市市中区医疗保障局2024年度部门决算"
# Chromium's header and footer templates: a running head and "- N -" on every page, as published PDFs have.
HEAD_AND_FOOT = {
    "display_header_footer": True,
    "header_template": f'<div style="font-size:8px;width:100%;text-align:center;font-family:{FONT}">{RUNNING_HEAD}</div>',
    "footer_template": f'<div style="font-size:8px;width:100%;text-align:center;font-family:{FONT}">'
    '- <span class="pageNumber"></span> -</div>',
}


def chromium_browser() -> contextlib.AbstractContextManager[Any]:
    """Return the shared headless Chromium launch (tools/chromium.py), for printing the PDF fixtures."""
    return chromium.chromium_browser("to print the PDF fixtures")


def print_pdf(
    browser: Any,
    target: Path,
    *,
    html: str | None = None,
    url: str | None = None,
    css: str = "",
    charts: bool = True,
    **options: Any,
) -> Path:
    """Print an HTML string or a URL to target as PDF with headless Chromium (css added to the page).

    Without charts the figures are left undrawn (as before plotly.js was loaded after the load
    event): the page breaks fall elsewhere.
    """
    page = browser.new_page(bypass_csp=bool(css))  # the portal's pages forbid inline styles
    try:
        if url is not None:
            page.goto(url, wait_until="load")
        else:
            page.set_content(html or "", wait_until="load")
        if charts:
            draw_charts(page)
        if css:
            page.add_style_tag(content=css)
        page.emulate_media(media="print")
        page.pdf(path=str(target), print_background=True, **options)
    finally:
        page.close()
    return target


# A reader prints a report page with its figures drawn: charts.js loads plotly.js after the load
# event and draws every figure on `beforeprint`, which printing to PDF from a script does not send.
_CHARTS_READY = """() => {
  const plots = [...document.querySelectorAll('.chart-plot[data-figure]')];
  return !document.querySelector('script[data-plotly]') || !plots.length || plots.every(p => !p.hidden);
}"""
_CHARTS_DRAWN = (
    "() => [...document.querySelectorAll('.chart-plot[data-figure]')].every(p => p.dataset.drawn === 'done')"
)


def draw_charts(page: Any) -> None:
    """Wait for plotly.js and draw every figure of the page, as printing from the browser does."""
    page.wait_for_function(_CHARTS_READY)
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_function(_CHARTS_DRAWN)


def report_tables(page_html: str) -> list[Tag]:
    """Return the <section class="std-table"> of each disclosure table on a built report page."""
    soup = BeautifulSoup(page_html, "html.parser")
    return soup.select("section.std-table")


def _document(body: str, css: str) -> str:
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>'
        f"body{{font-family:{FONT};font-size:10pt;margin:0}}"
        ".title{text-align:center;font-size:14pt;font-weight:bold;margin:0 0 2pt}"
        ".number{text-align:right;margin:0}.meta{margin:0 0 4pt}"
        "section{break-before:page}section:first-child{break-before:auto}"
        # Chromium repeats <tfoot> on every page; printed documents give the 合计 row once.
        "tfoot{display:table-row-group}"
        f"{css}</style></head><body>{body}</body></html>"
    )


def table_parts(section: Tag) -> tuple[str, str, str, Tag, str]:
    """Return a table section's 表号, title, meta line, <table> and note."""
    heading = section.select_one("h3")
    assert heading is not None
    number_tag = heading.select_one(".table-no")
    number = number_tag.get_text(strip=True) if number_tag else ""
    title = heading.get_text(" ", strip=True).removeprefix(number).strip()
    meta = "　".join(s.get_text(strip=True) for s in section.select(".table-meta span"))
    table = copy.copy(section.select_one("table"))
    assert table is not None
    for hidden in table.select("caption"):
        hidden.decompose()
    note = section.select_one(".table-note")
    return number, title, meta, table, note.get_text(strip=True) if note else ""


def three_code_columns(table: Tag) -> None:
    """Split the 科目代码 column into 类, 款 and 项 columns (208 | 05 | 05), as many documents print it."""
    soup = BeautifulSoup("", "html.parser")
    heads = [th for th in table.select("thead th") if th.get_text(strip=True) in ("科目代码", "科目编码")]
    if not heads or not any(len(td.get_text(strip=True)) == 7 for td in table.select("tbody td.code")):
        return  # only 功能分类 codes (208 / 20805 / 2080505) have 类, 款 and 项
    for th in heads:
        for label in ("类", "款"):
            extra = soup.new_tag("th")
            extra.string = label
            th.insert_before(extra)
        th.string = "项"
    for row in table.select("thead tr"):
        first = row.find(["th", "td"])
        if first is not None and first.get_text(strip=True) in ("项目", "栏次") and first.get("colspan"):
            first["colspan"] = str(int(str(first["colspan"])) + 2)
    for cell in table.select("tbody td.code"):
        code = cell.get_text(strip=True)
        parts = [code[:3], code[3:5], code[5:7]]
        cell.string = parts[0]
        for part in reversed(parts[1:]):
            extra = soup.new_tag("td")
            extra.string = part
            cell.insert_after(extra)
    for cell in table.select("tbody td[colspan], tbody th[colspan]"):
        cell["colspan"] = str(int(str(cell["colspan"])) + 2)


def ruled_html(page_html: str) -> str:
    """Return the report's tables in a ruled layout: 类/款/项 columns, wrapped names, small pages."""
    sections = []
    for section in report_tables(page_html):
        number, title, meta, table, note = table_parts(section)
        three_code_columns(table)
        sections.append(
            f'<section><p class="title">{title}</p><p class="number">{number}</p>'
            f'<p class="meta">{meta}</p>{table}<p class="note">{note}</p></section>'
        )
    css = (
        "table{border-collapse:collapse;width:100%}th,td{border:0.8pt solid #000;padding:2pt 3pt}"
        "td.num{text-align:right}th.name{text-align:left;font-weight:normal;width:7.5em}"
        "thead{display:table-header-group}tr{break-inside:avoid}"
    )
    return _document("".join(sections), css)


def unruled_html(page_html: str, wrap_names: bool = False) -> str:
    """Return the report's tables with no lines at all: columns aligned by whitespace only.

    With wrap_names, 科目名称 longer than ten characters wrap onto a second line.
    """
    sections = []
    for section in report_tables(page_html):
        number, title, meta, table, note = table_parts(section)
        sections.append(
            f'<section><p class="title">{number} {title}</p><p class="meta">{meta}</p>{table}'
            f'<p class="note">{note}</p></section>'
        )
    css = (
        "table{border-collapse:separate;border-spacing:14pt 3pt;margin-left:-14pt}th,td{padding:0;border:0}"
        "td.num{text-align:right}th{font-weight:normal;text-align:left;white-space:nowrap}"
        "thead th{text-align:center}"
        + ("tbody th.name{white-space:normal;width:10em;line-height:1.15}" if wrap_names else "")
    )
    return _document("".join(sections), css)


def scanned_html() -> str:
    """Return a page holding only an image of a table (a scan: no text layer)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 300), "white")
    draw = ImageDraw.Draw(image)
    for y in range(20, 300, 40):
        draw.line([(20, y), (580, y)], fill="black", width=2)
    for x in (20, 200, 400, 580):
        draw.line([(x, 20), (x, 260)], fill="black", width=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<!doctype html><html><body style="margin:0"><img src="data:image/png;base64,{data}" width="600"></body></html>'


def encrypt_pdf(source: Path, target: Path, password: str = "123456") -> Path:
    """Write an encrypted copy of a PDF (AES-128): it asks for the password to open, unless that is ""
    (then only the owner password guards editing, as on many published PDFs)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-128")
    with target.open("wb") as out:
        writer.write(out)
    return target


def with_head_on_one_page(browser: Any, source: Path, target: Path, page: int, text: str) -> Path:
    """Write a copy of a PDF with a head line printed at the top of one page only (from 0)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    box = writer.pages[page].mediabox
    html = (
        f'<!doctype html><html><body style="margin:0;font-family:{FONT}">'
        f'<div style="position:absolute;top:4mm;width:100%;text-align:center;font-size:8px">{text}</div>'
        "</body></html>"
    )
    size = {"width": f"{float(box.width) / 72:.4f}in", "height": f"{float(box.height) / 72:.4f}in"}
    head = print_pdf(browser, target.with_suffix(".head.pdf"), html=html, margin={"top": "0"}, **size)
    writer.pages[page].merge_page(PdfReader(head).pages[0])
    with target.open("wb") as out:
        writer.write(out)
    return target
