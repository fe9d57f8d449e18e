"""Users, roles, sessions, API tokens, saved views, the audit log and each user's scope.

:class:`Auth` bundles them over one application database (see :mod:`.store`).
:func:`scope_for` turns a user into the :class:`~marginscope.metrics.filters.Scope`
the metrics layer applies, so pages, the API, exports and alerts all honour it.
"""

from __future__ import annotations

from pathlib import Path

from marginscope.auth.audit import AuditLog
from marginscope.auth.ratelimit import LoginLimiter
from marginscope.auth.saved_views import SavedView, SavedViews, ViewError
from marginscope.auth.sessions import Session, Sessions
from marginscope.auth.store import AppStore
from marginscope.auth.tokens import ApiTokens, TokenInfo
from marginscope.auth.users import Role, User, UserError, Users
from marginscope.metrics.filters import EVERYTHING, Scope


class Auth:
    """Everything about users over the application database at ``path``."""

    def __init__(self, path: str | Path):
        self.store = AppStore(path)
        self.users = Users(self.store)
        self.sessions = Sessions(self.store)
        self.tokens = ApiTokens(self.store)
        self.views = SavedViews(self.store)
        self.audit = AuditLog(self.store)

    @classmethod
    def open(cls, path: str | Path | None = None) -> Auth:
        from marginscope.config import get_settings
        return cls(path or get_settings().app_db)


def scope_for(user: User, metrics) -> Scope:
    """The customers ``user`` may see, as a metrics :class:`Scope`.

    Admins and analysts see everything; a rep the customers they own; a manager the
    customers owned by the reps of their team (see :mod:`.users`).
    """
    if user.sees_everything:
        return EVERYTHING
    if user.role is Role.REP:
        return Scope(metrics.catalog.owned_customers(reps=[user.rep_id]))
    return Scope(metrics.catalog.owned_customers(manager=user.manager))


__all__ = ["ApiTokens", "AppStore", "AuditLog", "Auth", "LoginLimiter", "Role", "SavedView", "SavedViews", "Session",
           "Sessions", "TokenInfo", "User", "UserError", "Users", "ViewError", "scope_for"]
