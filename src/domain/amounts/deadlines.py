"""Time limits of a claim: prescription (when the action is time-barred) and the legal caps
on payment terms. Kept apart from the interest rules (domain.amounts.law) because every
claim read shows them, and they need no rate table. Sources: SOURCES.md beside this file.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from domain.claims.model import Invoice
from domain.debtors.model import DebtorKind
from domain.shared.dates import add_days, add_months

# C. com. L110-4 [3]: 5 years between merchants / for obligations born of commerce.
PRESCRIPTION_YEARS_B2B = 5

# C. conso. L218-2 [3]: 2 years for a professional's action against a consumer.
PRESCRIPTION_YEARS_B2C = 2

PRESCRIPTION_WARNING_DAYS = 90

# C. com. L441-10 I [1.1]: payment term caps.
TERM_CAP_DAYS = 60  # days after the invoice date

TERM_CAP_END_OF_MONTH_DAYS = 45  # "45 jours fin de mois", only if expressly stipulated


@dataclass(frozen=True, slots=True)

class Flag:
    """Something a human should know about a statement or invoice (never a refusal)."""

    code: str
    message: str
    subject: str | None = None  # the invoice number or half-year it is about


def add_years(day: date, years: int) -> date:
    """Same date `years` later; 29 Feb becomes 28 Feb in a common year."""
    return add_months(day, 12 * years)


def end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def prescription_years(debtor_kind: DebtorKind) -> int:
    """C. com. L110-4: 5 years B2B; C. conso. L218-2: 2 years professional vs consumer."""
    return PRESCRIPTION_YEARS_B2B if debtor_kind is DebtorKind.BUSINESS else PRESCRIPTION_YEARS_B2C


def prescription_start(invoice: Invoice) -> date:
    """The day prescription starts running for an invoice [3].

    The period runs from the day the creditor knew the facts that let it act (C. civ.
    2224, which also sets the start of C. com. L110-4 and C. conso. L218-2): the completion
    of the service or the delivery, whatever the invoice date (Cass. com. 26 Feb 2020
    n° 18-25.036 between professionals; Cass. 3e civ. 1 Mar 2023 n° 21-23.176 and 1re civ.
    19 May 2021 n° 20-12.520 against a consumer). Without a performance date, the due date:
    a debt with a term does not prescribe before the term arrives (C. civ. 2233).

    A performance date before the due date (the usual case: work done, then a payment term)
    starts it earlier, which is also the conservative warning. One after the due date (an
    invoice issued, or even due, before the work) still starts it: the creditor could not
    know it had earned the price before it had performed."""
    return invoice.due_date if invoice.performed_on is None else invoice.performed_on


def limitation_date(start: date, debtor_kind: DebtorKind,
                    acknowledged: Iterable[date] = ()) -> date:
    """The last day to act: the period runs from `start` (`prescription_start`), that day
    itself not counted, and ends on the same date N years later (C. civ. 2229: acquired
    once the last day is over).

    Each acknowledgement by the debtor (a partial payment, a promise, a request for time,
    an agreed payment plan: C. civ. 2240; Cass. 2e civ. 16 Nov 2006 n° 05-18.287, 1re civ.
    11 Mar 2020 n° 19-11.309, 2e civ. 9 Jan 2014 n° 12-28.272) interrupts it and starts a
    new period of the same length (2231); a payment covers the whole debt (2e civ. 3 Jul
    2014 n° 13-17.449). A mise en demeure does not interrupt (Cass. com. 13 Oct 1992
    n° 91-10.066). One made after expiry revives nothing (see `late_acknowledgements`)."""
    years = prescription_years(debtor_kind)
    limit = add_years(start, years)
    for day in sorted(acknowledged):
        if day > limit:
            break  # acquired: later acknowledgements do not revive it
        limit = max(limit, add_years(day, years))
    return limit


def late_acknowledgements(limitation: date, acknowledged: Iterable[date]) -> list[date]:
    """Acknowledgements made once the debt was time-barred, `limitation` being the date
    `limitation_date` found with them: they revive nothing, but a payment then may be a
    renunciation to prescription (C. civ. 2250-2251; Cass. com. 7 Jul 2009 n° 08-13.499),
    which a person must judge."""
    return [day for day in sorted(acknowledged) if day > limitation]


def prescription_warning(
    limitation: date, today: date, window_days: int = PRESCRIPTION_WARNING_DAYS
) -> bool:
    """True when the limitation date is today or within the next `window_days` days."""
    return 0 <= (limitation - today).days <= window_days


def is_prescribed(limitation: date, today: date) -> bool:
    return today > limitation


@dataclass(frozen=True, slots=True)

class TermLimits:
    cap_60_days: date  # invoice date + 60 days
    end_of_month_a: date  # end of the invoice month + 45 days (2008 LME Senate report)
    end_of_month_b: date  # invoice date + 45 days, then end of that month


def term_limits(issue_date: date) -> TermLimits:
    """C. com. L441-10 I [1.1]: the latest due dates an agreed term may reach."""
    return TermLimits(
        cap_60_days=add_days(issue_date, TERM_CAP_DAYS),
        end_of_month_a=add_days(end_of_month(issue_date), TERM_CAP_END_OF_MONTH_DAYS),
        end_of_month_b=end_of_month(add_days(issue_date, TERM_CAP_END_OF_MONTH_DAYS)),
    )


def payment_term_flags(invoice: Invoice, debtor_kind: DebtorKind) -> list[Flag]:
    """Flag (never refuse) an invoice whose payment term exceeds the L441-10 I caps:
    60 days after the invoice date, or 45 days end of month if expressly stipulated.
    The caps bind professionals only; consumer invoices get no term flag.

    Codes: `due_before_issue`; `term_needs_end_of_month_clause` (over 60 days, within 45
    days end of month: lawful only if expressly stipulated and not a manifest abuse);
    `term_depends_on_end_of_month_reading` (within one reading of "45 jours fin de mois"
    only); `term_exceeds_legal_cap` (beyond every reading).
    """
    n = invoice.number
    if invoice.due_date < invoice.issue_date:
        return [Flag("due_before_issue", "the due date is before the invoice date", n)]
    if debtor_kind is not DebtorKind.BUSINESS:
        return []
    limits = term_limits(invoice.issue_date)
    due = invoice.due_date
    if due <= limits.cap_60_days:
        return []
    low = min(limits.end_of_month_a, limits.end_of_month_b)
    high = max(limits.end_of_month_a, limits.end_of_month_b)
    days = (due - invoice.issue_date).days
    if due <= high:
        flags = [Flag(
            "term_needs_end_of_month_clause",
            f"term of {days} days exceeds 60 days after the invoice date "
            f"({limits.cap_60_days.isoformat()}); lawful only if 45 days end of month was "
            "expressly agreed (C. com. L441-10 I)",
            n,
        )]
        if due > low:
            flags.append(Flag(
                "term_depends_on_end_of_month_reading",
                f"the due date is within 45 days end of month on one reading only (end of "
                f"month + 45 days: {limits.end_of_month_a.isoformat()}; + 45 days then end "
                f"of month: {limits.end_of_month_b.isoformat()})",
                n,
            ))
        return flags
    return [Flag(
        "term_exceeds_legal_cap",
        f"term of {days} days exceeds the C. com. L441-10 I caps (60 days: "
        f"{limits.cap_60_days.isoformat()}; 45 days end of month: {high.isoformat()} at "
        "the latest)",
        n,
    )]
