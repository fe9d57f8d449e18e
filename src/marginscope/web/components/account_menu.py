"""The header's right side: saved views (open, save, rename, share, make default or none, delete),
exports of the current view, and the signed-in user with a sign-out button.

A saved view is a page and its query string; opening one navigates to it, and it is
drawn through the opener's own scope (see :mod:`marginscope.auth.saved_views`).
"""

from __future__ import annotations

from urllib.parse import urlencode

from dash import Input, Output, State, ctx, dcc, html, no_update

from marginscope.auth import Auth, ViewError

ACTIONS = {"views-save": "save", "views-rename": "rename", "views-share": "share", "views-unshare": "unshare",
           "views-default": "default", "views-no-default": "no default", "views-delete": "delete"}
EXPORTS = (("pdf", "PDF"), ("xlsx", "Excel workbook"), ("csv", "CSV (a ZIP when the page has several tables)"))


def export_href(kind: str, pathname: str | None, search: str | None) -> str:
    """The download link of the current view in one format.

    Examples
    --------
    >>> export_href("xlsx", "/team", "?region=North")
    '/export/xlsx?page=%2Fteam&region=North'
    """
    query = (search or "").lstrip("?")
    return f"/export/{kind}?{urlencode({'page': pathname or '/'})}" + (f"&{query}" if query else "")


def menu(principal) -> html.Div:
    """The controls; ``principal`` is the signed-in user (``None`` only outside a request)."""
    if principal is None:
        return html.Div(className="ms-account")
    user = principal.user
    panel = html.Div(id="views-panel", className="ms-views-panel", style={"display": "none"}, children=[
        html.Label("Saved views", htmlFor="views-pick"),
        dcc.Dropdown(id="views-pick", options=[], placeholder="Pick a view", clearable=True),
        html.Div([html.Button("Open", id="views-open", className="ms-button ms-small", n_clicks=0),
                  html.Button("Make default", id="views-default", className="ms-button ms-small", n_clicks=0),
                  html.Button("No default", id="views-no-default", className="ms-button ms-small", n_clicks=0,
                              title="Open marginscope on the Overview, not on a saved view"),
                  html.Button("Share", id="views-share", className="ms-button ms-small", n_clicks=0),
                  html.Button("Unshare", id="views-unshare", className="ms-button ms-small", n_clicks=0),
                  html.Button("Delete", id="views-delete", className="ms-button ms-small", n_clicks=0)],
                 className="ms-views-actions"),
        html.Label("Name", htmlFor="views-name"),
        dcc.Input(id="views-name", type="text", maxLength=80, placeholder="e.g. North, this quarter",
                  className="ms-input"),
        dcc.Checklist(id="views-shared", options=[{"label": " share with everyone", "value": "shared"}], value=[]),
        html.Div([html.Button("Save this view", id="views-save", className="ms-button ms-small", n_clicks=0),
                  html.Button("Rename picked", id="views-rename", className="ms-button ms-small", n_clicks=0)],
                 className="ms-views-actions"),
        html.Div(id="views-message", className="ms-note", role="status"),
    ])
    # A menu rather than three buttons: the header holds the whole navigation on one line at 1366 px.
    exports = html.Details([html.Summary("Export", className="ms-button ms-small"), html.Div([
        html.A(label, id=f"export-{kind}", href=export_href(kind, "/", ""), className="ms-export")
        for kind, label in EXPORTS], className="ms-menu-items")], className="ms-menu ms-exports")
    sign_out = html.Form([
        html.Span(user.username, className="ms-user", title=f"signed in as {user.username} ({user.role.value})"),
        dcc.Input(type="hidden", name="csrf_token", value=principal.csrf_token or ""),
        html.Button("Sign out", type="submit", className="ms-button ms-small ms-signout"),
    ], method="post", action="/logout", className="ms-signout-form")
    return html.Div([html.Button("Views", id="views-toggle", className="ms-button ms-small", n_clicks=0),
                     panel, exports, sign_out], className="ms-account")


def _label(view, username: str) -> str:
    mark = " ★ default" if view.is_default and view.owner == username else ""
    owner = "" if view.owner == username else f" (shared by {view.owner})"
    shared = " · shared" if view.shared and view.owner == username else ""
    return f"{view.name}{owner}{shared}{mark}"


def register(app, auth: Auth, signed_in) -> None:
    """The callbacks of the menu; ``signed_in(function, *args)`` runs ``function(principal, *args)`` off the loop."""

    def options(username: str, views) -> list[dict]:
        return [{"label": _label(v, username), "value": v.view_id} for v in views]

    def act(principal, action, name, shared, picked, pathname, search):
        user, views = principal.user, auth.views
        message = ""
        try:
            if action == "save":
                saved = views.save(user, name or "", pathname or "/", search or "", shared=bool(shared))
                auth.audit.record("view_saved", user.username, view_id=saved.view_id, url=saved.url)
                message = f"Saved “{saved.name}”."
            elif action == "no default":
                views.set_default(user, None)
                message = "No view opens by itself now: marginscope opens on the Overview."
            elif action is not None and picked is None:
                message = "Pick a view first."
            elif action == "rename":
                message = f"Renamed to “{views.rename(user, picked, name or '').name}”."
            elif action in ("share", "unshare"):
                view = views.share(user, picked, action == "share")
                message = f"“{view.name}” is {'shared with everyone' if view.shared else 'private'}."
            elif action == "default":
                views.set_default(user, picked)
                message = "This view now opens when you come to marginscope."
            elif action == "delete":
                views.delete(user, picked)
                auth.audit.record("view_deleted", user.username, view_id=picked)
                message = "Deleted."
        except ViewError as exc:
            message = str(exc)
        return options(user.username, views.visible(user)), message

    @app.callback(Output("views-pick", "options"), Output("views-message", "children"),
                  Output("views-panel", "style"),
                  Input("views-toggle", "n_clicks"), *[Input(button, "n_clicks") for button in ACTIONS],
                  State("views-name", "value"), State("views-shared", "value"), State("views-pick", "value"),
                  State("url", "pathname"), State("url", "search"), State("views-panel", "style"),
                  prevent_initial_call=True)
    async def manage_views(*args):
        name, shared, picked, pathname, search, style = args[-6:]
        if ctx.triggered_id == "views-toggle":
            showing = (style or {}).get("display") != "none"
            listed, _ = await signed_in(act, None, name, shared, picked, pathname, search)
            return listed, "", {"display": "none" if showing else "block"}
        listed, message = await signed_in(act, ACTIONS[ctx.triggered_id], name, shared, picked, pathname, search)
        return listed, message, no_update

    def location(principal, picked):
        return auth.views.get(principal.user, picked)

    @app.callback(Output("url", "pathname", allow_duplicate=True), Output("url", "search", allow_duplicate=True),
                  Output("views-message", "children", allow_duplicate=True),
                  Input("views-open", "n_clicks"), State("views-pick", "value"), prevent_initial_call=True)
    async def open_view(_clicks, picked):
        if picked is None:
            return no_update, no_update, "Pick a view first."
        try:
            view = await signed_in(location, picked)
        except ViewError as exc:
            return no_update, no_update, str(exc)
        return view.path, view.search, ""

    @app.callback(*[Output(f"export-{kind}", "href") for kind, _ in EXPORTS],
                  Input("url", "pathname"), Input("url", "search"))
    def export_links(pathname, search):
        return [export_href(kind, pathname, search) for kind, _ in EXPORTS]
