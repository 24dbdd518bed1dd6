"""Checks on the SAM deployment template (template.yaml) and the Lambda bundle's requirements.

None of this needs the SAM CLI or AWS credentials: cfn-lint validates SAM templates directly,
and the rest reads the files.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import lint_file
from cfnlint.decode import decode
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "template.yaml"
SETTINGS = ROOT / "src" / "api" / "settings.py"
REQUIREMENTS = ROOT / "src" / "requirements.txt"
PYPROJECT = ROOT / "pyproject.toml"
MAKEFILE = ROOT / "Makefile"

# Settings the code reads that are for local runs only, never set on Lambda.
LOCAL_ONLY = {"RELANCE_OPERATOR_API_KEY", "RELANCE_DEMO_API_KEY", "RELANCE_FAKE_POSTAL_DELAYS",
              "RELANCE_CLOCK_FILE"}
LOCAL_ONLY_SUFFIX = "_ENDPOINT_URL"
# Settings only the insolvency watch reads (the HTTP function does not ask the registers).
WATCH_ONLY = {"RELANCE_COMPANY_DATA", "RELANCE_SIRENE_KEY_PARAMETER",
              "RELANCE_COMPANY_DATA_PER_MINUTE"}

ACTION_WILDCARD = re.compile(r"\*")
# A bucket's objects, all of them or under one fixed prefix: `${Bucket.Arn}/letters/*`.
OBJECTS_UNDER = re.compile(r"\$\{(?P<bucket>\w+)\.Arn\}/(?:[A-Za-z0-9_.-]+/)*\*")
RELANCE_NAME = re.compile(r"RELANCE_[A-Z0-9_]+")


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    tpl, errors = decode(str(TEMPLATE))
    assert not errors, [str(e) for e in errors]
    assert tpl is not None
    return dict(tpl)


@pytest.fixture(scope="module")
def resources(template: dict[str, Any]) -> dict[str, Any]:
    return dict(template["Resources"])


def _of_type(resources: dict[str, Any], type_: str) -> dict[str, Any]:
    return {name: r for name, r in resources.items() if r["Type"] == type_}


def _one(resources: dict[str, Any], type_: str) -> dict[str, Any]:
    found = _of_type(resources, type_)
    assert len(found) == 1, f"expected exactly one {type_}, found {sorted(found)}"
    return next(iter(found.values()))


def _render(value: Any) -> list[str]:
    """Intrinsic-function values as the ARN text they stand for (``${Logical.Attr}`` form)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in _render(item)]
    if isinstance(value, dict) and len(value) == 1:
        (fn, arg), = value.items()
        if fn == "Ref":
            return [] if arg == "AWS::NoValue" else ["${" + arg + "}"]
        if fn == "Fn::GetAtt":
            name = arg if isinstance(arg, str) else ".".join(arg)
            return ["${" + name + "}"]
        if fn == "Fn::Sub":
            return [arg if isinstance(arg, str) else arg[0]]
        if fn == "Fn::Join":
            sep, parts = arg
            return [sep.join(t for p in parts for t in _render(p))]
        if fn == "Fn::If":
            return _render(arg[1]) + _render(arg[2])
    raise AssertionError(f"cannot read IAM value {value!r}")


def _statements(doc_or_list: Any) -> list[dict[str, Any]]:
    """Flatten statements, following both branches of Fn::If and dropping AWS::NoValue."""
    if isinstance(doc_or_list, dict) and "Statement" in doc_or_list:
        return _statements(doc_or_list["Statement"])
    if isinstance(doc_or_list, list):
        return [s for item in doc_or_list for s in _statements(item)]
    if isinstance(doc_or_list, dict) and set(doc_or_list) == {"Fn::If"}:
        _, yes, no = doc_or_list["Fn::If"]
        return _statements(yes) + _statements(no)
    if doc_or_list == {"Ref": "AWS::NoValue"}:
        return []
    assert isinstance(doc_or_list, dict), doc_or_list
    return [doc_or_list]


