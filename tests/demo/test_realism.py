"""The demo reads like a real centre: styles, emotional arcs, burnout drift, varied text, PII."""

from __future__ import annotations

import re
import statistics
from collections import defaultdict

from heartline.demo import CANNED_EMPATHY, DemoOrganisation
from heartline.domain import Interaction

FRUSTRATED_REPEAT_CALLER = "this is the third time i've called about this"
RELIEVED_CUSTOMER = ("thank", "relief", "brilliant", "great", "perfect", "lovely", "cheers", "ta")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PHONE = re.compile(r"\b07700 900\d{3}\b")
CARD_ENDING = re.compile(r"(card ending|last four are) \d{4}")
FULL_CARD = re.compile(r"\b\d{4} \d{4} \d{4} \d{4}\b")


def _style(org: DemoOrganisation, i: Interaction) -> str:
    return org.profiles[i.agent_id].style


def _by_style(org: DemoOrganisation, value, *, heavy_only: bool = False) -> dict[str, float]:
    groups: dict[str, list[float]] = defaultdict(list)
    for i in org.interactions:
        if heavy_only and not org.truth[i.id].heavy:
            continue
        v = value(i)
        if v is not None:
            groups[_style(org, i)].append(float(v))
    return {k: statistics.fmean(v) for k, v in groups.items()}


def _text(i: Interaction, speaker: str | None = None) -> str:
    return " ".join(t.text for t in i.turns if speaker is None or t.speaker == speaker)


# ---------------------------------------------------------------- styles


def test_warm_agents_get_better_csat_than_brusque_and_robotic(full_org: DemoOrganisation) -> None:
    csat = _by_style(full_org, lambda i: i.survey.csat if i.survey else None)
    assert csat["warm"] >= csat["brusque"] + 0.8
    assert csat["warm"] >= csat["robotic"] + 0.5
    assert csat["warm"] > csat["steady"] > csat["brusque"]


def test_warm_agents_customers_end_calmer(full_org: DemoOrganisation) -> None:
    calm = _by_style(
        full_org,
        lambda i: full_org.truth[i.id].end_emotion in ("neutral", "satisfaction"),
        heavy_only=True,
    )
    assert calm["warm"] >= 0.85
    assert calm["brusque"] <= 0.3 and calm["robotic"] <= 0.4
    # the words show it: the last thing the customer says sounds relieved
    relieved = _by_style(
        full_org,
        lambda i: any(w in [t for t in i.turns if t.speaker == "customer"][-1].text.lower()
                      for w in RELIEVED_CUSTOMER),
        heavy_only=True,
    )
    assert relieved["warm"] >= relieved["brusque"] + 0.4


def test_brusque_and_robotic_agents_are_quicker_but_escalate_more(full_org: DemoOrganisation) -> None:
    aht = _by_style(full_org, lambda i: i.handle_seconds if i.channel == "voice" else None)
    assert aht["brusque"] < aht["warm"] and aht["robotic"] < aht["warm"]
    escalated = _by_style(full_org, lambda i: i.disposition == "escalated", heavy_only=True)
    assert escalated["brusque"] > escalated["warm"] + 0.1


def test_robotic_agents_repeat_the_canned_line(full_org: DemoOrganisation) -> None:
    repeats = _by_style(
        full_org, lambda i: _text(i, "agent").count(CANNED_EMPATHY) >= 2, heavy_only=True
    )
    assert repeats["robotic"] >= 0.6
    assert all(repeats.get(s, 0) == 0 for s in ("warm", "steady", "brusque", "trainee"))
    assert all(full_org.truth[i.id].robotic == (_text(i, "agent").count(CANNED_EMPATHY) >= 2)
               for i in full_org.interactions)


