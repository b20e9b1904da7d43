"""The Shanghai 2024 决算 profile's checks: the fixture is clean, each cross-table rule catches a broken
figure with a located Chinese message, and any one amount changed is an error in its table."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from helpers import REPO, MiniPortal, find, listing
from shanghai_document import REPORT_FILE, make_portal

from disclosure.builder import ReportBuilder
from disclosure.money import format_money
from disclosure.problems import Level, Problems
from disclosure.profile import CellRef, Profile, Rule, find_profile, load_profiles, parse_profile
from disclosure.sources import read_sources
from disclosure.validate import load_catalog, validate_report
from disclosure.yamlsource import YamlDoc


@pytest.fixture
def portal(tmp_path: Path) -> MiniPortal:
    return MiniPortal(make_portal(tmp_path / "portal"))


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profiles()["shanghai-final"]


def test_fixture_checks_clean(portal: MiniPortal):
    checked = portal.check()
    assert [p for p in checked.problems.items if p.level is not Level.NOTE] == [], listing(checked.problems)
    assert checked.portal.reports[0].profile.id == "shanghai-final"


def test_profile_is_found_by_its_alias(portal: MiniPortal, profile: Profile):
    assert find_profile(load_profiles(), "shanghai") is profile
    portal.replace(REPORT_FILE, "格式: shanghai-final", "格式: shanghai")
    checked = portal.check()
    assert find(checked.problems, Level.ERROR) == []
    assert checked.portal.reports[0].profile is profile


# ---------------------------------------------------------------- each rule catches a broken figure


def _bump(text: str | None) -> str:
    return format_money(Decimal(str(text or "0").replace(",", "")) + Decimal("1000")).replace(",", "")


def _break_cell(data: dict, ref: CellRef, profile: Profile) -> str:
    """Add 1000 to the typed cell a reference points at (typing it when absent); return the new text."""
    definition = profile.table(ref.table)
    assert definition is not None
    table = data["表"].setdefault(ref.table, {})
    if definition.layout == "balance":
        side = definition.side_of(int(ref.row))
        assert side is not None
        keys = [c.key for c in side.columns]
        slot, index = ref.row, keys.index(ref.column or keys[0])
    elif definition.layout == "economic":
        table[ref.row] = _bump(table.get(ref.row))
        return table[ref.row]
    else:
        keys = [c.key for c in definition.columns]
        slot, index = ref.row, keys.index(ref.column or keys[0])
    if len(keys) == 1 and not isinstance(table.get(slot), list):
        table[slot] = _bump(table.get(slot))
        return table[slot]
    values = list(table.get(slot) or [])
    values += ["0.00"] * (len(keys) - len(values))
    values[index] = _bump(values[index])
    table[slot] = values
    return values[index]


def _checked_cell(rule: Rule) -> CellRef:
    """The side of an equality that the check locates its message at (validate.check_rule)."""
    return rule.right[0][1] if len(rule.right) == 1 else rule.left[0][1]


RULES = load_profiles()["shanghai-final"].rules


@pytest.mark.parametrize("rule", [r for r in RULES if r.kind == "equal"], ids=lambda r: r.name)
def test_broken_equality_gives_a_located_error(portal: MiniPortal, profile: Profile, rule: Rule):
    ref = _checked_cell(rule)
    other = rule.left if ref is not rule.left[0][1] else rule.right
    new: list[str] = []
    portal.edit_yaml(REPORT_FILE, lambda data: new.append(_break_cell(data, ref, profile)))
    problems = portal.check().problems
    described = "".join(("−" if s < 0 else ("+" if i else "")) + str(r) for i, (s, r) in enumerate(other))
    errors = find(problems, Level.ERROR, file=REPORT_FILE, table=ref.table, contains=f"≠ {described} ")
    assert len(errors) == 1, listing(problems)
    error = errors[0]
    assert "差" in error.message and error.row
    assert new[0] in portal.read(REPORT_FILE).splitlines()[error.line - 1]


@pytest.mark.parametrize("rule", [r for r in RULES if r.kind == "classes"], ids=lambda r: r.name)
def test_broken_class_gives_a_located_error(portal: MiniPortal, profile: Profile, rule: Rule):
    definition = profile.table(rule.table)
    assert definition is not None
    index = [c.key for c in definition.columns].index(rule.column)
    changed: list[str] = []

    def change(data: dict) -> None:
        rows = data["表"][rule.table].setdefault("科目", [])
        row = next((r for r in rows if len(r[0]) == 3 and Decimal(r[2 + index]) != 0), None)
        if row is None:  # an empty table: a class appears that the balance table does not have
            row = ["229", "其他支出", *["0.00"] * len(definition.columns)]
            rows.append(row)
        row[2 + index] = _bump(row[2 + index])
        changed.extend([row[0], row[2 + index]])

    portal.edit_yaml(REPORT_FILE, change)
    problems = portal.check().problems
    code, value = changed
    errors = [
        p
        for p in find(problems, Level.ERROR, table=rule.table, contains=f"≠ {rule.against}第")
        if p.row.startswith(code)
    ]
    assert len(errors) == 1, listing(problems)
    assert value in portal.read(REPORT_FILE).splitlines()[errors[0].line - 1]


def test_every_rule_is_exercised():
    """Both parametrised tests above cover every rule of the profile."""
    assert {r.kind for r in RULES} == {"equal", "classes"}
    assert len(RULES) >= 20


def test_profile_settings_reject_unknown_words():
    raw = yaml.safe_load((REPO / "disclosure/profiles/shanghai-final.yaml").read_text(encoding="utf-8"))
    raw["tables"][4]["total_position"] = "middle"
    with pytest.raises(ValueError, match="total_position: middle"):
        parse_profile(raw)


# ---------------------------------------------------------------- every amount is tied to the others


def _amount_paths(table: dict, number: str):
    """Yield the path of every amount typed in one table of the report's `表`."""
    for key, value in table.items():
        if key == "科目":
            for i, row in enumerate(value):
                yield from (("表", number, "科目", i, k) for k in range(2, len(row)))
        elif isinstance(value, list):
            yield from (("表", number, key, k) for k in range(len(value)))
        elif key != "注":
            yield ("表", number, key)


def _with(data, path, change):
    """Return data with the value at path changed, copying only the containers on the path."""
    if not path:
        return change(data)
    changed = list(data) if isinstance(data, list) else dict(data)
    changed[path[0]] = _with(data[path[0]], path[1:], change)
    return changed


@pytest.mark.parametrize("number", [f"表{n}" for n in "一二三四五六七八九"])
def test_any_one_amount_plus_one_is_an_error_in_its_table(tmp_path: Path, number: str):
    root = make_portal(tmp_path / "portal")
    problems = Problems()
    unit = read_sources(root / "data", root / "content", root, problems).units[0]
    source = unit.reports[0]
    profiles, catalog = load_profiles(), load_catalog()
    paths = list(_amount_paths(source.doc.data["表"][number], number))
    assert paths
    missed = []
    for path in paths:
        data = _with(source.doc.data, path, lambda raw: str(Decimal(str(raw)) + 1))
        variant = dataclasses.replace(source, doc=YamlDoc(data, source.doc.lines), prose=None, attachments=[])
        found = Problems()
        report = ReportBuilder(variant, profiles, found).build("上海市示例事务管理局", "部门")
        assert report is not None
        validate_report(report, catalog, found)
        if not [p for p in found.errors if p.table == number and p.row and p.line]:
            missed.append(".".join(map(str, path)))
    assert missed == []
