"""Postal addresses: the AFNOR NF Z10-011 block for France, a checked international block
elsewhere.

France (country "FR", and the overseas territories, which La Poste handles as domestic
mail: a country given as "RE", "GP", "MQ", "GF", "YT", "PM", "BL", "MF", "NC", "PF", "WF"
or "TF" is read as FR and its postal code must belong to that territory):

    line 1  recipient            company name | civility, first name, surname   (free)
    line 2  inside               named addressee, department | apartment, floor, "chez" (free)
    line 3  building             wing, building, ZI | entrance, building, residence (free)
    line 4  street               number + street type + name        (capitals, no punctuation)
    line 5  delivery service     BP, CS, TSA, lieu-dit               (capitals, no punctuation)
    line 6  locality             postal code + LOCALITY [CEDEX nn]   (capitals, no accents)

`PostalAddress.lines` are the free-form lines 2 to 5 in the caller's order; empty ones are
dropped. Each line is classified (inside / building / street / delivery service) by its
wording; the street line and the lines after it follow the rules of lines 4-5, the lines
before it those of lines 2-3 (kept as written). Lines of the inside or building kind that
sit after the street line are moved above it, and an inside line is put before a building
line, each move reported. Empty lines are not printed, so the printed block has 3 to 6
lines; `changes` number the printed lines.

Every change to the input is reported in `changes`. A line is shortened only when it would
exceed 38 characters, one rung at a time and only as far as needed: (1) the street type and
(2) the titles and other words from La Poste's lists; then, on a street named after a
person, (3) the first names reduced to their initial ("JEAN MARIE" -> "J M"; a hyphenated
one as a whole, "Jean-Pierre" -> "J P") and (4) those initials dropped, the nearest the
surname first; the surname and the street type stay. The
reason "line_too_long_abbreviated" then says so; a line still too long is invalid. A first
name is a word of `data/first_names.txt` between the type or title and the surname ("RUE
PIERRE" keeps PIERRE). The reference note says La Poste abbreviates when the street label
exceeds 32 characters; Relance follows the stricter reading of its brief and abbreviates
only what does not fit in 38.

A CEDEX (Courrier d'Entreprise à Distribution EXceptionnelle) address is a service for
organisations: for a consumer debtor it is "risky".

Elsewhere: the postal code is checked against the country's format (`_countries.py`), the
lines are kept as given (spaces tidied), the locality line follows the country's layout and
the country's French name closes the block (7 lines at most). A known country without a
format rule comes back "unverified"; an unknown code is invalid.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from importlib import resources

from domain.debtors.contacts._common import (
    INVALID,
    MAX_VALUE_LENGTH,
    RISKY,
    UNVERIFIED,
    VALID,
    ContactCheck,
    collapse_spaces,
    dedupe,
    scan_text,
    strip_accents,
    total_contact_check,
    upper_ascii,
)
from domain.debtors.contacts._countries import (
    CITY_AREAS,
    CITY_CODE,
    CITY_THEN_CODE,
    COUNTRY_NAMES_FR,
    FRENCH_AREA_NAMES,
    FRENCH_TERRITORY_PREFIX,
    NO_POSTAL_CODE,
    POSTAL_RULES,
    french_area,
)
from domain.debtors.model import ContactKind, DebtorKind, PostalAddress

_KIND = ContactKind.POSTAL_ADDRESS

MAX_LINE = 38  # characters per line, spaces included (AFNOR NF Z10-011)
MAX_LINES_FR = 6
MAX_LINES_INTERNATIONAL = 7
MAX_INPUT_LINES = 32  # entries in PostalAddress.lines, empty ones included, ever looked at

Table = Sequence[tuple[tuple[str, ...], str]]


def _table(pairs: dict[str, str]) -> Table:
    """Phrases (upper case, no accents, words split) to abbreviations, longest first."""
    items = [(tuple(k.split()), v) for k, v in pairs.items()]
    return sorted(items, key=lambda item: -len(item[0]))


# La Poste's street types (types de voie) and their abbreviations.
STREET_TYPES: dict[str, str] = {
    "ALLEE": "ALL", "AVENUE": "AV", "BOULEVARD": "BD", "CARREFOUR": "CAR", "CHEMIN": "CHE",
    "CHAUSSEE": "CHS", "CITE": "CITE", "CLOS": "CLOS", "CORNICHE": "COR", "COURS": "CRS",
    "COUR": "COUR", "DOMAINE": "DOM", "DESCENTE": "DSC", "ECART": "ECA", "ESPLANADE": "ESP",
    "FAUBOURG": "FG", "GRANDE RUE": "GR", "HAMEAU": "HAM", "HALLE": "HLE", "IMPASSE": "IMP",
    "LIEU DIT": "LD", "LOTISSEMENT": "LOT", "MARCHE": "MAR", "MONTEE": "MTE",
    "PASSAGE": "PAS", "PLACE": "PL", "PLAINE": "PLN", "PLATEAU": "PLT", "PROMENADE": "PRO",
    "PARVIS": "PRV", "QUARTIER": "QUA", "QUAI": "QUAI", "RUELLE": "RLE", "ROCADE": "ROC",
    "ROND POINT": "RPT", "ROUTE": "RTE", "RUE": "RUE", "SENTE": "SEN", "SENTIER": "SEN",
    "SQUARE": "SQ", "TERRE PLEIN": "TPL", "TRAVERSE": "TRA", "VILLA": "VLA",
    "VILLAGE": "VLGE", "VOIE": "VOIE", "PORT": "PORT",
}
# Titles and ranks that open a person's name in a street label, and La Poste's abbreviations.
TITLES: dict[str, str] = {
    "GENERAL": "GAL", "MARECHAL": "MAL", "PRESIDENT": "PDT", "DOCTEUR": "DR",
    "PROFESSEUR": "PR", "MONSEIGNEUR": "MGR", "COMMANDANT": "CDT", "CAPITAINE": "CNE",
    "LIEUTENANT": "LT", "COLONEL": "COL",
}
# Words of buildings, delivery services and titles, abbreviated when a line is too long.
OTHER_ABBREVIATIONS: dict[str, str] = {
    "RESIDENCE": "RES", "BATIMENT": "BAT", "IMMEUBLE": "IMM", "APPARTEMENT": "APP",
    "ESCALIER": "ESC", "ETAGE": "ETG", "ZONE INDUSTRIELLE": "ZI", "ZONE ARTISANALE": "ZA",
    "ZONE D ACTIVITE": "ZA", "ZONE D ACTIVITES": "ZA", "ZONE D AMENAGEMENT CONCERTE": "ZAC",
    "CENTRE COMMERCIAL": "CCAL", "BOITE POSTALE": "BP", "CASE POSTALE": "CP",
    **TITLES, "SAINT": "ST", "SAINTE": "STE", "NOTRE DAME": "ND", "GRANDE": "GDE", "GRAND": "GD",
}
# Legal forms, abbreviated in line 1 when the name does not fit.
LEGAL_FORMS: dict[str, str] = {
    "SOCIETE PAR ACTIONS SIMPLIFIEE UNIPERSONNELLE": "SASU",
    "SOCIETE PAR ACTIONS SIMPLIFIEE": "SAS",
    "SOCIETE A RESPONSABILITE LIMITEE": "SARL",
    "ENTREPRISE UNIPERSONNELLE A RESPONSABILITE LIMITEE": "EURL",
    "SOCIETE CIVILE IMMOBILIERE": "SCI", "SOCIETE EN NOM COLLECTIF": "SNC",
    "SOCIETE ANONYME": "SA", "SOCIETE": "STE", "ETABLISSEMENTS": "ETS",
}
_STREET_TABLE = _table(STREET_TYPES)
_OTHER_TABLE = _table(OTHER_ABBREVIATIONS)
_LEGAL_TABLE = _table(LEGAL_FORMS)
_CITY_TABLE = _table({"SAINT": "ST", "SAINTE": "STE"})
_STREET_WORDS = frozenset(w for k in STREET_TYPES for w in [k.split()[0]]) | frozenset(
    v for v in STREET_TYPES.values())

# Line classes.
INSIDE, BUILDING, STREET, SERVICE, OTHER = "inside", "building", "street", "service", "other"

_INSIDE_WORDS = frozenset("""
    APPARTEMENT APPT APT APP ETAGE ETG ESCALIER ESC CHEZ PORTE LOGEMENT LGT CHAMBRE BUREAU
    SERVICE SCE DIRECTION DEPARTEMENT DEPT ATTENTION ATTN ATT MONSIEUR MADAME MADEMOISELLE
    M MME MR MLLE MM DR ME RDC C/O CO
