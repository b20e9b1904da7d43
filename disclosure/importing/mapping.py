"""Map a SourceDocument onto a table profile: the report data, content files and every finding.

The entry point `import_document` is shared by every reader (text, Excel, PDF): it only sees
the reader-neutral SourceDocument, finds the profile's tables by their titles and 表号, reads the
columns by their header text, and reports what it could not place with where it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..profile import Profile, TableDef, load_profiles
from .findings import Finding, Findings
from .headers import assign_tables, key, plain, profile_score, title_key
from .layouts import TableMapper
from .numbers import clean_text
from .source import ImportFailure, SourceDocument, SourceTable

KIND_LABELS = {"final": "决算", "budget": "预算"}
_COVER = re.compile(r"^(?P<name>[\u4e00-\u9fff（）()]{4,40}?)\d{4}年度?(部门|单位)(决算|预算)表?$")
_COVER_YEAR_FIRST = re.compile(r"^\d{4}年度?(?P<name>[\u4e00-\u9fff（）()]{4,40}?)(部门|单位)(决算|预算)$")
_NAME_LINE = re.compile(r"^(部门\(单位\)|部门|单位|单位名称|部门名称|编制单位|预算单位)[:：](?P<name>.+)$")


@dataclass
class ImportResult:
    """Everything one import produced: report data, content files, the profile chosen, findings."""

    unit: str
    year: int
    kind: str
    profile: Profile | None
    data: dict[str, Any] = field(default_factory=dict)
    content: dict[str, str] = field(default_factory=dict)  # path under content/ → Markdown
    findings: list[Finding] = field(default_factory=list)
    sources: dict[tuple[Any, ...], str] = field(default_factory=dict)  # YAML path → source location
    unit_name: str = ""
    scope: str = "部门"
    comments: dict[str, str] = field(default_factory=dict)  # top-level key → comment in the YAML
    profile_reason: str = ""
    evaluation: bool = False

    @property
    def unplaced(self) -> list[Finding]:
        """Return what could not be placed in the report."""
        return [f for f in self.findings if f.level == "unplaced"]


def unit_name_of(doc: SourceDocument) -> str:
    """Return the unit named in the tables' 部门/单位 lines (not “单位：万元”)."""
    for table in doc.tables:
        for cell in table.preamble:
            match = _NAME_LINE.match(clean_text(cell.text))
            if match and "万元" not in match["name"] and match["name"] != "元":
                return plain(cell.text.split("：", 1)[-1].split(":", 1)[-1])
    # No 部门/单位 line: the cover or a part heading names the unit with the year and the kind.
    for cell in doc.lines[:60]:
        text = re.sub(r"^第[一二三四五]部分", "", plain(cell.text))
        match = _COVER.match(text) or _COVER_YEAR_FIRST.match(text)
        if match:
            return match["name"]
    return ""


def scope_of(doc: SourceDocument) -> str:
    """Tell whether the document is a department's (部门) or a single unit's (单位) report."""
    for table in doc.tables:
        for cell in table.preamble:
            text = clean_text(cell.text)
            if text.startswith(("部门:", "部门(单位):")):
                return "部门"
            if text.startswith("单位:") and "万元" not in text:
                return "单位"
    joined = "".join(clean_text(c.text) for c in doc.lines[:80])
    return "单位" if "单位决算" in joined or "单位预算" in joined else "部门"


def choose_profile(
    doc: SourceDocument, profiles: dict[str, Profile], kind: str | None, wanted: str | None
) -> tuple[Profile | None, str]:
    """Return the named profile, or the one whose table titles best match the document's."""
    if wanted:
        # An id or alias names one profile; “--profile shanghai” may also name the region: its final or
        # budget profile, by --kind or the tables.
        named = [
            p for p in profiles.values()
            if p.id == wanted or wanted in p.aliases or p.id.startswith(wanted + "-")
        ]  # fmt: skip
        if kind is not None:
            named = [p for p in named if p.kind == kind] or named
        if len(named) > 1:
            named = sorted(named, key=lambda p: profile_score(doc.tables, p), reverse=True)[:1]
        if not named:
            names = sorted([*profiles, *(a for p in profiles.values() for a in p.aliases)])
            raise ImportFailure(f"没有名为“{wanted}”的表样（可用：{'、'.join(names)}）")
        return named[0], f"按 --profile {wanted} 使用表样 {named[0].id}（{named[0].name}）"
    scored = sorted(((profile_score(doc.tables, p), p.id) for p in profiles.values()), reverse=True)
    if not scored or scored[0][0] == 0:
        return None, ""
    if kind is not None:
        best_any = profiles[scored[0][1]]
        scored = [s for s in scored if profiles[s[1]].kind == kind]
        if best_any.kind != kind and (not scored or scored[0][0] < profile_score(doc.tables, best_any)):
            label = KIND_LABELS.get(best_any.kind, best_any.kind)
            raise ImportFailure(
                f"{doc.path.name} 的表是{label}表（最像表样 {best_any.id}），与 --kind {kind} 不符；"
                f"请去掉 --kind 或改为 --kind {best_any.kind}"
            )
    score, best = scored[0]
    profile = profiles[best]
    return (
        profile,
        f"按表名识别为表样 {best}（{profile.name}，{len(profile.tables)} 张表中认出 {_count(doc, profile)} 张）",
    )


