"""Empathy-praise classifier: data, rules, held-out quality, artefact, highlights, CLI."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from heartline.people import praise
from heartline.people.praise import (
    ARTEFACT_PATH,
    LABELS,
    LabelledComment,
    PraiseClassifier,
    PraiseError,
    SurveyComment,
    evaluate,
    format_report,
    highlight_stream,
    load_comments,
    rule_flags,
    split_of,
    train,
)
from heartline.people.stories import anonymise

NOBODY_LISTENED = "Nobody listened to me, I had to explain it four times."
THANKS_FOR_NOTHING = "Thanks for nothing."
SHE_REALLY_LISTENED = "She really listened and understood how worried I was about the bill."
QUICK_AND_EASY = "Quick and easy, done in three minutes."
RESCUED_BY_A_COLLEAGUE = "The first person never listened, but Noor did and she was lovely."
NEVER_SO_HEARD = "I have never felt so understood by a phone company."
DIDNT_RUSH_ME = "He didn't rush me at all."
SARCASTIC_CARE = "Oh yes, really caring... said no one ever."


@pytest.fixture(scope="module")
def embed():  # type: ignore[no-untyped-def]
    """The real MiniLM embedder, memoised for the module (each text embedded once)."""
    cache: dict[str, np.ndarray] = {}

    def _embed(texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in cache]
        if missing:
            for t, v in zip(missing, praise.minilm_embed(missing), strict=True):
                cache[t] = v
        return np.stack([cache[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)

    return _embed


@pytest.fixture(scope="module")
def classifier(embed) -> PraiseClassifier:  # type: ignore[no-untyped-def]
    return PraiseClassifier.load(embed=embed)


# --------------------------------------------------------------------------- data


def test_labelled_comments_are_many_varied_and_split() -> None:
    rows = load_comments()
    assert len(rows) >= 450
    assert len({r.id for r in rows}) == len(rows)
    assert len({r.text.lower() for r in rows}) == len(rows)  # no duplicate text
    counts = Counter(r.label for r in rows)
    assert set(counts) == set(LABELS) and min(counts.values()) >= 60
    test = [r for r in rows if r.split == "test"]
    assert len(test) >= 200
    assert Counter(r.label for r in test)["empathy_praise"] >= 50


def test_split_is_a_fixed_hash_of_the_id() -> None:
    for cid in ("sc-0001", "sc-0002", "sc-0497", "anything"):
        even = int(hashlib.sha256(cid.encode()).hexdigest(), 16) % 2 == 0
        assert split_of(cid) == ("test" if even else "train")


def test_bad_data_lines_name_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "c.jsonl"
    bad.write_text('{"id": "x1", "text": "fine", "label": "not_praise"}\n{"id": "x2", "text": "", "label": "not_praise"}\n')
    with pytest.raises(PraiseError, match=r"c.jsonl:2: field 'text'"):
        load_comments(bad)
    bad.write_text('{"id": "x1", "text": "ok", "label": "praise"}\n')
    with pytest.raises(PraiseError, match="field 'label' is 'praise'"):
        load_comments(bad)
    bad.write_text('{"id": "x1", "text": "ok", "label": "not_praise"}\n{"id": "x1", "text": "b", "label": "not_praise"}\n')
    with pytest.raises(PraiseError, match="repeated"):
        load_comments(bad)
    bad.write_text("{not json\n")
    with pytest.raises(PraiseError, match="c.jsonl:1: not JSON"):
        load_comments(bad)


# --------------------------------------------------------------------------- rules


def test_rule_flags_on_named_examples() -> None:
    assert rule_flags(NOBODY_LISTENED)["negated_empathy"]
    assert not rule_flags(NOBODY_LISTENED)["contrast_rescue"]
    assert rule_flags(THANKS_FOR_NOTHING)["sarcasm"]
    assert rule_flags(SARCASTIC_CARE)["sarcasm"]
    assert not any(rule_flags(SHE_REALLY_LISTENED)[k] for k in ("negated_empathy", "sarcasm"))
    assert rule_flags(SHE_REALLY_LISTENED)["empathy_cue"]
    assert rule_flags(QUICK_AND_EASY)["speed_cue"]
    rescued = rule_flags(RESCUED_BY_A_COLLEAGUE)
    assert rescued["negated_empathy"] and rescued["contrast_rescue"]
    assert rule_flags(NEVER_SO_HEARD)["contrast_rescue"]
    assert not rule_flags(DIDNT_RUSH_ME)["negated_empathy"]  # negating a bad thing is praise


# --------------------------------------------------------------------------- classifier


def test_named_examples(classifier: PraiseClassifier) -> None:
    got = {r.text: r for r in classifier.classify([
        NOBODY_LISTENED, THANKS_FOR_NOTHING, SHE_REALLY_LISTENED, QUICK_AND_EASY, SARCASTIC_CARE,
    ])}  # fmt: skip
    assert got[NOBODY_LISTENED].label == "not_praise"
    assert got[NOBODY_LISTENED].reason == "rule: negated empathy"
    assert got[THANKS_FOR_NOTHING].label == "not_praise"
    assert got[SARCASTIC_CARE].reason == "rule: sarcasm"
    assert got[SHE_REALLY_LISTENED].is_empathy_praise
    assert got[QUICK_AND_EASY].label == "speed_praise"
    for r in got.values():
        assert sum(r.probabilities.values()) == pytest.approx(1.0)
        assert set(r.probabilities) == set(LABELS)


def test_empty_text_is_not_praise(classifier: PraiseClassifier) -> None:
    results = classifier.classify(["", "   ", SHE_REALLY_LISTENED])
    assert [r.label for r in results[:2]] == ["not_praise", "not_praise"]
    assert results[0].reason == "empty"
    assert results[2].label == "empathy_praise"


def test_batch_equals_single(classifier: PraiseClassifier) -> None:
    texts = [SHE_REALLY_LISTENED, QUICK_AND_EASY, RESCUED_BY_A_COLLEAGUE]
    batch = classifier.classify(texts)
    for t, b in zip(texts, batch, strict=True):
        one = classifier.classify_one(t)
        assert one.label == b.label
        assert one.probability == pytest.approx(b.probability, abs=1e-5)


def test_held_out_empathy_praise_accuracy(classifier: PraiseClassifier) -> None:
    report = evaluate(classifier)
    assert report.n >= 200
    assert report.binary_accuracy >= 0.9
    assert report.accuracy >= 0.8
    assert sum(map(sum, report.confusion)) == report.n
    text = format_report(report)
    assert "held-out test comments" in text and "confusion" in text


def test_artefact_is_rebuilt_deterministically_from_the_training_split(
    embed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    seen: list[str] = []

    def recording(texts: Sequence[str]) -> np.ndarray:
        seen.extend(texts)
        return embed(texts)

    committed = json.loads(ARTEFACT_PATH.read_text())
    out = tmp_path / "praise_head.json"
    clf = train(embed=recording, out=out)
    rebuilt = json.loads(out.read_text())
    assert rebuilt["train_ids_sha256"] == committed["train_ids_sha256"]
    assert rebuilt["C"] == committed["C"]
    assert np.allclose(rebuilt["coef"], committed["coef"], atol=1e-3)
    assert np.allclose(rebuilt["intercept"], committed["intercept"], atol=1e-3)
    rows = load_comments()
    assert clf.meta["trained_on"] == sum(1 for c in rows if c.split == "train")
    # nothing from the held-out split was embedded for training
    assert seen and not {r.text for r in rows if r.split == "test"}.intersection(seen)
    # the CLI rebuilds the same bytes, and evaluates the head it wrote
    monkeypatch.setattr(praise, "minilm_embed", embed)
    runner = CliRunner()
    again = tmp_path / "again.json"
    res = runner.invoke(_app(), ["praise", "train", "--out", str(again)])
    assert res.exit_code == 0, res.output
    assert f"trained on {clf.meta['trained_on']} comments" in res.output
    assert again.read_bytes() == out.read_bytes()
    res = runner.invoke(_app(), ["praise", "evaluate", "--head", str(again), "--errors"])
    assert res.exit_code == 0, res.output
    assert "held-out test comments: " in res.output
    assert "empathy_praise vs not accuracy" in res.output


def test_missing_or_stale_artefact(tmp_path: Path) -> None:
    with pytest.raises(PraiseError, match="heartline praise train"):
        PraiseClassifier.load(tmp_path / "none.json")
    stale = tmp_path / "stale.json"
    data = json.loads(ARTEFACT_PATH.read_text())
    data["rules"] = ["empathy_cue"]
    stale.write_text(json.dumps(data))
    with pytest.raises(PraiseError, match="other rule flags"):
        PraiseClassifier.load(stale)
    with pytest.raises(PraiseError, match="every label"):
        train([LabelledComment("sc-0003", "Kind.", "empathy_praise")], out=None)


# --------------------------------------------------------------------------- highlights


def test_highlight_stream(classifier: PraiseClassifier) -> None:
    t0 = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
    h = timedelta(hours=1)
    comments = [
        SurveyComment("i1", "a1", "harbour", "She really listened to me, thank you.", t0),
        SurveyComment("i2", "a1", "harbour", "He understood how stressful it was. Regards, Jo Bloggs", t0 + h),
        SurveyComment("i3", "a1", "harbour", "So patient with my mum when she got confused.", t0 + 2 * h),
        SurveyComment("i4", "a2", "harbour", QUICK_AND_EASY, t0 + 3 * h),
        SurveyComment("i5", "a2", "harbour", NOBODY_LISTENED, t0 + 4 * h),
        SurveyComment("i6", "a3", "summit", "Kind and caring, she made me feel heard.", t0 + 5 * h),
        SurveyComment("i7", "a2", "harbour", "Really kind, made me feel heard. Call me on 07700 900123.", t0 - 48 * h),
        SurveyComment("i8", "a2", "harbour", "", t0),
    ]  # fmt: skip
    got = highlight_stream(comments, classifier, team="harbour", per_agent=2, anonymise=anonymise)
    # newest first; a1 capped at 2; speed praise, negated empathy, other team and blank left out
    assert [x.interaction_id for x in got] == ["i3", "i2", "i7"]
    assert got[1].text == "He understood how stressful it was."
    assert "[PHONE]" in got[2].text
    windowed = highlight_stream(comments, classifier, since=t0, until=t0 + 6 * h, limit=2)
    assert [x.interaction_id for x in windowed] == ["i6", "i3"]


# --------------------------------------------------------------------------- CLI


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """test root"""

    praise.register(app)
    return app


def test_cli_classify_and_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(_app(), ["praise", "classify", THANKS_FOR_NOTHING])
    assert res.exit_code == 0, res.output
    line = json.loads(res.output.strip().splitlines()[-1])
    assert line["label"] == "not_praise" and line["reason"] == "rule: sarcasm"
    res = runner.invoke(_app(), ["praise", "evaluate", "--head", str(tmp_path / "none.json")])
    assert res.exit_code == 1
    assert "error: no praise head" in res.output
    assert "Traceback" not in res.output
