"""A load of invoice lines refreshes only the rollup cells it touched, and they are exactly those of a
full rebuild: worked out by hand for one load, and compared with a rebuild after random loads.

The hand-worked load goes into the company of ``test_rollups.py`` (see its docstring):

- I2 gets a second line, on 2026-03-02 (C2, P2, R2: 1 x 40.00, cogs 10). O2 was simple in
  (2026-02-15, C2, R2); now it spans two months and is split.
- I3 (no order id, so its own order) is re-loaded dated 2026-03-20 instead of 2026-02-20: it leaves
  C1's February (where CN1 stays) for C1's March.
- CN3 is a new credit note for C3 on 2026-01-12 (P1, R2: 1 x 10.00, cogs 6).
"""

import datetime as dt
import shutil
import uuid
from contextlib import contextmanager
from decimal import Decimal as D
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marginscope.ingest import load_file
from marginscope.metrics import rollups
from marginscope.metrics.filters import ROLLUPS
from marginscope.warehouse import Warehouse
from tests.conftest import rows_of
from tests.metrics.test_rollups import NORTH_RETAIL, SOUTH_DISTRIBUTOR, TABLES, cells, money

HEADER = ("invoice_id,line_no,kind,invoice_date,order_id,customer_id,product_id,rep_id,quantity,unit_price,"
          "discount_amount,net_amount,cogs\n")
WORKED_LOAD = HEADER + """I2,2,invoice,2026-03-02,O2,C2,P2,R2,1,40.00,0,40.00,10.00
I3,1,invoice,2026-03-20,,C1,P1,R1,2,10.00,2.00,18.00,12.00
CN3,1,credit_note,2026-01-12,,C3,P1,R2,1,10.00,0,10.00,6.00
"""


def rollup_rows(warehouse) -> dict[str, list[tuple]]:
    """Every row of every rollup table, sorted (dates, exact decimals and ints as the engine returns them)."""
    return {name: sorted((tuple(row.values()) for row in rows_of(warehouse, name)), key=repr)
            for name in rollups.SCHEMAS}


class _Undo(Exception):
    pass


def rebuilt_rows(warehouse) -> dict[str, list[tuple]]:
    """The rollup rows a full rebuild writes over the current data; the warehouse is left as it was."""
    try:
        with warehouse.transaction():
            rollups.rebuild(warehouse)
            rows = rollup_rows(warehouse)
            raise _Undo
    except _Undo:
        return rows


@contextmanager
def paths_taken(share: float = float("inf")):
    """Record which path each refresh took, with ``share`` as the threshold of a full rebuild: by
    default, the incremental path whatever the share of the lines a load touches (these companies are
    tiny)."""
    taken = []
    real = rollups.refresh

    def recording(warehouse, blocks):
        taken.append(real(warehouse, blocks))
        return taken[-1]

    with mock.patch.object(rollups, "FULL_REBUILD_SHARE", share), mock.patch.object(rollups, "refresh", recording):
        yield taken


def load(warehouse, folder: Path, table: str, text: str) -> None:
    path = folder / f"{table}-{uuid.uuid4().hex[:8]}.csv"
    path.write_text(text)
    result = load_file(warehouse, table, path)
    assert result.ok, result.problems.to_pylist()


@pytest.fixture
def company(tmp_path):
    wh = Warehouse.connect(f"duckdb://{tmp_path / 'company.duckdb'}")
    for table, text in TABLES.items():
        load(wh, tmp_path, table, text)
    yield wh
    wh.close()