""".split())
_BUILDING_WORDS = frozenset("""
    BATIMENT BAT IMMEUBLE IMM RESIDENCE RES ENTREE TOUR AILE BLOC HALL ZI ZA ZAC ZONE PARC
    CENTRE CCAL TECHNOPOLE TECHNOPARC PEPINIERE ESPACE POLE
""".split())
_SERVICE = re.compile(r"^(?:BP|CS|TSA|CP|SP|CIDEX|BOITE POSTALE|CASE POSTALE|LIEU DIT|LD)(?: |$)")
_ORDINAL = re.compile(r"^(?:\d+(?:ER|E|EME|ND|NDE)|REZ)$")
_NUMBER_PREFIX = re.compile(r"^(\d+)(?: (BIS|TER|QUATER|QUINQUIES|[A-Z]))?(?= |$)")

_APOSTROPHES = frozenset("'’‘ʼ´`′")
_HYPHENS = frozenset("-‐‑‒–—―−")
_STRICT_OK = re.compile(r"^[A-Z0-9 ]*$")
_PLAIN = re.compile(r"^[A-Za-z0-9 ]*$")
_ANGLE = re.compile(r"[<>]")

_NUMERO = re.compile(r"^\s*(?:n°|no\.?|n\.|№)\s*(?=\d)", re.IGNORECASE)
_RANGE = re.compile(r"^(\d+)\s*(?:-|/|à|a|au|et|&)\s*\d+(?=[\s,]|$)", re.IGNORECASE)
_SUFFIX = re.compile(r"^(\d+)\s*,?\s*(bis|ter|quater|quinquies)(?=[\s,.]|$)", re.IGNORECASE)
_LETTER = re.compile(r"^(\d+)([A-Za-z])(?=[\s,.]|$)")
_SUFFIX_LETTERS = {"BIS": "B", "TER": "T", "QUATER": "Q", "QUINQUIES": "C"}
_DOTTED = re.compile(r"\b(?:T\s*\.\s*S\s*\.\s*A|[BC]\s*\.\s*[PS])\b\.?", re.IGNORECASE)

_CEDEX = re.compile(r"(?:^|[\s,\-]+)cedex(?:\s*(\d{1,3}))?\s*$", re.IGNORECASE)
_LEADING_CODE = re.compile(r"^(\d{5})[\s,-]+(.*)$")
_FR_CODE_PREFIX = re.compile(r"^(?:FRA|FR|F)\s*-?\s*(?=\d)", re.IGNORECASE)


class _Report:
    """Reasons and notes gathered while checking one address."""

    def __init__(self) -> None:
        self.invalid: list[str] = []
        self.risky: list[str] = []
        self.info: list[str] = []
        self.problems: list[str] = []  # human fragments for invalid/risky findings
        self.changes: list[str] = []

    def bad(self, reason: str, note: str) -> None:
        self.invalid.append(reason)
        self.problems.append(note)

    def warn(self, reason: str, note: str) -> None:
        self.risky.append(reason)
        self.problems.append(note)

    def reasons(self) -> tuple[str, ...]:
        return dedupe(self.invalid + self.risky + self.info)


def _key(token: str) -> str:
    """A token as compared with the abbreviation tables: capitals, no accents, letters and
    digits only."""
    return "".join(ch for ch in upper_ascii(token) if ch.isalnum())


_NOT_UPPER_ALNUM = re.compile(r"[^0-9A-Z]+")


def _line_key(text: str) -> str:
    """A whole line as classified: capitals, no accents, anything else as spaces."""
    return _NOT_UPPER_ALNUM.sub(" ", upper_ascii(text)).strip()


def _shorten(text: str, table: Table, *, only_at: int | None = None,
             limit: int = MAX_LINE) -> tuple[str, list[tuple[str, str]]]:
    """Abbreviate words of `text` from the table, left to right, until it fits `limit`;
    with `only_at`, only the phrase starting at that token index."""
    tokens = text.split(" ")
    keys = [_key(t) for t in tokens]
    done: list[tuple[str, str]] = []
    i = 0 if only_at is None else only_at
    while len(" ".join(tokens)) > limit and i < len(tokens):
        for phrase, abbr in table:
            n = len(phrase)
            if tuple(keys[i:i + n]) == phrase and (n > 1 or keys[i] != abbr):
                original = " ".join(tokens[i:i + n])
                tokens[i:i + n] = [abbr]
                keys[i:i + n] = [abbr]
                done.append((original, abbr))
                break
        if only_at is not None:
            break
        i += 1
    return " ".join(tokens), done


def classify_line(text: str) -> str:
    """Which AFNOR line a free-form address line belongs to, from its wording."""
    key = _line_key(_NUMERO.sub("", text))
    if not key:
        return OTHER
    if _SERVICE.match(key):
        return SERVICE
    words = key.split()
    number = _NUMBER_PREFIX.match(key)
    if number:
        rest = key[number.end():].split()
        if rest and rest[0] in _STREET_WORDS:
            return STREET
    first = words[0]
    second = words[1] if len(words) > 1 else ""
    if first in _INSIDE_WORDS or (first, second) in (("A", "L"), ("C", "O")) or (
            _ORDINAL.match(first) and second in ("ETAGE", "ETG", "DE")):
        return INSIDE
    if first in _BUILDING_WORDS:
        return BUILDING
    if first[0].isdigit() or first in _STREET_WORDS:
        return STREET
    return OTHER


# --- field reading --------------------------------------------------------------------------

def _read(address: object, report: _Report) -> dict[str, str | list[str]] | None:
    """The address's fields as scanned text, or None when a field is unusable (reasons
    recorded)."""
    if not isinstance(address, PostalAddress):
        report.bad("invalid_type", "the address is not a PostalAddress")
        return None
    raw_lines: object = address.lines
    if isinstance(raw_lines, str):
        raw_lines = (raw_lines,)
    if not isinstance(raw_lines, (tuple, list)):
        report.bad("invalid_type", "the address lines are not a list of strings")
        return None
    if len(raw_lines) > MAX_INPUT_LINES:
        report.bad("too_many_lines", f"{len(raw_lines)} address lines were given, more than "
                                     f"the {MAX_INPUT_LINES} accepted")
        return None
    fields: list[tuple[str, object]] = [("recipient", address.recipient)]
    fields += [(f"lines[{i}]", line) for i, line in enumerate(raw_lines)]
    fields += [("postal_code", address.postal_code), ("city", address.city),
               ("country", address.country)]
    out: dict[str, str | list[str]] = {"lines": []}
    ok = True
    for name, value in fields:
        if value is None:
            value = ""
        if not isinstance(value, str):
            report.bad("invalid_type", f"{name} is not a string")
            ok = False
            continue
        if len(value) > MAX_VALUE_LENGTH:
            report.bad("too_long", f"{name} is {len(value)} characters long, more than the "
                                   f"{MAX_VALUE_LENGTH} accepted")
            ok = False
            continue
        scan = scan_text(value)
        if scan.problems:
            for problem in scan.problems:
                report.invalid.append(problem)
            report.problems.append(f"{name}: {scan.detail}")
            ok = False
            continue
        angle = _ANGLE.search(scan.text)
        if angle:
            report.bad("unsupported_characters", f"{name}: '<' and '>' have no place in an "
                                                 "address")
            ok = False
            continue
        report.changes.extend(f"{name}: {note}" for note in scan.notes)
        if scan.text.strip() and collapse_spaces(scan.text) != scan.text:
            report.changes.append(f"{name}: extra spaces removed")
        if name.startswith("lines["):
            lines = out["lines"]
            assert isinstance(lines, list)
            lines.append(scan.text)
        else:
            out[name] = scan.text
    return out if ok else None


def _as_str(value: str | list[str]) -> str:
    return value if isinstance(value, str) else ""


def _as_list(value: str | list[str]) -> list[str]:
    return value if isinstance(value, list) else []


def _finish(report: _Report, block: list[str] | None, summary: str) -> ContactCheck:
    if report.invalid:
        status = INVALID
    elif report.risky:
        status = RISKY
    elif "no_postal_code_rule" in report.info:
        status = UNVERIFIED
    else:
        status = VALID
    if status == INVALID:
        message = "Invalid postal address: " + "; ".join(report.problems) + "."
        normalized: tuple[str, ...] | None = None
    else:
        normalized = tuple(block or ())
        detail = ("; ".join(report.problems) + "; ") if report.problems else ""
        head = {VALID: "Valid", RISKY: "Usable but risky", UNVERIFIED: "Unverified"}[status]
        message = f"{head} postal address: {detail}{summary}."
    return ContactCheck(kind=_KIND, status=status, normalized=normalized,
                        reasons=report.reasons(), message=message,
                        channels=("letter",) if status in (VALID, RISKY) else (),
                        changes=tuple(report.changes))


@total_contact_check(_KIND)
def check_postal_address(address: PostalAddress, debtor_kind: DebtorKind) -> ContactCheck:
    """Check a postal address and lay it out: AFNOR NF Z10-011 for France, the country's
    postal-code format and an international block elsewhere."""
    report = _Report()
    fields = _read(address, report)
    if fields is None:
        return _finish(report, None, "")
    country_in = _as_str(fields["country"])
    country = country_in.strip().upper()
    if country != country_in:
        report.changes.append(f"country {country_in!r} written {country!r}")
    if not country:
        report.bad("missing_country", "the country is missing (ISO 3166-1 alpha-2 code)")
        return _finish(report, None, "")
    if country not in COUNTRY_NAMES_FR:
        report.bad("unknown_country", f"{country[:20]!r} is not an ISO 3166-1 alpha-2 country "
                                      "code")
        return _finish(report, None, "")
    if country == "FR" or country in FRENCH_TERRITORY_PREFIX:
        return _check_french(fields, country, debtor_kind, report)
    return _check_international(fields, country, report)


# --- France ---------------------------------------------------------------------------------

def _strict(text: str) -> tuple[str, list[str]]:
    """A line from line 4 on: capitals without accents, letters, digits and spaces only.
    Returns the text and the fragments describing what changed."""
    notes: list[str] = []

    def _undot(match: re.Match[str]) -> str:
        joined = re.sub(r"[\s.]", "", match.group(0)).upper()
        notes.append(f"{match.group(0).strip()!r} written {joined!r}")
        return joined

    if "." in text:
        text = _DOTTED.sub(_undot, text)
    if _PLAIN.match(text):
        upper = text.upper()
        if upper != text:
            notes.append("upper-cased")
        return collapse_spaces(upper), notes
    removed: list[str] = []
    spaced: list[str] = []
    out: list[str] = []
    for ch in text:
        if ch in _APOSTROPHES or ch in _HYPHENS:
            spaced.append(ch)
            out.append(" ")
        elif ch.isalnum() or ch == " ":
            out.append(ch)
        else:
            removed.append(ch)
    cleaned = "".join(out)
    if removed:
        shown = ", ".join(repr(c) for c in dict.fromkeys(removed))
        notes.append(f"punctuation removed ({shown})")
    if spaced:
        kinds = []
        if any(c in _APOSTROPHES for c in spaced):
            kinds.append("apostrophes")
        if any(c in _HYPHENS for c in spaced):
            kinds.append("hyphens")
        notes.append(f"{' and '.join(kinds)} replaced by spaces")
    upper = upper_ascii(cleaned)
    if upper != cleaned:
        if strip_accents(cleaned) != cleaned:
            notes.append("upper-cased without accents")
        else:
            notes.append("upper-cased")
    result = collapse_spaces(upper)
    return result, notes


def _house_number(text: str) -> tuple[str, list[str]]:
    """'n° 5 bis' -> '5 B', '12/14' -> '12', '12a' -> '12 A' (La Poste numbering)."""
    notes: list[str] = []
    text = text.strip()
    numero = _NUMERO.match(text)
    if numero:
        notes.append(f"{numero.group(0).strip()!r} before the number removed")
        text = text[numero.end():]
    rng = _RANGE.match(text)
    if rng:
        notes.append(f"number range {rng.group(0).strip()!r} reduced to its first number "
                     f"{rng.group(1)!r}")
        text = rng.group(1) + text[rng.end():]
    suffix = _SUFFIX.match(text)
    if suffix:
        letter = _SUFFIX_LETTERS[suffix.group(2).upper()]
        notes.append(f"{suffix.group(1)} {suffix.group(2)!r} written '{suffix.group(1)} {letter}'")
        text = f"{suffix.group(1)} {letter}" + text[suffix.end():]
    else:
        letter_match = _LETTER.match(text)
        if letter_match:
            written = f"{letter_match.group(1)} {letter_match.group(2).upper()}"
            notes.append(f"{letter_match.group(0)!r} written {written!r}")
            text = written + text[letter_match.end():]
    return text, notes


def _street_start(text: str) -> int:
    """Index of the first token after the house number and its suffix."""
    match = _NUMBER_PREFIX.match(text)
    if not match:
        return 0
    return 2 if match.group(2) else 1


# --- a person's name in a street label --------------------------------------------------
# AFNOR NF Z10-011 and La Poste's abbreviation practice go on, for a street named after a
# person that still does not fit once the type and the titles are abbreviated: the first
# names are reduced to their initial, then the initials are dropped; the surname and the
# street type never are. Both rungs start with the first name nearest the surname and move
# left, each step only while the line is too long: the first given name is the one in use
# in France (prénom usuel), so it is the last to go ("3 AV DU MAL J M DE LATTRE DE
# TASSIGNY").

# Articles joining a street type, a title and a name, which are also a surname's particles
# ("RUE DU GENERAL", "JEAN DE LA FONTAINE", "JEANNE D ARC").
_PARTICLES = frozenset("D DE DES DU L LA LE LES AU AUX".split())
# Titles that open a person's name; those without an abbreviation of their own too.
_TITLE_WORDS = frozenset(TITLES) | frozenset(TITLES.values()) | frozenset(
    "ABBE AMIRAL CARDINAL CHANOINE PERE SERGENT ADJUDANT CAPORAL".split())
# A sovereign's or a pope's number: "HENRI IV", "JEAN XXIII" are whole names, not a first
# name before a surname.
_REGNAL = re.compile(r"^(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})$")


@cache
def first_names() -> frozenset[str]:
    """The common French given names shipped in `data/first_names.txt`."""
    text = resources.files("domain.debtors.contacts").joinpath(
        "data/first_names.txt").read_text(encoding="utf-8")
    return frozenset(word for line in text.splitlines()
                     if (word := line.split("#", 1)[0].strip()))


def _is_first_name(key: str) -> bool:
    """A listed given name, or an initial already made of one (D and L are particles)."""
    if len(key) == 1:
        return key.isalpha() and key not in _PARTICLES
    return key in first_names()


def _first_name_span(keys: Sequence[str], start: int) -> range:
    """Where the first names of a person's name sit in a street label whose type is at
    `start`: the listed given names (or initials) right after the type and any articles and
    titles, followed by a surname of at least one word that is not a particle. "RUE PIERRE"
    and "RUE MARCEL PAUL" end on their surname; "RUE SAINT JEAN", "RUE DE LA PAIX" and "RUE
    PAUL ET VIRGINIE" hold no first name. Empty when there is none."""
    if start >= len(keys) or keys[start] not in _STREET_WORDS:
        return range(0)
    begin = start + 1
    while begin < len(keys) and (keys[begin] in _PARTICLES or keys[begin] in _TITLE_WORDS):
        begin += 1
    end = begin
    while end < len(keys) and _is_first_name(keys[end]):
        end += 1
    if end == len(keys):
        end -= 1  # the last word is the surname itself
    surname = keys[end:]
    if end <= begin or surname[0] == "ET" or _REGNAL.match(surname[0]) or all(
            key in _PARTICLES for key in surname):
        return range(0)
    return range(begin, end)


