"""Bad input gives a located Chinese message and exit status 1, never a traceback; all problems at once."""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import JINAN, JIYUAN, REPO, MiniPortal, expect, find, listing

from disclosure import output
from disclosure.problems import Level

ERROR = Level.ERROR
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _fails_with(portal: MiniPortal, *located: str) -> str:
    """Run `check` in-process: status 1, no traceback, and every `located` text in the output."""
    result = portal.cli("check")
    assert result.status == 1, result.output
    assert "Traceback" not in result.output
    for text in located:
        assert text in result.out, f"“{text}” not in:\n{result.output}"
    errors = [line for line in result.out.splitlines() if line.startswith("[错误]")]
    assert errors and all(CHINESE.search(line) for line in errors)
    return result.out


def _line_prefix(file: str, line: int) -> str:
    return f"[错误] {file}:{line}"


def test_malformed_yaml_names_file_and_line(portal):
    portal.replace(
        JINAN, "    27: 1547.33\n    31: 1547.33\n", "    27: [1547.33\n    31: 1547.33\n", "公开01表"
    )
    broken = portal.line_of(JINAN, "    27: [1547.33", "公开01表")
    problem = expect(portal.check().problems, ERROR, file=JINAN, contains="YAML 格式错误")
    assert broken <= problem.line <= broken + 2
    _fails_with(portal, _line_prefix(JINAN, problem.line), "YAML 格式错误")


def test_bad_indentation_names_its_line(portal):
    portal.replace(JINAN, "    39: 54.34\n", "    39: 54.34\n   40 1463.22\n", "公开01表")
    problem = expect(portal.check().problems, ERROR, file=JINAN, contains="YAML 格式错误")
    assert problem.line == portal.line_of(JINAN, "   40 1463.22")
    _fails_with(portal, _line_prefix(JINAN, problem.line))


def test_tab_indentation_names_its_line(portal):
    portal.replace(JINAN, "    39: 54.34\n", "\t39: 54.34\n", "公开01表")
    problem = expect(portal.check().problems, ERROR, file=JINAN, contains="YAML 格式错误")
    assert problem.line == portal.line_of(JINAN, "\t39: 54.34")
    _fails_with(portal, _line_prefix(JINAN, problem.line))


def test_empty_report_file_lists_the_missing_tables(portal):
    portal.write(JINAN, "")
    problems = portal.check().problems
    for number, title in (
        ("公开01表", "收入支出决算总表"),
        ("公开06表", "一般公共预算财政拨款基本支出决算明细表"),
    ):
        expect(problems, ERROR, file=JINAN, table=number, contains=f"缺少{number} {title}")
    _fails_with(portal, f"[错误] {JINAN} 公开01表 缺少公开01表")


def test_empty_unit_file_asks_for_the_name(portal):
    portal.write("data/jiyuan-ybzx/unit.yaml", "")
    expect(portal.check().problems, ERROR, file="data/jiyuan-ybzx/unit.yaml", contains="缺少单位名称")
    _fails_with(portal, "data/jiyuan-ybzx/unit.yaml", "缺少单位名称")


def test_missing_table_is_named(portal):
    portal.edit_yaml(JIYUAN, lambda data: data["表"].pop("公开03表"))
    problem = expect(
        portal.check().problems, ERROR, file=JIYUAN, table="公开03表", contains="缺少公开03表 支出决算表"
    )
    assert problem.line in portal.lines_of_block(JIYUAN, "表")
    _fails_with(portal, f"[错误] {JIYUAN}:{problem.line} 公开03表 缺少公开03表 支出决算表")


def test_table_with_no_data_may_be_left_out(portal):
    # Structural edit: the file is rewritten with every scalar quoted, which must read the same.
    portal.edit_yaml(JINAN, lambda data: data["表"].pop("公开08表"))
    assert "公开08表" not in portal.read(JINAN)
    checked = portal.check()
    assert not checked.problems.errors, listing(checked.problems.errors)
    table = checked.portal.unit("jinan-shizhong-ybj").report(2024).tables["公开08表"]
    assert table.is_empty()
    assert portal.cli("check").status == 0


