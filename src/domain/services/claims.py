"""Use cases of claims: opening one and the lifecycle actions a person decides."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from domain.claims import lifecycle
from domain.claims.model import (
    MAX_INVOICES_PER_CLAIM,
    Claim,
    ClaimEvent,
    Hold,
    HoldReason,
    Invoice,
    Phase,
)
from domain.creditors.model import Creditor
from domain.debtors.model import DebtorKind
from domain.debtors.proceedings import CollectiveProceedings
from domain.ports.unit_of_work import UnitOfWork
from domain.services.caller import Caller, Ports
from domain.shared import retry
from domain.shared.dates import outside_window
from domain.shared.errors import DomainValidationError, FieldError, NotFound, StaleVersion
from domain.shared.ids import new_id
from domain.shared.money import is_currency, parse_amount
from domain.shared.validation import contractual_rate, raise_if

if TYPE_CHECKING:
    from domain.amounts.account import ClaimAccount


@dataclass(frozen=True, slots=True)
class InvoiceDraft:
    number: str
    issue_date: date
    due_date: date
    amount: str
    performed_on: date | None = None  # delivery or completion: prescription runs from it


@dataclass(frozen=True, slots=True)
class ClaimDraft:
    debtor_id: str
    currency: str
    invoices: list[InvoiceDraft]
    external_reference: str | None = None
    contractual_rate: str | None = None  # percent per year, agreed in writing
    formal_notice_on: date | None = None  # a mise en demeure already sent before import


def _invoices(currency: str, drafts: list[InvoiceDraft], today: date) -> list[Invoice]:
    errors: list[FieldError] = []
    invoices: list[Invoice] = []
    seen: dict[str, int] = {}
    if not drafts:
        errors.append(FieldError("invoices", "a claim needs at least one invoice", "required"))
    if len(drafts) > MAX_INVOICES_PER_CLAIM:
        errors.append(FieldError("invoices", f"at most {MAX_INVOICES_PER_CLAIM} invoices",
                                 "too_many"))
    for i, draft in enumerate(drafts):
        path = f"invoices[{i}]"
        number = draft.number.strip()
        if not number:
            errors.append(FieldError(f"{path}.number", "must not be empty", "required"))
        elif number in seen:
            first = seen[number]
            errors.append(FieldError(f"{path}.number",
                                     f"invoice {number!r} already listed at invoices[{first}]",
                                     "duplicate_invoice"))
        seen.setdefault(number, i)
        out_of_range = [e for e in (outside_window(draft.issue_date, today, f"{path}.issue_date"),
                                    outside_window(draft.due_date, today, f"{path}.due_date"),
                                    outside_window(draft.performed_on, today,
                                                   f"{path}.performed_on"))
                        if e is not None]
        errors += out_of_range
        if out_of_range:
            continue
        if draft.due_date < draft.issue_date:
            errors.append(FieldError(f"{path}.due_date", "is before the issue date",
                                     "due_before_issue"))
        try:
            amount = parse_amount(draft.amount, currency, f"{path}.amount")
        except DomainValidationError as exc:
            errors.extend(exc.errors)
            continue
        invoices.append(Invoice(number, draft.issue_date, draft.due_date, amount,
                                draft.performed_on))
    raise_if(errors)
    return invoices


def create_claim(draft: ClaimDraft, caller: Caller, ports: Ports) -> tuple[Claim, ClaimEvent]:
    if not is_currency(draft.currency):
        raise DomainValidationError("currency", f"'{draft.currency}' is not an ISO 4217 code",
                                    code="invalid_currency")
    # Checked before anything is read or written: a far-future date must never reach the
    # table (see domain.shared.dates).
    now = ports.clock.now()
    invoices = _invoices(draft.currency, draft.invoices, now.date())
    if (error := outside_window(draft.formal_notice_on, now.date(),
                                "formal_notice_on")) is not None:
        raise DomainValidationError.many([error])
    with ports.unit_of_work() as uow:
        debtor, creditor = uow.debtors.get_debtor_with_creditor(caller.creditor_id,
                                                                draft.debtor_id)
        if debtor is None:
            raise DomainValidationError("debtor_id", f"no debtor {draft.debtor_id!r}",
                                        code="unknown_debtor")
        if creditor is None:
            raise NotFound("creditor", caller.creditor_id)
        today = now.astimezone(zoneinfo.ZoneInfo(creditor.time_zone)).date()
        raise_if([FieldError(f"invoices[{i}].performed_on", "cannot be in the future",
                             "in_future")
                  for i, inv in enumerate(invoices)
                  if inv.performed_on is not None and inv.performed_on > today])
        total = sum((inv.amount for inv in invoices), start=invoices[0].amount * 0)
        if draft.contractual_rate is None and creditor.contractual_rate is not None:
            # The rate of the creditor's general terms, agreed with every customer.
            draft = replace(draft, contractual_rate=str(creditor.contractual_rate))
        below_floor: list[str] = []
        account = _opening_account(draft, debtor.kind, invoices, today, below_floor)
        from domain.amounts import law
        from domain.amounts.interest import DayCount

        # The creditor's settings as they are now, for the life of the claim.
        day_count = law.interest_day_count(debtor.kind, DayCount(creditor.interest_day_count))
        claim = Claim(
            id=new_id("clm"), creditor_id=caller.creditor_id, debtor_id=debtor.id,
            currency=draft.currency, invoices=invoices,
            phase=lifecycle.initial_phase(min(i.due_date for i in invoices), today),
            outstanding=total, created_at=now, updated_at=now,
            external_reference=draft.external_reference, debtor_kind=debtor.kind,
            time_zone=creditor.time_zone, rate_below_floor=tuple(below_floor),
            interest_day_count=day_count.value, below_floor_policy=creditor.below_floor_policy,
        )
        if debtor.collective_proceedings is not None and (
                debtor.collective_proceedings.concerns(invoices)):
            _under_proceedings(claim, debtor.collective_proceedings, creditor)
        from domain.amounts import deadlines
        from domain.claims.events import ClaimOpened, timeline_entry

        flags = sorted({f.code for inv in invoices
                        for f in deadlines.payment_term_flags(inv, debtor.kind)})
        event = timeline_entry(claim, ClaimOpened(
            invoices=len(invoices), total=total, currency=claim.currency,
            phase=claim.phase.value, flags=tuple(flags) or None), now, caller.actor)
        uow.claims.add_claim(claim, event, account)
        from domain.services.escalation import keep_schedule

        keep_schedule(uow, claim, ports)
        uow.commit()
    return claim, event


def _under_proceedings(claim: Claim, proceedings: CollectiveProceedings,
                       creditor: Creditor) -> None:
    """A claim opened against a debtor in collective proceedings starts held, with their
    dates (domain.services.proceedings)."""
    from domain.services.proceedings import creditor_abroad

    claim.proceedings = proceedings
    claim.declaration_deadline = proceedings.declaration_deadline(
        creditor_abroad=creditor_abroad(creditor))
    claim.hold = Hold(HoldReason.INSOLVENCY, claim.created_at, None, proceedings.court)


def _opening_account(draft: ClaimDraft, kind: DebtorKind, invoices: list[Invoice],
                     today: date, below_floor: list[str]) -> ClaimAccount | None:
    """The interest terms a claim starts with, checked against the law; the half-years up
    to today where an agreed rate is below the legal floor are added to `below_floor`."""
    if draft.contractual_rate is None and draft.formal_notice_on is None:
        return None
    from domain.amounts import law
    from domain.amounts.account import ClaimAccount
    from domain.amounts.rates import HalfYear, RateUnknown

    rate = None
    if draft.contractual_rate is not None:
        errors: list[FieldError] = []
        rate = contractual_rate(draft.contractual_rate, "contractual_rate", errors)
        raise_if(errors)
        assert rate is not None
        half = HalfYear.containing(min(i.due_date for i in invoices))
        try:  # refused below the floor of the half-year interest starts in
            law.validate_contractual_rate(rate, half, debtor_kind=kind)
        except RateUnknown:
            pass  # the statement checks each half-year once its rates are published
        if kind is DebtorKind.BUSINESS:
            below_floor += [str(h) for h in law.half_years_below_floor(rate, half, today)]
    if draft.formal_notice_on is not None and draft.formal_notice_on > today:
        raise DomainValidationError("formal_notice_on", "cannot be in the future",
                                    code="in_future")
    return ClaimAccount(contractual_rate=rate, formal_notice_on=draft.formal_notice_on)


def get_claim(claim_id: str, caller: Caller, ports: Ports) -> Claim:
    return _load(ports.unit_of_work(), caller, claim_id)


def _load(uow: UnitOfWork, caller: Caller, claim_id: str) -> Claim:
    claim = uow.claims.get_claim(caller.creditor_id, claim_id)
    if claim is None:
        raise NotFound("claim", claim_id)
    return claim


@dataclass(frozen=True, slots=True)
class ActionRequest:
    """A manual lifecycle action with its reason, as the timeline records it."""

    action: str
    reason: str | None = None
    hold_until: date | None = None
    # open_dispute: only these invoices are disputed (the others are chased on).
    invoices: tuple[str, ...] = ()
    # start_judicial: the route (domain.claims.judicial.JudicialRoute), by its value.
    route: str | None = None
    # transfer: who takes the claim over (TransferTarget), and their mandate's reference.
    transfer_to: str | None = None
    mandate_reference: str | None = None


def _only(action: str, owner: str, field: str, given: bool) -> list[FieldError]:
    if given and action != owner:
        return [FieldError(field, f"only {owner} takes {field}", "unexpected")]
    return []


def _request_errors(request: ActionRequest) -> list[FieldError]:
    """What the action needs and what it does not take, before the claim is read: a
    malformed request is refused whatever the claim's state."""
    from domain.claims.judicial import JudicialRoute, TransferTarget

    action = request.action
    errors = (_only(action, "start_judicial", "route", request.route is not None)
              + _only(action, "transfer", "to", request.transfer_to is not None)
              + _only(action, "transfer", "mandate_reference",
                      request.mandate_reference is not None))
    if action == "reopen" and not (request.reason or "").strip():
        errors.append(FieldError("reason", "say why the claim is reopened", "required"))
    for field, value, owner, enum in (("route", request.route, "start_judicial", JudicialRoute),
                                      ("to", request.transfer_to, "transfer", TransferTarget)):
        if action != owner:
            continue
        known = ", ".join(e.value for e in enum)
        if value is None:
            errors.append(FieldError(field, f"{owner} names one of: {known}", "required"))
        elif value not in {e.value for e in enum}:
            errors.append(FieldError(field, f"{value!r} is not one of: {known}", "unknown"))
    if action == "transfer" and request.mandate_reference is not None and not (
            request.mandate_reference.strip()):
        errors.append(FieldError("mandate_reference", "must not be empty", "required"))
    return errors


