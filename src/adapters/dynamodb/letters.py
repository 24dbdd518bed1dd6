"""Letters on the table: one item per letter in its claim's partition (`LETTER#<id>`, its
content beside the record), a uniqueness item per structured reference, and a lookup item
per postal dispatch, listed in a sparse index (GSI1) while the letter is in flight."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import msgspec

from adapters.dynamodb._table import Table, data, decode, encoder, n, s
from adapters.dynamodb.creditors import put
from adapters.dynamodb.keys import (
    claim_pk,
    dispatch_pk,
    dispatches_in_flight,
    letter_sk,
    uniq_pk,
)
from adapters.dynamodb.unit_of_work import Write
from domain.letters.content import LetterContent
from domain.letters.model import Letter
from domain.ports.letters import DispatchRef
from domain.ports.repositories import Page
from domain.shared.errors import Conflict, StaleVersion

if TYPE_CHECKING:
    from adapters.dynamodb.unit_of_work import DynamoUnitOfWork


class DynamoLetters:
    """Implements domain.ports.letters.LetterRepository."""

    def __init__(self, table: Table, uow: DynamoUnitOfWork) -> None:
        self.table, self.uow = table, uow

    def _item(self, letter: Letter, content: LetterContent | None) -> dict[str, Any]:
        item = {"PK": s(claim_pk(letter.creditor_id, letter.claim_id)),
                "SK": s(letter_sk(letter.id)), "entity": s("letter"),
                "version": n(letter.version), "data": data(letter)}
        if content is not None:
            item["content"] = s(encoder.encode(content).decode())
        return item

    def get_letter(self, creditor_id: str, claim_id: str,
                   letter_id: str) -> tuple[Letter, LetterContent] | None:
        item = self.table.get(claim_pk(creditor_id, claim_id), letter_sk(letter_id))
        if item is None:
            return None
        return (decode(item, Letter),
                msgspec.json.decode(item["content"]["S"], type=LetterContent))

    def list_letters(self, creditor_id: str, claim_id: str) -> list[Letter]:
        items = self.table.query_all(claim_pk(creditor_id, claim_id), "LETTER#")
        return sorted((decode(item, Letter) for item in items),
                      key=lambda x: (x.requested_at, x.id))

    def add_letter(self, letter: Letter, content: LetterContent) -> None:
        self.uow.stage(Write(put(self.table, self._item(letter, content),
                                 "attribute_not_exists(PK)"),
                             lambda: Conflict("letter id collision; retry"), "letter"))

    def save_letter(self, letter: Letter, expected_version: int) -> None:
        # An update, so the content written once at the request stays as it was.
        self.uow.stage(Write({"Update": {
            "TableName": self.table.name,
            "Key": {"PK": s(claim_pk(letter.creditor_id, letter.claim_id)),
                    "SK": s(letter_sk(letter.id))},
            "UpdateExpression": "SET #data = :data, version = :new",
            "ConditionExpression": "version = :v",
            "ExpressionAttributeNames": {"#data": "data"},
            "ExpressionAttributeValues": {":data": data(letter), ":new": n(letter.version),
                                          ":v": n(expected_version)}}},
            lambda: StaleVersion("letter changed since it was read"), "letter"))

    def claim_of_reference(self, creditor_id: str, reference: str) -> str | None:
        item = self.table.get(uniq_pk(creditor_id, "RF", reference), "UNIQ")
        return item["owner"]["S"] if item else None

    def add_reference(self, creditor_id: str, reference: str, claim_id: str) -> None:
        item = {"PK": s(uniq_pk(creditor_id, "RF", reference)), "SK": s("UNIQ"),
                "entity": s("uniqueness"), "owner": s(claim_id)}
        action = put(self.table, item, "attribute_not_exists(PK) OR #owner = :owner",
                     {":owner": s(claim_id)})
        action["Put"]["ExpressionAttributeNames"] = {"#owner": "owner"}
        self.uow.stage(Write(action, lambda: Conflict(
            f"reference {reference} is another claim's", field_path="payment_reference")))

    def find_dispatch(self, provider: str, provider_id: str) -> DispatchRef | None:
        item = self.table.get(dispatch_pk(provider, provider_id), "DISPATCH")
        return decode(item, DispatchRef) if item else None

    def track_dispatch(self, ref: DispatchRef, in_flight: bool, updated_at: datetime) -> None:
        item = {"PK": s(dispatch_pk(ref.provider, ref.provider_id)), "SK": s("DISPATCH"),
                "entity": s("postal_dispatch"), "data": data(ref)}
        if in_flight:  # sparse: a delivered or returned letter leaves the index
            item["GSI1PK"] = s(dispatches_in_flight(ref.provider))
            item["GSI1SK"] = s(f"{updated_at.isoformat()}#{ref.provider_id}")
        # No condition: the claim item's version in the same transaction guards it.
        self.uow.stage(Write({"Put": {"TableName": self.table.name, "Item": item}}))

    def dispatches_in_flight(self, provider: str, limit: int,
                             cursor: str | None) -> Page[DispatchRef]:
        items, next_cursor = self.table.query(
            index="GSI1", pk_name="GSI1PK", pk=dispatches_in_flight(provider), limit=limit,
            cursor=cursor, sk_name="GSI1SK")
        return Page([decode(item, DispatchRef) for item in items], next_cursor)

