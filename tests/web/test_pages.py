"""Pages rendered on the server, without a browser: every page on a company that holds
only the required tables says what to load instead of failing."""

from __future__ import annotations

import datetime as dt
import gc
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marginscope import url_state
from marginscope.metrics import Filters, templates
from marginscope.server import create_app
from marginscope.web.app import drill
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


@pytest.mark.parametrize("path", MENU)
@pytest.mark.parametrize("search", ["?start=9999-01-01&end=9999-12-31", "?start=0001-01-01&end=0001-12-31"])
def test_every_page_renders_at_the_ends_of_the_calendar(minimal_app, path, search):
    """A URL may hold any date: 9999-12-31 made the sales summary raise OverflowError (issue 28, item 3)."""
    shown = text_of(minimal_app.render_page(path, search))
    assert "could not be drawn" not in shown
    assert "dates run from 1900-01-01 to 2199-12-31" in str(url_state.parse(search).notices)


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
    eager = []
    app.warm_up.render = lambda path, search, user, scope: (
        rendered.append((path, search, scope.customers)), eager.append(getattr(templates._eager, "on", False)))
    gc.unfreeze()  # as in a process that has not warmed up a server before
    app.warm_up.start()
    assert app.warm_up.done.wait(60)
    assert rendered[:len(MENU)] == [(path, "", None) for path in MENU]
    assert all(eager) and len(eager) == len(rendered)  # templates at first sight: users will ask again
    # then the overview with one value of each filter the data has: conftest's first region, tier, ...
    assert ("/", "?region=North", None) in rendered and ("/", "?tier=Bronze", None) in rendered
    assert ("/", "?customer=C1", None) in rendered and ("/", "?category=Hardware", None) in rendered
    # and over the whole months of the year to date (conftest's last line is of 5 March 2026), as ranges of
    # whole months compile templates of their own
    assert ("/", "?start=2026-01-01&end=2026-02-28", None) in rendered
    assert ("/", "?start=2026-01-01&end=2026-02-28&region=North", None) in rendered
    # and every page as a user with a scope, which compiles queries of a shape of their own
    assert rendered[-len(MENU):] == [(path, "", frozenset({"C1"})) for path in MENU]
    # then the objects of starting up are kept out of full garbage collections (a pause in a user's page)
    assert gc.get_freeze_count() > 0


def test_the_portrait_path_carries_the_customer_id():
    page, args = resolve("/customer/C%2F1", all_pages())
    assert page.title == "Customer" and args == {"customer_id": "C/1"}


def test_drill_through_keeps_the_filters():
    assert drill("product", "P1", "?start=2026-01-01&end=2026-01-31") == (
        "/products", "?start=2026-01-01&end=2026-01-31&product=P1")
    assert drill("customer", "C/1", "?tier=Gold") == ("/customer/C%2F1", "?tier=Gold")


# No NUL: filters refuse it (SQL text cannot hold one), and the URL drops it with a notice (tested below).
values = st.frozensets(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00"),
                               min_size=1, max_size=8), max_size=3)
days = st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31))


@given(start=days, length=st.integers(0, 800), regions=values, reps=values, customers=values, categories=values)
def test_every_view_survives_the_trip_through_its_url(start, length, regions, reps, customers, categories):
    filters = Filters(start=start, end=start + dt.timedelta(days=length), regions=regions, reps=reps,
                      customers=customers, categories=categories)
    state = url_state.parse(url_state.to_search(filters))
    assert state.filters == filters and state.notices == []


def test_a_value_holding_a_nul_is_dropped_with_a_notice():
    state = url_state.parse("?region=North&region=So%00uth")
    assert state.filters.regions == {"North"}
    assert state.notices == ["ignored region='So\\x00uth': it holds a NUL character"]


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


def figures_of(component) -> list:
    """Every chart's figure in a rendered page."""
    found = [component.figure] if getattr(component, "figure", None) is not None else []
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found += figures_of(child)
    return found


