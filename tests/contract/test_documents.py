"""The uploaded documents' repository promises, on the fake, moto and DynamoDB Local
alike: a record is read back whole, its id is taken once, a claim's list is in upload
order and holds neither another claim's nor another tenant's documents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.judicial.documents import DocumentKind, UploadedDocument
from domain.shared.errors import Conflict

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def doc(n: int, *, creditor: str = "cred_a", claim: str = "clm_1",
        at: datetime | None = None) -> UploadedDocument:
    return UploadedDocument(
        id=f"doc_{n:03d}", creditor_id=creditor, claim_id=claim, kind=DocumentKind.INVOICE,
        content_type="application/pdf", size=100 + n, sha256=f"{n:064x}",
        object_key=f"documents/{creditor}/{claim}/doc_{n:03d}.pdf",
        uploaded_at=at or NOW + timedelta(minutes=n), uploaded_by="erp",
        invoice_number=f"F-{n}")


def add(units: Any, *docs: UploadedDocument) -> None:
    with units() as uow:
        for d in docs:
            uow.documents.add_document(d)
        uow.commit()


def test_a_document_is_read_back_whole_and_its_id_is_taken_once(units: Any) -> None:
    add(units, doc(1))
    assert units().documents.get_document("cred_a", "clm_1", "doc_001") == doc(1)
    with pytest.raises(Conflict):
        add(units, doc(1))
    assert units().documents.get_document("cred_a", "clm_1", "doc_002") is None


def test_a_claims_documents_are_listed_in_upload_order_and_only_its_own(units: Any) -> None:
    # Uploaded 3, 1, 2 by instant; ids in another order.
    add(units, doc(2, at=NOW + timedelta(minutes=3)), doc(3, at=NOW),
        doc(1, at=NOW + timedelta(minutes=1)),
        doc(4, claim="clm_2"), doc(5, creditor="cred_b"))
    assert [d.id for d in units().documents.list_documents("cred_a", "clm_1")] == [
        "doc_003", "doc_001", "doc_002"]
    assert units().documents.list_documents("cred_b", "clm_1") == [doc(5, creditor="cred_b")]
    assert units().documents.get_document("cred_b", "clm_1", "doc_001") is None
    assert units().documents.list_documents("cred_a", "clm_9") == []
