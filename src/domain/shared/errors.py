"""Domain errors. The API turns each into an RFC 9457 problem; the domain only says what
went wrong and where (a field path in the caller's own terms)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str
    code: str = "invalid"


class DomainError(Exception):
    """Base class: something the caller asked for cannot be done."""


class DomainValidationError(DomainError):
    """Input that is well-formed but breaks a business rule (answered 422)."""

    def __init__(self, field_path: str, message: str, *, code: str = "invalid") -> None:
        super().__init__(f"{field_path}: {message}")
        self.errors: list[FieldError] = [FieldError(field_path, message, code)]

    @classmethod
    def many(cls, errors: list[FieldError]) -> DomainValidationError:
        err = cls(errors[0].field, errors[0].message, code=errors[0].code)
        err.errors = list(errors)
        return err

    def prefixed(self, prefix: str) -> DomainValidationError:
        """The same errors, their paths under `prefix` (e.g. 'invoices[2]')."""
        return DomainValidationError.many(
            [FieldError(f"{prefix}.{e.field}" if e.field else prefix, e.message, e.code)
             for e in self.errors]
        )


class NotFound(DomainError):
    def __init__(self, what: str, ident: str) -> None:
        super().__init__(f"{what} {ident} not found")
        self.what = what
        self.ident = ident


@dataclass
class ActionNotAllowed(DomainError):
    """A lifecycle action tried from a state that does not allow it (answered 409 with the
    actions that are allowed)."""

    action: str
    state: str
    allowed: list[str] = field(default_factory=list)
    why: str = ""

    def __str__(self) -> str:
        because = f": {self.why}" if self.why else ""
        return f"'{self.action}' is not allowed while the claim is {self.state}{because}"


class Conflict(DomainError):
    """A uniqueness rule or a concurrent change (answered 409)."""

    def __init__(self, message: str, *, field_path: str | None = None) -> None:
        super().__init__(message)
        self.field_path = field_path


class StaleVersion(DomainError):
    """The object changed since the caller read it (answered 412 on If-Match)."""


class RateUnknown(DomainError):
    """The rate tables do not cover the period asked for: update domain/amounts/data/rates.json."""

    def __init__(self, what: str, period: str) -> None:
        super().__init__(
            f"the {what} for {period} is not in the rate tables (domain/amounts/data/rates.json); "
            "it is not guessed: add the published rate to the tables"
        )
        self.what = what
        self.period = period


class NotReady(DomainError):
    """The object exists but is not in a state to do this yet (a letter still rendering):
    answered 409 with its status."""

    def __init__(self, message: str, *, status: str) -> None:
        super().__init__(message)
        self.status = status


class Unavailable(DomainError):
    """A service this change needs (the document store, the postal provider) could not be
    reached: nothing was done, retry shortly (answered 503)."""
