"""Near-real-time: rows pushed through the ingest API show on an open page within seconds,
without a reload. A server of its own, on a copy of the demo company, since it changes the data."""

from __future__ import annotations

import datetime as dt
import shutil

import httpx2
import pytest

from marginscope import formats as fmt
from marginscope.auth import Auth
from marginscope.metrics import Filters
from tests.live_server import ADMIN, Page, serving, sign_in

pytestmark = pytest.mark.browser
CHANGED_WITHIN = 30_000  # ms: a page checks the data version every 5 s, then redraws


def test_pushed_invoice_lines_show_on_an_open_page(browser, demo_warehouse, expected, tmp_path):
    database = tmp_path / "live.duckdb"
    shutil.copy(demo_warehouse, database)
    app_db = tmp_path / "app.sqlite3"
    span = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
    before = expected.sales.summary(span).iloc[0].revenue
    customer = expected.sales.top_customers(1, span).iloc[0].customer_id
    product = expected.sales.top_products(1, span).iloc[0].product_id
    line = {"invoice_id": "LIVE-1", "line_no": 1, "kind": "invoice", "invoice_date": "2026-06-30",
            "customer_id": customer, "product_id": product, "quantity": 1, "unit_price": "1234.56",
            "discount_amount": "0", "net_amount": "1234.56", "cogs": "1000.00"}
    search = "?start=2026-01-01&end=2026-06-30"
    with serving(database, app_db, warm_up="false") as base:
        context = browser.new_context(viewport={"width": 1366, "height": 768},
                                      storage_state=sign_in(browser, base, *ADMIN))
        page = Page(context.new_page(), base)
        page.open(f"/{search}")
        assert page.text("#kpi-revenue") == fmt.money(before, "EUR")
        _, token = Auth(app_db).tokens.create(ADMIN[0], "live test")
        pushed = httpx2.post(f"{base}/api/v1/ingest/invoice_lines", json={"rows": [line]},
                             headers={"Authorization": f"Bearer {token}"}, timeout=60)
        assert pushed.status_code == 200, pushed.text
        after = fmt.money(before + pushed.json()["rows_loaded"] * type(before)("1234.56"), "EUR")
        page.tab.wait_for_function("([sel, text]) => document.querySelector(sel)?.innerText.trim() === text",
                                   arg=["#kpi-revenue", after], timeout=CHANGED_WITHIN)
        assert page.errors == []
        context.close()
