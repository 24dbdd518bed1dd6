"""The port of the collector's worklist: tasks on the table, listed by status in the order
they fall due, found by claim (the ladder asks whether a claim has one open), and a
debtor's calls (the ladder keeps the calls a debtor receives under the cap)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from domain.escalation.tasks import TaskKind, TaskStatus

if TYPE_CHECKING:
    from domain.escalation.tasks import Task
    from domain.ports.repositories import Page, PageRequest


@dataclass(frozen=True, slots=True)
class TaskFilter:
    """What a worklist shows. A status is always given (open by default): the tasks of one
    status are one list in due order; `claim_id` narrows to one claim's tasks."""

    status: TaskStatus = TaskStatus.OPEN
    kind: TaskKind | None = None
    claim_id: str | None = None
    assignee: str | None = None
    due_before: datetime | None = None  # due strictly before this instant (aware)


class TaskRepository(Protocol):
    def get_task(self, creditor_id: str, task_id: str) -> Task | None: ...

    def add_task(self, task: Task) -> None:
        """Staged; Conflict when the id exists."""
        ...

    def save_task(self, task: Task, expected_version: int) -> None:
        """Staged; StaleVersion when the stored task is not at `expected_version`."""
        ...

    def list_tasks(self, creditor_id: str, filter: TaskFilter,
                   page: PageRequest) -> Page[Task]:
        """The tasks that match, the earliest due first (then by id). A page may hold fewer
        than `page.limit` items and still have a next one (DynamoDB filters after it
        reads); the last page has no cursor."""
        ...

    def open_tasks_of_claim(self, creditor_id: str, claim_id: str) -> list[Task]:
        """Every open task of the claim, the earliest due first."""
        ...

    def calls_of_debtor(self, creditor_id: str, debtor_id: str,
                        since: datetime) -> list[datetime]:
        """The debtor's calls, on all its claims, at or after `since`, the earliest first:
        each call task done at its completion, each one open at its due instant (a call
        asked of a person counts before it is made); a skipped one not at all."""
        ...