def _all_allow_statements(resources: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    for name, res in resources.items():
        props = res.get("Properties", {})
        docs: list[Any] = []
        if res["Type"] == "AWS::Serverless::Function":
            policies = props.get("Policies", [])
            for policy in policies if isinstance(policies, list) else [policies]:
                assert isinstance(policy, dict) and "Statement" in policy, (
                    f"{name}: only inline statements are allowed, not managed/template policies"
                    f" ({policy!r})"
                )
                docs.append(policy)
        elif res["Type"] == "AWS::IAM::Role":
            docs += [p["PolicyDocument"] for p in props.get("Policies", [])]
            assert not props.get("ManagedPolicyArns"), f"{name}: use inline policies"
        elif res["Type"] in {"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy",
                             "AWS::S3::BucketPolicy"}:
            docs.append(props["PolicyDocument"])
        for doc in docs:
            for st in _statements(doc):
                if st.get("Effect") == "Allow":
                    found.append((name, st))
    return found


def test_cfn_lint_passes() -> None:
    matches = lint_file(TEMPLATE)
    assert [str(m) for m in matches] == []


def test_iam_is_least_privilege(resources: dict[str, Any]) -> None:
    statements = _all_allow_statements(resources)
    assert statements, "no Allow statement found: the function needs table/bucket/ssm access"
    # The only wildcard allowed in a Resource: a trailing /* under an ARN of this template's
    # own table (``/index/*``) or bucket (``/*`` = its objects, or ``/<prefix>/*``).
    own_indexes = {
        "${" + n + ".Arn}/index/*" for n in _of_type(resources, "AWS::DynamoDB::Table")}
    own_buckets = set(_of_type(resources, "AWS::S3::Bucket"))
    # ... or the schedules of this template's own group, or the SMS sender id as requested
    # for each destination country (its ARN ends with the country: infra/README.md).
    own_schedules = {SCHEDULES.replace("${ScheduleGroup}", "${" + n + "}")
                     for n in _of_type(resources, "AWS::Scheduler::ScheduleGroup")}

    def own(resource: str) -> bool:
        objects = OBJECTS_UNDER.fullmatch(resource)
        return (resource in own_indexes or resource in own_schedules or resource == SENDER_ID
                or bool(objects and objects["bucket"] in own_buckets))

    for name, st in statements:
        assert "NotAction" not in st and "NotResource" not in st, (name, st)
        for action in _render(st["Action"]):
            assert not ACTION_WILDCARD.search(action), f"{name}: wildcard action {action!r}"
        for resource in _render(st["Resource"]):
            assert resource.strip() != "*", f"{name}: Resource '*' in {st}"
            if "*" in resource:
                assert own(resource), f"{name}: wildcard resource {resource!r}"


def _granted(resources: dict[str, Any], function: str) -> dict[str, set[str]]:
    """Action -> the resources a function's inline policies grant it on (both branches of
    an Fn::If)."""
    granted: dict[str, set[str]] = {}
    for policy in resources[function]["Properties"]["Policies"]:
        for st in _statements(policy):
            assert st["Effect"] == "Allow"
            for action in _render(st["Action"]):
                granted.setdefault(action, set()).update(_render(st["Resource"]))
    return granted


LETTER_OBJECTS = {"${LettersBucket.Arn}/letters/*"}
# The HTTP function also stores uploaded pieces and dossiers, nothing else of the bucket.
DOSSIER_OBJECTS = {"${LettersBucket.Arn}/documents/*", "${LettersBucket.Arn}/dossiers/*"}
OPERATOR_KEY = ("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}"
                ":parameter${OperatorKeyParameterName}")
POSTAL_SECRET = ("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}"
                 ":parameter${PostalSecretParameterName}")
ACCOUNT = "${AWS::Partition}:{service}:${AWS::Region}:${AWS::AccountId}"
TRIGGER_ARN = ("arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}"
               ":function:${AWS::StackName}-trigger")
SCHEDULES = ("arn:${AWS::Partition}:scheduler:${AWS::Region}:${AWS::AccountId}"
             ":schedule/${ScheduleGroup}/*")
SENDER_ID = ("arn:${AWS::Partition}:sms-voice:${AWS::Region}:${AWS::AccountId}"
             ":sender-id/${SmsSenderId}/*")
SES_IDENTITIES = {
    "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${EmailFrom}",
    "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${Domain}",
    "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}"
    ":configuration-set/${EmailConfigurationSet}",
}
# The functions that change a claim, and so keep its schedule (every claim save does).
SCHEDULING = {"HttpFunction", "LetterWorkerFunction", "PostalPollerFunction",
              "TriggerFunction", "SweeperFunction", "EmailEventsFunction"}
# The functions that run a step, and so send: the trigger, the sweeper, and the HTTP
# function (an operator's `escalate` runs the step there).
SENDING = {"HttpFunction", "TriggerFunction", "SweeperFunction"}
# ... and the letter worker e-mails (no SMS) the letter a step asked to carry.
EMAILING = SENDING | {"LetterWorkerFunction"}
SCHEDULER_GRANTS = {"scheduler:CreateSchedule": {SCHEDULES},
                    "scheduler:DeleteSchedule": {SCHEDULES},
                    "iam:PassRole": {"${SchedulerRole.Arn}"}}
SENDER_GRANTS = {"ses:SendEmail": SES_IDENTITIES, "sms-voice:SendTextMessage": {SENDER_ID}}


def test_function_permissions_are_the_expected_ones(resources: dict[str, Any]) -> None:
    granted = _granted(resources, "HttpFunction")
    table_actions = {
        "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
        "dynamodb:Query", "dynamodb:ConditionCheckItem", "dynamodb:BatchGetItem",
    }
    for action in table_actions:
        assert granted[action] == {"${Table.Arn}", "${Table.Arn}/index/*"}, action
    assert granted["s3:GetObject"] == granted["s3:PutObject"] == LETTER_OBJECTS | DOSSIER_OBJECTS
    # The bucket's listing only answers "no such key" (404) for an upload not yet sent.
    assert granted["s3:ListBucket"] == {"${LettersBucket.Arn}"}
    assert granted["ssm:GetParameter"] == {OPERATOR_KEY, POSTAL_SECRET}
    # kms:Decrypt only on an explicitly given customer managed key (see infra/README.md).
    assert granted["kms:Decrypt"] == {"${OperatorKeyKmsKeyArn}", "${PostalSecretKmsKeyArn}"}
    assert granted["sqs:SendMessage"] == {"${LetterQueue.Arn}"}
    for action, on in {**SCHEDULER_GRANTS, **SENDER_GRANTS}.items():
        assert granted[action] == on, action
    unexpected = set(granted) - table_actions - set(SCHEDULER_GRANTS) - set(SENDER_GRANTS) - {
        "s3:GetObject", "s3:PutObject", "s3:ListBucket", "ssm:GetParameter", "kms:Decrypt",
        "sqs:SendMessage"}
    assert not unexpected


def test_kms_decrypt_is_granted_only_for_a_given_key_and_through_ssm(
        resources: dict[str, Any]) -> None:
    for function in _functions(resources):
        for policy in resources[function]["Properties"]["Policies"]:
            for item in policy["Statement"]:
                st = _statements(item)
                if not any(s.get("Action") == "kms:Decrypt" for s in st):
                    continue
                # Behind the condition that the key was given, else nothing.
                assert set(item) == {"Fn::If"} and item["Fn::If"][2] == {"Ref": "AWS::NoValue"}
                granted = item["Fn::If"][1]
                assert granted["Condition"]["StringEquals"]["kms:ViaService"] == {
                    "Fn::Sub": "ssm.${AWS::Region}.amazonaws.com"}


def test_the_letter_worker_permissions(resources: dict[str, Any]) -> None:
    granted = _granted(resources, "LetterWorkerFunction")
    # TransactWriteItems is no IAM action: each item is authorised as a Put or an Update;
    # rescheduling the claim reads its debtor and creditor in one BatchGetItem.
    for action in ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query",
                   "dynamodb:PutItem", "dynamodb:UpdateItem"]:
        assert granted.pop(action) == {"${Table.Arn}"}, action  # no index: none is read
    assert granted.pop("s3:GetObject") == granted.pop("s3:PutObject") == LETTER_OBJECTS
    # It posts the letters the ladder asked for once rendered: the postal secret.
    assert granted.pop("ssm:GetParameter") == {POSTAL_SECRET}
    assert granted.pop("kms:Decrypt") == {"${PostalSecretKmsKeyArn}"}
    for action, on in SCHEDULER_GRANTS.items():
        assert granted.pop(action) == on, action
    # The e-mail that carries a step's letter, once rendered.
    assert granted.pop("ses:SendEmail") == SES_IDENTITIES
    # Nothing else: no operator key, no sending to its own queue (SAM's SQS event policy
    # receives and deletes), no SMS.
    assert granted == {}


def test_the_postal_poller_permissions(resources: dict[str, Any]) -> None:
    granted = _granted(resources, "PostalPollerFunction")
    for action in ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query",
                   "dynamodb:PutItem", "dynamodb:UpdateItem"]:
        assert granted.pop(action) == {"${Table.Arn}", "${Table.Arn}/index/*"}, action
    assert granted.pop("s3:GetObject") == granted.pop("s3:PutObject") == LETTER_OBJECTS
    assert granted.pop("ssm:GetParameter") == {POSTAL_SECRET}
    assert granted.pop("kms:Decrypt") == {"${PostalSecretKmsKeyArn}"}
    for action, on in SCHEDULER_GRANTS.items():
        assert granted.pop(action) == on, action
    assert granted == {}


def test_no_function_can_delete_or_unlock_a_letter(resources: dict[str, Any]) -> None:
    for function in _functions(resources):
        for action in _granted(resources, function):
            service, _, verb = action.partition(":")
            if service == "s3":
                assert not re.search(r"Delete|Bypass|Retention|LegalHold|ObjectLock|Lifecycle",
                                     verb), (function, action)


