"""The pagefind word index, made from compact pages and in parts, so that its memory stays bounded.

pagefind keeps every page it indexes in memory until it writes its files (about 2.3 GB for 1,000
reports when it parsed the full report pages). So it is not given the report pages themselves but
a small page per report made from what the built-in index already holds for it (search.py): the
title (the report's heading: unit, year and kind), the 科目 names of its tables and its note clauses
and attachment titles. Unit pages, evaluation reports and the glossary are small and given as they
are. These pages are written to a scratch folder beside the site, never into it. (pagefind's
add_custom_record would take the same words, but its Python client reads one reply per 0.1 s:
about 10 records a second. One add_directory per part is one request.)

The pages, in address order, are cut into parts of at most PART_BYTES; each part is indexed by a
pagefind process of its own, one after the other, into pagefind/ (the first) and pagefind/part-N/
(the others). pagefind/parts.json lists the other parts; search.js merges them into the first
(pagefind's mergeIndex: they share its WebAssembly, so a part holds only its index and fragments).
The same site gives the same parts and the same bytes.
"""

from __future__ import annotations

import asyncio
import html
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

PAGEFIND_DIR = "pagefind"
PARTS_FILE = "parts.json"
LANGUAGE = "zh-cn"
# pagefind needs about 25 bytes of memory per byte of page it indexes, plus about 80 MB for itself
# (its Chinese dictionary): 8 MB of pages keeps one part's process near 300 MB, whatever the portal.
PART_BYTES = 8_000_000
# Left out inside <main> of the pages given as they are (unit pages, evaluation reports, glossary), as
# it repeats what is indexed elsewhere or nobody searches it in words: the table of contents, charts,
# column heads, amounts, line numbers and fixed row labels of the standard tables, hidden captions.
EXCLUDED = (
    ".toc", "#part-1", "#part-4", ".chart", "table.std thead", "table.std td.num", "table.std td.line",
    "table.std tbody th:not(.name)", ".table-meta", ".table-note", ".visually-hidden",
)  # fmt: skip
# pagefind also writes its ready-made interfaces and a web worker; search.js runs pagefind in the page.
UNUSED = (
    "pagefind-worker.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)  # fmt: skip
# A merged part uses the first part's script and WebAssembly.
UNUSED_IN_PARTS = ("pagefind.js", "wasm.*.pagefind")
KIND_REPORT = "报告"


def pagefind_available() -> bool:
    """Tell whether pagefind's Python package and a binary are installed."""
    try:
        from pagefind.service import get_executable

        return get_executable() is not None
    except (ImportError, OSError):  # no package, or a package without its binary
        return False


def record_page(page: dict[str, Any]) -> str:
    """Return the small page pagefind indexes for a report: its title, 科目 names and notes."""
    esc = html.escape
    subjects = "、".join(esc(s) for s in page["subjects"])
    notes = "".join(f"<p>{esc(n)}。</p>" for n in page["notes"])
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>'
        f'<main data-pagefind-body data-pagefind-meta="kind:{esc(page["kind"])}">'
        f"<h1>{esc(page['title'])}</h1><p>{subjects}</p>{notes}</main></body></html>\n"
    )


def split_parts(sizes: list[tuple[str, int]], limit: int) -> list[list[str]]:
    """Cut pages (address, bytes), in the given order, into runs of at most limit bytes (one page at least)."""
    parts: list[list[str]] = []
    total = limit
    for url, size in sizes:
        if total + size > limit:
            parts.append([])
            total = 0
        parts[-1].append(url)
        total += size
    return parts


def part_folder(number: int) -> str:
    """Return where part number (from 1) goes inside pagefind/."""
    return "" if number == 1 else f"part-{number}/"


def write_pages(
    pages: Iterable[dict[str, Any]], locate: Callable[[str], Path], scratch: Path
) -> list[tuple[str, int]]:
    """Write each page for pagefind under scratch/all/ (reports as small pages, others linked); return sizes."""
    sizes = []
    for page in pages:
        target = scratch / "all" / page["url"]
        target.parent.mkdir(parents=True, exist_ok=True)
        if page["kind"] == KIND_REPORT:
            target.write_text(record_page(page), encoding="utf-8")
        else:
            try:
                os.link(locate(page["url"]), target)
            except OSError:  # another file system
                shutil.copyfile(locate(page["url"]), target)
        sizes.append((page["url"], target.stat().st_size))
    return sizes


def index_folder(folder: Path, output: Path) -> int:
    """Index every page under folder with one pagefind process into output; return the page count."""
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(
        exclude_selectors=list(EXCLUDED), force_language=LANGUAGE, keep_index_url=True,
        output_path=str(output),
    )  # fmt: skip

    async def index() -> int:
        # Leaving the block without an error writes the files to config["output_path"].
        async with PagefindIndex(config=config) as pagefind:
            result = await pagefind.add_directory(str(folder), glob="**/*.html")
        return int(result["page_count"])

    for _attempt in range(3):
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            count = asyncio.run(index())
        else:  # called from inside an event loop (a server): run pagefind's client in a thread of its own
            with ThreadPoolExecutor(1) as pool:
                count = pool.submit(asyncio.run, index()).result()
        # pagefind's client stops the binary right after asking it to write; on a busy machine a
        # file is sometimes left empty (seen with pagefind 1.5.2). Index again when one is.
        if not any(p.is_file() and p.stat().st_size == 0 for p in output.rglob("*")):
            return count
        shutil.rmtree(output, ignore_errors=True)
    return count


def move_part(scratch: Path, part: list[str], number: int) -> Path:
    """Move one part's pages from scratch/all/ into a folder of their own; return it."""
    folder = scratch / f"part-{number}"
    folder.mkdir()
    for url in part:
        (folder / url).parent.mkdir(parents=True, exist_ok=True)
        os.replace(scratch / "all" / url, folder / url)
    return folder


def run_pagefind(site: Path, pages: Iterable[dict[str, Any]], locate: Callable[[str], Path]) -> int:
    """Index the pages (entries of the built-in index) into site/pagefind/, part by part; return the count."""
    output = site / PAGEFIND_DIR
    shutil.rmtree(output, ignore_errors=True)
    count = 0
    # Beside the site, named after it (the same file system: unit pages are hard-linked, not copied).
    with tempfile.TemporaryDirectory(prefix=f"{site.name}.pagefind-", dir=site.parent) as scratch_name:
        scratch = Path(scratch_name)
        parts = split_parts(write_pages(pages, locate, scratch), PART_BYTES) or [[]]
        for number, part in enumerate(parts, start=1):
            folder = move_part(scratch, part, number)
            count += index_folder(folder, output / part_folder(number))
            shutil.rmtree(folder)
    for number in range(1, len(parts) + 1):
        folder = output / part_folder(number)
        for pattern in UNUSED + (UNUSED_IN_PARTS if number > 1 else ()):
            for path in folder.glob(pattern):
                path.unlink()
    others = [part_folder(n) for n in range(2, len(parts) + 1)]
    output.mkdir(parents=True, exist_ok=True)
    (output / PARTS_FILE).write_text(json.dumps({"parts": others}) + "\n", encoding="utf-8")
    return count
