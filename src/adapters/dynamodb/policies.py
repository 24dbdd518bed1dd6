"""Escalation policies on the table: one item per policy in the creditor's partition
(`T#<creditor>`, `POLICY#<id>`), its earlier versions inside it, and one item naming the
creditor's default (`POLICYDEFAULT`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adapters.dynamodb._table import Table, data, decode, n, s
from adapters.dynamodb.creditors import put
from adapters.dynamodb.keys import DEFAULT_POLICY_SK, policy_sk, tenant
from adapters.dynamodb.unit_of_work import Write
from domain.escalation.policy import Policy
from domain.shared.errors import Conflict, StaleVersion

if TYPE_CHECKING:
    from adapters.dynamodb.unit_of_work import DynamoUnitOfWork


class DynamoPolicies:
    """Implements domain.ports.policies.PolicyRepository."""

    def __init__(self, table: Table, uow: DynamoUnitOfWork) -> None:
        self.table, self.uow = table, uow

    def _item(self, policy: Policy) -> dict[str, Any]:
        return {"PK": s(tenant(policy.creditor_id)), "SK": s(policy_sk(policy.id)),
                "entity": s("policy"), "version": n(policy.version), "data": data(policy)}

    def get_policy(self, creditor_id: str, policy_id: str) -> Policy | None:
        item = self.table.get(tenant(creditor_id), policy_sk(policy_id))
        return decode(item, Policy) if item else None

    def list_policies(self, creditor_id: str) -> list[Policy]:
        return [decode(item, Policy)
                for item in self.table.query_all(tenant(creditor_id), policy_sk(""))]

    def add_policy(self, policy: Policy) -> None:
        self.uow.stage(Write(
            put(self.table, self._item(policy), "attribute_not_exists(PK)"),
            lambda: Conflict(f"policy {policy.id} was created meanwhile: read it and send "
                             "its ETag in If-Match"), "steps"))

    def save_policy(self, policy: Policy, expected_version: int) -> None:
        self.uow.stage(Write(
            put(self.table, self._item(policy), "version = :v", {":v": n(expected_version)}),
            lambda: StaleVersion("policy changed since it was read"), "steps"))

    def default_policy_id(self, creditor_id: str) -> str | None:
        item = self.table.get(tenant(creditor_id), DEFAULT_POLICY_SK)
        return item["policy_id"]["S"] if item else None

    def set_default_policy(self, creditor_id: str, policy_id: str,
                           previous: str | None) -> None:
        item = {"PK": s(tenant(creditor_id)), "SK": s(DEFAULT_POLICY_SK),
                "entity": s("default_policy"), "policy_id": s(policy_id)}
        action = (put(self.table, item, "attribute_not_exists(PK)") if previous is None else
                  put(self.table, item, "policy_id = :previous", {":previous": s(previous)}))
        self.uow.stage(Write(action, lambda: StaleVersion(
            "the default policy changed since it was read")))