_HYPHEN = "[" + re.escape("".join(sorted(_HYPHENS))) + "]"
_HYPHENATED = re.compile(rf"[^\W\d_]+(?:{_HYPHEN}[^\W\d_]+)+")


def _hyphenated(text: str) -> frozenset[tuple[str, ...]]:
    """The hyphenated words of a line as given ("Jean-Pierre" -> ("JEAN", "PIERRE")): the
    strict line has lost its hyphens, yet a compound first name is one name."""
    return frozenset(tuple(_key(part) for part in re.split(_HYPHEN, m[0]))
                     for m in _HYPHENATED.finditer(text))


def _first_name_groups(keys: Sequence[str], span: range,
                       compounds: frozenset[tuple[str, ...]]) -> list[range]:
    """The first names of `span`, a compound one (JEAN-PIERRE) as a single group; a compound
    running on into the surname is left out whole."""
    groups: list[range] = []
    i = span.start
    while i < span.stop:
        size = max((len(c) for c in compounds if tuple(keys[i:i + len(c)]) == c), default=1)
        if i + size > span.stop:
            break
        groups.append(range(i, i + size))
        i += size
    return groups


def _shorten_first_names(text: str, start: int, compounds: frozenset[tuple[str, ...]]
                         ) -> tuple[str, list[str]]:
    """Rungs 3 and 4 of the ladder on a street line still too long: first names to their
    initial, then initials dropped, nearest the surname first, while the line does not fit.
    Returns the text and what was done."""
    tokens = text.split(" ")
    keys = [_key(t) for t in tokens]
    groups = _first_name_groups(keys, _first_name_span(keys, start), compounds)

    def fits() -> bool:
        return len(" ".join(t for t in tokens if t)) <= MAX_LINE

    done: list[str] = []
    for group in reversed(groups):
        if fits():
            break
        name = " ".join(tokens[i] for i in group)
        if any(len(tokens[i]) > 1 for i in group):
            for i in group:
                tokens[i] = tokens[i][0]
            initials = " ".join(tokens[i] for i in group)
            done.append(f"first name {name!r} reduced to its initial{'s' * (len(group) > 1)} "
                        f"{initials!r}")
    for group in reversed(groups):
        if fits():
            break
        initials = " ".join(tokens[i] for i in group)
        done.append(f"initial{'s' * (len(group) > 1)} {initials!r} dropped")
        for i in group:
            tokens[i] = ""
    return " ".join(t for t in tokens if t), done


