"""科目 tables (one code column or 类/款/项 in three), 经济分类 tables side by side, paired and item lists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .headers import Header, has_amount, is_column_numbers, key, plain, read_header
from .numbers import clean_text, is_number
from .rowreader import CODE, TOTALS, RowReader, cell_at, is_text, row_where, text_at
from .source import Cell


@dataclass(frozen=True, slots=True)
class Rows:
    """What every row of a table is read with: its header, the columns found, the first amount
    column, and the index of the header's last row."""

    header: Header
    mapping: dict[str, int]
    first: int
    header_end: int


class SubjectLayouts(RowReader):
    """Read the layouts whose rows are named by a code or a name."""

    # ------------------------------------------------------------ 科目 tables

    def code_area(self, row: list[Cell], end: int, levels: list[int], carry: list[str]) -> tuple[str, str]:
        """Read a row's code (one column, or 类/款/项 in three) and its name from the cells before `end`."""
        code, name = "", ""
        for j in range(min(end, len(row))):
            text = clean_text(row[j].text)
            if not text:
                continue
            if text.isdigit() and not name:
                if len(text) in (3, 5, 7) and (not levels or j == levels[0] or len(text) > 2):
                    code = text
                elif len(text) == 2 and levels:
                    depth = levels.index(j) if j in levels else (1 if len(carry[0]) == 3 else 2)
                    code = (carry[depth - 1] if depth >= 1 else "") + text
                else:
                    code = text
            elif not name:
                name = plain(row[j].text)
        if code:
            level = {3: 0, 5: 1, 7: 2}.get(len(code))
            if level is not None:
                carry[level] = code
        return code, name

    def read_rows(
        self,
        is_header_end: Callable[[list[Cell]], bool],
        default_first: int,
        body_key: str,
        read_row: Callable[[int, list[Cell], Rows], tuple[bool, list[str]] | None],
    ) -> None:
        """Read the header, then each row that read_row takes as (is 合计, its cells): the 合计 row
        (the first one: a repeat after a page break changes nothing) or a body row under body_key."""
        columns = self.definition.columns
        rows = self.table.rows
        header = read_header(rows, is_header_end)
        mapping = self.column_map(header, columns)
        end = max((i for i, r in enumerate(rows) if any(r is h for h in header.rows)), default=-1)
        context = Rows(header, mapping, min(mapping.values(), default=default_first), end)
        body: list[list[str]] = []
        used: set[int] = set()
        for index, row in enumerate(rows):
            found = read_row(index, row, context)
            if found is None:
                continue
            used.add(index)
            total, cells = found
            if not total:
                self.result.sources[(body_key, len(body))] = row_where(row)
                body.append(cells)
            elif "合计" not in self.result.data:
                self.result.data["合计"] = cells
                self.result.sources[("合计",)] = row_where(row)
        if body:
            self.result.data[body_key] = body
        self.result.rows_read = len(used)
        self.leftovers(header, rows, used)

    def subject(self) -> None:
        """Read a 科目 table: 合计 row, then one row per code."""
        columns = self.definition.columns
        carry = ["", "", ""]

        def is_data(row: list[Cell]) -> bool:
            """Tell whether a row carries data rather than header text."""
            texts = [clean_text(c.text) for c in row]
            first_text = next((t for t in texts if t), "")
            return (first_text.isdigit() and len(first_text) in (2, 3, 5, 7)) or (
                any(t in TOTALS for t in texts) and (has_amount(row) or any(is_number(c.text) for c in row))
            )

        def read_row(index: int, row: list[Cell], at: Rows) -> tuple[bool, list[str]] | None:
            if not is_data(row):
                return None
            last_text = max((j for j, c in enumerate(row) if is_text(c.text)), default=-1)
            levels = at.header.columns_named("类", "款", "项")
            code, name = self.code_area(row, max(at.first, last_text + 1), levels, carry)
            if not code and key(name) in TOTALS:
                label = "合计"
            elif CODE.match(code):
                label = f"{code} {name}"
            else:
                return None
            values = self.values(row, at.mapping, columns, label, max(at.first - 1, last_text))
            texts = self.amounts(values, columns)
            return (True, texts) if label == "合计" else (False, [code, name, *texts])

        self.read_rows(is_data, 2, "科目", read_row)

    def paired(self) -> None:
        """Rows classified twice (部门经济分类 beside 政府经济分类), codes in 类/款 columns."""
        columns = self.definition.columns

        def is_data(row: list[Cell]) -> bool:
            """Tell whether a row carries data rather than header text."""
            texts = [clean_text(c.text) for c in row]
            first_text = next((t for t in texts if t), "")
            return (first_text.isdigit() and len(first_text) in (3, 5)) or (
                any(t in TOTALS for t in texts) and any(is_number(c.text) for c in row)
            )

        def read_row(index: int, row: list[Cell], at: Rows) -> tuple[bool, list[str]] | None:
            if not is_data(row):
                return None
            last_text = max((j for j, c in enumerate(row) if is_text(c.text)), default=-1)
            parts: list[list[str]] = [[]]
            names: list[str] = []
            for cell in row[: max(at.first, last_text + 1)]:
                text = clean_text(cell.text)
                if not text:
                    continue
                if text.isdigit():
                    if len(names) == len(parts):
                        parts.append([])
                    parts[-1].append(text)
                else:
                    names.append(plain(cell.text))
            total = not any(parts) and bool(names) and key(names[0]) in TOTALS
            codes = ["".join(p) for p in parts] + ["", ""]
            names += ["", ""]
            label = "合计" if total else f"{codes[0]} {names[0]}"
            amounts = self.amounts(
                self.values(row, at.mapping, columns, label, max(at.first - 1, last_text)), columns
            )
            return (True, amounts) if total else (False, [codes[0], names[0], codes[1], names[1], *amounts])

        self.read_rows(is_data, 6, "科目", read_row)

    def items(self) -> None:
        """Named items (projects): [名称, 类别, 金额…]."""
        columns = self.definition.columns

        def read_row(index: int, row: list[Cell], at: Rows) -> tuple[bool, list[str]] | None:
            texts = [plain(c.text) for c in row[: at.first] if plain(c.text)]
            zero = self.zero_item(row, index, at.header_end, at.header, at.first)
            if not texts or not (has_amount(row) or zero):
                return None
            amounts = self.amounts(self.values(row, at.mapping, columns, texts[0], at.first - 1), columns)
            if key(texts[0]) in TOTALS:
                return True, amounts
            return False, [texts[0], texts[1] if len(texts) > 1 else "", *amounts]

        self.read_rows(has_amount, 2, "项目", read_row)

    @staticmethod
    def zero_item(row: list[Cell], index: int, below: int, header: Header, first: int) -> bool:
        """Tell whether a row without amounts is an item whose zeros are left blank (below the header,
        a name and nothing in the amount columns; not a repeated header or the 栏次 row)."""
        repeats = header.keys()
        return (
            index > below
            and not is_column_numbers(row)
            and tuple(key(c.text) for c in row) not in repeats
            and not any(clean_text(c.text) for c in row[first:])
        )

    # ------------------------------------------------------------ 经济分类 side by side

    def economic(self) -> None:
        """Read the 经济分类 table printed in side-by-side groups of code, name, amount."""
        definition = self.definition
        column = definition.columns[0]
        found: dict[str, tuple[str, str, str]] = {}
        used: set[int] = set()
        subtotal_keys = {key(s.key): s.key for s in definition.subtotals}
        for index, row in enumerate(self.table.rows):
            for j, cell in enumerate(row):
                text = clean_text(cell.text)
                if CODE.match(text) and len(text) <= 5 and j + 2 < len(row) + 1:
                    name = plain(text_at(row, j + 1))
                    amount = self.read_cell(cell_at(row, j + 2), f"{text} {name}", column.label)
                    if text in found:
                        self.finding("error", f"科目代码 {text} 出现了两次", cell.where, f"{text} {name}")
                        continue
                    found[text] = (name, amount.text, cell.where)
                    used.add(index)
                elif key(cell.text) in subtotal_keys:
                    after = next((c for c in row[j + 1 :] if clean_text(c.text)), None)
                    amount = self.read_cell(after, subtotal_keys[key(cell.text)], column.label)
                    self.result.data[subtotal_keys[key(cell.text)]] = amount.text
                    self.result.sources[(subtotal_keys[key(cell.text)],)] = cell.where
                    used.add(index)
        body: list[list[str]] = []
        for code in sorted(found):
            name, text, where = found[code]
            self.result.sources[("科目", len(body))] = where
            body.append([code, name, text])
        if body:
            self.result.data = {"科目": body, **self.result.data}
        self.result.rows_read = len(used)
