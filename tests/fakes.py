"""The ports in memory: a unit of work, its repositories and a rate store, for the service
tests (tests/service) and the repository contract suite (tests/contract), which runs the
same promises on this fake, on moto and on DynamoDB Local so that the fake stays honest.

The fake keeps what DynamoDB gives us and nothing more: objects are stored as their
msgspec JSON (a read never hands back the object that was written, so a use case that
forgets to save is caught), a commit applies every staged write or none, the same
conditions fail with the same errors, the same 100-action and size limits are refused, and
lists page in the same order with cursors checked the same way. It imports neither boto3
nor botocore: a service test runs in milliseconds.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any, TypeVar

import msgspec

from adapters.clock import FrozenClock
from adapters.staging import Staging
from domain.amounts.rate_publication import in_force, publish, shipped_document
from domain.amounts.rates import RateTables
from domain.claims.model import Claim, ClaimEvent, Phase
from domain.creditors.model import ApiKey, Creditor
from domain.debtors.model import Debtor
from domain.escalation.policy import Policy
from domain.escalation.tasks import Task, TaskKind, TaskStatus
from domain.judicial.documents import UploadedDocument
from domain.judicial.handoff import Mandate
from domain.judicial.proceedings import Proceeding
from domain.letters.content import LetterContent
from domain.letters.model import Letter
from domain.ports.documents import CHUNK_BYTES, ReceivedObject, UploadSlot
from domain.ports.letters import (
    AlreadyStored,
    DispatchRef,
    RenderedLetter,
    RenderJob,
    StorageFailed,
    StoredObject,
)
from domain.ports.repositories import (
    ClaimFilter,
    InvalidCursor,
    Page,
    PageRequest,
    claim_reference_taken,
    debtor_reference_taken,
    invoice_number_taken,
)
from domain.ports.tasks import TaskFilter
from domain.ports.unit_of_work import MAX_BYTES_PER_ITEM, refuse_oversized, too_large
from domain.ports.watch import DebtorWatch, WatchedClaim
from domain.services.caller import Ports
from domain.shared.errors import Conflict, StaleVersion

if TYPE_CHECKING:
    from domain.amounts.account import ClaimAccount

T = TypeVar("T")
_encoder = msgspec.json.Encoder(decimal_format="string")

Key = tuple[str, ...]


@dataclass
class FakeDatabase:
    """Every table of the fake: stored objects as JSON bytes, keyed by creditor first."""

    creditors: dict[str, bytes] = field(default_factory=dict)
    keys_by_hash: dict[str, bytes] = field(default_factory=dict)
    keys_by_creditor: dict[tuple[str, str], bytes] = field(default_factory=dict)
    debtors: dict[tuple[str, str], bytes] = field(default_factory=dict)
    claims: dict[tuple[str, str], bytes] = field(default_factory=dict)
    accounts: dict[tuple[str, str], bytes] = field(default_factory=dict)
    events: dict[tuple[str, str, int], bytes] = field(default_factory=dict)
    # (creditor, kind, value) -> owner id: invoice numbers, claim and debtor references.
    unique: dict[tuple[str, str, str], str] = field(default_factory=dict)
    letters: dict[tuple[str, str, str], bytes] = field(default_factory=dict)
    letter_contents: dict[tuple[str, str, str], bytes] = field(default_factory=dict)
    # (provider, provider id) -> (the reference, in flight, last update)
    dispatches: dict[tuple[str, str], tuple[bytes, bool, str]] = field(default_factory=dict)
    policies: dict[tuple[str, str], bytes] = field(default_factory=dict)
    default_policies: dict[str, str] = field(default_factory=dict)  # creditor -> policy id
    tasks: dict[tuple[str, str], bytes] = field(default_factory=dict)
    documents: dict[tuple[str, str, str], bytes] = field(default_factory=dict)
    mandates: dict[tuple[str, str], bytes] = field(default_factory=dict)
    mandate_links: dict[tuple[str, str, str], str] = field(default_factory=dict)
    # (creditor, claim, number) -> a judicial proceeding
    proceedings: dict[tuple[str, str, int], bytes] = field(default_factory=dict)
    watches: dict[tuple[str, str], bytes] = field(default_factory=dict)  # (creditor, debtor)
    lock: threading.RLock = field(default_factory=threading.RLock)
    commits: int = 0  # successful commits that wrote something


def _load(raw: bytes | None, type_: type[T]) -> T | None:
    return None if raw is None else msgspec.json.decode(raw, type=type_)


def _version(raw: bytes | None) -> int | None:
    return None if raw is None else int(json.loads(raw)["version"])


@dataclass(frozen=True, slots=True)
class _Write:
    """One staged write: what makes it fail (checked under the lock with every other check
    of the commit, before anything is applied), how it applies, and its input field."""

    check: Callable[[], Exception | None]
    apply: Callable[[], None]
    size: int
    field: str = ""


def _put(table: dict[Any, bytes], key: Any, value: object, *, field_name: str = "",
         check: Callable[[], Exception | None] = lambda: None) -> _Write:
    raw = _encoder.encode(value)
    return _Write(check, lambda: table.__setitem__(key, raw), len(raw), field_name)


def _forget(table: dict[Any, Any], key: Any) -> None:
    table.pop(key, None)


# ---------------------------------------------------------------------------- cursors
def _encode_cursor(partition: str, last: str) -> str:
    plain = json.dumps({"p": partition, "k": last}, separators=(",", ":"))
    return base64.urlsafe_b64encode(plain.encode()).decode()


def _start_after(cursor: str | None, partition: str, lo: str, hi: str) -> str | None:
    """The last key a cursor names, refused as DynamoDB's adapter refuses it: undecodable,
    from another list (tenant, index, filter) or outside the range asked for."""
    if cursor is None:
        return None
    try:
        plain = json.loads(base64.urlsafe_b64decode(cursor.encode() + b"=="))
    except (ValueError, binascii.Error, UnicodeError, RecursionError):
        raise InvalidCursor() from None
    if (not isinstance(plain, dict) or set(plain) != {"p", "k"} or plain["p"] != partition
            or not isinstance(plain["k"], str) or not lo <= plain["k"] <= hi):
        raise InvalidCursor()
    last: str = plain["k"]
    return last


def _page(rows: list[tuple[str, T]], partition: str, page: PageRequest, *,
          lo: str = "", hi: str = "\U0010ffff") -> Page[T]:
    start = _start_after(page.cursor, partition, lo, hi)
    rows = sorted((row for row in rows if lo <= row[0] <= hi), key=lambda row: row[0])
    if start is not None:
        rows = [row for row in rows if row[0] > start]
    items = rows[:page.limit]
    more = len(rows) > page.limit
    return Page([item for _, item in items],
                _encode_cursor(partition, items[-1][0]) if more and items else None)


def _claim_order(claim: Claim) -> str:
    return f"{claim.earliest_due_date.isoformat()}#{claim.id}"


# ----------------------------------------------------------------------- repositories
class _Repository:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.db, self.uow = uow.db, uow


class FakeCreditors(_Repository):
    def get_creditor(self, creditor_id: str) -> Creditor | None:
        return _load(self.db.creditors.get(creditor_id), Creditor)

    def add_creditor(self, creditor: Creditor) -> None:
        db = self.db
        self.uow.stage(_put(db.creditors, creditor.id, creditor, check=lambda: (
            Conflict("creditor id collision; retry") if creditor.id in db.creditors else None)))

    def save_creditor(self, creditor: Creditor, expected_version: int) -> None:
        db = self.db
        self.uow.stage(_put(db.creditors, creditor.id, creditor, check=lambda: (
            None if _version(db.creditors.get(creditor.id)) == expected_version
            else StaleVersion("creditor changed since it was read"))))


class FakeApiKeys(_Repository):
    def _writes(self, key: ApiKey, check: Callable[[Key], Exception | None]) -> list[_Write]:
        db = self.db
        listing = (key.creditor_id, key.id)
        return [_put(db.keys_by_hash, key.secret_hash, key,
                     check=lambda: check(("hash", key.secret_hash))),
                _put(db.keys_by_creditor, listing, key, check=lambda: check(("list", *listing)))]

    def _stored(self, where: Key) -> bytes | None:
        if where[0] == "hash":
            return self.db.keys_by_hash.get(where[1])
        return self.db.keys_by_creditor.get((where[1], where[2]))

    def _exists(self, where: Key) -> bool:
        return self._stored(where) is not None

    def add_api_key(self, key: ApiKey) -> None:
        self.uow.stage(*self._writes(key, lambda where: (
            Conflict("api key collision; retry") if self._exists(where) else None)))

    def find_api_key(self, secret_hash: str) -> ApiKey | None:
        return _load(self.db.keys_by_hash.get(secret_hash), ApiKey)

    def list_api_keys(self, creditor_id: str) -> list[ApiKey]:
        with self.db.lock:
            rows = sorted((k, v) for k, v in self.db.keys_by_creditor.items()
                          if k[0] == creditor_id)
        return [msgspec.json.decode(raw, type=ApiKey) for _, raw in rows]

    def _replace(self, key: ApiKey, expected_version: int) -> None:
        self.uow.stage(*self._writes(key, lambda where: (
            None if _version(self._stored(where)) == expected_version
            else StaleVersion("api key changed since it was read"))))

    def save_api_key(self, key: ApiKey, expected_version: int) -> None:
        self._replace(key, expected_version)

    def revoke_api_key(self, creditor_id: str, key_id: str, at: datetime) -> ApiKey | None:
        key = _load(self.db.keys_by_creditor.get((creditor_id, key_id)), ApiKey)
        if key is None:
            return None
        if key.revoked_at is not None:
            return key
        revoked = replace(key, revoked_at=at, version=key.version + 1)
        self._replace(revoked, key.version)
        return revoked


class FakeDebtors(_Repository):
    def get_debtor(self, creditor_id: str, debtor_id: str) -> Debtor | None:
        return _load(self.db.debtors.get((creditor_id, debtor_id)), Debtor)

    def get_debtor_with_creditor(self, creditor_id: str,
                                 debtor_id: str) -> tuple[Debtor | None, Creditor | None]:
        with self.db.lock:
            return (self.get_debtor(creditor_id, debtor_id),
                    _load(self.db.creditors.get(creditor_id), Creditor))

    def _reference(self, debtor: Debtor) -> _Write:
        db, reference = self.db, debtor.external_reference
        assert reference is not None
        slot = (debtor.creditor_id, "DEBTORREF", reference)
        return _Write(lambda: debtor_reference_taken(reference) if slot in db.unique else None,
                      lambda: db.unique.__setitem__(slot, debtor.id), len(reference),
                      "external_reference")

    def add_debtor(self, debtor: Debtor) -> None:
        db, key = self.db, (debtor.creditor_id, debtor.id)
        writes = [_put(db.debtors, key, debtor, field_name="contact_points", check=lambda: (
            Conflict("debtor id collision; retry") if key in db.debtors else None))]
        if debtor.external_reference:
            writes.append(self._reference(debtor))
        self.uow.stage(*writes)

    def save_debtor(self, debtor: Debtor, expected_version: int,
                    previous_reference: str | None) -> None:
        db, key = self.db, (debtor.creditor_id, debtor.id)
        writes = [_put(db.debtors, key, debtor, field_name="contact_points", check=lambda: (
            None if _version(db.debtors.get(key)) == expected_version
            else StaleVersion("debtor changed since it was read")))]
        if debtor.external_reference != previous_reference:
            if debtor.external_reference:
                writes.append(self._reference(debtor))
            if previous_reference:
                old = (debtor.creditor_id, "DEBTORREF", previous_reference)
                writes.append(_Write(lambda: None, lambda: _forget(db.unique, old), 0))
        self.uow.stage(*writes)

    def list_debtors(self, creditor_id: str, page: PageRequest) -> Page[Debtor]:
        with self.db.lock:
            rows = [msgspec.json.decode(raw, type=Debtor)
                    for (owner, _), raw in self.db.debtors.items() if owner == creditor_id]
        ordered = [(f"{d.created_at.isoformat() if d.created_at else ''}#{d.id}", d)
                   for d in rows]
        return _page(ordered, f"{creditor_id}#DEBTORS", page)


class FakeClaims(_Repository):
    def get_claim(self, creditor_id: str, claim_id: str) -> Claim | None:
        return _load(self.db.claims.get((creditor_id, claim_id)), Claim)

    def _event(self, creditor_id: str, event: ClaimEvent) -> _Write:
        db, key = self.db, (creditor_id, event.claim_id, event.seq)
        return _put(db.events, key, event, check=lambda: (
            StaleVersion("the timeline moved since the claim was read")
            if key in db.events else None))

    def _unique(self, claim: Claim, kind: str, value: str, conflict: Conflict) -> _Write:
        db, slot = self.db, (claim.creditor_id, kind, value)
        return _Write(lambda: conflict if slot in db.unique else None,
                      lambda: db.unique.__setitem__(slot, claim.id), len(value))

    def add_claim(self, claim: Claim, event: ClaimEvent,
                  account: ClaimAccount | None = None) -> None:
        db, key = self.db, (claim.creditor_id, claim.id)
        writes = [_put(db.claims, key, claim, field_name="invoices", check=lambda: (
            Conflict("claim id collision; retry") if key in db.claims else None)),
            self._event(claim.creditor_id, event)]
        writes += [self._unique(claim, "INVOICE", invoice.number,
                                invoice_number_taken(invoice.number, i))
                   for i, invoice in enumerate(claim.invoices)]
        if claim.external_reference:
            writes.append(self._unique(claim, "CLAIMREF", claim.external_reference,
                                       claim_reference_taken(claim.external_reference)))
        if account is not None:
            writes.append(_put(db.accounts, key, account, field_name="payments"))
        self.uow.stage(*writes)

    def get_claim_account(self, creditor_id: str,
                          claim_id: str) -> tuple[Claim, ClaimAccount] | None:
        from domain.amounts.account import ClaimAccount

        with self.db.lock:  # one read of both, as DynamoDB's single Query gives
            claim = self.get_claim(creditor_id, claim_id)
            account = _load(self.db.accounts.get((creditor_id, claim_id)), ClaimAccount)
        if claim is None:
            return None
        return claim, account if account is not None else ClaimAccount()

    def save_claim(self, claim: Claim, events: list[ClaimEvent], expected_version: int,
                   account: ClaimAccount | None = None) -> None:
        db, key = self.db, (claim.creditor_id, claim.id)
        writes = [_put(db.claims, key, claim, check=lambda: (
            None if _version(db.claims.get(key)) == expected_version
            else StaleVersion("claim changed since it was read")))]
        if account is not None:
            writes.append(_put(db.accounts, key, account, field_name="payments"))
        writes += [self._event(claim.creditor_id, event) for event in events]
        self.uow.stage(*writes)

    def _claims(self, creditor_id: str) -> list[Claim]:
        with self.db.lock:
            return [msgspec.json.decode(raw, type=Claim)
                    for (owner, _), raw in self.db.claims.items() if owner == creditor_id]

    def list_claims(self, creditor_id: str, filters: ClaimFilter,
                    page: PageRequest) -> Page[Claim]:
        # The same bounds as the DynamoDB adapter's BETWEEN on `<due date>#<id>`: strictly
        # after `due_after`, strictly before `due_before`.
        lo = filters.due_after.isoformat() + "#~" if filters.due_after else "0000"
        hi = filters.due_before.isoformat() + "#" if filters.due_before else "~"
        if lo > hi:
            if page.cursor:
                raise InvalidCursor()
            return Page([], None)
        claims = self._claims(creditor_id)
        partition = f"{creditor_id}#CLAIMS"
        if filters.debtor_id:
            claims = [c for c in claims if c.debtor_id == filters.debtor_id]
            partition = f"{creditor_id}#DEBTOR#{filters.debtor_id}"
        if filters.phase:
            claims = [c for c in claims if c.phase == filters.phase]
            partition += f"#PHASE#{filters.phase.value}"
        return _page([(_claim_order(c), c) for c in claims], partition, page, lo=lo, hi=hi)

    def list_events(self, creditor_id: str, claim_id: str,
                    page: PageRequest) -> Page[ClaimEvent]:
        with self.db.lock:
            rows = [(f"{seq:08d}", msgspec.json.decode(raw, type=ClaimEvent))
                    for (owner, claim, seq), raw in self.db.events.items()
                    if (owner, claim) == (creditor_id, claim_id)]
        return _page(rows, f"{creditor_id}#CLAIM#{claim_id}#EVENTS", page)

    def latest_events(self, creditor_id: str, claim_id: str, limit: int) -> list[ClaimEvent]:
        with self.db.lock:
            rows = sorted(((seq, raw) for (owner, claim, seq), raw in self.db.events.items()
                           if (owner, claim) == (creditor_id, claim_id)), reverse=True)
        return [msgspec.json.decode(raw, type=ClaimEvent) for _, raw in rows[:limit]]

    def claims_of_debtor(self, creditor_id: str, debtor_id: str) -> list[Claim]:
        return sorted((c for c in self._claims(creditor_id) if c.debtor_id == debtor_id),
                      key=_claim_order)

    def get_claim_context(self, creditor_id: str, claim_id: str, debtor_id: str
                          ) -> tuple[Claim, ClaimAccount, Debtor | None, Creditor | None] | None:
        with self.db.lock:  # one read of the four, as DynamoDB's BatchGetItem gives
            found = self.get_claim_account(creditor_id, claim_id)
            if found is None or found[0].debtor_id != debtor_id:
                return None
            return (*found, _load(self.db.debtors.get((creditor_id, debtor_id)), Debtor),
                    _load(self.db.creditors.get(creditor_id), Creditor))

    def claims_due(self, shard: int, before: datetime, limit: int,
                   cursor: str | None) -> Page[tuple[str, str]]:
        import zlib

        from domain.ports.repositories import DUE_SHARDS

        hi = before.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S") + "#~"
        with self.db.lock:
            claims = [msgspec.json.decode(raw, type=Claim) for raw in self.db.claims.values()]
        rows = [(f"{c.next_action_at.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%S')}"
                 f"#{c.creditor_id}#{c.id}", (c.creditor_id, c.id))
                for c in claims if c.next_action_at is not None
                and zlib.crc32(c.id.encode()) % DUE_SHARDS == shard]
        return _page(rows, f"DUE#{shard}", PageRequest(limit, cursor), lo="0000", hi=hi)


class FakeLetters(_Repository):
    def get_letter(self, creditor_id: str, claim_id: str,
                   letter_id: str) -> tuple[Letter, LetterContent] | None:
        key = (creditor_id, claim_id, letter_id)
        with self.db.lock:
            letter = _load(self.db.letters.get(key), Letter)
            content = _load(self.db.letter_contents.get(key), LetterContent)
        return None if letter is None or content is None else (letter, content)

    def list_letters(self, creditor_id: str, claim_id: str) -> list[Letter]:
        with self.db.lock:
            letters = [msgspec.json.decode(raw, type=Letter)
                       for (owner, claim, _), raw in self.db.letters.items()
                       if (owner, claim) == (creditor_id, claim_id)]
        return sorted(letters, key=lambda x: (x.requested_at, x.id))

    def add_letter(self, letter: Letter, content: LetterContent) -> None:
        db, key = self.db, (letter.creditor_id, letter.claim_id, letter.id)
        self.uow.stage(
            _put(db.letters, key, letter, field_name="letter", check=lambda: (
                Conflict("letter id collision; retry") if key in db.letters else None)),
            _put(db.letter_contents, key, content, field_name="letter"))

    def save_letter(self, letter: Letter, expected_version: int) -> None:
        db, key = self.db, (letter.creditor_id, letter.claim_id, letter.id)
        self.uow.stage(_put(db.letters, key, letter, field_name="letter", check=lambda: (
            None if _version(db.letters.get(key)) == expected_version
            else StaleVersion("letter changed since it was read"))))

    def claim_of_reference(self, creditor_id: str, reference: str) -> str | None:
        return self.db.unique.get((creditor_id, "RF", reference))

    def add_reference(self, creditor_id: str, reference: str, claim_id: str) -> None:
        db, slot = self.db, (creditor_id, "RF", reference)
        self.uow.stage(_Write(
            lambda: Conflict(f"reference {reference} is another claim's",
                             field_path="payment_reference")
            if db.unique.get(slot, claim_id) != claim_id else None,
            lambda: db.unique.__setitem__(slot, claim_id), len(reference)))

    def find_dispatch(self, provider: str, provider_id: str) -> DispatchRef | None:
        row = self.db.dispatches.get((provider, provider_id))
        return None if row is None else msgspec.json.decode(row[0], type=DispatchRef)

    def track_dispatch(self, ref: DispatchRef, in_flight: bool, updated_at: datetime) -> None:
        raw = _encoder.encode(ref)
        row = (raw, in_flight, f"{updated_at.isoformat()}#{ref.provider_id}")
        db = self.db
        self.uow.stage(_Write(lambda: None, lambda: db.dispatches.__setitem__(
            (ref.provider, ref.provider_id), row), len(raw)))

    def dispatches_in_flight(self, provider: str, limit: int,
                             cursor: str | None) -> Page[DispatchRef]:
        with self.db.lock:
            rows = [(order, msgspec.json.decode(raw, type=DispatchRef))
                    for (name, _), (raw, flying, order) in self.db.dispatches.items()
                    if name == provider and flying]
        return _page(rows, f"POSTAL#INFLIGHT#{provider}", PageRequest(limit, cursor))


class FakePolicies(_Repository):
    def get_policy(self, creditor_id: str, policy_id: str) -> Policy | None:
        return _load(self.db.policies.get((creditor_id, policy_id)), Policy)

    def list_policies(self, creditor_id: str) -> list[Policy]:
        with self.db.lock:
            rows = sorted((k, v) for k, v in self.db.policies.items() if k[0] == creditor_id)
        return [msgspec.json.decode(raw, type=Policy) for _, raw in rows]

    def add_policy(self, policy: Policy) -> None:
        db, key = self.db, (policy.creditor_id, policy.id)
        self.uow.stage(_put(db.policies, key, policy, field_name="steps", check=lambda: (
            Conflict(f"policy {policy.id} was created meanwhile: read it and send its ETag "
                     "in If-Match") if key in db.policies else None)))

    def save_policy(self, policy: Policy, expected_version: int) -> None:
        db, key = self.db, (policy.creditor_id, policy.id)
        self.uow.stage(_put(db.policies, key, policy, field_name="steps", check=lambda: (
            None if _version(db.policies.get(key)) == expected_version
            else StaleVersion("policy changed since it was read"))))

    def default_policy_id(self, creditor_id: str) -> str | None:
        return self.db.default_policies.get(creditor_id)

    def set_default_policy(self, creditor_id: str, policy_id: str,
                           previous: str | None) -> None:
        db = self.db
        self.uow.stage(_Write(
            lambda: None if db.default_policies.get(creditor_id) == previous
            else StaleVersion("the default policy changed since it was read"),
            lambda: db.default_policies.__setitem__(creditor_id, policy_id), len(policy_id)))
def _task_order(task: Task) -> str:
    # The DynamoDB adapter's sort key: the due instant in UTC, fixed width, then the id.
    return f"{task.due_at.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%S.%fZ')}#{task.id}"


class FakeTasks(_Repository):
    def get_task(self, creditor_id: str, task_id: str) -> Task | None:
        return _load(self.db.tasks.get((creditor_id, task_id)), Task)

    def add_task(self, task: Task) -> None:
        db, key = self.db, (task.creditor_id, task.id)
        self.uow.stage(_put(db.tasks, key, task, field_name="task", check=lambda: (
            Conflict("task id collision; retry") if key in db.tasks else None)))

    def save_task(self, task: Task, expected_version: int) -> None:
        db, key = self.db, (task.creditor_id, task.id)
        self.uow.stage(_put(db.tasks, key, task, field_name="task", check=lambda: (
            None if _version(db.tasks.get(key)) == expected_version
            else StaleVersion("task changed since it was read"))))

    def list_tasks(self, creditor_id: str, filter: TaskFilter,
                   page: PageRequest) -> Page[Task]:
        with self.db.lock:
            tasks = [msgspec.json.decode(raw, type=Task)
                     for (owner, _), raw in self.db.tasks.items() if owner == creditor_id]
        # The partitions the adapter queries: one claim's tasks, or one status's.
        if filter.claim_id:
            partition = f"{creditor_id}#CLAIMTASKS#{filter.claim_id}"
            tasks = [t for t in tasks if t.claim_id == filter.claim_id]
        else:
            partition = f"{creditor_id}#TASKS#{filter.status.value}"
        tasks = [t for t in tasks if t.status is filter.status
                 and (filter.kind is None or t.kind is filter.kind)
                 and (filter.assignee is None or t.assignee == filter.assignee)]
        hi = "\U0010ffff"
        if filter.due_before is not None:
            hi = filter.due_before.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") + "#"
        return _page([(_task_order(t), t) for t in tasks], partition, page, lo="", hi=hi)

    def open_tasks_of_claim(self, creditor_id: str, claim_id: str) -> list[Task]:
        return self.list_tasks(creditor_id, TaskFilter(TaskStatus.OPEN, claim_id=claim_id),
                               PageRequest(10_000)).items

    def calls_of_debtor(self, creditor_id: str, debtor_id: str,
                        since: datetime) -> list[datetime]:
        with self.db.lock:
            tasks = [msgspec.json.decode(raw, type=Task)
                     for (owner, _), raw in self.db.tasks.items() if owner == creditor_id]
        calls = [(t.completed_at or t.due_at) if t.status is TaskStatus.DONE else t.due_at
                 for t in tasks if t.debtor_id == debtor_id and t.kind is TaskKind.CALL
                 and t.status is not TaskStatus.SKIPPED]
        return sorted(at for at in calls if at >= since)


class FakeDocuments(_Repository):
    def get_document(self, creditor_id: str, claim_id: str,
                     document_id: str) -> UploadedDocument | None:
        return _load(self.db.documents.get((creditor_id, claim_id, document_id)),
                     UploadedDocument)

    def list_documents(self, creditor_id: str, claim_id: str) -> list[UploadedDocument]:
        with self.db.lock:
            found = [msgspec.json.decode(raw, type=UploadedDocument)
                     for (owner, claim, _), raw in self.db.documents.items()
                     if (owner, claim) == (creditor_id, claim_id)]
        return sorted(found, key=lambda d: (d.uploaded_at, d.id))

    def add_document(self, document: UploadedDocument) -> None:
        db, key = self.db, (document.creditor_id, document.claim_id, document.id)
        self.uow.stage(_put(db.documents, key, document, field_name="document", check=lambda: (
            Conflict("document id collision; retry") if key in db.documents else None)))


class FakeMandates(_Repository):
    def get_mandate(self, creditor_id: str, mandate_id: str) -> Mandate | None:
        return _load(self.db.mandates.get((creditor_id, mandate_id)), Mandate)

    def _link(self, creditor_id: str, mandate_id: str, claim_id: str) -> _Write:
        links = self.db.mandate_links
        return _Write(lambda: None, lambda: links.__setitem__(
            (creditor_id, claim_id, mandate_id), mandate_id), len(mandate_id))

    def add_mandate(self, mandate: Mandate) -> None:
        db, key = self.db, (mandate.creditor_id, mandate.id)
        self.uow.stage(_put(db.mandates, key, mandate, field_name="mandate", check=lambda: (
            Conflict("mandate id collision; retry") if key in db.mandates else None)),
            *(self._link(mandate.creditor_id, mandate.id, c)
              for c in dict.fromkeys(c.claim_id for c in mandate.claims)))

    def save_mandate(self, mandate: Mandate, expected_version: int) -> None:
        db, key = self.db, (mandate.creditor_id, mandate.id)
        self.uow.stage(_put(db.mandates, key, mandate, field_name="mandate", check=lambda: (
            None if _version(db.mandates.get(key)) == expected_version
            else StaleVersion("mandate changed since it was read"))))

    def link_claim(self, creditor_id: str, mandate_id: str, claim_id: str) -> None:
        self.uow.stage(self._link(creditor_id, mandate_id, claim_id))

    def mandates_of_claim(self, creditor_id: str, claim_id: str) -> list[Mandate]:
        with self.db.lock:
            ids = [m for (c, k, _), m in self.db.mandate_links.items()
                   if c == creditor_id and k == claim_id]
        found = [self.get_mandate(creditor_id, i) for i in ids]
        return sorted((m for m in found if m is not None), key=lambda m: (m.created_at, m.id))


class FakeProceedings(_Repository):
    def _of(self, creditor_id: str, claim_id: str) -> list[Proceeding]:
        with self.db.lock:
            rows = sorted((key[2], raw) for key, raw in self.db.proceedings.items()
                          if key[:2] == (creditor_id, claim_id))
        return [msgspec.json.decode(raw, type=Proceeding) for _, raw in rows]

    def current_proceeding(self, creditor_id: str, claim_id: str) -> Proceeding | None:
        found = self._of(creditor_id, claim_id)
        return found[-1] if found else None

    def list_proceedings(self, creditor_id: str, claim_id: str) -> list[Proceeding]:
        return self._of(creditor_id, claim_id)

    def add_proceeding(self, proceeding: Proceeding) -> None:
        db, key = self.db, (proceeding.creditor_id, proceeding.claim_id, proceeding.number)
        self.uow.stage(_put(db.proceedings, key, proceeding, field_name="proceeding",
                            check=lambda: Conflict("a proceeding was started meanwhile; retry")
                            if key in db.proceedings else None))

    def save_proceeding(self, proceeding: Proceeding, expected_version: int) -> None:
        db, key = self.db, (proceeding.creditor_id, proceeding.claim_id, proceeding.number)
        self.uow.stage(_put(db.proceedings, key, proceeding, field_name="proceeding",
                            check=lambda: None
                            if _version(db.proceedings.get(key)) == expected_version
                            else StaleVersion("proceeding changed since it was read")))


# ------------------------------------------------------------------------ unit of work
class FakeWatch(_Repository):
    """The insolvency watch's index, as GSI5 holds it: the open claims, by shard of their
    debtor, in creditor#debtor#claim order."""

    def watched_claims(self, shard: int, limit: int,
                       cursor: str | None) -> Page[WatchedClaim]:
        from adapters.dynamodb.keys import watch_shard

        with self.db.lock:
            claims = [msgspec.json.decode(raw, type=Claim) for raw in self.db.claims.values()]
        rows = [(f"{c.creditor_id}#{c.debtor_id}#{c.id}",
                 WatchedClaim(c.creditor_id, c.debtor_id, c.id))
                for c in claims if c.phase is not Phase.CLOSED
                and watch_shard(c.creditor_id, c.debtor_id) == shard]
        return _page(rows, f"WATCH#{shard}", PageRequest(limit, cursor))

    def debtors_with_watch(self, keys: list[tuple[str, str]]
                           ) -> dict[tuple[str, str], tuple[Debtor | None, DebtorWatch | None]]:
        with self.db.lock:
            return {key: (_load(self.db.debtors.get(key), Debtor),
                          _load(self.db.watches.get(key), DebtorWatch)) for key in keys}

    def save_watch(self, watch: DebtorWatch) -> None:
        self.uow.stage(_put(self.db.watches, (watch.creditor_id, watch.debtor_id), watch))


