"""Use cases of the escalation engine: what a claim's ladder does next and when (`ladder`),
keeping exactly one schedule per claim after every change (`keep_schedule`,
`reschedule`), running a step when its schedule fires (`run_step`), a person's answer to a
step's task (`step_task_completed`), the sweeper that runs what a lost schedule missed
(`sweep`), and the lifecycle's `escalate` and `skip_step`.

Delivery is at least once (EventBridge Scheduler, then Lambda's asynchronous retries): a
wake-up names the claim's version it was scheduled for, so one that arrives after the claim
changed does nothing, unless the claim's next step is still the one it names (the change
kept its schedule); the step is claimed with a conditional write before any effect, so
three deliveries at once run it once; each effect carries an idempotency key made of the
claim, the step and the channel. The ledger is settled again right before anything is sent:
no reminder goes out after a payment that arrived before it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from domain.amounts.account import ClaimAccount
from domain.claims import events
from domain.claims.model import Claim, ClaimEvent
from domain.creditors.model import Creditor
from domain.debtors.model import ContactKind, Debtor
from domain.escalation import calendar
from domain.escalation.planner import (
    Plan,
    Progress,
    plan,
    progress_of,
    situation_of,
    start_index,
)
from domain.escalation.policy import LETTER_CHANNELS, Channel, Step
from domain.escalation.tasks import Task, TaskKind, TaskStatus
from domain.letters.model import DispatchMode, Letter, LetterEmail
from domain.ports.escalation import ChannelRefused, ScheduledWakeup, Wakeup
from domain.ports.unit_of_work import UnitOfWork
from domain.services.amounts import Change, _load, _save, _settle
from domain.services.caller import Caller, Ports
from domain.shared.errors import (
    ActionNotAllowed,
    Conflict,
    DomainError,
    DomainValidationError,
    NotFound,
    StaleVersion,
)
from domain.shared.ids import new_id
from domain.shared.retry import retry_on_stale, run_retrying

if TYPE_CHECKING:
    from domain.escalation.messages import MessageFacts

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
    windows: calendar.ContactWindows  # the creditor's
    # The debtor's calls in the cap's period, read only when the next step calls.
    call_attempts: tuple[datetime, ...] = ()


def windows_of(creditor: Creditor) -> calendar.ContactWindows:
    """The creditor's contact windows (checked when it was set), else the default."""
    if creditor.contact_windows is None:
        return calendar.DEFAULT_WINDOWS
    return calendar.windows_from_setting(creditor.contact_windows)


def region_of(debtor: Debtor) -> str | None:
    """The holiday region of the debtor's first postal address (Alsace-Moselle, overseas)."""
    for point in debtor.contact_points:
        if point.kind is ContactKind.POSTAL_ADDRESS and point.address is not None:
            return calendar.holiday_region(point.address.postal_code, point.address.country)
    return None


def instant_of(step: Step, due_on_start: datetime, time_zone: str, region: str | None,
               windows: calendar.ContactWindows,
               call_attempts: tuple[datetime, ...] = ()) -> datetime:
    """The first instant every channel of the step may be used, from `due_on_start`; a
    call waits, besides its window, for a slot under the attempts cap (4 in 30 days by
    default: B8, D223-9 C. conso applied conservatively)."""
    return max(calendar.next_call_slot(call_attempts, due_on_start, time_zone, region, windows)
               if c is Channel.CALL_TASK else
               calendar.next_instant(WINDOW_OF[c], due_on_start, time_zone, region, windows)
               for c in step.channels)


def ladder(claim_id: str, caller: Caller, ports: Ports) -> LadderView:
    """The claim's ladder today: its policy's steps at the claim's version, where it is,
    and the next step with its day and instant.

    Raises NotFound (no such claim, debtor or policy for this creditor)."""
    uow = ports.unit_of_work()
    found = uow.claims.get_claim_account(caller.creditor_id, claim_id)
    if found is None:
        raise NotFound("claim", claim_id)
    return _view(uow, *found, caller, ports)


def _view(uow: UnitOfWork, claim: Claim, account: ClaimAccount, caller: Caller,
          ports: Ports) -> LadderView:
    debtor, creditor = uow.debtors.get_debtor_with_creditor(caller.creditor_id, claim.debtor_id)
    return _view_of(claim, account, debtor, creditor, caller, ports)


