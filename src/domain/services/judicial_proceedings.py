"""Use cases of a proceeding under way: starting it (the lifecycle's `start_judicial` calls
`stage_start` in its own write), reading it with its deadlines, and recording what
happened.

An event is one atomic write: the proceeding (at the version read), the claim with its
timeline entry and its account (a judgment, a payment the commissaire passed on, the
interruption of prescription), and the tasks it opens or makes moot. The law's effects are
the existing machinery's: `amounts.apply_judgment` (interest from the pronouncement, +5
points two months after the judgment became enforceable, i.e. was served: CPC 503, C.
monét. fin. L313-3) and `amounts.apply_payment`, never a second copy.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from domain.claims import events, lifecycle
from domain.claims.judicial import JudicialRoute
from domain.claims.model import Claim, Phase
from domain.debtors.model import ContactKind, Debtor
from domain.escalation.tasks import Task, TaskKind, TaskStatus
from domain.judicial import proceedings as jp
from domain.judicial.parameters import ParameterTable, judicial_parameters
from domain.ports.unit_of_work import UnitOfWork
from domain.services.amounts import (
    Change,
    JudgmentDraft,
    PaymentDraft,
    _load,
    _settle,
    apply_judgment,
    apply_payment,
    stage_change,
)
from domain.services.caller import Caller, Ports
from domain.shared.errors import (
    ActionNotAllowed,
    DomainValidationError,
    NotFound,
    StaleVersion,
)
from domain.shared.ids import new_id
from domain.shared.money import format_amount, parse_amount
from domain.shared.parameters import UnknownParameter
from domain.shared.retry import run_retrying

JUDICIAL_TASKS = frozenset({
    TaskKind.SERVE_ORDER, TaskKind.WATCH_OPPOSITION, TaskKind.INSTRUCT_LAWYER,
    TaskKind.ATTEND_HEARING, TaskKind.SERVE_JUDGMENT, TaskKind.INSTRUCT_ENFORCEMENT,
    TaskKind.DECLARE_CLAIM, TaskKind.PLACE_SUMMONS, TaskKind.RETURN_COLLECTED})

# The tasks an event does (closed as done); a proceeding that ends closes the rest as moot.
_DONE_BY: dict[jp.EventType, frozenset[TaskKind]] = {
    jp.EventType.SERVED: frozenset({TaskKind.SERVE_ORDER}),
    jp.EventType.OPPOSED: frozenset({TaskKind.WATCH_OPPOSITION}),
    jp.EventType.ENFORCEABLE: frozenset({TaskKind.WATCH_OPPOSITION}),
    jp.EventType.CONTESTED: frozenset({TaskKind.WATCH_OPPOSITION}),
    jp.EventType.UNCONTESTED: frozenset({TaskKind.WATCH_OPPOSITION}),
    # A new date replaces the hearing task; a lawyer setting it did what was asked.
    jp.EventType.HEARING_SET: frozenset({TaskKind.INSTRUCT_LAWYER, TaskKind.ATTEND_HEARING}),
    jp.EventType.JUDGMENT_SERVED: frozenset({TaskKind.SERVE_JUDGMENT}),
    jp.EventType.JUDGMENT: frozenset({TaskKind.ATTEND_HEARING}),
    jp.EventType.REJECTED: frozenset({TaskKind.ATTEND_HEARING}),
    jp.EventType.ENFORCEMENT_STEP: frozenset({TaskKind.INSTRUCT_ENFORCEMENT}),
    jp.EventType.DECLARED: frozenset({TaskKind.DECLARE_CLAIM}),
    jp.EventType.SUMMONS_PLACED: frozenset({TaskKind.PLACE_SUMMONS}),
    jp.EventType.APPEAL_DECIDED: frozenset({TaskKind.INSTRUCT_LAWYER}),
}

# The tasks an event makes obsolete without doing them (closed as skipped): an adjourned
# hearing moves the day the served assignation must be placed by, and its own task opens.
_REPLACED_BY: dict[jp.EventType, frozenset[TaskKind]] = {
    jp.EventType.HEARING_SET: frozenset({TaskKind.PLACE_SUMMONS}),
    jp.EventType.OPPOSED: frozenset({TaskKind.INSTRUCT_ENFORCEMENT}),  # a late opposition
}

_TITLES = {
    TaskKind.SERVE_ORDER: "Have the order served by a commissaire de justice by {day} "
                          "(else it is non avenue)",
    TaskKind.WATCH_OPPOSITION: "Watch for an opposition: the title may be enforced from {day}",
    TaskKind.INSTRUCT_LAWYER: "Instruct a lawyer by {day}: the opposed case needs one",
    TaskKind.ATTEND_HEARING: "Hearing on {day}",
    TaskKind.SERVE_JUDGMENT: "Have the decision served, to make it enforceable against "
                             "the debtor",
    TaskKind.INSTRUCT_ENFORCEMENT: "Instruct a commissaire de justice to enforce the title",
    TaskKind.DECLARE_CLAIM: "Declare the claim to the mandataire by {day}",
    TaskKind.PLACE_SUMMONS: "Place the served assignation at the greffe by {day} (else it "
                            "lapses)",
    TaskKind.RETURN_COLLECTED: "The title was set aside on appeal: return to the debtor the "
                               "{amount} its enforcement collected, and reverse those "
                               "payments",
}


# The creditor's act once an appeal is lodged (domain.judicial.proceedings.appeal_task).
_APPEAL_TITLES = {
    "respondent": "Instruct a lawyer before the cour d'appel by {day}: the debtor appealed, "
                  "and representation is mandatory there (the decision stays enforceable)",
    "appellant": "Have the appellant's conclusions filed by {day} (else the appeal lapses)",
}


@dataclass(frozen=True, slots=True)
class JudicialView:
    proceeding: jp.Proceeding
    deadlines: list[jp.Deadline]
    title_enforceable_until: date | None
    today: date
    currency: str
    allowed_events: list[str]


def _view(p: jp.Proceeding, claim: Claim, today: date) -> JudicialView:
    params = judicial_parameters()
    return JudicialView(p, jp.deadlines(p, params, today),
                        jp.title_enforceable_until(p, params), today, claim.currency,
                        jp.proceeding_events(p, params, today=today,
                                             stayable=claim.proceedings is not None))


def _due_at(day: date, zone: str) -> datetime:
    # Nine in the morning where the creditor is: a worklist sorts it with that day's calls.
    return datetime.combine(day, time(9), tzinfo=ZoneInfo(zone))


def _task(change: Change, kind: TaskKind, day: date, title: str | None = None,
          **fields: str) -> Task:
    """A task due on `day`, titled by its kind's wording (or `title`) with `fields`."""
    claim = change.claim
    return Task(id=new_id("tsk"), creditor_id=claim.creditor_id, claim_id=claim.id,
                debtor_id=claim.debtor_id, kind=kind, status=TaskStatus.OPEN,
                created_at=claim.updated_at, due_at=_due_at(day, claim.time_zone),
                title=(title or _TITLES[kind]).format(day=day.isoformat(), **fields))


