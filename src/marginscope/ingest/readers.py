"""Read CSV, Excel (.xlsx) and Parquet files into all-text Arrow tables.

Every reader returns text, whatever the file's own types: parsing is validation's
job (:mod:`marginscope.ingest.validate`), so that a bad number is reported with its
row and column the same way whichever format it came in.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv
import pyarrow.parquet as pq

from marginscope.ingest.errors import IngestError
from marginscope.ingest.mapping import Mapping

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``, called as work advances."""

FORMATS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "excel", ".xlsm": "excel",
           ".parquet": "parquet", ".pq": "parquet"}

_CSV_BLOCK = 16 << 20  # 16 MiB blocks: large enough to parse fast, small enough for a smooth progress bar


@dataclass(frozen=True)
class SourceTable:
    """A file's (or a query's) content as text, with what is needed to point back into it."""

    path: Path | str  # a file, or the description of a SQL source
    data: pa.Table
    first_row: int
    """Row number, as the user sees it in the file, of the first data row."""
    sha256: str

    def row_numbers(self, indices) -> pa.Array:
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
    if not path.is_file():
        raise IngestError(f"{path}: no such file")
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise IngestError(f"{path}: unknown file type {path.suffix!r}; use CSV, Excel (.xlsx) or Parquet")
    if kind == "csv":
        data = _read_csv(path, mapping, progress)
    elif kind == "excel":
        data = _read_excel(path, mapping)
    else:
        data = _read_parquet(path)
    check_header(path, data.column_names)
    # A header row is row 1 in CSV and Excel; Parquet has no header, so records count from 1.
    first_row = 1 if kind == "parquet" else 2
    return SourceTable(path=path, data=data, first_row=first_row, sha256=file_sha256(path))


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


def _read_header(path: Path, mapping: Mapping) -> list[str]:
    with path.open("rb") as handle:
        first_line = handle.readline()
    try:
        text = first_line.decode(_python_encoding(mapping.encoding))
    except UnicodeDecodeError:
        raise _encoding_error(path, mapping, 1) from None
    return next(csv.reader([text], delimiter=mapping.delimiter), [])


def _encoding_error(path: Path, mapping: Mapping, line: int) -> IngestError:
    return IngestError(
        f"{path}: row {line} is not valid {mapping.encoding} text; "
        "set 'encoding' in the mapping (e.g. latin-1, cp1252)"
    )


def _first_undecodable_line(path: Path, encoding: str) -> int | None:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode(encoding)
            except UnicodeDecodeError:
                return number
    return None


def _python_encoding(encoding: str) -> str:
    return "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding


def _read_csv(path: Path, mapping: Mapping, progress: Progress | None) -> pa.Table:
    header = _read_header(path, mapping)
    if not header:
        raise IngestError(f"{path}: the file is empty; expected a header row")
    check_header(path, header)
    total = path.stat().st_size
    batches = []
    with path.open("rb") as handle:
        try:
            reader = pv.open_csv(
                handle,
                read_options=pv.ReadOptions(encoding=mapping.encoding, block_size=_CSV_BLOCK),
                parse_options=pv.ParseOptions(delimiter=mapping.delimiter, newlines_in_values=True),
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
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            raise _explain_csv_error(path, mapping, exc) from None
    if progress:
        progress("read", total, total)
    return pa.Table.from_batches(batches, schema=pa.schema([(n, pa.string()) for n in header]))


def _explain_csv_error(path: Path, mapping: Mapping, exc: Exception) -> IngestError:
    """Find the row Arrow choked on, so the message can name it."""
    bad_line = _first_undecodable_line(path, _python_encoding(mapping.encoding))
    if bad_line is not None:
        return _encoding_error(path, mapping, bad_line)
    width = None
    try:
        with path.open(encoding=_python_encoding(mapping.encoding), newline="") as handle:
            reader = csv.reader(handle, delimiter=mapping.delimiter)
            for fields in reader:
                if width is None:
                    width = len(fields)
                elif fields and len(fields) != width:
                    return IngestError(
                        f"{path}: row {reader.line_num} has {len(fields)} fields, the header has {width}"
                    )
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
    if sheet_name is None:
        sheet = workbook.get_sheet_by_index(0)
    elif isinstance(sheet_name, int):
        sheet = workbook.get_sheet_by_index(sheet_name)
    elif sheet_name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(sheet_name)
    else:
        raise IngestError(f"{path}: no sheet {sheet_name!r}; the sheets are {', '.join(workbook.sheet_names)}")
    rows = sheet.to_python(skip_empty_area=False)
    if not rows:
        raise IngestError(f"{path}: sheet {sheet.name!r} is empty; expected a header row")
    header = [cell_text(v) or "" for v in rows[0]]
    while header and not header[-1]:
        header.pop()  # trailing blank header cells are formatting, not columns
    check_header(path, header)  # here, not only in read_source: the dict below would merge duplicate names
    width = len(header)
    body = [row for row in rows[1:]]
    columns = [[cell_text(row[i]) if i < len(row) else None for row in body] for i in range(width)]
    return pa.table({name: pa.array(values, pa.string()) for name, values in zip(header, columns)})


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
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise IngestError(f"{path}: not a readable Parquet file: {exc}") from None
    return pa.table({name: as_text(table.column(name)) for name in table.column_names})


def as_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_timestamp(column.type) and _all_midnight(column):
        column = pc.cast(column, pa.date32())
    return pc.cast(column, pa.string())


def _all_midnight(column: pa.ChunkedArray) -> bool:
    as_dates = pc.cast(pc.cast(column, pa.date32()), column.type)
    return bool(pc.all(pc.equal(as_dates, column)).as_py() in (True, None))
