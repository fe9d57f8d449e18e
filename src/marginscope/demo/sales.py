"""Orders, invoices, invoice lines and credit notes of the demo company.

Orders arrive as a Poisson process per customer and month whose rate is the
customer's order rate times seasonality (Q4 peak), a mild growth trend and the share
of the month the customer is active. Campaigns add extra orders from their target
tier during their window. Every shipped order is invoiced on its ship day; a few
invoice lines come back on a credit note.

All of it is vectorized: the only Python loops run over campaigns (at most 15).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from marginscope.demo import vocab
from marginscope.demo.arrowutil import NO_DAY
from marginscope.demo.entities import TIER_DISCOUNT, VETERAN, Campaigns, Customers, Products, Reps
from marginscope.demo.timeline import Timeline

# Monthly seasonality of order rates (Jan..Dec), mean 1: summer dip, strong Q4.
SEASON = np.array([0.82, 0.80, 0.92, 0.95, 0.98, 0.95, 0.85, 0.78, 1.00, 1.22, 1.35, 1.38])
SEASON = SEASON / SEASON.mean()
GROWTH_PER_YEAR = 0.02  # on order rates; new customers add to it
PRICE_INCREASE_PER_YEAR = 0.02  # list prices are today's; earlier years sold a bit cheaper
CANCEL_SHARE = 0.02
CAMPAIGN_LIFT = 0.4  # extra order rate of a target customer during a campaign
CAMPAIGN_TAG_SHARE = 0.3  # share of ordinary target orders in a campaign window attributed to it
RETURN_SHARE, HIGH_RETURN_SHARE = 0.022, 0.16  # share of invoice lines returned
OVERLAY_SHARE = 0.08  # orders booked by another (veteran) rep of the region, not the owner
LEAD_DAYS = np.array([5, 7, 10, 14, 21])

OPEN, SHIPPED, DELIVERED, CANCELLED = range(4)  # the order of schema.ORDER_STATUSES


@dataclass
class Demand:
    """Expected orders at scale 1, before any random draw.

    ``month_rate[i, m]`` is customer i's expected orders in month m, ``month_first``
    and ``month_days`` the first active day and number of active days in that cell.
    ``campaign_*`` hold the same per campaign (rows) and customer (columns) for the
    extra orders a campaign brings.
    """

    month_rate: np.ndarray
    month_first: np.ndarray
    month_days: np.ndarray
    campaign_rate: np.ndarray
    campaign_first: np.ndarray
    campaign_days: np.ndarray

    def expected_orders(self) -> np.ndarray:
        """Expected orders per customer."""
        return self.month_rate.sum(axis=1) + self.campaign_rate.sum(axis=0)


def make_demand(customers: Customers, campaigns: Campaigns, t: Timeline) -> Demand:
    days, first = customers.overlap(t.month_start[None, :], t.month_end[None, :])
    years_from_end = (t.month_start - t.end_day) / 365.25
    month_factor = SEASON[t.month_of_year - 1] * (1 + GROWTH_PER_YEAR) ** years_from_end
    # New accounts start at 40 % of their potential and grow into it over a year.
    age = (t.month_start[None, :] - customers.created_day[:, None]) / 365.25
    ramp = np.clip(0.4 + 0.6 * age, 0.4, 1.0)
    month_rate = customers.order_rate[:, None] * month_factor[None, :] * ramp * days / 365.25

    n, k = customers.count, campaigns.count
    c_rate = np.zeros((k, n))
    c_first = np.zeros((k, n), dtype=np.int64)
    c_days = np.zeros((k, n), dtype=np.int64)
    for j in range(k):
        days_j, first_j = customers.overlap(campaigns.start_day[j], campaigns.end_day[j])
        target = customers.tier == campaigns.target_tier[j]
        c_days[j] = np.where(target, days_j, 0)
        c_first[j] = first_j
        c_rate[j] = CAMPAIGN_LIFT * customers.order_rate * c_days[j] / 365.25
    return Demand(month_rate, first, days, c_rate, c_first, c_days)


def expected_lines(demand: Demand, customers: Customers) -> float:
    """Expected rows of invoice_lines (invoice and credit-note lines) at scale 1.

    Every non-cancelled order becomes an invoice with 1 + Poisson(extra_lines) lines,
    and a share of those lines comes back on a credit note. Orders still open at the
    as-of date are too few to matter.
    """
    per_order = (1 + customers.extra_lines) * (1 - CANCEL_SHARE)
    returns = np.where(customers.high_return, HIGH_RETURN_SHARE, RETURN_SHARE)
    return float(np.sum(demand.expected_orders() * per_order * (1 + returns)))


@dataclass
class Sales:
    """Orders, invoices and their lines, and credit notes with theirs.

    Rows of each group are in id order: order ``i`` is SO number ``i + 1``, invoice
    ``i`` INV number ``i + 1``, credit note ``i`` CN number ``i + 1``. Money is in
    integer cents, dates in integer days, references are row indices.
    """

    # orders
    order_customer: np.ndarray
    order_day: np.ndarray
    order_status: np.ndarray
    promised_day: np.ndarray
    shipped_day: np.ndarray
    delivered_day: np.ndarray
    order_campaign: np.ndarray
    order_rep: np.ndarray
    # invoices (one per shipped order)
    invoice_order: np.ndarray
    invoice_day: np.ndarray
    due_day: np.ndarray
    # invoice lines
    line_invoice: np.ndarray
    line_no: np.ndarray
    line_product: np.ndarray
    line_quantity: np.ndarray
    line_price: np.ndarray
    line_discount: np.ndarray
    line_net: np.ndarray
    line_cogs: np.ndarray
    # credit notes and their lines (cn_line_source: the invoice line returned)
    credit_invoice: np.ndarray
    credit_day: np.ndarray
    cn_line_credit: np.ndarray
    cn_line_no: np.ndarray
    cn_line_source: np.ndarray
    cn_line_quantity: np.ndarray
    cn_line_discount: np.ndarray
    cn_line_net: np.ndarray
    cn_line_cogs: np.ndarray

    @property
    def invoice_customer(self) -> np.ndarray:
        return self.order_customer[self.invoice_order]

    def invoice_totals(self) -> np.ndarray:
        """Net amount of each invoice in cents (the sum of its lines)."""
        return np.bincount(self.line_invoice, weights=self.line_net,
                           minlength=len(self.invoice_order)).round().astype(np.int64)


def _positions_in_groups(group: np.ndarray) -> np.ndarray:
    """1-based position of each row within its run of equal, contiguous group values."""
    n = len(group)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    lengths = np.diff(np.r_[starts, n])
    return np.arange(n) - np.repeat(starts, lengths) + 1


def _draw_orders(rng, demand: Demand, scale: float, customers: Customers, campaigns: Campaigns):
    """Order customers, days and campaign attributions, sorted by (day, customer)."""
    n, months = demand.month_rate.shape
    counts = rng.poisson(scale * demand.month_rate.ravel())
    cell = np.repeat(np.arange(n * months), counts)
    customer = cell // months
    day = demand.month_first.ravel()[cell] + (
        rng.random(len(cell)) * demand.month_days.ravel()[cell]).astype(np.int64)
    del cell
    campaign = np.full(len(day), -1, dtype=np.int64)

    # Ordinary orders of the target tier during a campaign are partly attributed to it.
    tag = rng.random(len(day)) < CAMPAIGN_TAG_SHARE
    tier = customers.tier[customer]
    for j in range(campaigns.count):
        hit = (tag & (campaign < 0) & (tier == campaigns.target_tier[j])
               & (day >= campaigns.start_day[j]) & (day <= campaigns.end_day[j]))
        campaign[hit] = j

    # Campaigns also bring extra orders, most of them attributed.
    extra_customer, extra_day, extra_campaign = [customer], [day], [campaign]
    for j in range(campaigns.count):
        c = np.repeat(np.arange(n), rng.poisson(scale * demand.campaign_rate[j]))
        d = demand.campaign_first[j, c] + (rng.random(len(c)) * demand.campaign_days[j, c]).astype(np.int64)
        extra_customer.append(c)
        extra_day.append(d)
        extra_campaign.append(np.where(rng.random(len(c)) < 0.85, j, -1))
    customer = np.concatenate(extra_customer)
    day = np.concatenate(extra_day)
    campaign = np.concatenate(extra_campaign)
    order = np.lexsort((customer, day))
    return customer[order], day[order], campaign[order]


def _order_reps(rng, customers: Customers, reps: Reps, customer: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Mostly the account's rep of the day; some orders booked by a veteran of the region."""
    rep = customers.rep_at(customer, day)
    n_regions = len(vocab.REGIONS)
    veterans = [np.flatnonzero((reps.region == r) & (reps.status == VETERAN)) for r in range(n_regions)]
    table = np.zeros((n_regions, max(len(v) for v in veterans)), dtype=np.int64)
    for r, v in enumerate(veterans):
        table[r, :len(v)] = v
    sizes = np.array([len(v) for v in veterans])
    region = customers.region[customer]
    pick = (rng.random(len(customer)) * sizes[region]).astype(np.int64)
    overlay = rng.random(len(customer)) < OVERLAY_SHARE
    return np.where(overlay, table[region, pick], rep)


