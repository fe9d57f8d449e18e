"""What follows a load is the same whoever loads: the command line, the ingest API and the scheduled refresh
each write the load to the audit log and then, when rows changed, run the quality checks and the alert rules
(marginscope.load_service)."""

from __future__ import annotations

import shutil

from typer.testing import CliRunner

from marginscope import background
from marginscope.auth import Auth
from marginscope.cli import app as cli
from marginscope.ingest.refresh import RefreshPlan
from marginscope.load_service import LoadService
from marginscope.metrics.engine import Metrics
from marginscope.warehouse import Warehouse
from tests.conftest import CUSTOMERS_CSV, PRODUCTS_CSV, REPS_CSV

# C3 shares Acme's name but for case: the duplicate-customers check finds C1 and C3 (2 rows).
DUPLICATED = CUSTOMERS_CSV + "C3,ACME,retail,North,Gold,R1\n"


def checks_recorded(auth: Auth) -> list[dict]:
    return [event["detail"] for event in auth.audit.events(action="quality_checks")]


def test_the_command_line_records_then_checks(tmp_path, app_db_of_the_test):
    url = f"duckdb://{tmp_path / 'cli.duckdb'}"
    for table, text in (("reps", REPS_CSV), ("customers", DUPLICATED), ("products", PRODUCTS_CSV)):
        (tmp_path / f"{table}.csv").write_text(text)
        assert CliRunner().invoke(cli, ["load", table, str(tmp_path / f"{table}.csv"), "-w", url]).exit_code == 0
    auth = Auth(app_db_of_the_test)
    assert [e["detail"]["table"] for e in auth.audit.events(action="load")] == ["products", "customers", "reps"]
    assert checks_recorded(auth)[0]["flagged"] == {"customers whose names differ only in case, spaces or punctuation": 2}
    # The same file again changes nothing: audited, and nothing to check.
    CliRunner().invoke(cli, ["load", "products", str(tmp_path / "products.csv"), "-w", url])
    assert len(auth.audit.events(action="load")) == 4 and len(checks_recorded(auth)) == 3


def test_the_ingest_api_records_at_once_and_checks_in_the_background(served):
    line = {"invoice_id": "I7", "line_no": 1, "kind": "invoice", "invoice_date": "2026-03-20", "customer_id": "C1",
            "product_id": "P1", "rep_id": "R1", "quantity": 5, "unit_price": "10.00", "discount_amount": 0,
            "net_amount": 50.0, "cogs": 30}
    before = len(checks_recorded(served.auth))
    assert served.as_user("ada").post("/api/v1/ingest/invoice_lines", json={"rows": [line]}).status_code == 200
    assert served.auth.audit.events(action="load")[0]["detail"]["rows_loaded"] == 1
    assert len(checks_recorded(served.auth)) == before  # the caller did not wait for the checks
    scheduler = served.client.app.state.scheduler
    scheduler.run_due(now=0.0)  # what the server's scheduler thread does next: the job asked for
    recorded = checks_recorded(served.auth)
    assert len(recorded) == before + 1 and recorded[0]["trigger"] == "load"
    assert recorded[0]["data_version"] == served.metrics.data_version


def test_the_scheduled_refresh_records_then_checks(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    for name, text in (("reps.csv", REPS_CSV), ("customers.csv", DUPLICATED), ("products.csv", PRODUCTS_CSV)):
        (folder / name).write_text(text)
    (folder / "refresh.yaml").write_text("sources:\n" + "".join(
        f"  - table: {table}\n    file: {table}.csv\n" for table in ("reps", "customers", "products")))
    metrics, auth = Metrics(Warehouse.connect(f"duckdb://{tmp_path / 'w.duckdb'}")), Auth(tmp_path / "app.sqlite3")
    service = LoadService(metrics, auth)
    background.refresh_once(service, RefreshPlan.from_yaml(folder / "refresh.yaml"))
    assert len(auth.audit.events(action="load")) == 3
    [recorded] = checks_recorded(auth)
    assert recorded["trigger"] == "refresh" and recorded["flagged"] == {"customers whose names differ only in case, spaces or punctuation": 2}
    background.refresh_once(service, RefreshPlan.from_yaml(folder / "refresh.yaml"))  # nothing new
    assert len(auth.audit.events(action="load")) == 6 and len(checks_recorded(auth)) == 1
    metrics.close()
    shutil.rmtree(folder)
