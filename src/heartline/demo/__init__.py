"""Heartline's demo organisation: a seeded, realistic contact centre.

``generate(end=date(2026, 11, 20))`` builds *Bramble*, a home broadband, mobile
and devices provider, as its customer-care centre looked over the 60 days
ending on ``end``:

* **Three teams** -- Harbour (lead Priya Raman), Summit (lead Tomasz
  Kowalczyk) and Meadow (lead Ngozi Adeyemi) -- of about ten agents each, with
  diverse names, hire dates and e-mail addresses.
* **Five styles** spread across the teams (see ``profiles``; the counts are
  for 30 agents): 10 *warm* (acknowledge and validate feelings, apologise, own
  the fix, set expectations, de-escalate), 9 *steady* (polite and competent,
  some empathy), 5 *robotic* (repeat "I understand your frustration and I
  apologize for any inconvenience" word for word without acting), 3 *brusque*
  (procedural, "that's our policy", "calm down", occasional blame) and 3
  *trainees* (hired just before the window; miss cues and hesitate early,
  acknowledge and own more by the end).  Every style is present from 5 agents.
* **Burnout drift**: two or three warm or steady agents (one per ten agents,
  at most three) whose workload climbs from about a third of the way in: more
  contacts per shift, more emotionally heavy ones and back to back, extra days,
  overtime, skipped breaks, occupancy rising past 85%.
* **About 5,000 contacts** (65% voice, 35% chat) in queues billing,
  tech_support, retention, fraud, bereavement, deliveries and accounts.  Heavy
  scenarios: billing error, outage, cancellation, fraud worry, bereavement
  account closure, delivery delay, confusing tech set-up; routine ones: address
  change, balance question, payment date change, order status.  Unresolved
  problems bring the same customer back within 7 days ("this is the third time
  I've called about this!").
* **Customers whose emotion answers the agent**: an angry, frustrated,
  worried, sad or confused customer calms down (to neutral, then satisfaction)
  when the agent acknowledges, apologises, owns and sets expectations, and stays
  upset or escalates (asks for a manager) when the agent is dismissive, blames
  or reads the script.  Holds and transfers add to the upset.
* **Operational fields that agree with the words**: handle, talk, hold and
  after-contact-work seconds, transfers, disposition (resolved, callback,
  unresolved, escalated), voice turns timed from their word counts (with dead
  air, holds and the odd interruption), chat turns timed by typing speed.
  ``ended_at`` is ``started_at + handle_seconds`` (after-contact work included).
* **Surveys** for about a quarter of contacts: CSAT 1-5, resolved, and a
  comment that names what happened ("she really listened", "quick and easy",
  "felt like talking to a script", "was told 'that's our policy'").
* **Shifts** for every agent and working day with scheduled and worked
  minutes, adherence, occupancy, breaks and overtime.  The contacts are the
  recorded sample of each agent's work (a few per shift); every one starts and
  ends inside its agent's shift, outside breaks.
* **Text** composed from many paraphrases and slots (products, amounts, dates,
  order numbers, towns, names), with spoken disfluencies on voice and
  lowercase, short forms and typos on chat.  Customer turns sometimes carry
  PII (e-mail addresses, phone numbers, card endings, now and then a full test
  card number) for the importer's redaction to find.

Same ``seed``, ``end`` and sizes give exactly the same organisation: the
generator draws only from its own seeded ``random.Random`` streams.
``truth`` holds what the generator meant each contact to carry (customer
emotion per turn, agent behaviours per turn, difficulty, de-escalation), in
the analysis vocabulary of DESIGN.md.
"""

from heartline.demo.generator import (
    CallTruth,
    DemoOrganisation,
    TurnTruth,
    generate,
    iter_jsonl,
)
from heartline.demo.lines import CANNED_EMPATHY
from heartline.demo.people import STYLES, AgentProfile

__all__ = [
    "CANNED_EMPATHY",
    "STYLES",
    "AgentProfile",
    "CallTruth",
    "DemoOrganisation",
    "TurnTruth",
    "generate",
    "iter_jsonl",
]
