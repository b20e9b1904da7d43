"""The built-in search index's JSON, kept between builds: an edit re-encodes only the pages it changed.

A string (科目 name or note clause) found on more than one page is stored once in `shared` and named
by its number there (numbers follow the sorted order). The encoder keeps every page's entry, how
many pages hold each string and, in the preview server (keep), each page's encoded JSON; a build
diffs the new entries against the kept ones. Only when the set of shared strings changes is every
page encoded again. The output, given in pieces to be written as they come, is byte for byte what
encoding the whole index at once gives.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _strings(page: dict[str, Any]) -> set[str]:
    return {*page["subjects"], *page["notes"]}


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

    def pieces(self, pages: list[dict[str, Any]], pagefind: bool, keep: bool = True) -> Iterator[str]:
        """Yield the index's JSON (as encode() returns it) in pieces: the head, then page by page.

        keep: keep each page's JSON for the next build (the preview server); a one-off build does
        not hold the whole index in memory a second time.
        """
        if not keep:
            self.fragments = {}
        self._count(pages)
        flag = "true" if pagefind else "false"
        yield f'{{"version":1,"pagefind":{flag},"shared":{self.shared_json},"pages":['
        for position, page in enumerate(pages):
            fragment = self.fragments.get(page["url"])
            if fragment is None:
                fragment = self._page(page)
                if keep:
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

    def _page(self, page: dict[str, Any]) -> str:
        number = self.number
        return _dumps(
            {
                **page,
                "subjects": [number.get(s, s) for s in page["subjects"]],
                "notes": [number.get(s, s) for s in page["notes"]],
            }
        )
