"""E-mail addresses: syntax (RFC 5322/5321 via email-validator), normalisation, shared and
no-reply mailboxes by debtor kind, reserved/placeholder/disposable domains, IDN, and the
optional DNS check against a fake resolver (no test touches the network)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import dns.exception
import dns.resolver
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.debtors.contacts import MAX_VALUE_LENGTH, ContactCheck, check_contact_point, check_email
from domain.debtors.model import ContactKind, ContactPoint, DebtorKind

B = DebtorKind.BUSINESS
C = DebtorKind.CONSUMER


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection fails the test."""

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("a test tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "sendto", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


# (input, normalised)
NORMALISED = [
    ("jean.dupont@orange.fr", "jean.dupont@orange.fr"),
    # The local part is case-sensitive (RFC 5321 §2.4): kept; the domain is lower-cased.
    ("Jean.Dupont@Orange.FR", "Jean.Dupont@orange.fr"),
    ("JEAN@WANADOO.FR", "JEAN@wanadoo.fr"),
    ("  jean@free.fr  ", "jean@free.fr"),
    ("mailto:jean@free.fr", "jean@free.fr"),
    ("jean+factures@gmail.com", "jean+factures@gmail.com"),
    ("o'connor@eircom.ie", "o'connor@eircom.ie"),
    ("jean@sub.domain.co.uk", "jean@sub.domain.co.uk"),
    # A display name is dropped (and reported).
    ("Jean Dupont <jean@free.fr>", "jean@free.fr"),
    ("\"Dupont, Jean\" <jean@free.fr>", "jean@free.fr"),
    # Zero-width space pasted from a web page is removed (and reported).
    ("jean\u200b@free.fr", "jean@free.fr"),
]


@pytest.mark.parametrize(("value", "normalized"), NORMALISED)
def test_normalisation(value: str, normalized: str) -> None:
    result = check_email(value, C)
    assert result.status == "valid", result.message
    assert result.normalized == normalized
    assert result.channels == ("email",)
    assert result.kind is ContactKind.EMAIL
    assert result.reasons == ()


def test_changes_say_what_was_changed() -> None:
    assert check_email("jean@free.fr", C).changes == ()
    assert any("display name 'Jean Dupont'" in c
               for c in check_email("Jean Dupont <jean@free.fr>", C).changes)
    assert any("zero-width" in c for c in check_email("jean\u200b@free.fr", C).changes)
    assert any("mailto" in c for c in check_email("mailto:jean@free.fr", C).changes)
    assert check_email("Jean@Orange.FR", C).changes == (
        "domain 'Orange.FR' written 'orange.fr' (domains are case-insensitive; lower case, "
        "Unicode form)",)
    assert check_email("Info@orange.fr", B).changes == (
        "mailbox 'Info' written 'info' (RFC 2142 names are case-insensitive)",)


def test_valid_message_says_deliverability_was_not_checked() -> None:
    assert "deliverability not checked" in check_email("jean@free.fr", C).message


# (input, reasons)
SYNTAX = [
    ("", ("empty",)),
    ("   ", ("empty",)),
    ("jean.dupont", ("missing_at",)),
    ("jean.dupont.free.fr", ("missing_at",)),
    ("@free.fr", ("empty_local_part",)),
    ("jean@", ("empty_domain",)),
    ("jean@@free.fr", ("invalid_syntax",)),
    ("jean@free", ("invalid_syntax",)),  # no dot in the domain
    ("jean@localhost", ("invalid_syntax",)),
    ("jean..dupont@free.fr", ("invalid_syntax",)),
    (".jean@free.fr", ("invalid_syntax",)),
    ("jean.@free.fr", ("invalid_syntax",)),
    ("jean dupont@free.fr", ("invalid_syntax",)),
    ("jean@free..fr", ("invalid_syntax",)),
    ("jean@-free.fr", ("invalid_syntax",)),
    ("jean@free.fr.", ("invalid_syntax",)),
    ("jean@free_mobile.fr", ("invalid_syntax",)),
    ("\"jean dupont\"@free.fr", ("invalid_syntax",)),  # quoted local part refused
    ("jean@[192.0.2.1]", ("invalid_syntax",)),  # IP literal refused
    ("jean@free.fr, paul@free.fr", ("invalid_syntax",)),
    ("a" * 65 + "@free.fr", ("invalid_syntax",)),  # local part over 64
    # RFC 6761 special-use names are never delivered.
    ("jean@free.test", ("reserved_domain",)),
    ("jean@machine.local", ("reserved_domain",)),
    ("jean@site.invalid", ("reserved_domain",)),
    # RFC 2606 documentation domains.
    ("jean@example.com", ("reserved_domain",)),
    ("jean@mail.example.org", ("reserved_domain",)),
]


@pytest.mark.parametrize(("value", "reasons"), SYNTAX)
def test_invalid_addresses(value: str, reasons: tuple[str, ...]) -> None:
    result = check_email(value, B)
    assert result.status == "invalid", result.message
    assert result.reasons == reasons
    assert result.channels == ()
    assert result.message


# (input, debtor kind, status, reasons)
JUDGED = [
    # Shared mailboxes: risky for a consumer, fine for a business (reason kept as a note).
    ("contact@dupont-sa.fr", C, "risky", ("role_account",)),
    ("contact@dupont-sa.fr", B, "valid", ("role_account",)),
    ("compta@dupont-sa.fr", C, "risky", ("role_account",)),
    ("comptabilite@dupont-sa.fr", B, "valid", ("role_account",)),
    ("comptabilité@dupont-sa.fr", C, "risky", ("role_account", "smtputf8_required")),
    ("facturation@dupont-sa.fr", C, "risky", ("role_account",)),
    ("Info@dupont-sa.fr", C, "risky", ("role_account",)),
    ("admin@dupont-sa.fr", C, "risky", ("role_account",)),
    ("support@dupont-sa.fr", C, "risky", ("role_account",)),
    ("sales@dupont-sa.fr", C, "risky", ("role_account",)),
    ("accueil@dupont-sa.fr", C, "risky", ("role_account",)),
    ("secretariat@dupont-sa.fr", C, "risky", ("role_account",)),
    ("contact+relance@dupont-sa.fr", C, "risky", ("role_account",)),
    ("contact.paris@dupont-sa.fr", C, "valid", ()),  # not a listed mailbox
    ("jean.contact@dupont-sa.fr", C, "valid", ()),
    # No-reply mailboxes are read by nobody, whoever the debtor is.
    ("noreply@dupont-sa.fr", B, "risky", ("no_reply",)),
    ("no-reply@dupont-sa.fr", C, "risky", ("no_reply",)),
    ("ne-pas-repondre@dupont-sa.fr", B, "risky", ("no_reply",)),
    ("DoNotReply@dupont-sa.fr", B, "risky", ("no_reply",)),
    # Placeholder, disposable and mistyped domains.
    ("jean@test.com", C, "risky", ("placeholder_domain",)),
    ("jean@domain.com", B, "risky", ("placeholder_domain",)),
    ("jean@yopmail.com", C, "risky", ("disposable_domain",)),
    ("jean@mailinator.com", C, "risky", ("disposable_domain",)),
    ("jean@gmial.com", C, "risky", ("domain_typo",)),
    ("jean@hotmial.fr", C, "risky", ("domain_typo",)),
    ("contact@yopmail.com", C, "risky", ("disposable_domain", "role_account")),
    # Non-ASCII local part: needs SMTPUTF8.
    ("jérôme@free.fr", C, "risky", ("smtputf8_required",)),
    # Internationalised domain: valid, sent in its ASCII form.
    ("jean@société.fr", C, "valid", ("internationalized_domain",)),
]


@pytest.mark.parametrize(("value", "kind", "status", "reasons"), JUDGED)
def test_judgements(value: str, kind: DebtorKind, status: str,
                    reasons: tuple[str, ...]) -> None:
    result = check_email(value, kind)
    assert result.status == status, result.message
    assert result.reasons == reasons
    assert result.channels == ("email",)


def test_idn_keeps_unicode_for_display_and_gives_the_ascii_form() -> None:
    result = check_email("jean@Société.fr", C)
    assert result.normalized == "jean@société.fr"
    assert "xn--socit-esab.fr" in result.message
    same = check_email("jean@xn--socit-esab.fr", C)
    assert same.normalized == "jean@société.fr"


def test_typo_message_suggests_the_intended_domain() -> None:
    assert "gmail.com" in check_email("jean@gmial.com", C).message


HOSTILE = [
    ("jean@free.fr\u202e", ("control_characters",)),
    ("\u202ejean@free.fr", ("control_characters",)),
    ("jean\x00@free.fr", ("control_characters",)),
    ("jean@free.fr\r\nBcc: victim@free.fr", ("control_characters",)),  # header injection
    ("jean@free.fr\t", ("control_characters",)),
    ("<script>alert(1)</script>@free.fr", ("markup",)),
    ("jean@free.fr<img src=x onerror=alert(1)>", ("markup",)),
    ("jean&amp;paul@free.fr", ("markup",)),
    ("😀@free.fr", ("unsupported_characters",)),
    ("a" * 10_000 + "@free.fr", ("too_long",)),
    ("a" * (MAX_VALUE_LENGTH - 7) + "@free.fr", ("too_long",)),
]


@pytest.mark.parametrize(("value", "reasons"), HOSTILE)
def test_hostile_input(value: str, reasons: tuple[str, ...]) -> None:
    result = check_email(value, C)
    assert result.status == "invalid"
    assert result.reasons == reasons
    assert result.normalized is None


def test_max_length_boundary() -> None:
    # Exactly MAX_VALUE_LENGTH characters is scanned (and refused by RFC 5321's 254 limit),
    # one more is refused before any parsing.
    at_limit = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + "." + "c" * (MAX_VALUE_LENGTH - 305)
    assert len(at_limit) == MAX_VALUE_LENGTH
    assert check_email(at_limit, C).reasons == ("invalid_syntax",)
    assert check_email(at_limit + "c", C).reasons == ("too_long",)


# --- deliverability against a fake resolver ------------------------------------------------

class _MX:
    def __init__(self, preference: int, exchange: str) -> None:
        self.preference = preference
        self.exchange = exchange


class FakeResolver:
    """Answers like dnspython's resolver from a table; never touches the network."""

    def __init__(self, answers: dict[tuple[str, str], Any]) -> None:
        self.answers = answers
        self.lifetime = 0.0
        self.queries: list[tuple[str, str]] = []

    def resolve(self, name: str, rdtype: str) -> Any:
        self.queries.append((name, rdtype))
        answer = self.answers.get((name, rdtype), dns.resolver.NXDOMAIN)
        if isinstance(answer, type) and issubclass(answer, Exception):
            raise answer()
        return answer


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeResolver]:
    fake = FakeResolver({
        ("free.fr", "MX"): [_MX(10, "mx1.free.fr."), _MX(20, "mx2.free.fr.")],
        ("xn--socit-esab.fr", "MX"): [_MX(10, "mx.xn--socit-esab.fr.")],
        ("slow.fr", "MX"): dns.exception.Timeout,
        ("broken.fr", "MX"): dns.resolver.NoNameservers,
        ("nullmx.fr", "MX"): [_MX(0, ".")],
    })
    monkeypatch.setattr(dns.resolver, "get_default_resolver", lambda: fake)
    yield fake


