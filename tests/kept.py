"""Session resources that outlive pytest-xdist's teardowns.

A pytest-xdist worker tears every session fixture down whenever its queue of tests runs
dry, and sets it up again for the next test it is sent: a demo company built again, a
live server started and warmed up again, a minute or more each time. Fixtures that are
costly to make keep their resource in the run's stash instead: made on first request,
closed when pytest ends.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack
from typing import TypeVar

import pytest

T = TypeVar("T")
_KEPT = pytest.StashKey[dict]()


def kept(request: pytest.FixtureRequest, name: str, make: Callable[[], AbstractContextManager[T]]) -> T:
    """The value of the context manager ``make()`` entered once per test process under ``name``."""
    store = request.config.stash.setdefault(_KEPT, {})
    if name not in store:
        stack = ExitStack()
        request.config.add_cleanup(stack.close)
        store[name] = stack.enter_context(make())
    return store[name]
