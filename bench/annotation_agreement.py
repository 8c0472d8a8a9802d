"""How far two independent annotators agree on the corpus labels.

Every annotated conversation, and every agent line for the four judgement-heavy
behaviours, was labelled twice: first by its writer, then blind by a second
annotator who saw only the text and the written guideline.  A third blind vote
settled each disagreement (two of three), and difficulty became the mean of the
two ratings (the median of three when they were 25 or more points apart or in
different bands).  Both
annotations are kept in the corpus lines under ``annotations``, so the figures
here come from the repository alone.  The agreement is the ceiling a model can
be expected to reach: a reader who disagrees with one careful human this often
is doing as well as another careful human.

    .venv/bin/python bench/annotation_agreement.py
"""

from __future__ import annotations

from collections.abc import Sequence

from heartline.analysis.corpus import load_agent, load_conversations, split

AGENT_LABELS = {"ack": "acknowledge_emotion", "validate": "validate", "blame": "blame",
                "dismissive": "dismissive"}


def band(d: float) -> str:
    return "low" if d < 35 else "high" if d >= 65 else "medium"


def kappa(a: Sequence[bool], b: Sequence[bool]) -> float:
    n = len(a)
    if not n:
        return float("nan")
    po = sum(x == y for x, y in zip(a, b, strict=True)) / n
    pa, pb = sum(a) / n, sum(b) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def f1(a: set, b: set) -> float:
    both = len(a & b)
    return 2 * both / (len(a) + len(b)) if a or b else 1.0


def conversations(part: str, convs: list) -> None:
    rows = [c for c in convs if "annotations" in c.extra]
    if not rows:
        print(f"  {part}: no double annotations")
        return
    first = [c.extra["annotations"]["first"] for c in rows]
    second = [c.extra["annotations"]["second"] for c in rows]
    d1 = [float(f["difficulty"]) for f in first]
    d2 = [float(s["difficulty"]) for s in second]
    mae = sum(abs(x - y) for x, y in zip(d1, d2, strict=True)) / len(rows)
    bands = sum(band(x) == band(y) for x, y in zip(d1, d2, strict=True)) / len(rows)
    flags = {b: sum((band(x) == b) == (band(y) == b) for x, y in zip(d1, d2, strict=True))
             / len(rows) for b in ("high", "low")}
    de = kappa([f["deescalated"] for f in first], [s["deescalated"] for s in second])
    de_acc = sum(f["deescalated"] == s["deescalated"]
                 for f, s in zip(first, second, strict=True)) / len(rows)
    m1 = {(c.id, t) for c, f in zip(rows, first, strict=True) for t in f["missed_emotion_turns"]}
    m2 = {(c.id, t) for c, s in zip(rows, second, strict=True) for t in s["missed_emotion_turns"]}
    settled = sum(len(c.extra["annotations"].get("third", {}).get("cues", [])) for c in rows)
    print(f"  {part}: {len(rows)} conversations")
    print(f"    difficulty: mean absolute difference {mae:.1f} points; same band {bands:.3f}; "
          f"same high flag {flags['high']:.3f}; same low flag {flags['low']:.3f}")
    thirds = [(x, y, c.extra["annotations"]["third"]["difficulty"])
              for c, x, y in zip(rows, d1, d2, strict=True)
              if "difficulty" in c.extra["annotations"].get("third", {})]
    if thirds:
        with_first = sum(band(t) == band(x) != band(y) for x, y, t in thirds)
        with_second = sum(band(t) == band(y) != band(x) for x, y, t in thirds)
        print(f"    difficulty, third rating on {len(thirds)}: its band sides with the first "
              f"{with_first}, the second {with_second}, neither or both "
              f"{len(thirds) - with_first - with_second}; mean "
              f"{sum(t - (x + y) / 2 for x, y, t in thirds) / len(thirds):+.1f} points "
              "against the mean of the two")
    print(f"    de-escalated: same {de_acc:.3f}, Cohen's kappa {de:.3f}")
    print(f"    missed cues: F1 between annotators {f1(m1, m2):.3f} "
          f"({len(m1 & m2)} shared, {len(m1 - m2)} first only, {len(m2 - m1)} second only; "
          f"{settled} settled by a third vote)")


def agent(part: str, lines: list) -> None:
    rows = [e for e in lines if e.annotations]
    if not rows:
        print(f"  {part}: no double annotations")
        return
    print(f"  {part}: {len(rows)} agent lines")
    for key, label in AGENT_LABELS.items():
        a = [label in r.annotations["first"] for r in rows]
        b = [bool(r.annotations["second"][key]) for r in rows]
        both = sum(x and y for x, y in zip(a, b, strict=True))
        pair_f1 = 2 * both / (sum(a) + sum(b)) if sum(a) + sum(b) else 1.0
        print(f"    {label:20s} F1 between annotators {pair_f1:.3f}, Cohen's kappa "
              f"{kappa(a, b):.3f} ({sum(a)} first, {sum(b)} second)")


def main() -> None:
    for title, items, report in (
        ("Conversations", load_conversations(), conversations),
        ("Agent lines", load_agent(), agent),
    ):
        train, test = split(items)
        print(f"{title} (first annotator vs second, blind)")
        for part, subset in (("training", train), ("held-out", test), ("all", items)):
            report(part, subset)


if __name__ == "__main__":
    main()
