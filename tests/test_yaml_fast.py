"""The fast YAML reader (disclosure/yamlfast.py) gives exactly what the PyYAML path gives, or declines.

Report files it must take (the bundled data, a synthetic portal, the importer's writer output);
hypothesis documents in and around the subset, compared with PyYAML whenever it does not decline;
and documents outside the subset, which it must decline.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from helpers import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure import yamlfast
from disclosure.importing.writer import render_report
from disclosure.synthetic import generate
from disclosure.yamlsource import YamlError, parse_with_pyyaml, parse_yaml

EXAMPLES = int(os.environ.get("YAML_EXAMPLES", "400"))  # documents; four times as many snippets
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize="YAML_EXAMPLES" not in os.environ,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SNIPPETS = settings(PROPERTY, max_examples=EXAMPLES * 4)


def assert_same(text: str, *, taken: bool = False) -> None:
    """Assert the fast reader declines or agrees with PyYAML (and declines whatever PyYAML rejects)."""
    fast = yamlfast.parse(text)
    try:
        slow = parse_with_pyyaml(text)
    except YamlError as exc:
        assert fast is None, f"fast reader accepted what PyYAML rejects ({exc}):\n{text}"
        assert not taken, f"PyYAML rejects ({exc}):\n{text}"
        return
    if taken:
        assert fast is not None, f"fast reader declined:\n{text}"
    if fast is not None:
        assert fast[0] == slow.data, text
        assert fast[1] == slow.lines, text


# ---------------------------------------------------------------- report files: taken, and the same


def _yaml_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "data").rglob("*.y*ml"))


@pytest.mark.parametrize("path", _yaml_files(REPO), ids=lambda p: str(p.relative_to(REPO)))
def test_bundled_files_are_read_fast_and_the_same(path: Path) -> None:
    assert_same(path.read_text(encoding="utf-8"), taken=True)


def test_fixture_and_portal_files_are_read_fast_and_the_same() -> None:
    paths = [REPO / "portal.yaml", *sorted((REPO / "tests" / "fixtures").rglob("*.yaml"))]
    for path in paths:
        assert_same(path.read_text(encoding="utf-8"), taken=True)


def test_synthetic_portal_files_are_read_fast_and_the_same(tmp_path: Path) -> None:
    generate(REPO, tmp_path / "p", 40)
    paths = _yaml_files(tmp_path / "p")
    assert len(paths) > 40
    for path in paths:
        assert_same(path.read_text(encoding="utf-8"), taken=True)


@pytest.mark.parametrize("path", sorted(REPO.glob("data/*/20*.yaml")), ids=lambda p: p.parent.name)
def test_importer_output_is_read_fast_and_the_same(path: Path) -> None:
    data = parse_with_pyyaml(path.read_text(encoding="utf-8")).data
    text, _ = render_report(data, None, "来源.pdf", {"表": "表"})
    assert_same(text, taken=True)


def test_parse_yaml_uses_the_fast_reader() -> None:
    doc = parse_yaml('a: 1\nb:\n  - [x, "5,303.72", ~]\n')
    assert doc.data == {"a": "1", "b": [["x", "5,303.72", None]]}
    # A row's items are not noted one by one: they are found on the row's line.
    assert doc.lines == {(): 1, ("a",): 1, ("b",): 3, ("b", 0): 3}
    assert [doc.line("b", 0, i) for i in range(3)] == [3, 3, 3]


def test_items_of_a_row_are_located_alike_by_either_reader() -> None:
    # Written over two lines, the row goes to PyYAML: the item on the second line has its own.
    doc = parse_yaml("b:\n  - [x, 1,\n     2]\n")
    assert doc.data == {"b": [["x", "1", "2"]]}
    assert [doc.line("b", 0, i) for i in range(3)] == [2, 2, 3]
    assert ("b", 0, 0) not in doc.lines and doc.lines[("b", 0, 2)] == 3


# ---------------------------------------------------------------- outside the subset: declined

OUTSIDE = {
    "anchor and alias": "a: &x 1\nb: *x\n",
    "tag": "a: !!str 1\n",
    "tag on a mapping": "a: !x\n  b: 1\n",
    "multi-line flow sequence": "a: [1,\n  2]\n",
    "multi-line flow mapping": "a: {b: 1,\n  c: 2}\n",
    "nested flow": "a: [[1, 2], 3]\n",
    "multi-line plain scalar": "a: one\n  two\n",
    "multi-line double-quoted": 'a: "one\n  two"\n',
    "multi-line single-quoted": "a: 'one\n  two'\n",
    "folded block": "a: >\n  one\n  two\n",
    "keep chomping": "a: |+\n  one\n\n",
    "indentation indicator": "a: |2\n   one\n",
    "block scalar at the end without newline": "a: |\n  one",
    "indentless sequence": "a:\n- 1\n- 2\n",
    "document start": "---\na: 1\n",
    "document end": "a: 1\n...\n",
    "directive": "%YAML 1.1\n---\na: 1\n",
    "complex key": "? a\n: 1\n",
    "flow key": "[a]: 1\n",
    "tab indentation": "a:\n\tb: 1\n",
    "tab after colon": "a:\t1\n",
    "duplicate key": "a: 1\na: 2\n",
    "duplicate null key": "~: 1\n'': 2\n",
    "duplicate flow key": "a: {b: 1, b: 2}\n",
    "control character": "a: b\x01c\n",
    "DEL": "a: b\x7fc\n",
    "carriage return": "a: 1\r\nb: 2\r\n",
    "byte order mark": "\ufeffa: 1\n",
    "line separator": "a: x\u2028y\n",
    "unclosed quote": 'a: "one\n',
    "unknown escape": 'a: "\\q"\n',
    "surrogate escape": 'a: "\\ud800"\n',
    "text after quotes": 'a: "x" y\n',
    "value indicator in a value": "a: b: c\n",
    "sequence entry as a value": "a: - 1\n",
    "lone scalar in a mapping": "a: 1\nb\n",
    "deeper line": "a: 1\n  b: 2\n",
    "in-between indentation": "a:\n    b: 1\n  c: 2\n",
    "nested sequence": "a:\n  - - 1\n",
    "empty sequence item": "a:\n  -\n  - 1\n",
    "block scalar in a sequence": "a:\n  - |\n    x\n",
    "trailing comma": "a: [1, 2,]\n",
    "empty flow item": "a: [1, , 2]\n",
    "colon in a flow item": "a: [12:30]\n",
    "comment inside flow": "a: [1, 2 #, 3]\n",
    "top level sequence indented": "  a: 1\n",
    "long key": "k" * 1100 + ": 1\n",
    "plain starting with an indicator": "a: @x\n",
    "question mark start": "a: ?x\n",
    "comment right after a quote": 'a: "x"#c\n',
    "key with trailing space": "a : 1\n",
    "block scalar with nothing": "a: |\nb: 1\n",
    "block scalar with a blank first line": "a: |\n\n  x\n",
}


@pytest.mark.parametrize("text", OUTSIDE.values(), ids=OUTSIDE.keys())
def test_documents_outside_the_subset_are_declined(text: str) -> None:
    assert yamlfast.parse(text) is None
    # parse_yaml then reads them with PyYAML: the same result or the same error.
    try:
        expected: Any = parse_with_pyyaml(text)
    except YamlError as exc:
        with pytest.raises(YamlError) as raised:
            parse_yaml(text)
        assert (str(raised.value), raised.value.line) == (str(exc), exc.line)
    else:
        assert parse_yaml(text) == expected


# ---------------------------------------------------------------- hypothesis: in and around the subset

PIECES = [
    *"ab0159.-_ ", "中文", "名称", "0101", "5,303.72", "-5.00", "74.08%", "≥90%", "\u3000", "、",
    "#", " #", "#x", ": ", ":", "a:b", "'", '"', "\\", "\\n", '\\"', "\\t", "\\u00e9", "\\x41", "\\/",
    "~", "null", "NULL", "Null", "[", "]", "{", "}", ",", ", ", "!", "&", "*", "|", ">", "%", "@", "`",
    "?", "\t", "  ",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=5).map("".join)
SAFE_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`\\~]([^\s\[\]{}:,#'\"\\]| (?=[^\s#]))*")


@st.composite
def scalars(draw: st.DrawFn, *, valid: bool = False, wild: bool = False) -> str:
    """A scalar's text written validly (valid), in any style (wild), or mostly validly."""
    text = draw(texts)
    if valid or (not wild and draw(st.integers(0, 9)) > 0):
        if SAFE_PLAIN.fullmatch(text) and text not in {"null", "Null", "NULL"}:
            return text
        return json.dumps(text, ensure_ascii=False)
    style = draw(st.sampled_from(["plain", "plain", "double", "json", "single", "single raw"]))
    if style == "plain":
        return text
    if style == "double":
        return f'"{text}"'
    if style == "json":
        return json.dumps(text, ensure_ascii=False)
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    return f"'{text}'"


