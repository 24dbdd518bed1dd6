"""The scheduler of `make run` and the journey tests: wake-ups kept in memory, fired by
whoever calls `due` (make run's ticker, a test that moved its clock on). Named as the
EventBridge adapter names them, so scheduling twice is one wake-up here too."""

from __future__ import annotations

import threading
from datetime import datetime

from adapters.scheduler import schedule_name
from domain.ports.escalation import ScheduledWakeup, Wakeup
from domain.ports.repositories import Clock


class LocalScheduler:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._pending: dict[str, ScheduledWakeup] = {}
        self._lock = threading.Lock()

    def schedule(self, wakeup: ScheduledWakeup) -> str:
        if wakeup.at.tzinfo is None:
            raise ValueError("a wake-up time is an aware datetime")
        name = schedule_name(wakeup.wakeup)
        with self._lock:
            self._pending.setdefault(name, wakeup)  # an existing schedule is kept
        return name

    def cancel(self, name: str) -> None:
        with self._lock:
            self._pending.pop(name, None)

    def due(self, now: datetime | None = None) -> list[Wakeup]:
        """Pop the wake-ups whose time has come (`now`, else the clock's), earliest first;
        each is returned once, as a schedule deleted after it fires."""
        at = self._clock.now() if now is None else now
        with self._lock:
            ready = sorted((w for w in self._pending.values() if w.at <= at),
                           key=lambda w: w.at)
            for wakeup in ready:
                del self._pending[schedule_name(wakeup.wakeup)]
        return [w.wakeup for w in ready]

    def pending(self) -> dict[str, ScheduledWakeup]:
        with self._lock:
            return dict(self._pending)
