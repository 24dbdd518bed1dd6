"""Races on the real engine: DynamoDB Local, several threads writing one claim at once,
as several Lambdas would (moto's in-process backend is not thread-safe, so this runs on
DynamoDB Local only)."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, date, datetime
from typing import Any

import boto3
import pytest

from adapters.clock import FrozenClock
from adapters.dynamodb import DynamoUnitOfWork, create_table
from adapters.dynamodb.rates import DynamoRateStore
from domain import services
from domain.creditors.model import Address
from domain.debtors.model import DebtorKind
from domain.ports import PageRequest
from domain.services import amounts
from domain.services.caller import Caller, Ports


@pytest.fixture
def ports(dynamodb_local_endpoint: str) -> Any:
    client = boto3.client("dynamodb", endpoint_url=dynamodb_local_endpoint,
                          region_name="eu-west-3", aws_access_key_id="local",
                          aws_secret_access_key="local")
    table = f"relance-{uuid.uuid4().hex[:12]}"
    create_table(client, table)
    yield Ports(unit_of_work=lambda: DynamoUnitOfWork(client, table),
                clock=FrozenClock(datetime(2026, 3, 10, 9, 30, tzinfo=UTC)),
                rates=DynamoRateStore(client, table))
    client.delete_table(TableName=table)


def _claim(ports: Ports) -> tuple[Caller, str]:
    creditor = services.create_creditor(services.CreditorDraft(
        legal_name="Menuiserie Leroy SARL", siren="732829320",
        address=Address(("8 rue des Lilas",), "69003", "Lyon", "FR")), ports)
    caller = Caller(creditor.id, "test")
    debtor = services.create_debtor(services.DebtorDraft(
        kind=DebtorKind.BUSINESS, name="Boulangerie Martin SAS", country="FR"), caller, ports)
    claim, _ = services.create_claim(services.ClaimDraft(
        debtor_id=debtor.id, currency="EUR", invoices=[services.InvoiceDraft(
            "F-1", date(2026, 1, 15), date(2026, 2, 15), "5000.00")]), caller, ports)
    return caller, claim.id


def test_eight_concurrent_payments_on_one_claim_are_all_recorded_once(ports: Ports) -> None:
    caller, claim_id = _claim(ports)
    failures: list[BaseException] = []

    def pay(n: int) -> None:
        try:
            amounts.record_payment(claim_id, amounts.PaymentDraft(
                amount="10.00", received_on=date(2026, 3, 1), reference=f"VIR-{n}"),
                caller, ports)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=pay, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    _, account = ports.unit_of_work().claims.get_claim_account(caller.creditor_id, claim_id)
    assert sorted(p.reference or "" for p in account.payments) == [f"VIR-{n}" for n in range(8)]
    events = ports.unit_of_work().claims.list_events(caller.creditor_id, claim_id,
                                                     PageRequest(limit=100)).items
    assert [e.action for e in events].count("record_payment") == 8
    assert [e.seq for e in events] == list(range(1, len(events) + 1))