def test_brusque_agents_sound_dismissive(full_org: DemoOrganisation) -> None:
    markers = ("policy", "calm down", "nothing i can do", "like everyone else", "out of our hands",
               "i don't make the rules", "it is what it is", "already told you",
               "can't change the system", "not on us", "you should have", "you must have",
               "if you'd", "your contract", "in the terms", "in the guide")
    dismissive = _by_style(
        full_org,
        lambda i: any(m in _text(i, "agent").lower() for m in markers),
        heavy_only=True,
    )
    assert dismissive["brusque"] >= 0.6
    assert dismissive["warm"] <= 0.02


def test_customers_respond_to_what_the_agent_does(full_org: DemoOrganisation) -> None:
    """After a dismissive or blaming agent turn the customer's distress goes up, never down."""
    up = down = 0
    for i in full_org.interactions:
        turns = full_org.truth[i.id].turns
        for k in range(1, len(turns) - 1):
            agent, before, after = turns[k], turns[k - 1], turns[k + 1]
            if agent.speaker != "agent" or before.speaker != "customer" or after.speaker != "customer":
                continue
            if not {"dismissive", "blame"} & set(agent.behaviours):
                continue
            if before.emotion in ("neutral", "satisfaction") or after.emotion in ("neutral", "satisfaction"):
                continue
            if (after.intensity or 0) >= (before.intensity or 0):
                up += 1
            else:
                down += 1
    assert up > 50 and up > 4 * down


def test_trainees_improve_over_the_window(full_org: DemoOrganisation) -> None:
    start = min(i.started_at for i in full_org.interactions).date()
    early, late = [], []
    for i in full_org.interactions:
        if _style(full_org, i) != "trainee" or not full_org.truth[i.id].heavy:
            continue
        day = (i.started_at.date() - start).days
        if day < 20:
            early.append(full_org.truth[i.id])
        elif day >= 40:
            late.append(full_org.truth[i.id])
    assert len(early) >= 15 and len(late) >= 15
    missed_early = statistics.fmean(t.missed_cues for t in early)
    missed_late = statistics.fmean(t.missed_cues for t in late)
    assert missed_early > missed_late + 0.25
    calm_early = statistics.fmean(t.deescalated for t in early)
    calm_late = statistics.fmean(t.deescalated for t in late)
    assert calm_late > calm_early


# ---------------------------------------------------------------- workload


def test_burnout_drift_agents_have_rising_load(full_org: DemoOrganisation) -> None:
    drifting = [p for p in full_org.profiles.values() if p.burnout_drift]
    assert 2 <= len(drifting) <= 3
    contacts = defaultdict(list)
    for i in full_org.interactions:
        contacts[(i.agent_id, i.started_at.date())].append(i)
    for p in drifting:
        shifts = sorted((s for s in full_org.shifts if s.agent_id == p.agent_id), key=lambda s: s.day)
        third = len(shifts) // 3
        first, last = shifts[:third], shifts[-third:]

        def mean(xs, f):
            return statistics.fmean(f(x) for x in xs)

        assert mean(last, lambda s: s.occupancy_pct) > 85 > mean(first, lambda s: s.occupancy_pct)
        assert mean(last, lambda s: s.overtime_minutes) > mean(first, lambda s: s.overtime_minutes) + 20
        assert mean(last, lambda s: s.break_minutes) < mean(first, lambda s: s.break_minutes) - 15
        assert mean(last, lambda s: (s.end - s.start).total_seconds()) > mean(
            first, lambda s: (s.end - s.start).total_seconds()
        )
        per_shift = [len(contacts[(p.agent_id, s.day)]) for s in last]
        assert statistics.fmean(per_shift) > 1.5 * statistics.fmean(
            len(contacts[(p.agent_id, s.day)]) for s in first
        )
        heavy_first = [full_org.truth[i.id].heavy for s in first for i in contacts[(p.agent_id, s.day)]]
        heavy_last = [full_org.truth[i.id].heavy for s in last for i in contacts[(p.agent_id, s.day)]]
        assert statistics.fmean(heavy_last) > statistics.fmean(heavy_first) + 0.1
        # difficult contacts come back to back late in the window
        b2b_last = _back_to_back(full_org, [i for s in last for i in contacts[(p.agent_id, s.day)]])
        b2b_first = _back_to_back(full_org, [i for s in first for i in contacts[(p.agent_id, s.day)]])
        assert b2b_last > b2b_first
    others = [s.occupancy_pct for s in full_org.shifts if not full_org.profiles[s.agent_id].burnout_drift]
    assert statistics.fmean(o > 85 for o in others) < 0.05


