"""Retrying a change that lost a race on the claim's (or debtor's) version.

A POST carries no If-Match: the caller did not ask for optimistic concurrency, so a
version conflict is ours to solve, not theirs. Twenty payments imported at once on one
claim from four Lambdas used to answer 412 "stale version" to a third of them. A use case
re-reads and re-applies its command, because every use case starts from a fresh read; only
when the version keeps moving (a hot claim under a burst) is the change refused, as 409.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from domain.shared.errors import Conflict, StaleVersion

P = ParamSpec("P")
T = TypeVar("T")

# Each round of a race lets at most one writer through, so a burst of N writers on one
# claim needs N rounds for the last of them: ten covers the bursts we see (an import run by
# a handful of Lambdas); CI once lost an eight-writer race at six.
ATTEMPTS = 10
# Full jitter on an exponential base (AWS Architecture Blog, "Exponential Backoff And
# Jitter"): 0-5 ms, then 0-10, 0-20 … so racing writers spread out instead of colliding
# again; capped so that the worst case (about 1.2 s of waiting) stays far inside the API's
# 29 s limit.
BASE_DELAY_SECONDS = 0.005
MAX_DELAY_SECONDS = 0.25


def run_retrying(operation: Callable[[], T], *, attempts: int = ATTEMPTS,
                 sleep: Callable[[float], None] = time.sleep) -> T:
    """Run `operation`; on StaleVersion run it again (it must re-read what it changes), at
    most `attempts` times in all, then raise Conflict."""
    for attempt in range(attempts):
        try:
            return operation()
        except StaleVersion:
            if attempt == attempts - 1:
                break
            sleep(random.uniform(0, min(MAX_DELAY_SECONDS, BASE_DELAY_SECONDS * 2**attempt)))  # noqa: S311
    raise Conflict(f"the object changed {attempts} times while this change was applied; "
                   "nothing was stored: retry shortly")


def retry_on_stale(use_case: Callable[P, T]) -> Callable[P, T]:
    """Decorate a use case that reads what it changes, so a lost race is replayed."""

    @wraps(use_case)
    def retrying(*args: P.args, **kwargs: P.kwargs) -> T:
        return run_retrying(lambda: use_case(*args, **kwargs))

    return retrying
