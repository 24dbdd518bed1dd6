"""E-mail through SES v2 `SendEmail` (Simple content with attachments, up to 40 MB a
message; reference/letters-escalation.md B11), sent through a configuration set whose event
destination publishes bounces, complaints and deliveries to SNS: `parse_ses_event` reads
those notifications.

SES has no idempotency key of its own: the caller's outbox row decides that a step's
message is sent once; the key travels as a message tag so that an event can be matched back
to the step, and the creditor's and the claim's ids as two more, so that the event finds its
claim by key (domain.services.email_feedback). Tags carry ids and nothing else: SES copies
them into every event, which end up in logs and metrics.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from adapters.messaging._errors import error_code, http_status
from domain.ports.escalation import (
    ChannelRefused,
    ChannelUnavailable,
    DeliveryEvent,
    EmailEventKind,
    EmailMessage,
)

IDEMPOTENCY_TAG = "idempotency_key"
CREDITOR_TAG = "creditor_id"
CLAIM_TAG = "claim_id"
_TAG_VALUE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

# Refused for good: the message or the sending identity, not the moment, is at fault.
_REFUSED = {
    "MessageRejected": "SES rejected the message",
    "AccountSuspendedException": "the SES account may not send e-mail",
    "MailFromDomainNotVerifiedException": "the sending domain's MAIL FROM is not verified",
    "BadRequestException": "SES found the request invalid (the address or the content)",
}
# Retry later: throttled, over the day's quota, sending paused by an operator, or our own
# configuration set missing (an operator fixes it; the debtor's message is not at fault).
_UNAVAILABLE = {"TooManyRequestsException", "LimitExceededException", "Throttling",
                "ThrottlingException", "SendingPausedException", "NotFoundException"}


def tag_value(key: str) -> str:
    """A tag value SES accepts (letters, digits, `_`, `-`, 256 at most): the key itself when
    it fits, else a digest of it (stable, so events still match; never a lossy rewrite that
    could make two keys one)."""
    if _TAG_VALUE.match(key):
        return key
    return "h-" + hashlib.sha256(key.encode("utf-8")).hexdigest()


class SesEmailSender:
    def __init__(self, client: Any, from_address: str, configuration_set: str) -> None:
        self._client = client
        self._from = from_address
        self._configuration_set = configuration_set

    def request(self, message: EmailMessage) -> dict[str, Any]:
        """The SendEmail parameters (public for the tests' eyes: moto keeps only part)."""
        body: dict[str, Any] = {"Text": {"Data": message.text, "Charset": "UTF-8"}}
        if message.html is not None:
            body["Html"] = {"Data": message.html, "Charset": "UTF-8"}
        simple: dict[str, Any] = {"Subject": {"Data": message.subject, "Charset": "UTF-8"},
                                  "Body": body}
        if message.attachments:
            simple["Attachments"] = [
                {"FileName": a.filename, "ContentType": a.content_type, "RawContent": a.body,
                 "ContentDisposition": "ATTACHMENT", "ContentTransferEncoding": "BASE64"}
                for a in message.attachments]
        params: dict[str, Any] = {
            "FromEmailAddress": self._from,
            "Destination": {"ToAddresses": [message.to]},
            "Content": {"Simple": simple},
            "ConfigurationSetName": self._configuration_set,
        }
        tags = [(IDEMPOTENCY_TAG, message.idempotency_key), (CREDITOR_TAG, message.creditor_id),
                (CLAIM_TAG, message.claim_id)]
        if any(value for _, value in tags):
            params["EmailTags"] = [{"Name": name, "Value": tag_value(value)}
                                   for name, value in tags if value]
        if message.reply_to:
            params["ReplyToAddresses"] = [message.reply_to]
        return params

    def send(self, message: EmailMessage) -> str:
        try:
            answer = self._client.send_email(**self.request(message))
        except ClientError as error:
            code = error_code(error)
            if code in _REFUSED:
                # `from None`: the provider's text names the address, and a logged
                # traceback would carry it.
                raise ChannelRefused(f"{_REFUSED[code]} ({code})") from None
            if code in _UNAVAILABLE or http_status(error) >= 500:
                raise ChannelUnavailable(f"SES could not send now ({code})") from None
            raise ChannelUnavailable(f"SES answered an unexpected error ({code})") from None
        except BotoCoreError as error:
            raise ChannelUnavailable(f"SES could not be reached ({type(error).__name__})"
                                     ) from None
        return str(answer["MessageId"])


# --- the configuration set's events ---------------------------------------------------------

# The event's type lives with the port (the use case reads it); these names stay importable
# from here, where the events are parsed.
EventKind = EmailEventKind


def _ses_record(document: dict[str, Any]) -> dict[str, Any] | None:
    """The SES record inside an SNS notification (or sent raw, as SNS's raw delivery to SQS
    does); None for an SNS subscription confirmation or anything else."""
    if document.get("Type") == "Notification" and isinstance(document.get("Message"), str):
        try:
            inner = json.loads(document["Message"])
        except ValueError:
            return None
        return inner if isinstance(inner, dict) else None
    if "eventType" in document or "notificationType" in document:
        return document
    return None


def _addresses(items: Any, key: str = "emailAddress") -> tuple[str, ...]:
    if not isinstance(items, list):
        return ()
    return tuple(str(i[key]) if isinstance(i, dict) else str(i) for i in items
                 if (isinstance(i, dict) and key in i) or isinstance(i, str))


def parse_ses_event(body: bytes) -> list[DeliveryEvent]:
    """The bounce, complaint and delivery events in one SNS notification body. Other SES
    events (Send, Open, Click, DeliveryDelay…) and SNS housekeeping give no event. Raises
    ValueError on a body that is not JSON."""
    document = json.loads(body)
    if not isinstance(document, dict):
        raise ValueError("an SNS notification is a JSON object")
    record = _ses_record(document)
    if record is None:
        return []
    # Event publishing (configuration sets) says eventType; identity notifications say
    # notificationType: the records are otherwise alike.
    kind = str(record.get("eventType") or record.get("notificationType") or "")
    mail = record.get("mail") or {}
    message_id = str(mail.get("messageId", ""))
    if not message_id:
        return []
    tags = mail.get("tags") or {}
    key, creditor_id, claim_id = (_tag(tags, IDEMPOTENCY_TAG), _tag(tags, CREDITOR_TAG),
                                  _tag(tags, CLAIM_TAG))
    if kind == "Bounce":
        bounce = record.get("bounce") or {}
        return [DeliveryEvent(message_id, "bounce", bounce.get("bounceType") == "Permanent",
                              _addresses(bounce.get("bouncedRecipients")), key, creditor_id,
                              claim_id)]
    if kind == "Complaint":
        complaint = record.get("complaint") or {}
        return [DeliveryEvent(message_id, "complaint", True,
                              _addresses(complaint.get("complainedRecipients")), key,
                              creditor_id, claim_id)]
    if kind == "Delivery":
        delivery = record.get("delivery") or {}
        return [DeliveryEvent(message_id, "delivery", False,
                              _addresses(delivery.get("recipients")), key, creditor_id,
                              claim_id)]
    return []


def _tag(tags: Any, name: str) -> str | None:
    """A tag's value as SES hands it back (`{"name": ["value"]}`), None when absent."""
    values = tags.get(name) if isinstance(tags, dict) else None
    return str(values[0]) if isinstance(values, list) and values and values[0] else None


__all__ = ["DeliveryEvent", "EventKind", "SesEmailSender", "parse_ses_event", "tag_value"]
