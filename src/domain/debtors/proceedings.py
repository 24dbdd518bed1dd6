"""Collective proceedings (procédures collectives) opened against a debtor, and the time
limit they set for the creditor. Pure data and date arithmetic; what they do to interest
and to the 40 EUR indemnity is in domain.amounts.law, beside the other rules of what is owed.

Sources: C. com. L622-21 (individual actions stop), L622-24 and R622-24 (declaration within
2 months of the BODACC publication, 2 more months for a creditor outside metropolitan
France), L622-28 (interest stops), applied to redressement by L631-14 and to liquidation
by L641-3.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.shared.dates import add_months

# C. com. R622-24 al. 1: claims are declared within two months of the opening judgment's
# publication in the BODACC; two months more for a creditor who does not live in
# metropolitan France (the court sitting there).
DECLARATION_MONTHS = 2
DECLARATION_EXTRA_MONTHS_ABROAD = 2


class ProceedingsKind(StrEnum):
    SAUVEGARDE = "sauvegarde"  # C. com. L620-1
    REDRESSEMENT = "redressement_judiciaire"  # L631-1
    LIQUIDATION = "liquidation_judiciaire"  # L640-1


@dataclass(frozen=True, slots=True)
class CollectiveProceedings:
    """The opening judgment: its date and court, and when the BODACC published it (the
    declaration deadline runs from then, so it is unknown until given)."""

    kind: ProceedingsKind
    opened_on: date
    court: str
    bodacc_published_on: date | None = None
    reference: str | None = None  # the court's case number (numéro RG), if known
    # The day Relance was told (the creditor's day): a payment received before then towards
    # an indemnity the proceedings withhold stays paid (domain.amounts.law).
    recorded_on: date | None = None

    def declaration_deadline(self, *, creditor_abroad: bool = False) -> date | None:
        """The last day to declare the claim to the mandataire (R622-24), or None while the
        publication date is not known."""
        if self.bodacc_published_on is None:
            return None
        months = DECLARATION_MONTHS + (DECLARATION_EXTRA_MONTHS_ABROAD if creditor_abroad else 0)
        return add_months(self.bodacc_published_on, months)
