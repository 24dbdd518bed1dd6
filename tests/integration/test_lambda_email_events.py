"""The e-mail events function fed with SNS events as Lambda receives them
(tests/events/sns-ses-*.json: the SES events of tests/events/ses-*.json inside the
documented SNS record, tagged as the sender tags now), on moto's DynamoDB with the ports the
function builds for itself."""

from __future__ import annotations

import copy
import importlib
import io
import json
import logging
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from adapters.dynamodb import create_table
from domain import services
from domain.creditors.model import Address
from domain.debtors.model import ContactKind, DebtorKind
from domain.ports.repositories import PageRequest
from domain.services.caller import Caller, Ports

EVENTS = Path(__file__).resolve().parents[1] / "events"
TABLE = "relance-email-events"
# The ids and the address the sample events carry, replaced by the claim's own: a message
# the function can match (an example.com address would never have been e-mailed: contact
# validation finds its domain reserved).
SAMPLE_CREDITOR = "cred_4k9x2m7q1v8t3w6r0p5n2s7h9c"
SAMPLE_CLAIM = "clm_7d2f9h4k1m8p3q6r0t5v2w7x9z"
SAMPLE_TO = "claire.dubois@example.com"
TO = "claire.dubois@fournil-dubois.fr"


@dataclass
class Context:
    function_name: str = "relance-email-events"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = (
        "arn:aws:lambda:eu-west-3:123456789012:function:relance-email-events")
    aws_request_id: str = "3f1d2c4b-8a9e-4b7c-a6d5-0e1f2a3b4c5d"


@dataclass
class Setup:
    module: ModuleType
    ports: Ports
    caller: Caller
    claim_id: str
    debtor_id: str

    def handle(self, event: dict[str, Any]) -> dict[str, int]:
        result: dict[str, int] = self.module.handler(event, Context())
        return result


def sns_event(name: str, creditor_id: str, claim_id: str) -> dict[str, Any]:
    event: dict[str, Any] = copy.deepcopy(json.loads(
        (EVENTS / f"sns-ses-{name}.json").read_text()))
    sns = event["Records"][0]["Sns"]
    sns["Message"] = (sns["Message"].replace(SAMPLE_CREDITOR, creditor_id)
                      .replace(SAMPLE_CLAIM, claim_id).replace(SAMPLE_TO, TO))
    return event


@pytest.fixture
def setup(monkeypatch: pytest.MonkeyPatch) -> Iterator[Setup]:
    monkeypatch.setenv("RELANCE_TABLE", TABLE)
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "Relance")
    with mock_aws():
        create_table(boto3.client("dynamodb"), TABLE)
        sys.modules.pop("api.entrypoints.lambda_email_events", None)
        module = importlib.import_module("api.entrypoints.lambda_email_events")
        ports = module._ports()
        creditor = services.create_creditor(services.CreditorDraft(
            legal_name="Menuiserie Leroy SARL", siren="732829320",
            address=Address(("8 rue des Lilas",), "69003", "Lyon", "FR")), ports)
        caller = Caller(creditor.id, "erp")
        debtor = services.create_debtor(services.DebtorDraft(
            kind=DebtorKind.CONSUMER, name="Claire Dubois", country="FR",
            contact_points=[services.ContactPointDraft(ContactKind.EMAIL, value=TO)]),
            caller, ports)
        claim, _ = services.create_claim(services.ClaimDraft(
            debtor_id=debtor.id, currency="EUR", invoices=[services.InvoiceDraft(
                "F-2026-001", date(2026, 1, 2),
                date(2026, 2, 1), "349.90")]), caller, ports)
        yield Setup(module, ports, caller, claim.id, debtor.id)
        sys.modules.pop("api.entrypoints.lambda_email_events", None)


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


def _state(setup: Setup) -> tuple[Any, ...]:
    uow = setup.ports.unit_of_work()
    claim = uow.claims.get_claim(setup.caller.creditor_id, setup.claim_id)
    debtor = uow.debtors.get_debtor(setup.caller.creditor_id, setup.debtor_id)
    entries = uow.claims.list_events(setup.caller.creditor_id, setup.claim_id,
                                     PageRequest(limit=100)).items
    tasks = uow.tasks.open_tasks_of_claim(setup.caller.creditor_id, setup.claim_id)
    assert claim is not None and debtor is not None
    return claim, debtor, entries, tasks


