"""The 项目支出绩效自评表 of a 决算 document import into `预算绩效.自评表`, as the bundled reports hold them.

Seeds 000 (济南: 项目预算执行情况, a table broken by a page) and 004 (济源: 项目资金, 资金管理情况, 偏差度,
tables broken at blank lines and label cells split over two lines) are imported into a copy of the
portal and their self-evaluation tables compared, as the model reads them, with the bundled report
transcribed from the same document. Where the printed text itself is garbled (columns run together,
both goal texts in one cell), the importer must say so for that project: the bundled file holds the
reporter's correction, which no reader can infer.
"""

from __future__ import annotations

import pytest
from helpers import SEED_DIR, SEEDS, MiniPortal, copy_portal
from tools.imports import reports

from disclosure.performance import self_evaluation_json

pytestmark = pytest.mark.skipif(SEED_DIR is None, reason="seed documents not found (set DISCLOSURE_SEEDS)")


@pytest.fixture(scope="module")
def portal(tmp_path_factory) -> MiniPortal:
    return MiniPortal(copy_portal(tmp_path_factory.mktemp("selfeval-import") / "portal"))


def imported(portal: MiniPortal, key: str):
    """Import a seed as a new unit; return the command's output, the bundled and the imported report."""
    seed = SEEDS[key]
    unit = f"x-selfeval-{key}"
    result = portal.cli("import", str(seed.path), "--unit", unit, "--year", str(seed.year), "--force")
    assert "Traceback" not in result.output, result.output
    found = reports(portal, seed.unit_id, unit, year=seed.year, kind="final")
    return result.output, found[seed.unit_id], found[unit]


def tables(report) -> list[dict]:
    return [{**self_evaluation_json(t), "未达标说明": t.explanation} for t in report.self_evaluations]


def test_seed_000_self_evaluation_tables_import_exactly(portal):
    output, bundled, got = imported(portal, "000")
    assert "共 0 个错误" in output, output
    assert not [line for line in output.splitlines() if "[未导入]" in line and "自评表" in line], output
    assert len(bundled.self_evaluations) > 0
    assert tables(got) == tables(bundled)
    assert got.self_evaluation_note == bundled.self_evaluation_note
    # The 汇总表 lists one project under another name; the importer pairs them by score.
    renamed = [t for t in got.self_evaluations if t.summary_name]
    assert renamed and all(t.summary_name != t.name for t in renamed)


def test_seed_004_self_evaluation_tables_import_or_are_flagged(portal):
    output, bundled, got = imported(portal, "004")
    assert not [line for line in output.splitlines() if "[未导入]" in line and "自评" in line], output
    expected, found = tables(bundled), tables(got)
    assert [t["项目名称"] for t in found] == [t["项目名称"] for t in expected]
    warned = {
        name
        for line in output.splitlines()
        if line.startswith("[警告]") and "绩效自评表“" in line
        for name in [line.split("绩效自评表“", 1)[1].split("”", 1)[0]]
    }
    differing = {g["项目名称"] for g, e in zip(found, expected, strict=True) if g != e}
    assert differing == warned, output
    assert len(differing) < len(expected) // 2  # most tables are read exactly
    for g, e in zip(found, expected, strict=True):
        if g != e:  # only the garbled parts differ; names, 指标 and scores are read as printed
            assert {k for k in g if g[k] != e[k]} <= {"资金", "年度总体目标"}, g["项目名称"]
    assert got.self_evaluation_note == bundled.self_evaluation_note


