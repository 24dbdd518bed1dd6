"""Journeys through a ladder whose step has an e-mail and a letter: the e-mail goes with the
letter's PDF attached, sent by the letter worker once the letter is rendered, once however
often the worker runs, and not at all for a claim paid meanwhile. On the fakes, the claim
of tests/journeys/test_ladder.py (2,400.00 EUR due Monday 16 March 2026).

The fake e-mail sender keeps one message per idempotency key, as the outbox promises; SES
does not, so these tests count the sends themselves."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from adapters.clock import FrozenClock
from domain import services
from domain.debtors.model import ContactKind, DebtorKind, PostalAddress
from domain.escalation.policy import Channel, Step
from domain.escalation.tasks import TaskKind
from domain.letters.model import Letter, LetterKind
from domain.ports import PageRequest
from domain.ports.escalation import ChannelUnavailable, EmailMessage
from domain.ports.letters import RenderedLetter, RenderJob
from domain.services import amounts, escalation, letter_email, letters, policies, queries
from domain.services.caller import Caller
from tests.fakes import FakeWorld, fake_ports
from tests.journeys.test_ladder import CREDITOR, START, open_claim

EMAIL = "compta@boulangerie-martin.fr"
# D+1 = Tuesday 17 March: the letter's window and the e-mail's open at 09:00 in Paris.
STEP = Step("letter_and_email", 1, (Channel.LETTER, Channel.EMAIL),
            letter_kind=LetterKind.REMINDER_1, template="letter_sent")
STEP_AT = datetime(2026, 3, 17, 8, 0, tzinfo=UTC)


@pytest.fixture
def world() -> FakeWorld:
    return fake_ports(FrozenClock(START), escalation=True)


@pytest.fixture
def caller(world: FakeWorld) -> Caller:
    caller = Caller(services.create_creditor(CREDITOR, world.ports).id, "erp")
    policies.put_policy("with-letter", policies.PolicyDraft(steps=(STEP,), default=True),
                        None, caller, world.ports)
    return caller


@pytest.fixture
def sends(world: FakeWorld) -> list[EmailMessage]:
    """Every call to the sender, a repeated key included (the fake would hide it)."""
    calls: list[EmailMessage] = []
    send = world.email.send

    def counting(message: EmailMessage) -> str:
        calls.append(message)
        return str(send(message))

    world.email.send = counting
    return calls


def run_the_step(world: FakeWorld) -> escalation.StepRun:
    """Fire the claim's one wake-up at its instant, the letter worker not yet run."""
    (scheduled,) = world.scheduler.pending().values()
    world.clock.advance(scheduled.at - world.clock.now())
    for name in list(world.scheduler.pending()):
        world.scheduler.cancel(name)  # it fired, and deleted itself
    return escalation.run_step(scheduled.wakeup, world.ports, fired=True)


def timeline(world: FakeWorld, caller: Caller, claim_id: str) -> list[Any]:
    return list(queries.claim_events(claim_id, PageRequest(100), caller, world.ports).items)


def the_letter(world: FakeWorld, caller: Caller, claim_id: str) -> Letter:
    (letter,) = letters.list_letters(claim_id, caller, world.ports)
    return letter


def job_of(letter: Letter) -> RenderJob:
    return RenderJob(letter.creditor_id, letter.claim_id, letter.id)


def test_the_email_goes_with_the_rendered_letter_attached_then_the_letter_is_posted(
        world: FakeWorld, caller: Caller, sends: list[EmailMessage]) -> None:
    claim_id = open_claim(world, caller)
    run = run_the_step(world)
    assert world.clock.now() == STEP_AT
    letter = the_letter(world, caller, claim_id)
    # the step sent nothing itself: the e-mail waits for the letter's PDF
    assert (run.outcome, run.sent) == ("ran", (("letter", letter.id),
                                               ("email", f"with_letter:{letter.id}")))
    assert sends == [] and letter.email_on_ready is not None
    assert letter.email_on_ready.idempotency_key == f"{claim_id}:letter_and_email:email"

    world.run_letter_jobs()
    letter = the_letter(world, caller, claim_id)
    (message,) = sends
    assert message.to == EMAIL
    (attached,) = message.attachments
    stored, _ = world.documents.objects[letter.object_key or ""]
    assert hashlib.sha256(attached.body).hexdigest() == letter.sha256
    assert attached.body == stored
    assert (attached.filename, attached.content_type) == (f"relance-{claim_id}.pdf",
                                                          "application/pdf")
    assert "Vous trouverez notre courrier en pièce jointe" in message.text
    # today's figures (the indemnity and a day's interest on 2,400.00), as the letter's
    said = letters.get_letter(claim_id, letter.id, caller, world.ports).content
    assert said.amounts.total == Decimal("2440.80")
    assert "Montant dû\u00a0: 2\u202f440,80\u202f€" in message.text
    assert letter.email_on_ready is not None
    assert letter.email_on_ready.message_id == world.email.ids[0]
    assert letter.dispatch is not None and letter.dispatch.mode.value == "simple"

    entries = timeline(world, caller, claim_id)
    actions = [e.action for e in entries]
    assert actions.index("letter_rendered") < actions.index("letter_emailed") < (
        actions.index("letter_dispatched"))
    (ran,) = [e for e in entries if e.action == "step_ran"]
    assert ran.data["sent"] == f"letter:{letter.id},email:with_letter:{letter.id}"
    (emailed,) = [e for e in entries if e.action == "letter_emailed"]
    assert emailed.data == {"letter_id": letter.id, "step": "letter_and_email",
                            "message_id": world.email.ids[0],
                            "attachment_sha256": letter.sha256}
    # its words, as every message's (the letter itself is on the timeline by its id)
    (words,) = [e for e in entries if e.action == "message_sent"]
    assert words.data == {"step": "letter_and_email", "channel": "email",
                          "message_id": world.email.ids[0], "subject": message.subject,
                          "text": message.text}
    assert all("@" not in value for e in entries for value in e.data.values())


