"""The 部门预算 (budget) report of seed 002: every number of its tables on the page, the budget rules,
and the notes computed from the data.

The expected values are read from the seed text itself (tab-separated, tables split over pages, the
second page of 基本支出预算情况表 printed with shifted columns), never from the YAML or the program.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from helpers import SEED_DIR, MiniPortal, clean, expect, listing, page_amount, seed_amount

from disclosure.problems import Level

ERROR = Level.ERROR
BUDGET = "data/zhaoyuan-ybj/2024-budget.yaml"
PAGE = "units/zhaoyuan-ybj/2024-budget/index.html"
SEED = "002_208575b2d87000bf.txt"

if SEED_DIR is None or not (SEED_DIR / SEED).is_file():
    pytest.skip("seed document 002 not found (set DISCLOSURE_SEEDS)", allow_module_level=True)

TEXT = (SEED_DIR / SEED).read_text(encoding="utf-8")

# ---------------------------------------------------------------- reading the seed's tables

TITLES = {
    "收支总体情况表": "01", "收入总体情况表": "02", "支出总体情况表": "03", "财政拨款收支总体情况表": "04",
    "一般公共预算支出情况表": "05", "一般公共预算基本支出情况表": "06", "一般公共预算“三公”经费支出情况表": "07",
    "政府性基金预算支出情况表": "08", "国有资本经营预算支出情况表": "09", "基本支出预算情况表": "10",
    "项目支出预算情况表": "11", "政府采购预算表": "12",
}  # fmt: skip
FUNDS = ("合计", "财政拨款小计", "一般公共预算", "政府性基金预算", "国有资本经营预算", "财政专户管理资金",
         "单位资金", "使用非财政拨款结余", "上年结转")  # fmt: skip
SUBJECT_COLUMNS = {
    "02": ("合计", "财政拨款小计", "一般公共预算收入", "政府性基金预算收入", "国有资本经营预算收入",
           "财政专户管理资金收入", "事业收入", "事业单位经营收入", "其他收入", "上级补助收入", "附属单位上缴收入",
           "使用非财政拨款结余", "上年结转"),
    "03": ("合计", "基本支出", "项目支出", "结转下年"),
    "05": ("合计", "基本支出", "人员支出", "日常公用支出", "项目支出"),
    "12": FUNDS,
}  # fmt: skip
PAIRED_COLUMNS = {"06": ("基本支出", "人员支出", "日常公用支出"), "10": FUNDS}
THREE = (
    "合计",
    "因公出国（境）费",
    "公务用车购置及运行维护费",
    "公务用车购置费",
    "公务用车运行维护费",
    "公务接待费",
)


def seed_tables() -> dict[str, list[list[str]]]:
    """The tab-separated rows of each table of the seed's 第二部分, by table number (pages merged)."""
    body = TEXT[
        TEXT.index("2024年部门预算表\n\n收支总体情况表") : TEXT.index("第三部分\n\n2024年部门预算情况")
    ]
    tables: dict[str, list[list[str]]] = {}
    current = None
    for line in body.splitlines():
        if line.strip() in TITLES:
            current = TITLES[line.strip()]
            tables.setdefault(current, [])
        elif current and "\t" in line:
            tables[current].append(line.split("\t"))
    return tables


ROWS = seed_tables()


def amounts(cells: list[str]) -> list[Decimal | None]:
    return [seed_amount(c) for c in cells]


def subject_expected(number: str) -> dict[tuple[str, str], Decimal]:
    """(code or 合计, column) → amount for a 类|款|项 table; blanks are zeros as printed."""
    expected: dict[tuple[str, str], Decimal] = {}
    lei = kuan = ""
    for cells in ROWS[number]:
        a, b, c, name = (clean(x) for x in (cells + [""] * 4)[:4])
        if a in ("类", "科目编码") or name in ("", "科目名称") and not (a or b or c):
            continue
        if a:
            lei, code = a, a
        elif b:
            kuan, code = lei + b, lei + b
        elif c:
            code = kuan + c
        else:
            code = "合计"
        for column, value in zip(SUBJECT_COLUMNS[number], amounts(cells[4:]), strict=False):
            expected[(code, column)] = value or Decimal(0)
    return expected


