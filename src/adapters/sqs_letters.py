"""The letter worker's queue in SQS: one message per letter to render.

Delivery is at least once; the worker is idempotent (a ready letter is left alone, and a
second render finds the object already stored), so no deduplication is needed here."""

from __future__ import annotations

from typing import Any

import msgspec

from domain.ports.letters import RenderJob

_encoder = msgspec.json.Encoder()


class SqsLetterQueue:
    """Implements domain.ports.letters.LetterQueue."""

    def __init__(self, client: Any, queue_url: str) -> None:
        self.client, self.queue_url = client, queue_url

    def enqueue(self, job: RenderJob) -> None:
        self.client.send_message(QueueUrl=self.queue_url,
                                 MessageBody=_encoder.encode(job).decode())


def decode_job(body: str | bytes) -> RenderJob:
    """Raises msgspec.ValidationError / DecodeError for a body that is not a job."""
    return msgspec.json.decode(body, type=RenderJob)
