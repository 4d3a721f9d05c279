"""Figures for evidence appraisal: forest plot and funnel plot.

They draw numbers computed by :mod:`helpers.evidence` (per-study intervals, pooled result,
funnel limits); nothing is estimated here. Values are passed on the scale to display: for
ratios pass exp(log values) and ``log_x=True``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from helpers import plots


def forest_plot(
    labels: Sequence[str],
    effect: Sequence[float],
    ci_low: Sequence[float],
    ci_high: Sequence[float],
    weights_percent: Sequence[float],
    pooled: dict,
    xlabel: str,
    null_value: float = 0.0,
    log_x: bool = False,
    favours: tuple[str, str] | None = None,
    title: str = "",
):
    """Forest plot: one row per study (square sized by weight, line = CI), pooled diamond
    and prediction interval.

    ``pooled`` holds estimate, ci_low, ci_high, pi_low, pi_high and a ``label`` (all on the
    display scale). ``favours`` = (left text, right text) is written under the axis.
    """
    k = len(labels)
    fig, ax = plots.figure(figsize=(8.0, 0.42 * (k + 4) + 1.2))
    ys = np.arange(k, 0, -1) + 2.0
    w = np.asarray(weights_percent, dtype=float)
    sizes = 30 + 300 * w / max(w.max(), 1e-9)
    ax.hlines(ys, ci_low, ci_high, color=plots.PALETTE[0], lw=1.6)
    ax.scatter(
        effect,
        ys,
        s=sizes,
        marker="s",
        color=plots.PALETTE[0],
        zorder=3,
        label="study (larger square = more weight)",
    )
    est, lo, hi = pooled["estimate"], pooled["ci_low"], pooled["ci_high"]
    ax.fill(
        [lo, est, hi, est],
        [1.5, 1.8, 1.5, 1.2],
        color=plots.PALETTE[1],
        zorder=3,
        label=pooled.get("label", "pooled"),
    )
    ax.hlines(
        0.6,
        pooled["pi_low"],
        pooled["pi_high"],
        color=plots.PALETTE[1],
        lw=2.2,
        linestyles="--",
        label="prediction interval",
    )
    ax.axvline(null_value, color="0.3", lw=1, ls=":")
    ax.set_yticks([*ys, 1.5, 0.6])
    ax.set_yticklabels([*labels, "Pooled", "Prediction"])
    if log_x:
        from matplotlib.ticker import FixedLocator, NullFormatter, ScalarFormatter

        ax.set_xscale("log")
        lo_x = min(np.min(ci_low), pooled["pi_low"])
        hi_x = max(np.max(ci_high), pooled["pi_high"])
        ticks = [t for t in (0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20) if lo_x / 1.5 <= t <= hi_x * 1.5]
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.xaxis.set_major_formatter(ScalarFormatter())
        ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(xlabel)
    ax.set_ylim(0, k + 3)
    ax.grid(axis="y", visible=False)
    if favours:
        for x, ha, text in ((0.0, "left", f"← {favours[0]}"), (1.0, "right", f"{favours[1]} →")):
            ax.annotate(
                text,
                xy=(x, 0),
                xycoords="axes fraction",
                xytext=(0, -42),
                textcoords="offset points",
                ha=ha,
                va="top",
                fontsize=9,
            )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    if title:
        ax.set_title(title)
    return fig


def funnel_plot(
    effect: Sequence[float],
    se: Sequence[float],
    se_grid: Sequence[float],
    limit_low: Sequence[float],
    limit_high: Sequence[float],
    estimate: float,
    xlabel: str,
    title: str = "",
):
    """Funnel plot: effect against standard error (inverted axis) with the pseudo-95% region."""
    fig, ax = plots.figure(figsize=(6.5, 4.5))
    ax.fill_betweenx(se_grid, limit_low, limit_high, color="0.92", label="pseudo 95% region")
    ax.plot(limit_low, se_grid, color="0.5", lw=1, ls="--")
    ax.plot(limit_high, se_grid, color="0.5", lw=1, ls="--")
    ax.axvline(estimate, color=plots.PALETTE[1], lw=1.5, label="fixed-effect estimate")
    ax.scatter(effect, se, color=plots.PALETTE[0], marker="o", zorder=3, label="study")
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_ylabel("Standard error (same scale as the effect)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    if title:
        ax.set_title(title)
    return fig


def evidence_sizes(
    labels: Sequence[str],
    n: Sequence[float],
    kinds: Sequence[str],
    unit_labels: Sequence[str],
    xlabel: str,
):
    """Dot chart of study sizes on a log axis, one colour and marker per kind of evidence,
    with each size written next to its dot (a bar from an arbitrary log-axis origin would
    suggest a length that means nothing)."""
    kinds = list(kinds)
    sizes = np.asarray(n, dtype=float)
    order = list(dict.fromkeys(kinds))
    fig, ax = plots.figure(figsize=(8.0, 0.38 * len(labels) + 1.2))
    ys = np.arange(len(labels), 0, -1)
    ax.hlines(ys, 1, sizes, color="#CCCCCC", linewidth=1, linestyle=":", zorder=1)
    for j, kind in enumerate(order):
        idx = [i for i, kd in enumerate(kinds) if kd == kind]
        st = plots.style(j)
        ax.scatter(
            sizes[idx],
            ys[idx],
            s=60,
            color=st["color"],
            marker=st["marker"],
            edgecolor="black",
            linewidth=0.5,
            label=kind.replace("_", " "),
            zorder=3,
        )
    for x, y in zip(sizes, ys, strict=True):
        ax.annotate(
            f"{x:,.0f}",
            (x, y),
            xytext=(7, 0),
            textcoords="offset points",
            va="center",
            fontsize=7.5,
        )
    ax.set_yticks(ys)
    ax.set_yticklabels(
        [f"{lab} ({u})" for lab, u in zip(labels, unit_labels, strict=True)], fontsize=8
    )
    ax.set_xscale("log")
    ax.set_xlim(1, sizes.max() * 6)
    plots.plain_log_ticks(ax, x=True)
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, title="kind of evidence")
    return fig