def paired_expected(number: str) -> dict[tuple[str, str, str], Decimal]:
    """(部门 code, 政府 code, column) → amount; robust to the shifted second page of 表十."""
    expected: dict[tuple[str, str, str], Decimal] = {}
    for cells in ROWS[number]:
        cells = [clean(c) for c in cells]
        codes = [c for c in cells if re.fullmatch(r"\d{2,3}", c)]
        values = [seed_amount(c) for c in cells if re.fullmatch(r"[\d,]+\.\d{2}", c)]
        if "合计" in cells:
            key: tuple[str, str] = ("合计", "合计")
        elif len(codes) == 2:
            key = (codes[0], codes[1])
        elif len(codes) == 4:
            key = (codes[0] + codes[1], codes[2] + codes[3])
        else:
            continue
        if number == "06" and key[0] != "合计":  # aligned columns: blanks keep their place
            values = amounts(cells[6:9])
        for column, value in zip(PAIRED_COLUMNS[number], values, strict=False):
            expected[(*key, column)] = value or Decimal(0)
    return expected


def balance_expected(number: str) -> dict[tuple[str, str], Decimal]:
    """(row label, column) → amount for 表一 and 表四 (income | expenditure side by side)."""
    columns = ("预算数",) if number == "01" else ("总计", "一般公共预算", "政府性基金预算")
    expected: dict[tuple[str, str], Decimal] = {}
    for cells in ROWS[number]:
        cells = cells + [""] * 6
        income, exp = clean(cells[0]), clean(cells[2])
        if income in ("收入", "项目") or exp in ("支出", "项目") or clean(cells[3]) == "总计":
            continue
        if income:
            expected[(income, "预算数")] = seed_amount(cells[1]) or Decimal(0)
        if exp:
            for column, value in zip(columns, amounts(cells[3 : 3 + len(columns)]), strict=False):
                expected[(exp, column)] = value or Decimal(0)
    return expected


# ---------------------------------------------------------------- the page


@pytest.fixture(scope="module")
def page(soup_of):
    return soup_of(PAGE)


def table(page, number: str):
    found = page.select(f'table[data-table="budget-{number}"]')
    assert len(found) == 1, f"budget-{number}: {len(found)} tables"
    return found[0]


def check_cells(found: list, expected: Decimal, where: str, mismatches: list[str]) -> None:
    if len(found) != 1:
        mismatches.append(f"{where}: {len(found)} cells")
    elif page_amount(found[0]) != expected:
        mismatches.append(f"{where}: page shows {found[0].get_text(strip=True)!r}, document {expected}")


def test_seed_parser_reads_every_table():
    assert len(subject_expected("02")) == 13 * 16  # 合计 + 15 rows printed before the page cut
    assert len(subject_expected("03")) == 4 * 20
    assert len(subject_expected("05")) == 5 * 20
    assert len(subject_expected("12")) == 9 * 4
    assert len(paired_expected("06")) == 3 * 44  # 合计 + 43 rows (the last 303 款 is cut off)
    assert len(paired_expected("10")) == 3 * 42
    assert len(balance_expected("01")) == 14 + 26  # labelled rows of each side
    assert len(balance_expected("04")) == 6 + 24 * 3
    assert len(ROWS["11"]) == 10 and len(ROWS["07"]) == 4


@pytest.mark.parametrize("number", list(SUBJECT_COLUMNS))
def test_subject_tables_match_the_document(page, number):
    t = table(page, number)
    mismatches: list[str] = []
    for (code, column), value in subject_expected(number).items():
        row = '[data-row="合计"]' if code == "合计" else f'[data-code="{code}"]'
        check_cells(
            t.select(f'tr{row} td[data-col="{column}"]'), value, f"表{number} {code} {column}", mismatches
        )
    assert not mismatches, "\n".join(mismatches)