def choose(draw: st.DrawFn, valid: bool, good: list[Any], bad: list[Any]) -> Any:
    """Draw one of `good`, or now and then (unless valid) one of `bad`."""
    if not valid and draw(st.integers(0, 19)) == 0:
        return draw(st.sampled_from(bad))
    return draw(st.sampled_from(good))


def tails(draw: st.DrawFn, valid: bool) -> str:
    """What may follow a value on its line: nothing, spaces, a comment."""
    good = ["", "", " ", "  # 注：a: b, [c]", " #", "   # x"]
    return str(choose(draw, valid, good, ["\t", "#x", " \t# y", "\t# z", " x"]))


def noise(draw: st.DrawFn, lines: list[str], indent: int, valid: bool) -> None:
    """Maybe add a blank or comment line."""
    if draw(st.integers(0, 3)) == 0:
        good = ["", "# 注释", " " * indent + "# c: [d]", "   "]
        lines.append(choose(draw, valid, good, ["\t", " \t# x", "x", "  x: y", "- z"]))


def flow(draw: st.DrawFn, valid: bool) -> str:
    """A one-line flow sequence or mapping."""
    sep = choose(draw, valid, [", ", ", ", ","], [" , ", ",  ", ",\t", "\t,"])
    pad = choose(draw, valid, [""], [" ", ",", " ,", "\t"])
    if draw(st.booleans()):
        items = draw(st.lists(scalars(valid=valid), max_size=6))
        return f"[{pad}{sep.join(items)}{pad}]"
    keys = draw(st.lists(scalars(valid=valid), max_size=3, unique=True))
    entries = [
        f"{k}:{choose(draw, valid, [' '], ['', '  ', chr(9)])}{draw(scalars(valid=valid))}" for k in keys
    ]
    return "{" + pad + sep.join(entries) + "}"


