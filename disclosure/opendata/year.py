"""A year's downloads: one workbook with a sheet per table (rows of every unit) and datapackage.json.

Both are built from the reports' JSON files already written into the new site, read one at a time
and streamed out (rows to per-sheet temporary files), so memory stays flat however many reports a
year has. In an incremental build a year whose report files all carried over unchanged keeps its
files from the current site.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path
from typing import Any

from . import paths
from .fiscal import FiscalPackage
from .rows import TEXT
from .xlsx import Sheet, Workbook

UNIT_COLUMNS = ["单位代码", "单位名称"]
KIND_ORDER = {"final": 0, "budget": 1}  # 决算 sheets first, then 预算


def write_year_downloads(writer: Any, index: Any, incremental: bool = False) -> list[str]:
    """Write every year's workbook and datapackage.json into writer.tmp; return the paths written."""
    site: Path = writer.tmp
    current: Path | None = writer.out if incremental else None
    by_year: dict[int, list[Any]] = defaultdict(list)
    for report in index.reports:
        by_year[report.year].append(report)
    before = _report_documents(current) if current is not None else {}
    written: list[str] = []
    for year in sorted(by_year):
        reports = sorted(by_year[year], key=lambda r: (r.unit_id, r.kind))
        documents = [paths.report_json(r.unit_id, r.slug) for r in reports]
        outputs = [paths.year_xlsx(year), paths.year_datapackage(year)]
        kept = current is not None and _unchanged(site, current, before.get(year, set()), documents)
        if kept and all(writer.keep(path) for path in outputs):
            continue
        build_year(site, year, documents)
        written += outputs
    return written


def _report_documents(current: Path) -> dict[int, set[str]]:
    """Return the report JSON files of the current site by year (one pass over its folders)."""
    found: dict[int, set[str]] = defaultdict(set)
    root = current / paths.DOWNLOADS
    units = sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    for unit in units:
        for report in unit.iterdir():
            year, _, kind = report.name.partition("-")
            if year.isdigit() and kind and (report / "report.json").is_file():
                found[int(year)].add(paths.report_json(unit.name, report.name))
    return found


def _unchanged(site: Path, current: Path, before: set[str], documents: list[str]) -> bool:
    """Tell whether the year's report JSON files are the very files of the current site (linked)."""
    if before != set(documents):
        return False
    try:
        return all(os.path.samefile(site / d, current / d) for d in documents)
    except OSError:
        return False


def build_year(site: Path, year: int, documents: list[str]) -> None:
    """Build the year's workbook and descriptor from its reports' JSON files."""
    book = Workbook(f"{year}年度部门预决算公开数据", paths.stamp(), spool=True)
    package = FiscalPackage(year)
    sheets: dict[tuple[int, str, str], tuple[Sheet, int]] = {}
    for document in documents:
        report = json.loads((site / document).read_text(encoding="utf-8"))
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
    target = site / paths.year_xlsx(year)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)  # never write through a link into the current site
    with target.open("wb") as out:
        book.save(out)
    package.save(site / paths.year_datapackage(year))
