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
    Cost,
    CostKind,
    Court,
    EventInput,
    EventType,
    Filer,
    Proceeding,
    Residence,
    State,
    Status,
    apply_event,
    court_of,
    deadlines,
    proceeding_events,
    residence_of,
)
from domain.shared.errors import ActionNotAllowed, DomainValidationError

AT = datetime(2027, 6, 1, 8, 0, tzinfo=UTC)
PARAMS = judicial_parameters()


def start(route: JudicialRoute, *, amount: str = "2400.00", abroad: bool = False,
          bodacc: date | None = None, lives: Residence | None = None,
          court: Court | None = None) -> Proceeding:
    residence = lives or (Residence.ABROAD if abroad else Residence.METROPOLITAN)
    return Proceeding(id="prc_1", creditor_id="cred", claim_id="clm", route=route,
                      state=State.DRAFT, filer=Filer.CREDITOR, court=court, started_at=AT,
                      amount_claimed=Decimal(amount), currency="EUR",
                      debtor_residence=residence, bodacc_published_on=bodacc)


def play(p: Proceeding, *steps: tuple[str, date, dict[str, object]] | tuple[str, date],
         today: date = date(2027, 6, 1)) -> Proceeding:
    for step in steps:
        kind, day = step[0], step[1]
        extra = step[2] if len(step) == 3 else {}  # type: ignore[misc]
        if kind == "order_granted" and "amount" not in extra:
            extra = {**extra, "amount": p.amount_claimed}  # the order grants what was asked
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
    # No lawyer needed, no extinction for want of one: below the threshold, or before the
    # juge des contentieux de la protection at any amount (CPC 761 1°).
    jcp = play(start(JudicialRoute.INJONCTION_DE_PAYER, amount="12000.00",
                     court=Court("Tribunal judiciaire de Lyon, JCP", "JCP")), *steps)
    assert "instruct_lawyer" not in {d.what for d in deadlines(jcp, PARAMS, date(2026, 10, 20))}
    for p in (small, jcp):
        assert "lapsed" not in proceeding_events(p, PARAMS)
        with pytest.raises(ActionNotAllowed):
            play(p, ("lapsed", date(2026, 12, 1)))


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
    p = play(start(JudicialRoute.REFERE_PROVISION, amount="6000.00"),
             ("summons_served", date(2026, 3, 2)))
    with pytest.raises(DomainValidationError) as past:
        play(p, ("hearing_set", date(2026, 3, 5), {"hearing_on": date(2026, 3, 4)}))
    assert past.value.errors[0].field == "hearing_on"
    p = play(p, ("hearing_set", date(2026, 3, 5), {"hearing_on": date(2026, 4, 2)}))
    with pytest.raises(DomainValidationError) as missing:
        play(p, ("judgment", date(2026, 4, 2)))
    assert missing.value.errors[0].field == "amount"
    p = play(p, ("judgment", date(2026, 4, 2), {"amount": Decimal("6000.00")}),
             ("judgment_served", date(2026, 4, 10)))
    # Appeal within 15 days of service (CPC 490, unconfirmed): Saturday 25 April, so
    # Monday 27 April; the title runs 10 years from its service.
    assert due(p, "appeal", date(2026, 4, 10)) == (date(2026, 4, 25), date(2026, 4, 27),
                                                   Status.OPEN)
    assert due(p, "title_enforceable_until", date(2026, 4, 10))[0] == date(2036, 4, 10)


@pytest.mark.parametrize(("country", "postal_code", "expected"), [
    ("FR", "69002", Residence.METROPOLITAN), ("FR", "57000", Residence.METROPOLITAN),
    ("FR", "97400", Residence.OVERSEAS), ("FR", "97133", Residence.OVERSEAS),
    ("FR", "98800", Residence.OVERSEAS), ("RE", None, Residence.OVERSEAS),
    ("BE", "1000", Residence.ABROAD), ("DE", None, Residence.ABROAD)])
def test_where_the_debtor_lives_from_the_address(country: str, postal_code: str | None,
                                                 expected: Residence) -> None:
    assert residence_of(country, postal_code) is expected