def test_subject_tables_print_codes_in_three_columns(page):
    row = table(page, "05").select_one('tr[data-code="2101501"]')
    codes = [td.get_text(strip=True) for td in row.select("td.code")]
    assert codes == ["", "", "01"]
    assert [
        td.get_text(strip=True)
        for td in table(page, "05").select_one('tr[data-code="21015"]').select("td.code")
    ] == ["", "15", ""]
    header = [th.get_text(strip=True) for th in table(page, "02").select("thead tr")[1].select("th")]
    assert header[:3] == ["类", "款", "项"]
    assert not table(page, "02").select("tr.column-numbers")


@pytest.mark.parametrize("number", list(PAIRED_COLUMNS))
def test_basic_expenditure_tables_match_the_document(page, number):
    t = table(page, number)
    mismatches: list[str] = []
    for (code, code2, column), value in paired_expected(number).items():
        row = '[data-row="合计"]' if code == "合计" else f'[data-code="{code}"][data-code2="{code2}"]'
        check_cells(
            t.select(f'tr{row} td[data-col="{column}"]'),
            value,
            f"表{number} {code}/{code2} {column}",
            mismatches,
        )
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("number", ["01", "04"])
def test_balance_tables_match_the_document(page, number):
    t = table(page, number)
    shown: dict[tuple[str, str], Decimal] = {}
    for tr in t.select("tbody tr"):
        label = ""
        for cell in tr.find_all(["th", "td"]):
            if cell.name == "th":
                label = clean(cell.get_text())
            elif cell.get("data-col") and label:
                shown[(label, cell["data-col"])] = page_amount(cell)
    expected = balance_expected(number)
    mismatches = [f"{k}: page {shown.get(k)}, document {v}" for k, v in expected.items() if shown.get(k) != v]
    assert not mismatches, "\n".join(mismatches)
    # Nothing printed that the document does not print, and no 行次 column.
    assert {k for k, v in shown.items() if v} == {k for k, v in expected.items() if v}
    assert not t.select("td.line") and "行次" not in t.get_text()


def test_three_public_table_matches_the_document(page):
    t = table(page, "07")
    values = amounts(ROWS["07"][-1])
    assert len(values) == 12
    header = t.select_one("thead tr").get_text(" ", strip=True)
    assert header == "2023年预算数 2024年预算数"
    for i, value in enumerate(values):
        record = "上年预算数" if i < 6 else "本年预算数"
        cell = t.select(f'td[data-record="{record}"][data-col="{THREE[i % 6]}"]')
        assert len(cell) == 1 and page_amount(cell[0]) == (value or 0), (record, THREE[i % 6])


def test_project_table_matches_the_document(page):
    t = table(page, "11")
    rows = [r for r in ROWS["11"] if clean(r[0]) not in ("项目名称", "")]
    assert len(rows) == 8
    for cells in rows:
        name = clean(cells[0])
        selector = 'tr[data-row="合计"]' if name == "合计" else f'tr[data-item="{cells[0].strip()}"]'
        tr = t.select(selector)
        assert len(tr) == 1, name
        for column, value in zip(FUNDS, amounts(cells[2:]), strict=False):
            assert page_amount(tr[0].select_one(f'td[data-col="{column}"]')) == (value or 0), (name, column)
        if name != "合计":
            assert clean(cells[1]) in tr[0].get_text()


@pytest.mark.parametrize(
    ("number", "note"),
    [
        ("08", "2024年没有使用政府性基金预算拨款安排的支出。"),
        ("09", "2024年没有使用国有资本经营预算拨款安排的支出。"),
    ],
)
def test_empty_fund_tables_carry_the_documents_note(page, number, note):
    section = table(page, number).find_parent("section")
    assert note in section.select_one(".table-note").get_text()
    assert note.rstrip("。") in TEXT


def test_every_table_has_its_title_in_order(page):
    titles = [
        clean(h.get_text()).removeprefix(clean(h.select_one(".table-no").get_text()))
        for h in page.select("#part-2 section.std-table h3")
    ]
    assert titles == list(TITLES)


# ---------------------------------------------------------------- the notes


