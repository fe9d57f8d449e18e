"""Sign in and sign out: a plain HTML form, so it works before any script has loaded.

- The sign-in form is protected against CSRF by a random token in a cookie and a
  hidden field that must match (double submit); a successful sign-in always starts
  a new session (no fixation) with a new CSRF token.
- Failed sign-ins make the next attempt of that user name from that address wait, longer
  with each failure, and too many from one address (over all names) make the address wait
  (:mod:`marginscope.auth.ratelimit`); while waiting the form answers 429 with ``Retry-After``.
  The address is the connection's peer unless it is a trusted proxy (``client_address``).
- Every sign-in, failure and sign-out is written to the audit log.
"""

from __future__ import annotations

import html
import secrets
from urllib.parse import parse_qs

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from marginscope.api.middleware import CSRF_COOKIE, SESSION_COOKIE, client_address, identify
from marginscope.auth import Auth, LoginLimiter
from marginscope.config import get_settings

STYLE = """
body { margin: 0; font-family: Inter, "Segoe UI", Helvetica, Arial, sans-serif; background: #f4f6f9; color: #1d2733; }
.box { max-width: 360px; margin: 12vh auto; background: white; border: 1px solid #dde3ea; border-radius: 6px;
       padding: 24px 28px; }
h1 { font-size: 20px; margin: 0 0 4px; color: #1f4e79; } p { color: #5b6776; font-size: 13px; }
label { display: block; font-size: 12px; color: #5b6776; margin: 14px 0 4px; }
input { width: 100%; box-sizing: border-box; padding: 8px 10px; font-size: 14px; border: 1px solid #c5ced8;
        border-radius: 4px; }
button { margin-top: 18px; width: 100%; padding: 9px; background: #1f4e79; color: white; border: 0;
         border-radius: 4px; font-size: 14px; cursor: pointer; }
.error { color: #c0392b; font-size: 13px; margin-top: 12px; } code { background: #eef2f6; padding: 1px 4px; }
"""


def safe_next(target: str | None) -> str:
    """Only a path of this site: never another origin (``//evil``, ``https://evil``).

    Examples
    --------
    >>> safe_next("/customer/C1?start=2026-01-01"), safe_next("//evil.example"), safe_next("https://x")
    ('/customer/C1?start=2026-01-01', '/', '/')
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def secure(request: Request) -> bool:
    """Whether cookies are marked Secure: as configured, else when the request came over HTTPS.

    Behind a proxy the scheme is HTTPS when a trusted proxy's ``X-Forwarded-Proto`` says so
    (the server decides, see :func:`marginscope.server.proxy_options`); nobody else's header counts.
    """
    configured = get_settings().secure_cookies
    if configured is not None:
        return configured
    return request.url.scheme == "https"


def in_words(seconds: int) -> str:
    """A wait as the sign-in page says it.

    Examples
    --------
    >>> in_words(1), in_words(30), in_words(60), in_words(61), in_words(900)
    ('1 second', '30 seconds', '1 minute', '2 minutes', '15 minutes')
    """
    if seconds < 60:
        return f"{seconds} second{'' if seconds == 1 else 's'}"
    minutes = -(-seconds // 60)  # rounded up: never tell someone to come back too early
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


def _page(message: str = "", next_path: str = "/", csrf: str = "", no_users: bool = False) -> str:
    if no_users:
        body = ("<p>No users yet. Create the first admin on the server's machine:</p>"
                "<p><code>marginscope users add NAME --role admin</code></p>"
                "<p>or start the server with <code>MARGINSCOPE_ADMIN_USER</code> and "
                "<code>MARGINSCOPE_ADMIN_PASSWORD</code> set.</p>")
    else:
        error = f'<div class="error" role="alert">{html.escape(message)}</div>' if message else ""
        body = f"""<p>Sign in to see your customers, reps and products.</p>
<form method="post" action="/login">
<input type="hidden" name="csrf_token" value="{html.escape(csrf)}">
<input type="hidden" name="next" value="{html.escape(next_path)}">
<label for="username">User name</label><input id="username" name="username" autocomplete="username" required autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>{error}</form>"""
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in · marginscope</title>'
            '<meta name="viewport" content="width=device-width"><link rel="icon" href="data:,">'
            f'<style>{STYLE}</style></head>'
            f'<body><div class="box"><h1>marginscope</h1>{body}</div></body></html>')


def router(auth: Auth, limiter: LoginLimiter) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    def form_page(request: Request, message: str = "", status: int = 200, next_path: str = "/",
                  headers: dict | None = None) -> Response:
        csrf = secrets.token_urlsafe(24)
        response = HTMLResponse(_page(message, next_path, csrf, no_users=auth.users.count() == 0), status,
                                headers=headers)
        response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict", secure=secure(request))
        return response

    @routes.get("/login")
    def login_form(request: Request, next: str = "/") -> Response:
        return form_page(request, next_path=safe_next(next))

    @routes.post("/login")
    async def login(request: Request) -> Response:
        form = {k: v[-1] for k, v in parse_qs((await request.body()).decode(errors="replace")).items()}
        username, password = form.get("username", "").strip(), form.get("password", "")
        next_path = safe_next(form.get("next"))
        client = client_address(request) or "unknown"
        if not form.get("csrf_token") or form.get("csrf_token") != request.cookies.get(CSRF_COOKIE):
            return form_page(request, "The form expired; please sign in again.", 400, next_path)
        wait = limiter.retry_after(username, client)
        if wait is not None:
            return form_page(request, f"Too many failed attempts; try again in {in_words(wait)}.", 429,
                             next_path, headers={"Retry-After": str(wait)})
        user = await anyio.to_thread.run_sync(auth.users.authenticate, username, password)
        if user is None:
            limiter.failed(username, client)
            auth.audit.record("login_failed", username or None, client)
            return form_page(request, "Wrong user name or password.", 401, next_path)
        limiter.succeeded(username, client)
        auth.sessions.end(request.cookies.get(SESSION_COOKIE))  # a new session at every sign-in
        token, csrf = auth.sessions.create(user.username, get_settings().session_hours)
        auth.audit.record("login", user.username, client)
        response = RedirectResponse(next_path, status_code=303)
        max_age = int(get_settings().session_hours * 3600)
        response.set_cookie(SESSION_COOKIE, token, max_age=max_age, httponly=True, samesite="lax",
                            secure=secure(request))
        # Readable by the page's scripts: Dash's renderer echoes it in the X-CSRFToken header.
        response.set_cookie(CSRF_COOKIE, csrf, max_age=max_age, httponly=False, samesite="strict",
                            secure=secure(request))
        return response

    @routes.post("/logout")
    async def logout(request: Request) -> Response:
        form = {k: v[-1] for k, v in parse_qs((await request.body()).decode(errors="replace")).items()}
        who = identify(auth, request)
        if who is None or who.csrf_token is None or form.get("csrf_token") != who.csrf_token:
            return Response("missing or wrong CSRF token", status_code=403)
        auth.sessions.end(request.cookies.get(SESSION_COOKIE))
        auth.audit.record("logout", who.user.username, client_address(request))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        response.delete_cookie(CSRF_COOKIE)
        return response

    return routes
