"""The ports of escalation: the e-mail and SMS senders, and the scheduler that wakes a
claim up when its next step is due. Their adapters: SES v2, AWS End User Messaging SMS and
EventBridge Scheduler in AWS; fakes locally and in tests (moto implements neither SMS nor a
firing scheduler)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from domain.shared.errors import Unavailable


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str
    body: bytes


@dataclass(frozen=True, slots=True)
class EmailMessage:
    to: str
    subject: str
    text: str
    html: str | None = None
    attachments: tuple[Attachment, ...] = ()
    # The same key never sends twice (the step's claim; the adapter keeps it as a tag).
    idempotency_key: str = ""
    reply_to: str | None = None
    # Whose message it is: the provider hands them back with each bounce or complaint, so
    # the event finds its claim by key (domain.services.email_feedback), never by a scan.
    creditor_id: str | None = None
    claim_id: str | None = None


@dataclass(frozen=True, slots=True)
class SmsMessage:
    to: str  # E.164, a mobile
    text: str
    idempotency_key: str = ""


EmailEventKind = Literal["bounce", "complaint", "delivery"]


@dataclass(frozen=True, slots=True)
class DeliveryEvent:
    """What the provider reports on an e-mail we sent (SES: adapters.messaging.ses).
    `recipients` serves to match the contact point (to mark an address bounced); it is left
    out of the repr so that logging an event never writes an address."""

    message_id: str
    event: EmailEventKind
    permanent: bool  # a hard bounce (or a complaint): stop using the address
    recipients: tuple[str, ...] = field(default=(), repr=False)
    idempotency_key: str | None = None  # the tag we set, when present
    # The message's claim, from the tags we set (None on a message sent without them).
    creditor_id: str | None = None
    claim_id: str | None = None


class ChannelRefused(Exception):
    """The provider refused the message for good (a suppressed address, a bad number): the
    reason is safe to show, it never repeats the address."""


class ChannelUnavailable(Unavailable):
    """The provider could not be reached or throttled: retry later."""


class EmailSender(Protocol):
    def send(self, message: EmailMessage) -> str:
        """The provider's message id. Raises ChannelRefused or ChannelUnavailable."""
        ...


class SmsSender(Protocol):
    def send(self, message: SmsMessage) -> str:
        """The provider's message id. Raises ChannelRefused or ChannelUnavailable."""
        ...


@dataclass(frozen=True, slots=True)
class Wakeup:
    """What the trigger receives: which claim, which step, at which claim version (a later
    version means the claim moved on, and the wake-up is stale)."""

    creditor_id: str
    claim_id: str
    step_key: str
    claim_version: int
    # The claim's debtor: the trigger then reads the claim, its account, the debtor and the
    # creditor in one round trip. Empty in a wake-up scheduled before it existed.
    debtor_id: str = ""


@dataclass(frozen=True, slots=True)
class ScheduledWakeup:
    wakeup: Wakeup
    at: datetime  # aware; sent as `at()` in `time_zone`
    time_zone: str


class Scheduler(Protocol):
    def schedule(self, wakeup: ScheduledWakeup) -> str:
        """Create the one-time schedule (idempotent: the name is derived from the claim,
        the step and the version; a schedule that exists already is kept). Returns its
        name. Raises ChannelUnavailable."""
        ...

    def cancel(self, name: str) -> None:
        """Delete a schedule; one already gone is fine."""
        ...
