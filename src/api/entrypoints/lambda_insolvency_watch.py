"""AWS Lambda entry point of the insolvency watch, run once a day by an EventBridge
schedule: the debtors of open claims checked by SIREN against the BODACC and Sirene
(`insolvency_watch.run_watch`; its reads grow with the debtors of open claims, through a
sparse index, not with the table). Imports neither litestar nor WeasyPrint. Logs counts
only: a SIREN or a name never reaches a log line.

Each run keeps the registers' quota (RELANCE_COMPANY_DATA_PER_MINUTE) and stops before the
invocation's time runs out; the SIRENs it did not reach are the next run's first
(`deferred` in the report)."""

from __future__ import annotations

from dataclasses import asdict
from functools import cache
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from adapters.company_data.pacing import QuotaPacer
from api import bootstrap
from api.observability import logger, metrics
from api.settings import Settings
from domain.ports.company_data import CompanyData
from domain.services import insolvency_watch
from domain.services.caller import Ports


@cache
def _settings() -> Settings:
    return Settings.from_env()


@cache
def _ports() -> tuple[Ports, CompanyData]:
    return bootstrap.build_watch_ports(_settings())


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    ports, company_data = _ports()
    pacer = QuotaPacer(_settings().company_data_per_minute,
                       lambda: context.get_remaining_time_in_millis() / 1000)
    report = asdict(insolvency_watch.run_watch(ports, company_data, pacer))
    logger.info("insolvency watch", extra=report)
    for name, metric in (("openings", "ProceedingsOpenings"),
                         ("declarations", "DeclarationsPrepared"),
                         ("ceased", "CompaniesCeased"), ("unavailable", "SirensUnanswered"),
                         ("deferred", "SirensDeferred")):
        metrics.add_metric(name=metric, unit=MetricUnit.Count, value=report[name])
    return report