def declaration_task_id(claim_id: str, opened_on: date) -> str:
    """The id of a claim's one `declare_claim` task for the opening judgment of `opened_on`.
    The insolvency watch and a declaration_of_claim proceeding each open it, whichever comes
    first; derived rather than random, so that two writers racing each other cannot both
    add one (the second write fails on the id: 409 to the person, the watch's next run) and
    a task already done is found too. A new opening (another judgment's day) is a new task.
    """
    return f"tsk_declare_{claim_id}_{opened_on:%Y%m%d}"


def existing_declaration_task(uow: UnitOfWork, creditor_id: str, claim_id: str,
                              opened_on: date) -> Task | None:
    """The claim's `declare_claim` task for that opening, in any status, or an open one
    whose id was not derived (opened before ids were, or by hand)."""
    found = uow.tasks.get_task(creditor_id, declaration_task_id(claim_id, opened_on))
    if found is not None:
        return found
    return next((t for t in uow.tasks.open_tasks_of_claim(creditor_id, claim_id)
                 if t.kind is TaskKind.DECLARE_CLAIM), None)


# ------------------------------------------------------------------------------ start


def stage_start(uow: UnitOfWork, change: Change, route: JudicialRoute, *,
                court: jp.Court | None = None, filer: jp.Filer = jp.Filer.CREDITOR,
                debtor_residence: jp.Residence = jp.Residence.METROPOLITAN,
                ) -> tuple[jp.Proceeding, list[Task]]:
    """A proceeding in `draft` on the claim being changed, staged with its first tasks;
    the caller stages the claim (`stage_change`) and commits. For start_judicial, whose
    write moves the claim to the judicial phase.

    Raises DomainValidationError (`route`) when a proceeding is already under way."""
    claim = change.claim
    starts = jp.in_force_from(route, judicial_parameters(), change.today)
    if starts is not None:
        raise DomainValidationError("route", f"{route.value} applies from "
                                    f"{starts.isoformat()}, not before", code="not_in_force")
    current = uow.proceedings.current_proceeding(claim.creditor_id, claim.id)
    if current is not None and current.state not in jp.TERMINAL:
        raise DomainValidationError(
            "route", f"a {current.route.value} is under way (state {current.state.value}); "
            "close or withdraw it first", code="proceeding_under_way")
    proceedings = claim.proceedings
    p = jp.Proceeding(
        id=new_id("prc"), creditor_id=claim.creditor_id, claim_id=claim.id, route=route,
        state=jp.State.DRAFT, filer=filer, court=court, started_at=claim.updated_at,
        amount_claimed=claim.outstanding, currency=claim.currency,
        debtor_residence=debtor_residence,
        bodacc_published_on=proceedings.bodacc_published_on if proceedings else None,
        declaration_deadline=claim.declaration_deadline,
        number=1 if current is None else current.number + 1)
    uow.proceedings.add_proceeding(p)
    change.record(events.ProceedingStarted(
        proceeding_id=p.id, route=route.value, filer=filer.value,
        court=court.name if court else None))
    tasks: list[Task] = []
    declare = next((d for d in jp.deadlines(p, judicial_parameters(), change.today)
                    if d.what == "declare"), None)
    # The watch may have opened this opening's task already (and a person done it): shared.
    if declare is not None and proceedings is not None and existing_declaration_task(
            uow, claim.creditor_id, claim.id, proceedings.opened_on) is None:
        tasks.append(replace(_task(change, TaskKind.DECLARE_CLAIM, declare.last_day),
                             id=declaration_task_id(claim.id, proceedings.opened_on)))
    for task in tasks:
        uow.tasks.add_task(task)
    return p, tasks


