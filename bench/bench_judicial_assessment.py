"""The judicial assessment for a set of claims (B2B and B2C, 800 / 4,000 / 25,000 EUR, a
debtor in Belgium, one in redressement judiciaire): each route's upfront cost, typical
time to a title and expected recovery (derived probability), and the time to assess one
claim (its statement on the day included). `python -m bench.bench_judicial_assessment`
prints the full per-route table; `make bench` prints a row per claim and route."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from bench.common import Row, median_p99, timings_ms
from domain.amounts.law import InterestTerms
from domain.amounts.ledger import compute_statement
from domain.claims.model import Invoice
from domain.debtors.model import DebtorKind
from domain.debtors.proceedings import CollectiveProceedings, ProceedingsKind
from domain.judicial.assessment import Assessment, assess, claim_facts
from domain.judicial.courts import DebtorPlace
from domain.judicial.parameters import judicial_parameters

ON = date(2026, 6, 20)  # the rate tables shipped cover 2026-S1
DUE = date(2026, 3, 31)
B2B, B2C = DebtorKind.BUSINESS, DebtorKind.CONSUMER
REDRESSEMENT = CollectiveProceedings(ProceedingsKind.REDRESSEMENT, date(2026, 6, 1),
                                     "TC de Rennes", bodacc_published_on=date(2026, 6, 10))

# (label, debtor kind, principal, place, proceedings)
CLAIMS: list[tuple[str, DebtorKind, str, DebtorPlace, CollectiveProceedings | None]] = [
    ("B2B 800 Rennes", B2B, "800.00", DebtorPlace("FR", "35000", "Rennes"), None),
    ("B2B 4,000 Lyon", B2B, "4000.00", DebtorPlace("FR", "69003", "Lyon"), None),
    ("B2B 25,000 Strasbourg", B2B, "25000.00", DebtorPlace("FR", "67000", "Strasbourg"), None),
    ("B2C 800 Bordeaux", B2C, "800.00", DebtorPlace("FR", "33000", "Bordeaux"), None),
    ("B2C 4,000 Bordeaux", B2C, "4000.00", DebtorPlace("FR", "33000", "Bordeaux"), None),
    ("B2C 25,000 Nantes", B2C, "25000.00", DebtorPlace("FR", "44000", "Nantes"), None),
    ("B2B 4,000 Bruxelles (BE)", B2B, "4000.00", DebtorPlace("BE", "1000", "Bruxelles"), None),
    ("B2B 25,000 in redressement", B2B, "25000.00", DebtorPlace("FR", "35000", "Rennes"),
     REDRESSEMENT),
]


def assess_one(kind: DebtorKind, principal: str, place: DebtorPlace,
               proceedings: CollectiveProceedings | None) -> Assessment:
    invoice = Invoice("F-1", DUE - timedelta(days=30), DUE, Decimal(principal))
    # A consumer's interest runs from a formal notice: one sent the day after the due date.
    notice = DUE + timedelta(days=1) if kind is B2C else None
    statement = compute_statement(
        invoices=[invoice], currency="EUR", at=ON,
        terms=InterestTerms(kind, formal_notice_on=notice,
                            proceedings_opened_on=proceedings.opened_on if proceedings
                            else None))
    facts = claim_facts(
        on=ON, currency="EUR", debtor_kind=kind, between_commercants=None, debtor_place=place,
        statement=statement, disputed_claim=False, disputed_invoices=(),
        proceedings=proceedings, declaration_deadline=None, formal_notice_on=notice,
        promises=(), creditor_headcount=None)
    return assess(facts, judicial_parameters())


def _money(value: Decimal | None, complete: bool = True) -> str:
    return "unknown" if value is None else f"{value:,.2f}" + ("" if complete else "+?")


def table() -> list[tuple[str, str, str, str, str, str]]:
    out = []
    for label, kind, principal, place, proceedings in CLAIMS:
        a = assess_one(kind, principal, place, proceedings)
        for r in a.routes:
            if r.conditions_met is False:
                continue
            cost = _money(r.costs.upfront_known, r.costs.complete) if r.costs else "-"
            title = (f"{r.time_to_title.typical_days} d" if r.time_to_title
                     and r.time_to_title.typical_days is not None else "no title")
            recovery = (_money(r.expected_recovery.value, r.expected_recovery.complete)
                        if r.expected_recovery else "-")
            court = r.court.name if r.court else (r.officer or "-")
            out.append((label, f"{a.facts.amount_due:,.2f}", r.route.value, court,
                        f"{cost} / {title}", f"p={a.probability.value} E={recovery}"))
    return out


def run() -> list[Row]:
    rows: list[Row] = [(f"assessment {claim}: {route}", cost_title, f"{court}; {recovery}")
                       for claim, _due, route, court, cost_title, recovery in table()]
    median, p99 = median_p99(timings_ms(
        lambda: [assess_one(k, p, pl, pr) for _, k, p, pl, pr in CLAIMS], repeat=50))
    n = len(CLAIMS)
    rows.append(("assessment per claim (statement included), median",
                 f"{median / n:.3f} ms", f"p99 {p99 / n:.3f} ms; {n} claims, 8 routes each"))
    return rows


def main() -> None:
    header = ("claim", "amount due", "route", "court / officer", "upfront cost / time to title",
              "expected recovery")
    rows = table()
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    print("\n'+?': some cost has no figure in the sources (counted as 0, listed as unknown)")


if __name__ == "__main__":
    main()
