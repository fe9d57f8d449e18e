"""The warehouse: one Ibis connection, the canonical tables, the load log and the data version.

A URL picks the engine for the whole application:

- ``duckdb://PATH`` (or a bare ``*.duckdb`` path; ``duckdb://:memory:`` in memory): the default.
- ``postgresql://user:password@host:5432/db``: PostgreSQL, through Ibis's postgres backend.
- ``spark://local[2]`` (local mode, two threads; ``local[*]`` every core), ``spark://host:7077``
  (a standalone cluster's master) or ``spark://`` (the master spark-submit or the Spark defaults
  give). Query parameters are Spark settings, e.g.
  ``spark://host:7077?spark.sql.catalogImplementation=hive&spark.executor.memory=4g``.
- any other Ibis URL (``trino://...``, ``snowflake://...``), passed to ``ibis.connect``.

Engines differ in what they can do for marginscope; :class:`Capabilities` says what, and
code asks the warehouse's ``supports_*`` flags instead of the engine's name.

Ibis is set not to merge nested projections when it compiles (``ibis.options.sql.fuse_selects``):
on the metrics' deep expressions that pass was about a third of the compile time, repeated
for every query, and every engine marginscope runs on (DuckDB, PostgreSQL, Spark) merges
projections in its own optimiser anyway; at 10 million lines the overview's queries took the
same time either way. The option is process-wide, so it applies to other Ibis code of the process.

Examples
--------
>>> wh = Warehouse.connect("duckdb://:memory:")
>>> wh.data_version
0
>>> sorted(wh.row_counts())[:3]
['budgets', 'campaigns', 'costs_to_serve']
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

import ibis
import ibis.expr.types as ir
import pandas as pd
import sqlglot as sg

from marginscope.config import get_settings
from marginscope.schema import TABLES

ibis.options.sql.fuse_selects = False  # see the module docstring

LOAD_LOG = "ms_load_log"
QUARANTINE = "ms_quarantine"

_META_SCHEMAS = {
    LOAD_LOG: ibis.schema(
        {
            "load_id": "int64",
            "data_version": "int64",  # the data version after this load
            "table_name": "string",
            "source": "string",
            "file_sha256": "string",
            "mapping": "string",
            "policy": "string",
            "status": "string",  # loaded | rejected
            "rows_read": "int64",
            "rows_loaded": "int64",
            "rows_rejected": "int64",
            "rows_inserted": "int64",
            "rows_updated": "int64",
            "rows_unchanged": "int64",
            "started_at": "timestamp",
            "duration_s": "float64",
            "user_name": "string",
            "message": "string",
        }
    ),
    QUARANTINE: ibis.schema(
        {
            "load_id": "int64",
            "table_name": "string",
            "source": "string",
            "row_number": "int64",
            "problems": "string",
            "record": "string",  # the source row as JSON, exactly as read
        }
    ),
}


class WarehouseError(Exception):
    """The warehouse cannot be reached or used."""


SPARK_DEFAULTS = {
    "spark.app.name": "marginscope",
    "spark.sql.session.timeZone": "UTC",  # timestamps are UTC (the data contract), whatever the JVM's zone
    "spark.ui.showConsoleProgress": "false",  # progress bars would garble the CLI's output
}
"""Spark settings a ``spark://`` URL starts from; its query parameters override them."""


def spark_session(url: str):
    """The SparkSession a ``spark://`` URL describes (see the module docstring).

    Spark allows one session per process: when one is running already, it is reused
    and the URL's settings are applied to it where Spark allows.
    """
    from pyspark.sql import SparkSession

    address, _, query = url.removeprefix("spark://").partition("?")
    builder = SparkSession.builder
    if address:
        builder = builder.master(address if address.startswith("local") else f"spark://{address}")
    for key, value in {**SPARK_DEFAULTS, **dict(parse_qsl(query))}.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def _duckdb(path: str):
    con = ibis.duckdb.connect(path)
    # DuckDB draws a progress bar on the terminal for long statements (a load's rollups at 10M lines), into the
    # CLI's output and the server's log; marginscope reports its own progress. A setting of the connection.
    con.raw_sql("SET enable_progress_bar = false")
    return con