def _fulfil(rng, customers: Customers, customer: np.ndarray, day: np.ndarray, t: Timeline):
    """Status and promised/shipped/delivered days of each order as seen at as_of."""
    n = len(day)
    cancelled = rng.random(n) < CANCEL_SHARE
    lead = rng.choice(LEAD_DAYS, size=n)
    transit = 1 + rng.poisson(1.0, n)
    ship_lag = np.clip(1 + rng.poisson(2.0, n), 1, np.maximum(lead - transit, 1))
    # A late order arrives 2-20 days after the promised day; customers with chronic
    # delivery problems see it on half their orders, the others on one in twenty.
    late = rng.random(n) < np.where(customers.late_delivery[customer], 0.5, 0.05)
    shipped = np.where(late, day + lead - transit + rng.integers(2, 21, n), day + ship_lag)
    delivered = shipped + transit
    status = np.where(cancelled, CANCELLED,
                      np.where(shipped > t.end_day, OPEN,
                               np.where(delivered > t.end_day, SHIPPED, DELIVERED)))
    shipped = np.where((status == SHIPPED) | (status == DELIVERED), shipped, NO_DAY)
    delivered = np.where(status == DELIVERED, delivered, NO_DAY)
    return status, day + lead, shipped, delivered


def make_sales(rng: np.random.Generator, demand: Demand, scale: float, customers: Customers,
               reps: Reps, products: Products, campaigns: Campaigns, t: Timeline) -> Sales:
    customer, day, campaign = _draw_orders(rng, demand, scale, customers, campaigns)
    rep = _order_reps(rng, customers, reps, customer, day)
    status, promised, shipped, delivered = _fulfil(rng, customers, customer, day, t)

    # One invoice per shipped order, numbered by invoice day.
    invoiced = np.flatnonzero((status == SHIPPED) | (status == DELIVERED))
    invoice_order = invoiced[np.lexsort((invoiced, shipped[invoiced]))]
    invoice_day = shipped[invoice_order]
    invoice_customer = customer[invoice_order]
    due_day = invoice_day + customers.payment_terms[invoice_customer]

    lines = _invoice_lines(rng, customers, reps, products, t, invoice_customer, invoice_day,
                           rep[invoice_order], campaign[invoice_order])
    credits = _credit_notes(rng, customers, products, t, invoice_customer, invoice_day, lines)
    return Sales(
        order_customer=customer, order_day=day, order_status=status, promised_day=promised,
        shipped_day=shipped, delivered_day=delivered, order_campaign=campaign, order_rep=rep,
        invoice_order=invoice_order, invoice_day=invoice_day, due_day=due_day,
        **lines, **credits,
    )


