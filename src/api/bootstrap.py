"""The composition root: builds each function's real collaborators from its settings.

Each entry point asks for what its function uses and no more (the HTTP function: one
DynamoDB client, the ports over it, the idempotency store, the operator key). Created once
per process (module scope in the Lambda entry point) so a warm function reuses its
connections.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

import boto3
import botocore.loaders
import botocore.session
from botocore.config import Config

from adapters.clock import MovableClock, SystemClock
from adapters.dynamodb import DynamoUnitOfWork
from adapters.dynamodb.idempotency import DynamoIdempotencyStore
from adapters.dynamodb.rates import DynamoRateStore
from api.settings import Settings
from domain.ports.letters import LetterRenderer, PostalProvider
from domain.services.caller import Ports

if TYPE_CHECKING:
    from litestar import Litestar

    from domain.ports.company_data import CompanyData
    from domain.ports.repositories import Clock

_BOTO_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 3},
    connect_timeout=2,
    read_timeout=5,
    tcp_keepalive=True,
)


# The services Relance's functions call.
_SERVICES = ["dynamodb", "s3", "sqs", "scheduler", "sesv2", "pinpoint-sms-voice-v2"]


class _KnownServicesLoader(botocore.loaders.Loader):  # type: ignore[misc]
    """botocore lists every service directory it ships (400+) on disk to check that the
    service asked for exists, which costs ~50 ms of cold start; these sessions only ever
    create clients of the services above, so the answer is known."""

    def list_available_services(self, type_name: str) -> list[str]:
        return list(_SERVICES)


@cache
def _session() -> boto3.session.Session:
    session = botocore.session.get_session()
    session.register_component("data_loader", _KnownServicesLoader())
    return boto3.session.Session(botocore_session=session)


def dynamodb_client() -> Any:
    return _session().client("dynamodb", config=_BOTO_CONFIG)


class LazyClient:
    """A boto3 client made on first use: the HTTP function serves most requests without
    S3 or SQS, and building a client costs its service model (~20-40 ms of cold start)."""

    def __init__(self, service: str, config: Config = _BOTO_CONFIG) -> None:
        self._service, self._config, self._client = service, config, None

    def __getattr__(self, name: str) -> Any:
        if self._client is None:
            self._client = _session().client(self._service, config=self._config)
        return getattr(self._client, name)


# Presigned links must be SigV4 (S3 refuses SigV2 in every region opened since 2014).
_S3_CONFIG = _BOTO_CONFIG.merge(Config(signature_version="s3v4"))


def clock(settings: Settings) -> SystemClock | MovableClock:
    """The system's clock, or a local run's movable one (every process reads one file)."""
    return MovableClock(settings.clock_file) if settings.clock_file else SystemClock()


def postal_provider(settings: Settings) -> PostalProvider:
    """The provider named by the settings. `fake` moves letters through the post by itself
    (make run, tests); a real one reads its credentials from SSM on first use."""
    if settings.postal_provider == "fake":
        from datetime import timedelta

        from adapters.postal.fake import FakeDelays, FakePostalProvider

        delays = (FakeDelays(timedelta(seconds=10), timedelta(seconds=20),
                             timedelta(seconds=40), timedelta(seconds=90))
                  if settings.fake_postal_delays == "demo" else FakeDelays())
        return FakePostalProvider(clock(settings), delays=delays)
    if settings.postal_provider == "merci_facteur":
        return _LazyPostalProvider("merci_facteur", lambda: _merci_facteur(settings))
    raise ValueError(f"unknown postal provider {settings.postal_provider!r}")


class _LazyPostalProvider:
    """A provider built on first use, when its credentials are read from SSM (not at cold
    start, and never in a function that does not post)."""

    def __init__(self, name: str, build: Callable[[], PostalProvider]) -> None:
        self.name, self._build = name, cache(build)

    def send(self, job: Any) -> Any:
        return self._build().send(job)

    def updates(self, provider_id: str) -> Any:
        return self._build().updates(provider_id)

    def parse_webhook(self, headers: Any, body: bytes) -> Any:
        return self._build().parse_webhook(headers, body)


def _merci_facteur(settings: Settings) -> PostalProvider:
    """The SecureString holds JSON: service_id, secret_key, user_id, webhook_secret and,
    optionally, authorized_ips (comma-separated)."""
    from aws_lambda_powertools.utilities import parameters

    from adapters.postal.merci_facteur import DEFAULT_BASE_URL, MerciFacteurProvider

    if not settings.postal_secret_parameter:
        raise ValueError("RELANCE_POSTAL_SECRET_PARAMETER is not set")
    secret: dict[str, str] = parameters.get_parameter(
        settings.postal_secret_parameter, decrypt=True, transform="json")
    ips = tuple(ip.strip() for ip in secret.get("authorized_ips", "").split(",") if ip.strip())
    return MerciFacteurProvider(
        secret["service_id"], secret["secret_key"], secret["user_id"],
        secret["webhook_secret"], base_url=settings.postal_base_url or DEFAULT_BASE_URL,
        authorized_ips=ips)


def letter_ports(settings: Settings) -> dict[str, Any]:
    """The letters context's ports every function holds (all but the renderer)."""
    from adapters.s3_documents import S3DocumentStore
    from adapters.sqs_letters import SqsLetterQueue

    return {
        "documents": S3DocumentStore(LazyClient("s3", _S3_CONFIG), settings.bucket,
                                     max_upload_bytes=settings.upload_max_bytes),
        "letter_queue": (SqsLetterQueue(LazyClient("sqs"), settings.letter_queue_url)
                         if settings.letter_queue_url else None),
        "postal": postal_provider(settings),
    }


