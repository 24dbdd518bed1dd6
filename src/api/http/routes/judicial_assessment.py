"""The judicial assessment of a claim: facts and figures per route, never a verdict."""

from datetime import date
from typing import Annotated

from litestar import Controller, get
from litestar.params import FromPath, QueryParameter

from api.http.auth import requires
from api.http.deps import CallerDep, PortsDep, operation
from api.http.schemas.judicial_assessment import JudicialAssessmentOut


class JudicialAssessmentController(Controller):
    path = "/v1/claims/{claim_id:str}"
    tags = ["judicial"]

    @get(
        "/judicial-assessment",
        **operation("ReadJudicialAssessment", 400, 401, 403, 404, 409, 422, action=True),
        guards=[requires("read")],
        summary="Per judicial route: the conditions and the claim's facts, the court, lawyer "
        "and prior amicable attempt the rules require, upfront costs, time to a title and "
        "an expected recovery; facts and figures, never a verdict. 409 for a closed claim",
    )
    def assessment(
        self,
        caller: CallerDep,
        ports: PortsDep,
        claim_id: FromPath[str],
        recovery_probability: Annotated[str | None, QueryParameter(
            description="Your own probability of recovery, a decimal from 0 to 1 (e.g. 0.6); "
            "default: derived from the facts, each factor shown", max_length=20)] = None,
        between_commercants: Annotated[bool | None, QueryParameter(
            description="Whether you and the debtor are both commerçants or sociétés "
            "commerciales (C. com. L721-3: the commercial court); default: assumed for a "
            "business debtor, never for a consumer")] = None,
        creditor_headcount: Annotated[int | None, QueryParameter(
            description="Your number of employees: a TAE charges a contribution to a "
            "claimant with 250 or more for a claim above 50,000 EUR", ge=0,
            le=10_000_000)] = None,
        accounts_closed_on: Annotated[date | None, QueryParameter(
            description="The closing day of the financial year of the debtor's last published "
            "accounts (INPI RNE, BODACC avis de dépôt); required with equity or net_result. "
            "Accounts older than recovery.accounts_max_age_months are shown but not "
            "counted")] = None,
        equity: Annotated[str | None, QueryParameter(
            description="Capitaux propres in those accounts, in euros, may be negative "
            "(e.g. -12500.00): negative equity lowers the derived probability",
            max_length=20)] = None,
        net_result: Annotated[str | None, QueryParameter(
            description="Résultat net of that year, in euros, may be negative: a loss "
            "lowers the derived probability", max_length=20)] = None,
    ) -> JudicialAssessmentOut:
        from domain.services import judicial_assessment

        claim, result = judicial_assessment.assess_claim(
            claim_id, judicial_assessment.AssessmentOptions(
                recovery_probability=recovery_probability,
                between_commercants=between_commercants,
                creditor_headcount=creditor_headcount,
                accounts_closed_on=accounts_closed_on, equity=equity, net_result=net_result),
            caller, ports)
        return JudicialAssessmentOut.of(claim.id, result)
