"""The repository contract runs on three engines: the in-memory fake the service tests use
(tests/fakes.py), moto, and AWS's DynamoDB Local. Tests that need a DynamoDB client
(`backend`) run on the last two."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import pytest
from infra.dynamodb_local import dynamodb_local
from moto import mock_aws

from adapters.autocommit import AutoCommitRepository
from adapters.dynamodb import DynamoRepository, create_table
from tests.fakes import FakeDatabase, FakeUnitOfWork


@pytest.fixture(scope="session")
def dynamodb_local_endpoint() -> Iterator[str]:
    with dynamodb_local() as endpoint:
        yield endpoint


@contextmanager
def _table(engine: str, request: pytest.FixtureRequest) -> Iterator[tuple[Any, str]]:
    """A DynamoDB client on a fresh table of `engine`."""
    table = f"relance-{uuid.uuid4().hex[:12]}"
    if engine == "moto":
        with mock_aws():
            client = boto3.client("dynamodb")
            create_table(client, table)
            yield client, table
        return
    endpoint = request.getfixturevalue("dynamodb_local_endpoint")
    client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="eu-west-3",
                          aws_access_key_id="local", aws_secret_access_key="local")
    create_table(client, table)
    try:
        yield client, table
    finally:
        client.delete_table(TableName=table)


@pytest.fixture(params=["moto", "dynamodb_local"])
def backend(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A DynamoDB client on a fresh table, for each engine."""
    with _table(request.param, request) as pair:
        yield pair


@pytest.fixture(params=["fake", "moto", "dynamodb_local"])
def store(request: pytest.FixtureRequest) -> Iterator[AutoCommitRepository]:
    """Every repository, each write committed at once, on each engine."""
    if request.param == "fake":
        db = FakeDatabase()
        yield AutoCommitRepository(lambda: FakeUnitOfWork(db))
        return
    with _table(request.param, request) as (client, table):
        yield DynamoRepository(client, table)


@pytest.fixture(params=["fake", "moto", "dynamodb_local"])
def units(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A factory of units of work on one fresh store, for each engine."""
    if request.param == "fake":
        db = FakeDatabase()
        yield lambda: FakeUnitOfWork(db)
        return
    from adapters.dynamodb import DynamoUnitOfWork

    with _table(request.param, request) as (client, table):
        yield lambda: DynamoUnitOfWork(client, table)
