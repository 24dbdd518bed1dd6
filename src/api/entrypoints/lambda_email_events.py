"""AWS Lambda entry point of the e-mail events: SNS delivers, one record at a time, what the
SES configuration set publishes about the ladder's e-mails (bounces and complaints), and
`record_email_feedback` applies it (domain.services.email_feedback).

SNS invokes the function asynchronously and at least once: a notification applied twice
changes nothing the second time. A record that is not an SES event (not JSON, no SNS
message) can never succeed: it is logged by its SNS id and counted, and the others go on.
Anything else (the table out of reach) fails the invocation, which Lambda retries and, in
the end, hands to the failure destination (template.yaml): nothing is lost, and what was
applied before the failure is found applied on the retry.

The ports are built on the first invocation and kept while the container is warm. This
module imports neither litestar nor WeasyPrint (tests/unit/test_layers.py).
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from api import bootstrap
from api.observability import logger, metrics
from api.settings import Settings
from domain.services import email_feedback
from domain.services.caller import Ports


@cache
def _ports() -> Ports:
    return bootstrap.build_email_events_ports(Settings.from_env())


def _message(record: Any) -> str | None:
    """The SNS message of one record (the SES event, as JSON text), None if it has none."""
    sns = record.get("Sns") if isinstance(record, dict) else None
    message = sns.get("Message") if isinstance(sns, dict) else None
    return message if isinstance(message, str) else None


def _sns_id(record: Any) -> str | None:
    sns = record.get("Sns") if isinstance(record, dict) else None
    value = sns.get("MessageId") if isinstance(sns, dict) else None
    return value if isinstance(value, str) else None


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    from adapters.messaging.ses import parse_ses_event

    counts: Counter[str] = Counter()
    records = event.get("Records") if isinstance(event, dict) else None
    if not isinstance(records, list):
        # Logged by its keys only: an event's values may carry an address.
        logger.error("not an SNS event", extra={
            "keys": sorted(event)[:10] if isinstance(event, dict) else []})
        records, counts["malformed"] = [], 1
    for index, record in enumerate(records):
        message = _message(record)
        try:
            if message is None:
                raise ValueError("no SNS message")
            feedback = parse_ses_event(message.encode("utf-8"))
        except ValueError:
            # Never the message itself: an SES event names the recipient.
            logger.error("malformed e-mail event", extra={"record": index,
                                                          "sns_message_id": _sns_id(record)})
            counts["malformed"] += 1
            continue
        if not feedback:  # an SES event of another type (Open, Send…), or none
            counts["ignored"] += 1
            continue
        for result in email_feedback.record_email_feedback(feedback, _ports()):
            counts[result.outcome] += 1
            logger.info("e-mail event", extra={
                "message_id": result.message_id, "event": result.event,
                "outcome": result.outcome, "creditor_id": result.creditor_id,
                "claim_id": result.claim_id, "sns_message_id": _sns_id(record)})
    for outcome, count in sorted(counts.items()):
        metrics.add_metric(name=f"EmailEvents_{outcome}", unit=MetricUnit.Count, value=count)
    return dict(sorted(counts.items()))
