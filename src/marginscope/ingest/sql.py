"""SQL sources: the rows of a query on any database Ibis reaches (PostgreSQL, MySQL, DuckDB, ...).

The rows are turned into text columns, exactly like a file's, and then go through the
same mapping, validation, transaction, load log and quarantine as a file does. The
source's name in the log and in messages is the URL without its password, and the query.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit, urlunsplit

import ibis
import pyarrow as pa

from marginscope.ingest.errors import IngestError
from marginscope.ingest.readers import SourceTable, check_header, text_columns


def without_password(url: str) -> str:
    """The URL as it may be shown and logged.

    >>> without_password("postgresql://sales:s3cret@db.example.com:5432/erp")
    'postgresql://sales@db.example.com:5432/erp'
    """
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))


def read_query(url: str, query: str) -> SourceTable:
    """Run ``query`` on the database at ``url`` and return its rows as text columns.

    Raises
    ------
    IngestError
        The database cannot be reached or the query fails; the message names the
        database (without the password) and gives the database's own reason.
    """
    shown = without_password(url)
    try:
        con = ibis.connect(url)
    except Exception as exc:  # each driver raises its own connection errors
        raise IngestError(f"{shown}: cannot connect: {exc}".replace(url, shown)) from None
    try:
        rows = con.sql(query).to_pyarrow()
    except Exception as exc:
        raise IngestError(f"{shown}: the query failed: {exc}".replace(url, shown)) from None
    finally:
        con.disconnect()
    label = f"{shown} query: {' '.join(query.split())}"
    check_header(label, rows.column_names)
    data = text_columns(rows, label)
    digest = hashlib.sha256(query.encode())
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, data.schema) as stream:
        stream.write_table(data)
    digest.update(sink.getvalue().to_pybytes())
    # Rows of a query have no line numbers; they are counted from 1 in the query's order.
    return SourceTable(path=label, data=data, first_row=1, sha256=digest.hexdigest(), typed=rows)