class FakeUnitOfWork(Staging[_Write]):
    """Implements domain.ports.UnitOfWork in memory, with DynamoDB's transaction rules."""

    def __init__(self, db: FakeDatabase,
                 before_commit: Callable[[], None] | None = None) -> None:
        self.db = db
        # Runs at each commit that writes, after the reads and before the writes: a test
        # makes a concurrent change there to replay a lost race.
        self.before_commit = before_commit
        super().__init__()
        self.creditors = FakeCreditors(self)
        self.api_keys = FakeApiKeys(self)
        self.debtors = FakeDebtors(self)
        self.claims = FakeClaims(self)
        self.letters = FakeLetters(self)
        self.policies = FakePolicies(self)
        self.tasks = FakeTasks(self)
        self.documents = FakeDocuments(self)
        self.mandates = FakeMandates(self)
        self.proceedings = FakeProceedings(self)
        self.watch = FakeWatch(self)

    def commit(self) -> None:
        writes, effects = self.take()
        if writes:
            field_name = next((w.field for w in writes if w.field), "body")
            refuse_oversized(len(writes), sum(w.size for w in writes), field_name)
            for write in writes:
                if write.size > MAX_BYTES_PER_ITEM:
                    raise too_large(write.field)
            if self.before_commit is not None:
                self.before_commit()
            with self.db.lock:
                for write in writes:
                    failure = write.check()
                    if failure is not None:
                        raise failure
                for write in writes:
                    write.apply()
                self.db.commits += 1
        for effect in effects:
            effect()


