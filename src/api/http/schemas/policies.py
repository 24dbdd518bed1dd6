"""Escalation policies as JSON: a ladder of steps, sent whole by PUT, read with its
version and the versions kept before it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from msgspec import Meta

from api.http.schemas._base import DecimalString, Input, Output, ShortText
from domain.debtors.model import DebtorKind
from domain.escalation.policy import MAX_STEPS, Anchor, Channel, Policy, Step
from domain.letters.model import LetterKind

ChannelName = Literal["email", "sms", "letter", "registered_letter", "call_task", "visit_task",
                      "approval_task", "judicial_assessment_task"]
StepKey = Annotated[str, Meta(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$", examples=["first_letter"],
                              description="Unique within the policy: what a claim's "
                                          "progress names")]


class StepBody(Input):
    key: StepKey
    offset_days: Annotated[int, Meta(ge=-365, le=3650, description=(
        "Days from the anchor: from the earliest unpaid due date (negative before it), or "
        "from the formal notice's deadline. In order within each anchor."))]
    channels: Annotated[list[ChannelName], Meta(min_length=1, max_length=8, description=(
        "A `*_task` channel makes the step manual: the ladder waits until a person "
        "completes or skips it"))]
    anchor: Literal["due_date", "notice_deadline"] = "due_date"
    letter_kind: Annotated[Literal["reminder_1", "reminder_2", "formal_notice"], Meta(
        description="Required with a letter channel; a `formal_notice` goes by "
                    "`registered_letter` and comes before any judicial step")] | None = None
    template: Annotated[str, Meta(min_length=1, max_length=64, description=(
        "The message of an `email` or `sms` channel (required with one): `pre_due`, "
        "`due_today`, `overdue_1`, `overdue_2`, `letter_sent` or `formal_notice_sent`"))
                        ] | None = None
    min_days_since_contact: Annotated[int, Meta(ge=0, le=365, description=(
        "The step waits at least this many days after the last contact"))] = 0
    debtor_kinds: Annotated[list[Literal["business", "consumer"]], Meta(
        max_length=2, description="Only for these debtors; empty: every debtor")] = []
    min_outstanding: Annotated[DecimalString, Meta(
        description="Only when at least this much is outstanding")] | None = None
    requires_approval: bool = False

    def to_domain(self) -> Step:
        return Step(
            key=self.key, offset_days=self.offset_days,
            channels=tuple(dict.fromkeys(Channel(c) for c in self.channels)),
            anchor=Anchor(self.anchor),
            letter_kind=None if self.letter_kind is None else LetterKind(self.letter_kind),
            template=self.template, min_days_since_contact=self.min_days_since_contact,
            debtor_kinds=tuple(dict.fromkeys(DebtorKind(k) for k in self.debtor_kinds)),
            min_outstanding=None if self.min_outstanding is None else Decimal(
                self.min_outstanding),
            requires_approval=self.requires_approval)


class PolicyPut(Input):
    steps: Annotated[list[StepBody], Meta(max_length=MAX_STEPS, description=(
        "The whole ladder, in order; at least one step"))]
    name: Annotated[ShortText, Meta(description="Default: the current name (a new policy: "
                                                "its id)")] | None = None
    default: Annotated[bool, Meta(description=(
        "`true` makes this the creditor's default policy, the one new claims start on "
        "(there is always exactly one); absent leaves the default where it is"))
                       ] | None = None


class StepOut(Output):
    key: str
    offset_days: int
    channels: list[str]
    anchor: str
    letter_kind: str | None
    template: str | None
    min_days_since_contact: int
    debtor_kinds: list[str]
    min_outstanding: str | None
    requires_approval: bool
    manual: Annotated[bool, Meta(description="A person must act (a task, an approval): the "
                                             "ladder waits for it")]

    @classmethod
    def of(cls, step: Step) -> StepOut:
        return cls(
            key=step.key, offset_days=step.offset_days,
            channels=[c.value for c in step.channels], anchor=step.anchor.value,
            letter_kind=None if step.letter_kind is None else step.letter_kind.value,
            template=step.template, min_days_since_contact=step.min_days_since_contact,
            debtor_kinds=[k.value for k in step.debtor_kinds],
            min_outstanding=None if step.min_outstanding is None else str(step.min_outstanding),
            requires_approval=step.requires_approval, manual=step.manual)


class PolicyOut(Output):
    id: str
    name: str
    version: int
    is_default: bool
    steps: list[StepOut]
    updated_at: Annotated[datetime | None, Meta(
        description="null for the shipped ladder never changed")]
    history_versions: Annotated[list[int], Meta(
        description="The earlier versions kept: a claim follows the version it started "
                    "with")]

    @classmethod
    def of(cls, policy: Policy) -> PolicyOut:
        return cls(id=policy.id, name=policy.name, version=policy.version,
                   is_default=policy.is_default, steps=[StepOut.of(s) for s in policy.steps],
                   updated_at=policy.updated_at,
                   history_versions=list(range(1, policy.version)))


class PolicyList(Output):
    items: list[PolicyOut]
