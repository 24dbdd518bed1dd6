"""The DynamoDB unit of work: staged writes, one TransactWriteItems, errors mapped once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from adapters.dynamodb._table import Table
from adapters.staging import Staging
from domain.ports.unit_of_work import refuse_oversized, too_large
from domain.shared.errors import StaleVersion


@dataclass(frozen=True, slots=True)
class Write:
    """One action of a transaction (`{"Put": …}`, `{"Delete": …}`), with what its failed
    condition means (an exception to raise) and the input field it comes from (named when
    the write is too large)."""

    action: dict[str, Any]
    on_condition_failed: Callable[[], Exception] | None = None
    field: str = ""

    def size(self) -> int:
        # An estimate of DynamoDB's item size: attribute names and values as sent.
        body = self.action.get("Put") or self.action.get("Delete") or self.action.get(
            "Update") or {}
        return len(repr(body.get("Item", body.get("ExpressionAttributeValues",
                                                  body.get("Key", {})))).encode())


class DynamoUnitOfWork(Staging[Write]):
    """Implements domain.ports.UnitOfWork on one table; its repositories stage on it."""

    def __init__(self, client: Any, table: str) -> None:
        from adapters.dynamodb.claims import DynamoClaims
        from adapters.dynamodb.creditors import DynamoApiKeys, DynamoCreditors
        from adapters.dynamodb.debtors import DynamoDebtors
        from adapters.dynamodb.documents import DynamoDocuments
        from adapters.dynamodb.handoff import DynamoMandates
        from adapters.dynamodb.letters import DynamoLetters
        from adapters.dynamodb.policies import DynamoPolicies
        from adapters.dynamodb.proceedings import DynamoProceedings
        from adapters.dynamodb.tasks import DynamoTasks
        from adapters.dynamodb.watch import DynamoWatch

        self.table = Table(client, table)
        super().__init__()
        self.creditors = DynamoCreditors(self.table, self)
        self.api_keys = DynamoApiKeys(self.table, self)
        self.debtors = DynamoDebtors(self.table, self)
        self.claims = DynamoClaims(self.table, self)
        self.letters = DynamoLetters(self.table, self)
        self.policies = DynamoPolicies(self.table, self)
        self.tasks = DynamoTasks(self.table, self)
        self.documents = DynamoDocuments(self.table, self)
        self.mandates = DynamoMandates(self.table, self)
        self.proceedings = DynamoProceedings(self.table, self)
        self.watch = DynamoWatch(self.table, self)

    def commit(self) -> None:
        writes, effects = self.take()
        if writes:
            refuse_oversized(len(writes), sum(w.size() for w in writes),
                             next((w.field for w in writes if w.field), "body"))
            if len(writes) == 1 and "Put" in writes[0].action:
                self._put(writes[0])
            else:
                self._transact(writes)
        for effect in effects:
            effect()

    # ------------------------------------------------------------------ internals
    def _put(self, write: Write) -> None:
        """One item needs no transaction: a conditional PutItem (one write unit, not two)."""
        try:
            self.table.client.put_item(**write.action["Put"])
        except ClientError as exc:
            error = exc.response.get("Error", {})
            if error.get("Code") == "ConditionalCheckFailedException":
                raise (write.on_condition_failed or _stale)() from None
            if error.get("Code") == "ValidationException" and "size" in str(
                    error.get("Message", "")):
                raise too_large(write.field) from None
            raise

    def _transact(self, writes: list[Write]) -> None:
        try:
            self.table.client.transact_write_items(TransactItems=[w.action for w in writes])
        except ClientError as exc:
            error = exc.response.get("Error", {})
            if error.get("Code") == "ValidationException" and "size has exceeded" in str(
                    error.get("Message", "")):
                raise too_large(next((w.field for w in writes if w.field), "")) from None
            if error.get("Code") != "TransactionCanceledException":
                raise
            reasons = exc.response.get("CancellationReasons") or []
            for write, reason in zip(writes, reasons, strict=False):
                code = reason.get("Code", "None")
                if code == "ConditionalCheckFailed":
                    raise (write.on_condition_failed or _stale)() from None
                if code == "ValidationError" and "size" in str(reason.get("Message", "")):
                    raise too_large(write.field) from None
            if any(r.get("Code") == "TransactionConflict" for r in reasons):
                # Another transaction was writing the same item at that instant: a race,
                # which the use case replays like a stale version.
                raise StaleVersion("a concurrent change was being written") from None
            raise


def _stale() -> Exception:
    return StaleVersion("changed since it was read")
