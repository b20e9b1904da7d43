"""JSON Schemas of the data files, generated from the table profiles so editors can check as one types."""

from __future__ import annotations

import json
from typing import Any

from .model import (
    BUDGET_OPERATING_KEYS,
    OPERATING_KEYS,
    PROCUREMENT_KEYS,
    THREE_PUBLIC_AMOUNTS,
    THREE_PUBLIC_COUNTS,
    VEHICLE_KINDS,
)
from .performance import DEVIATION_COLUMNS, FUND_COLUMNS, INDICATOR_COLUMNS, MANAGEMENT_COLUMNS
from .profile import Profile, TableDef

AMOUNT: dict[str, Any] = {
    "description": '金额（万元，两位小数），如 1547.33 或 "1,547.33"',
    "anyOf": [
        {"type": "number"},
        {"type": "string", "pattern": r"^\s*-?[\d,\s]*(\.\s*\d+)?\s*$|^(—|——|-)?$"},
        {"type": "null"},
    ],
}
COUNT: dict[str, Any] = {"type": "integer", "minimum": 0}
CODE: dict[str, Any] = {"description": "科目代码：类 3 位、款 5 位、项 7 位", "type": ["integer", "string"]}


def _row(columns: list[str]) -> dict[str, Any]:
    return {
        "type": "array",
        "description": "[科目代码, 科目名称, " + ", ".join(columns) + "]（行末的零可省略）",
        "prefixItems": [CODE, {"type": "string"}],
        "items": AMOUNT,
        "minItems": 2,
        "maxItems": 2 + len(columns),
    }


def _amounts(columns: list[str]) -> dict[str, Any]:
    if len(columns) == 1:
        return AMOUNT
    return {
        "description": "[" + ", ".join(columns) + "]",
        "anyOf": [{"type": "array", "items": AMOUNT, "maxItems": len(columns)}, AMOUNT],
    }


def table_schema(table: TableDef) -> dict[str, Any]:
    """Return the schema of one table's data, by its layout."""
    labels = [
        c.label if c.label != c.key and table.layout != "record" else c.key for c in table.all_columns()
    ]
    schema: dict[str, Any] = {
        "type": "object",
        "description": f"{table.title}",
        "additionalProperties": False,
    }
    props: dict[str, Any] = {"注": {"type": "string", "description": "替换表下的注释（如“故本表无数据”）"}}
    if table.layout == "balance":
        for side in table.sides:
            for row in side.rows:
                if row.label:
                    item = dict(_amounts([c.label for c in side.columns]))
                    item["description"] = f"第{row.line}行 {row.label}：" + item.get("description", "金额")
                    props[str(row.line)] = item
    elif table.layout in ("subject", "economic"):
        props["科目"] = {"type": "array", "items": _row(labels)}
        if table.layout == "subject":
            props["合计"] = {"type": "array", "items": AMOUNT, "maxItems": len(labels),
                             "description": "[" + ", ".join(labels) + "]（可不写，按类汇总）"}  # fmt: skip
        for subtotal in table.subtotals:
            props[subtotal.key] = AMOUNT
    elif table.layout in ("paired", "items"):
        key, lead = ("科目", ["部门经济分类代码", "名称", "政府经济分类代码", "名称"]) if table.layout == "paired" else (
            "项目", ["项目名称", "项目类别"])  # fmt: skip
        first = [CODE, {"type": "string"}, CODE, {"type": "string"}] if table.layout == "paired" else [
            {"type": "string"}, {"type": "string"}]  # fmt: skip
        props[key] = {"type": "array", "items": {
            "type": "array", "description": "[" + ", ".join(lead + labels) + "]（行末的零可省略）",
            "prefixItems": first, "items": AMOUNT, "minItems": len(lead), "maxItems": len(lead) + len(labels)}}  # fmt: skip
        props["合计"] = {"type": "array", "items": AMOUNT, "maxItems": len(labels),
                         "description": "[" + ", ".join(labels) + "]（可不写，按行汇总）"}  # fmt: skip
    elif table.layout == "record":
        for record in table.records:
            props[record] = {"type": "array", "items": AMOUNT, "maxItems": len(labels),
                             "description": "[" + ", ".join(labels) + "]"}  # fmt: skip
    schema["properties"] = props
    return schema


def _object(keys: tuple[str, ...], value: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "additionalProperties": False,
        "properties": {k: value for k in keys},
    }


