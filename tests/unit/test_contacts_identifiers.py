"""Company and bank identifiers. Examples are those of python-stdnum's documentation (SIREN,
SIRET, TVA, EU VAT), of ISO 13616 / the ECBS IBAN registry (IBAN) and of ISO 9362 (BIC)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.debtors.contacts import (
    MAX_VALUE_LENGTH,
    IdentifierCheck,
    check_bic,
    check_eu_vat,
    check_iban,
    check_siren,
    check_siret,
)

Check = Callable[[str], IdentifierCheck]


# (function, input, normalised)
VALID = [
    (check_siren, "552 008 443", "552008443"),
    (check_siren, "404833048", "404833048"),
    (check_siren, "404.833.048", "404833048"),
    (check_siren, "４０４８３３０４８", "404833048"),  # full-width digits
    (check_siret, "73282932000074", "73282932000074"),
    (check_siret, "732 829 320 00074", "73282932000074"),
    (check_siret, "356 000 000 00048", "35600000000048"),  # La Poste: its own rule, not Luhn
    (check_eu_vat, "FR 61 954 506 077", "FR61954506077"),
    (check_eu_vat, "fr40303265045", "FR40303265045"),
    (check_eu_vat, "FR-40-303-265-045", "FR40303265045"),
    (check_eu_vat, "BE697449992", "BE0697449992"),
    (check_eu_vat, "ATU 57194903", "ATU57194903"),
    (check_eu_vat, "DE136695976", "DE136695976"),
    (check_eu_vat, "EL094259216", "EL094259216"),
    (check_eu_vat, "NL004495445B01", "NL004495445B01"),
    (check_eu_vat, "ESA13585625", "ESA13585625"),
    (check_eu_vat, "IT00743110157", "IT00743110157"),
    (check_iban, "FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606"),
    (check_iban, "fr14 2004 1010 0505 0001 3m02 606", "FR1420041010050500013M02606"),
    (check_iban, "DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
    (check_iban, "GB29 NWBK 6016 1331 9268 19", "GB29NWBK60161331926819"),
    (check_iban, "BE68 5390 0754 7034", "BE68539007547034"),
    (check_iban, "CH93 0076 2011 6238 5295 7", "CH9300762011623852957"),
    (check_bic, "BNPAFRPP", "BNPAFRPP"),
    (check_bic, "bnpa fr pp xxx", "BNPAFRPPXXX"),
    (check_bic, "DEUTDEFF500", "DEUTDEFF500"),
    (check_bic, "NEDSZAJJXXX", "NEDSZAJJXXX"),
]


@pytest.mark.parametrize(("check", "value", "normalized"), VALID)
def test_valid_identifiers(check: Check, value: str, normalized: str) -> None:
    result = check(value)
    assert result.valid, result.message
    assert result.normalized == normalized
    assert result.reasons == ()
    assert normalized in result.message


# (function, input, reasons)
INVALID = [
    (check_siren, "404833047", ("invalid_checksum",)),
    (check_siren, "40483304", ("invalid_length",)),
    (check_siren, "4048330480", ("invalid_length",)),
    (check_siren, "40483304O", ("invalid_format",)),  # letter O for zero
    (check_siren, "٤٠٤٨٣٣٠٤٨", ("invalid_format",)),  # Arabic-Indic digits are not accepted
    (check_siren, "", ("empty",)),
    (check_siren, " - . ", ("empty",)),
    (check_siret, "73282932000079", ("invalid_checksum",)),
    (check_siret, "7328293200007", ("invalid_length",)),
    # French VAT: the key must match the SIREN.
    (check_eu_vat, "FR41303265045", ("invalid_checksum",)),
    (check_eu_vat, "FR84323140391", ("invalid_checksum",)),
    (check_eu_vat, "DE136695977", ("invalid_checksum",)),
    (check_eu_vat, "US123456789", ("unknown_country",)),
    (check_eu_vat, "303265045", ("unknown_country",)),  # a SIREN is not a VAT number
    (check_iban, "FR14 2004 1010 0505 0001 3M02 607", ("invalid_checksum",)),
    (check_iban, "FR14 2004 1010 0505 0001 3M02 60", ("invalid_length",)),
    (check_iban, "XX00 1234", ("unknown_country",)),
    (check_iban, "FR14-2004-1010-0505-0001-3M02-606!", ("invalid_format",)),
    (check_bic, "BNPAFRP", ("invalid_length",)),
    (check_bic, "BNPAXXPP", ("unknown_country",)),
    (check_bic, "BNPA FR PP X", ("invalid_length",)),
]


@pytest.mark.parametrize(("check", "value", "reasons"), INVALID)
def test_invalid_identifiers(check: Check, value: str, reasons: tuple[str, ...]) -> None:
    result = check(value)
    assert not result.valid
    assert result.normalized is None
    assert result.reasons == reasons
    assert result.message


def test_french_vat_message_names_the_siren() -> None:
    result = check_eu_vat("FR40303265045")
    assert "303265045" in result.message


def test_iban_outside_sepa_is_valid_with_a_note() -> None:
    result = check_iban("MA64 0115 1900 0001 2050 0053 4921")
    assert result.valid
    assert result.reasons == ("outside_sepa",)
    assert "SEPA" in result.message


def test_kinds() -> None:
    assert check_siren("404833048").kind == "siren"
    assert check_siret("73282932000074").kind == "siret"
    assert check_eu_vat("FR40303265045").kind == "eu_vat"
    assert check_iban("BE68539007547034").kind == "iban"
    assert check_bic("BNPAFRPP").kind == "bic"


CHECKS = [check_siren, check_siret, check_eu_vat, check_iban, check_bic]


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("value", ["\u202eFR40303265045", "<b>404833048</b>", "\x00",
                                   "1" * (MAX_VALUE_LENGTH + 1), "🏦", "a" * 10_000])
def test_hostile_input(check: Check, value: str) -> None:
    result = check(value)
    assert not result.valid
    assert result.reasons in (("invalid_format",), ("too_long",))


def test_schwifty_is_imported_lazily() -> None:
    root = Path(__file__).resolve().parents[2]
    code = ("import sys; import domain.debtors.contacts; "
            "assert 'schwifty' not in sys.modules; "
            "domain.debtors.contacts.check_iban('BE68539007547034'); "
            "assert 'schwifty' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, env={"PYTHONPATH": "src"},
                   cwd=str(root))


PIECES = st.characters() | st.sampled_from(
    [*"0123456789 .-/FRDEBE\u202e\u200b\x00\ud800", "FR76", "XXX", "🏦", "ＦＲ"])


@settings(max_examples=200, deadline=None)
@given(value=st.lists(PIECES, max_size=40).map("".join) | st.text(max_size=400),
       check=st.sampled_from(CHECKS))
def test_identifier_checks_are_total(value: str, check: Check) -> None:
    result = check(value)
    assert isinstance(result, IdentifierCheck)
    assert "validation_error" not in result.reasons
    assert result.message
    if result.valid:
        assert result.normalized is not None
        assert result.normalized.isascii() and result.normalized.isalnum()
        assert result.normalized == result.normalized.upper()
    else:
        assert result.normalized is None and result.reasons
