"""Publishing rates: a new half-year's legal rate (arrêté) or an ECB decision is data an
operator publishes, not code a deployment ships (C. monét. fin. L313-2; C. com. L441-10)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain.services.caller import Ports
from domain.shared.dates import outside_window
from domain.shared.errors import DomainValidationError


@dataclass(frozen=True, slots=True)
class LegalRate:
    half_year: str  # "2026-S2"
    particulier: str  # percent, for a creditor's claim on a natural person (consumer)
    autres_cas: str  # percent, every other case
    source: str  # the arrêté and its publication in the Journal officiel


@dataclass(frozen=True, slots=True)
class EcbDecision:
    effective_on: date
    rate: str  # the main refinancing operations rate, percent
    source: str


@dataclass(frozen=True, slots=True)
class RatesPublication:
    legal: list[LegalRate] = field(default_factory=list)
    ecb: list[EcbDecision] = field(default_factory=list)
    ecb_known_through: date | None = None


def publish_rates(cmd: RatesPublication, ports: Ports) -> dict[str, Any]:
    """Add or replace rows of the rate tables; return the tables now in force.

    Raises
    ------
    DomainValidationError
        A date outside the accepted window.
    ValueError
        The merged tables would be inconsistent (answered 422 `invalid-rate-table`).
    """
    today = ports.clock.now().date()
    errors = [e for e in [outside_window(d.effective_on, today, f"ecb_changes[{i}].effective_on")
                          for i, d in enumerate(cmd.ecb)]
              + [outside_window(cmd.ecb_known_through, today, "ecb_known_through")]
              if e is not None]
    if errors:
        raise DomainValidationError.many(errors)
    return ports.rates.publish(
        legal=[{"half_year": r.half_year, "particulier": r.particulier,
                "autres_cas": r.autres_cas, "source": r.source} for r in cmd.legal],
        ecb=[{"effective_on": d.effective_on.isoformat(), "rate": d.rate, "source": d.source}
             for d in cmd.ecb],
        ecb_known_through=cmd.ecb_known_through.isoformat() if cmd.ecb_known_through else None,
    )


def rate_tables_document(ports: Ports) -> dict[str, Any]:
    """The tables in force, each row with its source."""
    return ports.rates.document()