def test_only_the_worker_consumes_the_letter_queue(resources: dict[str, Any]) -> None:
    consumers = {name for name, fn in _functions(resources).items()
                 for e in fn["Properties"].get("Events", {}).values() if e["Type"] == "SQS"}
    assert consumers == {"LetterWorkerFunction"}
    for function in _functions(resources):
        granted = _granted(resources, function)
        assert not {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:PurgeQueue",
                    "sqs:ChangeMessageVisibility"} & set(granted), function
    assert _granted(resources, "HttpFunction")["sqs:SendMessage"] == {"${LetterQueue.Arn}"}


def test_table(resources: dict[str, Any]) -> None:
    table = resources["Table"]
    assert table["Type"] == "AWS::DynamoDB::Table"
    assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain"
    props = table["Properties"]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["SSESpecification"]["SSEEnabled"] is True
    assert props["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert "DeletionProtectionEnabled" in props
    assert {a["AttributeName"]: a["AttributeType"] for a in props["AttributeDefinitions"]} == {
        k: "S" for k in ["PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "GSI3PK", "GSI3SK",
                         "GSI4PK", "GSI4SK", "GSI5PK", "GSI5SK"]
    }
    assert [(k["AttributeName"], k["KeyType"]) for k in props["KeySchema"]] == [
        ("PK", "HASH"), ("SK", "RANGE")]
    gsis = {g["IndexName"]: g for g in props["GlobalSecondaryIndexes"]}
    assert set(gsis) == {"GSI1", "GSI2", "GSI3", "GSI4", "GSI5"}
    for name, gsi in gsis.items():
        assert [(k["AttributeName"], k["KeyType"]) for k in gsi["KeySchema"]] == [
            (f"{name}PK", "HASH"), (f"{name}SK", "RANGE")]
        # The sweeper's and the insolvency watch's indexes need only the key: it names the
        # claim.
        assert gsi["Projection"]["ProjectionType"] == (
            "KEYS_ONLY" if name in {"GSI4", "GSI5"} else "ALL")


def test_bucket(resources: dict[str, Any]) -> None:
    bucket = resources["LettersBucket"]
    assert bucket["Type"] == "AWS::S3::Bucket"
    assert bucket["DeletionPolicy"] == "Retain"
    props = bucket["Properties"]
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True, "BlockPublicPolicy": True,
        "IgnorePublicAcls": True, "RestrictPublicBuckets": True,
    }
    assert props["VersioningConfiguration"]["Status"] == "Enabled"
    sse = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert sse and sse[0]["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in {"AES256", "aws:kms"}
    assert props["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    assert "AccessControl" not in props
    # Non-TLS access is denied by the bucket policy.
    policies = [p for p in _of_type(resources, "AWS::S3::BucketPolicy").values()
                if p["Properties"]["Bucket"] == {"Ref": "LettersBucket"}]
    assert len(policies) == 1
    denies = [st for st in _statements(policies[0]["Properties"]["PolicyDocument"])
              if st["Effect"] == "Deny"]
    assert any(
        st.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") in ("false", False)
        for st in denies
    )


def test_letters_are_locked_for_the_retention_parameter(
        resources: dict[str, Any], template: dict[str, Any]) -> None:
    props = resources["LettersBucket"]["Properties"]
    assert props["ObjectLockEnabled"] is True
    lock = props["ObjectLockConfiguration"]
    assert lock["ObjectLockEnabled"] == "Enabled"
    retention = lock["Rule"]["DefaultRetention"]
    assert retention == {"Mode": {"Ref": "LetterRetentionMode"},
                         "Years": {"Ref": "LetterRetentionYears"}}
    years = template["Parameters"]["LetterRetentionYears"]
    # 5 years of commercial prescription, plus a margin; never under 2.
    assert years["Type"] == "Number" and int(years["Default"]) == 6
    assert int(years["MinValue"]) == 2
    mode = template["Parameters"]["LetterRetentionMode"]
    assert mode["Default"] == "GOVERNANCE"
    assert set(mode["AllowedValues"]) == {"GOVERNANCE", "COMPLIANCE"}
    # No lifecycle rule deletes a letter or an old version of one.
    for rule in props.get("LifecycleConfiguration", {}).get("Rules", []):
        assert not {"ExpirationInDays", "ExpirationDate", "NoncurrentVersionExpiration",
                    "NoncurrentVersionExpirationInDays", "ExpiredObjectDeleteMarker"} & set(rule)


def test_http_function(resources: dict[str, Any], template: dict[str, Any]) -> None:
    fn = resources["HttpFunction"]
    assert fn["Type"] == "AWS::Serverless::Function"
    props = {**template.get("Globals", {}).get("Function", {}), **fn["Properties"]}
    assert props["Architectures"] == ["arm64"]
    assert re.fullmatch(r"python3\.1\d", props["Runtime"]), props["Runtime"]
    assert props["Handler"] == "api.entrypoints.lambda_http.handler"
    assert props["CodeUri"] in {"src/", "src"}
    assert props["Tracing"] == "Active"
    paths = {
        (e["Properties"]["Path"], e["Properties"]["Method"])
        for e in props["Events"].values() if e["Type"] == "HttpApi"
    }
    assert ("/{proxy+}", "ANY") in paths
    for e in props["Events"].values():
        assert e["Properties"].get("PayloadFormatVersion") == "2.0"
    # An explicit log group with a retention for the function.
    groups = [g["Properties"] for g in _of_type(resources, "AWS::Logs::LogGroup").values()
              if _render(g["Properties"]["LogGroupName"]) == ["/aws/lambda/${HttpFunction}"]]
    assert len(groups) == 1 and groups[0]["RetentionInDays"] > 0


def _function_props(resources: dict[str, Any], template: dict[str, Any],
                    name: str) -> dict[str, Any]:
    return {**template.get("Globals", {}).get("Function", {}),
            **resources[name]["Properties"]}


def test_the_letter_worker(resources: dict[str, Any], template: dict[str, Any]) -> None:
    props = _function_props(resources, template, "LetterWorkerFunction")
    assert props["PackageType"] == "Image"
    assert "Runtime" not in props and "Handler" not in props  # the image's CMD says
    assert props["Architectures"] == ["arm64"]
    assert props["MemorySize"] >= 1024 and props["Timeout"] == 60
    events = list(props["Events"].values())
    assert len(events) == 1 and events[0]["Type"] == "SQS"
    sqs = events[0]["Properties"]
    assert sqs["Queue"] == {"Fn::GetAtt": ["LetterQueue", "Arn"]}
    assert sqs["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert sqs["BatchSize"] == 5
    env = props["Environment"]["Variables"]
    assert env["RELANCE_TABLE"] == {"Ref": "Table"}
    assert env["RELANCE_BUCKET"] == {"Ref": "LettersBucket"}


def test_the_letter_queue_has_a_dead_letter_queue(
        resources: dict[str, Any], template: dict[str, Any]) -> None:
    queue = resources["LetterQueue"]["Properties"]
    dlq = resources["LetterDeadLetterQueue"]["Properties"]
    for q in (queue, dlq):
        assert q.get("SqsManagedSseEnabled") is True or "KmsMasterKeyId" in q
    redrive = queue["RedrivePolicy"]
    assert redrive["deadLetterTargetArn"] == {"Fn::GetAtt": ["LetterDeadLetterQueue", "Arn"]}
    assert redrive["maxReceiveCount"] == 5
    # Lambda's advice for an SQS event source: at least 6 x the function's timeout.
    timeout = _function_props(resources, template, "LetterWorkerFunction")["Timeout"]
    assert queue["VisibilityTimeout"] >= 6 * timeout
    assert dlq["MessageRetentionPeriod"] == 14 * 24 * 3600
    # A message keeps its first enqueue time in the DLQ: it must outlive the source's.
    assert dlq["MessageRetentionPeriod"] >= queue.get("MessageRetentionPeriod", 345600)
    alarms = [a["Properties"] for a in _of_type(resources, "AWS::CloudWatch::Alarm").values()
              if a["Properties"]["Dimensions"] == [
                  {"Name": "QueueName",
                   "Value": {"Fn::GetAtt": ["LetterDeadLetterQueue", "QueueName"]}}]]
    assert len(alarms) == 1
    assert alarms[0]["MetricName"] == "ApproximateNumberOfMessagesVisible"
    assert alarms[0]["Threshold"] == 0 and alarms[0]["ComparisonOperator"] == "GreaterThanThreshold"


def test_the_postal_poller(resources: dict[str, Any], template: dict[str, Any]) -> None:
    props = _function_props(resources, template, "PostalPollerFunction")
    assert props["Handler"] == "api.entrypoints.lambda_postal.handler"
    assert props["CodeUri"] in {"src/", "src"}
    schedules = [e["Properties"] for e in props["Events"].values()
                 if e["Type"] in {"Schedule", "ScheduleV2"}]
    assert len(schedules) == 1
    assert (schedules[0].get("Schedule") or schedules[0].get("ScheduleExpression")) == (
        "rate(15 minutes)")
    assert props["EventInvokeConfig"]["MaximumRetryAttempts"] == 0
    env = props["Environment"]["Variables"]
    assert env["RELANCE_TABLE"] == {"Ref": "Table"}
    assert env["RELANCE_BUCKET"] == {"Ref": "LettersBucket"}
    assert env["RELANCE_POSTAL_PROVIDER"] == {"Ref": "PostalProvider"}
    assert env["RELANCE_POSTAL_SECRET_PARAMETER"] == {"Ref": "PostalSecretParameterName"}


def test_the_postal_provider_is_fake_unless_chosen(template: dict[str, Any]) -> None:
    provider = template["Parameters"]["PostalProvider"]
    assert provider["Default"] == "fake"
    assert set(provider["AllowedValues"]) == {"fake", "merci_facteur"}


def test_every_function_has_a_log_group_with_a_retention(resources: dict[str, Any]) -> None:
    groups = {tuple(_render(g["Properties"]["LogGroupName"])): g["Properties"]
              for g in _of_type(resources, "AWS::Logs::LogGroup").values()}
    for name in _functions(resources):
        group = groups.get(("/aws/lambda/${" + name + "}",))
        assert group is not None, f"{name} has no log group of its own"
        assert group["RetentionInDays"] > 0


def test_the_postal_webhook_reaches_the_http_function_unauthenticated(
        resources: dict[str, Any]) -> None:
    # The provider calls POST /v1/postal/webhooks/{provider} with no API key; the route
    # checks the provider's secret. The API must route it and must not refuse it first.
    api = resources["HttpApi"]["Properties"]
    assert "Auth" not in api or "DefaultAuthorizer" not in api["Auth"]
    routes = [e["Properties"] for e in resources["HttpFunction"]["Properties"]["Events"].values()
              if e["Type"] == "HttpApi"]

    def serves(route: dict[str, Any], method: str, path: str) -> bool:
        pattern = re.escape(route["Path"]).replace(re.escape("{proxy+}"), ".+")
        pattern = re.sub(r"\\\{\w+\\\}", "[^/]+", pattern)
        return route["Method"] in {method, "ANY"} and bool(re.fullmatch(pattern, path))

    assert any(serves(r, "POST", "/v1/postal/webhooks/merci_facteur") for r in routes)
    assert not any("Auth" in r for r in routes)


def _settings_env_names() -> set[str]:
    # Fails (does not skip) while src/api/settings.py is missing: the template must cover it.
    source = SETTINGS.read_text(encoding="utf-8")
    names = set(re.findall(
        r"""os\.(?:environ\.get\(|environ\[|getenv\()\s*["'](RELANCE_[A-Z0-9_]+)["']""", source))
    # Also names read through a helper, e.g. _env("RELANCE_TABLE", ...): any string literal
    # that is exactly a RELANCE_* name.
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if RELANCE_NAME.fullmatch(node.value):
                names.add(node.value)
    return names


def test_the_http_function_has_the_scratch_space_a_dossier_is_built_in(
        resources: dict[str, Any]) -> None:
    # The pieces as read, then the zip (adapters.dossier_archive): twice the pieces, for
    # 40 pieces at the largest an upload may be.
    props = resources["HttpFunction"]["Properties"]
    largest = int(props["Environment"]["Variables"]["RELANCE_UPLOAD_MAX_BYTES"])
    assert props["EphemeralStorage"]["Size"] * 1024 * 1024 >= 2 * 40 * largest


def test_function_environment_covers_settings(resources: dict[str, Any]) -> None:
    names = _settings_env_names()
    assert names, f"no RELANCE_* environment variable found in {SETTINGS}"
    needed = {n for n in names if n not in LOCAL_ONLY | WATCH_ONLY
              and not n.endswith(LOCAL_ONLY_SUFFIX)}
    env = resources["HttpFunction"]["Properties"]["Environment"]["Variables"]
    assert needed - set(env) == set(), "settings read on Lambda but not set by template.yaml"


def test_no_deployed_function_has_a_movable_clock(resources: dict[str, Any]) -> None:
    # The local run's time travel: a deployed clock must be the system's.
    for name, resource in resources.items():
        if resource["Type"] == "AWS::Serverless::Function":
            env = resource["Properties"].get("Environment", {}).get("Variables", {})
            assert "RELANCE_CLOCK_FILE" not in env, name


def test_function_environment_basics(resources: dict[str, Any]) -> None:
    env = resources["HttpFunction"]["Properties"]["Environment"]["Variables"]
    assert env["RELANCE_TABLE"] == {"Ref": "Table"}
    assert env["RELANCE_BUCKET"] == {"Ref": "LettersBucket"}
    assert env["RELANCE_SCHEDULE_GROUP"] == {"Ref": "ScheduleGroup"}
    assert env["RELANCE_OPERATOR_KEY_PARAMETER"] == {"Ref": "OperatorKeyParameterName"}
    assert env["RELANCE_LETTER_QUEUE_URL"] == {"Ref": "LetterQueue"}  # Ref of a queue: its URL
    assert env["RELANCE_POSTAL_PROVIDER"] == {"Ref": "PostalProvider"}
    assert env["RELANCE_POSTAL_SECRET_PARAMETER"] == {"Ref": "PostalSecretParameterName"}
    assert env["POWERTOOLS_SERVICE_NAME"] == "relance"
    assert env["POWERTOOLS_METRICS_NAMESPACE"] == "Relance"
    # Secrets never travel as plain environment variables on Lambda.
    assert "RELANCE_OPERATOR_API_KEY" not in env and "RELANCE_DEMO_API_KEY" not in env


def test_outputs(template: dict[str, Any]) -> None:
    assert {"ApiUrl", "TableName", "BucketName", "ScheduleGroupName",
            "HttpFunctionName", "LetterQueueUrl",
            "LetterDeadLetterQueueUrl"} <= set(template["Outputs"])
    assert template["Outputs"]["LetterQueueUrl"]["Value"] == {"Ref": "LetterQueue"}
    assert template["Outputs"]["LetterDeadLetterQueueUrl"]["Value"] == {
        "Ref": "LetterDeadLetterQueue"}


def _requirements(lines: list[str]) -> dict[str, Requirement]:
    reqs = [Requirement(line.split("#", 1)[0].strip()) for line in lines
            if line.split("#", 1)[0].strip()]
    return {canonicalize_name(r.name): r for r in reqs}


def test_lambda_requirements_match_pyproject() -> None:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    wanted = _requirements(project["dependencies"])
    bundled = _requirements(REQUIREMENTS.read_text(encoding="utf-8").splitlines())
    assert set(wanted) - set(bundled) == set(), "src/requirements.txt misses a dependency"
    assert set(bundled) - set(wanted) == set(), "src/requirements.txt has an undeclared package"
    for name, req in wanted.items():
        assert bundled[name].specifier == req.specifier, (name, str(bundled[name]), str(req))


# ---------------------------------------------------------------- build (sam build → make)


def _functions(resources: dict[str, Any]) -> dict[str, Any]:
    found = _of_type(resources, "AWS::Serverless::Function")
    assert found
    return found


def _make(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    return subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), *args],
                          capture_output=True, text=True, env=env, check=False)


def _zip_functions(resources: dict[str, Any]) -> dict[str, Any]:
    return {name: fn for name, fn in _functions(resources).items()
            if fn["Properties"].get("PackageType", "Zip") == "Zip"}


def test_functions_build_with_the_makefile_or_a_dockerfile(resources: dict[str, Any]) -> None:
    for name, fn in _functions(resources).items():
        metadata = fn.get("Metadata", {})
        if fn["Properties"].get("PackageType") == "Image":
            # sam build runs `docker build` on <DockerContext> (relative to the template)
            # with <Dockerfile> (relative to the context).
            context = TEMPLATE.parent / metadata["DockerContext"]
            assert (context / metadata["Dockerfile"]).is_file(), name
            assert metadata.get("DockerTag"), name
            continue
        assert metadata.get("BuildMethod") == "makefile", name
        # sam build reads <ContextPath>/Makefile (else <CodeUri>/Makefile), relative to the
        # template, and runs its build-<LogicalId> target.
        context = TEMPLATE.parent / metadata.get("ContextPath", fn["Properties"]["CodeUri"])
        assert (context / "Makefile").resolve() == MAKEFILE.resolve(), name
    assert any(fn["Properties"].get("PackageType") == "Image"
               for fn in _functions(resources).values())


def _dockerfile_instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    lines = [line.strip() for line in text.splitlines()]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
            for line in lines if line and not line.startswith("#")]


