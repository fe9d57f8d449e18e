"""The application database: users, sessions, API tokens, saved views, the audit log and alerts.

It is a small SQLite file apart from the warehouse, for two reasons: the warehouse
may be a read-mostly engine (Spark, BigQuery) that is no place for sessions, and a
DuckDB warehouse is held by the running server, while ``marginscope users add``
must work beside it. SQLite lets both processes write, one at a time.

Every statement is parameterised; no SQL is ever built from user input.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    username      TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'analyst', 'rep')),
    rep_id        TEXT,
    manager       TEXT,
    created_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    username   TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS api_tokens (
    token_id     TEXT PRIMARY KEY,
    username     TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE TABLE IF NOT EXISTS saved_views (
    view_id    INTEGER PRIMARY KEY AUTOINCREMENT,
    owner      TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    path       TEXT NOT NULL,
    search     TEXT NOT NULL,
    shared     INTEGER NOT NULL DEFAULT 0,
    is_default INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    UNIQUE (owner, name)
);
CREATE TABLE IF NOT EXISTS audit_log (
    event_id INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT NOT NULL,
    username TEXT,
    action   TEXT NOT NULL,
    detail   TEXT NOT NULL,
    client   TEXT
);
CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log (at);
CREATE TABLE IF NOT EXISTS alert_rules (
    rule_id    INTEGER PRIMARY KEY AUTOINCREMENT,
    owner      TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    params     TEXT NOT NULL,
    search     TEXT NOT NULL,
    channels   TEXT NOT NULL,
    enabled    INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    UNIQUE (owner, name)
);
CREATE TABLE IF NOT EXISTS alert_conditions (
    rule_id       INTEGER NOT NULL REFERENCES alert_rules (rule_id) ON DELETE CASCADE,
    condition_key TEXT NOT NULL,
    since         TEXT NOT NULL,
    PRIMARY KEY (rule_id, condition_key)
);
CREATE TABLE IF NOT EXISTS alert_events (
    event_id      INTEGER PRIMARY KEY AUTOINCREMENT,
    rule_id       INTEGER NOT NULL REFERENCES alert_rules (rule_id) ON DELETE CASCADE,
    fired_at      TEXT NOT NULL,
    condition_key TEXT NOT NULL,
    subject       TEXT NOT NULL,
    message       TEXT NOT NULL,
    link          TEXT NOT NULL,
    trigger       TEXT NOT NULL,
    delivery      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_events_rule ON alert_events (rule_id, fired_at);
"""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def timestamp(moment: dt.datetime | None = None) -> str:
    return (moment or utc_now()).isoformat()


class AppStore:
    """The application database at ``path`` (created with its tables on first use).

    Examples
    --------
    >>> store = AppStore(":memory:")
    >>> with store.connect() as db:
    ...     db.execute("SELECT count(*) FROM users").fetchone()[0]
    0
    """

    def __init__(self, path: str | Path):
        self.path = str(path)
        self._memory = self.path == ":memory:"
        self._shared: sqlite3.Connection | None = None
        self._lock = threading.RLock()
        if not self._memory:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            db = self._open()
            db.executescript(SCHEMA)  # runs in its own transaction
            if self._memory:
                self._shared = db  # an in-memory database lives as long as its one connection
            else:
                db.close()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys = ON")
        if not self._memory:
            db.execute("PRAGMA journal_mode = WAL")  # the CLI writes while the server reads
        return db

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection in one transaction: committed on success, rolled back on an error."""
        with self._lock:
            if self._memory:
                db = self._shared
                assert db is not None  # opened by __init__
            else:
                db = self._open()
            try:
                db.execute("BEGIN IMMEDIATE")
                yield db
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            finally:
                if not self._memory:
                    db.close()
