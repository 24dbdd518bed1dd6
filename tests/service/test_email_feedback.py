"""record_email_feedback on the fakes: what a bounce or a complaint from the e-mail provider
changes on the debtor, the claim's timeline and the worklist, and that a notification
delivered twice changes nothing the second time."""

from __future__ import annotations

from dataclasses import replace

from domain import services
from domain.claims.model import Claim, ClaimEvent
from domain.debtors.model import ContactKind, ContactPoint, DebtorKind
from domain.escalation.tasks import Task, TaskKind
from domain.ports.escalation import DeliveryEvent
from domain.ports.repositories import PageRequest
from domain.services.caller import Caller
from domain.services.email_feedback import EMAIL_FEEDBACK_KEPT, record_email_feedback
from tests.fakes import FakeWorld
from tests.service.conftest import LEROY, open_claim

JEANNE = "Jeanne.Martin@Boulangerie-Martin.fr"
COMPTA = "compta@boulangerie-martin.fr"
MESSAGE = "0107018d2f1c3a4b-5e6f7a8b-1234-4cde-9f01-23456789abcd-000000"


def debtor_with_emails(world: FakeWorld, caller: Caller) -> str:
    return services.create_debtor(services.DebtorDraft(
        kind=DebtorKind.BUSINESS, name="Boulangerie Martin SAS", country="FR",
        contact_points=[services.ContactPointDraft(ContactKind.EMAIL, value=JEANNE),
                        services.ContactPointDraft(ContactKind.EMAIL, value=COMPTA)]),
        caller, world.ports).id


def bounce(claim: Claim, *recipients: str, permanent: bool = True,
           message_id: str = MESSAGE) -> DeliveryEvent:
    return DeliveryEvent(message_id, "bounce", permanent, recipients,
                         f"h-{claim.id}", claim.creditor_id, claim.id)


def complaint(claim: Claim, *recipients: str) -> DeliveryEvent:
    return DeliveryEvent(MESSAGE, "complaint", True, recipients, None, claim.creditor_id,
                         claim.id)


def timeline(world: FakeWorld, claim: Claim) -> list[ClaimEvent]:
    return world.ports.unit_of_work().claims.list_events(
        claim.creditor_id, claim.id, PageRequest(limit=100)).items


def tasks(world: FakeWorld, claim: Claim) -> list[Task]:
    return world.ports.unit_of_work().tasks.open_tasks_of_claim(claim.creditor_id, claim.id)


def points(world: FakeWorld, caller: Caller, debtor_id: str) -> dict[str, ContactPoint]:
    debtor = services.get_debtor(debtor_id, caller, world.ports)
    return {p.value or "": p for p in debtor.contact_points}


def test_a_permanent_bounce_marks_the_address_invalid_and_asks_for_another(
        world: FakeWorld, caller: Caller) -> None:
    debtor_id = debtor_with_emails(world, caller)
    claim = open_claim(world, caller, debtor_id=debtor_id)
    before = len(timeline(world, claim))
    # The mail server wrote the address in lower case: the same contact point.
    [result] = record_email_feedback([bounce(claim, JEANNE.lower())], world.ports)
    assert result.outcome == "applied"
    marked = points(world, caller, debtor_id)
    jeanne = marked[JEANNE]
    assert jeanne.validation is not None
    assert (jeanne.validation.status, jeanne.validation.reasons,
            jeanne.validation.channels) == ("invalid", ("bounced",), ())
    assert jeanne.validation.normalized == "Jeanne.Martin@boulangerie-martin.fr"  # kept
    other = marked[COMPTA].validation
    assert other is not None and other.status == "valid"  # the other address is untouched
    [task] = tasks(world, claim)
    assert (task.kind, task.contact_point_id, task.step_key) == (
        TaskKind.VERIFY_CONTACT, jeanne.id, None)
    entries = timeline(world, claim)
    assert len(entries) == before + 1
    assert (entries[-1].action, entries[-1].actor, entries[-1].data) == (
        "email_bounced", "email-feedback",
        {"message_id": MESSAGE, "bounce": "permanent", "contact_point_id": jeanne.id})
    assert "boulangerie" not in str(entries[-1].data).lower()  # never the address


def test_the_same_event_delivered_again_changes_nothing(world: FakeWorld,
                                                        caller: Caller) -> None:
    debtor_id = debtor_with_emails(world, caller)
    claim = open_claim(world, caller, debtor_id=debtor_id)
    event = bounce(claim, JEANNE)
    assert [r.outcome for r in record_email_feedback([event, event], world.ports)] == [
        "applied", "repeated"]
    stored = services.get_claim(claim.id, caller, world.ports)
    debtor = services.get_debtor(debtor_id, caller, world.ports)
    entries = timeline(world, claim)
    [result] = record_email_feedback([event], world.ports)  # a later redelivery
    assert result.outcome == "repeated"
    assert services.get_claim(claim.id, caller, world.ports).version == stored.version
    assert services.get_debtor(debtor_id, caller, world.ports).version == debtor.version
    assert timeline(world, claim) == entries
    assert len(tasks(world, claim)) == 1


