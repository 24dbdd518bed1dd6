"""Rates tables and rules of law (french-law.md §1-§3, tables §2.3/§2.4)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal as D
from importlib import resources

import pytest

from domain.amounts import law
from domain.amounts.deadlines import (
    is_prescribed,
    limitation_date,
    payment_term_flags,
    prescription_warning,
)
from domain.amounts.interest import DayCount
from domain.amounts.law import (
    BelowFloorPolicy,
    FloorPolicy,
    InterestTerms,
    StatutoryRateSchedule,
    add_months,
    b2b_floor,
    half_years_below_floor,
    indemnity_applies,
    interest_day_count,
    interest_origin,
    majoration_start,
    recovery_fees_allowed,
    validate_contractual_rate,
)
from domain.amounts.rates import (
    DEFAULT_RATES,
    HalfYear,
    RateCategory,
    RateTables,
    RateUnknown,
    b2b_default_rate,
    ecb_rate_on,
    half_years_between,
    legal_rate,
)
from domain.claims.model import Invoice, Phase
from domain.debtors.model import DebtorKind
from domain.shared.errors import DomainValidationError

# --- rate tables -----------------------------------------------------------------------

# french-law.md §2.3, columns Part. / Autres / BCE+10 / 3×Autres.
TABLE = [
    ("2020-S1", "3.15", "0.87", "10.00", "2.61"),
    ("2020-S2", "3.11", "0.84", "10.00", "2.52"),
    ("2021-S1", "3.14", "0.79", "10.00", "2.37"),
    ("2021-S2", "3.12", "0.76", "10.00", "2.28"),
    ("2022-S1", "3.13", "0.76", "10.00", "2.28"),
    ("2022-S2", "3.15", "0.77", "10.00", "2.31"),
    ("2023-S1", "4.47", "2.06", "12.50", "6.18"),
    ("2023-S2", "6.82", "4.22", "14.00", "12.66"),
    ("2024-S1", "8.01", "5.07", "14.50", "15.21"),
    ("2024-S2", "8.16", "4.92", "14.25", "14.76"),
    ("2025-S1", "7.21", "3.71", "13.15", "11.13"),
    ("2025-S2", "6.65", "2.76", "12.15", "8.28"),
    ("2026-S1", "6.67", "2.62", "12.15", "7.86"),
]


@pytest.mark.parametrize(("half", "part", "autres", "b2b", "floor"), TABLE)
def test_rate_table_matches_reference(half: str, part: str, autres: str, b2b: str,
                                      floor: str) -> None:
    h = HalfYear.parse(half)
    assert legal_rate(h, RateCategory.PARTICULIER) == D(part)
    assert legal_rate(h, RateCategory.AUTRES_CAS) == D(autres)
    assert b2b_default_rate(h) == D(b2b)
    assert b2b_floor(h) == D(floor)


def test_2024_s2_b2b_rate_is_14_25() -> None:
    # ECB 4.25 % from 12 Jun 2024 is the rate in force on 1 Jul 2024; + 10 points.
    assert b2b_default_rate(HalfYear(2024, 2)) == D("14.25")


def test_ecb_rate_in_force_on_a_date() -> None:
    assert ecb_rate_on(date(2023, 9, 19)) == D("4.25")
    assert ecb_rate_on(date(2023, 9, 20)) == D("4.50")  # effective the day of the change
    assert ecb_rate_on(date(2024, 9, 18)) == D("3.65")
    assert ecb_rate_on(date(2026, 1, 1)) == D("2.15")


def test_beyond_the_tables_raises_naming_the_half_year() -> None:
    with pytest.raises(RateUnknown, match="2026-S2"):
        legal_rate(HalfYear(2026, 2), RateCategory.AUTRES_CAS)
    with pytest.raises(RateUnknown, match="2026-S2"):
        b2b_default_rate(HalfYear(2026, 2))
    with pytest.raises(RateUnknown, match="2026-02-01"):
        ecb_rate_on(date(2026, 2, 1))
    with pytest.raises(RateUnknown, match="2016-S1"):
        legal_rate(HalfYear(2016, 1), RateCategory.PARTICULIER)
    with pytest.raises(RateUnknown):
        ecb_rate_on(date(2016, 3, 15))


SHIPPED = resources.files("domain.amounts").joinpath("data/rates.json")


def test_rates_json_has_a_source_for_every_row() -> None:
    data = json.loads(SHIPPED.read_text("utf-8"))
    rows = data["legal_rate"]["half_years"] + data["ecb_main_refinancing_rate"]["changes"]
    assert rows
    assert all(str(r["source"]).startswith("http") for r in rows)


def test_tables_are_data_and_can_be_extended() -> None:
    data = json.loads(SHIPPED.read_text("utf-8"))
    data["legal_rate"]["half_years"].append(
        {"half_year": "2026-S2", "particulier": "6.00", "autres_cas": "2.50", "source": "x"})
    data["ecb_main_refinancing_rate"]["changes"].append(
        {"effective_on": "2026-06-10", "rate": "2.00", "source": "x"})
    data["ecb_main_refinancing_rate"]["known_through"] = "2026-07-01"
    tables = RateTables.from_mapping(data)
    assert tables.legal_rate(HalfYear(2026, 2), RateCategory.AUTRES_CAS) == D("2.50")
    assert tables.b2b_default_rate(HalfYear(2026, 2)) == D("12.00")


def test_half_year_helpers() -> None:
    assert HalfYear.containing(date(2024, 6, 30)) == HalfYear(2024, 1)
    assert HalfYear.containing(date(2024, 7, 1)) == HalfYear(2024, 2)
    assert HalfYear(2024, 2).next() == HalfYear(2025, 1)
    assert str(HalfYear(2024, 1)) == "2024-S1"
    assert half_years_between(date(2024, 6, 30), date(2025, 1, 1)) == [
        HalfYear(2024, 1), HalfYear(2024, 2), HalfYear(2025, 1)]
    with pytest.raises(ValueError):
        HalfYear.parse("2024-S3")


# --- B2B rate, floor and contractual rate ----------------------------------------------


def test_floor_case_2024_s1_apply_default_flags() -> None:
    schedule = StatutoryRateSchedule(InterestTerms(DebtorKind.BUSINESS))
    piece = schedule.piece_at(date(2024, 3, 1))
    assert (piece.rate, piece.basis) == (D("14.50"), "ecb_plus_10")
    assert [(f.code, f.subject) for f in schedule.flags] == [("floor_exceeds_default", "2024-S1")]


def test_floor_case_2024_s1_raise_to_floor() -> None:
    schedule = StatutoryRateSchedule(
        InterestTerms(DebtorKind.BUSINESS, floor_policy=FloorPolicy.RAISE_TO_FLOOR))
    piece = schedule.piece_at(date(2024, 3, 1))
    assert (piece.rate, piece.basis) == (D("15.21"), "floor_3x_legal")
    assert [f.code for f in schedule.flags] == ["default_raised_to_floor"]


def test_no_floor_flag_when_default_is_above() -> None:
    schedule = StatutoryRateSchedule(InterestTerms(DebtorKind.BUSINESS))
    assert schedule.piece_at(date(2025, 3, 1)).rate == D("13.15")
    assert schedule.flags == []


def test_default_floor_policy_is_apply_default() -> None:
    assert InterestTerms(DebtorKind.BUSINESS).floor_policy is FloorPolicy.APPLY_DEFAULT


def test_contractual_rate_below_floor_refused() -> None:
    with pytest.raises(DomainValidationError) as err:
        validate_contractual_rate(D("12"), HalfYear(2024, 1))
    assert err.value.errors[0].field == "contractual_rate"
    assert err.value.errors[0].code == "below_legal_floor"
    assert "15.21" in err.value.errors[0].message
    validate_contractual_rate(D("15.21"), HalfYear(2024, 1))  # exactly the floor: allowed
    validate_contractual_rate(D("12"), HalfYear(2025, 2))  # floor 8.28
    validate_contractual_rate(D("1"), HalfYear(2024, 1), debtor_kind=DebtorKind.CONSUMER)


def test_a_contractual_rate_below_a_later_floor_gives_way_to_the_floor_and_is_flagged() -> None:
    """L441-10 II bounds the clause, it does not suspend the penalties (L441-16 sanctions
    the creditor): in 2024-S1 (floor 3 × 5.07 = 15.21 %) a 12 % clause yields the floor."""
    schedule = StatutoryRateSchedule(InterestTerms(DebtorKind.BUSINESS, contractual_rate=D("12")))
    assert schedule.piece_at(date(2025, 8, 1)).rate == D("12")  # floor 8.28: the clause runs
    assert schedule.flags == []
    piece = schedule.piece_at(date(2024, 2, 1))
    assert (piece.rate, piece.basis) == (D("15.21"), "floor_3x_legal")
    [flag] = schedule.flags
    assert (flag.code, flag.subject) == ("contractual_below_floor", "2024-S1")
    assert "12" in flag.message and "15.21" in flag.message


def test_below_the_floor_the_statutory_default_runs_when_the_policy_says_so() -> None:
    terms = InterestTerms(DebtorKind.BUSINESS, contractual_rate=D("12"),
                          below_floor_policy=BelowFloorPolicy.STATUTORY_DEFAULT)
    piece = StatutoryRateSchedule(terms).piece_at(date(2024, 2, 1))
    assert (piece.rate, piece.basis) == (D("14.50"), "ecb_plus_10")  # ECB 4.50 on 1 Jan + 10


def test_the_floor_policy_defaults_to_the_floor() -> None:
    assert InterestTerms(DebtorKind.BUSINESS).below_floor_policy is BelowFloorPolicy.FLOOR


def test_contractual_rate_must_be_positive() -> None:
    with pytest.raises(DomainValidationError) as err:
        InterestTerms(DebtorKind.BUSINESS, contractual_rate=D("0"))
    assert err.value.errors[0].field == "contractual_rate"


# --- B2C --------------------------------------------------------------------------------


def test_b2c_interest_runs_from_formal_notice_not_due_date() -> None:
    terms = InterestTerms(DebtorKind.CONSUMER, formal_notice_on=date(2025, 3, 15))
    assert interest_origin(date(2025, 1, 31), terms) == date(2025, 3, 15)
    # a notice sent before the invoice fell due counts from the due date
    assert interest_origin(date(2025, 4, 30), terms) == date(2025, 4, 30)
    assert interest_origin(date(2025, 1, 31), InterestTerms(DebtorKind.CONSUMER)) is None
    b2b = InterestTerms(DebtorKind.BUSINESS)
    assert interest_origin(date(2025, 1, 31), b2b) == date(2025, 1, 31)


def test_the_creditors_day_count_applies_from_a_notice_never_from_a_b2b_due_date() -> None:
    """C. com. L441-10 II: B2B penalties run from "le jour suivant" the due date, whatever
    the creditor chose. C. civ. 1231-6 / 1231-7 (from the notice, from the judgment) say
    nothing of the origin day: the creditor's setting decides, the day after by default."""
    for chosen in DayCount:
        assert interest_day_count(DebtorKind.BUSINESS, chosen) is DayCount.DATE_DIFFERENCE
        assert interest_day_count(DebtorKind.CONSUMER, chosen) is chosen
    assert law.DEFAULT_DAY_COUNT is DayCount.DATE_DIFFERENCE