def test_a_load_refreshes_the_cells_it_touched_worked_by_hand(company, tmp_path):
    with paths_taken() as taken:
        load(company, tmp_path, "invoice_lines", WORKED_LOAD)
    assert taken == ["refreshed"]
    customer_month = cells(company, ROLLUPS.customer_month)
    # (gross sales, discount, invoiced, returns, revenue, cogs, orders)
    # C2's February: I2's first line 50 (cogs 30) and I6 100 (cogs 20, O5 split); O2 is split now: no order
    assert customer_month[(dt.date(2026, 2, 1), "C2", "R2")] == (*money(150, 0, 150, 0, 150, 50), 0)
    assert customer_month[(dt.date(2026, 3, 1), "C2", "R2")] == (*money(40, 0, 40, 0, 40, 10), 0)  # O2's second part
    # C1's February keeps CN1 only (9.50 back, cogs 6 back); I3 (20 - 2, cogs 12, its own order) joins O6's R1
    # line (40, cogs 24; split) in March.
    assert customer_month[(dt.date(2026, 2, 1), "C1", "R1")] == (*money(0, 0, 0, "9.5", "-9.5", -6), 0)
    assert customer_month[(dt.date(2026, 3, 1), "C1", "R1")] == (*money(60, 2, 58, 0, 58, 36), 1)
    assert customer_month[(dt.date(2026, 1, 1), "C3", "R2")] == (*money(0, 0, 0, 10, -10, -6), 0)  # CN3
    # Untouched: C1's January (O1) and C2's 2025
    assert customer_month[(dt.date(2026, 1, 1), "C1", "R1")] == (*money(300, 5, 295, 0, 295, 100), 1)
    assert customer_month[(dt.date(2025, 2, 1), "C2", "R2")] == (*money(100, 0, 100, 0, 100, 20), 1)
    assert len(customer_month) == 11  # the 9 before, C2's March of R2 and C3's January
    split = {tuple(r.values()) for r in rows_of(company, ROLLUPS.split_orders)}
    assert split == {("O5", dt.date(2026, 1, 30), "C2", "P1", "R2"), ("O5", dt.date(2026, 2, 2), "C2", "P2", "R2"),
                     ("O6", dt.date(2026, 3, 10), "C1", "P1", "R1"), ("O6", dt.date(2026, 3, 10), "C1", "P2", "R2"),
                     ("O2", dt.date(2026, 2, 15), "C2", "P1", "R2"), ("O2", dt.date(2026, 3, 2), "C2", "P2", "R2")}
    sales_day = cells(company, ROLLUPS.sales_day)
    assert (dt.date(2026, 2, 20), "C1", "P1", "R1") not in sales_day  # I3 moved
    assert sales_day[(dt.date(2026, 3, 20), "C1", "P1", "R1")] == (*money(20, 2, 18, 0, 18, 12), 1)
    # (..., orders, active customers)
    segments = cells(company, ROLLUPS.segment_month)
    # January, North retail: C1's O1 (295, cogs 100) and C3's CN3 (10 back, cogs 6 back); C1 active only
    assert segments[(dt.date(2026, 1, 1), *NORTH_RETAIL)] == (*money(300, 5, 295, 10, 285, 94), 1, 1)
    # February, North retail: CN1 only, no one active; South: I2's first line and I6, no simple order
    assert segments[(dt.date(2026, 2, 1), *NORTH_RETAIL)] == (*money(0, 0, 0, "9.5", "-9.5", -6), 0, 0)
    assert segments[(dt.date(2026, 2, 1), *SOUTH_DISTRIBUTOR)] == (*money(150, 0, 150, 0, 150, 50), 0, 1)
    # March, North retail: C1's I7 (240 gross, 10 discount, cogs 64) and I3 (20, 2, cogs 12), C3's CN2 (200 back,
    # cogs 40 back); South: I8 (10, cogs 6, O8) and O2's second part (40, cogs 10)
    assert segments[(dt.date(2026, 3, 1), *NORTH_RETAIL)] == (*money(260, 12, 248, 200, 48, 36), 1, 1)
    assert segments[(dt.date(2026, 3, 1), *SOUTH_DISTRIBUTOR)] == (*money(50, 0, 50, 0, 50, 16), 1, 1)
    products = cells(company, ROLLUPS.segment_product_month)
    assert products[(dt.date(2026, 3, 1), "P2", *SOUTH_DISTRIBUTOR)] == (*money(40, 0, 40, 0, 40, 10), 0)
    assert products[(dt.date(2026, 1, 1), "P1", *NORTH_RETAIL)] == (*money(100, 5, 95, 10, 85, 54), 1)  # I1's P1, CN3
    assert rollup_rows(company) == rebuilt_rows(company)


