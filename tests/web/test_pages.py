"""Pages rendered on the server, without a browser: every page on a company that holds
only the required tables says what to load instead of failing."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marginscope.metrics import Filters
from marginscope.web import state as url_state
from marginscope.web.app import create_app, drill
from marginscope.web.pages import all_pages, resolve
from tests.metrics.conftest import CUSTOMERS, LINES, PRODUCTS

MENU = [page.path for page in all_pages() if page.in_menu]


@pytest.fixture
def minimal_app(company):
    """A company with only the required tables: customers, products and invoice lines."""
    return create_app(company(customers=CUSTOMERS, products=PRODUCTS, invoice_lines=LINES))


def text_of(component) -> str:
    return str(component.to_plotly_json())


@pytest.mark.parametrize("path", MENU)
def test_every_page_renders_on_the_required_tables_alone(minimal_app, path):
    shown = text_of(minimal_app.render_page(path, "?start=2026-01-01&end=2026-03-31"))
    assert "could not be drawn" not in shown


@pytest.mark.parametrize("path, table", [("/budget", "budgets"), ("/pipeline", "opportunities"),
                                         ("/team", "reps"), ("/profitability", "costs_to_serve")])
def test_pages_say_which_optional_table_to_load(minimal_app, path, table):
    shown = text_of(minimal_app.render_page(path, ""))
    assert f"marginscope load {table} FILE" in shown


def test_the_data_page_lists_quarantined_rows(company, tmp_path):
    from marginscope.ingest import Policy, load_file

    metrics = company(customers=CUSTOMERS, products=PRODUCTS)
    bad = tmp_path / "lines.csv"
    bad.write_text(LINES + "I9,1,invoice,not a date,,C1,P1,R1,1,10.00,0,10.00,5.00\n")
    assert load_file(metrics.warehouse, "invoice_lines", bad, policy=Policy.QUARANTINE).rows_rejected == 1
    shown = text_of(create_app(metrics).render_page("/data", ""))
    assert "not a date" in shown and "Quarantined rows" in shown
    # No reps were loaded, so every line's rep is unknown: the check's rows are shown beneath it.
    assert "Rows behind: invoice lines without their rep" in shown


def test_the_page_shell_never_waits_for_the_connection(company):
    """The shell is built on the server's event loop: a long query elsewhere must not hold it up."""
    import threading

    metrics = company(customers=CUSTOMERS, products=PRODUCTS, invoice_lines=LINES)
    app = create_app(metrics)
    taken, release = threading.Event(), threading.Event()

    def long_query():
        with metrics.lock:
            taken.set()
            release.wait(30)

    threading.Thread(target=long_query, daemon=True).start()
    taken.wait(5)
    shell = []
    builder = threading.Thread(target=lambda: shell.append(app.layout()), daemon=True)
    builder.start()
    builder.join(5)
    release.set()
    assert shell, "building the page shell waited for the database connection"


def test_a_first_visit_to_a_deep_link_gets_the_styles(company, tmp_path):
    import threading
    import time
    import urllib.request

    import uvicorn

    from marginscope.auth import Auth, Role
    from tests.live_server import free_port

    auth = Auth(tmp_path / "app.sqlite3")
    auth.users.add("ana", "a long enough password", Role.ANALYST)
    session, _ = auth.sessions.create("ana", hours=1)
    app = create_app(company(customers=CUSTOMERS, products=PRODUCTS, invoice_lines=LINES), auth)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app.server, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/customer/C1",
                                         headers={"Cookie": f"ms_session={session}"})
        page = urllib.request.urlopen(request, timeout=10).read().decode()
    finally:
        server.should_exit = True
        thread.join(10)
    # the first request this server saw: its page must link the styles and grid formats
    assert "/assets/marginscope.css" in page and "/assets/dashAgGridFunctions.js" in page


def test_an_empty_warehouse_asks_for_invoice_lines(company):
    app = create_app(company())
    assert "marginscope load invoice_lines FILE" in text_of(app.render_page("/", ""))


def test_a_customer_outside_the_data_is_reported(minimal_app):
    shown = text_of(minimal_app.render_page("/customer/NOBODY", ""))
    assert "No customer NOBODY here" in shown


