"""Synthetic 预算 beside a synthetic 决算 of the same unit-year, with figures that agree.

The 预算 is the bundled budget seed re-dated to the 决算's year. The 决算 is then made to agree with it,
as an officer who has the 预算 at hand would fill it in: its typed 年初预算 (一般公共预算 total and each 项
both reports name) and 机关运行经费 年初预算数 are the 预算's figures, and its 公开09表 预算数 is the 预算's
“三公” 本年预算数. So `check` finds nothing to say about the pair, and the 决算 notes, the 图5-4 chart
and the cross checks all take the paired path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# The national-budget profile's tables: 一般公共预算支出情况表 (by 科目) and the “三公” table.
GENERAL_TABLE = "表五"
THREE_PUBLIC_TABLE = "表七"
ITEM_CODE_LENGTH = 7


@dataclass(frozen=True)
class BudgetSeed:
    """A bundled 预算 with the figures a 决算 of the same year takes from it (as printed text)."""

    text: str
    year: int
    prose: Path | None
    total: str
    items: dict[str, str]
    three_public: list[str]
    operating: str | None


def load_budget_seed(root: Path) -> BudgetSeed | None:
    """Return the first bundled 预算 (data/*/20*-budget.yaml), or None when there is none."""
    paths = sorted((root / "data").glob("*/20*-budget.yaml"))
    if not paths:
        return None
    path = paths[0]
    text = path.read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.load(text, Loader=yaml.BaseLoader)
    general = data["表"][GENERAL_TABLE]
    year = int(path.name[:4])
    prose = root / "content" / path.parent.name / f"{year}-budget.md"
    operating = (data.get("机关运行经费") or {}).get("预算数")
    return BudgetSeed(
        text, year, prose if prose.is_file() else None, general["合计"][0],
        {row[0]: row[2] for row in general["科目"] if len(row[0]) == ITEM_CODE_LENGTH},
        list(data["表"][THREE_PUBLIC_TABLE]["本年预算数"]), operating,
    )  # fmt: skip


def budget_text(seed: BudgetSeed, year: int, previous_in_portal: bool) -> str:
    """Return the seed 预算 re-dated to a year, titled after its unit (no 名称), 上年 dropped when known."""
    text = seed.text.replace(f"年度: {seed.year}", f"年度: {year}", 1)
    text = re.sub(r"^名称:.*\n", "", text, count=1, flags=re.M)
    return drop_block(text, "上年") if previous_in_portal else text


def agreeing_final_text(final: str, seed: BudgetSeed) -> str:
    """Return a 决算's YAML with its year-start figures and 公开09表 预算数 taken from the 预算."""
    typed = (yaml.load(final, Loader=yaml.BaseLoader).get("年初预算") or {}).get("科目") or {}
    items = [f"    {code}: {seed.items[code]}" for code in typed if code in seed.items]
    block = ["年初预算:                   # 与同年度预算的一般公共预算支出情况表一致"]
    block += [f"  一般公共预算财政拨款支出: {seed.total}", *(["  科目:", *items] if items else [])]
    text = replace_block(final, "年初预算", "\n".join(block) + "\n")
    three = f"[{', '.join(seed.three_public)}]"
    text = edit_block(
        text,
        "  公开09表",
        lambda body: re.sub(r"^(\s+预算数: )\[[^\]]*\]", rf"\g<1>{three}", body, flags=re.M),
    )
    text = edit_block(text, "  公开09表", lambda body: re.sub(r"^\s+注:.*\n", "", body, flags=re.M))
    if seed.operating is not None:
        text = edit_block(
            text, "机关运行经费",
            lambda body: re.sub(r"^(  年初预算数: ).*$", rf"\g<1>{seed.operating}", body, flags=re.M),
        )  # fmt: skip
    return text


def block_span(text: str, key: str) -> tuple[int, int] | None:
    """Return the character span of a YAML block: the line `key:` and the more-indented lines after it."""
    match = re.search(rf"^{re.escape(key)}:[^\n]*\n", text, re.M)
    if match is None:
        return None
    indent = len(key) - len(key.lstrip(" "))
    for following in re.finditer(r"^( *)(\S)[^\n]*$", text[match.end() :], re.M):
        if len(following.group(1)) <= indent and following.group(2) != "#":
            return match.start(), match.end() + following.start()
    return match.start(), len(text)


def replace_block(text: str, key: str, new: str) -> str:
    """Replace a YAML block by new text (appended when the block is absent)."""
    span = block_span(text, key)
    if span is None:
        return text.rstrip("\n") + "\n\n" + new
    return text[: span[0]] + new + "\n" + text[span[1] :].lstrip("\n")


def edit_block(text: str, key: str, change: Any) -> str:
    """Apply change(block text) to one YAML block."""
    span = block_span(text, key)
    if span is None:
        return text
    return text[: span[0]] + change(text[span[0] : span[1]]) + text[span[1] :]


def drop_block(text: str, key: str) -> str:
    """Drop a top-level YAML block."""
    span = block_span(text, key)
    return text if span is None else text[: span[0]] + text[span[1] :]


def add_budgets(target: Path, unit_id: str, number: int, years: list[int], seed: BudgetSeed) -> None:
    """Give each 决算 of a synthetic unit a 预算 of its year, and make the 决算 agree with it."""
    folder, content = target / "data" / unit_id, target / "content" / unit_id
    for year in years:
        final = folder / f"{year}-final.yaml"
        final.write_text(agreeing_final_text(final.read_text(encoding="utf-8"), seed), encoding="utf-8")
        text = budget_text(seed, year, previous_in_portal=year - 1 in years)
        (folder / f"{year}-budget.yaml").write_text(text, encoding="utf-8")
        if seed.prose is not None:
            prose = seed.prose.read_text(encoding="utf-8").rstrip()
            marker = f"（样例单位 {number}，{year} 年度预算）"
            (content / f"{year}-budget.md").write_text(f"{prose}\n\n{marker}\n", encoding="utf-8")
