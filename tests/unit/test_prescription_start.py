"""When prescription starts for an invoice: the day the creditor knew the facts that let it
act (C. civ. 2224), the performance of the service or the delivery when given (Cass. com.
26 Feb 2020 n° 18-25.036; Cass. 3e civ. 1 Mar 2023 n° 21-23.176), the due date otherwise
(C. civ. 2233). The statement's limitation date, warning and `prescribed` flag follow it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from domain.amounts import deadlines
from domain.amounts.law import InterestTerms
from domain.amounts.ledger import Payment, compute_statement
from domain.claims.model import Invoice
from domain.debtors.model import DebtorKind

B2B, B2C = DebtorKind.BUSINESS, DebtorKind.CONSUMER


def invoice(due: date, performed_on: date | None = None) -> Invoice:
    return Invoice("F-1", date(due.year, due.month, 1), due, D("1000.00"), performed_on)


def test_without_a_performance_date_prescription_starts_at_the_due_date() -> None:
    """C. civ. 2233 3°: a debt with a term does not prescribe before the term arrives."""
    inv = invoice(date(2024, 3, 31))
    assert deadlines.prescription_start(inv) == date(2024, 3, 31)
    assert deadlines.limitation_date(deadlines.prescription_start(inv), B2B) == date(2029, 3, 31)


def test_work_completed_before_the_due_date_starts_it_earlier() -> None:
    """Cass. com. 26 Feb 2020 n° 18-25.036 (C. com. L110-4, five years): the period runs
    from the completion of the service, whatever the date of the invoice."""
    inv = invoice(date(2024, 3, 31), performed_on=date(2024, 1, 20))
    assert deadlines.prescription_start(inv) == date(2024, 1, 20)
    assert deadlines.limitation_date(deadlines.prescription_start(inv), B2B) == date(2029, 1, 20)


def test_work_completed_after_the_due_date_still_starts_it() -> None:
    """Cass. 3e civ. 1 Mar 2023 n° 21-23.176 (C. conso. L218-2, two years): knowledge of the
    facts is the completion of the works; an invoice due before the work (a deposit
    invoiced ahead) does not make the creditor know earlier, so the later day starts it
    even though the earlier one would be the more cautious warning."""
    inv = invoice(date(2024, 3, 31), performed_on=date(2024, 6, 10))
    assert deadlines.prescription_start(inv) == date(2024, 6, 10)
    assert deadlines.limitation_date(deadlines.prescription_start(inv), B2C) == date(2026, 6, 10)


def test_an_acknowledgement_counts_from_the_performance_date_too() -> None:
    """C. civ. 2240, 2231: the acknowledgement must fall before the period that started at
    the performance date is over; the same day, after the due date's period, would not."""
    start = deadlines.prescription_start(invoice(date(2024, 3, 31), date(2024, 1, 20)))
    assert deadlines.limitation_date(start, B2C, [date(2026, 2, 1)]) == date(2026, 1, 20)
    assert deadlines.late_acknowledgements(
        deadlines.limitation_date(start, B2C, [date(2026, 2, 1)]),
        [date(2026, 2, 1)]) == [date(2026, 2, 1)]
    # Without the performance date, the same acknowledgement is in time.
    assert deadlines.limitation_date(date(2024, 3, 31), B2C, [date(2026, 2, 1)]) == date(
        2028, 2, 1)


def test_the_statement_follows_the_performance_date() -> None:
    """C. conso. L218-2 and Cass. 3e civ. 1 Mar 2023 n° 21-23.176: a consumer invoice due
    31 Mar 2024 for works completed on 20 Jan 2024 is time-barred after 20 Jan 2026; a
    partial payment on 1 Feb 2026 is then an acknowledgement after expiry (C. civ. 2250)."""
    terms = InterestTerms(B2C)
    earlier = invoice(date(2024, 3, 31), performed_on=date(2024, 1, 20))
    s = compute_statement(invoices=[earlier], currency="EUR", terms=terms, payments=[],
                          at=date(2026, 1, 10))
    st = s.invoices[0]
    assert (st.limitation_date, st.prescription_warning, st.prescribed) == (
        date(2026, 1, 20), True, False)
    late = compute_statement(invoices=[earlier], currency="EUR", terms=terms,
                             payments=[Payment("p1", D("10.00"), date(2026, 2, 1))],
                             at=date(2026, 2, 1), acknowledged=[date(2026, 2, 1)])
    st = late.invoices[0]
    assert (st.limitation_date, st.prescribed) == (date(2026, 1, 20), True)
    assert {f.code for f in late.flags} >= {"acknowledged_after_prescription", "prescribed"}
    # The same invoice without its performance date: in time, nothing flagged.
    due_only = compute_statement(invoices=[invoice(date(2024, 3, 31))], currency="EUR",
                                 terms=terms, payments=[], at=date(2026, 1, 10))
    st = due_only.invoices[0]
    assert (st.limitation_date, st.prescription_warning, st.prescribed) == (
        date(2026, 3, 31), True, False)


def test_a_later_performance_date_moves_the_statement_later() -> None:
    """Cass. com. 26 Feb 2020 n° 18-25.036: the day the service was completed starts the
    five years (C. com. L110-4), even after a due date already past."""
    later = invoice(date(2021, 3, 31), performed_on=date(2021, 9, 1))
    s = compute_statement(invoices=[later], currency="EUR", terms=InterestTerms(B2B),
                          payments=[], at=date(2026, 4, 1))
    st = s.invoices[0]
    assert (st.limitation_date, st.prescription_warning, st.prescribed) == (
        date(2026, 9, 1), False, False)
    due_only = compute_statement(invoices=[invoice(date(2021, 3, 31))], currency="EUR",
                                 terms=InterestTerms(B2B), payments=[], at=date(2026, 4, 1))
    assert due_only.invoices[0].prescribed
