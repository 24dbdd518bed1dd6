"""What happened to a claim, as typed events.

Use cases and domain transitions return these; the timeline item (`ClaimEvent`, the legal
trace a person reads) is their serialisation, and so will be the webhook payload. Each
event names its timeline action; its fields become the timeline's `data`, formatted as
text (amounts in the claim's currency, dates in ISO 8601), `reason` aside.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, ClassVar

from domain.claims.model import Claim, ClaimEvent
from domain.shared.money import format_amount

if TYPE_CHECKING:
    from domain.debtors.model import Debtor


def _text(value: object, currency: str) -> str:
    if isinstance(value, Decimal):
        return format_amount(value, currency)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return ",".join(str(v) for v in value)
    return str(value)


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every claim event."""

    action: ClassVar[str]
    reason: str | None = None

    def data(self, currency: str) -> dict[str, str]:
        """The timeline's `data`: every field but `reason`, absent when None."""
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "reason" or value is None:
                continue
            out[f.metadata.get("key", f.name)] = _text(value, currency)
        return out


def timeline_entry(claim: Claim, event: Event, at: datetime, actor: str) -> ClaimEvent:
    """The event as the claim's next timeline item (it takes the next sequence number)."""
    return ClaimEvent(claim_id=claim.id, seq=claim.next_event_seq(), at=at,
                      action=event.action, actor=actor, reason=event.reason,
                      data=event.data(claim.currency))


# ---------------------------------------------------------------- opening

@dataclass(frozen=True, kw_only=True)
class ClaimOpened(Event):
    action: ClassVar[str] = "open"
    invoices: int
    total: Decimal
    currency: str
    phase: str
    flags: tuple[str, ...] | None = None  # payment terms beyond the legal caps


@dataclass(frozen=True, kw_only=True)
class ClaimFellDue(Event):
    """A claim opened before its due date is stored pre_due until a write after that day:
    that write records the phase it has been in since, before what the write itself does."""

    action: ClassVar[str] = "fell_due"
    due_date: date
    phase: str


# ---------------------------------------------------------------- manual transitions

@dataclass(frozen=True, kw_only=True)
class Transition(Event):
    """A lifecycle action decided by a person: the state before and after."""

    from_state: str = field(metadata={"key": "from"})
    to_state: str = field(metadata={"key": "to"})


@dataclass(frozen=True, kw_only=True)
class ClaimHeld(Transition):
    action: ClassVar[str] = "hold"


@dataclass(frozen=True, kw_only=True)
class ClaimResumed(Transition):
    action: ClassVar[str] = "resume"


@dataclass(frozen=True, kw_only=True)
class DisputeOpened(Transition):
    action: ClassVar[str] = "open_dispute"


@dataclass(frozen=True, kw_only=True)
class DisputeResolved(Transition):
    action: ClassVar[str] = "resolve_dispute"


@dataclass(frozen=True, kw_only=True)
class ClaimCancelled(Transition):
    action: ClassVar[str] = "cancel"


@dataclass(frozen=True, kw_only=True)
class ClaimWrittenOff(Transition):
    action: ClassVar[str] = "write_off"


@dataclass(frozen=True, kw_only=True)
class ClaimTransferred(Transition):
    """Handed to an agency, a commissaire de justice or a lawyer (domain.claims.judicial.
    TransferTarget), under their mandate's reference when given."""

    action: ClassVar[str] = "transfer"
    transferred_to: str
    mandate_reference: str | None = None


@dataclass(frozen=True, kw_only=True)
class ClaimReopened(Transition):
    """Open again: a person reopened a claim they had closed (`reason` says why), or the
    payment that closed it was reversed. `phase` is the phase it is back in."""

    action: ClassVar[str] = "reopen"
    phase: str | None = None


@dataclass(frozen=True, kw_only=True)
class JudicialStarted(Transition):
    """A judicial route taken (domain.claims.judicial.JudicialRoute): the automatic ladder
    stops."""

    action: ClassVar[str] = "start_judicial"
    route: str
    previous_route: str | None = None  # the route whose proceeding ended before this one


MANUAL_TRANSITIONS: dict[str, type[Transition]] = {
    "hold": ClaimHeld, "resume": ClaimResumed, "open_dispute": DisputeOpened,
    "resolve_dispute": DisputeResolved, "cancel": ClaimCancelled,
    "write_off": ClaimWrittenOff, "transfer": ClaimTransferred, "reopen": ClaimReopened,
    "start_judicial": JudicialStarted,
}


# ---------------------------------------------------------------- what is owed

