"""Each reader returns the file's cells as text; unreadable files are clear errors."""

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from marginscope.ingest.errors import IngestError
from marginscope.ingest.mapping import Mapping
from marginscope.ingest.readers import read_source

PRODUCTS = Mapping.identity("products")


def test_csv_with_bom_quotes_and_blank_cells(write):
    path = write("p.csv", '\ufeffproduct_id,name,category\nP1,"Bolt, M8",\n')
    source = read_source(path, PRODUCTS)
    assert source.data.column_names == ["product_id", "name", "category"]
    assert source.data.to_pylist() == [{"product_id": "P1", "name": "Bolt, M8", "category": ""}]
    assert source.first_row == 2
    assert len(source.sha256) == 64


def test_csv_semicolon_and_latin1(write):
    path = write("p.csv", "product_id;name\nP1;Café\n", encoding="latin-1")
    mapping = Mapping.from_dict({"table": "products", "delimiter": ";", "encoding": "latin-1"})
    assert read_source(path, mapping).data.to_pylist() == [{"product_id": "P1", "name": "Café"}]


def test_csv_wrong_encoding_names_the_row(write):
    path = write("p.csv", "product_id,name\nP1,Bolt\nP2,Café\n", encoding="latin-1")
    with pytest.raises(IngestError, match=r"p.csv: row 3 is not valid utf-8 text.*encoding"):
        read_source(path, PRODUCTS)


def test_csv_ragged_row_names_the_row(write):
    path = write("p.csv", "product_id,name\nP1,Bolt\nP2,Nut,extra\n")
    with pytest.raises(IngestError, match=r"p.csv: row 3 has 3 fields, the header has 2"):
        read_source(path, PRODUCTS)


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "the file is empty"), ("product_id,product_id\nP1,P2\n", "names column 'product_id' twice"),
     ("product_id,,name\nP1,,x\n", "blank column names at positions \\[2\\]")],
)
def test_csv_bad_headers(write, text, message):
    with pytest.raises(IngestError, match=message):
        read_source(write("p.csv", text), PRODUCTS)


def test_missing_file_and_unknown_type(tmp_path, write):
    with pytest.raises(IngestError, match="no such file"):
        read_source(tmp_path / "nope.csv", PRODUCTS)
    with pytest.raises(IngestError, match=r"unknown file type '\.json'"):
        read_source(write("p.json", "{}"), PRODUCTS)


