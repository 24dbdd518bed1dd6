"""Claims (créances / dossiers): one collection case each, with its timeline."""


from datetime import date
from typing import Annotated, Literal

from litestar import Controller, Response, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from api.auth import requires
from api.http import (
    ClockDep,
    PageDep,
    PrincipalDep,
    RepoDep,
    TenantDep,
    etag,
    operation,
)
from api.schemas import ActionBody, ClaimCreate, ClaimOut, ClaimPage, EventOut, EventPage
from domain import services
from domain.claims.model import Phase
from domain.ports import ClaimFilter

PhaseName = Literal["pre_due", "amicable", "formal_notice", "judicial", "closed"]
ManualAction = Literal[
    "hold", "resume", "open_dispute", "resolve_dispute", "cancel", "write_off", "transfer"
]


class ClaimController(Controller):
    path = "/v1/claims"
    tags = ["claims"]

    @post(
        "/",
        **operation("OpenClaim", 400, 401, 403, 409, 413, 422),
        guards=[requires("write")], summary="Open a claim for a debtor's invoices",
    )
    async def create(
        self,
        tenant: TenantDep,
        data: JSONBody[ClaimCreate],
        repo: RepoDep,
        clock: ClockDep,
        principal: PrincipalDep,
    ) -> Response[ClaimOut]:
        claim, _ = services.create_claim(
            repo,
            clock,
            tenant,
            services.ClaimDraft(
                debtor_id=data.debtor_id,
                currency=data.currency,
                external_reference=data.external_reference,
                contractual_rate=data.contractual_rate,
                formal_notice_on=data.formal_notice_on,
                invoices=[
                    services.InvoiceDraft(i.number, i.issue_date, i.due_date, i.amount)
                    for i in data.invoices
                ],
            ),
            principal.actor,
        )
        return Response(
            ClaimOut.of(claim, claim.today(clock.now())),
            status_code=201,
            headers={"ETag": etag(claim.version), "Location": f"/v1/claims/{claim.id}"},
        )

    @get(
        "/",
        **operation("ListClaims", 400, 401, 403),
        guards=[requires("read")], summary="List claims, earliest due first",
    )
    async def list_claims(
        self,
        tenant: TenantDep,
        repo: RepoDep,
        clock: ClockDep,
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
        result = repo.list_claims(
            tenant,
            ClaimFilter(
                phase=Phase(phase) if phase else None,
                debtor_id=debtor_id,
                due_before=due_before,
                due_after=due_after,
            ),
            page,
        )
        now = clock.now()
        return ClaimPage(
            items=[ClaimOut.of(c, c.today(now)) for c in result.items],
            next_cursor=result.next_cursor,
        )

    @get(
        "/{claim_id:str}",
        **operation("ReadClaim", 401, 403, 404),
        guards=[requires("read")], summary="Read a claim",
    )
    async def read(
        self, tenant: TenantDep, claim_id: FromPath[str], repo: RepoDep, clock: ClockDep
    ) -> Response[ClaimOut]:
        claim = services.get_claim(repo, tenant, claim_id)
        return Response(
            ClaimOut.of(claim, claim.today(clock.now())), headers={"ETag": etag(claim.version)}
        )

    @get(
        "/{claim_id:str}/events",
        **operation("ListClaimEvents", 400, 401, 403, 404),
        guards=[requires("read")],
        summary="The claim's timeline, oldest first",
    )
    async def events(
        self, tenant: TenantDep, claim_id: FromPath[str], repo: RepoDep, page: PageDep
    ) -> EventPage:
        result = repo.list_events(tenant, claim_id, page)
        if not result.items and page.cursor is None:
            services.get_claim(repo, tenant, claim_id)  # 404 rather than an empty timeline
        return EventPage(
            items=[EventOut.of(e) for e in result.items], next_cursor=result.next_cursor
        )

    @post(
        "/{claim_id:str}/actions/{action:str}",
        **operation("ApplyClaimAction", 400, 401, 403, 404, 409, 412, 413, 422, action=True),
        guards=[requires("write")],
        summary="Apply a manual lifecycle action (hold, resume, dispute, close)",
        status_code=200,
    )
    async def act(
        self,
        tenant: TenantDep,
        claim_id: FromPath[str],
        action: FromPath[ManualAction],
        repo: RepoDep,
        clock: ClockDep,
        principal: PrincipalDep,
        data: JSONBody[ActionBody | None] = None,
    ) -> Response[ClaimOut]:
        body = data or ActionBody()
        claim, _ = services.apply_action(
            repo,
            clock,
            tenant,
            claim_id,
            services.ActionRequest(
                action=action, actor=principal.actor, reason=body.reason, hold_until=body.until
            ),
        )
        return Response(
            ClaimOut.of(claim, claim.today(clock.now())), headers={"ETag": etag(claim.version)}
        )
