"""Google CCAI Insights conversations.

Shapes read (each key in camelCase or snake_case):

* **upload transcript** (one conversation):
  ``{conversation_info?: {categories?: [{display_name}]}, entries: [{text, role,
  user_id, start_timestamp_usec}]}``.  Entries are chat messages: the earliest
  ``start_timestamp_usec`` (µs since the epoch) is ``started_at`` and every turn's
  ``start_ms`` is its offset from there; the latest is ``ended_at``.  The first
  category is the topic.
* **Insights ``Conversation`` resource** (as the API returns or exports it):
  ``{name, medium, languageCode, agentId, startTime, duration, callMetadata,
  transcript: {transcriptSegments: [{text, segmentParticipant: {role},
  channelTag, messageTime, words: [{startOffset, endOffset}]}]}}``.  A segment's
  time is its first word's ``startOffset`` (and last word's ``endOffset``), else
  its ``messageTime`` relative to ``startTime``; a segment without a role gets it
  from ``channelTag`` and ``callMetadata.agentChannel``/``customerChannel``.
  ``PHONE_CALL`` is voice, ``CHAT`` chat; ``duration`` is the handle time.
* **several conversations**: a JSON array of the above, or ``{conversations: [...]}``.
  Each conversation stands alone: a bad one is rejected, the others are kept.

Speakers: ``AGENT``, ``HUMAN_AGENT``, ``AUTOMATED_AGENT`` and ``ANY_AGENT`` are the
agent; ``CUSTOMER`` and ``END_USER`` the customer.  Consecutive entries by the same
speaker stay separate turns.  Turns are put in time order.

Id: the conversation's ``name`` (its last path segment) or ``conversation_id`` /
``id``, else ``sha256:`` and a hash of the conversation's JSON content.

**Bad input.**  Invalid JSON gives one reject with the line and column.  A
conversation is stored whole or not at all: an entry without ``text``, with an
unknown ``role`` or a ``start_timestamp_usec`` that is not a number rejects the
whole conversation, with one reject per problem naming the JSON path
(``$.entries[3]``, or ``$[1].entries[3]`` in a list) and the field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from heartline.domain import Channel, Interaction, Speaker
from heartline.ingest.base import Parsed, Reject
from heartline.ingest.jsondoc import (
    EPOCH,
    MAX_EPOCH_MS,
    Problems,
    TurnItem,
    content_id,
    describe,
    finish,
    in_time_order,
    is_number,
    load_json,
    make_turns,
    ms_between,
    not_stored,
    starts_json,
)

name = "ccai"

_ROLES = {
    "AGENT": Speaker.agent,
    "HUMAN_AGENT": Speaker.agent,
    "AUTOMATED_AGENT": Speaker.agent,
    "ANY_AGENT": Speaker.agent,
    "CUSTOMER": Speaker.customer,
    "END_USER": Speaker.customer,
}
_MEDIA = {"PHONE_CALL": Channel.voice, "CHAT": Channel.chat}
_MAX_SECONDS = 366 * 24 * 3600  # no conversation or offset in one lasts a year
_MARKERS = (
    b'"transcriptSegments"',
    b'"transcript_segments"',
    b'"segmentParticipant"',
    b'"segment_participant"',
    b'"start_timestamp_usec"',
)


def sniff(path: Path, head: bytes) -> bool:
    if not starts_json(head, b"{", b"["):
        return False
    if any(m in head for m in _MARKERS):
        return True
    return b'"entries"' in head and b'"role"' in head and b'"user_id"' in head


def parse(path: Path) -> Iterator[Parsed | Reject]:
    file = str(path)
    doc, error = load_json(path)
    if error is not None:
        yield error
        return
    seen = 0
    for root, conv in _conversations(doc, file):
        seen += 1
        if isinstance(conv, Reject):
            yield conv
        elif not isinstance(conv, dict):
            yield Reject(file, root, "(conversation)", f"expected an object, got {describe(conv)}")
        else:
            yield from build(conv, file, root)
    if not seen:
        yield Reject(file, "$", "(conversation)", "the file holds no conversations")


def _conversations(doc: Any, file: str) -> Iterator[tuple[str, Any]]:
    if isinstance(doc, list):
        for i, conv in enumerate(doc):
            yield f"$[{i}]", conv
    elif isinstance(doc, dict) and "conversations" in doc and not _is_conversation(doc):
        convs = doc["conversations"]
        if not isinstance(convs, list):
            reason = f"expected an array, got {describe(convs)}"
            yield "$", Reject(file, "$", "conversations", reason)
            return
        for i, conv in enumerate(convs):
            yield f"$.conversations[{i}]", conv
    else:
        yield "$", doc


def _is_conversation(doc: dict[str, Any]) -> bool:
    return "entries" in doc or "transcript" in doc


def _get(obj: dict[str, Any], camel: str, snake: str) -> Any:
    return obj[camel] if camel in obj else obj.get(snake)


def _key(obj: dict[str, Any], camel: str, snake: str) -> str:
    """Which spelling of a key ``obj`` uses (camelCase when neither is there)."""
    return snake if snake in obj and camel not in obj else camel


def build(conv: dict[str, Any], file: str, root: str = "$") -> Iterator[Parsed | Reject]:
    """Parsed interaction or rejects for one CCAI conversation at JSON path ``root``."""
    p = Problems(file)
    ident = _conversation_id(conv, root, p) or content_id(conv)
    make: Callable[[], Interaction] | None
    if "entries" in conv:
        make = _from_entries(conv, root, ident, p)
    elif "transcript" in conv:
        make = _from_resource(conv, root, ident, p)
    else:
        p.add(root, "entries", "a conversation needs entries[] or transcript.transcriptSegments[]")
        make = None
    if make is None:
        yield from p.rejects(not_stored(ident))
        return
    yield from finish(p, make, ident, root)


def _conversation_id(conv: dict[str, Any], root: str, p: Problems) -> str | None:
    for key in ("name", "conversation_id", "conversationId", "id"):
        if key in conv:
            if _is_int(conv[key]):
                return str(conv[key])
            value = p.text(conv, key, root)
            if value and value.strip():
                return value.strip().rstrip("/").rsplit("/", 1)[-1]
    return None


# --------------------------------------------------------------------------- entries


def _from_entries(
    conv: dict[str, Any], root: str, ident: str, p: Problems
) -> Callable[[], Interaction]:
    entries = p.array(conv, "entries", root) or []
    parsed: list[tuple[TurnItem, int]] = []  # item, µs since the epoch
    for i, entry in enumerate(entries):
        path = f"{root}.entries[{i}]"
        if not isinstance(entry, dict):
            p.add(path, "(item)", f"expected an object, got {describe(entry)}")
            continue
        text = p.text(entry, "text", path)
        speaker = _speaker(entry, "role", path, p)
        usec = _usec(entry, path, p)
        user = entry.get("user_id")
        if user is not None and not _is_int(user) and not isinstance(user, str):
            p.add(path, "user_id", f"expected a number, got {describe(user)}")
        if text is None or speaker is None or usec is None or not text.strip():
            continue
        parsed.append((TurnItem(i, path, speaker, text), usec))

    t0 = min((u for _, u in parsed), default=None)
    t1 = max((u for _, u in parsed), default=None)
    for item, usec in parsed:
        item.start_ms = (usec - t0) // 1000 if t0 is not None else None
    info = conv.get("conversation_info")
    topic = _first_category(info) if isinstance(info, dict) else None
    language = _text_at(conv, "languageCode", "language_code", root, p)
    items = in_time_order([item for item, _ in parsed])
    started = _from_usec(t0) if t0 is not None else None
    ended = _from_usec(t1) if t1 is not None else None

    def make() -> Interaction:
        return Interaction(
            id=ident,
            source=name,
            channel=Channel.chat,
            topic=topic,
            language=language,
            started_at=started,
            ended_at=ended,
            turns=make_turns(items, p),
        )

    return make


def _usec(entry: dict[str, Any], path: str, p: Problems) -> int | None:
    key = "start_timestamp_usec"
    value = entry.get(key)
    if value is None:
        p.add(path, key, "required field is missing")
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)  # JSON exports of int64 often quote them
    if not _is_int(value) or not 0 <= value <= MAX_EPOCH_MS * 1000:
        p.add(path, key, f"expected microseconds since the epoch, got {describe(value)}")
        return None
    return int(value)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _from_usec(usec: int) -> datetime:
    return EPOCH + timedelta(microseconds=usec)


def _first_category(info: dict[str, Any]) -> str | None:
    cats = info.get("categories")
    if isinstance(cats, list):
        for cat in cats:
            label = (
                (cat.get("display_name") or cat.get("displayName"))
                if isinstance(cat, dict)
                else None
            )
            if isinstance(label, str) and label.strip():
                return label.strip()[:120]
    return None


def _speaker(obj: dict[str, Any], key: str, path: str, p: Problems) -> Speaker | None:
    role = p.text(obj, key, path)
    if role is None:
        return None
    speaker = _ROLES.get(role.strip().upper())
    if speaker is None:
        p.add(
            path,
            key,
            f"unknown role {role!r}; expected AGENT, AUTOMATED_AGENT, CUSTOMER or END_USER",
        )
    return speaker


def _text_at(obj: dict[str, Any], camel: str, snake: str, path: str, p: Problems) -> str | None:
    value = p.text(obj, _key(obj, camel, snake), path, required=False)
    return (value.strip() or None) if value else None


# --------------------------------------------------------------------------- resource


def _from_resource(
    conv: dict[str, Any], root: str, ident: str, p: Problems
) -> Callable[[], Interaction]:
    transcript = p.obj(conv, "transcript", root)
    tpath = f"{root}.transcript"
    seg_key = _key(transcript or {}, "transcriptSegments", "transcript_segments")
    segments = p.array(transcript, seg_key, tpath) if transcript is not None else None

    medium = _text_at(conv, "medium", "medium", root, p)
    channel = None
    if medium is not None:
        channel = _MEDIA.get(medium.upper())
        if channel is None and medium.upper() != "MEDIUM_UNSPECIFIED":
            p.add(root, "medium", f"unknown medium {medium!r}; expected PHONE_CALL or CHAT")
    start_key = _key(conv, "startTime", "start_time")
    started = p.timestamp(conv, start_key, root, required=False)
    handle = _seconds(_get(conv, "duration", "duration"), root, "duration", p)
    channels = _channel_roles(conv)

    items: list[TurnItem] = []
    message_times: list[tuple[TurnItem, datetime]] = []
    word_timed = False
    for i, seg in enumerate(segments or []):
        path = f"{tpath}.{seg_key}[{i}]"
        if not isinstance(seg, dict):
            p.add(path, "(item)", f"expected an object, got {describe(seg)}")
            continue
        text = p.text(seg, "text", path)
        speaker = _segment_speaker(seg, path, channels, p)
        start_ms, end_ms = _word_times(seg, path, p)
        at_key = _key(seg, "messageTime", "message_time")
        at = p.timestamp(seg, at_key, path, required=False)
        if text is None or speaker is None or not text.strip():
            continue
        item = TurnItem(i, path, speaker, text, start_ms, end_ms, at)
        word_timed = word_timed or start_ms is not None
        if start_ms is None and at is not None:
            message_times.append((item, at))
        items.append(item)

    if message_times:
        t0 = min(at for _, at in message_times)
        if started is None or t0 < started:
            started = t0
        for item, at in message_times:
            item.start_ms = ms_between(started, at)
    if channel is None:
        channel = Channel.voice if word_timed else Channel.chat
    ended = None
    if started is not None and handle is not None:
        try:
            ended = started + timedelta(seconds=handle)
        except OverflowError:
            p.add(root, "duration", "the conversation would end after the year 9999")
    if ended is None and started is not None and message_times:
        ended = max(at for _, at in message_times)
    agent_id = _text_at(conv, "agentId", "agent_id", root, p)
    language = _text_at(conv, "languageCode", "language_code", root, p)
    ordered = in_time_order(items)

    def make() -> Interaction:
        return Interaction(
            id=ident,
            source=name,
            channel=channel,
            agent_id=agent_id,
            language=language,
            started_at=started,
            ended_at=ended,
            handle_seconds=handle,
            turns=make_turns(ordered, p),
        )

    return make


def _channel_roles(conv: dict[str, Any]) -> dict[int, Speaker]:
    meta = _get(conv, "callMetadata", "call_metadata")
    out: dict[int, Speaker] = {}
    if isinstance(meta, dict):
        agent = _get(meta, "agentChannel", "agent_channel")
        customer = _get(meta, "customerChannel", "customer_channel")
        if _is_int(agent):
            out[agent] = Speaker.agent
        if _is_int(customer):
            out[customer] = Speaker.customer
    return out


def _segment_speaker(
    seg: dict[str, Any], path: str, channels: dict[int, Speaker], p: Problems
) -> Speaker | None:
    part_key = _key(seg, "segmentParticipant", "segment_participant")
    part = p.obj(seg, part_key, path, required=False)
    if part is not None and part.get("role") not in (None, "ROLE_UNSPECIFIED"):
        return _speaker(part, "role", f"{path}.{part_key}", p)
    tag = _get(seg, "channelTag", "channel_tag")
    if _is_int(tag) and tag in channels:
        return channels[tag]
    p.add(path, part_key, "no participant role, and no channelTag that callMetadata names")
    return None


def _word_times(seg: dict[str, Any], path: str, p: Problems) -> tuple[int | None, int | None]:
    words = _get(seg, "words", "words")
    if not isinstance(words, list) or not words:
        return None, None
    first, last = words[0], words[-1]
    if not isinstance(first, dict) or not isinstance(last, dict):
        p.add(path, "words", "expected an array of objects")
        return None, None
    start_key = _key(first, "startOffset", "start_offset")
    end_key = _key(last, "endOffset", "end_offset")
    start = _seconds(first.get(start_key), f"{path}.words[0]", start_key, p)
    end = _seconds(last.get(end_key), f"{path}.words[{len(words) - 1}]", end_key, p)
    start_ms = round(start * 1000) if start is not None else None
    end_ms = round(end * 1000) if end is not None else None
    if start_ms is not None and end_ms is not None and end_ms < start_ms:
        p.add(
            path,
            "words",
            f"the last word ends ({end_ms} ms) before the first begins ({start_ms} ms)",
        )
        return None, None
    return start_ms, end_ms


def _seconds(value: Any, path: str, key: str, p: Problems) -> float | None:
    """A protobuf Duration as JSON (``"1.5s"`` or ``{seconds, nanos}``) in seconds."""
    if value is None:
        return None
    seconds: float | None = None
    if isinstance(value, str) and value.endswith("s"):
        try:
            seconds = float(value[:-1])
        except ValueError:
            seconds = None
    elif isinstance(value, dict):
        s, n = value.get("seconds", 0), value.get("nanos", 0)
        if isinstance(s, str) and s.lstrip("-").isdigit():
            s = int(s)
        if is_number(s) and is_number(n):
            seconds = s + n / 1e9
    elif is_number(value):
        seconds = float(value)
    if seconds is None or not is_number(seconds) or not 0 <= seconds <= _MAX_SECONDS:
        p.add(path, key, f'expected a duration such as "12.5s", got {describe(value)}')
        return None
    return seconds


class _Format:
    name = name
    sniff = staticmethod(sniff)
    parse = staticmethod(parse)


FORMAT = _Format()
