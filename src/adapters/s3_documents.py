"""Letters and their proofs in S3: private, encrypted, written once.

`put_once` sends `If-None-Match: *`, so S3 itself refuses a second object at a key (two
workers rendering the same letter store one object, and nothing overwrites a letter that
was sent), and a SHA-256 checksum S3 verifies on receipt, so a corrupted upload is refused
rather than kept. The bucket's Object Lock retention (template.yaml) keeps every version
write-once for the prescription period; encryption is the bucket's default (SSE-KMS).

A file above what the HTTP function carries goes to S3 by a presigned PUT (`upload_slot`)
whose signature covers its Content-Length, Content-Type, `x-amz-checksum-sha256` and
`If-None-Match: *`: S3 refuses any other size, type or bytes (BadDigest), and a second
write at the key. `received` reads the object back and hashes it itself, so what is
recorded is what is there whether or not S3 kept a checksum.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator, Mapping
from typing import IO, Any

from botocore.exceptions import BotoCoreError, ClientError

from domain.ports.documents import CHUNK_BYTES, ReceivedObject, UploadSlot
from domain.ports.letters import AlreadyStored, StorageFailed, StoredObject

_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg",
          "zip": "application/zip"}


class S3DocumentStore:
    """Implements domain.ports.letters.DocumentStore, and domain.ports.documents'
    UploadSlots and StreamedDocuments, on one bucket."""

    def __init__(self, client: Any, bucket: str, *,
                 max_upload_bytes: int = 25 * 1024 * 1024) -> None:
        self.client, self.bucket = client, bucket
        # domain.ports.documents.UploadSlots: the largest file a slot is signed for.
        self.max_upload_bytes = max_upload_bytes

    def put_once(self, key: str, body: bytes, content_type: str,
                 metadata: Mapping[str, str]) -> StoredObject:
        return self._put(key, body, len(body), hashlib.sha256(body).hexdigest(),
                         content_type, metadata)

    def put_once_file(self, key: str, body: IO[bytes], size: int, sha256: str,
                      content_type: str, metadata: Mapping[str, str]) -> StoredObject:
        # One PUT from the file (botocore sends it in blocks, never whole; up to 5 GB): a
        # multipart upload would lose neither, but If-None-Match and the checksum of the
        # whole object are what a single PUT carries as letters do.
        return self._put(key, body, size, sha256, content_type, metadata)

    def _put(self, key: str, body: bytes | IO[bytes], size: int, sha256: str,
             content_type: str, metadata: Mapping[str, str]) -> StoredObject:
        meta = {**metadata, "sha256": sha256}
        try:
            self.client.put_object(
                Bucket=self.bucket, Key=key, Body=body, ContentLength=size,
                ContentType=content_type, IfNoneMatch="*",
                ChecksumSHA256=base64.b64encode(bytes.fromhex(sha256)).decode(),
                Metadata=meta)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code in ("PreconditionFailed", "ConditionalRequestConflict"):
                raise AlreadyStored(self._head(key)) from None
            raise StorageFailed(f"S3 refused the object ({code})") from None
        except BotoCoreError as exc:
            raise StorageFailed(f"S3 could not be reached ({type(exc).__name__})") from None
        return StoredObject(key, size, sha256, meta)

    def _head(self, key: str) -> StoredObject:
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=key)
        except (ClientError, BotoCoreError) as exc:
            raise StorageFailed(f"S3 could not describe the object ({type(exc).__name__})"
                                ) from None
        meta = dict(head.get("Metadata") or {})
        return StoredObject(key, int(head["ContentLength"]), meta.get("sha256", ""), meta)

    def read(self, key: str) -> bytes:
        try:
            body: bytes = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except (ClientError, BotoCoreError) as exc:
            raise StorageFailed(f"S3 did not give the object ({type(exc).__name__})") from None
        return body

    def read_chunks(self, key: str) -> Iterator[bytes]:
        # domain.ports.documents.StreamedDocuments: the body as it comes off the wire.
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        except (ClientError, BotoCoreError) as exc:
            raise StorageFailed(f"S3 did not give the object ({type(exc).__name__})") from None
        try:
            yield from body.iter_chunks(CHUNK_BYTES)
        except BotoCoreError as exc:  # cut midway (read timeout, connection reset)
            raise StorageFailed(f"S3 stopped giving the object ({type(exc).__name__})"
                                ) from None
        finally:
            body.close()

    def download_url(self, key: str, filename: str, expires_in: int) -> str:
        # The type follows the name's extension: letters are PDFs, uploaded pieces may be
        # images, a dossier is a zip.
        extension = filename.rsplit(".", 1)[-1].lower()
        url: str = self.client.generate_presigned_url(
            "get_object", ExpiresIn=expires_in,
            Params={"Bucket": self.bucket, "Key": key,
                    "ResponseContentType": _TYPES.get(extension, "application/pdf"),
                    "ResponseContentDisposition": f'inline; filename="{filename}"'})
        return url

    def upload_slot(self, key: str, content_type: str, size: int, sha256: str,
                    metadata: Mapping[str, str], expires_in: int) -> UploadSlot:
        checksum = base64.b64encode(bytes.fromhex(sha256)).decode()
        meta = {**metadata, "sha256": sha256}
        url: str = self.client.generate_presigned_url(
            "put_object", ExpiresIn=expires_in, HttpMethod="PUT",
            Params={"Bucket": self.bucket, "Key": key, "ContentType": content_type,
                    "ContentLength": size, "ChecksumSHA256": checksum, "IfNoneMatch": "*",
                    "Metadata": meta})
        # Every header the signature covers (X-Amz-SignedHeaders), which the client must
        # send as given; Content-Length is its HTTP client's, from the body.
        headers = {"Content-Type": content_type, "x-amz-checksum-sha256": checksum,
                   "If-None-Match": "*", **{f"x-amz-meta-{k}": v for k, v in meta.items()}}
        return UploadSlot("PUT", url, headers, expires_in)

    def received(self, key: str) -> ReceivedObject | None:
        try:
            got = self.client.get_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise StorageFailed(f"S3 did not give the object ({type(exc).__name__})"
                                ) from None
        except BotoCoreError as exc:
            raise StorageFailed(f"S3 could not be reached ({type(exc).__name__})") from None
        digest, size = hashlib.sha256(), 0
        # In chunks: a 25 MiB piece is hashed without being held whole.
        for chunk in got["Body"].iter_chunks(CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
        return ReceivedObject(size, str(got.get("ContentType") or ""), digest.hexdigest(),
                              dict(got.get("Metadata") or {}))
