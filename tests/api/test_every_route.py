"""Every route of the server, found by walking the app: who may call it, and CSRF on every change.

The routes are enumerated from the app itself (the dashboard's Dash routes and assets,
sign-in and sign-out, the REST API, the OpenAPI spec and docs, exports, the websocket),
and each must match an entry of :data:`ACCESS`, which says who may call it, or the test
fails naming it: a new route is either covered by the entry of its area or needs a
decision. Then, for every route:

- anonymous callers are refused (401; a browser asking for a page is sent to sign in),
  except on the public routes;
- each role is refused (403) where ACCESS does not let it in, and let in (neither 401 nor
  403, nor a server error) where it does;
- every state-changing method, signed in by cookie, is refused without the session's
  CSRF token, with a forged one and with another session's, and nothing changes.

What a role sees where it is let in (a rep only their customers) is tested per endpoint
by ``test_metrics`` and ``test_openapi_fuzz``, per page by ``tests/auth/test_http.py``;
exports are checked here, page by page.
"""

from __future__ import annotations

import fnmatch
import io
import re

import openpyxl
import pytest
from fastapi.routing import iter_route_contexts
from starlette.routing import Mount
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from marginscope.api.middleware import CSRF_COOKIE, SAFE_METHODS, SESSION_COOKIE
from marginscope.export.xlsx import VIEW_SHEET
from marginscope.web.pages import all_pages
from tests.api.conftest import BASE_URL, Q1
from tests.api.sweep import SEES, outside_scope
from tests.auth.conftest import USERS
from tests.auth.test_http import page_callback

ADMINS = frozenset({"boss"})
EVERYTHING = frozenset({"boss", "ada"})  # admins and analysts: the whole warehouse, and loading data
SIGNED_IN = frozenset(USERS)
PUBLIC = None  # anyone, signed in or not
DOMAINS = ("me", "sales", "budget", "forecast", "customers", "profitability", "pipeline", "team", "rfm", "churn",
           "clv", "products", "receivables", "campaigns", "nps", "insights", "catalog", "tokens", "views", "alerts")
# (method, path pattern) -> who may call it; the first entry that matches a route is its rule.
ACCESS: list[tuple[str, str, frozenset | None]] = [
    ("GET", "/login", PUBLIC), ("POST", "/login", PUBLIC), ("GET", "/healthz", PUBLIC),
    ("GET", "/api/v1/audit", ADMINS), ("POST", "/api/v1/alerts/run", ADMINS),
    ("POST", "/api/v1/ingest/*", EVERYTHING),
    ("GET", "/api/v1/quality/*", EVERYTHING), ("GET", "/api/v1/catalog/owned-customers", EVERYTHING),
    ("GET", "/api/v1/catalog/table-counts", EVERYTHING),
    *(("*", f"/api/v1/{domain}", SIGNED_IN) for domain in DOMAINS),
    *(("*", f"/api/v1/{domain}/*", SIGNED_IN) for domain in DOMAINS),
    # Who may export which page is decided per page: see test_pages_of_the_whole_warehouse_are_not_exported.
    ("GET", "/export/*", SIGNED_IN),
    # An /api path naming no route answers 404 (not the dashboard's page) to whoever is signed in.
    ("*", "/api/{rest:path}", SIGNED_IN),
    # Dash's catch-all ("{path:path}", added when the server starts) serves the page of every other path.
    ("GET", "/", SIGNED_IN), ("GET", "{path:path}", SIGNED_IN), ("GET", "/_dash-*", SIGNED_IN), ("POST", "/_dash-update-component", SIGNED_IN),
    ("GET", "/_reload-hash", SIGNED_IN), ("GET", "/_favicon.ico", SIGNED_IN), ("GET", "/assets/*", SIGNED_IN),
    ("WEBSOCKET", "/_dash-ws-callback", SIGNED_IN),
    ("GET", "/openapi.json", SIGNED_IN), ("GET", "/docs", SIGNED_IN), ("GET", "/docs/oauth2-redirect", SIGNED_IN),
    ("GET", "/redoc", SIGNED_IN),
    ("POST", "/logout", SIGNED_IN),
]
# A value for each path parameter: existing objects where there are some (C1 and CA1 are everyone's to ask
# for; the answer for a rep who may not see them is a 404, which is not a refusal of the route).
PATH_VALUES = {"customer_id": "C1", "campaign_id": "CA1", "dimension": "region", "segment": "tier",
               "attribute": "region", "table": "payments", "token_id": "0", "view_id": "1", "rule_id": "1",
               "package_name": "dash", "fingerprinted_path": "dash-renderer/build/dash_renderer.min.js"}
ASSET = "/assets/marginscope.css"
# The pages' own path parameters; C2 is a customer of Bob's (Mia's team), outside Ann's and Cy's scope.
PAGE_VALUES = {"customer_id": "C2", "campaign_id": "CA1", "series": "rep_id", "measure": "revenue"}