@pytest.mark.parametrize("path", MENU)
def test_every_figure_is_one_plotly_accepts(company, path):
    """Figures are plain JSON, some traces too (see ``charts.Figure``): Plotly's own validation must
    accept them, or Plotly.js would silently ignore a misspelt setting."""
    import plotly.graph_objects as go

    from tests.metrics import test_insights as rich

    metrics = company(reps=rich.REPS, customers=rich.CUSTOMERS, products=rich.PRODUCTS, invoice_lines=rich.LINES,
                      costs_to_serve=rich.COSTS, opportunities=rich.OPPORTUNITIES, budgets=rich.BUDGETS)
    figures = figures_of(create_app(metrics).render_page(path, "?start=2026-01-01&end=2026-03-31"))
    for figure in figures:
        go.Figure(figure)  # raises on a setting Plotly does not know
    if path == "/":
        assert len(figures) == 3  # two trends and the regions


COUNTED = ("customers", "deals", "opportunities", "units", "days", "promoters", "passives", "detractors")
NUMBER = re.compile(r"(.)%\{[^}:]+:,\.0f\}")


@pytest.mark.parametrize("path", [*MENU, "/customer/C1", "/forecast/region/revenue"])
def test_every_tooltip_is_formatted_with_the_currency(company, path):
    """Raw Plotly tooltips read "(May, 1.34767M) 2024" (issue 26, item 7): every point's tooltip is a
    template, and an amount of money in it carries the company's currency."""
    from tests.metrics import test_insights as rich

    metrics = company(reps=rich.REPS, customers=rich.CUSTOMERS, products=rich.PRODUCTS, invoice_lines=rich.LINES,
                      costs_to_serve=rich.COSTS, opportunities=rich.OPPORTUNITIES, budgets=rich.BUDGETS)
    figures = figures_of(create_app(metrics, currency="USD").render_page(path, "?start=2026-01-01&end=2026-03-31"))
    traces = [trace for figure in figures for trace in figure["data"] if trace.get("type") != "sankey"]
    assert traces or path in ("/insights", "/alerts", "/data", "/campaigns")
    for trace in traces:
        template = trace.get("hovertemplate")
        assert template or trace.get("hoverinfo") == "skip", (path, trace.get("name"))
        if template:
            assert "€" not in template
            for before in NUMBER.findall(template):
                assert before == "$" or any(noun in template for noun in COUNTED), (path, template)


@pytest.fixture
def churn_app(company):
    """The app over the hand-worked churn company of tests/metrics/churn_company.py, and its metrics."""
    from tests.metrics.churn_company import company_tables

    metrics = company(**company_tables())
    return create_app(metrics), metrics


FIRST_HALF = "?start=2026-01-01&end=2026-06-30"


def grid_rows(component, name: str) -> list[dict]:
    """The rows of the grid called ``name`` in a rendered page."""
    def walk(node):
        if isinstance(node, dict):
            props = node.get("props", {})
            if isinstance(props.get("id"), dict) and props["id"].get("type") == "grid" and props["id"]["name"] == name:
                return props["rowData"]
            children = list(node.values())
        elif isinstance(node, list | tuple):
            children = node
        elif hasattr(node, "to_plotly_json"):
            children = [node.to_plotly_json()]
        else:
            return None
        return next((found for child in children if (found := walk(child)) is not None), None)

    found = walk(component)
    assert found is not None, f"no grid {name} on the page"
    return found


def test_the_customers_page_lists_the_customers_at_risk_with_the_validation(churn_app):
    from marginscope import formats as fmt

    churn_app, metrics = churn_app
    f = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
    shown = text_of(churn_app.render_page("/customers", FIRST_HALF))
    at_risk, validation = metrics.churn.at_risk(f), metrics.churn.validation(f)
    assert "At risk of churning (as of 30 Jun 2026)" in shown
    rows = grid_rows(churn_app.render_page("/customers", FIRST_HALF), "at-risk")
    assert [row["customer_name"] for row in rows] == [f"Customer {c}" for c in at_risk.customer_id]
    assert [row["churn_probability"] for row in rows] == list(at_risk.churn_probability)
    assert len(rows) > 0 and not any(row["customer_name"].startswith("Customer S") for row in rows)  # steady
    assert f"'{fmt.decimal_number(validation.auc, 2)}'" in shown  # the AUC card
    assert "'0-10%'" in shown or "'90-100%'" in shown  # the calibration table's bins
    assert "Validation: fitted on 05 Jul 2025, tested on the next 180 days after 01 Jan 2026" in shown


