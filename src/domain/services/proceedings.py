"""Use cases of collective proceedings: recording the opening judgment against a debtor,
correcting it, and withdrawing one recorded in error.

The debtor holds the judgment; each of its claims the proceedings concern (one with a
debt that arose before the opening: domain.debtors.proceedings.arose_before; a claim of
later debts only is chased as any other) keeps a copy, noted in its timeline and written
in the same atomic write, so a statement never reads the debtor and no claim is left
unaware (a debtor with more claims than one write takes is refused, 422
`too_many_changes`, never half-noted). Open claims are held (individual actions stop,
C. com. L622-21), except a disputed one, which stays held for its dispute.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from domain.claims.lifecycle import end_hold, place_hold
from domain.claims.model import Claim, ClaimEvent, Hold, HoldReason, Phase
from domain.creditors.model import Creditor
from domain.debtors.model import Debtor
from domain.debtors.proceedings import (
    DECLARATION_MONTHS,
    CollectiveProceedings,
    ProceedingsKind,
    declaration_deadline,
    insolvency_parameters,
    relief_deadline,
)
from domain.ports.unit_of_work import UnitOfWork
from domain.services.caller import Caller, Ports
from domain.shared.dates import not_past
from domain.shared.errors import DomainValidationError, FieldError, NotFound
from domain.shared.parameters import UnknownParameter
from domain.shared.retry import retry_on_stale
from domain.shared.validation import raise_if

DEFAULT_ZONE = "Europe/Paris"


@dataclass(frozen=True, slots=True)
class ProceedingsDraft:
    kind: str
    opened_on: date
    court: str
    bodacc_published_on: date | None = None
    reference: str | None = None


def creditor_abroad(creditor: Creditor | None) -> bool:
    """R622-24: two more months to declare for a creditor outside metropolitan France (the
    court is taken to sit there; the reverse case, an overseas court, is not modelled)."""
    if creditor is None:
        return False
    address = creditor.address
    return address.country != "FR" or address.postal_code.startswith(("97", "98"))


def _checked(draft: ProceedingsDraft, today: date) -> CollectiveProceedings:
    errors: list[FieldError] = []
    kinds = [k.value for k in ProceedingsKind]
    if draft.kind not in kinds:
        errors.append(FieldError("kind", f"must be one of {', '.join(kinds)}", "invalid"))
    if not draft.court.strip():
        errors.append(FieldError("court", "must not be empty", "required"))
    errors += [e for e in (not_past(draft.opened_on, today, "opened_on"),
                           not_past(draft.bodacc_published_on, today, "bodacc_published_on"))
               if e is not None]
    published = draft.bodacc_published_on
    if published is not None and published < draft.opened_on:
        errors.append(FieldError("bodacc_published_on",
                                 "the BODACC publishes a judgment after it is pronounced",
                                 "before_opening"))
    if published is not None and not errors:
        try:
            # Both periods run from the publication, under the rules then in force: a day
            # no row covers has no deadline Relance can show (never guessed).
            declaration_deadline(published, creditor_abroad=True)
            relief_deadline(published)
        except UnknownParameter:
            known = insolvency_parameters().history(DECLARATION_MONTHS)
            since = f" (they are known from {known[0].effective_from.isoformat()})" if known else ""
            errors.append(FieldError(
                "bodacc_published_on", "no declaration period of C. com. R622-24 is known "
                f"for a publication on this day{since}", "no_rule_in_force"))
    raise_if(errors)
    return CollectiveProceedings(
        kind=ProceedingsKind(draft.kind), opened_on=draft.opened_on, court=draft.court.strip(),
        bodacc_published_on=published, reference=draft.reference, recorded_on=today)


@retry_on_stale
def record_proceedings(debtor_id: str, draft: ProceedingsDraft, caller: Caller,
                       ports: Ports) -> Debtor:
    """Record (or correct) the opening judgment of the debtor's collective proceedings."""
    from domain.claims.events import ProceedingsOpened, timeline_entry

    with ports.unit_of_work() as uow:
        debtor, creditor = uow.debtors.get_debtor_with_creditor(caller.creditor_id, debtor_id)
        if debtor is None:
            raise NotFound("debtor", debtor_id)
        now = ports.clock.now()
        today = now.astimezone(ZoneInfo(creditor.time_zone if creditor else DEFAULT_ZONE)).date()
        proceedings = _checked(draft, today)
        earlier = debtor.collective_proceedings
        if earlier is not None and earlier.recorded_on is not None:
            # A correction keeps the day Relance was first told.
            proceedings = replace(proceedings, recorded_on=earlier.recorded_on)
        claims = _claims(uow, caller, debtor_id)
        updated = replace(debtor, collective_proceedings=proceedings,
                          version=debtor.version + 1, updated_at=now)
        uow.debtors.save_debtor(updated, debtor.version, debtor.external_reference)
        deadline = proceedings.declaration_deadline(creditor_abroad=creditor_abroad(creditor))
        for claim in claims:
            if not proceedings.concerns(claim.invoices):
                # Only later debts (C. com. L622-17): the claim is not caught, and one a
                # correction moved past the opening is let go.
                if claim.proceedings is not None:
                    _release(uow, ports, caller, claim, claim.proceedings.opened_on, now)
                continue
            before = claim.version
            claim.version, claim.updated_at = claim.version + 1, now
            claim.proceedings, claim.declaration_deadline = proceedings, deadline
            if claim.phase is not Phase.CLOSED and (
                    claim.hold is None or claim.hold.reason is not HoldReason.DISPUTE):
                # Over a mandate, the proceedings' hold covers it: each ends on its own.
                place_hold(claim, Hold(HoldReason.INSOLVENCY, now, None, proceedings.court))
            noted = ProceedingsOpened(
                kind=proceedings.kind.value, opened_on=proceedings.opened_on,
                court=proceedings.court, bodacc_published_on=proceedings.bodacc_published_on,
                declaration_deadline=deadline,
                hold=claim.hold.reason.value if claim.hold else None)
            _save_recomputed(uow, ports, caller, claim, before,
                             timeline_entry(claim, noted, now, caller.actor))
        uow.commit()
    return updated


