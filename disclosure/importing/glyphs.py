"""Restore the ideographs that PDF fonts hand out as radical code points ("收⼊" → "收入").

Many CJK fonts (Noto CJK as Chromium embeds it, and the 宋体/方正 subsets of published PDFs) map
some glyphs to the Kangxi Radicals block (⼊ U+2F0A for 入, ⽀ U+2F40 for 支) or to the CJK Radicals
Supplement (⻔ U+2ED4 for 门) in their ToUnicode table. The page shows 收入 but the text layer says
收⼊, so a table titled 收入决算表 would never be found. This is a decoding fix, not an
interpretation: each such code point stands for exactly one ideograph.
"""

from __future__ import annotations

import unicodedata

# CJK Radicals Supplement code points without a Unicode compatibility mapping, as the simplified
# ideographs they are drawn from.
_SUPPLEMENT = {
    "⺠": "民",
    "⺦": "丬",
    "⺮": "竹",
    "⺰": "纟",
    "⻁": "虎",
    "⻄": "西",
    "⻅": "见",
    "⻆": "角",
    "⻈": "讠",
    "⻉": "贝",
    "⻋": "车",
    "⻌": "辶",
    "⻐": "钅",
    "⻑": "長",
    "⻓": "长",
    "⻔": "门",
    "⻗": "雨",
    "⻘": "青",
    "⻙": "韦",
    "⻚": "页",
    "⻛": "风",
    "⻜": "飞",
    "⻝": "食",
    "⻠": "饣",
    "⻢": "马",
    "⻣": "骨",
    "⻤": "鬼",
    "⻥": "鱼",
    "⻦": "鸟",
    "⻧": "卤",
    "⻨": "麦",
    "⻩": "黄",
    "⻪": "黾",
    "⻬": "齐",
    "⻮": "齿",
    "⻰": "龙",
}


# Kangxi radicals that simplified-Chinese fonts draw as the simplified ideograph, whose Unicode
# compatibility mapping is the traditional one (⼾ U+2F3E shows 户 in Noto Sans CJK SC, NFKC gives 戶).
_KANGXI_SIMPLIFIED = {"⼾": "户"}


def _restored(char: str) -> str:
    code = ord(char)
    if char in _KANGXI_SIMPLIFIED:
        return _KANGXI_SIMPLIFIED[char]
    if 0x2F00 <= code <= 0x2FDF or 0xF900 <= code <= 0xFAFF or code == 0x2E9F or code == 0x2EF3:
        return unicodedata.normalize("NFKC", char)  # Kangxi radicals, compatibility ideographs
    return _SUPPLEMENT.get(char, char)


def restore(text: str) -> str:
    """Return text with radical and compatibility code points replaced by the ideographs they show."""
    if all(ord(c) < 0x2E80 or 0x3000 <= ord(c) < 0xF900 or ord(c) > 0xFAFF for c in text):
        return text  # the common case: nothing to restore
    return "".join(_restored(c) for c in text)
