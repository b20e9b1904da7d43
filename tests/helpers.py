"""Shared test helpers: a throw-away copy of the portal, problem look-ups, seed-document parsing.

Nothing here imports test modules; conftest.py turns these into fixtures.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from disclosure.cli import main as cli_main  # noqa: E402
from disclosure.config import load_config  # noqa: E402
from disclosure.pipeline import Checked, load_and_check  # noqa: E402
from disclosure.problems import Level, Problem  # noqa: E402


def _seed_dir() -> Path | None:
    """Where the seed documents are: $DISCLOSURE_SEEDS, tests/seeds/ in the repo, or the shared folder."""
    for candidate in (os.environ.get("DISCLOSURE_SEEDS"), REPO / "tests" / "seeds", "/work/shared/seeds"):
        if candidate and (Path(candidate) / "000_d410f008f030cfb3.txt").is_file():
            return Path(candidate)
    return None


SEED_DIR = _seed_dir()
COPIED = ("data", "content", "templates")
COPIED_FILES = ("portal.yaml",)

JINAN = "data/jinan-shizhong-ybj/2024-final.yaml"
JIYUAN = "data/jiyuan-ybzx/2023-final.yaml"
JINAN_MD = "content/jinan-shizhong-ybj/2024-final.md"
JIYUAN_MD = "content/jiyuan-ybzx/2023-final.md"


@dataclass(frozen=True)
class Seed:
    """A seed document and the report transcribed from it."""

    key: str
    text_file: str
    unit_id: str
    year: int

    @property
    def path(self) -> Path:
        assert SEED_DIR is not None, "seed documents not found (set DISCLOSURE_SEEDS)"
        return SEED_DIR / self.text_file

    @property
    def report_file(self) -> str:
        return f"data/{self.unit_id}/{self.year}-final.yaml"

    @property
    def page(self) -> str:
        return f"units/{self.unit_id}/{self.year}-final/index.html"


SEEDS = {
    "000": Seed("000", "000_d410f008f030cfb3.txt", "jinan-shizhong-ybj", 2024),
    "004": Seed("004", "004_037a2d5cec6712cc.txt", "jiyuan-ybzx", 2023),
}


# ---------------------------------------------------------------- running the CLI in-process


@dataclass
class CliResult:
    """Exit status and captured output of one in-process CLI run."""

    status: int
    out: str
    err: str

    @property
    def output(self) -> str:
        return self.out + self.err


def run_cli(*argv: str) -> CliResult:
    """Run `build.py …` in this process; an escaping exception is a test failure (no traceback allowed)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = cli_main(list(argv))
        except SystemExit as exc:  # argparse
            status = exc.code if isinstance(exc.code, int) else 1
        except Exception:  # noqa: BLE001 - reported below with the captured output
            raise AssertionError(
                f"build.py {' '.join(argv)} raised instead of reporting:\n{traceback.format_exc()}\n"
                f"stdout:\n{out.getvalue()}\nstderr:\n{err.getvalue()}"
            ) from None
    return CliResult(status, out.getvalue(), err.getvalue())


# ---------------------------------------------------------------- a throw-away portal