def test_no_dns_lookup_by_default(resolver: FakeResolver) -> None:
    assert check_email("jean@free.fr", C).status == "valid"
    assert resolver.queries == []


def test_deliverable_domain(resolver: FakeResolver) -> None:
    result = check_email("jean@free.fr", C, check_deliverability=True)
    assert result.status == "valid"
    assert result.reasons == ()
    assert "mx1.free.fr" in result.message
    assert resolver.queries[0] == ("free.fr", "MX")


def test_deliverability_uses_the_ascii_domain(resolver: FakeResolver) -> None:
    result = check_email("jean@société.fr", C, check_deliverability=True)
    assert result.status == "valid"
    assert resolver.queries[0] == ("xn--socit-esab.fr", "MX")


@pytest.mark.parametrize(("value", "status", "reasons"), [
    ("jean@nexistepas.fr", "invalid", ("undeliverable",)),  # NXDOMAIN
    ("jean@nullmx.fr", "invalid", ("undeliverable",)),  # RFC 7505 null MX
    ("jean@slow.fr", "unverified", ("dns_unavailable",)),
    ("jean@broken.fr", "unverified", ("dns_unavailable",)),
    ("contact@slow.fr", "risky", ("role_account", "dns_unavailable")),
])
def test_deliverability_outcomes(resolver: FakeResolver, value: str, status: str,
                                 reasons: tuple[str, ...]) -> None:
    result = check_email(value, C, check_deliverability=True)
    assert result.status == status, result.message
    assert result.reasons == reasons