def _fit_strict(text: str, label: str, report: _Report, *, street: bool,
                compounds: frozenset[tuple[str, ...]] = frozenset()) -> str:
    """Shorten a strict line until it fits 38 characters, one rung of the AFNOR ladder at a
    time: the street type, the titles and other words, then (street line) the first names to
    their initials and the initials dropped; invalid if it still does not fit."""
    if len(text) <= MAX_LINE:
        return text
    done: list[tuple[str, str]] = []
    if street:
        text, done = _shorten(text, _STREET_TABLE, only_at=_street_start(text))
    for table in (_OTHER_TABLE, _STREET_TABLE):
        if len(text) > MAX_LINE:
            text, more = _shorten(text, table)
            done += more
    notes = _abbreviated(done)
    if street and len(text) > MAX_LINE:
        text, more_notes = _shorten_first_names(text, _street_start(text), compounds)
        notes += more_notes
    return _report_abbreviations(text, label, report, notes)


def _fit_free(text: str, label: str, report: _Report, table: Table) -> str:
    if len(text) <= MAX_LINE:
        return text
    text, done = _shorten(text, table)
    return _report_abbreviations(text, label, report, _abbreviated(done))


def _abbreviated(done: list[tuple[str, str]]) -> list[str]:
    return [f"{original!r} abbreviated to {abbr!r}" for original, abbr in done]


