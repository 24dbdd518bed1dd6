"""Use cases on letters: request one (its content fixed and checked then), render it (the
letter worker), read it, post it, and follow the post (webhooks and the poller).

Every step is an event on the claim's timeline, written in the same atomic write as the
letter's record. Effects that cannot join that write happen around it, each safe to
repeat: the render job is queued after the commit (a lost message leaves the letter
`rendering`, which `rerender_letter` queues again); the PDF is stored before its record,
at a key that takes one object only; the provider is asked to print with an idempotency
key before the dispatch is recorded, so a retry after a failed commit prints nothing twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TYPE_CHECKING, TypeVar

from domain.claims import events, lifecycle
from domain.claims.model import Outcome, Phase
from domain.debtors.model import ContactKind, ContactValidation, Debtor, DebtorKind
from domain.letters.content import LetterContent, LetterRequest, MandateMentions, compose
from domain.letters.model import (
    DISPATCH_ORDER,
    FINAL_DISPATCH_STATUSES,
    Dispatch,
    DispatchMode,
    DispatchStatus,
    Letter,
    LetterEmail,
    LetterKind,
    LetterStatus,
    Proof,
    ReturnReason,
)
from domain.letters.references import parse_payment_reference
from domain.ports.letters import (
    AlreadyStored,
    DispatchRef,
    PostalAlreadyAccepted,
    PostalJob,
    PostalRefused,
    PostalUnavailable,
    PostalUpdate,
    RenderJob,
    StorageFailed,
    StoredObject,
)
from domain.ports.unit_of_work import UnitOfWork
from domain.services.amounts import Change, _load, _save, _settle, apply_formal_notice
from domain.services.caller import Caller, Ports
from domain.shared.errors import (
    ActionNotAllowed,
    Conflict,
    DomainError,
    DomainValidationError,
    NotFound,
    NotReady,
)
from domain.shared.ids import new_id
from domain.shared.language import Language
from domain.shared.retry import retry_on_stale

if TYPE_CHECKING:
    from domain.judicial.handoff import Mandate

# A presigned link to a letter is valid this long: enough to open it, too short to share.
DOWNLOAD_URL_SECONDS = 300
# A letter still `rendering` after this long lost its job (a message that never came): it
# may be queued again.
RENDER_STALE_AFTER = timedelta(minutes=10)


class PortMissing(DomainError):
    """The function was built without a port this use case needs (a wiring error)."""


def not_ready(letter: Letter, doing: str) -> NotReady:
    return NotReady(f"letter {letter.id} is {letter.status.value}: it cannot be {doing} "
                    "until it is ready" + (f" ({letter.failure})" if letter.failure else ""),
                    status=letter.status.value)


T = TypeVar("T")


def _need(port: T | None, what: str) -> T:
    if port is None:
        raise PortMissing(f"this function has no {what}")
    return port


def letter_key(letter: Letter) -> str:
    """Scoped by creditor, claim and letter: a key names whose letter it is."""
    return f"letters/{letter.creditor_id}/{letter.claim_id}/{letter.id}.pdf"


def proof_key(ref: DispatchRef, provider_event_id: str, content_type: str) -> str:
    """Beside the letter it proves, named by the provider's event (one object per event)."""
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
        content_type, "bin")
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in provider_event_id)
    return f"letters/{ref.creditor_id}/{ref.claim_id}/{ref.letter_id}/proofs/{safe}.{extension}"


# ---------------------------------------------------------------------------- request

@dataclass(frozen=True, slots=True)
class LetterDraft:
    kind: LetterKind
    language: Language | None = None
    # Prescribed invoices a person confirms may still be claimed (the debtor acknowledged
    # the debt in a way Relance does not know of): they appear, marked as such.
    confirm_prescribed: tuple[str, ...] = ()
    contact_point_id: str | None = None
    # The ladder's: the step asking for it, how to post it as soon as it is rendered, and
    # the e-mail that carries it then (services.letter_email).
    step_key: str | None = None
    dispatch_on_ready: DispatchMode | None = None
    email_on_ready: LetterEmail | None = None