def _view_of(claim: Claim, account: ClaimAccount, debtor: Debtor | None,
             creditor: Creditor | None, caller: Caller, ports: Ports) -> LadderView:
    if debtor is None or creditor is None:
        raise NotFound("debtor", claim.debtor_id)
    now = ports.clock.now()
    today = claim.today(now)
    statement = account.statement(claim, today, ports.rates.rate_tables())
    starting = claim.policy_version == 0
    steps = policy_steps(claim, caller, ports)
    situation = situation_of(claim, account, statement, today, creditor.formal_notice_days)
    if starting and claim.step_index == 0:
        claim.step_index = start_index(steps, situation)
    progress = progress_of(claim)
    next_plan = plan(steps, progress, situation)
    region = region_of(debtor)
    windows = windows_of(creditor)
    at = None
    attempts: tuple[datetime, ...] = ()
    if next_plan.step is not None and next_plan.due_on is not None:
        if Channel.CALL_TASK in next_plan.step.channels:
            attempts = debtor_calls(claim, windows, now, ports)
        zone = ZoneInfo(claim.time_zone)
        start = max(now, datetime.combine(next_plan.due_on, time(0), zone))
        at = instant_of(next_plan.step, start, claim.time_zone, region, windows, attempts)
    return LadderView(claim.policy_id, claim.policy_version, steps, progress, next_plan, at,
                      region, today, windows, attempts)


def debtor_calls(claim: Claim, windows: calendar.ContactWindows, now: datetime,
                 ports: Ports) -> tuple[datetime, ...]:
    """The calls that count against the cap for the claim's debtor, on all its claims:
    the calls made (call tasks done) and the calls asked of a person (call tasks open) in
    the period before `now` and since. The cap is the debtor's (D223-9 counts the calls a
    person receives, not a file's), so two claims of one debtor share it. Read only when
    the next step calls: one Query on the tasks' sparse index of calls."""
    since = now - windows.call_attempts_period
    return tuple(ports.unit_of_work().tasks.calls_of_debtor(claim.creditor_id,
                                                            claim.debtor_id, since))


def policy_steps(claim: Claim, caller: Caller, ports: Ports) -> tuple[Step, ...]:
    """The steps of the claim's policy at the claim's version, binding a claim that has none
    yet to the creditor's default policy at its version in force (`claim` is changed: a use
    case that saves it keeps the binding). A version never changes once written, so it is
    kept for the life of the process."""
    from domain.services.policies import get_policy

    if claim.policy_version == 0:
        policy = get_policy(claim.policy_id, caller, ports)
        claim.policy_id, claim.policy_version = policy.id, policy.version
        _STEPS[(claim.creditor_id, policy.id, policy.version)] = policy.steps
        return policy.steps
    key = (claim.creditor_id, claim.policy_id, claim.policy_version)
    steps = _STEPS.get(key)
    if steps is None:
        steps = get_policy(claim.policy_id, caller, ports).steps_of(claim.policy_version)
        _STEPS[key] = steps
    return steps


_STEPS: dict[tuple[str, str, int], tuple[Step, ...]] = {}


# ---------------------------------------------------------------------------- scheduling

# A schedule fires within a minute; past this, the sweeper takes it as lost and runs it.
SWEEP_GRACE = timedelta(minutes=5)
# The wake-up of a held claim on the day its hold ends by itself (no step of its own: the
# ledger is settled, the hold lifted, the next step scheduled).
RESUME = "resume"
RESUME_AT = time(8, 0)
# A step claimed this long ago and never finished (its process died between the claim and
# the record): the sweeper claims it again and runs it. Its effects carry idempotency keys
# (a letter is found by its step; the fake senders and the post deduplicate); an e-mail the
# dead run had already sent may go twice: better than a ladder stopped for good.
RUNNING_STALE = timedelta(minutes=15)


def keep_schedule(uow: UnitOfWork, claim: Claim, ports: Ports) -> None:
    """After the change being committed, keep the claim's one schedule right (every use case
    that saves a claim calls this; a function without a scheduler does nothing)."""
    if ports.scheduler is None:
        return
    creditor_id, claim_id = claim.creditor_id, claim.id
    uow.after_commit(lambda: _reschedule_quietly(creditor_id, claim_id, ports))


def _reschedule_quietly(creditor_id: str, claim_id: str, ports: Ports) -> None:
    # The change is committed whatever happens here: a schedule that could not be kept is
    # the sweeper's to catch (the claim's next_action_at still names the old instant, or
    # none), so a scheduler outage never fails the caller's request.
    try:
        reschedule(creditor_id, claim_id, ports)
    except (DomainError, ValueError):
        # A rate not yet published, a claim gone, a scheduler down: nothing scheduled now;
        # the next change, or the sweeper, plans it again.
        pass