WRONG_TYPES = [
    pytest.param(JINAN, "表", "表: [公开01表, 公开02表]\n", "表", id="表 as a list"),
    pytest.param(
        JINAN,
        "公开02表",
        "  公开02表: [208, 社会保障和就业支出, 54.34]\n",
        "公开02表",
        id="a table as a list",
    ),
    pytest.param(
        JINAN, "公开02表", "  公开02表:\n    科目: {208: 54.34}\n", "公开02表", id="科目 as a mapping"
    ),
    pytest.param(JINAN, "上年", "上年: [2166.00, 507.36]\n", "上年", id="上年 as a list"),
    pytest.param(JINAN, "三公经费", "三公经费: [0, 0]\n", "三公经费", id="三公经费 as a list"),
    pytest.param(
        JINAN, "机关运行经费", "机关运行经费: 19.74\n", "机关运行经费", id="机关运行经费 as a number"
    ),
    pytest.param(
        JINAN,
        "年初预算",
        "年初预算:\n  一般公共预算财政拨款支出: 11511.07\n  科目: [[2080505, 34.41]]\n",
        "年初预算",
        id="年初预算.科目 as a list",
    ),
    pytest.param(
        JINAN,
        "国有资产",
        "国有资产:\n  车辆: [其他用车, 1]\n  大型设备: 0\n",
        "国有资产",
        id="国有资产.车辆 as a list",
    ),
    pytest.param(
        "data/jinan-shizhong-ybj/unit.yaml",
        "包含单位",
        "包含单位: 济南市市中区医疗保障局本级\n",
        "包含单位",
        id="包含单位 as text",
    ),
]


@pytest.mark.parametrize(("file", "block", "new", "key"), WRONG_TYPES)
def test_wrong_type_is_reported_at_its_line(portal, file, block, new, key):
    portal.replace_block(file, block, new)
    lines = portal.lines_of_block(file, key)
    located = [p for p in portal.check().problems.errors if p.file == file and p.line in lines]
    assert located, listing(portal.check().problems)
    _fails_with(portal, f"[错误] {file}:")


@pytest.mark.parametrize(
    ("within", "old", "new", "written", "row", "column"),
    [
        (
            "公开01表",
            "    39: 54.34",
            "    39: 五十四点三四",
            "五十四点三四",
            "39 八、社会保障和就业支出",
            "金额",
        ),
        (
            "公开02表",
            "[2080505, 机关事业单位基本养老保险缴费支出, 34.88, 34.88,",
            "[2080505, 机关事业单位基本养老保险缴费支出, 34.88, 34.88元,",
            "34.88元",
            "2080505 机关事业单位基本养老保险缴费支出",
            "财政拨款收入",
        ),
        (
            "公开09表",
            "    决算数: [0.00, 0.00,",
            "    决算数: [0.00, 无,",
            "无",
            "决算数",
            "因公出国（境）费",
        ),
        pytest.param(
            "公开06表",
            "    公用经费合计: 19.74",
            "    公用经费合计: 19.74.1",
            "19.74.1",
            "公用经费合计",
            "金额",
        ),
    ],
)
def test_text_where_an_amount_belongs(portal, within, old, new, written, row, column):
    portal.replace(JINAN, old, new, within)
    problem = expect(
        portal.check().problems,
        ERROR,
        file=JINAN,
        table=within,
        row=row,
        column=column,
        contains=f"实际写的是“{written}”",
    )
    assert problem.line == portal.line_of(JINAN, new.strip(), within)
    _fails_with(portal, f"[错误] {JINAN}:{problem.line} {within} {row}「{column}」")


def test_text_where_a_count_belongs(portal):
    portal.replace(JINAN, "  公务用车保有量: 0", "  公务用车保有量: 一辆")
    problem = expect(portal.check().problems, ERROR, file=JINAN, row="公务用车保有量", contains="非负整数")
    assert problem.line == portal.line_of(JINAN, "  公务用车保有量:")
    _fails_with(portal, f"{_line_prefix(JINAN, problem.line)} 公务用车保有量")