@retry_on_stale
def request_letter(claim_id: str, draft: LetterDraft, caller: Caller, ports: Ports) -> Letter:
    """Fix a letter's content from today's statement and queue it for rendering.

    Raises
    ------
    NotFound
        No such claim for this creditor.
    ActionNotAllowed
        The claim is closed, disputed or under collective proceedings.
    DomainValidationError
        The law or the data forbid this letter (domain.letters.content.compose).
    """
    queue = _need(ports.letter_queue, "letter queue")
    with ports.unit_of_work() as uow:
        change = _load(uow, ports, caller, claim_id)
        claim = change.claim
        lifecycle.ensure_allowed(claim, "send_letter")
        debtor, creditor = uow.debtors.get_debtor_with_creditor(caller.creditor_id,
                                                                claim.debtor_id)
        if debtor is None or creditor is None:
            raise NotFound("debtor", claim.debtor_id)
        _settle(change, ports)
        assert change.statement is not None
        letter_id = new_id("ltr")
        mandate, mentions = _mandate_mentions(uow, caller, claim.id)
        content = compose(
            LetterRequest(draft.kind, letter_id, change.today, draft.language,
                          tuple(draft.confirm_prescribed), draft.contact_point_id),
            claim, change.account, change.statement, creditor, debtor,
            uow.letters.list_letters(caller.creditor_id, claim_id), ports.address_frame,
            mentions)
        now = claim.updated_at
        if mandate is not None and mentions is not None and mentions.first_letter_id is None:
            # R124-4: the recipient's later letters recall this one, its reference and date.
            uow.mandates.save_mandate(mandate.with_first_letter(claim.id, letter_id,
                                                                change.today, now),
                                      mandate.version)
        letter = Letter(
            id=letter_id, creditor_id=caller.creditor_id, claim_id=claim.id, kind=draft.kind,
            language=content.language, status=LetterStatus.RENDERING, requested_at=now,
            updated_at=now, requested_by=caller.actor, issued_on=change.today,
            deadline=content.deadline, payment_reference=content.transfer.reference,
            confirmed_prescribed=tuple(i.number for i in content.invoices
                                       if i.prescribed_confirmed),
            step_key=draft.step_key, dispatch_on_ready=draft.dispatch_on_ready,
            email_on_ready=draft.email_on_ready)
        uow.letters.add_letter(letter, content)
        uow.letters.add_reference(caller.creditor_id, content.transfer.reference, claim.id)
        change.record(events.LetterRequested(
            letter_id=letter.id, kind=letter.kind.value, language=letter.language.value,
            issued_on=letter.issued_on, total=content.amounts.total,
            invoices=tuple(i.number for i in content.invoices), deadline=letter.deadline,
            payment_reference=content.transfer.reference,
            confirmed_prescribed=letter.confirmed_prescribed or None))
        job = RenderJob(caller.creditor_id, claim.id, letter.id)
        uow.after_commit(lambda: queue.enqueue(job))
        _save(uow, change)
    return letter


def _mandate_mentions(uow: UnitOfWork, caller: Caller,
                      claim_id: str) -> tuple[Mandate | None, MandateMentions | None]:
    """A letter a mandate's recipient requests carries the R124-4 mentions (one block:
    domain.judicial.handoff.letter_mentions); the creditor's own letters do not."""
    if caller.mandate_id is None:
        return None, None
    from domain.judicial.handoff import letter_mentions

    mandate = uow.mandates.get_mandate(caller.creditor_id, caller.mandate_id)
    if mandate is None or not mandate.covers(claim_id):
        raise NotFound("claim", claim_id)
    return mandate, letter_mentions(mandate, claim_id)