def debtor_residence(debtor: Debtor | None) -> jp.Residence:
    """Where the debtor lives, from their first postal address (else their country): it
    extends the periods that run from a service (CPC 643-644)."""
    if debtor is None:
        return jp.Residence.METROPOLITAN
    for point in debtor.contact_points:
        if point.kind is ContactKind.POSTAL_ADDRESS and point.address is not None:
            return jp.residence_of(point.address.country, point.address.postal_code)
    return jp.residence_of(debtor.country, None)


# ------------------------------------------------------------------------------- read


def get_judicial(claim_id: str, caller: Caller, ports: Ports) -> JudicialView:
    """The claim's current proceeding with its deadlines as of today (404 without one)."""
    uow = ports.unit_of_work()
    claim = uow.claims.get_claim(caller.creditor_id, claim_id)
    if claim is None:
        raise NotFound("claim", claim_id)
    p = uow.proceedings.current_proceeding(caller.creditor_id, claim_id)
    if p is None:
        raise NotFound("judicial proceeding of claim", claim_id)
    return _view(p, claim, claim.today(ports.clock.now()))


# ----------------------------------------------------------------------------- events


@dataclass(frozen=True, slots=True)
class CostDraft:
    kind: str
    amount: str
    vat: str = "0"
    recoverable: bool | None = None  # None: by its kind (RECOVERABLE_BY_DEFAULT)
    note: str | None = None


