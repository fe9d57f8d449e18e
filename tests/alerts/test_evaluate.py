"""Alerts fire once per new condition, go out by email, Slack and Teams, and are recorded.

The email goes to a real SMTP server (aiosmtpd) and the webhooks to a real HTTP server,
both on 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from marginscope.alerts import AlertEvaluator, AlertStore, Channels, RuleError
from marginscope.alerts.channels import Message, check_channels, deliver
from marginscope.config import Settings
from tests.alerts.conftest import AS_OF
from tests.live_server import free_port


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, inbox
    controller.stop()


@pytest.fixture
def webhooks():
    """An HTTP server on 127.0.0.1 keeping what is posted to it, by path; /broken answers 500."""
    received: dict[str, list] = {}

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.setdefault(self.path, []).append(body)
            self.send_response(500 if self.path == "/broken" else 200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", received
    server.shutdown()


def settings(smtp_port: int | None = None) -> Settings:
    return Settings(smtp_host="127.0.0.1" if smtp_port else None, smtp_port=smtp_port or 25,
                    smtp_from="alerts@marginscope.test", alert_webhook_hosts=["127.0.0.1"],
                    base_url="https://ms.example.test/")


def test_a_condition_fires_once_then_again_only_after_it_cleared(ms, auth):
    evaluator = AlertEvaluator(ms, auth, settings())
    evaluator.store.add(auth.users.get("boss"), "Late", "receivables_overdue", {"days": 30}, "", Channels())
    first = evaluator.run(as_of=AS_OF)[0]
    assert [c.key for c in first.fired] == ["I10"]
    assert evaluator.run(as_of=AS_OF)[0].fired == []  # still overdue: no repeat
    # On 15 June I10 is 26 days past due: the condition clears...
    cleared = evaluator.run(as_of=dt.date(2026, 6, 15))[0]
    assert (cleared.fired, cleared.cleared) == ([], 1)
    # ...so when it is back, it is new again.
    assert [c.key for c in evaluator.run(as_of=AS_OF)[0].fired] == ["I10"]
    history = evaluator.store.events(auth.users.get("boss"))
    assert [(e.condition_key, e.trigger) for e in history] == [("I10", "schedule"), ("I10", "schedule")]
    assert history[0].link == "https://ms.example.test/customer/C1"


def test_new_conditions_join_the_ones_already_seen(ms, auth):
    evaluator = AlertEvaluator(ms, auth, settings())
    evaluator.store.add(auth.users.get("boss"), "Late", "receivables_overdue", {"days": 20}, "", Channels())
    # 20 June: I10 is 31 days past due, I11 16; 30 June: I10 41, I11 26, so I11 is the only new one.
    assert [c.key for c in evaluator.run(as_of=dt.date(2026, 6, 20))[0].fired] == ["I10"]
    assert [c.key for c in evaluator.run(as_of=AS_OF)[0].fired] == ["I11"]


def test_delivered_by_email_slack_and_teams(ms, auth, smtp, webhooks):
    port, inbox = smtp
    base, received = webhooks
    evaluator = AlertEvaluator(ms, auth, settings(port))
    evaluator.store.add(auth.users.get("boss"), "Low margins", "customer_margin", {"below": 0.60},
                        "?region=North&region=South",
                        Channels(emails=("fin@example.test", "cfo@example.test"), slack=f"{base}/slack",
                                 teams=f"{base}/teams"))
    outcome = evaluator.run("load", AS_OF)[0]
    assert outcome.delivery == {"email": "sent", "slack": "sent", "teams": "sent"}

    (recipients, mail), = inbox.messages
    assert recipients == ["fin@example.test", "cfo@example.test"]
    assert mail["Subject"] == "marginscope alert: Low margins (2 new)"
    body = mail.get_payload(decode=True).decode().replace("\r\n", "\n")
    # C1 at 5.0% (the worst first), then C2: revenue 250, GP 130 -> 52.0%; links keep the rule's filters.
    assert body.index("Acme: contribution margin 5.0%") < body.index("Globex: contribution margin 52.0%")
    assert "https://ms.example.test/customer/C1?region=North&region=South" in body
    assert "52.0% over the 90 days to 2026-06-30 (revenue 250.00, contribution 130.00), below 60.0%.\n" in body

    (slack,), (teams,) = received["/slack"], received["/teams"]
    assert slack["text"].startswith("*marginscope alert: Low margins (2 new)*")
    assert "<https://ms.example.test/customer/C2?region=North&region=South|open>" in slack["text"]
    assert teams["@type"] == "MessageCard" and teams["title"] == "marginscope alert: Low margins (2 new)"
    assert "Globex: contribution margin 52.0%" in teams["text"]

    events = evaluator.store.events(auth.users.get("boss"))
    assert {e.condition_key for e in events} == {"C1", "C2"}
    assert all(e.delivery == {"email": "sent", "slack": "sent", "teams": "sent"} and e.trigger == "load"
               for e in events)


def test_a_failed_channel_is_recorded_and_the_others_still_go(ms, auth, webhooks):
    base, received = webhooks
    evaluator = AlertEvaluator(ms, auth, settings())  # no SMTP server set
    evaluator.store.add(auth.users.get("boss"), "Late", "receivables_overdue", {"days": 30}, "",
                        Channels(emails=("fin@example.test",), slack=f"{base}/broken", teams=f"{base}/teams"))
    outcome = evaluator.run(as_of=AS_OF)[0]
    assert outcome.delivery["email"].startswith("failed: RuntimeError: no SMTP server is set")
    assert outcome.delivery["slack"].startswith("failed: HTTPError")
    assert outcome.delivery["teams"] == "sent" and len(received["/teams"]) == 1
    assert evaluator.store.events(auth.users.get("boss"))[0].delivery == outcome.delivery


def test_a_broken_rule_does_not_stop_the_others(ms, auth):
    evaluator = AlertEvaluator(ms, auth, settings())
    boss = auth.users.get("boss")
    broken = evaluator.store.add(boss, "Broken", "receivables_overdue", {"days": 30}, "", Channels())
    with evaluator.store.store.connect() as db:  # a rule whose saved parameters no longer parse
        db.execute("UPDATE alert_rules SET params = ? WHERE rule_id = ?", ('{"days": "many"}', broken.rule_id))
    evaluator.store.add(boss, "Late", "receivables_overdue", {"days": 30}, "", Channels())
    outcomes = {o.rule.name: o for o in evaluator.run(as_of=AS_OF)}
    assert "days" in outcomes["Broken"].error
    assert [c.key for c in outcomes["Late"].fired] == ["I10"]


def test_paused_rules_are_not_evaluated(ms, auth):
    evaluator = AlertEvaluator(ms, auth, settings())
    boss = auth.users.get("boss")
    rule = evaluator.store.add(boss, "Late", "receivables_overdue", {"days": 30}, "", Channels())
    evaluator.store.set_enabled(boss, rule.rule_id, False)
    assert evaluator.run(as_of=AS_OF) == []


def test_webhooks_only_go_to_allowed_hosts(auth):
    store = AlertStore(auth.store, ("hooks.slack.com", "*.webhook.office.com"))
    boss = auth.users.get("boss")
    for channels in (Channels(slack="http://127.0.0.1:8050/api/v1/ingest/payments"),
                     Channels(teams="https://evil.example.com/webhook.office.com"),
                     Channels(slack="file:///etc/passwd")):
        with pytest.raises(RuleError, match="is not an allowed webhook address"):
            store.add(boss, "Exfiltrate", "segment_slip", {}, "", channels)
    rule = store.add(boss, "Ok", "segment_slip", {}, "",
                     Channels(slack="https://hooks.slack.com/services/T/B/X",
                              teams="https://acme.webhook.office.com/webhookb2/x"))
    assert rule.channels.slack.startswith("https://hooks.slack.com/")
    with pytest.raises(RuleError, match="'not an address' is not an email address"):
        store.add(boss, "Mail", "segment_slip", {}, "", Channels(emails=("not an address",)))


def test_users_see_and_change_only_their_own_rules(auth):
    store = AlertStore(auth.store, ())
    ann, bob, boss = (auth.users.get(name) for name in ("ann", "bob", "boss"))
    rule = store.add(ann, "Mine", "segment_slip", {}, "", Channels())
    assert [r.name for r in store.rules(ann)] == ["Mine"] and store.rules(bob) == []
    assert [r.name for r in store.rules(boss)] == ["Mine"]  # an admin sees every rule
    for attempt in (lambda: store.get(bob, rule.rule_id), lambda: store.delete(bob, rule.rule_id),
                    lambda: store.set_enabled(bob, rule.rule_id, False)):
        with pytest.raises(RuleError, match=f"no alert rule {rule.rule_id}"):
            attempt()
    with pytest.raises(RuleError, match="already have a rule named 'Mine'"):
        store.add(ann, "Mine", "segment_slip", {}, "", Channels())


def test_webhooks_need_https_but_for_this_machines_own_receivers(auth):
    hosts = ("hooks.slack.com", "127.0.0.1", "localhost")
    with pytest.raises(RuleError) as refused:
        check_channels(Channels(slack="http://hooks.slack.com/services/T/B/X"), hosts)
    assert str(refused.value) == ("slack: http://hooks.slack.com/services/T/B/X must use https (plain http only "
                                  "to 127.0.0.1, ::1 or localhost): alerts carry customers' figures")
    local = check_channels(Channels(slack="http://127.0.0.1:9/hook", teams="http://localhost:9/hook"), hosts)
    assert (local.slack, local.teams) == ("http://127.0.0.1:9/hook", "http://localhost:9/hook")
    # A rule saved before https was required is refused when it would post, not sent in the clear.
    outcome = deliver(Channels(teams="http://hooks.slack.com/services/T/B/X"), Message("t", []), settings())
    assert outcome == {"teams": "failed: RuleError: http://hooks.slack.com/services/T/B/X must use https (plain "
                                "http only to 127.0.0.1, ::1 or localhost): alerts carry customers' figures"}