# Whether a route lets a caller in shows without drawing its figures (test_openapi_fuzz and test_metrics
# check those): an API GET gets a start that is not a date, which FastAPI refuses (422) once the route's role
# checks have passed, before any metric runs; an export or a callback asks for a page that does not exist.
CHEAP = {"/api/v1/": {"start": "not-a-date"}, "/export/": {"page": "/nowhere"}}


def every_route(app) -> list[tuple[str, str]]:
    """(method, path) of every route of the server: HTTP methods, WEBSOCKET, and GET for a mounted folder."""
    found = set()
    for route in iter_route_contexts(app.routes):
        if isinstance(route.route, Mount) or (route.methods is None and route.path == "/assets"):
            found.add(("GET", f"{route.path}/*"))
        elif route.methods is None:
            found.add(("WEBSOCKET", route.path))
        else:
            found.update((method, route.path) for method in route.methods - {"HEAD"})
    return sorted(found)


def who_may(method: str, path: str) -> frozenset | None:
    for allowed_method, pattern, who in ACCESS:
        if fnmatch.fnmatchcase(method, allowed_method) and fnmatch.fnmatchcase(path, pattern):
            return who
    raise LookupError(f"{method} {path} is in no entry of ACCESS: say who may call it")


def concrete(path: str) -> str:
    if path.endswith("/*"):
        return ASSET
    if path == "{path:path}":
        return "/customer/C1"
    return re.sub(r"{(\w+)(:\w+)?}", lambda m: PATH_VALUES.get(m.group(1), "x"), path)


def call(client: TestClient, method: str, path: str, headers: dict | None = None, csrf: str | None = None):
    """One request to the route, as its usual client sends it (parameters, a body the route reads)."""
    url = concrete(path)
    if method == "GET":
        return client.get(url, params=CHEAP.get(path[:8], {}), headers=headers, follow_redirects=False)
    if path == "/_dash-update-component":
        return client.post(url, json=page_callback("/nowhere", ""), headers=headers)
    if path in ("/login", "/logout"):  # forms with their own CSRF field
        return client.post(url, data={"csrf_token": csrf or ""}, headers=headers, follow_redirects=False)
    return client.request(method, url, json={}, headers=headers)


def test_every_route_says_who_may_call_it(served):
    routes = every_route(served.client.app)
    assert len(routes) > 100  # the dashboard's routes, the API, exports, docs, sign-in and sign-out
    unlisted = []
    for method, path in routes:
        try:
            who_may(method, path)
        except LookupError as missing:
            unlisted.append(str(missing))
    assert not unlisted, "\n".join(unlisted)


def test_anonymous_callers_are_refused_everywhere_but_on_the_public_routes(served):
    anonymous = TestClient(served.client.app, base_url=BASE_URL)
    refused = []
    for method, path in every_route(served.client.app):
        if method == "WEBSOCKET":
            with pytest.raises(WebSocketDisconnect) as closed, \
                    anonymous.websocket_connect(concrete(path), headers={"origin": "http://testserver"}):
                pass
            assert closed.value.code == 4401, path
            continue
        answer = call(anonymous, method, path)
        if who_may(method, path) is PUBLIC:
            assert answer.status_code not in (401, 403) and answer.status_code < 500, (method, path, answer.text)
            continue
        if answer.status_code != 401 or answer.headers.get("www-authenticate") != "Bearer":
            refused.append(f"{method} {path}: {answer.status_code}")
        if method == "GET" and not path.startswith(("/api/", "/export/")):  # a browser is sent to sign in
            page = anonymous.get(concrete(path), headers={"accept": "text/html"}, follow_redirects=False)
            if page.status_code != 303 or not page.headers["location"].startswith("/login?next="):
                refused.append(f"{method} {path} (as a page): {page.status_code}")
    assert not refused, "anonymous callers were not refused:\n" + "\n".join(refused)


@pytest.mark.parametrize("username", sorted(USERS))
def test_each_role_is_refused_exactly_where_it_has_no_right(served, username):
    browser = served.signed_in(username)
    csrf = browser.cookies[CSRF_COOKIE]
    wrong = []
    # Signing out ends the session the other calls use: it goes last.
    for method, path in sorted(every_route(served.client.app), key=lambda route: route[1] == "/logout"):
        who = who_may(method, path)
        if method == "WEBSOCKET" or who is PUBLIC:
            continue
        answer = call(browser, method, path, headers={"X-CSRFToken": csrf}, csrf=csrf)
        if username in who and (answer.status_code in (401, 403) or answer.status_code >= 500):
            wrong.append(f"{method} {path}: refused ({answer.status_code}) {answer.text[:200]}")
        elif username not in who and answer.status_code != 403:
            wrong.append(f"{method} {path}: let in ({answer.status_code}), though only {sorted(who)} may")
    assert not wrong, f"{username} ({USERS[username][0].value}):\n" + "\n".join(wrong)


