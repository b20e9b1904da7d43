"""Performance grades from scores (优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 < 60)."""

from __future__ import annotations

from decimal import Decimal


def grade_of(score: Decimal) -> str:
    """Return the grade a self-evaluation score earns."""
    if score >= 90:
        return "优"
    if score >= 80:
        return "良"
    if score >= 60:
        return "中"
    return "差"
