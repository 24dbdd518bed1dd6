"""What every unit of work does before it writes: collect the staged writes and the
after-commit effects, and forget them on leaving the `with` block. The engines (DynamoDB,
the in-memory fake of the tests) differ only in how `commit()` sends what was taken."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Generic, Self, TypeVar

W = TypeVar("W")


class Staging(Generic[W]):
    def __init__(self) -> None:
        self._writes: list[W] = []
        self._effects: list[Callable[[], None]] = []

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._writes.clear()
        self._effects.clear()

    def stage(self, *writes: W) -> None:
        self._writes.extend(writes)

    def after_commit(self, effect: Callable[[], None]) -> None:
        """Run `effect` once the commit has succeeded (never if it fails or is skipped)."""
        self._effects.append(effect)

    def take(self) -> tuple[list[W], list[Callable[[], None]]]:
        """What was staged, emptied: a commit sends it once, whatever happens."""
        writes, effects = self._writes, self._effects
        self._writes, self._effects = [], []
        return writes, effects
