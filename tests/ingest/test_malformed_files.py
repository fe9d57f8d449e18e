"""Fuzz and property tests of every reader (CSV, Excel, Parquet) and of mapping and validation.

Whatever the file (wrong encoding, ragged rows, huge fields, quotes and line breaks in cells, Excel
formulas, dates in another format, numbers with separators, empty, header only, binary junk, truncated),
a load ends in one of two ways: a clear refusal that names the file (and the row, column and reason when
there is one), with the warehouse untouched, or a validated load whose rows are exactly the file's
(see :mod:`tests.ingest.reliability`). Never an unhandled exception, never part of a file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import assume, example, given, note
from hypothesis import strategies as st

from marginscope.ingest import IngestError, Mapping, load_file
from marginscope.ingest.readers import read_source
from marginscope.warehouse import Warehouse
from tests.conftest import CUSTOMERS_CSV, PRODUCTS_CSV, REPS_CSV, problems_of, rows_of
from tests.ingest.reliability import (
    FUZZ,
    FUZZ_LOADS,
    assert_refused_cleanly,
    assert_validated_cleanly,
    report_of,
    row_named,
    snapshot,
)

PRODUCTS = Mapping.identity("products")


@pytest.fixture(scope="module")
def masters_file(tmp_path_factory) -> Path:
    """A warehouse file holding two reps, customers and products, built once for the module."""
    folder = tmp_path_factory.mktemp("fuzz-masters")
    with Warehouse.connect(f"duckdb://{folder / 'masters.duckdb'}") as wh:
        for table, text in (("reps", REPS_CSV), ("customers", CUSTOMERS_CSV), ("products", PRODUCTS_CSV)):
            path = folder / f"{table}.csv"
            path.write_text(text)
            assert load_file(wh, table, path).ok
    return folder / "masters.duckdb"


@pytest.fixture
def loaded(masters_file, tmp_path):
    """A copy of the masters' warehouse: the state every refused load must leave as it was."""
    copy = tmp_path / "fuzz.duckdb"
    shutil.copy(masters_file, copy)
    wh = Warehouse.connect(f"duckdb://{copy}")
    yield wh
    wh.close()


def load_checked(warehouse: Warehouse, table: str, path: Path, mapping: Mapping | None = None):
    """Load ``path`` and check the guarantees of every load; returns the result, or the refusal's message."""
    before = snapshot(warehouse)
    try:
        result = load_file(warehouse, table, path, mapping)
    except IngestError as refused:
        assert_refused_cleanly(str(refused), str(path), before, snapshot(warehouse))
        return str(refused)
    source_rows = result.rows_read
    first_row = 1 if path.suffix == ".parquet" else 2
    assert_validated_cleanly(report_of(result), source_rows, first_row, before, snapshot(warehouse))
    return result


def csv_record(fields: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out).writerow(fields)
    return out.getvalue()


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


# --- anything at all ---------------------------------------------------------------------------------

VALID_CSV = PRODUCTS_CSV.encode() + b'P3,"Nut, ""M8""",Hardware,"1,234.50",0.5\n'


def mutations(valid: bytes) -> st.SearchStrategy[bytes]:
    """A valid file damaged: truncated, with bytes overwritten, inserted or deleted."""
    junk = st.sampled_from([b"\x00", b"\xff\xfe", b"\xc3", b"\xe9", b'"', b",", b"\r", b"\n", b"\r\n", b"=cmd|' /C calc'!A0",
                            b"\xef\xbb\xbf", b"\x1a", "é".encode("latin-1"), b"x" * 70_000]) | st.binary(max_size=40)

    @st.composite
    def damaged(draw) -> bytes:
        data = bytearray(valid)
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(data)))
            action = draw(st.sampled_from(["insert", "overwrite", "delete", "truncate"]))
            if action == "truncate":
                del data[at:]
            elif action == "delete":
                del data[at:at + draw(st.integers(1, 30))]
            else:
                piece = draw(junk)
                data[at:at + (len(piece) if action == "overwrite" else 0)] = piece
        return bytes(data)

    return damaged()


@FUZZ
@given(content=st.binary(max_size=3000) | mutations(VALID_CSV))
def test_any_bytes_as_csv_are_refused_clearly_or_loaded(loaded, tmp_path, content):
    path = tmp_path / "junk.csv"
    path.write_bytes(content)
    load_checked(loaded, "products", path)


