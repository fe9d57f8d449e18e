"""Where alerts go: email over SMTP, and Slack or Microsoft Teams incoming webhooks.

Webhook addresses are checked against an allow-list of hosts (setting
``alert_webhook_hosts``), so that a rule cannot make the server post data to any
address a user types, such as a service on the server's own network. They must use
https, since alerts carry customers' figures; plain http is allowed only to this
machine (127.0.0.1, ::1, localhost), for a local relay or a test receiver.
A delivery that fails is recorded with its reason; it never stops the other channels
or the other rules.
"""

from __future__ import annotations

import fnmatch
import json
import re
import smtplib
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from urllib.parse import urlsplit

from marginscope.alerts.rules import RuleError

EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
TIMEOUT_SECONDS = 10
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


@dataclass(frozen=True)
class Channels:
    """Recipients of a rule's alerts."""

    emails: tuple[str, ...] = ()
    slack: str | None = None
    teams: str | None = None

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "emails": list(self.emails)})

    @classmethod
    def from_json(cls, text: str) -> Channels:
        data = json.loads(text)
        return cls(emails=tuple(data.get("emails") or ()), slack=data.get("slack"), teams=data.get("teams"))

    @property
    def empty(self) -> bool:
        return not (self.emails or self.slack or self.teams)


def _allowed(url: str, hosts: tuple[str, ...] | None) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return False
    return any(fnmatch.fnmatch(parts.hostname.lower(), pattern.lower()) for pattern in (hosts or ()))


def cleartext_problem(url: str) -> str | None:
    """Why ``url`` may not carry alerts (plain http off this machine), or ``None``.

    Examples
    --------
    >>> cleartext_problem("https://hooks.slack.com/x") is None, cleartext_problem("http://localhost:9/x") is None
    (True, True)
    >>> print(cleartext_problem("http://hooks.slack.com/x"))
    http://hooks.slack.com/x must use https (plain http only to 127.0.0.1, ::1 or localhost):
    alerts carry customers' figures
    """
    parts = urlsplit(url)
    if parts.scheme != "http" or (parts.hostname or "").lower() in LOOPBACK_HOSTS:
        return None
    return (f"{url} must use https (plain http only to {', '.join(LOOPBACK_HOSTS[:-1])} or {LOOPBACK_HOSTS[-1]}): "
            "alerts carry customers' figures")


def check_channels(channels: Channels, webhook_hosts: tuple[str, ...] | None = None) -> Channels:
    """``channels`` tidied, or :class:`RuleError` naming the bad address.

    Examples
    --------
    >>> check_channels(Channels(emails=(" ann@example.com ",))).emails
    ('ann@example.com',)
    >>> check_channels(Channels(slack="https://10.0.0.5/admin"), ("hooks.slack.com",))
    Traceback (most recent call last):
    ...
    marginscope.alerts.rules.RuleError: slack: https://10.0.0.5/admin is not an allowed webhook address
    (allowed hosts: hooks.slack.com)
    """
    if webhook_hosts is None:
        from marginscope.config import get_settings
        webhook_hosts = tuple(get_settings().alert_webhook_hosts)
    emails = tuple(dict.fromkeys(e.strip() for e in channels.emails if e and e.strip()))
    for address in emails:
        if not EMAIL.match(address):
            raise RuleError(f"emails: {address!r} is not an email address")
    hooks = {}
    for name in ("slack", "teams"):
        url = (getattr(channels, name) or "").strip() or None
        if url and (problem := cleartext_problem(url)):
            raise RuleError(f"{name}: {problem}")
        if url and not _allowed(url, webhook_hosts):
            raise RuleError(f"{name}: {url} is not an allowed webhook address (allowed hosts: "
                            f"{', '.join(webhook_hosts) or 'none'})")
        hooks[name] = url
    return Channels(emails=emails, **hooks)


@dataclass(frozen=True)
class Message:
    title: str
    lines: list[tuple[str, str]]  # (text, link)

    def text(self) -> str:
        return "\n".join([self.title, "", *[f"- {text}\n  {link}" for text, link in self.lines]])

    def slack(self) -> dict:
        items = "\n".join(f"• {text} <{link}|open>" for text, link in self.lines)
        return {"text": f"*{self.title}*\n{items}"}

    def teams(self) -> dict:
        items = "\n\n".join(f"- {text} [open]({link})" for text, link in self.lines)
        return {"@type": "MessageCard", "@context": "https://schema.org/extensions", "summary": self.title,
                "title": self.title, "text": items}


def send_email(recipients: tuple[str, ...], message: Message, settings) -> None:
    if not settings.smtp_host:
        raise RuntimeError("no SMTP server is set (MARGINSCOPE_SMTP_HOST)")
    mail = EmailMessage()
    mail["Subject"], mail["From"], mail["To"] = message.title, settings.smtp_from, ", ".join(recipients)
    mail.set_content(message.text())
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password or "")
        smtp.send_message(mail)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect would lead past the allow-list of webhook hosts, so it is refused."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise urllib.error.HTTPError(req.full_url, code, f"redirected to {newurl}; not followed", headers, fp)


_opener = urllib.request.build_opener(_NoRedirects)


def post_json(url: str, payload: dict) -> None:
    if problem := cleartext_problem(url):  # a rule saved before https was required
        raise RuleError(problem)
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
        if not 200 <= response.status < 300:
            raise RuntimeError(f"the webhook answered {response.status}")


def deliver(channels: Channels, message: Message, settings) -> dict[str, str]:
    """Send ``message`` on every channel; per channel, ``sent`` or ``failed: reason``."""
    outcome: dict[str, str] = {}
    attempts = []
    if channels.emails:
        attempts.append(("email", lambda: send_email(channels.emails, message, settings)))
    if slack := channels.slack:
        attempts.append(("slack", lambda: post_json(slack, message.slack())))
    if teams := channels.teams:
        attempts.append(("teams", lambda: post_json(teams, message.teams())))
    for name, attempt in attempts:
        try:
            attempt()
            outcome[name] = "sent"
        except Exception as exc:  # a mail server or webhook down must not stop the others
            outcome[name] = f"failed: {type(exc).__name__}: {exc}"
    return outcome
