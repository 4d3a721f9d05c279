"""Figure builders for lesson 02 (melatonin pharmacology). They draw; they do not compute.

Each returns a matplotlib figure; end the notebook cell with
``plots.show(fig, caption=..., alt=...)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.ticker import FuncFormatter, MultipleLocator

from helpers import plots


def _finish_concentration_axes(ax) -> None:
    """Log-scale plasma melatonin (pg/mL) against clock time, legend at the upper right."""
    ax.set_yscale("log")
    ax.set_ylim(1, None)
    ax.set_ylabel("plasma melatonin (pg/mL, log scale)")
    _clock_axis(ax)
    ax.legend(fontsize=7, loc="upper right")
    plots.plain_log_ticks(ax, y=True)


def _clock_axis(ax, step_h: float = 2.0) -> None:
    """Label an x axis in clock hours after midnight (values ≥ 24 are the next day)."""
    ax.xaxis.set_major_locator(MultipleLocator(step_h))
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda x, _pos: f"{int(x // 1) % 24:02d}:{int(round(x % 1 * 60)) % 60:02d}")
    )
    ax.set_xlabel("clock time (hh:mm; after 24:00 = next morning)")


def endogenous_levels(
    labels: Sequence[str],
    mean: Sequence[float],
    se: Sequence[float],
    sources: Sequence[str],
    highlight: str,
):
    """Night-time serum melatonin (mean ± SE) per age group, one marker per source."""
    fig, ax = plots.figure(figsize=(7.5, 4.0))
    y = np.arange(len(labels))
    kinds = list(dict.fromkeys(sources))
    for k, src in enumerate(kinds):
        idx = [i for i, s in enumerate(sources) if s == src]
        st = plots.style(k)
        ax.errorbar(
            np.asarray(mean)[idx],
            y[idx],
            xerr=np.asarray(se)[idx],
            fmt=st["marker"],
            color=st["color"],
            capsize=3,
            linestyle="none",
            label=src,
        )
    if highlight in labels:
        i = list(labels).index(highlight)
        ax.plot(
            mean[i],
            y[i],
            marker="o",
            markersize=14,
            markerfacecolor="none",
            markeredgecolor="black",
            linestyle="none",
            label=f"selected: {highlight}",
        )
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlabel("night-time serum melatonin, mean ± SE (pg/mL)")
    ax.legend(loc="lower right", fontsize=8)
    return fig


def bioavailability(
    labels: Sequence[str], value: Sequence[float], low: Sequence[float], high: Sequence[float]
):
    """Reported oral bioavailability (%) per study: point (if any) and spread bar."""
    fig, ax = plots.figure(figsize=(7.5, 3.2))
    y = np.arange(len(labels))
    st = plots.style(0)
    for i in range(len(labels)):
        if np.isfinite(low[i]) and np.isfinite(high[i]):
            ax.plot(
                [low[i], high[i]],
                [y[i], y[i]],
                linestyle="-",
                color=st["color"],
                linewidth=4,
                alpha=0.5,
                solid_capstyle="butt",
            )
        if np.isfinite(value[i]):
            ax.plot(value[i], y[i], marker="D", color=plots.style(1)["color"], linestyle="none")
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, None)
    ax.set_xlabel("oral bioavailability (%): diamond = reported value; bar = IQR or range")
    return fig


def profile_vs_endogenous(
    clock_h,
    conc_pg_per_ml,
    label: str,
    levels: Mapping[str, float],
    dose_clock_h: float,
    sampling_window: tuple[float, float] | None = None,
    extra: Mapping[str, np.ndarray] | None = None,
):
    """Simulated plasma concentration (log scale) against physiological night-time levels."""
    fig, ax = plots.figure()
    ax.plot(clock_h, conc_pg_per_ml, color=plots.style(0)["color"], linestyle="-", label=label)
    for k, (name, curve) in enumerate((extra or {}).items(), start=1):
        st = plots.style(k)
        ax.plot(clock_h, curve, color=st["color"], linestyle=st["linestyle"], label=name)
    for k, (name, lvl) in enumerate(levels.items()):
        st = plots.style(k + 3)
        ax.axhline(lvl, color=st["color"], linestyle=st["linestyle"], linewidth=1.5, label=name)
    if sampling_window:
        ax.axvspan(
            *sampling_window,
            color="0.85",
            zorder=0,
            label="sampling window of the night-time levels",
        )
    ax.axvline(dose_clock_h, color="black", linewidth=1, linestyle=":", label="dose")
    _finish_concentration_axes(ax)
    return fig


def arms_overlay(
    clock_h, curves: Mapping[str, np.ndarray], highlight: str, level: float, level_label: str
):
    """Several simulated arms (log scale), the selected one drawn thicker."""
    fig, ax = plots.figure()
    for k, (name, c) in enumerate(curves.items()):
        st = plots.style(k)
        ax.plot(
            clock_h,
            c,
            color=st["color"],
            linestyle=st["linestyle"],
            linewidth=3.5 if name == highlight else 1.5,
            label=name,
        )
    ax.axhline(level, color="black", linestyle=":", linewidth=1.2, label=level_label)
    _finish_concentration_axes(ax)
    return fig


def dlmo(clock_h, samples_pg_per_ml, thresholds: Mapping[str, float], onsets: Mapping[str, float]):
    """Evening samples with DLMO thresholds (horizontal) and the onsets they give (vertical)."""
    fig, ax = plots.figure()
    ax.plot(
        clock_h,
        samples_pg_per_ml,
        marker="o",
        color="black",
        linestyle="-",
        linewidth=1,
        label="samples (synthetic)",
    )
    for k, (name, thr) in enumerate(thresholds.items()):
        st = plots.style(k)
        ax.axhline(
            thr,
            color=st["color"],
            linestyle=st["linestyle"],
            linewidth=1.5,
            label=f"threshold: {name}",
        )
        t = onsets.get(name, np.nan)
        if np.isfinite(t):
            ax.axvline(t, color=st["color"], linestyle=st["linestyle"], linewidth=1)
            ax.plot(t, thr, marker=st["marker"], color=st["color"], markersize=9, linestyle="none")
    ax.set_ylabel("plasma melatonin (pg/mL)")
    _clock_axis(ax, 1.0)
    ax.legend(fontsize=8, loc="upper left")
    return fig


def cyp1a2(activity, auc_ratio, observed: Mapping[str, float], current: float):
    """Model AUC ratio against relative CYP1A2 activity (log–log), with observed ratios."""
    fig, ax = plots.figure()
    ax.plot(
        activity,
        auc_ratio,
        color=plots.style(0)["color"],
        label="well-stirred model: AUC ratio = 1 / activity",
    )
    for k, (name, ratio) in enumerate(observed.items(), start=1):
        st = plots.style(k)
        ax.axhline(ratio, color=st["color"], linestyle=st["linestyle"], linewidth=1.2, label=name)
        ax.plot(
            1 / ratio, ratio, marker=st["marker"], color=st["color"], markersize=8, linestyle="none"
        )
    ax.axvline(
        current, color="black", linestyle=":", linewidth=1, label="cyp1a2_activity parameter"
    )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("CYP1A2 activity relative to typical (dimensionless, log scale)")
    ax.set_ylabel("oral melatonin AUC ratio (dimensionless, log scale)")
    ax.legend(fontsize=7, loc="lower left")
    plots.plain_log_ticks(ax, x=True, y=True)
    return fig


def label_accuracy(ranges: Mapping[str, tuple[float, float]], band_pct: float):
    """Range of measured content as % of the label per study, with the label claim and the
    studies' accuracy band (±``band_pct`` % of the label, from the data)."""
    if not 0 < band_pct < 100:
        raise ValueError(f"band_pct={band_pct!r}: expected a half-width between 0 and 100 (%)")
    fig, ax = plots.figure(figsize=(7.5, 2.8))
    ax.axvspan(
        100 - band_pct,
        100 + band_pct,
        color="0.85",
        zorder=0,
        label=f"within ±{band_pct:g} % of label",
    )
    ax.axvline(100, color="black", linewidth=1, label="label claim (100 %)")
    for k, (_study, (lo, hi)) in enumerate(ranges.items()):
        st = plots.style(k)
        ax.plot(
            [lo, hi], [k, k], color=st["color"], linestyle="-", linewidth=6, solid_capstyle="butt"
        )
        ax.plot(
            [lo, hi], [k, k], marker=st["marker"], color=st["color"], linestyle="none", markersize=8
        )
    ax.set_yticks(range(len(ranges)), list(ranges))
    ax.set_ylim(len(ranges) - 0.4, -0.6)
    ax.set_xlim(0, None)
    ax.set_xlabel("measured melatonin, % of the labelled amount (lowest to highest product)")
    ax.legend(fontsize=8, loc="lower right")
    return fig
