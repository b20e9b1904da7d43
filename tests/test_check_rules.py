"""A good and a broken case for every consistency rule (勾稽关系) that `check` enforces.

Each broken case edits one YAML file of a throw-away copy of the bundled portal and asserts the
located problem by its fields: file, line, table (公开0N表), row (行次 + label or code + name),
column, level and the message's description of what the figure should equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from helpers import JINAN, JINAN_MD, JIYUAN, MiniPortal, copy_portal, expect, find, listing

from disclosure.grades import grade_of
from disclosure.problems import Level
from disclosure.profile import load_profiles

ERROR, WARNING, NOTE = Level.ERROR, Level.WARNING, Level.NOTE
PREVIOUS = "data/jiyuan-ybzx/2022-final.yaml"


@dataclass
class Case:
    """One broken input and the problem it must produce."""

    id: str
    edits: list[tuple[str, str, str, str | None]]
    table: str
    row: str
    column: str = ""
    contains: tuple[str, ...] = ()
    line: tuple[str, str | None] | None = None  # (text on the expected line, YAML block it is in)
    block: str | None = None  # when the cell was not typed: the line lies in this table's block
    file: str = JIYUAN
    level: Level = ERROR
    rule: str = ""


def y(old: str, new: str, within: str | None) -> tuple[str, str, str, str | None]:
    return (JIYUAN, old, new, within)


def j(old: str, new: str, within: str | None) -> tuple[str, str, str, str | None]:
    return (JINAN, old, new, within)


T01, T02, T03, T04, T05, T06, T07, T08, T09 = (f"公开0{i}表" for i in range(1, 10))
ROW59_04 = '    59: ["5,510.12", "5,303.72", 206.40, 0.00]'

# ---------------------------------------------------------------- within one table

# fmt: off
TABLE_CASES = [
    Case("01 行27 = 1..8", [y("    8: 0.20", "    8: 1.20", T01)], T01, "27 本年收入合计", "金额",
         ("5,510.32 ≠ 第1至8行之和 5,511.32（差 1.00）",), line=('    27: "5,510.32"', T01)),
    Case("01 行31 = 27+28+29", [y("    29: 0.14", "    29: 1.14", T01)], T01, "31 总计", "金额",
         ("第27至29行之和", "（差 0.99）"), line=("    31: ", T01)),
    Case("01 行58 = 32..57", [y("    54: 0.26", "    54: 1.26", T01)], T01, "58 本年支出合计", "金额",
         ("第32至57行之和",), line=("    58: ", T01)),
    Case("01 行62 = 58+59+60", [y('    58: "5,510.47"\n', '    58: "5,510.47"\n    60: 1.00\n', T01)],
         T01, "62 总计", "金额", ("第58至60行之和",), line=("    62: ", T01)),
    Case("04 行27 = 1+2+3", [y("    2: 206.40\n", "    2: 206.40\n    3: 1.00\n", T04)], T04, "27 本年收入合计",
         "金额", ("第1至3行之和",), line=("    27: ", T04)),
    Case("04 行28 = 29+30+31", [y('    27: "5,510.12"\n', '    27: "5,510.12"\n    28: 0.00\n    29: 1.00\n', T04)],
         T04, "28 年初财政拨款结转和结余", "金额", ("第29至31行之和",), line=("    28: ", T04)),
    Case("04 行32 = 27+28", [y('    27: "5,510.12"\n', '    27: "5,510.12"\n    28: 1.00\n    29: 1.00\n', T04)],
         T04, "32 总计", "金额", ("第27+28行",), line=("    32: ", T04)),
    Case("04 行59 = 33..58", [y("    51: [67.19, 67.19, 0.00, 0.00]", "    51: [68.19, 68.19, 0.00, 0.00]", T04)],
         T04, "59 本年支出合计", "合计", ("第33至58行之和",), line=("    59: ", T04)),
    Case("04 行59 一般公共预算列", [y("    51: [67.19, 67.19, 0.00, 0.00]", "    51: [68.19, 68.19, 0.00, 0.00]", T04)],
         T04, "59 本年支出合计", "一般公共预算财政拨款", ("第33至58行之和",), line=("    59: ", T04)),
    Case("04 行64 = 59+60", [y(ROW59_04 + "\n", ROW59_04 + "\n    60: [1.00, 1.00, 0.00, 0.00]\n", T04)],
         T04, "64 总计", "合计", ("第59+60行",), line=("    64: ", T04)),
    Case("04 合计列 = 三列之和", [y("    40: [995.19, 995.19, 0.00, 0.00]", "    40: [995.19, 995.19, 1.00, 0.00]", T04)],
         T04, "40 八、社会保障和就业支出", "合计",
         ("一般公共预算财政拨款+政府性基金预算财政拨款+国有资本经营预算财政拨款",), line=("    40: ", T04)),
    Case("02 本年收入合计 = 六列之和",
         [y("[2080107, 社会保险业务管理事务, 22.34, 22.34, 0.00,", "[2080107, 社会保险业务管理事务, 22.34, 22.34, 1.00,", T02)],
         T02, "2080107 社会保险业务管理事务", "本年收入合计",
         ("财政拨款收入+上级补助收入+事业收入+经营收入+附属单位上缴收入+其他收入",), line=("[2080107,", T02)),
    Case("03 本年支出合计 = 五列之和",
         [y("[2080107, 社会保险业务管理事务, 22.34, 0.00,", "[2080107, 社会保险业务管理事务, 22.34, 1.00,", T03)],
         T03, "2080107 社会保险业务管理事务", "本年支出合计",
         ("基本支出+项目支出+上缴上级支出+经营支出+对附属单位补助支出",), line=("[2080107,", T03)),
    Case("05 小计 = 基本+项目",
         [y("[2080107, 社会保险业务管理事务, 22.34, 0.00,", "[2080107, 社会保险业务管理事务, 22.34, 1.00,", T05)],
         T05, "2080107 社会保险业务管理事务", "小计", ("基本支出+项目支出",), line=("[2080107,", T05)),
    Case("07 年末 = 年初+收入−支出",
         [y("3.00, 3.00, 0.00, 3.00, 0.00]", "3.00, 3.00, 0.00, 3.00, 1.00]", T07)],
         T07, "2120899 其他国有土地使用权出让收入安排的支出", "年末结转和结余",
         ("年初结转和结余+本年收入−小计",), line=("[2120899,", T07)),
    Case("07 小计 = 基本+项目",
         [y("3.00, 3.00, 0.00, 3.00, 0.00]", "3.00, 3.00, 1.00, 3.00, 0.00]", T07)],
         T07, "2120899 其他国有土地使用权出让收入安排的支出", "小计", ("基本支出+项目支出",), line=("[2120899,", T07)),
    Case("08 小计 = 基本+项目", [y("    合计: [0.00, 0.00, 0.00]", "    合计: [0.00, 1.00, 0.00]", T08)],
         T08, "合计", "小计", ("基本支出+项目支出",), line=("    合计:", T08)),
    Case("09 合计 = 出国+车+接待", [y("    预算数: [1.27, 0.00,", "    预算数: [1.27, 1.00,", T09)],
         T09, "预算数", "合计", ("因公出国（境）费+小计+公务接待费",), line=("    预算数:", T09)),
    Case("09 车小计 = 购置+运维", [y("    决算数: [1.27, 0.00, 1.20, 0.00,", "    决算数: [1.27, 0.00, 1.20, 1.00,", T09)],
         T09, "决算数", "小计", ("公务用车购置费+公务用车运行维护费",), line=("    决算数:", T09)),
    # 类/款/项 and 合计
    Case("款 = 其项之和", [y("[2080108, 信息化建设, 39.85, 39.85,", "[2080108, 信息化建设, 40.85, 40.85,", T02)],
         T02, "20801 人力资源和社会保障管理事务", "本年收入合计", ("下级科目之和",), line=("[20801,", T02)),
    Case("类 = 其款之和",
         [y("[20899, 其他社会保障和就业支出, 13.30, 13.30,", "[20899, 其他社会保障和就业支出, 14.30, 14.30,", T02),
          y("[2089999, 其他社会保障和就业支出, 13.30, 13.30,", "[2089999, 其他社会保障和就业支出, 14.30, 14.30,", T02)],
         T02, "208 社会保障和就业支出", "财政拨款收入", ("下级科目之和",), line=("[208,", T02)),
    Case("合计 = 各类之和", [y('    合计: ["5,510.32", "5,510.12",', '    合计: ["5,511.32", "5,511.12",', T02)],
         T02, "合计", "本年收入合计", ("各类之和",), line=("    合计:", T02)),
    Case("06 类 = 其款之和", [y("[30101, 基本工资, 200.00]", "[30101, 基本工资, 201.00]", T06)],
         T06, "301 工资福利支出", "金额", ("下级科目之和",), line=("[301,", T06)),
    Case("06 人员经费合计 = 301+303", [y('    人员经费合计: "2,952.20"', '    人员经费合计: "2,953.20"', T06)],
         T06, "人员经费合计", "金额", ("301、303 各类之和",), line=("    人员经费合计:", T06)),
    Case("06 公用经费合计 = 302…399", [y("    公用经费合计: 105.13", "    公用经费合计: 104.13", T06)],
         T06, "公用经费合计", "金额", ("302、307、309、310、311、312、313、399 各类之和",), line=("    公用经费合计:", T06)),
    # codes and names
    Case("上级科目未列出",
         [y("      - [20801, 人力资源和社会保障管理事务, 852.74, 852.74, 0.00, 0.00, 0.00, 0.00, 0.00]\n", "", T02)],
         T02, "2080107 社会保险业务管理事务", "", ("上级科目 20801 未列出",), line=("[2080107,", T02)),
    Case("科目代码重复",
         [y("      - [2080108, 信息化建设,", "      - [2080107, 社会保险业务管理事务, 0.00]\n      - [2080108, 信息化建设,", T02)],
         T02, "2080107 社会保险业务管理事务", "", ("科目代码重复",), line=("[2080107, 社会保险业务管理事务, 0.00]", T02)),
    Case("同一代码名称不同",
         [y("[2080107, 社会保险业务管理事务, 22.34, 0.00, 22.34]", "[2080107, 社会保险业务管理, 22.34, 0.00, 22.34]", T05)],
         T05, "2080107 社会保险业务管理", "", ("公开02表", "社会保险业务管理事务"), line=("[2080107,", T05)),
    Case("未知的类",
         [y("      - [2299999, 其他支出, 0.20,", "      - [209, 不存在的支出, 0.00]\n      - [2299999, 其他支出, 0.20,", T02)],
         T02, "209 不存在的支出", "", ("未知的支出功能分类科目（类）",), line=("[209,", T02)),
    Case("代码位数不对",
         [y("      - [2299999, 其他支出, 0.20,", "      - [2080, 四位代码, 0.00]\n      - [2299999, 其他支出, 0.20,", T02)],
         T02, "2080 四位代码", "", ("科目代码“2080”格式不对",), line=("[2080,", T02)),
    Case("代码含字母",
         [y("      - [2299999, 其他支出, 0.20,", "      - [20801a, 字母代码, 0.00]\n      - [2299999, 其他支出, 0.20,", T02)],
         T02, "20801a 字母代码", "", ("格式不对",), line=("[20801a,", T02)),
    Case("经济分类代码过长",
         [y("      - [39999, 其他支出, 0.00]", "      - [39999, 其他支出, 0.00]\n      - [3019901, 七位代码, 0.00]", T06)],
         T06, "3019901 七位代码", "", ("格式不对",), line=("[3019901,", T06)),
    Case("经济分类类不在分组中",
         [y("      - [39999, 其他支出, 0.00]", "      - [39999, 其他支出, 0.00]\n      - [308, 不存在的经济分类, 0.00]", T06)],
         T06, "308 不存在的经济分类", "", ("不在本表的人员经费或公用经费分组中",), line=("[308,", T06)),
    Case("未知的经济分类类",
         [y("      - [39999, 其他支出, 0.00]", "      - [39999, 其他支出, 0.00]\n      - [308, 不存在的经济分类, 0.00]", T06)],
         T06, "308 不存在的经济分类", "", ("未知的支出经济分类科目（类）",), line=("[308,", T06)),
    # a table that says it is empty
    Case("注明无数据却有金额", [j("    合计: [0.00, 0.00, 0.00]", "    合计: [1.00, 0.00, 1.00]", T08)],
         T08, "", "", ("本表无数据", "非零金额"), block=T08, file=JINAN),
]

# ---------------------------------------------------------------- across tables: the profile's `rules:`

RULE_CASES = [
    Case("R 02合计 = 01[27]", [y('    27: "5,510.32"', '    27: "5,511.32"', T01)], T02, "合计", "本年收入合计",
         ("5,510.32 ≠ 公开01表[27] 5,511.32（差 1.00）",), line=("    合计:", T02), rule="02表合计与01表本年收入合计一致"),
    Case("R 02财政拨款 = 01[1+2+3]", [y("    2: 206.40", "    2: 207.40", T01)], T02, "合计", "财政拨款收入",
         ("公开01表[1]+公开01表[2]+公开01表[3] 5,511.12",), line=("    合计:", T02),
         rule="02表财政拨款收入与01表三项财政拨款收入之和一致"),
    Case("R 03合计 = 01[58]", [y('    58: "5,510.47"', '    58: "5,511.47"', T01)], T03, "合计", "本年支出合计",
         ("公开01表[58]",), line=("    合计:", T03), rule="03表合计与01表本年支出合计一致"),
    Case("R 03各类 = 01同类", [y("    39: 995.19", "    39: 996.19", T01)], T03, "208 社会保障和就业支出", "本年支出合计",
         ("995.19 ≠ 公开01表第39行 996.19",), line=("[208,", T03), rule="03表各类与01表同类支出一致"),
    Case("R 01的类不在03中", [y("    42: 206.40\n", "    41: 1.00\n    42: 206.40\n", T01)], T01, "41 十、节能环保支出", "",
         ("公开03表中没有 211 节能环保支出",), line=("    41: 1.00", T01), rule="03表各类与01表同类支出一致"),
    Case("R 01收入总计 = 支出总计", [y('    31: "5,510.47"', '    31: "5,511.47"', T01)], T01, "62 总计", "金额",
         ("公开01表[31]",), line=("    62: ", T01), rule="01表收入总计与支出总计一致"),
    Case("R 04收入总计 = 支出总计", [y('    32: "5,510.12"', '    32: "5,511.12"', T04)], T04, "64 总计", "合计",
         ("公开04表[32]",), line=("    64: ", T04), rule="04表收入总计与支出总计一致"),
    Case("R 04[1] = 01[1]", [y('    1: "5,303.72"', '    1: "5,304.72"', T04)], T01, "1 一、一般公共预算财政拨款收入",
         "金额", ("公开04表[1]",), line=('    1: "5,303.72"', T01), rule="04表与01表一般公共预算财政拨款收入一致"),
    Case("R 04[2] = 01[2]", [y("    2: 206.40", "    2: 207.40", T04)], T01, "2 二、政府性基金预算财政拨款收入",
         "金额", ("公开04表[2]",), line=("    2: 206.40", T01), rule="04表与01表政府性基金预算财政拨款收入一致"),
    Case("R 04[3] = 01[3]", [y("    2: 206.40\n", "    2: 206.40\n    3: 1.00\n", T04)], T01,
         "3 三、国有资本经营预算财政拨款收入", "金额", ("公开04表[3]",), block=T01,
         rule="04表与01表国有资本经营预算财政拨款收入一致"),
    Case("R 05合计 = 04[59]一般", [y(ROW59_04, '    59: ["5,511.12", "5,304.72", 206.40, 0.00]', T04)], T05, "合计",
         "小计", ("公开04表[59].一般公共预算财政拨款",), line=("    合计:", T05),
         rule="05表合计与04表一般公共预算财政拨款支出一致"),
    Case("R 05各类 = 04同类", [y("    40: [995.19, 995.19, 0.00, 0.00]", "    40: [996.19, 996.19, 0.00, 0.00]", T04)],
         T05, "208 社会保障和就业支出", "小计", ("公开04表第40行",), line=("[208,", T05),
         rule="05表各类与04表一般公共预算财政拨款同类支出一致"),
    Case("R 04的类不在05中", [y("    40: [995.19", "    33: [1.00, 1.00, 0.00, 0.00]\n    40: [995.19", T04)],
         T04, "33 一、一般公共服务支出", "", ("公开05表中没有 201",), line=("    33:", T04),
         rule="05表各类与04表一般公共预算财政拨款同类支出一致"),
    Case("R 05基本 = 06人员+公用", [y("    公用经费合计: 105.13", "    公用经费合计: 106.13", T06)], T05, "合计", "基本支出",
         ("公开06表[人员经费合计]+公开06表[公用经费合计]",), line=("    合计:", T05),
         rule="06表人员经费与公用经费之和与05表基本支出一致"),
    Case("R 07支出 = 04[59]基金", [y(ROW59_04, '    59: ["5,511.12", "5,303.72", 207.40, 0.00]', T04)], T07, "合计",
         "小计", ("公开04表[59].政府性基金预算财政拨款",), line=("    合计:", T07),
         rule="07表本年支出与04表政府性基金预算财政拨款支出一致"),
    Case("R 07各类 = 04同类", [y("    43: [206.40, 0.00, 206.40, 0.00]", "    43: [207.40, 0.00, 207.40, 0.00]", T04)],
         T07, "212 城乡社区支出", "小计", ("公开04表第43行",), line=("[212,", T07),
         rule="07表各类与04表政府性基金同类支出一致"),
    Case("R 04基金的类不在07中", [y("    40: [995.19, 995.19, 0.00, 0.00]", "    40: [996.19, 995.19, 1.00, 0.00]", T04)],
         T04, "40 八、社会保障和就业支出", "", ("公开07表中没有 208",), line=("    40:", T04),
         rule="07表各类与04表政府性基金同类支出一致"),
    Case("R 08支出 = 04[59]国资", [y(ROW59_04, '    59: ["5,511.12", "5,303.72", 206.40, 1.00]', T04)], T08, "合计",
         "小计", ("公开04表[59].国有资本经营预算财政拨款",), line=("    合计:", T08),
         rule="08表与04表国有资本经营预算财政拨款支出一致"),
    Case("R 08各类 = 04同类",
         [y("    合计: [0.00, 0.00, 0.00]\n",
            "    合计: [1.00, 0.00, 1.00]\n    科目:\n      - [208, 社会保障和就业支出, 1.00, 0.00, 1.00]\n", T08)],
         T08, "208 社会保障和就业支出", "小计", ("公开04表第40行",), line=("[208,", T08),
         rule="08表各类与04表国有资本经营同类支出一致"),
    Case("R 04国资的类不在08中", [y("    40: [995.19, 995.19, 0.00, 0.00]", "    40: [996.19, 995.19, 0.00, 1.00]", T04)],
         T04, "40 八、社会保障和就业支出", "", ("公开08表中没有 208",), line=("    40:", T04),
         rule="08表各类与04表国有资本经营同类支出一致"),
    Case("R 07年初 = 04[30]", [y('    32: "5,510.12"\n', '    30: 1.00\n    32: "5,510.12"\n', T04)], T07, "合计",
         "年初结转和结余", ("公开04表[30]",), line=("    合计:", T07), rule="07表年初结转和结余与04表一致"),
]

# fmt: on

CASES = TABLE_CASES + RULE_CASES


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """Problems of the unmodified bundled portal."""
    return MiniPortal(copy_portal(tmp_path_factory.mktemp("baseline") / "portal")).check().problems


def _apply(portal: MiniPortal, case: Case) -> None:
    for file, old, new, within in case.edits:
        portal.replace(file, old, new, within)


def _fields(case: Case) -> dict:
    return {
        "file": case.file,
        "table": case.table,
        "row": case.row,
        "column": case.column,
        "contains": list(case.contains),
    }


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_broken_input_is_reported_where_it_is(portal, case):
    _apply(portal, case)
    problems = portal.check().problems
    problem = expect(problems, case.level, **_fields(case))
    if case.line:
        assert problem.line == portal.line_of(case.file, *case.line), listing([problem])
    else:
        assert problem.line in portal.lines_of_block(case.file, case.block), listing([problem])
    assert problem.format().startswith(f"[{case.level.label}] {case.file}:{problem.line} {case.table}")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_holds_on_the_bundled_data(baseline, case):
    fields = _fields(case)
    fields.pop("contains")
    assert not find(baseline, ERROR, **fields), listing(find(baseline, ERROR, **fields))
    assert not find(baseline, WARNING, **fields)


def test_every_cross_table_rule_of_the_profile_has_a_case():
    rules = load_profiles()["national-final"].rules
    assert len(rules) == 17
    assert {c.rule for c in RULE_CASES} == {r.name for r in rules}


# ---------------------------------------------------------------- rounding tails: a note within 0.005 × (n + 1)


def test_rounding_tail_is_a_note_and_a_bigger_gap_an_error(portal):
    # 20805 = 54.34 while 34.88 + 19.45 = 54.33: two parts, bound 0.015.
    row = "20805 行政事业单位养老支出"
    tail = expect(portal.check().problems, NOTE, file=JINAN, table=T02, row=row, column="本年收入合计")
    assert "属尾差" in tail.message and "差 0.01" in tail.message
    portal.replace(
        JINAN,
        "[20805, 行政事业单位养老支出, 54.34, 54.34,",
        "[20805, 行政事业单位养老支出, 54.35, 54.35,",
        T02,
    )
    problems = portal.check().problems
    error = expect(
        problems, ERROR, file=JINAN, table=T02, row=row, column="本年收入合计", contains="下级科目之和"
    )
    assert "差 0.02" in error.message and "属尾差" not in error.message
    assert not find(problems, NOTE, file=JINAN, table=T02, row=row, column="本年收入合计")


@pytest.mark.parametrize(("water", "level"), [("0.03", NOTE), ("0.04", ERROR)])
def test_a_total_of_seven_items_may_miss_by_four_cents(portal, water, level):
    # 302 商品和服务支出 = 19.74 over 0.42, 2.36, 2.32, 5.30, 9.34 + 印刷费 0.01 + 水费: seven parts, bound 0.04.
    portal.replace(JINAN, "[30202, 印刷费, 0.00]", "[30202, 印刷费, 0.01]", T06)
    portal.replace(JINAN, "[30205, 水费, 0.00]", f"[30205, 水费, {water}]", T06)
    problems = portal.check().problems
    gap = Decimal("0.01") + Decimal(water)
    problem = expect(problems, level, file=JINAN, table=T06, row="302 商品和服务支出", column="金额")
    assert f"差 {gap}" in problem.message
    assert problem.line == portal.line_of(JINAN, "[302,", T06)


def test_cross_table_tail_is_a_note_and_a_bigger_gap_an_error(portal):
    fields = {
        "file": JINAN,
        "table": T05,
        "row": "合计",
        "column": "基本支出",
        "contains": "公开06表[人员经费合计]",
    }
    note = expect(portal.check().problems, NOTE, **fields)
    assert "414.54 ≠" in note.message and "414.55" in note.message
    portal.replace(JINAN, "    公用经费合计: 19.74", "    公用经费合计: 19.76", T06)
    error = expect(portal.check().problems, ERROR, **fields)
    assert "414.57" in error.message


# ---------------------------------------------------------------- across years


def _previous_year(portal: MiniPortal, closing: str = "0.14") -> None:
    """A 2022 report for 济源 whose 年末结转和结余 (01 行60) is `closing`."""
    text = (
        portal.read(JIYUAN)
        .replace("年度: 2023", "年度: 2022")
        .replace("名称: 济源市社会医疗保险中心2023年度单位决算\n", "")
    )
    portal.write(PREVIOUS, text)
    portal.replace(PREVIOUS, '    58: "5,510.47"\n', f'    58: "5,510.47"\n    60: {closing}\n', T01)


def test_carry_over_holds_when_last_year_closes_with_this_years_opening(portal):
    _previous_year(portal, "0.14")
    problems = portal.check().problems
    assert not find(problems, contains="2022年度年末结转和结余"), listing(problems)
    assert not find(problems, ERROR, file=JIYUAN), listing(find(problems, ERROR, file=JIYUAN))


def test_carry_over_break_is_an_error_at_this_years_opening(portal):
    _previous_year(portal, "1.14")
    problem = expect(
        portal.check().problems,
        ERROR,
        file=JIYUAN,
        table=T01,
        contains=["0.14 ≠ 2022年度年末结转和结余（data/jiyuan-ybzx/2022-final.yaml） 1.14", "差 1.00"],
    )
    assert problem.line == portal.line_of(JIYUAN, "    29: 0.14", T01)
    assert "年初结转和结余" in problem.row


def test_financial_carry_over_break_is_an_error(portal):
    _previous_year(portal)
    portal.replace(PREVIOUS, ROW59_04 + "\n", ROW59_04 + "\n    60: [1.00, 1.00, 0.00, 0.00]\n", T04)
    problem = expect(
        portal.check().problems, ERROR, file=JIYUAN, table=T04, contains="2022年度年末财政拨款结转和结余"
    )
    assert "年初财政拨款结转和结余" in problem.row
    assert problem.line in portal.lines_of_block(JIYUAN, T04)


def test_carry_over_problem_names_line_and_label(portal):
    _previous_year(portal, "1.14")
    problem = expect(
        portal.check().problems, ERROR, file=JIYUAN, table=T01, contains="2022年度年末结转和结余"
    )
    assert problem.row == "29 年初结转和结余"


def test_typed_last_year_figure_differing_from_last_years_report_is_a_warning(portal):
    _previous_year(portal)
    checked = portal.check()
    warning = expect(
        checked.problems,
        WARNING,
        file=JIYUAN,
        table="上年",
        row="收支总计",
        contains=["7,159.52", "5,510.47", PREVIOUS],
    )
    assert warning.line == portal.line_of(JIYUAN, "  收支总计: 7159.52")
    report = checked.portal.unit("jiyuan-ybzx").report(2023)
    assert report.previous["收支总计"] == Decimal("5510.47"), (
        "the notes use last year's report, not the typed figure"
    )


@pytest.mark.parametrize(("typed", "warned"), [("5510.47", False), ("5510.49", True), ("7159.52", True)])
def test_typed_last_year_figure_within_a_cent_is_accepted(portal, typed, warned):
    _previous_year(portal)
    portal.replace(JIYUAN, "  收支总计: 7159.52", f"  收支总计: {typed}")
    found = find(portal.check().problems, WARNING, file=JIYUAN, table="上年", row="收支总计")
    assert bool(found) is warned


# ---------------------------------------------------------------- the figures behind the notes


def test_reception_fees_must_add_up_to_table_09(portal):
    assert not find(portal.check().problems, table="三公经费")
    portal.replace(JIYUAN, "  国外接待费: 0\n", "  国外接待费: 0.43\n")
    problem = expect(
        portal.check().problems,
        ERROR,
        file=JIYUAN,
        table="三公经费",
        row="国内接待费+国外接待费",
        contains=["0.50 ≠ 公开09表 公务接待费决算数 0.07"],
    )
    assert problem.line == portal.line_of(JIYUAN, "  国内接待费: 0.07")


def test_procurement_sme_share_cannot_exceed_the_total(portal):
    portal.replace(JIYUAN, "  授予中小企业: 690.92", "  授予中小企业: 781.93")  # equal to the total: fine
    assert not find(portal.check().problems, ERROR, table="政府采购")
    portal.replace(JIYUAN, "  授予中小企业: 781.93", "  授予中小企业: 781.94")
    problem = expect(
        portal.check().problems,
        ERROR,
        file=JIYUAN,
        table="政府采购",
        contains=["授予中小企业合同金额 781.94 大于政府采购支出总额 781.93"],
    )
    assert problem.line == portal.line_of(JIYUAN, "  授予中小企业:")


def test_procurement_small_firms_cannot_exceed_sme(portal):
    portal.replace(JIYUAN, "  授予小微企业: 690.92", "  授予小微企业: 690.93")
    problem = expect(
        portal.check().problems,
        ERROR,
        file=JIYUAN,
        table="政府采购",
        contains=["授予小微企业合同金额 690.93 大于授予中小企业合同金额 690.92"],
    )
    assert problem.line == portal.line_of(JIYUAN, "  授予小微企业:")


def test_year_start_budget_for_a_code_without_spending_is_a_warning(portal):
    assert not find(portal.check().problems, table="年初预算")
    portal.replace(JIYUAN, "    2080107: 35.00", "    2080199: 35.00")
    problem = expect(
        portal.check().problems, WARNING, file=JIYUAN, table="年初预算", row="2080199", contains="公开05表"
    )
    assert problem.line == portal.line_of(JIYUAN, "    2080199: 35.00")


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("100", "优"),
        ("90", "优"),
        ("89.99", "良"),
        ("80", "良"),
        ("79.99", "中"),
        ("60", "中"),
        ("59.99", "差"),
        ("0", "差"),
    ],
)
def test_grade_follows_the_score(score, grade):
    assert grade_of(Decimal(score)) == grade


@pytest.mark.parametrize(
    ("score", "typed", "expected"),
    [
        ("90", "优", None),
        ("89.99", "优", "良"),
        ("80", "良", None),
        ("79.99", "良", "中"),
        ("60", "中", None),
        ("59.99", "中", "差"),
        ("95", "差", "优"),
    ],
)
def test_typed_grade_must_match_the_score(portal, score, typed, expected):
    portal.replace(JINAN, "得分: 93.62, 等级: 优}", f"得分: {score}, 等级: {typed}}}")
    problems = portal.check().problems
    found = find(problems, ERROR, file=JINAN, table="预算绩效", row="医保局工作经费")
    if expected is None:
        assert not found, listing(found)
    else:
        problem = expect(
            problems,
            ERROR,
            file=JINAN,
            table="预算绩效",
            row="医保局工作经费",
            contains=[f"等级“{typed}”", f"应为“{expected}”"],
        )
        assert problem.line == portal.line_of(JINAN, "{名称: 医保局工作经费")


def test_score_above_100_is_an_error(portal):
    portal.replace(JINAN, "得分: 93.62, 等级: 优}", "得分: 103.62}")
    expect(
        portal.check().problems, ERROR, file=JINAN, table="预算绩效", row="医保局工作经费", contains="0–100"
    )


# ---------------------------------------------------------------- numbers written by hand in the prose


def test_authored_number_contradicting_the_tables_is_an_error(portal):
    portal.replace(JINAN_MD, "## 支出/基本支出\n\n", "## 支出/基本支出\n\n基本支出414.55万元。")
    problem = expect(
        portal.check().problems,
        ERROR,
        file=JINAN_MD,
        table="情况说明",
        row="支出/基本支出",
        contains=["基本支出414.55万元", "414.54"],
    )
    assert problem.line is not None and problem.line > portal.line_of(JINAN_MD, "## 支出/基本支出")


@pytest.mark.parametrize(
    "text", ["基本支出414.54万元。", "项目支出1,132.78万元。", "一般公共预算财政拨款支出为1,547.33万元。"]
)
def test_authored_number_agreeing_with_the_tables_is_fine(portal, text):
    portal.replace(JINAN_MD, "## 支出/基本支出\n\n", f"## 支出/基本支出\n\n{text}")
    assert not find(portal.check().problems, table="情况说明")


def test_authored_number_with_separators_is_read_exactly(portal):
    portal.replace(JINAN_MD, "## 支出/基本支出\n\n", "## 支出/基本支出\n\n项目支出为1,132.79万元。")
    expect(portal.check().problems, ERROR, file=JINAN_MD, table="情况说明", contains=["1,132.79", "1,132.78"])


def test_authored_number_problem_names_the_line_of_the_number(portal):
    portal.replace(JINAN_MD, "## 支出/基本支出\n\n", "## 支出/基本支出\n\n基本支出414.55万元。")
    problem = expect(portal.check().problems, ERROR, file=JINAN_MD, table="情况说明", contains="414.55")
    assert problem.line == portal.line_of(JINAN_MD, "基本支出414.55万元")


# ---------------------------------------------------------------- an omitted trailing column of 公开07表

FUND_CARRY = [
    (T04, "    27: 1547.33\n    32: 1547.33\n", "    27: 1547.33\n    30: 5.00\n    32: 1552.33\n"),
    (
        T04,
        "    64: [1547.33, 1547.33, 0.00, 0.00]",
        "    60: [5.00, 0.00, 5.00, 0.00]\n    64: [1552.33, 1547.33, 5.00, 0.00]",
    ),
]


def _fund_carried_over(portal: MiniPortal, amounts: str) -> None:
    """济南 with 5.00 of 政府性基金 carried into and through the year (no spending), in 类 212."""
    for within, old, new in FUND_CARRY:
        portal.replace(JINAN, old, new, within)
    portal.replace_block(JINAN, T07, f"  {T07}:\n    科目:\n      - [212, 城乡社区支出, {amounts}]\n")


def test_fund_table_closing_balance_typed_wrong_is_an_error(portal):
    _fund_carried_over(portal, "5.00, 0.00, 0.00, 0.00, 0.00, 0.00")
    problems = portal.check().problems
    expect(
        problems,
        ERROR,
        file=JINAN,
        table=T07,
        row="212 城乡社区支出",
        column="年末结转和结余",
        contains="5.00",
    )
    assert len(problems.errors) == 1, listing(problems.errors)


def test_fund_table_closing_balance_typed_right_passes(portal):
    _fund_carried_over(portal, "5.00, 0.00, 0.00, 0.00, 0.00, 5.00")
    assert not portal.check().problems.errors, listing(portal.check().problems.errors)


def test_fund_table_closing_balance_left_out_is_checked_or_computed(portal):
    _fund_carried_over(portal, "5.00, 0.00, 0.00, 0.00, 0.00")
    checked = portal.check()
    closing = (
        checked.portal.unit("jinan-shizhong-ybj")
        .report(2024)
        .tables[T07]
        .row("212")
        .cells["年末结转和结余"]
        .value
    )
    reported = find(
        checked.problems, ERROR, file=JINAN, table=T07, row="212 城乡社区支出", column="年末结转和结余"
    )
    assert reported or closing == Decimal("5.00")
