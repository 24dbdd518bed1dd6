"""Contact validation use cases ("normalisation des adresses"): before any reminder, check
that the debtor can be reached and that nothing will be sent to the wrong place.

Validation never drops or rewrites a contact point: the original stays as given and the
result (status, normalised form, reasons, what was changed) is stored beside it, so a
person can see both. The rules themselves are in domain.contacts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from domain.model import (
    Claim,
    ClaimEvent,
    ContactPoint,
    ContactValidation,
    Debtor,
    DebtorKind,
    Phase,
)
from domain.ports import Clock, Repository
from domain.retry import run_retrying

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
    outcome in the timeline of each of the debtor's open claims.

    A race with a PATCH of the debtor replays the validation on the new version; a race
    with a change of one claim replays only that claim's note, so no claim is noted twice
    and none is skipped."""
    updated = run_retrying(lambda: _revalidate(repo, clock, creditor_id, debtor_id,
                                               check_deliverability))
    # Counts and channels only: the timeline is read by many; the addresses stay on the
    # debtor.
    counts = Counter(p.validation.status for p in updated.contact_points if p.validation)
    summary = {status: str(counts.get(status, 0))
               for status in ("valid", "risky", "invalid", "unverified")}
    summary["reachable_by"] = ",".join(reachable_by(updated)) or "none"
    at = updated.updated_at or clock.now()
    for listed in repo.claims_of_debtor(creditor_id, debtor_id):
        if listed.phase is not Phase.CLOSED:
            run_retrying(_noting(repo, listed, at, actor, summary))
    return updated


def _revalidate(repo: Repository, clock: Clock, creditor_id: str, debtor_id: str,
                check_deliverability: bool) -> Debtor:
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
    return updated


def _noting(repo: Repository, listed: Claim, at: datetime, actor: str,
            summary: dict[str, str]) -> Callable[[], None]:
    """The note on one claim as a retryable step: the listed copy serves the first attempt,
    a retry re-reads the claim (its version moved)."""
    copies: list[Claim] = [listed]

    def note() -> None:
        claim = copies.pop() if copies else repo.get_claim(listed.creditor_id, listed.id)
        _note(repo, claim, at, actor, summary)

    return note


def _note(repo: Repository, claim: Claim | None, at: datetime, actor: str,
          summary: dict[str, str]) -> None:
    if claim is None or claim.phase is Phase.CLOSED:
        return
    before = claim.version
    claim.version, claim.updated_at = claim.version + 1, at
    event = ClaimEvent(claim_id=claim.id, seq=claim.next_event_seq(), at=at,
                       action="contacts_validated", actor=actor, data=dict(summary))
    repo.save_claim(claim, [event], before)
