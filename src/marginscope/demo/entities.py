"""Master data of the demo company: reps, customers, products and campaigns.

Each ``make_*`` function draws from the shared generator in a fixed order and returns
plain numpy arrays (codes, integer days, integer cents) plus the few Arrow string
arrays that are cheaper to build once here. The behavioural traits that later stages
need (a customer's order rate, a rep's discount habit, the planted "problem"
customers) live on the same objects, so the stages downstream only read them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from marginscope.demo import vocab
from marginscope.demo.arrowutil import NO_DAY
from marginscope.demo.timeline import Timeline

# Orders per customer-year of a customer of median size, by tier (Platinum..Bronze).
TIER_ORDER_RATE = np.array([36.0, 18.0, 9.0, 4.5])
# Expected order lines beyond the first, by tier: bigger customers order more items.
TIER_EXTRA_LINES = np.array([4.0, 3.0, 2.2, 1.5])
# Quantity multiplier on every line, by tier.
TIER_QUANTITY = np.array([1.8, 1.4, 1.1, 0.85])
# Scale of the discount a rep grants, by tier: big accounts negotiate harder.
TIER_DISCOUNT = np.array([1.6, 1.3, 1.0, 0.8])
# Acquisition cost multiplier, by tier.
TIER_ACQUISITION = np.array([2.5, 1.6, 1.0, 0.7])
# CRM activity (interactions per month) and deals per year, by tier.
TIER_CONTACTS = np.array([1.6, 1.0, 0.55, 0.3])
TIER_DEALS = np.array([4.0, 2.5, 1.5, 0.8])
# Chance that a customer stops buying during the span, by tier.
CHURN_BY_TIER = np.array([0.03, 0.08, 0.15, 0.20])

PAYMENT_TERMS = np.array([30, 45, 60])


def _person_names(rng: np.random.Generator, count: int) -> pa.Array:
    """``count`` distinct "First Last" names."""
    first = len(vocab.FIRST_NAMES)
    combos = rng.choice(first * len(vocab.LAST_NAMES), size=count, replace=False)
    return pc.binary_join_element_wise(
        pa.array([vocab.FIRST_NAMES[i] for i in (combos % first)]),
        pa.array([vocab.LAST_NAMES[i] for i in (combos // first)]),
        " ",
    )


# ---------------------------------------------------------------------------
# Reps
# ---------------------------------------------------------------------------

VETERAN, DEPARTED, NEW_HIRE = 0, 1, 2


@dataclass
class Reps:
    """Sales reps; index ``i`` is rep_id number ``i + 1``.

    ``status`` is VETERAN (employed through the whole span), DEPARTED (left during it,
    has ``end_day``) or NEW_HIRE (joined during it). Styles: ``discount_rate`` is the
    mean discount on the lines a rep discounts (a fifth are heavy discounters),
    ``win_rate`` the share of closed deals won, ``deal_size`` a deal-value multiplier.
    """

    region: np.ndarray
    status: np.ndarray
    hire_day: np.ndarray
    end_day: np.ndarray
    discount_rate: np.ndarray
    heavy_discounter: np.ndarray
    win_rate: np.ndarray
    deal_size: np.ndarray
    name: pa.Array
    manager: pa.Array
    team: pa.Array

    @property
    def count(self) -> int:
        return len(self.region)


def rep_count(customers: int) -> int:
    """About one rep per 60 customers, at least 8 and at most 400."""
    return int(np.clip(round(customers / 60), 8, 400))


def make_reps(rng: np.random.Generator, customers: int, t: Timeline) -> Reps:
    count = rep_count(customers)
    n_regions = len(vocab.REGIONS)
    # One rep per region first, so every region has a veteran who can take over accounts.
    region = np.concatenate([np.arange(n_regions),
                             rng.choice(n_regions, size=count - n_regions, p=vocab.REGION_WEIGHTS)])
    region = np.sort(region, kind="stable")  # rep ids grouped by region, like a real roster
    anchors = np.unique(region, return_index=True)[1]

    status = np.full(count, VETERAN)
    candidates = np.setdiff1d(np.arange(count), anchors)
    n_departed = max(1, round(0.06 * count))
    n_new = max(1, round(0.10 * count))
    picked = rng.choice(candidates, size=n_departed + n_new, replace=False)
    status[picked[:n_departed]] = DEPARTED
    status[picked[n_departed:]] = NEW_HIRE

    span = t.span_days
    hire_day = t.start_day - rng.integers(120, 4000, size=count)
    late_hire = t.start_day + int(0.15 * span) + (rng.random(count) * max(1, 0.8 * span - 60)).astype(int)
    hire_day = np.where(status == NEW_HIRE, np.minimum(late_hire, t.end_day - 30), hire_day)
    leave_day = t.start_day + int(0.2 * span) + (rng.random(count) * max(1, 0.65 * span - 60)).astype(int)
    end_day = np.where(status == DEPARTED, np.minimum(leave_day, t.end_day - 30), NO_DAY)

    heavy = rng.random(count) < 0.2
    heavy[rng.integers(count)] = True  # every sales floor has at least one
    discount_rate = np.where(heavy, rng.uniform(0.10, 0.15, count), rng.uniform(0.025, 0.06, count))
    win_rate = np.clip(rng.uniform(0.35, 0.70, count) + 0.08 * heavy, 0.05, 0.9)
    deal_size = rng.lognormal(0.0, 0.3, count)

    # Teams of about eight reps inside each region, each with a (non-rep) manager.
    rank_in_region = np.arange(count) - anchors[region]
    team_no = rank_in_region // 8
    team_key = region * 100 + team_no
    team_keys, team_of_rep = np.unique(team_key, return_inverse=True)
    team_names = pa.array([f"{vocab.REGIONS[k // 100]} {chr(ord('A') + k % 100)}" for k in team_keys])
    people = _person_names(rng, count + len(team_keys))
    return Reps(
        region=region,
        status=status,
        hire_day=hire_day,
        end_day=end_day,
        discount_rate=discount_rate,
        heavy_discounter=heavy,
        win_rate=win_rate,
        deal_size=deal_size,
        name=people.slice(0, count),
        manager=people.slice(count).take(pa.array(team_of_rep)),
        team=team_names.take(pa.array(team_of_rep)),
    )


# ---------------------------------------------------------------------------
# Customers
# ---------------------------------------------------------------------------


@dataclass
class Customers:
    """Customers; index ``i`` is customer_id number ``i + 1``.

    Activity: a customer buys in ``[active_from, active_to]`` and, when reactivated,
    again in ``[back_from, back_to]`` (an empty interval, from > to, otherwise). The
    gap between the two is more than a year, so the data shows churn and reactivation.

    Planted traits: ``deal_hunter`` customers get 30-45 % discounts, ``high_cost``
    ones cost more to serve than they earn, ``high_return`` ones return many lines,
    ``late_payer`` ones pay 30-120 days late, ``late_delivery`` ones often get goods late.
    """

    tier: np.ndarray
    size: np.ndarray
    region: np.ndarray
    country: np.ndarray
    city: np.ndarray
    industry: np.ndarray
    customer_type: np.ndarray
    channel: np.ndarray
    acquisition_cents: np.ndarray
    created_day: np.ndarray
    active_from: np.ndarray
    active_to: np.ndarray
    back_from: np.ndarray
    back_to: np.ndarray
    payment_terms: np.ndarray
    order_rate: np.ndarray
    extra_lines: np.ndarray
    quantity_scale: np.ndarray
    deal_hunter: np.ndarray
    high_cost: np.ndarray
    high_return: np.ndarray
    late_payer: np.ndarray
    late_delivery: np.ndarray
    owner: np.ndarray
    prev_rep: np.ndarray
    handover_day: np.ndarray
    parent: np.ndarray
    name: pa.Array
    city_names: tuple[str, ...]
    country_names: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.tier)

    def rep_at(self, customer: np.ndarray, day: np.ndarray) -> np.ndarray:
        """The rep handling ``customer`` on ``day``: the previous owner before a handover."""
        return np.where(day < self.handover_day[customer], self.prev_rep[customer], self.owner[customer])

    def overlap(self, lo, hi) -> tuple[np.ndarray, np.ndarray]:
        """Days of each customer's activity inside ``[lo, hi]`` and the first such day.

        ``lo`` and ``hi`` are scalars (one window: results per customer) or rows of
        shape (1, k) (k windows, e.g. months: results of shape (customers, k)). The
        two activity intervals are more than a year apart, so a window of up to a
        month or two meets at most one of them.
        """
        column = (lambda x: x[:, None]) if np.ndim(lo) == 2 or np.ndim(hi) == 2 else (lambda x: x)
        a_lo = np.maximum(column(self.active_from), lo)
        a_hi = np.minimum(column(self.active_to), hi)
        b_lo = np.maximum(column(self.back_from), lo)
        b_hi = np.minimum(column(self.back_to), hi)
        a_days = np.maximum(a_hi - a_lo + 1, 0)
        b_days = np.maximum(b_hi - b_lo + 1, 0)
        return a_days + b_days, np.where(a_days > 0, a_lo, b_lo)


def _tiers(rng: np.random.Generator, size: np.ndarray) -> np.ndarray:
    """Tiers by a noisy size rank, in exact shares: big customers are mostly top tier."""
    n = len(size)
    score = np.log(size) + rng.normal(0.0, 0.35, n)
    order = np.argsort(-score, kind="stable")
    bounds = np.round(np.cumsum(vocab.TIER_SHARES) * n).astype(np.int64)
    tier_by_rank = np.searchsorted(bounds, np.arange(n), side="right")
    tier = np.empty(n, dtype=np.int64)
    tier[order] = np.minimum(tier_by_rank, len(vocab.TIERS) - 1)
    return tier


def _geography(rng: np.random.Generator, region: np.ndarray):
    """Country and city codes consistent with each customer's region."""
    countries = vocab.COUNTRIES
    city_names = tuple(c for country in countries for c in country.cities)
    city_offset = np.cumsum([0] + [len(c.cities) for c in countries])
    country = np.empty(len(region), dtype=np.int64)
    for r, name in enumerate(vocab.REGIONS):
        members = np.flatnonzero(region == r)
        options = np.array([i for i, c in enumerate(countries) if c.region == name])
        country[members] = options[rng.integers(len(options), size=len(members))]
    n_cities = np.diff(city_offset)[country]
    city = city_offset[country] + (rng.random(len(region)) * n_cities).astype(np.int64)
    return country, city, city_names, tuple(c.name for c in countries)


