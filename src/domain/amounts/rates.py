"""Reference rates as data: the French legal rate per half-year and the ECB main
refinancing (MRO) rate changes, loaded from `domain/amounts/data/rates.json`.

The tables are updatable without a code change. A date the tables do not cover raises
`RateUnknown` naming the half-year (or day): a rate is never guessed or carried forward.

- Legal rate (taux de l'intérêt légal, C. monét. fin. L313-2): fixed per half-year, one
  rate when the *creditor* is a natural person not acting for professional needs
  (`RateCategory.PARTICULIER`), another for every other case (`RateCategory.AUTRES_CAS`).
- B2B default late-payment rate (C. com. L441-10 II): the ECB MRO rate in force on
  1 January (first half-year) or 1 July (second half-year), plus 10 points.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from importlib import resources
from itertools import pairwise
from typing import Any

from domain.shared.errors import RateUnknown as RateUnknown  # defined there, raised here

B2B_MARGIN_POINTS = Decimal("10")  # C. com. L441-10 II: "majoré de 10 points"


class RateCategory(StrEnum):
    """Which legal rate applies: it follows the CREDITOR (C. monét. fin. L313-2)."""

    PARTICULIER = "particulier"  # natural person not acting for professional needs
    AUTRES_CAS = "autres_cas"  # every other case, notably a professional creditor


@dataclass(frozen=True, slots=True, order=True)
class HalfYear:
    """A calendar half-year: S1 = 1 Jan..30 Jun, S2 = 1 Jul..31 Dec."""

    year: int
    half: int  # 1 or 2

    def __post_init__(self) -> None:
        if self.half not in (1, 2):
            raise ValueError(f"half must be 1 or 2, not {self.half}")

    @classmethod
    def containing(cls, day: date) -> HalfYear:
        return cls(day.year, 1 if day.month <= 6 else 2)

    @classmethod
    def parse(cls, text: str) -> HalfYear:
        """'2024-S1' -> HalfYear(2024, 1)."""
        year, sep, half = text.partition("-S")
        if not sep or not year.isdigit() or half not in ("1", "2"):
            raise ValueError(f"'{text}' is not a half-year such as '2024-S1'")
        return cls(int(year), int(half))

    @property
    def start(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> date:
        """The last day of the half-year."""
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    def next(self) -> HalfYear:
        return HalfYear(self.year, 2) if self.half == 1 else HalfYear(self.year + 1, 1)

    def __str__(self) -> str:
        return f"{self.year}-S{self.half}"


@dataclass(frozen=True, slots=True)
class LegalRate:
    half_year: HalfYear
    particulier: Decimal
    autres_cas: Decimal
    source: str

    def for_category(self, category: RateCategory) -> Decimal:
        return self.particulier if category is RateCategory.PARTICULIER else self.autres_cas


@dataclass(frozen=True, slots=True)
class EcbRateChange:
    effective_on: date
    rate: Decimal
    source: str


class RateTables:
    """Immutable lookup over the legal-rate and ECB tables."""

    __slots__ = ("_ecb", "_ecb_days", "_legal", "ecb_known_through")

    def __init__(
        self,
        legal: list[LegalRate],
        ecb_changes: list[EcbRateChange],
        ecb_known_through: date,
    ) -> None:
        self._legal: dict[HalfYear, LegalRate] = {}
        for row in legal:
            if row.half_year in self._legal:
                raise ValueError(f"legal rate for {row.half_year} given twice")
            self._legal[row.half_year] = row
            for rate in (row.particulier, row.autres_cas):
                if not rate.is_finite() or rate < 0:
                    raise ValueError(f"legal rate for {row.half_year}: {rate} is not a rate")
        halves = sorted(self._legal, key=lambda h: (h.year, h.half))
        for before, after in pairwise(halves):
            if before.next() != after:
                # A statement spanning the hole would have no rate for it.
                raise ValueError(f"legal rates jump from {before} to {after}: "
                                 f"{before.next()} is missing")
        for change in ecb_changes:
            if not change.rate.is_finite():
                raise ValueError(f"ECB rate of {change.effective_on}: {change.rate} is not a rate")
        self._ecb = sorted(ecb_changes, key=lambda c: c.effective_on)
        self._ecb_days = [c.effective_on for c in self._ecb]
        if len(set(self._ecb_days)) != len(self._ecb_days):
            raise ValueError("two ECB rate changes on the same day")
        if self._ecb and ecb_known_through < self._ecb_days[-1]:
            raise ValueError("ecb known_through is before the last recorded change")
        self.ecb_known_through = ecb_known_through

    # -- loading -------------------------------------------------------------------------

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> RateTables:
        """Raises ValueError when the tables are inconsistent or a rate is not a number."""
        try:
            return cls._from_mapping(data)
        except ArithmeticError:  # decimal.InvalidOperation is not a ValueError
            raise ValueError("a rate is not a decimal number") from None

    @classmethod
    def _from_mapping(cls, data: dict[str, Any]) -> RateTables:
        legal = [
            LegalRate(
                half_year=HalfYear.parse(str(row["half_year"])),
                particulier=Decimal(str(row["particulier"])),
                autres_cas=Decimal(str(row["autres_cas"])),
                source=str(row["source"]),
            )
            for row in data["legal_rate"]["half_years"]
        ]
        ecb_section = data["ecb_main_refinancing_rate"]
        ecb = [
            EcbRateChange(
                effective_on=date.fromisoformat(str(row["effective_on"])),
                rate=Decimal(str(row["rate"])),
                source=str(row["source"]),
            )
            for row in ecb_section["changes"]
        ]
        return cls(legal, ecb, date.fromisoformat(str(ecb_section["known_through"])))

    @classmethod
    def load_default(cls) -> RateTables:
        data = resources.files("domain.amounts").joinpath("data/rates.json")
        text = data.read_text(encoding="utf-8")
        return cls.from_mapping(json.loads(text))

    # -- lookups -------------------------------------------------------------------------

    def legal_rate_row(self, half_year: HalfYear) -> LegalRate:
        try:
            return self._legal[half_year]
        except KeyError:
            raise RateUnknown("legal rate (taux de l'intérêt légal)", str(half_year)) from None

    def legal_rate(self, half_year: HalfYear, category: RateCategory) -> Decimal:
        """Legal rate (% per year) of a half-year for the creditor's category."""
        return self.legal_rate_row(half_year).for_category(category)

    def ecb_rate_on(self, day: date) -> Decimal:
        """The ECB MRO rate in force on `day` (a change applies from its effective date)."""
        if day > self.ecb_known_through:
            raise RateUnknown(
                "ECB main refinancing rate",
                f"{day.isoformat()} ({HalfYear.containing(day)}; tables known through "
                f"{self.ecb_known_through.isoformat()})",
            )
        index = bisect.bisect_right(self._ecb_days, day) - 1
        if index < 0:
            raise RateUnknown("ECB main refinancing rate", f"{day.isoformat()} (before the tables)")
        return self._ecb[index].rate

    def ecb_reference_rate(self, half_year: HalfYear) -> Decimal:
        """The ECB rate that fixes a half-year's B2B rate: in force on 1 Jan / 1 Jul."""
        try:
            return self.ecb_rate_on(half_year.start)
        except RateUnknown:
            raise RateUnknown(
                "ECB main refinancing rate (B2B default rate)", str(half_year)
            ) from None

    def b2b_default_rate(self, half_year: HalfYear) -> Decimal:
        """C. com. L441-10 II default rate: ECB rate on 1 Jan / 1 Jul + 10 points."""
        return self.ecb_reference_rate(half_year) + B2B_MARGIN_POINTS

    @property
    def legal_half_years(self) -> tuple[HalfYear, ...]:
        return tuple(sorted(self._legal))

    @property
    def ecb_changes(self) -> tuple[EcbRateChange, ...]:
        return tuple(self._ecb)


DEFAULT_RATES: RateTables = RateTables.load_default()


def half_years_between(first: date, last: date) -> list[HalfYear]:
    """Every half-year touching [first, last] (both included), in order."""
    out: list[HalfYear] = []
    if last < first:
        return out
    current = HalfYear.containing(first)
    while current.start <= last:
        out.append(current)
        current = current.next()
    return out


def legal_rate(
    half_year: HalfYear, category: RateCategory, tables: RateTables = DEFAULT_RATES
) -> Decimal:
    return tables.legal_rate(half_year, category)


def ecb_rate_on(day: date, tables: RateTables = DEFAULT_RATES) -> Decimal:
    return tables.ecb_rate_on(day)


def b2b_default_rate(half_year: HalfYear, tables: RateTables = DEFAULT_RATES) -> Decimal:
    return tables.b2b_default_rate(half_year)

