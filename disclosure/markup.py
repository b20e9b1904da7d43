"""Authored Markdown to safe HTML, and glossary links in generated notes."""

from __future__ import annotations

import re
from functools import lru_cache

import markdown
import nh3

_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "caption", "a", "hr",
    "sup", "sub", "span",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "th": {"colspan", "rowspan", "scope"}, "td": {"colspan", "rowspan"}}
_MARKDOWN = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
_PARAGRAPHS = re.compile(r"<p>(.*?)</p>", re.S)
_TAG_SPLIT = re.compile(r"(<[^>]+>)")


@lru_cache(maxsize=256)
def render_markdown(text: str, *, level: int = 3) -> str:
    """Render authored Markdown (with tables) and sanitize it; its top heading becomes <h{level}>.

    Authors' headings keep their relative depth but start where the page's outline needs them,
    so a page never skips a heading level.

    cmark (cmarkgfm) renders tables 25 times faster but leaks about 75 KB per call with its table
    extension (measured), which a province-sized build cannot afford; Python-Markdown does not leak.
    """
    html = _MARKDOWN.reset().convert(text)
    levels = [int(n) for n in re.findall(r"<h([1-6])>", html)]
    if levels and level:
        shift = level - min(levels)
        html = re.sub(r"<(/?)h([1-6])>", lambda m: f"<{m[1]}h{max(1, min(6, int(m[2]) + shift))}>", html)
    # Header cells of authored tables name their column (screen readers announce them).
    html = html.replace("<th>", '<th scope="col">').replace("<th ", '<th scope="col" ')
    html = _caption_tables(html)
    return nh3.clean(
        html,
        tags=_TAGS | {"div"},
        attributes={**_ATTRIBUTES, "div": {"class"}, "table": {"class"}, "caption": {"class"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


_HEADING_OR_TABLE = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>|<table>", re.S)


def _caption_tables(html: str) -> str:
    """Wrap authored tables for scrolling and caption each with the heading above it (for screen readers)."""
    parts: list[str] = []
    caption, position = "附表", 0
    for match in _HEADING_OR_TABLE.finditer(html):
        if match.group(0).startswith("<h"):
            caption = re.sub(r"<[^>]+>", "", match.group(1)).strip() or caption
            continue
        parts.append(html[position : match.start()])
        parts.append(
            f'<div class="table-wrap"><table class="authored"><caption class="visually-hidden">{caption}</caption>'
        )
        position = match.end()
    parts.append(html[position:])
    return "".join(parts).replace("</table>", "</table></div>")


def render_inline(text: str) -> str:
    """Render a short authored reason for use inside a sentence (one paragraph, no <p>)."""
    html = render_markdown(text, level=0).strip()
    paragraphs = _PARAGRAPHS.findall(html)
    if paragraphs and "".join(f"<p>{p}</p>" for p in paragraphs) == re.sub(r">\s+<p>", "><p>", html):
        # Several short paragraphs of a reason stay inside the sentence's paragraph, as line breaks.
        return "<br>".join(paragraphs)
    return html


def link_terms(html: str, terms: list[tuple[str, str]]) -> str:
    """Link the first use of each glossary term in the notes to its entry (text outside tags only)."""
    pending = sorted(terms, key=lambda t: len(t[0]), reverse=True)
    parts = _TAG_SPLIT.split(html)
    inside_link = False
    for i, part in enumerate(parts):
        if part.startswith("<"):
            if part.startswith("<a"):
                inside_link = True
            elif part.startswith("</a"):
                inside_link = False
            continue
        if inside_link or not part:
            continue
        for term, anchor in list(pending):
            position = part.find(term)
            if position < 0:
                continue
            link = f'<a class="term" href="#{anchor}">{term}</a>'
            before, after = part[:position], part[position + len(term) :]
            part = before + "\x00" + after
            parts[i] = part.replace("\x00", link)
            pending.remove((term, anchor))
            # Re-split so that later terms do not match inside the link just made.
            return (
                link_terms("".join(parts[: i + 1]) + "".join(parts[i + 1 :]), pending)
                if pending
                else "".join(parts)
            )
    return "".join(parts)
