"""Customer portrait: one customer, everything the metrics layer knows about it."""

from __future__ import annotations

from dataclasses import replace

import plotly.graph_objects as go
from dash import dcc, html

from marginscope import formats as fmt
from marginscope.metrics.churn import AT_RISK_THRESHOLD
from marginscope.web.components import charts
from marginscope.web.components.cards import kpi, kpi_row, status_of
from marginscope.web.components.grid import Column, grid
from marginscope.web.pages import Page, PageContext

ORDER_LINES = [Column("invoice_id", "Invoice"), Column("invoice_date", "Date", "date"),
               Column("product_name", "Product"), Column("quantity", "Quantity", "number"),
               Column("unit_price", "Unit price", "money_exact"), Column("discount", "Discount", "money_exact"),
               Column("net_amount", "Net", "money_exact")]
FACTS = (("customer_id", "Customer id"), ("industry", "Industry"), ("region", "Region"), ("country", "Country"),
         ("city", "City"), ("tier", "Tier"), ("customer_type", "Type"), ("owner_rep_id", "Owner rep"),
         ("created_date", "Customer since"), ("acquisition_channel", "Acquired through"))


def facts(customer: dict, rep_names: dict[str, str]) -> html.Div:
    items = []
    for key, label in FACTS:
        value = fmt.json_value(customer.get(key))
        if key == "owner_rep_id" and value is not None and rep_names.get(value, value) != value:
            value = f"{rep_names[value]} ({value})"
        items += [html.Dt(label), html.Dd(str(value) if value is not None else "n/a")]
    return html.Div(html.Dl(items, className="ms-facts"), className="ms-panel")


def trend_chart(trend, currency: str) -> html.Div:
    fig = charts.figure(height=280)
    money = charts.amount("money", currency)
    fig.add_trace(go.Bar(x=trend.period, y=trend.revenue.astype(float), name="Revenue", marker_color=charts.ACTUAL,
                         hovertemplate=charts.hover(charts.MONTH, f"Revenue {money}")))
    margins = [fmt.percent(margin) for margin in trend.gross_margin]
    fig.add_trace(go.Scatter(x=trend.period, y=trend.gross_profit.astype(float), name="Gross profit",
                             mode="lines+markers", line=dict(color=charts.PROFIT), customdata=margins,
                             hovertemplate=charts.hover(charts.MONTH, f"Gross profit {money}",
                                                        "margin %{customdata}")))
    fig.update_yaxes(tickformat="~s", title=currency)
    return charts.graph("portrait-trend", fig, title="Revenue and gross profit by month")


def receivables_chart(history, currency: str) -> html.Div:
    fig = charts.figure(height=280)
    money = charts.amount("money", currency)
    fig.add_trace(go.Scatter(x=history.month_end, y=history.open_amount, name="Open", mode="lines+markers",
                             line=dict(color=charts.ACTUAL),
                             hovertemplate=charts.hover("%{x|%d %b %Y}", f"Open {money}")))
    fig.add_trace(go.Scatter(x=history.month_end, y=history.overdue_amount, name="Overdue", mode="lines+markers",
                             line=dict(color=charts.LOSS),
                             hovertemplate=charts.hover("%{x|%d %b %Y}", f"Overdue {money}")))
    fig.update_yaxes(tickformat="~s", title=currency)
    return charts.graph("portrait-receivables", fig, title="Receivables at each month end")


def outlook(churn: dict, value: dict, currency: str) -> html.Div:
    """Churn risk and lifetime value, each with what it rests on or why it is missing."""
    probability, clv = fmt.number(churn["churn_probability"]), fmt.number(value["clv"])
    risk_detail = (f"no purchase in the next {churn['horizon_days']} days · model AUC "
                   f"{fmt.decimal_number(churn['auc'], 2)} on held-out customers") if probability is not None \
        else churn["reason"]
    horizon = f"{value['horizon_months']} months, discounted at {fmt.percent(value['annual_discount_rate'], 0)} a year"
    ratio, expected = fmt.number(value["clv_to_cac"]), fmt.number(value["expected_purchases"])
    return kpi_row(
        kpi("churn_probability", "Churn risk", fmt.percent(probability), detail=risk_detail,
            status="bad" if probability is not None and probability > AT_RISK_THRESHOLD else None),
        kpi("clv", "Lifetime value (contribution)", fmt.money(clv, currency),
            exact=fmt.money_exact(clv, currency), detail=horizon if clv is not None else value["reason"],
            status="bad" if clv is not None and clv < 0 else None),
        kpi("clv_to_cac", "CLV / acquisition cost", "n/a" if ratio is None else f"{ratio:,.1f}×",
            detail=f"acquired for {fmt.money(value['acquisition_cost'], currency)}"
            if fmt.number(value["acquisition_cost"]) else "no acquisition cost loaded",
            status="bad" if ratio is not None and ratio < 1 else None),
        kpi("p_alive", "Still a customer (P alive)", fmt.percent(value["p_alive"]),
            detail=f"BG/NBD · {fmt.decimal_number(expected)} purchases expected in {value['horizon_months']} months"
            if expected is not None else None),
    )


