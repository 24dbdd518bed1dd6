"""Shared fixtures: an in-process moto account, a frozen clock, the app and API keys."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-3")
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.pop("AWS_ENDPOINT_URL", None)

from moto import mock_aws

from adapters.clock import FrozenClock
from adapters.dynamodb import DynamoRepository, DynamoUnitOfWork, create_table
from adapters.dynamodb.idempotency import DynamoIdempotencyStore
from adapters.dynamodb.rates import DynamoRateStore
from domain.services.caller import Ports

OPERATOR_KEY = "rlo_test_operator_key_0123456789"
TABLE = "relance-test"
BUCKET = "relance-letters-test"


class CallCounter:
    """Counts DynamoDB API calls through a botocore event hook: cost figures are measured,
    not assumed."""

    def __init__(self, client: Any) -> None:
        self.calls: list[str] = []
        client.meta.events.register("before-call.dynamodb.*", self._count)

    def _count(self, model: Any, **_: Any) -> None:
        self.calls.append(model.name)

    def reset(self) -> None:
        self.calls.clear()


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


@pytest.fixture
def ddb(aws: None) -> Any:
    client = boto3.client("dynamodb")
    create_table(client, TABLE)
    return client


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 3, 10, 9, 30, tzinfo=UTC))


@pytest.fixture
def repo(ddb: Any) -> DynamoRepository:
    return DynamoRepository(ddb, TABLE)


@pytest.fixture
def calls(ddb: Any) -> CallCounter:
    return CallCounter(ddb)


@pytest.fixture
def letter_queue() -> Any:
    """The letter worker's queue, kept for the test to run (`run_letter_jobs`)."""
    from tests.fakes import RecordingQueue

    return RecordingQueue()


@pytest.fixture
def postal(clock: FrozenClock) -> Any:
    from adapters.postal.fake import FakePostalProvider

    return FakePostalProvider(clock)


@pytest.fixture
def renderer() -> Any:
    """The renderer the worker runs: the fake one (the content's JSON), as most tests care
    what is recorded, not the PDF; tests/api/test_letter_pdf.py uses WeasyPrint."""
    from tests.fakes import FakeRenderer

    return FakeRenderer()


@pytest.fixture
def ports(ddb: Any, clock: FrozenClock, letter_queue: Any, postal: Any,
          renderer: Any) -> Ports:
    """The ports the app's use cases take: DynamoDB and S3 (moto), the frozen clock, the
    fake postal provider."""
    from adapters.s3_documents import S3DocumentStore

    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={
        "LocationConstraint": os.environ["AWS_DEFAULT_REGION"]})
    return Ports(unit_of_work=lambda: DynamoUnitOfWork(ddb, TABLE), clock=clock,
                 rates=DynamoRateStore(ddb, TABLE), documents=S3DocumentStore(s3, BUCKET),
                 letter_queue=letter_queue, postal=postal, renderer=lambda: renderer)


@pytest.fixture
def app(ddb: Any, ports: Ports) -> Any:
    from api.http.app import create_app

    return create_app(ports=ports, idempotency=DynamoIdempotencyStore(ddb, TABLE),
                      operator_key=lambda: OPERATOR_KEY)


@pytest.fixture
def client(app: Any) -> Iterator[Any]:
    from litestar.testing import TestClient

    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@dataclass
class Tenant:
    creditor_id: str
    key: str
    headers: dict[str, str]


CREDITOR_BODY = {
    "legal_name": "Menuiserie Leroy SARL",
    "siren": "732829320",
    "address": {"lines": ["8 rue des Lilas"], "postal_code": "69003", "city": "Lyon"},
    "iban": "FR14 2004 1010 0505 0001 3M02 606",
    "bic": "PSSTFRPPPAR",
}


def make_tenant(client: Any, name: str = "Menuiserie Leroy SARL",
                scopes: tuple[str, ...] = ("read", "write", "admin")) -> Tenant:
    op = {"X-API-Key": OPERATOR_KEY}
    created = client.post("/v1/admin/creditors", json={**CREDITOR_BODY, "legal_name": name},
                          headers=op)
    assert created.status_code == 201, created.text
    creditor_id = created.json()["id"]
    issued = client.post(f"/v1/admin/creditors/{creditor_id}/api-keys",
                         json={"name": "test", "scopes": list(scopes)}, headers=op)
    assert issued.status_code == 201, issued.text
    secret = issued.json()["secret"]
    return Tenant(creditor_id, secret, {"X-API-Key": secret})


@pytest.fixture
def tenant(client: Any) -> Tenant:
    return make_tenant(client)


def new_debtor(client: Any, tenant: Tenant, **overrides: Any) -> dict[str, Any]:
    body = {"kind": "business", "name": "Boulangerie Martin SAS", "siren": "552100554",
            "contact_points": [{"kind": "email", "value": "compta@boulangerie-martin.fr"},
                               {"kind": "phone", "value": "06 12 34 56 78"}], **overrides}
    response = client.post("/v1/debtors", json=body, headers=tenant.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def new_claim(client: Any, tenant: Tenant, debtor_id: str, *, number: str = "F-001",
              due: str = "2026-02-15", amount: str = "1200.00", **overrides: Any
              ) -> dict[str, Any]:
    body = {"debtor_id": debtor_id, "currency": "EUR", "invoices": [
        {"number": number, "issue_date": "2026-01-15", "due_date": due, "amount": amount}],
        **overrides}
    response = client.post("/v1/claims", json=body, headers=tenant.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())
