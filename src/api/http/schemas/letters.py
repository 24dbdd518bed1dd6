"""The JSON shapes of letters: a request, the record with its evidence, the dispatch and
its tracking, and a payment found by its structured reference."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Literal

from msgspec import Meta

from api.http.schemas._base import DecimalString, Input, Language, Output
from domain.claims.model import MAX_INVOICES_PER_CLAIM
from domain.shared.money import format_amount

if TYPE_CHECKING:
    from domain.letters.content import LetterContent
    from domain.letters.model import Dispatch, Letter, Proof, TrackingEvent

LetterKindName = Annotated[
    Literal["reminder_1", "reminder_2", "formal_notice", "payment_plan_agreement"],
    Meta(description="`reminder_1` courteous, `reminder_2` firmer (names the next step), "
                     "`formal_notice` the mise en demeure, `payment_plan_agreement` the "
                     "échéancier for the debtor to sign")]
# What a letter read may be: the kinds one may request, and the declaration of claim the
# insolvency watch prepares for the mandataire (domain.services.insolvency_watch).
LetterKindOutName = Annotated[
    Literal["reminder_1", "reminder_2", "formal_notice", "payment_plan_agreement",
            "declaration_of_claim"],
    Meta(description="As `kind` of a request, or `declaration_of_claim`: the declaration "
                     "to the mandataire judiciaire that the insolvency watch prepares")]
DispatchModeName = Annotated[
    Literal["simple", "registered", "registered_ar", "electronic_registered"],
    Meta(description="`registered_ar`: lettre recommandée avec accusé de réception; "
                     "`electronic_registered`: a qualified LRE (CPCE L100), refused for a "
                     "consumer who has not consented to it")]
InvoiceNumber = Annotated[str, Meta(min_length=1, max_length=64)]


class LetterCreate(Input):
    kind: LetterKindName
    language: Annotated[Language, Meta(
        description="Default: the debtor's language")] | None = None
    confirm_prescribed: Annotated[list[InvoiceNumber], Meta(
        max_length=MAX_INVOICES_PER_CLAIM,
        description="Prescribed invoices a person confirms may still be claimed (the "
                    "debtor acknowledged the debt in a way Relance does not know of). "
                    "Without it, no letter claims a prescribed invoice.")] = []
    contact_point_id: Annotated[str, Meta(
        min_length=1, max_length=64,
        description="The debtor's postal address to write to (default: the first valid "
                    "one)")] | None = None


class DispatchCreate(Input):
    mode: DispatchModeName


class ProofOut(Output):
    kind: Literal["deposit", "acknowledgement", "return"]
    sha256: str
    size: int
    content_type: str
    received_at: datetime

    @classmethod
    def of(cls, proof: Proof) -> ProofOut:
        return cls(kind=proof.kind.value, sha256=proof.sha256,
                   size=proof.size, content_type=proof.content_type,
                   received_at=proof.received_at)


class TrackingOut(Output):
    status: str
    at: datetime
    return_reason: str | None

    @classmethod
    def of(cls, event: TrackingEvent) -> TrackingOut:
        return cls(status=event.status.value, at=event.at,
                   return_reason=event.return_reason.value if event.return_reason else None)


class DispatchOut(Output):
    mode: DispatchModeName
    status: Annotated[Literal["accepted", "printed", "posted", "delivered", "returned",
                              "failed"], Meta(description="Where the post has it")]
    provider: str
    provider_id: str
    requested_at: datetime
    updated_at: datetime
    return_reason: Literal["npai", "refused", "unclaimed"] | None
    events: list[TrackingOut]

    @classmethod
    def of(cls, dispatch: Dispatch) -> DispatchOut:
        return cls(
            mode=dispatch.mode.value,
            status=dispatch.status.value,
            provider=dispatch.provider, provider_id=dispatch.provider_id,
            requested_at=dispatch.requested_at, updated_at=dispatch.updated_at,
            return_reason=(dispatch.return_reason.value
                           if dispatch.return_reason else None),
            events=[TrackingOut.of(e) for e in dispatch.events])


class LetterOut(Output):
    id: str
    claim_id: str
    kind: LetterKindOutName
    language: Language
    status: Annotated[Literal["rendering", "ready", "failed"], Meta(
        description="`failed` says why in `failure`, and may be rendered again")]
    issued_on: date
    deadline: Annotated[date | None, Meta(
        description="The day the letter asks to be paid by")]
    payment_reference: Annotated[str | None, Meta(
        description="The structured creditor reference (ISO 11649) printed on the letter: "
                    "a transfer quoting it is matched to the claim")]
    confirmed_prescribed: list[str]
    requested_at: datetime
    requested_by: str
    updated_at: datetime
    failure: str | None
    render_attempts: int
    size: Annotated[int | None, Meta(description="Bytes of the PDF, once ready")]
    pages: int | None
    sha256: Annotated[str | None, Meta(
        description="SHA-256 of the stored PDF: what was sent is provably what is stored")]
    renderer_version: str | None
    dispatch: DispatchOut | None
    dispatch_skipped: Annotated[Literal["claim_paid", "claim_closed", "not_allowed"] | None,
                                Meta(description=(
        "Why a letter the ladder asked to post once rendered was not posted: the claim was "
        "paid or closed, or no longer allowed a dispatch (a dispute, a hold), by then"))]
    proofs: list[ProofOut]

    @classmethod
    def of(cls, letter: Letter) -> LetterOut:
        return cls(
            id=letter.id, claim_id=letter.claim_id,
            kind=letter.kind.value,
            language=letter.language.value,
            status=letter.status.value,
            issued_on=letter.issued_on, deadline=letter.deadline,
            payment_reference=letter.payment_reference,
            confirmed_prescribed=list(letter.confirmed_prescribed),
            requested_at=letter.requested_at, requested_by=letter.requested_by,
            updated_at=letter.updated_at, failure=letter.failure,
            render_attempts=letter.render_attempts, size=letter.size, pages=letter.pages,
            sha256=letter.sha256, renderer_version=letter.renderer_version,
            dispatch=DispatchOut.of(letter.dispatch) if letter.dispatch else None,
            dispatch_skipped=letter.dispatch_skipped,  # type: ignore[arg-type]
            proofs=[ProofOut.of(p) for p in letter.proofs])


class LetterList(Output):
    items: list[LetterOut]


class LetterAmountsOut(Output):
    """The figures the letter states, as the statement gave them on its date."""

    currency: str
    principal: str
    interest: str
    indemnity: str
    total: str
    invoices: list[str]


class LetterDetail(LetterOut, kw_only=True):
    amounts: LetterAmountsOut
    download_url: Annotated[str | None, Meta(
        description="A presigned link to the PDF once ready, valid `expires_in` seconds")]
    expires_in: int | None

    @classmethod
    def of_view(cls, letter: Letter, content: LetterContent, url: str | None,
                expires_in: int | None) -> LetterDetail:
        base = LetterOut.of(letter)
        a = content.amounts
        fields = {f: getattr(base, f) for f in base.__struct_fields__}
        return cls(**fields, download_url=url, expires_in=expires_in,
                   amounts=LetterAmountsOut(
                       currency=a.currency, principal=format_amount(a.principal, a.currency),
                       interest=format_amount(a.interest, a.currency),
                       indemnity=format_amount(a.indemnity, a.currency),
                       total=format_amount(a.total, a.currency),
                       invoices=[i.number for i in content.invoices]))


class PaymentByReferenceCreate(Input):
    """A transfer as the bank statement shows it: the structured reference finds the
    claim."""

    reference: Annotated[str, Meta(min_length=5, max_length=40, description=(
        "The ISO 11649 reference the payer quoted (`RF…`, spaces allowed)"))]
    amount: DecimalString
    received_on: date
    invoice_numbers: Annotated[list[InvoiceNumber], Meta(
        max_length=MAX_INVOICES_PER_CLAIM)] = []


class WebhookResult(Output):
    recorded: Annotated[int, Meta(description="Updates that were new")]
