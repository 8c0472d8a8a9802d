"""``listening.v1``: how the agent listened, from the shape of the conversation.

Talk ratio, questions asked and the longest monologue for every transcript;
interruptions and silence too when turns carry times.  No model involved.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from heartline.analysis.registry import Detector, register
from heartline.analysis.rules import words
from heartline.domain import Interaction

NAME = "listening.v1"
_QUESTION = re.compile(r"[^.!?]*\?")
#: A gap shorter than this between two turns is ordinary turn-taking, not silence.
SILENCE_MIN_MS = 2_000


@register(NAME, applies_to="interaction")
class ListeningDetector(Detector[Interaction]):
    name = NAME
    outputs = (
        "talk_ratio",
        "talk_ratio_basis",
        "questions_asked",
        "longest_monologue_words",
        "longest_monologue_seconds",
        "interruptions",
        "silence_seconds",
        "longest_silence_seconds",
        "timed",
    )

    def _run(self, items: Sequence[Interaction]) -> list[dict[str, Any]]:
        return [self._one(x) for x in items]

    @staticmethod
    def _one(x: Interaction) -> dict[str, Any]:
        turns = x.turns
        timed = bool(turns) and all(
            t.start_ms is not None and t.end_ms is not None for t in turns
        )
        agent_words = customer_words = 0
        questions = 0
        longest_words = run_words = 0
        longest_ms = run_ms = 0
        agent_ms = customer_ms = 0
        for t in turns:
            n = len(words(t.text))
            dur = (t.end_ms - t.start_ms) if timed else 0  # type: ignore[operator]
            if t.speaker == "agent":
                agent_words += n
                agent_ms += dur
                questions += len(_QUESTION.findall(t.text))
                run_words += n
                run_ms += dur
                longest_words = max(longest_words, run_words)
                longest_ms = max(longest_ms, run_ms)
            else:
                customer_words += n
                customer_ms += dur
                run_words = run_ms = 0
        if timed and agent_ms + customer_ms > 0:
            ratio, basis = agent_ms / (agent_ms + customer_ms), "time"
        elif agent_words + customer_words > 0:
            ratio, basis = agent_words / (agent_words + customer_words), "words"
        else:
            ratio, basis = 0.0, "none"
        out: dict[str, Any] = {
            "talk_ratio": round(ratio, 3),
            "talk_ratio_basis": basis,
            "questions_asked": questions,
            "longest_monologue_words": longest_words,
            "longest_monologue_seconds": round(longest_ms / 1000, 1) if timed else None,
            "interruptions": None,
            "silence_seconds": None,
            "longest_silence_seconds": None,
            "timed": timed,
        }
        if timed:
            interruptions = 0
            silence = longest_silence = 0
            prev_end = None
            prev_speaker = None
            for t in sorted(turns, key=lambda t: (t.start_ms, t.end_ms)):
                assert t.start_ms is not None and t.end_ms is not None
                if prev_end is not None:
                    gap = t.start_ms - prev_end
                    if gap < 0 and t.speaker == "agent" and prev_speaker == "customer":
                        interruptions += 1
                    if gap >= SILENCE_MIN_MS:
                        silence += gap
                        longest_silence = max(longest_silence, gap)
                prev_end = t.end_ms if prev_end is None else max(prev_end, t.end_ms)
                prev_speaker = t.speaker
            out["interruptions"] = interruptions
            out["silence_seconds"] = round(silence / 1000, 1)
            out["longest_silence_seconds"] = round(longest_silence / 1000, 1)
        return out
