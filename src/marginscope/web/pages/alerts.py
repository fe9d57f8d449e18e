"""Alerts: the user's rules (make one from the current filters, pause, delete, see what it finds now)
and the history of alerts sent."""

from __future__ import annotations

import pandas as pd
from dash import Input, Output, State, ctx, dcc, html, no_update

from marginscope.alerts import KINDS, AlertEvaluator, Channels, RuleError
from marginscope.url_state import parse, to_search
from marginscope.web.components import notices
from marginscope.web.components.grid import Column, grid
from marginscope.web.pages import Page, PageContext

ACTIONS = {"alert-pause": "pause", "alert-resume": "resume", "alert-delete": "delete", "alert-preview": "preview"}


def rules_frame(rules) -> pd.DataFrame:
    return pd.DataFrame([{
        "rule_id": r.rule_id, "name": r.name, "owner": r.owner, "watches": r.description,
        "filters": r.search.lstrip("?") or "all", "channels": ", ".join(
            [*r.channels.emails, *(["Slack"] if r.channels.slack else []), *(["Teams"] if r.channels.teams else [])])
        or "history only", "enabled": "active" if r.enabled else "paused"} for r in rules],
        columns=["rule_id", "name", "owner", "watches", "filters", "channels", "enabled"])


def rules_grid(rules) -> html.Div:
    return grid("alert-rules", rules_frame(rules), [
        Column("rule_id", "#", "count", width=70), Column("name", "Rule"), Column("watches", "Watches"),
        Column("filters", "Filters"), Column("channels", "Sent to"), Column("enabled", "State", width=100),
        Column("owner", "Owner", width=110)], title="Your alert rules")


def history_grid(events) -> html.Div:
    frame = pd.DataFrame([{
        "fired_at": e.fired_at.replace("T", " ")[:16], "rule": e.rule_name, "subject": e.subject,
        "message": e.message, "trigger": e.trigger,
        "delivery": ", ".join(f"{channel}: {state}" for channel, state in e.delivery.items()) or "history only",
        "link": e.link} for e in events],
        columns=["fired_at", "rule", "subject", "message", "trigger", "delivery", "link"])
    return grid("alert-history", frame, [
        Column("fired_at", "Fired (UTC)", width=150), Column("rule", "Rule", width=160),
        Column("subject", "About", width=220), Column("message", "Alert"), Column("trigger", "After", width=110),
        Column("delivery", "Delivery", width=160)], title="Alert history", page_size=10)


def _rule_options(rules) -> list[dict]:
    return [{"label": f"#{r.rule_id} {r.name}", "value": r.rule_id} for r in rules]


def _form(ctx: PageContext) -> html.Div:
    def field(label, control, hint=None):
        return html.Label([html.Span(label, className="ms-field-label"), control,
                           html.Span(hint, className="ms-note") if hint else None], className="ms-field")

    filters_text = ctx.search.lstrip("?") or "no filters: the whole of what you may see"
    return html.Div(className="ms-panel", children=[
        html.H3("New rule", className="ms-grid-title"),
        html.P(["The rule watches the filters of this page (", html.Code(filters_text),
                ("); its dates do not matter, each kind has its own window. It runs after every data load and on a "
                 "schedule, and sends each new finding once.")], className="ms-note"),
        html.Div(className="ms-form", children=[
            field("Name", dcc.Input(id="alert-name", type="text", maxLength=80, placeholder="e.g. North margins")),
            field("Watch", dcc.Dropdown(id="alert-kind", options=[{"label": k.title, "value": k.name}
                                                                  for k in KINDS.values()],
                                        value="customer_margin", clearable=False)),
            field("Threshold %", dcc.Input(id="alert-threshold", type="number", value=5, step="any"),
                  "budget: attainment below; margin: CM % below; rep: revenue drop over"),
            field("Days", dcc.Input(id="alert-days", type="number", value=90, min=0, step=1),
                  "margin: window; receivables: days past due"),
            field("Measure", dcc.Dropdown(id="alert-measure", options=[
                {"label": "Revenue", "value": "revenue"}, {"label": "Gross profit", "value": "gross_profit"}],
                value="revenue", clearable=False), "budget rules"),
            field("Email to", dcc.Input(id="alert-emails", type="text", placeholder="a@example.com, b@example.com")),
            field("Slack webhook", dcc.Input(id="alert-slack", type="url", placeholder="https://hooks.slack.com/...")),
            field("Teams webhook", dcc.Input(id="alert-teams", type="url",
                                             placeholder="https://....webhook.office.com/...")),
        ]),
        html.Button("Create rule", id="alert-create", className="ms-button", n_clicks=0),
        html.Div(id="alert-message", className="ms-note", role="status"),
    ])