def valid_xlsx() -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("Products")
    sheet.write_row(0, 0, ["product_id", "name", "list_price"])
    sheet.write_row(1, 0, ["P3", "Nut", 1.5])
    sheet.write_row(2, 0, ["P4", "Washer", 0.25])
    book.close()
    return out.getvalue()


@FUZZ
@given(content=st.binary(max_size=3000) | mutations(valid_xlsx()))
def test_any_bytes_as_excel_are_refused_clearly_or_loaded(loaded, tmp_path, content):
    path = tmp_path / "junk.xlsx"
    path.write_bytes(content)
    load_checked(loaded, "products", path)


def valid_parquet() -> bytes:
    out = io.BytesIO()
    pq.write_table(pa.table({"product_id": ["P3", "P4"], "name": ["Nut", "Washer"], "list_price": [1.5, 0.25]}), out)
    return out.getvalue()


@FUZZ
@given(content=st.binary(max_size=3000) | mutations(valid_parquet()))
def test_any_bytes_as_parquet_are_refused_clearly_or_loaded(loaded, tmp_path, content):
    path = tmp_path / "junk.parquet"
    path.write_bytes(content)
    load_checked(loaded, "products", path)


@pytest.mark.parametrize("name", ["empty.csv", "empty.xlsx", "empty.parquet"])
def test_an_empty_file_is_refused_with_its_name(loaded, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    assert isinstance(load_checked(loaded, "products", path), str)


@pytest.mark.parametrize("text", ["product_id,name\n", "product_id,name", "product_id,name\r\n\r\n"])
def test_a_header_only_csv_loads_nothing_and_changes_nothing(loaded, tmp_path, text):
    path = tmp_path / "header.csv"
    path.write_text(text, newline="")
    before, version = rows_of(loaded, "products", "product_id"), loaded.data_version
    result = load_checked(loaded, "products", path)
    assert not isinstance(result, str), result
    assert (result.status, result.rows_read, result.data_version) == ("loaded", 0, version)
    assert rows_of(loaded, "products", "product_id") == before


# --- text cells survive every encoding, quoting and size ---------------------------------------------

# Any character a spreadsheet cell can hold, with the ones that break naive CSV handling made common.
CELL_TEXT = st.text(st.characters(blacklist_categories=("Cs",)) | st.sampled_from(
    ['"', ",", ";", "\n", "\r", "\t", " ", "=", "+", "-", "@", "é", "€", "\ufeff", "\x00"]), min_size=1,
    max_size=40).filter(lambda text: text.strip() != "")
FORMULA_LIKE = st.sampled_from(["=1+1", '=HYPERLINK("http://evil.example","click")', "=cmd|' /C calc'!A0",
                                "@SUM(A1:A2)", "+1+1", "-2+3"])
HUGE = st.integers(100_000, 300_000).map(lambda n: "x" * n)


@st.composite
def product_rows(draw, text=CELL_TEXT | FORMULA_LIKE) -> list[list[str]]:
    count = draw(st.integers(1, 6))
    names = draw(st.lists(text, min_size=count, max_size=count))
    if draw(st.booleans()):
        names[draw(st.integers(0, count - 1))] = draw(HUGE)
    return [[f"P{100 + i}", name] for i, name in enumerate(names)]


@FUZZ_LOADS
@given(rows=product_rows(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]),
       delimiter=st.sampled_from([",", ";", "\t", "|"]), line_end=st.sampled_from(["\n", "\r\n", "\r"]))
@example(rows=[["P100", "\r0"]], encoding="utf-8", delimiter=",", line_end="\n")  # found by the fuzz in CI
def test_text_cells_load_exactly_whatever_the_encoding_quoting_and_size(loaded, tmp_path, rows, encoding,
                                                                        delimiter, line_end):
    """A CSV written by a correct writer in the encoding its mapping names loads every cell exactly, trimmed
    (the documented rule: values are trimmed)."""
    out = io.StringIO()
    # Python's writer quotes only the line breaks of its own line end, so a bare CR in a file of LF lines
    # goes out unquoted: a line break to any reader (and refused by the loader). A correct writer quotes it.
    breaks = any(mark in cell for row in rows for cell in row for mark in "\r\n")
    writer = csv.writer(out, delimiter=delimiter, lineterminator=line_end,
                        quoting=csv.QUOTE_ALL if breaks else csv.QUOTE_MINIMAL)
    writer.writerow(["product_id", "name"])
    writer.writerows(rows)
    try:
        content = out.getvalue().encode(encoding)
    except UnicodeEncodeError:
        assume(False)  # latin-1 and cp1252 cannot hold every character
    path = tmp_path / "products.csv"
    path.write_bytes(content)
    mapping = Mapping.from_dict({"table": "products", "encoding": encoding, "delimiter": delimiter})
    result = load_checked(loaded, "products", path, mapping)
    assert not isinstance(result, str), result
    assert result.ok and result.rows_loaded == len(rows), result.problems.to_pylist()
    stored = {row["product_id"]: row["name"] for row in rows_of(loaded, "products")}
    assert {key: stored[key] for key, _ in rows} == {key: name.strip() for key, name in rows}


