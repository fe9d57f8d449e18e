"""Who is asking: the signed-in user of the current request, and the scope they see.

The authentication middleware sets :data:`current` for the duration of a request;
Dash callbacks (in worker threads, which inherit the request's context) and API
routes read it. The scope is computed where it is used, off the event loop, and
cached by the metrics layer per data version.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field

from marginscope.auth import User, scope_for
from marginscope.metrics.filters import Scope


@dataclass
class Principal:
    user: User
    csrf_token: str | None = None  # None for API-token requests, which carry no cookies
    token_id: str | None = None
    _scopes: dict = field(default_factory=dict, repr=False)

    def scope(self, metrics) -> Scope:
        """The customers this user may see in ``metrics`` (looked up once per request)."""
        if id(metrics) not in self._scopes:
            self._scopes[id(metrics)] = scope_for(self.user, metrics)
        return self._scopes[id(metrics)]


current: ContextVar[Principal | None] = ContextVar("marginscope_principal", default=None)


def require() -> Principal:
    """The current principal; a request without one never gets this far (the middleware refuses it)."""
    principal = current.get()
    if principal is None:
        raise PermissionError("no signed-in user in this context")
    return principal
