"""The fake senders keep the promise the real ones get from the outbox: one message per
idempotency key, with one id; and they fail or refuse on demand."""

from __future__ import annotations

import threading

import pytest

from adapters.messaging.fake import FakeEmailSender, FakeSmsSender
from domain.ports.escalation import ChannelRefused, ChannelUnavailable, EmailMessage, SmsMessage


def mail(key: str, to: str = "claire@example.com") -> EmailMessage:
    return EmailMessage(to=to, subject="s", text="t", idempotency_key=key)


def test_the_same_key_twice_is_one_message_with_one_id() -> None:
    sender = FakeEmailSender()
    first = sender.send(mail("k1"))
    assert sender.send(mail("k1")) == first
    second = sender.send(mail("k2"))
    assert (first, second) == ("fake-email-000001", "fake-email-000002")
    assert [m.idempotency_key for m in sender.sent] == ["k1", "k2"]


def test_messages_without_a_key_are_each_sent() -> None:
    sender = FakeSmsSender()
    sender.send(SmsMessage("+33612345678", "a"))
    sender.send(SmsMessage("+33612345678", "a"))
    assert len(sender.sent_to("+33612345678")) == 2
    assert sender.ids == ["fake-sms-000001", "fake-sms-000002"]


def test_fail_next_raises_unavailable_that_many_times_then_sends() -> None:
    sender = FakeEmailSender()
    sender.fail_next(2)
    for _ in range(2):
        with pytest.raises(ChannelUnavailable):
            sender.send(mail("k1"))
    assert sender.sent == []
    assert sender.send(mail("k1")) == "fake-email-000001"


def test_the_refuse_predicate_refuses_without_recording() -> None:
    sender = FakeEmailSender(refuse=lambda m: m.to.endswith("@bounce.example"))
    with pytest.raises(ChannelRefused) as refused:
        sender.send(mail("k1", to="gone@bounce.example"))
    assert "gone@bounce.example" not in str(refused.value)
    assert sender.sent == []
    sender.send(mail("k2"))
    assert len(sender.sent) == 1


def test_concurrent_sends_of_one_key_are_one_message() -> None:
    sender = FakeSmsSender()
    ids: list[str] = []
    barrier = threading.Barrier(8)

    def send() -> None:
        barrier.wait()
        ids.append(sender.send(SmsMessage("+33612345678", "t", idempotency_key="same")))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(ids) == {"fake-sms-000001"}
    assert len(sender.sent) == 1
