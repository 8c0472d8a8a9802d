"""Validate the burnout and attrition formula on the demo organisation.

    python bench/validate_risk.py [--difficulty proxy|truth|ANALYSES.jsonl] [--seed 7]

Prints every agent's burnout and attrition score with band and top drivers,
where the agents the demo meant to drift toward burnout land (their rank and
band), their weekly trajectory against everyone else, and the resilience
breaks the default policy would have recommended.

Difficulty per contact is pluggable:

* ``proxy`` (default): :func:`heartline.insights.wellbeing.outcome_difficulty_proxy`,
  a transparent stand-in from topic and outcome that reads no text;
* ``truth``: the difficulty the demo generator meant each contact to carry
  (an upper bound on what a perfect analysis engine would give);
* a JSONL file with one ``{"id", "difficulty", ...}`` per line, e.g. the output
  of ``heartline analyze`` once the analysis engine has scored the demo.

The script checks nothing and asserts nothing; it prints figures for a person
to read.  The tests in ``tests/insights/test_risk.py`` pin the formula.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from heartline.demo import generate
from heartline.insights.risk import (
    BURNOUT_WEIGHTS,
    RiskModel,
    WorkloadHistory,
    assess,
    suggest_actions,
)
from heartline.insights.wellbeing import (
    hardest_stretches,
    outcome_difficulty_proxy,
    recommend_breaks,
    score_contacts,
)

END = date(2026, 11, 20)


def _pearson(xs: list[float], ys: list[float]) -> float:
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / (sxx * syy) ** 0.5


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--difficulty", default="proxy", help="proxy, truth, or a JSONL file of analyses")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)

    org = generate(seed=args.seed, end=END)
    truth = {iid: float(t.difficulty) for iid, t in org.truth.items()}
    proxy = outcome_difficulty_proxy(org.interactions)
    if args.difficulty == "proxy":
        source: dict[str, float] = proxy
    elif args.difficulty == "truth":
        source = truth
    else:
        path = Path(args.difficulty)
        source = {}
        for line in path.read_text().splitlines():
            if line.strip():
                row = json.loads(line)
                if row.get("difficulty") is not None:
                    source[row["id"]] = float(row["difficulty"])
    ids = [i for i in truth if i in source]
    print(f"difficulty source: {args.difficulty} ({len(source)} contacts scored)")
    print(
        f"  agreement with the generator's intended difficulty: Pearson r = "
        f"{_pearson([source[i] for i in ids], [truth[i] for i in ids]):.3f} over {len(ids)} contacts"
    )

    contacts = score_contacts(org.interactions, source)
    recs = recommend_breaks(contacts)
    history = WorkloadHistory(
        contacts=contacts, shifts=org.shifts, agents=org.agents, recommendations=recs
    )
    drifting = sorted(a for a, p in org.profiles.items() if p.burnout_drift)
    print(f"agents meant to drift toward burnout (DemoOrganisation.profiles): {', '.join(drifting)}")
    print()

    results = assess(history, END)
    print(f"risk as of {END} (14-day window, 28-day baseline)")
    print(f"{'rank':>4} {'agent':6} {'team':8} {'style':8} {'drift':5} {'burnout':>12} {'attrition':>12}  top burnout drivers")
    for rank, r in enumerate(results, start=1):
        p = org.profiles[r.agent_id]
        drivers = "; ".join(f"{d.signal} +{d.contribution:.0f}" for d in r.burnout.top())
        print(
            f"{rank:>4} {r.agent_id:6} {p.team:8} {p.style:8} {'yes' if p.burnout_drift else '':5} "
            f"{r.burnout.score:6.1f} {r.burnout.band or '-':5} {r.attrition.score:6.1f} {r.attrition.band or '-':5}  {drivers}"
        )
    print()

    others = [r for r in results if r.agent_id not in drifting]
    drift_rows = [r for r in results if r.agent_id in drifting]
    ranks = [results.index(r) + 1 for r in drift_rows]
    bands = {b: sum(1 for r in results if r.burnout.band == b) for b in ("green", "amber", "red")}
    print("summary")
    print(f"  drifting agents' burnout ranks: {ranks} of {len(results)}")
    print(f"  drifting agents' burnout bands: {[r.burnout.band for r in drift_rows]}")
    print(f"  lowest drifting burnout score {min(r.burnout.score for r in drift_rows):.1f}; "
          f"highest other {max(r.burnout.score for r in others):.1f}; "
          f"median other {statistics.median(r.burnout.score for r in others):.1f}")
    print(f"  burnout bands over all agents: {bands}")
    a_bands = {b: sum(1 for r in results if r.attrition.band == b) for b in ("green", "amber", "red")}
    print(f"  attrition bands over all agents: {a_bands}")
    trainees = [r for r in results if org.profiles[r.agent_id].style == "trainee"]
    print(f"  trainees' attrition: {[(r.agent_id, round(r.attrition.score, 1)) for r in trainees]}")
    print()

    print("weekly burnout score (as of each date): drifting agents vs the others' median and max")
    days = [END - timedelta(days=7 * k) for k in range(6, -1, -1)]
    print(f"{'as of':12}" + "".join(f"{a:>8}" for a in drifting) + f"{'med.oth':>9}{'max.oth':>9}")
    for d in days:
        rs = {r.agent_id: r for r in assess(history, d)}
        rest = [r.burnout.score for a, r in rs.items() if a not in drifting]
        print(
            f"{d.isoformat():12}"
            + "".join(f"{rs[a].burnout.score:8.1f}" if a in rs else f"{'-':>8}" for a in drifting)
            + f"{statistics.median(rest):9.1f}{max(rest):9.1f}"
        )
    print()

    print("leave one signal out (and keep one family only): drifting agents' ranks, the gap to everyone else")
    families = {
        "difficulty only": ("load_level", "load_trend", "heavy_runs"),
        "schedule only": ("occupancy", "overtime", "days_worked", "breaks_skipped", "adherence"),
    }
    variants = [(f"without {k}", {k}) for k in BURNOUT_WEIGHTS]
    variants += [(name, set(BURNOUT_WEIGHTS) - set(keep)) for name, keep in families.items()]
    for label, dropped in variants:
        weights = {k: (0.0 if k in dropped else w) for k, w in BURNOUT_WEIGHTS.items()}
        rs = assess(history, END, RiskModel(burnout_weights=weights))
        d_scores = [r.burnout.score for r in rs if r.agent_id in drifting]
        o_scores = [r.burnout.score for r in rs if r.agent_id not in drifting]
        d_ranks = sorted(i + 1 for i, r in enumerate(rs) if r.agent_id in drifting)
        print(f"  {label:23} ranks {d_ranks}, lowest drifting {min(d_scores):5.1f}, "
              f"highest other {max(o_scores):5.1f}, red {sum(1 for r in rs if r.burnout.band == 'red')}")
    print()

    print("resilience breaks the default policy recommends (whole window)")
    per_agent: dict[str, int] = {}
    for rec in recs:
        per_agent[rec.agent_id] = per_agent.get(rec.agent_id, 0) + 1
    shifts_per_agent: dict[str, int] = {}
    for s in org.shifts:
        shifts_per_agent[s.agent_id] = shifts_per_agent.get(s.agent_id, 0) + 1
    rate = {a: per_agent.get(a, 0) / n for a, n in shifts_per_agent.items()}
    print(f"  {len(recs)} recommendations: "
          f"{sum(1 for r in recs if r.reason == 'single_heavy_call')} single_heavy_call, "
          f"{sum(1 for r in recs if r.reason == 'heavy_streak')} heavy_streak")
    print(f"  per shift: drifting {[round(rate[a], 2) for a in drifting]}, "
          f"others' median {statistics.median(v for a, v in rate.items() if a not in drifting):.2f}")
    week = hardest_stretches(contacts, since=_at(END - timedelta(days=6)), top=3)
    print("  hardest stretches of the last week (2-hour windows): "
          + "; ".join(f"{s.agent_id} {s.start:%a %H:%M} load {s.load:.0f} ({len(s.evidence)} contacts)" for s in week))
    print()

    print("suggested leader actions for the drifting agents")
    for r in drift_rows:
        acts = suggest_actions(r)
        print(f"  {r.agent_id}: " + ", ".join(a.action for a in acts))
    return 0


def _at(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


if __name__ == "__main__":
    sys.exit(main())
