"""One colour-blind-safe theme, and figures that always carry a caption and alt text.

Use :func:`show` instead of ``plt.show()``::

    fig, ax = plots.figure()
    ax.plot(t_h, conc, **plots.style(0), label="arm A")
    plots.show(fig, caption="What to see ...", alt="Line chart of ...")

The palette is Okabe & Ito's (distinguishable with the common colour-vision deficiencies);
each series also gets its own marker and line style, so colour is never the only cue.
Figures are rendered as SVG with real text: sharp at any zoom, text a reader can select
and search, smaller than a PNG, and about twice as fast to produce (no rasterising and no
PNG compression). A figure that renders itself (a blitting explorer figure with an
``image_bytes()`` method) is shown as the PNG it returns; see :func:`image_bytes`.
Topic-specific figure builders live in submodules (``helpers.plots.<topic>``); they reshape
and draw, they do not compute.
"""

from __future__ import annotations

import base64
import html
import io
import re
import time
from collections.abc import Callable, Mapping
from itertools import count, cycle

import matplotlib
import pandas as pd
from pandas.io.formats.style import Styler  # every lesson shows tables (see table())

matplotlib.use("Agg")  # figures are rendered by show(), never to a window
import matplotlib.pyplot as plt  # noqa: E402

#: Okabe & Ito (2008) palette, black omitted for series; vermillion and blue first.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 3)), (0, (8, 2))]
DPI = 110

_THEMED = False


def apply_theme() -> None:
    """Apply the course theme once: seaborn's 'whitegrid' look plus the palette and cycles.

    The look is matplotlib's bundled copy of seaborn's whitegrid style, so applying it costs
    no seaborn (and scipy.stats) import in lessons that do not otherwise need them.
    """
    global _THEMED
    if _THEMED:
        return
    from cycler import cycler

    plt.style.use("seaborn-v0_8-whitegrid")
    plt.rcParams.update(
        {
            "axes.prop_cycle": cycler(color=PALETTE) + cycler(linestyle=LINESTYLES),
            "figure.figsize": (7.5, 4.2),
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "savefig.bbox": "tight",
            # SVG text stays text (the browser draws it; anchors keep the alignment) and
            # element ids are salted with a fixed string, so two runs give the same bytes
            "svg.fonttype": "none",
            "svg.hashsalt": "course",
            "axes.titleweight": "bold",
            # titles sit a fixed pad above the axes; matplotlib would otherwise re-measure
            # the tick labels of every titled axes at each draw to lift the title clear of
            # top ticks or an offset text, which these figures never have (same output,
            # about a seventh less drawing time)
            "axes.titley": 1.0,
            "legend.frameon": False,
            "lines.linewidth": 2.0,
            "lines.markersize": 5,
            "font.size": 11,
        }
    )
    _THEMED = True


def style(i: int) -> dict:
    """Colour, marker and line style of series ``i`` (use for every series in a figure)."""
    return {
        "color": PALETTE[i % len(PALETTE)],
        "marker": MARKERS[i % len(MARKERS)],
        "linestyle": LINESTYLES[i % len(LINESTYLES)],
    }


def styles():
    """An endless iterator of :func:`style` dicts."""
    i = 0
    for _ in cycle([None]):
        yield style(i)
        i += 1


def figure(nrows: int = 1, ncols: int = 1, **kwargs):
    """``plt.subplots`` with the course theme applied."""
    apply_theme()
    return plt.subplots(nrows, ncols, **kwargs)


