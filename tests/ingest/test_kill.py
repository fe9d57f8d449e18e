"""A load killed with SIGKILL half-way leaves the warehouse exactly as it was, and the next load succeeds.

Unlike the in-process test in test_load.py (which kills itself at one chosen line of the loader), these
run the real `marginscope load` command on a file large enough to take seconds, and kill -9 it from
outside while it reads the file, and again once it is writing to the warehouse (its database file has
started to grow), on a first load into an empty table and on an upsert over loaded rows.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from marginscope.ingest import load_file
from marginscope.warehouse import Warehouse
from tests.ingest.reliability import snapshot

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
# Above one of DuckDB's row groups (122,880 rows), so the loader writes row groups to the database file
# before it commits: there is a "while writing" to kill it in.
LINES = 130_000
COLUMNS = ["invoice_id", "line_no", "kind", "invoice_date", "customer_id", "product_id", "rep_id", "quantity",
           "unit_price", "net_amount", "cogs"]


def lines(version: int) -> pd.DataFrame:
    """The invoice lines of a version of the file: version 2 adds 1 to every price (and so changes every
    amount) and adds 10,000 lines. Whole numbers only, so the expected amounts are exact."""
    i = np.arange(LINES + (version - 1) * 10_000)
    quantity = 1 + i % 7
    price = 10 + i % 90 + (version - 1)
    dates = pd.to_datetime({"year": 2025, "month": 1 + i % 12, "day": 1 + i % 28}).dt.date
    return pd.DataFrame({"invoice_id": [f"I{n:07d}" for n in i], "line_no": 1, "kind": "invoice",
                         "invoice_date": dates, "customer_id": [f"C{n}" for n in i % 50],
                         "product_id": [f"P{n}" for n in i % 20], "rep_id": [f"R{n}" for n in i % 5],
                         "quantity": quantity, "unit_price": price, "net_amount": quantity * price,
                         "cogs": quantity * price * 3 // 5})


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kill")
    (folder / "customers.csv").write_text("customer_id,name\n" + "".join(f"C{i},Customer {i}\n" for i in range(50)))
    (folder / "products.csv").write_text("product_id,name\n" + "".join(f"P{i},Product {i}\n" for i in range(20)))
    (folder / "reps.csv").write_text("rep_id,name\n" + "".join(f"R{i},Rep {i}\n" for i in range(5)))
    expected = {version: lines(version) for version in (1, 2)}
    for version, frame in expected.items():
        frame.to_csv(folder / f"lines-{version}.csv", index=False)
    return folder, expected


@pytest.fixture
def database(files, tmp_path) -> Path:
    folder, _ = files
    database = tmp_path / "killed.duckdb"
    with Warehouse.connect(f"duckdb://{database}") as wh:
        for table in ("reps", "customers", "products"):
            assert load_file(wh, table, folder / f"{table}.csv").ok
    return database


def state_of(database: Path) -> dict:
    with Warehouse.connect(f"duckdb://{database}") as wh:
        return snapshot(wh)


def start_load(database: Path, path: Path) -> subprocess.Popen:
    return subprocess.Popen([BIN / "marginscope", "load", "invoice_lines", str(path), "--warehouse",
                             f"duckdb://{database}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "MARGINSCOPE_APP_DB": str(database.with_suffix(".sqlite3"))})


def kill_when(process: subprocess.Popen, ready, timeout: float = 120) -> None:
    """SIGKILL the process as soon as ``ready()``; fail if it finished first (then nothing was killed)."""
    deadline = time.monotonic() + timeout
    while not ready():
        assert process.poll() is None, f"the load ended before it could be killed: {process.stderr.read().decode()}"
        assert time.monotonic() < deadline, "the load never reached the point to kill it at"
        time.sleep(0.005)
    assert process.poll() is None, "the load ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL


def writing(database: Path):
    """True once the loader has written to the database (its file, or its write-ahead log, has grown)."""
    wal = database.with_name(database.name + ".wal")
    sizes = (database.stat().st_size, wal.stat().st_size if wal.exists() else 0)
    return lambda: (database.stat().st_size, wal.stat().st_size if wal.exists() else 0) != sizes


def reading(process: subprocess.Popen, path: Path):
    """True while the loader has the source file open (it reads, then validates what it read)."""
    def has_it_open() -> bool:
        try:
            return any(os.readlink(fd) == str(path) for fd in Path(f"/proc/{process.pid}/fd").iterdir())
        except OSError:  # a descriptor closed while being looked at
            return False
    return has_it_open


def loaded_lines(database: Path) -> pd.DataFrame:
    with Warehouse.connect(f"duckdb://{database}") as wh:
        found = wh.table("invoice_lines").select(COLUMNS).order_by("invoice_id").to_pandas()
    for column in ("quantity", "unit_price", "net_amount", "cogs"):  # decimals holding whole numbers
        assert (found[column] == found[column].astype("int64")).all()
        found[column] = found[column].astype("int64")
    found["invoice_date"] = pd.to_datetime(found["invoice_date"]).dt.date
    return found


def cli_load(database: Path, path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([BIN / "marginscope", "load", "invoice_lines", str(path), "--warehouse",
                           f"duckdb://{database}"], capture_output=True, check=False,
                          env={**os.environ, "MARGINSCOPE_APP_DB": str(database.with_suffix(".sqlite3"))})


@pytest.mark.parametrize("first_load", [True, False], ids=["into-an-empty-table", "upsert-over-loaded-rows"])
def test_a_load_killed_while_reading_or_writing_leaves_the_previous_state_and_the_next_load_succeeds(
        files, database, first_load):
    folder, expected = files
    source = folder / "lines-2.csv"
    if not first_load:
        assert cli_load(database, folder / "lines-1.csv").returncode == 0
    before = state_of(database)

    if not first_load:  # once is enough: reading and validating write nothing
        process = start_load(database, source)
        kill_when(process, reading(process, source))
        assert state_of(database) == before

    kill_when(start_load(database, source), writing(database))
    assert state_of(database) == before  # every table, the load log too: a killed load never happened

    finished = cli_load(database, source)
    assert finished.returncode == 0, finished.stderr.decode()
    pd.testing.assert_frame_equal(loaded_lines(database), expected[2][COLUMNS], check_dtype=False)
    with Warehouse.connect(f"duckdb://{database}") as wh:
        log = wh.load_log(limit=None)
    # Reps, customers, products (and version 1 of the lines), then this load: the killed ones left no entry.
    assert log.status.tolist() == ["loaded"] * (4 if first_load else 5)
    total = len(expected[2])
    inserted, updated = (total, 0) if first_load else (total - LINES, LINES)  # every line was repriced
    assert (log.rows_loaded.iloc[0], log.rows_inserted.iloc[0], log.rows_updated.iloc[0]) == (total, inserted, updated)
