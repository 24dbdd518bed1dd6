"""Use cases of claims: opening one and the lifecycle actions a person decides."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from domain.claims import lifecycle
from domain.claims.model import (
    MAX_INVOICES_PER_CLAIM,
    Claim,
    ClaimEvent,
    Hold,
    HoldReason,
    Invoice,
    Outcome,
    Phase,
)
from domain.debtors.model import DebtorKind
from domain.ports import Clock, Repository
from domain.shared.dates import outside_window
from domain.shared.errors import DomainValidationError, FieldError, NotFound
from domain.shared.ids import new_id
from domain.shared.money import is_currency, parse_amount
from domain.shared.retry import retry_on_stale
from domain.shared.validation import raise_if

if TYPE_CHECKING:
    from domain.amounts.account import ClaimAccount


@dataclass(frozen=True, slots=True)
class InvoiceDraft:
    number: str
    issue_date: date
    due_date: date
    amount: str


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
                                    outside_window(draft.due_date, today, f"{path}.due_date"))
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
        invoices.append(Invoice(number, draft.issue_date, draft.due_date, amount))
    raise_if(errors)
    return invoices


def create_claim(repo: Repository, clock: Clock, creditor_id: str, draft: ClaimDraft,
                 actor: str) -> tuple[Claim, ClaimEvent]:
    if not is_currency(draft.currency):
        raise DomainValidationError("currency", f"'{draft.currency}' is not an ISO 4217 code",
                                    code="invalid_currency")
    # Checked before anything is read or written: a far-future date must never reach the
    # table (see domain.dates).
    invoices = _invoices(draft.currency, draft.invoices, clock.now().date())
    if (error := outside_window(draft.formal_notice_on, clock.now().date(),
                                "formal_notice_on")) is not None:
        raise DomainValidationError.many([error])
    debtor, creditor = repo.get_debtor_with_creditor(creditor_id, draft.debtor_id)
    if debtor is None:
        raise DomainValidationError("debtor_id", f"no debtor {draft.debtor_id!r}",
                                    code="unknown_debtor")
    if creditor is None:
        raise NotFound("creditor", creditor_id)
    now = clock.now()
    today = now.astimezone(zoneinfo.ZoneInfo(creditor.time_zone)).date()
    total = sum((inv.amount for inv in invoices), start=invoices[0].amount * 0)
    account = _opening_account(draft, debtor.kind, invoices, today)
    claim = Claim(
        id=new_id("clm"), creditor_id=creditor_id, debtor_id=debtor.id, currency=draft.currency,
        invoices=invoices, phase=lifecycle.initial_phase(min(i.due_date for i in invoices), today),
        outstanding=total, created_at=now, updated_at=now,
        external_reference=draft.external_reference, debtor_kind=debtor.kind,
        time_zone=creditor.time_zone,
    )
    from domain.amounts import law

    flags = [f.code for inv in invoices for f in law.payment_term_flags(inv, debtor.kind)]
    data = {"invoices": str(len(invoices)), "total": f"{total:f}", "currency": claim.currency,
            "phase": claim.phase.value}
    if flags:
        data["flags"] = ",".join(sorted(set(flags)))
    event = ClaimEvent(claim_id=claim.id, seq=claim.next_event_seq(), at=now, action="open",
                       actor=actor, data=data)
    repo.add_claim(claim, event, account)
    return claim, event


def _opening_account(draft: ClaimDraft, kind: DebtorKind, invoices: list[Invoice],
                     today: date) -> ClaimAccount | None:
    """The interest terms a claim starts with, checked against the law."""
    if draft.contractual_rate is None and draft.formal_notice_on is None:
        return None
    from domain.amounts import law
    from domain.amounts.account import ClaimAccount
    from domain.amounts.rates import HalfYear, RateUnknown

    rate = None
    if draft.contractual_rate is not None:
        try:
            rate = Decimal(draft.contractual_rate)
        except ArithmeticError:
            raise DomainValidationError("contractual_rate", "a percentage such as \"12.5\"",
                                        code="invalid_rate") from None
        first_due = min(i.due_date for i in invoices)
        try:  # refused below the floor of the half-year interest starts in
            law.validate_contractual_rate(rate, HalfYear.containing(first_due),
                                          debtor_kind=kind)
        except RateUnknown:
            pass  # the statement checks each half-year once its rates are published
    if draft.formal_notice_on is not None and draft.formal_notice_on > today:
        raise DomainValidationError("formal_notice_on", "cannot be in the future",
                                    code="in_future")
    return ClaimAccount(contractual_rate=rate, formal_notice_on=draft.formal_notice_on)


def get_claim(repo: Repository, creditor_id: str, claim_id: str) -> Claim:
    claim = repo.get_claim(creditor_id, claim_id)
    if claim is None:
        raise NotFound("claim", claim_id)
    return claim


@dataclass(frozen=True, slots=True)
class ActionRequest:
    """A manual lifecycle action with its reason, as the timeline records it."""

    action: str
    actor: str
    reason: str | None = None
    hold_until: date | None = None


@retry_on_stale
def apply_action(repo: Repository, clock: Clock, creditor_id: str, claim_id: str,
                 request: ActionRequest) -> tuple[Claim, ClaimEvent]:
    """Holds, disputes, resumptions and closures decided by a person."""
    claim = get_claim(repo, creditor_id, claim_id)
    lifecycle.ensure_allowed(claim, request.action)
    now = clock.now()
    if (error := outside_window(request.hold_until, now.date(), "until")) is not None:
        raise DomainValidationError.many([error])
    before = lifecycle.describe_state(claim)
    expected = claim.version
    changed = replace(claim, version=claim.version + 1, updated_at=now)
    match request.action:
        case "hold":
            changed.hold = Hold(HoldReason.MANUAL, now, request.hold_until, request.reason)
        case "open_dispute":
            changed.hold = Hold(HoldReason.DISPUTE, now, None, request.reason)
        case "resolve_dispute" | "resume":
            changed.hold = None
        case "cancel":
            changed.phase, changed.outcome, changed.hold = Phase.CLOSED, Outcome.CANCELLED, None
        case "write_off":
            changed.phase, changed.outcome, changed.hold = Phase.CLOSED, Outcome.WRITTEN_OFF, None
        case "transfer":
            changed.phase, changed.outcome, changed.hold = Phase.CLOSED, Outcome.TRANSFERRED, None
        case _:
            raise ValueError(f"{request.action!r} is not a manual action")
    event = ClaimEvent(
        claim_id=claim.id, seq=changed.next_event_seq(), at=now, action=request.action,
        actor=request.actor, reason=request.reason,
        data={"from": before, "to": lifecycle.describe_state(changed)},
    )
    repo.save_claim(changed, [event], expected)
    return changed, event
