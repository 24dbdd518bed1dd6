"""The insolvency watch: once a day, the debtors of open claims are checked by SIREN
against the public registers (domain.ports.company_data: the BODACC and Sirene).

- The BODACC keeps a company's whole history: the proceedings still open are read from
  it (current_proceedings: closed ones are history, a conversion keeps the first
  opening's dates). They are recorded through the existing use case
  (domain.services.proceedings.record_proceedings) when one of the debtor's open claims
  has a debt that arose before the opening (the only debts they catch): those claims carry
  them, their interest stops at the opening, they are held (insolvency), so no letter
  goes to the debtor. Each gets a `declare_claim` task, due on the declaration deadline
  (the publication + 2 months, + 2 more for a creditor outside metropolitan France: C. com.
  R622-24, dated parameters of domain/debtors/data/insolvency.json), and its declaration
  of claim, a registered letter to the mandataire the notices name
  (domain.letters.declaration); when that deadline has already passed, the task is about
  relief from foreclusion instead (L622-26), and no letter is written.
- A company the Sirene register records as ceased (C) raises a `company_ceased` task on
  each open claim of the debtor.

Its cost grows with the debtors of open claims, not with the table: it reads a sparse
index of the open claims (domain.ports.watch), their debtors in batches, and asks the
registers once per SIREN, however many claims or creditors share it. It is idempotent:
what it acted on is remembered per debtor (the BODACC notice ids, the day it noted the
cessation), and each effect is checked against the state before it is made (the debtor
already carries the proceedings, the claim already has its task or its letter), so a run
repeated, or one that died half-way, records nothing twice.

It keeps the registers' pace (domain.ports.company_data.Pacer: Sirene allows about 30
requests a minute per key), so a run may not reach every SIREN before its Lambda's time
is spent: it asks the least recently checked first and stops cleanly before the end, and
the next run starts with those it left (2,000 SIRENs at 30 a minute take five daily runs
of 15 minutes: bench/bench_insolvency_watch.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from domain.claims.model import Phase
from domain.debtors.model import Debtor
from domain.debtors.proceedings import (
    CollectiveProceedings,
    ProceedingsKind,
    any_arose_before,
    declaration_deadline,
    relief_deadline,
)
from domain.escalation.tasks import Task, TaskKind, TaskStatus
from domain.letters.declaration import MandataireAddress, compose_declaration
from domain.letters.model import DispatchMode, Letter, LetterKind, LetterStatus
from domain.ports.company_data import (
    CompanyData,
    CompanyDataUnavailable,
    CompanyFacts,
    CompanyState,
    Mandataire,
    NoticeKind,
    Pacer,
    ProceedingsNotice,
)
from domain.ports.letters import RenderJob
from domain.ports.watch import WATCH_SHARDS, DebtorWatch
from domain.services.caller import Caller, Ports
from domain.services.judicial_proceedings import (
    declaration_task_id,
    existing_declaration_task,
)
from domain.services.proceedings import ProceedingsDraft, creditor_abroad, record_proceedings
from domain.shared.errors import DomainError, DomainValidationError
from domain.shared.ids import new_id
from domain.shared.parameters import UnknownParameter
from domain.shared.retry import retry_on_stale

ACTOR = "insolvency-watch"
ZONE = ZoneInfo("Europe/Paris")  # the BODACC's and the courts' days
# A task falls due in the morning of its day, as the ladder's do.
DUE_AT = time(9, 0)
INDEX_PAGE = 1000
_NEVER = datetime.min.replace(tzinfo=UTC)

_KINDS = {NoticeKind.SAUVEGARDE: ProceedingsKind.SAUVEGARDE,
          NoticeKind.REDRESSEMENT: ProceedingsKind.REDRESSEMENT,
          NoticeKind.LIQUIDATION: ProceedingsKind.LIQUIDATION}


@dataclass(slots=True)
class WatchReport:
    """What one run did, in counts only (no SIREN, no name: this goes to the logs)."""

    open_claims: int = 0
    debtors: int = 0
    without_siren: int = 0
    sirens: int = 0
    unavailable: int = 0  # SIRENs a register did not answer for: asked again tomorrow
    deferred: int = 0  # SIRENs left for the next run (the registers' pace, the run's time)
    openings: int = 0  # debtors whose proceedings were recorded
    declare_tasks: int = 0
    declarations: int = 0  # letters to a mandataire requested
    ceased: int = 0  # debtors noted as ceased
    errors: int = 0  # debtors the watch could not act on (kept for the next run)


def run_watch(ports: Ports, company_data: CompanyData,
              pacer: Pacer | None = None) -> WatchReport:
    """One run: every SIREN of the open claims' debtors, the least recently checked first,
    each at the `pacer`'s pace (None: no pace, the tests' and the bench's fakes) until it
    says the run's time is spent."""
    report = WatchReport()
    uow = ports.unit_of_work()
    claims_of: dict[tuple[str, str], list[str]] = defaultdict(list)
    for shard in range(WATCH_SHARDS):
        cursor: str | None = None
        while True:
            page = uow.watch.watched_claims(shard, INDEX_PAGE, cursor)
            for watched in page.items:
                claims_of[(watched.creditor_id, watched.debtor_id)].append(watched.claim_id)
            cursor = page.next_cursor
            if cursor is None:
                break
    report.open_claims = sum(len(ids) for ids in claims_of.values())
    report.debtors = len(claims_of)
    found = uow.watch.debtors_with_watch(list(claims_of))
    by_siren: dict[str, list[tuple[Debtor, DebtorWatch | None]]] = defaultdict(list)
    for debtor, watch in found.values():
        if debtor is None or not debtor.siren:
            report.without_siren += 1
            continue
        by_siren[debtor.siren].append((debtor, watch))
    report.sirens = len(by_siren)
    now = ports.clock.now()
    today = now.astimezone(ZONE).date()
    order = sorted(by_siren, key=lambda siren: (_last_checked(by_siren[siren]), siren))
    for done, siren in enumerate(order):
        if pacer is not None and not pacer.wait_turn():
            # The quota or the Lambda's time is spent: the rest, never asked, come first
            # in the next run (they are now the least recently checked).
            report.deferred = len(order) - done
            break
        try:
            facts = company_data.company(siren)
        except CompanyDataUnavailable:
            report.unavailable += 1
            continue
        for debtor, watch in by_siren[siren]:
            try:
                _check(debtor, watch, facts, today, now, ports, report)
            except (DomainError, UnknownParameter):
                # This debtor's claims could not take the change (say, more claims than
                # one write takes, or a notice older than any declaration period Relance
                # knows): its notices are not remembered, so a later run tries again, but
                # the check is, so it takes its turn after the others instead of coming
                # first (and failing first) every day.
                report.errors += 1
                _note_checked(watch or DebtorWatch(debtor.creditor_id, debtor.id, siren),
                              today, now, ports)
    return report


