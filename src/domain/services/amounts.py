"""Use cases on what is owed: statements, payments and their reversal, promises to pay and
payment plans. Each is a lifecycle action (domain.claims.lifecycle) whose typed events are
appended to the timeline in the same atomic write as the change; settling afterwards is
domain code (domain.amounts.settlement).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from domain.amounts import law
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
from domain.shared.dates import add_days, not_past, outside_window
from domain.shared.errors import DomainValidationError, FieldError, NotFound
from domain.shared.ids import new_id
from domain.shared.money import parse_amount
from domain.shared.retry import retry_on_stale
from domain.shared.validation import raise_if

if TYPE_CHECKING:
    from domain.amounts.rates import RateTables
    from domain.judicial.statement import JudicialStatement


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
    statement: Statement | None = None
    # The claim as read, before any change: what a change that is not saved answers with.
    loaded: Claim | None = None

    def __post_init__(self) -> None:
        if (fell := fall_due(self.claim, self.today)) is not None:
            self.record(fell)

    def record(self, event: events.Event) -> ClaimEvent:
        entry = timeline_entry(self.claim, event, self.claim.updated_at, self.actor)
        self.entries.append(entry)
        return entry


def fall_due(claim: Claim, today: date) -> events.ClaimFellDue | None:
    """A claim opened before its due date is stored pre_due and shown as it is on the day
    (lifecycle.effective_phase): the first write after the due date that changes the
    claim's state (a payment, a promise, an action, a ladder step, a letter, a proceeding's
    event: a Change does on being made, and a manual action) stores the phase it is in,
    and its timeline says so before what the write does. Writes that only keep the claim's
    bookkeeping (its schedule, its debtor's collective proceedings, an e-mail's feedback)
    leave the stored phase as it was."""
    phase = lifecycle.effective_phase(claim, today)
    if phase is claim.phase:
        return None
    claim.phase = phase
    return events.ClaimFellDue(due_date=claim.earliest_due_date, phase=phase.value)


def _load(uow: UnitOfWork, ports: Ports, caller: Caller, claim_id: str) -> Change:
    found = uow.claims.get_claim_account(caller.creditor_id, claim_id)
    if found is None:
        raise NotFound("claim", claim_id)
    claim, account = found
    now = ports.clock.now()
    changed = replace(claim, version=claim.version + 1, updated_at=now)
    return Change(changed, account, [], claim.version, claim.today(now), caller.actor,
                  loaded=claim)


def _settle(change: Change, ports: Ports, *, quiet_if_unchanged: bool = False) -> None:
    found = settle(change.claim, change.account, change.today, ports.rates.rate_tables(),
                   changed=bool(change.entries),
                   quiet_if_unchanged=quiet_if_unchanged)
    for event in found.events:
        change.record(event)
    change.statement = found.statement


def stage_change(uow: UnitOfWork, change: Change, ports: Ports | None = None) -> None:
    """Stage the claim, its account and its new entries without committing: for a use case
    whose atomic write holds more than the claim (a completed task: services.tasks). With
    `ports`, keep the claim's schedule after the commit (the ladder's next step may have
    moved: a payment, a promise, a plan)."""
    change.claim.acknowledged = tuple(change.account.acknowledgements())
    uow.claims.save_claim(change.claim, change.entries, change.expected_version, change.account)
    if ports is not None:
        from domain.services.escalation import keep_schedule

        keep_schedule(uow, change.claim, ports)


def _save(uow: UnitOfWork, change: Change, ports: Ports | None = None) -> None:
    stage_change(uow, change, ports)
    uow.commit()


# ------------------------------------------------------------------------ statement


def statement(claim_id: str, at: date | None, caller: Caller,
              ports: Ports) -> tuple[Claim, Statement]:
    """What is owed on `at` (default: today in the creditor's time zone)."""
    view = statement_view(claim_id, at, caller, ports, judicial=False)
    return view.claim, view.statement


@dataclass(frozen=True, slots=True)
class StatementView:
    claim: Claim
    statement: Statement
    # What a judgment and a proceeding add (domain.judicial.statement); None when neither.
    judicial: JudicialStatement | None = None


def statement_view(claim_id: str, at: date | None, caller: Caller, ports: Ports, *,
                   judicial: bool = True) -> StatementView:
    """The statement on `at` with its judicial section: one more read (the proceeding)
    only for a claim that took a judicial route."""
    uow = ports.unit_of_work()
    found = uow.claims.get_claim_account(caller.creditor_id, claim_id)
    if found is None:
        raise NotFound("claim", claim_id)
    claim, account = found
    today = claim.today(ports.clock.now())
    if (error := outside_window(at, today, "at")) is not None:
        raise DomainValidationError.many([error])
    day = at or today
    rates = ports.rates.rate_tables()
    stated = account.statement(claim, day, rates)
    if not judicial:
        return StatementView(claim, stated)
    return StatementView(claim, stated, judicial_section(uow, claim, account, stated, rates))


def judicial_section(uow: UnitOfWork, claim: Claim, account: ClaimAccount, stated: Statement,
                     rates: RateTables) -> JudicialStatement | None:
    """What a judgment and the proceeding under way add to `stated` (None when neither):
    one more read, the proceeding, only for a claim that took a judicial route."""
    if account.judgment is None and claim.judicial_route is None:
        return None
    from domain.judicial.statement import judicial_statement

    proceeding = (uow.proceedings.current_proceeding(claim.creditor_id, claim.id)
                  if claim.judicial_route is not None else None)
    judgment, day = account.judgment, stated.at
    before = None
    if judgment is not None and day >= judgment.pronounced_on:
        # The same ledger the day before: what accrued after is the judgment's interest.
        before = account.statement(claim, judgment.pronounced_on - timedelta(days=1),
                                   rates).totals.interest
    return judicial_statement(
        stated, judgment=judgment, interest_before_judgment=before, proceeding=proceeding,
        majoration_from=law.majoration_from(account.terms(claim, day)))


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
        payment = apply_payment(change, draft, ports)
        _save(uow, change, ports)
    return change, payment


def load_change(uow: UnitOfWork, ports: Ports, caller: Caller, claim_id: str) -> Change:
    """The claim and its account read for a change (NotFound outside the caller's tenant):
    for a use case whose atomic write holds more than the claim (domain.services.handoff)."""
    return _load(uow, ports, caller, claim_id)


def apply_payment(change: Change, draft: PaymentDraft, ports: Ports, *,
                  collected_by: str | None = None) -> Payment:
    """The payment's effects on a claim being changed, settled (the timeline says how it
    was imputed). Shared by a recorded payment, one a mandate's recipient collected
    (`collected_by`: the timeline says so; services.handoff) and one a commissaire passed on
    (services.judicial_proceedings); the caller saves.

    Raises ActionNotAllowed or DomainValidationError."""
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
                                      received_on=payment.received_on,
                                      collected_by=collected_by)
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
    return payment


