"""Statements of account: imputation, interest between payments, indemnity, reversal,
credit. Expected figures are computed by hand with amount × days × rate / 36 500 and the
rates of french-law.md §2.3 (each period rounded half-up to the cent).

Imputation: within an invoice interest (C. civ. 1343-1), then the 40 EUR indemnity (an
accessory paid like interest, Cass. 1re civ. 7 Feb 1995 n° 92-14.216), then principal;
across invoices the named ones, then due before not yet due, oldest first; invoices equal
in due and issue date share pro rata to what each owes (C. civ. 1342-10, last rule)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from domain.amounts import law
from domain.amounts.interest import DayCount
from domain.amounts.law import FloorPolicy, InterestTerms
from domain.amounts.ledger import Payment, Statement, compute_statement
from domain.amounts.rates import RateCategory, RateUnknown
from domain.claims.model import Invoice
from domain.debtors.model import DebtorKind
from domain.shared.errors import DomainValidationError

B2B = InterestTerms(DebtorKind.BUSINESS)


def stmt(invoices: list[Invoice], payments: list[Payment], at: date,
         terms: InterestTerms = B2B) -> Statement:
    return compute_statement(invoices=invoices, currency="EUR", terms=terms,
                             payments=payments, at=at)


def pay(pid: str, amount: str, on: date, *names: str, reversed_on: date | None = None) -> Payment:
    return Payment(pid, D(amount), on, "transfer", None, tuple(names), reversed_on,
                   "bounced" if reversed_on else None)


def invoice(number: str, amount: str, due: date, issue: date | None = None) -> Invoice:
    return Invoice(number, issue or date(due.year, due.month, 1), due, D(amount))


def test_b2b_interest_then_indemnity_then_principal_then_interest_on_the_rest() -> None:
    # 10 000 due 31 Aug 2024; 1 000 paid 30 Sep 2024; statement 30 Oct 2024 (2024 S2 14.25 %)
    #  1-30 Sep: 10 000 × 30 × 14.25 / 36 500 = 117.1233 -> 117.12 (paid first, 1343-1)
    #  then the 40 indemnity (an accessory, Cass. 1re civ. 7 Feb 1995 n° 92-14.216)
    #  principal paid 1 000 - 117.12 - 40 = 842.88 -> 9 157.12 left
    #  1-30 Oct: 9 157.12 × 30 × 14.25 / 36 500 = 3 914 668.8 / 36 500 = 107.2512 -> 107.25
    s = stmt([invoice("F1", "10000.00", date(2024, 8, 31))],
             [pay("p1", "1000.00", date(2024, 9, 30))], date(2024, 10, 30))
    f1 = s.invoices[0]
    assert [(ln.start, ln.end, ln.days, ln.base, ln.amount) for ln in f1.interest_lines] == [
        (date(2024, 9, 1), date(2024, 9, 30), 30, D("10000.00"), D("117.12")),
        (date(2024, 10, 1), date(2024, 10, 30), 30, D("9157.12"), D("107.25")),
    ]
    assert (f1.interest_accrued, f1.interest_paid, f1.interest_outstanding) == (
        D("224.37"), D("117.12"), D("107.25"))
    assert (f1.principal_paid, f1.principal_outstanding) == (D("842.88"), D("9157.12"))
    assert (f1.indemnity.amount, f1.indemnity.paid, f1.indemnity.outstanding) == (
        D("40.00"), D("40.00"), D("0.00"))
    split = s.payments[0]
    assert (split.to_interest, split.to_principal, split.to_indemnity, split.to_credit) == (
        D("117.12"), D("842.88"), D("40.00"), D("0"))
    assert s.totals.due == D("9157.12") + D("107.25") == D("9264.37")
    # 2024 S2: 3 × 4.92 = 14.76 % is above ECB + 10 = 14.25 %: the default applies, flagged
    assert [f.code for f in s.flags] == ["floor_exceeds_default"]


def test_2024_s1_floor_case_in_a_statement() -> None:
    # 1 000 due 31 Mar 2024, statement 30 Apr 2024, 30 days.
    #  default 14.50: 1 000 × 30 × 14.50 / 36 500 = 11.9178 -> 11.92
    #  floor 15.21:   1 000 × 30 × 15.21 / 36 500 = 12.5013 -> 12.50
    inv = [invoice("F1", "1000.00", date(2024, 3, 31))]
    applied = stmt(inv, [], date(2024, 4, 30))
    assert applied.invoices[0].interest_accrued == D("11.92")
    assert [(f.code, f.subject) for f in applied.flags] == [("floor_exceeds_default", "2024-S1")]
    raised = stmt(inv, [], date(2024, 4, 30),
                  InterestTerms(DebtorKind.BUSINESS, floor_policy=FloorPolicy.RAISE_TO_FLOOR))
    assert raised.invoices[0].interest_accrued == D("12.50")
    assert [f.code for f in raised.flags] == ["default_raised_to_floor"]


def test_contractual_rate_below_floor_runs_the_floor_in_statement() -> None:
    # A 12 % clause is below the 2024 S1 floor 3 × 5.07 = 15.21 %: never refused (law.py,
    # BelowFloorPolicy, C. com. L441-10 II / L441-16), the floor runs instead, flagged.
    # 1 000 × 30 × 15.21 / 36 500 = 12.5013 -> 12.50
    terms = InterestTerms(DebtorKind.BUSINESS, contractual_rate=D("12"))
    below = stmt([invoice("F1", "1000.00", date(2024, 3, 31))], [], date(2024, 4, 30), terms)
    assert below.invoices[0].interest_accrued == D("12.50")
    assert below.invoices[0].interest_lines[0].basis == "floor_3x_legal"
    assert [(f.code, f.subject) for f in below.flags] == [("contractual_below_floor", "2024-S1")]
    # 2025 S2 floor is 8.28 %: 12 % accepted. 1 000 × 30 × 12 / 36 500 = 9.863 -> 9.86
    ok = stmt([invoice("F1", "1000.00", date(2025, 7, 31))], [], date(2025, 8, 30), terms)
    assert ok.invoices[0].interest_accrued == D("9.86")
    assert ok.invoices[0].interest_lines[0].basis == "contractual"


def test_b2c_interest_starts_at_formal_notice_and_no_indemnity() -> None:
    # Consumer, professional creditor (autres cas, 2025 S1 3.71 %), 1 200 due 31 Jan 2025,
    # formal notice 15 Mar 2025, statement 14 Apr 2025: 16 Mar..14 Apr = 30 days.
    # 1 200 × 30 × 3.71 / 36 500 = 3.6592 -> 3.66
    terms = InterestTerms(DebtorKind.CONSUMER, formal_notice_on=date(2025, 3, 15))
    s = stmt([invoice("C1", "1200.00", date(2025, 1, 31))], [], date(2025, 4, 14), terms)
    f = s.invoices[0]
    assert [(ln.start, ln.days, ln.rate, ln.amount) for ln in f.interest_lines] == [
        (date(2025, 3, 16), 30, D("3.71"), D("3.66"))]
    assert f.indemnity.amount == 0
    assert f.limitation_date == date(2027, 1, 31)  # 2 years (C. conso. L218-2)


def test_b2c_without_formal_notice_has_no_interest_and_says_so() -> None:
    s = stmt([invoice("C1", "1200.00", date(2025, 1, 31))], [], date(2025, 6, 30),
             InterestTerms(DebtorKind.CONSUMER))
    assert s.totals.interest == 0
    assert [f.code for f in s.flags] == ["no_formal_notice"]


def test_example_a_in_a_statement_both_day_counts() -> None:
    # Ex. A shape (F20688): 1 Sep -> 30 Sep 2020 = 30 days at 3.11 % (private creditor).
    # 10 000 × 30 × 3.11 / 36 500 = 25.5616 -> 25.56
    inv = [invoice("C1", "10000.00", date(2020, 8, 1))]
    default = stmt(inv, [], date(2020, 9, 30), InterestTerms(
        DebtorKind.CONSUMER, formal_notice_on=date(2020, 8, 31),
        creditor_category=RateCategory.PARTICULIER))
    inclusive = stmt(inv, [], date(2020, 9, 30), InterestTerms(
        DebtorKind.CONSUMER, formal_notice_on=date(2020, 9, 1), day_count=DayCount.INCLUSIVE,
        creditor_category=RateCategory.PARTICULIER))
    for s in (default, inclusive):
        assert s.invoices[0].interest_lines[0].days == 30
        assert s.invoices[0].interest_accrued == D("25.56")


# --- collective proceedings (C. com. L622-28, L441-10 II) and kept plans --------------
# 2024 S2: ECB 4.25 + 10 = 14.25 %.
OPENED = date(2024, 10, 1)
IN_PROCEEDINGS = InterestTerms(DebtorKind.BUSINESS, proceedings_opened_on=OPENED,
                               proceedings_recorded_on=date(2024, 11, 20))


def test_interest_stops_at_the_opening_and_an_invoice_late_before_keeps_its_indemnity() -> None:
    """L622-28: no interest from the opening day, for good; an invoice late before the
    opening keeps its 40 EUR (declared with the claim).
    1-30 Sep: 10 000 × 30 × 14.25 / 36 500 = 117.12; nothing from 1 Oct."""
    s = stmt([invoice("F1", "10000.00", date(2024, 8, 31))], [], date(2024, 12, 31),
             IN_PROCEEDINGS)
    f1 = s.invoices[0]
    assert [(ln.start, ln.end, ln.amount, ln.basis) for ln in f1.interest_lines] == [
        (date(2024, 9, 1), date(2024, 9, 30), D("117.12"), "ecb_plus_10"),
        (date(2024, 10, 1), date(2024, 12, 31), D("0.00"), "stopped_collective_proceedings")]
    assert f1.indemnity.amount == D("40.00")
    assert s.totals.due == D("10157.12")
    codes = [f.code for f in s.flags]
    assert "interest_stopped_collective_proceedings" in codes
    assert "indemnity_not_claimed_collective_proceedings" not in codes


def test_an_invoice_falling_due_after_the_opening_bears_neither_interest_nor_indemnity() -> None:
    """L441-10 II: the opening forbids paying it at its due date, so no 40 EUR."""
    s = stmt([invoice("F1", "10000.00", date(2024, 8, 31)),
              invoice("F2", "500.00", date(2024, 10, 15))], [], date(2024, 12, 31),
             IN_PROCEEDINGS)
    f2 = s.invoices[1]
    assert (f2.interest_accrued, f2.indemnity.amount) == (0, 0)
    assert s.totals.due == D("10657.12")
    assert [(f.code, f.subject) for f in s.flags
            if f.code == "indemnity_not_claimed_collective_proceedings"] == [
        ("indemnity_not_claimed_collective_proceedings", "F2")]


def test_a_debt_that_arose_after_the_opening_bears_interest_and_its_indemnity() -> None:
    """L622-17: a debt arising after the opening is paid at its due date; neither L622-28
    nor L441-10 II touches it. F3, issued 10 Oct, due 9 Nov: from 10 Nov to 31 Dec,
    1 000 × 52 × 14.25 / 36 500 = 20.30, and its 40 EUR; F1 stays stopped at the opening."""
    s = stmt([invoice("F1", "10000.00", date(2024, 8, 31)),
              invoice("F3", "1000.00", date(2024, 11, 9), issue=date(2024, 10, 10))], [],
             date(2024, 12, 31), IN_PROCEEDINGS)
    f1, f3 = s.invoices
    assert f1.interest_accrued == D("117.12")
    assert [(ln.start, ln.end, ln.amount, ln.basis) for ln in f3.interest_lines] == [
        (date(2024, 11, 10), date(2024, 12, 31), D("20.30"), "ecb_plus_10")]
    assert f3.indemnity.amount == D("40.00")
    assert s.totals.due == D("10157.12") + D("1060.30")


def test_an_indemnity_paid_before_the_proceedings_were_known_is_not_refunded() -> None:
    """Recording proceedings after a payment must not invent a refund: what the debtor paid
    towards a withheld indemnity before Relance knew stays paid. Paid after, knowing, it
    is an overpayment kept as a credit."""
    f1 = invoice("F1", "1000.00", date(2024, 10, 15))
    before = stmt([f1], [pay("p1", "1040.00", date(2024, 11, 10))], date(2024, 12, 31),
                  IN_PROCEEDINGS)
    assert (before.invoices[0].indemnity.amount, before.invoices[0].indemnity.paid) == (
        D("40.00"), D("40.00"))
    assert (before.credit, before.totals.due) == (0, 0)
    after = stmt([f1], [pay("p1", "1040.00", date(2024, 11, 25))], date(2024, 12, 31),
                 IN_PROCEEDINGS)
    assert (after.invoices[0].indemnity.amount, after.credit, after.totals.due) == (
        0, D("40.00"), 0)
    overpaid = next(f for f in after.flags if f.code == "overpayment_credit")
    assert "L622-7" in overpaid.message


def test_a_kept_plan_bears_no_late_interest_and_interest_resumes_on_default() -> None:
    """What a kept plan schedules is not late (law.PLAN_KEEPS_INTEREST): agreed on 30 Sep,
    no interest from 1 Oct; defaulted on 6 Nov, interest resumes that day:
    10 000 × 56 × 14.25 / 36 500 = 218.63 (6 Nov - 31 Dec)."""
    f1 = invoice("F1", "10000.00", date(2024, 8, 31))
    kept = stmt([f1], [], date(2024, 12, 31), InterestTerms(
        DebtorKind.BUSINESS, plans_kept=(law.plan_kept_period(date(2024, 9, 30), None),)))
    assert kept.totals.due == D("10157.12")  # what was due the day the plan was agreed
    assert "payment_plan_kept" in [f.code for f in kept.flags]
    defaulted = stmt([f1], [], date(2024, 12, 31), InterestTerms(
        DebtorKind.BUSINESS,
        plans_kept=(law.plan_kept_period(date(2024, 9, 30), date(2024, 11, 6)),)))
    lines = defaulted.invoices[0].interest_lines
    assert [(ln.start, ln.end, ln.amount) for ln in lines] == [
        (date(2024, 9, 1), date(2024, 9, 30), D("117.12")),
        (date(2024, 10, 1), date(2024, 11, 5), D("0.00")),
        (date(2024, 11, 6), date(2024, 12, 31), D("218.63"))]
    assert defaulted.totals.due == D("10375.75")
    assert "plan_defaulted" in [f.code for f in defaulted.flags]


def test_an_invoice_a_kept_plan_schedules_is_not_late_until_the_plan_defaults() -> None:
    """F2 falls due on 20 Oct, inside a plan agreed on 30 Sep: no 40 EUR while it is kept;
    once it defaults (6 Nov) F2 is late from then: 500 × 56 × 14.25 / 36 500 = 10.93."""
    invs = [invoice("F1", "10000.00", date(2024, 8, 31)),
            invoice("F2", "500.00", date(2024, 10, 20))]
    kept = stmt(invs, [], date(2024, 12, 31), InterestTerms(
        DebtorKind.BUSINESS, plans_kept=(law.plan_kept_period(date(2024, 9, 30), None),)))
    assert (kept.invoices[1].indemnity.amount, kept.invoices[1].interest_accrued) == (0, 0)
    defaulted = stmt(invs, [], date(2024, 12, 31), InterestTerms(
        DebtorKind.BUSINESS,
        plans_kept=(law.plan_kept_period(date(2024, 9, 30), date(2024, 11, 6)),)))
    assert (defaulted.invoices[1].indemnity.amount,
            defaulted.invoices[1].interest_accrued) == (D("40.00"), D("10.93"))


def test_the_day_count_moves_consumer_interest_from_the_notice_not_b2b_penalties() -> None:
    """The creditor's day count decides whether the day of the formal notice bears interest
    (C. civ. 1231-6 is silent); B2B penalties run from the day after the due date whatever
    it says (C. com. L441-10 II "le jour suivant")."""
    inv = [invoice("C1", "1200.00", date(2025, 1, 31))]
    by_count = {count: stmt(inv, [], date(2025, 4, 14), InterestTerms(
        DebtorKind.CONSUMER, formal_notice_on=date(2025, 3, 15), day_count=count))
        for count in DayCount}
    # 16 Mar..14 Apr = 30 days, 1 200 × 30 × 3.71 / 36 500 = 3.6592 -> 3.66;
    # from 15 Mar, 31 days: 1 200 × 31 × 3.71 / 36 500 = 3.7812 -> 3.78 (2025 S1, autres cas)
    assert [(ln.start, ln.days, ln.amount) for ln in
            by_count[DayCount.DATE_DIFFERENCE].invoices[0].interest_lines] == [
        (date(2025, 3, 16), 30, D("3.66"))]
    assert [(ln.start, ln.days, ln.amount) for ln in
            by_count[DayCount.INCLUSIVE].invoices[0].interest_lines] == [
        (date(2025, 3, 15), 31, D("3.78"))]
    b2b = [stmt(inv, [], date(2025, 3, 2), InterestTerms(DebtorKind.BUSINESS, day_count=count))
           for count in DayCount]
    # 1 Feb..2 Mar 2025 = 30 days at 13.15 %: 1 200 × 30 × 13.15 / 36 500 = 12.9698 -> 12.97
    for s in b2b:
        assert [(ln.start, ln.days, ln.amount) for ln in s.invoices[0].interest_lines] == [
            (date(2025, 2, 1), 30, D("12.97"))]


def test_indemnity_per_late_invoice_only() -> None:
    invs = [invoice("F1", "500.00", date(2025, 3, 31)), invoice("F2", "700.00", date(2025, 3, 31)),
            invoice("F3", "300.00", date(2025, 5, 31))]
    # F2 paid on its due date (named): not late. F1 paid the day after: late. F3 not yet due.
    payments = [pay("p1", "700.00", date(2025, 3, 31), "F2"), pay("p2", "500.00", date(2025, 4, 1))]
    s = stmt(invs, payments, date(2025, 4, 30))
    by = {i.number: i for i in s.invoices}
    assert by["F1"].indemnity.amount == D("40.00")
    assert by["F2"].indemnity.amount == 0
    assert by["F3"].indemnity.amount == 0
    # F1 and F2 are equal (due 31 Mar, issued 1 Mar) but F2, named, was paid alone and
    # settled, so p2 goes to F1 alone. F1: 1 day (1 Apr) at 13.15 %:
    # 500 × 1 × 13.15 / 36 500 = 0.1801 -> 0.18 (1343-1), then the 40 indemnity, then
    # principal 500 - 0.18 - 40 = 459.82 -> 40.18 left.
    # 2..30 Apr, 29 days: 40.18 × 29 × 13.15 / 36 500 = 0.4198 -> 0.42; 0.18 + 0.42 = 0.60
    assert (by["F1"].applications[0].to_interest, by["F1"].applications[0].to_indemnity,
            by["F1"].applications[0].to_principal) == (D("0.18"), D("40.00"), D("459.82"))
    assert by["F1"].indemnity.outstanding == 0
    assert by["F1"].principal_outstanding == D("40.18")
    assert by["F1"].interest_accrued == D("0.60")
    assert s.totals.not_yet_due == D("300.00")


def test_imputation_order_interest_indemnity_principal_then_next_invoice() -> None:
    # Two invoices due 31 Jan 2025 (F-A) and 28 Feb 2025 (F-B), 1 000 each, paid on
    # 2 Mar 2025 with 1 100 (unnamed): oldest first (1342-10); within each, interest
    # (1343-1), indemnity (Cass. 1re civ. 7 Feb 1995 n° 92-14.216), principal.
    #   F-A: 1..28 Feb + 1..2 Mar = 30 days at 13.15 %: 1 000 × 30 × 13.15 / 36 500 = 10.8082
    #        -> 10.81 interest, 40 indemnity, 1 000 principal = 1 050.81
    #   F-B: the remaining 49.19: interest 2 days 1 000 × 2 × 13.15 / 36 500 = 0.7205 -> 0.72,
    #        then its 40 indemnity (late since 1 Mar), then 49.19 - 40.72 = 8.47 principal.
    invs = [invoice("F-B", "1000.00", date(2025, 2, 28)),
            invoice("F-A", "1000.00", date(2025, 1, 31))]
    s = stmt(invs, [pay("p1", "1100.00", date(2025, 3, 2))], date(2025, 3, 2))
    apps = s.payments[0].applications
    assert [(a.invoice_number, a.to_interest, a.to_principal, a.to_indemnity) for a in apps] == [
        ("F-A", D("10.81"), D("1000.00"), D("40.00")),
        ("F-B", D("0.72"), D("8.47"), D("40.00")),
    ]


def test_named_invoice_paid_first() -> None:
    invs = [invoice("F-A", "1000.00", date(2025, 1, 31)),
            invoice("F-B", "1000.00", date(2025, 2, 28))]
    s = stmt(invs, [pay("p1", "500.00", date(2025, 3, 2), "F-B")], date(2025, 3, 2))
    assert [a.invoice_number for a in s.payments[0].applications] == ["F-B"]
    by = {i.number: i for i in s.invoices}
    assert by["F-A"].principal_paid == 0
    # interest, then indemnity, then principal even on the named invoice (1343-1; Cass.
    # 1re civ. 7 Feb 1995): 0.72 (2 days, see above), 40, then 500 - 40.72 = 459.28
    assert by["F-B"].interest_paid == D("0.72")
    assert by["F-B"].indemnity.paid == D("40.00")
    assert by["F-B"].principal_paid == D("459.28")


def test_due_before_not_yet_due() -> None:
    invs = [invoice("LATER", "100.00", date(2025, 6, 30), issue=date(2025, 1, 1)),
            invoice("DUE", "100.00", date(2025, 3, 31), issue=date(2025, 3, 1))]
    s = stmt(invs, [pay("p1", "50.00", date(2025, 3, 31))], date(2025, 3, 31))
    assert [a.invoice_number for a in s.payments[0].applications] == ["DUE"]


def test_unknown_named_invoice_refused() -> None:
    with pytest.raises(DomainValidationError) as err:
        stmt([invoice("F1", "100.00", date(2025, 3, 31))],
             [pay("p1", "50.00", date(2025, 4, 1), "F9")], date(2025, 4, 30))
    assert err.value.errors[0].field == "payments[0].invoice_numbers[0]"


def test_overpayment_is_kept_as_credit() -> None:
    # 1 000 due 31 Jan 2025, paid 1 200 on 2 Mar 2025: 10.81 interest (30 days at 13.15 %),
    # 1 000 principal, 40 indemnity; 149.19 credit.
    s = stmt([invoice("F1", "1000.00", date(2025, 1, 31))],
             [pay("p1", "1200.00", date(2025, 3, 2))], date(2025, 6, 30))
    assert s.credit == D("149.19")
    assert s.payments[0].to_credit == D("149.19")
    assert s.totals.due == 0
    assert s.invoices[0].interest_accrued == D("10.81")  # nothing accrues once paid
    assert "overpayment_credit" in [f.code for f in s.flags]


def test_reversal_restores_amounts() -> None:
    invs = [invoice("F1", "1000.00", date(2025, 1, 31))]
    good = pay("p1", "300.00", date(2025, 2, 15))
    bounced = pay("p2", "500.00", date(2025, 3, 1), reversed_on=date(2025, 3, 10))
    without = stmt(invs, [good], date(2025, 4, 30))
    with_reversed = stmt(invs, [good, bounced], date(2025, 4, 30))
    assert with_reversed.invoices == without.invoices
    assert with_reversed.totals == without.totals
    ignored = [(i.payment_id, i.reason) for i in with_reversed.ignored_payments]
    assert ignored == [("p2", "reversed")]
    # before the reversal the cheque counted
    before = stmt(invs, [good, bounced], date(2025, 3, 5))
    assert before.totals.paid == D("800.00")


def test_payments_after_at_are_ignored_and_past_dates_reproducible() -> None:
    invs = [invoice("F1", "1000.00", date(2025, 1, 31))]
    payments = [pay("p1", "300.00", date(2025, 2, 15)), pay("p2", "200.00", date(2025, 5, 1))]
    past = stmt(invs, payments, date(2025, 3, 31))
    only_first = stmt(invs, payments[:1], date(2025, 3, 31))
    assert past.invoices == only_first.invoices
    assert past.totals == only_first.totals
    assert past.totals.paid == D("300.00")
    assert [(i.payment_id, i.reason) for i in past.ignored_payments] == [
        ("p2", "after_statement_date")]
    assert stmt(invs, payments, date(2025, 6, 1)).totals.paid == D("500.00")


def test_prescription_in_statement() -> None:
    s = stmt([invoice("F1", "100.00", date(2021, 3, 15))], [], date(2025, 12, 15),
             InterestTerms(DebtorKind.BUSINESS, proceedings_opened_on=date(2021, 3, 15)))
    f = s.invoices[0]
    assert f.limitation_date == date(2026, 3, 15)
    assert f.prescription_warning and not f.prescribed
    assert "prescription_near" in [fl.code for fl in s.flags]


def test_term_flags_in_statement() -> None:
    s = stmt([Invoice("F1", date(2025, 1, 15), date(2025, 4, 1), D("100.00"))], [],
             date(2025, 4, 1))
    assert [f.code for f in s.invoices[0].flags] == ["term_exceeds_legal_cap"]


def test_rate_unknown_beyond_tables() -> None:
    with pytest.raises(RateUnknown, match="2026-S2"):
        stmt([invoice("F1", "100.00", date(2026, 5, 31))], [], date(2026, 7, 15))
    # ... but not when nothing needs a rate (paid off before the unknown half-year)
    s = stmt([invoice("F1", "100.00", date(2026, 5, 31))],
             [pay("p1", "100.00", date(2026, 5, 31))], date(2026, 9, 1))
    assert s.totals.due == 0


def test_invalid_inputs() -> None:
    with pytest.raises(DomainValidationError) as err:
        stmt([invoice("F1", "100.001", date(2025, 1, 31)),
              invoice("F1", "5.00", date(2025, 1, 31))], [], date(2025, 2, 1))
    assert [e.field for e in err.value.errors] == ["invoices[0].amount", "invoices[1].number"]
    with pytest.raises(DomainValidationError) as err:
        Payment("p", D("-1"), date(2025, 1, 1))
    assert err.value.errors[0].field == "amount"
    with pytest.raises(DomainValidationError):
        Payment("p", D("1"), date(2025, 1, 1), method="bitcoin")
    with pytest.raises(DomainValidationError):
        stmt([], [], date(2025, 1, 1))


def test_partly_paid_indemnity_is_completed_by_the_next_payment() -> None:
    # F-A 1 000 due 31 Jan 2025: on 2 Mar 20.81 pays 10.81 interest (30 days at 13.15 %)
    # then 10.00 of the 40 indemnity, no principal (indemnity before principal, Cass. 1re
    # civ. 7 Feb 1995 n° 92-14.216). On 3 Mar the principal is still 1 000, one line
    # 1 Feb..3 Mar: 1 000 × 31 × 13.15 / 36 500 = 11.1685 -> 11.17, 11.17 - 10.81 = 0.36 due.
    # The next payment, 1 050.36, pays on F-A (oldest) 0.36 interest, the 30.00 indemnity
    # left, 1 000 principal, and the last 20.00 goes to F-B (not yet due: principal only).
    invs = [invoice("F-A", "1000.00", date(2025, 1, 31)),
            invoice("F-B", "1000.00", date(2025, 6, 30))]
    s = stmt(invs, [pay("p1", "20.81", date(2025, 3, 2)), pay("p2", "1050.36", date(2025, 3, 3))],
             date(2025, 3, 3))
    assert [(a.invoice_number, a.to_interest, a.to_principal, a.to_indemnity)
            for p in s.payments for a in p.applications] == [
        ("F-A", D("10.81"), D("0"), D("10.00")),
        ("F-A", D("0.36"), D("1000.00"), D("30.00")),
        ("F-B", D("0"), D("20.00"), D("0")),
    ]
    assert s.invoices[0].outstanding == 0


# ------------------------------------------------------------------------ equal invoices
# C. civ. 1342-10, last rule: "à égalité d'intérêt, sur la plus ancienne; toutes choses
# égales, proportionnellement". Invoices equal in every respect (same due date, same issue
# date) share a payment pro rata to what each owes on the payment day (interest +
# indemnity + principal), in whole cents, leftover cents to the largest remainders.

JAN_31 = date(2025, 1, 31)
MAR_2 = date(2025, 3, 2)


def imputed(s: Statement) -> list[tuple[str, D, D, D]]:
    """(invoice, interest, indemnity, principal) of every application, in order."""
    return [(a.invoice_number, a.to_interest, a.to_indemnity, a.to_principal)
            for p in s.payments for a in p.applications]


def equal_pair() -> list[Invoice]:
    """600 and 400, both issued 1 Jan 2025 and due 31 Jan 2025. On 2 Mar 2025 (30 days at
    13.15 %): 600 × 30 × 13.15 / 36 500 = 6.4849 -> 6.48, owes 6.48 + 40 + 600 = 646.48;
    400 × 30 × 13.15 / 36 500 = 4.3233 -> 4.32, owes 4.32 + 40 + 400 = 444.32; 1 090.80."""
    return [invoice("E-600", "600.00", JAN_31), invoice("E-400", "400.00", JAN_31)]


def test_equal_invoices_share_a_payment_pro_rata_to_what_each_owes() -> None:
    # 500 on 2 Mar 2025, unnamed, business debtor:
    #   E-600: 500 × 646.48 / 1 090.80 = 296.3329 -> 296.33 (remainder 0.0029)
    #   E-400: 500 × 444.32 / 1 090.80 = 203.6670 -> 203.66 (remainder 0.0070)
    #   296.33 + 203.66 = 499.99: the cent left goes to the largest remainder, E-400 -> 203.67
    # Within each: interest, indemnity, then principal (1343-1; Cass. 1re civ. 7 Feb 1995):
    #   E-600: 6.48, 40, 296.33 - 46.48 = 249.85;  E-400: 4.32, 40, 203.67 - 44.32 = 159.35
    s = stmt(equal_pair(), [pay("p1", "500.00", MAR_2)], MAR_2)
    assert imputed(s) == [
        ("E-400", D("4.32"), D("40.00"), D("159.35")),
        ("E-600", D("6.48"), D("40.00"), D("249.85")),
    ]
    split = s.payments[0]
    assert (split.to_interest, split.to_indemnity, split.to_principal, split.to_credit) == (
        D("10.80"), D("80.00"), D("409.20"), D("0"))
    by = {i.number: i for i in s.invoices}
    assert by["E-600"].principal_outstanding == D("350.15")
    assert by["E-400"].principal_outstanding == D("240.65")


def test_equal_invoices_rounding_cent_goes_to_one_and_shares_add_up() -> None:
    # Three equal 1 000 invoices (issued 1 Jan, due 31 Jan 2025) each owe on 2 Mar
    # 10.81 + 40 + 1 000 = 1 050.81 (1 000 × 30 × 13.15 / 36 500 = 10.8082 -> 10.81).
    # 100 / 3 = 33.333...: 33.33 × 3 = 99.99, one share gets the cent left: 33.34.
    # Each share pays its 10.81 interest, then 22.52 (or 22.53) of indemnity, no principal.
    invs = [invoice(n, "1000.00", JAN_31) for n in ("T-1", "T-2", "T-3")]
    s = stmt(invs, [pay("p1", "100.00", MAR_2)], MAR_2)
    apps = s.payments[0].applications
    totals = sorted(a.total for a in apps)
    assert totals == [D("33.33"), D("33.33"), D("33.34")]
    assert sum(totals) == D("100.00")
    assert max(totals) - min(totals) <= D("0.01")
    assert all(a.to_interest == D("10.81") and a.to_principal == 0 for a in apps)
    assert sorted(a.to_indemnity for a in apps) == [D("22.52"), D("22.52"), D("22.53")]
    assert s.totals.principal_outstanding == D("3000.00")


def test_payment_covering_an_equal_group_pays_each_in_full_then_the_next_invoice() -> None:
    # The equal pair owes 1 090.80 on 2 Mar 2025 (see equal_pair); N, due 28 Feb 2025
    # (issued 1 Feb), comes after it (1342-10, oldest first). 1 200 pays the pair in full,
    # the remaining 109.20 goes to N: 2 days 1 000 × 2 × 13.15 / 36 500 = 0.7205 -> 0.72
    # interest, 40 indemnity, 109.20 - 40.72 = 68.48 principal.
    invs = [invoice("N", "1000.00", date(2025, 2, 28)), *equal_pair()]
    s = stmt(invs, [pay("p1", "1200.00", MAR_2)], MAR_2)
    assert imputed(s) == [
        ("E-400", D("4.32"), D("40.00"), D("400.00")),
        ("E-600", D("6.48"), D("40.00"), D("600.00")),
        ("N", D("0.72"), D("40.00"), D("68.48")),
    ]
    by = {i.number: i for i in s.invoices}
    assert by["E-600"].outstanding == by["E-400"].outstanding == 0
    assert by["N"].principal_outstanding == D("931.52")
    assert s.credit == 0


def test_invoices_differing_only_by_number_are_equal() -> None:
    # Same issue (1 Mar) and due (31 Mar 2025) dates: the number no longer decides. Paid
    # 100 on 20 Mar, before the due date (no interest, no indemnity): 300 and 700 owed,
    # 100 × 300 / 1 000 = 30.00 and 100 × 700 / 1 000 = 70.00; A-1, first by number, does
    # not take it all.
    due = date(2025, 3, 31)
    invs = [invoice("B-2", "700.00", due), invoice("A-1", "300.00", due)]
    s = stmt(invs, [pay("p1", "100.00", date(2025, 3, 20))], date(2025, 3, 20))
    assert imputed(s) == [
        ("A-1", D("0"), D("0"), D("30.00")),
        ("B-2", D("0"), D("0"), D("70.00")),
    ]


def test_invoices_with_different_issue_dates_are_not_equal() -> None:
    # Same due date, but B-2 was issued on 1 Mar and A-1 on 2 Mar: B-2 is the older
    # (1342-10, "sur la plus ancienne") and takes the whole 300, whatever the numbers.
    due = date(2025, 3, 31)
    invs = [invoice("A-1", "500.00", due, issue=date(2025, 3, 2)),
            invoice("B-2", "500.00", due, issue=date(2025, 3, 1))]
    s = stmt(invs, [pay("p1", "300.00", date(2025, 3, 20))], date(2025, 3, 20))
    assert imputed(s) == [("B-2", D("0"), D("0"), D("300.00"))]


def test_named_invoice_among_equal_ones_is_paid_first_on_its_own() -> None:
    # The debtor names E-600 (1342-10, first rule): it is paid in full first, not shared
    # with E-400: 6.48 interest, 40 indemnity, 600 principal = 646.48; the remaining
    # 700 - 646.48 = 53.52 goes to E-400: 4.32 interest, 40 indemnity, 9.20 principal.
    s = stmt(equal_pair(), [pay("p1", "700.00", MAR_2, "E-600")], MAR_2)
    assert imputed(s) == [
        ("E-600", D("6.48"), D("40.00"), D("600.00")),
        ("E-400", D("4.32"), D("40.00"), D("9.20")),
    ]
