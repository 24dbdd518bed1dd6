"""What the judicial phase adds to a claim's statement: the interest a judgment made run,
and the costs of the proceeding split between those the debtor may be ordered to bear and
those the law leaves to the creditor.

The statement's figures stay what the ledger computes (domain.amounts.ledger): interest,
indemnity and principal, imputed payment by payment. Costs are never added to `due`: the
debtor owes dépens only once a court puts them on him (CPC 696), so they are shown beside it
with their basis, and `due_with_costs` says what the claim would come to if they were.

Sources:
- C. civ. 1231-7: a judgment ordering payment carries interest at the legal rate from its
  pronouncement; C. monét. fin. L313-3: +5 points from two months after it became
  enforceable (domain.amounts.law computes both; this module only adds up its lines).
- CPC 695-696: the dépens (greffe fees, the commissaire's regulated emoluments and the taxes
  on his acts) are put on the losing party; CPC 700: a lawyer's fees only as far as the
  judge awards.
- CPCE L111-8 al. 1: enforcement costs are the debtor's; al. 2: costs of recovery without an
  enforceable title stay the creditor's (an agency's commission, for one), al. 3 aside.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from domain.amounts.account import Judgment
from domain.amounts.ledger import Statement
from domain.claims.judicial import JudicialRoute
from domain.judicial.proceedings import Cost, CostKind, Proceeding, recoverable_by_default

ZERO = Decimal(0)


class Bearer(StrEnum):
    DEBTOR_IF_ORDERED = "debtor_if_ordered"
    CREDITOR = "creditor"


# Why a cost falls where it falls, by kind: the statement quotes it beside each line.
_BASIS: dict[CostKind, str] = {
    CostKind.GREFFE: "CPC 695 2°: a court fee, part of the dépens the judgment puts on the "
                     "losing party (CPC 696)",
    CostKind.COMMISSAIRE: "CPC 695 7° and CPCE L111-8 al. 1: the commissaire's regulated "
                          "emoluments, dépens, and enforcement costs are the debtor's",
    CostKind.TAXE: "CPC 695 1°: taxes on the acts of the proceeding, part of the dépens",
    CostKind.LAWYER: "CPC 700: a lawyer's fees are not dépens; the judge may award an amount "
                     "towards them",
    CostKind.CJE: "contribution pour la justice économique (loi 2023-1059 art. 27): paid by "
                  "the claimant before the tribunal des activités économiques",
    CostKind.AGENCY_COMMISSION: "CPCE L111-8 al. 2: costs of recovery without an enforceable "
                                "title stay the creditor's",
    CostKind.OTHER: "no rule puts it on the debtor",
}
_SMALL_CLAIMS = ("CPCE L125-1: the costs of the simplified small-claims procedure are all "
                 "the creditor's")


@dataclass(frozen=True, slots=True)
class CostLine:
    cost: Cost
    bearer: Bearer
    basis: str


@dataclass(frozen=True, slots=True)
class JudgmentInterest:
    pronounced_on: date
    amount_awarded: Decimal
    enforceable_on: date | None
    majoration_from: date | None  # the +5 points start (consumer, legal rate only)
    interest_since: Decimal  # accrued from the pronouncement through the statement's day
    majorated: Decimal  # the part of it at the majorated rate


@dataclass(frozen=True, slots=True)
class JudicialStatement:
    """The judicial section of a statement on `statement.at`."""

    judgment: JudgmentInterest | None
    proceeding: Proceeding | None
    costs: tuple[CostLine, ...]

    @property
    def costs_debtor_may_bear(self) -> Decimal:
        return sum((c.cost.total for c in self.costs
                    if c.bearer is Bearer.DEBTOR_IF_ORDERED), ZERO)

    @property
    def costs_left_to_creditor(self) -> Decimal:
        return sum((c.cost.total for c in self.costs if c.bearer is Bearer.CREDITOR), ZERO)


def cost_line(cost: Cost, route: JudicialRoute) -> CostLine:
    """A cost where the creditor recorded it: by default as its kind's rule says, or as he
    said for this one (a judge's award under CPC 700 makes a lawyer's fee recoverable)."""
    bearer = Bearer.DEBTOR_IF_ORDERED if cost.recoverable else Bearer.CREDITOR
    default = recoverable_by_default(cost.kind, route)
    basis = (_SMALL_CLAIMS if route is JudicialRoute.SIMPLIFIED_SMALL_CLAIMS and not default
             else _BASIS[cost.kind])
    if cost.recoverable != default:
        basis = (f"recorded by the creditor as {'recoverable' if cost.recoverable else 'his'}"
                 f" (by default: {basis})")
    return CostLine(cost, bearer, basis)


def judicial_statement(statement: Statement, *, judgment: Judgment | None,
                       interest_before_judgment: Decimal | None,
                       proceeding: Proceeding | None,
                       majoration_from: date | None) -> JudicialStatement | None:
    """The section for `statement`, or None when nothing judicial happened to the claim.

    `interest_before_judgment`: the interest accrued through the day before the
    pronouncement, from a statement on that day (the same ledger, so the split is exact
    whatever the payments did); `majoration_from`: the first day of the +5 points under the
    claim's terms (domain.amounts.law.majoration_from), if any."""
    if judgment is None and proceeding is None:
        return None
    judgment_interest = None
    if judgment is not None:
        since = ZERO
        if statement.at >= judgment.pronounced_on:
            since = statement.totals.interest - (interest_before_judgment or ZERO)
        majorated = sum((line.amount for inv in statement.invoices
                         for line in inv.interest_lines if line.basis.endswith("_plus_5")), ZERO)
        judgment_interest = JudgmentInterest(
            pronounced_on=judgment.pronounced_on, amount_awarded=judgment.amount_awarded,
            enforceable_on=judgment.enforceable_on,
            majoration_from=majoration_from,
            interest_since=since, majorated=majorated)
    costs = tuple(cost_line(c, proceeding.route) for c in proceeding.costs
                  if c.incurred_on <= statement.at) if proceeding is not None else ()
    return JudicialStatement(judgment_interest, proceeding, costs)
