"""The figures the notes need, read from the documents' fixed sentences, equal the bundled reports'."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import REPO, SEED_DIR

from disclosure.importing.mapping import import_document
from disclosure.importing.read import read_source

if SEED_DIR is None:
    if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
        raise RuntimeError("seed documents not found: set DISCLOSURE_SEEDS or add tests/seeds/")
    pytest.skip("seed documents not found (set DISCLOSURE_SEEDS)", allow_module_level=True)

SECTIONS = ("上年", "年初预算", "三公经费", "机关运行经费", "政府采购", "国有资产")


def imported(name: str, year: int) -> dict[str, Any]:
    return import_document(
        read_source(Path(SEED_DIR) / name), unit="u", year=year, kind=None, profile=None
    ).data


def bundled(rel: str) -> dict[str, Any]:
    return yaml.load((REPO / rel).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def same(mine: Any, theirs: Any, where: str, wrong: list[str]) -> None:
    """Compare nested figures as numbers (1090 = 1090.00), texts as texts."""
    if isinstance(mine, dict):
        for key, value in mine.items():
            if key not in theirs:
                wrong.append(f"{where}.{key} not in the bundled file")
                continue
            same(value, theirs[key], f"{where}.{key}", wrong)
        return
    try:
        equal = Decimal(str(mine)) == Decimal(str(theirs))
    except ArithmeticError:
        equal = mine == theirs
    if not equal:
        wrong.append(f"{where}: imported {mine}, bundled {theirs}")


def test_seed_000_sentences_give_every_figure_of_the_bundled_file():
    mine = imported("000_d410f008f030cfb3.txt", 2024)
    theirs = bundled("data/jinan-shizhong-ybj/2024-final.yaml")
    wrong: list[str] = []
    for section in SECTIONS:
        same(mine[section], theirs[section], section, wrong)
        assert set(mine[section]) == set(theirs[section]), section  # nothing left out either
    assert not wrong, "\n".join(wrong)
    assert mine["预算绩效"]["自评项目"] == theirs["预算绩效"]["自评项目"]  # 使用单位, 等级 from the 汇总表


def test_seed_004_other_wordings():
    mine = imported("004_037a2d5cec6712cc.txt", 2023)
    theirs = bundled("data/jiyuan-ybzx/2023-final.yaml")
    wrong: list[str] = []
    for section in ("上年", "年初预算", "三公经费", "机关运行经费", "政府采购"):
        same(mine[section], theirs[section], section, wrong)
        assert set(mine[section]) == set(theirs[section]), section  # “与上年度相比” as well as “与2022年相比”
    same(mine["国有资产"], theirs["国有资产"], "国有资产", wrong)
    assert not wrong, "\n".join(wrong)
    # “接待国内来访团组1个、来宾7人次” and “外宾接待支出 0.00万元” rather than 批次/人次 sentences.
    assert (mine["三公经费"]["国内接待批次"], mine["三公经费"]["国内接待人次"]) == ("1", "7")


def test_seed_002_budget_sentences():
    mine = imported("002_208575b2d87000bf.txt", 2024)
    theirs = bundled("data/zhaoyuan-ybj/2024-budget.yaml")
    wrong: list[str] = []
    for section in ("上年", "机关运行经费", "政府采购", "国有资产"):
        same(mine[section], theirs[section], section, wrong)
    assert not wrong, "\n".join(wrong)
    assert mine["上年"]["收支总计"] == "4283.65"  # 4,643.47 “比上年增加359.82万元”


def test_seed_002_project_targets():
    mine = imported("002_208575b2d87000bf.txt", 2024)["绩效目标"]
    theirs = bundled("data/zhaoyuan-ybj/2024-budget.yaml")["绩效目标"]
    assert len(mine) == len(theirs) == 7
    for got, expected in zip(mine, theirs, strict=True):
        if expected["项目名称"].startswith("DRG"):
            # The bundled file writes the name of 表十一; the target table prints it differently (a real slip).
            assert got["项目名称"] == "DRG试点经费项目2024年16万"
            expected = {**expected, "项目名称": got["项目名称"]}
        assert got["指标"] == expected["指标"], got["项目名称"]
        for field in ("项目名称", "主管部门", "实施单位", "年度总体绩效目标"):
            assert got[field] == expected[field], (got["项目名称"], field)
        assert Decimal(got["年度预算资金总额"]) == Decimal(expected["年度预算资金总额"])


def test_reasons_wrapped_over_two_lines_are_whole():
    result = import_document(
        read_source(Path(SEED_DIR) / "004_037a2d5cec6712cc.txt"), unit="u", year=2023, kind=None, profile=None
    )
    prose = result.content["u/2023-final.md"]
    # 第 483–484 行: “…购置大厅医保业务终端的信息化项” / “目经费。”
    assert "## 项/2080108\n\n追加了用于购置大厅医保业务终端的信息化项目经费。\n" in prose
