"""Which step of the ladder is next for a claim, and on which day: the planner the trigger,
the after-commit scheduling and the sweeper share. Pure: it reads a `Situation` (what the
claim, its account and its statement say today) and the claim's `Progress` on the ladder.

The rules (reference/letters-escalation.md B12, the issue):
- The step is timed from the carrying invoice: the oldest one still unpaid. When it is
  paid, the next oldest carries the ladder, from where the ladder is: a payment never makes
  a step run twice, nor one be skipped (progress only moves forward, one step at a time).
- A step runs on max(anchor + offset, last contact + its minimum delay). One whose day has
  passed (an outage, a lost schedule) is due now: it runs once, late, never skipped.
- A step whose conditions exclude the claim (debtor kind, minimum outstanding) is passed
  over, and says so (`passed_over`), so the timeline can note it.
- A manual step (a call, a visit, an approval) blocks the ladder until a person completes or
  skips it: the planner answers `waiting` while it is open.
- A claim held (dispute, promise until its deadline, a kept plan, collective proceedings, a
  manual hold) is paused; a closed one is stopped, and so is a judicial one (a court, a
  commissaire de justice or the mandataire set the pace then, not reminders); past the
  last step, finished.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from domain.debtors.model import DebtorKind
from domain.escalation.policy import Anchor, Step
from domain.shared.dates import add_days

if TYPE_CHECKING:
    from domain.amounts.account import ClaimAccount
    from domain.amounts.ledger import Statement
    from domain.claims.model import Claim


class PlanKind(StrEnum):
    DUE = "due"  # `step` runs on `due_on` (today or earlier: now)
    WAITING = "waiting"  # a manual step is open, or the anchor is not known yet
    PAUSED = "paused"  # held: `resume_on` when the hold ends by itself
    STOPPED = "stopped"  # closed, or nothing unpaid
    FINISHED = "finished"  # past the last step


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a claim is on its ladder, kept on the claim."""

    next_index: int = 0  # every step before it ran, was passed over or skipped
    last_contact_on: date | None = None
    awaiting: str | None = None  # the key of a manual step waiting for a person


@dataclass(frozen=True, slots=True)
class Situation:
    today: date
    open: bool
    held: bool
    resume_on: date | None  # the day a hold ends by itself (a promise's deadline + 1)
    debtor_kind: DebtorKind
    outstanding: Decimal
    carrying_due_date: date | None  # the oldest unpaid invoice's due date
    notice_deadline: date | None  # the formal notice's deadline, once one was sent
    judicial: bool = False  # a judicial route taken, or a judgment recorded


@dataclass(frozen=True, slots=True)
class Plan:
    kind: PlanKind
    index: int | None = None
    step: Step | None = None
    due_on: date | None = None
    passed_over: tuple[int, ...] = field(default=())
    resume_on: date | None = None
    reason: str = ""

    def runs_on(self, today: date) -> bool:
        """Due today, or overdue (a missed step runs once, late)."""
        return self.kind is PlanKind.DUE and self.due_on is not None and self.due_on <= today


def applies(step: Step, situation: Situation) -> bool:
    """The step's conditions: the debtor's kind, a minimum outstanding."""
    if step.debtor_kinds and situation.debtor_kind not in step.debtor_kinds:
        return False
    return step.min_outstanding is None or situation.outstanding >= step.min_outstanding


def plan(steps: tuple[Step, ...], progress: Progress, situation: Situation) -> Plan:
    """The claim's next step and its day, or why there is none."""
    if not situation.open:
        return Plan(PlanKind.STOPPED, reason="the claim is closed")
    if situation.judicial:
        return Plan(PlanKind.STOPPED, reason="the claim is judicial: the ladder stops")
    if situation.carrying_due_date is None or situation.outstanding <= 0:
        return Plan(PlanKind.STOPPED, reason="nothing unpaid")
    if situation.held:
        return Plan(PlanKind.PAUSED, resume_on=situation.resume_on, reason="the claim is held")
    if progress.awaiting is not None:
        return Plan(PlanKind.WAITING, reason=f"step {progress.awaiting} waits for a person")
    passed: list[int] = []
    for index in range(progress.next_index, len(steps)):
        step = steps[index]
        if not applies(step, situation):
            passed.append(index)
            continue
        anchor = (situation.carrying_due_date if step.anchor is Anchor.DUE_DATE
                  else situation.notice_deadline)
        if anchor is None:
            return Plan(PlanKind.WAITING, index=index, step=step, passed_over=tuple(passed),
                        reason="the formal notice was not sent yet")
        due_on = add_days(anchor, step.offset_days)
        if progress.last_contact_on is not None and step.min_days_since_contact:
            due_on = max(due_on, add_days(progress.last_contact_on,
                                          step.min_days_since_contact))
        return Plan(PlanKind.DUE, index=index, step=step, due_on=due_on,
                    passed_over=tuple(passed))
    return Plan(PlanKind.FINISHED, passed_over=tuple(passed), reason="past the last step")


def start_index(steps: tuple[Step, ...], situation: Situation) -> int:
    """Where a claim starts its ladder: at the first step, unless it is already overdue when
    the ladder first plans it (a claim imported late): then the pre-due steps, which would
    announce a due date already past, are passed over. Later steps still run, once each and
    late, spaced by their minimum delays."""
    if situation.carrying_due_date is None or situation.carrying_due_date >= situation.today:
        return 0
    index = 0
    while (index < len(steps) and steps[index].anchor is Anchor.DUE_DATE
           and steps[index].offset_days < 0):
        index += 1
    return index


def progress_of(claim: Claim) -> Progress:
    return Progress(claim.step_index, claim.last_contact_on, claim.awaiting_step)


def situation_of(claim: Claim, account: ClaimAccount, statement: Statement, today: date,
                 notice_days: int) -> Situation:
    """What the planner reads of a claim today. The carrying invoice is the oldest one with
    something unpaid that is not prescribed (no step chases a time-barred invoice). A
    promise holds the claim until its deadline (promised day + grace), then resumes by
    itself; a kept plan holds it; a dispute, collective proceedings or a manual hold until a
    person lifts it (a manual hold may say until when)."""
    from domain.claims.model import HoldReason, Phase

    unpaid = [inv for inv in statement.invoices if inv.outstanding > 0 and not inv.prescribed
              and inv.number not in claim.disputed_invoices]
    hold = claim.hold
    resume_on = None
    if hold is not None and hold.until is not None and hold.reason in (
            HoldReason.PROMISE, HoldReason.MANUAL, HoldReason.PAYMENT_PLAN):
        resume_on = add_days(hold.until, 1)
    notice = account.formal_notice_on
    deadline = claim.notice_deadline or (
        add_days(notice, notice_days) if notice is not None else None)
    return Situation(
        today=today, open=claim.phase is not Phase.CLOSED, held=hold is not None,
        resume_on=resume_on, debtor_kind=claim.debtor_kind,
        outstanding=sum((inv.outstanding for inv in unpaid), Decimal(0)),
        carrying_due_date=min((inv.due_date for inv in unpaid), default=None),
        notice_deadline=deadline, judicial=claim.phase is Phase.JUDICIAL)
