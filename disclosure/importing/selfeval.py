"""Read the 项目支出绩效自评表 of a 决算 document into `预算绩效.自评表` (one mapping per project).

The tables come in several printed forms (济南: 项目预算执行情况 with 年初预算数…; 济源: 项目资金 with a
资金管理情况 block, 填报日期 and 偏差度), and a page break may drop a row's leading empty cells. So each
block is found by its label text (项目名称, 主管部门, 年度资金总额, 年度总体目标, 一级指标, 总分 …), never by
a fixed position; 指标 rows are placed by their 一级/二级 names or lined up with the header, 资金 rows
are read from their label on. Cells keep their printed text ("74.08%", "≥88家"). What the import
cannot read whole is said (mapping.py): never a table imported half-read without a word.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from typing import Any

from .headers import key
from .pdflayout import join_wrapped
from .source import Cell, SourceTable

_TITLE = re.compile(r"绩效自评(情况)?表([(（][^()（）]*[)）])?$")
_DATE = re.compile(r"^\d{4}年\d{1,2}月(\d{1,2}日)?$")
_NOTE_ITEM = re.compile(r"^\d+[.、．]")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?\s*%?$")
Row = list[str]


def is_self_evaluation(table: SourceTable) -> bool:
    """Tell whether a source table is a 项目支出绩效自评表 (not the 汇总表 listing the projects)."""
    title = key(table.title)
    return bool(_TITLE.search(title)) and "汇总" not in title


def read_self_evaluations(
    tables: list[SourceTable], lines: list[Cell]
) -> tuple[list[dict[str, Any]], str, list[str], list[SourceTable]]:
    """Return the projects' tables, the note printed under them, where each project was, and the other tables.

    A table without a title right after a 自评表 is the rest of it (the text broke it at a blank line).
    """
    rows: list[tuple[Row, str]] = []
    found: list[SourceTable] = []
    left: list[SourceTable] = []
    previous_was_evaluation = False
    for table in tables:
        if not (is_self_evaluation(table) or (previous_was_evaluation and not table.title)):
            left.append(table)
            previous_was_evaluation = False
            continue
        previous_was_evaluation = True
        found.append(table)
        # A date (填报日期) may share the preamble line with the year and unit: “（2023年度） 2024年09月 单位：万元”.
        rows += [([word], c.where) for c in table.preamble for word in c.text.split() if _DATE.match(word)]
        rows += _with_page_breaks(
            [([c.text.strip() for c in row], row[0].where if row else table.where) for row in table.rows]
        )
    projects: list[dict[str, Any]] = []
    places: list[str] = []
    for block, where in _projects(rows):
        projects.append(_project(block))
        places.append(where)
    if not projects:  # titled like a 自评表, but no 项目名称 row: not this layout, reported as left over
        return [], "", [], tables
    return projects, _note(found, lines), places, left


_PAGE_BREAK = "\x00分页"  # a row put between two rows printed on different pages (never written)
_PAGE = re.compile(r"第 (\d+) 页")


def _with_page_breaks(rows: list[tuple[Row, str]]) -> list[tuple[Row, str]]:
    """Return the rows with a page-break row between two rows printed on different pages."""
    marked: list[tuple[Row, str]] = []
    page = None
    for row, where in rows:
        found = _PAGE.search(where)
        if found and page is not None and found.group(1) != page:
            marked.append(([_PAGE_BREAK], where))
        page = found.group(1) if found else page
        marked.append((row, where))
    return marked


def _projects(rows: list[tuple[Row, str]]) -> list[tuple[list[Row], str]]:
    """Cut the rows into one block per project, each starting at its 项目名称 row (a date line before it joins it)."""
    blocks: list[tuple[list[Row], str]] = []
    date: Row | None = None
    for row, where in rows:
        filled = [t for t in row if t]
        if len(filled) == 1 and _DATE.match(filled[0]):
            date = filled
            continue
        if filled and filled[0] == "项目名称":
            blocks.append(([date] if date else [], where))
            date = None
        if blocks:
            blocks[-1][0].append(row)
    return blocks


def _after(row: Row, label: str) -> str:
    """Return the first filled cell after the cell holding label (a merged label repeated is skipped)."""
    if label not in row:
        return ""
    return next((t for t in row[row.index(label) + 1 :] if t and t != label), "")


_FIRST_LEVEL = {"成本指标", "产出指标", "效益指标", "满意度指标"}
_SECOND_LEVEL = {"服务对象满意度", "服务对象满意度指标", "可持续影响指标", "可持续发展影响指标"}
_MANAGEMENT_HEADINGS = {
    "资金管理情况",
    "情况说明",
    "分值(20)",
    "分值（20）",
    "分值",
    "得分",
    "存在问题和改进措施",
}


def _project(block: list[Row]) -> dict[str, Any]:
    """Read one project's table, block by block (资金, 资金管理, 年度总体目标, 指标) as each label opens it."""
    project: dict[str, Any] = {}
    section = ""
    header: Row = []
    broke = False  # the row follows a page break
    for row in block:
        filled = [t for t in row if t]
        if not filled:
            continue
        first = filled[0]
        if first == _PAGE_BREAK:
            broke = True
            continue
        project[_BROKE] = broke
        broke = False
        if len(filled) == 1 and _DATE.match(first):
            project["填报日期"] = first
        elif first in ("项目名称", "汇总表名称"):  # 汇总表名称: written by the portal's own workbook
            project[first] = _after(row, first)
        elif first == "主管部门":
            project["主管部门"] = _after(row, "主管部门")
            project["实施单位"] = _after(row, "实施单位")
        elif any("年初预算数" in t for t in filled):
            section = "资金"
        elif first.startswith("资金管理"):
            section = "资金管理"
            item = [t for t in filled if t not in _MANAGEMENT_HEADINGS]
            if any(_NUMBER.match(t) for t in item):  # the first item printed on the heading's line
                project.setdefault("资金管理", []).append(item[:5])
        elif section == "资金" and any(_NUMBER.match(t) for t in filled):
            project.setdefault("资金", []).append(_fund(row))
        elif first.startswith("年度总"):  # 年度总体目标, 年度总目标, or 年度总 / 体目标 over two lines
            section = "目标"
            if row.count(first) > 1:  # a PDF's merged label, repeated over its columns and down to the texts
                _goal(project, row)
        elif "一级指标" in filled[:2]:
            section, header = "指标", row
        elif first == "绩效指标" and len(filled) == 1:
            continue
        elif first == "总分":
            _total(project, filled[1:])
            section = ""
        elif first.startswith("总分在"):
            project["未达标说明"] = "".join(filled[1:])
        elif section:
            _section_row(project, section, row, filled, header)
    return _ordered(project)


