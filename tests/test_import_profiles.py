"""Profile recognition is generic: a document made with another region's template picks that region's profile."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import REPO, MiniPortal

from disclosure.importing.mapping import import_document
from disclosure.importing.read import read_source
from disclosure.profile import load_profiles

SHANGHAI_DOC = REPO / "tests" / "fixtures" / "shanghai" / "document.txt"
SHANGHAI_DATA = REPO / "tests" / "fixtures" / "shanghai" / "data" / "shanghai-shili" / "2024-final.yaml"

needs_shanghai = pytest.mark.skipif(
    not SHANGHAI_DOC.is_file() or "shanghai-final" not in load_profiles(),
    reason="the Shanghai profile and its document are merged from the shanghai branch",
)


@needs_shanghai
def test_shanghai_document_is_recognised_and_imports_its_tables(portal: MiniPortal):
    result = import_document(read_source(SHANGHAI_DOC), unit="sh", year=2024, kind=None, profile=None)
    assert result.profile is not None and result.profile.id == "shanghai-final"
    assert "按表名识别为表样 shanghai-final" in result.profile_reason
    assert result.unit_name == "上海市示例事务管理局"  # from the cover: no 部门： line in this layout
    # Imported next to the Shanghai fixture, the two reports hold the same tables.
    for folder in ("data", "content"):
        source = SHANGHAI_DATA.parents[2] / folder / "shanghai-shili"
        target = portal.path(f"{folder}/shanghai-shili")
        target.mkdir(parents=True, exist_ok=True)
        for item in source.iterdir():
            (target / item.name).write_bytes(item.read_bytes())
    run = portal.cli(
        "import", str(SHANGHAI_DOC), "--unit", "sh-imported", "--year", "2024", "--profile", "shanghai-final"
    )
    assert run.status == 0, run.output
    from test_import_seeds import table_values

    units = {u.id: u for u in portal.check().portal.units}
    printed, imported = units["shanghai-shili"].reports[0], units["sh-imported"].reports[0]
    for number, table in printed.tables.items():
        assert table_values(imported.tables[number]) == table_values(table), number


def test_recognition_counts_titles_not_profile_names(tmp_path: Path):
    """A budget document without any 表号 still finds the budget profile by its table titles alone."""
    seed = REPO / "tests" / "seeds" / "002_208575b2d87000bf.txt"
    if not seed.is_file():
        pytest.skip("seed 002 not available")
    text = seed.read_text(encoding="utf-8")
    assert "表一" not in text.split("第二部分", 2)[-1][:3000]  # no 表号 printed with the tables
    result = import_document(read_source(seed), unit="b", year=2024, kind=None, profile=None)
    assert result.profile is not None and result.profile.id == "national-budget"
    assert "12 张表中认出 12 张" in result.profile_reason
