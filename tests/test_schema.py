"""The published JSON Schemas accept the bundled data, reject typos, and match the profiles."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from disclosure.commands.schema import schema_files
from disclosure.config import PortalConfig

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "data" / "schema"


def _stringify_keys(value):
    """JSON (and editors' YAML servers) see every mapping key as a string."""
    if isinstance(value, dict):
        return {str(k): _stringify_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stringify_keys(v) for v in value]
    return value


def _validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8")))


def test_committed_schemas_are_current():
    generated = schema_files(ROOT, PortalConfig())
    for name, text in generated.items():
        assert (SCHEMA_DIR / name).read_text(encoding="utf-8") == text, (
            f"运行 python build.py schema 更新 {name}"
        )


@pytest.mark.parametrize("path", sorted(ROOT.glob("data/*/20*-final.yaml")), ids=lambda p: p.parent.name)
def test_bundled_reports_validate(path):
    data = _stringify_keys(yaml.safe_load(path.read_text(encoding="utf-8")))
    errors = list(_validator("report-national-final.schema.json").iter_errors(data))
    assert errors == []


@pytest.mark.parametrize("path", sorted(ROOT.glob("data/*/unit.yaml")), ids=lambda p: p.parent.name)
def test_bundled_units_validate(path):
    assert (
        list(_validator("unit.schema.json").iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
        == []
    )


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["表"].__setitem__("公开11表", {}),
        lambda d: d["表"]["公开01表"].__setitem__("30", 5),
        lambda d: d["表"]["公开02表"]["科目"].append(["208", "名称", 1, 2, 3, 4, 5, 6, 7, 8]),
        lambda d: d.__setitem__("三公经费", {"因公出国团组": -1}),
        lambda d: d.__setitem__("年度x", 2024),
    ],
    ids=["unknown-table", "blank-line", "too-many-columns", "negative-count", "typo-key"],
)
def test_schema_rejects_mistakes(mutate):
    path = ROOT / "data" / "jinan-shizhong-ybj" / "2024-final.yaml"
    data = _stringify_keys(yaml.safe_load(path.read_text(encoding="utf-8")))
    mutate(data)
    assert list(_validator("report-national-final.schema.json").iter_errors(data))
