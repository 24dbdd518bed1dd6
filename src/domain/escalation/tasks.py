"""Tasks: what the ladder asks of a person (a call, a home visit, an approval, the judicial
assessment) or what a failed channel asks them to check (a contact point). The collector's
worklist lists the open ones; completing one says what happened, and the outcome acts on
the claim (a promise made, a dispute raised, a number found wrong).

A manual step's task blocks its claim's ladder until it is completed or skipped
(domain.escalation.planner). Plain dataclasses, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class TaskKind(StrEnum):
    CALL = "call"
    VISIT = "visit"
    APPROVAL = "approval"  # a step that a person must approve before it runs
    JUDICIAL_ASSESSMENT = "judicial_assessment"
    VERIFY_CONTACT = "verify_contact"  # a channel had no valid contact point, or failed
    # A payment a mandate's recipient collected is due back within a month (CPCE R124-6):
    # the creditor checks it arrived (domain.services.handoff).
    CHECK_PASS_BACK = "check_pass_back"
    # A proceeding's next act (domain.services.judicial_proceedings): each is opened by an
    # event and closed by the one that does it or makes it moot.
    SERVE_ORDER = "serve_order"
    WATCH_OPPOSITION = "watch_opposition"
    INSTRUCT_LAWYER = "instruct_lawyer"
    ATTEND_HEARING = "attend_hearing"
    SERVE_JUDGMENT = "serve_judgment"
    INSTRUCT_ENFORCEMENT = "instruct_enforcement"
    # Also the insolvency watch's (domain.services.insolvency_watch): declare the claim to
    # the mandataire before its deadline; a company the Sirene register records as ceased.
    DECLARE_CLAIM = "declare_claim"
    PLACE_SUMMONS = "place_summons"  # the served assignation to the greffe before the hearing
    # A title set aside on appeal: what its provisional enforcement collected goes back to
    # the debtor (CPC 514: enforced at the creditor's risk).
    RETURN_COLLECTED = "return_collected"
    COMPANY_CEASED = "company_ceased"


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    SKIPPED = "skipped"


# What a person may answer, per kind, and what each outcome does (domain.services.tasks):
OUTCOMES: dict[TaskKind, frozenset[str]] = {
    TaskKind.CALL: frozenset({
        "reached",  # spoke to the debtor; nothing more
        "no_answer",  # counts as an attempt (at most 4 in 30 days)
        "wrong_number",  # marks the phone invalid, raises verify_contact
        "promise_made",  # records the promise (amount, date): the ladder pauses
        "dispute_raised",  # opens the dispute: every automatic step pauses
    }),
    TaskKind.VISIT: frozenset({"met", "absent", "moved"}),  # moved: the address is invalid
    TaskKind.APPROVAL: frozenset({"approved", "rejected"}),  # rejected: the step is skipped
    TaskKind.JUDICIAL_ASSESSMENT: frozenset({"go_to_court", "hand_off", "wait", "write_off"}),
    TaskKind.VERIFY_CONTACT: frozenset({"corrected", "unreachable"}),
    TaskKind.CHECK_PASS_BACK: frozenset({"passed_back", "not_passed_back"}),
    # Done by hand (outside Relance) or, usually, closed by the proceeding's event.
    **{kind: frozenset({"done"}) for kind in (
        TaskKind.SERVE_ORDER, TaskKind.WATCH_OPPOSITION, TaskKind.INSTRUCT_LAWYER,
        TaskKind.ATTEND_HEARING, TaskKind.SERVE_JUDGMENT, TaskKind.INSTRUCT_ENFORCEMENT,
        TaskKind.PLACE_SUMMONS, TaskKind.RETURN_COLLECTED)},
    # declared: the declaration went (by the letter Relance prepared, or otherwise);
    # not_declared: the creditor chose not to (a claim too small, already paid); done: the
    # proceeding's own event closed it.
    TaskKind.DECLARE_CLAIM: frozenset({"declared", "not_declared", "done"}),
    TaskKind.COMPANY_CEASED: frozenset({"noted", "wrong"}),
}


@dataclass(frozen=True, slots=True)
class Task:
    id: str
    creditor_id: str
    claim_id: str
    debtor_id: str
    kind: TaskKind
    status: TaskStatus
    created_at: datetime
    due_at: datetime  # when it should be done (the step's instant, in a window)
    title: str  # what to do, in the creditor's words; no personal data beyond the claim's
    step_key: str | None = None  # the ladder step it stands for (None: not a step)
    policy_version: int | None = None
    contact_point_id: str | None = None  # the number to call, the address to check
    assignee: str | None = None
    outcome: str | None = None
    note: str | None = None
    completed_at: datetime | None = None
    completed_by: str | None = None
    version: int = 1

    @property
    def blocks_ladder(self) -> bool:
        return self.step_key is not None and self.status is TaskStatus.OPEN