def _backend_for(url: str):
    """Connect to ``url``; DuckDB paths are taken relative to the working directory."""
    if url.startswith("duckdb://"):
        path = url.removeprefix("duckdb://") or ":memory:"
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return _duckdb(path)
    if url.endswith((".duckdb", ".ddb")) and "://" not in url:
        return _duckdb(url)
    if url.startswith("spark://"):
        return ibis.pyspark.connect(spark_session(url))
    return ibis.connect(url)


@dataclass(frozen=True)
class Capabilities:
    """What an engine can do for marginscope, in the manner of Ibis's ``supports_*`` flags.

    Attributes
    ----------
    transactions
        Several statements commit together or not at all. Loads need it (they are
        atomic), and they also delete the rows an upsert replaces.
    query_templates
        Queries may be compiled once and run with the filter values bound as
        parameters (:mod:`marginscope.metrics.templates` writes DuckDB's SQL).
    """

    transactions: bool = False
    query_templates: bool = False


class _Engine:
    """How marginscope drives one kind of Ibis backend; unknown engines get this cautious default."""

    capabilities = Capabilities()

    def execute(self, con, statement: str) -> None:
        con.raw_sql(statement)

    def transaction(self, con):
        raise NotImplementedError  # never called: Warehouse.transaction checks the capability first


