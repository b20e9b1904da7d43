"""Where a figure's numbers come from: the link to its standard table on the report page."""

from __future__ import annotations

from ..model import Report


def source(report: Report, number: str) -> tuple[str, str]:
    """Return the link to a standard table on the report page: (#final-05, 公开05表 …)."""
    definition = report.profile.table(number)
    if definition is None:
        return ("", number)
    label = f"{definition.number} {definition.title}" if definition.show_number else definition.title
    return (f"#{definition.id}", label)


def source_of(report: Report, figure: str) -> tuple[str, str]:
    """Return the link to the table that a named figure comes from."""
    return source(report, report.profile.table_of(figure))
