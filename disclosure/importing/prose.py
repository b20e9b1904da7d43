"""Prose of a document: 职责, 机构设置, 名词解释 and the notes' reasons into content files;
a third-party evaluation report (绩效评价报告) as one Markdown file.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from .headers import plain
from .source import Cell, SourceDocument

if TYPE_CHECKING:
    from .mapping import ImportResult

_MARKS = re.compile(r"^(?:#+\s*|-\s+|\*\*)+|\*\*$")
_PART = re.compile(r"^第[一二三四五六七八九十]部分")
_NUMBERED = re.compile(r"^[一二三四五六七八九十]+、")
_ENDS = ("。", "；", ";", "：", ":", "！", "？", "）", ")")
INCOME = ("财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入")
SPENDING = ("基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")


def bare(text: str) -> str:
    """Return a prose line without Markdown heading, list and bold marks."""
    return _MARKS.sub("", text.strip()).replace("**", "").strip()


def folded(text: str) -> str:
    """Return a line for matching: marks and spaces dropped, full-width forms folded."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", bare(text)))


def section(lines: list[Cell], start: str, stop: str) -> list[Cell]:
    """Return the body lines under the last heading matching `start` that has a body (not the 目录)."""
    body: list[Cell] = []
    for i, cell in enumerate(lines):
        if not re.search(start, folded(cell.text)):
            continue
        following = lines[i + 1] if i + 1 < len(lines) else None
        heading = folded(following.text) if following else ""
        if following is None or (len(heading) <= 30 and (_NUMBERED.match(heading) or _PART.match(heading))):
            continue  # a 目录 entry: the next line is another heading
        candidate = []
        for line in lines[i + 1 :]:
            if re.search(stop, folded(line.text)):
                break
            candidate.append(line)
        if candidate:
            body = candidate
    return body


def wrapped(text: str) -> bool:
    """Tell whether a long line stops mid-sentence (the PDF wrapped it onto the next line)."""
    return len(text) >= 30 and not text.endswith(_ENDS)


def joined_lines(lines: list[Cell]) -> list[Cell]:
    """Join lines the PDF wrapped mid-sentence, keeping the first line's location."""
    result: list[Cell] = []
    for cell in lines:
        text = bare(cell.text)
        if (
            result
            and wrapped(result[-1].text)
            and text
            and not re.match(r"^[(（\d一二三四五六七八九十#]", text)
        ):
            result[-1] = Cell(result[-1].text + text, result[-1].where)
        else:
            result.append(Cell(text, cell.where))
    return result


def paragraphs(lines: list[Cell]) -> list[str]:
    """Join lines wrapped by the PDF (a line not ending a sentence goes on in the next)."""
    result: list[str] = []
    for cell in lines:
        text = bare(cell.text)
        if not text:
            continue
        if result and wrapped(result[-1]) and not re.match(r"^[(（\d一二三四五六七八九十]", text):
            result[-1] += text
        else:
            result.append(text)
    return result


def glossary(lines: list[Cell]) -> list[tuple[str, str]]:
    """Split 名词解释 items “一、术语：解释” into (term, definition)."""
    terms: list[tuple[str, str]] = []
    for text in paragraphs(lines):
        item = _NUMBERED.sub("", text)
        match = re.match(r"^(.{1,60}?)[：:](.+)$", item) or re.match(r"^(.+?（项）)[，,](.+)$", item)
        if match:
            terms.append((plain(match[1]).strip("“”\"' "), match[2].strip()))
    return terms


def reasons(doc: SourceDocument, result: ImportResult) -> list[tuple[str, str]]:
    """Return the notes' hand-written reasons (主要原因是……) keyed as content/*.md expects."""
    from .notes_figures import FigureReader, general_table

    found: list[tuple[str, str]] = []
    rows = result.data.get("表", {}).get(general_table(result), {}).get("科目", [])
    for cell in joined_lines(doc.lines):
        text = folded(cell.text)
        match = re.search(r"主要(?:原因(?:是|为)?|是)[:：,，]?(?:主要是)?(.+)$", text)
        if not match:
            continue
        reason = (
            bare(cell.text)[bare(cell.text).find(match[1][:6]) :]
            if match[1][:6] in bare(cell.text)
            else match[1]
        )
        name = ""
        if "财政拨款收、支总计" in text or "财政拨款收支总计" in text:
            name = "财政拨款收支总计"
        elif "收、支总计" in text:
            name = "收支总计"
        elif "占本年支出合计" in text and "一般公共预算财政拨款支出" in text:
            name = "一般公共预算财政拨款支出"
        elif "机关运行经费" in text:
            name = "机关运行经费"
        elif (item := re.match(r"^\d[、.]([^\d]+?)\d", text)) and item[1] in (*INCOME, *SPENDING):
            name = ("收入/" if item[1] in INCOME else "支出/") + item[1]
        elif entry := re.search(r"([^。]+?)\(类\)([^。]+?)\(款\)([^。]+?)\(项\)", text):
            code = FigureReader.code_of(rows, re.sub(r"^\d+[、.]", "", entry[1]), entry[2], entry[3])
            name = f"项/{code}" if code else ""
        elif result.kind == "budget" and "收支预算" in text:  # pragma: no cover - wording varies
            name = "预算收支"
        if name and name not in dict(found):
            found.append((name, reason.strip()))
    return found


