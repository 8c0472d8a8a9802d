"""Amazon Connect Contact Lens conversational-analytics output (voice and chat).

One file holds one contact.  Two shapes are read:

* **voice**: ``Transcript[]`` items carry ``BeginOffsetMillis``/``EndOffsetMillis``
  (offsets from the start of the call), which become the turn times;
  ``ConversationCharacteristics.TotalConversationDurationMillis`` gives the handle
  time and ``TalkTime.TotalTimeMillis`` the talk time.  The file has no wall-clock
  time, so ``started_at`` stays empty.
* **chat** (and the plain Amazon Connect chat transcript export, which has the
  same ``Transcript[]``): items carry ``AbsoluteTime``; the first item (joins
  included) is the start of the interaction, every message gets its offset from
  it, and the last item is the end.  ``EVENT`` items (joined, left, typing) and
  messages whose ``ContentType`` is not text (attachments, interactive pickers)
  are not turns.

Speakers: an item's ``ParticipantId`` is mapped through ``Participants[]`` to its
``ParticipantRole`` (in voice files the id is usually the role name itself; in
chat files it is a UUID).  ``AGENT`` is the agent, ``CUSTOMER`` the customer.
``SYSTEM`` (contact-flow prompts), ``CUSTOM_BOT`` and ``SUPERVISOR`` messages are
skipped: they are not the agent's words and must not count for or against them.
Items keep the source's granularity (consecutive items by the same speaker stay
separate turns) and are put in time order.

Id: ``CustomerMetadata.ContactId``, else a top-level ``ContactId``, else
``sha256:`` and a hash of the file's JSON content (stable across re-imports).
``LanguageCode`` is the language and the first matched category is the topic.

**Bad input.**  Invalid JSON gives one reject naming the line and column.  A
contact is stored whole or not at all: when any transcript item is unusable (no
``Content``, a time of the wrong type, an unknown participant) nothing of the
contact is stored, and there is one reject per problem, each naming the JSON
path of the item (``$.Transcript[3]``) and the field (``Content``).  Half a
conversation would mislead every score computed from it.

The JSON helpers it shares with the other platform importers live in
:mod:`heartline.ingest.jsondoc`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from heartline.domain import Channel, Interaction, Speaker
from heartline.ingest.base import Parsed, Reject
from heartline.ingest.jsondoc import (
    Problems,
    TurnItem,
    content_id,
    describe,
    finish,
    in_time_order,
    is_number,
    make_turns,
    ms_between,
    parse_object,
    starts_json,
)

name = "contact-lens"

_SPEAKERS = {"AGENT": Speaker.agent, "CUSTOMER": Speaker.customer}
_SKIPPED_ROLES = frozenset({"SYSTEM", "CUSTOM_BOT", "SUPERVISOR"})
_CHANNELS = {"VOICE": Channel.voice, "CHAT": Channel.chat, "EMAIL": Channel.email}
_MARKERS = (
    b'"ConversationCharacteristics"',
    b'"ParticipantRole"',
    b'"LoudnessScore"',
    b'"ContentMetadata"',
)


def sniff(path: Path, head: bytes) -> bool:
    if not starts_json(head, b"{"):
        return False
    if any(m in head for m in _MARKERS):
        return True
    return b'"Transcript"' in head and b'"ParticipantId"' in head


def parse(path: Path) -> Iterator[Parsed | Reject]:
    return parse_object(path, build)


def build(doc: dict[str, Any], file: str) -> Iterator[Parsed | Reject]:
    """Parsed interaction or rejects for one Contact Lens document."""
    p = Problems(file)
    ident = _contact_id(doc, p) or content_id(doc)

    status = p.text(doc, "JobStatus", "$", required=False)
    if status == "FAILED":
        p.add("$", "JobStatus", "the analysis job FAILED, so the file has no transcript to import")

    transcript = p.array(doc, "Transcript", "$")
    roles = _roles(doc, p)
    channel = _channel(doc, transcript or [], p)
    language = p.text(doc, "LanguageCode", "$", required=False)
    topic = _topic(doc)

    items: list[TurnItem] = []
    first_at: datetime | None = None
    last_at: datetime | None = None
    for i, raw in enumerate(transcript or []):
        path = f"$.Transcript[{i}]"
        if not isinstance(raw, dict):
            p.add(path, "(item)", f"expected an object, got {describe(raw)}")
            continue
        at = p.timestamp(raw, "AbsoluteTime", path, required=False)
        if at is not None:
            first_at = at if first_at is None or at < first_at else first_at
            last_at = at if last_at is None or at > last_at else last_at
        item = _item(raw, i, path, roles, channel, at, p)
        if item is not None:
            items.append(item)

    if first_at is not None:
        for it in items:
            if it.at is not None and it.start_ms is None:
                it.start_ms = ms_between(first_at, it.at)
    items = in_time_order(items)

    chars = doc.get("ConversationCharacteristics")
    chars = chars if isinstance(chars, dict) else {}
    handle = _millis_at(chars, ("TotalConversationDurationMillis",))
    talk = _millis_at(chars, ("TalkTime", "TotalTimeMillis"))
    if handle is None and channel is Channel.voice and items:
        ends = [it.end_ms for it in items if it.end_ms is not None]
        handle = max(ends) / 1000 if ends else None

    yield from finish(
        p,
        lambda: Interaction(
            id=ident,
            source=name,
            channel=channel,
            topic=topic,
            language=language,
            started_at=first_at,
            ended_at=last_at,
            handle_seconds=handle,
            talk_seconds=talk,
            turns=make_turns(items, p),
        ),
        ident,
    )


def _contact_id(doc: dict[str, Any], p: Problems) -> str | None:
    meta = doc.get("CustomerMetadata")
    if isinstance(meta, dict):
        cid = p.text(meta, "ContactId", "$.CustomerMetadata", required=False)
        if cid:
            return cid
    return p.text(doc, "ContactId", "$", required=False) or None


def _roles(doc: dict[str, Any], p: Problems) -> dict[str, str]:
    roles: dict[str, str] = {}
    participants = p.array(doc, "Participants", "$", required=False)
    for i, part in enumerate(participants or []):
        path = f"$.Participants[{i}]"
        if not isinstance(part, dict):
            p.add(path, "(item)", f"expected an object, got {describe(part)}")
            continue
        pid = p.text(part, "ParticipantId", path)
        role = p.text(part, "ParticipantRole", path)
        if pid and role:
            roles[pid] = role.upper()
    return roles


def _channel(doc: dict[str, Any], transcript: list[Any], p: Problems) -> Channel:
    value = p.text(doc, "Channel", "$", required=False)
    if value is not None:
        channel = _CHANNELS.get(value.upper())
        if channel is None:
            p.add("$", "Channel", f"unknown channel {value!r}; expected VOICE, CHAT or EMAIL")
            return Channel.voice
        return channel
    timed_by_clock = any(isinstance(t, dict) and "AbsoluteTime" in t for t in transcript)
    return Channel.chat if timed_by_clock else Channel.voice


def _topic(doc: dict[str, Any]) -> str | None:
    cats = doc.get("Categories")
    matched = cats.get("MatchedCategories") if isinstance(cats, dict) else None
    if isinstance(matched, list):
        for cat in matched:
            if isinstance(cat, str) and cat.strip():
                return cat.strip()[:120]
    return None


def _item(
    raw: dict[str, Any],
    index: int,
    path: str,
    roles: dict[str, str],
    channel: Channel,
    at: datetime | None,
    p: Problems,
) -> TurnItem | None:
    kind = p.text(raw, "Type", path, required=False)
    if kind is not None and kind.upper() != "MESSAGE":
        return None  # participant joined/left, typing, read receipts ...
    content_type = p.text(raw, "ContentType", path, required=False)
    if content_type is not None and not content_type.lower().startswith("text/"):
        return None  # attachments and interactive messages carry no words

    role = _role_of(raw, path, roles, p)
    if role in _SKIPPED_ROLES:
        return None
    text = p.text(raw, "Content", path)
    timed_by_offsets = channel is Channel.voice or "BeginOffsetMillis" in raw
    start = end = None
    if timed_by_offsets:
        start = p.millis(raw, "BeginOffsetMillis", path)
        end = p.millis(raw, "EndOffsetMillis", path)
        if start is not None and end is not None and end < start:
            p.add(path, "EndOffsetMillis", f"ends ({end}) before it begins ({start})")
    if role is None or text is None:
        return None
    speaker = _SPEAKERS.get(role)
    if speaker is None:
        p.add(path, "ParticipantId", f"participant role {role!r} is not AGENT or CUSTOMER")
        return None
    if not text.strip():
        return None  # nothing was said
    return TurnItem(index, path, speaker, text, start, end, at)


def _role_of(raw: dict[str, Any], path: str, roles: dict[str, str], p: Problems) -> str | None:
    pid = raw.get("ParticipantId")
    own_role = raw.get("ParticipantRole")
    if pid is not None and not isinstance(pid, str):
        p.add(path, "ParticipantId", f"expected text, got {describe(pid)}")
        return None
    if isinstance(pid, str) and pid in roles:
        return roles[pid]
    if isinstance(own_role, str) and own_role.strip():
        return own_role.strip().upper()
    if isinstance(pid, str) and (pid.upper() in _SPEAKERS or pid.upper() in _SKIPPED_ROLES):
        return pid.upper()
    if pid is None:
        p.add(path, "ParticipantId", "required field is missing")
    else:
        p.add(path, "ParticipantId", f"{pid!r} is not listed in Participants[] and is not a role")
    return None


def _millis_at(obj: dict[str, Any], keys: tuple[str, ...]) -> float | None:
    value: Any = obj
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    if is_number(value) and value >= 0:
        return float(value) / 1000
    return None


# ============================================================================
# JSON helpers shared by the platform importers (Contact Lens, CCAI, Genesys)
# ============================================================================


class _Format:
    name = name
    sniff = staticmethod(sniff)
    parse = staticmethod(parse)


FORMAT = _Format()
