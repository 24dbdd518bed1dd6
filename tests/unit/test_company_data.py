"""The BODACC and Sirene adapters on answers shaped as their documentation gives them
(tests/events/bodacc-*.json, sirene-*.json; names invented), through a fake transport."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from adapters.company_data import PublicCompanyData
from adapters.company_data.bodacc import BodaccClient, mandataire_of, parse_records
from adapters.company_data.sirene import KEY_HEADER, SireneClient
from adapters.postal.merci_facteur import TransportFailed
from domain.ports.company_data import (
    CompanyDataUnavailable,
    CompanyState,
    CompanyStatus,
    Mandataire,
    NoticeKind,
)

EVENTS = Path(__file__).resolve().parents[1] / "events"


def _load(name: str) -> bytes:
    return (EVENTS / name).read_bytes()


class Transport:
    def __init__(self, *answers: tuple[int, bytes] | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[tuple[str, str, Mapping[str, str]]] = []

    def __call__(self, method: str, url: str, headers: Mapping[str, str],
                 body: bytes | None) -> tuple[int, Mapping[str, str], bytes]:
        self.requests.append((method, url, headers))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer[0], {}, answer[1]


def test_a_liquidation_notice_is_read_with_its_court_dates_and_liquidateur() -> None:
    transport = Transport((200, _load("bodacc-liquidation.json")))

    notices = BodaccClient(transport=transport).notices("552100554")

    (method, url, _), = transport.requests
    query = parse_qs(urlsplit(url).query)
    assert method == "GET" and urlsplit(url).path.endswith(
        "/catalog/datasets/annonces-commerciales/records")
    assert query["where"] == ['registre like "552100554" and familleavis="collective"']
    # The record of 9552100554 (a `like` match inside a longer number) is left out.
    assert [n.notice_id for n in notices] == ["A202600088888", "A202600045678",
                                              "A202500011111"]
    cancelled, opening, plan = notices
    assert not cancelled.opening  # an "avis d'annulation" opens nothing
    assert opening.opening and opening.kind is NoticeKind.LIQUIDATION
    assert opening.court == "TRIBUNAL DE COMMERCE DE LYON"
    assert (opening.judgment_on, opening.published_on) == (date(2026, 2, 20), date(2026, 3, 2))
    assert opening.mandataire == Mandataire(
        "SELARL Exemple Mandataires prise en la personne de Me Anne Test",
        "4 RUE DE LA RÉPUBLIQUE", "69002", "LYON")
    # A plan is no opening; its date is written out in French.
    assert not plan.opening and plan.judgment_on == date(2025, 6, 2)


def test_the_mandataire_is_found_after_an_administrateur_and_a_digit_in_its_name() -> None:
    notices = parse_records(json.loads(_load("bodacc-redressement.json")), "443061841")

    (notice,) = notices
    assert notice.opening and notice.kind is NoticeKind.REDRESSEMENT
    assert notice.judgment_on == date(2026, 3, 2)
    assert notice.mandataire == Mandataire(
        "SELARL 2M Etude prise en la personne de Maître Julie Modèle",
        "14/16 RUE DE LORRAINE", "69001", "LYON")


@pytest.mark.parametrize(("complement", "expected"), [
    # "2 B, avenue …" and " - 21000 …": the number keeps its letter, the dash goes.
    ("Jugement prononçant la liquidation judiciaire, désignant liquidateur SELARL Essai "
     "prise en la personne de Maître Jean Exemple 2 B, avenue de la Gare - 21000 Dijon . "
     "Les créances sont à adresser …",
     Mandataire("SELARL Essai prise en la personne de Maître Jean Exemple",
                "2 B AVENUE DE LA GARE", "21000", "DIJON")),
    # No address in the sentence: the name alone, for the person who declares.
    ("Jugement prononçant l'ouverture d'une procédure de sauvegarde, désignant mandataire "
     "judiciaire SCP Essai.", Mandataire("SCP Essai")),
    ("Jugement prononçant la clôture pour insuffisance d'actif.", None),
    # The shapes the BODACC's notices take, as published (the names invented).
    # A title with a colon, the mandataire before the administrateur, "…, et".
    ("Jugement d'ouverture d'une procédure de redressement judiciaire, désignant mandataire "
     "judiciaire : Maître Jean Exemple, 3 place du Palais 33000 Bordeaux, et administrateur "
     "SELARL AJ Essai 10 cours de Verdun 33000 Bordeaux.",
     Mandataire("Maître Jean Exemple", "3 PLACE DU PALAIS", "33000", "BORDEAUX")),
    # A CS (or BP) number of five digits before the postcode, and a CEDEX with its number.
    ("Jugement prononçant la liquidation judiciaire, désignant liquidateur SELARL Essai "
     "12 avenue de la Gare CS 12345 13100 Aix-en-Provence Cedex 1. Les déclarations des "
     "créances sont à adresser au liquidateur …",
     Mandataire("SELARL Essai", "12 AVENUE DE LA GARE CS 12345", "13100",
                "AIX-EN-PROVENCE CEDEX 1")),
    # "demeurant" between the name and the address; a numbered range "23-25".
    ("Jugement d'ouverture de liquidation judiciaire, liquidateur Maître Anne Modèle "
     "demeurant 23-25 rue du Faubourg Saint-Jean 45000 Orléans. Les créances …",
     Mandataire("Maître Anne Modèle", "23-25 RUE DU FAUBOURG SAINT-JEAN", "45000",
                "ORLÉANS")),
    # A street without a number, after a comma; an apostrophe in the city.
    ("Jugement d'ouverture de sauvegarde, désignant mandataire judiciaire SCP Essai, "
     "rue de la République 38080 L’Isle-d’Abeau. Les déclarations …",
     Mandataire("SCP Essai", "RUE DE LA RÉPUBLIQUE", "38080", "L’ISLE-D’ABEAU")),
    # "Liquidateur judiciaire" in capitals, then an industrial zone; an overseas postcode.
    ("Jugement prononçant la liquidation judiciaire. Liquidateur judiciaire : SELAS Essai "
     "Mandataires 7 bis ZI du Port 97420 Le Port.",
     Mandataire("SELAS Essai Mandataires", "7 BIS ZI DU PORT", "97420", "LE PORT")),
])
def test_the_mandataire_in_free_text(complement: str, expected: Mandataire | None) -> None:
    assert mandataire_of(complement) == expected


def test_a_company_without_notices_and_an_outage_are_told_apart() -> None:
    assert BodaccClient(transport=Transport((200, _load("bodacc-none.json")))).notices(
        "552100554") == ()
    for answer in [(503, b""), (200, b"<html>"), (200, b'{"error": 1}'),
                   TransportFailed("ConnectTimeoutError")]:
        with pytest.raises(CompanyDataUnavailable):
            BodaccClient(transport=Transport(answer)).notices("552100554")


def test_a_siren_is_never_put_in_a_query_unchecked() -> None:
    with pytest.raises(ValueError):
        BodaccClient(transport=Transport()).notices('1" or registre like "%')


def test_sirene_reads_the_current_period_with_the_key_read_once() -> None:
    reads: list[int] = []

    def key() -> str:
        reads.append(1)
        return "integration-key"

    transport = Transport((200, _load("sirene-ceased.json")), (404, b"{}"))
    client = SireneClient(key, transport=transport)

    assert client.status("443061841") == CompanyStatus(CompanyState.CEASED, date(2026, 1, 31))
    assert client.status("552100554") is None  # unknown to Sirene: no status, no outage
    assert len(reads) == 1
    _method, url, headers = transport.requests[0]
    assert url == "https://api.insee.fr/api-sirene/3.11/siren/443061841"
    assert headers[KEY_HEADER] == "integration-key"


def test_sirene_refusing_the_key_is_an_outage_and_the_key_is_read_again() -> None:
    reads: list[int] = []

    def key() -> str:
        reads.append(1)
        return "k"

    client = SireneClient(key, transport=Transport((401, b""), (200, _load(
        "sirene-ceased.json"))))
    with pytest.raises(CompanyDataUnavailable):
        client.status("443061841")
    assert client.status("443061841") is not None
    assert len(reads) == 2


def test_both_sources_answer_one_question() -> None:
    data = PublicCompanyData(
        BodaccClient(transport=Transport((200, _load("bodacc-redressement.json")))),
        SireneClient(lambda: "k", transport=Transport((200, _load("sirene-ceased.json")))))

    facts = data.company("443061841")

    assert [n.notice_id for n in facts.openings] == ["A202600050505"]
    assert facts.status is not None and facts.status.state is CompanyState.CEASED


def _record(notice_id: str, family: str, nature: str, complement: str = "",
            typeavis: str = "Avis initial") -> dict[str, object]:
    return {"id": notice_id, "dateparution": "2026-03-02", "typeavis_lib": typeavis,
            "familleavis": "collective", "tribunal": "TRIBUNAL DE COMMERCE DE LYON",
            "registre": ["552100554", "552 100 554"], "jugement": json.dumps({
                "famille": family, "nature": nature, "date": "2026-02-20",
                "complementJugement": complement})}


def test_a_closure_a_plan_and_a_conversion_are_told_apart() -> None:
    """What the watch needs to place an opening in the company's history: a clôture ends
    the proceedings, a plan ends their observation period, a conversion changes their
    kind (an opening of the sequence, not new proceedings: the watch decides that)."""
    notices = parse_records({"results": [
        _record("C1", "Jugement de clôture", "Jugement de clôture pour insuffisance d'actif"),
        _record("C2", "Jugement de clôture", "Jugement de clôture pour extinction du passif"),
        _record("C3", "Jugement de clôture", "Jugement de clôture pour insuffisance d'actif",
                typeavis="Avis d'annulation"),
        _record("V1", "Jugement d'ouverture",
                "Jugement de conversion en liquidation judiciaire",
                "Jugement prononçant la conversion en liquidation judiciaire, désignant "
                "liquidateur SELARL Essai 4 rue de la République 69002 Lyon."),
        _record("P2", "Jugement de plan", "Jugement arrêtant le plan de redressement"),
        _record("M1", "Jugement de plan", "Jugement modifiant le plan de redressement"),
        _record("K1", "Jugement de plan", "Jugement arrêtant le plan de cession",
                "liquidation judiciaire"),
    ]}, "552100554")
    by_id = {n.notice_id: n for n in notices}
    assert [k for k, n in by_id.items() if n.closes] == ["C1", "C2"]  # not the annulled one
    assert not any(n.opening for k, n in by_id.items() if k.startswith("C"))
    conversion = by_id["V1"]
    assert conversion.opening and conversion.kind is NoticeKind.LIQUIDATION
    assert not conversion.closes and not conversion.plan
    assert [k for k, n in by_id.items() if n.plan] == ["P2"]
    # The fixture's plan de sauvegarde ("Jugement arrêtant le plan de sauvegarde").
    fixture = parse_records(json.loads(_load("bodacc-liquidation.json")), "552100554")
    assert [n.notice_id for n in fixture if n.plan] == ["A202500011111"]
    assert not any(n.closes for n in fixture)
