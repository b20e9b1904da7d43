"""A progress bar for long builds on a terminal; silent in CI and when output is redirected."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def wanted(total: int) -> bool:
    """Show progress only for a real terminal, outside CI, and for more than a handful of units."""
    return total >= 20 and sys.stdout.isatty() and not os.environ.get("CI")


def track(items: Iterable[T], total: int, label: str) -> Iterator[T]:
    """Yield items, drawing a progress bar when wanted."""
    if not wanted(total):
        yield from items
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True) as progress:
        task = progress.add_task(label, total=total)
        for item in items:
            yield item
            progress.advance(task)
