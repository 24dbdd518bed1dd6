"""Merci Facteur (API 1.2): paper letters printed and posted by La Poste the day they are
sent (before 17:00 on a working day), with tracking by webhook and by polling.

What their public documentation says (github.com/MerciFacteur/Merci-facteur-API: README
1.2.7, hash-secret-key/, php-class/apiMf.class.php), and how this adapter uses it:

- Authentication. `GET {base}/getToken` with the headers `ww-service-id`, `ww-timestamp`
  (Unix seconds), `ww-service-signature` = lower-case hex HMAC-SHA256 of service id +
  timestamp keyed with the secret key (valid 5 minutes, so the secret never travels) and
  `ww-authorized-ip` (the IPs, `;`-separated, the token may be used from; Merci Facteur can
  lift that restriction for an infrastructure without fixed IPs, as Lambda is). The answer
  `{"success", "token", "expire"}` gives a token for 24 h: it is kept until 5 minutes
  before it expires. Every other call sends `ww-access-token` and `ww-service-id`.
- Sending. `POST {base}/sendCourrier` with `idUser` (the Merci Facteur user the letters
  are sent as), `modeEnvoi`, `adress` (JSON `{"exp": {...}, "dest": [{...}]}`, addresses
  given inline, no address book), `content` (JSON `{"letter": {"base64files": [pdf]}}`)
  and `antidoublon`: Merci Facteur refuses a second letter with the same value for 30
  days, so the job's idempotency key goes there and a retry never prints twice. No call
  is retried here: the caller retries, with the same key.
- Modes. `normal` (lettre verte, no tracking), `suivi` (tracking, no legal value), `lrar`
  (the signed AR goes back to the sender on paper), `lrare` (the AR comes back to Merci
  Facteur, is scanned and sent by webhook, and returns are managed), `ere_otp_mail` /
  `ere_otp_sms`: a *simple* electronic registered delivery (eIDAS art. 43), not the
  qualified one (art. 44) that CPCE L100 makes equivalent to an LRAR.
  So: simple -> `normal` with `gestionNpai=1` (returns come back scanned and reported);
  registered_ar -> `lrare` (a proof Relance can store); registered -> `lrare` too, as
  Merci Facteur has no registered letter without AR: the letter goes with an AR it did not
  need (same deposit proof, a few euros more); electronic_registered -> PostalRefused.
- Tracking. Webhooks are POSTed with two fields: `event` (JSON: `name_event`, `id_user`,
  `date_event` in Unix seconds) and `detail` (a JSON array, one item per letter: the
  recipient's name and address, `id_envoi`, `ref_courrier`, `mode_envoi`,
  `statut_courrier`, `statut_description`, `tracking_number`, `ref_interne`, and
  `are_base64_jpeg` / `pdd_base64_pdf` for the proofs), authenticated by the header
  `X-Mf-Webhook-Secret-Key`. A failed webhook is retried twice (+60 min, +24 h) and then
  lost, so `updates()` polls `GET {base}/getSuiviEnvoi?idEnvoi=` for the poller.
- The provider id is `id_envoi`: one job is one envoi of one letter to one recipient.
  An event id is `mf:{id_envoi}:{statut_courrier}`, the same by webhook and by polling, so
  the receiver keeps one of each. Polling skips `scan_pdd` and `retour_are`: their proofs
  only come by webhook, and an id without its proof would make the receiver drop the
  webhook that carries it as a repeat. A proof whose webhook was lost must be downloaded
  from the Merci Facteur interface.
- Simple mail has no tracking, but Relance's dispatch must end: `printed` in mode
  `normal` also reports `posted` (Merci Facteur posts what it printed that day), and
  `updates()` reports `delivered` "presumed (no tracking)" `presumed_delivery` after the
  printing, unless a return was reported first.
- Personal data: the webhook's names and addresses are read past and dropped; nothing is
  logged; error reasons carry an HTTP status and Merci Facteur's error code, never a
  message that might repeat an address.

[UNVERIFIED], to check against their Swagger (api/1.2/doc.php) or a test account:
- the base URL `https://www.merci-facteur.com/api/1.2/prod/service` (from the PHP class);
- sendCourrier accepts form-urlencoded fields (their PHP class posts multipart through
  curl; a PHP endpoint reads both);
- errors come as `{"success": false, "error": "CODE"}`, maybe with HTTP 200; a code made of
  capitals, digits and underscores is kept, any other error text is not repeated;
- `envoi_id` is a list of ints (the PHP docblock) or an int;
- the antidoublon refusal's code contains "DOUBLON"; when it carries the first envoi's id,
  that id is the receipt; when not, AlreadySent (a PostalUnavailable) says so and the
  dispatch must be matched by hand (the first letter did go);
- a token error's code contains "TOKEN" (the token is dropped and a retry gets another);
- getSuiviEnvoi's `suiviCourrier`: read as any nesting of objects, the ones with a
  `statut_courrier` and a date (`date_event`, `date`, `date_statut`: Unix seconds or ISO
  8601, Paris time when naive) being the events; entries without a readable date are
  skipped;
- a webhook's `detail` may also come as PHP-style `detail[]` / `detail[0]` fields, each
  one letter's JSON, and a body may be JSON rather than a form: both are read;
- the return reason of a `pnd`: "refus" in the description -> refused, "non réclamé" or
  "avisé" -> unclaimed, else NPAI (their PND covers all three);
- country names: the last line of an address abroad is sent as `pays` as printed (their
  `/getCountry` spelling is French capitals, as Relance's blocks are).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import parse_qs, urlencode
from zoneinfo import ZoneInfo

import urllib3

from adapters.clock import SystemClock
from adapters.postal._common import check_secret, sniff_content_type
from domain.letters.content import Party
from domain.letters.model import (
    DispatchMode,
    DispatchStatus,
    ProofKind,
    ReturnReason,
    TrackingEvent,
)
from domain.ports.letters import (
    PostalAlreadyAccepted,
    PostalJob,
    PostalReceipt,
    PostalRefused,
    PostalUnavailable,
    PostalUpdate,
    ProofFile,
    WebhookRejected,
)
from domain.ports.repositories import Clock

DEFAULT_BASE_URL = "https://www.merci-facteur.com/api/1.2/prod/service"
SECRET_HEADER = "X-Mf-Webhook-Secret-Key"
PRESUMED = "presumed (no tracking)"

MODES = {
    DispatchMode.SIMPLE: "normal",
    DispatchMode.REGISTERED: "lrare",
    DispatchMode.REGISTERED_AR: "lrare",
}

S = DispatchStatus
# statut_courrier -> the status it reports (None: a step Relance has no status for).
STATUSES: dict[str, DispatchStatus] = {
    "wait": S.ACCEPTED,
    "imprime": S.PRINTED,
    "pris_en_charge": S.POSTED,
    "scan_pdd": S.POSTED,
    "distribue": S.DELIVERED,
    "retour_are": S.DELIVERED,
    "retour_expediteur": S.RETURNED,
    "distribue_expediteur": S.RETURNED,
    "archivage_pnd": S.RETURNED,
    # Electronic letters (never sent by this adapter, read if they come).
    "envoye": S.POSTED,
    "accepted": S.DELIVERED,
    "accepted_downloaded": S.DELIVERED,
    "refused": S.RETURNED,
    "expired": S.RETURNED,
}
# When a code is missing or new, the event's name still says what happened.
EVENT_STATUSES: dict[str, DispatchStatus] = {
    "new": S.ACCEPTED, "printed": S.PRINTED, "delivered": S.DELIVERED, "pnd": S.RETURNED,
    "are": S.DELIVERED, "pdd": S.POSTED, "sended": S.POSTED,
}
PROOF_FIELDS = (("are_base64_jpeg", ProofKind.ACKNOWLEDGEMENT),
                ("pdd_base64_pdf", ProofKind.DEPOSIT))
WEBHOOK_ONLY = frozenset({"scan_pdd", "retour_are"})
_CODE = re.compile(r"^[A-Z0-9_]{1,80}$")
_LOCALITY = re.compile(r"^\d{5} \S")
_REFERENCE_CHARS = re.compile(r"[^A-Za-z0-9 _-]")
_PARIS = ZoneInfo("Europe/Paris")


class TransportFailed(Exception):
    """The request did not get an answer (connection, TLS, timeout)."""


class Transport(Protocol):
    def __call__(self, method: str, url: str, headers: Mapping[str, str],
                 body: bytes | None) -> tuple[int, Mapping[str, str], bytes]:
        """Raises TransportFailed."""
        ...


class Urllib3Transport:
    """urllib3 (already there through botocore), with timeouts and no retries: a POST that
    timed out may have been taken, and only the caller, resending the same antidoublon,
    may try again."""

    def __init__(self, connect_timeout: float = 5.0, read_timeout: float = 60.0) -> None:
        self._pool = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=connect_timeout, read=read_timeout),
            retries=False)

    def __call__(self, method: str, url: str, headers: Mapping[str, str],
                 body: bytes | None) -> tuple[int, Mapping[str, str], bytes]:
        try:
            response = self._pool.request(method, url, body=body, headers=dict(headers),
                                          redirect=False, retries=False)
        except urllib3.exceptions.HTTPError as error:
            raise TransportFailed(type(error).__name__) from None
        return response.status, dict(response.headers), response.data


class AlreadySent(PostalAlreadyAccepted):
    """Merci Facteur already holds a letter under this idempotency key but did not say
    which: the letter went, and its envoi id must be found in their interface."""


@dataclass(frozen=True, slots=True)
class _Token:
    value: str
    expires_at: datetime


class MerciFacteurProvider:
    """Implements domain.ports.letters.PostalProvider on Merci Facteur's API 1.2."""

    name = "merci_facteur"

    def __init__(self, service_id: str, secret_key: str, user_id: str, webhook_secret: str,
                 base_url: str = DEFAULT_BASE_URL, transport: Transport | None = None,
                 clock: Clock | None = None, authorized_ips: tuple[str, ...] = (),
                 presumed_delivery: timedelta = timedelta(days=3)) -> None:
        self._service_id, self._secret_key, self._user_id = service_id, secret_key, user_id
        self._webhook_secret = webhook_secret
        self._base_url = base_url.rstrip("/")
        self._transport: Transport = transport or Urllib3Transport()
        self._clock: Clock = clock or SystemClock()
        self._authorized_ips = authorized_ips
        self._presumed_delivery = presumed_delivery
        self._token: _Token | None = None

    # --- sending ---------------------------------------------------------------------------

    def send(self, job: PostalJob) -> PostalReceipt:
        mode = MODES.get(job.mode)
        if mode is None:
            raise PostalRefused("Merci Facteur offers only a simple electronic registered "
                                "delivery (eIDAS art. 43), not a qualified one equivalent to "
                                "a registered letter with acknowledgement: send it on paper "
                                "or through a qualified provider")
        dest = _address(job.recipient, "recipient")
        dest["reference"] = _REFERENCE_CHARS.sub("", job.letter_id)[:30]
        key = job.idempotency_key
        fields = {
            "idUser": self._user_id,
            "modeEnvoi": mode,
            "adress": json.dumps({"exp": _address(job.sender, "sender"), "dest": [dest]},
                                 ensure_ascii=False),
            "content": json.dumps({"letter": {
                "base64files": [base64.b64encode(job.pdf).decode("ascii")],
                "final_filename": f"{dest['reference'] or 'letter'}.pdf"}}),
            # Their limit is 200 characters; a longer key is replaced by its digest.
            "antidoublon": key if len(key) <= 200 else hashlib.sha256(key.encode()).hexdigest(),
        }
        if mode == "normal":
            fields["gestionNpai"] = "1"
        answer = self._call("POST", "sendCourrier", form=fields)
        if answer.get("success") is True:
            provider_id = _envoi_id(answer)
            if provider_id is None:
                raise PostalUnavailable("Merci Facteur took the letter but gave no envoi id")
            return PostalReceipt(provider_id, self._clock.now())
        code = _error_code(answer)
        if "DOUBLON" in code:
            provider_id = _envoi_id(answer)
            if provider_id is not None:
                return PostalReceipt(provider_id, self._clock.now())
            raise AlreadySent(f"Merci Facteur already has a letter under this idempotency "
                              f"key ({code}) and did not name it")
        raise PostalRefused(f"Merci Facteur refused the letter ({code})")

    # --- tracking --------------------------------------------------------------------------

    def updates(self, provider_id: str) -> list[PostalUpdate]:
        answer = self._call("GET", "getSuiviEnvoi", query={"idEnvoi": provider_id})
        if answer.get("success") is not True:
            raise PostalUnavailable(f"Merci Facteur gave no tracking ({_error_code(answer)})")
        found: list[PostalUpdate] = []
        for entry in _entries(answer.get("suiviCourrier"), answer.get("mode_envoi")):
            code = entry.get("statut_courrier")
            at = _date(entry)
            if not isinstance(code, str) or code in WEBHOOK_ONLY or at is None:
                continue
            found += _updates_of(provider_id, entry, at, None, with_proofs=False)
        return found + self._presumed(provider_id, found)

    def _presumed(self, provider_id: str, found: list[PostalUpdate]) -> list[PostalUpdate]:
        """Simple mail is never reported delivered: presume it, once it had time to be."""
        posted = [u.event.at for u in found
                  if u.event.provider_event_id == f"mf:{provider_id}:posted-same-day"]
        ended = any(u.event.status in (S.DELIVERED, S.RETURNED) for u in found)
        if not posted or ended or self._clock.now() < posted[0] + self._presumed_delivery:
            return []
        return [PostalUpdate(provider_id, TrackingEvent(
            S.DELIVERED, posted[0] + self._presumed_delivery, f"mf:{provider_id}:presumed",
            detail=PRESUMED))]

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[PostalUpdate]:
        check_secret(headers, SECRET_HEADER, self._webhook_secret)
        event, details = _read_webhook(body)
        name, stamp = event.get("name_event"), event.get("date_event")
        at = _unix(stamp)
        if not isinstance(name, str) or at is None:
            raise WebhookRejected("a Merci Facteur webhook needs event.name_event and "
                                  "event.date_event")
        found: list[PostalUpdate] = []
        for item in details:
            provider_id = item.get("id_envoi")
            if not isinstance(provider_id, str | int) or isinstance(provider_id, bool):
                raise WebhookRejected("a Merci Facteur webhook letter has no id_envoi")
            found += _updates_of(str(provider_id), item, at, name, with_proofs=True)
        return found

    # --- HTTP ------------------------------------------------------------------------------

    def _call(self, method: str, path: str, form: Mapping[str, str] | None = None,
              query: Mapping[str, str] | None = None,
              headers: Mapping[str, str] | None = None) -> dict[str, Any]:
        url = f"{self._base_url}/{path}" + (f"?{urlencode(query)}" if query else "")
        sent = {"Accept": "application/json", "ww-service-id": self._service_id,
                **(headers if headers is not None else {"ww-access-token": self._access()})}
        body = None
        if form is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            body = urlencode(form).encode("ascii")
        try:
            status, _, raw = self._transport(method, url, sent, body)
        except TransportFailed as error:
            raise PostalUnavailable(f"Merci Facteur could not be reached ({error})") from None
        if status in (401, 403):
            self._token = None
            raise PostalUnavailable(f"Merci Facteur refused our credentials (HTTP {status}): "
                                    "check the service id, secret key and authorized IPs")
        if status >= 500 or status in (408, 425, 429):
            raise PostalUnavailable(f"Merci Facteur answered HTTP {status}")
        try:
            answer = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            answer = None
        if status >= 400:
            code = _error_code(answer) if isinstance(answer, dict) else "no error code"
            raise PostalRefused(f"Merci Facteur refused the request (HTTP {status}, {code})")
        if not isinstance(answer, dict):
            raise PostalUnavailable(f"Merci Facteur's answer to {path} is not a JSON object")
        if answer.get("success") is not True and "TOKEN" in _error_code(answer):
            self._token = None
            raise PostalUnavailable(f"Merci Facteur refused the token ({_error_code(answer)})")
        return answer

    def _access(self) -> str:
        now = self._clock.now()
        if self._token is not None and now < self._token.expires_at - timedelta(minutes=5):
            return self._token.value
        stamp = str(int(now.timestamp()))
        signature = hmac.new(self._secret_key.encode("utf-8"),
                             (self._service_id + stamp).encode("utf-8"),
                             hashlib.sha256).hexdigest()
        answer = self._call("GET", "getToken", headers={
            "ww-service-signature": signature, "ww-timestamp": stamp,
            "ww-authorized-ip": ";".join(self._authorized_ips)})
        token, expires = answer.get("token"), _unix(answer.get("expire"))
        if answer.get("success") is not True or not isinstance(token, str) or not token:
            raise PostalUnavailable(f"Merci Facteur gave no token ({_error_code(answer)})")
        self._token = _Token(token, expires or now + timedelta(hours=24))
        return token


