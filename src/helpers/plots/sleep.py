"""Figure builders for lesson 04 (sleep physiology). They draw; they do not compute.

Each returns a matplotlib figure; end the notebook cell with ``plots.show(fig, caption, alt)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from helpers.plots import PALETTE, figure, style

#: Vertical order of stages in a hypnogram (W on top, N3 at the bottom, REM next to W).
HYPNOGRAM_ORDER = ("N3", "N2", "N1", "R", "W")


def hypnogram(stages: Sequence, epoch_s: float = 30, title: str = ""):
    """Step plot of a hypnogram: time since lights-off (h) against stage; REM drawn bold."""
    labels = np.asarray(stages, dtype=object)
    level = {s: i for i, s in enumerate(HYPNOGRAM_ORDER)}
    y = np.array([level[s] for s in labels], dtype=float)
    t = np.arange(labels.size + 1) * epoch_s / 3600.0
    fig, ax = figure(figsize=(8, 3.2))
    ax.step(t, np.append(y, y[-1]), where="post", color=PALETTE[0], linewidth=1.2)
    rem = np.where(labels == "R", y, np.nan)
    ax.step(t, np.append(rem, np.nan), where="post", color=PALETTE[1], linewidth=4, label="REM (R)")
    ax.set_yticks(range(len(HYPNOGRAM_ORDER)), HYPNOGRAM_ORDER)
    ax.set_xlabel("Time since lights-off (h)")
    ax.set_ylabel("Sleep stage")
    ax.set_xlim(0, t[-1])
    ax.legend(loc="upper right")
    if title:
        ax.set_title(title)
    return fig


def two_process(
    sim: pd.DataFrame,
    title: str = "",
    forced_wake: Sequence[tuple[float, float]] = (),
    clock_ticks: bool = True,
):
    """S with its upper and lower thresholds; sleep shaded grey, forced wake hatched."""
    fig, ax = figure(figsize=(8.5, 3.8))
    t = sim["t_h"].to_numpy()
    ax.fill_between(
        t, 0, 1, where=sim["asleep"].to_numpy(), step="post", color="0.85",
        transform=ax.get_xaxis_transform(), label="asleep",
    )  # fmt: skip
    for a, b in forced_wake:
        ax.axvspan(a, b, facecolor="none", edgecolor=PALETTE[4], hatch="//", label="kept awake")
    ax.plot(t, sim["S"], color=PALETTE[0], linestyle="-", label="sleep pressure S")
    ax.plot(t, sim["upper"], color=PALETTE[1], linestyle="--", label="upper threshold H+")
    ax.plot(t, sim["lower"], color=PALETTE[2], linestyle="-.", label="lower threshold H−")
    ax.set_ylabel("S and thresholds (dimensionless)")
    days = int(np.ceil(t[-1] / 24))
    if clock_ticks:
        ticks = np.arange(0, days * 24 + 1, 12)
        ax.set_xticks(ticks, [f"d{int(x // 24)} {int(x % 24):02d}:00" for x in ticks], rotation=45)
        ax.set_xlabel("Day and clock time")
    else:
        ax.set_xlabel("Time (h)")
    ax.set_xlim(t[0], t[-1])
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    if title:
        ax.set_title(title)
    return fig


def sleep_raster(episodes: Mapping[str, pd.DataFrame], days: int):
    """Raster of sleep episodes: one panel per scenario, day on y, clock time (0–48 h) on x."""
    from matplotlib.collections import PolyCollection

    n = len(episodes)
    fig, axes = figure(1, n, figsize=(3.2 * n, 3.6), sharey=True, squeeze=False)
    for j, (name, ep) in enumerate(episodes.items()):
        ax = axes[0, j]
        onset = ep["onset_h"].to_numpy(dtype=float)
        width = ep["duration_h"].to_numpy(dtype=float)
        day = np.floor(onset / 24.0)
        start = onset - 24.0 * day
        # double plot: each day's row shows that day and the next (0-48 h); an episode that
        # runs past midnight also shows at the start of the next day's row
        rows = np.concatenate([day, day - 1, day + 1])
        x0 = np.concatenate([start, start + 24.0, start - 24.0])
        w = np.tile(width, 3)
        keep = (rows >= 0) & (rows < days)
        rows, x0, w = rows[keep], x0[keep], w[keep]
        bars = np.stack(  # one rectangle per bar: (x, y) of its four corners
            [
                np.column_stack([x0, rows - 0.4]),
                np.column_stack([x0 + w, rows - 0.4]),
                np.column_stack([x0 + w, rows + 0.4]),
                np.column_stack([x0, rows + 0.4]),
            ],
            axis=1,
        )
        ax.add_collection(PolyCollection(bars, facecolors=PALETTE[j % len(PALETTE)]))
        ax.set_xlim(0, 48)
        ax.set_xticks([0, 12, 24, 36, 48])
        ax.set_xlabel("Clock time, double-plotted (h)")
        ax.set_title(name, fontsize=10)
    axes[0, 0].set_ylabel("Day of the simulation (days)")
    axes[0, 0].set_ylim(days - 0.5, -0.5)
    return fig


def prc_landmarks(prc: pd.DataFrame, time_rel_dlmo_h: float | None = None):
    """Timing of published PRC peaks (advance and delay) relative to DLMO, one row per dose."""
    fig, ax = figure(figsize=(8, 2.8))
    doses = sorted(prc["dose_mg"].unique())
    for i, dose in enumerate(doses):
        rows = prc[prc["dose_mg"] == dose]
        for _, r in rows.iterrows():
            lo, hi = r["time_rel_dlmo_from_h"], r["time_rel_dlmo_to_h"]
            if pd.isna(lo):
                continue
            st = style(0 if r["landmark"] == "max_advance" else 1)
            label = "peak advance" if r["landmark"] == "max_advance" else "peak delay"
            if hi > lo:
                ax.plot([lo, hi], [i, i], color=st["color"], linewidth=8, solid_capstyle="butt",
                        label=label)  # fmt: skip
            else:
                ax.plot([lo], [i], color=st["color"], marker=st["marker"], markersize=10,
                        linestyle="none", label=label)  # fmt: skip
    ax.axvline(0, color="0.3", linewidth=1)
    ax.text(0.1, len(doses) - 0.45, "DLMO", fontsize=9)
    if time_rel_dlmo_h is not None:
        ax.axvline(time_rel_dlmo_h, color=PALETTE[2], linestyle=":", linewidth=2,
                   label="time chosen in the parameters")  # fmt: skip
    ax.set_yticks(range(len(doses)), [f"{d:g} mg ({s})" for d, s in
                  zip(doses, [prc.loc[prc['dose_mg'] == d, 'study'].iloc[0] for d in doses], strict=True)])  # fmt: skip
    ax.set_ylim(-0.6, len(doses) - 0.3)
    ax.set_xlim(-12, 12)
    ax.set_xlabel("Time of the daily dose relative to DLMO (h; negative = before)")
    handles, labels = ax.get_legend_handles_labels()
    uniq = dict(zip(labels, handles, strict=True))
    ax.legend(uniq.values(), uniq.keys(), loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig


def mean_sd_bars(df: pd.DataFrame, label_col: str, mean_col: str, sd_col: str, ylabel: str):
    """Bar chart of means with ±SD error bars, one hatched style per bar."""
    fig, ax = figure(figsize=(6, 3.4))
    x = np.arange(len(df))
    hatches = ["", "//", "xx", "..", "\\\\"]
    for i, (_, r) in enumerate(df.iterrows()):
        ax.bar(x[i], r[mean_col], yerr=r[sd_col], color=PALETTE[i % len(PALETTE)],
               hatch=hatches[i % len(hatches)], capsize=6, edgecolor="black")  # fmt: skip
    ax.set_xticks(x, df[label_col])
    ax.set_ylabel(ylabel)
    ax.axhline(0, color="0.3", linewidth=1)
    return fig


def stage_percent_bars(table: pd.DataFrame, highlight: str | None = None):
    """Grouped bars of stage percentages (columns N1_pct … REM_pct) for each row of ``table``.

    ``table`` is indexed by a label (e.g. 'simulated night', 'age 70 y'); the highlighted row
    gets a thick black edge.
    """
    cols = [c for c in ("N1_pct", "N2_pct", "N3_pct", "REM_pct") if c in table.columns]
    fig, ax = figure(figsize=(7.5, 3.6))
    width = 0.8 / len(table)
    x = np.arange(len(cols))
    hatches = ["", "//", "xx", "..", "\\\\"]
    for i, (name, row) in enumerate(table.iterrows()):
        ax.bar(x + i * width, row[cols].to_numpy(dtype=float), width, label=str(name),
               color=PALETTE[i % len(PALETTE)], hatch=hatches[i % len(hatches)],
               edgecolor="black", linewidth=2.5 if name == highlight else 0.5)  # fmt: skip
    ax.set_xticks(x + width * (len(table) - 1) / 2, [c.replace("_pct", "") for c in cols])
    ax.set_ylabel("Share of total sleep time (%)")
    ax.set_xlabel("Sleep stage")
    ax.legend(loc="upper right")
    return fig
