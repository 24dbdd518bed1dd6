"""Claims, their invoices, warnings, holds and timeline, as JSON."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from msgspec import Meta

from api.http.schemas._base import (
    ContractualRate,
    Currency,
    DecimalString,
    Input,
    Output,
    Reference,
)
from domain.amounts import deadlines
from domain.claims import lifecycle
from domain.claims.judicial import JudicialRoute, TransferTarget
from domain.claims.model import MAX_INVOICES_PER_CLAIM, Claim, ClaimEvent, Hold, Invoice, Phase
from domain.debtors.model import DebtorKind
from domain.shared.money import format_amount


class InvoiceBody(Input):
    number: Annotated[str, Meta(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f#]+$")]
    issue_date: date
    due_date: date
    amount: DecimalString
    performed_on: Annotated[date, Meta(description=(
        "The day the goods were delivered or the service completed; not in the future. "
        "Prescription runs from it instead of the due date (C. civ. 2224; Cass. com. 26 Feb "
        "2020 n° 18-25.036), even when it is after the due date."))] | None = None


class ClaimCreate(Input):
    debtor_id: Annotated[str, Meta(min_length=1, max_length=64)]
    currency: Currency
    invoices: Annotated[list[InvoiceBody], Meta(min_length=1, max_length=MAX_INVOICES_PER_CLAIM)]
    external_reference: Reference | None = None
    # Without it, the creditor's `contractual_rate` (its general terms) applies, if set.
    contractual_rate: ContractualRate | None = None
    formal_notice_on: (
        Annotated[
            date,
            Meta(
                description="Date a formal notice (mise en demeure) was already sent before the "
                "claim reached Relance: consumer interest runs from it (C. civ. 1231-6)."
            ),
        ]
        | None
    ) = None


class InvoiceOut(Output):
    number: str
    issue_date: date
    due_date: date
    amount: str
    performed_on: date | None
    limitation_date: Annotated[date, Meta(description=(
        "Last day to act: the prescription period from performed_on (or the due date "
        "without it), moved by the debtor's acknowledgements."))]

    @classmethod
    def of(cls, invoice: Invoice, currency: str, kind: DebtorKind,
           acknowledged: tuple[date, ...] = ()) -> InvoiceOut:
        return cls(
            number=invoice.number,
            issue_date=invoice.issue_date,
            due_date=invoice.due_date,
            amount=format_amount(invoice.amount, currency),
            performed_on=invoice.performed_on,
            limitation_date=deadlines.limitation_date(deadlines.prescription_start(invoice),
                                                      kind, acknowledged),
        )


class WarningOut(Output):
    code: str
    message: str
    subject: str | None


def claim_warnings(claim: Claim, today: date | None) -> list[WarningOut]:
    """Payment terms beyond the legal caps, and prescription approaching (90 days)."""
    warnings = [
        WarningOut(code=f.code, message=f.message, subject=f.subject)
        for inv in claim.invoices
        for f in deadlines.payment_term_flags(inv, claim.debtor_kind)
    ]
    instead = ("the statutory rate ECB + 10" if claim.below_floor_policy == "statutory_default"
               else "the floor")
    warnings += [WarningOut(
        code="contractual_below_floor", subject=half,
        message=(f"{half}: the agreed rate is below 3 × the legal rate; {instead} runs "
                 "instead (C. com. L441-10 II), see the statement"))
        for half in claim.rate_below_floor]
    if today is not None and claim.phase is not Phase.CLOSED:
        warnings += _proceedings_warnings(claim, today)
        for inv in claim.invoices:
            limit = deadlines.limitation_date(deadlines.prescription_start(inv),
                                              claim.debtor_kind, claim.acknowledged)
            if deadlines.is_prescribed(limit, today):
                warnings.append(
                    WarningOut(
                        code="prescribed",
                        subject=inv.number,
                        message=(f"the action for invoice {inv.number} was time-barred on {limit}"),
                    )
                )
            elif deadlines.prescription_warning(limit, today):
                warnings.append(
                    WarningOut(
                        code="prescription_soon",
                        subject=inv.number,
                        message=f"invoice {inv.number} is time-barred on {limit}: act before then",
                    )
                )
    return warnings


def _proceedings_warnings(claim: Claim, today: date) -> list[WarningOut]:
    proceedings = claim.proceedings
    if proceedings is None:
        return []
    from domain.debtors.proceedings import arose_before

    # The hold covers the whole claim: a later debt in it waits with the rest, though it
    # is the debtor's to pay at its due date (L622-17); its own claim would be chased.
    later = [inv.number for inv in claim.invoices
             if not arose_before(inv, proceedings.opened_on)]
    return [*(WarningOut(
        code="post_opening_debt", subject=number,
        message=(f"invoice {number} arose after the opening of {proceedings.opened_on}: it "
                 "is not declared and bears its interest (C. com. L622-17); held with this "
                 "claim, it is chased once it is a claim of its own"))
        for number in later), *_declaration_warnings(claim, today)]


def _declaration_warnings(claim: Claim, today: date) -> list[WarningOut]:
    proceedings, deadline = claim.proceedings, claim.declaration_deadline
    assert proceedings is not None
    if deadline is None:
        return [WarningOut(
            code="declaration_deadline_unknown", subject=None,
            message=(f"collective proceedings opened on {proceedings.opened_on}: declare the "
                     "claim to the mandataire judiciaire within the period that runs from "
                     "the BODACC publication (C. com. R622-24); give its date to see the "
                     "deadline"))]
    if today > deadline:
        from domain.debtors.proceedings import relief_deadline

        # The period is dated data (domain/debtors/data/insolvency.json), never a figure here.
        published = proceedings.bodacc_published_on
        relief = relief_deadline(published) if published is not None else None
        until = (f" until {relief}" + (", also passed" if today > relief else "")
                 if relief is not None else "")
        return [WarningOut(
            code="declaration_deadline_passed", subject=None,
            message=(f"the deadline to declare the claim was {deadline}: unless it was "
                     f"declared, relief from foreclusion may be asked of the "
                     f"juge-commissaire{until} (C. com. L622-26)"))]
    return [WarningOut(
        code="declare_claim", subject=None,
        message=(f"collective proceedings: declare the claim to the mandataire judiciaire by "
                 f"{deadline} (C. com. L622-24, R622-24)"))]


class HoldOut(Output):
    reason: str
    since: datetime
    until: date | None
    note: str | None

    @classmethod
    def of(cls, hold: Hold) -> HoldOut:
        return cls(reason=hold.reason.value, since=hold.since, until=hold.until, note=hold.note)


class InterestTermsOut(Output):
    """The creditor's interest settings this claim was opened with, for its life."""

    day_count: Annotated[str, Meta(description=(
        "`date_difference` or `inclusive` (see CreditorCreate.interest_day_count): "
        "`date_difference` on a business debtor's claim whatever the setting, as its "
        "penalties run from the day after the due date (C. com. L441-10 II)"))]
    below_floor_policy: Annotated[str, Meta(description=(
        "`floor` or `statutory_default` (see CreditorCreate.below_floor_policy); used only "
        "where an agreed B2B rate is below 3 × the legal rate"))]


