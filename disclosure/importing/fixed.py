"""Tables of fixed rows: 收支总表 (行次 rows, two sides) and one-row records (三公经费)."""

from __future__ import annotations

from ..profile import FixedRow, Side
from .headers import Header, has_amount, is_column_numbers, key, match_columns, plain, read_header
from .numbers import clean_text, is_number
from .rowreader import RowReader, is_text, row_where, text_at
from .source import Cell


class FixedLayouts(RowReader):
    """Read the layouts whose rows the profile fixes."""

    # ------------------------------------------------------------ one-row records (三公经费)

    def record(self) -> None:
        """Read a one-row record table, printed in groups, interleaved or in long form."""
        definition = self.definition
        columns = definition.columns
        rows = self.table.rows

        def is_data(row: list[Cell]) -> bool:
            """Tell whether a row carries data rather than header text."""
            return not is_column_numbers(row) and (has_amount(row) or (
                sum(1 for c in row if is_number(c.text)) >= 2 and not any(is_text(c.text) for c in row)
            ))  # fmt: skip

        header = read_header(rows, is_data)
        data_rows = [(i, r) for i, r in enumerate(rows) if is_data(r)]
        if not data_rows:
            return
        names = {key(r): r for r in definition.records}
        long_form = {
            names[key(first.text)]: r
            for _, r in data_rows
            if (first := next((c for c in r if clean_text(c.text)), None)) and key(first.text) in names
        }
        if long_form:
            # One row per record, as our own downloads write it: 项目 (预算数/决算数), then the amounts.
            mapping = match_columns(header, columns)
            for record, row in long_form.items():
                values = self.read_values(row, mapping, columns, record, 0)
                self.result.data[record] = self.amounts(values, columns)
                self.result.sources[(record,)] = row_where(row)
            self.result.rows_read = len(long_form)
            return
        index, row = data_rows[0]
        if len(data_rows) > 1:
            self.finding("warning", f"有 {len(data_rows)} 行数，只导入第一行", data_rows[1][1][0].where)
        width = len(columns)
        marked = {key(r): [j for j, p in enumerate(header.paths) if key(r) in p] for r in definition.records}
        interleaved = all(len(js) == width for js in marked.values())
        for number, record in enumerate(definition.records):
            if interleaved:
                # Each column's header names its record (预算数 | 决算数 under every item).
                group: list[int] | range = marked[key(record)]
                own = Header(header.rows, [[t for t in p if t != key(record)] for p in header.paths])
            else:
                group, own = range(number * width, (number + 1) * width), header
            mapping = match_columns(own, columns, group)
            for position, column in enumerate(columns):
                mapping.setdefault(column.key, group[position])  # the printed order when a header is unclear
            end = group[-1] + 1 if not interleaved else group[0] + 1
            values = self.values(row, mapping, columns, record, group[0] - 1, end)
            self.result.data[record] = self.amounts(values, columns)
            self.result.sources[(record,)] = row_where(row)
        self.result.rows_read = 1

    # ------------------------------------------------------------ 收支总表 (行次 rows, two sides)

    def balance(self) -> None:
        """Read a two-sided table of fixed rows, by 行次 or by label."""
        definition = self.definition
        rows = self.table.rows
        labels = {key(r.label): r for side in definition.sides for r in side.rows if r.label}

        def is_data(row: list[Cell]) -> bool:
            """Tell whether a row carries data rather than header text."""
            texts = [key(c.text) for c in row]
            if any(t in ("项目", "行次", "栏次") for t in texts):
                return False
            return any(t in labels for t in texts) or has_amount(row)

        header = read_header(rows, is_data)
        if header.columns_named("收支") and header.columns_named("行次"):
            self.balance_long(header, rows)
            return
        starts = self.side_starts(header, definition.sides)
        repeated = header.keys()  # the header again at the top of each page the table runs onto
        used: set[int] = set()
        for side, start, end in starts:
            line_columns = [j for j in header.columns_named("行次") if start <= j < end]
            within = range(start + 1, end)
            mapping = self.column_map(header, side.columns, within)
            last = 0
            for index, row in enumerate(rows):
                if tuple(key(c.text) for c in row) in repeated:
                    continue
                fixed = self.fixed_row(row, side, start, line_columns, last)
                if fixed is None:
                    continue
                last = fixed.line
                used.add(index)
                label = f"{fixed.line} {fixed.label}"
                after = line_columns[0] if line_columns else start
                values = self.values(row, mapping, side.columns, label, after, end)
                texts = self.amounts(values, side.columns)
                if any(v.value for v in values.values()):
                    self.result.data[fixed.line] = texts[0] if len(side.columns) == 1 else texts
                    self.result.sources[(fixed.line,)] = row_where(row)
        self.result.data = dict(sorted(self.result.data.items()))
        self.result.rows_read = len(used)

    def balance_long(self, header: Header, rows: list[list[Cell]]) -> None:
        """Read the long form our own downloads write: 收支, 项目, 行次, 科目代码, then every amount column."""
        side_column = header.columns_named("收支")[0]
        line_column = header.columns_named("行次")[0]
        sides = {key(s.label): s for s in self.definition.sides}
        mappings = {name: match_columns(header, side.columns) for name, side in sides.items()}
        for row in rows:
            side = sides.get(key(text_at(row, side_column)))
            line_text = clean_text(text_at(row, line_column))
            if side is None or not line_text.isdigit():
                continue
            fixed = self.definition.fixed_row(int(line_text))
            if fixed is None or not fixed.label or self.definition.side_of(fixed.line) is not side:
                self.finding("error", f"行次“{line_text}”不在表样的{side.label}方", row[line_column].where)
                continue
            values = self.read_values(
                row, mappings[key(side.label)], side.columns, f"{fixed.line} {fixed.label}", 0
            )
            if any(v.value for v in values.values()):
                texts = self.amounts(values, side.columns)
                self.result.data[fixed.line] = texts[0] if len(side.columns) == 1 else texts
                self.result.sources[(fixed.line,)] = row_where(row)
            self.result.rows_read += 1
        self.result.data = dict(sorted(self.result.data.items()))

    def side_starts(self, header: Header, sides: tuple[Side, ...]) -> list[tuple[Side, int, int]]:
        """Find where each side (收入, 支出) begins, from the header or from the 项目 columns."""
        width = len(header.paths)
        starts: list[int] = []
        for side in sides:
            hits = [
                j for j, p in enumerate(header.paths) if p and p[0] == key(side.label) and j not in starts
            ]
            hit = next((j for j in hits if not starts or j > starts[-1]), None)
            if hit is None or (starts and hit <= starts[-1]):
                break
            # The side label spans its columns; its first column is where the labels are.
            while hit > 0 and header.paths[hit - 1] and header.paths[hit - 1][0] == key(side.label):
                hit -= 1
            starts.append(hit)
        if len(starts) != len(sides):
            items = [j for j, p in enumerate(header.paths) if p and p[-1] == "项目"]
            starts = items[: len(sides)] if len(items) >= len(sides) else [0, width // 2][: len(sides)]
        bounds = [*starts[1:], max(width, 1)]
        return [(side, starts[i], bounds[i]) for i, side in enumerate(sides)]

    def fixed_row(
        self, row: list[Cell], side: Side, start: int, line_columns: list[int], after: int = 0
    ) -> FixedRow | None:
        """Return the profile row a source row's side stands for, by 行次 or else by its label.

        Without 行次, a label printed twice (一般公共预算财政拨款 as income and again under 年初结转)
        is the first such row below the row matched before (`after`)."""
        label = key(text_at(row, start))
        line_text = clean_text(text_at(row, line_columns[0])) if line_columns else ""
        exact = [r for r in side.rows if r.label and key(r.label) == label]
        loose = [
            r for r in side.rows
            if r.label and label and (label.startswith(key(r.label)) or key(r.label).startswith(label))
        ]  # fmt: skip
        candidates = exact or loose
        by_label = next((r for r in candidates if r.line > after), candidates[0] if candidates else None)
        if line_text.isdigit():
            by_line = next((r for r in side.rows if r.line == int(line_text)), None)
            if by_line is None:
                return None
            same = (
                key(by_line.label) == label
                or label.startswith(key(by_line.label))
                or key(by_line.label).startswith(label)
            )
            if label and by_line.label and not same:
                self.finding(
                    "warning",
                    f"行次 {line_text} 的名称“{plain(text_at(row, start))}”与表样“{by_line.label}”不符，按行次导入",
                    row[start].where,
                )
            return by_line if by_line.label else None
        return by_label
