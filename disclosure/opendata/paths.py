"""Where the open-data files live in the site, and the fixed time stamped into them.

Every path is relative to the site root. A year's files are one folder, downloads/<year>/: its
workbook, its datapackage.json and, below them, each report's files in <unit>/<kind>/ — so the
data package's resources sit inside the package folder (no "../" in their paths, as Frictionless
requires). The report page (units/<unit>/<year>-<kind>/index.html) and the year page link to them
relatively.
"""

from __future__ import annotations

import datetime as dt
import os

DOWNLOADS = "downloads"
FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)


def report_folder(unit_id: str, slug: str) -> str:
    """Return the folder of a report's downloads, e.g. downloads/2024/jinan-shizhong-ybj/final."""
    year, _, kind = slug.partition("-")
    return f"{DOWNLOADS}/{year}/{unit_id}/{kind}"


def package_path(unit_id: str, slug: str, table_id: str) -> str:
    """Return a table CSV's path inside its year's data package, e.g. jinan-shizhong-ybj/final/final-02.csv."""
    return f"{unit_id}/{slug.partition('-')[2]}/{table_id}.csv"


def table_file(unit_id: str, slug: str, table_id: str, suffix: str) -> str:
    """Return one table's file, e.g. downloads/2024/<unit>/final/final-02.csv."""
    return f"{report_folder(unit_id, slug)}/{table_id}.{suffix}"


def report_json(unit_id: str, slug: str) -> str:
    """Return the whole report as JSON."""
    return f"{report_folder(unit_id, slug)}/report.json"


def report_xlsx(unit_id: str, slug: str) -> str:
    """Return the whole report as one workbook (a sheet per table)."""
    return f"{report_folder(unit_id, slug)}/report.xlsx"


def year_folder(year: int) -> str:
    """Return the folder of a year's files (its data package)."""
    return f"{DOWNLOADS}/{year}"


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
