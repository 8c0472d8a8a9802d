"""The interaction analysis: detectors annotate turns, then the interaction is read as a whole.

:class:`Analyzer` is built once (nothing is loaded until the first analysis)
and turns :class:`~heartline.domain.Interaction` records into
:class:`InteractionAnalysis` records.  ``analyze_many`` labels every turn of
every interaction in one pass (each distinct line once), then reads each
interaction on its own, so its results are exactly those of ``analyze`` on
each interaction alone.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np
from pydantic import BaseModel, Field, model_serializer

from heartline.analysis import rules
from heartline.analysis.behaviour import EMPATHY, AckHead, BehaviourDetector, MissHead
from heartline.analysis.behaviour import features as behaviour_features
from heartline.analysis.emotion import CueHead, EmotionDetector
from heartline.analysis.emotion import features as emotion_features
from heartline.analysis.encoder import DIM, Encoder
from heartline.analysis.forest import Forest
from heartline.analysis.friction import FrictionDetector
from heartline.analysis.heads import ArtefactError
from heartline.analysis.listening import ListeningDetector
from heartline.analysis.registry import Utterance
from heartline.analysis.words import (
    WordsHead,
    out_of_fold_words,
    words_inputs,
    words_targets,
)
from heartline.domain import Interaction, Speaker

ARTEFACTS = Path(__file__).resolve().parent / "artefacts"
#: The engine's name; a stored analysis carries it with the digest of the artefacts
#: that produced it (see :func:`model_version`), so a retrain means re-analysis.
MODEL_VERSION = "heartline-analysis-1"
ACTION = ("ownership", "set_expectations")
HARM = ("blame", "dismissive")
CALM = ("neutral", "satisfaction")
EVIDENCE_CHARS = 300
MAX_MOMENTS_PER_KIND = 5
MAX_DIFFICULTY_DRIVERS = 3
DRIVER_MIN_STRENGTH = 0.5

#: Interaction-level parameters used when no tuned file exists (overridden by training).
DEFAULT_PARAMS: dict[str, Any] = {
    "strong_intensity": 0.5,
    "cue_emotions": ["anger", "frustration", "worry", "sadness"],
    "deescalation_emotions": ["anger", "frustration", "worry", "sadness"],
    "deescalation_min_intensity": 0.4,
    "robotic_min_repeats": 2,
    "robotic_min_words": 4,
    # bias, peak and mean negativity, then hostility and distress (see DIFFICULTY_FEATURES)
    "difficulty_coef": [5.0, 35.0, 20.0, 0.0, 10.0, 10.0, 5.0, 5.0, 5.0, 5.0,
                        0.0, 0.0, 5.0, 0.0, 0.0, 0.0, 0.0, 5.0, 5.0, 0.0, 0.0, 0.0, 0.0,
                        0.0],
    "cue_model": None,
    "cue_threshold": 0.5,
    # file names of the acknowledgement and missed-cue heads the cue model was fitted with
    # (trained only)
    "ack_head": None,
    "miss_head": None,
    "deescalation_model": None,
    # a Forest over the same features, averaged with the linear reading (trained only)
    "difficulty_forest": None,
    # a WordsHead whose probability is the last de-escalation feature (trained only)
    "deescalation_words": None,
    "difficulty_cuts": [34.0, 67.0],
}
EMPATHY_WEIGHTS = {
    "acknowledgement": 0.35,
    "curiosity": 0.15,
    "ownership": 0.2,
    "respect": 0.2,
    "authenticity": 0.1,
}


class AnalysisError(ValueError):
    """Input the analysis cannot use; the message says what is wrong."""


class Moment(BaseModel):
    kind: Literal["glow", "growth"]
    turn: int
    reason: str
    evidence: str


class DifficultyDriver(BaseModel):
    """A customer turn that carried the call's emotional load, with its words."""

    turn: int
    emotion: str | None
    strength: float  # cue_strength: how clearly the turn asked to be acknowledged (0..1)
    evidence: str


class TurnLabel(BaseModel):
    index: int
    speaker: Speaker
    emotion: str | None = None
    emotion_intensity: float | None = None
    behaviours: list[str] | None = None
    rules: list[dict[str, str]] = Field(default_factory=list)

    @model_serializer(mode="wrap")
    def _drop_other_side(self, handler):  # type: ignore[no-untyped-def]
        data = handler(self)
        return {k: v for k, v in data.items() if v is not None}


class EmpathyStatement(BaseModel):
    turn: int
    text: str


class InteractionAnalysis(BaseModel):
    """Everything Heartline reads from one interaction, each finding with its evidence."""

    interaction_id: str
    agent_id: str | None = None
    empathy_score: float
    empathy_components: dict[str, float]
    difficulty: float
    difficulty_band: Literal["low", "medium", "high"]
    difficulty_drivers: list[DifficultyDriver] = Field(default_factory=list)
    deescalated: bool
    missed_emotion_turns: list[int]
    robotic: bool
    listening: dict[str, Any]
    friction: dict[str, Any]
    moments: list[Moment]
    turns: list[TurnLabel]
    empathy_statements: list[EmpathyStatement]
    model_version: str = MODEL_VERSION


def load_params(artefacts: Path) -> dict[str, Any]:
    path = artefacts / "interaction.v1.json"
    if not path.is_file():
        return dict(DEFAULT_PARAMS)
    try:
        stored = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise ArtefactError(f"{path} is unreadable ({exc}); run `heartline train`") from exc
    params = {**DEFAULT_PARAMS, **{k: v for k, v in stored.items() if k in DEFAULT_PARAMS}}
    for key in ("ack_head", "miss_head"):
        if params[key] is not None and not (artefacts / str(params[key])).is_file():
            raise ArtefactError(f"{artefacts / str(params[key])} is missing; "
                                "run `heartline train`")
    if params["difficulty_forest"] is not None:
        forest_path = artefacts / str(params["difficulty_forest"])
        if not forest_path.is_file():
            raise ArtefactError(f"{forest_path} is missing; run `heartline train`")
        params["difficulty_forest"] = Forest.load(forest_path)
        if params["difficulty_forest"].n_features != len(DIFFICULTY_FEATURES):
            raise ArtefactError(f"{forest_path} has a stale difficulty model; "
                                "run `heartline train`")
    if params["deescalation_words"] is not None:
        words_path = artefacts / str(params["deescalation_words"])
        if not words_path.is_file():
            raise ArtefactError(f"{words_path} is missing; run `heartline train`")
        params["deescalation_words"] = WordsHead.load(words_path, DIM)
    expected = {"cue_model": len(CUE_FEATURES), "deescalation_model": len(DEESCALATION_FEATURES)}
    for key, n in expected.items():
        model = params.get(key)
        if model is not None and len(model.get("coef", ())) != n:
            raise ArtefactError(f"{path} was trained for another version of {key}; "
                                "run `heartline train`")
    if len(params["difficulty_coef"]) != len(DIFFICULTY_FEATURES):
        raise ArtefactError(f"{path} has a stale difficulty model; run `heartline train`")
    return params