def _count(doc: SourceDocument, profile: Profile) -> int:
    """Count the profile tables found in the document."""
    found, _ = assign_tables(list(doc.tables), profile)
    return len(found)


class DocumentMapper:
    """Build a report's data from a document and its profile."""

    def __init__(self, doc: SourceDocument, profile: Profile, unit: str, year: int):
        self.doc = doc
        self.profile = profile
        self.findings = Findings()
        self.result = ImportResult(unit, year, profile.kind, profile)
        self.result.scope = scope_of(doc)
        self.result.unit_name = unit_name_of(doc)
        self.suffixes: list[str] = []
        self.targets: list[dict[str, Any]] = []
        self.evaluations: tuple[list[dict[str, Any]], str] = ([], "")

    def run(self) -> ImportResult:
        """Map every table, then the report's own fields."""
        result = self.result
        tables = [
            SourceTable(t.title, t.where, list(t.rows), list(t.preamble), list(t.footer))
            for t in self.doc.tables
        ]
        found, left = assign_tables(tables, self.profile)
        data: dict[str, Any] = {}
        for definition in self.profile.tables:
            source = found.get(definition.number)
            if source is None:
                self.missing(definition)
                continue
            mapped = TableMapper(definition, source, self.findings).run()
            note = self.footer(definition, source)
            body = dict(mapped.data)
            if note:
                body["注"] = note
            if not body:
                continue
            data[definition.number] = body
            for path, where in mapped.sources.items():
                result.sources[("表", definition.number, *path)] = where
            result.sources[("表", definition.number)] = source.where
        if self.profile.kind == "budget":
            from .targets import read_targets

            targets, places, left = read_targets(left, self.findings)
            if targets:
                self.targets = targets
                for i, where in enumerate(places):
                    result.sources[("绩效目标", i)] = where
        if self.profile.kind == "final":
            left = self.self_evaluations(left)
        for table in left:
            name = (
                " ".join(p for p in (table.title,) if p)
                or plain(" ".join(c.text for c in table.rows[0][:4]))[:30]
            )
            self.findings.add("unplaced", f"表“{name}”不在表样 {self.profile.id} 中，没有导入", table.where)
        result.data = self.header(data)
        if self.targets:
            result.data["绩效目标"] = self.targets
            result.comments["绩效目标"] = (
                "项目支出绩效目标表（每个项目一项；指标：[一级指标, 二级指标, 三级指标, 指标值]）"
            )
        result.findings = self.findings.items
        return result

    def self_evaluations(self, left: list[SourceTable]) -> list[SourceTable]:
        """Read the 项目支出绩效自评表 among the tables left over; return the tables still left."""
        from .selfeval import doubts, read_self_evaluations, unread

        found, note, places, left = read_self_evaluations(left, self.doc.lines)
        projects: list[dict[str, Any]] = []
        for project, where in zip(found, places, strict=True):
            name = project.get("项目名称", "")
            missing = unread(project)
            if missing:
                # Too little read to be this table (its layout was not understood): left out, and said.
                self.findings.add("unplaced", f"绩效自评表“{name}”没能读全（{missing}），没有导入", where)
                continue
            self.result.sources[("预算绩效", "自评表", len(projects))] = where
            projects.append(project)
            for doubt in doubts(project):
                self.findings.add("warning", f"绩效自评表“{name}”：{doubt}", where)
        self.evaluations = (projects, note if projects else "")
        return left

    def header(self, tables: dict[str, Any]) -> dict[str, Any]:
        """Return the report's top-level fields in the order the bundled files use."""
        result = self.result
        label = KIND_LABELS.get(self.profile.kind, self.profile.kind_label)
        data: dict[str, Any] = {"年度": str(result.year), "类型": label, "格式": self.profile.id}
        if result.unit_name:
            year_text = f"{result.year}年度" if self.profile.kind == "final" else f"{result.year}年"
            data["名称"] = f"{result.unit_name}{year_text}{result.scope}{label}"
        if self.suffixes:
            data["表注后缀"] = max(set(self.suffixes), key=self.suffixes.count)
        data["表"] = tables
        return data

    def missing(self, definition: TableDef) -> None:
        """Report a profile table that the document does not have."""
        level = "note" if "未公开" in definition.empty_note else "warning"
        self.findings.add(
            level,
            f"文件中找不到“{definition.number} {definition.title}”（按表名和表号查找），这张表没有导入",
            "",
            definition.number,
        )

    def footer(self, definition: TableDef, table: SourceTable) -> str:
        """Sort a table's footer: the standard note is dropped, a rounding remark becomes 表注后缀,
        a “no data” remark becomes the table's 注 unless it is the one the profile writes anyway."""
        text = "".join(c.text.strip() for c in table.footer)
        text = re.sub(r"^[(（]?(注|说明)[:：]", "", text).rstrip(")）")
        text = re.sub(r"(说明|注)[:：]", "。", text)
        sentences = [re.sub(r"^\d+[.、．]\s*", "", s.strip()) for s in re.split(r"。", text)]
        fill = {
            "scope": self.result.scope,
            "unit": self.result.unit_name,
            "year": self.result.year,
            "previous_year": self.result.year - 1,
        }
        standard = {_unbracketed(s) for s in _format(definition.note, fill).split("。") if s}
        automatic = key(_format(definition.empty_note, fill).rstrip("。"))
        notes: list[str] = []
        for sentence in sentences:
            sentence = sentence.strip().strip("（）()")
            if not sentence or _unbracketed(sentence) in standard:
                continue
            if re.search(r"尾差|尾数", sentence):
                self.suffixes.append(sentence + "。")
            elif re.search(r"无数据|没有|未发生|无.*支出", sentence):
                if key(sentence) != automatic:
                    notes.append(sentence + "。")
            else:
                self.findings.add(
                    "unplaced", f"表注“{sentence}”没有导入", table.footer[0].where, definition.number
                )
        return "".join(notes)


