"""Read the portal's input files (data/ and content/) once; every later stage works in memory."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .evaluations import read_evaluation_files, report_orphans
from .problems import Problems
from .yamlsource import YamlDoc, YamlError, parse_yaml

REPORT_FILE = re.compile(r"^(?P<year>\d{4})-(?P<kind>final|budget)\.ya?ml$")
UNIT_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass
class TextFile:
    """A Markdown file's path (relative to the project) and text."""

    path: str
    text: str


@dataclass
class ReportSource:
    """The files of one report: its YAML, its prose and its attachments."""

    unit_id: str
    year: int
    kind: str
    path: str
    doc: YamlDoc
    prose: TextFile | None = None
    attachments: list[TextFile] = field(default_factory=list)

    @property
    def files(self) -> list[str]:
        """Return every input path this report was built from."""
        paths = [self.path]
        if self.prose:
            paths.append(self.prose.path)
        paths.extend(a.path for a in self.attachments)
        return paths


@dataclass
class UnitSource:
    """A unit's metadata file and its 职责/机构设置 prose."""

    unit_id: str
    path: str
    doc: YamlDoc
    duties: TextFile | None = None
    organization: TextFile | None = None
    reports: list[ReportSource] = field(default_factory=list)
    evaluations: list[TextFile] = field(default_factory=list)


@dataclass
class Sources:
    """Everything read from disk, with content hashes of every input file."""

    units: list[UnitSource]
    glossary: TextFile | None
    hashes: dict[str, str] = field(default_factory=dict)


class SourceReader:
    """Read input files relative to the project root, recording problems and hashes."""

    def __init__(self, root: Path, problems: Problems):
        self.root = root
        self.problems = problems
        self.hashes: dict[str, str] = {}

    def rel(self, path: Path) -> str:
        """Return a path as shown in messages (relative to the project root)."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def text(self, path: Path) -> TextFile | None:
        """Read a UTF-8 text file, or record a located error."""
        if not path.is_file():
            return None
        raw = path.read_bytes()
        self.hashes[self.rel(path)] = hashlib.sha256(raw).hexdigest()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.problems.error("文件不是 UTF-8 编码，请另存为 UTF-8", file=self.rel(path))
            return None
        return TextFile(self.rel(path), text)

    def markdown_files(self, folder: Path) -> list[TextFile]:
        """Read every `*.md` of a folder (none when it is missing), in name order."""
        return [t for p in sorted(folder.glob("*.md")) if (t := self.text(p)) is not None]

    def yaml(self, path: Path) -> YamlDoc | None:
        """Read and parse a YAML file, or record a located error."""
        text = self.text(path)
        if text is None:
            return None
        try:
            return parse_yaml(text.text)
        except YamlError as exc:
            self.problems.error(str(exc), file=text.path, line=exc.line)
            return None


def read_sources(data_dir: Path, content_dir: Path, root: Path, problems: Problems) -> Sources:
    """Read every unit folder of data/ with its reports and the matching content/ files."""
    reader = SourceReader(root, problems)
    units: list[UnitSource] = []
    if not data_dir.is_dir():
        problems.error(f"找不到数据目录 {reader.rel(data_dir)}")
        return Sources([], None)
    for folder in sorted(p for p in data_dir.iterdir() if p.is_dir()):
        if folder.name.startswith((".", "_")) or folder.name == "schema":
            continue
        unit = read_unit(folder, content_dir / folder.name, reader)
        if unit is not None:
            units.append(unit)
    report_orphans(content_dir, {u.unit_id for u in units}, reader)
    glossary = reader.text(content_dir / "名词解释.md")
    return Sources(units, glossary, reader.hashes)


def read_unit(folder: Path, content: Path, reader: SourceReader) -> UnitSource | None:
    """Read one unit folder: unit.yaml, its reports, and the matching content/ files."""
    unit_file = folder / "unit.yaml"
    if not UNIT_ID.match(folder.name):
        reader.problems.error(
            "单位文件夹名只能用小写英文字母、数字和连字符（它是网址的一部分）",
            file=reader.rel(folder),
        )
        return None
    if not unit_file.is_file():
        reader.problems.error("缺少单位信息文件 unit.yaml", file=reader.rel(unit_file))
        return None
    doc = reader.yaml(unit_file)
    if doc is None:
        return None
    unit = UnitSource(
        folder.name,
        reader.rel(unit_file),
        doc,
        duties=reader.text(content / "职责.md"),
        organization=reader.text(content / "机构设置.md"),
    )
    unit.evaluations = read_evaluation_files(content, reader)
    for path in sorted(folder.iterdir()):
        if path.name == "unit.yaml" or path.suffix not in (".yaml", ".yml"):
            continue
        match = REPORT_FILE.match(path.name)
        if not match:
            reader.problems.error(
                "报告文件名应为“年度-final.yaml”（决算）或“年度-budget.yaml”（预算）",
                file=reader.rel(path),
            )
            continue
        report_doc = reader.yaml(path)
        if report_doc is None:
            continue
        stem = path.stem
        attachments = reader.markdown_files(content / f"{stem}-附件")
        unit.reports.append(
            ReportSource(
                folder.name,
                int(match["year"]),
                match["kind"],
                reader.rel(path),
                report_doc,
                prose=reader.text(content / f"{stem}.md"),
                attachments=attachments,
            )
        )
    return unit