def test_an_unknown_path_is_reported(minimal_app):
    assert "There is no page at /nowhere" in text_of(minimal_app.render_page("/nowhere", ""))


def test_warming_up_renders_the_common_views(company):
    metrics = company(customers=CUSTOMERS, products=PRODUCTS, invoice_lines=LINES)
    app = create_app(metrics)
    rendered = []
    app.warm_up.render = lambda path, search, user, scope: rendered.append((path, search, scope.customers))
    app.warm_up.start()
    assert app.warm_up.done.wait(60)
    assert rendered[:len(MENU)] == [(path, "", None) for path in MENU]
    # then the overview with one value of each filter the data has: conftest's first region, tier, ...
    assert ("/", "?region=North", None) in rendered and ("/", "?tier=Bronze", None) in rendered
    assert ("/", "?customer=C1", None) in rendered and ("/", "?category=Hardware", None) in rendered
    # and every page as a user with a scope, which compiles queries of a shape of their own
    assert rendered[-len(MENU):] == [(path, "", frozenset({"C1"})) for path in MENU]


def test_the_portrait_path_carries_the_customer_id():
    page, args = resolve("/customer/C%2F1", all_pages())
    assert page.title == "Customer" and args == {"customer_id": "C/1"}


def test_drill_through_keeps_the_filters():
    assert drill("product", "P1", "?start=2026-01-01&end=2026-01-31") == (
        "/products", "?start=2026-01-01&end=2026-01-31&product=P1")
    assert drill("customer", "C/1", "?tier=Gold") == ("/customer/C%2F1", "?tier=Gold")


values = st.frozensets(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=8),
                       max_size=3)
days = st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31))


@given(start=days, length=st.integers(0, 800), regions=values, reps=values, customers=values, categories=values)
def test_every_view_survives_the_trip_through_its_url(start, length, regions, reps, customers, categories):
    filters = Filters(start=start, end=start + dt.timedelta(days=length), regions=regions, reps=reps,
                      customers=customers, categories=categories)
    state = url_state.parse(url_state.to_search(filters))
    assert state.filters == filters and state.notices == []


def test_a_range_that_ends_before_it_starts_is_dropped_with_a_notice():
    state = url_state.parse("?start=2026-03-01&end=2026-02-01&region=North")
    assert state.filters.start is None and state.filters.regions == {"North"}
    assert state.notices == ["ignored the date range 2026-03-01 to 2026-02-01: it ends before it starts"]


def test_the_insights_page_shows_each_finding_with_its_evidence_and_customers(tmp_path):
    """The rich company of the insights tests: C4 and C5 lose money (a critical finding, 2 of 6 customers)."""
    from marginscope.auth import Role, User
    from marginscope.metrics import Scope
    from tests.conftest import open_with
    from tests.metrics import test_insights as rich

    metrics = open_with(tmp_path, dict(reps=rich.REPS, customers=rich.CUSTOMERS, products=rich.PRODUCTS,
                                       invoice_lines=rich.LINES, costs_to_serve=rich.COSTS,
                                       opportunities=rich.OPPORTUNITIES, budgets=rich.BUDGETS))
    try:
        app = create_app(metrics)
        search = "?start=2026-01-01&end=2026-03-31"
        page = app.render_page("/insights", search)
        shown = text_of(page)
        found = metrics.insights.findings(rich.Q1)
        for finding in found:
            assert finding.text in shown and finding.url(search) in shown
        assert "Critical (2)" in shown  # the losers (33% of customers) and the budget (72.5%)
        assert "2 customers (33.3% of customers) have a negative contribution margin" in shown
        assert f"/customer/C4{search}" in shown and f"/customer/C5{search}" in shown
        # Ann (R1) sees her customers only: C5 loses money, C4 (Bob's) is not named.
        ann = User("ann", Role.REP, rep_id="R1")
        theirs = text_of(app.render_page("/insights", search, ann, Scope({"C1", "C3", "C5"})))
        assert f"/customer/C5{search}" in theirs and "/customer/C4" not in theirs and "Umbrella" not in theirs
    finally:
        metrics.close()
