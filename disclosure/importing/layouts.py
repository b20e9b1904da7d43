"""Read one source table into the report data of its profile table, layout by layout."""

from __future__ import annotations

from .fixed import FixedLayouts
from .rowreader import TableResult, row_where
from .subjects import SubjectLayouts

__all__ = ["TableMapper", "TableResult", "row_where"]


class TableMapper(SubjectLayouts, FixedLayouts):
    """Map one source table onto one profile table (the layout readers are in subjects.py and fixed.py)."""

    def run(self) -> TableResult:
        """Read the table by its layout."""
        reader = {
            "balance": self.balance,
            "subject": self.subject,
            "paired": self.paired,
            "items": self.items,
            "economic": self.economic,
            "record": self.record,
        }[self.definition.layout]
        reader()
        self.report_realigned()
        return self.result
