"""A claim's escalation ladder: what it will do next, and when."""

from litestar import Controller, get
from litestar.params import FromPath

from api.http.auth import requires
from api.http.deps import CallerDep, PortsDep, operation
from api.http.schemas.escalation import LadderOut


class EscalationController(Controller):
    path = "/v1/claims/{claim_id:str}/escalation"
    tags = ["escalation"]

    @get("/", **operation("ReadClaimEscalation", 401, 403, 404, 422), guards=[requires("read")],
         summary="The claim's ladder: its policy at the claim's version, the steps done and "
         "to come, and the next one with its day and instant (business days, contact "
         "windows, the debtor's public holidays)")
    def read(self, caller: CallerDep, ports: PortsDep, claim_id: FromPath[str]) -> LadderOut:
        from domain.services import escalation

        return LadderOut.of(claim_id, escalation.ladder(claim_id, caller, ports))
