"""The amount parser of the importer: exact text, every way real documents print a number."""

from __future__ import annotations

from decimal import Decimal

import pytest

from disclosure.importing.findings import Findings
from disclosure.importing.numbers import NumberError, clean_text, looks_like_amount, parse_amount_text
from disclosure.importing.source import Cell


@pytest.mark.parametrize(
    ("printed", "text", "value"),
    [
        ("1, 547. 33", "1547.33", "1547.33"),  # stray spaces from the PDF extraction
        ("1,547.33", "1547.33", "1547.33"),
        ("**5,510.47**", "5510.47", "5510.47"),  # bold markup
        ("<b>5,510.47</b>", "5510.47", "5510.47"),
        ("(12.00)", "-12.00", "-12.00"),  # accountants' negative
        ("（12.00）", "-12.00", "-12.00"),  # full-width parentheses
        ("-3.5", "-3.5", "-3.5"),
        ("１２.５", "12.5", "12.5"),  # full-width digits
        ("１，２３４.５６", "1234.56", "1234.56"),
        ("0.00", "0.00", "0"),
        ("16.50", "16.50", "16.5"),  # the printed decimals are kept as text
        ("1090", "1090", "1090"),
    ],
)
def test_printed_amounts_read_exactly(printed, text, value):
    amount = parse_amount_text(printed)
    assert amount.text == text
    assert amount.value == Decimal(value)
    assert not amount.blank


@pytest.mark.parametrize("printed", ["", "  ", "-", "—", "——", "－"])
def test_blank_and_dash_are_zero(printed):
    amount = parse_amount_text(printed)
    assert amount.blank and amount.value == 0 and amount.text == "0"


@pytest.mark.parametrize("printed", ["12.345", "abc", "1,23.4", "12.3.4", "1 2 3 x"])
def test_not_an_amount_is_rejected(printed):
    with pytest.raises(NumberError):
        parse_amount_text(printed)


def test_three_decimals_are_reported_with_their_location():
    findings = Findings()
    amount = findings.amount(
        Cell("12.345", "第 160 行第 3 列"), "公开02表", "208 社会保障和就业支出", "本年收入合计"
    )
    assert amount.value == 0
    (finding,) = findings.items
    assert finding.level == "error" and finding.where == "第 160 行第 3 列"
    assert "3 位小数" in finding.message and "12.345" in finding.message
    line = finding.format("doc.txt")
    assert line.startswith("[错误] doc.txt 第 160 行第 3 列 公开02表 208 社会保障和就业支出")
    assert "「本年收入合计」" in line


def test_amount_shape_is_told_apart_from_line_numbers():
    assert looks_like_amount("1, 547. 33") and looks_like_amount("0.00") and looks_like_amount("(3.00)")
    assert not looks_like_amount("27") and not looks_like_amount("栏次") and not looks_like_amount("")
    assert clean_text("合 计") == "合计" and clean_text("因公出国（境）费") == "因公出国(境)费"
