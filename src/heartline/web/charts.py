"""Charts as inline SVG, drawn on the server (no script, nothing loaded from the network).

Every chart has a ``<title>`` and ``aria-label`` so it reads without sight, and
missing values leave a gap instead of dropping to zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

#: Colour of each customer emotion (shared with the CSS classes ``emo-<name>``).
EMOTION_COLOURS: dict[str, str] = {
    "anger": "#b91c1c",
    "frustration": "#ea580c",
    "confusion": "#ca8a04",
    "worry": "#7c3aed",
    "sadness": "#2563eb",
    "satisfaction": "#15803d",
    "neutral": "#6b7280",
}
PALETTE = ("#be185d", "#0f766e", "#4338ca", "#b45309")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    colour: str = PALETTE[0]


def _fmt(v: float) -> str:
    if v == 0:
        return "0"
    return f"{v:,.0f}" if abs(v) >= 10 else f"{v:,.1f}"


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if v <= step:
            return float(step)
    return float(v)


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str = "",
    y_max: float | None = None,
    width: int = 460,
    height: int = 180,
) -> Markup:
    """A small multi-series line chart, titled, with its x labels thinned to fit."""
    left, right, top, bottom = 44, 10, 30, 26
    pw, ph = width - left - right, height - top - bottom
    values = [v for s in series for v in s.values if v is not None]
    top_value = y_max if y_max is not None else _nice_max(max(values) if values else 0.0)
    n = max(len(labels), 1)

    def x(i: int) -> float:
        return left + (pw * i / (n - 1) if n > 1 else pw / 2)

    def y(v: float) -> float:
        return top + ph - ph * min(v, top_value) / top_value

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}"'
        f' xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        f'<text x="2" y="12" class="ctitle">{escape(title)}</text>'
    ]
    for frac in (0.0, 0.5, 1.0):
        gy = top + ph - ph * frac
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{gy:.1f}" y2="{gy:.1f}" class="grid"/>')
        parts.append(
            f'<text x="{left - 6}" y="{gy + 4:.1f}" class="axis" text-anchor="end">'
            f"{escape(_fmt(top_value * frac))}{escape(unit)}</text>"
        )
    step = max(1, (n + 5) // 6)
    for i, label in enumerate(labels):
        if i % step == 0:
            anchor = "end" if x(i) > width - right - 20 else ("start" if i == 0 and n > 1 else "middle")
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - 8}" class="axis" text-anchor="{anchor}">{escape(label)}</text>'
            )
    if not values:
        parts.append(
            f'<text x="{left + pw / 2:.1f}" y="{top + ph / 2:.1f}" class="nodata" text-anchor="middle">no data</text>'
        )
    for s in series:
        run: list[str] = []
        segments: list[list[str]] = []
        for i, v in enumerate(s.values):
            if v is None:
                if run:
                    segments.append(run)
                run = []
                continue
            run.append(f"{x(i):.1f},{y(v):.1f}")
        if run:
            segments.append(run)
        for seg in segments:
            if len(seg) == 1:
                cx, cy = seg[0].split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{s.colour}"/>')
            else:
                parts.append(
                    f'<polyline points="{" ".join(seg)}" fill="none" stroke="{s.colour}" stroke-width="2"/>'
                )
    if len(series) > 1:
        widths = [14 + 6 * len(s.name) + 10 for s in series]
        lx = width - right - sum(widths)
        for s, w in zip(series, widths):
            parts.append(f'<rect x="{lx}" y="19" width="10" height="3" fill="{s.colour}"/>')
            parts.append(f'<text x="{lx + 14}" y="24" class="legend">{escape(s.name)}</text>')
            lx += w
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True)
class EmotionPoint:
    turn: int
    emotion: str
    intensity: float


def emotion_timeline(points: Sequence[EmotionPoint], *, turns: int, width: int = 640, height: int = 140) -> Markup:
    """The customer's emotion turn by turn: height is intensity, colour is the emotion."""
    left, right, top, bottom = 44, 10, 12, 24
    pw, ph = width - left - right, height - top - bottom
    n = max(turns, 1)

    def x(t: int) -> float:
        return left + (pw * t / (n - 1) if n > 1 else pw / 2)

    def y(v: float) -> float:
        return top + ph - ph * max(0.0, min(v, 1.0))

    title = "Customer emotion through the conversation"
    parts = [
        f'<svg class="chart timeline" viewBox="0 0 {width} {height}" role="img" aria-label="{title}"'
        f' xmlns="http://www.w3.org/2000/svg"><title>{title}</title>'
    ]
    for frac, label in ((0.0, "calm"), (1.0, "intense")):
        gy = top + ph - ph * frac
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{gy:.1f}" y2="{gy:.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{gy + 4:.1f}" class="axis" text-anchor="end">{label}</text>')
    if len(points) > 1:
        pts = " ".join(f"{x(p.turn):.1f},{y(p.intensity):.1f}" for p in points)
        parts.append(f'<polyline points="{pts}" fill="none" class="trail"/>')
    for p in points:
        colour = EMOTION_COLOURS.get(p.emotion, "#6b7280")
        parts.append(
            f'<a href="#turn-{p.turn}"><circle cx="{x(p.turn):.1f}" cy="{y(p.intensity):.1f}" r="6" fill="{colour}">'
            f"<title>turn {p.turn}: {escape(p.emotion)} ({p.intensity:.2f})</title></circle></a>"
        )
    for t in range(0, n, max(1, n // 12)):
        parts.append(f'<text x="{x(t):.1f}" y="{height - 6}" class="axis" text-anchor="middle">turn {t}</text>' if t == 0
                     else f'<text x="{x(t):.1f}" y="{height - 6}" class="axis" text-anchor="middle">{t}</text>')
    if not points:
        parts.append(
            f'<text x="{left + pw / 2:.1f}" y="{top + ph / 2:.1f}" class="nodata" text-anchor="middle">'
            "not analysed yet</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    note: str = ""


def bar_chart(
    title: str, bars: Sequence[Bar], *, unit: str = "", y_max: float | None = None,
    width: int = 360, height: int = 170, colour: str = PALETTE[0],
) -> Markup:  # fmt: skip
    """Vertical bars with their values written on top; a missing value is marked, not zero."""
    left, right, top, bottom = 10, 10, 18, 34
    pw, ph = width - left - right, height - top - bottom
    values = [b.value for b in bars if b.value is not None]
    top_value = y_max if y_max is not None else _nice_max(max(values) if values else 0.0)
    n = max(len(bars), 1)
    slot = pw / n
    bw = slot * 0.6
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}"'
        f' xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        f'<line x1="{left}" x2="{width - right}" y1="{top + ph}" y2="{top + ph}" class="grid"/>'
    ]
    for i, b in enumerate(bars):
        cx = left + slot * i + slot / 2
        if b.value is None:
            parts.append(f'<text x="{cx:.1f}" y="{top + ph - 4:.1f}" class="nodata" text-anchor="middle">–</text>')
        else:
            h = ph * min(b.value, top_value) / top_value
            parts.append(
                f'<rect x="{cx - bw / 2:.1f}" y="{top + ph - h:.1f}" width="{bw:.1f}" height="{h:.1f}" fill="{colour}" rx="2"/>'
            )
            parts.append(
                f'<text x="{cx:.1f}" y="{top + ph - h - 4:.1f}" class="value" text-anchor="middle">'
                f"{escape(_fmt(b.value))}{escape(unit)}</text>"
            )
        parts.append(f'<text x="{cx:.1f}" y="{height - 18}" class="axis" text-anchor="middle">{escape(b.label)}</text>')
        if b.note:
            parts.append(f'<text x="{cx:.1f}" y="{height - 5}" class="axis muted" text-anchor="middle">{escape(b.note)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
