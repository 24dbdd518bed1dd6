"""Use cases of the hand-off (domain.judicial.handoff): a creditor hands a claim off under a
written mandate, adds more claims to it, withdraws one; the recipient, with the key the
first hand-off issued, reports its contacts, the debtor's proposals and the payments it
collected, sends letters, and returns the claim with an outcome.

Each is one atomic write: the claim (its hold and its timeline entry), the mandate, and
the recipient's key when the claims it reaches change. The key's scope is the mandate's
active claims, copied onto the key so that authentication reads one item; a change of
scope is seen at once by the function that made it and within the key cache's lifetime by
the others (api.http.auth), as a revocation is.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from domain.amounts.ledger import Payment
from domain.claims import events, lifecycle
from domain.claims.lifecycle import describe_state
from domain.claims.model import Claim, Hold, HoldReason, Phase
from domain.creditors.keys import MANDATE_SCOPE, hash_secret
from domain.creditors.model import ApiKey
from domain.debtors.validation import identifier
from domain.escalation.tasks import Task, TaskKind, TaskStatus
from domain.judicial.handoff import (
    MAX_CLAIMS_PER_MANDATE,
    CloseOutcome,
    Collection,
    Mandate,
    MandatedClaim,
    MandateStatus,
    MandateTerms,
    Recipient,
    check_terms,
    pass_back_by,
)
from domain.judicial.parameters import judicial_parameters
from domain.ports.unit_of_work import UnitOfWork
from domain.services.amounts import (
    Change,
    PaymentDraft,
    apply_payment,
    load_change,
    stage_change,
)
from domain.services.caller import Caller, Ports
from domain.shared.dates import not_past
from domain.shared.errors import DomainValidationError, FieldError, NotFound
from domain.shared.ids import new_id
from domain.shared.retry import retry_on_stale
from domain.shared.validation import raise_if

CONTACT_CHANNELS = ("phone", "email", "letter", "sms", "visit", "other")


@dataclass(frozen=True, slots=True)
class HandoffDraft:
    """A new mandate's terms, or the id of an active one this claim joins."""

    terms: MandateTerms | None = None
    mandate_id: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class HandoffResult:
    mandate: Mandate
    claim: Claim
    key: ApiKey
    # The recipient's secret: only when this hand-off created the mandate (and its key);
    # it exists nowhere else, as an issued API key's does not.
    secret: str | None = None


@dataclass(frozen=True, slots=True)
class ContactDraft:
    channel: str
    occurred_on: date
    summary: str
    outcome: str | None = None


# ---------------------------------------------------------------------------- creditor

@retry_on_stale
def hand_off(claim_id: str, draft: HandoffDraft, caller: Caller,
             ports: Ports) -> HandoffResult:
    """Record the written mandate, pause the creditor's chasing (the claim is held for
    `mandate`: the ladder stops), and give the recipient a key to this claim: a new key
    with a new mandate, or the mandate's key reaching one claim more."""
    with ports.unit_of_work() as uow:
        change = load_change(uow, ports, caller, claim_id)
        claim = change.claim
        lifecycle.ensure_allowed(claim, "handoff")
        now = claim.updated_at
        before = describe_state(claim)
        secret: str | None = None
        if draft.mandate_id is not None:
            mandate, key = _join(uow, caller, draft.mandate_id, claim.id, now)
        elif draft.terms is not None:
            mandate, key, secret = _new_mandate(uow, caller, draft.terms, claim, change.today,
                                                now)
        else:
            raise DomainValidationError("mandate_id", "name an active mandate, or give the "
                                        "new mandate's terms (recipient, reference, "
                                        "document, insurance, commission, signed_on)",
                                        code="required")
        lifecycle.place_hold(claim, Hold(HoldReason.MANDATE, now, None, draft.note))
        change.record(events.HandedOff(
            reason=draft.note, mandate_id=mandate.id,
            recipient_kind=mandate.recipient.kind.value, mandate_reference=mandate.reference,
            document=mandate.document, signed_on=mandate.signed_on, from_state=before,
            to_state=describe_state(claim)))
        stage_change(uow, change, ports)  # the schedule goes: the claim is held
        uow.commit()
    return HandoffResult(mandate, claim, key, secret)


def _new_mandate(uow: UnitOfWork, caller: Caller, terms: MandateTerms, claim: Claim,
                 today: date, now: datetime) -> tuple[Mandate, ApiKey, str]:
    terms = replace(terms, currency=claim.currency)
    errors: list[FieldError] = []
    commission = check_terms(terms, today, errors)
    siren = (identifier("siren", terms.recipient_siren, "recipient.siren", errors)
             if terms.recipient_siren else None)
    raise_if(errors)
    mandate_id = new_id("mdt")
    secret = f"rlk_{secrets.token_urlsafe(32)}"
    key = ApiKey(id=new_id("key"), creditor_id=caller.creditor_id,
                 secret_hash=hash_secret(secret), scopes=(MANDATE_SCOPE,),
                 name=f"mandate {terms.reference.strip()}"[:100], prefix=secret[:10],
                 created_at=now, mandate_id=mandate_id, claim_ids=(claim.id,))
    from domain.claims.judicial import TransferTarget

    mandate = Mandate(
        id=mandate_id, creditor_id=caller.creditor_id,
        recipient=Recipient(TransferTarget(terms.recipient_kind), terms.recipient_name.strip(),
                            terms.recipient_address, siren),
        reference=terms.reference.strip(), document=terms.document,
        insurance=terms.insurance.strip(), commission=commission, signed_on=terms.signed_on,
        key_id=key.id, claims=(MandatedClaim(claim.id, MandateStatus.ACTIVE, now),),
        created_at=now, updated_at=now)
    uow.api_keys.add_api_key(key)
    uow.mandates.add_mandate(mandate)
    return mandate, key, secret


