"""Hand-written rules, used where a rule is more precise than a trained head.

Each rule has a stable name; when it changes a label the name is recorded on
the turn (``rules``) so that a person reading a score can see why.  Rules only
override or veto; they never invent a label from nothing except the few
unmistakable phrases below ("calm down", emoji-only messages).

The lexical features the heads use live here too, so that a rule and the
feature it mirrors can never drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

# --------------------------------------------------------------------------- text helpers

_WORD = re.compile(r"[a-zA-Z']+")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
STOPWORDS = frozenset(
    """a an the and or but so if of to in on at for with from by is am are was were be been
    being it its it's this that these those i i'm i've i'll me my we our us you your you're he
    she they them their there here what which who whom when where why how do does did done
    have has had not no yes just very really can could would should will shall may might must
    okay ok oh um uh yeah hi hello please thanks thank""".split()  # noqa: SIM905
)


def normalise(text: str) -> str:
    """Lower-case words only: the key that makes two canned lines "the same line"."""
    return " ".join(_WORD.findall(text.lower()))


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def content_words(text: str) -> set[str]:
    return {w for w in words(text) if w not in STOPWORDS and len(w) > 2}


_SENTENCE_SPLIT = re.compile(
    r"(?<=[.!?;])\s+|\n+|,\s+(?=(?:and|but|so|I|I'm|I'll|that|which)\b)"
)


def sentences(text: str) -> list[str]:
    """Clauses long enough to carry a behaviour on their own (the whole text if none)."""
    parts = [p.strip() for p in _SENTENCE_SPLIT.split(text) if p and len(p.split()) >= 2]
    return parts or [text]


def has_letters(text: str) -> bool:
    return bool(_LETTER.search(text))


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# --------------------------------------------------------------------------- customer side

SARCASM = _rx(
    r"\b(?:oh\s+)?(great|perfect|wonderful|fantastic|brilliant|lovely|marvell?ous|awesome)"
    r"\b[\s,.!]*(?:just|simply|really|absolutely)\s+\1\b"
    r"|\b(?:oh|yeah|wow),?\s+(?:great|perfect|wonderful|fantastic|brilliant|lovely|terrific)\b"
    r"(?![^.!?]*\b(?:thank|thanks|appreciate)\b)"
    r"|\bthanks\s+for\s+nothing\b|\byeah,?\s+right\b|\bthanks\s+a\s+(?:lot|bunch)\b[^.!?]*"
    r"(?:not|never|nothing|waste|useless)"
    r"|\bjust\s+what\s+i\s+needed\b|\bjust\s+(?:great|perfect|brilliant|wonderful)\b"
    r"|\bwhat\s+a\s+(?:surprise|joke|treat)\b|\bslow\s+clap\b"
    r"|[\U0001F644\U0001F643\U0001F612]"  # eye-roll, upside-down and unamused faces
    r"|\bwow[.!]+\s+(?:no|ok|okay|great|just|right)\b"
    r"|\bno,?\s+(?:ur|you'?re|you\s+are)\s+(?:doing\s+)?(?:great|brilliant|amazing)\b"
)
NEGATED_POSITIVE = _rx(
    r"\b(?:not|never|n't|hardly|far\s+from)\s+(?:\w+\s+)?"
    r"(?:happy|satisfied|pleased|impressed|good\s+enough|helpful|great|ok|okay|fine|resolved)\b"
    r"|\bno\s+help\b|\bnot\s+(?:at\s+all\s+)?(?:happy|satisfied)\b"
)
# Giving up rather than calming down: "fine. whatever", "I suppose that will have to do".
RESIGNED = _rx(
    r"\bwhatever\b\W*$|^\W*(?:fine|ok(?:ay)?|right|sure)[.!,\s]+(?:whatever|if\s+you\s+say\s+so)"
    r"|\bif\s+you\s+say\s+so\b|\b(?:forget|never\s+mind)\s+it\b|\bdon'?t\s+bother\b"
    r"|\b(?:suppose|guess)\s+(?:it|that|this)(?:'ll|\s+will)\s+have\s+to\s+do\b"
    r"|\bwhat'?s\s+the\s+point\b|\bi\s+give\s+up\b|\bwhy\s+do\s+i\s+bother\b"
)
GRATITUDE = _rx(r"\b(?:thank|thanks|cheers|appreciate|grateful|relieved|brilliant, thank)\b")
HOSTILE = _rx(
    r"\b(?:lawyer|attorney|sue|fraud|scam|theft|steal|stole|thieves|incompetent|useless|"
    r"ridiculous|disgusting|unacceptable|ombudsman|commissioner|complaint|report you|idiots?)\b"
)
REPEAT_CONTACT = _rx(
    r"\b(?:third|fourth|fifth|\d+(?:st|nd|rd|th)|again|already|every time|keep (?:calling|"
    r"telling)|how many times|for weeks|for months|still)\b"
)
WORRY = _rx(r"\b(?:worried|scared|afraid|anxious|nervous|panic|what if|will i|am i going to)\b")
CONFUSED = _rx(r"\b(?:confused|don't understand|do not understand|makes no sense|what does|"
               r"which one|lost me|not sure (?:what|how|which|why))\b")
SAD = _rx(r"\b(?:passed away|died|funeral|lost my|heartbroken|devastated|gutted|disappointed|"
          r"let down|sad|crying)\b")

# the customer apologising for their own outburst: the call ran hot at some point
SELF_APOLOGY = _rx(
    r"\bsorry\b[^.!?]{0,25}\b(?:went off|going off|bit your head off|biting your head off|"
    r"(?:for )?(?:the |my )?(?:rant|ranting|shouting|yelling|snapping|swearing|outburst)|"
    r"(?:was|been|being) (?:a bit |so )?(?:short|rude|snappy|sharp|horrible|angry|off)|"
    r"lost my temper|had a go|took it out on|raised my voice)"
)
# what is at stake for the customer: children, health, heat, a livelihood, being stranded
HIGH_STAKES = _rx(
    r"\b(?:kids?|children|baby|newborn|toddler|son|daughter|pregnant|asthma|hospital|hospice|"
    r"medication|inhaler|oxygen|disabled|elderly|pendant alarm|no heating|no heat|freezing|"
    r"no hot water|no power|no electricity|stranded|stuck in|midnight|no cash|rent|"
    r"evict\w*|bailiffs?|wages|payroll|pay my staff|my business|lose my job|funeral|died|"
    r"passed away|can't afford|cannot afford|food|live on)\b"
)

EMOJI_EMOTION: dict[str, str] = {}
for _chars, _label in (
    ("😡🤬👿💢🖕", "anger"),
    ("😤😒🙄😑😩😫", "frustration"),
    ("😕😵❓🤔😖", "confusion"),
    ("😟😰😨😱😬", "worry"),
    ("😢😭😞😔💔☹🙁", "sadness"),
    ("🙏😊😀😃😄😁🙂👍❤💕🥰😍✅🎉", "satisfaction"),
):
    for _c in _chars:
        EMOJI_EMOTION[_c] = _label


def emoji_emotion(text: str) -> str | None:
    """For messages without a single letter: the emotion their emoji carry, if any."""
    votes: dict[str, int] = {}
    for ch in text:
        label = EMOJI_EMOTION.get(ch)
        if label:
            votes[label] = votes.get(label, 0) + 1
    if not votes:
        return None
    return max(sorted(votes), key=lambda k: votes[k])


CUSTOMER_LEX_NAMES = (
    "caps_ratio",
    "exclaims",
    "questions",
    "sarcasm",
    "negated_positive",
    "gratitude",
    "hostile",
    "repeat_contact",
    "worry",
    "confused",
    "sad",
    "log_len",
)


def customer_lexical(text: str) -> np.ndarray:
    letters = [c for c in text if c.isalpha()]
    caps = sum(c.isupper() for c in letters) / len(letters) if len(letters) >= 8 else 0.0
    n_words = len(words(text))
    return np.array(
        [
            caps,
            min(text.count("!"), 5) / 5,
            min(text.count("?"), 5) / 5,
            float(bool(SARCASM.search(text))),
            float(bool(NEGATED_POSITIVE.search(text))),
            float(bool(GRATITUDE.search(text))),
            float(bool(HOSTILE.search(text))),
            float(bool(REPEAT_CONTACT.search(text))),
            float(bool(WORRY.search(text))),
            float(bool(CONFUSED.search(text))),
            float(bool(SAD.search(text))),
            np.log1p(n_words) / 6,
        ],
        dtype=np.float32,
    )


# --------------------------------------------------------------------------- agent side

REPAIR_SORRY = _rx(
    r"\bsorry\b[\s,?!.-]*(?:(?:could|can|would)\s+you\s+(?:please\s+)?(?:repeat|say)|"
    r"(?:i\s+)?(?:didn't|did not)\s+(?:catch|get|hear)|what\s+was\s+that|come\s+again|"
    r"you\s+(?:cut|broke)\s+(?:out|up)|say\s+(?:that|it)\s+again|one\s+more\s+time|"
    r"the\s+line|i\s+missed|pardon|to\s+interrupt|to\s+keep\s+you\s+waiting|"
    r"for\s+the\s+(?:wait|hold)\b(?=[^.!?]*\b(?:so|now|right)\b)|\?)"
)
REAL_APOLOGY = _rx(
    r"\bapolog|\bsorry\s+(?:for|about|that|to\s+hear|you(?:'ve|\s+have|'re|\s+are|\s+had)|"
    r"this|it|we)|\b(?:so|very|really|truly|terribly|deeply)\s+sorry\b|\bmy\s+apologies\b"
    r"|\bi'?m\s+sorry\b(?![\s,?!.-]*(?:could|can|would|what|i\s+didn't|come|say|pardon|\?))"
)
NEGATED_APOLOGY = _rx(
    r"\b(?:not|won't|will\s+not|no\s+need\s+to|nothing\s+to)\s+(?:going\s+to\s+)?"
    r"(?:apologi[sz]e|be\s+sorry|sorry)\b|\bnot\s+sorry\b"
)
CLOSED_PROCEDURAL = _rx(
    r"^\W*(?:(?:and|so|okay|ok|right|great|thanks?)[\s,]+)*"
    r"(?:can|could|may)\s+(?:i|you)\s+(?:please\s+)?(?:get|have|take|confirm|verify|spell|"
    r"give|read|grab|start\s+with)|"
    r"^\W*(?:(?:and|so|okay|ok|right)[\s,]+)*(?:is|are|was|did|do|does|have|has)\s+"
    r"(?:that|this|it|you|your|the)\b|"
    r"\bwhat(?:'s|\s+is)\s+(?:your|the)\s+(?:account|policy|order|reference|ticket|claim|"
    r"postcode|zip|date\s+of\s+birth|dob|phone|number|email|e-mail|address|name|last\s+four|"
    r"card|serial|model|booking|member)",
)
OPEN_EXPLORE = _rx(
    r"\b(?:how\s+(?:are|is|has|have|did|does|do)\s+(?:you|that|this|it|things)|"
    r"what\s+happened|tell\s+me\s+(?:more|about|what)|walk\s+me\s+through|"
    r"how\s+(?:can|could)\s+i\s+help|what\s+(?:would|matters|worries|concerns)|"
    r"what(?:'s|\s+is)\s+(?:been|worrying|bothering|most)|how\s+(?:is|was)\s+that\s+affecting|"
    r"help\s+me\s+understand|what\s+else|anything\s+else\s+(?:about|going\s+on)|"
    r"how\s+does\s+that|what\s+did\s+you\s+(?:try|notice|see|expect))"
)
CALM_DOWN = _rx(
    r"\bcalm\s+down\b|\b(?:that's|that\s+is|it's|it\s+is)\s+(?:just\s+)?(?:our|the|company)\s+"
    r"policy\b|\bnothing\s+(?:i|we)\s+can\s+do\b|\bnot\s+my\s+(?:problem|department|fault)\b|"
    r"\bno\s+need\s+to\s+(?:get\s+)?(?:upset|worked\s+up|shout|raise)|\byou'?re\s+overreacting\b"
    r"|\bit'?s\s+(?:only|just)\s+(?:a\s+few|\$?\d|one|a\s+small)"
)
# Openings, closings and bare acknowledgements: courtesy, never a dismissal on their own.
_NAME = r"(?-i:[A-Z][\w'-]*)"
COURTESY_CLAUSE = _rx(
    r"^\W*(?:(?:um|uh|er|erm|so|and|okay|ok|right|well|like|oh)[\s,]+)*(?:"
    r"um|uh|er|erm|oh|"
    r"(?:hi|hello|hey|good\s+(?:morning|afternoon|evening))(?:\s+(?:there|" + _NAME + r"))?|"
    r"(?:it's|this\s+is|i'm|my\s+name\s+is|you're\s+through\s+to|you're\s+speaking\s+(?:to|with))"
    r"\s+" + _NAME + r"(?:\s+(?:here|speaking))?|" + _NAME + r"(?:\s+(?:here|speaking))?|"
    r"(?:thanks?|thank\s+you|thx|ty)\s+(?:(?:so|very)\s+much\s+)?for\s+(?:calling|contacting|"
    r"getting\s+in\s+touch(?:\s+with)?|chatting(?:\s+with)?|holding|waiting|your\s+patience)"
    r"(?:\s+" + _NAME + r"){0,3}|"
    r"(?:\w+\s+){0,3}(?:customer\s+(?:care|service|services|support)|support|help\s*desk)|"
    r"(?:how|what)\s+(?:can|may|could)\s+i\s+(?:help|do)(?:\s+(?:you|with))*(?:\s+today)?|"
    r"(?:before\s+you\s+go)|"
    r"(?:is\s+there\s+)?anything\s+else(?:\s+(?:at\s+all|i\s+can\s+(?:help|do)(?:\s+you)?"
    r"(?:\s+with)?|on\s+your\s+mind|for\s+you|you\s+need))*(?:\s+today)?|"
    r"(?:have|enjoy)\s+(?:a|the)\s+(?:great|good|lovely|nice|wonderful)\s+"
    r"(?:day|evening|weekend|one|rest\s+of\s+(?:your|the)\s+(?:day|evening|week))|"
    r"(?:you're|you\s+are)\s+(?:very\s+)?welcome|(?:good)?bye(?:\s+now|\s+bye)?|take\s+care|"
    r"(?:lovely|nice|great)\s+(?:talking|speaking|chatting)\s+(?:to|with)\s+you|"
    r"(?:okay|ok|right|alright|all\s+right|noted|got\s+it|sure|lovely|great|perfect|"
    r"brilliant|thanks|thank\s+you|cheers|no\s+problem|of\s+course|certainly)(?:\s+then)?"
    r")[\s.!?]*$"
)


def courtesy_only(text: str) -> bool:
    """True when every clause is a greeting, a closing, a name or a bare acknowledgement."""
    clauses = [c.strip() for c in re.split(r"[.!?;,]+", text) if c.strip()]
    if len(clauses) == 1 and len(clauses[0].split()) == 1 and re.fullmatch(_NAME, clauses[0]):
        known = COURTESY_CLAUSE.pattern.replace(_NAME, "(?!)")  # a lone word must be a courtesy
        return bool(re.search(known, clauses[0], re.IGNORECASE))
    return bool(clauses) and all(COURTESY_CLAUSE.search(c) for c in clauses)


# Words that take fault away from the customer: "it's not something you did".
EXONERATING = _rx(
    r"\b(?:not|isn't|wasn't|is\s+not|was\s+not)\s+(?:something\s+)?(?:you|your)\s*"
    r"(?:did|fault|doing|could\s+have)|\bnothing\s+you\s+(?:did|could)|"
    r"\b(?:didn't|did\s+not|doesn't|does\s+not)\s+come\s+from\s+you|"
    r"\bnot\s+(?:on|down\s+to)\s+you\b|\byou(?:'ve|\s+have)\s+done\s+nothing\s+wrong|"
    r"\byou(?:'re|\s+are)\s+(?:free|welcome|entitled)\s+to\b|\bthrough\s+no\s+fault"
)

# Naming the customer's feeling outright: acknowledgement, even when it is a script line.
EXPLICIT_ACKNOWLEDGEMENT = _rx(
    r"\bi\s+(?:do\s+|completely\s+|totally\s+|fully\s+|really\s+|can\s+)?understand\s+"
    r"(?:your\s+(?:frustration|concerns?|worry|worries|anger|upset|disappointment|annoyance|"
    r"distress|stress)|how\s+(?:you\s+(?:feel|must\s+feel)|(?:frustrating|upsetting|worrying|"
    r"stressful|annoying|difficult|hard|distressing)\s+(?:this|that|it)))"
    r"|\bi\s+(?:can\s+)?hear\s+(?:how|that\s+you'?re)\s+(?:frustrated|upset|worried|angry|"
    r"annoyed|stressed)"
)
EMPATHY_WORDS = _rx(
    r"\b(?:understand|hear\s+(?:you|how|that)|frustrat|upset|stress|worr|annoy|"
    r"difficult|awful|terrible|must\s+(?:be|have|feel)|sounds\s+(?:like|really|so|awful)|"
    r"i\s+can\s+(?:see|imagine|tell)|completely\s+(?:fair|understandable|reasonable)|"
    r"makes\s+sense|anyone\s+would|right\s+to\s+(?:be|expect)|fair\s+enough)\b"
)
OWNERSHIP_WORDS = _rx(
    r"\b(?:i'll|i\s+will|i'm\s+going\s+to|let\s+me|i\s+(?:have|'ve)\s+(?:just\s+)?(?:raised|"
    r"logged|escalated|put|sent|booked|refunded|credited|reversed|fixed|arranged|added|"
    r"applied|cancelled|removed|updated)|i\s+personally|i'm\s+taking|leave\s+it\s+with\s+me)\b"
)
EXPECTATION_WORDS = _rx(
    r"\b(?:within|by\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|"
    r"tonight|the\s+end|end\s+of|close|noon|\d)|in\s+the\s+next|working\s+days?|business\s+days?|"
    r"hours?|minutes?|you'll\s+(?:get|receive|see|hear)|you\s+will\s+(?:get|receive|see|hear)|"
    r"next\s+step|what\s+happens\s+(?:now|next)|expect|should\s+(?:arrive|see|show|land|come))\b"
)
BLAME_WORDS = _rx(
    r"\byou\s+(?:should\s+have|shouldn't\s+have|should've|didn't|did\s+not|failed\s+to|"
    r"forgot|were\s+supposed\s+to|must\s+have|need(?:ed)?\s+to\s+read)|"
    r"\b(?:your|you're\s+the\s+one's)\s+(?:own\s+)?(?:fault|mistake|responsibility|error)|"
    r"\bif\s+you\s+had\s+(?:read|checked|paid|called|followed)"
)
REFLECT_OPENERS = _rx(
    r"\b(?:so\s+(?:what\s+)?(?:you're\s+saying|if\s+i|just\s+to|to\s+make\s+sure|it\s+sounds)|"
    r"just\s+(?:so\s+i|to)\s+(?:make\s+sure|check|confirm|be\s+clear|have\s+it\s+right)|"
    r"if\s+i'?ve\s+(?:got|understood)|let\s+me\s+make\s+sure|so\s+the\s+issue\s+is|"
    r"am\s+i\s+right\s+that|so\s+to\s+recap|in\s+other\s+words|what\s+i'm\s+hearing)"
)

AGENT_LEX_NAMES = (
    "question",
    "repair_sorry",
    "real_apology",
    "negated_apology",
    "closed_procedural",
    "open_explore",
    "calm_down",
    "empathy_words",
    "ownership_words",
    "expectation_words",
    "blame_words",
    "reflect_openers",
    "context_overlap",
    "context_question",
    "log_len",
)


def context_overlap(text: str, context: str | None) -> float:
    """Share of the context's content words the agent reflects back (paraphrase signal)."""
    if not context:
        return 0.0
    ctx = content_words(context)
    if not ctx:
        return 0.0
    return len(ctx & content_words(text)) / len(ctx)


