"""One table of a view as CSV: the headers as on screen, the raw numbers.

Numbers are written unformatted (``1234.5``, fractions for percentages: ``0.25``) so
a spreadsheet or a script reads them as numbers; dates are ISO (``2026-01-31``).
The text is UTF-8 with a byte-order mark, which Excel needs to read accents. Text that
a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return) is written with a leading apostrophe, as OWASP advises against CSV
injection; numbers are never touched.

Examples
--------
>>> from marginscope.export.tables import Table, TableColumn
>>> table = Table("top", "Top customers", [TableColumn("name", "Customer"),
...               TableColumn("revenue", "Revenue", "money")], [["Acme", 1234.5], ["Globex", None]])
>>> to_csv(table).decode("utf-8-sig").splitlines()
['Customer,Revenue', 'Acme,1234.5', 'Globex,']
>>> inert("=HYPERLINK(1)"), inert("-5"), inert(-5)
("'=HYPERLINK(1)", "'-5", -5)

A page of several tables is a ZIP archive of one such CSV per table, named after the table:

>>> import io, zipfile
>>> zipfile.ZipFile(io.BytesIO(to_zip([table, Table("lost", "Lost", [], [])]))).namelist()
['top.csv', 'lost.csv']
"""

from __future__ import annotations

import csv
import io
import zipfile

from marginscope.export.tables import Table

MEDIA_TYPE = "text/csv; charset=utf-8"
ZIP_MEDIA_TYPE = "application/zip"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """``value``, made safe to open in a spreadsheet when it is text that would run as a formula."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def to_csv(table: Table) -> bytes:
    """``table`` as CSV bytes (UTF-8 with BOM; missing values are empty cells)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)  # RFC 4180: CRLF line ends
    writer.writerow(table.headers)
    writer.writerows([inert(value) for value in row] for row in table.rows)
    return out.getvalue().encode("utf-8-sig")


def to_zip(tables: list[Table]) -> bytes:
    """``tables`` as a ZIP archive of ``<table name>.csv`` files, each as :func:`to_csv` writes it."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in tables:
            archive.writestr(f"{table.name}.csv", to_csv(table))
    return out.getvalue()
