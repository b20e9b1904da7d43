"""Bad-input gate, property-based (hypothesis): mutated YAML and Markdown fed to `check` and `build` on
a fresh temporary copy of the bundled portal never give a traceback, always exit 0 or 1 (the same for
both commands), and every problem printed is located: it names a file of the portal, and a line where
the file parsed and the problem is about something written in it. Cross-site-scripting payloads in
every authored field never reach a page as markup.

Runs in-process (disclosure.cli.main); pagefind is left out of these builds (it only indexes the pages
built, and takes most of a small build's time). Examples are derandomized so that CI runs the same
ones every time; FUZZ_EXAMPLES=500 runs more, with a fresh random seed each run.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import tempfile
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml
from bs4 import BeautifulSoup
from helpers import REPO, copy_portal
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from tools.sitecheck import is_local, is_script_url

import disclosure.commands.build as build_command
from disclosure.cli import main as cli_main

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
DEEP = "FUZZ_EXAMPLES" in os.environ
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not DEEP,
    database=None,
    # Shrinking a failure takes minutes (each example builds a portal): the CI run reports the example
    # as found, with the edit shown as a diff; FUZZ_EXAMPLES=… runs shrink it.
    phases=[Phase.explicit, Phase.generate, Phase.target, *([Phase.shrink] if DEEP else [])],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

PROBLEM = re.compile(r"^\[(?P<level>错误|警告|提示)\] ")
LOCATED = re.compile(
    r"^\[(?P<level>错误|警告|提示)\] (?P<file>(?:data|content)/\S+?|portal\.yaml)(?::(?P<line>\d+))?(?: |$)"
)
# Problems that need no line: about something the file does not say (a table, a key left out), or about
# the whole file (not a mapping at all).
NO_LINE_NEEDED = re.compile(
    r"缺少|未填|没有|不存在|找不到|未提供|应有|至少|(文件|unit\.yaml) ?应为“键: 值”的形式"
)


# ---------------------------------------------------------------- running the tool


@dataclass
class Run:
    """One in-process run of build.py: exit status (None when it raised), output, traceback."""

    argv: list[str]
    status: int | None
    output: str
    traceback: str = ""

    def problems(self) -> list[str]:
        return [line for line in self.output.splitlines() if PROBLEM.match(line)]


def _build_without_pagefind(write_search: Callable[..., Any]) -> Callable[..., Any]:
    def write(site: Path, templates: Path, index: Any, pagefind: bool = True) -> Any:
        return write_search(site, templates, index, pagefind=False)

    return write


def run(root: Path, *argv: str) -> Run:
    """Run build.py --root root ARGV in this process, capturing everything."""
    args = ["--root", str(root), *argv]
    out = io.StringIO()
    with (
        mock.patch.object(build_command, "write_search", _build_without_pagefind(build_command.write_search)),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(out),
    ):
        try:
            status = cli_main(args)
        except SystemExit as exc:  # argparse
            status = exc.code if isinstance(exc.code, int) else 1
        except Exception:  # noqa: BLE001 - the point of the test
            return Run(args, None, out.getvalue(), traceback.format_exc())
    return Run(args, status, out.getvalue())


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One untouched copy of the bundled portal that every example copies (templates are shared)."""
    root = copy_portal(tmp_path_factory.mktemp("fuzz") / "pristine")
    assert run(root, "check").status == 0, "the bundled portal itself does not pass check"
    return root


@contextlib.contextmanager
def fresh_copy(pristine: Path) -> Iterator[Path]:
    """A throw-away copy of the portal; templates/ is a link to the pristine one (never written to)."""
    with tempfile.TemporaryDirectory(dir=pristine.parent) as folder:
        root = Path(folder) / "portal"
        root.mkdir()
        for name in ("data", "content"):
            shutil.copytree(pristine / name, root / name)
        for name in ("portal.yaml",):
            if (pristine / name).is_file():
                shutil.copy2(pristine / name, root / name)
        (root / "templates").symlink_to(pristine / "templates", target_is_directory=True)
        yield root


