"""The hand-written rules on their own: fast, no model."""

from __future__ import annotations

import pytest

from heartline.analysis import rules
from tests.analysis.sentences import (
    CALM_DOWN,
    CLOSED_PROCEDURAL_QUESTION,
    EMOJI_ANGRY,
    EMOJI_THANKS,
    GRATEFUL_CUSTOMER,
    NEGATED_HAPPY,
    OPEN_QUESTION,
    POLICY_DEFLECTION,
    REAL_APOLOGY,
    REPAIR_SORRY,
    SARCASTIC_GREAT,
)

SATISFIED = {"satisfaction": 0.7, "frustration": 0.2, "anger": 0.1, "neutral": 0.0,
             "confusion": 0.0, "worry": 0.0, "sadness": 0.0}


def rule_names(hits: list[rules.RuleHit]) -> list[str]:
    return [h.name for h in hits]


def test_repair_request_is_not_an_apology() -> None:
    out, hits = rules.agent_rules(REPAIR_SORRY, {"apologize"})
    assert "apologize" not in out
    assert rule_names(hits) == ["apology.repair_request"]
    assert "sorry" in hits[0].words.lower()


def test_real_apology_survives() -> None:
    out, hits = rules.agent_rules(REAL_APOLOGY, {"apologize"})
    assert out == {"apologize"}
    assert hits == []


def test_repair_request_with_an_apology_keeps_the_apology() -> None:
    text = "Sorry, could you say that again? And I'm so sorry about the wait you've had."
    out, _ = rules.agent_rules(text, {"apologize"})
    assert "apologize" in out


def test_negated_apology() -> None:
    out, hits = rules.agent_rules("I'm not going to apologise for the policy.", {"apologize"})
    assert "apologize" not in out
    assert rule_names(hits) == ["apology.negated"]


def test_closed_procedural_question_is_not_explore() -> None:
    out, hits = rules.agent_rules(CLOSED_PROCEDURAL_QUESTION, {"explore"})
    assert "explore" not in out
    assert rule_names(hits) == ["explore.closed_procedural"]


def test_open_question_stays_explore() -> None:
    out, _ = rules.agent_rules(OPEN_QUESTION, {"explore"})
    assert out == {"explore"}


@pytest.mark.parametrize("text", [CALM_DOWN, POLICY_DEFLECTION])
def test_dismissive_phrases_are_added(text: str) -> None:
    out, hits = rules.agent_rules(text, set())
    assert "dismissive" in out
    assert rule_names(hits) == ["dismissive.phrase"]


def test_sarcasm_overrides_satisfaction() -> None:
    forced, hits = rules.customer_rules(SARCASTIC_GREAT, SATISFIED)
    assert forced == "frustration"
    assert rule_names(hits) == ["emotion.sarcasm"]


def test_sincere_thanks_is_not_sarcasm() -> None:
    forced, hits = rules.customer_rules(GRATEFUL_CUSTOMER, SATISFIED)
    assert forced is None and hits == []


def test_negated_praise_is_not_satisfaction() -> None:
    forced, hits = rules.customer_rules(NEGATED_HAPPY, SATISFIED)
    assert forced == "frustration"  # the most likely negative emotion
    assert rule_names(hits) == ["emotion.negated_positive"]


@pytest.mark.parametrize(("text", "label"), [(EMOJI_ANGRY, "anger"),
                                             (EMOJI_THANKS, "satisfaction"),
                                             ("...", "neutral")])
def test_messages_without_words(text: str, label: str) -> None:
    forced, hits = rules.customer_rules(text, SATISFIED)
    assert forced == label
    assert rule_names(hits) == ["emotion.no_words"]


def test_sentences_split_clauses() -> None:
    parts = rules.sentences("That sounds awful. I'm sorry. Can I take the postcode?")
    assert parts == ["That sounds awful.", "I'm sorry.", "Can I take the postcode?"]
    assert rules.sentences("ok") == ["ok"]


def test_context_overlap_measures_reflection() -> None:
    assert rules.context_overlap("so the router drops at seven", "router drops at seven") == 1.0
    assert rules.context_overlap("hello", None) == 0.0


@pytest.mark.parametrize("text", [
    "Bramble customer care, Idris here, how can I help?",
    "Hi Siobhan, it's Finn here. What can I help with?",
    "Is there anything else at all?",
    "Okay, noted.",
    "Lovely talking to you, Patrick, have a good rest of your day",
    "Thank you for contacting Bramble. Have a great day.",
])
def test_courtesy_alone_is_not_dismissive(text: str) -> None:
    out, hits = rules.agent_rules(text, {"dismissive"})
    assert "dismissive" not in out
    assert rule_names(hits) == ["dismissive.courtesy"]


