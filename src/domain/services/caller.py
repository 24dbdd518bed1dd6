"""What every use case takes besides its command: who calls, and the ports it may use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from domain.letters.model import AddressFrame
from domain.ports.escalation import EmailSender, Scheduler, SmsSender
from domain.ports.letters import DocumentStore, LetterQueue, LetterRenderer, PostalProvider
from domain.ports.repositories import Clock
from domain.ports.stores import RateStore
from domain.ports.unit_of_work import UnitOfWork

DEFAULT_FRAME = AddressFrame()


@dataclass(frozen=True, slots=True)
class Caller:
    """The tenant a request acts for, and who acts (a key's name, a person, `scheduler`):
    the timeline records the actor of every change."""

    creditor_id: str
    actor: str
    # A mandate's recipient calling with its scoped key (domain.services.handoff): the
    # mandate it acts under. None: the creditor itself.
    mandate_id: str | None = None


@dataclass(frozen=True, slots=True)
class Ports:
    """One bundle of the ports a use case may need, built once per function by its
    composition root (api.bootstrap) or by the tests (tests/fakes.py)."""

    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    rates: RateStore
    # Contact validation may ask DNS for an e-mail domain's MX (off in tests and local).
    check_email_deliverability: bool = False
    # Letters: where PDFs and proofs are kept, the worker's queue and the postal provider
    # (every function that touches letters), and the renderer (the letter worker only:
    # WeasyPrint is never loaded by the HTTP function).
    documents: DocumentStore | None = None
    letter_queue: LetterQueue | None = None
    postal: PostalProvider | None = None
    renderer: Callable[[], LetterRenderer] | None = None
    # Where the print provider wants the address block on the sheet.
    address_frame: AddressFrame = DEFAULT_FRAME
    # Escalation: the senders of e-mail and SMS, and the scheduler that wakes a claim up
    # for its next step (none: nothing is scheduled, as in a function that does not chase).
    email: EmailSender | None = None
    sms: SmsSender | None = None
    scheduler: Scheduler | None = None
