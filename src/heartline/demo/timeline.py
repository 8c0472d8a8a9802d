"""Give written turns their times.

Voice: each turn lasts as long as its words take to say at the speaker's pace
(an upset customer talks faster, a grieving one slower), with short gaps
between turns, dead air while the agent looks something up, the hold itself,
and an overlap when one speaker talks over the other.

Chat: ``start_ms`` is when the writer starts typing and ``end_ms`` when the
message is sent; the gaps between messages are reading and thinking time (and
the agent's other chats).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from heartline.demo.conversation import Line

CUSTOMER_PACE = {  # words per second at full intensity vs calm
    "anger": (2.6, 3.4),
    "frustration": (2.5, 3.1),
    "worry": (2.6, 3.2),
    "sadness": (2.3, 1.9),
    "confusion": (2.3, 2.2),
    "neutral": (2.5, 2.5),
    "satisfaction": (2.6, 2.8),
}


@dataclass(frozen=True, slots=True)
class Timed:
    times: list[tuple[int, int]]
    duration_s: float
    talk_s: float | None


def voice_times(lines: list[Line], rng: random.Random, agent_pace: float) -> Timed:
    times: list[tuple[int, int]] = []
    prev_start = prev_end = 0
    cursor = rng.randint(250, 1200)
    for i, ln in enumerate(lines):
        words = max(1, len(ln.text.split()))
        if ln.speaker == "agent":
            pace = agent_pace * rng.uniform(0.92, 1.08)
        else:
            calm, hot = CUSTOMER_PACE.get(ln.emotion or "neutral", (2.5, 2.5))
            pace = (calm + (hot - calm) * ln.intensity) * rng.uniform(0.9, 1.1)
        dur = int(words / pace * 1000) + rng.randint(120, 450)
        if i == 0:
            start = cursor
        else:
            gap = rng.randint(150, 900) + ln.pause_ms
            start = prev_end + gap
            if ln.interrupts and (prev_end - prev_start) > 1500:
                overlap = rng.randint(300, min(1600, (prev_end - prev_start) // 2))
                start = prev_end - overlap
        end = start + dur
        times.append((start, end))
        prev_start, prev_end = start, max(prev_end, end)
    talk = _union_ms(times) / 1000
    duration = (prev_end + rng.randint(400, 2500)) / 1000
    return Timed(times, round(duration, 3), round(talk, 3))


def chat_times(lines: list[Line], rng: random.Random) -> Timed:
    times: list[tuple[int, int]] = []
    cursor = rng.randint(4_000, 45_000)  # waiting for an agent to pick the chat up
    cust_cps = rng.uniform(2.8, 5.5)
    for i, ln in enumerate(lines):
        chars = len(ln.text)
        if ln.speaker == "agent":
            if ln.canned:
                typing = rng.randint(600, 2_000)  # pasted from a macro
            else:
                typing = int(chars / rng.uniform(6.0, 9.0) * 1000)
            think = rng.randint(3_000, 25_000) if i else 0
        else:
            typing = int(chars / cust_cps * 1000)
            think = rng.randint(2_500, 20_000)
        start = cursor + think + ln.pause_ms
        end = start + typing
        times.append((start, end))
        cursor = end
    duration = (cursor + rng.randint(5_000, 40_000)) / 1000
    return Timed(times, round(duration, 3), None)


def _union_ms(times: list[tuple[int, int]]) -> int:
    total = 0
    cur_s = cur_e = -1
    for s, e in sorted(times):
        if s > cur_e:
            if cur_e > cur_s:
                total += cur_e - cur_s
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    if cur_e > cur_s:
        total += cur_e - cur_s
    return total
