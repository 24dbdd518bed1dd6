"""Senders that send nothing: they record each message, keep the idempotency the outbox
promises (the same key twice is one message with one id), and fail on demand. `make run`
and the service tests use them; moto implements no SMS (reference B11)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from domain.ports.escalation import (
    ChannelRefused,
    ChannelUnavailable,
    EmailMessage,
    SmsMessage,
)

M = TypeVar("M", EmailMessage, SmsMessage)


class _FakeSender(Generic[M]):
    _prefix = "fake"

    def __init__(self, refuse: Callable[[M], bool] | None = None) -> None:
        self.sent: list[M] = []  # each message once, in the order sent
        self.ids: list[str] = []
        self._by_key: dict[str, str] = {}
        self._failures = 0
        self._refuse: Callable[[M], bool] | None = refuse
        self._lock = threading.Lock()

    def fail_next(self, count: int = 1) -> None:
        """The next `count` sends raise ChannelUnavailable (the provider down)."""
        with self._lock:
            self._failures += count

    def send(self, message: M) -> str:
        with self._lock:
            if self._failures:
                self._failures -= 1
                raise ChannelUnavailable(f"{self._prefix}: simulated outage")
            key = message.idempotency_key
            if key and key in self._by_key:
                return self._by_key[key]
            if self._refuse is not None and self._refuse(message):
                raise ChannelRefused(f"{self._prefix}: the recipient refuses this message")
            message_id = f"{self._prefix}-{len(self.sent) + 1:06d}"
            self.sent.append(message)
            self.ids.append(message_id)
            if key:
                self._by_key[key] = message_id
            return message_id

    def sent_to(self, recipient: str) -> list[M]:
        with self._lock:
            return [m for m in self.sent if m.to == recipient]


class FakeEmailSender(_FakeSender[EmailMessage]):
    _prefix = "fake-email"


class FakeSmsSender(_FakeSender[SmsMessage]):
    _prefix = "fake-sms"