def _back_to_back(org: DemoOrganisation, contacts: list[Interaction]) -> int:
    contacts = sorted(contacts, key=lambda i: i.started_at)
    return sum(
        1
        for a, b in zip(contacts, contacts[1:], strict=False)
        if org.truth[a.id].heavy and org.truth[b.id].heavy
        and (b.started_at - a.ended_at).total_seconds() < 90
    )


# ---------------------------------------------------------------- text


def test_no_two_contacts_read_the_same(full_org: DemoOrganisation) -> None:
    transcripts = [_text(i) for i in full_org.interactions]
    assert len(set(transcripts)) == len(transcripts)
    customer_lines = [t.text for i in full_org.interactions for t in i.turns if t.speaker == "customer"]
    share = len(set(customer_lines)) / len(customer_lines)
    assert share >= 0.55, share
    openers = [next(t.text for t in i.turns if t.speaker == "customer") for i in full_org.interactions]
    assert len(set(openers)) / len(openers) >= 0.9


def test_no_template_left_unfilled(full_org: DemoOrganisation) -> None:
    for i in full_org.interactions:
        for t in i.turns:
            assert "{" not in t.text and "}" not in t.text, t.text
            assert t.text.strip(), i.id
        if i.survey and i.survey.comment:
            assert "{" not in i.survey.comment


def test_voice_sounds_spoken_and_chat_looks_typed(full_org: DemoOrganisation) -> None:
    def share(channel: str, pattern: re.Pattern[str]) -> float:
        lines = [t.text for i in full_org.interactions if i.channel == channel
                 for t in i.turns if t.speaker == "customer"]
        return sum(bool(pattern.search(x)) for x in lines) / len(lines)

    fillers = re.compile(r"\b(um|uh|er)\b|\w- ", re.IGNORECASE)
    assert share("voice", fillers) > 0.15
    assert share("chat", fillers) < share("voice", fillers) / 3
    lowercase_start = re.compile(r"^[a-z]")
    assert share("chat", lowercase_start) > 0.2
    assert share("voice", lowercase_start) < 0.05


def test_customer_words_carry_their_emotion(full_org: DemoOrganisation) -> None:
    assert any(FRUSTRATED_REPEAT_CALLER in _text(i, "customer").lower()
               for i in full_org.interactions)
    cues = {
        "anger": ("ridiculous", "furious", "disgrace", "unbelievable", "livid", "manager", "!", "?"),
        "sadness": ("passed away", "died", "loss", "hard", "sorry", "raw", "upset", "grieving"),
        "worry": ("worried", "scared", "panick", "anxious", "safe", "frighten", "nervous", "what if"),
    }
    for emotion, words in cues.items():
        lines = [
            t.text.lower()
            for i in full_org.interactions
            for t, truth in zip(i.turns, full_org.truth[i.id].turns, strict=True)
            if truth.emotion == emotion and (truth.intensity or 0) >= 0.65
        ]
        assert len(lines) > 30, emotion
        hit = sum(any(w in line for w in words) for line in lines) / len(lines)
        assert hit >= 0.5, (emotion, hit)


