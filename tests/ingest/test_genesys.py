"""Genesys Cloud transcript importer: the shared sample and bad files."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from json_damage import any_json, json_paths, replaced

from heartline.domain import Channel, Interaction
from heartline.ingest import ccai, contact_lens, genesys
from heartline.ingest.base import Parsed, Reject

A, C = "agent", "customer"
CONVERSATION = "4801fdff-07f1-496e-b03b-61d46ea3a754"
AGENT_USER = "e8b5dcdd-cb3c-48af-b2fe-b73089f3e83b"
QUEUE = "ed7233c8-9785-4891-9770-3ff7c390ebbf"


@pytest.fixture()
def sample_path(samples_dir: Path) -> Path:
    return samples_dir / "genesys_cloud.json"


@pytest.fixture()
def doc(sample_path: Path) -> dict[str, Any]:
    return json.loads(sample_path.read_text())


def write(tmp_path: Path, doc: Any) -> Path:
    path = tmp_path / "genesys.json"
    path.write_text(json.dumps(doc))
    return path


def only_interaction(path: Path) -> Interaction:
    results = list(genesys.FORMAT.parse(path))
    assert len(results) == 1 and isinstance(results[0], Parsed), results
    assert isinstance(results[0].record, Interaction)
    return results[0].record


def rejects_of(path: Path) -> list[Reject]:
    results = list(genesys.FORMAT.parse(path))
    assert results and all(isinstance(r, Reject) for r in results), results
    return results  # type: ignore[return-value]


def test_sniff(sample_path: Path, samples_dir: Path) -> None:
    head = sample_path.read_bytes()[:65536]
    assert genesys.FORMAT.sniff(sample_path, head)
    assert not contact_lens.FORMAT.sniff(sample_path, head)
    assert not ccai.FORMAT.sniff(sample_path, head)
    other = samples_dir / "contact_lens_voice.json"
    assert not genesys.FORMAT.sniff(other, other.read_bytes())


def test_sample_speakers_order_timings_and_metadata(sample_path: Path) -> None:
    i = only_interaction(sample_path)
    assert i.id == CONVERSATION
    assert i.source == "genesys"
    assert i.channel is Channel.voice
    assert i.language == "en-US"
    assert i.agent_id == AGENT_USER
    assert i.queue == QUEUE
    assert i.transfers == 0
    assert i.customer_id == "+16198486188"
    # conversationStartTime 1619441069196; last participant leaves at 1619441076371
    assert i.started_at == datetime(2021, 4, 26, 12, 44, 29, 196000, tzinfo=UTC)
    assert i.ended_at == datetime(2021, 4, 26, 12, 44, 36, 371000, tzinfo=UTC)
    assert i.handle_seconds == pytest.approx(7.175)
    assert [t.speaker.value for t in i.turns] == [C, C, A, C]
    assert [t.text for t in i.turns] == [
        "you are treating me well",
        "thank you very very much",
        "thank you",
        "have a nice day",
    ]
    # phrase startTimeMs minus conversationStartTime; end adds duration.milliseconds
    assert [(t.start_ms, t.end_ms) for t in i.turns] == [
        (120, 1404),
        (1821, 3185),
        (3838, 4366),
        (6099, 7005),
    ]


def test_phrases_from_several_transcripts_are_merged_in_time_order(
    doc: dict, tmp_path: Path
) -> None:
    phrases = doc["transcripts"][0]["phrases"]
    second = json.loads(json.dumps(doc["transcripts"][0]))
    second["phrases"] = [phrases[2]]  # the agent's "thank you"
    doc["transcripts"][0]["phrases"] = [phrases[3], phrases[0], phrases[1]]
    doc["transcripts"].append(second)
    i = only_interaction(write(tmp_path, doc))
    assert [t.text for t in i.turns] == [
        "you are treating me well",
        "thank you very very much",
        "thank you",
        "have a nice day",
    ]


def test_chat_media_iso_start_and_automated_phrases(doc: dict, tmp_path: Path) -> None:
    doc["mediaType"] = "chat"
    doc["conversationStartTime"] = "2021-04-26T12:44:29.000Z"
    doc["transcripts"][0]["phrases"][1]["participantPurpose"] = "ivr"
    i = only_interaction(write(tmp_path, doc))
    assert i.channel is Channel.chat
    assert i.started_at == datetime(2021, 4, 26, 12, 44, 29, tzinfo=UTC)
    assert [(t.speaker.value, t.start_ms) for t in i.turns] == [(C, 316), (A, 4034), (C, 6295)]


def test_phrase_before_the_conversation_start_moves_the_start(doc: dict, tmp_path: Path) -> None:
    doc["conversationStartTime"] = 1619441070000  # after the first phrase
    i = only_interaction(write(tmp_path, doc))
    assert i.turns[0].start_ms == 0
    assert i.started_at == datetime(2021, 4, 26, 12, 44, 29, 316000, tzinfo=UTC)


def test_transferred_call_takes_the_longest_connected_agent(doc: dict, tmp_path: Path) -> None:
    first_agent = dict(
        doc["participants"][2],
        userId="agent-first",
        startTimeMs=1619441069735,
        endTimeMs=1619441070735,
        queueId="queue-first",
    )
    doc["participants"].insert(2, first_agent)
    i = only_interaction(write(tmp_path, doc))
    assert i.agent_id == AGENT_USER
    assert i.queue == QUEUE
    assert i.transfers == 1


def test_truncated_file_is_one_reject_with_line_and_column(
    sample_path: Path, tmp_path: Path
) -> None:
    cut = tmp_path / "cut.json"
    cut.write_bytes(sample_path.read_bytes()[:3000])
    [reject] = rejects_of(cut)
    assert reject.location.startswith("line ") and ", column " in reject.location
    assert reject.field == "(json)"
    assert str(cut) in str(reject)


def test_phrase_missing_text_rejects_the_conversation(doc: dict, tmp_path: Path) -> None:
    del doc["transcripts"][0]["phrases"][2]["text"]
    [reject] = rejects_of(write(tmp_path, doc))
    assert (reject.location, reject.field) == ("$.transcripts[0].phrases[2]", "text")
    assert CONVERSATION in reject.message and "not stored" in reject.message


def test_wrong_types_are_named(doc: dict, tmp_path: Path) -> None:
    phrases = doc["transcripts"][0]["phrases"]
    phrases[0]["startTimeMs"] = "1619441069316"
    phrases[1]["participantPurpose"] = "supervisor"
    phrases[2]["duration"] = {"milliseconds": -5}
    phrases[3]["text"] = ["have", "a", "nice", "day"]
    rejects = rejects_of(write(tmp_path, doc))
    assert [(r.location, r.field) for r in rejects] == [
        ("$.transcripts[0].phrases[0]", "startTimeMs"),
        ("$.transcripts[0].phrases[1]", "participantPurpose"),
        ("$.transcripts[0].phrases[2].duration", "milliseconds"),
        ("$.transcripts[0].phrases[3]", "text"),
    ]


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("conversationId", None, "conversationId"),
        ("conversationId", "  ", "conversationId"),
        ("transcripts", None, "transcripts"),
        ("transcripts", "none", "transcripts"),
        ("mediaType", "fax", "mediaType"),
        ("conversationStartTime", "not a time", "conversationStartTime"),
    ],
)
def test_top_level_problems(doc: dict, tmp_path: Path, key: str, value: Any, field: str) -> None:
    if value is None:
        del doc[key]
    else:
        doc[key] = value
    rejects = rejects_of(write(tmp_path, doc))
    assert ("$", field) in [(r.location, r.field) for r in rejects]


# --------------------------------------------------------------------------- robustness

ANY_JSON = any_json("external", "internal", "agent", "customer", "call", "2021-04-26T12:44:29Z")




@given(data=st.data())
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_damage_gives_records_or_rejects_never_an_exception(
    doc: dict, tmp_path: Path, data: st.DataObject
) -> None:
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        where = data.draw(st.sampled_from(list(json_paths(doc))))
        doc = replaced(doc, where, data.draw(ANY_JSON), data.draw(st.booleans()))
    results = list(genesys.FORMAT.parse(write(tmp_path, doc)))
    assert results and all(isinstance(r, Parsed | Reject) for r in results)
    assert sum(isinstance(r, Parsed) for r in results) <= 1