@dataclass(frozen=True, kw_only=True)
class PaymentRecorded(Event):
    action: ClassVar[str] = "record_payment"
    payment_id: str
    amount: Decimal
    method: str
    received_on: date
    # How the payment was imputed (C. civ. 1343-1, 1342-10), once the statement is known.
    to_interest: Decimal | None = None
    to_principal: Decimal | None = None
    to_indemnity: Decimal | None = None
    to_credit: Decimal | None = None
    # Who collected it when not the creditor: the recipient of a mandate (`<kind>:<id>`).
    collected_by: str | None = None


@dataclass(frozen=True, kw_only=True)
class PaymentReversed(Event):
    action: ClassVar[str] = "reverse_payment"
    payment_id: str
    amount: Decimal
    reversed_on: date | None = None  # the bank's return date (None in older timelines)


@dataclass(frozen=True, kw_only=True)
class ClaimPaid(Event):
    """Closed as paid: nothing is due, or the last instalment of a kept plan is paid."""

    action: ClassVar[str] = "close"
    outcome: str = "paid"
    due: Decimal
    credit: Decimal


@dataclass(frozen=True, kw_only=True)
class BalanceNotUpdated(Event):
    """The change is recorded, but what is owed could not be computed (a missing rate)."""

    action: ClassVar[str] = "balance_not_updated"


@dataclass(frozen=True, kw_only=True)
class PromiseRecorded(Event):
    action: ClassVar[str] = "record_promise"
    promise_id: str
    amount: Decimal
    promised_on: date
    made_on: date  # the day the debtor made it (C. civ. 2240: it acknowledges the debt)
    channel: str
    hold_until: date


@dataclass(frozen=True, kw_only=True)
class PromiseKept(Event):
    action: ClassVar[str] = "promise_kept"
    promise_id: str
    amount: Decimal
    promised_on: date


@dataclass(frozen=True, kw_only=True)
class PromiseBroken(Event):
    action: ClassVar[str] = "promise_broken"
    promise_id: str
    amount: Decimal
    promised_on: date


@dataclass(frozen=True, kw_only=True)
class PaymentPlanStarted(Event):
    action: ClassVar[str] = "start_payment_plan"
    plan_id: str
    total: Decimal
    instalments: int
    last_due_on: date
    agreed_on: date | None = None


@dataclass(frozen=True, kw_only=True)
class PaymentPlanDefaulted(Event):
    action: ClassVar[str] = "payment_plan_defaulted"
    defaulted_on: date | None
    outstanding: Decimal


@dataclass(frozen=True, kw_only=True)
class PaymentPlanCompleted(Event):
    action: ClassVar[str] = "payment_plan_completed"
    completed_on: date | None


# ---------------------------------------------------------------- the law's inputs

@dataclass(frozen=True, kw_only=True)
class FormalNoticeRecorded(Event):
    """A mise en demeure sent (by Relance's letter or otherwise): it starts consumer
    interest (C. civ. 1231-6, 1344-1). The timeline entry is the creditor's proof."""

    action: ClassVar[str] = "record_formal_notice"
    sent_on: date
    channel: str
    reference: str | None = None
    phase: str


@dataclass(frozen=True, kw_only=True)
class JudgmentRecorded(Event):
    action: ClassVar[str] = "record_judgment"
    pronounced_on: date
    court: str
    amount_awarded: Decimal
    enforceable_on: date | None = None
    reference: str | None = None
    phase: str


@dataclass(frozen=True, kw_only=True)
class ProceedingsOpened(Event):
    """The debtor's collective proceedings, noted on each of its claims."""

    action: ClassVar[str] = "collective_proceedings_opened"
    kind: str
    opened_on: date
    court: str
    bodacc_published_on: date | None = None
    declaration_deadline: date | None = None
    hold: str | None = None  # the hold the claim is now under


@dataclass(frozen=True, kw_only=True)
class ProceedingsWithdrawn(Event):
    """Proceedings recorded in error, removed from the debtor."""

    action: ClassVar[str] = "collective_proceedings_withdrawn"
    opened_on: date


# ---------------------------------------------------------------- contacts

@dataclass(frozen=True, kw_only=True)
class ContactsValidated(Event):
    """Counts and channels only: the timeline is read by many; addresses stay on the
    debtor."""

    action: ClassVar[str] = "contacts_validated"
    valid: int
    risky: int
    invalid: int
    unverified: int
    reachable_by: str

    @classmethod
    def of(cls, debtor: Debtor, channels: list[str]) -> ContactsValidated:
        statuses = [p.validation.status for p in debtor.contact_points if p.validation]
        return cls(valid=statuses.count("valid"), risky=statuses.count("risky"),
                   invalid=statuses.count("invalid"), unverified=statuses.count("unverified"),
                   reachable_by=",".join(channels) or "none")


