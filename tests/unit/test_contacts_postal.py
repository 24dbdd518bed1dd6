"""Postal addresses: the AFNOR NF Z10-011 block (6 lines of 38 characters, order of the
lines for a company and for a person, capitals and no punctuation from line 4 on,
abbreviations only when a line does not fit, CEDEX, Corsica, overseas), French postal
codes, international formats, hostile input."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.debtors.contacts import (
    MAX_VALUE_LENGTH,
    ContactCheck,
    check_contact_point,
    check_postal_address,
)
from domain.debtors.contacts._countries import COUNTRY_NAMES_FR, POSTAL_RULES
from domain.debtors.contacts.postal import classify_line, first_names
from domain.debtors.model import ContactKind, ContactPoint, DebtorKind, PostalAddress

B = DebtorKind.BUSINESS
C = DebtorKind.CONSUMER


def addr(recipient: str, *lines: str, code: str = "75011", city: str = "Paris",
         country: str = "FR") -> PostalAddress:
    return PostalAddress(recipient=recipient, lines=tuple(lines), postal_code=code, city=city,
                         country=country)


# --- AFNOR blocks ---------------------------------------------------------------------------

def test_company_block_la_poste_example() -> None:
    result = check_postal_address(
        addr("Société DUPONT", "Service des achats", "Bâtiment B",
             "12 bis avenue des Champs-Élysées", "BP 45", code="75008", city="Paris"), B)
    assert result.status == "valid", result.message
    assert result.normalized == (
        "Société DUPONT",  # line 1: free, kept as written
        "Service des achats",  # line 2: named addressee / department
        "Bâtiment B",  # line 3: building
        "12 B AVENUE DES CHAMPS ELYSEES",  # line 4: capitals, no accents, no hyphen, bis -> B
        "BP 45",  # line 5
        "75008 PARIS",  # line 6
    )
    assert result.reasons == ()
    assert result.channels == ("letter",)
    assert result.kind is ContactKind.POSTAL_ADDRESS
    assert result.changes == (
        "line 4: 12 'bis' written '12 B'; hyphens replaced by spaces; upper-cased without "
        "accents (no punctuation and capitals from line 4 on, AFNOR NF Z10-011)",
        "last line: upper-cased (capitals without accents or punctuation, as La Poste sorts)",
    )
    assert "company" in result.message and "6-line" in result.message


def test_person_block() -> None:
    result = check_postal_address(
        addr("Madame Isabelle Dupont", "Appartement 12, escalier B", "Résidence Les Tilleuls",
             "3, rue des Lilas", code="33000", city="Bordeaux"), C)
    assert result.status == "valid", result.message
    assert result.normalized == (
        "Madame Isabelle Dupont",
        "Appartement 12, escalier B",  # line 2: inside the building, punctuation allowed
        "Résidence Les Tilleuls",  # line 3: building / residence
        "3 RUE DES LILAS",
        "33000 BORDEAUX",
    )
    assert "person" in result.message


def test_person_with_chez_and_lieu_dit() -> None:
    result = check_postal_address(
        addr("M. Jean Martin", "Chez Mme Durand", "Lieu-dit Les Granges", code="24200",
             city="Sarlat-la-Canéda"), C)
    assert result.status == "valid", result.message
    assert result.normalized == ("M. Jean Martin", "Chez Mme Durand", "LIEU DIT LES GRANGES",
                                 "24200 SARLAT LA CANEDA")


def test_minimal_block_has_three_lines() -> None:
    result = check_postal_address(addr("Mme Durand", "3 avenue des Fleurs"), C)
    assert result.normalized == ("Mme Durand", "3 AVENUE DES FLEURS", "75011 PARIS")
    # Printed line 2 is the norm's line 4: the changes say both.
    assert result.changes[0].startswith("line 2 (AFNOR line 4): upper-cased")


# (street as given, expected line, abbreviations made)
STREETS = [
    # Fits in 38: never abbreviated ("AVENUE DES FLEURS" stays in full).
    ("3 avenue des Fleurs", "3 AVENUE DES FLEURS", ()),
    ("10 boulevard des États-Unis d'Amérique", "10 BOULEVARD DES ETATS UNIS D AMERIQUE", ()),
    # 39 characters: the street type is abbreviated, nothing else.
    ("100 boulevard des États-Unis d'Amérique", "100 BD DES ETATS UNIS D AMERIQUE",
     (("BOULEVARD", "BD"),)),
    ("145 boulevard du Général Charles de Gaulle", "145 BD DU GENERAL CHARLES DE GAULLE",
     (("BOULEVARD", "BD"),)),
    # Type abbreviated, still too long: then the titles, left to right.
    ("12 avenue du Maréchal de Lattre de Tassigny", "12 AV DU MAL DE LATTRE DE TASSIGNY",
     (("AVENUE", "AV"), ("MARECHAL", "MAL"))),
    ("2 place du Général Leclerc et de la Division Blindée", None, None),
    # House numbers: bis/ter, ranges, "n°", glued letters.
    ("5 bis rue de la Paix", "5 B RUE DE LA PAIX", ()),
    ("5ter rue de la Paix", "5 T RUE DE LA PAIX", ()),
    ("5, bis rue de la Paix", "5 B RUE DE LA PAIX", ()),
    ("12a rue de la Paix", "12 A RUE DE LA PAIX", ()),
    ("12-14 rue de la Paix", "12 RUE DE LA PAIX", ()),
    ("12/14 rue de la Paix", "12 RUE DE LA PAIX", ()),
    ("4 à 8 rue de la Paix", "4 RUE DE LA PAIX", ()),
    ("n° 7 rue de la Paix", "7 RUE DE LA PAIX", ()),
    # Punctuation: removed; apostrophes and hyphens become spaces.
    ("12, rue de l'Église", "12 RUE DE L EGLISE", ()),
    ("12 rue de l’Église", "12 RUE DE L EGLISE", ()),
    ("1 rue Jean-Jacques Rousseau.", "1 RUE JEAN JACQUES ROUSSEAU", ()),
    ("7 rue du Cœur-Volant", "7 RUE DU COEUR VOLANT", ()),
    ("rue de la Paix", "RUE DE LA PAIX", ()),
]


@pytest.mark.parametrize(("street", "expected", "abbreviated"), STREETS)
def test_street_line(street: str, expected: str | None,
                     abbreviated: tuple[tuple[str, str], ...] | None) -> None:
    result = check_postal_address(addr("M. Jean Martin", street), C)
    if expected is None:
        assert result.status == "invalid"
        assert "line_too_long" in result.reasons
        assert result.normalized is None
        return
    assert result.status == "valid", result.message
    assert result.normalized is not None
    assert result.normalized[1] == expected
    assert len(expected) <= 38
    made = [c for c in result.changes if "abbreviated" in c]
    assert made == [f"line 2 (AFNOR line 4): {full!r} abbreviated to {short!r} to fit 38 "
                    "characters" for full, short in abbreviated or ()]
    assert ("line_too_long_abbreviated" in result.reasons) == bool(abbreviated)


# --- a person's name in a street label: first names, then initials -----------------------
# AFNOR NF Z10-011 and La Poste's abbreviation practice: a line 4 that still exceeds 38
# characters once its street type (rung 1) and titles (rung 2) are abbreviated has the
# first names of the person it is named after reduced to their initial (rung 3), then the
# initials dropped (rung 4), each only while the line is too long, from the first name
# nearest the surname leftwards; the surname (with its particles) and the street type stay.

def _ab(full: str, short: str) -> str:
    return f"{full!r} abbreviated to {short!r}"


def _initial(name: str, initials: str) -> str:
    plural = "s" if " " in initials else ""
    return f"first name {name!r} reduced to its initial{plural} {initials!r}"


def _dropped(initials: str) -> str:
    return f"initial{'s' if ' ' in initials else ''} {initials!r} dropped"


# (street as given, expected line 4, the shortenings made, in order)
PERSON_STREETS = [
    # Rung 2 is enough: the first names stay in full (the hyphen becomes a space).
    ("124 bis boulevard du Général Jean-Pierre Timbaud", "124 B BD DU GAL JEAN PIERRE TIMBAUD",
     [_ab("BOULEVARD", "BD"), _ab("GENERAL", "GAL")]),
    # Rung 3, one name: the one nearest the surname; FRANKLIN, the name in use, stays.
    ("125 bis boulevard du Président Franklin Delano Roosevelt",
     "125 B BD DU PDT FRANKLIN D ROOSEVELT",
     [_ab("BOULEVARD", "BD"), _ab("PRESIDENT", "PDT"), _initial("DELANO", "D")]),
    # Rung 3 before a surname with particles, kept whole.
    ("12 avenue du Maréchal Jean de Lattre de Tassigny", "12 AV DU MAL J DE LATTRE DE TASSIGNY",
     [_ab("AVENUE", "AV"), _ab("MARECHAL", "MAL"), _initial("JEAN", "J")]),
    # A hyphenated first name is one name: both initials at once.
    ("128 avenue du Président Jean-Pierre de Montgolfier", "128 AV DU PDT J P DE MONTGOLFIER",
     [_ab("AVENUE", "AV"), _ab("PRESIDENT", "PDT"), _initial("JEAN PIERRE", "J P")]),
    # A name of the list in the surname's place is the surname: CLEMENT stays.
    ("1250 bis boulevard du Commandant Jean Baptiste Marie Clément",
     "1250 B BD DU CDT JEAN B M CLEMENT",
     [_ab("BOULEVARD", "BD"), _ab("COMMANDANT", "CDT"), _initial("MARIE", "M"),
      _initial("BAPTISTE", "B")]),
    # Rung 4 after every first name is an initial, again nearest the surname first.
    ("3 avenue du Maréchal Jean Marie Gabriel de Lattre de Tassigny",
     "3 AV DU MAL J M DE LATTRE DE TASSIGNY",
     [_ab("AVENUE", "AV"), _ab("MARECHAL", "MAL"), _initial("GABRIEL", "G"),
      _initial("MARIE", "M"), _initial("JEAN", "J"), _dropped("G")]),
    ("12 bis rue du Général Jean-Pierre de La Rochejaquelein",
     "12 B RUE DU GAL DE LA ROCHEJAQUELEIN",
     [_ab("GENERAL", "GAL"), _initial("JEAN PIERRE", "J P"), _dropped("J P")]),
    ("12 rue du Général Marie Joseph Paul Yves Roch Gilbert du Motier de La Fayette",
     "12 RUE DU GAL DU MOTIER DE LA FAYETTE",
     [_ab("GENERAL", "GAL")]
     + [_initial(n, n[0]) for n in ("GILBERT", "ROCH", "YVES", "PAUL", "JOSEPH", "MARIE")]
     + [_dropped(n) for n in "GRYPJM"]),
]


def _shortenings(result: ContactCheck) -> list[str]:
    prefix, suffix = "line 2 (AFNOR line 4): ", " to fit 38 characters"
    return [c.removeprefix(prefix).removesuffix(suffix) for c in result.changes
            if c.startswith(prefix) and c.endswith(suffix)]


@pytest.mark.parametrize(("street", "expected", "steps"), PERSON_STREETS)
def test_street_named_after_a_person_takes_each_rung_only_when_needed(
        street: str, expected: str, steps: list[str]) -> None:
    """AFNOR NF Z10-011 / La Poste "abréviations": type, titles, first names to initials,
    initials dropped, in that order and no further than the 38 characters need."""
    result = check_postal_address(addr("M. Jean Martin", street), C)
    assert result.status == "valid", result.message
    assert result.normalized is not None and result.normalized[1] == expected
    assert len(expected) <= 38
    assert _shortenings(result) == steps
    assert "line_too_long_abbreviated" in result.reasons


@pytest.mark.parametrize(("street", "expected", "steps"), PERSON_STREETS)
def test_a_shortened_street_checked_again_changes_nothing(
        street: str, expected: str, steps: list[str]) -> None:
    """The corrected block is a fixed point: a line that fits is never shortened (AFNOR
    NF Z10-011 abbreviates only what does not fit)."""
    first = check_postal_address(addr("M. Jean Martin", street), C)
    assert first.normalized is not None
    recipient, *lines, last = first.normalized
    code, city = last.split(" ", 1)
    again = check_postal_address(addr(recipient, *lines, code=code, city=city), C)
    assert again.normalized == first.normalized
    assert again.changes == ()
    assert again.reasons == ()


NO_FIRST_NAME = [
    # After SAINT comes the saint's whole name, not a person's first names.
    "1234 bis rue Saint-Jean-Baptiste de la Salle Prolongée",
    # "Henri IV" is a king: the number is no surname.
    "1234 bis quai Henri IV de Bourbon et de Navarre Prolongé",
    # Two people: what follows PIERRE is not a surname.
    "1234 bis allée Pierre et Marie Curie de la Résidence Nord",
]


@pytest.mark.parametrize("street", NO_FIRST_NAME)
def test_listed_names_outside_a_first_name_position_are_kept(street: str) -> None:
    """Only a listed name between the street type or title and the surname is a first name
    (La Poste abbreviates a person's first names, nothing else)."""
    result = check_postal_address(addr("M. Jean Martin", street), C)
    assert result.status == "invalid"
    assert "line_too_long" in result.reasons
    assert not any("first name" in c or "dropped" in c for c in result.changes)


def test_a_street_still_too_long_after_every_rung_is_invalid() -> None:
    """The ladder ends with the initials dropped (AFNOR NF Z10-011): the surname and the
    street type are never dropped, so a line longer than that is refused."""
    result = check_postal_address(
        addr("M. Jean Martin", "1234 bis boulevard du Général Jean Pierre de La Tour d'Auvergne "
                               "Lauragais"), C)
    assert result.status == "invalid"
    assert result.normalized is None
    assert set(result.reasons) == {"line_too_long", "line_too_long_abbreviated"}
    assert _shortenings(result) == [
        _ab("BOULEVARD", "BD"), _ab("GENERAL", "GAL"), _initial("PIERRE", "P"),
        _initial("JEAN", "J"), _dropped("P"), _dropped("J")]
    assert "'1234 B BD DU GAL DE LA TOUR D AUVERGNE LAURAGAIS' has 48 characters" in (
        result.message)


def test_first_names_are_a_shipped_list_of_french_given_names() -> None:
    """The list the ladder reads (contacts/data/first_names.txt, shipped as package data):
    capitals without accents, one word each, common words of street labels left out."""
    names = first_names()
    assert 250 <= len(names) <= 1_000
    assert all(re.fullmatch(r"[A-Z]{2,}", name) for name in names)
    assert {"JEAN", "MARIE", "JOSEPH", "PAUL", "PIERRE", "LOUIS", "CHARLES", "FRANCOIS",
            "JACQUES", "HENRI", "GEORGES", "ANDRE", "MICHEL", "VICTOR", "EMILE", "JULES",
            "ALBERT", "LEON", "GABRIEL", "ANTOINE", "JEANNE", "LOUISE"} <= names
    assert not {"ROSE", "VICTOIRE", "FRANCE", "SAINT", "DE"} & names


def test_service_lines_are_compacted() -> None:
    result = check_postal_address(addr("SARL Martin", "B.P. 45", code="69001", city="Lyon"), B)
    assert result.normalized == ("SARL Martin", "BP 45", "69001 LYON")
    assert any("'B.P.' written 'BP'" in c for c in result.changes)


def test_line_one_keeps_its_punctuation_and_case() -> None:
    result = check_postal_address(addr("M. et Mme Jean-Pierre DUPONT-L'Hôte", "1 rue X"), C)
    assert result.normalized is not None
    assert result.normalized[0] == "M. et Mme Jean-Pierre DUPONT-L'Hôte"


def test_long_company_name_uses_legal_form_abbreviation() -> None:
    name = "Société par actions simplifiée Dupont Frères"  # 44 characters
    result = check_postal_address(addr(name, "1 rue X"), B)
    assert result.status == "valid", result.message
    assert result.normalized is not None and result.normalized[0] == "SAS Dupont Frères"
    assert "line_too_long_abbreviated" in result.reasons


def test_line_one_too_long_is_invalid() -> None:
    result = check_postal_address(addr("Monsieur Jean-Christophe de La Rochefoucauld-Liancourt",
                                       "1 rue X"), C)
    assert result.status == "invalid"
    assert result.reasons == ("line_too_long",)


# --- order of the lines ---------------------------------------------------------------------

def test_inside_line_is_put_before_building_line() -> None:
    result = check_postal_address(
        addr("M. Jean Martin", "Résidence Les Pins", "Appartement 12", "3 rue des Lilas"), C)
    assert result.normalized == ("M. Jean Martin", "Appartement 12", "Résidence Les Pins",
                                 "3 RUE DES LILAS", "75011 PARIS")
    assert any("reordered" in c for c in result.changes)


def test_building_after_street_is_moved_above_it() -> None:
    result = check_postal_address(
        addr("Dupont SA", "12 rue de la Paix", "Bâtiment C", "BP 4", code="75002"), B)
    assert result.normalized == ("Dupont SA", "Bâtiment C", "12 RUE DE LA PAIX", "BP 4",
                                 "75002 PARIS")
    assert any("'Bâtiment C' moved above the street line" in c for c in result.changes)


def test_street_is_put_before_bp() -> None:
    result = check_postal_address(addr("Dupont SA", "BP 4", "12 rue de la Paix", code="75002"),
                                  B)
    assert result.normalized == ("Dupont SA", "12 RUE DE LA PAIX", "BP 4", "75002 PARIS")


@pytest.mark.parametrize(("line", "kind"), [
    ("Service des achats", "inside"), ("À l'attention de M. Dupont", "inside"),
    ("Appartement 12", "inside"), ("3e étage", "inside"), ("Chez Mme Durand", "inside"),
    ("c/o Martin", "inside"),
    ("Bâtiment B", "building"), ("Résidence Les Pins", "building"),
    ("ZI des Tanneries", "building"), ("Immeuble Le Central", "building"),
    ("12 bis avenue Foch", "street"), ("rue de la Paix", "street"), ("3 Le Clos", "street"),
    ("BP 45", "service"), ("CS 70001", "service"), ("TSA 12345", "service"),
    ("Lieu-dit Les Granges", "service"),
    ("Le Bourg", "other"), ("Dupont Distribution", "other"),
])
def test_classify_line(line: str, kind: str) -> None:
    assert classify_line(line) == kind


def test_rural_address_with_a_locality_only() -> None:
    result = check_postal_address(addr("M. Paul Roux", "Le Bourg", code="23200",
                                       city="Aubusson"), C)
    assert result.status == "valid"
    assert result.normalized == ("M. Paul Roux", "LE BOURG", "23200 AUBUSSON")


def test_no_delivery_line_is_risky() -> None:
    result = check_postal_address(addr("M. Paul Roux", code="23200", city="Aubusson"), C)
    assert result.status == "risky"
    assert result.reasons == ("no_delivery_line",)
    assert result.normalized == ("M. Paul Roux", "23200 AUBUSSON")


def test_cedex_needs_no_street() -> None:
    result = check_postal_address(addr("Ministère X", "Service du courrier", code="75700",
                                       city="Paris Cedex 07"), B)
    assert result.status == "valid", result.message
    assert result.normalized == ("Ministère X", "Service du courrier", "75700 PARIS CEDEX 07")


# --- line counts -----------------------------------------------------------------------------

def test_more_than_six_lines_is_invalid() -> None:
    result = check_postal_address(
        addr("Dupont SA", "Service des achats", "Bâtiment B", "Entrée 3", "12 rue X", "BP 45"), B)
    assert result.status == "invalid"
    assert result.reasons == ("too_many_lines",)
    assert "7 lines" in result.message


def test_absurd_number_of_lines_is_refused_before_scanning() -> None:
    result = check_postal_address(addr("X", *([""] * 10_000), "1 rue X"), B)
    assert result.status == "invalid"
    assert result.reasons == ("too_many_lines",)


def test_extra_spaces_are_reported() -> None:
    result = check_postal_address(addr("M.  X", "1 rue X"), C)
    assert result.normalized is not None and result.normalized[0] == "M. X"
    assert "recipient: extra spaces removed" in result.changes


def test_empty_lines_are_dropped_not_counted() -> None:
    result = check_postal_address(
        addr("Dupont SA", "", "Service des achats", "   ", "Bâtiment B", "12 rue X", "",
             "BP 45"), B)
    assert result.status == "valid", result.message
    assert result.normalized is not None and len(result.normalized) == 6
    assert "3 empty line(s) dropped" in result.changes


# --- last line, postal codes ----------------------------------------------------------------

# (postal code, city, country, debtor kind, status, last line, reasons)
LAST_LINES = [
    ("75011", "Paris", "FR", C, "valid", "75011 PARIS", ()),
    ("75 011", "Paris", "FR", C, "valid", "75011 PARIS", ()),
    ("F-75011", "Paris", "FR", C, "valid", "75011 PARIS", ()),
    ("", "75011 Paris", "FR", C, "valid", "75011 PARIS", ()),
    ("75011", "75011 Paris", "FR", C, "valid", "75011 PARIS", ()),
    ("42000", "Saint-Étienne", "FR", C, "valid", "42000 SAINT ETIENNE", ()),
    ("27700", "Les Andelys", "FR", C, "valid", "27700 LES ANDELYS", ()),
    ("01000", "Bourg-en-Bresse", "FR", C, "valid", "01000 BOURG EN BRESSE", ()),
    ("95000", "Cergy", "FR", C, "valid", "95000 CERGY", ()),
    # CEDEX (a service for organisations).
    ("75543", "Paris Cedex 11", "FR", B, "valid", "75543 PARIS CEDEX 11", ()),
    ("69441", "Lyon cedex 03", "FR", B, "valid", "69441 LYON CEDEX 03", ()),
    ("92042", "Paris La Défense Cedex", "FR", B, "valid", "92042 PARIS LA DEFENSE CEDEX", ()),
    ("75543", "Paris Cedex 11", "FR", C, "risky", "75543 PARIS CEDEX 11",
     ("cedex_for_consumer",)),
    # Corsica: 20 is not a département, 2A and 2B are.
    ("20000", "Ajaccio", "FR", C, "valid", "20000 AJACCIO", ()),
    ("20200", "Bastia", "FR", C, "valid", "20200 BASTIA", ()),
    ("20090", "Bastia", "FR", C, "invalid", None, ("postal_code_mismatch_department",)),
    # Overseas (addressed as France, no country line).
    ("97411", "Saint-Denis", "FR", C, "valid", "97411 SAINT DENIS", ()),
    ("97411", "Saint-Denis", "RE", C, "valid", "97411 SAINT DENIS", ()),
    ("97200", "Fort-de-France", "MQ", C, "valid", "97200 FORT DE FRANCE", ()),
    ("97600", "Mamoudzou", "YT", C, "valid", "97600 MAMOUDZOU", ()),
    ("97133", "Saint-Barthélemy", "BL", C, "valid", "97133 SAINT BARTHELEMY", ()),
    ("98800", "Nouméa", "NC", C, "valid", "98800 NOUMEA", ()),
    ("97500", "Saint-Pierre", "FR", C, "valid", "97500 SAINT PIERRE", ()),
    ("75002", "Paris", "RE", C, "invalid", None, ("postal_code_mismatch_department",)),
    ("97411", "Saint-Denis", "GP", C, "invalid", None, ("postal_code_mismatch_department",)),
    # Inconsistent codes.
    ("7501", "Paris", "FR", C, "invalid", None, ("postal_code_format",)),
    ("750011", "Paris", "FR", C, "invalid", None, ("postal_code_format",)),
    ("7501A", "Paris", "FR", C, "invalid", None, ("postal_code_format",)),
    ("٧٥٠١١", "Paris", "FR", C, "invalid", None, ("postal_code_format",)),  # Arabic-Indic digits
    ("00100", "Paris", "FR", C, "invalid", None, ("postal_code_unknown_department",)),
    ("96000", "Paris", "FR", C, "invalid", None, ("postal_code_unknown_department",)),
    ("97000", "Paris", "FR", C, "invalid", None, ("postal_code_unknown_department",)),
    ("99000", "Paris", "FR", C, "invalid", None, ("postal_code_unknown_department",)),
    ("98000", "Monaco", "FR", C, "invalid", None, ("postal_code_mismatch_country",)),
    ("13001", "Paris", "FR", C, "invalid", None, ("postal_code_mismatch_department",)),
    ("75001", "Marseille", "FR", C, "invalid", None, ("postal_code_mismatch_department",)),
    # Missing parts.
    ("", "Paris", "FR", C, "invalid", None, ("missing_postal_code",)),
    ("75011", "", "FR", C, "invalid", None, ("missing_city",)),
    ("75011", "Cedex", "FR", B, "invalid", None, ("missing_city",)),
]


@pytest.mark.parametrize(("code", "city", "country", "kind", "status", "last", "reasons"),
                         LAST_LINES)
def test_last_line(code: str, city: str, country: str, kind: DebtorKind, status: str,
                   last: str | None, reasons: tuple[str, ...]) -> None:
    result = check_postal_address(addr("M. Jean Martin", "1 rue X", code=code, city=city,
                                       country=country), kind)
    assert result.status == status, result.message
    assert result.reasons == reasons
    if last is None:
        assert result.normalized is None
    else:
        assert result.normalized is not None
        assert result.normalized[-1] == last
        assert len(result.normalized) == 3  # no country line for France and overseas


def test_postal_code_changes_are_reported() -> None:
    result = check_postal_address(addr("M. Jean Martin", "1 rue X", code="75 011"), C)
    assert "postal code: spaces removed ('75 011' -> '75011')" in result.changes
    result = check_postal_address(addr("M. Jean Martin", "1 rue X", code="", city="75011 Paris"),
                                  C)
    assert "postal code 75011 taken from the city field" in result.changes


def test_overseas_country_is_reported() -> None:
    result = check_postal_address(addr("M. Payet", "1 rue X", code="97411", city="Saint-Denis",
                                       country="RE"), C)
    assert any(c.startswith("country RE addressed as France") for c in result.changes)
    assert "974 (La Réunion)" in result.message


def test_missing_recipient_and_country() -> None:
    assert check_postal_address(addr("", "1 rue X"), C).reasons == ("missing_recipient",)
    assert check_postal_address(addr("M. X", "1 rue X", country=""), C).reasons == (
        "missing_country",)
    assert check_postal_address(addr("M. X", "1 rue X", country="ZZ"), C).reasons == (
        "unknown_country",)
    assert check_postal_address(addr("M. X", "1 rue X", country="FRA"), C).reasons == (
        "unknown_country",)


def test_lower_case_country_is_accepted() -> None:
    result = check_postal_address(addr("M. X", "1 rue X", country="fr"), C)
    assert result.status == "valid"
    assert "country 'fr' written 'FR'" in result.changes


def test_city_too_long_is_shortened_with_saint() -> None:
    # A constructed name of 35 characters: "SAINT" is abbreviated once, which is enough.
    result = check_postal_address(
        addr("M. X", "1 rue X", code="14000", city="Saint-Aubin-Sainte-Marie-sur-la-Mer"), C)
    assert result.status == "valid", result.message
    assert result.normalized is not None
    assert result.normalized[-1] == "14000 ST AUBIN SAINTE MARIE SUR LA MER"
    assert "line_too_long_abbreviated" in result.reasons
    assert "line 3 (AFNOR line 6): 'SAINT' abbreviated to 'ST' to fit 38 characters" in (
        result.changes)


def test_city_that_cannot_fit_is_invalid() -> None:
    # The longest commune name in France (51290): 45 characters even with "ST".
    result = check_postal_address(
        addr("M. X", "1 rue X", code="51290",
             city="Saint-Remy-en-Bouzemont-Saint-Genest-et-Isson"), C)
    assert result.status == "invalid"
    assert "line_too_long" in result.reasons


# --- hostile input --------------------------------------------------------------------------

HOSTILE = [
    (addr("M. X", "1 rue X", city="Paris\u202e"), ("control_characters",)),
    (addr("M. X\u202eXUA", "1 rue X"), ("control_characters",)),
    (addr("M. X", "1 rue\u2066 X"), ("control_characters",)),
    (addr("M. X\x00", "1 rue X"), ("control_characters",)),
    (addr("M. X", "1 rue X\n2 rue Y"), ("control_characters",)),
    (addr("M. X", "1 rue X", code="75011\t"), ("control_characters",)),
    (addr("<b>M. X</b>", "1 rue X"), ("markup",)),
    (addr("M. X", "<script>alert(1)</script>"), ("markup",)),
    (addr("M. X", "1 rue X &amp; Y"), ("markup",)),
    (addr("M. X", "1 rue X <"), ("unsupported_characters",)),
    (addr("M. X 🏠", "1 rue X"), ("unsupported_characters",)),
    (addr("M. X", "1 rue X 👍🏻"), ("unsupported_characters",)),
    (addr("M. X", "1 rue X" * 10_000), ("too_long",)),
    (addr("M. X", "x" * (MAX_VALUE_LENGTH + 1)), ("too_long",)),
    (addr("M. X", "1 rue X", city="P" * 10_000), ("too_long",)),
    (addr("M. X", "1 улица Пушкина"), ("unsupported_characters",)),  # La Poste sorts Latin
]


@pytest.mark.parametrize(("address", "reasons"), HOSTILE)
def test_hostile_input_is_invalid(address: PostalAddress, reasons: tuple[str, ...]) -> None:
    result = check_postal_address(address, C)
    assert result.status == "invalid"
    assert result.reasons == reasons
    assert result.normalized is None


def test_non_breaking_and_zero_width_characters_are_cleaned_and_reported() -> None:
    result = check_postal_address(addr("M.\u00a0X", "1\u00a0rue\u200b de la Paix"), C)
    assert result.status == "valid"
    assert result.normalized == ("M. X", "1 RUE DE LA PAIX", "75011 PARIS")
    assert any(c.startswith("recipient: 1 non-standard space") for c in result.changes)
    assert any(c.startswith("lines[0]: 1 zero-width character") for c in result.changes)


def test_decomposed_accents_are_composed() -> None:
    result = check_postal_address(addr("Mme Le\u0301a Girard", "1 rue X"), C)
    assert result.normalized is not None and result.normalized[0] == "Mme Léa Girard"


# --- international --------------------------------------------------------------------------

# (code, city, country, status, block tail, reasons)
INTERNATIONAL = [
    ("80331", "München", "DE", "valid", ("80331 MÜNCHEN", "ALLEMAGNE"), ()),
    ("D-80331", "München", "DE", "valid", ("80331 MÜNCHEN", "ALLEMAGNE"), ()),
    ("8033", "München", "DE", "invalid", None, ("postal_code_format",)),
    ("1000", "Bruxelles", "BE", "valid", ("1000 BRUXELLES", "BELGIQUE"), ()),
    ("0999", "Bruxelles", "BE", "invalid", None, ("postal_code_format",)),
    ("1130", "Luxembourg", "LU", "valid", ("L-1130 LUXEMBOURG", "LUXEMBOURG"), ()),
    ("L-1130", "Luxembourg", "LU", "valid", ("L-1130 LUXEMBOURG", "LUXEMBOURG"), ()),
    ("8001", "Zürich", "CH", "valid", ("8001 ZÜRICH", "SUISSE"), ()),
    ("98000", "Monaco", "MC", "valid", ("98000 MONACO", "MONACO"), ()),
    ("75011", "Monaco", "MC", "invalid", None, ("postal_code_format",)),
    ("28001", "Madrid", "ES", "valid", ("28001 MADRID", "ESPAGNE"), ()),
    ("60000", "Madrid", "ES", "invalid", None, ("postal_code_format",)),
    ("00184", "Roma", "IT", "valid", ("00184 ROMA", "ITALIE"), ()),
    ("1012ab", "Amsterdam", "NL", "valid", ("1012 AB AMSTERDAM", "PAYS-BAS"), ()),
    ("00950", "Warszawa", "PL", "valid", ("00-950 WARSZAWA", "POLOGNE"), ()),
    ("1000001", "Lisboa", "PT", "valid", ("1000-001 LISBOA", "PORTUGAL"), ()),
    ("11000", "Praha", "CZ", "valid", ("110 00 PRAHA", "TCHEQUIE"), ()),
    ("11351", "Stockholm", "SE", "valid", ("113 51 STOCKHOLM", "SUEDE"), ()),
    ("VLT1117", "Valletta", "MT", "valid", ("VALLETTA VLT 1117", "MALTE"), ()),
    ("sw1a2aa", "London", "GB", "valid", ("LONDON", "SW1A 2AA", "ROYAUME-UNI"), ()),
    ("EC1A 1BB", "London", "GB", "valid", ("LONDON", "EC1A 1BB", "ROYAUME-UNI"), ()),
    ("75011", "London", "GB", "invalid", None, ("postal_code_format",)),
    ("d02x285", "Dublin", "IE", "valid", ("DUBLIN", "D02 X285", "IRLANDE"), ()),
    ("", "Dublin", "IE", "valid", ("DUBLIN", "IRLANDE"), ()),  # Eircode optional
    ("10001", "New York NY", "US", "valid", ("NEW YORK NY 10001", "ETATS-UNIS"), ()),
    ("10001-1234", "New York NY", "US", "valid", ("NEW YORK NY 10001-1234", "ETATS-UNIS"),
     ()),
    ("K1A0B1", "Ottawa ON", "CA", "valid", ("OTTAWA ON K1A 0B1", "CANADA"), ()),
    ("20000", "Casablanca", "MA", "valid", ("20000 CASABLANCA", "MAROC"), ()),
    ("1000", "Tunis", "TN", "valid", ("1000 TUNIS", "TUNISIE"), ()),
    ("16000", "Alger", "DZ", "valid", ("16000 ALGER", "ALGERIE"), ()),
    ("", "Alger", "DZ", "invalid", None, ("missing_postal_code",)),
    ("", "Doha", "QA", "valid", ("DOHA", "QATAR"), ()),
    ("12345", "Doha", "QA", "risky", ("12345 DOHA", "QATAR"), ("unexpected_postal_code",)),
    ("1001", "Kabul", "AF", "unverified", ("1001 KABUL", "AFGHANISTAN"),
     ("no_postal_code_rule",)),
]


@pytest.mark.parametrize(("code", "city", "country", "status", "tail", "reasons"),
                         INTERNATIONAL)
def test_international(code: str, city: str, country: str, status: str,
                       tail: tuple[str, ...] | None, reasons: tuple[str, ...]) -> None:
    result = check_postal_address(addr("Mr John Smith", "10 Main Street", code=code, city=city,
                                       country=country), B)
    assert result.status == status, result.message
    assert result.reasons == reasons
    if tail is None:
        assert result.normalized is None
    else:
        assert result.normalized == ("Mr John Smith", "10 Main Street", *tail)
    if status in ("valid", "risky"):
        assert result.channels == ("letter",)


def test_international_lines_are_kept_as_given() -> None:
    result = check_postal_address(addr("Herr Müller", "  Hauptstraße  5 ", "c/o Schmidt",
                                       code="80331", city="München", country="DE"), C)
    assert result.normalized == ("Herr Müller", "Hauptstraße 5", "c/o Schmidt",
                                 "80331 MÜNCHEN", "ALLEMAGNE")


def test_international_at_most_seven_lines() -> None:
    five = ("a", "b", "c", "d", "e")
    assert check_postal_address(addr("X", *five[:4], code="80331", country="DE"),
                                B).status == "valid"
    result = check_postal_address(addr("X", *five, code="80331", country="DE"), B)
    assert result.status == "invalid"
    assert result.reasons == ("too_many_lines",)


def test_international_long_line_is_risky() -> None:
    result = check_postal_address(addr("X", "Very Long Industrial Estate Road Number Seven",
                                       code="80331", city="München", country="DE"), B)
    assert result.status == "risky"
    assert result.reasons == ("line_too_long",)


def test_every_rule_accepts_its_example() -> None:
    for country, rule in POSTAL_RULES.items():
        assert rule.canonical(rule.example) == rule.example, country
        assert country in COUNTRY_NAMES_FR


def test_check_contact_point_dispatches_addresses() -> None:
    point = ContactPoint(id="a1", kind=ContactKind.POSTAL_ADDRESS,
                         address=addr("M. X", "1 rue X"))
    assert check_contact_point(point, "FR", C) == check_postal_address(point.address, C)  # type: ignore[arg-type]
    empty = ContactPoint(id="a2", kind=ContactKind.POSTAL_ADDRESS, value="1 rue X")
    assert check_contact_point(empty, "FR", C).reasons == ("empty",)


# --- totality -------------------------------------------------------------------------------

PIECES = st.characters() | st.sampled_from(
    [*" ,.;:'\"-/°&<>\u202e\u2066\u200b\u00a0\x00\x85\ud800",
     "rue", "bis", "Avenue", "BP", "Cedex", "12", "75011", "<b>", "&amp;", "🏠",
     "\U0001f3fb", "Bâtiment", "Résidence", "n°"])
TEXT = st.lists(PIECES, max_size=30).map("".join) | st.text(max_size=80)
COUNTRIES = st.sampled_from(["FR", "RE", "GP", "NC", "MC", "DE", "GB", "IE", "US", "QA", "AF",
                             "ZZ", "", "fr"]) | st.text(max_size=3)
CODES = st.sampled_from(["75011", "20000", "97411", "98000", "00100", "7501", "75 011", "",
                         "SW1A 1AA", "D-80331"]) | TEXT


@settings(max_examples=300, deadline=None)
@given(recipient=TEXT, lines=st.lists(TEXT, max_size=8), code=CODES, city=TEXT,
       country=COUNTRIES, kind=st.sampled_from([B, C]))
def test_check_postal_address_is_total(recipient: str, lines: list[str], code: str, city: str,
                                       country: str, kind: DebtorKind) -> None:
    address = PostalAddress(recipient, tuple(lines), code, city, country)
    result = check_postal_address(address, kind)
    assert isinstance(result, ContactCheck)
    assert result.status in ("valid", "invalid", "risky", "unverified")
    assert "validation_error" not in result.reasons
    assert result.message
    if result.status == "invalid":
        assert result.normalized is None and result.reasons
        return
    block = result.normalized
    assert isinstance(block, tuple) and all(isinstance(line, str) for line in block)
    assert all(line.isprintable() for line in block)
    french = country.strip().upper() in ("FR", "RE", "GP", "NC")
    if french:
        assert len(block) <= 6
        assert all(len(line) <= 38 for line in block)
        assert re.fullmatch(r"\d{5} [A-Z0-9 ]+", block[-1])
    else:
        assert len(block) <= 7
        assert block[-1] == COUNTRY_NAMES_FR[country.strip().upper()]


@settings(max_examples=200, deadline=None)
@given(street=st.from_regex(r"\A[1-9]\d{0,3}( bis| ter)? (avenue|boulevard|rue|place|chemin|"
                            r"allée|impasse) (du|de la|des) [A-Za-zéèêàç' -]{1,50}\Z"))
def test_valid_french_streets_fit_and_have_no_punctuation(street: str) -> None:
    result = check_postal_address(addr("M. X", street), C)
    assert "validation_error" not in result.reasons
    if result.status != "invalid":
        assert result.normalized is not None
        line = result.normalized[1]
        assert len(line) <= 38
        assert re.fullmatch(r"[A-Z0-9 ]+", line)
    else:
        assert set(result.reasons) <= {"line_too_long", "line_too_long_abbreviated",
                                       "unsupported_characters"}
