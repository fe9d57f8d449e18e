"""Evaluate every alert rule, fire the conditions that are new, and keep the history.

Each rule runs as its owner, with the owner's scope and the filters saved with the
rule. Its conditions are compared with the ones it saw last time: a condition fires
once, when it appears, and is forgotten when it clears, so it fires again only if it
comes back. The alerts of one rule in one evaluation go out as one message per
channel. The server evaluates after every load and on a schedule; the command line
after its loads and on ``marginscope alerts run``.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass, field
from urllib.parse import quote

from marginscope.alerts.channels import Message, deliver
from marginscope.alerts.rules import KINDS, Condition, parse_params
from marginscope.alerts.store import AlertStore, Rule
from marginscope.auth import Auth, scope_for
from marginscope.metrics import EVERYTHING
from marginscope.url_state import parse as parse_search

log = logging.getLogger(__name__)


@dataclass
class RuleOutcome:
    rule: Rule
    conditions: int = 0
    fired: list[Condition] = field(default_factory=list)
    cleared: int = 0
    delivery: dict = field(default_factory=dict)
    error: str | None = None


class AlertEvaluator:
    """Evaluates the rules of the application database against ``metrics``."""

    def __init__(self, metrics, auth: Auth, settings=None):
        from marginscope.config import get_settings

        self.metrics, self.auth = metrics, auth
        self.settings = settings or get_settings()
        self.store = AlertStore(auth.store, tuple(self.settings.alert_webhook_hosts))
        self._lock = threading.Lock()  # a scheduled run and one after a load never overlap

    def as_of(self) -> dt.date | None:
        """The day the data runs to (the latest invoice date); ``None`` for an empty warehouse."""
        return self.metrics.catalog.data_span(EVERYTHING)[1]

    def link(self, rule: Rule, condition: Condition) -> str:
        path = quote(condition.path, safe="/")
        return f"{self.settings.link_base()}{path}{rule.search}"

    def evaluate_rule(self, rule: Rule, as_of: dt.date) -> list[Condition]:
        """The conditions ``rule`` finds now (nothing is fired or recorded)."""
        owner = self.auth.users.get(rule.owner)
        if owner is None:
            return []
        scope = scope_for(owner, self.metrics)
        filters = parse_search(rule.search).filters
        return KINDS[rule.kind].evaluate(self.metrics, parse_params(rule.kind, rule.params), filters, scope, as_of)

    def run(self, trigger: str = "schedule", as_of: dt.date | None = None) -> list[RuleOutcome]:
        """Evaluate every enabled rule; fire and record what is new."""
        with self._lock:
            as_of = as_of or self.as_of()
            if as_of is None:
                return []
            outcomes = []
            with self.metrics.pinned():
                for rule in self.store.rules(enabled_only=True):
                    outcomes.append(self._run_rule(rule, as_of, trigger))
            return outcomes

    def _run_rule(self, rule: Rule, as_of: dt.date, trigger: str) -> RuleOutcome:
        outcome = RuleOutcome(rule)
        try:
            conditions = self.evaluate_rule(rule, as_of)
        except Exception as exc:  # one broken rule must not stop the others
            log.exception("alert rule %s (%s) failed", rule.rule_id, rule.name)
            outcome.error = f"{type(exc).__name__}: {exc}"
            return outcome
        by_key = {c.key: c for c in conditions}
        new, cleared = self.store.reconcile(rule.rule_id, set(by_key))
        outcome.conditions, outcome.cleared = len(by_key), len(cleared)
        outcome.fired = [by_key[key] for key in by_key if key in new]  # in the rule's order
        if outcome.fired:
            links = [self.link(rule, c) for c in outcome.fired]
            count = len(outcome.fired)
            message = Message(title=f"marginscope alert: {rule.name} ({count} new)",
                              lines=[(c.message, link) for c, link in zip(outcome.fired, links)])
            outcome.delivery = deliver(rule.channels, message, self.settings) if not rule.channels.empty else {}
            self.store.record(rule, outcome.fired, links, trigger, outcome.delivery)
        return outcome