def portal_files(pattern: str) -> list[str]:
    """Files of the bundled portal matching a glob, relative to the repo (collected at import)."""
    return sorted(p.relative_to(REPO).as_posix() for p in REPO.glob(pattern) if p.is_file())


REPORT_YAML = [p for p in portal_files("data/*/*.yaml") if not p.endswith("/unit.yaml")]
UNIT_YAML = portal_files("data/*/unit.yaml")
MARKDOWN = portal_files("content/**/*.md")


# ---------------------------------------------------------------- known engine defects


@dataclass(frozen=True)
class KnownDefect:
    """An engine defect already reported: an example hitting it is set aside, and the test xfails."""

    name: str
    matches: Callable[[str, Run], bool]
    reason: str


def _line(problem: str) -> str | None:
    """The line number a problem gives, if any."""
    m = LOCATED.match(problem)
    return m["line"] if m else None


def _raised(kind: str, *words: str) -> Callable[[str, Run], bool]:
    return lambda file, r: bool(r.traceback) and kind in r.traceback and all(w in r.traceback for w in words)


KNOWN_DEFECTS: list[KnownDefect] = []  # all reported defects are fixed; add new ones here


# ---------------------------------------------------------------- what must hold


@dataclass
class Verdict:
    """Known defects hit while the property ran (the property itself asserts everything else)."""

    hits: dict[str, str] = field(default_factory=dict)

    def settle(self) -> None:
        if self.hits:
            pytest.xfail(
                " | ".join(f"{reason} (seen with: {example})" for reason, example in self.hits.items())
            )


ENGINE_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


