"""The hand-off to an agency, a commissaire de justice or a lawyer, as JSON."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, ClassVar, Literal

from msgspec import Meta

from api.http.schemas._base import DecimalString, Input, Output, Reference, ShortText
from api.http.schemas.amounts import PaymentOut, PaymentSplitOut
from api.http.schemas.claims import ClaimOut
from api.http.schemas.creditors import AddressBody, AddressOut
from api.http.schemas.tasks import TaskOut

if TYPE_CHECKING:
    from domain.judicial.handoff import Mandate
    from domain.services.handoff import Collected

RecipientKind = Annotated[Literal["agency", "commissaire_de_justice", "lawyer"], Meta(
    description="A collection agency (R124-1 CPCE), a commissaire de justice or a lawyer "
    "collecting amicably")]
CloseOutcomeName = Annotated[
    Literal["recovered", "partly_recovered", "unrecoverable", "disputed", "returned"],
    Meta(description="`disputed`: the debtor contests, the claim is then held for the "
         "dispute; any other: the claim is held manually until you resume it")]
ContactChannel = Literal["phone", "email", "letter", "sms", "visit", "other"]
Note = Annotated[str, Meta(min_length=1, max_length=2000)]


class RecipientBody(Input):
    kind: RecipientKind
    name: ShortText
    address: Annotated[AddressBody, Meta(description=(
        "Printed on every letter the recipient sends through Relance (R124-4 1°)"))]
    siren: Annotated[str, Meta(min_length=9, max_length=20)] | None = None


class CommissionBody(Input):
    rate: Annotated[str, Meta(pattern=r"^[0-9]{1,3}(\.[0-9]{1,4})?$", examples=["15"],
                              description="Percent of the sums recovered (above 0, ≤ 100)")
                    ] | None = None
    fixed_fee: DecimalString | None = None


class HandoffCreate(Input):
    """Either `mandate_id` (this claim joins an active mandate: its recipient's key reaches
    it too, no new secret), or the new mandate's terms."""

    __multiline__: ClassVar[frozenset[str]] = frozenset({"note"})

    mandate_id: Annotated[str, Meta(min_length=1, max_length=64, description=(
        "An active mandate of yours: the claim is added to it"))] | None = None
    recipient: RecipientBody | None = None
    reference: Annotated[Reference, Meta(description="The mandate's reference")] | None = None
    document: Annotated[str, Meta(min_length=1, max_length=100, description=(
        "The written mandate (R124-3): an uploaded document's id (doc_…) or the SHA-256 of "
        "the signed mandate, 64 lowercase hex digits"))] | None = None
    insurance: Annotated[str, Meta(min_length=1, max_length=300, description=(
        "The recipient's professional-liability insurer and policy, as the mandate states "
        "them (R124-3)"))] | None = None
    commission: Annotated[CommissionBody, Meta(description=(
        "The recipient's fee, paid by you (L111-8), never added to what the debtor owes"))
    ] | None = None
    signed_on: date | None = None
    note: Note | None = None


class HandoffWithdraw(Input):
    reason: Note | None = None


class HandoffClose(Input):
    outcome: CloseOutcomeName
    note: Note | None = None


class ContactCreate(Input):
    __multiline__: ClassVar[frozenset[str]] = frozenset({"summary"})

    channel: ContactChannel
    occurred_on: date
    summary: Annotated[Note, Meta(description="What was said or done")]
    outcome: Annotated[str, Meta(min_length=1, max_length=40, pattern=r"^[a-z_]+$")
                       ] | None = None


class CommissionOut(Output):
    currency: str
    rate: str | None
    fixed_fee: str | None


class RecipientOut(Output):
    kind: str
    name: str
    address: AddressOut
    siren: str | None


class MandatedClaimOut(Output):
    claim_id: str
    status: Literal["active", "withdrawn", "closed"]
    since: datetime
    ended_at: datetime | None
    outcome: str | None
    first_letter_id: str | None
    first_letter_on: date | None


class CollectionOut(Output):
    claim_id: str
    payment_id: str
    amount: str
    received_on: date
    pass_back_by: Annotated[date, Meta(description=(
        "The last day the recipient passes it back to you (R124-6: a month from receipt)"))]
    task_id: str


class MandateOut(Output):
    id: str
    status: Literal["active", "withdrawn", "closed"]
    recipient: RecipientOut
    reference: str
    document: str
    insurance: str
    commission: CommissionOut
    signed_on: date
    key_id: str
    claims: list[MandatedClaimOut]
    collections: list[CollectionOut]
    created_at: datetime
    updated_at: datetime
    version: int

    @classmethod
    def of(cls, m: Mandate) -> MandateOut:
        c = m.commission
        return cls(
            id=m.id, status=m.status.value,
            recipient=RecipientOut(kind=m.recipient.kind.value, name=m.recipient.name,
                                   address=AddressOut.of(m.recipient.address),
                                   siren=m.recipient.siren),
            reference=m.reference, document=m.document, insurance=m.insurance,
            commission=CommissionOut(
                currency=c.currency, rate=None if c.rate is None else str(c.rate),
                fixed_fee=None if c.fixed_fee is None else str(c.fixed_fee)),
            signed_on=m.signed_on, key_id=m.key_id,
            claims=[MandatedClaimOut(
                claim_id=e.claim_id, status=e.status.value,
                since=e.since, ended_at=e.ended_at,
                outcome=e.outcome.value if e.outcome else None,
                first_letter_id=e.first_letter_id, first_letter_on=e.first_letter_on)
                for e in m.claims],
            collections=[CollectionOut(
                claim_id=x.claim_id, payment_id=x.payment_id, amount=str(x.amount),
                received_on=x.received_on, pass_back_by=x.pass_back_by, task_id=x.task_id)
                for x in m.collections],
            created_at=m.created_at, updated_at=m.updated_at, version=m.version)


class HandoffOut(Output):
    mandate: MandateOut
    claim: ClaimOut


class HandoffIssuedOut(HandoffOut):
    """The first hand-off of a mandate: the recipient's key, its secret shown once."""

    key_id: str
    secret: Annotated[str, Meta(description=(
        "The recipient's API key, shown once (only its SHA-256 is stored): it reaches the "
        "mandate's claims only; give it to the recipient"))] | None


class ContactOut(Output):
    claim: ClaimOut
    channel: str
    occurred_on: date


class CollectedOut(Output):
    payment: PaymentOut
    split: PaymentSplitOut | None
    pass_back_by: date
    task: TaskOut
    claim: ClaimOut

    @classmethod
    def of(cls, collected: Collected) -> CollectedOut:
        change, payment = collected.change, collected.payment
        split = None
        if change.statement is not None:
            found = next((s for s in change.statement.payments
                          if s.payment_id == payment.id), None)
            split = PaymentSplitOut.of(found, change.claim.currency) if found else None
        return cls(payment=PaymentOut.of(payment, change.claim.currency), split=split,
                   pass_back_by=collected.collection.pass_back_by,
                   task=TaskOut.of(collected.task), claim=ClaimOut.of(change.claim, change.today))