class _DuckDB(_Engine):
    capabilities = Capabilities(transactions=True, query_templates=True)

    @contextmanager
    def transaction(self, con) -> Iterator[None]:
        con.raw_sql("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            con.raw_sql("ROLLBACK")
            raise
        con.raw_sql("COMMIT")


class _PostgreSQL(_Engine):
    """Ibis's postgres backend runs each statement in a transaction of its own on an autocommit
    connection; inside psycopg's ``transaction()`` those become savepoints of one outer transaction."""

    capabilities = Capabilities(transactions=True)

    def execute(self, con, statement: str) -> None:
        # Not raw_sql: on an error it calls rollback(), which psycopg forbids inside transaction().
        with con.con.cursor() as cursor:
            cursor.execute(statement)

    @contextmanager
    def transaction(self, con) -> Iterator[None]:
        with con.con.transaction():
            yield


_ENGINES = {"duckdb": _DuckDB(), "postgres": _PostgreSQL()}


class Warehouse:
    """A connection to the warehouse holding marginscope's tables.

    Parameters
    ----------
    con
        An Ibis backend.
    url
        The URL it was opened from, for messages.
    capabilities
        What marginscope may ask of the engine (default: what is known of it); give fewer to
        turn a feature off, e.g. ``replace(wh.capabilities, query_templates=False)``.
    """

    ROLLUP_DIALECTS = ("duckdb", "postgres")
    """Backends that keep the rollups of :mod:`marginscope.metrics.rollups` (SQL with transactions)."""

    def __init__(self, con, url: str, capabilities: Capabilities | None = None, reads_rollups: bool = False):
        self.con = con
        self.url = url
        self._engine = _ENGINES.get(con.name, _Engine())
        self.capabilities = capabilities or self._engine.capabilities
        self._tables: dict[str, ir.Table] = {}
        self.reads_rollups = reads_rollups
        """Whether metrics read the rollups where they can (else always the invoice lines)."""

    @classmethod
    def connect(cls, url: str | None = None, *, create: bool = True) -> Warehouse:
        """Open the warehouse at ``url`` (default: the ``MARGINSCOPE_WAREHOUSE`` setting).

        With ``create`` (the default), missing tables are created.
        """
        url = url or get_settings().warehouse
        try:
            con = _backend_for(url)
        except Exception as exc:  # each backend raises its own connection errors
            raise WarehouseError(f"cannot open warehouse {url!r}: {exc}") from exc
        warehouse = cls(con, url)
        if create:
            warehouse.create_tables()
        warehouse.reads_rollups = get_settings().rollups and warehouse.keeps_rollups
        return warehouse

    @property
    def keeps_rollups(self) -> bool:
        """Whether this warehouse has the rollups (every load then maintains them)."""
        from marginscope.metrics.rollups import SCHEMAS

        return self.dialect in self.ROLLUP_DIALECTS and set(SCHEMAS) <= set(self.con.list_tables())

    @contextmanager
    def rollups_kept(self, table: str, changes: ir.Table | None) -> Iterator[None]:
        """The one hook through which a load keeps the rollups (:mod:`marginscope.metrics.rollups`) equal to
        the tables they sum: wrap each write of ``table`` in it, inside the load's transaction.

        For invoice lines, the blocks the ``changes`` touch (the lines about to be written) are found before
        the write, while the lines they replace are still stored, and refreshed after it; ``changes=None``
        (a load into empty lines) rebuilds them whole. A write of customers or costs to serve sums the
        segment tables again. Other tables, and a warehouse without rollups, need nothing.
        """
        if not self.keeps_rollups or table not in ("invoice_lines", "customers", "costs_to_serve"):
            yield
            return
        from marginscope.metrics import rollups

        touched = rollups.touched(self, changes) if table == "invoice_lines" and changes is not None else None
        yield
        if table == "invoice_lines":
            rollups.refresh(self, touched)
        else:
            rollups.rebuild_segments(self)

    def close(self) -> None:
        self.con.disconnect()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def engine(self) -> str:
        """The Ibis backend's name: ``duckdb``, ``postgres``, ``pyspark``, ..."""
        return self.con.name

    @property
    def supports_transactions(self) -> bool:
        """Whether :meth:`transaction` (and so loading, see :mod:`marginscope.ingest.load`) works."""
        return self.capabilities.transactions

    @property
    def supports_query_templates(self) -> bool:
        """Whether queries may run as parameterised templates (:mod:`marginscope.metrics.templates`)."""
        return self.capabilities.query_templates

    @property
    def dialect(self) -> str:
        return self.con.dialect if isinstance(self.con.dialect, str) else self.con.name

    def create_tables(self) -> list[str]:
        """Create every canonical and bookkeeping table that does not exist yet; return their names."""
        self._tables.clear()
        existing = set(self.con.list_tables())
        wanted = {name: t.ibis_schema for name, t in TABLES.items()} | _META_SCHEMAS
        created = []
        for name, schema in wanted.items():
            if name not in existing:
                self.con.create_table(name, schema=schema)
                created.append(name)
        if self.dialect in self.ROLLUP_DIALECTS:
            from marginscope.metrics import rollups

            created += rollups.create(self)
        return created

    def table(self, name: str) -> ir.Table:
        """The table ``name``, its schema read from the engine once: a metric reads a dozen tables, and
        asking the engine for each schema again is a round trip (a catalog query on PostgreSQL)."""
        found = self._tables.get(name)
        if found is None:
            found = self._tables[name] = self.con.table(name)
        return found

    @property
    def data_version(self) -> int:
        """A number that grows with every load that changed data; cache keys include it."""
        if self.supports_query_templates:  # read for every page drawn: DuckDB answers it sooner than Ibis builds it
            value = self.con.con.execute(f'SELECT max(data_version) FROM "{LOAD_LOG}"').fetchone()[0]
        else:
            value = self.table(LOAD_LOG).data_version.max().execute()
        return 0 if value is None or pd.isna(value) else int(value)

    def row_counts(self) -> dict[str, int]:
        return {name: int(self.table(name).count().execute()) for name in TABLES}

    def load_log(self, limit: int | None = 20) -> pd.DataFrame:
        log = self.table(LOAD_LOG).order_by(ibis.desc("load_id"))
        return (log.limit(limit) if limit else log).execute()

    def quarantine(self, load_id: int | None = None) -> pd.DataFrame:
        rows = self.table(QUARANTINE)
        if load_id is not None:
            rows = rows.filter(rows.load_id == load_id)
        return rows.order_by(["load_id", "row_number"]).execute()

    def quote(self, identifier: str) -> str:
        return sg.to_identifier(identifier, quoted=True).sql(self.dialect)

    def execute_sql(self, statement: str) -> None:
        """Run a statement built from schema identifiers (never from user input)."""
        self._engine.execute(self.con, statement)

    def temp_name(self, stem: str) -> str:
        return f"ms_tmp_{stem}_{uuid.uuid4().hex[:12]}"

    @contextmanager
    def transaction(self) -> Iterator[Warehouse]:
        """Run a block in one transaction: everything in it commits, or nothing does.

        Raises
        ------
        WarehouseError
            The engine runs no transactions (``supports_transactions`` is false).
        """
        if not self.supports_transactions:
            raise WarehouseError(f"the {self.engine} engine runs no transactions in marginscope")
        with self._engine.transaction(self.con):
            yield self
