"""Claims at the service level: opening one (phase, uniqueness, validation, limits) and the
manual lifecycle actions, asserted on what the in-memory fake stores."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from domain import services
from domain.claims import lifecycle
from domain.claims.model import MAX_INVOICES_PER_CLAIM, ClaimEvent, HoldReason, Outcome, Phase
from domain.debtors.model import DebtorKind
from domain.ports.repositories import PageRequest
from domain.services import queries
from domain.services.caller import Caller
from domain.shared.errors import ActionNotAllowed, Conflict, DomainValidationError, NotFound
from tests.fakes import FakeWorld
from tests.service.conftest import LEROY, open_claim

Rows = dict[tuple[str, str], bytes]
Stored = tuple[Rows, Rows, dict[tuple[str, str, int], bytes], dict[tuple[str, str, str], str],
               int]


def stored(world: FakeWorld) -> Stored:
    """Everything a claim use case may write, copied so that a later write shows."""
    db = world.db
    return dict(db.claims), dict(db.accounts), dict(db.events), dict(db.unique), db.commits


def timeline(world: FakeWorld, caller: Caller, claim_id: str) -> list[ClaimEvent]:
    return queries.claim_events(claim_id, PageRequest(limit=100), caller, world.ports).items


def new_debtor(world: FakeWorld, caller: Caller,
               kind: DebtorKind = DebtorKind.BUSINESS) -> str:
    return services.create_debtor(services.DebtorDraft(
        kind=kind, name="Boulangerie Martin SAS", country="FR"), caller, world.ports).id


def invoice(number: str, amount: str = "100.00", due: date = date(2026, 2, 15)
            ) -> services.InvoiceDraft:
    return services.InvoiceDraft(number, date(2026, 1, 15), due, amount)


def draft(debtor_id: str, *invoices: services.InvoiceDraft,
          **fields: str) -> services.ClaimDraft:
    return services.ClaimDraft(debtor_id=debtor_id, currency="EUR", invoices=list(invoices),
                               **fields)  # type: ignore[arg-type]


# ------------------------------------------------------------------------ opening


def test_opening_a_claim_stores_it_with_one_open_event(world: FakeWorld,
                                                        caller: Caller) -> None:
    debtor_id = new_debtor(world, caller)
    claim, event = services.create_claim(draft(
        debtor_id, invoice("F-1", "1000.50"), invoice("F-2", "199.50")), caller, world.ports)
    assert list(world.db.claims) == [(caller.creditor_id, claim.id)]
    read = services.get_claim(claim.id, caller, world.ports)
    assert read == claim
    assert (read.outstanding, read.version, read.debtor_id) == (Decimal("1200.00"), 1, debtor_id)
    assert [inv.number for inv in read.invoices] == ["F-1", "F-2"]
    [opened] = timeline(world, caller, claim.id)
    assert opened == event
    assert (opened.seq, opened.action, opened.actor) == (1, "open", "erp")
    assert opened.data == {"invoices": "2", "total": "1200.00", "currency": "EUR",
                           "phase": "amicable"}
    # Each invoice number is reserved for this claim, within this creditor only.
    assert world.db.unique == {(caller.creditor_id, "INVOICE", "F-1"): claim.id,
                               (caller.creditor_id, "INVOICE", "F-2"): claim.id}


def test_amounts_are_normalised_to_the_currencys_decimals(world: FakeWorld,
                                                          caller: Caller) -> None:
    claim = open_claim(world, caller, amount="12.5")
    stored_claim = services.get_claim(claim.id, caller, world.ports)
    assert str(stored_claim.invoices[0].amount) == "12.50"
    assert str(stored_claim.outstanding) == "12.50"


@pytest.mark.parametrize(("due", "phase"), [
    (date(2026, 3, 9), Phase.AMICABLE),  # due yesterday: late
    (date(2026, 3, 10), Phase.PRE_DUE),  # due today: not late yet
    (date(2026, 3, 11), Phase.PRE_DUE),
])
def test_the_opening_phase_follows_the_due_date(world: FakeWorld, caller: Caller, due: date,
                                                phase: Phase) -> None:
    claim = open_claim(world, caller, due=due)
    assert claim.phase is phase
    assert services.get_claim(claim.id, caller, world.ports).phase is phase
    assert timeline(world, caller, claim.id)[0].data["phase"] == phase.value


def test_the_opening_phase_follows_the_earliest_of_several_invoices(world: FakeWorld,
                                                                    caller: Caller) -> None:
    claim, _ = services.create_claim(draft(
        new_debtor(world, caller), invoice("L-1", due=date(2026, 4, 1)),
        invoice("E-1", due=date(2026, 3, 1))), caller, world.ports)
    assert claim.phase is Phase.AMICABLE


def test_today_is_the_creditors_today(world: FakeWorld, caller: Caller) -> None:
    # 09:30 UTC on 10 March is still 9 March (22:30) in Pago Pago (UTC-11): an invoice due
    # on the 9th is not late yet there, and is late in Paris.
    samoa = services.create_creditor(replace(LEROY, time_zone="Pacific/Pago_Pago"),
                                     world.ports)
    samoa_caller = Caller(samoa.id, "erp")
    in_samoa = open_claim(world, samoa_caller, due=date(2026, 3, 9))
    in_paris = open_claim(world, caller, due=date(2026, 3, 9))
    assert (in_samoa.phase, in_paris.phase) == (Phase.PRE_DUE, Phase.AMICABLE)
    assert in_samoa.time_zone == "Pacific/Pago_Pago"


def test_an_invoice_number_already_in_another_claim_is_a_conflict_and_stores_nothing(
        world: FakeWorld, caller: Caller) -> None:
    debtor_id = new_debtor(world, caller)
    first = open_claim(world, caller, number="F-100", debtor_id=debtor_id)
    before = stored(world)
    with pytest.raises(Conflict) as refused:
        services.create_claim(draft(debtor_id, invoice("N-1"), invoice("F-100"),
                                    invoice("N-2"), external_reference="SECOND"),
                              caller, world.ports)
    assert refused.value.field_path == "invoices[1].number"
    assert stored(world) == before
    assert list(world.db.claims) == [(caller.creditor_id, first.id)]
    assert len(world.db.unique) == 1
    # The refused claim's other numbers were never reserved.
    assert open_claim(world, caller, number="N-1", debtor_id=debtor_id).phase is Phase.AMICABLE


def test_another_creditor_may_use_the_same_invoice_number(world: FakeWorld,
                                                          caller: Caller) -> None:
    open_claim(world, caller, number="F-1")
    other = Caller(services.create_creditor(LEROY, world.ports).id, "erp")
    theirs = open_claim(world, other, number="F-1")
    assert world.db.unique[(other.creditor_id, "INVOICE", "F-1")] == theirs.id
    assert len(world.db.claims) == 2


def test_a_number_listed_twice_in_one_claim_is_refused_naming_the_second(
        world: FakeWorld, caller: Caller) -> None:
    debtor_id = new_debtor(world, caller)
    before = stored(world)
    with pytest.raises(DomainValidationError) as refused:
        services.create_claim(draft(debtor_id, invoice("F-1"), invoice(" F-1 ")), caller,
                              world.ports)
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("invoices[1].number", "duplicate_invoice")]
    assert stored(world) == before


def test_an_unknown_debtor_is_refused_naming_debtor_id(world: FakeWorld,
                                                       caller: Caller) -> None:
    # The code answers a validation error on `debtor_id` (422), not NotFound: the claim is
    # what is being created, the debtor is only one of its fields.
    before = stored(world)
    with pytest.raises(DomainValidationError) as refused:
        services.create_claim(draft("dbt_nope", invoice("F-1")), caller, world.ports)
    assert not isinstance(refused.value, NotFound)
    assert [(e.field, e.code) for e in refused.value.errors] == [("debtor_id", "unknown_debtor")]
    assert stored(world) == before


def test_another_creditors_debtor_is_as_unknown_as_a_missing_one(world: FakeWorld,
                                                                 caller: Caller) -> None:
    other = Caller(services.create_creditor(LEROY, world.ports).id, "erp")
    theirs = new_debtor(world, other)
    before = stored(world)
    with pytest.raises(DomainValidationError) as refused:
        services.create_claim(draft(theirs, invoice("F-1")), caller, world.ports)
    assert [(e.field, e.code) for e in refused.value.errors] == [("debtor_id", "unknown_debtor")]
    assert stored(world) == before


@pytest.mark.parametrize(("amount", "code"), [
    ("-10.00", "not_positive"),
    ("0.00", "not_positive"),
    ("1e3", "invalid_amount"),  # an exponent is float syntax, not an amount
    ("10.", "invalid_amount"),
    ("1,50", "invalid_amount"),
    ("NaN", "invalid_amount"),
    ("12.345", "too_many_decimals"),  # refused, never rounded
])
def test_an_invalid_invoice_amount_names_its_field_and_stores_nothing(
        world: FakeWorld, caller: Caller, amount: str, code: str) -> None:
    debtor_id = new_debtor(world, caller)
    before = stored(world)
    with pytest.raises(DomainValidationError) as refused:
        services.create_claim(draft(debtor_id, invoice("F-1", amount)), caller, world.ports)
    assert [(e.field, e.code) for e in refused.value.errors] == [("invoices[0].amount", code)]
    assert stored(world) == before


def test_every_invalid_invoice_is_named_in_one_answer(world: FakeWorld,
                                                      caller: Caller) -> None:
    debtor_id = new_debtor(world, caller)
    with pytest.raises(DomainValidationError) as refused:
        services.create_claim(draft(debtor_id, invoice("F-1"), invoice("F-2", "-1"),
                                    invoice("F-3", "1.001")), caller, world.ports)
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("invoices[1].amount", "not_positive"), ("invoices[2].amount", "too_many_decimals")]
    assert world.db.claims == {}


def test_one_invoice_more_than_the_limit_is_refused(world: FakeWorld, caller: Caller) -> None:
    debtor_id = new_debtor(world, caller)
    before = stored(world)
    too_many = [invoice(f"INV-{i:03d}", "10.00") for i in range(MAX_INVOICES_PER_CLAIM + 1)]
    with pytest.raises(DomainValidationError) as refused:
        services.create_claim(draft(debtor_id, *too_many), caller, world.ports)
    assert [(e.field, e.code) for e in refused.value.errors] == [("invoices", "too_many")]
    assert stored(world) == before


def test_the_limit_itself_fits_one_atomic_write_with_reference_and_terms(
        world: FakeWorld, caller: Caller) -> None:
    # 96 invoice numbers + claim + event + reference + account = DynamoDB's 100 items.
    debtor_id = new_debtor(world, caller)
    invoices = [invoice(f"INV-{i:03d}", "10.00") for i in range(MAX_INVOICES_PER_CLAIM)]
    commits = world.db.commits
    claim, event = services.create_claim(draft(
        debtor_id, *invoices, external_reference="DOS-96", contractual_rate="15.00"),
        caller, world.ports)
    assert world.db.commits == commits + 1
    assert claim.outstanding == Decimal("960.00")
    assert event.data["invoices"] == str(MAX_INVOICES_PER_CLAIM)
    assert len(world.db.unique) == MAX_INVOICES_PER_CLAIM + 1
    assert (caller.creditor_id, claim.id) in world.db.accounts


# ------------------------------------------------------------------------ actions


def test_holding_a_claim_stores_the_hold_and_a_typed_hold_event(world: FakeWorld,
                                                                caller: Caller) -> None:
    claim = open_claim(world, caller)
    held, entry = services.apply_action(claim.id, services.ActionRequest(
        "hold", "debtor asked for a week", date(2026, 3, 17)), caller, world.ports)
    read = services.get_claim(claim.id, caller, world.ports)
    assert read == held
    assert read.hold is not None
    assert (read.hold.reason, read.hold.until, read.hold.note) == (
        HoldReason.MANUAL, date(2026, 3, 17), "debtor asked for a week")
    assert read.version == 2 and read.phase is Phase.AMICABLE
    assert "resume" in lifecycle.allowed_actions(read)
    assert "hold" not in lifecycle.allowed_actions(read)
    _opened, hold = timeline(world, caller, claim.id)
    assert hold == entry
    assert (hold.seq, hold.action, hold.actor, hold.reason) == (
        2, "hold", "erp", "debtor asked for a week")
    assert hold.data == {"from": "amicable", "to": "amicable, held for manual"}


def test_resuming_releases_the_hold_and_says_from_what(world: FakeWorld,
                                                       caller: Caller) -> None:
    claim = open_claim(world, caller)
    services.apply_action(claim.id, services.ActionRequest("hold"), caller, world.ports)
    resumed, _ = services.apply_action(claim.id, services.ActionRequest("resume", "week over"),
                                       caller, world.ports)
    assert resumed.hold is None
    assert services.get_claim(claim.id, caller, world.ports).hold is None
    events = timeline(world, caller, claim.id)
    assert [(e.seq, e.action) for e in events] == [(1, "open"), (2, "hold"), (3, "resume")]
    assert events[2].data == {"from": "amicable, held for manual", "to": "amicable"}
    assert events[2].reason == "week over"


def test_a_dispute_holds_until_it_is_resolved(world: FakeWorld, caller: Caller) -> None:
    claim = open_claim(world, caller)
    disputed, entry = services.apply_action(claim.id, services.ActionRequest(
        "open_dispute", "goods damaged"), caller, world.ports)
    assert disputed.hold is not None and disputed.hold.reason is HoldReason.DISPUTE
    assert entry.data == {"from": "amicable", "to": "amicable, held for dispute"}
    # A dispute is not a manual hold: `resume` does not lift it.
    with pytest.raises(ActionNotAllowed):
        services.apply_action(claim.id, services.ActionRequest("resume"), caller, world.ports)
    resolved, _ = services.apply_action(claim.id, services.ActionRequest("resolve_dispute"),
                                        caller, world.ports)
    assert resolved.hold is None


@pytest.mark.parametrize(("action", "outcome"), [
    ("cancel", Outcome.CANCELLED), ("write_off", Outcome.WRITTEN_OFF),
    ("transfer", Outcome.TRANSFERRED)])
def test_a_closing_action_closes_the_claim_and_clears_its_hold(
        world: FakeWorld, caller: Caller, action: str, outcome: Outcome) -> None:
    claim = open_claim(world, caller)
    services.apply_action(claim.id, services.ActionRequest("hold"), caller, world.ports)
    closed, entry = services.apply_action(claim.id, services.ActionRequest(
        action, "decided", transfer_to="agency" if action == "transfer" else None),
        caller, world.ports)
    read = services.get_claim(claim.id, caller, world.ports)
    assert read == closed
    assert (read.phase, read.outcome, read.hold) == (Phase.CLOSED, outcome, None)
    assert read.outstanding == claim.outstanding  # closing is not paying
    assert lifecycle.allowed_actions(read) == ["reopen"]
    assert entry.action == action
    assert entry.data == {"from": "amicable, held for manual", "to": f"closed ({outcome.value})",
                          **({"transferred_to": "agency"} if action == "transfer" else {})}


def test_a_disallowed_action_lists_the_allowed_ones_and_stores_nothing(
        world: FakeWorld, caller: Caller) -> None:
    claim = open_claim(world, caller)
    before = stored(world)
    with pytest.raises(ActionNotAllowed) as refused:
        services.apply_action(claim.id, services.ActionRequest("resume", "why not"), caller,
                              world.ports)
    assert refused.value.action == "resume" and refused.value.state == "amicable"
    assert refused.value.allowed == lifecycle.allowed_actions(claim)
    assert "hold" in refused.value.allowed and "resume" not in refused.value.allowed
    assert refused.value.why == "the claim has no manual or insolvency hold"
    assert stored(world) == before


@pytest.mark.parametrize("action", ["hold", "resume", "open_dispute", "resolve_dispute",
                                    "cancel", "write_off", "transfer"])
def test_no_action_is_allowed_on_a_cancelled_claim(world: FakeWorld, caller: Caller,
                                                   action: str) -> None:
    claim = open_claim(world, caller)
    services.apply_action(claim.id, services.ActionRequest("cancel"), caller, world.ports)
    before = stored(world)
    with pytest.raises(ActionNotAllowed) as refused:
        services.apply_action(claim.id, services.ActionRequest(
            action, transfer_to="agency" if action == "transfer" else None), caller,
            world.ports)
    assert refused.value.allowed == ["reopen"] and refused.value.state == "closed (cancelled)"
    assert stored(world) == before


@pytest.mark.parametrize("action", ["review", "record_payment", "HOLD"])
def test_a_name_that_is_not_a_manual_action_is_refused_and_stores_nothing(
        world: FakeWorld, caller: Caller, action: str) -> None:
    # The HTTP layer only lets manual action names through; the use case still refuses
    # the others (as a ValueError, a programming error rather than a domain answer).
    claim = open_claim(world, caller)
    before = stored(world)
    with pytest.raises(ValueError, match=action):
        services.apply_action(claim.id, services.ActionRequest(action), caller, world.ports)
    assert stored(world) == before


def test_an_action_on_another_creditors_claim_is_not_found(world: FakeWorld,
                                                           caller: Caller) -> None:
    claim = open_claim(world, caller)
    other = Caller(services.create_creditor(LEROY, world.ports).id, "erp")
    before = stored(world)
    with pytest.raises(NotFound):
        services.apply_action(claim.id, services.ActionRequest("cancel"), other, world.ports)
    with pytest.raises(NotFound):
        services.get_claim(claim.id, other, world.ports)
    with pytest.raises(NotFound):
        queries.claim_events(claim.id, PageRequest(), other, world.ports)
    assert stored(world) == before


@pytest.mark.parametrize("rate", ["NaN", "sNaN", "Infinity", "1e2", "0", "-3", "12.00001",
                                  "1e30", "abc"])
def test_a_contractual_rate_that_is_no_percentage_is_refused_by_the_use_case(
        world: FakeWorld, caller: Caller, rate: str) -> None:
    """The HTTP schema bounds the rate; a scheduled import or a partner's batch reaches the
    use case without it, so the use case refuses the same inputs itself."""
    before = dict(world.db.claims)
    with pytest.raises(DomainValidationError) as refused:
        open_claim(world, caller, contractual_rate=rate)
    assert refused.value.errors[0].field == "contractual_rate"
    assert world.db.claims == before
