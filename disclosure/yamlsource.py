"""Read YAML keeping every value's line and every number's exact text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path_ = tuple[Any, ...]


class NumberText(str):
    """A YAML number kept as the text typed, so 2080505 stays a code and 0.10 stays exact."""


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


_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"


def _scalar(node: yaml.ScalarNode) -> Any:
    if node.tag in (_INT, _FLOAT):
        return NumberText(node.value)
    if node.tag == _NULL:
        return None
    if node.tag == _BOOL:
        return node.value.lower() in ("true", "yes", "on")
    return node.value


def _convert(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), lines) for i, item in enumerate(node.value)]
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
        key = str(key) if key is not None else ""
        result[key] = _convert(value_node, (*path, key), lines)
    return result


def parse_yaml(text: str) -> YamlDoc:
    """Parse YAML text; raise YamlError with a Chinese message on malformed input."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlError(f"YAML 格式错误：{exc.problem or exc.context}", line) from exc
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML 格式错误：{exc}", None) from exc
    lines: dict[Path_, int] = {}
    if node is None:
        return YamlDoc({}, lines)
    return YamlDoc(_convert(node, (), lines), lines)
