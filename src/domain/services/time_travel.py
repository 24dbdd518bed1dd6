"""Time travel, for a local run only: move the clock forward to an instant and run, in order,
every step that falls due on the way, as the schedules and the sweeper would have run them
had the days really passed (`relance tick --to 2027-01-31`).

Each due step is run at its own instant (the clock is moved to it first), so its timeline,
its contact windows and its letters carry that day; then the next due one. The clock is
the ports' own, moved through `move_clock`: in AWS there is no such clock and the route
answers 409 before this module is reached.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from domain.claims.model import ClaimEvent
from domain.escalation.tasks import OUTCOMES, TaskKind
from domain.ports.escalation import Wakeup
from domain.services.caller import Caller, Ports
from domain.services.escalation import run_step
from domain.shared.errors import DomainValidationError, FieldError

# How far one trip may go: a ladder spans months, and a typo (2207) should not run decades.
MAX_TRIP = timedelta(days=3 * 366)
# At most this many steps in one trip (a guard against a claim that keeps coming due).
MAX_STEPS = 2_000


@dataclass(frozen=True, slots=True)
class ClaimTrip:
    """What one claim's timeline gained during the trip, in order."""

    creditor_id: str
    claim_id: str
    events: tuple[ClaimEvent, ...]


@dataclass(frozen=True, slots=True)
class Trip:
    started_at: datetime
    arrived_at: datetime
    steps_run: int
    claims: tuple[ClaimTrip, ...] = field(default=())


def travel(to: datetime, ports: Ports, move_clock: Callable[[datetime], object], *,
           answers: Mapping[TaskKind, str] | None = None,
           after_letter: Callable[[str, str], object] | None = None) -> Trip:
    """Move the clock to `to`, running each step due on the way at its own instant.

    A manual step blocks its ladder until a person answers its task: `answers` gives, per
    kind of task, the outcome to answer at once (a call `no_answer`, an approval
    `approved`), so that a whole ladder plays. `after_letter(creditor_id, claim_id)` is
    called after a step that asked for a letter, before the clock goes on: the letter worker
    renders and posts it meanwhile (a formal notice's deadline runs from its posting).

    Raises DomainValidationError (`to`: not after now, or beyond MAX_TRIP)."""
    start = ports.clock.now()
    if to.tzinfo is None or to <= start:
        raise DomainValidationError(
            "to", f"the clock only moves forward, from {start.isoformat()}",
            code="not_in_future")
    if to - start > MAX_TRIP:
        raise DomainValidationError(
            "to", f"one trip goes at most {MAX_TRIP.days} days ahead", code="too_far")
    touched: dict[tuple[str, str], None] = {}
    stuck: dict[tuple[str, str], int] = {}  # a claim due whose step would not run, at a version
    ran = 0
    for _ in range(MAX_STEPS):
        due = _earliest_due(ports, to, stuck)
        if due is None:
            break
        at, creditor_id, claim_id, step, version = due
        if at > ports.clock.now():
            move_clock(at)
        run = run_step(Wakeup(creditor_id, claim_id, step, version), ports)
        touched[(creditor_id, claim_id)] = None
        ran += run.outcome in ("ran", "approval_requested")
        answered = _answer(creditor_id, claim_id, answers or {}, ports)
        if after_letter is not None and (answered or any(
                channel in ("letter", "registered_letter") for channel, _ in run.sent)):
            after_letter(creditor_id, claim_id)
        after = ports.unit_of_work().claims.get_claim(creditor_id, claim_id)
        if after is not None and after.version == version:
            stuck[(creditor_id, claim_id)] = version  # nothing moved: do not spin on it
    if to > ports.clock.now():
        move_clock(to)
    return Trip(start, ports.clock.now(), ran,
                tuple(_trip_of(c, k, start, ports) for c, k in touched))


def answer_errors(answers: Mapping[str, str]) -> list[FieldError]:
    """The answers a trip may give: a known kind of task, one of its outcomes, and none
    that needs more than a word (a promise's amount, a dispute's reason)."""
    errors = []
    for kind, outcome in answers.items():
        try:
            allowed = OUTCOMES[TaskKind(kind)] - _NEEDS_MORE
        except ValueError:
            errors.append(FieldError(f"answers.{kind}", "not a kind of task", "unknown_kind"))
            continue
        if outcome not in allowed:
            errors.append(FieldError(f"answers.{kind}", f"one of {', '.join(sorted(allowed))}",
                                     "invalid_outcome"))
    return errors


_NEEDS_MORE = frozenset({"promise_made", "dispute_raised"})


def _answer(creditor_id: str, claim_id: str, answers: Mapping[TaskKind, str],
            ports: Ports) -> bool:
    """Answer the claim's open tasks of the kinds given, as a person would; the ladder goes
    on from each answer as it does from the worklist."""
    from domain.services.tasks import TaskCompletion, complete_task

    if not answers:
        return False
    caller = Caller(creditor_id, "operator:tick")
    answered = False
    for task in ports.unit_of_work().tasks.open_tasks_of_claim(creditor_id, claim_id):
        outcome = answers.get(task.kind)
        if outcome is not None:
            complete_task(task.id, TaskCompletion(outcome, note="answered by relance tick"),
                          caller, ports)
            answered = True
    return answered


def _earliest_due(ports: Ports, to: datetime, stuck: dict[tuple[str, str], int]
                  ) -> tuple[datetime, str, str, str, int] | None:
    """The claim whose next action comes first, no later than `to`: the first of each shard
    of the sweeper's index (in due order), read on the claim itself (the index may lag)."""
    from domain.ports.repositories import DUE_SHARDS

    best: tuple[datetime, str, str, str, int] | None = None
    uow = ports.unit_of_work()
    for shard in range(DUE_SHARDS):
        cursor = None
        while True:
            page = uow.claims.claims_due(shard, to, 10, cursor)
            found = False
            for creditor_id, claim_id in page.items:
                claim = uow.claims.get_claim(creditor_id, claim_id)
                if (claim is None or claim.next_action_at is None or claim.next_step is None
                        or claim.next_action_at > to
                        or stuck.get((creditor_id, claim_id)) == claim.version):
                    continue
                found = True
                if best is None or claim.next_action_at < best[0]:
                    best = (claim.next_action_at, creditor_id, claim_id, claim.next_step,
                            claim.version)
                break  # the shard is in due order: its first runnable claim is its earliest
            cursor = page.next_cursor
            if found or cursor is None:
                break
    return best


def _trip_of(creditor_id: str, claim_id: str, since: datetime, ports: Ports) -> ClaimTrip:
    from domain.ports.repositories import PageRequest

    events: list[ClaimEvent] = []
    uow, cursor = ports.unit_of_work(), None
    while True:
        page = uow.claims.list_events(creditor_id, claim_id, PageRequest(200, cursor))
        events.extend(e for e in page.items if e.at >= since)
        cursor = page.next_cursor
        if cursor is None:
            return ClaimTrip(creditor_id, claim_id, tuple(events))
