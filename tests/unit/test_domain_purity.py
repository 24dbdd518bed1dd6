"""The domain stays pure: no AWS SDK, no web framework, no PDF renderer, no adapters."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "src" / "domain"
FORBIDDEN = ("boto3", "botocore", "litestar", "weasyprint", "moto", "aws_lambda_powertools",
             "mangum", "adapters", "api")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_domain_has_modules() -> None:
    assert len(list(DOMAIN.rglob("*.py"))) > 5


@pytest.mark.parametrize("path", sorted(DOMAIN.rglob("*.py")), ids=lambda p: p.name)
def test_domain_module_imports_nothing_outward(path: Path) -> None:
    offending = {name for name in imported_modules(path)
                 if name.split(".")[0] in FORBIDDEN}
    assert not offending, f"{path.name} imports {sorted(offending)}"


def test_the_check_catches_an_outward_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import json\nfrom boto3.session import Session\n")
    assert "boto3.session" in imported_modules(bad)
