"""The command line end to end: real files, a real warehouse, exit codes and messages."""

import re

import pytest
from typer.testing import CliRunner

from marginscope.cli import app
from marginscope.warehouse import Warehouse
from tests.conftest import CUSTOMERS_CSV, MAVEN_CRM, PRODUCTS_CSV, REPS_CSV

runner = CliRunner()


@pytest.fixture
def url(tmp_path):
    return f"duckdb://{tmp_path / 'cli.duckdb'}"


def run(*args):
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
    return result.exit_code, re.sub(r"\s+", " ", result.output)


def test_quality_checks_run_after_a_load(url, write):
    run("load", "reps", write("r.csv", REPS_CSV), "-w", url)
    run("load", "customers", write("c.csv", CUSTOMERS_CSV + "C3,ACME,retail,North,Gold,R1\n"), "-w", url)
    code, out = run("load", "products", write("p.csv", PRODUCTS_CSV), "-w", url)
    assert code == 0 and "quality checks: 1 to look at" in out
    assert "customers whose names differ only in case, spaces or punctuation: 2 rows, e.g. C1, C3" in out


def test_load_then_status(url, write):
    code, out = run("load", "reps", write("r.csv", REPS_CSV), "-w", url)
    assert code == 0 and "loaded reps" in out and "2 read, 2 loaded (2 new" in out and "data version 1" in out
    code, out = run("status", "-w", url)
    assert code == 0
    assert "data version 1" in out and "reps │ 2" in out and "invoice_lines │ 0 │ yes" in out


def test_a_rejected_file_exits_1_and_names_row_column_and_reason(url, write, tmp_path):
    run("load", "reps", write("r.csv", REPS_CSV), "-w", url)
    report = tmp_path / "problems.csv"
    code, out = run("load", "customers", write("c.csv", "customer_id,name,owner_rep_id\nC1,Acme,R9\nC2,,R1\n"),
                    "-w", url, "--report", report)
    assert code == 1
    assert "rejected" in out and "nothing was loaded" in out
    assert "│ 2 │ owner_rep_id │ R9 │ unknown rep_id: not in reps │" in out
    assert "│ 3 │ name │ │ missing value │" in out
    assert report.read_text().splitlines()[1:] == ['2,"owner_rep_id","R9","unknown rep_id: not in reps"',
                                                   '3,"name",,"missing value"']


def test_quarantine_policy_exits_3(url, write):
    run("load", "reps", write("r.csv", REPS_CSV), "-w", url)
    code, out = run("load", "customers", write("c.csv", "customer_id,name\nC1,Acme\nC2,\n"), "-w", url,
                    "--policy", "quarantine")
    assert code == 3 and "2 read, 1 loaded" in out and "1 quarantined" in out
    code, out = run("quarantine", "-w", url)
    assert code == 0 and '│ 2 │ customers │ 3 │ name: missing value │ {"customer_id": "C2", "name": ""} │' in out


def test_mapping_file(url, write):
    mapping = write("m.yaml", "table: products\ncolumns:\n  product_id: SKU\n  name: Title\n")
    code, out = run("load", "products", write("p.csv", "SKU,Title\nP1,Bolt\n"), "-m", mapping, "-w", url)
    assert code == 0, out
    assert Warehouse.connect(url).row_counts()["products"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [(["load", "invoices", "x.csv"], "unknown table 'invoices'; the tables are: reps, customers"),
     (["load", "products", "missing.csv"], "missing.csv: no such file"),
     (["load-bundle", "nosuchbundle"], "no bundle 'nosuchbundle'; the bundles are: maven_crm"),
     (["schema", "nope"], "unknown table 'nope'")],
)
def test_failures_exit_1_with_a_message(url, args, message):
    code, out = run(*args, "-w", url) if args[0] != "schema" else run(*args)
    assert code == 1 and message in out


def test_a_bad_mapping_file_is_explained(url, write):
    mapping = write("m.yaml", "table: products\ncolumns:\n  sku: SKU\n")
    code, out = run("load", "products", write("p.csv", "SKU\nP1\n"), "-m", mapping, "-w", url)
    assert code == 1 and "'sku' is not a column of products" in out


def test_schema_prints_the_contract():
    code, out = run("schema", "invoice_lines")
    assert code == 0 and "key: invoice_id, line_no" in out and "| net_amount | decimal(18, 2) | yes |" in out


