"""Who may call what: tokens, roles, CSRF, saved views and the audit log (every route's rule, anonymous
callers and CSRF route by route: test_every_route.py)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import BASE_URL, csrf_header


def test_a_wrong_token_is_refused(served):
    client = TestClient(served.client.app, base_url=BASE_URL, headers={"Authorization": "Bearer ms_0_nope"})
    assert client.get("/api/v1/sales/summary").status_code == 401


@pytest.mark.parametrize("username", ["ann", "mia"])
@pytest.mark.parametrize("path", ["/api/v1/quality/checks", "/api/v1/quality/load-log", "/api/v1/quality/quarantine",
                                  "/api/v1/quality/tables", "/api/v1/catalog/table-counts",
                                  "/api/v1/catalog/owned-customers?owner_rep=R2"])
def test_whole_warehouse_endpoints_are_for_admins_and_analysts(served, username, path):
    assert served.as_user(username).get(path).status_code == 403
    assert served.as_user("ada").get(path).status_code == 200


def test_a_cookie_signed_post_needs_the_csrf_header(served):
    browser = served.signed_in("ann")
    view = {"name": "North", "path": "/", "search": "?region=North"}
    refused = browser.post("/api/v1/views", json=view)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert browser.get("/api/v1/views").json() == []  # nothing was saved
    wrong = browser.post("/api/v1/views", json=view, headers={"X-CSRFToken": "not-the-token"})
    assert wrong.status_code == 403
    assert browser.post("/api/v1/views", json=view, headers=csrf_header(browser)).status_code == 201


def test_a_token_is_shown_once_listed_without_its_secret_and_refused_once_revoked(served):
    browser = served.signed_in("ann")
    made = browser.post("/api/v1/tokens", json={"name": "notebook"}, headers=csrf_header(browser))
    assert made.status_code == 201
    token, token_id = made.json()["token"], made.json()["token_id"]
    listed = browser.get("/api/v1/tokens").json()
    assert [t["token_id"] for t in listed] == [token_id] and "token" not in listed[0]
    assert token not in browser.get("/api/v1/tokens").text

    script = TestClient(served.client.app, base_url=BASE_URL, headers={"Authorization": f"Bearer {token}"})
    assert script.get("/api/v1/me").json()["username"] == "ann"
    assert browser.delete(f"/api/v1/tokens/{token_id}", headers=csrf_header(browser)).status_code == 204
    assert script.get("/api/v1/me").status_code == 401
    assert script.get("/api/v1/sales/summary").status_code == 401
    assert browser.delete(f"/api/v1/tokens/{token_id}", headers=csrf_header(browser)).status_code == 404
    assert browser.get("/api/v1/tokens").json()[0]["revoked_at"] is not None

    events = [(e["action"], e["detail"].get("token_id")) for e in served.auth.audit.events(action=None)]
    assert ("token_created", token_id) in events and ("token_revoked", token_id) in events


def test_nobody_revokes_another_users_token(served):
    info, token = served.auth.tokens.create("cy", "cy's")
    assert served.as_user("ann").delete(f"/api/v1/tokens/{info.token_id}").status_code == 404
    cy = TestClient(served.client.app, base_url=BASE_URL, headers={"Authorization": f"Bearer {token}"})
    assert cy.get("/api/v1/me").status_code == 200


def test_a_token_cannot_make_tokens(served):
    assert served.as_user("ann").post("/api/v1/tokens", json={"name": "more"}).status_code == 403


def test_saved_views_are_changed_only_by_their_owner(served):
    ann, cy = served.as_user("ann"), served.as_user("cy")
    view = ann.post("/api/v1/views", json={"name": "North", "path": "/", "search": "region=North"}).json()
    assert view["url"] == "/?region=North" and not view["shared"]
    assert cy.get("/api/v1/views").json() == []  # private until shared
    assert cy.patch(f"/api/v1/views/{view['view_id']}", json={"name": "mine"}).status_code == 404

    shared = ann.patch(f"/api/v1/views/{view['view_id']}", json={"shared": True, "default": True}).json()
    assert shared["shared"] and shared["is_default"]
    assert [(v["view_id"], v["is_default"]) for v in cy.get("/api/v1/views").json()] == [(view["view_id"], False)]
    assert cy.patch(f"/api/v1/views/{view['view_id']}", json={"name": "mine"}).status_code == 403
    assert cy.delete(f"/api/v1/views/{view['view_id']}").status_code == 403

    ann.post("/api/v1/views", json={"name": "South", "path": "/", "search": "?region=South"})
    clash = ann.patch(f"/api/v1/views/{view['view_id']}", json={"name": "South"})
    assert clash.status_code == 422 and "already" in clash.json()["detail"]
    assert ann.patch(f"/api/v1/views/{view['view_id']}", json={"default": False}).json()["is_default"] is False
    # the field as the view answers it is read too, and a field the change does not know is refused, not ignored
    assert ann.patch(f"/api/v1/views/{view['view_id']}", json={"is_default": True}).json()["is_default"] is True
    assert ann.patch(f"/api/v1/views/{view['view_id']}", json={"is_default": False}).json()["is_default"] is False
    unknown = ann.patch(f"/api/v1/views/{view['view_id']}", json={"isdefault": True})
    assert unknown.status_code == 422 and "isdefault" in unknown.text
    assert ann.post("/api/v1/views", json={"name": "x", "path": "https://evil.example"}).status_code == 422
    assert ann.delete(f"/api/v1/views/{view['view_id']}").status_code == 204
    assert ann.delete(f"/api/v1/views/{view['view_id']}").status_code == 404


def test_the_audit_log_is_for_admins_filtered_and_paged(served):
    admin = served.as_user("boss")
    for _ in range(3):
        served.as_user("ann").get("/api/v1/me")
    assert served.as_user("ada").get("/api/v1/audit").status_code == 403
    page = admin.get("/api/v1/audit", params={"action": "api", "username": "ann", "limit": 2, "offset": 1}).json()
    assert page["total"] == 3 and page["limit"] == 2 and page["offset"] == 1 and len(page["items"]) == 2
    assert {(e["action"], e["username"]) for e in page["items"]} == {("api", "ann")}
    everything = admin.get("/api/v1/audit", params={"limit": 10_000}).json()
    assert everything["total"] == len(everything["items"]) >= 4
    assert admin.get("/api/v1/audit", params={"action": "nonsense"}).status_code == 422


def test_a_new_password_revokes_the_users_api_tokens_and_says_so(served, tmp_path):
    """A token made before ``marginscope users passwd`` neither reads nor pushes data after it."""
    from typer.testing import CliRunner

    from marginscope.cli import app as cli

    token = served.token("ada")
    script = TestClient(served.client.app, base_url=BASE_URL, headers={"Authorization": f"Bearer {token}"})
    payment = {"rows": [{"payment_id": "PM9", "invoice_id": "I2", "paid_date": "2026-03-02", "amount": 1.0}]}
    assert script.get("/api/v1/me").status_code == 200
    assert script.post("/api/v1/ingest/payments", json=payment).status_code == 200
    other = served.token("ada")
    browser = served.signed_in("ada")
    untouched = served.as_user("mia")

    changed = CliRunner().invoke(cli, ["users", "passwd", "ada", "--password-stdin", "--app-db",
                                       str(tmp_path / "app.sqlite3")], input="a brand new password\n")

    assert changed.exit_code == 0, changed.output
    assert "password of ada changed; revoked 2 API tokens and ended 1 session" in " ".join(changed.output.split())
    assert script.get("/api/v1/me").status_code == 401
    assert script.post("/api/v1/ingest/payments", json=payment).status_code == 401
    bearer = {"Authorization": f"Bearer {other}"}
    assert TestClient(served.client.app, base_url=BASE_URL, headers=bearer).get("/api/v1/me").status_code == 401
    assert browser.get("/api/v1/me").status_code == 401
    assert untouched.get("/api/v1/me").status_code == 200  # only ada's tokens went
    [event] = served.auth.audit.events(action="password_changed")
    assert event["username"] == "ada"
    assert event["detail"] == {"by": "marginscope users passwd", "sessions_ended": 1, "tokens_revoked": 2}
    assert all(info.revoked_at for info in served.auth.tokens.list("ada"))


def test_a_saved_view_keeps_at_most_8_kb_of_filters(served):
    ann = served.as_user("ann")
    largest = "?q=" + "a" * (8192 - 3)  # 8,192 bytes with its "?"
    assert ann.post("/api/v1/views", json={"name": "Largest", "path": "/", "search": largest}).status_code == 201
    huge = ann.post("/api/v1/views", json={"name": "Huge", "path": "/", "search": "?q=" + "a" * 2_000_000})
    assert huge.status_code == 422
    assert huge.json()["detail"] == ("a view's filters are 2,000,003 bytes long; a view keeps at most 8,192 bytes "
                                     "of filters (the query string after ?): save fewer filters")
    one_more = ann.post("/api/v1/views", json={"name": "Over", "path": "/", "search": largest + "a"})
    assert one_more.status_code == 422
    assert [view["name"] for view in ann.get("/api/v1/views").json()] == ["Largest"]
