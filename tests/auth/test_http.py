"""Sign-in, sessions, CSRF and scope over HTTP, against the server's real routes (in process).

Who may call each route (anonymous callers, roles, CSRF on every change) is tested route by route in
``tests/api/test_every_route.py``."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from marginscope.api.middleware import SESSION_COOKIE
from tests.auth.conftest import PASSWORD, sign_in


def test_signing_in_sets_a_new_http_only_session_and_a_csrf_cookie(client, auth):
    response = sign_in(client, "ann", next_path="/team?region=North")
    assert response.status_code == 303 and response.headers["location"] == "/team?region=North"
    cookies = response.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith(f"{SESSION_COOKIE}="))
    assert "HttpOnly" in session and "SameSite=lax" in session
    csrf = next(c for c in cookies if c.startswith("_csrf_token="))
    assert "HttpOnly" not in csrf  # Dash's renderer reads it to send X-CSRFToken
    assert client.get("/api/v1/me").json()["username"] == "ann"
    assert [e["action"] for e in auth.audit.events(username="ann")] == ["login"]


@pytest.mark.parametrize("target, landing", [("https://evil.example/", "/"), ("//evil.example/x", "/"),
                                             ("/budget", "/budget")])
def test_the_page_after_sign_in_is_always_on_this_site(client, target, landing):
    assert sign_in(client, "ann", next_path=target).headers["location"] == landing


def test_the_sign_in_form_needs_its_csrf_token(client):
    client.get("/login")
    response = client.post("/login", data={"username": "ann", "password": PASSWORD, "csrf_token": "forged"},
                           follow_redirects=False)
    assert response.status_code == 400 and SESSION_COOKIE not in client.cookies


def test_a_session_id_planted_before_sign_in_is_never_used(client, auth):
    client.cookies.set(SESSION_COOKIE, "chosen-by-an-attacker", domain="127.0.0.1")
    assert client.get("/api/v1/me").status_code == 401  # a value the server did not make is no session
    sign_in(client, "ann")
    assert client.cookies.get(SESSION_COOKIE) != "chosen-by-an-attacker"
    planted = TestClient(client.app, base_url="http://127.0.0.1", cookies={SESSION_COOKIE: "chosen-by-an-attacker"})
    assert planted.get("/api/v1/me").status_code == 401  # nor did signing in make it one
    first = client.cookies.get(SESSION_COOKIE)
    sign_in(client, "ann")  # signing in again replaces the session
    assert auth.sessions.lookup(first) is None
    assert auth.sessions.lookup(client.cookies.get(SESSION_COOKIE)).user.username == "ann"


def test_an_attackers_own_session_planted_in_a_browser_ends_when_the_victim_signs_in(app, client, auth):
    attacker = TestClient(app.server, base_url="http://127.0.0.1")
    sign_in(attacker, "cy")
    planted = attacker.cookies.get(SESSION_COOKIE)
    client.cookies.set(SESSION_COOKIE, planted, domain="127.0.0.1")
    sign_in(client, "ann")
    assert client.cookies.get(SESSION_COOKIE) != planted
    assert client.get("/api/v1/me").json()["username"] == "ann"
    assert auth.sessions.lookup(planted) is None  # and the attacker's browser cannot follow Ann's


def test_the_sign_in_forms_csrf_token_is_not_the_sessions(client, auth):
    """The form's token is readable before sign-in (an attacker who planted the cookie knows it): the session
    gets a token of its own, and the form's is worth nothing after."""
    client.get("/login")
    form_token = client.cookies.get("_csrf_token")
    sign_in_form = {"username": "ann", "password": PASSWORD, "csrf_token": form_token, "next": "/"}
    assert client.post("/login", data=sign_in_form, follow_redirects=False).status_code == 303
    session = auth.sessions.lookup(client.cookies.get(SESSION_COOKIE))
    assert client.cookies.get("_csrf_token") == session.csrf_token != form_token
    view = {"name": "North", "path": "/", "search": "?region=North"}
    assert client.post("/api/v1/views", json=view, headers={"X-CSRFToken": form_token}).status_code == 403