@FUZZ_LOADS
@given(rows=product_rows(text=CELL_TEXT), wrong=st.sampled_from(["latin-1", "utf-16-le", "utf-16-be", "cp1252"]))
def test_a_file_in_another_encoding_is_refused_at_its_first_bad_row_or_validated(loaded, tmp_path, rows, wrong):
    """A file in an encoding its mapping does not name (a UTF-8 mapping, the default) is refused with the
    first row that is not UTF-8 (all of a UTF-16 file), or, when its bytes happen to be valid UTF-8 as well,
    validated as any file is."""
    records = [csv_record(fields) for fields in (["product_id", "name"], *rows)]
    try:
        encoded = [record.encode(wrong) for record in records]
    except UnicodeEncodeError:
        assume(False)
    path = tmp_path / "products.csv"
    path.write_bytes(b"".join(encoded))
    outcome = load_checked(loaded, "products", path)
    if wrong.startswith("utf-16"):
        assert isinstance(outcome, str) and row_named(outcome) == 1 and "UTF-16" in outcome, outcome
    elif isinstance(outcome, str):
        first_bad = next(number for number, record in enumerate(encoded, start=1) if not _is_utf8(record))
        assert "is not valid utf-8 text" in outcome and row_named(outcome) == first_bad, outcome


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_utf16_and_utf32_files_load_when_the_mapping_names_them(loaded, tmp_path, encoding):
    path = tmp_path / "products.csv"
    path.write_bytes("product_id,name\r\nP7,Écrou\r\nP8,\"Bolt, 10\"\"\"\r\n".encode(encoding))
    result = load_checked(loaded, "products", path, Mapping.from_dict({"table": "products", "encoding": encoding}))
    assert not isinstance(result, str), result
    stored = {row["product_id"]: row["name"] for row in rows_of(loaded, "products")}
    assert (stored["P7"], stored["P8"]) == ("Écrou", 'Bolt, 10"')


@pytest.mark.parametrize(("encoding", "named"), [("utf-16-le", "UTF-16 (little-endian)"),
                                               ("utf-16-be", "UTF-16 (big-endian)"),
                                               ("utf-32-le", "UTF-32 (little-endian)")])
def test_a_utf16_file_without_a_byte_order_mark_says_what_it_is_and_what_to_do(loaded, tmp_path, encoding, named):
    """UTF-16 without a byte-order mark is valid UTF-8 byte by byte (every other byte is NUL): the message
    must say what the file is, not that its rows have the wrong number of fields, and the encoding it
    names must load it."""
    path = tmp_path / "products.csv"
    path.write_bytes("product_id,name\nP7,Nut\n".encode(encoding))
    message = load_checked(loaded, "products", path)
    assert message == (f"{path}: row 1 is not valid utf-8 text: the file is {named} text without a byte-order "
                       f"mark; save it again as CSV UTF-8, or set encoding: {encoding} in the mapping")
    result = load_checked(loaded, "products", path, Mapping.from_dict({"table": "products", "encoding": encoding}))
    assert not isinstance(result, str) and result.ok, result


def test_a_utf16_file_with_a_byte_order_mark_read_as_utf8_names_its_encoding(loaded, tmp_path):
    """What Excel's "Unicode text" saves: UTF-16 with a byte-order mark, and a tab between cells."""
    path = tmp_path / "products.csv"
    path.write_bytes("product_id\tname\nP7\tÉcrou\n".encode("utf-16"))
    message = load_checked(loaded, "products", path)
    assert message == (f"{path}: row 1 is not valid utf-8 text: the file is UTF-16 text; save it again as CSV "
                       "UTF-8, or set encoding: utf-16 in the mapping")


