"""A proceeding's cost: its deadlines worked out (every GET …/judicial does it, from the
dated parameters, with the working-day calendar of CPC 642), and an injonction de payer
played from draft to closed on the fakes (each event one atomic write of the proceeding,
the claim, its account, its timeline entry and its tasks), per event."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from tests.fakes import fake_ports

from adapters.clock import FrozenClock
from bench.common import Row, median_p99, timings_ms
from domain import services
from domain.claims.judicial import JudicialRoute
from domain.creditors.model import Address
from domain.debtors.model import DebtorKind
from domain.judicial.parameters import judicial_parameters
from domain.judicial.proceedings import deadlines
from domain.services import judicial_proceedings as jps
from domain.services.caller import Caller

PARIS = ZoneInfo("Europe/Paris")
STEPS: list[tuple[str, date, dict[str, object]]] = [
    ("filed", date(2026, 9, 1), {}),
    ("order_granted", date(2026, 9, 18), {"order_date": date(2026, 9, 15),
                                          "amount": "2400.00"}),
    ("served", date(2026, 10, 1), {}),
    ("enforceable", date(2026, 12, 2), {}),
    ("enforcement_step", date(2026, 12, 10), {"step": "saisie-attribution"}),
    ("commissaire_payment", date(2027, 1, 15), {"amount": "1500.00"}),
    ("closed", date(2027, 1, 20), {}),
]


def _journey() -> tuple[list[float], jps.JudicialView]:
    import time

    world = fake_ports(FrozenClock(datetime(2026, 7, 1, 8, tzinfo=UTC)))
    caller = Caller(services.create_creditor(services.CreditorDraft(
        legal_name="Menuiserie Leroy SARL", siren="732829320",
        address=Address(("8 rue des Lilas",), "69003", "Lyon", "FR"),
        iban="FR1420041010050500013M02606", bic="PSSTFRPPPAR"), world.ports).id, "bench")
    debtor = services.create_debtor(services.DebtorDraft(
        kind=DebtorKind.BUSINESS, name="Boulangerie Martin SAS", country="FR",
        contact_points=[]), caller, world.ports)
    claim, _ = services.create_claim(services.ClaimDraft(
        debtor_id=debtor.id, currency="EUR", invoices=[services.InvoiceDraft(
            "F-1", date(2026, 2, 14), date(2026, 3, 16), "2400.00")]), caller, world.ports)
    world.clock.at = datetime(2026, 9, 1, 10, tzinfo=PARIS).astimezone(UTC)
    services.apply_action(claim.id, services.ActionRequest(
        "start_judicial", route=JudicialRoute.INJONCTION_DE_PAYER.value), caller, world.ports)
    view = jps.get_judicial(claim.id, caller, world.ports)
    times = []
    for kind, day, extra in STEPS:
        world.clock.at = datetime(day.year, day.month, day.day, 10,
                                  tzinfo=PARIS).astimezone(UTC)
        start = time.perf_counter()
        view = jps.record_event(claim.id, jps.EventDraft(
            type=kind, occurred_on=day, **extra), None, caller, world.ports)  # type: ignore[arg-type]
        times.append((time.perf_counter() - start) * 1000)
    return times, view


def run() -> list[Row]:
    per_event: list[float] = []
    view = None
    for _ in range(20):
        times, view = _journey()
        per_event += times
    assert view is not None
    params = judicial_parameters()
    p = view.proceeding
    ded = timings_ms(lambda: deadlines(p, params, date(2027, 1, 20)), repeat=2000)
    ev_med, ev_p99 = median_p99(per_event)
    dl_med, dl_p99 = median_p99(ded)
    return [
        ("proceedings: deadlines of a closed IP", f"{dl_med:.3f} ms median, "
         f"{dl_p99:.3f} ms p99", f"{len(view.deadlines)} deadlines; per GET …/judicial"),
        ("proceedings: an event on the fakes", f"{ev_med:.2f} ms median, {ev_p99:.2f} ms p99",
         f"{len(STEPS)} events draft→closed, ×20 journeys"),
    ]
