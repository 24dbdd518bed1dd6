"""Where the worklist hands a completed step's task to escalation.

The lead's hook, kept apart so that the worklist (domain.services.tasks) does not load the
escalation engine (its calendar and policies) to record a call: `complete_task` and
`approve_tasks` call `step_task_completed` after their commit, for every task whose
`step_key` is set. Until the ladder's trigger is merged it does nothing; then it moves the
ladder on past the step (a call done, a visit made, an approval rejected: the step is
skipped) or, for an approved step, runs it."""

from __future__ import annotations

from domain.escalation.tasks import Task
from domain.services.caller import Caller, Ports


def step_task_completed(task: Task, outcome: str, caller: Caller, ports: Ports) -> None:
    """The step `task.step_key` of the task's claim was done by a person with `outcome`
    (one of domain.escalation.tasks.OUTCOMES[task.kind]); `task` is as stored, done.

    Runs once the completion is committed, in the request that completed it: it must be
    safe to run again (the request may be retried after a failure here), and an error it
    raises reaches the caller although the completion is stored."""
    return None