def test_excel_cells_become_the_text_a_person_reads(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Customers"
    sheet.append(["customer_id", "name", "created_date", "acquisition_cost", None])
    sheet.append([1001, "Acme", dt.datetime(2024, 3, 31), 1250.5])
    sheet.append(["C2", "Globex", "2024-04-01", 7])
    path = tmp_path / "c.xlsx"
    book.save(path)
    source = read_source(path, Mapping.from_dict({"table": "customers", "sheet": "Customers"}))
    assert source.data.to_pylist() == [
        {"customer_id": "1001", "name": "Acme", "created_date": "2024-03-31", "acquisition_cost": "1250.5"},
        {"customer_id": "C2", "name": "Globex", "created_date": "2024-04-01", "acquisition_cost": "7"},
    ]
    with pytest.raises(IngestError, match="no sheet 'Other'; the sheets are Customers"):
        read_source(path, Mapping.from_dict({"table": "customers", "sheet": "Other"}))


def test_corrupt_excel_is_a_clear_error(write):
    with pytest.raises(IngestError, match="not a readable Excel workbook"):
        read_source(write("c.xlsx", "this is not a zip"), Mapping.identity("customers"))


def test_parquet_typed_columns_become_text(tmp_path):
    path = tmp_path / "c.parquet"
    pq.write_table(pa.table({"customer_id": pa.array([7, 8]), "created_date": pa.array([dt.date(2024, 1, 2), None]),
                             "acquisition_cost": pa.array([1.5, 2.0])}), path)
    source = read_source(path, Mapping.identity("customers"))
    assert source.first_row == 1
    assert source.data.to_pylist() == [
        {"customer_id": "7", "created_date": "2024-01-02", "acquisition_cost": "1.5"},
        {"customer_id": "8", "created_date": None, "acquisition_cost": "2"},
    ]


def test_corrupt_parquet_is_a_clear_error(write):
    with pytest.raises(IngestError, match="not a readable Parquet file"):
        read_source(write("c.parquet", "PAR1 nope"), Mapping.identity("customers"))


def test_excel_duplicate_header_is_a_clear_error(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["customer_id", "name", "name"])
    book.active.append(["C1", "Acme", "Acme Ltd"])
    book.save(tmp_path / "c.xlsx")
    with pytest.raises(IngestError, match="names column 'name' twice"):
        read_source(tmp_path / "c.xlsx", Mapping.identity("customers"))


EXCEL_ERRORS = ["#REF!", "#DIV/0!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"]


def test_excel_error_cells_read_as_their_error_codes(tmp_path):
    """calamine reads an error cell as empty; the reader keeps its code, at its own row and column, whether
    the error is a formula's saved result (as Excel writes it) or a cell's value, on any sheet."""
    import xlsxwriter

    path = tmp_path / "errors.xlsx"
    book = xlsxwriter.Workbook(path)
    book.add_worksheet("Notes").write_row(0, 0, ["not", "this", "sheet"])
    sheet = book.add_worksheet("Products")
    sheet.write_row(0, 0, ["product_id", "name", "list_price"])
    formulas = ["=A99", "=1/0", "=NA()", '="a"+1', "=NOSUCH()", "=SQRT(-1)", "=A1:A2 B1:B2"]
    for row, (code, formula) in enumerate(zip(EXCEL_ERRORS, formulas), start=1):
        sheet.write_string(row, 0, f"P{row}")
        sheet.write_formula(row, 2 if row % 2 else 1, formula, None, code)
    book.close()
    source = read_source(path, Mapping.from_dict({"table": "products", "sheet": "Products"}))
    expected = [{"product_id": f"P{row}", "name": None if row % 2 else code, "list_price": code if row % 2 else None}
                for row, code in enumerate(EXCEL_ERRORS, start=1)]
    assert source.data.to_pylist() == expected


def test_excel_error_values_typed_into_cells_read_as_their_codes(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["product_id", "name", "category", "list_price"])
    book.active.append(["P1", "Bolt", "#N/A", "#DIV/0!"])
    book.active.append(["P2", "#REF!", None, 7])
    book.save(tmp_path / "p.xlsx")
    assert read_source(tmp_path / "p.xlsx", PRODUCTS).data.to_pylist() == [
        {"product_id": "P1", "name": "Bolt", "category": "#N/A", "list_price": "#DIV/0!"},
        {"product_id": "P2", "name": "#REF!", "category": None, "list_price": "7"},
    ]


def test_every_error_cell_of_a_large_sheet_is_read(tmp_path):
    """The sheet's XML is scanned in blocks of a megabyte: cells cut by a block's end are read too."""
    import xlsxwriter

    path = tmp_path / "large.xlsx"
    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["product_id", "name", "list_price"])
    rows = 30_000  # about 3 MB of sheet XML
    for row in range(1, rows + 1):
        sheet.write_string(row, 0, f"P{row}")
        sheet.write_formula(row, 1, f'=IF(A{row}="","",NOSUCHFUNCTION(A{row}))', None, "#NAME?")
        sheet.write_formula(row, 2, f"=B{row}/0", None, "#DIV/0!")
    book.close()
    data = read_source(path, PRODUCTS).data
    assert data.num_rows == rows
    assert set(data.column("name").to_pylist()) == {"#NAME?"}
    assert set(data.column("list_price").to_pylist()) == {"#DIV/0!"}


@pytest.mark.parametrize(("date_1904", "serial"), [(False, 45292), (True, 43830)])
def test_excel_numbers_in_a_date_column_are_read_as_the_days_they_count(tmp_path, date_1904, serial):
    """Excel stores a day as a count of days (45292 is 1 January 2024, 43830 in a workbook counting from
    1904); a number in a column that feeds a date is that day, and stays a number in any other column."""
    import xlsxwriter

    path = tmp_path / "customers.xlsx"
    book = xlsxwriter.Workbook(path, {"date_1904": date_1904})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["customer_id", "name", "Since", "acquisition_cost"])
    sheet.write_row(1, 0, ["C1", "Acme", serial, serial])
    sheet.write_row(2, 0, ["C2", "Globex", serial + 0.75, 7])
    sheet.write_row(3, 0, ["C3", "Initech", str(serial), 8])
    sheet.write_datetime(4, 2, dt.datetime(2024, 3, 31), book.add_format({"num_format": "dd/mm/yyyy"}))
    sheet.write_row(4, 0, ["C4", "Umbrella"])
    sheet.write_row(5, 0, ["C5", "Hooli", 12])  # in 1900's count, before the 29 February 1900 Excel counts
    book.close()
    mapping = Mapping.from_dict({"table": "customers", "columns": {"created_date": "Since"}})
    data = read_source(path, mapping).data
    early = "1904-01-13" if date_1904 else "12"  # left a number: the day it means is unclear
    assert data.column("Since").to_pylist() == ["2024-01-01", "2024-01-01 18:00:00", str(serial), "2024-03-31", early]
    assert data.column("acquisition_cost").to_pylist() == [str(serial), "7", "8", None, None]
