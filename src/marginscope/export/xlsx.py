"""A view as an Excel workbook: a "View" sheet saying what was exported, then one sheet per table.

The "View" sheet names the page, its path, every filter (the dates and each filter's
values, "all" when not set), the data version, the user and the time of the export
(UTC). Each table's sheet has the headers as on screen (bold, frozen, with a filter),
the raw values and a number format per kind of column: money ``#,##0.00``, percent
``0.0%`` (the values are fractions, as on the pages), counts as whole numbers, dates as
dates.

Examples
--------
>>> sheet_names(["Top customers", "Top customers", "a/b: c?", "View", ""])
['Top customers', 'Top customers (2)', 'a-b- c-', 'View (2)', 'Table']
"""

from __future__ import annotations

import datetime as dt
import io
import re

import xlsxwriter

from marginscope.export import View
from marginscope.export.tables import Table, TableColumn

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VIEW_SHEET = "View"
NUMBER_FORMATS = {"money": "#,##0.00", "money_exact": "#,##0.00", "percent": "0.0%", "count": "#,##0",
                  "number": "#,##0.0", "date": "yyyy-mm-dd"}
TIMESTAMP_FORMAT = "yyyy-mm-dd hh:mm:ss"
MAX_SHEET_NAME = 31
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
RESERVED = {"history"}  # Excel keeps this name for itself
MIN_WIDTH, MAX_WIDTH = 8, 60
WIDTH_SAMPLE = 500  # rows looked at to size a column


def sheet_names(titles: list[str], taken: tuple[str, ...] = (VIEW_SHEET,)) -> list[str]:
    """Valid, unique (ignoring case, as Excel does) sheet names of at most 31 characters for ``titles``."""
    used = {name.lower() for name in taken}
    names = []
    for title in titles:
        base = _NOT_IN_SHEET_NAMES.sub("-", title).strip().strip("'")[:MAX_SHEET_NAME].strip() or "Table"
        if base.lower() in RESERVED:
            base = f"{base} table"
        name, number = base, 1
        while name.lower() in used:
            number += 1
            suffix = f" ({number})"
            name = base[:MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
        used.add(name.lower())
        names.append(name)
    return names


def _date(value):
    """A date (or date and time) from the ISO text a grid holds; other values unchanged."""
    if not isinstance(value, str):
        return value
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else dt.datetime.fromisoformat(value)
    except ValueError:
        return value


def cell_value(kind: str, value):
    """The value to write for a grid value of a column of ``kind``.

    >>> cell_value("count", 12.0), cell_value("date", "2026-01-31"), cell_value("money", 3)
    (12, datetime.date(2026, 1, 31), 3.0)
    """
    if value is None:
        return None
    if kind == "date":
        return _date(value)
    if kind in NUMBER_FORMATS and isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if kind == "count" and float(value).is_integer() else float(value)
    return value


def _shown_length(kind: str, value) -> int:
    if value is None:
        return 0
    if kind in ("money", "money_exact", "number") and isinstance(value, float):
        return len(f"{value:,.2f}")
    if kind == "percent" and isinstance(value, float):
        return len(f"{value:.1%}")
    return len(str(value))


def _width(column: TableColumn, rows: list[list], index: int) -> float:
    longest = max([len(column.header)] + [_shown_length(column.kind, row[index]) for row in rows[:WIDTH_SAMPLE]])
    return min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)


class _Writer:
    """One workbook being written, with its cell formats."""

    def __init__(self, out: io.BytesIO):
        self.book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False,
                                              "strings_to_urls": False, "strings_to_numbers": False})
        self.bold = self.book.add_format({"bold": True})
        self.header = self.book.add_format({"bold": True, "bottom": 1, "bg_color": "#EEF2F6", "text_wrap": True,
                                            "valign": "top"})
        self.formats = {kind: self.book.add_format({"num_format": spec}) for kind, spec in NUMBER_FORMATS.items()}
        self.timestamp = self.book.add_format({"num_format": TIMESTAMP_FORMAT})

    def write(self, sheet, row: int, col: int, kind: str, value) -> None:
        value = cell_value(kind, value)
        if value is None:
            return
        if isinstance(value, bool):
            sheet.write_boolean(row, col, value)
        elif isinstance(value, int | float):
            sheet.write_number(row, col, value, self.formats.get(kind))
        elif isinstance(value, dt.date):  # datetime is a date too
            fmt = self.formats["date"] if type(value) is dt.date else self.timestamp
            sheet.write_datetime(row, col, value, fmt)
        else:
            sheet.write_string(row, col, str(value))

    def table(self, name: str, table: Table) -> None:
        sheet = self.book.add_worksheet(name)
        for col, column in enumerate(table.columns):
            sheet.write_string(0, col, column.header, self.header)
            sheet.set_column(col, col, _width(column, table.rows, col))
        for row_number, row in enumerate(table.rows, start=1):
            for col, (column, value) in enumerate(zip(table.columns, row)):
                self.write(sheet, row_number, col, column.kind, value)
        sheet.freeze_panes(1, 0)
        if table.columns:
            sheet.autofilter(0, 0, len(table.rows), len(table.columns) - 1)
        if table.note:
            sheet.write_string(len(table.rows) + 2, 0, table.note)

    def view(self, view: View, names: list[str]) -> None:
        sheet = self.book.add_worksheet(VIEW_SHEET)
        sheet.set_column(0, 0, 18)
        sheet.set_column(1, 1, 60)
        sheet.set_column(2, 3, 14)
        lines = [("Page", view.title), ("Path", view.url), None, ("Filters", None), *view.filter_items(), None,
                 ("Data version", view.data_version), ("User", view.username),
                 ("Exported (UTC)", view.exported_at.astimezone(dt.UTC).replace(tzinfo=None))]
        row = 0
        for line in lines:
            if line is not None:
                label, value = line
                sheet.write_string(row, 0, label, self.bold)
                self.write(sheet, row, 1, "text", value)
            row += 1
        row += 1
        for col, header in enumerate(("Sheet", "Table", "Rows", "Note")):
            sheet.write_string(row, col, header, self.header)
        for name, table in zip(names, view.tables):
            row += 1
            quoted = name.replace("'", "''")
            sheet.write_url(row, 0, f"internal:'{quoted}'!A1", string=name)
            sheet.write_string(row, 1, table.title)
            sheet.write_number(row, 2, len(table.rows))
            if table.note:
                sheet.write_string(row, 3, table.note)
        if not view.tables:
            sheet.write_string(row + 1, 0, "This page has no tables.")


def to_xlsx(view: View) -> bytes:
    """The workbook of ``view`` as bytes."""
    out = io.BytesIO()
    writer = _Writer(out)
    writer.book.set_properties({"title": f"{view.title} ({view.url})", "author": view.username,
                                "comments": f"marginscope export, data version {view.data_version}"})
    names = sheet_names([table.title for table in view.tables])
    writer.view(view, names)
    for name, table in zip(names, view.tables):
        writer.table(name, table)
    writer.book.close()
    return out.getvalue()
