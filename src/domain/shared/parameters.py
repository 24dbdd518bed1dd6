"""Dated parameters: a figure the law sets (a fee, a ceiling, a deadline) with the day it
took effect, its source and whether that source is confirmed, read for the day it applies to.

The law changes these figures (décret 2026-96 halved the injonction de payer's service
period from 1 September 2026), so none is a constant in code: each context that applies one
keeps its rows in its own `data/*.json` and reads them with `load_parameters(package)`. It
lives here, in the shared kernel, because the contexts that read parameters do not all see
each other (domain.debtors computes the declaration deadline and may not import
domain.judicial, whose phase reads that same row).

A parameter that is `confirmed: false` comes from a secondary source or is announced but
not published: whoever shows it says so (the assessment marks its figures unconfirmed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Any


class UnknownParameter(LookupError):
    """No value of the parameter is in force on the day asked (before its first, after its
    last): a gap in the data, never guessed."""


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    value: Decimal
    unit: str  # EUR, EUR_HT, percent, days, months, years, coefficient, count
    effective_from: date
    effective_to: date | None  # the last day in force; None: still in force
    source: str
    confirmed: bool = True
    note: str | None = None

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None
                                              or on <= self.effective_to)

    @property
    def whole(self) -> int:
        """The value as a whole number (a count of days or months), refused otherwise."""
        if self.value != self.value.to_integral_value():
            raise ValueError(f"{self.name} is not a whole number: {self.value}")
        return int(self.value)


@dataclass(frozen=True, slots=True)
class ParameterTable:
    """Every dated value of every parameter; `at` answers the one in force on a day."""

    by_name: dict[str, tuple[Parameter, ...]]

    def at(self, name: str, on: date) -> Parameter:
        for parameter in self.by_name.get(name, ()):
            if parameter.in_force(on):
                return parameter
        if name not in self.by_name:
            raise UnknownParameter(f"no parameter {name!r}")
        raise UnknownParameter(f"no value of {name!r} is in force on {on.isoformat()}")

    def get(self, name: str, on: date) -> Parameter | None:
        """The value in force on `on`, or None where `at` would raise (a read that can
        do without it)."""
        try:
            return self.at(name, on)
        except UnknownParameter:
            return None

    def history(self, name: str) -> tuple[Parameter, ...]:
        return self.by_name.get(name, ())

    @classmethod
    def from_rows(cls, rows: list[dict[str, Any]]) -> ParameterTable:
        """Checks what a reader of one file cannot see: no two values of one parameter in
        force on the same day."""
        grouped: dict[str, list[Parameter]] = {}
        for row in rows:
            p = Parameter(
                name=row["name"], value=Decimal(str(row["value"])), unit=row["unit"],
                effective_from=date.fromisoformat(row["effective_from"]),
                effective_to=(date.fromisoformat(row["effective_to"])
                              if row.get("effective_to") else None),
                source=row["source"], confirmed=bool(row.get("confirmed", True)),
                note=row.get("note"))
            if p.effective_to is not None and p.effective_to < p.effective_from:
                raise ValueError(f"{p.name}: ends before it starts")
            grouped.setdefault(p.name, []).append(p)
        for name, values in grouped.items():
            values.sort(key=lambda p: p.effective_from)
            for before, after in pairwise(values):
                if before.effective_to is None or before.effective_to >= after.effective_from:
                    raise ValueError(f"{name}: two values in force on "
                                     f"{after.effective_from.isoformat()}")
        return cls({name: tuple(values) for name, values in grouped.items()})


@cache
def load_parameters(*packages: str) -> ParameterTable:
    """Every `data/*.json` of each package, one table: a name given a value in two files
    (or two packages) for the same day is refused, so a row lives in one place."""
    rows: list[dict[str, Any]] = []
    for package in packages:
        folder = resources.files(package).joinpath("data")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".json"):
                rows.extend(json.loads(entry.read_text(encoding="utf-8"))["parameters"])
    return ParameterTable.from_rows(rows)
