"""Configuration from the environment, read once per process.

In AWS the template sets these; locally `api.local` sets them for the embedded emulator.
Without `AWS_ENDPOINT_URL` boto3 talks to real AWS.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Settings:
    table: str
    bucket: str
    schedule_group: str
    # The platform operator's key: given directly (local runs, tests) or read from SSM
    # Parameter Store (AWS), never both.
    operator_api_key: str | None
    operator_key_parameter: str | None
    # A revoked API key keeps working for at most this long in a warm function: the price
    # of answering most requests without a DynamoDB read for the key.
    api_key_cache_seconds: float
    check_email_deliverability: bool
    # Letters: the worker's queue (empty: letters cannot be requested), the postal
    # provider (`fake` moves letters through the post by itself, for `make run` and tests;
    # `merci_facteur` posts them), and the SSM SecureString holding its credentials.
    letter_queue_url: str = ""
    postal_provider: str = "fake"
    postal_secret_parameter: str | None = None
    postal_base_url: str | None = None
    # `demo`: the fake post moves a letter on in seconds (make run); otherwise in days.
    fake_postal_delays: str = "real"
    # The ladder: EventBridge Scheduler's target (the trigger function), the role it
    # assumes, its dead-letter queue (none of the three: nothing is scheduled); the SES
    # sender and configuration set (whose bounces come back), the SMS sender id; `fake`
    # senders record messages instead (make run, tests).
    scheduler_target_arn: str = ""
    scheduler_role_arn: str = ""
    scheduler_dead_letter_arn: str = ""
    messaging: str = "fake"
    email_from: str = ""
    ses_configuration_set: str = ""
    sms_sender_id: str = ""
    # A local run's movable clock (adapters.clock.MovableClock): the file every process
    # reads the offset from. Never set in AWS, where the clock is the system's.
    clock_file: str = ""
    # The insolvency watch: `fake` answers from adapters.company_data.fake (make run,
    # tests); `public` asks the BODACC and INSEE's Sirene, whose integration key is the
    # SSM SecureString named here.
    company_data: str = "fake"
    sirene_key_parameter: str | None = None
    # The largest piece an upload slot (a presigned PUT to S3) is signed for: above the
    # 4 MiB a request's body carries, a file goes that way.
    upload_max_bytes: int = 25 * 1024 * 1024
    # The registers' quota the watch keeps: INSEE's API Sirene allows a key about 30
    # requests a minute (adapters.company_data.pacing).
    company_data_per_minute: int = 30

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            table=env.get("RELANCE_TABLE", "relance"),
            bucket=env.get("RELANCE_BUCKET", "relance-letters"),
            schedule_group=env.get("RELANCE_SCHEDULE_GROUP", "relance"),
            operator_api_key=env.get("RELANCE_OPERATOR_API_KEY") or None,
            operator_key_parameter=env.get("RELANCE_OPERATOR_KEY_PARAMETER") or None,
            api_key_cache_seconds=float(env.get("RELANCE_API_KEY_CACHE_SECONDS", "60")),
            check_email_deliverability=env.get("RELANCE_EMAIL_DELIVERABILITY", "off") == "on",
            letter_queue_url=env.get("RELANCE_LETTER_QUEUE_URL", ""),
            postal_provider=env.get("RELANCE_POSTAL_PROVIDER", "fake"),
            postal_secret_parameter=env.get("RELANCE_POSTAL_SECRET_PARAMETER") or None,
            postal_base_url=env.get("RELANCE_POSTAL_BASE_URL") or None,
            fake_postal_delays=env.get("RELANCE_FAKE_POSTAL_DELAYS", "real"),
            scheduler_target_arn=env.get("RELANCE_SCHEDULER_TARGET_ARN", ""),
            scheduler_role_arn=env.get("RELANCE_SCHEDULER_ROLE_ARN", ""),
            scheduler_dead_letter_arn=env.get("RELANCE_SCHEDULER_DLQ_ARN", ""),
            messaging=env.get("RELANCE_MESSAGING", "fake"),
            email_from=env.get("RELANCE_EMAIL_FROM", ""),
            ses_configuration_set=env.get("RELANCE_SES_CONFIGURATION_SET", ""),
            sms_sender_id=env.get("RELANCE_SMS_SENDER_ID", ""),
            clock_file=env.get("RELANCE_CLOCK_FILE", ""),
            company_data=env.get("RELANCE_COMPANY_DATA", "fake"),
            sirene_key_parameter=env.get("RELANCE_SIRENE_KEY_PARAMETER") or None,
            upload_max_bytes=int(env.get("RELANCE_UPLOAD_MAX_BYTES", str(25 * 1024 * 1024))),
            company_data_per_minute=int(env.get("RELANCE_COMPANY_DATA_PER_MINUTE", "30")),
        )
