"""The evidence dossier through the use cases, on the fakes: the uploaded pieces, every
letter sent with its proofs, the bordereau's order and numbers, the injonction de payer's
request data, and a manifest whose hashes are the files' own (recomputed from the zip).

Figures (B2B, 2026 S1: ECB 2.15 + 10 = 12.15 %; `amount × days × rate / 36500`, half-up),
on 2026-03-15, the day the post's proofs are in (the clock starts 2026-03-10):
- F-1 1200.00 due 2026-01-15: 16 + 28 + 15 = 59 days late,
  1200 × 59 × 12.15 / 36500 = 23.567… → 23.57;
- F-2 800.00 due 2026-02-19: 9 + 15 = 24 days late, 800 × 24 × 12.15 / 36500 = 6.391… → 6.39;
- two fixed indemnities of 40.00 (D441-5): 80.00;
- total due 2000.00 + 23.57 + 6.39 + 80.00 = 2109.96.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tracemalloc
import zipfile
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta
from typing import IO, Any

import pytest

from adapters.dossier_archive import ZipArchive, write_zip
from domain.judicial.dossier import MANIFEST, exhibits
from domain.letters.model import DispatchMode, LetterKind
from domain.ports.documents import CHUNK_BYTES
from domain.ports.letters import StoredObject
from domain.services import claim_documents, dossier, letters
from domain.services.caller import Caller
from domain.services.letters import PortMissing
from domain.shared.errors import Conflict, DomainValidationError, NotFound
from tests.fakes import FakeDocumentStore, FakeWorld
from tests.service.test_letters import claim, ready

F1 = ("F-1", date(2026, 1, 1), date(2026, 1, 15), "1200.00")
F2 = ("F-2", date(2026, 1, 20), date(2026, 2, 19), "800.00")
PDF = b"%PDF-1.7\n"


@pytest.fixture
def caller(world: FakeWorld) -> Caller:
    from domain import services
    from tests.service.test_letters import CREDITOR

    return Caller(services.create_creditor(CREDITOR, world.ports).id, "erp")


def upload(world: FakeWorld, caller: Caller, claim_id: str, kind: str, body: bytes,
           invoice: str | None = None, content_type: str = "application/pdf") -> Any:
    record, _ = claim_documents.upload_document(claim_id, kind, invoice, content_type, body,
                                                caller, world.ports)
    return record


def sent_formal_notice(world: FakeWorld, caller: Caller, claim_id: str) -> None:
    letter = ready(world, caller, claim_id, LetterKind.FORMAL_NOTICE)
    letters.dispatch_letter(claim_id, letter.id, DispatchMode.REGISTERED_AR, caller,
                            world.ports)
    world.clock.advance(timedelta(days=5))
    letters.reconcile_dispatches(world.ports)  # printed, posted, delivered: two proofs


def start(world: FakeWorld, caller: Caller, claim_id: str, route: Any) -> None:
    """The real start: the lifecycle's action opens the proceeding in its write."""
    from domain import services

    services.apply_action(claim_id, services.ActionRequest(
        "start_judicial", "no answer", route=route.value), caller, world.ports)


