"""Importing document text the importer has never seen: variations made from seed 000, bad input, the command."""

from __future__ import annotations

import os
import random
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import SEED_DIR, MiniPortal

from disclosure.importing.mapping import ImportResult, import_document
from disclosure.importing.read import read_source
from disclosure.importing.source import ImportFailure
from disclosure.importing.text import read_text
from disclosure.yamlsource import parse_yaml

if SEED_DIR is None:
    if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
        raise RuntimeError("seed documents not found: set DISCLOSURE_SEEDS or add tests/seeds/")
    pytest.skip("seed documents not found (set DISCLOSURE_SEEDS)", allow_module_level=True)

SEED = Path(SEED_DIR) / "000_d410f008f030cfb3.txt"
UNIT = "济南市市中区医疗保障局"


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def run_import(tmp_path: Path, text: str, name: str = "doc.txt", **options: Any) -> ImportResult:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return import_document(
        read_source(path),
        unit="test-unit",
        year=2024,
        kind=options.get("kind"),
        profile=options.get("profile"),
    )


def amounts(tables: dict[str, Any]) -> dict[str, Any]:
    """Tables with every amount as a Decimal and trailing zeros dropped: parsed data, not text."""

    def number(text: str) -> Any:
        try:
            return Decimal(text)
        except ArithmeticError:
            return text

    def row(values: list[str]) -> list[Any]:
        parsed = [number(v) if re.fullmatch(r"-?[\d.]+", v) and "." in v or v == "0" else v for v in values]
        while parsed and parsed[-1] == 0 and not isinstance(parsed[-1], str):
            parsed.pop()
        return parsed

    result: dict[str, Any] = {}
    for number_, body in tables.items():
        out: dict[Any, Any] = {}
        for k, v in body.items():
            if isinstance(v, list) and v and isinstance(v[0], list):
                out[k] = [row(r) for r in v]
            elif isinstance(v, list):
                out[k] = row(v)
            elif k == "注":
                out[k] = v
            else:
                out[k] = number(v)
        if any(v not in ([], Decimal(0)) for v in out.values()):
            result[number_] = out  # a table of zeros is the same as no table (the page prints zeros)
    return result


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return amounts(run_import(tmp_path_factory.mktemp("base"), seed_text()).data["表"])


