"""The Excel export through the route: the cells are the metrics layer's figures, in money and percent
formats; the View sheet says which view it is."""

from __future__ import annotations

import datetime as dt

import pytest

from marginscope.export.xlsx import MAX_SHEET_NAME, sheet_names
from marginscope.metrics import EVERYTHING, Filters
from tests.export.conftest import Q1, sheet_rows, workbook

Q1_NORTH = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), regions={"North"})


def test_the_cells_are_the_metrics_layers_figures(signed_in, small):
    book = workbook(signed_in("admin").get(f"/export/xlsx?page=/&{Q1}"))
    assert book.sheetnames == ["View", "Top customers", "Top products"]
    sheet = book["Top customers"]
    rows = sheet_rows(sheet)
    assert rows[0] == ["Customer", "Region", "Revenue", "Gross profit", "GM %"]
    top = small.sales.top_customers(10, Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31)), EVERYTHING)
    assert [r[0] for r in rows[1:]] == list(top.customer_name)
    for row, figures in zip(rows[1:], top.itertuples()):
        assert row[2] == pytest.approx(float(figures.revenue), abs=0.005)
        assert row[3] == pytest.approx(float(figures.gross_profit), abs=0.005)
        assert row[4] == pytest.approx(float(figures.gross_margin))
    # worked out by hand: Acme in Q1 2026 sold 95 + 200 + 18 and took back 9.5
    assert rows[1][:3] == ["Acme", "North", 303.5]
    assert sheet["C2"].number_format == "#,##0.00" and sheet["D2"].number_format == "#,##0.00"
    assert sheet["E2"].number_format == "0.0%" and rows[2][4] == 0.4  # Globex: 20 / 50, a fraction shown as 40.0%
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= len("Customer")


def test_the_view_sheet_lists_the_filters_the_data_version_and_the_user(signed_in, small):
    book = workbook(signed_in("admin").get(f"/export/xlsx?page=/&{Q1}&region=North"))
    view = {row[0]: row[1] for row in sheet_rows(book["View"]) if row[0]}
    assert view["Page"] == "Overview"
    assert view["Path"] == f"/?{Q1}&region=North"
    assert (view["From"], view["To"]) == (dt.datetime(2026, 1, 1), dt.datetime(2026, 3, 31))
    assert view["Region"] == "North"
    assert all(view[label] == "all" for label in ("Industry", "Rep", "Tier", "Customer type", "Product category",
                                                  "Product", "Customer"))
    assert view["Data version"] == small.data_version
    assert view["User"] == "admin"
    assert abs(view["Exported (UTC)"] - dt.datetime.now(dt.UTC).replace(tzinfo=None)) < dt.timedelta(
        minutes=5)
    assert book["View"]["B5"].number_format == "yyyy-mm-dd"
    north = small.sales.top_customers(10, Q1_NORTH, EVERYTHING)
    assert [r[0] for r in sheet_rows(book["Top customers"])[1:]] == list(north.customer_name) == ["Acme", "Initech"]


def test_without_dates_the_export_states_the_year_to_date_it_shows(signed_in, small):
    book = workbook(signed_in("admin").get("/export/xlsx?page=/"))
    view = {row[0]: row[1] for row in sheet_rows(book["View"]) if row[0]}
    _, last = small.catalog.data_span()
    assert (view["From"].date(), view["To"].date()) == (dt.date(last.year, 1, 1), last)


def test_dates_are_dates_and_counts_whole_numbers(signed_in):
    book = workbook(signed_in("admin").get(f"/export/xlsx?page=/customers&{Q1}"))
    sheet = book["By month"]
    header = sheet_rows(sheet)[0]
    month, buying = header.index("Month") + 1, header.index("Buying") + 1
    cell = sheet.cell(row=2, column=month)
    assert cell.value == dt.datetime(2026, 1, 1) and cell.number_format == "yyyy-mm-dd"
    count = sheet.cell(row=2, column=buying)
    assert isinstance(count.value, int) and count.number_format == "#,##0"


def test_sheet_names_are_valid_unique_and_short():
    titles = ["Customers with a negative contribution margin, and what drives it"] * 2 + ["Q1: [draft]?", "history"]
    names = sheet_names(titles)
    assert len({n.lower() for n in names}) == len(names)
    assert all(len(n) <= MAX_SHEET_NAME and not set(n) & set("[]:*?/\\") for n in names)
    assert names[1].endswith(" (2)") and names[3] == "history table"


def test_a_new_measure_is_one_declaration(signed_in, small):
    # discount_rate is declared once (metrics/semantic.py) and named in the profitability grid, nowhere else.
    # Q1 2026: Acme's gross sales 10*10 + 1*200 + 2*10 = 320 with 5 + 2 of discounts; Globex 50 with none;
    # Initech only a credit note (no gross sales: no rate). The company: 7 of 370.
    summary = small.sales.summary(Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31)), EVERYTHING)
    assert summary.discount_rate.iloc[0] == pytest.approx(7 / 370)
    book = workbook(signed_in("admin").get(f"/export/xlsx?page=/profitability&{Q1}"))
    sheet = book["Customer margins"]
    rows = sheet_rows(sheet)
    column = rows[0].index("Discount rate")
    by_customer = {row[0]: row[column] for row in rows[1:]}
    assert by_customer["Acme"] == pytest.approx(7 / 320) and by_customer["Globex"] == 0
    assert by_customer["Initech"] in (None, "")  # no gross sales: the rate is missing, never 0
    assert sheet.cell(row=2, column=column + 1).number_format == "0.0%"