def test_the_worker_image(resources: dict[str, Any], template: dict[str, Any]) -> None:
    fn = resources["LetterWorkerFunction"]
    metadata = fn["Metadata"]
    context = TEMPLATE.parent / metadata["DockerContext"]
    steps = _dockerfile_instructions(context / metadata["Dockerfile"])
    base = [args for op, args in steps if op == "FROM"]
    assert len(base) == 1
    # Lambda's own Python base image, for the function's architecture and the zip
    # functions' Python.
    arch = {"arm64": "linux/arm64", "x86_64": "linux/amd64"}[
        _function_props(resources, template, "LetterWorkerFunction")["Architectures"][0]]
    runtime = _function_props(resources, template, "HttpFunction")["Runtime"]
    assert base[0] == (f"--platform={arch} public.ecr.aws/lambda/python:"
                       f"{runtime.removeprefix('python')}")
    # The handler the image runs exists, and it is the worker's.
    cmd = [json_list for op, json_list in steps if op == "CMD"]
    assert len(cmd) == 1
    (handler,) = ast.literal_eval(cmd[0])
    module, _, function = handler.rpartition(".")
    assert module == "api.entrypoints.lambda_letters" and function == "handler"
    assert (ROOT / "src" / (module.replace(".", "/") + ".py")).is_file()
    # It copies every package the zip functions bundle, and the files it installs from.
    copied = " ".join(args for op, args in steps if op == "COPY")
    for package in sorted(p.parent.name for p in (ROOT / "src").glob("*/__init__.py")):
        assert f"src/{package} " in copied, package
    for needed in ["pyproject.toml", "src/requirements.txt"]:
        assert needed in copied and (context / needed).is_file()
    run = " ".join(args for op, args in steps if op == "RUN")
    assert "harfbuzz" in run and "pango" in run and "fc-cache" in run
    # The whole repository is the build context: .dockerignore keeps .venv and .git out.
    ignored = (context / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert "*" in ignored


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_makefile_has_a_build_target_per_function(
        resources: dict[str, Any], template: dict[str, Any], tmp_path: Path) -> None:
    glob = template.get("Globals", {}).get("Function", {})
    assert set(_zip_functions(resources)) == {"HttpFunction", "PostalPollerFunction",
                                              "TriggerFunction", "SweeperFunction",
                                              "EmailEventsFunction", "InsolvencyWatchFunction"}
    for name, fn in _zip_functions(resources).items():
        props = {**glob, **fn["Properties"]}
        dry = _make("-n", f"build-{name}", f"ARTIFACTS_DIR={tmp_path / name}")
        assert dry.returncode == 0, (name, dry.stderr)
        # The deployment build fetches wheels for the function's runtime and architecture.
        version = props["Runtime"].removeprefix("python")
        arch = {"arm64": "aarch64", "x86_64": "x86_64"}[props["Architectures"][0]]
        assert f"--python-version {version}" in dry.stdout, dry.stdout
        assert f"--platform manylinux2014_{arch}" in dry.stdout, dry.stdout
        assert "--only-binary=:all:" in dry.stdout, dry.stdout
    assert _make("-n", "build-NoSuchFunction", f"ARTIFACTS_DIR={tmp_path}").returncode != 0


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize("function", ["HttpFunction", "PostalPollerFunction",
                                      "TriggerFunction", "SweeperFunction",
                                      "EmailEventsFunction"])
def test_build_function_code_only(resources: dict[str, Any], tmp_path: Path,
                                  function: str) -> None:
    artifact = tmp_path / function
    done = _make(f"build-{function}", "BUILD_FOR=local", "BUILD_DEPS=no",
                 f"PYTHON={sys.executable}", f"ARTIFACTS_DIR={artifact}")
    assert done.returncode == 0, done.stdout + done.stderr
    handler = resources[function]["Properties"]["Handler"]
    module = artifact / (handler.rsplit(".", 1)[0].replace(".", "/") + ".py")
    assert module.is_file(), sorted(p.name for p in artifact.iterdir())
    assert Path(importlib.util.cache_from_source(str(module))).is_file()
    assert (artifact / "domain" / "amounts" / "data" / "rates.json").is_file()
    assert (artifact / "domain" / "debtors" / "contacts" / "data" / "first_names.txt").is_file()
    packages = sorted(p.parent.name for p in (ROOT / "src").glob("*/__init__.py"))
    assert sorted(p.name for p in artifact.iterdir()) == packages  # no requirements.txt
    names = {p.name for p in artifact.rglob("*")}
    assert not {"tests", "conftest.py", "requirements.txt", ".venv"} & names
    tag = sys.implementation.cache_tag
    stray = [p for p in artifact.rglob("*.pyc") if f".{tag}." not in p.name]
    assert not stray, stray
    # Every module has its bytecode: nothing is compiled at cold start.
    missing = [p for p in artifact.rglob("*.py")
               if not Path(importlib.util.cache_from_source(str(p))).is_file()]
    assert not missing, missing
    # A second build into a non-empty directory is refused rather than mixed.
    assert _make(f"build-{function}", "BUILD_FOR=local", "BUILD_DEPS=no",
                 f"PYTHON={sys.executable}", f"ARTIFACTS_DIR={artifact}").returncode != 0


# ---------------------------------------------------------------- the escalation ladder


def _env(resources: dict[str, Any], function: str) -> dict[str, Any]:
    return dict(resources[function]["Properties"]["Environment"]["Variables"])


def _dead_letter_alarm(resources: dict[str, Any], queue: str) -> dict[str, Any]:
    alarms = [a["Properties"] for a in _of_type(resources, "AWS::CloudWatch::Alarm").values()
              if a["Properties"]["Dimensions"] == [
                  {"Name": "QueueName", "Value": {"Fn::GetAtt": [queue, "QueueName"]}}]]
    assert len(alarms) == 1, queue
    return alarms[0]


def test_the_trigger(resources: dict[str, Any], template: dict[str, Any]) -> None:
    props = _function_props(resources, template, "TriggerFunction")
    assert props["Handler"] == "api.entrypoints.lambda_trigger.handler"
    assert props["CodeUri"] in {"src/", "src"}
    assert props["Architectures"] == ["arm64"] and props["Runtime"] == "python3.13"
    assert props["MemorySize"] == 512 and props["Timeout"] == 60
    assert "Events" not in props  # only the Scheduler invokes it, through SchedulerRole
    # Its name is fixed, and the ARN written out everywhere is the one that name makes.
    name = _render(props["FunctionName"])
    assert name == ["${AWS::StackName}-trigger"]
    assert TRIGGER_ARN == ("arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}"
                           ":function:" + name[0])
    invoke = props["EventInvokeConfig"]
    assert invoke["MaximumRetryAttempts"] == 2
    failure = invoke["DestinationConfig"]["OnFailure"]
    assert failure == {"Type": "SQS", "Destination": {"Fn::GetAtt": ["TriggerFailureQueue",
                                                                      "Arn"]}}


def test_the_trigger_permissions(resources: dict[str, Any]) -> None:
    granted = _granted(resources, "TriggerFunction")
    # No index (a wake-up names its claim); no delete, no condition check: a step writes
    # its claim's items and reads its debtor and creditor together.
    for action in ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query",
                   "dynamodb:PutItem", "dynamodb:UpdateItem"]:
        assert granted.pop(action) == {"${Table.Arn}"}, action
    assert granted.pop("sqs:SendMessage") == {"${LetterQueue.Arn}"}
    for action, on in {**SCHEDULER_GRANTS, **SENDER_GRANTS}.items():
        assert granted.pop(action) == on, action
    # No S3, no SSM: it asks for letters, the letter worker renders and posts them.
    assert granted == {}


