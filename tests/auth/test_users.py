"""Users, passwords, sessions, tokens and saved views in the application database."""

from __future__ import annotations

import sqlite3

import pytest

from marginscope.auth import Role, UserError, ViewError
from tests.auth.conftest import PASSWORD


def test_passwords_are_stored_as_argon2id_hashes_only(auth, tmp_path):
    with sqlite3.connect(tmp_path / "app.sqlite3") as db:
        stored = dict(db.execute("SELECT username, password_hash FROM users"))
    assert all(h.startswith("$argon2id$") for h in stored.values())
    assert not any(PASSWORD in h for h in stored.values())
    assert auth.users.authenticate("ann", PASSWORD).rep_id == "R1"
    assert auth.users.authenticate("ann", PASSWORD + "x") is None
    assert auth.users.authenticate("nobody", PASSWORD) is None


@pytest.mark.parametrize("args, message", [
    (("x", "short", Role.ADMIN), "at least 10 characters"),
    (("ann", PASSWORD, Role.ADMIN), "exists already"),
    (("bad name", PASSWORD, Role.ADMIN), "not a valid user name"),
    (("rex", PASSWORD, Role.REP), "needs --rep-id"),
    (("max", PASSWORD, Role.MANAGER), "needs --manager"),
])
def test_a_user_that_cannot_be_added_is_refused_with_the_reason(auth, args, message):
    with pytest.raises(UserError, match=message):
        auth.users.add(*args)


def test_removing_a_user_ends_their_sessions_tokens_and_views(auth):
    ann = auth.users.get("ann")
    session, _ = auth.sessions.create("ann", hours=1)
    _, token = auth.tokens.create("ann", "notebook")
    auth.views.save(ann, "mine", "/", "?region=North", shared=True)
    auth.users.remove("ann")
    assert auth.sessions.lookup(session) is None
    assert auth.tokens.authenticate(token) is None
    assert auth.views.visible(auth.users.get("boss")) == []


def test_a_new_password_ends_the_old_sessions(auth):
    session, _ = auth.sessions.create("ann", hours=1)
    auth.users.set_password("ann", "another long password")
    assert auth.sessions.lookup(session) is None
    assert auth.users.authenticate("ann", "another long password") is not None


def test_an_expired_session_is_refused(auth):
    session, _ = auth.sessions.create("ann", hours=-1)
    assert auth.sessions.lookup(session) is None


def test_a_revoked_token_is_refused_and_only_its_owner_revokes_it(auth):
    info, token = auth.tokens.create("ann", "notebook")
    assert auth.tokens.authenticate(token)[0].username == "ann"
    assert not auth.tokens.revoke("cy", info.token_id)  # not cy's token
    assert auth.tokens.authenticate(token) is not None
    assert auth.tokens.revoke("ann", info.token_id)
    assert auth.tokens.authenticate(token) is None
    assert auth.tokens.list("ann")[0].revoked_at is not None
    assert auth.tokens.authenticate(token.replace("ms_", "xx_")) is None


def test_saved_views_are_private_until_shared_and_only_their_owner_changes_them(auth):
    ann, cy = auth.users.get("ann"), auth.users.get("cy")
    view = auth.views.save(ann, "North", "/team", "region=North")
    assert view.url == "/team?region=North"
    assert auth.views.visible(cy) == []
    with pytest.raises(ViewError):
        auth.views.get(cy, view.view_id)
    auth.views.share(ann, view.view_id)
    assert [v.name for v in auth.views.visible(cy)] == ["North"]
    for change in (lambda: auth.views.rename(cy, view.view_id, "Mine now"), lambda: auth.views.delete(cy, view.view_id),
                   lambda: auth.views.share(cy, view.view_id, False), lambda: auth.views.set_default(cy, view.view_id)):
        with pytest.raises(ViewError, match="you have no view"):
            change()
    assert auth.views.rename(ann, view.view_id, "North team").name == "North team"
    with pytest.raises(ViewError, match="already have a view"):
        auth.views.save(ann, "North team", "/", "")
    auth.views.delete(ann, view.view_id)
    assert auth.views.visible(ann) == []


def test_one_default_view_per_user(auth):
    ann = auth.users.get("ann")
    first = auth.views.save(ann, "one", "/", "?tier=Gold")
    second = auth.views.save(ann, "two", "/budget", "")
    auth.views.set_default(ann, first.view_id)
    auth.views.set_default(ann, second.view_id)
    assert auth.views.default(ann).name == "two"
    assert [v.is_default for v in auth.views.visible(ann)] == [False, True]
    auth.views.set_default(ann, None)
    assert auth.views.default(ann) is None


# A backslash reads as a slash in a browser ("/\\evil.example" is //evil.example), and the landing redirect to a
# default view cannot carry a line break in its Location header.
@pytest.mark.parametrize("path", ["https://evil.example/", "//evil.example", "team", "/\\evil.example",
                                  "/team\r\nSet-Cookie: ms_session=planted"])
def test_a_view_cannot_point_outside_the_site(auth, path):
    with pytest.raises(ViewError, match="page of this site"):
        auth.views.save(auth.users.get("ann"), "x", path, "")


def test_a_views_filters_cannot_carry_a_line_break(auth):
    with pytest.raises(ViewError, match="query string"):
        auth.views.save(auth.users.get("ann"), "x", "/", "?region=North\r\nLocation: //evil.example")
