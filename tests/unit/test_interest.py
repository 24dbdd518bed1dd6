"""Interest arithmetic: exact days, /36 500 even in leap years, split at 1 Jan / 1 Jul,
each period rounded half-up then summed (french-law.md §8)."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal as D

import pytest

from domain.amounts.interest import (
    DIVISOR,
    DayCount,
    HalfYearlySchedule,
    RatePiece,
    accrue,
    count_days,
    first_interest_day,
    interest_lines,
    simple_interest,
    split_at_half_years,
    total,
)
from domain.amounts.law import InterestTerms, StatutoryRateSchedule
from domain.amounts.rates import DEFAULT_RATES, HalfYear, RateCategory
from domain.debtors.model import DebtorKind


def legal_particulier() -> HalfYearlySchedule:
    return HalfYearlySchedule(
        lambda h: DEFAULT_RATES.legal_rate(h, RateCategory.PARTICULIER), "legal_particulier"
    )


def test_divisor_is_36500() -> None:
    assert D(36500) == DIVISOR


def test_day_count_conventions() -> None:
    # Ex. A (F20688) counts 1 Sep -> 30 Sep 2020 as 30 days; its date difference is 29.
    assert count_days(date(2020, 9, 1), date(2020, 9, 30), DayCount.INCLUSIVE) == 30
    assert count_days(date(2020, 9, 1), date(2020, 9, 30), DayCount.DATE_DIFFERENCE) == 29
    assert count_days(date(2020, 8, 31), date(2020, 9, 30)) == 30  # default convention
    assert count_days(date(2020, 9, 30), date(2020, 9, 1)) == 0  # never negative
    assert first_interest_day(date(2020, 8, 31)) == date(2020, 9, 1)
    assert first_interest_day(date(2020, 9, 1), DayCount.INCLUSIVE) == date(2020, 9, 1)


def test_example_a_both_conventions() -> None:
    # Ex. A shape: 10 000 EUR, 2020 S2 legal rate for a private creditor (3.11 %), 30 days.
    # By hand: 10 000 × 30 × 3.11 / 36 500 = 25.5616... -> 25.56
    expected = D("25.56")
    by_difference = accrue(D("10000"), date(2020, 8, 31), date(2020, 9, 30),
                           legal_particulier(), "EUR", DayCount.DATE_DIFFERENCE)
    inclusive = accrue(D("10000"), date(2020, 9, 1), date(2020, 9, 30),
                       legal_particulier(), "EUR", DayCount.INCLUSIVE)
    for lines in (by_difference, inclusive):
        assert [(ln.start, ln.end, ln.days, ln.rate) for ln in lines] == [
            (date(2020, 9, 1), date(2020, 9, 30), 30, D("3.11"))
        ]
        assert total(lines) == expected


def test_example_b_shape_61_44_100_days() -> None:
    # Ex. B splits into 61 / 44 / 100 days: a half-year boundary (1 Jul) then the start of
    # the L313-3 majoration. Scenario: 10 000 EUR owed to a private creditor, interest from
    # 1 May 2020, judgment enforceable on 13 Jun 2020 -> +5 points from 14 Aug 2020,
    # statement on 21 Nov 2020.
    #   1 May-30 Jun: 10 000 × 61 × 3.15 / 36 500 = 52.6438 -> 52.64  (2020 S1)
    #   1 Jul-13 Aug: 10 000 × 44 × 3.11 / 36 500 = 37.4904 -> 37.49  (2020 S2)
    #   14 Aug-21 Nov: 10 000 × 100 × 8.11 / 36 500 = 222.1918 -> 222.19 (2020 S2 + 5)
    for day_count, origin in ((DayCount.DATE_DIFFERENCE, date(2020, 4, 30)),
                              (DayCount.INCLUSIVE, date(2020, 5, 1))):
        terms = InterestTerms(
            DebtorKind.CONSUMER, formal_notice_on=origin,
            judgment_enforceable_on=date(2020, 6, 13), day_count=day_count,
            creditor_category=RateCategory.PARTICULIER,
        )
        lines = accrue(D("10000"), origin, date(2020, 11, 21),
                       StatutoryRateSchedule(terms), "EUR", day_count)
        assert [ln.days for ln in lines] == [61, 44, 100]
        assert [ln.rate for ln in lines] == [D("3.15"), D("3.11"), D("8.11")]
        assert [ln.amount for ln in lines] == [D("52.64"), D("37.49"), D("222.19")]
        assert total(lines) == D("312.32")


def test_leap_year_still_divides_by_36500() -> None:
    # 36 500 EUR for the 182 days of 2024 S1 (a leap half-year: Feb has 29 days) at 14.50 %:
    # 36 500 × 182 × 14.50 / 36 500 = 2 639.00 (a 36 600 divisor would give 2 632.79).
    schedule = HalfYearlySchedule(DEFAULT_RATES.b2b_default_rate)
    lines = accrue(D("36500"), date(2023, 12, 31), date(2024, 6, 30), schedule, "EUR")
    assert [(ln.days, ln.rate) for ln in lines] == [(182, D("14.50"))]
    assert total(lines) == D("2639.00")


def test_split_at_each_half_year() -> None:
    assert split_at_half_years(date(2023, 5, 15), date(2024, 8, 2)) == [
        (date(2023, 5, 15), date(2023, 6, 30)),
        (date(2023, 7, 1), date(2023, 12, 31)),
        (date(2024, 1, 1), date(2024, 6, 30)),
        (date(2024, 7, 1), date(2024, 8, 2)),
    ]
    assert split_at_half_years(date(2024, 7, 1), date(2024, 6, 30)) == []


def test_period_spanning_1_july_rounds_each_period_then_sums() -> None:
    # 5 000 EUR due 31 May 2024, B2B default rate, statement 15 Aug 2024:
    #   1-30 Jun: 5 000 × 30 × 14.50 / 36 500 = 59.5890 -> 59.59
    #   1 Jul-15 Aug: 5 000 × 46 × 14.25 / 36 500 = 89.7945 -> 89.79
    schedule = HalfYearlySchedule(DEFAULT_RATES.b2b_default_rate)
    lines = accrue(D("5000"), date(2024, 5, 31), date(2024, 8, 15), schedule, "EUR")
    assert [(ln.start, ln.end, ln.days, ln.rate, ln.amount) for ln in lines] == [
        (date(2024, 6, 1), date(2024, 6, 30), 30, D("14.50"), D("59.59")),
        (date(2024, 7, 1), date(2024, 8, 15), 46, D("14.25"), D("89.79")),
    ]
    assert total(lines) == D("149.38")


def test_rounding_is_per_period_not_on_the_total() -> None:
    class Fixed:
        def piece_at(self, day: date) -> RatePiece:
            h = HalfYear.containing(day)
            return RatePiece(h.start, h.end, D("36.5"), "t")

    # One day on each side of 1 Jul: 5 × 1 × 36.5 / 36 500 = 0.005 -> 0.01 (half-up) in
    # each period, total 0.02; rounding the two-day total (0.010) would give 0.01.
    lines = interest_lines(D("5"), date(2024, 6, 30), date(2024, 7, 1), Fixed(), "EUR")
    assert [ln.amount for ln in lines] == [D("0.01"), D("0.01")]
    assert total(lines) == D("0.02")
    # 0.5 × 1 × 36.5 / 36 500 = 0.0005 -> 0.00 per period
    lines = interest_lines(D("0.5"), date(2024, 6, 30), date(2024, 7, 1), Fixed(), "EUR")
    assert [ln.amount for ln in lines] == [D("0.00"), D("0.00")]


def test_simple_interest_half_up_and_zero_base() -> None:
    assert simple_interest(D("100"), 73, D("2.5"), "EUR") == D("0.50")  # exactly 0.5
    assert simple_interest(D("1"), 1, D("1"), "EUR") == D("0.00")
    assert interest_lines(D("0"), date(2024, 1, 1), date(2024, 12, 31),
                          legal_particulier(), "EUR") == []
    assert simple_interest(D("1000"), 30, D("10"), "JPY") == D("8")  # 8.219 -> 8 yen


@pytest.mark.parametrize("through", [date(2024, 6, 29), date(2024, 6, 30), date(2024, 7, 1)])
def test_lines_are_contiguous_and_cover_every_day_once(through: date) -> None:
    lines = accrue(D("1234.56"), date(2023, 3, 17), through, legal_particulier(), "EUR")
    assert lines[0].start == date(2023, 3, 18)
    assert lines[-1].end == through
    for a, b in itertools.pairwise(lines):
        assert (b.start - a.end).days == 1
    assert sum(ln.days for ln in lines) == (through - date(2023, 3, 17)).days
