"""Documents and the dossier over HTTP, on moto (DynamoDB and S3): an upload is stored
with its SHA-256 and refused as a problem when too large (413), of a type the dossier does
not carry (415) or of an unknown kind (400); the dossier is a 303 to the stored zip, whose
manifest's hashes the test recomputes from the archive itself."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import boto3

from tests.api._helpers import assert_problem
from tests.conftest import BUCKET, Tenant, new_claim, new_debtor

PDF = b"%PDF-1.7\n" + b"x" * 2000


def upload(client: Any, tenant: Tenant, claim_id: str, body: bytes, *, kind: str = "invoice",
           content_type: str = "application/pdf", **query: str) -> Any:
    return client.post(f"/v1/claims/{claim_id}/documents", content=body,
                       params={"kind": kind, **query},
                       headers={**tenant.headers, "Content-Type": content_type})


def stored_object(url: str) -> bytes:
    key = unquote(urlparse(url).path.lstrip("/").removeprefix(f"{BUCKET}/"))
    body: bytes = boto3.client("s3").get_object(Bucket=BUCKET, Key=key)["Body"].read()
    return body


def test_an_upload_is_stored_with_its_hash_listed_and_linked(client: Any,
                                                            tenant: Tenant) -> None:
    claim = new_claim(client, tenant, new_debtor(client, tenant)["id"])
    made = upload(client, tenant, claim["id"], PDF, invoice_number="F-001")
    assert made.status_code == 201, made.text
    record = made.json()
    assert record["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert (record["kind"], record["invoice_number"], record["size"]) == (
        "invoice", "F-001", len(PDF))
    again = upload(client, tenant, claim["id"], PDF, invoice_number="F-001")
    assert again.status_code == 200 and again.json()["id"] == record["id"]
    listed = client.get(f"/v1/claims/{claim['id']}/documents", headers=tenant.headers)
    assert [d["id"] for d in listed.json()["items"]] == [record["id"]]
    read = client.get(f"/v1/claims/{claim['id']}/documents/{record['id']}",
                      headers=tenant.headers)
    assert read.status_code == 200
    assert stored_object(read.json()["download_url"]) == PDF
    assert client.get(f"/v1/claims/{claim['id']}/documents/doc_nope",
                      headers=tenant.headers).status_code == 404


def test_an_upload_is_refused_as_a_problem(client: Any, tenant: Tenant) -> None:
    claim = new_claim(client, tenant, new_debtor(client, tenant)["id"])
    assert_problem(upload(client, tenant, claim["id"], b"<html>", content_type="text/html"),
                   415)
    assert_problem(upload(client, tenant, claim["id"], b"x" * (4 * 1024 * 1024 + 1)), 413)
    assert_problem(upload(client, tenant, claim["id"], PDF, kind="selfie"), 400, "kind")
    assert_problem(upload(client, tenant, claim["id"], PDF, invoice_number="F-404"), 422,
                   "invoice_number")
    assert_problem(upload(client, tenant, "clm_nope", PDF), 404)


def test_another_tenant_sees_neither_the_documents_nor_the_dossier(client: Any,
                                                                  tenant: Tenant) -> None:
    from tests.conftest import make_tenant

    claim = new_claim(client, tenant, new_debtor(client, tenant)["id"])
    record = upload(client, tenant, claim["id"], PDF).json()
    other = make_tenant(client, "Autre SARL")
    assert client.get(f"/v1/claims/{claim['id']}/documents/{record['id']}",
                      headers=other.headers).status_code == 404
    assert client.get(f"/v1/claims/{claim['id']}/documents",
                      headers=other.headers).status_code == 404
    assert client.get(f"/v1/claims/{claim['id']}/dossier", headers=other.headers,
                      follow_redirects=False).status_code == 404


def test_the_dossier_is_a_redirect_to_a_zip_whose_manifest_hashes_every_file(
        client: Any, tenant: Tenant) -> None:
    claim = new_claim(client, tenant, new_debtor(client, tenant)["id"])
    upload(client, tenant, claim["id"], PDF, invoice_number="F-001")
    upload(client, tenant, claim["id"], b"\xff\xd8\xff\xe0jpeg", kind="delivery_proof",
           content_type="image/jpeg")
    answer = client.get(f"/v1/claims/{claim['id']}/dossier", headers=tenant.headers,
                        follow_redirects=False)
    assert answer.status_code == 303, answer.text
    archive = stored_object(answer.headers["location"])
    assert hashlib.sha256(archive).hexdigest() == answer.headers["x-dossier-sha256"]
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        entries = {name: z.read(name) for name in z.namelist()}
    manifest = json.loads(entries.pop("manifest.json"))
    assert {f["path"]: f["sha256"] for f in manifest["files"]} == {
        path: hashlib.sha256(body).hexdigest() for path, body in entries.items()}
    assert entries["pieces/01-delivery_proof.jpg"] == b"\xff\xd8\xff\xe0jpeg"
    # The cover note twice: Markdown, and the same text as a PDF a lawyer can print.
    import pypdf

    cover = pypdf.PdfReader(io.BytesIO(entries["00-cover-note.pdf"]))
    printed = " ".join(page.extract_text() for page in cover.pages)
    assert f"Dossier de la créance {claim['id']}" in printed
    assert "00-cover-note.pdf" in entries["00-cover-note.md"].decode()
    assert entries["pieces/02-invoice-F-001.pdf"] == PDF
    request = json.loads(entries["injonction-de-payer/request.json"])
    assert request["form"]["cerfa"] == "12946*02"  # a business with a SIREN: the TC
    assert request["debtor"]["siren"] == "552100554"
    # The same state the same day: the same archive.
    second = client.get(f"/v1/claims/{claim['id']}/dossier", headers=tenant.headers,
                        follow_redirects=False)
    assert second.headers["x-dossier-sha256"] == answer.headers["x-dossier-sha256"]
    plain = client.get(f"/v1/claims/{claim['id']}/dossier", params={"route": "none"},
                       headers=tenant.headers, follow_redirects=False)
    with zipfile.ZipFile(io.BytesIO(stored_object(plain.headers["location"]))) as z:
        assert not any(n.startswith("injonction-de-payer/") for n in z.namelist())


def test_a_piece_altered_in_the_store_is_counted_and_named_in_the_manifest(
        client: Any, tenant: Tenant) -> None:
    claim = new_claim(client, tenant, new_debtor(client, tenant)["id"])
    record = upload(client, tenant, claim["id"], PDF, invoice_number="F-001").json()
    intact = client.get(f"/v1/claims/{claim['id']}/dossier", headers=tenant.headers,
                        follow_redirects=False)
    assert intact.headers["x-dossier-altered"] == "0"
    s3 = boto3.client("s3")
    (key,) = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix="documents/")[
        "Contents"] if record["id"] in o["Key"]]
    s3.put_object(Bucket=BUCKET, Key=key, Body=PDF + b"tampered")  # behind Relance's back
    altered = client.get(f"/v1/claims/{claim['id']}/dossier", headers=tenant.headers,
                         follow_redirects=False)
    assert altered.status_code == 303 and altered.headers["x-dossier-altered"] == "1"
    with zipfile.ZipFile(io.BytesIO(stored_object(altered.headers["location"]))) as z:
        manifest = json.loads(z.read("manifest.json"))
    (entry,) = [f for f in manifest["files"] if f.get("recorded_sha256")]
    assert entry["recorded_sha256"] == record["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert entry["sha256"] == hashlib.sha256(PDF + b"tampered").hexdigest()


BIG = PDF + b"z" * (5 * 1024 * 1024)  # above what a request's body may carry (4 MiB)


def declare(client: Any, tenant: Tenant, claim_id: str, body: bytes, **fields: Any) -> Any:
    return client.post(f"/v1/claims/{claim_id}/documents/uploads", headers=tenant.headers,
                       json={"kind": "contract", "content_type": "application/pdf",
                             "size": len(body), "sha256": hashlib.sha256(body).hexdigest(),
                             **fields})


def send(slot: dict[str, Any], body: bytes) -> Any:
    import requests  # moto answers the presigned PUT (mock_aws intercepts `requests`)

    return requests.put(slot["url"], data=body, headers=slot["headers"], timeout=10)


def test_a_large_file_goes_to_s3_by_a_presigned_put_then_is_recorded(client: Any,
                                                                    tenant: Tenant) -> None:
    claim = new_claim(client, tenant, new_debtor(client, tenant)["id"])
    declared = declare(client, tenant, claim["id"], BIG)
    assert declared.status_code == 201, declared.text
    slot = declared.json()
    assert slot["method"] == "PUT" and slot["expires_in"] == 300
    assert slot["max_size"] == 25 * 1024 * 1024
    signed = parse_qs(urlparse(slot["url"]).query)["X-Amz-SignedHeaders"][0].split(";")
    # The size, the type, the checksum and write-once are in the signature: S3 takes
    # nothing else at that URL.
    assert {"content-length", "content-type", "x-amz-checksum-sha256",
            "if-none-match"} <= set(signed)
    early = client.post(slot["complete_url"], headers=tenant.headers)
    assert_problem(early, 409, "upload_id")
    assert send(slot, BIG).status_code == 200
    from tests.conftest import make_tenant

    other = make_tenant(client, "Autre SARL")  # another tenant cannot complete it
    assert_problem(client.post(slot["complete_url"], headers=other.headers), 404)
    done = client.post(slot["complete_url"], headers=tenant.headers)
    assert done.status_code == 201, done.text
    record = done.json()
    assert (record["size"], record["sha256"], record["kind"]) == (
        len(BIG), hashlib.sha256(BIG).hexdigest(), "contract")
    again = client.post(slot["complete_url"], headers=tenant.headers)
    assert again.status_code == 200 and again.json()["id"] == record["id"]
    read = client.get(f"/v1/claims/{claim['id']}/documents/{record['id']}",
                      headers=tenant.headers)
    assert stored_object(read.json()["download_url"]) == BIG
    # Declared again: the same record, nothing to send.
    twice = declare(client, tenant, claim["id"], BIG)
    assert twice.status_code == 200 and twice.json()["id"] == record["id"]
    events = client.get(f"/v1/claims/{claim['id']}/events", headers=tenant.headers).json()
    uploaded = [e for e in events["items"] if e["action"] == "document_uploaded"]
    assert [(e["data"]["document_id"], e["data"]["channel"]) for e in uploaded] == [
        (record["id"], "upload_slot")]


def test_a_slot_is_refused_as_a_problem_naming_the_field(client: Any,
                                                         tenant: Tenant) -> None:
    claim = new_claim(client, tenant, new_debtor(client, tenant)["id"])
    slot = declare(client, tenant, claim["id"], BIG).json()
    # moto does not check the checksum S3 would (BadDigest): the completion does.
    assert send(slot, BIG[:-1] + b"!").status_code == 200
    assert_problem(client.post(slot["complete_url"], headers=tenant.headers), 422, "sha256")
    too_big = declare(client, tenant, claim["id"], b"", size=25 * 1024 * 1024 + 1)
    assert_problem(too_big, 422, "size")
    assert_problem(declare(client, tenant, claim["id"], BIG, content_type="text/html"), 400)
    assert_problem(declare(client, tenant, claim["id"], BIG, invoice_number="F-404"), 422,
                   "invoice_number")
    assert_problem(declare(client, tenant, "clm_nope", BIG), 404)
    assert_problem(client.post(f"/v1/claims/{claim['id']}/documents/uploads/doc_x.exe/"
                               "complete", headers=tenant.headers), 404)
    listed = client.get(f"/v1/claims/{claim['id']}/documents", headers=tenant.headers)
    assert listed.json()["items"] == []


def test_a_direct_upload_is_on_the_timeline(client: Any, tenant: Tenant) -> None:
    claim = new_claim(client, tenant, new_debtor(client, tenant)["id"])
    record = upload(client, tenant, claim["id"], PDF, invoice_number="F-001").json()
    events = client.get(f"/v1/claims/{claim['id']}/events", headers=tenant.headers).json()
    uploaded = [e for e in events["items"] if e["action"] == "document_uploaded"]
    assert [e["data"] for e in uploaded] == [{
        "document_id": record["id"], "kind": "invoice", "content_type": "application/pdf",
        "size": str(len(PDF)), "sha256": hashlib.sha256(PDF).hexdigest(),
        "invoice": "F-001", "channel": "direct"}]


def test_the_dossier_follows_the_proceeding_under_way(client: Any, tenant: Tenant) -> None:
    claim = new_claim(client, tenant, new_debtor(client, tenant)["id"])
    started = client.post(f"/v1/claims/{claim['id']}/actions/start_judicial",
                          json={"route": "refere_provision"}, headers=tenant.headers)
    assert started.status_code == 200, started.text
    dossier = client.get(f"/v1/claims/{claim['id']}/dossier", headers=tenant.headers,
                         follow_redirects=False)
    assert dossier.status_code == 303, dossier.text
    with zipfile.ZipFile(io.BytesIO(stored_object(dossier.headers["location"]))) as z:
        assert not any(n.startswith("injonction-de-payer/") for n in z.namelist())
    assert_problem(client.get(f"/v1/claims/{claim['id']}/dossier", headers=tenant.headers,
                              params={"route": "injonction_de_payer"},
                              follow_redirects=False), 409, "route")