# --- what the file really is -------------------------------------------------------------------------


def test_a_zip_archive_named_csv_says_to_unzip_it(loaded, tmp_path):
    import zipfile

    path = tmp_path / "products.csv"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("products.csv", PRODUCTS_CSV)
        archive.writestr("readme.txt", "exported by the ERP")
    message = load_checked(loaded, "products", path)
    assert message == (f"{path}: is a zip archive, not CSV text (it holds products.csv, readme.txt); unzip it "
                       "and load the file inside")


def test_an_excel_workbook_named_csv_says_to_rename_it(loaded, tmp_path):
    path = tmp_path / "products.csv"
    path.write_bytes(valid_xlsx())
    message = load_checked(loaded, "products", path)
    assert message == (f"{path}: is an Excel workbook, not CSV text; rename it to products.xlsx, or save it "
                       "from Excel as CSV UTF-8")
    path.rename(tmp_path / "products.xlsx")
    result = load_checked(loaded, "products", tmp_path / "products.xlsx")
    assert not isinstance(result, str) and result.ok, result


def test_a_directory_is_not_reported_as_a_missing_file(loaded, tmp_path):
    path = tmp_path / "exports.csv"
    path.mkdir()
    assert load_checked(loaded, "products", path) == (
        f"{path}: is a directory, not a file; give the path of a CSV, Excel or Parquet file in it")


def test_a_named_pipe_is_not_reported_as_a_missing_file(loaded, tmp_path):
    path = tmp_path / "products.csv"
    os.mkfifo(path)
    assert load_checked(loaded, "products", path) == (
        f"{path}: is not a regular file but a named pipe (a file is read more than once while it is loaded); "
        "save the data to a file and load that")


def test_a_device_is_not_reported_as_a_missing_file(loaded):
    assert load_checked(loaded, "products", Path("/dev/zero")) == (
        "/dev/zero: is not a regular file but a character device (a file is read more than once while it is "
        "loaded); save the data to a file and load that")


@pytest.mark.parametrize(("delimiter", "spelled"), [(";", '";"'), ("\t", '"\\t"'), ("|", '"|"')])
def test_a_file_with_another_delimiter_says_which_to_set(loaded, tmp_path, delimiter, spelled):
    """Read with commas, a semicolon-separated header is one column: the message says which delimiter the
    header splits on, and that delimiter loads the file."""
    path = tmp_path / "products.csv"
    path.write_text(PRODUCTS_CSV.replace(",", delimiter))
    message = load_checked(loaded, "products", path)
    assert message == (f"{path}: the header is one column read with the delimiter \",\", but {spelled} splits it "
                       f"into 5 columns; set delimiter: {spelled} in the mapping")
    result = load_checked(loaded, "products", path, Mapping.from_dict({"table": "products", "delimiter": delimiter}))
    assert not isinstance(result, str) and result.rows_loaded == 2, result


def test_a_file_with_the_right_delimiter_and_wrong_columns_is_not_told_to_change_it(loaded, tmp_path):
    path = tmp_path / "products.csv"
    path.write_text("sku;title\nP7;Nut\n")
    message = load_checked(loaded, "products", path, Mapping.from_dict({"table": "products", "delimiter": ";"}))
    assert "missing required columns for products: product_id, name" in message and "delimiter" not in message


# --- ragged rows and quotes --------------------------------------------------------------------------


@FUZZ_LOADS
@given(rows=product_rows(text=CELL_TEXT), extra=st.integers(-1, 3).filter(lambda n: n != 0), data=st.data())
def test_a_ragged_row_is_refused_with_its_row_number(loaded, tmp_path, rows, extra, data):
    """Row numbers count records as a spreadsheet shows them: a cell's line breaks do not add rows."""
    at = data.draw(st.integers(0, len(rows) - 1))
    rows[at] = [rows[at][0]] if extra < 0 else rows[at] + ["more"] * extra
    path = tmp_path / "products.csv"
    path.write_text(csv_text(["product_id", "name"], rows), newline="")
    message = load_checked(loaded, "products", path)
    assert isinstance(message, str), message
    assert row_named(message) == at + 2, message
    assert f"has {len(rows[at])} fields, the header has 2" in message


