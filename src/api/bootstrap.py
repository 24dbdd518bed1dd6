"""The composition root: builds each function's real collaborators from its settings.

Each entry point asks for what its function uses and no more (the HTTP function: one
DynamoDB client, the ports over it, the idempotency store, the operator key). Created once
per process (module scope in the Lambda entry point) so a warm function reuses its
connections.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

import boto3
import botocore.loaders
import botocore.session
from botocore.config import Config

from adapters.clock import SystemClock
from adapters.dynamodb import DynamoUnitOfWork
from adapters.dynamodb.idempotency import DynamoIdempotencyStore
from adapters.dynamodb.rates import DynamoRateStore
from api.settings import Settings
from domain.services.caller import Ports

if TYPE_CHECKING:
    from litestar import Litestar

_BOTO_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 3},
    connect_timeout=2,
    read_timeout=5,
    tcp_keepalive=True,
)


class _DynamoDBOnlyLoader(botocore.loaders.Loader):  # type: ignore[misc]
    """botocore lists every service directory it ships (400+) on disk to check that the
    service asked for exists, which costs ~50 ms of cold start; this session only ever
    creates DynamoDB clients, so the answer is known."""

    def list_available_services(self, type_name: str) -> list[str]:
        return ["dynamodb"]


def dynamodb_client() -> Any:
    session = botocore.session.get_session()
    session.register_component("data_loader", _DynamoDBOnlyLoader())
    return boto3.session.Session(botocore_session=session).client(
        "dynamodb", config=_BOTO_CONFIG)


def operator_key_source(settings: Settings) -> Callable[[], str | None]:
    if settings.operator_api_key or not settings.operator_key_parameter:
        value = settings.operator_api_key
        return lambda: value
    name = settings.operator_key_parameter

    @cache
    def from_ssm() -> str | None:
        # Read on first use (not at import) and kept for the life of the process.
        from aws_lambda_powertools.utilities import parameters

        value: str = parameters.get_parameter(name, decrypt=True)
        return value

    return from_ssm


def build_ports(settings: Settings, client: Any) -> Ports:
    """The ports every use case takes, on one table."""
    return Ports(
        unit_of_work=lambda: DynamoUnitOfWork(client, settings.table),
        clock=SystemClock(),
        rates=DynamoRateStore(client, settings.table),
        check_email_deliverability=settings.check_email_deliverability,
    )


def build_app(settings: Settings | None = None) -> Litestar:
    """The HTTP function's app (and the local runner's)."""
    from api.http.app import create_app

    settings = settings or Settings.from_env()
    client = dynamodb_client()
    return create_app(
        ports=build_ports(settings, client),
        idempotency=DynamoIdempotencyStore(client, settings.table),
        operator_key=operator_key_source(settings),
        api_key_cache_seconds=settings.api_key_cache_seconds,
        extra_state={"settings": settings},
    )
