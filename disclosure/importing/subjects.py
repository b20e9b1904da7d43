"""科目 tables (one code column or 类/款/项 in three), 经济分类 tables side by side, paired and item lists."""

from __future__ import annotations

from .headers import Header, has_amount, is_column_numbers, key, plain, read_header
from .numbers import clean_text, is_number
from .rowreader import CODE, TOTALS, RowReader, cell_at, is_text, row_where, text_at
from .source import Cell


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

    def subject(self) -> None:
        """Read a 科目 table: 合计 row, then one row per code."""
        columns = self.definition.columns
        rows = self.table.rows

        def is_data(row: list[Cell]) -> bool:
            """Tell whether a row carries data rather than header text."""
            texts = [clean_text(c.text) for c in row]
            first_text = next((t for t in texts if t), "")
            return (first_text.isdigit() and len(first_text) in (2, 3, 5, 7)) or (
                any(t in TOTALS for t in texts) and (has_amount(row) or any(is_number(c.text) for c in row))
            )

        header = read_header(rows, is_data)
        mapping = self.column_map(header, columns)
        first = min(mapping.values(), default=2)
        levels = header.columns_named("类", "款", "项")
        carry = ["", "", ""]
        body: list[list[str]] = []
        used: set[int] = set()
        for index, row in enumerate(rows):
            if not is_data(row):
                continue
            last_text = max((j for j, c in enumerate(row) if is_text(c.text)), default=-1)
            code, name = self.code_area(row, max(first, last_text + 1), levels, carry)
            if not code and key(name) in TOTALS:
                label = "合计"
            elif CODE.match(code):
                label = f"{code} {name}"
            else:
                continue
            used.add(index)
            values = self.values(row, mapping, columns, label, max(first - 1, last_text))
            texts = self.amounts(values, columns)
            if label == "合计":
                if "合计" in self.result.data:
                    continue
                self.result.data["合计"] = texts
                self.result.sources[("合计",)] = row_where(row)
            else:
                self.result.sources[("科目", len(body))] = row_where(row)
                body.append([code, name, *texts])
        if body:
            self.result.data["科目"] = body
        self.result.rows_read = len(used)
        self.leftovers(header, rows, used)

    def paired(self) -> None:
        """Rows classified twice (部门经济分类 beside 政府经济分类), codes in 类/款 columns."""
        columns = self.definition.columns
        rows = self.table.rows

        def is_data(row: list[Cell]) -> bool:
            """Tell whether a row carries data rather than header text."""
            texts = [clean_text(c.text) for c in row]
            first_text = next((t for t in texts if t), "")
            return (first_text.isdigit() and len(first_text) in (3, 5)) or (
                any(t in TOTALS for t in texts) and any(is_number(c.text) for c in row)
            )

        header = read_header(rows, is_data)
        mapping = self.column_map(header, columns)
        first = min(mapping.values(), default=6)
        body: list[list[str]] = []
        used: set[int] = set()
        for index, row in enumerate(rows):
            if not is_data(row):
                continue
            last_text = max((j for j, c in enumerate(row) if is_text(c.text)), default=-1)
            parts: list[list[str]] = [[]]
            names: list[str] = []
            for cell in row[: max(first, last_text + 1)]:
                text = clean_text(cell.text)
                if not text:
                    continue
                if text.isdigit():
                    if len(names) == len(parts):
                        parts.append([])
                    parts[-1].append(text)
                else:
                    names.append(plain(cell.text))
            used.add(index)
            if not any(parts) and names and key(names[0]) in TOTALS:
                values = self.values(row, mapping, columns, "合计", max(first - 1, last_text))
                self.result.data["合计"] = self.amounts(values, columns)
                self.result.sources[("合计",)] = row_where(row)
                continue
            codes = ["".join(p) for p in parts] + ["", ""]
            names += ["", ""]
            label = f"{codes[0]} {names[0]}"
            values = self.values(row, mapping, columns, label, max(first - 1, last_text))
            self.result.sources[("科目", len(body))] = row_where(row)
            body.append([codes[0], names[0], codes[1], names[1], *self.amounts(values, columns)])
        if body:
            self.result.data["科目"] = body
        self.result.rows_read = len(used)
        self.leftovers(header, rows, used)

    def items(self) -> None:
        """Named items (projects): [名称, 类别, 金额…]."""
        columns = self.definition.columns
        rows = self.table.rows
        header = read_header(rows, has_amount)
        mapping = self.column_map(header, columns)
        first = min(mapping.values(), default=2)
        body: list[list[str]] = []
        used: set[int] = set()
        below = max((i for i, r in enumerate(rows) if any(r is h for h in header.rows)), default=-1)
        for index, row in enumerate(rows):
            texts = [plain(c.text) for c in row[:first] if plain(c.text)]
            if not texts or not (has_amount(row) or self.zero_item(row, index, below, header, first)):
                continue
            used.add(index)
            values = self.values(row, mapping, columns, texts[0], first - 1)
            if key(texts[0]) in TOTALS:
                self.result.data["合计"] = self.amounts(values, columns)
                self.result.sources[("合计",)] = row_where(row)
                continue
            self.result.sources[("项目", len(body))] = row_where(row)
            body.append([texts[0], texts[1] if len(texts) > 1 else "", *self.amounts(values, columns)])
        if body:
            self.result.data["项目"] = body
        self.result.rows_read = len(used)
        self.leftovers(header, rows, used)

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
