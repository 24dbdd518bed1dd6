"""The letter worker's and the postal poller's Lambda entry points, fed with real-shaped
events (tests/events/). The use cases are replaced: what is checked here is what the entry
points add (decoding, partial batch responses, ports built once, logs without personal
data); tests/service covers render_letter and reconcile_dispatches themselves."""

from __future__ import annotations

import copy
import io
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from api import bootstrap
from api.entrypoints import lambda_letters, lambda_postal
from domain.ports.letters import RenderJob, StorageFailed
from domain.services import letters as letter_service

EVENTS = Path(__file__).resolve().parents[1] / "events"


@dataclass
class Context:
    function_name: str = "relance-letters"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 1024
    invoked_function_arn: str = "arn:aws:lambda:eu-west-3:123456789012:function:relance-letters"
    aws_request_id: str = "5b1f3a52-9f1e-4a8e-8b1c-2d7a0c9e4f11"


def sqs_batch() -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / "sqs-letter-batch.json").read_text())
    return copy.deepcopy(event)


# The jobs the three records of tests/events/sqs-letter-batch.json carry, read by hand.
FIRST = RenderJob("cred_4k9x2m7q1v8t3w6r0p5n2s7h9c", "clm_7d2f9h4k1m8p3q6r0t5v2w7x9z",
                  "ltr_1a8c3e6g9j2k5m8n1p4q7r0s3t")
SECOND = RenderJob("cred_4k9x2m7q1v8t3w6r0p5n2s7h9c", "clm_7d2f9h4k1m8p3q6r0t5v2w7x9z",
                   "ltr_9z6x3w0v7t4s1r8q5p2n9m6k3j")
THIRD = RenderJob("cred_8h5g2f9e6d3c0b7a4z1y8x5w2v", "clm_3t6s9r2q5p8n1m4k7j0h3g6f9e",
                  "ltr_5d8c1b4a7z0y3x6w9v2t5s8r1q")
IDS = ["059f36b4-87a3-44ab-83d2-661975830a7d", "2e1424d4-f796-459a-8184-9c92662be6da",
       "c80e8021-a70a-42c7-a470-796e1186f753"]


class Worker:
    """The worker's collaborators, replaced: ports built on demand, render recorded."""

    def __init__(self) -> None:
        self.ports = object()
        self.builds = 0
        self.rendered: list[RenderJob] = []
        self.failing: set[str] = set()  # letter ids whose store fails

    def build(self, settings: Any) -> Any:
        self.builds += 1
        return self.ports

    def render(self, job: RenderJob, ports: Any) -> None:
        assert ports is self.ports
        self.rendered.append(job)
        if job.letter_id in self.failing:
            raise StorageFailed("s3 said 503")


@pytest.fixture
def worker(monkeypatch: pytest.MonkeyPatch) -> Iterator[Worker]:
    monkeypatch.setenv("RELANCE_TABLE", "relance-letters-test")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "Relance")
    fake = Worker()
    monkeypatch.setattr(bootstrap, "build_worker_ports", fake.build)
    monkeypatch.setattr(letter_service, "render_letter", fake.render)
    lambda_letters._ports.cache_clear()
    yield fake
    lambda_letters._ports.cache_clear()


@pytest.fixture
def logs() -> Iterator[io.StringIO]:
    relance = logging.getLogger("relance")
    level = relance.level
    relance.setLevel(logging.INFO)
    stream = io.StringIO()
    capture = logging.StreamHandler(stream)
    capture.setFormatter(relance.handlers[0].formatter)
    relance.addHandler(capture)
    yield stream
    relance.removeHandler(capture)
    relance.setLevel(level)


def _lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.startswith("{")]


def test_the_sample_batch_is_an_sqs_event() -> None:
    event = sqs_batch()
    assert [r["messageId"] for r in event["Records"]] == IDS
    assert {r["eventSource"] for r in event["Records"]} == {"aws:sqs"}


def test_a_batch_that_renders_reports_no_failure(worker: Worker) -> None:
    assert lambda_letters.handler(sqs_batch(), Context()) == {"batchItemFailures": []}
    assert worker.rendered == [FIRST, SECOND, THIRD]
    assert worker.builds == 1


def test_a_storage_failure_fails_that_record_only(worker: Worker, logs: io.StringIO) -> None:
    worker.failing = {SECOND.letter_id}
    response = lambda_letters.handler(sqs_batch(), Context())
    assert response == {"batchItemFailures": [{"itemIdentifier": IDS[1]}]}
    assert worker.rendered == [FIRST, SECOND, THIRD]  # the next records still ran
    failed = [line for line in _lines(logs) if line["message"] == "letter not rendered"]
    assert len(failed) == 1
    assert failed[0]["letter_id"] == SECOND.letter_id and failed[0]["message_id"] == IDS[1]
    assert failed[0]["error"] == "StorageFailed"
    assert "s3 said 503" not in logs.getvalue()  # the type, never the message
    # The ids of one record are not left on the next record's lines.
    ready = [line for line in _lines(logs) if line["message"] == "letter ready"]
    assert [line["letter_id"] for line in ready] == [FIRST.letter_id, THIRD.letter_id]


