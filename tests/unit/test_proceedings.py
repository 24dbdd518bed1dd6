"""The proceedings' machines and deadlines, route by route, against dates worked out by
hand (CPC 641: months to the same date; CPC 642: a last day on a Saturday, Sunday or public
holiday moves to the next working day)."""

from __future__ import annotations

import typing
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from api.http.schemas.judicial import JudicialEventType
from domain.claims.judicial import JudicialRoute
from domain.judicial.parameters import judicial_parameters
from domain.judicial.proceedings import (
    MACHINES,
    TERMINAL,
    EventInput,
    EventType,
    Filer,
    Proceeding,
    State,
    Status,
    apply_event,
    deadlines,
)
from domain.shared.errors import ActionNotAllowed, DomainValidationError

AT = datetime(2027, 6, 1, 8, 0, tzinfo=UTC)
PARAMS = judicial_parameters()


def start(route: JudicialRoute, *, amount: str = "2400.00", abroad: bool = False,
          bodacc: date | None = None) -> Proceeding:
    return Proceeding(id="prc_1", creditor_id="cred", claim_id="clm", route=route,
                      state=State.DRAFT, filer=Filer.CREDITOR, court=None, started_at=AT,
                      amount_claimed=Decimal(amount), currency="EUR", debtor_abroad=abroad,
                      bodacc_published_on=bodacc)


def play(p: Proceeding, *steps: tuple[str, date, dict[str, object]] | tuple[str, date],
         today: date = date(2027, 6, 1)) -> Proceeding:
    for step in steps:
        kind, day = step[0], step[1]
        extra = step[2] if len(step) == 3 else {}  # type: ignore[misc]
        p = apply_event(p, EventInput(type=kind, occurred_on=day, **extra),  # type: ignore[arg-type]
                        today, PARAMS, AT, "test")
    return p


def due(p: Proceeding, what: str, today: date = date(2027, 6, 1)) -> tuple[date, date, Status]:
    found = next(d for d in deadlines(p, PARAMS, today) if d.what == what)
    return found.due, found.last_day, found.status


@pytest.mark.parametrize("route", list(JudicialRoute))
def test_every_state_of_a_machine_is_reachable_and_can_end(route: JudicialRoute) -> None:
    table = MACHINES[route]
    reachable, frontier = {State.DRAFT}, [State.DRAFT]
    while frontier:
        for nxt in table.get(frontier.pop(), {}).values():
            if nxt not in reachable:
                reachable.add(nxt)
                frontier.append(nxt)
    assert set(table) <= reachable
    for state in reachable - TERMINAL:
        seen, todo = {state}, [state]
        while todo:
            for nxt in table.get(todo.pop(), {}).values():
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        assert seen & TERMINAL, (route, state)


def test_the_api_names_every_event_type() -> None:
    assert set(typing.get_args(JudicialEventType)) == {e.value for e in EventType}


def test_a_state_refuses_what_it_does_not_take_and_names_what_it_does() -> None:
    with pytest.raises(ActionNotAllowed) as refused:
        play(start(JudicialRoute.ASSIGNATION_AU_FOND), ("filed", date(2026, 3, 2)))
    assert refused.value.allowed == ["summons_served", "withdrawn", "cost", "document"]


def test_the_service_of_an_assignation_interrupts_and_a_withdrawal_voids_it() -> None:
    p = play(start(JudicialRoute.ASSIGNATION_AU_FOND), ("summons_served", date(2026, 3, 2)))
    assert p.prescription_interrupted_on == date(2026, 3, 2)
    p = play(p, ("withdrawn", date(2026, 4, 1)))
    assert (p.state, p.prescription_interrupted_on) == (State.CLOSED, None)


def test_a_debtor_abroad_has_two_more_months_to_oppose() -> None:
    # Served Thursday 1 October 2026: 1 + 2 months, to Friday 1 January 2027 (New Year's
    # Day), then the weekend: Monday 4 January (CPC 643, unconfirmed; CPC 642).
    p = play(start(JudicialRoute.INJONCTION_DE_PAYER, abroad=True),
             ("filed", date(2026, 9, 1)),
             ("order_granted", date(2026, 9, 15)), ("served", date(2026, 10, 1)))
    assert due(p, "opposition", date(2026, 10, 1)) == (date(2027, 1, 1), date(2027, 1, 4),
                                                        Status.OPEN)
    assert not next(d for d in deadlines(p, PARAMS, date(2026, 10, 1))
                    if d.what == "opposition").confirmed


