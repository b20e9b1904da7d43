"""A year's `datapackage.json` following the Fiscal Data Package (0.3) specification.

Resources are the per-report table CSVs of the year (typed Table Schema fields). The model maps
every amount column to a measure (CNY, factor 10 000 for 万元, phase 决算 → executed / 预算 →
approved, direction from the column or table name) and the code columns to classification
dimensions (功能分类 → functional, 经济分类 → economic), plus the reporting unit as an entity.

The descriptor is streamed: resources, measures and dimensions go to temporary files as each report
is read, and are joined at the end, so memory does not grow with the number of reports.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import IO, Any

from . import paths
from .texts import dump

PHASES = {"final": ("executed", "决算"), "budget": ("approved", "预算")}
CLASSIFICATIONS = {"function": "functional", "economic": "economic"}


def direction(*names: str) -> str | None:
    """Return revenue or expenditure from the first name that says only one of 收入 / 支出."""
    for name in names:
        income, spending = "收入" in name, "支出" in name
        if income != spending:
            return "revenue" if income else "expenditure"
    return None


class _Section:
    """Comma-separated JSON fragments collected in a temporary file."""

    def __init__(self) -> None:
        self.file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed in copy_to
        self.count = 0

    def add(self, text: str) -> None:
        self.file.write((("," if self.count else "") + text).encode("utf-8"))
        self.count += 1

    def copy_to(self, out: IO[bytes]) -> None:
        self.file.seek(0)
        while chunk := self.file.read(1 << 20):
            out.write(chunk)
        self.file.close()


class FiscalPackage:
    """Collect the descriptor of one year, report by report."""

    def __init__(self, year: int):
        self.year = year
        self.resources = _Section()
        self.measures = _Section()
        self.dimensions = _Section()

    def add(self, report: dict[str, Any], table: dict[str, Any]) -> None:
        """Describe one table CSV of a report: its resource, measures and dimensions."""
        unit = report["unit"]
        slug = f"{report['year']}-{report['kind']}"
        name = f"{unit['id']}.{slug}.{table['id']}"
        fields = table["fields"]
        self.resources.add(
            dump(
                {
                    "name": name,
                    "title": f"{unit['name']} {report['year']}年度{report['kind_label']} {table['number']} {table['title']}",
                    "path": paths.package_path(unit["id"], slug, table["id"]),
                    "profile": "tabular-data-resource",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "dialect": {"delimiter": ",", "header": True, "lineTerminator": "\r\n"},
                    "schema": {"fields": [{"name": f["name"], "type": f["type"]} for f in fields]},
                }
            )
        )
        phase = PHASES.get(report["kind"])
        for f in fields:
            if f["type"] != "number":
                continue
            measure: dict[str, Any] = {
                "source": f["name"], "resource": name, "currency": "CNY", "factor": 10000, "title": f["name"],
            }  # fmt: skip
            if phase and table["layout"] != "record":  # 09 holds 预算数 and 决算数 rows: phase varies by row
                measure["phase"], measure["phaseLabel"] = phase
            way = direction(f["name"], table["title"])
            if way:
                measure["direction"] = way
            self.measures.add(f"{dump(name + ':' + f['name'])}:{dump(measure)}")
        for key, dimension in self._dimensions(name, unit, table).items():
            self.dimensions.add(f"{dump(key)}:{dump(dimension)}")

    @staticmethod
    def _dimensions(name: str, unit: dict[str, str], table: dict[str, Any]) -> dict[str, Any]:
        roles = {f.get("role"): f["name"] for f in table["fields"] if "role" in f}

        def attr(source: str, **extra: str) -> dict[str, str]:
            return {"source": source, "resource": name, **extra}

        dimensions: dict[str, Any] = {
            f"{name}:unit": {
                "dimensionType": "entity",
                "primaryKey": "id",
                "attributes": {
                    "id": {"constant": unit["id"], "resource": name},
                    "title": {"constant": unit["name"], "resource": name, "labelfor": "id"},
                },
            }
        }
        kind = CLASSIFICATIONS.get(table.get("classification") or "", "functional")
        if "code" in roles:
            dimensions[f"{name}:{kind}"] = {
                "dimensionType": "classification",
                "classificationType": kind,
                "primaryKey": "code",
                "attributes": {"code": attr(roles["code"]), "title": attr(roles["name"], labelfor="code")},
            }
        if "code2" in roles:  # the same rows in the government (政府预算支出) economic classification
            dimensions[f"{name}:{kind}-government"] = {
                "dimensionType": "classification",
                "classificationType": kind,
                "primaryKey": "code",
                "attributes": {"code": attr(roles["code2"]), "title": attr(roles["name2"], labelfor="code")},
            }
        if "category" in roles:  # a list of projects
            dimensions[f"{name}:project"] = {
                "dimensionType": "activity",
                "primaryKey": "title",
                "attributes": {"title": attr(roles["name"]), "category": attr(roles["category"])},
            }
        if "line" in roles:
            dimensions[f"{name}:line"] = {
                "dimensionType": "other",
                "primaryKey": "line",
                "attributes": {
                    "line": attr(roles["line"]),
                    "title": attr(roles["name"], labelfor="line"),
                    "side": attr(roles["side"]),
                },
            }
        if "record" in roles:
            dimensions[f"{name}:record"] = {
                "dimensionType": "other",
                "primaryKey": "title",
                "attributes": {"title": attr(roles["record"])},
            }
        return dimensions

    def save(self, path: Path) -> None:
        """Write the descriptor (top-level keys sorted) and drop the temporary files."""
        year = self.year
        head = {
            "countryCode": "cn",
            "description": f"{year}年度部门预决算公开表格（金额单位：万元）。每个资源是一份报告的一张表（CSV，UTF-8）。",
            "fiscalPeriod": {"start": f"{year}-01-01", "end": f"{year}-12-31"},
            "granularity": "aggregated",
            "name": f"disclosure-{year}",
            "profile": "fiscal-data-package",
            "profiles": {"fiscal": "*", "tabular": "*"},
            "title": f"{year}年度部门预决算公开数据",
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        with path.open("wb") as out:
            write = out.write
            first = True
            for key in sorted([*head, "model", "resources"]):
                write((("{" if first else ",") + dump(key) + ":").encode("utf-8"))
                first = False
                if key == "model":
                    write(b'{"dimensions":{')
                    self.dimensions.copy_to(out)
                    write(b'},"measures":{')
                    self.measures.copy_to(out)
                    write(b"}}")
                elif key == "resources":
                    write(b"[")
                    self.resources.copy_to(out)
                    write(b"]")
                else:
                    write(dump(head[key]).encode("utf-8"))
            write(b"}\n")
