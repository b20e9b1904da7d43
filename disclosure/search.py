"""Full-text search in Chinese: a pagefind index for the served site, a built-in one for file://.

Both are made at the end of every build, over every searchable page of the new site (the report
pages, unit pages, evaluation reports and the glossary; pages an incremental build carried over
included), so the index always matches the site it ships with:

- search/index.js is a plain script defining window.PORTAL_SEARCH: for each of those pages its
  address, title, kind, unit and year, and for reports the 科目 names of the tables, the attachment
  titles and the note text with the figures taken out. A string found on several pages (科目
  names, boilerplate sentences) is stored once in `shared` and named by its number.
- pagefind (its Python package; the *extended* binary segments Chinese into words) indexes the same
  pages into pagefind/, reports from those same words (pagefind_index.py: small pages, in parts of
  bounded size). Its files are named by content hash and come out byte-identical from the same
  pages. The search page runs it in WebAssembly: its CSP alone adds 'wasm-unsafe-eval'. Preview
  builds skip it (it takes seconds; the preview must reload at once). pagefind fetches its index,
  which a page opened from disk may not do: search.js (templates/assets/) uses pagefind when the
  site is served and the built-in index when it is opened from disk or in the preview.
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from jinja2 import pass_environment

from .pagefind_index import PAGEFIND_DIR as PAGEFIND_DIR
from .pagefind_index import UNUSED as UNUSED
from .pagefind_index import pagefind_available, run_pagefind
from .searchindex import IndexEncoder, stream_pieces

if TYPE_CHECKING:
    from jinja2 import Environment

    from .summary import PortalIndex

SEARCH_PAGE = "search/index.html"
BUILTIN_INDEX = "search/index.js"
# At most this many characters of one report's note text go into the built-in index.
NOTE_LIMIT = 6000

KIND_REPORT, KIND_UNIT, KIND_GLOSSARY = "报告", "单位", "名词解释"
KIND_EVALUATION = "绩效评价报告"


@dataclass
class SearchSummary:
    """What the search step made: pages in each index, the built-in index's size."""

    builtin_pages: int
    builtin_bytes: int
    pagefind_pages: int | None  # None: pagefind not run (preview) or not installed


# ---------------------------------------------------------------- the search page's script


def script_asset(templates: Path) -> tuple[str, bytes]:
    """Return the search script's content-hashed path in the site and its bytes."""
    from .render import hashed_name  # render imports pages, which imports this module

    data = (templates / "assets" / "search.js").read_bytes()
    return "assets/" + hashed_name("search.js", data), data


@pass_environment
def search_script(env: Environment) -> str:
    """Return the search script's path for the search page (called from its template)."""
    return script_asset(Path(env.loader.searchpath[0]))[0]  # type: ignore[union-attr]


# ---------------------------------------------------------------- text of a rendered report

_BLOCK = re.compile(r"</?(?:p|h[1-6]|li|ol|ul|dl|dt|dd|tr|td|th|table|section|div|figure|br)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
# <figure …>…</figure> up to the first closing tag (the same as .*?, without trying it at each character).
_FIGURE = re.compile(r"<figure\b[^<]*(?:<(?!/figure>)[^<]*)*</figure>", re.I)
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S | re.I)
_SUBJECT = re.compile(r"<th\b[^>]*\bclass=\"name\b[^\"]*\"[^>]*>(.*?)</th>", re.S)
_ATTACHMENT = re.compile(r"<section class=\"attachment\"[^>]*\baria-label=\"([^\"]*)\"")
# Neither runs over a line's end, so they can be taken out of the whole text before it is split.
_NUMBER = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?[^\S\n]*(?:%|％|万元|元)?")
_EMPTY_BRACKETS = re.compile(r"（[^\S\n]*）|\([^\S\n]*\)|“[^\S\n]*”")
_CLAUSE_END = re.compile(r"[。；！？\n]+")
# What a clause may not start or end with (its only whitespace is single spaces by then).
_LEADING = " 、，,:：．.”’」』"
_TRAILING = " 、，,:：“‘「『"
_REPEATED = re.compile(r"([，、])[\s，、]+")
_TWO_WORDS = re.compile(r"\w\W*\w")