@pytest.mark.parametrize("text", [
    "Okay, moving on, anything else?",
    "Right, well, you should have called sooner.",
    "Whatever.",
    "Next.",
    "Okay. It's not my problem though.",
])
def test_a_brush_off_wrapped_in_courtesy_stays_dismissive(text: str) -> None:
    out, _ = rules.agent_rules(text, {"dismissive"})
    assert "dismissive" in out


def test_words_that_take_fault_away_are_not_blame() -> None:
    text = "Your booster needs an update before the app can see it; it's not something you did."
    out, hits = rules.agent_rules(text, {"blame"})
    assert "blame" not in out and rule_names(hits) == ["blame.exonerating"]
    kept, _ = rules.agent_rules("You didn't pay on time, so it's not something we did.", {"blame"})
    assert "blame" in kept


@pytest.mark.parametrize("text", ["I do understand your concerns. Can I take the account number?",
                                  "I can understand how frustrating this is."])
def test_naming_the_feeling_is_acknowledgement(text: str) -> None:
    out, hits = rules.agent_rules(text, set())
    assert out == {"acknowledge_emotion"} and rule_names(hits) == ["acknowledge.explicit"]


def test_understanding_the_facts_is_not_acknowledgement() -> None:
    out, _ = rules.agent_rules("I understand, so the fee is thirty pounds.", set())
    assert out == set()


@pytest.mark.parametrize("text", ["fine. whatever", "ok... I suppose that will have to do",
                                  "right, if you say so", "don't bother sending me anything"])
def test_resigned_endings_are_frustration(text: str) -> None:
    calm = {**SATISFIED, "satisfaction": 0.0, "neutral": 0.7}
    label, hits = rules.customer_rules(text, calm)
    assert label == "frustration" and rule_names(hits) == ["emotion.resigned"]


@pytest.mark.parametrize("text", ["no ur doing great. thanks a lot, really helpful 🙄",
                                  "Wow. No. Great. Thanks so much, that was really helpful."])
def test_sarcastic_thanks_is_not_satisfaction(text: str) -> None:
    label, hits = rules.customer_rules(text, SATISFIED)
    assert label in ("anger", "frustration") and rule_names(hits) == ["emotion.sarcasm"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Thanks, Grace. Sorry I bit your head off.", True),
    ("sorry for the rant, it's been a long day", True),
    ("Sorry I was a bit short with you at the start.", True),
    ("Sorry, could you say that again?", False),
    ("I'm sorry, but that isn't good enough.", False),
])
def test_customer_apologising_for_an_outburst(text: str, expected: bool) -> None:
    assert bool(rules.SELF_APOLOGY.search(text)) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("I'm stuck in Lisbon with 2 kids and the desk is closed", True),
    ("I have to pay my staff today. Six people.", True),
    ("no heating and its 9 degrees in here", True),
    ("I'd like to change the colour on my order", False),
])
def test_what_is_at_stake(text: str, expected: bool) -> None:
    assert bool(rules.HIGH_STAKES.search(text)) is expected


@pytest.mark.parametrize("text", ["There's no manager available. I'm sorry you feel that way.",
                                  "I'm sorry you think that, but the bill's correct.",
                                  "sorry if you were offended by the email"])
def test_sorry_you_feel_that_way_is_a_dismissal(text: str) -> None:
    out, hits = rules.agent_rules(text, {"apologize", "acknowledge_emotion"})
    assert out == {"dismissive"}
    assert "apology.non_apology" in rule_names(hits)


def test_sorry_for_what_happened_stays_an_apology() -> None:
    text = "I'm so sorry you've been without heating all week."
    out, hits = rules.agent_rules(text, {"apologize"})
    assert out == {"apologize"}
    assert not hits


def test_no_need_to_apologise_leaves_the_agents_own_apology() -> None:
    text = "I'm so sorry about your dad. There's no need to apologise at all."
    out, hits = rules.agent_rules(text, {"apologize"})
    assert out == {"apologize"}
    assert not hits
    out, hits = rules.agent_rules("There's no need to apologise, it happens.", {"apologize"})
    assert out == set()
    assert rule_names(hits) == ["apology.negated"]


@pytest.mark.parametrize("text", ["You're right, that should have been on the letter.",
                                  "Honestly, anyone would be annoyed by that.",
                                  "it's not your fault, these scams are very convincing"])
def test_saying_the_reaction_is_reasonable_is_validation(text: str) -> None:
    out, hits = rules.agent_rules(text, set())
    assert "validate" in out
    assert "validate.explicit" in rule_names(hits)


def test_confirming_a_fact_is_not_validation() -> None:
    out, hits = rules.agent_rules("Yes, that's the right account.", set())
    assert out == set()
    assert not hits