def test_the_sweeper(resources: dict[str, Any], template: dict[str, Any]) -> None:
    props = _function_props(resources, template, "SweeperFunction")
    assert props["Handler"] == "api.entrypoints.lambda_sweeper.handler"
    assert props["CodeUri"] in {"src/", "src"}
    assert props["Architectures"] == ["arm64"] and props["Runtime"] == "python3.13"
    schedules = [e["Properties"] for e in props["Events"].values()
                 if e["Type"] in {"Schedule", "ScheduleV2"}]
    assert len(schedules) == 1 and len(props["Events"]) == 1
    assert (schedules[0].get("Schedule") or schedules[0].get("ScheduleExpression")) == (
        "rate(15 minutes)")
    assert props["EventInvokeConfig"]["MaximumRetryAttempts"] == 0
    granted = _granted(resources, "SweeperFunction")
    # The overdue claims from their index (GSI4 only), then each step as the trigger.
    assert granted.pop("dynamodb:Query") == {"${Table.Arn}", "${Table.Arn}/index/GSI4"}
    for action in ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem",
                   "dynamodb:UpdateItem"]:
        assert granted.pop(action) == {"${Table.Arn}"}, action
    assert granted.pop("sqs:SendMessage") == {"${LetterQueue.Arn}"}
    for action, on in {**SCHEDULER_GRANTS, **SENDER_GRANTS}.items():
        assert granted.pop(action) == on, action
    assert granted == {}


