"""domain.judicial.statement: who bears each cost of a proceeding, and the interest a
judgment made run, on plain values (no storage)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.amounts.account import Judgment
from domain.amounts.ledger import Statement, Totals
from domain.claims.judicial import JudicialRoute
from domain.judicial.proceedings import Cost, CostKind
from domain.judicial.statement import Bearer, cost_line, judicial_statement

D = Decimal


def _cost(kind: CostKind, recoverable: bool, on: date = date(2026, 3, 1)) -> Cost:
    return Cost(kind, D("10.00"), D("2.00"), on, recoverable)


def _statement(at: date, interest: str) -> Statement:
    z = D(0)
    totals = Totals(principal=D("100"), principal_paid=z, principal_outstanding=D("100"),
                    interest=D(interest), interest_paid=z, interest_outstanding=D(interest),
                    indemnity=z, indemnity_paid=z, indemnity_outstanding=z, paid=z,
                    due=D("100") + D(interest), not_yet_due=z)
    return Statement(at=at, currency="EUR", invoices=(), payments=(), ignored_payments=(),
                     totals=totals, credit=z)


@pytest.mark.parametrize(("kind", "recoverable", "bearer", "cites"), [
    (CostKind.GREFFE, True, Bearer.DEBTOR_IF_ORDERED, "CPC 695"),
    (CostKind.COMMISSAIRE, True, Bearer.DEBTOR_IF_ORDERED, "L111-8 al. 1"),
    (CostKind.AGENCY_COMMISSION, False, Bearer.CREDITOR, "L111-8 al. 2"),
    (CostKind.LAWYER, False, Bearer.CREDITOR, "CPC 700"),
])
def test_each_kind_falls_where_its_rule_puts_it(kind: CostKind, recoverable: bool,
                                                bearer: Bearer, cites: str) -> None:
    line = cost_line(_cost(kind, recoverable), JudicialRoute.INJONCTION_DE_PAYER)
    assert line.bearer is bearer and cites in line.basis
    assert not line.basis.startswith("recorded by the creditor")


def test_a_creditors_choice_against_the_default_says_so() -> None:
    line = cost_line(_cost(CostKind.GREFFE, False), JudicialRoute.REFERE_PROVISION)
    assert line.bearer is Bearer.CREDITOR
    assert line.basis.startswith("recorded by the creditor as his (by default: CPC 695")


def test_nothing_judicial_has_no_section() -> None:
    assert judicial_statement(_statement(date(2026, 4, 1), "3.00"), judgment=None,
                              interest_before_judgment=None, proceeding=None,
                              majoration_from=None) is None


def test_a_statement_before_the_judgment_has_no_interest_since() -> None:
    judgment = Judgment(date(2026, 5, 1), "TJ Lyon", D("100"))
    section = judicial_statement(_statement(date(2026, 4, 1), "3.00"), judgment=judgment,
                                 interest_before_judgment=None, proceeding=None,
                                 majoration_from=None)
    assert section is not None and section.judgment is not None
    assert section.judgment.interest_since == 0
    after = judicial_statement(_statement(date(2026, 6, 1), "5.50"), judgment=judgment,
                               interest_before_judgment=D("3.25"), proceeding=None,
                               majoration_from=None)
    assert after is not None and after.judgment is not None
    assert after.judgment.interest_since == D("2.25")
