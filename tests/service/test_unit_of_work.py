"""The unit of work as the use cases use it: one atomic commit per use case, no partial
write when it fails, and a lost race on a claim's version replayed (domain.shared.retry)
until the version keeps moving, then refused as a Conflict with nothing stored."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

import pytest

from domain import services
from domain.claims.model import Claim, ClaimEvent, HoldReason
from domain.debtors.model import DebtorKind
from domain.ports.repositories import PageRequest
from domain.services import amounts, queries
from domain.services.caller import Caller
from domain.shared import retry
from domain.shared.errors import Conflict, DomainValidationError
from tests.fakes import FakeWorld
from tests.service.conftest import open_claim


@pytest.fixture
def backoffs(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits between attempts, recorded instead of slept. `run_retrying` binds
    `time.sleep` as a default argument at import, so patching `time.sleep` would not reach
    it; the decorator looks `run_retrying` up at each call, so that is what is patched."""
    waits: list[float] = []
    monkeypatch.setattr(retry, "run_retrying", partial(retry.run_retrying, sleep=waits.append))
    return waits


def timeline(world: FakeWorld, caller: Caller, claim_id: str) -> list[ClaimEvent]:
    return queries.claim_events(claim_id, PageRequest(limit=100), caller, world.ports).items


def payment(amount: str, reference: str, day: int = 1) -> amounts.PaymentDraft:
    return amounts.PaymentDraft(amount=amount, received_on=date(2026, 3, day),
                                reference=reference)


def paying(world: FakeWorld, caller: Caller, claim_id: str,
           draft: amounts.PaymentDraft) -> Callable[[], None]:
    """Another writer recording `draft`, to land inside our next commit."""
    def change() -> None:
        amounts.record_payment(claim_id, draft, caller, world.ports)

    return change


def references(world: FakeWorld, caller: Caller, claim_id: str) -> list[str | None]:
    _, account = queries.claim_account(claim_id, caller, world.ports)
    return [p.reference for p in account.payments]


# ------------------------------------------------------------------------ lost races


def test_a_payment_that_lost_a_race_is_replayed_and_both_payments_are_stored_once(
        world: FakeWorld, caller: Caller, backoffs: list[float]) -> None:
    claim = open_claim(world, caller)
    world.race_once(paying(world, caller, claim.id, payment("10.00", "VIR-1")))
    commits = world.db.commits
    change, _ = amounts.record_payment(claim.id, payment("20.00", "VIR-2", 2), caller,
                                       world.ports)
    assert references(world, caller, claim.id) == ["VIR-1", "VIR-2"]
    events = timeline(world, caller, claim.id)
    assert [e.action for e in events] == ["open", "record_payment", "record_payment"]
    assert [e.seq for e in events] == [1, 2, 3]
    assert [e.data["amount"] for e in events[1:]] == ["10.00", "20.00"]
    # The racer's commit and ours; our first attempt wrote nothing and waited once.
    assert world.db.commits == commits + 2
    assert len(backoffs) == 1
    read = services.get_claim(claim.id, caller, world.ports)
    assert read == change.claim and (read.version, read.event_count) == (3, 3)


def test_the_replay_sees_the_racing_payment_and_refuses_its_reference_again(
        world: FakeWorld, caller: Caller, backoffs: list[float]) -> None:
    claim = open_claim(world, caller)
    world.race_once(paying(world, caller, claim.id, payment("10.00", "VIR-1")))
    with pytest.raises(DomainValidationError) as refused:
        amounts.record_payment(claim.id, payment("10.00", "VIR-1"), caller, world.ports)
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("reference", "duplicate_payment")]
    assert references(world, caller, claim.id) == ["VIR-1"]
    assert [e.seq for e in timeline(world, caller, claim.id)] == [1, 2]


def test_a_lifecycle_action_that_lost_a_race_is_replayed_on_the_new_state(
        world: FakeWorld, caller: Caller, backoffs: list[float]) -> None:
    claim = open_claim(world, caller)
    racer: list[amounts.Change] = []
    world.race_once(lambda: racer.append(amounts.record_payment(
        claim.id, payment("10.00", "VIR-1"), caller, world.ports)[0]))
    held, entry = services.apply_action(claim.id, services.ActionRequest("hold", "asked"),
                                        caller, world.ports)
    assert entry.seq == 3
    assert [e.action for e in timeline(world, caller, claim.id)] == [
        "open", "record_payment", "hold"]
    read = services.get_claim(claim.id, caller, world.ports)
    assert read.hold is not None and read.hold.reason is HoldReason.MANUAL
    # The replay started from the racer's state: the outstanding its payment left stays.
    assert read.outstanding == racer[0].claim.outstanding != claim.outstanding
    assert read == held and references(world, caller, claim.id) == ["VIR-1"]