SIRENE_KEY = ("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}"
              ":parameter${SireneKeyParameterName}")


def test_the_insolvency_watch(resources: dict[str, Any], template: dict[str, Any]) -> None:
    props = _function_props(resources, template, "InsolvencyWatchFunction")
    assert props["Handler"] == "api.entrypoints.lambda_insolvency_watch.handler"
    assert props["CodeUri"] in {"src/", "src"}
    assert props["Architectures"] == ["arm64"] and props["Runtime"] == "python3.13"
    assert resources["InsolvencyWatchFunction"]["Metadata"]["BuildMethod"] == "makefile"
    (event,) = props["Events"].values()
    assert event["Type"] == "Schedule"
    assert event["Properties"]["Schedule"] == "cron(30 5 * * ? *)"  # once a day
    # A failed run is retried once, then kept in its queue, which alarms.
    config = props["EventInvokeConfig"]
    assert config["MaximumRetryAttempts"] == 1
    assert config["DestinationConfig"]["OnFailure"] == {
        "Type": "SQS", "Destination": {"Fn::GetAtt": ["InsolvencyWatchFailureQueue", "Arn"]}}
    queue = resources["InsolvencyWatchFailureQueue"]["Properties"]
    assert queue["MessageRetentionPeriod"] == 14 * 24 * 3600 and queue["SqsManagedSseEnabled"]
    alarm = _dead_letter_alarm(resources, "InsolvencyWatchFailureQueue")
    assert alarm["Threshold"] == 0 and alarm["ComparisonOperator"] == "GreaterThanThreshold"
    env = _env(resources, "InsolvencyWatchFunction")
    assert env["RELANCE_COMPANY_DATA"] == {"Ref": "CompanyData"}
    assert env["RELANCE_SIRENE_KEY_PARAMETER"] == {"Ref": "SireneKeyParameterName"}
    assert env["RELANCE_COMPANY_DATA_PER_MINUTE"] == "30"  # INSEE's quota for a Sirene key
    assert env["RELANCE_LETTER_QUEUE_URL"] == {"Ref": "LetterQueue"}
    assert template["Parameters"]["CompanyData"]["Default"] == "fake"
    # Least privilege: reads, puts (every change is puts in one transaction), its two
    # indexes, the letter queue, the Sirene key; nothing it could delete or schedule with.
    granted = _granted(resources, "InsolvencyWatchFunction")
    assert granted.pop("dynamodb:Query") == {"${Table.Arn}", "${Table.Arn}/index/GSI5",
                                             "${Table.Arn}/index/GSI3"}
    for action in ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem"]:
        assert granted.pop(action) == {"${Table.Arn}"}, action
    assert granted.pop("sqs:SendMessage") == {"${LetterQueue.Arn}"}
    assert granted.pop("ssm:GetParameter") == {SIRENE_KEY}
    assert granted.pop("kms:Decrypt") == {"${SireneKeyKmsKeyArn}"}
    assert granted == {}