def test_b2c_rate_is_the_creditors_category() -> None:
    pro = StatutoryRateSchedule(InterestTerms(DebtorKind.CONSUMER))
    assert pro.piece_at(date(2025, 3, 1)).rate == D("3.71")  # professional creditor: autres
    private = StatutoryRateSchedule(
        InterestTerms(DebtorKind.CONSUMER, creditor_category=RateCategory.PARTICULIER))
    assert private.piece_at(date(2025, 3, 1)).rate == D("7.21")


def test_judgment_majoration_plus_5_after_two_months() -> None:
    assert majoration_start(date(2025, 3, 10)) == date(2025, 5, 11)
    assert majoration_start(date(2025, 12, 31)) == date(2026, 3, 1)  # 28 Feb 2026 + 1 day
    terms = InterestTerms(DebtorKind.CONSUMER, formal_notice_on=date(2025, 1, 1),
                          judgment_enforceable_on=date(2025, 3, 10))
    schedule = StatutoryRateSchedule(terms)
    before = schedule.piece_at(date(2025, 5, 10))
    after = schedule.piece_at(date(2025, 5, 11))
    assert (before.rate, before.end) == (D("3.71"), date(2025, 5, 10))
    assert (after.rate, after.start, after.basis) == (D("8.71"), date(2025, 5, 11),
                                                      "legal_autres_cas_plus_5")
    assert schedule.piece_at(date(2025, 9, 1)).rate == D("7.76")  # 2025 S2: 2.76 + 5