def test_a_first_load_and_a_load_of_many_lines_rebuild_whole(tmp_path):
    with Warehouse.connect(f"duckdb://{tmp_path / 'company.duckdb'}") as wh, paths_taken(share=0.5) as taken:
        for table, text in TABLES.items():
            load(wh, tmp_path, table, text)
        # One more unit on I1, I2, I7 and CN2's first lines: the blocks of C1's January (I1's two lines),
        # C2's February (I2, I6), C1's March (I7's two) and C3's March (CN2), 7 of the 12 lines
        load(wh, tmp_path, "invoice_lines", HEADER + """I1,1,invoice,2026-01-10,O1,C1,P1,R1,11,10.00,5.00,105.00,66.00
I2,1,invoice,2026-02-15,O2,C2,P1,R2,6,10.00,0,60.00,36.00
I7,1,invoice,2026-03-10,O6,C1,P1,R1,5,10.00,0,50.00,30.00
CN2,1,credit_note,2026-03-05,,C3,P2,R2,2,200.00,0,400.00,80.00
""")
        assert taken == ["rebuilt", "rebuilt"]  # into empty lines, then more than half of them
        assert rollup_rows(wh) == rebuilt_rows(wh)
        load(wh, tmp_path, "invoice_lines", HEADER + "I9,1,invoice,2025-02-11,O9,C2,P2,R2,1,5.00,0,5.00,1.00\n")
        assert taken[-1] == "refreshed"  # C2's February 2025: I4 and I9, 2 of the 13 lines
        assert rollup_rows(wh) == rebuilt_rows(wh)


# --- random loads ------------------------------------------------------------------------------------------

REPS = "rep_id,name\nR1,Ann\nR2,Bob\n"
PRODUCTS = "product_id,name,category\nP1,Bolt,Hardware\nP2,Licence,Software\nP3,Nut,Hardware\n"
REGIONS = ("North", "South")
TIERS = ("Gold", "Bronze", "")
# Few days, around month ends and in three months, so that loads keep landing in the same cells and
# orders in several of them.
DAYS = (dt.date(2026, 1, 30), dt.date(2026, 1, 31), dt.date(2026, 2, 1), dt.date(2026, 2, 14), dt.date(2026, 3, 1),
        dt.date(2026, 3, 31))
PRICES = (D("0.00"), D("1.25"), D("10.00"), D("99.99"))


def customers_text(customers: dict[str, tuple[str, str]]) -> str:
    return "customer_id,name,region,tier\n" + "".join(
        f"{c},Customer {c},{region},{tier}\n" for c, (region, tier) in sorted(customers.items()))


@st.composite
def line_files(draw, customers: list[str]) -> str:
    """A file of invoice lines with keys from a small pool: many re-load (or update) lines loaded before."""
    keys = draw(st.lists(st.tuples(st.sampled_from(["I1", "I2", "I3", "I4", "I5", "I6"]), st.integers(1, 3)),
                         min_size=1, max_size=8, unique=True))
    rows = []
    for invoice, line_no in keys:
        kind = draw(st.sampled_from(["invoice", "invoice", "invoice", "credit_note"]))
        quantity, price = draw(st.integers(0, 4)), draw(st.sampled_from(PRICES))
        gross = quantity * price
        discount = draw(st.sampled_from([D("0.00"), min(gross, D("1.50"))]))
        cogs = draw(st.one_of(st.none(), st.sampled_from([D("0.00"), D("3.10"), D("42.00")])))
        order = draw(st.sampled_from(["O1", "O2", "O3", ""]))
        rows.append(",".join(map(str, (
            invoice, line_no, kind, draw(st.sampled_from(DAYS)), order, draw(st.sampled_from(customers)),
            draw(st.sampled_from(["P1", "P2", "P3"])), draw(st.sampled_from(["R1", "R2", ""])), quantity, price,
            discount, gross - discount, "" if cogs is None else cogs))))
    return HEADER + "".join(row + "\n" for row in rows)