def unzip(archive: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.fixture
def full(world: FakeWorld, caller: Caller) -> tuple[str, dict[str, bytes]]:
    claim_id = claim(world, caller, F1, F2)
    # Given out of order: the bordereau puts them in CPC 1407's.
    upload(world, caller, claim_id, "other", PDF + b"other")
    upload(world, caller, claim_id, "invoice", PDF + b"F-2", "F-2")
    upload(world, caller, claim_id, "delivery_proof", b"\x89PNG\r\n\x1a\nbl", None,
           "image/png")
    upload(world, caller, claim_id, "invoice", PDF + b"F-1", "F-1")
    upload(world, caller, claim_id, "terms_of_sale", PDF + b"cgv")
    sent_formal_notice(world, caller, claim_id)
    files = {f.path: f.body for f in dossier.dossier_files(
        dossier.dossier_input(claim_id, caller, world.ports), world.ports)}
    return claim_id, files


def test_the_bordereau_numbers_the_pieces_in_the_order_a_court_asks(
        full: tuple[str, dict[str, bytes]]) -> None:
    _, files = full
    pieces = sorted(p for p in files if p.startswith("pieces/"))
    assert pieces == [
        "pieces/01-terms_of_sale.pdf", "pieces/02-delivery_proof.png",
        "pieces/03-invoice-F-1.pdf", "pieces/04-invoice-F-2.pdf", "pieces/05-other.pdf",
        "pieces/06-letter-formal_notice.pdf", "pieces/07-proof-deposit.pdf",
        "pieces/08-proof-acknowledgement.pdf"]
    assert files["pieces/03-invoice-F-1.pdf"] == PDF + b"F-1"
    assert files["pieces/02-delivery_proof.png"] == b"\x89PNG\r\n\x1a\nbl"
    assert files["pieces/06-letter-formal_notice.pdf"].startswith(b"%PDF")
    text = files["injonction-de-payer/request.txt"].decode()
    assert "Pièce n° 3 : Facture n° F-1" in text
    assert "Pièce n° 7 : Mise en demeure du 10/03/2026 : preuve de dépôt" in text
    assert "Pièce n° 8 : Mise en demeure du 10/03/2026 : avis de réception" in text


def test_the_request_carries_the_parties_and_the_amount_broken_down(
        full: tuple[str, dict[str, bytes]]) -> None:
    _, files = full
    request = json.loads(files["injonction-de-payer/request.json"])
    assert request["form"] == {"cerfa": "12948*06", "court_type": "TJ"}  # no SIREN given
    assert request["creditor"]["siren"] == "732829320"
    assert request["debtor"]["address"]["postal_code"] == "75002"
    amount = request["amount"]
    assert amount["as_of"] == "2026-03-15"
    assert amount["principal"] == "2000.00"
    assert amount["interest"]["amount"] == "29.96"  # 23.57 + 6.39
    assert [(x["invoice"], x["days"], x["rate"], x["amount"])
            for x in amount["interest"]["lines"]] == [
        ("F-1", 59, "12.15", "23.57"), ("F-2", 24, "12.15", "6.39")]
    assert amount["indemnity"]["amount"] == "80.00"
    assert amount["total"] == "2109.96"
    assert [e["number"] for e in request["exhibits"]] == list(range(1, 9))
    assert any("L441-10" in basis for basis in request["legal_basis"])
    assert any("C. civ. 1344" in basis for basis in request["legal_basis"])


def test_a_business_debtor_with_a_siren_goes_to_the_tribunal_de_commerce(
        world: FakeWorld, caller: Caller) -> None:
    from tests.service.test_letters import debtor

    claim_id = claim(world, caller, F1, debtor_id=debtor(world, caller, siren="552100554"))
    files = {f.path: f.body for f in dossier.dossier_files(
        dossier.dossier_input(claim_id, caller, world.ports), world.ports)}
    assert json.loads(files["injonction-de-payer/request.json"])["form"] == {
        "cerfa": "12946*02", "court_type": "TC"}
    cover = files["00-cover-note.md"].decode()
    # Nothing uploaded and no letter sent: the cover note says what a court will miss.
    for missing in ("copie de la facture n° F-1", "preuve de livraison", "mise en demeure"):
        assert missing in cover
    without = dossier.dossier_input(claim_id, caller, world.ports, route=None)
    paths = {f.path for f in dossier.dossier_files(without, world.ports)}
    assert not any(p.startswith("injonction-de-payer/") for p in paths)


def test_the_manifest_hashes_every_file_of_the_zip_and_the_same_state_gives_the_same_bytes(
        world: FakeWorld, caller: Caller, full: tuple[str, dict[str, bytes]]) -> None:
    claim_id, _ = full
    stored = dossier.build_dossier(claim_id, caller, world.ports, ZipArchive)
    archive, _ = world.documents.objects[stored.object_key]
    assert hashlib.sha256(archive).hexdigest() == stored.sha256
    entries = unzip(archive)
    manifest = json.loads(entries[MANIFEST])
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(entries) - {MANIFEST}
    for path, body in entries.items():
        if path != MANIFEST:
            assert listed[path]["sha256"] == hashlib.sha256(body).hexdigest(), path
            assert listed[path]["size"] == len(body)
    writes = world.documents.writes
    again = dossier.build_dossier(claim_id, caller, world.ports, ZipArchive)
    assert again.sha256 == stored.sha256 and world.documents.writes == writes


def test_the_timeline_statement_and_letters_are_in_the_dossier(
        full: tuple[str, dict[str, bytes]]) -> None:
    _, files = full
    timeline = json.loads(files["07-timeline.json"])
    assert [e["seq"] for e in timeline] == sorted(e["seq"] for e in timeline)
    assert {"open", "letter_requested", "letter_dispatched"} <= {e["action"] for e in timeline}
    statement = json.loads(files["04-statement.json"])["statement"]
    assert [i["number"] for i in statement["invoices"]] == ["F-1", "F-2"]
    sent = json.loads(files["03-letters.json"])
    assert [(x["kind"], x["exhibit"], x["proof_exhibits"]) for x in sent] == [
        ("formal_notice", 6, [7, 8])]


def test_an_upload_is_checked_and_the_same_bytes_give_the_same_record(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = claim(world, caller, F1)
    first, new = claim_documents.upload_document(claim_id, "invoice", "F-1",
                                                 "application/pdf", PDF, caller, world.ports)
    again, new_again = claim_documents.upload_document(
        claim_id, "invoice", "F-1", "application/pdf; charset=binary", PDF, caller,
        world.ports)
    assert new and not new_again and again == first
    assert first.sha256 == hashlib.sha256(PDF).hexdigest()
    assert world.documents.objects[first.object_key][0] == PDF
    with pytest.raises(claim_documents.UploadRefused) as wrong_type:
        claim_documents.upload_document(claim_id, "invoice", None, "text/html", b"<p>",
                                        caller, world.ports)
    assert wrong_type.value.status == 415
    with pytest.raises(claim_documents.UploadRefused) as too_big:
        claim_documents.upload_document(claim_id, "other", None, "application/pdf",
                                        b"x" * (4 * 1024 * 1024 + 1), caller, world.ports)
    assert too_big.value.status == 413
    with pytest.raises(DomainValidationError) as unknown:
        claim_documents.upload_document(claim_id, "invoice", "F-9", "application/pdf", PDF,
                                        caller, world.ports)
    assert unknown.value.errors[0].field == "invoice_number"
    with pytest.raises(NotFound):
        claim_documents.upload_document("clm_nope", "invoice", None, "application/pdf", PDF,
                                        caller, world.ports)
    assert [d.id for d in claim_documents.list_documents(claim_id, caller, world.ports)] == [
        first.id]


def test_disputes_promises_and_their_ends_are_in_the_dossier(world: FakeWorld,
                                                            caller: Caller) -> None:
    from domain import services
    from domain.services import amounts

    claim_id = claim(world, caller, F1, F2)
    services.apply_action(claim_id, services.ActionRequest(
        "open_dispute", reason="livraison incomplète", invoices=("F-2",)), caller, world.ports)
    amounts.record_promise(claim_id, amounts.PromiseDraft(
        amount="1200.00", promised_on=date(2026, 3, 12), channel="phone"), caller,
        world.ports)
    world.clock.advance(timedelta(days=10))  # 2026-03-20: the promise was not kept
    files = {f.path: f.body for f in dossier.dossier_files(
        dossier.dossier_input(claim_id, caller, world.ports), world.ports)}
    disputes = json.loads(files["06-disputes.json"])
    assert disputes["disputed_invoices"] == ["F-2"]
    assert [(e["action"], e["reason"]) for e in disputes["events"]] == [
        ("open_dispute", "livraison incomplète")]
    promises = json.loads(files["05-promises-and-plans.json"])["promises"]
    # Past its day unpaid: broken as of the dossier's day, though nothing has saved it yet.
    assert [(p["amount"], p["promised_on"], p["status"]) for p in promises] == [
        ("1200.00", "2026-03-12", "broken")]


def timeline(world: FakeWorld, caller: Caller, claim_id: str) -> list[Any]:
    from domain.ports.repositories import PageRequest

    return world.ports.unit_of_work().claims.list_events(caller.creditor_id, claim_id,
                                                         PageRequest(100, None)).items


def test_an_upload_is_on_the_timeline_with_its_hash_never_its_content(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = claim(world, caller, F1)
    body = PDF + b"secret contents"
    record = upload(world, caller, claim_id, "invoice", body, "F-1")
    again = upload(world, caller, claim_id, "invoice", body, "F-1")
    uploaded = [e for e in timeline(world, caller, claim_id)
                if e.action == "document_uploaded"]
    assert again == record and len(uploaded) == 1  # the same bytes again: no second trace
    assert uploaded[0].data == {
        "document_id": record.id, "kind": "invoice", "content_type": "application/pdf",
        "size": str(len(body)), "sha256": hashlib.sha256(body).hexdigest(),
        "invoice": "F-1", "channel": "direct"}
    assert uploaded[0].at == record.uploaded_at and uploaded[0].actor == "erp"
    files = {f.path: f.body for f in dossier.dossier_files(
        dossier.dossier_input(claim_id, caller, world.ports), world.ports)}
    assert b"secret contents" not in files["07-timeline.json"]
    shown = [e for e in json.loads(files["07-timeline.json"])
             if e["action"] == "document_uploaded"]
    assert [e["data"]["document_id"] for e in shown] == [record.id]


BIG = PDF + b"z" * (5 * 1024 * 1024)  # above the 4 MiB a request's body may carry


def slot_for(world: FakeWorld, caller: Caller, claim_id: str, body: bytes, *,
             kind: str = "contract", invoice: str | None = None) -> Any:
    return claim_documents.start_upload(claim_id, claim_documents.UploadDraft(
        kind=kind, content_type="application/pdf", size=len(body),
        sha256=hashlib.sha256(body).hexdigest(), invoice_number=invoice), caller, world.ports)


def test_a_large_file_goes_by_a_slot_and_is_recorded_on_completion(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = claim(world, caller, F1)
    started = slot_for(world, caller, claim_id, BIG, kind="invoice", invoice="F-1")
    assert started.existing is None and started.slot.method == "PUT"
    with pytest.raises(Conflict) as early:  # nothing sent yet
        claim_documents.complete_upload(claim_id, started.upload_id, caller, world.ports)
    assert early.value.field_path == "upload_id"
    world.documents.deliver(started.slot.url, BIG)
    record, new = claim_documents.complete_upload(claim_id, started.upload_id, caller,
                                                  world.ports)
    assert new and (record.size, record.sha256, record.invoice_number) == (
        len(BIG), hashlib.sha256(BIG).hexdigest(), "F-1")
    again, new_again = claim_documents.complete_upload(claim_id, started.upload_id, caller,
                                                       world.ports)
    assert again == record and not new_again
    uploaded = [e for e in timeline(world, caller, claim_id)
                if e.action == "document_uploaded"]
    assert [(e.data["document_id"], e.data["channel"], e.data["size"]) for e in uploaded] == [
        (record.id, "upload_slot", str(len(BIG)))]
    # The same bytes declared again as the same piece: its record, no slot.
    twice = slot_for(world, caller, claim_id, BIG, kind="invoice", invoice="F-1")
    assert twice.slot is None and twice.existing == record
    files = {f.path: f.body for f in dossier.dossier_files(
        dossier.dossier_input(claim_id, caller, world.ports), world.ports)}
    assert files["pieces/01-invoice-F-1.pdf"] == BIG


def test_a_slot_refuses_what_was_not_declared(world: FakeWorld, caller: Caller) -> None:
    claim_id = claim(world, caller, F1)
    started = slot_for(world, caller, claim_id, BIG)
    world.documents.deliver(started.slot.url, BIG[:-1] + b"!")  # same size, other bytes
    with pytest.raises(DomainValidationError) as other_bytes:
        claim_documents.complete_upload(claim_id, started.upload_id, caller, world.ports)
    assert other_bytes.value.errors[0].field == "sha256"
    started = slot_for(world, caller, claim_id, BIG)
    world.documents.deliver(started.slot.url, BIG, content_type="image/png")
    with pytest.raises(DomainValidationError) as other_type:
        claim_documents.complete_upload(claim_id, started.upload_id, caller, world.ports)
    assert other_type.value.errors[0].field == "content_type"
    assert claim_documents.list_documents(claim_id, caller, world.ports) == []
    too_big = b"x" * (world.documents.max_upload_bytes + 1)
    with pytest.raises(DomainValidationError) as size:
        slot_for(world, caller, claim_id, too_big)
    assert size.value.errors[0].field == "size"
    with pytest.raises(NotFound):
        claim_documents.complete_upload(claim_id, "doc_nope.exe", caller, world.ports)


def test_a_proceeding_under_way_decides_the_dossiers_route(world: FakeWorld,
                                                          caller: Caller) -> None:
    from domain.claims.judicial import JudicialRoute
    from domain.services import judicial_proceedings as jps

    def paths(route: str | None = None) -> set[str]:
        stored = dossier.build_dossier(claim_id, caller, world.ports, ZipArchive, route=route)
        return set(unzip(world.documents.objects[stored.object_key][0]))

    claim_id = claim(world, caller, F1)
    assert "injonction-de-payer/request.json" in paths()  # none under way: the default
    assert "injonction-de-payer/request.json" not in paths("none")  # ... or the query
    start(world, caller, claim_id, JudicialRoute.REFERE_PROVISION)
    assert not any(p.startswith("injonction-de-payer/") for p in paths())
    with pytest.raises(Conflict) as contradicted:
        paths("injonction_de_payer")
    assert contradicted.value.field_path == "route"
    jps.record_event(claim_id, jps.EventDraft(type="withdrawn", occurred_on=date(2026, 3, 10)),
                     None, caller, world.ports)
    assert "injonction-de-payer/request.json" in paths("injonction_de_payer")  # ended


def test_an_injonction_under_way_keeps_its_request_in_the_dossier(world: FakeWorld,
                                                                 caller: Caller) -> None:
    from domain.claims.judicial import JudicialRoute

    claim_id = claim(world, caller, F1)
    start(world, caller, claim_id, JudicialRoute.INJONCTION_DE_PAYER)
    assert dossier.dossier_route(claim_id, None, caller, world.ports) is (
        JudicialRoute.INJONCTION_DE_PAYER)
    with pytest.raises(Conflict):
        dossier.dossier_route(claim_id, "none", caller, world.ports)
    with pytest.raises(DomainValidationError):
        dossier.dossier_route(claim_id, "refere", caller, world.ports)


def test_the_statement_file_carries_the_proceedings_costs_by_who_bears_them(
        world: FakeWorld, caller: Caller) -> None:
    from domain import services
    from domain.services import judicial_proceedings as jps

    claim_id = claim(world, caller, F1)
    services.apply_action(claim_id, services.ActionRequest(
        "start_judicial", "no answer", route="injonction_de_payer"), caller, world.ports)
    jps.record_event(claim_id, jps.EventDraft(
        type="filed", occurred_on=date(2026, 3, 10),
        cost=jps.CostDraft(kind="greffe", amount="25.19")), None, caller, world.ports)
    jps.record_event(claim_id, jps.EventDraft(
        type="cost", occurred_on=date(2026, 3, 10),
        cost=jps.CostDraft(kind="agency_commission", amount="100.00", vat="20.00")),
        None, caller, world.ports)
    files = {f.path: f.body for f in dossier.dossier_files(
        dossier.dossier_input(claim_id, caller, world.ports), world.ports)}
    judicial = json.loads(files["04-statement.json"])["judicial"]
    assert [(c["cost"]["kind"], c["bearer"]) for c in judicial["costs"]] == [
        ("greffe", "debtor_if_ordered"), ("agency_commission", "creditor")]
    assert (judicial["costs_debtor_may_bear"], judicial["costs_left_to_creditor"]) == (
        "25.19", "120.00")


# ------------------------------------------------------------ built in bounded memory

def test_the_stored_archive_is_the_one_its_files_give_in_memory(
        world: FakeWorld, caller: Caller, full: tuple[str, dict[str, bytes]]) -> None:
    """Streamed or not, the same state gives the same bytes, so the same key."""
    claim_id, _ = full
    world.documents.whole_reads.clear()
    stored = dossier.build_dossier(claim_id, caller, world.ports, ZipArchive)
    assert world.documents.whole_reads == []  # every piece read in chunks
    in_memory = write_zip(dossier.dossier_files(
        dossier.dossier_input(claim_id, caller, world.ports), world.ports))
    assert world.documents.objects[stored.object_key][0] == in_memory
    assert stored.size == len(in_memory)
    assert stored.object_key.endswith(f"/{hashlib.sha256(in_memory).hexdigest()}.zip")


def test_the_manifest_hashes_are_those_of_the_stored_pieces_and_of_their_records(
        world: FakeWorld, caller: Caller, full: tuple[str, dict[str, bytes]]) -> None:
    claim_id, _ = full
    stored = dossier.build_dossier(claim_id, caller, world.ports, ZipArchive)
    listed = {f["path"]: f for f in json.loads(
        unzip(world.documents.objects[stored.object_key][0])[MANIFEST])["files"]}
    pieces = exhibits(dossier.dossier_input(claim_id, caller, world.ports))
    assert len(pieces) == 8
    for piece in pieces:
        body = world.documents.objects[piece.object_key][0]
        entry = listed[piece.path]
        assert entry["sha256"] == hashlib.sha256(body).hexdigest() == piece.sha256
        assert entry["size"] == len(body)
        assert "recorded_sha256" not in entry  # intact: nothing to report
    assert stored.altered == ()


def test_a_piece_whose_stored_bytes_are_not_those_recorded_is_named(
        world: FakeWorld, caller: Caller) -> None:
    """It stays in the dossier as it is stored (the manifest hashes what the archive
    holds), with the hash recorded at its upload beside it and a word in the cover note."""
    claim_id = claim(world, caller, F1)
    changed = upload(world, caller, claim_id, "invoice", PDF + b"F-1", "F-1")
    upload(world, caller, claim_id, "terms_of_sale", PDF + b"cgv")
    _, meta = world.documents.objects[changed.object_key]
    world.documents.objects[changed.object_key] = (PDF + b"F-1, altered", meta)
    stored = dossier.build_dossier(claim_id, caller, world.ports, ZipArchive)
    path = "pieces/02-invoice-F-1.pdf"
    assert stored.altered == (path,)
    entries = unzip(world.documents.objects[stored.object_key][0])
    assert entries[path] == PDF + b"F-1, altered"
    listed = {f["path"]: f for f in json.loads(entries[MANIFEST])["files"]}
    assert listed[path]["sha256"] == hashlib.sha256(PDF + b"F-1, altered").hexdigest()
    assert listed[path]["recorded_sha256"] == changed.sha256 != listed[path]["sha256"]
    assert "recorded_sha256" not in listed["pieces/01-terms_of_sale.pdf"]
    cover = entries["00-cover-note.md"].decode()
    assert "## Empreintes discordantes" in cover
    assert f"- {path} : enregistrée {changed.sha256}" in cover
    assert "pieces/01-terms_of_sale.pdf : enregistrée" not in cover
    request = json.loads(entries["injonction-de-payer/request.json"])
    assert {e["file"]: e["sha256"] for e in request["exhibits"]}[path] == (
        listed[path]["sha256"])


class _KeepsNoArchive(FakeDocumentStore):
    """The fake store whose archive goes elsewhere, as to S3: it is hashed as it is read,
    never held (so what the process holds is the build's own)."""

    def __init__(self, objects: dict[str, tuple[bytes, dict[str, str]]]) -> None:
        super().__init__()
        self.objects = objects
        self.archives: dict[str, str] = {}

    def put_once_file(self, key: str, body: IO[bytes], size: int, sha256: str,
                      content_type: str, metadata: Mapping[str, str]) -> StoredObject:
        digest = hashlib.sha256()
        while chunk := body.read(CHUNK_BYTES):
            digest.update(chunk)
        self.archives[key] = digest.hexdigest()
        return StoredObject(key, size, sha256, dict(metadata))


def test_a_large_piece_goes_through_in_chunks_never_whole(world: FakeWorld,
                                                           caller: Caller) -> None:
    claim_id = claim(world, caller, F1)
    large = PDF + os.urandom(8 * 1024 * 1024)
    started = slot_for(world, caller, claim_id, large)
    world.documents.deliver(started.slot.url, large)
    document, _ = claim_documents.complete_upload(claim_id, started.upload_id, caller,
                                                  world.ports)
    world.documents.whole_reads.clear()
    stored = dossier.build_dossier(claim_id, caller, world.ports, ZipArchive)
    # Read through the port in chunks of at most CHUNK_BYTES, never whole.
    assert world.documents.whole_reads == []
    assert 0 < world.documents.largest_chunk <= CHUNK_BYTES
    entries = unzip(world.documents.objects[stored.object_key][0])
    assert entries["pieces/01-contract.pdf"] == large
    listed = {f["path"]: f for f in json.loads(entries[MANIFEST])["files"]}
    assert listed["pieces/01-contract.pdf"]["size"] == len(large)
    assert listed["pieces/01-contract.pdf"]["sha256"] == document.sha256
    # And what the build itself holds stays well under the piece (the store holds it).
    store = _KeepsNoArchive(world.documents.objects)
    ports = replace(world.ports, documents=store)
    tracemalloc.start()
    try:
        again = dossier.build_dossier(claim_id, caller, ports, ZipArchive)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert store.archives == {again.object_key: stored.sha256}
    assert peak < len(large) // 2, f"{peak / 2**20:.1f} MiB held for an 8 MiB piece"


def test_without_a_streamed_store_the_dossier_is_refused_as_a_wiring_error(
        world: FakeWorld, caller: Caller) -> None:
    class Whole:  # a DocumentStore that reads only whole objects
        def put_once(self, *_: Any) -> StoredObject:
            raise AssertionError("nothing is stored")

        def read(self, key: str) -> bytes:
            raise AssertionError("nothing is read whole")

        def download_url(self, key: str, filename: str, expires_in: int) -> str:
            return key

    claim_id = claim(world, caller, F1)
    with pytest.raises(PortMissing):
        dossier.build_dossier(claim_id, caller, replace(world.ports, documents=Whole()),
                              ZipArchive)
