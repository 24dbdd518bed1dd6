"""How the operator's published rows combine with the shipped rate tables."""

from __future__ import annotations

import copy

import pytest

from domain.amounts.rate_publication import in_force, publish, shipped_document
from domain.amounts.rates import HalfYear, RateTables

S2 = {"half_year": "2026-S2", "particulier": "6.50", "autres_cas": "2.50",
      "source": "test data, not a real arrêté"}


def test_only_the_operators_rows_are_kept_for_storage() -> None:
    rows, document = publish(shipped_document(), None, [S2], [], "2026-07-01")
    assert rows["legal_rate"]["half_years"] == [S2]
    assert rows["ecb_main_refinancing_rate"] == {"changes": [], "known_through": "2026-07-01"}
    assert document["legal_rate"]["half_years"][-1] == S2
    assert len(document["legal_rate"]["half_years"]) > 1  # the shipped rows are in force


def test_a_second_publication_keeps_the_first_and_replaces_the_same_half_year() -> None:
    first, _ = publish(shipped_document(), None, [S2], [], None)
    corrected = {**S2, "autres_cas": "2.55", "source": "erratum"}
    rows, document = publish(shipped_document(), first, [corrected], [], None)
    assert rows["legal_rate"]["half_years"] == [corrected]
    tables = RateTables.from_mapping(document)
    assert str(tables.legal_rate_row(HalfYear(2026, 2)).autres_cas) == "2.55"


def test_a_shipped_correction_wins_unless_the_operator_published_that_row() -> None:
    rows, _ = publish(shipped_document(), None, [S2], [], None)
    shipped = copy.deepcopy(shipped_document())
    row = next(r for r in shipped["legal_rate"]["half_years"] if r["half_year"] == "2026-S1")
    row["autres_cas"] = "2.99"
    legal = {r["half_year"]: r for r in in_force(shipped, rows)["legal_rate"]["half_years"]}
    assert legal["2026-S1"]["autres_cas"] == "2.99" and legal["2026-S2"] == S2


def test_known_through_is_the_later_of_shipped_and_published() -> None:
    rows, _ = publish(shipped_document(), None, [], [], "2026-07-01")
    shipped = copy.deepcopy(shipped_document())
    shipped["ecb_main_refinancing_rate"]["known_through"] = "2027-01-01"
    assert in_force(shipped, rows)["ecb_main_refinancing_rate"]["known_through"] == "2027-01-01"


@pytest.mark.parametrize("ecb,known", [
    ([], "2025-01-01"),  # before the last decision already known (2025-06-11)
    ([{"effective_on": "2026-04-15", "rate": "2.00", "source": "t"}], "2026-03-01"),
])
def test_a_publication_contradicting_the_tables_is_refused(ecb: list[dict[str, str]],
                                                           known: str) -> None:
    with pytest.raises(ValueError):
        publish(shipped_document(), None, [], ecb, known)


@pytest.mark.parametrize("row", [
    {**S2, "half_year": "2027-S1"},  # 2026-S2 would be missing: a statement has no rate for it
    {**S2, "autres_cas": "abc"},
    {**S2, "particulier": "-6.5"},
    {**S2, "autres_cas": "NaN"},
])
def test_a_legal_rate_row_that_leaves_a_gap_or_is_no_rate_is_refused(
        row: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        publish(shipped_document(), None, [row], [], None)