def test_without_enough_history_the_customers_page_says_why_there_is_no_churn_risk(minimal_app):
    shown = text_of(minimal_app.render_page("/customers", "?start=2026-01-01&end=2026-03-31"))
    assert "No churn risk for this selection: only 1 customer active on 05 Apr 2025" in shown


def test_the_portrait_shows_churn_risk_and_lifetime_value(churn_app):
    from marginscope import formats as fmt

    churn_app, metrics = churn_app
    f = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
    risk = metrics.churn.risk(f).set_index("customer_id")
    value = metrics.clv.customers(f).set_index("customer_id").loc["S8"]
    shown = text_of(churn_app.render_page("/customer/S8", FIRST_HALF))
    assert f"'{fmt.percent(risk.loc['S8', 'churn_probability'])}'" in shown
    assert f"'{fmt.money(value.clv, 'EUR')}'" in shown and f"'{value.clv_to_cac:,.1f}×'" in shown
    # D1 bought last on 20 Jun 2025: not active, so no churn risk, and the portrait says why.
    assert "not an active customer: no purchase in the 365 days to 30 Jun 2026" in text_of(
        churn_app.render_page("/customer/D1", FIRST_HALF))


def test_the_segments_page_shows_lifetime_value_per_segment(churn_app):
    from marginscope import formats as fmt

    churn_app, metrics = churn_app
    f = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
    shown = text_of(churn_app.render_page("/segments", FIRST_HALF))
    by_segment = metrics.clv.by_segment(f)
    assert "Lifetime value by segment" in shown and len(by_segment) > 0
    assert all(f"'{segment}'" in shown for segment in by_segment.segment)
    assert "discounted at 10% a year" in shown and fmt.count(by_segment.customers.sum()) == str(
        len(metrics.rfm.scores(f)))


def test_without_enough_customers_the_segments_page_says_why_there_is_no_lifetime_value(minimal_app):
    too_few = text_of(minimal_app.render_page("/segments", "?start=2026-01-01&end=2026-03-31"))
    assert "No lifetime value for this selection: only 2 customers bought in this selection" in too_few


def test_a_rep_and_a_manager_see_their_own_budget(company):
    """Issue 26 item 2: reps and managers saw no budget, told to remove filters they never set. With a budget
    by rep each sees their reps' cells (the figures of tests/metrics/test_budget.py: Ann 300 budget, 303.50
    actual in January and February); without one the page says why there is none."""
    from marginscope.auth import Role, User, scope_for
    from tests.metrics.conftest import COSTS, REPS
    from tests.metrics.test_budget import BY_REP, OWNED

    metrics = company(reps=REPS, customers=OWNED, products=PRODUCTS, invoice_lines=LINES, costs_to_serve=COSTS,
                      budgets=BY_REP)
    app = create_app(metrics)
    ann = User("ann", Role.REP, rep_id="R1")
    shown = text_of(app.render_page("/budget", "?start=2026-01-01&end=2026-02-28", ann, scope_for(ann, metrics)))
    assert "The budget of Ann (R1), against the lines on the customers you see" in shown
    assert "€300" in shown and "€304" in shown  # budget to date, and 303.50 actual
    lead = User("lead", Role.MANAGER, manager="Lena")
    team = metrics.budget.basis(Filters(), scope_for(lead, metrics))
    assert not team.comparable and "None of the customers you see has an owner rep" in team.reason


def test_without_a_budget_by_rep_a_rep_is_told_why(company):
    from marginscope.auth import Role, User, scope_for
    from tests.metrics.conftest import REPS
    from tests.metrics.test_budget import BUDGETS, OWNED

    metrics = company(reps=REPS, customers=OWNED, products=PRODUCTS, invoice_lines=LINES, budgets=BUDGETS)
    ann = User("ann", Role.REP, rep_id="R1")
    shown = text_of(create_app(metrics).render_page("/budget", "", ann, scope_for(ann, metrics)))
    assert "The budget is written by region, not by rep" in shown
    assert "Remove the" not in shown and "remove the" not in shown


