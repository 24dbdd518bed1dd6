"""Use cases of debtors: registration, changes and contact re-validation."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from domain.claims.model import (
    Phase,
)
from domain.debtors.model import ContactKind, ContactPoint, Debtor, DebtorKind, PostalAddress
from domain.debtors.validation import identifier, reachable_by, validate_points
from domain.ports.unit_of_work import UnitOfWork
from domain.services.caller import Caller, Ports
from domain.shared.dates import not_past
from domain.shared.errors import FieldError, NotFound
from domain.shared.ids import new_id
from domain.shared.language import Language
from domain.shared.retry import retry_on_stale, run_retrying
from domain.shared.validation import opt_str, raise_if


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
    # The day a consumer consented to electronic registered mail (CPCE R53-1).
    electronic_registered_consent_on: date | None = None


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


def _check_debtor(draft: DebtorDraft, today: date | None = None) -> DebtorDraft:
    errors: list[FieldError] = []
    if today is not None and (late := not_past(draft.electronic_registered_consent_on, today,
                                               "electronic_registered_consent_on")):
        errors.append(late)
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


def create_debtor(draft: DebtorDraft, caller: Caller, ports: Ports) -> Debtor:
    """Register a debtor; its contact points are validated at once (domain.debtors.contacts)."""
    now = ports.clock.now()
    draft = _check_debtor(draft, now.date())
    debtor = Debtor(
        id=new_id("dbt"), creditor_id=caller.creditor_id, kind=draft.kind, name=draft.name,
        country=draft.country, language=draft.language, siren=draft.siren,
        vat_number=draft.vat_number, external_reference=draft.external_reference,
        electronic_registered_consent_on=draft.electronic_registered_consent_on,
        contact_points=validate_points(_contact_points(draft.contact_points), draft.country,
                                       draft.kind, now,
                                       check_deliverability=ports.check_email_deliverability),
        created_at=now, updated_at=now,
    )
    with ports.unit_of_work() as uow:
        uow.debtors.add_debtor(debtor)
        uow.commit()
    return debtor


def get_debtor(debtor_id: str, caller: Caller, ports: Ports) -> Debtor:
    return _load(ports.unit_of_work(), caller, debtor_id)


def _load(uow: UnitOfWork, caller: Caller, debtor_id: str) -> Debtor:
    debtor = uow.debtors.get_debtor(caller.creditor_id, debtor_id)
    if debtor is None:
        raise NotFound("debtor", debtor_id)
    return debtor


def update_debtor(debtor_id: str, expected_version: int | None, changes: dict[str, object],
                  caller: Caller, ports: Ports) -> Debtor:
    """Partial update; contact points are validated again when they, the debtor's kind or
    its country (the default region of phone numbers) change. With `expected_version`
    None (If-Match: *) a race with another change is replayed, not answered as stale."""
    if expected_version is None:
        return run_retrying(lambda: _update_debtor(debtor_id, None, changes, caller, ports))
    return _update_debtor(debtor_id, expected_version, changes, caller, ports)


def _update_debtor(debtor_id: str, expected_version: int | None, changes: dict[str, object],
                   caller: Caller, ports: Ports) -> Debtor:
    with ports.unit_of_work() as uow:
        current = _load(uow, caller, debtor_id)
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
            external_reference=opt_str(changes, "external_reference",
                                       current.external_reference),
            electronic_registered_consent_on=changes.get(  # type: ignore[arg-type]
                "electronic_registered_consent_on", current.electronic_registered_consent_on),
        )
        checked = _check_debtor(merged, ports.clock.now().date())
        points = (_contact_points(contact_drafts) if isinstance(contact_drafts, list)
                  else current.contact_points)
        now = ports.clock.now()
        if (isinstance(contact_drafts, list) or checked.kind is not current.kind
                or checked.country != current.country):
            points = validate_points(points, checked.country, checked.kind, now,
                                     check_deliverability=ports.check_email_deliverability)
        updated = replace(
            current, kind=checked.kind, name=checked.name, country=checked.country,
            language=checked.language, siren=checked.siren, vat_number=checked.vat_number,
            external_reference=checked.external_reference,
            electronic_registered_consent_on=checked.electronic_registered_consent_on,
            contact_points=points, version=expected_version + 1, updated_at=now,
        )
        uow.debtors.save_debtor(updated, expected_version, current.external_reference)
        uow.commit()
    return updated


@retry_on_stale
def revalidate_debtor(debtor_id: str, caller: Caller, ports: Ports) -> Debtor:
    """Validate the debtor's stored contact points again, store the results, and note the
    outcome in the timeline of each of the debtor's open claims, all in one atomic write:
    no timeline is noted unless the debtor's new validation is stored, and the reverse.

    A race with a PATCH of the debtor or a change of one of its claims replays the whole
    re-validation on what is stored now. A debtor with so many open claims that the write
    would pass 100 actions is refused (422 `too_many_changes`), never half-noted."""
    from domain.claims.events import ContactsValidated, timeline_entry

    with ports.unit_of_work() as uow:
        debtor = _load(uow, caller, debtor_id)
        now = ports.clock.now()
        updated = replace(
            debtor, version=debtor.version + 1, updated_at=now,
            contact_points=validate_points(
                debtor.contact_points, debtor.country, debtor.kind, now,
                check_deliverability=ports.check_email_deliverability))
        uow.debtors.save_debtor(updated, debtor.version, debtor.external_reference)
        noted = ContactsValidated.of(updated, reachable_by(updated))
        for claim in uow.claims.claims_of_debtor(caller.creditor_id, debtor_id):
            if claim.phase is Phase.CLOSED:
                continue
            before = claim.version
            claim.version, claim.updated_at = claim.version + 1, now
            uow.claims.save_claim(claim, [timeline_entry(claim, noted, now, caller.actor)],
                                  before)
        uow.commit()
    return updated