def test_unknown_code_is_reported(portal):
    portal.replace(
        JINAN,
        "      - [221, 住房保障支出, 29.77, 29.77,",
        "      - [209, 不存在的支出, 0.00]\n      - [221, 住房保障支出, 29.77, 29.77,",
        "公开02表",
    )
    line = portal.line_of(JINAN, "[209,", "公开02表")
    expect(portal.check().problems, ERROR, file=JINAN, line=line, table="公开02表", row="209 不存在的支出")
    _fails_with(portal, f"[错误] {JINAN}:{line} 公开02表 209 不存在的支出")


def test_unknown_top_level_key(portal):
    portal.write(JINAN, portal.read(JINAN) + "\n备注: 本报告经局务会审议\n")
    line = portal.line_of(JINAN, "备注:")
    expect(portal.check().problems, ERROR, file=JINAN, line=line, contains="不认识的项目“备注”")
    _fails_with(portal, f"[错误] {JINAN}:{line} 不认识的项目“备注”")


def test_unknown_table_and_unknown_key_inside_a_table(portal):
    portal.replace(JINAN, "  公开09表:", "  公开10表:\n    合计: [0]\n  公开09表:")
    portal.replace(JINAN, "    39: 54.34", "    39: 54.34\n    小计: 1", "公开01表")
    problems = portal.check().problems
    problem = expect(problems, ERROR, file=JINAN, table="公开10表")
    assert problem.line in portal.lines_of_block(JINAN, "公开10表")
    expect(
        problems,
        ERROR,
        file=JINAN,
        table="公开01表",
        line=portal.line_of(JINAN, "    小计: 1"),
        contains="小计",
    )
    _fails_with(portal, f"{_line_prefix(JINAN, problem.line)} 公开10表")


def test_unused_line_of_a_balance_table(portal):
    portal.replace(JINAN, "    39: 54.34", "    39: 54.34\n    30: 1.00", "公开01表")
    line = portal.line_of(JINAN, "    30: 1.00")
    expect(portal.check().problems, ERROR, file=JINAN, table="公开01表", line=line, contains="第 30 行次")
    _fails_with(portal, f"{_line_prefix(JINAN, line)} 公开01表")


def test_bad_unit_folder_name(portal):
    portal.write("data/Jinan_Bureau/unit.yaml", "名称: 某局\n级别: 部门\n")
    expect(portal.check().problems, ERROR, file="data/Jinan_Bureau", contains="小写英文字母")
    _fails_with(portal, "[错误] data/Jinan_Bureau ", "小写英文字母")


def test_missing_unit_file(portal):
    portal.write("data/new-unit/2024-final.yaml", portal.read(JINAN))
    expect(
        portal.check().problems, ERROR, file="data/new-unit/unit.yaml", contains="缺少单位信息文件 unit.yaml"
    )
    _fails_with(portal, "[错误] data/new-unit/unit.yaml", "缺少单位信息文件")


def test_badly_named_report_file(portal):
    portal.write("data/jiyuan-ybzx/2023决算.yaml", portal.read(JIYUAN))
    expect(portal.check().problems, ERROR, file="data/jiyuan-ybzx/2023决算.yaml", contains="年度-final.yaml")
    _fails_with(portal, "[错误] data/jiyuan-ybzx/2023决算.yaml")


def test_year_and_kind_contradicting_the_file_name(portal):
    portal.replace(JINAN, "年度: 2024", "年度: 2023")
    portal.replace(JINAN, "类型: 决算", "类型: 预算")
    problems = portal.check().problems
    expect(
        problems,
        ERROR,
        file=JINAN,
        line=portal.line_of(JINAN, "年度: 2023"),
        contains="与文件名年度 2024 不一致",
    )
    expect(problems, ERROR, file=JINAN, line=portal.line_of(JINAN, "类型: 预算"), contains="不一致")
    _fails_with(portal, _line_prefix(JINAN, portal.line_of(JINAN, "年度: 2023")))


