"""Shortcuts taken for speed give exactly what the slow way gives."""

from __future__ import annotations

import json
import random
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import markdown

from disclosure import markup
from disclosure.money import format_money
from disclosure.search import _FIGURE, clauses, share_strings
from disclosure.searchindex import IndexEncoder

ROOT = Path(__file__).resolve().parent.parent


def test_quick_inline_markdown_equals_python_markdown():
    plain = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "content").rglob("*.md"))]
    texts += [
        "第一行  \n第二行",
        "**加粗** _强调_ `代码` [链接](https://example.gov.cn) <b>粗</b> &amp; ![图](x.png) \\* 星号",
        "| 项目 | 金额 |\n|---|---|\n| *重点* | 1.00 |\n| 普通 | 2.00 |\n",
        "<https://example.gov.cn> 与 <someone@example.gov.cn>",
        "纯文字，没有任何标记。",
    ]
    assert len(texts) > 10
    for text in texts:
        assert markup._MARKDOWN.reset().convert(text) == plain.reset().convert(text), text[:80]


def test_index_encoder_gives_the_bytes_of_encoding_everything_at_once():
    words = [f"科目{i}" for i in range(30)]
    pick = random.Random(7)

    def page(number: int) -> dict:
        return {
            "url": f"units/u{number:02d}/index.html", "kind": "报告", "title": f"报告{number}", "unit": "单位",
            "year": 2024, "subjects": pick.sample(words, 5), "notes": pick.sample(words, 3),
        }  # fmt: skip

    def whole(pages: list[dict]) -> str:
        copies = [dict(p) for p in pages]
        shared = share_strings(copies)
        data = {"version": 1, "pagefind": False, "shared": shared, "pages": copies}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    encoder = IndexEncoder()
    pages = [page(n) for n in range(20)]
    assert encoder.encode(pages, False) == whole(pages)
    added = 0
    for _ in range(30):  # edit, add and remove pages; the shared strings change now and then
        action = pick.random()
        if action < 0.6:
            number = pick.randrange(len(pages))
            pages[number] = {**pages[number], "notes": pick.sample(words, 3) + [f"独有{pick.random()}"]}
        elif action < 0.8:
            added += 1
            pages.append(page(100 + added))
        else:
            pages.pop(pick.randrange(len(pages)))
        pages.sort(key=lambda p: p["url"])
        assert encoder.encode(pages, False) == whole(pages)


def _clauses_one_by_one(text: str) -> list[str]:
    """The clause splitter as first written: every step on each clause, by regular expressions."""
    seen: dict[str, None] = {}
    for raw in re.split(r"[。；！？\n]+", text):
        clause = re.sub(r"[+-]?\d[\d,]*(?:\.\d+)?\s*(?:%|％|万元|元)?", "", raw)
        clause = re.sub(r"（\s*）|\(\s*\)|“\s*”", "", clause)
        clause = re.sub(r"([，、])[\s，、]*", r"\1", " ".join(clause.split()))
        clause = re.sub(r"^[\s、，,:：．.”’」』]+|[\s、，,:：“‘「『]+$", "", clause)
        if len(re.findall(r"\w", clause)) >= 2:
            seen.setdefault(clause, None)
    return list(seen)


def test_clauses_and_figures_equal_the_step_by_step_way():
    pieces = list(
        "ab中文，、,:：．.”’」』“‘「『（）()0123456789%％万元 \t\r\x0b\x1c\u3000\u00a0\u2028\n。；！？-+<>&"
    )
    pieces += ["<figure x>", "</figure>", "<FIGURE>", "</Figure>", "<p>", "<figurex>", "&amp;"]
    pick = random.Random(11)
    lazy_figure = re.compile(r"<figure\b.*?</figure>", re.S | re.I)
    for _ in range(20000):
        text = "".join(pick.choice(pieces) for _ in range(pick.randint(0, 30)))
        assert clauses(text) == _clauses_one_by_one(text), repr(text)
        assert _FIGURE.sub("", text) == lazy_figure.sub("", text), repr(text)


def test_zero_amounts_format_as_quantized():
    for text in ("0", "-0", "0E+5", "0E-9", "-0.000", "0.00", "1.005", "-1.005", "1234567.555"):
        value = Decimal(text)
        quantized = f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"
        assert format_money(value) == quantized
        assert format_money(value, blank_zero=True) == ("" if value == 0 else quantized)
