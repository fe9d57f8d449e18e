"""CRM data of the demo company: activities, deals and NPS survey answers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from marginscope.demo import vocab
from marginscope.demo.arrowutil import NO_DAY
from marginscope.demo.entities import (
    DEPARTED,
    TIER_CONTACTS,
    TIER_DEALS,
    Campaigns,
    Customers,
    Products,
    Reps,
)
from marginscope.demo.sales import DELIVERED, Demand, Sales
from marginscope.demo.timeline import Timeline

# ---------------------------------------------------------------------------
# Interactions
# ---------------------------------------------------------------------------

MAX_CONTACTS_PER_MONTH = 2


@dataclass
class Interactions:
    """CRM activities in id order; ``kind`` indexes :data:`vocab.INTERACTION_TYPES`."""

    customer: np.ndarray
    rep: np.ndarray
    day: np.ndarray
    kind: np.ndarray

    def meetings(self) -> tuple[np.ndarray, np.ndarray]:
        """Customers and days of the meetings (they cost travel, see finance)."""
        hit = self.kind == vocab.INTERACTION_TYPES.index("meeting")
        return self.customer[hit], self.day[hit]


def make_interactions(rng: np.random.Generator, demand: Demand, customers: Customers,
                      t: Timeline) -> Interactions:
    """Calls, emails and meetings while a customer is active, at most two a month.

    Top tiers get more attention, and support-heavy (high cost-to-serve) accounts
    twice as much as their tier would.
    """
    n, months = demand.month_days.shape
    rate = TIER_CONTACTS[customers.tier] * np.where(customers.high_cost, 2.0, 1.0)
    active_share = demand.month_days / t.month_length[None, :]
    counts = np.minimum(rng.poisson(rate[:, None] * active_share), MAX_CONTACTS_PER_MONTH).ravel()
    cell = np.repeat(np.arange(n * months), counts)
    customer = cell // months
    day = demand.month_first.ravel()[cell] + (rng.random(len(cell)) * demand.month_days.ravel()[cell]).astype(
        np.int64)
    kind = rng.choice(len(vocab.INTERACTION_TYPES), size=len(cell), p=vocab.INTERACTION_WEIGHTS)
    order = np.lexsort((customer, day))
    customer, day, kind = customer[order], day[order], kind[order]
    return Interactions(customer=customer, rep=customers.rep_at(customer, day), day=day, kind=kind)


# ---------------------------------------------------------------------------
# Opportunities
# ---------------------------------------------------------------------------

PROSPECTING, ENGAGING, WON, LOST = range(4)  # the order of schema.OPPORTUNITY_STAGES


@dataclass
class Opportunities:
    """Deals in id order. ``engage_day``/``close_day`` are NO_DAY when empty; ``value_cents``
    is -1 (null) except for won deals; ``customer`` and ``campaign`` are -1 when empty."""

    customer: np.ndarray
    rep: np.ndarray
    product: np.ndarray
    stage: np.ndarray
    engage_day: np.ndarray
    close_day: np.ndarray
    value_cents: np.ndarray
    campaign: np.ndarray


def _random_active_day(rng, customers: Customers, customer: np.ndarray) -> np.ndarray:
    """A uniformly random day of each customer's activity."""
    first = np.maximum(customers.active_to - customers.active_from + 1, 0)[customer]
    second = np.maximum(customers.back_to - customers.back_from + 1, 0)[customer]
    x = (rng.random(len(customer)) * (first + second)).astype(np.int64)
    return np.where(x < first, customers.active_from[customer] + x, customers.back_from[customer] + x - first)


