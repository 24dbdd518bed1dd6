"""AWS Lambda entry point of the postal poller, run every 15 minutes by an EventBridge
schedule (template.yaml).

A provider's status webhook can be lost (Merci Facteur retries twice, then gives up), so
the poller asks the provider about every letter still in flight and records what it did
not know (`reconcile_dispatches`). The event carries nothing it needs: an EventBridge
rule's "Scheduled Event" and a Scheduler invocation are treated alike.

The ports are built on the first invocation and kept while the container is warm. This
module imports neither litestar nor WeasyPrint (tests/unit/test_layers.py): the poller
renders nothing.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from api import bootstrap
from api.observability import logger, metrics
from api.settings import Settings
from domain.services import letters as letter_service
from domain.services.caller import Ports


@cache
def _ports() -> Ports:
    return bootstrap.build_poller_ports(Settings.from_env())


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    # An exception fails the invocation; there are no retries (template.yaml): the next
    # run, 15 minutes later, asks again about the same letters.
    updates = letter_service.reconcile_dispatches(_ports())
    logger.info("postal dispatches reconciled", extra={"updates": updates})
    metrics.add_metric(name="PostalUpdatesRecorded", unit=MetricUnit.Count, value=updates)
    return {"updates": updates}