def literal(draw: st.DrawFn, lines: list[str], head: str, indent: int, valid: bool) -> None:
    """A block scalar after `head`."""
    indicator = choose(draw, valid, ["|", "|-"], ["|+", "|2", ">", "|-  # c", "|x", "|#c", "|\t", "|1-"])
    lines.append(f"{head} {indicator}{tails(draw, valid)}")
    step = choose(draw, valid, [1, 2, 4], [0, -1])
    pieces = ["x", "x", "段落：a: b # c", "  更深", "", "  ", "中文 ", "- y"]
    body = draw(
        st.lists(st.sampled_from(pieces + ([] if valid else ["\t制表", "      ", "---"])), min_size=1)
    )
    if valid or draw(st.integers(0, 3)) > 0:
        body = body if body[0].strip() and not body[0].startswith(" ") else ["x", *body]
    for line in body:
        lines.append(" " * (indent + step) + line if line else line)


def mapping(draw: st.DrawFn, lines: list[str], indent: int, depth: int, valid: bool, first: str = "") -> None:
    """Block mapping entries at `indent` (the first after `first`, a sequence dash, when given)."""
    keys = draw(st.lists(scalars(valid=valid), min_size=1, max_size=4, unique=valid))
    for n, key in enumerate(keys):
        key += choose(draw, valid, [""], [" ", "\t"])
        head = (first if n == 0 and first else " " * indent) + f"{key}:"
        kinds = ["scalar", "scalar", "flow", "empty", "literal"] + (["map", "seq"] if depth < 3 else [])
        kind = draw(st.sampled_from(kinds))
        step = choose(draw, valid, [2, 2, 1, 4], [0, -1])
        if kind == "scalar":
            lines.append(
                f"{head}{choose(draw, valid, [' ', '  '], ['', chr(9)])}{draw(scalars(valid=valid))}"
            )
            lines[-1] += tails(draw, valid)
        elif kind == "flow":
            lines.append(f"{head} {flow(draw, valid)}{tails(draw, valid)}")
        elif kind == "empty":
            lines.append(head + tails(draw, valid))
        elif kind == "literal":
            literal(draw, lines, head, indent, valid)
        elif kind == "map":
            lines.append(head + tails(draw, valid))
            noise(draw, lines, indent, valid)
            mapping(draw, lines, max(indent + step, 0), depth + 1, valid)
        else:
            lines.append(head + tails(draw, valid))
            sequence(draw, lines, max(indent + step, 0), depth + 1, valid)
        noise(draw, lines, indent, valid)


