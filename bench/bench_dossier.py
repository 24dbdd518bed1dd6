"""The evidence dossier of a claim with 20 invoices, 10 letters sent by registered post
with their proofs, and 5 uploaded pieces, on the fakes (in-memory table and store): its
size and the time to build it (read every piece, build the files, write the zip, hash and
store it). Letter PDFs are padded to ~25 KB, a rendered letter's usual size."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta

from bench.common import Row, median_p99, timings_ms

LETTER_BYTES = 25 * 1024


def _world():  # type: ignore[no-untyped-def]
    from tests.fakes import fake_ports

    from adapters.clock import FrozenClock
    from domain import services
    from domain.creditors.model import Address
    from domain.debtors.model import ContactKind, DebtorKind, PostalAddress
    from domain.letters.model import DispatchMode, LetterKind
    from domain.ports.letters import RenderedLetter
    from domain.services import claim_documents, letters
    from domain.services.caller import Caller

    world = fake_ports(FrozenClock(datetime(2026, 3, 10, 9, 30, tzinfo=UTC)))
    renderer = world.renderer
    plain = renderer.render

    def padded(content):  # type: ignore[no-untyped-def]
        pdf = plain(content).pdf
        return RenderedLetter(pdf + os.urandom(max(0, LETTER_BYTES - len(pdf))), 1)

    renderer.render = padded  # type: ignore[method-assign]
    creditor = services.create_creditor(services.CreditorDraft(
        legal_name="Menuiserie Leroy SARL", siren="732829320",
        address=Address(("8 rue des Lilas",), "69003", "Lyon", "FR"),
        iban="FR1420041010050500013M02606", bic="PSSTFRPPPAR"), world.ports)
    caller = Caller(creditor.id, "bench")
    debtor = services.create_debtor(services.DebtorDraft(
        kind=DebtorKind.BUSINESS, name="Boulangerie Martin SAS", country="FR",
        siren="552100554", contact_points=[services.ContactPointDraft(
            ContactKind.POSTAL_ADDRESS, address=PostalAddress(
                "Boulangerie Martin SAS", ("12 rue de la Paix",), "75002", "Paris", "FR"))]),
        caller, world.ports)
    invoices = [services.InvoiceDraft(f"F-{i:02d}", date(2025, 10, 1) + timedelta(days=i),
                                      date(2025, 11, 1) + timedelta(days=i), f"{900 + i}.00")
                for i in range(20)]
    claim, _ = services.create_claim(services.ClaimDraft(
        debtor_id=debtor.id, currency="EUR", invoices=invoices), caller, world.ports)
    for i in range(10):
        kind = LetterKind.REMINDER_1 if i % 2 else LetterKind.REMINDER_2
        letter = letters.request_letter(claim.id, letters.LetterDraft(kind), caller,
                                        world.ports)
        world.run_letter_jobs()
        letters.dispatch_letter(claim.id, letter.id, DispatchMode.REGISTERED_AR, caller,
                                world.ports)
    world.clock.advance(timedelta(days=5))
    letters.reconcile_dispatches(world.ports)
    for i, kind in enumerate(("contract", "terms_of_sale", "order", "delivery_proof",
                              "other")):
        claim_documents.upload_document(claim.id, kind, None, "application/pdf",
                                        b"%PDF-1.7\n" + os.urandom(200 * 1024 + i),
                                        caller, world.ports)
    return world, caller, claim.id


def run() -> list[Row]:
    from adapters.cover_pdf import render
    from adapters.dossier_archive import ZipArchive
    from domain.services import dossier

    world, caller, claim_id = _world()
    files = dossier.dossier_files(dossier.dossier_input(claim_id, caller, world.ports),
                                  world.ports, render)
    # As the HTTP route builds it: the cover note printed as a PDF too.
    stored = dossier.build_dossier(claim_id, caller, world.ports, ZipArchive, printer=render)
    pieces = sum(1 for f in files if f.path.startswith("pieces/"))
    median, p99 = median_p99(timings_ms(
        lambda: dossier.build_dossier(claim_id, caller, world.ports, ZipArchive,
                                      printer=render), repeat=30))
    cover = next(f for f in files if f.path == "00-cover-note.pdf")
    note = next(f for f in files if f.path == "00-cover-note.md").body.decode()
    cover_median, _ = median_p99(timings_ms(lambda: render(note, "bench"), repeat=30))
    large = _large_pieces(world, caller, claim_id)  # before the slots add theirs
    slot_median, slot_p99 = _slot_upload(world, caller, claim_id)
    return [
        ("dossier 20 inv / 10 letters / 5 uploads, size",
         f"{stored.size / 1024:.0f} KiB", f"{len(files)} files, {pieces} pieces"),
        ("dossier build, median of 30", f"{median:.1f} ms", f"p99 {p99:.1f} ms"),
        ("its cover note as a PDF (by hand, no WeasyPrint)", f"{cover_median:.2f} ms",
         f"{len(cover.body) / 1024:.1f} KiB"),
        *large,
        ("25 MiB upload slot: start + complete, median of 10", f"{slot_median:.1f} ms",
         f"p99 {slot_p99:.1f} ms (fakes: the declared and the read-back SHA-256, no "
         "S3 transfer)"),
    ]


LARGE_PIECES, LARGE_BYTES = 4, 8 * 1024 * 1024


def _in_memory(claim_id, caller, ports):  # type: ignore[no-untyped-def]
    """The build as it was before it streamed: every piece read whole, the zip in a
    BytesIO, hashed and stored from bytes (what a Lambda held of a dossier)."""
    import hashlib

    from adapters.dossier_archive import write_zip
    from domain.judicial import dossier as contents
    from domain.services import dossier

    data = dossier.dossier_input(claim_id, caller, ports)
    bodies = {p.object_key: ports.documents.read(p.object_key)
              for p in contents.exhibits(data)}
    archive = write_zip(contents.build(data, bodies))
    sha = hashlib.sha256(archive).hexdigest()
    ports.documents.put_once(f"dossiers/{caller.creditor_id}/{claim_id}/{sha}.zip", archive,
                             "application/zip", {})
    return sha


def _large_pieces(world, caller, claim_id):  # type: ignore[no-untyped-def]
    """The same claim with 4 more pieces of 8 MiB (by upload slot), built the old way and
    streamed, on a store that, as S3 does, gives a fresh copy of what it reads and keeps
    nothing it is given in the process (the stored pieces are allocated before the count
    starts): peak Python memory (tracemalloc) of each build, and its time."""
    import hashlib
    import tracemalloc
    from dataclasses import replace

    from tests.fakes import FakeDocumentStore

    from adapters.dossier_archive import ZipArchive
    from domain.judicial.dossier import exhibits
    from domain.ports.documents import CHUNK_BYTES
    from domain.ports.letters import StoredObject
    from domain.services import claim_documents, dossier

    for _ in range(LARGE_PIECES):
        body = b"%PDF-1.7\n" + os.urandom(LARGE_BYTES - 9)
        started = claim_documents.start_upload(claim_id, claim_documents.UploadDraft(
            kind="other", content_type="application/pdf", size=len(body),
            sha256=hashlib.sha256(body).hexdigest()), caller, world.ports)
        world.documents.deliver(started.slot.url, body)
        claim_documents.complete_upload(claim_id, started.upload_id, caller, world.ports)

    class AsS3(FakeDocumentStore):
        def read(self, key):  # type: ignore[no-untyped-def]
            return bytes(memoryview(self.objects[key][0]))  # off the wire: a new object

        def put_once(self, key, body, content_type, metadata):  # type: ignore[no-untyped-def]
            return StoredObject(key, len(body), hashlib.sha256(body).hexdigest(), {})

        def put_once_file(self, key, body, size, sha256, content_type, metadata):  # type: ignore[no-untyped-def]
            while body.read(CHUNK_BYTES):
                pass
            return StoredObject(key, size, sha256, {})

    store = AsS3()
    store.objects = world.documents.objects
    ports = replace(world.ports, documents=store)

    def peak(build) -> float:  # type: ignore[no-untyped-def]
        tracemalloc.start()
        try:
            build()
            return tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()

    def old() -> object:
        return _in_memory(claim_id, caller, ports)

    def new() -> object:
        return dossier.build_dossier(claim_id, caller, ports, ZipArchive).sha256

    assert old() == new()  # the same archive either way
    old_peak, new_peak = peak(old), peak(new)
    old_ms, _ = median_p99(timings_ms(old, repeat=5, warmup=1))
    new_ms, _ = median_p99(timings_ms(new, repeat=5, warmup=1))
    keys = {p.object_key for p in exhibits(dossier.dossier_input(claim_id, caller, ports))}
    total = sum(len(world.documents.objects[k][0]) for k in keys) / 2**20
    return [
        (f"same + {LARGE_PIECES} x 8 MiB pieces, peak Python memory: streamed",
         f"{new_peak:.1f} MiB", f"in memory {old_peak:.1f} MiB: {old_peak / new_peak:.0f}x "
         f"less ({total:.1f} MiB of pieces; tracemalloc)"),
        (f"same + {LARGE_PIECES} x 8 MiB pieces, build, median of 5: streamed",
         f"{new_ms:.0f} ms", f"in memory {old_ms:.0f} ms: x{new_ms / old_ms:.2f} "
         "(scratch files on this disk; no S3 transfer)"),
    ]


def _slot_upload(world, caller, claim_id):  # type: ignore[no-untyped-def]
    """Declare, deliver and complete a 25 MiB piece: the completion hashes every byte it
    reads back; each run new bytes (the same ones would be deduplicated)."""
    import hashlib

    from domain.services import claim_documents

    body = bytearray(b"%PDF-1.7\n" + os.urandom(25 * 1024 * 1024 - 9))
    runs = iter(range(1_000))

    def once() -> None:
        body[-8:] = next(runs).to_bytes(8, "big")
        data = bytes(body)
        started = claim_documents.start_upload(claim_id, claim_documents.UploadDraft(
            kind="other", content_type="application/pdf", size=len(data),
            sha256=hashlib.sha256(data).hexdigest()), caller, world.ports)
        world.documents.deliver(started.slot.url, data)
        claim_documents.complete_upload(claim_id, started.upload_id, caller, world.ports)

    return median_p99(timings_ms(once, repeat=10, warmup=1))
