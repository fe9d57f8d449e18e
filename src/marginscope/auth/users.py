"""Users and their roles; passwords are hashed with Argon2id and never stored.

Roles
-----
- ``admin``: sees everything, manages users, loads data.
- ``analyst``: sees everything, loads data.
- ``manager``: sees the customers owned by the reps whose ``manager`` (in the reps table)
  is the user's ``manager`` name.
- ``rep``: sees the customers they own (``customers.owner_rep_id`` is the user's ``rep_id``),
  with those customers' invoices, deals and receivables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from marginscope.auth.store import AppStore, timestamp

MIN_PASSWORD_LENGTH = 10
USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
_hasher = PasswordHasher()
# Verifying against this when a user does not exist takes as long as a real check,
# so the time of a failed login does not tell whether the name exists.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class Role(str, Enum):
    ADMIN = "admin"
    MANAGER = "manager"
    ANALYST = "analyst"
    REP = "rep"


class UserError(ValueError):
    """A user cannot be added or changed as asked; the message says why."""


@dataclass(frozen=True)
class User:
    username: str
    role: Role
    rep_id: str | None = None
    manager: str | None = None

    @property
    def sees_everything(self) -> bool:
        return self.role in (Role.ADMIN, Role.ANALYST)

    @property
    def can_load(self) -> bool:
        """Admins and analysts may load data (files, queries, the ingest API)."""
        return self.role in (Role.ADMIN, Role.ANALYST)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


@dataclass(frozen=True)
class PasswordChange:
    """What a new password shut out: the user's sessions and live API tokens."""

    sessions_ended: int
    tokens_revoked: int


def _user(row) -> User:
    return User(row["username"], Role(row["role"]), row["rep_id"], row["manager"])


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")


class Users:
    """The users of one application database.

    Examples
    --------
    >>> users = Users(AppStore(":memory:"))
    >>> users.add("ana", "correct horse battery", Role.REP, rep_id="SP01").role
    <Role.REP: 'rep'>
    >>> users.authenticate("ana", "correct horse battery").rep_id
    'SP01'
    >>> users.authenticate("ana", "wrong password!") is None
    True
    """

    def __init__(self, store: AppStore):
        self.store = store

    def add(self, username: str, password: str, role: Role | str, rep_id: str | None = None,
            manager: str | None = None) -> User:
        role = Role(role)
        if not USERNAME.match(username):
            raise UserError(f"{username!r} is not a valid user name (letters, digits and _ . @ -, at most 64)")
        if role is Role.REP and not rep_id:
            raise UserError("a rep needs --rep-id: the rep_id of the reps table whose customers they own")
        if role is Role.MANAGER and not manager:
            raise UserError("a manager needs --manager: their name as in the reps table's manager column")
        check_password(password)
        with self.store.connect() as db:
            if db.execute("SELECT 1 FROM users WHERE username = ?", (username,)).fetchone():
                raise UserError(f"user {username!r} exists already")
            db.execute("INSERT INTO users VALUES (?, ?, ?, ?, ?, ?)",
                       (username, _hasher.hash(password), role.value,
                        rep_id if role is Role.REP else None, manager if role is Role.MANAGER else None,
                        timestamp()))
        return User(username, role, rep_id if role is Role.REP else None, manager if role is Role.MANAGER else None)

    def remove(self, username: str) -> None:
        """Remove a user with their sessions, tokens and saved views."""
        with self.store.connect() as db:
            if not db.execute("DELETE FROM users WHERE username = ?", (username,)).rowcount:
                raise UserError(f"there is no user {username!r}")

    def set_password(self, username: str, password: str) -> PasswordChange:
        """Change a password, end the user's sessions and revoke their API tokens, in one transaction.

        Whoever knew the old password may have made a token or kept a session with it: a new
        password (the user's own, or an admin's reset) shuts them all out.

        Examples
        --------
        >>> from marginscope.auth.tokens import ApiTokens
        >>> store = AppStore(":memory:")
        >>> users = Users(store)
        >>> _ = users.add("ana", "correct horse battery", Role.ANALYST)
        >>> _, token = ApiTokens(store).create("ana", "notebook")
        >>> users.set_password("ana", "another long password")
        PasswordChange(sessions_ended=0, tokens_revoked=1)
        >>> ApiTokens(store).authenticate(token) is None
        True
        """
        check_password(password)
        with self.store.connect() as db:
            if not db.execute("UPDATE users SET password_hash = ? WHERE username = ?",
                              (_hasher.hash(password), username)).rowcount:
                raise UserError(f"there is no user {username!r}")
            ended = db.execute("DELETE FROM sessions WHERE username = ?", (username,)).rowcount
            revoked = db.execute("UPDATE api_tokens SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL",
                                 (timestamp(), username)).rowcount
        return PasswordChange(sessions_ended=ended, tokens_revoked=revoked)

    def get(self, username: str) -> User | None:
        with self.store.connect() as db:
            row = db.execute("SELECT * FROM users WHERE username = ?", (username,)).fetchone()
        return _user(row) if row else None

    def all(self) -> list[User]:
        with self.store.connect() as db:
            return [_user(row) for row in db.execute("SELECT * FROM users ORDER BY username")]

    def count(self) -> int:
        with self.store.connect() as db:
            return db.execute("SELECT count(*) FROM users").fetchone()[0]

    def authenticate(self, username: str, password: str) -> User | None:
        """The user, if the password is theirs; ``None`` otherwise (whether or not the name exists)."""
        with self.store.connect() as db:
            row = db.execute("SELECT * FROM users WHERE username = ?", (username,)).fetchone()
        try:
            _hasher.verify(row["password_hash"] if row else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None:
            return None
        if _hasher.check_needs_rehash(row["password_hash"]):
            with self.store.connect() as db:
                db.execute("UPDATE users SET password_hash = ? WHERE username = ?",
                           (_hasher.hash(password), username))
        return _user(row)