def _section_row(project: dict[str, Any], section: str, row: Row, filled: Row, header: Row) -> None:
    """Add a row of the 资金管理, 年度总体目标 or 指标 block."""
    if section == "资金管理":
        project.setdefault("资金管理", []).append(filled[:5])
    elif section == "目标":
        _goal(project, [t for t in row if t != "体目标"])  # the label's second line
    elif section == "指标":
        project.setdefault("指标", []).append(_indicator(row, header, project.get("指标", [])))


_GOAL_HEADINGS = {"年初预期目标", "目标实际完成情况"}
_CUT = "未读全"  # why a table could not be read whole; never written: such a table is not imported
_BROKE = "分页后"  # the row being read follows a page break (never written)
_GOES_ON = "接续"  # the goal texts that went on after a page break (never written)


def _goal(project: dict[str, Any], row: Row) -> None:
    """Set 年度总体目标 from the first row holding its texts, or mark the table cut when a second row
    holds both texts again (labels, headings and merged repeats skipped: a merged cell read from a
    PDF repeats its text in the cells right after it)."""
    texts = [
        t
        for i, t in enumerate(row)
        if t and not t.startswith("年度总") and t not in _GOAL_HEADINGS and (i == 0 or t != row[i - 1])
    ]
    goal = project.get("年度总体目标")
    if goal is None and texts:
        project["年度总体目标"] = {"预期": texts[0], "实际": texts[1] if len(texts) > 1 else ""}
        if project.get(_BROKE):
            project[_GOES_ON] = texts  # the whole row moved to the new page: it may be read twice there
    elif goal is not None and len(texts) == 2 and texts == project.get(_GOES_ON):
        return  # the part after the break read twice (the cell's two grid rows on the new page)
    elif goal is not None and len(texts) == 2 and goal["实际"] and project.get(_BROKE):
        # Both texts go on at the top of the next page: the lines after the break, joined on.
        goal["预期"], goal["实际"] = (
            join_wrapped([goal["预期"], texts[0]]),
            join_wrapped([goal["实际"], texts[1]]),
        )
        project[_GOES_ON] = texts
    elif goal is not None and len(texts) == 2 and goal["实际"]:
        # Both texts go on in another row: a page break cut the row, and a PDF cut at a page break
        # holds the clipped text twice or not at all, so the texts cannot be trusted whole.
        project[_CUT] = "年度总体目标的文字被分页截断"


