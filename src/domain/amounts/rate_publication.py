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


def publish(
    shipped: dict[str, Any],
    previous: dict[str, Any] | None,
    legal: list[dict[str, str]],
    ecb: list[dict[str, str]],
    ecb_known_through: str | None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The operator's rows to store after this publication, and the tables then in force.

    Raises ValueError when the publication contradicts the tables in force (a gap, a bad
    rate, a `known_through` before a decision already known)."""
    merge(in_force(shipped, previous), legal, ecb, ecb_known_through)
    rows = publication(previous, legal, ecb, ecb_known_through)
    return rows, in_force(shipped, rows)


def publication(
    previous: dict[str, Any] | None,
    legal: list[dict[str, str]],
    ecb: list[dict[str, str]],
    ecb_known_through: str | None,
) -> dict[str, Any]:
    """The operator's own rows after this publication: what it published before, with these
    rows added or replaced. Only these are stored, never a copy of the shipped tables, so a
    row a later deployment corrects is not masked by a stale copy of it."""
    before = previous or {"legal_rate": {"half_years": []},
                          "ecb_main_refinancing_rate": {"changes": [], "known_through": None}}
    rows = {r["half_year"]: r for r in before["legal_rate"]["half_years"]}
    rows.update({r["half_year"]: r for r in legal})
    section = before["ecb_main_refinancing_rate"]
    changes = {r["effective_on"]: r for r in section["changes"]}
    changes.update({r["effective_on"]: r for r in ecb})
    return {"legal_rate": {"half_years": [rows[k] for k in sorted(rows)]},
            "ecb_main_refinancing_rate": {
                "changes": [changes[k] for k in sorted(changes)],
                "known_through": ecb_known_through or section.get("known_through")}}


def in_force(shipped: dict[str, Any], published: dict[str, Any] | None) -> dict[str, Any]:
    """The shipped tables plus the operator's rows (which win on the same half-year or
    decision date), known through the later of the two dates.

    Raises ValueError when the combination is inconsistent (a gap, a bad rate)."""
    if published is None:
        return shipped
    section = published["ecb_main_refinancing_rate"]
    known = max(str(section.get("known_through") or ""),
                str(shipped["ecb_main_refinancing_rate"]["known_through"]))
    return merge(shipped, published["legal_rate"]["half_years"], section["changes"], known)
