"""Figures for the regulatory history: an event timeline and a US tile map.

The tile map draws one equal square per state at the grid position stored in ``us_states``
(no downloaded shapes, nothing from the network). Colour is never the only cue: each tile
also carries a short text code, "unknown" tiles are hatched, and a status whose start
date is uncertain at the view date is marked with "*" and a dashed edge.
These builders only reshape and draw; the statuses come from :mod:`helpers.regulation`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
from matplotlib.collections import PatchCollection
from matplotlib.markers import MarkerStyle
from matplotlib.patches import Patch, Rectangle

from helpers import plots
from helpers.regulation import STATUS_LABELS

#: Fill colour, hatch and tile code of each status (Okabe & Ito colours).
STATUS_STYLE = {
    "controlled": {"color": "#D55E00", "hatch": "", "code": "CTL", "text": "white"},
    "restricted": {"color": "#E69F00", "hatch": "", "code": "RST", "text": "black"},
    "regulated": {"color": "#56B4E9", "hatch": "", "code": "REG", "text": "black"},
    "no_law_found": {"color": "#EEEEEE", "hatch": "", "code": "NLF", "text": "#333333"},
    "unknown": {"color": "#FFFFFF", "hatch": "//", "code": "?", "text": "black"},
    "not_controlled": {"color": "#FFFFFF", "hatch": "", "code": "NC", "text": "black"},
    "scheduling_proposed": {"color": "#CC79A7", "hatch": "", "code": "NOI", "text": "black"},
}

#: Marker and colour of each action type on the timeline: no two actions share a marker
#: shape, so colour is never the only cue ((n, 1, 0) is an n-pointed star; "1" is an
#: unfilled three-armed marker, drawn with lines).
ACTION_MARKERS = {
    "import alert": ("s", "#0072B2"),
    "scheduling": ("D", "#D55E00"),
    "scheduling withdrawn": ("X", "#009E73"),
    "scheduling procedure": ((4, 1, 0), "#D55E00"),
    "recommendation": ("^", "#CC79A7"),
    "advisory": ("v", "#0072B2"),
    "enforcement": ("o", "#0072B2"),
    "consumer protection": ("P", "#009E73"),
    "local ordinance": ("p", "#E69F00"),
    "statute": ("*", "#000000"),
    "approval": ("h", "#009E73"),
    "supplement limit": (">", "#E69F00"),
    "report": ((6, 1, 0), "#56B4E9"),
    "research funding": ("<", "#56B4E9"),
    "bill": ("d", "#999999"),
    "opinion": ("1", "#555555"),
    "voluntary guideline": ("$\\equiv$", "#000000"),
}

LEVEL_ORDER = ["federal", "state", "local", "international", "non_governmental"]


def _status_handles(statuses):
    """Legend entries (colour, hatch and text code) for the given statuses, in style order."""
    return [
        Patch(
            facecolor=STATUS_STYLE[s]["color"],
            hatch=STATUS_STYLE[s]["hatch"],
            edgecolor="#333333",
            label=f"{STATUS_STYLE[s]['code']}: {STATUS_LABELS[s]}",
        )
        for s in statuses
    ]


def _date(d) -> pd.Timestamp:
    return pd.Timestamp(d)


def tile_map(
    status: pd.DataFrame,
    grid: pd.DataFrame,
    ax=None,
    title: str = "",
    legend: bool = True,
    fontsize: float = 7.5,
):
    """Draw a tile map of ``status`` (one row per state: state, status, uncertain) on the
    positions in ``grid`` (state, tile_row, tile_col). Returns the figure."""
    if ax is None:
        fig, ax = plots.figure(figsize=(8.6, 5.6))
    else:
        fig = ax.figure
    df = grid.merge(status[["state", "status", "uncertain"]], on="state", how="left")
    style = pd.DataFrame.from_dict(STATUS_STYLE, orient="index").loc[df["status"]]
    unc = df["uncertain"].fillna(False).astype(bool).to_numpy()
    # one collection for all squares and one text per tile: fast to render (small multiples)
    ax.add_collection(
        PatchCollection(
            [
                Rectangle((c, -r), 0.92, 0.92)
                for c, r in zip(df["tile_col"], df["tile_row"], strict=True)
            ],
            facecolors=list(style["color"]),
            edgecolors="#333333",
            linewidths=[1.4 if u else 0.6 for u in unc],
            linestyles=["--" if u else "-" for u in unc],
            match_original=False,
        )
    )
    hatched = df[style["hatch"].to_numpy() != ""]
    for r in hatched.itertuples(index=False):  # light hatch so the code stays readable
        ax.add_patch(
            Rectangle(
                (r.tile_col, -r.tile_row),
                0.92,
                0.92,
                fill=False,
                hatch=STATUS_STYLE[r.status]["hatch"],
                edgecolor="#BBBBBB",
                linewidth=0,
            )
        )
    codes = style["code"].to_numpy() + ["*" if u else "" for u in unc]
    for col, row, state, code, colour in zip(
        df["tile_col"], df["tile_row"], df["state"], codes, style["text"], strict=True
    ):
        ax.text(
            col + 0.46,
            -row + 0.46,
            f"{state}\n{code}",
            ha="center",
            va="center",
            fontsize=fontsize,
            fontweight="bold",
            linespacing=1.25,
            color=colour,
            in_layout=False,  # inside its tile by construction: not measured for the bbox
        )
    ax.set_xlim(-0.2, grid["tile_col"].max() + 1.1)
    ax.set_ylim(-grid["tile_row"].max() - 0.2, 1.1)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)
    if legend:
        shown = [s for s in STATUS_STYLE if s in set(df["status"])] or ["no_law_found"]
        handles = _status_handles(shown)
        handles.append(
            Patch(
                facecolor="white",
                edgecolor="#333333",
                linestyle="--",
                label="*: start date uncertain at this date",
            )
        )
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.02),
            ncol=2,
            fontsize=8,
            frameon=False,
        )
    return fig


def small_multiples(matrix: pd.DataFrame, grid: pd.DataFrame, ncols: int = 3, suptitle: str = ""):
    """One tile map per date of ``matrix`` (long format from ``regulation.status_matrix``)."""
    dates = sorted(matrix["date"].unique())
    nrows = -(-len(dates) // ncols)
    fig, axes = plots.figure(nrows, ncols, figsize=(4.4 * ncols, 3.2 * nrows + 0.9), squeeze=False)
    for ax, d in zip(axes.flat, dates, strict=False):
        tile_map(
            matrix[matrix["date"] == d],
            grid,
            ax=ax,
            legend=False,
            fontsize=6,
            title=pd.Timestamp(d).date().isoformat(),
        )
    for ax in list(axes.flat)[len(dates) :]:
        ax.axis("off")
    present = [s for s in STATUS_STYLE if s in set(matrix["status"])]
    handles = _status_handles(present) + [
        Patch(
            facecolor="white", edgecolor="#333333", linestyle="--", label="*: start date uncertain"
        )
    ]
    fig.legend(handles=handles, loc="lower center", ncol=2, fontsize=8, frameon=False)
    if suptitle:
        fig.suptitle(suptitle, fontsize=11, fontweight="bold")
    fig.subplots_adjust(bottom=0.14, hspace=0.25, wspace=0.05)
    return fig


def timeline(
    events: pd.DataFrame,
    view_date: dt.date | str | None = None,
    data_through: dt.date | str | None = None,
    labels: Mapping[str, str] | None = None,
    title: str = "",
):
    """Events on a time axis, one lane per level of government.

    ``events`` comes from ``regulation.events`` (needs date, date_end, uncertain_date, level,
    action, event_id). Imprecise dates are drawn as hollow markers with a bar across the
    window in which the event could lie. ``labels`` maps event ids to short annotations.
    A dotted line marks ``view_date``; the span after ``data_through`` is shaded.
    """
    levels = [lv for lv in LEVEL_ORDER if lv in set(events["level"])]
    lane = {lv: i for i, lv in enumerate(reversed(levels))}
    fig, ax = plots.figure(figsize=(9.5, 1.0 + 0.75 * max(len(levels), 1)))
    for action, grp in events.groupby("action", sort=True):
        y = grp["level"].map(lane).astype(float)
        if action not in ACTION_MARKERS:
            raise ValueError(
                f"events: action {action!r} has no timeline marker; "
                f"allowed: {', '.join(sorted(ACTION_MARKERS))}"
            )
        marker, colour = ACTION_MARKERS[action]
        # an unfilled (line) marker has no face to leave hollow: it keeps its lines either way
        if MarkerStyle(marker).is_filled():
            paint = {"color": colour, "edgecolor": colour}
            hollow = {"facecolor": "white", "edgecolor": colour}
        else:
            paint = hollow = {"color": colour, "linewidths": 1.8}
        exact = ~grp["uncertain_date"].astype(bool)
        if exact.any():
            ax.scatter(
                grp.loc[exact, "date"],
                y[exact],
                marker=marker,
                s=46,
                zorder=3,
                label=action,
                **paint,
            )
        unc = ~exact
        if unc.any():
            ax.hlines(
                y[unc],
                grp.loc[unc, "date"],
                grp.loc[unc, "date_end"],
                color="#999999",
                linewidth=3,
                zorder=2,
            )
            ax.scatter(
                grp.loc[unc, "date"],
                y[unc],
                marker=marker,
                s=46,
                zorder=3,
                label=None if exact.any() else action,
                **hollow,
            )
    for i, (eid, text) in enumerate((labels or {}).items()):
        hit = events[events["event_id"] == eid]
        if len(hit):
            row = hit.iloc[0]
            ax.annotate(
                text,
                (row["date"], lane[row["level"]]),
                xytext=(0, 9 + 11 * (i % 3)),
                textcoords="offset points",
                fontsize=7,
                ha="center",
                arrowprops={"arrowstyle": "-", "color": "#999999", "linewidth": 0.6},
            )
    if data_through is not None:
        last = _date(data_through)
        ax.axvspan(
            last,
            last + pd.Timedelta(days=365),
            color="#DDDDDD",
            alpha=0.6,
            zorder=0,
            label=f"after the newest date in the data ({last.date()})",
        )
    if view_date is not None:
        ax.axvline(
            _date(view_date),
            color="#D55E00",
            linestyle=":",
            linewidth=2,
            label=f"view date ({_date(view_date).date()})",
        )
    ax.set_yticks(range(len(levels)), [lv.replace("_", "-") for lv in reversed(levels)])
    ax.set_ylim(-0.6, len(levels) - 0.1)
    ax.set_xlabel("date (calendar year)")
    ax.set_ylabel("level of government")
    if title:
        ax.set_title(title, fontsize=10)
    ax.legend(
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=7,
        frameon=False,
        title="action (hollow = imprecise date)",
        title_fontsize=7,
    )
    return fig


#: Display headers of event and status columns (units and formats in the header).
DISPLAY_NAMES = {
    "date": "date (YYYY-MM-DD)",
    "date_precision": "date precision (day, month, year)",
    "date_latest": "latest possible date",
    "effective_date": "since (YYYY-MM-DD)",
    "jurisdiction": "jurisdiction",
    "level": "level",
    "substance": "substance",
    "action": "action",
    "status_after": "status after",
    "label": "status",
    "legal_basis": "legal basis",
    "summary": "summary (shortened)",
    "verified": "verified",
    "source": "source (key)",
    "as_of": "checked on (YYYY-MM-DD)",
}


def shorten(text: pd.Series, max_chars: int = 90) -> pd.Series:
    """Cut each text at a word boundary to at most ``max_chars`` characters, adding "…"."""
    text = pd.Series(text).astype("string").fillna("")
    cut = text.str.slice(0, max_chars - 1).str.replace(r"\s+\S*$", "", regex=True)
    return text.where(text.str.len() <= max_chars, cut.str.rstrip(" ,;:.(") + "…")


def compact(df: pd.DataFrame, columns: list[str], max_chars: int = 90, cite=None) -> pd.DataFrame:
    """A narrow copy of an event or status table for display: only ``columns``, long text
    columns shortened to ``max_chars`` and headers renamed with their format or unit
    (:data:`DISPLAY_NAMES`). Dates stay dates, so ``plots.table`` prints them as YYYY-MM-DD.
    ``cite`` (e.g. ``helpers.cite.cite``) turns the ``source`` keys into short citations."""
    out = df[columns].copy()
    for c in ("summary", "legal_basis", "notes"):
        if c in out:
            out[c] = shorten(out[c], max_chars)
    if "substance" in out:
        out["substance"] = out["substance"].str.replace(";", ", ", regex=False)
    names = dict(DISPLAY_NAMES)
    if cite is not None and "source" in out:
        out["source"] = out["source"].map(cite)
        names["source"] = "source"
    return out.rename(columns=names).reset_index(drop=True)