@pytest.mark.parametrize("tail", ['P9,"never closed\n', 'P9,"never closed', 'P9,"never closed\nP10,Bolt\n'])
def test_a_quote_never_closed_is_refused_not_swallowing_the_rows_after_it(loaded, tmp_path, tail):
    """An opening quote without its closing quote would take every row after it into one cell."""
    path = tmp_path / "products.csv"
    path.write_text("product_id,name\nP7,Nut\n" + tail, newline="")
    message = load_checked(loaded, "products", path)
    assert isinstance(message, str), f"loaded {rows_of(loaded, 'products', 'product_id')}"
    assert row_named(message) == 3 and "quote" in message, message


# --- numbers and dates -------------------------------------------------------------------------------

PRICES = st.decimals(min_value=0, max_value=Decimal("99999999999.9999"), places=4, allow_nan=False)


def grouped(value: Decimal, decimal: str, thousands: str) -> str:
    whole, _, fraction = f"{value:.4f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return thousands.join(groups) + decimal + fraction


@FUZZ_LOADS
@given(prices=st.lists(PRICES, min_size=1, max_size=5),
       style=st.sampled_from([(".", ","), (",", "."), (",", " "), (".", "")]), currency=st.sampled_from(["", "$", "€ "]))
def test_numbers_with_thousands_separators_load_their_exact_value(loaded, tmp_path, prices, style, currency):
    decimal, thousands = style
    rows = [[f"P{100 + i}", "x", currency + grouped(price, decimal, thousands)] for i, price in enumerate(prices)]
    path = tmp_path / "products.csv"
    path.write_text(csv_text(["product_id", "name", "list_price"], rows), newline="")
    mapping = Mapping.from_dict({"table": "products", "decimal": decimal, "thousands": thousands or ","})
    result = load_checked(loaded, "products", path, mapping)
    assert not isinstance(result, str) and result.ok, result if isinstance(result, str) else result.problems.to_pylist()
    stored = {row["product_id"]: row["list_price"] for row in rows_of(loaded, "products")}
    assert [stored[f"P{100 + i}"] for i in range(len(prices))] == prices


@pytest.mark.parametrize(("mapping", "value"), [
    ({}, "12,50"),  # a decimal comma in a file whose mapping says "," groups thousands
    ({}, "1,2345.00"),  # a group of four digits
    ({}, "1,,234"),
    ({}, ",5"),
    ({"decimal": ",", "thousands": "."}, "1.5"),  # a decimal point where "." groups thousands
    ({"decimal": ",", "thousands": "."}, "12.34,5"),
])
def test_a_number_whose_separators_do_not_group_thousands_is_a_problem_not_another_number(loaded, tmp_path, mapping,
                                                                                       value):
    """Dropping the separator of "12,50" would load 1250: a hundred times the amount the file meant."""
    path = tmp_path / "products.csv"
    path.write_text(csv_text(["product_id", "name", "list_price"], [["P9", "x", value]]), newline="")
    result = load_checked(loaded, "products", path, Mapping.from_dict({"table": "products", **mapping}))
    assert [(p["row"], p["column"], p["value"], p["reason"]) for p in result.problems.to_pylist()] == [
        (2, "list_price", value, "not a number")]


@pytest.mark.parametrize(("table", "header", "value"), [
    ("products", "product_id,name,list_price", "P9,x,100000000000000"),  # 10^14 does not fit decimal(18,4)
    ("products", "product_id,name,list_price", "P9,x,1e30"),
    ("products", "product_id,name,list_price", "P9,x,1e400"),  # beyond a float: infinity
    ("products", "product_id,name,list_price", "P9,x,-1e400"),
    ("nps_responses", "customer_id,response_date,score", "C1,2026-01-01,99999999999999999999"),  # beyond int64
    ("customers", "customer_id,name,acquisition_cost", "C9,x,12345678901234567.5"),  # decimal(18,2): 16 digits
])
def test_a_number_too_large_for_its_column_is_a_problem_not_a_crash(loaded, tmp_path, table, header, value):
    path = tmp_path / f"{table}.csv"
    path.write_text(f"{header}\n{value}\n")
    result = load_checked(loaded, table, path)
    assert not isinstance(result, str), result
    (problem,) = result.problems.to_pylist()
    assert (problem["row"], problem["column"]) == (2, header.split(",")[2])
    assert "too large" in problem["reason"], problem


