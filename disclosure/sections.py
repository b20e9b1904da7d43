"""Split authored Markdown into keyed sections (`## key`): reasons, glossary terms."""

from __future__ import annotations

import re

from .model import Section, Term
from .sources import TextFile

_HEADING = re.compile(r"^##\s+(.+?)\s*#*\s*$")


def split_sections(text: TextFile | None) -> list[Section]:
    """Split Markdown at `## key` headings into keyed sections, keeping each heading's line."""
    if text is None:
        return []
    sections: list[Section] = []
    key: str | None = None
    start = 0
    body: list[str] = []

    def close() -> None:
        if key is None:
            return
        blank = next((i for i, line in enumerate(body) if line.strip()), len(body))
        sections.append(Section(key, "\n".join(body).strip(), text.path, start, start + 1 + blank))

    for number, line in enumerate(text.text.splitlines(), 1):
        match = _HEADING.match(line)
        if match:
            close()
            key, start, body = match.group(1).strip(), number, []
        elif key is not None:
            body.append(line)
    close()
    return sections


def glossary_terms(text: TextFile | None) -> list[Term]:
    """Read a glossary file whose `## term` headings are followed by definitions."""
    return [Term(s.key, s.text, s.file, s.line) for s in split_sections(text)]
