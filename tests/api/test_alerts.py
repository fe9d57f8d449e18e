"""/api/v1/alerts: rules are their owner's, run as their owner, and their alerts are the owner's.

On 12 March 2026 (the latest invoice) the company (conftest.py) has two invoices more than
30 days past due: I1 of C1 (due 9 February, 195.00 open: 31 days) and I4 of C2 (due
12 March 2025, unpaid: 365 days). Ann owns C1; Cy owns C4, which owes nothing overdue.
"""

from __future__ import annotations

LATE = {"name": "Late payers", "kind": "receivables_overdue", "params": {"days": 30}}


def test_a_rule_finds_only_what_its_owner_may_see(served):
    ann, boss = served.as_user("ann"), served.as_user("boss")
    made = ann.post("/api/v1/alerts/rules", json=LATE)
    assert made.status_code == 201, made.text
    rule = made.json()
    assert (rule["owner"], rule["description"]) == ("ann", "invoices more than 30 days past due")

    found = ann.get(f"/api/v1/alerts/rules/{rule['rule_id']}/conditions").json()
    assert [(c["key"], c["values"]["days_past_due"], c["values"]["open_amount"]) for c in found] == [
        ("I1", 31, 195.0)]
    own = boss.post("/api/v1/alerts/rules", json=LATE).json()
    assert [c["key"] for c in boss.get(f"/api/v1/alerts/rules/{own['rule_id']}/conditions").json()] == ["I4", "I1"]


def test_rules_and_alerts_are_private_to_their_owner(served):
    ann, cy, boss = served.as_user("ann"), served.as_user("cy"), served.as_user("boss")
    rule_id = ann.post("/api/v1/alerts/rules", json=LATE).json()["rule_id"]
    assert cy.get("/api/v1/alerts/rules").json() == []
    for response in (cy.get(f"/api/v1/alerts/rules/{rule_id}"), cy.delete(f"/api/v1/alerts/rules/{rule_id}"),
                     cy.patch(f"/api/v1/alerts/rules/{rule_id}", json={"enabled": False}),
                     cy.get(f"/api/v1/alerts/rules/{rule_id}/conditions")):
        assert response.status_code == 404, response.text
    assert [r["rule_id"] for r in boss.get("/api/v1/alerts/rules").json()] == [rule_id]  # admins see all

    assert ann.post("/api/v1/alerts/run").status_code == 403  # running every rule is for admins
    ran = boss.post("/api/v1/alerts/run").json()
    assert [(r["name"], r["conditions"], r["fired"]) for r in ran] == [("Late payers", 1, 1)]
    assert boss.post("/api/v1/alerts/run").json()[0]["fired"] == 0  # once per condition
    events = ann.get("/api/v1/alerts/events").json()
    assert [(e["condition_key"], e["trigger"], e["link"]) for e in events] == [
        ("I1", "api", "http://127.0.0.1:8050/customer/C1")]
    assert cy.get("/api/v1/alerts/events").json() == []

    assert ann.patch(f"/api/v1/alerts/rules/{rule_id}", json={"enabled": False}).json()["enabled"] is False
    assert ann.delete(f"/api/v1/alerts/rules/{rule_id}").status_code == 204
    assert ann.get("/api/v1/alerts/rules").json() == []
    actions = [e["action"] for e in served.auth.audit.events(username="ann")]
    assert "alert_rule_saved" in actions and "alert_rule_deleted" in actions


def test_a_bad_rule_is_refused_with_the_reason(served):
    ann = served.as_user("ann")
    cases = [
        ({**LATE, "params": {"days": "many"}}, "days: Input should be a valid integer"),
        ({**LATE, "kind": "weather"}, "kind"),
        ({**LATE, "slack": "http://127.0.0.1:5432/"}, "is not an allowed webhook address"),
        ({**LATE, "emails": ["nobody"]}, "'nobody' is not an email address"),
        ({**LATE, "name": ""}, "name"),
    ]
    for body, reason in cases:
        response = ann.post("/api/v1/alerts/rules", json=body)
        assert response.status_code == 422 and reason in response.text, (body, response.text)
    assert ann.get("/api/v1/alerts/rules").json() == []


def test_the_rule_keeps_its_filters_but_not_dates(served):
    boss = served.as_user("boss")
    rule = boss.post("/api/v1/alerts/rules", json={**LATE, "search": "?start=2026-01-01&region=South"}).json()
    assert rule["search"] == "?region=South"
    found = boss.get(f"/api/v1/alerts/rules/{rule['rule_id']}/conditions").json()
    assert [c["key"] for c in found] == ["I4"]


def test_the_kinds_and_their_parameters_are_listed(served):
    kinds = {k["kind"]: k for k in served.as_user("ann").get("/api/v1/alerts/kinds").json()}
    assert set(kinds) == {"segment_slip", "budget_attainment", "customer_margin", "receivables_overdue",
                          "rep_revenue_drop"}
    assert kinds["customer_margin"]["params"]["properties"]["days"]["default"] == 90
