"""Each detector follows the one contract and labels the named examples sensibly."""

from __future__ import annotations

import pytest

from heartline.analysis import Analyzer, Utterance, components, create
from heartline.analysis.encoder import Encoder
from heartline.analysis.registry import Detector, register
from heartline.domain import BEHAVIOURS, EMOTIONS, Interaction
from tests.analysis.sentences import (
    ACKNOWLEDGE_FRUSTRATION,
    BEREAVED_CUSTOMER,
    BLAME_CUSTOMER,
    CALM_DOWN,
    CLOSED_PROCEDURAL_QUESTION,
    CONFUSED_ABOUT_BILL,
    FRUSTRATED_REPEAT_CALLER,
    FURIOUS_THREAT,
    GRATEFUL_CUSTOMER,
    OPEN_QUESTION,
    OWNERSHIP_WITH_TIME,
    PARAPHRASE_CHECK,
    PLAIN_ACCOUNT_NUMBER,
    REAL_APOLOGY,
    REPAIR_SORRY,
    ROUTER_DROPS,
    SARCASTIC_GREAT,
    WORRIED_ABOUT_MORTGAGE,
)


def test_registry_has_versioned_builtins_with_declared_outputs() -> None:
    comps = components()
    for name in ("emotion.customer.v1", "behaviour.agent.v1", "listening.v1", "friction.v1"):
        assert name in comps
        assert comps[name].outputs
    assert comps["emotion.customer.v1"].applies_to == "utterance"
    assert comps["listening.v1"].applies_to == "interaction"


def test_registering_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="already registered"):

        @register("listening.v1", applies_to="interaction")
        class Again(Detector[Interaction]):
            name = "listening.v1"
            outputs = ("x",)


def test_create_unknown_detector_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="emotion.customer.v1"):
        create("empathy.nonexistent.v9")


def test_contract_selector_transform_and_score(encoder: Encoder) -> None:
    det = create("emotion.customer.v1", encoder=encoder)
    items = [Utterance(GRATEFUL_CUSTOMER, "customer"), Utterance(REAL_APOLOGY, "agent")]
    out = det.transform(items)
    assert out[1] is None  # agents' emotions are never inferred
    assert out[0] is not None and set(out[0]) == set(det.outputs)
    assert det.score(items[0]) == out[0]
    beh = create("behaviour.agent.v1", encoder=encoder)
    res = beh.transform(items)
    assert res[0] is None and res[1] is not None and set(res[1]) == set(beh.outputs)


@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        (FRUSTRATED_REPEAT_CALLER, {"frustration", "anger"}),
        (FURIOUS_THREAT, {"anger"}),
        (GRATEFUL_CUSTOMER, {"satisfaction"}),
        (CONFUSED_ABOUT_BILL, {"confusion"}),
        (WORRIED_ABOUT_MORTGAGE, {"worry"}),
        (BEREAVED_CUSTOMER, {"sadness"}),
        (PLAIN_ACCOUNT_NUMBER, {"neutral"}),
        (SARCASTIC_GREAT, {"frustration", "anger"}),
    ],
)
def test_customer_emotions(analyzer: Analyzer, text: str, allowed: set[str]) -> None:
    (res,) = analyzer.label_customer([text])
    assert res["emotion"] in allowed, res
    assert 0.0 <= res["emotion_intensity"] <= 1.0
    assert set(res["scores"]) == set(EMOTIONS)


def test_intensity_orders_fury_above_a_plain_answer(analyzer: Analyzer) -> None:
    fury, plain = analyzer.label_customer([FURIOUS_THREAT, PLAIN_ACCOUNT_NUMBER])
    assert fury["emotion_intensity"] > plain["emotion_intensity"] + 0.3


@pytest.mark.parametrize(
    ("text", "context", "present", "absent"),
    [
        (ACKNOWLEDGE_FRUSTRATION, FRUSTRATED_REPEAT_CALLER, {"acknowledge_emotion"}, {"blame"}),
        (REPAIR_SORRY, "mumble mumble", set(), {"apologize"}),
        (REAL_APOLOGY, FRUSTRATED_REPEAT_CALLER, {"apologize"}, {"dismissive"}),
        (CLOSED_PROCEDURAL_QUESTION, "Hi, I've got a problem with my bill.", set(), {"explore"}),
        (OPEN_QUESTION, "The engineer came but it still doesn't work.", {"explore"}, set()),
        (CALM_DOWN, FURIOUS_THREAT, {"dismissive"}, {"acknowledge_emotion"}),
        (OWNERSHIP_WITH_TIME, "Where is my refund?", {"ownership", "set_expectations"}, set()),
        (BLAME_CUSTOMER, "Why was I charged a cancellation fee?", {"blame"}, {"apologize"}),
        (PARAPHRASE_CHECK, ROUTER_DROPS, {"paraphrase"}, {"blame"}),
    ],
)
def test_agent_behaviours(
    analyzer: Analyzer, text: str, context: str, present: set[str], absent: set[str]
) -> None:
    (res,) = analyzer.label_agent([text], [context])
    got = set(res["behaviours"])
    assert got <= set(BEHAVIOURS)
    assert present <= got, res
    assert not (absent & got), res


def test_rule_names_appear_on_the_result(analyzer: Analyzer) -> None:
    (res,) = analyzer.label_agent([CALM_DOWN], [FURIOUS_THREAT])
    names = [r["rule"] for r in res["rules"]]
    if "dismissive.phrase" in names:  # the head may already have found it
        assert any("calm down" in r["words"].lower() for r in res["rules"])
    assert "dismissive" in res["behaviours"]


def test_labelling_is_independent_of_batch_company(analyzer: Analyzer) -> None:
    texts = [FRUSTRATED_REPEAT_CALLER, GRATEFUL_CUSTOMER, CONFUSED_ABOUT_BILL, SARCASTIC_GREAT]
    together = analyzer.label_customer(texts)
    alone = [analyzer.label_customer([t])[0] for t in texts]
    assert together == alone


def test_scores_follow_the_rules(analyzer: Analyzer) -> None:
    """A rule that forces a label moves the scores with it, so later steps read one story."""
    sarcastic = analyzer.label_customer(["great. thanks for nothing", "fine. whatever"])
    for res in sarcastic:
        assert res["rules"], res
        assert max(res["scores"], key=res["scores"].get) == res["emotion"] != "satisfaction"
    agent = analyzer.label_agent(["I do understand your concerns. Can I confirm the address?",
                                  "Bramble customer care, Idris here, how can I help?",
                                  "Sorry, you cut out there, could you say that again?"],
                                 ["This is the third bill that's wrong!", None,
                                  "I'm so fed up with this"])
    for res in agent:
        for hit in res["rules"]:
            name = hit["rule"]
            if name == "acknowledge.explicit":
                assert res["scores"]["acknowledge_emotion"] == 1.0
            if name in ("dismissive.courtesy", "apology.repair_request"):
                vetoed = "dismissive" if name.startswith("dismissive") else "apologize"
                assert res["scores"][vetoed] == 0.0 and vetoed not in res["behaviours"]
    assert "acknowledge_emotion" in agent[0]["behaviours"]
