"""Web benchmark: dashboard and interaction-list response times over a large SQLite store.

    .venv/bin/python bench/bench_web.py [--interactions 200000] [--requests 40]

Builds a synthetic contact center with direct bulk inserts (interactions,
surveys, analyses, shifts), rebuilds the KPI pre-aggregates, signs in as a
manager and a lead, then times the dashboard and the interaction list (plain,
filtered, deep page) through the ASGI app.  Prints p50 / p95 / max per page;
the target is p95 <= 300 ms at 200,000 interactions.  Figures, not a pass/fail test.

``populate`` is also used by the browser tests to get a lively small store.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, insert, select

from heartline.domain import customer_key
from heartline.store.tables import (
    AgentRow,
    AnalysisRow,
    InteractionRow,
    ShiftRow,
    SurveyRow,
    TeamRow,
    TurnRow,
)

TEAMS = ("harbour", "summit", "meadow", "delta", "lantern", "orchard")
FIRST = ("Priya", "Tom", "Ngozi", "Lena", "Mateo", "Aisha", "Jonas", "Mei", "Omar", "Sofia", "Ravi", "Hana",
         "Luca", "Zara", "Kofi", "Ines", "Arjun", "Elif", "Noah", "Yara")  # fmt: skip
LAST = ("Shah", "Berg", "Okafor", "Novak", "Silva", "Khan", "Meyer", "Chen", "Haddad", "Rossi", "Iyer", "Sato")
QUEUES = ("billing", "technical", "claims", "general")
NEGATIVE = ("anger", "frustration", "worry", "sadness", "confusion")

CUSTOMER_LINES = {
    "anger": "This is ridiculous, you've charged me twice and nobody has fixed it!",
    "frustration": "This is the third time I've called about the same thing.",
    "confusion": "I don't understand what this fee on my bill is for.",
    "worry": "I'm worried my cover will lapse before the payment goes through.",
    "sadness": "My mother passed away last month and I need to close her account.",
    "satisfaction": "Thank you, that's a real relief.",
    "neutral": "Okay. My reference is on the letter.",
}
AGENT_LINES = {
    "warm": ("I can hear how frustrating this has been, and I'm sorry. I'll sort it out now.",
             ["acknowledge_emotion", "apologize", "ownership"]),
    "explain": ("Let me explain: the fee is the annual renewal, and I'll email you the breakdown today.",
                ["set_expectations"]),
    "flat": ("That's just our policy, there's nothing I can do.", ["dismissive"]),
    "check": ("So the charge on the 3rd appears twice, is that right?", ["paraphrase"]),
}  # fmt: skip


def _chunks(rows: list[dict[str, object]], size: int = 5000):  # type: ignore[no-untyped-def]
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def populate(
    engine: Engine,
    *,
    interactions: int,
    agents: int = 60,
    teams: int = 3,
    days: int = 90,
    end: date = date(2026, 11, 20),
    seed: int = 7,
    with_turns: bool = False,
    on_progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Bulk-insert a synthetic contact center; returns counts.  Deterministic for a seed."""
    rnd = random.Random(seed)
    now = datetime.now(UTC)
    say = on_progress or (lambda _m: None)
    with engine.begin() as conn:
        base_i = int(conn.execute(select(func.coalesce(func.max(InteractionRow.id), 0))).scalar_one())
        team_ids = []
        for key in TEAMS[:teams]:
            team_ids.append(
                conn.execute(insert(TeamRow).values(key=key, name=key.title()).returning(TeamRow.id)).scalar_one()
            )
        agent_rows = []
        for n in range(agents):
            name = f"{FIRST[n % len(FIRST)]} {LAST[(n * 7) % len(LAST)]}"
            team = team_ids[n % len(team_ids)]
            aid = conn.execute(
                insert(AgentRow).values(key=f"agent-{n:03d}", name=name, team_id=team).returning(AgentRow.id)
            ).scalar_one()
            # skill: how warmly this agent tends to respond
            agent_rows.append((aid, rnd.uniform(0.3, 0.95)))
        start_day = end - timedelta(days=days - 1)
        customers = max(10, interactions // 3)
        inter_rows, survey_rows, analysis_rows, turn_rows = [], [], [], []
        for i in range(interactions):
            iid = base_i + i + 1
            aid, skill = agent_rows[rnd.randrange(len(agent_rows))]
            started = datetime.combine(start_day, datetime.min.time(), UTC) + timedelta(
                days=rnd.randrange(days), hours=rnd.uniform(8, 19)
            )
            channel = "voice" if rnd.random() < 0.7 else "chat"
            hold = 0.0 if rnd.random() < 0.6 else rnd.uniform(15, 420)
            transfers = 0 if rnd.random() < 0.8 else (1 if rnd.random() < 0.75 else 2)
            talk = rnd.uniform(150, 780)
            acw = rnd.uniform(15, 110)
            friction = hold / 420 + transfers * 0.35
            opening = rnd.choices(
                ["anger", "frustration", "confusion", "worry", "sadness", "neutral"],
                weights=[0.08 + 0.2 * friction, 0.18 + 0.3 * friction, 0.18, 0.12, 0.05, 0.39],
            )[0]
            warm = rnd.random() < skill
            closing = "satisfaction" if warm and rnd.random() < 0.8 else ("neutral" if rnd.random() < 0.6 else opening)
            intensity = min(1.0, rnd.uniform(0.4, 0.8) + 0.2 * friction) if opening != "neutral" else 0.1
            difficulty = max(0.0, min(100.0, (intensity * 70 if opening != "neutral" else 10) + rnd.uniform(-8, 20) + 15 * friction))
            empathy = max(0.0, min(100.0, rnd.gauss(40 + 50 * skill, 10)))
            missed = 0 if warm or opening == "neutral" else rnd.choice((1, 1, 2))
            robotic = rnd.random() < 0.04
            deesc = opening in NEGATIVE[:4] and closing in ("satisfaction", "neutral")
            agent_line = "warm" if warm else rnd.choice(("explain", "flat", "check"))
            body_turns = [
                {"index": 0, "speaker": "customer", "emotion": opening, "emotion_intensity": round(intensity, 2)},
                {"index": 1, "speaker": "agent", "behaviours": AGENT_LINES[agent_line][1]},
                {"index": 2, "speaker": "customer", "emotion": "neutral" if opening != "neutral" else "confusion",
                 "emotion_intensity": 0.3},
                {"index": 3, "speaker": "agent", "behaviours": AGENT_LINES["explain"][1]},
                {"index": 4, "speaker": "customer", "emotion": closing, "emotion_intensity": 0.6 if closing != "neutral" else 0.1},
            ]  # fmt: skip
            moments = []
            if warm and opening != "neutral":
                moments.append({"kind": "glow", "turn": 1, "reason": "named the customer's feeling and owned the fix",
                                "evidence": "I can hear how frustrating this has been"})
            if agent_line == "flat":
                moments.append({"kind": "growth", "turn": 1, "reason": "a policy line where the customer needed acknowledgement",
                                "evidence": "That's just our policy"})
            customer_id = f"cust-{rnd.randrange(customers)}"
            inter_rows.append({
                "id": iid, "source": "bench", "external_id": f"b-{iid}", "channel": channel,
                "queue": rnd.choice(QUEUES), "topic": None, "agent_id": aid,
                "customer_key": customer_key("bench", customer_id), "started_at": started,
                "ended_at": started + timedelta(seconds=talk + hold), "language": "en",
                "handle_seconds": talk + hold, "talk_seconds": talk, "hold_seconds": hold,
                "acw_seconds": acw, "transfers": transfers, "disposition": "resolved" if closing == "satisfaction" else "follow-up",
                "turn_count": 5 if with_turns else 0, "imported_at": now,
            })  # fmt: skip
            analysis_rows.append({
                "interaction_id": iid, "model_version": "bench-synthetic", "empathy_score": round(empathy, 1),
                "difficulty": round(difficulty, 1), "deescalated": deesc, "robotic": robotic, "missed_cues": missed,
                "body": {"turns": body_turns, "moments": moments,
                         "missed_emotion_turns": [1] if missed else []},
                "analysed_at": now,
            })  # fmt: skip
            if rnd.random() < 0.3:
                score = max(1, min(5, round(rnd.gauss(2.2 + 2.6 * (empathy / 100) - friction, 0.9))))
                survey_rows.append({
                    "source": "bench", "interaction_external_id": f"b-{iid}", "csat": score,
                    "resolved": closing == "satisfaction" or rnd.random() < 0.4,
                    "comment": "She really listened and fixed it." if score >= 4 and rnd.random() < 0.3 else None,
                    "responded_at": started + timedelta(hours=2),
                })  # fmt: skip
            if with_turns:
                texts = [
                    ("customer", CUSTOMER_LINES[opening]),
                    ("agent", AGENT_LINES[agent_line][0]),
                    ("customer", CUSTOMER_LINES[body_turns[2]["emotion"]]),
                    ("agent", AGENT_LINES["explain"][0]),
                    ("customer", CUSTOMER_LINES[closing]),
                ]
                turn_rows.extend(
                    {"interaction_id": iid, "idx": n, "speaker": s, "text": t, "start_ms": None, "end_ms": None}
                    for n, (s, t) in enumerate(texts)
                )
        say(f"inserting {interactions:,} interactions")
        for chunk in _chunks(inter_rows):
            conn.execute(insert(InteractionRow), chunk)
        for chunk in _chunks(analysis_rows):
            conn.execute(insert(AnalysisRow), chunk)
        for chunk in _chunks(survey_rows):
            conn.execute(insert(SurveyRow), chunk)
        for chunk in _chunks(turn_rows):
            conn.execute(insert(TurnRow), chunk)
        shift_rows = []
        for aid, _skill in agent_rows:
            for d in range(days):
                day = start_day + timedelta(days=d)
                if day.weekday() >= 5:
                    continue
                start = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=8)
                shift_rows.append({
                    "agent_id": aid, "day": day, "start": start, "end": start + timedelta(hours=8),
                    "scheduled_minutes": 480.0, "worked_minutes": 480.0 - rnd.uniform(0, 20),
                    "adherence_pct": rnd.uniform(82, 99), "occupancy_pct": rnd.uniform(65, 93),
                    "break_minutes": 45.0, "overtime_minutes": 0.0,
                })  # fmt: skip
        for chunk in _chunks(shift_rows):
            conn.execute(insert(ShiftRow), chunk)
    return {"interactions": interactions, "agents": agents, "teams": teams, "surveys": len(survey_rows), "shifts": len(shift_rows)}


