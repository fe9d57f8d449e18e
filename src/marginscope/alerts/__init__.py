"""Alerts: rules users make in the app, evaluated after every load and on a schedule,
delivered by email and Slack / Microsoft Teams webhooks, once per new condition.

- :mod:`.rules`: the kinds of rule and the conditions each finds (from the metrics layer)
- :mod:`.store`: rules, their current conditions and the history, in the application database
- :mod:`.channels`: email, Slack and Teams delivery
- :mod:`.evaluate`: run the rules, fire what is new, record it
- :mod:`.scheduler`: the server's background jobs (alerts, scheduled refresh)
"""

from marginscope.alerts.channels import Channels
from marginscope.alerts.evaluate import AlertEvaluator, RuleOutcome
from marginscope.alerts.rules import KINDS, Condition, RuleError
from marginscope.alerts.store import AlertEvent, AlertStore, Rule

__all__ = ["KINDS", "AlertEvaluator", "AlertEvent", "AlertStore", "Channels", "Condition", "Rule", "RuleError",
           "RuleOutcome"]