def _report_abbreviations(text: str, label: str, report: _Report, done: list[str]) -> str:
    """Say what was shortened, and refuse a line that still does not fit."""
    for what in done:
        report.changes.append(f"{label}: {what} to fit {MAX_LINE} characters")
    if done:
        report.info.append("line_too_long_abbreviated")
    if len(text) > MAX_LINE:
        report.bad("line_too_long", f"{label} {text[:60]!r} has {len(text)} characters even "
                                    f"abbreviated, more than {MAX_LINE}")
    return text


def _order_lines(lines: list[str], report: _Report) -> tuple[list[str], list[str], list[str]]:
    """Split the free lines into lines 2-3 (kept as written) and lines 4-5 (strict), in the
    norm's order. Returns (upper, lower, classes of lower)."""
    classes = [classify_line(line) for line in lines]
    delivery = next((i for i, c in enumerate(classes) if c in (STREET, SERVICE)), None)
    if delivery is None:
        delivery = len(lines) - 1 if lines and classes[-1] == OTHER else len(lines)
    upper = list(zip(lines[:delivery], classes[:delivery], strict=True))
    lower = list(zip(lines[delivery:], classes[delivery:], strict=True))
    if len(lower) > 1:
        stay = [lower[0]] + [lc for lc in lower[1:] if lc[1] not in (INSIDE, BUILDING)]
        moved = [lc for lc in lower[1:] if lc[1] in (INSIDE, BUILDING)]
        for line, _ in moved:
            report.changes.append(f"{line!r} moved above the street line: the inside and the "
                                  "building (lines 2-3) come before the street (line 4)")
        upper += moved
        lower = stay
        if lower[0][1] == SERVICE:
            street_at = next((i for i, lc in enumerate(lower) if lc[1] == STREET), None)
            if street_at is not None:
                street = lower.pop(street_at)
                lower.insert(0, street)
                report.changes.append(f"{street[0]!r} moved before {lower[1][0]!r}: the street "
                                      "(line 4) comes before BP, CS or lieu-dit (line 5)")
    rank = {OTHER: 0, INSIDE: 1, BUILDING: 2, STREET: 3, SERVICE: 3}
    ordered = sorted(upper, key=lambda lc: rank[lc[1]])
    if [lc[0] for lc in ordered] != [lc[0] for lc in upper]:
        report.changes.append(
            "lines 2-3 reordered from the most specific to the most general ("
            + ", then ".join(repr(lc[0]) for lc in ordered)
            + "): named addressee or apartment before building")
    return [lc[0] for lc in ordered], [lc[0] for lc in lower], [lc[1] for lc in lower]


