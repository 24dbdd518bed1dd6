"""The fake postal provider: a job moves on with the clock, sends are idempotent, returns
and proofs arrive when due, webhooks authenticate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.clock import FrozenClock
from adapters.postal._common import tiny_pdf
from adapters.postal.fake import SECRET_HEADER, FakeDelays, FakePostalProvider
from domain.letters.content import Party
from domain.letters.model import DispatchMode, DispatchStatus, ProofKind, ReturnReason
from domain.ports.letters import PostalJob, PostalRefused, PostalUnavailable, WebhookRejected

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SENDER = Party("Atelier Martin SAS", ("4 RUE DU PORT", "44000 NANTES"), "552100554")
RECIPIENT = Party("Durand Plomberie", ("DURAND PLOMBERIE", "12 RUE DE LA PAIX", "75002 PARIS"),
                  "732829320")
S = DispatchStatus


def job(mode: DispatchMode = DispatchMode.REGISTERED_AR, key: str = "letter-1:dispatch-1",
        recipient: Party = RECIPIENT, email: str | None = None) -> PostalJob:
    return PostalJob(idempotency_key=key, mode=mode, pdf=tiny_pdf("a formal notice"),
                     sender=SENDER, recipient=recipient, letter_id="letter-1",
                     recipient_email=email)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(T0)


@pytest.fixture
def provider(clock: FrozenClock) -> FakePostalProvider:
    return FakePostalProvider(clock, webhook_secret="s3cret")


def statuses(provider: FakePostalProvider, provider_id: str) -> list[DispatchStatus]:
    return [u.event.status for u in provider.updates(provider_id)]


def test_a_registered_ar_letter_moves_on_with_the_clock(provider, clock):
    receipt = provider.send(job())
    assert receipt.accepted_at == T0
    assert statuses(provider, receipt.provider_id) == [S.ACCEPTED]

    clock.advance(timedelta(minutes=59))
    assert statuses(provider, receipt.provider_id) == [S.ACCEPTED]
    clock.advance(timedelta(minutes=1))
    assert statuses(provider, receipt.provider_id) == [S.ACCEPTED, S.PRINTED]

    clock.at = T0 + timedelta(days=1)
    updates = provider.updates(receipt.provider_id)
    assert [u.event.status for u in updates] == [S.ACCEPTED, S.PRINTED, S.POSTED]
    posted = updates[2]
    assert posted.event.at == T0 + timedelta(days=1)
    assert posted.proof is not None and posted.proof.kind is ProofKind.DEPOSIT
    assert posted.proof.body.startswith(b"%PDF-1.4") and posted.proof.body.endswith(b"%%EOF\n")
    assert posted.proof.content_type == "application/pdf"

    clock.at = T0 + timedelta(days=3)
    delivered = provider.updates(receipt.provider_id)[-1]
    assert delivered.event.status is S.DELIVERED
    assert delivered.event.at == T0 + timedelta(days=3)
    assert delivered.proof is not None and delivered.proof.kind is ProofKind.ACKNOWLEDGEMENT
    assert [u.proof is None for u in provider.updates(receipt.provider_id)] == [
        True, True, False, False]


def test_three_sends_of_one_key_print_once(provider, clock):
    first = provider.send(job())
    clock.advance(timedelta(hours=5))
    second = provider.send(job())
    third = provider.send(job())
    assert first.provider_id == second.provider_id == third.provider_id
    # The receipt is the first job's: acceptance did not move with the resends.
    assert third.accepted_at == T0
    assert provider.prints == 1
    other = provider.send(job(key="letter-2:dispatch-1"))
    assert other.provider_id != first.provider_id
    assert provider.prints == 2


def test_a_lost_answer_then_a_retry_prints_once(provider):
    provider.fail_next_sends(after_accepting=True)
    with pytest.raises(PostalUnavailable):
        provider.send(job())
    assert provider.prints == 1
    receipt = provider.send(job())
    assert provider.prints == 1
    assert statuses(provider, receipt.provider_id) == [S.ACCEPTED]


def test_an_outage_takes_no_job(provider):
    provider.fail_next_sends(2)
    for _ in range(2):
        with pytest.raises(PostalUnavailable):
            provider.send(job())
    assert provider.prints == 0
    provider.send(job())
    assert provider.prints == 1


def test_an_unknown_addressee_comes_back_npai_with_a_return_proof(provider, clock):
    unknown = Party("Durand Plomberie", ("DURAND PLOMBERIE", "12 RUE DE LA PAIX",
                                         "destinataire inconnu", "75002 PARIS"))
    receipt = provider.send(job(recipient=unknown))
    clock.at = T0 + timedelta(days=3)
    updates = provider.updates(receipt.provider_id)
    assert [u.event.status for u in updates] == [S.ACCEPTED, S.PRINTED, S.POSTED, S.RETURNED]
    returned = updates[-1]
    assert returned.event.return_reason is ReturnReason.NPAI
    assert returned.event.at == T0 + timedelta(days=3)
    assert returned.proof is not None and returned.proof.kind is ProofKind.RETURN
    assert returned.proof.body.startswith(b"%PDF-")


def test_the_outcome_is_injected(clock):
    provider = FakePostalProvider(clock, outcome=lambda _job: ReturnReason.UNCLAIMED)
    receipt = provider.send(job(mode=DispatchMode.REGISTERED))
    clock.at = T0 + timedelta(days=15)
    assert statuses(provider, receipt.provider_id) == [S.ACCEPTED, S.PRINTED, S.POSTED]
    clock.at = T0 + timedelta(days=16)
    last = provider.updates(receipt.provider_id)[-1]
    assert (last.event.status, last.event.return_reason) == (S.RETURNED, ReturnReason.UNCLAIMED)


def test_a_simple_letter_has_no_proof_and_is_presumed_delivered(provider, clock):
    receipt = provider.send(job(mode=DispatchMode.SIMPLE))
    clock.at = T0 + timedelta(days=3)
    updates = provider.updates(receipt.provider_id)
    assert [u.event.status for u in updates] == [S.ACCEPTED, S.PRINTED, S.POSTED, S.DELIVERED]
    assert all(u.proof is None for u in updates)
    assert updates[-1].event.detail == "presumed (no tracking)"


def test_a_registered_letter_without_ar_is_delivered_without_acknowledgement(provider, clock):
    receipt = provider.send(job(mode=DispatchMode.REGISTERED))
    clock.at = T0 + timedelta(days=3)
    updates = provider.updates(receipt.provider_id)
    assert [u.proof.kind if u.proof else None for u in updates] == [
        None, None, ProofKind.DEPOSIT, None]
    assert updates[-1].event.detail is None


def test_an_electronic_letter_is_deposited_at_once_and_refusal_comes_back(clock):
    provider = FakePostalProvider(clock, outcome=lambda _job: ReturnReason.REFUSED)
    receipt = provider.send(job(mode=DispatchMode.ELECTRONIC_REGISTERED,
                                email="compta@example.org"))
    updates = provider.updates(receipt.provider_id)
    assert [u.event.status for u in updates] == [S.ACCEPTED, S.POSTED]
    assert updates[1].proof is not None and updates[1].proof.kind is ProofKind.DEPOSIT
    clock.at = T0 + timedelta(days=3)
    last = provider.updates(receipt.provider_id)[-1]
    assert (last.event.status, last.event.return_reason) == (S.RETURNED, ReturnReason.REFUSED)
    assert last.proof is not None and last.proof.kind is ProofKind.RETURN
    assert provider.prints == 0  # nothing went to the printer


def test_an_electronic_letter_accepted_by_the_recipient(provider, clock):
    receipt = provider.send(job(mode=DispatchMode.ELECTRONIC_REGISTERED,
                                email="compta@example.org"))
    clock.at = T0 + timedelta(days=3)
    last = provider.updates(receipt.provider_id)[-1]
    assert last.event.status is S.DELIVERED
    assert last.proof is not None and last.proof.kind is ProofKind.ACKNOWLEDGEMENT


def test_an_electronic_letter_unclaimed_after_fifteen_days(clock):
    provider = FakePostalProvider(clock, outcome=lambda _job: ReturnReason.UNCLAIMED)
    receipt = provider.send(job(mode=DispatchMode.ELECTRONIC_REGISTERED,
                                email="compta@example.org"))
    clock.at = T0 + timedelta(days=15, hours=23)
    assert statuses(provider, receipt.provider_id) == [S.ACCEPTED, S.POSTED]
    clock.at = T0 + timedelta(days=16)
    assert provider.updates(receipt.provider_id)[-1].event.return_reason is \
        ReturnReason.UNCLAIMED


def test_event_ids_and_proofs_are_stable(provider, clock):
    receipt = provider.send(job())
    clock.at = T0 + timedelta(days=3)
    first = provider.updates(receipt.provider_id)
    clock.at = T0 + timedelta(days=30)
    second = provider.updates(receipt.provider_id)
    assert first == second
    ids = [u.event.provider_event_id for u in first]
    assert len(set(ids)) == 4
    other = provider.send(job(key="letter-2:dispatch-1"))
    assert not set(ids) & {u.event.provider_event_id for u in provider.updates(other.provider_id)}


def test_immediate_delays_run_every_step_at_acceptance(clock):
    provider = FakePostalProvider(clock, delays=FakeDelays.immediate())
    receipt = provider.send(job())
    updates = provider.updates(receipt.provider_id)
    assert [u.event.status for u in updates] == [S.ACCEPTED, S.PRINTED, S.POSTED, S.DELIVERED]
    assert {u.event.at for u in updates} == {T0}


def test_delays_out_of_order_are_refused():
    with pytest.raises(ValueError):
        FakeDelays(printed=timedelta(days=2), posted=timedelta(days=1))


def test_a_job_the_fake_never_took_has_no_updates(provider):
    assert provider.updates("fake-unknown") == []


def test_what_no_provider_would_take_is_refused(provider):
    bad_pdf = PostalJob("k", DispatchMode.SIMPLE, b"<html>", SENDER, RECIPIENT, "letter-1")
    with pytest.raises(PostalRefused):
        provider.send(bad_pdf)
    with pytest.raises(PostalRefused, match="e-mail"):
        provider.send(job(mode=DispatchMode.ELECTRONIC_REGISTERED))
    assert provider.prints == 0


def test_the_webhook_carries_what_updates_returns(provider, clock):
    receipt = provider.send(job())
    clock.at = T0 + timedelta(days=3)
    headers, body = provider.webhook_payload(receipt.provider_id)
    assert provider.parse_webhook(headers, body) == provider.updates(receipt.provider_id)


def test_the_webhook_secret_header_name_ignores_case(provider):
    receipt = provider.send(job())
    _, body = provider.webhook_payload(receipt.provider_id)
    parsed = provider.parse_webhook({SECRET_HEADER.lower(): "s3cret"}, body)
    assert [u.event.status for u in parsed] == [S.ACCEPTED]


@pytest.mark.parametrize("headers", [{}, {SECRET_HEADER: "s3cret "}, {SECRET_HEADER: "S3CRET"},
                                     {SECRET_HEADER: ""}])
def test_a_webhook_without_the_secret_is_rejected(provider, headers):
    receipt = provider.send(job())
    _, body = provider.webhook_payload(receipt.provider_id)
    with pytest.raises(WebhookRejected):
        provider.parse_webhook(headers, body)


@pytest.mark.parametrize("body", [b"", b"not json", b'{"provider_id": "x"}',
                                  b'{"provider_id": "x", "events": [{"status": "lost"}]}',
                                  b'{"provider_id": "x", "events": [{"status": "posted", '
                                  b'"at": "2026-03-02T09:00:00", "provider_event_id": "e"}]}'])
def test_an_unreadable_webhook_is_rejected(provider, body):
    with pytest.raises(WebhookRejected):
        provider.parse_webhook({SECRET_HEADER: "s3cret"}, body)
