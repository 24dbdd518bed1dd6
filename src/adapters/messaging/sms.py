"""SMS through AWS End User Messaging SMS (`pinpoint-sms-voice-v2` SendTextMessage; SNS's
SMS now goes through it: reference/letters-escalation.md B11), as TRANSACTIONAL messages
from an alphanumeric sender id: French carriers hold promotional traffic to office hours and
require "STOP au 36xxx" on it (B8), and 06/07 numbers may not send automated SMS.

The service has no idempotency key: the idempotency key travels in `Context`, which the
service copies into its delivery events, so that an event finds its step again.
"""

from __future__ import annotations

import re
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from adapters.messaging._errors import error_code, http_status
from domain.ports.escalation import ChannelRefused, ChannelUnavailable, SmsMessage

IDEMPOTENCY_CONTEXT = "idempotency_key"
_E164 = re.compile(r"^\+[1-9][0-9]{1,18}$")

# Refused for good: the number (opted out, blocked, malformed) or the account.
_REFUSED = {
    "ValidationException": "the SMS service found the number or the message invalid",
    "ConflictException": "the SMS service will not send to this number (opted out or "
                         "blocked)",
    "AccessDeniedException": "the account may not send SMS",
}
# Retry later: throttled, over the month's spend limit, or our origination identity
# missing (an operator fixes the configuration; the number is not at fault).
_UNAVAILABLE = {"ThrottlingException", "ServiceQuotaExceededException",
                "InternalServerException", "ResourceNotFoundException"}


class EndUserMessagingSmsSender:
    def __init__(self, client: Any, origination_identity: str,
                 configuration_set: str | None = None) -> None:
        self._client = client
        self._origination = origination_identity
        self._configuration_set = configuration_set

    def request(self, message: SmsMessage) -> dict[str, Any]:
        params: dict[str, Any] = {
            "DestinationPhoneNumber": message.to,
            "OriginationIdentity": self._origination,
            "MessageBody": message.text,
            "MessageType": "TRANSACTIONAL",
        }
        if message.idempotency_key:
            params["Context"] = {IDEMPOTENCY_CONTEXT: message.idempotency_key}
        if self._configuration_set:
            params["ConfigurationSetName"] = self._configuration_set
        return params

    def send(self, message: SmsMessage) -> str:
        if not _E164.match(message.to):
            # The service would answer a ValidationException; say so without the call.
            raise ChannelRefused("the number is not in E.164 form")
        try:
            answer = self._client.send_text_message(**self.request(message))
        except ClientError as error:
            code = error_code(error)
            reason = str(error.response.get("Reason", "") or "")
            detail = f"{code}, {reason}" if reason else code
            if code in _REFUSED:
                # `from None`: the provider's text may repeat the number.
                raise ChannelRefused(f"{_REFUSED[code]} ({detail})") from None
            if code in _UNAVAILABLE or http_status(error) >= 500:
                raise ChannelUnavailable(f"the SMS service could not send now ({detail})"
                                         ) from None
            raise ChannelUnavailable(f"the SMS service answered an unexpected error "
                                     f"({detail})") from None
        except BotoCoreError as error:
            raise ChannelUnavailable(f"the SMS service could not be reached "
                                     f"({type(error).__name__})") from None
        return str(answer["MessageId"])