@dataclass(frozen=True, slots=True)
class EventDraft:
    type: str
    occurred_on: date
    order_date: date | None = None
    amount: str | None = None
    pronounced_on: date | None = None
    hearing_on: date | None = None
    step: str | None = None
    note: str | None = None
    document_name: str | None = None
    document_sha256: str | None = None
    document_id: str | None = None
    cost: CostDraft | None = None
    court: jp.Court | None = None
    filer: str | None = None
    appellant: str | None = None
    in_person: bool | None = None


def _cost(draft: CostDraft, currency: str, route: JudicialRoute, day: date) -> jp.Cost:
    try:
        kind = jp.CostKind(draft.kind)
    except ValueError:
        raise DomainValidationError("cost.kind", "must be one of " + ", ".join(
            k.value for k in jp.CostKind), code="invalid") from None
    amount = parse_amount(draft.amount, currency, "cost.amount")
    vat = parse_amount(draft.vat, currency, "cost.vat", positive=False)
    if vat < 0:
        raise DomainValidationError("cost.vat", "cannot be negative", code="negative")
    recoverable = draft.recoverable
    if recoverable is None:
        recoverable = jp.recoverable_by_default(kind, route)
    return jp.Cost(kind, amount, vat, day, recoverable, draft.note)


def _document(draft: EventDraft, day: date) -> jp.Document | None:
    if (draft.document_name is None and draft.document_id is None
            and draft.document_sha256 is None):
        return None
    sha = draft.document_sha256
    if sha is not None and not (len(sha) == 64 and all(c in "0123456789abcdef" for c in sha)):
        raise DomainValidationError("document.sha256", "64 lowercase hexadecimal digits",
                                    code="invalid")
    if draft.document_id is None and not (draft.document_name or "").strip():
        raise DomainValidationError("document.name", "name the document", code="required")
    if draft.document_id is None and sha is None:
        raise DomainValidationError("document.sha256", "give the document's SHA-256 or "
                                    "the id of an uploaded document", code="required")
    return jp.Document(name=(draft.document_name or draft.document_id or "").strip(),
                       recorded_on=day, event="", sha256=sha, document_id=draft.document_id)


def _filer(name: str | None) -> jp.Filer | None:
    if name is None:
        return None
    try:
        return jp.Filer(name)
    except ValueError:
        raise DomainValidationError("filer", "must be one of " + ", ".join(
            f.value for f in jp.Filer), code="invalid") from None


class _IfMatchFailed(Exception):
    """The caller's If-Match names another version: theirs to solve, never replayed."""


def record_event(claim_id: str, draft: EventDraft, expected_version: int | None,
                 caller: Caller, ports: Ports) -> JudicialView:
    """Record what happened in the claim's proceeding, checked against its state and the
    dates the law allows; it moves the deadlines and the tasks, and the claim's account
    when the law says so. `expected_version`: the proceeding's version the caller read
    (If-Match: StaleVersion, 412, when it moved), else the one read now (a lost race on
    the claim is replayed)."""
    try:
        return run_retrying(lambda: _record_event(claim_id, draft, expected_version,
                                                  caller, ports))
    except _IfMatchFailed:
        raise StaleVersion("the proceeding changed since it was read") from None


