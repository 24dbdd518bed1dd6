"""The SES v2 sender against moto (which keeps each sent message in its SES backend, the
v2 API riding on v1's: moto/sesv2/models.py send_email), the request seen on the wire by a
botocore hook (moto drops attachments, tags and the configuration set), the errors mapped
without the address, and the configuration set's events as SNS delivers them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError
from botocore.stub import Stubber
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from adapters.messaging.ses import DeliveryEvent, SesEmailSender, parse_ses_event, tag_value
from domain.ports.escalation import Attachment, ChannelRefused, ChannelUnavailable, EmailMessage

EVENTS = Path(__file__).resolve().parents[1] / "events"
REGION = "eu-west-3"
FROM = "relances@relance.example"
TO = "claire.dubois@example.com"
PDF = b"%PDF-1.7\n% a letter\n%%EOF\n"

MESSAGE = EmailMessage(
    to=TO, subject="Relance : facture F-2026-001", text="Bonjour Claire Dubois,\n…",
    attachments=(Attachment("relance-F-2026-001.pdf", "application/pdf", PDF),),
    idempotency_key="clm_01JABCDEF-overdue_email-v3", reply_to="compta@garage-martin.example")


class Wire:
    """The parameters each SendEmail carried, as botocore serialises them."""

    def __init__(self, client: Any) -> None:
        self.calls: list[dict[str, Any]] = []
        client.meta.events.register("provide-client-params.sesv2.SendEmail", self._keep)

    def _keep(self, params: dict[str, Any], **_: Any) -> None:
        self.calls.append(params)


@pytest.fixture
def ses() -> Iterator[Any]:
    with mock_aws():
        client = boto3.client("sesv2", region_name=REGION)
        client.create_email_identity(EmailIdentity="relance.example")  # moto checks it
        client.create_configuration_set(ConfigurationSetName="relance-messages")
        yield client


def sent_messages() -> list[Any]:
    return ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages


def test_a_message_is_sent_from_the_verified_domain(ses: Any) -> None:
    wire = Wire(ses)
    sender = SesEmailSender(ses, FROM, "relance-messages")
    message_id = sender.send(MESSAGE)
    [sent] = sent_messages()
    assert sent.id == message_id
    assert sent.source == FROM
    assert sent.destinations == {"ToAddresses": [TO]}
    assert sent.subject == "Relance : facture F-2026-001"
    assert sent.body == "Bonjour Claire Dubois,\n…"
    [params] = wire.calls
    assert params["ConfigurationSetName"] == "relance-messages"
    assert params["EmailTags"] == [{"Name": "idempotency_key",
                                    "Value": "clm_01JABCDEF-overdue_email-v3"}]
    assert params["ReplyToAddresses"] == ["compta@garage-martin.example"]
    simple = params["Content"]["Simple"]
    assert simple["Subject"] == {"Data": "Relance : facture F-2026-001", "Charset": "UTF-8"}
    assert "Html" not in simple["Body"]
    assert simple["Attachments"] == [{
        "FileName": "relance-F-2026-001.pdf", "ContentType": "application/pdf",
        "RawContent": PDF, "ContentDisposition": "ATTACHMENT",
        "ContentTransferEncoding": "BASE64"}]


CREDITOR = "cred_4k9x2m7q1v8t3w6r0p5n2s7h9c"
CLAIM = "clm_7d2f9h4k1m8p3q6r0t5v2w7x9z"


def test_the_tags_carry_the_key_and_the_claims_ids_and_never_the_address(ses: Any) -> None:
    wire = Wire(ses)
    SesEmailSender(ses, FROM, "relance-messages").send(
        replace(MESSAGE, idempotency_key=f"{CLAIM}:overdue_email:email",
                creditor_id=CREDITOR, claim_id=CLAIM))
    tags = wire.calls[0]["EmailTags"]
    # The step's key has colons, outside SES's alphabet: its digest
    # (`printf '%s' 'clm_7d2f…9z:overdue_email:email' | sha256sum`); the ids fit as they are.
    assert tags == [
        {"Name": "idempotency_key",
         "Value": "h-ad4609fb233419812f2bd7fe4e8ed5ae8345fa4d255d4cfb132e876ac7ff2aaa"},
        {"Name": "creditor_id", "Value": CREDITOR},
        {"Name": "claim_id", "Value": CLAIM}]
    assert TO not in json.dumps(tags) and "Dubois" not in json.dumps(tags)


def test_the_claims_ids_alone_are_tagged_too(ses: Any) -> None:
    wire = Wire(ses)
    SesEmailSender(ses, FROM, "relance-messages").send(
        EmailMessage(to=TO, subject="s", text="t", creditor_id=CREDITOR, claim_id=CLAIM))
    assert wire.calls[0]["EmailTags"] == [{"Name": "creditor_id", "Value": CREDITOR},
                                          {"Name": "claim_id", "Value": CLAIM}]


def test_a_key_outside_the_tag_alphabet_is_tagged_by_its_digest() -> None:
    assert tag_value("clm_01J-step_2-v1") == "clm_01J-step_2-v1"
    # `printf '%s' 'clm:01J/step 2#v1' | sha256sum`
    assert tag_value("clm:01J/step 2#v1") == (
        "h-98c869b2050232dbc2e583332b6891923a8a01052e296ec040754ad235d3cc24")
    assert tag_value("x" * 257).startswith("h-")  # too long for a tag


def test_an_html_part_goes_beside_the_text(ses: Any) -> None:
    wire = Wire(ses)
    sender = SesEmailSender(ses, FROM, "relance-messages")
    sender.send(EmailMessage(to=TO, subject="s", text="t", html="<p>t</p>"))
    body = wire.calls[0]["Content"]["Simple"]["Body"]
    assert body["Html"] == {"Data": "<p>t</p>", "Charset": "UTF-8"}
    assert body["Text"] == {"Data": "t", "Charset": "UTF-8"}
    assert "EmailTags" not in wire.calls[0]  # no key, no tag


def test_an_unverified_sender_is_refused_without_the_address(ses: Any) -> None:
    sender = SesEmailSender(ses, "someone@elsewhere.example", "relance-messages")
    with pytest.raises(ChannelRefused) as refused:
        sender.send(MESSAGE)
    assert "MessageRejected" in str(refused.value)
    assert "elsewhere.example" not in str(refused.value) and TO not in str(refused.value)
    assert refused.value.__suppress_context__  # the provider's text stays out of tracebacks
    assert sent_messages() == []


def stubbed_error(code: str, status: int, message: str) -> Any:
    client = boto3.client("sesv2", region_name=REGION)
    stub = Stubber(client)
    stub.add_client_error("send_email", service_error_code=code, service_message=message,
                          http_status_code=status)
    stub.activate()
    return client


@pytest.mark.parametrize(("code", "status", "expected"), [
    ("MessageRejected", 400, ChannelRefused),
    ("AccountSuspendedException", 400, ChannelRefused),
    ("MailFromDomainNotVerifiedException", 400, ChannelRefused),
    ("BadRequestException", 400, ChannelRefused),
    ("TooManyRequestsException", 429, ChannelUnavailable),
    ("LimitExceededException", 400, ChannelUnavailable),
    ("SendingPausedException", 400, ChannelUnavailable),
    ("InternalFailure", 500, ChannelUnavailable),
    ("ServiceUnavailable", 503, ChannelUnavailable),
    # our IAM policy or configuration at fault: retried once an operator fixes it, the
    # debtor's message not marked refused
    ("AccessDeniedException", 403, ChannelUnavailable),
    ("NotFoundException", 404, ChannelUnavailable),
])
def test_provider_errors_are_mapped_and_never_repeat_the_address(
        code: str, status: int, expected: type[Exception]) -> None:
    client = stubbed_error(code, status, f"Address blacklisted: {TO}")
    with pytest.raises(expected) as raised:
        SesEmailSender(client, FROM, "relance-messages").send(MESSAGE)
    assert code in str(raised.value)
    assert TO not in str(raised.value)


def test_a_connection_failure_is_unavailable() -> None:
    class Broken:
        def send_email(self, **_: Any) -> None:
            raise EndpointConnectionError(endpoint_url="https://email.eu-west-3.amazonaws.com")

    with pytest.raises(ChannelUnavailable, match="EndpointConnectionError"):
        SesEmailSender(Broken(), FROM, "relance-messages").send(MESSAGE)


# --- events -------------------------------------------------------------------------------

MESSAGE_ID = "0107018d2f1c3a4b-5e6f7a8b-1234-4cde-9f01-23456789abcd-000000"


def event(name: str) -> bytes:
    return (EVENTS / f"ses-{name}.json").read_bytes()


def test_a_permanent_bounce() -> None:
    # A message sent before the claim's ids were tagged: none come back.
    assert parse_ses_event(event("bounce")) == [DeliveryEvent(
        MESSAGE_ID, "bounce", True, (TO,), "clm_01JABCDEF-overdue_email-v3")]


@pytest.mark.parametrize(("name", "kind", "permanent"), [
    ("bounce", "bounce", True), ("bounce-transient", "bounce", False),
    ("complaint", "complaint", True)])
def test_an_event_names_the_claim_its_message_was_tagged_with(
        name: str, kind: str, permanent: bool) -> None:
    lambda_event = json.loads((EVENTS / f"sns-ses-{name}.json").read_text())
    message = lambda_event["Records"][0]["Sns"]["Message"]
    assert parse_ses_event(message.encode()) == [DeliveryEvent(
        MESSAGE_ID, kind, permanent, (TO,),  # type: ignore[arg-type]
        "h-ad4609fb233419812f2bd7fe4e8ed5ae8345fa4d255d4cfb132e876ac7ff2aaa", CREDITOR, CLAIM)]


def test_a_transient_bounce_is_not_permanent() -> None:
    [bounce] = parse_ses_event(event("bounce-transient"))
    assert (bounce.event, bounce.permanent) == ("bounce", False)


def test_a_complaint_is_permanent() -> None:
    [complaint] = parse_ses_event(event("complaint"))
    assert (complaint.event, complaint.permanent, complaint.recipients) == (
        "complaint", True, (TO,))


def test_a_delivery() -> None:
    [delivery] = parse_ses_event(event("delivery"))
    assert (delivery.message_id, delivery.event, delivery.permanent, delivery.recipients) == (
        MESSAGE_ID, "delivery", False, (TO,))


def test_an_event_logged_shows_no_address() -> None:
    [bounce] = parse_ses_event(event("bounce"))
    assert TO not in repr(bounce) and TO not in str(bounce)


def test_raw_delivery_without_the_sns_envelope_is_read_too() -> None:
    inner = json.loads(event("bounce"))["Message"]
    [bounce] = parse_ses_event(inner.encode())
    assert bounce.message_id == MESSAGE_ID


def test_other_events_and_sns_housekeeping_give_nothing() -> None:
    envelope = json.loads(event("delivery"))
    record = json.loads(envelope["Message"])
    record["eventType"] = "Open"
    envelope["Message"] = json.dumps(record)
    assert parse_ses_event(json.dumps(envelope).encode()) == []
    confirmation = {"Type": "SubscriptionConfirmation", "Message": "You have chosen…",
                    "Token": "2336412f37", "TopicArn": "arn:aws:sns:eu-west-3:1:t"}
    assert parse_ses_event(json.dumps(confirmation).encode()) == []


def test_a_body_that_is_not_json_is_an_error() -> None:
    with pytest.raises(ValueError):
        parse_ses_event(b"<xml/>")
