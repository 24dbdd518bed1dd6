"""What the e-mail provider says of the ladder's e-mails once they left (SES's bounces and
complaints, published to SNS by the configuration set every message names).

A permanent bounce marks the debtor's address invalid, so no channel uses it again, and asks
a person for another (a verify_contact task naming the contact point); a complaint keeps the
ladder from ever e-mailing the address again; a transient bounce (a full mailbox) is only
noted. Each goes on its claim's timeline, with the provider's message id and the contact
point, never the address.

Each message names its creditor and claim (tags set when it was sent:
domain.ports.escalation.EmailMessage), so an event is two reads by key. SNS delivers at
least once: the event's key is written on the claim in the same atomic write as its effects,
so a second delivery finds it and changes nothing. An event whose claim is unknown (another
environment, a message sent before the tags) is answered as such and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from email.utils import parseaddr

from domain.claims import events
from domain.claims.events import timeline_entry
from domain.claims.model import Claim
from domain.debtors.model import ContactKind, ContactPoint, Debtor
from domain.debtors.validation import BOUNCED, COMPLAINED, marked_invalid, marked_unwanted
from domain.escalation.tasks import TaskKind
from domain.ports.escalation import DeliveryEvent
from domain.ports.unit_of_work import UnitOfWork
from domain.services import escalation
from domain.services.caller import Ports
from domain.shared.retry import retry_on_stale

ACTOR = "email-feedback"
# How many applied events a claim remembers: a claim receives a few e-mails, each with at
# most a bounce or a complaint, and SNS redelivers within hours, not after twenty others.
EMAIL_FEEDBACK_KEPT = 20
_BOUNCED_MESSAGE = ("A reminder e-mail bounced for good: the mail server says this address "
                    "does not exist or refuses our mail.")
_BOUNCED_TASK = "Find the debtor's right e-mail address: a reminder bounced"


@dataclass(frozen=True, slots=True)
class FeedbackResult:
    """What one event did: `applied`; `repeated` (delivered before); `ignored` (a
    delivery: nothing to do); `untagged` (the message named no claim); `unknown_claim`."""

    message_id: str
    event: str
    outcome: str
    creditor_id: str | None = None
    claim_id: str | None = None


def record_email_feedback(feedback: Iterable[DeliveryEvent],
                          ports: Ports) -> list[FeedbackResult]:
    """Apply the provider's events, each once. Raises what the storage raises (a table
    that cannot be reached): the caller's delivery is then retried, and what was applied
    before the failure is found applied."""
    return [_record(event, ports) for event in feedback]


def _record(event: DeliveryEvent, ports: Ports) -> FeedbackResult:
    def result(outcome: str) -> FeedbackResult:
        return FeedbackResult(event.message_id, event.event, outcome, event.creditor_id,
                              event.claim_id)

    if event.event == "delivery":
        # The step's own entry already says the e-mail was sent; a delivery to the mail
        # server proves nothing more a person acts on (and the configuration set does not
        # publish deliveries: template.yaml).
        return result("ignored")
    if not event.creditor_id or not event.claim_id:
        return result("untagged")
    return result(_apply(event, event.creditor_id, event.claim_id, ports))


@retry_on_stale
def _apply(event: DeliveryEvent, creditor_id: str, claim_id: str, ports: Ports) -> str:
    with ports.unit_of_work() as uow:
        stored = uow.claims.get_claim(creditor_id, claim_id)
        if stored is None:
            return "unknown_claim"
        key = f"{event.event}:{event.message_id}"
        if key in stored.email_feedback:
            return "repeated"
        now = ports.clock.now()
        claim = replace(stored, version=stored.version + 1, updated_at=now,
                        email_feedback=(*stored.email_feedback, key)[-EMAIL_FEEDBACK_KEPT:])
        debtor = uow.debtors.get_debtor(creditor_id, claim.debtor_id)
        point = _addressed(debtor, event.recipients) if debtor is not None else None
        if event.event == "complaint":
            recorded: events.Event = events.EmailComplained(
                message_id=event.message_id, contact_point_id=point.id if point else None)
            if debtor is not None and point is not None and not _has(point, COMPLAINED):
                _save_point(uow, debtor, marked_unwanted(point, now), now)
        else:
            recorded = events.EmailBounced(
                message_id=event.message_id,
                bounce="permanent" if event.permanent else "transient",
                contact_point_id=point.id if point else None)
            if (event.permanent and debtor is not None and point is not None
                    and not _has(point, BOUNCED)):
                _save_point(uow, debtor, marked_invalid(point, BOUNCED, _BOUNCED_MESSAGE, now),
                            now)
                escalation._raise_task(uow, claim, None, TaskKind.VERIFY_CONTACT, ports,
                                       contact_point_id=point.id, title=_BOUNCED_TASK)
        _save_claim(uow, claim, stored.version, recorded)
    return "applied"


def _addressed(debtor: Debtor, recipients: tuple[str, ...]) -> ContactPoint | None:
    """The debtor's e-mail contact point an event's recipient is, as given or as
    normalised, whatever the case (a mail server may change it)."""
    wanted = {parseaddr(r)[1].strip().casefold() for r in recipients} - {""}
    for point in debtor.contact_points:
        if point.kind is not ContactKind.EMAIL:
            continue
        normalized = point.validation.normalized if point.validation else None
        forms = {v.strip().casefold() for v in (point.value, normalized) if isinstance(v, str)}
        if forms & wanted:
            return point
    return None


def _has(point: ContactPoint, reason: str) -> bool:
    return point.validation is not None and reason in point.validation.reasons


def _save_point(uow: UnitOfWork, debtor: Debtor, point: ContactPoint, at: datetime) -> None:
    points = [point if p.id == point.id else p for p in debtor.contact_points]
    uow.debtors.save_debtor(replace(debtor, contact_points=points, version=debtor.version + 1,
                                    updated_at=at),
                            debtor.version, debtor.external_reference)


def _save_claim(uow: UnitOfWork, claim: Claim, expected: int,
                recorded: events.Event) -> None:
    entry = timeline_entry(claim, recorded, claim.updated_at, ACTOR)
    # The ladder did not move: its pending wake-up, made for an earlier version, still
    # runs its step (services.escalation._claim_step runs a wake-up of the next step).
    uow.claims.save_claim(claim, [entry], expected)
    uow.commit()


__all__ = ["EMAIL_FEEDBACK_KEPT", "FeedbackResult", "record_email_feedback"]
