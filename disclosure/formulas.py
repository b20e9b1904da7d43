"""Formulas and cell references as table profiles write them: "1..8 - 27", 公开04表[59].列."""

from __future__ import annotations

import re
from dataclasses import dataclass

_REF = re.compile(r"^(?P<table>[^\[\]]+)\[(?P<row>[^\]]+)\](?:\.(?P<column>.+))?$")


@dataclass(frozen=True)
class Term:
    """One signed term of a formula: a row line, a column key, a range or a cell reference."""

    sign: int
    name: str


def parse_formula(text: str) -> list[Term]:
    """Split "a + b - c" into signed terms; "32..57" stays one range term."""
    terms: list[Term] = []
    for token in re.split(r"\s+(?=[+-]\s)", " " + str(text).strip()):
        token = token.strip()
        if not token:
            continue
        sign = 1
        if token[0] in "+-" and len(token) > 1 and token[1] == " ":
            sign = -1 if token[0] == "-" else 1
            token = token[1:].strip()
        terms.append(Term(sign, token))
    return terms


def expand_lines(terms: list[Term]) -> list[tuple[int, int]]:
    """Turn row-formula terms ("1..8", "27") into (sign, line) pairs."""
    result: list[tuple[int, int]] = []
    for term in terms:
        if ".." in term.name:
            low, high = (int(x) for x in term.name.split(".."))
            result.extend((term.sign, n) for n in range(low, high + 1))
        else:
            result.append((term.sign, int(term.name)))
    return result


@dataclass(frozen=True)
class CellRef:
    """A reference such as 公开04表[59].一般公共预算财政拨款."""

    table: str
    row: str
    column: str | None

    @classmethod
    def parse(cls, text: str) -> CellRef:
        """Parse `表号[行].列`; raise ValueError when malformed."""
        match = _REF.match(text.strip())
        if not match:
            raise ValueError(f"无法识别的单元格引用：{text}")
        return cls(match["table"].strip(), match["row"].strip(), match["column"])

    def __str__(self) -> str:
        return f"{self.table}[{self.row}]" + (f".{self.column}" if self.column else "")
