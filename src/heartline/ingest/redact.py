"""Replace personal data in free text with typed tokens before anything is stored.

``redact(text)`` finds, in this order:

* ``[EMAIL]`` e-mail addresses (``jo.bloggs+bills@example.co.uk``);
* ``[IBAN]`` international bank account numbers, with or without spaces, checked
  against the country's IBAN length and the ISO 13616 mod-97 check digits;
* ``[CARD]`` payment card numbers of 13–19 digits, written together or in groups
  separated by spaces or dashes (any grouping: speech recognisers often split
  spoken digits into odd groups), that pass the Luhn check;
* ``[SSN]`` US social security numbers written ``123-45-6789`` or ``123 45 6789``
  (area 000, 666 and 900–999, group 00 and serial 0000 are never issued, so they
  are left alone), and nine bare digits right after "SSN" / "social security";
* ``[PHONE]`` phone numbers: North American ``(555) 123-4567``, ``555-123-4567``,
  ``555.123.4567``, ``1-800-555-0199``, ``+1 555 123 4567``; international
  numbers written with a ``+`` and 8–15 digits (``+44 20 7946 0958``,
  ``+447700900123``); UK national numbers with spaces (``020 7946 0958``,
  ``07700 900123``) and UK mobiles written together (``07700900123``); French
  pairs (``01 23 45 67 89``); and ten or eleven bare digits right after a phone
  word ("call me on", "my number is", "mobile").

Decisions worth knowing:

* A 13–19 digit number that fails the Luhn check is **not** a card: it is kept.
  In contact-center text such numbers are account, tracking or reference numbers
  that coaching and QA need to read, and ``[CARD]`` promises a card.
* Short numbers stay: amounts (``$1,234.56``), dates, times, order numbers
  ("order 48213") and the last four digits of a card ("card ending 4432").
* Spoken-out digits ("four one one one ...") and spelled e-mails ("jo at example
  dot com") are not recognised.

``redact`` is idempotent (it repeats until nothing changes; tokens hold no digit
and no ``@``) and fast: text
without a digit or an ``@`` is returned after one regex probe, and every pattern
only runs when the text holds enough digits for it to match.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields

from heartline.domain import Interaction

__all__ = ["RedactionStats", "iban_ok", "luhn_ok", "redact", "redact_interaction"]

CARD = "[CARD]"
SSN = "[SSN]"
EMAIL = "[EMAIL]"
PHONE = "[PHONE]"
IBAN = "[IBAN]"


@dataclass(slots=True)
class RedactionStats:
    """How many items of each kind were replaced (accumulates over many calls)."""

    card: int = 0
    ssn: int = 0
    email: int = 0
    phone: int = 0
    iban: int = 0

    @property
    def total(self) -> int:
        return self.card + self.ssn + self.email + self.phone + self.iban

    def add(self, other: RedactionStats) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


# --------------------------------------------------------------------------- checks


def luhn_ok(digits: str) -> bool:
    """The Luhn (mod 10) check used by payment card numbers."""
    total = 0
    for pos, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if pos & 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


#: IBAN length by country (ISO 13616 registry).
_IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22,
    "BH": 22, "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24,
    "DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18,
    "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27,
    "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
    "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27,
    "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28,
    "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
    "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip


def iban_ok(iban: str) -> bool:
    """Mod-97 check of an IBAN written without spaces (letters in either case)."""
    s = iban.upper()
    if len(s) < 15 or not s.isalnum() or not s.isascii():
        return False
    moved = s[4:] + s[:4]
    number = "".join(str(int(ch, 36)) for ch in moved)
    return int(number) % 97 == 1


def _ssn_ok(area: str, group: str, serial: str) -> bool:
    return area != "000" and area != "666" and area[0] != "9" and group != "00" and serial != "0000"


# --------------------------------------------------------------------------- patterns

_TRIGGER = re.compile(r"[0-9@]")
_DIGIT_GROUP = re.compile(r"[0-9]+")

_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+\-])"
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-][A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-]{0,63}"
    r"@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.){1,8}"
    r"[A-Za-z]{2,24}"
    r"(?![A-Za-z0-9\-])"
)

# Two letters and two check digits, then the rest of the account (spaces or
# dashes allowed between characters); the country's length decides where it ends.
_IBAN_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?:[ \-]?[A-Za-z0-9]){11,32}")

# Digit groups separated by one or two spaces or a dash (with optional spaces).
_CARD_RUN_RE = re.compile(
    r"(?<![0-9A-Za-z+])(?<![0-9][.,])"
    r"[0-9]+(?:(?:[ \u00a0]{1,2}|[ \u00a0]?[\-\u2010-\u2013][ \u00a0]?)[0-9]+)*"
)

_NUM_END = r"(?![0-9A-Za-z])(?![.,/\-][0-9])"
_NUM_START = r"(?<![0-9A-Za-z+\-])(?<![0-9][.,/])"

_SSN_RE = re.compile(_NUM_START + r"([0-9]{3})([ \-])([0-9]{2})\2([0-9]{4})" + _NUM_END)
# Nine bare digits count as an SSN only right after the words that name one.
_BARE9_RE = re.compile(r"(?<![0-9])([0-9]{3})([0-9]{2})([0-9]{4})(?![0-9])")
_SSN_WORD_RE = re.compile(
    r"(?i)\b(?:ssn|social\s+security(?:\s+(?:number|no\.?|#))?|social)\b[^0-9\n]{0,20}$"
)

_PHONE_RE = re.compile(
    _NUM_START + r"(?:"
    # international with a plus: country code, then groups with a separator each
    r"\+[1-9][0-9]{0,2}(?:[ .\-](?:\([0-9]{1,4}\) ?)?[0-9]{1,8}){1,6}"
    r"|\+[1-9][0-9]{7,14}"
    # North American
    r"|(?:1[ .\-]?)?(?:\([0-9]{3}\)[ .\-]?|[0-9]{3}[ .\-])[0-9]{3}[ .\-][0-9]{4}"
    # UK national with spaces or dashes, UK mobile written together
    r"|0[1-9][0-9]{1,4}(?:[ \-][0-9]{3,7}){1,2}"
    r"|07[0-9]{9}"
    # French pairs
    r"|0[1-9](?:[ .][0-9]{2}){4}"
    r")" + _NUM_END
)

# Ten (or 1 + ten) bare digits count as a phone number only after a phone word.
_BARE10_RE = re.compile(r"(?<![0-9])\+?1?[0-9]{10}(?![0-9])")
_PHONE_WORD_RE = re.compile(
    r"(?i)\b(?:phone|mobile|cell(?:phone)?|telephone|tel|landline|fax|whatsapp"
    r"|call(?:\s+me)?|text(?:\s+me)?|reach(?:\s+me)?"
    r"|(?:my|your|his|her|home|work|callback|contact|cell|phone)\s+(?:number|no\.?|#))\b"
    r"[^0-9\n]{0,15}$"
)

#: How far before a bare number its naming words may start.
_WORD_WINDOW = 48


def _named(word_re: re.Pattern[str], text: str, start: int) -> bool:
    """True when ``word_re`` (anchored with ``$``) matches just before ``start``."""
    return word_re.search(text, max(0, start - _WORD_WINDOW), start) is not None


# --------------------------------------------------------------------------- finders
# Each finder returns the spans (start, end) to replace, in order, not overlapping.

Span = tuple[int, int]


def _email_spans(text: str) -> list[Span]:
    return [m.span() for m in _EMAIL_RE.finditer(text)]


def _iban_spans(text: str) -> list[Span]:
    out: list[Span] = []
    pos = 0
    while True:
        m = _IBAN_RE.search(text, pos)
        if m is None:
            return out
        span = _iban_in(text, m)
        if span is None:
            pos = m.start() + 1
        else:
            out.append(span)
            pos = span[1]


def _iban_in(text: str, m: re.Match[str]) -> Span | None:
    start = m.start()
    country = text[start : start + 2].upper()
    known = _IBAN_LENGTHS.get(country)
    lengths = (known,) if known else tuple(range(34, 14, -1))
    # positions in text of each alphanumeric character of the candidate
    positions = [i for i in range(start, m.end()) if text[i].isalnum()]
    for length in lengths:
        if len(positions) < length:
            continue
        end = positions[length - 1] + 1
        if end < len(text) and text[end].isalnum():
            continue  # the account would end inside a word or number
        compact = "".join(text[i] for i in positions[:length])
        if iban_ok(compact):
            return (start, end)
    return None


def _card_spans(text: str) -> list[Span]:
    out: list[Span] = []
    for run in _CARD_RUN_RE.finditer(text):
        if run.end() - run.start() < 13:
            continue
        groups = [
            (g.start() + run.start(), g.end() + run.start())
            for g in _DIGIT_GROUP.finditer(run.group())
        ]
        out.extend(_cards_in_groups(text, groups))
    return out


def _cards_in_groups(text: str, groups: list[Span]) -> list[Span]:
    """Luhn-valid windows of whole groups holding 13–19 digits, longest first, no overlaps."""
    sizes = [e - s for s, e in groups]
    if sum(sizes) < 13:
        return []
    windows: list[tuple[int, int, int]] = []  # (-digits, first group, last group)
    n = len(groups)
    for i in range(n):
        total = 0
        for j in range(i, n):
            total += sizes[j]
            if total > 19:
                break
            if total >= 13:
                digits = "".join(text[s:e] for s, e in groups[i : j + 1])
                if luhn_ok(digits):
                    windows.append((-total, i, j))
    if not windows:
        return []
    windows.sort()
    taken = [False] * n
    chosen: list[Span] = []
    for _neg, i, j in windows:
        if any(taken[i : j + 1]):
            continue
        for k in range(i, j + 1):
            taken[k] = True
        chosen.append((groups[i][0], groups[j][1]))
    chosen.sort()
    return chosen


def _ssn_spans(text: str) -> list[Span]:
    out = [m.span() for m in _SSN_RE.finditer(text) if _ssn_ok(m[1], m[3], m[4])]
    out.extend(
        m.span()
        for m in _BARE9_RE.finditer(text)
        if _ssn_ok(m[1], m[2], m[3]) and _named(_SSN_WORD_RE, text, m.start())
    )
    return _merge(out)


def _phone_spans(text: str) -> list[Span]:
    out: list[Span] = []
    for m in _PHONE_RE.finditer(text):
        found = m.group()
        digits = sum(ch.isdigit() for ch in found)
        if found[0] == "+":
            ok = 8 <= digits <= 15  # E.164 allows at most 15 digits
        elif found[0] == "0":
            ok = 10 <= digits <= 11  # UK and French national numbers
        else:
            ok = True  # North American shapes are fixed by the pattern
        if ok:
            out.append(m.span())
    out.extend(
        m.span() for m in _BARE10_RE.finditer(text) if _named(_PHONE_WORD_RE, text, m.start())
    )
    return _merge(out)


def _merge(spans: list[Span]) -> list[Span]:
    """Sorted spans with overlapping ones joined."""
    if len(spans) < 2:
        return spans
    spans = sorted(spans)
    out = [spans[0]]
    for s, e in spans[1:]:
        ls, le = out[-1]
        if s < le:
            out[-1] = (ls, max(le, e))
        else:
            out.append((s, e))
    return out


def _replace(text: str, spans: list[Span], token: str) -> str:
    parts: list[str] = []
    pos = 0
    for s, e in spans:
        parts.append(text[pos:s])
        parts.append(token)
        pos = e
    parts.append(text[pos:])
    return "".join(parts)


_Finder = Callable[[str], list[Span]]

#: (finder, token, stats field, fewest digits the pattern needs), applied in this order.
_STEPS: tuple[tuple[_Finder, str, str, int], ...] = (
    (_iban_spans, IBAN, "iban", 8),
    (_card_spans, CARD, "card", 13),
    (_ssn_spans, SSN, "ssn", 9),
    (_phone_spans, PHONE, "phone", 8),
)


def _count_digits(text: str) -> int:
    return len(text) - len(text.translate(_NO_DIGITS))


_NO_DIGITS = str.maketrans("", "", "0123456789")


# --------------------------------------------------------------------------- API


def redact(text: str, stats: RedactionStats | None = None) -> str:
    """``text`` with cards, SSNs, e-mails, phone numbers and IBANs replaced by tokens.

    When ``stats`` is given, the number of replacements of each kind is added to it.
    """
    if not text or _TRIGGER.search(text) is None:
        return text
    # Replacing one item can expose a neighbour that touched it (two numbers
    # written without a space between them), so go again until nothing changes.
    # Every pass that changes something removes digits or an "@", so this ends.
    while True:
        before = text
        text = _one_pass(text, stats)
        if text == before:
            return text


def _one_pass(text: str, stats: RedactionStats | None) -> str:
    if "@" in text:
        spans = _email_spans(text)
        if spans:
            text = _replace(text, spans, EMAIL)
            if stats is not None:
                stats.email += len(spans)
    digits = _count_digits(text)
    for finder, token, kind, needs in _STEPS:
        if digits < needs:
            continue
        spans = finder(text)
        if spans:
            text = _replace(text, spans, token)
            if stats is not None:
                setattr(stats, kind, getattr(stats, kind) + len(spans))
            digits = _count_digits(text)
    return text


def redact_interaction(
    interaction: Interaction, stats: RedactionStats | None = None
) -> Interaction:
    """A copy of ``interaction`` with every turn's text and the survey comment redacted.

    The original is not changed.  ``stats``, when given, accumulates the counts.
    """
    turns = []
    for t in interaction.turns:
        clean = redact(t.text, stats)
        # Turns are immutable in practice: share the unchanged ones, copy the rest.
        turns.append(t if clean == t.text else t.model_copy(update={"text": clean}))
    update: dict[str, object] = {"turns": turns}
    if interaction.survey is not None and interaction.survey.comment:
        comment = interaction.survey.comment
        clean_comment = redact(comment, stats)
        if clean_comment != comment:
            update["survey"] = interaction.survey.model_copy(update={"comment": clean_comment})
    return interaction.model_copy(update=update)
