"""Documents a creditor uploads for a claim (the pieces of its dossier), and the dossier.

An upload is the raw body with its Content-Type (PDF, PNG or JPEG, at most 4 MiB: what
API Gateway and Lambda carry, base64 included) and the `kind` in the query. It opts out of
Idempotency-Key replay: the use case itself gives back the record of the same bytes, and
the replay store would hold the body's hash for nothing. The file name is never asked
for, stored or logged.

A larger file (up to the store's maximum, a setting) goes in two steps: `POST .../uploads`
declares it (kind, type, size, SHA-256) and answers a presigned PUT valid a few minutes,
whose signature binds those; the client sends the bytes to S3, then `POST
.../uploads/{upload_id}/complete` checks what came and records it as an upload does."""

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import ResponseHeader
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, JSONBody, QueryParameter, RawBody
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
    UploadCreate,
    UploadSlotOut,
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


def _slot_operation(*statuses: int) -> dict[str, Any]:
    contract = operation("StartDocumentUpload", *statuses)
    contract["responses"][201] = ResponseSpec(
        data_container=UploadSlotOut, description="The slot: send the file's bytes with "
        "its method, URL and headers within `expires_in` seconds, then complete it")
    contract["responses"][200] = ResponseSpec(
        data_container=DocumentOut, description="The same bytes of the same kind were "
        "given before: their record, nothing to send")
    return contract


def _complete_operation(*statuses: int) -> dict[str, Any]:
    contract = operation("CompleteDocumentUpload", *statuses)
    contract["responses"][200] = ResponseSpec(
        data_container=DocumentOut, description="Completed before, or the same bytes of "
        "the same kind were given before: that record")
    return contract


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

    @post("/uploads", **_slot_operation(400, 401, 403, 404, 413, 422, 503),
          guards=[requires("write")], status_code=201,
          summary="Declare a file too large for a request's body (above 4 MiB, at most "
          "`max_size`): a presigned PUT for exactly those bytes, valid a few minutes")
    def start_upload(self, caller: CallerDep, ports: PortsDep, claim_id: FromPath[str],
                     data: JSONBody[UploadCreate]) -> Response[UploadSlotOut | DocumentOut]:
        from domain.services import claim_documents

        started = claim_documents.start_upload(claim_id, claim_documents.UploadDraft(
            kind=data.kind, content_type=data.content_type, size=data.size,
            sha256=data.sha256, invoice_number=data.invoice_number), caller, ports)
        if started.existing is not None:
            return Response(DocumentOut.of(started.existing), status_code=200, headers={
                "Location": f"/v1/claims/{claim_id}/documents/{started.existing.id}"})
        slot, upload_id = started.slot, started.upload_id
        assert slot is not None and upload_id is not None  # no record: a slot was signed
        return Response(UploadSlotOut(
            upload_id=upload_id, method="PUT", url=slot.url, headers=dict(slot.headers),
            expires_in=slot.expires_in, max_size=started.max_size,
            complete_url=f"/v1/claims/{claim_id}/documents/uploads/{upload_id}/complete"),
            status_code=201)

    @post("/uploads/{upload_id:str}/complete",
          **_complete_operation(400, 401, 403, 404, 409, 413, 422, 503),
          guards=[requires("write")], status_code=201,
          summary="Check the file sent to the upload's slot (size, type, SHA-256 of the "
          "bytes) and record it as an upload is; again: the same record (200)")
    def complete_upload(self, caller: CallerDep, ports: PortsDep, claim_id: FromPath[str],
                        upload_id: FromPath[str]) -> Response[DocumentOut]:
        from domain.services import claim_documents

        record, new = claim_documents.complete_upload(claim_id, upload_id, caller, ports)
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

    @get("/", **operation("BuildDossier", 400, 401, 403, 404, 409, 503),
         guards=[requires("read")], status_code=303, response_headers=[
             ResponseHeader(name="X-Dossier-SHA256", documentation_only=True, required=True,
                            description="The zip's SHA-256, also its object's name"),
             ResponseHeader(name="X-Dossier-Size", documentation_only=True, required=True,
                            description="The zip's size in bytes"),
             ResponseHeader(name="X-Dossier-Altered", documentation_only=True, required=True,
                            description="How many stored pieces no longer have the SHA-256 "
                            "recorded when they were uploaded (0 for an intact dossier; the "
                            "manifest gives each one's `recorded_sha256`, the cover note "
                            "lists them)")],
         summary="Build the claim's evidence dossier (a zip with its manifest of SHA-256) "
         "and redirect (303) to it by a presigned link valid a few minutes")
    def build(self, caller: CallerDep, ports: PortsDep, claim_id: FromPath[str],
              route: Annotated[str | None, QueryParameter(
                  pattern="^(injonction_de_payer|none)$",
                  description="A proceeding under way decides the route (its own: "
                  "`injonction_de_payer` adds the pre-filled request and its bordereau, "
                  "another route none); asking for the other is a 409. With none under "
                  "way this chooses: `injonction_de_payer` (the default) or `none`")] = None,
              court_type: Annotated[CourtTypeName | None, QueryParameter()] = None,
              ) -> Redirect:
        from adapters import cover_pdf
        from adapters.dossier_archive import ZipArchive
        from domain.services import dossier

        stored = dossier.build_dossier(claim_id, caller, ports, ZipArchive, route=route,
                                       court_type=court_type, printer=cover_pdf.render)
        return Redirect(stored.download_url, status_code=303, headers={
            "X-Dossier-SHA256": stored.sha256, "X-Dossier-Size": str(stored.size),
            "X-Dossier-Altered": str(len(stored.altered))})
