"""Index a built site's pages with pagefind again, alone: what `bench` measures as the search step.

Run as `python -m disclosure.bench_search SITE` by bench.py, so that its time, CPU and memory are
those of this step only. The pages and their words are read back from the site's built-in index
(search/index.js), which holds exactly what the build hands to pagefind.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .pagefind_index import PAGEFIND_DIR, PARTS_FILE, run_pagefind
from .search import BUILTIN_INDEX


def builtin_pages_of(site: Path) -> Iterator[dict[str, Any]]:
    """Yield the pages of a built site's search/index.js one by one, their shared strings put back.

    One at a time, as the build hands them to pagefind (from its spool): the measured memory is the build's.
    """
    script = (site / BUILTIN_INDEX).read_text(encoding="utf-8")
    match = re.search(
        r'^window\.PORTAL_SEARCH = \{"version":1,"pagefind":(?:true|false),"shared":', script, re.M
    )
    if match is None:
        raise SystemExit(f"{site / BUILTIN_INDEX} 中没有内置搜索索引")
    decoder = json.JSONDecoder()
    shared, position = decoder.raw_decode(script, match.end())
    separator = ',"pages":['
    if not script.startswith(separator, position):
        raise SystemExit(f"{site / BUILTIN_INDEX} 的格式不对")
    position += len(separator)
    while script[position] != "]":
        page, position = decoder.raw_decode(script, position)
        for key in ("subjects", "notes"):
            page[key] = [shared[s] if isinstance(s, int) else s for s in page[key]]
        yield page
        if script[position] == ",":
            position += 1


def main(site: Path) -> None:
    """Index the site's searchable pages into site/pagefind/; print the page and part counts as JSON."""
    count = run_pagefind(site, builtin_pages_of(site), site.joinpath)
    parts = json.loads((site / PAGEFIND_DIR / PARTS_FILE).read_text(encoding="utf-8"))["parts"]
    print(json.dumps({"pages": count, "parts": len(parts) + 1}))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