def _record_event(claim_id: str, draft: EventDraft, expected_version: int | None,
                  caller: Caller, ports: Ports) -> JudicialView:
    with ports.unit_of_work() as uow:
        change = _load(uow, ports, caller, claim_id)
        claim = change.claim
        p = uow.proceedings.current_proceeding(caller.creditor_id, claim_id)
        if p is None:
            raise NotFound("judicial proceeding of claim", claim_id)
        if expected_version is not None and expected_version != p.version:
            raise _IfMatchFailed()
        # An arrêt may award nothing (0.00: the demand dismissed on appeal).
        amount = (parse_amount(draft.amount, claim.currency, "amount",
                               positive=draft.type != jp.EventType.APPEAL_DECIDED)
                  if draft.amount is not None else None)
        cost = (_cost(draft.cost, claim.currency, p.route, draft.occurred_on)
                if draft.cost is not None else None)
        document = _document(draft, draft.occurred_on)
        filer = _filer(draft.filer)
        _not_before_the_claim(claim, draft)
        _claim_allows(claim, p, draft)
        params = judicial_parameters()
        try:  # the event, and the view it leaves, before anything is written
            new = jp.apply_event(p, jp.EventInput(
                type=draft.type, occurred_on=draft.occurred_on, order_date=draft.order_date,
                amount=amount, pronounced_on=draft.pronounced_on, hearing_on=draft.hearing_on,
                step=draft.step, note=draft.note, document=document, cost=cost,
                court=draft.court, filer=filer, appellant=draft.appellant,
                in_person=draft.in_person),
                change.today, params, claim.updated_at, caller.actor,
                stayable=claim.proceedings is not None)
            new = replace(new, version=p.version + 1)
            view = _view(new, claim, change.today)
        except UnknownParameter as gap:
            day = "order_date" if draft.order_date is not None else "occurred_on"
            raise DomainValidationError(day, f"no rule in force then ({gap}): the "
                                        "parameters begin later", code="no_rule_in_force"
                                        ) from None
        kind = new.events[-1].type
        interruption_changed = new.prescription_interrupted_on != p.prescription_interrupted_on
        if new.state in jp.TERMINAL and p.state not in jp.TERMINAL:
            claim.proceeding_ended_on = draft.occurred_on  # another route may start
        if interruption_changed:
            # C. civ. 2243 voids only this demand's interruption: an earlier proceeding's
            # (a référé before the fond, say) still stands.
            change.account.prescription_interrupted_on = (
                new.prescription_interrupted_on or _earlier_interruption(uow, new))
        change.record(events.JudicialEventRecorded(
            reason=draft.note, proceeding_id=p.id, type=kind.value,
            occurred_on=draft.occurred_on, from_state=p.state.value, to_state=new.state.value,
            order_date=new.order_on if kind is jp.EventType.ORDER_GRANTED else None,
            pronounced_on=(new.judgment_on if kind is jp.EventType.JUDGMENT
                           else new.appeal_decided_on
                           if kind is jp.EventType.APPEAL_DECIDED else None),
            hearing_on=draft.hearing_on, amount=amount, step=draft.step,
            document=document.name if document else None,
            document_sha256=document.sha256 if document else None,
            cost=cost.total if cost else None, cost_kind=cost.kind.value if cost else None,
            prescription_interrupted_on=(new.prescription_interrupted_on
                                         if interruption_changed else None),
            interruption_void=(True if interruption_changed
                               and new.prescription_interrupted_on is None else None)))
        _apply_law(change, p, new, kind, ports)
        _move_tasks(uow, change, new, kind, view.deadlines, params,
                    entered=new.state is not p.state)
        stage_change(uow, change, ports)
        uow.proceedings.save_proceeding(new, p.version)
        uow.commit()
    return view


def _not_before_the_claim(claim: Claim, draft: EventDraft) -> None:
    """A proceeding's act comes after the debt it is about: not before the claim's first
    invoice was issued (an order dated before it would never be enforceable)."""
    first = min(inv.issue_date for inv in claim.invoices)
    for name in ("occurred_on", "order_date", "pronounced_on"):
        day = getattr(draft, name)
        if day is not None and day < first:
            raise DomainValidationError(name, f"before the claim's first invoice was issued "
                                        f"({first.isoformat()})", code="before_claim")