def agent_lexical(text: str, context: str | None) -> np.ndarray:
    return np.array(
        [
            float("?" in text),
            float(bool(REPAIR_SORRY.search(text))),
            float(bool(REAL_APOLOGY.search(text))),
            float(bool(NEGATED_APOLOGY.search(text))),
            float(bool(CLOSED_PROCEDURAL.search(text))),
            float(bool(OPEN_EXPLORE.search(text))),
            float(bool(CALM_DOWN.search(text))),
            float(bool(EMPATHY_WORDS.search(text))),
            float(bool(OWNERSHIP_WORDS.search(text))),
            float(bool(EXPECTATION_WORDS.search(text))),
            float(bool(BLAME_WORDS.search(text))),
            float(bool(REFLECT_OPENERS.search(text))),
            context_overlap(text, context),
            float(bool(context and "?" in context)),
            np.log1p(len(words(text))) / 6,
        ],
        dtype=np.float32,
    )


# --------------------------------------------------------------------------- the rules

NEGATIVE_EMOTIONS = ("anger", "frustration", "confusion", "worry", "sadness")


@dataclass(frozen=True, slots=True)
class RuleHit:
    name: str
    words: str


def _first(rx: re.Pattern[str], text: str) -> str:
    m = rx.search(text)
    return m.group(0).strip() if m else ""