@retry_on_stale
def reschedule(creditor_id: str, claim_id: str, ports: Ports) -> Claim | None:
    """Compute the claim's next step and instant; create its schedule and delete the one it
    replaces; store both on the claim (its version unchanged: a wake-up names the version it
    was scheduled for). Nothing is written when nothing changed."""
    scheduler = ports.scheduler
    if scheduler is None:
        return None
    caller = Caller(creditor_id, "scheduler")
    with ports.unit_of_work() as uow:
        found = uow.claims.get_claim_account(creditor_id, claim_id)
        if found is None:
            return None
        claim, account = found
        bound = claim.policy_version == 0  # the ladder binds the default policy now
        view = _view(uow, claim, account, caller, ports)
        old = claim.schedule_name
        if not _plan_schedule(claim, view, claim.version, ports) and not bound:
            return claim
        uow.claims.save_claim(claim, [], claim.version)
        uow.commit()
    if old and old != claim.schedule_name:
        scheduler.cancel(old)
    return claim


def _plan_schedule(claim: Claim, view: LadderView, version: int, ports: Ports) -> bool:
    """Set the claim's next step, instant and schedule from `view`, creating the schedule
    for the claim at `version` (the one being saved); False when nothing changed. The
    schedule it replaces is the caller's to delete once the claim is saved."""
    assert ports.scheduler is not None
    step = view.plan.step.key if view.plan.step and view.at else None
    at = view.at if step else None
    if step is None and view.plan.resume_on is not None:
        # A hold that ends by itself (a promise's deadline): wake up that morning to settle
        # the ledger, which finds the promise kept or broken and resumes.
        step, at = RESUME, datetime.combine(view.plan.resume_on, RESUME_AT,
                                            ZoneInfo(claim.time_zone))
    if (step, at) == (claim.next_step, claim.next_action_at) and (
            step is None or claim.schedule_name):
        return False
    name = None
    if step is not None and at is not None:
        name = ports.scheduler.schedule(ScheduledWakeup(
            Wakeup(claim.creditor_id, claim.id, step, version, claim.debtor_id), at,
            claim.time_zone))
    claim.next_step, claim.next_action_at, claim.schedule_name = step, at, name
    return True


# ---------------------------------------------------------------------------- running

@dataclass(frozen=True, slots=True)
class StepRun:
    """What one run of a step did: each channel sent (with the provider's id), skipped
    (with why) or turned into a task, the letter asked for."""

    outcome: str  # ran | approval_requested | stale | not_due | outside_window
    step: str | None = None
    sent: tuple[tuple[str, str], ...] = ()  # (channel, provider's id or the letter's id)
    skipped: tuple[tuple[str, str], ...] = ()  # (channel, reason)
    tasks: tuple[str, ...] = ()  # the kinds of the tasks raised
    messages: tuple[SentMessage, ...] = ()  # what each e-mail and SMS said


@dataclass(frozen=True, slots=True)
class SentMessage:
    """What the debtor was told, kept on the timeline as the proof of each contact (the
    evidence dossier quotes it); the address stays on the debtor."""

    channel: str
    message_id: str
    text: str
    subject: str | None = None


@dataclass(frozen=True, slots=True)
class _Claimed:
    claim: Claim
    account: ClaimAccount
    step: Step
    index: int
    passed_over: tuple[str, ...]  # the keys of the steps passed over on the way
    today: date
    approved: bool  # an approval step whose approval was given: its channels run now
    debtor: Debtor | None = None
    creditor: Creditor | None = None
    fired: bool = False  # woken by its own schedule, which deleted itself


def run_step(wakeup: Wakeup, ports: Ports, *, approved: bool = False,
             force: bool = False, fired: bool = False) -> StepRun:
    """Run the step a schedule (or the sweeper, or `escalate`) woke the claim up for.

    Does nothing for a wake-up of another version of the claim, a step that is not the
    claim's next one or not due yet, or outside its channels' windows (then the claim is
    rescheduled). Otherwise claims the step (one delivery wins), settles the ledger again,
    sends or raises what the step says, moves the ladder on and schedules the next step."""
    claimed = _claim_step(wakeup, ports, approved=approved, force=force, fired=fired)
    if isinstance(claimed, StepRun):
        if claimed.outcome in ("not_due", "outside_window"):
            _reschedule_quietly(wakeup.creditor_id, wakeup.claim_id, ports)
        return claimed
    return _finish(claimed, _effects(claimed, ports), ports)