def test_judgment_keeps_b2b_rate_and_says_so() -> None:
    terms = InterestTerms(DebtorKind.BUSINESS, judgment_enforceable_on=date(2025, 3, 10))
    assert StatutoryRateSchedule(terms).piece_at(date(2025, 9, 1)).rate == D("12.15")
    assert [f.code for f in law.regime_flags(terms)] == ["judgment_majoration_not_applied"]


# --- indemnity and fees ---------------------------------------------------------------


def test_indemnity_applies_b2b_only_in_euros() -> None:
    assert law.RECOVERY_INDEMNITY == D("40.00")
    assert indemnity_applies(DebtorKind.BUSINESS)
    assert not indemnity_applies(DebtorKind.CONSUMER)
    assert not indemnity_applies(DebtorKind.BUSINESS, currency="USD")


def test_proceedings_withhold_the_indemnity_only_of_invoices_due_from_the_opening() -> None:
    """C. com. L441-10 II: no 40 EUR where the opening forbids paying at the due date; the
    judgment has effect from the first hour of its day."""
    opened = date(2026, 3, 1)
    assert not law.indemnity_withheld(date(2026, 2, 28), opened)  # late before: kept
    assert law.indemnity_withheld(date(2026, 3, 1), opened)
    assert law.indemnity_withheld(date(2026, 4, 30), opened)
    assert not law.indemnity_withheld(date(2026, 4, 30), None)


