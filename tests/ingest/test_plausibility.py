"""What a load refuses although every cell holds its type: other currencies, implausible dates, net amounts
that are not quantity x price - discount, and numbers beyond exact decimals (issue 28, items 1, 3, 4, 7).

Each case reproduces a defect found by trying to break the loader; the figures are worked out by hand.
"""

import datetime as dt
from decimal import Decimal

import pytest

from marginscope.config import get_settings
from marginscope.ingest import Mapping, Policy, load_file
from marginscope.metrics.templates import _ends_a_month
from tests.conftest import INVOICE_HEADER, problems_of, rows_of

HEADER = INVOICE_HEADER + ",currency"


def line(number: int, *, day="2024-03-01", quantity="1", price="1000.00", discount="", net="1000.00",
         currency="EUR") -> str:
    return f"I{number},1,invoice,{day},C1,P1,R1,{quantity},{price},{discount},{net},600.00,{currency}"


def load(masters, write, *rows: str, policy=Policy.REJECT, header=HEADER, mapping=None):
    return load_file(masters, "invoice_lines", write("lines.csv", header + "\n" + "\n".join(rows) + "\n"),
                     mapping, policy=policy)


def revenue(warehouse) -> Decimal:
    return sum((row["net_amount"] for row in rows_of(warehouse, "invoice_lines")), Decimal(0))


@pytest.fixture
def reporting_in(monkeypatch):
    def set_currency(code: str) -> None:
        monkeypatch.setenv("MARGINSCOPE_CURRENCY", code)
        get_settings.cache_clear()

    yield set_currency
    get_settings.cache_clear()


# --- 1. currencies ----------------------------------------------------------------------------------------

def test_lines_in_other_or_unknown_currencies_are_refused_not_summed(masters, write):
    """Five lines of 1000 in EUR, USD, JPY, eur and XXXX loaded with exit 0 and revenue 5000.00."""
    result = load(masters, write, line(1), line(2, currency="USD"), line(3, currency="JPY"),
                  line(4, currency="eur"), line(5, currency="XXXX"))
    assert result.status == "rejected" and revenue(masters) == 0
    other = "but this warehouse reports in EUR and converts no currencies yet"
    reasons = problems_of(result)
    assert [(row, column) for row, column, _ in reasons] == [(3, "currency"), (4, "currency"), (5, "currency"),
                                                              (6, "currency")]
    assert reasons[0][2].startswith("in USD, " + other) and reasons[1][2].startswith("in JPY, " + other)
    assert reasons[2][2] == "not an ISO 4217 currency code (did you mean EUR?)"
    assert reasons[3][2] == "not an ISO 4217 currency code"


def test_under_quarantine_only_the_reporting_currency_is_summed(masters, write):
    result = load(masters, write, line(1), line(2, currency="USD"), line(3, currency=""), policy=Policy.QUARANTINE)
    assert (result.rows_loaded, result.rows_rejected) == (2, 1)
    assert revenue(masters) == Decimal("2000.00")  # the EUR line and the line without a currency


def test_the_reporting_currency_is_a_setting(masters, write, reporting_in):
    reporting_in("USD")
    result = load(masters, write, line(1, currency="USD"), line(2, currency="EUR"), policy=Policy.QUARANTINE)
    assert problems_of(result)[0][:2] == (3, "currency") and "reports in USD" in problems_of(result)[0][2]
    assert revenue(masters) == Decimal("1000.00")


@pytest.mark.parametrize(("net", "currency", "problem"), [
    ("200.00 USD", "EUR", "the amount is marked USD, but its line is in EUR"),
    ("USD 200.00", "", "the amount is marked USD, but its line is in EUR"),  # no currency: the reporting one
    ("£200.00", "EUR", "the amount is marked £, but its line is in EUR"),
    ("200.00 EUR", "EUR", None),
    ("€200.00", "", None),
])
def test_an_amount_marked_with_another_currency_than_its_line_is_an_error(masters, write, net, currency, problem):
    result = load(masters, write, line(1, price="200.00", net=net, currency=currency))
    if problem is None:
        assert result.ok and revenue(masters) == Decimal("200.00")
    else:
        assert problems_of(result) == [(2, "net_amount", problem)]


