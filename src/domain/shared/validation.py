"""Field checks shared by the use cases: each adds a FieldError naming the field
instead of raising, so one answer lists every invalid field."""

from __future__ import annotations

import zoneinfo
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from domain.shared.errors import DomainValidationError, FieldError

Choice = TypeVar("Choice", bound=StrEnum)


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


def one_of(value: object, choices: type[Choice], path: str,
           errors: list[FieldError]) -> Choice | None:
    """`value` as a member of `choices`, or None and an error naming the field (a caller
    other than the API may pass anything, None included)."""
    if isinstance(value, str):
        try:
            return choices(value)
        except ValueError:
            pass
    errors.append(FieldError(path, "one of " + ", ".join(f'"{c.value}"' for c in choices),
                             "invalid_choice"))
    return None


def text(changes: dict[str, object], key: str, current: str,
         errors: list[FieldError]) -> str:
    """The text `changes` sets for `key` (or `current`); anything else is an error naming
    the field, never its repr stored as the text."""
    value = changes.get(key, current)
    if isinstance(value, str):
        return value
    errors.append(FieldError(key, "must be a string", "invalid_type"))
    return current