def test_no_interest_from_the_opening_for_good_nor_while_a_plan_is_kept() -> None:
    """L622-28 stops interest from the opening day; a kept plan's days bear none
    (law.PLAN_KEEPS_INTEREST) until the day before its default."""
    terms = InterestTerms(DebtorKind.BUSINESS, proceedings_opened_on=date(2026, 3, 1),
                          plans_kept=(law.plan_kept_period(date(2025, 5, 10), date(2025, 8, 6)),))
    assert law.no_interest_periods(terms) == [
        (date(2026, 3, 1), None, law.STOP_COLLECTIVE_PROCEEDINGS),
        (date(2025, 5, 11), date(2025, 8, 5), law.STOP_PAYMENT_PLAN)]
    schedule = law.StatutoryRateSchedule(terms)
    kept = schedule.piece_at(date(2025, 6, 15))
    assert (kept.start, kept.end, kept.rate, kept.basis) == (
        date(2025, 5, 11), date(2025, 6, 30), 0, law.STOP_PAYMENT_PLAN)
    before = schedule.piece_at(date(2025, 5, 10))
    assert (before.start, before.end, before.basis) == (
        date(2025, 1, 1), date(2025, 5, 10), "ecb_plus_10")
    after = schedule.piece_at(date(2025, 8, 6))
    assert (after.start, after.end, after.basis) == (
        date(2025, 8, 6), date(2025, 12, 31), "ecb_plus_10")
    assert schedule.piece_at(date(2026, 2, 28)).rate > 0
    stopped = schedule.piece_at(date(2026, 3, 1))
    assert (stopped.start, stopped.end, stopped.rate) == (date(2026, 3, 1), date(2026, 6, 30), 0)
    assert schedule.piece_at(date(2031, 1, 2)).rate == 0  # for good: no rate table needed


def test_consumer_interest_runs_from_the_judgment_when_no_notice_came_first() -> None:
    """C. civ. 1231-7: a judgment ordering payment makes interest run from its day."""
    due = date(2025, 1, 31)
    judged = InterestTerms(DebtorKind.CONSUMER, judgment_on=date(2025, 9, 10))
    assert law.interest_origin(due, judged) == date(2025, 9, 10)
    noticed = replace(judged, formal_notice_on=date(2025, 4, 2))
    assert law.interest_origin(due, noticed) == date(2025, 4, 2)
    assert law.interest_origin(due, InterestTerms(DebtorKind.CONSUMER)) is None


@pytest.mark.parametrize("kind", list(DebtorKind))
@pytest.mark.parametrize("phase", [Phase.PRE_DUE, Phase.AMICABLE, Phase.FORMAL_NOTICE])
def test_no_recovery_fees_without_enforceable_title(kind: DebtorKind, phase: Phase) -> None:
    assert recovery_fees_allowed(kind, phase) is False
    assert recovery_fees_allowed(kind, phase, enforceable_title=True) is False