@retry_on_stale
def rerender_letter(claim_id: str, letter_id: str, caller: Caller, ports: Ports) -> Letter:
    """Queue a failed letter again (or one whose job was lost). A ready letter is left as
    it is: its bytes are the evidence."""
    queue = _need(ports.letter_queue, "letter queue")
    with ports.unit_of_work() as uow:
        letter, _ = _letter(uow, caller.creditor_id, claim_id, letter_id)
        now = ports.clock.now()
        lost = (letter.status is LetterStatus.RENDERING
                and now - letter.updated_at > RENDER_STALE_AFTER)
        if letter.status is LetterStatus.READY or (
                letter.status is LetterStatus.RENDERING and not lost):
            return letter
        expected = letter.version
        letter = replace(letter, status=LetterStatus.RENDERING, failure=None,
                         updated_at=now, version=letter.version + 1)
        uow.letters.save_letter(letter, expected)
        job = RenderJob(caller.creditor_id, claim_id, letter_id)
        uow.after_commit(lambda: queue.enqueue(job))
        uow.commit()
    return letter


def _letter(uow: UnitOfWork, creditor_id: str, claim_id: str,
            letter_id: str) -> tuple[Letter, LetterContent]:
    found = uow.letters.get_letter(creditor_id, claim_id, letter_id)
    if found is None:
        raise NotFound("letter", letter_id)
    return found


# ---------------------------------------------------------------------------- render

def render_letter(job: RenderJob, ports: Ports) -> Letter:
    """The letter worker's use case: render, store, record. Safe to run twice at once or
    after a crash: a ready letter is left alone, and a second render finds its object
    already stored and records that one (the same content gives the same bytes).

    Raises
    ------
    StorageFailed
        The PDF could not be stored: the letter is recorded `failed` (and may be queued
        again), nothing else is.
    """
    renderer = _need(ports.renderer, "letter renderer")()
    documents = _need(ports.documents, "document store")
    letter, content = _letter(ports.unit_of_work(), job.creditor_id, job.claim_id,
                              job.letter_id)
    if letter.status is LetterStatus.READY:
        return _post_if_asked(letter, ports)
    try:
        rendered = renderer.render(content)
    except Exception as exc:
        # A template or engine error will not mend itself on a retry of the same content:
        # recorded as failed with its type (never the message: it may quote a name).
        _record_failure(job, f"render_error: {type(exc).__name__}", ports)
        raise
    metadata = {"pages": str(rendered.pages), "renderer": renderer.version,
                "letter": letter.id, "kind": letter.kind.value}
    try:
        stored = documents.put_once(letter_key(letter), rendered.pdf, "application/pdf",
                                    metadata)
    except AlreadyStored as exc:  # an earlier run stored it and stopped before recording
        stored = exc.existing
    except StorageFailed as exc:
        _record_failure(job, f"storage_failed: {exc}", ports)
        raise
    pages = int(stored.metadata.get("pages", rendered.pages))
    version = stored.metadata.get("renderer", renderer.version)
    return _post_if_asked(_record_ready(job, stored, pages, version, ports), ports)


def _post_if_asked(letter: Letter, ports: Ports) -> Letter:
    """A letter the ladder asked for goes to the post once rendered, after the e-mail that
    carries it, when the step has one (so a post refused for good never holds the e-mail
    back). A provider that is down raises Unavailable: the worker's queue delivers the job
    again, which finds the letter ready and posts it then (the letter's id keeps the post
    from printing twice), its e-mail already recorded as sent."""
    if letter.email_on_ready is not None and not letter.email_on_ready.done:
        from domain.services.letter_email import email_letter

        letter = email_letter(letter, ports)
    if (letter.dispatch_on_ready is None or letter.dispatch is not None
            or letter.dispatch_skipped is not None):
        return letter
    try:
        return dispatch_letter(letter.claim_id, letter.id, letter.dispatch_on_ready,
                               Caller(letter.creditor_id, "ladder"), ports)
    except ActionNotAllowed:
        # The claim was paid, closed, disputed or held for proceedings before the letter
        # was ready, and nothing was posted (dispatch_letter checks before the provider):
        # a retry would find the same claim, so the job is settled here, not redelivered
        # into the dead-letter queue.
        return _record_dispatch_skipped(letter, ports)


