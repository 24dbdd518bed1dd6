"""Every key of the single table, in one place (the design is in infra/README.md).

Keys are prefixed by the creditor (`T#<creditor>#…`), so no query can cross tenants.
"""

from __future__ import annotations

from datetime import UTC, datetime

from domain.ports.repositories import DUE_SHARDS  # the sweeper's index (GSI4) shards

GSI_NAMES = ("GSI1", "GSI2", "GSI3", "GSI4", "GSI5")
# Indexes whose key alone names the item: the sweeper's (GSI4) and the insolvency watch's.
KEYS_ONLY = frozenset({"GSI4", "GSI5"})

# The claim's account (payments, promises, plan) sorts right after the claim's META item.
ACCOUNT_SK = "META#ACCOUNT"


def tenant(creditor_id: str) -> str:
    return f"T#{creditor_id}"


def claim_pk(creditor_id: str, claim_id: str) -> str:
    return f"T#{creditor_id}#CLAIM#{claim_id}"


def debtor_pk(creditor_id: str, debtor_id: str) -> str:
    return f"T#{creditor_id}#DEBTOR#{debtor_id}"


def uniq_pk(creditor_id: str, kind: str, value: str) -> str:
    return f"T#{creditor_id}#UNIQ#{kind}#{value}"


def event_sk(seq: int) -> str:
    # The sequence number alone orders the timeline (clocks of two Lambdas may disagree by
    # a few milliseconds); the instant is kept in the item's data.
    return f"EVT#{seq:08d}"


def letter_sk(letter_id: str) -> str:
    # In the claim's partition, apart from META (read with the account) and EVT#.
    return f"LETTER#{letter_id}"


def dispatch_pk(provider: str, provider_id: str) -> str:
    # A provider's webhook names only its own id: the lookup cannot carry the tenant.
    return f"POSTAL#{provider}#{provider_id}"


def dispatches_in_flight(provider: str) -> str:
    return f"POSTAL#INFLIGHT#{provider}"


def due_shard(claim_id: str) -> int:
    import zlib

    return zlib.crc32(claim_id.encode()) % DUE_SHARDS


def due_pk(shard: int) -> str:
    return f"DUE#{shard}"


def policy_sk(policy_id: str) -> str:
    # In the creditor's own partition (`tenant`), beside its profile and keys.
    return f"POLICY#{policy_id}"


# Which policy is the creditor's default: one small item, so that moving the default is one
# conditional write and never rewrites the policies themselves.
DEFAULT_POLICY_SK = "POLICYDEFAULT"


def task_pk(creditor_id: str, task_id: str) -> str:
    return f"T#{creditor_id}#TASK#{task_id}"


def tasks_of_status(creditor_id: str, status: str) -> str:
    """GSI1: a tenant's tasks of one status (the worklist), sorted by `task_order`."""
    return f"T#{creditor_id}#TASKS#{status}"


def tasks_of_claim(creditor_id: str, claim_id: str) -> str:
    """GSI3: every task of one claim, sorted by `task_order`."""
    return f"T#{creditor_id}#CLAIMTASKS#{claim_id}"


def calls_of_debtor(creditor_id: str, debtor_id: str) -> str:
    """GSI2 (sparse): a debtor's call tasks open or done, sorted by `task_order` of the call's
    instant (its completion, or its due instant while open)."""
    return f"T#{creditor_id}#CALLS#{debtor_id}"


def instant_key(at: datetime) -> str:
    """An instant as a sort key: UTC, fixed width, so that text order is time order (an
    offset or missing microseconds in `isoformat()` would break it)."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def task_order(due_at: datetime, task_id: str) -> str:
    return f"{instant_key(due_at)}#{task_id}"


def document_sk(document_id: str) -> str:
    # An uploaded document's record, in its claim's partition beside the letters: the
    # dossier reads a claim's documents with one Query.
    return f"DOC#{document_id}"


def mandate_pk(creditor_id: str, mandate_id: str) -> str:
    return f"T#{creditor_id}#MANDATE#{mandate_id}"


def mandate_link_sk(mandate_id: str) -> str:
    # In the claim's partition: the mandates a claim was handed off under, by one Query.
    return f"MANDATE#{mandate_id}"


# A claim's proceedings, in its own partition beside the timeline: `JUDICIAL#<n>`, so the
# latest is the last of a begins_with query (and never read with META nor the events).
PROCEEDING_PREFIX = "JUDICIAL#"


def proceeding_sk(number: int) -> str:
    return f"{PROCEEDING_PREFIX}{number:04d}"


def watch_shard(creditor_id: str, debtor_id: str) -> int:
    """GSI5's shard of a debtor: every open claim of one debtor in one shard, side by side."""
    import zlib

    from domain.ports.watch import WATCH_SHARDS

    return zlib.crc32(f"{creditor_id}#{debtor_id}".encode()) % WATCH_SHARDS


def watch_pk(shard: int) -> str:
    """GSI5: the insolvency watch's sparse index of open claims, by debtor."""
    return f"WATCH#{shard}"


def watch_sk(creditor_id: str, debtor_id: str, claim_id: str) -> str:
    return f"{creditor_id}#{debtor_id}#{claim_id}"


# What the insolvency watch remembers of a debtor, in the debtor's partition.
WATCH_SK = "WATCH"
