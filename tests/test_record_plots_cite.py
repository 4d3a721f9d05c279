import json
import re

import numpy as np
import pytest

from helpers import cite, plots, record


def test_record_roundtrip_through_an_executed_notebook(tmp_path):
    payload = {"name": "tmax_h", "value": record._plain(np.float64(1.5))}
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "outputs": [{"output_type": "display_data", "data": {record.MIME: payload}}],
            },
            {"cell_type": "markdown", "source": "x"},
        ]
    }
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(nb))
    assert record.read(path) == {"tmax_h": 1.5}


def test_plain_converts_numpy_and_nan():
    assert record._plain({"a": np.array([1, 2]), "b": np.int64(3), "c": float("nan")}) == {
        "a": [1, 2],
        "b": 3,
        "c": None,
    }


def test_figures_require_caption_and_alt_text():
    fig, ax = plots.figure()
    ax.plot([0, 1], [0, 1])
    with pytest.raises(ValueError, match="alt text"):
        plots.show(fig, caption="A line.", alt=" ")
    fig, ax = plots.figure()
    with pytest.raises(ValueError, match="caption"):
        plots.show(fig, caption="", alt="x")


def test_figure_html_has_alt_and_caption():
    fig, ax = plots.figure()
    ax.plot([0, 1], [0, 1], **plots.style(0))
    html = plots.show(fig, caption="Rises <fast>", alt='Line "up"')._repr_html_()
    assert 'alt="Line &quot;up&quot;"' in html
    assert "<figcaption" in html and "Rises &lt;fast&gt;" in html
    assert html.count("data:image/svg+xml;base64,") == 1


def test_figures_are_svg_with_real_text_and_the_same_bytes_every_run():
    import base64
    import re

    def render():
        fig, ax = plots.figure()
        ax.plot([0, 1], [0, 1], **plots.style(0), label="arm A")
        ax.set_xlabel("Time after dose (h)")
        ax.legend()
        return plots.show(fig, caption="c", alt="a")

    first, second = render(), render()
    assert first.mime == "image/svg+xml" and first.image.startswith(b"<?xml")
    assert first.image == second.image  # no date, fixed element ids
    svg = first.image.decode()
    assert ">Time after dose (h)</text>" in svg and ">arm A</text>" in svg  # text, not paths
    # the tight bounding box: the x label lies inside the drawing's viewBox
    x0, y0, w, h = map(float, re.search(r'viewBox="([^"]+)"', svg).group(1).split())
    assert 0 < w < 7.5 * 72 and 0 < h < 4.2 * 72 + 20
    html = first._repr_html_()
    assert base64.b64decode(html.split("base64,")[1].split('"')[0]) == first.image


def test_svg_crop_matches_matplotlibs_tight_box_even_past_the_canvas():
    import io
    import re

    def size(svg: bytes) -> list[float]:
        root = re.search(rb'<svg [^>]*width="([0-9.]+)pt" height="([0-9.]+)pt"', svg)
        return [float(v) for v in root.groups()]

    for outside in (False, True):  # a legend inside the axes, then one right of the canvas
        fig, ax = plots.figure(figsize=(4, 3))
        ax.plot([0, 1], [0, 1], **plots.style(0), label="a long legend entry")
        ax.set_ylabel("Concentration (ng/mL)")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0) if outside else None)
        ours = plots.svg_bytes(fig)
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", bbox_inches="tight")
        plots.plt.close(fig)
        assert size(ours) == pytest.approx(size(buf.getvalue()), abs=0.01)
        width, height = size(ours)
        x, y, w, h = map(float, re.search(rb'viewBox="([^"]+)"', ours).group(1).split())
        assert (w, h) == pytest.approx((width, height), abs=0.01)
        assert (x + w > 4 * 72) == outside  # the box reaches past the canvas's right edge
        # the figure's white background covers the whole box, past the canvas too
        rect = re.search(
            rb'<rect x="([-0-9.]+)" y="([-0-9.]+)" width="([0-9.]+)" '
            rb'height="([0-9.]+)" fill="#ffffff"/>',
            ours,
        )
        assert [float(v) for v in rect.groups()] == pytest.approx([x, y, w, h], abs=0.01)


def test_a_figure_that_writes_its_own_png_is_shown_as_png():
    fig, ax = plots.figure()
    png = plots.png_bytes(fig)
    assert plots.mime_of(png) == "image/png"
    assert (
        plots.Figure(png, caption="c", alt="a")._repr_html_().count("data:image/png;base64,") == 1
    )


