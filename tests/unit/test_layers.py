"""The layout's import rules, checked on the source: the direction between the domain's
contexts, the layers around it, and what each Lambda entry point loads.

Inside the domain: shared ← creditors, debtors ← claims ← amounts; the models ← ports ←
services; no model imports a port or a use case. Around it: api → domain ← adapters, and
adapters never import api. The HTTP function never loads moto, WeasyPrint or a sender; the
letter worker never loads litestar; the postal poller loads neither litestar nor WeasyPrint,
even once its ports are built.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"

# What each part of the domain may import from the domain (besides itself).
ALLOWED = {
    "shared": {"shared"},
    "creditors": {"shared"},
    "debtors": {"shared"},
    "claims": {"shared", "creditors", "debtors"},
    "amounts": {"shared", "creditors", "debtors", "claims"},
    "letters": {"shared", "creditors", "debtors", "claims", "amounts"},
    "escalation": {"shared", "creditors", "debtors", "claims", "amounts", "letters"},
    # The judicial phase's dated parameters and rules build on what a claim is and owes.
    "judicial": {"shared", "creditors", "debtors", "claims", "amounts", "judicial"},
    "ports": {"shared", "creditors", "debtors", "claims", "amounts", "letters", "escalation"},
    "services": {"shared", "creditors", "debtors", "claims", "amounts", "letters",
                 "escalation", "judicial", "ports", "services"},
}


def imports_of(path: Path) -> set[str]:
    """Every module `path` imports, at module level, in functions or under TYPE_CHECKING."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            if node.module == "domain":  # `from domain import services`
                names.update(f"domain.{alias.name}" for alias in node.names)
    return names


def _modules(package: str) -> list[Path]:
    return sorted((SRC / package).rglob("*.py"))


@pytest.mark.parametrize("path", _modules("domain"), ids=lambda p: str(p.relative_to(SRC)))
def test_each_domain_context_imports_only_what_it_builds_on(path: Path) -> None:
    parts = path.relative_to(SRC / "domain").parts
    if len(parts) == 1:  # domain/__init__.py
        return
    context = parts[0]
    used = {name.split(".")[1] for name in imports_of(path)
            if name.startswith("domain.") and len(name.split(".")) > 1}
    wrong = used - ALLOWED[context] - {context}
    assert not wrong, f"{path.relative_to(SRC)} ({context}) imports domain.{sorted(wrong)}"


@pytest.mark.parametrize("path", _modules("adapters"), ids=lambda p: str(p.relative_to(SRC)))
def test_adapters_never_import_the_api(path: Path) -> None:
    assert not {n for n in imports_of(path) if n.split(".")[0] == "api"}


def test_the_direction_check_catches_a_model_importing_a_use_case(tmp_path: Path) -> None:
    bad = tmp_path / "model.py"
    bad.write_text("from domain.services.claims import create_claim\n")
    used = {name.split(".")[1] for name in imports_of(bad) if name.startswith("domain.")}
    assert used - ALLOWED["claims"] == {"services"}


def _loaded_by(module: str, then: str = "") -> set[str]:
    """The top-level packages a fresh interpreter has loaded after importing `module` (and
    running the statement `then`, e.g. building the function's ports)."""
    code = (f"import sys, json; import {module}; {then or 'pass'}; "
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} | "
            "{m for m in sys.modules if m.startswith('adapters.')})))")
    env = {**os.environ, "PYTHONPATH": str(SRC), "RELANCE_TABLE": "relance-layers",
           "RELANCE_OPERATOR_API_KEY": "rlo_layers", "AWS_DEFAULT_REGION": "eu-west-3",
           "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x",
           "POWERTOOLS_METRICS_NAMESPACE": "Relance"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, check=True, timeout=120)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_http_function_loads_no_emulator_renderer_or_sender() -> None:
    loaded = _loaded_by("api.entrypoints.lambda_http")
    assert "litestar" in loaded and "boto3" in loaded  # the check sees what is loaded
    forbidden = {"moto", "weasyprint", "jinja2", "segno", "adapters.ses", "adapters.sns",
                 "adapters.scheduler", "adapters.letters", "pytest", "schemathesis"}
    assert not loaded & forbidden, sorted(loaded & forbidden)


# What a function that serves no HTTP must not load, whatever else it does.
NOT_WORKERS = {"litestar", "mangum", "moto", "pytest", "schemathesis"}


def test_the_letter_worker_loads_no_web_framework() -> None:
    module = "api.entrypoints.lambda_letters"
    loaded = _loaded_by(module, then=f"{module}._ports()")
    assert "boto3" in loaded and "msgspec" in loaded  # the check sees what is loaded
    assert not loaded & NOT_WORKERS, sorted(loaded & NOT_WORKERS)


def test_the_postal_poller_loads_no_web_framework_or_renderer() -> None:
    module = "api.entrypoints.lambda_postal"
    loaded = _loaded_by(module, then=f"{module}._ports()")
    assert "boto3" in loaded
    forbidden = NOT_WORKERS | {"weasyprint", "jinja2", "segno", "adapters.letters"}
    assert not loaded & forbidden, sorted(loaded & forbidden)