# A promise or a plan hold ended with the payment (settlement re-derives them); these did not.
_HOLDS_PAYMENT_DOES_NOT_END = frozenset({HoldReason.DISPUTE, HoldReason.MANUAL,
                                         HoldReason.INSOLVENCY, HoldReason.MANDATE})


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
                                      ports.rates.rate_tables())):
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
                from_state="closed (paid)", to_state=lifecycle.describe_state(claim),
                phase=claim.phase.value))
        _settle(change, ports)
        plan = change.account.plan
        if (claim.phase is not Phase.CLOSED and claim.hold is None and plan is not None
                and change.account.plan_status is PlanStatus.ACTIVE):
            # The plan runs again: escalation pauses again while it is kept.
            claim.hold = Hold(HoldReason.PAYMENT_PLAN, claim.updated_at,
                              plan.instalments[-1].due_on, None)
        _save(uow, change, ports)
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
        promise = apply_promise(change, draft)
        _settle(change, ports)
        _save(uow, change, ports)
    return change, promise


def apply_promise(change: Change, draft: PromiseDraft) -> PaymentPromise:
    """The promise's effects on a claim being changed (it holds escalation until its date
    plus the grace period). Shared by a recorded promise and one a collector took on a call
    (services.tasks); the caller settles and saves.

    Raises ActionNotAllowed (the claim's state refuses it) or DomainValidationError."""
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
    if claim.hold is None or claim.hold.reason is not HoldReason.MANDATE:
        # Under a mandate the recipient follows the promise up: the mandate's hold stays,
        # so the creditor's ladder does not come back when the promise falls due.
        claim.hold = Hold(HoldReason.PROMISE, claim.updated_at, until, draft.note)
    change.record(events.PromiseRecorded(
        reason=draft.note, promise_id=promise.id, amount=amount,
        promised_on=promise.promised_on, made_on=made_on, channel=draft.channel,
        hold_until=until))
    return promise


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
    # The day the debtor agreed it (an ERP's history); the creditor's today if not given.
    agreed_on: date | None = None


