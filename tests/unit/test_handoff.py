"""The mandate's rules (domain.judicial.handoff) and the lifecycle of a claim held for a
mandate, worked out by hand from CPCE R124-3, R124-6 and the lifecycle table."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.claims import lifecycle
from domain.claims.model import Claim, Hold, HoldReason, Invoice, Outcome, Phase
from domain.creditors.model import Address
from domain.judicial.handoff import MandateTerms, check_terms, pass_back_by
from domain.judicial.parameters import ParameterTable, judicial_parameters
from domain.shared.errors import FieldError

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
TODAY = date(2026, 3, 10)
TERMS = MandateTerms(
    recipient_kind="commissaire_de_justice", recipient_name="SCP Lefèvre",
    recipient_address=Address(("1 rue de la Bourse",), "69002", "Lyon", "FR"),
    reference="M-1", document="doc_1", insurance="RCP MMA 12", signed_on=TODAY,
    commission_rate="10", fixed_fee="90.00")


def checked(**changes: object) -> tuple[object, list[str]]:
    errors: list[FieldError] = []
    commission = check_terms(replace(TERMS, **changes), TODAY, errors)  # type: ignore[arg-type]
    return commission, [e.field for e in errors]


def test_good_terms_give_the_commission_exactly() -> None:
    commission, errors = checked()
    assert errors == []
    assert commission.rate == Decimal("10") and commission.fixed_fee == Decimal("90.00")


@pytest.mark.parametrize(("changes", "field"), [
    ({"recipient_kind": "bailiff"}, "recipient.kind"),
    ({"recipient_name": "  "}, "recipient.name"),
    ({"reference": ""}, "reference"),
    ({"insurance": ""}, "insurance"),
    ({"document": "ABC"}, "document"),
    ({"document": "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"},
     "document"),  # a SHA-256 is lowercase hex
    ({"signed_on": date(2026, 3, 11)}, "signed_on"),  # tomorrow: not signed yet
    ({"commission_rate": "100.5"}, "commission.rate"),
    ({"commission_rate": "1e1"}, "commission.rate"),
    ({"fixed_fee": "90.001"}, "commission.fixed_fee"),
    ({"commission_rate": None, "fixed_fee": None}, "commission"),
    ({"recipient_address": Address((), "", "", "FR")}, "recipient.address"),
])
def test_each_bad_term_names_its_field(changes: dict[str, object], field: str) -> None:
    assert field in checked(**changes)[1]


def test_a_sha256_and_a_rate_alone_are_enough() -> None:
    _, errors = checked(document="9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                        fixed_fee=None, commission_rate="100")
    assert errors == []


@pytest.mark.parametrize(("received", "due"), [
    (date(2026, 3, 9), date(2026, 4, 9)),
    (date(2026, 1, 31), date(2026, 2, 28)),  # the month's last day (CPC 641)
    (date(2028, 1, 31), date(2028, 2, 29)),
])
def test_a_payment_collected_is_due_back_a_month_after_receipt(received: date,
                                                              due: date) -> None:
    assert pass_back_by(received, judicial_parameters()) == due


def test_the_pass_back_delay_is_the_one_in_force_on_the_day_received() -> None:
    row = {"name": "handoff.pass_back_months", "unit": "months", "source": "test"}
    table = ParameterTable.from_rows([
        {**row, "value": 1, "effective_from": "2012-06-01", "effective_to": "2026-12-31"},
        {**row, "value": 2, "effective_from": "2027-01-01"}])
    assert pass_back_by(date(2026, 12, 31), table) == date(2027, 1, 31)
    assert pass_back_by(date(2027, 1, 1), table) == date(2027, 3, 1)


def claim(hold: Hold | None = None, **changes: object) -> Claim:
    base = Claim(id="clm_1", creditor_id="cred_a", debtor_id="dbt_1", currency="EUR",
                 invoices=[Invoice("F-1", date(2026, 1, 1), date(2026, 2, 1), Decimal("100"))],
                 phase=Phase.AMICABLE, outcome=None, outstanding=Decimal("100"),
                 created_at=NOW, updated_at=NOW, hold=hold)
    return replace(base, **changes)  # type: ignore[arg-type]


MANDATE = Hold(HoldReason.MANDATE, NOW)


def test_a_claim_held_for_its_mandate_is_not_chased_by_the_creditor() -> None:
    allowed = set(lifecycle.allowed_actions(claim(MANDATE)))
    assert {"withdraw_handoff", "close_handoff", "record_contact", "record_promise",
            "record_payment", "send_letter"} <= allowed
    assert not allowed & {"escalate", "hold", "resume", "handoff", "start_payment_plan"}
    # A dispute may still be recorded: it covers the mandate's hold (below).
    assert "open_dispute" in allowed


@pytest.mark.parametrize(("hold", "possible"), [
    (None, True), (Hold(HoldReason.PROMISE, NOW), True), (Hold(HoldReason.MANUAL, NOW), True),
    (Hold(HoldReason.DISPUTE, NOW), False), (Hold(HoldReason.PAYMENT_PLAN, NOW), False),
    (Hold(HoldReason.INSOLVENCY, NOW), False), (MANDATE, False),
])
def test_which_holds_a_hand_off_may_replace(hold: Hold | None, possible: bool) -> None:
    assert ("handoff" in lifecycle.allowed_actions(claim(hold))) is possible


def test_a_claim_paid_under_a_mandate_may_still_have_it_closed_or_withdrawn() -> None:
    paid = claim(None, phase=Phase.CLOSED, outcome=Outcome.PAID, closed_hold=MANDATE)
    assert lifecycle.allowed_actions(paid) == ["reverse_payment", "withdraw_handoff",
                                               "close_handoff"]
    assert lifecycle.allowed_actions(replace(paid, closed_hold=None)) == ["reverse_payment"]


DISPUTE = Hold(HoldReason.DISPUTE, NOW, None, "goods damaged")
INSOLVENCY = Hold(HoldReason.INSOLVENCY, NOW, None, "TC Lyon")


def test_a_dispute_over_a_mandate_covers_it_and_each_ends_on_its_own() -> None:
    handed = claim(MANDATE)
    lifecycle.apply_manual(handed, "open_dispute", NOW, "goods damaged")
    assert handed.hold is not None and handed.hold.reason is HoldReason.DISPUTE
    assert handed.covered_holds == (MANDATE,)
    assert lifecycle.describe_state(handed) == "amicable, held for dispute and mandate"
    allowed = set(lifecycle.allowed_actions(handed))
    # Disputed: no letter, no promise; handed off: the mandate may still end or be reported on.
    assert {"resolve_dispute", "withdraw_handoff", "close_handoff", "record_contact"} <= allowed
    assert not allowed & {"send_letter", "record_promise", "escalate", "open_dispute"}
    lifecycle.apply_manual(handed, "resolve_dispute", NOW)
    assert handed.hold == MANDATE and handed.covered_holds == ()

    disputed = claim(MANDATE)
    lifecycle.apply_manual(disputed, "open_dispute", NOW, "goods damaged")
    lifecycle.end_hold(disputed, HoldReason.MANDATE)  # the mandate withdrawn first
    assert disputed.hold is not None and disputed.hold.reason is HoldReason.DISPUTE
    assert disputed.covered_holds == ()


def test_lasting_holds_order_themselves_whatever_came_first() -> None:
    # Proceedings opened over a mandate, then a dispute over both: the dispute governs.
    held = claim(MANDATE)
    lifecycle.place_hold(held, INSOLVENCY)
    assert (held.hold, held.covered_holds) == (INSOLVENCY, (MANDATE,))
    lifecycle.place_hold(held, DISPUTE)
    assert (held.hold, held.covered_holds) == (DISPUTE, (INSOLVENCY, MANDATE))
    lifecycle.end_hold(held, HoldReason.INSOLVENCY)
    assert (held.hold, held.covered_holds) == (DISPUTE, (MANDATE,))
    # A promise or a manual hold gives way to a lasting one, never the reverse.
    promised = claim(Hold(HoldReason.PROMISE, NOW))
    lifecycle.place_hold(promised, MANDATE)
    assert (promised.hold, promised.covered_holds) == (MANDATE, ())
    with pytest.raises(ValueError, match="lasting"):
        lifecycle.place_hold(promised, Hold(HoldReason.MANUAL, NOW))


def test_a_claim_paid_under_a_covered_mandate_may_still_have_it_ended() -> None:
    paid = claim(None, phase=Phase.CLOSED, outcome=Outcome.PAID, closed_hold=DISPUTE,
                 covered_holds=(MANDATE,))
    assert "close_handoff" in lifecycle.allowed_actions(paid)
    lifecycle.end_hold(paid, HoldReason.MANDATE)
    assert (paid.closed_hold, paid.covered_holds) == (DISPUTE, ())