def test_an_opposition_above_10000_eur_needs_a_lawyer_within_15_days() -> None:
    steps = (("filed", date(2026, 9, 1)), ("order_granted", date(2026, 9, 15)),
             ("served", date(2026, 10, 1)), ("opposed", date(2026, 10, 20)))
    big = play(start(JudicialRoute.INJONCTION_DE_PAYER, amount="12000.00"), *steps)
    # 20 October + 15 days: Wednesday 4 November 2026.
    assert due(big, "instruct_lawyer", date(2026, 10, 20)) == (
        date(2026, 11, 4), date(2026, 11, 4), Status.OPEN)
    assert due(big, "opposition", date(2026, 10, 20))[2] is Status.MET
    small = play(start(JudicialRoute.INJONCTION_DE_PAYER, amount="8000.00"), *steps)
    assert "instruct_lawyer" not in {d.what for d in deadlines(small, PARAMS, date(2026, 10, 20))}
    lapsed = play(big, ("lapsed", date(2026, 11, 5)))
    assert (lapsed.state, lapsed.prescription_interrupted_on) == (State.LAPSED, None)


def test_the_l126_procedure_waits_a_month_and_eight_days() -> None:
    # Commandement served Monday 4 May 2026: a month to Thursday 4 June; the PV de
    # non-contestation 8 days after, 12 June at the earliest. Unconfirmed.
    p = play(start(JudicialRoute.COMMERCIAL_UNCONTESTED), ("served", date(2026, 5, 4)))
    assert due(p, "pay_or_contest", date(2026, 5, 4)) == (date(2026, 6, 4), date(2026, 6, 4),
                                                          Status.OPEN)
    assert due(p, "non_contestation_from", date(2026, 5, 4))[0] == date(2026, 6, 12)
    assert not any(d.confirmed for d in deadlines(p, PARAMS, date(2026, 5, 4)))
    assert p.prescription_interrupted_on is None
    with pytest.raises(DomainValidationError) as early:
        play(p, ("uncontested", date(2026, 6, 11)))
    assert early.value.errors[0].code == "too_early"
    p = play(p, ("uncontested", date(2026, 6, 12)), ("enforceable", date(2026, 6, 20)))
    assert p.state is State.ENFORCEABLE


def test_a_european_order_is_enforceable_after_30_days() -> None:
    # Served Monday 2 March 2026: 30 days, to Wednesday 1 April; enforceable from 2 April
    # (the French décret 2026-96 rule does not apply to it).
    p = play(start(JudicialRoute.EUROPEAN_ORDER_FOR_PAYMENT), ("filed", date(2026, 2, 2)),
             ("order_granted", date(2026, 2, 20)), ("served", date(2026, 3, 2)))
    assert due(p, "opposition", date(2026, 3, 2)) == (date(2026, 4, 1), date(2026, 4, 1),
                                                      Status.OPEN)
    assert due(p, "enforce_from", date(2026, 3, 2))[0] == date(2026, 4, 2)
    with pytest.raises(DomainValidationError):
        play(p, ("enforceable", date(2026, 4, 1)))


def test_a_declaration_is_due_two_months_after_the_bodacc() -> None:
    # Published Friday 10 April 2026: to Wednesday 10 June (C. com. R622-24).
    p = start(JudicialRoute.DECLARATION_OF_CLAIM, bodacc=date(2026, 4, 10))
    assert due(p, "declare", date(2026, 4, 20)) == (date(2026, 6, 10), date(2026, 6, 10),
                                                    Status.OPEN)
    p = play(p, ("declared", date(2026, 5, 4)))
    assert due(p, "declare", date(2026, 5, 4))[2] is Status.MET
    assert p.prescription_interrupted_on == date(2026, 5, 4)  # L622-25-1


def test_a_hearing_is_later_than_the_day_it_is_set_and_a_judgment_names_its_amount() -> None:
    p = play(start(JudicialRoute.REFERE_PROVISION), ("summons_served", date(2026, 3, 2)))
    with pytest.raises(DomainValidationError) as past:
        play(p, ("hearing_set", date(2026, 3, 5), {"hearing_on": date(2026, 3, 4)}))
    assert past.value.errors[0].field == "hearing_on"
    p = play(p, ("hearing_set", date(2026, 3, 5), {"hearing_on": date(2026, 4, 2)}))
    with pytest.raises(DomainValidationError) as missing:
        play(p, ("judgment", date(2026, 4, 2)))
    assert missing.value.errors[0].field == "amount"
    p = play(p, ("judgment", date(2026, 4, 2), {"amount": Decimal("1200.00")}),
             ("judgment_served", date(2026, 4, 10)))
    # Appeal within 15 days of service (CPC 490, unconfirmed): Saturday 25 April, so
    # Monday 27 April; the title runs 10 years from its service.
    assert due(p, "appeal", date(2026, 4, 10)) == (date(2026, 4, 25), date(2026, 4, 27),
                                                   Status.OPEN)
    assert due(p, "title_enforceable_until", date(2026, 4, 10))[0] == date(2036, 4, 10)