def add_content(doc: SourceDocument, result: ImportResult) -> None:
    """Add 职责.md, 机构设置.md and the report's own .md (reasons, glossary) to the import."""
    unit = result.unit
    duties = section(doc.lines, r"^(一、)?(部门|单位)?(主要)?职责$", r"^(二、)?机构设置|^第[一二三四五]部分")
    if duties:
        result.content[f"{unit}/职责.md"] = "\n\n".join(paragraphs(duties)) + "\n"
    organization = section(
        doc.lines, r"^(二、)?机构设置(情况)?$", r"^第[一二三四五]部分|^\d{4}年.*(决算|预算)表$"
    )
    if organization:
        result.content[f"{unit}/机构设置.md"] = "\n\n".join(paragraphs(organization)) + "\n"
    parts = [f"## {name}\n\n{text}\n" for name, text in reasons(doc, result)]
    terms = glossary(section(doc.lines, r"^(第四部分)?名词解释$", r"^第[一二三四五]部分|^附件"))
    parts += [f"## 名词：{term}\n\n{definition}\n" for term, definition in terms]
    if parts:
        result.content[f"{unit}/{result.year}-{result.kind}.md"] = "\n".join(parts)


# ---------------------------------------------------------------- evaluation reports


def _line_number(where: str) -> int:
    """Return the line number in a “第 N 行” location."""
    match = re.match(r"第 (\d+) 行", where)
    return int(match[1]) if match else 0


def evaluation_title(doc: SourceDocument) -> str:
    """Return an evaluation report's title (its first lines up to “…评价报告”), or ""."""
    head: list[str] = []
    for cell in doc.lines[:12]:
        text = re.sub(r"\s+", "", bare(cell.text))
        head.append(text)
        if re.search(r"评价报告$", text):
            return "".join(head[-3:]) if len("".join(head[-3:])) <= 80 else text
    return ""


def markdown_table(rows: list[list[Cell]]) -> list[str]:
    """Return a Markdown table of a source table (first row as header)."""
    width = max(len(r) for r in rows)
    cells = [
        [re.sub(r"\s+", " ", c.text).strip().replace("|", "\\|") for c in r] + [""] * (width - len(r))
        for r in rows
    ]
    lines = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(r) + " |" for r in cells[1:]]
    return lines


def evaluation_markdown(doc: SourceDocument, title: str) -> str:
    """Turn an evaluation report into Markdown: headings, paragraphs and tables in reading order."""
    items: list[tuple[int, str, object]] = [(_line_number(c.where), "line", c) for c in doc.lines]
    items += [(_line_number(t.rows[0][0].where) if t.rows else 0, "table", t) for t in doc.tables]
    out: list[str] = [f"# {title}", ""]
    paragraph = ""
    started = False
    for _, kind, item in sorted(items, key=lambda x: (x[0], x[1] == "line")):
        if kind == "table":
            if paragraph:
                out += [paragraph, ""]
                paragraph = ""
            out += [*markdown_table(item.rows), ""]  # type: ignore[attr-defined]
            continue
        text = bare(item.text)  # type: ignore[attr-defined]
        if not started:
            started = bool(re.search(r"评价报告$", re.sub(r"\s+", "", text)))
            continue
        heading = ""
        if _NUMBERED.match(text) and len(text) <= 40:
            heading = "## "
        elif re.match(r"^[(（][一二三四五六七八九十]+[)）]", text) and len(text) <= 40:
            heading = "### "
        if heading:
            if paragraph:
                out += [paragraph, ""]
            out += [heading + text, ""]
            paragraph = ""
        elif paragraph and wrapped(paragraph):
            paragraph += text
        else:
            if paragraph:
                out += [paragraph, ""]
            paragraph = text
    if paragraph:
        out.append(paragraph)
    return "\n".join(out).rstrip() + "\n"


def evaluated_unit(title: str) -> str:
    """Return the unit an evaluation report's title names (“2024年度X（本级）部门…评价报告” → X)."""
    name = re.sub(r"^\s*\d{4}\s*年度?", "", title)
    name = re.sub(r"（本级）|\(本级\)", "", name)
    name = re.split(r"部门预算|部门整体|整体|项目|绩效评价报告", name, maxsplit=1)[0]
    return re.sub(r"\d{4}\s*年度?$", "", name.strip()).strip()


def evaluation_report(doc: SourceDocument, unit: str, year: int) -> ImportResult | None:
    """Return a 绩效评价报告 as a Markdown content file, or None when the document is not one."""
    from .mapping import ImportResult

    title = evaluation_title(doc)
    if not title:
        return None
    name = re.sub(r'[\\/:*?"<>|\s]+', "", title)[:60]
    result = ImportResult(unit, year, "evaluation", None, evaluation=True)
    result.unit_name = evaluated_unit(title)
    result.content[f"{unit}/{year}-绩效评价/01-{name}.md"] = evaluation_markdown(doc, title)
    result.profile_reason = f"没有认出公开表；标题“{title}”是绩效评价报告，按 Markdown 导入"
    return result
