"""Prose of a document: 职责, 机构设置, 名词解释 into content files; evaluation reports as Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .source import SourceDocument

if TYPE_CHECKING:
    from .mapping import ImportResult


def add_content(doc: SourceDocument, result: ImportResult) -> None:
    """Add the content files (in progress)."""


def evaluation_report(doc: SourceDocument, unit: str, year: int) -> ImportResult | None:
    """Return an evaluation report as Markdown content, or None (in progress)."""
    return None
