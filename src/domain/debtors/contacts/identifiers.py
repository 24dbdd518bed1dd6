"""Company and bank identifiers: SIREN, SIRET, intra-EU VAT number (python-stdnum), IBAN and
BIC (schwifty).

schwifty is imported inside the functions that need it: importing it costs tens of
milliseconds (its bank registry), paid only when a creditor's bank details are checked,
never on the API's cold start.

Input is NFKC-normalised (full-width digits become ASCII) and spaces, dots and hyphens are
ignored; any other non-ASCII character makes the value invalid ("invalid_format").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from stdnum import exceptions as stdnum_errors
from stdnum.eu import vat as eu_vat
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret

from domain.debtors.contacts._common import (
    MAX_VALUE_LENGTH,
    IdentifierCheck,
    dedupe,
    total_identifier_check,
)

_SEPARATORS = re.compile(r"[\s.\-/]")
_ALNUM = re.compile(r"^[A-Z0-9]*$")

_STDNUM_REASONS: tuple[tuple[type[Exception], str, str], ...] = (
    (stdnum_errors.InvalidChecksum, "invalid_checksum", "its check digits are wrong"),
    (stdnum_errors.InvalidLength, "invalid_length", "it has the wrong number of characters"),
    (stdnum_errors.InvalidFormat, "invalid_format", "it has characters that do not belong"),
    (stdnum_errors.InvalidComponent, "invalid_component", "a part of it is unknown"),
)


LABELS: dict[str, str] = {"siren": "SIREN", "siret": "SIRET", "eu_vat": "VAT number",
                          "iban": "IBAN", "bic": "BIC"}


def _prepare(value: object, kind: str) -> str | IdentifierCheck:
    """The compact upper-case value, or the invalid result."""
    label = LABELS[kind]
    if not isinstance(value, str):
        return IdentifierCheck(False, None, ("invalid_type",), f"The {label} must be a string.",
                               kind)
    if len(value) > MAX_VALUE_LENGTH:
        return IdentifierCheck(False, None, ("too_long",),
                               f"The {label} is {len(value)} characters long, more than the "
                               f"{MAX_VALUE_LENGTH} accepted.", kind)
    compact = _SEPARATORS.sub("", unicodedata.normalize("NFKC", value)).upper()
    if not compact:
        return IdentifierCheck(False, None, ("empty",), f"The {label} is empty.", kind)
    if not compact.isascii() or not _ALNUM.match(compact):
        return IdentifierCheck(False, None, ("invalid_format",),
                               f"The {label} may only contain letters and digits.", kind)
    return compact


def _stdnum(value: str, kind: str, validate: Callable[[str], str]) -> IdentifierCheck:
    label = LABELS[kind]
    prepared = _prepare(value, kind)
    if isinstance(prepared, IdentifierCheck):
        return prepared
    try:
        normalized = validate(prepared)
    except stdnum_errors.ValidationError as exc:
        for error_type, reason, phrase in _STDNUM_REASONS:
            if isinstance(exc, error_type):
                return IdentifierCheck(False, None, (reason,),
                                       f"{prepared[:40]!r} is not a valid {label}: {phrase}.", kind)
        return IdentifierCheck(False, None, ("invalid_format",),
                               f"{prepared[:40]!r} is not a valid {label}.", kind)
    return IdentifierCheck(True, normalized, (), f"Valid {label} {normalized}.", kind)


@total_identifier_check("siren")
def check_siren(value: str) -> IdentifierCheck:
    """A SIREN (9 digits, Luhn key). Normalised: 9 digits, no spaces."""
    return _stdnum(value, "siren", fr_siren.validate)


@total_identifier_check("siret")
def check_siret(value: str) -> IdentifierCheck:
    """A SIRET (SIREN + 5-digit establishment number, Luhn key; La Poste's own SIRETs follow
    their special rule). Normalised: 14 digits."""
    return _stdnum(value, "siret", fr_siret.validate)


@total_identifier_check("eu_vat")
def check_eu_vat(value: str) -> IdentifierCheck:
    """An intra-EU VAT number with its country prefix ("FR40303265045", "DE136695976",
    "EL094259216"). For France the key must match the SIREN it embeds."""
    result = _stdnum(value, "eu_vat", eu_vat.validate)
    if not result.valid or result.normalized is None:
        if isinstance(value, str) and result.reasons == ("invalid_component",):
            return IdentifierCheck(False, None, ("unknown_country",),
                                   "The VAT number does not start with the code of an EU member "
                                   "state (e.g. FR, DE, EL for Greece, XI for Northern Ireland).",
                                   "eu_vat")
        return result
    number = result.normalized
    if number.startswith("FR") and number[4:].isdigit():
        siren = number[4:]
        return IdentifierCheck(True, number, (),
                               f"Valid French VAT number {number}: its key {number[2:4]} matches "
                               f"SIREN {siren}.", "eu_vat")
    return result


_IBAN_REASONS: dict[str, tuple[str, str]] = {
    "InvalidChecksumDigits": ("invalid_checksum", "its check digits are wrong"),
    "InvalidBBANChecksum": ("invalid_checksum", "the national account key (RIB key) is wrong"),
    "InvalidLength": ("invalid_length", "it has the wrong length for its country"),
    "InvalidStructure": ("invalid_format", "its structure does not match its country's"),
    "InvalidCountryCode": ("unknown_country", "its country code is unknown"),
    "InvalidBankCode": ("invalid_component", "its bank code is invalid"),
    "InvalidBranchCode": ("invalid_component", "its branch code is invalid"),
    "InvalidAccountCode": ("invalid_component", "its account number is invalid"),
}


def _schwifty_reason(exc: Exception) -> tuple[str, str]:
    for cls in type(exc).__mro__:
        if cls.__name__ in _IBAN_REASONS:
            return _IBAN_REASONS[cls.__name__]
    return "invalid_format", "it is not well formed"


@total_identifier_check("iban")
def check_iban(value: str) -> IdentifierCheck:
    """An IBAN (ISO 13616: country, check digits, national account number). Normalised:
    compact upper case. Valid IBANs outside the SEPA zone carry the reason "outside_sepa"."""
    prepared = _prepare(value, "iban")
    if isinstance(prepared, IdentifierCheck):
        return prepared
    from schwifty import IBAN
    from schwifty.exceptions import SchwiftyException

    try:
        iban = IBAN(prepared)
    except (SchwiftyException, ValueError) as exc:
        reason, phrase = _schwifty_reason(exc)
        return IdentifierCheck(False, None, (reason,),
                               f"{prepared[:40]!r} is not a valid IBAN: {phrase}.", "iban")
    reasons: list[str] = []
    note = ""
    if not iban.in_sepa_zone:
        reasons.append("outside_sepa")
        note = "; it is outside the SEPA zone, so debtors cannot pay it by SEPA transfer"
    bic = iban.bic
    bank = f" (bank BIC {bic})" if bic is not None else ""
    return IdentifierCheck(True, str(iban.compact), dedupe(reasons),
                           f"Valid IBAN {iban.compact}{bank}{note}.", "iban")


@total_identifier_check("bic")
def check_bic(value: str) -> IdentifierCheck:
    """A BIC (ISO 9362: bank, country, location, optional branch; 8 or 11 characters).
    Normalised: upper case, as given (8 or 11 characters)."""
    prepared = _prepare(value, "bic")
    if isinstance(prepared, IdentifierCheck):
        return prepared
    from schwifty import BIC
    from schwifty.exceptions import SchwiftyException

    try:
        bic = BIC(prepared)
    except (SchwiftyException, ValueError) as exc:
        name = type(exc).__name__
        reason = {"InvalidLength": "invalid_length", "InvalidCountryCode": "unknown_country"}.get(
            name, "invalid_format")
        return IdentifierCheck(False, None, (reason,),
                               f"{prepared[:40]!r} is not a valid BIC: {exc}.", "bic")
    return IdentifierCheck(True, str(bic.compact), (),
                           f"Valid BIC {bic.compact} ({bic.country_code}).", "bic")


def check_identifier(kind: str, value: str) -> IdentifierCheck:
    """Check an identifier by its kind: siren, siret, vat_number, iban or bic."""
    checks = {"siren": check_siren, "siret": check_siret, "vat_number": check_eu_vat,
              "iban": check_iban, "bic": check_bic}
    if kind not in checks:
        raise ValueError(f"unknown identifier kind {kind!r}")
    return checks[kind](value)
