"""Google CCAI Insights importer: hand-made fixtures in each shape, and bad files."""

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

FIXTURES = Path(__file__).parent / "fixtures"
CHAT = FIXTURES / "ccai_chat_refund.json"
CALL = FIXTURES / "ccai_conversation_call.json"
SEVERAL = FIXTURES / "ccai_two_conversations.json"
A, C = "agent", "customer"


def load(path: Path) -> Any:
    return json.loads(path.read_text())


def write(tmp_path: Path, doc: Any) -> Path:
    path = tmp_path / "ccai.json"
    path.write_text(json.dumps(doc))
    return path


def parse_all(path: Path) -> list[Parsed | Reject]:
    return list(ccai.FORMAT.parse(path))


def only_interaction(path: Path) -> Interaction:
    results = parse_all(path)
    assert len(results) == 1 and isinstance(results[0], Parsed), results
    assert isinstance(results[0].record, Interaction)
    return results[0].record


def rejects_of(path: Path) -> list[Reject]:
    results = parse_all(path)
    assert results and all(isinstance(r, Reject) for r in results), results
    return results  # type: ignore[return-value]


def test_sniff(samples_dir: Path) -> None:
    for path in (CHAT, CALL, SEVERAL):
        head = path.read_bytes()
        assert ccai.FORMAT.sniff(path, head), path
        assert not contact_lens.FORMAT.sniff(path, head), path
        assert not genesys.FORMAT.sniff(path, head), path
    for name in ("contact_lens_voice.json", "genesys_cloud.json"):
        other = samples_dir / name
        assert not ccai.FORMAT.sniff(other, other.read_bytes())
    line = b'{"id": "c-1", "turns": [{"speaker": "customer", "text": "role user_id entries"}]}\n'
    assert not ccai.FORMAT.sniff(Path("x.jsonl"), line)


def test_chat_entries_speakers_order_and_timings() -> None:
    i = only_interaction(CHAT)
    assert i.source == "ccai"
    assert i.channel is Channel.chat
    assert i.topic == "Refund request"
    assert i.started_at == datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
    assert i.ended_at == datetime(2026, 9, 1, 9, 1, 41, 250000, tzinfo=UTC)
    assert i.handle_seconds == pytest.approx(101.25)
    # AUTOMATED_AGENT and AGENT are the agent, END_USER and CUSTOMER the customer;
    # the last two entries are listed out of time order in the file
    assert [(t.speaker.value, t.start_ms) for t in i.turns] == [
        (A, 0),
        (C, 12500),
        (C, 16000),
        (A, 50000),
        (A, 80000),
        (C, 101250),
    ]
    assert i.turns[2].text == "It's the second time this has happened."
    assert i.turns[-1].text == "Thank you, that's a relief."


def test_chat_id_is_a_stable_content_hash(tmp_path: Path) -> None:
    first = only_interaction(CHAT).id
    assert first.startswith("sha256:")
    same = tmp_path / "same.json"
    same.write_text(json.dumps(load(CHAT), indent=4))
    assert only_interaction(same).id == first
    doc = load(CHAT)
    doc["conversation_id"] = "chat-123"
    assert only_interaction(write(tmp_path, doc)).id == "chat-123"
    doc["conversation_id"] = 90210
    assert only_interaction(write(tmp_path, doc)).id == "90210"


def test_conversation_resource_call() -> None:
    i = only_interaction(CALL)
    assert i.id == "call-20260901-0042"  # last segment of the resource name
    assert i.channel is Channel.voice
    assert i.language == "en-GB"
    assert i.agent_id == "agent-0117"
    assert i.started_at == datetime(2026, 9, 1, 14, 5, tzinfo=UTC)
    assert i.handle_seconds == pytest.approx(95.25)
    assert i.ended_at == datetime(2026, 9, 1, 14, 6, 35, 250000, tzinfo=UTC)
    # the first segment has no role: channelTag 2 is the agent channel in callMetadata
    assert [t.speaker.value for t in i.turns] == [A, C, A]
    assert [(t.start_ms, t.end_ms) for t in i.turns] == [(400, 2600), (3050, 6900), (7300, 10250)]


def test_conversation_resource_in_snake_case_chat(tmp_path: Path) -> None:
    doc = {
        "name": "projects/p/locations/l/conversations/chat-55",
        "medium": "CHAT",
        "language_code": "es-ES",
        "start_time": "2026-09-03T08:00:00Z",
        "transcript": {
            "transcript_segments": [
                {
                    "text": "Hola, ¿en qué puedo ayudarle?",
                    "segment_participant": {"role": "HUMAN_AGENT"},
                    "message_time": "2026-09-03T08:00:05.500Z",
                },
                {
                    "text": "Mi pedido no ha llegado.",
                    "segment_participant": {"role": "END_USER"},
                    "message_time": "2026-09-03T08:00:20Z",
                },
            ]
        },
    }
    i = only_interaction(write(tmp_path, doc))
    assert (i.id, i.channel, i.language) == ("chat-55", Channel.chat, "es-ES")
    assert [(t.speaker.value, t.start_ms) for t in i.turns] == [(A, 5500), (C, 20000)]
    assert i.ended_at == datetime(2026, 9, 3, 8, 0, 20, tzinfo=UTC)


