"""Interaction analysis: fields, evidence, batch equals single, odd inputs."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest

from heartline.analysis import Analyzer, InteractionAnalysis, canned_phrase_overuse
from heartline.analysis.corpus import load_conversations
from heartline.analysis.encoder import Encoder
from heartline.analysis.pipeline import (
    DEESCALATION_FEATURES,
    DIFFICULTY_FEATURES,
    TurnLabel,
    _cue_heard,
    _deescalation_reason,
    conversation_interaction,
    deescalation_features,
    difficulty_features,
)
from heartline.domain import BEHAVIOURS, Interaction, Turn
from tests.analysis.sentences import (
    ACKNOWLEDGE_FRUSTRATION,
    BLAME_CUSTOMER,
    CANNED_LINE,
    CLOSED_PROCEDURAL_QUESTION,
    EMOJI_ANGRY,
    FRUSTRATED_REPEAT_CALLER,
    FURIOUS_THREAT,
    GERMAN_COMPLAINT,
    GRATEFUL_CUSTOMER,
    GREETING,
    KEYBOARD_MASH,
    OWNERSHIP_WITH_TIME,
    PLAIN_ACCOUNT_NUMBER,
)

DESIGN_FIELDS = {"empathy_score", "empathy_components", "difficulty", "deescalated",
                 "missed_emotion_turns", "robotic", "listening", "friction", "moments", "turns",
                 "model_version"}


def make(turns: list[tuple[str, str]], **kw: object) -> Interaction:
    return Interaction(id=str(kw.pop("id", "t-1")),
                       turns=[Turn(speaker=s, text=t) for s, t in turns], **kw)  # type: ignore[arg-type]


GOOD_CALL = make([
    ("agent", GREETING),
    ("customer", FRUSTRATED_REPEAT_CALLER),
    ("agent", ACKNOWLEDGE_FRUSTRATION + " " + OWNERSHIP_WITH_TIME),
    ("customer", GRATEFUL_CUSTOMER),
], id="good")

MISSED_CUE_CALL = make([
    ("customer", FURIOUS_THREAT),
    ("agent", CLOSED_PROCEDURAL_QUESTION),
    ("customer", PLAIN_ACCOUNT_NUMBER),
    ("agent", BLAME_CUSTOMER),
], id="missed")

ROBOTIC_CALL = make([
    ("customer", FRUSTRATED_REPEAT_CALLER),
    ("agent", CANNED_LINE + " Can I take your account number?"),
    ("customer", "It's 4481 2290. Are you even listening? I've been waiting for weeks!"),
    ("agent", CANNED_LINE + " Can you confirm your date of birth?"),
    ("customer", "This is unbelievable, you keep saying the same thing."),
    ("agent", CANNED_LINE + " I'll read you our policy now."),
], id="robotic")


def test_fields_and_types(analyzer: Analyzer) -> None:
    res = analyzer.analyze(GOOD_CALL)
    data = res.model_dump(mode="json")
    assert DESIGN_FIELDS <= set(data)
    assert 0 <= data["empathy_score"] <= 100
    assert 0 <= data["difficulty"] <= 100
    assert set(data["empathy_components"]) >= {"acknowledgement", "ownership", "respect"}
    customer_turn, agent_turn = data["turns"][1], data["turns"][2]
    assert set(customer_turn) >= {"index", "speaker", "emotion", "emotion_intensity"}
    assert "behaviours" not in customer_turn
    assert "emotion" not in agent_turn and "behaviours" in agent_turn
    assert InteractionAnalysis.model_validate(data) == res


def test_a_good_call_glows(analyzer: Analyzer) -> None:
    res = analyzer.analyze(GOOD_CALL)
    assert res.missed_emotion_turns == []
    assert res.deescalated
    glows = [m for m in res.moments if m.kind == "glow"]
    assert glows and all(m.evidence and m.reason for m in glows)
    assert res.empathy_score > analyzer.analyze(MISSED_CUE_CALL).empathy_score


def test_missed_cue_and_blame_are_growth_with_evidence(analyzer: Analyzer) -> None:
    res = analyzer.analyze(MISSED_CUE_CALL)
    assert 1 in res.missed_emotion_turns
    growth = {m.turn: m for m in res.moments if m.kind == "growth"}
    assert 1 in growth and "missed cue" in growth[1].reason
    # the feeling is named as the customer sounded, never as a bare label ("sounded worry")
    assert re.search(r"the customer (sounded (angry|frustrated|confused|worried|sad)|'s words) "
                     r"at turn 0", growth[1].reason), growth[1].reason
    assert growth[1].evidence == CLOSED_PROCEDURAL_QUESTION
    assert 3 in growth and "blame" in growth[3].reason
    for m in res.moments:  # every moment quotes the words of its own turn
        assert m.evidence[:40] in " ".join(MISSED_CUE_CALL.turns[m.turn].text.split())


@pytest.mark.parametrize(("emotion", "words"), [
    ("worry", "the customer sounded worried at turn 3"),
    ("anger", "the customer sounded angry at turn 3"),
    ("neutral", "the customer's words at turn 3 asked to be acknowledged"),
    (None, "the customer's words at turn 3 asked to be acknowledged"),
])
def test_a_missed_cue_names_the_feeling_in_plain_words(emotion: str | None, words: str) -> None:
    assert _cue_heard(emotion, 3) == words


@pytest.mark.parametrize(("start", "end", "words"), [
    ("anger", "satisfaction",
     "de-escalated: the customer sounded angry at turn 1; by the end (turn 9) they were satisfied"),
    ("worry", "neutral",
     "de-escalated: the customer sounded worried at turn 1; by the end (turn 9) they were calm"),
    # the model can call a call de-escalated whose turn labels say otherwise: name the words
    ("neutral", "satisfaction", ("de-escalated: the customer's words at turn 1 were uneasy; "
                                "by the end (turn 9) they were satisfied")),
    ("frustration", "worry", ("de-escalated: the customer sounded frustrated at turn 1; "
                             "their last words (turn 9) read as settled")),
])
def test_a_deescalation_is_told_in_plain_words(start: str, end: str, words: str) -> None:
    reason = _deescalation_reason(TurnLabel(index=1, speaker="customer", emotion=start),
                                  TurnLabel(index=9, speaker="customer", emotion=end))
    assert reason == words


def test_robotic_repetition(analyzer: Analyzer) -> None:
    res = analyzer.analyze(ROBOTIC_CALL)
    assert res.robotic
    robotic = [m for m in res.moments if m.reason.startswith("robotic")]
    assert robotic and "understand your frustration" in robotic[0].evidence
    assert res.empathy_score <= 60
    assert not analyzer.analyze(GOOD_CALL).robotic


def test_batch_equals_single_on_the_corpus(analyzer: Analyzer) -> None:
    xs = [conversation_interaction(c) for c in load_conversations()][:30]
    xs += [GOOD_CALL, MISSED_CUE_CALL, ROBOTIC_CALL]
    together = [r.model_dump(mode="json") for r in analyzer.analyze_many(xs)]
    shuffled = xs[:]
    random.Random(3).shuffle(shuffled)
    by_id = {r.interaction_id: r.model_dump(mode="json") for r in analyzer.analyze_many(shuffled)}
    fresh = Analyzer(encoder=type(analyzer.encoder)())  # a cold cache, one at a time
    for x, batch_result in zip(xs, together, strict=True):
        assert fresh.analyze(x).model_dump(mode="json") == batch_result
        assert by_id[x.id] == batch_result


def test_runs_are_deterministic(analyzer: Analyzer) -> None:
    a = analyzer.analyze(ROBOTIC_CALL).model_dump(mode="json")
    b = analyzer.analyze(ROBOTIC_CALL).model_dump(mode="json")
    assert a == b


def test_listening_and_friction_with_times(analyzer: Analyzer) -> None:
    x = Interaction(
        id="timed", hold_seconds=60, transfers=1, handle_seconds=300,
        turns=[
            Turn(speaker="customer", text=FRUSTRATED_REPEAT_CALLER, start_ms=0, end_ms=6000),
            Turn(speaker="agent", text="Let me put you on hold while I check.", start_ms=5000,
                 end_ms=8000),
            Turn(speaker="agent", text="Thanks for holding. What happened when you called?",
                 start_ms=20000, end_ms=23000),
            Turn(speaker="customer", text="They said it was fixed.", start_ms=23500,
                 end_ms=25000),
        ],
    )
    res = analyzer.analyze(x)
    assert res.listening["timed"] is True
    assert res.listening["interruptions"] == 1
    assert res.listening["silence_seconds"] == 12.0
    assert res.listening["questions_asked"] == 1
    assert res.listening["longest_monologue_seconds"] == 6.0
    assert res.friction["hold_seconds"] == 60 and res.friction["transfers"] == 1
    assert res.friction["hold_share"] == 0.2
    assert res.friction["hold_mentions"] == [1, 2]
    assert res.friction["repeat_contact_mentions"] == [0]


@pytest.mark.parametrize(
    "turns",
    [
        [],
        [("customer", "")],
        [("customer", EMOJI_ANGRY), ("agent", "🙏")],
        [("customer", KEYBOARD_MASH), ("agent", KEYBOARD_MASH)],
        [("customer", GERMAN_COMPLAINT), ("agent", "Das tut mir sehr leid.")],
        [("agent", GREETING)],
        [("customer", FURIOUS_THREAT)],
    ],
)
def test_odd_inputs_do_not_crash(analyzer: Analyzer, turns: list[tuple[str, str]]) -> None:
    res = analyzer.analyze(make(turns))
    assert 0 <= res.empathy_score <= 100 and 0 <= res.difficulty <= 100
    assert len(res.turns) == len(turns)
    if not turns:
        assert res.moments == [] and res.missed_emotion_turns == [] and not res.deescalated


def test_emoji_only_customer_gets_a_rule_not_a_guess(analyzer: Analyzer) -> None:
    res = analyzer.analyze(make([("customer", EMOJI_ANGRY)]))
    assert res.turns[0].emotion == "anger"
    assert res.turns[0].rules[0]["rule"] == "emotion.no_words"


@pytest.mark.slow
def test_ten_thousand_turns(analyzer: Analyzer) -> None:
    lines = [("customer", FRUSTRATED_REPEAT_CALLER), ("agent", CANNED_LINE),
             ("customer", PLAIN_ACCOUNT_NUMBER), ("agent", OWNERSHIP_WITH_TIME)]
    x = make([lines[i % 4] for i in range(10_000)], id="long")
    res = analyzer.analyze(x)
    assert len(res.turns) == 10_000
    assert res.robotic
    assert len(res.moments) <= 25  # capped, still readable


def test_canned_phrase_overuse(analyzer: Analyzer) -> None:
    canned = [make([("customer", FRUSTRATED_REPEAT_CALLER), ("agent", CANNED_LINE)], id=f"c{i}")
              for i in range(3)]
    varied = [make([("customer", FRUSTRATED_REPEAT_CALLER), ("agent", text)], id=f"v{i}")
              for i, text in enumerate([ACKNOWLEDGE_FRUSTRATION,
                                        "That sounds exhausting, three calls is far too many.",
                                        "I'm really sorry you've had to chase us like this."])]
    res = canned_phrase_overuse({
        "robot": analyzer.analyze_many(canned),
        "human": analyzer.analyze_many(varied),
        "quiet": [],
    })
    assert res["robot"] == 1.0
    assert res["human"] == 0.0
    assert res["quiet"] == 0.0


def test_stale_interaction_parameters_ask_for_training(tmp_path: Path, encoder: Encoder) -> None:
    from heartline.analysis.heads import ArtefactError

    (tmp_path / "interaction.v1.json").write_text(
        '{"cue_model": {"coef": [1.0, 2.0], "intercept": 0.0}}'
    )
    with pytest.raises(ArtefactError, match="heartline train"):
        _ = Analyzer(tmp_path, encoder).params


def test_missing_forest_ack_or_words_head_asks_for_training(tmp_path: Path,
                                                           encoder: Encoder) -> None:
    import json
    import shutil

    from heartline.analysis.heads import ArtefactError
    from heartline.analysis.pipeline import ARTEFACTS, DIFFICULTY_FOREST_FILE
    from heartline.analysis.words import WORDS_FILE

    copy = tmp_path / "artefacts"
    shutil.copytree(ARTEFACTS, copy)
    assert json.loads((copy / "interaction.v1.json").read_text())["difficulty_forest"] == (
        DIFFICULTY_FOREST_FILE)
    assert Analyzer(copy, encoder).params["difficulty_forest"].n_features > 0
    (copy / DIFFICULTY_FOREST_FILE).unlink()
    with pytest.raises(ArtefactError, match=f"{DIFFICULTY_FOREST_FILE} is missing"):
        _ = Analyzer(copy, encoder).params
    # the missed-cue model was fitted with ack_strength: without its head it must not guess
    shutil.copy(ARTEFACTS / DIFFICULTY_FOREST_FILE, copy / DIFFICULTY_FOREST_FILE)
    (copy / "ack.agent.v1.npz").unlink()
    with pytest.raises(ArtefactError, match="ack.agent.v1.npz is missing"):
        _ = Analyzer(copy, encoder).params
    shutil.copy(ARTEFACTS / "ack.agent.v1.npz", copy / "ack.agent.v1.npz")
    (copy / "miss.agent.v1.npz").unlink()
    with pytest.raises(ArtefactError, match="miss.agent.v1.npz is missing"):
        _ = Analyzer(copy, encoder).params
    # likewise the de-escalation model and the words head it was fitted with
    shutil.copy(ARTEFACTS / "miss.agent.v1.npz", copy / "miss.agent.v1.npz")
    assert Analyzer(copy, encoder).params["deescalation_words"] is not None
    (copy / WORDS_FILE).unlink()
    with pytest.raises(ArtefactError, match=f"{WORDS_FILE} is missing"):
        _ = Analyzer(copy, encoder).params


def test_model_version_follows_the_artefacts(tmp_path: Path, analyzer: Analyzer) -> None:
    import shutil

    from heartline.analysis.pipeline import ARTEFACTS, MODEL_VERSION

    result = analyzer.analyze(GOOD_CALL)
    assert result.model_version == analyzer.version
    assert analyzer.version.startswith(MODEL_VERSION + "+")
    copy = tmp_path / "artefacts"
    shutil.copytree(ARTEFACTS, copy)
    assert Analyzer(copy).version == analyzer.version  # same bytes, same version
    params = copy / "interaction.v1.json"
    params.write_text(params.read_text().replace("\n", "\n ", 1))  # a retrain that changed one byte
    assert Analyzer(copy).version != analyzer.version


def test_cue_targets_take_the_third_vote_over_the_second() -> None:
    from types import SimpleNamespace

    from heartline.analysis.pipeline import cue_targets

    conv = SimpleNamespace(missed_emotion_turns=[4], extra={"annotations": {
        "first": {"missed_emotion_turns": [4]},
        "second": {"cues": [[2, True, True], [4, False, False], [6, True, False]]},
        "third": {"cues": [[4, True, False], [6, False, False]]},
    }})
    # turn 2: strong but answered; turn 4: the third vote says strong; turn 6: the third
    # vote says the customer turn before it was not strong after all
    assert cue_targets(conv) == {2: True, 4: True, 6: False}
    plain = SimpleNamespace(missed_emotion_turns=[3], extra={})
    assert cue_targets(plain) == {3: True}


def _every_reply(conv: Any) -> list[int]:
    from heartline.analysis.pipeline import conversation_interaction

    turns = conversation_interaction(conv).turns
    return [i for i in range(1, len(turns))
            if turns[i].speaker == "agent" and turns[i - 1].speaker == "customer"]


@pytest.mark.parametrize(("field", "flip", "missed"), [
    ("cue_strength", lambda t, strong, ack: [t, not strong, ack], lambda c: []),
    ("ack_strength", lambda t, strong, ack: [t, strong, not ack], lambda c: []),
    ("miss_strength", lambda t, strong, ack: [t, strong, ack], _every_reply),
])
def test_turn_head_values_are_out_of_fold(analyzer: Analyzer, field: str, flip: Any,
                                          missed: Any) -> None:
    """A conversation's cue_strength, ack_strength and miss_strength never come from heads
    that saw its labels."""
    import copy

    from heartline.analysis.pipeline import label_conversations, out_of_fold_strengths

    convs = sorted(load_conversations(), key=lambda c: c.id)[:25]
    xs, labels = label_conversations(convs, analyzer)
    base = out_of_fold_strengths(analyzer, convs, xs, labels)
    flipped = copy.deepcopy(convs)
    target = flipped[0]  # the first id: in fold 0, so only the heads of folds 1-4 learn from it
    ann = target.extra["annotations"]
    ann["second"]["cues"] = [flip(*cue) for cue in ann["second"]["cues"]]
    ann.pop("third", None)
    target.missed_emotion_turns = missed(target)
    again = out_of_fold_strengths(analyzer, flipped, xs, labels)

    def values(lab: list) -> list[float]:
        return [t[field] for t in lab if t and field in t]

    assert values(base[0])
    assert values(again[0]) == values(base[0])  # its own labels never reached its heads
    assert any(values(again[k]) != values(base[k]) for k in range(1, len(convs)))
    assert all(0.0 <= v <= 1.0 for lab in base for v in values(lab))


def test_cue_strength_is_reported_on_customer_turns(analyzer: Analyzer) -> None:
    res = analyzer.label_customer([
        "I was told that in the first email. And the second. And nobody has rung me back.",
        "My postcode is BS3 4QT.",
    ])
    assert all(0.0 <= r["cue_strength"] <= 1.0 for r in res)
    assert res[0]["cue_strength"] > res[1]["cue_strength"]


def test_ack_targets_follow_the_votes() -> None:
    from types import SimpleNamespace

    from heartline.analysis.pipeline import ack_targets

    conv = SimpleNamespace(missed_emotion_turns=[5], extra={"annotations": {
        "second": {"cues": [[1, True, True], [3, True, False], [5, True, True]]},
        "third": {"cues": [[3, True, True]]}}})
    # the third vote settles turn 3; a settled missed cue (turn 5) was not acknowledged
    assert ack_targets(conv) == {1: True, 3: True, 5: False}
    assert ack_targets(SimpleNamespace(missed_emotion_turns=[2], extra={})) == {}


def test_miss_targets_cover_every_reply() -> None:
    from types import SimpleNamespace

    from heartline.analysis.pipeline import miss_targets

    x = Interaction(id="m", turns=[Turn(speaker="agent", text="Hello, how can I help?"),
                                   Turn(speaker="customer", text="My bill doubled!"),
                                   Turn(speaker="agent", text="Account number?"),
                                   Turn(speaker="agent", text="Thanks."),
                                   Turn(speaker="customer", text="It's 1234."),
                                   Turn(speaker="agent", text="Got it.")])
    conv = SimpleNamespace(missed_emotion_turns=[2], extra={})
    # the greeting and the agent's second turn answer no customer: no target
    assert miss_targets(conv, x) == {2: True, 5: False}


def test_miss_strength_is_reported_on_agent_turns(analyzer: Analyzer) -> None:
    angry = "This is the third time I've called and nobody has fixed it!"
    replies = ["I'm so sorry, three calls is far too many. Let me sort it now.",
               "Can I take your account number please?", "..."]
    res = analyzer.label_agent(replies, [angry] * 3)
    assert all(0.0 <= r["miss_strength"] <= 1.0 for r in res)
    assert res[1]["miss_strength"] > 0.5 > res[0]["miss_strength"]
    assert res[2]["miss_strength"] == 0.0  # no words, nothing to judge
    assert [analyzer.label_agent([t], [angry])[0]["miss_strength"] for t in replies[:2]] == [
        r["miss_strength"] for r in res[:2]]


def test_ack_strength_is_reported_on_agent_turns(analyzer: Analyzer) -> None:
    angry = "This is the third time I've called and nobody has fixed it!"
    res = analyzer.label_agent(
        ["I'm so sorry, three calls is far too many. Let me sort it now.",
         "Can I take your account number please?", "..."],
        [angry, angry, angry])
    assert all(0.0 <= r["ack_strength"] <= 1.0 for r in res)
    assert res[0]["ack_strength"] > 0.5 > res[1]["ack_strength"]
    assert res[2]["ack_strength"] == 0.0  # no words, nothing acknowledged
    # one at a time gives what the batch gives
    assert [analyzer.label_agent([t], [angry])[0]["ack_strength"]
            for t in ("I'm so sorry, three calls is far too many. Let me sort it now.",
                      "Can I take your account number please?")] == [
        r["ack_strength"] for r in res[:2]]


def _upset_customer_turns(k: int) -> tuple[list[TurnLabel], list[dict], list[str]]:
    label = {"emotion": "frustration", "emotion_intensity": 0.8, "strong_negative": 0.9,
             "cue_strength": 0.9, "scores": {"frustration": 0.9, "neutral": 0.1}}
    turns = [TurnLabel(index=2 * i, speaker="customer", emotion="frustration") for i in range(k)]
    labels: list[dict] = [label, {}] * k
    return turns, labels, [FRUSTRATED_REPEAT_CALLER, GREETING] * k


def test_difficulty_load_adds_up_where_shares_do_not() -> None:
    """Upset for two turns or for six: every share and peak is the same, the load is not."""
    short, long_ = (dict(zip(DIFFICULTY_FEATURES, difficulty_features(*_upset_customer_turns(k)),
                             strict=True)) for k in (2, 6))
    for name in ("cue_share", "peak_cue", "strong_share", "mean_negativity", "negative_share"):
        assert short[name] == pytest.approx(long_[name]), name
    assert long_["cue_load"] > short["cue_load"] > 0


def test_deescalation_reads_the_cue_head_early_and_at_the_end() -> None:
    """early_cue is the strongest cue in the first half, end_cue in the last two turns."""
    strengths = [0.2, 0.9, 0.1, 0.3, 0.05, 0.6]  # six customer turns: half = 3, end = 2
    customer = [TurnLabel(index=2 * i, speaker="customer", emotion="neutral")
                for i in range(len(strengths))]
    labels: list[dict | None] = []
    for s in strengths:
        labels += [{"emotion": "neutral", "scores": {"neutral": 1.0}, "cue_strength": s}, None]
    feats = dict(zip(DEESCALATION_FEATURES, deescalation_features(customer, labels), strict=True))
    assert feats["early_cue"] == 0.9
    assert feats["end_cue"] == 0.6
    # without a cue head the labels carry no cue_strength: both read 0
    bare = [None if lab is None else {k: v for k, v in lab.items() if k != "cue_strength"}
            for lab in labels]
    feats = dict(zip(DEESCALATION_FEATURES, deescalation_features(customer, bare), strict=True))
    assert feats["early_cue"] == feats["end_cue"] == 0.0


def test_deescalation_reads_what_the_agent_did() -> None:
    """Acting counts only in the second half; empathy and harm count anywhere in the call."""
    def agent_label(**scores: float) -> dict:
        return {"behaviours": [], "scores": {b: 0.0 for b in BEHAVIOURS} | scores}

    labels: list[dict | None] = [
        agent_label(ownership=0.9, validate=0.3),  # 0: acts, but in the first half
        {"emotion": "anger", "scores": {"anger": 1.0}, "emotion_intensity": 0.8},
        agent_label(apologize=0.7, dismissive=0.2),  # 2
        {"emotion": "frustration", "scores": {"frustration": 1.0}, "emotion_intensity": 0.5},
        agent_label(ownership=0.4, set_expectations=0.5, blame=0.1),  # 4: second half
        {"emotion": "neutral", "scores": {"neutral": 1.0}},
    ]
    customer = [TurnLabel(index=i, speaker="customer", emotion=labels[i]["emotion"])
                for i in (1, 3, 5)]
    agent = [TurnLabel(index=i, speaker="agent") for i in (0, 2, 4)]
    feats = dict(zip(DEESCALATION_FEATURES,
                     deescalation_features(customer, labels, agent=agent), strict=True))
    assert feats["agent_acted_late"] == pytest.approx(0.9)  # 0.4 + 0.5 at turn 4, not turn 0
    assert feats["agent_empathy"] == pytest.approx(0.7)  # the apology at turn 2
    assert feats["agent_harm"] == pytest.approx(0.2)
    # a call with no agent turns reads 0 on all three
    feats = dict(zip(DEESCALATION_FEATURES, deescalation_features(customer, labels),
                     strict=True))
    assert feats["agent_acted_late"] == feats["agent_empathy"] == feats["agent_harm"] == 0.0


def test_a_longer_upset_call_is_harder(analyzer: Analyzer) -> None:
    def call(k: int) -> Interaction:
        return make([("customer", FRUSTRATED_REPEAT_CALLER), ("agent", ACKNOWLEDGE_FRUSTRATION)] * k,
                    id=f"upset-{k}")

    short, long_ = analyzer.analyze_many([call(2), call(6)])
    assert long_.difficulty > short.difficulty


def test_difficulty_names_the_turns_that_carried_it(analyzer: Analyzer) -> None:
    calm = make([("agent", GREETING), ("customer", PLAIN_ACCOUNT_NUMBER),
                 ("agent", OWNERSHIP_WITH_TIME), ("customer", GRATEFUL_CUSTOMER)], id="calm")
    upset, quiet, robotic = analyzer.analyze_many([MISSED_CUE_CALL, calm, ROBOTIC_CALL])
    assert quiet.difficulty_drivers == []
    for res, call in ((upset, MISSED_CUE_CALL), (robotic, ROBOTIC_CALL)):
        drivers = res.difficulty_drivers
        assert 1 <= len(drivers) <= 3
        assert [d.turn for d in drivers] == sorted(d.turn for d in drivers)
        for d in drivers:
            assert call.turns[d.turn].speaker == "customer"
            words = " ".join(call.turns[d.turn].text.split())
            assert d.strength >= 0.5 and words.startswith(d.evidence.removesuffix("…"))
            assert d.emotion == res.turns[d.turn].emotion
    assert upset.difficulty_drivers[0].turn == 0  # the furious opening