@pytest.mark.skipif(not MAVEN_CRM.is_dir(), reason="the Maven CRM sample is not beside this checkout")
def test_shipped_bundle_by_name(url):
    code, out = run("load-bundle", "maven_crm", "--dir", MAVEN_CRM, "-w", url)
    assert code == 0, out
    assert "8,800 read, 8,800 loaded" in out
    assert Warehouse.connect(url).row_counts()["opportunities"] == 8800


def test_product_load_then_invoices_through_the_cli(url, write):
    for table, text in (("reps", REPS_CSV), ("customers", CUSTOMERS_CSV), ("products", PRODUCTS_CSV)):
        assert run("load", table, write(f"{table}.csv", text), "-w", url)[0] == 0
    lines = write("l.csv", "invoice_id,line_no,kind,invoice_date,customer_id,product_id,quantity,unit_price,net_amount\n"
                           "I1,1,invoice,2024-01-31,C1,P1,3,10,30\n")
    code, out = run("load", "invoice_lines", lines, "-w", url)
    assert code == 0 and "data version 4" in out


def test_generate_is_deterministic_from_the_command_line(tmp_path):
    for name in ("a", "b"):
        code, out = run("generate", "--out", tmp_path / name, "--customers", 40, "--seed", 3, "--as-of", "2026-06-30")
        assert code == 0 and "demo data written to" in out
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert len(files) == 13  # twelve exports and demo.yaml
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)


def test_demo_loads_everything_and_a_rerun_changes_nothing(url, tmp_path):
    from marginscope.demo import build
    from marginscope.schema import TABLES

    args = ("demo", "--out", tmp_path / "demo", "--customers", 60, "--seed", 5, "--as-of", "2026-11-23", "-w", url)
    code, out = run(*args)
    assert code == 0, out
    expected = build(seed=5, customers=60, as_of=__import__("datetime").date(2026, 11, 23))
    with Warehouse.connect(url) as wh:
        assert wh.row_counts() == {name: expected[name].num_rows for name in TABLES}
        assert wh.data_version == len(TABLES)
        revenue = wh.table("invoice_lines").net_amount.sum().execute()
    assert revenue == sum(expected["invoice_lines"]["net_amount"].to_pylist())
    code, out = run(*args)
    assert code == 0 and out.count("0 new, 0 updated") == len(TABLES)
    with Warehouse.connect(url) as wh:
        assert wh.data_version == len(TABLES)


def test_load_with_a_preset_and_list_the_mappings(url, write):
    run("load", "reps", write("r.csv", "rep_id,name\nAnn,Ann\n"), "-w", url)
    companies = write("companies.csv", "Record ID,Company name,Company owner\n901,Globex,Ann\n")
    code, out = run("load", "--preset", "hubspot_companies", companies, "-w", url)
    assert code == 0 and "loaded customers" in out and "'Industry' is not in the file" in out
    code, out = run("mappings", "list")
    assert code == 0 and "salesforce_opportunities │ preset │ opportunities" in out and "maven_crm" in out
    code, out = run("load", "--preset", "nope", companies, "-w", url)
    assert code == 1 and "no preset 'nope'" in out


def test_mappings_suggest_writes_a_mapping_to_review(write, tmp_path):
    file = write("r.csv", "Sales Agent,Manager\nAnn,Mia\n")
    code, out = run("mappings", "suggest", file, "reps", "--out", tmp_path / "m.yaml")
    assert code == 0 and "review it" in out
    assert "rep_id: Sales Agent" in (tmp_path / "m.yaml").read_text()
    code, out = run("mappings", "suggest", file, "invoices")
    assert code == 1 and "unknown table 'invoices'" in out


def test_load_sql_reads_a_query_on_postgresql(url, write, postgres_url):
    run("load", "reps", write("r.csv", REPS_CSV), "-w", url)
    query = "SELECT * FROM (VALUES ('C1', 'Acme', 'R1'), ('C2', 'Globex', 'R9')) AS t(customer_id, name, owner_rep_id)"
    code, out = run("load-sql", "customers", "--source", postgres_url, "--query", query, "-w", url,
                    "--policy", "quarantine")
    assert code == 3 and "loaded customers" in out and "2 read, 1 loaded" in out
    code, out = run("load-sql", "customers", "--source", postgres_url, "-w", url)
    assert code == 1 and "give the query with --query or --query-file" in out