IP_SERVED = (("filed", date(2026, 9, 1)), ("order_granted", date(2026, 9, 15)),
             ("served", date(2026, 10, 1)))


def test_a_debtor_overseas_has_no_more_time_before_the_court_where_they_live() -> None:
    # An injonction de payer goes to the debtor's court (CPC 1406): a debtor in La Réunion
    # before the court of Saint-Denis is in its collectivity, no extension (CPC 644).
    # Served Thursday 1 October 2026: to Sunday 1 November (All Saints), so Monday 2.
    p = play(start(JudicialRoute.INJONCTION_DE_PAYER, lives=Residence.OVERSEAS), *IP_SERVED)
    assert due(p, "opposition", date(2026, 10, 1)) == (date(2026, 11, 1), date(2026, 11, 2),
                                                        Status.OPEN)
    # Before a court recorded as sitting in metropolitan France: one more month (CPC 643
    # 1°), to Tuesday 1 December; unconfirmed.
    before_paris = play(start(JudicialRoute.INJONCTION_DE_PAYER, lives=Residence.OVERSEAS,
                              court=Court("TC de Paris", "TC", Residence.METROPOLITAN)),
                        *IP_SERVED)
    found = next(d for d in deadlines(before_paris, PARAMS, date(2026, 10, 1))
                 if d.what == "opposition")
    assert (found.due, found.last_day, found.confirmed) == (date(2026, 12, 1),
                                                            date(2026, 12, 1), False)
    assert "CPC 643" in found.source
    # The title may be enforced from the day after: 2 December, the 2 months without a
    # greffe notice (décret 2026-96) ending the same day.
    assert due(before_paris, "enforce_from", date(2026, 10, 1))[0] == date(2026, 12, 2)


def test_months_added_together_before_the_month_end_is_clamped() -> None:
    # Served Saturday 31 October 2026 on a debtor abroad: 1 + 2 months is 31 January 2027
    # (CPC 641), a Sunday, so Monday 1 February (CPC 642); chaining through November
    # would have given 30 January.
    p = play(start(JudicialRoute.INJONCTION_DE_PAYER, abroad=True),
             ("filed", date(2026, 9, 1)), ("order_granted", date(2026, 9, 15)),
             ("served", date(2026, 10, 31)))
    assert due(p, "opposition", date(2026, 10, 31)) == (date(2027, 1, 31), date(2027, 2, 1),
                                                         Status.OPEN)


def _judged(p: Proceeding, served_on: date) -> Proceeding:
    return play(p, ("summons_served", date(2026, 9, 1)),
                ("hearing_set", date(2026, 9, 2), {"hearing_on": date(2026, 11, 2)}),
                ("summons_placed", date(2026, 10, 1)),
                ("judgment", date(2026, 11, 20), {"amount": Decimal("6000.00")}),
                ("judgment_served", served_on))


def test_an_appeal_runs_a_month_from_service_extended_for_distance() -> None:
    # Served Monday 30 November 2026: a month (CPC 538), to Wednesday 30 December.
    home = _judged(start(JudicialRoute.ASSIGNATION_AU_FOND, amount="6000.00"),
                   date(2026, 11, 30))
    assert due(home, "appeal", date(2026, 12, 1)) == (date(2026, 12, 30), date(2026, 12, 30),
                                                      Status.OPEN)
    assert due(home, "appeal", date(2026, 12, 31))[2] is Status.MISSED
    # A debtor overseas before a court in Lyon, or in Lyon before a court overseas: a month
    # more (CPC 643 1°, 644), to Saturday 30 January 2027, so Monday 1 February.
    for lives, seat in ((Residence.OVERSEAS, Residence.METROPOLITAN),
                        (Residence.METROPOLITAN, Residence.OVERSEAS)):
        far = _judged(start(JudicialRoute.ASSIGNATION_AU_FOND, amount="6000.00", lives=lives,
                            court=Court("TJ", "TJ", seat)), date(2026, 11, 30))
        assert due(far, "appeal", date(2026, 12, 1)) == (date(2027, 1, 30), date(2027, 2, 1),
                                                         Status.OPEN)
    # Up to 5,000 EUR the judgment is in last resort: no appeal to watch.
    small = _judged(start(JudicialRoute.ASSIGNATION_AU_FOND, amount="5000.00"),
                    date(2026, 11, 30))
    assert "appeal" not in {d.what for d in deadlines(small, PARAMS, date(2026, 12, 1))}


