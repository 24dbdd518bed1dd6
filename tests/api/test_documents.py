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
from urllib.parse import unquote, urlparse

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