def test_several_conversations_keep_the_good_ones() -> None:
    results = parse_all(SEVERAL)
    good = [r for r in results if isinstance(r, Parsed)]
    bad = [r for r in results if isinstance(r, Reject)]
    assert [(r.location, r.record.id) for r in good] == [("$.conversations[0]", "chat-7781")]
    assert [(r.location, r.field) for r in bad] == [
        ("$.conversations[1].entries[1]", "text"),
        ("$.conversations[1].entries[2]", "role"),
        ("$.conversations[1].entries[2]", "start_timestamp_usec"),
    ]
    assert all("chat-7782" in r.message and "not stored" in r.message for r in bad)
    assert all(r.file == str(SEVERAL) for r in bad)


def test_top_level_array(tmp_path: Path) -> None:
    path = write(tmp_path, [load(CHAT), "not a conversation", {"neither": "shape"}])
    results = parse_all(path)
    assert isinstance(results[0], Parsed) and results[0].location == "$[0]"
    assert [(r.location, r.field) for r in results[1:]] == [
        ("$[1]", "(conversation)"),
        ("$[2]", "entries"),
    ]


def test_truncated_file_is_one_reject_with_line_and_column(tmp_path: Path) -> None:
    raw = CHAT.read_bytes()
    cut = tmp_path / "cut.json"
    cut.write_bytes(raw[: raw.index(b"It's the second")])
    [reject] = rejects_of(cut)
    line = raw[: raw.index(b"It's the second")].count(b"\n") + 1
    assert reject.location.startswith(f"line {line}, column ")
    assert reject.field == "(json)"


@pytest.mark.parametrize(
    ("change", "where", "field"),
    [
        (lambda d: d["entries"][1].pop("text"), "$.entries[1]", "text"),
        (lambda d: d["entries"][1].update(text=7), "$.entries[1]", "text"),
        (lambda d: d["entries"][1].update(role="BYSTANDER"), "$.entries[1]", "role"),
        (lambda d: d["entries"][1].pop("role"), "$.entries[1]", "role"),
        (
            lambda d: d["entries"][1].update(start_timestamp_usec=1.5),
            "$.entries[1]",
            "start_timestamp_usec",
        ),
        (
            lambda d: d["entries"][1].pop("start_timestamp_usec"),
            "$.entries[1]",
            "start_timestamp_usec",
        ),
        (lambda d: d["entries"][1].update(user_id=[1]), "$.entries[1]", "user_id"),
        (lambda d: d.update(entries={"a": 1}), "$", "entries"),
        (lambda d: d["entries"].append(None), "$.entries[6]", "(item)"),
    ],
)
def test_bad_entries_reject_the_conversation(
    tmp_path: Path, change: Any, where: str, field: str
) -> None:
    doc = load(CHAT)
    change(doc)
    rejects = rejects_of(write(tmp_path, doc))
    assert [(r.location, r.field) for r in rejects] == [(where, field)]


@pytest.mark.parametrize(
    ("change", "where", "field"),
    [
        (lambda d: d.update(medium="CARRIER_PIGEON"), "$", "medium"),
        (lambda d: d.update(duration="soon"), "$", "duration"),
        (
            lambda d: d["transcript"]["transcriptSegments"][0].pop("channelTag"),
            "$.transcript.transcriptSegments[0]",
            "segmentParticipant",
        ),
        (
            lambda d: d["transcript"]["transcriptSegments"][1]["words"][0].update(
                startOffset="3,05s"
            ),
            "$.transcript.transcriptSegments[1].words[0]",
            "startOffset",
        ),
        (lambda d: d["transcript"].pop("transcriptSegments"), "$.transcript", "transcriptSegments"),
    ],
)
def test_bad_resources_name_path_and_field(
    tmp_path: Path, change: Any, where: str, field: str
) -> None:
    doc = load(CALL)
    change(doc)
    rejects = rejects_of(write(tmp_path, doc))
    assert (where, field) in [(r.location, r.field) for r in rejects]


def test_quoted_int64_timestamps_are_read(tmp_path: Path) -> None:
    doc = load(CHAT)
    for entry in doc["entries"]:
        entry["start_timestamp_usec"] = str(entry["start_timestamp_usec"])
    assert [t.start_ms for t in only_interaction(write(tmp_path, doc)).turns][:2] == [0, 12500]


# --------------------------------------------------------------------------- robustness

ANY_JSON = any_json("AGENT", "END_USER", "PHONE_CALL", "1.5s", "2026-09-01T14:05:00Z")




@pytest.mark.parametrize("source", [CHAT, CALL, SEVERAL], ids=["chat", "call", "several"])
@given(data=st.data())
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_damage_gives_records_or_rejects_never_an_exception(
    source: Path, tmp_path: Path, data: st.DataObject
) -> None:
    doc = load(source)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        where = data.draw(st.sampled_from(list(json_paths(doc))))
        doc = replaced(doc, where, data.draw(ANY_JSON), data.draw(st.booleans()))
    results = parse_all(write(tmp_path, doc))
    assert results and all(isinstance(r, Parsed | Reject) for r in results)
