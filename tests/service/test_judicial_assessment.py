"""The judicial assessment use case on the fakes: the facts it gathers from the claim, its
account (payments, promises as resolved today, the formal notice) and the debtor, and the
input it refuses. The clock starts at 2026-03-10."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from adapters.clock import FrozenClock
from domain import services
from domain.claims.judicial import JudicialRoute
from domain.services import amounts
from domain.services.caller import Caller
from domain.services.judicial_assessment import AssessmentOptions, assess_claim
from domain.shared.errors import ActionNotAllowed, DomainValidationError, NotFound
from tests.fakes import FakeWorld
from tests.service.conftest import open_claim


def test_payments_broken_promises_and_the_formal_notice_are_facts(
        world: FakeWorld, caller: Caller, clock: FrozenClock) -> None:
    claim = open_claim(world, caller, amount="3000.00")
    amounts.record_payment(claim.id, amounts.PaymentDraft(
        amount="100.00", received_on=date(2026, 3, 10)), caller, world.ports)
    amounts.record_promise(claim.id, amounts.PromiseDraft(
        "2900.00", date(2026, 3, 12), "phone"), caller, world.ports)
    amounts.record_formal_notice(claim.id, amounts.FormalNoticeDraft(
        sent_on=date(2026, 3, 10)), caller, world.ports)
    clock.advance(timedelta(days=10))  # 20 March: the promise of the 12th is broken
    _, result = assess_claim(claim.id, AssessmentOptions(), caller, world.ports)
    facts = result.facts
    assert facts.on == date(2026, 3, 20)
    assert (facts.partial_payments, facts.broken_promises) == (1, 1)
    assert facts.formal_notice_on == date(2026, 3, 10)
    # 0.80 x 0.85 (a broken promise) x 1.10 (a payment) = 0.748
    assert str(result.probability.value) == "0.7480"
    ip = next(r for r in result.routes if r.route is JudicialRoute.INJONCTION_DE_PAYER)
    assert ip.amicable_attempt is not None
    assert ip.amicable_attempt.formal_notice_sent_on == date(2026, 3, 10)


def test_a_scoped_dispute_is_a_fact_and_rules_out_the_refere(
        world: FakeWorld, caller: Caller) -> None:
    claim = open_claim(world, caller)
    services.apply_action(claim.id, services.ActionRequest("open_dispute", invoices=("F-1",)),
                          caller, world.ports)
    _, result = assess_claim(claim.id, AssessmentOptions(), caller, world.ports)
    assert result.facts.disputed
    refere = next(r for r in result.routes if r.route is JudicialRoute.REFERE_PROVISION)
    assert refere.conditions_met is False


@pytest.mark.parametrize(("options", "field"), [
    (AssessmentOptions(recovery_probability="1.0001"), "recovery_probability"),
    (AssessmentOptions(recovery_probability="Infinity"), "recovery_probability"),
    (AssessmentOptions(creditor_headcount=-1), "creditor_headcount"),
])
def test_bad_options_are_refused_by_name(world: FakeWorld, caller: Caller,
                                         options: AssessmentOptions, field: str) -> None:
    claim = open_claim(world, caller)
    with pytest.raises(DomainValidationError) as refused:
        assess_claim(claim.id, options, caller, world.ports)
    assert [e.field for e in refused.value.errors] == [field]


def test_the_bounds_are_accepted_and_a_closed_or_unknown_claim_is_not_assessed(
        world: FakeWorld, caller: Caller) -> None:
    claim = open_claim(world, caller)
    for bound in ("0", "1"):
        _, result = assess_claim(claim.id, AssessmentOptions(recovery_probability=bound),
                                 caller, world.ports)
        assert str(result.probability.value) == f"{bound}.0000"
    with pytest.raises(NotFound):
        assess_claim("clm_nope", AssessmentOptions(), caller, world.ports)
    services.apply_action(claim.id, services.ActionRequest("cancel"), caller, world.ports)
    with pytest.raises(ActionNotAllowed):
        assess_claim(claim.id, AssessmentOptions(), caller, world.ports)