@pytest.mark.parametrize("value", ["99999999999999.9999", "99999999999999.5", "-0.0001", "0.0001"])
def test_the_largest_and_smallest_prices_still_load(loaded, tmp_path, value):
    """Near the bounds of decimal(18,4): 14 digits before the point, stored exactly (a float holds
    99999999999999.9999 as 100000000000000)."""
    path = tmp_path / "products.csv"
    path.write_text(f"product_id,name,list_price\nP9,x,{value}\n")
    result = load_checked(loaded, "products", path)
    if value.startswith("-"):
        assert [p["reason"] for p in result.problems.to_pylist()] == ["negative value"]
    else:
        assert result.ok
        stored = {r["product_id"]: r["list_price"] for r in rows_of(loaded, "products")}
        assert stored["P9"] == Decimal(value)


DATES = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2025, 12, 31))  # later may lie beyond the horizon
# Formats that cannot be mistaken for ISO (YYYY-MM-DD) nor for each other's day and month.
UNAMBIGUOUS_OTHERS = ["%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d %b %Y", "%Y%m%d", "%d-%m-%Y", "%b %d, %Y"]


@FUZZ_LOADS
@given(dates=st.lists(DATES, min_size=1, max_size=5), fmt=st.sampled_from(["%d.%m.%Y", "%m/%d/%Y", "%d %b %Y"]),
       iso_rows=st.sets(st.integers(0, 4)))
def test_dates_in_the_mapped_format_or_iso_load_as_those_days(loaded, tmp_path, dates, fmt, iso_rows):
    rows = [[f"C{100 + i}", "x", day.isoformat() if i in iso_rows else day.strftime(fmt)] for i, day in enumerate(dates)]
    path = tmp_path / "customers.csv"
    path.write_text(csv_text(["customer_id", "name", "created_date"], rows), newline="")
    result = load_checked(loaded, "customers", path, Mapping.from_dict({"table": "customers", "date_format": fmt}))
    assert not isinstance(result, str) and result.ok, result
    stored = {row["customer_id"]: row["created_date"] for row in rows_of(loaded, "customers")}
    assert [stored[f"C{100 + i}"] for i in range(len(dates))] == dates


@FUZZ_LOADS
@given(dates=st.lists(DATES, min_size=1, max_size=5), fmt=st.sampled_from(UNAMBIGUOUS_OTHERS), data=st.data())
def test_dates_in_another_format_than_the_mapping_are_problems_at_their_row(loaded, tmp_path, dates, fmt, data):
    wrong = data.draw(st.sets(st.integers(0, len(dates) - 1), min_size=1))
    rows = [[f"C{100 + i}", "x", day.strftime(fmt) if i in wrong else day.isoformat()] for i, day in enumerate(dates)]
    path = tmp_path / "customers.csv"
    path.write_text(csv_text(["customer_id", "name", "created_date"], rows), newline="")
    result = load_checked(loaded, "customers", path)
    assert result.status == "rejected"
    assert [(p["row"], p["column"], p["reason"]) for p in result.problems.to_pylist()] == [
        (i + 2, "created_date", "not a date in the format YYYY-MM-DD") for i in sorted(wrong)]


# --- Excel -------------------------------------------------------------------------------------------

EXCEL_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")) | st.sampled_from(["\n", "\t", '"', ","]),
                     min_size=1, max_size=40).filter(lambda text: text.strip() != "")


@st.composite
def excel_cells(draw):
    """(how to write a cell, its value, the text a person reads in it)."""
    kind = draw(st.sampled_from(["text", "formula_text", "number", "formula_number", "hyperlink", "dde_as_text",
                                 "date", "boolean"]))
    if kind == "text":
        text = draw(EXCEL_TEXT)
        return "string", text, text.strip()
    if kind == "formula_text":  # a formula with its cached result, as Excel saves it
        text = draw(EXCEL_TEXT.filter(lambda t: '"' not in t))
        return "formula", (f'="{text}"', text), text.strip()
    if kind == "number":
        number = draw(st.integers(-10**9, 10**9) | st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: round(f, 3)))
        return "number", number, _excel_number_text(number)
    if kind == "formula_number":
        a, b = draw(st.integers(0, 1000)), draw(st.integers(0, 1000))
        return "formula", (f"={a}+{b}", a + b), str(a + b)
    if kind == "hyperlink":
        return "formula", ('=HYPERLINK("http://evil.example/x","click me")', "click me"), "click me"
    if kind == "dde_as_text":  # typed as text (an apostrophe in Excel): it is text, loaded as text
        return "string", "=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0"
    if kind == "date":
        day = draw(DATES)
        return "date", dt.datetime(day.year, day.month, day.day), day.isoformat()
    value = draw(st.booleans())
    return "boolean", value, "true" if value else "false"


