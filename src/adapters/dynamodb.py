"""The single-table DynamoDB adapter for every repository port.

Keys are prefixed by creditor (`T#<creditor>#...`) so that no query can cross tenants; the
key design is in infra/README.md. Each aggregate is stored as one item whose `data`
attribute holds the msgspec JSON of the domain object, beside the key and index attributes
the queries need: one GetItem reads a whole claim, one TransactWriteItems writes a change
with its timeline events, conditional on the claim's version.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec
from botocore.exceptions import ClientError

from domain.claims.model import Claim, ClaimEvent
from domain.creditors.model import ApiKey, Creditor
from domain.debtors.model import Debtor
from domain.ports import ClaimFilter, Page, PageRequest
from domain.shared.errors import Conflict, DomainValidationError, StaleVersion

if TYPE_CHECKING:
    from domain.amounts.account import ClaimAccount

T = TypeVar("T")

GSI_NAMES = ("GSI1", "GSI2", "GSI3")
# The claim's account (payments, promises, plan) sorts right after the claim's META item.
ACCOUNT_SK = "META#ACCOUNT"

_encoder = msgspec.json.Encoder(decimal_format="string")


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def _decode(item: dict[str, Any], type_: type[T]) -> T:
    return msgspec.json.decode(item["data"]["S"], type=type_)


class InvalidCursor(DomainValidationError):
    def __init__(self) -> None:
        super().__init__("cursor", "not a cursor this list returned", code="invalid_cursor")


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
    return {name: _s(value) for name, value in plain.items()}


def _is_item_too_large(exc: ClientError) -> bool:
    error = exc.response.get("Error", {})
    message = str(error.get("Message", ""))
    reasons = exc.response.get("CancellationReasons") or []
    return (error.get("Code") == "ValidationException" and "size has exceeded" in message) or (
        any(r.get("Code") == "ValidationError" and "size" in str(r.get("Message", ""))
            for r in reasons)
    )


def _tenant(creditor_id: str) -> str:
    return f"T#{creditor_id}"


def claim_pk(creditor_id: str, claim_id: str) -> str:
    return f"T#{creditor_id}#CLAIM#{claim_id}"


def debtor_pk(creditor_id: str, debtor_id: str) -> str:
    return f"T#{creditor_id}#DEBTOR#{debtor_id}"


def _uniq_pk(creditor_id: str, kind: str, value: str) -> str:
    return f"T#{creditor_id}#UNIQ#{kind}#{value}"


class DynamoRepository:
    """Implements domain.ports.Repository on one DynamoDB table."""

    def __init__(self, client: Any, table: str) -> None:
        self.client = client
        self.table = table

    # ------------------------------------------------------------ helpers
    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        response = self.client.get_item(TableName=self.table, Key={"PK": _s(pk), "SK": _s(sk)})
        item: dict[str, Any] | None = response.get("Item")
        return item

    def _put(
        self, item: dict[str, Any], condition: str, values: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        put: dict[str, Any] = {
            "TableName": self.table,
            "Item": item,
            "ConditionExpression": condition,
        }
        if values:
            put["ExpressionAttributeValues"] = values
        return put

    def _transact(self, puts: list[dict[str, Any]], too_large: str = "") -> list[str]:
        """Run a write transaction; return the cancellation codes ([] on success).

        An item over DynamoDB's 400 KB limit is the caller's input being too big: it is
        answered as invalid input naming `too_large`, not as an internal error."""
        try:
            self.client.transact_write_items(TransactItems=puts)
        except ClientError as exc:
            if _is_item_too_large(exc):
                raise DomainValidationError(
                    too_large, "too much data to store in one object (400 KB at most)",
                    code="too_large",
                ) from None
            if exc.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            reasons = exc.response.get("CancellationReasons") or []
            codes = [r.get("Code", "None") for r in reasons]
            if "ConditionalCheckFailed" not in codes:
                raise
            return codes
        return []

    def _query(
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
        values: dict[str, Any] = {":pk": _s(pk)}
        if sk_name and sk_between:
            condition += " AND #sk BETWEEN :lo AND :hi"
            names["#sk"] = sk_name
            values[":lo"], values[":hi"] = _s(sk_between[0]), _s(sk_between[1])
        elif sk_name and sk_prefix:
            condition += " AND begins_with(#sk, :prefix)"
            names["#sk"] = sk_name
            values[":prefix"] = _s(sk_prefix)
        request: dict[str, Any] = {
            "TableName": self.table,
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

    # ------------------------------------------------------------ creditors
    def _creditor_item(self, creditor: Creditor) -> dict[str, Any]:
        return {
            "PK": _s(_tenant(creditor.id)),
            "SK": _s("CREDITOR"),
            "entity": _s("creditor"),
            "version": _n(creditor.version),
            "data": _s(_encoder.encode(creditor).decode()),
        }

    def get_creditor(self, creditor_id: str) -> Creditor | None:
        item = self._get(_tenant(creditor_id), "CREDITOR")
        return _decode(item, Creditor) if item else None

    def add_creditor(self, creditor: Creditor) -> None:
        self.client.put_item(**self._put(self._creditor_item(creditor), "attribute_not_exists(PK)"))

    def save_creditor(self, creditor: Creditor, expected_version: int) -> None:
        try:
            self.client.put_item(
                **self._put(
                    self._creditor_item(creditor), "version = :v", {":v": _n(expected_version)}
                )
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise StaleVersion("creditor changed since it was read") from None
            raise

    # ------------------------------------------------------------ API keys
    def _key_items(self, key: ApiKey) -> tuple[dict[str, Any], dict[str, Any]]:
        data = _s(_encoder.encode(key).decode())
        lookup = {
            "PK": _s(f"APIKEY#{key.secret_hash}"),
            "SK": _s("APIKEY"),
            "entity": _s("api_key"),
            "data": data,
        }
        listing = {
            "PK": _s(_tenant(key.creditor_id)),
            "SK": _s(f"KEY#{key.id}"),
            "entity": _s("api_key"),
            "data": data,
        }
        return lookup, listing

    def add_api_key(self, key: ApiKey) -> None:
        lookup, listing = self._key_items(key)
        self._transact(
            [
                {"Put": self._put(lookup, "attribute_not_exists(PK)")},
                {"Put": self._put(listing, "attribute_not_exists(PK)")},
            ]
        )

    def find_api_key(self, secret_hash: str) -> ApiKey | None:
        item = self._get(f"APIKEY#{secret_hash}", "APIKEY")
        return _decode(item, ApiKey) if item else None

    def list_api_keys(self, creditor_id: str) -> list[ApiKey]:
        keys: list[ApiKey] = []
        cursor = None
        while True:
            items, cursor = self._query(
                index=None,
                pk_name="PK",
                pk=_tenant(creditor_id),
                sk_name="SK",
                sk_prefix="KEY#",
                limit=100,
                cursor=cursor,
            )
            keys.extend(_decode(item, ApiKey) for item in items)
            if cursor is None:
                return keys

    def revoke_api_key(self, creditor_id: str, key_id: str, at: datetime) -> ApiKey | None:
        item = self._get(_tenant(creditor_id), f"KEY#{key_id}")
        if item is None:
            return None
        key = _decode(item, ApiKey)
        if key.revoked_at is not None:
            return key
        revoked = replace(key, revoked_at=at)
        lookup, listing = self._key_items(revoked)
        self._transact(
            [
                {"Put": self._put(lookup, "attribute_exists(PK)")},
                {"Put": self._put(listing, "attribute_exists(PK)")},
            ]
        )
        return revoked

    # ------------------------------------------------------------ debtors
    def _debtor_item(self, debtor: Debtor) -> dict[str, Any]:
        created = debtor.created_at.isoformat() if debtor.created_at else ""
        return {
            "PK": _s(debtor_pk(debtor.creditor_id, debtor.id)),
            "SK": _s("META"),
            "entity": _s("debtor"),
            "version": _n(debtor.version),
            "GSI1PK": _s(f"{_tenant(debtor.creditor_id)}#DEBTORS"),
            "GSI1SK": _s(f"{created}#{debtor.id}"),
            "data": _s(_encoder.encode(debtor).decode()),
        }

    def _reference_item(self, creditor_id: str, reference: str, owner: str) -> dict[str, Any]:
        return {
            "PK": _s(_uniq_pk(creditor_id, "DEBTORREF", reference)),
            "SK": _s("UNIQ"),
            "entity": _s("uniqueness"),
            "owner": _s(owner),
        }

    def get_debtor(self, creditor_id: str, debtor_id: str) -> Debtor | None:
        item = self._get(debtor_pk(creditor_id, debtor_id), "META")
        return _decode(item, Debtor) if item else None

    def get_debtor_with_creditor(self, creditor_id: str,
                                 debtor_id: str) -> tuple[Debtor | None, Creditor | None]:
        """Both in one BatchGetItem: opening a claim needs the debtor (it must exist in this
        tenant) and the creditor (its time zone decides whether the claim is pre-due)."""
        keys = {"debtor": {"PK": _s(debtor_pk(creditor_id, debtor_id)), "SK": _s("META")},
                "creditor": {"PK": _s(_tenant(creditor_id)), "SK": _s("CREDITOR")}}
        found: dict[str, dict[str, Any]] = {}
        request: dict[str, Any] = {self.table: {"Keys": list(keys.values())}}
        for _ in range(5):  # unprocessed keys are retried, as the API asks
            response = self.client.batch_get_item(RequestItems=request)
            for item in response.get("Responses", {}).get(self.table, []):
                found[item["SK"]["S"]] = item
            request = response.get("UnprocessedKeys") or {}
            if not request:
                break
        debtor_item, creditor_item = found.get("META"), found.get("CREDITOR")
        return (_decode(debtor_item, Debtor) if debtor_item else None,
                _decode(creditor_item, Creditor) if creditor_item else None)

    def add_debtor(self, debtor: Debtor) -> None:
        writes = [{"Put": self._put(self._debtor_item(debtor), "attribute_not_exists(PK)")}]
        if debtor.external_reference:
            writes.append(
                {
                    "Put": self._put(
                        self._reference_item(
                            debtor.creditor_id, debtor.external_reference, debtor.id
                        ),
                        "attribute_not_exists(PK)",
                    )
                }
            )
        codes = self._transact(writes, too_large="contact_points")
        if codes:
            raise Conflict(
                f"external reference {debtor.external_reference!r} is already used "
                "by another debtor",
                field_path="external_reference",
            )

    def save_debtor(
        self, debtor: Debtor, expected_version: int, previous_reference: str | None
    ) -> None:
        writes: list[dict[str, Any]] = [
            {
                "Put": self._put(
                    self._debtor_item(debtor), "version = :v", {":v": _n(expected_version)}
                )
            }
        ]
        if debtor.external_reference != previous_reference:
            if debtor.external_reference:
                writes.append(
                    {
                        "Put": self._put(
                            self._reference_item(
                                debtor.creditor_id, debtor.external_reference, debtor.id
                            ),
                            "attribute_not_exists(PK)",
                        )
                    }
                )
            if previous_reference:
                writes.append(
                    {
                        "Delete": {
                            "TableName": self.table,
                            "Key": {
                                "PK": _s(
                                    _uniq_pk(debtor.creditor_id, "DEBTORREF", previous_reference)
                                ),
                                "SK": _s("UNIQ"),
                            },
                        }
                    }
                )
        codes = self._transact(writes, too_large="contact_points")
        if codes and codes[0] == "ConditionalCheckFailed":
            raise StaleVersion("debtor changed since it was read")
        if codes:
            raise Conflict(
                f"external reference {debtor.external_reference!r} is already used "
                "by another debtor",
                field_path="external_reference",
            )

    def list_debtors(self, creditor_id: str, page: PageRequest) -> Page[Debtor]:
        items, cursor = self._query(
            index="GSI1",
            pk_name="GSI1PK",
            pk=f"{_tenant(creditor_id)}#DEBTORS",
            limit=page.limit,
            cursor=page.cursor,
        )
        return Page([_decode(item, Debtor) for item in items], cursor)

    # ------------------------------------------------------------ claims
    def _claim_item(self, claim: Claim) -> dict[str, Any]:
        tenant = _tenant(claim.creditor_id)
        order = f"{claim.earliest_due_date.isoformat()}#{claim.id}"
        return {
            "PK": _s(claim_pk(claim.creditor_id, claim.id)),
            "SK": _s("META"),
            "entity": _s("claim"),
            "version": _n(claim.version),
            "phase": _s(claim.phase.value),
            "GSI1PK": _s(f"{tenant}#CLAIMS"),
            "GSI1SK": _s(order),
            "GSI2PK": _s(f"{tenant}#PHASE#{claim.phase.value}"),
            "GSI2SK": _s(order),
            "GSI3PK": _s(f"{tenant}#DEBTOR#{claim.debtor_id}"),
            "GSI3SK": _s(order),
            "data": _s(_encoder.encode(claim).decode()),
        }

    def _event_item(self, creditor_id: str, event: ClaimEvent) -> dict[str, Any]:
        # The sequence number alone orders the timeline (clocks of two Lambdas may disagree
        # by a few milliseconds); the instant is kept in the item's data.
        return {
            "PK": _s(claim_pk(creditor_id, event.claim_id)),
            "SK": _s(f"EVT#{event.seq:08d}"),
            "entity": _s("claim_event"),
            "data": _s(_encoder.encode(event).decode()),
        }

    def get_claim(self, creditor_id: str, claim_id: str) -> Claim | None:
        item = self._get(claim_pk(creditor_id, claim_id), "META")
        return _decode(item, Claim) if item else None

    def add_claim(self, claim: Claim, event: ClaimEvent,
                  account: ClaimAccount | None = None) -> None:
        writes: list[dict[str, Any]] = [
            {"Put": self._put(self._claim_item(claim), "attribute_not_exists(PK)")},
            {
                "Put": self._put(
                    self._event_item(claim.creditor_id, event), "attribute_not_exists(PK)"
                )
            },
        ]
        for invoice in claim.invoices:
            writes.append(
                {
                    "Put": self._put(
                        {
                            "PK": _s(_uniq_pk(claim.creditor_id, "INVOICE", invoice.number)),
                            "SK": _s("UNIQ"),
                            "entity": _s("uniqueness"),
                            "owner": _s(claim.id),
                        },
                        "attribute_not_exists(PK)",
                    )
                }
            )
        if claim.external_reference:
            writes.append(
                {
                    "Put": self._put(
                        {
                            "PK": _s(
                                _uniq_pk(claim.creditor_id, "CLAIMREF", claim.external_reference)
                            ),
                            "SK": _s("UNIQ"),
                            "entity": _s("uniqueness"),
                            "owner": _s(claim.id),
                        },
                        "attribute_not_exists(PK)",
                    )
                }
            )
        if account is not None:
            writes.append(self._account_put(claim, account))
        codes = self._transact(writes)
        if not codes:
            return
        failed = [i for i, code in enumerate(codes) if code == "ConditionalCheckFailed"]
        first = failed[0]
        if 2 <= first < 2 + len(claim.invoices):
            number = claim.invoices[first - 2].number
            raise Conflict(
                f"invoice number {number!r} is already in another claim",
                field_path=f"invoices[{first - 2}].number",
            )
        if first >= 2:
            raise Conflict(
                f"external reference {claim.external_reference!r} is already used",
                field_path="external_reference",
            )
        raise Conflict("claim id collision; retry")  # pragma: no cover - 128 random bits

    def _account_put(self, claim: Claim, account: ClaimAccount) -> dict[str, Any]:
        # No condition of its own: the claim item's condition in the same transaction
        # guards the pair.
        return {"Put": {"TableName": self.table, "Item": {
            "PK": _s(claim_pk(claim.creditor_id, claim.id)), "SK": _s(ACCOUNT_SK),
            "entity": _s("claim_account"), "data": _s(_encoder.encode(account).decode())}}}

    def get_claim_account(self, creditor_id: str,
                          claim_id: str) -> tuple[Claim, ClaimAccount] | None:
        """The claim and its account in one Query: both items sort under `META`."""
        from domain.amounts.account import ClaimAccount  # not on the path of a plain claim read

        response = self.client.query(
            TableName=self.table, KeyConditionExpression="PK = :pk AND begins_with(SK, :meta)",
            ExpressionAttributeValues={":pk": _s(claim_pk(creditor_id, claim_id)),
                                       ":meta": _s("META")})
        items = {item["SK"]["S"]: item for item in response.get("Items", [])}
        if "META" not in items:
            return None
        account_item = items.get(ACCOUNT_SK)
        account = _decode(account_item, ClaimAccount) if account_item else ClaimAccount()
        return _decode(items["META"], Claim), account

    def save_claim(self, claim: Claim, events: list[ClaimEvent], expected_version: int,
                   account: ClaimAccount | None = None) -> None:
        writes: list[dict[str, Any]] = [
            {
                "Put": self._put(
                    self._claim_item(claim), "version = :v", {":v": _n(expected_version)}
                )
            }
        ]
        if account is not None:
            writes.append(self._account_put(claim, account))
        writes += [
            {
                "Put": self._put(
                    self._event_item(claim.creditor_id, event), "attribute_not_exists(PK)"
                )
            }
            for event in events
        ]
        if self._transact(writes):
            raise StaleVersion("claim changed since it was read")

    def list_claims(self, creditor_id: str, filters: ClaimFilter, page: PageRequest) -> Page[Claim]:
        tenant = _tenant(creditor_id)
        lo = filters.due_after.isoformat() + "#~" if filters.due_after else "0000"
        hi = filters.due_before.isoformat() + "#" if filters.due_before else "~"
        between = (lo, hi) if (filters.due_after or filters.due_before) else None
        if between and lo > hi:  # an empty range; DynamoDB refuses BETWEEN with lo > hi
            if page.cursor:
                raise InvalidCursor()  # no page of an empty range has a next one
            return Page([], None)
        filter_expression, filter_values = None, None
        if filters.debtor_id:
            index, pk_name, pk = "GSI3", "GSI3PK", f"{tenant}#DEBTOR#{filters.debtor_id}"
            if filters.phase:
                filter_expression = "phase = :phase"
                filter_values = {":phase": _s(filters.phase.value)}
        elif filters.phase:
            index, pk_name, pk = "GSI2", "GSI2PK", f"{tenant}#PHASE#{filters.phase.value}"
        else:
            index, pk_name, pk = "GSI1", "GSI1PK", f"{tenant}#CLAIMS"
        items, cursor = self._query(
            index=index,
            pk_name=pk_name,
            pk=pk,
            limit=page.limit,
            cursor=page.cursor,
            sk_name=pk_name.replace("PK", "SK"),
            sk_between=between,
            filter_expression=filter_expression,
            filter_values=filter_values,
        )
        return Page([_decode(item, Claim) for item in items], cursor)

    def list_events(self, creditor_id: str, claim_id: str, page: PageRequest) -> Page[ClaimEvent]:
        items, cursor = self._query(
            index=None,
            pk_name="PK",
            pk=claim_pk(creditor_id, claim_id),
            sk_name="SK",
            sk_prefix="EVT#",
            limit=page.limit,
            cursor=page.cursor,
        )
        return Page([_decode(item, ClaimEvent) for item in items], cursor)

    def claims_of_debtor(self, creditor_id: str, debtor_id: str) -> list[Claim]:
        claims: list[Claim] = []
        cursor = None
        while True:
            page = self.list_claims(
                creditor_id, ClaimFilter(debtor_id=debtor_id), PageRequest(100, cursor)
            )
            claims.extend(page.items)
            cursor = page.next_cursor
            if cursor is None:
                return claims


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
                "Projection": {"ProjectionType": "ALL"},
            }
            for g in GSI_NAMES
        ],
    )
    client.get_waiter("table_exists").wait(TableName=table)
    client.update_time_to_live(
        TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"}
    )