def copy_portal(target: Path) -> Path:
    """Copy the repo's data/, content/, templates/ (and portal.yaml) into target."""
    target.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        shutil.copytree(REPO / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in COPIED_FILES:
        if (REPO / name).is_file():
            shutil.copy2(REPO / name, target / name)
    return target


_NULLS = {"~", "null", "Null", "NULL", ""}


def _nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _nulls(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nulls(v) for v in value]
    return None if value in _NULLS else value


class MiniPortal:
    """A copy of the portal in a temporary folder, with helpers to break it and run the tool on it."""

    def __init__(self, root: Path):
        self.root = root

    # files
    def path(self, rel: str) -> Path:
        return self.root / rel

    def read(self, rel: str) -> str:
        return self.path(rel).read_text(encoding="utf-8")

    def write(self, rel: str, text: str) -> Path:
        target = self.path(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return target

    def block(self, rel: str, within: str | None) -> tuple[int, int]:
        """Return the character span of a YAML block (a line `within:` and its more-indented lines)."""
        text = self.read(rel)
        if within is None:
            return 0, len(text)
        match = re.search(rf"^(?P<indent> *){re.escape(within)}:[^\n]*\n", text, re.M)
        assert match, f"{rel}: no block “{within}:”"
        indent = len(match["indent"])
        end = len(text)
        for following in re.finditer(r"^( *)(\S)[^\n]*$", text[match.end() :], re.M):
            if len(following.group(1)) <= indent and not following.group(2).startswith("#"):
                end = match.end() + following.start()
                break
        return match.start(), end

    def replace(self, rel: str, old: str, new: str, within: str | None = None) -> None:
        """Replace the one occurrence of old (inside the block `within:` when given) by new."""
        text = self.read(rel)
        start, end = self.block(rel, within)
        segment = text[start:end]
        count = segment.count(old)
        assert count == 1, f"{rel}{' ' + within if within else ''}: “{old}” occurs {count} times"
        self.write(rel, text[:start] + segment.replace(old, new) + text[end:])

    def replace_block(self, rel: str, within: str, new: str) -> None:
        """Replace a whole YAML block (`within:` and its children) by new text."""
        text = self.read(rel)
        start, end = self.block(rel, within)
        self.write(rel, text[:start] + new + text[end:])

    def edit_yaml(self, rel: str, change: Callable[[Any], object]) -> None:
        """Structural edit: load every scalar as its exact text, let `change` edit it in place, write it back."""
        data = _nulls(yaml.load(self.read(rel), Loader=yaml.BaseLoader))
        change(data)
        self.write(
            rel, yaml.dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=1000)
        )

    def line_of(self, rel: str, needle: str, within: str | None = None) -> int:
        """Return the 1-based line of the one line containing needle (inside block `within:`)."""
        text = self.read(rel)
        start, end = self.block(rel, within)
        first = text.count("\n", 0, start) + 1
        hits = [first + i for i, line in enumerate(text[start:end].split("\n")) if needle in line]
        assert len(hits) == 1, f"{rel}: “{needle}” is on lines {hits}"
        return hits[0]

    def lines_of_block(self, rel: str, within: str) -> range:
        """Return the 1-based line numbers of a YAML block."""
        text = self.read(rel)
        start, end = self.block(rel, within)
        first = text.count("\n", 0, start) + 1
        return range(first, text.count("\n", 0, end) + 2)

    # running
    def check(self) -> Checked:
        """Load and check in-process; return the model and every problem."""
        return load_and_check(self.root, load_config(self.root))

    def cli(self, *argv: str) -> CliResult:
        """Run build.py with --root pointing at this copy."""
        return run_cli("--root", str(self.root), *argv)

    def site(self) -> Path:
        return self.root / "site"


# ---------------------------------------------------------------- finding problems


def find(problems: Any, level: Level | None = None, **fields: Any) -> list[Problem]:
    """Return the problems matching every given field; `contains` matches inside the message."""
    items = problems.items if hasattr(problems, "items") and not isinstance(problems, list) else problems
    contains = fields.pop("contains", None)
    contains = [contains] if isinstance(contains, str) else (contains or [])
    found = []
    for problem in items:
        if level is not None and problem.level is not level:
            continue
        if any(getattr(problem, key) != value for key, value in fields.items()):
            continue
        if any(text not in problem.message for text in contains):
            continue
        found.append(problem)
    return found


def listing(problems: Any) -> str:
    """Format problems for an assertion message."""
    items = problems.items if hasattr(problems, "items") and not isinstance(problems, list) else problems
    return "\n".join(p.format() for p in items) or "(no problems)"


def expect(problems: Any, level: Level, **fields: Any) -> Problem:
    """Assert exactly one problem matches, and return it."""
    found = find(problems, level, **fields)
    assert len(found) == 1, (
        f"expected one {level.label} with {fields}, found {len(found)}:\n{listing(problems)}"
    )
    return found[0]


# ---------------------------------------------------------------- parsing the seed documents


_MARKUP = re.compile(r"</?b>|\*\*")
_SPACES = re.compile(r"[\s\u3000]+")
_AMOUNT = re.compile(r"-?\d+(?:\.\d+)?")
_HEADING = re.compile(r"^\s*公开(0[1-9])表\s*$")


def clean(cell: str) -> str:
    """Drop bold markup and every space (the PDF extraction scatters them: “1, 547. 33”, “合 计”)."""
    return _SPACES.sub("", _MARKUP.sub("", cell))


def seed_amount(cell: str) -> Decimal | None:
    """Read a printed amount exactly; None for an empty cell."""
    text = clean(cell).replace(",", "").replace("，", "")
    if text == "":
        return None
    assert _AMOUNT.fullmatch(text), f"not an amount: {cell!r}"
    return Decimal(text)


def is_printed_amount(cell: str) -> bool:
    """Tell whether a cell prints an amount with decimals (not a column number)."""
    text = clean(cell).replace(",", "")
    return bool(re.fullmatch(r"-?\d+\.\d+", text))


SUBJECT_COLUMNS = {
    "02": (
        "本年收入合计",
        "财政拨款收入",
        "上级补助收入",
        "事业收入",
        "经营收入",
        "附属单位上缴收入",
        "其他收入",
    ),
    "03": ("本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"),
    "05": ("小计", "基本支出", "项目支出"),
    "07": (
        "年初结转和结余",
        "本年收入",
        "本年支出小计",
        "本年支出基本支出",
        "本年支出项目支出",
        "年末结转和结余",
    ),
    "08": ("小计", "基本支出", "项目支出"),
}
FINANCE_COLUMNS = ("合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款")
RECORD_COLUMNS = (
    "合计",
    "因公出国（境）费",
    "公务用车购置及运行维护费",
    "公务用车购置费",
    "公务用车运行维护费",
    "公务接待费",
)
SUBTOTALS = ("人员经费合计", "公用经费合计")


@dataclass
class SeedDocument:
    """The nine tables of a seed document as printed: every amount keyed as the page marks its cell."""

    rows: dict[str, list[list[str]]]
    balance: dict[str, dict[tuple[int, str], Decimal]] = field(default_factory=dict)
    subject: dict[str, dict[str, dict[str, Decimal]]] = field(default_factory=dict)
    economic: dict[str, Decimal] = field(default_factory=dict)
    subtotals: dict[str, Decimal] = field(default_factory=dict)
    records: dict[tuple[str, str], Decimal] = field(default_factory=dict)


def seed_table_rows(path: Path) -> dict[str, list[list[str]]]:
    """Split the document at its 公开0N表 headings; keep the tab-separated lines of each table."""
    lines = path.read_text(encoding="utf-8").splitlines()
    starts = [(i, m.group(1)) for i, line in enumerate(lines) if (m := _HEADING.match(line))]
    numbers = [n for _, n in starts]
    assert numbers == [f"0{i}" for i in range(1, 10)], f"{path.name}: table headings {numbers}"
    tables: dict[str, list[list[str]]] = {}
    for position, (start, number) in enumerate(starts):
        if position + 1 < len(starts):
            end = starts[position + 1][0]
        else:
            end = next(i for i in range(start, len(lines)) if "第三部分" in lines[i])
        tables[number] = [line.split("\t") for line in lines[start + 1 : end] if "\t" in line]
    return tables


def parse_seed(path: Path) -> SeedDocument:
    """Parse every table of a seed document."""
    doc = SeedDocument(seed_table_rows(path))
    for number in ("01", "04"):
        values: dict[tuple[int, str], Decimal] = {}
        for raw in doc.rows[number]:
            cells = [clean(c) for c in raw] + [""] * 9
            if cells[1].isdigit() and cells[2]:
                values[(int(cells[1]), "金额")] = seed_amount(cells[2])  # type: ignore[assignment]
            if number == "01" and cells[4].isdigit() and cells[5]:
                values[(int(cells[4]), "金额")] = seed_amount(cells[5])  # type: ignore[assignment]
            if number == "04" and cells[4].isdigit() and any(cells[5:9]):
                for key, cell in zip(FINANCE_COLUMNS, cells[5:9], strict=True):
                    values[(int(cells[4]), key)] = seed_amount(cell) or Decimal(0)
        doc.balance[number] = values
    for number, columns in SUBJECT_COLUMNS.items():
        rows: dict[str, dict[str, Decimal]] = {}
        for raw in doc.rows[number]:
            cells = [clean(c) for c in raw] + [""] * (2 + len(columns))
            if re.fullmatch(r"\d{3}(\d{2}){0,2}", cells[0]):
                key = cells[0]
            elif "合计" in (cells[0], cells[1]):
                key = "合计"
            else:
                continue  # header rows, repeated after each page break
            assert key not in rows, f"{path.name} 公开{number}表: {key} twice"
            rows[key] = {
                c: seed_amount(v) or Decimal(0)
                for c, v in zip(columns, cells[2 : 2 + len(columns)], strict=True)
            }
        doc.subject[number] = rows
    for raw in doc.rows["06"]:
        cells = [clean(c) for c in raw]
        for k in range(0, len(cells) - 2, 3):
            if re.fullmatch(r"\d{3}(\d{2})?", cells[k]):
                assert cells[k] not in doc.economic, f"{path.name} 公开06表: {cells[k]} twice"
                doc.economic[cells[k]] = seed_amount(cells[k + 2]) or Decimal(0)
        for name in SUBTOTALS:
            if name in cells:
                after = [c for c in cells[cells.index(name) + 1 :] if c]
                doc.subtotals[name] = seed_amount(after[0])  # type: ignore[assignment]
    data_rows = [r for r in doc.rows["09"] if len(r) >= 12 and all(is_printed_amount(c) for c in r[:12])]
    assert len(data_rows) == 1, f"{path.name} 公开09表: {len(data_rows)} rows of amounts"
    for i, cell in enumerate(data_rows[0][:12]):
        record = "预算数" if i < 6 else "决算数"
        doc.records[(record, RECORD_COLUMNS[i % 6])] = seed_amount(cell)  # type: ignore[assignment]
    return doc


# ---------------------------------------------------------------- reading rendered pages


def page_amount(cell: Any) -> Decimal:
    """Read an amount printed in a page cell ("1,547.33"; blank is zero)."""
    text = cell.get_text(strip=True).replace(",", "")
    return Decimal(text) if text else Decimal(0)
