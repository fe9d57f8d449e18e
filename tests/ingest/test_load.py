"""Loads are atomic, idempotent and logged."""

import csv
import hashlib
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from marginscope.ingest import Bundle, Policy, load_bundle, load_file
from marginscope.ingest import load as load_module
from marginscope.warehouse import Warehouse
from tests.conftest import CUSTOMERS_CSV, MAVEN_CRM, rows_of

BUNDLES = Path(__file__).resolve().parents[2] / "src" / "marginscope" / "bundles"


def test_loading_the_same_file_twice_changes_nothing(warehouse, write):
    path = write("customers.csv", CUSTOMERS_CSV)
    first = load_file(warehouse, "customers", path)
    before = rows_of(warehouse, "customers", "customer_id")
    second = load_file(warehouse, "customers", path)
    assert (first.rows_inserted, first.data_version) == (2, 1)
    assert (second.rows_inserted, second.rows_updated, second.rows_unchanged) == (0, 0, 2)
    assert second.data_version == 1 == warehouse.data_version
    assert rows_of(warehouse, "customers", "customer_id") == before


def test_a_changed_row_is_updated_by_key(warehouse, write):
    load_file(warehouse, "customers", write("c.csv", CUSTOMERS_CSV))
    changed = CUSTOMERS_CSV.replace("Globex,medical", "Globex Corp,medical") + "C3,Initech,software,East,Silver,R1\n"
    result = load_file(warehouse, "customers", write("c.csv", changed))
    assert (result.rows_inserted, result.rows_updated, result.rows_unchanged) == (1, 1, 1)
    assert result.data_version == 2
    assert [r["name"] for r in rows_of(warehouse, "customers", "customer_id")] == ["Acme", "Globex Corp", "Initech"]


def test_a_rejected_file_is_logged_and_changes_no_data(warehouse, write):
    load_file(warehouse, "customers", write("c.csv", CUSTOMERS_CSV))
    result = load_file(warehouse, "customers", write("bad.csv", "customer_id,name\nC1,\nC9,New\n"))
    assert result.status == "rejected"
    assert warehouse.data_version == 1
    assert [r["name"] for r in rows_of(warehouse, "customers", "customer_id")] == ["Acme", "Globex"]
    log = warehouse.load_log()
    assert log.status.tolist() == ["rejected", "loaded"]
    assert log.message.iloc[0].startswith("1 problems; file rejected: row 2, name (empty): missing value; ")
    # Nothing of a rejected file is kept: the quarantine holds rows left out of loads that happened.
    assert warehouse.quarantine(result.load_id).empty


