"""Figure builders for lesson 03 (drug interactions). They draw; they do not compute.

Each builder takes values already computed by :mod:`helpers.interactions` (or read from
``data/``) and returns a matplotlib figure for :func:`helpers.plots.show`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from helpers import plots


def inhibition_potency(
    labels: Sequence[str],
    values_um: Sequence[float],
    lower_bound: Sequence[bool],
    groups: Sequence[str],
    reference_um: float | None = None,
    reference_label: str = "",
):
    """Horizontal dot plot of Ki/IC50 values (µM, log axis); '>' values drawn as open arrows.

    ``groups`` (e.g. the perpetrator) sets colour and marker, so colour is never the only cue.
    """
    fig, ax = plots.figure(figsize=(7.5, 0.42 * len(labels) + 1.6))
    order = {g: i for i, g in enumerate(dict.fromkeys(groups))}
    y = np.arange(len(labels))[::-1]
    for yi, v, lb, g in zip(y, values_um, lower_bound, groups, strict=True):
        st = plots.style(order[g])
        ax.plot(
            v,
            yi,
            marker=st["marker"],
            color=st["color"],
            linestyle="none",
            markersize=8,
            markerfacecolor="white" if lb else st["color"],
        )
        if lb:
            ax.annotate(
                "",
                xy=(v * 2.2, yi),
                xytext=(v, yi),
                arrowprops={"arrowstyle": "->", "color": st["color"]},
            )
    for g, i in order.items():
        st = plots.style(i)
        ax.plot([], [], marker=st["marker"], color=st["color"], linestyle="none", label=g)
    ax.plot(
        [],
        [],
        marker="o",
        color="grey",
        markerfacecolor="white",
        linestyle="none",
        label="lower bound (true value is higher)",
    )
    if reference_um is not None:
        ax.axvline(reference_um, color="black", linestyle=":", linewidth=1.2)
        ax.text(reference_um, len(labels) - 0.4, f" {reference_label}", fontsize=8, va="top")
    ax.set_xscale("log")
    ax.set_yticks(y, labels)
    ax.set_xlabel(
        "Ki (reversible) or KI (time-dependent); IC50 where neither (µM, log scale; lower = more potent)"
    )
    ax.legend(loc="lower right", fontsize=8)
    plots.plain_log_ticks(ax, x=True)
    return fig


def r_curve(
    conc_um: np.ndarray,
    r: np.ndarray,
    cutoff: float,
    points: Sequence[tuple[str, float, float]],
    *,
    xlabel: str,
    ylabel: str = "Predicted AUC ratio R1 (log scale, dimensionless)",
    cutoff_label: str = "cut-off",
):
    """R against inhibitor concentration (log x), a dashed cut-off line and labelled scenarios."""
    fig, ax = plots.figure()
    st = plots.style(0)
    ax.plot(conc_um, r, color=st["color"], linestyle="-", label="basic static model")
    ax.axhline(cutoff, color=plots.PALETTE[1], linestyle="--", label=f"{cutoff_label} ({cutoff:g})")
    for i, (lab, c, rv) in enumerate(points):
        s = plots.style(i + 2)
        ax.plot(
            c,
            rv,
            marker=s["marker"],
            color=s["color"],
            linestyle="none",
            markersize=9,
            label=f"{lab}: R = {rv:.3g}",
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8, loc="upper left")
    plots.plain_log_ticks(ax, x=True, y=True)
    return fig


def r1_r2_curves(
    conc_um: np.ndarray,
    r2: np.ndarray,
    r1: np.ndarray,
    cutoff: float,
    scenario_um: float,
    r2_label: str = "R2: time-dependent",
    r1_label: str = "R1: reversible",
):
    """R2 (time-dependent) and R1 (reversible) against inhibitor concentration, both log axes,
    with the R1 cut-off (dotted) and the scenario concentration (grey vertical line)."""
    fig, ax = plots.figure()
    ax.plot(conc_um, r2, **plots.style(0), markevery=30, label=r2_label)
    ax.plot(conc_um, r1, **plots.style(1), markevery=30, label=r1_label)
    ax.axhline(cutoff, color="black", linestyle=":", label=f"R1 cut-off ({cutoff:g})")
    ax.axvline(scenario_um, color="grey", linewidth=1, label="unbound hepatic inlet concentration")
    ax.set(
        xscale="log",
        yscale="log",
        xlabel="Unbound mitragynine concentration at the liver (µM, log scale)",
        ylabel="Predicted AUC ratio (log scale, dimensionless)",
    )
    ax.legend(fontsize=8)
    plots.plain_log_ticks(ax, x=True, y=True)
    return fig


def aucr_vs_fg(
    fg_grid: np.ndarray,
    curves: Mapping[str, np.ndarray],
    cutoff: float,
    current: tuple[float, float] | None = None,
):
    """Mechanistic static AUC ratio against Fg, one line per fm, with the cut-off."""
    fig, ax = plots.figure()
    for i, (lab, y) in enumerate(curves.items()):
        s = plots.style(i)
        ax.plot(
            fg_grid,
            y,
            color=s["color"],
            linestyle=s["linestyle"],
            marker=s["marker"],
            markevery=max(1, len(fg_grid) // 8),
            label=lab,
        )
    ax.axhline(cutoff, color="black", linestyle=":", label=f"cut-off ({cutoff:g})")
    if current is not None:
        ax.plot(
            *current,
            marker="*",
            color="black",
            markersize=14,
            linestyle="none",
            label=f"parameters: AUCR = {current[1]:.3g}",
        )
    ax.set_yscale("log")
    ax.set_xlabel("Fg: fraction of the victim escaping gut-wall metabolism (dimensionless)")
    ax.set_ylabel("Predicted AUC ratio (log scale, dimensionless)")
    ax.legend(fontsize=8)
    plots.plain_log_ticks(ax, y=True)
    return fig


def predicted_vs_observed(
    labels: Sequence[str],
    values: Sequence[float],
    lower: Sequence[float],
    upper: Sequence[float],
    kinds: Sequence[str],
    cutoffs: Sequence[float],
):
    """Ratios on a log axis: predictions as points, observations with their CIs as bars.

    ``cutoffs`` gives each row's own decision cut-off (NaN where none was read), drawn as a
    short black bar on that row: the basic, gut and mechanistic models have different ones.
    """
    if len(cutoffs) != len(labels):
        raise ValueError(
            f"cutoffs has {len(cutoffs)} values for {len(labels)} rows; give one per row"
        )
    fig, ax = plots.figure(figsize=(7.5, 0.5 * len(labels) + 1.6))
    order = {k: i for i, k in enumerate(dict.fromkeys(kinds))}
    y = np.arange(len(labels))[::-1]
    seen = set()
    for yi, v, lo, hi, k in zip(y, values, lower, upper, kinds, strict=True):
        s = plots.style(order[k])
        lab = k if k not in seen else None
        seen.add(k)
        if np.isfinite(lo) and np.isfinite(hi):
            ax.errorbar(
                v,
                yi,
                xerr=[[v - lo], [hi - v]],
                fmt=s["marker"],
                color=s["color"],
                capsize=4,
                markersize=8,
                label=lab,
            )
        else:
            ax.plot(
                v,
                yi,
                marker=s["marker"],
                color=s["color"],
                linestyle="none",
                markersize=8,
                label=lab,
            )
    cut = np.asarray(cutoffs, dtype=float)
    has = np.isfinite(cut)
    ax.plot(
        cut[has],
        y[has],
        marker="|",
        markersize=18,
        markeredgewidth=2.5,
        color="black",
        linestyle="none",
        label="that row's cut-off",
    )
    ax.axvline(1.0, color="grey", linewidth=1)
    ax.set_xscale("log")
    ax.set_yticks(y, labels)
    ax.set_xlabel("AUC ratio with / without kratom (log scale, dimensionless; bars: 90% CI)")
    ax.legend(fontsize=8, loc="lower right")
    plots.plain_log_ticks(ax, x=True)
    return fig