@retry_on_stale
def _record_dispatch_skipped(letter: Letter, ports: Ports) -> Letter:
    with ports.unit_of_work() as uow:
        change = _load(uow, ports, Caller(letter.creditor_id, "letter-worker"),
                       letter.claim_id)
        letter, _ = _letter(uow, letter.creditor_id, letter.claim_id, letter.id)
        if letter.dispatch is not None or letter.dispatch_skipped is not None:
            return letter  # another delivery of the job settled it first
        claim = change.claim
        cause = ("claim_paid" if claim.outcome is Outcome.PAID else
                 "claim_closed" if claim.phase is Phase.CLOSED else "not_allowed")
        expected = letter.version
        letter = replace(letter, dispatch_skipped=cause, updated_at=claim.updated_at,
                         version=letter.version + 1)
        uow.letters.save_letter(letter, expected)
        assert letter.dispatch_on_ready is not None  # _post_if_asked
        change.record(events.LetterDispatchSkipped(
            letter_id=letter.id, step=letter.step_key, mode=letter.dispatch_on_ready.value,
            cause=cause, state=lifecycle.describe_state(claim)))
        _save(uow, change)
    return letter


@retry_on_stale
def _record_ready(job: RenderJob, stored: StoredObject, pages: int, renderer_version: str,
                  ports: Ports) -> Letter:
    with ports.unit_of_work() as uow:
        change = _load(uow, ports, Caller(job.creditor_id, "letter-worker"), job.claim_id)
        letter, _ = _letter(uow, job.creditor_id, job.claim_id, job.letter_id)
        if letter.status is LetterStatus.READY:
            return letter
        expected = letter.version
        letter = replace(letter, status=LetterStatus.READY, failure=None,
                         object_key=stored.key, size=stored.size, pages=pages,
                         sha256=stored.sha256, renderer_version=renderer_version,
                         render_attempts=letter.render_attempts + 1,
                         updated_at=change.claim.updated_at, version=letter.version + 1)
        uow.letters.save_letter(letter, expected)
        change.record(events.LetterRendered(letter_id=letter.id, sha256=stored.sha256,
                                            size=stored.size, pages=pages,
                                            renderer_version=renderer_version))
        _save(uow, change)
    return letter


@retry_on_stale
def _record_failure(job: RenderJob, reason: str, ports: Ports) -> None:
    with ports.unit_of_work() as uow:
        change = _load(uow, ports, Caller(job.creditor_id, "letter-worker"), job.claim_id)
        letter, _ = _letter(uow, job.creditor_id, job.claim_id, job.letter_id)
        if letter.status is LetterStatus.READY:
            return
        expected = letter.version
        letter = replace(letter, status=LetterStatus.FAILED, failure=reason,
                         render_attempts=letter.render_attempts + 1,
                         updated_at=change.claim.updated_at, version=letter.version + 1)
        uow.letters.save_letter(letter, expected)
        change.record(events.LetterRenderFailed(reason=reason, letter_id=letter.id,
                                                attempt=letter.render_attempts))
        _save(uow, change)


# ---------------------------------------------------------------------------- read

def list_letters(claim_id: str, caller: Caller, ports: Ports) -> list[Letter]:
    from domain.services.queries import of_claim

    uow = ports.unit_of_work()
    return of_claim(uow.letters.list_letters(caller.creditor_id, claim_id), uow, caller, claim_id)


@dataclass(frozen=True, slots=True)
class LetterView:
    letter: Letter
    content: LetterContent
    download_url: str | None
    expires_in: int | None


def get_letter(claim_id: str, letter_id: str, caller: Caller, ports: Ports) -> LetterView:
    """The letter's record and, once ready, a short-lived link to its PDF."""
    letter, content = _letter(ports.unit_of_work(), caller.creditor_id, claim_id, letter_id)
    url = download_link(letter, ports)
    return LetterView(letter, content, url, DOWNLOAD_URL_SECONDS if url else None)


def download_link(letter: Letter, ports: Ports) -> str | None:
    """A short-lived link to a rendered letter's PDF (None before it is ready): no read,
    the letter in hand says where it is stored."""
    if letter.status is not LetterStatus.READY or letter.object_key is None:
        return None
    documents = _need(ports.documents, "document store")
    return documents.download_url(letter.object_key, f"{letter.kind.value}-{letter.id}.pdf",
                                  DOWNLOAD_URL_SECONDS)


# ---------------------------------------------------------------------------- dispatch

