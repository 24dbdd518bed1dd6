"""The BODACC's notices of collective proceedings, from DILA's open data (OpenDataSoft,
explore API v2.1, dataset `annonces-commerciales`; free, no key: reference/judicial.md §6,
https://www.api.gouv.fr/les-api/api-bulletin-annonces-civiles-commerciales-bodacc).

A record, as the dataset documents it: `id`, `dateparution`, `familleavis` (`collective`
for "Procédures collectives") and `familleavis_lib`, `typeavis_lib` (initial, rectificatif,
annulation), `tribunal`, `registre` (the SIREN, twice: "123456789" and "123 456 789"),
`listepersonnes` and `jugement`, the last two JSON *in a string*. `jugement` carries
`famille`, `nature`, `date` and `complementJugement`, a sentence that names the mandataire
or liquidateur and their address ("… désignant liquidateur SELARL X prise en la personne
de Me Y 23 rue Victor Hugo 95300 Pontoise. Les déclarations des créances …"). That sentence
is free text: what cannot be read from it is left out (the watch then asks a person), never
guessed. The shapes read (tests/unit/test_company_data.py): a title with or without a
colon, the mandataire before or after an administrateur, "demeurant" or "en son étude"
before the address, a numbered range or suffix ("23-25", "14/16", "7 bis"), a street
without a number after a comma, a BP or CS number and a CEDEX.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlencode

from adapters.postal.merci_facteur import Transport, TransportFailed, Urllib3Transport
from domain.ports.company_data import (
    CompanyDataUnavailable,
    Mandataire,
    NoticeKind,
    ProceedingsNotice,
)

DEFAULT_BASE_URL = ("https://bodacc-datadila.opendatasoft.com/api/explore/v2.1/catalog/"
                    "datasets/annonces-commerciales/records")
# The API's page size limit; a company with more notices than this of one family is not
# one a creditor still chases (the newest come first).
PAGE = 100

_MONTHS = {"janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5,
           "juin": 6, "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10,
           "novembre": 11, "décembre": 12, "decembre": 12}
_FRENCH_DATE = re.compile(r"^(\d{1,2})(?:er)? ([a-zéû]+) (\d{4})$", re.IGNORECASE)
_SIREN = re.compile(r"^\d{9}$")
# Who the claim is declared to: named after "mandataire judiciaire" or "liquidateur" (an
# administrateur judiciaire is someone else, whose name may come first).
_TITLE = re.compile(r"(?:mandataire judiciaire|liquidateur(?: judiciaire)?)\s*:?\s+",
                    re.IGNORECASE)
# A postcode, then the city, which may end with CEDEX and its number ("13100
# Aix-en-Provence Cedex 1"); a 5-digit BP or CS number is not followed by a city.
_POSTCODE_CITY = re.compile(r"(?P<cp>\b\d{5})\s+"
                            r"(?P<city>[A-Za-zÀ-ÿ'’ -]+?(?:\s+cedex(?:\s+\d{1,2})?)?)"
                            r"\s*(?=[.,;]|\s+Les\s|\s+avec\s|\s+et\s|$)", re.IGNORECASE)
_STREET_TYPES = ("rue|avenue|av|boulevard|bd|place|chemin|allée|allee|quai|route|impasse|"
                 "cours|square|passage|esplanade|parvis|promenade|rond-point|voie|mail|"
                 "faubourg|cité|cite|résidence|residence|parc|zone|za|zi|zac|lieu-dit|"
                 "hameau|domaine|sentier|traverse|montée|montee|port|centre")
# The number keeps a range ("23-25", "14/16") and a suffix ("2 B", "7 bis"); a street
# without a number is taken only after a comma, where a name does not go on.
_STREET = re.compile(r"(?:\b\d+(?:\s?[-/]\s?\d+)?(?:\s?(?:bis|ter|quater|[A-Z]))?\b,?\s+|"
                     r"(?<=,)\s*)(?:" + _STREET_TYPES + r")\b", re.IGNORECASE)
# What links a name to its address: "Maître X demeurant 8 rue …", "… en son étude 8 rue …".
_LINK = re.compile(r"[\s,]+(?:demeurant|domicili[ée]e?|sise?|situ[ée]e?|en son étude|"
                   r"dont l'étude est située|dont le siège est)(?:\s+(?:au|à|a))?\s*$",
                   re.IGNORECASE)


class BodaccClient:
    """Reads every collective-proceedings notice of one SIREN (one HTTP request)."""

    def __init__(self, base_url: str = DEFAULT_BASE_URL,
                 transport: Transport | None = None) -> None:
        self._base_url = base_url
        self._transport: Transport = transport or Urllib3Transport(read_timeout=20.0)

    def notices(self, siren: str) -> tuple[ProceedingsNotice, ...]:
        if not _SIREN.fullmatch(siren):
            raise ValueError("a SIREN is nine digits")  # never interpolated into a query
        query = {"where": f'registre like "{siren}" and familleavis="collective"',
                 "order_by": "dateparution desc", "limit": str(PAGE)}
        url = f"{self._base_url}?{urlencode(query)}"
        try:
            status, _, body = self._transport("GET", url, {"Accept": "application/json"},
                                              None)
        except TransportFailed as error:
            raise CompanyDataUnavailable(f"the BODACC could not be reached ({error})") from None
        if status != 200:
            raise CompanyDataUnavailable(f"the BODACC answered HTTP {status}")
        try:
            answer = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise CompanyDataUnavailable("the BODACC's answer is not JSON") from None
        return parse_records(answer, siren)


def parse_records(answer: Any, siren: str) -> tuple[ProceedingsNotice, ...]:
    """The notices of `siren` in an explore v2.1 answer (`{"total_count", "results"}`).
    A record of another company (`like` matches a SIREN inside a longer text), of another
    family, or without its id or publication date is left out."""
    if not isinstance(answer, Mapping) or not isinstance(answer.get("results"), list):
        raise CompanyDataUnavailable("the BODACC's answer has no results list")
    found = []
    for record in answer["results"]:
        if not isinstance(record, Mapping) or record.get("familleavis") != "collective":
            continue
        registre = record.get("registre") or []
        numbers = {str(r).replace(" ", "") for r in
                   (registre if isinstance(registre, list) else [registre])}
        if siren not in numbers:
            continue
        notice = _notice(record)
        if notice is not None:
            found.append(notice)
    return tuple(found)


def _notice(record: Mapping[str, Any]) -> ProceedingsNotice | None:
    notice_id, published = record.get("id"), _date(record.get("dateparution"))
    if not isinstance(notice_id, str) or published is None:
        return None
    judgment = _json(record.get("jugement"))
    nature = str(judgment.get("nature") or "")
    complement = str(judgment.get("complementJugement") or "")
    kind = _kind(f"{nature} {complement}")
    cancelled = "annulation" in str(record.get("typeavis_lib") or "").lower()
    family = str(judgment.get("famille") or "")
    return ProceedingsNotice(
        notice_id=notice_id, kind=kind,
        opening=not cancelled and kind is not NoticeKind.OTHER and _opens(nature, complement),
        court=str(record.get("tribunal") or "").strip(),
        judgment_on=_date(judgment.get("date")), published_on=published, nature=nature,
        mandataire=mandataire_of(complement),
        closes=not cancelled and _closes(family, nature),
        plan=not cancelled and _plan(family, nature))


def _json(value: Any) -> Mapping[str, Any]:
    if isinstance(value, Mapping):
        return value
    if isinstance(value, str) and value.strip():
        try:
            parsed = json.loads(value)
        except ValueError:
            return {}
        return parsed if isinstance(parsed, Mapping) else {}
    return {}


def _kind(text: str) -> NoticeKind:
    lowered = text.lower()
    if "liquidation judiciaire" in lowered:
        return NoticeKind.LIQUIDATION
    if "redressement judiciaire" in lowered:
        return NoticeKind.REDRESSEMENT
    if "sauvegarde" in lowered:
        return NoticeKind.SAUVEGARDE
    return NoticeKind.OTHER


def _opens(nature: str, complement: str) -> bool:
    """A judgment that opens proceedings or changes their kind: "Jugement d'ouverture …", a
    liquidation pronounced, a conversion. A plan or a closure is not one. Which of these
    opens new proceedings and which converts those already open is the sequence's to say
    (domain.services.insolvency_watch.current_proceedings): the claims declared in the
    first stand (C. com. L641-1 VI) and their dates stay the first opening's."""
    lowered = nature.lower()
    if "ouverture" in lowered and "réouverture" not in complement.lower():
        return True
    # A conversion ("Jugement de conversion en liquidation judiciaire") opens nothing new:
    # the watch keeps the first opening's dates and takes the new kind from it.
    return "prononçant la liquidation" in lowered or "conversion en" in lowered


