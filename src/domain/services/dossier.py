"""Use case: the evidence dossier of a claim (domain.judicial.dossier decides what is in
it), written as one archive and stored in the document store.

The archive is stored, not answered: with uploaded pieces of up to 25 MiB each it passes
the 6 MB a Lambda response may carry, and a stored archive is what was handed over, with
its hash. Its key is its own SHA-256 under the claim, so asking again for an unchanged
dossier stores nothing new (`put_once` finds the same bytes there) and a changed one is a
new object, the earlier kept: write-once, as letters are.

Built in bounded memory: each piece is read from the store in chunks, hashed as it streams
into scratch space (domain.ports.documents.DossierArchive, a Lambda's /tmp), the zip is
written there from those chunks and stored from the file. A piece is read once; the
manifest, which precedes the pieces in the zip, has their hashes from that read."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from domain.amounts.settlement import settle
from domain.claims.judicial import JudicialRoute
from domain.claims.model import ClaimEvent
from domain.judicial import dossier
from domain.judicial.dossier import (
    CoverPrinter,
    DossierFile,
    DossierInput,
    StoredBytes,
    exhibits,
)
from domain.judicial.proceedings import TERMINAL
from domain.ports.documents import DossierArchive, StreamedDocuments
from domain.ports.letters import AlreadyStored, DocumentStore
from domain.ports.repositories import PageRequest
from domain.services.amounts import judicial_section
from domain.services.caller import Caller, Ports
from domain.services.letters import DOWNLOAD_URL_SECONDS, PortMissing, _need
from domain.shared.errors import Conflict, DomainValidationError, NotFound
from domain.shared.language import Language

# A new scratch space per dossier (adapters.dossier_archive.ZipArchive).
ArchiveFactory = Callable[[], DossierArchive]


@dataclass(frozen=True, slots=True)
class StoredDossier:
    object_key: str
    sha256: str
    size: int
    files: int
    download_url: str
    expires_in: int
    # The pieces whose bytes are not those recorded when they were stored (their paths):
    # the archive says so too (manifest, cover note).
    altered: tuple[str, ...] = ()


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
    statement = settled or account.statement(claim, today, tables)
    return DossierInput(
        creditor=creditor, debtor=debtor, claim=claim, account=account,
        statement=statement,
        judicial=judicial_section(uow, claim, account, statement, tables),
        letters=uow.letters.list_letters(caller.creditor_id, claim_id),
        documents=uow.documents.list_documents(caller.creditor_id, claim_id),
        events=events, made_on=today, route=route, court_type=court_type)


def dossier_files(data: DossierInput, ports: Ports,
                  printer: CoverPrinter | None = None) -> list[DossierFile]:
    """The dossier's files, each stored piece read whole through the document store: to
    look at them in memory. build_dossier streams them instead."""
    documents = _need(ports.documents, "document store")
    bodies = {p.object_key: documents.read(p.object_key) for p in exhibits(data)}
    return dossier.build(data, bodies, printer)


# What `?route=` may ask: the route whose request the dossier pre-fills, or none.
ROUTE_CHOICES = {"injonction_de_payer": JudicialRoute.INJONCTION_DE_PAYER, "none": None}


def dossier_route(claim_id: str, requested: str | None, caller: Caller,
                  ports: Ports) -> JudicialRoute | None:
    """The route the dossier is made for. A proceeding under way decides: its route, so
    a dossier never pre-fills a request for a route the claim is not on (only the
    injonction de payer has one; another route's dossier has none). Asking for the other
    is refused (Conflict on `route`, 409: the claim's state, not the query, is wrong for
    it). With none under way (never started, or closed, lapsed: a new route may be
    prepared) the query chooses, the injonction de payer by default."""
    if requested is not None and requested not in ROUTE_CHOICES:
        raise DomainValidationError("route", f"one of {', '.join(ROUTE_CHOICES)}",
                                    code="invalid_choice")
    uow = ports.unit_of_work()
    current = uow.proceedings.current_proceeding(caller.creditor_id, claim_id)
    if current is None or current.state in TERMINAL:
        return ROUTE_CHOICES[requested or "injonction_de_payer"]
    route = current.route if current.route in ROUTE_CHOICES.values() else None
    if requested is not None and ROUTE_CHOICES[requested] is not route:
        raise Conflict(f"the claim's proceeding under way is a {current.route.value} "
                       f"({current.state.value}): its dossier is made for that route; "
                       "leave `route` out", field_path="route")
    return route


def _streamed(ports: Ports) -> StreamedDocuments:
    documents: DocumentStore = _need(ports.documents, "document store")
    if not isinstance(documents, StreamedDocuments):
        raise PortMissing("this function's document store reads no object in chunks")
    return documents


def _kept(space: DossierArchive, chunks: Iterable[bytes]) -> StoredBytes:
    """The piece's chunks into scratch space, its size and SHA-256 taken as they pass."""
    digest, size = hashlib.sha256(), 0

    def counted() -> Iterator[bytes]:
        nonlocal size
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            yield chunk

    ref = space.keep(counted())
    return StoredBytes(size, digest.hexdigest(), ref)


def build_dossier(claim_id: str, caller: Caller, ports: Ports, archive: ArchiveFactory, *,
                  route: str | None = None, court_type: str | None = None,
                  printer: CoverPrinter | None = None) -> StoredDossier:
    """`route`: the query's choice (`injonction_de_payer`, `none`), see dossier_route;
    `printer`: the cover note's PDF (adapters.cover_pdf.render), beside its Markdown."""
    data = dossier_input(claim_id, caller, ports, dossier_route(claim_id, route, caller, ports),
                         court_type)
    documents = _streamed(ports)
    pieces = exhibits(data)
    with archive() as space:
        read = {key: _kept(space, documents.read_chunks(key))
                for key in dict.fromkeys(p.object_key for p in pieces)}
        files = dossier.build(data, read, printer)
        written = space.write(files)
        key = f"dossiers/{caller.creditor_id}/{claim_id}/{written.sha256}.zip"
        try:
            documents.put_once_file(key, written.file, written.size, written.sha256,
                                    "application/zip",
                                    {"claim": claim_id, "made_on": data.made_on.isoformat()})
        except AlreadyStored:
            pass  # the same bytes, asked for again: the key is their hash
    name = f"dossier-{claim_id}-{data.made_on.isoformat()}.zip"
    url = _need(ports.documents, "document store").download_url(key, name,
                                                                DOWNLOAD_URL_SECONDS)
    hashes = {f.path: f.sha256 for f in files}  # the pieces' taken as they streamed
    return StoredDossier(key, written.sha256, written.size, len(files), url,
                         DOWNLOAD_URL_SECONDS, tuple(sorted(dossier.altered(pieces, hashes))))


__all__ = ["ROUTE_CHOICES", "ArchiveFactory", "Language", "StoredDossier", "build_dossier",
           "dossier_files", "dossier_input", "dossier_route"]
