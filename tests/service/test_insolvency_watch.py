"""The insolvency watch on the fakes: what one daily run records, and that the next one
records nothing twice. Figures worked out by hand from the law (C. com. L622-28: interest
stops at the opening; R622-24: 2 months from the BODACC publication)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import msgspec

from adapters.clock import FrozenClock
from adapters.company_data.fake import ACTIVE, FakeCompanyData
from domain import services
from domain.claims.model import HoldReason
from domain.debtors.model import DebtorKind
from domain.escalation.tasks import Task, TaskKind
from domain.letters.content import LetterContent
from domain.letters.model import DispatchMode, Letter, LetterKind
from domain.ports.company_data import (
    CompanyFacts,
    CompanyState,
    CompanyStatus,
    Mandataire,
    NoticeKind,
    ProceedingsNotice,
)
from domain.ports.watch import DebtorWatch
from domain.services.caller import Caller
from domain.services.insolvency_watch import run_watch
from domain.services.proceedings import ProceedingsDraft, record_proceedings
from tests.fakes import FakeWorld
from tests.service.conftest import open_claim

SIREN = "552100554"
OTHER_SIREN = "443061841"
LIQUIDATION = ProceedingsNotice(
    notice_id="A202600045678", kind=NoticeKind.LIQUIDATION, opening=True,
    court="TRIBUNAL DE COMMERCE DE LYON", judgment_on=date(2026, 2, 20),
    published_on=date(2026, 3, 2), nature="Jugement d'ouverture de liquidation judiciaire",
    mandataire=Mandataire("SELARL Exemple Mandataires prise en la personne de Me Anne Test",
                          "4 RUE DE LA REPUBLIQUE", "69002", "LYON"))
PLAN = ProceedingsNotice(
    notice_id="A202600099999", kind=NoticeKind.OTHER, opening=False,
    court="TRIBUNAL DE COMMERCE DE LYON", judgment_on=date(2026, 1, 5),
    published_on=date(2026, 1, 15), nature="Jugement arrêtant le plan de cession")


def _debtor(world: FakeWorld, caller: Caller, siren: str | None) -> str:
    return services.create_debtor(services.DebtorDraft(
        kind=DebtorKind.BUSINESS, name="Boulangerie Martin SAS", country="FR", siren=siren),
        caller, world.ports).id


def _tasks(world: FakeWorld) -> list[Task]:
    return [msgspec.json.decode(raw, type=Task) for raw in world.db.tasks.values()]


def _letters(world: FakeWorld) -> list[tuple[Letter, LetterContent]]:
    return [(msgspec.json.decode(raw, type=Letter),
             msgspec.json.decode(world.db.letter_contents[key], type=LetterContent))
            for key, raw in world.db.letters.items()]


def _two_claims(world: FakeWorld, caller: Caller) -> tuple[str, str, str]:
    debtor_id = _debtor(world, caller, SIREN)
    late = open_claim(world, caller, amount="1200.00", due=date(2026, 1, 15), number="F-1",
                      debtor_id=debtor_id)
    # Issued before the opening, due after it: a sum to fall due (à échoir).
    later, _ = services.create_claim(services.ClaimDraft(
        debtor_id=debtor_id, currency="EUR", invoices=[services.InvoiceDraft(
            "F-2", date(2026, 2, 10), date(2026, 3, 12), "800.00")]), caller, world.ports)
    return debtor_id, late.id, later.id


def test_an_opening_holds_every_claim_with_one_task_and_one_letter_each_and_nothing_twice(
        world: FakeWorld, caller: Caller) -> None:
    debtor_id, late_id, later_id = _two_claims(world, caller)
    data = FakeCompanyData()
    data.set(CompanyFacts(SIREN, (LIQUIDATION, PLAN), ACTIVE))

    report = run_watch(world.ports, data)

    assert data.calls[SIREN] == 1  # one question for the SIREN, not one per claim
    assert (report.openings, report.declare_tasks, report.declarations) == (1, 2, 2)
    debtor = services.get_debtor(debtor_id, caller, world.ports)
    assert debtor.collective_proceedings is not None
    assert debtor.collective_proceedings.kind.value == "liquidation_judiciaire"
    assert debtor.collective_proceedings.opened_on == date(2026, 2, 20)
    assert debtor.collective_proceedings.bodacc_published_on == date(2026, 3, 2)
    for claim_id in (late_id, later_id):
        claim = services.get_claim(claim_id, caller, world.ports)
        assert claim.hold is not None and claim.hold.reason is HoldReason.INSOLVENCY
    # Published 2 March 2026 + 2 months (the creditor is in Lyon): 2 May 2026, 09:00 Paris.
    tasks = _tasks(world)
    assert sorted(t.claim_id for t in tasks) == sorted([late_id, later_id])
    assert {t.kind for t in tasks} == {TaskKind.DECLARE_CLAIM}
    assert {t.due_at for t in tasks} == {datetime(2026, 5, 2, 9, 0,
                                                  tzinfo=ZoneInfo("Europe/Paris"))}
    letters = {letter.claim_id: (letter, content) for letter, content in _letters(world)}
    assert set(letters) == {late_id, later_id}
    for letter, content in letters.values():
        assert letter.kind is LetterKind.DECLARATION_OF_CLAIM
        assert letter.dispatch_on_ready is DispatchMode.REGISTERED_AR
        assert content.addressee is not None
        assert content.addressee.address_lines == (
            "SELARL Exemple Mandataires", "Me Anne Test", "4 RUE DE LA REPUBLIQUE",
            "69002 LYON")
        assert content.recipient == content.addressee
        assert content.declaration is not None
        assert content.declaration.deadline == date(2026, 5, 2)
    # F-1: 1200.00 late from 16 January; interest stops at the opening of 20 February:
    # 16 Jan – 19 Feb = 35 days, 1200.00 × 35 × 12.15 / 36500 = 13.98; + 40 indemnity.
    late = letters[late_id][1].declaration
    assert late is not None
    assert (late.due_at_opening, late.to_fall_due, late.total) == (
        Decimal("1253.98"), Decimal("0"), Decimal("1253.98"))
    assert late.declared_at == date(2026, 2, 20)
    # F-2: not yet due at the opening: 800.00 to fall due, no interest, no indemnity.
    later = letters[later_id][1].declaration
    assert later is not None
    assert (later.due_at_opening, later.to_fall_due, later.total) == (
        Decimal("0"), Decimal("800.00"), Decimal("800.00"))
    assert next(e.title for e in later.exhibits) == "Facture n° F-2"
    assert len(world.queue.jobs) == 2

    events = dict(world.db.events)
    report = run_watch(world.ports, data)  # the next day's run

    assert data.calls[SIREN] == 2
    assert (report.openings, report.declare_tasks, report.declarations) == (0, 0, 0)
    assert len(_tasks(world)) == 2 and len(_letters(world)) == 2
    assert dict(world.db.events) == events
    assert len(world.queue.jobs) == 2


def test_the_declaration_is_posted_to_the_mandataire_despite_the_insolvency_hold(
        world: FakeWorld, caller: Caller) -> None:
    from dataclasses import replace

    from domain.claims import lifecycle
    from domain.ports.letters import PostalJob, PostalReceipt

    sent: list[PostalJob] = []
    post = world.postal

    class Recording:
        name = post.name

        def send(self, job: PostalJob) -> PostalReceipt:
            sent.append(job)
            return post.send(job)  # type: ignore[no-any-return]

    world.ports = replace(world.ports, postal=Recording())  # type: ignore[arg-type]
    _, late_id, _ = _two_claims(world, caller)
    data = FakeCompanyData()
    data.set(CompanyFacts(SIREN, (LIQUIDATION,), ACTIVE))
    run_watch(world.ports, data)

    posted = world.run_letter_jobs()

    assert len(posted) == 2
    assert {letter.dispatch.mode if letter.dispatch else None for letter in posted} == {
        DispatchMode.REGISTERED_AR}
    assert [job.recipient.address_lines[-1] for job in sent] == ["69002 LYON"] * 2
    assert {job.recipient.name for job in sent} == {LIQUIDATION.mandataire.name}  # type: ignore[union-attr]
    # Any letter to the debtor is still refused: the hold stops them.
    claim = services.get_claim(late_id, caller, world.ports)
    assert "send_letter" not in lifecycle.allowed_actions(claim)


def test_an_opening_without_the_mandataires_address_opens_the_task_and_writes_no_letter(
        world: FakeWorld, caller: Caller) -> None:
    _two_claims(world, caller)
    data = FakeCompanyData()
    no_address = ProceedingsNotice(
        notice_id="A1", kind=NoticeKind.REDRESSEMENT, opening=True, court="TAE DE LYON",
        judgment_on=date(2026, 3, 1), published_on=date(2026, 3, 9),
        nature="Jugement d'ouverture d'une procédure de redressement judiciaire",
        mandataire=Mandataire("SELARL Sans Adresse"))
    data.set(CompanyFacts(SIREN, (no_address,), ACTIVE))

    report = run_watch(world.ports, data)

    assert (report.declare_tasks, report.declarations) == (2, 0)
    assert _letters(world) == []
    assert all("no address" in t.title and "2026-05-09" in t.title for t in _tasks(world))


def test_a_ceased_company_raises_one_task_per_open_claim_once(world: FakeWorld,
                                                               caller: Caller) -> None:
    debtor_id = _debtor(world, caller, OTHER_SIREN)
    first = open_claim(world, caller, number="F-1", debtor_id=debtor_id)
    second = open_claim(world, caller, number="F-2", debtor_id=debtor_id)
    data = FakeCompanyData()
    data.set(CompanyFacts(OTHER_SIREN, (), CompanyStatus(CompanyState.CEASED,
                                                         date(2026, 1, 31))))

    report = run_watch(world.ports, data)
    again = run_watch(world.ports, data)

    tasks = _tasks(world)
    assert sorted(t.claim_id for t in tasks) == sorted([first.id, second.id])
    assert {t.kind for t in tasks} == {TaskKind.COMPANY_CEASED}
    assert all("2026-01-31" in t.title for t in tasks)
    assert (report.ceased, again.ceased) == (1, 0)
    # No proceedings are recorded from a cessation: the claims are not held.
    assert services.get_claim(first.id, caller, world.ports).hold is None


def test_a_debtor_without_siren_and_a_closed_claims_debtor_are_not_asked_about(
        world: FakeWorld, caller: Caller) -> None:
    no_siren = _debtor(world, caller, None)
    open_claim(world, caller, number="F-1", debtor_id=no_siren)
    closed_debtor = _debtor(world, caller, OTHER_SIREN)
    closed = open_claim(world, caller, number="F-2", debtor_id=closed_debtor)
    services.apply_action(closed.id, services.ActionRequest("cancel", "issued in error"),
                          caller, world.ports)
    data = FakeCompanyData()

    report = run_watch(world.ports, data)

    assert data.calls == {}
    assert (report.open_claims, report.debtors, report.without_siren, report.sirens) == (
        1, 1, 1, 0)


def test_a_register_that_does_not_answer_leaves_the_debtor_for_the_next_run(
        world: FakeWorld, caller: Caller) -> None:
    debtor_id, _, _ = _two_claims(world, caller)
    data = FakeCompanyData()
    data.set(CompanyFacts(SIREN, (LIQUIDATION,), ACTIVE))
    data.down.add(SIREN)

    report = run_watch(world.ports, data)

    assert report.unavailable == 1 and _tasks(world) == []
    assert world.db.watches == {}
    data.down.clear()
    assert run_watch(world.ports, data).openings == 1
    assert services.get_debtor(debtor_id, caller, world.ports).collective_proceedings


def test_one_siren_under_two_creditors_is_asked_once_and_each_creditor_told(
        world: FakeWorld, caller: Caller) -> None:
    from domain.creditors.model import Address

    _two_claims(world, caller)
    other = Caller(services.create_creditor(services.CreditorDraft(
        legal_name="Transports Durand SA", siren="443061841",
        address=Address(("1 quai Gailleton",), "69002", "Lyon", "FR")), world.ports).id, "erp")
    theirs = _debtor(world, other, SIREN)
    open_claim(world, other, number="D-1", debtor_id=theirs)
    data = FakeCompanyData()
    data.set(CompanyFacts(SIREN, (LIQUIDATION,), ACTIVE))

    report = run_watch(world.ports, data)

    assert data.calls[SIREN] == 1
    assert (report.debtors, report.sirens, report.openings, report.declare_tasks) == (
        2, 1, 2, 3)
    assert services.get_debtor(theirs, other, world.ports).collective_proceedings


# ---------------------------------------------- one declare_claim task per opening

def _declare_tasks(world: FakeWorld, claim_id: str) -> list[Task]:
    return [t for t in _tasks(world) if t.kind is TaskKind.DECLARE_CLAIM
            and t.claim_id == claim_id]


def _start_declaration(world: FakeWorld, caller: Caller, claim_id: str) -> None:
    services.apply_action(claim_id, services.ActionRequest(
        "start_judicial", "declare to the liquidateur", route="declaration_of_claim"),
        caller, world.ports)


def _one_claim_in_liquidation(world: FakeWorld, caller: Caller) -> tuple[str, str]:
    debtor_id = _debtor(world, caller, SIREN)
    return debtor_id, open_claim(world, caller, amount="1200.00", due=date(2026, 1, 15),
                                 number="F-1", debtor_id=debtor_id).id


def test_a_declaration_proceeding_started_after_the_watch_shares_its_task(
        world: FakeWorld, caller: Caller) -> None:
    _, claim_id = _one_claim_in_liquidation(world, caller)
    data = FakeCompanyData()
    data.set(CompanyFacts(SIREN, (LIQUIDATION,), ACTIVE))
    assert run_watch(world.ports, data).declare_tasks == 1

    _start_declaration(world, caller, claim_id)

    [task] = _declare_tasks(world, claim_id)
    assert "prepared" in task.title  # the watch's, which came first
    # The declaration recorded in the proceeding does that one task.
    from domain.services.judicial_proceedings import EventDraft, record_event

    record_event(claim_id, EventDraft(type="declared", occurred_on=date(2026, 3, 10)), None,
                 caller, world.ports)
    [done] = _declare_tasks(world, claim_id)
    assert done.status.value == "done"


def test_the_watch_after_a_declaration_proceeding_adds_no_second_task(
        world: FakeWorld, caller: Caller) -> None:
    debtor_id, claim_id = _one_claim_in_liquidation(world, caller)
    # A person recorded the same opening first, then started the declaration.
    record_proceedings(debtor_id, ProceedingsDraft(
        kind="liquidation_judiciaire", opened_on=date(2026, 2, 20),
        court="TRIBUNAL DE COMMERCE DE LYON", bodacc_published_on=date(2026, 3, 2)),
        caller, world.ports)
    _start_declaration(world, caller, claim_id)
    [first] = _declare_tasks(world, claim_id)
    data = FakeCompanyData()
    data.set(CompanyFacts(SIREN, (LIQUIDATION,), ACTIVE))

    report = run_watch(world.ports, data)

    assert report.declare_tasks == 0
    assert _declare_tasks(world, claim_id) == [first]
    # Still open, so the watch prepares the letter the person may post.
    assert report.declarations == 1


def test_the_watch_writes_no_letter_for_a_claim_already_declared(
        world: FakeWorld, caller: Caller) -> None:
    from domain.services.judicial_proceedings import EventDraft, record_event

    debtor_id, claim_id = _one_claim_in_liquidation(world, caller)
    record_proceedings(debtor_id, ProceedingsDraft(
        kind="liquidation_judiciaire", opened_on=date(2026, 2, 20),
        court="TRIBUNAL DE COMMERCE DE LYON", bodacc_published_on=date(2026, 3, 2)),
        caller, world.ports)
    _start_declaration(world, caller, claim_id)
    record_event(claim_id, EventDraft(type="declared", occurred_on=date(2026, 3, 9)), None,
                 caller, world.ports)
    data = FakeCompanyData()
    data.set(CompanyFacts(SIREN, (LIQUIDATION,), ACTIVE))

    report = run_watch(world.ports, data)

    assert (report.declare_tasks, report.declarations) == (0, 0)
    assert [t.status.value for t in _declare_tasks(world, claim_id)] == ["done"]
    assert _letters(world) == [] and world.queue.jobs == []


# ------------------------------------------------------ pace and rotation over runs

def _luhn_siren(n: int) -> str:
    body = f"{70000000 + n:08d}"
    for last in "0123456789":
        digits = [int(c) for c in body + last]
        total = sum(d if i % 2 == 0 else (d * 2 - 9 if d > 4 else d * 2)
                    for i, d in enumerate(digits))
        if total % 10 == 0:
            return body + last
    raise AssertionError


class _TwoTurnsARun:
    """The pacer of a run with time for two SIRENs: 30 a minute (a turn every 2 s), a 60 s
    reserve and 63 s left: turns at 0 and 2 s; the third would start at 4 s with 59 s
    left, under the reserve, so the run stops."""

    def __init__(self) -> None:
        from adapters.company_data.pacing import QuotaPacer

        self.t = 0.0
        self.pacer = QuotaPacer(30, lambda: 63 - self.t, reserve_seconds=60,
                                monotonic=lambda: self.t, sleep=self._sleep)

    def _sleep(self, seconds: float) -> None:
        self.t += seconds

    def wait_turn(self) -> bool:
        return self.pacer.wait_turn()


def test_a_run_short_of_time_leaves_the_rest_to_the_next_the_least_recently_checked_first(
        world: FakeWorld, caller: Caller, clock: FrozenClock) -> None:
    from datetime import timedelta

    sirens = sorted(_luhn_siren(n) for n in range(5))
    for i, siren in enumerate(sirens):
        open_claim(world, caller, number=f"F-{i}", debtor_id=_debtor(world, caller, siren))
    data = FakeCompanyData()
    # The last SIREN's company went into liquidation: found when its turn comes.
    data.set(CompanyFacts(sirens[4], (LIQUIDATION,), ACTIVE))

    asked: list[list[str]] = []
    reports = []
    for _ in range(3):  # three daily runs
        before = dict(data.calls)
        reports.append(run_watch(world.ports, data, _TwoTurnsARun()))
        asked.append(sorted(s for s in data.calls if data.calls[s] != before.get(s, 0)))
        clock.advance(timedelta(days=1))

    assert [r.deferred for r in reports] == [3, 3, 3]
    # Never checked first (in SIREN order), then the one checked longest ago.
    assert asked == [sirens[0:2], sirens[2:4], sorted([sirens[4], sirens[0]])]
    assert set(data.calls) == set(sirens)
    assert [r.openings for r in reports] == [0, 0, 1]
    # Each check is remembered with its instant, which orders the next run.
    checked = {msgspec.json.decode(raw, type=DebtorWatch).siren:
               msgspec.json.decode(raw, type=DebtorWatch).checked_at
               for raw in world.db.watches.values()}
    assert checked[sirens[0]] == checked[sirens[4]] == datetime(2026, 3, 12, 9, 30,
                                                                 tzinfo=UTC)
    assert checked[sirens[1]] == datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


# ------------------------------------------------ a notice no rule covers, and the run

def test_a_notice_older_than_any_declaration_period_is_an_error_and_the_run_goes_on(
        world: FakeWorld, caller: Caller) -> None:
    """R622-24's periods are dated parameters known from 2006: a 2005 publication has no
    deadline Relance can compute. That debtor counts as an error, its check is remembered
    (so it does not come first, and fail first, every day), and the next SIREN is acted on."""
    old = _debtor(world, caller, OTHER_SIREN)
    services.create_claim(services.ClaimDraft(
        debtor_id=old, currency="EUR", invoices=[services.InvoiceDraft(
            "V-1", date(2004, 11, 2), date(2004, 12, 2), "900.00")]), caller, world.ports)
    _, claim_id = _one_claim_in_liquidation(world, caller)
    data = FakeCompanyData()
    data.set(CompanyFacts(OTHER_SIREN, (ProceedingsNotice(
        notice_id="A200500000001", kind=NoticeKind.REDRESSEMENT, opening=True,
        court="TRIBUNAL DE COMMERCE DE LYON", judgment_on=date(2005, 6, 1),
        published_on=date(2005, 6, 10),
        nature="Jugement d'ouverture d'une procédure de redressement judiciaire"),), ACTIVE))
    data.set(CompanyFacts(SIREN, (LIQUIDATION,), ACTIVE))

    report = run_watch(world.ports, data)

    assert (report.errors, report.openings, report.declare_tasks) == (1, 1, 1)
    assert services.get_debtor(old, caller, world.ports).collective_proceedings is None
    assert [t.claim_id for t in _tasks(world)] == [claim_id]
    watches = {w.siren: w for w in (msgspec.json.decode(raw, type=DebtorWatch)
                                    for raw in world.db.watches.values())}
    assert watches[OTHER_SIREN].checked_at == datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
    assert watches[OTHER_SIREN].seen_notices == ()  # tried again on a later run
    assert watches[SIREN].seen_notices == (LIQUIDATION.notice_id,)


# ------------------------------------------ the company's history: which opening counts

RJ_2015 = ProceedingsNotice(
    notice_id="A201500012345", kind=NoticeKind.REDRESSEMENT, opening=True,
    court="TRIBUNAL DE COMMERCE DE LYON", judgment_on=date(2015, 3, 1),
    published_on=date(2015, 3, 10),
    nature="Jugement d'ouverture d'une procédure de redressement judiciaire",
    mandataire=Mandataire("SELARL Ancienne Etude", "1 RUE DE LA BOURSE", "69002", "LYON"))
PLAN_2016 = ProceedingsNotice(
    notice_id="A201600012345", kind=NoticeKind.OTHER, opening=False,
    court="TRIBUNAL DE COMMERCE DE LYON", judgment_on=date(2016, 2, 1),
    published_on=date(2016, 2, 12), nature="Jugement arrêtant le plan de redressement",
    plan=True)
CLOSED_2017 = ProceedingsNotice(
    notice_id="A201700012345", kind=NoticeKind.OTHER, opening=False,
    court="TRIBUNAL DE COMMERCE DE LYON", judgment_on=date(2017, 5, 2),
    published_on=date(2017, 5, 12), nature="Jugement de clôture pour extinction du passif",
    closes=True)
RJ_2025 = ProceedingsNotice(
    notice_id="A202500099999", kind=NoticeKind.REDRESSEMENT, opening=True,
    court="TRIBUNAL DES ACTIVITES ECONOMIQUES DE LYON", judgment_on=date(2025, 11, 3),
    published_on=date(2025, 11, 12),
    nature="Jugement d'ouverture d'une procédure de redressement judiciaire",
    mandataire=Mandataire("SELARL 2M Etude", "14/16 RUE DE LORRAINE", "69001", "LYON"))
CONVERTED = replace(LIQUIDATION, nature="Jugement prononçant la liquidation judiciaire")


def _watches(world: FakeWorld) -> dict[str, DebtorWatch]:
    return {w.siren: w for w in (msgspec.json.decode(raw, type=DebtorWatch)
                                 for raw in world.db.watches.values())}


def test_an_old_opening_under_a_plan_holds_no_claim_that_arose_since(
        world: FakeWorld, caller: Caller) -> None:
    """A 2015 redressement under its plan: a 2026 debt is not one of its debts (L622-17),
    so no interest stops in 2015, no claim is held and no declaration falls due in 2015."""
    debtor_id, late_id, later_id = _two_claims(world, caller)
    data = FakeCompanyData()
    data.set(CompanyFacts(SIREN, (PLAN_2016, RJ_2015), ACTIVE))

    report = run_watch(world.ports, data)

    assert (report.openings, report.declare_tasks, report.declarations, report.errors) == (
        0, 0, 0, 0)
    assert services.get_debtor(debtor_id, caller, world.ports).collective_proceedings is None
    for claim_id in (late_id, later_id):
        claim = services.get_claim(claim_id, caller, world.ports)
        assert claim.hold is None and claim.proceedings is None
    assert _tasks(world) == [] and _letters(world) == []
    assert _watches(world)[SIREN].seen_notices == tuple(sorted(
        (RJ_2015.notice_id, PLAN_2016.notice_id)))


def test_closed_proceedings_are_history_and_a_later_opening_is_the_one_recorded(
        world: FakeWorld, caller: Caller) -> None:
    debtor_id = _debtor(world, caller, SIREN)
    # A debt from January 2025, before a redressement opened in March 2025 and closed in
    # December (the debts paid): those proceedings are over, the claim is chased.
    old, _ = services.create_claim(services.ClaimDraft(
        debtor_id=debtor_id, currency="EUR", invoices=[services.InvoiceDraft(
            "V-1", date(2025, 1, 6), date(2025, 2, 5), "300.00")]), caller, world.ports)
    opened = replace(RJ_2025, notice_id="A202500011112", judgment_on=date(2025, 3, 3),
                     published_on=date(2025, 3, 12))
    closed = replace(CLOSED_2017, notice_id="A202500011113", judgment_on=date(2025, 12, 1),
                     published_on=date(2025, 12, 10))
    data = FakeCompanyData()
    data.set(CompanyFacts(SIREN, (closed, opened), ACTIVE))

    assert run_watch(world.ports, data).openings == 0
    assert services.get_debtor(debtor_id, caller, world.ports).collective_proceedings is None
    assert services.get_claim(old.id, caller, world.ports).hold is None

    late = open_claim(world, caller, amount="1200.00", due=date(2026, 1, 15), number="F-1",
                      debtor_id=debtor_id)
    data.set(CompanyFacts(SIREN, (LIQUIDATION, closed, opened), ACTIVE))
    report = run_watch(world.ports, data)

    assert (report.openings, report.declare_tasks, report.errors) == (1, 2, 0)
    proceedings = services.get_debtor(debtor_id, caller, world.ports).collective_proceedings
    assert proceedings is not None and proceedings.opened_on == date(2026, 2, 20)
    for claim_id in (old.id, late.id):  # V-1 arose before this opening too
        assert services.get_claim(claim_id, caller, world.ports).proceedings == proceedings


def test_a_claim_that_arose_after_the_opening_is_not_held_nor_declared(
        world: FakeWorld, caller: Caller) -> None:
    debtor_id, late_id, _ = _two_claims(world, caller)
    after, _ = services.create_claim(services.ClaimDraft(
        debtor_id=debtor_id, currency="EUR", invoices=[services.InvoiceDraft(
            "F-3", date(2026, 2, 25), date(2026, 3, 27), "500.00")]), caller, world.ports)
    data = FakeCompanyData()
    data.set(CompanyFacts(SIREN, (LIQUIDATION,), ACTIVE))

    report = run_watch(world.ports, data)

    assert (report.openings, report.declare_tasks, report.declarations) == (1, 2, 2)
    assert after.id not in {t.claim_id for t in _tasks(world)}
    unheld = services.get_claim(after.id, caller, world.ports)
    assert unheld.hold is None and unheld.proceedings is None
    assert services.get_claim(late_id, caller, world.ports).hold is not None


def test_a_conversion_keeps_the_first_opening_and_leaves_only_relief(
        world: FakeWorld, caller: Caller) -> None:
    """Redressement opened 3 November 2025 (published the 12th), liquidation pronounced 20
    February 2026: interest stopped on 3 November (L622-28), the period to declare ran from
    12 November to 12 January 2026 (R622-24) and has passed on 10 March: the task says
    relief (L622-26, 6 months: 12 May 2026), and no declaration letter is written."""
    debtor_id = _debtor(world, caller, SIREN)
    claim, _ = services.create_claim(services.ClaimDraft(
        debtor_id=debtor_id, currency="EUR", invoices=[services.InvoiceDraft(
            "F-0", date(2025, 10, 1), date(2025, 10, 31), "1000.00")]), caller, world.ports)
    data = FakeCompanyData()
    data.set(CompanyFacts(SIREN, (CONVERTED, RJ_2025), ACTIVE))

    report = run_watch(world.ports, data)

    assert (report.openings, report.declare_tasks, report.declarations) == (1, 1, 0)
    proceedings = services.get_debtor(debtor_id, caller, world.ports).collective_proceedings
    assert proceedings is not None
    assert proceedings.kind.value == "liquidation_judiciaire"
    assert (proceedings.opened_on, proceedings.bodacc_published_on) == (
        date(2025, 11, 3), date(2025, 11, 12))
    held = services.get_claim(claim.id, caller, world.ports)
    assert held.declaration_deadline == date(2026, 1, 12)
    [task] = _tasks(world)
    assert "relief" in task.title and "2026-01-12" in task.title and "2026-05-12" in task.title
    assert task.due_at == datetime(2026, 5, 12, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert _letters(world) == []


def test_a_conversion_found_on_a_later_run_changes_the_kind_only(
        world: FakeWorld, caller: Caller, clock: FrozenClock) -> None:
    from datetime import timedelta

    debtor_id, claim_id = _one_claim_in_liquidation(world, caller)
    redressement = replace(RJ_2025, judgment_on=date(2026, 2, 2),
                           published_on=date(2026, 2, 12))
    data = FakeCompanyData()
    data.set(CompanyFacts(SIREN, (redressement,), ACTIVE))
    first = run_watch(world.ports, data)
    clock.advance(timedelta(days=1))
    data.set(CompanyFacts(SIREN, (CONVERTED, redressement), ACTIVE))

    second = run_watch(world.ports, data)

    assert (first.declare_tasks, first.declarations) == (1, 1)
    assert (second.openings, second.declare_tasks, second.declarations) == (0, 0, 0)
    proceedings = services.get_debtor(debtor_id, caller, world.ports).collective_proceedings
    assert proceedings is not None
    assert (proceedings.kind.value, proceedings.opened_on, proceedings.bodacc_published_on) == (
        "liquidation_judiciaire", date(2026, 2, 2), date(2026, 2, 12))
    claim = services.get_claim(claim_id, caller, world.ports)
    assert claim.proceedings == proceedings
    assert claim.declaration_deadline == date(2026, 4, 12)
    assert len(_tasks(world)) == 1 and len(_letters(world)) == 1


def test_a_claim_with_debts_before_and_after_the_opening_declares_only_the_earlier(
        world: FakeWorld, caller: Caller) -> None:
    debtor_id = _debtor(world, caller, SIREN)
    # F-7 delivered before the opening of 20 February; F-8 issued the day before, for work
    # done after it: a post-opening debt (L622-17), left out of the declaration.
    claim, _ = services.create_claim(services.ClaimDraft(
        debtor_id=debtor_id, currency="EUR", invoices=[
            services.InvoiceDraft("F-7", date(2026, 1, 5), date(2026, 2, 4), "1000.00"),
            services.InvoiceDraft("F-8", date(2026, 2, 19), date(2026, 3, 21), "600.00",
                                  performed_on=date(2026, 2, 25))]), caller, world.ports)
    data = FakeCompanyData()
    data.set(CompanyFacts(SIREN, (LIQUIDATION, PLAN), ACTIVE))
    run_watch(world.ports, data)
    ((_, content),) = _letters(world)
    assert content.declaration is not None
    assert [e.title for e in content.declaration.exhibits if e.title.startswith("Facture")] == [
        "Facture n° F-7"]
    assert content.declaration.to_fall_due == Decimal("0")
    # Its statement: F-8 runs as any debt (interest from its due date, its 40 EUR); F-7's
    # interest stopped at the opening.
    _, statement = services.amounts.statement(claim.id, date(2026, 4, 30), caller,
                                              world.ports)
    f7, f8 = statement.invoices
    assert f7.interest_lines[-1].basis == "stopped_collective_proceedings"
    assert f8.interest_accrued > 0 and f8.indemnity.amount == Decimal("40.00")