def test_three_letters_that_are_no_currency_are_not_stripped_from_a_number(masters, write):
    result = load(masters, write, line(1, price="ABC200", net="200.00"))
    assert ("unit_price", "not a number") in [(column, reason) for _, column, reason in problems_of(result)]


# --- 3. dates ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("day", ["2062-11-30", "9999-12-31"])
def test_an_invoice_dated_far_ahead_is_refused(masters, write, day):
    """One line dated 2062-11-30 loaded and took over the default range; 9999-12-31 crashed the summary."""
    result = load(masters, write, line(1), line(2, day=day))
    ((row, column, reason),) = problems_of(result)
    assert (row, column) == (3, "invoice_date") and "this has not happened yet" in reason


def test_the_horizon_is_a_setting_counted_from_today(masters, write, monkeypatch):
    monkeypatch.setenv("MARGINSCOPE_DATE_HORIZON_DAYS", "0")
    get_settings.cache_clear()
    try:
        today, tomorrow = dt.date.today(), dt.date.today() + dt.timedelta(days=1)
        result = load(masters, write, line(1, day=today.isoformat()), line(2, day=tomorrow.isoformat()))
    finally:
        get_settings.cache_clear()
    assert [(row, column) for row, column, _ in problems_of(result)] == [(3, "invoice_date")]
    assert f"after {today} (0 days from today)" in problems_of(result)[0][2]


@pytest.mark.parametrize(("day", "reason"), [
    ("2024-03-01 99:99", "not a date in the format YYYY-MM-DD"),
    ("2024-03-01 24:00", "not a date in the format YYYY-MM-DD"),
    ("1899-12-31", "before 1900-01-01: not a plausible date"),
])
def test_invalid_times_and_dates_before_1900_are_refused(masters, write, day, reason):
    assert problems_of(load(masters, write, line(1, day=day))) == [(2, "invoice_date", reason)]


def test_a_valid_time_of_day_is_read_as_its_date(masters, write):
    assert load(masters, write, line(1, day="2024-03-01 23:59:59")).ok
    assert rows_of(masters, "invoice_lines")[0]["invoice_date"] == dt.date(2024, 3, 1)


def test_a_planned_date_may_lie_ahead_within_ten_years(masters, write):
    """A due date is planned: the next year is fine, but not the year 9999."""
    header = HEADER + ",due_date"
    soon, typo = (dt.date.today() + dt.timedelta(days=400)).isoformat(), "9999-01-31"
    result = load(masters, write, line(1) + f",{soon}", line(2) + f",{typo}", header=header)
    ((row, column, reason),) = problems_of(result)
    assert (row, column) == (3, "due_date") and "years ahead, not a plausible date" in reason


def test_the_last_day_of_the_calendar_ends_a_month():
    assert _ends_a_month(dt.date(9999, 12, 31)) and not _ends_a_month(dt.date(9999, 12, 30))


# --- 4. net amounts ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("quantity", "price", "discount", "net", "expected"), [
    ("2", "100.00", "", "999999.00", "200.00"),  # the case found: 2 x 100 with a net of 999,999 loaded
    ("3", "9.99", "2.00", "27.00", "27.97"),
    ("1000", "1.23456", "", "1234.50", "1234.60"),  # the price is kept as 1.2346
])
def test_a_net_amount_that_is_not_quantity_times_price_less_discount_is_refused(masters, write, quantity, price,
                                                                                discount, net, expected):
    result = load(masters, write, line(1, quantity=quantity, price=price, discount=discount, net=net))
    assert problems_of(result) == [(2, "net_amount", f"not quantity x unit price - discount = {expected}")]


@pytest.mark.parametrize(("quantity", "price", "discount", "net"), [
    ("3", "9.99", "2.00", "27.97"),  # exact
    ("3", "9.99", "2.00", "27.96"),  # a cent off: within the default tolerance of 0.01
    ("1000", "1.23455", "", "1234.55"),  # price kept as 1.2346 (1234.60): within 1000 x 0.00005 + 0.01
    ("7", "0.3333", "", "2.33"),  # 2.3331 rounded to the cent
])
def test_net_amounts_within_rounding_load(masters, write, quantity, price, discount, net):
    assert load(masters, write, line(1, quantity=quantity, price=price, discount=discount, net=net)).ok


