"""What is owed on a claim: its statement, payments, promises to pay and payment plan."""


from datetime import date
from typing import Annotated, Any

from litestar import Controller, Response, get, post
from litestar.params import FromPath, JSONBody, QueryParameter

from api.http.auth import requires
from api.http.deps import CallerDep, PortsDep, etag, operation
from api.http.problems import ProblemException
from api.http.schemas.amounts import (
    FormalNoticeCreate,
    JudgmentCreate,
    PaymentCreate,
    PaymentList,
    PaymentOut,
    PaymentResult,
    PaymentSplitOut,
    PlanCreate,
    PlanOut,
    PlanResult,
    PromiseCreate,
    PromiseList,
    PromiseOut,
    PromiseResult,
    ReversalCreate,
    StatementOut,
)
from api.http.schemas.claims import ClaimOut
from api.http.schemas.letters import PaymentByReferenceCreate
from domain.services import queries

# The handlers import domain.services.amounts (the ledger, promises and plans) when they
# run: a function serving only claim reads does not load them at cold start.


class AccountController(Controller):
    path = "/v1/claims/{claim_id:str}"
    tags = ["what is owed"]

    @get(
        "/statement",
        **operation("ReadClaimStatement", 400, 401, 403, 404, 422),
        guards=[requires("read")],
        summary="What is owed on a date: per invoice principal, interest by rate period, "
        "indemnity, payments applied, totals",
    )
    def statement(
        self,
        caller: CallerDep,
        ports: PortsDep,
        claim_id: FromPath[str],
        at: Annotated[
            date | None,
            QueryParameter(
                description="Statement date (default: today in the creditor's time zone); any "
                "past or future date"
            ),
        ] = None,
    ) -> StatementOut:
        from domain.services import amounts as accounts

        view = accounts.statement_view(claim_id, at, caller, ports)
        return StatementOut.of(view.claim.id, view.statement, view.judicial)

    @post(
        "/payments",
        **operation("RecordPayment", 400, 401, 403, 404, 409, 412, 413, 422, action=True),
        guards=[requires("write")], summary="Record a payment received",
    )
    def record_payment(
        self,
        caller: CallerDep,
        ports: PortsDep,
        claim_id: FromPath[str],
        data: JSONBody[PaymentCreate],
    ) -> Response[PaymentResult]:
        from domain.services import amounts as accounts

        change, payment = accounts.record_payment(
            claim_id,
            accounts.PaymentDraft(
                amount=data.amount,
                received_on=data.received_on,
                method=data.method,
                reference=data.reference,
                invoice_numbers=tuple(data.invoice_numbers),
            ),
            caller,
            ports,
        )
        return _payment_result(change, payment)

    @get(
        "/payments",
        **operation("ListPayments", 401, 403, 404),
        guards=[requires("read")], summary="Payments recorded, reversed ones too",
    )
    def list_payments(
        self, claim_id: FromPath[str], caller: CallerDep, ports: PortsDep
    ) -> PaymentList:
        claim, account = queries.claim_account(claim_id, caller, ports)
        return PaymentList(items=[PaymentOut.of(p, claim.currency) for p in account.payments])

    @post(
        "/payments/{payment_id:str}/reversal",
        **operation("ReversePayment", 400, 401, 403, 404, 409, 412, 413, 422, action=True),
        guards=[requires("write")],
        status_code=200,
        summary="Reverse a payment (bounced transfer, rejected cheque)",
    )
    def reverse_payment(
        self,
        caller: CallerDep,
        ports: PortsDep,
        claim_id: FromPath[str],
        payment_id: FromPath[str],
        data: JSONBody[ReversalCreate | None] = None,
    ) -> Response[PaymentResult]:
        from domain.services import amounts as accounts

        change, payment = accounts.reverse_payment(
            claim_id,
            payment_id,
            data.reason if data else None,
            caller,
            ports,
            reversed_on=data.reversed_on if data else None,
        )
        return Response(
            PaymentResult(
                payment=PaymentOut.of(payment, change.claim.currency),
                split=None,
                claim=ClaimOut.of(change.claim, change.today),
            ),
            headers={"ETag": etag(change.claim.version)},
        )

    @post(
        "/promises",
        **operation("RecordPromise", 400, 401, 403, 404, 409, 412, 413, 422, action=True),
        guards=[requires("write")],
        summary="Record the debtor's commitment to pay an amount on a date",
    )
    def record_promise(
        self,
        caller: CallerDep,
        ports: PortsDep,
        claim_id: FromPath[str],
        data: JSONBody[PromiseCreate],
    ) -> Response[PromiseResult]:
        from domain.services import amounts as accounts

        change, promise = accounts.record_promise(
            claim_id,
            accounts.PromiseDraft(
                amount=data.amount,
                promised_on=data.promised_on,
                channel=data.channel,
                note=data.note,
                made_on=data.made_on,
            ),
            caller,
            ports,
        )
        current = next(p for p in change.account.promises if p.id == promise.id)
        return Response(
            PromiseResult(
                promise=PromiseOut.of(current, change.claim.currency),
                claim=ClaimOut.of(change.claim, change.today),
            ),
            status_code=201,
            headers={"ETag": etag(change.claim.version)},
        )

    @get(
        "/promises",
        **operation("ListPromises", 401, 403, 404),
        guards=[requires("read")],
        summary="Promises made, kept and broken (status as of today)",
    )
    def list_promises(
        self, claim_id: FromPath[str], caller: CallerDep, ports: PortsDep
    ) -> PromiseList:
        from domain.amounts.promises import resolve_promise

        claim, account = queries.claim_account(claim_id, caller, ports)
        today = claim.today(ports.clock.now())
        return PromiseList(
            items=[
                PromiseOut.of(resolve_promise(p, account.payments, today), claim.currency)
                for p in account.promises
            ]
        )

    @post(
        "/payment-plan",
        **operation("StartPaymentPlan", 400, 401, 403, 404, 409, 412, 413, 422, action=True),
        guards=[requires("write")],
        summary="Agree a payment plan (échéancier) covering what is due today",
    )
    def start_plan(
        self,
        caller: CallerDep,
        ports: PortsDep,
        claim_id: FromPath[str],
        data: JSONBody[PlanCreate],
    ) -> Response[PlanResult]:
        from domain.services import amounts as accounts

        change, plan = accounts.start_payment_plan(
            claim_id,
            accounts.PlanDraft(
                instalments=[(i.due_on, i.amount) for i in data.instalments]
                if data.instalments is not None
                else None,
                count=data.count,
                first_due_on=data.first_due_on,
                grace_days=data.grace_days,
                agreed_on=data.agreed_on,
            ),
            caller,
            ports,
        )
        evaluation = change.account.evaluate_plan(change.today)
        assert evaluation is not None
        return Response(
            PlanResult(
                plan=PlanOut.of(plan, evaluation), claim=ClaimOut.of(change.claim, change.today)
            ),
            status_code=201,
            headers={"ETag": etag(change.claim.version)},
        )

    @get(
        "/payment-plan",
        **operation("ReadPaymentPlan", 401, 403, 404),
        guards=[requires("read")],
        summary="The payment plan with each instalment's status as of today",
    )
    def read_plan(
        self, claim_id: FromPath[str], caller: CallerDep, ports: PortsDep
    ) -> PlanOut:
        claim, account = queries.claim_account(claim_id, caller, ports)
        evaluation = account.evaluate_plan(claim.today(ports.clock.now()))
        if account.plan is None or evaluation is None:
            raise ProblemException(404, "not-found", "this claim has no payment plan")
        return PlanOut.of(account.plan, evaluation)

    @post(
        "/formal-notice",
        **operation("RecordFormalNotice", 400, 401, 403, 404, 409, 412, 413, 422, action=True),
        guards=[requires("write")],
        status_code=200,
        summary="Record a mise en demeure sent: consumer interest runs from it; the claim "
        "moves to the formal-notice phase",
    )
    def record_formal_notice(
        self,
        caller: CallerDep,
        ports: PortsDep,
        claim_id: FromPath[str],
        data: JSONBody[FormalNoticeCreate],
    ) -> Response[ClaimOut]:
        from domain.services import amounts as accounts

        change = accounts.record_formal_notice(
            claim_id,
            accounts.FormalNoticeDraft(sent_on=data.sent_on, channel=data.channel,
                                       reference=data.reference, note=data.note),
            caller, ports)
        return Response(ClaimOut.of(change.claim, change.today),
                        headers={"ETag": etag(change.claim.version)})

    @post(
        "/judgment",
        **operation("RecordJudgment", 400, 401, 403, 404, 409, 412, 413, 422, action=True),
        guards=[requires("write")],
        status_code=200,
        summary="Record a judgment ordering payment (again to correct it): interest from its "
        "pronouncement, +5 points two months after it is enforceable",
    )
    def record_judgment(
        self,
        caller: CallerDep,
        ports: PortsDep,
        claim_id: FromPath[str],
        data: JSONBody[JudgmentCreate],
    ) -> Response[ClaimOut]:
        from domain.services import amounts as accounts

        change = accounts.record_judgment(
            claim_id,
            accounts.JudgmentDraft(
                pronounced_on=data.pronounced_on, court=data.court,
                amount_awarded=data.amount_awarded, enforceable_on=data.enforceable_on,
                reference=data.reference, note=data.note),
            caller, ports)
        return Response(ClaimOut.of(change.claim, change.today),
                        headers={"ETag": etag(change.claim.version)})

    @post(
        "/review",
        **operation("ReviewClaim", 400, 401, 403, 404, 409, 412, 413, 422, action=True),
        guards=[requires("write")],
        status_code=200,
        summary="Bring promises and the payment plan up to date with the calendar",
    )
    def review(
        self,
        caller: CallerDep,
        ports: PortsDep,
        claim_id: FromPath[str],
    ) -> Response[ClaimOut]:
        from domain.services import amounts as accounts

        change = accounts.review(claim_id, caller, ports)
        return Response(
            ClaimOut.of(change.claim, change.today),
            headers={"ETag": etag(change.claim.version)},
        )