def png_bytes(fig) -> bytes:
    """``fig`` as PNG bytes through ``savefig`` (lessons show :func:`image_bytes` instead)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def svg_bytes(fig) -> bytes:
    """``fig`` as SVG bytes cropped to its tight bounding box, without a creation date (two
    runs give the same bytes).

    The figure is drawn once, at its full size, and measured with the same renderer right
    after the draw (the text is measured already, the ticks exist); the SVG's size and
    ``viewBox`` are then set to the padded bounding box, over a background of the figure's
    colour (the box may reach past the canvas: the padding, or a legend placed outside).
    ``bbox_inches="tight"`` gives the same box but measures everything first and then draws
    again, which costs about a third more.
    """
    measured = []
    draw = fig.draw

    def draw_and_measure(renderer):
        draw(renderer)
        measured.append(fig.get_tightbbox(renderer))

    buf = io.BytesIO()
    fig.draw = draw_and_measure  # for this one savefig (the class's draw is restored below)
    try:
        fig.savefig(buf, format="svg", bbox_inches=fig.bbox_inches, metadata={"Date": None})
    finally:
        del fig.draw
    svg = buf.getvalue()
    box = measured[-1].padded(matplotlib.rcParams["savefig.pad_inches"])  # inches, from the
    size = _SVG_SIZE.search(svg, 0, 1000)  # lower left corner; SVG counts y from the top
    x, y = 72 * box.x0, float(size["h"]) - 72 * box.y1
    w, h = f"{72 * box.width:.2f}", f"{72 * box.height:.2f}"
    root = f'width="{w}pt" height="{h}pt" viewBox="{x:.2f} {y:.2f} {w} {h}"'
    end = svg.index(b">", size.end()) + 1  # of the root element's start tag
    colour = matplotlib.colors.to_hex(fig.get_facecolor())
    background = f'\n <rect x="{x:.2f}" y="{y:.2f}" width="{w}" height="{h}" fill="{colour}"/>'
    return (
        svg[: size.start()]
        + root.encode()
        + svg[size.end() : end]
        + background.encode()
        + svg[end:]
    )


#: The size attributes of the root element of matplotlib's SVG (points; the viewBox starts
#: at the origin and matches the size).
_SVG_SIZE = re.compile(
    rb'width="(?P<w>[0-9.]+)pt" height="(?P<h>[0-9.]+)pt" viewBox="0 0 (?P=w) (?P=h)"'
)


def image_bytes(fig) -> bytes:
    """The bytes a lesson shows for ``fig``: its own ``image_bytes()`` when it renders itself
    (a blitting explorer figure, PNG), else :func:`svg_bytes`."""
    own = getattr(fig, "image_bytes", None)
    return own() if callable(own) else svg_bytes(fig)


_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def mime_of(image: bytes) -> str:
    """``image/png`` or ``image/svg+xml``, read from the bytes themselves."""
    return "image/png" if image.startswith(_PNG_MAGIC) else "image/svg+xml"


def _plain_number(value: float, _pos=None) -> str:
    """0.001, 0.5, 20, 1,000, 250,000: no exponents, thousands separated."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"


def plain_log_ticks(ax, x: bool = False, y: bool = False) -> None:
    """Label log axes with plain numbers (0.01, 1, 100) and drop minor ticks.

    Easier to read than ``10^n`` labels, and about half the rendering time: matplotlib's
    default log labels go through mathtext. Decades only over wide ranges; 1-2-5 steps
    when the axis spans less than about 2.5 decades. Call after the data are drawn.
    """
    from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

    for on, axis, limits in ((x, ax.xaxis, ax.get_xlim), (y, ax.yaxis, ax.get_ylim)):
        if not on:
            continue
        lo, hi = sorted(limits())
        subs = (1.0, 2.0, 5.0) if lo > 0 and hi / lo <= 300 else (1.0,)
        axis.set_major_locator(LogLocator(base=10, subs=subs))
        axis.set_major_formatter(FuncFormatter(_plain_number))
        axis.set_minor_locator(NullLocator())