class ClaimOut(Output):
    id: str
    debtor_id: str
    currency: str
    phase: str
    outcome: str | None
    step_index: int
    hold: HoldOut | None
    covered_holds: Annotated[list[HoldOut], Meta(description=(
        "Holds still running beneath `hold`: a dispute or collective proceedings recorded "
        "while the claim is handed off cover the mandate's hold, and each ends on its own "
        "(resolving the dispute leaves the claim held for its mandate, withdrawing the "
        "mandate leaves it held for the dispute)"))]
    invoices: list[InvoiceOut]
    warnings: list[WarningOut]
    total: str
    outstanding: Annotated[str, Meta(description=(
        "What the debtor owed at the claim's last change (invoices, then interest and "
        "indemnity once a payment, promise, plan or review updated it). For any date, "
        "exactly and with its breakdown: GET /v1/claims/{id}/statement."))]
    external_reference: str | None
    collective_proceedings: ClaimProceedingsOut | None
    interest_terms: InterestTermsOut
    judicial_route: Annotated[str | None, Meta(description=(
        "The judicial route taken by `start_judicial`: the automatic ladder stops while the "
        "claim is judicial"))]
    allowed_actions: list[str]
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, c: Claim, today: date | None = None) -> ClaimOut:
        return cls(
            id=c.id,
            debtor_id=c.debtor_id,
            currency=c.currency,
            # Stored pre_due until its first write after the due date; shown as it is today.
            phase=(lifecycle.effective_phase(c, today) if today is not None else c.phase).value,
            outcome=c.outcome.value if c.outcome else None,
            step_index=c.step_index,
            hold=HoldOut.of(c.hold) if c.hold else None,
            covered_holds=[HoldOut.of(h) for h in c.covered_holds] if c.hold else [],
            invoices=[InvoiceOut.of(i, c.currency, c.debtor_kind, c.acknowledged)
                      for i in c.invoices],
            warnings=claim_warnings(c, today),
            total=format_amount(c.total_invoiced, c.currency),
            outstanding=format_amount(c.outstanding, c.currency),
            external_reference=c.external_reference,
            collective_proceedings=ClaimProceedingsOut.of(c) if c.proceedings else None,
            interest_terms=InterestTermsOut(day_count=c.interest_day_count,
                                            below_floor_policy=c.below_floor_policy),
            judicial_route=c.judicial_route.value if c.judicial_route else None,
            allowed_actions=lifecycle.allowed_actions(c, today),
            version=c.version,
            created_at=c.created_at,
            updated_at=c.updated_at,
        )


