"""NPS per answer and per segment beside the segment's money, on tests/metrics/marketing.py, by hand.

In Q1 2026 the answers are C1 10 (15 Jan) and 6 (20 Mar), C2 9, C3 7, C4 8: five answers from four
customers, whose latest scores are C1 6 (detractor), C2 9 (promoter), C3 7 and C4 8 (passives).

Q1 revenue / GP per customer (profitability.customers): C1 L1 100 + L3 50 + L4 70 + L6 40 - CN1 20
= 240, COGS 60 + 30 + 40 + 24 - 12 = 142, GP 98, cost to serve 18, CM 80; C2 L7 500 + L8 200 + L10 20
= 720, GP 368; C3 L2 200 + L5 30 = 230, GP 132; C4 L9 10, GP 4. Without cost to serve CM = GP.
"""

from dataclasses import replace

import pandas as pd
import pytest

from marginscope.metrics import Scope
from tests.metrics.marketing import Q1, tables


@pytest.fixture
def ms(company):
    return company(**tables())


def test_each_answer_has_its_category(ms):
    answers = ms.nps.responses(Q1)
    assert sorted(zip(answers.customer_id, answers.score, answers.category)) == [
        ("C1", 6, "detractor"), ("C1", 10, "promoter"), ("C2", 9, "promoter"), ("C3", 7, "passive"),
        ("C4", 8, "passive")]  # C4's 0 (31 Dec 2025) and C2's 3 (2 Apr 2026) are outside the range


def test_the_whole_selection(ms):
    row = ms.nps.summary(Q1).iloc[0]
    assert (row.responses, row.respondents) == (5, 4)
    # Latest answers 6, 9, 7, 8: average 30 / 4; one promoter, two passives, one detractor of four.
    assert row.average_score == pytest.approx(7.5)
    assert (row.promoter_share, row.passive_share, row.detractor_share) == (0.25, 0.5, 0.25)
    assert row.nps == pytest.approx(0.0)  # (0.25 - 0.25) x 100


def test_by_tier_beside_the_money_of_the_tier(ms):
    table = ms.nps.by("tier", Q1).set_index("tier")
    # Gold: C1 (6, after 10) and C3 (7): 3 answers, 2 respondents, average 6.5, no promoter, one
    # passive, one detractor: NPS -50. Money: revenue 240 + 230 = 470, GP 98 + 132 = 230,
    # CM 80 + 132 = 212; per customer 235, 115, 106.
    gold = table.loc["Gold"]
    assert (gold.responses, gold.respondents, gold.promoters, gold.passives, gold.detractors) == (3, 2, 0, 1, 1)
    assert gold.average_score == pytest.approx(6.5) and gold.nps == pytest.approx(-50.0)
    assert (gold.customers, gold.revenue, gold.gross_profit, gold.contribution_margin) == (2, 470.0, 230.0, 212.0)
    assert (gold.revenue_per_customer, gold.gross_profit_per_customer,
            gold.contribution_margin_per_customer) == (235.0, 115.0, 106.0)
    # Bronze: C2's 9, NPS +100; Silver: C4's 8, NPS 0.
    assert table.nps.to_dict() == pytest.approx({"Gold": -50.0, "Bronze": 100.0, "Silver": 0.0})
    assert table.index.tolist() == ["Bronze", "Gold", "Silver"]  # by revenue: 720, 470, 10


def test_by_owner_rep(ms):
    table = ms.nps.by("owner_rep_id", Q1).set_index("owner_rep_id")
    # R1 owns C1 (6) and C4 (8): average 7, NPS (0 - 0.5) x 100; R2 C2 (9) and C3 (7): average 8, NPS +50.
    assert table.average_score.to_dict() == {"R1": 7.0, "R2": 8.0}
    assert table.nps.to_dict() == pytest.approx({"R1": -50.0, "R2": 50.0})
    assert table.responses.to_dict() == {"R1": 3, "R2": 2}


def test_by_rfm_segment(ms):
    # As of 31 March 2026 over the 18 months before, worked out in the module docstring's way:
    # recency C1 20 days, C3 21, C2 23, C4 79 -> R 4, 3, 2, 1; orders C1 4, C2 3, C3 2, C4 2 -> F 4, 3, 1, 1;
    # revenue C2 720, C1 240, C3 230, C4 110 (with L11 in June 2025) -> M 4, 3, 2, 1.
    # C1 (R4 F4 M3): Loyal. C2 (first purchase 8 Jan, 82 days) and C3 (5 March): New. C4 (M1): Low Value.
    table = ms.nps.by("rfm_segment", Q1).set_index("rfm_segment")
    assert table.respondents.to_dict() == {"New": 2, "Loyal": 1, "Low Value": 1}
    # New: C2 9 and C3 7: average 8, one promoter of two: NPS +50; Loyal: C1 6: -100; Low Value: C4 8: 0.
    assert table.nps.to_dict() == pytest.approx({"New": 50.0, "Loyal": -100.0, "Low Value": 0.0})
    assert table.loc["New", "revenue_per_customer"] == 475.0  # (720 + 230) / 2
    assert table.loc["Loyal", "contribution_margin_per_customer"] == 80.0


def test_a_reps_scope_and_the_customer_filters(ms):
    # R1's customers C1 and C4: answers 10, 6 and 8, latest 6 and 8: average 7, NPS -50.
    row = ms.nps.summary(Q1, Scope(customers={"C1", "C4"})).iloc[0]
    assert (row.responses, row.respondents, row.average_score, row.nps) == (3, 2, 7.0, -50.0)
    assert set(ms.nps.responses(Q1, Scope(customers={"C1", "C4"})).customer_id) == {"C1", "C4"}
    assert ms.nps.by("tier", Q1, Scope(customers={"C1", "C4"})).tier.tolist() == ["Gold", "Silver"]
    # North = C1 and C3, as Gold above.
    north = ms.nps.summary(replace(Q1, regions={"North"})).iloc[0]
    assert (north.respondents, north.average_score, north.nps) == (2, 6.5, -50.0)
    # An answer has no product: a product filter leaves the answers as they are.
    assert ms.nps.summary(replace(Q1, products={"P2"})).equals(ms.nps.summary(Q1))


def test_a_segment_with_money_and_no_answers_keeps_its_money(ms):
    # In January only C1 answered (10). C2 (Bronze) bought L10 20 (GP 8) and did not answer.
    january = replace(Q1, end=pd.Timestamp("2026-01-31").date())
    table = ms.nps.by("tier", january).set_index("tier")
    assert table.loc["Gold", "nps"] == 100.0
    bronze = table.loc["Bronze"]
    assert (bronze.respondents, bronze.revenue) == (0, 20.0)
    assert pd.isna(bronze.nps) and pd.isna(bronze.average_score)


def test_no_answers_loaded(company):
    metrics = company(**tables(nps_responses=False))
    row = metrics.nps.summary(Q1).iloc[0]
    assert (row.responses, row.respondents) == (0, 0) and pd.isna(row.nps)
    assert metrics.nps.by("tier", Q1).respondents.sum() == 0


def test_an_unknown_dimension_is_refused(ms):
    with pytest.raises(ValueError, match="rfm_segment"):
        ms.nps.by("colour", Q1)
