"""The sign-in limiter on its own clock: backoff per user name and address, a looser cap per address,
and a memory that stays bounded whatever callers send."""

from __future__ import annotations

from marginscope.auth import LoginLimiter


class Clock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def limiter(clock: Clock, **settings) -> LoginLimiter:
    return LoginLimiter(**{"attempts": 3, "backoff": 10, "max_wait": 60, "window": 300, "address_attempts": 20,
                           "max_keys": 1000, "clock": clock, **settings})


def test_after_the_free_attempts_each_failure_doubles_the_wait_up_to_the_cap():
    clock = Clock()
    limits = limiter(clock)
    waits = []
    for _ in range(7):
        limits.failed("ann", "10.0.0.1")
        waits.append(limits.retry_after("ann", "10.0.0.1"))
        clock.now += waits[-1] or 0
    # 3 free failures, then 10, 20, 40 and the cap of 60 s
    assert waits == [None, None, 10, 20, 40, 60, 60]


def test_the_wait_counts_down_and_ends():
    clock = Clock()
    limits = limiter(clock)
    for _ in range(3):
        limits.failed("ann", "10.0.0.1")
    clock.now += 4
    assert limits.retry_after("ann", "10.0.0.1") == 6
    clock.now += 6
    assert limits.retry_after("ann", "10.0.0.1") is None


def test_one_pair_waiting_holds_back_neither_the_user_elsewhere_nor_others_at_the_address():
    clock = Clock()
    limits = limiter(clock)
    for _ in range(5):
        limits.failed("ann", "10.0.0.1")
    assert limits.retry_after("ann", "10.0.0.1") == 40
    assert limits.retry_after("ann", "10.0.0.2") is None  # Ann from her own desk
    assert limits.retry_after("bob", "10.0.0.1") is None  # a colleague behind the same NAT
    assert limits.retry_after("ANN", "10.0.0.1") == 40  # user names are not case-sensitive here


def test_spraying_many_user_names_from_one_address_stops_that_address_only():
    clock = Clock()
    limits = limiter(clock, address_attempts=4)
    for name in ("ann", "bob", "cy", "dee"):
        assert limits.retry_after(name, "10.0.0.9") is None
        limits.failed(name, "10.0.0.9")
    clock.now += 100
    # the first of the four failures leaves the 300 s window in 200 s
    assert limits.retry_after("eve", "10.0.0.9") == 200
    assert limits.retry_after("eve", "10.0.0.8") is None
    clock.now += 200
    assert limits.retry_after("eve", "10.0.0.9") is None


def test_a_success_forgets_the_pairs_failures_but_not_the_addresses():
    clock = Clock()
    limits = limiter(clock, address_attempts=3)
    limits.failed("ann", "10.0.0.1")
    limits.failed("bob", "10.0.0.1")
    limits.failed("ann", "10.0.0.1")
    limits.succeeded("ann", "10.0.0.1")
    # Signing in with one known account does not buy a sprayer more guesses.
    assert limits.retry_after("cy", "10.0.0.1") == 300
    assert limits.retry_after("ann", "10.0.0.2") is None


def test_a_pair_is_forgotten_after_a_quiet_window_past_its_wait():
    clock = Clock()
    limits = limiter(clock)
    for _ in range(4):
        limits.failed("ann", "10.0.0.1")  # waits 20 s
    clock.now += 20 + 299
    limits.failed("ann", "10.0.0.1")  # still remembered: 5 failures, waits 40 s
    assert limits.retry_after("ann", "10.0.0.1") == 40
    clock.now += 40 + 300
    limits.failed("ann", "10.0.0.1")  # forgotten: this is the first failure again
    assert limits.retry_after("ann", "10.0.0.1") is None


def test_the_limiter_forgets_expired_keys_and_never_holds_more_than_its_cap():
    clock = Clock()
    limits = limiter(clock, max_keys=50, address_attempts=1000)
    for number in range(40):
        limits.failed(f"user{number}", f"10.0.1.{number}")
    assert limits.tracked == 40 + 40  # a pair and an address each
    clock.now += 301  # all of them a window old
    limits.failed("late", "10.0.2.1")
    assert limits.tracked == 2
    for number in range(500):
        limits.failed(f"user{number}", "10.0.3.1")
        limits.failed("ann", f"10.0.4.{number}")
    assert limits.tracked <= 50 + 50  # at most max_keys pairs and max_keys addresses
    # the newest are kept: the pair that failed last still waits
    for _ in range(2):
        limits.failed("ann", "10.0.4.499")
    assert limits.retry_after("ann", "10.0.4.499") == 10


def test_asking_creates_nothing():
    limits = limiter(Clock())
    for number in range(100):
        assert limits.retry_after(f"user{number}", f"10.0.0.{number}") is None
    assert limits.tracked == 0
