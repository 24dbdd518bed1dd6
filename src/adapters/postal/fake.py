"""A postal provider in memory, for `make run` and the tests: it behaves like a real one
(idempotent sends, a job moving on with time, proofs, webhooks with a shared secret)
without printing anything.

A job's life is fixed when it is accepted: its outcome (`outcome(job)`, None = delivered)
and the instant of every step, counted from acceptance with `FakeDelays`. `updates()` and
`webhook_payload()` return the steps whose time has come on the injected clock, so a test
or the local runner moves a letter on by moving the clock, and asking twice gives the same
events with the same ids.

Steps per mode (P = printed delay, S = posted, D = delivered, U = unclaimed):

    simple                 accepted 0, printed P, posted S, delivered D "presumed (no
                           tracking)" | returned D (with a RETURN proof: the fake manages
                           returns, as Merci Facteur's `gestionNpai` does)
    registered             accepted, printed, posted + DEPOSIT proof, delivered | returned
                           + RETURN proof
    registered_ar          as registered, delivered with the signed ACKNOWLEDGEMENT
    electronic_registered  accepted 0, posted 0 + DEPOSIT proof (an electronic letter is
                           deposited when sent), then delivered D + ACKNOWLEDGEMENT
                           (accepted by the recipient) | returned REFUSED at D | returned
                           UNCLAIMED at U (CPCE R53-3: 15 days from the day after the
                           notice, the proof the day after) + RETURN proof

A paper letter returned UNCLAIMED (avisé et non réclamé) also comes back at U: it waits
15 days at the post office. Simple mail has no tracking: La Poste never reports delivery,
but Relance's dispatch must end (FINAL statuses are delivered/returned/failed, and the
poller asks about every dispatch in flight), so the fake reports `delivered` on the
expected day with the detail "presumed (no tracking)"; a later return still arrives.

The default outcome, for the demo: NPAI when a recipient address line contains "INCONNU"
(any case), else delivered.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated

import msgspec

from adapters.postal._common import check_secret, tiny_pdf
from domain.letters.model import (
    DispatchMode,
    DispatchStatus,
    ProofKind,
    ReturnReason,
    TrackingEvent,
)
from domain.ports.letters import (
    PostalJob,
    PostalReceipt,
    PostalRefused,
    PostalUnavailable,
    PostalUpdate,
    ProofFile,
    WebhookRejected,
)
from domain.ports.repositories import Clock

SECRET_HEADER = "X-Fake-Postal-Secret"
PRESUMED = "presumed (no tracking)"
DEMO_SECRET = "fake-postal-secret"  # `make run` only; tests pass their own

Outcome = Callable[[PostalJob], ReturnReason | None]


def unknown_address_returns(job: PostalJob) -> ReturnReason | None:
    """The demo's rule: a recipient line with "INCONNU" in it comes back NPAI."""
    lines = (job.recipient.name, *job.recipient.address_lines)
    return ReturnReason.NPAI if any("INCONNU" in line.upper() for line in lines) else None


@dataclass(frozen=True, slots=True)
class FakeDelays:
    """How long after acceptance each step happens. `FakeDelays.immediate()` makes every
    step happen at acceptance, for tests and demos that do not move the clock."""

    printed: timedelta = timedelta(hours=1)
    posted: timedelta = timedelta(days=1)
    delivered: timedelta = timedelta(days=3)
    unclaimed: timedelta = timedelta(days=16)

    def __post_init__(self) -> None:
        if not (timedelta(0) <= self.printed <= self.posted <= self.delivered
                <= self.unclaimed):
            raise ValueError("delays must be 0 <= printed <= posted <= delivered <= unclaimed")

    @classmethod
    def immediate(cls) -> FakeDelays:
        zero = timedelta(0)
        return cls(zero, zero, zero, zero)


@dataclass(frozen=True, slots=True)
class _Step:
    status: DispatchStatus
    after: timedelta
    return_reason: ReturnReason | None = None
    proof: ProofKind | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class _Job:
    provider_id: str
    mode: DispatchMode
    accepted_at: datetime
    steps: tuple[_Step, ...]


def _steps(mode: DispatchMode, outcome: ReturnReason | None, d: FakeDelays) -> tuple[_Step, ...]:
    S = DispatchStatus
    back = d.unclaimed if outcome is ReturnReason.UNCLAIMED else d.delivered
    if mode is DispatchMode.ELECTRONIC_REGISTERED:
        end = (_Step(S.DELIVERED, d.delivered, proof=ProofKind.ACKNOWLEDGEMENT,
                     detail="accepted by the recipient") if outcome is None
               else _Step(S.RETURNED, back, outcome, ProofKind.RETURN))
        return (_Step(S.ACCEPTED, timedelta(0)),
                _Step(S.POSTED, timedelta(0), proof=ProofKind.DEPOSIT), end)
    registered = mode in (DispatchMode.REGISTERED, DispatchMode.REGISTERED_AR)
    if outcome is not None:
        end = _Step(S.RETURNED, back, outcome, ProofKind.RETURN)
    elif mode is DispatchMode.REGISTERED_AR:
        end = _Step(S.DELIVERED, d.delivered, proof=ProofKind.ACKNOWLEDGEMENT)
    else:
        end = _Step(S.DELIVERED, d.delivered,
                    detail=None if registered else PRESUMED)
    return (_Step(S.ACCEPTED, timedelta(0)), _Step(S.PRINTED, d.printed),
            _Step(S.POSTED, d.posted, proof=ProofKind.DEPOSIT if registered else None), end)