def customer_rules(text: str, probs: dict[str, float]) -> tuple[str | None, list[RuleHit]]:
    """A forced emotion (or None to keep the head's) and the rules that fired."""
    hits: list[RuleHit] = []
    if not has_letters(text):
        label = emoji_emotion(text)
        hits.append(RuleHit("emotion.no_words", text.strip()[:40]))
        return (label or "neutral"), hits
    best = max(probs, key=lambda k: probs[k])
    negative = max(NEGATIVE_EMOTIONS, key=lambda k: probs.get(k, 0.0))
    if best == "satisfaction" and SARCASM.search(text):
        hits.append(RuleHit("emotion.sarcasm", _first(SARCASM, text)))
        forced = "anger" if probs.get("anger", 0) > probs.get("frustration", 0) else "frustration"
        return forced, hits
    if best == "satisfaction" and NEGATED_POSITIVE.search(text):
        hits.append(RuleHit("emotion.negated_positive", _first(NEGATED_POSITIVE, text)))
        return negative, hits
    if best in ("neutral", "satisfaction") and RESIGNED.search(text):
        hits.append(RuleHit("emotion.resigned", _first(RESIGNED, text)))
        return "frustration", hits
    return None, hits


# "I'm sorry you feel that way": regret aimed at the customer's reaction, not at what
# happened. It apologises for nothing and closes the subject, so it is a dismissal.
NON_APOLOGY = _rx(
    r"\bsorry\s+(?:that\s+|if\s+)?you\s+(?:feel|felt|see|think|thought|believe|took|take)\s+"
    r"(?:that|it|this|so|like that|that way|it that way|this way)\b|"
    r"\bsorry\s+if\s+you\s+(?:were|are|feel|felt)\s+(?:offended|upset)\b"
)


