import os
import subprocess
import sys

from marginscope.schema import TABLES
from marginscope.warehouse import LOAD_LOG, QUARANTINE, Warehouse


def test_connect_creates_every_table(warehouse):
    assert set(TABLES) | {LOAD_LOG, QUARANTINE} <= set(warehouse.con.list_tables())
    assert warehouse.row_counts() == dict.fromkeys(TABLES, 0)
    assert warehouse.data_version == 0


def test_canonical_types_in_the_warehouse(warehouse):
    schema = warehouse.table("invoice_lines").schema()
    assert str(schema["net_amount"]) == "decimal(18, 2)"
    assert str(schema["invoice_date"]) == "date"


def test_create_tables_twice_is_harmless(warehouse):
    assert warehouse.create_tables() == []


def test_default_warehouse_is_a_file_in_the_working_directory(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "MARGINSCOPE_WAREHOUSE"}
    code = "from marginscope.warehouse import Warehouse; Warehouse.connect().close()"
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, check=True)
    assert (tmp_path / "marginscope.duckdb").is_file()


def test_environment_variable_chooses_the_warehouse(tmp_path):
    env = dict(os.environ, MARGINSCOPE_WAREHOUSE=f"duckdb://{tmp_path / 'elsewhere.duckdb'}")
    code = "from marginscope.warehouse import Warehouse; Warehouse.connect().close()"
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, check=True)
    assert (tmp_path / "elsewhere.duckdb").is_file()
    assert not (tmp_path / "marginscope.duckdb").exists()


def test_unreachable_warehouse_is_a_clear_error(tmp_path):
    import pytest

    from marginscope.warehouse import WarehouseError

    with pytest.raises(WarehouseError, match="cannot open warehouse"):
        Warehouse.connect("nosuchengine://x")


def test_engines_say_what_they_can_do(warehouse):
    import dataclasses

    import pytest

    from marginscope.warehouse import WarehouseError

    assert warehouse.engine == "duckdb"
    assert warehouse.supports_transactions and warehouse.supports_query_templates
    plain = Warehouse(warehouse.con, warehouse.url, dataclasses.replace(warehouse.capabilities, transactions=False))
    assert not plain.supports_transactions and plain.supports_query_templates
    with pytest.raises(WarehouseError, match="runs no transactions"), plain.transaction():
        pass


def test_a_warehouse_without_transactions_refuses_loads_before_reading(warehouse, write):
    import dataclasses

    import pytest

    from marginscope.ingest import IngestError, load_file

    plain = Warehouse(warehouse.con, "spark://example:7077", dataclasses.replace(warehouse.capabilities,
                                                                                 transactions=False))
    with pytest.raises(IngestError, match=r"cannot load into spark://example:7077: the duckdb engine runs no "
                                          r"transactions.*Running on PostgreSQL or Spark"):
        load_file(plain, "reps", write("r.csv", "rep_id,name\nR1,Ann\n"))
    assert warehouse.row_counts()["reps"] == 0 and len(warehouse.load_log()) == 0


def test_duckdb_draws_no_progress_bar_into_our_output(tmp_path):
    """DuckDB draws a bar on the terminal for statements over two seconds (a load's rollups at 10M lines)."""
    for url in (f"duckdb://{tmp_path / 'a.duckdb'}", str(tmp_path / "b.duckdb")):
        with Warehouse.connect(url) as wh:
            assert wh.con.con.execute("SELECT current_setting('enable_progress_bar')").fetchone() == (False,)
