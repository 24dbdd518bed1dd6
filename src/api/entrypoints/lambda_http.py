"""AWS Lambda entry point for API Gateway HTTP API (payload format 2.0).

Mangum translates the event to ASGI. `lifespan="off"` because Mangum would otherwise run
the ASGI lifespan on every invocation (Mangum issue #342); the app and its boto3 clients are
built once at import, during the init phase, and reused while the function is warm.
Tracing: Lambda's active tracing (template.yaml) rather than Powertools Tracer, whose X-Ray
SDK is in maintenance mode and costs cold-start time. This module imports neither moto nor
WeasyPrint.
"""

from __future__ import annotations

import gc

# The init phase allocates the whole app, which triggers full garbage collections that find
# nothing to free (~40 ms of cold start). Collect nothing until the app is built, then
# freeze what exists: it lives as long as the process and need never be scanned again.
gc.disable()

import logging  # noqa: E402
from typing import Any  # noqa: E402

from aws_lambda_powertools.logging import correlation_paths  # noqa: E402
from aws_lambda_powertools.utilities.typing import LambdaContext  # noqa: E402
from mangum import Mangum  # noqa: E402

from api.bootstrap import build_app  # noqa: E402
from api.observability import logger, metrics  # noqa: E402

app = build_app()
_asgi = Mangum(app, lifespan="off", api_gateway_base_path="/",  # type: ignore[arg-type]
               text_mime_types=["application/json", "application/problem+json", "text/"])
# Mangum logs every request line at INFO, raw path included: our own line below suffices.
logging.getLogger("mangum").setLevel(logging.WARNING)
gc.freeze()
gc.enable()


@logger.inject_lambda_context(
    correlation_id_path=correlation_paths.API_GATEWAY_HTTP, log_event=False
)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # Mangum types its own LambdaContext protocol; Powertools' is the same object at run time.
    response: dict[str, Any] = _asgi(event, context)  # type: ignore[arg-type]
    http = event.get("requestContext", {}).get("http", {})
    # Route template, not the raw path: no ids or query strings, so no personal data.
    logger.info(
        "request",
        extra={
            "method": http.get("method"),
            "route": event.get("routeKey"),
            "status": response.get("statusCode"),
        },
    )
    metrics.add_metric(name="Requests", unit="Count", value=1)
    return response
