"""The SMS sender through botocore's Stubber (moto answers "Not yet implemented" for
pinpoint-sms-voice-v2, reference B11): the exact request, and the errors mapped without the
number."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ReadTimeoutError
from botocore.stub import Stubber

from adapters.messaging.sms import EndUserMessagingSmsSender
from domain.ports.escalation import ChannelRefused, ChannelUnavailable, SmsMessage

NUMBER = "+33612345678"
TEXT = "Garage Martin SARL: rappel, 1 234,56 € à régler le 03/12/2026 (facture F-2026-001)."
MESSAGE = SmsMessage(to=NUMBER, text=TEXT, idempotency_key="clm_01JABCDEF-pre_due_sms-v1")


def stubbed() -> tuple[Any, Stubber]:
    client = boto3.client("pinpoint-sms-voice-v2", region_name="eu-west-3")
    return client, Stubber(client)


def test_the_message_goes_transactional_from_the_sender_id_with_its_key() -> None:
    client, stub = stubbed()
    stub.add_response("send_text_message", {"MessageId": "msg-7f3a"}, expected_params={
        "DestinationPhoneNumber": NUMBER,
        "OriginationIdentity": "GARAGEMART",
        "MessageBody": TEXT,
        "MessageType": "TRANSACTIONAL",
        "Context": {"idempotency_key": "clm_01JABCDEF-pre_due_sms-v1"},
        "ConfigurationSetName": "relance-sms",
    })
    with stub:
        sender = EndUserMessagingSmsSender(client, "GARAGEMART", "relance-sms")
        assert sender.send(MESSAGE) == "msg-7f3a"
    stub.assert_no_pending_responses()


def test_without_a_configuration_set_or_a_key_neither_is_sent() -> None:
    client, stub = stubbed()
    stub.add_response("send_text_message", {"MessageId": "msg-1"}, expected_params={
        "DestinationPhoneNumber": NUMBER, "OriginationIdentity": "GARAGEMART",
        "MessageBody": "t", "MessageType": "TRANSACTIONAL"})
    with stub:
        EndUserMessagingSmsSender(client, "GARAGEMART").send(SmsMessage(NUMBER, "t"))
    stub.assert_no_pending_responses()


def test_a_number_not_in_e164_is_refused_before_any_call() -> None:
    client, stub = stubbed()
    with stub, pytest.raises(ChannelRefused, match=r"E\.164") as refused:
        EndUserMessagingSmsSender(client, "GARAGEMART").send(SmsMessage("0612345678", "t"))
    assert "0612345678" not in str(refused.value)


@pytest.mark.parametrize(("code", "status", "reason", "expected"), [
    ("ValidationException", 400, "DESTINATION_COUNTRY_BLOCKED", ChannelRefused),
    ("ConflictException", 409, "DESTINATION_PHONE_NUMBER_OPTED_OUT", ChannelRefused),
    ("AccessDeniedException", 403, "ACCOUNT_DISABLED", ChannelRefused),
    ("ThrottlingException", 429, None, ChannelUnavailable),
    ("ServiceQuotaExceededException", 402, "MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT",
     ChannelUnavailable),
    ("ResourceNotFoundException", 404, None, ChannelUnavailable),
    ("InternalServerException", 500, None, ChannelUnavailable),
])
def test_errors_are_mapped_and_never_repeat_the_number(
        code: str, status: int, reason: str | None, expected: type[Exception]) -> None:
    client, stub = stubbed()
    stub.add_client_error("send_text_message", service_error_code=code,
                          service_message=f"cannot send to {NUMBER}", http_status_code=status,
                          modeled_fields={"Reason": reason} if reason else None)
    with stub, pytest.raises(expected) as raised:
        EndUserMessagingSmsSender(client, "GARAGEMART").send(MESSAGE)
    assert code in str(raised.value)
    if reason:
        assert reason in str(raised.value)
    assert NUMBER not in str(raised.value) and "612345678" not in str(raised.value)


def test_a_timeout_is_unavailable() -> None:
    class Slow:
        def send_text_message(self, **_: Any) -> None:
            raise ReadTimeoutError(endpoint_url="https://sms-voice.eu-west-3.amazonaws.com")

    with pytest.raises(ChannelUnavailable, match="ReadTimeoutError"):
        EndUserMessagingSmsSender(Slow(), "GARAGEMART").send(MESSAGE)