# What an individual proceeding may still record from the opening of the debtor's
# collective proceedings: its end (stayed, withdrawn, closed, lapsed), its costs and
# documents, and money a seizure made before the opening brings in.
_AFTER_OPENING = frozenset({
    jp.EventType.STAYED, jp.EventType.WITHDRAWN, jp.EventType.CLOSED, jp.EventType.LAPSED,
    jp.EventType.COST, jp.EventType.DOCUMENT, jp.EventType.COMMISSAIRE_PAYMENT})
# A claim closed (paid, cancelled, written off, transferred) may still see its proceeding
# ended, and its costs and documents recorded; nothing that opens the next act.
_WHILE_CLOSED = frozenset({jp.EventType.WITHDRAWN, jp.EventType.CLOSED,
                           jp.EventType.COST, jp.EventType.DOCUMENT})


def _claim_allows(claim: Claim, p: jp.Proceeding, draft: EventDraft) -> None:
    """From the opening judgment, collective proceedings stop every individual action and
    enforcement measure for a pre-opening debt (C. com. L622-21 I and II); the creditor
    declares it instead (`stayed` ends the individual proceeding, the declaration of claim
    may start). A closed claim takes only its proceeding's end, costs and documents."""
    params = judicial_parameters()
    if claim.phase is Phase.CLOSED and draft.type not in _WHILE_CLOSED:
        raise ActionNotAllowed(
            f"judicial event {draft.type}", lifecycle.describe_state(claim),
            [e.value for e in _WHILE_CLOSED], "the claim is closed: reopen it to go on "
            "with its proceeding, or record its end")
    opened = claim.proceedings
    if opened is None or p.route is JudicialRoute.DECLARATION_OF_CLAIM:
        return
    if draft.type == jp.EventType.STAYED and draft.occurred_on < opened.opened_on:
        raise DomainValidationError("occurred_on", f"before the opening judgment "
                                    f"({opened.opened_on.isoformat()}) that stays it",
                                    code="before_opening")
    if draft.type not in _AFTER_OPENING and draft.occurred_on >= opened.opened_on:
        raise ActionNotAllowed(
            f"judicial event {draft.type}", f"judicial, {p.state.value}",
            [e for e in jp.proceeding_events(p, params, stayable=True)
             if e in _AFTER_OPENING],
            f"collective proceedings opened on {opened.opened_on.isoformat()} stop every "
            "individual action and enforcement measure (C. com. L622-21): record `stayed` "
            "and declare the claim")


def _earlier_interruption(uow: UnitOfWork, p: jp.Proceeding) -> date | None:
    earlier = [q.prescription_interrupted_on for q in
               uow.proceedings.list_proceedings(p.creditor_id, p.claim_id)
               if q.number < p.number and q.prescription_interrupted_on is not None]
    return max(earlier, default=None)