def _company_names(rng: np.random.Generator, country: np.ndarray, city: np.ndarray,
                   city_names: tuple[str, ...]) -> pa.Array:
    """Brand + trade word (+ city) + the legal form usual in the customer's country.

    Brand and word pairs are dealt without repetition; once they run out (about 2,000
    customers) the city joins the name, as in "Apex Hydraulics Graz GmbH", so that
    names stay distinct in practice.
    """
    n = len(country)
    n_words = len(vocab.COMPANY_WORDS)
    n_pairs = len(vocab.COMPANY_BRANDS) * n_words
    deal = rng.permutation(max(n, n_pairs))[:n]
    pair, with_city = deal % n_pairs, deal >= n_pairs
    forms = [c.legal_forms for c in vocab.COUNTRIES]
    n_forms = np.array([len(f) for f in forms])[country]
    form_no = (rng.random(n) * n_forms).astype(np.int64)
    flat_forms = [f for fs in forms for f in fs]
    form_offset = np.cumsum([0] + [len(f) for f in forms])[:-1]
    brand = pa.array(vocab.COMPANY_BRANDS).take(pa.array(pair // n_words))
    word = pa.array(vocab.COMPANY_WORDS).take(pa.array(pair % n_words))
    place = pa.array(city_names).take(pa.array(city))
    middle = pc.if_else(pa.array(with_city), pc.binary_join_element_wise(word, place, " "), word)
    return pc.binary_join_element_wise(
        brand, middle, pa.array(flat_forms).take(pa.array(form_offset[country] + form_no)), " ")


def _lifecycle(rng: np.random.Generator, tier: np.ndarray, t: Timeline):
    """Creation, churn and reactivation days.

    About 15 % of customers are acquired during the span (the rest existed before),
    3-20 % (by tier: big accounts rarely leave) stop buying at some point, and about
    a third of those whose churn is early enough come back 400-600 days later.
    """
    n = len(tier)
    span = t.span_days
    is_new = rng.random(n) < 0.15
    created_new = t.start_day + (rng.random(n) * max(1, span - 60)).astype(np.int64)
    created_old = t.start_day - rng.integers(30, 3650, size=n)
    created = np.where(is_new, created_new, created_old)
    active_from = np.maximum(created, t.start_day)

    churn_lo, churn_hi = active_from + 90, t.end_day - 30
    churns = (rng.random(n) < CHURN_BY_TIER[tier]) & (churn_hi > churn_lo)
    churn_day = churn_lo + (rng.random(n) * np.maximum(churn_hi - churn_lo, 1)).astype(np.int64)
    active_to = np.where(churns, churn_day, t.end_day)

    back_lo, back_hi = churn_day + 400, t.end_day - 45
    comes_back = churns & (rng.random(n) < 0.35) & (back_hi >= back_lo)
    back_day = back_lo + (rng.random(n) * np.maximum(back_hi - back_lo + 1, 1)).astype(np.int64)
    back_from = np.where(comes_back, back_day, 1)
    back_to = np.where(comes_back, t.end_day, 0)
    return created, active_from, active_to, back_from, back_to


def _owners(rng: np.random.Generator, region: np.ndarray, reps: Reps):
    """Current owner, previous owner and handover day of every customer.

    Owners are reps employed today in the customer's region. Accounts of a new hire
    were handled by a veteran before the hire date; some veteran-owned accounts were
    handled by a rep who has since left, until the day after they left.
    """
    n = len(region)
    owner = np.empty(n, dtype=np.int64)
    prev_rep = np.full(n, -1, dtype=np.int64)
    handover = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
    for r in range(len(vocab.REGIONS)):
        members = np.flatnonzero(region == r)
        current = np.flatnonzero((reps.region == r) & (reps.status != DEPARTED))
        veterans = np.flatnonzero((reps.region == r) & (reps.status == VETERAN))
        owner[members] = current[rng.integers(len(current), size=len(members))]
        new_hire = members[reps.status[owner[members]] == NEW_HIRE]
        prev_rep[new_hire] = veterans[rng.integers(len(veterans), size=len(new_hire))]
        handover[new_hire] = reps.hire_day[owner[new_hire]]
        for leaver in np.flatnonzero((reps.region == r) & (reps.status == DEPARTED)):
            free = members[prev_rep[members] < 0]
            took = free[rng.random(len(free)) < 1.0 / len(current)]
            prev_rep[took] = leaver
            handover[took] = reps.end_day[leaver] + 1
    return owner, prev_rep, handover


def _parents(rng: np.random.Generator, tier: np.ndarray, region: np.ndarray) -> np.ndarray:
    """About 4 % of Silver/Bronze customers belong to a Platinum/Gold group in their region."""
    parent = np.full(len(tier), -1, dtype=np.int64)
    for r in range(len(vocab.REGIONS)):
        heads = np.flatnonzero((region == r) & (tier <= 1))
        children = np.flatnonzero((region == r) & (tier >= 2))
        if len(heads) == 0:
            continue
        children = children[rng.random(len(children)) < 0.04]
        parent[children] = heads[rng.integers(len(heads), size=len(children))]
    return parent


def make_customers(rng: np.random.Generator, n: int, t: Timeline, reps: Reps) -> Customers:
    # Customer size is lognormal: the heavy tail is what makes the top 20 % of
    # customers earn most of the gross profit.
    size = rng.lognormal(0.0, 1.0, n)
    tier = _tiers(rng, size)
    region = rng.choice(len(vocab.REGIONS), size=n, p=vocab.REGION_WEIGHTS)
    country, city, city_names, country_names = _geography(rng, region)
    industry = rng.choice(len(vocab.INDUSTRIES), size=n, p=vocab.INDUSTRY_WEIGHTS)
    customer_type = np.empty(n, dtype=np.int64)
    for k, probabilities in enumerate(vocab.CUSTOMER_TYPE_BY_TIER):
        members = np.flatnonzero(tier == k)
        customer_type[members] = rng.choice(len(vocab.CUSTOMER_TYPES), size=len(members), p=probabilities)
    created, active_from, active_to, back_from, back_to = _lifecycle(rng, tier, t)
    channel = rng.choice(len(vocab.ACQUISITION_CHANNELS), size=n, p=vocab.ACQUISITION_CHANNEL_WEIGHTS)
    acquisition = (np.asarray(vocab.ACQUISITION_COST_EUR)[channel] * TIER_ACQUISITION[tier]
                   * rng.lognormal(0.0, 0.35, n))
    acquisition_cents = np.round(acquisition).astype(np.int64) * 100
    terms = np.where(tier <= 1, rng.choice(PAYMENT_TERMS, size=n, p=[0.3, 0.35, 0.35]),
                     rng.choice(PAYMENT_TERMS, size=n, p=[0.6, 0.3, 0.1]))

    # Planted problem customers (never Platinum: one whale with a negative margin
    # would dominate every chart). Deal hunters and high-cost customers don't overlap,
    # so each negative-margin driver shows on its own.
    not_top = tier > 0
    deal_hunter = not_top & (rng.random(n) < 0.04)
    high_cost = not_top & ~deal_hunter & (rng.random(n) < 0.035)
    high_return = rng.random(n) < 0.03
    late_payer = rng.random(n) < 0.08
    late_delivery = rng.random(n) < 0.10

    owner, prev_rep, handover = _owners(rng, region, reps)
    parent = _parents(rng, tier, region)
    name = _company_names(rng, country, city, city_names)
    return Customers(
        tier=tier, size=size, region=region, country=country, city=city, industry=industry,
        customer_type=customer_type, channel=channel, acquisition_cents=acquisition_cents,
        created_day=created, active_from=active_from, active_to=active_to,
        back_from=back_from, back_to=back_to, payment_terms=terms,
        order_rate=TIER_ORDER_RATE[tier] * size ** 0.3,
        extra_lines=TIER_EXTRA_LINES[tier],
        quantity_scale=TIER_QUANTITY[tier] * np.clip(size, 0.2, 20) ** 0.25,
        deal_hunter=deal_hunter, high_cost=high_cost, high_return=high_return,
        late_payer=late_payer, late_delivery=late_delivery,
        owner=owner, prev_rep=prev_rep, handover_day=handover, parent=parent, name=name,
        city_names=city_names, country_names=country_names,
    )


# ---------------------------------------------------------------------------
# Products
# ---------------------------------------------------------------------------


@dataclass
class Products:
    """Products; index ``i`` is product_id number ``i + 1``.

    ``line_weight`` is the probability that an order line is this product, chosen so
    that expected revenue shares follow a Zipf law (about 20 % of products make 80 %
    of revenue) whatever the price and usual quantity of the product.
    """

    category: np.ndarray
    subcategory: pa.Array
    series: np.ndarray
    name: pa.Array
    list_cents: np.ndarray
    cost_cents: np.ndarray
    margin: np.ndarray
    mean_quantity: np.ndarray
    revenue_share: np.ndarray
    line_weight: np.ndarray

    @property
    def count(self) -> int:
        return len(self.category)


def _nice_price(price: np.ndarray) -> np.ndarray:
    """List prices as a price list shows them: x.90 below 100 EUR, whole euros above."""
    cents = np.where(price < 100, np.floor(price) * 100 + 90, np.round(price) * 100)
    return cents.astype(np.int64)


TYPICAL_LINE_EUR = 500.0
"""Value of a typical order line: cheap items are bought by the box, machines one at a time."""


def make_products(rng: np.random.Generator) -> Products:
    category, subcategory, series, names, lows, highs, margin = [], [], [], [], [], [], []
    for c, cat in enumerate(vocab.CATEGORIES):
        n_sub = len(cat.subcategories)
        for j in range(cat.products):
            sub = cat.subcategories[j % n_sub]
            s = int(rng.integers(len(vocab.SERIES)))
            # The hundreds digit comes from j // n_sub, so names are unique per category.
            model = 100 * (j // n_sub + 1) + 10 * int(rng.integers(0, 9))
            category.append(c)
            subcategory.append(sub)
            series.append(s)
            names.append(f"{vocab.SERIES[s]} {sub} {model}")
            lows.append(cat.price_range[0])
            highs.append(cat.price_range[1])
            margin.append(cat.margin)
    n = len(category)
    price = np.exp(rng.uniform(np.log(lows), np.log(highs)))
    list_cents = _nice_price(price)
    product_margin = np.asarray(margin) * rng.uniform(0.85, 1.15, n)
    cost_cents = np.round(list_cents * (1 - product_margin)).astype(np.int64)
    # Usual quantity per line: a line is worth about TYPICAL_LINE_EUR whatever the
    # price, so the revenue per line (and so the company's scale) is stable across seeds.
    mean_quantity = np.clip(TYPICAL_LINE_EUR * 100 / list_cents * rng.lognormal(0.0, 0.4, n), 1.0, 250.0)
    rank = rng.permutation(n)
    share = (rank + 1.0) ** -1.3
    share /= share.sum()
    weight = share / (list_cents * mean_quantity)
    return Products(
        category=np.asarray(category),
        subcategory=pa.array(subcategory),
        series=np.asarray(series),
        name=pa.array(names),
        list_cents=list_cents,
        cost_cents=cost_cents,
        margin=1 - cost_cents / list_cents,
        mean_quantity=mean_quantity,
        revenue_share=share,
        line_weight=weight / weight.sum(),
    )


# ---------------------------------------------------------------------------
# Campaigns
# ---------------------------------------------------------------------------


@dataclass
class Campaigns:
    """Marketing campaigns, each aimed at one tier during ``[start_day, end_day]``."""

    start_day: np.ndarray
    end_day: np.ndarray
    target_tier: np.ndarray
    channel: np.ndarray
    cost_cents: np.ndarray
    name: pa.Array

    @property
    def count(self) -> int:
        return len(self.start_day)


def make_campaigns(rng: np.random.Generator, t: Timeline, customers: int) -> Campaigns:
    years = t.span_days / 365.25
    n = int(np.clip(round(3.5 * years + 1.5), 8, 15))
    first, last = t.start_day + 10, max(t.start_day + 11, t.end_day - 30)
    slots = np.linspace(first, last, n) + rng.integers(-10, 11, size=n)
    start = np.clip(np.round(slots).astype(np.int64), t.start_day, t.end_day)
    start.sort()
    end = np.minimum(start + rng.integers(14, 46, size=n), t.end_day)
    target = rng.choice(len(vocab.TIERS), size=n, p=[0.15, 0.30, 0.35, 0.20])
    channel = rng.integers(len(vocab.CAMPAIGN_CHANNELS), size=n)
    # Spend grows with the size of the customer base, but less than proportionally.
    cost_eur = rng.uniform(6000, 45000, n) * np.sqrt(max(customers, 1) / 1500)
    cost_cents = np.round(cost_eur / 100).astype(np.int64) * 10_000
    start_dates = start.astype("datetime64[D]")
    years_of = start_dates.astype("datetime64[Y]").astype(np.int64) + 1970
    months_of = start_dates.astype("datetime64[M]").astype(np.int64) % 12
    themes = [vocab.CAMPAIGN_THEMES[m * len(vocab.CAMPAIGN_THEMES) // 12] for m in months_of]
    names = pa.array([f"{theme} {y} ({vocab.TIERS[k]})" for theme, y, k in zip(themes, years_of, target)])
    return Campaigns(start_day=start, end_day=end, target_tier=target, channel=channel,
                     cost_cents=cost_cents, name=names)
