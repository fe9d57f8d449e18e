"""The server's scheduler: a refresh file's sources reload on their schedule, the alert rules run
after the refresh, and the Alerts page shows the alert and makes new rules. A server of its own,
on a copy of the demo company, since it changes the data."""

from __future__ import annotations

import datetime as dt
import shutil

import httpx2
import pytest

from marginscope.alerts import AlertStore, Channels
from marginscope.auth import Auth, Role
from marginscope.metrics import Filters
from tests.conftest import INVOICE_HEADER
from tests.live_server import ADMIN, Page, serving, sign_in

pytestmark = pytest.mark.browser
WITHIN = 40.0  # seconds: the refresh runs when the server starts, then every 3 s


def a_customer_owing_nothing_overdue(expected) -> tuple[str, str]:
    span = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
    late = set(expected.receivables.open_invoices(Filters(end=dt.date(2026, 6, 30))).query(
        "days_past_due > 30").customer_id)
    buyers = expected.sales.by("customer_id", span)
    customer = next(c for c in buyers.customer_id if c not in late)
    return customer, expected.sales.top_products(1, span).iloc[0].product_id


def test_a_scheduled_refresh_loads_new_files_and_fires_the_alerts(browser, demo_warehouse, expected, tmp_path):
    database, app_db = tmp_path / "scheduled.duckdb", tmp_path / "app.sqlite3"
    shutil.copy(demo_warehouse, database)
    customer, product = a_customer_owing_nothing_overdue(expected)
    # Invoiced on 1 May, due 10 May, unpaid: 51 days past due on 30 June, the data's last day.
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "late.csv").write_text(
        INVOICE_HEADER + ",due_date\n"
        f"LATE-1,1,invoice,2026-05-01,{customer},{product},,1,500.00,0,500.00,300.00,2026-05-10\n")
    (tmp_path / "refresh.yaml").write_text("every_minutes: 0.05\nsources:\n"
                                           "  - {table: invoice_lines, file: exports/*.csv}\n")
    auth = Auth(app_db)
    admin = auth.users.add(ADMIN[0], ADMIN[1], Role.ADMIN)
    AlertStore(auth.store, ()).add(admin, "Late payer", "receivables_overdue", {"days": 30},
                                   f"?customer={customer}", Channels())
    _, token = auth.tokens.create(ADMIN[0], "scheduled test")
    headers = {"Authorization": f"Bearer {token}"}

    with serving(database, app_db, warm_up="false", refresh_config=str(tmp_path / "refresh.yaml")) as base:
        deadline = dt.datetime.now() + dt.timedelta(seconds=WITHIN)
        events = []
        while not events and dt.datetime.now() < deadline:
            events = httpx2.get(f"{base}/api/v1/alerts/events", headers=headers, timeout=30).json()
        assert [(e["condition_key"], e["trigger"], e["rule_name"]) for e in events] == [
            ("LATE-1", "refresh", "Late payer")]
        revenue = httpx2.get(f"{base}/api/v1/sales/summary", headers=headers, timeout=30,
                             params={"customer": customer, "start": "2026-05-01", "end": "2026-05-01"}).json()
        before = expected.sales.summary(Filters(start=dt.date(2026, 5, 1), end=dt.date(2026, 5, 1),
                                                customers=frozenset([customer]))).revenue.iloc[0]
        assert revenue["revenue"] == pytest.approx(float(before) + 500.0)
        loads = httpx2.get(f"{base}/api/v1/audit", params={"action": "load"}, headers=headers, timeout=30).json()
        assert any(e["username"] == "scheduled refresh" for e in loads["items"])

        context = browser.new_context(viewport={"width": 1366, "height": 768},
                                      storage_state=sign_in(browser, base, *ADMIN))
        page = Page(context.new_page(), base)
        page.open("/alerts?region=North")
        # The grid draws its rows after the page's view is in place.
        page.tab.wait_for_selector("#panel-alert-history .ag-row", timeout=30_000)
        assert "LATE-1" in page.text("#panel-alert-history")
        page.tab.fill("#alert-name", "North margins")
        page.tab.fill("#alert-threshold", "2.5")
        page.tab.click("#alert-create")
        page.tab.wait_for_function("() => document.querySelector('#alert-message')?.innerText.startsWith('Saved')",
                                   timeout=30_000)
        assert page.text("#alert-message") == ("Saved “North margins”: contribution margin below 2.5% over 90 "
                                               "days.")
        page.tab.wait_for_selector("#panel-alert-rules >> text=North margins", timeout=30_000)
        page.tab.screenshot(path=str(tmp_path / "alerts.png"), full_page=True)
        assert page.errors == []
        context.close()
    saved = {r.name: r for r in AlertStore(Auth(app_db).store, ()).rules()}
    assert saved["North margins"].search == "?region=North"
    assert saved["North margins"].params["below"] == pytest.approx(0.025)
