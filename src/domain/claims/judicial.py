"""The judicial routes a claim may take, and who takes a claim over when it is transferred.

`start_judicial` names one route; the claim then leaves the automatic ladder (a court, a
commissaire de justice or the mandataire take over the pace). The proceedings themselves
(documents, hearings, enforcement) build on this enum; the lifecycle table
(domain.claims.lifecycle) says from which states each route may start.
"""

from __future__ import annotations

from enum import StrEnum


class JudicialRoute(StrEnum):
    # Requête en injonction de payer (CPC 1405 s.): no hearing unless the debtor opposes.
    INJONCTION_DE_PAYER = "injonction_de_payer"
    # Procédure simplifiée de recouvrement des petites créances (CPCE L125-1): a
    # commissaire de justice, up to 5,000 EUR, with the debtor's agreement.
    SIMPLIFIED_SMALL_CLAIMS = "simplified_small_claims"
    # Référé-provision (CPC 835 al. 2): an obligation not seriously disputable.
    REFERE_PROVISION = "refere_provision"
    # Assignation au fond: the ordinary action before the court.
    ASSIGNATION_AU_FOND = "assignation_au_fond"
    # Regulation (EC) 1896/2006: a debtor in another member state, uncontested claims.
    EUROPEAN_ORDER_FOR_PAYMENT = "european_order_for_payment"
    # Regulation (EC) 861/2007: up to 5,000 EUR, cross-border.
    EUROPEAN_SMALL_CLAIMS = "european_small_claims"
    # Déclaration de créance to the mandataire (C. com. L622-24): the one route open once
    # the debtor is in collective proceedings, which stay every individual action
    # (L622-21).
    DECLARATION_OF_CLAIM = "declaration_of_claim"


class TransferTarget(StrEnum):
    """Who holds the claim once it is transferred: a mandate, the creditor keeps the debt."""

    AGENCY = "agency"  # a collection agency (société de recouvrement, R124-1 CPCE)
    COMMISSAIRE_DE_JUSTICE = "commissaire_de_justice"
    LAWYER = "lawyer"