def test_a_new_password_or_removal_ends_every_session_over_http(app, client, auth):
    other_browser = TestClient(app.server, base_url="http://127.0.0.1")
    sign_in(client, "ann")
    sign_in(other_browser, "ann")
    token = auth.tokens.create("mia", "script")[1]
    sign_in(mia := TestClient(app.server, base_url="http://127.0.0.1"), "mia")
    auth.users.set_password("ann", "another long password")
    assert client.get("/api/v1/me").status_code == other_browser.get("/api/v1/me").status_code == 401
    assert mia.get("/api/v1/me").status_code == 200  # only Ann's sessions ended
    auth.users.remove("mia")
    script = TestClient(app.server, base_url="http://127.0.0.1", headers={"Authorization": f"Bearer {token}"})
    assert mia.get("/api/v1/me").status_code == script.get("/api/v1/me").status_code == 401


def test_wrong_passwords_make_that_address_wait_but_not_the_user_elsewhere(app, client, auth):
    statuses = [sign_in(client, "ann", "wrong password!").status_code for _ in range(5)]
    assert statuses == [401] * 5
    blocked = sign_in(client, "ann")  # from this address even the right password waits now
    # the default 5 free failures, then 30 s (MARGINSCOPE_LOGIN_BACKOFF_SECONDS) before the next try
    assert blocked.status_code == 429 and blocked.headers["retry-after"] == "30"
    assert "try again in 30 seconds" in blocked.text
    assert SESSION_COOKIE not in client.cookies
    assert len(auth.audit.events(action="login_failed")) == 5
    elsewhere = TestClient(app.server, base_url="http://127.0.0.1", client=("198.51.100.7", 50000))
    assert sign_in(elsewhere, "ann").status_code == 303  # Ann at her own desk signs in
    assert elsewhere.get("/api/v1/me").json()["username"] == "ann"
    assert sign_in(client, "boss").status_code == 303  # and a colleague behind the first address


def test_spraying_user_names_from_one_address_stops_that_address(owned, auth, monkeypatch):
    from marginscope.config import get_settings
    from marginscope.server import create_app

    monkeypatch.setenv("MARGINSCOPE_WARM_UP", "false")
    monkeypatch.setenv("MARGINSCOPE_LOGIN_ADDRESS_ATTEMPTS", "3")
    get_settings.cache_clear()
    server = create_app(owned, auth).server
    sprayer = TestClient(server, base_url="http://127.0.0.1", client=("203.0.113.50", 50000))
    assert [sign_in(sprayer, name, "Summer2026!!").status_code for name in ("ann", "mia", "cy")] == [401] * 3
    refused = sign_in(sprayer, "ada")  # a fourth name, even with its right password
    assert refused.status_code == 429 and 0 < int(refused.headers["retry-after"]) <= 15 * 60
    colleague = TestClient(server, base_url="http://127.0.0.1", client=("203.0.113.51", 50000))
    assert sign_in(colleague, "ada").status_code == 303


def test_state_changing_requests_need_the_csrf_header(client):
    sign_in(client, "ann")
    callback = {"output": "page.children", "outputs": {"id": "page", "property": "children"}, "inputs": [],
                "changedPropIds": [], "state": []}
    assert client.post("/_dash-update-component", json=callback).status_code == 403
    with_header = client.post("/_dash-update-component", json=callback,
                              headers={"X-CSRFToken": client.cookies.get("_csrf_token")})
    assert with_header.status_code != 403
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 403
    assert client.get("/api/v1/me").status_code == 200


def test_signing_out_ends_the_session(client, auth):
    sign_in(client, "ann")
    session, csrf = client.cookies.get(SESSION_COOKIE), client.cookies.get("_csrf_token")
    response = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert auth.sessions.lookup(session) is None
    client.cookies.set(SESSION_COOKIE, session, domain="127.0.0.1")
    assert client.get("/api/v1/me").status_code == 401
    # Nor does the old session change anything with its old CSRF token.
    refused = client.post("/api/v1/views", json={"name": "x", "path": "/"}, headers={"X-CSRFToken": csrf})
    assert refused.status_code == 401 and auth.views.visible(auth.users.get("ann")) == []