def test_series_styles_never_rely_on_colour_alone():
    styles = [plots.style(i) for i in range(len(plots.PALETTE))]
    assert len({s["marker"] for s in styles}) == len(styles)
    assert len({str(s["linestyle"]) for s in styles}) == len(styles)
    # Okabe-Ito colours only
    assert set(plots.PALETTE) <= {
        "#000000",
        "#E69F00",
        "#56B4E9",
        "#009E73",
        "#F0E442",
        "#0072B2",
        "#D55E00",
        "#CC79A7",
    }


def test_cite_short_forms_and_tracking():
    cite.reset()
    # two undated pages of one organisation are told apart by a letter (988 FAQ before
    # National Helpline, in title order)
    assert (
        cite.cite("samhsa2024helpline")
        == "Substance Abuse and Mental Health Services Administration n.d.b"
    )
    assert cite.cite("samhsa2024faq988").endswith("Administration n.d.a")
    assert cite.used() == ["samhsa2024helpline", "samhsa2024faq988"]
    with pytest.raises(cite.CitationError, match="unknown reference key 'nope'"):
        cite.cite("nope")
    assert "samhsa.gov" in cite.link("samhsa2024helpline")


@pytest.fixture
def use_bib(tmp_path, monkeypatch):
    """Make ``cite`` read a bibliography written by the test (compiled in tmp_path)."""

    def write(text: str) -> None:
        (tmp_path / "references.bib").write_text(text)
        monkeypatch.setattr(cite, "DATA_DIR", tmp_path)
        monkeypatch.setattr(cite, "INDEX_DIR", tmp_path / "cache")
        cite._index_cached.cache_clear()

    yield write
    cite._index_cached.cache_clear()


def test_cite_decodes_latex_and_truncated_author_lists(use_bib):
    use_bib(
        '@article{x2020, author = {L{\\"a}hteenm{\\"a}ki, Rami and Puustinen, Juha and others},'
        " title = {A {Title}}, journal = {J}, year = {2020}, doi = {10.1000/xyz}}\n"
    )
    assert cite.short("x2020") == "Lähteenmäki et al. 2020"
    assert cite.full("x2020").startswith("Lähteenmäki R, Puustinen J, et al. (2020). A Title. J.")


def test_cite_turns_tex_dashes_into_em_and_en_dashes(use_bib):
    use_bib(
        "@article{d2011, author = {Roe, Ann}, title = {Rating the evidence---imprecision},"
        " journal = {J}, year = {2011}, volume = {64}, pages = {1283--1293}}\n"
    )
    assert "Rating the evidence—imprecision. J 64:1283–1293." in cite.full("d2011")


def test_compiled_bibliography_is_cached_by_checksum_and_matches_a_fresh_compile(
    tmp_path, monkeypatch
):
    bib = tmp_path / "references.bib"
    bib.write_text(
        "@article{a2020, author = {Smith, Ann and Jones, Bo}, title = {T}, journal = {J},"
        " year = {2020}, doi = {10.1000/a}}\n"
    )
    monkeypatch.setattr(cite, "DATA_DIR", tmp_path)
    monkeypatch.setattr(cite, "INDEX_DIR", tmp_path / "cache")
    monkeypatch.delenv("COURSE_DATA_CACHE", raising=False)
    cite._index_cached.cache_clear()
    assert cite.short("a2020") == "Smith & Jones 2020"
    (cached,) = (tmp_path / "cache").glob("*.json")
    assert json.loads(cached.read_text())["a2020"]["link"] == "https://doi.org/10.1000/a"
    # a new process reads the file: make its content recognisable to prove it is used
    cached.write_text(json.dumps({"a2020": {"short": "FROM CACHE", "full": "", "link": ""}}))
    cite._index_cached.cache_clear()
    assert cite.short("a2020") == "FROM CACHE"
    # a damaged file is compiled again; an edited .bib gets a new checksum and a new file
    cached.write_text("{not json")
    cite._index_cached.cache_clear()
    assert cite.short("a2020") == "Smith & Jones 2020"
    bib.write_text(bib.read_text().replace("2020}, doi", "2021}, doi"))
    cite._index_cached.cache_clear()
    assert cite.short("a2020") == "Smith & Jones 2021"
    assert len(list((tmp_path / "cache").glob("*.json"))) == 2
    with pytest.raises(cite.CitationError, match="unknown reference key 'b'"):
        cite.full("b")
    cite._index_cached.cache_clear()


def test_tables_show_dates_without_a_time():
    import pandas as pd

    df = pd.DataFrame({"date": pd.to_datetime(["2016-08-31", None]), "x": [1.23456, None]})
    html = plots.table(df, "Events").to_html()
    assert "2016-08-31" in html and "00:00:00" not in html
    assert "1.235" in html and "—" in html and "Events" in html


