"""Genesys Cloud speech & text analytics transcripts (one conversation per file).

Read from the document:

* id: ``conversationId`` (required);
* turns: every ``transcripts[].phrases[]`` item, merged across transcripts and put
  in time order; ``participantPurpose`` ``external`` (or ``customer``) is the
  customer, ``internal`` (or ``agent``) is the agent; phrases of ``ivr``, ``acd``
  and ``bot`` purpose are automated and skipped.  Phrases keep the source's
  granularity (several phrases in a row by the same speaker stay separate turns);
* times: ``startTimeMs`` is epoch milliseconds; the start of the interaction is
  ``conversationStartTime`` (epoch ms or ISO-8601; or the earliest phrase when a
  phrase starts before it or it is missing), so a phrase's ``start_ms`` is its
  offset from there and ``end_ms`` adds ``duration.milliseconds``;
* ``ended_at``: the latest participant ``endTimeMs`` (or phrase end), so the handle
  time is the whole conversation as Genesys saw it; when neither is known the
  transcript's ``duration.milliseconds`` is the handle time;
* ``participants[]``: the ``agent`` participant's ``userId`` is the agent (with
  several agents, the one connected longest; the others count as transfers), its
  ``queueId`` the queue (else the ``acd`` or customer participant's); the
  customer's number (``ani`` inbound, ``dnis`` outbound, without ``tel:``) is the
  customer id, which Heartline stores only as a pseudonymous hash;
* ``mediaType``: ``call``/``callback`` → voice, ``chat``/``message``/``sms`` →
  chat, ``email`` → email; the language is the first transcript's ``language``.

**Bad input.**  Invalid JSON gives one reject with the line and column.  A
conversation is stored whole or not at all: any unusable phrase (no ``text``,
a ``startTimeMs`` that is not a number, an unknown ``participantPurpose``) stops
the whole conversation, with one reject per problem naming the JSON path
(``$.transcripts[0].phrases[2]``) and the field.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from heartline.domain import Channel, Interaction, Speaker
from heartline.ingest.base import Parsed, Reject
from heartline.ingest.jsondoc import (
    EPOCH,
    MAX_EPOCH_MS,
    Problems,
    TurnItem,
    describe,
    finish,
    from_epoch_ms,
    in_time_order,
    make_turns,
    ms_between,
    parse_object,
    starts_json,
)

name = "genesys"

_PURPOSES = {
    "external": Speaker.customer,
    "customer": Speaker.customer,
    "internal": Speaker.agent,
    "agent": Speaker.agent,
}
_AUTOMATED = frozenset({"ivr", "acd", "bot", "system", "workflow"})
_MEDIA = {
    "call": Channel.voice,
    "callback": Channel.voice,
    "voice": Channel.voice,
    "chat": Channel.chat,
    "message": Channel.chat,
    "messaging": Channel.chat,
    "webchat": Channel.chat,
    "webmessaging": Channel.chat,
    "sms": Channel.chat,
    "email": Channel.email,
}


def sniff(path: Path, head: bytes) -> bool:
    if not starts_json(head, b"{"):
        return False
    return b'"conversationId"' in head and (
        b'"transcripts"' in head or b'"phrases"' in head or b'"participantPurpose"' in head
    )


def parse(path: Path) -> Iterator[Parsed | Reject]:
    return parse_object(path, build)


def build(doc: dict[str, Any], file: str) -> Iterator[Parsed | Reject]:
    """Parsed interaction or rejects for one Genesys transcript document."""
    p = Problems(file)
    ident = p.text(doc, "conversationId", "$")
    if ident is not None and not ident.strip():
        p.add("$", "conversationId", "must not be empty")
    ident = (ident or "").strip() or "(no conversationId)"

    channel = _channel(doc, p)
    conv_start = p.timestamp(doc, "conversationStartTime", "$", required=False)
    transcripts = p.array(doc, "transcripts", "$") or []

    phrases: list[tuple[TurnItem, int, int | None]] = []  # item, epoch ms start, duration
    language = None
    index = 0
    for t, tr in enumerate(transcripts):
        tpath = f"$.transcripts[{t}]"
        if not isinstance(tr, dict):
            p.add(tpath, "(item)", f"expected an object, got {describe(tr)}")
            continue
        language = language or p.text(tr, "language", tpath, required=False)
        for i, phrase in enumerate(p.array(tr, "phrases", tpath) or []):
            found = _phrase(phrase, f"{tpath}.phrases[{i}]", index, p)
            index += 1
            if found is not None:
                phrases.append(found)

    people = _participants(p.array(doc, "participants", "$", required=False) or [], p)
    transcript_ms = _duration_ms(doc, "$", p)

    # The interaction starts at conversationStartTime, or earlier if a phrase does.
    t0_ms = _epoch_ms(conv_start) if conv_start is not None else None
    if phrases:
        first = min(start for _, start, _ in phrases)
        t0_ms = first if t0_ms is None else min(t0_ms, first)
    if t0_ms is None:
        t0_ms = people.first_start
    items: list[TurnItem] = []
    ends = [] if people.last_end is None else [people.last_end]
    for it, start, duration in phrases:
        if t0_ms is not None:
            it.start_ms = start - t0_ms
            it.end_ms = None if duration is None else it.start_ms + duration
        ends.append(start + (duration or 0))
        items.append(it)
    if ends and max(ends) > MAX_EPOCH_MS:
        p.add("$", "transcripts", "a phrase would end after the year 9999")
        ends = []
    started = from_epoch_ms(t0_ms) if t0_ms is not None else None
    ended = from_epoch_ms(max(ends)) if ends and started is not None else None
    handle = transcript_ms / 1000 if ended is None and transcript_ms is not None else None

    yield from finish(
        p,
        lambda: Interaction(
            id=ident,
            source=name,
            channel=channel,
            queue=people.queue,
            agent_id=people.agent_id,
            customer_id=people.customer_id,
            transfers=people.transfers,
            language=language,
            started_at=started,
            ended_at=ended,
            handle_seconds=handle,
            turns=make_turns(in_time_order(items), p),
        ),
        ident,
    )


def _phrase(
    raw: Any, path: str, index: int, p: Problems
) -> tuple[TurnItem, int, int | None] | None:
    if not isinstance(raw, dict):
        p.add(path, "(item)", f"expected an object, got {describe(raw)}")
        return None
    text = p.text(raw, "text", path)
    start = p.millis(raw, "startTimeMs", path)
    duration = _duration_ms(raw, path, p)
    purpose = p.text(raw, "participantPurpose", path)
    if purpose is None or text is None or start is None:
        return None
    key = purpose.strip().lower()
    if key in _AUTOMATED:
        return None
    speaker = _PURPOSES.get(key)
    if speaker is None:
        p.add(
            path,
            "participantPurpose",
            f"unknown purpose {purpose!r}; expected external or internal",
        )
        return None
    if not text.strip():
        return None
    return TurnItem(index, path, speaker, text), start, duration


def _duration_ms(obj: dict[str, Any], path: str, p: Problems) -> int | None:
    duration = p.obj(obj, "duration", path, required=False)
    if duration is None:
        return None
    return p.millis(duration, "milliseconds", f"{path}.duration", required=False)


@dataclass
class _People:
    agent_id: str | None = None
    queue: str | None = None
    customer_id: str | None = None
    transfers: int = 0
    first_start: int | None = None
    last_end: int | None = None


def _participants(participants: list[Any], p: Problems) -> _People:
    people = _People()
    agents: list[tuple[int, str | None, str | None]] = []  # connected ms, userId, queueId
    queues: dict[str, str] = {}
    for i, part in enumerate(participants):
        path = f"$.participants[{i}]"
        if not isinstance(part, dict):
            p.add(path, "(item)", f"expected an object, got {describe(part)}")
            continue
        purpose = (p.text(part, "participantPurpose", path, required=False) or "").lower()
        start = p.millis(part, "startTimeMs", path, required=False)
        end = p.millis(part, "endTimeMs", path, required=False)
        user = p.text(part, "userId", path, required=False)
        queue = p.text(part, "queueId", path, required=False)
        if start is not None:
            people.first_start = (
                start if people.first_start is None else min(people.first_start, start)
            )
        if end is not None:
            people.last_end = end if people.last_end is None else max(people.last_end, end)
        if queue:
            queues.setdefault(purpose, queue)
        if purpose in ("agent", "user"):
            connected = end - start if start is not None and end is not None else 0
            agents.append((connected, user, queue))
        elif purpose in ("customer", "external") and people.customer_id is None:
            people.customer_id = _customer_number(part, path, p)
    if agents:
        _, people.agent_id, agent_queue = max(agents, key=lambda a: a[0])
        people.queue = agent_queue
        people.transfers = max(0, len({a[1] or f"#{n}" for n, a in enumerate(agents)}) - 1)
    people.queue = people.queue or queues.get("acd") or next(iter(queues.values()), None)
    return people


def _customer_number(part: dict[str, Any], path: str, p: Problems) -> str | None:
    outbound = (p.text(part, "initialDirection", path, required=False) or "").lower() == "outbound"
    number = p.text(part, "dnis" if outbound else "ani", path, required=False)
    if not number:
        return None
    number = number.strip()
    return number[4:] if number.lower().startswith("tel:") else number


def _channel(doc: dict[str, Any], p: Problems) -> Channel:
    media = p.text(doc, "mediaType", "$", required=False)
    if media is None:
        return Channel.voice
    channel = _MEDIA.get(media.strip().lower())
    if channel is None:
        p.add(
            "$", "mediaType", f"unknown media type {media!r}; expected call, chat, message or email"
        )
        return Channel.voice
    return channel


def _epoch_ms(dt: datetime) -> int:
    return ms_between(EPOCH, dt)


class _Format:
    name = name
    sniff = staticmethod(sniff)
    parse = staticmethod(parse)


FORMAT = _Format()
