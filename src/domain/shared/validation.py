"""Field checks shared by the use cases: each adds a FieldError naming the field
instead of raising, so one answer lists every invalid field."""

from __future__ import annotations

import zoneinfo

from domain.shared.errors import DomainValidationError, FieldError


def identifier(kind: str, value: str, path: str, errors: list[FieldError]) -> str:
    """Check a company or bank identifier with the rules of domain.debtors.contacts.identifiers
    (python-stdnum for SIREN, SIRET and VAT; schwifty for IBAN and BIC) and return its
    normalised form; a failure is added to `errors` under `path`."""
    from domain.debtors.contacts.identifiers import check_identifier  # lazy: heavy to import

    check = check_identifier(kind, value)
    if not check.valid or check.normalized is None:
        errors.append(FieldError(path, check.message, f"invalid_{kind}"))
        return value
    return check.normalized


def valid_time_zone(value: str, path: str, errors: list[FieldError]) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        errors.append(FieldError(path, f"'{value}' is not an IANA time zone", "invalid_time_zone"))
    return value


def raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise DomainValidationError.many(errors)


def opt_str(changes: dict[str, object], key: str, current: str | None) -> str | None:
    if key not in changes:
        return current
    value = changes[key]
    return None if value is None else str(value)
