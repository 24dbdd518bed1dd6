"""Phone numbers: parsed with Google's libphonenumber (the `phonenumbers` port), stored in
E.164, with their line type and the channels they can serve.

Decisions:
- Only numbers of line type "mobile" are SMS-capable. "fixed_line_or_mobile" (the type of
  every North American number, where the numbering plan does not tell mobiles from
  landlines) is callable but not SMS-capable: an SMS to a landline is silently lost or
  read out by a robot, and a reminder that may not arrive must not count as sent.
- Premium-rate numbers and short numbers ("3631", "118 712", "15") are invalid for
  collection: a debtor cannot be reached there, and calling them costs the creditor.
- Pagers cannot take a call: invalid. Personal numbers (forwarding services, UK 070) and
  voicemail-access numbers are callable but "risky".
- French numbering is shared by metropolitan France and the overseas departments, all with
  trunk prefix 0 but with their own country codes (+262 Réunion/Mayotte, +590 Guadeloupe,
  +594 Guyane, +596 Martinique, +508 Saint-Pierre-et-Miquelon). A number written nationally
  ("0692 12 34 56") for a debtor in France is therefore read again in those regions when it
  is not a valid metropolitan number (and a metropolitan number written nationally for a
  debtor in Réunion is read as French).
- An extension ("ext. 12", "poste 12") cannot be carried by E.164: it is dropped from the
  stored number and reported.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberType, shortnumberinfo
from phonenumbers.phonenumberutil import ValidationResult

from domain.debtors.contacts._common import (
    INVALID,
    MAX_VALUE_LENGTH,
    RISKY,
    VALID,
    ContactCheck,
    dedupe,
    scan_text,
    total_contact_check,
)
from domain.debtors.model import ContactKind

_KIND = ContactKind.PHONE

LINE_TYPES: dict[int, str] = {
    PhoneNumberType.FIXED_LINE: "fixed_line",
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
    PhoneNumberType.TOLL_FREE: "toll_free",
    PhoneNumberType.PREMIUM_RATE: "premium_rate",
    PhoneNumberType.SHARED_COST: "shared_cost",
    PhoneNumberType.VOIP: "voip",
    PhoneNumberType.PERSONAL_NUMBER: "personal_number",
    PhoneNumberType.PAGER: "pager",
    PhoneNumberType.UAN: "uan",
    PhoneNumberType.VOICEMAIL: "voicemail",
    PhoneNumberType.UNKNOWN: "unknown",
}

# Regions that share the French national numbering with trunk prefix 0, in retry order.
FRENCH_NUMBERING_REGIONS: tuple[str, ...] = ("FR", "RE", "YT", "GP", "MQ", "GF", "PM", "BL", "MF")
_FRENCH_NUMBERING = frozenset(FRENCH_NUMBERING_REGIONS)

_SUPPORTED_REGIONS = frozenset(phonenumbers.SUPPORTED_REGIONS)

_TEL_URI = re.compile(r"^tel:", re.IGNORECASE)
# Anchored on the tail and searched on whitespace-collapsed text: a pattern that also
# matched the number part backtracked catastrophically on long runs of spaces.
_EXTENSION = re.compile(
    r"\s?[,;]?\s?(?:extension|ext=|ext\.?|x|poste|p\.|#)\s?(?P<ext>\d{1,7})\s?$",
    re.IGNORECASE,
)
# What may remain once an extension is split off: digits of any script, the separators the
# French and others use, and a leading plus.
_ALLOWED = re.compile(r"^[\d\s+\uff0b().\-/\u2010-\u2015\u2212]*$")


def _result(status: str, normalized: str | None, reasons: list[str], message: str, *,
            line_type: str | None = None, channels: tuple[str, ...] = (),
            changes: list[str] | None = None) -> ContactCheck:
    return ContactCheck(kind=_KIND, status=status, normalized=normalized,
                        reasons=dedupe(reasons), message=message, line_type=line_type,
                        channels=channels if status in (VALID, RISKY) else (),
                        changes=tuple(changes or ()))


def _invalid(reason: str | list[str], message: str, changes: list[str] | None = None,
             *, line_type: str | None = None, normalized: str | None = None) -> ContactCheck:
    reasons = [reason] if isinstance(reason, str) else reason
    return _result(INVALID, normalized, reasons, message, changes=changes, line_type=line_type)


def _short_number(value: str, region: str | None) -> ContactCheck | None:
    """If `value` is a short number (service, emergency) in `region`, the invalid result."""
    if region is None or value.lstrip().startswith("+"):
        return None
    try:
        parsed = phonenumbers.parse(value, region)
    except NumberParseException:
        return None
    if not shortnumberinfo.is_valid_short_number_for_region(parsed, region):
        return None
    reasons = ["short_number"]
    extra = ""
    if shortnumberinfo.is_emergency_number(str(parsed.national_number), region):
        reasons.append("emergency_number")
        extra = ", an emergency number"
    elif shortnumberinfo.expected_cost_for_region(parsed, region) == \
            shortnumberinfo.ShortNumberCost.PREMIUM_RATE:
        reasons.append("premium_rate")
        extra = ", charged at a premium rate"
    return _invalid(reasons, f"{value.strip()!r} is a short service number in {region}{extra}: "
                             "a debtor cannot be reached there.")


def _parse(value: str, region: str | None) -> PhoneNumber | NumberParseException:
    try:
        return phonenumbers.parse(value, region, keep_raw_input=True)
    except NumberParseException as exc:
        return exc


def _written_nationally(number: PhoneNumber) -> bool:
    return bool(number.country_code_source == phonenumbers.CountryCodeSource.FROM_DEFAULT_COUNTRY)


@total_contact_check(_KIND)
def check_phone(value: str, default_country: str) -> ContactCheck:
    """Validate and normalise a phone number written the way people write them; the debtor's
    country (ISO 3166-1 alpha-2) is the region for numbers written without a country code."""
    if not isinstance(value, str):
        return _invalid("invalid_type", "The phone number must be a string.")
    if len(value) > MAX_VALUE_LENGTH:
        return _invalid("too_long", f"The phone number is {len(value)} characters long, more than "
                                    f"the {MAX_VALUE_LENGTH} accepted.")
    scan = scan_text(value)
    changes = list(scan.notes)
    if scan.problems:
        return _invalid(list(scan.problems), f"The phone number is refused: {scan.detail}.",
                        changes)
    text = scan.text.strip()
    if not text:
        return _invalid("empty", "The phone number is empty.", changes)

    region_in = default_country.strip().upper() if isinstance(default_country, str) else ""
    region = region_in if region_in in _SUPPORTED_REGIONS else None

    if _TEL_URI.match(text):
        text = text[4:].strip()
        changes.append("'tel:' prefix removed")
    extension: str | None = None
    ext_match = _EXTENSION.search(" ".join(text.split()))
    if ext_match and any(ch.isdigit() for ch in ext_match.string[:ext_match.start()]):
        text = ext_match.string[:ext_match.start()].strip()
        extension = ext_match.group("ext")
    if not _ALLOWED.match(text):
        return _invalid("not_a_number", f"{text[:40]!r} is not a phone number: only digits, "
                                        "spaces, '+', '(', ')', '.', '-' and '/' are accepted.",
                        changes)
    digits = sum(ch.isdigit() for ch in text)
    if digits == 0:
        return _invalid("not_a_number", "The phone number contains no digit.", changes)

    parsed = _parse(text, region)
    if isinstance(parsed, NumberParseException):
        return _parse_failure(parsed, text, region, region_in, changes)

    possible = phonenumbers.is_possible_number_with_reason(parsed)
    if possible != ValidationResult.IS_POSSIBLE:
        short = _short_number(text, region) if digits <= 6 else None
        if short is not None:
            return short
        if possible in (ValidationResult.TOO_SHORT, ValidationResult.INVALID_LENGTH) and \
                _written_nationally(parsed):
            alternative = _french_overseas(text, region)
            if alternative is not None:
                parsed, note = alternative
                changes.append(note)
                return _classify(parsed, extension, changes)
        code, what = {
            ValidationResult.TOO_SHORT: ("too_short", "too few digits"),
            ValidationResult.TOO_LONG: ("too_many_digits", "too many digits"),
            ValidationResult.INVALID_COUNTRY_CODE: ("invalid_country_code",
                                                    "an unknown country code"),
        }.get(possible, ("invalid_length", "a number of digits no number of that country has"))
        return _invalid(code, f"{text!r} has {what} for a phone number of "
                              f"+{parsed.country_code}.", changes)

    # number_type() is UNKNOWN exactly when is_valid_number() is false; one pass, not two.
    number_type = phonenumbers.number_type(parsed)
    if number_type == PhoneNumberType.UNKNOWN:
        if _written_nationally(parsed):
            alternative = _french_overseas(text, region)
            if alternative is not None:
                parsed, note = alternative
                changes.append(note)
                return _classify(parsed, extension, changes)
        e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        return _invalid("not_a_valid_number",
                        f"{text!r} ({e164}) has the shape of a phone number but is not in an "
                        "assigned range.", changes)
    return _classify(parsed, extension, changes, number_type)


def _parse_failure(exc: NumberParseException, text: str, region: str | None, region_in: str,
                   changes: list[str]) -> ContactCheck:
    kind = exc.error_type
    if kind == NumberParseException.INVALID_COUNTRY_CODE:
        if region is None and not text.startswith(("+", "00")):
            return _invalid("unknown_country",
                            f"{text!r} has no country code and the debtor's country "
                            f"{region_in!r} is not a known region to read it in.", changes)
        return _invalid("invalid_country_code", f"{text!r} starts with an unknown country code.",
                        changes)
    if kind in (NumberParseException.TOO_SHORT_NSN, NumberParseException.TOO_SHORT_AFTER_IDD):
        short = _short_number(text, region)
        if short is not None:
            return short
        return _invalid("too_short", f"{text!r} has too few digits for a phone number.", changes)
    if kind == NumberParseException.TOO_LONG:
        return _invalid("too_many_digits", f"{text[:40]!r} has too many digits for one phone "
                                           "number (two numbers in one field?).", changes)
    return _invalid("not_a_number", f"{text[:40]!r} is not a phone number.", changes)


def _french_overseas(text: str, region: str | None) -> tuple[PhoneNumber, str] | None:
    """A nationally written number that is not valid in the debtor's region, read again in
    the other regions of the French numbering plan."""
    if region not in _FRENCH_NUMBERING:
        return None
    for other in FRENCH_NUMBERING_REGIONS:
        if other == region:
            continue
        try:
            candidate = phonenumbers.parse(text, other)
        except NumberParseException:
            continue
        if phonenumbers.number_type(candidate) != PhoneNumberType.UNKNOWN:
            found = phonenumbers.region_code_for_number(candidate) or other
            return candidate, (f"national number read in the French numbering of {found} "
                               f"(+{candidate.country_code}): it is not a valid {region} number")
    return None


_CHANNELS_BY_TYPE: dict[str, tuple[str, ...]] = {"mobile": ("phone", "sms")}
_LABELS = {"personal_number": "personal", "uan": "universal access (UAN)",
           "fixed_line_or_mobile": "fixed-line-or-mobile", "fixed_line": "fixed-line",
           "toll_free": "toll-free", "shared_cost": "shared-cost", "voip": "VoIP",
           "premium_rate": "premium-rate", "voicemail": "voicemail-access",
           "unknown": "unclassified"}


def _classify(number: PhoneNumber, extension: str | None, changes: list[str],
              number_type: int | None = None) -> ContactCheck:
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if number_type is None:
        number_type = phonenumbers.number_type(number)
    line_type = LINE_TYPES.get(number_type, "unknown")
    region = phonenumbers.region_code_for_number(number) or f"+{number.country_code}"
    reasons: list[str] = []
    if extension is None and number.extension:
        extension = number.extension
    if extension:
        reasons.append("extension_dropped")
        changes.append(f"extension {extension} dropped: E.164 cannot carry it")
    label = _LABELS.get(line_type, line_type.replace("_", " "))
    if line_type == "premium_rate":
        return _invalid("premium_rate", f"{e164} is a premium-rate number ({region}): not a "
                                        "number to reach a debtor on.", changes,
                        line_type=line_type, normalized=e164)
    if line_type == "pager":
        return _invalid("pager", f"{e164} is a pager number ({region}): it cannot take a call.",
                        changes, line_type=line_type, normalized=e164)
    status = VALID
    if line_type == "personal_number":
        status = RISKY
        reasons.append("personal_number")
    elif line_type == "voicemail":
        status = RISKY
        reasons.append("voicemail_only")
    channels = _CHANNELS_BY_TYPE.get(line_type, ("phone",))
    can = "calls and SMS" if "sms" in channels else "calls only (SMS needs a mobile number)"
    caveat = ""
    if status == RISKY:
        caveat = (" but it forwards to another line" if line_type == "personal_number"
                  else " but it only reaches a voicemail")
    ext_note = f", extension {extension} dropped" if extension else ""
    message = (f"{'Valid' if status == VALID else 'Usable'} {label} number ({region}) stored as "
               f"{e164}{ext_note}{caveat}; it can take {can}.")
    return _result(status, e164, reasons, message, line_type=line_type, channels=channels,
                   changes=changes)