def test_a_user_lands_on_their_default_view(client, auth):
    ann = auth.users.get("ann")
    auth.views.set_default(ann, auth.views.save(ann, "Gold", "/budget", "?tier=Gold").view_id)
    sign_in(client, "ann")
    landing = client.get("/", headers={"accept": "text/html"}, follow_redirects=False)
    assert landing.status_code == 303 and landing.headers["location"] == "/budget?tier=Gold"
    assert client.get("/?tier=Silver", headers={"accept": "text/html"}, follow_redirects=False).status_code == 200


def page_callback(pathname: str, search: str = "") -> dict:
    """The request Dash's renderer sends for the page callback, as a browser opening ``pathname?search``."""
    return {
        "output": "..page.children...page-version.data..",
        "outputs": [{"id": "page", "property": "children"}, {"id": "page-version", "property": "data"}],
        "inputs": [{"id": "url", "property": "pathname", "value": pathname},
                   {"id": "url", "property": "search", "value": search},
                   {"id": "data-version", "property": "data", "value": None}],
        "changedPropIds": ["url.pathname"],
        "state": [{"id": "page-version", "property": "data", "value": None}],
    }


def show_page(client, pathname: str, search: str = "") -> str:
    """The text of the page the dashboard's page callback draws for this client's user."""
    response = client.post("/_dash-update-component", json=page_callback(pathname, search),
                           headers={"X-CSRFToken": client.cookies.get("_csrf_token")})
    assert response.status_code == 200, response.text
    return json.dumps(response.json()["response"]["page"]["children"])


OTHERS = ("Globex", "Umbrella")  # C2 and C4: not Ann's


# Asking for C2 alone is covered by asking for C2 with Ann's own C1 (the scope must drop C2 either way).
@pytest.mark.parametrize("search", ["?start=2026-01-01&end=2026-03-31", "?customer=C2&customer=C1", "?rep=R2",
                                    "?region=South"])
def test_a_rep_sees_none_of_another_reps_customers_on_any_page(app, client, search):
    from marginscope.web.pages import all_pages

    sign_in(client, "ann")
    for page in all_pages():
        path = page.path.replace("<customer_id>", "C2").replace("<series>", "rep_id").replace("<measure>", "revenue")
        shown = show_page(client, path, search)
        assert not any(name in shown for name in OTHERS), (path, search)
    assert "Acme" in show_page(client, "/customer/C1")
    assert "outside what you may see" in show_page(client, "/customer/C2")


def test_a_shared_view_of_another_reps_customer_shows_a_rep_nothing(client, auth):
    boss = auth.users.get("boss")
    shared = auth.views.save(boss, "Globex", "/customer/C2", "", shared=True)
    sign_in(client, "ann")
    view = auth.views.get(auth.users.get("ann"), shared.view_id)  # Ann may open it ...
    shown = show_page(client, view.path, view.search)
    assert "Globex" not in shown and "outside what you may see" in shown  # ... and sees nothing of C2


def test_the_data_page_is_for_admins_and_analysts(client):
    sign_in(client, "mia")
    assert "needs the admin or analyst role" in show_page(client, "/data")
    client.cookies.clear()
    sign_in(client, "ada")
    assert "needs the admin or analyst role" not in show_page(client, "/data")


def test_a_new_password_revokes_the_api_tokens_made_before(app, auth):
    """After `users passwd`, a token made before still read and pushed data (issue 28, item 5)."""
    old, other = auth.tokens.create("ann", "notebook")[1], auth.tokens.create("mia", "script")[1]
    ann = TestClient(app.server, base_url="http://127.0.0.1", headers={"Authorization": f"Bearer {old}"})
    mia = TestClient(app.server, base_url="http://127.0.0.1", headers={"Authorization": f"Bearer {other}"})
    assert ann.get("/api/v1/me").status_code == 200
    assert auth.users.set_password("ann", "another long password").tokens_revoked == 1
    assert ann.get("/api/v1/me").status_code == 401
    assert mia.get("/api/v1/me").status_code == 200  # only Ann's tokens went
    new = auth.tokens.create("ann", "notebook")[1]
    again = TestClient(app.server, base_url="http://127.0.0.1", headers={"Authorization": f"Bearer {new}"})
    assert again.get("/api/v1/me").status_code == 200


