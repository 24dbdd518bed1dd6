"""Escalation policies: the ladder of steps a creditor's claims climb, from the pre-due
reminder to the judicial assessment (the seeds' télérecouvrement). Plain dataclasses and
rules, no I/O.

A step is timed from its anchor (the earliest unpaid due date, or the formal notice's
deadline), no earlier than `min_days_since_contact` after the last contact; a step with a
task channel (a call, a visit, an approval) is manual: it blocks the ladder until a person
completes or skips it. A policy is versioned: a claim follows the version it started with
unless moved on explicitly. Sources: reference/letters-escalation.md B8, B12.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from domain.debtors.model import DebtorKind
from domain.letters.model import LetterKind
from domain.shared.errors import DomainValidationError, FieldError


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    LETTER = "letter"
    REGISTERED_LETTER = "registered_letter"  # with acknowledgement of receipt (LRAR)
    CALL_TASK = "call_task"
    VISIT_TASK = "visit_task"
    APPROVAL_TASK = "approval_task"
    # A person weighs the judicial routes (the judicial issue's assessment).
    JUDICIAL_ASSESSMENT_TASK = "judicial_assessment_task"


TASK_CHANNELS = frozenset({Channel.CALL_TASK, Channel.VISIT_TASK, Channel.APPROVAL_TASK,
                           Channel.JUDICIAL_ASSESSMENT_TASK})
LETTER_CHANNELS = frozenset({Channel.LETTER, Channel.REGISTERED_LETTER})
MESSAGE_CHANNELS = frozenset({Channel.EMAIL, Channel.SMS})


class Anchor(StrEnum):
    DUE_DATE = "due_date"  # the earliest unpaid invoice's due date (the carrying invoice)
    NOTICE_DEADLINE = "notice_deadline"  # the deadline the formal notice gave


# The message templates a step may name (domain.escalation.messages writes them).
MESSAGE_TEMPLATES = frozenset({"pre_due", "due_today", "overdue_1", "overdue_2", "letter_sent",
                               "formal_notice_sent"})


@dataclass(frozen=True, slots=True)
class Step:
    key: str  # stable within the policy: what a claim's progress names
    offset_days: int  # from the anchor; negative before the due date
    channels: tuple[Channel, ...]
    anchor: Anchor = Anchor.DUE_DATE
    letter_kind: LetterKind | None = None  # for a letter channel
    template: str | None = None  # for an e-mail or SMS
    min_days_since_contact: int = 0
    debtor_kinds: tuple[DebtorKind, ...] = ()  # empty: every debtor
    min_outstanding: Decimal | None = None
    requires_approval: bool = False

    @property
    def manual(self) -> bool:
        """A person must act (a call, a visit, an approval): the ladder waits for it."""
        return self.requires_approval or any(c in TASK_CHANNELS for c in self.channels)


@dataclass(frozen=True, slots=True)
class Policy:
    id: str
    creditor_id: str
    name: str
    version: int
    steps: tuple[Step, ...]
    updated_at: datetime | None = None
    is_default: bool = False
    # Earlier versions, kept whole: a claim follows the one it started with.
    history: tuple[tuple[Step, ...], ...] = field(default=())

    def steps_of(self, version: int) -> tuple[Step, ...]:
        """The steps of `version` (this one or an earlier one)."""
        if version == self.version:
            return self.steps
        if 1 <= version <= len(self.history):
            return self.history[version - 1]
        raise ValueError(f"policy {self.id} has no version {version}")


# The seeds' ladder (reference/letters-escalation.md B12; the issue's default): D-5 SMS then
# e-mail; D+1 e-mail; D+5 call; D+10 first letter and SMS; D+20 second letter and call; D+30
# home visit above a threshold; D+40 formal notice by LRAR once approved; notice deadline
# + 8 days: the judicial assessment.
VISIT_THRESHOLD = Decimal("1500.00")
DEFAULT_STEPS: tuple[Step, ...] = (
    Step("pre_due_sms", -5, (Channel.SMS,), template="pre_due"),
    Step("pre_due_email", -5, (Channel.EMAIL,), template="pre_due"),
    Step("overdue_email", 1, (Channel.EMAIL,), template="overdue_1"),
    Step("first_call", 5, (Channel.CALL_TASK,)),
    Step("first_letter", 10, (Channel.LETTER, Channel.SMS), letter_kind=LetterKind.REMINDER_1,
         template="letter_sent", min_days_since_contact=3),
    Step("second_letter", 20, (Channel.LETTER, Channel.CALL_TASK),
         letter_kind=LetterKind.REMINDER_2, min_days_since_contact=5),
    Step("home_visit", 30, (Channel.VISIT_TASK,), min_outstanding=VISIT_THRESHOLD),
    Step("formal_notice", 40, (Channel.REGISTERED_LETTER,),
         letter_kind=LetterKind.FORMAL_NOTICE, requires_approval=True,
         min_days_since_contact=5),
    Step("judicial_assessment", 8, (Channel.JUDICIAL_ASSESSMENT_TASK,),
         anchor=Anchor.NOTICE_DEADLINE),
)

MAX_STEPS = 30


def validate_steps(steps: tuple[Step, ...], path: str = "steps") -> None:
    """Raise DomainValidationError naming each bad step (`steps[3].offset_days`).

    The rules: at least one step, at most MAX_STEPS; unique keys; offsets in order within
    each anchor, and every notice-deadline step after the formal notice; a letter channel
    names a letter kind, an e-mail or SMS a known template; the formal notice goes by
    registered letter and comes before any judicial step; no step may be restricted to
    consumers with a fee (none exists: no step carries one)."""
    errors: list[FieldError] = []
    if not steps:
        errors.append(FieldError(path, "a policy has at least one step", "empty"))
    if len(steps) > MAX_STEPS:
        errors.append(FieldError(path, f"at most {MAX_STEPS} steps", "too_many"))
    seen: set[str] = set()
    last: dict[Anchor, int | None] = {Anchor.DUE_DATE: None, Anchor.NOTICE_DEADLINE: None}
    notice_at: int | None = None
    for i, step in enumerate(steps):
        at = f"{path}[{i}]"
        if not step.key or step.key in seen:
            errors.append(FieldError(f"{at}.key", "each step has its own key", "duplicate"))
        seen.add(step.key)
        previous = last[step.anchor]
        if previous is not None and step.offset_days < previous:
            errors.append(FieldError(f"{at}.offset_days", f"steps are in order: "
                                     f"{step.offset_days} comes before {previous}",
                                     "out_of_order"))
        last[step.anchor] = step.offset_days
        if not step.channels:
            errors.append(FieldError(f"{at}.channels", "a step uses at least one channel",
                                     "empty"))
        if any(c in LETTER_CHANNELS for c in step.channels) and step.letter_kind is None:
            errors.append(FieldError(f"{at}.letter_kind", "a letter step names its letter",
                                     "required"))
        if any(c in MESSAGE_CHANNELS for c in step.channels):
            if step.template is None:
                errors.append(FieldError(f"{at}.template", "an e-mail or SMS step names its "
                                         "message", "required"))
            elif step.template not in MESSAGE_TEMPLATES:
                errors.append(FieldError(f"{at}.template", "not a known message: one of "
                                         f"{', '.join(sorted(MESSAGE_TEMPLATES))}", "unknown"))
        if step.letter_kind is LetterKind.FORMAL_NOTICE:
            if Channel.REGISTERED_LETTER not in step.channels:
                errors.append(FieldError(f"{at}.channels", "a formal notice goes by "
                                         "registered letter (the proof of its date)",
                                         "registered_required"))
            notice_at = i if notice_at is None else notice_at
        judicial = (Channel.JUDICIAL_ASSESSMENT_TASK in step.channels
                    or step.anchor is Anchor.NOTICE_DEADLINE)
        if judicial and notice_at is None:
            errors.append(FieldError(f"{at}.channels", "a judicial step comes after a "
                                     "formal notice step", "notice_first"))
        if step.min_days_since_contact < 0 or (step.min_outstanding is not None and (
                step.min_outstanding < 0)):
            errors.append(FieldError(at, "delays and thresholds are not negative", "negative"))
    if errors:
        raise DomainValidationError.many(errors)


validate_steps(DEFAULT_STEPS)  # the shipped ladder keeps its own rules