def parses(path: Path) -> str:
    """Tell whether a file is UTF-8 ("" or "encoding") and, for YAML, loads ("" or "syntax")."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return "encoding"
    if path.suffix == ".yaml":
        try:
            # The engine's own loader (libyaml): it accepts a tab before ":", as YAML allows; the
            # pure-Python scanner does not, and would call such a file broken.
            yaml.load(text, Loader=ENGINE_LOADER)
        except yaml.YAMLError:
            return "syntax"
    return ""


def assert_handled(root: Path, mutated: str, check: Run, build: Run) -> None:
    """The properties of one bad input, on the outputs of check and build."""
    for result in (check, build):
        command = " ".join(result.argv[2:])
        assert not result.traceback, (
            f"{command} raised:\n{result.traceback}\noutput:\n{result.output[-3000:]}"
        )
        assert result.status in (0, 1), f"{command} exited {result.status}"
        assert "Traceback" not in result.output, result.output[-3000:]
        for line in result.problems():
            where = LOCATED.match(line)
            assert where, f"{command}: problem not located in a file of the portal: {line}"
            named = root / where["file"]
            assert named.exists() or named.parent.is_dir(), f"{command}: names no file of the portal: {line}"
    assert check.status == build.status, (
        f"check exited {check.status} but build exited {build.status}:\n"
        f"check:\n{check.output[-2000:]}\nbuild:\n{build.output[-2000:]}"
    )
    broken = parses(root / mutated)
    if broken:
        # A file that is not UTF-8, or not YAML, is an error about that file; a YAML syntax error is
        # located at the line where parsing stopped.
        about_it = [m for m in map(LOCATED.match, check.problems()) if m and m["file"] == mutated]
        errors = [m for m in about_it if m["level"] == "错误"]
        assert errors, (
            f"{mutated} does not parse ({broken}), yet check reports no error about it:\n{check.output[-2000:]}"
        )
        if broken == "syntax":
            assert any(m["line"] for m in errors), (
                f"the YAML error in {mutated} has no line:\n{check.output[-2000:]}"
            )
        assert check.status == 1
    else:
        for line in check.problems():
            m = LOCATED.match(line)
            if m and m["file"] == mutated and m["level"] != "提示" and not m["line"]:
                assert NO_LINE_NEEDED.search(line), (
                    f"problem about {mutated}, which parsed, has no line: {line}"
                )
    if build.status == 0:
        assert (root / "site" / "index.html").is_file(), "build exited 0 but wrote no site"


def check_and_build(pristine: Path, mutated: str, content: bytes, verdict: Verdict) -> None:
    """Write one mutated file into a fresh copy, run check and build, assert the properties."""
    with fresh_copy(pristine) as root:
        (root / mutated).write_bytes(content)
        check, build = run(root, "check"), run(root, "build")
        for defect in KNOWN_DEFECTS:
            if defect.matches(mutated, check) or defect.matches(mutated, build):
                verdict.hits.setdefault(defect.reason, f"{mutated} {content[:80]!r}…")
                return
        try:
            assert_handled(root, mutated, check, build)
        except AssertionError as exc:
            raise AssertionError(
                f"{exc}\n--- mutated {mutated}:\n{_excerpt(pristine / mutated, content)}"
            ) from None


def _excerpt(original: Path, content: bytes) -> str:
    """The lines of the mutated file that differ from the original (for the failure message)."""
    import difflib

    old = original.read_text(encoding="utf-8").splitlines() if original.is_file() else []
    new = content.decode("utf-8", errors="replace").splitlines()
    return "\n".join(list(difflib.unified_diff(old, new, lineterm="", n=1))[:40])


# ---------------------------------------------------------------- mutations


NUMBER = re.compile(r"(?<![\w.\-])-?\d[\d,]*(?:\.\d+)?(?![\w.])")
CODE = re.compile(r"(?<![\w.])\d{3,7}(?![\w.])")
KEY = re.compile(r"^(?P<indent>[ \t]*(?:- )?)(?P<key>[^\s#:\-\[{][^:\n#]*?):(?=\s|$)", re.M)
VALUE = re.compile(r"^(?P<head>[ \t]*(?:- )?[^\s#:\[{][^:\n#]*?:[ \t]+)(?P<value>[^#\n]*[^\s#])", re.M)
HEADING = re.compile(r"^#{1,6}[ \t]*(?P<title>[^\n]*)$", re.M)

NUMBERS = ["0", "-1", "1e400", "1e5", "0.001", "3.14159", "99999999999999999999.99", '"12,34.5"', "''",
           "-0", "0x1F", "0o17", "1_000", ".nan", "-.inf", "１２３", "1,2,3", "一千", "~", "null", "true"]  # fmt: skip
CODES = ["0", "1", "99999", "2080107", "2089999", "208", "20805", "12345678", "abc", "-208", "２０８",
         "2080107.0", "208 ", "'208'", "[208]"]  # fmt: skip
KEYS = ["x", "表", "公开10表", "名称", "年度", "类型", "格式", "", "科目", "合计", "注", "自评项目", "上年",
        "年初预算", "三公经费", "国有资产", "<<", "?", "!!str", "&a", "*a", "'", '"']  # fmt: skip
VALUES = ["[]", "{}", "~", "true", "[1, [2]]", "{a: 1}", '"x"', "- a", "|", ">-", "!!set {a}", "&x 1", "*x",
          "2024-13-45", "!!binary aGk=", "!!python/object:os.system", "[", "{", '"unterminated', "'",
          "1: 2: 3", "@x", "`x", "%x", "[[[[[[[[[[]]]]]]]]]]", "<<: *x"]  # fmt: skip
SNIPPETS = ["\x00", "\u202e", "\ufeff", "😀", "\t", '"', "'", ":", "- ", "[", "{", "}", "]", "&", "*", "!",
            "%", "@", "`", "|", ">", "#", "\n", "\r\n", "\r", " ", "、", "，", "：", "\u3000", "\x85",
            "\u2028", "---\n", "...\n", "? ", "\\"]  # fmt: skip
MARKDOWN_SNIPPETS = [
    "<div>unclosed", "<!--", "```\nunclosed fence", "| a | b |\n|---|\n| 1 | 2 | 3 |\n", "[x](", "![img](x.png)",
    "## ", "## 项/9999999\n", "## 名词：\n", "## 名词：收支总计\n", "# 一级标题\n", "###### 六\n####### 七\n",
    "<script>alert(1)</script>", "&#0; &#xD800; &nbsp", "* a\n    * b\n        * c\n", "x" * 5000, "\x00", "\ufeff",
    "\r\n", "<<<<<<< HEAD\n", "[^1]\n\n[^1]: note", "<table><tr><td>", "\\", "*" * 100, "`" * 7,
]  # fmt: skip


def pick(data: st.DataObject, items: list[Any], label: str) -> Any:
    return data.draw(st.sampled_from(items), label=label)


def text_strategy(max_size: int = 12) -> st.SearchStrategy[str]:
    return st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=max_size)


def replace_match(
    pattern: re.Pattern[str], text: str, data: st.DataObject, new: st.SearchStrategy[str], group: str = "0"
) -> str:
    matches = list(pattern.finditer(text))
    if not matches:
        return text
    m = matches[data.draw(st.integers(0, len(matches) - 1), label="which")]
    name: int | str = int(group) if group.isdigit() else group
    start, end = m.span(name)
    return text[:start] + data.draw(new, label="replacement") + text[end:]


def edit_lines(text: str, data: st.DataObject) -> str:
    lines = text.split("\n")
    i = data.draw(st.integers(0, max(0, len(lines) - 1)), label="line")
    op = pick(data, ["delete", "duplicate", "swap", "indent", "join"], "line op")
    if op == "delete":
        del lines[i]
    elif op == "duplicate":
        lines.insert(i, lines[i])
    elif op == "swap":
        j = data.draw(st.integers(0, len(lines) - 1), label="other line")
        lines[i], lines[j] = lines[j], lines[i]
    elif op == "indent":
        lines[i] = (
            pick(data, ["", " ", "  ", "   ", "\t", "    ", "          ", " \t"], "indent")
            + lines[i].lstrip()
        )
    elif op == "join" and i + 1 < len(lines):
        lines[i : i + 2] = [lines[i] + lines[i + 1]]
    return "\n".join(lines)


def insert_text(text: str, data: st.DataObject, snippets: list[str]) -> str:
    position = data.draw(st.integers(0, len(text)), label="position")
    new = data.draw(st.sampled_from(snippets) | text_strategy(), label="inserted")
    return text[:position] + new + text[position:]


def truncate(text: str, data: st.DataObject) -> str:
    return text[: data.draw(st.integers(0, len(text)), label="cut at")]


YAML_OPS: dict[str, Callable[[str, st.DataObject], str]] = {
    "number": lambda t, d: replace_match(NUMBER, t, d, st.sampled_from(NUMBERS) | text_strategy(6)
                                         | st.decimals(allow_nan=False, places=3).map(str)),
    "code": lambda t, d: replace_match(CODE, t, d, st.sampled_from(CODES) | st.integers(0, 10**9).map(str)),
    "key": lambda t, d: replace_match(KEY, t, d, st.sampled_from(KEYS) | text_strategy(6), "key"),
    "type": lambda t, d: replace_match(VALUE, t, d, st.sampled_from(VALUES), "value"),
    "lines": edit_lines,
    "truncate": truncate,
    "unicode": lambda t, d: insert_text(t, d, SNIPPETS),
}  # fmt: skip
MARKDOWN_OPS: dict[str, Callable[[str, st.DataObject], str]] = {
    "heading": lambda t, d: replace_match(HEADING, t, d, st.sampled_from(["", "项/9999999", "名词：", "名词：x",
                                          "预算绩效", "收支总计", "<b>x</b>", "#"]) | text_strategy(8), "title"),
    "lines": edit_lines,
    "truncate": truncate,
    "insert": lambda t, d: insert_text(t, d, MARKDOWN_SNIPPETS + SNIPPETS),
}  # fmt: skip


def mutate(text: str, data: st.DataObject, ops: dict[str, Callable[[str, st.DataObject], str]]) -> bytes:
    """Apply 1–3 random edits; sometimes spoil the encoding too."""
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        text = ops[pick(data, sorted(ops), "op")](text, data)
    encoded = text.encode("utf-8")
    spoil = pick(data, ["utf-8", "utf-8", "utf-8", "utf-8", "gbk", "bytes"], "encoding")
    if spoil == "gbk":
        encoded = text.encode("gbk", errors="replace")
    elif spoil == "bytes":
        position = data.draw(st.integers(0, len(encoded)), label="bad bytes at")
        encoded = (
            encoded[:position]
            + data.draw(st.binary(min_size=1, max_size=4), label="bytes")
            + encoded[position:]
        )
    return encoded


# ---------------------------------------------------------------- the properties


def _fuzz(
    pristine: Path,
    files: list[str],
    ops: dict[str, Callable[[str, st.DataObject], str]],
    examples: int = EXAMPLES,
) -> None:
    assert files, "no files to mutate"
    verdict = Verdict()

    @settings(FUZZ, max_examples=examples)
    @given(data=st.data())
    def prop(data: st.DataObject) -> None:
        mutated = pick(data, files, "file")
        content = mutate((pristine / mutated).read_text(encoding="utf-8"), data, ops)
        check_and_build(pristine, mutated, content, verdict)

    prop()
    verdict.settle()


def test_mutated_report_yaml_is_reported_not_raised(pristine: Path) -> None:
    _fuzz(pristine, REPORT_YAML, YAML_OPS)


def test_mutated_unit_yaml_is_reported_not_raised(pristine: Path) -> None:
    _fuzz(pristine, UNIT_YAML, YAML_OPS)


def test_mutated_markdown_is_reported_not_raised(pristine: Path) -> None:
    _fuzz(pristine, MARKDOWN, MARKDOWN_OPS)


def test_mutated_portal_settings_are_reported_not_raised(pristine: Path) -> None:
    _fuzz(pristine, ["portal.yaml"], YAML_OPS, examples=max(4, EXAMPLES // 2))


# ---------------------------------------------------------------- cross-site scripting


PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "'><iframe src=javascript:alert(1)></iframe>",
    "[点击](javascript:alert(1))",
    "[点击](JaVaScRiPt:alert(1))",
    "[点击](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" &#14;javascript:alert(1)">x</a>',
    "<div style=\"background:url('javascript:alert(1)')\">x</div>",
    "</script><script>alert(1)</script>",
    "</textarea></title></style><script>alert(1)</script>",
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    '<base href="//evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<style>@import '//evil.example/x.css';</style>",
    '<object data="javascript:alert(1)"></object>',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<a href='x' onmouseover='alert(1)'>x</a>",
    "![x](javascript:alert(1))",
    "<!--<script>alert(1)</script>-->",
    "{{ 7*7 }}{% raw %}",
    "\u2028<script>alert(1)</script>\u2029",
]
# Elements that never belong in a page (they come only from injected markup).
FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "svg", "math", "img",
                  "style", "audio", "video", "source", "textarea", "select"}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "srcset", "background",
                  "cite", "style"}  # fmt: skip
ALLOWED_SCRIPT_FOLDERS = ("assets/", "search/", "pagefind/")


def _yaml_string(text: str) -> str:
    """A double-quoted YAML scalar (JSON's escapes are YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def _set_scalar(key: str, indent: str = "", first_only: bool = False) -> Callable[[str, str], str]:
    """Replace the value of `key:` lines at that indentation."""
    pattern = re.compile(rf"^{indent}{re.escape(key)}:[ \t]*(?:[^#\n]*?)(?P<comment>[ \t]+#[^\n]*)?$", re.M)

    def edit(text: str, value: str) -> str:
        new, count = pattern.subn(
            lambda m: f"{indent}{key}: {_yaml_string(value)}", text, count=1 if first_only else 0
        )
        if not count:
            raise LookupError(key)
        return new

    return edit


def _subject_name(text: str, value: str) -> str:
    """Rename one 科目 everywhere it appears in the report (the tables must agree on its name)."""
    m = re.search(r"\[(\d{3,7}), ([^,\]\"']+),", text)
    if not m:
        raise LookupError("科目")
    return text.replace(f"[{m[1]}, {m[2]},", f"[{m[1]}, {_yaml_string(value)},")


def _flow_name(text: str, value: str) -> str:
    """Rename the first 自评项目 (a flow mapping {名称: …, 使用单位: …})."""
    new, count = re.subn(r"\{名称: [^,}]+,", lambda m: f"{{名称: {_yaml_string(value)},", text, count=1)
    if not count:
        raise LookupError("自评项目")
    return new


def _after_headings(text: str, value: str) -> str:
    """A paragraph with the payload under every ## heading (each reason, 预算绩效, each 名词)."""
    new, count = re.subn(r"^(## [^\n]*\n)", lambda m: f"{m[1]}\n{value}\n\n", text, flags=re.M)
    if not count:
        raise LookupError("##")
    return new


def _project_name(text: str, value: str) -> str:
    """Rename the first project of a budget's project table (表十一 项目: [名称, 类别, …])."""
    new, count = re.subn(r"^(\s+- \[)([^,\]\d][^,\]]*),", lambda m: f"{m[1]}{_yaml_string(value)},", text, count=1,
                         flags=re.M)  # fmt: skip
    if not count or "项目:" not in text:
        raise LookupError("项目")
    return new


def _appended(text: str, value: str) -> str:
    return f"{text.rstrip()}\n\n{value}\n\n- {value}\n\n> {value}\n"


def _in_title(text: str, value: str) -> str:
    """The attachment's title (its first # heading) and a paragraph."""
    new, count = re.subn(r"^(# [^\n]*)$", lambda m: f"{m[1]} {value}", text, count=1, flags=re.M)
    if not count:
        raise LookupError("#")
    return _appended(new, value)


def _new_term(text: str, value: str) -> str:
    """A glossary term whose name and definition are the payload, plus the payload in every definition."""
    return _after_headings(text, value) + f"\n## {value}\n\n{value}\n"


@dataclass(frozen=True)
class Field:
    """An authored field: the files that hold it and how to put a value there."""

    name: str
    files: str  # a glob under the portal's root
    edit: Callable[[str, str], str]


FIELDS = [
    Field("单位名称", "data/*/unit.yaml", _set_scalar("名称")),
    Field("地区", "data/*/unit.yaml", _set_scalar("地区")),
    Field("报告名称", "data/*/*-*.yaml", _set_scalar("名称")),
    Field("表注后缀", "data/*/*-*.yaml", _set_scalar("表注后缀")),
    Field("表注", "data/*/*-*.yaml", _set_scalar("注", indent="    ")),
    Field("科目名称", "data/*/*-*.yaml", _subject_name),
    Field("自评项目", "data/*/*-*.yaml", _flow_name),
    Field("预算项目名称", "data/*/*-budget.yaml", _project_name),
    Field("其他用车说明", "data/*/*-*.yaml", _set_scalar("其他用车说明", indent="  ")),
    Field("职责", "content/*/职责.md", _appended),
    Field("机构设置", "content/*/机构设置.md", _appended),
    Field("原因说明", "content/*/*-*.md", _after_headings),
    Field("名词解释", "content/名词解释.md", _new_term),
    Field("绩效评价报告", "content/*/*-绩效评价/*.md", _in_title),
    Field("网站名称", "portal.yaml", _set_scalar("site_name")),
    Field("发布单位", "portal.yaml", _set_scalar("publisher")),
]


def marker(field: Field) -> str:
    """Plain text put before the payload, to prove the field reached a page."""
    return f"XSSMARK{FIELDS.index(field)}X"


def inject(root: Path, field: Field, payload: str) -> None:
    """Put marker + payload into the field in every file that has it (at least one must)."""
    edited = 0
    for path in sorted(root.glob(field.files)):
        try:
            text = field.edit(path.read_text(encoding="utf-8"), f"{marker(field)} {payload}")
        except LookupError:
            continue  # this file (e.g. a budget) has no such field
        path.write_text(text, encoding="utf-8")
        edited += 1
    assert edited, f"{field.name}: no file {field.files} holds it"


def injected_markup(site: Path) -> list[str]:
    """Every trace of injected markup in the built pages: scripts, handlers, script URLs, foreign tags."""
    found = []
    for page in sorted(site.rglob("*.html")):
        where = page.relative_to(site).as_posix()
        document = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for script in document.find_all("script"):
            src = script.get("src")
            if src is not None:
                target = (page.parent / str(src)).resolve()
                inside = (
                    target.is_relative_to(site.resolve()) and target.relative_to(site.resolve()).as_posix()
                )
                if not is_local(str(src)) or not inside or not inside.startswith(ALLOWED_SCRIPT_FOLDERS):
                    found.append(f"{where}: <script src={src!r}>")
            elif script.get("type") != "application/json":
                found.append(f"{where}: inline script {script.get_text()[:80]!r}")
            else:
                try:
                    json.loads(script.get_text())
                except ValueError:
                    found.append(f"{where}: JSON data block broken open: {script.get_text()[:120]!r}")
        for element in document.find_all(True):
            if element.name in FORBIDDEN_TAGS:
                found.append(f"{where}: <{element.name}> {str(element)[:80]!r}")
            if element.name == "meta" and element.get("http-equiv", "").lower() == "refresh":
                found.append(f"{where}: <meta http-equiv=refresh>")
            if element.name in ("form", "input", "button") and where != "search/index.html":
                found.append(f"{where}: <{element.name}> outside the search page")
            if element.name == "link" and element.find_parent("head") is None:
                found.append(f"{where}: <link> in the body")
            for attribute, value in element.attrs.items():
                text = " ".join(value) if isinstance(value, list) else str(value)
                if attribute.lower().startswith("on"):
                    found.append(f"{where}: <{element.name} {attribute}={text[:60]!r}>")
                if attribute.lower() in URL_ATTRIBUTES and (
                    is_script_url(text) or "javascript:" in re.sub(r"\s", "", text).lower()
                    or re.sub(r"\s", "", text).lower().startswith("data:text/html")
                ):  # fmt: skip
                    found.append(f"{where}: <{element.name} {attribute}={text[:60]!r}>")
    return found


def page_text(site: Path) -> str:
    return "\n".join(
        BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").get_text(" ")
        for p in sorted(site.rglob("*.html"))
    )


def test_the_xss_detector_sees_injected_markup(tmp_path: Path) -> None:
    """The detector itself: each kind of injected markup is found, the built portal's own markup is not."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "ok.html").write_text(
        '<html><head><link rel="stylesheet" href="assets/a.css"><script src="assets/a.js"></script></head>'
        '<body><script type="application/json">{"a": "\\u003c/script\\u003e"}</script><a href="x.html">x</a>'
        "&lt;script&gt;alert(1)&lt;/script&gt;</body></html>",
        encoding="utf-8",
    )
    assert injected_markup(tmp_path) == []
    for bad in ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '<a href=" javascript:x">x</a>',
                "<svg onload=alert(1)>", '<script type="application/json">{"a": "</script><b>"}</script>',
                '<p style="background:url(javascript:x)">x</p>', "<iframe src=x></iframe>",
                '<script src="//evil.example/x.js"></script>']:  # fmt: skip
        (tmp_path / "bad.html").write_text(f"<html><body>{bad}</body></html>", encoding="utf-8")
        assert injected_markup(tmp_path), bad


def test_xss_payloads_in_every_authored_field_stay_text(pristine: Path) -> None:
    """All payloads at once, each field a different one: one build, every page checked."""
    with fresh_copy(pristine) as root:
        for i, field_ in enumerate(FIELDS):
            inject(root, field_, " ".join(PAYLOADS[i:] + PAYLOADS[:i]))
        check, build = run(root, "check"), run(root, "build")
        assert not build.traceback, build.traceback
        assert build.status == 0, f"the payloads should be accepted as text:\n{build.output[-3000:]}"
        assert check.status == 0, check.output[-3000:]
        site = root / "site"
        found = injected_markup(site)
        assert not found, f"{len(found)} pieces of injected markup reached the pages:\n" + "\n".join(
            found[:60]
        )
        text = page_text(site)
        missing = [f.name for f in FIELDS if marker(f) not in text]
        assert not missing, f"fields that reached no page (the test would prove nothing for them): {missing}"
        assert "{{ 7*7 }}" in text and "49{" not in text, "authored text was evaluated as a template"


@settings(FUZZ, max_examples=max(4, EXAMPLES // 3))
@given(data=st.data())
def test_xss_payload_in_an_authored_field_stays_text(pristine: Path, data: st.DataObject) -> None:
    field_ = data.draw(st.sampled_from(FIELDS), label="field")
    payload = data.draw(
        st.lists(st.sampled_from(PAYLOADS) | text_strategy(8), min_size=1, max_size=3).map("".join),
        label="payload",
    )
    with fresh_copy(pristine) as root:
        inject(root, field_, payload)
        build = run(root, "build")
        assert not build.traceback, build.traceback
        assert build.status in (0, 1)
        if build.status == 1:
            assert all(LOCATED.match(p) for p in build.problems()), build.output[-2000:]
            return
        found = injected_markup(root / "site")
        assert not found, f"{field_.name}: {payload!r} reached the pages as markup:\n" + "\n".join(found[:30])


# ---------------------------------------------------------------- the engine defects found, as reproductions
# Each was a strict xfail until the engine was fixed; they stay as regression tests.


def _run_edited(pristine: Path, file: str, old: str, new: str) -> None:
    with fresh_copy(pristine) as root:
        path = root / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{file} no longer holds {old!r}: update this reproduction"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        assert_handled(root, file, run(root, "check"), run(root, "build"))


def test_report_leaving_out_an_optional_三公经费_amount_builds(pristine: Path) -> None:
    _run_edited(pristine, "data/jiyuan-ybzx/2023-final.yaml", "  国外接待费: 0\n", "")


def test_control_character_in_yaml_is_located(pristine: Path) -> None:
    _run_edited(pristine, "data/jiyuan-ybzx/unit.yaml", "地区: 济源市", "地区: 济源\x0b市")


@pytest.mark.parametrize(
    "old, new",
    [
        ("base_url: /", "base_url: true"),
        ("out_dir: site", "out_dir: true"),
        ("data_dir: data", "data_dir: 1"),
        ('zero: "0.00"', "zero: x"),
        ("site_name: 部门预决算公开", "site_name: 部门预决算公开\njobs: abc"),
        ('publisher: ""', "publisher: '"),
    ],
    ids=["base_url-bool", "out_dir-bool", "data_dir-number", "zero-unknown", "jobs-text", "yaml-syntax"],
)
def test_bad_portal_setting_is_located(pristine: Path, old: str, new: str) -> None:
    with fresh_copy(pristine) as root:
        path = root / "portal.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text, f"portal.yaml no longer holds {old!r}: update this reproduction"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        check, build = run(root, "check"), run(root, "build")
        assert_handled(root, "portal.yaml", check, build)
        assert check.status == 1, f"{new!r} is accepted:\n{check.output[-1500:]}"
        problems = [p for p in check.problems() if p.startswith("[错误]")]
        assert problems and all(_line(p) for p in problems), f"not located at a line: {problems}"