@retry_on_stale
def withdraw_proceedings(debtor_id: str, caller: Caller, ports: Ports) -> Debtor:
    """Proceedings recorded in error: removed from the debtor and its claims; the holds
    they set are released (a claim held for anything else keeps its hold)."""
    with ports.unit_of_work() as uow:
        debtor = uow.debtors.get_debtor(caller.creditor_id, debtor_id)
        if debtor is None:
            raise NotFound("debtor", debtor_id)
        proceedings = debtor.collective_proceedings
        if proceedings is None:
            raise DomainValidationError("collective_proceedings",
                                        "no collective proceedings are recorded",
                                        code="not_recorded")
        now = ports.clock.now()
        updated = replace(debtor, collective_proceedings=None, version=debtor.version + 1,
                          updated_at=now)
        uow.debtors.save_debtor(updated, debtor.version, debtor.external_reference)
        for claim in _claims(uow, caller, debtor_id):
            if claim.proceedings is not None:
                _release(uow, ports, caller, claim, proceedings.opened_on, now)
        uow.commit()
    return updated


def _release(uow: UnitOfWork, ports: Ports, caller: Caller, claim: Claim, opened_on: date,
             now: datetime) -> None:
    """The claim no longer carries the proceedings; the hold they set ends (a claim held
    for anything else keeps its hold, a mandate it covered goes on)."""
    from domain.claims.events import ProceedingsWithdrawn, timeline_entry

    before = claim.version
    claim.version, claim.updated_at = claim.version + 1, now
    claim.proceedings, claim.declaration_deadline = None, None
    end_hold(claim, HoldReason.INSOLVENCY)
    _save_recomputed(uow, ports, caller, claim, before, timeline_entry(
        claim, ProceedingsWithdrawn(opened_on=opened_on), now, caller.actor))


def _claims(uow: UnitOfWork, caller: Caller, debtor_id: str) -> list[Claim]:
    return uow.claims.claims_of_debtor(caller.creditor_id, debtor_id)


def _save_recomputed(uow: UnitOfWork, ports: Ports, caller: Caller, claim: Claim,
                     expected_version: int, entry: ClaimEvent) -> None:
    """Save `claim` with its timeline entry, its outstanding recomputed (interest stops and
    indemnities are withheld from the opening) when its rates allow."""
    from domain.amounts.rates import RateUnknown
    found = uow.claims.get_claim_account(caller.creditor_id, claim.id)
    if found is not None and claim.phase is not Phase.CLOSED:
        try:
            statement = found[1].statement(claim, claim.today(claim.updated_at),
                                           ports.rates.rate_tables())
            claim.outstanding = statement.totals.due
        except RateUnknown:
            pass  # recomputed at its next change, as any claim missing a rate
    uow.claims.save_claim(claim, [entry], expected_version)