# How a posted letter counts as a formal notice's channel (domain.services.amounts).
_NOTICE_CHANNEL = {
    DispatchMode.SIMPLE: "letter",
    DispatchMode.REGISTERED: "registered_letter",
    DispatchMode.REGISTERED_AR: "registered_letter",
    DispatchMode.ELECTRONIC_REGISTERED: "electronic_registered_letter",
}


def dispatch_letter(claim_id: str, letter_id: str, mode: DispatchMode, caller: Caller,
                    ports: Ports) -> Letter:
    """Post a ready letter. Posting a formal notice records the claim's formal notice
    (it starts consumer interest, C. civ. 1231-6) and moves the claim to `formal_notice`.
    Sending the same letter again in the same mode answers the dispatch already made.

    Raises
    ------
    NotReady
        The letter is not rendered yet, or failed.
    Conflict
        The letter was already posted in another mode.
    DomainValidationError
        Electronic registered mail to a consumer who has not consented to it (CPCE
        R53-1); the provider refused the job (`postal_refused`).
    PostalUnavailable
        The provider could not be reached: nothing was posted or recorded.
    """
    postal = _need(ports.postal, "postal provider")
    documents = _need(ports.documents, "document store")
    uow = ports.unit_of_work()
    letter, content = _letter(uow, caller.creditor_id, claim_id, letter_id)
    if letter.dispatch is not None:
        if letter.dispatch.mode is mode:
            return letter
        raise Conflict(f"letter {letter.id} was already posted as {letter.dispatch.mode.value}",
                       field_path="mode")
    if letter.status is not LetterStatus.READY or letter.object_key is None:
        raise not_ready(letter, "posted")
    claim = uow.claims.get_claim(caller.creditor_id, claim_id)
    if claim is None:
        raise NotFound("claim", claim_id)
    if letter.kind is not LetterKind.DECLARATION_OF_CLAIM:
        # A declaration goes to the mandataire, and because proceedings are open: the
        # insolvency hold that stops every letter to the debtor is what calls for it.
        lifecycle.ensure_allowed(claim, "send_letter")
    debtor = uow.debtors.get_debtor(caller.creditor_id, claim.debtor_id)
    if debtor is None:
        raise NotFound("debtor", claim.debtor_id)
    email = _electronic_address(debtor, mode)
    pdf = documents.read(letter.object_key)
    if hashlib.sha256(pdf).hexdigest() != letter.sha256:
        # What would be posted is not what was recorded: never send it.
        raise StorageFailed(f"letter {letter.id}'s stored bytes do not match its SHA-256")
    job = PostalJob(idempotency_key=letter.id, mode=mode, pdf=pdf, sender=content.creditor,
                    recipient=content.recipient, letter_id=letter.id,
                    recipient_email=email)
    try:
        receipt = postal.send(job)
    except PostalRefused as exc:
        raise DomainValidationError("mode", f"the postal provider refused the letter: {exc}",
                                    code="postal_refused") from None
    except PostalAlreadyAccepted:
        raise Conflict(f"the postal provider already holds letter {letter.id} but did not say "
                       "under which id: it was posted; find it in the provider's interface "
                       "before posting it again", field_path="mode") from None
    return _record_dispatch(claim_id, letter_id, mode, postal.name, receipt.provider_id,
                            content, caller, ports)


def _electronic_address(debtor: Debtor, mode: DispatchMode) -> str | None:
    if mode is not DispatchMode.ELECTRONIC_REGISTERED:
        return None
    if debtor.kind is DebtorKind.CONSUMER and debtor.electronic_registered_consent_on is None:
        raise DomainValidationError(
            "mode", "a consumer receives electronic registered mail only after consenting "
            "to it (CPCE L100, R53-1): record the consent on the debtor, or post it",
            code="no_consent")
    # A role address (compta@…) is risky for a reminder but fine for a registered letter,
    # which the addressee must accept anyway; an invalid one would be refused by the post.
    emails = [p for p in debtor.contact_points if p.kind is ContactKind.EMAIL
              and p.validation is not None and p.validation.status != "invalid"]
    if not emails:
        raise DomainValidationError("mode", "electronic registered mail needs a valid e-mail "
                                    "address for the debtor", code="no_email")
    value = emails[0].validation.normalized if emails[0].validation else None
    return value if isinstance(value, str) else emails[0].value


