"""The corpus loads and its split is fixed, about a quarter held out, never overlapping."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from heartline.analysis import corpus


def test_split_rule_is_the_documented_hash() -> None:
    for ident in ("cust-a-0001", "agent-b-0042", "conv-a-0003"):
        expected = int(hashlib.sha1(ident.encode()).hexdigest(), 16) % 4 == 0
        assert corpus.is_test(ident) is expected


def test_split_is_about_a_quarter_and_disjoint() -> None:
    for items in (corpus.load_customer(), corpus.load_agent()):
        train, test = corpus.split(items)
        assert len(train) + len(test) == len(items)
        assert not {x.id for x in train} & {x.id for x in test}
        assert 0.2 <= len(test) / len(items) <= 0.3


def test_conversations_load_with_labels() -> None:
    convs = corpus.load_conversations()
    assert convs, "the corpus has annotated conversations"
    for c in convs:
        assert c.difficulty_band in ("low", "medium", "high")
        agent_turns = {i for i, t in enumerate(c.turns) if t["speaker"] == "agent"}
        assert set(c.missed_emotion_turns) <= agent_turns


def test_bad_label_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "customer_x.jsonl").write_text(
        '{"id": "x1", "text": "hi", "emotion": "neutral", "intensity": 0.1}\n'
        '{"id": "x2", "text": "hi", "emotion": "joy", "intensity": 0.1}\n'
    )
    with pytest.raises(corpus.CorpusError, match=r"customer_x.jsonl, line 2: unknown emotion"):
        corpus.load_customer(tmp_path)


def _band(d: float) -> str:
    return "low" if d < 35 else "high" if d >= 65 else "medium"


def test_conversation_labels_follow_the_two_annotations_and_the_third_vote() -> None:
    for c in corpus.load_conversations():
        ann = c.extra["annotations"]
        first, second, third = ann["first"], ann["second"], ann.get("third", {})
        m1, m2 = set(first["missed_emotion_turns"]), set(second["missed_emotion_turns"])
        assert m2 == {t for t, strong, ack in second["cues"] if strong and not ack}, c.id
        votes = {t for t, strong, ack in third.get("cues", []) if strong and not ack}
        assert {t for t, _, _ in third.get("cues", [])} == m1 ^ m2, c.id
        assert set(c.missed_emotion_turns) == (m1 & m2) | votes, c.id
        if first["deescalated"] == second["deescalated"]:
            assert c.deescalated == first["deescalated"], c.id
        else:
            assert c.deescalated == third["deescalated"], c.id
        ratings = [first["difficulty"], second["difficulty"]]
        # a third rating settles ratings far apart or in different bands: median of three
        if abs(ratings[0] - ratings[1]) >= 25 or _band(ratings[0]) != _band(ratings[1]):
            expected = sorted([*ratings, third["difficulty"]])[1]
        else:
            assert "difficulty" not in third, c.id
            expected = sum(ratings) / 2
        assert c.difficulty == round(expected), c.id
        assert c.difficulty_band == _band(c.difficulty), c.id


def test_agent_labels_follow_two_of_three_annotators() -> None:
    keys = {"ack": "acknowledge_emotion", "validate": "validate", "blame": "blame",
            "dismissive": "dismissive"}
    lines = corpus.load_agent()
    assert all(e.annotations for e in lines), "every agent line is double-annotated"
    for e in lines:
        first, second = set(e.annotations["first"]), e.annotations["second"]
        third = e.annotations.get("third", {})
        for key, label in keys.items():
            if (label in first) == second[key]:
                assert (label in e.behaviours) == second[key], (e.id, label)
                assert key not in third, (e.id, label)
            else:
                assert (label in e.behaviours) == third[key], (e.id, label)
        # the other five behaviours keep the first annotation
        assert {b for b in e.behaviours if b not in keys.values()} == first - set(keys.values())
