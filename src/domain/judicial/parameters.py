"""The judicial phase's dated parameters: court fees, tariffs, ceilings and deadlines, each
with the day it took effect, its source and whether that source is confirmed
(domain.shared.parameters; the names below stay importable from here).

The law changed twice in 2026 (décret 2026-96: an injonction de payer issued from
1 September 2026 must be served within 3 months, not 6; loi of 23 April 2026: a new
out-of-court B2B procedure whose decree and tariff are not out yet), and will again, so no
figure of this phase is a constant in code: each is read here for the day it applies to
(the order's date for a service deadline, the filing day for a fee). Data:
`domain/judicial/data/*.json`, and the collective proceedings' declaration periods of
`domain/debtors/data/insolvency.json` (the debtor's proceedings compute that deadline; the
phase reads the same rows, never a copy). Sources in `domain/judicial/SOURCES.md`.
"""

from __future__ import annotations

from domain.shared.parameters import (
    Parameter,
    ParameterTable,
    UnknownParameter,
    load_parameters,
)

__all__ = ["Parameter", "ParameterTable", "UnknownParameter", "judicial_parameters"]


def judicial_parameters() -> ParameterTable:
    """The shipped parameters of the phase, one table (cached by the loader)."""
    return load_parameters("domain.judicial", "domain.debtors")
