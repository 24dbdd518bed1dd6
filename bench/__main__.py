"""`make bench`: runs every bench module and prints one table.

Each `bench/bench_*.py` exposes `run() -> list[Row]`. Figures compare ratios inside one run
(ours against a baseline measured in the same process or machine state), because these
machines are shared and noisy; they are never asserted in tests.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import sys
from pathlib import Path

from bench.common import Row


def main() -> None:
    logging.disable(logging.INFO)  # the emulator and test client log every request
    here = Path(__file__).parent
    only = set(sys.argv[1:])
    rows: list[Row] = []
    for info in sorted(pkgutil.iter_modules([str(here)]), key=lambda m: m.name):
        if not info.name.startswith("bench_"):
            continue
        if only and info.name.removeprefix("bench_") not in only:
            continue
        module = importlib.import_module(f"bench.{info.name}")
        print(f"running {info.name} ...", file=sys.stderr, flush=True)
        rows.extend(module.run())
    widths = [max(len(r[i]) for r in [("benchmark", "figure", "target / note"), *rows])
              for i in range(3)]
    header = ("benchmark", "figure", "target / note")
    line = " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    print(line)
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
