"""AWS Lambda entry point of the sweeper, run every 15 minutes by an EventBridge schedule:
the steps whose own schedule was lost or failed (`escalation.sweep`: claims whose next
action is more than a few minutes overdue, read from a sparse sharded index, so its reads
grow with the claims due, not with the table). Imports neither litestar nor WeasyPrint."""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from api import bootstrap
from api.observability import logger, metrics
from api.settings import Settings
from domain.services import escalation
from domain.services.caller import Ports


@cache
def _ports() -> Ports:
    return bootstrap.build_trigger_ports(Settings.from_env())


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    ran = escalation.sweep(_ports())
    logger.info("swept", extra={"steps": ran})
    metrics.add_metric(name="StepsSwept", unit=MetricUnit.Count, value=ran)
    return {"steps": ran}