def test_the_assignation_is_placed_before_the_hearing_or_lapses() -> None:
    # Hearing Monday 15 March 2027. Before a TC, 8 days before: Sunday 7 March, moved back
    # to Friday 5 March; before a TJ (or an unknown court), 15 days: Sunday 28 February,
    # so Friday 26 February. Counted back, a weekend moves the limit earlier.
    steps = (("summons_served", date(2027, 2, 1)),
             ("hearing_set", date(2027, 2, 2), {"hearing_on": date(2027, 3, 15)}))
    tc = play(start(JudicialRoute.ASSIGNATION_AU_FOND, court=Court("TC de Lyon", "TC")),
              *steps, today=date(2027, 2, 2))
    assert due(tc, "place_summons", date(2027, 2, 2)) == (date(2027, 3, 7), date(2027, 3, 5),
                                                          Status.OPEN)
    tj = play(start(JudicialRoute.ASSIGNATION_AU_FOND), *steps, today=date(2027, 2, 2))
    assert due(tj, "place_summons", date(2027, 2, 2)) == (date(2027, 2, 28),
                                                          date(2027, 2, 26), Status.OPEN)
    with pytest.raises(DomainValidationError) as early:
        play(tj, ("lapsed", date(2027, 2, 26)), today=date(2027, 2, 26))
    assert early.value.errors[0].code == "too_early"
    lapsed = play(tj, ("lapsed", date(2027, 3, 1)), today=date(2027, 3, 1))
    assert (lapsed.state, lapsed.prescription_interrupted_on) == (State.LAPSED, None)
    placed = play(tj, ("summons_placed", date(2027, 2, 20)), today=date(2027, 2, 20))
    assert due(placed, "place_summons", date(2027, 3, 1))[2] is Status.MET
    with pytest.raises(DomainValidationError):
        play(placed, ("lapsed", date(2027, 3, 1)), today=date(2027, 3, 1))


def test_an_order_lapses_only_once_its_service_deadline_passed() -> None:
    # Order of 15 September 2026: 3 months, to Tuesday 15 December.
    p = play(start(JudicialRoute.INJONCTION_DE_PAYER), ("filed", date(2026, 9, 1)),
             ("order_granted", date(2026, 9, 15)))
    with pytest.raises(DomainValidationError) as early:
        play(p, ("lapsed", date(2026, 12, 15)))
    assert early.value.errors[0].code == "too_early"
    assert play(p, ("lapsed", date(2026, 12, 16))).state is State.LAPSED


def test_the_pv_de_non_contestation_counts_from_the_month_as_extended() -> None:
    # Commandement served Thursday 30 April 2026: the month ends Saturday 30 May, so Monday
    # 1 June (CPC 642); the PV 8 days after that, from Tuesday 9 June (unconfirmed).
    p = play(start(JudicialRoute.COMMERCIAL_UNCONTESTED), ("served", date(2026, 4, 30)))
    assert due(p, "pay_or_contest", date(2026, 5, 1)) == (date(2026, 5, 30), date(2026, 6, 1),
                                                          Status.OPEN)
    assert due(p, "non_contestation_from", date(2026, 5, 1))[0] == date(2026, 6, 9)
    with pytest.raises(DomainValidationError):
        play(p, ("uncontested", date(2026, 6, 8)))


def test_a_dismissal_closed_leaves_the_interruption_void() -> None:
    p = play(start(JudicialRoute.ASSIGNATION_AU_FOND), ("summons_served", date(2026, 9, 1)),
             ("hearing_set", date(2026, 9, 2), {"hearing_on": date(2026, 11, 2)}),
             ("rejected", date(2026, 11, 2)))
    assert p.prescription_interrupted_on == date(2026, 9, 1)  # until it ends (C. civ. 2242)
    closed = play(p, ("closed", date(2026, 12, 15)))
    assert closed.prescription_interrupted_on is None  # C. civ. 2243


