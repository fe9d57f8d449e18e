"""Load validated rows into the warehouse: atomic, idempotent, logged.

A load is one transaction. It upserts by the table's key, writing only rows that
are new or differ from what the warehouse holds, so loading the same file twice
changes nothing (and does not bump the data version). Every load, accepted or
rejected, gets a row in the load log; rejected rows are kept in the quarantine
table with their reasons.

Loads need an engine that runs transactions (``Warehouse.supports_transactions``:
DuckDB and PostgreSQL). Elsewhere (Spark, and Ibis engines marginscope has not been
tested on) a load is refused before anything is read, rather than written half-way:
load such a warehouse's tables with the engine's own tools (see the README, "Running
on PostgreSQL or Spark").

Examples
--------
>>> import tempfile, pathlib
>>> from marginscope.warehouse import Warehouse
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "products.csv").write_text("product_id,name,category\\nP1,Bolt,Hardware\\n")
>>> wh = Warehouse.connect("duckdb://:memory:")
>>> result = load_file(wh, "products", folder / "products.csv")
>>> result.status, result.rows_read, result.rows_loaded, result.data_version
('loaded', 1, 1, 1)
>>> load_file(wh, "products", folder / "products.csv").rows_unchanged
1
"""

from __future__ import annotations

import getpass
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from marginscope.config import get_settings
from marginscope.ingest.errors import IngestError
from marginscope.ingest.mapping import Bundle, Mapping
from marginscope.ingest.readers import Progress, SourceTable, read_source
from marginscope.ingest.sql import read_query
from marginscope.ingest.validate import Validated, validate
from marginscope.schema import TABLES, Table
from marginscope.warehouse import LOAD_LOG, QUARANTINE, Warehouse


class Policy(str, Enum):
    """What to do with a file that has bad rows."""

    REJECT = "reject"
    """Load nothing from the file (the default): fix it and load it again."""
    QUARANTINE = "quarantine"
    """Load the good rows; keep the bad ones, with their reasons, in the quarantine table."""


@dataclass
class LoadResult:
    """What a load did. ``rows_read == rows_loaded + rows_rejected`` always holds."""

    load_id: int
    table: str
    source: str
    status: str  # "loaded" or "rejected"
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    rows_inserted: int
    rows_updated: int
    rows_unchanged: int
    data_version: int
    duration_s: float
    problems: pa.Table
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "loaded"


def load_file(
    warehouse: Warehouse,
    table: str,
    path: str | Path,
    mapping: Mapping | None = None,
    *,
    policy: Policy = Policy.REJECT,
    user: str | None = None,
    progress: Progress | None = None,
) -> LoadResult:
    """Read, validate and load one CSV, Excel or Parquet file into a canonical table.

    Raises
    ------
    IngestError
        The file cannot be read, or lacks required columns (nothing is loaded, and
        the attempt is not logged because no row could be read).
    """
    return _read_and_load(warehouse, table, mapping, lambda rules, bar: read_source(path, rules, bar),
                          policy=policy, user=user, progress=progress)


def load_query(
    warehouse: Warehouse,
    table: str,
    url: str,
    query: str,
    mapping: Mapping | None = None,
    *,
    policy: Policy = Policy.REJECT,
    user: str | None = None,
    progress: Progress | None = None,
) -> LoadResult:
    """Load the rows of a SQL query on another database into a canonical table.

    The rows are validated, loaded, logged and quarantined exactly as a file's rows.

    Raises
    ------
    IngestError
        The database cannot be reached, the query fails, or it lacks required columns.
    """
    return _read_and_load(warehouse, table, mapping, lambda rules, bar: read_query(url, query),
                          policy=policy, user=user, progress=progress)


def _read_and_load(warehouse: Warehouse, table: str, mapping: Mapping | None, read, *, policy: Policy,
                   user: str | None, progress: Progress | None) -> LoadResult:
    """Check the mapping fits ``table``, ``read(mapping, progress)`` the source, and load it."""
    mapping = mapping or Mapping.identity(table)
    require_transactions(warehouse)
    if mapping.table != table:
        raise ValueError(f"the mapping {mapping.origin} is for {mapping.table}, not {table}")
    started = time.perf_counter()
    if progress:
        progress = _labelled(progress, table)
    source = read(mapping, progress)
    return load_source(warehouse, source, mapping, policy=policy, user=user, progress=progress, started=started)


def require_transactions(warehouse: Warehouse) -> None:
    """Refuse to load into an engine that cannot make a load atomic.

    Raises
    ------
    IngestError
        The warehouse's engine runs no transactions.
    """
    if not warehouse.supports_transactions:
        raise IngestError(
            f"cannot load into {warehouse.url}: the {warehouse.engine} engine runs no transactions, so a load "
            "could be left half-written; load its tables with the engine's own tools (the README's "
            "\"Running on PostgreSQL or Spark\" says how), or load into DuckDB or PostgreSQL")


