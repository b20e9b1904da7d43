"""Where the open-data files live in the site, and the fixed time stamped into them.

Every path is relative to the site root. A report's files sit beside each other under
downloads/<unit>/<year>-<kind>/ and a year's files under downloads/years/<year>/; the report page
(units/<unit>/<year>-<kind>/index.html) and the year page link to them relatively.
"""

from __future__ import annotations

import datetime as dt
import os

DOWNLOADS = "downloads"
FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)


def report_folder(unit_id: str, slug: str) -> str:
    """Return the folder of a report's downloads, e.g. downloads/jinan-shizhong-ybj/2024-final."""
    return f"{DOWNLOADS}/{unit_id}/{slug}"


def table_file(unit_id: str, slug: str, table_id: str, suffix: str) -> str:
    """Return one table's file, e.g. downloads/<unit>/2024-final/final-02.csv."""
    return f"{report_folder(unit_id, slug)}/{table_id}.{suffix}"


def report_json(unit_id: str, slug: str) -> str:
    """Return the whole report as JSON."""
    return f"{report_folder(unit_id, slug)}/report.json"


def report_xlsx(unit_id: str, slug: str) -> str:
    """Return the whole report as one workbook (a sheet per table)."""
    return f"{report_folder(unit_id, slug)}/report.xlsx"


def year_folder(year: int) -> str:
    """Return the folder of a year's files."""
    return f"{DOWNLOADS}/years/{year}"


def year_xlsx(year: int) -> str:
    """Return the year's workbook (a sheet per table, rows of every unit)."""
    return f"{year_folder(year)}/{year}.xlsx"


def year_datapackage(year: int) -> str:
    """Return the year's Fiscal Data Package descriptor."""
    return f"{year_folder(year)}/datapackage.json"


def stamp() -> dt.datetime:
    """Return the time written into files: SOURCE_DATE_EPOCH when set, else a fixed date (never now)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return max(dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC), ZIP_EPOCH)
    return FIXED_TIME
