"""Promises to pay (promesses de paiement): a debtor commits to pay an amount by a date.

A promise is kept when the payments received after it was made and up to the promised
date plus a grace period reach the promised amount; it is broken once the grace period
is over without that. The evaluation is a pure function of the payments, so a reversed
payment (ignored from its reversal date) can turn a kept promise back into pending or
broken when evaluated again.

Payments carry a date, not a time: a payment received on the day the promise was made
counts towards it (the debtor often pays while on the phone).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from domain.amounts.ledger import Payment
from domain.shared.errors import DomainValidationError

DEFAULT_GRACE_DAYS = 3

# `made_on` not given: no input reaches it (dates are bounded where they enter,
# domain.shared.dates), so it cannot be mistaken for a real day.
NOT_GIVEN = date.min


class PromiseStatus(StrEnum):
    PENDING = "pending"
    KEPT = "kept"
    BROKEN = "broken"


@dataclass(frozen=True, slots=True)
class PaymentPromise:
    id: str
    amount: Decimal
    promised_on: date
    channel: str  # phone, email, letter, portal...: where the commitment was made
    note: str | None
    made_at: datetime  # when it was recorded
    status: PromiseStatus = PromiseStatus.PENDING
    resolved_on: date | None = None
    # The day the debtor made it, which opens its window and acknowledges the debt (C. civ.
    # 2240): the creditor's today when recorded, or an earlier day from an ERP's history.
    # Not given (items stored before it existed): the day made_at fell on.
    made_on: date = NOT_GIVEN

    def __post_init__(self) -> None:
        if self.made_on == NOT_GIVEN:
            object.__setattr__(self, "made_on", self.made_at.date())
        if not isinstance(self.amount, Decimal) or not self.amount.is_finite() or self.amount <= 0:
            raise DomainValidationError("amount", "must be greater than zero", code="not_positive")
        if self.promised_on < self.made_on:
            raise DomainValidationError(
                "promised_on", "a promise cannot fall due before it was made",
                code="before_made",
            )

    def deadline(self, grace_days: int = DEFAULT_GRACE_DAYS) -> date:
        """The last day a payment still keeps the promise."""
        return self.promised_on + timedelta(days=grace_days)


@dataclass(frozen=True, slots=True)
class PromiseEvaluation:
    status: PromiseStatus
    paid: Decimal  # counted towards the promise, up to `today` and the deadline
    resolved_on: date | None  # the day it was kept, or the first day after the deadline


def assess_promise(
    promise: PaymentPromise,
    payments: Iterable[Payment],
    today: date,
    *,
    grace_days: int = DEFAULT_GRACE_DAYS,
) -> PromiseEvaluation:
    if grace_days < 0:
        raise DomainValidationError("grace_days", "must not be negative", code="negative")
    opened = promise.made_on
    deadline = promise.deadline(grace_days)
    last_counted = min(today, deadline)
    relevant = sorted(
        (p for p in payments if opened <= p.received_on <= last_counted and p.counts_at(today)),
        key=lambda p: p.received_on,
    )
    paid = Decimal(0)
    for p in relevant:
        paid += p.amount
        if paid >= promise.amount:
            return PromiseEvaluation(PromiseStatus.KEPT, paid, p.received_on)
    if today > deadline:
        return PromiseEvaluation(PromiseStatus.BROKEN, paid, deadline + timedelta(days=1))
    return PromiseEvaluation(PromiseStatus.PENDING, paid, None)


def evaluate_promise(
    promise: PaymentPromise,
    payments: Iterable[Payment],
    today: date,
    *,
    grace_days: int = DEFAULT_GRACE_DAYS,
) -> PromiseStatus:
    """pending | kept | broken on `today` (payments after today are not known yet)."""
    return assess_promise(promise, payments, today, grace_days=grace_days).status


def resolve_promise(
    promise: PaymentPromise,
    payments: Iterable[Payment],
    today: date,
    *,
    grace_days: int = DEFAULT_GRACE_DAYS,
) -> PaymentPromise:
    """The promise with its status and resolved_on brought up to date."""
    result = assess_promise(promise, payments, today, grace_days=grace_days)
    return replace(promise, status=result.status, resolved_on=result.resolved_on)