def _pay(world: FakeWorld, caller: Caller, claim: Claim) -> object:
    return amounts.record_payment(claim.id, payment("10.00", "VIR-9"), caller, world.ports)


def _hold(world: FakeWorld, caller: Caller, claim: Claim) -> object:
    return services.apply_action(claim.id, services.ActionRequest("hold"), caller,
                                 world.ports)


def _promise(world: FakeWorld, caller: Caller, claim: Claim) -> object:
    return amounts.record_promise(claim.id, amounts.PromiseDraft(
        "100.00", date(2026, 3, 20), "phone"), caller, world.ports)


HOT_CLAIM_USE_CASES: dict[str, Callable[[FakeWorld, Caller, Claim], object]] = {
    "record_payment": _pay, "apply_action": _hold, "record_promise": _promise}


@pytest.mark.parametrize("use_case", sorted(HOT_CLAIM_USE_CASES))
def test_a_claim_whose_version_moves_at_every_commit_is_refused_and_nothing_stored(
        world: FakeWorld, caller: Caller, backoffs: list[float], use_case: str) -> None:
    claim = open_claim(world, caller)
    attempts: list[int] = []

    def another_writer() -> None:
        attempts.append(1)
        world.touch_claim(caller.creditor_id, claim.id)

    world.before_commit = another_writer
    events, accounts, commits = dict(world.db.events), dict(world.db.accounts), world.db.commits
    with pytest.raises(Conflict, match=f"changed {retry.ATTEMPTS} times"):
        HOT_CLAIM_USE_CASES[use_case](world, caller, claim)
    assert len(attempts) == retry.ATTEMPTS
    assert len(backoffs) == retry.ATTEMPTS - 1
    assert all(0 <= wait <= retry.MAX_DELAY_SECONDS for wait in backoffs)
    world.before_commit = None
    assert world.db.events == events and world.db.accounts == accounts
    assert world.db.commits == commits
    assert references(world, caller, claim.id) == []
    read = services.get_claim(claim.id, caller, world.ports)
    # Only the other writer's touches moved the claim; none of our attempts was written.
    assert read.version == claim.version + retry.ATTEMPTS
    assert (read.hold, read.event_count) == (None, 1)


def test_two_claims_racing_for_one_invoice_number_store_only_the_winner(
        world: FakeWorld, caller: Caller, backoffs: list[float]) -> None:
    debtor_id = services.create_debtor(services.DebtorDraft(
        kind=DebtorKind.BUSINESS, name="Boulangerie Martin SAS", country="FR"),
        caller, world.ports).id
    winner: list[Claim] = []
    world.race_once(lambda: winner.append(open_claim(world, caller, number="F-1",
                                                     debtor_id=debtor_id)))
    # A taken number is not a stale version: no replay, the loser is told at once.
    with pytest.raises(Conflict) as lost:
        open_claim(world, caller, number="F-1", debtor_id=debtor_id)
    assert lost.value.field_path == "invoices[0].number"
    assert backoffs == []
    assert list(world.db.claims) == [(caller.creditor_id, winner[0].id)]
    assert world.db.unique == {(caller.creditor_id, "INVOICE", "F-1"): winner[0].id}
    assert len(world.db.events) == 1


# ------------------------------------------------------------------------ atomicity


