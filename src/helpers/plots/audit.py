"""Evidence map of a claim audit: claims × evidence type, with certainty and verdict.

Each claim is a row; its marker sits in the column of its best evidence (CEBM level 1 on
the left ... none found / not testable on the right). The verdict is shown three ways
(marker shape, colour from the Okabe & Ito palette, and the verdict written at the right),
and the GRADE certainty is written next to the marker (⊕⊕○○ ...), so colour is never the
only cue. The positions come from :func:`helpers.audit.evidence_map_frame`; this module
only draws.
"""

from __future__ import annotations

import pandas as pd

from helpers import audit as _audit
from helpers import plots

#: Verdict → (colour, marker): colour-blind-safe colours, distinct shapes.
VERDICT_STYLE: dict[str, tuple[str, str]] = {
    "supported": ("#009E73", "o"),
    "partly supported": ("#56B4E9", "D"),
    "not supported": ("#CC79A7", "^"),
    "no direct evidence": ("#E69F00", "s"),
    "contradicted": ("#D55E00", "X"),
    "not a testable claim": ("#777777", "v"),
}


def evidence_map(frame: pd.DataFrame, title: str = "Evidence map of the article's claims"):
    """Draw the evidence map from :func:`helpers.audit.evidence_map_frame` output."""
    columns = list(_audit.EVIDENCE_TYPES)
    n = len(frame)
    fig, ax = plots.figure(figsize=(10.5, max(3.0, 0.36 * n + 1.6)))
    for verdict, (colour, marker) in VERDICT_STYLE.items():
        sub = frame[frame["verdict"] == verdict]
        ax.scatter(
            sub["x"],
            sub["y"],
            s=90,
            color=colour,
            marker=marker,
            edgecolor="black",
            linewidth=0.6,
            label=f"{verdict} ({len(sub)})",
            zorder=3,
        )
    for r in frame.itertuples():
        ax.annotate(
            r.symbol,
            (r.x, r.y),
            xytext=(9, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            color="#222222",
            in_layout=False,  # beside its marker, inside the axes: not measured for the bbox
        )
        ax.annotate(
            r.verdict,
            (1.0, r.y),
            xycoords=("axes fraction", "data"),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            color="#222222",
        )
    ax.set_yticks(list(frame["y"]), list(frame["label"]), fontsize=8)
    ax.set_xticks(range(len(columns)), columns, fontsize=7.5)
    ax.set_xlim(-0.5, len(columns) - 0.2)
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xlabel("type of the best available evidence (Oxford CEBM 2011 level)")
    ax.set_ylabel("claim (id and topic)")
    ax.set_title(title, loc="left", pad=30)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(
        title=None,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncol=3,  # two rows of three verdicts, strongest support first
        fontsize=8,
        handletextpad=0.3,
        columnspacing=1.0,
        borderaxespad=0.2,
    )
    return fig
