"""Read YAML keeping every value's line and every number's exact text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from . import yamlfast

# The base loader resolves no tags: every scalar stays the text typed, which is what we want for
# amounts (exact Decimal) and codes (2080505 stays a string), and it is several times faster.
_Base = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """The base loader without tag resolution: _convert reads node kinds, never tags.

    PyYAML's resolver is Python called once per node (and twice more to track paths): skipping
    it halves the cost of reading a report file.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        """Return the default tag of a node kind."""
        return _TAGS[kind]

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """Track no path (no path resolvers are registered)."""

    def ascend_resolver(self) -> None:
        """Track no path."""


_TAGS = {
    yaml.ScalarNode: yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG,
    yaml.SequenceNode: yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
    yaml.MappingNode: yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
}
_NULLS = {"~", "null", "Null", "NULL", ""}

Path_ = tuple[Any, ...]


@dataclass
class YamlDoc:
    """A parsed YAML document with the line (1-based) of each value, by path of keys and indexes."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, *path: Any) -> int | None:
        """Return the line of the value at `path`, or of its nearest located parent."""
        probe: Path_ = tuple(path)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return self.lines.get((), None)


class YamlError(ValueError):
    """Malformed YAML, with the line where the parser stopped."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


def _scalar(node: yaml.ScalarNode) -> Any:
    # Plain (unquoted) scalars have no style; the C loader reports it as "" rather than None.
    if not node.style and node.value in _NULLS:
        return None
    return node.value


def _convert(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return _sequence(node, path, lines)
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
        key = str(key) if key is not None else ""
        if key in result:
            raise YamlError(
                f"“{key}”写了两次（第 {lines[(*path, key)]} 行已有），请删去一个",
                key_node.start_mark.line + 1,
            )
        result[key] = _convert(value_node, (*path, key), lines)
    return result


def _sequence(node: yaml.SequenceNode, path: Path_, lines: dict[Path_, int]) -> list[Any]:
    # Table rows are sequences of scalars: read those in place (a third of a report's parse time).
    # An item on the line its flow sequence (`[a, b]`) starts on is not noted: YamlDoc.line finds it
    # through the sequence, as for yamlfast, which notes only the row (a fifth of its parse time).
    row_line = node.start_mark.line if node.flow_style else -1
    items: list[Any] = []
    for i, item in enumerate(node.value):
        if type(item) is yaml.ScalarNode:
            if item.start_mark.line != row_line:
                lines[(*path, i)] = item.start_mark.line + 1
            items.append(None if not item.style and item.value in _NULLS else item.value)
        else:
            items.append(_convert(item, (*path, i), lines))
    return items


def parse_yaml(text: str) -> YamlDoc:
    """Parse YAML text; raise YamlError with a Chinese message on malformed input."""
    # Report files are nearly all in the subset yamlfast reads, several times faster than PyYAML;
    # it declines anything else, errors included, so results and messages stay PyYAML's.
    fast = yamlfast.parse(text)
    if fast is not None:
        return YamlDoc(*fast)
    return parse_with_pyyaml(text)


def parse_with_pyyaml(text: str) -> YamlDoc:
    """Parse YAML text with PyYAML; raise YamlError with a Chinese message on malformed input."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlError(f"YAML 格式错误：{exc.problem or exc.context}", line) from exc
    except yaml.reader.ReaderError as exc:
        # The C reader counts bytes, the Python one characters.
        if _Base is yaml.BaseLoader:
            line = text[: exc.position].count("\n") + 1
        else:
            line = text.encode("utf-8")[: exc.position].count(b"\n") + 1
        code = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        raise YamlError(f"含有不可见的控制字符（{code}），请删去后重新保存", line) from exc
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML 格式错误：{exc}", None) from exc
    lines: dict[Path_, int] = {}
    if node is None:
        return YamlDoc({}, lines)
    return YamlDoc(_convert(node, (), lines), lines)
