"""Debtors (débiteurs): the customers who owe, with their contact points."""


from litestar import Controller, Response, delete, get, patch, post, put
from litestar.params import FromPath, JSONBody

from api.http.auth import requires
from api.http.deps import (
    CallerDep,
    IfMatch,
    PageDep,
    PortsDep,
    etag,
    expected_version,
    operation,
)
from api.http.schemas._base import set_fields
from api.http.schemas.debtors import (
    ContactPointBody,
    DebtorCreate,
    DebtorOut,
    DebtorPage,
    DebtorPatch,
    ProceedingsBody,
)
from domain import services
from domain.debtors.model import ContactKind, DebtorKind
from domain.services import queries
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
    def create(
        self, data: JSONBody[DebtorCreate], caller: CallerDep, ports: PortsDep
    ) -> Response[DebtorOut]:
        debtor = services.create_debtor(
            services.DebtorDraft(
                kind=DebtorKind(data.kind),
                name=data.name,
                country=data.country,
                language=Language(data.language),
                siren=data.siren,
                vat_number=data.vat_number,
                external_reference=data.external_reference,
                contact_points=contact_drafts(data.contact_points),
                electronic_registered_consent_on=data.electronic_registered_consent_on,
            ),
            caller,
            ports,
        )
        return Response(
            DebtorOut.of(debtor),
            status_code=201,
            headers={"ETag": etag(debtor.version), "Location": f"/v1/debtors/{debtor.id}"},
        )

    @get(
        "/",
        **operation("ListDebtors", 400, 401, 403, 422),
        guards=[requires("read")], summary="List debtors, newest last",
    )
    def list_debtors(self, caller: CallerDep, ports: PortsDep, page: PageDep) -> DebtorPage:
        result = queries.list_debtors(page, caller, ports)
        return DebtorPage(
            items=[DebtorOut.of(d) for d in result.items], next_cursor=result.next_cursor
        )

    @get(
        "/{debtor_id:str}",
        **operation("ReadDebtor", 401, 403, 404),
        guards=[requires("read")], summary="Read a debtor",
    )
    def read(
        self, debtor_id: FromPath[str], caller: CallerDep, ports: PortsDep
    ) -> Response[DebtorOut]:
        debtor = services.get_debtor(debtor_id, caller, ports)
        return Response(DebtorOut.of(debtor), headers={"ETag": etag(debtor.version)})

    @patch(
        "/{debtor_id:str}",
        **operation("UpdateDebtor", 400, 401, 403, 404, 409, 412, 413, 422, 428),
        guards=[requires("write")], summary="Change a debtor",
    )
    def update(
        self,
        debtor_id: FromPath[str],
        data: JSONBody[DebtorPatch],
        caller: CallerDep,
        ports: PortsDep,
        if_match: IfMatch = None,
    ) -> Response[DebtorOut]:
        changes = set_fields(data)
        if "contact_points" in changes:
            changes["contact_points"] = contact_drafts(data.contact_points)  # type: ignore[arg-type]
        debtor = services.update_debtor(debtor_id, expected_version(if_match), changes, caller,
                                        ports)
        return Response(DebtorOut.of(debtor), headers={"ETag": etag(debtor.version)})

    @put(
        "/{debtor_id:str}/collective-proceedings",
        **operation("RecordCollectiveProceedings", 400, 401, 403, 404, 409, 413, 422),
        guards=[requires("write")],
        summary="Record (or correct) the opening judgment of the debtor's collective "
        "proceedings: its claims with a debt from before the opening are held, their "
        "interest stops and they show the declaration deadline; claims of later debts only "
        "are left alone",
    )
    def record_proceedings(
        self, debtor_id: FromPath[str], data: JSONBody[ProceedingsBody], caller: CallerDep,
        ports: PortsDep,
    ) -> Response[DebtorOut]:
        from domain.services import proceedings

        debtor = proceedings.record_proceedings(
            debtor_id,
            proceedings.ProceedingsDraft(
                kind=data.kind, opened_on=data.opened_on, court=data.court,
                bodacc_published_on=data.bodacc_published_on, reference=data.reference),
            caller, ports)
        return Response(DebtorOut.of(debtor), headers={"ETag": etag(debtor.version)})

    @delete(
        "/{debtor_id:str}/collective-proceedings",
        **operation("WithdrawCollectiveProceedings", 401, 403, 404, 409, 413, 422),
        guards=[requires("write")], status_code=200,
        summary="Withdraw collective proceedings recorded in error; the holds they set end",
    )
    def withdraw_proceedings(
        self, debtor_id: FromPath[str], caller: CallerDep, ports: PortsDep
    ) -> Response[DebtorOut]:
        from domain.services import proceedings

        debtor = proceedings.withdraw_proceedings(debtor_id, caller, ports)
        return Response(DebtorOut.of(debtor), headers={"ETag": etag(debtor.version)})