def _fund(row: Row) -> list[str | None]:
    """Return a 资金 row: its label (the last words before the first amount), then up to six values
    (a blank one None, trailing blanks dropped)."""
    first_number = next(i for i, t in enumerate(row) if _NUMBER.match(t))
    label = next((i for i in range(first_number - 1, -1, -1) if row[i]), first_number - 1)
    values = row[label + 1 :]
    while values and not values[-1]:
        values.pop()
    while len(values) > 6 and not values[0]:
        values.pop(0)  # a blank cell the print put between the label and its amounts
    return [row[label] if label >= 0 else "", *(v or None for v in values)]


def _indicator(row: Row, header: Row, before: list[list[str | None]]) -> list[str | None]:
    """Return a 指标 row in the header's columns; blank 一级/二级 carry from the row above.

    A whole row lines up with the header. A row starting with blanks is placed by its first words
    when they are a 一级 or 二级 name (数量指标, 服务对象满意度: the print may have dropped or added a
    blank before them); else it lines up from the left, or from the right when it is shorter than
    the header (leading cells lost at a page break).
    """
    heading = list(header)
    while heading and not heading[-1]:
        heading.pop()
    start = heading.index("一级指标") if "一级指标" in heading else 0
    width = len(heading) - start
    i = next((n for n, t in enumerate(row) if t), 0)
    if (i <= start and len(row) >= len(heading)) or not row[i]:
        column = i - start  # a whole row: as printed
    elif row[i] in _FIRST_LEVEL:
        column = 0
    elif row[i] in _SECOND_LEVEL or (row[i].endswith("指标") and row[i] not in _FIRST_LEVEL):
        column = 1
    elif len(row) >= len(heading):
        column = i - start
    else:
        column = i + len(heading) - len(row) - start
    cells: list[str | None] = [t or None for t in row[i:]]
    blanks: list[str | None] = [None] * max(column, 0)
    values = blanks + cells[max(-column, 0) :]
    values = (values + [None] * width)[:width]
    previous = before[-1] if before else []
    for level in range(min(2, len(values), len(previous))):
        if values[level] is None:
            values[level] = previous[level]
    if "偏差度" in heading:
        return values  # every column kept (a blank 偏差原因 is None) where the table prints 偏差度
    while values and values[-1] is None:
        values.pop()
    return values


def _total(project: dict[str, Any], values: Row) -> None:
    """Read the 总分 row: one number is the score; two are the full marks (总分值) then the score."""
    if len(values) >= 2:
        project["总分值"], project["总分"] = values[0], values[1]
    elif values:
        project["总分"] = values[0]


def _ordered(project: dict[str, Any]) -> dict[str, Any]:
    """Return the project's fields in the order the bundled files write them."""
    order = (
        "项目名称",
        "汇总表名称",
        "主管部门",
        "实施单位",
        "填报日期",
        "资金",
        "资金管理",
        "年度总体目标",
        "指标",
    )
    tail = ("总分值", "总分", "等级", "未达标说明", _CUT)
    return {k: project[k] for k in (*order, *tail) if k in project}


