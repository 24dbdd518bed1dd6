"""The derived recovery probability and the debtor's public accounts (and a company the
Sirene register records as ceased): each factor shown, applied only when the accounts say
so and are recent enough. Expected figures from the recovery.* rows of thresholds.json."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.debtors.model import DebtorKind
from domain.judicial.assessment import ClaimFacts, CommercialSource, PublicAccounts, assess
from domain.judicial.courts import DebtorPlace
from domain.judicial.parameters import judicial_parameters

D = Decimal
ON = date(2026, 3, 10)


def probability(**more: object) -> tuple[Decimal, dict[str, tuple[bool, str]]]:
    facts = ClaimFacts(
        on=ON, currency="EUR", debtor_kind=DebtorKind.BUSINESS, between_commercants=True,
        between_commercants_source=CommercialSource.STATED,
        debtor_place=DebtorPlace("FR", "69003", "Lyon"), principal_outstanding=D("4000.00"),
        interest_outstanding=D("50.00"), indemnity_outstanding=D("40.00"),
        **more)  # type: ignore[arg-type]
    p = assess(facts, judicial_parameters()).probability
    return p.value, {f.code: (f.applied, f.fact) for f in p.factors}


def test_without_accounts_the_factors_show_but_do_not_apply() -> None:
    value, factors = probability()
    assert value == D("0.8000")  # the base alone
    applied, fact = factors["accounts_negative_equity"]
    assert not applied and "no public accounts given" in fact
    assert factors["accounts_net_loss"][0] is False
    assert factors["company_ceased"] == (False, "not recorded as ceased")


def test_negative_equity_and_a_loss_lower_the_probability() -> None:
    value, factors = probability(public_accounts=PublicAccounts(
        date(2024, 12, 31), equity=D("-12500.00"), net_result=D("-3000.00")))
    # 0.80 x 0.60 (negative equity) x 0.85 (a net loss) = 0.408
    assert value == D("0.4080")
    # The figures are facts.public_accounts' own: the words do not repeat them.
    assert factors["accounts_negative_equity"] == (
        True, "equity negative in the accounts given (facts.public_accounts)")


def test_a_profit_and_positive_equity_change_nothing() -> None:
    value, factors = probability(public_accounts=PublicAccounts(
        date(2025, 12, 31), equity=D("80000.00"), net_result=D("0.00")))
    assert value == D("0.8000")
    assert not factors["accounts_negative_equity"][0] and not factors["accounts_net_loss"][0]


def test_a_missing_figure_is_said_and_not_counted() -> None:
    value, factors = probability(public_accounts=PublicAccounts(
        date(2025, 12, 31), equity=D("-1.00")))
    assert value == D("0.4800")  # 0.80 x 0.60
    assert factors["accounts_net_loss"] == (
        False, "the accounts given (facts.public_accounts) have no net result")


def test_accounts_older_than_24_months_are_not_counted() -> None:
    # Closed 9 March 2024: 24 months later is 9 March 2026, before the 10th.
    stale = PublicAccounts(date(2024, 3, 9), equity=D("-5.00"), net_result=D("-5.00"))
    value, factors = probability(public_accounts=stale)
    assert value == D("0.8000")
    assert "older than recovery.accounts_max_age_months" in \
        factors["accounts_negative_equity"][1]
    # Closed on the 10th, 24 months ago to the day: still counted.
    value, _ = probability(public_accounts=PublicAccounts(date(2024, 3, 10), equity=D("-5")))
    assert value == D("0.4800")


def test_a_ceased_company_lowers_the_probability() -> None:
    value, factors = probability(company_ceased_on=date(2026, 2, 1))
    assert value == D("0.1600")  # 0.80 x 0.20
    assert factors["company_ceased"][0] is True