def _french_code(fields: dict[str, str | list[str]], report: _Report) -> tuple[str, str]:
    """The postal code (5 digits, or '' when unusable) and the city field without it."""
    raw = _as_str(fields["postal_code"]).strip()
    city = collapse_spaces(_as_str(fields["city"]))
    code = raw
    prefix = _FR_CODE_PREFIX.match(code)
    if prefix:
        code = code[prefix.end():]
        report.changes.append(f"postal code: country prefix {prefix.group(0).strip()!r} removed")
    compact = re.sub(r"[\s.]", "", code)
    if compact != code:
        report.changes.append(f"postal code: spaces removed ({code!r} -> {compact!r})")
        code = compact
    leading = _LEADING_CODE.match(city)
    if leading and (not code or leading.group(1) == code):
        if not code:
            code = leading.group(1)
            report.changes.append(f"postal code {code} taken from the city field")
        else:
            report.changes.append(f"city: postal code {code} repeated in the city field removed")
        city = leading.group(2).strip()
    if not code:
        report.bad("missing_postal_code", "the postal code is missing")
        return "", city
    if not re.fullmatch(r"[0-9]{5}", code):
        report.bad("postal_code_format", f"postal code {raw[:20]!r} must be exactly 5 digits")
        return "", city
    return code, city


