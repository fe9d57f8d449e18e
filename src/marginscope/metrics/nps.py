"""Net promoter score: answers, and NPS per segment beside the segment's financial value.

Definitions
-----------
- An answer's category: promoter for a score of 9 or 10, passive for 7 or 8,
  detractor for 0 to 6.
- Answers counted: those whose ``response_date`` is in the date range (both ends
  included), of customers within the customer filters (region, industry, tier,
  customer type, customer) and the scope. An answer is about the customer, not a
  product or a rep, so the product, category and rep filters do not narrow answers
  (the financial figures beside them follow every filter).
- Each customer counts once, with their latest answer in the range: a customer
  surveyed twice does not weigh twice, and the latest answer is how they feel now.
  ``responses`` counts every answer in the range; ``respondents`` the customers
  answering; ``average_score`` and the shares are over respondents' latest answers.
- Shares: promoters, passives and detractors / respondents (fractions, 0 to 1).
  NPS = (promoter share - detractor share) x 100, in points from -100 to +100;
  missing without respondents.
- Segments: a customer's tier, region, industry, customer type or owner rep (the
  customers table), or RFM segment (:func:`marginscope.metrics.rfm.scores` as of the
  end of the range; customers without a purchase in its window are "(no RFM
  segment)"). Customers without a value are "(none)".
- Financial value of a segment: the customers of :func:`marginscope.metrics.profitability.customers`
  (those with sales or cost to serve in the selection) in the segment: their count,
  revenue, gross profit and contribution margin over the date range, and each per
  customer. A segment with customers but no answers keeps its financial value and a
  missing NPS.
"""

from __future__ import annotations

from dataclasses import replace

import ibis
import ibis.expr.types as ir
import pandas as pd

from marginscope.metrics.filters import EVERYTHING, Filters, Scope, date_predicates, selection_predicates
from marginscope.warehouse import Warehouse

PROMOTER_MIN, PASSIVE_MIN = 9, 7
CATEGORIES = ("promoter", "passive", "detractor")
ATTRIBUTES = ("tier", "region", "industry", "customer_type", "owner_rep_id")
DIMENSIONS = (*ATTRIBUTES, "rfm_segment")
NO_VALUE, NO_RFM_SEGMENT = "(none)", "(no RFM segment)"
MONEY = ("revenue", "gross_profit", "contribution_margin")


def category(score: ir.IntegerValue) -> ir.StringValue:
    """promoter (9-10), passive (7-8) or detractor (0-6)."""
    return ibis.cases((score >= PROMOTER_MIN, "promoter"), (score >= PASSIVE_MIN, "passive"), else_="detractor")


def _customers(wh: Warehouse) -> ir.Table:
    c = wh.table("customers")
    return c.select("customer_id", *ATTRIBUTES, customer_name=c.name)


def _customer_filters(t: ir.Table, filters: Filters, scope: Scope) -> list:
    # Only the filters that select customers: an answer has no product, category or rep.
    return selection_predicates(t, replace(filters, categories=frozenset(), products=frozenset(),
                                           reps=frozenset()), scope)


def answers_expr(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING) -> ir.Table:
    """Every answer in the range within the customer filters and scope, with its category and the
    customer's attributes, newest first."""
    r = wh.table("nps_responses")
    t = r.join(_customers(wh), "customer_id")
    predicates = _customer_filters(t, filters, scope) + date_predicates(t.response_date, filters)
    t = t.filter(predicates) if predicates else t
    return t.mutate(category=category(t.score)).order_by([ibis.desc("response_date"), "customer_id"])


def respondents_expr(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING) -> ir.Table:
    """One row per customer answering in the range: their answers, and their latest answer's date,
    score and category."""
    t = answers_expr(wh, filters, scope)
    newest = ibis.row_number().over(group_by="customer_id", order_by=ibis.desc("response_date"))
    counted = t.mutate(newest=newest, responses=t.count().over(group_by="customer_id"))
    latest = counted.filter(counted.newest == 0)
    return latest.select("customer_id", "customer_name", *ATTRIBUTES, responses=latest.responses.cast("int64"),
                         last_response_date=latest.response_date, score=latest.score.cast("int64"),
                         category=latest.category).order_by("customer_id")


def customers_in_selection_expr(wh: Warehouse, filters: Filters, scope: Scope = EVERYTHING) -> ir.Table:
    """The customers within the customer filters and scope, with the attributes segments group by."""
    t = _customers(wh)
    predicates = _customer_filters(t, filters, scope)
    return t.filter(predicates) if predicates else t


