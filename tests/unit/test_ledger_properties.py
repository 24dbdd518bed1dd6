"""Property-based checks of the statement: conservation, non-negative and non-decreasing
interest, imputation order (C. civ. 1342-10, 1343-1; indemnity before principal, Cass. 1re
civ. 7 Feb 1995 n° 92-14.216; equal invoices pro rata), rounding."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.amounts.interest import DayCount, first_interest_day
from domain.amounts.law import (
    FloorPolicy,
    InterestTerms,
    b2b_floor,
    interest_day_count,
    interest_origin,
)
from domain.amounts.ledger import Payment, Statement, compute_statement
from domain.amounts.rates import DEFAULT_RATES, HalfYear, RateCategory
from domain.claims.model import Invoice
from domain.debtors.model import DebtorKind

CENT = Decimal("0.01")
START = date(2021, 1, 1)
END = date(2026, 6, 30)  # last day the tables cover for both regimes

dates = st.dates(min_value=START, max_value=END)
cents = st.integers(min_value=1, max_value=1_000_000).map(lambda c: Decimal(c) / 100)


@st.composite
def invoices_st(draw: st.DrawFn) -> list[Invoice]:
    n = draw(st.integers(min_value=1, max_value=5))
    out: list[Invoice] = []
    for i in range(n):
        if out and draw(st.booleans()):
            # equal to an earlier one in every respect but number and amount (1342-10:
            # shared pro rata), so that such groups are common
            twin = draw(st.sampled_from(out))
            issue, due = twin.issue_date, twin.due_date
        else:
            issue = draw(st.dates(min_value=START, max_value=date(2025, 12, 31)))
            due = issue + timedelta(days=draw(st.integers(min_value=0, max_value=90)))
        out.append(Invoice(f"F{i}", issue, due, draw(cents)))
    return out


@st.composite
def payments_st(draw: st.DrawFn, numbers: list[str], unique_days: bool = False) -> list[Payment]:
    days = draw(st.lists(dates, max_size=7, unique=unique_days))
    out = []
    for i, day in enumerate(days):
        named = tuple(draw(st.lists(st.sampled_from(numbers), max_size=2)))
        reversed_on = draw(st.one_of(
            st.none(), st.integers(min_value=0, max_value=60).map(lambda d, day=day:
                                                                  day + timedelta(days=d))))
        amount = Decimal(draw(st.integers(min_value=1, max_value=800_000))) / 100
        out.append(Payment(f"P{i}", amount, day, "transfer", None, named, reversed_on,
                           "r" if reversed_on else None))
    return out


@st.composite
def terms_st(draw: st.DrawFn) -> InterestTerms:
    kind = draw(st.sampled_from(list(DebtorKind)))
    if kind is DebtorKind.BUSINESS:
        rate = draw(st.sampled_from([None, None, Decimal("15.5"), Decimal("22.75")]))
    else:
        rate = draw(st.sampled_from([None, None, Decimal("5"), Decimal("9.5")]))
    return InterestTerms(
        debtor_kind=kind,
        contractual_rate=rate,
        formal_notice_on=draw(st.one_of(st.none(), dates)),
        proceedings_opened_on=draw(st.one_of(st.none(), st.none(), dates)),
        judgment_enforceable_on=draw(st.one_of(st.none(), dates)),
        floor_policy=draw(st.sampled_from(list(FloorPolicy))),
        day_count=draw(st.sampled_from(list(DayCount))),
        creditor_category=draw(st.sampled_from(list(RateCategory))),
    )


@st.composite
def scenario(draw: st.DrawFn, unique_days: bool = False) -> tuple[
        list[Invoice], list[Payment], InterestTerms, date]:
    invoices = draw(invoices_st())
    payments = draw(payments_st([i.number for i in invoices], unique_days))
    return invoices, payments, draw(terms_st()), draw(dates)


def compute(invoices: list[Invoice], payments: list[Payment], terms: InterestTerms,
            at: date) -> Statement:
    return compute_statement(invoices=invoices, currency="EUR", terms=terms,
                             payments=payments, at=at)


def all_amounts(s: Statement) -> list[Decimal]:
    out = [s.credit, *vars_of(s.totals)]
    for inv in s.invoices:
        out += [inv.principal, inv.principal_paid, inv.principal_outstanding,
                inv.interest_accrued, inv.interest_paid, inv.interest_outstanding,
                inv.indemnity.amount, inv.indemnity.paid, inv.indemnity.outstanding]
        out += [ln.amount for ln in inv.interest_lines]
        out += [ln.base for ln in inv.interest_lines]
    for p in s.payments:
        out += [p.amount, p.to_interest, p.to_principal, p.to_indemnity, p.to_credit]
        for a in p.applications:
            out += [a.to_interest, a.to_principal, a.to_indemnity]
    return out


def vars_of(obj: object) -> list[Decimal]:
    return [getattr(obj, f) for f in obj.__dataclass_fields__]  # type: ignore[attr-defined]


SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(scenario())
def test_conservation(case: tuple[list[Invoice], list[Payment], InterestTerms, date]) -> None:
    invoices, payments, terms, at = case
    s = compute(invoices, payments, terms, at)
    t = s.totals
    # what was owed == what was paid (without credit) + what remains
    assert t.principal + t.interest + t.indemnity + s.credit == t.paid + t.due
    assert t.paid == sum((p.amount for p in payments if p.counts_at(at)), Decimal(0))
    for inv in s.invoices:
        assert inv.principal == inv.principal_paid + inv.principal_outstanding
        assert inv.interest_accrued == inv.interest_paid + inv.interest_outstanding
        assert inv.indemnity.amount == inv.indemnity.paid + inv.indemnity.outstanding
        assert inv.principal_paid == sum((a.to_principal for a in inv.applications), Decimal(0))
        assert inv.interest_paid == sum((a.to_interest for a in inv.applications), Decimal(0))
        assert inv.indemnity.paid == sum((a.to_indemnity for a in inv.applications), Decimal(0))
    for p in s.payments:
        assert p.amount == p.to_interest + p.to_principal + p.to_indemnity + p.to_credit
        assert p.to_principal == sum((a.to_principal for a in p.applications), Decimal(0))
    assert s.credit == sum((p.to_credit for p in s.payments), Decimal(0))
    # a credit only exists once everything is paid
    if s.credit > 0:
        assert t.due == 0


@SETTINGS
@given(scenario())
def test_never_negative_and_rounded_to_the_cent(
        case: tuple[list[Invoice], list[Payment], InterestTerms, date]) -> None:
    invoices, payments, terms, at = case
    s = compute(invoices, payments, terms, at)
    for amount in all_amounts(s):
        assert amount >= 0
        assert amount == amount.quantize(CENT)
    for inv in s.invoices:
        # each period rounded half-up, then summed
        assert inv.interest_accrued == sum((ln.amount for ln in inv.interest_lines), Decimal(0))
        source = next(i for i in invoices if i.number == inv.number)
        origin = interest_origin(source.due_date, terms)
        previous_end = None
        for ln in inv.interest_lines:
            assert ln.amount == (ln.base * ln.days * ln.rate / Decimal(36500)).quantize(
                CENT, rounding=ROUND_HALF_UP)
            assert ln.days == (ln.end - ln.start).days + 1 > 0
            assert HalfYear.containing(ln.start) == HalfYear.containing(ln.end)
            assert ln.end <= at
            assert origin is not None
            assert ln.start >= first_interest_day(origin, interest_day_count(
                terms.debtor_kind, terms.day_count))
            if previous_end is not None:
                assert ln.start > previous_end
            previous_end = ln.end


@SETTINGS
@given(invoices_st(), terms_st(), dates, dates)
def test_interest_never_decreases_while_nothing_is_paid(
        invoices: list[Invoice], terms: InterestTerms, d1: date, d2: date) -> None:
    early, late = min(d1, d2), max(d1, d2)
    a = compute(invoices, [], terms, early)
    b = compute(invoices, [], terms, late)
    for x, y in zip(a.invoices, b.invoices, strict=True):
        assert x.interest_accrued <= y.interest_accrued
        assert x.indemnity.amount <= y.indemnity.amount
    assert a.totals.due <= b.totals.due


def oracle_rate(terms: InterestTerms, half: HalfYear) -> Decimal:
    """B2B only, written independently of the schedule."""
    if terms.contractual_rate is not None:
        return terms.contractual_rate
    ecb = DEFAULT_RATES.ecb_rate_on(half.start)
    default = ecb + 10
    floor = 3 * DEFAULT_RATES.legal_rate(half, RateCategory.AUTRES_CAS)
    if terms.floor_policy is FloorPolicy.RAISE_TO_FLOOR and default < floor:
        return floor
    assert b2b_floor(half) == floor
    return default


@SETTINGS
@given(invoices_st(), terms_st(), dates)
def test_b2b_interest_without_payments_matches_day_by_day_oracle(
        invoices: list[Invoice], terms: InterestTerms, at: date) -> None:
    terms = replace(terms, debtor_kind=DebtorKind.BUSINESS,
                    contractual_rate=terms.contractual_rate if terms.contractual_rate
                    and terms.contractual_rate > 15 else None)
    s = compute(invoices, [], terms, at)
    for inv, st_inv in zip(invoices, s.invoices, strict=True):
        days_per_half: dict[HalfYear, int] = {}
        day = inv.due_date + timedelta(days=1)  # L441-10 II, whatever the day count
        opened = terms.proceedings_opened_on
        if opened is not None and (inv.performed_on >= opened if inv.performed_on
                                   else inv.issue_date > opened):
            opened = None  # a debt arising after the opening: L622-17, neither stop applies
        while day <= at and (opened is None or day < opened):  # L622-28: none from the opening
            h = HalfYear.containing(day)
            days_per_half[h] = days_per_half.get(h, 0) + 1
            day += timedelta(days=1)
        expected = sum(
            ((inv.amount * n * oracle_rate(terms, h) / 36500).quantize(CENT, ROUND_HALF_UP)
             for h, n in days_per_half.items()), Decimal(0))
        assert st_inv.interest_accrued == expected
        late = at > inv.due_date and (opened is None or inv.due_date < opened)  # L441-10 II
        assert st_inv.indemnity.amount == (Decimal("40.00") if late else 0)


@SETTINGS
@given(scenario())
def test_reversed_payment_is_as_if_never_made(
        case: tuple[list[Invoice], list[Payment], InterestTerms, date]) -> None:
    invoices, payments, terms, at = case
    s = compute(invoices, payments, terms, at)
    kept = [p for p in payments if p.reversed_on is None or p.reversed_on > at]
    t = compute(invoices, kept, terms, at)
    assert s.invoices == t.invoices
    assert s.totals == t.totals
    assert s.credit == t.credit


def default_order(invoices: list[Invoice]) -> list[Invoice]:
    return sorted(invoices, key=lambda i: (i.due_date, i.issue_date, i.number))


def imputation_groups(invoices: list[Invoice], named: list[str]) -> list[list[str]]:
    """The named invoices one by one, in the order named; then the others oldest first,
    those equal in due and issue date together (written apart from the ledger)."""
    groups = [[n] for n in named]
    previous: tuple[date, date] | None = None
    for inv in default_order([i for i in invoices if i.number not in named]):
        key = (inv.due_date, inv.issue_date)
        if key == previous:
            groups[-1].append(inv.number)
        else:
            groups.append([inv.number])
        previous = key
    return groups


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario(unique_days=True))
def test_imputation_order(case: tuple[list[Invoice], list[Payment], InterestTerms, date]) -> None:
    """Each payment, against what was owed just before it (a statement on its day with the
    earlier payments):
    - groups in order (named one by one, then due before not-yet-due, oldest first,
      invoices equal in due and issue date forming one group) are settled in full before
      the next group gets anything (C. civ. 1342-10);
    - the group that gets the end of the payment shares it in proportion to what each
      owes, within one cent, the shares adding up to what it got (1342-10, last rule);
    - within an invoice no indemnity is paid while its interest is owed (1343-1) and no
      principal while its interest or indemnity is owed (Cass. 1re civ. 7 Feb 1995
      n° 92-14.216);
    - conservation: what the applications and the credit took is the payment."""
    invoices, payments, terms, at = case
    counted = [replace(p, reversed_on=None, reversal_reason=None)
               for p in payments if p.counts_at(at)]
    final = compute(invoices, counted, terms, at)
    for split in final.payments:
        p = next(q for q in counted if q.id == split.payment_id)
        earlier = [q for q in counted if q.received_on < p.received_on]
        prior = {i.number: i for i in compute(invoices, earlier, terms, p.received_on).invoices}
        groups = imputation_groups(invoices, list(dict.fromkeys(p.invoice_numbers)))
        order = [n for g in groups for n in g]
        applied = {a.invoice_number: a for a in split.applications}
        assert len(applied) == len(split.applications)  # one application per invoice
        assert [a.invoice_number for a in split.applications] == [n for n in order if n in applied]
        assert sum((a.total for a in split.applications), Decimal(0)) + split.to_credit == (
            split.amount)
        received_by = {n: a.total for n, a in applied.items()}

        # the last group that received something; all before it are settled in full
        last = max((k for k, g in enumerate(groups) if any(n in applied for n in g)),
                   default=-1)
        for k, group in enumerate(groups):
            owed = [prior[n].outstanding for n in group]
            paid = [received_by.get(n, Decimal(0)) for n in group]
            if k < last or split.to_credit > 0:
                assert paid == owed
            elif k > last:
                assert paid == [Decimal(0)] * len(group)
            else:  # the group the payment ends in: pro rata, within one cent
                received, total = sum(paid, Decimal(0)), sum(owed, Decimal(0))
                assert received <= total
                for o, g in zip(owed, paid, strict=True):
                    assert g <= o
                    assert abs(g * total - received * o) < CENT * total
                if received == total:
                    assert paid == owed
        for number, a in applied.items():
            before = prior[number]
            # interest, then indemnity, then principal
            if a.to_indemnity > 0 or a.to_principal > 0:
                assert a.to_interest == before.interest_outstanding
            if a.to_principal > 0:
                assert a.to_indemnity == before.indemnity.outstanding
            assert a.to_interest <= before.interest_outstanding
            assert a.to_indemnity <= before.indemnity.outstanding
            assert a.to_principal <= before.principal_outstanding
        if split.to_credit > 0:
            assert sum((i.outstanding for i in prior.values()), Decimal(0)) == (
                split.amount - split.to_credit)
