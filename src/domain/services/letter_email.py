"""The ladder's e-mail that carries a step's letter as a PDF (a step with an e-mail and a
letter channel: "e-mail through SES v2, the letter PDF attached when the step has one").

The letter renders in the letter worker, after the step's run, so the step asks for the
letter with the e-mail to send (`Letter.email_on_ready`, services.escalation._effects) and
the worker sends it once the PDF is stored, before posting the letter
(services.letters._post_if_asked). The ledger is settled again right before: a claim paid
or closed meanwhile gets no e-mail, and its timeline says so.

Once, however often the render job is delivered. A worker first claims the e-mail on the
letter's record (a conditional write: of two deliveries at once one wins; the other raises
EmailUnderWay, retryable, so its job comes back later and finds the e-mail recorded), then
sends, then records the provider's id. SES has no idempotency key of its own, so:
- a worker that dies between its claim and the send leaves a claim that goes stale after
  EMAIL_STALE; the job's next delivery sends the e-mail, once;
- a worker that dies between the send and the record: the next delivery finds the claim
  stale and sends again, so the debtor may receive the e-mail twice (with the same key as
  its tag, which the delivery events carry). Recording before sending would lose the e-mail
  for good on the same crash instead; a repeated reminder is the lesser harm, as for a
  step's run (services.escalation.RUNNING_STALE).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import timedelta

from domain.claims import events, lifecycle
from domain.claims.model import Claim, Outcome
from domain.letters.model import Letter, LetterKind
from domain.ports.escalation import Attachment, ChannelRefused, EmailMessage
from domain.ports.letters import StorageFailed
from domain.ports.unit_of_work import UnitOfWork
from domain.services.amounts import Change, _load, _save, _settle, stage_change
from domain.services.caller import Caller, Ports
from domain.shared.errors import ActionNotAllowed, Unavailable
from domain.shared.language import Language
from domain.shared.retry import retry_on_stale

# SES v2 takes 40 MB a message, attachments base64-encoded included; a letter weighs about
# 25 KB, so anything near this is a rendering gone wrong, not a letter to e-mail.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# The letter worker times out after 60 s and a failed job comes back after 360 s (the
# queue's visibility timeout, template.yaml): a claim older than 3 minutes is a dead run's.
EMAIL_STALE = timedelta(minutes=3)

# What the attached file is called, in the letter's language (the debtor sees the name).
_FILE_NAMES = {
    Language.FR: {LetterKind.REMINDER_1: "relance", LetterKind.REMINDER_2: "relance",
                  LetterKind.FORMAL_NOTICE: "mise-en-demeure",
                  LetterKind.PAYMENT_PLAN_AGREEMENT: "echeancier"},
    Language.EN: {LetterKind.REMINDER_1: "reminder", LetterKind.REMINDER_2: "reminder",
                  LetterKind.FORMAL_NOTICE: "formal-notice",
                  LetterKind.PAYMENT_PLAN_AGREEMENT: "payment-plan"},
}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class EmailUnderWay(Unavailable):
    """Another delivery of the render job claimed the letter's e-mail moments ago: this one
    is retried later, and finds it sent (or the claim gone stale, and sends it)."""


def attachment_name(letter: Letter, claim: Claim) -> str:
    """`relance-FAC-2026-001.pdf`: the letter's kind and the claim's reference (the
    creditor's, else the claim's id), reduced to characters every mail client keeps."""
    reference = _UNSAFE.sub("-", claim.external_reference or claim.id).strip("-.")[:60]
    return f"{_FILE_NAMES[letter.language][letter.kind]}-{reference or claim.id}.pdf"


@dataclass(frozen=True, slots=True)
class _Send:
    letter: Letter
    message: EmailMessage


def email_letter(letter: Letter, ports: Ports) -> Letter:
    """Send the e-mail the ladder asked to carry `letter` (rendered and stored), once, and
    record it on the claim's timeline: `letter_emailed`, or `letter_email_skipped` with its
    cause (claim_paid, not_allowed, no_debtor, no_email, refused, attachment_too_large).

    Raises EmailUnderWay or ChannelUnavailable (retryable: the job is delivered again),
    StorageFailed (the stored PDF is not the one recorded: never sent)."""
    claimed = _claim(letter, ports)
    if isinstance(claimed, Letter):
        return claimed
    assert ports.email is not None  # checked by the claim
    try:
        message_id = ports.email.send(claimed.message)
    except ChannelRefused:
        return _record(claimed.letter, ports, skipped="refused")
    return _record(claimed.letter, ports, message_id=message_id, sent=claimed.message)


@retry_on_stale
def _claim(letter: Letter, ports: Ports) -> _Send | Letter:
    from domain.escalation.messages import compose
    from domain.services.escalation import _usable_email, message_facts
    from domain.services.letters import _letter

    caller = Caller(letter.creditor_id, "letter-worker")
    with ports.unit_of_work() as uow:
        change = _load(uow, ports, caller, letter.claim_id)
        letter, _ = _letter(uow, letter.creditor_id, letter.claim_id, letter.id)
        ask = letter.email_on_ready
        if ask is None or ask.done:
            return letter
        now = ports.clock.now()
        if ask.started_at is not None and now - ask.started_at < EMAIL_STALE:
            raise EmailUnderWay(f"letter {letter.id}'s e-mail is being sent by another run")
        _settle(change, ports)  # the ledger right before the e-mail goes
        claim = change.claim
        debtor, creditor = uow.debtors.get_debtor_with_creditor(letter.creditor_id,
                                                                claim.debtor_id)
        to = None if debtor is None else _usable_email(debtor, ports)
        cause = _skip_cause(claim, letter)
        if cause is None and (debtor is None or creditor is None):
            cause = "no_debtor"
        if cause is None and to is None:
            cause = "no_email"
        if cause is not None or debtor is None or creditor is None or to is None:
            outcome = _stage_outcome(uow, change, letter, skipped=cause or "no_email")
            _save(uow, change, ports)
            return outcome
        expected = letter.version
        letter = replace(letter, email_on_ready=replace(ask, started_at=now), updated_at=now,
                         version=letter.version + 1)
        uow.letters.save_letter(letter, expected)
        if change.entries:  # settling found something (a promise broken): keep it
            stage_change(uow, change, ports)
        uow.commit()
    pdf = _attachment(letter, ports)
    composed = compose(ask.template, letter.language,
                       message_facts(claim, change.account, change.today, debtor, creditor,
                                     ports), attached=True)
    return _Send(letter, EmailMessage(
        to=to, subject=composed.subject, text=composed.text,
        idempotency_key=ask.idempotency_key, creditor_id=letter.creditor_id,
        claim_id=letter.claim_id,
        attachments=(Attachment(attachment_name(letter, claim), "application/pdf", pdf),)))


def _skip_cause(claim: Claim, letter: Letter) -> str | None:
    try:
        lifecycle.ensure_allowed(claim, "send_letter")
    except ActionNotAllowed:
        return "claim_paid" if claim.outcome is Outcome.PAID else "not_allowed"
    # The recorded size is the stored object's, whose bytes are checked against the
    # recorded SHA-256 before they are attached.
    if letter.size is not None and letter.size > MAX_ATTACHMENT_BYTES:
        return "attachment_too_large"
    return None


def _attachment(letter: Letter, ports: Ports) -> bytes:
    if ports.documents is None or letter.object_key is None:
        raise StorageFailed(f"letter {letter.id} has no stored PDF to attach")
    pdf = ports.documents.read(letter.object_key)
    if hashlib.sha256(pdf).hexdigest() != letter.sha256:
        # What would be attached is not what was recorded: never send it.
        raise StorageFailed(f"letter {letter.id}'s stored bytes do not match its SHA-256")
    return pdf


@retry_on_stale
def _record(letter: Letter, ports: Ports, *, message_id: str | None = None,
            skipped: str | None = None, sent: EmailMessage | None = None) -> Letter:
    from domain.services.letters import _letter

    with ports.unit_of_work() as uow:
        change = _load(uow, ports, Caller(letter.creditor_id, "letter-worker"),
                       letter.claim_id)
        letter, _ = _letter(uow, letter.creditor_id, letter.claim_id, letter.id)
        if letter.email_on_ready is None or letter.email_on_ready.done:
            return letter  # a run the claim had given up for dead recorded it first
        outcome = _stage_outcome(uow, change, letter, message_id=message_id, skipped=skipped)
        if sent is not None and message_id is not None:  # its words, as every message's
            change.record(events.MessageSent(step=letter.step_key or "", channel="email",
                                             message_id=message_id, subject=sent.subject,
                                             text=sent.text))
        _save(uow, change)
    return outcome


def _stage_outcome(uow: UnitOfWork, change: Change, letter: Letter, *,
                   message_id: str | None = None, skipped: str | None = None) -> Letter:
    """Stage the letter with what came of its e-mail, and the timeline entry that says it."""
    assert letter.email_on_ready is not None
    now = change.claim.updated_at
    expected = letter.version
    letter = replace(letter, email_on_ready=replace(
        letter.email_on_ready, message_id=message_id, skipped=skipped), updated_at=now,
        version=letter.version + 1)
    uow.letters.save_letter(letter, expected)
    if message_id is not None:
        change.record(events.LetterEmailed(letter_id=letter.id, step=letter.step_key,
                                           message_id=message_id,
                                           attachment_sha256=letter.sha256 or ""))
    else:
        change.record(events.LetterEmailSkipped(letter_id=letter.id, step=letter.step_key,
                                                cause=skipped or "unknown"))
    return letter
