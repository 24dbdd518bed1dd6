"""Contact validation use cases ("normalisation des adresses"): before any reminder, check
that the debtor can be reached and that nothing will be sent to the wrong place.

Validation never drops or rewrites a contact point: the original stays as given and the
result (status, normalised form, reasons, what was changed) is stored beside it, so a
person can see both. The rules themselves are in domain.debtors.contacts."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from domain.debtors.model import ContactPoint, ContactValidation, Debtor, DebtorKind
from domain.shared.errors import FieldError

CHANNEL_ORDER = ("email", "sms", "letter", "phone")
# What the world, not the rules, said about an address: a mail server refused it for good,
# or the debtor reported our e-mail as unwanted. Validating the same contact point again
# cannot overrule that, so it is kept (a corrected address is a new contact point).
BOUNCED = "bounced"
COMPLAINED = "complained"
OBSERVED = frozenset({BOUNCED, COMPLAINED})


def validate_point(point: ContactPoint, country: str, kind: DebtorKind, at: datetime, *,
                   check_deliverability: bool = False) -> ContactValidation:
    # Imported here: phonenumbers and email-validator cost ~50 ms of import time, which
    # a Lambda serving only claim reads should not pay at cold start.
    from domain.debtors.contacts import check_contact_point

    check = check_contact_point(point, country, kind, check_deliverability=check_deliverability)
    return ContactValidation(
        status=check.status, normalized=check.normalized, reasons=check.reasons,
        message=check.message, validated_at=at, line_type=check.line_type,
        channels=check.channels, changes=check.changes)


def validate_points(points: list[ContactPoint], country: str, kind: DebtorKind, at: datetime,
                    *, check_deliverability: bool = False) -> list[ContactPoint]:
    return [p if observed(p) else
            replace(p, validation=validate_point(p, country, kind, at,
                                                 check_deliverability=check_deliverability))
            for p in points]


def observed(point: ContactPoint) -> bool:
    """A bounce or a complaint was recorded on the point (see OBSERVED)."""
    return point.validation is not None and bool(OBSERVED & set(point.validation.reasons))


def marked_invalid(point: ContactPoint, reason: str, message: str,
                   at: datetime) -> ContactPoint:
    """The point as a failed channel found it (a wrong number, a move, a hard bounce): no
    channel uses it again; its normalised form stays for a person to compare."""
    before = point.validation
    return replace(point, validation=ContactValidation(
        status="invalid", normalized=before.normalized if before else None,
        reasons=(reason,), message=message, validated_at=at,
        line_type=before.line_type if before else None, channels=()))


def marked_unwanted(point: ContactPoint, at: datetime) -> ContactPoint:
    """The e-mail address whose owner reported our message as unwanted (a complaint): it
    works, so its status stays, but it serves no channel any more and the ladder never
    e-mails it again (domain.services.escalation._usable)."""
    before = point.validation
    return replace(point, validation=ContactValidation(
        status=before.status if before else "unverified",
        normalized=before.normalized if before else None,
        reasons=(*(before.reasons if before else ()), COMPLAINED),
        message="The debtor reported a reminder e-mail as unwanted: no more e-mails to this "
                "address.", validated_at=at, channels=()))


def reachable_by(debtor: Debtor) -> list[str]:
    """Channels with at least one contact point validated as usable (valid or risky):
    escalation skips the others and asks a person to verify the address instead."""
    channels: set[str] = set()
    for point in debtor.contact_points:
        v = point.validation
        if v is not None and v.status in ("valid", "risky"):
            channels.update(v.channels)
    return [c for c in CHANNEL_ORDER if c in channels]


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
