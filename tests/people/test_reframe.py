"""The feedback reframer: rule spans, the style head, suggestions, data split and CLI."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from heartline.people import reframe as rf
from heartline.people.reframe_cli import register

# Named leader messages (written for these tests; none is in the labelled set).
AHT_FIX_IT = "Your AHT was 30 seconds too high, and you missed two compliance points. Fix it."
WHY_NO_CALLBACK = "Why didn't you offer the callback to the lady with the broken boiler?"
EVERYONE_ELSE = "Everyone else on the floor hits adherence. You always find an excuse."
FINAL_WARNING_HR = "This is your final warning. Next time it goes to HR."
PER_MY_LAST = "Per my last message, the notes field is not decoration."
PRAISE_THEN_ORDER = (
    "Lovely warm opening on the Grant call, thank you! But stop reading the script like a robot."
)
SUPPORTIVE_CHECK_IN = (
    "That last call sounded rough. How are you doing? Want to take ten minutes and talk it through?"
)
CURIOUS_ABOUT_AHT = (
    "Your AHT went up this week, and I suspect the new returns form. "
    "What are you seeing on those calls?"
)
CARE_IMPERATIVE = "Take a proper break after that one if you need it, you've earned it."

MISSED_CUE_MOMENT = {
    "interaction_id": "c-4471",
    "turn": 6,
    "reason": "missed cue: the customer sounded worried about the deposit",
    "evidence": "Can I have the booking reference?",
}


def kinds(text: str) -> list[str]:
    return [f.kind for f in rf.find_flags(text)]


def span_texts(text: str, kind: str) -> list[str]:
    return [text[f.span[0] : f.span[1]] for f in rf.find_flags(text) if f.kind == kind]


# --------------------------------------------------------------------------- rules


def test_brief_example_spans_are_exact() -> None:
    flags = rf.find_flags(AHT_FIX_IT)
    assert [(f.kind, f.span) for f in flags] == [("metric_only", (0, 71)), ("command", (72, 79))]
    for f in flags:
        assert AHT_FIX_IT[f.span[0] : f.span[1]] == f.text
    assert flags[1].text == "Fix it."


@pytest.mark.parametrize(
    ("text", "kind", "span_text"),
    [
        (WHY_NO_CALLBACK, "why_fail", WHY_NO_CALLBACK),
        (EVERYONE_ELSE, "comparison", "Everyone else on the floor hits adherence"),
        (EVERYONE_ELSE, "absolute", "You always find an excuse"),
        (FINAL_WARNING_HR, "threat", "final warning"),
        (PER_MY_LAST, "sarcasm", "Per my last message"),
        (PRAISE_THEN_ORDER, "command", "But stop reading the script like a robot."),
        ("Honestly, that one's on you.", "blame", "that one's on you"),
    ],
)
def test_each_kind_and_its_span(text: str, kind: str, span_text: str) -> None:
    assert span_text in span_texts(text, kind)


@pytest.mark.parametrize(
    "text",
    [
        SUPPORTIVE_CHECK_IN,
        CURIOUS_ABOUT_AHT,
        CARE_IMPERATIVE,
        "I'm curious why the form takes so long, can you show me?",
    ],
)
def test_coaching_messages_raise_no_flags(text: str) -> None:
    assert kinds(text) == []


def test_metric_with_curiosity_is_not_metric_only() -> None:
    assert "metric_only" not in kinds(CURIOUS_ABOUT_AHT)
    assert kinds("Your AHT went up this week to 9:10.") == ["metric_only"]


def test_sentences_keep_offsets() -> None:
    text = "Great call!  Fix the notes - then log off.\nThanks."
    parts = [text[a:b] for a, b in rf.sentences(text)]
    assert parts == ["Great call!", "Fix the notes", "then log off.", "Thanks."]


# --------------------------------------------------------------------------- style and suggestion


@pytest.fixture(scope="module")
def head() -> rf.StyleHead:
    return rf.load_head()


def test_brief_example_reframed(head: rf.StyleHead) -> None:
    r = rf.reframe(AHT_FIX_IT, head=head)
    assert r.style == "corrective"
    assert {f.kind for f in r.flags} == {"metric_only", "command"}
    s = r.suggestion.lower()
    assert "together" in s and "?" in r.suggestion and "role-play" in s
    assert "fix it" not in s
    assert set(r.to_dict()) == {"style", "flags", "suggestion"}


@pytest.mark.parametrize(
    ("text", "style"),
    [
        (SUPPORTIVE_CHECK_IN, "coaching"),
        (CURIOUS_ABOUT_AHT, "coaching"),
        (FINAL_WARNING_HR, "corrective"),
        (EVERYONE_ELSE, "corrective"),
        (PRAISE_THEN_ORDER, "mixed"),
    ],
)
def test_style_of_named_examples(head: rf.StyleHead, text: str, style: str) -> None:
    assert rf.reframe(text, head=head).style == style


def test_suggestion_turns_why_into_barrier_question(head: rf.StyleHead) -> None:
    r = rf.reframe(WHY_NO_CALLBACK, head=head)
    assert (
        "What made it hard to offer the callback to the lady with the broken boiler?"
        in r.suggestion
    )
    assert "Why" not in r.suggestion


def test_suggestion_grounded_in_evidence(head: rf.StyleHead) -> None:
    r = rf.reframe(
        "Why did you not offer the callback on that call?", evidence=MISSED_CUE_MOMENT, head=head
    )
    assert "call c-4471 at turn 6" in r.suggestion
    assert 'you said "Can I have the booking reference?"' in r.suggestion
    assert "worried about the deposit" in r.suggestion
    assert "listen to that part together" in r.suggestion


def test_mixed_keeps_the_praise(head: rf.StyleHead) -> None:
    r = rf.reframe(PRAISE_THEN_ORDER, head=head)
    assert r.suggestion.startswith("Lovely warm opening on the Grant call, thank you!")
    assert "stop reading" not in r.suggestion
    assert "the script" in r.suggestion  # the topic is named, neutrally


def test_coaching_left_as_written(head: rf.StyleHead) -> None:
    assert rf.reframe(SUPPORTIVE_CHECK_IN, head=head).suggestion == SUPPORTIVE_CHECK_IN


def test_batch_equals_single(head: rf.StyleHead) -> None:
    texts = [AHT_FIX_IT, SUPPORTIVE_CHECK_IN, PRAISE_THEN_ORDER, PER_MY_LAST]
    batch = rf.reframe_many(texts, head=head)
    for t, b in zip(texts, batch, strict=True):
        one = rf.reframe(t, head=head)
        assert one.to_dict() == b.to_dict()
        for s in rf.STYLES:
            assert one.probabilities[s] == pytest.approx(b.probabilities[s], abs=2e-3)


def test_empty_message_refused(head: rf.StyleHead) -> None:
    with pytest.raises(ValueError, match="empty"):
        rf.reframe("   ", head=head)


# --------------------------------------------------------------------------- data, split, artefact


def test_labelled_set_size_variety_and_split() -> None:
    msgs = rf.load_labelled()
    assert len(msgs) >= 360
    assert len({m.id for m in msgs}) == len(msgs) and len({m.text for m in msgs}) == len(msgs)
    assert Counter(m.style for m in msgs).keys() == set(rf.STYLES)
    assert {k for m in msgs for k in m.flags} == set(rf.FLAG_KINDS)
    _, held = rf.split(msgs)
    assert len(held) / len(msgs) >= 0.20
    assert {m.style for m in held} == set(rf.STYLES)
    # the split is a pure function of the id
    digest = int(hashlib.sha256(b"lm-0001").hexdigest()[:8], 16)
    assert rf.is_held_out("lm-0001") == (digest % 100 < rf.HELD_OUT_PERCENT)


def test_artefact_was_trained_on_the_committed_data() -> None:
    meta = rf.load_head().meta
    assert meta["data_sha256"] == hashlib.sha256(rf.DATA_PATH.read_bytes()).hexdigest()
    assert meta["n_train"] == len(rf.split(rf.load_labelled())[0])
    assert rf.ARTEFACT_PATH.stat().st_size < 100_000


def test_bad_labelled_line_names_the_line(tmp_path: Path) -> None:
    p = tmp_path / "bad.jsonl"
    p.write_text('{"id": "x1", "text": "hi", "style": "coaching", "flags": []}\n{"id": "x2"}\n')
    with pytest.raises(rf.ReframeError, match=r"bad.jsonl:2"):
        rf.load_labelled(p)


@pytest.mark.slow
def test_training_is_deterministic_and_never_sees_held_out(tmp_path: Path) -> None:
    msgs = rf.load_labelled()
    train, held = rf.split(msgs)
    small = [m for s in rf.STYLES for m in [t for t in train if t.style == s][:15]] + held[:10]

    def write(path: Path, rows: list[rf.LabelledMessage], poison: bool) -> None:
        with path.open("w") as fh:
            for m in rows:
                text, style = m.text, m.style
                if poison and m.held_out:  # change what a leak would learn from
                    text, style = "Held-out text that must never be read. " + text, "coaching"
                fh.write(
                    json.dumps({"id": m.id, "text": text, "style": style, "flags": list(m.flags)})
                    + "\n"
                )

    write(tmp_path / "a.jsonl", small, poison=False)
    write(tmp_path / "b.jsonl", small, poison=True)
    grid = {"c_grid": (0.1, 1.0), "weights": (0.5, 1.0)}  # a smaller search keeps the test quick
    a = rf.train(tmp_path / "a.jsonl", tmp_path / "a.json", **grid)
    b = rf.train(tmp_path / "b.jsonl", tmp_path / "b.json", **grid)
    doc_a = json.loads((tmp_path / "a.json").read_text())
    doc_b = json.loads((tmp_path / "b.json").read_text())
    assert doc_a["meta"].pop("data_sha256") != doc_b["meta"].pop("data_sha256")
    assert doc_a == doc_b
    assert a.meta["n_train"] == 45
    # rebuilding gives the same bytes
    rf.train(tmp_path / "a.jsonl", tmp_path / "a2.json", **grid)
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "a2.json").read_bytes()
    assert b.probabilities(rf.features([AHT_FIX_IT])).shape == (1, 3)


@pytest.mark.slow
def test_held_out_accuracy_meets_target() -> None:
    ev = rf.evaluate()
    assert ev.n_held_out >= 0.2 * (ev.n_held_out + ev.n_train)
    assert sum(map(sum, ev.confusion)) == ev.n_held_out
    assert ev.accuracy >= 0.9, rf.format_evaluation(ev)


# --------------------------------------------------------------------------- command line


@pytest.fixture()
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Test harness."""

    register(app)
    return app