def test_every_state_changing_route_needs_the_sessions_csrf_token(served):
    admin, other = served.signed_in("boss"), served.signed_in("ann")
    before = _state(served)
    unsafe = [(m, p) for m, p in every_route(served.client.app)
              if m not in SAFE_METHODS and m != "WEBSOCKET" and who_may(m, p) is not PUBLIC]
    assert len(unsafe) >= 12  # dash callbacks, sign-out, tokens, views, alert rules, ingest, alert runs
    let_through = []
    for method, path in unsafe:
        for label, token in (("no token", None), ("a forged token", "forged"),
                             ("another session's token", other.cookies[CSRF_COOKIE])):
            headers = {} if token is None or path == "/logout" else {"X-CSRFToken": token}
            answer = call(admin, method, path, headers=headers, csrf=token)
            if answer.status_code != 403 or "CSRF" not in answer.text:
                let_through.append(f"{method} {path} with {label}: {answer.status_code}")
    assert not let_through, "\n".join(let_through)
    assert _state(served) == before  # nothing was made, changed, loaded or ended
    assert admin.get("/api/v1/me").status_code == 200


def test_api_tokens_need_no_csrf_token_and_cannot_be_used_as_one(served):
    script = served.as_user("ann")
    made = script.post("/api/v1/views", json={"name": "North", "path": "/", "search": "?region=North"})
    assert made.status_code == 201  # a token is not sent by a browser on its own, so it needs no CSRF token
    browser = served.signed_in("ann")
    refused = browser.post("/api/v1/views", json={"name": "South", "path": "/"},
                           headers={"X-CSRFToken": script.headers["Authorization"].removeprefix("Bearer ")})
    assert refused.status_code == 403


def _state(served) -> tuple:
    """What a state-changing request could change: users' views, tokens, rules and sessions, and the data."""
    with served.auth.store.connect() as db:
        tables = tuple(tuple(map(tuple, db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()))
                       for table in ("saved_views", "api_tokens", "alert_rules", "sessions", "users"))
    return tables, served.metrics.data_version


def test_the_dashboards_websocket_serves_no_one_else(served):
    """Dash's websocket route answers nothing but its own origin's pages, and runs no callback at all (none of
    the dashboard's is marked for it)."""
    browser = served.signed_in("ann")
    cookie = {"cookie": f"{SESSION_COOKIE}={browser.cookies[SESSION_COOKIE]}"}
    for origin in ("http://evil.example", None):
        headers = {**cookie, **({"origin": origin} if origin else {})}
        with pytest.raises(WebSocketDisconnect) as closed, browser.websocket_connect("/_dash-ws-callback",
                                                                                     headers=headers):
            pass
        assert closed.value.code == 4003, origin
    same_origin = {**cookie, "origin": "http://testserver"}  # the test client's own host
    with pytest.raises(Exception, match=r"(?i)websocket"), \
            browser.websocket_connect("/_dash-ws-callback", headers=same_origin) as socket:
        socket.send_json({"type": "callback_request", "requestId": "1", "payload": page_callback("/customer/C2")})
        socket.receive_text()


@pytest.mark.parametrize("kind", ["csv", "xlsx", "pdf"])
def test_pages_of_the_whole_warehouse_are_not_exported_to_managers_and_reps(served, kind):
    whole = [page.path for page in all_pages() if page.whole_warehouse]
    assert whole  # the Data page at least
    for username in sorted(SEES):
        client = served.signed_in(username)
        for page in whole:  # refused before any page is drawn or browser started
            answer = client.get(f"/export/{kind}", params={"page": page, **Q1})
            assert answer.status_code == 403, (username, page, answer.status_code)


def test_a_reps_exports_hold_only_their_customers(served):
    """Every page a rep may open, exported as a workbook (every table of the page) with filters aimed at
    customers outside their scope (and the portrait of one): no other customer's id or name in any cell of the
    page's tables. Ann's is the scope with traps (her sale and deal on Bob's C2)."""
    client, hidden = served.signed_in("ann"), outside_scope("ann")
    exported = 0
    for page in all_pages():
        if page.whole_warehouse:
            continue
        path = re.sub(r"<(\w+)>", lambda m: PAGE_VALUES[m.group(1)], page.path)
        answer = client.get("/export/xlsx", params={"page": path, **Q1, "customer": ["C1", "C2", "C4"]})
        if page.path == "/customer/<customer_id>":  # C2's portrait is not drawn for them at all
            assert answer.status_code == 422 and "outside what you may see" in answer.text, answer.text
            assert not hidden.search(answer.text.replace("No customer C2", "")), answer.text
            continue
        assert answer.status_code == 200, (path, answer.text)
        book = openpyxl.load_workbook(io.BytesIO(answer.content))
        # The View sheet repeats the request (the page's path, the filters asked for): an echo, not data.
        cells = " ".join(str(value) for sheet in book if sheet.title != VIEW_SHEET
                         for row in sheet.iter_rows(values_only=True) for value in row if value is not None)
        assert not hidden.search(cells), (path, cells)
        exported += 1
    assert exported >= 10
