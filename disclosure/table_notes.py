"""The note under a standard table and the remark below it, as the report page and report.json print them."""

from __future__ import annotations

from .tables import Table


def fill_year(text: str, year: int | None) -> str:
    """Replace {year} and {previous_year} in a profile's header or note text."""
    if year is None or "{" not in text:
        return text
    return text.replace("{year}", str(year)).replace("{previous_year}", str(year - 1))


def table_note(table: Table, scope: str, suffix: str, unit: str = "", empty: bool | None = None) -> str:
    """Return the note printed under a table, exactly as the report page shows it."""
    return filled_notes(table, scope, suffix, unit, empty)[0]


def filled_notes(table: Table, scope: str, suffix: str, unit: str, empty: bool | None) -> tuple[str, str]:
    """Return the note and remark of a table with the suffix, unit and years filled in."""
    empty = table.is_empty() if empty is None else empty
    note, remark = _notes(table, scope, unit, empty)
    if suffix and suffix not in note:
        note = f"{note}{suffix}"
    return fill_year(note, table.year), fill_year(remark, table.year)


def _notes(table: Table, scope: str, unit: str, empty: bool) -> tuple[str, str]:
    """Return the note under a table and the remark below it (说明：… when the profile asks for one)."""
    definition = table.definition

    def fill(text: str) -> str:
        return text.replace("{scope}", scope).replace("{unit}", unit)

    note = fill(definition.note)
    empty_note = (table.note or fill(definition.empty_note)) if empty else ""
    if definition.empty_note_label:
        remark = f"{definition.empty_note_label}：{empty_note}" if empty_note else ""
        return (table.note if table.note and not empty else note), remark
    if empty_note:
        return empty_note, ""
    return table.note or note, ""
