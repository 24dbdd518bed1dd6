"""The operator's clock through the API and `relance tick` against a served app, on moto:
a deployed function's clock does not move (409 `clock-fixed`); a local run's moves forward
only, runs what falls due on the way and answers the timeline it wrote."""

from __future__ import annotations

import dataclasses
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from adapters.clock import FrozenClock
from tests.api._helpers import assert_problem, claim_body, invoice
from tests.conftest import OPERATOR_KEY, Tenant, make_tenant, new_debtor

OPERATOR = {"X-API-Key": OPERATOR_KEY}
NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)  # the tests' clock: Tuesday, 10:30 in Paris


@pytest.fixture
def local_app(ddb: Any, ports: Any, clock: FrozenClock) -> Any:
    """The app as `make run` builds it: a ladder that schedules, fake senders, and a clock
    the operator may move."""
    from adapters.dynamodb.idempotency import DynamoIdempotencyStore
    from adapters.messaging.fake import FakeEmailSender, FakeSmsSender
    from adapters.scheduler_local import LocalScheduler
    from api.http.app import create_app
    from api.http.routes.clock import LocalTime
    from tests.conftest import TABLE

    def move(at: datetime) -> None:
        clock.advance(at - clock.now())

    local = dataclasses.replace(ports, scheduler=LocalScheduler(clock),
                                email=FakeEmailSender(), sms=FakeSmsSender())
    return create_app(ports=local, idempotency=DynamoIdempotencyStore(ddb, TABLE),
                      operator_key=lambda: OPERATOR_KEY,
                      extra_state={"local_time": LocalTime(move)})


@pytest.fixture
def local(local_app: Any) -> Iterator[Any]:
    from litestar.testing import TestClient

    with TestClient(local_app, raise_server_exceptions=False) as test_client:
        yield test_client


def open_claim(client: Any, tenant: Tenant) -> dict[str, Any]:
    debtor = new_debtor(client, tenant, contact_points=[
        {"kind": "email", "value": "compta@boulangerie-martin.fr"},
        {"kind": "phone", "value": "06 12 34 56 78"}])
    created = client.post("/v1/claims", json=claim_body(debtor["id"], invoice(
        "F-001", issue="2026-02-14", due="2026-03-16", amount="2400.00")),
        headers=tenant.headers)
    assert created.status_code == 201, created.text
    return dict(created.json())


def test_a_deployed_clock_is_read_but_never_moved(client: Any, tenant: Tenant) -> None:
    read = client.get("/v1/admin/clock", headers=OPERATOR)
    assert read.status_code == 200 and read.json() == {"now": "2026-03-10T09:30:00Z",
                                                        "movable": False}
    moved = client.post("/v1/admin/clock", json={"to": "2026-04-01T00:00:00Z"},
                        headers=OPERATOR)
    assert assert_problem(moved, 409)["type"].endswith("/clock-fixed")
    # the operator's alone: a creditor's admin key may not read it
    assert_problem(client.get("/v1/admin/clock", headers=tenant.headers), 403)
    assert_problem(client.post("/v1/admin/clock", json={"to": "2026-04-01T00:00:00Z"},
                               headers=tenant.headers), 403)


def test_a_local_trip_runs_the_due_steps_and_answers_their_timeline(local: Any) -> None:
    tenant = make_tenant(local)
    claim = open_claim(local, tenant)
    assert local.get("/v1/admin/clock", headers=OPERATOR).json()["movable"] is True
    trip = local.post("/v1/admin/clock", json={"to": "2026-03-18T00:00:00+01:00"},
                      headers=OPERATOR)
    assert trip.status_code == 200, trip.text
    body = trip.json()
    assert body["started_at"] == "2026-03-10T09:30:00Z"
    assert body["arrived_at"] == "2026-03-17T23:00:00Z" and body["steps_run"] == 3
    [claim_trip] = body["claims"]
    assert claim_trip["claim_id"] == claim["id"]
    assert claim_trip["creditor_id"] == tenant.creditor_id and claim_trip["letters"] == []
    ran = [(e["at"], e["data"]["step"]) for e in claim_trip["events"]
           if e["action"] == "step_ran"]
    assert ran == [("2026-03-11T09:00:00Z", "pre_due_sms"),
                   ("2026-03-11T09:00:00Z", "pre_due_email"),
                   ("2026-03-17T08:00:00Z", "overdue_email")]
    texts = [e["data"] for e in claim_trip["events"] if e["action"] == "message_sent"]
    assert [t["channel"] for t in texts] == ["sms", "email", "email"]
    assert "F-001" in texts[2]["text"] and texts[2]["subject"]
    # the claim's own timeline says the same, to its creditor
    events = local.get(f"/v1/claims/{claim['id']}/events", headers=tenant.headers).json()
    assert [e["data"] for e in events["items"] if e["action"] == "message_sent"] == texts
    # and the clock is where the trip left it, for every later request
    assert local.get("/v1/admin/clock", headers=OPERATOR).json()["now"] == (
        "2026-03-17T23:00:00Z")


