"""Customer lifetime value: BG/NBD with Gamma-Gamma (Fader, Hardie and Lee), in contribution-margin terms.

Definitions
-----------
- As-of date T: the end of the date range (default: the last invoice date). History is
  every line up to T within the other filters and the scope; the start of the range
  does not limit it.
- A **purchase** is a day with at least one invoice line of the customer: several
  orders on one day are one purchase occasion, the unit BG/NBD counts. Time is in
  **weeks** (days / 7), as in Fader, Hardie and Lee's CDNOW examples.
- Per customer with a purchase: **frequency** x = purchases - 1 (repeat purchases);
  **recency** t_x = weeks from the first to the last purchase; **age** = weeks from the
  first purchase to T (the T of the papers).
- **Margin per repeat purchase** m_x = the contribution margin earned after the first
  purchase day / x: gross profit of the lines dated after that day (returns subtract)
  minus the cost to serve dated after it (under a product, category or rep filter, the
  cost is allocated by the filtered lines' share of the customer's revenue after that
  day, as in :mod:`.filters`). The first purchase is left out, as in the Gamma-Gamma
  model, which describes the value of repeat purchases; m_x is missing when x = 0.
- **BG/NBD** (lifetimes ``BetaGeoFitter``, maximum likelihood) is fitted on (x, t_x, age)
  of every customer with a purchase. **Gamma-Gamma** (lifetimes ``GammaGammaFitter``) is
  fitted on the customers with x >= 1 and m_x > 0: it models positive values only. A fit
  that does not converge (the likelihood is flat when customers buy too much alike, as
  in a small company) is repeated with lifetimes' L2 penalty on the parameters, 0.001
  then 0.01; the model says which penalty each fit needed (0 for none).
- **Expected margin per purchase**: for x >= 1 and m_x > 0, Gamma-Gamma's conditional
  expectation (m_x shrunk towards the population mean, the more the fewer purchases);
  for one-purchase customers (x = 0), the population mean p v / (q - 1); for customers
  whose m_x is zero or negative, m_x itself, unshrunk: the model cannot represent a loss,
  and a loss-making customer's value is shown as the loss it is, not dropped.
- **Expected purchases** over the horizon (default 12 months; a month is 365.25 / 12
  days) and **P(alive)**, the probability the customer has not dropped out by T, are
  BG/NBD's conditional expectations given (x, t_x, age).
- **CLV** = the sum over months k = 1 .. H of (expected purchases in month k) x (expected
  margin per purchase) / (1 + annual discount rate)^(k / 12): each month's margin is
  discounted from the month's end at the monthly rate (1 + annual)^(1/12) - 1; the annual
  rate defaults to 10%.
- **CLV / CAC** = CLV / ``customers.acquisition_cost``, where the acquisition cost is
  above 0 (missing otherwise).
- Per RFM segment (:mod:`.rfm`, same as-of date): customers, total and mean CLV, mean
  P(alive), mean expected purchases and margin per purchase, and CLV / CAC over the
  customers with an acquisition cost (their CLV total / their acquisition cost total).
- No values, with the ``reason``, when there are fewer than 20 customers with a purchase,
  fewer than 10 with a repeat purchase or fewer than 10 with a positive margin per repeat
  purchase, when a fit does not converge even with the penalty, or when q <= 1 (the
  Gamma-Gamma mean does not exist).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import warnings
from dataclasses import replace
from typing import Any

import ibis
import numpy as np
import pandas as pd

from marginscope.metrics.executor import execute
from marginscope.metrics.filters import EVERYTHING, Filters, Scope, allocate_costs, cost_lines, sales_lines
from marginscope.metrics.rfm import default_as_of
from marginscope.warehouse import Warehouse

with warnings.catch_warnings():  # lifetimes sets a pandas option that pandas 3 deprecates; harmless
    warnings.filterwarnings("ignore", message=".*mode.chained_assignment")
    from lifetimes import BetaGeoFitter, GammaGammaFitter
    from lifetimes.utils import ConvergenceError

HORIZON_MONTHS = 12
ANNUAL_DISCOUNT_RATE = 0.10
WEEKS_PER_MONTH = 365.25 / 12 / 7
MIN_CUSTOMERS = 20
MIN_REPEAT_CUSTOMERS = 10
MIN_GAMMA_GAMMA_CUSTOMERS = 10
PENALIZERS = (0.0, 0.001, 0.01)
BGNBD_PARAMETERS = ("r", "alpha", "a", "b")
GAMMA_GAMMA_PARAMETERS = ("p", "q", "v")


def monthly_rate(annual_rate: float) -> float:
    """The monthly rate that compounds to ``annual_rate`` over 12 months.

    >>> round(monthly_rate(0.10), 6)
    0.007974
    """
    return (1.0 + annual_rate) ** (1.0 / 12.0) - 1.0


def discounted_value(cumulative_purchases: np.ndarray, margin: np.ndarray,
                     annual_rate: float = ANNUAL_DISCOUNT_RATE) -> np.ndarray:
    """CLV from expected purchases up to each month end (rows: months 0 .. H; columns: customers).

    Month k's purchases (the difference of consecutive rows) times the margin, divided by
    (1 + annual_rate)^(k / 12).

    >>> one_a_month = np.array([[0.0], [1.0], [2.0]])  # one purchase in month 1, one in month 2
    >>> discounted_value(one_a_month, np.array([100.0]), 0.0)
    array([200.])
    >>> np.round(discounted_value(one_a_month, np.array([100.0]), 0.21), 2)  # 100 / 1.21^(1/12) + 100 / 1.21^(2/12)
    array([195.3])
    """
    per_month = np.diff(np.asarray(cumulative_purchases, dtype="float64"), axis=0)
    months = np.arange(1, per_month.shape[0] + 1)
    factors = (1.0 + monthly_rate(annual_rate)) ** -months
    return np.asarray(margin, dtype="float64") * (per_month * factors[:, None]).sum(axis=0)


def summary(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING, as_of: dt.date | None = None) -> pd.DataFrame:
    """Per customer with a purchase up to T: frequency, recency, age, margin per repeat purchase, CAC.

    Columns: customer_id, first_purchase, last_purchase, purchases, frequency,
    recency_weeks, age_weeks, contribution_after_first, margin_per_repeat_purchase,
    acquisition_cost. ``attrs["as_of"]`` is T.
    """
    as_of = as_of or default_as_of(wh, filters)
    history = replace(filters, start=None, end=as_of)
    lines = sales_lines(wh, history, scope)
    invoices = lines.filter(lines.kind == "invoice")
    purchases = invoices.group_by("customer_id").aggregate(
        first_purchase=invoices.invoice_date.min(), last_purchase=invoices.invoice_date.max(),
        purchases=invoices.invoice_date.nunique())
    firsts = purchases.select("customer_id", "first_purchase")

    def after_first(table: ibis.Table, day: str) -> ibis.Table:
        joined = table.join(firsts, "customer_id")
        return joined.filter(joined[day] > joined.first_purchase)

    later = after_first(lines, "invoice_date")
    profit = later.group_by("customer_id").aggregate(gross_profit=(later.revenue - later.cogs_signed).sum())
    costs = after_first(cost_lines(wh, history, scope), "cost_date")
    cost = costs.group_by("customer_id").aggregate(cost_to_serve=costs.amount.sum().cast("decimal(18, 4)"))
    if filters.splits_customers:
        unsplit = replace(history, categories=frozenset(), products=frozenset(), reps=frozenset())
        cost = allocate_costs(cost, later, after_first(sales_lines(wh, unsplit, scope), "invoice_date"))
    c = wh.table("customers").select("customer_id", "acquisition_cost")
    joined = purchases.left_join(profit, "customer_id").drop("customer_id_right") \
        .left_join(cost, "customer_id").drop("customer_id_right") \
        .left_join(c, "customer_id").drop("customer_id_right")
    table = execute(wh, joined.order_by("customer_id"))
    for column in ("first_purchase", "last_purchase"):
        table[column] = pd.to_datetime(table[column]).dt.date
    table["purchases"] = table.purchases.astype("int64")
    table["frequency"] = table.purchases - 1
    table["recency_weeks"] = [(last - first).days / 7 for first, last in zip(table.first_purchase, table.last_purchase)]
    table["age_weeks"] = [(as_of - first).days / 7 for first in table.first_purchase]
    profit_after = table.gross_profit.astype("float64").fillna(0.0)
    table["contribution_after_first"] = profit_after - table.cost_to_serve.astype("float64").fillna(0.0)
    table["margin_per_repeat_purchase"] = table.contribution_after_first / table.frequency.where(table.frequency > 0)
    table["acquisition_cost"] = table.acquisition_cost.astype("float64")
    table = table[["customer_id", "first_purchase", "last_purchase", "purchases", "frequency", "recency_weeks",
                   "age_weeks", "contribution_after_first", "margin_per_repeat_purchase", "acquisition_cost"]]
    table.attrs["as_of"] = as_of
    return table


def _gamma_gamma_rows(table: pd.DataFrame) -> pd.Series:
    return (table.frequency >= 1) & (table.margin_per_repeat_purchase > 0)


def fit(table: pd.DataFrame) -> pd.DataFrame:
    """BG/NBD and Gamma-Gamma fitted on a :func:`summary`: one row per (model, parameter).

    ``attrs`` holds the customers behind each fit, the correlation of frequency and
    margin (Gamma-Gamma assumes none), and the ``reason`` when there is no fit.
    """
    gamma_rows = _gamma_gamma_rows(table)
    attrs = {"as_of": table.attrs.get("as_of"), "customers": len(table),
             "repeat_customers": int((table.frequency >= 1).sum()), "gamma_gamma_customers": int(gamma_rows.sum()),
             "not_positive_margin_customers": int(((table.frequency >= 1) & ~gamma_rows).sum()),
             "margin_frequency_correlation": None, "reason": None}
    rows = []
    attrs["reason"] = _too_few(attrs)
    if attrs["reason"] is None:
        positive = table[gamma_rows]
        bgnbd, attrs["bgnbd_penalizer"] = _fitted(BetaGeoFitter, table.frequency, table.recency_weeks,
                                                  table.age_weeks)
        gamma, attrs["gamma_gamma_penalizer"] = _fitted(GammaGammaFitter, positive.frequency,
                                                        positive.margin_per_repeat_purchase)
        if bgnbd is None or gamma is None:
            attrs["reason"] = (f"the {'BG/NBD' if bgnbd is None else 'Gamma-Gamma'} model did not converge on this "
                               "selection, even with a penalty on its parameters")
        else:
            rows = [("BG/NBD", name, float(bgnbd.params_[name])) for name in BGNBD_PARAMETERS] + \
                   [("Gamma-Gamma", name, float(gamma.params_[name])) for name in GAMMA_GAMMA_PARAMETERS]
            if gamma.params_["q"] <= 1:
                attrs["reason"] = (f"the Gamma-Gamma fit gives q = {gamma.params_['q']:.2f}; at q <= 1 the mean margin "
                                   "per purchase does not exist")
            if positive.frequency.nunique() > 1 and positive.margin_per_repeat_purchase.nunique() > 1:
                attrs["margin_frequency_correlation"] = float(np.corrcoef(
                    positive.frequency, positive.margin_per_repeat_purchase)[0, 1])
    result = pd.DataFrame(rows, columns=["model", "parameter", "value"])
    result.attrs.update(attrs)
    return result


def _fitted(fitter, *columns) -> tuple[Any, float | None]:
    """A lifetimes fitter fitted by plain maximum likelihood or, when that does not converge, with the
    smallest penalty of :data:`PENALIZERS` that does; (None, None) when none does."""
    for penalizer in PENALIZERS:
        try:
            # lifetimes prints the optimiser's report before raising; the reason says it all
            with contextlib.redirect_stdout(io.StringIO()):
                return fitter(penalizer_coef=penalizer).fit(*columns), penalizer
        except ConvergenceError:
            continue
    return None, None


def _too_few(counts: dict) -> str | None:
    if counts["customers"] < MIN_CUSTOMERS:
        return f"only {counts['customers']} customers bought in this selection (at least {MIN_CUSTOMERS} needed)"
    if counts["repeat_customers"] < MIN_REPEAT_CUSTOMERS:
        return (f"only {counts['repeat_customers']} customers bought more than once in this selection "
                f"(at least {MIN_REPEAT_CUSTOMERS} needed)")
    if counts["gamma_gamma_customers"] < MIN_GAMMA_GAMMA_CUSTOMERS:
        return (f"only {counts['gamma_gamma_customers']} customers earned a positive contribution margin on their "
                f"repeat purchases (at least {MIN_GAMMA_GAMMA_CUSTOMERS} needed)")
    return None


def fitters(model: pd.DataFrame) -> tuple[BetaGeoFitter, GammaGammaFitter]:
    """lifetimes fitters carrying the parameters of a :func:`fit` table."""
    values = {(row.model, row.parameter): row.value for row in model.itertuples()}
    bgnbd, gamma = BetaGeoFitter(), GammaGammaFitter()
    bgnbd.params_ = pd.Series({name: values["BG/NBD", name] for name in BGNBD_PARAMETERS})
    gamma.params_ = pd.Series({name: values["Gamma-Gamma", name] for name in GAMMA_GAMMA_PARAMETERS})
    return bgnbd, gamma


def customers(table: pd.DataFrame, model: pd.DataFrame, horizon_months: int = HORIZON_MONTHS,
              annual_rate: float = ANNUAL_DISCOUNT_RATE) -> pd.DataFrame:
    """Per customer of a :func:`summary`: expected purchases, P(alive), expected margin per purchase, CLV, CLV/CAC.

    All missing, with ``attrs["reason"]``, when ``model`` has no fit. Highest CLV first.
    """
    if not 1 <= horizon_months <= 120:
        raise ValueError(f"the CLV horizon is 1 to 120 months, not {horizon_months}")
    if not 0 <= annual_rate <= 1:
        raise ValueError(f"the annual discount rate is between 0 and 1 (0.10 is 10%), not {annual_rate}")
    result = table[["customer_id", "purchases", "frequency", "recency_weeks", "age_weeks",
                    "margin_per_repeat_purchase", "acquisition_cost"]].copy()
    reason = model.attrs.get("reason")
    missing = np.full(len(table), np.nan)
    result["expected_purchases"], result["p_alive"] = missing, missing.copy()
    result["expected_margin_per_purchase"], result["clv"] = missing.copy(), missing.copy()
    result["margin_basis"] = None
    if reason is None and len(table):
        bgnbd, gamma = fitters(model)
        x, recency, age = table.frequency, table.recency_weeks, table.age_weeks
        cumulative = np.vstack([np.zeros(len(table))] + [
            np.asarray(bgnbd.conditional_expected_number_of_purchases_up_to_time(k * WEEKS_PER_MONTH, x, recency, age),
                       dtype="float64") for k in range(1, horizon_months + 1)])
        positive = _gamma_gamma_rows(table).to_numpy()
        p, q, v = (gamma.params_[name] for name in GAMMA_GAMMA_PARAMETERS)
        margin = table.margin_per_repeat_purchase.to_numpy(dtype="float64")
        shrunk = np.asarray(gamma.conditional_expected_average_profit(x, table.margin_per_repeat_purchase.fillna(0)),
                            dtype="float64")
        expected = np.where(positive, shrunk, np.where(x.to_numpy() == 0, p * v / (q - 1), margin))
        result["expected_purchases"] = cumulative[-1]
        result["p_alive"] = np.asarray(bgnbd.conditional_probability_alive(x, recency, age), dtype="float64")
        result["expected_margin_per_purchase"] = expected
        result["clv"] = discounted_value(cumulative, expected, annual_rate)
        result["margin_basis"] = np.where(positive, "Gamma-Gamma", np.where(x.to_numpy() == 0, "population mean",
                                                                               "own (not positive)"))
    cac = result.acquisition_cost
    result["clv_to_cac"] = result.clv / cac.where(cac > 0)
    result = result.sort_values(["clv", "customer_id"], ascending=[False, True], na_position="last",
                                kind="stable").reset_index(drop=True)
    result.attrs.update(model.attrs)
    result.attrs.update(horizon_months=horizon_months, annual_discount_rate=annual_rate)
    return result


def by_segment(values: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """CLV per RFM segment, from a :func:`customers` table and :func:`marginscope.metrics.rfm.scores`."""
    table = scores[["customer_id", "segment"]].merge(values, on="customer_id", how="inner")
    with_cac = table.acquisition_cost > 0
    table = table.assign(cac_clv=table.clv.where(with_cac), cac=table.acquisition_cost.where(with_cac))
    grouped = table.groupby("segment").agg(
        customers=("customer_id", "size"), clv=("clv", "sum"), clv_per_customer=("clv", "mean"),
        p_alive=("p_alive", "mean"), expected_purchases=("expected_purchases", "mean"),
        expected_margin_per_purchase=("expected_margin_per_purchase", "mean"),
        customers_with_cac=("cac", "count"), cac_clv=("cac_clv", "sum"), acquisition_cost=("cac", "sum"),
    ).reset_index()
    grouped["clv_to_cac"] = grouped.cac_clv / grouped.acquisition_cost.where(grouped.acquisition_cost > 0)
    if values.attrs.get("reason"):
        grouped[["clv", "clv_to_cac"]] = np.nan  # sums over no values are 0, but there are no values to sum
    grouped = grouped.drop(columns="cac_clv")
    grouped = grouped.sort_values(["clv", "segment"], ascending=[False, True], na_position="last")
    grouped = grouped.reset_index(drop=True)
    grouped.attrs.update(values.attrs)
    return grouped
