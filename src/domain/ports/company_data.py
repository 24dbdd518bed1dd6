"""The port of public company data: what the BODACC published about a company's collective
proceedings, and whether the Sirene register records it as ceased. Both are public and
free (reference/judicial.md §6); the insolvency watch asks once per SIREN a day.

Only the facts the watch acts on are carried: the notice's identity (its id makes the next
day's run record nothing twice), the kind of proceedings, the court, the judgment's and the
publication's dates, and the mandataire (or liquidateur) the claim is declared to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol


class NoticeKind(StrEnum):
    """The proceedings a BODACC notice of the "procédures collectives" family is about."""

    SAUVEGARDE = "sauvegarde"
    REDRESSEMENT = "redressement"
    LIQUIDATION = "liquidation"
    OTHER = "other"  # a plan, a closure, a conciliation: nothing the watch records


@dataclass(frozen=True, slots=True)
class Mandataire:
    """Who the claim is declared to: the mandataire judiciaire, or the liquidateur in a
    liquidation (C. com. L622-20, L641-1), as the notice names them."""

    name: str
    street: str | None = None  # "23 RUE VICTOR HUGO"
    postal_code: str | None = None
    city: str | None = None

    @property
    def has_address(self) -> bool:
        return bool(self.street and self.postal_code and self.city)


@dataclass(frozen=True, slots=True)
class ProceedingsNotice:
    notice_id: str  # the BODACC record's id ("A202600123456")
    kind: NoticeKind
    opening: bool  # a judgment opening proceedings (ouverture, or liquidation pronounced)
    court: str
    judgment_on: date | None
    published_on: date
    nature: str  # the judgment's nature as published, for the person who checks it
    mandataire: Mandataire | None = None
    # A judgment that ends the proceedings (clôture for insufficient assets or for the
    # debts paid, the end of a sauvegarde or a redressement): an opening before it is
    # history, not proceedings the claims are under.
    closes: bool = False
    # A plan adopted (sauvegarde, redressement): the observation period ends, so an
    # opening after it (the plan rescinded, L626-27) is new proceedings, not a conversion.
    plan: bool = False


class CompanyState(StrEnum):
    ACTIVE = "A"  # etatAdministratifUniteLegale A: active
    CEASED = "C"  # C: cessée


@dataclass(frozen=True, slots=True)
class CompanyStatus:
    state: CompanyState
    since: date | None  # the start of the period in that state (dateDebut)


@dataclass(frozen=True, slots=True)
class CompanyFacts:
    siren: str
    notices: tuple[ProceedingsNotice, ...]
    status: CompanyStatus | None  # None: Sirene does not know the SIREN (or hides it)

    @property
    def openings(self) -> tuple[ProceedingsNotice, ...]:
        return tuple(n for n in self.notices if n.opening)


class CompanyDataUnavailable(Exception):
    """A source did not answer (down, throttled, refused the token): the SIREN is asked
    again on the next run; nothing is recorded from a partial answer."""


class CompanyData(Protocol):
    def company(self, siren: str) -> CompanyFacts:
        """Every collective-proceedings notice the BODACC holds for the SIREN, and its
        Sirene status. Raises CompanyDataUnavailable."""
        ...


class Pacer(Protocol):
    """The registers' pace, kept by the watch's runner: Sirene allows a number of requests
    a minute per key (a setting), and a run must stop before its Lambda is killed, leaving
    the SIRENs it did not reach to the next run."""

    def wait_turn(self) -> bool:
        """Wait until the next SIREN may be asked about; False when the run has no time
        left to ask and act on one more (the run then stops, having recorded nothing for
        it)."""
        ...
