"""Browser sessions: a random token in an HttpOnly cookie, stored only as its SHA-256.

Each session has its own CSRF token, sent to the browser in a readable cookie and
expected back in the ``X-CSRFToken`` header (or a ``csrf_token`` form field) of every
state-changing request: the double-submit pattern Dash's renderer already follows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from marginscope.auth.store import AppStore, timestamp, utc_now
from marginscope.auth.users import User, _user


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Session:
    user: User
    csrf_token: str


class Sessions:
    """Sessions of one application database.

    Examples
    --------
    >>> from marginscope.auth.users import Users, Role
    >>> store = AppStore(":memory:")
    >>> _ = Users(store).add("ana", "correct horse battery", Role.ANALYST)
    >>> sessions = Sessions(store)
    >>> token, csrf = sessions.create("ana", hours=1)
    >>> sessions.lookup(token).user.username
    'ana'
    >>> sessions.end(token); sessions.lookup(token) is None
    True
    """

    def __init__(self, store: AppStore):
        self.store = store

    def create(self, username: str, hours: float) -> tuple[str, str]:
        """A new session for ``username``: (session token, CSRF token)."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = utc_now()
        with self.store.connect() as db:
            db.execute("DELETE FROM sessions WHERE expires_at < ?", (timestamp(now),))
            db.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)",
                       (digest(token), username, csrf, timestamp(now), timestamp(now + dt.timedelta(hours=hours))))
        return token, csrf

    def lookup(self, token: str | None) -> Session | None:
        """The live session of ``token``, or ``None`` (unknown, ended or expired)."""
        if not token:
            return None
        with self.store.connect() as db:
            row = db.execute(
                "SELECT u.*, s.csrf_token, s.expires_at FROM sessions s JOIN users u USING (username) "
                "WHERE s.token_hash = ?", (digest(token),)).fetchone()
        if row is None or row["expires_at"] < timestamp():
            return None
        return Session(_user(row), row["csrf_token"])

    def end(self, token: str | None) -> None:
        if token:
            with self.store.connect() as db:
                db.execute("DELETE FROM sessions WHERE token_hash = ?", (digest(token),))
