"""A company whose customers follow purchase schedules worked out by hand, for the churn tests
(tests/metrics/test_churn.py) and the API and page tests that show churn risk.

As of T = 30 Jun 2026 the cutoffs are T - 360 = 5 Jul 2025 (train) and T - 180 =
1 Jan 2026 (test). Purchases fall on the 15th of the month unless said; each is one
order of one line. Customer n of a group (S1, S2, ...) always pays 90 + 10n (F1: 100.00)
at a COGS of 60% of it. Every customer but the slow ones cost 200.00 to acquire. Each order
also costs freight (costs_to_serve, dated on the order's day), which varies from order to order
and from customer to customer: see :func:`freight`. Windows of the cutoffs:

- 5 Jul 2025: last 180 days (6 Jan 2025, 5 Jul 2025], the 180 before (10 Jul 2024, 6 Jan 2025]
- 1 Jan 2026: last (5 Jul 2025, 1 Jan 2026], before (6 Jan 2025, 5 Jul 2025]
- 30 Jun 2026: last (1 Jan 2026, 30 Jun 2026], before (5 Jul 2025, 1 Jan 2026]

Groups (customers; features "recency / orders last 180 / orders before" at each cutoff; label):

- steady S1-S8, monthly Jan 2024 - Jun 2026: 20/6/6 stayed; 17/6/6 stayed; 15/6/6
- slow L1-L6, the 15th of Feb, May, Aug and Nov, Feb 2024 - May 2026: 51/2/2 stayed;
  47/2/2 stayed; 46/2/2
- faded early D1-D6, monthly in 2024, then 1 Mar, 15 May, 20 Jun 2025: 15/3/6 churned;
  195/0/3 churned; inactive at T (375 days)
- faded late E1-E6, monthly Jan 2024 - Jun 2025, then 20 Aug, 30 Oct, 15 Dec 2025:
  20/6/6 stayed; 17/3/6 churned; 197/0/3
- fading now F1-F6, monthly Jan 2024 - Dec 2025, then 15 Feb and 30 Apr 2026: 20/6/6
  stayed; 17/6/6 stayed; 61/2/6
- sudden U1-U2, monthly Jan 2024 - Dec 2025, then nothing: 20/6/6 stayed; 17/6/6
  churned (no warning: a steady customer's features); 197/0/6
- comeback K1-K2, as faded late, then 10 Mar and 20 May 2026: 20/6/6 stayed; 17/3/6
  stayed; 41/2/3

Train (5 Jul 2025): 36 active, 6 churned (D). Test (1 Jan 2026): 36 active, 14 churned
(D, E, U). Scored at T: 30 active (all but D).
"""

from __future__ import annotations

import datetime as dt
import math
import random

from marginscope.metrics import Filters

T = dt.date(2026, 6, 30)
AS_OF = Filters(end=T)


