"""Letters: request one (rendered by the letter worker), list and read them, fetch the
PDF, post it, and the postal provider's status callbacks.

The handlers import domain.services.letters when they run: a function serving only claim
reads does not load the letter content and the ledger at cold start. Nothing here imports
WeasyPrint: rendering is the worker's (api.entrypoints.lambda_letters)."""

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, JSONBody, RawBody
from litestar.response import Redirect

from api.http.auth import requires
from api.http.deps import CallerDep, PortsDep, operation
from api.http.problems import problem
from api.http.schemas.letters import (
    DispatchCreate,
    LetterCreate,
    LetterDetail,
    LetterList,
    LetterOut,
    WebhookResult,
)
from domain.letters.model import DispatchMode, LetterKind
from domain.shared.errors import NotReady
from domain.shared.language import Language


class LetterController(Controller):
    path = "/v1/claims/{claim_id:str}/letters"
    tags = ["letters"]

    @post(
        "/",
        **operation("RequestLetter", 400, 401, 403, 404, 409, 413, 422, action=True),
        guards=[requires("write")], status_code=202,
        summary="Write a letter from today's statement; it is rendered to PDF in the "
        "background (202, status `rendering`)",
    )
    def request_letter(self, caller: CallerDep, ports: PortsDep, claim_id: FromPath[str],
                       data: JSONBody[LetterCreate]) -> Response[LetterOut]:
        from domain.services import letters

        letter = letters.request_letter(claim_id, letters.LetterDraft(
            kind=LetterKind(data.kind),
            language=Language(data.language) if data.language else None,
            confirm_prescribed=tuple(data.confirm_prescribed),
            contact_point_id=data.contact_point_id), caller, ports)
        return Response(LetterOut.of(letter), status_code=202,
                        headers={"Location": f"/v1/claims/{claim_id}/letters/{letter.id}"})

    @get("/", **operation("ListLetters", 401, 403, 404), guards=[requires("read")],
         summary="The claim's letters, the earliest first")
    def list_letters(self, caller: CallerDep, ports: PortsDep,
                     claim_id: FromPath[str]) -> LetterList:
        from domain.services import letters

        return LetterList(items=[LetterOut.of(x) for x in
                                 letters.list_letters(claim_id, caller, ports)])

    @get("/{letter_id:str}", **operation("ReadLetter", 401, 403, 404),
         guards=[requires("read")],
         summary="A letter's record, its figures and, once ready, a link to its PDF valid "
         "a few minutes")
    def read_letter(self, caller: CallerDep, ports: PortsDep, claim_id: FromPath[str],
                    letter_id: FromPath[str]) -> LetterDetail:
        from domain.services import letters

        view = letters.get_letter(claim_id, letter_id, caller, ports)
        return LetterDetail.of_view(view.letter, view.content, view.download_url,
                                    view.expires_in)

    @get("/{letter_id:str}/content", **operation("ReadLetterContent", 401, 403, 404, 409),
         guards=[requires("read")], status_code=303,
         summary="Redirect (303) to the PDF, by a presigned link valid a few minutes")
    def read_content(self, caller: CallerDep, ports: PortsDep, claim_id: FromPath[str],
                     letter_id: FromPath[str]) -> Redirect:
        from domain.services import letters

        view = letters.get_letter(claim_id, letter_id, caller, ports)
        if view.download_url is None:
            raise letters.not_ready(view.letter, "read")
        return Redirect(view.download_url, status_code=303)

    @post("/{letter_id:str}/render",
          **operation("RenderLetterAgain", 400, 401, 403, 404, 409, 413),
          guards=[requires("write")], status_code=202,
          summary="Queue a failed letter (or one whose job was lost) for rendering again; "
          "a ready letter is left as it is")
    def rerender(self, caller: CallerDep, ports: PortsDep, claim_id: FromPath[str],
                 letter_id: FromPath[str]) -> Response[LetterOut]:
        from domain.services import letters

        letter = letters.rerender_letter(claim_id, letter_id, caller, ports)
        return Response(LetterOut.of(letter), status_code=202)

    @post("/{letter_id:str}/dispatch",
          **operation("DispatchLetter", 400, 401, 403, 404, 409, 413, 422, 503,
                      action=True),
          guards=[requires("write")], status_code=202,
          summary="Post a ready letter through the postal provider; posting a formal notice "
          "records the claim's formal notice and moves it to `formal_notice`")
    def dispatch(self, caller: CallerDep, ports: PortsDep, claim_id: FromPath[str],
                 letter_id: FromPath[str], data: JSONBody[DispatchCreate]) -> Response[LetterOut]:
        from domain.services import letters

        letter = letters.dispatch_letter(claim_id, letter_id, DispatchMode(data.mode), caller,
                                         ports)
        return Response(LetterOut.of(letter), status_code=202)


@post("/v1/postal/webhooks/{provider:str}",
      **operation("ReceivePostalStatus", 400, 401, 404, 413, 503, public=True),
      tags=["letters"], sync_to_thread=True, opt={"idempotency": False},
      summary="The postal provider's status callback (no API key: the provider's shared "
      "secret authenticates it)")
def postal_webhook(request: Request[Any, Any, Any], provider: FromPath[str],
                   body: RawBody) -> Response[Any]:
    from domain.ports.letters import WebhookRejected
    from domain.services import letters

    ports = request.app.state.ports
    postal = ports.postal
    if postal is None or postal.name != provider:
        return problem(404, "not-found", f"no postal provider {provider!r} here")
    try:
        updates = postal.parse_webhook(dict(request.headers), body)
    except WebhookRejected as exc:
        return problem(401, "unauthenticated", str(exc))
    recorded = letters.record_postal_updates(postal.name, updates, ports)
    return Response(WebhookResult(recorded=recorded), status_code=200)


__all__ = ["LetterController", "NotReady", "postal_webhook"]
