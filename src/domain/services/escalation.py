"""Use cases of the escalation engine. This first part answers what a claim's ladder will
do next, and when: the step, its day (the planner) and its instant (the calendar: business
days and contact windows in the creditor's time zone, the debtor's holidays). The trigger
that runs a step, the scheduling after each change and the sweeper build on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from domain.debtors.model import ContactKind, Debtor
from domain.escalation import calendar
from domain.escalation.planner import Plan, Progress, plan, progress_of, situation_of
from domain.escalation.policy import Channel, Step
from domain.services.caller import Caller, Ports
from domain.shared.errors import NotFound

# Which contact window a channel keeps (domain.escalation.calendar): a task lands in a
# person's worklist on a business day, at the hours letters go.
WINDOW_OF = {
    Channel.EMAIL: "email", Channel.SMS: "sms", Channel.LETTER: "letter",
    Channel.REGISTERED_LETTER: "letter", Channel.CALL_TASK: "call",
    Channel.VISIT_TASK: "letter", Channel.APPROVAL_TASK: "letter",
    Channel.JUDICIAL_ASSESSMENT_TASK: "letter",
}


@dataclass(frozen=True, slots=True)
class LadderView:
    policy_id: str
    policy_version: int
    steps: tuple[Step, ...]
    progress: Progress
    plan: Plan
    at: datetime | None  # the instant the next step runs (UTC), when it is due
    region: str | None  # the debtor's holiday region
    today: date  # in the creditor's time zone


def region_of(debtor: Debtor) -> str | None:
    """The holiday region of the debtor's first postal address (Alsace-Moselle, overseas)."""
    for point in debtor.contact_points:
        if point.kind is ContactKind.POSTAL_ADDRESS and point.address is not None:
            return calendar.holiday_region(point.address.postal_code, point.address.country)
    return None


def instant_of(step: Step, due_on_start: datetime, time_zone: str, region: str | None,
               windows: calendar.ContactWindows) -> datetime:
    """The first instant every channel of the step may be used, from `due_on_start`."""
    return max(calendar.next_instant(WINDOW_OF[c], due_on_start, time_zone, region, windows)
               for c in step.channels)


def ladder(claim_id: str, caller: Caller, ports: Ports) -> LadderView:
    """The claim's ladder today: its policy's steps at the claim's version, where it is,
    and the next step with its day and instant.

    Raises NotFound (no such claim, debtor or policy for this creditor)."""
    from domain.services.policies import get_policy

    uow = ports.unit_of_work()
    found = uow.claims.get_claim_account(caller.creditor_id, claim_id)
    if found is None:
        raise NotFound("claim", claim_id)
    claim, account = found
    debtor, creditor = uow.debtors.get_debtor_with_creditor(caller.creditor_id, claim.debtor_id)
    if debtor is None or creditor is None:
        raise NotFound("debtor", claim.debtor_id)
    now = ports.clock.now()
    today = claim.today(now)
    statement = account.statement(claim, today, ports.rates.rate_tables())
    policy = get_policy(claim.policy_id, caller, ports)
    steps = policy.steps_of(claim.policy_version)
    progress = progress_of(claim)
    next_plan = plan(steps, progress, situation_of(claim, account, statement, today,
                                                   creditor.formal_notice_days))
    region = region_of(debtor)
    at = None
    if next_plan.step is not None and next_plan.due_on is not None:
        zone = ZoneInfo(claim.time_zone)
        start = max(now, datetime.combine(next_plan.due_on, time(0), zone))
        at = instant_of(next_plan.step, start, claim.time_zone, region,
                        calendar.DEFAULT_WINDOWS)
    return LadderView(claim.policy_id, claim.policy_version, steps, progress, next_plan, at,
                      region, today)
