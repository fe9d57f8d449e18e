"""Pushing rows through the API: validated like a file, atomic, logged, and seen at once by the dashboards."""

from __future__ import annotations

import pytest

from tests.api.conftest import Q1

LINE = {"invoice_id": "I7", "line_no": 1, "kind": "invoice", "invoice_date": "2026-03-20", "customer_id": "C1",
        "product_id": "P1", "rep_id": "R1", "quantity": 5, "unit_price": "10.00", "discount_amount": 0,
        "net_amount": 50.0, "cogs": 30}


def revenue(client) -> float:
    return client.get("/api/v1/sales/summary", params=Q1).json()["revenue"]


def test_good_rows_are_loaded_bump_the_data_version_and_show_in_sales(served):
    ana = served.as_user("ada")
    before, version = revenue(ana), served.metrics.data_version
    answer = ana.post("/api/v1/ingest/invoice_lines", json={"rows": [LINE, {**LINE, "line_no": 2}]})
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert (report["status"], report["rows_read"], report["rows_loaded"], report["rows_rejected"]) == \
        ("loaded", 2, 2, 0)
    assert report["data_version"] == served.metrics.data_version == version + 1
    assert revenue(ana) == before + 100.00  # 583.50 + two lines of 50.00
    assert served.as_user("ann").get("/api/v1/sales/summary", params=Q1).json()["revenue"] == 303.50 + 100.00

    again = ana.post("/api/v1/ingest/invoice_lines", json={"rows": [LINE, {**LINE, "line_no": 2}]}).json()
    assert again["rows_unchanged"] == 2 and again["data_version"] == version + 1  # idempotent
    loads = [e["detail"] for e in served.auth.audit.events(action="load")]
    assert loads[-1]["table"] == "invoice_lines" and loads[-1]["rows_loaded"] == 2


def test_one_bad_row_rejects_the_whole_batch(served):
    admin = served.as_user("boss")
    before, version = revenue(admin), served.metrics.data_version
    rows = [LINE, {**LINE, "line_no": 2, "net_amount": "lots", "customer_id": "C99"}]
    answer = admin.post("/api/v1/ingest/invoice_lines", json={"rows": rows})
    assert answer.status_code == 422
    report = answer.json()
    assert (report["status"], report["rows_read"], report["rows_loaded"], report["rows_rejected"]) == \
        ("rejected", 2, 0, 2)
    problems = {(p["row"], p["column"]) for p in report["problems"]}
    assert problems == {(2, "net_amount"), (2, "customer_id")}
    assert all(p["reason"] for p in report["problems"])
    assert served.metrics.data_version == version and revenue(admin) == before  # nothing loaded
    log = admin.get("/api/v1/quality/load-log", params={"limit": 1}).json()["items"][0]
    assert (log["status"], log["table_name"], log["user_name"]) == ("rejected", "invoice_lines", "boss")


def test_the_quarantine_policy_loads_the_good_rows_and_keeps_the_bad(served):
    admin = served.as_user("boss")
    payments = [{"payment_id": "PM3", "invoice_id": "I3", "paid_date": "2026-03-25", "amount": 18},
                {"payment_id": "PM4", "invoice_id": "I404", "paid_date": "2026-03-25", "amount": 5}]
    report = admin.post("/api/v1/ingest/payments", json={"rows": payments, "policy": "quarantine"}).json()
    assert (report["status"], report["rows_loaded"], report["rows_rejected"]) == ("loaded", 1, 1)
    assert report["problems"][0]["row"] == 2 and report["problems"][0]["column"] == "invoice_id"
    kept = admin.get("/api/v1/quality/quarantine").json()["items"]
    assert [(row["table_name"], row["row_number"]) for row in kept] == [("payments", 2)]
    # I3 (18.00) is paid now: C1's open receivables on 31 March fall from 213.00 to 195.00.
    assert admin.get("/api/v1/receivables/summary", params={**Q1, "customer": "C1"}).json()["open_amount"] == 195.0


def test_rows_without_a_required_column_are_refused_with_its_name(served):
    line = {k: v for k, v in LINE.items() if k != "invoice_date"}
    answer = served.as_user("boss").post("/api/v1/ingest/invoice_lines", json={"rows": [line]})
    assert answer.status_code == 422 and "invoice_date" in answer.json()["detail"]


@pytest.mark.parametrize("body", [{"rows": []}, {"rows": [LINE], "policy": "maybe"}, {"rows": [{"x": [1]}]}])
def test_malformed_bodies_are_refused(served, body):
    assert served.as_user("boss").post("/api/v1/ingest/invoice_lines", json=body).status_code == 422


def test_only_listed_tables_take_pushed_rows(served):
    answer = served.as_user("boss").post("/api/v1/ingest/customers", json={"rows": [{"customer_id": "C9"}]})
    assert answer.status_code == 422


@pytest.mark.parametrize("username", ["ann", "mia"])
def test_reps_and_managers_may_not_load(served, username):
    version = served.metrics.data_version
    answer = served.as_user(username).post("/api/v1/ingest/invoice_lines", json={"rows": [LINE]})
    assert answer.status_code == 403
    assert served.metrics.data_version == version
