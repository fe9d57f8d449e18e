"""Alert rules, the conditions they currently see, and the history of alerts, in the application database.

A user sees and changes their own rules; an admin sees everyone's. Every statement is
parameterised.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from marginscope.alerts.channels import Channels, check_channels
from marginscope.alerts.rules import KINDS, Condition, RuleError, parse_params
from marginscope.auth.store import AppStore, timestamp
from marginscope.auth.users import Role, User

NAME_LENGTH = 80


@dataclass(frozen=True)
class Rule:
    rule_id: int
    owner: str
    name: str
    kind: str
    params: dict
    search: str  # the filters of the view the rule watches, as a URL query string
    channels: Channels
    enabled: bool
    created_at: str

    @property
    def description(self) -> str:
        return KINDS[self.kind].describe(parse_params(self.kind, self.params))


@dataclass(frozen=True)
class AlertEvent:
    event_id: int
    rule_id: int
    rule_name: str
    owner: str
    fired_at: str
    condition_key: str
    subject: str
    message: str
    link: str
    trigger: str
    delivery: dict = field(default_factory=dict)


def _rule(row) -> Rule:
    return Rule(rule_id=row["rule_id"], owner=row["owner"], name=row["name"], kind=row["kind"],
                params=json.loads(row["params"]), search=row["search"],
                channels=Channels.from_json(row["channels"]), enabled=bool(row["enabled"]),
                created_at=row["created_at"])


class AlertStore:
    """Alert rules and their history over the application database.

    Examples
    --------
    >>> from marginscope.auth import Auth
    >>> auth = Auth(":memory:")
    >>> ann = auth.users.add("ann", "a long password", Role.ANALYST)
    >>> store = AlertStore(auth.store)
    >>> rule = store.add(ann, "Low margins", "customer_margin", {"below": 0.05}, "?region=North", Channels())
    >>> rule.description
    'contribution margin below 5.0% over 90 days'
    """

    def __init__(self, store: AppStore, webhook_hosts: tuple[str, ...] | None = None):
        self.store = store
        self.webhook_hosts = webhook_hosts

    def add(self, user: User, name: str, kind: str, params: dict, search: str, channels: Channels) -> Rule:
        name = (name or "").strip()
        if not name or len(name) > NAME_LENGTH:
            raise RuleError(f"name: give a name of 1 to {NAME_LENGTH} characters")
        checked = parse_params(kind, params)
        channels = check_channels(channels, self.webhook_hosts)
        with self.store.connect() as db:
            if db.execute("SELECT 1 FROM alert_rules WHERE owner = ? AND name = ?", (user.username, name)).fetchone():
                raise RuleError(f"name: you already have a rule named {name!r}")
            cursor = db.execute(
                "INSERT INTO alert_rules (owner, name, kind, params, search, channels, enabled, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, 1, ?)",
                (user.username, name, kind, checked.model_dump_json(), search or "", channels.to_json(), timestamp()))
            row = db.execute("SELECT * FROM alert_rules WHERE rule_id = ?", (cursor.lastrowid,)).fetchone()
        return _rule(row)

    def rules(self, user: User | None = None, enabled_only: bool = False) -> list[Rule]:
        """``user``'s rules (an admin's: everyone's); with no user, every rule (for the evaluator)."""
        sql, args = "SELECT * FROM alert_rules", []
        where = []
        if user is not None and user.role is not Role.ADMIN:
            where.append("owner = ?")
            args.append(user.username)
        if enabled_only:
            where.append("enabled = 1")
        if where:
            sql += " WHERE " + " AND ".join(where)
        with self.store.connect() as db:
            return [_rule(row) for row in db.execute(sql + " ORDER BY rule_id", args).fetchall()]

    def get(self, user: User, rule_id: int) -> Rule:
        """One rule the user may see; another user's rule is "not found", as a missing one is."""
        with self.store.connect() as db:
            row = db.execute("SELECT * FROM alert_rules WHERE rule_id = ?", (rule_id,)).fetchone()
        if row is None or (user.role is not Role.ADMIN and row["owner"] != user.username):
            raise RuleError(f"no alert rule {rule_id}")
        return _rule(row)

    def delete(self, user: User, rule_id: int) -> None:
        rule = self.get(user, rule_id)
        with self.store.connect() as db:
            db.execute("DELETE FROM alert_rules WHERE rule_id = ?", (rule.rule_id,))

    def set_enabled(self, user: User, rule_id: int, enabled: bool) -> Rule:
        rule = self.get(user, rule_id)
        with self.store.connect() as db:
            db.execute("UPDATE alert_rules SET enabled = ? WHERE rule_id = ?", (int(enabled), rule.rule_id))
        return self.get(user, rule_id)

    def reconcile(self, rule_id: int, keys: set[str]) -> tuple[set[str], set[str]]:
        """Make ``keys`` the rule's current conditions; return (new ones, cleared ones).

        A condition that clears is forgotten, so if it comes back it is new again.
        """
        with self.store.connect() as db:
            active = {row[0] for row in db.execute(
                "SELECT condition_key FROM alert_conditions WHERE rule_id = ?", (rule_id,))}
            new, cleared = keys - active, active - keys
            db.executemany("DELETE FROM alert_conditions WHERE rule_id = ? AND condition_key = ?",
                           [(rule_id, key) for key in cleared])
            now = timestamp()
            db.executemany("INSERT INTO alert_conditions (rule_id, condition_key, since) VALUES (?, ?, ?)",
                           [(rule_id, key, now) for key in new])
        return new, cleared

    def active(self, rule_id: int) -> set[str]:
        with self.store.connect() as db:
            return {row[0] for row in db.execute(
                "SELECT condition_key FROM alert_conditions WHERE rule_id = ?", (rule_id,))}

    def record(self, rule: Rule, conditions: list[Condition], links: list[str], trigger: str,
               delivery: dict) -> None:
        now = timestamp()
        with self.store.connect() as db:
            db.executemany(
                "INSERT INTO alert_events (rule_id, fired_at, condition_key, subject, message, link, trigger, "
                "delivery) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(rule.rule_id, now, c.key, c.subject, c.message, link, trigger, json.dumps(delivery))
                 for c, link in zip(conditions, links)])

    def events(self, user: User | None = None, limit: int = 100, offset: int = 0) -> list[AlertEvent]:
        """The history of alerts, newest first: ``user``'s (an admin's: everyone's)."""
        sql = ("SELECT e.*, r.name AS rule_name, r.owner FROM alert_events e "
               "JOIN alert_rules r ON r.rule_id = e.rule_id")
        args: list = []
        if user is not None and user.role is not Role.ADMIN:
            sql += " WHERE r.owner = ?"
            args.append(user.username)
        sql += " ORDER BY e.event_id DESC LIMIT ? OFFSET ?"
        with self.store.connect() as db:
            rows = db.execute(sql, [*args, limit, offset]).fetchall()
        return [AlertEvent(event_id=r["event_id"], rule_id=r["rule_id"], rule_name=r["rule_name"], owner=r["owner"],
                           fired_at=r["fired_at"], condition_key=r["condition_key"], subject=r["subject"],
                           message=r["message"], link=r["link"], trigger=r["trigger"],
                           delivery=json.loads(r["delivery"])) for r in rows]