# ---------------------------------------------------------------- letters
# Kinds, modes and statuses as their values: claims do not build on letters.

@dataclass(frozen=True, kw_only=True)
class LetterRequested(Event):
    action: ClassVar[str] = "letter_requested"
    letter_id: str
    kind: str
    language: str
    issued_on: date
    total: Decimal
    invoices: tuple[str, ...]
    deadline: date | None = None
    payment_reference: str
    confirmed_prescribed: tuple[str, ...] | None = None


@dataclass(frozen=True, kw_only=True)
class LetterRendered(Event):
    """The PDF as stored: its SHA-256 proves later that what was sent is what is kept."""

    action: ClassVar[str] = "letter_rendered"
    letter_id: str
    sha256: str
    size: int
    pages: int
    renderer_version: str


@dataclass(frozen=True, kw_only=True)
class LetterRenderFailed(Event):
    action: ClassVar[str] = "letter_render_failed"
    letter_id: str
    attempt: int


@dataclass(frozen=True, kw_only=True)
class LetterDispatched(Event):
    action: ClassVar[str] = "letter_dispatched"
    letter_id: str
    kind: str
    mode: str
    provider: str
    provider_id: str


@dataclass(frozen=True, kw_only=True)
class LetterEmailed(Event):
    """The ladder's e-mail went with the letter's PDF attached (its SHA-256 is the one the
    letter was rendered with). The provider's message id matches its delivery events; the
    address stays on the debtor."""

    action: ClassVar[str] = "letter_emailed"
    letter_id: str
    step: str | None = None
    message_id: str
    attachment_sha256: str


@dataclass(frozen=True, kw_only=True)
class LetterEmailSkipped(Event):
    """The e-mail that was to carry the letter was not sent: `cause` says why (the claim
    paid or closed meanwhile, no usable e-mail any more, the provider refused it, a PDF
    too large to attach)."""

    action: ClassVar[str] = "letter_email_skipped"
    letter_id: str
    step: str | None = None
    cause: str


@dataclass(frozen=True, kw_only=True)
class LetterDispatchSkipped(Event):
    """The ladder's letter was rendered but not posted: the claim no longer allows a letter
    (`cause`: claim_paid, claim_closed, not_allowed), `state` says where it stood."""

    action: ClassVar[str] = "letter_dispatch_skipped"
    letter_id: str
    step: str | None = None
    mode: str
    cause: str
    state: str


@dataclass(frozen=True, kw_only=True)
class LetterTracked(Event):
    """A status the postal provider reported, with the proof it sent (its SHA-256)."""

    action: ClassVar[str] = "letter_tracked"
    letter_id: str
    status: str
    at: datetime
    return_reason: str | None = None
    proof: str | None = None
    proof_sha256: str | None = None


@dataclass(frozen=True, kw_only=True)
class ContactToVerify(Event):
    """A task for a person: a channel failed (a letter came back), check the contact
    point. The worklist (escalation) lists these."""

    action: ClassVar[str] = "verify_contact"
    contact_point_id: str
    channel: str
    cause: str


@dataclass(frozen=True, kw_only=True)
class EmailBounced(Event):
    """A ladder e-mail came back (the provider's bounce): a permanent one marked the
    address invalid and asked a person for another (domain.services.email_feedback), a
    transient one (a full mailbox, a server down) is only noted. Names the provider's
    message and the contact point, never the address; no contact point when the address is
    no longer one of the debtor's."""

    action: ClassVar[str] = "email_bounced"
    message_id: str
    bounce: str  # permanent | transient
    contact_point_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class EmailComplained(Event):
    """The debtor reported a ladder e-mail as unwanted (a complaint through their mailbox
    provider): the address is not e-mailed again."""

    action: ClassVar[str] = "email_complained"
    message_id: str
    contact_point_id: str | None = None


# ---------------------------------------------------------------------------- escalation

@dataclass(frozen=True, kw_only=True)
class StepStarted(Event):
    """The ladder claimed a step: its effects are under way (one delivery of a wake-up wins)."""

    action: ClassVar[str] = "step_started"
    step: str
    index: int
    approved: bool | None = None
    recovered: bool | None = None  # claimed again after a run that never finished


@dataclass(frozen=True, kw_only=True)
class StepRan(Event):
    """What a step did: channels sent (with the provider's or the letter's id), skipped (and
    why), tasks raised. Contact values stay on the debtor."""

    action: ClassVar[str] = "step_ran"
    step: str
    index: int
    outcome: str
    sent: tuple[str, ...] | None = None
    skipped: tuple[str, ...] | None = None
    tasks: tuple[str, ...] | None = None


