"""The table's primitives: attribute values, reads, queries with safe cursors, the schema.

Writes are not here: they are staged on a unit of work (`unit_of_work.py`), which commits
them in one call.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, TypeVar

import msgspec

from adapters.dynamodb.keys import GSI_NAMES, KEYS_ONLY
from domain.ports.repositories import InvalidCursor

T = TypeVar("T")

encoder = msgspec.json.Encoder(decimal_format="string")


def s(value: str) -> dict[str, str]:
    return {"S": value}


def n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def data(value: object) -> dict[str, str]:
    """The msgspec JSON of a domain object, as the item's `data` attribute."""
    return s(encoder.encode(value).decode())


def decode(item: dict[str, Any], type_: type[T]) -> T:
    return msgspec.json.decode(item["data"]["S"], type=type_)


def encode_cursor(last_key: dict[str, Any] | None) -> str | None:
    if not last_key:
        return None
    plain = {name: value["S"] for name, value in last_key.items()}
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode()


def decode_cursor(
    cursor: str | None,
    partition: tuple[str, str],
    key_names: frozenset[str] | None = None,
    sort_key: tuple[str, Any] | None = None,
) -> dict[str, Any] | None:
    """Turn an opaque cursor back into an ExclusiveStartKey, refusing one that does not
    belong to the partition being queried (a forged cursor must not reach another tenant,
    nor make DynamoDB answer with a 500-worthy ValidationException).

    `key_names` are the exact attributes of a start key for the table or index queried;
    `sort_key` is (name, predicate): the start key must lie inside the key condition, as
    DynamoDB refuses a start key outside the query's boundaries."""
    if cursor is None:
        return None
    try:
        plain = json.loads(base64.urlsafe_b64decode(cursor.encode() + b"=="))
    except (ValueError, binascii.Error, UnicodeError, RecursionError):
        raise InvalidCursor() from None
    if (
        not isinstance(plain, dict)
        or plain.get(partition[0]) != partition[1]
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in plain.items())
        or len(plain) > 4
        or (key_names is not None and set(plain) != key_names)
        or (sort_key is not None and not sort_key[1](plain.get(sort_key[0], "")))
    ):
        raise InvalidCursor()
    return {name: s(value) for name, value in plain.items()}


class Table:
    """One DynamoDB table: the client and its name, and the reads every repository uses."""

    def __init__(self, client: Any, name: str) -> None:
        self.client = client
        self.name = name

    def get(self, pk: str, sk: str) -> dict[str, Any] | None:
        response = self.client.get_item(TableName=self.name, Key={"PK": s(pk), "SK": s(sk)})
        item: dict[str, Any] | None = response.get("Item")
        return item

    def batch_get(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        """Items by (PK, SK) in one BatchGetItem (unprocessed keys retried, as the API asks)."""
        found: dict[tuple[str, str], dict[str, Any]] = {}
        request: dict[str, Any] = {
            self.name: {"Keys": [{"PK": s(pk), "SK": s(sk)} for pk, sk in keys]}}
        for _ in range(5):
            response = self.client.batch_get_item(RequestItems=request)
            for item in response.get("Responses", {}).get(self.name, []):
                found[(item["PK"]["S"], item["SK"]["S"])] = item
            request = response.get("UnprocessedKeys") or {}
            if not request:
                break
        return found

    def query(
        self,
        *,
        index: str | None,
        pk_name: str,
        pk: str,
        limit: int,
        cursor: str | None,
        sk_name: str | None = None,
        sk_between: tuple[str, str] | None = None,
        sk_prefix: str | None = None,
        filter_expression: str | None = None,
        filter_values: dict[str, Any] | None = None,
        forward: bool = True,
    ) -> tuple[list[dict[str, Any]], str | None]:
        condition = "#pk = :pk"
        names = {"#pk": pk_name}
        values: dict[str, Any] = {":pk": s(pk)}
        if sk_name and sk_between:
            condition += " AND #sk BETWEEN :lo AND :hi"
            names["#sk"] = sk_name
            values[":lo"], values[":hi"] = s(sk_between[0]), s(sk_between[1])
        elif sk_name and sk_prefix:
            condition += " AND begins_with(#sk, :prefix)"
            names["#sk"] = sk_name
            values[":prefix"] = s(sk_prefix)
        request: dict[str, Any] = {
            "TableName": self.name,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            "Limit": limit,
            "ScanIndexForward": forward,
        }
        if index:
            request["IndexName"] = index
        if filter_expression:
            request["FilterExpression"] = filter_expression
            values.update(filter_values or {})
        key_names = frozenset({"PK", "SK", pk_name, f"{index}SK"} if index else {"PK", "SK"})
        in_range: Any = None
        if sk_name and sk_between:
            lo, hi = sk_between
            in_range = (sk_name, lambda sk: lo <= sk <= hi)
        elif sk_name and sk_prefix:
            prefix = sk_prefix
            in_range = (sk_name, lambda sk: sk.startswith(prefix))
        start = decode_cursor(cursor, (pk_name, pk), key_names, in_range)
        if start:
            request["ExclusiveStartKey"] = start
        response = self.client.query(**request)
        return response.get("Items", []), encode_cursor(response.get("LastEvaluatedKey"))

    def query_all(self, pk: str, sk_prefix: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        cursor = None
        while True:
            page, cursor = self.query(index=None, pk_name="PK", pk=pk, sk_name="SK",
                                      sk_prefix=sk_prefix, limit=100, cursor=cursor)
            items.extend(page)
            if cursor is None:
                return items


def create_table(client: Any, table: str) -> None:
    """Create the table as template.yaml declares it (local runner and tests)."""
    attributes = [
        {"AttributeName": n, "AttributeType": "S"}
        for n in ("PK", "SK", *(f"{g}{k}" for g in GSI_NAMES for k in ("PK", "SK")))
    ]
    client.create_table(
        TableName=table,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=attributes,
        KeySchema=[
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": g,
                "KeySchema": [
                    {"AttributeName": f"{g}PK", "KeyType": "HASH"},
                    {"AttributeName": f"{g}SK", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY" if g in KEYS_ONLY else "ALL"},
            }
            for g in GSI_NAMES
        ],
    )
    client.get_waiter("table_exists").wait(TableName=table)
    client.update_time_to_live(
        TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"}
    )