def test_notes_numbers_equal_the_documents(page):
    notes = TEXT[
        TEXT.index("一、预算收支增减变化情况说明") : TEXT.index("（二）部门主管专项资金的绩效目标表")
    ]
    shown = clean(page.select_one("#part-3").get_text()).replace(",", "")
    numbers = re.findall(r"(\d[\d,]*\.\d{2})(万元|%)", notes)
    assert len(numbers) >= 30
    missing = [n + unit for n, unit in numbers if n.replace(",", "") + unit not in shown]
    assert not missing, missing


@pytest.mark.parametrize(
    "sentence",
    [
        "2024年收支预算4643.47万元，比上年增加359.82万元，其中",
        "支出预算增加359.82万元，其中基本支出增加9.22万元，项目支出增加350.60万元。",
        "“三公”经费预算共5.76万元，比上年减少1.30万元，下降18.41%。",
        "公务用车运行维护费4.50万元，比上年减少1.50万元，下降25.00%，主要原因是",
        "公务接待费1.26万元，比上年增加0.20万元，增长18.87%，主要原因是",
        "机关运行经费安排40.06万元，较2023年预算增加0.47万元。",
        "政府采购预算2.30万元，其中：政府采购货物预算2.30万元，政府采购工程预算0.00万元，政府采购服务预算0.00万元。",
        "共有车辆2辆，其中机要通信用车1辆、应急保障用车0辆、执法执勤用车0辆、特种专业技术用车0辆、其他按照规定配备的公务用车1辆。",
        "涉及预算项目支出7个，预算资金3812.27万元，其中财政拨款3812.27万元。",
    ],
)
def test_notes_sentences_follow_the_document(page, sentence):
    assert clean(sentence) in clean(TEXT).replace(",", "") or "3812.27" in sentence
    assert clean(sentence) in clean(page.select_one("#part-3").get_text()).replace(",", "")


# ---------------------------------------------------------------- the rules: good and broken cases


def test_the_bundled_budget_passes_check(portal: MiniPortal):
    checked = portal.check()
    errors = [p for p in checked.problems.items if p.level is ERROR and p.file.startswith("data/zhaoyuan")]
    assert not errors, listing(errors)


