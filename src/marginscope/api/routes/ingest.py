"""Push rows into the warehouse: the same validation, transaction, load log and quarantine as a file.

The rows are read into a :class:`~marginscope.ingest.readers.SourceTable` of text, as a
file or a query is, and loaded by :func:`~marginscope.ingest.load.load_source`: every
rule of the data contract applies, the load is atomic and idempotent (pushing the same
rows twice changes nothing), and it is written to the load log. It runs under the
metrics' lock, on the server's one connection, so the data version it bumps is the one
the dashboards poll: open pages redraw within seconds.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Literal

import pyarrow as pa
from fastapi import APIRouter, HTTPException, Path, Request, Response
from pydantic import BaseModel, Field

from marginscope.api.deps import FOR_LOADERS, LoaderUser, MetricsDep
from marginscope.api.middleware import client_address
from marginscope.background import AFTER_LOAD
from marginscope.ingest import IngestError, LoadResult, Mapping, Policy, load_source
from marginscope.ingest.readers import SourceTable, cell_text, check_header
from marginscope.load_service import LoadService

router = APIRouter(prefix="/ingest", tags=["ingest"])

MAX_ROWS = 100_000
JsonScalar = str | int | float | bool | None
PushTable = Literal["invoice_lines", "opportunities", "payments"]


class Rows(BaseModel):
    rows: list[dict[str, JsonScalar]] = Field(
        min_length=1, max_length=MAX_ROWS,
        description="Rows with the table's canonical column names (the data contract: `marginscope schema "
                    "TABLE`); dates as YYYY-MM-DD, numbers as JSON numbers or text",
        examples=[[{"payment_id": "PM9", "invoice_id": "I1", "paid_date": "2026-03-31", "amount": 195.0}]])
    policy: Policy = Field(Policy.REJECT, description="reject: load nothing if any row is bad; quarantine: load "
                                                      "the good rows and keep the bad ones with their reasons")


class Problem(BaseModel):
    row: int = Field(description="Position in rows, counting from 1")
    column: str
    value: str | None
    reason: str


class LoadReport(BaseModel):
    """What a load did: ``rows_read == rows_loaded + rows_rejected``."""

    load_id: int
    table: str
    status: Literal["loaded", "rejected"]
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    rows_inserted: int
    rows_updated: int
    rows_unchanged: int
    data_version: int = Field(description="The warehouse's data version after the load")
    problems: list[Problem]
    notes: list[str]

    @classmethod
    def of(cls, result: LoadResult) -> LoadReport:
        return cls(**{name: getattr(result, name) for name in cls.model_fields if name != "problems"},
                   problems=result.problems.to_pylist())


@router.post("/{table}", summary="Load rows into invoice_lines, opportunities or payments (admins and analysts)",
             responses={**FOR_LOADERS,
                        422: {"model": LoadReport, "description": "The rows were rejected; nothing was loaded"}})
def ingest(table: Annotated[PushTable, Path(description="The canonical table to load")], body: Rows,
           user: LoaderUser, metrics: MetricsDep, request: Request, response: Response) -> LoadReport:
    """Validate the rows against the data contract and load them in one transaction, upserting by the table's
    key. With policy ``reject`` a single bad row rejects them all (422, nothing loaded); every problem is
    listed with its row, column and reason."""
    try:
        source = _source(table, body.rows, user.username)
        with metrics.lock:
            result = load_source(metrics.warehouse, source, Mapping.identity(table), policy=body.policy,
                                 user=user.username)
    except IngestError as refused:  # no row could be checked: a column name is blank, a required one missing
        raise HTTPException(422, str(refused)) from None
    service: LoadService = request.app.state.load_service
    if service.record([result], user.username, client_address(request)):
        # The quality checks and the alert rules read the whole warehouse: the server's scheduler runs
        # them (marginscope.load_service), so the caller does not wait for them.
        scheduler = getattr(request.app.state, "scheduler", None)
        if scheduler is not None:
            scheduler.run_soon(AFTER_LOAD)
    if not result.ok:
        response.status_code = 422
    return LoadReport.of(result)


def _source(table: str, rows: list[dict[str, JsonScalar]], username: str) -> SourceTable:
    """The rows as a source of text columns, as a file reader makes them (a JSON number reads as its text)."""
    label = f"REST API push to {table} by {username}"
    columns = list(dict.fromkeys(name for row in rows for name in row))
    check_header(label, columns)
    data = pa.table({name: pa.array([cell_text(row.get(name)) for row in rows], pa.string()) for name in columns})
    digest = hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()
    return SourceTable(path=label, data=data, first_row=1, sha256=digest)