def _excel_number_text(number) -> str:
    as_float = float(number)
    return str(int(as_float)) if as_float.is_integer() else repr(as_float)


@FUZZ_LOADS
@given(cells=st.lists(excel_cells(), min_size=1, max_size=8))
def test_excel_cells_load_as_the_text_a_person_reads(loaded, tmp_path, cells):
    """Formulas load as the result Excel saved with them (=1+1 is 2, =HYPERLINK its label); a DDE formula
    typed as text is loaded as that text and never run."""
    import xlsxwriter

    path = tmp_path / "products.xlsx"
    book = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_urls": False,
                                      "strings_to_numbers": False})
    sheet = book.add_worksheet()
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, ["product_id", "name"])
    for row, (how, value, _) in enumerate(cells, start=1):
        sheet.write_string(row, 0, f"P{100 + row}")
        if how == "string":
            sheet.write_string(row, 1, value)
        elif how == "formula":
            sheet.write_formula(row, 1, value[0], None, value[1])
        elif how == "number":
            sheet.write_number(row, 1, value)
        elif how == "date":
            sheet.write_datetime(row, 1, value, date_format)
        else:
            sheet.write_boolean(row, 1, value)
    book.close()
    note(f"cells: {cells}")
    result = load_checked(loaded, "products", path)
    assert not isinstance(result, str) and result.ok, result if isinstance(result, str) else result.problems.to_pylist()
    stored = {row["product_id"]: row["name"] for row in rows_of(loaded, "products")}
    assert [stored[f"P{100 + row}"] for row in range(1, len(cells) + 1)] == [text for _, _, text in cells]


@FUZZ
@given(cut=st.floats(0.0, 0.999))
def test_a_truncated_workbook_is_refused_with_its_name(loaded, tmp_path, cut):
    content = valid_xlsx()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(content[: int(len(content) * cut)])
    message = load_checked(loaded, "products", path)
    assert isinstance(message, str) and "not a readable Excel workbook" in message


def test_excel_error_cells_are_problems_at_their_row_and_column(loaded, tmp_path):
    """An error cell is a problem with its code, in a required column or an optional one (it used to load
    as an empty value), and only that problem: not also a missing value or not a number."""
    import xlsxwriter

    path = tmp_path / "products.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["product_id", "name", "category", "list_price"])
    sheet.write_row(1, 0, ["P3", "Nut"])
    sheet.write_formula(1, 2, "=VLOOKUP(A2,Z:Z,2,0)", None, "#N/A")
    sheet.write_formula(1, 3, "=1/0", None, "#DIV/0!")
    sheet.write_row(2, 0, ["P4", "Washer", "Hardware", 0.25])
    sheet.write_string(3, 0, "P5")
    sheet.write_formula(3, 1, "=A99", None, "#REF!")
    book.close()
    result = load_checked(loaded, "products", path)
    assert not isinstance(result, str), result
    assert result.status == "rejected"
    assert [(p["row"], p["column"], p["value"], p["reason"]) for p in result.problems.to_pylist()] == [
        (2, "category", "#N/A", "Excel error cell #N/A: fix the formula, or clear the cell"),
        (2, "list_price", "#DIV/0!", "Excel error cell #DIV/0!: fix the formula, or clear the cell"),
        (4, "name", "#REF!", "Excel error cell #REF!: fix the formula, or clear the cell"),
    ]


def test_an_excel_day_number_in_a_date_column_loads_as_that_day(loaded, tmp_path):
    """A date cell whose format was lost holds the day's number (45292 is 1 January 2024): loaded as the day
    from a workbook, and still not a date in a CSV file, where it is only text."""
    import xlsxwriter

    path = tmp_path / "customers.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["customer_id", "name", "created_date", "acquisition_cost"])
    sheet.write_row(1, 0, ["C7", "Initech", 45292, 45292])
    book.close()
    result = load_checked(loaded, "customers", path)
    assert not isinstance(result, str) and result.ok, result
    stored = {row["customer_id"]: row for row in rows_of(loaded, "customers")}
    assert (stored["C7"]["created_date"], stored["C7"]["acquisition_cost"]) == (dt.date(2024, 1, 1), Decimal(45292))
    text = tmp_path / "customers.csv"
    text.write_text("customer_id,name,created_date\nC8,Hooli,45292\n")
    result = load_checked(loaded, "customers", text)
    assert problems_of(result) == [(2, "created_date", "not a date in the format YYYY-MM-DD")]


