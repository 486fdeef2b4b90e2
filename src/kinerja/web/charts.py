"""Server-rendered charts (matplotlib SVG), readable without colour: every series has its
own marker and line style, lines carry their name at their end (direct labels) or values on
the points, and the page repeats the numbers in a table.

Rendering costs far more than reading the data, so a chart is cached by its content (the
labels, values and texts): the same data gives the same file without drawing it again, and
new data never shows a stale picture.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence

import matplotlib
from django.core.cache import cache

from kinerja.core import formatting as fmt

matplotlib.use("Agg")
from matplotlib import pyplot as plt  # noqa: E402

COLOURS = ["#1b3a5c", "#8a5a00", "#2d7a4a", "#7a1620", "#4b2a7a", "#005f73", "#5c5c5c", "#9b2226"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
LINES = ["-", "--", ":", "-."]
STYLES = [
    {"color": COLOURS[i], "marker": MARKERS[i], "linestyle": LINES[i % len(LINES)]}
    for i in range(len(MARKERS))
]
CACHE_SECONDS = 600


def style_for(index: int) -> dict[str, str]:
    """The look of the ``index``-th series (8 distinct markers, then styles repeat)."""
    return STYLES[index % len(STYLES)]


def _spread(positions: list[float], gap: float, low: float, high: float) -> list[float]:
    """Move label positions apart (at least ``gap``), keeping their order and, where there
    is room, inside ``low``..``high``."""
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    placed = list(positions)
    for previous, current in zip(order, order[1:], strict=False):
        placed[current] = max(placed[current], placed[previous] + gap)
    if order:
        excess = placed[order[-1]] - (high - gap / 2)
        if excess > 0:
            room = placed[order[0]] - (low + gap / 2)
            shift = min(excess, max(room, 0))
            placed = [p - shift for p in placed]
    return placed


def line_chart_svg(
    *,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    title: str,
    ylabel: str,
    ymax: float | None = 100,
    direct_labels: bool = False,
    values: bool = True,
) -> bytes:
    """A line chart as SVG bytes. ``series`` are (name, values) with None for gaps.

    ``direct_labels`` writes each series' name at its last point instead of a legend;
    ``values`` writes the numbers on the points. Cached by content (see module doc).
    """
    key = (
        "kinerja-chart:"
        + hashlib.sha256(
            repr(
                (
                    list(labels),
                    [(n, list(v)) for n, v in series],
                    title,
                    ylabel,
                    ymax,
                    direct_labels,
                    values,
                    _lang(),  # the numbers are written in the page's language
                )
            ).encode()
        ).hexdigest()
    )
    svg = cache.get(key)
    if svg is None:
        svg = _draw(labels, series, title, ylabel, ymax, direct_labels, values)
        cache.set(key, svg, CACHE_SECONDS)
    return svg


def _lang() -> str:
    from django.utils import translation

    return translation.get_language() or "id"


def _number(value: float) -> str:
    """A point's label as the table under the chart prints it (two decimals)."""
    return fmt.number(value, 2, lang=_lang())


def _draw(labels, series, title, ylabel, ymax, direct_labels, values) -> bytes:
    plt.rcParams["svg.hashsalt"] = "kinerja"  # stable ids: the same data gives the same file
    size = (9, 4) if direct_labels else (7.5, 3.4)
    fig, ax = plt.subplots(figsize=size, dpi=100)
    x = list(range(len(labels)))
    known = [float(v) for _n, vs in series for v in vs if v is not None]
    top = max([float(ymax or 0), *known]) if known or ymax else 10
    ends: list[tuple[str, float, float, dict]] = []
    labelled: dict[int, list[float]] = {}  # x -> values already written there
    near = max(top, 10) * 0.07  # closer than this, a second label would overlap the first
    for index, (name, points_in) in enumerate(series):
        style = style_for(index)
        points = [(i, float(v)) for i, v in zip(x, points_in, strict=True) if v is not None]
        if not points:
            continue
        xs, ys = zip(*points, strict=True)
        ax.plot(xs, ys, label=name, linewidth=2, markersize=7, **style)
        ends.append((name, xs[-1], ys[-1], style))
        if values:
            for xi, yi in points:
                if any(abs(yi - other) < near for other in labelled.get(xi, [])):
                    continue  # the same figure (or one close to it) is written already
                labelled.setdefault(xi, []).append(yi)
                ax.annotate(
                    _number(yi),
                    (xi, yi),
                    textcoords="offset points",
                    xytext=(0, 7 if index % 2 == 0 else -14),
                    ha="center",
                    fontsize=8,
                    color="#111",
                )
    ax.set_xticks(x, labels, fontsize=8)
    ax.set_ylabel(ylabel, fontsize=9)
    ax.set_title(title, fontsize=10, loc="left")
    if direct_labels and known:
        # Achievements cluster around 100: start the axis near the data (it is labelled).
        span = max(max(known) - min(known), 10)
        bottom = max(0.0, (min(known) - span * 0.6) // 10 * 10)
        ax.set_ylim(bottom, max(known) + span * 0.25)
    elif ymax is not None or known:
        ax.set_ylim(0, max(top * 1.12, 10))
    ax.grid(axis="y", color="#ccc", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    if direct_labels and ends:
        low, high = ax.get_ylim()
        placed = _spread([y for _n, _x, y, _s in ends], (high - low) * 0.085, low, high)
        last_x = max(x) if x else 0
        for (name, xe, ye, style), yl in zip(ends, placed, strict=True):
            short = name if len(name) <= 34 else name[:33] + "…"
            ax.annotate(
                f"{short} ({_number(ye)})",
                xy=(xe, ye),
                xytext=(last_x + 0.35, yl),
                textcoords="data",
                va="center",
                fontsize=8,
                color=style["color"],
                annotation_clip=False,
                arrowprops={"arrowstyle": "-", "color": "#999", "linewidth": 0.6},
            )
        ax.set_xlim(-0.3, last_x + 0.3)
        fig.tight_layout()
        fig.subplots_adjust(right=0.64)
    else:
        if len(series) > 1:
            ax.legend(fontsize=8, frameon=False, loc="lower left", ncols=max(1, len(series)))
        fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    plt.close(fig)
    return out.getvalue()
