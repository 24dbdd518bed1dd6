"""Rate tables in force: the tables shipped with the code (domain/amounts/data/rates.json) plus
the rows the platform operator publishes at run time (a new arrêté, an ECB decision), stored as
one item on the table. A new rate needs no deployment.
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from importlib import resources
from typing import Any

from domain.amounts.rates import RateTables

_KEY = {"PK": {"S": "PLATFORM"}, "SK": {"S": "RATES"}}


def shipped_document() -> dict[str, Any]:
    text = resources.files("domain.amounts").joinpath("data/rates.json").read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def merge(
    document: dict[str, Any],
    legal: list[dict[str, str]],
    ecb: list[dict[str, str]],
    ecb_known_through: str | None,
) -> dict[str, Any]:
    """Add or replace legal-rate half-years and ECB changes; validate the result."""
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


class DynamoRateStore:
    def __init__(
        self,
        client: Any,
        table: str,
        cache_seconds: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.table = table
        self.cache_seconds = cache_seconds
        self.clock = clock
        self._cached: tuple[float, dict[str, Any], RateTables] | None = None

    def _load(self) -> tuple[dict[str, Any], RateTables]:
        if self._cached and self._cached[0] > self.clock():
            return self._cached[1], self._cached[2]
        item = self.client.get_item(TableName=self.table, Key=_KEY).get("Item")
        document = shipped_document()
        if item:
            # The shipped tables plus what the operator published (the published rows win):
            # rows a later deployment ships are not hidden by an earlier publication.
            stored = json.loads(item["data"]["S"])
            known = max(
                str(stored["ecb_main_refinancing_rate"]["known_through"]),
                str(document["ecb_main_refinancing_rate"]["known_through"]),
            )
            document = merge(
                document,
                stored["legal_rate"]["half_years"],
                stored["ecb_main_refinancing_rate"]["changes"],
                known,
            )
        tables = RateTables.from_mapping(document)
        self._cached = (self.clock() + self.cache_seconds, document, tables)
        return document, tables

    def rate_tables(self) -> RateTables:
        return self._load()[1]

    def document(self) -> dict[str, Any]:
        return self._load()[0]

    def publish(
        self, legal: list[dict[str, str]], ecb: list[dict[str, str]], ecb_known_through: str | None
    ) -> dict[str, Any]:
        self._cached = None
        merged = merge(self.document(), legal, ecb, ecb_known_through)
        self.client.put_item(
            TableName=self.table,
            Item={**_KEY, "entity": {"S": "rate_tables"}, "data": {"S": json.dumps(merged)}},
        )
        self._cached = None
        return merged
