"""``friction.v1``: effort the customer had to spend that the process put on them.

Hold time and transfers come from the interaction's metadata; hold, transfer
and repeat-contact mentions are found in the words, each with its turn index.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from heartline.analysis.registry import Detector, register
from heartline.analysis.rules import REPEAT_CONTACT
from heartline.domain import Interaction

NAME = "friction.v1"
HOLD = re.compile(
    r"\b(?:put\s+you\s+on\s+(?:a\s+(?:quick|short|brief)\s+)?hold|please\s+hold|bear\s+with\s+me|"
    r"(?:quick|short|brief)\s+hold|thanks?\s+(?:you\s+)?for\s+(?:holding|waiting))\b",
    re.IGNORECASE,
)
TRANSFER = re.compile(
    r"\b(?:transfer(?:ring)?\s+you|put\s+you\s+through|pass\s+you\s+(?:over|on)|"
    r"(?:another|different|right)\s+department|connect\s+you\s+(?:to|with))\b",
    re.IGNORECASE,
)
REPEAT = re.compile(
    r"\b(?:(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th))\s+time|called\s+(?:before|already|"
    r"yesterday|last\s+week)|(?:rang|called|phoned)\s+(?:\w+\s+)?(?:times|again)|"
    r"already\s+(?:explained|told|called|sent))\b",
    re.IGNORECASE,
)


@register(NAME, applies_to="interaction")
class FrictionDetector(Detector[Interaction]):
    name = NAME
    outputs = (
        "hold_seconds",
        "hold_share",
        "transfers",
        "hold_mentions",
        "transfer_mentions",
        "repeat_contact_mentions",
    )

    def _run(self, items: Sequence[Interaction]) -> list[dict[str, Any]]:
        return [self._one(x) for x in items]

    @staticmethod
    def _one(x: Interaction) -> dict[str, Any]:
        hold_turns = [i for i, t in enumerate(x.turns) if t.speaker == "agent" and HOLD.search(t.text)]
        transfer_turns = [
            i for i, t in enumerate(x.turns) if t.speaker == "agent" and TRANSFER.search(t.text)
        ]
        repeat_turns = [
            i for i, t in enumerate(x.turns)
            if t.speaker == "customer" and REPEAT.search(t.text) and REPEAT_CONTACT.search(t.text)
        ]
        handle = x.handle_seconds or 0.0
        return {
            "hold_seconds": round(float(x.hold_seconds), 1),
            "hold_share": round(x.hold_seconds / handle, 3) if handle > 0 else None,
            "transfers": x.transfers,
            "hold_mentions": hold_turns,
            "transfer_mentions": transfer_turns,
            "repeat_contact_mentions": repeat_turns,
        }