def test_a_table_read_without_its_indicators_is_left_out_and_named(portal, tmp_path):
    """A table whose 指标 or 总分 could not be read is not imported half-read: it is named as not imported."""
    seed = SEEDS["000"]
    lines = seed.path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("年度绩效指标\t一级指标"))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("总分\t"))
    source = tmp_path / "000-without-indicators.txt"
    source.write_text("\n".join(lines[:start] + lines[end + 1 :]) + "\n", encoding="utf-8")
    result = portal.cli(
        "import", str(source), "--unit", "x-selfeval-cut", "--year", str(seed.year), "--force"
    )
    first = lines[next(i for i, line in enumerate(lines) if line.startswith("项目名称\t"))].split("\t")
    name = next(t for t in first[1:] if t)
    assert any(
        line.startswith("[未导入]") and f"绩效自评表“{name}”" in line for line in result.output.splitlines()
    ), result.output
    got = reports(portal, "x-selfeval-cut", year=seed.year, kind="final")["x-selfeval-cut"]
    bundled = reports(portal, seed.unit_id, year=seed.year, kind="final")[seed.unit_id]
    assert [t.name for t in got.self_evaluations] == [
        t.name for t in bundled.self_evaluations if t.name != name
    ]


# ---------------------------------------------------------------- a goal row cut by a page break


def _goal_table(rows: list[tuple[str, list[str]]]) -> list:
    """Return a 自评表 as a PDF gives it: rows located on their pages, the goal rows as given."""
    from disclosure.importing.source import Cell, SourceTable

    head = [
        ("32", ["项目名称", "居民医保工作经费"]),
        ("32", ["主管部门", "济南市市中区医疗保障局", "实施单位", "济南市市中区医疗保障局"]),
        ("32", ["年度总体目标", "年初预期目标", "", "目标实际完成情况"]),
    ]
    tail = [
        (
            "33",
            [
                "年度绩效指标",
                "一级指标",
                "二级指标",
                "三级指标",
                "年度指标值（A）",
                "实际完成指标值（B）",
                "分值",
                "得分",
            ],
        ),
        ("33", ["年度绩效指标", "产出指标", "数量指标", "培训次数", "≥2次", "2次", "100", "100"]),
        ("33", ["总分", "", "", "", "", "", "100", ""]),
    ]
    cells = [
        [Cell(t, f"第 {page} 页表格第 {n} 行第 {c + 1} 列") for c, t in enumerate(row)]
        for n, (page, row) in enumerate(head + rows + tail, 1)
    ]
    return [SourceTable("项目支出绩效自评表（居民医保工作经费）", "第 32 页第 1 行", cells)]


def test_goal_texts_going_on_after_a_page_break_are_joined():
    from disclosure.importing.selfeval import read_self_evaluations, unread

    rows = [
        (
            "32",
            [
                "",
                "为保障我区医保工作的正常开展，计划培训两次，保障医保工作站",
                "",
                "2024年为2名协管员发放工资和社会",
            ],
        ),
        ("33", ["", "", "及定点医药机构经办人员培训覆盖率在95%以上。", "保险；组织培训2次。"]),
        ("33", ["", "", "及定点医药机构经办人员培训覆盖率在95%以上。", "保险；组织培训2次。"]),  # read twice
    ]
    (project,), _, _, _ = read_self_evaluations(_goal_table(rows), [])
    assert unread(project) == ""
    assert project["年度总体目标"] == {
        "预期": "为保障我区医保工作的正常开展，计划培训两次，保障医保工作站及定点医药机构经办人员培训覆盖率在95%以上。",
        "实际": "2024年为2名协管员发放工资和社会保险；组织培训2次。",
    }


def test_goal_texts_printed_twice_on_one_page_are_still_named():
    """Both texts again in a second row on the same page: no page break explains it, so it is not guessed."""
    from disclosure.importing.selfeval import read_self_evaluations, unread

    rows = [
        ("32", ["", "为保障医保工作的正常开展", "", "2024年为2名协管员发放工资"]),
        ("32", ["", "", "及定点医药机构经办人员培训", "保险；组织培训2次。"]),
    ]
    (project,), _, _, _ = read_self_evaluations(_goal_table(rows), [])
    assert unread(project) == "年度总体目标的文字被分页截断"
