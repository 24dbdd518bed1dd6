"""Simple late-payment interest, the French official way.

- Simple interest on exact days: `amount × days × rate / 36 500`, the divisor staying
  36 500 even in a leap year (service-public F20688: "même si 2020 est une année
  bissextile, il convient d'utiliser 36 500"; F783 formula).
- A rate period never spans a 1 January or 1 July: rates are fixed per half-year, so the
  days are split at each half-year start and each half-year gets its own rate (F20688
  example B). A schedule may split further (e.g. the +5 points of C. monét. fin. L313-3).
- Each line (constant base, constant rate) is rounded to the cent half-up, then the lines
  are summed (every official example rounds each component, then adds).

Day counting (`DayCount`) is explicit because the official examples differ:
- `DATE_DIFFERENCE` (default): days = end - start. Interest runs from the day AFTER the
  origin (the due date, the formal notice date) up to and including the end date. An
  invoice due 31 Aug 2020 owes 30 days on 30 Sep 2020 (the 1 Sep -> 30 Sep period of
  F20688 example A).
- `INCLUSIVE`: the origin day counts too: days = end - start + 1, so "from 1 Sep to
  30 Sep 2020" is 30 days (example A written with its first day as origin).
Both count each day of interest exactly once; they differ only by the origin day. Which
one a claim uses, and why, is domain.amounts.law.interest_day_count.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Protocol

from domain.amounts.rates import HalfYear
from domain.shared.money import quantum

DIVISOR = Decimal(36500)  # 365 days × 100 (percent), leap years included
ONE_DAY = timedelta(days=1)


class DayCount(StrEnum):
    DATE_DIFFERENCE = "date_difference"  # end - start; interest from the day after origin
    INCLUSIVE = "inclusive"  # end - start + 1; the origin day itself bears interest


@functools.cache
def _quantum(currency: str) -> Decimal:
    return quantum(currency)


def first_interest_day(origin: date, day_count: DayCount = DayCount.DATE_DIFFERENCE) -> date:
    """The first day that bears interest when interest is said to run from `origin`."""
    return origin + ONE_DAY if day_count is DayCount.DATE_DIFFERENCE else origin


def count_days(start: date, end: date, day_count: DayCount = DayCount.DATE_DIFFERENCE) -> int:
    """Days of interest from `start` to `end` under a convention (never negative)."""
    days = (end - start).days + (1 if day_count is DayCount.INCLUSIVE else 0)
    return max(days, 0)


def simple_interest(base: Decimal, days: int, rate: Decimal, currency: str) -> Decimal:
    """`base × days × rate / 36 500`, rounded half-up to the currency's minor unit."""
    return (base * days * rate / DIVISOR).quantize(quantum(currency), rounding=ROUND_HALF_UP)


def split_at_half_years(first: date, last: date) -> list[tuple[date, date]]:
    """[first, last] (both included) cut at each 1 January / 1 July."""
    out: list[tuple[date, date]] = []
    start = first
    while start <= last:
        end = min(HalfYear.containing(start).end, last)
        out.append((start, end))
        start = end + ONE_DAY
    return out


@dataclass(frozen=True, slots=True)
class RatePiece:
    """A run of days [start, end] (both included) at one rate, inside one half-year."""

    start: date
    end: date
    rate: Decimal  # percent per year
    basis: str  # what the rate is, e.g. "ecb_plus_10", "legal_autres_cas"


class RateSchedule(Protocol):
    def piece_at(self, day: date) -> RatePiece:
        """The piece containing `day`; it never crosses a 1 Jan / 1 Jul."""
        ...


class HalfYearlySchedule:
    """A schedule with one rate per half-year, from a function (cached)."""

    def __init__(self, rate_for: Callable[[HalfYear], Decimal], basis: str = "") -> None:
        self._rate_for = rate_for
        self._basis = basis
        self._cache: dict[HalfYear, RatePiece] = {}

    def piece_at(self, day: date) -> RatePiece:
        half = HalfYear.containing(day)
        piece = self._cache.get(half)
        if piece is None:
            piece = RatePiece(half.start, half.end, self._rate_for(half), self._basis)
            self._cache[half] = piece
        return piece


@dataclass(frozen=True, slots=True)
class InterestLine:
    """Interest on a constant `base` at a constant `rate` over [start, end] (both days
    included, `days` of them), rounded to the minor unit."""

    start: date
    end: date
    days: int
    rate: Decimal
    base: Decimal
    amount: Decimal
    basis: str


def interest_lines(
    base: Decimal, first_day: date, last_day: date, schedule: RateSchedule, currency: str
) -> list[InterestLine]:
    """Interest on `base` for every day in [first_day, last_day], one line per rate piece."""
    lines: list[InterestLine] = []
    if base <= 0:
        return lines
    day = first_day
    q = _quantum(currency)
    while day <= last_day:
        piece = schedule.piece_at(day)
        if not piece.start <= day <= piece.end:
            raise ValueError(f"rate schedule returned {piece} for {day}, which it does not cover")
        end = piece.end if piece.end < last_day else last_day
        days = (end - day).days + 1
        amount = (base * days * piece.rate / DIVISOR).quantize(q, rounding=ROUND_HALF_UP)
        lines.append(InterestLine(day, end, days, piece.rate, base, amount, piece.basis))
        day = end + ONE_DAY
    return lines


def accrue(
    base: Decimal,
    origin: date,
    through: date,
    schedule: RateSchedule,
    currency: str,
    day_count: DayCount = DayCount.DATE_DIFFERENCE,
) -> list[InterestLine]:
    """Interest on `base` running from `origin` (per `day_count`) up to `through` included."""
    return interest_lines(base, first_interest_day(origin, day_count), through, schedule, currency)


def total(lines: list[InterestLine] | tuple[InterestLine, ...]) -> Decimal:
    """The sum of already rounded lines."""
    return sum((line.amount for line in lines), Decimal(0))
