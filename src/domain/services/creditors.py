"""Use cases of creditors (tenants) and their API keys."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from decimal import Decimal

from domain.amounts.interest import DayCount
from domain.amounts.law import DEFAULT_BELOW_FLOOR_POLICY, DEFAULT_DAY_COUNT, BelowFloorPolicy
from domain.creditors.keys import SCOPES, hash_secret
from domain.creditors.model import Address, ApiKey, Creditor
from domain.debtors.validation import identifier
from domain.ports.unit_of_work import UnitOfWork
from domain.services.caller import Caller, Ports
from domain.shared.errors import DomainValidationError, FieldError, NotFound
from domain.shared.ids import new_id
from domain.shared.language import Language
from domain.shared.retry import retry_on_stale, run_retrying
from domain.shared.validation import (
    contractual_rate,
    one_of,
    opt_str,
    raise_if,
    text,
    valid_time_zone,
)


@dataclass(frozen=True, slots=True)
class CreditorDraft:
    legal_name: str
    siren: str
    address: Address
    iban: str | None = None
    bic: str | None = None
    time_zone: str = "Europe/Paris"
    language: str = Language.FR
    # Percent per year, from the creditor's general terms: the default rate of its claims.
    contractual_rate: str | None = None
    # Interest settings (domain.amounts.law.interest_day_count, BelowFloorPolicy): each
    # claim keeps those in force when it is opened.
    interest_day_count: str = DEFAULT_DAY_COUNT.value
    below_floor_policy: str = DEFAULT_BELOW_FLOOR_POLICY.value
    # The days a mise en demeure gives to pay (domain.letters.content), and who signs.
    formal_notice_days: int = 8
    signatory: str | None = None
    contact_windows: dict[str, object] | None = None


@dataclass(frozen=True, slots=True)
class IssuedApiKey:
    """The only moment the secret exists outside the caller: it is never stored."""

    key: ApiKey
    secret: str


def _check_creditor(draft: CreditorDraft, errors: list[FieldError]) -> CreditorDraft:
    """The draft normalized, or every invalid field (with those already in `errors`)."""
    siren = identifier("siren", draft.siren, "siren", errors)
    iban = identifier("iban", draft.iban, "iban", errors) if draft.iban else None
    bic = identifier("bic", draft.bic, "bic", errors) if draft.bic else None
    valid_time_zone(draft.time_zone, "time_zone", errors)
    if not draft.legal_name.strip():
        errors.append(FieldError("legal_name", "must not be empty", "required"))
    contractual_rate(draft.contractual_rate, "contractual_rate", errors)
    one_of(draft.language, Language, "language", errors)
    one_of(draft.interest_day_count, DayCount, "interest_day_count", errors)
    one_of(draft.below_floor_policy, BelowFloorPolicy, "below_floor_policy", errors)
    from domain.letters.content import MAX_FORMAL_NOTICE_DAYS, MIN_FORMAL_NOTICE_DAYS

    if (not isinstance(draft.formal_notice_days, int) or isinstance(draft.formal_notice_days, bool)
            or not MIN_FORMAL_NOTICE_DAYS <= draft.formal_notice_days <= MAX_FORMAL_NOTICE_DAYS):
        errors.append(FieldError(
            "formal_notice_days", f"a formal notice gives {MIN_FORMAL_NOTICE_DAYS} to "
            f"{MAX_FORMAL_NOTICE_DAYS} days to pay (a precise and reasonable deadline)",
            "out_of_range"))
    if draft.signatory is not None and not isinstance(draft.signatory, str):
        errors.append(FieldError("signatory", "must be text or null", "invalid"))
    if draft.contact_windows is not None:
        from domain.escalation.calendar import windows_from_setting

        try:
            windows_from_setting(draft.contact_windows)
        except DomainValidationError as exc:
            errors += exc.errors
    raise_if(errors)
    return replace(draft, siren=siren, iban=iban, bic=bic, legal_name=draft.legal_name.strip())


def _rate(rate: str | None) -> Decimal | None:
    return None if rate is None else Decimal(rate)


def create_creditor(draft: CreditorDraft, ports: Ports) -> Creditor:
    """Onboard a tenant (the operator's use case)."""
    draft = _check_creditor(draft, [])
    now = ports.clock.now()
    creditor = Creditor(
        id=new_id("cred"), legal_name=draft.legal_name, siren=draft.siren, address=draft.address,
        iban=draft.iban, bic=draft.bic, time_zone=draft.time_zone,
        language=Language(draft.language), created_at=now, updated_at=now,
        contractual_rate=_rate(draft.contractual_rate),
        interest_day_count=draft.interest_day_count, below_floor_policy=draft.below_floor_policy,
        formal_notice_days=draft.formal_notice_days, signatory=draft.signatory,
        contact_windows=draft.contact_windows,
    )
    with ports.unit_of_work() as uow:
        uow.creditors.add_creditor(creditor)
        uow.commit()
    return creditor


def get_creditor(creditor_id: str, ports: Ports) -> Creditor:
    return _load(ports.unit_of_work(), creditor_id)


def _load(uow: UnitOfWork, creditor_id: str) -> Creditor:
    creditor = uow.creditors.get_creditor(creditor_id)
    if creditor is None:
        raise NotFound("creditor", creditor_id)
    return creditor


def update_creditor(creditor_id: str, expected_version: int | None,
                    changes: dict[str, object], ports: Ports) -> Creditor:
    """Apply a partial update (JSON merge-patch semantics on known fields).
    `expected_version` None (If-Match: *) means whatever version is stored now: a race with
    another change is then replayed, not answered as stale."""
    if expected_version is None:
        return run_retrying(lambda: _update_creditor(creditor_id, None, changes, ports))
    return _update_creditor(creditor_id, expected_version, changes, ports)


def _update_creditor(creditor_id: str, expected_version: int | None,
                     changes: dict[str, object], ports: Ports) -> Creditor:
    with ports.unit_of_work() as uow:
        current = _load(uow, creditor_id)
        if expected_version is None:
            expected_version = current.version
        errors: list[FieldError] = []
        merged = CreditorDraft(
            legal_name=text(changes, "legal_name", current.legal_name, errors),
            siren=text(changes, "siren", current.siren, errors),
            address=new_address if isinstance(new_address := changes.get("address"), Address)
            else current.address,
            iban=opt_str(changes, "iban", current.iban),
            bic=opt_str(changes, "bic", current.bic),
            time_zone=text(changes, "time_zone", current.time_zone, errors),
            language=text(changes, "language", current.language, errors),
            contractual_rate=opt_str(changes, "contractual_rate", None if current.contractual_rate
                                     is None else str(current.contractual_rate)),
            interest_day_count=text(changes, "interest_day_count", current.interest_day_count,
                                    errors),
            below_floor_policy=text(changes, "below_floor_policy", current.below_floor_policy,
                                    errors),
            formal_notice_days=changes.get(  # type: ignore[arg-type]
                "formal_notice_days", current.formal_notice_days),
            signatory=opt_str(changes, "signatory", current.signatory),
            contact_windows=changes.get(  # type: ignore[arg-type]
                "contact_windows", current.contact_windows),
        )
        checked = _check_creditor(merged, errors)
        updated = replace(
            current, legal_name=checked.legal_name, siren=checked.siren,
            address=checked.address, iban=checked.iban, bic=checked.bic,
            time_zone=checked.time_zone, language=Language(checked.language),
            contractual_rate=_rate(checked.contractual_rate),
            interest_day_count=checked.interest_day_count,
            below_floor_policy=checked.below_floor_policy,
            formal_notice_days=checked.formal_notice_days, signatory=checked.signatory,
            contact_windows=checked.contact_windows, version=expected_version + 1,
            updated_at=ports.clock.now(),
        )
        uow.creditors.save_creditor(updated, expected_version)
        uow.commit()
    return updated


def issue_api_key(creditor_id: str, name: str, scopes: list[str], ports: Ports) -> IssuedApiKey:
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise DomainValidationError(
            "scopes", f"scopes must be a non-empty subset of {list(SCOPES)}", code="invalid_scope")
    with ports.unit_of_work() as uow:
        _load(uow, creditor_id)
        key_id = new_id("key")
        secret = f"rlk_{secrets.token_urlsafe(32)}"
        key = ApiKey(
            id=key_id, creditor_id=creditor_id, secret_hash=hash_secret(secret),
            scopes=tuple(sorted(set(scopes), key=SCOPES.index)),
            name=name.strip() or "unnamed", prefix=secret[:10], created_at=ports.clock.now(),
        )
        uow.api_keys.add_api_key(key)
        uow.commit()
    return IssuedApiKey(key, secret)


@retry_on_stale
def revoke_api_key(key_id: str, caller: Caller, ports: Ports) -> ApiKey:
    """Revoked from the key as read now: a hand-off rescoping it meanwhile replays this."""
    with ports.unit_of_work() as uow:
        revoked = uow.api_keys.revoke_api_key(caller.creditor_id, key_id, ports.clock.now())
        if revoked is None:
            raise NotFound("api key", key_id)
        uow.commit()
    return revoked