def test_users_are_managed_from_the_command_line_and_loads_are_audited(url, write, app_db_of_the_test):
    from marginscope.auth import Auth

    run("load", "reps", write("r.csv", REPS_CSV), "-w", url)
    add = runner.invoke(app, ["users", "add", "ann", "--role", "rep", "--rep-id", "R1", "--password-stdin",
                              "-w", url], input="a long enough password\n")
    assert add.exit_code == 0 and "added ann (rep)" in add.output
    code, out = run("users", "add", "bob", "--role", "rep", "--password-stdin")
    assert code == 1 and "a rep needs --rep-id" in out
    code, out = run("users", "add", "bob", "--role", "owner")
    assert code == 1 and "unknown role 'owner'" in out
    code, out = run("users", "list")
    assert code == 0 and "ann │ rep │ customers owned by rep R1" in out
    auth = Auth(app_db_of_the_test)
    assert auth.users.authenticate("ann", "a long enough password").rep_id == "R1"
    [event] = auth.audit.events(action="load")
    assert event["detail"]["table"] == "reps" and event["detail"]["rows_loaded"] == 2
    code, out = run("users", "remove", "ann")
    assert code == 0 and auth.users.get("ann") is None
    assert run("users", "remove", "ann")[0] == 1


def test_a_rep_user_needs_a_rep_id_the_warehouse_holds(url, write, app_db_of_the_test):
    from marginscope.auth import Auth

    def add(name: str, rep_id: str):
        return runner.invoke(app, ["users", "add", name, "--role", "rep", "--rep-id", rep_id, "--password-stdin",
                                   "-w", url], input="a long enough password\n", env={"COLUMNS": "200"})

    empty = add("ann", "R1")
    assert empty.exit_code == 1
    assert "the warehouse holds no reps yet" in " ".join(empty.output.split())
    assert "load the reps (and customers) first" in " ".join(empty.output.split())
    run("load", "reps", write("r.csv", REPS_CSV), "-w", url)
    unknown = add("ann", "NOSUCHREP")
    assert unknown.exit_code == 1
    assert "there is no rep_id 'NOSUCHREP' in the reps table (it has R1, R2)" in " ".join(unknown.output.split())
    assert Auth(app_db_of_the_test).users.get("ann") is None
    assert add("ann", "R2").exit_code == 0
    assert Auth(app_db_of_the_test).users.get("ann").rep_id == "R2"


def test_api_tokens_are_made_listed_and_revoked_from_the_command_line(app_db_of_the_test):
    from marginscope.auth import Auth, Role

    auth = Auth(app_db_of_the_test)
    auth.users.add("ann", "a long enough password", Role.REP, rep_id="R1")
    code, out = run("tokens", "create", "ann", "notebook")
    assert code == 0
    token = re.search(r"ms_\S+", out).group(0)
    user, token_id = auth.tokens.authenticate(token)
    assert user.username == "ann"
    code, out = run("tokens", "list", "ann")
    assert code == 0 and token_id in out and "notebook" in out and token not in out
    assert run("tokens", "revoke", "ann", token_id)[0] == 0
    assert auth.tokens.authenticate(token) is None
    assert run("tokens", "revoke", "ann", token_id)[0] == 1
    assert run("tokens", "create", "nobody", "x")[0] == 1


def test_load_bundle_of_a_folder_names_the_bundle_file_in_it(url, tmp_path, monkeypatch):
    """`marginscope load-bundle demo` where demo is the folder `marginscope generate --out demo` wrote."""
    monkeypatch.chdir(tmp_path)
    run("generate", "--out", "demo", "--customers", 20, "--as-of", "2026-06-30")
    code, out = run("load-bundle", "demo", "-w", url)
    assert (code, out) == (1, "error: demo: is a directory, not a bundle file; the bundle file in it is "
                              "demo/demo.yaml: marginscope load-bundle demo/demo.yaml ")
    (tmp_path / "empty").mkdir()
    code, out = run("load-bundle", "empty", "-w", url)
    assert (code, out) == (1, "error: empty: is a directory, not a bundle file, and holds none; give a bundle "
                              "YAML file or the name of a shipped bundle (maven_crm) ")
    assert run("load-bundle", "demo/demo.yaml", "-w", url)[0] == 0


