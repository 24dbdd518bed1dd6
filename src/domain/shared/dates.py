"""Dates the API accepts, and date arithmetic that cannot overflow.

Python's `date` ends on 9999-12-31: a due date in 9998 plus a five-year limitation period
raises OverflowError/ValueError. That once answered 500 *after* a claim was stored, and then
broke every list of the creditor's claims. So dates are bounded where they enter (a window
of a century either side of today, far wider than any invoice, payment or plan), and the
arithmetic of legal time limits saturates at the ends of the calendar instead of raising,
so an item stored before the bound still renders.
"""

from __future__ import annotations

import calendar
from datetime import date

from domain.shared.errors import FieldError

# A century either side of today: an invoice issued under the Ancien Régime or due in the
# 22nd century is a typo, not a claim.
WINDOW_YEARS = 100


def add_months(day: date, months: int) -> date:
    """Same day number `months` later, clamped to the month's last day (31 Jan + 1 month
    = 28/29 Feb), as délais in months are computed (CPC 641); saturates at date.min and
    date.max rather than raising."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_days(day: date, days: int) -> date:
    """`day + days`, saturating at the ends of the calendar."""
    ordinal = day.toordinal() + days
    return date.fromordinal(min(max(ordinal, date.min.toordinal()), date.max.toordinal()))


def window(today: date) -> tuple[date, date]:
    """The first and last dates accepted as input, `today` give or take a century."""
    return add_months(today, -12 * WINDOW_YEARS), add_months(today, 12 * WINDOW_YEARS)


def not_past(day: date | None, today: date, path: str,
             message: str = "cannot be in the future") -> FieldError | None:
    """A field error when `day` (something that already happened: a notice sent, a
    judgment, a plan agreed) is outside the window or after `today`, else None."""
    if (error := outside_window(day, today, path)) is not None:
        return error
    if day is not None and day > today:
        return FieldError(path, message, "in_future")
    return None


def outside_window(day: date | None, today: date, path: str) -> FieldError | None:
    """A field error when `day` is outside the accepted window, else None."""
    if day is None:
        return None
    first, last = window(today)
    if first <= day <= last:
        return None
    return FieldError(path, f"must be between {first} and {last} (a century either side "
                      "of today)", "date_out_of_range")