def test_a_credit_note_is_checked_on_its_magnitudes(masters, write):
    text = "CN1,1,credit_note,2024-03-05,C1,P1,R1,-2,10.00,-1.00,-19.00,-12.00,EUR"
    assert load(masters, write, text).ok
    assert problems_of(load(masters, write, text.replace("-19.00", "-25.00"))) == [
        (2, "net_amount", "not quantity x unit price - discount = 19.00")]


def test_the_tolerance_is_a_setting(masters, write, monkeypatch):
    monkeypatch.setenv("MARGINSCOPE_NET_AMOUNT_TOLERANCE", "5")
    get_settings.cache_clear()
    try:
        assert load(masters, write, line(1, quantity="2", price="100.00", net="204.99")).ok
    finally:
        get_settings.cache_clear()


# --- 7. exact decimals -------------------------------------------------------------------------------------

def test_a_large_amount_within_decimal_18_2_loads_exactly(masters, write):
    """1234567890123456.78 fits decimal(18,2) but lost its cents through a float."""
    big = "1234567890123456.78"
    result = load_file(masters, "customers", write("customers.csv", f"customer_id,name,acquisition_cost\nC9,x,{big}\n"))
    assert result.ok, problems_of(result)
    assert {r["customer_id"]: r["acquisition_cost"] for r in rows_of(masters, "customers")}["C9"] == Decimal(big)


def test_an_invoice_line_too_large_for_the_sales_queries_is_refused_at_its_row(masters, write):
    """The same amount on an invoice line ended in a traceback from the rollups (DuckDB multiplies
    quantity by price in 64-bit decimals); now the line is refused and every other line loads."""
    big = "1234567890123456.78"
    result = load(masters, write, line(1), line(2, quantity="100", price="12345678901234.5678", net=big),
                  line(3, quantity="1", price="9999999999.99", net="9999999999.99"), policy=Policy.QUARANTINE)
    too_large = "too large for one invoice line: must be below 10,000,000,000"
    assert problems_of(result) == [(3, "net_amount", too_large),
                                   (3, "unit_price", f"quantity x unit price is {too_large}")]
    assert revenue(masters) == Decimal("10000000999.99")


@pytest.mark.parametrize("value", ["1e308", "1E400", "12345678901234567.00", "9999999999999999.995"])
def test_a_number_beyond_the_column_is_a_problem_at_its_row_and_quarantined(masters, write, value):
    """1e308 failed the whole file with "overflow occurred during rounding", naming no row or column."""
    result = load(masters, write, line(1), line(2, price=value, net="1000.00"), policy=Policy.QUARANTINE)
    assert (result.rows_loaded, result.rows_rejected) == (1, 1)
    assert (3, "unit_price", "too large: at most 14 digits before the decimal point") in problems_of(result)
    assert masters.quarantine(result.load_id).row_number.tolist() == [3]


@pytest.mark.parametrize(("text", "stored"), [
    ("2.675", "2.68"), ("2.6749999999999999999", "2.67"), ("1.5e1", "15.00"),
    ("0.005", "0.01"), ("12345678901234.565", "12345678901234.57"),
])
def test_amounts_are_rounded_half_away_from_zero_from_their_digits(masters, write, text, stored):
    """Through a float, 2.675 was 2.67499999... and rounded to 2.67; an invoice rounds it to 2.68."""
    mapping = Mapping.from_dict({"table": "customers"})
    path = write("customers.csv", f"customer_id,name,acquisition_cost\nC9,x,{text}\n")
    result = load_file(masters, "customers", path, mapping)
    assert result.ok, problems_of(result)
    cost = {row["customer_id"]: row["acquisition_cost"] for row in rows_of(masters, "customers")}
    assert cost["C9"] == Decimal(stored)