def test_reps_and_products_are_named_not_numbered(company):
    """Issue 26 item 5: the portrait showed "SP008" for its reps and owner and a return's product as "P0033", and
    retention by owner rep listed ids. Ann (R1) owns Acme (C1) and sold it every line; its return CN1 is a Bolt."""
    from marginscope.export.tables import tables
    from tests.metrics.test_budget import OWNED

    app = create_app(company(reps="rep_id,name\nR1,Ann\nR2,Bob\n", customers=OWNED, products=PRODUCTS,
                             invoice_lines=LINES))
    portrait = app.render_page("/customer/C1", "?start=2026-01-01&end=2026-03-31")
    found = {table.name: table for table in tables(portrait)}
    assert "Ann (R1)" in text_of(portrait)  # the owner among the facts
    reps = found["portrait-reps"]
    assert [row[[c.field for c in reps.columns].index("rep_name")] for row in reps.rows] == ["Ann"]
    returns = found["portrait-returns"]
    assert [row[[c.field for c in returns.columns].index("product_name")] for row in returns.rows] == ["Bolt"]
    # February against the 28 days before: Acme bought on 10 January and again in February.
    customers = {table.name: table for table in tables(app.render_page("/customers", "?start=2026-02-01&end=2026-"
                                                                                      "02-28"))}
    assert [row[:3] for row in customers["retention-owner_rep_id"].rows] == [["Ann", 1, 1]]


def test_a_low_activity_customers_portrait_reads_plainly(company):
    """Issue 26 item 3. Initech's only line in the first quarter is a return of 200.00 (cost 40.00) on 5 March:
    its gross margin "80%" (-160 / -200) read as healthy, its trend of one month had a time axis in
    milliseconds, and amounts below 1,000 had SI ticks ("500m")."""
    from tests.components import find
    from tests.metrics.test_budget import OWNED

    app = create_app(company(reps="rep_id,name\nR1,Ann\nR2,Bob\n", customers=OWNED, products=PRODUCTS,
                             invoice_lines=LINES))
    page = app.render_page("/customer/C3", "?start=2026-01-01&end=2026-03-31")
    shown = text_of(page)
    assert "no margin: returns exceed sales" in shown and "80.0% margin" not in shown
    trend = find(page, {"type": "chart", "name": "portrait-trend", "clicks": ""}).figure
    assert trend["layout"]["xaxis"]["range"] == ["2026-02-14", "2026-03-16"]  # the month around 1 March
    assert trend["layout"]["yaxis"]["tickformat"] == ",.0f"  # -200 and -160: plain amounts


def test_an_empty_selection_says_there_is_nothing_to_show_instead_of_blank_axes(minimal_app):
    """Issue 26 item 10: a selection without sales drew every chart as empty axes."""
    from marginscope.export.tables import walk
    from marginscope.web.components.notices import NOTHING_TO_SHOW

    def said(search: str) -> list[str]:
        return [c.id for c in walk(minimal_app.render_page("/", search))
                if getattr(c, "children", None) == NOTHING_TO_SHOW]

    assert {"empty-trend-revenue", "empty-trend-gross_profit", "empty-by-region"} <= set(said("?start=2030-01-01&end=2030-01-31"))
    assert said("?start=2026-01-01&end=2026-03-31") == []


def test_a_rep_alone_on_a_chart_gets_axes_from_zero_not_the_digits_of_one_value(company):
    """Issue 26, item 10: a rep's quadrant chart spread its axes over one point (33.915k to 33.917k; a CVR
    axis to 150%). Ann's deals: D1 and D2 won at 1,000 each, D3 lost: CVR 2/3, average sale 1,000, which are
    also the values over the customers she sees (the dashed lines). The axes run from 0 to 100% (plus
    room) and from 0 to 1,250 (a quarter above)."""
    from marginscope.auth import Role, User
    from marginscope.metrics import Scope
    from tests.metrics import test_insights as rich

    metrics = company(reps=rich.REPS, customers=rich.CUSTOMERS, products=rich.PRODUCTS, invoice_lines=rich.LINES,
                      opportunities=rich.OPPORTUNITIES)
    ann = User("ann", Role.REP, rep_id="R1")
    page = create_app(metrics).render_page("/team", "?start=2026-01-01&end=2026-03-31", ann,
                                           Scope({"C1", "C3", "C5"}))
    (chart,) = figures_of(page)
    assert [trace["x"] for trace in chart["data"]] == [pytest.approx([2 / 3])]
    assert chart["layout"]["xaxis"]["range"] == [0, 1.05]
    assert chart["layout"]["yaxis"]["range"] == pytest.approx([0, 1250])
    assert "over the customers you see" in text_of(page)
