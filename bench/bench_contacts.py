"""Contact validation throughput: `check_contact_point` over a batch of 10,000 mixed contact
points (phones, e-mails, postal addresses; French and foreign; about one in eight invalid),
on one core, no network. Target: at least 5,000 validations per second.

The batch is generated from a fixed seed with random digits and names, so that caches
(e.g. accent stripping) see realistic variety rather than 10,000 copies of one value.
"""

from __future__ import annotations

import random
import statistics

from bench.common import Row, median_p99, timings_ms
from domain.debtors.contacts import check_contact_point
from domain.debtors.model import ContactKind, ContactPoint, DebtorKind, PostalAddress

BATCH = 10_000
TARGET_PER_SECOND = 5_000

_FIRST = ["jean", "marie", "pierre", "sophie", "luc", "camille", "élodie", "françois", "anne",
          "hugo", "léa", "thomas"]
_LAST = ["dupont", "martin", "bernard", "petit", "durand", "leroy", "moreau", "fournier",
         "girard", "müller", "o'brien", "garcía"]
_DOMAINS = ["orange.fr", "free.fr", "gmail.com", "wanadoo.fr", "laposte.net", "sfr.fr",
            "dupont-sa.fr", "société.fr", "web.de", "yahoo.co.uk", "yopmail.com", "gmial.com"]
_ROLES = ["contact", "compta", "facturation", "info", "noreply", "accueil"]
_STREETS = ["rue de la Paix", "avenue des Champs-Élysées", "boulevard Haussmann",
            "avenue du Maréchal de Lattre de Tassigny", "place de l'Église", "chemin des Vignes",
            "impasse du Moulin", "allée des Tilleuls", "route de Lyon", "quai de la Loire",
            "boulevard du Général Charles de Gaulle", "rue Jean-Jacques Rousseau"]
_CITIES = [("75011", "Paris"), ("69003", "Lyon"), ("13001", "Marseille"), ("33000", "Bordeaux"),
           ("97411", "Saint-Denis"), ("20000", "Ajaccio"), ("75543", "Paris Cedex 11"),
           ("42000", "Saint-Étienne"), ("59000", "Lille"), ("7501", "Paris"),
           ("31000", "Toulouse"), ("06000", "Nice")]
_FOREIGN = [("DE", "80331", "München"), ("BE", "1000", "Bruxelles"), ("GB", "SW1A 2AA", "London"),
            ("CH", "8001", "Zürich"), ("ES", "28001", "Madrid"), ("US", "10001", "New York NY"),
            ("MA", "20000", "Casablanca"), ("IT", "0018", "Roma")]


def _phone(rng: random.Random) -> tuple[str, str]:
    pick = rng.random()
    digits = "".join(rng.choice("0123456789") for _ in range(8))
    if pick < 0.45:
        prefix = rng.choice(["06", "07 8", "01", "04", "09"])
        n = (prefix.replace(" ", "") + digits)[:10]
        sep = rng.choice([" ", ".", "", "-"])
        return sep.join(n[i:i + 2] for i in range(0, 10, 2)), "FR"
    if pick < 0.60:
        return "+33 6 " + " ".join(digits[i:i + 2] for i in range(0, 8, 2)), "FR"
    if pick < 0.70:
        return "0692 " + digits[:2] + " " + digits[2:4] + " " + digits[4:6], "FR"
    if pick < 0.80:
        return rng.choice(["+49 1512 ", "+32 470 ", "+44 7911 ", "+1 650 "]) + digits[:7], "FR"
    if pick < 0.88:
        return rng.choice(["3631", "118 712", "0899 12 34 56", "06 12", "abc", "07 12 34 56 78"]), \
            "FR"
    return "06 " + " ".join(digits[i:i + 2] for i in range(0, 8, 2)), "BE"


def _email(rng: random.Random) -> str:
    pick = rng.random()
    if pick < 0.7:
        local = f"{rng.choice(_FIRST)}.{rng.choice(_LAST)}{rng.randint(1, 999)}"
        local = local.replace("'", "")
    elif pick < 0.85:
        local = rng.choice(_ROLES)
    else:
        return rng.choice(["jean.dupont", "jean@@free.fr", "<b>x</b>@free.fr", "a..b@free.fr",
                           "Jean Dupont <jean@free.fr>", "jean@free"])
    if any(ord(c) > 127 for c in local) and rng.random() < 0.8:
        local = local.encode("ascii", "ignore").decode()
    return f"{local}@{rng.choice(_DOMAINS)}"


def _address(rng: random.Random) -> PostalAddress:
    number = str(rng.randint(1, 250)) + rng.choice(["", "", "", " bis", " ter"])
    street = f"{number} {rng.choice(_STREETS)}"
    name = f"{rng.choice(['M.', 'Mme', 'Société'])} {rng.choice(_LAST).title()}"
    if rng.random() < 0.8:
        code, city = rng.choice(_CITIES)
        extra = rng.choice([(), ("Bâtiment B",), ("Appartement 12", "Résidence Les Pins"),
                            ("Service comptabilité",)])
        tail = ("BP 45",) if rng.random() < 0.15 else ()
        return PostalAddress(name, (*extra, street, *tail), code, city, "FR")
    country, code, city = rng.choice(_FOREIGN)
    return PostalAddress(name, (f"{rng.randint(1, 99)} Main Street",), code, city, country)


