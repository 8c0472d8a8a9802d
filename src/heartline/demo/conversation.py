"""One contact, turn by turn: the agent's style moves the customer's emotion.

The customer carries a *distress* level, from -1 (delighted) through 0
(neutral) to 1 (as upset as it gets), and a negative emotion type (anger,
frustration, worry, sadness, confusion).  Every agent turn is built from
behaviours (acknowledge, validate, apologise, own, set expectations... or
dismiss and blame); each behaviour pushes the distress down or up, and the
customer's next words are picked for the band they are now in and for what the
agent just did.  Holds and transfers add to the distress.  The result is a
:class:`CallScript`: the lines, what each line means (ground truth), and the
outcome (fixed, callback, unresolved, escalated).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from heartline.demo import lines as L
from heartline.demo import texture
from heartline.demo.people import AgentProfile
from heartline.demo.scenarios import (
    MONTHS,
    ORDINALS,
    WEEKDAYS,
    Customer,
    Scenario,
    facts,
    pick_emotion,
)

# How much each behaviour lowers the customer's distress (negative: raises it).
EFFECT: dict[str, float] = {
    "acknowledge_emotion": 0.22,
    "validate": 0.12,
    "apologize": 0.10,
    "ownership": 0.20,
    "explore": 0.08,
    "paraphrase": 0.08,
    "set_expectations": 0.22,
    "blame": -0.40,
    "dismissive": -0.35,
}
CANNED_FIRST = 0.03
CANNED_AGAIN = -0.14
MISSED_CUE = -0.09
FIXED = 0.42
VAGUE = 0.08
UNRESOLVED = -0.12

COMPETENCE = {"warm": 1.0, "steady": 0.95, "robotic": 0.8, "brusque": 0.72, "trainee": 0.6}
ACW_FACTOR = {"warm": 1.1, "steady": 1.0, "robotic": 0.6, "brusque": 0.5, "trainee": 1.6}


@dataclass(slots=True)
class Line:
    """One turn before it gets its times: who, what, and what it means."""

    speaker: str
    text: str
    emotion: str | None = None
    intensity: float = 0.0
    behaviours: tuple[str, ...] = ()
    canned: bool = False
    pause_ms: int = 0
    interrupts: bool = False


@dataclass(slots=True)
class CallScript:
    """A written contact: lines plus the outcome and what happened in it."""

    scenario: Scenario
    emotion: str
    lines: list[Line]
    start_distress: float
    end_distress: float
    disposition: str
    hold_seconds: float
    transfers: int
    acw_seconds: float
    attempt: int
    canned_count: int
    missed_cues: int
    harsh_turns: int
    empathy_turns: int
    facts: dict[str, str] = field(repr=False, default_factory=dict)


def band(distress: float) -> str:
    if distress >= 0.65:
        return "strong"
    if distress >= 0.3:
        return "mild"
    if distress >= -0.15:
        return "neutral"
    return "satisfied"


def label(distress: float, emotion: str) -> tuple[str, float]:
    """The DESIGN.md emotion label and intensity for a distress level."""
    b = band(distress)
    if b in ("strong", "mild"):
        return emotion, round(min(1.0, distress), 2)
    if b == "neutral":
        return "neutral", round(max(0.0, distress) * 0.5, 2)
    return "satisfaction", round(min(1.0, -distress + 0.2), 2)


class CallWriter:
    """Writes one contact.  Create one per contact; call :meth:`write` once."""

    def __init__(
        self,
        rng: random.Random,
        *,
        scenario: Scenario,
        profile: AgentProfile,
        customer: Customer,
        day: date,
        progress: float,
        channel: str,
        attempt: int = 1,
        prev_day: str | None = None,
        emotion: str | None = None,
    ) -> None:
        self.rng = rng
        self.sc = scenario
        self.p = profile
        self.cust = customer
        self.channel = channel
        self.voice = channel == "voice"
        self.progress = progress
        self.style = profile.style
        self.care = profile.care_at(progress)
        self.harsh = profile.harshness
        self.attempt = attempt
        self.slots = facts(rng, day, customer, profile.name.split(" ")[0])
        dob_year = rng.randint(1940, 2004)
        self.slots.update(
            last=customer.last,
            dob=f"{ORDINALS_DAY[rng.randint(1, 28)]} of {MONTHS[rng.randrange(12)]} {dob_year}",
            postcode=_postcode(rng),
            nth=ORDINALS[min(attempt, len(ORDINALS) - 1)],
            Nth=ORDINALS[min(attempt, len(ORDINALS) - 1)].capitalize(),
            prev_day=prev_day or WEEKDAYS[rng.randrange(7)],
        )
        self.emotion = emotion or pick_emotion(rng, scenario)
        self.lines: list[Line] = []
        self.hold = 0.0
        self.transfers = 0
        self.canned = 0
        self.missed = 0
        self.harsh_turns = 0
        self.empathy_turns = 0
        self.disposition = "resolved"
        self._said: set[str] = set()
        self._pending_pause = 0
        self._hold_back = ""
        if scenario.heavy:
            d = rng.uniform(0.55, 0.92)
        elif self.emotion == "neutral":
            d = rng.uniform(-0.05, 0.15)
        else:
            d = rng.uniform(0.3, 0.45)
        if attempt > 1:
            d = min(1.0, d + 0.12 * (attempt - 1) + 0.05)
            if self.emotion in ("confusion", "sadness") and rng.random() < 0.5:
                self.emotion = "frustration"
        self.d = d
        self.start_d = d
        self.sloppy = rng.uniform(0.15, 0.85)
        self.habits = rng.sample(texture.HABITS, 2)
        self.habit_rate = rng.uniform(0.05, 0.3)
        self.disfluency = rng.uniform(0.2, 0.5)
        if self.style == "trainee":
            self.agent_disfluency = 0.45 - 0.3 * progress
        else:
            self.agent_disfluency = {"warm": 0.1, "steady": 0.12, "robotic": 0.0, "brusque": 0.08}[
                self.style
            ]

    # ------------------------------------------------------------ helpers

    def fmt(self, template: str) -> str:
        return template.format_map(self.slots)

    def pick(self, bank: tuple[str, ...]) -> str:
        """A line from ``bank``, avoiding one already said in this contact where possible."""
        line = self.rng.choice(bank)
        tries = 0
        while line in self._said and tries < 4 and len(bank) > 1:
            line = self.rng.choice(bank)
            tries += 1
        self._said.add(line)
        return line

    def choice(self, bank: tuple[str, ...]) -> str:
        return self.fmt(self.pick(bank))

    def shift(self, delta: float) -> None:
        """Lower distress by ``delta`` (raise it when negative), with a little noise."""
        self.d = max(-1.0, min(1.0, self.d - delta + self.rng.gauss(0, 0.04)))
        if self.emotion == "neutral" and self.d >= 0.3:
            self.emotion = "frustration"  # a calm customer who is being let down

    def agent(self, parts: list[str], behaviours: list[str], *, canned: bool = False,
              pause_ms: int = 0) -> None:
        text = " ".join(p for p in parts if p)
        if not canned and self.style != "robotic":
            text = self._texture(text, self.agent_disfluency, 0.04)
        self.lines.append(
            Line("agent", text, behaviours=tuple(dict.fromkeys(behaviours)), canned=canned,
                 pause_ms=pause_ms)
        )

    def customer(self, parts: list[str], *, pause_ms: int = 0, interrupts: bool = False,
                 plain: bool = False, impatient: bool = False) -> None:
        """A customer turn.

        ``plain`` lines (an answer to a security question, "okay" to a hold) carry no
        feeling in their words, so they are labelled neutral whatever the customer
        feels; ``impatient`` plain lines ("Yes. Can we get on with it?") read as
        mild frustration.
        """
        text = " ".join(p for p in parts if p)
        emo, intensity = label(self.d, self.emotion)
        if plain:
            upset = band(self.d) in ("strong", "mild")
            if impatient and upset:
                emo, intensity = "frustration", round(min(intensity, 0.5), 2)
            else:
                emo, intensity = "neutral", 0.1
        rate = self.disfluency + (0.15 if band(self.d) == "strong" else 0.0)
        if self.rng.random() < self.habit_rate:
            text = texture.habit(text, self.rng.choice(self.habits))
        text = self._texture(text, rate, self.sloppy)
        self.lines.append(
            Line("customer", text, emotion=emo, intensity=intensity, pause_ms=pause_ms,
                 interrupts=interrupts)
        )

    def _texture(self, text: str, disfluency: float, sloppiness: float) -> str:
        if self.voice:
            return texture.voice(text, self.rng, disfluency)
        return texture.chat(text, self.rng, sloppiness)

    def p_(self, probability: float) -> bool:
        return self.rng.random() < probability

    # ------------------------------------------------------------ agent moves

    def empathy(self, beat: str) -> tuple[list[str], list[str]]:
        """The empathic (or not) opening of an agent turn answering an emotional customer."""
        parts: list[str] = []
        beh: list[str] = []
        emo = self.emotion if self.emotion in L.ACKNOWLEDGE else "frustration"
        if self.style == "robotic":
            parts.append(L.CANNED_EMPATHY)
            beh += ["acknowledge_emotion", "apologize"]
            self.shift(CANNED_FIRST if self.canned == 0 else CANNED_AGAIN)
            self.canned += 1
            return parts, beh
        if self.rng.random() < self.harsh * (0.75 if beat == "first" else 0.9):
            self.harsh_turns += 1
            if self.p_(0.3) and self.sc.blames:
                parts.append(self.choice(self.sc.blames))
                beh.append("blame")
                self.shift(EFFECT["blame"])
            else:
                parts.append(self.choice(L.DISMISSIVE))
                beh.append("dismissive")
                self.shift(EFFECT["dismissive"])
            return parts, beh
        c = self.care
        if beat == "first":
            plan = (("acknowledge_emotion", 0.95), ("validate", 0.45), ("apologize", 0.5),
                    ("paraphrase", 0.35), ("ownership", 0.55))
        else:
            plan = (("acknowledge_emotion", 0.85), ("validate", 0.4), ("explore", 0.55))
        for name, base in plan:
            if len(beh) >= 3 or not self.p_(c * base):
                continue
            if name == "acknowledge_emotion":
                parts.append(self.choice(L.ACKNOWLEDGE[emo]))
            elif name == "validate":
                parts.append(self.pick(L.VALIDATE))
            elif name == "apologize":
                parts.append(self.pick(L.APOLOGIZE))
            elif name == "paraphrase":
                if not self.sc.paraphrases:
                    continue
                parts.append(self.choice(self.sc.paraphrases))
            elif name == "ownership":
                parts.append(self.pick(L.OWNERSHIP))
            elif name == "explore":
                parts.append(self.pick(L.EXPLORE[emo]))
            beh.append(name)
        if beh:
            self.empathy_turns += 1
            self.shift(sum(EFFECT[b] for b in beh))
        elif self.d >= 0.5:
            self.missed += 1
            self.shift(MISSED_CUE)
        return parts, beh

    def react(self, last_beh: list[str], *, canned_again: bool, extra: list[str] | None = None,
              interrupts: bool = False) -> None:
        canned_turn = bool(self.lines) and self.lines[-1].canned and L.CANNED_EMPATHY in self.lines[-1].text
        """The customer's answer to what the agent just did."""
        b = band(self.d)
        emo = self.emotion
        parts: list[str] = []
        provoked = "blame" in last_beh or "dismissive" in last_beh
        if provoked:
            if emo in ("frustration", "confusion") and self.d >= 0.6:
                self.emotion = emo = "anger"
            parts.append(self.pick(L.REACT_PROVOKED[emo]))
            if self.sc.wants and self.p_(0.5):
                parts.append(self.choice(self.sc.wants))
        elif canned_again and b in ("strong", "mild"):
            if emo in ("worry", "sadness", "confusion"):
                self.emotion = emo = "frustration"  # the script wears anyone down
            parts.append(self.pick(L.REACT_ROBOTIC))
        elif b in ("strong", "mild") and not last_beh and self.start_d >= 0.5:
            parts.append(self.choice(L.REACT_MISSED[emo]))
        elif b in ("strong", "mild"):
            if not canned_turn and any(EFFECT.get(x, 0) > 0 for x in last_beh):
                parts.append(self.pick(L.REACT_WARMED["mild"][emo]))
            else:
                parts.append(self.pick(L.REACT_STILL[emo]))
                if self.sc.wants and self.p_(0.4):
                    parts.append(self.choice(self.sc.wants))
        elif b == "neutral":
            parts.append(self.pick(L.REACT_WARMED["neutral"]["any"]))
        else:
            parts.append(self.pick(L.REACT_WARMED["satisfied"]["any"]))
        if extra:
            parts.extend(extra)
        self.customer(parts, interrupts=interrupts)

    def verification(self) -> tuple[str, list[str]]:
        bank = L.VERIFY_ASKS if self.voice else L.VERIFY_ASKS_CHAT
        fresh = [pair for pair in bank if pair[0] not in self._said]
        ask, kind = self.rng.choice(fresh or bank)
        self._said.add(ask)
        answer_bank = {
            "email": L.PII_EMAIL, "phone": L.PII_PHONE, "card": L.PII_CARD,
            "address": L.PII_ADDRESS, "dob": L.PII_DOB, "postcode": L.PII_POSTCODE,
        }[kind]
        answer = [self.choice(answer_bank)]
        if kind == "card" and self.sc.queue in ("billing", "fraud") and self.p_(0.12):
            answer.append(self.pick(L.PII_FULL_CARD))
        elif kind != "email" and self.p_(0.06):
            answer.append(self.choice(("And my email's {email} if you need it.",
                                       "You can email me at {email}.")))
        return ask, answer

    # ------------------------------------------------------------ the contact

    def write(self) -> CallScript:
        if self.sc.heavy or self.emotion != "neutral":
            self._heavy()
        else:
            self._routine()
        acw_base = self.rng.uniform(80, 240) if self.sc.heavy else self.rng.uniform(30, 90)
        factor = ACW_FACTOR[self.style]
        if self.style == "trainee":
            factor = 1.6 - 0.5 * self.progress
        acw = round(acw_base * factor * (1.3 if self.disposition != "resolved" else 1.0), 1)
        return CallScript(
            scenario=self.sc,
            emotion=self.emotion,
            lines=self.lines,
            start_distress=round(self.start_d, 3),
            end_distress=round(self.d, 3),
            disposition=self.disposition,
            hold_seconds=round(self.hold, 1),
            transfers=self.transfers,
            acw_seconds=acw,
            attempt=self.attempt,
            canned_count=self.canned,
            missed_cues=self.missed,
            harsh_turns=self.harsh_turns,
            empathy_turns=self.empathy_turns,
            facts=self.slots,
        )

    def _greeting(self) -> None:
        if self.style == "robotic":
            bank = L.GREETINGS_ROBOTIC
        else:
            bank = L.GREETINGS_VOICE if self.voice else L.GREETINGS_CHAT
        self.agent([self.choice(bank)], [])

    def _checking(self) -> None:
        """Look something up: dead air, or a hold on voice."""
        r = self.rng
        hold_p = {"warm": 0.3, "steady": 0.35, "robotic": 0.3, "brusque": 0.2, "trainee": 0.55}[
            self.style
        ]
        if self.voice and self.sc.heavy and self.p_(hold_p):
            secs = r.uniform(35, 150) * (1.7 - 0.6 * self.progress if self.style == "trainee" else 1)
            if self.p_(0.15):
                secs += r.uniform(120, 300)  # the long one that customers remember
            self.hold += secs
            self.agent([self.pick(L.HOLD_OUT)], [])
            self.customer([self.pick(L.HOLD_OK)], plain=True)
            self.shift(-min(0.25, 0.045 * secs / 60))
            back = L.HOLD_BACK_BRUSQUE if self.style == "brusque" else L.HOLD_BACK
            self._pending_pause = int(secs * 1000)
            self._hold_back = self.choice(back)
            return
        self._pending_pause = 0
        self._hold_back = ""
        if self.style == "trainee" and self.p_(0.6 - 0.4 * self.progress):
            self.agent([self.pick(L.TRAINEE_HESITATION)], [])
        else:
            bank = L.CHECKING_VOICE if self.voice else L.CHECKING_CHAT
            if self.style == "robotic":
                bank = (L.ROBOTIC_FILLERS[1],)
            self.agent([r.choice(bank)], [])
        silence = {"warm": (8, 35), "steady": (10, 40), "robotic": (15, 55), "brusque": (6, 25),
                   "trainee": (20, 75)}[self.style]
        lo, hi = silence
        if not self.voice:
            lo, hi = lo * 3, hi * 3
        self._pending_pause = int(r.uniform(lo, hi) * 1000)

    def _heavy(self) -> None:
        r = self.rng
        sc = self.sc
        # transfers before this agent picked it up
        if self.p_(0.13 if self.attempt == 1 else 0.25):
            self.transfers = 1 if self.p_(0.7) else 2
            self.d = min(1.0, self.d + 0.08 * self.transfers)
        self._greeting()

        opener: list[str] = []
        if self.p_(0.3):
            opener.append(self.choice(L.INTROS_UPSET if band(self.d) == "strong" else L.INTROS))
        if self.transfers:
            opener.append(self.pick(L.TRANSFERRED_PREFIX))
        if self.attempt > 1:
            opener.append(self.choice(L.REPEAT_PREFIX))
        if band(self.d) == "strong" and self.emotion in L.INTENSIFIERS and self.p_(0.7):
            opener.append(self.pick(L.INTENSIFIERS[self.emotion]))
        opener.append(self.choice(sc.openers.get(self.emotion) or sc.openers[_first_key(sc)]))
        if sc.wants and self.p_(0.3):
            opener.append(self.choice(sc.wants))
        if opener and opener[0]:
            opener[0] = opener[0][0].upper() + opener[0][1:]
        self.customer(opener)

        # first response: empathy (or not), then verification
        before = self.canned
        parts, beh = self.empathy("first")
        ask, answer = self.verification()
        if self.style == "brusque" and not beh:
            parts.append(r.choice(("Right.", "Okay.", "Fine.")))
        parts.append(ask)
        self.agent(parts, beh, canned=self.style == "robotic")
        self.react(beh, canned_again=self.canned > 1 and self.canned > before, extra=answer,
                   interrupts=self._interrupts(beh))
        self._second_check()

        # look it up
        self.agent([self.pick(L.VERIFY_THANKS).format_map(self.slots)], [])
        self._narrate()
        self._checking()
        finding = self.choice(sc.findings) if sc.findings else ""
        lead = [self._hold_back] if self._hold_back else []
        apology = []
        if finding and self.style in ("warm", "steady", "trainee") and self.p_(self.care * 0.35):
            apology = [self.pick(L.APOLOGIZE)]
        self.agent(lead + [finding] + apology, ["apologize"] if apology else [],
                   pause_ms=self._pending_pause)
        if apology:
            self.shift(EFFECT["apologize"])

        # the personal context: a second, stronger cue
        if sc.cues and self.emotion != "neutral" and self.p_(0.8):
            # telling the personal part brings the feeling back up
            self.d = min(1.0, max(self.d + 0.1, 0.42))
            cue = [self.choice(sc.cues)]
            if band(self.d) == "strong" and self.p_(0.3):
                cue.insert(0, r.choice(L.INTENSIFIERS.get(self.emotion, ("",))))
            self.customer(cue)
            before = self.canned
            parts, beh = self.empathy("cue")
            if not parts:
                parts = [r.choice(("Okay.", "Right.", "Mm-hm.", "Okay, noted."))]
            if self.style == "robotic" and self.p_(0.5):
                parts.append(L.ROBOTIC_FILLERS[0])
            self.agent(parts, beh, canned=self.style == "robotic")
            self.react(beh, canned_again=self.canned > 1 and self.canned > before,
                       interrupts=self._interrupts(beh))

        # resolution
        self.disposition = self._resolve()
        if self.disposition == "escalated":
            return

        # a follow-up question
        follow_p = {"warm": 0.6, "steady": 0.45, "robotic": 0.25, "brusque": 0.2,
                    "trainee": 0.4}[self.style]
        if sc.followups and self.p_(follow_p):
            self.customer([self.choice(sc.followups)], plain=band(self.d) in ("neutral", "satisfied"))
            if self.style == "brusque" and self.p_(0.6):
                self.agent([r.choice(("I've already told you.", "That's all I can tell you.",
                                      "You'll get a letter."))], ["dismissive"])
                self.shift(EFFECT["dismissive"] * 0.6)
            elif self.style == "robotic":
                self.agent([self.pick(L.ROBOTIC_VAGUE)], [])
                self.shift(-0.04)
            else:
                self.agent([self.choice(sc.answers)], ["set_expectations"])
                self.shift(EFFECT["set_expectations"] * 0.7)
            self.customer([self._short_reaction()])
        self._close()

    def _second_check(self) -> None:
        """On voice, security often takes a second question."""
        if not self.voice or not self.p_(0.55):
            return
        ask, answer = self.verification()
        if self.style == "robotic":
            text = "Thank you. For security purposes, " + ask[0].lower() + ask[1:]
        elif self.style == "brusque":
            text = ask
        else:
            text = self.rng.choice(("Thanks. ", "Lovely. ", "Great, and ", "Thank you. ")) + ask
            if text.startswith("Great, and "):
                text = "Great, and " + ask[0].lower() + ask[1:]
        self.agent([text], [])
        impatient = band(self.d) == "strong" and self.p_(0.5)
        if impatient:
            answer.insert(0, self.rng.choice(("Fine.", "Honestly.", "Ugh, fine.", "Again?")))
        self.customer(answer, plain=True, impatient=impatient)

    def _narrate(self) -> None:
        """Voice: the agent reads the account back while it loads, the customer confirms."""
        if not self.voice:
            return
        for _ in range(self.rng.choice((0, 1, 1, 2))):
            self.agent([self.choice(L.NARRATION)], [], pause_ms=int(self.rng.uniform(2, 12) * 1000))
            upset = band(self.d) == "strong"
            self.customer([self.pick(L.NARRATION_REPLY_UPSET if upset else L.NARRATION_REPLY)],
                          plain=True, impatient=upset)

    def _work_pause(self) -> int:
        """Milliseconds of quiet while the agent puts the change through."""
        lo, hi = (8, 40) if self.voice else (30, 120)
        if self.style == "trainee":
            lo, hi = lo * 2, hi * 2
        return int(self.rng.uniform(lo, hi) * 1000)

    def _resolve(self) -> str:
        sc = self.sc
        competence = COMPETENCE[self.style]
        if self.style == "trainee":
            competence = 0.6 + 0.35 * self.progress
        fixed = self.p_(sc.fix_rate * competence)
        parts: list[str] = []
        beh: list[str] = []
        disposition = "resolved"
        if fixed:
            if self.style not in ("robotic", "brusque") and self.p_(0.35 + 0.6 * self.care):
                parts.append(self.pick(L.OWNERSHIP))
                beh.append("ownership")
            parts.append(self.choice(sc.fixes))
            if self.style in ("robotic", "brusque"):
                set_exp = self.p_(0.2)
            else:
                set_exp = self.p_(0.3 + 0.7 * self.care)
            if set_exp and sc.expectations:
                parts.append(self.choice(sc.expectations))
                beh.append("set_expectations")
            self.shift(FIXED + sum(EFFECT[b] for b in beh) * 0.5)
        elif self.style == "robotic":
            parts.append(self.choice(sc.vague) if sc.vague else self.pick(L.ROBOTIC_VAGUE))
            if self.p_(0.6):
                parts.insert(0, L.CANNED_EMPATHY)
                self.canned += 1
                beh += ["acknowledge_emotion", "apologize"]
                self.shift(CANNED_AGAIN)
            self.shift(VAGUE)
            disposition = "unresolved"
        elif self.style == "brusque" or self.p_(self.harsh):
            parts.append(self.choice(sc.policies) if sc.policies else self.pick(L.DISMISSIVE))
            beh.append("dismissive")
            self.harsh_turns += 1
            if sc.blames and self.p_(0.35):
                parts.append(self.choice(sc.blames))
                beh.append("blame")
            self.shift(UNRESOLVED + sum(EFFECT[b] for b in beh) * 0.6)
            disposition = "unresolved"
        else:
            if self.p_(0.4 + 0.5 * self.care):
                parts.append(self.pick(L.APOLOGIZE))
                beh.append("apologize")
            parts.append(self.choice(sc.callbacks or L.GENERIC_CALLBACK))
            beh += ["ownership", "set_expectations"]
            self.shift(sum(EFFECT[b] for b in beh) * 0.6)
            disposition = "callback"
        canned_before = self.canned
        self.agent(parts, beh, canned=self.style == "robotic", pause_ms=self._work_pause())
        provoked = "blame" in beh or "dismissive" in beh
        if band(self.d) == "satisfied" and fixed and sc.thanks:
            self.customer([self.choice(sc.thanks)])
        else:
            self.react(beh, canned_again=self.canned > canned_before and self.canned > 1,
                       interrupts=self._interrupts(beh))
        # escalation: a still-furious customer asks for a manager
        if self.d >= 0.75 and not fixed and (provoked or self.emotion == "anger" or self.p_(0.4)):
            if self.emotion != "frustration":
                self.emotion = "anger"
            self.customer([self.pick(L.ESCALATE_ASK)])
            if self.style in ("warm", "steady", "trainee"):
                self.agent([self.pick(L.ESCALATE_WARM)], ["ownership"])
                self.shift(0.1)
            else:
                self.agent([self.pick(L.ESCALATE_COLD)], [])
            self.transfers += 1
            return "escalated"
        return disposition

    def _short_reaction(self) -> str:
        b = band(self.d)
        if b == "satisfied":
            return self.pick(L.SHORT_SATISFIED)
        if b == "neutral":
            return self.pick(L.SHORT_NEUTRAL)
        return self.pick(L.REACT_STILL[self.emotion])

    def _close(self) -> None:
        r = self.rng
        if self.style == "robotic":
            ask = L.ANYTHING_ELSE_ROBOTIC
        elif self.style == "brusque":
            ask = L.ANYTHING_ELSE_BRUSQUE
        else:
            ask = L.ANYTHING_ELSE
        self.agent([r.choice(ask)], [])
        b = band(self.d)
        key = {"satisfied": "satisfied", "neutral": "neutral"}.get(b, self.emotion)
        tail = self.pick(L.CLOSING_TAILS) if key in ("satisfied", "neutral") else ""
        self.customer([self.choice(L.CLOSING[key]), tail])
        if self.style == "robotic":
            bye = L.FAREWELL_ROBOTIC
        elif self.style == "brusque":
            bye = L.FAREWELL_BRUSQUE
        elif self.sc.key == "bereavement" and self.care > 0.4:
            bye = L.FAREWELL_SAD
        elif self.care > 0.5:
            bye = L.FAREWELL_WARM
        else:
            bye = L.FAREWELL_PLAIN
        self.agent([self.choice(bye)], [])

    def _routine(self) -> None:
        r = self.rng
        sc = self.sc
        self._greeting()
        opener = self.choice(sc.openers.get(self.emotion) or sc.openers["neutral"])
        intro = self.choice(L.INTROS) if self.p_(0.65) else ""
        if intro and opener.startswith(("Hi", "Hello")):
            opener = opener.split(" ", 1)[1]
            opener = opener[0].upper() + opener[1:]
        self.customer([intro, opener])
        ask, answer = self.verification()
        if self.style == "brusque":
            lead = r.choice(("Account details.", "Okay.", "Right."))
            self.shift(-0.08)
        elif self.style == "robotic":
            lead = "I can assist you with that."
        else:
            lead = r.choice(("Sure, I can help with that.", "Of course, no problem.",
                             "Happy to help with that.", "Yes, I can do that for you."))
        self.agent([lead, ask], [])
        self.customer(answer, plain=True)
        self._second_check()
        if self.p_(0.5):
            self._narrate()
        lookup = int(self.rng.uniform(3, 18) * (1000 if self.voice else 3000))
        self.agent([self.pick(L.VERIFY_THANKS).format_map(self.slots),
                    self.choice(sc.findings)], [], pause_ms=lookup)
        if self.p_(0.5) and sc.routine_reply:
            self.customer([r.choice(sc.routine_reply)], pause_ms=0)
        competence = COMPETENCE[self.style]
        if self.style == "trainee":
            competence = 0.6 + 0.35 * self.progress
        beh: list[str] = []
        if self.p_(0.55 + 0.45 * competence):
            parts = [self.choice(sc.fixes)]
            if self.style != "brusque" and self.p_(0.5 + 0.4 * self.care):
                parts.append(self.choice(sc.expectations))
                beh.append("set_expectations")
            self.shift(0.3)
            self.disposition = "resolved"
        else:
            parts = [r.choice(("I can't see that here, I'll need to pass it on.",
                               "That screen won't load for me, so I'll raise it with the team.")),
                     self.choice(("Someone will call you {callback_day}.",
                                  "You'll get an email {callback_day}."))]
            beh.append("set_expectations")
            self.shift(-0.1)
            self.disposition = "callback"
        self.agent(parts, beh, pause_ms=self._work_pause() // 2)
        if band(self.d) == "satisfied":
            self.customer([self.choice(sc.thanks)])
        else:
            self.customer([self._short_reaction()])
        if sc.followups and self.p_(0.3):
            self.customer([self.choice(sc.followups)], plain=band(self.d) in ("neutral", "satisfied"))
            self.agent([self.choice(sc.answers)], [])
            self.customer([self._short_reaction()])
        self._close_routine()

    def _close_routine(self) -> None:
        r = self.rng
        ask = {"robotic": L.ANYTHING_ELSE_ROBOTIC, "brusque": L.ANYTHING_ELSE_BRUSQUE}.get(
            self.style, L.ANYTHING_ELSE
        )
        self.agent([r.choice(ask)], [])
        tail = self.pick(L.CLOSING_TAILS)
        if band(self.d) == "satisfied":
            self.customer([self.pick(L.SATISFIED_ROUTINE_CLOSE), tail])
        else:
            self.customer([self.choice(L.CLOSING["neutral"]), tail])
        bye = {"robotic": L.FAREWELL_ROBOTIC, "brusque": L.FAREWELL_BRUSQUE}.get(
            self.style, L.FAREWELL_PLAIN if self.care < 0.5 else L.FAREWELL_WARM
        )
        self.agent([self.choice(bye)], [])

    def _interrupts(self, beh: list[str]) -> bool:
        """An upset customer talks over a dismissive, blaming or canned agent (voice only)."""
        if not self.voice or band(self.d) != "strong":
            return False
        provoked = "blame" in beh or "dismissive" in beh or self.style == "robotic"
        return self.p_(0.45 if provoked else 0.08)


ORDINALS_DAY = ("",) + tuple(
    f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
    for n in range(1, 32)
)


def _postcode(rng: random.Random) -> str:
    letters = "ABDEFGHJLNPQRSTUWXY"
    area = rng.choice(("LS", "CF", "BS", "G", "NR", "DE", "SA", "BT", "HU", "PL", "AB", "LE"))
    return f"{area}{rng.randint(1, 29)} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def _first_key(sc: Scenario) -> str:
    return next(iter(sc.openers))
