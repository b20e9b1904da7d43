"""The workbook zip writer gives the very bytes zipfile writes, so replacing it changed no download."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

from disclosure.opendata import paths
from disclosure.opendata.rows import AMOUNT, TEXT, amount_text
from disclosure.opendata.xlsx import Workbook
from disclosure.opendata.zipwriter import ZipWriter

WHEN = (2000, 1, 1, 0, 0, 0)


def zipfile_bytes(entries: list[tuple[str, list[bytes]]]) -> bytes:
    """Write entries as disclosure's workbooks did before: ZipFile with fixed deflated entries."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, chunks in entries:
            info = zipfile.ZipInfo(name, date_time=WHEN)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            with archive.open(info, "w") as out:
                for chunk in chunks:
                    out.write(chunk)
    return buffer.getvalue()


def writer_bytes(entries: list[tuple[str, list[bytes]]], constant: bool) -> bytes:
    buffer = io.BytesIO()
    archive = ZipWriter(buffer, WHEN)
    for name, chunks in entries:
        archive.add(name, chunks, constant)
    archive.close()
    return buffer.getvalue()


def test_entries_match_zipfile_byte_for_byte() -> None:
    rows = b"".join(f'<row r="{i}"><c r="A{i}"><v>{i}.25</v></c></row>'.encode() for i in range(1, 3000))
    entries = [
        ("xl/styles.xml", [b'<?xml version="1.0"?><styleSheet/>']),
        ("xl/worksheets/sheet1.xml", [b"<worksheet><sheetData>", rows[:7000], rows[7000:], b"</sheetData>"]),
        ("docProps/app.xml", [b""]),
    ]
    expected = zipfile_bytes(entries)
    assert writer_bytes(entries, constant=False) == expected
    assert writer_bytes(entries, constant=True) == expected  # compressed once, reused: same bytes
    with zipfile.ZipFile(io.BytesIO(expected)) as archive:
        assert archive.read("xl/worksheets/sheet1.xml").endswith(b"</row></sheetData>")


def test_workbook_opens_with_its_rows() -> None:
    book = Workbook("测试", paths.FIXED_TIME)
    sheet = book.sheet("公开01表 收入支出决算总表", [10.0, 16.0])
    sheet.header(["项目", "金额"])
    sheet.text_rows([["一般公共预算财政拨款收入", amount_text(Decimal("120"))]], [TEXT, AMOUNT])
    data = book.to_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert '<c r="B2" s="3"><v>120.00</v></c>' in xml
    assert "一般公共预算财政拨款收入" in xml


def test_a_large_entry_goes_to_the_file_as_its_chunks_come() -> None:
    """A year's sheet is tens of MB: compressed into the file chunk by chunk, not held whole first."""
    import random

    noise = random.Random(7)
    chunks = [bytes(noise.getrandbits(8) for _ in range(1 << 16)) for _ in range(6)]
    buffer = io.BytesIO()
    written_when_asked: list[int] = []

    def given():
        for chunk in chunks:
            written_when_asked.append(buffer.tell())
            yield chunk

    archive = ZipWriter(buffer, WHEN)
    archive.add("xl/worksheets/sheet1.xml", given())
    archive.close()
    header = 30 + len("xl/worksheets/sheet1.xml")
    assert written_when_asked[0] == header  # its header first (rewritten at the end)
    assert written_when_asked[-1] > header + 4 * (1 << 16)  # the earlier chunks already in the file
    assert buffer.getvalue() == zipfile_bytes([("xl/worksheets/sheet1.xml", chunks)])