def _unbracketed(sentence: str) -> str:
    """Return a sentence's key without brackets (a remark wrapped in （…） loses its last one above)."""
    return re.sub(r"[()（）]", "", key(sentence))


def _format(template: str, fill: dict[str, Any]) -> str:
    """Fill a note template, leaving it as written when a placeholder is unknown."""
    try:
        return template.format(**fill)
    except (KeyError, IndexError, ValueError):
        return template


def import_document(
    doc: SourceDocument,
    *,
    unit: str,
    year: int,
    kind: str | None,
    profile: str | None,
    profile_dirs: tuple[Path, ...] = (),
) -> ImportResult:
    """Map a read document onto a profile (given, or recognised by its table titles)."""
    from .yearbook import select_report

    profiles = load_profiles(profile_dirs)
    doc, kind, selected = select_report(doc, unit, kind, profiles)
    chosen, reason = choose_profile(doc, profiles, kind, profile)
    if chosen is None:
        from .prose import evaluation_report

        evaluation = evaluation_report(doc, unit, year)
        if evaluation is not None:
            return evaluation
        raise ImportFailure(
            f"{doc.path.name} 中找不到任何公开表（按表名和表号查找，如“收入支出决算总表”“公开01表”“收支总体情况表”），"
            "也不是绩效评价报告；请确认文件内容，或用 --profile 指定表样"
        )
    if kind and chosen.kind != kind:
        raise ImportFailure(
            f"表样 {chosen.id} 是{KIND_LABELS.get(chosen.kind, chosen.kind)}表样，与 --kind {kind} 不符"
        )
    mapper = DocumentMapper(doc, chosen, unit, year)
    result = mapper.run()
    result.profile_reason = "\n".join(r for r in (selected, reason) if r)
    from .notes_figures import add_note_figures
    from .prose import add_content
    from .selfeval import place_self_evaluations

    add_note_figures(doc, result)
    if mapper.evaluations[0]:
        place_self_evaluations(result.data, *mapper.evaluations)
    add_content(doc, result)
    return result


__all__ = ["ImportResult", "import_document", "title_key"]
