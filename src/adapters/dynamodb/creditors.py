"""Creditors and API keys on the table: one item per creditor, two per key (one found by
the secret's hash at authentication, one listed under the creditor)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from adapters.dynamodb._table import Table, data, decode, n, s
from adapters.dynamodb.keys import tenant
from adapters.dynamodb.unit_of_work import Write
from domain.creditors.model import ApiKey, Creditor
from domain.shared.errors import Conflict, StaleVersion

if TYPE_CHECKING:
    from adapters.dynamodb.unit_of_work import DynamoUnitOfWork


def put(table: Table, item: dict[str, Any], condition: str,
        values: dict[str, Any] | None = None) -> dict[str, Any]:
    """A conditional Put action of a transaction."""
    action: dict[str, Any] = {"TableName": table.name, "Item": item,
                              "ConditionExpression": condition}
    if values:
        action["ExpressionAttributeValues"] = values
    return {"Put": action}


class DynamoCreditors:
    """Implements domain.ports.CreditorRepository."""

    def __init__(self, table: Table, uow: DynamoUnitOfWork) -> None:
        self.table, self.uow = table, uow

    def _item(self, creditor: Creditor) -> dict[str, Any]:
        return {"PK": s(tenant(creditor.id)), "SK": s("CREDITOR"), "entity": s("creditor"),
                "version": n(creditor.version), "data": data(creditor)}

    def get_creditor(self, creditor_id: str) -> Creditor | None:
        item = self.table.get(tenant(creditor_id), "CREDITOR")
        return decode(item, Creditor) if item else None

    def add_creditor(self, creditor: Creditor) -> None:
        self.uow.stage(Write(put(self.table, self._item(creditor), "attribute_not_exists(PK)"),
                             lambda: Conflict("creditor id collision; retry")))

    def save_creditor(self, creditor: Creditor, expected_version: int) -> None:
        self.uow.stage(Write(
            put(self.table, self._item(creditor), "version = :v", {":v": n(expected_version)}),
            lambda: StaleVersion("creditor changed since it was read")))


class DynamoApiKeys:
    """Implements domain.ports.ApiKeyRepository."""

    def __init__(self, table: Table, uow: DynamoUnitOfWork) -> None:
        self.table, self.uow = table, uow

    def _items(self, key: ApiKey) -> tuple[dict[str, Any], dict[str, Any]]:
        body = data(key)
        lookup = {"PK": s(f"APIKEY#{key.secret_hash}"), "SK": s("APIKEY"),
                  "entity": s("api_key"), "version": n(key.version), "data": body}
        listing = {"PK": s(tenant(key.creditor_id)), "SK": s(f"KEY#{key.id}"),
                   "entity": s("api_key"), "version": n(key.version), "data": body}
        return lookup, listing

    def _replace(self, key: ApiKey, expected_version: int) -> None:
        """Both items, only from the version read. A key written before keys had versions
        carries no `version` attribute: it is at version 0."""
        condition = ("attribute_exists(PK) AND (attribute_not_exists(version) OR version = :v)"
                     if expected_version == 0 else "version = :v")
        values = {":v": n(expected_version)}
        lookup, listing = self._items(key)
        stale = lambda: StaleVersion("api key changed since it was read")  # noqa: E731
        self.uow.stage(Write(put(self.table, lookup, condition, values), stale),
                       Write(put(self.table, listing, condition, values), stale))

    def add_api_key(self, key: ApiKey) -> None:
        lookup, listing = self._items(key)
        collision = lambda: Conflict("api key collision; retry")  # noqa: E731 - 256 random bits
        self.uow.stage(Write(put(self.table, lookup, "attribute_not_exists(PK)"), collision),
                       Write(put(self.table, listing, "attribute_not_exists(PK)"), collision))

    def find_api_key(self, secret_hash: str) -> ApiKey | None:
        item = self.table.get(f"APIKEY#{secret_hash}", "APIKEY")
        return decode(item, ApiKey) if item else None

    def list_api_keys(self, creditor_id: str) -> list[ApiKey]:
        return [decode(item, ApiKey)
                for item in self.table.query_all(tenant(creditor_id), "KEY#")]

    def save_api_key(self, key: ApiKey, expected_version: int) -> None:
        self._replace(key, expected_version)

    def revoke_api_key(self, creditor_id: str, key_id: str, at: datetime) -> ApiKey | None:
        item = self.table.get(tenant(creditor_id), f"KEY#{key_id}")
        if item is None:
            return None
        key = decode(item, ApiKey)
        if key.revoked_at is not None:
            return key
        revoked = replace(key, revoked_at=at, version=key.version + 1)
        self._replace(revoked, key.version)
        return revoked
