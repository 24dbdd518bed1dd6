"""The mandates' repository promises, on the fake, moto and DynamoDB Local alike: a mandate
is read back whole, saved only from the version read, found by each claim it covers (one
added later too, the oldest mandate first), never across tenants; a recipient's key is
rewritten with its new scope."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import msgspec
import pytest

from domain.claims.judicial import TransferTarget
from domain.creditors.model import Address, ApiKey
from domain.judicial.handoff import (
    Commission,
    Mandate,
    MandatedClaim,
    MandateStatus,
    Recipient,
)
from domain.shared.errors import Conflict, StaleVersion

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def mandate(n: int = 1, *, creditor: str = "cred_a", claims: tuple[str, ...] = ("clm_1",),
            at: datetime = NOW) -> Mandate:
    return Mandate(
        id=f"mdt_{n:03d}", creditor_id=creditor,
        recipient=Recipient(TransferTarget.LAWYER, "Maître Durand",
                            Address(("3 place Bellecour",), "69002", "Lyon", "FR"), None),
        reference=f"MDT-{n}", document="doc_signed", insurance="RCP Allianz 77",
        commission=Commission("EUR", Decimal("15"), Decimal("150.00")),
        signed_on=date(2026, 3, 9), key_id=f"key_{n}",
        claims=tuple(MandatedClaim(c, MandateStatus.ACTIVE, at) for c in claims),
        created_at=at, updated_at=at)


def add(units: Any, *mandates: Mandate) -> None:
    with units() as uow:
        for m in mandates:
            uow.mandates.add_mandate(m)
        uow.commit()


def test_a_mandate_is_read_back_whole_and_its_id_is_taken_once(units: Any) -> None:
    add(units, mandate())
    assert units().mandates.get_mandate("cred_a", "mdt_001") == mandate()
    with pytest.raises(Conflict):
        add(units, mandate())
    assert units().mandates.get_mandate("cred_b", "mdt_001") is None


def test_a_mandate_is_saved_only_from_the_version_read(units: Any) -> None:
    add(units, mandate())
    ended = mandate().ended("clm_1", MandateStatus.WITHDRAWN, NOW + timedelta(days=1))
    with units() as uow:
        uow.mandates.save_mandate(ended, 1)
        uow.commit()
    assert units().mandates.get_mandate("cred_a", "mdt_001") == ended
    with pytest.raises(StaleVersion), units() as uow:
        uow.mandates.save_mandate(replace(ended, version=3), 1)
        uow.commit()


def test_a_claims_mandates_are_found_oldest_first_and_never_across_tenants(
        units: Any) -> None:
    add(units, mandate(2, claims=("clm_1", "clm_2"), at=NOW + timedelta(hours=1)),
        mandate(1, at=NOW), mandate(3, creditor="cred_b"))
    assert [m.id for m in units().mandates.mandates_of_claim("cred_a", "clm_1")] == [
        "mdt_001", "mdt_002"]
    assert [m.id for m in units().mandates.mandates_of_claim("cred_a", "clm_2")] == ["mdt_002"]
    assert units().mandates.mandates_of_claim("cred_a", "clm_9") == []
    assert [m.id for m in units().mandates.mandates_of_claim("cred_b", "clm_1")] == ["mdt_003"]
    joined = mandate(1).with_claim("clm_9", NOW)
    with units() as uow:
        uow.mandates.save_mandate(joined, 1)
        uow.mandates.link_claim("cred_a", "mdt_001", "clm_9")
        uow.commit()
    assert [m.id for m in units().mandates.mandates_of_claim("cred_a", "clm_9")] == ["mdt_001"]


def test_a_recipients_key_is_rewritten_with_its_scope(units: Any) -> None:
    key = ApiKey(id="key_1", creditor_id="cred_a", secret_hash="h" * 64, scopes=("mandate",),
                 name="mandate MDT-1", prefix="rlk_abcdef", created_at=NOW,
                 mandate_id="mdt_001", claim_ids=("clm_1",))
    with units() as uow:
        uow.api_keys.add_api_key(key)
        uow.commit()
    wider = replace(key, claim_ids=("clm_1", "clm_2"), version=1)
    with units() as uow:
        uow.api_keys.save_api_key(wider, 0)
        uow.commit()
    assert units().api_keys.find_api_key("h" * 64) == wider
    assert units().api_keys.list_api_keys("cred_a") == [wider]
    with pytest.raises(StaleVersion), units() as uow:
        uow.api_keys.save_api_key(replace(key, id="key_gone", secret_hash="g" * 64), 0)
        uow.commit()
    with pytest.raises(StaleVersion), units() as uow:  # from the version before `wider`
        uow.api_keys.save_api_key(replace(key, claim_ids=("clm_3",), version=1), 0)
        uow.commit()
    assert units().api_keys.list_api_keys("cred_a") == [wider]


def test_a_revoked_key_is_never_revoked_back_by_a_stale_rescope(units: Any) -> None:
    # A withdraw read the recipient's key, the creditor revoked it, the withdraw saves.
    key = ApiKey(id="key_1", creditor_id="cred_a", secret_hash="h" * 64, scopes=("mandate",),
                 name="mandate MDT-1", prefix="rlk_abcdef", created_at=NOW,
                 mandate_id="mdt_001", claim_ids=("clm_1", "clm_2"))
    with units() as uow:
        uow.api_keys.add_api_key(key)
        uow.commit()
    read = units().api_keys.list_api_keys("cred_a")[0]
    with units() as uow:
        revoked = uow.api_keys.revoke_api_key("cred_a", "key_1", NOW)
        uow.commit()
    assert revoked is not None and revoked.version == read.version + 1
    narrower = replace(read, claim_ids=("clm_2",), version=read.version + 1)
    with pytest.raises(StaleVersion), units() as uow:
        uow.api_keys.save_api_key(narrower, read.version)
        uow.commit()
    for found in (units().api_keys.find_api_key("h" * 64),
                  units().api_keys.list_api_keys("cred_a")[0]):
        assert found == revoked and found.revoked_at == NOW and found.claim_ids == (
            "clm_1", "clm_2")


def test_a_revocation_staged_before_a_rescope_commits_is_refused(units: Any) -> None:
    # The other order: the revocation read the key, a rescope committed first; the
    # revocation is refused (StaleVersion: its use case reads again) rather than put the
    # old claims back.
    key = ApiKey(id="key_1", creditor_id="cred_a", secret_hash="h" * 64, scopes=("mandate",),
                 name="mandate MDT-1", prefix="rlk_abcdef", created_at=NOW,
                 mandate_id="mdt_001", claim_ids=("clm_1", "clm_2"))
    with units() as uow:
        uow.api_keys.add_api_key(key)
        uow.commit()
    narrower = replace(key, claim_ids=("clm_2",), version=1)
    with pytest.raises(StaleVersion), units() as revoking:
        revoking.api_keys.revoke_api_key("cred_a", "key_1", NOW)
        with units() as uow:
            uow.api_keys.save_api_key(narrower, 0)
            uow.commit()
        revoking.commit()
    assert units().api_keys.list_api_keys("cred_a") == [narrower]
    with units() as uow:
        revoked = uow.api_keys.revoke_api_key("cred_a", "key_1", NOW)
        uow.commit()
    assert revoked == replace(narrower, revoked_at=NOW, version=2)
    assert units().api_keys.find_api_key("h" * 64) == revoked


def test_a_key_stored_before_keys_had_versions_is_at_version_0(
        backend: tuple[Any, str]) -> None:
    from adapters.dynamodb import DynamoUnitOfWork

    client, table = backend
    key = ApiKey(id="key_1", creditor_id="cred_a", secret_hash="h" * 64, scopes=("mandate",),
                 name="mandate MDT-1", prefix="rlk_abcdef", created_at=NOW,
                 mandate_id="mdt_001", claim_ids=("clm_1", "clm_2"))
    # As the code before versions wrote it: no `version` attribute, none in `data` either.
    old = json.loads(msgspec.json.encode(key))
    del old["version"]
    for pk, sk in (("APIKEY#" + "h" * 64, "APIKEY"), ("T#cred_a", "KEY#key_1")):
        client.put_item(TableName=table, Item={
            "PK": {"S": pk}, "SK": {"S": sk}, "entity": {"S": "api_key"},
            "data": {"S": json.dumps(old)}})
    units = lambda: DynamoUnitOfWork(client, table)  # noqa: E731
    assert units().api_keys.list_api_keys("cred_a") == [key]
    narrower = replace(key, claim_ids=("clm_2",), version=1)
    with units() as uow:
        uow.api_keys.save_api_key(narrower, 0)
        uow.commit()
    assert units().api_keys.find_api_key("h" * 64) == narrower
    with pytest.raises(StaleVersion), units() as uow:
        uow.api_keys.save_api_key(replace(key, version=1), 0)
        uow.commit()