def report_schema(profile: Profile) -> dict[str, Any]:
    """Return the JSON Schema of a report file that uses this profile."""
    three = _object(THREE_PUBLIC_COUNTS, COUNT, "“三公”经费的团组、人次、车辆、批次")
    three["properties"].update({k: AMOUNT for k in THREE_PUBLIC_AMOUNTS})
    project = {
        "type": "object",
        "required": ["名称"],
        "additionalProperties": False,
        "properties": {
            "名称": {"type": "string"},
            "使用单位": {"type": "string"},
            "全年预算数": AMOUNT,
            "全年执行数": AMOUNT,
            "得分": AMOUNT,
            "等级": {"enum": ["优", "良", "中", "差"]},
        },
    }
    schema = _report_schema(profile, three, project)
    if profile.kind == "budget":
        indicator = {"type": "array", "description": "[一级指标, 二级指标, 三级指标, 指标值]",
                     "items": {"type": ["string", "number"]}, "minItems": 4, "maxItems": 4}  # fmt: skip
        target = {"type": "object", "required": ["项目名称"], "additionalProperties": False, "properties": {
            "项目名称": {"type": "string"}, "主管部门": {"type": "string"}, "实施单位": {"type": "string"},
            "年度预算资金总额": AMOUNT, "财政拨款": AMOUNT, "其他资金": AMOUNT, "年度总体绩效目标": {"type": "string"},
            "指标": {"type": "array", "items": indicator}}}  # fmt: skip
        schema["properties"]["绩效目标"] = {
            "type": "array",
            "description": "项目支出绩效目标表",
            "items": target,
        }
    return schema


def _report_schema(profile: Profile, three: dict[str, Any], project: dict[str, Any]) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"{profile.name}（{profile.id}）报告文件",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "年度": {"type": "integer", "minimum": 2000, "maximum": 2100},
            "类型": {"enum": ["决算", "预算", "final", "budget"]},
            "格式": {"type": "string", "description": "表样 id", "default": profile.id},
            "名称": {"type": "string", "description": "报告标题，默认“单位名称+年度+部门（单位）决算”"},
            "表注后缀": {"type": "string"},
            "表": {
                "type": "object",
                "additionalProperties": False,
                "properties": {t.number: table_schema(t) for t in profile.tables},
            },
            "上年": _object(tuple(profile.figures) + ("机关运行经费",), AMOUNT, "上年度决算数"),
            "年初预算": {
                "type": "object",
                "properties": {
                    "科目": {
                        "type": "object",
                        "additionalProperties": AMOUNT,
                        "description": "项 代码: 年初预算数",
                    },
                },
                "additionalProperties": AMOUNT,
            },
            "三公经费": three,
            "机关运行经费": _object(
                BUDGET_OPERATING_KEYS if profile.kind == "budget" else OPERATING_KEYS, AMOUNT, "机关运行经费"
            ),
            "政府采购": _object(PROCUREMENT_KEYS, AMOUNT, "政府采购支出"),
            "国有资产": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "车辆": _object(VEHICLE_KINDS, COUNT, "车辆（辆）"),
                    "其他用车说明": {"type": "string"},
                    "大型设备": COUNT,
                },
            },
            "预算绩效": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "自评项目": {"type": "array", "items": project},
                    "自评表": {
                        "type": "array",
                        "description": "项目支出绩效自评表",
                        "items": self_evaluation_schema(),
                    },
                    "自评表注": {"type": "string", "description": "印在每张自评表下的注"},
                },
            },
        },
    }


def _rows(columns: tuple[str, ...], least: int) -> dict[str, Any]:
    cell = {"type": ["string", "number", "null"]}
    row = {"type": "array", "items": cell, "minItems": least, "maxItems": len(columns)}
    return {"type": "array", "description": "每行 [" + ", ".join(columns) + "]", "items": row}


def self_evaluation_schema() -> dict[str, Any]:
    """Return the schema of one 项目支出绩效自评表 (预算绩效.自评表[])."""
    text = {"type": ["string", "number"]}
    return {
        "type": "object",
        "required": ["项目名称"],
        "additionalProperties": False,
        "properties": {
            "项目名称": {"type": "string"},
            "汇总表名称": {"type": "string", "description": "汇总表（自评项目）中的名称与本表不同时写"},
            "主管部门": {"type": "string"},
            "实施单位": {"type": "string"},
            "填报日期": {"type": "string"},
            "资金": _rows(FUND_COLUMNS, 1),
            "资金管理": _rows(MANAGEMENT_COLUMNS, 1),
            "年度总体目标": {
                "type": "object",
                "additionalProperties": False,
                "properties": {"预期": {"type": "string"}, "实际": {"type": "string"}},
            },
            "指标": _rows(DEVIATION_COLUMNS, 7)
            | {"description": "每行 [" + ", ".join(INDICATOR_COLUMNS) + "]，有偏差度时写在得分之后"},
            "总分值": text,
            "总分": text,
            "等级": {"enum": ["优", "良", "中", "差"]},
            "未达标说明": {"type": "string"},
        },
    }


def unit_schema() -> dict[str, Any]:
    """Return the JSON Schema of unit.yaml."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "单位信息 unit.yaml",
        "type": "object",
        "required": ["名称"],
        "additionalProperties": False,
        "properties": {
            "名称": {"type": "string"},
            "级别": {"enum": ["部门", "单位"]},
            "上级部门": {"type": ["string", "null"], "description": "所属部门的单位代码"},
            "地区": {"type": "string"},
            "包含单位": {"type": "array", "items": {"type": "string"}},
        },
    }


def dump(schema: dict[str, Any]) -> str:
    """Serialize a schema deterministically."""
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