def text_of(fragment: str) -> str:
    """Return the text of an HTML fragment, one line per block element."""
    fragment = _SCRIPT.sub("", fragment)
    return html.unescape(_TAG.sub("", _BLOCK.sub("\n", fragment)))


def between(page: str, start: str, end: str) -> str:
    """Return the part of a page from the marker start to the marker end (or to its end)."""
    i = page.find(start)
    if i < 0:
        return ""
    j = page.find(end, i)
    return page[i : j if j >= 0 else len(page)]


def clauses(text: str) -> list[str]:
    """Split note text into clauses without figures, each once, in order.

    Figures (amounts, percentages, years) are what every report has different and nobody searches
    for in words; without them the generated sentences repeat across reports and cost nothing.
    """
    seen: dict[str, None] = {}
    for raw in _CLAUSE_END.split(_EMPTY_BRACKETS.sub("", _NUMBER.sub("", text))):
        clause = _clause(raw)
        if clause is not None:
            seen.setdefault(clause, None)
    return list(seen)


# Without their figures the generated sentences repeat from report to report: most are tidied once
# per process (4,096 held, about 1 MB).
@functools.lru_cache(maxsize=4096)
def _clause(raw: str) -> str | None:
    """Return a raw clause with its blanks and stray punctuation tidied, or None when it has no words."""
    clause = _REPEATED.sub(r"\1", " ".join(raw.split()))
    clause = clause.lstrip(_LEADING).rstrip(_TRAILING)
    return clause if _TWO_WORDS.search(clause) else None


def report_text(page: str) -> tuple[list[str], list[str]]:
    """Return a rendered report's 科目 names (standard tables) and its attachment titles + note clauses."""
    tables = between(page, '<section id="part-2"', '<section id="part-3"')
    names = (" ".join(text_of(n).split()) for n in _SUBJECT.findall(tables))
    subjects = list(dict.fromkeys(n for n in names if n))
    notes = _FIGURE.sub("", between(page, '<section id="part-3"', '<section id="part-4"'))
    kept, size = [], 0
    for clause in clauses(text_of(notes)):
        if size + len(clause) > NOTE_LIMIT:
            break
        kept.append(clause)
        size += len(clause) + 1
    attachments = page.find('<section id="part-5"')  # they are all in the fifth part
    titles = [html.unescape(t) for t in _ATTACHMENT.findall(page, attachments)] if attachments >= 0 else []
    return subjects, list(dict.fromkeys(titles)) + [c for c in kept if c not in titles]


_HEADING = re.compile(r"<h[2-5][^>]*>(.*?)</h[2-5]>", re.S)


def evaluation_text(page: str) -> list[str]:
    """Return an evaluation report's headings (figures taken out): its outline, small enough to keep."""
    main = between(page, "<main", "</main>")
    return clauses("\n".join(text_of(h) for h in _HEADING.findall(main)))


# ---------------------------------------------------------------- the built-in index


# A page's text by path with the identity of the file it came from, kept for the process's life by the
# preview server (it builds many times): pages an incremental build carried over are the same file (a
# hard link, or left in place), so only new ones are read.
SearchText = tuple[tuple[int, int, int], tuple[list[str], list[str]]]
_TEXT_CACHE: dict[str, SearchText] = {}


def _identity(stat: os.stat_result) -> tuple[int, int, int]:
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def page_text(written: Path, current: Path | None, html: str) -> SearchText:
    """Return a just-rendered report's words with the identity of its file (written, or else current)."""
    try:
        stat = os.stat(written)
    except FileNotFoundError:  # an unchanged page left in place
        stat = os.stat(current) if current is not None else os.stat(written)
    return _identity(stat), report_text(html)


