"""A year's downloads: one workbook with a sheet per table (rows of every unit) and datapackage.json.

Both are built from the reports' JSON files already written into the new site, read one at a time
and streamed out (rows to per-sheet temporary files), so memory stays flat however many reports a
year has. In an incremental build a year whose report files all carried over unchanged keeps its
files from the current site (the reports' own files are compared byte for byte when redone).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import paths
from .fiscal import FiscalPackage
from .rows import TEXT
from .xlsx import Sheet, Workbook

UNIT_COLUMNS = ["单位代码", "单位名称"]
KIND_ORDER = {"final": 0, "budget": 1}  # 决算 sheets first, then 预算


def write_year_downloads(writer: Any, index: Any, before: dict[int, set[str]] | None = None) -> list[str]:
    """Write every year's workbook and datapackage.json into the new site; return the paths written.

    before: the report JSON files of the current site by year (None in a full build); a year whose
    reports are those very files, unchanged, keeps its two files.
    """
    by_year: dict[int, list[Any]] = defaultdict(list)
    for report in index.reports:
        by_year[report.year].append(report)
    written: list[str] = []
    for year in sorted(by_year):
        reports = sorted(by_year[year], key=lambda r: (r.unit_id, r.kind))
        documents = [paths.report_json(r.unit_id, r.slug) for r in reports]
        outputs = [paths.year_xlsx(year), paths.year_datapackage(year)]
        kept = (
            before is not None
            and before.get(year, set()) == set(documents)
            and all(writer.unchanged(d) for d in documents)
        )
        if kept and all(writer.keep(path) for path in outputs):
            continue
        build_year(writer, year, documents)
        written += outputs
    return written


def report_documents(pages: Iterable[str]) -> dict[int, set[str]]:
    """Return the report JSON files among a site's files, by year."""
    found: dict[int, set[str]] = defaultdict(set)
    for path in pages:
        if path.endswith("/report.json"):
            year = path.split("/")[-2].partition("-")[0]
            if year.isdigit():
                found[int(year)].add(path)
    return found


def build_year(writer: Any, year: int, documents: list[str]) -> None:
    """Build the year's workbook and descriptor from its reports' JSON files."""
    book = Workbook(f"{year}年度部门预决算公开数据", paths.stamp(), spool=True)
    package = FiscalPackage(year)
    sheets: dict[tuple[int, str, str], tuple[Sheet, int]] = {}
    for document in documents:
        report = json.loads(writer.locate(document).read_text(encoding="utf-8"))
        unit = report["unit"]
        for position, table in enumerate(report["tables"]):
            key = (KIND_ORDER.get(report["kind"], 9), report["profile"], table["id"])
            fields = table["fields"]
            if key not in sheets:
                sheet = book.sheet(
                    f"{table['number']} {table['title']}",
                    [14.0, 30.0] + [16.0 if f["type"] == "number" else 12.0 for f in fields],
                )
                sheet.header(UNIT_COLUMNS + [f["name"] for f in fields])
                sheets[key] = (sheet, position)
            sheet = sheets[key][0]
            names = [f["name"] for f in fields]
            types = [TEXT, TEXT] + [f["type"] for f in fields]
            for row in table["rows"]:
                sheet.row([unit["id"], unit["name"], *(row.get(n) for n in names)], types)
            package.add(report, table)
    order = {id(sheet): (key[0], key[1], position) for key, (sheet, position) in sheets.items()}
    book.sheets.sort(key=lambda s: order[id(s)])
    site: Path = writer.tmp
    target = site / paths.year_xlsx(year)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)  # never write through a link into the current site
    with target.open("wb") as out:
        book.save(out)
    package.save(site / paths.year_datapackage(year))
