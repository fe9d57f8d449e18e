"""The whole application on PostgreSQL, chosen by one URL: loads (atomic, as on DuckDB), the
command line and the REST API, each checked against figures worked out by hand."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

import psycopg
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import marginscope
from marginscope.auth import Auth, Role
from marginscope.cli import app as cli
from marginscope.ingest import load as load_module
from marginscope.ingest import load_file
from marginscope.server import create_app
from marginscope.warehouse import Warehouse
from tests.conftest import CUSTOMERS_CSV, rows_of
from tests.metrics import conftest as small

runner = CliRunner()
# The metrics tests' customers, owned: C1 and C3 by R1, C2 by R2.
OWNED_CUSTOMERS = """customer_id,name,industry,region,tier,owner_rep_id
C1,Acme,retail,North,Gold,R1
C2,Globex,medical,South,Bronze,R2
C3,Initech,medical,North,Gold,R1
"""


@pytest.fixture
def database(postgres_url) -> str:
    """The URL of a new, empty database of its own on the session's PostgreSQL server."""
    name = f"ms_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(postgres_url, autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name}")
    return postgres_url.rsplit("/", 1)[0] + f"/{name}"


def cli_run(*args) -> tuple[int, str]:
    result = runner.invoke(cli, [str(a) for a in args], env={"COLUMNS": "200"})
    return result.exit_code, re.sub(r"\s+", " ", result.output)


def test_a_load_that_fails_half_way_leaves_the_previous_state(database, write, monkeypatch):
    """The upsert deletes the rows it replaces, then dies: PostgreSQL must roll the delete back."""
    with Warehouse.connect(database) as wh:
        assert wh.supports_transactions
        load_file(wh, "customers", write("c.csv", CUSTOMERS_CSV))
        before = rows_of(wh, "customers", "customer_id")
        real_replace = load_module._replace_keys

        def fail_after_delete(*args):
            real_replace(*args)
            raise RuntimeError("disk full")

        monkeypatch.setattr(load_module, "_replace_keys", fail_after_delete)
        with pytest.raises(RuntimeError, match="disk full"):
            load_file(wh, "customers", write("c2.csv", CUSTOMERS_CSV.replace("Acme", "Acme Ltd")))
        assert rows_of(wh, "customers", "customer_id") == before
        assert len(wh.load_log()) == 1 and wh.data_version == 1
        monkeypatch.undo()
        # The connection is usable after the rollback, and the same change then loads.
        changed = load_file(wh, "customers", write("c3.csv", CUSTOMERS_CSV.replace("Acme", "Acme Ltd")))
        assert (changed.rows_updated, changed.rows_unchanged, changed.data_version) == (1, 1, 2)
        assert [row["name"] for row in rows_of(wh, "customers", "customer_id")] == ["Acme Ltd", "Globex"]


def test_the_cli_loads_and_the_api_answers_on_postgresql(database, write, tmp_path, monkeypatch):
    """The metrics tests' company (tests/metrics/conftest.py), loaded with ``marginscope load``
    (with owners: C1 and C3 are rep R1's, C2 is rep R2's).

    Q1 2026 by hand:
    - invoice lines I1 (95.00 + 200.00), I2 50.00, I3 18.00: invoiced 363.00; credit notes CN1
      9.50 and CN2 200.00: returns 209.50; revenue = 363.00 - 209.50 = 153.50.
    - COGS: invoices 60 + 40 + 30 + 12 = 142.00, less the credit notes' 6 + 40 = 46.00: 96.00;
      gross profit = 153.50 - 96.00 = 57.50.
    - cost to serve K1 30.00 + K2 100.00 + K3 10.00 = 140.00; contribution margin = -82.50.
    - orders: O1, O2 and I3 (no order id: its invoice) = 3; AOV = 153.50 / 3.
    - North (C1 and C3): 295.00 + 18.00 - 9.50 - 200.00 = 103.50 of revenue.
    - Rep R2's customers (C2 only, Globex): I2 50.00 of revenue; K2 100.00 of cost to serve.
    """
    for table, text in (("reps", small.REPS), ("customers", OWNED_CUSTOMERS), ("products", small.PRODUCTS),
                        ("invoice_lines", small.LINES), ("costs_to_serve", small.COSTS)):
        code, out = cli_run("load", table, write(f"{table}.csv", text), "--warehouse", database)
        assert code == 0 and f"loaded {table}" in out, out
    code, out = cli_run("load", "customers", write("again.csv", OWNED_CUSTOMERS), "--warehouse", database)
    assert code == 0 and "3 unchanged" in out, out  # an upsert on PostgreSQL: nothing new, nothing changed
    code, out = cli_run("status", "--warehouse", database)
    assert code == 0 and "data version 5" in out and "invoice_lines │ 7" in out, out

    monkeypatch.setenv("MARGINSCOPE_WARM_UP", "false")
    auth = Auth(tmp_path / "app.sqlite3")
    auth.users.add("boss", "a long enough password", Role.ADMIN)
    auth.users.add("bob", "a long enough password", Role.REP, rep_id="R2")
    metrics = marginscope.open(database)
    try:
        assert metrics.warehouse.engine == "postgres"
        server = create_app(metrics, auth).server
        with TestClient(server, base_url="http://127.0.0.1") as client:
            def get(user: str, path: str, **params) -> dict:
                token = auth.tokens.create(user, "tests")[1]
                answer = client.get(f"/api/v1{path}", params={"start": "2026-01-01", "end": "2026-03-31", **params},
                                    headers={"Authorization": f"Bearer {token}"})
                assert answer.status_code == 200, answer.text
                return answer.json()

            q1 = get("boss", "/sales/summary")
            money = {k: Decimal(str(q1[k])) for k in ("revenue", "returns", "cogs", "gross_profit", "cost_to_serve",
                                                     "contribution_margin")}
            assert money == {"revenue": Decimal("153.50"), "returns": Decimal("209.50"), "cogs": Decimal("96.00"),
                             "gross_profit": Decimal("57.50"), "cost_to_serve": Decimal("140.00"),
                             "contribution_margin": Decimal("-82.50")}
            assert q1["orders"] == 3 and q1["average_order_value"] == 51.17  # 153.50 / 3 orders, money: to the cent
            assert Decimal(str(get("boss", "/sales/summary", region="North")["revenue"])) == Decimal("103.50")
            bob = get("bob", "/sales/summary")
            assert (Decimal(str(bob["revenue"])), Decimal(str(bob["cost_to_serve"]))) == (Decimal("50.00"),
                                                                                          Decimal("100.00"))
    finally:
        metrics.close()
