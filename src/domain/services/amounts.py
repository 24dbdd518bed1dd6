"""Use cases on what is owed: statements, payments and their reversal, promises to pay and
payment plans. Each is a lifecycle action (domain.claims.lifecycle) whose typed events are
appended to the timeline in the same atomic write as the change; settling afterwards is
domain code (domain.amounts.settlement).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from domain.amounts.account import ClaimAccount
from domain.amounts.ledger import Payment, PaymentMethod, Statement
from domain.amounts.payment_plan import (
    Instalment,
    PaymentPlan,
    PlanStatus,
    equal_monthly_instalments,
    validate_plan,
)
from domain.amounts.promises import DEFAULT_GRACE_DAYS, PaymentPromise
from domain.amounts.settlement import settle, still_settled
from domain.claims import events, lifecycle
from domain.claims.events import timeline_entry
from domain.claims.model import Claim, ClaimEvent, Hold, HoldReason, Outcome, Phase
from domain.ports.unit_of_work import UnitOfWork
from domain.services.caller import Caller, Ports
from domain.shared.dates import outside_window
from domain.shared.errors import DomainValidationError, FieldError, NotFound
from domain.shared.ids import new_id
from domain.shared.money import parse_amount
from domain.shared.retry import retry_on_stale
from domain.shared.validation import raise_if


@dataclass
class Change:
    """A claim being changed: the new state, the timeline entries that explain it, and
    what the change found out (the statement after it)."""

    claim: Claim
    account: ClaimAccount
    entries: list[ClaimEvent]
    expected_version: int
    today: date
    actor: str
    # Reads whether the debtor is in collective proceedings (no 40 EUR indemnity): only
    # when a statement is computed, once per change.
    read_collective: Callable[[], bool]
    statement: Statement | None = None
    # The claim as read, before any change: what a change that is not saved answers with.
    loaded: Claim | None = None
    _collective: bool | None = None

    @property
    def collective(self) -> bool:
        if self._collective is None:
            self._collective = self.read_collective()
        return self._collective

    def record(self, event: events.Event) -> ClaimEvent:
        entry = timeline_entry(self.claim, event, self.claim.updated_at, self.actor)
        self.entries.append(entry)
        return entry


def _load(uow: UnitOfWork, ports: Ports, caller: Caller, claim_id: str) -> Change:
    found = uow.claims.get_claim_account(caller.creditor_id, claim_id)
    if found is None:
        raise NotFound("claim", claim_id)
    claim, account = found
    now = ports.clock.now()
    changed = replace(claim, version=claim.version + 1, updated_at=now)
    return Change(changed, account, [], claim.version, claim.today(now), caller.actor,
                  lambda: _in_collective_proceedings(uow, claim), loaded=claim)


def _in_collective_proceedings(uow: UnitOfWork, claim: Claim) -> bool:
    debtor = uow.debtors.get_debtor(claim.creditor_id, claim.debtor_id)
    return bool(debtor and debtor.in_collective_proceedings)


def _settle(change: Change, ports: Ports, *, quiet_if_unchanged: bool = False) -> None:
    found = settle(change.claim, change.account, change.today, ports.rates.rate_tables(),
                   collective=change.collective, changed=bool(change.entries),
                   quiet_if_unchanged=quiet_if_unchanged)
    for event in found.events:
        change.record(event)
    change.statement = found.statement


def _save(uow: UnitOfWork, change: Change) -> None:
    change.claim.acknowledged = tuple(change.account.acknowledgements())
    uow.claims.save_claim(change.claim, change.entries, change.expected_version, change.account)
    uow.commit()


# ------------------------------------------------------------------------ statement


def statement(claim_id: str, at: date | None, caller: Caller,
              ports: Ports) -> tuple[Claim, Statement]:
    """What is owed on `at` (default: today in the creditor's time zone)."""
    uow = ports.unit_of_work()
    found = uow.claims.get_claim_account(caller.creditor_id, claim_id)
    if found is None:
        raise NotFound("claim", claim_id)
    claim, account = found
    today = claim.today(ports.clock.now())
    if (error := outside_window(at, today, "at")) is not None:
        raise DomainValidationError.many([error])
    return claim, account.statement(
        claim, at or today, ports.rates.rate_tables(),
        in_collective_proceedings=_in_collective_proceedings(uow, claim))


# ------------------------------------------------------------------------ payments


@dataclass(frozen=True, slots=True)
class PaymentDraft:
    amount: str
    received_on: date
    method: str = PaymentMethod.TRANSFER
    reference: str | None = None
    invoice_numbers: tuple[str, ...] = ()


@retry_on_stale
def record_payment(claim_id: str, draft: PaymentDraft, caller: Caller,
                   ports: Ports) -> tuple[Change, Payment]:
    with ports.unit_of_work() as uow:
        change = _load(uow, ports, caller, claim_id)
        claim = change.claim
        lifecycle.ensure_allowed(claim, "record_payment")
        errors: list[FieldError] = []
        if (too_old := outside_window(draft.received_on, change.today, "received_on")):
            errors.append(too_old)
        elif draft.received_on > change.today:
            errors.append(FieldError("received_on", "a payment cannot be received in the "
                                     "future", "in_future"))
        numbers = {inv.number for inv in claim.invoices}
        errors += [FieldError(f"invoice_numbers[{i}]", f"no invoice {n!r} in this claim",
                              "unknown_invoice")
                   for i, n in enumerate(draft.invoice_numbers) if n not in numbers]
        try:
            amount = parse_amount(draft.amount, claim.currency, "amount")
        except DomainValidationError as exc:
            errors += exc.errors
        if errors:
            raise DomainValidationError.many(errors)
        if any(p.reference and p.reference == draft.reference
               for p in change.account.payments if draft.reference and p.reversed_on is None):
            raise DomainValidationError(
                "reference", f"a payment with reference {draft.reference!r} is already "
                "recorded", code="duplicate_payment")
        payment = Payment(id=new_id("pay"), amount=amount, received_on=draft.received_on,
                          method=draft.method, reference=draft.reference,
                          invoice_numbers=tuple(draft.invoice_numbers))
        change.account.payments.append(payment)
        index = len(change.entries)
        recorded = events.PaymentRecorded(payment_id=payment.id, amount=amount,
                                          method=str(payment.method),
                                          received_on=payment.received_on)
        change.record(recorded)
        _settle(change, ports)
        if change.statement is not None:
            split = next((s for s in change.statement.payments if s.payment_id == payment.id),
                         None)
            if split is not None:  # the timeline says how the payment was imputed
                entry = change.entries[index]
                change.entries[index] = replace(entry, data=replace(
                    recorded, to_interest=split.to_interest, to_principal=split.to_principal,
                    to_indemnity=split.to_indemnity, to_credit=split.to_credit,
                ).data(claim.currency))
        _save(uow, change)
    return change, payment


# A promise or a plan hold ended with the payment (settlement re-derives them); these did not.
_HOLDS_PAYMENT_DOES_NOT_END = frozenset({HoldReason.DISPUTE, HoldReason.MANUAL,
                                         HoldReason.INSOLVENCY})


@retry_on_stale
def reverse_payment(claim_id: str, payment_id: str, reason: str | None, caller: Caller,
                    ports: Ports, *, reversed_on: date | None = None) -> tuple[Change, Payment]:
    """A bounced transfer or a rejected cheque: the payment stays on record, marked
    reversed on `reversed_on` (the bank's return date; today if not given), and everything
    from that day is recomputed as if it had never been received. A claim that this payment
    had closed reopens in the phase it was in."""
    with ports.unit_of_work() as uow:
        change = _load(uow, ports, caller, claim_id)
        claim = change.claim
        lifecycle.ensure_allowed(claim, "reverse_payment")
        payment = change.account.payment(payment_id)
        if payment is None:
            raise NotFound("payment", payment_id)
        if payment.reversed_on is not None:
            raise DomainValidationError("payment_id", "this payment is already reversed",
                                        code="already_reversed")
        on = change.today if reversed_on is None else reversed_on
        if on > change.today:
            raise DomainValidationError("reversed_on", "cannot be in the future",
                                        code="in_future")
        if on < payment.received_on:
            raise DomainValidationError(
                "reversed_on", f"cannot be before the payment was received "
                f"({payment.received_on.isoformat()})", code="before_payment")
        change.account = change.account.with_payment_reversed(payment_id, on, reason)
        change.record(events.PaymentReversed(reason=reason, payment_id=payment_id,
                                             amount=payment.amount, reversed_on=on))
        if (claim.phase is Phase.CLOSED and claim.outcome is Outcome.PAID
                and not still_settled(claim, change.account, change.today,
                                      ports.rates.rate_tables(), collective=change.collective)):
            phase = claim.closed_from or Phase.AMICABLE
            if phase is Phase.PRE_DUE:  # it may have fallen due since it closed
                phase = lifecycle.initial_phase(claim.earliest_due_date, change.today)
            claim.phase, claim.outcome = phase, None
            held = claim.closed_hold
            if held is not None and held.reason in _HOLDS_PAYMENT_DOES_NOT_END:
                claim.hold = held  # the dispute is still open: escalation stays paused
            claim.closed_hold = None
            if change.account.plan_status is PlanStatus.COMPLETED:
                # Only a completed plan is undone; a defaulted one stays defaulted (its
                # event is already in the timeline).
                change.account.plan_status = None
            change.record(events.ClaimReopened(
                reason="the payment that settled the claim was reversed",
                phase=claim.phase.value))
        _settle(change, ports)
        plan = change.account.plan
        if (claim.phase is not Phase.CLOSED and claim.hold is None and plan is not None
                and change.account.plan_status is PlanStatus.ACTIVE):
            # The plan runs again: escalation pauses again while it is kept.
            claim.hold = Hold(HoldReason.PAYMENT_PLAN, claim.updated_at,
                              plan.instalments[-1].due_on, None)
        _save(uow, change)
    reversed_payment = change.account.payment(payment_id)
    assert reversed_payment is not None
    return change, reversed_payment


# ------------------------------------------------------------------------ promises


@dataclass(frozen=True, slots=True)
class PromiseDraft:
    amount: str
    promised_on: date
    channel: str
    note: str | None = None
    made_on: date | None = None  # the day the debtor made it; None: today


@retry_on_stale
def record_promise(claim_id: str, draft: PromiseDraft, caller: Caller,
                   ports: Ports) -> tuple[Change, PaymentPromise]:
    """The seeds: ask the debtor to commit to a precise date, and keep a trace of it.
    Escalation holds until the date plus the grace period. A promise from the past (an
    ERP's history, `made_on`) may already be due: settling then finds it kept or broken
    from the payments on record and releases the hold at once."""
    with ports.unit_of_work() as uow:
        change = _load(uow, ports, caller, claim_id)
        claim = change.claim
        lifecycle.ensure_allowed(claim, "record_promise")
        amount = parse_amount(draft.amount, claim.currency, "amount")
        made_on = change.today if draft.made_on is None else draft.made_on
        raise_if(_promise_date_errors(draft, made_on, change.today))
        promise = PaymentPromise(id=new_id("prm"), amount=amount,
                                 promised_on=draft.promised_on, channel=draft.channel,
                                 note=draft.note, made_at=claim.updated_at, made_on=made_on)
        change.account.promises.append(promise)
        until = promise.deadline(DEFAULT_GRACE_DAYS)
        claim.hold = Hold(HoldReason.PROMISE, claim.updated_at, until, draft.note)
        change.record(events.PromiseRecorded(
            reason=draft.note, promise_id=promise.id, amount=amount,
            promised_on=promise.promised_on, made_on=made_on, channel=draft.channel,
            hold_until=until))
        _settle(change, ports)
        _save(uow, change)
    return change, promise


def _promise_date_errors(draft: PromiseDraft, made_on: date, today: date) -> list[FieldError]:
    """`made_on` within the window and not in the future; `promised_on` on or after it
    (today or later when it is today), and within a year of it."""
    if (error := outside_window(draft.made_on, today, "made_on")) is not None:
        return [error]
    if made_on > today:
        return [FieldError("made_on", "a promise cannot be made in the future", "in_future")]
    if draft.promised_on < made_on:
        if draft.made_on is None:
            return [FieldError("promised_on", "a promise falls due today or later", "in_past")]
        return [FieldError("promised_on", f"a promise cannot fall due before it was made "
                           f"({made_on.isoformat()})", "before_made")]
    if draft.promised_on > made_on + timedelta(days=366):
        return [FieldError("promised_on", "more than a year after the promise was made: "
                           "agree a payment plan instead", "too_far")]
    return []


# ------------------------------------------------------------------------ payment plans


@dataclass(frozen=True, slots=True)
class PlanDraft:
    instalments: list[tuple[date, str]] | None = None
    count: int | None = None
    first_due_on: date | None = None
    grace_days: int = 5


@retry_on_stale
def start_payment_plan(claim_id: str, draft: PlanDraft, caller: Caller,
                       ports: Ports) -> tuple[Change, PaymentPlan]:
    """An échéancier for a debtor in good faith: instalments that cover exactly what is due
    today; escalation holds while it is kept."""
    with ports.unit_of_work() as uow:
        change = _load(uow, ports, caller, claim_id)
        claim, account = change.claim, change.account
        lifecycle.ensure_allowed(claim, "start_payment_plan")
        if account.plan is not None and account.plan_status in (None, PlanStatus.ACTIVE):
            raise DomainValidationError(
                "instalments", "the claim already has an active payment plan",
                code="plan_active")
        current = account.statement(claim, change.today, ports.rates.rate_tables(),
                                    in_collective_proceedings=change.collective)
        due = current.totals.due
        if due <= 0:
            raise DomainValidationError("instalments", "nothing is due", code="nothing_due")
        out_of_range = [
            e for e in [outside_window(draft.first_due_on, change.today, "first_due_on")]
            + [outside_window(due_on, change.today, f"instalments[{i}].due_on")
               for i, (due_on, _) in enumerate(draft.instalments or [])]
            if e is not None]
        if out_of_range:
            raise DomainValidationError.many(out_of_range)
        instalments = _instalments(draft, due, claim.currency)
        validate_plan(instalments, due, currency=claim.currency, starts_on=change.today)
        plan = PaymentPlan(id=new_id("pln"), starts_on=change.today, currency=claim.currency,
                           instalments=tuple(instalments), grace_days=draft.grace_days)
        account.plan, account.plan_status = plan, PlanStatus.ACTIVE
        claim.hold = Hold(HoldReason.PAYMENT_PLAN, claim.updated_at, instalments[-1].due_on,
                          None)
        change.record(events.PaymentPlanStarted(
            plan_id=plan.id, total=due, instalments=len(instalments),
            last_due_on=instalments[-1].due_on))
        _settle(change, ports)
        _save(uow, change)
    return change, plan


def _instalments(draft: PlanDraft, due: Decimal, currency: str) -> list[Instalment]:
    if draft.instalments is not None:
        errors: list[FieldError] = []
        instalments: list[Instalment] = []
        for i, (due_on, text) in enumerate(draft.instalments):
            try:
                instalments.append(Instalment(
                    due_on, parse_amount(text, currency, f"instalments[{i}].amount")))
            except DomainValidationError as exc:
                errors += exc.errors
        if errors:
            raise DomainValidationError.many(errors)
        return instalments
    if draft.count is not None and draft.first_due_on is not None:
        return list(equal_monthly_instalments(due, draft.count, draft.first_due_on, currency))
    raise DomainValidationError(
        "instalments", "give `instalments`, or `count` and `first_due_on`", code="required")


# ------------------------------------------------------------------------ review


@retry_on_stale
def review(claim_id: str, caller: Caller, ports: Ports) -> Change:
    """Bring promises and the plan up to date with the calendar (a promise whose grace
    period ended unpaid is broken; a missed instalment past its grace defaults the plan).
    The scheduled trigger runs this; it is idempotent, and saves only when something
    changed."""
    with ports.unit_of_work() as uow:
        change = _load(uow, ports, caller, claim_id)
        lifecycle.ensure_allowed(change.claim, "review")
        before = (change.claim.outstanding, change.claim.phase, change.claim.hold)
        _settle(change, ports, quiet_if_unchanged=True)
        after = (change.claim.outstanding, change.claim.phase, change.claim.hold)
        if change.entries or before != after:
            _save(uow, change)
        elif change.loaded is not None:
            # Nothing changed, nothing saved: answer with the claim as stored (its version
            # and updated_at), not with the unsaved copy.
            change.claim = change.loaded
    return change
