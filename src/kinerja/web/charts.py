"""Server-rendered charts (matplotlib SVG), readable without colour: every series has its
own marker and line style, values are written on the points, and the page repeats the
numbers in a table."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
from matplotlib import pyplot as plt  # noqa: E402

STYLES = [
    {"color": "#1b3a5c", "marker": "o", "linestyle": "-"},
    {"color": "#8a5a00", "marker": "s", "linestyle": "--"},
    {"color": "#2d7a4a", "marker": "^", "linestyle": ":"},
    {"color": "#7a1620", "marker": "D", "linestyle": "-."},
]


def line_chart_svg(
    *,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    title: str,
    ylabel: str,
    ymax: float | None = 100,
) -> bytes:
    """A line chart as SVG bytes. ``series`` are (name, values) with None for gaps."""
    plt.rcParams["svg.hashsalt"] = "kinerja"  # stable ids: the same data gives the same file
    fig, ax = plt.subplots(figsize=(7.5, 3.4), dpi=100)
    x = list(range(len(labels)))
    for index, (name, values) in enumerate(series):
        style = STYLES[index % len(STYLES)]
        points = [(i, v) for i, v in zip(x, values, strict=True) if v is not None]
        if not points:
            continue
        xs, ys = zip(*points, strict=True)
        ax.plot(xs, ys, label=name, linewidth=2, markersize=7, **style)
        for xi, yi in points:
            ax.annotate(
                f"{yi:.0f}",
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
    if ymax is not None:
        ax.set_ylim(0, max(ymax * 1.12, 10))
    ax.grid(axis="y", color="#ccc", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=8, frameon=False, loc="lower left", ncols=max(1, len(series)))
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    plt.close(fig)
    return out.getvalue()