# The fake's webhook body: what `webhook_payload` writes and `parse_webhook` reads.
class _ProofMsg(msgspec.Struct, forbid_unknown_fields=True):
    kind: ProofKind
    content_type: str
    body: bytes  # base64 in JSON


class _EventMsg(msgspec.Struct, forbid_unknown_fields=True):
    status: DispatchStatus
    at: Annotated[datetime, msgspec.Meta(tz=True)]
    provider_event_id: str
    return_reason: ReturnReason | None = None
    detail: str | None = None
    proof: _ProofMsg | None = None


class _WebhookMsg(msgspec.Struct, forbid_unknown_fields=True):
    provider_id: str
    events: list[_EventMsg]


class FakePostalProvider:
    """Implements domain.ports.letters.PostalProvider in memory (thread-safe: in `make run`
    the letter worker sends while the API thread takes webhooks)."""

    name = "fake"

    def __init__(self, clock: Clock, outcome: Outcome | None = None,
                 delays: FakeDelays | None = None,
                 webhook_secret: str = DEMO_SECRET) -> None:
        self._clock = clock
        self._outcome = outcome or unknown_address_returns
        self._delays = delays or FakeDelays()
        self.webhook_secret = webhook_secret
        self._jobs: dict[str, _Job] = {}
        self._by_key: dict[str, str] = {}
        self._lock = threading.Lock()
        self._failures: list[bool] = []
        # Jobs that went to the printer (paper modes): a test asserts one print for many
        # sends of the same key.
        self.prints = 0

    def fail_next_sends(self, count: int = 1, after_accepting: bool = False) -> None:
        """Make the next `count` sends raise PostalUnavailable: before taking the job (the
        provider was down) or, with `after_accepting`, after it (the answer was lost: the
        job exists and a retry with the same key must not print it again)."""
        with self._lock:
            self._failures.extend([after_accepting] * count)

    def send(self, job: PostalJob) -> PostalReceipt:
        if not job.pdf.startswith(b"%PDF-"):
            raise PostalRefused("the document is not a PDF")
        if not job.recipient.address_lines:
            raise PostalRefused("the recipient has no address")
        if job.mode is DispatchMode.ELECTRONIC_REGISTERED and not job.recipient_email:
            raise PostalRefused("an electronic registered letter needs the recipient's "
                                "e-mail address")
        with self._lock:
            lose_answer = self._failures.pop(0) if self._failures else None
            if lose_answer is False:
                raise PostalUnavailable("the fake provider is unavailable (simulated)")
            known = self._by_key.get(job.idempotency_key)
            if known is None:
                # As a provider's dedup does, the first job under a key wins; a resend
                # with other content gets the first job's receipt.
                digest = hashlib.sha256(job.idempotency_key.encode("utf-8")).hexdigest()
                known = f"fake-{digest[:20]}"
                self._jobs[known] = _Job(known, job.mode, self._clock.now(),
                                         _steps(job.mode, self._outcome(job), self._delays))
                self._by_key[job.idempotency_key] = known
                if job.mode is not DispatchMode.ELECTRONIC_REGISTERED:
                    self.prints += 1
            if lose_answer:
                raise PostalUnavailable("the fake provider's answer was lost (simulated)")
            return PostalReceipt(known, self._jobs[known].accepted_at)

    def updates(self, provider_id: str) -> list[PostalUpdate]:
        """The steps whose time has come; [] for a job the fake never took (after a restart
        of `make run`, the in-memory jobs are gone)."""
        with self._lock:
            job = self._jobs.get(provider_id)
        if job is None:
            return []
        now = self._clock.now()
        return [self._update(job, step) for step in job.steps
                if job.accepted_at + step.after <= now]

    def _update(self, job: _Job, step: _Step) -> PostalUpdate:
        at = job.accepted_at + step.after
        event = TrackingEvent(step.status, at, f"{job.provider_id}:{step.status.value}",
                              step.return_reason, step.detail)
        proof = None
        if step.proof is not None:
            body = tiny_pdf(f"Relance fake postal provider - {step.proof.value} proof - "
                            f"job {job.provider_id} - {at.isoformat()}")
            proof = ProofFile(step.proof, body, "application/pdf")
        return PostalUpdate(job.provider_id, event, proof)

    def webhook_payload(self, provider_id: str) -> tuple[dict[str, str], bytes]:
        """What the fake provider would POST to Relance's webhook now: every due event of
        the job (the receiver drops the ones it has by their ids)."""
        updates = self.updates(provider_id)
        message = _WebhookMsg(provider_id, [
            _EventMsg(u.event.status, u.event.at, u.event.provider_event_id,
                      u.event.return_reason, u.event.detail,
                      None if u.proof is None else _ProofMsg(u.proof.kind,
                                                             u.proof.content_type,
                                                             u.proof.body))
            for u in updates])
        headers = {"Content-Type": "application/json", SECRET_HEADER: self.webhook_secret}
        return headers, msgspec.json.encode(message)

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[PostalUpdate]:
        check_secret(headers, SECRET_HEADER, self.webhook_secret)
        try:
            message = msgspec.json.decode(body, type=_WebhookMsg)
        except (msgspec.DecodeError, msgspec.ValidationError) as error:
            # The decoder names a path and a type (at most a wrong enum value): nothing personal.
            raise WebhookRejected(f"unreadable fake webhook: {error}") from None
        return [PostalUpdate(message.provider_id,
                             TrackingEvent(e.status, e.at, e.provider_event_id,
                                           e.return_reason, e.detail),
                             None if e.proof is None
                             else ProofFile(e.proof.kind, e.proof.body, e.proof.content_type))
                for e in message.events]

