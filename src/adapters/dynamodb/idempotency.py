"""Idempotency records for POST requests, on the same DynamoDB table.

A record is claimed with one conditional PutItem (`in_progress`); when the key is already
taken, the failed condition returns the stored record in the same call, so a replay costs
one round trip. Completed records keep the response for 24 hours (TTL `expires_at`).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

RETENTION_SECONDS = 24 * 3600
# A request that died between claim and completion must not block its key forever.
IN_PROGRESS_SECONDS = 60


@dataclass(frozen=True, slots=True)
class StoredResponse:
    request_hash: str
    status: str  # in_progress | completed | unknown
    status_code: int = 0
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] | None = None
    locked_until: float = 0.0


class DynamoIdempotencyStore:
    def __init__(self, client: Any, table: str) -> None:
        self.client = client
        self.table = table

    @staticmethod
    def _key(scope: str, key: str) -> dict[str, Any]:
        return {"PK": {"S": f"T#{scope}#IDEM#{key}"}, "SK": {"S": "IDEM"}}

    def claim(self, scope: str, key: str, request_hash: str) -> StoredResponse | None:
        """Take the key for this request; return the existing record if someone has it."""
        now = time.time()
        item = {
            **self._key(scope, key),
            "entity": {"S": "idempotency"},
            "request_hash": {"S": request_hash},
            "status": {"S": "in_progress"},
            "locked_until": {"N": str(int(now + IN_PROGRESS_SECONDS))},
            "expires_at": {"N": str(int(now + RETENTION_SECONDS))},
        }
        try:
            self.client.put_item(
                TableName=self.table,
                Item=item,
                ConditionExpression="attribute_not_exists(PK) OR (#s = :p AND locked_until < :now)",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={
                    ":p": {"S": "in_progress"},
                    ":now": {"N": str(int(now))},
                },
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            old = exc.response.get("Item")
            if old is None:  # some emulators do not return the old item
                old = self.client.get_item(TableName=self.table, Key=self._key(scope, key)).get(
                    "Item"
                )
            if old is None:
                return self.claim(scope, key, request_hash)
            return _stored(old)
        return None

    def complete(
        self,
        scope: str,
        key: str,
        status_code: int,
        body: bytes,
        content_type: str,
        headers: dict[str, str],
    ) -> None:

        self.client.update_item(
            TableName=self.table,
            Key=self._key(scope, key),
            UpdateExpression="SET #s = :c, status_code = :code, body = :body, "
            "content_type = :ct, response_headers = :h",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={
                ":c": {"S": "completed"},
                ":code": {"N": str(status_code)},
                ":body": {"B": body},
                ":ct": {"S": content_type},
                ":h": {"S": json.dumps(headers)},
            },
        )

    def mark_unknown(self, scope: str, key: str) -> None:
        """Keep a key whose request failed with a server error: it may have written."""
        self.client.update_item(
            TableName=self.table,
            Key=self._key(scope, key),
            UpdateExpression="SET #s = :u",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":u": {"S": "unknown"}},
        )

    def release(self, scope: str, key: str) -> None:
        """Forget a key whose request failed, so the client may retry with it."""
        self.client.delete_item(TableName=self.table, Key=self._key(scope, key))


def _stored(item: dict[str, Any]) -> StoredResponse:

    return StoredResponse(
        request_hash=item["request_hash"]["S"],
        status=item["status"]["S"],
        status_code=int(item.get("status_code", {"N": "0"})["N"]),
        body=bytes(item.get("body", {"B": b""})["B"]),
        content_type=item.get("content_type", {"S": "application/json"})["S"],
        headers=json.loads(item["response_headers"]["S"]) if "response_headers" in item else None,
        locked_until=float(item.get("locked_until", {"N": "0"})["N"]),
    )
