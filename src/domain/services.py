"""The service layer: one function per use case, orchestrating the model and the ports.

Thin on purpose (cosmicpython): it loads, asks the model, and stores in one atomic write.
It never touches HTTP or AWS; the API passes already-decoded commands in and maps the
results out, and tests drive it with in-memory repositories.
"""

from __future__ import annotations

import hashlib
import secrets
import zoneinfo
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from domain import lifecycle
from domain.dates import outside_window
from domain.errors import DomainValidationError, FieldError, NotFound
from domain.ids import new_id
from domain.model import (
    MAX_INVOICES_PER_CLAIM,
    Address,
    ApiKey,
    Claim,
    ClaimEvent,
    ContactKind,
    ContactPoint,
    Creditor,
    Debtor,
    DebtorKind,
    Hold,
    HoldReason,
    Invoice,
    Language,
    Outcome,
    Phase,
    PostalAddress,
)
from domain.money import is_currency, parse_amount
from domain.ports import Clock, Repository
from domain.retry import retry_on_stale, run_retrying

if TYPE_CHECKING:
    from domain.account import ClaimAccount

SCOPES = ("read", "write", "admin")


# ---------------------------------------------------------------- identifiers of companies

def _identifier(kind: str, value: str, path: str, errors: list[FieldError]) -> str:
    """Check a company or bank identifier with the rules of domain.contacts.identifiers
    (python-stdnum for SIREN, SIRET and VAT; schwifty for IBAN and BIC) and return its
    normalised form; a failure is added to `errors` under `path`."""
    from domain.contacts.identifiers import check_identifier  # lazy: heavy to import

    check = check_identifier(kind, value)
    if not check.valid or check.normalized is None:
        errors.append(FieldError(path, check.message, f"invalid_{kind}"))
        return value
    return check.normalized


def _valid_time_zone(value: str, path: str, errors: list[FieldError]) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        errors.append(FieldError(path, f"'{value}' is not an IANA time zone", "invalid_time_zone"))
    return value


def _raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise DomainValidationError.many(errors)


# ---------------------------------------------------------------- creditors and API keys

@dataclass(frozen=True, slots=True)
class CreditorDraft:
    legal_name: str
    siren: str
    address: Address
    iban: str | None = None
    bic: str | None = None
    time_zone: str = "Europe/Paris"
    language: Language = Language.FR


@dataclass(frozen=True, slots=True)
class IssuedApiKey:
    """The only moment the secret exists outside the caller: it is never stored."""

    key: ApiKey
    secret: str


def hash_secret(secret: str) -> str:
    # API keys are 256-bit random secrets, so a fast hash is enough (no dictionary to
    # guess from); a slow KDF would only cost latency on every request.
    return hashlib.sha256(secret.encode()).hexdigest()


def _check_creditor(draft: CreditorDraft) -> CreditorDraft:
    errors: list[FieldError] = []
    siren = _identifier("siren", draft.siren, "siren", errors)
    iban = _identifier("iban", draft.iban, "iban", errors) if draft.iban else None
    bic = _identifier("bic", draft.bic, "bic", errors) if draft.bic else None
    _valid_time_zone(draft.time_zone, "time_zone", errors)
    if not draft.legal_name.strip():
        errors.append(FieldError("legal_name", "must not be empty", "required"))
    _raise_if(errors)
    return replace(draft, siren=siren, iban=iban, bic=bic, legal_name=draft.legal_name.strip())


def create_creditor(repo: Repository, clock: Clock, draft: CreditorDraft) -> Creditor:
    draft = _check_creditor(draft)
    now = clock.now()
    creditor = Creditor(
        id=new_id("cred"), legal_name=draft.legal_name, siren=draft.siren, address=draft.address,
        iban=draft.iban, bic=draft.bic, time_zone=draft.time_zone, language=draft.language,
        created_at=now, updated_at=now,
    )
    repo.add_creditor(creditor)
    return creditor


def get_creditor(repo: Repository, creditor_id: str) -> Creditor:
    creditor = repo.get_creditor(creditor_id)
    if creditor is None:
        raise NotFound("creditor", creditor_id)
    return creditor


