"""Churn risk: the probability that an active customer makes no purchase in the next 180 days.

Definitions (horizon H = 180 days; churn window W = 365 days, as in :mod:`.customers`)
------------------------------------------------------------------------------------
- As-of date T: the end of the date range (default: the last invoice date). Only lines
  up to T are read, and the start of the range does not limit history. Every other
  filter and the scope apply to the lines: under a product filter a purchase is a
  purchase of that product, and a rep's model learns from the rep's customers alone.
- A purchase is an invoice line (not a credit note); orders are distinct order ids (the
  invoice id where a line has no order).
- Active at a cutoff c: the last purchase on or before c is at most W days before c,
  i.e. the customer has not churned by c in the sense of :mod:`.customers`.
- Features of an active customer at c: **days since the last purchase**; **orders in the
  last 180 days**, (c - H, c], and **in the 180 days before**, (c - 2H, c - H] (together
  they show a declining frequency); **tenure**, days since the first purchase; **revenue
  trend**, (revenue of the last H days - revenue of the H days before) / (the sum of their
  absolute values): -1 when all of it was earlier, 1 when all of it is recent, 0 when
  both are 0. Revenue of the last 365 days is shown beside them; it is not a feature.
- Label at c: **churned** = no purchase in (c, c + H].
- Model: logistic regression of the label on log(1 + x) of the four day and order counts
  (tenure capped at 365 days: beyond a year its exact length says little, and every
  customer is 180 days older when scored than when the model was fitted, so an uncapped
  tenure would move them all out of the range the model learned from) and on the revenue
  trend, each standardised over the customers fitted, with a ridge
  penalty: a standard normal prior on each standardised coefficient (scikit-learn's
  default; the intercept is not penalised). The penalty hardly moves the coefficients
  when there are hundreds of customers, and keeps the probabilities finite when a small
  company's churners are perfectly separated from the others.
- Validation on a held-out time split: fitted on the customers active at T - 2H with
  labels from (T - 2H, T - H]; tested on the customers active at T - H with labels from
  (T - H, T], which the fit never saw. **AUC** = the share of (churned, stayed) pairs of
  test customers in which the churned one has the higher probability, ties counting half
  (0.5 is chance, 1 a perfect ranking). **Calibration**: the test customers grouped by
  predicted probability in bins of 10 points (0-10%, ..., 90-100%; empty bins left out),
  each with its customers, mean predicted probability and observed churn rate.
- Scores: the model refitted on the latest labelled cutoff, T - H (labels up to T), and
  applied to the customers active at T.
- At risk: churn probability above 50% (more likely than not to buy nothing in the next
  180 days); the threshold is a parameter. The at-risk summary counts them, sums their
  revenue of the last 365 days, and gives its share of all active customers' revenue.
- No score without its validation: when there are fewer than 20 active customers at
  either cutoff, or fewer than 5 churned or 5 staying ones, there is no model, and the
  ``reason`` says which cutoff lacks what.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import ibis
import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.stats import mannwhitneyu

from marginscope.metrics.customers import CHURN_WINDOW_DAYS
from marginscope.metrics.executor import execute
from marginscope.metrics.filters import EVERYTHING, Filters, Scope, sales_lines
from marginscope.metrics.rfm import default_as_of
from marginscope.warehouse import Warehouse

HORIZON_DAYS = 180
REVENUE_DAYS = 365
AT_RISK_THRESHOLD = 0.5
MIN_CUSTOMERS = 20
MIN_PER_CLASS = 5
CALIBRATION_BINS = 10
FEATURES = ("recency_days", "orders_last_180_days", "orders_prior_180_days", "tenure_days", "revenue_trend")
_LOGGED = ("recency_days", "orders_last_180_days", "orders_prior_180_days", "tenure_days")
TENURE_CAP_DAYS = 365
_TRANSFORMS = ("log(1 + x)", "log(1 + x)", "log(1 + x)", f"log(1 + min(x, {TENURE_CAP_DAYS}))", "x")


def cutoffs(as_of: dt.date) -> dict[str, dt.date]:
    """The three cutoffs: ``train`` (T - 2H), ``test`` (T - H) and ``score`` (T).

    >>> cutoffs(dt.date(2026, 6, 30))["test"]
    datetime.date(2026, 1, 1)
    """
    horizon = dt.timedelta(days=HORIZON_DAYS)
    return {"train": as_of - 2 * horizon, "test": as_of - horizon, "score": as_of}


def _at_cutoff(lines: ibis.Table, cutoff: dt.date, window: int) -> ibis.Table:
    day, bought = lines.invoice_date, lines.kind == "invoice"
    horizon = dt.timedelta(days=HORIZON_DAYS)
    past = day <= cutoff
    last = past & (day > cutoff - horizon)
    prior = (day <= cutoff - horizon) & (day > cutoff - 2 * horizon)
    per = lines.group_by("customer_id").aggregate(
        first_purchase=day.min(where=bought & past),
        last_purchase=day.max(where=bought & past),
        orders_last_180_days=lines.order_key.nunique(where=last),  # credit notes have no order key
        orders_prior_180_days=lines.order_key.nunique(where=prior),
        revenue_last=lines.revenue.sum(where=last),
        revenue_prior=lines.revenue.sum(where=prior),
        revenue_last_365_days=lines.revenue.sum(where=past & (day > cutoff - dt.timedelta(days=REVENUE_DAYS))),
        purchases_next=(bought & (day > cutoff) & (day <= cutoff + horizon)).sum(),
    )
    active = per.filter(per.last_purchase >= cutoff - dt.timedelta(days=window))
    return active.mutate(cutoff=ibis.literal(cutoff))


def panel(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING, as_of: dt.date | None = None,
          window: int = CHURN_WINDOW_DAYS) -> pd.DataFrame:
    """The active customers at each cutoff with their features and (where known) label.

    One row per (``stage``, ``customer_id``); ``churned`` is missing at the score cutoff,
    whose horizon lies after T.
    """
    as_of = as_of or default_as_of(wh, filters)
    lines = sales_lines(wh, replace(filters, start=None, end=as_of), scope)
    stages = cutoffs(as_of)
    table = execute(wh, ibis.union(*(_at_cutoff(lines, cutoff, window) for cutoff in stages.values())))
    for column in ("cutoff", "first_purchase", "last_purchase"):
        table[column] = pd.to_datetime(table[column]).dt.date
    stage_of = {cutoff: stage for stage, cutoff in stages.items()}
    table.insert(0, "stage", table.cutoff.map(stage_of))
    table["recency_days"] = [(c - d).days for c, d in zip(table.cutoff, table.last_purchase)]
    table["tenure_days"] = [(c - d).days for c, d in zip(table.cutoff, table.first_purchase)]
    for column in ("orders_last_180_days", "orders_prior_180_days", "recency_days", "tenure_days"):
        table[column] = table[column].astype("int64")
    recent, earlier = (table[c].astype("float64").fillna(0.0) for c in ("revenue_last", "revenue_prior"))
    scale = recent.abs() + earlier.abs()
    table["revenue_trend"] = ((recent - earlier) / scale.where(scale > 0)).fillna(0.0)
    table["revenue_last_365_days"] = table.revenue_last_365_days.astype("float64").fillna(0.0)
    table["churned"] = (table.purchases_next == 0).astype("boolean").where(table.stage != "score", pd.NA)
    table = table.drop(columns=["revenue_last", "revenue_prior", "purchases_next"])
    table = table.sort_values(["cutoff", "customer_id"]).reset_index(drop=True)
    table.attrs.update(as_of=as_of, **{f"{stage}_cutoff": cutoff for stage, cutoff in stages.items()})
    return table


def _count(count: int) -> str:
    return f"{count} customer{'' if count == 1 else 's'}"


def problem(panel: pd.DataFrame) -> str | None:
    """Why no model can be fitted and validated on ``panel`` (None when one can)."""
    for stage, role in (("train", "fit the model"), ("test", "test it")):
        rows = panel[panel.stage == stage]
        cutoff = panel.attrs[f"{stage}_cutoff"]
        if len(rows) < MIN_CUSTOMERS:
            return (f"only {_count(len(rows))} active on {cutoff:%d %b %Y}, too few to {role} (at least "
                    f"{MIN_CUSTOMERS} needed): churn risk needs about two years of purchase history")
        churned = int(rows.churned.sum())
        if min(churned, len(rows) - churned) < MIN_PER_CLASS:
            return (f"of the {_count(len(rows))} active on {cutoff:%d %b %Y}, {churned} made no purchase in the "
                    f"next {HORIZON_DAYS} days and {len(rows) - churned} did: too few of one kind to {role} "
                    f"(at least {MIN_PER_CLASS} of each needed)")
    return None


@dataclass(frozen=True)
class Model:
    """A fitted churn model: feature means and scales, and coefficients on the standardised features."""

    mean: np.ndarray
    scale: np.ndarray
    intercept: float
    coefficients: np.ndarray

    def probability(self, rows: pd.DataFrame) -> np.ndarray:
        z = (_design(rows) - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-(self.intercept + z @ self.coefficients)))

    def table(self) -> pd.DataFrame:
        """Coefficients per standardised feature: the change in log-odds of churning for one standard deviation."""
        return pd.DataFrame({"feature": ["intercept", *FEATURES],
                             "transform": ["", *_TRANSFORMS],
                             "coefficient": [self.intercept, *self.coefficients]})


def _design(rows: pd.DataFrame) -> np.ndarray:
    values = {f: rows[f].astype("float64").to_numpy() for f in FEATURES}
    values["tenure_days"] = np.minimum(values["tenure_days"], TENURE_CAP_DAYS)
    return np.column_stack([np.log1p(values[f]) if f in _LOGGED else values[f] for f in FEATURES])


def fit(rows: pd.DataFrame) -> Model:
    """The ridge logistic regression of the module docstring, on labelled ``rows``."""
    x = _design(rows)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)  # a constant feature standardises to 0 and gets no weight
    design = sm.add_constant((x - mean) / scale, has_constant="add")
    penalty = np.r_[0.0, np.full(len(FEATURES), 1.0 / len(rows))]  # statsmodels divides the log-likelihood by n
    result = sm.GLM(rows.churned.astype("float64").to_numpy(), design, family=sm.families.Binomial()) \
        .fit_regularized(alpha=penalty, L1_wt=0.0, opt_method="newton-cg")  # BFGS stops ~1e-4 short
    return Model(mean, scale, float(result.params[0]), np.asarray(result.params[1:], dtype="float64"))


def holdout(panel: pd.DataFrame) -> pd.DataFrame:
    """The test customers with the probability the model fitted at T - 2H gives them, and their label.

    ``attrs`` holds the cutoffs, the sizes of both sets and the ``reason`` when there is no model.
    """
    train, test = (panel[panel.stage == stage].reset_index(drop=True) for stage in ("train", "test"))
    reason = problem(panel)
    table = test[["customer_id", *FEATURES, "churned"]].copy()
    table["churned"] = table.churned.astype("bool")
    table["churn_probability"] = np.nan if reason else fit(train).probability(test)
    table.attrs.update(panel.attrs)
    table.attrs.update(reason=reason, train_customers=len(train),
                       train_churned=int(train.churned.sum()), test_customers=len(test),
                       test_churned=int(test.churned.sum()))
    return table


def auc(probability: pd.Series, churned: pd.Series) -> float | None:
    """Area under the ROC curve: P(a churned customer is ranked above a staying one), ties half.

    >>> auc(pd.Series([0.9, 0.4, 0.4, 0.1]), pd.Series([True, True, False, False]))
    0.875
    """
    churned = churned.astype(bool)
    positives, negatives = probability[churned], probability[~churned]
    if positives.empty or negatives.empty or probability.isna().any():
        return None
    return float(mannwhitneyu(positives, negatives).statistic / (len(positives) * len(negatives)))


def calibration(table: pd.DataFrame, bins: int = CALIBRATION_BINS) -> pd.DataFrame:
    """Customers, mean predicted probability and observed churn rate per probability bin of ``table``.

    >>> calibration(pd.DataFrame({"churn_probability": [0.05, 0.15, 0.12, 0.95],
    ...                           "churned": [False, True, False, True]}))[["bin", "customers", "observed_rate"]]
           bin  customers  observed_rate
    0    0-10%          1            0.0
    1   10-20%          2            0.5
    2  90-100%          1            1.0
    """
    scored = table.dropna(subset=["churn_probability"])
    index = np.minimum((scored.churn_probability.to_numpy() * bins).astype(int), bins - 1)
    grouped = scored.assign(bin_index=index, churned=scored.churned.astype(bool)).groupby("bin_index").agg(
        customers=("churned", "size"), churned=("churned", "sum"), predicted_mean=("churn_probability", "mean"))
    grouped = grouped.reset_index()
    width = 100 // bins if 100 % bins == 0 else 100 / bins
    grouped.insert(0, "bin", [f"{i * width:g}-{(i + 1) * width:g}%" for i in grouped.bin_index])
    grouped["predicted_from"] = grouped.bin_index / bins
    grouped["predicted_to"] = (grouped.bin_index + 1) / bins
    grouped["observed_rate"] = grouped.churned / grouped.customers
    grouped["churned"] = grouped.churned.astype("int64")
    return grouped[["bin", "predicted_from", "predicted_to", "customers", "churned", "predicted_mean",
                    "observed_rate"]]


@dataclass
class Validation:
    """How well the churn model ranks and calibrates on the held-out time split."""

    as_of: dt.date
    train_cutoff: dt.date
    test_cutoff: dt.date
    train_customers: int
    train_churned: int
    test_customers: int
    test_churned: int
    test_churn_rate: float | None  # test_churned / test_customers
    auc: float | None
    calibration: pd.DataFrame
    reason: str | None  # why there is no model (then auc is None and calibration empty)

    def summary(self) -> dict:
        """Everything but the calibration table, as plain values."""
        return {name: value for name, value in self.__dict__.items() if name != "calibration"}


def validation(held_out: pd.DataFrame, bins: int = CALIBRATION_BINS) -> Validation:
    """The AUC and calibration table of a :func:`holdout` table."""
    a = held_out.attrs
    return Validation(as_of=a["as_of"], train_cutoff=a["train_cutoff"], test_cutoff=a["test_cutoff"],
                      train_customers=a["train_customers"], train_churned=a["train_churned"],
                      test_customers=a["test_customers"], test_churned=a["test_churned"],
                      test_churn_rate=a["test_churned"] / a["test_customers"] if a["test_customers"] else None,
                      auc=None if a["reason"] else auc(held_out.churn_probability, held_out.churned),
                      calibration=calibration(held_out, bins), reason=a["reason"])


def risk(wh: Warehouse, panel: pd.DataFrame) -> pd.DataFrame:
    """Every customer active at T with its churn probability, features, owner rep and revenue.

    Highest probability first. When there is no model the probabilities are missing and
    ``attrs["reason"]`` says why; ``attrs`` also holds the as-of date and the coefficients.
    """
    reason = problem(panel)
    scored = panel[panel.stage == "score"].reset_index(drop=True)
    model = None if reason else fit(panel[panel.stage == "test"].reset_index(drop=True))
    table = scored[["customer_id", "last_purchase", *FEATURES, "revenue_last_365_days"]].copy()
    table.insert(1, "churn_probability", model.probability(scored) if model else np.nan)
    c, r = wh.table("customers"), wh.table("reps")
    owners = execute(wh, c.left_join(r, c.owner_rep_id == r.rep_id).select(
        "customer_id", "owner_rep_id", customer_name=c.name, owner_rep_name=r.name))
    table = owners.merge(table, on="customer_id", how="right")
    table = table[["customer_id", "customer_name", "owner_rep_id", "owner_rep_name", "churn_probability",
                   *(col for col in table.columns if col not in ("customer_id", "customer_name", "owner_rep_id",
                                                                 "owner_rep_name", "churn_probability"))]]
    table = table.sort_values(["churn_probability", "customer_id"], ascending=[False, True], kind="stable",
                              na_position="last").reset_index(drop=True)
    table.attrs.update(as_of=panel.attrs["as_of"], horizon_days=HORIZON_DAYS, reason=reason,
                       coefficients=model.table().to_dict("records") if model else [])
    return table


def at_risk(risk_table: pd.DataFrame, threshold: float = AT_RISK_THRESHOLD) -> pd.DataFrame:
    """The customers of a :func:`risk` table whose churn probability is above ``threshold``."""
    if not 0 <= threshold <= 1:
        raise ValueError(f"the at-risk threshold is a probability between 0 and 1, not {threshold}")
    chosen = risk_table[risk_table.churn_probability > threshold].reset_index(drop=True)
    chosen.attrs.update(risk_table.attrs)
    chosen.attrs.update(threshold=threshold)
    return chosen


def at_risk_summary(risk_table: pd.DataFrame, threshold: float = AT_RISK_THRESHOLD) -> dict:
    """Active and at-risk customers of a :func:`risk` table, and the at-risk ones' revenue of the last 365 days.

    >>> risk_table = pd.DataFrame({"churn_probability": [0.9, 0.6, 0.2], "revenue_last_365_days": [10.0, 30.0, 60.0]})
    >>> at_risk_summary(risk_table)
    {'active_customers': 3, 'at_risk_customers': 2, 'at_risk_revenue': 40.0, 'at_risk_revenue_share': 0.4}
    """
    chosen = at_risk(risk_table, threshold)
    total, revenue = float(risk_table.revenue_last_365_days.sum()), float(chosen.revenue_last_365_days.sum())
    return {"active_customers": len(risk_table), "at_risk_customers": len(chosen), "at_risk_revenue": revenue,
            "at_risk_revenue_share": revenue / total if total > 0 else None}