# --- mapping ---------------------------------------------------------------------------------

def _address(party: Party, role: str) -> dict[str, str]:
    """A Relance address block as Merci Facteur's fields. The debtor's block starts with
    the recipient line (AFNOR line 1) and the creditor's does not: a first line that is
    the party's name is not an address line. Raises PostalRefused (the reason names the
    role and a rule, never the address)."""
    lines = [line.strip() for line in party.address_lines if line.strip()]
    if lines and _fold(lines[0]) == _fold(party.name):
        lines = lines[1:]
    localities = [i for i, line in enumerate(lines) if _LOCALITY.match(line)]
    # France ends with the locality line; abroad the country's name follows it.
    if not localities or localities[-1] < len(lines) - 2:
        raise PostalRefused(f"the {role}'s address has no locality line starting with a "
                            "5-digit postal code: only those are mapped to Merci Facteur")
    at = localities[-1]
    postal_code, city = lines[at].split(" ", 1)
    country = lines[at + 1] if at + 1 < len(lines) else "FRANCE"
    street = lines[:at]
    if len(street) > 3:  # AFNOR has four, Merci Facteur three: inside and building share one
        street = [f"{street[0]} {street[1]}", *street[2:]]
    if len(street) > 3 or any(len(line) > 90 for line in street):
        raise PostalRefused(f"the {role}'s address does not fit Merci Facteur's three lines "
                            "of 90 characters")
    company = party.siren is not None
    limit = 90 if company else 70
    if len(party.name) > limit:
        raise PostalRefused(f"the {role}'s name is longer than Merci Facteur's {limit} "
                            "characters")
    street += [""] * (3 - len(street))
    return {"civilite": "", "nom": "" if company else party.name, "prenom": "",
            "societe": party.name if company else "", "adresse1": street[0],
            "adresse2": street[1], "adresse3": street[2], "cp": postal_code, "ville": city,
            "pays": country}


