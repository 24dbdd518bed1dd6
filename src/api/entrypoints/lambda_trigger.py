"""AWS Lambda entry point of the ladder's trigger: EventBridge Scheduler invokes it, at a
claim's next step, with the schedule's Input (a Wakeup: creditor, claim, step, the claim's
version it was scheduled for).

Delivery is at least once (the scheduler's retries, then Lambda's asynchronous retries):
`run_step` does nothing for a stale wake-up and claims the step with a conditional write,
so each step runs once. A malformed event is logged by its keys only and dropped (it can
never succeed; the failure destination keeps the invocation record). Any other error fails
the invocation, which Lambda retries and, in the end, hands to the failure destination.

The ports are built on the first invocation and kept while the container is warm. This
module imports neither litestar nor WeasyPrint (tests/unit/test_layers.py).
"""

from __future__ import annotations

import json
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
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, str]:
    from adapters.scheduler import decode_wakeup

    try:
        wakeup = decode_wakeup(json.dumps(event))
    except ValueError:
        logger.error("not a wake-up", extra={"keys": sorted(event)[:10]})
        metrics.add_metric(name="MalformedWakeups", unit=MetricUnit.Count, value=1)
        return {"outcome": "malformed"}
    logger.append_keys(creditor_id=wakeup.creditor_id, claim_id=wakeup.claim_id,
                       step=wakeup.step_key)
    run = escalation.run_step(wakeup, _ports(), fired=True)
    logger.info("step", extra={"outcome": run.outcome, "sent": len(run.sent),
                               "skipped": len(run.skipped), "tasks": len(run.tasks)})
    metrics.add_metric(name=f"Steps_{run.outcome}", unit=MetricUnit.Count, value=1)
    return {"outcome": run.outcome}
