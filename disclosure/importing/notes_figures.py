"""Figures the notes need that are printed only in sentences (上年, 年初预算, 三公 details …)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .source import SourceDocument

if TYPE_CHECKING:
    from .mapping import ImportResult


def add_note_figures(doc: SourceDocument, result: ImportResult) -> None:
    """Add the sentence figures to the report data (in progress)."""
