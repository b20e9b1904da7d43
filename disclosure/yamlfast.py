"""Read the YAML subset report files use, line by line, giving what PyYAML gives or declining.

Report files are block mappings and sequences of one-line scalars and one-line flow collections
(table rows), with comments and the odd literal block. Reading that subset directly is several
times faster than building PyYAML's node objects. Whatever is not surely in the subset (anchors,
tags, multi-line scalars, tabs where YAML treats them specially, anything that may be an error)
makes `parse` return None, and the caller reads the file with PyYAML: errors and their messages
always come from there.
"""

from __future__ import annotations

import re
from typing import Any

Path_ = tuple[Any, ...]

_NULLS = frozenset({"~", "null", "Null", "NULL", ""})
# Characters that cannot start a plain scalar (YAML indicators and blanks); "-" followed by a digit
# (a negative number) is let through separately.
_NOT_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@` \t")
_DIGITS = frozenset("0123456789")
# Anything outside the printable set libyaml accepts, and line breaks other than "\n" (NEL, LS, PS,
# CR) and the BOM, which would shift lines or be errors: the whole document is declined.
_UNSAFE = re.compile(
    "[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_VALUE_COLON = re.compile(r":(?:[ \t]|$)")
# Libyaml gives up on a simple key longer than 1024 characters.
_MAX_KEY = 1000

_DQ = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"')
_SQ = re.compile(r"'([^']*(?:''[^']*)*)'")
_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[0abtnvfre \"/\\N_LP\t])")
_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0",
    "L": "\u2028", "P": "\u2029",
}  # fmt: skip

# A flow sequence of plain scalars written `[a, b, c]` (no quotes, comments, colons, tabs or
# stray spaces): the common table row, split on ", " alone.
_PLAIN_ITEM = r"(?:[^-?:,\[\]{}#&*!|>'\"%@` \t]|-[0-9])(?:[^,\[\]{}#:'\"\t]*[^ ,\[\]{}#:'\"\t])?"
_PLAIN_ROW = re.compile(rf"{_PLAIN_ITEM}(?:, {_PLAIN_ITEM})*")
# One item of any other flow collection, with the separator after it.
_FLOW_PLAIN = r"(?:[^-?:,\[\]{}#&*!|>'\"%@` \t]|-[0-9])[^,\[\]{}:\t]*?"
_FLOW_ITEM = re.compile(
    rf" *(?:\"([^\"\\]*(?:\\.[^\"\\]*)*)\"|'([^']*(?:''[^']*)*)'|({_FLOW_PLAIN})) *([,\]])"
)
_FLOW_KEY = r"(?:[^-?:,\[\]{}#&*!|>'\"%@` \t]|-[0-9])(?:[^,\[\]{}:#\t]*[^ ,\[\]{}:#\t])?"
_FLOW_ENTRY = re.compile(
    rf" *(?:\"([^\"\\]*(?:\\.[^\"\\]*)*)\"|'([^']*(?:''[^']*)*)'|({_FLOW_KEY})): +"
    rf"(?:\"([^\"\\]*(?:\\.[^\"\\]*)*)\"|'([^']*(?:''[^']*)*)'|({_FLOW_PLAIN})) *([,}}])"
)


class _Decline(Exception):
    """The text is not surely in the subset: let PyYAML read it."""


def parse(text: str) -> tuple[Any, dict[Path_, int]] | None:
    """Return (data, lines) as yamlsource's PyYAML path would, or None when not sure."""
    if _UNSAFE.search(text):
        return None
    reader = _Reader(text)
    try:
        return reader.document(), reader.lines
    except _Decline:
        return None


def _unescape(body: str) -> str:
    """Return a double-quoted scalar's value from its text between the quotes."""
    if "\\" not in body:
        return body
    if _ESCAPE.sub("", body).count("\\"):
        raise _Decline  # an escape libyaml may reject or read differently
    return _ESCAPE.sub(_escaped, body)


def _escaped(match: re.Match[str]) -> str:
    code = match.group()[1:]
    if len(code) == 1:
        return _ESCAPES[code]
    value = int(code[1:], 16)
    if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:
        raise _Decline
    return chr(value)


def _quoted(text: str) -> tuple[str, int]:
    """Return the value of the quoted scalar `text` starts with, and where it ends."""
    if text[0] == '"':
        match = _DQ.match(text)
        if match is None:
            raise _Decline  # no closing quote on this line
        return _unescape(match.group(1)), match.end()
    match = _SQ.match(text)
    if match is None:
        raise _Decline
    return match.group(1).replace("''", "'"), match.end()


def _only_comment(tail: str) -> bool:
    """Tell whether what follows a value on its line is nothing, spaces or a comment."""
    rest = tail.lstrip(" ")
    return not rest or (rest[0] == "#" and rest != tail)


def _plain_start(text: str) -> bool:
    """Tell whether text surely starts a plain scalar."""
    first = text[0]
    return first not in _NOT_PLAIN_START or (first == "-" and text[1:2] in _DIGITS)


def _before_comment(text: str) -> str:
    """Return a plain scalar's line up to the comment that ends it, if any."""
    if "#" not in text:
        return text
    cut = len(text)
    for mark in (" #", "\t#"):
        found = text.find(mark)
        if 0 <= found < cut:
            cut = found
    return text[:cut]


def _block_scalar(text: str) -> Any:
    """Return the value of a one-line scalar in block context (text starts at its first character)."""
    first = text[0]
    if first == '"' or first == "'":
        value, end = _quoted(text)
        if not _only_comment(text[end:]):
            raise _Decline
        return value
    if not _plain_start(text):
        raise _Decline
    value = _before_comment(text).rstrip(" \t")
    if ": " in value or ":\t" in value or value.endswith(":"):
        raise _Decline
    return None if value in _NULLS else value


def _split_key(body: str) -> tuple[str, str] | None:
    """Return (key, text after its colon) of a `key: value` line, or None for a lone scalar."""
    first = body[0]
    if first == '"' or first == "'":
        key, end = _quoted(body)
        if end > _MAX_KEY or body[end : end + 1] != ":":
            return None
        rest = body[end + 1 :]
    else:
        colon = body.find(":")
        if colon < 0:
            return None
        if body[colon + 1 : colon + 2] not in ("", " ") or "#" in body[:colon]:
            # The first colon is inside a scalar (`a:b`) or a comment: a lone scalar, or a key
            # with a colon or a "#" in it, which PyYAML is left to read.
            if _VALUE_COLON.search(_before_comment(body)):
                raise _Decline
            return None
        key = body[:colon]
        rest = body[colon + 1 :]
        if not key or not _plain_start(key) or key[-1] == " " or "\t" in key or colon > _MAX_KEY:
            raise _Decline
        if key in _NULLS:
            key = ""
    if rest and rest[0] != " ":
        raise _Decline  # `a:b` or `a:\tb`: let PyYAML decide
    return key, rest


def _row(inner: str) -> list[Any] | None:
    """Return the items of a flow sequence written `[a, b, c]` from its inner text, else None."""
    if not _PLAIN_ROW.fullmatch(inner):
        return None
    items: list[Any] = inner.split(", ")
    if "~" in inner or "ull" in inner or "ULL" in inner:  # may hold a null
        return [None if item in _NULLS else item for item in items]
    return items


def _flow_sequence(text: str) -> tuple[list[Any], int]:
    """Return the items of the one-line flow sequence text starts with, and where it ends."""
    close = text.find("]")
    if close > 0:
        items = _row(text[1:close])
        if items is not None:
            return items, close + 1
        if not text[1:close].strip(" "):
            return [], close + 1
    items, pos, end = [], 1, ""
    while end != "]":
        match = _FLOW_ITEM.match(text, pos)
        if match is None:
            raise _Decline
        double, single, plain, end = match.groups()
        if plain is not None:
            if " #" in plain:
                raise _Decline
            items.append(None if plain in _NULLS else plain)
        else:
            items.append(_unescape(double) if double is not None else single.replace("''", "'"))
        pos = match.end()
    return items, pos


def _flow_mapping(text: str) -> tuple[dict[str, Any], int]:
    """Return the entries of the one-line flow mapping text starts with, and where it ends."""
    if text[1:].lstrip(" ").startswith("}"):
        return {}, text.index("}") + 1
    result: dict[str, Any] = {}
    pos, end = 1, ""
    while end != "}":
        match = _FLOW_ENTRY.match(text, pos)
        if match is None:
            raise _Decline
        key_double, key_single, key_plain, double, single, plain, end = match.groups()
        if key_plain is not None:
            key = "" if key_plain in _NULLS else key_plain
        else:
            key = _unescape(key_double) if key_double is not None else key_single.replace("''", "'")
        if key in result or len(key) > _MAX_KEY:
            raise _Decline
        if plain is not None:
            if " #" in plain:
                raise _Decline
            result[key] = None if plain in _NULLS else plain
        else:
            result[key] = _unescape(double) if double is not None else single.replace("''", "'")
        pos = match.end()
    return result, pos


class _Reader:
    """Read a document's lines from the top, keeping the line of every value."""

    def __init__(self, text: str):
        self.raw = text.split("\n")
        self.pos = 0  # index of the next raw line to read
        self.lines: dict[Path_, int] = {}
        self._peeked: tuple[int, tuple[int, int, str] | None] = (-1, None)

    def peek(self) -> tuple[int, int, str] | None:
        """Return (index, indent, text) of the next line with content, skipping blanks and comments."""
        if self._peeked[0] == self.pos:
            return self._peeked[1]
        raw, i, found = self.raw, self.pos, None
        while i < len(raw):
            line = raw[i]
            body = line.lstrip(" ")
            if body and body[0] != "#":
                if body[0] == "\t":
                    raise _Decline  # a tab where YAML expects indentation
                indent = len(line) - len(body)
                if indent == 0 and body.startswith(("---", "...")):
                    raise _Decline  # document markers
                found = (i, indent, body)
                break
            i += 1
        self._peeked = (self.pos, found)
        return found

    def document(self) -> Any:
        """Return the data of the whole document."""
        first = self.peek()
        if first is None:
            return {}
        if first[1] != 0:
            raise _Decline
        data = self.block(0, ())
        if self.peek() is not None:
            raise _Decline
        return data

    def block(self, indent: int, path: Path_) -> Any:
        """Return the block mapping or sequence starting at the next content line."""
        i, _, body = self.peek()  # type: ignore[misc]
        self.lines[path] = i + 1
        if body[0] == "-" and body[1:2] in ("", " "):
            return self.sequence(indent, path)
        return self.mapping(indent, path, None)

    def mapping(self, indent: int, path: Path_, first: tuple[int, str] | None) -> dict[str, Any]:
        """Return a block mapping whose keys are at `indent` (its first line already read, if given)."""
        result: dict[str, Any] = {}
        while True:
            if first is not None:
                i, body = first
                first = None
            else:
                line = self.peek()
                if line is None or line[1] < indent:
                    return result
                i, at, body = line
                if at > indent:
                    raise _Decline
                self.pos = i + 1
            split = _split_key(body)
            if split is None or split[0] in result:
                raise _Decline  # a lone scalar or a duplicate key: PyYAML says what is wrong
            key, rest = split
            result[key] = self.value(rest, indent, i, (*path, key))

    def value(self, rest: str, indent: int, i: int, path: Path_) -> Any:
        """Return the value of a mapping entry from the text after its colon."""
        text = rest.lstrip(" ")
        if not text or text[0] == "#":
            below = self.peek()
            if below is not None and below[1] > indent:
                return self.block(below[1], path)
            if below is not None and below[1] == indent and below[2][0] == "-" and below[2][1:2] in ("", " "):
                raise _Decline  # a sequence not indented under its key
            self.lines[path] = i + 1
            return None
        self.lines[path] = i + 1
        first = text[0]
        if first == "[" or first == "{":
            return self.flow(text, i, path)
        if first == "|":
            return self.literal(text, indent, i)
        return _block_scalar(text)

    def flow(self, text: str, i: int, path: Path_) -> Any:
        """Return a one-line flow sequence or mapping, noting the line of each item."""
        value: Any
        value, end = (_flow_sequence if text[0] == "[" else _flow_mapping)(text)
        if not _only_comment(text[end:]):
            raise _Decline
        if type(value) is dict:  # a sequence's items are found through it (see rows)
            line, lines = i + 1, self.lines
            for key in value:
                lines[(*path, key)] = line
        return value

    def sequence(self, indent: int, path: Path_) -> list[Any]:
        """Return a block sequence whose dashes are at `indent`."""
        items: list[Any] = []
        while True:
            self.rows(indent, path, items)
            line = self.peek()
            if line is None or line[1] < indent:
                return items
            i, at, body = line
            if at > indent or body[0] != "-" or body[1:2] != " ":
                raise _Decline
            self.pos = i + 1
            text = body[1:].lstrip(" ")
            item_path = (*path, len(items))
            if not text or text[0] in "#|>\t" or (text[0] == "-" and text[1:2] in ("", " ")):
                raise _Decline  # an empty or nested item, or a block scalar in a sequence
            self.lines[item_path] = i + 1
            if text[0] == "[" or text[0] == "{":
                items.append(self.flow(text, i, item_path))
            elif _split_key(text) is not None:
                items.append(self.mapping(indent + len(body) - len(text), item_path, (i, text)))
            else:
                items.append(_block_scalar(text))

    def rows(self, indent: int, path: Path_, items: list[Any]) -> None:
        """Read the table rows (`- [a, b, c]` lines) that come next in a sequence, if any."""
        # The bulk of a report: read without the general path's calls per line.
        raw, lines, pos = self.raw, self.lines, self.pos
        prefix = " " * indent + "- ["
        start = len(prefix)
        while pos < len(raw):
            line = raw[pos]
            if not (line.startswith(prefix) and line[-1] == "]"):
                break
            row = _row(line[start:-1])
            if row is None:
                break
            pos += 1
            # The row's line only: its items, on the same line, are found through it (YamlDoc.line),
            # as PyYAML's reading notes them (yamlsource).
            lines[(*path, len(items))] = pos
            items.append(row)
        self.pos = pos

    def literal(self, header: str, indent: int, i: int) -> str:
        """Return a literal block scalar (`|` or `|-`) whose content is more indented than `indent`."""
        strip = header.startswith("|-")
        if not _only_comment(header[2 if strip else 1 :]):
            raise _Decline  # `|+`, an indentation indicator, or something else
        raw, j = self.raw, i + 1
        first = raw[j] if j < len(raw) else ""
        depth = len(first) - len(first.lstrip(" "))
        if depth <= indent or depth == len(first) or first[depth] == "\t":
            raise _Decline  # empty, blank first line, or not indented
        pad, content, last = " " * depth, [], -1
        while j < len(raw):
            line = raw[j]
            if line.startswith(pad) and len(line) > depth:
                content.append(line[depth:])  # spaces beyond the indentation are content too
                last = j
            elif not line.strip(" "):
                content.append("")
            else:
                break
            j += 1
        if last == len(raw) - 1:
            raise _Decline  # no line break after the last line
        self.pos = j
        kept = content[: last - i]
        return "\n".join(kept) + ("" if strip else "\n")
