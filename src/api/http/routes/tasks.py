"""The collector's worklist: list the tasks, read one with what a call needs, complete it
with its outcome, approve the day's approvals at once.

The handlers import domain.services.tasks when they run: a function serving only claim
reads does not load the ledger and the promises at cold start."""

from datetime import datetime
from typing import Annotated

from litestar import Controller, get, post
from litestar.exceptions import ValidationException
from litestar.params import FromPath, JSONBody, QueryParameter

from api.http.auth import requires
from api.http.deps import CallerDep, PageDep, PortsDep, operation
from api.http.schemas.tasks import (
    ApprovalsBody,
    ApprovalsOut,
    CompletionOut,
    TaskCompletion,
    TaskKindName,
    TaskOut,
    TaskPage,
    TaskStatusName,
    TaskViewOut,
)

# An instant with its offset: Litestar alone would take a bare number as a Unix time.
INSTANT = (r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?"
           r"(Z|[+-]\d{2}:\d{2})$")


def _instant(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationException(detail="due_before: not an instant", extra=[{
            "key": "due_before", "message": "not an ISO 8601 instant with its offset",
            "source": "query"}]) from None


class TaskController(Controller):
    path = "/v1/tasks"
    tags = ["tasks"]

    @get("/", **operation("ListTasks", 400, 401, 403, 422), guards=[requires("read")],
         summary="The worklist: tasks of one status (open by default), the earliest due "
         "first")
    def list_tasks(
        self, caller: CallerDep, ports: PortsDep, page: PageDep,
        kind: Annotated[TaskKindName | None, QueryParameter(
            name="type", description="Only tasks of this kind")] = None,
        status: Annotated[TaskStatusName, QueryParameter(
            description="Default: open")] = "open",
        due_before: Annotated[str | None, QueryParameter(
            pattern=INSTANT, max_length=40,
            description="Due strictly before this instant, ISO 8601 with its offset "
                        "(`2026-03-20T18:00:00+01:00`, or `Z`)")] = None,
        claim_id: Annotated[str | None, QueryParameter(max_length=64)] = None,
        assignee: Annotated[str | None, QueryParameter(max_length=100)] = None,
    ) -> TaskPage:
        from domain.escalation.tasks import TaskKind, TaskStatus
        from domain.ports.tasks import TaskFilter
        from domain.services import tasks

        result = tasks.list_tasks(TaskFilter(
            status=TaskStatus(status), kind=TaskKind(kind) if kind else None,
            claim_id=claim_id, assignee=assignee,
            due_before=_instant(due_before)), page, caller, ports)
        return TaskPage(items=[TaskOut.of(t) for t in result.items],
                        next_cursor=result.next_cursor)

    @get("/{task_id:str}", **operation("ReadTask", 401, 403, 404), guards=[requires("read")],
         summary="A task with what the collector needs: the claim, today's figures, its last "
         "timeline entries, the promises and the debtor's contact points")
    def read(self, caller: CallerDep, ports: PortsDep, task_id: FromPath[str]) -> TaskViewOut:
        from domain.services import tasks

        return TaskViewOut.of(tasks.get_task(task_id, caller, ports))

    @post("/{task_id:str}/complete",
          **operation("CompleteTask", 400, 401, 403, 404, 409, 413, 422, action=True),
          guards=[requires("write")], status_code=200,
          summary="Say what came of a task; its outcome acts on the claim (a promise "
          "recorded, a dispute opened, a contact point marked invalid) in the same write")
    def complete(self, caller: CallerDep, ports: PortsDep, task_id: FromPath[str],
                 data: JSONBody[TaskCompletion]) -> CompletionOut:
        from domain.services import tasks

        promise = (tasks.PromiseTaken(data.promise.amount, data.promise.promised_on)
                   if data.promise else None)
        return CompletionOut.of(tasks.complete_task(task_id, tasks.TaskCompletion(
            outcome=data.outcome, note=data.note, promise=promise,
            dispute_reason=data.dispute_reason), caller, ports))

    @post("/approvals", **operation("ApproveTasks", 400, 401, 403, 404, 409, 413, 422),
          guards=[requires("write")], status_code=200,
          summary="Approve many approval tasks at once (the day's formal notices): every one "
          "or none")
    def approve(self, caller: CallerDep, ports: PortsDep,
                data: JSONBody[ApprovalsBody]) -> ApprovalsOut:
        from domain.services import tasks

        return ApprovalsOut(items=[TaskOut.of(t) for t in
                                   tasks.approve_tasks(list(data.task_ids), caller, ports)])