@retry_on_stale
def _claim_step(wakeup: Wakeup, ports: Ports, *, approved: bool, force: bool = False,
                fired: bool = False) -> _Claimed | StepRun:
    caller = Caller(wakeup.creditor_id, "ladder")
    with ports.unit_of_work() as uow:
        change, debtor, creditor = _load_parties(uow, wakeup, caller, ports)
        if change is None:
            return StepRun("stale", wakeup.step_key)
        loaded = change.loaded
        if loaded is None or (loaded.version != wakeup.claim_version
                              and wakeup.step_key != loaded.next_step):
            # A change since moved the ladder on (its own schedule is the one to run). A
            # change that left the next step where it was (a partial payment) kept this
            # schedule, made for an earlier version: it is still the claim's, and runs.
            return StepRun("stale", wakeup.step_key)
        recovered = loaded.running_step is not None
        if recovered and (loaded.running_step != wakeup.step_key
                          or ports.clock.now() - loaded.updated_at < RUNNING_STALE):
            return StepRun("stale", wakeup.step_key)  # under way in another delivery
        _settle(change, ports)  # the ledger right before anything is sent
        claim = change.claim
        view = _view_of(claim, change.account, debtor, creditor, caller, ports)
        plan_now = view.plan
        step = plan_now.step
        if (step is None or plan_now.index is None or step.key != wakeup.step_key
                or not (force or plan_now.runs_on(change.today))):
            if change.entries:  # settling found something (a promise broken): keep it
                _save(uow, change, ports)
            return StepRun("not_due", wakeup.step_key)
        now = ports.clock.now()
        if not approved and not step.requires_approval and view.at is not None and (
                view.at > now + timedelta(minutes=1)):
            return StepRun("outside_window", step.key)
        claim.running_step = step.key
        change.record(events.StepStarted(step=step.key, index=plan_now.index,
                                         approved=approved or None,
                                         recovered=recovered or None))
        _save(uow, change)
    passed = tuple(view.steps[i].key for i in plan_now.passed_over)
    return _Claimed(claim, change.account, step, plan_now.index, passed, change.today,
                    approved, debtor, creditor, fired)


def _load_parties(uow: UnitOfWork, wakeup: Wakeup, caller: Caller, ports: Ports
                  ) -> tuple[Change | None, Debtor | None, Creditor | None]:
    """The claim to change, its debtor and the creditor: one round trip when the wake-up
    names the debtor, two otherwise."""
    from dataclasses import replace

    if wakeup.debtor_id:
        found = uow.claims.get_claim_context(wakeup.creditor_id, wakeup.claim_id,
                                             wakeup.debtor_id)
        if found is None:
            return None, None, None
        claim, account, debtor, creditor = found
        now = ports.clock.now()
        changed = replace(claim, version=claim.version + 1, updated_at=now)
        return (Change(changed, account, [], claim.version, claim.today(now), caller.actor,
                       loaded=claim), debtor, creditor)
    try:
        change = _load(uow, ports, caller, wakeup.claim_id)
    except NotFound:
        return None, None, None
    debtor, creditor = uow.debtors.get_debtor_with_creditor(caller.creditor_id,
                                                            change.claim.debtor_id)
    return change, debtor, creditor


def _effects(claimed: _Claimed, ports: Ports) -> StepRun:
    """Send or raise what the step says, each effect once (an idempotency key per claim,
    step and channel). Reads the debtor and the creditor for the contact points."""
    step, claim = claimed.step, claimed.claim
    if step.requires_approval and not claimed.approved:
        return StepRun("approval_requested", step.key, tasks=(TaskKind.APPROVAL.value,))
    debtor, creditor = claimed.debtor, claimed.creditor
    if debtor is None or creditor is None:
        debtor, creditor = ports.unit_of_work().debtors.get_debtor_with_creditor(
            claim.creditor_id, claim.debtor_id)
    sent: list[tuple[str, str]] = []
    messages: list[SentMessage] = []
    skipped: list[tuple[str, str]] = []
    tasks: list[str] = []
    # An e-mail beside a letter carries the letter's PDF, which the letter worker renders
    # later: the letter is asked for first, with the e-mail to send once it is rendered
    # (services.letter_email); the e-mail goes now, bare, only when no letter could be.
    carries = Channel.EMAIL in step.channels and any(
        c in LETTER_CHANNELS for c in step.channels)
    carried: str | None = None  # the letter the e-mail waits for
    channels = (sorted(step.channels, key=lambda c: c is Channel.EMAIL) if carries
                else step.channels)
    for channel in channels:
        key = f"{claim.id}:{step.key}:{channel.value}"
        if channel in TASK_CHANNEL_KINDS:
            tasks.append(TASK_CHANNEL_KINDS[channel].value)
            continue
        if debtor is None or creditor is None:
            skipped.append((channel.value, "no_debtor"))
            continue
        try:
            if channel is Channel.EMAIL and carried is not None:
                sent.append((channel.value, f"{WITH_LETTER}{carried}"))
            elif channel in (Channel.EMAIL, Channel.SMS):
                send = _send_email if channel is Channel.EMAIL else _send_sms
                message = send(step, claimed, debtor, creditor, key, ports)
                messages.append(message)
                sent.append((channel.value, message.message_id))
            else:
                email = None
                if carries and carried is None and _usable_email(debtor, ports) is not None:
                    email = LetterEmail(step.template or "overdue_1",
                                        f"{claim.id}:{step.key}:{Channel.EMAIL.value}")
                letter = _send_letter(step, claimed, channel, ports, email)
                if letter.email_on_ready is not None and carried is None:
                    carried = letter.id
                sent.append((channel.value, letter.id))
        except NoContact as missing:
            skipped.append((channel.value, missing.reason))
            tasks.append(TaskKind.VERIFY_CONTACT.value)
        except (ChannelRefused, DomainValidationError, ActionNotAllowed) as exc:
            skipped.append((channel.value, _reason(exc)))
    return StepRun("ran", step.key, tuple(sent), tuple(skipped), tuple(tasks),
                   tuple(messages))


