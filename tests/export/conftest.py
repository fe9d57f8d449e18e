"""Fixtures of the export tests.

- ``small``: the hand-worked company of the metrics tests, its customers now owned by
  two reps: Ann (R1) owns Acme (C1); Bob (R2) owns Globex (C2) and Initech (C3).
- ``signed_in(username)``: a TestClient on its dashboard app, signed in through the
  sign-in form as ``admin``, ``ann`` (rep R1) or ``bob`` (rep R2).
- For the PDF: the real ``marginscope serve`` of the web tests and the metrics over a
  copy of its demo warehouse (see ``tests/live_server.py``); :func:`sign_in`
  signs an HTTP client in to it the same way.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from starlette.testclient import TestClient

from marginscope.auth import Auth, Role
from marginscope.server import create_app
from tests.conftest import open_with
from tests.metrics.conftest import COSTS, LINES, PRODUCTS, REPS

CUSTOMERS = """customer_id,name,industry,region,tier,owner_rep_id
C1,Acme,retail,North,Gold,R1
C2,Globex,medical,South,Bronze,R2
C3,Initech,medical,North,Gold,R2
"""
PASSWORD = "correct horse battery"
USERS = {"admin": (Role.ADMIN, None), "ann": (Role.REP, "R1"), "bob": (Role.REP, "R2")}
Q1 = "start=2026-01-01&end=2026-03-31"


@pytest.fixture(scope="session")
def small(tmp_path_factory):
    """Read only by the tests, so one for the session (its queries compile once)."""
    tables = {"reps": REPS, "customers": CUSTOMERS, "products": PRODUCTS, "invoice_lines": LINES,
              "costs_to_serve": COSTS}
    metrics = open_with(tmp_path_factory.mktemp("small"), tables)
    yield metrics
    metrics.close()


@pytest.fixture(scope="session")
def auth(tmp_path_factory):
    auth = Auth(tmp_path_factory.mktemp("auth") / "app.sqlite3")
    for username, (role, rep_id) in USERS.items():
        auth.users.add(username, PASSWORD, role, rep_id=rep_id)
    return auth


@pytest.fixture(scope="session")
def app(small, auth):
    return create_app(small, auth)


def sign_in(client, username: str, password: str = PASSWORD):
    """Sign ``client`` in through the form: GET /login sets the form's CSRF cookie, POST /login sends it back."""
    client.get("/login")
    answer = client.post("/login", data={"username": username, "password": password,
                                         "csrf_token": client.cookies.get("_csrf_token")}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return client


@pytest.fixture
def signed_in(app):
    """A TestClient of the app signed in as one of :data:`USERS`."""
    clients = []

    def client(username: str) -> TestClient:
        clients.append(sign_in(TestClient(app.server, base_url="http://127.0.0.1"), username))
        return clients[-1]

    yield client
    for opened in clients:
        opened.close()


def workbook(answer) -> openpyxl.Workbook:
    assert answer.status_code == 200, answer.text
    return openpyxl.load_workbook(io.BytesIO(answer.content))


def sheet_rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]