def _invoice_lines(rng, customers: Customers, reps: Reps, products: Products, t: Timeline,
                   invoice_customer, invoice_day, invoice_rep, invoice_campaign) -> dict:
    n_lines = 1 + rng.poisson(customers.extra_lines[invoice_customer])
    line_invoice = np.repeat(np.arange(len(invoice_customer), dtype=np.int64), n_lines)
    line_no = _positions_in_groups(line_invoice)
    total = len(line_invoice)
    product = rng.choice(products.count, size=total, p=products.line_weight)
    cust = invoice_customer[line_invoice]

    # Quantities: lognormal around the product's usual quantity times the customer's
    # scale (the -sigma^2/2 keeps the mean), whole units, at least one.
    mean_qty = products.mean_quantity[product] * customers.quantity_scale[cust]
    quantity = np.maximum(1, np.round(rng.lognormal(np.log(mean_qty) - 0.18, 0.6))).astype(np.int64)
    del mean_qty

    # Unit price: the list price of the line's year, with a little deal-level noise.
    year = t.year[t.month_index(invoice_day[line_invoice])]
    price_factor = (1 + PRICE_INCREASE_PER_YEAR) ** (year - t.as_of.year)
    price = np.round(products.list_cents[product] * price_factor
                     * (1 + rng.normal(0.0, 0.015, total))).astype(np.int64)
    price = np.maximum(price, 1)
    del year, price_factor
    gross = quantity * price

    # Discount: about half the lines carry the rep's habitual discount, scaled by the
    # account's tier; campaign sales get 5 points more; deal hunters squeeze 30-45 %,
    # more than the product's margin, so they sell at a loss.
    tier = customers.tier[cust]
    rep_rate = reps.discount_rate[invoice_rep[line_invoice]] * TIER_DISCOUNT[tier]
    rate = np.where(rng.random(total) < 0.55, rep_rate * rng.uniform(0.5, 1.5, total), 0.0)
    rate += np.where(invoice_campaign[line_invoice] >= 0, 0.05, 0.0)
    hunter = customers.deal_hunter[cust]
    hunter_rate = np.clip(products.margin[product] + rng.uniform(0.0, 0.08, total), 0.30, 0.45)
    rate = np.minimum(np.where(hunter, hunter_rate, rate), 0.6)
    discount = np.round(gross * rate).astype(np.int64)
    return dict(
        line_invoice=line_invoice, line_no=line_no, line_product=product, line_quantity=quantity,
        line_price=price, line_discount=discount, line_net=gross - discount,
        line_cogs=quantity * products.cost_cents[product],
    )


