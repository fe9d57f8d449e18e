"""Sign-in limits: a growing wait per user name and address, and a looser cap per address.

- Per (user name, address) pair: the first ``attempts`` failures are free; after that each
  failure makes the next attempt from that address for that name wait ``backoff`` seconds,
  doubling with each further failure up to ``max_wait``. Only that pair waits: the same user
  signs in from another address, and colleagues behind the same address sign in as themselves.
  A pair is forgotten ``window`` seconds after its wait is over, or when it signs in.
- Per address, across all user names: at most ``address_attempts`` failures within ``window``
  seconds (a sliding window), against one address trying a common password on many names.
  Signing in does not clear it, so one known account buys a sprayer no more guesses.

Only failures are remembered, and never more than ``max_keys`` pairs and ``max_keys``
addresses (the longest untouched go first); expired ones are swept out once per ``window``.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Backoff:
    """The failures of one (user name, address) pair and when the last one was."""

    failures: int
    last: float


class LoginLimiter:
    """Waits after failed sign-ins (see the module's description).

    Examples
    --------
    >>> now = [0.0]
    >>> limits = LoginLimiter(attempts=2, backoff=10, max_wait=25, window=60, clock=lambda: now[0])
    >>> limits.failed("ana", "10.0.0.1"); limits.failed("ana", "10.0.0.1")
    >>> limits.retry_after("ana", "10.0.0.1"), limits.retry_after("ana", "10.0.0.2")
    (10, None)
    >>> now[0] = 10; limits.retry_after("ana", "10.0.0.1") is None
    True
    >>> limits.failed("ana", "10.0.0.1"); limits.retry_after("ana", "10.0.0.1")
    20
    >>> now[0] = 30; limits.failed("ana", "10.0.0.1"); limits.retry_after("ana", "10.0.0.1")  # at the cap
    25
    """

    def __init__(self, attempts: int = 5, window: float = 900, backoff: float = 30, max_wait: float = 900,
                 address_attempts: int = 50, max_keys: int = 10_000, clock: Callable[[], float] = time.monotonic):
        self.attempts, self.window, self.backoff, self.max_wait = attempts, window, backoff, max_wait
        self.address_attempts, self.max_keys, self.clock = address_attempts, max_keys, clock
        self._pairs: OrderedDict[tuple[str, str], _Backoff] = OrderedDict()
        self._addresses: OrderedDict[str, deque[float]] = OrderedDict()
        self._swept = clock()
        self._lock = threading.Lock()

    @property
    def tracked(self) -> int:
        """How many pairs and addresses are remembered now (what the memory grows with)."""
        return len(self._pairs) + len(self._addresses)

    def retry_after(self, username: str, address: str) -> int | None:
        """Seconds ``username`` must wait before trying again from ``address``; ``None`` when allowed now."""
        with self._lock:
            now = self.clock()
            waits = [self._pair_wait(_pair(username, address), now), self._address_wait(address, now)]
        longest = max(waits)
        return math.ceil(longest) if longest > 0 else None

    def failed(self, username: str, address: str) -> None:
        with self._lock:
            now = self.clock()
            self._sweep(now)
            pair = _pair(username, address)
            known = self._pairs.get(pair)
            if known is None or self._expired(known, now):
                known = _Backoff(0, now)
            self._pairs[pair] = _Backoff(known.failures + 1, now)
            self._pairs.move_to_end(pair)
            recent = self._recent(address, now) or deque(maxlen=self.address_attempts)
            recent.append(now)
            self._addresses[address] = recent
            self._addresses.move_to_end(address)
            _keep_newest(self._pairs, self.max_keys)
            _keep_newest(self._addresses, self.max_keys)

    def succeeded(self, username: str, address: str) -> None:
        """Forget the pair's failures (the address's count stays: see the module's description)."""
        with self._lock:
            self._pairs.pop(_pair(username, address), None)

    def _wait(self, backoff: _Backoff) -> float:
        """How long after its last failure the pair waits: nothing, then ``backoff`` doubling to ``max_wait``."""
        if backoff.failures < self.attempts:
            return 0.0
        return min(self.backoff * 2.0 ** (backoff.failures - self.attempts), self.max_wait)

    def _expired(self, backoff: _Backoff, now: float) -> bool:
        return now >= backoff.last + self._wait(backoff) + self.window

    def _pair_wait(self, pair: tuple[str, str], now: float) -> float:
        backoff = self._pairs.get(pair)
        return 0.0 if backoff is None else backoff.last + self._wait(backoff) - now

    def _recent(self, address: str, now: float) -> deque[float] | None:
        """The address's failures within the window (``None``, and forgotten, when there are none)."""
        failures = self._addresses.get(address)
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if failures is not None and not failures:
            del self._addresses[address]
            return None
        return failures

    def _address_wait(self, address: str, now: float) -> float:
        failures = self._recent(address, now)
        if failures is None or len(failures) < self.address_attempts:
            return 0.0
        return failures[0] + self.window - now

    def _sweep(self, now: float) -> None:
        """Forget what has expired, once per window (or sooner when the cap is reached)."""
        if now - self._swept < self.window and max(len(self._pairs), len(self._addresses)) < self.max_keys:
            return
        self._swept = now
        for pair in [pair for pair, backoff in self._pairs.items() if self._expired(backoff, now)]:
            del self._pairs[pair]
        for address in list(self._addresses):
            self._recent(address, now)


def _pair(username: str, address: str) -> tuple[str, str]:
    # User names differ only by case for people, so "Ann" and "ann" share their failures.
    return username.lower(), address


def _keep_newest(remembered: OrderedDict, most: int) -> None:
    while len(remembered) > most:
        remembered.popitem(last=False)
