"""Phone numbers: how French people write them, the overseas departments, line types and
channels, service numbers, hostile input. Expected values come from the French numbering
plan (ARCEP: 06/07 mobiles, 01-05 geographic, 09 VoIP-capable, 080 free, 089 premium) and
libphonenumber's documented types."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.debtors.contacts import MAX_VALUE_LENGTH, ContactCheck, check_contact_point, check_phone
from domain.debtors.model import ContactKind, ContactPoint, DebtorKind

E164 = re.compile(r"^\+[1-9]\d{6,14}$")

# (input, debtor country, status, E.164, line type, channels)
WRITTEN_FORMS = [
    ("06 12 34 56 78", "FR", "+33612345678"),
    ("0612345678", "FR", "+33612345678"),
    ("06.12.34.56.78", "FR", "+33612345678"),
    ("06-12-34-56-78", "FR", "+33612345678"),
    ("06/12/34/56/78", "FR", "+33612345678"),
    ("(06) 12 34 56 78", "FR", "+33612345678"),
    ("+33 6 12 34 56 78", "FR", "+33612345678"),
    ("+33612345678", "FR", "+33612345678"),
    ("0033612345678", "FR", "+33612345678"),
    ("00 33 6 12 34 56 78", "FR", "+33612345678"),
    ("+33 (0)6 12 34 56 78", "FR", "+33612345678"),
    ("+33 0 6 12 34 56 78", "FR", "+33612345678"),
    ("06\u00a012\u00a034\u00a056\u00a078", "FR", "+33612345678"),  # non-breaking spaces
    ("06\u202f12\u202f34\u202f56\u202f78", "FR", "+33612345678"),  # narrow NBSP (French typography)
    ("０６１２３４５６７８", "FR", "+33612345678"),  # full-width digits
    ("tel:+33612345678", "FR", "+33612345678"),  # RFC 3966 URI
    (" 06 12 34 56 78 ", "FR", "+33612345678"),
    ("07 81 23 45 67", "FR", "+33781234567"),
    # The debtor's country only matters for numbers written without a country code.
    ("+33 6 12 34 56 78", "DE", "+33612345678"),
    ("+33 6 12 34 56 78", "XX", "+33612345678"),
]


@pytest.mark.parametrize(("value", "country", "e164"), WRITTEN_FORMS)
def test_french_mobile_written_every_usual_way(value: str, country: str, e164: str) -> None:
    result = check_phone(value, country)
    assert result.status == "valid", result.message
    assert result.normalized == e164
    assert result.line_type == "mobile"
    assert result.channels == ("phone", "sms")
    assert result.kind is ContactKind.PHONE
    assert result.reasons == ()


# Overseas departments share the French national numbering (trunk prefix 0) but have their
# own country codes: a national number that is not metropolitan is read in those regions.
OVERSEAS = [
    ("0692 12 34 56", "FR", "+262692123456", "mobile"),  # Réunion mobile
    ("0262 16 12 34", "FR", "+262262161234", "fixed_line"),  # Réunion landline
    ("0639 01 23 45", "FR", "+262639012345", "mobile"),  # Mayotte mobile
    ("0690 00 12 34", "FR", "+590690001234", "mobile"),  # Guadeloupe mobile
    ("0590 20 12 34", "FR", "+590590201234", "fixed_line"),  # Guadeloupe landline
    ("0696 20 12 34", "FR", "+596696201234", "mobile"),  # Martinique mobile
    ("0694 20 12 34", "FR", "+594694201234", "mobile"),  # Guyane mobile
    ("0692 12 34 56", "RE", "+262692123456", "mobile"),  # already in the right region
    ("06 12 34 56 78", "RE", "+33612345678", "mobile"),  # metropolitan mobile, debtor in RE
    ("+262 692 12 34 56", "FR", "+262692123456", "mobile"),
]


@pytest.mark.parametrize(("value", "country", "e164", "line_type"), OVERSEAS)
def test_overseas_department_numbers(value: str, country: str, e164: str,
                                     line_type: str) -> None:
    result = check_phone(value, country)
    assert result.status == "valid", result.message
    assert result.normalized == e164
    assert result.line_type == line_type


def test_overseas_reinterpretation_is_reported() -> None:
    result = check_phone("0692 12 34 56", "FR")
    assert any("RE" in change and "+262" in change for change in result.changes)
    assert check_phone("06 12 34 56 78", "FR").changes == ()


def test_overseas_retry_is_only_for_the_french_numbering() -> None:
    # A Belgian debtor's national number is read as Belgian, never guessed as French.
    result = check_phone("0692 12 34 56", "BE")
    assert result.status == "invalid"
    assert result.normalized is None


# (input, country, status, E.164, line type, channels, reasons)
LINE_TYPES = [
    ("01 42 68 53 00", "FR", "valid", "+33142685300", "fixed_line", ("phone",), ()),
    ("04 11 11 11 11", "FR", "valid", "+33411111111", "fixed_line", ("phone",), ()),
    ("09 70 12 34 56", "FR", "valid", "+33970123456", "voip", ("phone",), ()),
    ("0800 12 34 56", "FR", "valid", "+33800123456", "toll_free", ("phone",), ()),
    ("0810 12 34 56", "FR", "valid", "+33810123456", "shared_cost", ("phone",), ()),
    ("+41 44 668 18 00", "FR", "valid", "+41446681800", "fixed_line", ("phone",), ()),
    ("+32 470 12 34 56", "FR", "valid", "+32470123456", "mobile", ("phone", "sms"), ()),
    ("+49 1512 3456789", "FR", "valid", "+4915123456789", "mobile", ("phone", "sms"), ()),
    ("+212 6 12 34 56 78", "FR", "valid", "+212612345678", "mobile", ("phone", "sms"), ()),
    ("0470 12 34 56", "BE", "valid", "+32470123456", "mobile", ("phone", "sms"), ()),
    # North American numbers do not tell mobiles from landlines: callable, not SMS-capable.
    ("+1 650 253 0000", "FR", "valid", "+16502530000", "fixed_line_or_mobile", ("phone",), ()),
    ("(650) 253-0000", "US", "valid", "+16502530000", "fixed_line_or_mobile", ("phone",), ()),
    # UK 070 personal numbers forward calls elsewhere.
    ("+44 70 1234 5678", "FR", "risky", "+447012345678", "personal_number", ("phone",),
     ("personal_number",)),
    ("+44 76 2412 3456", "FR", "valid", "+447624123456", "mobile", ("phone", "sms"), ()),
]


@pytest.mark.parametrize(("value", "country", "status", "e164", "line_type", "channels",
                          "reasons"), LINE_TYPES)
def test_line_types_and_channels(value: str, country: str, status: str, e164: str,
                                 line_type: str, channels: tuple[str, ...],
                                 reasons: tuple[str, ...]) -> None:
    result = check_phone(value, country)
    assert result.status == status, result.message
    assert result.normalized == e164
    assert result.line_type == line_type
    assert result.channels == channels
    assert result.reasons == reasons


def test_only_mobiles_are_sms_capable() -> None:
    for value, _country, status, _e164, line_type, channels, _r in LINE_TYPES:
        if status in ("valid", "risky"):
            assert ("sms" in channels) == (line_type == "mobile"), value


# (input, country, reasons, line type)
REFUSED = [
    # Premium rate (089x in France, 1-900 in North America, 09 in the UK).
    ("08 92 68 10 00", "FR", ("premium_rate",), "premium_rate"),
    ("0899 12 34 56", "FR", ("premium_rate",), "premium_rate"),
    ("+1 900 555 0199", "FR", ("premium_rate",), "premium_rate"),
    ("+44 9090 123456", "FR", ("premium_rate",), "premium_rate"),
    # Short numbers: service (premium-rated in libphonenumber's data), emergency.
    ("3631", "FR", ("short_number", "premium_rate"), None),
    ("36 31", "FR", ("short_number", "premium_rate"), None),
    ("118 712", "FR", ("short_number", "premium_rate"), None),
    ("3949", "FR", ("short_number", "premium_rate"), None),
    ("15", "FR", ("short_number", "emergency_number"), None),
    ("112", "FR", ("short_number", "emergency_number"), None),
    # Shape of a number, range not assigned (07 0x is not allocated by ARCEP).
    ("07 12 34 56 78", "FR", ("not_a_valid_number",), None),
    ("+44 7700 900123", "FR", ("not_a_valid_number",), None),
    # Length.
    ("06 12", "FR", ("too_short",), None),
    ("0612 34 56 789", "FR", ("too_many_digits",), None),
    ("+86 10 1234", "FR", ("invalid_length",), None),  # a length China's plan skips
    ("+33 6 12 34 56 78 9", "FR", ("too_many_digits",), None),
    ("06 12 34 56 78 / 06 99 88 77 66", "FR", ("too_many_digits",), None),
    # Not a number at all.
    ("abc", "FR", ("not_a_number",), None),
    ("1-800-FLOWERS", "US", ("not_a_number",), None),
    ("06 12 34 56 78 abc", "FR", ("not_a_number",), None),
    ("+", "FR", ("not_a_number",), None),
    ("", "FR", ("empty",), None),
    ("   ", "FR", ("empty",), None),
    # A national number for a debtor whose country is no region.
    ("06 12 34 56 78", "XX", ("unknown_country",), None),
    ("06 12 34 56 78", "", ("unknown_country",), None),
    ("+999 123456789", "FR", ("invalid_country_code",), None),
]


@pytest.mark.parametrize(("value", "country", "reasons", "line_type"), REFUSED)
def test_refused_numbers(value: str, country: str, reasons: tuple[str, ...],
                         line_type: str | None) -> None:
    result = check_phone(value, country)
    assert result.status == "invalid", result.message
    assert result.reasons == reasons
    assert result.line_type == line_type
    assert result.channels == ()
    assert result.message


def test_premium_rate_still_reports_the_number_it_is() -> None:
    result = check_phone("08 92 68 10 00", "FR")
    assert result.normalized == "+33892681000"


EXTENSIONS = [
    ("06 12 34 56 78 poste 12", "12"),
    ("06 12 34 56 78 ext. 12", "12"),
    ("06 12 34 56 78 x12", "12"),
    ("+33612345678;ext=12", "12"),
    ("01 42 68 53 00 #204", "204"),
]


@pytest.mark.parametrize(("value", "extension"), EXTENSIONS)
def test_extension_is_dropped_and_said(value: str, extension: str) -> None:
    result = check_phone(value, "FR")
    assert result.status == "valid"
    assert result.reasons == ("extension_dropped",)
    assert result.normalized is not None and ";" not in result.normalized
    assert any(extension in change for change in result.changes)
    assert extension in result.message


HOSTILE = [
    ("\u202e06 12 34 56 78", ("control_characters",)),  # right-to-left override
    ("06 12 34 56 78\u2066", ("control_characters",)),  # isolate
    ("06 12 34\x0056 78", ("control_characters",)),  # NUL
    ("06 12 34 56 78\n07 12 34 56 78", ("control_characters",)),
    ("06 12 34 56 78\x85", ("control_characters",)),  # C1 next line
    ("<b>06 12 34 56 78</b>", ("markup",)),
    ("06 12 34 56 78 &nbsp;", ("markup",)),
    ("📞 06 12 34 56 78", ("unsupported_characters",)),
    ("0" * (MAX_VALUE_LENGTH + 1), ("too_long",)),
    ("06 12 34 56 78" * 1000, ("too_long",)),
]


@pytest.mark.parametrize(("value", "reasons"), HOSTILE)
def test_hostile_input_is_invalid(value: str, reasons: tuple[str, ...]) -> None:
    result = check_phone(value, "FR")
    assert result.status == "invalid"
    assert result.reasons == reasons
    assert result.normalized is None


def test_zero_width_characters_are_removed_and_reported() -> None:
    result = check_phone("06\u200b12 34 56 78", "FR")
    assert result.status == "valid"
    assert result.normalized == "+33612345678"
    assert any("zero-width" in change for change in result.changes)


def test_default_country_is_case_insensitive() -> None:
    assert check_phone("06 12 34 56 78", " fr ").normalized == "+33612345678"


def test_check_contact_point_dispatches_phones() -> None:
    point = ContactPoint(id="cp1", kind=ContactKind.PHONE, value="06 12 34 56 78")
    result = check_contact_point(point, "FR", DebtorKind.CONSUMER)
    assert result == check_phone("06 12 34 56 78", "FR")
    missing = check_contact_point(ContactPoint(id="cp2", kind=ContactKind.PHONE), "FR",
                                  DebtorKind.CONSUMER)
    assert missing.status == "invalid" and missing.reasons == ("empty",)


def test_result_is_frozen() -> None:
    result = check_phone("06 12 34 56 78", "FR")
    with pytest.raises(AttributeError):
        result.status = "invalid"  # type: ignore[misc]


# Pieces of phone-like and hostile text: digits and separators, bidi and zero-width
# characters, NUL, C1 controls, a lone surrogate, markup, emoji, extension words.
PIECES = st.characters() | st.sampled_from(
    [*"0123456789 +()-./#x\u202e\u2066\u200b\u00a0\x00\x85\ud800<>&;",
     "📞", "poste", "ext.", "+33", "06", "<b>", "&amp;", "tel:", "\U0001f3fb"])
PHONE_LIKE = st.lists(PIECES, max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(value=PHONE_LIKE | st.text(max_size=400),
       country=st.sampled_from(["FR", "RE", "BE", "US", "GB", "", "XX", "fr", "\u202e"])
       | st.text(max_size=4))
def test_check_phone_is_total(value: str, country: str) -> None:
    result = check_phone(value, country)
    assert isinstance(result, ContactCheck)
    assert result.status in ("valid", "invalid", "risky", "unverified")
    assert "validation_error" not in result.reasons
    assert result.message
    if result.status in ("valid", "risky"):
        assert isinstance(result.normalized, str) and E164.match(result.normalized)
        assert result.channels and result.channels[0] == "phone"
        assert ("sms" in result.channels) == (result.line_type == "mobile")
    else:
        assert result.reasons and result.channels == ()


def test_module_import_does_not_load_schwifty() -> None:
    code = ("import sys; import domain.debtors.contacts; "
            "assert 'schwifty' not in sys.modules, 'schwifty imported at module top'")
    subprocess.run([sys.executable, "-c", code], check=True, env={"PYTHONPATH": "src"},
                   cwd=str(__import__("pathlib").Path(__file__).resolve().parents[2]))