def _voice(answered: pd.DataFrame, key: str) -> pd.DataFrame:
    """Responses, respondents, average score and category counts per ``key`` of respondents' latest answers."""
    answered = answered.assign(**{name: (answered.category == name).astype("int64") for name in CATEGORIES})
    return answered.groupby(key).agg(
        responses=("responses", "sum"), respondents=("customer_id", "size"), average_score=("score", "mean"),
        promoters=("promoter", "sum"), passives=("passive", "sum"), detractors=("detractor", "sum"))


def _with_shares(table: pd.DataFrame) -> pd.DataFrame:
    """Category shares of respondents and NPS in points; missing where nobody answered."""
    for column in ("responses", "respondents", "promoters", "passives", "detractors"):
        table[column] = table[column].fillna(0).astype("int64")
    respondents = table.respondents.where(table.respondents > 0).astype("float64")
    for name, plural in (("promoter", "promoters"), ("passive", "passives"), ("detractor", "detractors")):
        table[f"{name}_share"] = table[plural] / respondents
    table["nps"] = (table.promoter_share - table.detractor_share) * 100
    return table


def by_segment(respondents: pd.DataFrame, customers: pd.DataFrame, money: pd.DataFrame, dimension: str,
               rfm_scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """NPS per value of ``dimension`` beside the value's revenue, GP and CM, in total and per customer.

    ``respondents`` from :func:`respondents_expr`, ``customers`` from
    :func:`customers_in_selection_expr`, ``money`` from ``profitability.customers`` and,
    for ``rfm_segment``, ``rfm_scores`` from ``rfm.scores``.

    Examples
    --------
    >>> respondents = pd.DataFrame({"customer_id": ["a", "b", "c"], "responses": [2, 1, 1],
    ...                             "score": [10, 8, 3], "category": ["promoter", "passive", "detractor"]})
    >>> customers = pd.DataFrame({"customer_id": ["a", "b", "c"], "tier": ["Gold", "Gold", "Gold"]})
    >>> money = pd.DataFrame({"customer_id": ["a", "b"], "revenue": [100.0, 50.0], "gross_profit": [40.0, 20.0],
    ...                       "contribution_margin": [30.0, -6.0]})
    >>> row = by_segment(respondents, customers, money, "tier").iloc[0]
    >>> int(row.responses), int(row.respondents), float(row.average_score), float(row.nps)
    (4, 3, 7.0, 0.0)
    >>> float(row.contribution_margin_per_customer)
    12.0
    """
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}; use one of {', '.join(DIMENSIONS)}")
    keys = customers[["customer_id"]].copy()
    if dimension == "rfm_segment":
        segments = rfm_scores if rfm_scores is not None else pd.DataFrame(columns=["customer_id", "segment"])
        keys = keys.merge(segments[["customer_id", "segment"]], on="customer_id", how="left")
        keys[dimension] = keys.pop("segment").astype(object).where(lambda s: s.notna(), NO_RFM_SEGMENT)
    else:
        keys[dimension] = customers[dimension].astype(object).where(customers[dimension].notna(), NO_VALUE).to_numpy()

    voice = _voice(keys.merge(respondents[["customer_id", "responses", "score", "category"]], on="customer_id"),
                   dimension)
    valued = keys.merge(money[["customer_id", *MONEY]], on="customer_id")
    valued[list(MONEY)] = valued[list(MONEY)].astype("float64")
    value = valued.groupby(dimension).agg(customers=("customer_id", "size"), **{m: (m, "sum") for m in MONEY})

    table = _with_shares(voice.join(value, how="outer").reset_index())
    table["customers"] = table.customers.fillna(0).astype("int64")
    customers_count = table.customers.where(table.customers > 0).astype("float64")
    for measure in MONEY:
        table[measure] = table[measure].fillna(0.0)
        table[f"{measure}_per_customer"] = table[measure] / customers_count
    table = table.sort_values(["revenue", dimension], ascending=[False, True], kind="stable")
    return table.reset_index(drop=True)


SUMMARY_COLUMNS = ("responses", "respondents", "average_score", "promoters", "passives", "detractors",
                   "promoter_share", "passive_share", "detractor_share", "nps")


def summary(respondents: pd.DataFrame) -> pd.DataFrame:
    """One row: responses, respondents, average score, category counts and shares, and NPS.

    Examples
    --------
    >>> row = summary(pd.DataFrame({"customer_id": ["a", "b", "c"], "responses": [1, 1, 1], "score": [9, 6, 10],
    ...                             "category": ["promoter", "detractor", "promoter"]})).iloc[0]
    >>> round(float(row.nps), 4), float(row.average_score)
    (33.3333, 8.333333333333334)
    """
    voice = _voice(respondents.assign(everyone="all"), "everyone").reindex(["all"])
    return _with_shares(voice.reset_index(drop=True))[list(SUMMARY_COLUMNS)]
