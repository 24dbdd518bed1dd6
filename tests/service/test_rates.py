"""Publishing rates at the service level: a legal-rate half-year or an ECB decision published
by the operator is in force at once, each row with its source; a publication that would
make the tables inconsistent is refused and leaves the published rows as they were.

The shipped tables stop at 2026-S1 (ECB known through 2026-01-01). The 2026-S2 figures
below are TEST DATA, not a real arrêté or ECB decision.
"""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.amounts.rates import HalfYear, RateCategory, RateUnknown
from domain.services.rates import (
    EcbDecision,
    LegalRate,
    RatesPublication,
    publish_rates,
    rate_tables_document,
)
from domain.shared.errors import DomainValidationError
from tests.fakes import FakeWorld

S1_2026, S2_2026 = HalfYear(2026, 1), HalfYear(2026, 2)
TEST_S2 = LegalRate("2026-S2", particulier="6.50", autres_cas="2.40",
                    source="test data (not a real arrêté)")
TEST_ECB = EcbDecision(date(2026, 6, 10), "2.00", source="test data (not a real decision)")
S2_ROW = {"half_year": "2026-S2", "particulier": "6.50", "autres_cas": "2.40",
          "source": "test data (not a real arrêté)"}


def legal_rows(document: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {r["half_year"]: r for r in document["legal_rate"]["half_years"]}


def ecb_rows(document: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {r["effective_on"]: r for r in document["ecb_main_refinancing_rate"]["changes"]}


def test_before_any_publication_the_next_half_year_is_unknown(world: FakeWorld) -> None:
    tables = world.ports.rates.rate_tables()
    assert tables.legal_rate(S1_2026, RateCategory.AUTRES_CAS) == Decimal("2.62")
    with pytest.raises(RateUnknown) as unknown:
        tables.legal_rate(S2_2026, RateCategory.AUTRES_CAS)
    assert unknown.value.period == "2026-S2"
    with pytest.raises(RateUnknown):
        tables.b2b_default_rate(S2_2026)
    assert world.rates.published is None


def test_a_published_half_year_and_ecb_decision_are_in_force_at_once(world: FakeWorld) -> None:
    document = publish_rates(RatesPublication(legal=[TEST_S2], ecb=[TEST_ECB],
                                              ecb_known_through=date(2026, 7, 1)), world.ports)
    tables = world.ports.rates.rate_tables()
    assert tables.legal_rate(S2_2026, RateCategory.PARTICULIER) == Decimal("6.50")
    assert tables.legal_rate(S2_2026, RateCategory.AUTRES_CAS) == Decimal("2.40")
    assert tables.ecb_rate_on(date(2026, 6, 9)) == Decimal("2.15")  # the day before
    assert tables.ecb_rate_on(date(2026, 6, 10)) == Decimal("2.00")
    # S2 is fixed by the rate in force on 1 July, S1 by the one on 1 January.
    assert tables.b2b_default_rate(S2_2026) == Decimal("12.00")
    assert tables.b2b_default_rate(S1_2026) == Decimal("12.15")
    assert tables.ecb_known_through == date(2026, 7, 1)
    assert legal_rows(document)["2026-S2"] == S2_ROW
    assert ecb_rows(document)["2026-06-10"]["rate"] == "2.00"
    assert rate_tables_document(world.ports) == document


def test_only_the_operators_own_rows_are_stored(world: FakeWorld) -> None:
    publish_rates(RatesPublication(legal=[TEST_S2], ecb_known_through=date(2026, 7, 1)),
                  world.ports)
    # No copy of the shipped rows: a later deployment correcting one is not masked.
    assert world.rates.published == {
        "legal_rate": {"half_years": [S2_ROW]},
        "ecb_main_refinancing_rate": {"changes": [], "known_through": "2026-07-01"}}


def test_a_later_publication_replaces_its_half_year_and_keeps_the_others(
        world: FakeWorld) -> None:
    publish_rates(RatesPublication(legal=[TEST_S2], ecb_known_through=date(2026, 7, 1)),
                  world.ports)
    corrected = LegalRate("2026-S2", "6.55", "2.45", "test data (a corrected arrêté)")
    publish_rates(RatesPublication(legal=[corrected], ecb=[TEST_ECB]), world.ports)
    assert world.rates.published is not None
    section = world.rates.published["ecb_main_refinancing_rate"]
    assert [r["autres_cas"] for r in world.rates.published["legal_rate"]["half_years"]] == [
        "2.45"]
    assert section["known_through"] == "2026-07-01"  # not forgotten by the second one
    assert [c["effective_on"] for c in section["changes"]] == ["2026-06-10"]
    tables = world.ports.rates.rate_tables()
    assert tables.legal_rate(S2_2026, RateCategory.AUTRES_CAS) == Decimal("2.45")
    assert tables.legal_rate(S1_2026, RateCategory.AUTRES_CAS) == Decimal("2.62")


def test_a_published_row_wins_over_the_shipped_row_of_the_same_half_year(
        world: FakeWorld) -> None:
    publish_rates(RatesPublication(legal=[LegalRate("2026-S1", "6.99", "2.99",
                                                    "test data (a correction)")]), world.ports)
    tables = world.ports.rates.rate_tables()
    assert tables.legal_rate(S1_2026, RateCategory.AUTRES_CAS) == Decimal("2.99")
    assert legal_rows(rate_tables_document(world.ports))["2026-S1"]["source"] == (
        "test data (a correction)")


def test_the_document_shows_every_row_with_its_source(world: FakeWorld) -> None:
    publish_rates(RatesPublication(legal=[TEST_S2], ecb=[TEST_ECB],
                                   ecb_known_through=date(2026, 7, 1)), world.ports)
    document = rate_tables_document(world.ports)
    legal, ecb = legal_rows(document), ecb_rows(document)
    assert all(row["source"] for row in [*legal.values(), *ecb.values()])
    assert legal["2026-S1"]["source"].startswith("https://")  # shipped
    assert legal["2026-S2"]["source"] == "test data (not a real arrêté)"  # published
    assert ecb["2025-06-11"]["source"].startswith("https://")
    assert ecb["2026-06-10"]["source"] == "test data (not a real decision)"
    assert sorted(legal) == list(legal) and sorted(ecb) == list(ecb)  # in date order


# ------------------------------------------------------------------------ refusals


@pytest.mark.parametrize(("publication", "message"), [
    # Before the last shipped decision (2025-06-11).
    (RatesPublication(ecb_known_through=date(2025, 1, 1)), "known_through"),
    # A decision after the date the tables are known through (2026-01-01).
    (RatesPublication(ecb=[EcbDecision(date(2026, 4, 15), "2.00", "test")]), "known_through"),
    (RatesPublication(ecb=[EcbDecision(date(2026, 4, 15), "2.00", "test")],
                      ecb_known_through=date(2026, 3, 1)), "known_through"),
    (RatesPublication(legal=[LegalRate("2026-S3", "6.50", "2.40", "test")]), "2026-S3"),
])
def test_an_inconsistent_publication_is_refused_and_nothing_is_published(
        world: FakeWorld, publication: RatesPublication, message: str) -> None:
    publish_rates(RatesPublication(legal=[TEST_S2]), world.ports)
    published = copy.deepcopy(world.rates.published)
    document = copy.deepcopy(rate_tables_document(world.ports))
    # The use case lets the tables' ValueError through; the route answers it 422.
    with pytest.raises(ValueError, match=message):
        publish_rates(publication, world.ports)
    assert world.rates.published == published
    assert rate_tables_document(world.ports) == document


def test_dates_outside_the_window_are_refused_naming_each_field(world: FakeWorld) -> None:
    publication = RatesPublication(
        legal=[TEST_S2],
        ecb=[TEST_ECB, EcbDecision(date(1900, 1, 1), "2.00", "typo")],
        ecb_known_through=date(2200, 1, 1))
    with pytest.raises(DomainValidationError) as refused:
        publish_rates(publication, world.ports)
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("ecb_changes[1].effective_on", "date_out_of_range"),
        ("ecb_known_through", "date_out_of_range")]
    # Refused as a whole: the valid half-year in the same publication is not published.
    assert world.rates.published is None
    assert "2026-S2" not in legal_rows(rate_tables_document(world.ports))
