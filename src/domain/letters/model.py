"""Letters (courriers): a reminder or a formal notice as requested, rendered, stored and
posted. Plain dataclasses, no I/O.

A letter's content (every figure, the address block, the recalled commitments) is fixed
when it is requested (domain.letters.content), so the worker renders exactly what the
request checked, however late it runs, and rendering it again gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from domain.shared.language import Language


@dataclass(frozen=True, slots=True)
class AddressFrame:
    """Where the address block sits on the A4 sheet, in millimetres from the top-left
    corner: set per print provider, as window envelopes differ (A4: a French print house
    puts it 85 × 33 mm, 55 mm from the top and 110 mm from the left, which a DL window
    shows)."""

    top: Decimal = Decimal(55)
    left: Decimal = Decimal(110)
    width: Decimal = Decimal(85)
    height: Decimal = Decimal(33)


class LetterKind(StrEnum):
    REMINDER_1 = "reminder_1"  # courteous: "sauf erreur ou omission"
    REMINDER_2 = "reminder_2"  # firmer: names the next step
    FORMAL_NOTICE = "formal_notice"  # mise en demeure (C. civ. 1344)
    PAYMENT_PLAN_AGREEMENT = "payment_plan_agreement"  # the échéancier, for signature
    # The declaration of claim to the mandataire judiciaire (C. com. L622-25, R622-23):
    # addressed to the mandataire, not the debtor (domain.letters.declaration).
    DECLARATION_OF_CLAIM = "declaration_of_claim"


class LetterStatus(StrEnum):
    RENDERING = "rendering"
    READY = "ready"
    FAILED = "failed"


class DispatchMode(StrEnum):
    SIMPLE = "simple"
    REGISTERED = "registered"  # lettre recommandée, no acknowledgement
    REGISTERED_AR = "registered_ar"  # lettre recommandée avec accusé de réception (LRAR)
    # A qualified electronic registered letter (CPCE L100, eIDAS art. 44): equivalent to an
    # LRAR, but only for a consumer who consented to it beforehand (CPCE R53-1 ff.).
    ELECTRONIC_REGISTERED = "electronic_registered"


class DispatchStatus(StrEnum):
    ACCEPTED = "accepted"  # the provider took the job
    PRINTED = "printed"
    POSTED = "posted"  # handed to the post: the deposit proof exists for registered mail
    DELIVERED = "delivered"  # for registered_ar: the acknowledgement was signed
    RETURNED = "returned"  # back to the sender: see ReturnReason
    FAILED = "failed"  # the provider refused the job


FINAL_DISPATCH_STATUSES = frozenset({DispatchStatus.DELIVERED, DispatchStatus.RETURNED,
                                     DispatchStatus.FAILED})

# The order a letter moves through; a late or repeated update never moves it back.
DISPATCH_ORDER = {status: rank for rank, status in enumerate(
    (DispatchStatus.ACCEPTED, DispatchStatus.PRINTED, DispatchStatus.POSTED,
     DispatchStatus.DELIVERED))}


class ReturnReason(StrEnum):
    NPAI = "npai"  # n'habite pas à l'adresse indiquée: the address is wrong
    REFUSED = "refused"  # the addressee refused the letter
    UNCLAIMED = "unclaimed"  # avisé et non réclamé: the address is right


class ProofKind(StrEnum):
    DEPOSIT = "deposit"  # preuve de dépôt
    ACKNOWLEDGEMENT = "acknowledgement"  # avis de réception signed
    RETURN = "return"  # the envelope's return notice (pli non distribué)


@dataclass(frozen=True, slots=True)
class Proof:
    kind: ProofKind
    object_key: str
    sha256: str
    size: int
    content_type: str
    received_at: datetime


@dataclass(frozen=True, slots=True)
class TrackingEvent:
    """One status the postal provider reported, as it reported it."""

    status: DispatchStatus
    at: datetime
    provider_event_id: str
    return_reason: ReturnReason | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class Dispatch:
    mode: DispatchMode
    provider: str
    provider_id: str
    # Sent to the provider with the job: a retry of the same dispatch never prints twice.
    idempotency_key: str
    status: DispatchStatus
    requested_at: datetime
    updated_at: datetime
    events: tuple[TrackingEvent, ...] = ()
    return_reason: ReturnReason | None = None

    @property
    def in_flight(self) -> bool:
        return self.status not in FINAL_DISPATCH_STATUSES


@dataclass(frozen=True, slots=True)
class LetterEmail:
    """The ladder's e-mail that carries the letter's PDF (a step with an e-mail and a
    letter): the letter worker sends it once the letter is rendered. A worker claims it
    (`started_at`) before sending, so two deliveries of the render job send it once."""

    template: str  # the step's message (domain.escalation.messages)
    idempotency_key: str  # the claim, the step and the channel
    started_at: datetime | None = None
    message_id: str | None = None  # the provider's, once sent
    skipped: str | None = None  # why it was not sent (the claim paid meanwhile, no e-mail)

    @property
    def done(self) -> bool:
        return self.message_id is not None or self.skipped is not None


@dataclass(slots=True)
class Letter:
    id: str
    creditor_id: str
    claim_id: str
    kind: LetterKind
    language: Language
    status: LetterStatus
    requested_at: datetime
    updated_at: datetime
    requested_by: str
    # The day the figures are computed at and the letter is dated.
    issued_on: date
    version: int = 1
    # The stored PDF, once rendered: what was sent is provably what is stored.
    object_key: str | None = None
    size: int | None = None
    pages: int | None = None
    sha256: str | None = None
    renderer_version: str | None = None
    failure: str | None = None
    render_attempts: int = 0
    # The formal notice's deadline to pay (issued_on + the creditor's notice days).
    deadline: date | None = None
    # The structured creditor reference printed on the letter (ISO 11649).
    payment_reference: str | None = None
    # Prescribed invoices a person confirmed may still be claimed (shown as such).
    confirmed_prescribed: tuple[str, ...] = ()
    dispatch: Dispatch | None = None
    proofs: tuple[Proof, ...] = field(default=())
    # Requested by the ladder: which step, and how to post it once it is rendered.
    step_key: str | None = None
    dispatch_on_ready: DispatchMode | None = None
    # ... and the e-mail to send with it attached, once it is rendered.
    email_on_ready: LetterEmail | None = None
    # Why the post the ladder asked for was not made (the claim was paid, closed, disputed
    # or put under collective proceedings before the letter was ready): the letter stays
    # rendered and on record, and a job delivered again does not try to post it.
    dispatch_skipped: str | None = None
