"""The judicial proceeding of a claim: its state, deadlines, documents, costs and events,
and the body of an event recorded."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from msgspec import Meta

from api.http.schemas._base import DecimalString, Input, Output, ShortText
from domain.services.judicial_proceedings import JudicialView, costs_summary
from domain.shared.money import format_amount

Note = Annotated[str, Meta(max_length=2000)]
Sha256 = Annotated[str, Meta(pattern=r"^[0-9a-f]{64}$", description="SHA-256, lowercase hex")]
JudicialEventType = Literal[
    "filed",
    "order_granted",
    "order_rejected",
    "summons_served",
    "summons_placed",
    "served",
    "opposed",
    "contested",
    "uncontested",
    "agreed",
    "refused",
    "hearing_set",
    "judgment",
    "rejected",
    "judgment_served",
    "enforceable",
    "enforcement_step",
    "commissaire_payment",
    "declared",
    "admitted",
    "lapsed",
    "withdrawn",
    "closed",
    "appealed",
    "appeal_decided",
    "stayed",
    "cost",
    "document",
]
CourtKindName = Literal["TJ", "JCP", "TC", "TAE", "TJ_CH_COM", "FOREIGN"]
ResidenceName = Literal["metropolitan", "overseas", "abroad"]
FilerName = Literal["creditor", "lawyer", "commissaire_de_justice", "agency"]
CostKindName = Literal["greffe", "commissaire", "taxe", "lawyer", "cje",
                       "agency_commission", "other"]


class DocumentIn(Input):
    """A document the event came with: its name and SHA-256, or the id of a document
    uploaded for the claim."""

    name: ShortText | None = None
    sha256: Sha256 | None = None
    document_id: Annotated[str, Meta(min_length=1, max_length=100,
                                     pattern=r"^[A-Za-z0-9_-]+$")] | None = None


class CourtIn(Input):
    """The court seized. Its seat decides the distance extensions (CPC 643-644); without
    one, the court is taken to sit where the debtor lives in France (CPC 42, 1406)."""

    name: ShortText
    kind: CourtKindName | None = None
    seat: Literal["metropolitan", "overseas"] | None = None
    postal_code: Annotated[str, Meta(max_length=10, description=(
        "The court's French postal code: its seat when `seat` is not given, and its local "
        "public holidays (Alsace-Moselle, overseas), which move a time limit ending on one "
        "to the next working day (CPC 642)"))] | None = None


class CostIn(Input):
    kind: CostKindName
    amount: Annotated[DecimalString, Meta(description="Excluding VAT (HT)")]
    vat: DecimalString = "0"
    recoverable: Annotated[bool, Meta(description=(
        "Whether the debtor may be ordered to bear it (dépens, CPC 695). Default by kind: "
        "greffe, commissaire and taxe yes (not in the simplified small-claims procedure, "
        "whose costs are the creditor's), a lawyer's fees and an agency's commission no "
        "(CPCE L111-8 al. 2)."))] | None = None
    note: Note | None = None


class JudicialEventCreate(Input):
    type: Annotated[JudicialEventType, Meta(description=(
        "What happened; the proceeding's state says which types it takes (409 names them)"))]
    occurred_on: Annotated[date, Meta(description=(
        "The day it happened: not in the future, not before the previous event"))]
    order_date: Annotated[date, Meta(description=(
        "order_granted: the order's date when it is not the day recorded; the service "
        "deadline runs from it (CPC 1411, décret 2026-96)"))] | None = None
    amount: Annotated[DecimalString, Meta(description=(
        "judgment: the amount awarded (required); order_granted: the amount ordered "
        "(required); appeal_decided: what the arrêt awards (required; 0.00 when it "
        "dismisses the demand, the same as the judgment when it confirms it); "
        "commissaire_payment: the amount passed on (required), recorded as a payment"))
    ] | None = None
    pronounced_on: Annotated[date, Meta(description=(
        "judgment, appeal_decided: the day pronounced, when not the day recorded"))
    ] | None = None
    in_person: Annotated[bool, Meta(description=(
        "served: the order was served to the debtor in person (à personne); when not (or "
        "not said), the debtor may still oppose after the month, until a month after the "
        "first enforcement step (CPC 1416 al. 2)"))] | None = None
    appellant: Annotated[Literal["debtor", "creditor"], Meta(description=(
        "appealed (required): who appeals; the enforcement of the decision goes on (CPC "
        "514)"))] | None = None
    hearing_on: Annotated[date, Meta(description="hearing_set: the hearing's date")] | None = None
    step: Annotated[str, Meta(min_length=1, max_length=100, description=(
        "enforcement_step: which (saisie-attribution, saisie-vente, …)"))] | None = None
    document: DocumentIn | None = None
    cost: CostIn | None = None
    court: Annotated[CourtIn, Meta(description=(
        "The court seized, when this event names it (the request filed, the assignation "
        "served)"))] | None = None
    filer: Annotated[FilerName, Meta(description=(
        "Who acts from now on (CPC 1407: the creditor or any mandataire; a lawyer taking "
        "the case after an opposition)"))] | None = None
    note: Note | None = None


class DeadlineOut(Output):
    what: str
    due: date
    last_day: Annotated[date, Meta(description=(
        "`due` moved to the next working day when it is a Saturday, Sunday or public "
        "holiday (CPC 642)"))]
    kind: Annotated[str, Meta(description="`by`: due by last_day; `from`: not before due; "
                                          "`on`: a set date")]
    party: str
    rule: Annotated[str, Meta(description="The dated parameter that sets it")]
    source: str
    effective_from: date
    confirmed: bool
    status: Annotated[str, Meta(description="open, met, missed, or moot (the proceeding went "
                                            "another way first)")]


class DocumentOut(Output):
    name: str
    recorded_on: date
    event: str
    sha256: str | None
    document_id: str | None


class CostOut(Output):
    kind: str
    amount: str
    vat: str
    total: str
    incurred_on: date
    recoverable: bool
    note: str | None


class JudicialEventOut(Output):
    seq: int
    type: str
    occurred_on: date
    recorded_at: datetime
    actor: str
    from_state: str
    to_state: str
    details: dict[str, str]


class CourtOut(Output):
    name: str
    kind: str | None
    seat: str | None
    postal_code: str | None


class CostTotalsOut(Output):
    recoverable: Annotated[str, Meta(description=(
        "What the debtor may be ordered to bear (dépens); not added to the statement"))]
    borne_by_creditor: Annotated[str, Meta(description="CPCE L111-8 al. 2 and the rest")]


class AppealOut(Output):
    appealed_on: date
    appellant: Literal["debtor", "creditor"]
    decided_on: Annotated[date, Meta(description=(
        "The day the cour d'appel pronounced its arrêt (`appeal_decided`)"))] | None


class JudicialOut(Output):
    id: str
    claim_id: str
    route: str
    state: str
    allowed_events: list[str]
    court: CourtOut | None
    filer: str
    started_at: datetime
    debtor_residence: Annotated[ResidenceName, Meta(description=(
        "From the debtor's address at the start: extends the periods that run from a "
        "service, opposition and appeal (CPC 643-644)"))]
    deadlines: list[DeadlineOut]
    documents: list[DocumentOut]
    costs: list[CostOut]
    cost_totals: CostTotalsOut
    events: list[JudicialEventOut]
    prescription_interrupted_on: Annotated[date, Meta(description=(
        "The act that interrupted prescription (service, never the filing of an injonction "
        "de payer's request); the claim's limitation dates count from it"))] | None
    title_enforceable_until: Annotated[date, Meta(description=(
        "CPCE L111-4: 10 years from the day the title became enforceable"))] | None
    appeal: Annotated[AppealOut, Meta(description=(
        "An appeal against the decision on the merits, once recorded (`appealed`)"))] | None
    version: int

    @classmethod
    def of(cls, view: JudicialView) -> JudicialOut:
        p, cur = view.proceeding, view.currency
        recoverable, creditor = costs_summary(p)
        return cls(
            id=p.id, claim_id=p.claim_id, route=p.route.value, state=p.state.value,
            allowed_events=view.allowed_events,
            court=CourtOut(p.court.name, p.court.kind,
                           p.court.seat.value if p.court.seat else None,
                           p.court.postal_code) if p.court else None,
            filer=p.filer.value, started_at=p.started_at,
            debtor_residence=p.debtor_residence.value,
            deadlines=[DeadlineOut(d.what, d.due, d.last_day, d.kind, d.party.value, d.rule,
                                   d.source, d.effective_from, d.confirmed, d.status.value)
                       for d in view.deadlines],
            documents=[DocumentOut(d.name, d.recorded_on, d.event, d.sha256, d.document_id)
                       for d in p.documents],
            costs=[CostOut(c.kind.value, format_amount(c.amount, cur),
                           format_amount(c.vat, cur), format_amount(c.total, cur),
                           c.incurred_on, c.recoverable, c.note) for c in p.costs],
            cost_totals=CostTotalsOut(format_amount(recoverable, cur),
                                      format_amount(creditor, cur)),
            events=[JudicialEventOut(e.seq, e.type.value, e.occurred_on, e.recorded_at,
                                     e.actor, e.from_state.value, e.to_state.value,
                                     dict(e.details)) for e in p.events],
            prescription_interrupted_on=p.prescription_interrupted_on,
            title_enforceable_until=view.title_enforceable_until,
            appeal=AppealOut(p.appealed_on, p.appellant.value,
                             p.appeal_decided_on)
            if p.appealed_on is not None and p.appellant is not None else None,
            version=p.version)
