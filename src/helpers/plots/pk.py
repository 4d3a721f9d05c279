"""Figure builders for pharmacokinetic and receptor figures (lesson 01 and friends).

They draw what they are given (arrays computed by ``helpers.pk`` / ``helpers.receptors``)
and return a matplotlib figure; pass it to :func:`helpers.plots.show` with a caption and alt
text. Every series has its own colour, marker and line style (colour is never the only cue).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from helpers.plots import figure, plain_log_ticks, style  # noqa: F401 (re-exported)


def bars(labels: Sequence[str], values: Sequence[float], xlabel: str, title: str = ""):
    """Horizontal bar chart (e.g. alkaloid content in mg/g)."""
    fig, ax = figure(figsize=(7.0, 0.45 * len(labels) + 1.2))
    y = np.arange(len(labels))
    ax.barh(y, values, color=style(0)["color"], edgecolor="black", linewidth=0.6)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    for yi, v in zip(y, values, strict=True):
        ax.text(v, yi, f" {v:.3g}", va="center", fontsize=9)
    if title:
        ax.set_title(title)
    return fig


def curves(
    x: np.ndarray,
    ys: Mapping[str, np.ndarray],
    xlabel: str,
    ylabel: str,
    logx: bool = False,
    title: str = "",
    markevery: int | None = None,
):
    """Several labelled curves on one axis (concentration–response, profiles ...)."""
    fig, ax = figure()
    for i, (label, y) in enumerate(ys.items()):
        ax.plot(x, y, label=label, markevery=markevery or max(1, len(x) // 10), **style(i))
    if logx:
        ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend()
    if title:
        ax.set_title(title)
    plain_log_ticks(ax, x=logx)
    return fig


def population_band(
    t_h: np.ndarray,
    conc: np.ndarray,
    ylabel: str,
    label: str,
    percentiles: tuple[float, float] = (5.0, 95.0),
    title: str = "",
):
    """Median and a percentile band of a population simulation (subjects × times)."""
    lo, med, hi = np.percentile(conc, [percentiles[0], 50.0, percentiles[1]], axis=0)
    fig, ax = figure()
    st = style(0)
    ax.fill_between(
        t_h,
        lo,
        hi,
        color=st["color"],
        alpha=0.25,
        label=f"{percentiles[0]:g}th–{percentiles[1]:g}th percentile",
    )
    ax.plot(t_h, med, color=st["color"], linestyle="-", label=f"median: {label}")
    ax.set_xlabel("Time after first dose (h)")
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")
    if title:
        ax.set_title(title)
    return fig


def scatter_groups(
    groups: Mapping[str, tuple[np.ndarray, np.ndarray, Sequence[str]]],
    xlabel: str,
    ylabel: str,
    logx: bool = False,
    logy: bool = False,
):
    """Labelled points in groups: ``{group: (x, y, point_labels)}``."""
    fig, ax = figure()
    for i, (name, (x, y, labels)) in enumerate(groups.items()):
        st = style(i)
        ax.scatter(
            x, y, color=st["color"], marker=st["marker"], s=60, label=name, edgecolor="black"
        )
        for xi, yi, lab in zip(x, y, labels, strict=True):
            ax.annotate(lab, (xi, yi), textcoords="offset points", xytext=(5, 4), fontsize=8)
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend()
    plain_log_ticks(ax, x=logx, y=logy)
    return fig


def strips(
    samples: Mapping[str, np.ndarray],
    ylabel: str,
    reference: float | None = None,
    reference_label: str = "",
):
    """Box plots with jittered points for a few groups (e.g. estimates per sampling design)."""
    fig, ax = figure()
    names = list(samples)
    data = [np.asarray(samples[n], dtype=float) for n in names]
    ax.boxplot(data, showfliers=False, widths=0.5)
    rng = np.random.default_rng(0)  # jitter only; not a result
    for i, d in enumerate(data):
        st = style(i)
        ax.scatter(
            1 + i + rng.uniform(-0.15, 0.15, d.size),
            d,
            s=10,
            alpha=0.5,
            color=st["color"],
            marker=st["marker"],
        )
    ax.set_xticks(range(1, len(names) + 1), names)
    if reference is not None:
        ax.axhline(reference, color="black", linestyle="--", linewidth=1.2, label=reference_label)
        ax.legend()
    ax.set_ylabel(ylabel)
    return fig


def explorer_panels(
    t_arm_h: np.ndarray,
    conc_arm: np.ndarray,
    arm_label: str,
    arm_ylabel: str,
    t_dimless: np.ndarray,
    conc_dimless: np.ndarray,
    accumulation: float,
):
    """Two light panels for the interactive explorer: a published arm (typical subject) and
    the dimensionless repeated-dose profile. Kept simple so a redraw renders fast."""
    fig, (a1, a2) = figure(1, 2, figsize=(8.4, 3.2), dpi=72)
    a1.plot(t_arm_h, conc_arm, **{**style(0), "marker": None})
    a1.set_xlabel("Time after first dose (h)")
    a1.set_ylabel(arm_ylabel)
    a1.set_title(arm_label, fontsize=9)
    a1.set_ylim(bottom=0)
    a2.plot(t_dimless, conc_dimless, **{**style(1), "marker": None})
    a2.axhline(accumulation, color="black", linestyle=":", linewidth=1)
    a2.set_xlabel("Time (half-lives)")
    a2.set_ylabel("C·V/(F·D) (dimensionless)")
    a2.set_title(f"Accumulation ratio {accumulation:.2f} (dotted)", fontsize=9)
    a2.set_ylim(bottom=0)
    fig.tight_layout()
    return fig


def _png_rgb(rgb: np.ndarray) -> bytes:
    """Encode an (h, w, 3) uint8 array as PNG with zlib level 1 and no row filters.

    Much faster than Pillow's adaptive filtering for flat plot images (the explorer redraw
    budget is a few tens of ms on a slow machine)."""
    import struct
    import zlib

    h, w, _ = rgb.shape
    raw = np.empty((h, 1 + 3 * w), dtype=np.uint8)
    raw[:, 0] = 0  # filter type "None" for every row
    raw[:, 1:] = rgb.reshape(h, 3 * w)

    def chunk(tag: bytes, payload: bytes) -> bytes:
        return (
            struct.pack(">I", len(payload))
            + tag
            + payload
            + struct.pack(">I", zlib.crc32(tag + payload) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw.tobytes(), 1))
        + chunk(b"IEND", b"")
    )


def _make_blit_figure_class():
    """A Figure that re-renders only its changing ("animated") artists (blitting).

    The first ``savefig`` draws everything (axes, ticks, labels: the slow part) and keeps
    that background; later calls restore it, draw only the animated artists and encode the
    pixels. For interactive explorers whose axes never change.
    """
    from matplotlib.figure import Figure

    class BlitFigure(Figure):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._background = None
            self._animated: list = []

        def image_bytes(self) -> bytes:
            """The figure as PNG: blit the animated artists onto the kept background."""
            canvas = self.canvas
            if self._background is None:
                canvas.draw()  # animated artists are skipped by a full draw
                self._background = canvas.copy_from_bbox(self.bbox)
            else:
                canvas.restore_region(self._background)
            for artist in self._animated:
                self.draw_artist(artist)
            return _png_rgb(np.asarray(canvas.buffer_rgba())[..., :3])

        def savefig(self, fname, *args, **kwargs):  # noqa: D401 - matplotlib signature
            fname.write(self.image_bytes())

    return BlitFigure


class DimensionlessExplorerPanel:
    """One fixed axis for the accumulation explorer: dose-normalised concentration against
    time in half-lives for a published arm (its own interval/half-life ratio) and for the
    learner's chosen interval. Only the two lines and the title change between redraws,
    so a redraw costs a blit and a PNG encode, not a full matplotlib render."""

    def __init__(self, t_half_lives: np.ndarray, y_max: float, dpi: float = 110.0):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        from helpers.plots import apply_theme

        apply_theme()
        fig = _make_blit_figure_class()(figsize=(7.0, 3.2), dpi=dpi)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        s0, s1 = style(0), style(1)
        self.arm_line = ax.plot(
            t_half_lives,
            np.zeros_like(t_half_lives),
            color=s0["color"],
            linestyle="-",
            animated=True,
            label="published arm (typical subject)",
        )[0]
        self.user_line = ax.plot(
            t_half_lives,
            np.zeros_like(t_half_lives),
            color=s1["color"],
            linestyle="--",
            animated=True,
            label="your interval",
        )[0]
        ax.set_xlim(float(t_half_lives[0]), float(t_half_lives[-1]))
        ax.set_ylim(0.0, y_max)
        ax.set_xlabel("Time since first dose (half-lives of the alkaloid)")
        ax.set_ylabel("C·V/(F·D) (dimensionless)")
        ax.legend(loc="upper left", fontsize=8)
        fig.subplots_adjust(left=0.1, right=0.98, bottom=0.16, top=0.84)
        self.title = ax.set_title("", fontsize=8, animated=True)
        fig._animated = [self.arm_line, self.user_line, self.title]
        self.fig = fig

    def update(self, y_arm: np.ndarray, y_user: np.ndarray, title: str):
        """Set the two curves (same length as the time grid) and the title; return the figure."""
        self.arm_line.set_ydata(y_arm)
        self.user_line.set_ydata(y_user)
        self.title.set_text(title)
        return self.fig
