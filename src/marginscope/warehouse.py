"""The warehouse: one Ibis connection, the canonical tables, the load log and the data version.

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
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pandas as pd
import sqlglot as sg

from marginscope.config import get_settings
from marginscope.schema import TABLES

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


def _backend_for(url: str):
    """Connect to ``url``; DuckDB paths are taken relative to the working directory."""
    if url.startswith("duckdb://"):
        path = url.removeprefix("duckdb://") or ":memory:"
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return ibis.duckdb.connect(path)
    if url.endswith((".duckdb", ".ddb")) and "://" not in url:
        return ibis.duckdb.connect(url)
    return ibis.connect(url)


class Warehouse:
    """A connection to the warehouse holding marginscope's tables.

    Parameters
    ----------
    con
        An Ibis backend.
    url
        The URL it was opened from, for messages.
    """

    ROLLUP_DIALECTS = ("duckdb", "postgres")
    """Backends that keep the rollups of :mod:`marginscope.metrics.rollups` (SQL with transactions)."""

    def __init__(self, con, url: str, reads_rollups: bool = False):
        self.con = con
        self.url = url
        self.reads_rollups = reads_rollups
        """Whether metrics read the rollups where they can (else always the invoice lines)."""

    @classmethod
    def connect(cls, url: str | None = None, *, create: bool = True) -> "Warehouse":
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

    def close(self) -> None:
        self.con.disconnect()

    def __enter__(self) -> "Warehouse":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def dialect(self) -> str:
        return self.con.dialect if isinstance(self.con.dialect, str) else self.con.name

    def create_tables(self) -> list[str]:
        """Create every canonical and bookkeeping table that does not exist yet; return their names."""
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
        return self.con.table(name)

    @property
    def data_version(self) -> int:
        """A number that grows with every load that changed data; cache keys include it."""
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
        self.con.raw_sql(statement)

    def temp_name(self, stem: str) -> str:
        return f"ms_tmp_{stem}_{uuid.uuid4().hex[:12]}"

    @contextmanager
    def transaction(self) -> Iterator["Warehouse"]:
        """Run a block in one transaction: everything in it commits, or nothing does."""
        self.execute_sql("BEGIN TRANSACTION")
        try:
            yield self
        except BaseException:
            self.execute_sql("ROLLBACK")
            raise
        self.execute_sql("COMMIT")
