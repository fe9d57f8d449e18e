"""Forecasts and their backtests on series whose answers can be worked out by hand.

SEASON is a year of monthly revenue that repeats exactly: the seasonal-naive forecast of
any month is then exact, and a forecast of next year is this year again.
A straight line y_t = 100 + 10 t (t = 1 for January 2024) is exact for the drift model,
while the seasonal-naive forecast misses every month by 12 * 10 = 120.

Every line is one invoice (quantity 1 at its net amount); COGS is 40% of it, so gross
profit is 60% of revenue.
"""

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from marginscope.metrics import Filters, Scope, budget, forecast
from marginscope.metrics.periods import add_months

CUSTOMERS = """customer_id,name,region,tier,owner_rep_id
C1,Acme,North,Gold,R1
C2,Globex,South,Bronze,R2
C3,Initech,East,Bronze,R2
"""
PRODUCTS = "product_id,name,category\nP1,Bolt,Hardware\nP2,Licence,Software\n"
REPS = "rep_id,name\nR1,Ann\nR2,Bob\n"
HEADER = ("invoice_id,line_no,kind,invoice_date,order_id,customer_id,product_id,rep_id,quantity,unit_price,"
          "net_amount,cogs")
SEASON = [100, 120, 90, 150, 130, 110, 160, 170, 140, 120, 180, 200]
JAN_2024 = dt.date(2024, 1, 1)
END_2025 = dt.date(2025, 12, 31)
Z80, Z95 = 1.2815515655446004, 1.959963984540054


def lines(*series: tuple[str, str, list[float]], day: int = 10) -> str:
    """Invoice lines: for each (customer, product, monthly amounts), one line on ``day`` of each month
    from January 2024."""
    rows = [HEADER]
    for customer, product, amounts in series:
        rep = "R1" if customer == "C1" else "R2"
        for index, amount in enumerate(amounts):
            date = add_months(JAN_2024, index).replace(day=day)
            key = f"I-{customer}-{product}-{index}"
            rows.append(f"{key},1,invoice,{date},{key},{customer},{product},{rep},1,{amount},{amount},{amount * 0.4}")
    return "\n".join(rows) + "\n"


@pytest.fixture
def open_company(company):
    def opened(text: str, **tables: str):
        return company(reps=REPS, customers=CUSTOMERS, products=PRODUCTS, invoice_lines=text, **tables)
    return opened


def line(t: int) -> float:
    return 100.0 + 10 * t


# --- models, worked by hand ------------------------------------------------------------

def test_seasonal_naive_repeats_last_year_with_widening_intervals():
    # Year 1 is all 1; year 2 alternates 2 and 4, so the residuals y_t - y_(t-12) alternate 1 and 3:
    # sigma = sqrt((1 + 9) / 2) = sqrt(5). A month 13 to 24 steps ahead has sigma * sqrt(2).
    y = np.array([1.0] * 12 + [2.0, 4.0] * 6)
    p = forecast.seasonal_naive(y, 14)
    assert p.mean.tolist() == [2.0, 4.0] * 7
    sigma = math.sqrt(5)
    assert p.bounds[80][0][0] == pytest.approx(2 - Z80 * sigma)
    assert p.bounds[95][1][11] == pytest.approx(4 + Z95 * sigma)
    assert p.bounds[95][1][12] == pytest.approx(2 + Z95 * sigma * math.sqrt(2))


def test_drift_continues_the_average_change_with_its_interval():
    # y = 10, 13, 14, 17: slope (17 - 10) / 3 = 7/3; one-step residuals 3, 1, 3 minus 7/3 = 2/3, -4/3, 2/3,
    # squares 24/9 over T - 2 = 2 degrees of freedom: sigma^2 = 4/3.
    # h = 1: sigma_h = sqrt(4/3 * 1 * (1 + 1/3)) = 4/3; h = 3: sqrt(4/3 * 3 * 2) = sqrt(8).
    p = forecast.drift(np.array([10.0, 13.0, 14.0, 17.0]), 3)
    assert p.mean == pytest.approx([17 + 7 / 3, 17 + 14 / 3, 24])
    assert p.bounds[80][0][0] == pytest.approx(17 + 7 / 3 - Z80 * 4 / 3)
    assert p.bounds[95][1][2] == pytest.approx(24 + Z95 * math.sqrt(8))


