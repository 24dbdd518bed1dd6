"""Promises to pay: kept when payments made after the promise reach its amount by the
promised date + grace (default 3 days); broken once the grace period is over."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest

from domain.amounts.ledger import Payment
from domain.amounts.promises import (
    DEFAULT_GRACE_DAYS,
    PaymentPromise,
    PromiseStatus,
    assess_promise,
    evaluate_promise,
    resolve_promise,
)
from domain.shared.errors import DomainValidationError

PROMISE = PaymentPromise(
    id="pr1", amount=D("500.00"), promised_on=date(2025, 5, 10), channel="phone",
    note="will pay after payday", made_at=datetime(2025, 5, 2, 14, 30, tzinfo=UTC),
)


def p(pid: str, amount: str, on: date, reversed_on: date | None = None) -> Payment:
    return Payment(pid, D(amount), on, reversed_on=reversed_on)


def test_default_grace_is_three_days() -> None:
    assert DEFAULT_GRACE_DAYS == 3
    assert PROMISE.deadline() == date(2025, 5, 13)


def test_pending_until_deadline() -> None:
    assert evaluate_promise(PROMISE, [], date(2025, 5, 2)) is PromiseStatus.PENDING
    assert evaluate_promise(PROMISE, [], date(2025, 5, 13)) is PromiseStatus.PENDING
    assert evaluate_promise(PROMISE, [p("a", "200", date(2025, 5, 9))],
                            date(2025, 5, 11)) is PromiseStatus.PENDING


def test_kept_by_several_payments_within_grace() -> None:
    payments = [p("a", "200", date(2025, 5, 9)), p("b", "300", date(2025, 5, 13))]
    result = assess_promise(PROMISE, payments, date(2025, 5, 20))
    assert result.status is PromiseStatus.KEPT
    assert result.resolved_on == date(2025, 5, 13)
    assert result.paid == D("500")


def test_broken_after_grace_without_full_amount() -> None:
    payments = [p("a", "499.99", date(2025, 5, 10)), p("late", "500", date(2025, 5, 14))]
    result = assess_promise(PROMISE, payments, date(2025, 5, 14))
    assert result.status is PromiseStatus.BROKEN
    assert result.resolved_on == date(2025, 5, 14)
    assert result.paid == D("499.99")


def test_payments_before_the_promise_do_not_count() -> None:
    payments = [p("old", "500", date(2025, 5, 1))]
    assert evaluate_promise(PROMISE, payments, date(2025, 5, 20)) is PromiseStatus.BROKEN
    # ... but a payment on the day it was made does
    assert evaluate_promise(PROMISE, [p("same", "500", date(2025, 5, 2))],
                            date(2025, 5, 2)) is PromiseStatus.KEPT


def test_reversed_payment_does_not_keep_a_promise() -> None:
    bounced = p("chq", "500", date(2025, 5, 9), reversed_on=date(2025, 5, 15))
    assert evaluate_promise(PROMISE, [bounced], date(2025, 5, 12)) is PromiseStatus.KEPT
    assert evaluate_promise(PROMISE, [bounced], date(2025, 5, 15)) is PromiseStatus.BROKEN


def test_custom_grace_and_resolve() -> None:
    payments = [p("a", "500", date(2025, 5, 12))]
    assert evaluate_promise(PROMISE, payments, date(2025, 5, 12),
                            grace_days=0) is PromiseStatus.BROKEN
    resolved = resolve_promise(PROMISE, payments, date(2025, 5, 20))
    assert (resolved.status, resolved.resolved_on) == (PromiseStatus.KEPT, date(2025, 5, 12))


def test_invalid_promise() -> None:
    with pytest.raises(DomainValidationError) as err:
        PaymentPromise("x", D("0"), date(2025, 5, 10), "phone", None,
                       datetime(2025, 5, 2, tzinfo=UTC))
    assert err.value.errors[0].field == "amount"
    with pytest.raises(DomainValidationError) as err:
        PaymentPromise("x", D("1"), date(2025, 5, 1), "phone", None,
                       datetime(2025, 5, 2, tzinfo=UTC))
    assert err.value.errors[0].field == "promised_on"