@retry_on_stale
def _record_dispatch(claim_id: str, letter_id: str, mode: DispatchMode, provider: str,
                     provider_id: str, content: LetterContent, caller: Caller,
                     ports: Ports) -> Letter:
    with ports.unit_of_work() as uow:
        change = _load(uow, ports, caller, claim_id)
        letter, _ = _letter(uow, caller.creditor_id, claim_id, letter_id)
        if letter.dispatch is not None:  # a concurrent request recorded it first
            return letter
        now = change.claim.updated_at
        expected = letter.version
        letter = replace(letter, dispatch=Dispatch(
            mode=mode, provider=provider, provider_id=provider_id,
            idempotency_key=letter.id, status=DispatchStatus.ACCEPTED, requested_at=now,
            updated_at=now), updated_at=now, version=letter.version + 1)
        uow.letters.save_letter(letter, expected)
        uow.letters.track_dispatch(
            DispatchRef(caller.creditor_id, claim_id, letter_id, provider, provider_id),
            in_flight=True, updated_at=now)
        change.record(events.LetterDispatched(letter_id=letter.id, kind=letter.kind.value,
                                              mode=mode.value, provider=provider,
                                              provider_id=provider_id))
        if letter.kind is LetterKind.FORMAL_NOTICE:
            apply_formal_notice(change, change.today, _NOTICE_CHANNEL[mode], letter.id,
                                note=None, deadline=letter.deadline)
        _settle(change, ports)
        _save(uow, change, ports)
    return letter


# ---------------------------------------------------------------------------- tracking

def record_postal_updates(provider: str, updates: list[PostalUpdate], ports: Ports) -> int:
    """Apply what the provider reported (a webhook or the poller), each update once: a
    repeated or late one changes nothing. Returns how many were new."""
    recorded = 0
    refs: dict[str, DispatchRef | None] = {}  # a webhook often carries one job's events
    for update in updates:
        if update.provider_id not in refs:
            refs[update.provider_id] = ports.unit_of_work().letters.find_dispatch(
                provider, update.provider_id)
        ref = refs[update.provider_id]
        if ref is None:
            continue  # not a job of ours (or of another environment): nothing to do
        proof = _store_proof(ref, update, ports)
        if _apply_update(ref, update, proof, ports):
            recorded += 1
    return recorded


def _store_proof(ref: DispatchRef, update: PostalUpdate, ports: Ports) -> Proof | None:
    if update.proof is None:
        return None
    documents = _need(ports.documents, "document store")
    key = proof_key(ref, update.event.provider_event_id, update.proof.content_type)
    try:
        stored = documents.put_once(key, update.proof.body, update.proof.content_type,
                                    {"letter": ref.letter_id, "proof": update.proof.kind.value})
    except AlreadyStored as exc:
        stored = exc.existing
    return Proof(update.proof.kind, stored.key, stored.sha256, stored.size,
                 update.proof.content_type, update.event.at)