class ReportWords:
    """The words of the reports a build rendered, by page path, handed in by the unit workers.

    A one-off build spools them to a scratch file beside the site and reads each back as the index
    is written: its memory does not grow with the number of reports. (Handed in by this build's
    workers, they are the words of the very file at that path.) The preview server keeps them in
    memory with their files' identity (_TEXT_CACHE) for its next builds. A page not handed in
    (carried over from the last build) is read.
    """

    def __init__(self, keep: bool, scratch: Path | None = None) -> None:
        self.kept = _TEXT_CACHE if keep else None
        # Closed by close(), when the index is written (the build's `finally`).
        self.spool: IO[bytes] | None = None if keep else tempfile.TemporaryFile(dir=scratch)  # noqa: SIM115
        self.where: dict[str, tuple[int, int]] = {}  # each unit's offset and length in the spool
        self._read: tuple[str, dict[str, Any]] = ("", {})  # the unit last read back

    def add(self, texts: dict[str, SearchText], unit_id: str = "") -> None:
        """Take the words of a unit's reports just rendered (one record per unit in the spool)."""
        if self.spool is None:  # kept for the process's life: each 科目 name or clause held once
            assert self.kept is not None
            intern = sys.intern
            for path, (identity, (subjects, notes)) in texts.items():
                self.kept[path] = (identity, ([intern(s) for s in subjects], [intern(s) for s in notes]))
            return
        if not texts:
            return
        words = {path: words for path, (_identity, words) in texts.items()}
        data = json.dumps(words, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        self.where[unit_id] = (self.spool.seek(0, os.SEEK_END), len(data))
        self.spool.write(data)

    def of(self, page: str, file: Path, unit_id: str = "") -> tuple[list[str], list[str]] | None:
        """Return report_text() of a unit's page (its file; None if absent), reading the file only if
        not handed in."""
        found = self.where.get(unit_id)
        if self.spool is not None and found is not None:
            if self._read[0] != unit_id:  # the index asks for a unit's pages one after another
                self.spool.seek(found[0])
                self._read = (unit_id, json.loads(self.spool.read(found[1])))
            if page in self._read[1]:
                subjects, notes = self._read[1][page]
                return subjects, notes
        try:
            key = _identity(os.stat(file))
        except FileNotFoundError:
            return None
        cached = self.kept.get(page) if self.kept is not None else None
        if cached is None or cached[0] != key:
            cached = (key, report_text(file.read_text(encoding="utf-8")))
            if self.kept is not None:
                self.kept[page] = cached
        return cached[1]

    def close(self) -> None:
        """Delete the spool (it has no name on disk: nothing is left behind if the build dies)."""
        if self.spool is not None:
            self.spool.close()


class IndexPage(NamedTuple):
    """A searchable page before its words are read (a report's and an evaluation's come from its file)."""

    url: str
    kind: str
    title: str
    unit: str
    year: int | None
    subjects: Sequence[str]  # () for a report or an evaluation: the one empty tuple, not a list per page
    notes: Sequence[str]
    unit_id: str = ""


def index_pages(locate: Callable[[str], Path], index: PortalIndex) -> Iterator[IndexPage]:
    """Yield every searchable page of the site (those the pagefind index covers), by address.

    Unit by unit (a unit's report summaries are read as it comes): every unit's pages are under
    units/<id>/, so units in the order of "<id>/" give the pages in the order of their addresses.
    """
    from .evaluations import evaluation_path
    from .pages import report_path, unit_path

    if locate("glossary/index.html").is_file():  # before units/
        terms = [t.term for t in index.glossary]
        yield IndexPage("glossary/index.html", KIND_GLOSSARY, "名词解释", "", None, terms, ())
    for unit in sorted(index.units, key=lambda u: u.id + "/"):
        pages: list[IndexPage] = []
        path = unit_path(unit)
        if locate(path).is_file():
            facts = [f for f in (unit.level, unit.region) if f]
            pages.append(IndexPage(path, KIND_UNIT, unit.name, unit.name, None, (), facts))
        for report in unit.reports:
            path = report_path(report)
            if locate(path).is_file():
                pages.append(
                    IndexPage(path, KIND_REPORT, report.title, unit.name, report.year, (), (), unit.id)
                )
        for evaluation in unit.evaluations:
            path = evaluation_path(evaluation)
            if locate(path).is_file():
                pages.append(
                    IndexPage(path, KIND_EVALUATION, evaluation.title, unit.name, evaluation.year, (), ())
                )
        yield from sorted(pages, key=lambda p: p.url)


def entries(
    pages: Iterable[IndexPage], words: ReportWords, locate: Callable[[str], Path]
) -> Iterator[dict[str, Any]]:
    """Yield each page's entry of the built-in index, its words read as it comes."""
    for page in pages:
        subjects, notes = list(page.subjects), list(page.notes)
        if page.kind == KIND_REPORT:
            found = words.of(page.url, locate(page.url), page.unit_id)
            if found is None:
                continue
            subjects, notes = found
        elif page.kind == KIND_EVALUATION:
            notes = evaluation_text(locate(page.url).read_text(encoding="utf-8"))
        yield entry(page.url, page.kind, page.title, page.unit, page.year, subjects, notes)


def entry(
    url: str, kind: str, title: str, unit: str, year: int | None, subjects: list[str], notes: list[str]
) -> dict[str, Any]:
    """Return one page of the built-in index."""
    return {"url": url, "kind": kind, "title": title, "unit": unit, "year": year,
            "subjects": subjects, "notes": notes}  # fmt: skip


def share_strings(pages: list[dict[str, Any]]) -> list[str]:
    """Replace every subject or clause found on more than one page by its number in the returned list."""
    counts = Counter(s for p in pages for s in {*p["subjects"], *p["notes"]})
    shared = sorted(s for s, n in counts.items() if n > 1)
    number = {s: i for i, s in enumerate(shared)}
    for page in pages:
        page["subjects"] = [number.get(s, s) for s in page["subjects"]]
        page["notes"] = [number.get(s, s) for s in page["notes"]]
    return shared


# Kept for the process's life: the preview server re-encodes only the pages an edit changed.
_encoder = IndexEncoder()

_INDEX_HEAD = (
    "/* 内置搜索索引：网站从磁盘打开（file://）或预览时由 search.js 使用。由 build.py 生成，请勿手改。 */\n"
    "window.PORTAL_SEARCH = "
)


def write_builtin_index(
    target: Path, pages: Callable[[], Iterable[dict[str, Any]]], pagefind: bool, keep: bool
) -> int:
    """Write search/index.js (the script that defines window.PORTAL_SEARCH) page by page; return its bytes.

    pages: gives the entries, in order, each time it is called. keep: encode through the encoder kept
    for the next build of this process (the preview server); otherwise hold no page (pages() is read twice).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    pieces = _encoder.pieces(list(pages()), pagefind) if keep else stream_pieces(pages, pagefind)
    with target.open("w", encoding="utf-8", newline="") as out:
        out.write(_INDEX_HEAD)
        for piece in pieces:  # the bytes of json.dumps of the whole, shared
            out.write(piece)
        out.write(";\n")
    return target.stat().st_size


# ---------------------------------------------------------------- the build step


def write_search(
    site: Path,
    templates: Path,
    index: PortalIndex,
    pagefind: bool = True,
    locate: Callable[[str], Path] | None = None,
    keep: bool = False,
    words: ReportWords | None = None,
) -> SearchSummary:
    """Write the search script, the built-in index and (unless told not to) the pagefind index.

    Runs once the new site folder holds every page, before it is published. locate: where a page of
    the new site is (an incremental build in place has only the changed pages in the folder).
    keep: keep what the next build of this process can reuse (the preview server builds again).
    words: the reports' words the workers handed in (without it, every report page is read).
    """
    name, code = script_asset(templates)
    (site / name).parent.mkdir(parents=True, exist_ok=True)
    (site / name).write_bytes(code)
    find = locate or site.joinpath
    own = words is None
    words = words or ReportWords(keep, site.parent)
    listed = 0

    def pages() -> Iterator[dict[str, Any]]:  # read anew each time, never held whole
        nonlocal listed
        listed = 0
        for page in index_pages(find, index):
            listed += 1
            yield from entries([page], words, find)

    indexed: int | None = None
    if pagefind and pagefind_available():
        indexed = run_pagefind(site, pages(), find)
    elif pagefind:
        print('[提示] 未安装 pagefind（pip install "pagefind[extended]"），网站搜索只使用内置索引。')
    size = write_builtin_index(site / BUILTIN_INDEX, pages, indexed is not None, keep)
    if own:
        words.close()
    return SearchSummary(builtin_pages=listed, builtin_bytes=size, pagefind_pages=indexed)