def _join(uow: UnitOfWork, caller: Caller, mandate_id: str, claim_id: str,
          now: datetime) -> tuple[Mandate, ApiKey]:
    mandate = uow.mandates.get_mandate(caller.creditor_id, mandate_id)
    if mandate is None:
        raise DomainValidationError("mandate_id", f"no mandate {mandate_id!r}",
                                    code="unknown_mandate")
    if mandate.status is not MandateStatus.ACTIVE:
        raise DomainValidationError("mandate_id", "this mandate has ended: record a new one",
                                    code="mandate_ended")
    if len(mandate.active_claim_ids) >= MAX_CLAIMS_PER_MANDATE:
        raise DomainValidationError("mandate_id", f"a mandate covers at most "
                                    f"{MAX_CLAIMS_PER_MANDATE} claims at once",
                                    code="too_many_claims")
    joined = mandate.with_claim(claim_id, now)
    uow.mandates.save_mandate(joined, mandate.version)
    uow.mandates.link_claim(caller.creditor_id, mandate.id, claim_id)
    return joined, _rescope(uow, joined, now)


def _rescope(uow: UnitOfWork, mandate: Mandate, now: datetime) -> ApiKey:
    """The recipient's key reaching the mandate's active claims, revoked when none is."""
    key = next((k for k in uow.api_keys.list_api_keys(mandate.creditor_id)
                if k.id == mandate.key_id), None)
    if key is None:
        raise NotFound("api key", mandate.key_id)
    active = mandate.active_claim_ids
    updated = replace(key, claim_ids=active,
                      revoked_at=key.revoked_at or (None if active else now),
                      version=key.version + 1)
    # From the version read: revoked meanwhile, the use case is replayed and keeps it so.
    uow.api_keys.save_api_key(updated, key.version)
    return updated


@retry_on_stale
def withdraw_handoff(claim_id: str, reason: str | None, caller: Caller,
                     ports: Ports) -> HandoffResult:
    """The creditor takes the claim back: the recipient's key no longer reaches it (the
    mandate's other claims stay handed off), and the ladder plans the claim again."""
    return _end(claim_id, "withdraw_handoff", MandateStatus.WITHDRAWN, None, reason, caller,
                ports)


@retry_on_stale
def close_handoff(claim_id: str, outcome: str, note: str | None, caller: Caller,
                  ports: Ports) -> HandoffResult:
    """The recipient returns the claim with an outcome. A person decides what follows, so
    the creditor's ladder does not restart by itself: the claim is held (manually, or for
    the dispute the recipient reports) until the creditor resumes it."""
    if outcome not in set(CloseOutcome):
        raise DomainValidationError("outcome", f"one of {[o.value for o in CloseOutcome]}",
                                    code="invalid_choice")
    return _end(claim_id, "close_handoff", MandateStatus.CLOSED, CloseOutcome(outcome), note,
                caller, ports)


def _end(claim_id: str, action: str, status: MandateStatus, outcome: CloseOutcome | None,
         reason: str | None, caller: Caller, ports: Ports) -> HandoffResult:
    with ports.unit_of_work() as uow:
        change = load_change(uow, ports, caller, claim_id)
        claim = change.claim
        lifecycle.ensure_allowed(claim, action)
        mandate = _current(uow, caller, claim.id)
        now = claim.updated_at
        before = describe_state(claim)
        # Only the mandate's hold ends: a dispute or proceedings it covered go on. Paid
        # while handed off, a payment reversed later reopens it without the mandate's hold.
        lifecycle.end_hold(claim, HoldReason.MANDATE)
        if claim.phase is Phase.CLOSED:
            pass
        elif outcome is CloseOutcome.DISPUTED:
            lifecycle.place_hold(claim, Hold(HoldReason.DISPUTE, now, None, reason))
        elif outcome is not None and claim.hold is None:
            claim.hold = Hold(HoldReason.MANUAL, now, None,
                              f"mandate {mandate.reference} closed: {outcome.value}")
        ended = mandate.ended(claim.id, status, now, outcome)
        uow.mandates.save_mandate(ended, mandate.version)
        key = _rescope(uow, ended, now)
        after = describe_state(claim)
        if outcome is None:
            change.record(events.HandoffWithdrawn(reason=reason, mandate_id=mandate.id,
                                                  from_state=before, to_state=after))
        else:
            change.record(events.HandoffClosed(reason=reason, mandate_id=mandate.id,
                                               outcome=outcome.value, from_state=before,
                                               to_state=after))
        stage_change(uow, change, ports)  # withdrawn: the ladder plans the claim again
        uow.commit()
    return HandoffResult(ended, claim, key)