def _updates_of(provider_id: str, item: Mapping[str, Any], at: datetime,
                event_name: str | None, with_proofs: bool) -> list[PostalUpdate]:
    code = item.get("statut_courrier")
    code = code if isinstance(code, str) and code else None
    status = STATUSES.get(code or "") or EVENT_STATUSES.get(event_name or "")
    if status is None:  # traitement, attente_presentation...: no status of Relance's
        return []
    reason = _return_reason(code, item.get("statut_description")) if status is S.RETURNED \
        else None
    proof = _proof(item) if with_proofs else None
    label = code or event_name or status.value
    found = [PostalUpdate(provider_id, TrackingEvent(status, at, f"mf:{provider_id}:{label}",
                                                     reason, label), proof)]
    if status is S.PRINTED and item.get("mode_envoi") == "normal":
        found.append(PostalUpdate(provider_id, TrackingEvent(
            S.POSTED, at, f"mf:{provider_id}:posted-same-day",
            detail="posted the day it was printed (no tracking)")))
    return found


def _return_reason(code: str | None, description: object) -> ReturnReason:
    if code == "refused":
        return ReturnReason.REFUSED
    if code == "expired":
        return ReturnReason.UNCLAIMED
    text = _fold(description) if isinstance(description, str) else ""
    if "refus" in text:
        return ReturnReason.REFUSED
    if "non reclame" in text or "avise" in text:
        return ReturnReason.UNCLAIMED
    return ReturnReason.NPAI


