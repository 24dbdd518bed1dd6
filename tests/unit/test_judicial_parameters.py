"""The judicial phase's dated parameters: the value in force on a day, never a guess."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.judicial.parameters import ParameterTable, UnknownParameter, judicial_parameters


def row(value: int, start: str, end: str | None = None, name: str = "x.days") -> dict[str, object]:
    return {"name": name, "value": value, "unit": "days", "effective_from": start,
            "effective_to": end, "source": "test"}


def test_the_value_in_force_is_the_one_of_the_day_asked() -> None:
    table = ParameterTable.from_rows([row(6, "2022-03-01", "2026-08-31"), row(3, "2026-09-01")])
    assert table.at("x.days", date(2026, 8, 31)).value == Decimal(6)
    assert table.at("x.days", date(2026, 9, 1)).value == Decimal(3)
    assert table.at("x.days", date(2040, 1, 1)).whole == 3
    with pytest.raises(UnknownParameter, match="in force on 2022-02-28"):
        table.at("x.days", date(2022, 2, 28))
    with pytest.raises(UnknownParameter, match="no parameter"):
        table.at("y.days", date(2026, 1, 1))


def test_two_values_in_force_on_one_day_are_refused() -> None:
    with pytest.raises(ValueError, match="two values in force on 2026-09-01"):
        ParameterTable.from_rows([row(6, "2022-03-01"), row(3, "2026-09-01")])
    with pytest.raises(ValueError, match="two values"):
        ParameterTable.from_rows([row(6, "2022-03-01", "2026-09-01"), row(3, "2026-09-01")])
    with pytest.raises(ValueError, match="ends before it starts"):
        ParameterTable.from_rows([row(6, "2022-03-01", "2022-01-01")])


def test_the_shipped_service_deadline_follows_decret_2026_96() -> None:
    table = judicial_parameters()
    name = "injonction_de_payer.service_months"
    assert table.at(name, date(2026, 8, 31)).whole == 6  # an order of 31 August: 6 months
    assert table.at(name, date(2026, 9, 1)).whole == 3  # from 1 September 2026: 3
    assert "2026-96" in table.at(name, date(2026, 9, 1)).source


def test_every_shipped_parameter_says_where_it_comes_from() -> None:
    table = judicial_parameters()
    assert table.by_name
    for values in table.by_name.values():
        for p in values:
            assert p.source.strip() and p.unit
