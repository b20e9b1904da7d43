"""`import`: turn a published document (text, Excel, PDF) into a report's YAML, then check it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..config import PortalConfig
from ..importing.findings import Finding
from ..importing.mapping import ImportResult, import_document
from ..importing.source import ImportFailure
from ..problems import Level, Problem, Problems
from ..sources import UNIT_ID
from ..units import make_job, read_index, run_units


def _rel(path: Path, root: Path) -> str:
    """Return a path relative to the project, for messages."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def source_of(
    line: int | None, lines: dict[tuple[Any, ...], int], sources: dict[tuple[Any, ...], str]
) -> str:
    """Return where in the source document the YAML line's value came from."""
    if line is None:
        return ""
    paths = [p for p, n in lines.items() if n == line]
    for path in sorted(paths, key=len, reverse=True):
        probe = path
        while probe:
            if probe in sources:
                return sources[probe]
            probe = probe[:-1]
    return ""


def check_unit(root: Path, config: PortalConfig, unit: str) -> Problems:
    """Run the same checks as `check`, on one unit only."""
    problems = Problems()
    index = read_index(root, config, problems)
    for outcome in run_units(make_job(root, config, index), [unit], 1):
        problems.extend(outcome.problems)
    return problems


def print_findings(findings: list[Finding], source: str) -> None:
    """Print the mapping's findings, most serious first, in source order."""
    order = {"error": 0, "warning": 1, "unplaced": 2, "note": 3}
    for finding in sorted(findings, key=lambda f: order[f.level]):
        print(finding.format(source))


def import_command(
    root: Path,
    config: PortalConfig,
    file: str,
    unit: str,
    year: int,
    kind: str | None,
    profile: str | None,
    force: bool,
) -> int:
    """Import one document; return 0 when it checks clean, 1 when anything is an error."""
    from ..importing.files import plan_files, write_plan
    from ..importing.read import read_source

    if not UNIT_ID.match(unit):
        print(
            f"[错误] 单位代码“{unit}”只能用小写英文字母、数字和连字符（它是网址的一部分），例如 jinan-shizhong-ybj"
        )
        return 1
    if not 1990 <= year <= 2100:
        print(f"[错误] 年度“{year}”不对，应为四位数的年份，例如 2024")
        return 1
    path = Path(file)
    try:
        doc = read_source(path)
        extra = (root / config.profiles_dir,) if config.profiles_dir else ()
        result = import_document(doc, unit=unit, year=year, kind=kind, profile=profile, profile_dirs=extra)
    except ImportFailure as exc:
        print(f"[错误] {exc.message}")
        print("导入失败，没有写入任何文件。")
        return 1
    except Exception as exc:  # noqa: BLE001 - a document we cannot read must never end in a traceback
        print(
            f"[错误] {path.name} 中有无法识别的内容，导入中止（{type(exc).__name__}: {exc}）；请把该文件发给维护人员"
        )
        print("导入失败，没有写入任何文件。")
        return 1
    source = path.name
    plan = plan_files(root, config.data_dir, config.content_dir, result, source, force)
    existing = plan.existing()
    if existing and not force:
        for target in existing:
            print(f"[错误] {_rel(target, root)} 已存在，没有覆盖；确认要用导入结果替换它时，请加 --force")
        return 1
    if result.profile_reason:
        print(result.profile_reason)
    try:
        written = write_plan(plan)
    except OSError as exc:
        print(f"[错误] 无法写入文件：{exc.strerror or exc}（{exc.filename}）")
        return 1
    for target in written:
        print(f"已写入 {_rel(target, root)}")
    for target in plan.kept:
        print(f"保留已有的 {_rel(target, root)}（未覆盖；要替换请加 --force）")
    if result.evaluation:
        print(
            "这是绩效评价报告（不是公开表），已按 Markdown 写入，网站把该文件夹中的报告显示为绩效评价页面。"
        )
    print_findings(result.findings, source)
    return report_check(root, config, result, plan.lines, source)


def report_check(
    root: Path, config: PortalConfig, result: ImportResult, lines: dict[tuple[Any, ...], int], source: str
) -> int:
    """Check the imported unit and print every problem, traced back to the source where possible."""
    mapping_errors = sum(1 for f in result.findings if f.level == "error")
    if result.evaluation:
        return 1 if mapping_errors else 0
    problems = check_unit(root, config, result.unit)
    report_file = f"{config.data_dir}/{result.unit}/{result.year}-{result.kind}.yaml"
    for problem in problems.sorted():
        where = source_of(problem.line, lines, result.sources) if problem.file == report_file else ""
        print(_traced(problem, source, where))
    errors = problems.count(Level.ERROR) + mapping_errors
    warnings = problems.count(Level.WARNING) + sum(1 for f in result.findings if f.level == "warning")
    notes = problems.count(Level.NOTE)
    unplaced = len(result.unplaced)
    print(f"共 {errors} 个错误，{warnings} 个警告，{notes} 个提示，{unplaced} 处原文内容未导入。")
    if errors:
        print(
            "导入的文件已写入，但有错误：请对照原文核对上面标出的位置后修改 YAML，再运行 python build.py check。"
        )
        return 1
    print("导入完成，检查通过。请对照原文核对后再发布。")
    return 0


def _traced(problem: Problem, source: str, where: str) -> str:
    """Return a check problem's line with where it was in the source."""
    text = problem.format()
    return f"{text}（原文 {source} {where}）" if where else text