def test_non_utf8_report(portal):
    portal.path(JINAN).write_bytes(portal.read(JINAN).encode("gb18030"))
    expect(portal.check().problems, ERROR, file=JINAN, contains="UTF-8")
    _fails_with(portal, f"[错误] {JINAN} ", "UTF-8")


def test_non_utf8_markdown(portal):
    path = portal.path("content/jiyuan-ybzx/职责.md")
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk", errors="replace"))
    expect(portal.check().problems, ERROR, file="content/jiyuan-ybzx/职责.md", contains="UTF-8")
    _fails_with(portal, "[错误] content/jiyuan-ybzx/职责.md")


def test_bad_portal_settings(portal):
    portal.write("portal.yaml", "site_name: 公开\nzero: none\n")
    result = portal.cli("check")
    assert result.status == 1 and "Traceback" not in result.output
    assert "zero" in result.err and CHINESE.search(result.err)
    portal.write("portal.yaml", "site_nmae: 公开\n")
    result = portal.cli("check")
    assert result.status == 1 and "不认识的设置“site_nmae”" in result.err


def test_every_problem_of_several_broken_files_is_reported_at_once(portal):
    portal.replace(
        JINAN, "    27: 1547.33\n    31: 1547.33\n", "    27: [1547.33\n    31: 1547.33\n", "公开01表"
    )
    portal.replace(JIYUAN, "    39: 995.19", "    39: 九九五", "公开01表")
    portal.write(JIYUAN.replace("2023", "2022"), "")
    portal.path("content/jiyuan-ybzx/机构设置.md").write_bytes("机构".encode("utf-16"))
    portal.write("data/Bad_Unit/unit.yaml", "名称: 某单位\n")
    portal.write("data/no-unit-file/2024-final.yaml", "年度: 2024\n")
    portal.write(
        "data/jinan-shizhong-ybj/unit.yaml", portal.read("data/jinan-shizhong-ybj/unit.yaml") + "电话: 123\n"
    )
    out = _fails_with(
        portal,
        f"[错误] {JINAN}:",
        f"[错误] {JIYUAN}:{portal.line_of(JIYUAN, '    39: 九九五')} 公开01表 39 八、社会保障和就业支出",
        "[错误] data/jiyuan-ybzx/2022-final.yaml 公开01表 缺少公开01表",
        "[错误] content/jiyuan-ybzx/机构设置.md",
        "[错误] data/Bad_Unit",
        "[错误] data/no-unit-file/unit.yaml",
        f"[错误] data/jinan-shizhong-ybj/unit.yaml:{portal.line_of('data/jinan-shizhong-ybj/unit.yaml', '电话')}",
    )
    assert re.search(r"共 (\d+) 个错误", out)
    assert int(re.search(r"共 (\d+) 个错误", out).group(1)) >= 7


def test_cli_subprocess_reports_bad_input_without_traceback(portal):
    portal.path(JINAN).write_bytes(portal.read(JINAN).encode("gb18030"))
    portal.replace(JIYUAN, "    39: 995.19", "    39: [995.19", "公开01表")
    for command in ("check", "build"):
        result = subprocess.run(
            [sys.executable, str(REPO / "build.py"), "--root", str(portal.root), command],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            cwd=portal.root,
        )
        output = result.stdout + result.stderr
        assert result.returncode == 1, output
        assert "Traceback" not in output
        assert f"[错误] {JINAN} 文件不是 UTF-8 编码" in output
        assert f"[错误] {JIYUAN}:" in output and "YAML 格式错误" in output
    assert not portal.site().exists()


# ---------------------------------------------------------------- silently accepted mistakes (engine bugs)


def test_duplicate_key_is_reported(portal):
    portal.replace(JINAN, "    39: 54.34\n", "    39: 45.34\n    39: 54.34\n", "公开01表")
    problems = portal.check().problems
    assert find(problems, file=JINAN, line=portal.line_of(JINAN, "    39: 45.34")) or find(
        problems, file=JINAN, line=portal.line_of(JINAN, "    39: 54.34")
    ), listing(problems)


