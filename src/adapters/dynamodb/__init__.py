"""The single-table DynamoDB adapters: a unit of work and a repository per context.

Keys are prefixed by creditor (`T#<creditor>#...`) so that no query can cross tenants; the
key design is in infra/README.md and `keys.py`. Each aggregate is stored as one item whose
`data` attribute holds the msgspec JSON of the domain object, beside the key and index
attributes the queries need: one GetItem reads a whole claim, one TransactWriteItems writes
a change with its timeline events, conditional on the claim's version.
"""

from __future__ import annotations

from typing import Any

from adapters.autocommit import AutoCommitRepository
from adapters.dynamodb._table import create_table, decode_cursor, encode_cursor
from adapters.dynamodb.unit_of_work import DynamoUnitOfWork
from domain.ports.repositories import InvalidCursor

__all__ = ["DynamoRepository", "DynamoUnitOfWork", "InvalidCursor", "create_table",
           "decode_cursor", "encode_cursor"]


class DynamoRepository(AutoCommitRepository):
    """Every repository on one table, each write committed at once (seeding, tools, the
    contract tests). Use cases take the unit of work instead."""

    def __init__(self, client: Any, table: str) -> None:
        super().__init__(lambda: DynamoUnitOfWork(client, table))
        self.client = client
        self.table = table
