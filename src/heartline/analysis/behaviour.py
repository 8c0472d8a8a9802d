"""``behaviour.agent.v1``: zero or more of the 9 behaviours per agent turn.

Paraphrase and acknowledgement depend on what the customer just said, so the
features are ``[e(text), e(context), e(text) * e(context)]`` plus lexical cues
(question mark, apology forms, overlap with the customer's words, ...).  One
logistic head per behaviour, each with its own threshold chosen by
cross-validation on the training split.  Named rules then veto what a rule
knows better ("sorry, could you repeat that" is not an apology; a closed
procedural question is not ``explore``) and add the unmistakable ("calm down").
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
    fit_sigmoids,
    load_arrays,
    save_arrays,
)
from heartline.analysis.ngrams import NgramVectorizer, transform_many
from heartline.analysis.registry import Detector, Utterance, register
from heartline.domain import BEHAVIOURS

ARTEFACTS = Path(__file__).resolve().parent / "artefacts"
NAME = "behaviour.agent.v1"
#: the behaviours that meet a customer's feeling (what a missed cue lacks)
EMPATHY = ("acknowledge_emotion", "validate", "apologize")
#: the in-conversation acknowledgement head (see ``AckHead``)
ACK_NAME = "ack.agent.v1"
#: the in-conversation missed-cue head (see ``MissHead``)
MISS_NAME = "miss.agent.v1"


class AckHead(TurnHead):
    """``ack_strength``: did this reply acknowledge, validate or apologise for the feeling the
    customer just showed, as the conversation annotators judged each reply (``ack``)."""

    prefix = "ack"
    name = ACK_NAME
    c = 3.0
    dense_weight = 0.05


class MissHead(TurnHead):
    """``miss_strength``: would the conversation annotators call this reply a missed cue,
    read from its words and the customer turn it answers (the settled ``missed_emotion_turns``)."""

    prefix = "miss"
    name = MISS_NAME
    c = 3.0
    dense_weight = 0.05


def features(
    encoder: Encoder, texts: Sequence[str], contexts: Sequence[str | None]
) -> np.ndarray:
    """Dense features: whole-turn, context, their product, clause max/min pools, lexical cues."""
    et = encoder.encode(list(texts))
    ec = encoder.encode([c or "" for c in contexts])
    pooled = np.zeros((len(texts), 2 * et.shape[1]), dtype=np.float32)
    clauses = [rules.sentences(t) for t in texts]
    flat = [c for parts in clauses if len(parts) > 1 for c in parts]
    ec_all = encoder.encode(flat)  # one call: every clause encoded (once) together
    pos = 0
    for i, parts in enumerate(clauses):
        if len(parts) == 1:
            pooled[i] = np.concatenate([et[i], et[i]])
        else:
            e = ec_all[pos : pos + len(parts)]
            pos += len(parts)
            pooled[i] = np.concatenate([e.max(axis=0), e.min(axis=0)])
    lex = (
        np.stack([rules.agent_lexical(t, c) for t, c in zip(texts, contexts, strict=True)])
        if texts
        else np.zeros((0, len(rules.AGENT_LEX_NAMES)))
    )
    return np.hstack([et, ec, et * ec, pooled, lex]).astype(np.float32)


@register(NAME)
class BehaviourDetector(Detector[Utterance]):
    name = NAME
    outputs = ("behaviours", "scores", "ack_strength", "miss_strength", "rules")

    def __init__(
        self,
        encoder: Encoder | None = None,
        artefacts: Path | None = None,
        c: float = 10.0,
        dense_weight: float = 0.05,
    ) -> None:
        self.encoder = encoder or Encoder()
        self.path = Path(artefacts or ARTEFACTS) / f"{NAME}.npz"
        self.c = c
        self.dense_weight = dense_weight
        self.thresholds = np.full(len(BEHAVIOURS), 0.5)
        self.ngrams = NgramVectorizer()
        self._head: LinearHead | None = None
        self.ack_path = Path(artefacts or ARTEFACTS) / f"{ACK_NAME}.npz"
        self.ack: AckHead | None = None
        self.miss_path = Path(artefacts or ARTEFACTS) / f"{MISS_NAME}.npz"
        self.miss: MissHead | None = None
        self.meta: dict[str, Any] = {}

    def selector(self, item: Utterance) -> bool:
        return str(item.speaker) == "agent"

    # -- training ---------------------------------------------------------------------------
    def fit(
        self, items: Sequence[Utterance], labels: Sequence[Any] | None = None
    ) -> BehaviourDetector:
        """``labels``: one collection of behaviour names per item."""
        if labels is None or len(labels) != len(items):
            raise ValueError("fit needs one set of behaviours per utterance")
        texts = [u.text for u in items]
        x = features(self.encoder, texts, [u.context for u in items])
        y = np.array([[int(b in set(lab)) for b in BEHAVIOURS] for lab in labels])
        self.ngrams = NgramVectorizer().fit(texts)
        self._head = fit_sigmoids(x, y, self.c, self.ngrams.transform(texts), self.dense_weight)
        self.meta = {"name": NAME, "labels": list(BEHAVIOURS), "c": self.c,
                     "dense_weight": self.dense_weight, "n_train": len(items),
                     "features": ["minilm(text)", "minilm(context)", "product",
                                  *rules.AGENT_LEX_NAMES]}
        return self

    def save(self, path: Path | None = None, extra_meta: dict | None = None) -> Path:
        assert self._head is not None, "fit or load first"
        target = path or self.path
        ng_arrays, ng_meta = self.ngrams.to_arrays("ngrams")
        arrays = {**self._head.to_arrays("behaviour"), **ng_arrays,
                  "behaviour.thresholds": self.thresholds.astype(np.float32)}
        save_arrays(target, arrays, {**self.meta, **ng_meta, **(extra_meta or {})})
        return target

    def load(self) -> BehaviourDetector:
        if self._head is None:
            arrays, meta = load_arrays(self.path)
            self._head = LinearHead.from_arrays(arrays, "behaviour", "sigmoid", BEHAVIOURS)
            self.thresholds = arrays["behaviour.thresholds"].astype(np.float64)
            self.ngrams = NgramVectorizer.from_arrays(arrays, meta, "ngrams")
            self.meta = {k: v for k, v in meta.items() if not k.startswith("ngrams.")}
            if self.ack is None and self.ack_path.is_file():
                self.ack = AckHead.load(self.ack_path)
            if self.miss is None and self.miss_path.is_file():
                self.miss = MissHead.load(self.miss_path)
        return self

    def reply_strengths(self, texts: Sequence[str], contexts: Sequence[str | None],
                        ack: AckHead | None = None, miss: MissHead | None = None
                        ) -> dict[str, np.ndarray]:
        """``ack_strength`` and ``miss_strength`` of each reply under ``ack`` and ``miss``
        (default: the stored heads), from one pass of features.

        Without an acknowledgement head ``ack_strength`` is the behaviour head's top
        empathy score; without a missed-cue head ``miss_strength`` is 0.
        """
        self.load()
        if not texts:
            return {"ack_strength": np.zeros(0), "miss_strength": np.zeros(0)}
        ack, miss = ack or self.ack, miss or self.miss
        x = features(self.encoder, texts, contexts)
        probs = self._predict(x, texts) if ack is None else None
        return {
            "ack_strength": self._values(texts, ack.predict(x, texts) if ack else None, probs),
            "miss_strength": self._values(texts, miss.predict(x, texts) if miss else None, None),
        }

    def _predict(self, x: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        assert self._head is not None
        return self._head.predict(x, self.ngrams.transform(list(texts)))

    @staticmethod
    def _values(texts: Sequence[str], values: np.ndarray | None,
                probs: np.ndarray | None) -> np.ndarray:
        """A turn head's ``values`` per reply; without a head, the top empathy score in
        ``probs`` (or 0 without them); 0 for a reply without words."""
        if values is None:
            values = (probs[:, [BEHAVIOURS.index(b) for b in EMPATHY]].max(axis=1)
                      if probs is not None else np.zeros(len(texts)))
        return np.where([rules.has_letters(t) for t in texts], values, 0.0)

    # -- inference --------------------------------------------------------------------------
    def probabilities(self, texts: Sequence[str], contexts: Sequence[str | None]) -> np.ndarray:
        self.load()
        assert self._head is not None
        return self._predict(features(self.encoder, texts, contexts), texts)

    def _run(self, items: Sequence[Utterance]) -> list[dict[str, Any]]:
        self.load()
        assert self._head is not None
        keys = [(u.text.strip(), (u.context or "").strip() or None) for u in items]
        unique = sorted(set(keys), key=lambda k: (k[0], k[1] or ""))
        texts = [k[0] for k in unique]
        x = features(self.encoder, texts, [k[1] for k in unique])
        # one pass of n-gram counting for the behaviour head and both reply heads
        heads = [h for h in (self.ack, self.miss) if h is not None]
        grams, *head_grams = transform_many([self.ngrams, *(h.ngrams for h in heads)], texts)
        assert self._head is not None
        probs = self._head.predict(x, grams)
        values = {h.prefix: h.predict_grams(x, g) for h, g in zip(heads, head_grams, strict=True)}
        ack = self._values(texts, values.get(AckHead.prefix), probs)
        miss = self._values(texts, values.get(MissHead.prefix), None)
        by_key: dict[tuple[str, str | None], dict[str, Any]] = {}
        for row, key in enumerate(unique):
            by_key[key] = self._decide(key[0], probs[row])
            by_key[key]["ack_strength"] = round(float(ack[row]), 4)
            by_key[key]["miss_strength"] = round(float(miss[row]), 4)
        return [
            {"behaviours": list(by_key[k]["behaviours"]), "scores": dict(by_key[k]["scores"]),
             "ack_strength": by_key[k]["ack_strength"],
             "miss_strength": by_key[k]["miss_strength"], "rules": list(by_key[k]["rules"])}
            for k in keys
        ]

    def _decide(self, text: str, p: np.ndarray) -> dict[str, Any]:
        scores = {b: round(float(p[j]), 4) for j, b in enumerate(BEHAVIOURS)}
        if not rules.has_letters(text):
            return {"behaviours": [], "scores": dict.fromkeys(BEHAVIOURS, 0.0),
                    "rules": [{"rule": "behaviour.no_words", "words": text[:40]}]}
        chosen = {b for j, b in enumerate(BEHAVIOURS) if p[j] >= self.thresholds[j]}
        final, hits = rules.agent_rules(text, chosen)
        for b in final ^ chosen:  # a rule added or vetoed it: the score follows the rule
            scores[b] = 1.0 if b in final else 0.0
        return {
            "behaviours": [b for b in BEHAVIOURS if b in final],
            "scores": scores,
            "rules": [{"rule": h.name, "words": h.words} for h in hits],
        }