def test_the_sample_events_are_sns_records_of_the_ses_events() -> None:
    for name in ["bounce", "bounce-transient", "complaint"]:
        event = json.loads((EVENTS / f"sns-ses-{name}.json").read_text())
        [record] = event["Records"]
        assert record["EventSource"] == "aws:sns" and record["EventVersion"] == "1.0"
        sns = record["Sns"]
        assert sns["Type"] == "Notification"
        assert sns["TopicArn"].endswith(":relance-ses-events")
        # The SES event SNS carried is the sample's, tagged with the claim's ids.
        ses = json.loads(json.loads((EVENTS / f"ses-{name}.json").read_text())["Message"])
        inner = json.loads(sns["Message"])
        assert {k: v for k, v in inner.items() if k != "mail"} == {
            k: v for k, v in ses.items() if k != "mail"}
        assert inner["mail"]["tags"]["creditor_id"] == [SAMPLE_CREDITOR]
        assert inner["mail"]["tags"]["claim_id"] == [SAMPLE_CLAIM]


def test_a_hard_bounce_marks_the_address_and_a_second_delivery_changes_nothing(
        setup: Setup, logs: io.StringIO) -> None:
    event = sns_event("bounce", setup.caller.creditor_id, setup.claim_id)
    assert setup.handle(event) == {"applied": 1}
    claim, debtor, entries, tasks = _state(setup)
    [point] = debtor.contact_points
    assert point.validation.status == "invalid" and point.validation.reasons == ("bounced",)
    [task] = tasks
    assert task.kind.value == "verify_contact" and task.contact_point_id == point.id
    assert (entries[-1].action, entries[-1].data) == ("email_bounced", {
        "message_id": "0107018d2f1c3a4b-5e6f7a8b-1234-4cde-9f01-23456789abcd-000000",
        "bounce": "permanent", "contact_point_id": point.id})
    # SNS delivers it again: nothing changes.
    assert setup.handle(copy.deepcopy(event)) == {"repeated": 1}
    assert _state(setup) == (claim, debtor, entries, tasks)
    lines = [json.loads(line) for line in logs.getvalue().splitlines() if line.startswith("{")]
    assert [line["outcome"] for line in lines if line["message"] == "e-mail event"] == [
        "applied", "repeated"]
    assert "claire" not in logs.getvalue().lower()  # ids, never the address


def test_a_complaint_and_a_transient_bounce(setup: Setup) -> None:
    creditor_id, claim_id = setup.caller.creditor_id, setup.claim_id
    assert setup.handle(sns_event("bounce-transient", creditor_id, claim_id)) == {"applied": 1}
    _, debtor, entries, tasks = _state(setup)
    assert debtor.contact_points[0].validation.status == "valid" and tasks == []
    assert entries[-1].data["bounce"] == "transient"
    assert setup.handle(sns_event("complaint", creditor_id, claim_id)) == {"applied": 1}
    _, debtor, entries, tasks = _state(setup)
    validation = debtor.contact_points[0].validation
    assert "complained" in validation.reasons and validation.channels == ()
    assert entries[-1].action == "email_complained" and tasks == []


def test_a_malformed_record_is_counted_and_the_others_applied(
        setup: Setup, logs: io.StringIO) -> None:
    event = sns_event("bounce", setup.caller.creditor_id, setup.claim_id)
    broken = copy.deepcopy(event["Records"][0])
    broken["Sns"]["Message"] = f"Bounce for {TO}"  # not JSON
    broken["Sns"]["MessageId"] = "d1e2f3a4-b5c6-5d7e-8f9a-0b1c2d3e4f5a"
    event["Records"] = [broken, event["Records"][0], {"EventSource": "aws:sns"}]
    assert setup.handle(event) == {"applied": 1, "malformed": 2}
    malformed = [json.loads(line) for line in logs.getvalue().splitlines()
                 if line.startswith("{") and "malformed" in line]
    assert [(m["record"], m.get("sns_message_id")) for m in malformed] == [
        (0, "d1e2f3a4-b5c6-5d7e-8f9a-0b1c2d3e4f5a"), (2, None)]
    assert "claire" not in logs.getvalue().lower()
    assert setup.handle({"detail-type": "Scheduled Event"}) == {"malformed": 1}


def test_an_event_for_no_claim_of_ours_is_ignored(setup: Setup) -> None:
    before = _state(setup)
    event = sns_event("bounce", setup.caller.creditor_id, "clm_00000000000000000000000000")
    assert setup.handle(event) == {"unknown_claim": 1}
    assert _state(setup) == before


def test_the_table_out_of_reach_fails_the_invocation(setup: Setup) -> None:
    event = sns_event("bounce", setup.caller.creditor_id, setup.claim_id)
    boto3.client("dynamodb").delete_table(TableName=TABLE)
    with pytest.raises(ClientError) as raised:  # Lambda retries, then the failure queue
        setup.handle(event)
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"