def _timings(fn: Callable[[], int], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        status = fn()
        out.append((time.perf_counter() - t) * 1000)
        if status != 200:
            raise SystemExit(f"request failed with status {status}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=200_000)
    parser.add_argument("--agents", type=int, default=90)
    parser.add_argument("--requests", type=int, default=40, help="timed requests per page")
    parser.add_argument("--keep", type=Path, default=None, help="build the database here and keep it")
    args = parser.parse_args(argv)

    from fastapi.testclient import TestClient

    from heartline.insights.aggregate import refresh
    from heartline.settings import Settings
    from heartline.store.engine import make_engine, migrate
    from heartline.web.accounts import create_user
    from heartline.web.app import create_app

    tmp = tempfile.TemporaryDirectory(prefix="heartline-bench-web-")
    data_dir = args.keep or Path(tmp.name)
    settings = Settings(data_dir=data_dir, environment="test", secret_key="bench-secret-key-0123456789")
    engine = make_engine(settings)
    migrate(engine)
    t = time.perf_counter()
    info = populate(engine, interactions=args.interactions, agents=args.agents, teams=3, days=90)
    print(f"bulk insert: {info['interactions']:,} interactions, {info['surveys']:,} surveys, "
          f"{info['shifts']:,} shifts in {time.perf_counter() - t:.1f} s")  # fmt: skip
    t = time.perf_counter()
    refresh(engine)
    print(f"pre-aggregates rebuilt in {time.perf_counter() - t:.1f} s")
    with engine.begin() as conn:
        team = conn.execute(select(TeamRow.id).order_by(TeamRow.id)).scalars().first()
        agent = conn.execute(select(AgentRow.id).where(AgentRow.team_id == team).order_by(AgentRow.id)).scalars().first()
        create_user(conn, login="bench-manager", password="bench-password-1", role="manager", display_name="Bench")
        create_user(conn, login="bench-lead", password="bench-password-1", role="lead", display_name="Lead", team_ids=[team])
    engine.dispose()

    app = create_app(settings)
    results: list[tuple[str, list[float]]] = []
    with TestClient(app, base_url="https://testserver") as client:
        import re

        def sign_in(login: str) -> None:
            client.cookies.clear()
            token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)  # type: ignore[union-attr]
            r = client.post("/login", data={"login": login, "password": "bench-password-1", "csrf_token": token},
                            follow_redirects=False)  # fmt: skip
            assert r.status_code == 303

        pages = {
            "manager": [
                ("dashboard (all teams, last 4 weeks)", "/dashboard"),
                ("dashboard (90 days, weekly trend)", "/dashboard?start=2026-08-23&end=2026-11-20"),
                ("dashboard (channel + queue filter)", "/dashboard?channel=voice&queue=billing"),
                ("interaction list, page 1", "/interactions"),
                ("interaction list, frustration + missed cues", "/interactions?emotion=frustration&missed_cues=1"),
                ("interaction list, difficulty >= 65, page 20", "/interactions?min_difficulty=65&page=20"),
                ("api: interactions", "/api/interactions"),
                ("api: kpis", "/api/kpis"),
            ],
            "lead": [
                ("dashboard (lead, one team)", "/dashboard"),
                ("interaction list (lead, one agent)", f"/interactions?agent={agent}"),
            ],
        }
        for login, items in (("bench-manager", pages["manager"]), ("bench-lead", pages["lead"])):
            sign_in(login)
            for label, url in items:
                client.get(url)  # warm caches
                results.append((label, _timings(lambda url=url: client.get(url).status_code, args.requests)))
    print(f"\n{'page':48} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    worst = 0.0
    for label, ts in results:
        ts.sort()
        p95 = ts[min(len(ts) - 1, int(round(0.95 * (len(ts) - 1))))]
        worst = max(worst, p95)
        print(f"{label:48} {statistics.median(ts):8.1f} {p95:8.1f} {ts[-1]:8.1f}")
    print(f"\nworst p95: {worst:.1f} ms (target <= 300 ms) with {args.interactions:,} interactions in SQLite")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