@dataclass(frozen=True, kw_only=True)
class MessageSent(Event):
    """An e-mail or SMS a step sent, word for word: the proof of what the debtor was told
    (a person reads it on the timeline; the evidence dossier quotes it). The address it went
    to stays on the debtor's contact points."""

    action: ClassVar[str] = "message_sent"
    step: str
    channel: str
    message_id: str
    subject: str | None = None
    text: str


@dataclass(frozen=True, kw_only=True)
class StepPassedOver(Event):
    """A step whose conditions exclude the claim (the debtor's kind, a minimum outstanding)."""

    action: ClassVar[str] = "step_passed_over"
    step: str


@dataclass(frozen=True, kw_only=True)
class StepReleased(Event):
    """A person answered a manual step's task: the ladder moves on."""

    action: ClassVar[str] = "step_released"
    step: str
    task_id: str
    outcome: str


@dataclass(frozen=True, kw_only=True)
class StepSkipped(Event):
    """A person skipped the ladder's next step (`skip_step`)."""

    action: ClassVar[str] = "skip_step"
    step: str

# ---------------------------------------------------------------- tasks
# Kinds as their values: claims do not build on escalation.

@dataclass(frozen=True, kw_only=True)
class TaskCompleted(Event):
    """A person did what a task asked (a call, a visit, an approval) and said what came of
    it; `reason` is their note. What the outcome did (a promise, a dispute) follows as its
    own entries."""

    action: ClassVar[str] = "task_completed"
    task_id: str
    kind: str
    outcome: str
    step_key: str | None = None


# ---------------------------------------------------------------------------- hand-off
# Kinds and outcomes as their values: claims do not build on the judicial package. The
# recipient's name and address stay on the mandate.

@dataclass(frozen=True, kw_only=True)
class HandedOff(Event):
    """A written mandate given (R124-3): the creditor's own chasing pauses."""

    action: ClassVar[str] = "handoff"
    mandate_id: str
    recipient_kind: str
    mandate_reference: str
    document: str
    signed_on: date
    from_state: str = field(metadata={"key": "from"})
    to_state: str = field(metadata={"key": "to"})


@dataclass(frozen=True, kw_only=True)
class HandoffWithdrawn(Event):
    """The creditor took the claim back: the recipient's key no longer reaches it, and the
    ladder plans the claim again."""

    action: ClassVar[str] = "withdraw_handoff"
    mandate_id: str
    from_state: str = field(metadata={"key": "from"})
    to_state: str = field(metadata={"key": "to"})


@dataclass(frozen=True, kw_only=True)
class HandoffClosed(Event):
    """The recipient returned the claim with an outcome; a person decides what follows."""

    action: ClassVar[str] = "close_handoff"
    mandate_id: str
    outcome: str
    from_state: str = field(metadata={"key": "from"})
    to_state: str = field(metadata={"key": "to"})


@dataclass(frozen=True, kw_only=True)
class ContactRecorded(Event):
    """A contact the recipient had with the debtor (R124-5 reporting); `reason` is its
    summary, in the recipient's words."""

    action: ClassVar[str] = "record_contact"
    mandate_id: str
    channel: str
    occurred_on: date
    outcome: str | None = None


@dataclass(frozen=True, kw_only=True)
class PassBackDue(Event):
    """A payment the recipient collected is due to the creditor by `pass_back_by`
    (R124-6); a task asks the creditor to check it arrived."""

    action: ClassVar[str] = "pass_back_due"
    mandate_id: str
    payment_id: str
    amount: Decimal
    pass_back_by: date
    task_id: str


# ---------------------------------------------------------------- judicial proceedings
# Routes, states and event types as their values: claims do not build on judicial.

@dataclass(frozen=True, kw_only=True)
class ProceedingStarted(Event):
    action: ClassVar[str] = "proceeding_started"
    proceeding_id: str
    route: str
    filer: str
    court: str | None = None


@dataclass(frozen=True, kw_only=True)
class JudicialEventRecorded(Event):
    """What happened in the proceeding (filed, order, served, …), with its day and what it
    moved: the state, the interruption of prescription, the document's SHA-256, a cost."""

    action: ClassVar[str] = "judicial_event"
    proceeding_id: str
    type: str
    occurred_on: date
    from_state: str = field(metadata={"key": "from"})
    to_state: str = field(metadata={"key": "to"})
    order_date: date | None = None
    pronounced_on: date | None = None
    hearing_on: date | None = None
    amount: Decimal | None = None
    step: str | None = None
    document: str | None = None
    document_sha256: str | None = None
    cost: Decimal | None = None
    cost_kind: str | None = None
    prescription_interrupted_on: date | None = None
    interruption_void: bool | None = None
