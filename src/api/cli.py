"""`relance`, the project's command line, for a local run (`make run`).

    relance clock                      the run's clock
    relance tick --to 2027-01-31       move it forward; every step due on the way runs at its
                                       own instant, and what happened is printed step by
                                       step: messages with their text, letters with their
                                       file (downloaded), tasks

It talks to the running server (`--url`, default `$RELANCE_URL` or http://127.0.0.1:8000)
with the operator's key (`$RELANCE_OPERATOR_API_KEY`, printed by `make run`). Standard
library only: it runs from the project's virtualenv without anything else.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

DEFAULT_URL = "http://127.0.0.1:8000"
# Timeline entries that say nothing a person playing the ladder needs to read.
_QUIET = {"step_started"}


class CliError(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except CliError as exc:
        print(f"relance: {exc}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="relance", description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("RELANCE_URL", DEFAULT_URL),
                        help="the running server (default $RELANCE_URL or %(default)s)")
    parser.add_argument("--tz", default="Europe/Paris",
                        help="the time zone dates are read and shown in (%(default)s)")
    commands = parser.add_subparsers(required=True, metavar="command")
    clock = commands.add_parser("clock", help="show the run's clock")
    clock.set_defaults(run=_clock)
    tick = commands.add_parser("tick", help="move the clock forward, running what falls due")
    tick.add_argument("--to", required=True, type=str,
                      help="a date (to the end of that day) or an ISO 8601 instant")
    tick.add_argument("--claim", help="print only this claim")
    tick.add_argument("--answer", action="append", default=[], metavar="KIND=OUTCOME",
                      help="answer every task of KIND at once with OUTCOME, so manual steps "
                           "do not block the ladder (e.g. call=no_answer approval=approved)")
    tick.add_argument("--out", default="relance-letters", type=Path,
                      help="where the letters' PDFs are written (%(default)s)")
    tick.set_defaults(run=_tick)
    return parser


def _clock(args: argparse.Namespace) -> int:
    answer = _call(args.url, "GET", "/v1/admin/clock")
    now = datetime.fromisoformat(answer["now"]).astimezone(ZoneInfo(args.tz))
    print(f"{now:%Y-%m-%d %H:%M} {args.tz}"
          f"{'' if answer['movable'] else ' (the system clock: it does not move)'}")
    return 0


def target(text: str, zone: ZoneInfo) -> datetime:
    """`2027-01-31` is the end of that day in `zone`; an instant without an offset is read
    in `zone` too."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        try:
            at = datetime.fromisoformat(text)
        except ValueError:
            raise CliError(f"--to {text!r} is neither a date nor an ISO 8601 instant") from None
        return at if at.tzinfo else at.replace(tzinfo=zone)
    return datetime.combine(day, time(23, 59), zone)


def _tick(args: argparse.Namespace) -> int:
    zone = ZoneInfo(args.tz)
    to = target(args.to, zone)
    answers = {}
    for given in args.answer:
        kind, sep, outcome = given.partition("=")
        if not sep or not kind or not outcome:
            raise CliError(f"--answer {given!r} is not KIND=OUTCOME")
        answers[kind] = outcome
    trip = _call(args.url, "POST", "/v1/admin/clock", {"to": to.isoformat(), "answers": answers})
    started = datetime.fromisoformat(trip["started_at"]).astimezone(zone)
    arrived = datetime.fromisoformat(trip["arrived_at"]).astimezone(zone)
    claims = [c for c in trip["claims"] if args.claim in (None, c["claim_id"])]
    print(f"Clock {started:%Y-%m-%d %H:%M} -> {arrived:%Y-%m-%d %H:%M} ({args.tz}): "
          f"{trip['steps_run']} steps run on {len(trip['claims'])} claims")
    for claim in claims:
        print(f"\n{claim['claim_id']}  (creditor {claim['creditor_id']})")
        for event in claim["events"]:
            for line in describe(event, zone):
                print(line)
        for letter in claim["letters"]:
            print(f"  letter {letter['kind']} ({letter['status']}"
                  f"{', posted' if letter['posted'] else ''}): {_save(letter, claim, args.out)}")
    return 0


def describe(event: dict[str, Any], zone: ZoneInfo) -> list[str]:
    """One timeline entry as the lines a person reads: a message with its words, the rest
    as its action and data."""
    action, data = event["action"], event["data"]
    if action in _QUIET:
        return []
    at = datetime.fromisoformat(event["at"]).astimezone(zone)
    head = f"  {at:%Y-%m-%d %H:%M}  "
    if action == "message_sent":
        lines = [f"{head}{data['channel']} sent ({data['step']})"]
        if data.get("subject"):
            lines.append(f"      Subject: {data['subject']}")
        lines.extend(f"      {line}" for line in data["text"].splitlines() if line.strip())
        return lines
    details = ", ".join(f"{k}={v}" for k, v in data.items())
    return [f"{head}{action}{'  ' + details if details else ''}"
            f"{'  (' + event['reason'] + ')' if event.get('reason') else ''}"]


def _save(letter: dict[str, Any], claim: dict[str, Any], out: Path) -> str:
    if not letter.get("download_url"):
        return "no file yet (the letter worker has not rendered it)"
    folder = out / claim["claim_id"]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{letter['kind']}-{letter['id']}.pdf"
    # The link is the server's own presigned one, to the run's emulated S3.
    with urllib.request.urlopen(letter["download_url"], timeout=30) as answer:  # noqa: S310
        path.write_bytes(answer.read())
    return str(path)


def _call(url: str, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    key = os.environ.get("RELANCE_OPERATOR_API_KEY")
    if not key:
        raise CliError("set RELANCE_OPERATOR_API_KEY to the operator key make run printed")
    request = urllib.request.Request(  # noqa: S310 (the URL is the operator's own)
        url.rstrip("/") + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"X-API-Key": key, "Content-Type": "application/json",
                 "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=600) as answer:  # noqa: S310
            return json.loads(answer.read())
    except urllib.error.HTTPError as error:
        try:
            problem = json.loads(error.read())
            detail = problem.get("detail") or problem.get("title")
            fields = "; ".join(f"{e.get('field')}: {e.get('message')}"
                               for e in problem.get("errors", []))
        except ValueError:
            detail, fields = error.reason, ""
        raise CliError(f"{method} {path} answered {error.code}: {detail}"
                       f"{' (' + fields + ')' if fields else ''}") from None
    except urllib.error.URLError as error:
        raise CliError(f"cannot reach {url} ({error.reason}): is `make run` running?") from None


if __name__ == "__main__":
    sys.exit(main())