def test_a_conflict_on_the_second_invoice_leaves_no_partial_write(world: FakeWorld,
                                                                  caller: Caller) -> None:
    taken = open_claim(world, caller, number="F-2")
    debtor_id = taken.debtor_id
    claims, events = dict(world.db.claims), dict(world.db.events)
    unique, accounts, commits = dict(world.db.unique), dict(world.db.accounts), world.db.commits
    with pytest.raises(Conflict) as refused:
        services.create_claim(services.ClaimDraft(
            debtor_id=debtor_id, currency="EUR", external_reference="DOS-2",
            contractual_rate="15.00",  # so that an account write is staged too
            invoices=[services.InvoiceDraft(n, date(2026, 1, 15), date(2026, 2, 15), "10.00")
                      for n in ("F-1", "F-2", "F-3")]), caller, world.ports)
    assert refused.value.field_path == "invoices[1].number"
    assert world.db.claims == claims and world.db.events == events
    assert world.db.accounts == accounts and world.db.commits == commits
    # Neither the first invoice's number nor the reference was reserved.
    assert world.db.unique == unique
    assert (caller.creditor_id, "INVOICE", "F-1") not in world.db.unique
    assert (caller.creditor_id, "CLAIMREF", "DOS-2") not in world.db.unique
    # Nothing staged lingers for the next use case: it writes only its own claim.
    again = open_claim(world, caller, number="F-1", debtor_id=debtor_id)
    assert world.db.commits == commits + 1
    assert set(world.db.claims) == set(claims) | {(caller.creditor_id, again.id)}


def test_a_refused_payment_after_the_read_commits_nothing(world: FakeWorld,
                                                          caller: Caller) -> None:
    claim = open_claim(world, caller)
    raw, commits = world.db.claims[(caller.creditor_id, claim.id)], world.db.commits
    with pytest.raises(DomainValidationError):
        amounts.record_payment(claim.id, amounts.PaymentDraft(
            "10.00", date(2026, 3, 1), invoice_numbers=("NOPE",)), caller, world.ports)
    assert world.db.commits == commits
    assert world.db.claims[(caller.creditor_id, claim.id)] == raw
    assert (caller.creditor_id, claim.id) not in world.db.accounts


# ------------------------------------------------------------------------ one commit each


def _create(world: FakeWorld, caller: Caller, claim: Claim) -> object:
    return open_claim(world, caller, number="F-NEW", debtor_id=claim.debtor_id)


def _reverse(world: FakeWorld, caller: Caller, claim: Claim) -> object:
    _, account = queries.claim_account(claim.id, caller, world.ports)
    return amounts.reverse_payment(claim.id, account.payments[0].id, None, caller,
                                   world.ports)


def _plan(world: FakeWorld, caller: Caller, claim: Claim) -> object:
    return amounts.start_payment_plan(claim.id, amounts.PlanDraft(
        count=2, first_due_on=date(2026, 4, 10)), caller, world.ports)


def _cancel(world: FakeWorld, caller: Caller, claim: Claim) -> object:
    return services.apply_action(claim.id, services.ActionRequest("cancel"), caller,
                                 world.ports)


ONE_COMMIT_USE_CASES: dict[str, Callable[[FakeWorld, Caller, Claim], object]] = {
    "create_claim": _create, "record_payment": _pay, "apply_action hold": _hold,
    "apply_action cancel": _cancel, "record_promise": _promise, "reverse_payment": _reverse,
    "start_payment_plan": _plan}


@pytest.mark.parametrize("use_case", sorted(ONE_COMMIT_USE_CASES))
def test_each_use_case_commits_exactly_once(world: FakeWorld, caller: Caller,
                                            use_case: str) -> None:
    claim = open_claim(world, caller)
    amounts.record_payment(claim.id, payment("10.00", "VIR-0"), caller, world.ports)
    events, commits = len(world.db.events), world.db.commits
    ONE_COMMIT_USE_CASES[use_case](world, caller, claim)
    assert world.db.commits == commits + 1
    assert len(world.db.events) > events  # the one commit carried its timeline entries


def test_a_review_that_changes_nothing_does_not_commit(world: FakeWorld,
                                                       caller: Caller) -> None:
    claim = open_claim(world, caller)
    # The first review brings the stored outstanding up to today's interest and saves.
    first = amounts.review(claim.id, caller, world.ports)
    commits, stored_claim = world.db.commits, world.db.claims[(caller.creditor_id, claim.id)]
    assert first.claim.version == claim.version + 1
    second = amounts.review(claim.id, caller, world.ports)
    assert world.db.commits == commits
    assert world.db.claims[(caller.creditor_id, claim.id)] == stored_claim
    # It answers with the claim as stored, not an unsaved copy one version ahead.
    assert second.claim.version == first.claim.version and second.entries == []
