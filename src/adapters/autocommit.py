"""Every repository port behind one object whose writes commit at once.

Use cases change things through a unit of work (`with uow: … uow.commit()`). Seeding
demo data, benchmarks and the repository contract tests make one change at a time; this
facade gives them the repositories' own methods, each write in its own unit of work, so
they exercise the same commit path (and the same error mapping) as the use cases.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from domain.ports.unit_of_work import UnitOfWork

_WRITES = ("add_", "save_", "revoke_")


class AutoCommitRepository:
    def __init__(self, unit_of_work: Callable[[], UnitOfWork]) -> None:
        self.unit_of_work = unit_of_work

    def __getattr__(self, name: str) -> Any:
        uow = self.unit_of_work()
        for repository in (uow.creditors, uow.api_keys, uow.debtors, uow.claims):
            method = getattr(repository, name, None)
            if method is not None:
                break
        else:
            raise AttributeError(name)
        if not name.startswith(_WRITES):
            return method

        def write(*args: Any, **kwargs: Any) -> Any:
            with uow:
                result = method(*args, **kwargs)
                uow.commit()
                return result

        return write
