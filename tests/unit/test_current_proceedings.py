"""Which BODACC opening a debtor's claims are under (C. com. L622-7, L622-21, L622-24,
L622-28: only debts that arose before the opening are caught; L622-17 for later ones), and
how the watch reads a company's history of notices: closed proceedings are history, a
conversion keeps the first opening's dates, an opening after a plan is new proceedings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.claims.model import Invoice
from domain.debtors.proceedings import CollectiveProceedings, ProceedingsKind, arose_before
from domain.ports.company_data import NoticeKind, ProceedingsNotice
from domain.services.insolvency_watch import current_proceedings

OPENED = date(2026, 2, 20)


def _invoice(issued: date, performed: date | None = None) -> Invoice:
    return Invoice("F-1", issued, date(2026, 4, 30), Decimal("100.00"), performed_on=performed)


def test_a_debt_arose_before_the_opening_by_its_performance_else_its_issue() -> None:
    # Performed the day before: caught; performed on the opening day: after it (the
    # judgment takes effect from its day), whatever the invoice's date.
    assert arose_before(_invoice(date(2026, 3, 1), date(2026, 2, 19)), OPENED)
    assert not arose_before(_invoice(date(2026, 2, 10), OPENED), OPENED)
    # No performance day: an invoice issued on the opening day is taken as before.
    assert arose_before(_invoice(OPENED), OPENED)
    assert not arose_before(_invoice(date(2026, 2, 21)), OPENED)


def test_proceedings_concern_a_claim_with_one_debt_from_before() -> None:
    proceedings = CollectiveProceedings(ProceedingsKind.REDRESSEMENT, OPENED, "TAE Lyon")
    before, after = _invoice(date(2026, 1, 15)), _invoice(date(2026, 3, 1))
    assert proceedings.concerns([after, before])
    assert not proceedings.concerns([after])
    old = CollectiveProceedings(ProceedingsKind.REDRESSEMENT, date(2015, 3, 1), "TC Lyon")
    assert not old.concerns([before, after])


def _notice(notice_id: str, judged: date, published: date, *, kind: NoticeKind =
            NoticeKind.REDRESSEMENT, opening: bool = True, closes: bool = False,
            plan: bool = False) -> ProceedingsNotice:
    return ProceedingsNotice(notice_id, kind, opening, "TC LYON", judged, published,
                             "nature", closes=closes, plan=plan)


RJ_2015 = _notice("A2015", date(2015, 3, 1), date(2015, 3, 10))
PLAN_2016 = _notice("P2016", date(2016, 2, 1), date(2016, 2, 12), kind=NoticeKind.OTHER,
                    opening=False, plan=True)
CLOSED_2017 = _notice("C2017", date(2017, 5, 2), date(2017, 5, 12), kind=NoticeKind.OTHER,
                      opening=False, closes=True)
RJ_2025 = _notice("A2025", date(2025, 11, 3), date(2025, 11, 12))
LJ_2026 = _notice("A2026", date(2026, 2, 20), date(2026, 3, 2), kind=NoticeKind.LIQUIDATION)


def test_closed_proceedings_are_history() -> None:
    assert current_proceedings((CLOSED_2017, RJ_2015)) is None
    assert current_proceedings(()) is None
    assert current_proceedings((PLAN_2016,)) is None  # a plan alone opens nothing


def test_a_conversion_keeps_the_first_openings_dates_and_takes_the_new_kind() -> None:
    current = current_proceedings((LJ_2026, RJ_2025))  # the newest first, as the BODACC
    assert current is not None
    assert current.first == RJ_2025 and current.latest == LJ_2026
    assert current.opened_on == date(2025, 11, 3)
    assert current.notice_ids == {"A2025", "A2026"}


def test_an_opening_after_a_closure_or_a_plan_is_new_proceedings() -> None:
    after_closure = current_proceedings((RJ_2015, CLOSED_2017, LJ_2026))
    after_plan = current_proceedings((RJ_2015, PLAN_2016, LJ_2026))
    for current in (after_closure, after_plan):
        assert current is not None
        assert current.first == current.latest == LJ_2026
    # Under a plan and never closed, the old opening is still the current one: the claims
    # it concerns are those with a debt from before 2015 (CollectiveProceedings.concerns).
    under_plan = current_proceedings((RJ_2015, PLAN_2016))
    assert under_plan is not None and under_plan.first == RJ_2015