def apply_action(claim_id: str, request: ActionRequest, caller: Caller, ports: Ports,
                 expected_version: int | None = None) -> tuple[Claim, ClaimEvent]:
    """Holds, disputes, resumptions, closures, reopenings and judicial starts decided by a
    person (domain.claims.lifecycle.apply_manual), and the ladder's own actions.

    `expected_version` (If-Match): the change applies to that version only, else
    StaleVersion (412), never replayed; without it a lost race is replayed on a fresh read
    (so a conflicting change that won is answered ActionNotAllowed, 409)."""
    now = ports.clock.now()
    errors = _request_errors(request)
    if (error := outside_window(request.hold_until, now.date(), "until")) is not None:
        errors.append(error)
    raise_if(errors)
    if expected_version is not None:
        return _apply_action(claim_id, request, caller, ports, expected_version)
    return retry.run_retrying(lambda: _apply_action(claim_id, request, caller, ports, None))


def _apply_action(claim_id: str, request: ActionRequest, caller: Caller, ports: Ports,
                  expected_version: int | None) -> tuple[Claim, ClaimEvent]:
    now = ports.clock.now()
    if request.action in ("escalate", "skip_step"):
        from domain.services import escalation  # the ladder's own actions

        return escalation.ladder_action(claim_id, request.action, request.reason, caller,
                                        ports, expected_version)
    if request.action == "start_judicial":
        return _start_judicial(claim_id, request, caller, ports, expected_version)
    from domain.claims.events import timeline_entry  # off the path of claim reads
    from domain.claims.judicial import JudicialRoute, TransferTarget

    with ports.unit_of_work() as uow:
        claim = _load(uow, caller, claim_id)
        if expected_version is not None and claim.version != expected_version:
            raise StaleVersion("claim changed since it was read")
        if request.invoices:
            numbers = {inv.number for inv in claim.invoices}
            errors = [FieldError(f"invoice_numbers[{i}]", f"no invoice {n!r} in this claim",
                                 "unknown_invoice")
                      for i, n in enumerate(request.invoices) if n not in numbers]
            if request.action != "open_dispute":
                errors.append(FieldError("invoice_numbers", "only a dispute names invoices",
                                         "unexpected"))
            if errors:
                raise DomainValidationError.many(errors)
        expected = claim.version
        changed = replace(claim, version=claim.version + 1, updated_at=now)
        from domain.services.amounts import fall_due

        fell = fall_due(changed, changed.today(now))
        # Its sequence number first: the timeline tells it before the action.
        entries = [] if fell is None else [timeline_entry(changed, fell, now, caller.actor)]
        transition = lifecycle.apply_manual(
            changed, request.action, now, request.reason, request.hold_until,
            tuple(request.invoices),
            route=JudicialRoute(request.route) if request.route else None,
            transfer_to=TransferTarget(request.transfer_to) if request.transfer_to else None,
            mandate_reference=(request.mandate_reference.strip()
                               if request.mandate_reference else None))
        entry = timeline_entry(changed, transition, now, caller.actor)
        uow.claims.save_claim(changed, [*entries, entry], expected)
        if changed.phase is Phase.JUDICIAL or claim.phase is Phase.JUDICIAL:
            from domain.services.judicial_proceedings import claim_closed_or_reopened

            claim_closed_or_reopened(uow, changed, request.action, caller.actor)
        from domain.services.escalation import keep_schedule

        keep_schedule(uow, changed, ports)
        uow.commit()
    return changed, entry


def _start_judicial(claim_id: str, request: ActionRequest, caller: Caller, ports: Ports,
                    expected_version: int | None) -> tuple[Claim, ClaimEvent]:
    """The claim moves to the judicial phase and its proceeding opens in `draft`, with its
    first deadlines and tasks, in one write (domain.services.judicial_proceedings)."""
    from domain.claims.judicial import JudicialRoute
    from domain.services import judicial_proceedings
    from domain.services.amounts import load_change, stage_change

    assert request.route is not None  # checked by _request_errors
    route = JudicialRoute(request.route)
    with ports.unit_of_work() as uow:
        change = load_change(uow, ports, caller, claim_id)
        if expected_version is not None and change.expected_version != expected_version:
            raise StaleVersion("claim changed since it was read")
        transition = lifecycle.apply_manual(change.claim, request.action, ports.clock.now(),
                                            request.reason, route=route)
        entry = change.record(transition)
        debtor = uow.debtors.get_debtor(caller.creditor_id, change.claim.debtor_id)
        judicial_proceedings.stage_start(
            uow, change, route,
            debtor_residence=judicial_proceedings.debtor_residence(debtor))
        stage_change(uow, change, ports)
        uow.commit()
    return change.claim, entry
