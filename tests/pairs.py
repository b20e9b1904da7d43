"""A unit-year with both a 预算 and a 决算, for tests: the bundled 济南 2024 决算 with the bundled 预算
(seed 002) re-dated beside it. No bundled unit has both, and data/ holds only real documents, so the
pair is made in a throw-away copy of the portal, with the same functions the synthetic portal uses.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml
from helpers import MiniPortal

from disclosure.synthetic_pairs import agreeing_final_text, budget_text, load_budget_seed

UNIT = "jinan-shizhong-ybj"
YEAR = 2024
FINAL = f"data/{UNIT}/{YEAR}-final.yaml"
BUDGET = f"data/{UNIT}/{YEAR}-budget.yaml"
FINAL_PAGE = f"units/{UNIT}/{YEAR}-final/index.html"
BUDGET_PAGE = f"units/{UNIT}/{YEAR}-budget/index.html"


def add_budget(portal: MiniPortal, *, agreeing: bool = True) -> None:
    """Put a 预算 beside the 决算; with agreeing, rewrite the 决算's typed year-start figures to match."""
    seed = load_budget_seed(portal.root)
    assert seed is not None, "the bundled 预算 (data/*/20*-budget.yaml) is missing"
    portal.write(BUDGET, budget_text(seed, YEAR, previous_in_portal=False))
    if seed.prose is not None:
        portal.write(f"content/{UNIT}/{YEAR}-budget.md", seed.prose.read_text(encoding="utf-8"))
    if agreeing:
        portal.write(FINAL, agreeing_final_text(portal.read(FINAL), seed))


def raw(portal: MiniPortal, rel: str) -> Any:
    """Load a data file with every scalar as its exact text (the expected values come from here)."""
    return yaml.load(portal.read(rel), Loader=yaml.BaseLoader)


def amount(text: str | None) -> Decimal:
    """Read an amount as typed (blank is zero)."""
    return Decimal(text) if text not in (None, "") else Decimal(0)


def budget_items(portal: MiniPortal) -> dict[str, Decimal]:
    """Each 项's 合计 of the 预算's 一般公共预算支出情况表 (表五), read from the YAML."""
    rows = raw(portal, BUDGET)["表"]["表五"]["科目"]
    return {row[0]: amount(row[2]) for row in rows if len(row[0]) == 7}


def final_items(portal: MiniPortal) -> dict[str, Decimal]:
    """Each 项's 小计 of the 决算's 公开05表, read from the YAML."""
    rows = raw(portal, FINAL)["表"]["公开05表"]["科目"]
    return {row[0]: amount(row[2]) for row in rows if len(row[0]) == 7}
