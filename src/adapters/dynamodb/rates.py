"""The rate rows the platform operator published, stored as one item on the table; how they
combine with the shipped tables is domain.amounts.rate_publication's. Read through a
five-minute cache: a warm function sees a publication within that time.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from domain.amounts.rate_publication import in_force, publish, shipped_document
from domain.amounts.rates import RateTables

__all__ = ["DynamoRateStore", "shipped_document"]

_KEY = {"PK": {"S": "PLATFORM"}, "SK": {"S": "RATES"}}


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

    def _published(self) -> dict[str, Any] | None:
        item = self.client.get_item(TableName=self.table, Key=_KEY).get("Item")
        return json.loads(item["data"]["S"]) if item else None

    def _load(self) -> tuple[dict[str, Any], RateTables]:
        if self._cached and self._cached[0] > self.clock():
            return self._cached[1], self._cached[2]
        document = in_force(shipped_document(), self._published())
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
        rows, document = publish(shipped_document(), self._published(), legal, ecb,
                                 ecb_known_through)
        self.client.put_item(
            TableName=self.table,
            Item={**_KEY, "entity": {"S": "rate_tables"}, "data": {"S": json.dumps(rows)}},
        )
        return document
