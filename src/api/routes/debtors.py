"""Debtors (débiteurs): the customers who owe, with their contact points."""


from litestar import Controller, Response, get, patch, post
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody

from api.auth import requires
from api.http import (
    ClockDep,
    IfMatch,
    PageDep,
    PrincipalDep,
    RepoDep,
    TenantDep,
    etag,
    expected_version,
    operation,
)
from api.schemas import (
    ContactPointBody,
    DebtorCreate,
    DebtorOut,
    DebtorPage,
    DebtorPatch,
    set_fields,
)
from domain import services
from domain.debtors.model import ContactKind, DebtorKind
from domain.shared.language import Language


def contact_drafts(points: list[ContactPointBody]) -> list[services.ContactPointDraft]:
    return [
        services.ContactPointDraft(
            kind=ContactKind(p.kind),
            value=p.value,
            address=p.address.to_domain() if p.address else None,
            label=p.label,
        )
        for p in points
    ]


class DebtorController(Controller):
    path = "/v1/debtors"
    tags = ["debtors"]

    @post(
        "/",
        **operation("CreateDebtor", 400, 401, 403, 409, 413, 422),
        guards=[requires("write")], summary="Register a debtor",
    )
    async def create(
        self, tenant: TenantDep, data: JSONBody[DebtorCreate], repo: RepoDep, clock: ClockDep,
        state: State,
    ) -> Response[DebtorOut]:
        debtor = services.create_debtor(
            repo,
            clock,
            tenant,
            services.DebtorDraft(
                kind=DebtorKind(data.kind),
                name=data.name,
                country=data.country,
                language=Language(data.language),
                siren=data.siren,
                vat_number=data.vat_number,
                external_reference=data.external_reference,
                contact_points=contact_drafts(data.contact_points),
                in_collective_proceedings=data.in_collective_proceedings,
            ),
            check_deliverability=state.check_email_deliverability,
        )
        return Response(
            DebtorOut.of(debtor),
            status_code=201,
            headers={"ETag": etag(debtor.version), "Location": f"/v1/debtors/{debtor.id}"},
        )

    @get(
        "/",
        **operation("ListDebtors", 400, 401, 403),
        guards=[requires("read")], summary="List debtors, newest last",
    )
    async def list_debtors(self, tenant: TenantDep, repo: RepoDep, page: PageDep) -> DebtorPage:
        result = repo.list_debtors(tenant, page)
        return DebtorPage(
            items=[DebtorOut.of(d) for d in result.items], next_cursor=result.next_cursor
        )

    @get(
        "/{debtor_id:str}",
        **operation("ReadDebtor", 401, 403, 404),
        guards=[requires("read")], summary="Read a debtor",
    )
    async def read(
        self, tenant: TenantDep, debtor_id: FromPath[str], repo: RepoDep
    ) -> Response[DebtorOut]:
        debtor = services.get_debtor(repo, tenant, debtor_id)
        return Response(DebtorOut.of(debtor), headers={"ETag": etag(debtor.version)})

    @patch(
        "/{debtor_id:str}",
        **operation("UpdateDebtor", 400, 401, 403, 404, 409, 412, 413, 422, 428),
        guards=[requires("write")], summary="Change a debtor",
    )
    async def update(
        self,
        tenant: TenantDep,
        debtor_id: FromPath[str],
        data: JSONBody[DebtorPatch],
        repo: RepoDep,
        clock: ClockDep,
        principal: PrincipalDep,
        state: State,
        if_match: IfMatch = None,
    ) -> Response[DebtorOut]:
        changes = set_fields(data)
        if "contact_points" in changes:
            changes["contact_points"] = contact_drafts(data.contact_points)  # type: ignore[arg-type]
        debtor = services.update_debtor(
            repo, clock, tenant, debtor_id, expected_version(if_match), changes,
            check_deliverability=state.check_email_deliverability,
        )
        return Response(DebtorOut.of(debtor), headers={"ETag": etag(debtor.version)})