def test_a_folder_given_as_a_mapping_is_explained(url, write, tmp_path):
    code, out = run("load", "products", write("p.csv", PRODUCTS_CSV), "-m", tmp_path, "-w", url)
    assert (code, out) == (1, f"error: {tmp_path}: is a directory, not a YAML file ")


def test_a_load_while_the_server_runs_says_how_to_load_through_it(tmp_path, write):
    """The server holds the DuckDB file's lock: the message says so, and how to load (not a DuckDB error)."""
    from tests.live_server import serving

    database = tmp_path / "served.duckdb"
    Warehouse.connect(f"duckdb://{database}").close()
    with serving(database, tmp_path / "server-app.sqlite3"):
        code, out = run("load", "reps", write("r.csv", REPS_CSV), "-w", f"duckdb://{database}")
    assert code == 1
    assert re.fullmatch(
        rf"error: cannot open warehouse 'duckdb://{database}': the marginscope server \(PID \d+\) has the file "
        r"open, and DuckDB lets one process at a time write to it\. Load through the server while it runs: push "
        r"rows to POST /api/v1/ingest/\{table\} \(invoice_lines, opportunities, payments\), or serve with "
        r"--refresh FILE to reload files on a schedule; or stop the server and run this command again\. ",
        out), out
    assert run("load", "reps", write("r.csv", REPS_CSV), "-w", f"duckdb://{database}")[0] == 0


def test_a_load_while_another_program_has_the_warehouse_open_names_it(tmp_path, write):
    """A notebook or the DuckDB shell holding the file: the message names the process and says to close it."""
    import subprocess
    import sys

    database = tmp_path / "held.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb, sys; con = duckdb.connect({str(database)!r}); "
                               "print('open', flush=True); sys.stdin.read()"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "open\n"
        code, out = run("load", "reps", write("r.csv", REPS_CSV), "-w", f"duckdb://{database}")
    finally:
        holder.communicate("")
    assert code == 1
    assert out.startswith(f"error: cannot open warehouse 'duckdb://{database}': another process (PID {holder.pid}: "
                          f"{sys.executable} -c import duckdb"), out
    assert ("has the file open, and DuckDB lets one process at a time write to it. Close it and run this command "
            "again (to load while a marginscope server runs: push rows to POST /api/v1/ingest/{table}") in out


def test_mappings_suggest_reads_a_file_split_by_another_delimiter(url, write, tmp_path):
    """The delimiter a file's header splits on goes into the mapping proposed (when none is given)."""
    file = write("r.csv", "Sales Agent;Agent Name;Manager\nR7;Ann;Mia\n")
    code, out = run("mappings", "suggest", file, "reps", "--out", tmp_path / "m.yaml")
    assert code == 0, out
    assert f'note: {file} is read with the delimiter ";", which its header splits on' in out
    assert "delimiter: ;" in (tmp_path / "m.yaml").read_text()
    code, out = run("load", file, "-m", tmp_path / "m.yaml", "-w", url)
    assert code == 0 and "1 read, 1 loaded" in out, out
    code, out = run("mappings", "suggest", file, "reps", "--delimiter", ",")
    assert code == 1 and 'but ";" splits it into 3 columns; set delimiter: ";" in the mapping' in out


def test_a_new_password_from_the_command_line_revokes_the_users_tokens(app_db_of_the_test):
    from marginscope.auth import Auth, Role

    auth = Auth(app_db_of_the_test)
    auth.users.add("ann", "a long enough password", Role.REP, rep_id="R1")
    tokens = [auth.tokens.create("ann", name)[1] for name in ("notebook", "script")]
    passwd = runner.invoke(app, ["users", "passwd", "ann", "--password-stdin"], input="another long password\n")
    assert passwd.exit_code == 0, passwd.output
    assert "revoked 2 API tokens" in " ".join(passwd.output.split())
    assert [auth.tokens.authenticate(token) for token in tokens] == [None, None]
    [event] = auth.audit.events(action="password_changed")
    assert (event["username"], event["detail"]["tokens_revoked"]) == ("ann", 2)