@retry_on_stale
def _apply_update(ref: DispatchRef, update: PostalUpdate, proof: Proof | None,
                  ports: Ports) -> bool:
    with ports.unit_of_work() as uow:
        change = _load(uow, ports, Caller(ref.creditor_id, f"postal:{ref.provider}"),
                       ref.claim_id)
        letter, content = _letter(uow, ref.creditor_id, ref.claim_id, ref.letter_id)
        dispatch = letter.dispatch
        event = update.event
        if dispatch is None or any(e.provider_event_id == event.provider_event_id
                                   for e in dispatch.events):
            return False
        status = dispatch.status
        if dispatch.status not in FINAL_DISPATCH_STATUSES and (
                event.status in FINAL_DISPATCH_STATUSES
                or DISPATCH_ORDER.get(event.status, -1) > DISPATCH_ORDER.get(status, -1)):
            status = event.status  # never moved back by a late or repeated report
        elif (status is DispatchStatus.DELIVERED and event.status is DispatchStatus.RETURNED
              and dispatch.mode is DispatchMode.SIMPLE):
            # Simple mail is never tracked: its delivery was presumed on the expected day,
            # and a return that comes back later is what really happened.
            status = event.status
        now = change.claim.updated_at
        dispatch = replace(dispatch, status=status, updated_at=now,
                           events=(*dispatch.events, event),
                           return_reason=event.return_reason or dispatch.return_reason)
        expected = letter.version
        letter = replace(letter, dispatch=dispatch, updated_at=now,
                         proofs=(*letter.proofs, proof) if proof else letter.proofs,
                         version=letter.version + 1)
        uow.letters.save_letter(letter, expected)
        uow.letters.track_dispatch(ref, in_flight=status not in FINAL_DISPATCH_STATUSES,
                                   updated_at=now)
        change.record(events.LetterTracked(
            letter_id=letter.id, status=event.status.value, at=event.at,
            return_reason=event.return_reason.value if event.return_reason else None,
            proof=proof.kind.value if proof else None,
            proof_sha256=proof.sha256 if proof else None))
        if (event.status is DispatchStatus.RETURNED and event.return_reason is ReturnReason.NPAI
                and content.addressee is None):  # the debtor's address, not a mandataire's
            _address_returned(uow, change, content.debtor.address_lines)
        _save(uow, change, ports)
    return True


def _address_returned(uow: UnitOfWork, change: Change, block: tuple[str, ...]) -> None:
    """The post says the debtor does not live at the address (NPAI): the address the letter
    went to (its block, as printed) is marked invalid, so no other letter goes there, and a
    person is asked to find the right one."""
    debtor = uow.debtors.get_debtor(change.claim.creditor_id, change.claim.debtor_id)
    if debtor is None:
        return
    now = change.claim.updated_at
    returned = None
    points = []
    for point in debtor.contact_points:
        if (returned is None and point.kind is ContactKind.POSTAL_ADDRESS
                and point.validation is not None
                and tuple(point.validation.normalized or ()) == tuple(block)):
            returned = point
            point = replace(point, validation=ContactValidation(
                status="invalid", normalized=point.validation.normalized,
                reasons=("returned_npai",),
                message="A letter came back: the addressee does not live at this address "
                        "(NPAI).", validated_at=now, channels=()))
        points.append(point)
    if returned is None:
        return
    expected = debtor.version
    saved = replace(debtor, contact_points=points, version=debtor.version + 1, updated_at=now)
    uow.debtors.save_debtor(saved, expected, debtor.external_reference)
    change.record(events.ContactToVerify(contact_point_id=returned.id, channel="letter",
                                         cause="returned_npai"))


def reconcile_dispatches(ports: Ports, *, limit: int = 100) -> int:
    """The poller: ask the provider about every letter still in flight, as a webhook can be
    lost (Merci Facteur retries twice, then gives up). Reads grow with the letters in
    flight, not with the table."""
    postal = _need(ports.postal, "postal provider")
    recorded, cursor = 0, None
    while True:
        page = ports.unit_of_work().letters.dispatches_in_flight(postal.name, limit, cursor)
        for ref in page.items:
            try:
                updates = postal.updates(ref.provider_id)
            except PostalUnavailable:
                continue  # the next run asks again
            recorded += record_postal_updates(postal.name, updates, ports)
        cursor = page.next_cursor
        if cursor is None:
            return recorded


# ---------------------------------------------------------------------------- payments

def claim_of_reference(reference: str, caller: Caller, ports: Ports) -> str:
    """The claim a structured reference (as a bank statement quotes it) was printed for.

    Raises DomainValidationError (not a reference) or NotFound (no letter carried it)."""
    compact = parse_payment_reference(reference)
    claim_id = ports.unit_of_work().letters.claim_of_reference(caller.creditor_id, compact)
    if claim_id is None:
        raise NotFound("payment reference", compact)
    return claim_id


__all__ = ["LetterDraft", "LetterView", "PortMissing", "claim_of_reference",
           "dispatch_letter", "get_letter", "list_letters", "not_ready",
           "reconcile_dispatches", "record_postal_updates", "render_letter",
           "request_letter", "rerender_letter"]
