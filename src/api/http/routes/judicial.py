"""A claim's judicial proceeding: read it, record what happened. Starting one is the
lifecycle's `start_judicial` action."""

from typing import TYPE_CHECKING

from litestar import Controller, Response, get, post
from litestar.params import FromPath, JSONBody

from api.http.auth import requires
from api.http.deps import CallerDep, IfMatch, PortsDep, etag, expected_version, operation
from api.http.schemas.judicial import CourtIn, JudicialEventCreate, JudicialOut

if TYPE_CHECKING:
    from domain.judicial.proceedings import Court


def _court(data: CourtIn | None) -> "Court | None":
    from domain.judicial.proceedings import Residence, court_of

    if data is None:
        return None
    return court_of(data.name.strip(), data.kind, Residence(data.seat) if data.seat else None,
                    data.postal_code)


class JudicialController(Controller):
    path = "/v1/claims/{claim_id:str}/judicial"
    tags = ["judicial"]

    @get(
        "",
        **operation("ReadJudicialProceeding", 401, 403, 404),
        guards=[requires("read")],
        summary="The claim's proceeding: route, state, court, filer, deadlines with their "
        "rules, documents, costs and events",
    )
    def read(self, caller: CallerDep, ports: PortsDep,
             claim_id: FromPath[str]) -> Response[JudicialOut]:
        from domain.services import judicial_proceedings as jps

        view = jps.get_judicial(claim_id, caller, ports)
        return Response(JudicialOut.of(view), headers={"ETag": etag(view.proceeding.version)})

    @post(
        "/events",
        **operation("RecordJudicialEvent", 400, 401, 403, 404, 409, 412, 413, 422,
                    action=True),
        guards=[requires("write")],
        status_code=200,
        summary="Record what happened (filed, order, served, opposition, hearing, judgment, "
        "enforcement, a payment by the commissaire): checked against the state, on the "
        "timeline, moving deadlines and tasks",
    )
    def record(self, caller: CallerDep, ports: PortsDep, claim_id: FromPath[str],
               data: JSONBody[JudicialEventCreate],
               if_match: IfMatch = None) -> Response[JudicialOut]:
        from domain.services import judicial_proceedings as jps

        version = expected_version(if_match) if if_match else None
        document = data.document
        cost = data.cost
        view = jps.record_event(claim_id, jps.EventDraft(
            type=data.type, occurred_on=data.occurred_on, order_date=data.order_date,
            amount=data.amount, pronounced_on=data.pronounced_on, hearing_on=data.hearing_on,
            step=data.step, note=data.note,
            document_name=document.name if document else None,
            document_sha256=document.sha256 if document else None,
            document_id=document.document_id if document else None,
            cost=jps.CostDraft(kind=cost.kind, amount=cost.amount, vat=cost.vat,
                               recoverable=cost.recoverable, note=cost.note)
            if cost else None,
            court=_court(data.court), filer=data.filer, appellant=data.appellant,
            in_person=data.in_person),
            version, caller, ports)
        return Response(JudicialOut.of(view), headers={"ETag": etag(view.proceeding.version)})
