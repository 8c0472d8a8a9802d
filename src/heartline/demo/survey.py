"""Post-contact surveys: who answers, the score they give and what they write.

About a quarter of customers answer, a few more when they are delighted or
furious.  The score follows how the customer felt at the end, whether the
problem was fixed, and the friction (holds, transfers).  The comment names what
happened: being listened to, speed, a script, "that's our policy", a hold, a
transfer, a problem still not fixed.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from heartline.demo.conversation import CallScript, band
from heartline.demo.people import AgentProfile
from heartline.domain import Survey

EMPATHY_PRAISE = (
    "{Name} really listened.",
    "{Pron} really listened and didn't rush me.",
    "{Pron} understood how stressful it was.",
    "Felt like {name} actually cared.",
    "{Name} was so kind and patient with me.",
    "{Name} made me feel heard for the first time.",
    "{Pron} didn't make me feel stupid.",
    "{Name} understood how stressful it was and just sorted it.",
)
BEREAVEMENT_PRAISE = (
    "{Name} was so gentle with me after losing my {rel}.",
    "So kind at a horrible time. Thank you {name}.",
    "{Pron} made a really hard call much easier.",
)
OWNERSHIP_PRAISE = (
    "{Name} took ownership and told me exactly what would happen next.",
    "Did what {pron} said {pron} would do.",
    "Knew exactly what was going on and when it would be fixed.",
    "Finally someone who took responsibility.",
)
SPEED_PRAISE = (
    "Quick and easy.",
    "Sorted in a couple of minutes.",
    "Fast, no fuss.",
    "Quick and easy, thanks.",
    "Very efficient.",
    "Got what I needed straight away.",
)
ROUTINE_PRAISE: dict[str, tuple[str, ...]] = {
    "address_change": (
        "Changed my address in two minutes.", "Address updated, no fuss.",
        "Moving house is stressful, this bit wasn't.", "Easy address change, thanks {name}.",
    ),
    "balance_question": (
        "Got my balance straight away.", "Clear answer about my bill.",
        "{Name} explained the bill clearly.", "Knew exactly what I owed in a minute.",
    ),
    "payment_date": (
        "Moved my payment date, easy.", "Really helpful, payment date sorted.",
        "Sorted my direct debit date quickly.", "{Name} moved my payment date, so helpful.",
    ),
    "order_status": (
        "Got my tracking link straight away.", "Quick answer about my order.",
        "Told me exactly when it's coming.", "Tracking sorted in seconds.",
    ),
}
FRIENDLY = (
    "{Name} was lovely.", "Very friendly.", "{Name} was really nice.", "Polite and helpful.",
    "Friendly and quick.", "Nice person.",
)
FIXED_PLAIN = (
    "Problem solved.",
    "Got my {amount} back, thanks.",
    "All sorted now.",
    "Resolved, thank you.",
)
ROBOTIC_COMPLAINT = (
    "Felt like talking to a script.",
    "Kept saying sorry for the inconvenience but did nothing.",
    "Like talking to a robot.",
    "Same apology three times, no help.",
)
DISMISSIVE_COMPLAINT = (
    "Was told 'that's our policy' and that was it.",
    "Rude and dismissive.",
    "Told me to calm down. Unacceptable.",
    "Made me feel like it was my fault.",
    "Couldn't care less about my problem.",
)
HOLD_COMPLAINT = (
    "On hold for ages.",
    "Far too long on hold.",
    "The hold music is burned into my brain now.",
)
TRANSFER_COMPLAINT = (
    "Passed from one department to another.",
    "Transferred too many times.",
    "Had to explain it all over again after being transferred.",
)
UNRESOLVED_COMPLAINT = (
    "Still not fixed.",
    "Nothing resolved, I'll have to call again.",
    "Still waiting for someone to actually sort it.",
    "Third call and still not fixed.",
)
NEUTRAL_COMMENT = (
    "Fine.",
    "Okay I guess.",
    "It was alright.",
    "Did the job.",
)


def maybe_survey(
    rng: random.Random,
    *,
    interaction_id: str,
    script: CallScript,
    profile: AgentProfile,
    handle_seconds: float,
    ended_at: datetime,
) -> Survey | None:
    end = script.end_distress
    extreme = end < -0.4 or end > 0.7
    if rng.random() >= (0.3 if extreme else 0.22):
        return None
    fixed = script.disposition == "resolved"
    score = 3.4 - 2.0 * end + (0.6 if fixed else -0.2)
    score -= 0.3 * script.transfers + (0.35 if script.hold_seconds > 180 else 0.0)
    score += rng.gauss(0, 0.55)
    csat = max(1, min(5, round(score)))
    if script.disposition == "resolved":
        resolved = rng.random() < 0.93
    elif script.disposition == "callback":
        resolved = rng.random() < 0.3
    else:
        resolved = rng.random() < 0.06
    comment = _comment(rng, script, profile, csat, fixed, handle_seconds) if rng.random() < 0.68 else None
    return Survey(
        interaction_id=interaction_id,
        csat=csat,
        resolved=resolved,
        comment=comment,
        responded_at=ended_at + timedelta(minutes=rng.randint(3, 36 * 60)),
    )


def _comment(
    rng: random.Random,
    script: CallScript,
    profile: AgentProfile,
    csat: int,
    fixed: bool,
    handle_seconds: float,
) -> str:
    first = profile.name.split(" ")[0]
    pron = profile.pronoun
    slots = dict(script.facts)
    slots.update(Name=first, name=first, Pron=pron.capitalize(), pron=pron)
    bits: list[tuple[str, ...]] = []
    happy = csat >= 4
    if happy:
        if script.empathy_turns and script.start_distress >= 0.5:
            bits.append(BEREAVEMENT_PRAISE if script.scenario.key == "bereavement" else EMPATHY_PRAISE)
            if fixed and rng.random() < 0.35:
                bits.append(OWNERSHIP_PRAISE)
        elif not script.scenario.heavy and handle_seconds < 420:
            bits.append(SPEED_PRAISE if rng.random() < 0.5 else ROUTINE_PRAISE.get(
                script.scenario.key, SPEED_PRAISE))
            if profile.style in ("warm", "steady") and rng.random() < 0.4:
                bits.append(FRIENDLY)
        elif fixed:
            bits.append(FIXED_PLAIN if rng.random() < 0.6 else SPEED_PRAISE)
        else:
            bits.append(OWNERSHIP_PRAISE)
    elif csat <= 2:
        if script.canned_count >= 2:
            bits.append(ROBOTIC_COMPLAINT)
        if script.harsh_turns:
            bits.append(DISMISSIVE_COMPLAINT)
        if not fixed:
            bits.append(UNRESOLVED_COMPLAINT)
        if script.hold_seconds > 150:
            bits.append(HOLD_COMPLAINT)
        if script.transfers:
            bits.append(TRANSFER_COMPLAINT)
        if not bits:
            bits.append(NEUTRAL_COMMENT)
    else:
        if script.hold_seconds > 150 and rng.random() < 0.6:
            bits.append(HOLD_COMPLAINT)
        elif not fixed and band(script.end_distress) != "satisfied":
            bits.append(UNRESOLVED_COMPLAINT)
        bits.append(NEUTRAL_COMMENT)
    rng.shuffle(bits)
    chosen = bits[:2]
    text = " ".join(rng.choice(bank).format_map(slots) for bank in chosen)
    if rng.random() < 0.3:
        text = text.lower()
    return text