def test_the_worker_run_twice_sends_the_email_once(
        world: FakeWorld, caller: Caller, sends: list[EmailMessage]) -> None:
    claim_id = open_claim(world, caller)
    run_the_step(world)
    (job,) = world.queue.jobs
    world.run_letter_jobs()
    letters.render_letter(job, world.ports)  # SQS delivered the job again
    assert len(sends) == 1
    assert [e.action for e in timeline(world, caller, claim_id)].count("letter_emailed") == 1


def test_an_email_claimed_by_a_run_that_failed_is_sent_by_a_later_delivery_once(
        world: FakeWorld, caller: Caller, sends: list[EmailMessage]) -> None:
    claim_id = open_claim(world, caller)
    run_the_step(world)
    (job,) = world.queue.jobs
    world.email.fail_next()  # the first delivery claims the e-mail; SES is down
    with pytest.raises(ChannelUnavailable):
        world.run_letter_jobs()
    letter = the_letter(world, caller, claim_id)
    assert letter.status.value == "ready" and letter.dispatch is None  # the post waits
    assert letter.email_on_ready is not None and letter.email_on_ready.started_at
    world.clock.advance(timedelta(minutes=1))
    # a second delivery meanwhile: for all it knows the first is still sending
    with pytest.raises(letter_email.EmailUnderWay):
        letters.render_letter(job, world.ports)
    assert len(sends) == 1 and world.email.sent == []
    world.clock.advance(letter_email.EMAIL_STALE)  # SQS's next delivery: a dead run's claim
    letters.render_letter(job, world.ports)
    letters.render_letter(job, world.ports)  # and one more: done already
    assert len(sends) == 2 and len(world.email.sent) == 1
    letter = the_letter(world, caller, claim_id)
    assert letter.email_on_ready is not None
    assert letter.email_on_ready.message_id == world.email.ids[0]
    assert letter.dispatch is not None
    assert [e.action for e in timeline(world, caller, claim_id)].count("letter_emailed") == 1


def test_a_claim_paid_before_the_letter_is_rendered_gets_no_email(
        world: FakeWorld, caller: Caller, sends: list[EmailMessage]) -> None:
    claim_id = open_claim(world, caller)
    run_the_step(world)
    # in full: the invoice, the 40.00 indemnity and a day's interest
    amounts.record_payment(claim_id, amounts.PaymentDraft(
        amount="2440.80", received_on=date(2026, 3, 17)), caller, world.ports)
    assert services.get_claim(claim_id, caller, world.ports).outcome is not None
    # The e-mail is settled first, then the post: neither goes, each says why, and the
    # job is done (it no longer retries into its dead-letter queue).
    world.run_letter_jobs()
    assert sends == []
    letter = the_letter(world, caller, claim_id)
    assert letter.email_on_ready is not None
    assert letter.email_on_ready.skipped == "claim_paid"
    assert letter.dispatch is None and letter.dispatch_skipped == "claim_paid"
    (skipped,) = [e for e in timeline(world, caller, claim_id)
                  if e.action == "letter_email_skipped"]
    assert skipped.data == {"letter_id": letter.id, "step": "letter_and_email",
                            "cause": "claim_paid"}
    (post,) = [e for e in timeline(world, caller, claim_id)
               if e.action == "letter_dispatch_skipped"]
    assert post.data["cause"] == "claim_paid" and post.data["state"] == "closed (paid)"


