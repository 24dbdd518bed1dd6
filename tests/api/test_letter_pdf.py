"""The whole path with the real renderer: a letter requested through the API, rendered by
the worker with WeasyPrint, stored in S3 (moto), read back by its presigned link's key and
checked as a PDF: its text says what the record says, and its SHA-256 is the record's."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import boto3
import pytest
from pypdf import PdfReader

from domain.letters.references import formatted
from tests.api._helpers import claim_body, invoice
from tests.api.test_letters import ADDRESS, request, run_jobs
from tests.conftest import BUCKET, Tenant, new_debtor


@pytest.fixture
def renderer() -> Any:
    from adapters.letters.renderer import WeasyPrintRenderer

    return WeasyPrintRenderer()


def test_a_formal_notice_pdf_says_what_its_record_says(client: Any, tenant: Tenant,
                                                      ports: Any, letter_queue: Any) -> None:
    etag = client.get("/v1/creditor", headers=tenant.headers).headers["etag"]
    client.patch("/v1/creditor", json={"signatory": "Jeanne Leroy, gérante"},
                 headers={**tenant.headers, "If-Match": etag})
    debtor = new_debtor(client, tenant, contact_points=[ADDRESS])
    claim = client.post("/v1/claims", json=claim_body(debtor["id"], invoice(
        "F-2026-017", issue="2026-01-01", due="2026-01-15")), headers=tenant.headers).json()
    letter = request(client, tenant, claim["id"]).json()
    run_jobs(ports, letter_queue)
    path = f"/v1/claims/{claim['id']}/letters/{letter['id']}"
    record = client.get(path, headers=tenant.headers).json()
    assert record["status"] == "ready", record
    key = f"letters/{tenant.creditor_id}/{claim['id']}/{letter['id']}.pdf"
    pdf = boto3.client("s3").get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert hashlib.sha256(pdf).hexdigest() == record["sha256"] and len(pdf) == record["size"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert "MISE EN DEMEURE" in text.upper()
    assert "F-2026-017" in text and "18 mars 2026" in text
    assert formatted(record["payment_reference"]) in text
    assert "Jeanne Leroy, gérante" in text
    total = record["amounts"]["total"].replace(".", ",")
    assert total in text.replace("\u202f", " ").replace(" ", "")  # e.g. 1261,57 €
    assert record["renderer_version"].startswith("relance-letters/")
