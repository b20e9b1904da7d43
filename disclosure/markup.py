"""Authored Markdown to safe HTML, and glossary links in generated notes."""

from __future__ import annotations

import re
from functools import lru_cache

import markdown
import nh3
from markdown.treeprocessors import InlineProcessor

_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "caption", "a", "hr",
    "sup", "sub", "span",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "th": {"colspan", "rowspan", "scope"}, "td": {"colspan", "rowspan"}}
# What any of Python-Markdown's inline patterns starts with (backtick, escape, links and images,
# autolinks and HTML, line break, entity, emphasis), and its own placeholders.
_INLINE_MARKUP = re.compile(r"[`\\\[\]!<>&*_\x02\x03]|  \n")


class _QuickInline(InlineProcessor):
    """Python-Markdown's inline step, passing over text in which no inline pattern can match.

    Most authored text (the cells of the attachments' tables, plain Chinese sentences) holds no
    inline markup; trying each of the fourteen patterns on every cell took half the time of
    rendering a report. The result is unchanged: a pattern can only match where one of its
    characters is.
    """

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if patternIndex == 0 and not _INLINE_MARKUP.search(data):
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)


_MARKDOWN = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
_MARKDOWN.treeprocessors.register(_QuickInline(_MARKDOWN), "inline", 20)
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


@lru_cache(maxsize=256)  # every report prints the same glossary definitions
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
    # Terms the page never mentions cannot be linked; leaving them out spares a search per text run.
    pending = sorted((t for t in terms if t[0] in html), key=lambda t: len(t[0]), reverse=True)
    parts = _TAG_SPLIT.split(html)
    inside_link = False
    for i, part in enumerate(parts):
        if part.startswith("<"):
            if part.startswith("<a"):
                inside_link = True
            elif part.startswith("</a"):
                inside_link = False
        elif part and not inside_link and pending:
            parts[i] = _link_text(part, pending)
    return "".join(parts)


def _link_text(text: str, pending: list[tuple[str, str]]) -> str:
    """Link in one text run the first pending term it contains (longest first), then the text on
    either side of it, in reading order; a linked term leaves `pending`."""
    for k, (term, anchor) in enumerate(pending):
        position = text.find(term)
        if position < 0:
            continue
        del pending[k]
        before = _link_text(text[:position], pending)  # before `after`: earlier text links first
        after = _link_text(text[position + len(term) :], pending)
        return f'{before}<a class="term" href="#{anchor}">{term}</a>{after}'
    return text