@retry_on_stale
def start_payment_plan(claim_id: str, draft: PlanDraft, caller: Caller,
                       ports: Ports) -> tuple[Change, PaymentPlan]:
    """An échéancier for a debtor in good faith: instalments that cover exactly what was
    due on the day it was agreed (today unless `agreed_on` says otherwise); escalation
    holds while it is kept, and what it schedules bears no late interest then
    (domain.amounts.law.PLAN_KEEPS_INTEREST)."""
    with ports.unit_of_work() as uow:
        change = _load(uow, ports, caller, claim_id)
        claim, account = change.claim, change.account
        lifecycle.ensure_allowed(claim, "start_payment_plan")
        if account.plan is not None and account.plan_status in (None, PlanStatus.ACTIVE):
            raise DomainValidationError(
                "instalments", "the claim already has an active payment plan",
                code="plan_active")
        agreed_on = change.today if draft.agreed_on is None else draft.agreed_on
        out_of_range = [
            e for e in [not_past(draft.agreed_on, change.today, "agreed_on",
                                 "a plan cannot be agreed in the future"),
                        outside_window(draft.first_due_on, change.today, "first_due_on")]
            + [outside_window(due_on, change.today, f"instalments[{i}].due_on")
               for i, (due_on, _) in enumerate(draft.instalments or [])]
            if e is not None]
        if out_of_range:
            raise DomainValidationError.many(out_of_range)
        if account.plan is not None and agreed_on < account.plan.starts_on:
            raise DomainValidationError(
                "agreed_on", f"before the previous plan, agreed on "
                f"{account.plan.starts_on.isoformat()}", code="before_previous_plan")
        current = account.statement(claim, agreed_on, ports.rates.rate_tables())
        due = current.totals.due
        if due <= 0:
            raise DomainValidationError("instalments", "nothing is due", code="nothing_due")
        instalments = _instalments(draft, due, claim.currency)
        validate_plan(instalments, due, currency=claim.currency, starts_on=agreed_on)
        plan = PaymentPlan(id=new_id("pln"), starts_on=agreed_on, currency=claim.currency,
                           instalments=tuple(instalments), grace_days=draft.grace_days)
        if account.plan is not None:
            account.earlier_plans.append(account.plan)
        account.plan, account.plan_status = plan, PlanStatus.ACTIVE
        claim.hold = Hold(HoldReason.PAYMENT_PLAN, claim.updated_at, instalments[-1].due_on,
                          None)
        change.record(events.PaymentPlanStarted(
            plan_id=plan.id, total=due, instalments=len(instalments),
            last_due_on=instalments[-1].due_on, agreed_on=agreed_on))
        _settle(change, ports)
        _save(uow, change, ports)
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


# ------------------------------------------------------------------------ the law's inputs


@dataclass(frozen=True, slots=True)
class FormalNoticeDraft:
    sent_on: date
    channel: str = "registered_letter"
    reference: str | None = None  # e.g. the registered letter's tracking number
    note: str | None = None


FORMAL_NOTICE_CHANNELS = frozenset({"registered_letter", "electronic_registered_letter",
                                    "letter", "email", "bailiff", "other"})


def _not_before_invoices(day: date, claim: Claim, field: str, what: str) -> FieldError | None:
    issued = max(inv.issue_date for inv in claim.invoices)
    if day < issued:
        return FieldError(field, f"{what} cannot be before the invoices it is about (the last "
                          f"was issued on {issued.isoformat()})", "before_invoice")
    return None


@retry_on_stale
def record_formal_notice(claim_id: str, draft: FormalNoticeDraft, caller: Caller,
                         ports: Ports) -> Change:
    """A mise en demeure was sent: by Relance's own letter or otherwise. It starts consumer
    interest from its day (C. civ. 1231-6, 1344-1; the first one counts, a later one does
    not move it) and moves an amicable claim to the formal-notice phase. It does not
    interrupt prescription (Cass. com. 13 Oct 1992 n° 91-10.066)."""
    with ports.unit_of_work() as uow:
        change = _load(uow, ports, caller, claim_id)
        claim = change.claim
        lifecycle.ensure_allowed(claim, "record_formal_notice")
        errors = [e for e in (not_past(draft.sent_on, change.today, "sent_on"),) if e]
        if not errors and (early := _not_before_invoices(draft.sent_on, claim, "sent_on",
                                                          "a formal notice")):
            errors.append(early)
        if draft.channel not in FORMAL_NOTICE_CHANNELS:
            errors.append(FieldError("channel", "must be one of "
                                     f"{', '.join(sorted(FORMAL_NOTICE_CHANNELS))}", "invalid"))
        if errors:
            raise DomainValidationError.many(errors)
        apply_formal_notice(change, draft.sent_on, draft.channel, draft.reference, draft.note)
        _settle(change, ports)
        _save(uow, change, ports)
    return change