def _afnor_numbers(upper_classes: list[str], lower_classes: list[str]) -> list[int]:
    """The norm's line number (1-6) of each printed line: recipient, lines 2-3, lines 4-5,
    locality."""
    if len(upper_classes) == 1:
        upper = [3 if upper_classes[0] == BUILDING else 2]
    else:
        upper = [min(2 + i, 3) for i in range(len(upper_classes))]
    lower = [min((5 if lower_classes[0] == SERVICE else 4) + i, 5)
             for i in range(len(lower_classes))]
    return [1, *upper, *lower, 6]


def _labels(numbers: list[int]) -> list[str]:
    """'line 4' when the printed position is the norm's number, else 'line 2 (AFNOR line
    4)': empty lines are not printed, so a short block renumbers its lines."""
    return [f"line {p}" if p == n else f"line {p} (AFNOR line {n})"
            for p, n in enumerate(numbers, start=1)]


def _check_french(fields: dict[str, str | list[str]], country: str, debtor_kind: DebtorKind,
                  report: _Report) -> ContactCheck:
    consumer = debtor_kind == DebtorKind.CONSUMER
    if country != "FR":
        report.changes.append(
            f"country {country} addressed as France: La Poste carries mail to "
            f"{COUNTRY_NAMES_FR[country].title()} as domestic mail, without a country line")

    raw_lines = _as_list(fields["lines"])
    lines = [collapse_spaces(line) for line in raw_lines]
    dropped = sum(1 for line in lines if not line)
    lines = [line for line in lines if line]
    if dropped:
        report.changes.append(f"{dropped} empty line(s) dropped")
    if len(lines) > MAX_LINES_FR - 2:
        report.bad("too_many_lines", f"{len(lines)} address lines make a block of "
                                     f"{len(lines) + 2} lines, more than {MAX_LINES_FR}")
        lines = lines[: MAX_LINES_FR - 2]
    upper, lower, lower_classes = _order_lines(lines, report)
    labels = _labels(_afnor_numbers([classify_line(line) for line in upper], lower_classes))

    # Line 1: free, shortened only through legal-form abbreviations.
    recipient = collapse_spaces(_as_str(fields["recipient"]))
    if not recipient:
        report.bad("missing_recipient", "the recipient (line 1) is missing")
    elif len(recipient) > MAX_LINE:
        recipient = _fit_free(recipient, labels[0], report, _LEGAL_TABLE)

    # Lines 2-3: free.
    block_upper = [_fit_free(line, labels[1 + i], report, _OTHER_TABLE)
                   for i, line in enumerate(upper)]

    # Lines 4-5: capitals, no punctuation.
    block_lower: list[str] = []
    for i, (line, cls) in enumerate(zip(lower, lower_classes, strict=True)):
        label = labels[1 + len(upper) + i]
        text, number_notes = _house_number(line) if cls == STREET else (line, [])
        text, notes = _strict(text)
        notes = number_notes + notes
        if notes:
            report.changes.append(f"{label}: " + "; ".join(notes)
                                  + " (no punctuation and capitals from line 4 on, "
                                    "AFNOR NF Z10-011)")
        if not _STRICT_OK.match(text):
            bad = "".join(dict.fromkeys(ch for ch in text if not _STRICT_OK.match(ch)))
            report.bad("unsupported_characters", f"{label} has characters La Poste cannot "
                                                 f"sort ({bad[:10]!r})")
        elif not text:
            report.bad("unsupported_characters", f"{label} {line!r} has no letter or digit")
        block_lower.append(_fit_strict(text, label, report, street=cls == STREET,
                                       compounds=_hyphenated(line)))

    # Line 6: postal code and locality, capitals without accents.
    last_label = labels[-1]
    code, city = _french_code(fields, report)
    cedex = _CEDEX.search(city)
    city_name = city[: cedex.start()].strip() if cedex else city
    if not city_name:
        report.bad("missing_city", "the city is missing")
    area = french_area(code) if code else None
    if code and area is None:
        report.bad("postal_code_unknown_department",
                   f"no département uses postal code {code} (prefix {code[:2]})")
    elif area == "MC":
        report.bad("postal_code_mismatch_country",
                   f"postal code {code} is Monaco's: give the country as MC")
    if code and country != "FR" and not code.startswith(FRENCH_TERRITORY_PREFIX[country]):
        report.bad("postal_code_mismatch_department",
                   f"postal code {code} is not in {COUNTRY_NAMES_FR[country].title()} "
                   f"(codes {FRENCH_TERRITORY_PREFIX[country]}xx)")
    city_line, city_notes = _strict(city_name)
    if city_name and not city_line:
        report.bad("missing_city", f"the city {city_name[:40]!r} has no letter or digit")
    expected_area = CITY_AREAS.get(city_line)
    if area and area != "MC" and expected_area and expected_area != area:
        report.bad("postal_code_mismatch_department",
                   f"postal code {code} is in {_area_label(area)} but {city_name} is in "
                   f"{_area_label(expected_area)}")
    if not _STRICT_OK.match(city_line):
        report.bad("unsupported_characters", f"the city {city_name!r} has letters La Poste "
                                             "cannot sort (Latin letters, digits and spaces only)")
    if cedex:
        number = cedex.group(1)
        cedex_text = "CEDEX" + (f" {number}" if number else "")
        if cedex.group(0).strip() != cedex_text:
            city_notes.append(f"{cedex.group(0).strip()!r} written {cedex_text!r}")
        city_line = f"{city_line} {cedex_text}".strip()
        if consumer:
            report.warn("cedex_for_consumer", "CEDEX delivery is a service for organisations, "
                                              "unusual for a consumer")
    if not lower and not cedex:
        # A CEDEX code is itself the delivery point; otherwise a street, BP or lieu-dit is
        # needed.
        report.warn("no_delivery_line", "no street, BP or lieu-dit line tells the postman where "
                                        "to deliver")
    if city_notes:
        report.changes.append("last line: " + "; ".join(city_notes)
                              + " (capitals without accents or punctuation, as La Poste sorts)")
    last = f"{code} {city_line}".strip()
    if len(last) > MAX_LINE:
        shortened, done = _shorten(last, _CITY_TABLE)
        for original, abbr in done:
            report.changes.append(f"{last_label}: {original!r} abbreviated to {abbr!r} to fit "
                                  f"{MAX_LINE} characters")
        if done:
            report.info.append("line_too_long_abbreviated")
        last = shortened
        if len(last) > MAX_LINE:
            report.bad("line_too_long", f"the last line {last!r} has {len(last)} characters, "
                                        f"more than {MAX_LINE}")

    block = [recipient, *block_upper, *block_lower, last]
    who = "a person" if consumer else "a company"
    where = _area_label(area) if area and area != "MC" else "France"
    summary = (f"{len(block)}-line AFNOR NF Z10-011 block for {who} in {where}, "
               f"{len(report.changes)} change(s) made")
    return _finish(report, block, summary)


