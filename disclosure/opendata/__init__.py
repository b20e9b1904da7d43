"""Open data: every table as CSV and XLSX, every report as JSON and XLSX, every year as one workbook
and a Fiscal Data Package descriptor — generated from the same model as the pages.

`write_downloads` runs in the unit workers beside the pages (its records carry unchanged files over
in incremental builds); `write_year_downloads` runs once after the units, reading back the reports'
JSON from the new site one file at a time.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..output import carry, put_file
from .report import report_files, report_paths
from .year import report_documents, write_year_downloads, year_workers

if TYPE_CHECKING:
    from ..model import Unit

__all__ = ["report_documents", "report_files", "write_downloads", "write_year_downloads", "year_workers"]


def write_downloads(
    job: Any, unit: Unit, previous: Any, changed: set[str]
) -> dict[str, dict[str, list[str]]]:
    """Write a unit's download files into job.render_into; return their records (sources, no templates).

    A report whose files were recorded last time with the same, unchanged sources is carried over
    (by hard link, or left in place when the site is updated in place); otherwise its files are built
    again, and each that comes out byte-identical to the current site's is kept rather than
    rewritten (so the year files can tell nothing moved).
    """
    into: Path = job.render_into
    keep_from: Path | None = job.keep_from
    old_pages: Mapping[str, dict[str, list[str]]] = (previous.pages or {}) if previous is not None else {}
    records: dict[str, dict[str, list[str]]] = {}
    for report in unit.reports:
        sources = sorted(set(report.files))
        record = {"sources": sources, "templates": []}
        wanted = report_paths(report)
        olds = [old_pages.get(p) for p in wanted]
        if (
            keep_from is not None
            and all(o is not None and o["sources"] == sources for o in olds)
            and not changed.intersection(sources)
            and all(carry(keep_from, into, p, job.in_place) for p in wanted)
        ):
            records.update({p: record for p in wanted})
            continue
        for path, data in report_files(report, unit.name).items():
            put_file(into / path, data, keep_from / path if keep_from is not None else None, job.in_place)
            records[path] = record
    return records