def _payment_result(change: Any, payment: Any) -> Response[PaymentResult]:
    """A recorded payment's answer: the payment, how it was imputed, the claim after it."""
    split = None
    if change.statement is not None:
        found = next((s for s in change.statement.payments if s.payment_id == payment.id), None)
        split = PaymentSplitOut.of(found, change.claim.currency) if found else None
    return Response(
        PaymentResult(payment=PaymentOut.of(payment, change.claim.currency), split=split,
                      claim=ClaimOut.of(change.claim, change.today)),
        status_code=201, headers={"ETag": etag(change.claim.version)})


@post(
    "/v1/payments",
    **operation("RecordPaymentByReference", 400, 401, 403, 404, 409, 412, 413, 422,
                action=True),
    guards=[requires("write")], tags=["what is owed"],
    summary="Record a transfer by the structured reference (RF…) it quotes: the claim "
    "whose letters printed it",
)
def record_payment_by_reference(caller: CallerDep, ports: PortsDep,
                                data: JSONBody[PaymentByReferenceCreate]
                                ) -> Response[PaymentResult]:
    from domain.services import amounts as accounts
    from domain.services import letters

    claim_id = letters.claim_of_reference(data.reference, caller, ports)
    change, payment = accounts.record_payment(
        claim_id,
        accounts.PaymentDraft(amount=data.amount, received_on=data.received_on,
                              method="transfer", reference=data.reference,
                              invoice_numbers=tuple(data.invoice_numbers)),
        caller, ports)
    return _payment_result(change, payment)
