"""The rate tables in force: those shipped with the code (`data/rates.json`) plus the rows
the platform operator publishes at run time (a new arrêté, an ECB decision), so that a new
rate needs no deployment. Pure: the stores (DynamoDB, the in-memory fake) keep the published
document; how it combines with the shipped one is decided here, once.
"""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

from domain.amounts.rates import RateTables


def shipped_document() -> dict[str, Any]:
    text = resources.files("domain.amounts").joinpath("data/rates.json").read_text(
        encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def merge(
    document: dict[str, Any],
    legal: list[dict[str, str]],
    ecb: list[dict[str, str]],
    ecb_known_through: str | None,
) -> dict[str, Any]:
    """Add or replace legal-rate half-years and ECB changes; validate the result.

    Raises ValueError when the merged tables are inconsistent (a gap, a bad rate)."""
    merged = copy.deepcopy(document)
    rows = {r["half_year"]: r for r in merged["legal_rate"]["half_years"]}
    rows.update({r["half_year"]: r for r in legal})
    merged["legal_rate"]["half_years"] = [rows[k] for k in sorted(rows)]
    section = merged["ecb_main_refinancing_rate"]
    changes = {r["effective_on"]: r for r in section["changes"]}
    changes.update({r["effective_on"]: r for r in ecb})
    section["changes"] = [changes[k] for k in sorted(changes)]
    if ecb_known_through:
        section["known_through"] = ecb_known_through
    RateTables.from_mapping(merged)  # raises ValueError on an inconsistent table
    return merged


def in_force(shipped: dict[str, Any], published: dict[str, Any] | None) -> dict[str, Any]:
    """The shipped tables plus what the operator published (the published rows win), so that
    rows a later deployment ships are not hidden by an earlier publication."""
    if published is None:
        return shipped
    known = max(str(published["ecb_main_refinancing_rate"]["known_through"]),
                str(shipped["ecb_main_refinancing_rate"]["known_through"]))
    return merge(shipped, published["legal_rate"]["half_years"],
                 published["ecb_main_refinancing_rate"]["changes"], known)
