"""Conflicting actions on one claim at once, through the HTTP API on DynamoDB Local (moto's
in-process backend is not thread-safe): threads post at the same instant, as several
Lambdas would. One wins; the others answer 409 (the winner's change refuses them) or 412
(they named, with If-Match, a version that is no longer the claim's); the stored claim and
its timeline are the winner's, nothing lost and nothing half-written."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from adapters.clock import FrozenClock
from adapters.dynamodb import DynamoUnitOfWork, create_table
from adapters.dynamodb.idempotency import DynamoIdempotencyStore
from adapters.dynamodb.rates import DynamoRateStore
from domain.services.caller import Ports
from tests.conftest import OPERATOR_KEY, Tenant, make_tenant, new_claim, new_debtor


@pytest.fixture
def client(dynamodb_local_endpoint: str) -> Iterator[Any]:
    from litestar.testing import TestClient

    from api.http.app import create_app

    ddb = boto3.client("dynamodb", endpoint_url=dynamodb_local_endpoint,
                       region_name="eu-west-3", aws_access_key_id="local",
                       aws_secret_access_key="local")
    table = f"relance-{uuid.uuid4().hex[:12]}"
    create_table(ddb, table)
    ports = Ports(unit_of_work=lambda: DynamoUnitOfWork(ddb, table),
                  clock=FrozenClock(datetime(2026, 3, 10, 9, 30, tzinfo=UTC)),  # Tue, 10:30
                  rates=DynamoRateStore(ddb, table))
    app = create_app(ports=ports, idempotency=DynamoIdempotencyStore(ddb, table),
                     operator_key=lambda: OPERATOR_KEY)
    try:
        with TestClient(app, raise_server_exceptions=False) as test_client:
            yield test_client
    finally:
        ddb.delete_table(TableName=table)


# (name, method path suffix, body): each one alone is allowed on the claim as opened.
CLOSING = {
    "write_off": ("actions/write_off", {"reason": "not worth it"}),
    "cancel": ("actions/cancel", {"reason": "invoiced in error"}),
    "transfer": ("actions/transfer", {"to": "agency", "mandate_reference": "AG-77"}),
    # more than is due (1,200.00, paid on its due date): closes it as paid
    "record_payment": ("payments", {"amount": "2000.00", "received_on": "2026-02-15"}),
}
# The timeline entries each action adds after `open`, when it wins.
ENTRIES = {"write_off": ["write_off"], "cancel": ["cancel"], "transfer": ["transfer"],
           "record_payment": ["record_payment", "close"], "hold": ["hold"],
           "open_dispute": ["open_dispute"]}
OUTCOMES = {"write_off": "written_off", "cancel": "cancelled", "transfer": "transferred",
            "record_payment": "paid"}


def race(client: Any, tenant: Tenant, claim_id: str,
         racers: dict[str, tuple[str, dict[str, Any]]],
         headers: dict[str, str] | None = None) -> dict[str, Any]:
    """Post every racer at once; their responses by name."""
    barrier = threading.Barrier(len(racers))
    answers: dict[str, Any] = {}

    def post(name: str, path: str, body: dict[str, Any]) -> None:
        barrier.wait()
        answers[name] = client.post(f"/v1/claims/{claim_id}/{path}", json=body,
                                    headers={**tenant.headers, **(headers or {})})

    threads = [threading.Thread(target=post, args=(name, *racer))
               for name, racer in racers.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def timeline(client: Any, tenant: Tenant, claim_id: str) -> list[str]:
    response = client.get(f"/v1/claims/{claim_id}/events?limit=100", headers=tenant.headers)
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [e["seq"] for e in items] == list(range(1, len(items) + 1))
    return [e["action"] for e in items]


def test_closing_actions_racing_one_wins_the_others_are_409(client: Any) -> None:
    tenant = make_tenant(client)
    debtor = new_debtor(client, tenant)
    winners = set()
    for n in range(3):  # three claims: three races, whoever wins each
        claim = new_claim(client, tenant, debtor["id"], number=f"F-{n}")
        answers = race(client, tenant, claim["id"], CLOSING)
        won = [name for name, r in answers.items() if r.status_code in (200, 201)]
        assert len(won) == 1, {k: (r.status_code, r.text) for k, r in answers.items()}
        (winner,) = won
        winners.add(winner)
        for name, r in answers.items():
            if name != winner:
                assert r.status_code == 409, (name, r.text)
                assert r.json()["allowed_actions"] == (
                    ["reverse_payment"] if winner == "record_payment" else ["reopen"])
        stored = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()
        assert (stored["phase"], stored["outcome"]) == ("closed", OUTCOMES[winner])
        assert stored["version"] == 2
        assert timeline(client, tenant, claim["id"]) == ["open", *ENTRIES[winner]]
    assert winners <= set(CLOSING)


def test_actions_naming_the_same_version_one_wins_the_others_are_412(client: Any) -> None:
    tenant = make_tenant(client)
    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"])  # due 15 February: its e-mail is due
    racers = {
        "write_off": ("actions/write_off", {}),
        "hold": ("actions/hold", {"reason": "accountant away"}),
        "escalate": ("actions/escalate", {}),
        "open_dispute": ("actions/open_dispute", {"reason": "goods damaged"}),
    }
    answers = race(client, tenant, claim["id"], racers, {"If-Match": f'"{claim["version"]}"'})
    won = [name for name, r in answers.items() if r.status_code == 200]
    assert len(won) == 1, {k: (r.status_code, r.text) for k, r in answers.items()}
    (winner,) = won
    assert all(r.status_code == 412 for name, r in answers.items() if name != winner), {
        k: (r.status_code, r.text) for k, r in answers.items()}
    stored = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()
    assert answers[winner].json() == stored
    actions = timeline(client, tenant, claim["id"])
    if winner == "escalate":  # the step claimed, then run: no other racer's entry
        assert actions[:3] == ["open", "step_started", "step_ran"]
        assert not {"write_off", "hold", "open_dispute"} & set(actions)
    else:
        assert actions == ["open", *ENTRIES[winner]]


def test_mixed_actions_without_if_match_lose_nothing(client: Any) -> None:
    """Whatever the order, each action either applied on the claim as the others left it
    (and its entry is in the timeline once) or was refused by what won (409)."""
    tenant = make_tenant(client)
    debtor = new_debtor(client, tenant)
    claim = new_claim(client, tenant, debtor["id"])
    racers = {
        "write_off": ("actions/write_off", {}),
        "hold": ("actions/hold", {}),
        "escalate": ("actions/escalate", {}),
        "record_payment": ("payments", {"amount": "100.00", "received_on": "2026-03-09"}),
    }
    answers = race(client, tenant, claim["id"], racers)
    assert all(r.status_code in (200, 201, 409) for r in answers.values()), {
        k: (r.status_code, r.text) for k, r in answers.items()}
    applied = {name for name, r in answers.items() if r.status_code in (200, 201)}
    assert applied
    actions = timeline(client, tenant, claim["id"])
    entry = {"write_off": "write_off", "hold": "hold", "escalate": "step_started",
             "record_payment": "record_payment"}
    for name in racers:
        assert actions.count(entry[name]) == (1 if name in applied else 0), (name, actions)
    stored = client.get(f"/v1/claims/{claim['id']}", headers=tenant.headers).json()
    assert (stored["outcome"] == "written_off") == ("write_off" in applied)
    # A hold applied is on the claim unless the write-off came after it (closing clears it).
    if "hold" in applied and "write_off" not in applied:
        assert stored["hold"]["reason"] == "manual"