class ClaimProceedingsOut(Output):
    """The debtor's collective proceedings as they bear on this claim."""

    kind: str
    opened_on: date
    court: str
    bodacc_published_on: date | None
    declaration_deadline: Annotated[date | None, Meta(description=(
        "The last day to declare the claim to the mandataire judiciaire: 2 months from the "
        "BODACC publication, 4 for a creditor outside metropolitan France (C. com. R622-24); "
        "null until the publication date is given."))]

    @classmethod
    def of(cls, c: Claim) -> ClaimProceedingsOut:
        p = c.proceedings
        assert p is not None
        return cls(kind=p.kind.value, opened_on=p.opened_on, court=p.court,
                   bodacc_published_on=p.bodacc_published_on,
                   declaration_deadline=c.declaration_deadline)


class ClaimPage(Output):
    items: list[ClaimOut]
    next_cursor: str | None


class EventOut(Output):
    seq: int
    at: datetime
    action: str
    actor: str
    reason: str | None
    data: dict[str, str]

    @classmethod
    def of(cls, e: ClaimEvent) -> EventOut:
        return cls(seq=e.seq, at=e.at, action=e.action, actor=e.actor, reason=e.reason, data=e.data)


class EventPage(Output):
    items: list[EventOut]
    next_cursor: str | None


_ROUTES = ", ".join(f"`{r.value}`" for r in JudicialRoute)
_TARGETS = ", ".join(f"`{t.value}`" for t in TransferTarget)


class ActionBody(Input):
    reason: Annotated[str, Meta(max_length=2000, description=(
        "Why, as the timeline records it; required by `reopen`"))] | None = None
    until: date | None = None
    # Plain strings, checked by the action (422 naming the field when missing or unknown),
    # as the route's actions share one body.
    route: Annotated[str, Meta(min_length=1, max_length=64, description=(
        f"start_judicial (required): the judicial route, one of {_ROUTES}. "
        "`declaration_of_claim` is the one route under collective proceedings, and only "
        "then; the others need a claim due, amicable or after its formal notice, not "
        "disputed nor under a payment plan"))] | None = None
    to: Annotated[str, Meta(min_length=1, max_length=64, description=(
        f"transfer (required): who takes the claim over, one of {_TARGETS}"))] | None = None
    mandate_reference: Annotated[Reference, Meta(description=(
        "transfer: the mandate's reference at the agency, commissaire de justice or lawyer"
    ))] | None = None
    invoice_numbers: Annotated[list[Annotated[str, Meta(min_length=1, max_length=64)]], Meta(
        max_length=MAX_INVOICES_PER_CLAIM, description=(
            "open_dispute: only these invoices are disputed; the ladder and the letters "
            "chase the others (without: the whole claim is held)"))] = []
