"""Heartline's analysis engine: detectors, interaction analysis, training and evaluation.

Public API (nothing is loaded at import time; the encoder and the trained
heads load on first use)::

    from heartline.analysis import Analyzer, canned_phrase_overuse

    analyzer = Analyzer()
    result = analyzer.analyze(interaction)          # InteractionAnalysis
    results = analyzer.analyze_many(interactions)   # same results, one pass
    result.model_dump(mode="json")
"""

from heartline.analysis.pipeline import (
    AnalysisError,
    Analyzer,
    InteractionAnalysis,
    Moment,
    TurnLabel,
    canned_phrase_overuse,
)
from heartline.analysis.registry import REGISTRY, Detector, Utterance, components, create, register

__all__ = [
    "REGISTRY",
    "AnalysisError",
    "Analyzer",
    "Detector",
    "InteractionAnalysis",
    "Moment",
    "TurnLabel",
    "Utterance",
    "canned_phrase_overuse",
    "components",
    "create",
    "register",
]