def test_the_load_log_records_file_hash_counts_and_user(warehouse, write):
    path = write("c.csv", CUSTOMERS_CSV)
    load_file(warehouse, "customers", path, user="analyst@example.com", policy=Policy.QUARANTINE)
    (entry,) = warehouse.load_log().to_dict("records")
    assert entry["file_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (entry["table_name"], entry["source"], entry["policy"]) == ("customers", str(path), "quarantine")
    assert (entry["rows_read"], entry["rows_loaded"], entry["rows_rejected"]) == (2, 2, 0)
    assert entry["user_name"] == "analyst@example.com" and entry["duration_s"] > 0


def test_a_failure_in_the_middle_leaves_the_previous_state(warehouse, write, monkeypatch):
    load_file(warehouse, "customers", write("c.csv", CUSTOMERS_CSV))
    before = rows_of(warehouse, "customers", "customer_id")
    real_replace = load_module._replace_keys

    def fail_after_delete(*args):
        real_replace(*args)  # the old rows are gone inside the transaction...
        raise RuntimeError("disk full")  # ...and then the load dies

    monkeypatch.setattr(load_module, "_replace_keys", fail_after_delete)
    with pytest.raises(RuntimeError, match="disk full"):
        load_file(warehouse, "customers", write("c.csv", CUSTOMERS_CSV.replace("Acme", "Acme Ltd")))
    assert rows_of(warehouse, "customers", "customer_id") == before
    assert len(warehouse.load_log()) == 1 and warehouse.data_version == 1


def test_a_killed_load_leaves_the_previous_state_and_the_next_load_succeeds(tmp_path, write):
    url = f"duckdb://{tmp_path / 'crash.duckdb'}"
    original = write("c.csv", CUSTOMERS_CSV)
    with Warehouse.connect(url) as wh:
        load_file(wh, "customers", original)
    changed = write("c2.csv", CUSTOMERS_CSV.replace("Acme", "Acme Ltd") + "C3,Initech,software,East,Silver,R1\n")
    script = textwrap.dedent(f"""
        import os, signal
        from marginscope.ingest import load as load_module, load_file
        from marginscope.warehouse import Warehouse
        real = load_module._replace_keys
        def die(*args):
            real(*args)
            os.kill(os.getpid(), signal.SIGKILL)
        load_module._replace_keys = die
        load_file(Warehouse.connect({url!r}), "customers", {str(changed)!r})
    """)
    process = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert process.returncode == -signal.SIGKILL
    with Warehouse.connect(url) as wh:
        assert [r["name"] for r in rows_of(wh, "customers", "customer_id")] == ["Acme", "Globex"]
        assert wh.data_version == 1
        result = load_file(wh, "customers", changed)
        assert (result.rows_inserted, result.rows_updated, result.data_version) == (1, 1, 2)


def test_bundle_stops_at_the_first_rejected_file(warehouse, write, tmp_path):
    write("c.csv", "customer_id,name\nC1,\n")
    write("p.csv", "product_id,name\nP1,Bolt\n")
    bundle_file = write("b.yaml", "loads:\n  - {file: p.csv, mapping: {table: products}}\n"
                                  "  - {file: c.csv, mapping: {table: customers}}\n")
    results = load_bundle(warehouse, Bundle.from_yaml(bundle_file))
    assert [(r.table, r.status) for r in results] == [("customers", "rejected")]  # customers load first


@pytest.mark.skipif(not MAVEN_CRM.is_dir(), reason="the Maven CRM sample is not beside this checkout")
def test_maven_crm_bundle_loads_every_row_with_its_quirks_fixed(warehouse):
    results = load_bundle(warehouse, Bundle.from_yaml(BUNDLES / "maven_crm.yaml", MAVEN_CRM))
    assert all(r.ok for r in results)

    def read(name):
        with (MAVEN_CRM / name).open(newline="") as handle:
            return list(csv.DictReader(handle))

    accounts, products, agents, deals = (read(f) for f in
                                         ("accounts.csv", "products.csv", "sales_teams.csv", "sales_pipeline.csv"))
    assert [r.table for r in results] == ["reps", "customers", "products", "opportunities"]
    assert [r.rows_loaded for r in results] == [len(agents), len(accounts), len(products), len(deals)]
    customers = {r["customer_id"]: r for r in rows_of(warehouse, "customers")}
    assert {r["industry"] for r in customers.values()} == {a["sector"].replace("technolgy", "technology")
                                                           for a in accounts}
    assert customers["Acme Corporation"]["country"] == "United States"
    opportunities = rows_of(warehouse, "opportunities")
    assert sum(1 for o in opportunities if o["product_id"] == "GTX Pro") == sum(
        1 for d in deals if d["product"] in ("GTX Pro", "GTXPro"))
    assert sum(1 for o in opportunities if o["customer_id"] is None) == sum(1 for d in deals if not d["account"])
    won_value = sum(int(d["close_value"]) for d in deals if d["deal_stage"] == "Won")
    assert sum(o["close_value"] for o in opportunities if o["stage"] == "won") == won_value
    stages = {s: sum(1 for d in deals if d["deal_stage"] == s.capitalize()) for s in
              ("prospecting", "engaging", "won", "lost")}
    assert {s: sum(1 for o in opportunities if o["stage"] == s) for s in stages} == stages
