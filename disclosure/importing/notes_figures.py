"""Figures the notes need that are printed only in sentences: 上年, 年初预算, 三公, 机关运行经费 ….

The 情况说明 follow fixed sentences (../shared/domain.md), e.g. “与2023年相比,收、支总计各减少618.67万元”:
last year's figure is this year's minus the change. Each figure found is written with where its
sentence was; sentences that are not found simply leave the figure out (the notes then omit it).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..model import PROCUREMENT_KEYS, THREE_PUBLIC_COUNTS, VEHICLE_KINDS
from .headers import key
from .numbers import NumberError, parse_amount_text
from .source import SourceDocument

if TYPE_CHECKING:
    from .mapping import ImportResult

N = r"(-?\d[\d,]*(?:\.\d+)?)"
YEAR = r"(?:\d{4}年度?|上年度?)"
CHANGE = r"(增加|减少|增长|下降)" + N
FINAL_INCOME = ("财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入")
FINAL_SPENDING = ("基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")


class Prose:
    """The document's prose as one searchable string, with the source line of every character."""

    def __init__(self, doc: SourceDocument):
        parts: list[str] = []
        self.starts: list[tuple[int, str]] = []
        length = 0
        for cell in doc.lines:
            text = unicodedata.normalize("NFKC", re.sub(r"\*\*|</?b>", "", cell.text))
            text = re.sub(r"\s+", "", text)
            self.starts.append((length, cell.where))
            parts.append(text)
            length += len(text)
        self.text = "".join(parts)

    def where(self, offset: int) -> str:
        """Return the source line holding a character of the joined text."""
        found = ""
        for start, where in self.starts:
            if start > offset:
                break
            found = where
        return found

    def find(self, pattern: str) -> re.Match[str] | None:
        """Return the first match of a pattern in the prose."""
        return re.search(pattern, self.text)


def amount(text: str) -> Decimal | None:
    """Return a sentence's amount as a Decimal, or None when it is not one."""
    try:
        return parse_amount_text(text).value
    except NumberError:
        return None


def previous(current: str, direction: str, change: str) -> str | None:
    """Return last year's figure from this year's and the stated change."""
    now, delta = amount(current), amount(change)
    if now is None or delta is None:
        return None
    before = now - delta if direction in ("增加", "增长") else now + delta
    return f"{before:.2f}"


def general_table(result: ImportResult) -> str:
    """Return the 表号 of the profile's 一般公共预算财政拨款支出 table (公开05表, Shanghai's 表五)."""
    profile = result.profile
    return (profile.table_of("一般公共预算财政拨款支出") if profile else "") or "公开05表"


