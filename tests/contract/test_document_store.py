"""The document store's streamed reads and writes (domain.ports.documents.StreamedDocuments)
on the fake and on moto's S3: an object comes back whole in chunks of at most
CHUNK_BYTES, a file is stored once with its SHA-256, and nothing at a key is a
StorageFailed."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from adapters.s3_documents import S3DocumentStore
from domain.ports.documents import CHUNK_BYTES, StreamedDocuments
from domain.ports.letters import AlreadyStored, StorageFailed
from tests.fakes import FakeDocumentStore

BUCKET = "relance-stream-contract"


@pytest.fixture(params=["fake", "moto"])
def documents(request: pytest.FixtureRequest) -> Iterator[Any]:
    if request.param == "fake":
        yield FakeDocumentStore()
        return
    with mock_aws():
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={
            "LocationConstraint": os.environ["AWS_DEFAULT_REGION"]})
        yield S3DocumentStore(s3, BUCKET)


def test_an_object_comes_back_whole_in_bounded_chunks(documents: Any) -> None:
    body = os.urandom(2 * CHUNK_BYTES + 12_345)
    documents.put_once("documents/c/k/a.pdf", body, "application/pdf", {"claim": "k"})
    assert isinstance(documents, StreamedDocuments)  # what build_dossier asks of it
    chunks = list(documents.read_chunks("documents/c/k/a.pdf"))
    assert b"".join(chunks) == body
    assert len(chunks) >= 3 and max(len(c) for c in chunks) <= CHUNK_BYTES
    with pytest.raises(StorageFailed):
        next(documents.read_chunks("documents/c/k/none.pdf"))


def test_a_file_is_stored_once_from_where_it_stands(documents: Any) -> None:
    body = os.urandom(CHUNK_BYTES + 1)
    sha = hashlib.sha256(body).hexdigest()
    stored = documents.put_once_file("dossiers/c/k/x.zip", io.BytesIO(body), len(body), sha,
                                     "application/zip", {"claim": "k"})
    assert (stored.size, stored.sha256, stored.metadata["sha256"]) == (len(body), sha, sha)
    assert b"".join(documents.read_chunks("dossiers/c/k/x.zip")) == body
    with pytest.raises(AlreadyStored) as again:
        documents.put_once_file("dossiers/c/k/x.zip", io.BytesIO(body), len(body), sha,
                                "application/zip", {"claim": "k"})
    assert again.value.existing.sha256 == sha and again.value.existing.size == len(body)


def test_the_fake_refuses_a_file_whose_bytes_are_not_its_hash_as_s3_does() -> None:
    # S3 checks x-amz-checksum-sha256 on receipt (BadDigest); moto does not, so the fake
    # alone stands for it here.
    documents = FakeDocumentStore()
    body = b"%PDF-1.7\n" + os.urandom(100)
    with pytest.raises(StorageFailed, match="BadDigest"):
        documents.put_once_file("dossiers/c/k/y.zip", io.BytesIO(body), len(body),
                                hashlib.sha256(body + b"!").hexdigest(), "application/zip", {})
    assert "dossiers/c/k/y.zip" not in documents.objects


def test_s3_cut_midway_is_a_storage_failure_and_the_body_is_closed() -> None:
    from botocore.exceptions import ReadTimeoutError

    class Body:
        closed = False

        def iter_chunks(self, size: int) -> Iterator[bytes]:
            yield b"x" * size
            raise ReadTimeoutError(endpoint_url="https://s3.example")

        def close(self) -> None:
            self.closed = True

    body = Body()

    class Client:
        def get_object(self, **_: Any) -> dict[str, Any]:
            return {"Body": body}

    chunks = S3DocumentStore(Client(), BUCKET).read_chunks("documents/c/k/a.pdf")
    assert len(next(chunks)) == CHUNK_BYTES
    with pytest.raises(StorageFailed, match="stopped"):
        next(chunks)
    assert body.closed