def _note_checked(watch: DebtorWatch, today: date, now: datetime, ports: Ports) -> None:
    with ports.unit_of_work() as uow:
        uow.watch.save_watch(replace(watch, checked_on=today, checked_at=now))
        uow.commit()


def _last_checked(debtors: list[tuple[Debtor, DebtorWatch | None]]) -> datetime:
    """When the SIREN was last asked about: the oldest of its debtors' (one never checked,
    or checked before the instant was recorded, sorts first)."""
    return min((w.checked_at if w is not None and w.checked_at is not None else _NEVER)
               for _, w in debtors)


def _check(debtor: Debtor, watch: DebtorWatch | None, facts: CompanyFacts, today: date,
           now: datetime, ports: Ports, report: WatchReport) -> None:
    watch = watch or DebtorWatch(debtor.creditor_id, debtor.id, facts.siren)
    seen = set(watch.seen_notices)
    current = current_proceedings(facts.notices)
    if current is not None and not current.notice_ids <= seen:
        _opening(debtor, current, today, ports, report)
    unseen = {n.notice_id for n in facts.notices} - seen
    if unseen:
        watch = replace(watch, seen_notices=tuple(sorted(seen | unseen)))
    status = facts.status
    if status is not None and status.state is CompanyState.CEASED and (
            watch.ceased_noted_on is None):
        _ceased(debtor, status.since, ports, report)
        watch = replace(watch, ceased_noted_on=today)
    # Written on every check, changed or not: when it was checked orders the next runs.
    _note_checked(watch, today, now, ports)


@dataclass(frozen=True, slots=True)
class CurrentProceedings:
    """The proceedings the debtor is under, as the BODACC's notices tell them: the
    judgment that opened them, and the latest that opened or converted them."""

    first: ProceedingsNotice  # its judgment stops interest, its publication runs the period
    latest: ProceedingsNotice  # the current kind, and who the claims are declared to
    notice_ids: frozenset[str]

    @property
    def opened_on(self) -> date:
        return self.first.judgment_on or self.first.published_on

    @property
    def mandataire(self) -> Mandataire | None:
        return self.latest.mandataire or self.first.mandataire


