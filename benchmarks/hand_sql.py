"""The pages' figures written by hand as DuckDB SQL: the baseline of ``pages.py``.

Written from METRICS.md and the metric modules' docstrings, not from the engine's
compiled SQL. Filter values are bound as named parameters; the SQL text varies only
with which filters are set. Money is summed as DECIMAL, as the warehouse stores it.
Each method answers one building block in the shape :mod:`figures` expects; the
derived figures (shares, classes, quadrants) are computed there, the same way for
this baseline and for pandas.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from figures import BUDGET_COLUMNS, BUDGET_LINE_COLUMNS, Selection


def _lines(name: str, start: str | None, end: str | None, regions: bool) -> str:
    """A CTE of the invoice and credit-note lines in a date range and the region filter, signed."""
    where = ["TRUE"]
    if start:
        where.append(f"l.invoice_date >= ${start}")
    if end:
        where.append(f"l.invoice_date <= ${end}")
    if regions:
        where.append("list_contains($regions, c.region)")
    return f"""{name} AS (
        SELECT l.invoice_id, l.kind, l.invoice_date, l.customer_id, l.product_id, l.rep_id, l.campaign_id,
               c.region, c.industry, c.tier, c.customer_type, p.category,
               CASE WHEN l.kind = 'invoice' THEN l.quantity ELSE -l.quantity END AS units,
               CASE WHEN l.kind = 'invoice' THEN l.quantity * l.unit_price ELSE 0 END AS gross_sales,
               CASE WHEN l.kind = 'invoice' THEN coalesce(l.discount_amount, 0) ELSE 0 END AS discount,
               CASE WHEN l.kind = 'invoice' THEN l.net_amount ELSE 0 END AS invoiced,
               CASE WHEN l.kind = 'invoice' THEN 0 ELSE l.net_amount END AS returns,
               CASE WHEN l.kind = 'invoice' THEN l.net_amount ELSE -l.net_amount END AS revenue,
               CASE WHEN l.kind = 'invoice' THEN coalesce(l.cogs, 0) ELSE -coalesce(l.cogs, 0) END AS cogs,
               CASE WHEN l.kind = 'invoice' THEN coalesce(l.order_id, l.invoice_id) END AS order_key
        FROM invoice_lines l LEFT JOIN customers c USING (customer_id) LEFT JOIN products p USING (product_id)
        WHERE {' AND '.join(where)})"""


def _costs(name: str, start: str, end: str, regions: bool) -> str:
    """A CTE of cost to serve per customer in a date range and the region filter."""
    region = "AND list_contains($regions, c.region)" if regions else ""
    return f"""{name} AS (
        SELECT k.customer_id, sum(k.amount) AS cost_to_serve
        FROM costs_to_serve k LEFT JOIN customers c USING (customer_id)
        WHERE k.cost_date >= ${start} AND k.cost_date <= ${end} {region} GROUP BY 1)"""


SALES_SUMS = """coalesce(sum(gross_sales), 0) AS gross_sales, coalesce(sum(discount), 0) AS discount,
    coalesce(sum(returns), 0) AS returns, coalesce(sum(revenue), 0) AS revenue, coalesce(sum(cogs), 0) AS cogs,
    count(DISTINCT order_key) AS orders"""


class HandSQL:
    """The building blocks over one DuckDB connection."""

    def __init__(self, con):
        self.con = con

    def _run(self, sql: str, selection: Selection, **params) -> pd.DataFrame:
        if selection.regions:
            params["regions"] = list(selection.regions)
        used = {name: value for name, value in params.items() if f"${name}" in sql}
        return self.con.execute(sql, used).df()

    # Sales -------------------------------------------------------------------------------------------

    def summary(self, s: Selection, start: dt.date, end: dt.date) -> pd.DataFrame:
        sql = f"""
            WITH {_lines('lines', 'start', 'end', bool(s.regions))}, {_costs('costs', 'start', 'end', bool(s.regions))},
            per_customer AS (SELECT customer_id, sum(revenue) AS revenue FROM lines GROUP BY 1)
            SELECT {SALES_SUMS},
                   (SELECT count(*) FROM per_customer WHERE revenue > 0) AS active_customers,
                   (SELECT coalesce(sum(cost_to_serve), 0) FROM costs) AS cost_to_serve
            FROM lines"""
        return self._run(sql, s, start=start, end=end)

    def by(self, s: Selection, dimension: str, start: dt.date, end: dt.date) -> pd.DataFrame:
        """Sales measures per value of a customer attribute, product, category or rep (costs allocated)."""
        if dimension in ("product_id", "category", "rep_id"):
            # A customer's cost to serve is split over its lines by their share of its revenue.
            cost_by = f"""
                parts AS (SELECT customer_id, {dimension} AS key, sum(revenue) AS part FROM lines GROUP BY 1, 2),
                wholes AS (SELECT customer_id, sum(revenue) AS whole FROM lines GROUP BY 1),
                cost_by AS (SELECT p.key, sum(CAST(k.cost_to_serve * p.part::DOUBLE / nullif(w.whole, 0)::DOUBLE
                                                   AS DECIMAL(18, 4))) AS cost_to_serve
                            FROM parts p JOIN wholes w USING (customer_id) JOIN costs k USING (customer_id)
                            GROUP BY 1)"""
        else:
            cost_by = f"""cost_by AS (SELECT c.{dimension} AS key, sum(k.cost_to_serve) AS cost_to_serve
                                      FROM costs k JOIN customers c USING (customer_id) GROUP BY 1)"""
        sql = f"""
            WITH {_lines('lines', 'start', 'end', bool(s.regions))}, {_costs('costs', 'start', 'end', bool(s.regions))},
            totals AS (SELECT {dimension} AS key, {SALES_SUMS} FROM lines GROUP BY 1),
            active AS (SELECT key, count(*) FILTER (WHERE revenue > 0) AS active_customers
                       FROM (SELECT {dimension} AS key, customer_id, sum(revenue) AS revenue FROM lines GROUP BY 1, 2)
                       GROUP BY 1),
            {cost_by}
            SELECT coalesce(t.key, k.key) AS key, coalesce(t.gross_sales, 0) AS gross_sales,
                   coalesce(t.discount, 0) AS discount, coalesce(t.returns, 0) AS returns,
                   coalesce(t.revenue, 0) AS revenue, coalesce(t.cogs, 0) AS cogs, coalesce(t.orders, 0) AS orders,
                   coalesce(a.active_customers, 0) AS active_customers,
                   coalesce(k.cost_to_serve, 0) AS cost_to_serve
            FROM totals t LEFT JOIN active a ON t.key IS NOT DISTINCT FROM a.key
                 FULL JOIN cost_by k ON t.key IS NOT DISTINCT FROM k.key"""
        return self._run(sql, s, start=start, end=end).rename(columns={"key": dimension})

    def trend(self, s: Selection, start: dt.date, end: dt.date) -> pd.DataFrame:
        region = "AND list_contains($regions, c.region)" if s.regions else ""
        sql = f"""
            WITH {_lines('lines', 'start', 'end', bool(s.regions))},
            sales AS (SELECT date_trunc('month', invoice_date)::DATE AS period, sum(revenue) AS revenue,
                             sum(cogs) AS cogs FROM lines GROUP BY 1),
            costs AS (SELECT date_trunc('month', k.cost_date)::DATE AS period, sum(k.amount) AS cost_to_serve
                      FROM costs_to_serve k LEFT JOIN customers c USING (customer_id)
                      WHERE k.cost_date >= $start AND k.cost_date <= $end {region} GROUP BY 1)
            SELECT period, coalesce(revenue, 0) AS revenue, coalesce(cogs, 0) AS cogs,
                   coalesce(cost_to_serve, 0) AS cost_to_serve
            FROM sales FULL JOIN costs USING (period)"""
        return self._run(sql, s, start=start, end=end)

    def demand(self, s: Selection, start: dt.date, end: dt.date) -> pd.DataFrame:
        sql = f"""
            WITH {_lines('lines', 'start', 'end', bool(s.regions))}
            SELECT product_id, date_trunc('month', invoice_date)::DATE AS period, sum(units) AS units,
                   sum(revenue) AS revenue
            FROM lines GROUP BY 1, 2"""
        return self._run(sql, s, start=start, end=end)

    # Budget ------------------------------------------------------------------------------------------

    def budget_months(self, s: Selection, start: dt.date, end: dt.date, dimension: str | None) -> pd.DataFrame:
        """Budget cells against actuals per month (and budget dimension), prorated, future marked."""
        as_of = s.as_of
        actual_end = max(start, min(end, as_of))
        cell_key = f", {dimension} AS key" if dimension else ""
        line_key = f", {BUDGET_LINE_COLUMNS[dimension]} AS key" if dimension else ""
        same_key = "AND c.key IS NOT DISTINCT FROM a.key" if dimension else ""
        key = ", coalesce(c.key, a.key) AS key" if dimension else ""
        region = "AND list_contains($regions, region)" if s.regions else ""
        sql = f"""
            WITH {_lines('lines', 'lstart', 'lend', bool(s.regions))},
            cells AS (SELECT period, measure{cell_key}, sum(amount) AS budget FROM budgets
                      WHERE period >= date_trunc('month', $start::DATE) AND period <= $end {region} GROUP BY ALL),
            wide AS (SELECT date_trunc('month', invoice_date)::DATE AS period{line_key}, sum(revenue) AS revenue,
                            sum(revenue) - sum(cogs) AS gross_profit FROM lines GROUP BY ALL),
            actuals AS (SELECT period{', key' if dimension else ''}, 'revenue' AS measure, revenue AS actual FROM wide
                        UNION ALL
                        SELECT period{', key' if dimension else ''}, 'gross_profit', gross_profit FROM wide),
            joined AS (SELECT coalesce(c.period, a.period) AS period, coalesce(c.measure, a.measure) AS measure{key},
                              c.budget, a.actual
                       FROM cells c FULL JOIN actuals a ON c.period = a.period AND c.measure = a.measure {same_key})
            SELECT period, measure{', key' if dimension else ''},
                   CASE WHEN period > $as_of THEN budget::DOUBLE
                        ELSE budget::DOUBLE * greatest(date_diff('day', greatest(period, $start::DATE),
                                                                 least(last_day(period), $end::DATE, $as_of::DATE)) + 1, 0)
                             / day(last_day(period)) END AS budget,
                   CASE WHEN period > $as_of THEN NULL ELSE coalesce(actual, 0)::DOUBLE END AS actual,
                   period > $as_of AS future
            FROM joined"""
        table = self._run(sql, s, start=start, end=end, lstart=start, lend=actual_end, as_of=as_of)
        table["period"] = pd.to_datetime(table.period).dt.date
        return table.rename(columns={"key": dimension})[BUDGET_COLUMNS + ([dimension] if dimension else [])]

    # RFM ---------------------------------------------------------------------------------------------

    def rfm(self, s: Selection, as_of: dt.date, window_start: dt.date) -> pd.DataFrame:
        region = "AND list_contains($regions, c.region)" if s.regions else ""
        sql = f"""
            WITH {_lines('lines', 'wstart', 'as_of', bool(s.regions))},
            bought AS (SELECT customer_id, max(invoice_date) AS last_purchase, count(DISTINCT order_key) AS frequency
                       FROM lines WHERE kind = 'invoice' GROUP BY 1),
            money AS (SELECT customer_id, sum(revenue) AS monetary FROM lines GROUP BY 1),
            first AS (SELECT l.customer_id, min(l.invoice_date) AS first_purchase
                      FROM invoice_lines l LEFT JOIN customers c USING (customer_id)
                      WHERE l.kind = 'invoice' AND l.invoice_date <= $as_of {region} GROUP BY 1),
            base AS (SELECT customer_id, date_diff('day', last_purchase, $as_of::DATE) AS recency, frequency,
                            monetary, date_diff('day', first_purchase, $as_of::DATE) AS first_purchase_days
                     FROM bought JOIN money USING (customer_id) LEFT JOIN first USING (customer_id)),
            scored AS (
                SELECT *,
                       -- quintile by position: customers ranked strictly below; equal values share a score
                       floor(5 * (rank() OVER (ORDER BY recency DESC) - 1) / count(*) OVER ())::INT + 1 AS r_score,
                       floor(5 * (rank() OVER (ORDER BY frequency) - 1) / count(*) OVER ())::INT + 1 AS f_score,
                       floor(5 * (rank() OVER (ORDER BY monetary) - 1) / count(*) OVER ())::INT + 1 AS m_score
                FROM base)
            SELECT *, CASE WHEN r_score >= 4 AND f_score >= 4 AND m_score >= 4 THEN 'Champions'
                           WHEN f_score >= 4 AND r_score >= 3 THEN 'Loyal'
                           WHEN first_purchase_days <= 90 THEN 'New'
                           WHEN r_score <= 2 AND f_score >= 3 THEN 'At-Risk'
                           WHEN r_score <= 2 AND f_score <= 2 AND m_score >= 3 THEN 'Hibernating'
                           WHEN m_score <= 2 THEN 'Low Value'
                           ELSE 'Needs Attention' END AS segment
            FROM scored"""
        return self._run(sql, s, wstart=window_start, as_of=as_of)

    # Customers ---------------------------------------------------------------------------------------

    def status(self, s: Selection, periods: list[dt.date], window: int) -> pd.DataFrame:
        """Per month: buying, new, returning, reactivated, churned, active at the start, repeat buyers."""
        region = "AND list_contains($regions, c.region)" if s.regions else ""
        last = (pd.Timestamp(periods[-1]) + pd.offsets.MonthEnd(0)).date()
        sql = f"""
            WITH {_lines('lines', 'first_day', 'last_day', bool(s.regions))},
            days AS (SELECT DISTINCT l.customer_id, l.invoice_date AS day
                     FROM invoice_lines l LEFT JOIN customers c USING (customer_id)
                     WHERE l.kind = 'invoice' {region}),
            marked AS (SELECT customer_id, day, lag(day) OVER w AS previous, lead(day) OVER w AS following
                       FROM days WINDOW w AS (PARTITION BY customer_id ORDER BY day)),
            starts AS (SELECT customer_id, day, row_number() OVER (PARTITION BY customer_id ORDER BY day) AS n
                       FROM marked WHERE previous IS NULL OR date_diff('day', previous, day) > $window),
            ends AS (SELECT customer_id, day, row_number() OVER (PARTITION BY customer_id ORDER BY day) AS n
                     FROM marked WHERE following IS NULL OR date_diff('day', day, following) > $window),
            spells AS (SELECT s.customer_id, s.day AS started, e.day + to_days($window + 1) AS churn_day
                       FROM starts s JOIN ends e USING (customer_id, n)),
            periods AS (SELECT unnest($periods::DATE[]) AS period),
            history AS (SELECT p.period, s.customer_id, bool_or(s.churn_day > p.period) AS active
                        FROM periods p JOIN spells s ON s.started < p.period GROUP BY 1, 2),
            buyers AS (SELECT date_trunc('month', invoice_date)::DATE AS period, customer_id,
                              count(DISTINCT order_key) AS orders
                       FROM lines GROUP BY 1, 2 HAVING sum(revenue) > 0),
            classified AS (SELECT b.period, b.orders,
                                  CASE WHEN h.active THEN 'returning' WHEN h.period IS NOT NULL THEN 'reactivated'
                                       ELSE 'new' END AS status
                           FROM buyers b LEFT JOIN history h USING (period, customer_id)),
            churned AS (SELECT p.period, count(*) AS churned FROM periods p JOIN spells s
                          ON s.churn_day BETWEEN p.period AND last_day(p.period) AND s.churn_day <= $as_of
                        GROUP BY 1),
            active AS (SELECT period, count(*) AS active_at_start FROM history WHERE active GROUP BY 1),
            counts AS (SELECT period, count(*) AS buying, count(*) FILTER (WHERE status = 'new') AS new,
                              count(*) FILTER (WHERE status = 'returning') AS "returning",
                              count(*) FILTER (WHERE status = 'reactivated') AS reactivated,
                              count(*) FILTER (WHERE orders >= 2) AS repeat_buyers
                       FROM classified GROUP BY 1)
            SELECT p.period, coalesce(buying, 0) AS buying, coalesce(new, 0) AS new,
                   coalesce("returning", 0) AS "returning", coalesce(reactivated, 0) AS reactivated,
                   coalesce(churned, 0) AS churned, coalesce(active_at_start, 0) AS active_at_start,
                   coalesce(repeat_buyers, 0) AS repeat_buyers
            FROM periods p LEFT JOIN counts USING (period) LEFT JOIN churned USING (period)
                 LEFT JOIN active USING (period)"""
        table = self._run(sql, s, first_day=periods[0], last_day=last, window=window, periods=periods,
                          as_of=s.end)
        table["period"] = pd.to_datetime(table.period).dt.date
        return table

    def retention(self, s: Selection, segment: str, prior: tuple[dt.date, dt.date]) -> pd.DataFrame:
        sql = f"""
            WITH {_lines('now', 'start', 'end', bool(s.regions))}, {_lines('before', 'pstart', 'pend', bool(s.regions))},
            buyers_now AS (SELECT customer_id FROM now GROUP BY 1 HAVING sum(revenue) > 0),
            buyers_before AS (SELECT customer_id FROM before GROUP BY 1 HAVING sum(revenue) > 0)
            SELECT c.{segment}, count(*) AS prior_buyers, count(n.customer_id) AS retained
            FROM buyers_before b JOIN customers c USING (customer_id) LEFT JOIN buyers_now n USING (customer_id)
            GROUP BY 1"""
        return self._run(sql, s, start=s.start, end=s.end, pstart=prior[0], pend=prior[1])

    # Team and pipeline -------------------------------------------------------------------------------

    def roster(self, s: Selection) -> pd.DataFrame:
        return self._run("""
            SELECT r.rep_id, r.name, r.manager, coalesce(o.customers_owned, 0) AS customers_owned
            FROM reps r LEFT JOIN (SELECT owner_rep_id AS rep_id, count(*) AS customers_owned FROM customers
                                   GROUP BY 1) o USING (rep_id)""", s)

    def pipeline(self, s: Selection, start: dt.date, end: dt.date, dimension: str | None = None,
                 grain: str | None = None) -> pd.DataFrame:
        """Won, lost, open, new deals, won value and days to close, in total, per dimension or per month."""
        region = "AND list_contains($regions, c.region)" if s.regions else ""
        if grain:
            closed_key, new_key = "date_trunc('month', close_date)::DATE", "date_trunc('month', engage_date)::DATE"
        elif dimension:
            closed_key = new_key = dimension
        else:
            closed_key = new_key = "'all'"
        open_part = "" if grain else f""",
            open_deals AS (SELECT {new_key} AS key, count(*) AS open FROM deals
                           WHERE stage IN ('prospecting', 'engaging') GROUP BY 1)"""
        open_join = "" if grain else "FULL JOIN open_deals o ON coalesce(x.key, n.key) IS NOT DISTINCT FROM o.key"
        open_key = "" if grain else ", o.key"
        sql = f"""
            WITH deals AS (
                SELECT o.*, c.region, c.industry, c.tier, r.manager, r.regional_office, p.category
                FROM opportunities o LEFT JOIN customers c USING (customer_id) LEFT JOIN reps r USING (rep_id)
                     LEFT JOIN products p USING (product_id)
                WHERE TRUE {region}),
            closed AS (SELECT {closed_key} AS key, count(*) FILTER (WHERE stage = 'won') AS won,
                              count(*) FILTER (WHERE stage = 'lost') AS lost,
                              sum(close_value) FILTER (WHERE stage = 'won') AS pipeline_revenue,
                              avg(date_diff('day', engage_date, close_date)) AS days_to_close,
                              avg(date_diff('day', engage_date, close_date)) FILTER (WHERE stage = 'won')
                                  AS days_to_close_won
                       FROM deals WHERE stage IN ('won', 'lost') AND close_date BETWEEN $start AND $end GROUP BY 1),
            new AS (SELECT {new_key} AS key, count(*) AS new_opportunities FROM deals
                    WHERE engage_date BETWEEN $start AND $end GROUP BY 1){open_part}
            SELECT coalesce(x.key, n.key{open_key}) AS key, coalesce(won, 0) AS won, coalesce(lost, 0) AS lost,
                   {'NULL' if grain else 'coalesce(open, 0)'} AS open,
                   coalesce(new_opportunities, 0) AS new_opportunities,
                   coalesce(pipeline_revenue, 0) AS pipeline_revenue, days_to_close, days_to_close_won
            FROM closed x FULL JOIN new n ON x.key IS NOT DISTINCT FROM n.key {open_join}"""
        table = self._run(sql, s, start=start, end=end)
        if grain:
            table["key"] = pd.to_datetime(table.key).dt.date
        if not grain and not dimension and table.empty:
            table = pd.DataFrame([{"key": "all", "won": 0, "lost": 0, "open": 0, "new_opportunities": 0,
                                   "pipeline_revenue": 0.0, "days_to_close": None, "days_to_close_won": None}])
        return table.rename(columns={"key": "period" if grain else dimension or "key"})

    # Campaigns ---------------------------------------------------------------------------------------

    def campaigns(self, s: Selection) -> pd.DataFrame:
        """Per campaign overlapping the range: attribution, won deals, target lift over the baseline."""
        region = "AND list_contains($regions, c.region)" if s.regions else ""
        sql = f"""
            WITH {_lines('lines', None, None, bool(s.regions))},
            shown AS (SELECT *, date_diff('day', start_date, end_date) + 1 AS days,
                             start_date - to_days(date_diff('day', start_date, end_date) + 1) AS baseline_start
                      FROM campaigns WHERE end_date >= $start AND start_date <= $end),
            candidates AS (
                SELECT customer_id, 0 AS priority, lower(trim(tier)) AS value FROM customers
                UNION ALL SELECT customer_id, 1, lower(trim(region)) FROM customers
                UNION ALL SELECT customer_id, 2, lower(trim(industry)) FROM customers
                UNION ALL SELECT customer_id, 3, lower(trim(customer_type)) FROM customers),
            matches AS (SELECT k.campaign_id, m.customer_id, m.priority,
                               min(m.priority) OVER (PARTITION BY k.campaign_id) AS first_priority
                        FROM shown k JOIN candidates m ON m.value = lower(trim(k.target_segment))),
            members AS (SELECT campaign_id, customer_id FROM matches WHERE priority = first_priority
                        UNION ALL
                        SELECT k.campaign_id, c.customer_id FROM shown k CROSS JOIN customers c
                        WHERE k.campaign_id NOT IN (SELECT campaign_id FROM matches)),
            selected AS (SELECT m.* FROM members m JOIN customers c USING (customer_id) WHERE TRUE {region}),
            attributed AS (SELECT campaign_id, sum(revenue) AS attributed_revenue, sum(cogs) AS attributed_cogs,
                                  count(DISTINCT order_key) AS attributed_orders
                           FROM lines WHERE campaign_id IS NOT NULL GROUP BY 1),
            won AS (SELECT o.campaign_id, o.customer_id, o.close_value
                    FROM opportunities o LEFT JOIN customers c USING (customer_id)
                    WHERE o.stage = 'won' AND o.campaign_id IS NOT NULL {region}),
            won_totals AS (SELECT campaign_id, count(*) AS won_deals, sum(close_value) AS won_value FROM won GROUP BY 1),
            reached AS (SELECT campaign_id, count(DISTINCT customer_id) AS customers_reached FROM (
                            SELECT campaign_id, customer_id FROM lines WHERE campaign_id IS NOT NULL
                            UNION SELECT campaign_id, customer_id FROM won WHERE customer_id IS NOT NULL)
                        GROUP BY 1),
            everyone AS (SELECT campaign_id, count(*) AS all_target_customers FROM members GROUP BY 1),
            in_selection AS (SELECT campaign_id, count(*) AS target_customers FROM selected GROUP BY 1),
            daily AS (SELECT customer_id, invoice_date, sum(revenue) AS revenue, sum(cogs) AS cogs
                      FROM lines GROUP BY 1, 2),
            windows AS (SELECT k.campaign_id,
                               sum(d.revenue) FILTER (WHERE d.invoice_date >= k.start_date) AS target_revenue,
                               sum(d.cogs) FILTER (WHERE d.invoice_date >= k.start_date) AS target_cogs,
                               sum(d.revenue) FILTER (WHERE d.invoice_date < k.start_date) AS baseline_revenue,
                               sum(d.cogs) FILTER (WHERE d.invoice_date < k.start_date) AS baseline_cogs
                        FROM shown k JOIN selected m USING (campaign_id) JOIN daily d
                          ON d.customer_id = m.customer_id AND d.invoice_date BETWEEN k.baseline_start AND k.end_date
                        GROUP BY 1)
            SELECT k.campaign_id, k.cost, coalesce(t.target_customers, 0) AS target_customers,
                   e.all_target_customers,
                   coalesce(a.attributed_revenue, 0) AS attributed_revenue,
                   coalesce(a.attributed_revenue, 0) - coalesce(a.attributed_cogs, 0) AS attributed_gross_profit,
                   coalesce(a.attributed_orders, 0) AS attributed_orders, coalesce(w.won_deals, 0) AS won_deals,
                   coalesce(w.won_value, 0) AS won_value, coalesce(r.customers_reached, 0) AS customers_reached,
                   coalesce(x.target_revenue, 0) AS target_revenue,
                   coalesce(x.baseline_revenue, 0) AS baseline_revenue,
                   coalesce(x.target_revenue, 0) - coalesce(x.target_cogs, 0) AS target_gross_profit,
                   coalesce(x.baseline_revenue, 0) - coalesce(x.baseline_cogs, 0) AS baseline_gross_profit
            FROM shown k LEFT JOIN attributed a USING (campaign_id) LEFT JOIN won_totals w USING (campaign_id)
                 LEFT JOIN reached r USING (campaign_id) LEFT JOIN everyone e USING (campaign_id)
                 LEFT JOIN in_selection t USING (campaign_id) LEFT JOIN windows x USING (campaign_id)"""
        return self._run(sql, s, start=s.start, end=s.end)

    # Small tables ------------------------------------------------------------------------------------

    def products(self, s: Selection) -> pd.DataFrame:
        return self._run("SELECT product_id, name, category FROM products", s)

    def customers(self, s: Selection) -> pd.DataFrame:
        return self._run("SELECT customer_id, name, tier, region, industry, owner_rep_id FROM customers", s)

