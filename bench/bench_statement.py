"""Statement of a claim with 50 invoices and 200 payments over three years (target: under
20 ms per statement)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from bench.common import Row, median_p99, timings_ms
from domain.amounts.law import InterestTerms
from domain.amounts.ledger import Payment, compute_statement
from domain.claims.model import Invoice
from domain.debtors.model import DebtorKind

START = date(2022, 7, 1)
AT = date(2025, 6, 30)  # three years


def scenario(seed: int = 7) -> tuple[list[Invoice], list[Payment]]:
    rng = random.Random(seed)
    invoices = []
    for i in range(50):
        issue = START + timedelta(days=rng.randrange(0, 1000))
        due = issue + timedelta(days=rng.choice([30, 45, 60]))
        invoices.append(Invoice(f"F{i:03d}", issue, due,
                                Decimal(rng.randrange(10_000, 2_000_000)) / 100))
    total = sum((i.amount for i in invoices), Decimal(0))
    payments = []
    for j in range(200):
        day = START + timedelta(days=rng.randrange(30, (AT - START).days))
        amount = (total / 220 * Decimal(rng.uniform(0.5, 1.5))).quantize(Decimal("0.01"))
        named = (rng.choice(invoices).number,) if rng.random() < 0.2 else ()
        reversed_on = day + timedelta(days=10) if rng.random() < 0.03 else None
        payments.append(Payment(f"P{j:03d}", amount, day, "transfer", None, named, reversed_on))
    return invoices, payments


def run() -> list[Row]:
    invoices, payments = scenario()
    terms = InterestTerms(DebtorKind.BUSINESS)

    def once() -> object:
        return compute_statement(invoices=invoices, currency="EUR", terms=terms,
                                 payments=payments, at=AT)

    s = compute_statement(invoices=invoices, currency="EUR", terms=terms, payments=payments, at=AT)
    lines = sum(len(i.interest_lines) for i in s.invoices)
    median, p99 = median_p99(timings_ms(once, repeat=200))
    return [
        ("statement 50 inv / 200 pay / 3 y, median", f"{median:.2f} ms", "target < 20 ms"),
        ("statement 50 inv / 200 pay / 3 y, p99", f"{p99:.2f} ms",
         f"{lines} interest lines, {len(s.payments)} payments counted"),
    ]