def apply_formal_notice(change: Change, sent_on: date, channel: str, reference: str | None,
                        note: str | None, deadline: date | None = None) -> None:
    """The notice's effects on a claim being changed: the first notice's day starts consumer
    interest (a later one does not move it), and a pre-due or amicable claim moves to the
    formal-notice phase. Shared by a recorded notice and a posted one (services.letters)."""
    claim, account = change.claim, change.account
    if account.formal_notice_on is None or sent_on < account.formal_notice_on:
        account.formal_notice_on = sent_on
    if claim.phase in (Phase.PRE_DUE, Phase.AMICABLE):
        claim.phase = Phase.FORMAL_NOTICE
    if claim.notice_deadline is None or deadline is not None:
        # The deadline the notice gave: the letter's, else the usual 8 days (the judicial
        # steps of the ladder count from it).
        from domain.letters.content import DEFAULT_FORMAL_NOTICE_DAYS

        claim.notice_deadline = deadline or add_days(sent_on, DEFAULT_FORMAL_NOTICE_DAYS)
    change.record(events.FormalNoticeRecorded(
        reason=note, sent_on=sent_on, channel=channel, reference=reference,
        phase=claim.phase.value))


@dataclass(frozen=True, slots=True)
class JudgmentDraft:
    pronounced_on: date
    court: str
    amount_awarded: str
    enforceable_on: date | None = None
    reference: str | None = None
    note: str | None = None


@retry_on_stale
def record_judgment(claim_id: str, draft: JudgmentDraft, caller: Caller,
                    ports: Ports) -> Change:
    """A judgment ordering payment (or its correction: recorded again, it replaces the
    earlier one, say to add the day it became enforceable). Interest runs from its
    pronouncement at the latest (C. civ. 1231-7) and the legal rate gains 5 points two
    months after it became enforceable (C. monét. fin. L313-3); the claim is judicial."""
    with ports.unit_of_work() as uow:
        change = _load(uow, ports, caller, claim_id)
        apply_judgment(change, draft)
        _settle(change, ports)
        _save(uow, change, ports)
    return change


def apply_judgment(change: Change, draft: JudgmentDraft) -> None:
    """The judgment's effects on a claim being changed; shared by a recorded judgment and
    one a proceeding reached (services.judicial_proceedings). The caller settles and saves.

    Raises ActionNotAllowed or DomainValidationError."""
    from domain.amounts.account import Judgment

    claim, account = change.claim, change.account
    lifecycle.ensure_allowed(claim, "record_judgment")
    errors = [e for e in (not_past(draft.pronounced_on, change.today, "pronounced_on"),
                          not_past(draft.enforceable_on, change.today, "enforceable_on"))
              if e]
    if not any(e.field == "pronounced_on" for e in errors):
        if (early := _not_before_invoices(draft.pronounced_on, claim, "pronounced_on",
                                          "a judgment")):
            errors.append(early)
        elif (draft.enforceable_on is not None
              and not any(e.field == "enforceable_on" for e in errors)
              and draft.enforceable_on < draft.pronounced_on):
            errors.append(FieldError("enforceable_on", "a judgment becomes enforceable "
                                     "once pronounced, not before", "before_judgment"))
    if not draft.court.strip():
        errors.append(FieldError("court", "must not be empty", "required"))
    try:
        awarded = parse_amount(draft.amount_awarded, claim.currency, "amount_awarded")
    except DomainValidationError as exc:
        errors += exc.errors
    if errors:
        raise DomainValidationError.many(errors)
    account.judgment = Judgment(
        pronounced_on=draft.pronounced_on, court=draft.court.strip(),
        amount_awarded=awarded, enforceable_on=draft.enforceable_on,
        reference=draft.reference)
    claim.phase = Phase.JUDICIAL
    change.record(events.JudgmentRecorded(
        reason=draft.note, pronounced_on=draft.pronounced_on, court=draft.court.strip(),
        amount_awarded=awarded, enforceable_on=draft.enforceable_on,
        reference=draft.reference, phase=claim.phase.value))


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
            _save(uow, change, ports)
        elif change.loaded is not None:
            # Nothing changed, nothing saved: answer with the claim as stored (its version
            # and updated_at), not with the unsaved copy.
            change.claim = change.loaded
    return change