class NoContact(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _reason(exc: Exception) -> str:
    if isinstance(exc, DomainValidationError):
        return exc.errors[0].code
    if isinstance(exc, ActionNotAllowed):
        return "not_allowed"
    return "refused"


def _finish(claimed: _Claimed, run: StepRun, ports: Ports) -> StepRun:
    """Record what the step did, move the ladder on and schedule the next step, in one
    write. The claim as claimed is still the stored one unless a letter was asked for (its
    request wrote the claim): then, and after a lost race, it is read again."""
    reread = any(c in ("letter", "registered_letter") for c, _ in run.sent)

    def once() -> StepRun:
        nonlocal reread
        try:
            return _finish_once(claimed, run, ports, reread=reread)
        finally:
            reread = True  # a retry follows a lost race: what was claimed is stale

    return run_retrying(once)


def _finish_once(claimed: _Claimed, run: StepRun, ports: Ports, *, reread: bool) -> StepRun:
    from dataclasses import replace

    caller = Caller(claimed.claim.creditor_id, "ladder")
    step = claimed.step
    with ports.unit_of_work() as uow:
        if reread:
            change, debtor, creditor = _load_parties(uow, Wakeup(
                claimed.claim.creditor_id, claimed.claim.id, step.key, 0,
                claimed.claim.debtor_id), caller, ports)
            if change is None:
                return run
        else:
            stored, now = claimed.claim, ports.clock.now()
            change = Change(replace(stored, version=stored.version + 1, updated_at=now),
                            claimed.account, [], stored.version, claimed.today,
                            caller.actor, loaded=stored)
            debtor, creditor = claimed.debtor, claimed.creditor
        claim = change.claim
        claim.running_step = None
        waits = run.outcome == "approval_requested" or any(
            kind != TaskKind.VERIFY_CONTACT.value for kind in run.tasks)
        tasks: tuple[str, ...] = ((TaskKind.APPROVAL.value,)
                                  if run.outcome == "approval_requested" else run.tasks)
        claim.step_index = max(claim.step_index, claimed.index + 1)
        claim.awaiting_step = step.key if waits else None
        if run.sent:
            claim.last_contact_on = claimed.today
        for key in claimed.passed_over:
            change.record(events.StepPassedOver(step=key))
        for kind in tasks:
            _raise_task(uow, claim, step, TaskKind(kind), ports)
        change.record(events.StepRan(
            step=step.key, index=claimed.index, outcome=run.outcome,
            sent=tuple(f"{c}:{ref}" for c, ref in run.sent) or None,
            skipped=tuple(f"{c}:{why}" for c, why in run.skipped) or None,
            tasks=run.tasks or None))
        for message in run.messages:
            change.record(events.MessageSent(step=step.key, channel=message.channel,
                                             message_id=message.message_id,
                                             subject=message.subject, text=message.text))
        _settle(change, ports)
        old = claim.schedule_name
        if ports.scheduler is not None:  # the next step, in the same write
            try:
                _plan_schedule(claim, _view_of(claim, change.account, debtor, creditor,
                                               caller, ports), claim.version, ports)
            except (DomainError, ValueError):
                claim.next_step = claim.next_action_at = claim.schedule_name = None
        _save(uow, change)
    if ports.scheduler is not None and old and old != claim.schedule_name and not (
            claimed.fired and old == claimed.claim.schedule_name):
        ports.scheduler.cancel(old)  # a schedule that fired deleted itself
    return run


# ---------------------------------------------------------------------------- channels

TASK_CHANNEL_KINDS = {
    Channel.CALL_TASK: TaskKind.CALL, Channel.VISIT_TASK: TaskKind.VISIT,
    Channel.APPROVAL_TASK: TaskKind.APPROVAL,
    Channel.JUDICIAL_ASSESSMENT_TASK: TaskKind.JUDICIAL_ASSESSMENT,
}
# How a letter step posts its letter: a reminder by simple mail, a registered step with an
# acknowledgement of receipt (the proof of the formal notice's date).
_POST_MODE = {Channel.LETTER: DispatchMode.SIMPLE,
              Channel.REGISTERED_LETTER: DispatchMode.REGISTERED_AR}
_TASK_TITLES = {
    TaskKind.CALL: "Call the debtor about the unpaid invoices",
    TaskKind.VISIT: "Visit the debtor",
    TaskKind.APPROVAL: "Approve the next step before it runs",
    TaskKind.JUDICIAL_ASSESSMENT: "Assess the judicial routes: the formal notice's deadline "
                                  "has passed",
    TaskKind.VERIFY_CONTACT: "Find a valid contact point: a step could not reach the debtor",
}


def _usable(debtor: Debtor, kind: ContactKind, channel: str) -> str | None:
    """The first contact point contact validation found usable for `channel`. An address
    whose owner complained of our e-mail is never used again, whatever its status (a
    validation stored before channels existed has none, and serves every channel)."""
    from domain.debtors.validation import COMPLAINED

    for point in debtor.contact_points:
        v = point.validation
        if point.kind is kind and v is not None and v.status in ("valid", "risky") and (
                channel in v.channels or not v.channels) and COMPLAINED not in v.reasons:
            value = v.normalized if isinstance(v.normalized, str) else point.value
            if value:
                return value
    return None


def _facts(claimed: _Claimed, debtor: Debtor, creditor: Creditor,
           ports: Ports) -> MessageFacts:
    return message_facts(claimed.claim, claimed.account, claimed.today, debtor, creditor,
                         ports)


def message_facts(claim: Claim, account: ClaimAccount, today: date, debtor: Debtor,
                  creditor: Creditor, ports: Ports) -> MessageFacts:
    """What a ladder message says of the claim on `today`: its unpaid invoices."""
    from domain.escalation.messages import MessageFacts
    from domain.letters.references import payment_reference

    statement = account.statement(claim, today, ports.rates.rate_tables())
    unpaid = [inv for inv in statement.invoices if inv.outstanding > 0 and not inv.prescribed]
    return MessageFacts(
        creditor_name=creditor.legal_name, debtor_name=debtor.name,
        invoice_numbers=tuple(inv.number for inv in unpaid),
        total_due=sum((inv.outstanding for inv in unpaid), Decimal(0)),
        currency=claim.currency,
        earliest_due_date=min((inv.due_date for inv in unpaid), default=claim.earliest_due_date),
        payment_reference=payment_reference(claim.id), iban=creditor.iban,
        deadline=claim.notice_deadline, consumer=claim.debtor_kind.value == "consumer")


def _send_email(step: Step, claimed: _Claimed, debtor: Debtor, creditor: Creditor, key: str,
                ports: Ports) -> SentMessage:
    from domain.escalation.messages import compose
    from domain.ports.escalation import EmailMessage

    to = _usable_email(debtor, ports)
    if to is None or ports.email is None:
        raise NoContact("no_email")
    message = compose(step.template or "overdue_1", debtor.language,
                      _facts(claimed, debtor, creditor, ports))
    message_id = ports.email.send(EmailMessage(to=to, subject=message.subject,
                                               text=message.text, idempotency_key=key,
                                               creditor_id=creditor.id,
                                               claim_id=claimed.claim.id))
    return SentMessage("email", message_id, message.text, message.subject)


def _send_sms(step: Step, claimed: _Claimed, debtor: Debtor, creditor: Creditor, key: str,
              ports: Ports) -> SentMessage:
    from domain.escalation.messages import sms_text
    from domain.ports.escalation import SmsMessage

    to = _usable(debtor, ContactKind.PHONE, "sms")
    if to is None or ports.sms is None:
        raise NoContact("no_mobile")
    text = sms_text(step.template or "overdue_1", debtor.language,
                    _facts(claimed, debtor, creditor, ports))
    return SentMessage("sms", ports.sms.send(SmsMessage(to=to, text=text, idempotency_key=key)),
                       text)


def _usable_email(debtor: Debtor, ports: Ports) -> str | None:
    """Where the ladder's e-mail goes: None without a usable address or a sender."""
    return None if ports.email is None else _usable(debtor, ContactKind.EMAIL, "email")


# The step's sent entry for an e-mail that waits for its letter: `email:with_letter:ltr_…`;
# the letter's `letter_emailed` (or `letter_email_skipped`) entry says what came of it.
WITH_LETTER = "with_letter:"


def _send_letter(step: Step, claimed: _Claimed, channel: Channel, ports: Ports,
                 email: LetterEmail | None = None) -> Letter:
    """Ask for the step's letter, posted as soon as it is rendered (and e-mailed, when
    `email` says so). A letter this step already asked for (a run interrupted after it) is
    the one answered."""
    from domain.services import letters

    claim = claimed.claim
    caller = Caller(claim.creditor_id, "ladder")
    for earlier in letters.list_letters(claim.id, caller, ports):
        if earlier.step_key == step.key:
            return earlier
    if step.letter_kind is None:
        raise NoContact("no_letter_kind")
    try:
        letter = letters.request_letter(claim.id, letters.LetterDraft(
            kind=step.letter_kind, step_key=step.key, dispatch_on_ready=_POST_MODE[channel],
            email_on_ready=email), caller, ports)
    except DomainValidationError as exc:
        if exc.errors[0].code == "no_postal_address":
            raise NoContact("no_postal_address") from None
        raise
    return letter


def _raise_task(uow: UnitOfWork, claim: Claim, step: Step | None, kind: TaskKind,
                ports: Ports, *, contact_point_id: str | None = None,
                title: str | None = None) -> Task:
    """A task in the worklist. A verify_contact task holds no step (the ladder goes on
    without it), and may name the contact point that failed (an e-mail that bounced)."""
    now = ports.clock.now()
    task = Task(id=new_id("tsk"), creditor_id=claim.creditor_id, claim_id=claim.id,
                debtor_id=claim.debtor_id, kind=kind, status=TaskStatus.OPEN,
                created_at=now, due_at=now, title=title or _TASK_TITLES[kind],
                step_key=None if kind is TaskKind.VERIFY_CONTACT or step is None
                else step.key,
                policy_version=claim.policy_version, contact_point_id=contact_point_id)
    uow.tasks.add_task(task)
    return task


# ---------------------------------------------------------------------------- tasks


def step_task_completed(task: Task, outcome: str, caller: Caller, ports: Ports) -> None:
    """A person answered a step's task. An approved step runs now (its channels: the formal
    notice's registered letter); any other answer (a call made, a visit, a rejected
    approval: the step skipped) releases the ladder, which moves on to its next step."""
    if task.step_key is None:
        return
    if task.kind is TaskKind.APPROVAL and outcome == "approved":
        claimed = _claim_approved(task, ports)
        if claimed is not None:
            _finish(claimed, _effects(claimed, ports), ports)
        return
    _release(task, outcome, ports, contacted=task.kind in (TaskKind.CALL, TaskKind.VISIT)
             and outcome not in ("no_answer", "wrong_number", "absent", "moved"))


@retry_on_stale
def _claim_approved(task: Task, ports: Ports) -> _Claimed | None:
    """Claim the approved step (one approval runs it once), as `_claim_step` does."""
    caller = Caller(task.creditor_id, "ladder")
    with ports.unit_of_work() as uow:
        change = _load(uow, ports, caller, task.claim_id)
        claim = change.claim
        if claim.awaiting_step != task.step_key or claim.running_step:
            return None
        steps = policy_steps(claim, caller, ports)
        index = next((i for i, s in enumerate(steps) if s.key == task.step_key), None)
        if index is None:
            return None
        _settle(change, ports)  # the ledger right before the letter goes
        if claim.phase.value == "closed":
            claim.awaiting_step = None
            _save(uow, change)
            return None
        claim.running_step = task.step_key
        change.record(events.StepStarted(step=steps[index].key, index=index, approved=True))
        _save(uow, change)
    return _Claimed(claim, change.account, steps[index], index, (), change.today, True)


@retry_on_stale
def _release(task: Task, outcome: str, ports: Ports, *, contacted: bool) -> None:
    caller = Caller(task.creditor_id, "ladder")
    with ports.unit_of_work() as uow:
        change = _load(uow, ports, caller, task.claim_id)
        claim = change.claim
        if claim.awaiting_step != task.step_key:
            return
        claim.awaiting_step = None
        # A call task done is an attempt, whatever came of it: the debtor's tasks count it
        # (debtor_calls), nothing to keep on the claim.
        if contacted:
            claim.last_contact_on = change.today
        change.record(events.StepReleased(step=task.step_key or "", task_id=task.id,
                                          outcome=outcome))
        _settle(change, ports)
        _save(uow, change, ports)


# ---------------------------------------------------------------------------- sweeper

def sweep(ports: Ports, *, limit: int = 100) -> int:
    """Run the steps whose schedule was lost or failed: every claim whose next action is more
    than SWEEP_GRACE overdue, shard by shard of the sparse index (its reads grow with the
    claims due, not with the table). Returns how many steps ran."""
    from domain.ports.repositories import DUE_SHARDS

    before = ports.clock.now() - SWEEP_GRACE
    ran = 0
    for shard in range(DUE_SHARDS):
        cursor = None
        while True:
            page = ports.unit_of_work().claims.claims_due(shard, before, limit, cursor)
            for creditor_id, claim_id in page.items:
                claim = ports.unit_of_work().claims.get_claim(creditor_id, claim_id)
                if claim is None or claim.next_step is None:
                    continue
                run = run_step(Wakeup(creditor_id, claim_id, claim.next_step, claim.version),
                               ports)
                ran += run.outcome in ("ran", "approval_requested")
            cursor = page.next_cursor
            if cursor is None:
                break
    return ran


# ---------------------------------------------------------------------------- actions

def ladder_action(claim_id: str, action: str, reason: str | None, caller: Caller,
                  ports: Ports, expected_version: int | None = None
                  ) -> tuple[Claim, ClaimEvent]:
    """`escalate`: run the ladder's next step now, whatever its day (still within its
    channels' contact windows); `skip_step`: pass over it (a manual step waiting for a
    person included). Both answer the claim and the timeline entry that says it.

    Raises ActionNotAllowed (closed, held for escalate), DomainValidationError
    (`no_next_step`; `outside_window` with the instant it may run), Conflict (a step is
    under way), StaleVersion (the claim is not at `expected_version`, or changed while the
    step was claimed: the caller replays it on a fresh read when it sent no If-Match)."""
    from domain.claims import lifecycle

    uow = ports.unit_of_work()
    found = uow.claims.get_claim_account(caller.creditor_id, claim_id)
    if found is None:
        raise NotFound("claim", claim_id)
    claim, account = found
    if expected_version is not None and claim.version != expected_version:
        raise StaleVersion("claim changed since it was read")
    lifecycle.ensure_allowed(claim, action, claim.today(ports.clock.now()))
    if claim.running_step is not None:
        raise Conflict(f"step {claim.running_step} is under way: retry once it has run")
    view = _view(uow, claim, account, caller, ports)
    if action == "skip_step":
        return _skip(claim, view, reason, caller, ports)
    step = view.plan.step
    if step is None or view.plan.kind.value != "due":
        raise DomainValidationError("action", f"the ladder has no step to run now: "
                                    f"{view.plan.reason or view.plan.kind.value}",
                                    code="no_next_step")
    now = ports.clock.now()
    at = instant_of(step, now, claim.time_zone, view.region, view.windows, view.call_attempts)
    if at > now + timedelta(minutes=1):
        raise DomainValidationError("action", f"step {step.key} may not run outside its "
                                    f"contact window: the next instant is {at.isoformat()}",
                                    code="outside_window")
    run = run_step(Wakeup(claim.creditor_id, claim.id, step.key, claim.version), ports,
                   force=True)
    if run.outcome == "stale":
        # Another change won the claim between the read and the step's claim: nothing ran.
        raise StaleVersion("claim changed while its step was claimed")
    return _latest(claim_id, caller, ports)


def _skip(read: Claim, view: LadderView, reason: str | None, caller: Caller,
          ports: Ports) -> tuple[Claim, ClaimEvent]:
    """Pass over the next step, from the claim as `view` read it (a change since is a
    StaleVersion on save: the caller replays it)."""
    from dataclasses import replace

    with ports.unit_of_work() as uow:
        found = uow.claims.get_claim_account(caller.creditor_id, read.id)
        if found is None:
            raise NotFound("claim", read.id)
        stored, account = found
        if stored.version != read.version:
            raise StaleVersion("claim changed since its ladder was read")
        now = ports.clock.now()
        change = Change(replace(stored, version=stored.version + 1, updated_at=now), account,
                        [], stored.version, stored.today(now), caller.actor, loaded=stored)
        claim = change.claim
        if claim.awaiting_step is not None:
            key = claim.awaiting_step
            claim.awaiting_step = None
        else:
            index = view.plan.index
            if index is None:
                raise DomainValidationError("action", "the ladder has no step to skip",
                                            code="no_next_step")
            key = view.steps[index].key
            claim.step_index = index + 1
        change.record(events.StepSkipped(step=key, reason=reason))
        _save(uow, change, ports)
    return change.claim, change.entries[-1]


def _latest(claim_id: str, caller: Caller, ports: Ports) -> tuple[Claim, ClaimEvent]:
    """The claim after the step, with the timeline entry that says what it did."""
    uow = ports.unit_of_work()
    claim = uow.claims.get_claim(caller.creditor_id, claim_id)
    last = uow.claims.latest_events(caller.creditor_id, claim_id, 1)
    if claim is None or not last:
        raise NotFound("claim", claim_id)
    return claim, last[0]
