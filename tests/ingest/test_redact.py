"""PII redaction: typed tokens, checksums, no false positives on everyday numbers."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heartline.domain import Interaction, Survey, Turn
from heartline.ingest.redact import RedactionStats, iban_ok, luhn_ok, redact, redact_interaction

# Named examples: how people actually say or type these things.
CARD_DASHED = "my card is 4111-1111-1111-1111"
CARD_SPOKEN_GROUPS = "it's 4111 1111 1111 1111 and the expiry is next May"
CARD_AMEX = "the Amex is 3782 822463 10005 ok"
CARD_WITH_CVV = "number 5555 5555 5555 4444 security code 123"
EMAIL_PLUS = "email me at jo.bloggs+bills@example.co.uk"
UK_MOBILE = "call me on 07700 900123"
SSN_DASHED = "SSN 123-45-6789"
SSN_SPACED = "my social is 123 45 6789 if you need it"
SSN_BARE_NAMED = "social security number 234567890"
IBAN_GB = "my IBAN is GB82 WEST 1234 5698 7654 32, thanks"
IBAN_DE_COMPACT = "DE89370400440532013000"
AMOUNTS_AND_DATES = (
    "You paid $1,234.56 on 12/25/2024 at 10:30, order 48213, refund of 1 299,00 EUR "
    "by 2024-01-15 or 15.01.2024; card ending 4432; 3 to 5 working days"
)
NOT_LUHN_16 = "your tracking number is 4111111111111112"
ORDER_TEN_DIGITS = "order number 4821345678 is on its way"

TOKENS = re.compile(r"\[(CARD|SSN|EMAIL|PHONE|IBAN)\]")


def digits_of(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (CARD_DASHED, "my card is [CARD]"),
        (CARD_SPOKEN_GROUPS, "it's [CARD] and the expiry is next May"),
        (CARD_AMEX, "the Amex is [CARD] ok"),
        (CARD_WITH_CVV, "number [CARD] security code 123"),
        (EMAIL_PLUS, "email me at [EMAIL]"),
        (UK_MOBILE, "call me on [PHONE]"),
        ("or 07700900123", "or [PHONE]"),
        (SSN_DASHED, "SSN [SSN]"),
        (SSN_SPACED, "my social is [SSN] if you need it"),
        (SSN_BARE_NAMED, "social security number [SSN]"),
        (IBAN_GB, "my IBAN is [IBAN], thanks"),
        (IBAN_DE_COMPACT, "[IBAN]"),
        ("NL91 ABNA 0417 1643 00.", "[IBAN]."),
    ],
)
def test_realistic_pii_is_replaced_by_its_token(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "phone",
    [
        "(555) 123-4567",
        "555-123-4567",
        "555.123.4567",
        "+1 555 123 4567",
        "+1 (555) 123-4567",
        "1-800-555-0199",
        "+44 20 7946 0958",
        "+44 (0)20 7946 0958",
        "+447700900123",
        "020 7946 0958",
        "0161 496 0000",
        "01 23 45 67 89",
        "+33 1 23 45 67 89",
        "+49 30 12345678",
    ],
)
def test_phone_formats(phone: str) -> None:
    assert redact(f"you can reach me on {phone} after six") == (
        "you can reach me on [PHONE] after six"
    )


def test_bare_ten_digits_are_a_phone_only_after_a_phone_word() -> None:
    assert redact("my number is 5551234567") == "my number is [PHONE]"
    assert redact("call me at 15551234567") == "call me at [PHONE]"
    assert redact(ORDER_TEN_DIGITS) == ORDER_TEN_DIGITS


def test_bare_nine_digits_are_an_ssn_only_after_ssn_words() -> None:
    assert redact("ref 123456789") == "ref 123456789"
    assert redact("ssn: 123456789") == "ssn: [SSN]"


@pytest.mark.parametrize(
    "ssn", ["000-12-3456", "666-12-3456", "912-34-5678", "123-00-4567", "123-45-0000"]
)
def test_never_issued_ssns_are_not_ssns(ssn: str) -> None:
    assert "[SSN]" not in redact(f"number {ssn}")


@pytest.mark.parametrize(
    "text",
    [
        AMOUNTS_AND_DATES,
        NOT_LUHN_16,
        ORDER_TEN_DIGITS,
        "Your balance is $12,345,678.90 and 1,234,567 points.",
        "Call took 00:12:45, hold 3:05, queue position 12 of 40.",
        "Version 10.2.3 build 20240115, ticket #559812, invoice INV-2024-00031.",
        "We're open 9-5 Monday to Friday, 10-4 on Saturday.",
        "Pi is 3.14159265358979323846 as everyone knows",
        "GB82 WEST 1234 5698 7654 33",  # bad IBAN check digits
        "rooms 101 to 105, floors 2 and 3",
        "mail me @ the office",
    ],
)
def test_no_false_positives_on_everyday_numbers(text: str) -> None:
    assert redact(text) == text


def test_checksums() -> None:
    assert luhn_ok("4111111111111111")
    assert not luhn_ok("4111111111111112")
    assert iban_ok("GB82WEST12345698765432")
    assert iban_ok("gb82west12345698765432")
    assert not iban_ok("GB82WEST12345698765433")
    assert not iban_ok("GB82")


def test_stats_count_each_kind() -> None:
    stats = RedactionStats()
    text = f"{CARD_DASHED}; {EMAIL_PLUS}; {UK_MOBILE}; {SSN_DASHED}; {IBAN_GB}; and 555-123-4567"
    out = redact(text, stats)
    assert stats.as_dict() == {"card": 1, "ssn": 1, "email": 1, "phone": 2, "iban": 1}
    assert stats.total == len(TOKENS.findall(out)) == 6
    more = RedactionStats(card=2)
    stats.add(more)
    assert stats.card == 3


def test_touching_numbers_are_all_redacted_in_one_call() -> None:
    once = redact("555-123-4567(555) 123-4567")
    assert once == "[PHONE][PHONE]"
    assert redact(once) == once


# --------------------------------------------------------------------------- properties


@st.composite
def luhn_card(draw: st.DrawFn) -> str:
    length = draw(st.integers(min_value=13, max_value=19))
    body = draw(st.text(alphabet="0123456789", min_size=length - 1, max_size=length - 1))
    for check in "0123456789":
        if luhn_ok(body + check):
            return body + check
    raise AssertionError("some check digit always works")


@st.composite
def formatted(draw: st.DrawFn, digits: str) -> str:
    """``digits`` cut into random groups joined by random separators."""
    out = []
    i = 0
    while i < len(digits):
        size = draw(st.integers(min_value=1, max_value=6))
        out.append(digits[i : i + size])
        i += size
    seps = st.sampled_from(["", " ", "-", " - ", "  ", "\u00a0"])
    text = out[0]
    for group in out[1:]:
        text += draw(seps) + group
    return text


@given(data=st.data(), card=luhn_card())
@settings(max_examples=300)
def test_any_luhn_valid_card_with_any_separators_is_redacted(
    data: st.DataObject, card: str
) -> None:
    shown = data.draw(formatted(card))
    out = redact(f"Sure, the card number is {shown}, expiry next May.")
    assert out == "Sure, the card number is [CARD], expiry next May."
    assert digits_of(out) == ""


WORDS = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'", min_size=1, max_size=9
)
SMALL_NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=9999).map(str),
    st.integers(min_value=1, max_value=99_999).map(lambda n: f"${n:,}.{n % 100:02d}"),
    st.tuples(st.integers(1, 28), st.integers(1, 12), st.integers(1990, 2030)).map(
        lambda d: f"{d[0]:02d}/{d[1]:02d}/{d[2]}"
    ),
    st.tuples(st.integers(0, 23), st.integers(0, 59)).map(lambda t: f"{t[0]}:{t[1]:02d}"),
)
PUNCT = st.sampled_from([" ", ", ", ". ", "? ", "! ", " - "])


@st.composite
def everyday_text(draw: st.DrawFn) -> str:
    """Words with short numbers, amounts, dates and times; never two numbers in a row."""
    parts = []
    for _ in range(draw(st.integers(min_value=1, max_value=25))):
        parts.append(draw(WORDS))
        if draw(st.booleans()):
            parts.append(draw(PUNCT) + draw(SMALL_NUMBERS))
        parts.append(draw(PUNCT))
    return "".join(parts)


@given(everyday_text())
@settings(max_examples=300)
def test_text_without_pii_is_unchanged(text: str) -> None:
    assert redact(text) == text


PII_OR_NOISE = st.sampled_from(
    [
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "123-45-6789",
        "555-123-4567",
        "(555) 123-4567",
        "+44 20 7946 0958",
        "07700 900123",
        "GB82 WEST 1234 5698 7654 32",
        "jo@example.com",
        "order 48213",
        "$1,234.56",
        "SSN ",
        "call me on ",
        " ",
        "-",
        "+",
        "(",
        "@",
        "7",
        "12",
        "4444",
        "x",
    ]
)


@given(st.one_of(st.lists(PII_OR_NOISE, max_size=12).map("".join), st.text(max_size=80)))
@settings(max_examples=400)
def test_redaction_is_idempotent(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


# --------------------------------------------------------------------------- interactions


def test_redact_interaction_returns_a_redacted_copy() -> None:
    original = Interaction(
        id="c-1",
        turns=[
            Turn(speaker="customer", text=CARD_DASHED, start_ms=0, end_ms=2000),
            Turn(speaker="agent", text="Thanks, and what's the best number to reach you?"),
            Turn(speaker="customer", text=UK_MOBILE),
        ],
        survey=Survey(interaction_id="c-1", csat=5, comment=f"Lovely agent. {EMAIL_PLUS}"),
    )
    stats = RedactionStats()
    copy = redact_interaction(original, stats)

    assert [t.text for t in copy.turns] == [
        "my card is [CARD]",
        "Thanks, and what's the best number to reach you?",
        "call me on [PHONE]",
    ]
    assert copy.turns[0].start_ms == 0 and copy.turns[0].end_ms == 2000
    assert copy.survey is not None and copy.survey.comment == "Lovely agent. email me at [EMAIL]"
    assert copy.survey.csat == 5
    assert stats.as_dict() == {"card": 1, "ssn": 0, "email": 1, "phone": 1, "iban": 0}
    # the original is untouched
    assert original.turns[0].text == CARD_DASHED
    assert original.survey is not None and original.survey.comment.endswith(EMAIL_PLUS)


def test_redact_interaction_without_survey() -> None:
    i = Interaction(id="c-2", turns=[Turn(speaker="customer", text=SSN_DASHED)])
    out = redact_interaction(i)
    assert out.survey is None
    assert out.turns[0].text == "SSN [SSN]"
