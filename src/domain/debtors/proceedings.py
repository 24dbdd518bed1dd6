"""Collective proceedings (procédures collectives) opened against a debtor, and the time
limit they set for the creditor. Pure data and date arithmetic; what they do to interest
and to the 40 EUR indemnity is in domain.amounts.law, beside the other rules of what is owed.

Sources: C. com. L622-21 (individual actions stop), L622-24 and R622-24 (declaration within
2 months of the BODACC publication, 2 more months for a creditor outside metropolitan
France), L622-28 (interest stops), applied to redressement by L631-14 and to liquidation
by L641-3. The declaration periods are dated parameters (data/insolvency.json), read for
the publication day: the décret that sets them can change them, for publications from then.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from domain.shared.dates import add_months
from domain.shared.parameters import ParameterTable, load_parameters

# The rows of data/insolvency.json (domain.judicial's table reads the same ones).
DECLARATION_MONTHS = "insolvency.declaration_months"
DECLARATION_EXTRA_MONTHS_ABROAD = "insolvency.declaration_extra_months_abroad"
RELIEF_MONTHS = "insolvency.relief_months"


def insolvency_parameters() -> ParameterTable:
    return load_parameters("domain.debtors")


def declaration_deadline(published_on: date, *, creditor_abroad: bool = False,
                         parameters: ParameterTable | None = None) -> date:
    """C. com. R622-24 al. 1: the BODACC publication + the declaration months, + the months
    more for a creditor who does not live in metropolitan France (the court sitting there);
    both as in force on the publication day. Raises UnknownParameter for a publication no
    row covers (never guessed)."""
    table = parameters or insolvency_parameters()
    months = table.at(DECLARATION_MONTHS, published_on).whole
    if creditor_abroad:
        months += table.at(DECLARATION_EXTRA_MONTHS_ABROAD, published_on).whole
    return add_months(published_on, months)


def relief_deadline(published_on: date, *, parameters: ParameterTable | None = None) -> date:
    """C. com. L622-26 al. 3: a creditor who missed the declaration deadline may ask the
    juge-commissaire for relief from foreclusion (relevé de forclusion) until the
    publication + the relief months, as in force on the publication day. Raises
    UnknownParameter for a publication no row covers."""
    table = parameters or insolvency_parameters()
    return add_months(published_on, table.at(RELIEF_MONTHS, published_on).whole)


class InvoiceDates(Protocol):
    """What tells when a debt arose: an invoice's issue date, and the day its goods were
    delivered or its service completed, when the creditor gave it."""

    @property
    def issue_date(self) -> date: ...

    @property
    def performed_on(self) -> date | None: ...


def arose_before(invoice: InvoiceDates, opened_on: date) -> bool:
    """Whether the debt arose before the opening judgment. Only such debts are stayed
    (C. com. L622-21), barred from payment (L622-7), declared (L622-24) and stop bearing
    interest (L622-28); a debt arising after is paid at its due date (L622-17). The debt
    arises with the performance; the judgment takes effect from its day (from its first
    hour, as the courts read it [2ary]), so a performance on that day is after it.
    Without the performance day, the issue date stands for it (an invoice is issued on
    delivery, C. com. L441-9), and an invoice issued on the opening day counts as before:
    it most likely bills the days before, and a claim wrongly left out of the declaration
    is lost (L622-26), where one declared in excess is only rejected."""
    if invoice.performed_on is not None:
        return invoice.performed_on < opened_on
    return invoice.issue_date <= opened_on


def any_arose_before(invoices: Iterable[InvoiceDates], opened_on: date) -> bool:
    """Whether proceedings opened on `opened_on` catch a claim of these invoices."""
    return any(arose_before(invoice, opened_on) for invoice in invoices)


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

    def concerns(self, invoices: Iterable[InvoiceDates]) -> bool:
        """Whether a claim is caught by these proceedings: one of its invoices is a debt
        that arose before the opening (arose_before). A claim of later debts only is left
        alone: it is chased as any other."""
        return any_arose_before(invoices, self.opened_on)

    def declaration_deadline(self, *, creditor_abroad: bool = False) -> date | None:
        """The last day to declare the claim to the mandataire (R622-24), or None while the
        publication date is not known."""
        if self.bodacc_published_on is None:
            return None
        return declaration_deadline(self.bodacc_published_on, creditor_abroad=creditor_abroad)
