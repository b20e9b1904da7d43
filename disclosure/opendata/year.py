"""A year's downloads: one workbook with a sheet per table (rows of every unit) and datapackage.json.

Both are built from the reports' JSON files already written into the new site, read one at a time
and streamed out (rows to per-sheet temporary files), so memory stays flat however many reports a
year has. In an incremental build a year whose report files all carried over unchanged keeps its
files from the current site (the reports' own files are compared byte for byte when redone).
"""

from __future__ import annotations

import json
import multiprocessing
import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import paths
from .fiscal import FiscalPackage
from .rows import AMOUNT, INTEGER, TEXT, amount_text
from .xlsx import Sheet, Workbook

UNIT_COLUMNS = ["单位代码", "单位名称"]
_AMOUNT_LINES = re.compile(r"(?:(?:-?\d+\.\d\d+|0)\n)*")  # amounts with two decimals or more, or 0
KIND_ORDER = {"final": 0, "budget": 1}  # 决算 sheets first, then 预算


def write_year_downloads(
    writer: Any, index: Any, before: dict[int, set[str]] | None = None, pool: Any = None
) -> YearDownloads:
    """Start writing every year's workbook and datapackage.json into the new site.

    before: the report JSON files of the current site by year (None in a full build); a year whose
    reports are those very files, unchanged, keeps its two files. With a pool (any worker pool)
    the years are built in those processes while the caller goes on with the shared pages and the search
    index; `finish()` waits for them and returns the paths written.
    """
    by_year: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for report in index.each_report():  # their files' paths only: the summaries may be on disk
        by_year[report.year].append((report.unit_id, report.kind, report.slug))
    todo: list[tuple[int, list[str]]] = []
    for year in sorted(by_year):
        documents = [paths.report_json(unit_id, slug) for unit_id, _, slug in sorted(by_year[year])]
        outputs = [paths.year_xlsx(year), paths.year_datapackage(year)]
        kept = (
            before is not None
            and before.get(year, set()) == set(documents)
            and all(writer.unchanged(d) for d in documents)
        )
        if not (kept and all(writer.keep(path) for path in outputs)):
            todo.append((year, documents))
    return YearDownloads(writer, todo, pool)


def _build_sent(item: tuple[Any, int, list[str]]) -> int:
    build_year(*item)
    return item[1]


def year_workers(writer: Any, processes: int) -> Any:
    """Start processes of their own that will build the years (None for one process).

    The build hands the years to its unit workers instead; this pool is for callers without one
    (the benchmark's floor). The caller closes the pool (terminate, join).
    """
    if processes <= 1 or writer.in_place:
        return None
    return multiprocessing.get_context("fork").Pool(processes)


class YearDownloads:
    """The years being built, here or in forked processes."""

    def __init__(self, writer: Any, todo: list[tuple[int, list[str]]], pool: Any = None):
        self.writer = writer
        self.todo = todo
        self.pool = pool
        self.pending = None
        if pool is not None and len(todo) > 1:  # the writer goes with each year (a few paths)
            self.pending = pool.map_async(_build_sent, [(writer, *item) for item in todo], chunksize=1)

    def finish(self) -> list[str]:
        """Wait for every year (or build them now); return the paths written."""
        if self.pending is not None:
            self.pending.get()
        else:
            for year, documents in self.todo:
                build_year(self.writer, year, documents)
        return [p for year, _ in self.todo for p in (paths.year_xlsx(year), paths.year_datapackage(year))]


def report_documents(pages: Iterable[str]) -> dict[int, set[str]]:
    """Return the report JSON files among a site's files, by year."""
    found: dict[int, set[str]] = defaultdict(set)
    for path in pages:
        parts = path.split("/")
        if path.endswith("/report.json") and len(parts) > 2 and parts[1].isdigit():
            found[int(parts[1])].add(path)
    return found


def build_year(writer: Any, year: int, documents: list[str]) -> None:
    """Build the year's workbook and descriptor from its reports' JSON files."""
    book = Workbook(f"{year}年度部门预决算公开数据", paths.stamp(), spool=True)
    package = FiscalPackage(year)
    sheets: dict[tuple[int, str, str], tuple[Sheet, int]] = {}
    for document in documents:
        report = json.loads(writer.locate(document).read_bytes().decode("utf-8"))  # no newlines to turn
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
            sheets[key][0].text_columns(_texts(unit, table), [TEXT, TEXT] + [f["type"] for f in fields])
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


def _texts(unit: dict[str, str], table: dict[str, Any]) -> list[list[str | None]]:
    """Return a report.json table's columns as the year's sheet writes them, after the unit's."""
    rows = table["rows"]
    columns: list[list[str | None]] = [[unit["id"]] * len(rows), [unit["name"]] * len(rows)]
    for f in table["fields"]:
        name, kind = f["name"], f["type"]
        column = [row.get(name) for row in rows]
        if kind == AMOUNT:  # the Decimal's text
            columns.append(_amounts(column))
        elif kind == INTEGER:
            columns.append([None if v is None or v == "" else str(int(v)) for v in column])
        else:
            columns.append([None if v is None else str(v) for v in column])
    return columns


def _amounts(column: list[Any]) -> list[str | None]:
    """Return a column of amounts as the sheet writes them (None for an empty cell)."""
    present = [v for v in column if v is not None and v != ""]
    if all(type(v) is str for v in present):
        lines = "\n".join(present) + "\n"
        if _AMOUNT_LINES.fullmatch(lines) and lines.count("\n") == len(present):
            # Each is as amount_text writes it, or a zero: checked at once, the column as lines.
            return [None if not v else "0.00" if v == "0" else v for v in column]
    return [
        None if v is None or v == "" else amount_text(v if isinstance(v, str) else Decimal(str(v)))
        for v in column
    ]
