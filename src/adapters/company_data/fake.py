"""A fake of public company data, for the tests and `make run`: it answers what it was
told per SIREN (an active company with no notice otherwise) and counts its calls, so a
test or the bench sees how often the watch asks."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from domain.ports.company_data import (
    CompanyDataUnavailable,
    CompanyFacts,
    CompanyState,
    CompanyStatus,
    Mandataire,
    NoticeKind,
    ProceedingsNotice,
)

ACTIVE = CompanyStatus(CompanyState.ACTIVE, date(2015, 1, 1))

# make run's demo debtor in proceedings (api.entrypoints.local seeds Boulangerie Martin
# with this SIREN, which passes the Luhn check).
DEMO_SIREN = "443061841"


class FakeCompanyData:
    def __init__(self) -> None:
        self.answers: dict[str, CompanyFacts] = {}
        self.down: set[str] = set()
        self.calls: Counter[str] = Counter()

    def company(self, siren: str) -> CompanyFacts:
        self.calls[siren] += 1
        if siren in self.down:
            raise CompanyDataUnavailable("the fake source is down for this SIREN")
        return self.answers.get(siren, CompanyFacts(siren, (), ACTIVE))

    def set(self, facts: CompanyFacts) -> None:
        self.answers[facts.siren] = facts


def demo(today: date) -> FakeCompanyData:
    """make run's fake: the demo debtor's liquidation, published a week before `today`."""
    fake = FakeCompanyData()
    fake.set(CompanyFacts(DEMO_SIREN, (ProceedingsNotice(
        notice_id="A-DEMO-0001", kind=NoticeKind.LIQUIDATION, opening=True,
        court="TRIBUNAL DE COMMERCE DE NANTERRE", judgment_on=today - timedelta(days=14),
        published_on=today - timedelta(days=7),
        nature="Jugement d'ouverture de liquidation judiciaire",
        mandataire=Mandataire("SELARL DEMO MANDATAIRES", "12 RUE DE L EXEMPLE", "92000",
                              "NANTERRE")),), ACTIVE))
    return fake
