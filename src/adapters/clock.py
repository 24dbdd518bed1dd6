"""Clock adapters: the system clock, and a settable one for tests and the local runner."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """A clock that only moves when told to (tests, and the local runner's time travel)."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FrozenClock needs an aware datetime")
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, delta: timedelta) -> None:
        self.at += delta


class MovableClock:
    """The system clock moved forward by an offset kept in a file, so that every process of
    `make run` (the HTTP workers, the scheduler ticker, the letter worker, the postal
    poller) reads the same time, and `relance tick` moves them all at once. Only forward:
    a clock that went back would show events out of order and re-run what was planned.

    The file holds the offset in seconds; each `now()` checks its modification time, so a
    move is seen by the next call in every process without a restart."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._stamp: int | None = None
        self._offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset()

    def offset(self) -> timedelta:
        import os

        try:
            stamp = os.stat(self.path).st_mtime_ns
        except FileNotFoundError:
            return timedelta(0)
        if stamp != self._stamp:
            with open(self.path, encoding="ascii") as f:
                text = f.read().strip()
            if text:  # a writer's rename is atomic, but be safe with an empty file
                self._offset, self._stamp = timedelta(seconds=float(text)), stamp
        return self._offset

    def move_to(self, at: datetime) -> datetime:
        """Set the clock to `at` (aware, not before now) for every process; returns it."""
        import os
        import tempfile

        if at.tzinfo is None:
            raise ValueError("the clock moves to an aware instant")
        offset = at - datetime.now(UTC)
        if offset < self.offset():
            raise ValueError("the clock only moves forward")
        folder = os.path.dirname(os.path.abspath(self.path))
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".clock-")
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(f"{offset.total_seconds():.6f}\n")
        os.replace(tmp, self.path)
        self._offset, self._stamp = offset, os.stat(self.path).st_mtime_ns
        return at
