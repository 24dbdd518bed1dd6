"""Items stored before a field existed still load, on the fake, moto and DynamoDB Local:
an invoice without `performed_on` (prescription then runs from its due date), a promise
without `made_on` (the day it was recorded stands for the day it was made)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from adapters.autocommit import AutoCommitRepository
from adapters.dynamodb import DynamoRepository
from adapters.dynamodb.keys import ACCOUNT_SK, claim_pk
from domain.amounts.account import ClaimAccount
from domain.amounts.promises import PaymentPromise
from domain.claims.model import Claim, ClaimEvent, Invoice, Phase
from tests.contract.conftest import _table
from tests.fakes import FakeDatabase, FakeUnitOfWork

RECORDED = datetime(2026, 3, 9, 23, 30, tzinfo=UTC)  # 10 March in Paris, 9 March in UTC
Rewrite = Callable[[str, str, Callable[[dict[str, Any]], None]], None]


@pytest.fixture(params=["fake", "moto", "dynamodb_local"])
def engine(request: pytest.FixtureRequest) -> Iterator[tuple[Any, Rewrite]]:
    """A repository, and a way to rewrite the stored JSON of a claim ("META") or of its
    account ("ACCOUNT") as an older version of the code would have written it."""
    if request.param == "fake":
        db = FakeDatabase()

        def rewrite_fake(claim_id: str, item: str, change: Callable[[dict[str, Any]], None]
                         ) -> None:
            rows = db.claims if item == "META" else db.accounts
            data = json.loads(rows[("cred_a", claim_id)])
            change(data)
            rows[("cred_a", claim_id)] = json.dumps(data).encode()

        yield AutoCommitRepository(lambda: FakeUnitOfWork(db)), rewrite_fake
        return
    with _table(request.param, request) as (client, table):

        def rewrite_dynamo(claim_id: str, item: str,
                           change: Callable[[dict[str, Any]], None]) -> None:
            key = {"PK": {"S": claim_pk("cred_a", claim_id)},
                   "SK": {"S": "META" if item == "META" else ACCOUNT_SK}}
            stored = client.get_item(TableName=table, Key=key)["Item"]
            data = json.loads(stored["data"]["S"])
            change(data)
            client.update_item(TableName=table, Key=key, UpdateExpression="SET #d = :d",
                               ExpressionAttributeNames={"#d": "data"},
                               ExpressionAttributeValues={":d": {"S": json.dumps(data)}})

        yield DynamoRepository(client, table), rewrite_dynamo


def _claim() -> Claim:
    return Claim(id="clm_old", creditor_id="cred_a", debtor_id="dbt_1", currency="EUR",
                 invoices=[Invoice("F-1", date(2024, 3, 1), date(2024, 3, 31),
                                   Decimal("100.00"), date(2024, 1, 20))],
                 phase=Phase.AMICABLE, outstanding=Decimal("100.00"), created_at=RECORDED,
                 updated_at=RECORDED, event_count=1)


def test_an_invoice_stored_without_a_performance_date_loads_without_one(
        engine: tuple[Any, Rewrite]) -> None:
    store, rewrite = engine
    claim = _claim()
    store.add_claim(claim, ClaimEvent(claim.id, 1, RECORDED, "open", "test"), ClaimAccount())
    assert store.get_claim("cred_a", claim.id).invoices[0].performed_on == date(2024, 1, 20)

    def older(data: dict[str, Any]) -> None:
        for invoice in data["invoices"]:
            del invoice["performed_on"]

    rewrite(claim.id, "META", older)
    assert store.get_claim("cred_a", claim.id).invoices[0].performed_on is None


def test_a_promise_stored_without_its_day_was_made_on_the_day_it_was_recorded(
        engine: tuple[Any, Rewrite]) -> None:
    store, rewrite = engine
    claim = _claim()
    promise = PaymentPromise("prm_1", Decimal("50.00"), date(2026, 3, 20), "phone", None,
                             RECORDED, made_on=date(2026, 3, 1))
    store.add_claim(claim, ClaimEvent(claim.id, 1, RECORDED, "open", "test"),
                    ClaimAccount(promises=[promise]))
    _, account = store.get_claim_account("cred_a", claim.id)
    assert account.promises == [promise]

    def older(data: dict[str, Any]) -> None:
        for stored in data["promises"]:
            del stored["made_on"]

    rewrite(claim.id, "ACCOUNT", older)
    _, account = store.get_claim_account("cred_a", claim.id)
    [loaded] = account.promises
    assert loaded.made_on == date(2026, 3, 9)  # made_at's date, as it was read before
    assert account.acknowledgements() == [date(2026, 3, 9)]
