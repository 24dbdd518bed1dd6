"""The declaration deadline of collective proceedings (C. com. R622-24 al. 1) read from its
dated rows for the publication day, and those rows kept in one place for every context
that reads them. Dates worked out by hand (months to the same date, CPC 641)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.debtors.proceedings import (
    CollectiveProceedings,
    ProceedingsKind,
    declaration_deadline,
    insolvency_parameters,
)
from domain.judicial.parameters import judicial_parameters
from domain.shared.parameters import ParameterTable, UnknownParameter


def _row(name: str, value: int, start: str, end: str | None = None) -> dict[str, object]:
    return {"name": name, "value": value, "unit": "months", "effective_from": start,
            "effective_to": end, "source": "test"}


def test_the_shipped_rows_give_two_months_and_two_more_abroad() -> None:
    # Published 2 March 2026: 2 May 2026; abroad, 2 + 2 months: 2 July 2026.
    assert declaration_deadline(date(2026, 3, 2)) == date(2026, 5, 2)
    assert declaration_deadline(date(2026, 3, 2), creditor_abroad=True) == date(2026, 7, 2)
    # 31 December + 2 months: 28 February (no 31 February; 2027 is not a leap year).
    assert declaration_deadline(date(2026, 12, 31)) == date(2027, 2, 28)


def test_the_proceedings_deadline_is_the_rows_and_none_before_publication() -> None:
    opened = CollectiveProceedings(ProceedingsKind.REDRESSEMENT, date(2026, 3, 1), "TAE Lyon")
    assert opened.declaration_deadline() is None
    published = CollectiveProceedings(ProceedingsKind.REDRESSEMENT, date(2026, 3, 1),
                                      "TAE Lyon", bodacc_published_on=date(2026, 3, 9))
    assert published.declaration_deadline() == date(2026, 5, 9)
    assert published.declaration_deadline(creditor_abroad=True) == date(2026, 7, 9)


def test_the_months_are_those_in_force_on_the_publication_day() -> None:
    # A décret giving three months for publications from 1 January 2027 (invented).
    table = ParameterTable.from_rows([
        _row("insolvency.declaration_months", 2, "2006-01-01", "2026-12-31"),
        _row("insolvency.declaration_months", 3, "2027-01-01"),
        _row("insolvency.declaration_extra_months_abroad", 2, "2006-01-01")])
    assert declaration_deadline(date(2026, 12, 31), parameters=table) == date(2027, 2, 28)
    assert declaration_deadline(date(2027, 1, 1), parameters=table) == date(2027, 4, 1)
    assert declaration_deadline(date(2027, 1, 1), creditor_abroad=True,
                                parameters=table) == date(2027, 6, 1)


def test_a_publication_no_row_covers_is_refused_not_guessed() -> None:
    # The rows start with décret 2005-1677, in force 1 January 2006.
    with pytest.raises(UnknownParameter, match="in force on 2005-12-31"):
        declaration_deadline(date(2005, 12, 31))


def test_the_judicial_phase_reads_the_same_rows_not_a_copy() -> None:
    judicial, debtors = judicial_parameters(), insolvency_parameters()
    for name in ("insolvency.declaration_months",
                 "insolvency.declaration_extra_months_abroad"):
        assert judicial.history(name) == debtors.history(name)
        assert "R622-24" in judicial.at(name, date(2026, 3, 2)).source
    # No other row of the phase carries R622-24's declaration period: one row, one place.
    others = [p.name for values in judicial.by_name.values() for p in values
              if "R622-24 al. 1" in p.source and not p.name.startswith("insolvency.")]
    assert others == []
