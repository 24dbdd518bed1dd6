"""Repository contract tests run twice: on moto and on AWS's DynamoDB Local."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from infra.dynamodb_local import dynamodb_local
from moto import mock_aws

from adapters.dynamodb import DynamoRepository, create_table


@pytest.fixture(scope="session")
def dynamodb_local_endpoint() -> Iterator[str]:
    with dynamodb_local() as endpoint:
        yield endpoint


@pytest.fixture(params=["moto", "dynamodb_local"])
def backend(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A DynamoDB client on a fresh table, for each engine."""
    table = f"relance-{uuid.uuid4().hex[:12]}"
    if request.param == "moto":
        with mock_aws():
            client = boto3.client("dynamodb")
            create_table(client, table)
            yield client, table
    else:
        endpoint = request.getfixturevalue("dynamodb_local_endpoint")
        client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="eu-west-3",
                              aws_access_key_id="local", aws_secret_access_key="local")
        create_table(client, table)
        try:
            yield client, table
        finally:
            client.delete_table(TableName=table)


@pytest.fixture
def store(backend: Any) -> DynamoRepository:
    client, table = backend
    return DynamoRepository(client, table)