def _current(uow: UnitOfWork, caller: Caller, claim_id: str) -> Mandate:
    """The mandate the claim is handed off under now: the recipient's own, or the one the
    creditor gave whose entry for the claim is active."""
    if caller.mandate_id is not None:
        mandate = uow.mandates.get_mandate(caller.creditor_id, caller.mandate_id)
        if mandate is None or not mandate.covers(claim_id):
            raise NotFound("claim", claim_id)
        return mandate
    for mandate in reversed(uow.mandates.mandates_of_claim(caller.creditor_id, claim_id)):
        if mandate.covers(claim_id):
            return mandate
    raise NotFound("handoff", claim_id)


def get_handoff(claim_id: str, caller: Caller, ports: Ports) -> Mandate:
    """The claim's current mandate, else the last it was handed off under."""
    uow = ports.unit_of_work()
    if caller.mandate_id is not None:
        return _current(uow, caller, claim_id)
    if uow.claims.get_claim(caller.creditor_id, claim_id) is None:
        raise NotFound("claim", claim_id)
    mandates = uow.mandates.mandates_of_claim(caller.creditor_id, claim_id)
    current = [m for m in mandates if m.covers(claim_id)]
    if current:
        return current[-1]
    if mandates:
        return mandates[-1]
    raise NotFound("handoff", claim_id)


# ---------------------------------------------------------------------------- recipient

@retry_on_stale
def record_contact(claim_id: str, draft: ContactDraft, caller: Caller,
                   ports: Ports) -> tuple[Claim, events.ContactRecorded]:
    """A contact the recipient had with the debtor, on the claim's timeline (what R124-5
    asks the collector to report, and the trace of what was said)."""
    with ports.unit_of_work() as uow:
        change = load_change(uow, ports, caller, claim_id)
        lifecycle.ensure_allowed(change.claim, "record_contact")
        mandate = _current(uow, caller, claim_id)
        errors: list[FieldError] = []
        if draft.channel not in CONTACT_CHANNELS:
            errors.append(FieldError("channel", f"one of {list(CONTACT_CHANNELS)}",
                                     "invalid_choice"))
        if (error := not_past(draft.occurred_on, change.today, "occurred_on",
                              "a contact cannot be recorded before it happens")) is not None:
            errors.append(error)
        if not draft.summary.strip():
            errors.append(FieldError("summary", "say what was said or done", "required"))
        raise_if(errors)
        event = events.ContactRecorded(reason=draft.summary.strip(), mandate_id=mandate.id,
                                       channel=draft.channel, occurred_on=draft.occurred_on,
                                       outcome=draft.outcome)
        change.record(event)
        stage_change(uow, change)
        uow.commit()
    return change.claim, event


@dataclass(frozen=True, slots=True)
class Collected:
    change: Change
    payment: Payment
    collection: Collection
    task: Task


@retry_on_stale
def record_collected_payment(claim_id: str, draft: PaymentDraft, caller: Caller,
                             ports: Ports) -> Collected:
    """A payment the recipient collected: recorded on the claim as any payment (imputed,
    settled, maybe closing it), marked as collected by the recipient, with the day it is
    due to the creditor (R124-6) and a task for the creditor to check it arrived."""
    if caller.mandate_id is None:
        raise DomainValidationError("mandate", "only a mandate's recipient records a payment "
                                    "it collected; record your own with record_payment",
                                    code="not_a_recipient")
    with ports.unit_of_work() as uow:
        change = load_change(uow, ports, caller, claim_id)
        mandate = _current(uow, caller, claim_id)
        claim = change.claim
        payment = apply_payment(change, draft, ports,
                                collected_by=f"{mandate.recipient.kind.value}:{mandate.id}")
        by = pass_back_by(payment.received_on, judicial_parameters())
        now = claim.updated_at
        task = Task(
            id=new_id("tsk"), creditor_id=claim.creditor_id, claim_id=claim.id,
            debtor_id=claim.debtor_id, kind=TaskKind.CHECK_PASS_BACK, status=TaskStatus.OPEN,
            created_at=now,
            due_at=datetime.combine(by, time(9), ZoneInfo(claim.time_zone)).astimezone(UTC),
            title=(f"Check that the {payment.amount} {claim.currency} the "
                   f"{mandate.recipient.kind.value.replace('_', ' ')} collected on "
                   f"{payment.received_on.isoformat()} reached you by {by.isoformat()} "
                   f"(R124-6, mandate {mandate.reference})"))
        collection = Collection(claim.id, payment.id, payment.amount, payment.received_on, by,
                                task.id)
        uow.mandates.save_mandate(mandate.with_collection(collection, now), mandate.version)
        uow.tasks.add_task(task)
        change.record(events.PassBackDue(mandate_id=mandate.id, payment_id=payment.id,
                                         amount=payment.amount, pass_back_by=by,
                                         task_id=task.id))
        stage_change(uow, change, ports)
        uow.commit()
    return Collected(change, payment, collection, task)