def test_a_move_is_refused_backwards_naively_or_with_an_unknown_answer(local: Any) -> None:
    for body, field in [({"to": "2026-03-01T00:00:00Z"}, "to"),
                        ({"to": "2026-03-10T09:30:00Z"}, "to"),
                        ({"to": "2035-01-01T00:00:00Z"}, "to"),
                        ({"to": "2026-04-01T00:00:00"}, "to"),
                        ({"to": "2026-04-01T00:00:00Z", "answers": {"call": "promise_made"}},
                         "answers.call"),
                        ({"to": "2026-04-01T00:00:00Z", "answers": {"nap": "long"}},
                         "answers.nap")]:
        assert_problem(local.post("/v1/admin/clock", json=body, headers=OPERATOR), 422, field)
    assert_problem(local.post("/v1/admin/clock", json={"to": "soon"}, headers=OPERATOR), 400)
    assert local.get("/v1/admin/clock", headers=OPERATOR).json()["now"] == (
        "2026-03-10T09:30:00Z")


@pytest.fixture
def served(local_app: Any) -> Iterator[str]:
    """The local app served over HTTP, as `make run` serves it, for the command line."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(local_app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_relance_tick_prints_each_step_with_its_words(
        served: str, local_app: Any, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from litestar.testing import TestClient

    from api import cli

    with TestClient(local_app) as setup:
        claim = open_claim(setup, make_tenant(setup))
    monkeypatch.setenv("RELANCE_OPERATOR_API_KEY", OPERATOR_KEY)
    assert cli.main(["--url", served, "tick", "--to", "2026-03-17"]) == 0
    out = capsys.readouterr().out
    assert "Clock 2026-03-10 10:30 -> 2026-03-17 23:59 (Europe/Paris): 3 steps run" in out
    assert claim["id"] in out
    assert "2026-03-11 10:00  sms sent (pre_due_sms)" in out
    assert "2026-03-17 09:00  email sent (overdue_email)" in out
    assert "      Subject: " in out and "F-001" in out
    assert cli.main(["--url", served, "clock"]) == 0
    assert capsys.readouterr().out.strip() == "2026-03-17 23:59 Europe/Paris"
    # what it says when it cannot: a past date, a missing key, no server
    assert cli.main(["--url", served, "tick", "--to", "2026-03-01"]) == 1
    assert "answered 422" in capsys.readouterr().err
    monkeypatch.delenv("RELANCE_OPERATOR_API_KEY")
    assert cli.main(["--url", served, "clock"]) == 1
    assert "RELANCE_OPERATOR_API_KEY" in capsys.readouterr().err


def test_the_command_line_reads_a_date_as_the_end_of_that_day() -> None:
    from zoneinfo import ZoneInfo

    from api import cli

    paris = ZoneInfo("Europe/Paris")
    assert cli.target("2027-01-31", paris) == datetime(2027, 1, 31, 23, 59, tzinfo=paris)
    assert cli.target("2027-01-31T08:00", paris) == datetime(2027, 1, 31, 8, tzinfo=paris)
    assert cli.target("2027-01-31T08:00Z", paris) == datetime(2027, 1, 31, 8, tzinfo=UTC)
    with pytest.raises(cli.CliError, match="neither a date"):
        cli.target("tomorrow", paris)