# ------------------------------------------------------------------------------ rates
class FakeRateStore:
    """Implements domain.ports.RateStore: the shipped tables plus the operator's rows."""

    def __init__(self) -> None:
        self.published: dict[str, Any] | None = None
        self._cached: tuple[dict[str, Any] | None, dict[str, Any], RateTables] | None = None

    def _load(self) -> tuple[dict[str, Any], RateTables]:
        if self._cached is None or self._cached[0] is not self.published:
            document = in_force(shipped_document(), self.published)
            self._cached = (self.published, document, RateTables.from_mapping(document))
        return self._cached[1], self._cached[2]

    def rate_tables(self) -> RateTables:
        return self._load()[1]

    def document(self) -> dict[str, Any]:
        return self._load()[0]

    def publish(self, legal: list[dict[str, str]], ecb: list[dict[str, str]],
                ecb_known_through: str | None) -> dict[str, Any]:
        rows, document = publish(shipped_document(), self.published, legal, ecb,
                                 ecb_known_through)
        self.published = json.loads(json.dumps(rows))  # stored, not shared
        return document


# ---------------------------------------------------------------------------- letters
class FakeDocumentStore:
    """Implements domain.ports.letters.DocumentStore in memory, written once per key as
    S3 with If-None-Match does; `fail_writes` makes the next writes fail as S3 can."""

    def __init__(self) -> None:
        self.objects: dict[str, tuple[bytes, dict[str, str]]] = {}
        self.slots: dict[str, tuple[str, str, dict[str, str]]] = {}
        self.fail_writes = 0
        self.writes = 0
        # What reads took: the keys read whole, the largest chunk a streamed read gave.
        self.whole_reads: list[str] = []
        self.largest_chunk = 0

    def put_once(self, key: str, body: bytes, content_type: str,
                 metadata: Mapping[str, str]) -> StoredObject:
        if self.fail_writes:
            self.fail_writes -= 1
            raise StorageFailed("S3 refused the object (ServiceUnavailable)")
        digest = hashlib.sha256(body).hexdigest()
        if key in self.objects:
            stored, meta = self.objects[key]
            raise AlreadyStored(StoredObject(key, len(stored), meta["sha256"], meta))
        meta = {**metadata, "sha256": digest, "content-type": content_type}
        self.objects[key] = (body, meta)
        self.writes += 1
        return StoredObject(key, len(body), digest, meta)

    def read(self, key: str) -> bytes:
        if key not in self.objects:
            raise StorageFailed(f"no object at {key}")
        self.whole_reads.append(key)
        return self.objects[key][0]

    # domain.ports.documents.StreamedDocuments
    def read_chunks(self, key: str) -> Iterator[bytes]:
        if key not in self.objects:
            raise StorageFailed(f"no object at {key}")
        view = memoryview(self.objects[key][0])
        for start in range(0, len(view), CHUNK_BYTES):
            chunk = bytes(view[start:start + CHUNK_BYTES])
            self.largest_chunk = max(self.largest_chunk, len(chunk))
            yield chunk

    def put_once_file(self, key: str, body: IO[bytes], size: int, sha256: str,
                      content_type: str, metadata: Mapping[str, str]) -> StoredObject:
        data = body.read(size)
        # What S3 refuses on receipt: another length or another checksum (BadDigest).
        if len(data) != size or hashlib.sha256(data).hexdigest() != sha256:
            raise StorageFailed("S3 refused the object (BadDigest)")
        return self.put_once(key, data, content_type, metadata)

    def download_url(self, key: str, filename: str, expires_in: int) -> str:
        return f"https://documents.example/{key}?expires={expires_in}&filename={filename}"

    # domain.ports.documents.UploadSlots: a slot is remembered by its URL; `deliver` is the
    # client's PUT, stored as sent (as moto does: no signature nor checksum checked, so a
    # test can send what S3 itself would refuse and see the completion refuse it).
    max_upload_bytes = 25 * 1024 * 1024

    def upload_slot(self, key: str, content_type: str, size: int, sha256: str,
                    metadata: Mapping[str, str], expires_in: int) -> UploadSlot:
        url = f"https://documents.example/upload/{key}?expires={expires_in}"
        meta = {**metadata, "sha256": sha256}
        self.slots[url] = (key, content_type, meta)
        return UploadSlot("PUT", url, {"Content-Type": content_type,
                                       **{f"x-amz-meta-{k}": v for k, v in meta.items()}},
                          expires_in)

    def deliver(self, url: str, body: bytes, content_type: str | None = None) -> None:
        key, declared_type, meta = self.slots[url]
        self.objects[key] = (body, {**meta, "content-type": content_type or declared_type})

    def received(self, key: str) -> ReceivedObject | None:
        if key not in self.objects:
            return None
        body, meta = self.objects[key]
        return ReceivedObject(len(body), meta.get("content-type", ""),
                              hashlib.sha256(body).hexdigest(),
                              {k: v for k, v in meta.items() if k != "content-type"})