def current_proceedings(notices: tuple[ProceedingsNotice, ...]) -> CurrentProceedings | None:
    """The proceedings still open, from every notice the BODACC keeps (history included),
    in the order of their judgments, or None.

    - A closing judgment (clôture, the end of a sauvegarde or redressement) ends them:
      an opening before it is history, never the current proceedings.
    - A liquidation pronounced, or a sauvegarde turned into a redressement, while they are
      in their observation period converts them (C. com. L622-10, L631-15 II, L641-1):
      the kind is the new one, but interest stopped at the first opening (L622-28) and the
      declaration period ran from its publication (R622-24; the claims declared then stand,
      L641-1 VI), so both keep the first opening's dates.
    - An opening after a plan was adopted (the plan rescinded, L626-27) is new proceedings.
    """
    current: CurrentProceedings | None = None
    plan_adopted = False
    for notice in sorted(notices, key=lambda n: (n.judgment_on or n.published_on,
                                                 n.published_on, n.notice_id)):
        if notice.closes:
            current, plan_adopted = None, False
        elif notice.plan:
            plan_adopted = current is not None
        elif notice.opening and notice.kind in _KINDS:
            if current is None or plan_adopted:
                current = CurrentProceedings(notice, notice, frozenset({notice.notice_id}))
                plan_adopted = False
            else:
                current = CurrentProceedings(current.first, notice,
                                             current.notice_ids | {notice.notice_id})
    return current


def _opening(debtor: Debtor, current: CurrentProceedings, today: date, ports: Ports,
             report: WatchReport) -> None:
    caller = Caller(debtor.creditor_id, ACTOR)
    uow = ports.unit_of_work()
    claims = [c for c in uow.claims.claims_of_debtor(debtor.creditor_id, debtor.id)
              if c.phase is not Phase.CLOSED]
    opened_on = min(current.opened_on, today)
    kind = _KINDS[current.latest.kind]
    proceedings = debtor.collective_proceedings
    if proceedings is None:
        if not any(any_arose_before(c.invoices, opened_on) for c in claims):
            # Only later debts (L622-17): nothing for the watch to record or declare.
            return
        updated = record_proceedings(debtor.id, ProceedingsDraft(
            kind=kind.value, opened_on=opened_on,
            court=(current.first.court or current.latest.court
                   or "tribunal (not named in the BODACC notice)"),
            bodacc_published_on=min(current.first.published_on, today)), caller, ports)
        proceedings = updated.collective_proceedings
        report.openings += 1
    elif proceedings.opened_on == opened_on and proceedings.kind is not kind:
        # Converted: the new kind, the dates and the court as they were recorded.
        updated = record_proceedings(debtor.id, ProceedingsDraft(
            kind=kind.value, opened_on=proceedings.opened_on, court=proceedings.court,
            bodacc_published_on=proceedings.bodacc_published_on,
            reference=proceedings.reference), caller, ports)
        proceedings = updated.collective_proceedings
    # Proceedings a person recorded first are otherwise kept as they were recorded: the
    # notices only add the declaration their claims still lack.
    assert proceedings is not None
    published = proceedings.bodacc_published_on or current.first.published_on
    for claim in claims:
        if proceedings.concerns(claim.invoices):
            _declare(claim.id, proceedings, published, current.mandataire, today, caller,
                     ports, report)


