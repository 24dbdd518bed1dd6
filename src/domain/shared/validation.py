"""Field checks shared by the use cases: each adds a FieldError naming the field
instead of raising, so one answer lists every invalid field."""

from __future__ import annotations

import zoneinfo
from decimal import Decimal

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


def contractual_rate(value: str | None, path: str, errors: list[FieldError]) -> Decimal | None:
    """A late-payment rate agreed in writing, percent per year (C. civ. 1343-1): above 0,
    below 100, four decimals at most, the bounds the HTTP schema states, checked here too
    for callers that are not the API (a scheduled import)."""
    if value is None:
        return None
    try:
        rate = Decimal(value)
    except ArithmeticError:
        rate = Decimal("NaN")
    if not rate.is_finite() or not 0 < rate < 100 or rate != rate.quantize(Decimal("1E-4")):
        errors.append(FieldError(path, "a percentage such as \"12.5\" (above 0, below 100, "
                                 "4 decimals at most)", "invalid_rate"))
        return None
    return rate
