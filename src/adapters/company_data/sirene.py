"""A company's administrative state in the Sirene register, from INSEE's API Sirene 3.11
(`GET /siren/{siren}`, portail-api.insee.fr; an integration key in the
`X-INSEE-Api-Key-Integration` header: reference/judicial.md §6,
https://api.gouv.fr/guides/quelle-api-sirene).

The answer's `uniteLegale.periodesUniteLegale` lists the legal unit's periods, the current
one first (`dateFin` null); its `etatAdministratifUniteLegale` is A (active) or C (cessée)
and `dateDebut` the day that state began. A 404 is a SIREN Sirene does not know; a 403 one
it may not show: both answer "no status", not an outage.

The key is a SecureString in SSM, read on first use (never at cold start) and kept for the
life of the process; a 401 forgets it, so a rotated key is read again on the next call.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from adapters.postal.merci_facteur import Transport, TransportFailed, Urllib3Transport
from domain.ports.company_data import CompanyDataUnavailable, CompanyState, CompanyStatus

DEFAULT_BASE_URL = "https://api.insee.fr/api-sirene/3.11"
KEY_HEADER = "X-INSEE-Api-Key-Integration"


class SireneClient:
    def __init__(self, key_source: Callable[[], str], base_url: str = DEFAULT_BASE_URL,
                 transport: Transport | None = None) -> None:
        self._key_source = key_source
        self._key: str | None = None
        self._base_url = base_url.rstrip("/")
        self._transport: Transport = transport or Urllib3Transport(read_timeout=20.0)

    def status(self, siren: str) -> CompanyStatus | None:
        if not (len(siren) == 9 and siren.isdigit()):
            raise ValueError("a SIREN is nine digits")
        if self._key is None:
            self._key = self._key_source()
        headers = {"Accept": "application/json", KEY_HEADER: self._key}
        try:
            status, _, body = self._transport("GET", f"{self._base_url}/siren/{siren}",
                                              headers, None)
        except TransportFailed as error:
            raise CompanyDataUnavailable(f"Sirene could not be reached ({error})") from None
        if status in (403, 404):
            return None
        if status == 401:
            self._key = None
            raise CompanyDataUnavailable("Sirene refused our key (HTTP 401)")
        if status != 200:
            raise CompanyDataUnavailable(f"Sirene answered HTTP {status}")
        try:
            answer = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise CompanyDataUnavailable("Sirene's answer is not JSON") from None
        return parse_unite_legale(answer)


def parse_unite_legale(answer: Any) -> CompanyStatus | None:
    unit = answer.get("uniteLegale") if isinstance(answer, Mapping) else None
    periods = unit.get("periodesUniteLegale") if isinstance(unit, Mapping) else None
    if not isinstance(periods, list) or not periods or not isinstance(periods[0], Mapping):
        raise CompanyDataUnavailable("Sirene's answer has no periodesUniteLegale")
    current = periods[0]
    try:
        state = CompanyState(str(current.get("etatAdministratifUniteLegale")))
    except ValueError:
        raise CompanyDataUnavailable("Sirene's answer has an unknown "
                                     "etatAdministratifUniteLegale") from None
    since = current.get("dateDebut")
    try:
        started = date.fromisoformat(since) if isinstance(since, str) else None
    except ValueError:
        started = None
    return CompanyStatus(state, started)
