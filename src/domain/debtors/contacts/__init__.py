"""Contact validation: before any reminder, check that the debtor's coordinates are right.
Relance validates, normalises and remembers (the caller stores the result beside the
original as a ContactValidation).

Every check is total: for any string input it returns a result (invalid with a reason, or a
safe normalisation) and never raises. Statuses: "valid", "invalid", "risky" (usable, but a
human should look), "unverified" (could not be checked).

Reason codes (ContactCheck.reasons / IdentifierCheck.reasons), by family:
- any input: empty, too_long, invalid_type, control_characters, markup,
  unsupported_characters, validation_error (never expected: an internal failure)
- phone: not_a_number, too_short, too_many_digits, invalid_length, invalid_country_code,
  unknown_country, not_a_valid_number, short_number, emergency_number, premium_rate, pager,
  personal_number, voicemail_only, extension_dropped
- e-mail: missing_at, empty_local_part, empty_domain, invalid_syntax, reserved_domain,
  placeholder_domain, disposable_domain, domain_typo, role_account, no_reply,
  smtputf8_required, internationalized_domain, undeliverable, dns_unavailable
- postal: missing_recipient, missing_city, missing_postal_code, missing_country,
  unknown_country, postal_code_format, postal_code_unknown_department,
  postal_code_mismatch_department, postal_code_mismatch_country, line_too_long,
  line_too_long_abbreviated, too_many_lines, no_delivery_line, cedex_for_consumer,
  unexpected_postal_code, no_postal_code_rule
- identifiers: invalid_format, invalid_length, invalid_checksum, invalid_component,
  unknown_country, outside_sepa
Codes such as role_account (business), internationalized_domain, extension_dropped,
line_too_long_abbreviated and outside_sepa are informational: they can accompany "valid".
"""

from __future__ import annotations

from domain.debtors.contacts._common import (
    INVALID,
    MAX_VALUE_LENGTH,
    RISKY,
    UNVERIFIED,
    VALID,
    ContactCheck,
    IdentifierCheck,
    total_contact_check,
)
from domain.debtors.contacts.emails import check_email
from domain.debtors.contacts.identifiers import (
    check_bic,
    check_eu_vat,
    check_iban,
    check_siren,
    check_siret,
)
from domain.debtors.contacts.phones import check_phone
from domain.debtors.contacts.postal import check_postal_address
from domain.debtors.model import ContactKind, ContactPoint, DebtorKind

__all__ = [
    "INVALID",
    "MAX_VALUE_LENGTH",
    "RISKY",
    "UNVERIFIED",
    "VALID",
    "ContactCheck",
    "IdentifierCheck",
    "check_bic",
    "check_contact_point",
    "check_email",
    "check_eu_vat",
    "check_iban",
    "check_phone",
    "check_postal_address",
    "check_siren",
    "check_siret",
]


def _missing(kind: ContactKind, what: str) -> ContactCheck:
    return ContactCheck(kind=kind, status=INVALID, normalized=None, reasons=("empty",),
                        message=f"The contact point has no {what} to check.")


@total_contact_check(ContactKind.EMAIL)
def check_contact_point(point: ContactPoint, default_country: str, debtor_kind: DebtorKind, *,
                        check_deliverability: bool = False) -> ContactCheck:
    """Check one contact point according to its kind: `value` for an e-mail or a phone,
    `address` for a postal address. `default_country` is the debtor's country (the region
    of phone numbers written without a country code)."""
    kind = point.kind
    if kind == ContactKind.PHONE:
        if point.value is None:
            return _missing(kind, "phone number")
        return check_phone(point.value, default_country)
    if kind == ContactKind.EMAIL:
        if point.value is None:
            return _missing(kind, "e-mail address")
        return check_email(point.value, debtor_kind, check_deliverability=check_deliverability)
    if kind == ContactKind.POSTAL_ADDRESS:
        if point.address is None:
            return _missing(kind, "postal address")
        return check_postal_address(point.address, debtor_kind)
    return ContactCheck(kind=ContactKind.EMAIL, status=INVALID, normalized=None,
                        reasons=("invalid_type",),
                        message=f"Unknown contact point kind {kind!r}.")