@st.composite
def load_sequences(draw) -> list[tuple[str, str]]:
    """A first load of lines, then loads of lines, of new customers and of customers moved to another segment."""
    customers = {"C1": ("North", "Gold"), "C2": ("South", "Bronze"), "C3": ("North", "Gold")}
    loads = [("customers", customers_text(customers)), ("invoice_lines", draw(line_files(sorted(customers))))]
    for _ in range(draw(st.integers(1, 4))):
        step = draw(st.sampled_from(["lines", "lines", "lines", "new customer", "moved customer"]))
        if step == "new customer" and len(customers) < 5:
            customers[f"C{len(customers) + 1}"] = (draw(st.sampled_from(REGIONS)), draw(st.sampled_from(TIERS)))
            loads.append(("customers", customers_text(customers)))
        elif step == "moved customer":
            moved = draw(st.sampled_from(sorted(customers)))
            customers[moved] = (draw(st.sampled_from(REGIONS)), draw(st.sampled_from(TIERS)))
            loads.append(("customers", customers_text(customers)))
        else:
            loads.append(("invoice_lines", draw(line_files(sorted(customers)))))
    return loads


@pytest.fixture(scope="module")
def masters(tmp_path_factory) -> Path:
    """A warehouse file with the reps and products loaded, copied for every example."""
    folder = tmp_path_factory.mktemp("masters")
    with Warehouse.connect(f"duckdb://{folder / 'masters.duckdb'}") as wh:
        load(wh, folder, "reps", REPS)
        load(wh, folder, "products", PRODUCTS)
    return folder / "masters.duckdb"


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(loads=load_sequences())
def test_incremental_rollups_equal_a_rebuild_after_random_loads(masters, tmp_path, loads):
    folder = tmp_path / uuid.uuid4().hex[:8]
    folder.mkdir()
    shutil.copy(masters, folder / "wh.duckdb")
    with Warehouse.connect(f"duckdb://{folder / 'wh.duckdb'}") as wh, paths_taken() as taken:
        for table, text in loads:
            load(wh, folder, table, text)
            # After every load of lines, not only the last: a wrong cell must not be hidden by a later refresh
            # of it. (A load of customers rebuilds the segment tables from the month tables.)
            if table == "invoice_lines":
                assert rollup_rows(wh) == rebuilt_rows(wh), text
        assert taken[0] == "rebuilt" and set(taken[1:]) <= {"refreshed"}  # the first into empty lines


def test_incremental_rollups_on_postgresql(postgres_url, tmp_path):
    """The refresh is Ibis and portable SQL: on PostgreSQL it writes the rows of a rebuild too."""
    import psycopg

    database = f"incremental_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres_url, autocommit=True) as con:
        con.execute(f"CREATE DATABASE {database}")  # a name of our own, not from input
    wh = Warehouse.connect(postgres_url.rsplit("/", 1)[0] + "/" + database)
    try:
        for table, text in TABLES.items():
            load(wh, tmp_path, table, text)
        with paths_taken() as taken:
            load(wh, tmp_path, "invoice_lines", WORKED_LOAD)
        assert taken == ["refreshed"]
        assert cells(wh, ROLLUPS.customer_month)[(dt.date(2026, 3, 1), "C1", "R1")] == (*money(60, 2, 58, 0, 58, 36), 1)
        assert rollup_rows(wh) == rebuilt_rows(wh)
    finally:
        wh.close()

