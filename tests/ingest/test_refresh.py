"""Refresh files: checked with clear reasons; every source reloads as a file does; `marginscope refresh`."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from marginscope.auth import Auth, Role
from marginscope.cli import app
from marginscope.ingest.refresh import RefreshError, RefreshPlan, run_refresh
from marginscope.warehouse import Warehouse
from tests.conftest import CUSTOMERS_CSV, INVOICE_HEADER, PRODUCTS_CSV, REPS_CSV

runner = CliRunner()
MAY = INVOICE_HEADER + ",due_date\nI1,1,invoice,2026-05-10,C1,P1,R1,10,10.00,0,100.00,60.00,2026-05-20\n"
JUNE = INVOICE_HEADER + ",due_date\nI2,1,invoice,2026-06-30,C2,P2,R2,1,100.00,0,100.00,20.00,2026-07-30\n"
PLAN = """every_minutes: 30
sources:
  - table: reps
    file: masters/reps.csv
  - table: customers
    file: masters/customers.csv
  - table: products
    file: masters/products.csv
  - table: invoice_lines
    file: lines/*.csv
"""


@pytest.fixture
def folder(tmp_path):
    for path, text in (("masters/reps.csv", REPS_CSV), ("masters/customers.csv", CUSTOMERS_CSV),
                       ("masters/products.csv", PRODUCTS_CSV), ("lines/2026-05.csv", MAY),
                       ("refresh.yaml", PLAN)):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    return tmp_path


@pytest.mark.parametrize(("text", "reason"), [
    ("sources: []", "sources: List should have at least 1 item"),
    ("every_minutes: 0\nsources:\n  - {table: reps, file: r.csv}", "every_minutes: Input should be greater than 0"),
    ("sources:\n  - {table: reps, file: r.csv}\n  - {table: reps, file: r.csv, query: SELECT 1}",
     "sources[2]: give exactly one of file, query or bundle"),
    ("sources:\n  - {table: refunds, file: r.csv}", "sources[1]: unknown table 'refunds'"),
    ("sources:\n  - {file: r.csv}", "sources[1]: name the table"),
    ("sources:\n  - {table: reps, file: r.csv, colour: blue}", "sources[1].colour: Extra inputs are not permitted"),
    ("sources: [", "not valid YAML"),
    ("- reps.csv", "expected 'every_minutes' and a 'sources' list"),
])
def test_a_bad_refresh_file_says_where_and_why(tmp_path, text, reason):
    (tmp_path / "refresh.yaml").write_text(text)
    with pytest.raises(RefreshError, match="refresh.yaml: .*" + reason.replace("[", r"\[").replace("]", r"\]")
                       .replace("(", r"\(").replace(")", r"\)")):
        RefreshPlan.from_yaml(tmp_path / "refresh.yaml")


def test_every_source_loads_and_a_second_run_changes_nothing(folder, warehouse):
    plan = RefreshPlan.from_yaml(folder / "refresh.yaml")
    runs = run_refresh(warehouse, plan)
    assert [run.ok for run in runs] == [True] * 4
    assert [r.rows_inserted for run in runs for r in run.results] == [2, 2, 2, 1]
    version = warehouse.data_version
    again = run_refresh(warehouse, plan)
    assert [r.rows_unchanged for run in again for r in run.results] == [2, 2, 2, 1]
    assert warehouse.data_version == version  # nothing new, nothing to redraw

    (folder / "lines" / "2026-06.csv").write_text(JUNE)  # a new export joins the glob
    last = run_refresh(warehouse, plan)[-1]
    assert [(r.source.rsplit("/", 1)[-1], r.rows_inserted) for r in last.results] == [("2026-05.csv", 0),
                                                                                       ("2026-06.csv", 1)]
    assert warehouse.data_version > version


def test_a_failing_source_is_reported_and_the_others_still_run(folder, warehouse, monkeypatch):
    monkeypatch.delenv("CRM_URL", raising=False)
    (folder / "refresh.yaml").write_text(PLAN + """  - table: opportunities
    source: ${CRM_URL}
    query: SELECT * FROM deals
  - table: payments
    file: missing/*.csv
""")
    runs = run_refresh(warehouse, RefreshPlan.from_yaml(folder / "refresh.yaml"))
    assert [run.ok for run in runs] == [True, True, True, True, False, False]
    assert runs[4].label == "query on the source database into opportunities"  # never the URL: it may hold a password
    assert runs[4].error == "the environment has no CRM_URL"
    assert runs[5].error.startswith("no file matches missing/*.csv")


def test_refresh_from_a_postgresql_query(folder, warehouse, postgres_url, monkeypatch):
    import ibis

    con = ibis.connect(postgres_url)
    con.raw_sql("""DROP TABLE IF EXISTS erp_payments;
                   CREATE TABLE erp_payments (id text, invoice text, paid date, amount numeric(18, 2));
                   INSERT INTO erp_payments VALUES ('PM1', 'I1', '2026-05-30', 40.00);""")
    con.disconnect()
    monkeypatch.setenv("ERP_URL", postgres_url)
    (folder / "refresh.yaml").write_text(PLAN + """  - table: payments
    source: ${ERP_URL}
    query: SELECT id AS payment_id, invoice AS invoice_id, paid AS paid_date, amount FROM erp_payments
""")
    runs = run_refresh(warehouse, RefreshPlan.from_yaml(folder / "refresh.yaml"))
    assert runs[-1].ok and runs[-1].results[0].rows_inserted == 1
    assert warehouse.table("payments").amount.sum().execute() == 40


def test_the_refresh_command_loads_then_runs_the_alerts(folder, tmp_path):
    url, app_db = f"duckdb://{tmp_path / 'wh.duckdb'}", str(tmp_path / "app.sqlite3")
    from marginscope.alerts import AlertStore, Channels

    auth = Auth(app_db)
    boss = auth.users.add("boss", "a long enough password", Role.ADMIN)
    AlertStore(auth.store, ()).add(boss, "Late", "receivables_overdue", {"days": 30}, "", Channels())
    (folder / "lines" / "2026-06.csv").write_text(JUNE)  # runs the data to 30 June: I1 is 41 days late
    result = runner.invoke(app, ["refresh", str(folder / "refresh.yaml"), "--warehouse", url, "--app-db", app_db],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "loaded invoice_lines from" in result.output
    assert "alert 'Late' (boss): 1 new (recorded only)" in result.output
    assert [e.condition_key for e in AlertStore(auth.store, ()).events()] == ["I1"]
    loads = list(auth.audit.events(action="load"))
    assert len(loads) == 5

    (folder / "refresh.yaml").write_text(PLAN + "  - {table: payments, file: nowhere.csv}\n")
    failed = runner.invoke(app, ["refresh", str(folder / "refresh.yaml"), "--warehouse", url, "--app-db", app_db],
                           env={"COLUMNS": "200"})
    assert failed.exit_code == 1 and "failed nowhere.csv" in failed.output
    with Warehouse.connect(url) as wh:
        assert wh.table("invoice_lines").count().execute() == 2


def test_the_refresh_command_names_a_bad_file(tmp_path):
    (tmp_path / "refresh.yaml").write_text("sources: []")
    result = runner.invoke(app, ["refresh", str(tmp_path / "refresh.yaml"), "--warehouse",
                                 f"duckdb://{tmp_path / 'wh.duckdb'}"], env={"COLUMNS": "200"})
    assert result.exit_code == 1 and "refresh.yaml: sources: List should have at least 1 item" in result.output