def _note(tables: list[SourceTable], lines: list[Cell]) -> str:
    """Return the 注 printed under the first table: its first line and the numbered lines after it."""
    first = next((t for t in tables if t.footer), None)
    if first is None:
        return ""
    items: list[str] = []
    for cell in first.footer:  # a PDF wraps an item over lines: a line not numbered goes on the item above
        text = cell.text.strip()
        if items and not _NOTE_ITEM.match(text):
            items[-1] = join_wrapped([items[-1], text])
        else:
            items.append(text)
    after = _line_number(first.footer[-1].where)
    for cell in lines:
        number = _line_number(cell.where)
        if number is None or after is None or number <= after:
            continue
        if not _NOTE_ITEM.match(cell.text.strip()):
            break
        items.append(cell.text.strip())
    # The note is Markdown on the page: a printed ≥* (any value) must not start emphasis.
    return "\n\n".join(item.replace("*", "\\*") for item in items) + "\n"


def _line_number(where: str) -> int | None:
    """Return the line of a “第 N 行” location."""
    found = re.search(r"第 (\d+) 行", where)
    return int(found.group(1)) if found else None


def name_from_summary(projects: list[dict[str, Any]], summary: list[dict[str, Any]]) -> None:
    """Set 汇总表名称 where the 汇总表 lists a project under another name (paired by score, then likeness)."""
    names = {str(item.get("名称", "")) for item in summary}
    free = [item for item in summary if str(item.get("名称")) not in {p.get("项目名称") for p in projects}]
    for project in projects:
        name = str(project.get("项目名称", ""))
        if name in names:
            continue
        same = [item for item in free if _same_number(item.get("得分"), project.get("总分"))]
        if len(same) != 1:
            continue  # no score, or one shared by several projects: the pairing would be a guess
        best = same[0]
        if SequenceMatcher(None, name, str(best["名称"])).ratio() < 0.5:
            continue
        free.remove(best)
        project["汇总表名称"] = str(best["名称"])
        reordered = _ordered(project)
        project.clear()
        project.update(reordered)


def _same_number(a: Any, b: Any) -> bool:
    """Tell whether two printed numbers are equal (93.62 and 93.620)."""
    try:
        return a is not None and b is not None and Decimal(str(a)) == Decimal(str(b))
    except InvalidOperation:
        return False


def place_self_evaluations(data: dict[str, Any], projects: list[dict[str, Any]], note: str) -> None:
    """Put the tables under 预算绩效 (after the 自评项目 read from the notes), named as the 汇总表 names them."""
    performance = data.setdefault("预算绩效", {})
    name_from_summary(projects, performance.get("自评项目", []))
    performance["自评表"] = projects
    if note:
        performance["自评表注"] = note


def unread(project: dict[str, Any]) -> str:
    """Return what keeps a project's table from being read whole (Chinese), or "" when it was."""
    if not (project.get("项目名称") and project.get("指标") and "总分" in project):
        return "缺项目名称、绩效指标或总分"
    if _CUT in project:
        return str(project[_CUT])
    for row in project["指标"]:
        first = str(row[0] or "")
        if len(first) > 10 or any(c.isspace() for c in first):  # 一级指标 is a short name: 产出指标
            return f"一级指标“{first[:20]}…”不像指标名称，指标行可能错列"
    return ""


def doubts(project: dict[str, Any]) -> list[str]:
    """Return what to check in the original about a project's table (Chinese, one line each).

    资金 rows with more than six values (columns run together in the print) are cut to their first
    six here, so that the table is well formed, and said.
    """
    found = []
    crowded = [row for row in project.get("资金", []) if len(row) > 7]
    if crowded:
        found.append(
            f"资金行“{'”“'.join(str(row[0]) for row in crowded)}”的数多于 6 个（原文各列可能错位），"
            "已取前 6 个，请对照原文核对 [年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分]"
        )
        for row in crowded:
            del row[7:]
    goal = project.get("年度总体目标", {})
    if goal and not goal.get("实际"):
        found.append("年度总体目标只有一格文字（年初预期目标和实际完成情况可能印在一格中），请核对后分开")
    return found