def render(ctx: PageContext) -> list:
    c = ctx.currency
    p = ctx.metrics.customers.portrait(ctx.args["customer_id"], ctx.filters, ctx.scope)
    current, lifetime = p.current.iloc[0], p.lifetime.iloc[0]
    yoy = p.year_over_year.set_index("measure")
    growth = fmt.number(yoy.loc["revenue", "growth"])
    only_this = replace(ctx.filters, customers=frozenset({ctx.args["customer_id"]}))
    receivable = ctx.metrics.receivables.summary(only_this, ctx.scope).iloc[0]
    names = ctx.rep_names()
    body = [
        html.Div([html.H2(p.customer["name"], id="portrait-name"),
                  dcc.Link("← back to all customers", href=ctx.link("/customers"))], className="ms-title"),
        facts(p.customer, names),
        kpi_row(
            kpi("revenue", "Revenue in range", fmt.money(current.revenue, c), exact=fmt.money_exact(current.revenue, c),
                detail=f"{growth:+.1%} vs last year" if growth is not None else "no sales a year before",
                status=status_of(growth)),
            kpi("gross_profit", "Gross profit", fmt.money(current.gross_profit, c),
                # Returns above sales: a margin of two negative amounts would read as a healthy one.
                detail=f"{fmt.percent(current.gross_margin)} margin" if (fmt.number(current.revenue) or 0) > 0
                else "no margin: returns exceed sales" if (fmt.number(current.revenue) or 0) < 0 else None),
            kpi("contribution_margin", "Contribution margin", fmt.money(current.contribution_margin, c),
                detail=f"after {fmt.money(current.cost_to_serve, c)} cost to serve",
                status="bad" if (fmt.number(current.contribution_margin) or 0) < 0 else None),
            kpi("orders", "Orders", fmt.count(current.orders),
                detail=f"average {fmt.money(current.average_order_value, c)}"),
            kpi("lifetime", "Lifetime revenue", fmt.money(lifetime.revenue, c),
                detail=f"{p.distinct_products} product{'' if p.distinct_products == 1 else 's'} bought"),
            kpi("open_receivables", "Open receivables", fmt.money(receivable.open_amount, c),
                detail=f"{fmt.money(receivable.overdue_amount, c)} overdue · {p.late_deliveries} late deliveries",
                status="bad" if (fmt.number(receivable.overdue_amount) or 0) > 0 else None),
        ),
        outlook(p.churn, p.lifetime_value, c),
        html.Div([trend_chart(p.trend, c), receivables_chart(p.receivables_history, c)], className="ms-row"),
        html.Div([
            grid("portrait-products", p.products, [
                Column("product_name", "Product", link=True), Column("category", "Category"),
                Column("quantity", "Quantity", "number"), Column("revenue", "Revenue", "money"),
                Column("gross_margin", "GM %", "percent", signed=True)], title="Products bought", entity="product"),
            grid("portrait-reps", p.reps.assign(rep_name=p.reps.rep_id.map(lambda r: names.get(r, r))), [
                Column("rep_name", "Rep", link=True), Column("revenue", "Revenue", "money"),
                Column("first_invoice", "First invoice", "date"), Column("last_invoice", "Last invoice", "date")],
                title="Reps credited", entity="rep"),
        ], className="ms-row"),
        html.Div([grid("portrait-first-order", p.first_order, ORDER_LINES, title="First order"),
                  grid("portrait-largest-order", p.largest_order, ORDER_LINES, title="Largest order")],
                 className="ms-row"),
        html.Div([
            grid("portrait-receivables", p.receivables, [
                Column("invoice_id", "Invoice"), Column("due_date", "Due", "date"),
                Column("open_amount", "Open", "money_exact"), Column("days_past_due", "Days past due", "count"),
                Column("bucket", "Bucket")], title="Open invoices"),
            grid("portrait-costs", p.cost_to_serve, [
                Column("category", "Category"), Column("amount", "Amount", "money")], title="Cost to serve"),
        ], className="ms-row"),
        html.Div([
            grid("portrait-returns", p.returns, [
                Column("invoice_id", "Credit note"), Column("invoice_date", "Date", "date"),
                Column("product_name", "Product"), Column("quantity", "Quantity", "number"),
                Column("net_amount", "Amount", "money_exact")], title="Returns"),
            grid("portrait-orders", p.orders_by_status, [
                Column("status", "Status"), Column("orders", "Orders", "count")], title="Orders by status"),
        ], className="ms-row"),
    ]
    return body


PAGE = Page(path="/customer/<customer_id>", title="Customer", render=render, in_menu=False)
