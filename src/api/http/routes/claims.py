"""Claims (créances / dossiers): one collection case each, with its timeline."""


from datetime import date
from typing import Annotated, Literal

from litestar import Controller, Response, get, post
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody, QueryParameter

from api.http.auth import requires
from api.http.deps import CallerDep, PageDep, PortsDep, etag, expected_version, operation
from api.http.schemas.claims import (
    ActionBody,
    ClaimCreate,
    ClaimOut,
    ClaimPage,
    EventOut,
    EventPage,
)
from domain import services
from domain.claims.model import Phase
from domain.ports import ClaimFilter
from domain.services import queries

PhaseName = Literal["pre_due", "amicable", "formal_notice", "judicial", "closed"]
ManualAction = Literal[
    "hold", "resume", "open_dispute", "resolve_dispute", "cancel", "write_off", "transfer",
    "reopen", "start_judicial", "escalate", "skip_step",
]
ActionIfMatch = Annotated[
    str | None,
    HeaderParameter(
        name="If-Match",
        required=False,
        description="The ETag you read: the action applies to that version only (412 when the "
        "claim changed since). Without it, a change that won a race is read again and the "
        "action checked against it (409 if it no longer applies)",
    ),
]


class ClaimController(Controller):
    path = "/v1/claims"
    tags = ["claims"]

    @post(
        "/",
        **operation("OpenClaim", 400, 401, 403, 409, 413, 422),
        guards=[requires("write")], summary="Open a claim for a debtor's invoices",
    )
    def create(
        self, data: JSONBody[ClaimCreate], caller: CallerDep, ports: PortsDep
    ) -> Response[ClaimOut]:
        claim, _ = services.create_claim(
            services.ClaimDraft(
                debtor_id=data.debtor_id,
                currency=data.currency,
                external_reference=data.external_reference,
                contractual_rate=data.contractual_rate,
                formal_notice_on=data.formal_notice_on,
                invoices=[
                    services.InvoiceDraft(i.number, i.issue_date, i.due_date, i.amount,
                                          i.performed_on)
                    for i in data.invoices
                ],
            ),
            caller,
            ports,
        )
        return Response(
            ClaimOut.of(claim, claim.today(ports.clock.now())),
            status_code=201,
            headers={"ETag": etag(claim.version), "Location": f"/v1/claims/{claim.id}"},
        )

    @get(
        "/",
        **operation("ListClaims", 400, 401, 403, 422),
        guards=[requires("read")], summary="List claims, earliest due first",
    )
    def list_claims(
        self,
        caller: CallerDep,
        ports: PortsDep,
        page: PageDep,
        phase: FromQuery[PhaseName | None] = None,
        debtor_id: Annotated[str | None, QueryParameter(max_length=64)] = None,
        due_before: Annotated[
            date | None,
            QueryParameter(description="Earliest invoice due strictly before this date"),
        ] = None,
        due_after: Annotated[
            date | None, QueryParameter(description="Earliest invoice due strictly after this date")
        ] = None,
    ) -> ClaimPage:
        result = queries.list_claims(
            ClaimFilter(
                phase=Phase(phase) if phase else None,
                debtor_id=debtor_id,
                due_before=due_before,
                due_after=due_after,
            ),
            page,
            caller,
            ports,
        )
        now = ports.clock.now()
        return ClaimPage(
            items=[ClaimOut.of(c, c.today(now)) for c in result.items],
            next_cursor=result.next_cursor,
        )

    @get(
        "/{claim_id:str}",
        **operation("ReadClaim", 401, 403, 404),
        guards=[requires("read")], summary="Read a claim",
    )
    def read(
        self, claim_id: FromPath[str], caller: CallerDep, ports: PortsDep
    ) -> Response[ClaimOut]:
        claim = services.get_claim(claim_id, caller, ports)
        return Response(
            ClaimOut.of(claim, claim.today(ports.clock.now())),
            headers={"ETag": etag(claim.version)}
        )

    @get(
        "/{claim_id:str}/events",
        **operation("ListClaimEvents", 400, 401, 403, 404, 422),
        guards=[requires("read")],
        summary="The claim's timeline, oldest first",
    )
    def events(
        self, claim_id: FromPath[str], caller: CallerDep, ports: PortsDep, page: PageDep
    ) -> EventPage:
        result = queries.claim_events(claim_id, page, caller, ports)
        return EventPage(
            items=[EventOut.of(e) for e in result.items], next_cursor=result.next_cursor
        )

    @post(
        "/{claim_id:str}/actions/{action:str}",
        **operation("ApplyClaimAction", 400, 401, 403, 404, 409, 412, 413, 422, action=True),
        guards=[requires("write")],
        summary="Apply a manual lifecycle action (hold, resume, dispute, close, `reopen` a claim "
        "written off, cancelled or transferred, `start_judicial` on a route; `escalate`: run "
        "the ladder's next step now; `skip_step`: pass over it)",
        status_code=200,
    )
    def act(
        self,
        claim_id: FromPath[str],
        action: FromPath[ManualAction],
        caller: CallerDep,
        ports: PortsDep,
        data: JSONBody[ActionBody | None] = None,
        if_match: ActionIfMatch = None,
    ) -> Response[ClaimOut]:
        body = data or ActionBody()
        claim, _ = services.apply_action(
            claim_id,
            services.ActionRequest(action=action, reason=body.reason, hold_until=body.until,
                                   invoices=tuple(body.invoice_numbers), route=body.route,
                                   transfer_to=body.to,
                                   mandate_reference=body.mandate_reference),
            caller,
            ports,
            expected_version(if_match) if if_match else None,
        )
        return Response(
            ClaimOut.of(claim, claim.today(ports.clock.now())),
            headers={"ETag": etag(claim.version)},
        )
