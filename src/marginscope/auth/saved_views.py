"""Saved views: a page and its filters under a name, private or shared, one default per user.

A view stores only the path and the query string. Whoever opens a shared view sees it
through their own scope, so sharing never widens what anyone may see.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import cast

from marginscope.auth.store import AppStore, timestamp
from marginscope.auth.users import User

MAX_NAME = 80
MAX_SEARCH_BYTES = 8 * 1024
"""The most a view's query string (with its ``?``) may hold: every filter of every page fits in far less,
and browsers and proxies refuse much longer URLs, so anything longer is no view of this site."""


class ViewError(ValueError):
    """A view cannot be saved or changed as asked; the message says why."""


@dataclass(frozen=True)
class SavedView:
    view_id: int
    owner: str
    name: str
    path: str
    search: str
    shared: bool
    is_default: bool

    @property
    def url(self) -> str:
        return f"{self.path}{self.search}"


def _view(row) -> SavedView:
    return SavedView(row["view_id"], row["owner"], row["name"], row["path"], row["search"], bool(row["shared"]),
                     bool(row["is_default"]))


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name or len(name) > MAX_NAME:
        raise ViewError(f"a view needs a name of 1 to {MAX_NAME} characters")
    return name


def _clean_location(path: str, search: str) -> tuple[str, str]:
    # Browsers read a backslash as a slash ("/\\evil.example" is another site), and a user lands on their
    # default view by a redirect, whose Location header cannot hold a line break.
    if not path.startswith("/") or path.startswith("//") or "\\" in path or _has_control(path):
        raise ViewError("a view's path must be a page of this site, starting with /")
    search = search or ""
    if "\\" in search or _has_control(search):
        raise ViewError("a view's filters must be a query string of this site")
    if search and not search.startswith("?"):
        search = f"?{search}"
    size = len(search.encode())
    if size > MAX_SEARCH_BYTES:
        raise ViewError(f"a view's filters are {size:,} bytes long; a view keeps at most {MAX_SEARCH_BYTES:,} bytes "
                        "of filters (the query string after ?): save fewer filters")
    return path, search


def _has_control(text: str) -> bool:
    return any(ord(character) < 32 or ord(character) == 127 for character in text)


class SavedViews:
    """Saved views of one application database.

    Examples
    --------
    >>> from marginscope.auth.users import Users, Role
    >>> store = AppStore(":memory:")
    >>> ana = Users(store).add("ana", "correct horse battery", Role.ANALYST)
    >>> views = SavedViews(store)
    >>> north = views.save(ana, "North YTD", "/", "?region=North")
    >>> views.set_default(ana, north.view_id); views.default(ana).url
    '/?region=North'
    """

    def __init__(self, store: AppStore):
        self.store = store

    def save(self, user: User, name: str, path: str, search: str, shared: bool = False) -> SavedView:
        name = _clean_name(name)
        path, search = _clean_location(path, search)
        try:
            with self.store.connect() as db:
                cursor = db.execute(
                    "INSERT INTO saved_views (owner, name, path, search, shared, is_default, created_at) "
                    "VALUES (?, ?, ?, ?, ?, 0, ?)", (user.username, name, path, search, int(shared), timestamp()))
                view_id = cast(int, cursor.lastrowid)  # set by the INSERT
        except sqlite3.IntegrityError:
            raise ViewError(f"you already have a view named {name!r}") from None
        return self.get(user, view_id)

    def visible(self, user: User) -> list[SavedView]:
        """The user's own views, then the views others shared, by name."""
        with self.store.connect() as db:
            rows = db.execute("SELECT * FROM saved_views WHERE owner = ? OR shared = 1 "
                              "ORDER BY owner <> ?, name, view_id", (user.username, user.username)).fetchall()
        return [_view(row) for row in rows]

    def get(self, user: User, view_id: int) -> SavedView:
        """One of the user's views or a shared one; anything else is "no such view"."""
        with self.store.connect() as db:
            row = db.execute("SELECT * FROM saved_views WHERE view_id = ? AND (owner = ? OR shared = 1)",
                             (view_id, user.username)).fetchone()
        if row is None:
            raise ViewError(f"there is no view {view_id} for you")
        return _view(row)

    def _own(self, db, user: User, view_id: int):
        row = db.execute("SELECT * FROM saved_views WHERE view_id = ? AND owner = ?",
                         (view_id, user.username)).fetchone()
        if row is None:
            raise ViewError(f"you have no view {view_id}")
        return row

    def rename(self, user: User, view_id: int, name: str) -> SavedView:
        name = _clean_name(name)
        try:
            with self.store.connect() as db:
                self._own(db, user, view_id)
                db.execute("UPDATE saved_views SET name = ? WHERE view_id = ?", (name, view_id))
        except sqlite3.IntegrityError:
            raise ViewError(f"you already have a view named {name!r}") from None
        return self.get(user, view_id)

    def share(self, user: User, view_id: int, shared: bool = True) -> SavedView:
        with self.store.connect() as db:
            self._own(db, user, view_id)
            db.execute("UPDATE saved_views SET shared = ? WHERE view_id = ?", (int(shared), view_id))
        return self.get(user, view_id)

    def delete(self, user: User, view_id: int) -> None:
        with self.store.connect() as db:
            self._own(db, user, view_id)
            db.execute("DELETE FROM saved_views WHERE view_id = ?", (view_id,))

    def set_default(self, user: User, view_id: int | None) -> None:
        """Make one of the user's own views their default (``None``: no default)."""
        with self.store.connect() as db:
            if view_id is not None:
                self._own(db, user, view_id)
            db.execute("UPDATE saved_views SET is_default = (view_id = ?) WHERE owner = ?",
                       (view_id if view_id is not None else -1, user.username))

    def default(self, user: User) -> SavedView | None:
        with self.store.connect() as db:
            row = db.execute("SELECT * FROM saved_views WHERE owner = ? AND is_default = 1",
                             (user.username,)).fetchone()
        return _view(row) if row else None
