"""The insolvency watch's Lambda entry point on moto (DynamoDB, S3), fed the scheduled
event EventBridge sends, with the fake registers: its ports are built once, it answers
and logs counts only (no SIREN, no name), and a second day's run records nothing."""

from __future__ import annotations

import io
import json
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from adapters.company_data.fake import ACTIVE, FakeCompanyData
from api import bootstrap
from api.entrypoints import lambda_insolvency_watch
from domain import services
from domain.creditors.model import Address
from domain.debtors.model import DebtorKind
from domain.ports.company_data import CompanyFacts, Mandataire, NoticeKind, ProceedingsNotice
from domain.services.caller import Caller, Ports

EVENTS = Path(__file__).resolve().parents[1] / "events"
SIREN = "552100554"


@dataclass
class Context:
    function_name: str = "relance-insolvency-watch"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = ("arn:aws:lambda:eu-west-3:123456789012:function:"
                                 "relance-insolvency-watch")
    aws_request_id: str = "0c3b9a52-1f1e-4a8e-8b1c-2d7a0c9e4f11"

    def get_remaining_time_in_millis(self) -> int:
        return 900_000  # the template's timeout, untouched: the run is not cut short


def test_the_daily_run_on_moto(ports: Ports, monkeypatch: pytest.MonkeyPatch,
                               caplog: pytest.LogCaptureFixture,
                               capsys: pytest.CaptureFixture[str]) -> None:
    creditor = services.create_creditor(services.CreditorDraft(
        legal_name="Menuiserie Leroy SARL", siren="732829320",
        address=Address(("8 rue des Lilas",), "69003", "Lyon", "FR")), ports)
    caller = Caller(creditor.id, "erp")
    debtor = services.create_debtor(services.DebtorDraft(
        kind=DebtorKind.BUSINESS, name="Boulangerie Martin SAS", country="FR", siren=SIREN),
        caller, ports)
    for number in ("F-1", "F-2"):
        services.create_claim(services.ClaimDraft(
            debtor_id=debtor.id, currency="EUR", invoices=[services.InvoiceDraft(
                number, date(2026, 1, 1), date(2026, 1, 15), "1200.00")]), caller, ports)
    data = FakeCompanyData()
    data.set(CompanyFacts(SIREN, (ProceedingsNotice(
        notice_id="A202600045678", kind=NoticeKind.LIQUIDATION, opening=True,
        court="TRIBUNAL DE COMMERCE DE LYON", judgment_on=date(2026, 2, 20),
        published_on=date(2026, 3, 2), nature="Jugement d'ouverture de liquidation judiciaire",
        mandataire=Mandataire("SELARL Exemple Mandataires", "4 RUE DE LA REPUBLIQUE", "69002",
                              "LYON")),), ACTIVE))
    builds: list[int] = []

    def build(settings: Any) -> tuple[Ports, FakeCompanyData]:
        builds.append(1)
        return ports, data

    monkeypatch.setattr(bootstrap, "build_watch_ports", build)
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "Relance")
    lambda_insolvency_watch._ports.cache_clear()
    event = json.loads((EVENTS / "eventbridge-scheduler-event.json").read_text())
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logging.getLogger().addHandler(handler)
    try:
        first = lambda_insolvency_watch.handler(event, Context())  # type: ignore[arg-type]
        second = lambda_insolvency_watch.handler(event, Context())  # type: ignore[arg-type]
    finally:
        logging.getLogger().removeHandler(handler)

    assert builds == [1]
    assert (first["open_claims"], first["sirens"], first["openings"],
            first["declare_tasks"], first["declarations"]) == (2, 1, 1, 2, 2)
    assert (second["openings"], second["declare_tasks"], second["declarations"]) == (0, 0, 0)
    assert (first["deferred"], second["deferred"]) == (0, 0)
    held = services.get_debtor(debtor.id, caller, ports)
    assert held.collective_proceedings is not None
    logged = (stream.getvalue() + caplog.text + capsys.readouterr().out
              + json.dumps([first, second]))
    assert "insolvency watch" in logged and '"openings": 1' in logged.replace("'", '"')
    for personal in (SIREN, "Boulangerie", "SELARL", "Exemple"):
        assert personal not in logged