def test_tables_have_numbered_ids_not_random_ones():
    import pandas as pd

    df = pd.DataFrame({"study": ["A", "B"], "n": [10, 20]})
    first, second = plots.table(df, "c").to_html(), plots.table(df, "c").to_html()
    ids = [re.search(r'<table id="T_(table\d+)"', h).group(1) for h in (first, second)]
    assert int(ids[1].removeprefix("table")) == int(ids[0].removeprefix("table")) + 1
    assert first.replace(ids[0], ids[1]) == second  # otherwise the same HTML
    assert "_row0_col0" not in first  # cells carry no ids


def test_sources_that_would_cite_alike_get_letters(use_bib):
    use_bib(
        "@misc{dea2016b, organization = {DEA}, author = {{DEA}}, title = {Withdrawal}, year = {2016}, url = {u}}\n"
        "@misc{dea2016a, organization = {DEA}, author = {{DEA}}, title = {Notice}, year = {2016}, url = {u}}\n"
        "@misc{fda2016, author = {{FDA}}, title = {Other}, year = {2016}, url = {u}}\n"
    )
    assert [cite.short(k) for k in ("dea2016a", "dea2016b", "fda2016")] == [
        "DEA 2016a",
        "DEA 2016b",
        "FDA 2016",
    ]
    # the reference list carries the same letters, so a reader can match "DEA 2016b" to it
    assert cite.full("dea2016a").startswith("DEA (2016a). Notice.")
    assert cite.full("dea2016b").startswith("DEA (2016b). Withdrawal.")
    assert cite.full("fda2016").startswith("FDA (2016). Other.")


def test_a_source_without_author_is_cited_by_its_title(use_bib):
    use_bib(
        "@article{x1988, title = {Alterations in nocturnal serum melatonin levels with age},"
        " journal = {J Clin Endocrinol Metab}, year = {1988}, volume = {66}, pages = {648--652},"
        " pmid = {3350912}}\n"
    )
    # APA: the title takes the author's place; no invented "Anon."
    assert cite.short("x1988") == "“Alterations in nocturnal serum…” 1988"
    assert cite.full("x1988") == (
        "Alterations in nocturnal serum melatonin levels with age (1988). "
        "J Clin Endocrinol Metab 66:648–652. PMID 3350912."
    )
    # an untitled work described in brackets keeps its brackets, not quotation marks
    use_bib(
        "@article{y2025, title = {[Bedtime kratom use and self-reported sleep]}, year = {2025}}\n"
    )
    assert cite.short("y2025") == "[Bedtime kratom use and…] 2025"


def test_tables_hide_a_plain_row_counter_but_keep_a_real_index():
    import pandas as pd

    df = pd.DataFrame({"study": ["A", "B"], "n": [10, 20]})
    plain = plots.table(df, "c").to_html()
    keyed = plots.table(df.set_index("study"), "c").to_html()
    assert 'class="row_heading' not in plain
    assert 'class="row_heading level0 row0" >A</th>' in keyed
    # what is left of a row counter after filtering (5, 19) is hidden too
    filtered = pd.DataFrame({"study": ["A", "B", "C"], "n": [1, 2, 3]}, index=[2, 5, 19])
    assert 'class="row_heading' not in plots.table(filtered[filtered["n"] > 1], "c").to_html()
    # a named integer index (a year, a lesson number) is kept
    years = pd.DataFrame({"n": [1, 2]}, index=pd.Index([2016, 2018], name="year"))
    assert ">2016</th>" in plots.table(years, "c").to_html()


def test_a_figure_that_renders_itself_is_shown_as_its_own_png_without_an_svg_pass(monkeypatch):
    import numpy as np

    from helpers.plots.pk import DimensionlessExplorerPanel

    t = np.linspace(0.0, 10.0, 50)
    panel = DimensionlessExplorerPanel(t, y_max=2.0)
    fig = panel.update(np.ones_like(t), np.zeros_like(t), "a")

    def no_svg(_fig):
        raise AssertionError("a blitting figure must not be measured or rendered as SVG")

    monkeypatch.setattr(plots, "svg_bytes", no_svg)
    shown = plots.show(fig, caption="c", alt="a")
    assert shown.mime == "image/png" and shown.image == fig.image_bytes()


def test_no_reference_of_the_course_is_cited_as_anonymous():
    cite._index_cached.cache_clear()
    anonymous = [k for k in cite.keys() if "Anon" in cite.short(k) or "Anon" in cite.full(k)]
    assert anonymous == []