def _labelled(progress: Progress, table: str) -> Progress:
    """Prefix stages with the table, so a bundle's progress says which file is at which stage."""
    return lambda stage, done, total: progress(f"{table} {stage}", done, total)


def load_bundle(
    warehouse: Warehouse,
    bundle: Bundle,
    *,
    policy: Policy = Policy.REJECT,
    user: str | None = None,
    progress: Progress | None = None,
) -> list[LoadResult]:
    """Load every file of a bundle in table order, each in its own transaction.

    Stops at the first rejected file, since the files after it usually reference
    its rows; the results so far are returned.
    """
    results = []
    for item in bundle.loads:
        result = load_file(warehouse, item.mapping.table, item.file, item.mapping,
                           policy=policy, user=user, progress=progress)
        results.append(result)
        if not result.ok:
            break
    return results


def load_source(
    warehouse: Warehouse,
    source: SourceTable,
    mapping: Mapping,
    *,
    policy: Policy = Policy.REJECT,
    user: str | None = None,
    progress: Progress | None = None,
    started: float | None = None,
) -> LoadResult:
    """Validate rows already read and load them in one transaction.

    Raises
    ------
    IngestError
        The warehouse's engine runs no transactions (see :func:`require_transactions`).
    """
    require_transactions(warehouse)
    started = time.perf_counter() if started is None else started
    started_at = datetime.now(UTC).replace(tzinfo=None)
    user = user or get_settings().user or getpass.getuser()
    schema = TABLES[mapping.table]
    if progress:
        progress("validate", 0, 1)
    checked = validate(source, mapping, _known_keys(warehouse))
    if progress:
        progress("validate", 1, 1)
        progress("write", 0, 1)

    rejected_file = policy is Policy.REJECT and bool(checked.bad.any())
    rows_read = source.data.num_rows
    with warehouse.transaction():
        load_id = _next_load_id(warehouse)
        version = warehouse.data_version
        inserted, updated, unchanged = (0, 0, 0) if rejected_file else _upsert(warehouse, schema, checked.good_rows)
        if inserted or updated:
            version += 1
        if not rejected_file:  # nothing of a rejected file is kept: the file itself is still the user's to fix
            _quarantine(warehouse, load_id, schema.name, source, checked)
        rows_loaded = 0 if rejected_file else rows_read - int(checked.bad.sum())
        result = LoadResult(
            load_id=load_id,
            table=schema.name,
            source=str(source.path),
            status="rejected" if rejected_file else "loaded",
            rows_read=rows_read,
            rows_loaded=rows_loaded,
            rows_rejected=rows_read - rows_loaded,
            rows_inserted=inserted,
            rows_updated=updated,
            rows_unchanged=unchanged,
            data_version=version,
            duration_s=time.perf_counter() - started,
            problems=checked.problems,
            notes=checked.notes,
        )
        _log(warehouse, result, source, mapping, policy, user, started_at)
    if progress:
        progress("write", 1, 1)
    return result


def _known_keys(warehouse: Warehouse):
    def known(table: str, column: str) -> pa.Array | None:
        values = warehouse.table(table)[column]
        if not TABLES[table].required and warehouse.table(table).count().execute() == 0:
            return None
        return values.cast("string").name("v").as_table().distinct().to_pyarrow().column("v").combine_chunks()

    return known


def _next_load_id(warehouse: Warehouse) -> int:
    last = warehouse.table(LOAD_LOG).load_id.max().execute()
    return 1 if last is None or last != last else int(last) + 1


def _typed(rows: pa.Table, schema: Table) -> ibis.Table:
    """The rows as an Ibis table in the canonical column types."""
    staged = ibis.memtable(rows)
    return staged.select(**{c.name: staged[c.name].cast(c.kind.ibis_type) for c in schema.columns})