def test_an_excel_error_exported_to_csv_is_a_problem_too(loaded, tmp_path):
    """Excel writes an error cell's code into the CSV it saves; it is no more a category than in the workbook."""
    path = tmp_path / "products.csv"
    path.write_text("product_id,name,category\nP3,Nut,#VALUE!\n")
    result = load_checked(loaded, "products", path)
    assert not isinstance(result, str), result
    assert problems_of(result) == [(2, "category", "Excel error cell #VALUE!: fix the formula, or clear the cell")]


# --- Parquet -----------------------------------------------------------------------------------------

PARQUET_COLUMNS = {
    "text": lambda n: pa.array([f"N{i}" for i in range(n)]),
    "large text": lambda n: pa.array([f"N{i}" for i in range(n)], pa.large_string()),
    "dictionary": lambda n: pa.array([f"N{i}" for i in range(n)]).dictionary_encode(),
    "utf-8 bytes": lambda n: pa.array([f"N{i}".encode() for i in range(n)], pa.binary()),
    "non-utf-8 bytes": lambda n: pa.array([b"\xff\xfe" for _ in range(n)], pa.binary()),
    "list": lambda n: pa.array([["a", "b"] for _ in range(n)]),
    "struct": lambda n: pa.array([{"a": i} for i in range(n)]),
    "map": lambda n: pa.array([[("k", 1)] for _ in range(n)], pa.map_(pa.string(), pa.int64())),
    "integer": lambda n: pa.array(range(n), pa.int64()),
    "float": lambda n: pa.array([float("nan"), float("inf"), 1.5][:n] + [2.0] * (n - 3), pa.float64()),
    "decimal": lambda n: pa.array([Decimal("1.25")] * n, pa.decimal128(10, 2)),
    "timestamp tz": lambda n: pa.array([dt.datetime(2024, 1, 1, 12)] * n, pa.timestamp("us", tz="Europe/Paris")),
    "date": lambda n: pa.array([dt.date(2024, 1, 2)] * n, pa.date32()),
    "time": lambda n: pa.array([dt.time(12, 0)] * n, pa.time64("us")),
    "boolean": lambda n: pa.array([True] * n),
    "all null": lambda n: pa.nulls(n),
}


@FUZZ_LOADS
@given(kinds=st.fixed_dictionaries({"name": st.sampled_from(sorted(PARQUET_COLUMNS)),
                                    "list_price": st.sampled_from(sorted(PARQUET_COLUMNS))}), n=st.integers(1, 4))
@example(kinds={"name": "list", "list_price": "non-utf-8 bytes"}, n=1)  # refused at the list: no row to name
def test_parquet_columns_of_any_type_are_read_or_refused_by_name(loaded, tmp_path, kinds, n):
    path = tmp_path / "products.parquet"
    table = pa.table({"product_id": [f"P{100 + i}" for i in range(n)],
                      **{column: PARQUET_COLUMNS[kind](n) for column, kind in kinds.items()}})
    pq.write_table(table, path)
    outcome = load_checked(loaded, "products", path)
    unreadable = {column for column, kind in kinds.items() if kind in ("non-utf-8 bytes", "list", "struct", "map")}
    if unreadable:
        assert isinstance(outcome, str), outcome
        assert any(f"column {column!r}" in outcome for column in unreadable), outcome
        # The file is refused at its first unreadable column; a column of bytes is refused at its first row.
        refused_at = next(column for column in kinds if f"column {column!r}" in outcome)
        if kinds[refused_at] == "non-utf-8 bytes":
            assert "row 1" in outcome, outcome
    else:
        assert not isinstance(outcome, str), outcome


def test_read_source_and_load_agree_on_a_parquet_files_text(tmp_path):
    """The text a Parquet reader makes of typed columns (the existing reader test covers the common types)."""
    path = tmp_path / "p.parquet"
    pq.write_table(pa.table({"product_id": pa.array([b"P1"], pa.binary()), "name": pa.array(["x"]).dictionary_encode()}),
                   path)
    assert read_source(path, PRODUCTS).data.to_pylist() == [{"product_id": "P1", "name": "x"}]
