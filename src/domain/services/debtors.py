"""Use cases of debtors: registration, changes and contact re-validation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from domain.claims.model import (
    Claim,
    ClaimEvent,
    Phase,
)
from domain.debtors.model import ContactKind, ContactPoint, Debtor, DebtorKind, PostalAddress
from domain.debtors.validation import reachable_by, validate_points
from domain.ports import Clock, Repository
from domain.shared.errors import FieldError, NotFound
from domain.shared.ids import new_id
from domain.shared.language import Language
from domain.shared.retry import run_retrying
from domain.shared.validation import identifier, opt_str, raise_if


@dataclass(frozen=True, slots=True)
class ContactPointDraft:
    kind: ContactKind
    value: str | None = None
    address: PostalAddress | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class DebtorDraft:
    kind: DebtorKind
    name: str
    country: str
    language: Language = Language.FR
    siren: str | None = None
    vat_number: str | None = None
    external_reference: str | None = None
    contact_points: list[ContactPointDraft] = field(default_factory=list)
    in_collective_proceedings: bool = False


def _contact_points(drafts: list[ContactPointDraft]) -> list[ContactPoint]:
    errors: list[FieldError] = []
    points = []
    for i, draft in enumerate(drafts):
        if draft.kind is ContactKind.POSTAL_ADDRESS:
            if draft.address is None or draft.value is not None:
                errors.append(FieldError(f"contact_points[{i}].address",
                                         "a postal_address contact point carries an `address` "
                                         "object and no `value`", "address_required"))
        elif not draft.value or draft.address is not None:
            errors.append(FieldError(f"contact_points[{i}].value",
                                     f"a {draft.kind.value} contact point carries a `value` "
                                     "and no `address`", "value_required"))
        points.append(ContactPoint(id=new_id("cp"), kind=draft.kind, value=draft.value,
                                   address=draft.address, label=draft.label))
    raise_if(errors)
    return points


def _check_debtor(draft: DebtorDraft) -> DebtorDraft:
    errors: list[FieldError] = []
    siren = identifier("siren", draft.siren, "siren", errors) if draft.siren else None
    vat = (identifier("vat_number", draft.vat_number, "vat_number", errors)
           if draft.vat_number else None)
    if draft.kind is DebtorKind.CONSUMER and (siren or vat):
        errors.append(FieldError("siren" if siren else "vat_number",
                                 "a consumer debtor has no company identifier",
                                 "unexpected_identifier"))
    if siren and vat and vat.startswith("FR") and vat[4:] != siren:
        # A French VAT number is FR + 2-digit key + the SIREN (CGI annexe II art. 286 ter).
        errors.append(FieldError("vat_number", f"this French VAT number belongs to SIREN "
                                 f"{vat[4:]}, not {siren}", "vat_siren_mismatch"))
    if not draft.name.strip():
        errors.append(FieldError("name", "must not be empty", "required"))
    raise_if(errors)
    return replace(draft, siren=siren, vat_number=vat, name=draft.name.strip())


def create_debtor(repo: Repository, clock: Clock, creditor_id: str, draft: DebtorDraft, *,
                  check_deliverability: bool = False) -> Debtor:
    """Register a debtor; its contact points are validated at once (domain.debtors.contacts)."""
    from domain.debtors.validation import validate_points

    draft = _check_debtor(draft)
    now = clock.now()
    debtor = Debtor(
        id=new_id("dbt"), creditor_id=creditor_id, kind=draft.kind, name=draft.name,
        country=draft.country, language=draft.language, siren=draft.siren,
        vat_number=draft.vat_number, external_reference=draft.external_reference,
        contact_points=validate_points(_contact_points(draft.contact_points), draft.country,
                                       draft.kind, now,
                                       check_deliverability=check_deliverability),
        in_collective_proceedings=draft.in_collective_proceedings,
        created_at=now, updated_at=now,
    )
    repo.add_debtor(debtor)
    return debtor


def get_debtor(repo: Repository, creditor_id: str, debtor_id: str) -> Debtor:
    debtor = repo.get_debtor(creditor_id, debtor_id)
    if debtor is None:
        raise NotFound("debtor", debtor_id)
    return debtor


def update_debtor(repo: Repository, clock: Clock, creditor_id: str, debtor_id: str,
                  expected_version: int | None, changes: dict[str, object], *,
                  check_deliverability: bool = False) -> Debtor:
    """Partial update; contact points are validated again when they, the debtor's kind or
    its country (the default region of phone numbers) change. With `expected_version`
    None (If-Match: *) a race with another change is replayed, not answered as stale."""
    if expected_version is None:
        return run_retrying(lambda: _update_debtor(
            repo, clock, creditor_id, debtor_id, None, changes,
            check_deliverability=check_deliverability))
    return _update_debtor(repo, clock, creditor_id, debtor_id, expected_version, changes,
                          check_deliverability=check_deliverability)


def _update_debtor(repo: Repository, clock: Clock, creditor_id: str, debtor_id: str,
                   expected_version: int | None, changes: dict[str, object], *,
                   check_deliverability: bool = False) -> Debtor:
    from domain.debtors.validation import validate_points

    current = get_debtor(repo, creditor_id, debtor_id)
    if expected_version is None:  # If-Match: *
        expected_version = current.version
    contact_drafts = changes.get("contact_points")
    merged = DebtorDraft(
        kind=DebtorKind(str(changes.get("kind", current.kind))),
        name=str(changes.get("name", current.name)),
        country=str(changes.get("country", current.country)),
        language=Language(str(changes.get("language", current.language))),
        siren=opt_str(changes, "siren", current.siren),
        vat_number=opt_str(changes, "vat_number", current.vat_number),
        external_reference=opt_str(changes, "external_reference", current.external_reference),
        in_collective_proceedings=bool(
            changes.get("in_collective_proceedings", current.in_collective_proceedings)),
    )
    checked = _check_debtor(merged)
    points = (_contact_points(contact_drafts) if isinstance(contact_drafts, list)
              else current.contact_points)
    now = clock.now()
    if (isinstance(contact_drafts, list) or checked.kind is not current.kind
            or checked.country != current.country):
        points = validate_points(points, checked.country, checked.kind, now,
                                 check_deliverability=check_deliverability)
    updated = replace(
        current, kind=checked.kind, name=checked.name, country=checked.country,
        language=checked.language, siren=checked.siren, vat_number=checked.vat_number,
        external_reference=checked.external_reference,
        in_collective_proceedings=checked.in_collective_proceedings,
        contact_points=points, version=expected_version + 1, updated_at=now,
    )
    repo.save_debtor(updated, expected_version, current.external_reference)
    return updated


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
    from domain.shared.errors import NotFound

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