class Figure:
    """A rendered figure with caption and alt text; displays as an accessible <figure>.

    ``image`` is SVG or PNG bytes (see :func:`mime_of`).
    """

    def __init__(self, image: bytes, caption: str, alt: str, label: str = ""):
        if not caption or not caption.strip():
            raise ValueError("every figure needs a caption (caption='What to see ...')")
        if not alt or not alt.strip():
            raise ValueError("every figure needs alt text (alt='Line chart of ...')")
        self.image, self.caption, self.alt, self.label = image, caption.strip(), alt.strip(), label
        self.mime = mime_of(image)

    def _repr_html_(self) -> str:
        b64 = base64.b64encode(self.image).decode()
        label = f"<strong>{html.escape(self.label)}</strong> " if self.label else ""
        return (
            '<figure class="course-figure" style="margin:0.5em 0">'
            f'<img src="data:{self.mime};base64,{b64}" alt="{html.escape(self.alt, quote=True)}" '
            'style="max-width:100%;height:auto"/>'
            f'<figcaption style="font-size:0.92em;color:#333">{label}{html.escape(self.caption)}</figcaption>'
            "</figure>"
        )

    def __repr__(self) -> str:
        label = f"{self.label} " if self.label else ""
        return f"[Figure] {label}{self.caption}\n[Alt text] {self.alt}"


def show(fig, caption: str, alt: str, label: str = "") -> Figure:
    """Render ``fig`` with its caption and alt text, close it, and return the displayable.

    In a notebook, end a cell with ``plots.show(...)`` (or call ``display`` on the result).
    """
    try:
        rendered = Figure(image_bytes(fig), caption, alt, label)
    finally:
        plt.close(fig)
    return rendered


_TABLE_NUMBERS = count(1)


def table(df: pd.DataFrame, caption: str) -> Styler:
    """A pandas Styler with a caption (use for tables shown to learners).

    Numbers show 3 decimals, missing values a dash, and dates as YYYY-MM-DD (no time). An
    unnamed integer index is a row counter (0, 1, 2 …, or what is left of one after
    filtering: 5, 6, 19) and is hidden; a meaningful index, e.g. after set_index, is kept.
    Tables are numbered in the order they are made (``T_table1``, ``T_table2`` …) instead of
    pandas' random ids, so that two runs of a lesson give the same HTML; cells carry no ids.
    """
    dates = {
        c: (lambda v: v.strftime("%Y-%m-%d") if pd.notna(v) else "—")
        for c in df.columns
        if pd.api.types.is_datetime64_any_dtype(df[c])
    }
    styler = Styler(df, uuid=f"table{next(_TABLE_NUMBERS)}", cell_ids=False)
    styler = styler.set_caption(caption).format(precision=3, na_rep="—")
    counter = df.index.nlevels == 1 and df.index.name is None
    if counter and pd.api.types.is_integer_dtype(df.index):  # row numbers say nothing: hide them
        styler = styler.hide(axis="index")
    return styler.format(dates, subset=list(dates), na_rep="—") if dates else styler


def explorer(
    draw: Callable[..., object],
    controls: Mapping[str, object],
    caption: str,
    alt: str,
    defaults: Mapping[str, object] | None = None,
):
    """An interactive figure: a static default render, plus widgets in a live kernel.

    ``draw(**values)`` returns a matplotlib figure for the control values; ``controls``
    maps each keyword to an ipywidgets control. The static render uses ``defaults`` (or
    the controls' initial values), so the site and CI show a figure even without widgets.
    Returns an ``ipywidgets.VBox`` when widgets are available, else the static figure.
    Each redraw's time is kept in ``box.last_redraw_s`` for benchmarks.
    """
    import ipywidgets as w
    from IPython.display import display

    values = {k: c.value for k, c in controls.items()}
    values.update(defaults or {})
    static = show(draw(**values), caption=caption, alt=alt)
    display(static)
    fmt = static.mime.removeprefix("image/")  # "png" or "svg+xml"
    image = w.Image(format=fmt, layout=w.Layout(max_width="100%"))
    image.description = alt
    box = w.VBox([*controls.values(), image])
    box.last_redraw_s = 0.0

    def redraw(_change=None):
        t0 = time.perf_counter()
        fig = draw(**{k: c.value for k, c in controls.items()})
        image.value = image_bytes(fig)
        plt.close(fig)
        box.last_redraw_s = time.perf_counter() - t0

    for c in controls.values():
        c.observe(redraw, names="value")
    if {k: c.value for k, c in controls.items()} == values:
        image.value = static.image  # same settings: no second render
    else:
        redraw()
    return box