def _credit_notes(rng, customers: Customers, products: Products, t: Timeline,
                  invoice_customer, invoice_day, lines: dict) -> dict:
    """Returns: some lines come back (fully or partly) on one credit note per invoice."""
    line_invoice = lines["line_invoice"]
    n_invoices = len(invoice_day)
    credit_day_of_invoice = invoice_day + rng.integers(3, 45, n_invoices)
    share = np.where(customers.high_return[invoice_customer[line_invoice]], HIGH_RETURN_SHARE, RETURN_SHARE)
    returned = rng.random(len(line_invoice)) < share
    returned &= credit_day_of_invoice[line_invoice] <= t.end_day  # nothing after as_of
    source = np.flatnonzero(returned)

    credited = np.unique(line_invoice[source])
    credited = credited[np.lexsort((credited, credit_day_of_invoice[credited]))]
    credit_of_invoice = np.full(n_invoices, -1, dtype=np.int64)
    credit_of_invoice[credited] = np.arange(len(credited))
    credit = credit_of_invoice[line_invoice[source]]
    order = np.lexsort((source, credit))
    source, credit = source[order], credit[order]

    quantity = lines["line_quantity"][source]
    full = (rng.random(len(source)) < 0.55) | (quantity == 1)
    back = np.where(full, quantity, 1 + (rng.random(len(source)) * (quantity - 1)).astype(np.int64))
    back = np.minimum(back, quantity)
    # The discount is refunded pro rata; integer arithmetic keeps it exact to the cent.
    discount = (lines["line_discount"][source] * back + quantity // 2) // quantity
    gross = back * lines["line_price"][source]
    cogs = back * products.cost_cents[lines["line_product"][source]]
    return dict(
        credit_invoice=credited, credit_day=credit_day_of_invoice[credited],
        cn_line_credit=credit, cn_line_no=_positions_in_groups(credit), cn_line_source=source,
        cn_line_quantity=back, cn_line_discount=discount, cn_line_net=gross - discount, cn_line_cogs=cogs,
    )