def _closes(family: str, nature: str) -> bool:
    """A judgment that ends the proceedings: the BODACC's family "Jugement de clôture", or
    a nature "Jugement de clôture pour insuffisance d'actif" / "pour extinction du passif"
    (C. com. L643-9), "… mettant fin à la procédure …" (L622-12 for a sauvegarde, L631-16
    for a redressement)."""
    text = f"{family} {nature}".lower()
    return "clôture" in text or "cloture" in text or "mettant fin à la procédure" in text


def _plan(family: str, nature: str) -> bool:
    """A plan adopted: "Jugement de plan", "Jugement arrêtant le plan de …" (not a plan
    modified or rescinded, nor a plan de cession within a liquidation, which goes on)."""
    text = f"{family} {nature}".lower()
    if "cession" in text or "résolution" in text or "modifiant" in text:
        return False
    return "arrêtant le plan" in text or family.lower().strip() == "jugement de plan"


def _date(value: Any) -> date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    match = _FRENCH_DATE.match(text)
    if match and match[2].lower() in _MONTHS:
        try:
            return date(int(match[3]), _MONTHS[match[2].lower()], int(match[1]))
        except ValueError:
            return None
    return None


def mandataire_of(complement: str) -> Mandataire | None:
    """The mandataire (or liquidateur) named in `complementJugement`, with the address
    when it can be read: a street with a number and a street type, then a postcode and a
    city. The name is what comes between the title and the street."""
    title = _TITLE.search(complement)
    if title is None:
        return None
    rest = complement[title.end():]
    place = _POSTCODE_CITY.search(rest)
    if place is None:
        name = rest.split(".")[0].strip(" ,-")
        return Mandataire(_clean(name)) if name else None
    before = rest[:place.start()]
    street = _STREET.search(before)
    if street is None:
        return Mandataire(_clean(before))
    name = _clean(_LINK.sub("", before[:street.start()]))
    line = _clean(before[street.start():]).replace(",", "")
    return Mandataire(name or _clean(before), " ".join(line.split()).upper(), place["cp"],
                      " ".join(place["city"].split()).upper())


def _clean(text: str) -> str:
    return " ".join(text.split()).strip(" ,-")