def test_pii_shows_up_for_redaction(full_org: DemoOrganisation) -> None:
    customer_text = [_text(i, "customer") for i in full_org.interactions]
    n = len(customer_text)
    for pattern, lo, hi in ((EMAIL, 0.05, 0.45), (PHONE, 0.03, 0.3), (CARD_ENDING, 0.03, 0.3),
                            (FULL_CARD, 0.001, 0.05)):
        share = sum(bool(pattern.search(t)) for t in customer_text) / n
        assert lo <= share <= hi, (pattern.pattern, share)
    agent_text = " ".join(_text(i, "agent") for i in full_org.interactions[:500])
    assert not FULL_CARD.search(agent_text)


def test_voice_turn_times_follow_words_and_show_interruptions(full_org: DemoOrganisation) -> None:
    overlaps = 0
    for i in full_org.interactions:
        if i.channel != "voice":
            continue
        for t in i.turns:
            words = len(t.text.split())
            seconds = (t.end_ms - t.start_ms) / 1000
            assert 0.1 * words <= seconds <= 0.75 * words + 1, (i.id, t.text, seconds)
        overlaps += sum(b.start_ms < a.end_ms for a, b in zip(i.turns, i.turns[1:], strict=False))
    assert overlaps > 50
    chat_gaps = [
        b.start_ms - a.end_ms
        for i in full_org.interactions if i.channel == "chat"
        for a, b in zip(i.turns, i.turns[1:], strict=False)
    ]
    assert min(chat_gaps) > 0 and statistics.median(chat_gaps) > 3000


def test_holds_and_transfers_make_customers_less_happy(full_org: DemoOrganisation) -> None:
    def csat(pred) -> float:
        return statistics.fmean(
            i.survey.csat for i in full_org.interactions
            if i.survey and i.survey.csat and full_org.truth[i.id].heavy and pred(i)
        )

    assert csat(lambda i: i.transfers > 0) < csat(lambda i: i.transfers == 0)
    assert csat(lambda i: i.hold_seconds > 180) < csat(lambda i: i.hold_seconds == 0)


def test_survey_comments_match_what_happened(full_org: DemoOrganisation) -> None:
    surveys = [(i, i.survey) for i in full_org.interactions if i.survey and i.survey.comment]
    assert len(surveys) > 400
    praise = ("listened", "understood how stressful", "cared", "kind", "patient", "heard", "gentle")
    complaints = ("script", "robot", "policy", "rude", "calm down", "my fault", "not fixed",
                  "on hold", "transferred", "department", "still waiting", "same apology", "care less")
    warm_happy = [s.comment.lower() for i, s in surveys if _style(full_org, i) == "warm" and s.csat >= 4]
    cold_unhappy = [s.comment.lower() for i, s in surveys
                    if _style(full_org, i) in ("robotic", "brusque") and s.csat <= 2]
    assert sum(any(p in c for p in praise) for c in warm_happy) / len(warm_happy) > 0.3
    assert sum(any(p in c for p in complaints) for c in cold_unhappy) / len(cold_unhappy) > 0.6
    speedy = [s.comment.lower() for i, s in surveys if not full_org.truth[i.id].heavy and s.csat >= 4]
    assert any("quick and easy" in c for c in speedy)
    # the name or pronoun of the agent appears in praise, so comments are about people
    named = [s.comment for i, s in surveys if i.agent_name and i.agent_name.split()[0] in s.comment]
    assert named


def test_heavy_contacts_run_longer(full_org: DemoOrganisation) -> None:
    for channel in ("voice", "chat"):
        heavy = [i.handle_seconds for i in full_org.interactions
                 if i.channel == channel and full_org.truth[i.id].heavy]
        light = [i.handle_seconds for i in full_org.interactions
                 if i.channel == channel and not full_org.truth[i.id].heavy]
        assert statistics.median(heavy) > 1.5 * statistics.median(light), channel
    voice = [i.handle_seconds for i in full_org.interactions if i.channel == "voice"]
    assert 150 <= statistics.fmean(voice) <= 480  # a few minutes, like a real centre