def operator_key_source(settings: Settings) -> Callable[[], str | None]:
    if settings.operator_api_key or not settings.operator_key_parameter:
        value = settings.operator_api_key
        return lambda: value
    name = settings.operator_key_parameter

    @cache
    def from_ssm() -> str | None:
        # Read on first use (not at import) and kept for the life of the process.
        from aws_lambda_powertools.utilities import parameters

        value: str = parameters.get_parameter(name, decrypt=True)
        return value

    return from_ssm


def escalation_ports(settings: Settings, clock: SystemClock | MovableClock) -> dict[str, Any]:
    """The ladder's ports: the scheduler every function that changes a claim keeps right,
    and the senders (real only in a function that has them configured)."""
    ports: dict[str, Any] = {}
    if settings.scheduler_target_arn:
        from adapters.scheduler import EventBridgeScheduler

        ports["scheduler"] = EventBridgeScheduler(
            LazyClient("scheduler"), settings.schedule_group, settings.scheduler_target_arn,
            settings.scheduler_role_arn, settings.scheduler_dead_letter_arn, clock)
    if settings.messaging == "aws":
        from adapters.messaging.ses import SesEmailSender
        from adapters.messaging.sms import EndUserMessagingSmsSender

        ports["email"] = SesEmailSender(LazyClient("sesv2"), settings.email_from,
                                        settings.ses_configuration_set)
        ports["sms"] = EndUserMessagingSmsSender(LazyClient("pinpoint-sms-voice-v2"),
                                                 settings.sms_sender_id)
    else:
        from adapters.messaging.fake import FakeEmailSender, FakeSmsSender

        ports["email"], ports["sms"] = FakeEmailSender(), FakeSmsSender()
    return ports


def build_ports(settings: Settings, client: Any,
                renderer: Callable[[], LetterRenderer] | None = None) -> Ports:
    """The ports every use case takes, on one table."""
    now = clock(settings)
    return Ports(
        unit_of_work=lambda: DynamoUnitOfWork(client, settings.table),
        clock=now,
        rates=DynamoRateStore(client, settings.table),
        check_email_deliverability=settings.check_email_deliverability,
        renderer=renderer,
        **letter_ports(settings),
        **escalation_ports(settings, now),
    )


def weasyprint_renderer() -> Callable[[], LetterRenderer]:
    """The letter worker's renderer, built on first use and kept for the life of the
    container: its font configuration and parsed CSS are reused by every letter."""

    @cache
    def renderer() -> LetterRenderer:
        from adapters.letters.renderer import WeasyPrintRenderer

        return WeasyPrintRenderer()

    return renderer


def build_worker_ports(settings: Settings | None = None) -> Ports:
    """The letter worker's ports: the HTTP function's, plus the renderer."""
    settings = settings or Settings.from_env()
    return build_ports(settings, dynamodb_client(), weasyprint_renderer())


def build_trigger_ports(settings: Settings | None = None) -> Ports:
    """The ladder's trigger and sweeper: the HTTP function's ports (they request letters,
    which the letter worker renders), no renderer."""
    settings = settings or Settings.from_env()
    return build_ports(settings, dynamodb_client())


def build_poller_ports(settings: Settings | None = None) -> Ports:
    """The postal poller's ports: no renderer."""
    settings = settings or Settings.from_env()
    return build_ports(settings, dynamodb_client())


def build_email_events_ports(settings: Settings | None = None) -> Ports:
    """The e-mail events function's ports: the table, and the scheduler (a bounce noted
    moves the claim's pending wake-up on to its new version); no renderer, no sender."""
    settings = settings or Settings.from_env()
    return build_ports(settings, dynamodb_client())


def company_data(settings: Settings, now: Clock) -> CompanyData:
    """The insolvency watch's public registers: the BODACC and Sirene (the Sirene key read
    from SSM on first use), or make run's fake (a demo debtor in liquidation)."""
    if settings.company_data == "fake":
        from adapters.company_data.fake import demo

        return demo(now.now().date())
    if settings.company_data != "public":
        raise ValueError(f"unknown company data source {settings.company_data!r}")
    from adapters.company_data import PublicCompanyData
    from adapters.company_data.bodacc import BodaccClient
    from adapters.company_data.sirene import SireneClient

    name = settings.sirene_key_parameter
    if not name:
        raise ValueError("RELANCE_SIRENE_KEY_PARAMETER is not set")

    def key() -> str:
        from aws_lambda_powertools.utilities import parameters

        value: str = parameters.get_parameter(name, decrypt=True)
        return value

    return PublicCompanyData(BodaccClient(), SireneClient(key))


def build_watch_ports(settings: Settings | None = None) -> tuple[Ports, CompanyData]:
    """The insolvency watch's: the HTTP function's ports (it requests letters, which the
    letter worker renders and posts) and the registers."""
    settings = settings or Settings.from_env()
    ports = build_ports(settings, dynamodb_client())
    return ports, company_data(settings, ports.clock)


def build_app(settings: Settings | None = None) -> Litestar:
    """The HTTP function's app (and the local runner's)."""
    from api.http.app import create_app

    settings = settings or Settings.from_env()
    client = dynamodb_client()
    ports = build_ports(settings, client)
    state: dict[str, object] = {"settings": settings}
    if isinstance(ports.clock, MovableClock):
        from api.http.routes.clock import LocalTime

        state["local_time"] = LocalTime(ports.clock.move_to)
    return create_app(
        ports=ports,
        idempotency=DynamoIdempotencyStore(client, settings.table),
        operator_key=operator_key_source(settings),
        api_key_cache_seconds=settings.api_key_cache_seconds,
        extra_state=state,
    )