def _manage(rules) -> html.Div:
    return html.Div(className="ms-panel", children=[
        html.H3("Manage a rule", className="ms-grid-title"),
        html.Div(className="ms-actions", children=[
            dcc.Dropdown(id="alert-pick", options=_rule_options(rules), placeholder="Pick a rule",
                         style={"minWidth": "260px"}),
            *[html.Button(label, id=button, className="ms-button ms-small", n_clicks=0) for button, label in
              (("alert-preview", "What it finds now"), ("alert-pause", "Pause"), ("alert-resume", "Resume"),
               ("alert-delete", "Delete"))],
        ]),
        html.Div(id="alert-preview-box"),
    ])


def render(ctx: PageContext) -> list:
    if ctx.alerts is None or ctx.user is None:
        return [notices.empty("Sign in to make and see alert rules.")]
    store = ctx.alerts.store
    rules = store.rules(ctx.user)
    return [_form(ctx), html.Div(rules_grid(rules), id="alert-rules-box"), _manage(rules),
            history_grid(store.events(ctx.user, limit=500))]


def _parameters(kind: str, threshold, days, measure) -> dict:
    share = None if threshold is None else float(threshold) / 100
    by_kind: dict[str, dict] = {
        "segment_slip": {},
        "budget_attainment": {"measure": measure or "revenue", **({"below": share} if share is not None else {})},
        "customer_margin": {**({"below": share} if share is not None else {}),
                            **({"days": int(days)} if days else {})},
        "receivables_overdue": {"days": int(days)} if days is not None else {},
        "rep_revenue_drop": {"drop": share} if share is not None else {}}
    return by_kind[kind]


def register(app, evaluator: AlertEvaluator, signed_in) -> None:
    """The callbacks of the page; ``signed_in(function, *args)`` runs ``function(principal, *args)`` off the loop."""
    store, audit = evaluator.store, evaluator.auth.audit

    def create(principal, name, kind, threshold, days, measure, emails, slack, teams, search):
        user = principal.user
        try:
            channels = Channels(emails=tuple((emails or "").replace(";", ",").split(",")), slack=slack, teams=teams)
            filters_only = parse(search).filters.with_range(None, None) if search else None
            rule = store.add(user, name, kind, _parameters(kind, threshold, days, measure),
                             to_search(filters_only) if filters_only else "", channels)
        except (RuleError, ValueError) as exc:
            return no_update, no_update, f"Not saved: {exc}"
        audit.record("alert_rule_saved", user.username, rule_id=rule.rule_id, kind=rule.kind, name=rule.name)
        rules = store.rules(user)
        return rules_grid(rules), _rule_options(rules), f"Saved “{rule.name}”: {rule.description}."

    @app.callback(Output("alert-rules-box", "children"), Output("alert-pick", "options"),
                  Output("alert-message", "children"),
                  Input("alert-create", "n_clicks"),
                  State("alert-name", "value"), State("alert-kind", "value"), State("alert-threshold", "value"),
                  State("alert-days", "value"), State("alert-measure", "value"), State("alert-emails", "value"),
                  State("alert-slack", "value"), State("alert-teams", "value"), State("url", "search"),
                  prevent_initial_call=True)
    async def create_rule(clicks, *fields):
        if not clicks:
            return no_update, no_update, no_update
        return await signed_in(create, *fields)

    def act(principal, action, picked):
        user = principal.user
        if picked is None:
            return no_update, no_update, notices.empty("Pick a rule first.")
        try:
            if action == "preview":
                rule = store.get(user, picked)
                as_of = evaluator.as_of()
                found = evaluator.evaluate_rule(rule, as_of) if as_of else []
                if not found:
                    return no_update, no_update, notices.empty(f"“{rule.name}” finds nothing as of {as_of}.")
                items = [html.Li([c.message, " ", dcc.Link("open", href=f"{c.path}{rule.search}")]) for c in found]
                return no_update, no_update, html.Div([
                    html.P(f"“{rule.name}” finds {len(found)} as of {as_of}:"), html.Ul(items[:50]),
                    html.P(f"... and {len(found) - 50} more", className="ms-note") if len(found) > 50 else None],
                    className="ms-notice")
            if action == "delete":
                store.delete(user, picked)
                audit.record("alert_rule_deleted", user.username, rule_id=picked)
                message = "Deleted."
            else:
                rule = store.set_enabled(user, picked, action == "resume")
                message = f"“{rule.name}” is {'active' if rule.enabled else 'paused'}."
        except RuleError as exc:
            return no_update, no_update, notices.error(str(exc))
        rules = store.rules(user)
        return rules_grid(rules), _rule_options(rules), notices.empty(message)

    @app.callback(Output("alert-rules-box", "children", allow_duplicate=True),
                  Output("alert-pick", "options", allow_duplicate=True),
                  Output("alert-preview-box", "children"),
                  *[Input(button, "n_clicks") for button in ACTIONS], State("alert-pick", "value"),
                  prevent_initial_call=True)
    async def manage_rule(*args):
        if not ctx.triggered_id or not ctx.triggered[0]["value"]:
            return no_update, no_update, no_update
        return await signed_in(act, ACTIONS[ctx.triggered_id], args[-1])


PAGE = Page(path="/alerts", title="Alerts", render=render)
