"""Interest rate tables: read by anyone with a key, published by the platform operator.

A new half-year's legal rate (arrêté) or an ECB decision is data, not code: the operator
publishes it here and every statement uses it within the rate cache's lifetime (5 min).
"""


from typing import Any

from litestar import Controller, get, post
from litestar.params import JSONBody

from api.http.auth import operator_only, requires
from api.http.deps import PortsDep, operation
from api.http.problems import ProblemException
from api.http.schemas.amounts import RatesPublish
from domain.services.rates import (
    EcbDecision,
    LegalRate,
    RatesPublication,
    publish_rates,
    rate_tables_document,
)


class RatesController(Controller):
    path = "/v1/rates"
    tags = ["rates"]

    @get(
        "/",
        **operation("ReadRates", 401, 403),
        guards=[requires("read")], summary="Rate tables in force, with their sources",
    )
    def read(self, ports: PortsDep) -> dict[str, Any]:
        return rate_tables_document(ports)


class AdminRatesController(Controller):
    path = "/v1/admin/rates"
    tags = ["operator"]
    guards = [operator_only]

    @post(
        "/",
        **operation("PublishRates", 400, 401, 403, 409, 413, 422),
        status_code=200,
        summary="Publish legal-rate half-years and ECB decisions (added or replaced)",
    )
    def publish(self, data: JSONBody[RatesPublish], ports: PortsDep) -> dict[str, Any]:
        command = RatesPublication(
            legal=[LegalRate(r.half_year, r.particulier, r.autres_cas, r.source)
                   for r in data.legal_rates],
            ecb=[EcbDecision(r.effective_on, r.rate, r.source) for r in data.ecb_changes],
            ecb_known_through=data.ecb_known_through)
        try:
            return publish_rates(command, ports)
        except ValueError as exc:
            raise ProblemException(422, "invalid-rate-table", str(exc)) from None