def test_without_a_valid_email_the_letter_goes_by_post_and_a_person_checks_the_contact(
        world: FakeWorld, caller: Caller, sends: list[EmailMessage]) -> None:
    debtor = services.create_debtor(services.DebtorDraft(
        kind=DebtorKind.BUSINESS, name="Boulangerie Martin SAS", country="FR",
        contact_points=[services.ContactPointDraft(
            ContactKind.POSTAL_ADDRESS, address=PostalAddress(
                "Boulangerie Martin SAS", ("12 rue de la République",), "69002", "Lyon",
                "FR"))]), caller, world.ports)
    claim, _ = services.create_claim(services.ClaimDraft(
        debtor_id=debtor.id, currency="EUR", invoices=[services.InvoiceDraft(
            "F-1", date(2026, 2, 14), date(2026, 3, 16), "2400.00")]), caller, world.ports)
    run = run_the_step(world)
    letter = the_letter(world, caller, claim.id)
    assert run.sent == (("letter", letter.id),)
    assert run.skipped == (("email", "no_email"),)
    assert run.tasks == (TaskKind.VERIFY_CONTACT.value,)
    assert letter.email_on_ready is None
    world.run_letter_jobs()
    assert sends == []
    assert the_letter(world, caller, claim.id).dispatch is not None


def test_a_letter_too_large_to_attach_is_posted_and_its_email_skipped(
        world: FakeWorld, caller: Caller, sends: list[EmailMessage]) -> None:
    claim_id = open_claim(world, caller)
    run_the_step(world)
    huge = b"%PDF-" + b"0" * letter_email.MAX_ATTACHMENT_BYTES
    world.renderer.render = lambda content: RenderedLetter(huge, 1)
    world.run_letter_jobs()
    assert sends == []
    letter = the_letter(world, caller, claim_id)
    assert letter.size == len(huge) and letter.dispatch is not None
    assert letter.email_on_ready is not None
    assert letter.email_on_ready.skipped == "attachment_too_large"


def test_a_step_whose_letter_cannot_be_asked_for_sends_its_email_bare(
        world: FakeWorld, caller: Caller, sends: list[EmailMessage]) -> None:
    debtor = services.create_debtor(services.DebtorDraft(
        kind=DebtorKind.BUSINESS, name="Boulangerie Martin SAS", country="FR",
        contact_points=[services.ContactPointDraft(ContactKind.EMAIL, value=EMAIL)]),
        caller, world.ports)
    services.create_claim(services.ClaimDraft(
        debtor_id=debtor.id, currency="EUR", invoices=[services.InvoiceDraft(
            "F-1", date(2026, 2, 14), date(2026, 3, 16), "2400.00")]), caller, world.ports)
    run = run_the_step(world)
    assert run.skipped == (("letter", "no_postal_address"),)
    (message,) = sends
    assert run.sent == (("email", world.email.ids[0]),)
    assert message.attachments == () and "pièce jointe" not in message.text


def test_the_email_claim_goes_stale_after_the_worker_could_have_run() -> None:
    # The worker's function stops after 60 s; a failed job comes back after 360 s.
    assert timedelta(seconds=60) < letter_email.EMAIL_STALE < timedelta(seconds=360)


def test_ses_sends_the_letter_the_worker_attached_as_it_was_stored(
        world: FakeWorld, caller: Caller, sends: list[EmailMessage]) -> None:
    """The worker's message through the SES v2 adapter, on moto: SendEmail carries the
    stored PDF, byte for byte, as a PDF attachment (moto keeps no attachment: the
    parameters are read on the wire, as tests/messaging/test_ses.py does)."""
    import boto3
    from moto import mock_aws

    from adapters.messaging.ses import SesEmailSender
    from tests.messaging.test_ses import REGION, Wire

    claim_id = open_claim(world, caller)
    run_the_step(world)
    world.run_letter_jobs()
    (message,) = sends
    letter = the_letter(world, caller, claim_id)
    with mock_aws():
        client = boto3.client("sesv2", region_name=REGION)
        client.create_email_identity(EmailIdentity="relance.example")
        client.create_configuration_set(ConfigurationSetName="relance-messages")
        wire = Wire(client)
        SesEmailSender(client, "relances@relance.example", "relance-messages").send(message)
    (params,) = wire.calls
    (attachment,) = params["Content"]["Simple"]["Attachments"]
    assert hashlib.sha256(attachment["RawContent"]).hexdigest() == letter.sha256
    assert (attachment["FileName"], attachment["ContentType"],
            attachment["ContentDisposition"]) == (f"relance-{claim_id}.pdf", "application/pdf",
                                                  "ATTACHMENT")
    assert params["Destination"] == {"ToAddresses": [EMAIL]}
