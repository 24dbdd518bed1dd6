"""Interest rate tables: read by anyone with a key, published by the platform operator.

A new half-year's legal rate (arrêté) or an ECB decision is data, not code: the operator
publishes it here and every statement uses it within the rate cache's lifetime (5 min).
"""


from typing import Any

from litestar import Controller, get, post
from litestar.params import JSONBody

from api.auth import operator_only, requires
from api.http import RatesDep, operation
from api.problems import ProblemException
from api.schemas_account import RatesPublish


class RatesController(Controller):
    path = "/v1/rates"
    tags = ["rates"]

    @get(
        "/",
        **operation("ReadRates", 401, 403),
        guards=[requires("read")], summary="Rate tables in force, with their sources",
    )
    async def read(self, rates: RatesDep) -> dict[str, Any]:
        document: dict[str, Any] = rates.document()
        return document


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
    async def publish(self, data: JSONBody[RatesPublish], rates: RatesDep) -> dict[str, Any]:
        try:
            document: dict[str, Any] = rates.publish(
                legal=[
                    {
                        "half_year": r.half_year,
                        "particulier": r.particulier,
                        "autres_cas": r.autres_cas,
                        "source": r.source,
                    }
                    for r in data.legal_rates
                ],
                ecb=[
                    {"effective_on": r.effective_on.isoformat(), "rate": r.rate, "source": r.source}
                    for r in data.ecb_changes
                ],
                ecb_known_through=data.ecb_known_through.isoformat()
                if data.ecb_known_through
                else None,
            )
        except ValueError as exc:
            raise ProblemException(422, "invalid-rate-table", str(exc)) from None
        return document