# saying outright that the customer's reaction or expectation is reasonable
VALIDATING = _rx(
    r"\b(?:you're|you\s+are|ur|you\s+were)\s+(?:absolutely\s+|completely\s+|quite\s+)?right\b|"
    r"\banyone\s+would\b|\bfair\s+(?:question|point|enough|reaction)\b|"
    r"\b(?:completely|totally|perfectly)\s+(?:understandable|reasonable|fair)\b|"
    r"\bi'?d\s+(?:feel|be)\s+the\s+same\b|\bnot\s+your\s+fault\b|\bnothing\s+(?:you|u)\s+did\b"
)


def agent_rules(text: str, labels: set[str]) -> tuple[set[str], list[RuleHit]]:
    """The behaviours after vetoes and the few certain additions, and the rules that fired."""
    hits: list[RuleHit] = []
    out = set(labels)
    if "apologize" in out:
        # "there's no need to apologise" speaks to the customer's apology: an apology
        # elsewhere in the turn ("I'm so sorry about your dad") still stands
        if NEGATED_APOLOGY.search(text) and not REAL_APOLOGY.search(NEGATED_APOLOGY.sub(" ", text)):
            out.discard("apologize")
            hits.append(RuleHit("apology.negated", _first(NEGATED_APOLOGY, text)))
        elif REPAIR_SORRY.search(text) and not REAL_APOLOGY.search(
            REPAIR_SORRY.sub(" ", text)
        ):
            out.discard("apologize")
            hits.append(RuleHit("apology.repair_request", _first(REPAIR_SORRY, text)))
    if NON_APOLOGY.search(text):
        # nor does it name the feeling: "feel that way" is not acknowledgement either
        # (a real "I understand your frustration" in the same turn is added back below)
        fixed = (out - {"apologize", "acknowledge_emotion"}) | {"dismissive"}
        if fixed != out:
            out = fixed
            hits.append(RuleHit("apology.non_apology", _first(NON_APOLOGY, text)))
    if "explore" in out and CLOSED_PROCEDURAL.search(text) and not OPEN_EXPLORE.search(text):
        out.discard("explore")
        hits.append(RuleHit("explore.closed_procedural", _first(CLOSED_PROCEDURAL, text)))
    if "acknowledge_emotion" not in out and EXPLICIT_ACKNOWLEDGEMENT.search(text):
        out.add("acknowledge_emotion")
        hits.append(RuleHit("acknowledge.explicit", _first(EXPLICIT_ACKNOWLEDGEMENT, text)))
    if "validate" not in out and VALIDATING.search(text):
        out.add("validate")
        hits.append(RuleHit("validate.explicit", _first(VALIDATING, text)))
    if "dismissive" not in out and CALM_DOWN.search(text):
        out.add("dismissive")
        hits.append(RuleHit("dismissive.phrase", _first(CALM_DOWN, text)))
    elif "dismissive" in out and not CALM_DOWN.search(text) and courtesy_only(text):
        out.discard("dismissive")
        hits.append(RuleHit("dismissive.courtesy", text.strip()[:60]))
    if "blame" in out and EXONERATING.search(text) and not BLAME_WORDS.search(text):
        out.discard("blame")
        hits.append(RuleHit("blame.exonerating", _first(EXONERATING, text)))
    return out, hits