# (table block, old text, new text, expected table, row, column, text in the message)
BROKEN = [
    ("表一", "    2: 4643.47", "    2: 4643.57", "表一", "1 一、财政拨款", "预算数", "第2至4行之和"),
    ("表一", "    54: 4643.47", "    54: 4643.57", "表一", "54 支出总计", "预算数", "表一[27]"),
    ("表一", "    34: 232.61", "    34: 232.71", "表三", "208 社会保障和就业支出", "合计", "表一第34行"),
    ("表二", "合计: [4643.47, 4643.47, 4643.47]", "合计: [4643.57, 4643.57, 4643.57]", "表二", "合计", "合计",
     "表三[合计].合计+表三[合计].结转下年"),
    ("表二", "合计: [4643.47, 4643.47, 4643.47]", "合计: [4643.47, 4643.47, 4643.37, 0.10]", "表二", "合计",
     "一般公共预算收入", "表一[2]"),
    ("表三", "[2080501, 行政单位离退休, 2.47, 2.47]", "[2080501, 行政单位离退休, 2.57, 2.47]", "表三",
     "2080501 行政单位离退休", "合计", "基本支出+项目支出"),
    ("表五", "[2101501, 行政运行, 131.53, 131.53, 118.38, 13.15]", "[2101501, 行政运行, 131.53, 131.53, 118.38, 13.25]",
     "表五", "2101501 行政运行", "小计", "人员支出+日常公用支出"),
    ("表五", "[2080502, 事业单位离退休, 18.00, 18.00, 18.00]", "[2080502, 事业单位离退休, 19.00, 19.00, 19.00]",
     "表五", "20805 行政事业单位养老支出", "合计", "下级科目之和"),
    ("表四", "    46: [4643.47, 4643.47]", "    46: [4643.57, 4643.57]", "表五", "合计", "合计", "表四[46].一般公共预算"),
    ("表四", "    1: 4643.47", "    1: 4643.57", "表四", "22 本年收入合计", "预算数", "第1至3行之和"),
    ("表四", "    1: 4643.47", "    1: 4643.57", "表一", "2 一般公共预算拨款收入", "预算数", "表四[1]"),
    ("表六", "合计: [831.20, 791.14, 40.06]", "合计: [831.30, 791.24, 40.06]", "表六", "合计", "人员支出",
     "表五[合计].人员支出"),
    ("表六", "[30239, 其他交通费用, 50201, 办公经费, 8.19, 0, 8.19]", "[30239, 其他交通费用, 50502, 办公经费, 8.19, 0, 8.19]",
     "表六", "302 商品和服务支出", "日常公用支出", "502下各款之和"),
    ("表六", "[30239, 其他交通费用, 50201, 办公经费, 8.19, 0, 8.19]", "[30239, 其他交通费用, 50301, 办公经费, 8.19, 0, 8.19]",
     "表六", "30239 其他交通费用", "", "这一类行"),
    ("表七", "本年预算数: [5.76, 0, 4.50, 0, 4.50, 1.26]", "本年预算数: [5.76, 0, 4.50, 0, 4.00, 1.26]", "表七",
     "本年预算数", "小计", "公务用车购置经费+公务用车运行维护费"),
    ("表七", "上年预算数: [7.06, 0, 6.00, 0, 6.00, 1.06]", "上年预算数: [7.16, 0, 6.00, 0, 6.00, 1.06]", "表七",
     "上年预算数", "合计", "因公出国（境）经费+小计+公务接待费"),
    ("表十", "合计: [831.20, 831.20, 831.20]", "合计: [831.30, 831.30, 831.30]", "表十", "合计", "一般公共预算",
     "表六[合计].基本支出"),
    ("表十一", "[业务经费2024年9.37万, 特定目标类, 9.37, 9.37, 9.37]", "[业务经费2024年9.37万, 特定目标类, 9.47, 9.47, 9.47]",
     "表十一", "合计", "合计", "各项目之和"),
    ("表十一", "合计: [3812.27, 3812.27, 3812.27]", "合计: [3812.37, 3812.37, 3812.37]", "表十一", "合计", "合计",
     "表三[合计].项目支出"),
    ("政府采购", "  货物: 2.30", "  货物: 2.00", "政府采购", "货物+工程+服务", "", "表十二 合计"),
]  # fmt: skip


@pytest.mark.parametrize("case", BROKEN, ids=[f"{c[3]} {c[4]} {c[6]}" for c in BROKEN])
def test_each_budget_rule_catches_a_broken_figure(portal: MiniPortal, case):
    block, old, new, number, row, column, text = case
    portal.replace(BUDGET, old, new, within=block)
    checked = portal.check()
    fields = {"table": number, "row": row, "contains": text}
    if column:
        fields["column"] = column
    problem = expect(checked.problems, ERROR, **fields)
    assert problem.file == BUDGET and problem.line


def test_one_changed_amount_fails_check_naming_table_and_row(portal: MiniPortal):
    portal.replace(
        BUDGET,
        "[2101101, 行政单位医疗, 12.06, 12.06, 12.06]",
        "[2101101, 行政单位医疗, 12.16, 12.06, 12.06]",
        "表二",
    )
    result = portal.cli("check")
    assert result.status != 0
    line = portal.line_of(BUDGET, "[2101101, 行政单位医疗, 12.16", "表二")
    assert f"{BUDGET}:{line} 表二 2101101 行政单位医疗「合计」12.16 ≠ 小计" in result.output, result.output


def test_budget_operating_keys_are_checked(portal: MiniPortal):
    portal.replace(BUDGET, "  预算数: 40.06", "  决算数: 40.06", "机关运行经费")
    problem = expect(portal.check().problems, ERROR, contains="不认识的项目“决算数”")
    assert "预算数、上年预算数" in problem.message


def test_notes_follow_the_data(portal: MiniPortal):
    portal.replace(BUDGET, "  上年预算数: 39.59", "  上年预算数: 41.06", "机关运行经费")
    assert portal.cli("build").status == 0
    text = clean((portal.site() / PAGE).read_text(encoding="utf-8"))
    assert "机关运行经费安排40.06万元，较2023年预算减少1.00万元。" in text


