"""Claims on the table: the claim item (read in one GetItem), its account item beside it
(payments, promises, plan), one item per timeline event, and one uniqueness item per
invoice number and external reference. Listed through GSI1 (all), GSI2 (by phase) and
GSI3 (by debtor), earliest due date first."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from adapters.dynamodb._table import Table, data, decode, n, s
from adapters.dynamodb.creditors import put
from adapters.dynamodb.keys import (
    ACCOUNT_SK,
    claim_pk,
    debtor_pk,
    due_pk,
    due_shard,
    event_sk,
    tenant,
    uniq_pk,
    watch_pk,
    watch_shard,
    watch_sk,
)
from adapters.dynamodb.unit_of_work import Write
from domain.claims.model import Claim, ClaimEvent, Phase
from domain.ports.repositories import (
    ClaimFilter,
    InvalidCursor,
    Page,
    PageRequest,
    claim_reference_taken,
    invoice_number_taken,
)
from domain.shared.errors import Conflict, StaleVersion

if TYPE_CHECKING:
    from adapters.dynamodb.unit_of_work import DynamoUnitOfWork
    from domain.amounts.account import ClaimAccount
    from domain.creditors.model import Creditor
    from domain.debtors.model import Debtor


class DynamoClaims:
    """Implements domain.ports.ClaimRepository."""

    def __init__(self, table: Table, uow: DynamoUnitOfWork) -> None:
        self.table, self.uow = table, uow

    def _item(self, claim: Claim) -> dict[str, Any]:
        t = tenant(claim.creditor_id)
        order = f"{claim.earliest_due_date.isoformat()}#{claim.id}"
        return {
            "PK": s(claim_pk(claim.creditor_id, claim.id)), "SK": s("META"),
            "entity": s("claim"), "version": n(claim.version), "phase": s(claim.phase.value),
            "GSI1PK": s(f"{t}#CLAIMS"), "GSI1SK": s(order),
            "GSI2PK": s(f"{t}#PHASE#{claim.phase.value}"), "GSI2SK": s(order),
            "GSI3PK": s(f"{t}#DEBTOR#{claim.debtor_id}"), "GSI3SK": s(order),
            "data": data(claim),
            **self._due(claim),
            **self._watched(claim),
        }

    @staticmethod
    def _watched(claim: Claim) -> dict[str, Any]:
        """The insolvency watch's sparse index (GSI5): only an open claim is in it, so the
        daily check reads the debtors of open claims, not the table."""
        if claim.phase is Phase.CLOSED:
            return {}
        return {"GSI5PK": s(watch_pk(watch_shard(claim.creditor_id, claim.debtor_id))),
                "GSI5SK": s(watch_sk(claim.creditor_id, claim.debtor_id, claim.id))}

    @staticmethod
    def _due(claim: Claim) -> dict[str, Any]:
        """The sweeper's sparse index: only a claim with a next action is in it."""
        if claim.next_action_at is None:
            return {}
        at = claim.next_action_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
        return {"GSI4PK": s(due_pk(due_shard(claim.id))),
                "GSI4SK": s(f"{at}#{claim.creditor_id}#{claim.id}")}

    def claims_due(self, shard: int, before: datetime, limit: int,
                   cursor: str | None) -> Page[tuple[str, str]]:
        hi = before.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S") + "#~"
        items, next_cursor = self.table.query(
            index="GSI4", pk_name="GSI4PK", pk=due_pk(shard), limit=limit, cursor=cursor,
            sk_name="GSI4SK", sk_between=("0000", hi))
        found = []
        for item in items:
            _, creditor_id, claim_id = item["GSI4SK"]["S"].split("#", 2)
            found.append((creditor_id, claim_id))
        return Page(found, next_cursor)

    def _event(self, creditor_id: str, event: ClaimEvent) -> Write:
        item = {"PK": s(claim_pk(creditor_id, event.claim_id)), "SK": s(event_sk(event.seq)),
                "entity": s("claim_event"), "data": data(event)}
        return Write(put(self.table, item, "attribute_not_exists(PK)"),
                     lambda: StaleVersion("the timeline moved since the claim was read"))

    def _account(self, claim: Claim, account: ClaimAccount) -> Write:
        # No condition of its own: the claim item's condition in the same transaction
        # guards the pair.
        return Write({"Put": {"TableName": self.table.name, "Item": {
            "PK": s(claim_pk(claim.creditor_id, claim.id)), "SK": s(ACCOUNT_SK),
            "entity": s("claim_account"), "data": data(account)}}}, field="payments")

    def _unique(self, claim: Claim, kind: str, value: str, conflict: Conflict) -> Write:
        item = {"PK": s(uniq_pk(claim.creditor_id, kind, value)), "SK": s("UNIQ"),
                "entity": s("uniqueness"), "owner": s(claim.id)}
        return Write(put(self.table, item, "attribute_not_exists(PK)"), lambda: conflict)

    def get_claim(self, creditor_id: str, claim_id: str) -> Claim | None:
        item = self.table.get(claim_pk(creditor_id, claim_id), "META")
        return decode(item, Claim) if item else None

    def add_claim(self, claim: Claim, event: ClaimEvent,
                  account: ClaimAccount | None = None) -> None:
        writes = [Write(put(self.table, self._item(claim), "attribute_not_exists(PK)"),
                        lambda: Conflict("claim id collision; retry"), "invoices"),
                  self._event(claim.creditor_id, event)]
        writes += [self._unique(claim, "INVOICE", invoice.number,
                                invoice_number_taken(invoice.number, i))
                   for i, invoice in enumerate(claim.invoices)]
        if claim.external_reference:
            writes.append(self._unique(claim, "CLAIMREF", claim.external_reference,
                                       claim_reference_taken(claim.external_reference)))
        if account is not None:
            writes.append(self._account(claim, account))
        self.uow.stage(*writes)

    def get_claim_account(self, creditor_id: str,
                          claim_id: str) -> tuple[Claim, ClaimAccount] | None:
        """The claim and its account in one Query: both items sort under `META`."""
        from domain.amounts.account import ClaimAccount  # not on the path of a claim read

        response = self.table.client.query(
            TableName=self.table.name,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :meta)",
            ExpressionAttributeValues={":pk": s(claim_pk(creditor_id, claim_id)),
                                       ":meta": s("META")})
        items = {item["SK"]["S"]: item for item in response.get("Items", [])}
        if "META" not in items:
            return None
        account_item = items.get(ACCOUNT_SK)
        account = decode(account_item, ClaimAccount) if account_item else ClaimAccount()
        return decode(items["META"], Claim), account

    def save_claim(self, claim: Claim, events: list[ClaimEvent], expected_version: int,
                   account: ClaimAccount | None = None) -> None:
        writes = [Write(put(self.table, self._item(claim), "version = :v",
                            {":v": n(expected_version)}),
                        lambda: StaleVersion("claim changed since it was read"))]
        if account is not None:
            writes.append(self._account(claim, account))
        writes += [self._event(claim.creditor_id, event) for event in events]
        self.uow.stage(*writes)

    def list_claims(self, creditor_id: str, filters: ClaimFilter,
                    page: PageRequest) -> Page[Claim]:
        t = tenant(creditor_id)
        lo = filters.due_after.isoformat() + "#~" if filters.due_after else "0000"
        hi = filters.due_before.isoformat() + "#" if filters.due_before else "~"
        between = (lo, hi) if (filters.due_after or filters.due_before) else None
        if between and lo > hi:  # an empty range; DynamoDB refuses BETWEEN with lo > hi
            if page.cursor:
                raise InvalidCursor()  # no page of an empty range has a next one
            return Page([], None)
        filter_expression, filter_values = None, None
        if filters.debtor_id:
            index, pk_name, pk = "GSI3", "GSI3PK", f"{t}#DEBTOR#{filters.debtor_id}"
            if filters.phase:
                filter_expression = "phase = :phase"
                filter_values = {":phase": s(filters.phase.value)}
        elif filters.phase:
            index, pk_name, pk = "GSI2", "GSI2PK", f"{t}#PHASE#{filters.phase.value}"
        else:
            index, pk_name, pk = "GSI1", "GSI1PK", f"{t}#CLAIMS"
        items, cursor = self.table.query(
            index=index, pk_name=pk_name, pk=pk, limit=page.limit, cursor=page.cursor,
            sk_name=pk_name.replace("PK", "SK"), sk_between=between,
            filter_expression=filter_expression, filter_values=filter_values)
        return Page([decode(item, Claim) for item in items], cursor)

    def list_events(self, creditor_id: str, claim_id: str,
                    page: PageRequest) -> Page[ClaimEvent]:
        items, cursor = self.table.query(
            index=None, pk_name="PK", pk=claim_pk(creditor_id, claim_id), sk_name="SK",
            sk_prefix="EVT#", limit=page.limit, cursor=page.cursor)
        return Page([decode(item, ClaimEvent) for item in items], cursor)

    def latest_events(self, creditor_id: str, claim_id: str, limit: int) -> list[ClaimEvent]:
        items, _ = self.table.query(
            index=None, pk_name="PK", pk=claim_pk(creditor_id, claim_id), sk_name="SK",
            sk_prefix="EVT#", limit=limit, cursor=None, forward=False)
        return [decode(item, ClaimEvent) for item in items]

    def get_claim_context(self, creditor_id: str, claim_id: str, debtor_id: str
                          ) -> tuple[Claim, ClaimAccount, Debtor | None, Creditor | None] | None:
        """One BatchGetItem of the claim, its account, the debtor and the creditor."""
        from domain.amounts.account import ClaimAccount
        from domain.creditors.model import Creditor
        from domain.debtors.model import Debtor

        pk = claim_pk(creditor_id, claim_id)
        keys = [(pk, "META"), (pk, ACCOUNT_SK), (debtor_pk(creditor_id, debtor_id), "META"),
                (tenant(creditor_id), "CREDITOR")]
        found = self.table.batch_get(keys)
        claim_item = found.get(keys[0])
        if claim_item is None:
            return None
        claim = decode(claim_item, Claim)
        if claim.debtor_id != debtor_id:
            return None  # a wake-up naming another debtor: not this claim's
        account_item, debtor_item, creditor_item = (found.get(k) for k in keys[1:])
        return (claim,
                decode(account_item, ClaimAccount) if account_item else ClaimAccount(),
                decode(debtor_item, Debtor) if debtor_item else None,
                decode(creditor_item, Creditor) if creditor_item else None)

    def claims_of_debtor(self, creditor_id: str, debtor_id: str) -> list[Claim]:
        claims: list[Claim] = []
        cursor = None
        while True:
            result = self.list_claims(creditor_id, ClaimFilter(debtor_id=debtor_id),
                                      PageRequest(100, cursor))
            claims.extend(result.items)
            cursor = result.next_cursor
            if cursor is None:
                return claims
