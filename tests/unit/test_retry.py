"""The replay of a change that lost a race on a version."""

from __future__ import annotations

import pytest

from domain.shared import retry
from domain.shared.errors import Conflict, StaleVersion


def _losing(times: int) -> tuple[list[int], object]:
    calls: list[int] = []

    def operation() -> str:
        calls.append(1)
        if len(calls) <= times:
            raise StaleVersion("claim changed since it was read")
        return "stored"

    return calls, operation


def test_a_change_that_loses_nine_races_is_stored_at_the_tenth() -> None:
    calls, operation = _losing(retry.ATTEMPTS - 1)
    waits: list[float] = []
    assert retry.run_retrying(operation, sleep=waits.append) == "stored"
    assert len(calls) == retry.ATTEMPTS and len(waits) == retry.ATTEMPTS - 1


def test_a_change_that_always_loses_is_a_conflict_after_every_attempt() -> None:
    calls, operation = _losing(10**6)
    waits: list[float] = []
    with pytest.raises(Conflict, match=f"{retry.ATTEMPTS} times"):
        retry.run_retrying(operation, sleep=waits.append)
    assert len(calls) == retry.ATTEMPTS
    assert len(waits) == retry.ATTEMPTS - 1  # no pointless wait after the last attempt


def test_waits_grow_but_never_past_the_cap() -> None:
    _, operation = _losing(10**6)
    waits: list[float] = []
    with pytest.raises(Conflict):
        retry.run_retrying(operation, attempts=30, sleep=waits.append)
    assert all(0 <= w <= retry.MAX_DELAY_SECONDS for w in waits)
    assert all(w <= retry.BASE_DELAY_SECONDS * 2**i for i, w in enumerate(waits))


def test_other_errors_are_not_replayed() -> None:
    calls: list[int] = []

    def operation() -> None:
        calls.append(1)
        raise ValueError("not a race")

    with pytest.raises(ValueError):
        retry.run_retrying(operation, sleep=lambda _: None)
    assert calls == [1]


def test_the_decorator_replays_with_the_same_arguments() -> None:
    seen: list[tuple[str, int]] = []

    @retry.retry_on_stale
    def pay(claim_id: str, *, cents: int) -> int:
        seen.append((claim_id, cents))
        if len(seen) < 3:
            raise StaleVersion("stale")
        return cents

    assert pay("clm_1", cents=1000) == 1000
    assert seen == [("clm_1", 1000)] * 3
