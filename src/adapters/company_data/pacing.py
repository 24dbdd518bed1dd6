"""The registers' pace for one run of the insolvency watch (domain.ports.company_data.Pacer).

INSEE's API Sirene allows a key about 30 requests a minute (answering 429 beyond), and the
watch asks it once per SIREN, with one BODACC request (OpenDataSoft counts calls a day,
far above ours): one SIREN per turn, `60 / per_minute` seconds apart, keeps both within
their quotas. The quota is a setting (RELANCE_COMPANY_DATA_PER_MINUTE), never a figure in
code, as INSEE may change it or grant a key more.

A turn is refused once what is left of the run's time, after the wait, would not cover the
reserve: the longest one SIREN can take (two requests up to their timeouts, then the
writes of an opening). The run then stops before its Lambda is killed mid-write.

The clock and the sleep are injected: the tests and the bench run whole days of pacing in
no time, and assert the waits asked for, never a duration measured.
"""

from __future__ import annotations

import time
from collections.abc import Callable

# Two requests at their timeouts (5 s to connect and 20 s to read, each), then an
# opening's writes: a SIREN begun with this much time left ends before the Lambda does.
RESERVE_SECONDS = 60.0


class QuotaPacer:
    def __init__(self, per_minute: int, remaining_seconds: Callable[[], float], *,
                 reserve_seconds: float = RESERVE_SECONDS,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if per_minute <= 0:
            raise ValueError("the registers' pace is a positive number of requests a minute")
        self._interval = 60.0 / per_minute
        self._remaining = remaining_seconds
        self._reserve = reserve_seconds
        self._monotonic, self._sleep = monotonic, sleep
        self._next: float | None = None  # when the next turn may start; None: at once
        self.turns = 0

    def wait_turn(self) -> bool:
        now = self._monotonic()
        wait = 0.0 if self._next is None else max(0.0, self._next - now)
        if self._remaining() - wait < self._reserve:
            return False
        if wait > 0:
            self._sleep(wait)
        # Spaced from the turn's start, not from the end of its work: a slow answer does
        # not slow the run further, and never lets two requests fall in one interval.
        self._next = now + wait + self._interval
        self.turns += 1
        return True