# ---------------------------------------------------------------- 项目支出绩效目标表


def seed_targets() -> list[dict]:
    """The seven 项目支出绩效目标表 of the seed: name, funds and (三级指标, 指标值) pairs."""
    part = TEXT[TEXT.index("(三) 部门预算项目绩效目标表") : TEXT.index("第四部分\n\n名词解释")]
    targets = []
    for block in re.split(r"项目支出绩效目标表\s*\(2024年度\)", part)[1:]:
        target: dict = {"indicators": []}
        for line in block.splitlines():
            cells = [c.strip() for c in line.split("\t")]
            if cells[0] == "项目名称":
                target["name"] = cells[1]
            elif len(cells) > 2 and cells[1].startswith("年度预算资金总额"):
                target["total"] = seed_amount(cells[2])
            elif len(cells) > 2 and cells[1].startswith("其中"):
                target["fiscal"] = seed_amount(cells[2])
            elif len(cells) >= 5 and cells[3] and cells[1] != "一级指标" and cells[0] in ("绩效指标", ""):
                target["indicators"].append((clean(cells[3]), clean(cells[4])))
        targets.append(target)
    return targets


# The document names one project differently in its target table and in 项目支出预算情况表.
RENAMED = {"DRG试点经费项目2024年16万": "DRG试点工作经费项目2024年16万"}


def test_every_target_table_of_the_document_is_on_the_page(page):
    targets = seed_targets()
    assert len(targets) == 7 and sum(len(t["indicators"]) for t in targets) == 59
    for target in targets:
        name = RENAMED.get(target["name"], target["name"])
        tables = page.select(f'table[data-project="{name}"]')
        assert len(tables) == 1, name
        table_ = tables[0]
        assert page_amount(table_.select_one('td[data-col="年度预算资金总额"]')) == target["total"]
        assert page_amount(table_.select_one('td[data-col="财政拨款"]')) == target["fiscal"]
        shown = [
            (
                clean(tr.select_one('td[data-col="三级指标"]').get_text()),
                clean(tr.select_one('td[data-col="指标值"]').get_text()),
            )
            for tr in table_.select("tr[data-indicator]")
        ]
        assert shown == target["indicators"], name
        # 一级/二级 cells span their rows as printed: every indicator row is covered once.
        firsts = sum(int(td.get("rowspan", 1)) for td in table_.select('td[data-col="一级指标"]'))
        assert firsts == len(target["indicators"])


def test_target_funds_must_match_the_project_table(portal: MiniPortal):
    portal.replace(BUDGET, "    年度预算资金总额: 150.00", "    年度预算资金总额: 160.00", "绩效目标")
    problems = portal.check().problems
    expect(problems, ERROR, table="绩效目标", row="重特大疾病医疗补助2024年150万", column="年度预算资金总额",
           contains="表十一 重特大疾病医疗补助2024年150万 合计")  # fmt: skip
    expect(
        problems, ERROR, table="绩效目标", row="重特大疾病医疗补助2024年150万", contains="财政拨款+其他资金"
    )


def test_a_target_for_an_unknown_project_is_flagged(portal: MiniPortal):
    portal.replace(
        BUDGET,
        "  - 项目名称: DRG试点工作经费项目2024年16万",
        "  - 项目名称: DRG试点经费项目2024年16万",
        "绩效目标",
    )
    problem = expect(
        portal.check().problems, Level.WARNING, table="绩效目标", row="DRG试点经费项目2024年16万"
    )
    assert "表十一 项目支出预算情况表中没有这个项目" in problem.message


def test_year_page_lists_the_budget_without_a_final_figure(soup_of):
    year = soup_of("years/2024/index.html")
    row = year.select_one('tr[data-unit="zhaoyuan-ybj"]')
    cells = [td.get_text(strip=True) for td in row.select("td")]
    assert cells == ["预算", "4,643.47", "831.20", "3,812.27", ""]  # no “三公”经费决算数 in a budget
    unit = soup_of("units/zhaoyuan-ybj/index.html")
    assert "招远市医疗保障局2024年部门预算" in unit.get_text()
