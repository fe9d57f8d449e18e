"""/api/v1/churn and /api/v1/clv over the hand-worked churn company (tests/metrics/churn_company.py):
the metrics layer's figures, the caller's scope, and the reasons when there is no model."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from marginscope.auth import Auth
from marginscope.server import create_app
from tests.api.conftest import BASE_URL, Q1
from tests.auth.conftest import PASSWORD, USERS
from tests.conftest import open_with
from tests.metrics.churn_company import AS_OF, T, company_tables

END = {"end": T.isoformat()}
# Ann (rep R1) owns the steady customers S1-S8 and the fading ones F1-F6, nobody else.
ANNS = {f"S{n}" for n in range(1, 9)} | {f"F{n}" for n in range(1, 7)}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("api-churn")
    metrics = open_with(folder, company_tables())
    auth = Auth(folder / "app.sqlite3")
    for username, (role, extra) in USERS.items():
        auth.users.add(username, PASSWORD, role, **extra)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MARGINSCOPE_WARM_UP", "false")
        app = create_app(metrics, auth)
        with TestClient(app.server, base_url=BASE_URL) as client:
            yield client, metrics, auth
    metrics.close()


def as_user(served, username: str) -> TestClient:
    client, _, auth = served
    return TestClient(client.app, base_url=BASE_URL,
                      headers={"Authorization": f"Bearer {auth.tokens.create(username, 'tests')[1]}"})


def test_churn_risk_is_the_metrics_layers(served):
    _, metrics, _ = served
    answer = as_user(served, "boss").get("/api/v1/churn/risk", params=END).json()
    expected = metrics.churn.risk(AS_OF)
    assert answer["total"] == 30 and answer["attrs"]["as_of"] == "2026-06-30" and answer["attrs"]["reason"] is None
    assert [row["customer_id"] for row in answer["items"]] == list(expected.customer_id)
    assert [row["churn_probability"] for row in answer["items"]] == pytest.approx(list(expected.churn_probability))
    f1 = next(row for row in answer["items"] if row["customer_id"] == "F1")
    assert (f1["owner_rep_name"], f1["recency_days"], f1["orders_last_180_days"], f1["orders_prior_180_days"],
            f1["revenue_last_365_days"], f1["last_purchase"]) == ("Ann", 61, 2, 6, 800.0, "2026-04-30")


def test_at_risk_takes_a_threshold(served):
    _, metrics, _ = served
    boss = as_user(served, "boss")
    half = boss.get("/api/v1/churn/at-risk", params=END).json()
    assert [row["customer_id"] for row in half["items"]] == list(metrics.churn.at_risk(AS_OF).customer_id)
    assert half["attrs"]["threshold"] == 0.5 and all(row["churn_probability"] > 0.5 for row in half["items"])
    assert boss.get("/api/v1/churn/at-risk", params={**END, "threshold": 1}).json()["total"] == 0
    assert boss.get("/api/v1/churn/at-risk", params={**END, "threshold": 1.5}).status_code == 422


def test_the_validation_comes_with_its_calibration_table(served):
    _, metrics, _ = served
    answer = as_user(served, "boss").get("/api/v1/churn/validation", params=END).json()
    expected = metrics.churn.validation(AS_OF)
    assert answer["auc"] == pytest.approx(expected.auc) and answer["reason"] is None
    assert (answer["train_cutoff"], answer["test_cutoff"]) == ("2025-07-05", "2026-01-01")
    assert (answer["test_customers"], answer["test_churned"]) == (36, 14)
    assert sum(row["customers"] for row in answer["calibration"]) == 36
    assert sum(row["churned"] for row in answer["calibration"]) == 14


def test_a_rep_gets_the_model_of_their_own_customers(served):
    ann = as_user(served, "ann")
    risk = ann.get("/api/v1/churn/risk", params=END).json()
    assert {row["customer_id"] for row in risk["items"]} == ANNS
    # Fourteen customers are too few to learn from: no probabilities, and the reason.
    assert all(row["churn_probability"] is None for row in risk["items"])
    assert risk["attrs"]["reason"].startswith("only 14 customers active on 05 Jul 2025")
    validation = ann.get("/api/v1/churn/validation", params=END).json()
    assert validation["auc"] is None and validation["calibration"] == [] and validation["train_customers"] == 14
    values = ann.get("/api/v1/clv/customers", params=END).json()
    assert {row["customer_id"] for row in values["items"]} == ANNS
    assert ann.get("/api/v1/clv/model", params=END).json()["attrs"]["customers"] == 14


def test_lifetime_values_are_the_metrics_layers(served):
    _, metrics, _ = served
    boss = as_user(served, "boss")
    answer = boss.get("/api/v1/clv/customers", params={**END, "limit": 100}).json()
    expected = metrics.clv.customers(AS_OF)
    assert answer["total"] == 36 and answer["attrs"]["reason"] is None
    assert [row["customer_id"] for row in answer["items"]] == list(expected.customer_id)
    assert [row["clv"] for row in answer["items"]] == pytest.approx(list(expected.clv))
    s8 = next(row for row in answer["items"] if row["customer_id"] == "S8")
    assert s8["clv_to_cac"] == pytest.approx(s8["clv"] / 200.0)
    assert all(row["clv_to_cac"] is None for row in answer["items"] if row["customer_id"].startswith("L"))
    longer = boss.get("/api/v1/clv/customers", params={**END, "horizon_months": 24,
                                                       "annual_discount_rate": 0.2}).json()
    assert longer["attrs"]["horizon_months"] == 24 and longer["attrs"]["annual_discount_rate"] == 0.2
    model = boss.get("/api/v1/clv/model", params=END).json()
    assert [(row["model"], row["parameter"]) for row in model["items"]] == [
        ("BG/NBD", "r"), ("BG/NBD", "alpha"), ("BG/NBD", "a"), ("BG/NBD", "b"),
        ("Gamma-Gamma", "p"), ("Gamma-Gamma", "q"), ("Gamma-Gamma", "v")]
    assert model["attrs"]["customers"] == 36


def test_lifetime_value_by_segment_is_the_metrics_layers(served):
    _, metrics, _ = served
    answer = as_user(served, "boss").get("/api/v1/clv/segments", params=END).json()
    expected = metrics.clv.by_segment(AS_OF)
    assert [row["segment"] for row in answer["items"]] == list(expected.segment)
    assert [row["clv"] for row in answer["items"]] == pytest.approx(list(expected.clv))
    assert sum(row["customers"] for row in answer["items"]) == len(metrics.rfm.scores(AS_OF))


@pytest.mark.parametrize(("url", "params", "says"), [
    ("/api/v1/clv/customers", {"horizon_months": 0}, "horizon_months"),
    ("/api/v1/clv/segments", {"annual_discount_rate": 2}, "annual_discount_rate"),
    ("/api/v1/churn/risk", {"as_of": "soon"}, "as_of"),
])
def test_bad_parameters_are_refused(served, url, params, says):
    answer = as_user(served, "boss").get(url, params=params)
    assert answer.status_code == 422 and says in answer.text


def test_a_small_company_gets_reasons_not_errors(served):
    """Filtered down to two customers there is no model to fit: every endpoint answers, with the reason."""
    boss = as_user(served, "boss")
    for url in ("/api/v1/churn/risk", "/api/v1/churn/validation", "/api/v1/clv/customers", "/api/v1/clv/model"):
        assert boss.get(url, params={**Q1, "customer": ["S1", "S2"]}).status_code == 200
    answer = boss.get("/api/v1/clv/customers", params={**END, "customer": ["S1", "S2"]}).json()
    assert answer["attrs"]["reason"] == "only 2 customers bought in this selection (at least 20 needed)"
    assert all(row["clv"] is None for row in answer["items"])
