"""Products on the hand-worked company of conftest.py."""

import datetime as dt
from decimal import Decimal as D

import pandas as pd
import pytest

from marginscope.metrics import Filters, products
from tests.metrics.conftest import Q1


def test_performance_ranks_classes_and_shares(ms):
    table = products.performance(ms.warehouse, Q1, basis="previous")
    # P1: 95 + 50 + 18 - 9.50 = 153.50; P2: 200 - 200 = 0 (C3 returned C1's licence value).
    assert table[["rank", "product_id", "revenue", "abc_class"]].values.tolist() == [
        [1, "P1", D("153.50"), "A"], [2, "P2", D("0.00"), "C"]]
    assert table.cumulative_share.tolist() == [1.0, 1.0]
    assert table.growth.isna().all()  # nothing sold in the 90 days before the quarter: n/a


def test_growth_against_the_previous_period(ms):
    february = Filters(start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 28))
    table = products.performance(ms.warehouse, february, basis="previous").set_index("product_id")
    # Feb P1: 50 + 18 - 9.50 = 58.50; the 28 days before (4-31 Jan) P1: 95.
    assert table.loc["P1", "prior_revenue"] == D("95.00")
    assert table.loc["P1", "growth"] == pytest.approx((58.5 - 95) / 95)
    assert list(table.index) == ["P1"]  # P2 sold nothing in February
    # The default basis, the same period last year: February 2025 sold only P2 (I4), so P1's growth is n/a.
    yoy = products.performance(ms.warehouse, february).set_index("product_id")
    assert yoy.attrs["prior"] == (dt.date(2025, 2, 1), dt.date(2025, 2, 28)) and yoy.growth.isna()["P1"]


@pytest.mark.parametrize(
    ("revenues", "classes"),
    [([80.0, 20.0], ["A", "B"]),  # the first alone reaches 80%: the second starts at 80%, so B
     ([79.0, 21.0], ["A", "A"]),  # 79% before the second: it is the one that crosses 80%
     ([60.0, 30.0, 6.0, 4.0], ["A", "A", "B", "C"]),  # before: 0, 60, 90, 96
     ([10.0, -5.0], ["A", "C"])],  # negative revenue is never A or B
)
def test_abc_thresholds(revenues, classes):
    assert products.abc(pd.Series(revenues)).abc_class.tolist() == classes


def test_demand_trend_nets_returned_units(ms):
    trend = products.demand_trend_expr(ms.warehouse, Q1).execute()
    p1 = trend[trend.product_id == "P1"]
    assert [p.month for p in p1.period] == [1, 2]
    assert p1.units.tolist() == [10, 6]  # Jan 10; Feb 5 + 2 - 1 returned
    assert p1.revenue.tolist() == [D("95.00"), D("58.50")]


def test_the_python_api_serves_the_same_table(ms):
    direct = products.performance(ms.warehouse, Q1)
    pd.testing.assert_frame_equal(ms.products.performance(Q1), direct)
    # No payments in this company: every invoice up to 31 March is open, 95 + 200 + 50 + 18 + I4's 100.
    assert ms.receivables.summary(Q1).open_amount.iloc[0] == 463
