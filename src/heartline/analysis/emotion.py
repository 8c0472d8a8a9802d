"""``emotion.customer.v1``: one emotion (7 labels) and an intensity 0..1 per customer turn.

Customer turns only: Heartline never infers an agent's emotions.
Features are the sentence embedding of the turn plus a few lexical cues
(capitals, exclamation marks, sarcasm, negated praise, ...).  A softmax head
picks the emotion, a ridge head estimates intensity, and named rules veto the
head where they are more precise (sarcasm, negated praise, emoji-only text).

A fourth head, ``cue_strength``, is trained on the customer turns of the
annotated *conversations* rather than on single lines: how clearly a turn, in
the middle of a real call, asks to be acknowledged ("a note. right", "hello??",
"I was told that in the first email. And the second."), as both annotators
judged it.  It lives in its own artefact (``cue.customer.v1.npz``) because it is
fitted with the interaction level; until it exists, ``strong_negative`` stands in.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from heartline.analysis import rules
from heartline.analysis.encoder import Encoder
from heartline.analysis.heads import (
    LinearHead,
    TurnHead,
    fit_ridge,
    fit_sigmoids,
    fit_softmax,
    load_arrays,
    save_arrays,
)
from heartline.analysis.ngrams import NgramVectorizer, transform_many
from heartline.analysis.registry import Detector, Utterance, register
from heartline.domain import EMOTIONS

ARTEFACTS = Path(__file__).resolve().parent / "artefacts"
NAME = "emotion.customer.v1"
NEGATIVE = ("anger", "frustration", "confusion", "worry", "sadness")
#: a turn is "strongly negative" when its emotion is negative with at least this intensity
STRONG_INTENSITY = 0.5
#: regularisation of the strongly-negative head (chosen on training-conversation CV of the
#: missed-cue F1, which is what the head feeds)
STRONG_C = 3.0
#: the in-conversation cue head (see the module docstring), regularised like the others
CUE_NAME = "cue.customer.v1"
CUE_C = 3.0
CUE_DENSE_WEIGHT = 0.05


class CueHead(TurnHead):
    """``cue_strength``: was this customer turn clearly emotional, as annotators judged it."""

    prefix = "cue"
    name = CUE_NAME
    c = CUE_C
    dense_weight = CUE_DENSE_WEIGHT


def features(encoder: Encoder, texts: Sequence[str]) -> np.ndarray:
    emb = encoder.encode(list(texts))
    lex = np.stack([rules.customer_lexical(t) for t in texts]) if texts else np.zeros((0, len(rules.CUSTOMER_LEX_NAMES)))
    return np.hstack([emb, lex]).astype(np.float32)


@register(NAME)
class EmotionDetector(Detector[Utterance]):
    name = NAME
    outputs = ("emotion", "emotion_intensity", "strong_negative", "cue_strength", "confidence",
               "scores", "rules")

    def __init__(
        self,
        encoder: Encoder | None = None,
        artefacts: Path | None = None,
        c: float = 10.0,
        alpha: float = 300.0,
        dense_weight: float = 0.05,
    ) -> None:
        self.encoder = encoder or Encoder()
        self.path = Path(artefacts or ARTEFACTS) / f"{NAME}.npz"
        self.c = c
        self.alpha = alpha
        self.dense_weight = dense_weight
        self.ngrams = NgramVectorizer()
        self._cls: LinearHead | None = None
        self._int: LinearHead | None = None
        self._strong: LinearHead | None = None
        self.cue_path = Path(artefacts or ARTEFACTS) / f"{CUE_NAME}.npz"
        self.cue: CueHead | None = None
        self.meta: dict[str, Any] = {}

    def selector(self, item: Utterance) -> bool:
        return str(item.speaker) == "customer"

    # -- training ---------------------------------------------------------------------------
    def fit(
        self, items: Sequence[Utterance], labels: Sequence[Any] | None = None
    ) -> EmotionDetector:
        """``labels``: one ``(emotion, intensity)`` pair per item."""
        if labels is None or len(labels) != len(items):
            raise ValueError("fit needs one (emotion, intensity) label per utterance")
        texts = [u.text for u in items]
        x = features(self.encoder, texts)
        y = np.array([EMOTIONS.index(e) for e, _ in labels])
        self.ngrams = NgramVectorizer().fit(texts)
        self._cls = fit_softmax(
            x, y, len(EMOTIONS), self.c, self.ngrams.transform(texts), self.dense_weight
        )
        self._cls.labels = EMOTIONS
        intensity = np.array([float(i) for _, i in labels])
        self._int = fit_ridge(x, intensity, self.alpha)
        # one yes/no head for "strongly negative": sharper than emotion x intensity where a
        # missed cue is decided (the feeling carried by facts, not by emotion words)
        strong = np.isin(y, [EMOTIONS.index(e) for e in NEGATIVE]) & (intensity >= STRONG_INTENSITY)
        self._strong = fit_sigmoids(x, strong.astype(int)[:, None], STRONG_C,
                                    self.ngrams.transform(texts), self.dense_weight)
        self.meta = {"name": NAME, "labels": list(EMOTIONS), "c": self.c, "alpha": self.alpha,
                     "dense_weight": self.dense_weight,
                     "n_train": len(items), "features": ["minilm", *rules.CUSTOMER_LEX_NAMES]}
        return self

    def save(self, path: Path | None = None, extra_meta: dict | None = None) -> Path:
        assert self._cls is not None and self._int is not None and self._strong is not None, (
            "fit or load first")
        target = path or self.path
        ng_arrays, ng_meta = self.ngrams.to_arrays("ngrams")
        save_arrays(
            target,
            {**self._cls.to_arrays("emotion"), **self._int.to_arrays("intensity"),
             **self._strong.to_arrays("strong"), **ng_arrays},
            {**self.meta, **ng_meta, **(extra_meta or {})},
        )
        return target

    def load(self) -> EmotionDetector:
        if self._cls is None:
            arrays, meta = load_arrays(self.path)
            self._cls = LinearHead.from_arrays(arrays, "emotion", "softmax", EMOTIONS)
            self._int = LinearHead.from_arrays(arrays, "intensity", "identity", ())
            self._strong = LinearHead.from_arrays(arrays, "strong", "sigmoid", ("strong",))
            self.ngrams = NgramVectorizer.from_arrays(arrays, meta, "ngrams")
            self.meta = {k: v for k, v in meta.items() if not k.startswith("ngrams.")}
            if self.cue is None and self.cue_path.is_file():
                self.cue = CueHead.load(self.cue_path)
        return self

    def cue_strength(self, texts: Sequence[str], cue: CueHead | None = None) -> np.ndarray:
        """``cue_strength`` of each text under ``cue`` (default: the stored head)."""
        self.load()
        head = cue or self.cue
        if not texts:
            return np.zeros(0)
        x = features(self.encoder, list(texts))
        if head is None:
            assert self._strong is not None
            return self._strong.predict(x, self.ngrams.transform(list(texts)))[:, 0]
        return head.predict(x, texts)

    # -- inference --------------------------------------------------------------------------
    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        self.load()
        assert self._cls is not None
        return self._cls.predict(features(self.encoder, texts), self.ngrams.transform(texts))

    def _run(self, items: Sequence[Utterance]) -> list[dict[str, Any]]:
        self.load()
        assert self._cls is not None and self._int is not None and self._strong is not None
        texts = [u.text.strip() for u in items]
        unique = sorted(set(texts))
        x = features(self.encoder, unique)
        grams, *cue_grams = transform_many(
            [self.ngrams, *([self.cue.ngrams] if self.cue is not None else [])], unique)
        probs = self._cls.predict(x, grams)
        intensity = np.clip(self._int.predict(x)[:, 0], 0.0, 1.0)
        strong = self._strong.predict(x, grams)[:, 0]
        cue = self.cue.predict_grams(x, cue_grams[0]) if self.cue is not None else strong
        by_text: dict[str, dict[str, Any]] = {}
        for k, text in enumerate(unique):
            p = {label: float(probs[k, j]) for j, label in enumerate(EMOTIONS)}
            by_text[text] = self._decide(text, p, float(intensity[k]), float(strong[k]),
                                         float(cue[k]))
        return [
            dict(by_text[t], rules=list(by_text[t]["rules"]), scores=dict(by_text[t]["scores"]))
            for t in texts
        ]

    @staticmethod
    def _decide(text: str, p: dict[str, float], intensity: float, strong: float,
                cue: float) -> dict[str, Any]:
        if not text:
            return {"emotion": "neutral", "emotion_intensity": 0.0, "strong_negative": 0.0,
                    "cue_strength": 0.0, "confidence": 0.0,
                    "scores": {k: float(k == "neutral") for k in EMOTIONS},
                    "rules": [{"rule": "emotion.empty", "words": ""}]}
        forced, hits = rules.customer_rules(text, p)
        label = forced or max(EMOTIONS, key=lambda k: p[k])
        if forced is not None:
            intensity = max(intensity, 0.4) if forced != "neutral" else min(intensity, 0.2)
            # the scores follow the rule: the forced label takes the top score (they swap)
            top = max(EMOTIONS, key=lambda k: p[k])
            p = {**p, top: p[forced], forced: p[top]}
        if label == "neutral":
            intensity = min(intensity, 0.35)
        return {
            "emotion": label,
            "emotion_intensity": round(intensity, 3),
            "strong_negative": round(strong, 4),
            "cue_strength": round(cue, 4),
            "confidence": round(p[label], 3),
            "scores": {k: round(p[k], 4) for k in EMOTIONS},
            "rules": [{"rule": h.name, "words": h.words} for h in hits],
        }