class RecordingQueue:
    """Implements domain.ports.letters.LetterQueue: keeps the jobs for the test to run."""

    def __init__(self) -> None:
        self.jobs: list[RenderJob] = []

    def enqueue(self, job: RenderJob) -> None:
        self.jobs.append(job)


class FakeRenderer:
    """Implements domain.ports.letters.LetterRenderer with no PDF engine: the "PDF" is the
    content's JSON, so the same content gives the same bytes, as the real renderer must."""

    version = "fake-renderer/1"

    def __init__(self) -> None:
        self.renders = 0
        self.fail_next: Exception | None = None

    def render(self, content: LetterContent) -> RenderedLetter:
        if self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error
        self.renders += 1
        return RenderedLetter(b"%PDF-fake\n" + _encoder.encode(content),
                              1 + len(content.invoices) // 20)


@dataclass
class FakeWorld:
    """The ports a service test passes to use cases, and the fake behind them."""

    ports: Ports
    db: FakeDatabase
    clock: FrozenClock
    rates: FakeRateStore
    # Runs at every commit that writes, between its reads and its writes.
    before_commit: Callable[[], None] | None = None
    documents: FakeDocumentStore = field(default_factory=FakeDocumentStore)
    queue: RecordingQueue = field(default_factory=RecordingQueue)
    renderer: FakeRenderer = field(default_factory=FakeRenderer)
    postal: Any = None
    email: Any = None
    sms: Any = None
    scheduler: Any = None

    def run_letter_jobs(self) -> list[Letter]:
        """The letter worker, inline: render every queued job once."""
        from domain.services.letters import render_letter

        jobs, self.queue.jobs = self.queue.jobs, []
        return [render_letter(job, self.ports) for job in jobs]

    def race_once(self, change: Callable[[], object]) -> None:
        """Make `change` (another writer, through the same ports) land just before the next
        commit, as a concurrent request would between that commit's read and its write."""

        def hook() -> None:
            self.before_commit = None
            change()

        self.before_commit = hook

    def touch_claim(self, creditor_id: str, claim_id: str) -> None:
        """Move a stored claim's version on, as another writer would."""
        with self.db.lock:
            key = (creditor_id, claim_id)
            claim = msgspec.json.decode(self.db.claims[key], type=Claim)
            claim.version += 1
            self.db.claims[key] = _encoder.encode(claim)


def fake_ports(clock: FrozenClock, *, escalation: bool = False) -> FakeWorld:
    """`escalation`: with the fake e-mail and SMS senders and the local scheduler, so every
    claim change keeps a schedule (the journey tests); without, nothing is scheduled."""
    db = FakeDatabase()
    rates = FakeRateStore()
    world: FakeWorld

    def before_commit() -> None:
        if world.before_commit is not None:
            world.before_commit()

    from adapters.postal.fake import FakePostalProvider

    documents, queue, renderer = FakeDocumentStore(), RecordingQueue(), FakeRenderer()
    postal = FakePostalProvider(clock)
    from adapters.messaging.fake import FakeEmailSender, FakeSmsSender
    from adapters.scheduler_local import LocalScheduler

    email, sms = FakeEmailSender(), FakeSmsSender()
    scheduler = LocalScheduler(clock) if escalation else None
    world = FakeWorld(Ports(unit_of_work=lambda: FakeUnitOfWork(db, before_commit),
                            clock=clock, rates=rates, documents=documents,
                            letter_queue=queue, postal=postal, renderer=lambda: renderer,
                            email=email, sms=sms, scheduler=scheduler),
                      db, clock, rates, documents=documents, queue=queue,
                      renderer=renderer, postal=postal, email=email, sms=sms,
                      scheduler=scheduler)
    return world
