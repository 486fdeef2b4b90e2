"""Bar charts for the documents (matplotlib, one unit of measure per chart)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from kinerja.core import formatting as fmt

HATCHES = ["", "///", "...", "xxx", "\\\\\\", "ooo"]


@dataclass
class Series:
    label: str
    values: list[float | None]
    texts: list[str] | None = None  # the value labels as the table prints them


def bar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    ylabel: str,
    reference: float | None = None,
    percent: bool = False,
    width_in: float = 8.0,
) -> bytes:
    """Grouped bars readable in black and white: each series has its own grey and hatch,
    and every bar carries its value as the table prints it (``Series.texts``, else
    Indonesian format with two decimals). Series without any value are left out; the
    legend sits below the plot, outside the bars; value labels turn vertical when the bars
    are too narrow for them side by side, and the plot leaves room above the tallest."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series = [s for s in series if any(v is not None for v in s.values)]
    fig, ax = plt.subplots(figsize=(width_in, 3.8), dpi=150)
    n = max(len(series), 1)
    width = 0.8 / n
    greys = ["0.35", "0.75", "0.55", "0.9"]
    positions = list(range(len(categories)))

    def label(s: Series, i: int, v) -> str:
        if v is None:
            return "-"
        if s.texts is not None:
            return s.texts[i]
        return fmt.percent(v) if percent else fmt.smart_number(v)

    texts = [label(s, i, v) for s in series for i, v in enumerate(s.values)]
    longest = max((len(t) for t in texts), default=1)
    # a bar's width in points against its label's (6.5 pt DejaVu ~ 3.9 pt per character)
    bar_pt = width_in * 72 * 0.8 / max(len(categories), 1) / n
    vertical = longest * 3.9 > bar_pt * 0.95
    tallest = max((v for s in series for v in s.values if v is not None), default=0)
    if reference is not None:
        tallest = max(tallest, reference)
    for i, s in enumerate(series):
        xs = [p - 0.4 + width * (i + 0.5) for p in positions]
        ys = [v if v is not None else 0 for v in s.values]
        bars = ax.bar(
            xs,
            ys,
            width,
            label=s.label,
            color=greys[i % len(greys)],
            edgecolor="black",
            linewidth=0.6,
            hatch=HATCHES[i % len(HATCHES)],
        )
        for k, (bar, v) in enumerate(zip(bars, s.values, strict=True)):
            ax.annotate(
                label(s, k, v),
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                ha="center",
                va="bottom",
                fontsize=6.5,
                rotation=90 if vertical else 0,
                xytext=(0, 1.5),
                textcoords="offset points",
            )
    if tallest > 0:
        ax.set_ylim(0, tallest * (1.35 if vertical else 1.15))
    if reference is not None:
        ax.axhline(reference, color="black", linestyle="--", linewidth=0.8)
        ax.annotate(
            fmt.percent(reference) if percent else fmt.smart_number(reference),
            (1.0, reference),
            xycoords=("axes fraction", "data"),
            fontsize=6.5,
            va="center",
            ha="left",
            xytext=(2, 0),
            textcoords="offset points",
        )
    ax.set_xticks(positions)
    ax.set_xticklabels(categories, fontsize=7, rotation=0 if len(categories) < 9 else 45)
    ax.set_ylabel(ylabel, fontsize=8)
    ax.set_title(title, fontsize=9, fontweight="bold")
    ax.tick_params(axis="y", labelsize=7)
    ax.yaxis.set_major_formatter(
        matplotlib.ticker.FuncFormatter(lambda v, _: fmt.smart_number(round(v, 2)))
    )
    ax.spines[["top", "right"]].set_visible(False)
    if len(series) > 1:
        ax.legend(
            fontsize=7,
            frameon=False,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.14 if len(categories) < 9 else -0.22),
            ncol=len(series),
        )
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()
