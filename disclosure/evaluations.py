"""绩效评价报告: Markdown reports of a unit and year, `content/<unit>/<year>-绩效评价/NN-标题.md`.

An evaluation report (a project's or the department's, often by a third party) is prose with score
tables; it belongs to its unit and year, whether or not that unit publishes a 预算 or 决算 there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .problems import Problems

if TYPE_CHECKING:
    from .sources import SourceReader, TextFile

FOLDER = re.compile(r"^(?P<year>\d{4})-绩效评价$")
FILE = re.compile(r"^(?P<number>\d{1,3})-(?P<title>.+)\.md$")


@dataclass
class EvaluationRef:
    """What links to an evaluation report: its unit, year, number, title and source file."""

    unit_id: str
    year: int
    number: str
    title: str
    file: str

    @property
    def slug(self) -> str:
        """Return the permanent path segment, e.g. 2024-evaluation-01."""
        return f"{self.year}-evaluation-{self.number}"

    def ref(self) -> EvaluationRef:
        """Return the light reference kept in the portal's summaries."""
        return EvaluationRef(self.unit_id, self.year, self.number, self.title, self.file)


@dataclass
class Evaluation(EvaluationRef):
    """An evaluation report with its Markdown text."""

    text: str = ""

    @property
    def body(self) -> str:
        """Return the text without its title line (the page prints the title as its <h1>)."""
        lines = self.text.splitlines()
        for i, line in enumerate(lines):
            if line.strip():
                return "\n".join(lines[i + 1 :]) if line.startswith("# ") else self.text
        return self.text


def evaluation_path(evaluation: EvaluationRef) -> str:
    """Return an evaluation report's permanent page path."""
    return f"units/{evaluation.unit_id}/{evaluation.slug}/index.html"


def evaluation_folders(content: Path) -> list[Path]:
    """Return the `*-绩效评价` folders of a unit's content folder, in name order."""
    if not content.is_dir():
        return []
    return sorted(p for p in content.iterdir() if p.is_dir() and p.name.endswith("-绩效评价"))


def read_evaluation_files(content: Path, reader: SourceReader) -> list[TextFile]:
    """Read every `<year>-绩效评价/*.md` of a unit's content folder, in name order."""
    files = []
    for folder in evaluation_folders(content):
        if not FOLDER.match(folder.name):
            reader.problems.error(
                "绩效评价报告的文件夹名应为“年度-绩效评价”，例如 2024-绩效评价", file=reader.rel(folder)
            )
            continue
        files += reader.markdown_files(folder)
    return files


def build_evaluations(unit_id: str, files: list[TextFile], problems: Problems) -> list[Evaluation]:
    """Make one Evaluation per file; the title is the file's first `# ` heading, else its name."""
    evaluations: list[Evaluation] = []
    for file in files:
        folder, _, name = file.path.rpartition("/")
        year_match, name_match = FOLDER.match(folder.rpartition("/")[2]), FILE.match(name)
        if not year_match or not name_match:
            problems.error(
                "绩效评价报告的文件名应为“序号-标题.md”，例如 01-部门整体绩效评价报告.md", file=file.path
            )
            continue
        title = name_match["title"]
        for line in file.text.splitlines():
            if line.startswith("# "):
                title = line[2:].strip()
                break
        if not file.text.strip():
            problems.warning("绩效评价报告是空的", file=file.path)
        evaluation = Evaluation(
            unit_id, int(year_match["year"]), name_match["number"].zfill(2), title, file.path, file.text
        )
        if any(e.slug == evaluation.slug for e in evaluations):
            problems.error(f"同一年度有两个序号为 {evaluation.number} 的绩效评价报告", file=file.path)
            continue
        evaluations.append(evaluation)
    return sorted(evaluations, key=lambda e: (-e.year, e.number))


def report_orphans(content_dir: Path, unit_ids: set[str], reader: SourceReader) -> None:
    """An evaluation report of a unit without data/<unit>/unit.yaml would be left out silently: say so."""
    if not content_dir.is_dir():
        return
    for folder in sorted(p for p in content_dir.iterdir() if p.is_dir() and p.name not in unit_ids):
        if evaluation_folders(folder):
            reader.problems.error(
                f"这里有绩效评价报告，但没有单位信息文件 data/{folder.name}/unit.yaml"
                "（只有评价报告的单位也要有 unit.yaml，写名称、级别、地区）",
                file=reader.rel(folder),
            )