def _proof(item: Mapping[str, Any]) -> ProofFile | None:
    for field, kind in PROOF_FIELDS:
        value = item.get(field)
        if isinstance(value, str) and value:
            try:
                body = base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                raise WebhookRejected(f"the webhook's {field} is not base64") from None
            return ProofFile(kind, body, sniff_content_type(body))
    return None


def _read_webhook(body: bytes) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    try:
        text = body.decode("utf-8")
        if text.lstrip().startswith("{"):
            document = json.loads(text)
            event, details = document["event"], document["detail"]
        else:
            form = parse_qs(text, keep_blank_values=True, strict_parsing=True)
            event = json.loads(form["event"][0])
            if "detail" in form:
                details = json.loads(form["detail"][0])
            else:
                details = [json.loads(values[0]) for key, values in sorted(
                    form.items(), key=lambda kv: _php_index(kv[0]))
                    if re.fullmatch(r"detail\[\d*\]", key)]
    except (UnicodeDecodeError, ValueError, KeyError, IndexError, TypeError):
        raise WebhookRejected("unreadable Merci Facteur webhook") from None
    if isinstance(details, dict):
        details = [details]
    if not isinstance(event, dict) or not isinstance(details, list) or not details \
            or not all(isinstance(d, dict) for d in details):
        raise WebhookRejected("a Merci Facteur webhook needs an event and its letters")
    return event, details


