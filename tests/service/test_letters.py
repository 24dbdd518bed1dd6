"""Letters through the use cases, on the fakes: what a letter claims (from the statement,
with the law in it), rendering and its failures, posting and the post's answers.

Figures: B2B 2026 S1 = ECB 2.15 + 10 = 12.15 %; `amount × days × rate / 36500`, half-up to
the cent. The clock is 2026-03-10 (a Tuesday).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from domain import services
from domain.claims.model import Phase
from domain.creditors.model import Address
from domain.debtors.model import ContactKind, DebtorKind, PostalAddress
from domain.letters.model import (
    DispatchMode,
    DispatchStatus,
    Letter,
    LetterKind,
    LetterStatus,
    ProofKind,
    ReturnReason,
)
from domain.letters.references import payment_reference
from domain.ports.letters import RenderJob, StorageFailed
from domain.services import amounts, letters, queries
from domain.services.caller import Caller
from domain.shared.errors import (
    ActionNotAllowed,
    Conflict,
    DomainValidationError,
    NotFound,
    NotReady,
)
from tests.fakes import FakeWorld
from tests.service.test_amounts import B2B_2026_S1, interest, pay, timeline

CREDITOR = services.CreditorDraft(
    legal_name="Menuiserie Leroy SARL", siren="732829320",
    address=Address(("8 rue des Lilas",), "69003", "Lyon", "FR"),
    iban="FR1420041010050500013M02606", bic="PSSTFRPPPAR")
ADDRESS = PostalAddress("Boulangerie Martin SAS", ("12 rue de la Paix",), "75002", "Paris",
                        "FR")


@pytest.fixture
def caller(world: FakeWorld) -> Caller:
    creditor = services.create_creditor(CREDITOR, world.ports)
    return Caller(creditor.id, "erp")


def debtor(world: FakeWorld, caller: Caller, *, kind: DebtorKind = DebtorKind.BUSINESS,
           address: PostalAddress | None = ADDRESS, **extra: object) -> str:
    points = [services.ContactPointDraft(ContactKind.EMAIL, value="compta@martin.fr")]
    if address is not None:
        points.append(services.ContactPointDraft(ContactKind.POSTAL_ADDRESS, address=address))
    return services.create_debtor(services.DebtorDraft(
        kind=kind, name="Boulangerie Martin SAS", country="FR", contact_points=points,
        **extra), caller, world.ports).id  # type: ignore[arg-type]


def claim(world: FakeWorld, caller: Caller, *invoices: tuple[str, date, date, str],
          debtor_id: str | None = None, kind: DebtorKind = DebtorKind.BUSINESS,
          **draft: object) -> str:
    debtor_id = debtor_id or debtor(world, caller, kind=kind)
    opened, _ = services.create_claim(services.ClaimDraft(
        debtor_id=debtor_id, currency="EUR",
        invoices=[services.InvoiceDraft(n, issued, due, amount)
                  for n, issued, due, amount in invoices], **draft),  # type: ignore[arg-type]
        caller, world.ports)
    return opened.id


F1 = ("F-1", date(2026, 1, 1), date(2026, 1, 15), "1200.00")
F2 = ("F-2", date(2026, 1, 20), date(2026, 2, 19), "800.00")


def request(world: FakeWorld, caller: Caller, claim_id: str,
            kind: LetterKind = LetterKind.FORMAL_NOTICE, **draft: object) -> Letter:
    return letters.request_letter(claim_id, letters.LetterDraft(kind, **draft),  # type: ignore[arg-type]
                                  caller, world.ports)


def content(world: FakeWorld, caller: Caller, claim_id: str, letter_id: str):  # type: ignore[no-untyped-def]
    return letters.get_letter(claim_id, letter_id, caller, world.ports).content


# ------------------------------------------------------------------------ what it says


def test_a_formal_notice_claims_what_the_statement_says_invoice_by_invoice(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = claim(world, caller, F1, F2)
    letter = request(world, caller, claim_id)
    assert letter.status is LetterStatus.RENDERING
    assert letter.issued_on == date(2026, 3, 10)
    assert letter.deadline == date(2026, 3, 18)  # 8 days, the creditor's default
    said = content(world, caller, claim_id, letter.id)
    f1 = interest("1200.00", 54, B2B_2026_S1)  # 16 Jan - 10 Mar
    f2 = interest("800.00", 19, B2B_2026_S1)  # 20 Feb - 10 Mar
    assert [i.number for i in said.invoices] == ["F-1", "F-2"]
    assert said.amounts.principal == Decimal("2000.00")
    assert said.amounts.interest == f1 + f2
    assert said.amounts.indemnity == Decimal("80.00")  # 40 EUR per late invoice, B2B
    assert said.amounts.total == Decimal("2080.00") + f1 + f2
    assert said.amounts.indemnity_per_invoice == Decimal("40.00")
    assert {(p.invoice_number, p.rate, p.days) for p in said.amounts.interest_periods} == {
        ("F-1", B2B_2026_S1, 54), ("F-2", B2B_2026_S1, 19)}
    # the address block as contact validation wrote it (AFNOR), the creditor's letterhead
    assert said.debtor.address_lines == ("Boulangerie Martin SAS", "12 RUE DE LA PAIX",
                                         "75002 PARIS")
    assert said.creditor.siren == "732829320" and said.place == "Lyon"
    # the transfer: the creditor's account, the claim's RF reference, the total
    assert said.transfer.iban == "FR1420041010050500013M02606"
    assert said.transfer.reference == payment_reference(claim_id) == letter.payment_reference
    assert said.transfer.amount == said.amounts.total and said.transfer.qr_possible
    assert world.queue.jobs == [RenderJob(caller.creditor_id, claim_id, letter.id)]
    entry = timeline(world, caller, claim_id)[-1]
    assert entry.action == "letter_requested"
    assert entry.data["total"] == f"{said.amounts.total}" and entry.data["invoices"] == "F-1,F-2"


def test_a_consumer_letter_carries_no_indemnity(world: FakeWorld, caller: Caller) -> None:
    claim_id = claim(world, caller, F1, kind=DebtorKind.CONSUMER,
                     formal_notice_on=date(2026, 2, 1))
    said = content(world, caller, claim_id,
                   request(world, caller, claim_id, LetterKind.REMINDER_2).id)
    assert said.consumer and said.amounts.indemnity == 0
    assert said.amounts.indemnity_per_invoice is None
    assert all(i.indemnity_outstanding == 0 for i in said.invoices)


def test_a_paid_invoice_is_not_claimed_and_a_paid_claim_has_nothing_to_claim(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = claim(world, caller, F1, F2)
    f1_due = Decimal("1240.00") + interest("1200.00", 54, B2B_2026_S1)
    amounts.record_payment(claim_id, amounts.PaymentDraft(
        amount=f"{f1_due}", received_on=date(2026, 3, 10), invoice_numbers=("F-1",)),
        caller, world.ports)
    said = content(world, caller, claim_id, request(world, caller, claim_id).id)
    assert [i.number for i in said.invoices] == ["F-2"]
    rest = Decimal("840.00") + interest("800.00", 19, B2B_2026_S1)
    pay(world, caller, claim_id, f"{rest}")
    with pytest.raises(ActionNotAllowed):  # paid in full: the claim closed
        request(world, caller, claim_id)


def test_a_prescribed_invoice_is_left_out_unless_a_person_confirms_it(
        world: FakeWorld, caller: Caller) -> None:
    old = ("F-OLD", date(2020, 12, 1), date(2021, 1, 5), "300.00")  # prescribed 2026-01-05
    claim_id = claim(world, caller, old, F1)
    said = content(world, caller, claim_id,
                   request(world, caller, claim_id, LetterKind.REMINDER_1).id)
    assert [i.number for i in said.invoices] == ["F-1"]
    confirmed = request(world, caller, claim_id, LetterKind.REMINDER_1,
                        confirm_prescribed=("F-OLD",))
    said = content(world, caller, claim_id, confirmed.id)
    assert [(i.number, i.prescribed_confirmed) for i in said.invoices] == [
        ("F-OLD", True), ("F-1", False)]
    assert confirmed.confirmed_prescribed == ("F-OLD",)
    with pytest.raises(DomainValidationError) as refused:
        request(world, caller, claim_id, confirm_prescribed=("F-1", "F-9"))
    assert {(e.field, e.code) for e in refused.value.errors} == {
        ("confirm_prescribed[0]", "not_prescribed"), ("confirm_prescribed[1]", "not_found")}


def test_only_prescribed_invoices_left_is_nothing_to_claim(world: FakeWorld,
                                                          caller: Caller) -> None:
    claim_id = claim(world, caller, ("F-OLD", date(2020, 12, 1), date(2021, 1, 5), "300.00"))
    with pytest.raises(DomainValidationError) as refused:
        request(world, caller, claim_id, LetterKind.REMINDER_1)
    assert refused.value.errors[0].code == "nothing_due"
    assert "F-OLD" in refused.value.errors[0].message


def test_a_formal_notice_whose_deadline_outlives_an_invoice_is_refused(
        world: FakeWorld, caller: Caller) -> None:
    """A letter does not interrupt prescription (Cass. com. 18 May 2022): an invoice whose
    5 years end 2026-03-15 cannot be given 8 days from 2026-03-10."""
    near = ("F-NEAR", date(2021, 2, 15), date(2021, 3, 15), "500.00")
    claim_id = claim(world, caller, near)
    before = world.db.commits
    with pytest.raises(DomainValidationError) as refused:
        request(world, caller, claim_id)
    assert refused.value.errors[0].code == "prescribed_before_deadline"
    assert "2026-03-15" in refused.value.errors[0].message
    assert world.db.commits == before and world.queue.jobs == []
    # a reminder is not a formal notice: it may still go
    assert request(world, caller, claim_id, LetterKind.REMINDER_1).status is LetterStatus.RENDERING


def test_the_formal_notice_deadline_is_the_creditors_setting(world: FakeWorld,
                                                             caller: Caller) -> None:
    services.update_creditor(caller.creditor_id, None, {"formal_notice_days": 15}, world.ports)
    claim_id = claim(world, caller, F1)
    assert request(world, caller, claim_id).deadline == date(2026, 3, 25)
    with pytest.raises(DomainValidationError) as refused:
        services.update_creditor(caller.creditor_id, None, {"formal_notice_days": 3},
                                 world.ports)
    assert refused.value.errors[0].field == "formal_notice_days"


def test_a_letter_needs_a_valid_postal_address_and_the_creditors_iban(
        world: FakeWorld, caller: Caller) -> None:
    no_address = claim(world, caller, F1, debtor_id=debtor(world, caller, address=None))
    with pytest.raises(DomainValidationError) as refused:
        request(world, caller, no_address)
    assert refused.value.errors[0].code == "no_postal_address"
    services.update_creditor(caller.creditor_id, None, {"iban": None}, world.ports)
    with pytest.raises(DomainValidationError) as refused:
        request(world, caller, claim(world, caller, F2))
    assert (refused.value.errors[0].field, refused.value.errors[0].code) == (
        "creditor.iban", "missing_iban")


def test_a_formal_notice_recalls_promises_plans_and_earlier_letters(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = claim(world, caller, F1)
    amounts.record_promise(claim_id, amounts.PromiseDraft(
        amount="500.00", promised_on=date(2026, 2, 20), channel="phone",
        made_on=date(2026, 2, 10)), caller, world.ports)
    reminder = request(world, caller, claim_id, LetterKind.REMINDER_1)
    world.run_letter_jobs()
    letters.dispatch_letter(claim_id, reminder.id, DispatchMode.SIMPLE, caller, world.ports)
    notice = request(world, caller, claim_id)
    said = content(world, caller, claim_id, notice.id)
    assert [(p.made_on, p.amount, p.promised_on, p.status) for p in said.promises] == [
        (date(2026, 2, 10), Decimal("500.00"), date(2026, 2, 20), "broken")]
    assert [(e.kind, e.issued_on, e.mode) for e in said.earlier_letters] == [
        (LetterKind.REMINDER_1, date(2026, 3, 10), DispatchMode.SIMPLE)]


def test_a_plan_agreement_lists_the_instalments_and_needs_a_plan(world: FakeWorld,
                                                                  caller: Caller) -> None:
    claim_id = claim(world, caller, F1)
    with pytest.raises(DomainValidationError) as refused:
        request(world, caller, claim_id, LetterKind.PAYMENT_PLAN_AGREEMENT)
    assert refused.value.errors[0].code == "no_payment_plan"
    amounts.start_payment_plan(claim_id, amounts.PlanDraft(
        count=3, first_due_on=date(2026, 4, 1)), caller, world.ports)
    said = content(world, caller, claim_id,
                   request(world, caller, claim_id, LetterKind.PAYMENT_PLAN_AGREEMENT).id)
    assert [i.due_on for i in said.instalments] == [date(2026, 4, 1), date(2026, 5, 1),
                                                    date(2026, 6, 1)]
    assert sum(i.amount for i in said.instalments) == said.amounts.total


def test_no_letter_while_disputed_or_under_collective_proceedings(world: FakeWorld,
                                                                  caller: Caller) -> None:
    claim_id = claim(world, caller, F1)
    services.apply_action(claim_id, services.ActionRequest("open_dispute", "quality"), caller,
                          world.ports)
    with pytest.raises(ActionNotAllowed) as refused:
        request(world, caller, claim_id, LetterKind.REMINDER_1)
    assert refused.value.action == "send_letter"


# ------------------------------------------------------------------------ rendering


def test_rendering_stores_the_pdf_once_and_records_its_fingerprint(world: FakeWorld,
                                                                  caller: Caller) -> None:
    claim_id = claim(world, caller, F1)
    letter = request(world, caller, claim_id)
    job = world.queue.jobs[0]
    ready = letters.render_letter(job, world.ports)
    assert ready.status is LetterStatus.READY and ready.pages == 1
    body, _meta = world.documents.objects[ready.object_key or ""]
    import hashlib

    assert ready.sha256 == hashlib.sha256(body).hexdigest() and ready.size == len(body)
    assert ready.object_key == f"letters/{caller.creditor_id}/{claim_id}/{letter.id}.pdf"
    assert ready.renderer_version == "fake-renderer/1"
    # a duplicate delivery of the same job changes nothing and renders nothing
    again = letters.render_letter(job, world.ports)
    assert again == ready and world.renderer.renders == 1 and world.documents.writes == 1
    assert [e.action for e in timeline(world, caller, claim_id)][-2:] == [
        "letter_requested", "letter_rendered"]
    view = letters.get_letter(claim_id, letter.id, caller, world.ports)
    assert view.download_url and view.expires_in == 300


def test_a_render_that_stored_but_did_not_record_is_recorded_from_the_stored_object(
        world: FakeWorld, caller: Caller) -> None:
    """A worker that crashed between S3 and DynamoDB: the next delivery renders the same
    bytes, finds the object already there, and records that object."""
    claim_id = claim(world, caller, F1)
    request(world, caller, claim_id)
    job = world.queue.jobs[0]
    first = world.ports.renderer().render(  # type: ignore[misc]
        letters.get_letter(claim_id, job.letter_id, caller, world.ports).content)
    world.documents.put_once(f"letters/{caller.creditor_id}/{claim_id}/{job.letter_id}.pdf",
                             first.pdf, "application/pdf", {"pages": "1",
                                                            "renderer": "fake-renderer/1"})
    ready = letters.render_letter(job, world.ports)
    import hashlib

    assert ready.sha256 == hashlib.sha256(first.pdf).hexdigest()
    assert world.documents.writes == 1


def test_a_failed_store_leaves_the_letter_failed_and_retryable(world: FakeWorld,
                                                              caller: Caller) -> None:
    claim_id = claim(world, caller, F1)
    letter = request(world, caller, claim_id)
    job = world.queue.jobs.pop()
    world.documents.fail_writes = 1
    with pytest.raises(StorageFailed):
        letters.render_letter(job, world.ports)
    failed = letters.get_letter(claim_id, letter.id, caller, world.ports).letter
    assert failed.status is LetterStatus.FAILED and failed.failure
    assert failed.failure.startswith("storage_failed") and failed.sha256 is None
    assert world.documents.objects == {}
    assert timeline(world, caller, claim_id)[-1].action == "letter_render_failed"
    with pytest.raises(NotReady):
        letters.dispatch_letter(claim_id, letter.id, DispatchMode.SIMPLE, caller, world.ports)
    again = letters.rerender_letter(claim_id, letter.id, caller, world.ports)
    assert again.status is LetterStatus.RENDERING and len(world.queue.jobs) == 1
    ready = world.run_letter_jobs()[0]
    assert ready.status is LetterStatus.READY and ready.render_attempts == 2


def test_a_render_error_is_recorded_by_its_type_only(world: FakeWorld, caller: Caller) -> None:
    claim_id = claim(world, caller, F1)
    letter = request(world, caller, claim_id)
    world.renderer.fail_next = ValueError("Boulangerie Martin SAS broke the template")
    with pytest.raises(ValueError):
        world.run_letter_jobs()
    failed = letters.get_letter(claim_id, letter.id, caller, world.ports).letter
    assert failed.failure == "render_error: ValueError"  # no name from the message


# ------------------------------------------------------------------------ posting


def ready(world: FakeWorld, caller: Caller, claim_id: str,
          kind: LetterKind = LetterKind.FORMAL_NOTICE) -> Letter:
    letter = request(world, caller, claim_id, kind)
    world.run_letter_jobs()
    return letter


def test_posting_a_formal_notice_records_it_and_moves_the_claim(world: FakeWorld,
                                                                caller: Caller) -> None:
    claim_id = claim(world, caller, F1, kind=DebtorKind.CONSUMER)
    letter = ready(world, caller, claim_id)
    posted = letters.dispatch_letter(claim_id, letter.id, DispatchMode.REGISTERED_AR, caller,
                                     world.ports)
    assert posted.dispatch is not None
    assert posted.dispatch.status is DispatchStatus.ACCEPTED
    assert posted.dispatch.idempotency_key == letter.id
    read = services.get_claim(claim_id, caller, world.ports)
    assert read.phase is Phase.FORMAL_NOTICE
    _, account = queries.claim_account(claim_id, caller, world.ports)
    assert account.formal_notice_on == date(2026, 3, 10)  # starts consumer interest
    actions = [e.action for e in timeline(world, caller, claim_id)]
    assert actions[-2:] == ["letter_dispatched", "record_formal_notice"]
    # the same dispatch again answers the one made; another mode is a conflict
    assert letters.dispatch_letter(claim_id, letter.id, DispatchMode.REGISTERED_AR, caller,
                                   world.ports) == posted
    with pytest.raises(Conflict):
        letters.dispatch_letter(claim_id, letter.id, DispatchMode.SIMPLE, caller, world.ports)


def test_electronic_registered_mail_needs_a_consumers_consent(world: FakeWorld,
                                                             caller: Caller) -> None:
    consumer = claim(world, caller, F1, kind=DebtorKind.CONSUMER)
    letter = ready(world, caller, consumer)
    with pytest.raises(DomainValidationError) as refused:
        letters.dispatch_letter(consumer, letter.id, DispatchMode.ELECTRONIC_REGISTERED,
                                caller, world.ports)
    assert refused.value.errors[0].code == "no_consent"
    consenting = claim(world, caller, F2, debtor_id=debtor(
        world, caller, kind=DebtorKind.CONSUMER,
        electronic_registered_consent_on=date(2026, 1, 5)))
    letter = ready(world, caller, consenting)
    posted = letters.dispatch_letter(consenting, letter.id, DispatchMode.ELECTRONIC_REGISTERED,
                                     caller, world.ports)
    assert posted.dispatch is not None


def test_the_post_moves_the_letter_on_once_per_event_with_its_proofs(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = claim(world, caller, F1)
    letter = ready(world, caller, claim_id)
    posted = letters.dispatch_letter(claim_id, letter.id, DispatchMode.REGISTERED_AR, caller,
                                     world.ports)
    assert posted.dispatch is not None
    world.clock.advance(timedelta(days=5))
    assert letters.reconcile_dispatches(world.ports) == 4  # printed … delivered
    assert letters.reconcile_dispatches(world.ports) == 0  # nothing new: nothing recorded
    done = letters.get_letter(claim_id, letter.id, caller, world.ports).letter
    assert done.dispatch is not None and done.dispatch.status is DispatchStatus.DELIVERED
    assert [p.kind for p in done.proofs] == [ProofKind.DEPOSIT, ProofKind.ACKNOWLEDGEMENT]
    for proof in done.proofs:
        import hashlib

        body, _ = world.documents.objects[proof.object_key]
        assert proof.sha256 == hashlib.sha256(body).hexdigest()
    # delivered: out of the poller's list
    assert world.ports.unit_of_work().letters.dispatches_in_flight(
        world.postal.name, 10, None).items == []
    tracked = [e.data["status"] for e in timeline(world, caller, claim_id)
               if e.action == "letter_tracked"]
    assert tracked == ["accepted", "printed", "posted", "delivered"][-len(tracked):]


def test_a_letter_returned_npai_invalidates_the_address_and_asks_a_person(
        world: FakeWorld, caller: Caller) -> None:
    world.postal._outcome = lambda job: ReturnReason.NPAI  # every letter comes back
    claim_id = claim(world, caller, F1)
    letter = ready(world, caller, claim_id, LetterKind.REMINDER_1)
    letters.dispatch_letter(claim_id, letter.id, DispatchMode.REGISTERED, caller, world.ports)
    world.clock.advance(timedelta(days=10))
    letters.reconcile_dispatches(world.ports)
    done = letters.get_letter(claim_id, letter.id, caller, world.ports).letter
    assert done.dispatch is not None and done.dispatch.status is DispatchStatus.RETURNED
    assert done.dispatch.return_reason is ReturnReason.NPAI
    read = services.get_claim(claim_id, caller, world.ports)
    stored = services.get_debtor(read.debtor_id, caller, world.ports)
    postal = next(p for p in stored.contact_points if p.kind is ContactKind.POSTAL_ADDRESS)
    assert postal.validation is not None and postal.validation.status == "invalid"
    assert postal.validation.reasons == ("returned_npai",)
    task = timeline(world, caller, claim_id)[-1]
    assert (task.action, task.data["contact_point_id"]) == ("verify_contact", postal.id)
    # the next letter has no address to go to
    with pytest.raises(DomainValidationError) as refused:
        request(world, caller, claim_id, LetterKind.REMINDER_2)
    assert refused.value.errors[0].code == "no_postal_address"


def test_a_webhook_and_the_poller_record_each_event_once(world: FakeWorld,
                                                         caller: Caller) -> None:
    claim_id = claim(world, caller, F1)
    letter = ready(world, caller, claim_id)
    posted = letters.dispatch_letter(claim_id, letter.id, DispatchMode.REGISTERED_AR, caller,
                                     world.ports)
    assert posted.dispatch is not None
    world.clock.advance(timedelta(days=5))
    headers, body = world.postal.webhook_payload(posted.dispatch.provider_id)
    updates = world.postal.parse_webhook(headers, body)
    first = letters.record_postal_updates(world.postal.name, updates, world.ports)
    assert first >= 1
    assert letters.record_postal_updates(world.postal.name, updates, world.ports) == 0
    letters.reconcile_dispatches(world.ports)
    done = letters.get_letter(claim_id, letter.id, caller, world.ports).letter
    ids = [e.provider_event_id for e in done.dispatch.events]  # type: ignore[union-attr]
    assert len(ids) == len(set(ids))


# ------------------------------------------------------------------------ payments by RF


def test_a_transfer_quoting_the_rf_reference_finds_its_claim(world: FakeWorld,
                                                            caller: Caller) -> None:
    claim_id = claim(world, caller, F1)
    letter = ready(world, caller, claim_id, LetterKind.REMINDER_1)
    reference = letter.payment_reference or ""
    spaced = " ".join(reference[i:i + 4] for i in range(0, len(reference), 4)).lower()
    assert letters.claim_of_reference(spaced, caller, world.ports) == claim_id
    other = claim(world, caller, F2)
    with pytest.raises(NotFound):
        letters.claim_of_reference(payment_reference(other), caller, world.ports)
    with pytest.raises(DomainValidationError):
        letters.claim_of_reference("RF00 1234", caller, world.ports)


def test_simple_mail_presumed_delivered_can_still_come_back(world: FakeWorld,
                                                           caller: Caller) -> None:
    world.postal._outcome = lambda job: ReturnReason.NPAI  # every letter comes back
    claim_id = claim(world, caller, F1)
    letter = ready(world, caller, claim_id, LetterKind.REMINDER_1)
    posted = letters.dispatch_letter(claim_id, letter.id, DispatchMode.SIMPLE, caller,
                                     world.ports)
    assert posted.dispatch is not None
    from domain.letters.model import TrackingEvent
    from domain.ports.letters import PostalUpdate

    at = world.clock.now()
    presumed = PostalUpdate(posted.dispatch.provider_id, TrackingEvent(
        DispatchStatus.DELIVERED, at, "presumed-1", detail="presumed (no tracking)"))
    returned = PostalUpdate(posted.dispatch.provider_id, TrackingEvent(
        DispatchStatus.RETURNED, at + timedelta(days=4), "returned-1",
        return_reason=ReturnReason.NPAI))
    assert letters.record_postal_updates("fake", [presumed, returned], world.ports) == 2
    done = letters.get_letter(claim_id, letter.id, caller, world.ports).letter
    assert done.dispatch is not None and done.dispatch.status is DispatchStatus.RETURNED


def test_a_consent_to_electronic_registered_mail_cannot_be_given_in_the_future(
        world: FakeWorld, caller: Caller) -> None:
    with pytest.raises(DomainValidationError) as refused:
        debtor(world, caller, kind=DebtorKind.CONSUMER,
               electronic_registered_consent_on=date(2026, 3, 11))
    assert (refused.value.errors[0].field, refused.value.errors[0].code) == (
        "electronic_registered_consent_on", "in_future")


def test_a_letter_the_provider_holds_under_another_id_is_a_conflict_not_a_retry(
        world: FakeWorld, caller: Caller) -> None:
    from domain.ports.letters import PostalAlreadyAccepted

    claim_id = claim(world, caller, F1)
    letter = ready(world, caller, claim_id, LetterKind.REMINDER_1)

    def already(job: object) -> object:
        raise PostalAlreadyAccepted("duplicate")

    world.postal.send = already
    with pytest.raises(Conflict) as refused:
        letters.dispatch_letter(claim_id, letter.id, DispatchMode.SIMPLE, caller, world.ports)
    assert "already holds" in str(refused.value)
    stored = letters.get_letter(claim_id, letter.id, caller, world.ports).letter
    assert stored.dispatch is None  # nothing recorded: a person matches it by hand


# ------------------------------------------------------------ the ladder's post, skipped

def _ladder_letter(world: FakeWorld, caller: Caller, claim_id: str) -> Letter:
    return request(world, caller, claim_id, LetterKind.REMINDER_1, step_key="reminder_1",
                   dispatch_on_ready=DispatchMode.SIMPLE)


def test_a_letter_whose_claim_was_paid_before_the_worker_is_rendered_not_posted(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = claim(world, caller, F1)
    letter = _ladder_letter(world, caller, claim_id)
    job = world.queue.jobs[-1]
    pay(world, caller, claim_id, "1300.00")  # more than all it owes: the claim closes, paid
    assert services.get_claim(claim_id, caller, world.ports).phase is Phase.CLOSED
    settled = letters.render_letter(job, world.ports)  # no ActionNotAllowed: the job is done
    assert settled.id == letter.id and settled.status is LetterStatus.READY
    assert settled.dispatch is None and settled.dispatch_skipped == "claim_paid"
    assert world.postal.prints == 0
    last = timeline(world, caller, claim_id)[-1]
    assert last.action == "letter_dispatch_skipped"
    assert last.data["cause"] == "claim_paid" and last.data["letter_id"] == letter.id
    assert last.data["state"] == "closed (paid)" and last.data["mode"] == "simple"
    # Delivered again, the job changes nothing and records nothing more.
    entries = len(timeline(world, caller, claim_id))
    assert letters.render_letter(job, world.ports) == settled
    assert len(timeline(world, caller, claim_id)) == entries and world.postal.prints == 0


def test_a_letter_whose_claim_was_disputed_meanwhile_is_skipped_as_not_allowed(
        world: FakeWorld, caller: Caller) -> None:
    claim_id = claim(world, caller, F1)
    _ladder_letter(world, caller, claim_id)
    services.apply_action(claim_id, services.ActionRequest("open_dispute", "goods damaged"),
                          caller, world.ports)
    settled = letters.render_letter(world.queue.jobs[-1], world.ports)
    assert settled.dispatch_skipped == "not_allowed" and world.postal.prints == 0
    assert timeline(world, caller, claim_id)[-1].data["state"] == "amicable, held for dispute"


def test_the_worker_acknowledges_the_job_of_a_letter_it_may_no_longer_post(
        world: FakeWorld, caller: Caller, monkeypatch: pytest.MonkeyPatch) -> None:
    import json
    from pathlib import Path

    from api import bootstrap
    from api.entrypoints import lambda_letters
    from tests.integration.test_lambda_letters import Context

    claim_id = claim(world, caller, F1)
    letter = _ladder_letter(world, caller, claim_id)
    pay(world, caller, claim_id, "1300.00")
    monkeypatch.setenv("RELANCE_TABLE", "relance-letters-test")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "Relance")
    monkeypatch.setattr(bootstrap, "build_worker_ports", lambda settings: world.ports)
    lambda_letters._ports.cache_clear()
    event = json.loads((Path(__file__).resolve().parents[1] / "events"
                        / "sqs-letter-batch.json").read_text())
    record = event["Records"][0]
    record["body"] = json.dumps({"creditor_id": caller.creditor_id, "claim_id": claim_id,
                                 "letter_id": letter.id})
    event["Records"] = [record]
    try:
        assert lambda_letters.handler(event, Context()) == {"batchItemFailures": []}
    finally:
        lambda_letters._ports.cache_clear()
    read = letters.get_letter(claim_id, letter.id, caller, world.ports).letter
    assert read.dispatch_skipped == "claim_paid" and read.dispatch is None
