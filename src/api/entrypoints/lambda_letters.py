"""AWS Lambda entry point of the letter worker: SQS batches of render jobs.

One record is one letter to render (`adapters.sqs_letters` enqueues it once the request is
committed). Records succeed or fail one by one (Powertools' BatchProcessor; the event
source has `ReportBatchItemFailures`): SQS redelivers only the failed ones, after the
visibility timeout, and moves a record to the dead-letter queue after `maxReceiveCount`
receives (template.yaml). Delivery is at least once, which `render_letter` absorbs: a ready
letter is left alone and a second render finds its object already stored.

A body that is not a job is reported failed too, not dropped: it can never succeed, so it
goes through its receives to the dead-letter queue, where an operator can read it. Dropping
it would lose the only trace of a letter someone asked for; the cost is a few receives.

The ports (and through them WeasyPrint, 0.7-0.8 s to import) are built on the first record
and kept for the life of the container, so importing this module needs no AWS and no
settings. This module never imports litestar (tests/unit/test_layers.py).
"""

from __future__ import annotations

import traceback
from functools import cache
from typing import Any

import msgspec
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from api import bootstrap
from api.observability import logger, metrics
from api.settings import Settings
from domain.ports.letters import RenderJob
from domain.services import letters as letter_service
from domain.services.caller import Ports

# No `logger=`: Powertools would log each failure with its message, which may quote
# personal data; `_render` logs the exception's type and where it was raised instead.
# A batch whose every record failed is answered like any other (each one listed) rather
# than raised: the outcome for SQS is the same, and there is one log line per record.
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)

_JOB_KEYS = ("creditor_id", "claim_id", "letter_id")


class MalformedJob(Exception):
    """The body is not a render job: reported failed so it reaches the dead-letter queue."""


@cache
def _ports() -> Ports:
    return bootstrap.build_worker_ports(Settings.from_env())


def _job(record: SQSRecord) -> RenderJob:
    try:
        return msgspec.json.decode(record.body, type=RenderJob)
    except msgspec.DecodeError as exc:  # ValidationError is a DecodeError
        # Not `from exc`: msgspec's message can quote the body.
        raise MalformedJob(type(exc).__name__) from None


def _where(exc: BaseException) -> str:
    """The innermost frame that raised: enough to find the bug, and no message to leak."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "?"
    last = frames[-1]
    return f"{last.filename.rsplit('/', 1)[-1]}:{last.lineno} in {last.name}"


def _render(record: SQSRecord) -> None:
    logger.append_keys(message_id=record.message_id,
                       receive_count=record.attributes.approximate_receive_count)
    try:
        try:
            job = _job(record)
        except MalformedJob as exc:
            logger.error("malformed letter job", extra={"error": str(exc)})
            metrics.add_metric(name="LetterJobsMalformed", unit=MetricUnit.Count, value=1)
            raise
        logger.append_keys(**{key: getattr(job, key) for key in _JOB_KEYS})
        try:
            letter_service.render_letter(job, _ports())
        except Exception as exc:
            # StorageFailed (retryable, the letter is recorded `failed`) and anything else
            # alike: SQS retries, then the dead-letter queue keeps the job.
            logger.warning("letter not rendered",
                           extra={"error": type(exc).__name__, "where": _where(exc)})
            metrics.add_metric(name="LettersFailed", unit=MetricUnit.Count, value=1)
            raise
        logger.info("letter ready")
        metrics.add_metric(name="LettersRendered", unit=MetricUnit.Count, value=1)
    finally:
        logger.remove_keys(["message_id", "receive_count", *_JOB_KEYS])


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=_render, processor=processor, context=context)
