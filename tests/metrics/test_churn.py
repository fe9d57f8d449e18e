"""Churn risk on the hand-worked company of tests/metrics/churn_company.py (its docstring
gives every customer's features and label at each cutoff)."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import replace

import pandas as pd
import pytest

from marginscope.metrics import EVERYTHING, Filters, Scope, churn
from tests.conftest import open_with
from tests.metrics.churn_company import AS_OF, CHURNED_IN_TEST, GROUPS, T, company_tables, freight


@pytest.fixture(scope="module")
def ms(tmp_path_factory):
    """The company, loaded once for the module: the tests only read it."""
    metrics = open_with(tmp_path_factory.mktemp("churn"), company_tables())
    yield metrics
    metrics.close()


def group_of(customer_id: str) -> str:
    return customer_id[0]


def test_features_and_labels_at_each_cutoff_are_the_hand_worked_ones(ms):
    panel = ms.churn.panel(AS_OF)
    assert panel.attrs["train_cutoff"] == dt.date(2025, 7, 5) and panel.attrs["test_cutoff"] == dt.date(2026, 1, 1)
    expected = {  # (stage, group): (recency, orders last 180, orders before, churned)
        ("train", "S"): (20, 6, 6, False), ("train", "L"): (51, 2, 2, False), ("train", "D"): (15, 3, 6, True),
        ("train", "E"): (20, 6, 6, False), ("train", "F"): (20, 6, 6, False), ("train", "U"): (20, 6, 6, False),
        ("train", "K"): (20, 6, 6, False),
        ("test", "S"): (17, 6, 6, False), ("test", "L"): (47, 2, 2, False), ("test", "D"): (195, 0, 3, True),
        ("test", "E"): (17, 3, 6, True), ("test", "F"): (17, 6, 6, False), ("test", "U"): (17, 6, 6, True),
        ("test", "K"): (17, 3, 6, False),
        ("score", "S"): (15, 6, 6, None), ("score", "L"): (46, 2, 2, None), ("score", "E"): (197, 0, 3, None),
        ("score", "F"): (61, 2, 6, None), ("score", "U"): (197, 0, 6, None), ("score", "K"): (41, 2, 3, None),
    }
    seen = {}
    for row in panel.itertuples():
        label = None if pd.isna(row.churned) else bool(row.churned)
        features = (row.recency_days, row.orders_last_180_days, row.orders_prior_180_days, label)
        assert seen.setdefault((row.stage, group_of(row.customer_id)), features) == features, row
    assert seen == expected  # no D customer is active at T: 375 days since 20 Jun 2025
    counts = panel.groupby("stage").size().to_dict()
    assert counts == {"train": 36, "test": 36, "score": 30}


def test_a_scored_customers_row_is_worked_out_by_hand(ms):
    risk = ms.churn.risk(AS_OF).set_index("customer_id")
    f1 = risk.loc["F1"]
    assert (f1.customer_name, f1.owner_rep_id, f1.owner_rep_name) == ("Customer F1", "R1", "Ann")
    assert f1.last_purchase == dt.date(2026, 4, 30)
    assert f1.tenure_days == (T - dt.date(2024, 1, 15)).days == 897
    # Revenue: 2 orders (200.00) in the last 180 days against 6 (600.00) before: (200 - 600) / 800.
    assert f1.revenue_trend == pytest.approx(-0.5)
    # The last 365 days, (30 Jun 2025, 30 Jun 2026]: Jul-Dec 2025 and two orders in 2026, 8 x 100.00.
    assert f1.revenue_last_365_days == pytest.approx(800.0)
    assert risk.attrs["reason"] is None and risk.attrs["as_of"] == T


def test_the_auc_is_the_share_of_concordant_pairs_on_the_held_out_split(ms):
    held_out = ms.churn.holdout(AS_OF)
    assert {(group_of(c), bool(y)) for c, y in zip(held_out.customer_id, held_out.churned)} == {
        (g, g in CHURNED_IN_TEST) for g in GROUPS}
    churned = held_out[held_out.churned].churn_probability.tolist()
    stayed = held_out[~held_out.churned].churn_probability.tolist()
    assert (len(churned), len(stayed)) == (14, 22)
    # S, F and U look alike on 1 Jan 2026 (17/6/6) but U churned: tied pairs count half.
    concordant = sum(1.0 if c > s else 0.5 if c == s else 0.0 for c, s in itertools.product(churned, stayed))
    validation = ms.churn.validation(AS_OF)
    assert validation.auc == pytest.approx(concordant / (14 * 22))
    assert 0.5 < validation.auc < 1.0  # better than chance; U's sudden stop cannot be foreseen
    assert (validation.train_customers, validation.train_churned) == (36, 6)
    assert (validation.test_customers, validation.test_churned) == (36, 14)


def test_the_calibration_bins_add_up_to_the_test_customers(ms):
    validation = ms.churn.validation(AS_OF)
    held_out = ms.churn.holdout(AS_OF)
    table = validation.calibration
    assert table.customers.sum() == 36 and table.churned.sum() == 14
    assert (table.predicted_mean * table.customers).sum() == pytest.approx(held_out.churn_probability.sum())
    assert (table.observed_rate * table.customers).sum() == pytest.approx(14)
    for row in table.itertuples():
        assert row.predicted_from <= row.predicted_mean < row.predicted_to
        inside = held_out[(held_out.churn_probability >= row.predicted_from)
                          & (held_out.churn_probability < row.predicted_to)]
        assert (len(inside), int(inside.churned.sum())) == (row.customers, row.churned)


def test_declining_customers_rank_above_steady_ones(ms):
    risk = ms.churn.risk(AS_OF)
    probability = dict(zip(risk.customer_id, risk.churn_probability))
    by_group = {g: [p for c, p in probability.items() if group_of(c) == g] for g in GROUPS}
    # F bought twice in the last 180 days after six in the 180 before; S and L kept their pace.
    assert min(by_group["F"]) > max(by_group["S"] + by_group["L"])
    # E and U have bought nothing for 197 days: riskier still.
    assert min(by_group["E"] + by_group["U"]) > max(by_group["F"])
    # Everyone is 180 days older at T than at the cutoff the model learned from: that alone must not
    # make the steady customers look at risk (tenure is capped at a year).
    assert max(by_group["S"] + by_group["L"]) < 0.5
    assert list(risk.churn_probability) == sorted(risk.churn_probability, reverse=True)


def test_the_refitted_model_reproduces_the_churn_rate_it_learned_from(ms):
    """The intercept is not penalised, so at the fit the mean probability over the customers
    fitted equals their churn rate: 14 of the 36 active on 1 Jan 2026."""
    panel = ms.churn.panel(AS_OF)
    test = panel[panel.stage == "test"]
    model = churn.fit(test)
    assert model.probability(test).mean() == pytest.approx(14 / 36, abs=1e-6)


def test_at_risk_customers_are_those_above_the_threshold(ms):
    risk = ms.churn.risk(AS_OF)
    at_risk = ms.churn.at_risk(AS_OF)
    assert set(at_risk.customer_id) == {c for c, p in zip(risk.customer_id, risk.churn_probability) if p > 0.5}
    assert {group_of(c) for c in at_risk.customer_id} >= {"E", "U"}
    assert ms.churn.at_risk(AS_OF, threshold=1.0).empty
    with pytest.raises(ValueError, match="between 0 and 1"):
        ms.churn.at_risk(AS_OF, threshold=50)


def test_the_at_risk_summary_adds_up_the_at_risk_customers_revenue(ms):
    """Revenue of the last 365 days, (30 Jun 2025, 30 Jun 2026], by hand: each purchase of customer
    n costs 90 + 10n; the schedules give the number of purchases in that year."""
    at_risk = ms.churn.at_risk(AS_OF)
    summary = ms.churn.at_risk_summary(AS_OF)

    def revenue(customer_id: str) -> float:
        days = GROUPS[customer_id[0]][1]
        return sum(1 for d in days if dt.date(2025, 6, 30) < d <= T) * (90 + 10 * int(customer_id[1:]))

    assert summary["at_risk_customers"] == len(at_risk) and summary["active_customers"] == 30
    assert summary["at_risk_revenue"] == pytest.approx(sum(revenue(c) for c in at_risk.customer_id))
    everyone = sum(revenue(c) for c in ms.churn.risk(AS_OF).customer_id)
    assert summary["at_risk_revenue_share"] == pytest.approx(summary["at_risk_revenue"] / everyone)


def test_a_scope_fits_on_its_own_customers_and_sees_no_other(ms):
    everyone_but_k = frozenset(c for c in ms.churn.risk(AS_OF).customer_id if group_of(c) != "K") | {
        f"D{n}" for n in range(1, 7)}
    scoped = ms.churn.risk(AS_OF, Scope(everyone_but_k))
    assert not any(group_of(c) == "K" for c in scoped.customer_id)
    # A scope is the same selection as a customer filter: the same model, the same probabilities.
    filtered = ms.churn.risk(Filters(end=T, customers=everyone_but_k))
    pd.testing.assert_frame_equal(scoped, filtered)
    assert not scoped.churn_probability.equals(ms.churn.risk(AS_OF).set_index("customer_id").churn_probability
                                               .loc[scoped.customer_id].reset_index(drop=True))
    # Ann owns 14 customers: too few to fit a model on, and the reason says so.
    ann = ms.churn.risk(AS_OF, Scope({f"S{n}" for n in range(1, 9)} | {f"F{n}" for n in range(1, 7)}))
    assert set(ann.customer_id) == {f"S{n}" for n in range(1, 9)} | {f"F{n}" for n in range(1, 7)}
    assert ann.churn_probability.isna().all()
    assert "only 14 customers active on 05 Jul 2025" in ann.attrs["reason"]


def test_filters_select_the_lines_the_model_learns_from(ms):
    north = frozenset(f"{g}{n}" for g, (size, _) in GROUPS.items() for n in range(1, size + 1)) - {"K1", "K2", "S8"}
    by_region = ms.churn.validation(Filters(end=T, regions={"North"}))
    by_id = ms.churn.validation(Filters(end=T, customers=north))
    assert by_region.summary() == by_id.summary()
    assert (by_region.test_customers, by_region.test_churned, by_region.reason) == (33, 14, None)
    # The start of the date range does not cut history: only its end, the as-of date, counts.
    pd.testing.assert_frame_equal(ms.churn.risk(Filters(start=dt.date(2026, 6, 1), end=T)), ms.churn.risk(AS_OF))
    # Without a date range, the as-of date is the last invoice date: the steady customers' 15 Jun 2026.
    assert ms.churn.risk().attrs["as_of"] == dt.date(2026, 6, 15)


def test_one_kind_only_gives_no_score_and_says_why(company):
    tables = company_tables()
    steady_only = [line for line in tables["invoice_lines"].splitlines() if ",S" in line or ",L" in line
                   or line.startswith("invoice_id")]
    tables["invoice_lines"] = "\n".join(steady_only) + "\n"
    ms = company(**tables)
    risk = ms.churn.risk(AS_OF)
    assert len(risk) == 14 and risk.churn_probability.isna().all()
    assert risk.attrs["reason"].startswith("only 14 customers active on 05 Jul 2025")
    more = company_tables()
    more["invoice_lines"] = "\n".join(line for line in more["invoice_lines"].splitlines()
                                      if line.split(",")[5][:1] not in "DEU") + "\n"
    validation = company(**more).churn.validation(AS_OF)
    assert validation.auc is None and validation.calibration.empty
    assert "of the 22 customers active on 05 Jul 2025, 0 made no purchase in the next 180 days and 22 did" in validation.reason


def test_an_empty_or_tiny_company_is_no_crash(company):
    from tests.metrics.conftest import CUSTOMERS, LINES, PRODUCTS

    empty = company()
    assert empty.churn.risk().empty and "only 0 customers active" in empty.churn.validation().reason
    small = company(customers=CUSTOMERS, products=PRODUCTS, invoice_lines=LINES)
    assert small.churn.risk(Filters(end=dt.date(2026, 3, 31))).attrs["reason"].startswith("only 1 customer active on 05 Apr 2025")
    assert small.churn.at_risk(Filters(end=dt.date(2026, 3, 31))).empty


def test_results_are_cached_per_data_version(ms):
    first = ms.churn.risk(AS_OF)
    hits = ms.cache.hits
    assert ms.churn.risk(AS_OF).equals(first) and ms.cache.hits == hits + 1
    assert ms.churn.risk(AS_OF, EVERYTHING).attrs == first.attrs


def test_the_portrait_carries_the_customers_churn_risk_and_lifetime_value(ms):
    first_half = Filters(start=dt.date(2026, 1, 1), end=T)
    risk = ms.churn.risk(first_half).set_index("customer_id")
    fading = ms.customers.portrait("F1", first_half)
    assert fading.churn["churn_probability"] == risk.loc["F1", "churn_probability"]
    assert fading.churn["auc"] == ms.churn.validation(first_half).auc and fading.churn["reason"] is None
    values = ms.clv.customers(first_half).set_index("customer_id")
    assert fading.lifetime_value["clv"] == values.loc["F1", "clv"] or (
        math.isnan(fading.lifetime_value["clv"]) and fading.lifetime_value["reason"] == values.attrs["reason"])
    # The portrait's own customer filter does not shrink the models to one customer.
    only_f1 = ms.customers.portrait("F1", replace(first_half, customers=frozenset({"F1"})))
    assert only_f1.churn == fading.churn
    # D1 last bought on 20 Jun 2025, 375 days before T: not active, so not scored.
    faded = ms.customers.portrait("D1", first_half).churn
    assert faded["churn_probability"] is None
    assert faded["reason"] == "not an active customer: no purchase in the 365 days to 30 Jun 2026"


def test_the_lifetime_value_model_fits_the_company_without_a_penalty(ms):
    """The company's margins vary from order to order (its freight), so Gamma-Gamma's likelihood has a
    maximum and the plain fit finds it: no value rests on a penalty, or on the machine the fit ran on."""
    values = ms.clv.customers(AS_OF).set_index("customer_id")
    # F1's 25 repeat purchases each earn 100.00 - 60.00 of gross profit, less their freight.
    repeat_freight = sum(freight()["F1"][1:])
    assert values.loc["F1", "margin_per_repeat_purchase"] == pytest.approx((25 * 40.00 - repeat_freight) / 25)
    assert values.attrs["reason"] is None and values.attrs["gamma_gamma_penalizer"] == 0.0
    assert values.clv.notna().all() and (values.margin_basis == "Gamma-Gamma").all()