def test_a_transient_bounce_is_only_noted(world: FakeWorld, caller: Caller) -> None:
    debtor_id = debtor_with_emails(world, caller)
    claim = open_claim(world, caller, debtor_id=debtor_id)
    debtor = services.get_debtor(debtor_id, caller, world.ports)
    [result] = record_email_feedback([bounce(claim, COMPTA, permanent=False)], world.ports)
    assert result.outcome == "applied"
    assert services.get_debtor(debtor_id, caller, world.ports) == debtor
    assert tasks(world, claim) == []
    entry = timeline(world, claim)[-1]
    assert (entry.action, entry.data["bounce"], entry.data["contact_point_id"]) == (
        "email_bounced", "transient", points(world, caller, debtor_id)[COMPTA].id)


def test_a_complaint_stops_e_mail_to_the_address_and_raises_no_task(
        world: FakeWorld, caller: Caller) -> None:
    debtor_id = debtor_with_emails(world, caller)
    claim = open_claim(world, caller, debtor_id=debtor_id)
    [result] = record_email_feedback([complaint(claim, COMPTA)], world.ports)
    assert result.outcome == "applied"
    compta = points(world, caller, debtor_id)[COMPTA]
    assert compta.validation is not None
    # The address works (it is valid), but serves no channel now.
    assert (compta.validation.status, compta.validation.reasons,
            compta.validation.channels) == ("valid", ("role_account", "complained"), ())
    assert tasks(world, claim) == []
    entry = timeline(world, claim)[-1]
    assert (entry.action, entry.data) == (
        "email_complained", {"message_id": MESSAGE, "contact_point_id": compta.id})
    # Nor does a second one add anything.
    assert record_email_feedback([complaint(claim, COMPTA)], world.ports)[0].outcome == (
        "repeated")


def test_validating_the_debtor_again_keeps_the_bounce_and_the_complaint(
        world: FakeWorld, caller: Caller) -> None:
    debtor_id = debtor_with_emails(world, caller)
    claim = open_claim(world, caller, debtor_id=debtor_id)
    record_email_feedback([bounce(claim, JEANNE), complaint(claim, COMPTA)], world.ports)
    marked = points(world, caller, debtor_id)
    services.revalidate_debtor(debtor_id, caller, world.ports)
    again = points(world, caller, debtor_id)
    assert again[JEANNE].validation == marked[JEANNE].validation
    assert again[COMPTA].validation == marked[COMPTA].validation


def test_an_address_no_longer_the_debtors_is_noted_without_a_contact_point(
        world: FakeWorld, caller: Caller) -> None:
    debtor_id = debtor_with_emails(world, caller)
    claim = open_claim(world, caller, debtor_id=debtor_id)
    debtor = services.get_debtor(debtor_id, caller, world.ports)
    record_email_feedback([bounce(claim, "ancienne@boulangerie-martin.fr")], world.ports)
    assert services.get_debtor(debtor_id, caller, world.ports) == debtor
    assert tasks(world, claim) == []
    entry = timeline(world, claim)[-1]
    assert entry.data == {"message_id": MESSAGE, "bounce": "permanent"}


def test_a_second_claim_of_the_debtor_notes_a_bounce_already_marked_and_asks_nothing_more(
        world: FakeWorld, caller: Caller) -> None:
    debtor_id = debtor_with_emails(world, caller)
    first = open_claim(world, caller, debtor_id=debtor_id)
    second = open_claim(world, caller, debtor_id=debtor_id, number="F-2")
    record_email_feedback([bounce(first, JEANNE)], world.ports)
    debtor = services.get_debtor(debtor_id, caller, world.ports)
    [result] = record_email_feedback([bounce(second, JEANNE, message_id="other-message")],
                                     world.ports)
    assert result.outcome == "applied"
    assert services.get_debtor(debtor_id, caller, world.ports) == debtor
    assert len(tasks(world, first)) == 1 and tasks(world, second) == []
    assert timeline(world, second)[-1].action == "email_bounced"


def test_events_that_name_no_claim_of_ours_change_nothing(world: FakeWorld,
                                                          caller: Caller) -> None:
    debtor_id = debtor_with_emails(world, caller)
    claim = open_claim(world, caller, debtor_id=debtor_id)
    other = Caller(services.create_creditor(
        replace(LEROY, legal_name="Garage Martin SARL"), world.ports).id, "erp")
    stored = services.get_claim(claim.id, caller, world.ports)
    results = record_email_feedback([
        replace(bounce(claim, JEANNE), claim_id="clm_00000000000000000000000000"),
        replace(bounce(claim, JEANNE), creditor_id=other.creditor_id),  # another tenant
        replace(bounce(claim, JEANNE), creditor_id=None, claim_id=None),  # sent untagged
        DeliveryEvent(MESSAGE, "delivery", False, (JEANNE,), None, claim.creditor_id,
                      claim.id),
    ], world.ports)
    assert [r.outcome for r in results] == ["unknown_claim", "unknown_claim", "untagged",
                                            "ignored"]
    assert services.get_claim(claim.id, caller, world.ports) == stored
    assert tasks(world, claim) == []


def test_a_claim_remembers_its_latest_events_only(world: FakeWorld, caller: Caller) -> None:
    claim = open_claim(world, caller, debtor_id=debtor_with_emails(world, caller))
    events = [bounce(claim, JEANNE, permanent=False, message_id=f"m-{i}")
              for i in range(EMAIL_FEEDBACK_KEPT + 1)]
    record_email_feedback(events, world.ports)
    kept = services.get_claim(claim.id, caller, world.ports).email_feedback
    assert len(kept) == EMAIL_FEEDBACK_KEPT
    assert kept[0] == "bounce:m-1" and kept[-1] == f"bounce:m-{EMAIL_FEEDBACK_KEPT}"
