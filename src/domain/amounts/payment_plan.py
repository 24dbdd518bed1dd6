"""Payment plans (échéanciers): instalments agreed with a debtor.

- `equal_monthly_instalments`: N equal instalments rounded DOWN to the minor unit, the
  remainder on the last (1000.00 / 3 -> 333.33, 333.33, 333.34). Due dates are anchored on
  the first due date's day of month and clamped to short months: 31 Jan -> 28/29 Feb ->
  31 Mar -> 30 Apr -> 31 May (each date is first_due_on + i months, never chained, so a
  clamped February does not drag the following months to the 28th).
- Payments received on or after the plan start fill the instalments in order.
- An instalment not fully paid by its due date is late; once the grace period (default 5
  days) after its due date is over without full payment, it is missed and the plan is
  defaulted from the next day. Default is sticky: paying the instalment afterwards makes
  it paid but the plan stays defaulted (the creditor may have resumed collection; a new
  plan can be agreed).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

from domain.amounts.ledger import Payment
from domain.shared.dates import add_months
from domain.shared.errors import DomainValidationError, FieldError
from domain.shared.money import minor_units, quantum

DEFAULT_GRACE_DAYS = 5
ZERO = Decimal(0)


class InstalmentStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    PARTIALLY_PAID = "partially_paid"
    LATE = "late"  # past due, within the grace period
    MISSED = "missed"  # grace period over, not fully paid


class PlanStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    DEFAULTED = "defaulted"


@dataclass(frozen=True, slots=True)
class Instalment:
    due_on: date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class PaymentPlan:
    id: str
    starts_on: date
    currency: str
    instalments: tuple[Instalment, ...]
    grace_days: int = DEFAULT_GRACE_DAYS

    @property
    def total(self) -> Decimal:
        return sum((i.amount for i in self.instalments), ZERO)


@dataclass(frozen=True, slots=True)
class InstalmentState:
    index: int
    due_on: date
    amount: Decimal
    paid: Decimal
    outstanding: Decimal
    status: InstalmentStatus
    paid_on: date | None  # the day it became fully paid


@dataclass(frozen=True, slots=True)
class PlanEvaluation:
    status: PlanStatus
    instalments: tuple[InstalmentState, ...]
    paid: Decimal  # allocated to instalments
    outstanding: Decimal
    excess: Decimal  # paid beyond the plan's total (kept, not lost: see the ledger's credit)
    defaulted_on: date | None
    completed_on: date | None


def equal_monthly_instalments(
    total: Decimal, count: int, first_due_on: date, currency: str
) -> tuple[Instalment, ...]:
    """`count` monthly instalments of total / count (rounded down), remainder on the last."""
    q = quantum(currency)
    errors: list[FieldError] = []
    if not isinstance(total, Decimal) or not total.is_finite() or total <= 0:
        errors.append(FieldError("total", "must be greater than zero", "not_positive"))
    elif total != total.quantize(q):
        errors.append(FieldError(
            "total", f"{currency} amounts have at most {minor_units(currency)} decimals",
            "too_many_decimals",
        ))
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        errors.append(FieldError("count", "must be a whole number of at least 1", "invalid"))
    if errors:
        raise DomainValidationError.many(errors)
    share = (total / count).quantize(q, rounding=ROUND_DOWN)
    if share <= 0:
        raise DomainValidationError(
            "count", f"too many instalments for {total} {currency}", code="too_many"
        )
    last = total - share * (count - 1)
    return tuple(
        Instalment(add_months(first_due_on, i), share if i < count - 1 else last)
        for i in range(count)
    )


def validate_plan(
    instalments: Sequence[Instalment],
    amount_due: Decimal,
    *,
    currency: str = "EUR",
    starts_on: date | None = None,
) -> None:
    """Refuse a plan that does not add up: every error names its field
    (`instalments[i].amount`, `instalments[i].due_on`, `instalments`)."""
    if not instalments:
        raise DomainValidationError("instalments", "at least one instalment", code="empty")
    q = quantum(currency)
    errors: list[FieldError] = []
    for i, inst in enumerate(instalments):
        path = f"instalments[{i}]"
        if not inst.amount.is_finite() or inst.amount <= 0:
            errors.append(FieldError(f"{path}.amount", "must be greater than zero", "not_positive"))
        elif inst.amount != inst.amount.quantize(q):
            errors.append(FieldError(
                f"{path}.amount", f"{currency} amounts have at most {minor_units(currency)} "
                "decimals", "too_many_decimals",
            ))
        if i > 0 and inst.due_on <= instalments[i - 1].due_on:
            errors.append(FieldError(
                f"{path}.due_on", "due dates must be strictly increasing", "not_increasing"
            ))
    if starts_on is not None and instalments[0].due_on < starts_on:
        errors.append(FieldError(
            "instalments[0].due_on", "the first instalment is before the plan starts",
            "before_start",
        ))
    total = sum((i.amount for i in instalments if i.amount.is_finite()), ZERO)
    if total != amount_due:
        errors.append(FieldError(
            "instalments",
            f"the instalments add up to {total}, the amount due at the plan start is {amount_due}",
            "sum_mismatch",
        ))
    if errors:
        raise DomainValidationError.many(errors)


def evaluate_plan(
    plan: PaymentPlan, payments: Iterable[Payment], today: date
) -> PlanEvaluation:
    """Status of each instalment and of the plan on `today`."""
    grace = timedelta(days=plan.grace_days)
    counted = sorted(
        (p for p in payments if p.received_on >= plan.starts_on and p.counts_at(today)),
        key=lambda p: p.received_on,
    )
    n = len(plan.instalments)
    paid = [ZERO] * n
    paid_on: list[date | None] = [None] * n
    excess = ZERO
    k = 0
    for p in counted:
        available = p.amount
        while available > 0 and k < n:
            take = min(available, plan.instalments[k].amount - paid[k])
            paid[k] += take
            available -= take
            if paid[k] == plan.instalments[k].amount:
                paid_on[k] = p.received_on
                k += 1
        excess += available

    states: list[InstalmentState] = []
    defaulted_on: date | None = None
    for i, inst in enumerate(plan.instalments):
        deadline = inst.due_on + grace
        done = paid_on[i]
        if (done is None or done > deadline) and today > deadline and defaulted_on is None:
            defaulted_on = deadline + timedelta(days=1)
        if done is not None:
            status = InstalmentStatus.PAID
        elif today > deadline:
            status = InstalmentStatus.MISSED
        elif today > inst.due_on:
            status = InstalmentStatus.LATE
        elif paid[i] > 0:
            status = InstalmentStatus.PARTIALLY_PAID
        else:
            status = InstalmentStatus.PENDING
        states.append(InstalmentState(
            i, inst.due_on, inst.amount, paid[i], inst.amount - paid[i], status, done
        ))
    completed_on = paid_on[-1] if n and paid_on[-1] is not None else None
    if defaulted_on is not None:
        status_plan = PlanStatus.DEFAULTED
    elif completed_on is not None:
        status_plan = PlanStatus.COMPLETED
    else:
        status_plan = PlanStatus.ACTIVE
    total_paid = sum(paid, ZERO)
    return PlanEvaluation(
        status=status_plan,
        instalments=tuple(states),
        paid=total_paid,
        outstanding=plan.total - total_paid,
        excess=excess,
        defaulted_on=defaulted_on,
        completed_on=completed_on if defaulted_on is None else None,
    )


def plan_status(plan: PaymentPlan, payments: Iterable[Payment], today: date) -> PlanStatus:
    return evaluate_plan(plan, payments, today).status
