"""Login rate limiting: after too many failures for one user name or one client, wait."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque


class LoginLimiter:
    """At most ``attempts`` failed logins per key within ``window`` seconds.

    Examples
    --------
    >>> clock = iter(range(100)).__next__
    >>> limiter = LoginLimiter(attempts=2, window=10, clock=clock)
    >>> limiter.failed("ana"); limiter.failed("ana")
    >>> limiter.retry_after("ana")
    8
    >>> limiter.retry_after("bob") is None
    True
    """

    def __init__(self, attempts: int = 5, window: float = 900, clock=time.monotonic):
        self.attempts, self.window, self.clock = attempts, window, clock
        self._failures: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque:
        failures = self._failures[key]
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def retry_after(self, *keys: str) -> int | None:
        """Seconds to wait before another attempt for any of ``keys``; ``None`` when allowed."""
        with self._lock:
            now = self.clock()
            waits = [self._recent(key, now)[0] + self.window - now for key in keys
                     if len(self._recent(key, now)) >= self.attempts]
        return max(1, int(max(waits))) if waits else None

    def failed(self, *keys: str) -> None:
        with self._lock:
            now = self.clock()
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
