"""Shared fixtures: a fresh warehouse, file writers, and the master data most loads need."""

from __future__ import annotations

import hashlib
import json
import shutil
from contextlib import nullcontext
from pathlib import Path
from typing import ClassVar

import pytest

import marginscope
from marginscope.ingest import load_file
from marginscope.warehouse import Warehouse
from tests.kept import kept
from tests.live_server import admin_state, app_db, browser, demo_warehouse, expected, page, server  # noqa: F401

MAVEN_CRM = Path(__file__).resolve().parents[2] / "shared" / "data" / "maven_crm"

CUSTOMERS_CSV = """customer_id,name,industry,region,tier,owner_rep_id
C1,Acme,retail,North,Gold,R1
C2,Globex,medical,South,Bronze,R2
"""
PRODUCTS_CSV = """product_id,name,category,list_price,standard_cost
P1,Bolt,Hardware,10.00,6.00
P2,Licence,Software,100.00,20.00
"""
REPS_CSV = """rep_id,name,manager,region
R1,Ann,Mia,North
R2,Bob,Mia,South
"""
INVOICE_HEADER = "invoice_id,line_no,kind,invoice_date,customer_id,product_id,rep_id,quantity,unit_price,discount_amount,net_amount,cogs"


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups into the test ids
def pytest_collection_modifyitems(items):
    """The tests of the demo company (its live server, the browser, the figures it should show) run
    on one pytest-xdist worker (``make test`` distributes by group): the company is built, and
    the server started and warmed up, once rather than once per worker. A test on a real PostgreSQL
    server is marked ``engines`` (``make test-fast`` leaves them out)."""
    for item in items:
        if "demo_warehouse" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("demo"))
        if "postgres_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.engines)


@pytest.fixture(autouse=True)
def app_db_of_the_test(tmp_path, monkeypatch):
    """Every test gets its own application database (users, audit log), never the working directory's."""
    from marginscope.config import get_settings

    monkeypatch.setenv("MARGINSCOPE_APP_DB", str(tmp_path / "app.sqlite3"))
    get_settings.cache_clear()
    yield tmp_path / "app.sqlite3"
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def wide_command_line_output(monkeypatch):
    """The CLI's tables and messages 200 columns wide, so tests read whole cells whatever the terminal.

    Rich fixes a console's width from ``COLUMNS`` when the console is made, at import; pytest-xdist
    workers import it with ``COLUMNS=80``, so the ``env`` a test gives ``CliRunner`` comes too late.
    """
    from marginscope import cli

    for console in (cli.console, cli.errors):
        monkeypatch.setattr(console, "width", 200)


@pytest.fixture
def warehouse(tmp_path):
    """An empty warehouse in a DuckDB file of its own."""
    wh = Warehouse.connect(f"duckdb://{tmp_path / 'test.duckdb'}")
    yield wh
    wh.close()


@pytest.fixture
def write(tmp_path):
    """Write a text file into the test's folder and return its path."""

    def write_file(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding=encoding)
        return path

    return write_file


@pytest.fixture
def masters(warehouse, write):
    """The warehouse with two customers, two products and two reps loaded."""
    for table, text in (("reps", REPS_CSV), ("customers", CUSTOMERS_CSV), ("products", PRODUCTS_CSV)):
        result = load_file(warehouse, table, write(f"{table}.csv", text))
        assert result.ok, result.problems.to_pylist()
    return warehouse


class BuiltCompanies:
    """Warehouses already loaded in this test process, by the CSV texts they were loaded with.

    Loading a company through the real loader (validation, one transaction per file, the rollups
    rebuilt) takes seconds, and many tests ask for the same few companies: each set of texts is
    loaded once, and every test that asks for it again works on a copy of that warehouse's file.
    """

    folder: ClassVar[Path | None] = None  # set for the session by the ``built_companies`` fixture
    built: ClassVar[dict[str, Path]] = {}

    @classmethod
    def warehouse_for(cls, tables: dict[str, str]) -> Path | None:
        """The file of the warehouse loaded with ``tables`` (in their order), built on first request."""
        if cls.folder is None:
            return None
        key = hashlib.sha256(json.dumps(list(tables.items())).encode()).hexdigest()[:16]
        if key not in cls.built:
            folder = cls.folder / key
            folder.mkdir()
            _load_into(folder, tables).close()
            cls.built[key] = folder / "small.duckdb"
        return cls.built[key]


@pytest.fixture(scope="session", autouse=True)
def built_companies(tmp_path_factory, request):
    """Where this process keeps the companies (and users) it built; kept across xdist's teardowns."""
    BuiltCompanies.folder = kept(request, "built-companies",
                                 lambda: nullcontext(tmp_path_factory.mktemp("built-companies")))
    return BuiltCompanies


def auth_with(path: Path, users: dict[str, tuple]):
    """An application database at ``path`` with these users (username -> (password, role, extras)).

    Hashing a password with argon2 takes a sixth of a second by design, so the users are added once per
    process for each set of users, and each test gets a copy of that database."""
    from marginscope.auth import Auth

    key = hashlib.sha256(repr(sorted(users.items())).encode()).hexdigest()[:16]
    built = BuiltCompanies.folder / f"users-{key}.sqlite3" if BuiltCompanies.folder else path
    if not built.exists():
        auth = Auth(built)
        for username, (password, role, extras) in users.items():
            auth.users.add(username, password, role, **extras)
    if built != path:
        shutil.copy(built, path)
    return Auth(path)


def _load_into(folder: Path, tables: dict[str, str]):
    metrics = marginscope.open(f"duckdb://{folder / 'small.duckdb'}")
    for table, text in tables.items():
        path = folder / f"{table}.csv"
        path.write_text(text)
        result = load_file(metrics.warehouse, table, path)
        assert result.ok, result.problems.to_pylist()
    return metrics


def open_with(tmp_path, tables: dict[str, str]):
    """A metrics object over a warehouse of its own loaded, through the real loader, with these CSV texts
    (the texts are written into ``tmp_path`` too). A company loaded before in this process is copied."""
    # A second company of the test is loaded on top of the first, as it always was.
    built = None if (tmp_path / "small.duckdb").exists() else BuiltCompanies.warehouse_for(tables)
    if built is None:
        return _load_into(tmp_path, tables)
    for table, text in tables.items():
        (tmp_path / f"{table}.csv").write_text(text)
    shutil.copy(built, tmp_path / "small.duckdb")
    return marginscope.open(f"duckdb://{tmp_path / 'small.duckdb'}")


@pytest.fixture
def company(tmp_path):
    """Open a hand-worked company from CSV texts; closed when the test ends."""
    opened = []

    def open_company(**tables: str):
        opened.append(open_with(tmp_path, tables))
        return opened[-1]

    yield open_company
    for metrics in opened:
        metrics.close()


def rows_of(warehouse, table: str, order_by: str | list[str] | None = None) -> list[dict]:
    """A warehouse table as Python values (dates as dates, money as Decimal), optionally ordered."""
    expr = warehouse.table(table)
    return (expr.order_by(order_by) if order_by else expr).to_pyarrow().to_pylist()


def problems_of(result) -> list[tuple[int, str, str]]:
    """A load's problems as (row, column, reason) triples, in row order."""
    return [(p["row"], p["column"], p["reason"]) for p in result.problems.to_pylist()]


@pytest.fixture(scope="session")
def postgres_url(request):
    """A real PostgreSQL server on 127.0.0.1 for the test process (see tests/postgres.py and tests/kept.py)."""
    from tests.postgres import postgres_server

    return kept(request, "postgres", postgres_server)
