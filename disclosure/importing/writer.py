"""Write imported report data as YAML in the style of the bundled files, deterministically.

Numbers stay the exact text read (no float ever), Chinese keys, one 科目 row per line with a
comment naming the columns; every written path's line is recorded so that `check` findings on
the YAML can be traced back to the source document.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..opendata.rows import heading
from ..profile import Profile, TableDef

_PLAIN = re.compile(r"^[^\s\[\]{},:#&*!|>'\"%@`?-][^\[\]{},#]*$")
_COMMENT_COLUMN = 28
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]")  # not printable in a YAML block


def scalar(value: Any) -> str:
    """Return a YAML scalar: plain when safe, else double-quoted (JSON escapes are valid YAML)."""
    text = "" if value is None else str(value)
    if text == "":
        return '""'
    if _PLAIN.match(text) and ": " not in text and not text.endswith(":") and text.strip() == text:
        return text
    return json.dumps(text, ensure_ascii=False)


def _literal(text: str) -> bool:
    """Tell whether a text of several lines can be written as a literal block exactly."""
    lines = text.removesuffix("\n").split("\n")
    return (
        len(lines) > 1
        and not text.endswith("\n\n")
        and bool(lines[0].strip())
        and not lines[0].startswith(" ")
        and all(line == line.rstrip() and "\t" not in line and "\r" not in line for line in lines)
        and not _INVALID.search(text)
    )


def flow(values: list[Any]) -> str:
    """Return a flow sequence of scalars."""
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def _with_comment(line: str, comment: str) -> str:
    """Append a comment, aligned like the bundled files."""
    if not comment:
        return line
    return (
        f"{line.ljust(_COMMENT_COLUMN)}# {comment}" if len(line) < _COMMENT_COLUMN else f"{line}  # {comment}"
    )


def table_comment(definition: TableDef) -> str:
    """Return the comment after a table's key: its title and what each row holds."""
    labels = ", ".join(heading(c) for c in definition.columns)
    layout = definition.layout
    if layout == "balance":
        sides = "；".join(
            f"{s.label}：行次: "
            + (s.columns[0].label if len(s.columns) == 1 else f"[{', '.join(c.label for c in s.columns)}]")
            for s in definition.sides
        )
        return f"{definition.title}（只写非零行）{sides}"
    if layout == "subject":
        return f"{definition.title}：[科目代码, 科目名称, {labels}]"
    if layout == "paired":
        return f"{definition.title}：[部门经济分类代码, 名称, 政府经济分类代码, 名称, {labels}]"
    if layout == "items":
        return f"{definition.title}：[项目名称, 项目类别, {labels}]"
    if layout == "economic":
        return f"{definition.title}：[科目代码, 科目名称, {labels}]"
    return f"{definition.title}：[{labels}]"


class Writer:
    """Emit YAML lines, remembering the line of every path."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.where: dict[tuple[Any, ...], int] = {}

    def emit(self, text: str, path: tuple[Any, ...] | None = None) -> None:
        """Add one line, remembering the line of its path."""
        self.lines.append(text)
        if path is not None:
            self.where[path] = len(self.lines)

    def value(self, name: Any, value: Any, indent: int, path: tuple[Any, ...], comment: str = "") -> None:
        """Write `name: value` (mappings and lists of rows as blocks, lists of scalars in flow style)."""
        pad = " " * indent
        head = f"{pad}{scalar(name)}:"
        if isinstance(value, dict):
            self.emit(_with_comment(head, comment), path)
            for key, child in value.items():
                self.value(key, child, indent + 2, (*path, key))
        elif isinstance(value, list) and value and all(isinstance(v, (list, dict)) for v in value):
            self.emit(_with_comment(head, comment), path)
            for i, item in enumerate(value):
                if isinstance(item, dict) and any(isinstance(v, (list, dict)) for v in item.values()):
                    # A record with nested lists (绩效目标 with its 指标): a block mapping per item.
                    for n, (k, v) in enumerate(item.items()):
                        if n == 0:
                            self.emit(f"{pad}  - {scalar(k)}: {scalar(v)}", (*path, i))
                        else:
                            self.value(k, v, indent + 4, (*path, i, k))
                elif isinstance(item, dict):
                    body = ", ".join(f"{scalar(k)}: {scalar(v)}" for k, v in item.items())
                    self.emit(f"{pad}  - {{{body}}}", (*path, i))
                else:
                    self.emit(f"{pad}  - {flow(item)}", (*path, i))
        elif isinstance(value, list):
            self.emit(_with_comment(f"{head} {flow(value)}", comment), path)
        elif isinstance(value, str) and _literal(value):
            # Several paragraphs (a table's 注): a literal block, as the bundled files write them.
            self.emit(_with_comment(f"{head} {'|' if value.endswith(chr(10)) else '|-'}", comment), path)
            for line in value.removesuffix("\n").split("\n"):
                self.emit(f"{pad}  {line}" if line else "")
        else:
            self.emit(_with_comment(f"{head} {scalar(value)}", comment), path)


def render_report(
    data: dict[str, Any], profile: Profile | None, source_name: str, comments: dict[str, str] | None = None
) -> tuple[str, dict[tuple[Any, ...], int]]:
    """Return the YAML text of a report and the line of each path in it."""
    writer = Writer()
    writer.emit(f"# 由 build.py import 从 {source_name} 导入；金额照原文（万元），请与原文核对后再发布。")
    comments = comments or {}
    for key, value in data.items():
        if key.startswith("_"):
            continue
        if key == "表":
            writer.emit("")
            writer.emit("表:", ("表",))
            for number, body in value.items():
                definition = profile.table(number) if profile else None
                comment = table_comment(definition) if definition else ""
                writer.value(number, body, 2, ("表", number), comment)
            writer.emit("")
            continue
        if isinstance(value, dict) and writer.lines[-1] != "":
            writer.emit("")
        writer.value(key, value, 0, (key,), comments.get(key, ""))
    return "\n".join(writer.lines).rstrip("\n") + "\n", writer.where