def _apply_law(change: Change, before: jp.Proceeding, p: jp.Proceeding,
               kind: jp.EventType, ports: Ports) -> None:
    court = p.court.name if p.court else p.route.value
    settled = False
    if kind is jp.EventType.JUDGMENT and p.judgment_on is not None:
        assert p.judgment_amount is not None
        apply_judgment(change, JudgmentDraft(
            pronounced_on=p.judgment_on, court=court, amount_awarded=str(p.judgment_amount)))
    elif kind is jp.EventType.JUDGMENT_SERVED and change.account.judgment is not None:
        # Enforceable against the debtor once served (CPC 503): the +5 points count from
        # two months after (C. monét. fin. L313-3).
        change.account.judgment = replace(change.account.judgment,
                                          enforceable_on=p.judgment_served_on)
    elif (kind is jp.EventType.ENFORCEABLE and p.order_on is not None
          and p.order_amount is not None and before.opposed_on is None):
        # An unopposed order has the effects of a contradictory judgment (CPC 1422).
        apply_judgment(change, JudgmentDraft(
            pronounced_on=p.order_on, court=court, amount_awarded=str(p.order_amount),
            enforceable_on=p.enforceable_on))
    elif kind is jp.EventType.APPEAL_DECIDED and p.state is jp.State.JUDGMENT:
        # The arrêt awards another amount, or reverses a dismissal: it is the judgment
        # the statement runs on from its day (its +5 points once it is served).
        assert p.judgment_on is not None and p.judgment_amount is not None
        apply_judgment(change, JudgmentDraft(
            pronounced_on=p.judgment_on, court=f"{court} (appel)",
            amount_awarded=str(p.judgment_amount)))
    elif kind is jp.EventType.OPPOSED and before.state in (jp.State.ENFORCEABLE,
                                                            jp.State.ENFORCEMENT):
        # A late opposition (CPC 1416 al. 2): the unopposed order's judgment (CPC 1422) is
        # gone; the judgment on the opposition will replace it.
        change.account.judgment = None
    elif kind is jp.EventType.APPEAL_DECIDED and p.state is jp.State.REJECTED:
        # The demand dismissed on appeal: no title is left to run interest or enforce on.
        # What the commissaire collected under it stays recorded until the creditor returns
        # it and reverses those payments (the return_collected task, _move_tasks).
        change.account.judgment = None
    elif kind is jp.EventType.COMMISSAIRE_PAYMENT:
        seq = p.events[-1].seq
        amount = p.events[-1].details["amount"]
        apply_payment(change, PaymentDraft(
            amount=amount, received_on=p.events[-1].occurred_on, method="other",
            reference=f"{p.id}#{seq}"), ports)
        settled = True
    if not settled:
        _settle(change, ports)


def _move_tasks(uow: UnitOfWork, change: Change, p: jp.Proceeding, kind: jp.EventType,
                deadlines: list[jp.Deadline], params: ParameterTable, *,
                entered: bool = True) -> None:
    """Close the tasks `kind` did or made moot, open the ones it calls for. `deadlines`:
    the proceeding's after the event; `entered`: it moved to another state."""
    claim = change.claim
    ended = p.state in jp.TERMINAL
    done = _DONE_BY.get(kind, frozenset())
    replaced = _REPLACED_BY.get(kind, frozenset())
    if kind is jp.EventType.APPEAL_DECIDED and entered:
        # The arrêt replaced the title (or dismissed the demand): the old one's acts go.
        replaced |= {TaskKind.INSTRUCT_ENFORCEMENT, TaskKind.SERVE_JUDGMENT}
    for task in uow.tasks.open_tasks_of_claim(claim.creditor_id, claim.id):
        if task.kind not in JUDICIAL_TASKS or not (task.kind in done | replaced or ended):
            continue
        if (ended and task.kind is TaskKind.DECLARE_CLAIM and task.kind not in done
                and p.route is not JudicialRoute.DECLARATION_OF_CLAIM):
            continue  # the declaration is the next act, not this proceeding's (L622-24)
        if ended and task.kind is TaskKind.RETURN_COLLECTED:
            continue  # owed to the debtor whatever becomes of the proceeding
        status = TaskStatus.DONE if task.kind in done else TaskStatus.SKIPPED
        note = f"judicial event {kind.value}" + (
            " (replaced)" if task.kind in replaced and not ended else "")
        uow.tasks.save_task(replace(
            task, status=status, outcome="done" if status is TaskStatus.DONE else None,
            note=note, completed_at=claim.updated_at,
            completed_by=change.actor, version=task.version + 1), task.version)
    if ended:
        return
    by_what = {d.what: d for d in deadlines}
    day = p.events[-1].occurred_on

    def open_task(kind: TaskKind, on: date, title: str | None = None, **fields: str) -> None:
        uow.tasks.add_task(_task(change, kind, on, title, **fields))

    match kind:
        case jp.EventType.ORDER_GRANTED if "serve_order" in by_what:
            open_task(TaskKind.SERVE_ORDER, by_what["serve_order"].last_day)
        case jp.EventType.SERVED if "enforce_from" in by_what:
            open_task(TaskKind.WATCH_OPPOSITION, by_what["enforce_from"].due)
        case jp.EventType.SERVED if "non_contestation_from" in by_what:
            open_task(TaskKind.WATCH_OPPOSITION, by_what["non_contestation_from"].due)
        case jp.EventType.OPPOSED if "instruct_lawyer" in by_what:
            open_task(TaskKind.INSTRUCT_LAWYER, by_what["instruct_lawyer"].last_day)
        case jp.EventType.HEARING_SET:
            assert p.hearing_on is not None
            open_task(TaskKind.ATTEND_HEARING, p.hearing_on)
            place = by_what.get("place_summons")
            if place is not None and place.status is jp.Status.OPEN:
                open_task(TaskKind.PLACE_SUMMONS, place.last_day)
        case jp.EventType.JUDGMENT:
            open_task(TaskKind.SERVE_JUDGMENT, day)
        case jp.EventType.APPEAL_DECIDED if p.state is jp.State.JUDGMENT:
            open_task(TaskKind.SERVE_JUDGMENT, day)  # the arrêt, now the title
        case jp.EventType.APPEAL_DECIDED if p.state is jp.State.REJECTED and any(
                ev.type is jp.EventType.COMMISSAIRE_PAYMENT for ev in p.events):
            # Collected under a title that no longer stands (CPC 514, C. civ. 1302).
            collected = sum((Decimal(ev.details["amount"]) for ev in p.events
                             if ev.type is jp.EventType.COMMISSAIRE_PAYMENT), Decimal(0))
            open_task(TaskKind.RETURN_COLLECTED, day, amount=(
                f"{format_amount(collected, claim.currency)} {claim.currency}"))
        case jp.EventType.APPEALED:
            found = jp.appeal_task(p, params)
            assert found is not None
            role, due, _ = found
            open_task(TaskKind.INSTRUCT_LAWYER, due, _APPEAL_TITLES[role])
        case _:
            pass
    if p.state is jp.State.ENFORCEABLE and entered \
            and claim.proceedings is None:  # stayed by collective proceedings (L622-21 II)
        open_task(TaskKind.INSTRUCT_ENFORCEMENT, day)


