"""Forecast endpoints on the API company (tests/api/conftest.py), worked out by hand.

Company revenue by month, as of 31 March 2026 (14 complete months from February 2025):
  Feb 2025: I4 100.00; March to December 2025: nothing (0)
  Jan 2026: I1 95.00 + 200.00 = 295.00
  Feb 2026: I2 50.00 + I3 18.00 - CN1 9.50 = 58.50
  Mar 2026: -CN2 200.00 + I5 400.00 + I6 30.00 = 230.00
With 14 months the backtest covers the last 14 - 12 = 2 months, from origins at the ends of
January 2026 (month 12) and February 2026 (month 13). Seasonal naive forecasts February 2026 by
February 2025 (100) and March 2026 by March 2025 (0), from both origins:
  errors 41.50 (Feb, once) and 230 (Mar, twice): MAE = 501.50 / 3;
  MAPE = (41.5 / 58.5 + 230 / 230 + 230 / 230) / 3.
"""

from __future__ import annotations

import pytest

from tests.api.conftest import Q1

NAIVE_MAE = (41.5 + 230 + 230) / 3
NAIVE_MAPE = (41.5 / 58.5 + 1 + 1) / 3


def test_the_backtest_and_forecast_of_the_company(served):
    admin = served.as_user("boss")
    backtest = admin.get("/api/v1/forecast/backtest", params=Q1).json()
    assert backtest["attrs"] == {"as_of": "2026-03-31", "last_complete_month": "2026-03-01"}
    row = backtest["items"][0]
    assert (row["series"], row["history_months"], row["backtest_months"], row["forecasts"]) == ("Total", 14, 2, 3)
    assert (row["first_origin"], row["last_origin"]) == ("2026-01-31", "2026-02-28")
    assert row["seasonal_naive_mae"] == pytest.approx(NAIVE_MAE)
    assert row["seasonal_naive_mape"] == pytest.approx(NAIVE_MAPE)
    assert row["relative_mae"] == pytest.approx(row["mae"] / NAIVE_MAE)
    monthly = admin.get("/api/v1/forecast/monthly", params={**Q1, "horizon": 9}).json()["items"]
    actual = [r["value"] for r in monthly if r["kind"] == "actual"]
    assert actual == [100.0] + [0.0] * 10 + [295.0, 58.5, 230.0]
    ahead = [r for r in monthly if r["kind"] == "forecast"]
    assert [r["period"] for r in ahead] == [f"2026-{m:02d}-01" for m in range(4, 13)]
    assert all(r["lo95"] <= r["lo80"] <= r["value"] <= r["hi80"] <= r["hi95"] for r in ahead)
    assert {r["model"] for r in ahead} == {row["model"]}
    # The outlook of 2026: actual January to March, the forecast of April to December, against the North
    # budget of 3 * 250.
    outlook = admin.get("/api/v1/budget/full-year-outlook",
                        params={"year": 2026, "as_of": "2026-03-31"}).json()["items"][0]
    rest = sum(r["value"] for r in ahead)
    assert outlook["actual_to_date"] == pytest.approx(583.5)
    assert outlook["forecast_rest"] == pytest.approx(rest) and outlook["outlook"] == pytest.approx(583.5 + rest)
    assert outlook["full_year_budget"] == 750 and outlook["outlook_attainment"] == pytest.approx((583.5 + rest) / 750)
    assert outlook["model"] == row["model"] and outlook["relative_mae"] == pytest.approx(row["relative_mae"])


def test_a_rep_forecasts_only_their_customers_and_is_told_why_there_is_no_forecast(served):
    # Ann owns C1, whose first line is in January 2026: 3 months of history (295, 18 - 9.50, 0).
    ann = served.as_user("ann")
    monthly = ann.get("/api/v1/forecast/monthly", params=Q1).json()["items"]
    assert [r["value"] for r in monthly] == [295.0, 8.5, 0.0] and {r["kind"] for r in monthly} == {"actual"}
    row = ann.get("/api/v1/forecast/backtest", params=Q1).json()["items"][0]
    assert row["model"] is None and "3 complete months" in row["note"]
    outlook = ann.get("/api/v1/budget/full-year-outlook", params={"year": 2026, "as_of": "2026-03-31"}).json()
    assert outlook["items"][0]["outlook"] is None and "3 complete months" in outlook["items"][0]["forecast_note"]


def test_one_series_per_region_and_the_candidates(served):
    admin = served.as_user("boss")
    regions = admin.get("/api/v1/forecast/backtest", params={**Q1, "series": "region"}).json()["items"]
    # Revenue over the 12 months to March 2026 by region: South (C2) 50 + 400 = 450,
    # North (C1, C3) 295 + 8.5 - 200 = 103.5, West (C4) 30.
    assert [r["series"] for r in regions] == ["South", "North", "West"]
    candidates = admin.get("/api/v1/forecast/candidates", params=Q1).json()["items"]
    assert [c["model"] for c in candidates][:2] == ["seasonal naive", "drift"]
    assert sum(c["chosen"] for c in candidates) == 1
    # Seasonal ETS needs 24 months before the first origin (month 12): it takes no part.
    assert all("needs 24 months" in c["note"] for c in candidates if c["model"].endswith(",A)"))


@pytest.mark.parametrize(("params", "says"), [({"measure": "orders"}, "gross_profit"),
                                               ({"series": "industry"}, "rep_id"),
                                               ({"horizon": 0}, "horizon"), ({"top": 0}, "top")])
def test_bad_forecast_parameters_are_refused(served, params, says):
    answer = served.as_user("boss").get("/api/v1/forecast/monthly", params={**Q1, **params})
    assert answer.status_code == 422 and says in answer.text
