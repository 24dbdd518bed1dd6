"""Claims (créances / dossiers), their invoices (factures), holds and timeline.

Plain dataclasses, no I/O. A claim moves through the phases of domain.claims.lifecycle."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from domain.claims.judicial import JudicialRoute
from domain.debtors.model import DebtorKind
from domain.debtors.proceedings import CollectiveProceedings


class Phase(StrEnum):
    PRE_DUE = "pre_due"
    AMICABLE = "amicable"
    FORMAL_NOTICE = "formal_notice"
    JUDICIAL = "judicial"
    CLOSED = "closed"


class Outcome(StrEnum):
    PAID = "paid"
    WRITTEN_OFF = "written_off"
    CANCELLED = "cancelled"
    TRANSFERRED = "transferred"


class HoldReason(StrEnum):
    DISPUTE = "dispute"
    PROMISE = "promise"
    PAYMENT_PLAN = "payment_plan"
    MANUAL = "manual"
    INSOLVENCY = "insolvency"
    # Handed off under a written mandate (domain.judicial.handoff): the recipient chases,
    # the creditor's ladder waits until the mandate is withdrawn or closed.
    MANDATE = "mandate"

# A claim is opened in one atomic write (DynamoDB transactions take 100 items: the claim,
# its first event, its account, its external reference and one uniqueness item per invoice
# number), so the limit is stated here once and every layer uses it.
MAX_INVOICES_PER_CLAIM = 96


@dataclass(frozen=True, slots=True)
class Invoice:
    number: str
    issue_date: date
    due_date: date
    amount: Decimal  # including tax (TTC): late interest runs on the TTC amount
    # The day the goods were delivered or the service completed, when the creditor gave
    # it: prescription then runs from it (domain.amounts.deadlines.prescription_start).
    performed_on: date | None = None


@dataclass(frozen=True, slots=True)
class Hold:
    reason: HoldReason
    since: datetime
    until: date | None = None
    note: str | None = None


@dataclass(slots=True)
class Claim:
    id: str
    creditor_id: str
    debtor_id: str
    currency: str
    invoices: list[Invoice]
    phase: Phase
    outstanding: Decimal
    created_at: datetime
    updated_at: datetime
    step_index: int = 0
    hold: Hold | None = None
    outcome: Outcome | None = None
    external_reference: str | None = None
    version: int = 1
    debtor_kind: DebtorKind = DebtorKind.BUSINESS
    # How many events the timeline holds: the next event's sequence number, known without
    # reading the timeline (one change may append several events).
    event_count: int = 0
    # The creditor's time zone when the claim was opened: it decides what "today" is for
    # due dates, interest and promises without reading the creditor on every change.
    time_zone: str = "Europe/Paris"
    # The open phase a claim was in when it closed, to reopen it there (the payment that
    # closed it bounced, or a person reopens a claim written off, cancelled or transferred).
    closed_from: Phase | None = None
    # The hold it was under when it closed as paid: a dispute, a manual or an insolvency
    # hold did not end because money came in, so it comes back if that money bounces.
    closed_hold: Hold | None = None
    # Holds still running beneath `hold` (or beneath `closed_hold` while closed): a
    # dispute or collective proceedings recorded over a mandate cover its pause rather
    # than end it, and each ends only by its own action (domain.claims.lifecycle holds).
    covered_holds: tuple[Hold, ...] = ()
    # Half-years (up to the opening) in which the agreed B2B rate is below 3 × the legal
    # rate, so that the floor runs instead (domain.amounts.law.BelowFloorPolicy): kept on
    # the claim so its warnings show them without reading the account.
    rate_below_floor: tuple[str, ...] = ()
    # The days the debtor acknowledged the claim (payments, promises, a plan: C. civ. 2240),
    # from its account, so that a claim read shows limitation dates without the account.
    acknowledged: tuple[date, ...] = ()
    # The debtor's collective proceedings, copied onto each of its claims in the same write
    # as the debtor (domain.services.proceedings): statements read them without the debtor.
    proceedings: CollectiveProceedings | None = None
    # The last day to declare the claim to the mandataire (C. com. R622-24), once the
    # BODACC publication is known; it depends on where the creditor lives, so it is worked
    # out when the proceedings are recorded.
    declaration_deadline: date | None = None
    # The interest settings the claim was opened with (the creditor's, as the law leaves
    # them: domain.amounts.law.interest_day_count, BelowFloorPolicy), kept as their values
    # because claims do not build on amounts. Fixed at opening, as the time zone is, so a
    # later change of the creditor's settings never moves this claim's statements; kept
    # on the claim so a claim read shows them. A claim stored before they existed ran on
    # these defaults.
    interest_day_count: str = "date_difference"
    below_floor_policy: str = "floor"
    # Escalation: the policy the claim follows, at the version it started with (a later
    # version of the policy does not move it unless moved on explicitly), and where it is
    # on the ladder (`step_index`, the last contact, a manual step waiting for a person:
    # domain.escalation.planner.Progress).
    # Version 0: not bound yet; the ladder binds the creditor's default policy, at the
    # version then in force, when it first plans the claim (domain.services.escalation).
    policy_id: str = "default"
    policy_version: int = 0
    last_contact_on: date | None = None
    awaiting_step: str | None = None
    # The formal notice's deadline to pay, once one was sent (a judicial step counts from it).
    notice_deadline: date | None = None
    # The next step and the instant it runs, as scheduled (EventBridge Scheduler), with the
    # schedule's name: what the sweeper finds when a schedule was lost.
    next_step: str | None = None
    next_action_at: datetime | None = None
    schedule_name: str | None = None
    # A step the trigger claimed (its effects are under way), with when.
    running_step: str | None = None
    # Invoices under a dispute scoped to them: the ladder and the letters leave them out,
    # and chase the others (a dispute of the whole claim is a hold instead).
    disputed_invoices: tuple[str, ...] = ()
    # The judicial route taken (`start_judicial`): the proceedings build on it, and the
    # automatic ladder stops while the claim is judicial.
    judicial_route: JudicialRoute | None = None
    # The day the proceeding of that route ended without closing the claim (lapsed,
    # rejected, withdrawn, closed unpaid): another route may then start.
    proceeding_ended_on: date | None = None
    # The provider's e-mail events already applied (`kind:message id`, the latest few:
    # domain.services.email_feedback), written with their effects, so a notification
    # delivered twice (SNS is at least once) changes nothing the second time.
    email_feedback: tuple[str, ...] = ()

    def today(self, now: datetime) -> date:
        from zoneinfo import ZoneInfo

        return now.astimezone(ZoneInfo(self.time_zone)).date()

    def next_event_seq(self) -> int:
        self.event_count += 1
        return self.event_count

    @property
    def earliest_due_date(self) -> date:
        return min(inv.due_date for inv in self.invoices)

    @property
    def total_invoiced(self) -> Decimal:
        return sum((inv.amount for inv in self.invoices), Decimal(0))


@dataclass(frozen=True, slots=True)
class ClaimEvent:
    """One immutable line of a claim's timeline: who did what, when and why. This is the
    legal trace the seeds ask for ("the phone leaves no trace of commitments")."""

    claim_id: str
    seq: int
    at: datetime
    action: str
    actor: str
    reason: str | None = None
    data: dict[str, str] = field(default_factory=dict)