def sequence(draw: st.DrawFn, lines: list[str], indent: int, depth: int, valid: bool) -> None:
    """Block sequence items at `indent`: scalars, flow collections, compact mappings."""
    for _ in range(draw(st.integers(1, 4))):
        dash = " " * indent + choose(draw, valid, ["- ", "- ", "-  "], ["-\t", "-", " - ", "- - "])
        kind = draw(st.sampled_from(["flow", "flow", "scalar", "map"]))
        if kind == "flow":
            lines.append(dash + flow(draw, valid) + tails(draw, valid))
        elif kind == "scalar":
            lines.append(dash + draw(scalars(valid=valid)) + tails(draw, valid))
        else:
            mapping(draw, lines, len(dash), depth + 1, valid, first=dash)
        noise(draw, lines, indent, valid)


@st.composite
def documents(draw: st.DrawFn, valid: bool = False) -> str:
    """A report-like YAML document; with valid=False, often slightly outside YAML or the subset."""
    lines: list[str] = []
    noise(draw, lines, 0, valid)
    mapping(draw, lines, 0, 0, valid)
    end = choose(draw, valid, ["\n", "\n\n"], ["", "\n..\n", "\n---\n", "\n  "])
    return "\n".join(lines) + end


CONTEXTS = [
    "k: {}", "k: {}  # c", "- {}", "k:\n  - {}", "k: [{}]", "k: [a, {}, b]", "k: [{}, {}]", "k: {{a: {}}}",
    "k: {{{}: a}}", "{}: a", "{}:", "k:\n  - {}: a", "k:\n  - a: {}\n    {}: b", "k:\n  {}: a\nl: b",
]  # fmt: skip


@st.composite
def snippets(draw: st.DrawFn) -> str:
    """A small document with wild scalars in one of the places a scalar goes."""
    context = draw(st.sampled_from(CONTEXTS))
    wild = [draw(scalars(wild=True)) for _ in range(context.count("{}"))]
    return context.format(*wild) + draw(st.sampled_from(["\n", "", "\nz: 1\n"]))


@SNIPPETS
@given(snippets())
def test_fast_reader_agrees_with_pyyaml_on_tricky_scalars(text: str) -> None:
    assert_same(text)


@PROPERTY
@given(documents())
def test_fast_reader_agrees_with_pyyaml_or_declines(text: str) -> None:
    assert_same(text)


@PROPERTY
@given(documents(valid=True))
def test_fast_reader_takes_documents_in_the_subset(text: str) -> None:
    assert_same(text, taken=True)
