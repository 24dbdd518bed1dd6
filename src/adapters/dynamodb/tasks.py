"""Tasks on the table: one item per task in its own partition (`T#<creditor>#TASK#<id>`,
`META`), listed by status through GSI1 and by claim through GSI3, both sorted by due
instant then id. Kind and assignee are item attributes read by a FilterExpression: a
worklist is one status's list (or one claim's), narrowed, never a scan. A call task open
or done is also in its debtor's calls on GSI2 (sparse: no other task is), by the call's
instant, so the calls cap reads one short range of one partition."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from adapters.dynamodb._table import Table, data, decode, n, s
from adapters.dynamodb.creditors import put
from adapters.dynamodb.keys import (
    calls_of_debtor,
    instant_key,
    task_order,
    task_pk,
    tasks_of_claim,
    tasks_of_status,
)
from adapters.dynamodb.unit_of_work import Write
from domain.escalation.tasks import Task, TaskKind, TaskStatus
from domain.ports.repositories import Page, PageRequest
from domain.ports.tasks import TaskFilter
from domain.shared.errors import Conflict, StaleVersion

if TYPE_CHECKING:
    from adapters.dynamodb.unit_of_work import DynamoUnitOfWork


def _call_instant(task: Task) -> datetime | None:
    """When a call task counts as a call: done, at its completion; open, at its due
    instant; skipped, never."""
    if task.kind is not TaskKind.CALL:
        return None
    if task.status is TaskStatus.DONE:
        return task.completed_at or task.due_at
    return task.due_at if task.status is TaskStatus.OPEN else None


class DynamoTasks:
    """Implements domain.ports.tasks.TaskRepository."""

    def __init__(self, table: Table, uow: DynamoUnitOfWork) -> None:
        self.table, self.uow = table, uow

    def _item(self, task: Task) -> dict[str, Any]:
        order = task_order(task.due_at, task.id)
        item = {
            "PK": s(task_pk(task.creditor_id, task.id)), "SK": s("META"),
            "entity": s("task"), "version": n(task.version),
            # Not `status` nor `kind`: names a FilterExpression can use without aliases
            # (STATUS is a DynamoDB reserved word).
            "task_status": s(task.status.value), "task_kind": s(task.kind.value),
            "GSI1PK": s(tasks_of_status(task.creditor_id, task.status.value)),
            "GSI1SK": s(order),
            "GSI3PK": s(tasks_of_claim(task.creditor_id, task.claim_id)), "GSI3SK": s(order),
            "data": data(task),
        }
        if task.assignee is not None:
            item["assignee"] = s(task.assignee)
        call_at = _call_instant(task)
        if call_at is not None:
            item["GSI2PK"] = s(calls_of_debtor(task.creditor_id, task.debtor_id))
            item["GSI2SK"] = s(task_order(call_at, task.id))
        return item

    def get_task(self, creditor_id: str, task_id: str) -> Task | None:
        item = self.table.get(task_pk(creditor_id, task_id), "META")
        return decode(item, Task) if item else None

    def add_task(self, task: Task) -> None:
        self.uow.stage(Write(put(self.table, self._item(task), "attribute_not_exists(PK)"),
                             lambda: Conflict("task id collision; retry"), "task"))

    def save_task(self, task: Task, expected_version: int) -> None:
        # A whole Put: the index keys follow the status (and a moved due instant).
        self.uow.stage(Write(put(self.table, self._item(task), "version = :v",
                                 {":v": n(expected_version)}),
                             lambda: StaleVersion("task changed since it was read"), "task"))

    def list_tasks(self, creditor_id: str, filter: TaskFilter,
                   page: PageRequest) -> Page[Task]:
        conditions: list[str] = []
        values: dict[str, Any] = {}
        if filter.claim_id:
            index, pk = "GSI3", tasks_of_claim(creditor_id, filter.claim_id)
            conditions.append("task_status = :status")
            values[":status"] = s(filter.status.value)
        else:
            index, pk = "GSI1", tasks_of_status(creditor_id, filter.status.value)
        if filter.kind is not None:
            conditions.append("task_kind = :kind")
            values[":kind"] = s(filter.kind.value)
        if filter.assignee is not None:
            conditions.append("assignee = :assignee")
            values[":assignee"] = s(filter.assignee)
        # Strictly before: `<instant>#` sorts after every key of an earlier instant and
        # before every key at that instant (`<instant>#<id>`).
        between = (("0", instant_key(filter.due_before) + "#")
                    if filter.due_before is not None else None)
        items, cursor = self.table.query(
            index=index, pk_name=f"{index}PK", pk=pk, limit=page.limit, cursor=page.cursor,
            sk_name=f"{index}SK", sk_between=between,
            filter_expression=" AND ".join(conditions) or None,
            filter_values=values or None)
        return Page([decode(item, Task) for item in items], cursor)

    def open_tasks_of_claim(self, creditor_id: str, claim_id: str) -> list[Task]:
        tasks: list[Task] = []
        cursor = None
        while True:
            result = self.list_tasks(creditor_id, TaskFilter(TaskStatus.OPEN,
                                                              claim_id=claim_id),
                                     PageRequest(100, cursor))
            tasks.extend(result.items)
            cursor = result.next_cursor
            if cursor is None:
                return tasks

    def calls_of_debtor(self, creditor_id: str, debtor_id: str,
                        since: datetime) -> list[datetime]:
        calls: list[datetime] = []
        cursor = None
        while True:
            # `~` sorts after every digit: the range runs from `since` to the last call.
            items, cursor = self.table.query(
                index="GSI2", pk_name="GSI2PK", pk=calls_of_debtor(creditor_id, debtor_id),
                sk_name="GSI2SK", sk_between=(instant_key(since), "~"), limit=100,
                cursor=cursor)
            calls += [at for at in (_call_instant(decode(item, Task)) for item in items)
                      if at is not None]
            if cursor is None:
                return sorted(calls)
