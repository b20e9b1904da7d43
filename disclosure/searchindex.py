"""The built-in search index's JSON, kept between builds: an edit re-encodes only the pages it changed.

A string (科目 name or note clause) found on more than one page is stored once in `shared` and named
by its number there (numbers follow the sorted order). The encoder keeps every page's entry, how
many pages hold each string and each page's encoded JSON (the preview server builds again); a build
diffs the new entries against the kept ones. Only when the set of shared strings changes is every
page encoded again. The output, given in pieces to be written as they come, is byte for byte what
encoding the whole index at once gives. A one-off build keeps nothing: stream_pieces reads the pages
twice, counting the strings, then encoding each page as it comes.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _strings(page: dict[str, Any]) -> set[str]:
    return {*page["subjects"], *page["notes"]}


def _head(pagefind: bool, shared_json: str) -> str:
    flag = "true" if pagefind else "false"
    return f'{{"version":1,"pagefind":{flag},"shared":{shared_json},"pages":['


def _fragment(page: dict[str, Any], number: dict[str, int]) -> str:
    return _dumps(
        {
            **page,
            "subjects": [number.get(s, s) for s in page["subjects"]],
            "notes": [number.get(s, s) for s in page["notes"]],
        }
    )


def stream_pieces(pages: Callable[[], Iterable[dict[str, Any]]], pagefind: bool) -> Iterator[str]:
    """Yield the index's JSON (as IndexEncoder gives it) holding one page at a time: pages() is read twice."""
    counts: Counter[str] = Counter()
    for page in pages():
        counts.update(_strings(page))
    shared = sorted(s for s, n in counts.items() if n > 1)
    del counts
    number = {s: i for i, s in enumerate(shared)}
    yield _head(pagefind, _dumps(shared))
    for position, page in enumerate(pages()):
        fragment = _fragment(page, number)
        yield "," + fragment if position else fragment
    yield "]}"


class IndexEncoder:
    """Encode the built-in index's pages, reusing what the last build encoded."""

    def __init__(self) -> None:
        self.pages: dict[str, dict[str, Any]] = {}
        self.counts: Counter[str] = Counter()
        self.shared: set[str] = set()
        self.number: dict[str, int] = {}
        self.shared_json = "[]"
        self.fragments: dict[str, str] = {}

    def encode(self, pages: list[dict[str, Any]], pagefind: bool) -> str:
        """Return the index as JSON: version, pagefind flag, shared strings, pages in the given order."""
        return "".join(self.pieces(pages, pagefind))

    def pieces(self, pages: list[dict[str, Any]], pagefind: bool) -> Iterator[str]:
        """Yield the index's JSON (as encode() returns it) in pieces: the head, then page by page."""
        self._count(pages)
        yield _head(pagefind, self.shared_json)
        for position, page in enumerate(pages):
            fragment = self.fragments.get(page["url"])
            if fragment is None:
                fragment = _fragment(page, self.number)
                self.fragments[page["url"]] = fragment
            yield "," + fragment if position else fragment
        yield "]}"

    def _count(self, pages: list[dict[str, Any]]) -> None:
        """Count the strings of the pages that changed; renumber the shared ones when their set changed."""
        new = {p["url"]: p for p in pages}
        changed = [u for u in new.keys() | self.pages.keys() if new.get(u) != self.pages.get(u)]
        touched: set[str] = set()
        for url in changed:
            if url in self.pages:
                gone = _strings(self.pages[url])
                self.counts.subtract(gone)
                touched |= gone
            if url in new:
                added = _strings(new[url])
                self.counts.update(added)
                touched |= added
        renumber = False
        for string in touched:
            count = self.counts[string]
            if count <= 0:
                del self.counts[string]
            if (count > 1) != (string in self.shared):
                renumber = True
                (self.shared.add if count > 1 else self.shared.discard)(string)
        self.pages = new
        if renumber:
            ordered = sorted(self.shared)
            self.number = {s: i for i, s in enumerate(ordered)}
            self.shared_json = _dumps(ordered)
            self.fragments = {}
        for url in changed:
            self.fragments.pop(url, None)