def make_opportunities(rng: np.random.Generator, customers: Customers, reps: Reps, products: Products,
                       campaigns: Campaigns, t: Timeline) -> Opportunities:
    """Deals per customer in proportion to tier and active time.

    A deal engaged in the last three weeks is still prospecting (no engage date) four
    times in ten; the rest close after a lognormal sales cycle (median 40 days) unless
    that falls after as_of (then it is still engaging). Closed deals are won at the
    handling rep's win rate, so conversion differs by rep. Won deals carry a value of
    a few typical orders of the customer scaled by the rep's deal size; lost and open
    deals carry none (close_value is empty). About 2 % of deals are fresh prospects not
    yet tied to an account.
    """
    active_days, _ = customers.overlap(t.start_day, t.end_day)
    deals = rng.poisson(TIER_DEALS[customers.tier] * active_days / 365.25)
    customer = np.repeat(np.arange(customers.count), deals)
    n = len(customer)
    created = _random_active_day(rng, customers, customer)
    cycle = np.clip(np.round(rng.lognormal(np.log(40), 0.6, n)), 5, 300).astype(np.int64)
    close = created + cycle
    recent = created > t.end_day - 21
    prospecting = recent & (rng.random(n) < 0.4)
    open_deal = prospecting | (close > t.end_day)
    # Open deals sit with today's owner; closed ones with whoever handled the account then.
    rep = np.where(open_deal, customers.owner[customer], customers.rep_at(customer, close))
    won = ~open_deal & (rng.random(n) < reps.win_rate[rep] + 0.05 * (customers.tier[customer] == 0))
    stage = np.where(prospecting, PROSPECTING, np.where(open_deal, ENGAGING, np.where(won, WON, LOST)))
    product = rng.choice(products.count, size=n, p=products.revenue_share)
    typical_order = (products.list_cents[product] * products.mean_quantity[product]
                     * customers.quantity_scale[customer])
    value = np.round(typical_order * rng.uniform(2, 8, n) * reps.deal_size[rep] / 100).astype(np.int64) * 100

    campaign = np.full(n, -1, dtype=np.int64)
    tag = rng.random(n) < 0.5
    for j in range(campaigns.count):
        hit = (tag & (campaign < 0) & (customers.tier[customer] == campaigns.target_tier[j])
               & (created >= campaigns.start_day[j]) & (created <= campaigns.end_day[j]))
        campaign[hit] = j

    # Fresh prospects with no account yet, handled by reps employed today.
    n_new = round(0.02 * n)
    current = np.flatnonzero(reps.status != DEPARTED)
    new_created = t.end_day - rng.integers(0, 30, n_new)
    customer = np.concatenate([customer, np.full(n_new, -1)])
    rep = np.concatenate([rep, current[rng.integers(len(current), size=n_new)]])
    product = np.concatenate([product, rng.choice(products.count, size=n_new, p=products.revenue_share)])
    stage = np.concatenate([stage, np.full(n_new, PROSPECTING)])
    created = np.concatenate([created, new_created])
    close = np.concatenate([close, np.zeros(n_new, dtype=np.int64)])
    value = np.concatenate([value, np.zeros(n_new, dtype=np.int64)])
    campaign = np.concatenate([campaign, np.full(n_new, -1)])

    order = np.lexsort((customer, created))
    stage = stage[order]
    closed = (stage == WON) | (stage == LOST)
    return Opportunities(
        customer=customer[order], rep=rep[order], product=product[order], stage=stage,
        engage_day=np.where(stage == PROSPECTING, NO_DAY, created[order]),
        close_day=np.where(closed, close[order], NO_DAY),
        value_cents=np.where(stage == WON, value[order], -1),
        campaign=campaign[order],
    )


# ---------------------------------------------------------------------------
# NPS
# ---------------------------------------------------------------------------

SURVEY_MONTHS = (3, 9)  # the survey goes out every March and September


@dataclass
class Nps:
    """Survey answers, sorted by day; ``comment`` is -1 (none) or an index into
    :func:`comments`."""

    customer: np.ndarray
    day: np.ndarray
    score: np.ndarray
    comment: np.ndarray


def comments() -> tuple[str, ...]:
    """All comment texts, promoters' first, then passives', then detractors'."""
    return vocab.NPS_COMMENTS_PROMOTER + vocab.NPS_COMMENTS_PASSIVE + vocab.NPS_COMMENTS_DETRACTOR


def make_nps(rng: np.random.Generator, demand: Demand, customers: Customers, sales: Sales,
             t: Timeline) -> Nps:
    """A quarter of the active customers answer each survey wave.

    The score falls with the customer's experience: the share of their invoice lines
    returned and the share of their deliveries that came late.
    """
    n = customers.count
    line_customer = sales.invoice_customer[sales.line_invoice]
    lines = np.bincount(line_customer, minlength=n)
    returned = np.bincount(line_customer[sales.cn_line_source], minlength=n)
    return_share = returned / np.maximum(lines, 1)
    delivered = sales.order_status == DELIVERED
    late = delivered & (sales.delivered_day > sales.promised_day)
    late_share = (np.bincount(sales.order_customer[late], minlength=n)
                  / np.maximum(np.bincount(sales.order_customer[delivered], minlength=n), 1))

    waves = np.flatnonzero(np.isin(t.month_of_year, SURVEY_MONTHS))
    customers_of_wave, days_of_wave = [], []
    for m in waves:
        answers = np.flatnonzero((demand.month_days[:, m] > 0) & (rng.random(n) < 0.25))
        customers_of_wave.append(answers)
        days_of_wave.append(demand.month_first[answers, m]
                            + (rng.random(len(answers)) * demand.month_days[answers, m]).astype(np.int64))
    customer = np.concatenate(customers_of_wave) if customers_of_wave else np.zeros(0, dtype=np.int64)
    day = np.concatenate(days_of_wave) if days_of_wave else np.zeros(0, dtype=np.int64)
    k = len(customer)

    raw = (8.3 + 0.3 * (customers.tier[customer] == 0) - 10 * return_share[customer]
           - 4 * late_share[customer] + rng.normal(0.0, 1.5, k))
    score = np.clip(np.round(raw), 0, 10).astype(np.int64)

    n_pro, n_pas = len(vocab.NPS_COMMENTS_PROMOTER), len(vocab.NPS_COMMENTS_PASSIVE)
    n_det = len(vocab.NPS_COMMENTS_DETRACTOR)
    pick = rng.random(k)
    detractor = n_pro + n_pas + (pick * n_det).astype(np.int64)
    # A detractor names their real complaint when there is one.
    detractor = np.where(return_share[customer] > 0.08, n_pro + n_pas, detractor)
    detractor = np.where(late_share[customer] > 0.3, n_pro + n_pas + 1, detractor)
    comment = np.where(score >= 9, (pick * n_pro).astype(np.int64),
                       np.where(score >= 7, n_pro + (pick * n_pas).astype(np.int64), detractor))
    comment = np.where(rng.random(k) < 0.35, comment, -1)

    order = np.lexsort((customer, day))
    return Nps(customer=customer[order], day=day[order], score=score[order], comment=comment[order])
