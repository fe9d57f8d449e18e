"""API tokens: a user's keys to the REST API, scoped exactly like the user.

A token reads ``ms_<id>_<secret>``; only the SHA-256 of the whole token is stored,
so it is shown once, when it is created. A revoked token is refused at once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from marginscope.auth.sessions import digest
from marginscope.auth.store import AppStore, timestamp
from marginscope.auth.users import User, _user

PREFIX = "ms_"


@dataclass(frozen=True)
class TokenInfo:
    token_id: str
    name: str
    created_at: str
    last_used_at: str | None
    revoked_at: str | None


class ApiTokens:
    """API tokens of one application database.

    Examples
    --------
    >>> from marginscope.auth.users import Users, Role
    >>> store = AppStore(":memory:")
    >>> _ = Users(store).add("ana", "correct horse battery", Role.ANALYST)
    >>> tokens = ApiTokens(store)
    >>> info, token = tokens.create("ana", "notebook")
    >>> tokens.authenticate(token)[0].username
    'ana'
    >>> tokens.revoke("ana", info.token_id)
    True
    >>> tokens.authenticate(token) is None
    True
    """

    def __init__(self, store: AppStore):
        self.store = store

    def create(self, username: str, name: str) -> tuple[TokenInfo, str]:
        """A new token for ``username``: (its description, the token itself, shown only now)."""
        token_id = secrets.token_hex(6)
        token = f"{PREFIX}{token_id}_{secrets.token_urlsafe(32)}"
        created = timestamp()
        with self.store.connect() as db:
            db.execute("INSERT INTO api_tokens VALUES (?, ?, ?, ?, ?, NULL, NULL)",
                       (token_id, username, name.strip() or "token", digest(token), created))
        return TokenInfo(token_id, name.strip() or "token", created, None, None), token

    def list(self, username: str) -> list[TokenInfo]:
        with self.store.connect() as db:
            rows = db.execute("SELECT token_id, name, created_at, last_used_at, revoked_at FROM api_tokens "
                              "WHERE username = ? ORDER BY created_at, token_id", (username,)).fetchall()
        return [TokenInfo(**dict(row)) for row in rows]

    def revoke(self, username: str, token_id: str) -> bool:
        """Revoke one of ``username``'s tokens; False when they have no such live token."""
        with self.store.connect() as db:
            return bool(db.execute("UPDATE api_tokens SET revoked_at = ? WHERE token_id = ? AND username = ? "
                                   "AND revoked_at IS NULL", (timestamp(), token_id, username)).rowcount)

    def authenticate(self, token: str | None) -> tuple[User, str] | None:
        """(the user, the token id) of a live token; ``None`` for anything else."""
        if not token or not token.startswith(PREFIX):
            return None
        with self.store.connect() as db:
            row = db.execute("SELECT u.*, t.token_id FROM api_tokens t JOIN users u USING (username) "
                             "WHERE t.token_hash = ? AND t.revoked_at IS NULL", (digest(token),)).fetchone()
            if row is None:
                return None
            db.execute("UPDATE api_tokens SET last_used_at = ? WHERE token_id = ?", (timestamp(), row["token_id"]))
        return _user(row), row["token_id"]