def test_the_scheduler_role_may_only_invoke_the_trigger(resources: dict[str, Any]) -> None:
    roles = _of_type(resources, "AWS::IAM::Role")
    role = roles["SchedulerRole"]["Properties"]
    trust = _statements(role["AssumeRolePolicyDocument"])
    assert len(trust) == 1
    assert trust[0]["Effect"] == "Allow" and trust[0]["Action"] == "sts:AssumeRole"
    assert trust[0]["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert trust[0]["Condition"] == {
        "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
    granted: dict[str, set[str]] = {}
    for policy in role["Policies"]:
        for st in _statements(policy["PolicyDocument"]):
            assert st["Effect"] == "Allow"
            for action in _render(st["Action"]):
                granted.setdefault(action, set()).update(_render(st["Resource"]))
    assert granted == {"lambda:InvokeFunction": {TRIGGER_ARN},
                       "sqs:SendMessage": {"${SchedulerDeadLetterQueue.Arn}"}}
    # No other role or policy in the template may invoke a function.
    for name, st in _all_allow_statements(resources):
        if "lambda:InvokeFunction" in _render(st["Action"]):
            assert name == "SchedulerRole", name


def test_only_the_functions_that_change_a_claim_may_schedule(
        resources: dict[str, Any]) -> None:
    scheduling = set()
    for name, st in _all_allow_statements(resources):
        actions = _render(st["Action"])
        for action in actions:
            if action.startswith("scheduler:"):
                assert action in {"scheduler:CreateSchedule", "scheduler:DeleteSchedule"}
                assert _render(st["Resource"]) == [SCHEDULES], name
                scheduling.add(name)
        if "iam:PassRole" in actions:
            # The Scheduler's role only, and to the Scheduler only.
            assert _render(st["Resource"]) == ["${SchedulerRole.Arn}"], name
            assert st["Condition"] == {
                "StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}}, name
    assert scheduling == SCHEDULING
    # A new function must be decided on: the insolvency watch holds claims (a held claim's
    # wake-up does nothing) and requests letters, whose worker keeps the schedule.
    assert set(_functions(resources)) == SCHEDULING | {"InsolvencyWatchFunction"}
    group = resources["ScheduleGroup"]
    assert group["Type"] == "AWS::Scheduler::ScheduleGroup"
    for function in SCHEDULING:
        env = _env(resources, function)
        assert env["RELANCE_SCHEDULE_GROUP"] == {"Ref": "ScheduleGroup"}, function
        assert _render(env["RELANCE_SCHEDULER_TARGET_ARN"]) == [TRIGGER_ARN], function
        assert env["RELANCE_SCHEDULER_ROLE_ARN"] == {
            "Fn::GetAtt": ["SchedulerRole", "Arn"]}, function
        assert env["RELANCE_SCHEDULER_DLQ_ARN"] == {
            "Fn::GetAtt": ["SchedulerDeadLetterQueue", "Arn"]}, function


def test_both_ladder_dead_letter_queues_keep_14_days_and_alarm(
        resources: dict[str, Any]) -> None:
    for queue in ["SchedulerDeadLetterQueue", "TriggerFailureQueue", "EmailEventsFailureQueue"]:
        res = resources[queue]
        assert res["Type"] == "AWS::SQS::Queue"
        props = res["Properties"]
        assert "FifoQueue" not in props  # the Scheduler's DLQ must be a standard queue
        assert props["MessageRetentionPeriod"] == 14 * 24 * 3600
        assert props.get("SqsManagedSseEnabled") is True or "KmsMasterKeyId" in props
        alarm = _dead_letter_alarm(resources, queue)
        assert alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"
        assert alarm["Threshold"] == 0
        assert alarm["ComparisonOperator"] == "GreaterThanThreshold"
        # As the letter DLQ's: the optional topic, when given.
        letter = _dead_letter_alarm(resources, "LetterDeadLetterQueue")
        assert alarm["AlarmActions"] == letter["AlarmActions"] == {
            "Fn::If": ["HasAlarmTopic", [{"Ref": "AlarmTopicArn"}], {"Ref": "AWS::NoValue"}]}
        assert alarm["OKActions"] == letter["OKActions"]
        # Non-TLS access denied, as on the letter queues.
        denied = [st for p in _of_type(resources, "AWS::SQS::QueuePolicy").values()
                  if {"Ref": queue} in p["Properties"]["Queues"]
                  for st in _statements(p["Properties"]["PolicyDocument"])
                  if st["Effect"] == "Deny"]
        assert any(st["Condition"]["Bool"]["aws:SecureTransport"] == "false"
                   for st in denied), queue


def test_messaging_is_fake_unless_chosen(template: dict[str, Any]) -> None:
    params = template["Parameters"]
    assert params["Messaging"]["Default"] == "fake"
    assert set(params["Messaging"]["AllowedValues"]) == {"fake", "aws"}
    assert params["EmailFrom"]["Default"] == params["SmsSenderId"]["Default"] == ""
    sender_id = re.compile(params["SmsSenderId"]["AllowedPattern"])
    for good in ["", "RELANCE", "Abc", "ABCDEFGHIJK", "Leroy2"]:
        assert sender_id.fullmatch(good), good
    for bad in ["AB", "ABCDEFGHIJKL", "LEROY SARL", "Leroy-SA", "é-lan"]:
        assert not sender_id.fullmatch(bad), bad
    email = re.compile(params["EmailFrom"]["AllowedPattern"])
    for good in ["", "relances@menuiserie-leroy.fr", "no.reply+x@mail.example.co.uk"]:
        assert email.fullmatch(good), good
    for bad in ["Leroy <relances@leroy.fr>", "relances@", "@leroy.fr", "relances@leroy"]:
        assert not email.fullmatch(bad), bad


def test_the_functions_that_run_steps_send_as_configured(resources: dict[str, Any]) -> None:
    messaging = {"RELANCE_MESSAGING": {"Ref": "Messaging"},
                 "RELANCE_EMAIL_FROM": {"Ref": "EmailFrom"},
                 "RELANCE_SES_CONFIGURATION_SET": {"Ref": "EmailConfigurationSet"},
                 "RELANCE_SMS_SENDER_ID": {"Ref": "SmsSenderId"}}
    for function in _functions(resources):
        env, granted = _env(resources, function), _granted(resources, function)
        if function in SENDING:
            # A function that runs steps with the fake senders would record a message as
            # sent and send nothing: each one has the settings, and the permissions.
            assert {k: env.get(k) for k in messaging} == messaging, function
            for action, on in SENDER_GRANTS.items():
                assert granted[action] == on, (function, action)
        elif function in EMAILING:
            emailing = {k: v for k, v in messaging.items() if k != "RELANCE_SMS_SENDER_ID"}
            assert {k: env.get(k) for k in messaging} == {
                **emailing, "RELANCE_SMS_SENDER_ID": None}, function
            assert granted["ses:SendEmail"] == SES_IDENTITIES, function
            assert "sms-voice:SendTextMessage" not in granted, function
        else:
            assert not set(messaging) & set(env), function
            assert not set(SENDER_GRANTS) & set(granted), function
    # The ladder's letters travel by the chosen post, never silently by the fake one.
    for function in SENDING | {"LetterWorkerFunction"}:
        assert _env(resources, function)["RELANCE_POSTAL_PROVIDER"] == {
            "Ref": "PostalProvider"}, function


def test_the_ses_sender_is_granted_on_its_address_domain_and_configuration_set(
        resources: dict[str, Any]) -> None:
    for function in EMAILING:
        items = [item for item in resources[function]["Properties"]["Policies"][0]["Statement"]
                 if any("ses:SendEmail" in _render(s["Action"]) for s in _statements(item))]
        assert len(items) == 1
        # Behind the condition that a sender was given, else nothing.
        condition, granted, otherwise = items[0]["Fn::If"]
        assert condition == "HasEmailFrom" and otherwise == {"Ref": "AWS::NoValue"}
        domain = [r for r in granted["Resource"] if isinstance(r.get("Fn::Sub"), list)]
        assert len(domain) == 1
        (variables,) = domain[0]["Fn::Sub"][1:]
        assert variables == {"Domain": {"Fn::Select": [1, {"Fn::Split": [
            "@", {"Fn::Sub": "${EmailFrom}@"}]}]}}
    # What CloudFormation computes, by hand: the part after "@", and "" for no sender.
    for address, domain_part in [("relances@menuiserie-leroy.fr", "menuiserie-leroy.fr"),
                                 ("", "")]:
        assert f"{address}@".split("@")[1] == domain_part


def test_bounces_and_complaints_are_published(resources: dict[str, Any]) -> None:
    assert resources["EmailConfigurationSet"]["Type"] == "AWS::SES::ConfigurationSet"
    destinations = _of_type(resources, "AWS::SES::ConfigurationSetEventDestination")
    assert len(destinations) == 1
    (dest,) = destinations.values()
    assert dest["Properties"]["ConfigurationSetName"] == {"Ref": "EmailConfigurationSet"}
    event = dest["Properties"]["EventDestination"]
    assert event["Enabled"] is True
    assert set(event["MatchingEventTypes"]) == {"bounce", "complaint"}
    assert event["SnsDestination"] == {"TopicARN": {"Ref": "EmailEventsTopic"}}
    assert resources["EmailEventsTopic"]["Type"] == "AWS::SNS::Topic"
    # SES may publish to it for this account only.
    (policy,) = _of_type(resources, "AWS::SNS::TopicPolicy").values()
    (st,) = _statements(policy["Properties"]["PolicyDocument"])
    assert st["Principal"] == {"Service": "ses.amazonaws.com"}
    assert st["Action"] == "sns:Publish" and st["Resource"] == {"Ref": "EmailEventsTopic"}
    assert st["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}


def test_the_email_events_function_reads_the_topic(resources: dict[str, Any],
                                                   template: dict[str, Any]) -> None:
    props = _function_props(resources, template, "EmailEventsFunction")
    assert props["Handler"] == "api.entrypoints.lambda_email_events.handler"
    assert props["CodeUri"] in {"src/", "src"}
    assert props["Architectures"] == ["arm64"] and props["Runtime"] == "python3.13"
    # SNS, from the configuration set's topic, and nothing else invokes it.
    (source,) = props["Events"].values()
    assert source == {"Type": "SNS", "Properties": {"Topic": {"Ref": "EmailEventsTopic"}}}
    invoke = props["EventInvokeConfig"]
    assert invoke["MaximumRetryAttempts"] == 2
    assert invoke["DestinationConfig"]["OnFailure"] == {
        "Type": "SQS", "Destination": {"Fn::GetAtt": ["EmailEventsFailureQueue", "Arn"]}}
    assert _env(resources, "EmailEventsFunction")["RELANCE_TABLE"] == {"Ref": "Table"}


def test_the_email_events_function_permissions(resources: dict[str, Any]) -> None:
    granted = _granted(resources, "EmailEventsFunction")
    # The claim and the debtor by key; their items, the event and a task put in one
    # transaction. No index, no query, no update or delete, no S3, no queue, no sender.
    for action in ["dynamodb:GetItem", "dynamodb:PutItem"]:
        assert granted.pop(action) == {"${Table.Arn}"}, action
    for action, on in SCHEDULER_GRANTS.items():
        assert granted.pop(action) == on, action
    assert granted == {}


def test_every_relance_variable_set_is_a_setting_read(resources: dict[str, Any]) -> None:
    # A misspelt name would be set and never read: the code would use its default.
    names = _settings_env_names()
    for function in _functions(resources):
        set_here = {k for k in _env(resources, function) if k.startswith("RELANCE_")}
        assert set_here - names == set(), function
