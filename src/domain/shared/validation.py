"""Field checks shared by the use cases: each adds a FieldError naming the field
instead of raising, so one answer lists every invalid field."""

from __future__ import annotations

import zoneinfo

from domain.shared.errors import DomainValidationError, FieldError


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
