"""Payment plans: equal monthly instalments, validation, allocation and default."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from domain.amounts.ledger import Payment
from domain.amounts.payment_plan import (
    DEFAULT_GRACE_DAYS,
    Instalment,
    InstalmentStatus,
    PaymentPlan,
    PlanStatus,
    equal_monthly_instalments,
    evaluate_plan,
    validate_plan,
)
from domain.shared.errors import DomainValidationError


def test_1000_in_three() -> None:
    plan = equal_monthly_instalments(D("1000.00"), 3, date(2025, 1, 15), "EUR")
    assert [i.amount for i in plan] == [D("333.33"), D("333.33"), D("333.34")]
    assert [i.due_on for i in plan] == [date(2025, 1, 15), date(2025, 2, 15), date(2025, 3, 15)]
    validate_plan(plan, D("1000.00"))


def test_month_end_clamping_anchored_on_first_date() -> None:
    plan = equal_monthly_instalments(D("100.00"), 4, date(2024, 1, 31), "EUR")
    assert [i.due_on for i in plan] == [
        date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30)]
    assert equal_monthly_instalments(D("10.00"), 2, date(2025, 1, 31), "EUR")[1].due_on == (
        date(2025, 2, 28))


def test_equal_instalments_other_currency_and_errors() -> None:
    assert [i.amount for i in equal_monthly_instalments(D("1000"), 3, date(2025, 1, 1), "JPY")] == [
        D("333"), D("333"), D("334")]
    with pytest.raises(DomainValidationError) as err:
        equal_monthly_instalments(D("0.02"), 3, date(2025, 1, 1), "EUR")
    assert err.value.errors[0].field == "count"
    with pytest.raises(DomainValidationError) as err:
        equal_monthly_instalments(D("10.001"), 0, date(2025, 1, 1), "EUR")
    assert [e.field for e in err.value.errors] == ["total", "count"]


def test_validate_plan_names_fields() -> None:
    bad = [Instalment(date(2025, 2, 1), D("100.00")), Instalment(date(2025, 2, 1), D("-5.00")),
           Instalment(date(2025, 1, 1), D("10.001"))]
    with pytest.raises(DomainValidationError) as err:
        validate_plan(bad, D("300.00"))
    assert [(e.field, e.code) for e in err.value.errors] == [
        ("instalments[1].amount", "not_positive"),
        ("instalments[1].due_on", "not_increasing"),
        ("instalments[2].amount", "too_many_decimals"),
        ("instalments[2].due_on", "not_increasing"),
        ("instalments", "sum_mismatch"),
    ]
    with pytest.raises(DomainValidationError) as err:
        validate_plan([Instalment(date(2025, 2, 1), D("100.00"))], D("100.00"),
                      starts_on=date(2025, 3, 1))
    assert err.value.errors[0].field == "instalments[0].due_on"
    with pytest.raises(DomainValidationError):
        validate_plan([], D("0"))


def plan() -> PaymentPlan:
    return PaymentPlan("pl1", date(2025, 1, 10), "EUR",
                       equal_monthly_instalments(D("1000.00"), 3, date(2025, 1, 15), "EUR"))


def pay(pid: str, amount: str, on: date, reversed_on: date | None = None) -> Payment:
    return Payment(pid, D(amount), on, reversed_on=reversed_on)


def statuses(today: date, payments: list[Payment]) -> tuple[PlanStatus, list[InstalmentStatus]]:
    ev = evaluate_plan(plan(), payments, today)
    return ev.status, [i.status for i in ev.instalments]


def test_default_grace_is_five_days() -> None:
    assert DEFAULT_GRACE_DAYS == 5
    assert plan().grace_days == 5


def test_statuses_over_time() -> None:
    P, PP, PAID, LATE, MISSED = (InstalmentStatus.PENDING, InstalmentStatus.PARTIALLY_PAID,
                                 InstalmentStatus.PAID, InstalmentStatus.LATE,
                                 InstalmentStatus.MISSED)
    assert statuses(date(2025, 1, 12), []) == (PlanStatus.ACTIVE, [P, P, P])
    payments = [pay("a", "100.00", date(2025, 1, 14))]
    assert statuses(date(2025, 1, 14), payments) == (PlanStatus.ACTIVE, [PP, P, P])
    assert statuses(date(2025, 1, 16), payments) == (PlanStatus.ACTIVE, [LATE, P, P])
    assert statuses(date(2025, 1, 20), payments) == (PlanStatus.ACTIVE, [LATE, P, P])  # grace
    assert statuses(date(2025, 1, 21), payments) == (PlanStatus.DEFAULTED, [MISSED, P, P])
    payments.append(pay("b", "300.00", date(2025, 1, 18)))  # 400.00 by 18 Jan: in grace
    assert statuses(date(2025, 1, 21), payments) == (PlanStatus.ACTIVE, [PAID, PP, P])


def test_plan_defaults_after_grace_and_stays_defaulted() -> None:
    payments = [pay("a", "333.33", date(2025, 1, 25))]  # paid after the 20 Jan deadline
    ev = evaluate_plan(plan(), payments, date(2025, 1, 26))
    assert ev.status is PlanStatus.DEFAULTED
    assert ev.defaulted_on == date(2025, 1, 21)
    assert ev.instalments[0].status is InstalmentStatus.PAID
    # on 20 Jan (last grace day) it was late, not yet defaulted
    assert evaluate_plan(plan(), payments, date(2025, 1, 20)).status is PlanStatus.ACTIVE


def test_plan_completed_and_excess() -> None:
    payments = [pay("a", "333.33", date(2025, 1, 15)), pay("b", "400.00", date(2025, 2, 18)),
                pay("c", "300.00", date(2025, 3, 15))]
    ev = evaluate_plan(plan(), payments, date(2025, 3, 15))
    assert ev.status is PlanStatus.COMPLETED
    assert [i.paid for i in ev.instalments] == [D("333.33"), D("333.33"), D("333.34")]
    assert [i.paid_on for i in ev.instalments] == [
        date(2025, 1, 15), date(2025, 2, 18), date(2025, 3, 15)]
    assert ev.excess == D("33.33")
    assert ev.outstanding == 0
    assert ev.completed_on == date(2025, 3, 15)


def test_payments_before_start_and_reversed_are_not_counted() -> None:
    payments = [pay("before", "333.33", date(2025, 1, 9)),
                pay("bounced", "333.33", date(2025, 1, 15), reversed_on=date(2025, 1, 30))]
    assert evaluate_plan(plan(), payments, date(2025, 1, 16)).instalments[0].status is (
        InstalmentStatus.PAID)
    ev = evaluate_plan(plan(), payments, date(2025, 1, 30))
    assert ev.paid == 0
    assert ev.status is PlanStatus.DEFAULTED
