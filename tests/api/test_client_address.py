"""Which address the server believes a request came from, through a real ``marginscope serve`` (uvicorn):
the connection's peer, unless that peer is a proxy named in MARGINSCOPE_TRUSTED_PROXIES.

The tests reach the server from 127.0.0.1, the address uvicorn trusts by default; a header
claiming another address must change nothing unless the setting says so."""

from __future__ import annotations

import shutil

import httpx2
import pytest

from marginscope.auth import Auth
from tests.api.conftest import company_files  # noqa: F401  (the small company, built once)
from tests.auth.conftest import PASSWORD
from tests.live_server import serving

SPOOFED = "203.0.113.66"


@pytest.fixture
def files(company_files, tmp_path):  # noqa: F811
    for name in ("small.duckdb", "app.sqlite3"):
        shutil.copy(company_files / name, tmp_path / name)
    return tmp_path / "small.duckdb", tmp_path / "app.sqlite3"


def sign_in(base: str, username: str, password: str, forwarded_for: str) -> httpx2.Response:
    with httpx2.Client(base_url=base, headers={"X-Forwarded-For": forwarded_for}) as browser:
        browser.get("/login")
        return browser.post("/login", data={"username": username, "password": password, "next": "/",
                                            "csrf_token": browser.cookies["_csrf_token"]})


def test_a_forwarded_for_header_from_an_untrusted_peer_is_ignored(files):
    database, app_db = files
    with serving(database, app_db, warm_up="false") as base:
        statuses = [sign_in(base, "ann", "wrong password!", f"203.0.113.{n}").status_code for n in range(6)]
        good = sign_in(base, "ada", PASSWORD, SPOOFED)
    # A new made-up address per try is still one address: five free failures, then a wait.
    assert statuses == [401] * 5 + [429]
    failures = Auth(app_db).audit.events(action="login_failed")
    assert {event["client"] for event in failures} == {"127.0.0.1"}
    assert good.status_code == 303
    [login] = Auth(app_db).audit.events(action="login")
    assert login["client"] == "127.0.0.1"


def test_a_configured_proxy_says_who_the_client_is(files):
    database, app_db = files
    with serving(database, app_db, warm_up="false", trusted_proxies='["127.0.0.1"]') as base:
        assert sign_in(base, "ann", "wrong password!", SPOOFED).status_code == 401
    [failure] = Auth(app_db).audit.events(action="login_failed")
    assert failure["client"] == SPOOFED