@pytest.mark.parametrize("model", forecast.ETS_MODELS, ids=lambda m: m.name)
@pytest.mark.parametrize("length", [36, 40])
def test_the_backtest_forecasts_ets_from_its_states_as_statsmodels_does(model, length):
    """Parameters from the months up to the first origin; at each origin, statsmodels' own results
    object of a model of the months up to that origin (initialised by statsmodels' own heuristic,
    smoothed with those parameters) forecasts what the backtest's short-cut does. With 40 months
    the origins (34 to 39 months) straddle the 36 at which the seasonal heuristic starts reading a
    third year, so their models start apart."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    def statsmodels_own(endog):
        return ETSModel(endog, error="add", trend=model.trend, damped_trend=model.damped,
                        seasonal="add" if model.seasonal else None, seasonal_periods=12 if model.seasonal else None,
                        initialization_method="heuristic")

    months = np.arange(length)
    y = 10 + 0.1 * months + 2 * np.sin(2 * np.pi * months / 12) + np.random.default_rng(3).normal(0, 0.3, length)
    origins = range(length - 6, length)
    ours = model.backtest(y, origins)
    scale = np.mean(np.abs(y[:origins[0]]))
    params = statsmodels_own(y[:origins[0]] / scale).fit(disp=False, return_params=True)
    for origin, forecasts in zip(origins, ours):
        theirs = statsmodels_own(y[:origin] / scale).smooth(params).forecast(length - origin)
        assert forecasts == pytest.approx(np.asarray(theirs) * scale, rel=1e-9)
    assert [len(f) for f in ours] == [6, 5, 4, 3, 2, 1]


@pytest.mark.parametrize("model", forecast.ETS_MODELS, ids=lambda m: m.name)
def test_an_ets_forecast_is_statsmodels_own(model):
    """The forecast and its intervals are those of statsmodels' model with its own heuristic initial
    states (the models share their heuristic's states; this checks that sharing changes nothing)."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    months = np.arange(30)
    y = 50 + 0.5 * months + 6 * np.sin(2 * np.pi * months / 12) + np.random.default_rng(5).normal(0, 1, 30)
    forecast.ETS_MODELS[0].predict(y, 4)  # another model first: its states are shared where they can be
    ours = model.predict(y, 14)
    scale = np.mean(np.abs(y))
    fitted = ETSModel(pd.Series(y / scale), error="add", trend=model.trend, damped_trend=model.damped,
                      seasonal="add" if model.seasonal else None, seasonal_periods=12 if model.seasonal else None,
                      initialization_method="heuristic").fit(disp=False)
    theirs = fitted.get_prediction(start=30, end=43).summary_frame(alpha=0.05)
    assert ours.mean == pytest.approx(theirs["mean"].to_numpy() * scale, rel=1e-12)
    assert ours.bounds[95][0] == pytest.approx(theirs["pi_lower"].to_numpy() * scale, rel=1e-12)
    assert ours.bounds[95][1] == pytest.approx(theirs["pi_upper"].to_numpy() * scale, rel=1e-12)


def test_mape_leaves_out_months_whose_actual_is_zero():
    # |100 - 90| / 100 = 0.1 and |50 - 60| / 50 = 0.2; the month of 0 has no percentage error.
    assert forecast.mape(np.array([100.0, 0.0, 50.0]), np.array([90.0, 5.0, 60.0])) == pytest.approx(0.15)
    assert math.isnan(forecast.mape(np.array([0.0, 0.0]), np.array([1.0, 2.0])))


# --- series from the warehouse -------------------------------------------------------------

def test_a_series_that_repeats_every_year_is_forecast_by_last_year(open_company):
    ms = open_company(lines(("C1", "P1", SEASON * 2)))
    table = ms.forecast.backtest("revenue", as_of=END_2025).iloc[0]
    # 24 months; origins at the ends of months 18 to 23 (June to November 2025); 6+5+4+3+2+1 forecasts.
    assert (table.series, table.model, table.history_months, table.forecasts) == ("Total", "seasonal naive", 24, 21)
    assert (table.first_origin, table.last_origin) == (dt.date(2025, 6, 30), dt.date(2025, 11, 30))
    assert table.mape == 0 and table.seasonal_naive_mape == 0 and table.mae == 0
    assert math.isnan(table.relative_mae)  # 0 / 0: nothing to compare
    monthly = ms.forecast.monthly("revenue", as_of=END_2025)
    actual, ahead = monthly[monthly.kind == "actual"], monthly[monthly.kind == "forecast"]
    assert actual.value.tolist() == SEASON * 2 and actual.period.iloc[0] == JAN_2024
    assert ahead.period.tolist() == [dt.date(2026, m, 1) for m in range(1, 13)]
    assert ahead.value.tolist() == pytest.approx(SEASON)
    # Residuals y_t - y_(t-12) are all 0: the intervals close on the forecast.
    assert ahead.lo95.tolist() == pytest.approx(SEASON) and ahead.hi80.tolist() == pytest.approx(SEASON)
    profit = ms.forecast.monthly("gross_profit", as_of=END_2025)
    assert profit[profit.kind == "forecast"].value.tolist() == pytest.approx([0.6 * v for v in SEASON])


def test_a_straight_line_is_drift_and_the_seasonal_naive_error_is_a_year_of_growth(open_company):
    ms = open_company(lines(("C1", "P1", [line(t) for t in range(1, 25)])))
    candidates = ms.forecast.candidates("revenue", as_of=END_2025).set_index("model")
    # Month t (19..24) is forecast from the origins at months 18..t-1, that is t - 18 times, and seasonal
    # naive misses each by y_t - y_(t-12) = 120: MAE 120, MAPE = (1/21) * sum (t - 18) * 120 / (100 + 10 t).
    naive_mape = sum((t - 18) * 120 / line(t) for t in range(19, 25)) / 21
    assert candidates.loc["seasonal naive", "mae"] == pytest.approx(120)
    assert candidates.loc["seasonal naive", "mape"] == pytest.approx(naive_mape)
    # Drift from origin o: y_o + h * (y_o - y_1) / (o - 1) = y_o + 10 h, exact.
    assert candidates.loc["drift", "mae"] == pytest.approx(0, abs=1e-9)
    assert candidates.loc["drift", "relative_mae"] == pytest.approx(0, abs=1e-9)
    assert candidates.chosen.sum() == 1 and candidates.loc["drift", "chosen"]
    # Seasonal ETS needs 24 months before the first origin, which is at month 18.
    assert "needs 24 months" in candidates.loc["ETS(A,Ad,A)", "note"]
    assert math.isnan(candidates.loc["ETS(A,Ad,A)", "mae"])
    summary = ms.forecast.backtest("revenue", as_of=END_2025).iloc[0]
    assert summary.model == "drift" and summary.seasonal_naive_mape == pytest.approx(naive_mape)
    ahead = ms.forecast.monthly("revenue", horizon=3, as_of=END_2025)
    ahead = ahead[ahead.kind == "forecast"]
    assert ahead.value.tolist() == pytest.approx([line(25), line(26), line(27)])  # 350, 360, 370
    assert ahead.model.unique().tolist() == ["drift"]


def _drift_of(values: list[float], horizon: int) -> pd.DataFrame:
    history = pd.DataFrame({"series": "Total", "period": [add_months(JAN_2024, i) for i in range(len(values))],
                            "revenue": values})
    ahead = forecast.predict(history, pd.DataFrame({"series": ["Total"], "model": ["drift"]}), "revenue", horizon)
    return ahead[ahead.kind == "forecast"]


def test_a_series_never_below_zero_is_not_forecast_below_zero():
    # y = 100, 90, 80, 70 falls by 10 a month and exactly (sigma 0): drift says 60, 50, ..., then -10 and -20
    # at months 11 and 12, cut to 0. Noise widens the bands of y = 100, 80, 90, 70: slope -10, residuals
    # -10, +20, -10 around it, sigma^2 = 600 / 2 = 300; the first month's lower 95% bound,
    # 60 - 1.96 * sqrt(300 * 1 * (1 + 1/3)) = 60 - 39.2, stays; the fourth's, 30 - 1.96 * sqrt(300 * 4 * (1 + 4/3))
    # = 30 - 103.7, is cut to 0.
    exact = _drift_of([100.0, 90.0, 80.0, 70.0], 8)
    assert exact.value.tolist() == pytest.approx([60, 50, 40, 30, 20, 10, 0, 0])
    assert (exact.lo95 == exact.value).all()
    noisy = _drift_of([100.0, 80.0, 90.0, 70.0], 4)
    assert noisy.lo95.iloc[0] == pytest.approx(60 - Z95 * math.sqrt(400))
    assert noisy.lo95.iloc[3] == 0 and noisy.hi95.iloc[3] == pytest.approx(30 + Z95 * math.sqrt(2800))
    # A history with a month below 0 (returns outweighing sales) may be forecast below 0.
    assert _drift_of([30.0, 20.0, 10.0, -10.0], 1).value.tolist() == pytest.approx([-10 - 40 / 3])


def test_too_short_a_history_has_no_forecast_and_says_why(open_company):
    ms = open_company(lines(("C1", "P1", [line(t) for t in range(1, 13)])))
    row = ms.forecast.backtest("revenue", as_of=dt.date(2024, 12, 31)).iloc[0]
    assert row.model is None and row.history_months == 12 and "at least 13" in row.note
    monthly = ms.forecast.monthly("revenue", as_of=dt.date(2024, 12, 31))
    assert set(monthly.kind) == {"actual"} and len(monthly) == 12


def test_thirteen_to_seventeen_months_backtest_only_what_last_year_can_forecast(open_company):
    ms = open_company(lines(("C1", "P1", [line(t) for t in range(1, 16)])))
    row = ms.forecast.backtest("revenue", as_of=dt.date(2025, 3, 31)).iloc[0]
    # 15 months: months 13 to 15 have a month a year before; origins at months 12, 13, 14: 3 + 2 + 1 forecasts.
    assert (row.backtest_months, row.forecasts) == (3, 6)
    assert (row.first_origin, row.last_origin) == (dt.date(2024, 12, 31), dt.date(2025, 2, 28))
    assert row.model == "drift" and row.seasonal_naive_mae == pytest.approx(120)


def test_the_month_in_progress_is_not_history_and_is_forecast_first(open_company):
    ms = open_company(lines(("C1", "P1", SEASON * 2 + [999])))  # a line on 10 January 2026
    monthly = ms.forecast.monthly("revenue", as_of=dt.date(2026, 1, 20))
    assert monthly[monthly.kind == "actual"].period.max() == dt.date(2025, 12, 1)
    first = monthly[monthly.kind == "forecast"].iloc[0]
    assert (first.period, first.value) == (dt.date(2026, 1, 1), pytest.approx(SEASON[0]))


def test_the_date_range_end_is_the_as_of_date_and_its_start_does_not_cut_the_history(open_company):
    ms = open_company(lines(("C1", "P1", SEASON * 2 + [5, 5, 5])))
    ranged = ms.forecast.monthly("revenue", filters=Filters(start=dt.date(2025, 7, 1), end=END_2025))
    assert ranged.equals(ms.forecast.monthly("revenue", as_of=END_2025))
    assert ranged[ranged.kind == "actual"].period.min() == JAN_2024


def test_scope_and_filters_choose_the_lines_forecast(open_company):
    # C1 (North, rep R1) repeats SEASON; C2 (South, rep R2) is the straight line.
    ms = open_company(lines(("C1", "P1", SEASON * 2), ("C2", "P2", [line(t) for t in range(1, 25)])))
    scoped = ms.forecast.monthly("revenue", scope=Scope(customers={"C1"}), as_of=END_2025)
    assert scoped[scoped.kind == "forecast"].value.tolist() == pytest.approx(SEASON)
    south = ms.forecast.monthly("revenue", filters=Filters(regions={"South"}, end=END_2025))
    assert south[south.kind == "forecast"].value.tolist() == pytest.approx([line(t) for t in range(25, 37)])
    rep = ms.forecast.backtest("revenue", filters=Filters(reps={"R1"}, end=END_2025)).iloc[0]
    assert rep.model == "seasonal naive"
    software = ms.forecast.history(filters=Filters(categories={"Software"}), as_of=END_2025)
    assert software.revenue.tolist() == [line(t) for t in range(1, 25)]


def test_one_series_per_region_and_the_rest_summed_into_other(open_company):
    # Revenue over 2025: North (C1) sum(SEASON) = 1670; South (C2) 230 + ... + 340 = 3420; East (C3) 12 * 10 = 120.
    ms = open_company(lines(("C1", "P1", SEASON * 2), ("C2", "P2", [line(t) for t in range(1, 25)]),
                            ("C3", "P1", [10] * 24)))
    backtest = ms.forecast.backtest("revenue", "region", as_of=END_2025)
    assert backtest.series.tolist() == ["South", "North", "East"]  # by revenue over the last 12 months
    assert backtest.set_index("series").model.to_dict() == {"South": "drift", "North": "seasonal naive",
                                                            "East": "seasonal naive"}
    monthly = ms.forecast.monthly("revenue", "region", as_of=END_2025)
    north = monthly[(monthly.series == "North") & (monthly.kind == "forecast")]
    assert north.value.tolist() == pytest.approx(SEASON)
    limited = ms.forecast.history("region", as_of=END_2025, limit=1)
    assert limited.series.unique().tolist() == ["South", "Other"]
    other = limited[limited.series == "Other"]
    assert other.revenue.tolist() == [s + 10 for s in SEASON * 2]


def test_the_full_year_outlook_adds_the_forecast_of_the_rest_of_the_year(open_company):
    """Two years of SEASON, January and February 2026 as SEASON again, and 50 on 10 March 2026.

    As of 15 March 2026 the history ends in February (26 months, seasonal naive exact), so the
    forecast of March to December 2026 is SEASON[2:] = 90, 150, ..., 200.
      actual to date = 100 + 120 + 50 = 270
      rest = 90 * (31 - 15) / 31 + (150 + 130 + 110 + 160 + 170 + 140 + 120 + 180 + 200 = 1360)
      budget 2026 = 12 * 140 = 1680
    """
    months = SEASON * 2 + SEASON[:2]
    text = lines(("C1", "P1", months)) + "I-MAR,1,invoice,2026-03-10,I-MAR,C1,P1,R1,1,50,50,20\n"
    budgets = "period,measure,amount\n" + "".join(f"2026-{m:02d}-01,revenue,140\n" for m in range(1, 13))
    ms = open_company(text, budgets=budgets)
    as_of = dt.date(2026, 3, 15)
    outlook = ms.budget.full_year_outlook(2026, as_of=as_of).set_index("measure")
    revenue = outlook.loc["revenue"]
    rest = 90 * 16 / 31 + 1360
    assert revenue.actual_to_date == pytest.approx(270)
    assert revenue.forecast_rest == pytest.approx(rest)
    assert revenue.outlook == pytest.approx(270 + rest)
    assert revenue.full_year_budget == 1680
    assert revenue.outlook_attainment == pytest.approx((270 + rest) / 1680)
    assert revenue.model == "seasonal naive" and revenue.backtest_mape == 0
    profit = outlook.loc["gross_profit"]
    assert profit.actual_to_date == pytest.approx(0.6 * 270)  # COGS 40% of every line
    assert profit.forecast_rest == pytest.approx(0.6 * rest)
    assert math.isnan(profit.full_year_budget) and math.isnan(profit.outlook_attainment)  # no GP budget


def test_the_outlook_of_a_short_history_is_missing_with_the_reason(open_company):
    ms = open_company(lines(("C1", "P1", [100] * 5)))
    outlook = ms.budget.full_year_outlook(2024, as_of=dt.date(2024, 5, 31)).set_index("measure")
    assert outlook.loc["revenue", "actual_to_date"] == 500
    assert pd.isna(outlook.loc["revenue", "outlook"]) and "at least 13" in outlook.loc["revenue", "forecast_note"]


def test_the_outlook_of_a_year_that_is_over_is_its_actual(open_company):
    ms = open_company(lines(("C1", "P1", [100] * 5)))
    outlook = ms.budget.full_year_outlook(2024, as_of=dt.date(2025, 2, 1)).set_index("measure")
    assert outlook.loc["revenue", "outlook"] == 500 and outlook.loc["revenue", "forecast_rest"] == 0


def test_the_facade_serves_what_the_module_computes_and_caches_it(open_company):
    ms = open_company(lines(("C1", "P1", SEASON * 2), ("C2", "P2", [line(t) for t in range(1, 25)])))
    history = forecast.history(ms.warehouse, "region", as_of=END_2025)
    expected = forecast.predict(history, forecast.summarise(forecast.evaluate(history, "revenue")), "revenue")
    assert ms.forecast.monthly("revenue", "region", as_of=END_2025).equals(expected)
    misses = ms.cache.misses
    ms.forecast.monthly("revenue", "region", as_of=END_2025)
    assert ms.cache.misses == misses


def test_an_outlook_with_a_forecast_of_ones_own(open_company):
    ms = open_company(lines(("C1", "P1", SEASON * 2)))
    outlook = budget.full_year_outlook(ms.warehouse, 2026, as_of=dt.date(2025, 12, 31),
                                       forecast=lambda measure, months: dict.fromkeys(months, 10.0))
    assert outlook.set_index("measure").loc["revenue", "outlook"] == 120  # no 2026 actuals, 12 months of 10


def test_unknown_series_and_measures_are_refused(open_company):
    ms = open_company(lines(("C1", "P1", SEASON)))
    with pytest.raises(ValueError, match="unknown series"):
        ms.forecast.history("industry")
    with pytest.raises(ValueError, match="unknown measure"):
        ms.forecast.backtest("orders", as_of=END_2025)