def _upsert(warehouse: Warehouse, schema: Table, rows: pa.Table) -> tuple[int, int, int]:
    """Write rows that are new or changed; return (inserted, updated, unchanged).

    Each write goes through the warehouse's one rollup hook (:meth:`Warehouse.rollups_kept`), in the
    load's transaction: the rollups never lag the lines, customers or costs they sum.
    """
    if rows.num_rows == 0:
        return 0, 0, 0
    target = warehouse.table(schema.name)
    staged = _typed(rows, schema)
    if target.count().execute() == 0:  # a first load: every row is new, no comparison needed
        with warehouse.rollups_kept(schema.name, None):
            warehouse.con.insert(schema.name, staged)
        return rows.num_rows, 0, 0
    changes_name = warehouse.temp_name(schema.name)
    same_row = [staged[c].identical_to(target[c]) for c in schema.column_names]
    changes = warehouse.con.create_table(changes_name, staged.anti_join(target, same_row), temp=True)
    try:
        n_changes = int(changes.count().execute())
        same_key = [changes[k].identical_to(target[k]) for k in schema.key]
        updated = int(changes.semi_join(target, same_key).count().execute()) if n_changes else 0
        if n_changes:
            with warehouse.rollups_kept(schema.name, changes):
                _replace_keys(warehouse, schema, changes_name)
                warehouse.con.insert(schema.name, changes)
    finally:
        warehouse.con.drop_table(changes_name, force=True)
    return n_changes - updated, updated, rows.num_rows - n_changes


def _replace_keys(warehouse: Warehouse, schema: Table, changes_name: str) -> None:
    """Delete the target rows whose keys the changes carry (identifiers come from the schema only)."""
    target, changes = warehouse.quote(schema.name), warehouse.quote(changes_name)
    same_key = " AND ".join(
        f"{target}.{warehouse.quote(k)} IS NOT DISTINCT FROM c.{warehouse.quote(k)}" for k in schema.key
    )
    warehouse.execute_sql(f"DELETE FROM {target} WHERE EXISTS (SELECT 1 FROM {changes} AS c WHERE {same_key})")


def _quarantine(warehouse: Warehouse, load_id: int, table: str, source: SourceTable, checked: Validated) -> None:
    indices = checked.bad_indices
    if not len(indices):
        return
    problems = checked.problems
    texts = pc.binary_join_element_wise(problems["column"], pc.fill_null(problems["reason"], ""), ": ")
    by_row: dict[int, list[str]] = {}
    for row, text in zip(problems["row"].to_pylist(), texts.to_pylist()):
        by_row.setdefault(row, []).append(text)
    rows = source.row_numbers(indices).to_pylist()
    records = source.data.take(pa.array(indices)).to_pylist()
    warehouse.con.insert(
        QUARANTINE,
        ibis.memtable(
            pa.table(
                {
                    "load_id": pa.array(np.full(len(indices), load_id), pa.int64()),
                    "table_name": pa.array([table] * len(indices)),
                    "source": pa.array([str(source.path)] * len(indices)),
                    "row_number": pa.array(rows, pa.int64()),
                    "problems": pa.array(["; ".join(by_row.get(r, [])) for r in rows]),
                    "record": pa.array([json.dumps(r, ensure_ascii=False) for r in records]),
                }
            )
        ),
    )


_PROBLEMS_LOGGED = 5


def _first_problems(problems: pa.Table) -> str:
    """The first problems of a rejected file, for its load log entry (its rows are not quarantined).

    Examples
    --------
    >>> from marginscope.ingest.validate import PROBLEM_SCHEMA
    >>> table = pa.table({"row": [2, 9], "column": ["currency", "net_amount"], "value": ["USD", "1"],
    ...                   "reason": ["in USD", "not a number"]}, schema=PROBLEM_SCHEMA)
    >>> _first_problems(table)
    "row 2, currency 'USD': in USD; row 9, net_amount '1': not a number"
    """
    shown = [f"row {p['row']}, {p['column']} {'(empty)' if p['value'] is None else repr(p['value'])}: {p['reason']}"
             for p in problems.slice(0, _PROBLEMS_LOGGED).to_pylist()]
    more = problems.num_rows - len(shown)
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


def _log(warehouse: Warehouse, result: LoadResult, source: SourceTable, mapping: Mapping, policy: Policy,
         user: str, started_at: datetime) -> None:
    message = "; ".join(result.notes)
    if result.status == "rejected":
        message = (f"{result.problems.num_rows} problems; file rejected: {_first_problems(result.problems)}"
                   + (f"; {message}" if message else ""))
    row = {
        "load_id": result.load_id,
        "data_version": result.data_version,
        "table_name": result.table,
        "source": result.source,
        "file_sha256": source.sha256,
        "mapping": mapping.origin,
        "policy": policy.value,
        "status": result.status,
        "rows_read": result.rows_read,
        "rows_loaded": result.rows_loaded,
        "rows_rejected": result.rows_rejected,
        "rows_inserted": result.rows_inserted,
        "rows_updated": result.rows_updated,
        "rows_unchanged": result.rows_unchanged,
        "started_at": started_at,
        "duration_s": result.duration_s,
        "user_name": user,
        "message": message,
    }
    schema = warehouse.table(LOAD_LOG).schema()
    warehouse.con.insert(LOAD_LOG, ibis.memtable([row], schema=schema))
