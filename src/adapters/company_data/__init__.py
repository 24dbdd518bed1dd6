"""Public company data (domain.ports.company_data): the BODACC and Sirene, or a fake."""

from __future__ import annotations

from adapters.company_data.bodacc import BodaccClient
from adapters.company_data.sirene import SireneClient
from domain.ports.company_data import CompanyFacts


class PublicCompanyData:
    """The port on both public sources: one BODACC request and one Sirene request per
    SIREN. Either failing fails the answer (CompanyDataUnavailable): the watch records
    nothing from half of it and asks again on the next run."""

    def __init__(self, bodacc: BodaccClient, sirene: SireneClient) -> None:
        self._bodacc, self._sirene = bodacc, sirene

    def company(self, siren: str) -> CompanyFacts:
        return CompanyFacts(siren, self._bodacc.notices(siren), self._sirene.status(siren))