def table_lines(text: str, number: str) -> tuple[int, int]:
    """Return the line range (start, end) of a table's block, from its title to its footer."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip() == number) - 2
    end = next(i for i in range(start + 3, len(lines)) if lines[i].startswith("注："))
    return start, end + 1


def edit_rows(text: str, number: str, change: Any) -> str:
    """Apply change(cells) to every tab-separated row of one table."""
    lines = text.split("\n")
    start, end = table_lines(text, number)
    for i in range(start, end):
        if "\t" in lines[i]:
            lines[i] = "\t".join(change(lines[i].split("\t")))
    return "\n".join(lines)


# ---------------------------------------------------------------- variations of a real document


def test_another_unit_imports_under_its_own_name(tmp_path, baseline):
    result = run_import(tmp_path, seed_text().replace(UNIT, "某某县医疗保障局"))
    assert result.data["名称"] == "某某县医疗保障局2024年度部门决算"
    assert result.unit_name == "某某县医疗保障局"
    assert amounts(result.data["表"]) == baseline


def test_blank_zeros_read_as_zeros(tmp_path, baseline):
    blank = "\n".join(
        re.sub(r"(?<=\t)0\. ?00(?=\t|$)", "", line) if "\t" in line else line
        for line in seed_text().split("\n")
    )
    assert blank.count("\t0.00") == 0 and seed_text().count("\t0.00") > 100
    result = run_import(tmp_path, blank)
    assert amounts(result.data["表"]) == baseline
    assert not [f for f in result.findings if f.level in ("error", "warning")]


def test_zeros_mixed_blank_and_printed(tmp_path, baseline):
    lines = seed_text().split("\n")
    mixed = [
        re.sub(r"(?<=\t)0\.00(?=\t|$)", "", line) if "\t" in line and i % 2 else line
        for i, line in enumerate(lines)
    ]
    assert amounts(run_import(tmp_path, "\n".join(mixed)).data["表"]) == baseline


def three_columns(cells: list[str]) -> list[str]:
    """Print 类/款/项 in three columns: 208 | 05 | 05 instead of 2080505."""
    first = cells[0].strip()
    if re.fullmatch(r"\d{3}", first):
        return [first, "", "", *cells[1:]]
    if re.fullmatch(r"\d{5}", first):
        return ["", first[3:], "", *cells[1:]]
    if re.fullmatch(r"\d{7}", first):
        return ["", "", first[5:], *cells[1:]]
    if first == "科目代码":
        return ["类", "款", "项", *cells[1:]]
    return [cells[0], "", "", *cells[1:]]


def test_codes_in_three_columns(tmp_path, baseline):
    text = seed_text()
    for number in ("公开02表", "公开03表", "公开05表"):
        text = edit_rows(text, number, three_columns)
    assert "\t05\t\t机关事业单位" not in text and "\t\t05\t机关事业单位基本养老保险缴费支出" in text
    result = run_import(tmp_path, text)
    assert amounts(result.data["表"]) == baseline
    assert not [f for f in result.findings if f.level in ("error", "warning")]


def test_shifted_row_is_flagged_at_its_line(tmp_path, baseline):
    text = seed_text()
    shifted = "2101502\t一般行政管理事务\t\t50.01\t0.00\t50.01"
    assert text.count("2101502\t一般行政管理事务\t50.01\t0.00\t50.01") == 1
    text = text.replace("2101502\t一般行政管理事务\t50.01\t0.00\t50.01", shifted)
    line = text.split("\n").index(shifted) + 1
    result = run_import(tmp_path, text)
    flagged = [f for f in result.findings if f.table == "公开05表" and f.level == "warning"]
    assert len(flagged) == 1 and flagged[0].where == f"第 {line} 行第 1 列", flagged
    assert "没有对齐" in flagged[0].message and "小计=50.01" in flagged[0].message
    assert amounts(result.data["表"]) == baseline  # read in printed order, and said so


def test_stray_number_beyond_the_header_is_an_error(tmp_path):
    text = (
        seed_text()
        .replace("30201\t办公费\t0.42", "30201\t办公费\t0.42")
        .replace("2101550\t事业运行\t118.13\t118.13\t0.00", "2101550\t事业运行\t118.13\t118.13\t0.00\t7.00")
    )
    result = run_import(tmp_path, text)
    errors = [f for f in result.findings if f.level == "error" and f.table == "公开05表"]
    assert errors and "7.00" in errors[0].message and errors[0].where.endswith("第 6 列")


def test_headers_repeated_after_a_page_break(tmp_path, baseline):
    text = seed_text()
    start, end = table_lines(text, "公开05表")
    lines = text.split("\n")
    header = [line for line in lines[start:end] if "\t" in line][:3]
    at = next(i for i in range(start, end) if lines[i].startswith("21013\t"))
    repeat = ["", "一般公共预算财政拨款支出决算表", "", "公开05表", "", f"部门：{UNIT}", "", *header, ""]
    text = "\n".join(lines[:at] + repeat + lines[at:])
    result = run_import(tmp_path, text)
    assert amounts(result.data["表"]) == baseline
    assert not [f for f in result.findings if f.table == "公开05表"]


def test_missing_table_is_named(tmp_path):
    text = seed_text()
    start, end = table_lines(text, "公开05表")
    lines = text.split("\n")
    result = run_import(tmp_path, "\n".join(lines[:start] + lines[end:]))
    assert "公开05表" not in result.data["表"]
    (missing,) = [f for f in result.findings if f.table == "公开05表"]
    assert missing.level == "warning" and "找不到“公开05表 一般公共预算财政拨款支出决算表”" in missing.message


def test_extra_table_is_reported_not_placed(tmp_path, baseline):
    extra = "\n部门决算公开相关信息统计表\n\n公开10表\n\n项目\t金额\n政府采购支出\t0.00\n\n"
    text = seed_text().replace("\n第三部分\n", extra + "\n第三部分\n", 1)
    result = run_import(tmp_path, text)
    unplaced = [f for f in result.unplaced if "公开10表" in f.message]
    assert len(unplaced) == 1 and "没有导入" in unplaced[0].message and unplaced[0].where.startswith("第 ")
    assert amounts(result.data["表"]) == baseline


SUMMARY_LISTING = (
    "图13 项目支出绩效自评得分（单位：分）\n"
    "项目 自评得分 自评等级 全年预算数（万元） 全年执行数（万元） 执行率 出处\n"
    "1-6级伤残军人医疗费超支缺口 100 优 506 506 100.00% 汇总表\n"
    "新农合门诊统筹系统维护费 100 优 5.2 5.2 100.00% 汇总表\n"
)


def test_rows_of_the_summary_listing_are_not_table_titles(tmp_path, baseline):
    """Rows copied from the 汇总表 listing end in 表 but hold amounts and rates: no table is titled by one."""
    text = seed_text().replace("\n第三部分\n", "\n" + SUMMARY_LISTING + "\n第三部分\n", 1)
    text = text.replace("\n公开02表\n", "\n" + SUMMARY_LISTING + "\n公开02表\n", 1)
    result = run_import(tmp_path, text)
    assert not [f for f in result.unplaced if "汇总表" in f.message], [f.message for f in result.unplaced]
    assert amounts(result.data["表"]) == baseline


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("项目支出绩效自评结果汇总表", True),
        ("1-6级伤残军人医疗费超支缺口 100 优 506 506 100.00% 汇总表", False),
        ("打击欺诈骗保工作经费 100.00 优 汇总表", False),
        ("表3.1 收入决算表", True),
    ],
)
def test_a_title_holds_no_amount_with_cents_or_rate(line, title):
    from disclosure.importing.text import is_table_title

    assert is_table_title(line) is title


def test_reader_keeps_prose_lines_with_their_numbers():
    doc = read_text(SEED)
    numbered = {c.where: c.text for c in doc.lines}
    line = seed_text().split("\n").index("二、机构设置") + 1
    assert numbered[f"第 {line} 行"] == "二、机构设置"
    assert [t.title for t in doc.tables[:2]] == ["公开01表 收入支出决算总表", "公开02表 收入决算表"]
    assert any("部门：" in c.text for c in doc.tables[1].preamble)
    assert doc.tables[1].footer[0].text.startswith("注：本表反映")
    assert doc.tables[1].rows[3][2].text == "1, 547. 33"  # the reader keeps cells exactly


# ---------------------------------------------------------------- bad input


def test_empty_file(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    with pytest.raises(ImportFailure, match="空文件"):
        read_source(tmp_path / "empty.txt")


def test_binary_garbage(tmp_path):
    (tmp_path / "junk.txt").write_bytes(bytes(range(256)) * 20)
    with pytest.raises(ImportFailure, match="不是文本文件"):
        read_source(tmp_path / "junk.txt")


def test_text_without_tables(tmp_path):
    with pytest.raises(ImportFailure, match="找不到任何公开表"):
        run_import(tmp_path, "这是一份会议纪要。\n\n一、会议内容\n\n讨论了工作安排。\n")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.docx", b"PK-not-really", "不认识的文件类型"),
        ("a.pdf", b"hello", "不是有效的 PDF"),
        ("a.xlsx", b"hello", "不是有效的 Excel"),
    ],
)
def test_unknown_or_broken_files(tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(ImportFailure, match=message):
        read_source(tmp_path / name)


# ---------------------------------------------------------------- the command


def test_import_refuses_to_overwrite_without_force(portal: MiniPortal):
    target = portal.path("data/jinan-shizhong-ybj/2024-final.yaml")
    before = target.read_text(encoding="utf-8")
    result = portal.cli("import", str(SEED), "--unit", "jinan-shizhong-ybj", "--year", "2024")
    assert result.status == 1
    assert (
        "data/jinan-shizhong-ybj/2024-final.yaml 已存在，没有覆盖" in result.output
        and "--force" in result.output
    )
    assert target.read_text(encoding="utf-8") == before
    forced = portal.cli("import", str(SEED), "--unit", "jinan-shizhong-ybj", "--year", "2024", "--force")
    assert forced.status == 0, forced.output
    text = target.read_text(encoding="utf-8")
    assert text != before and text.startswith("# 由 build.py import 从 000_d410f008f030cfb3.txt 导入")
    assert parse_yaml(text).data["表"]["公开01表"]["31"] == "1547.33"
    assert "检查通过" in forced.output


def test_import_writes_deterministic_yaml_and_content(portal: MiniPortal):
    first = portal.cli("import", str(SEED), "--unit", "new-unit", "--year", "2024")
    assert first.status == 0, first.output
    text = portal.read("data/new-unit/2024-final.yaml")
    assert "公开02表:" in text and "# 收入决算表：[科目代码, 科目名称, 本年收入合计" in text
    assert portal.read("data/new-unit/unit.yaml").startswith(f"名称: {UNIT}")
    assert "（十）完成区委、区政府交办的其他任务。" in portal.read("content/new-unit/职责.md")
    prose = portal.read("content/new-unit/2024-final.md")
    assert "## 收支总计" in prose and "## 项/2080505" in prose and "## 名词：财政拨款收入" in prose
    again = portal.cli("import", str(SEED), "--unit", "new-unit", "--year", "2024", "--force")
    assert again.status == 0 and portal.read("data/new-unit/2024-final.yaml") == text
    assert "保留已有的 content/new-unit/职责.md" not in again.output  # --force replaces it too


def test_import_reports_check_problems_at_the_source_line(portal: MiniPortal, tmp_path):
    text = seed_text().replace(
        "2101501\t行政运行\t184.03\t184.03\t0.00", "2101501\t行政运行\t194.03\t184.03\t0.00"
    )
    line = text.split("\n").index("2101501\t行政运行\t194.03\t184.03\t0.00") + 1
    (tmp_path / "slip.txt").write_text(text, encoding="utf-8")
    result = portal.cli("import", str(tmp_path / "slip.txt"), "--unit", "slip-unit", "--year", "2024")
    assert result.status == 1
    slips = [
        x for x in result.output.splitlines() if "[错误]" in x and "2101501 行政运行" in x and "公开05表" in x
    ]
    assert slips and all(f"（原文 slip.txt 第 {line} 行）" in x for x in slips), result.output
    assert "Traceback" not in result.output


def test_import_of_garbage_writes_nothing(portal: MiniPortal, tmp_path):
    (tmp_path / "junk.txt").write_bytes(b"\x00\x01\x02" * 100)
    result = portal.cli("import", str(tmp_path / "junk.txt"), "--unit", "junk", "--year", "2024")
    assert result.status == 1 and "不是文本文件" in result.output and "没有写入任何文件" in result.output
    assert not portal.path("data/junk").exists()
    bad_unit = portal.cli("import", str(SEED), "--unit", "Bad Unit", "--year", "2024")
    assert bad_unit.status == 1 and "单位代码" in bad_unit.output


def test_evaluation_report_becomes_markdown(portal: MiniPortal):
    source = Path(SEED_DIR) / "001_57b5dcd699d528dd.txt"
    result = portal.cli("import", str(source), "--unit", "zaozhuang-szq-ybj", "--year", "2024")
    assert result.status == 0, result.output
    folder = portal.path("content/zaozhuang-szq-ybj/2024-绩效评价")
    (written,) = list(folder.glob("*.md"))
    assert written.name == "01-2024年度枣庄市市中区医疗保障局（本级）部门预算整体绩效评价报告.md"
    markdown = written.read_text(encoding="utf-8")
    assert markdown.startswith("# 2024年度枣庄市市中区医疗保障局（本级）部门预算整体绩效评价报告\n")
    assert re.search(r"^## 一、", markdown, re.M) and "|---|" in markdown
    assert "| 部门预算安排 | 年初预算数 | 全年预算数 | 预算执行数 | 预算执行率 |" in markdown
    assert (
        "绩效评价报告" in result.output and not portal.path("data/zaozhuang-szq-ybj/2024-final.yaml").exists()
    )
    # Its unit is new: unit.yaml names the unit the title names, so the report shows on the portal.
    unit = parse_yaml(portal.read("data/zaozhuang-szq-ybj/unit.yaml")).data
    assert str(unit["名称"]) == "枣庄市市中区医疗保障局"
    check = portal.cli("check")
    assert "zaozhuang-szq-ybj" not in check.output and check.status == 0, check.output


def test_kind_that_does_not_fit_the_tables_is_refused(tmp_path):
    with pytest.raises(ImportFailure, match="与 --kind budget 不符"):
        run_import(tmp_path, seed_text(), kind="budget")
    assert run_import(tmp_path, seed_text(), kind="final").profile.id == "national-final"  # type: ignore[union-attr]


def test_profile_named_by_region(tmp_path):
    result = run_import(tmp_path, seed_text(), profile="national")  # national-final or -budget: by the tables
    assert result.profile is not None and result.profile.id == "national-final"
    assert "按 --profile national 使用表样 national-final" in result.profile_reason


def test_unknown_profile_name(tmp_path):
    with pytest.raises(ImportFailure, match="没有名为“shanghai-1999”的表样"):
        run_import(tmp_path, seed_text(), profile="shanghai-1999")


def test_damaged_documents_never_crash_the_mapping(tmp_path):
    """Lines dropped, cells swapped or cut: the import reports, or refuses in Chinese, but never raises."""
    rng = random.Random(6)
    lines = seed_text().split("\n")
    for attempt in range(25):
        damaged = []
        for line in lines:
            roll = rng.random()
            if roll < 0.05:
                continue
            if "\t" in line and roll < 0.15:
                cells = line.split("\t")
                rng.shuffle(cells)
                line = "\t".join(cells[: rng.randint(1, len(cells))])
            damaged.append(line)
        try:
            result = run_import(tmp_path, "\n".join(damaged), name=f"damaged-{attempt}.txt")
        except ImportFailure as exc:
            assert exc.message
            continue
        assert result.data["表"] or result.findings
