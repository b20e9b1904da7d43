"""`check`: validate every report and print all problems."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from ..config import PortalConfig
from ..pipeline import load_and_check
from ..problems import Level, Problems


def print_problems(problems: Problems, stream: TextIO = sys.stdout, notes: bool = True) -> None:
    """Print every problem, then a one-line summary in Chinese."""
    for problem in problems.sorted():
        if notes or problem.level is not Level.NOTE:
            print(problem.format(), file=stream)
    errors, warnings, tails = (problems.count(x) for x in (Level.ERROR, Level.WARNING, Level.NOTE))
    print(f"共 {errors} 个错误，{warnings} 个警告，{tails} 个提示。", file=stream)


def check(root: Path, config: PortalConfig) -> int:
    """Validate everything; return 1 when any problem is an error."""
    checked = load_and_check(root, config)
    print_problems(checked.problems)
    count = len(checked.portal.reports)
    if checked.problems.has_errors():
        print(f"检查未通过：{count} 份报告中有错误，请按上面的提示修改。")
        return 1
    print(f"检查通过：{count} 份报告。")
    return 0
