"""The hand-off of a claim to an agency, a commissaire de justice or a lawyer under a
written mandate: the creditor hands off and withdraws; the recipient, with the key the
first hand-off returns, reports and closes (api.http.mandate_access says what else it may
call)."""

from litestar import Controller, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody

from api.http.auth import requires
from api.http.deps import CallerDep, PortsDep, etag, operation
from api.http.problems import ProblemException
from api.http.schemas.amounts import PaymentCreate
from api.http.schemas.claims import ClaimOut
from api.http.schemas.handoff import (
    CollectedOut,
    ContactCreate,
    ContactOut,
    HandoffClose,
    HandoffCreate,
    HandoffIssuedOut,
    HandoffOut,
    HandoffWithdraw,
    MandateOut,
)
from domain.shared.errors import DomainValidationError, FieldError

_TERMS = ("recipient", "reference", "document", "insurance", "commission", "signed_on")


class HandoffController(Controller):
    path = "/v1/claims/{claim_id:str}/handoff"
    tags = ["hand-off"]

    @post(
        "/",
        **operation("HandOffClaim", 400, 401, 403, 404, 409, 412, 413, 422, action=True),
        guards=[requires("admin")], status_code=201,
        summary="Hand the claim off under a written mandate: your chasing pauses and the "
        "recipient gets an API key to the mandate's claims only",
        opt={"idempotency": "without_secret"},
    )
    def hand_off(self, claim_id: FromPath[str], data: JSONBody[HandoffCreate],
                 caller: CallerDep, ports: PortsDep, state: State) -> Response[HandoffIssuedOut]:
        """A new mandate (its terms: R124-3) issues a new key, returned once; `mandate_id`
        adds the claim to an active mandate, whose key then reaches it too."""
        from domain.judicial.handoff import MandateTerms
        from domain.services import handoff

        terms = None
        if data.mandate_id is not None:
            given = [name for name in _TERMS if getattr(data, name) is not None]
            if given:  # a claim joining a mandate takes its terms
                raise DomainValidationError.many([FieldError(
                    name, "not with mandate_id: the claim joins that mandate's terms",
                    "not_allowed") for name in given])
        else:
            missing = [name for name in _TERMS if getattr(data, name) is None]
            if missing:
                raise DomainValidationError.many([FieldError(
                    name, "a new mandate states its terms (R124-3); or send mandate_id to "
                    "join an active mandate", "required") for name in missing])
            assert data.recipient and data.reference and data.document and data.insurance
            assert data.commission and data.signed_on
            terms = MandateTerms(
                recipient_kind=data.recipient.kind, recipient_name=data.recipient.name,
                recipient_address=data.recipient.address.to_domain(),
                recipient_siren=data.recipient.siren, reference=data.reference,
                document=data.document, insurance=data.insurance, signed_on=data.signed_on,
                commission_rate=data.commission.rate, fixed_fee=data.commission.fixed_fee)
        result = handoff.hand_off(
            claim_id, handoff.HandoffDraft(terms=terms, mandate_id=data.mandate_id,
                                           note=data.note), caller, ports)
        state.authenticator.cache.forget(result.key.secret_hash)
        today = result.claim.today(ports.clock.now())
        return Response(HandoffIssuedOut(mandate=MandateOut.of(result.mandate),
                                         claim=ClaimOut.of(result.claim, today),
                                         key_id=result.key.id, secret=result.secret),
                        status_code=201, headers={"ETag": etag(result.claim.version)})

    @get("/", **operation("ReadHandoff", 401, 403, 404), guards=[requires("read")],
         summary="The mandate the claim is handed off under (else the last one)")
    def read(self, claim_id: FromPath[str], caller: CallerDep, ports: PortsDep) -> MandateOut:
        from domain.services import handoff

        return MandateOut.of(handoff.get_handoff(claim_id, caller, ports))

    @post(
        "/withdraw",
        **operation("WithdrawHandoff", 400, 401, 403, 404, 409, 412, 413, 422, action=True),
        guards=[requires("write")], status_code=200,
        summary="Take the claim back: the recipient's key no longer reaches it and your "
        "ladder plans it again",
    )
    def withdraw(self, claim_id: FromPath[str], caller: CallerDep, ports: PortsDep,
                 state: State, data: JSONBody[HandoffWithdraw | None] = None
                 ) -> Response[HandoffOut]:
        from domain.services import handoff

        result = handoff.withdraw_handoff(claim_id, data.reason if data else None, caller,
                                          ports)
        return _ended(result, ports, state)

    @post(
        "/close",
        **operation("CloseHandoff", 400, 401, 403, 404, 409, 412, 413, 422, action=True),
        guards=[requires("write")], status_code=200,
        summary="The recipient returns the claim with an outcome; it stays held until the "
        "creditor resumes it",
    )
    def close(self, claim_id: FromPath[str], data: JSONBody[HandoffClose], caller: CallerDep,
              ports: PortsDep, state: State) -> Response[HandoffOut]:
        from domain.services import handoff

        result = handoff.close_handoff(claim_id, data.outcome, data.note, caller, ports)
        return _ended(result, ports, state)

    @post(
        "/contacts",
        **operation("RecordHandoffContact", 400, 401, 403, 404, 409, 412, 413, 422,
                    action=True),
        guards=[requires("write")], status_code=201,
        summary="Report a contact with the debtor (R124-5), on the claim's timeline",
    )
    def contact(self, claim_id: FromPath[str], data: JSONBody[ContactCreate],
                caller: CallerDep, ports: PortsDep) -> Response[ContactOut]:
        from domain.services import handoff

        claim, event = handoff.record_contact(
            claim_id, handoff.ContactDraft(channel=data.channel, occurred_on=data.occurred_on,
                                           summary=data.summary, outcome=data.outcome),
            caller, ports)
        return Response(ContactOut(claim=ClaimOut.of(claim, claim.today(ports.clock.now())),
                                   channel=event.channel, occurred_on=event.occurred_on),
                        status_code=201, headers={"ETag": etag(claim.version)})

    @post(
        "/payments",
        **operation("RecordCollectedPayment", 400, 401, 403, 404, 409, 412, 413, 422,
                    action=True),
        guards=[requires("write")], status_code=201,
        summary="The recipient reports a payment it collected; it is due to the creditor "
        "within a month (R124-6), a task asks the creditor to check",
    )
    def payment(self, claim_id: FromPath[str], data: JSONBody[PaymentCreate],
                caller: CallerDep, ports: PortsDep) -> Response[CollectedOut]:
        from domain.services import amounts as accounts
        from domain.services import handoff

        if caller.mandate_id is None:
            raise ProblemException(403, "forbidden", "only the recipient's key reports a "
                                   "payment it collected; record yours with RecordPayment")
        collected = handoff.record_collected_payment(
            claim_id, accounts.PaymentDraft(
                amount=data.amount, received_on=data.received_on, method=data.method,
                reference=data.reference, invoice_numbers=tuple(data.invoice_numbers)),
            caller, ports)
        return Response(CollectedOut.of(collected), status_code=201,
                        headers={"ETag": etag(collected.change.claim.version)})


def _ended(result: object, ports: object, state: State) -> Response[HandoffOut]:
    from domain.services.handoff import HandoffResult

    assert isinstance(result, HandoffResult)
    # This function sees the key's new scope at once; others within the cache lifetime.
    state.authenticator.cache.forget(result.key.secret_hash)
    today = result.claim.today(ports.clock.now())  # type: ignore[attr-defined]
    return Response(HandoffOut(mandate=MandateOut.of(result.mandate),
                               claim=ClaimOut.of(result.claim, today)),
                    headers={"ETag": etag(result.claim.version)})
