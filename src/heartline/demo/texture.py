"""Make clean lines sound spoken (voice) or typed (chat).

Voice transcripts get fillers ("um", "uh"), false starts ("I- I") and the odd
repeated word; chat lines get lowercase, dropped apostrophes and punctuation,
short forms and a typo now and then.  Agents are cleaner than customers.
"""

from __future__ import annotations

import random
import re

FILLERS = ("um,", "uh,", "er,", "so,", "like,", "you know,", "well,")
CHAT_SHORT = (
    (re.compile(r"\byou\b"), "u"),
    (re.compile(r"\bplease\b"), "pls"),
    (re.compile(r"\bthanks\b"), "thx"),
    (re.compile(r"\bbecause\b"), "cos"),
    (re.compile(r"\bokay\b"), "ok"),
    (re.compile(r"\bI don't know\b"), "idk"),
)


def voice(text: str, rng: random.Random, rate: float) -> str:
    """Spoken texture: ``rate`` is the chance of each kind of disfluency (0..1)."""
    words = text.split(" ")
    if len(words) < 3:
        return text
    if rng.random() < rate * 0.6:
        i = rng.randrange(min(len(words), 6))
        w = words[i]
        if w[:1].isalpha() and len(w) > 1:
            words[i] = f"{w.rstrip(',.?!')}- {w}" if rng.random() < 0.5 else f"{w} {w}"
    if rng.random() < rate:
        filler = rng.choice(FILLERS)
        words[0] = f"{filler.capitalize()} {_lower_first(words[0])}"
    if rng.random() < rate * 0.5 and len(words) > 6:
        i = rng.randrange(2, len(words) - 2)
        if not words[i - 1].endswith((",", ".", "?", "!")):
            words.insert(i, rng.choice(("um", "uh", "like", "sort of")))
    return " ".join(words)


#: Habits of speech; each customer has one or two and uses them now and then.
HABITS = (
    ("Honestly, ", ""), ("", ", to be honest"), ("", ", mate"), ("", ", love"), ("Look, ", ""),
    ("I mean, ", ""), ("", ", you know"), ("To be fair, ", ""), ("Basically, ", ""),
    ("", ", like"), ("Right, so ", ""), ("", ", if that makes sense"), ("See, ", ""),
    ("", ", I suppose"), ("", ", really"), ("Thing is, ", ""),
)


def habit(text: str, pair: tuple[str, str]) -> str:
    """Put a speech habit at the start (``pair[0]``) or before the final punctuation (``pair[1]``)."""
    head, tail = pair
    if head:
        return head + _lower_first(text)
    stripped = text.rstrip(".!?")
    end = text[len(stripped):]
    if not end or len(stripped.split()) < 3 or stripped.endswith(","):
        return text
    first_sentence_end = max(stripped.rfind(". "), stripped.rfind("? "), stripped.rfind("! "))
    if first_sentence_end != -1 and first_sentence_end > len(stripped) - 12:
        return text
    return stripped + tail + end


def chat(text: str, rng: random.Random, sloppiness: float) -> str:
    """Typed texture: ``sloppiness`` 0..1 scales lowercase, short forms and typos."""
    out = text
    if rng.random() < sloppiness:
        out = out.lower()
    if rng.random() < sloppiness * 0.7:
        out = out.replace("'", "")
    if rng.random() < sloppiness * 0.5:
        for pattern, short in CHAT_SHORT:
            out = pattern.sub(short, out)
    if rng.random() < sloppiness * 0.6:
        out = out.rstrip(".")
    if rng.random() < sloppiness * 0.45:
        out = _typo(out, rng)
    return out


def _typo(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
    if not candidates:
        return text
    i = rng.choice(candidates)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    kind = rng.random()
    if kind < 0.5:
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]  # swapped letters
    elif kind < 0.8:
        w = w[:j] + w[j + 1 :]  # dropped letter
    else:
        w = w[:j] + w[j] + w[j:]  # doubled letter
    words[i] = w
    return " ".join(words)


def _lower_first(word: str) -> str:
    if word.startswith("I") and (len(word) == 1 or not word[1].isalpha()):
        return word  # "I", "I'm", "I've" keep their capital
    return word[:1].lower() + word[1:]
