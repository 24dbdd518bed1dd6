"""The Merci Facteur adapter against a recorded transport: what it sends, how it reads
their answers and errors, and their webhooks (sample bodies in tests/events/postal)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from adapters.clock import FrozenClock
from adapters.postal._common import tiny_pdf
from adapters.postal.merci_facteur import (
    SECRET_HEADER,
    AlreadySent,
    MerciFacteurProvider,
    TransportFailed,
)
from domain.letters.content import Party
from domain.letters.model import DispatchMode, DispatchStatus, ProofKind, ReturnReason
from domain.ports.letters import PostalJob, PostalRefused, PostalUnavailable, WebhookRejected

EVENTS = Path(__file__).parent.parent / "events" / "postal"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
T0_UNIX = 1772442000  # 2026-03-02 09:00 UTC
WEBHOOK_AT = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)  # date_event 1772470800 in the samples
PDF = tiny_pdf("a formal notice")
SENDER = Party("Atelier Martin SAS", ("4 RUE DU PORT", "44000 NANTES"), "552100554")
RECIPIENT = Party("Durand Plomberie", ("DURAND PLOMBERIE", "12 RUE DE LA PAIX", "75002 PARIS"),
                  "732829320")
PERSON = Party("M Paul Durand", ("M PAUL DURAND", "APPARTEMENT 12", "RESIDENCE LES PINS",
                                 "3 ALLEE DES CHENES", "BP 12", "33000 BORDEAUX"))
S = DispatchStatus
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


@dataclass
class Request:
    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None

    @property
    def path(self) -> str:
        return urlsplit(self.url).path.rsplit("/", 1)[-1]

    def form(self) -> dict[str, str]:
        assert self.body is not None
        return {k: v[0] for k, v in parse_qs(self.body.decode("ascii")).items()}


class Recorded:
    """Answers in order, records every request."""

    def __init__(self, *answers: tuple[int, object] | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[Request] = []

    def __call__(self, method: str, url: str, headers: Mapping[str, str],
                 body: bytes | None) -> tuple[int, Mapping[str, str], bytes]:
        self.requests.append(Request(method, url, dict(headers), body))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, payload = answer
        raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        return status, {"Content-Type": "application/json"}, raw


def token(value: str = "tok-1", expire: int = T0_UNIX + 86400) -> tuple[int, object]:
    return 200, {"success": True, "token": value, "expire": expire}


def sent(envoi_id: int = 4711) -> tuple[int, object]:
    return 200, {"success": True, "error": None, "envoi_id": [envoi_id],
                 "price": {"total": {"ht": 6.5, "ttc": 7.8}}, "resume": {"nb_dest": 1}}


def provider(transport: Recorded, clock: FrozenClock | None = None) -> MerciFacteurProvider:
    return MerciFacteurProvider(service_id="public-svc-42", secret_key="secret-abc",
                                user_id="37", webhook_secret="whsec-123",
                                base_url="https://mf.test/api/1.2/prod/service",
                                transport=transport, clock=clock or FrozenClock(T0),
                                authorized_ips=("203.0.113.7", "203.0.113.8"))


def job(mode: DispatchMode = DispatchMode.REGISTERED_AR, recipient: Party = RECIPIENT,
        key: str = "01JNQ8Z3K4:d1") -> PostalJob:
    return PostalJob(idempotency_key=key, mode=mode, pdf=PDF, sender=SENDER,
                     recipient=recipient, letter_id="01JNQ8Z3K4")


# --- sending -------------------------------------------------------------------------------

def test_a_registered_ar_letter_is_sent_as_lrare_with_its_antidoublon():
    transport = Recorded(token(), sent(4711))
    receipt = provider(transport).send(job())
    assert (receipt.provider_id, receipt.accepted_at) == ("4711", T0)

    get_token, send = transport.requests
    assert (get_token.method, get_token.path) == ("GET", "getToken")
    expected = hmac.new(b"secret-abc", f"public-svc-42{T0_UNIX}".encode(),
                        hashlib.sha256).hexdigest()
    assert get_token.headers["ww-service-signature"] == expected
    assert get_token.headers["ww-timestamp"] == str(T0_UNIX)
    assert get_token.headers["ww-service-id"] == "public-svc-42"
    assert get_token.headers["ww-authorized-ip"] == "203.0.113.7;203.0.113.8"
    assert "secret-abc" not in json.dumps(get_token.headers)

    assert (send.method, send.url) == ("POST", "https://mf.test/api/1.2/prod/service/sendCourrier")
    assert send.headers["ww-access-token"] == "tok-1"
    assert send.headers["Content-Type"] == "application/x-www-form-urlencoded"
    form = send.form()
    assert form["modeEnvoi"] == "lrare"
    assert form["antidoublon"] == "01JNQ8Z3K4:d1"
    assert form["idUser"] == "37"
    assert "gestionNpai" not in form
    content = json.loads(form["content"])
    assert base64.b64decode(content["letter"]["base64files"][0]) == PDF
    adress = json.loads(form["adress"])
    assert adress["dest"] == [{
        "civilite": "", "nom": "", "prenom": "", "societe": "Durand Plomberie",
        "adresse1": "12 RUE DE LA PAIX", "adresse2": "", "adresse3": "", "cp": "75002",
        "ville": "PARIS", "pays": "FRANCE", "reference": "01JNQ8Z3K4"}]
    exp = adress["exp"]
    assert (exp["societe"], exp["adresse1"], exp["cp"], exp["ville"]) == (
        "Atelier Martin SAS", "4 RUE DU PORT", "44000", "NANTES")


def test_a_simple_letter_goes_normal_with_returns_managed():
    transport = Recorded(token(), sent())
    provider(transport).send(job(mode=DispatchMode.SIMPLE))
    form = transport.requests[1].form()
    assert (form["modeEnvoi"], form["gestionNpai"]) == ("normal", "1")


def test_a_registered_letter_goes_with_an_ar_merci_facteur_has_no_plain_lr():
    transport = Recorded(token(), sent())
    provider(transport).send(job(mode=DispatchMode.REGISTERED))
    assert transport.requests[1].form()["modeEnvoi"] == "lrare"


def test_a_person_s_four_line_block_fits_three_lines():
    transport = Recorded(token(), sent())
    provider(transport).send(job(recipient=PERSON))
    dest = json.loads(transport.requests[1].form()["adress"])["dest"][0]
    assert (dest["nom"], dest["societe"]) == ("M Paul Durand", "")
    assert (dest["adresse1"], dest["adresse2"], dest["adresse3"]) == (
        "APPARTEMENT 12 RESIDENCE LES PINS", "3 ALLEE DES CHENES", "BP 12")
    assert (dest["cp"], dest["ville"], dest["pays"]) == ("33000", "BORDEAUX", "FRANCE")


def test_an_address_abroad_sends_its_country_line():
    berlin = Party("Schmidt GmbH", ("SCHMIDT GMBH", "INVALIDENSTRASSE 5", "10115 BERLIN",
                                    "ALLEMAGNE"), "123456789")
    transport = Recorded(token(), sent())
    provider(transport).send(job(recipient=berlin))
    dest = json.loads(transport.requests[1].form()["adress"])["dest"][0]
    assert (dest["adresse1"], dest["cp"], dest["ville"], dest["pays"]) == (
        "INVALIDENSTRASSE 5", "10115", "BERLIN", "ALLEMAGNE")


def test_an_address_it_cannot_map_is_refused_without_repeating_it():
    london = Party("Smith Ltd", ("SMITH LTD", "10 DOWNING STREET", "LONDON SW1A 2AA",
                                 "ROYAUME-UNI"), "123456789")
    transport = Recorded()
    with pytest.raises(PostalRefused) as refused:
        provider(transport).send(job(recipient=london))
    assert "DOWNING" not in str(refused.value) and "recipient" in str(refused.value)
    assert transport.requests == []


def test_an_electronic_registered_letter_is_refused_before_any_call():
    transport = Recorded()
    with pytest.raises(PostalRefused, match=r"eIDAS art\. 43"):
        provider(transport).send(job(mode=DispatchMode.ELECTRONIC_REGISTERED))
    assert transport.requests == []


def test_the_token_is_kept_until_it_nearly_expires():
    clock = FrozenClock(T0)
    transport = Recorded(token("tok-1"), sent(1), sent(2), token("tok-2"), sent(3))
    mf = provider(transport, clock)
    mf.send(job(key="a"))
    clock.advance(timedelta(hours=23, minutes=54))
    mf.send(job(key="b"))
    clock.advance(timedelta(minutes=1))  # 5 minutes before expiry: renewed
    mf.send(job(key="c"))
    assert [r.path for r in transport.requests] == [
        "getToken", "sendCourrier", "sendCourrier", "getToken", "sendCourrier"]
    assert transport.requests[4].headers["ww-access-token"] == "tok-2"


@pytest.mark.parametrize("answer", [(500, b"<html>oops</html>"), (502, {}), (503, {}),
                                    (429, {}), TransportFailed("ReadTimeoutError"),
                                    (200, b"<html>maintenance</html>")])
def test_an_outage_is_unavailable(answer):
    with pytest.raises(PostalUnavailable):
        provider(Recorded(token(), answer)).send(job())


def test_an_error_in_a_200_is_refused_with_its_code():
    answer = (200, {"success": False, "error": "ADRESS_DEST_INVALID"})
    with pytest.raises(PostalRefused, match="ADRESS_DEST_INVALID"):
        provider(Recorded(token(), answer)).send(job())


def test_an_error_in_words_is_not_repeated():
    answer = (200, {"success": False, "error": "Adresse 12 rue de la Paix Durand invalide"})
    with pytest.raises(PostalRefused) as refused:
        provider(Recorded(token(), answer)).send(job())
    assert "Durand" not in str(refused.value) and "Paix" not in str(refused.value)
    assert "unspecified error" in str(refused.value)


def test_a_4xx_is_refused():
    with pytest.raises(PostalRefused, match="HTTP 400, BAD_CONTENT"):
        provider(Recorded(token(), (400, {"success": False, "error": "BAD_CONTENT"}))).send(job())


def test_refused_credentials_are_unavailable_and_drop_the_token():
    transport = Recorded(token("tok-1"), (401, {}), token("tok-2"), sent())
    mf = provider(transport)
    with pytest.raises(PostalUnavailable) as failed:
        mf.send(job())
    assert not isinstance(failed.value, PostalRefused)
    mf.send(job())
    assert transport.requests[3].headers["ww-access-token"] == "tok-2"


def test_an_expired_token_error_in_a_200_gets_a_new_token_next_time():
    transport = Recorded(token("tok-1"), (200, {"success": False, "error": "TOKEN_EXPIRED"}),
                         token("tok-2"), sent())
    mf = provider(transport)
    with pytest.raises(PostalUnavailable):
        mf.send(job())
    mf.send(job())
    assert [r.path for r in transport.requests] == [
        "getToken", "sendCourrier", "getToken", "sendCourrier"]


def test_a_resend_the_antidoublon_catches_returns_the_first_envoi():
    answer = (200, {"success": False, "error": "ANTIDOUBLON_ALREADY_SENT", "envoi_id": [4711]})
    receipt = provider(Recorded(token(), answer)).send(job())
    assert receipt.provider_id == "4711"


def test_a_resend_caught_without_the_first_envoi_s_id_says_so():
    answer = (200, {"success": False, "error": "DOUBLON"})
    with pytest.raises(AlreadySent):
        provider(Recorded(token(), answer)).send(job())


# --- webhooks ------------------------------------------------------------------------------

def sample(name: str) -> bytes:
    return (EVENTS / f"merci_facteur_{name}.txt").read_bytes().strip()


def parse(name: str) -> list:
    return provider(Recorded()).parse_webhook({SECRET_HEADER: "whsec-123"}, sample(name))


def summary(updates: list) -> list[tuple]:
    return [(u.provider_id, u.event.status, u.event.provider_event_id, u.event.return_reason)
            for u in updates]


def test_printed_and_posted_the_same_day_for_simple_mail():
    updates = parse("printed")
    assert summary(updates) == [
        ("4711", S.PRINTED, "mf:4711:imprime", None),
        ("4712", S.PRINTED, "mf:4712:imprime", None),
        ("4712", S.POSTED, "mf:4712:posted-same-day", None)]
    assert {u.event.at for u in updates} == {WEBHOOK_AT}


def test_taken_by_la_poste_is_posted_and_other_steps_are_not_statuses():
    assert summary(parse("new-state")) == [("4711", S.POSTED, "mf:4711:pris_en_charge", None)]


def test_delivered():
    assert summary(parse("delivered")) == [("4711", S.DELIVERED, "mf:4711:distribue", None)]


def test_a_pnd_is_returned_npai():
    assert summary(parse("pnd")) == [
        ("4711", S.RETURNED, "mf:4711:distribue_expediteur", ReturnReason.NPAI)]


def test_a_return_described_as_refused_is_refused():
    assert summary(parse("error-refused")) == [
        ("4711", S.RETURNED, "mf:4711:retour_expediteur", ReturnReason.REFUSED)]


def test_the_signed_ar_is_an_acknowledgement_proof():
    [update] = parse("are")
    assert (update.event.status, update.event.provider_event_id) == (S.DELIVERED,
                                                                     "mf:4711:retour_are")
    assert update.proof is not None
    assert (update.proof.kind, update.proof.body, update.proof.content_type) == (
        ProofKind.ACKNOWLEDGEMENT, JPEG, "image/jpeg")


def test_the_deposit_proof_is_a_pdf():
    [update] = parse("pdd")
    assert update.event.status is S.POSTED
    assert update.proof is not None and update.proof.kind is ProofKind.DEPOSIT
    assert update.proof.body.startswith(b"%PDF-1.4") and update.proof.body.endswith(b"%%EOF\n")
    assert update.proof.content_type == "application/pdf"


def test_no_name_or_address_survives_parsing():
    for name in ("printed", "new-state", "delivered", "pnd", "error-refused", "are", "pdd"):
        text = repr(parse(name))
        for personal in ("Durand", "Paul", "PAIX", "75002", "PARIS"):
            assert personal not in text, (name, personal)


def test_php_style_detail_fields_are_read():
    letter = {"id_envoi": 4711, "mode_envoi": "lrare", "statut_courrier": "distribue"}
    body = urlencode({"event": json.dumps({"name_event": "delivered", "date_event": 1772470800}),
                      "detail[0]": json.dumps(letter)}).encode()
    updates = provider(Recorded()).parse_webhook({SECRET_HEADER: "whsec-123"}, body)
    assert summary(updates) == [("4711", S.DELIVERED, "mf:4711:distribue", None)]


@pytest.mark.parametrize("headers", [{}, {SECRET_HEADER: "whsec-124"}, {SECRET_HEADER: ""},
                                     {"X-Fake-Postal-Secret": "whsec-123"}])
def test_a_webhook_without_the_secret_is_rejected(headers):
    with pytest.raises(WebhookRejected):
        provider(Recorded()).parse_webhook(headers, sample("delivered"))


def test_the_secret_header_name_ignores_case():
    updates = provider(Recorded()).parse_webhook({SECRET_HEADER.lower(): "whsec-123"},
                                                 sample("delivered"))
    assert len(updates) == 1


def form(event: object, detail: object) -> bytes:
    return urlencode({"event": json.dumps(event), "detail": json.dumps(detail)}).encode()


@pytest.mark.parametrize("body", [
    b"", b"event=%7B", b"detail=%5B%5D",
    form({"name_event": "delivered"}, [{"id_envoi": "1", "statut_courrier": "distribue"}]),
    form({"name_event": "delivered", "date_event": 1772470800}, []),
    form({"name_event": "delivered", "date_event": 1772470800}, [{"statut_courrier": "x"}]),
    form({"name_event": "are", "date_event": 1772470800},
         [{"id_envoi": "1", "statut_courrier": "retour_are", "are_base64_jpeg": "JVBERi0x [...]"}]),
])
def test_an_unreadable_webhook_is_rejected(body):
    with pytest.raises(WebhookRejected):
        provider(Recorded()).parse_webhook({SECRET_HEADER: "whsec-123"}, body)


# --- polling -------------------------------------------------------------------------------

def tracking(mode: str, *steps: tuple[str, object]) -> tuple[int, object]:
    return 200, {"success": True, "statutPrintEnvoi": "imprime", "suiviCourrier": [
        {"ref_courrier": "123456-789123456", "mode_envoi": mode, "historique": [
            {"statut_courrier": code, "statut_description": "", "date": at}
            for code, at in steps]}]}


def test_polling_reads_the_tracking_with_the_webhook_s_ids():
    transport = Recorded(token(), tracking("lrare", ("imprime", 1772470800),
                                           ("scan_pdd", 1772470900),
                                           ("pris_en_charge", "2026-03-03 08:00:00"),
                                           ("attente_presentation", 1772560000)))
    updates = provider(transport).updates("4711")
    assert transport.requests[1].url.endswith("/getSuiviEnvoi?idEnvoi=4711")
    assert [(u.event.status, u.event.provider_event_id, u.event.at) for u in updates] == [
        (S.PRINTED, "mf:4711:imprime", WEBHOOK_AT),
        # Paris is UTC+1 in March before the change to summer time.
        (S.POSTED, "mf:4711:pris_en_charge", datetime(2026, 3, 3, 7, 0, tzinfo=UTC))]
    assert updates[0].event.provider_event_id == parse("printed")[0].event.provider_event_id


def test_simple_mail_is_presumed_delivered_three_days_after_printing():
    clock = FrozenClock(WEBHOOK_AT + timedelta(days=3) - timedelta(seconds=1))
    answers = [token(expire=T0_UNIX + 30 * 86400), tracking("normal", ("imprime", 1772470800)),
               tracking("normal", ("imprime", 1772470800))]
    mf = provider(Recorded(*answers), clock)
    assert [u.event.status for u in mf.updates("4712")] == [S.PRINTED, S.POSTED]
    clock.advance(timedelta(seconds=1))
    updates = mf.updates("4712")
    assert [u.event.status for u in updates] == [S.PRINTED, S.POSTED, S.DELIVERED]
    assert updates[-1].event.at == WEBHOOK_AT + timedelta(days=3)
    assert updates[-1].event.detail == "presumed (no tracking)"


def test_simple_mail_returned_is_not_presumed_delivered():
    clock = FrozenClock(WEBHOOK_AT + timedelta(days=10))
    answer = tracking("normal", ("imprime", 1772470800), ("distribue_expediteur", 1772800000))
    updates = provider(Recorded(token(expire=T0_UNIX + 30 * 86400), answer), clock).updates("4712")
    assert [u.event.status for u in updates] == [S.PRINTED, S.POSTED, S.RETURNED]


@pytest.mark.parametrize("answer", [(503, {}), (200, {"success": False, "error": "UNKNOWN_ENVOI"}),
                                    TransportFailed("ConnectTimeoutError")])
def test_polling_failures_are_unavailable(answer):
    with pytest.raises(PostalUnavailable):
        provider(Recorded(token(), answer)).updates("4711")


# --- the default transport -----------------------------------------------------------------

class _Server:
    """A local HTTP server counting the requests it gets: 503 at /down, a slow answer at
    /slow (longer than the client's read timeout)."""

    def __init__(self) -> None:
        import http.server
        import threading

        self.hits: list[str] = []
        self.release = threading.Event()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                outer.hits.append(self.path)
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.path == "/slow":
                    outer.release.wait(5)
                self.send_response(503 if self.path == "/down" else 200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    running = _Server()
    yield running
    running.close()


def test_the_default_transport_never_retries_a_post(server):
    from adapters.postal.merci_facteur import Urllib3Transport

    transport = Urllib3Transport(connect_timeout=2, read_timeout=0.2)
    status, _, body = transport("POST", f"{server.url}/down", {}, b"a=1")
    assert (status, body) == (503, b"{}")
    with pytest.raises(TransportFailed):
        transport("POST", f"{server.url}/slow", {}, b"a=1")
    assert server.hits == ["/down", "/slow"]
