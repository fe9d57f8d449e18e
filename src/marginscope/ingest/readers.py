"""Read CSV, Excel (.xlsx) and Parquet files into all-text Arrow tables.

Every reader returns text, whatever the file's own types: parsing is validation's
job (:mod:`marginscope.ingest.validate`), so that a bad number is reported with its
row and column the same way whichever format it came in.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import hashlib
import json
import re
import stat
import sys
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv
import pyarrow.parquet as pq

from marginscope.ingest.errors import IngestError
from marginscope.ingest.mapping import Mapping
from marginscope.schema import Kind

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``, called as work advances."""

FORMATS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "excel", ".xlsm": "excel",
           ".parquet": "parquet", ".pq": "parquet"}

_CSV_BLOCK = 16 << 20  # 16 MiB blocks: large enough to parse fast, small enough for a smooth progress bar

EXCEL_ERRORS = frozenset(["#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                          "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"])
"""The codes Excel shows in a cell whose formula failed; the Excel reader keeps them as the cell's text, and
validation reports them."""


@dataclass(frozen=True)
class SourceTable:
    """A file's (or a query's) content as text, with what is needed to point back into it."""

    path: Path | str  # a file, or the description of a SQL source
    data: pa.Table
    first_row: int
    """Row number, as the user sees it in the file, of the first data row."""
    sha256: str
    rows: pa.Array | None = None
    """Row number in the file of each data row, when they are not consecutive (blank lines were
    skipped); ``None`` when data row ``i`` is row ``first_row + i``."""
    typed: pa.Table | None = None
    """The source's own typed columns (Parquet, a query's rows), beside their text: validation takes a
    column's values from here, without parsing its text, where the type holds them exactly."""

    def row_numbers(self, indices) -> pa.Array:
        if self.rows is not None:
            return pc.take(self.rows, pa.array(indices, pa.int64()))
        return pc.add(pa.array(indices, pa.int64()), self.first_row)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_source(path: str | Path, mapping: Mapping, progress: Progress | None = None) -> SourceTable:
    """Read a CSV, Excel or Parquet file as text columns.

    Raises
    ------
    IngestError
        The file is missing, of an unknown type, or unreadable; the message says
        which file, where, and what to do.
    """
    path = Path(path)
    _check_regular_file(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise IngestError(f"{path}: unknown file type {path.suffix!r}; use CSV, Excel (.xlsx) or Parquet")
    rows = typed = None
    if kind == "csv":
        data, rows = _read_csv(path, mapping, progress)
    elif kind == "excel":
        data = _read_excel(path, mapping)
    else:
        typed = _read_parquet(path)
        data = text_columns(typed, path)
    check_header(path, data.column_names)
    # A header row is row 1 in CSV and Excel; Parquet has no header, so records count from 1.
    first_row = 1 if kind == "parquet" else 2
    return SourceTable(path=path, data=data, first_row=first_row, sha256=file_sha256(path), rows=rows, typed=typed)


_NOT_REGULAR = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
                (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _check_regular_file(path: Path) -> None:
    """Refuse what is not a file to read, saying what it is (a directory, a pipe, a device)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise IngestError(f"{path}: no such file") from None
    except OSError as exc:
        raise IngestError(f"{path}: cannot be read: {exc.strerror}") from None
    if stat.S_ISDIR(mode):
        raise IngestError(f"{path}: is a directory, not a file; give the path of a CSV, Excel or Parquet file in it")
    if not stat.S_ISREG(mode):
        what = next((name for test, name in _NOT_REGULAR if test(mode)), "a special file")
        # A load reads its file several times (its digest, its header, its rows): a stream cannot be read again.
        raise IngestError(f"{path}: is not a regular file but {what} (a file is read more than once while it is "
                          "loaded); save the data to a file and load that")


def check_header(path: Path | str, names: list[str]) -> None:
    """Refuse blank and repeated column names (``path`` names the source in the message)."""
    blank = [i + 1 for i, name in enumerate(names) if not str(name).strip()]
    if blank:
        raise IngestError(f"{path}: header has blank column names at positions {blank}")
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise IngestError(f"{path}: header names column {name!r} twice")
        seen.add(name)


@contextmanager
def _any_field_size() -> Iterator[None]:
    """Python's csv module refuses fields over 128 KiB; Arrow reads them, so explaining a file must too."""
    limit = csv.field_size_limit(sys.maxsize)
    try:
        yield
    finally:
        csv.field_size_limit(limit)


def _read_header(path: Path, mapping: Mapping) -> list[str]:
    """The header record, read as the mapping's encoding and CSV dialect say (any line ending)."""
    encoding = _python_encoding(mapping.encoding)
    with path.open("rb") as raw:
        start = raw.read(4)
    if start.startswith(_ZIP):
        raise _archive_error(path)
    wide = _wide_unicode(start) if encoding == "utf-8-sig" else None
    if wide:
        what, name = wide
        raise IngestError(f"{path}: row 1 is not valid {mapping.encoding} text: the file is {what}; save it again "
                          f"as CSV UTF-8, or set encoding: {name} in the mapping")
    try:
        with path.open(encoding=encoding, newline="") as handle, _any_field_size():
            return next(csv.reader(handle, delimiter=mapping.delimiter), [])
    except UnicodeError:
        raise _encoding_error(path, mapping, _first_undecodable_row(path, mapping) or 1) from None
    except csv.Error as err:
        raise IngestError(f"{path}: row 1 (the header) is not readable CSV: {err}") from None


def _encoding_error(path: Path, mapping: Mapping, line: int) -> IngestError:
    return IngestError(
        f"{path}: row {line} is not valid {mapping.encoding} text; "
        "set 'encoding' in the mapping (e.g. latin-1, cp1252, utf-16)"
    )


_ZIP = b"PK\x03\x04"
_BYTE_ORDER_MARKS = ((codecs.BOM_UTF32_LE, "UTF-32", "utf-32"), (codecs.BOM_UTF32_BE, "UTF-32", "utf-32"),
                     (codecs.BOM_UTF16_LE, "UTF-16", "utf-16"), (codecs.BOM_UTF16_BE, "UTF-16", "utf-16"))


def _wide_unicode(start: bytes) -> tuple[str, str] | None:
    """What the file is and the encoding that reads it, when its first four bytes are UTF-16 or UTF-32.

    Without a byte-order mark, such text is valid UTF-8 byte by byte (every other byte NUL, in a header
    of plain letters), which would be read as rows of the wrong width; where the NULs fall gives the
    byte order.
    """
    for mark, what, name in _BYTE_ORDER_MARKS:
        if start.startswith(mark):
            return f"{what} text", name
    if len(start) < 4 or b"\x00" not in start:
        return None
    nul = [byte == 0 for byte in start]
    if nul == [False, True, True, True]:
        return "UTF-32 (little-endian) text without a byte-order mark", "utf-32-le"
    if nul == [True, True, True, False]:
        return "UTF-32 (big-endian) text without a byte-order mark", "utf-32-be"
    if not nul[0] and nul[1]:
        return "UTF-16 (little-endian) text without a byte-order mark", "utf-16-le"
    if nul[0] and not nul[1]:
        return "UTF-16 (big-endian) text without a byte-order mark", "utf-16-be"
    return None


def _archive_error(path: Path) -> IngestError:
    """A zip archive given as CSV: an Excel workbook under the wrong name, or files to unzip first."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return IngestError(f"{path}: is a damaged zip archive, not CSV text; export the data again as CSV UTF-8")
    if "xl/workbook.xml" in names:
        return IngestError(f"{path}: is an Excel workbook, not CSV text; rename it to {path.stem}.xlsx, or save "
                           "it from Excel as CSV UTF-8")
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return IngestError(f"{path}: is a zip archive, not CSV text (it holds {shown or 'nothing'}); unzip it and load "
                       "the file inside")


def _first_undecodable_row(path: Path, mapping: Mapping) -> int | None:
    """The row (a record, as everywhere else) holding the first bytes that are not the mapping's encoding."""
    encoding = _python_encoding(mapping.encoding)
    decoder = codecs.getincrementaldecoder(encoding)(errors="surrogateescape")
    with path.open("rb") as handle:  # a fast scan first: most files have no such bytes
        clean = all(not _ESCAPED.search(decoder.decode(block)) for block in iter(lambda: handle.read(1 << 20), b""))
    if clean and not _ESCAPED.search(decoder.decode(b"", final=True)):
        return None
    with path.open(encoding=encoding, errors="surrogateescape", newline="") as handle, _any_field_size():
        for row, fields in enumerate(csv.reader(handle, delimiter=mapping.delimiter), start=1):
            if _ESCAPED.search("".join(fields)):
                return row
    return 1


_ESCAPED = re.compile("[\udc80-\udcff]")  # what the surrogateescape error handler makes of undecodable bytes


def _python_encoding(encoding: str) -> str:
    return "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding


def _read_csv(path: Path, mapping: Mapping, progress: Progress | None) -> tuple[pa.Table, pa.Array | None]:
    """The file's cells as text, and the row number of each data row when blank lines were skipped."""
    header = _read_header(path, mapping)
    if not header:
        raise IngestError(f"{path}: the file is empty; expected a header row")
    _check_delimiter(path, mapping, header)
    check_header(path, header)
    schema = pa.schema([(n, pa.string()) for n in header])
    total = path.stat().st_size
    batches = []
    with path.open("rb") as handle:
        try:
            reader = pv.open_csv(
                handle,
                read_options=pv.ReadOptions(encoding=mapping.encoding, block_size=_CSV_BLOCK),
                # Blank lines are read as rows of empty cells, so that row numbers count them as the user
                # sees them in the file; they are dropped below.
                parse_options=pv.ParseOptions(delimiter=mapping.delimiter, newlines_in_values=True,
                                              ignore_empty_lines=False),
                convert_options=pv.ConvertOptions(
                    column_types={name: pa.string() for name in header}, strings_can_be_null=False
                ),
            )
            parsed = 0
            for batch in reader:
                batches.append(batch)
                # Arrow reads ahead of what it has parsed, so the file position runs early;
                # parsed text bytes track the work done (capped: offsets add a little).
                parsed += batch.nbytes
                if progress:
                    progress("read", min(parsed, total), total)
        except (pa.ArrowInvalid, UnicodeError) as exc:
            if "Empty CSV file" in str(exc) and _only_a_header(path, mapping):
                return schema.empty_table(), None
            raise _explain_csv_error(path, mapping, exc) from None
    if progress:
        progress("read", total, total)
    data = pa.Table.from_batches(batches, schema=schema)
    _check_last_quote_closed(path, mapping, data)
    return _without_blank_rows(data)


_DELIMITERS = (",", ";", "\t", "|")


class DelimiterError(IngestError):
    """A CSV file read with another delimiter than its own: ``delimiter`` is the one its header splits on."""

    def __init__(self, message: str, delimiter: str):
        super().__init__(message)
        self.delimiter = delimiter


def _check_delimiter(path: Path, mapping: Mapping, header: list[str]) -> None:
    """Refuse, naming the delimiter to set, a file whose header another delimiter splits into more columns,
    when the mapping's delimiter leaves required columns missing (so the file would be refused anyway,
    as missing them)."""
    needed = {rule.source for column in mapping.schema.columns
              if column.required and (rule := mapping.rule(column.name)).value is None}
    if needed <= set(header):
        return
    widths = {}
    for delimiter in _DELIMITERS:
        if delimiter != mapping.delimiter:
            try:
                widths[delimiter] = len(_read_header(path, replace(mapping, delimiter=delimiter)))
            except IngestError:
                continue
    best = max(widths, key=widths.__getitem__, default=None)
    if best is None or widths[best] <= len(header):
        return
    current, other = json.dumps(mapping.delimiter), json.dumps(best)  # as YAML spells them: ";" and "\t"
    read_as = "one column" if len(header) == 1 else f"{len(header)} columns"
    raise DelimiterError(f"{path}: the header is {read_as} read with the delimiter {current}, but {other} splits "
                         f"it into {widths[best]} columns; set delimiter: {other} in the mapping", best)


def _only_a_header(path: Path, mapping: Mapping) -> bool:
    """Arrow cannot parse a file that is a header without a line break after it."""
    with path.open(encoding=_python_encoding(mapping.encoding), newline="") as handle, _any_field_size():
        records = csv.reader(handle, delimiter=mapping.delimiter)
        next(records, None)
        return all(not fields for fields in records)


def _check_last_quote_closed(path: Path, mapping: Mapping, data: pa.Table) -> None:
    """Refuse a file whose last quoted cell is never closed: it would take every row after its opening
    quote into one cell, silently. Such a cell is the file's last cell and runs to its very end."""
    if not data.num_rows or not data.num_columns:
        return
    last = data.column(data.num_columns - 1)[data.num_rows - 1].as_py()
    opened = '"' + last.replace('"', '""')  # as it would stand in the file, its quotes doubled
    encoding = _byte_order_encoding(path, _python_encoding(mapping.encoding))
    unit = 4 if encoding.startswith("utf-32") else 2 if encoding.startswith("utf-16") else 1
    size = path.stat().st_size
    wanted = len(opened.encode(encoding)) + 64
    with path.open("rb") as handle:
        handle.seek(max(0, size - wanted - (size - wanted) % unit))
        end = handle.read().decode(encoding, errors="ignore")
    if not end.endswith(opened):
        return
    if last == "" and (len(end) - len(end.rstrip('"'))) % 2 == 0:
        return  # '""' is a closed empty cell; only an odd run of quotes leaves one open
    column = data.column_names[-1]
    raise IngestError(f"{path}: row {data.num_rows + 1}, column {column!r}: a quoted cell is never closed (its "
                      "closing quote is missing), so it would run to the end of the file")


def _byte_order_encoding(path: Path, encoding: str) -> str:
    """An encoding that writes no byte-order mark, in the byte order of the file's own mark."""
    name = codecs.lookup(encoding).name
    if name in ("utf-16", "utf-32"):
        with path.open("rb") as handle:
            start = handle.read(4)
        little = start.startswith(codecs.BOM_UTF32_LE if name == "utf-32" else codecs.BOM_UTF16_LE)
        return f"{name}-{'le' if little else 'be'}"
    return "utf-8" if name == "utf-8-sig" else name


def _without_blank_rows(data: pa.Table) -> tuple[pa.Table, pa.Array | None]:
    """Drop the rows with no value in any cell; return the row number in the file of each row kept."""
    if not data.num_rows:
        return data, None
    candidates = np.flatnonzero(pc.equal(data.column(0), "").to_numpy(zero_copy_only=False))
    if not len(candidates):
        return data, None
    blank = np.ones(len(candidates), dtype=bool)
    for column in data.columns[1:]:
        blank &= pc.equal(column.take(pa.array(candidates)), "").to_numpy(zero_copy_only=False)
    if not blank.any():
        return data, None
    keep = np.ones(data.num_rows, dtype=bool)
    keep[candidates[blank]] = False
    # Row 1 is the header: data row i is row i + 2 of the file.
    return data.filter(pa.array(keep)), pa.array(np.flatnonzero(keep) + 2, pa.int64())


def _explain_csv_error(path: Path, mapping: Mapping, exc: Exception) -> IngestError:
    """Find the row Arrow choked on, so the message can name it."""
    bad_row = _first_undecodable_row(path, mapping)
    if bad_row is not None:
        return _encoding_error(path, mapping, bad_row)
    width = None
    try:
        with path.open(encoding=_python_encoding(mapping.encoding), newline="") as handle, _any_field_size():
            # Rows are records, as a spreadsheet shows them: a cell's line breaks do not start a new row.
            for row, fields in enumerate(csv.reader(handle, delimiter=mapping.delimiter), start=1):
                if width is None:
                    width = len(fields)
                elif fields and len(fields) != width:
                    return IngestError(f"{path}: row {row} has {len(fields)} fields, the header has {width}")
    except csv.Error as err:
        return IngestError(f"{path}: not a readable CSV file: {err}")
    return IngestError(f"{path}: not a readable CSV file: {exc}")


def _read_excel(path: Path, mapping: Mapping) -> pa.Table:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for corrupt files
        raise IngestError(f"{path}: not a readable Excel workbook: {exc}") from None
    sheet_name = mapping.sheet
    if isinstance(sheet_name, str) and sheet_name not in workbook.sheet_names:
        raise IngestError(f"{path}: no sheet {sheet_name!r}; the sheets are {', '.join(workbook.sheet_names)}")
    # calamine opens a workbook lazily: a corrupt sheet only shows when it is read
    try:
        if isinstance(sheet_name, str):
            sheet = workbook.get_sheet_by_name(sheet_name)
        else:
            sheet = workbook.get_sheet_by_index(sheet_name or 0)
        rows = sheet.to_python(skip_empty_area=False)
    except IndexError:
        raise IngestError(f"{path}: no sheet number {sheet_name}; the workbook has "
                          f"{len(workbook.sheet_names)}") from None
    except Exception as exc:  # calamine's own error types (XmlError, ZipError, ...)
        raise IngestError(f"{path}: not a readable Excel workbook: {exc}") from None
    if not rows:
        raise IngestError(f"{path}: sheet {sheet.name!r} is empty; expected a header row")
    for (row, column), code in _excel_error_cells(path, sheet.name).items():
        if row < len(rows) and column < len(rows[row]):
            rows[row][column] = code
    header = [cell_text(v) or "" for v in rows[0]]
    while header and not header[-1]:
        header.pop()  # trailing blank header cells are formatting, not columns
    check_header(path, header)  # here, not only in read_source: the dict below would merge duplicate names
    body = list(rows[1:])
    dates = _date_sources(mapping) & set(header)
    day_text = _excel_day_text(path) if dates else cell_text
    columns = [[(day_text if name in dates else cell_text)(row[i]) if i < len(row) else None for row in body]
               for i, name in enumerate(header)]
    return pa.table({name: pa.array(values, pa.string()) for name, values in zip(header, columns)})


def _date_sources(mapping: Mapping) -> set[str]:
    """The source columns the mapping reads dates from."""
    return {rule.source for column in mapping.schema.columns
            if column.kind is Kind.DATE and (rule := mapping.rule(column.name)).source is not None}


_LAST_EXCEL_DAY = 2958465  # 31 December 9999


def _excel_day_text(path: Path) -> Callable[[object], str | None]:
    """The text of a cell of a date column: a number there is a day as Excel counts them (a date cell
    whose date format was lost), from 30 December 1899, or from 1 January 1904 in a workbook saved so."""
    if _counts_from_1904(path):
        epoch, first = _dt.datetime(1904, 1, 1), 0
    else:
        # Excel counts a 29 February 1900 that never was (day 60): the days before it are a day off, and
        # too early to be a customer's or an invoice's; they are left as numbers, reported as not dates.
        epoch, first = _dt.datetime(1899, 12, 30), 61

    def text(value) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int | float) or not first <= value <= _LAST_EXCEL_DAY:
            return cell_text(value)
        return cell_text(epoch + _dt.timedelta(seconds=round(value * 86400)))

    return text


def _counts_from_1904(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return False
    settings = next((e for e in workbook.iter() if _local(e.tag) == "workbookPr"), None)
    return settings is not None and settings.get("date1904", "").lower() in ("1", "true")


_ERROR_CELL = re.compile(rb"<(?:\w+:)?c\s[^>]*\bt=[\"']e[\"'][^>]*?(/?)>")
_CELL_REFERENCE = re.compile(rb"\br=[\"']([A-Z]{1,3})(\d+)[\"']")
_CELL_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_CELL_END = re.compile(rb"</(?:\w+:)?c>")
_LONGEST_TAG = 512  # a cell's start tag is far shorter: what is kept of a block, in case one is cut there


def _excel_error_cells(path: Path, sheet_name: str) -> dict[tuple[int, int], str]:
    """The error code of each error cell of a sheet, by (row, column) from 0 at A1.

    calamine reads an error cell as an empty one: the sheet's XML says which cells hold errors, in a cell
    of type ``e`` whose value is the code. Workbooks hold few error cells, so the XML is scanned as bytes
    for them rather than parsed (which would cost as much as reading the sheet).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            member = _sheet_member(archive, sheet_name)
            if member is None:
                return {}
            with archive.open(member) as xml:
                return _error_cells_in(xml)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return {}  # calamine read the sheet, so this is a layout it knows and we do not: nothing to add


def _sheet_member(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    """The archive member holding a sheet's cells, through the workbook's list of sheets and its links
    (by local names: transitional and strict workbooks name their elements in different namespaces)."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    sheet = next((e for e in workbook.iter() if _local(e.tag) == "sheet" and e.get("name") == sheet_name), None)
    if sheet is None:
        return None
    link_id = next((value for key, value in sheet.attrib.items() if _local(key) == "id"), None)
    links = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next((link.get("Target") for link in links if link.get("Id") == link_id), None)
    if target is None:
        return None
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _local(name: str) -> str:
    return name.rpartition("}")[2]


def _error_cells_in(xml: IO[bytes]) -> dict[tuple[int, int], str]:
    found: dict[tuple[int, int], str] = {}
    pending = b""
    for block in iter(lambda: xml.read(1 << 20), b""):
        data = pending + block
        pending = data[-_LONGEST_TAG:]  # a cell found again in it next time is found at the same key
        if b"e'" not in data and b'e"' not in data:
            continue  # the common case: no error cell here, and no regular expression run
        for start in _ERROR_CELL.finditer(data):
            if start.group(1):
                continue  # an empty error cell ("<c t='e'/>") holds no code
            end = _CELL_END.search(data, start.end())
            if end is None:  # the cell runs on into the next block: read it with that block
                pending = data[start.start():]
                break
            value = _CELL_VALUE.search(data, start.end(), end.start())
            reference = _CELL_REFERENCE.search(start.group(0))
            if value and reference:
                found[(int(reference[2]) - 1, _column_index(reference[1]))] = value[1].decode("utf-8", "replace")
    return found


def _column_index(letters: bytes) -> int:
    """0 for column A, 25 for Z, 26 for AA."""
    index = 0
    for letter in letters:
        index = index * 26 + letter - ord("A") + 1
    return index - 1


def cell_text(value) -> str | None:
    """An Excel cell as the text a person would read in it."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, _dt.datetime):
        if value.time() == _dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, _dt.date | _dt.time):
        return value.isoformat()
    return str(value)


def _read_parquet(path: Path) -> pa.Table:
    try:
        return pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise IngestError(f"{path}: not a readable Parquet file: {exc}") from None


def text_columns(table: pa.Table, source: Path | str) -> pa.Table:
    """Every column of a typed table (Parquet, a query's rows) as text; refuses, by name, a column that
    holds no text, number or date (lists, structs, bytes that are not UTF-8)."""
    columns = {}
    for name in table.column_names:
        column = table.column(name)
        try:
            columns[name] = as_text(column)
        except pa.ArrowInvalid:
            row = _first_non_utf8(column)
            raise IngestError(f"{source}: row {row}, column {name!r} holds bytes that are not UTF-8 text") from None
        except pa.ArrowNotImplementedError:
            raise IngestError(f"{source}: column {name!r} holds {column.type} values; each cell must be "
                              "text, a number or a date") from None
    return pa.table(columns)


def _first_non_utf8(column: pa.ChunkedArray) -> int:
    """Row number (from 1, as rows of a typed source count) of the first cell that is not UTF-8."""
    for row, value in enumerate(column.to_pylist(), start=1):
        try:
            if isinstance(value, bytes):
                value.decode("utf-8")
        except UnicodeDecodeError:
            return row
    return 1


def as_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_timestamp(column.type) and _all_midnight(column):
        column = pc.cast(column, pa.date32())
    return pc.cast(column, pa.string())


def _all_midnight(column: pa.ChunkedArray) -> bool:
    as_dates = pc.cast(pc.cast(column, pa.date32()), column.type)
    return bool(pc.all(pc.equal(as_dates, column)).as_py() in (True, None))
