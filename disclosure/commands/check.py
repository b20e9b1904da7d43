"""`check`: validate every report and print all problems."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from ..config import PortalConfig
from ..problems import Level, Problems
from ..progress import track
from ..units import make_job, read_index, run_units, unit_folders, worker_count


def print_problems(
    problems: Problems, stream: TextIO | None = None, notes: bool = True, hidden_notes: int = 0
) -> None:
    """Print every problem, then a one-line summary in Chinese (counting hidden_notes hints not kept)."""
    stream = stream or sys.stdout
    for problem in problems.sorted():
        if notes or problem.level is not Level.NOTE:
            print(problem.format(), file=stream)
    errors, warnings, tails = (problems.count(x) for x in (Level.ERROR, Level.WARNING, Level.NOTE))
    tails += hidden_notes
    print(f"共 {errors} 个错误，{warnings} 个警告，{tails} 个提示。", file=stream)


def check(root: Path, config: PortalConfig) -> int:
    """Validate everything, unit by unit; return 1 when any problem is an error."""
    problems = Problems()
    index = read_index(root, config, problems)
    folders = [f.name for f in unit_folders(root / config.data_dir)]
    count = 0
    outcomes = run_units(make_job(root, config, index), folders, worker_count(config, len(folders)))
    for outcome in track(outcomes, len(folders), "检查"):
        problems.extend(outcome.problems)
        count += len(outcome.summary.reports) if outcome.summary else 0
    print_problems(problems)
    if problems.has_errors():
        print(f"检查未通过：{count} 份报告中有错误，请按上面的提示修改。")
        return 1
    print(f"检查通过：{count} 份报告。")
    return 0