class FigureReader:
    """Find the sentence figures of one document and add them to the report data."""

    def __init__(self, doc: SourceDocument, result: ImportResult):
        self.doc = doc
        self.prose = Prose(doc)
        self.result = result
        self.data = result.data

    def put(self, section: str, name: str, value: str | int | None, match: re.Match[str]) -> None:
        """Record one figure under a section, with where its sentence was (the first one wins)."""
        if value is None:
            return
        self.data.setdefault(section, {})
        if name not in self.data[section]:
            self.data[section][name] = str(value)
            self.result.sources[(section, name)] = self.prose.where(match.start())

    def run(self) -> None:
        """Find every figure the report kind uses."""
        self.result.comments.update(
            上年="上年数：由情况说明中的增减额推算（本年数 ± 增减额）",
            年初预算="情况说明五（三）中的年初预算数",
            三公经费="情况说明九中的团组、人次、车辆和接待批次",
        )
        if self.result.kind == "budget":
            self.budget()
        else:
            self.final()
        self.vehicles()
        self.procurement()

    # ------------------------------------------------------------ 决算

    def final(self) -> None:
        """Find the 决算 notes' figures."""
        self.previous_final()
        self.year_start()
        self.three_public()
        self.operating_final()
        self.self_evaluation()

    def previous_final(self) -> None:
        """Find last year's totals from the stated changes (上年)."""
        text = self.prose.text
        for total in re.finditer(
            rf"(财政拨款)?收、?支总计(?:均为|各为)?{N}万元。?与{YEAR}相比,(?:财政拨款)?收、?支总计各?{CHANGE}",
            text,
        ):
            name = "财政拨款收支总计" if total[1] else "收支总计"
            self.put("上年", name, previous(total[2], total[3], total[4]), total)
        for (
            total
        ) in re.finditer(  # Shanghai's template: (财政拨款)收入支出总计…万元。与2023年度相比，…增加…万元
            rf"(财政拨款)?收入支出总计{N}万元。?与{YEAR}相比,(?:财政拨款)?收入支出总计{CHANGE}", text
        ):
            name = "财政拨款收支总计" if total[1] else "收支总计"
            self.put("上年", name, previous(total[2], total[3], total[4]), total)
        for name in (*FINAL_INCOME, *FINAL_SPENDING):
            match = self.prose.find(rf"\d[、.]{name}{N}万元。?与{YEAR}相比,{CHANGE}")
            if match:
                self.put("上年", name, previous(match[1], match[2], match[3]), match)
        match = self.prose.find(
            rf"一般公共预算财政拨款支出{N}万元,?占本年支出合计的[\d.]+%。?与{YEAR}相比,一般公共预算财政拨款支出{CHANGE}"
        )
        if match:
            self.put("上年", "一般公共预算财政拨款支出", previous(match[1], match[2], match[3]), match)
        income = self.data.get("上年", {})
        if all(n in income for n in FINAL_INCOME):
            summed = sum((Decimal(income[n]) for n in FINAL_INCOME), Decimal(0))
            self.data["上年"].setdefault("本年收入合计", f"{summed:.2f}")

    def year_start(self) -> None:
        """Find the year-start budgets, in total and per 项 (年初预算)."""
        for name in (
            "一般公共预算财政拨款支出",
            "政府性基金预算财政拨款支出",
            "国有资本经营预算财政拨款支出",
        ):
            match = self.prose.find(rf"{name}年初预算(?:数)?为{N}万元")
            if match:
                self.put("年初预算", name, parse_amount_text(match[1]).text, match)
        rows = self.subject_rows(general_table(self.result))
        for match in re.finditer(
            rf"([^。::]+?)\(类\)([^。]+?)\(款\)([^。]+?)\(项\)。?年初预算(?:数)?为{N}万元", self.prose.text
        ):
            code = self.code_of(rows, match[1], match[2], match[3])
            if code is None:
                self.result.findings.append(
                    _unplaced(
                        f"找不到“{match[3]}（项）”的科目代码,年初预算数 {match[4]} 没有导入",
                        self.prose.where(match.start()),
                    )
                )
                continue
            self.data.setdefault("年初预算", {}).setdefault("科目", {})
            self.data["年初预算"]["科目"][code] = parse_amount_text(match[4]).text
            self.result.sources[("年初预算", "科目", code)] = self.prose.where(match.start())

    def subject_rows(self, number: str) -> list[list[str]]:
        """Return the imported 科目 rows of a table."""
        table = self.data.get("表", {}).get(number, {})
        return table.get("科目", []) if isinstance(table, dict) else []

    @staticmethod
    def code_of(rows: list[list[str]], kind: str, item: str, entry: str) -> str | None:
        """Return the 项 code whose 类, 款 and 项 names the sentence gives."""
        names = {row[0]: key(row[1]) for row in rows}
        for code, name in names.items():
            if len(code) != 7 or name != key(entry):
                continue
            parent = names.get(code[:5], "")
            grand = names.get(code[:3], "")
            if parent == key(item) and (grand.startswith(key(kind)) or key(kind).startswith(grand[:4])):
                return code
        return None

    def three_public(self) -> None:
        """Find the 三公 counts: 团组, 人次, vehicles and reception batches."""
        text = self.prose.text
        counts: list[tuple[str, str]] = [
            (r"团组(\d+)个[,、]?累计(\d+)人次", "因公出国团组 因公出国人次"),
            (r"购置(?:公务用车|车辆)(\d+)辆", "购置车辆数"),
            (r"保有量为?(\d+)辆", "公务用车保有量"),
            (rf"国内接待费{N}万元,?共计?接待(\d+)批次、(\d+)人次\(含外事接待(\d+)批次、(\d+)人次\)",
             "国内接待费 国内接待批次 国内接待人次 外事接待批次 外事接待人次"),
            (rf"国\(境\)外接待费{N}万元,?共计?接待(\d+)批次、(\d+)人次", "国外接待费 国外接待批次 国外接待人次"),
            (rf"外宾接待支出{N}万元。?(?:{YEAR})?共接待国\(境\)外来访团组(\d+)个、来访外宾(\d+)人次",
             "国外接待费 国外接待批次 国外接待人次"),
            (rf"国内公务接待支出{N}万元[^。]*。?(?:{YEAR})?共接待国内来访团组(\d+)个、来宾(\d+)人次",
             "国内接待费 国内接待批次 国内接待人次"),
            # Shanghai's template: 国内公务接待支出…万元，接待…批次、…人次，其中：接待外宾…批次、…人次.
            (rf"国内公务接待支出{N}万元,接待(\d+)批次、(\d+)人次,其中:接待外宾(\d+)批次、(\d+)人次",
             "国内接待费 国内接待批次 国内接待人次 外事接待批次 外事接待人次"),
            (rf"国\(境\)外公务接待支出{N}万元,接待(\d+)批次、(\d+)人次", "国外接待费 国外接待批次 国外接待人次"),
        ]  # fmt: skip
        found = False
        for pattern, names in counts:
            match = re.search(pattern, text)
            if not match:
                continue
            found = True
            for i, name in enumerate(names.split(), 1):
                value = match[i] if name in THREE_PUBLIC_COUNTS else parse_amount_text(match[i]).text
                self.put("三公经费", name, value, match)
        if found:
            for name in (*THREE_PUBLIC_COUNTS, "国内接待费", "国外接待费"):
                self.data["三公经费"].setdefault(name, "0")

    def operating_final(self) -> None:
        """Find 机关运行经费 and its year-start or last-year comparison."""
        match = self.prose.find(rf"机关运行经费支出{N}万元")
        if not match:
            return
        self.put("机关运行经费", "决算数", parse_amount_text(match[1]).text, match)
        year_start = self.prose.find(rf"机关运行经费支出{N}万元,?比年初预算(?:数)?{CHANGE}")
        if year_start:
            self.put(
                "机关运行经费",
                "年初预算数",
                previous(year_start[1], year_start[2], year_start[3]),
                year_start,
            )
        last = self.prose.find(rf"机关运行经费支出{N}万元,?(?:与|比)上年度?(?:相比)?,?{CHANGE}")
        if last:
            self.put("机关运行经费", "上年决算数", previous(last[1], last[2], last[3]), last)

    def self_evaluation(self) -> None:
        """Find each project's self-evaluation score, budget and spending."""
        pattern = rf"\d[、.]([^、。::]+?)项目绩效自评综述[::]根据年初设定的绩效目标,项目自评得分为{N}分。全年预算数为{N}万元,执行数为{N}万元"
        items = []
        for match in re.finditer(pattern, self.prose.text):
            items.append({"名称": match[1], "全年预算数": match[3], "全年执行数": match[4], "得分": match[2]})
            self.result.sources[("预算绩效", "自评项目", len(items) - 1)] = self.prose.where(match.start())
        if not items:  # a plain list: “（1）打击欺诈骗保工作经费项目100.00分；”
            for match in re.finditer(
                rf"[(（]\d{{1,3}}[)）]\s*([^()（）;；。\n]+?)项目{N}分", self.prose.text
            ):
                items.append({"名称": match[1].strip(), "得分": match[2]})
                self.result.sources[("预算绩效", "自评项目", len(items) - 1)] = self.prose.where(
                    match.start()
                )
        if items:
            self.data.setdefault("预算绩效", {})["自评项目"] = items
            self.self_evaluation_summary(items)

    def self_evaluation_summary(self, items: list[dict[str, str]]) -> None:
        """Add 使用单位 and 等级 from the 绩效自评情况汇总表 (then that table counts as imported)."""
        for table in self.doc.tables:
            if "绩效自评情况汇总表" not in key(table.title) or not table.rows:
                continue
            header = [key(c.text) for c in table.rows[0]]
            columns = {
                name: next((j for j, h in enumerate(header) if word in h), None)
                for name, word in (("名称", "项目名称"), ("使用单位", "使用单位"), ("等级", "等级"))
            }
            if columns["名称"] is None:
                continue
            by_name = {item["名称"]: item for item in items}
            for row in table.rows[1:]:
                texts = [c.text.strip() for c in row]
                item = by_name.get(texts[columns["名称"]] if columns["名称"] < len(texts) else "")
                if item is None:
                    continue
                for name in ("使用单位", "等级"):
                    j = columns[name]
                    if j is not None and j < len(texts) and texts[j]:
                        item[name] = texts[j]
            self.result.findings = [f for f in self.result.findings if table.title not in f.message]

    # ------------------------------------------------------------ 预算

    def budget(self) -> None:
        """Find the 预算 notes' figures: last year's budget and 机关运行经费."""
        text = self.prose.text
        match = re.search(rf"收支预算{N}万元,?比上年{CHANGE}", text)
        if match:
            self.put("上年", "收支总计", previous(match[1], match[2], match[3]), match)
        current = {
            "本年收入合计": self.cell("表一", 22), "一般公共预算收入": self.cell("表一", 2),
            "本年支出合计": self.total("表三", 0), "基本支出": self.total("表三", 1), "项目支出": self.total("表三", 2),
        }  # fmt: skip
        for name, pattern in (
            ("本年收入合计", rf"收入预算{CHANGE}"),
            ("一般公共预算收入", rf"一般公共预算收入{CHANGE}"),
            ("本年支出合计", rf"支出预算{CHANGE}"),
            ("基本支出", rf"基本支出{CHANGE}"),
            ("项目支出", rf"项目支出{CHANGE}"),
        ):
            match = re.search(pattern, text)
            if match and current[name] is not None:
                self.put("上年", name, previous(str(current[name]), match[1], match[2]), match)
        match = re.search(rf"机关运行经费安排{N}万元,?(?:较|比){YEAR}(?:预算)?{CHANGE}", text)
        if match:
            self.put("机关运行经费", "预算数", parse_amount_text(match[1]).text, match)
            self.put("机关运行经费", "上年预算数", previous(match[1], match[2], match[3]), match)

    def cell(self, number: str, line: int) -> Decimal | None:
        """Return an imported balance line's amount."""
        value = self.data.get("表", {}).get(number, {}).get(line)
        return amount(value) if isinstance(value, str) else None

    def total(self, number: str, index: int) -> Decimal | None:
        """Return an amount of an imported table's 合计 row."""
        row = self.data.get("表", {}).get(number, {}).get("合计", [])
        return amount(row[index]) if index < len(row) else Decimal(0) if row else None

    # ------------------------------------------------------------ shared

    def vehicles(self) -> None:
        """Find the vehicles by kind and the large equipment (国有资产)."""
        text = self.prose.text
        anchor = re.search(r"共有车辆(\d+)辆", text)
        if not anchor:
            return
        section = text[anchor.start() : anchor.start() + 400]
        for kind in VEHICLE_KINDS:
            pattern = (
                r"其他(?:用车|按照规定配备的公务用车)(\d+)辆" if kind == "其他用车" else rf"{kind}(\d+)辆"
            )
            match = re.search(pattern, section)
            if match:
                self.data.setdefault("国有资产", {}).setdefault("车辆", {})[kind] = match[1]
                self.result.sources[("国有资产", "车辆", kind)] = self.prose.where(anchor.start())
        note = re.search(r"(其他按照规定配备的公务用车主要[^;;。]+)", section)
        if note and "国有资产" in self.data:
            self.data["国有资产"]["其他用车说明"] = note[1]
        equipment = re.search(r"100万元(?:\(含\))?以上[^0-9]{0,16}?(\d+)台", text)
        if equipment:
            self.put("国有资产", "大型设备", equipment[1], equipment)

    def procurement(self) -> None:
        """Find the 政府采购 amounts."""
        names = dict(
            zip(
                PROCUREMENT_KEYS,
                ("货物", "工程", "服务", "授予中小企业合同金额", "授予小微企业合同金额"),
                strict=True,
            )
        )
        for name, words in names.items():
            pattern = (
                rf"(?:政府采购{words}(?:支出|预算)|{words}采购金额){N}万元"  # the latter: Shanghai's template
                if name in ("货物", "工程", "服务")
                else rf"{words}{N}万元"
            )
            match = self.prose.find(pattern)
            if match:
                self.put("政府采购", name, parse_amount_text(match[1]).text, match)


def _unplaced(message: str, where: str) -> Any:
    """Return an unplaced finding (imported late to avoid a cycle)."""
    from .findings import Finding

    return Finding("unplaced", message, where)


def add_note_figures(doc: SourceDocument, result: ImportResult) -> None:
    """Add the figures stated in the notes' sentences to the report data."""
    FigureReader(doc, result).run()