def update_creditor(repo: Repository, clock: Clock, creditor_id: str,
                    expected_version: int | None, changes: dict[str, object]) -> Creditor:
    """Apply a partial update (JSON merge-patch semantics on known fields).
    `expected_version` None (If-Match: *) means whatever version is stored now: a race with
    another change is then replayed, not answered as stale."""
    if expected_version is None:
        return run_retrying(lambda: _update_creditor(repo, clock, creditor_id, None, changes))
    return _update_creditor(repo, clock, creditor_id, expected_version, changes)


def _update_creditor(repo: Repository, clock: Clock, creditor_id: str,
                     expected_version: int | None, changes: dict[str, object]) -> Creditor:
    current = get_creditor(repo, creditor_id)
    if expected_version is None:
        expected_version = current.version
    merged = CreditorDraft(
        legal_name=str(changes.get("legal_name", current.legal_name)),
        siren=str(changes.get("siren", current.siren)),
        address=new_address if isinstance(new_address := changes.get("address"), Address)
        else current.address,
        iban=_opt_str(changes, "iban", current.iban),
        bic=_opt_str(changes, "bic", current.bic),
        time_zone=str(changes.get("time_zone", current.time_zone)),
        language=Language(str(changes.get("language", current.language))),
    )
    checked = _check_creditor(merged)
    updated = replace(
        current, legal_name=checked.legal_name, siren=checked.siren, address=checked.address,
        iban=checked.iban, bic=checked.bic, time_zone=checked.time_zone,
        language=checked.language, version=expected_version + 1, updated_at=clock.now(),
    )
    repo.save_creditor(updated, expected_version)
    return updated


def _opt_str(changes: dict[str, object], key: str, current: str | None) -> str | None:
    if key not in changes:
        return current
    value = changes[key]
    return None if value is None else str(value)


def issue_api_key(repo: Repository, clock: Clock, creditor_id: str, name: str,
                  scopes: list[str]) -> IssuedApiKey:
    get_creditor(repo, creditor_id)
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise DomainValidationError(
            "scopes", f"scopes must be a non-empty subset of {list(SCOPES)}", code="invalid_scope")
    key_id = new_id("key")
    secret = f"rlk_{secrets.token_urlsafe(32)}"
    key = ApiKey(
        id=key_id, creditor_id=creditor_id, secret_hash=hash_secret(secret),
        scopes=tuple(sorted(set(scopes), key=SCOPES.index)), name=name.strip() or "unnamed",
        prefix=secret[:10], created_at=clock.now(),
    )
    repo.add_api_key(key)
    return IssuedApiKey(key, secret)


def revoke_api_key(repo: Repository, clock: Clock, creditor_id: str, key_id: str) -> ApiKey:
    revoked = repo.revoke_api_key(creditor_id, key_id, clock.now())
    if revoked is None:
        raise NotFound("api key", key_id)
    return revoked


# ---------------------------------------------------------------- debtors

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
    _raise_if(errors)
    return points


def _check_debtor(draft: DebtorDraft) -> DebtorDraft:
    errors: list[FieldError] = []
    siren = _identifier("siren", draft.siren, "siren", errors) if draft.siren else None
    vat = (_identifier("vat_number", draft.vat_number, "vat_number", errors)
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
    _raise_if(errors)
    return replace(draft, siren=siren, vat_number=vat, name=draft.name.strip())


def create_debtor(repo: Repository, clock: Clock, creditor_id: str, draft: DebtorDraft, *,
                  check_deliverability: bool = False) -> Debtor:
    """Register a debtor; its contact points are validated at once (domain.contacts)."""
    from domain.contact_services import validate_points

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
    from domain.contact_services import validate_points

    current = get_debtor(repo, creditor_id, debtor_id)
    if expected_version is None:  # If-Match: *
        expected_version = current.version
    contact_drafts = changes.get("contact_points")
    merged = DebtorDraft(
        kind=DebtorKind(str(changes.get("kind", current.kind))),
        name=str(changes.get("name", current.name)),
        country=str(changes.get("country", current.country)),
        language=Language(str(changes.get("language", current.language))),
        siren=_opt_str(changes, "siren", current.siren),
        vat_number=_opt_str(changes, "vat_number", current.vat_number),
        external_reference=_opt_str(changes, "external_reference", current.external_reference),
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


# ---------------------------------------------------------------- claims

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
    _raise_if(errors)
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
    from domain import law

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
    from domain import law
    from domain.account import ClaimAccount
    from domain.rates import HalfYear, RateUnknown

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