def model_version(artefacts: Path = ARTEFACTS) -> str:
    """``heartline-analysis-1+<digest>``: the digest covers every trained artefact file.

    Retraining changes it (unless the artefacts come out byte-identical), so
    ``heartline score`` re-analyses what an older model read.
    """
    digest = hashlib.sha256()
    for path in sorted(Path(artefacts).glob("*")):
        if path.is_file() and path.suffix in (".npz", ".json"):
            digest.update(path.name.encode() + b"\0")
            digest.update(path.read_bytes())
    return f"{MODEL_VERSION}+{digest.hexdigest()[:12]}"


class Analyzer:
    """Built once; loads artefacts and the encoder on first use."""

    def __init__(
        self,
        artefacts: Path | None = None,
        encoder: Encoder | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        self.artefacts = Path(artefacts or ARTEFACTS)
        self.encoder = encoder or Encoder()
        self.emotion = EmotionDetector(self.encoder, self.artefacts)
        self.behaviour = BehaviourDetector(self.encoder, self.artefacts)
        self.listening = ListeningDetector()
        self.friction = FrictionDetector()
        self._params = dict(params) if params is not None else None
        self._version: str | None = None

    @property
    def version(self) -> str:
        """The model version stamped on every analysis this analyzer makes."""
        if self._version is None:
            self._version = model_version(self.artefacts)
        return self._version

    @property
    def params(self) -> dict[str, Any]:
        if self._params is None:
            self._params = load_params(self.artefacts)
        return self._params

    # -- utterance labelling ----------------------------------------------------------------
    def label_customer(
        self, texts: Sequence[str], contexts: Sequence[str | None] | None = None
    ) -> list[dict[str, Any]]:
        ctx = contexts if contexts is not None else [None] * len(texts)
        res = self.emotion.transform(
            [Utterance(t, "customer", c) for t, c in zip(texts, ctx, strict=True)]
        )
        return [r for r in res if r is not None]

    def label_agent(
        self, texts: Sequence[str], contexts: Sequence[str | None] | None = None
    ) -> list[dict[str, Any]]:
        ctx = contexts if contexts is not None else [None] * len(texts)
        res = self.behaviour.transform(
            [Utterance(t, "agent", c) for t, c in zip(texts, ctx, strict=True)]
        )
        return [r for r in res if r is not None]

    # -- interactions -----------------------------------------------------------------------
    def analyze(self, interaction: Interaction) -> InteractionAnalysis:
        return self.analyze_many([interaction])[0]

    def analyze_many(self, interactions: Sequence[Interaction]) -> list[InteractionAnalysis]:
        utterances: list[Utterance] = []
        spans: list[tuple[int, int]] = []
        for x in interactions:
            start = len(utterances)
            utterances.extend(turn_utterances(x))
            spans.append((start, len(utterances)))
        emo = self.emotion.transform(utterances)
        beh = self.behaviour.transform(utterances)
        listening = self.listening.transform(list(interactions))
        friction = self.friction.transform(list(interactions))
        words = self.words(interactions)
        out = []
        for k, x in enumerate(interactions):
            a, b = spans[k]
            labels = [emo[i] if emo[i] is not None else beh[i] for i in range(a, b)]
            out.append(read_interaction(x, labels, listening[k] or {}, friction[k] or {},
                                        self.params, words=words[k],
                                        model_version=self.version))
        return out

    def words(self, interactions: Sequence[Interaction]) -> list[float]:
        """The words head's de-escalation probability per interaction (0 without a head)."""
        head = self.params.get("deescalation_words")
        if head is None or not interactions:
            return [0.0] * len(interactions)
        return [float(v) for v in head.predict(words_inputs(self.encoder, interactions))]


def turn_utterances(x: Interaction) -> list[Utterance]:
    """Each turn with its context: for an agent, what the customer last said; else the last turn."""
    out = []
    last_customer: str | None = None
    previous: str | None = None
    for t in x.turns:
        if t.speaker == "agent":
            out.append(Utterance(t.text, "agent", last_customer))
        else:
            out.append(Utterance(t.text, "customer", previous))
            last_customer = t.text
        previous = t.text
    return out


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EVIDENCE_CHARS else text[: EVIDENCE_CHARS - 1] + "…"


def _negative(label: Mapping[str, Any] | None) -> bool:
    return bool(label) and label.get("emotion") not in (None, *CALM)  # type: ignore[union-attr]


def _sentence_keys(text: str, min_words: int) -> list[str]:
    keys = []
    for s in rules.sentences(text):
        key = rules.normalise(s)
        if len(key.split()) >= min_words:
            keys.append(key)
    return keys


def read_interaction(
    x: Interaction,
    labels: Sequence[Mapping[str, Any] | None],
    listening: dict[str, Any],
    friction: dict[str, Any],
    params: Mapping[str, Any],
    *,
    words: float = 0.0,
    model_version: str = MODEL_VERSION,
) -> InteractionAnalysis:
    """Interaction-level reading of already-labelled turns (pure; no model involved).

    ``words`` is the words head's de-escalation probability for this interaction
    (``Analyzer.words``), the one input that is not a turn label.
    """
    turns: list[TurnLabel] = []
    for i, (t, lab) in enumerate(zip(x.turns, labels, strict=True)):
        lab = lab or {}
        if t.speaker == "customer":
            turns.append(TurnLabel(index=i, speaker=t.speaker, emotion=lab.get("emotion"),
                                   emotion_intensity=lab.get("emotion_intensity"),
                                   rules=list(lab.get("rules", []))))
        else:
            turns.append(TurnLabel(index=i, speaker=t.speaker,
                                   behaviours=list(lab.get("behaviours", [])),
                                   rules=list(lab.get("rules", []))))
    strong = float(params["strong_intensity"])
    cue_emotions = set(params["cue_emotions"])
    deesc_emotions = set(params["deescalation_emotions"])
    customer = [tl for tl in turns if tl.speaker == "customer"]
    agent = [tl for tl in turns if tl.speaker == "agent"]
    text = [t.text for t in x.turns]
    moments: list[Moment] = []

    # missed cues and answered cues: the first agent turn after a strong customer emotion
    missed: list[int] = []
    answered: list[tuple[int, int]] = []  # (customer turn, agent turn)
    cue_model = params.get("cue_model")
    for c_idx, a_idx, feats in cue_contexts(x, labels):
        c_tl, a_tl = turns[c_idx], turns[a_idx]
        empathic = bool(set(a_tl.behaviours or ()) & set(EMPATHY))
        strong_rule = (c_tl.emotion in cue_emotions
                       and (c_tl.emotion_intensity or 0.0) >= strong)
        if cue_model:
            # after a satisfied customer there is no feeling to miss; a "neutral" label can
            # still hide one ("It was under a coat! That's not visible."), so the model decides
            is_missed = (c_tl.emotion != "satisfaction"
                         and _linear(cue_model, feats) >= float(params["cue_threshold"]))
        else:
            is_missed = strong_rule and not empathic
        if is_missed:
            missed.append(a_idx)
            moments.append(Moment(
                kind="growth", turn=a_idx,
                reason=(f"missed cue: {_cue_heard(c_tl.emotion, c_idx)} "
                        f"(\"{_clip(text[c_idx])[:120]}\") and this reply did not acknowledge, "
                        "validate or apologise"),
                evidence=_clip(text[a_idx]),
            ))
        elif strong_rule and empathic:
            answered.append((c_idx, a_idx))

    for c_idx, a_idx in answered[:MAX_MOMENTS_PER_KIND]:
        moments.append(Moment(
            kind="glow", turn=a_idx,
            reason=(f"met the customer's {turns[c_idx].emotion} at turn {c_idx} with "
                    + ", ".join(b for b in (turns[a_idx].behaviours or []) if b in EMPATHY)),
            evidence=_clip(text[a_idx]),
        ))

    # harm: blame and dismissal
    harm_turns = [tl for tl in agent if set(tl.behaviours or ()) & set(HARM)]
    for tl in harm_turns[:MAX_MOMENTS_PER_KIND]:
        kinds = [b for b in (tl.behaviours or []) if b in HARM]
        fired = [r["rule"] for r in tl.rules if r["rule"].startswith("dismissive")]
        moments.append(Moment(
            kind="growth", turn=tl.index,
            reason=" and ".join(kinds) + (f" (rule {', '.join(fired)})" if fired else ""),
            evidence=_clip(text[tl.index]),
        ))

    # robotic: the same empathy sentence repeated
    min_words = int(params["robotic_min_words"])
    min_repeats = int(params["robotic_min_repeats"])
    seen: dict[str, list[int]] = defaultdict(list)
    empathy_statements: list[EmpathyStatement] = []
    for tl in agent:
        if set(tl.behaviours or ()) & set(EMPATHY):
            empathy_statements.append(EmpathyStatement(turn=tl.index, text=_clip(text[tl.index])))
            for key in set(_sentence_keys(text[tl.index], min_words)):
                seen[key].append(tl.index)
    repeated = {k: v for k, v in seen.items() if len(v) >= min_repeats}
    robotic = bool(repeated)
    repeated_turns: set[int] = set()
    for key in sorted(repeated, key=lambda k: (repeated[k][0], k)):
        idx = repeated[key]
        repeated_turns.update(idx[1:])
        moments.append(Moment(
            kind="growth", turn=idx[1],
            reason=(f"robotic: the same empathy line was used {len(idx)} times "
                    f"(turns {', '.join(map(str, idx))}) without adapting it"),
            evidence=_clip(key),
        ))

    # de-escalation
    deesc_min = float(params["deescalation_min_intensity"])
    half = customer[: max(1, math.ceil(len(customer) / 2))] if customer else []
    early_negative = [c for c in half if c.emotion in deesc_emotions
                      and (c.emotion_intensity or 0) >= deesc_min]
    deesc_model = params.get("deescalation_model")
    if deesc_model and customer:
        deescalated = _linear(deesc_model,
                              deescalation_features(customer, labels, text, words, agent)) >= 0.5
        if deescalated and not early_negative:
            early_negative = [max(half, key=lambda c: _negativity(labels[c.index]))]
    else:
        deescalated = bool(customer) and bool(early_negative) and customer[-1].emotion in CALM
    if deescalated:
        turn_point = next(
            (c for c in customer if c.index > early_negative[0].index and c.emotion in CALM),
            customer[-1],
        )
        prior_agent = [a for a in agent if a.index < turn_point.index]
        at = prior_agent[-1].index if prior_agent else turn_point.index
        moments.append(Moment(
            kind="glow", turn=at,
            reason=_deescalation_reason(early_negative[0], customer[-1]),
            evidence=_clip(text[at]),
        ))

    # ownership with a clear next step
    acts = [a for a in agent if set(a.behaviours or ()) >= {"ownership", "set_expectations"}]
    for a in acts[:2]:
        moments.append(Moment(
            kind="glow", turn=a.index,
            reason="took ownership and said what happens next and when",
            evidence=_clip(text[a.index]),
        ))

    # difficulty: the customer's emotional load
    difficulty = difficulty_reading(difficulty_features(customer, labels, text), params)
    cuts = params["difficulty_cuts"]
    band: Literal["low", "medium", "high"] = (
        "low" if difficulty < cuts[0] else "high" if difficulty >= cuts[1] else "medium"
    )
    drivers = difficulty_drivers(customer, labels, text)

    # empathy score
    cues = len(answered) + len(missed)
    n_agent = max(1, len(agent))
    count = Counter(b for a in agent for b in (a.behaviours or []))
    components = {
        "acknowledgement": (len(answered) / cues) if cues else 1.0,
        "curiosity": min(1.0, (count["explore"] + count["paraphrase"]) / 2),
        "ownership": min(1.0, (count["ownership"] + count["set_expectations"]) / 2),
        "respect": max(0.0, 1.0 - 0.5 * (count["blame"] + count["dismissive"])),
        "authenticity": 1.0 - (len(repeated_turns) / n_agent if robotic else 0.0),
    }
    if not agent:
        components = dict.fromkeys(components, 0.0)
    score = 100 * sum(EMPATHY_WEIGHTS[k] * v for k, v in components.items())
    if robotic:
        score = min(score, 60.0)

    glow = [m for m in moments if m.kind == "glow"][: MAX_MOMENTS_PER_KIND * 2]
    growth = [m for m in moments if m.kind == "growth"][: MAX_MOMENTS_PER_KIND * 3]
    return InteractionAnalysis(
        interaction_id=x.id,
        agent_id=x.agent_id,
        empathy_score=round(score, 1),
        empathy_components={k: round(100 * v, 1) for k, v in components.items()},
        difficulty=round(difficulty, 1),
        difficulty_band=band,
        difficulty_drivers=drivers,
        deescalated=deescalated,
        missed_emotion_turns=missed,
        robotic=robotic,
        listening=listening,
        friction=friction,
        moments=sorted(glow + growth, key=lambda m: (m.turn, m.kind)),
        turns=turns,
        empathy_statements=empathy_statements,
        model_version=model_version,
    )


#: how a moment's reason names the customer's feeling
SOUNDED = {"anger": "angry", "frustration": "frustrated", "confusion": "confused",
           "worry": "worried", "sadness": "sad"}


def _cue_heard(emotion: str | None, turn: int, words: str = "asked to be acknowledged") -> str:
    """"the customer sounded worried at turn 3"; under a calm label the turn is named by
    its words ("the customer's words at turn 3 asked to be acknowledged")."""
    feeling = SOUNDED.get(emotion or "")
    if feeling:
        return f"the customer sounded {feeling} at turn {turn}"
    return f"the customer's words at turn {turn} {words}"


def _deescalation_reason(start: TurnLabel, end: TurnLabel) -> str:
    """"the customer sounded angry at turn 1; by the end (turn 9) they were satisfied".

    The model reads the whole call, so the opening it saw as upset can carry a calm
    label, and the ending an uneasy one; then the words are named instead of a feeling
    the label does not show.
    """
    opening = _cue_heard(start.emotion, start.index, "were uneasy")
    ending = {"satisfaction": f"by the end (turn {end.index}) they were satisfied",
              "neutral": f"by the end (turn {end.index}) they were calm"}.get(
        end.emotion or "", f"their last words (turn {end.index}) read as settled")
    return f"de-escalated: {opening}; {ending}"


def _cue_strength(label: Mapping[str, Any] | None) -> float:
    return float((label or {}).get("cue_strength") or 0.0)


def _scores(label: Mapping[str, Any] | None) -> Mapping[str, float]:
    return (label or {}).get("scores") or {}


def _negativity(label: Mapping[str, Any] | None) -> float:
    """Intensity times the probability that the emotion is a negative one."""
    sc = _scores(label)
    calm = sc.get("neutral", 1.0) + sc.get("satisfaction", 0.0)
    return float((label or {}).get("emotion_intensity") or 0.0) * max(0.0, 1.0 - calm)


def _linear(model: Mapping[str, Any], feats: Sequence[float]) -> float:
    z = sum(c * f for c, f in zip(model["coef"], feats, strict=True)) + model["intercept"]
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


def cue_pairs(x: Interaction, labels: Sequence[Mapping[str, Any] | None]
              ) -> list[tuple[int, int]]:
    """(customer turn, agent turn): each agent turn that answers a customer, paired with the
    most emotional customer turn since the agent last spoke."""
    pairs = []
    best: int | None = None
    for i, t in enumerate(x.turns):
        if t.speaker == "customer":
            if best is None or _negativity(labels[i]) > _negativity(labels[best]):
                best = i
        else:
            if best is not None:
                pairs.append((best, i))
            best = None
    return pairs


CUE_FEATURES = ("intensity", "anger", "frustration", "worry", "sadness", "confusion",
                "negativity", "empathy_probability", "empathy_label", "action_probability",
                "earlier_empathy", "position", "previous_negativity", "harm_probability",
                "closed_procedural", "exclaims", "capitals", "hostile_words", "distress_words",
                "customer_rule", "repeat_contact", "stakes", "strong_negative", "cue_strength",
                "ack_strength", "miss_strength")


def cue_features(customer: Mapping[str, Any] | None, agent: Mapping[str, Any] | None,
                 earlier_empathy: bool = False, position: float = 0.0,
                 previous_negativity: float = 0.0, customer_text: str = "",
                 agent_text: str = "") -> list[float]:
    """What the customer just felt, how the reply met it, and where we are in the call."""
    sc, bc = _scores(customer), _scores(agent)
    lex = rules.customer_lexical(customer_text)
    names = rules.CUSTOMER_LEX_NAMES
    return [
        float((customer or {}).get("emotion_intensity") or 0.0),
        sc.get("anger", 0.0), sc.get("frustration", 0.0), sc.get("worry", 0.0),
        sc.get("sadness", 0.0), sc.get("confusion", 0.0),
        _negativity(customer),
        max((bc.get(b, 0.0) for b in EMPATHY), default=0.0),
        float(bool(set((agent or {}).get("behaviours") or ()) & set(EMPATHY))),
        max((bc.get(b, 0.0) for b in ACTION), default=0.0),
        float(earlier_empathy),
        position,
        previous_negativity,
        max((bc.get(b, 0.0) for b in HARM), default=0.0),
        float(bool(rules.CLOSED_PROCEDURAL.search(agent_text))),
        float(lex[names.index("exclaims")]),
        float(lex[names.index("caps_ratio")]),
        float(lex[names.index("hostile")]),
        max(float(lex[names.index("worry")]), float(lex[names.index("sad")])),
        float(any(r.get("rule") in END_RULES for r in (customer or {}).get("rules", ()))),
        float(lex[names.index("repeat_contact")]),
        float(bool(rules.HIGH_STAKES.search(customer_text))),
        float((customer or {}).get("strong_negative") or 0.0),
        _cue_strength(customer),
        float((agent or {}).get("ack_strength",
                                max((bc.get(b, 0.0) for b in EMPATHY), default=0.0))),
        float((agent or {}).get("miss_strength") or 0.0),
    ]


def cue_contexts(x: Interaction, labels: Sequence[Mapping[str, Any] | None]
                 ) -> list[tuple[int, int, list[float]]]:
    """(customer turn, agent turn, cue features) for every reply to a customer."""
    out = []
    n = max(1, len(x.turns))
    empathy_seen = False
    previous_neg = 0.0
    for c_idx, a_idx in cue_pairs(x, labels):
        feats = cue_features(labels[c_idx], labels[a_idx], empathy_seen, a_idx / n,
                             previous_neg, x.turns[c_idx].text, x.turns[a_idx].text)
        out.append((c_idx, a_idx, feats))
        previous_neg = _negativity(labels[c_idx])
        if set((labels[a_idx] or {}).get("behaviours") or ()) & set(EMPATHY):
            empathy_seen = True
    return out


DEESCALATION_FEATURES = ("early_negativity", "last_calm", "last_satisfaction", "last_negativity",
                         "late_negativity", "mean_early_negativity", "first_negativity",
                         "end_negativity", "drop", "end_rule", "end_gratitude",
                         "late_self_apology", "words", "early_cue", "end_cue",
                         "agent_acted_late", "agent_empathy", "agent_harm")
END_RULES = ("emotion.sarcasm", "emotion.negated_positive", "emotion.resigned")


def deescalation_features(customer: Sequence[TurnLabel],
                          labels: Sequence[Mapping[str, Any] | None],
                          texts: Sequence[str] | None = None, words: float = 0.0,
                          agent: Sequence[TurnLabel] = ()) -> list[float]:
    """Negative early, calm at the end: how much of each the customer turns show.

    ``words`` is the words head's reading of the same turns (0 without a head).
    ``early_cue`` and ``end_cue`` are the highest ``cue_strength`` (how clearly a turn
    asked to be acknowledged) in the first half and in the end turns: "clearly negative"
    is the cue head's own question (0 without a cue head).
    The last three read the agent's turns: the strongest ownership or next step in the
    second half of the call, the strongest acknowledgement, validation or apology, and the
    strongest blame or dismissal (0 without agent turns). The annotators judged with the
    agent's turns in front of them: whether a brief opening was heard as clearly negative
    shows partly in whether the agent answered it as a feeling.
    """
    half = customer[: max(1, math.ceil(len(customer) / 2))]
    late = customer[len(half):] or customer[-1:]
    end = customer[-2:] if len(customer) >= 4 else customer[-1:]
    last = labels[customer[-1].index]
    sc = _scores(last)
    early = [_negativity(labels[c.index]) for c in half]
    end_neg = max(_negativity(labels[c.index]) for c in end)
    end_rules = {r.get("rule") for c in end for r in (labels[c.index] or {}).get("rules", ())}

    def cue(turns: Sequence[TurnLabel]) -> float:
        return max(_cue_strength(labels[c.index]) for c in turns)

    return [
        max(early),
        sc.get("neutral", 0.0) + sc.get("satisfaction", 0.0),
        sc.get("satisfaction", 0.0),
        _negativity(last),
        sum(_negativity(labels[c.index]) for c in late) / len(late),
        sum(early) / len(early),
        early[0],
        end_neg,
        max(early) - end_neg,
        float(bool(end_rules & set(END_RULES))),
        float(bool(texts and rules.GRATITUDE.search(texts[customer[-1].index]))),
        float(bool(texts and any(rules.SELF_APOLOGY.search(texts[c.index]) for c in late))),
        float(words),
        cue(half),
        cue(end),
        *_agent_side(agent, labels),
    ]


def _agent_side(agent: Sequence[TurnLabel],
                labels: Sequence[Mapping[str, Any] | None]) -> list[float]:
    """What the agent did, for de-escalation: acted late, acknowledged, harmed.

    Each is the highest probability (or sum of two) over the turns it reads.
    """
    if not agent:
        return [0.0, 0.0, 0.0]
    late = [a for a in agent if a.index >= len(labels) / 2] or list(agent)

    def top(turns: Sequence[TurnLabel], *names: str) -> float:
        return max(sum(float(_scores(labels[a.index]).get(k, 0.0)) for k in names)
                   for a in turns)

    return [
        top(late, "ownership", "set_expectations"),
        max(top(agent, k) for k in ("acknowledge_emotion", "validate", "apologize")),
        top(agent, "blame", "dismissive"),
    ]


DIFFICULTY_FEATURES = ("bias", "peak_negativity", "mean_negativity", "top_two_negativity",
                       "negative_share", "hostile_share", "mean_anger", "peak_anger",
                       "mean_distress", "peak_distress", "negative_turns", "mean_intensity",
                       "hostile_words", "capitals", "exclaims", "distress_words",
                       "first_negativity", "self_apology", "stakes", "peak_strong",
                       "strong_share", "peak_cue", "cue_share", "cue_load")


def difficulty_features(customer: Sequence[TurnLabel],
                        labels: Sequence[Mapping[str, Any] | None],
                        texts: Sequence[str] | None = None) -> list[float]:
    """The customer's side of the call: how negative, how hostile, how distressed, how long."""
    if not customer:
        return [1.0] + [0.0] * (len(DIFFICULTY_FEATURES) - 1)
    neg = [_negativity(labels[c.index]) for c in customer]
    strong = [float((labels[c.index] or {}).get("strong_negative") or 0.0) for c in customer]
    cue = [_cue_strength(labels[c.index]) for c in customer]
    sc = [_scores(labels[c.index]) for c in customer]
    anger = [s.get("anger", 0.0) for s in sc]
    distress = [s.get("sadness", 0.0) + s.get("worry", 0.0) for s in sc]
    n = len(customer)
    names = rules.CUSTOMER_LEX_NAMES
    lex = np.array([rules.customer_lexical(texts[c.index]) if texts else
                    np.zeros(len(names), dtype=np.float32) for c in customer])
    negative = sum(1 for c in customer if c.emotion not in (None, *CALM))
    return [
        1.0,
        max(neg),
        sum(neg) / n,
        sum(sorted(neg)[-2:]) / min(2, n),
        negative / n,
        sum(1 for c in customer if c.emotion in ("anger", "frustration")) / n,
        sum(anger) / n,
        max(anger),
        sum(distress) / n,
        max(distress),
        math.log1p(negative) / 2,
        sum(float((labels[c.index] or {}).get("emotion_intensity") or 0.0) for c in customer) / n,
        float(lex[:, names.index("hostile")].mean()),
        float(lex[:, names.index("caps_ratio")].max()),
        float(lex[:, names.index("exclaims")].mean()),
        float(np.maximum(lex[:, names.index("sad")], lex[:, names.index("worry")]).mean()),
        neg[0],
        float(any(rules.SELF_APOLOGY.search(texts[c.index]) for c in customer)) if texts else 0.0,
        min(3, sum(len(rules.HIGH_STAKES.findall(texts[c.index])) for c in customer)) / 3
        if texts else 0.0,
        max(strong),
        sum(strong) / n,
        max(cue),
        sum(cue) / n,
        # the load adds up: how strongly, over how many turns (a share alone forgets length)
        math.log1p(sum(cue)),
    ]


def difficulty_reading(feats: Sequence[float], params: Mapping[str, Any]) -> float:
    """0..100 from the customer-side features: the linear reading, averaged with the forest's.

    The forest catches interactions a straight line cannot (a long call of mild
    sarcasm against a short one of acute distress); the line keeps the reading
    smooth between the few conversations each leaf has seen.
    """
    coef = params["difficulty_coef"]
    value = float(np.clip(sum(c * f for c, f in zip(coef, feats, strict=True)), 0, 100))
    forest = params.get("difficulty_forest")
    if forest is not None:
        value = (value + float(np.clip(forest.predict(np.array([feats]))[0], 0, 100))) / 2
    return value


def difficulty_drivers(customer: Sequence[TurnLabel],
                       labels: Sequence[Mapping[str, Any] | None],
                       texts: Sequence[str]) -> list[DifficultyDriver]:
    """The evidence for ``difficulty``: the customer turns that weighed most, in call order.

    A turn weighs by its ``cue_strength`` (or, without the cue head, ``strong_negative``
    and then negativity); only turns at or above ``DRIVER_MIN_STRENGTH`` count, so a calm
    call names none.
    """
    scored = []
    for c in customer:
        label = labels[c.index] or {}
        strength = label.get("cue_strength")
        if strength is None:
            strength = label.get("strong_negative")
        if strength is None:
            strength = _negativity(label)
        if float(strength) >= DRIVER_MIN_STRENGTH:
            scored.append((float(strength), c))
    top = sorted(scored, key=lambda sc: (-sc[0], sc[1].index))[:MAX_DIFFICULTY_DRIVERS]
    return [DifficultyDriver(turn=c.index, emotion=c.emotion, strength=round(v, 3),
                             evidence=_clip(texts[c.index]))
            for v, c in sorted(top, key=lambda sc: sc[1].index)]


def canned_phrase_overuse(
    analyses_by_agent: Mapping[str, Sequence[InteractionAnalysis]], min_interactions: int = 3
) -> dict[str, float]:
    """Per agent: share of their empathy statements that are a canned line.

    A line (an empathy sentence, normalised) is canned when the agent used it in
    at least ``min_interactions`` different interactions, or more than once in one
    interaction.  Checkbox empathy does harm, so a high rate is a coaching topic,
    never a verdict.
    """
    out: dict[str, float] = {}
    for agent_id in sorted(analyses_by_agent):
        per_line_interactions: dict[str, set[str]] = defaultdict(set)
        per_line_uses: Counter[str] = Counter()
        statements: list[list[str]] = []
        for a in analyses_by_agent[agent_id]:
            for st in a.empathy_statements:
                keys = _sentence_keys(st.text, int(DEFAULT_PARAMS["robotic_min_words"]))
                statements.append(keys)
                for key in keys:
                    per_line_interactions[key].add(a.interaction_id)
                    per_line_uses[key] += 1
        canned = {
            k for k in per_line_uses
            if len(per_line_interactions[k]) >= min_interactions
            or per_line_uses[k] > len(per_line_interactions[k])
        }
        total = len(statements)
        out[agent_id] = round(sum(1 for s in statements if set(s) & canned) / total, 3) if total else 0.0
    return out


# --------------------------------------------------------------------------- tuning (training)

def conversation_interaction(conv: Any) -> Interaction:
    return Interaction(id=conv.id, turns=conv.turns)


def tune_interaction_params(
    conversations: Sequence[Any], artefacts: Path, encoder: Encoder
) -> dict[str, Any]:
    """Choose the interaction-level parameters on the training conversations only."""
    if not conversations:
        return dict(DEFAULT_PARAMS)
    analyzer = Analyzer(artefacts, encoder, DEFAULT_PARAMS)
    xs, labels = label_conversations(conversations, analyzer)
    # the in-conversation heads (cue, acknowledgement, missed cue): fitted on every training
    # conversation and stored; the interaction models are fitted on out-of-fold values, as
    # they will meet unseen calls
    cue, ack, miss = fit_turn_heads(analyzer, conversations, xs, labels)
    if cue is not None:
        cue.save(analyzer.emotion.cue_path)
    for head, path in ((ack, analyzer.behaviour.ack_path), (miss, analyzer.behaviour.miss_path)):
        if head is not None:
            head.save(path)
        else:
            path.unlink(missing_ok=True)
    # the words head likewise: stored whole, met out-of-fold by the de-escalation model
    inputs = words_inputs(analyzer.encoder, xs)
    params = fit_interaction_params(conversations, xs,
                                    out_of_fold_strengths(analyzer, conversations, xs, labels),
                                    out_of_fold_words(conversations, inputs))
    params["ack_head"] = analyzer.behaviour.ack_path.name if ack is not None else None
    params["miss_head"] = analyzer.behaviour.miss_path.name if miss is not None else None
    params["deescalation_words"] = WordsHead.fit(inputs, words_targets(conversations))
    return params


def cue_targets(conv: Any) -> dict[int, bool]:
    """Agent turn -> was the customer turn it answers clearly emotional, as annotated.

    Double-annotated conversations carry each annotator's ``[turn, strong, ack]`` calls;
    a third vote, where there was one, settles the turn.  Without them, a missed cue is
    the only evidence: its customer turn was strong, and other turns count as not.
    """
    ann = (getattr(conv, "extra", None) or {}).get("annotations") or {}
    cues = (ann.get("second") or {}).get("cues")
    missed = {int(t) for t in conv.missed_emotion_turns}
    if not cues:
        return {t: True for t in missed}
    out = {int(t): bool(strong) for t, strong, _ in cues}
    for t, strong, _ in (ann.get("third") or {}).get("cues", []):
        out[int(t)] = bool(strong)
    for t in missed:
        out[t] = True
    return out


def fit_cue_head(detector: EmotionDetector, conversations: Sequence[Any],
                 xs: Sequence[Interaction], labels: Sequence[Sequence[Any]]) -> CueHead | None:
    """The ``cue_strength`` head on the customer turns that agents answered in ``conversations``."""
    texts: list[str] = []
    ys: list[int] = []
    for conv, x, lab in zip(conversations, xs, labels, strict=True):
        targets = cue_targets(conv)
        for c_idx, a_idx in cue_pairs(x, lab):
            texts.append(x.turns[c_idx].text.strip())
            ys.append(int(targets.get(a_idx, False)))
    if len(set(ys)) < 2:
        return None
    detector.load()
    return CueHead.fit(emotion_features(detector.encoder, texts), texts, np.array(ys))


def with_cue_strength(detector: EmotionDetector, cue: CueHead | None,
                      xs: Sequence[Interaction], labels: Sequence[Sequence[Any]]
                      ) -> list[list[Any]]:
    """Copies of ``labels`` whose customer turns carry ``cue_strength`` from ``cue``."""
    spots = [(k, i) for k, x in enumerate(xs) for i, t in enumerate(x.turns)
             if t.speaker == "customer" and labels[k][i] is not None]
    values = detector.cue_strength([xs[k].turns[i].text.strip() for k, i in spots], cue)
    out = [list(lab) for lab in labels]
    for (k, i), v in zip(spots, values, strict=True):
        out[k][i] = {**out[k][i], "cue_strength": round(float(v), 4)}
    return out


TurnHeads = tuple[CueHead | None, AckHead | None, MissHead | None]


def fit_turn_heads(analyzer: Analyzer, conversations: Sequence[Any], xs: Sequence[Interaction],
                   labels: Sequence[Sequence[Any]]) -> TurnHeads:
    """The three heads learnt from annotated conversations: ``cue_strength`` on customer
    turns, ``ack_strength`` and ``miss_strength`` on replies."""
    return (fit_cue_head(analyzer.emotion, conversations, xs, labels),
            fit_reply_head(AckHead, analyzer.behaviour, conversations, xs, ack_targets),
            fit_reply_head(MissHead, analyzer.behaviour, conversations, xs, miss_targets))


def with_turn_heads(analyzer: Analyzer, heads: TurnHeads, xs: Sequence[Interaction],
                    labels: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """Copies of ``labels`` with ``cue_strength``, ``ack_strength`` and ``miss_strength``."""
    cue, ack, miss = heads
    behaviour = analyzer.behaviour
    return with_reply_values(xs, with_cue_strength(analyzer.emotion, cue, xs, labels),
                             lambda t, c: behaviour.reply_strengths(t, c, ack, miss))


def out_of_fold_strengths(analyzer: Analyzer, conversations: Sequence[Any],
                          xs: Sequence[Interaction], labels: Sequence[Sequence[Any]],
                          folds: int = 5) -> list[list[Any]]:
    """``cue_strength``, ``ack_strength`` and ``miss_strength`` for each conversation from
    heads that never saw that conversation: the values the interaction models will meet on
    unseen calls."""
    order = sorted(range(len(conversations)), key=lambda i: conversations[i].id)
    out = [list(lab) for lab in labels]
    for k in range(min(folds, len(order))):
        held = order[k::folds]
        held_set = set(held)
        rest = [i for i in order if i not in held_set]
        heads = fit_turn_heads(analyzer, [conversations[i] for i in rest], [xs[i] for i in rest],
                               [labels[i] for i in rest])
        fresh = with_turn_heads(analyzer, heads, [xs[i] for i in held], [labels[i] for i in held])
        for i, lab in zip(held, fresh, strict=True):
            out[i] = lab
    return out


def ack_targets(conv: Any, x: Interaction | None = None) -> dict[int, bool]:
    """Agent turn -> did it acknowledge the customer's feeling, as annotated.

    The blind second annotator judged ``ack`` for every reply to a customer; a third
    vote, where there was one, settles the turn, and a settled missed cue is never
    acknowledged.  Conversations without that annotation give no targets.  (``x``
    is not needed: the votes name their turns; it keeps one signature for all reply heads.)
    """
    ann = (getattr(conv, "extra", None) or {}).get("annotations") or {}
    cues = (ann.get("second") or {}).get("cues")
    if not cues:
        return {}
    out = {int(t): bool(ack) for t, _, ack in cues}
    for t, _, ack in (ann.get("third") or {}).get("cues", []):
        out[int(t)] = bool(ack)
    for t in conv.missed_emotion_turns:
        out[int(t)] = False
    return out


def _replies(x: Interaction) -> list[int]:
    return [i for i, t in enumerate(x.turns)
            if t.speaker == "agent" and i > 0 and x.turns[i - 1].speaker == "customer"]


def miss_targets(conv: Any, x: Interaction) -> dict[int, bool]:
    """Reply -> is it a settled missed cue: every reply to a customer has a target."""
    missed = {int(t) for t in conv.missed_emotion_turns}
    return {i: i in missed for i in _replies(x)}


ReplyHead = TypeVar("ReplyHead", AckHead, MissHead)


def fit_reply_head(kind: type[ReplyHead], detector: BehaviourDetector,
                   conversations: Sequence[Any], xs: Sequence[Interaction],
                   targets_of: Callable[[Any, Interaction], dict[int, bool]]
                   ) -> ReplyHead | None:
    """A ``kind`` head (``AckHead``, ``MissHead``) on the replies to customers that
    ``targets_of`` gives a target for in ``conversations``."""
    texts: list[str] = []
    contexts: list[str] = []
    ys: list[int] = []
    for conv, x in zip(conversations, xs, strict=True):
        targets = targets_of(conv, x)
        for i in _replies(x):
            if i in targets:
                texts.append(x.turns[i].text.strip())
                contexts.append(x.turns[i - 1].text.strip())
                ys.append(int(targets[i]))
    if len(set(ys)) < 2:
        return None
    detector.load()
    return kind.fit(behaviour_features(detector.encoder, texts, contexts), texts,
                    np.array(ys))  # type: ignore[return-value]  # fit returns cls


def with_reply_values(xs: Sequence[Interaction], labels: Sequence[Sequence[Any]],
                      compute: Callable[[list[str], list[str | None]], Mapping[str, np.ndarray]]
                      ) -> list[list[Any]]:
    """Copies of ``labels`` whose agent turns carry each field that
    ``compute(texts, contexts)`` gives values for."""
    utterances = [turn_utterances(x) for x in xs]
    spots = [(k, i) for k, x in enumerate(xs) for i, t in enumerate(x.turns)
             if t.speaker == "agent" and labels[k][i] is not None]
    values = compute([utterances[k][i].text.strip() for k, i in spots],
                     [(utterances[k][i].context or "").strip() or None for k, i in spots])
    out = [list(lab) for lab in labels]
    for field, column in values.items():
        for (k, i), v in zip(spots, column, strict=True):
            out[k][i] = {**out[k][i], field: round(float(v), 4)}
    return out


def label_conversations(conversations: Sequence[Any], analyzer: Analyzer
                        ) -> tuple[list[Interaction], list[list[Any]]]:
    """The conversations as interactions, and every turn's label from the trained heads."""
    xs = [conversation_interaction(c) for c in conversations]
    utterances = [u for x in xs for u in turn_utterances(x)]
    emo = analyzer.emotion.transform(utterances)
    beh = analyzer.behaviour.transform(utterances)
    labels: list[list[Any]] = []
    pos = 0
    for x in xs:
        labels.append([emo[i] or beh[i] for i in range(pos, pos + len(x.turns))])
        pos += len(x.turns)
    return xs, labels


def fit_interaction_params(conversations: Sequence[Any], xs: Sequence[Interaction],
                           labels: Sequence[Sequence[Any]],
                           words: Sequence[float] | None = None) -> dict[str, Any]:
    """Fit the interaction-level parameters to annotated conversations (pure, no model).

    ``words`` are the words head's values for the conversations (out-of-fold in
    training); without them the feature is 0 throughout.
    """
    params = dict(DEFAULT_PARAMS)
    words = list(words) if words is not None else [0.0] * len(xs)

    def run(p: dict[str, Any]) -> list[InteractionAnalysis]:
        return [read_interaction(x, lab, {}, {}, p, words=w)
                for x, lab, w in zip(xs, labels, words, strict=True)]

    def missed_f1(p: dict[str, Any]) -> float:
        tp = fp = fn = 0
        for conv, a in zip(conversations, run(p), strict=True):
            gold, pred = set(conv.missed_emotion_turns), set(a.missed_emotion_turns)
            tp += len(gold & pred)
            fp += len(pred - gold)
            fn += len(gold - pred)
        return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0

    def accuracy(p: dict[str, Any], field: str) -> float:
        res = run(p)
        return sum(getattr(a, field) == getattr(c, field)
                   for c, a in zip(conversations, res, strict=True)) / len(res)

    grid = [round(float(v), 2) for v in np.arange(0.2, 0.81, 0.05)]
    base = list(DEFAULT_PARAMS["cue_emotions"])
    options = [base, [*base, "confusion"]]
    # the rule-based fallbacks, used for glow moments and when no model is stored
    params["cue_emotions"], params["strong_intensity"] = max(
        ((o, v) for o in options for v in grid),
        key=lambda ov: (missed_f1({**params, "cue_emotions": ov[0], "strong_intensity": ov[1]}),
                        -len(ov[0]), -abs(ov[1] - 0.5)))
    params["deescalation_emotions"], params["deescalation_min_intensity"] = max(
        ((o, v) for o in options for v in grid),
        key=lambda ov: (accuracy({**params, "deescalation_emotions": ov[0],
                                  "deescalation_min_intensity": ov[1]}, "deescalated"),
                        -len(ov[0]), -abs(ov[1] - 0.4)))
    params["robotic_min_repeats"] = max(
        (2, 3), key=lambda v: (accuracy({**params, "robotic_min_repeats": v}, "robotic"), -v))

    # small logistic models over soft turn scores: missed cues and de-escalation
    cue_x, cue_y = [], []
    deesc_x, deesc_y = [], []
    for conv, x, lab, w in zip(conversations, xs, labels, words, strict=True):
        gold = set(conv.missed_emotion_turns)
        for c_idx, a_idx, feats in cue_contexts(x, lab):
            if (lab[c_idx] or {}).get("emotion") == "satisfaction":
                continue  # never a cue (see read_interaction)
            cue_x.append(feats)
            cue_y.append(int(a_idx in gold))
        customer = [TurnLabel(index=i, speaker=t.speaker, emotion=(lab[i] or {}).get("emotion"))
                    for i, t in enumerate(x.turns) if t.speaker == "customer"]
        agent = [TurnLabel(index=i, speaker=t.speaker) for i, t in enumerate(x.turns)
                 if t.speaker == "agent"]
        if customer:
            deesc_x.append(deescalation_features(customer, lab, [t.text for t in x.turns], w,
                                                 agent))
            deesc_y.append(int(conv.deescalated))
    # regularisation chosen by cross-validation inside the training conversations
    # (bench/cv_interaction.py)
    params["cue_model"] = _fit_logistic(cue_x, cue_y, c=1.0)
    params["cue_threshold"] = CUE_THRESHOLD
    params["deescalation_model"] = _fit_logistic(deesc_x, deesc_y, c=3.0)

    # difficulty: least squares on the customer-side features, then cut points between bands
    feats = np.array([
        difficulty_features([t for t in a.turns if t.speaker == "customer"], lab,
                            [t.text for t in x.turns])
        for a, x, lab in zip(run(params), xs, labels, strict=True)
    ])
    gold_difficulty = np.array([c.difficulty for c in conversations], dtype=float)
    params.update(_fit_difficulty(feats, gold_difficulty))
    # a forest fits its own training calls too closely for cut points to be set there, so
    # the cuts are placed on out-of-fold readings of the training conversations
    predicted = np.zeros(len(conversations))
    for fold in range(DIFFICULTY_CUT_FOLDS):
        held = np.arange(fold, len(conversations), DIFFICULTY_CUT_FOLDS)
        rest = np.setdiff1d(np.arange(len(conversations)), held)
        if not len(held) or len(rest) < 2 * DIFFICULTY_MIN_LEAF:
            predicted = np.array([difficulty_reading(f, params) for f in feats])
            break
        fold_params = {**params, **_fit_difficulty(feats[rest], gold_difficulty[rest])}
        predicted[held] = [difficulty_reading(f, fold_params) for f in feats[held]]
    params["difficulty_cuts"] = _tuned_cuts(
        predicted, [c.difficulty_band for c in conversations], _band_cuts(conversations)
    )
    return params


def _fit_difficulty(feats: np.ndarray, gold: np.ndarray) -> dict[str, Any]:
    coef = ridge_coef(feats, gold, DIFFICULTY_RIDGE)
    forest = (Forest.fit(feats, gold, DIFFICULTY_TREES, DIFFICULTY_MIN_LEAF)
              if len(gold) >= 2 * DIFFICULTY_MIN_LEAF else None)
    return {"difficulty_coef": [round(float(v), 4) for v in coef], "difficulty_forest": forest}


#: a reply is a missed cue at this probability (with ``ack_strength``, recall gains more than
#: precision loses below 0.5; bench/cv_interaction.py and the model card)
CUE_THRESHOLD = 0.4
#: penalty of the difficulty regression (best training-CV error; bench/cv_difficulty.py)
DIFFICULTY_RIDGE = 1.0
#: the forest averaged with it, as compared in bench/cv_difficulty.py
DIFFICULTY_TREES = 300
DIFFICULTY_MIN_LEAF = 3
#: folds for the out-of-fold readings that place the band cut points
DIFFICULTY_CUT_FOLDS = 5
#: file name of the stored forest, next to interaction.v1.json
DIFFICULTY_FOREST_FILE = "difficulty.forest.v1.npz"


def ridge_coef(x: np.ndarray, y: np.ndarray, penalty: float) -> np.ndarray:
    """Ridge least squares; the first column is the intercept and is not shrunk."""
    r = penalty * np.eye(x.shape[1])
    r[0, 0] = 0.0
    return np.linalg.solve(x.T @ x + r, x.T @ y)


def _tuned_cuts(predicted: np.ndarray, bands: Sequence[str], prior: list[float]) -> list[float]:
    """Band cut points on the *predicted* scale that best reproduce the annotated bands.

    A regression pulls extremes towards the mean, so cuts placed on the annotators'
    scale would call too few calls high or low.  Ties go to the cuts nearest ``prior``.
    """
    candidates = sorted({round(float(v), 1) for v in predicted})
    mids = sorted({round((a + b) / 2, 1) for a, b in pairwise(candidates)} | set(prior))

    def score(lo: float, hi: float) -> tuple[float, float]:
        pred = ["low" if v < lo else "high" if v >= hi else "medium" for v in predicted]
        hits = sum(p == b for p, b in zip(pred, bands, strict=True))
        return hits, -(abs(lo - prior[0]) + abs(hi - prior[1]))

    best = max(((lo, hi) for lo in mids for hi in mids if lo < hi), key=lambda c: score(*c),
               default=tuple(prior))
    return [float(best[0]), float(best[1])]


def _fit_logistic(x: list[list[float]], y: list[int], c: float = 1.0
                  ) -> dict[str, Any] | None:
    if len(set(y)) < 2:
        return None
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=2000, tol=1e-8)
    model.fit(np.array(x), np.array(y))
    return {"coef": [round(float(v), 5) for v in model.coef_[0]],
            "intercept": round(float(model.intercept_[0]), 5)}


def _band_cuts(conversations: Sequence[Any]) -> list[float]:
    by_band: dict[str, list[float]] = defaultdict(list)
    for c in conversations:
        by_band[c.difficulty_band].append(float(c.difficulty))
    cuts = list(DEFAULT_PARAMS["difficulty_cuts"])
    if by_band["low"] and by_band["medium"]:
        cuts[0] = round((max(by_band["low"]) + min(by_band["medium"])) / 2, 1)
    if by_band["medium"] and by_band["high"]:
        cuts[1] = round((max(by_band["medium"]) + min(by_band["high"])) / 2, 1)
    return cuts
