"""Amounts are read as printed, kept as exact Decimals, and formatted as the documents print them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from helpers import JINAN, JIYUAN

from disclosure.money import (
    AmountError,
    format_money,
    format_percent,
    parse_amount,
    percent,
    sum_amounts,
    tolerance,
)

D = Decimal


@pytest.mark.parametrize(
    ("printed", "value"),
    [
        ("1, 547. 33", "1547.33"),
        ("1,547.33", "1547.33"),
        ("1547.33", "1547.33"),
        ("1，547.33", "1547.33"),
        ("<b>5,510.47</b>", "5510.47"),
        ("**1,547.33**", "1547.33"),
        (" 0. 00 ", "0.00"),
        ("0.00", "0.00"),
        ("0", "0"),
        ("", "0"),
        ("—", "0"),
        ("——", "0"),
        ("－", "0"),
        ("-", "0"),
        ("-12.50", "-12.50"),
        ("11,511.07", "11511.07"),
    ],
)
def test_parse_printed_amounts(printed, value):
    parsed = parse_amount(printed)
    assert isinstance(parsed, Decimal)
    assert parsed == D(value)


def test_parse_keeps_the_typed_precision():
    assert str(parse_amount("0.10")) == "0.10"
    assert str(parse_amount("1, 547. 30")) == "1547.30"
    assert parse_amount(None) == 0
    assert parse_amount(7) == D(7) and isinstance(parse_amount(7), Decimal)
    assert parse_amount(D("2.50")) == D("2.50")


@pytest.mark.parametrize("bad", ["abc", "1.2.3", "12元", "NaN", "Infinity", "1,2,3.4.5", True, "（1.00）"])
def test_parse_rejects_what_is_not_an_amount(bad):
    with pytest.raises(AmountError):
        parse_amount(bad)


def test_arithmetic_is_exact():
    assert sum_amounts([parse_amount("0.1"), parse_amount("0.2")]) == D("0.3")
    assert sum_amounts([parse_amount("0.1")] * 10) == D("1.0")
    assert sum_amounts([parse_amount("394.81"), parse_amount("19.74")]) == D("414.55")
    # The seed's rounding tail is exactly one cent, not 0.0099999…
    assert parse_amount("54.34") - sum_amounts([parse_amount("34.88"), parse_amount("19.45")]) == D("0.01")
    assert isinstance(sum_amounts([]), Decimal) and sum_amounts([]) == 0


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        ("1547.33", "1,547.33"),
        ("0", "0.00"),
        ("0.1", "0.10"),
        ("11511.07", "11,511.07"),
        ("1234567.005", "1,234,567.01"),
        ("2.675", "2.68"),  # a float would print 2.67
        ("2.665", "2.67"),
        ("-618.67", "-618.67"),
    ],
)
def test_format_money_rounds_half_up_with_separators(value, printed):
    assert format_money(D(value)) == printed


def test_format_money_blank_zero_and_missing():
    assert format_money(D("0.00"), blank_zero=True) == ""
    assert format_money(D("0.01"), blank_zero=True) == "0.01"
    assert format_money(None) == ""


@pytest.mark.parametrize(
    ("part", "whole", "printed"),
    [
        ("618.67", "2166.00", "28.56%"),
        ("414.54", "1547.33", "26.79%"),
        ("1132.78", "1547.33", "73.21%"),
        ("525.85", "1658.63", "31.70%"),
        ("1", "3", "33.33%"),
        ("2", "3", "66.67%"),
        ("1", "200", "0.50%"),
        ("0.20", "5510.32", "0.00%"),
        ("690.92", "690.92", "100.00%"),
        ("39.85", "5.20", "766.35%"),
    ],
)
def test_percent_has_two_decimals(part, whole, printed):
    value = percent(D(part), D(whole))
    assert isinstance(value, Decimal) and value.as_tuple().exponent == -2
    assert format_percent(value) == printed


def test_percent_of_zero_and_formatting():
    assert percent(D("5"), D("0")) is None
    assert format_percent(None) == "0.00%"
    assert format_percent(D("31.7")) == "31.70%"
    assert format_percent(D("28.555")) == "28.56%"
    assert format_percent(D("100")) == "100.00%"


@pytest.mark.parametrize(
    ("parts", "bound"), [(0, "0.01"), (1, "0.01"), (2, "0.015"), (3, "0.02"), (7, "0.04"), (26, "0.135")]
)
def test_tolerance_is_half_a_cent_per_printed_figure(parts, bound):
    value = tolerance(parts)
    assert isinstance(value, Decimal)
    assert value == D(bound)


def _cells(report):
    for table in report.tables.values():
        for row in [*table.rows, *([table.total] if table.total else [])]:
            yield from row.cells.values()
        for values in [*table.lines.values(), *table.records.values()]:
            yield from values.values()
        yield from table.subtotals.values()


def test_the_model_holds_only_decimals(portal):
    checked = portal.check()
    reports = checked.portal.reports
    assert len(reports) == 3  # two 决算 and the 预算 of seed 002
    for report in reports:
        cells = list(_cells(report))
        assert len(cells) > 300
        assert all(type(cell.value) is Decimal for cell in cells)
        assert all(type(value) is Decimal for value in report.figures.values())
        assert all(type(value) is Decimal for value in report.previous.values())
    jinan = checked.portal.unit("jinan-shizhong-ybj").report(2024)
    assert str(jinan.tables["公开01表"].lines[1]["金额"].value) == "1547.33"
    jiyuan = checked.portal.unit("jiyuan-ybzx").report(2023)
    assert str(jiyuan.tables["公开01表"].lines[1]["金额"].value) == "5303.72"  # typed "5,303.72"
    assert jiyuan.figures["收支总计"] == D("5510.47")


def test_an_amount_with_more_than_two_decimals_is_a_located_error(portal):
    # Published amounts are 万元 with two decimals; a third decimal is a typing slip, never rounded away.
    portal.replace(JIYUAN, "    29: 0.14", "    29: 0.1400000000000000001", "公开01表")
    checked = portal.check()
    errors = [p for p in checked.problems.errors if p.file == JIYUAN and p.table == "公开01表"]
    assert any("0.1400000000000000001" in p.message and "两位小数" in p.message for p in errors)
    portal.replace(JINAN, "    27: 1547.33", '    27: "1, 547. 33"', "公开01表")
    checked = portal.check()
    assert checked.portal.unit("jinan-shizhong-ybj").report(2024).tables["公开01表"].lines[27][
        "金额"
    ].value == D("1547.33")
    assert not [p for p in checked.problems.errors if p.file == JINAN]
