"""Shared helpers for the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

# (benchmark name, measured figure with its unit, target or note)
Row = tuple[str, str, str]


def timings_ms(fn: Callable[[], object], repeat: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def median_p99(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered), p99
