"""Use case: the evidence dossier of a claim (domain.judicial.dossier decides what is in
it), written as one archive and stored in the document store.

The archive is stored, not answered: with uploaded pieces of up to 4 MiB each it passes
the 6 MB a Lambda response may carry, and a stored archive is what was handed over, with
its hash. Its key is its own SHA-256 under the claim, so asking again for an unchanged
dossier stores nothing new (`put_once` finds the same bytes there) and a changed one is a
new object, the earlier kept: write-once, as letters are."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from domain.amounts.settlement import settle
from domain.claims.judicial import JudicialRoute
from domain.claims.model import ClaimEvent
from domain.judicial import dossier
from domain.judicial.dossier import DossierFile, DossierInput, exhibits
from domain.ports.letters import AlreadyStored
from domain.ports.repositories import PageRequest
from domain.services.caller import Caller, Ports
from domain.services.letters import DOWNLOAD_URL_SECONDS, _need
from domain.shared.errors import NotFound
from domain.shared.language import Language

ArchiveWriter = Callable[[Sequence[DossierFile]], bytes]


@dataclass(frozen=True, slots=True)
class StoredDossier:
    object_key: str
    sha256: str
    size: int
    files: int
    download_url: str
    expires_in: int


def dossier_input(claim_id: str, caller: Caller, ports: Ports,
                  route: JudicialRoute | None = JudicialRoute.INJONCTION_DE_PAYER,
                  court_type: str | None = None) -> DossierInput:
    uow = ports.unit_of_work()
    claim = uow.claims.get_claim(caller.creditor_id, claim_id)
    if claim is None:
        raise NotFound("claim", claim_id)
    context = uow.claims.get_claim_context(caller.creditor_id, claim_id, claim.debtor_id)
    if context is None:
        raise NotFound("claim", claim_id)
    claim, account, debtor, creditor = context
    if debtor is None or creditor is None:  # a claim outlives neither: a broken store
        raise NotFound("debtor" if debtor is None else "creditor", claim.debtor_id)
    today = claim.today(ports.clock.now())
    # As of the dossier's day, on copies (a read saves nothing): a promise past its day is
    # kept or broken, a plan completed or defaulted, even before the ladder next looks.
    claim, account = copy.deepcopy(claim), copy.deepcopy(account)
    tables = ports.rates.rate_tables()
    settled = settle(claim, account, today, tables, changed=False).statement
    events: list[ClaimEvent] = []
    cursor = None
    while True:
        page = uow.claims.list_events(caller.creditor_id, claim_id, PageRequest(100, cursor))
        events.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    return DossierInput(
        creditor=creditor, debtor=debtor, claim=claim, account=account,
        statement=settled or account.statement(claim, today, tables),
        letters=uow.letters.list_letters(caller.creditor_id, claim_id),
        documents=uow.documents.list_documents(caller.creditor_id, claim_id),
        events=events, made_on=today, route=route, court_type=court_type)


def dossier_files(data: DossierInput, ports: Ports) -> list[DossierFile]:
    """The dossier's files, each stored piece read through the document store."""
    documents = _need(ports.documents, "document store")
    bodies = {p.object_key: documents.read(p.object_key) for p in exhibits(data)}
    return dossier.build(data, bodies)


def build_dossier(claim_id: str, caller: Caller, ports: Ports, write: ArchiveWriter, *,
                  route: JudicialRoute | None = JudicialRoute.INJONCTION_DE_PAYER,
                  court_type: str | None = None) -> StoredDossier:
    data = dossier_input(claim_id, caller, ports, route, court_type)
    files = dossier_files(data, ports)
    archive = write(files)
    sha = hashlib.sha256(archive).hexdigest()
    key = f"dossiers/{caller.creditor_id}/{claim_id}/{sha}.zip"
    documents = _need(ports.documents, "document store")
    try:
        documents.put_once(key, archive, "application/zip",
                           {"claim": claim_id, "made_on": data.made_on.isoformat()})
    except AlreadyStored:
        pass  # the same bytes, asked for again: the key is their hash
    name = f"dossier-{claim_id}-{data.made_on.isoformat()}.zip"
    url = documents.download_url(key, name, DOWNLOAD_URL_SECONDS)
    return StoredDossier(key, sha, len(archive), len(files), url, DOWNLOAD_URL_SECONDS)


__all__ = ["ArchiveWriter", "Language", "StoredDossier", "build_dossier", "dossier_files",
           "dossier_input"]
