"""Who sees what, in a real browser against `marginscope serve`: a rep's dashboard, saved views
and sign-in, with users added through the project's own CLI."""

from __future__ import annotations

import secrets
import shutil
import subprocess

import pytest

from marginscope.metrics import Scope
from tests.live_server import BIN, Page, sign_in

pytestmark = pytest.mark.browser


def add_user(app_db, warehouse, username: str, role: str, *options: str) -> str:
    """Add a user through the CLI, which checks a rep's id against ``warehouse`` (a copy of the demo's:
    the server holds the original's lock)."""
    password = secrets.token_urlsafe(16)
    subprocess.run([BIN / "marginscope", "users", "add", username, "--role", role, *options, "--password-stdin",
                    "--app-db", str(app_db), "--warehouse", f"duckdb://{warehouse}"],
                   input=password + "\n", text=True, check=True, capture_output=True)
    return password


@pytest.fixture(scope="module")
def warehouse_copy(demo_warehouse, tmp_path_factory):
    copy = tmp_path_factory.mktemp("users-warehouse") / "demo.duckdb"
    shutil.copy(demo_warehouse, copy)
    return copy


@pytest.fixture(scope="module")
def rep(expected, app_db, warehouse_copy, server, browser):
    """The rep owning the most customers, signed in: (rep_id, their customers, browser state)."""
    owners = expected.warehouse.table("customers").owner_rep_id.value_counts().execute()
    rep_id = owners.sort_values(["owner_rep_id_count", "owner_rep_id"], ascending=[False, True]).owner_rep_id.iloc[0]
    customers = expected.catalog.owned_customers(reps=[rep_id])
    password = add_user(app_db, warehouse_copy, f"rep-{rep_id}", "rep", "--rep-id", rep_id)
    return rep_id, customers, sign_in(browser, server, f"rep-{rep_id}", password)


@pytest.fixture
def rep_page(browser, server, rep):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, storage_state=rep[2])
    yield Page(context.new_page(), server)
    context.close()


def test_a_rep_sees_their_customers_figures_only(rep_page, rep, expected):
    from marginscope import formats as fmt
    from tests.web.test_browser import filters_for

    _, customers, _ = rep
    rep_page.open("/")
    mine = expected.sales.summary(filters_for(expected, ""), Scope(customers)).iloc[0]
    assert rep_page.text("#kpi-revenue") == fmt.money(mine.revenue, "EUR")
    everyone = expected.sales.summary(filters_for(expected, "")).iloc[0]
    assert mine.revenue < everyone.revenue  # the scope made a difference
    assert rep_page.errors == []


def test_a_rep_cannot_open_another_reps_customer(rep_page, rep, expected):
    customers = rep[1]  # noqa: F841  # read by the query string below (@customers)
    other = expected.catalog.find_customers("", limit=500).query("customer_id not in @customers").iloc[0]
    rep_page.open(f"/customer/{other.customer_id}")
    assert "outside what you may see" in rep_page.text("#page")
    assert other["name"] not in rep_page.text("#page")
    rep_page.open(f"/?customer={other.customer_id}")
    # The link's customer stays selected, so the page shows nothing rather than everything, and the bar
    # names it by its id only: the rep never learns whose it is.
    assert other["name"] not in rep_page.tab.inner_text("body")
    assert rep_page.text("#page").count("€0") >= 3  # revenue, gross profit, contribution: nothing
    assert f"{other.customer_id} (not in the data)" in rep_page.tab.inner_text("#filter-bar")
    rep_page.tab.click("#f-customer")
    rep_page.tab.keyboard.type(other["name"][:6])
    rep_page.tab.wait_for_timeout(1500)  # the search answers as you type
    assert other["name"] not in rep_page.tab.inner_text("body")  # not offered, not shown anywhere


def test_the_data_page_is_not_in_a_reps_menu(rep_page):
    rep_page.open("/data")
    assert "needs the admin or analyst role" in rep_page.text("#page")
    assert not rep_page.tab.locator("nav a", has_text="Data").is_visible()


def save_shared_view(page: Page, path: str, name: str) -> None:
    """Open ``path`` and save it through the Views panel as ``name``, shared with everyone."""
    page.open(path)
    page.tab.click("#views-toggle")
    page.tab.fill("#views-name", name)
    page.tab.check("#views-shared input")
    page.tab.click("#views-save")
    page.tab.wait_for_selector(f"text=Saved “{name}”")


def test_a_saved_view_opens_again_and_is_shared_through_the_openers_scope(page, rep_page, rep):
    save_shared_view(page, "/team?tier=Gold", "Gold team")
    page.open("/")
    page.tab.click("#views-toggle")
    page.tab.click("#views-pick")
    page.tab.locator(".ms-views-panel", has_text="Gold team").get_by_text("Gold team").last.click()
    page.tab.click("#views-open")
    page.wait_for_view("/team?tier=Gold")
    # the rep sees the shared view, drawn with their own scope
    rep_page.open("/")
    rep_page.tab.click("#views-toggle")
    rep_page.tab.click("#views-pick")
    rep_page.tab.get_by_text("Gold team (shared by admin)").click()
    rep_page.tab.click("#views-open")
    rep_page.wait_for_view("/team?tier=Gold")
    assert page.errors == [] and rep_page.errors == []


def test_a_default_view_is_where_a_user_lands_and_can_be_removed(browser, server, app_db, warehouse_copy, rep_page):
    """The default view opens on arrival (the bare /), but the logo still reaches the Overview, "No default"
    removes it, and the ★ is the owner's alone: the rep who opens the shared view sees none."""
    password = add_user(app_db, warehouse_copy, "ana-default", "analyst")
    context = browser.new_context(viewport={"width": 1366, "height": 768},
                                  storage_state=sign_in(browser, server, "ana-default", password))
    ana = Page(context.new_page(), server)
    save_shared_view(ana, "/products?tier=Gold", "Gold products")
    ana.tab.click("#views-pick")
    ana.tab.get_by_text("Gold products · shared", exact=True).click()
    ana.tab.click("#views-default")
    ana.tab.wait_for_selector("text=This view now opens when you come to marginscope.")

    ana.tab.goto(server + "/")
    ana.wait_for_view("/products?tier=Gold")  # arriving lands on the default view
    ana.tab.click(".ms-brand")
    ana.wait_for_view("/")  # the logo is the Overview, as its menu entry is
    assert ana.tab.url == server + "/"
    ana.tab.click("#views-toggle")
    ana.tab.click("#views-pick")
    assert ana.tab.locator(".ms-views-panel").get_by_text("Gold products · shared ★ default").is_visible()

    rep_page.open("/")
    rep_page.tab.click("#views-toggle")
    rep_page.tab.click("#views-pick")
    assert rep_page.tab.get_by_text("Gold products (shared by ana-default)", exact=True).is_visible()

    ana.tab.keyboard.press("Escape")
    ana.tab.click("#views-no-default")
    ana.tab.wait_for_selector("text=No view opens by itself now: marginscope opens on the Overview.")
    ana.tab.goto(server + "/")
    ana.wait_for_view("/")
    assert ana.errors == [] and rep_page.errors == []
    context.close()


def test_a_wrong_password_keeps_the_user_out(browser, server):
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(server + "/pipeline")
    assert "/login" in tab.url
    tab.fill("#username", "admin")
    tab.fill("#password", "not the password")
    tab.click("button[type=submit]")
    assert "Wrong user name or password" in tab.inner_text(".error")
    context.close()
