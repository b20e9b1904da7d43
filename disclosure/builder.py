"""Build the model from the sources already read: reports, units, prose sections and glossaries.

No I/O happens here; every problem found while reading a value is recorded with its location.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .evaluations import build_evaluations
from .model import (
    BUDGET_OPERATING_KEYS,
    DEFAULT_PROFILE,
    KIND_BY_LABEL,
    KIND_LABELS,
    OPERATING_KEYS,
    PROCUREMENT_KEYS,
    THREE_PUBLIC_AMOUNTS,
    THREE_PUBLIC_COUNTS,
    VEHICLE_KINDS,
    Attachment,
    Portal,
    Project,
    Report,
    Target,
    Term,
    Unit,
    pair_budgets_and_finals,
    resolve,
)
from .money import ZERO, AmountError, parse_amount
from .performance import read_self_evaluations
from .problems import Problems
from .profile import Profile, find_profile
from .sections import glossary_terms, split_sections
from .sources import ReportSource, Sources, UnitSource
from .tablereader import TableReader, plain_amount
from .tables import Cell


class ReportBuilder:
    """Build one Report from its source, recording every problem with its location."""

    def __init__(self, source: ReportSource, profiles: dict[str, Profile], problems: Problems):
        self.source = source
        self.doc = source.doc
        self.data = source.doc.data if isinstance(source.doc.data, dict) else {}
        self.profiles = profiles
        self.problems = problems

    def where(self, *path: Any) -> dict[str, Any]:
        """Return the location keywords of a value."""
        return {"file": self.source.path, "line": self.doc.line(*path)}

    def amount(self, raw: Any, *path: Any, label: str = "") -> Cell | None:
        """Read an optional amount at a path."""
        if raw is None:
            return None
        if type(raw) is str and plain_amount(raw):
            return Cell(Decimal(raw), self.doc.line(*path))
        try:
            value = parse_amount(raw)
            if value.as_tuple().exponent < -2:  # type: ignore[operator]
                raise AmountError(str(raw))
            return Cell(value, self.doc.line(*path))
        except (AmountError, TypeError):
            self.problems.error(
                f"应为金额（万元，最多两位小数），实际写的是“{raw}”",
                row=label or str(path[-1]),
                **self.where(*path),
            )
            return None

    def count(self, raw: Any, *path: Any) -> int:
        """Read a whole number (vehicles, people, batches)."""
        if raw is None:
            return 0
        try:
            value = int(str(raw))
            if value < 0:
                raise ValueError
            return value
        except ValueError:
            self.problems.error(f"应为非负整数，实际写的是“{raw}”", row=str(path[-1]), **self.where(*path))
            return 0

    def mapping(self, key: str) -> dict[str, Any]:
        """Return a top-level mapping, or an empty one (with an error when it is not a mapping)."""
        value = self.data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problems.error(f"“{key}”应为“键: 值”的形式", **self.where(key))
            return {}
        return value

    def unknown(self, values: dict[str, Any], allowed: tuple[str, ...], *path: str | int) -> None:
        """Report keys that the format does not know."""
        for key in values:
            if key not in allowed:
                self.problems.error(
                    f"不认识的项目“{key}”（可用：{'、'.join(allowed)}）",
                    **self.where(*path, key),
                )

    def build(self, unit_name: str, level: str) -> Report | None:
        """Build the report, or None when its profile is unknown."""
        data = self.data
        if not isinstance(self.doc.data, dict):
            self.problems.error("报告文件应为“键: 值”的形式（见 data/README.md）", file=self.source.path)
            return None
        kind = self.source.kind
        label = data.get("类型")
        if label is not None and KIND_BY_LABEL.get(str(label)) != kind:
            self.problems.error(f"“类型: {label}”与文件名（{self.source.kind}）不一致", **self.where("类型"))
        year = data.get("年度")
        if year is not None and str(year) != str(self.source.year):
            self.problems.error(f"“年度: {year}”与文件名年度 {self.source.year} 不一致", **self.where("年度"))
        profile_id = str(data.get("格式") or DEFAULT_PROFILE[kind])
        profile = find_profile(self.profiles, profile_id)
        if profile is None:
            self.problems.error(
                f"找不到表样“{profile_id}”（可用：{'、'.join(sorted(self.profiles))}）",
                **self.where("格式"),
            )
            return None
        report = Report(
            self.source.unit_id, self.source.year, kind, profile, self.source.path,
            files=self.source.files,
        )  # fmt: skip
        report.scope = level
        report.title = str(data.get("名称") or f"{unit_name}{self.source.year}年度{level}{KIND_LABELS[kind]}")
        report.note_suffix = str(data.get("表注后缀") or "")
        self.read_tables(report)
        self.read_figures(report)
        self.read_notes_data(report)
        self.read_prose(report)
        known = {"年度", "类型", "格式", "名称", "表注后缀", "表", "上年", "年初预算",
                 "三公经费", "机关运行经费", "政府采购", "国有资产", "预算绩效", "单位", "绩效目标"}  # fmt: skip
        for key in data:
            if key not in known:
                self.problems.error(f"不认识的项目“{key}”", **self.where(key))
        return report

    def read_tables(self, report: Report) -> None:
        """Read every table of the profile, reporting missing and unknown ones."""
        raw_tables = self.mapping("表")
        reader = TableReader(self.doc, self.source.path, self.problems)
        for definition in report.profile.tables:
            raw = raw_tables.get(definition.number)
            if raw is None and not definition.empty_note:
                self.problems.error(
                    f"缺少{definition.number} {definition.title}",
                    **self.where("表"),
                    table=definition.number,
                )
            report.tables[definition.number] = reader.read(definition, raw, ("表", definition.number))
            report.tables[definition.number].year = report.year
        for number in raw_tables:
            if report.profile.table(number) is None:
                self.problems.error(
                    f"表样“{report.profile.id}”中没有{number}",
                    **self.where("表", number),
                    table=number,
                )

    def read_figures(self, report: Report) -> None:
        """Compute the named figures, then read last year's typed figures."""
        for name, ref in report.profile.figures.items():
            cell = resolve(report, ref)
            report.figures[name] = cell.value if cell else ZERO
        previous = self.mapping("上年")
        for key, raw in previous.items():
            if key not in report.profile.figures and key != "机关运行经费":
                self.problems.error(
                    f"“上年”中的“{key}”不是表样中的数名（见 data/README.md）", **self.where("上年", key)
                )
                continue
            cell = self.amount(raw, "上年", key)
            if cell:
                report.typed_previous[key] = cell

    def read_notes_data(self, report: Report) -> None:
        """Read the figures behind the notes: budgets, 三公, 机关运行经费, 采购, 资产, 绩效."""
        budget = self.mapping("年初预算")
        for key, raw in budget.items():
            if key == "科目":
                if not isinstance(raw, dict):
                    self.problems.error(
                        "“科目”应写成“项代码: 年初预算数”，每行一个", **self.where("年初预算", key)
                    )
                items = raw if isinstance(raw, dict) else {}
                for code, value in items.items():
                    cell = self.amount(value, "年初预算", "科目", code, label=str(code))
                    if cell:
                        report.budget_items[str(code)] = cell
            else:
                cell = self.amount(raw, "年初预算", key)
                if cell:
                    report.budget_total[key] = cell
        three = self.mapping("三公经费")
        self.unknown(three, THREE_PUBLIC_COUNTS + THREE_PUBLIC_AMOUNTS, "三公经费")
        for key in THREE_PUBLIC_COUNTS:
            report.three_public[key] = self.count(three.get(key), "三公经费", key)
        for key in THREE_PUBLIC_AMOUNTS:
            cell = self.amount(three.get(key), "三公经费", key)
            report.three_public[key] = cell
        operating = self.mapping("机关运行经费")
        operating_keys = BUDGET_OPERATING_KEYS if report.kind == "budget" else OPERATING_KEYS
        self.unknown(operating, operating_keys, "机关运行经费")
        for key in operating_keys:
            cell = self.amount(operating.get(key), "机关运行经费", key)
            if cell:
                report.operating[key] = cell
        procurement = self.mapping("政府采购")
        self.unknown(procurement, PROCUREMENT_KEYS, "政府采购")
        for key in PROCUREMENT_KEYS:
            report.procurement[key] = self.amount(procurement.get(key), "政府采购", key) or Cell(ZERO)
        assets = self.mapping("国有资产")
        self.unknown(assets, ("车辆", "其他用车说明", "大型设备"), "国有资产")
        vehicles = assets.get("车辆") or {}
        if not isinstance(vehicles, dict):
            self.problems.error("“车辆”应写成“用途: 辆数”，每行一个", **self.where("国有资产", "车辆"))
        else:
            self.unknown(vehicles, VEHICLE_KINDS, "国有资产", "车辆")
            for kind in VEHICLE_KINDS:
                report.vehicles[kind] = self.count(vehicles.get(kind), "国有资产", "车辆", kind)
        report.other_vehicle_note = str(assets.get("其他用车说明") or "")
        report.equipment = self.count(assets.get("大型设备"), "国有资产", "大型设备")
        self.read_projects(report)
        self.read_targets(report)

    def read_targets(self, report: Report) -> None:
        """Read the 项目支出绩效目标表 of a budget: one mapping per project."""
        raw_targets = self.data.get("绩效目标") or []
        if not isinstance(raw_targets, list):
            self.problems.error("“绩效目标”应为列表，每个项目一项", **self.where("绩效目标"))
            return
        keys = (
            "项目名称",
            "主管部门",
            "实施单位",
            "年度预算资金总额",
            "财政拨款",
            "其他资金",
            "年度总体绩效目标",
            "指标",
        )
        for i, raw in enumerate(raw_targets):
            path = ("绩效目标", i)
            if not isinstance(raw, dict) or not raw.get("项目名称"):
                self.problems.error("绩效目标应写成 {项目名称: …, 指标: […]}", **self.where(*path))
                continue
            self.unknown(raw, keys, *path)
            indicators: list[tuple[str, str, str, str]] = []
            for j, item in enumerate(raw.get("指标") or []):
                if not isinstance(item, list) or len(item) != 4:
                    self.problems.error(
                        "指标应写成 [一级指标, 二级指标, 三级指标, 指标值]", row=str(raw["项目名称"]),
                        **self.where(*path, "指标", j),
                    )  # fmt: skip
                    continue
                indicators.append(tuple("" if v is None else str(v) for v in item))  # type: ignore[arg-type]
            report.targets.append(
                Target(
                    str(raw["项目名称"]), str(raw.get("主管部门") or ""), str(raw.get("实施单位") or ""),
                    self.amount(raw.get("年度预算资金总额"), *path, "年度预算资金总额"),
                    self.amount(raw.get("财政拨款"), *path, "财政拨款"),
                    self.amount(raw.get("其他资金"), *path, "其他资金"),
                    str(raw.get("年度总体绩效目标") or ""), indicators, self.doc.line(*path),
                )
            )  # fmt: skip

    def read_projects(self, report: Report) -> None:
        """Read the self-evaluated projects and their scores."""
        performance = self.mapping("预算绩效")
        self.unknown(performance, ("自评项目", "自评表", "自评表注"), "预算绩效")
        report.self_evaluations = read_self_evaluations(self, performance.get("自评表"))
        report.self_evaluation_note = str(performance.get("自评表注") or "")
        for i, raw in enumerate(performance.get("自评项目") or []):
            path = ("预算绩效", "自评项目", i)
            if not isinstance(raw, dict) or not raw.get("名称"):
                self.problems.error("自评项目应写成 {名称: …, 得分: …}", **self.where(*path))
                continue
            self.unknown(raw, ("名称", "使用单位", "全年预算数", "全年执行数", "得分", "等级"), *path)
            score = self.amount(raw.get("得分"), *path, "得分")
            budget = self.amount(raw.get("全年预算数"), *path, "全年预算数")
            spent = self.amount(raw.get("全年执行数"), *path, "全年执行数")
            report.projects.append(
                Project(
                    str(raw["名称"]),
                    score.value if score else None,
                    str(raw.get("等级") or ""),
                    str(raw.get("使用单位") or ""),
                    budget.value if budget else None,
                    spent.value if spent else None,
                    self.doc.line(*path),
                )
            )

    def read_prose(self, report: Report) -> None:
        """Read the authored sections, per-report glossary and attachments."""
        for section in split_sections(self.source.prose):
            if section.key.startswith("名词：") or section.key.startswith("名词:"):
                term = section.key.split("：", 1)[-1].split(":", 1)[-1].strip()
                report.glossary.append(Term(term, section.text, section.file, section.line))
            else:
                report.sections[section.key] = section
        for i, attachment in enumerate(self.source.attachments, 1):
            title = attachment.path.rsplit("/", 1)[-1].removesuffix(".md")
            for line in attachment.text.splitlines():
                if line.startswith("# "):
                    title = line[2:].strip()
                    break
            report.attachments.append(Attachment(f"attachment-{i}", title, attachment.text, attachment.path))