def test_no_lookup_for_an_invalid_address(resolver: FakeResolver) -> None:
    assert check_email("jean@example.com", C, check_deliverability=True).status == "invalid"
    assert resolver.queries == []


def test_check_contact_point_dispatches_emails(resolver: FakeResolver) -> None:
    point = ContactPoint(id="e1", kind=ContactKind.EMAIL, value="contact@dupont-sa.fr")
    assert check_contact_point(point, "FR", C).status == "risky"
    assert check_contact_point(point, "FR", B).status == "valid"
    assert resolver.queries == []
    delivered = check_contact_point(ContactPoint(id="e2", kind=ContactKind.EMAIL,
                                                 value="jean@nexistepas.fr"),
                                    "FR", B, check_deliverability=True)
    assert delivered.reasons == ("undeliverable",)


# --- totality -------------------------------------------------------------------------------

PIECES = st.characters() | st.sampled_from(
    [*"@.+-_\"'<>&;\\ \u202e\u2066\u200b\u00a0\x00\x85\ud800",
     "jean", "free.fr", "example.com", "xn--", "société", "<b>", "&amp;", "mailto:",
     "contact", "noreply", "😀", "\U0001f3fb", "@@", ".."])
EMAIL_LIKE = st.lists(PIECES, max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(value=EMAIL_LIKE | st.text(max_size=400) | st.emails().map(str),
       kind=st.sampled_from([B, C]))
def test_check_email_is_total(value: str, kind: DebtorKind) -> None:
    result = check_email(value, kind)
    assert isinstance(result, ContactCheck)
    assert result.status in ("valid", "invalid", "risky")
    assert "validation_error" not in result.reasons
    assert result.message
    if result.status in ("valid", "risky"):
        assert isinstance(result.normalized, str) and result.normalized.count("@") >= 1
        assert result.normalized.isprintable()
        assert result.channels == ("email",)
    else:
        assert result.reasons and result.channels == ()


@pytest.mark.parametrize(("address", "status", "confusable"), [
    ("jean@xn--80ak6aa92e.com", "risky", True),  # Cyrillic "аррӏе" under .com imitates apple
    ("jean@аррӏе.com", "risky", True),
    ("jean@élysée.fr", "valid", False),  # Latin letters with accents only
    ("jean@пример.рф", "valid", False),  # all Cyrillic, Cyrillic TLD
])
def test_domains_mixing_alphabets_are_risky(address: str, status: str, confusable: bool) -> None:
    result = check_email(address, DebtorKind.BUSINESS)
    assert result.status == status
    assert ("confusable_domain" in result.reasons) is confusable