def _area_label(area: str) -> str:
    name = FRENCH_AREA_NAMES.get(area)
    return f"département {area}" + (f" ({name})" if name else "")


# --- elsewhere ------------------------------------------------------------------------------

def _check_international(fields: dict[str, str | list[str]], country: str,
                         report: _Report) -> ContactCheck:
    country_name = COUNTRY_NAMES_FR[country]
    recipient = collapse_spaces(_as_str(fields["recipient"]))
    if not recipient:
        report.bad("missing_recipient", "the recipient (line 1) is missing")
    raw_lines = _as_list(fields["lines"])
    lines = [collapse_spaces(line) for line in raw_lines]
    dropped = sum(1 for line in lines if not line)
    lines = [line for line in lines if line]
    if dropped:
        report.changes.append(f"{dropped} empty line(s) dropped")
    city_in = collapse_spaces(_as_str(fields["city"]))
    if not city_in:
        report.bad("missing_city", "the city is missing")
    city = city_in.upper()
    if city != city_in and city_in:
        report.changes.append(f"city upper-cased ({city_in!r} -> {city!r})")

    rule = POSTAL_RULES.get(country)
    raw_code = _as_str(fields["postal_code"])
    code = collapse_spaces(raw_code).upper()
    code = re.sub(r"\s*-\s*", "-", code)
    canonical = ""
    if country in NO_POSTAL_CODE:
        if code:
            report.warn("unexpected_postal_code", f"{country_name.title()} has no postal codes, "
                                                  f"yet {code!r} was given")
            canonical = code
    elif rule is None:
        report.info.append("no_postal_code_rule")
        report.problems.append(f"no postal-code format is known for {country_name.title()}, "
                               f"{code!r} kept as given")
        canonical = code
    elif not code:
        if not rule.optional:
            report.bad("missing_postal_code", "the postal code is missing")
    else:
        found = rule.canonical(code) or rule.canonical(code.replace(" ", ""))
        if found is None:
            prefixed = re.match(r"^([A-Z]{1,3})\s*-?\s*(.+)$", code)
            if prefixed and prefixed.group(1) in rule.prefixes:
                found = rule.canonical(prefixed.group(2))
                if found is not None:
                    report.changes.append(f"postal code: national prefix "
                                          f"{prefixed.group(1)!r} removed ({raw_code.strip()!r} "
                                          f"-> {found!r})")
                    canonical = found
        if found is None:
            report.bad("postal_code_format", f"postal code {raw_code.strip()[:20]!r} does not "
                                             f"have the format of {country_name.title()} "
                                             f"(e.g. {rule.example!r})")
        elif not canonical:
            if found != raw_code.strip():
                report.changes.append(f"postal code written {found!r} (was "
                                      f"{raw_code.strip()!r})")
            canonical = found

    layout = rule.layout if rule else "code_city"
    if layout == CITY_THEN_CODE:
        locality = [city] + ([canonical] if canonical else [])
    elif layout == CITY_CODE:
        locality = [f"{city} {canonical}".strip()]
    else:
        locality = [f"{canonical} {city}".strip()]
    block = [recipient, *lines, *locality, country_name]
    if len(block) > MAX_LINES_INTERNATIONAL:
        report.bad("too_many_lines", f"the block would have {len(block)} lines, more than "
                                     f"{MAX_LINES_INTERNATIONAL} for international mail")
    long_lines = [i + 1 for i, line in enumerate(block) if len(line) > MAX_LINE]
    if long_lines:
        report.warn("line_too_long", f"line(s) {', '.join(map(str, long_lines))} exceed "
                                     f"{MAX_LINE} characters and may not fit an envelope window")
    summary = (f"{len(block)}-line international block for {country_name.title()} ({country}), "
               "country on the last line")
    return _finish(report, block, summary)