def _unit(source: UnitSource, problems: Problems) -> Unit:
    data = source.doc.data if isinstance(source.doc.data, dict) else {}
    where = {"file": source.path}
    if not isinstance(source.doc.data, dict):
        problems.error("unit.yaml 应为“键: 值”的形式（见 data/README.md）", **where)
    name = str(data.get("名称") or "")
    if not name:
        problems.error("缺少单位名称（名称: …）", **where, line=source.doc.line("名称"))
        name = source.unit_id
    level = str(data.get("级别") or "单位")
    if level not in ("部门", "单位"):
        problems.error(f"级别应为“部门”或“单位”，实际为“{level}”", **where, line=source.doc.line("级别"))
    consolidates = data.get("包含单位") or []
    if not isinstance(consolidates, list):
        problems.error(
            "“包含单位”应为列表，每行“- 单位名称或单位代码”", **where, line=source.doc.line("包含单位")
        )
    for key in data:
        if key not in ("名称", "级别", "上级部门", "地区", "包含单位"):
            problems.error(f"不认识的项目“{key}”", **where, line=source.doc.line(key))
    return Unit(
        id=source.unit_id,
        name=name,
        level=level,
        parent=str(data["上级部门"]) if data.get("上级部门") else None,
        region=str(data.get("地区") or ""),
        consolidates=[str(c) for c in consolidates] if isinstance(consolidates, list) else [],
        duties=source.duties,
        organization=source.organization,
        file=source.path,
    )


