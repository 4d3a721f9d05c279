"""Figure builders for lesson 05 (withdrawal, treatment and sleep in recovery).

Each function takes tables already computed by :mod:`helpers.withdrawal` (or loaded from
``data/``), draws, and returns a matplotlib figure; the lesson shows it with
:func:`helpers.plots.show` and a caption. Nothing here computes a result.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from helpers import plots


def time_course(df: pd.DataFrame):
    """Horizontal ranges (hours after the last dose) of withdrawal phases for each opioid class.

    Only rows counted from the last dose are drawn (a duration counted from the peak or from
    onset would be misplaced on this axis); the lesson shows those in its table.
    """
    rows = df[df["anchor"] == "after the last dose"].reset_index(drop=True)
    fig, ax = plots.figure(figsize=(7.5, 0.6 * len(rows) + 1.4))
    classes = list(dict.fromkeys(rows["opioid_class"]))
    labels = []
    for i, row in enumerate(rows.itertuples()):
        st = plots.style(classes.index(row.opioid_class))
        lo, hi = float(row.t_low_h), float(row.t_high_h)
        ax.plot(
            [lo, hi], [i, i], color=st["color"], linestyle="-", linewidth=8, solid_capstyle="butt"
        )
        ax.plot(
            [lo, hi], [i, i], linestyle="none", marker=st["marker"], markersize=8, color="#000000"
        )
        labels.append(f"{row.opioid_class.replace('_', '-')}: {row.phase}")
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlim(left=0)
    ax.set_xlabel("time after the last dose (h)")
    ax.set_title("Typical times of spontaneous opioid withdrawal")
    return fig


def cows_items(items: Mapping[str, int], allowed: Mapping[str, tuple[int, ...]], title: str):
    """Each item's score (points) against the item's largest allowed score."""
    fig, ax = plots.figure(figsize=(7.5, 4.6))
    names = list(allowed)
    y = np.arange(len(names))
    top = [max(allowed[n]) for n in names]
    got = [items[n] for n in names]
    ax.barh(y, top, color="#DDDDDD", edgecolor="#999999", label="largest allowed score")
    st = plots.style(0)
    ax.barh(y, got, height=0.5, color=st["color"], hatch="//", label="score given")
    ax.set_yticks(y, [n.replace("_", " ") for n in names])
    ax.invert_yaxis()
    ax.set_xlabel("item score (points)")
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2)
    return fig


def symptom_frequencies(table: pd.DataFrame):
    """Reported percentages with their (approximate) Wilson 95% intervals, one row each."""
    t = table.dropna(subset=["percent"]).reset_index(drop=True)
    fig, ax = plots.figure(figsize=(7.5, 0.45 * len(t) + 1.4))
    studies = list(dict.fromkeys(t["study_id"]))
    seen: set[str] = set()
    for i, row in t.iterrows():
        st = plots.style(studies.index(row["study_id"]))
        first = row["study_id"] not in seen
        seen.add(row["study_id"])
        ax.errorbar(
            row["percent"],
            i,
            xerr=[
                [row["percent"] - row["ci_low_percent"]],
                [row["ci_high_percent"] - row["percent"]],
            ],
            fmt=st["marker"],
            color=st["color"],
            capsize=3,
            label=row["study_id"] if first else None,
        )
    ax.set_yticks(
        range(len(t)),
        [f"{m} (n = {n})" for m, n in zip(t["measure"], t["n_participants"], strict=True)],
    )
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("participants reporting it (%)")
    ax.legend(title="survey", loc="lower left", fontsize="small")
    return fig


def forest(rr: pd.DataFrame, pooled=None, label_col: str = "trial_id"):
    """Forest plot of risk ratios (log axis) with an optional pooled diamond and interval.

    ``rr`` has rr, rr_ci_low, rr_ci_high per trial; ``pooled`` a
    :class:`helpers.withdrawal.PooledRatio` (or None).
    """
    n = len(rr)
    fig, ax = plots.figure(figsize=(7.5, 0.55 * (n + 2) + 1.2))
    for i, row in enumerate(rr.itertuples()):
        st = plots.style(i)
        ax.errorbar(
            row.rr,
            i,
            xerr=[[row.rr - row.rr_ci_low], [row.rr_ci_high - row.rr]],
            fmt="s",
            color=st["color"],
            capsize=3,
        )
    labels = [str(v) for v in rr[label_col]]
    if pooled is not None:
        yp = n + 0.5
        ax.fill(
            [pooled.ci_low, pooled.rr, pooled.ci_high, pooled.rr],
            [yp, yp - 0.3, yp, yp + 0.3],
            color="#000000",
        )
        labels.append(f"pooled ({pooled.method}{', HK' if pooled.hartung_knapp else ''})")
        ticks = list(range(n)) + [yp]
        if pooled.has_prediction_interval:  # a fixed-effect model has none to draw
            ax.plot(
                [pooled.pi_low, pooled.pi_high], [yp + 0.6] * 2, color="#555555", linestyle="--"
            )
            labels.append("prediction interval")
            ticks.append(yp + 0.6)
    else:
        ticks = list(range(n))
    ax.set_yticks(ticks, labels)
    ax.invert_yaxis()
    ax.axvline(1.0, color="#000000", linewidth=1)
    ax.set_xscale("log")
    from matplotlib.ticker import FixedLocator, NullFormatter, NullLocator

    ticks = [
        t for t in (0.125, 0.25, 0.5, 1, 2, 4, 8, 16) if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]
    ]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xticklabels([f"{t:g}" for t in ticks])
    ax.set_xlabel(
        "risk ratio of stopping benzodiazepines, melatonin vs placebo (log scale)\n"
        "← more stopped with placebo · more stopped with melatonin →"
    )
    return fig