def monthly(first: dt.date, last: dt.date, step: int = 1) -> list[dt.date]:
    days, day = [], first
    while day <= last:
        days.append(day)
        month = day.month - 1 + step
        day = dt.date(day.year + month // 12, month % 12 + 1, 15)
    return days


STEADY = monthly(dt.date(2024, 1, 15), dt.date(2026, 6, 15))
SLOW = monthly(dt.date(2024, 2, 15), dt.date(2026, 5, 15), step=3)
FADED_EARLY = [*monthly(dt.date(2024, 1, 15), dt.date(2024, 12, 15)), dt.date(2025, 3, 1), dt.date(2025, 5, 15), dt.date(2025, 6, 20)]
FADED_LATE = [*monthly(dt.date(2024, 1, 15), dt.date(2025, 6, 15)), dt.date(2025, 8, 20), dt.date(2025, 10, 30), dt.date(2025, 12, 15)]
FADING_NOW = [*monthly(dt.date(2024, 1, 15), dt.date(2025, 12, 15)), dt.date(2026, 2, 15), dt.date(2026, 4, 30)]
SUDDEN = monthly(dt.date(2024, 1, 15), dt.date(2025, 12, 15))
COMEBACK = [*FADED_LATE, dt.date(2026, 3, 10), dt.date(2026, 5, 20)]
GROUPS = {"S": (8, STEADY), "L": (6, SLOW), "D": (6, FADED_EARLY), "E": (6, FADED_LATE), "F": (6, FADING_NOW),
          "U": (2, SUDDEN), "K": (2, COMEBACK)}
# Rep R1 owns the steady and fading-now customers, R2 the others; K1, K2 and S8 are South, the rest North.
OWNER = {"S": "R1", "F": "R1"}
CHURNED_IN_TEST = {"D", "E", "U"}
# The orders' contribution after freight, drawn as Gamma-Gamma describes it (Fader, Hardie and Lee):
# a customer's rate nu ~ Gamma(shape 4, rate 9), an order's contribution ~ Gamma(shape 4, rate nu),
# on average 4 x 9 / 3 = 12.00 (p v / (q - 1)). With 36 customers the fit is not always found from
# lifetimes' starting point: this seed's is (p 5.04, q 9.86, v 21.3), found without a penalty with
# numpy's AVX2 and AVX-512 kernels alike and with the margins moved by up to 1e-7 (see :func:`freight`).
FREIGHT_SEED = 0
CUSTOMER_SHAPE, CUSTOMER_RATE, ORDER_SHAPE = 4, 9.0, 4


def price_of(number: int) -> int:
    """What customer ``number`` of a group pays for each order."""
    return 90 + 10 * number


def _gamma(rng: random.Random, shape: int, rate: float) -> float:
    """A Gamma(shape, rate) draw for a whole shape, as a sum of exponential draws: only ``random()``,
    whose sequence for a seed is the same in every Python version, and ``math.log``, whose last-bit
    differences between C libraries the rounding to cents removes."""
    return -sum(math.log(1.0 - rng.random()) for _ in range(shape)) / rate


def freight() -> dict[str, list[float]]:
    """Per customer, the freight of each order, in the order of its purchase days, rounded to cents.

    Each order earns a gross profit of 40% of its price; its freight is that profit less a
    contribution drawn from Gamma-Gamma (floored at no freight). Without this, every order of a
    customer would earn the same margin, and the Gamma-Gamma likelihood would have no maximum
    (it grows as p, the shape of the margin per order, goes to infinity): the fit would exist only
    through the penalty, and which penalty the optimiser accepted came down to the last bits of
    numpy's log and exp, which differ between machines (AVX-512 and AVX2 kernels).
    """
    rng = random.Random(FREIGHT_SEED)
    costs = {}
    for group, (size, days) in GROUPS.items():
        for number in range(1, size + 1):
            profit = 0.4 * price_of(number)
            nu = _gamma(rng, CUSTOMER_SHAPE, CUSTOMER_RATE)
            costs[f"{group}{number}"] = [round(max(0.0, profit - _gamma(rng, ORDER_SHAPE, nu)), 2) for _ in days]
    return costs


def company_tables() -> dict[str, str]:
    customers = ["customer_id,name,region,owner_rep_id,acquisition_cost"]
    costs = ["cost_id,customer_id,cost_date,category,amount"]
    freights = freight()
    lines = [("invoice_id,line_no,kind,invoice_date,order_id,customer_id,product_id,rep_id,quantity,unit_price,"
              "discount_amount,net_amount,cogs")]
    for group, (size, days) in GROUPS.items():
        for number in range(1, size + 1):
            customer = f"{group}{number}"
            owner = OWNER.get(group, "R2")
            region = "South" if group == "K" or customer == "S8" else "North"
            acquisition = "" if group == "L" else "200.00"
            customers.append(f"{customer},Customer {customer},{region},{owner},{acquisition}")
            for day, cost in zip(days, freights[customer]):
                order = f"{customer}-{day:%Y%m%d}"
                price = price_of(number)
                costs.append(f"F{order},{customer},{day},freight,{cost:.2f}")
                lines.append(f"I{order},1,invoice,{day},O{order},{customer},P1,{owner},1,{price}.00,0,{price}.00,"
                             f"{0.6 * price:.2f}")
    return {"reps": "rep_id,name\nR1,Ann\nR2,Bob\n", "customers": "\n".join(customers) + "\n",
            "products": "product_id,name,category\nP1,Bolt,Hardware\n", "invoice_lines": "\n".join(lines) + "\n",
            "costs_to_serve": "\n".join(costs) + "\n"}