def build_unit(source: UnitSource, profiles: dict[str, Profile], problems: Problems) -> Unit:
    """Build one unit with its reports, linking each report to the year before."""
    unit = _unit(source, problems)
    for report_source in source.reports:
        report = ReportBuilder(report_source, profiles, problems).build(unit.name, unit.level)
        if report is not None:
            report.files = [source.path, *report.files]
            unit.reports.append(report)
    unit.reports.sort(key=lambda r: (-r.year, r.kind))
    unit.evaluations = build_evaluations(unit.id, source.evaluations, problems)
    link_previous_years(unit)
    pair_budgets_and_finals(unit.reports)
    return unit


def build_portal(sources: Sources, profiles: dict[str, Profile], problems: Problems) -> Portal:
    """Build the whole portal model from its sources (in memory; for small portals and tests)."""
    units = [build_unit(unit_source, profiles, problems) for unit_source in sources.units]
    return Portal(units, glossary_terms(sources.glossary), sources.hashes)


def link_previous_years(unit: Unit) -> None:
    """Fill each report's previous-year figures from last year's report, else from typed ones."""
    for report in unit.reports:
        before = unit.report(report.year - 1, report.kind)
        if before is not None:
            report.previous = dict(before.figures)
            operating = before.operating.get("决算数")
            if operating:
                report.previous["机关运行经费"] = operating.value
        for key, cell in report.typed_previous.items():
            report.previous.setdefault(key, cell.value)
        if "机关运行经费" not in report.previous and "上年决算数" in report.operating:
            report.previous["机关运行经费"] = report.operating["上年决算数"].value