def test_cli_text(app: typer.Typer) -> None:
    res = CliRunner().invoke(app, ["reframe", AHT_FIX_IT])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["style"] == "corrective"
    assert out["flags"][1] == {"kind": "command", "span": [72, 79], "text": "Fix it."}
    assert out["suggestion"]


def test_cli_evidence(app: typer.Typer) -> None:
    res = CliRunner().invoke(
        app, ["reframe", WHY_NO_CALLBACK, "--evidence", json.dumps(MISSED_CUE_MOMENT)]
    )
    assert res.exit_code == 0
    assert "c-4471" in json.loads(res.stdout)["suggestion"]
    bad = CliRunner().invoke(app, ["reframe", WHY_NO_CALLBACK, "--evidence", "{nope"])
    assert bad.exit_code == 2 and "--evidence is not valid JSON" in bad.stderr


def test_cli_file_reports_bad_lines_and_keeps_good_ones(app: typer.Typer, tmp_path: Path) -> None:
    p = tmp_path / "drafts.jsonl"
    p.write_text(
        "\n".join(
            [
                json.dumps({"id": "d1", "text": AHT_FIX_IT}),
                "{not json",
                json.dumps({"id": "d3"}),
                "",
                json.dumps({"id": 4, "text": SUPPORTIVE_CHECK_IN}),
                json.dumps(["d5", "text"]),
            ]
        )
        + "\n"
    )
    res = CliRunner().invoke(app, ["reframe", "--file", str(p)])
    assert res.exit_code == 1
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["d1", 4]
    assert lines[0]["style"] == "corrective" and lines[1]["style"] == "coaching"
    errors = res.stderr.splitlines()
    assert len(errors) == 3
    assert errors[0].startswith(f"error: {p}:2: not valid JSON")
    assert errors[1] == f'error: {p}:3: field "text" is missing, empty or not a string'
    assert errors[2].startswith(f"error: {p}:6:")


def test_cli_file_all_good_and_missing_file(app: typer.Typer, tmp_path: Path) -> None:
    p = tmp_path / "ok.jsonl"
    p.write_text(json.dumps({"id": "a", "text": PER_MY_LAST}) + "\n")
    res = CliRunner().invoke(app, ["reframe", "--file", str(p)])
    assert res.exit_code == 0 and json.loads(res.stdout)["id"] == "a"
    missing = CliRunner().invoke(app, ["reframe", "--file", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def test_cli_needs_exactly_one_mode(app: typer.Typer) -> None:
    res = CliRunner().invoke(app, ["reframe"])
    assert res.exit_code == 2 and "exactly one of" in res.stderr
    res = CliRunner().invoke(app, ["reframe", "hi", "--evaluate"])
    assert res.exit_code == 2


@pytest.mark.slow
def test_cli_evaluate_prints_figures(app: typer.Typer) -> None:
    res = CliRunner().invoke(app, ["reframe", "--evaluate"])
    assert res.exit_code == 0, res.output
    assert "style accuracy:" in res.stdout
    assert "confusion (rows true, columns predicted):" in res.stdout
    for s in rf.STYLES:
        assert s in res.stdout