def _php_index(key: str) -> tuple[int, str]:
    digits = key[7:-1] if key.startswith("detail[") else ""
    return (int(digits) if digits.isdigit() else 0, key)


def _entries(node: object, mode: object = None) -> Iterator[Mapping[str, Any]]:
    """Every object with a `statut_courrier` in the tracking answer, however nested, with
    the `mode_envoi` of the object around it when it has none."""
    if isinstance(node, dict):
        mode = node.get("mode_envoi", mode)
        if "statut_courrier" in node:
            yield {"mode_envoi": mode, **node}
        for value in node.values():
            if isinstance(value, dict | list):
                yield from _entries(value, mode)
    elif isinstance(node, list):
        for value in node:
            yield from _entries(value, mode)


def _date(entry: Mapping[str, Any]) -> datetime | None:
    for key in ("date_event", "date", "date_statut"):
        value = entry.get(key)
        at = _unix(value)
        if at is not None:
            return at
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                continue
            return (parsed if parsed.tzinfo else parsed.replace(tzinfo=_PARIS)).astimezone(UTC)
    return None


def _unix(value: object) -> datetime | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, int | float) and 0 < value < 10**11:
        return datetime.fromtimestamp(value, UTC)
    return None


def _envoi_id(answer: Mapping[str, Any]) -> str | None:
    value = answer.get("envoi_id")
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, str | int) and not isinstance(value, bool) and str(value):
        return str(value)
    return None


def _error_code(answer: object) -> str:
    """Merci Facteur's error code when it is one; free text is not repeated (it might
    quote an address)."""
    error = answer.get("error") if isinstance(answer, dict) else None
    if isinstance(error, dict):
        error = error.get("code")
    return error if isinstance(error, str) and _CODE.match(error) else "unspecified error"


def _fold(text: str) -> str:
    """Lower case without accents or repeated spaces: for comparing wording."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(plain.lower().split())
