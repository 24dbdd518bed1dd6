"""The local run's movable clock: one offset file read by every process."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.clock import MovableClock


def test_without_its_file_it_is_the_system_clock(tmp_path: Path) -> None:
    clock = MovableClock(str(tmp_path / "offset"))
    before = datetime.now(UTC)
    assert before <= clock.now() <= datetime.now(UTC)


def test_a_move_is_seen_by_every_clock_on_the_file(tmp_path: Path) -> None:
    path = str(tmp_path / "offset")
    mover, other = MovableClock(path), MovableClock(path)
    other.now()  # read (and cached) before the move
    target = datetime.now(UTC) + timedelta(days=40)
    mover.move_to(target)
    for clock in (mover, other):
        assert target <= clock.now() < target + timedelta(seconds=5)
    # time goes on from there at the system's pace
    later = datetime.now(UTC) + timedelta(days=90)
    other.move_to(later)
    assert later <= mover.now() < later + timedelta(seconds=5)


def test_it_never_moves_back_nor_takes_a_naive_instant(tmp_path: Path) -> None:
    clock = MovableClock(str(tmp_path / "offset"))
    ahead = datetime.now(UTC) + timedelta(days=10)
    clock.move_to(ahead)
    with pytest.raises(ValueError, match="forward"):
        clock.move_to(ahead - timedelta(days=1))
    with pytest.raises(ValueError, match="aware"):
        clock.move_to(datetime(2030, 1, 1))
    assert clock.now() >= ahead
