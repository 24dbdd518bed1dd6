"""Where the worklist hands a completed step's task to escalation.

Kept apart so that the worklist (domain.services.tasks) does not load the escalation engine
(its calendar and policies) at import to record a call: `complete_task` and `approve_tasks`
call `step_task_completed` after their commit, for every task whose `step_key` is set. It
moves the ladder on past the step (a call done, a visit made, an approval rejected: the step
is skipped) or, for an approved step, runs it (domain.services.escalation)."""

from __future__ import annotations

from domain.escalation.tasks import Task
from domain.services.caller import Caller, Ports


def step_task_completed(task: Task, outcome: str, caller: Caller, ports: Ports) -> None:
    """The step `task.step_key` of the task's claim was done by a person with `outcome`.

    Runs once the completion is committed: safe to run again (the ladder's release and the
    approved step's run are each conditional on the claim still waiting for this step)."""
    from domain.services import escalation

    escalation.step_task_completed(task, outcome, caller, ports)
