"""Amazon Connect Contact Lens importer: the shared voice sample, a chat fixture, bad files."""

from __future__ import annotations

import copy
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

FIXTURES = Path(__file__).parent / "fixtures"
A, C = "agent", "customer"


@pytest.fixture()
def voice_path(samples_dir: Path) -> Path:
    return samples_dir / "contact_lens_voice.json"


@pytest.fixture()
def voice_doc(voice_path: Path) -> dict[str, Any]:
    return json.loads(voice_path.read_text())


def parse_all(path: Path) -> list[Parsed | Reject]:
    return list(contact_lens.FORMAT.parse(path))


def only_interaction(path: Path) -> Interaction:
    results = parse_all(path)
    assert len(results) == 1, results
    assert isinstance(results[0], Parsed), results[0]
    record = results[0].record
    assert isinstance(record, Interaction)
    return record


def write(tmp_path: Path, doc: Any, name: str = "contact.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


def rejects_of(path: Path) -> list[Reject]:
    results = parse_all(path)
    assert all(isinstance(r, Reject) for r in results), "a bad contact must not be stored"
    return results  # type: ignore[return-value]


# --------------------------------------------------------------------------- voice sample


def test_sniff_claims_contact_lens_files_only(voice_path: Path, samples_dir: Path) -> None:
    head = voice_path.read_bytes()[:65536]
    assert contact_lens.FORMAT.sniff(voice_path, head)
    assert not genesys.FORMAT.sniff(voice_path, head)
    assert not ccai.FORMAT.sniff(voice_path, head)
    chat = FIXTURES / "contact_lens_chat.json"
    assert contact_lens.FORMAT.sniff(chat, chat.read_bytes())
    other = samples_dir / "genesys_cloud.json"
    assert not contact_lens.FORMAT.sniff(other, other.read_bytes())
    jsonl = b'{"id": "c-1", "channel": "voice", "turns": [{"speaker": "agent", "text": "Hi"}]}\n'
    assert not contact_lens.FORMAT.sniff(Path("x.jsonl"), jsonl)


def test_voice_sample_speakers_order_and_timings(voice_path: Path) -> None:
    i = only_interaction(voice_path)
    assert i.source == "contact-lens"
    assert i.channel is Channel.voice
    assert i.language == "en-US"
    assert i.topic == "Cancellation"
    assert i.handle_seconds == pytest.approx(32.11)
    assert i.talk_seconds == pytest.approx(28.698)
    assert i.started_at is None  # the file has offsets only, no wall-clock time
    assert [t.speaker.value for t in i.turns] == [A, C, A, C, A, C, A, C, A, C]
    assert [(t.start_ms, t.end_ms) for t in i.turns] == [
        (0, 90),
        (160, 4640),
        (4640, 6610),
        (7370, 11190),
        (11220, 15210),
        (15840, 18120),
        (18310, 21820),
        (22610, 24140),
        (24120, 29710),
        (30580, 32110),
    ]
    assert i.turns[1].text == "Just hello. My name is Peter and help."
    assert i.turns[3].text == "I need to cancel. I want to cancel my plan subscription."
    assert i.turns[-1].text == "Thank you. Sir. Have a nice evening."


def test_id_is_a_content_hash_stable_across_formatting(
    voice_path: Path, voice_doc: dict, tmp_path: Path
) -> None:
    first = only_interaction(voice_path).id
    assert first.startswith("sha256:")
    reformatted = tmp_path / "same.json"
    reformatted.write_text(json.dumps(voice_doc, indent=None, sort_keys=True))
    assert only_interaction(reformatted).id == first
    voice_doc["Transcript"][0]["Content"] = "Okay then."
    assert only_interaction(write(tmp_path, voice_doc)).id != first


def test_contact_id_is_the_id_when_present(voice_doc: dict, tmp_path: Path) -> None:
    voice_doc["CustomerMetadata"] = {"ContactId": "b49644f6-0000-4c9a-9d0e-000000000042"}
    assert only_interaction(write(tmp_path, voice_doc)).id == "b49644f6-0000-4c9a-9d0e-000000000042"


def test_participant_ids_are_mapped_through_participants(voice_doc: dict, tmp_path: Path) -> None:
    """In many files ParticipantId is an id, not a role: the role comes from Participants[]."""
    ids = {"AGENT": "7f1c0c1e-agent", "CUSTOMER": "2a9d4b7e-customer"}
    voice_doc["Participants"] = [
        {"ParticipantId": ids["CUSTOMER"], "ParticipantRole": "CUSTOMER"},
        {"ParticipantId": ids["AGENT"], "ParticipantRole": "AGENT"},
    ]
    for item in voice_doc["Transcript"]:
        item["ParticipantId"] = ids[item["ParticipantId"]]
    i = only_interaction(write(tmp_path, voice_doc))
    assert [t.speaker.value for t in i.turns] == [A, C, A, C, A, C, A, C, A, C]


def test_turns_are_put_in_time_order(voice_doc: dict, tmp_path: Path) -> None:
    voice_doc["Transcript"].reverse()
    i = only_interaction(write(tmp_path, voice_doc))
    starts = [t.start_ms for t in i.turns]
    assert starts == sorted(starts)
    assert i.turns[0].text == "Okay."


# --------------------------------------------------------------------------- chat


def test_chat_fixture() -> None:
    i = only_interaction(FIXTURES / "contact_lens_chat.json")
    assert i.id == "5d1c2a7e-0b7f-4a8e-9d64-3f2e51c0aa01"
    assert i.channel is Channel.chat
    assert i.language == "en-GB"
    assert i.topic == "BillingDispute"
    assert i.started_at == datetime(2026, 9, 2, 10, 15, tzinfo=UTC)  # customer joined
    assert i.ended_at == datetime(2026, 9, 2, 10, 17, 30, tzinfo=UTC)  # customer left
    assert i.handle_seconds == pytest.approx(150)
    # joins/leaves, the contact-flow message and the attachment are not turns;
    # the customer's two messages in a row stay two turns
    assert [(t.speaker.value, t.start_ms) for t in i.turns] == [
        (A, 24500),
        (C, 40000),
        (C, 44000),
        (A, 65750),
    ]
    assert i.turns[1].text == "I was billed twice for September and I'm annoyed."
    assert all(t.end_ms is None for t in i.turns)


def test_chat_role_on_the_item_is_used_when_participants_are_missing(tmp_path: Path) -> None:
    doc = json.loads((FIXTURES / "contact_lens_chat.json").read_text())
    roles = {p["ParticipantId"]: p["ParticipantRole"] for p in doc.pop("Participants")}
    for item in doc["Transcript"]:
        item["ParticipantRole"] = roles[item["ParticipantId"]]
    i = only_interaction(write(tmp_path, doc))
    assert [t.speaker.value for t in i.turns] == [A, C, C, A]


# --------------------------------------------------------------------------- bad input


def test_truncated_json_is_one_reject_with_line_and_column(
    voice_path: Path, tmp_path: Path
) -> None:
    raw = voice_path.read_bytes()
    cut = tmp_path / "truncated.json"
    cut.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(cut.read_text())
    [reject] = rejects_of(cut)
    assert reject.file == str(cut)
    assert reject.location == f"line {expected.value.lineno}, column {expected.value.colno}"
    assert reject.field == "(json)"
    assert str(cut) in str(reject)


@pytest.mark.parametrize(
    "content", [b"", b"   \n", b"\xff\xfe{not utf-8}", b"[1, 2, 3]", b'"text"']
)
def test_unreadable_documents_are_rejected_not_raised(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    [reject] = rejects_of(path)
    assert reject.file == str(path)


def test_missing_file_is_a_reject(tmp_path: Path) -> None:
    [reject] = rejects_of(tmp_path / "gone.json")
    assert reject.field == "(file)"


def test_item_missing_content_rejects_the_contact_naming_the_path(
    voice_doc: dict, tmp_path: Path
) -> None:
    del voice_doc["Transcript"][3]["Content"]
    path = write(tmp_path, voice_doc)
    [reject] = rejects_of(path)
    assert (reject.location, reject.field) == ("$.Transcript[3]", "Content")
    assert f"{reject.location}.{reject.field}" == "$.Transcript[3].Content"
    assert "missing" in reject.message and "not stored" in reject.message
    assert str(path) in str(reject)


def test_every_bad_item_is_named(voice_doc: dict, tmp_path: Path) -> None:
    t = voice_doc["Transcript"]
    t[1]["BeginOffsetMillis"] = "160"
    t[2]["Content"] = 42
    t[4]["ParticipantId"] = "SUPPORT-BOT-9"
    t[5]["EndOffsetMillis"] = 100  # before it begins
    t[6] = "not an object"
    rejects = rejects_of(write(tmp_path, voice_doc))
    assert [(r.location, r.field) for r in rejects] == [
        ("$.Transcript[1]", "BeginOffsetMillis"),
        ("$.Transcript[2]", "Content"),
        ("$.Transcript[4]", "ParticipantId"),
        ("$.Transcript[5]", "EndOffsetMillis"),
        ("$.Transcript[6]", "(item)"),
    ]
    assert "expected a number of milliseconds, got text ('160')" in rejects[0].message
    assert "expected text, got a number (42)" in rejects[1].message
    assert "'SUPPORT-BOT-9'" in rejects[2].message


@pytest.mark.parametrize(
    ("change", "where", "field"),
    [
        (lambda d: d.pop("Transcript"), "$", "Transcript"),
        (lambda d: d.update(Transcript={"0": "x"}), "$", "Transcript"),
        (lambda d: d.update(Channel="FAX"), "$", "Channel"),
        (lambda d: d.update(JobStatus="FAILED"), "$", "JobStatus"),
        (
            lambda d: d.update(Participants=[{"ParticipantId": "AGENT"}]),
            "$.Participants[0]",
            "ParticipantRole",
        ),
        (lambda d: d["Transcript"][0].pop("ParticipantId"), "$.Transcript[0]", "ParticipantId"),
        (lambda d: d["Transcript"][0].update(Content="x" * 20_001), "$.Transcript[0]", "text"),
    ],
)
def test_structural_problems_name_path_and_field(
    voice_doc: dict, tmp_path: Path, change: Any, where: str, field: str
) -> None:
    doc = copy.deepcopy(voice_doc)
    change(doc)
    rejects = rejects_of(write(tmp_path, doc))
    assert (where, field) in [(r.location, r.field) for r in rejects]


def test_chat_item_with_an_unreadable_time_is_rejected(tmp_path: Path) -> None:
    doc = json.loads((FIXTURES / "contact_lens_chat.json").read_text())
    doc["Transcript"][4]["AbsoluteTime"] = "yesterday-ish"
    [reject] = rejects_of(write(tmp_path, doc))
    assert (reject.location, reject.field) == ("$.Transcript[4]", "AbsoluteTime")


# --------------------------------------------------------------------------- robustness

ANY_JSON = any_json("AGENT", "CUSTOMER", "SYSTEM", "MESSAGE", "2026-09-02T10:15:00Z")




@pytest.mark.parametrize("source", ["sample", "chat"])
@given(data=st.data())
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_damage_gives_records_or_rejects_never_an_exception(
    source: str, samples_dir: Path, tmp_path: Path, data: st.DataObject
) -> None:
    path = (
        samples_dir / "contact_lens_voice.json"
        if source == "sample"
        else FIXTURES / "contact_lens_chat.json"
    )
    doc = json.loads(path.read_text())
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        where = data.draw(st.sampled_from(list(json_paths(doc))))
        doc = replaced(doc, where, data.draw(ANY_JSON), data.draw(st.booleans()))
    results = parse_all(write(tmp_path, doc))
    assert results and all(isinstance(r, Parsed | Reject) for r in results)
    assert sum(isinstance(r, Parsed) for r in results) <= 1
