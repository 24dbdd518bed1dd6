"""The registers' pace (adapters.company_data.pacing) on a simulated clock: the waits it asks
for and where it stops a run, worked out by hand. Nothing sleeps and nothing is timed."""

from __future__ import annotations

import pytest

from adapters.company_data.pacing import QuotaPacer


class SimulatedTime:
    """A monotonic clock that moves only when slept on (or when work is pretended)."""

    def __init__(self, budget: float) -> None:
        self.t, self.budget = 0.0, budget
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds

    def remaining(self) -> float:
        return self.budget - self.t


def _pacer(time: SimulatedTime, per_minute: int = 30, reserve: float = 60.0) -> QuotaPacer:
    return QuotaPacer(per_minute, time.remaining, reserve_seconds=reserve,
                      monotonic=time.monotonic, sleep=time.sleep)


def test_turns_are_spaced_by_the_quota_from_the_start_of_each() -> None:
    time = SimulatedTime(900)
    pacer = _pacer(time)  # 30 a minute: one turn every 2 s
    assert pacer.wait_turn()  # the first at once
    time.t += 0.5  # the SIREN's requests took half a second
    assert pacer.wait_turn()
    time.t += 3.0  # a slow answer, longer than the interval: no wait after it
    assert pacer.wait_turn()
    assert pacer.wait_turn()
    assert time.sleeps == [1.5, 2.0]
    # Turns began at 0, 2, 5 and 7.
    assert time.t == 7.0 and pacer.turns == 4


def test_a_run_stops_while_the_reserve_is_still_left() -> None:
    # 900 s, a 60 s reserve, a turn every 2 s and no time spent working: turns at
    # t = 0, 2, …, 840 (840 leaves exactly 60): 421 turns; the next would start at 842.
    time = SimulatedTime(900)
    pacer = _pacer(time)
    turns = 0
    while pacer.wait_turn():
        turns += 1
    assert turns == 421 and time.t == 840
    assert time.remaining() >= 60
    assert not pacer.wait_turn()  # refused again, without sleeping
    assert len(time.sleeps) == 420


def test_a_run_begun_with_less_than_the_reserve_asks_nothing() -> None:
    time = SimulatedTime(59)
    assert not _pacer(time).wait_turn()
    assert time.sleeps == []


def test_the_quota_is_a_positive_rate() -> None:
    with pytest.raises(ValueError, match="positive"):
        QuotaPacer(0, lambda: 900.0)