@retry_on_stale
def _declare(claim_id: str, proceedings: CollectiveProceedings, published: date,
             mandataire: Mandataire | None, today: date, caller: Caller, ports: Ports,
             report: WatchReport) -> None:
    """One claim's task and letter, in one write with the claim's timeline entry."""
    from domain.claims.events import LetterRequested, timeline_entry

    with ports.unit_of_work() as uow:
        found = uow.claims.get_claim_account(caller.creditor_id, claim_id)
        if found is None:
            return
        claim, account = found
        debtor, creditor = uow.debtors.get_debtor_with_creditor(caller.creditor_id,
                                                                claim.debtor_id)
        if debtor is None or creditor is None:
            return
        deadline = declaration_deadline(published, creditor_abroad=creditor_abroad(creditor))
        now = ports.clock.now()
        # One task per opening, shared with a declaration_of_claim proceeding.
        task = existing_declaration_task(uow, caller.creditor_id, claim.id,
                                         proceedings.opened_on)
        has_task = task is not None
        letters = uow.letters.list_letters(caller.creditor_id, claim.id)
        # A task no longer open is one a person dealt with (declared, or judged moot):
        # a letter now would declare the claim a second time.
        has_letter = (task is not None and task.status is not TaskStatus.OPEN) or any(
            x.kind is LetterKind.DECLARATION_OF_CLAIM for x in letters)
        address = (MandataireAddress(mandataire.name, mandataire.street or "",
                                     mandataire.postal_code or "", mandataire.city or "")
                   if mandataire is not None and mandataire.has_address else None)
        # Found late (a conversion, a notice the registers were slow to give): a
        # declaration now would be out of time, only relief may be asked (L622-26).
        relief = relief_deadline(published) if deadline < today else None
        if not has_task:
            uow.tasks.add_task(Task(
                id=declaration_task_id(claim.id, proceedings.opened_on),
                creditor_id=claim.creditor_id, claim_id=claim.id,
                debtor_id=claim.debtor_id, kind=TaskKind.DECLARE_CLAIM,
                status=TaskStatus.OPEN, created_at=now,
                due_at=datetime.combine(relief or deadline, DUE_AT, ZONE),
                title=(_relief_title(deadline, relief) if relief is not None
                       else _declare_title(deadline, address is not None))))
            report.declare_tasks += 1
        entries = []
        queue = ports.letter_queue
        if not has_letter and relief is None and address is not None and queue is not None:
            letter_id = new_id("ltr")
            opening_day = min(proceedings.opened_on, claim.today(now))
            try:
                content = compose_declaration(
                    letter_id, claim.today(now), claim,
                    account.statement(claim, opening_day, ports.rates.rate_tables()),
                    creditor, debtor, proceedings, deadline, address, letters,
                    ports.address_frame)
            except DomainValidationError:
                content = None  # nothing owed at the opening: the task says what to check
            if content is not None:
                letter = Letter(
                    id=letter_id, creditor_id=claim.creditor_id, claim_id=claim.id,
                    kind=LetterKind.DECLARATION_OF_CLAIM, language=content.language,
                    status=LetterStatus.RENDERING, requested_at=now, updated_at=now,
                    requested_by=ACTOR, issued_on=content.issued_on, deadline=deadline,
                    # The posting date counts (Cass. com. 28/01/1997) and the creditor
                    # proves it: registered, with acknowledgement.
                    dispatch_on_ready=DispatchMode.REGISTERED_AR)
                uow.letters.add_letter(letter, content)
                before = claim.version
                claim.version, claim.updated_at = claim.version + 1, now
                entries.append(timeline_entry(claim, LetterRequested(
                    letter_id=letter.id, kind=letter.kind.value,
                    language=letter.language.value, issued_on=letter.issued_on,
                    total=content.amounts.total,
                    invoices=tuple(i.number for i in content.invoices), deadline=deadline,
                    payment_reference=content.transfer.reference), now, ACTOR))
                uow.claims.save_claim(claim, entries, before)
                job = RenderJob(claim.creditor_id, claim.id, letter.id)
                uow.after_commit(lambda: queue.enqueue(job))
                report.declarations += 1
        uow.commit()


def _declare_title(deadline: date, letter: bool) -> str:
    what = ("check and post the declaration of claim Relance prepared for the mandataire"
            if letter else "declare the claim to the mandataire judiciaire (the BODACC "
            "notice gives no address Relance could read)")
    return f"Collective proceedings: {what}, by {deadline.isoformat()} (C. com. R622-24)"


def _relief_title(deadline: date, relief: date) -> str:
    return ("Collective proceedings: the period to declare the claim ended on "
            f"{deadline.isoformat()} (C. com. R622-24); the claim may still be admitted if "
            "the juge-commissaire grants relief from foreclusion (relevé de forclusion), "
            f"asked by {relief.isoformat()} (C. com. L622-26)")


def _ceased(debtor: Debtor, since: date | None, ports: Ports, report: WatchReport) -> None:
    with ports.unit_of_work() as uow:
        now = ports.clock.now()
        claims = [c for c in uow.claims.claims_of_debtor(debtor.creditor_id, debtor.id)
                  if c.phase is not Phase.CLOSED]
        for claim in claims:
            if any(t.kind is TaskKind.COMPANY_CEASED
                   for t in uow.tasks.open_tasks_of_claim(debtor.creditor_id, claim.id)):
                continue
            uow.tasks.add_task(Task(
                id=new_id("tsk"), creditor_id=claim.creditor_id, claim_id=claim.id,
                debtor_id=claim.debtor_id, kind=TaskKind.COMPANY_CEASED,
                status=TaskStatus.OPEN, created_at=now, due_at=now,
                title=_ceased_title(since)))
        uow.commit()
    report.ceased += 1


def _ceased_title(since: date | None) -> str:
    on = f" since {since.isoformat()}" if since else ""
    return (f"The Sirene register records the debtor as ceased{on}: check for collective "
            "proceedings or a liquidation, and whether to go on chasing")