def test_an_event_names_the_court_and_a_lawyer_taking_the_case_meets_the_deadline() -> None:
    court = Court("Tribunal de commerce de Lyon", "TC")
    p = play(start(JudicialRoute.INJONCTION_DE_PAYER, amount="12000.00"),
             ("filed", date(2026, 9, 1), {"court": court}),
             ("order_granted", date(2026, 9, 15)), ("served", date(2026, 10, 1)),
             ("opposed", date(2026, 10, 20)),
             ("cost", date(2026, 10, 30), {"filer": Filer.LAWYER, "cost": Cost(
                 CostKind.LAWYER, Decimal("500.00"), Decimal("100.00"), date(2026, 10, 30),
                 recoverable=False)}))
    assert (p.court, p.filer, p.events[0].details["court"]) == (
        court, Filer.LAWYER, "Tribunal de commerce de Lyon")
    # The lawyer named on 30 October, within the 15 days to 4 November (CPC 1418).
    assert due(p, "instruct_lawyer", date(2026, 11, 10))[2] is Status.MET


def _opposition_before(court: Court | None) -> tuple[date, date, Status]:
    # Served Friday 26 February 2027: a month, to Friday 26 March 2027, Good Friday.
    p = play(start(JudicialRoute.INJONCTION_DE_PAYER, court=court),
             ("filed", date(2027, 2, 1)), ("order_granted", date(2027, 2, 10)),
             ("served", date(2027, 2, 26)))
    return due(p, "opposition", date(2027, 3, 1))


def test_a_court_in_alsace_moselle_keeps_good_friday_as_a_holiday() -> None:
    # Good Friday is a working day in Lyon: the limit stays on the 26th.
    assert _opposition_before(court_of("Tribunal judiciaire de Lyon", "TJ",
                                       postal_code="69003")) == (
        date(2027, 3, 26), date(2027, 3, 26), Status.OPEN)
    # In Strasbourg it is a public holiday (local law): then the weekend and Easter
    # Monday, to Tuesday 30 March. A TJ with a commercial chamber sits there too.
    for court in (court_of("Tribunal judiciaire de Strasbourg", "TJ", postal_code="67000"),
                  Court("Tribunal judiciaire de Metz, chambre commerciale", "TJ_CH_COM")):
        assert _opposition_before(court) == (date(2027, 3, 26), date(2027, 3, 30),
                                             Status.OPEN)
    assert _opposition_before(None)[1] == date(2027, 3, 26)  # unknown: the national list


def test_a_court_overseas_keeps_its_abolition_day() -> None:
    # La Réunion's abolition day is 20 December: served Wednesday 20 November 2024, the
    # month ends on Friday 20 December, a holiday before the court in Saint-Denis: then
    # the weekend, to Monday 23rd. The debtor lives there: no distance extension.
    p = play(start(JudicialRoute.INJONCTION_DE_PAYER, lives=Residence.OVERSEAS,
                   court=court_of("Tribunal judiciaire de Saint-Denis", "TJ",
                                  postal_code="97400")),
             ("filed", date(2024, 10, 1)), ("order_granted", date(2024, 10, 10)),
             ("served", date(2024, 11, 20)))
    assert due(p, "opposition", date(2024, 11, 21)) == (date(2024, 12, 20),
                                                         date(2024, 12, 23), Status.OPEN)


def test_a_court_s_postal_code_tells_its_seat_and_never_contradicts_it() -> None:
    assert court_of("TJ de Saint-Denis", "TJ", postal_code="97400").seat is Residence.OVERSEAS
    assert court_of("TJ de Lyon", "TJ", postal_code="69 003") == Court(
        "TJ de Lyon", "TJ", Residence.METROPOLITAN, "69003")
    for args, path in (((Residence.OVERSEAS, "69003"), "court.seat"),
                       ((None, "6900"), "court.postal_code")):
        with pytest.raises(DomainValidationError) as wrong:
            court_of("TJ", "TJ", *args)
        assert wrong.value.errors[0].field == path
    with pytest.raises(DomainValidationError):
        court_of("Landgericht Köln", "FOREIGN", postal_code="50667")