def test_recovery_fees_only_in_judicial_phase_with_title() -> None:
    assert recovery_fees_allowed(DebtorKind.CONSUMER, Phase.JUDICIAL) is False
    assert recovery_fees_allowed(DebtorKind.CONSUMER, Phase.JUDICIAL, enforceable_title=True)


# --- prescription --------------------------------------------------------------------


def test_limitation_dates() -> None:
    assert limitation_date(date(2021, 3, 15), DebtorKind.BUSINESS) == date(2026, 3, 15)
    assert limitation_date(date(2024, 5, 2), DebtorKind.CONSUMER) == date(2026, 5, 2)
    assert limitation_date(date(2024, 2, 29), DebtorKind.CONSUMER) == date(2026, 2, 28)


def test_prescription_warning_within_90_days() -> None:
    lim = date(2026, 3, 15)
    assert prescription_warning(lim, date(2025, 12, 15))  # exactly 90 days before
    assert not prescription_warning(lim, date(2025, 12, 14))  # 91 days before
    assert prescription_warning(lim, lim)
    assert not prescription_warning(lim, date(2026, 3, 16))
    assert is_prescribed(lim, date(2026, 3, 16))
    assert not is_prescribed(lim, lim)


# --- payment terms -------------------------------------------------------------------


def inv(issue: date, due: date) -> Invoice:
    return Invoice("F-1", issue, due, D("100.00"))


def test_term_within_60_days_not_flagged() -> None:
    assert payment_term_flags(inv(date(2025, 1, 15), date(2025, 3, 16)), DebtorKind.BUSINESS) == []


def test_term_cap_flags() -> None:
    issue = date(2025, 1, 15)
    # 60 days: 16 Mar; 45 days end of month: (a) 31 Jan + 45 = 17 Mar; (b) 1 Mar -> 31 Mar
    codes = [f.code for f in payment_term_flags(inv(issue, date(2025, 3, 17)), DebtorKind.BUSINESS)]
    assert codes == ["term_needs_end_of_month_clause"]
    codes = [f.code for f in payment_term_flags(inv(issue, date(2025, 3, 25)), DebtorKind.BUSINESS)]
    assert codes == ["term_needs_end_of_month_clause", "term_depends_on_end_of_month_reading"]
    flags = payment_term_flags(inv(issue, date(2025, 4, 1)), DebtorKind.BUSINESS)
    assert [(f.code, f.subject) for f in flags] == [("term_exceeds_legal_cap", "F-1")]


def test_term_caps_do_not_apply_to_consumers() -> None:
    assert payment_term_flags(inv(date(2025, 1, 15), date(2025, 6, 1)), DebtorKind.CONSUMER) == []


def test_due_before_issue_flagged() -> None:
    flags = payment_term_flags(inv(date(2025, 1, 15), date(2025, 1, 10)), DebtorKind.BUSINESS)
    assert [f.code for f in flags] == ["due_before_issue"]


def test_add_months_clamps() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 1, 31), 2) == date(2025, 3, 31)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert DEFAULT_RATES.ecb_known_through == date(2026, 1, 1)


def test_the_half_years_a_clause_falls_below_the_floor_are_listed_up_to_the_tables() -> None:
    # Floors: 2023-S1 6.18, S2 12.66, 2024-S1 15.21, S2 14.76, 2025-S1 11.13, S2 8.28.
    found = half_years_below_floor(D("12"), HalfYear(2023, 1), date(2025, 12, 31))
    assert [str(h) for h in found] == ["2023-S2", "2024-S1", "2024-S2"]
    # Beyond the tables nothing is guessed (the statement flags it once published).
    assert half_years_below_floor(D("1"), HalfYear(2026, 1), date(2030, 1, 1)) == [
        HalfYear(2026, 1)]


def test_a_clause_above_the_floor_needs_no_ecb_rate() -> None:
    """Only the legal rate decides whether a clause stands; the ECB table is not read, so a
    half-year whose ECB rate is not yet known does not stop a contractual claim."""
    shipped = RateTables.load_default()
    tables = RateTables(
        [shipped.legal_rate_row(HalfYear(2026, 1))], [],
        date(2026, 1, 1))  # no ECB decision at all
    schedule = StatutoryRateSchedule(InterestTerms(DebtorKind.BUSINESS,
                                                   contractual_rate=D("12")), tables)
    assert schedule.piece_at(date(2026, 2, 1)).rate == D("12")