def test_a_batch_where_every_record_fails_lists_them_all(worker: Worker) -> None:
    worker.failing = {FIRST.letter_id, SECOND.letter_id, THIRD.letter_id}
    response = lambda_letters.handler(sqs_batch(), Context())
    assert response == {"batchItemFailures": [{"itemIdentifier": i} for i in IDS]}


def test_a_duplicate_delivery_renders_again_and_succeeds(worker: Worker) -> None:
    # The same job twice in one batch (enqueued twice), then the batch delivered again:
    # render_letter is idempotent, so the worker simply calls it every time.
    event = sqs_batch()
    twin = copy.deepcopy(event["Records"][0])
    twin["messageId"] = "7a3c0f5e-1d2b-4c6a-9e8f-0b1a2c3d4e5f"
    event["Records"] = [event["Records"][0], twin]
    assert lambda_letters.handler(event, Context()) == {"batchItemFailures": []}
    redelivered = copy.deepcopy(event)
    for record in redelivered["Records"]:
        record["attributes"]["ApproximateReceiveCount"] = "2"
    assert lambda_letters.handler(redelivered, Context()) == {"batchItemFailures": []}
    assert worker.rendered == [FIRST] * 4
    assert worker.builds == 1  # the ports outlive the invocation


def test_a_malformed_body_fails_without_logging_it(worker: Worker, logs: io.StringIO) -> None:
    event = sqs_batch()
    event["Records"][0]["body"] = "Jeanne Dupont, 12 rue des Lilas"  # not JSON
    event["Records"][2]["body"] = json.dumps(  # JSON, not a job: no letter_id
        {"creditor_id": THIRD.creditor_id, "claim_id": THIRD.claim_id, "name": "Jeanne Dupont"})
    response = lambda_letters.handler(event, Context())
    # Reported failed, so after maxReceiveCount receives it sits in the dead-letter queue
    # rather than vanishing.
    assert response == {"batchItemFailures": [{"itemIdentifier": IDS[0]},
                                              {"itemIdentifier": IDS[2]}]}
    assert worker.rendered == [SECOND]
    malformed = [line for line in _lines(logs) if line["message"] == "malformed letter job"]
    assert [line["message_id"] for line in malformed] == [IDS[0], IDS[2]]
    assert "Jeanne" not in logs.getvalue() and "Lilas" not in logs.getvalue()


def test_a_job_with_a_wrongly_typed_id_is_malformed(worker: Worker) -> None:
    event = sqs_batch()
    event["Records"] = event["Records"][:1]
    event["Records"][0]["body"] = json.dumps(
        {"creditor_id": FIRST.creditor_id, "claim_id": FIRST.claim_id, "letter_id": 42})
    assert lambda_letters.handler(event, Context()) == {
        "batchItemFailures": [{"itemIdentifier": IDS[0]}]}
    assert worker.rendered == []


# ---------------------------------------------------------------- the postal poller


@pytest.fixture
def poller(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    monkeypatch.setenv("RELANCE_TABLE", "relance-letters-test")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "Relance")
    seen: dict[str, Any] = {"builds": 0, "calls": [], "ports": object()}

    def build(settings: Any) -> Any:
        seen["builds"] += 1
        return seen["ports"]

    def reconcile(ports: Any, *, limit: int = 100) -> int:
        seen["calls"].append(ports)
        return 3

    monkeypatch.setattr(bootstrap, "build_poller_ports", build)
    monkeypatch.setattr(letter_service, "reconcile_dispatches", reconcile)
    lambda_postal._ports.cache_clear()
    yield seen
    lambda_postal._ports.cache_clear()


def test_the_poller_reconciles_on_each_scheduled_event(poller: dict[str, Any]) -> None:
    scheduled = json.loads((EVENTS / "eventbridge-scheduler-event.json").read_text())
    assert lambda_postal.handler(scheduled, Context(function_name="relance-postal")) == {
        "updates": 3}
    # An EventBridge rule's schedule sends the same shape with source aws.events.
    rule = {**scheduled, "source": "aws.events"}
    assert lambda_postal.handler(rule, Context(function_name="relance-postal")) == {
        "updates": 3}
    assert poller["calls"] == [poller["ports"]] * 2
    assert poller["builds"] == 1
