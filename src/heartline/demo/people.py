"""The people of the demo organisation: teams, leads, agents and their profiles.

Each agent gets an :class:`AgentProfile`: a conversational *style* (how they
answer an upset customer) and a *workload* curve over the demo window (how much
and how heavy their work is, and whether it drifts toward burnout risk).  The
profile is the generator's intent; the interactions and shifts are what it
produced from it, so tests and docs can check one against the other.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from heartline.domain import Agent, Team

#: The conversational styles, with what each one sounds like.
STYLES: dict[str, str] = {
    "warm": (
        "skilled and warm: names the customer's feeling, says the reaction is fair, "
        "apologises, owns the fix and says what happens next and when; de-escalates"
    ),
    "steady": "competent and polite: sometimes acknowledges feelings, usually fixes the problem",
    "robotic": (
        "script reader: repeats the same canned empathy line without adapting or acting; "
        "short calls, low satisfaction"
    ),
    "brusque": (
        "procedural and dismissive: 'that's our policy', occasional blame; "
        "short calls, frequent escalation"
    ),
    "trainee": (
        "new hire: misses emotional cues and hesitates early in the window, "
        "acknowledges and owns more by the end"
    ),
}

#: Team id, display name, lead's display name.
TEAMS: tuple[tuple[str, str, str], ...] = (
    ("harbour", "Harbour", "Priya Raman"),
    ("summit", "Summit", "Tomasz Kowalczyk"),
    ("meadow", "Meadow", "Ngozi Adeyemi"),
)

# First names with the pronoun customers use for the person in survey comments.
FIRST_NAMES: tuple[tuple[str, str], ...] = (
    ("Amara", "she"), ("Ben", "he"), ("Chloe", "she"), ("Dev", "he"), ("Elif", "she"),
    ("Farah", "she"), ("Gareth", "he"), ("Hana", "she"), ("Ibrahim", "he"), ("Jess", "she"),
    ("Kwame", "he"), ("Leila", "she"), ("Mateo", "he"), ("Niamh", "she"), ("Oluwaseun", "he"),
    ("Pooja", "she"), ("Quinn", "they"), ("Rhys", "he"), ("Sofia", "she"), ("Tariq", "he"),
    ("Una", "she"), ("Viktor", "he"), ("Wen", "she"), ("Xavier", "he"), ("Yasmin", "she"),
    ("Zoltan", "he"), ("Aoife", "she"), ("Bogdan", "he"), ("Carmen", "she"), ("Dmitri", "he"),
    ("Esi", "she"), ("Finn", "he"), ("Grace", "she"), ("Hamza", "he"), ("Ines", "she"),
    ("Jamal", "he"), ("Kasia", "she"), ("Luca", "he"), ("Mei", "she"), ("Nikhil", "he"),
    ("Orla", "she"), ("Pavel", "he"), ("Rosa", "she"), ("Sami", "they"), ("Thandiwe", "she"),
    ("Umar", "he"), ("Valentina", "she"), ("Wiremu", "he"), ("Ximena", "she"), ("Yusuf", "he"),
    ("Zainab", "she"), ("Alex", "they"), ("Bronwen", "she"), ("Callum", "he"), ("Dalia", "she"),
    ("Emeka", "he"), ("Freya", "she"), ("Goran", "he"), ("Hyejin", "she"), ("Idris", "he"),
)

SURNAMES: tuple[str, ...] = (
    "Achebe", "Brennan", "Castillo", "Dubois", "Evans", "Fernandes", "Gallagher", "Haddad",
    "Iqbal", "Jensen", "Kaur", "Lindqvist", "Mensah", "Nakamura", "O'Connell", "Petrovic",
    "Quayle", "Rahman", "Santos", "Takahashi", "Usman", "Varga", "Whitfield", "Xu", "Yilmaz",
    "Zielinski", "Asante", "Bianchi", "Chaudhry", "Doyle", "Eze", "Fitzgerald", "Gonzalez",
    "Hughes", "Ivanova", "Jovanovic", "Kowalski", "Lopez", "Mahmoud", "Nwosu", "Okonkwo",
    "Patel", "Reyes", "Schmidt", "Thomas", "Uddin", "Vasquez", "Williams", "Yamamoto", "Zhang",
    "Adebayo", "Murphy", "Novak", "Osei", "Park", "Rossi", "Singh", "Tran", "Walsh", "Ali",
)

# Usual shift starts (hour, minute), UTC.  The centre is open 07:00-22:00.
SHIFT_STARTS: tuple[tuple[int, int], ...] = ((7, 0), (8, 0), (9, 0), (10, 30), (12, 0), (13, 30))

# Share of agents per style (normal sizes).
_STYLE_SHARES: tuple[tuple[str, float], ...] = (
    ("warm", 0.30),
    ("steady", 0.27),
    ("robotic", 0.17),
    ("brusque", 0.13),
    ("trainee", 0.13),
)


@dataclass(frozen=True, slots=True)
class AgentProfile:
    """How one demo agent talks and how their workload moves over the window.

    ``progress`` below is the position in the demo window: 0.0 on the first day,
    1.0 on the last.
    """

    agent_id: str
    name: str
    team: str
    style: str
    pronoun: str
    burnout_drift: bool
    shift_start: tuple[int, int]
    scheduled_minutes: int
    days_off: tuple[int, int]
    care_start: float
    care_end: float
    harshness: float
    speech_rate: float
    description: str

    def care_at(self, progress: float) -> float:
        """Probability scale (0..1) for empathic behaviours on that day."""
        care = self.care_start + (self.care_end - self.care_start) * _clip(progress)
        return _clip(care)

    def drift_at(self, progress: float) -> float:
        """How far the burnout drift has gone (0 = none, 1 = full), 0 for other agents."""
        if not self.burnout_drift:
            return 0.0
        return _clip((progress - 0.35) / 0.6) ** 1.2

    def load_at(self, progress: float) -> float:
        """Relative contact volume per worked minute (1.0 = the centre's norm)."""
        base = 0.75 + 0.25 * _clip(progress / 0.5) if self.style == "trainee" else 1.0
        return base + 0.7 * self.drift_at(progress)

    def heavy_share_at(self, progress: float) -> float:
        """Share of this agent's contacts that are emotionally heavy."""
        if self.style == "trainee":
            base = 0.30 + 0.12 * _clip(progress)
        else:
            base = 0.45
        return min(0.85, base + 0.33 * self.drift_at(progress))

    def occupancy_at(self, progress: float) -> float:
        """Target occupancy (share of available time spent on contacts)."""
        base = 0.70 if self.style == "trainee" else 0.79
        return min(0.97, base + 0.14 * self.drift_at(progress))


def _clip(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return lo if x < lo else min(x, hi)


def style_plan(n: int) -> list[str]:
    """How many agents of each style for ``n`` agents: every style from 5 agents up."""
    if n < 1:
        raise ValueError("the demo needs at least one agent")
    counts = {style: int(share * n) for style, share in _STYLE_SHARES}
    if n >= len(_STYLE_SHARES):
        for style in counts:
            counts[style] = max(1, counts[style])
    # top up (or trim) to exactly n, in order of share
    order = [s for s, _ in _STYLE_SHARES]
    i = 0
    while sum(counts.values()) < n:
        counts[order[i % len(order)]] += 1
        i += 1
    i = 0
    while sum(counts.values()) > n:
        style = order[i % len(order)]
        if counts[style] > (1 if n >= len(order) else 0):
            counts[style] -= 1
        i += 1
    return [style for style in order for _ in range(counts[style])]


def burnout_count(n: int) -> int:
    """Agents whose workload drifts toward burnout: 2-3 in a normal-sized centre."""
    return 0 if n < 4 else min(3, max(1, n // 10))


def build_people(
    rng: random.Random, *, agents: int, first_day: date, last_day: date
) -> tuple[list[Team], list[Agent], dict[str, str], dict[str, AgentProfile]]:
    """Teams, agents, leads and profiles for ``agents`` people."""
    teams = [Team(id=tid, name=name) for tid, name, _ in TEAMS]
    leads = {tid: lead for tid, _, lead in TEAMS}

    styles = style_plan(agents)
    # Deal styles to teams so every team gets a mix of styles.
    team_of = [TEAMS[i % len(TEAMS)][0] for i in range(agents)]

    firsts = list(FIRST_NAMES)
    rng.shuffle(firsts)
    lasts = list(SURNAMES)
    rng.shuffle(lasts)

    # Burnout drift strikes the people who carry the hard calls: warm, then steady.
    drift_pool = [i for i, s in enumerate(styles) if s == "warm"][:2]
    drift_pool += [i for i, s in enumerate(styles) if s == "steady"][:1]
    drift_pool += [i for i, s in enumerate(styles) if s in ("warm", "steady") and i not in drift_pool]
    drifting = set(drift_pool[: burnout_count(agents)])

    agent_records: list[Agent] = []
    profiles: dict[str, AgentProfile] = {}
    for i in range(agents):
        agent_id = f"a-{i + 1:02d}"
        first, pronoun = firsts[i % len(firsts)]
        last = lasts[(i + i // len(lasts)) % len(lasts)]
        name = f"{first} {last}" if i < len(firsts) else f"{first} {last}-{i // len(firsts) + 1}"
        style = styles[i]
        team = team_of[i]
        if style == "trainee":
            hired = first_day - timedelta(days=rng.randint(4, 20))
        else:
            hired = last_day - timedelta(days=rng.randint(200, 3400))
        email_local = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
        agent_records.append(
            Agent(
                id=agent_id,
                name=name,
                team=team,
                hired_on=hired,
                email=f"{email_local}@bramble.example",
            )
        )
        care_start, care_end, harsh = _style_numbers(rng, style)
        drift = i in drifting
        if drift:
            # tired people let things slip a little late in the window
            care_end = care_start * 0.82
        off = rng.randrange(7)
        profiles[agent_id] = AgentProfile(
            agent_id=agent_id,
            name=name,
            team=team,
            style=style,
            pronoun=pronoun,
            burnout_drift=drift,
            shift_start=SHIFT_STARTS[rng.randrange(len(SHIFT_STARTS))],
            scheduled_minutes=480 if rng.random() < 0.85 or drift else 420,
            days_off=(off, (off + 1) % 7),
            care_start=round(care_start, 3),
            care_end=round(care_end, 3),
            harshness=round(harsh, 3),
            speech_rate=round(rng.uniform(2.45, 2.95), 3),
            description=STYLES[style]
            + ("; workload drifts toward burnout risk over the window" if drift else ""),
        )
    return teams, agent_records, leads, profiles


def _style_numbers(rng: random.Random, style: str) -> tuple[float, float, float]:
    """(care at start, care at end, harshness) for a style, with a little personal variation."""
    if style == "warm":
        c = rng.uniform(0.86, 0.97)
        return c, c, 0.0
    if style == "steady":
        c = rng.uniform(0.5, 0.65)
        return c, c, rng.uniform(0.0, 0.06)
    if style == "robotic":
        c = rng.uniform(0.04, 0.1)
        return c, c, 0.03
    if style == "brusque":
        c = rng.uniform(0.06, 0.14)
        return c, c, rng.uniform(0.55, 0.75)
    if style == "trainee":
        return rng.uniform(0.1, 0.18), rng.uniform(0.68, 0.8), rng.uniform(0.02, 0.08)
    raise ValueError(f"unknown style {style!r}")