def make_batch(size: int = BATCH, seed: int = 20240601) -> list[tuple[ContactPoint, str,
                                                                       DebtorKind]]:
    rng = random.Random(seed)
    out: list[tuple[ContactPoint, str, DebtorKind]] = []
    for i in range(size):
        kind = rng.choice([DebtorKind.BUSINESS, DebtorKind.CONSUMER])
        pick = i % 3
        if pick == 0:
            value, country = _phone(rng)
            point = ContactPoint(id=f"p{i}", kind=ContactKind.PHONE, value=value)
        elif pick == 1:
            point = ContactPoint(id=f"e{i}", kind=ContactKind.EMAIL, value=_email(rng))
            country = "FR"
        else:
            point = ContactPoint(id=f"a{i}", kind=ContactKind.POSTAL_ADDRESS,
                                 address=_address(rng))
            country = "FR"
        out.append((point, country, kind))
    return out


def _run_batch(batch: list[tuple[ContactPoint, str, DebtorKind]]) -> dict[str, int]:
    statuses: dict[str, int] = {}
    for point, country, kind in batch:
        status = check_contact_point(point, country, kind).status
        statuses[status] = statuses.get(status, 0) + 1
    return statuses


def _per_kind(batch: list[tuple[ContactPoint, str, DebtorKind]]) -> dict[str, float]:
    out: dict[str, float] = {}
    for kind in ContactKind:
        subset = [item for item in batch if item[0].kind == kind]
        def run_subset(subset: list[tuple[ContactPoint, str, DebtorKind]] = subset) -> None:
            _run_batch(subset)

        median_ms = statistics.median(timings_ms(run_subset, repeat=3, warmup=0))
        out[kind.value] = len(subset) / (median_ms / 1000)
    return out


def run() -> list[Row]:
    batch = make_batch()
    statuses = _run_batch(batch)
    samples = timings_ms(lambda: _run_batch(batch), repeat=5, warmup=1)
    median_ms = statistics.median(samples)
    per_second = BATCH / (median_ms / 1000)
    verdict = "meets" if per_second >= TARGET_PER_SECOND else "BELOW"
    mix = ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
    rows: list[Row] = [
        ("contacts: check_contact_point, 10k mixed batch",
         f"{per_second:,.0f} validations/s ({median_ms:,.0f} ms/batch)",
         f"target >= {TARGET_PER_SECOND:,}/s, one core: {verdict}; statuses: {mix}"),
    ]
    for kind, rate in _per_kind(batch).items():
        rows.append((f"contacts: {kind} only", f"{rate:,.0f} validations/s",
                     "same batch, one kind"))
    rows.append(_http_batch(batch[:1000]))
    return rows


def _http_batch(batch: list[tuple[ContactPoint, str, DebtorKind]]) -> Row:
    """Latency of one POST /v1/contact-validation with 1,000 points, in process (moto)."""
    import os

    os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-3")
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    import boto3
    from litestar.testing import TestClient
    from moto import mock_aws

    from adapters.clock import SystemClock
    from adapters.dynamodb import DynamoUnitOfWork, create_table
    from adapters.dynamodb.idempotency import DynamoIdempotencyStore
    from adapters.dynamodb.rates import DynamoRateStore
    from api.entrypoints.local import seed_demo
    from api.http.app import create_app
    from domain.services.caller import Ports

    items = []
    for point, _, _ in batch:
        if point.address is not None:
            a = point.address
            items.append({"kind": "postal_address", "address": {
                "recipient": a.recipient[:200], "lines": [line[:200] for line in a.lines][:5],
                "postal_code": a.postal_code[:20], "city": a.city[:200], "country": a.country}})
        else:
            items.append({"kind": point.kind.value, "value": point.value})
    with mock_aws():
        client = boto3.client("dynamodb")
        create_table(client, "bench")
        ports = Ports(unit_of_work=lambda: DynamoUnitOfWork(client, "bench"),
                      clock=SystemClock(), rates=DynamoRateStore(client, "bench"))
        app = create_app(ports=ports, idempotency=DynamoIdempotencyStore(client, "bench"),
                         operator_key=lambda: None)
        _, key = seed_demo(ports, "rlk_bench_contacts_key_0123456789abcdef")
        with TestClient(app) as http:
            def post() -> None:
                response = http.post("/v1/contact-validation", headers={"X-API-Key": key},
                                     json={"items": items})
                assert response.status_code == 200, response.text[:500]

            samples = timings_ms(post, repeat=10, warmup=2)
    median, p99 = median_p99(samples)
    return ("contacts: POST /v1/contact-validation, 1,000 points",
            f"median {median:,.0f} ms, max {p99:,.0f} ms", "in-process app, 10 requests")
