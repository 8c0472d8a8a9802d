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
