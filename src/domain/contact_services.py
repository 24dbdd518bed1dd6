"""Contact validation use cases ("normalisation des adresses"): before any reminder, check
that the debtor can be reached and that nothing will be sent to the wrong place.

Validation never drops or rewrites a contact point: the original stays as given and the
result (status, normalised form, reasons, what was changed) is stored beside it, so a
person can see both. The rules themselves are in domain.contacts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import datetime

from domain.model import (
    ClaimEvent,
    ContactPoint,
    ContactValidation,
    Debtor,
    DebtorKind,
    Phase,
)
from domain.ports import Clock, Repository

CHANNEL_ORDER = ("email", "sms", "letter", "phone")


def validate_point(point: ContactPoint, country: str, kind: DebtorKind, at: datetime, *,
                   check_deliverability: bool = False) -> ContactValidation:
    # Imported here: phonenumbers and email-validator cost ~50 ms of import time, which
    # a Lambda serving only claim reads should not pay at cold start.
    from domain.contacts import check_contact_point

    check = check_contact_point(point, country, kind, check_deliverability=check_deliverability)
    return ContactValidation(
        status=check.status, normalized=check.normalized, reasons=check.reasons,
        message=check.message, validated_at=at, line_type=check.line_type,
        channels=check.channels, changes=check.changes)


def validate_points(points: list[ContactPoint], country: str, kind: DebtorKind, at: datetime,
                    *, check_deliverability: bool = False) -> list[ContactPoint]:
    return [replace(p, validation=validate_point(p, country, kind, at,
                                                 check_deliverability=check_deliverability))
            for p in points]


def reachable_by(debtor: Debtor) -> list[str]:
    """Channels with at least one contact point validated as usable (valid or risky):
    escalation skips the others and asks a person to verify the address instead."""
    channels: set[str] = set()
    for point in debtor.contact_points:
        v = point.validation
        if v is not None and v.status in ("valid", "risky"):
            channels.update(v.channels)
    return [c for c in CHANNEL_ORDER if c in channels]


def revalidate_debtor(repo: Repository, clock: Clock, creditor_id: str, debtor_id: str,
                      actor: str, *, check_deliverability: bool = False) -> Debtor:
    """Validate the debtor's stored contact points again, store the results, and note the
    outcome in the timeline of each of the debtor's open claims."""
    from domain.errors import NotFound

    debtor = repo.get_debtor(creditor_id, debtor_id)
    if debtor is None:
        raise NotFound("debtor", debtor_id)
    now = clock.now()
    expected = debtor.version
    updated = replace(
        debtor, version=debtor.version + 1, updated_at=now,
        contact_points=validate_points(debtor.contact_points, debtor.country, debtor.kind, now,
                                       check_deliverability=check_deliverability))
    repo.save_debtor(updated, expected, debtor.external_reference)
    # Counts and channels only: the timeline is read by many; the addresses stay on the
    # debtor.
    counts = Counter(p.validation.status for p in updated.contact_points if p.validation)
    summary = {status: str(counts.get(status, 0))
               for status in ("valid", "risky", "invalid", "unverified")}
    summary["reachable_by"] = ",".join(reachable_by(updated)) or "none"
    for claim in repo.claims_of_debtor(creditor_id, debtor_id):
        if claim.phase is Phase.CLOSED:
            continue
        before = claim.version
        claim.version, claim.updated_at = claim.version + 1, now
        event = ClaimEvent(claim_id=claim.id, seq=claim.next_event_seq(), at=now,
                           action="contacts_validated", actor=actor, data=dict(summary))
        repo.save_claim(claim, [event], before)
    return updated
