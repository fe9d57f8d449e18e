"""The audit log: who signed in (or failed to), exported what, used which API token, loaded which data."""

from __future__ import annotations

import json

from marginscope.auth.store import AppStore, timestamp

_MATCHING = "WHERE (? IS NULL OR action = ?) AND (? IS NULL OR username = ?)"  # a constant, values bound
ACTIONS = ("login", "login_failed", "logout", "export", "api", "token_created", "token_revoked", "load",
           "quality_checks", "user_added", "user_removed", "password_changed", "view_saved", "view_deleted",
           "alert_rule_saved", "alert_rule_deleted")


class AuditLog:
    """Append-only events of one application database.

    Examples
    --------
    >>> log = AuditLog(AppStore(":memory:"))
    >>> log.record("export", "ana", format="xlsx", page="/")
    >>> [(e["action"], e["detail"]["format"]) for e in log.events()]
    [('export', 'xlsx')]
    """

    def __init__(self, store: AppStore):
        self.store = store

    def record(self, action: str, username: str | None = None, client: str | None = None, **detail) -> None:
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        with self.store.connect() as db:
            db.execute("INSERT INTO audit_log (at, username, action, detail, client) VALUES (?, ?, ?, ?, ?)",
                       (timestamp(), username, action, json.dumps(detail, default=str, sort_keys=True), client))

    def events(self, limit: int = 200, action: str | None = None, username: str | None = None,
               offset: int = 0) -> list[dict]:
        """The latest events first, optionally of one action or one user."""
        with self.store.connect() as db:
            rows = db.execute(f"SELECT * FROM audit_log {_MATCHING} ORDER BY event_id DESC LIMIT ? OFFSET ?",
                              (action, action, username, username, limit, offset)).fetchall()
        return [{**dict(row), "detail": json.loads(row["detail"])} for row in rows]

    def count(self, action: str | None = None, username: str | None = None) -> int:
        """How many events :meth:`events` would list with no limit."""
        with self.store.connect() as db:
            return db.execute(f"SELECT count(*) FROM audit_log {_MATCHING}",
                              (action, action, username, username)).fetchone()[0]