# The lifecycle actions that give a claim up; a reopening gives its proceeding's acts back.
_GIVING_UP = ("cancel", "write_off", "transfer")


def claim_closed_or_reopened(uow: UnitOfWork, claim: Claim, action: str, actor: str) -> None:
    """A claim given up (cancelled, written off, transferred) leaves its proceeding's acts
    undone: their tasks close as skipped, in the action's write. The proceeding itself stays
    as it was (its withdrawal is the court's to record); reopened, the claim finds it there
    and those tasks open again, their days unchanged."""
    from domain.ports.repositories import PageRequest
    from domain.ports.tasks import TaskFilter

    dropped = {f"claim {given_up}" for given_up in _GIVING_UP}
    note: str | None
    if action in _GIVING_UP:
        tasks = uow.tasks.open_tasks_of_claim(claim.creditor_id, claim.id)
        status, note = TaskStatus.SKIPPED, f"claim {action}"
    elif action == "reopen":
        tasks = [t for t in uow.tasks.list_tasks(claim.creditor_id, TaskFilter(
            TaskStatus.SKIPPED, claim_id=claim.id), PageRequest(100)).items
            if t.note in dropped]
        status, note = TaskStatus.OPEN, None
    else:
        return
    closing = status is TaskStatus.SKIPPED
    for task in tasks:
        if task.kind in JUDICIAL_TASKS:
            uow.tasks.save_task(replace(
                task, status=status, note=note,
                completed_at=claim.updated_at if closing else None,
                completed_by=actor if closing else None, version=task.version + 1),
                task.version)


def costs_summary(p: jp.Proceeding) -> tuple[Decimal, Decimal]:
    """What the debtor may be ordered to bear (dépens) and what stays with the creditor
    (CPCE L111-8 al. 2, a lawyer's fees outside CPC 700)."""
    return p.costs_recoverable(), p.costs_borne_by_creditor()
