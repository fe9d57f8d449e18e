"""Each kind of rule finds what the hand-worked company (conftest.py) says it should, as its owner."""

from __future__ import annotations

import datetime as dt

import pytest

from marginscope.alerts import AlertEvaluator, Channels, RuleError
from marginscope.alerts.rules import last_complete_quarter, parse_params
from tests.alerts.conftest import AS_OF


def found(ms, auth, owner: str, kind: str, params: dict, search: str = "", as_of: dt.date | None = AS_OF):
    """The conditions of a fresh rule, as {key: values}."""
    evaluator = AlertEvaluator(ms, auth)
    user = auth.users.get(owner)
    rule = evaluator.store.add(user, f"{kind} {len(evaluator.store.rules())}", kind, params, search, Channels())
    return {c.key: c.values for c in evaluator.evaluate_rule(rule, as_of or evaluator.as_of())}


def test_as_of_is_the_latest_invoice_date(ms, auth):
    assert AlertEvaluator(ms, auth).as_of() == AS_OF


def test_customer_margin_below_a_floor(ms, auth):
    # 2 April to 30 June: C1 revenue 100, GP 40, freight 35 -> CM 5 = 5%; C2 revenue 250, GP 130 -> 52%;
    # C3 bought nothing in the window.
    low = found(ms, auth, "boss", "customer_margin", {"below": 0.10})
    assert list(low) == ["C1"]
    assert low["C1"]["contribution_margin_pct"] == pytest.approx(5 / 100)
    assert low["C1"]["contribution_margin"] == pytest.approx(5.0)
    assert set(found(ms, auth, "boss", "customer_margin", {"below": 0.60})) == {"C1", "C2"}
    assert set(found(ms, auth, "boss", "customer_margin", {"below": 0.60, "min_revenue": 200})) == {"C2"}
    # A 40-day window (22 May to 30 June) leaves C1 without revenue, so without a margin.
    assert set(found(ms, auth, "boss", "customer_margin", {"below": 0.60, "days": 40})) == {"C2"}


def test_a_rule_sees_only_what_its_owner_may_see(ms, auth):
    assert set(found(ms, auth, "ann", "customer_margin", {"below": 0.60})) == {"C1"}
    assert set(found(ms, auth, "bob", "customer_margin", {"below": 0.60})) == {"C2"}
    assert set(found(ms, auth, "bob", "receivables_overdue", {"days": 0})) == {"I11"}


def test_the_rule_keeps_the_filters_it_was_made_with(ms, auth):
    assert set(found(ms, auth, "boss", "customer_margin", {"below": 0.60}, "?region=South")) == {"C2"}
    assert set(found(ms, auth, "boss", "receivables_overdue", {"days": 0}, "?tier=Gold")) == {"I10"}


def test_receivables_overdue_beyond_n_days(ms, auth):
    # On 30 June: I10 (due 20 May, unpaid) is 41 days past due, I11 (due 4 June) 26; I12 is not due;
    # I1 and I2 are paid.
    late = found(ms, auth, "boss", "receivables_overdue", {"days": 30})
    assert late == {"I10": {"days_past_due": 41, "open_amount": 100.0}}
    assert set(found(ms, auth, "boss", "receivables_overdue", {"days": 20})) == {"I10", "I11"}
    assert found(ms, auth, "boss", "receivables_overdue", {"days": 41}) == {}


def test_rep_revenue_falling_quarter_on_quarter(ms, auth):
    # Q2 2026 against Q1: R1 100 against 400 (-75%); R2 250 against 300 (-16.7%).
    fallen = found(ms, auth, "boss", "rep_revenue_drop", {"drop": 0.2})
    assert list(fallen) == ["R1:2026-Q2"]
    assert fallen["R1:2026-Q2"]["change"] == pytest.approx(100 / 400 - 1)
    assert set(found(ms, auth, "boss", "rep_revenue_drop", {"drop": 0.1})) == {"R1:2026-Q2", "R2:2026-Q2"}
    # As of 29 June the last complete quarter is Q1, whose quarter before had no sales at all.
    assert found(ms, auth, "boss", "rep_revenue_drop", {"drop": 0.1}, as_of=dt.date(2026, 6, 29)) == {}


def test_budget_attainment_below_a_threshold(ms, auth):
    # January to June: budget 6 x 200 = 1200, actual 400 + 300 + 100 + 50 + 200 = 1050 -> 87.5%.
    below = found(ms, auth, "boss", "budget_attainment", {"measure": "revenue", "below": 0.9})
    assert below == {"revenue:2026": {"attainment": pytest.approx(1050 / 1200), "actual": 1050.0,
                                      "budget": 1200.0}}
    assert found(ms, auth, "boss", "budget_attainment", {"measure": "revenue", "below": 0.85}) == {}
    # A rep's scope cannot be matched to budget cells, so a rep's budget rule finds nothing.
    assert found(ms, auth, "ann", "budget_attainment", {"measure": "revenue", "below": 0.99}) == {}


def test_segment_slip_is_the_rfm_migration(expected, tmp_path):
    """Wiring: the customers the rule finds are the RFM migration's slipping customers (tested in test_rfm)."""
    from marginscope.auth import Auth, Role

    auth = Auth(tmp_path / "app.sqlite3")
    auth.users.add("boss", "a long enough password", Role.ADMIN)
    evaluator = AlertEvaluator(expected, auth)
    as_of = evaluator.as_of()
    rule = evaluator.store.add(auth.users.get("boss"), "slips", "segment_slip", {}, "", Channels())
    keys = {c.key for c in evaluator.evaluate_rule(rule, as_of)}
    from dataclasses import replace

    from marginscope.metrics import Filters
    from marginscope.metrics.periods import add_months
    _, slipping = expected.rfm.migration(replace(Filters(), start=add_months(as_of, -3), end=as_of))
    assert keys == set(slipping.customer_id) and keys


@pytest.mark.parametrize(("as_of", "quarter"), [
    (dt.date(2026, 6, 30), (dt.date(2026, 4, 1), dt.date(2026, 6, 30))),
    (dt.date(2026, 7, 1), (dt.date(2026, 4, 1), dt.date(2026, 6, 30))),
    (dt.date(2026, 3, 30), (dt.date(2025, 10, 1), dt.date(2025, 12, 31))),
])
def test_last_complete_quarter(as_of, quarter):
    assert last_complete_quarter(as_of) == quarter


@pytest.mark.parametrize(("kind", "params", "message"), [
    ("customer_margin", {"below": 2}, "below: Input should be less than or equal to 1"),
    ("customer_margin", {"floor": 0.1}, "floor: Extra inputs are not permitted"),
    ("receivables_overdue", {"days": -1}, "days: Input should be greater than or equal to 0"),
    ("budget_attainment", {"measure": "units"}, "measure: Input should be 'revenue' or 'gross_profit'"),
    ("weather", {}, "unknown kind 'weather'"),
])
def test_bad_parameters_are_named(kind, params, message):
    with pytest.raises(RuleError, match=message):
        parse_params(kind, params)
