"""Training is deterministic: the same data gives byte-identical artefacts."""

from __future__ import annotations

from pathlib import Path

import pytest

from heartline.analysis import Analyzer
from heartline.analysis.corpus import CORPUS_DIR
from heartline.analysis.encoder import Encoder
from heartline.analysis.training import TrainingError, train, train_interaction


def small_corpus(target: Path, lines: int = 40) -> Path:
    """Every n-th line of each corpus file (the files are grouped by label)."""
    target.mkdir()
    for src in sorted(CORPUS_DIR.glob("*.jsonl")):
        all_lines = src.read_text(encoding="utf-8").splitlines()
        want = 8 if "conv" in src.name else lines
        keep = all_lines[:: max(1, len(all_lines) // want)][:want]
        (target / src.name).write_text("\n".join(keep) + "\n", encoding="utf-8")
    return target


@pytest.mark.slow
def test_same_data_gives_byte_identical_artefacts(tmp_path: Path, encoder: Encoder) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    a = train(tmp_path / "a", corpus, encoder)
    b = train(tmp_path / "b", corpus, Encoder(cache_dir=encoder.cache_dir))  # cold cache
    assert a.files == b.files
    for name in a.files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
        assert (tmp_path / "a" / name).stat().st_size < 5_000_000
    # refitting only the interaction level reproduces the full run's file
    params = tmp_path / "a" / "interaction.v1.json"
    parts = [tmp_path / "a" / name for name in ("difficulty.forest.v1.npz",
                                                 "deescalation.words.v1.npz")]
    full, full_parts = params.read_bytes(), [p.read_bytes() for p in parts]
    params.unlink()
    for p in parts:
        p.unlink()
    assert train_interaction(tmp_path / "a", corpus, encoder) == params
    assert params.read_bytes() == full
    assert [p.read_bytes() for p in parts] == full_parts
    with pytest.raises(TrainingError, match="full `heartline train`"):
        train_interaction(tmp_path / "nothing", corpus, encoder)
    # the freshly trained artefacts are usable
    res = Analyzer(tmp_path / "a", encoder).label_customer(["Thank you so much!"])
    assert res[0]["emotion"] in ("satisfaction", "neutral")


def test_too_small_a_corpus_is_a_clear_error(tmp_path: Path, encoder: Encoder) -> None:
    corpus = small_corpus(tmp_path / "corpus", lines=3)
    with pytest.raises(TrainingError, match="too few training examples"):
        train(tmp_path / "out", corpus, encoder)