def test_amount_with_three_decimals_is_reported(portal):
    portal.replace(
        JINAN,
        "[2080505, 机关事业单位基本养老保险缴费支出, 34.88, 34.88,",
        "[2080505, 机关事业单位基本养老保险缴费支出, 34.885, 34.885,",
        "公开02表",
    )
    line = portal.line_of(JINAN, "34.885", "公开02表")
    found = [
        p
        for p in portal.check().problems.items
        if p.file == JINAN and p.line == line and p.level >= Level.WARNING
    ]
    assert found, listing(portal.check().problems)


def test_unknown_prose_section_key_is_reported(portal):
    portal.replace("content/jinan-shizhong-ybj/2024-final.md", "## 收支总计\n", "## 收支总\n")
    line = portal.line_of("content/jinan-shizhong-ybj/2024-final.md", "## 收支总")
    problems = portal.check().problems
    assert find(problems, file="content/jinan-shizhong-ybj/2024-final.md", line=line), listing(problems)


# ---------------------------------------------------------------- `~` / `null`: a value left out on purpose

NULL_BUG = (
    "with PyYAML's C loader (CBaseLoader) a plain scalar's style is '' rather than None, so "
    "yamlsource._scalar keeps “~” and “null” as text: unit.yaml `上级部门: ~` becomes the parent “~” "
    "(the unit page prints 所属部门 ~) and README's own `上年决算数: ~` is an error"
)


@pytest.mark.parametrize("null", ["~", "null"])
def test_null_amount_means_not_given(portal, null):
    portal.replace(JINAN, "  年初预算数: 26.78", f"  年初预算数: 26.78\n  上年决算数: {null}")
    checked = portal.check()
    assert not checked.problems.errors, listing(checked.problems.errors)
    assert "上年决算数" not in checked.portal.unit("jinan-shizhong-ybj").report(2024).operating


def test_null_parent_means_no_parent(portal):
    assert "上级部门: ~" in portal.read("data/jiyuan-ybzx/unit.yaml")
    assert portal.check().portal.unit("jiyuan-ybzx").parent is None
    assert portal.cli("build").status == 0
    soup = BeautifulSoup(
        (portal.site() / "units/jiyuan-ybzx/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert "所属部门" not in [dt.get_text(strip=True) for dt in soup.select("dl.facts dt")]


# ---------------------------------------------------------------- the CLI inside another program


def test_check_writes_problems_to_the_current_stdout(portal):
    """In-process callers (tests, an embedding tool) capture the list with redirect_stdout."""
    result = portal.cli("check")  # run_cli redirects sys.stdout to a StringIO
    assert result.status == 0
    assert "[提示] data/jiyuan-ybzx/2023-final.yaml" in result.out


@pytest.mark.parametrize(
    ("code", "said"),
    [(errno.ENOSPC, "磁盘空间不足"), (errno.EACCES, "没有写入权限")],
    ids=["disk-full", "denied"],
)
def test_a_full_disk_is_said_in_chinese_and_the_site_stays(
    portal: MiniPortal, monkeypatch: pytest.MonkeyPatch, code: int, said: str
) -> None:
    site = portal.site()
    assert portal.cli("build", "--out", str(site)).status == 0
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    beside = sorted(p.name for p in site.parent.iterdir())

    def cannot_write(target: Path, data: bytes) -> None:
        raise OSError(code, os.strerror(code), str(target))

    monkeypatch.setattr(output, "write_new", cannot_write)
    result = portal.cli("build", "--out", str(site), "--full")
    assert result.status == 1 and "Traceback" not in result.output
    message = next(line for line in result.err.splitlines() if line.startswith("[错误]"))
    assert said in message and "原有网站保持不变" in message and "--out" in message
    assert f"写入 {site} 时" in message  # where: the disk to clear
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in site.parent.iterdir()) == beside  # the unfinished site is gone
