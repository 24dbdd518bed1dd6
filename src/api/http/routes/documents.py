"""Documents a creditor uploads for a claim (the pieces of its dossier), and the dossier.

An upload is the raw body with its Content-Type (PDF, PNG or JPEG, at most 4 MiB: what
API Gateway and Lambda carry, base64 included) and the `kind` in the query. It opts out of
Idempotency-Key replay: the use case itself gives back the record of the same bytes, and
the replay store would hold the body's hash for nothing. The file name is never asked
for, stored or logged."""

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, QueryParameter, RawBody
from litestar.response import Redirect

from api.http.auth import requires
from api.http.deps import CallerDep, PortsDep, ProblemOperation, operation
from api.http.problems import ProblemException
from api.http.schemas.documents import (
    CourtTypeName,
    DocumentDetail,
    DocumentKindName,
    DocumentList,
    DocumentOut,
)
from domain.judicial.documents import ALLOWED_CONTENT_TYPES, MAX_DOCUMENT_BYTES

# Litestar refuses a longer body itself (413) before the handler reads it.
_BODY_LIMIT = MAX_DOCUMENT_BYTES


class UploadOperation(ProblemOperation):
    """The upload's body is the file itself: documented as such (a raw body has no schema
    Litestar could derive)."""

    def to_schema(self) -> dict[str, Any]:
        binary = {"schema": {"type": "string", "format": "binary",
                             "maxLength": MAX_DOCUMENT_BYTES}}
        return {**super().to_schema(), "requestBody": {
            "required": True, "description": "The document's bytes; its Content-Type says "
            "what it is", "content": {t: binary for t in ALLOWED_CONTENT_TYPES}}}


def _upload_operation(*statuses: int) -> dict[str, Any]:
    contract = operation("UploadDocument", *statuses)
    contract["responses"][200] = ResponseSpec(
        data_container=DocumentOut, description="The same bytes of the same kind were "
        "given before: their record, nothing stored again")
    return {**contract, "operation_class": UploadOperation}


class DocumentController(Controller):
    path = "/v1/claims/{claim_id:str}/documents"
    tags = ["documents"]

    @post("/", **_upload_operation(400, 401, 403, 404, 413, 415, 422),
          guards=[requires("write")], status_code=201, request_max_body_size=_BODY_LIMIT,
          opt={"idempotency": False},
          summary="Store a piece of the claim's dossier (the raw body, PDF, PNG or JPEG, at "
          "most 4 MiB) with its SHA-256; the same bytes again give back the same record "
          "(200)")
    def upload(self, request: Request, caller: CallerDep, ports: PortsDep,  # type: ignore[type-arg]
               claim_id: FromPath[str], body: RawBody,
               kind: Annotated[DocumentKindName, QueryParameter(
                   description="What the piece is")],
               invoice_number: Annotated[str | None, QueryParameter(
                   min_length=1, max_length=64,
                   description="The invoice of the claim this piece is for")] = None,
               ) -> Response[DocumentOut]:
        from domain.services import claim_documents

        try:
            record, new = claim_documents.upload_document(
                claim_id, kind, invoice_number, request.headers.get("content-type"), body,
                caller, ports)
        except claim_documents.UploadRefused as exc:
            raise ProblemException(exc.status, exc.code, str(exc)) from None
        return Response(DocumentOut.of(record), status_code=201 if new else 200, headers={
            "Location": f"/v1/claims/{claim_id}/documents/{record.id}"})

    @get("/", **operation("ListDocuments", 401, 403, 404), guards=[requires("read")],
         summary="The claim's uploaded documents, the earliest first")
    def list_documents(self, caller: CallerDep, ports: PortsDep,
                       claim_id: FromPath[str]) -> DocumentList:
        from domain.services import claim_documents

        return DocumentList(items=[DocumentOut.of(d) for d in
                                   claim_documents.list_documents(claim_id, caller, ports)])

    @get("/{document_id:str}", **operation("ReadDocument", 401, 403, 404),
         guards=[requires("read")],
         summary="A document's record and a link to its bytes valid a few minutes")
    def read_document(self, caller: CallerDep, ports: PortsDep, claim_id: FromPath[str],
                      document_id: FromPath[str]) -> DocumentDetail:
        from domain.services import claim_documents

        view = claim_documents.get_document(claim_id, document_id, caller, ports)
        out = DocumentOut.of(view.document)
        return DocumentDetail(**{f: getattr(out, f) for f in out.__struct_fields__},
                              download_url=view.download_url, expires_in=view.expires_in)


class DossierController(Controller):
    path = "/v1/claims/{claim_id:str}/dossier"
    tags = ["documents"]

    @get("/", **operation("BuildDossier", 400, 401, 403, 404, 503),
         guards=[requires("read")], status_code=303,
         summary="Build the claim's evidence dossier (a zip with its manifest of SHA-256) "
         "and redirect (303) to it by a presigned link valid a few minutes")
    def build(self, caller: CallerDep, ports: PortsDep, claim_id: FromPath[str],
              route: Annotated[str, QueryParameter(
                  pattern="^(injonction_de_payer|none)$",
                  description="`injonction_de_payer` adds the pre-filled request and its "
                  "bordereau; `none` leaves them out")] = "injonction_de_payer",
              court_type: Annotated[CourtTypeName | None, QueryParameter()] = None,
              ) -> Redirect:
        from adapters.dossier_archive import write_zip
        from domain.claims.judicial import JudicialRoute
        from domain.services import dossier

        stored = dossier.build_dossier(
            claim_id, caller, ports, write_zip,
            route=JudicialRoute.INJONCTION_DE_PAYER if route == "injonction_de_payer"
            else None, court_type=court_type)
        return Redirect(stored.download_url, status_code=303, headers={
            "X-Dossier-SHA256": stored.sha256, "X-Dossier-Size": str(stored.size)})
