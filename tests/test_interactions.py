"""Static interaction models: published values, limiting cases, properties and errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import data
from helpers import interactions as ix

# ----------------------------------------------------------------------- published values


@pytest.fixture(scope="module")
def review_rows():
    """Rows of Tanna et al. 2023 (Drug Metab Dispos), Table 5, with the review's R values."""
    t = data.load("cyp_inhibition_in_vitro")
    return t[(t["source"] == "tanna2023dmd") & t["published_r1_hep"].notna()]


@pytest.fixture(scope="module")
def scenarios():
    return data.load("inhibitor_scenarios").set_index("scenario_id")


def test_reproduces_published_hepatic_r1_for_every_enzyme(review_rows, scenarios):
    """Tanna 2023 Table 5: R1,hep = 1 + Ihep,u/Ki with Ihep,u ≈ 0.19 µM and Ki = IC50/2."""
    ihep = scenarios.loc["tanna_hepatic_inlet_unbound", "concentration_um"]
    assert len(review_rows) == 6
    for _, row in review_rows.iterrows():
        r = ix.basic_static_r(ihep, row["ic50_um"] / 2)
        # the review prints two decimals and an approximate Ihep,u
        assert r == pytest.approx(row["published_r1_hep"], abs=0.006), row["inhibition_id"]


def test_reproduces_published_gut_r1_for_cyp3a(review_rows, scenarios):
    """Tanna 2023 Table 5: R1,gut = 1 + Igut/Ki = 71 with Igut ≈ 400 µM and Ki 5.7 µM."""
    row = review_rows.set_index("inhibition_id").loc["mtg_cyp3a_review"]
    igut = scenarios.loc["tanna_gut_lumen", "concentration_um"]
    assert ix.basic_static_r(igut, row["ki_um"]) == pytest.approx(row["published_r1_gut"], rel=0.01)


def test_cyp2d6_is_the_largest_hepatic_signal(review_rows, scenarios):
    ihep = scenarios.loc["tanna_hepatic_inlet_unbound", "concentration_um"]
    r = ix.basic_static_r(ihep, review_rows["ki_um"].to_numpy())
    assert review_rows["enzyme"].to_numpy()[np.argmax(r)] == "CYP2D6"


def test_closed_forms_by_hand():
    assert ix.basic_static_r(1.0, 1.0) == 2.0
    assert ix.basic_static_r(2.0, 1.0, fu=0.1) == pytest.approx(1.2)
    # kobs = kinact/2 at I = KI; R2 = 1 + kobs/kdeg
    assert ix.kobs(4.0, 2.0, 4.0) == pytest.approx(1.0)
    assert ix.r2(4.0, 2.0, 4.0, 0.5) == pytest.approx(3.0)
    assert ix.kdeg_from_half_life(72.0) == pytest.approx(math.log(2) / 72)


def test_mechanistic_model_gut_only_inhibition():
    """Complete gut inhibition with Fg = 0.5 doubles exposure: 1 / (0·0.5 + 0.5) = 2."""
    r = ix.mechanistic_static_auc_ratio(0.0, 0.5, gut_activity=1e-12)
    assert r == pytest.approx(2.0, rel=1e-9)


def test_mechanistic_model_matches_textbook_limits():
    # fm = 0: the enzyme does not clear the victim, liver inhibition is irrelevant
    assert ix.mechanistic_static_auc_ratio(0.0, 1.0, i_liver_um=100, ki_liver_um=0.1) == 1.0
    # fm = 1, complete liver inhibition → unbounded ratio; fm = 0.9 caps it at 10
    capped = ix.mechanistic_static_auc_ratio(0.9, 1.0, i_liver_um=1e9, ki_liver_um=1e-3)
    assert capped == pytest.approx(10.0, rel=1e-6)


# ----------------------------------------------------------------------- reduction


@settings(max_examples=200, deadline=None)
@given(
    i=st.floats(0, 1e4, allow_nan=False),
    ki=st.floats(1e-3, 1e4, allow_nan=False),
)
def test_mechanistic_reduces_to_basic_when_fg_and_fm_are_one(i, ki):
    mech = ix.mechanistic_static_auc_ratio(1.0, 1.0, i_liver_um=i, ki_liver_um=ki)
    assert mech == pytest.approx(ix.basic_static_r(i, ki), rel=1e-12)


@settings(max_examples=100, deadline=None)
@given(
    i=st.floats(0, 1e3),
    ki=st.floats(1e-2, 1e3),
    kinact=st.floats(0, 10),
    kdeg=st.floats(1e-3, 1),
)
def test_tdi_term_reduces_to_r2_when_fm_is_one(i, ki, kinact, kdeg):
    act = ix.tdi_activity(i, kinact, ki, kdeg)
    mech = ix.mechanistic_static_auc_ratio(1.0, 1.0, liver_activity=act)
    assert mech == pytest.approx(ix.r2(i, kinact, ki, kdeg), rel=1e-9)


# ----------------------------------------------------------------------- monotonicity


@settings(max_examples=200, deadline=None)
@given(
    i1=st.floats(0, 1e3),
    di=st.floats(0, 1e3),
    ki=st.floats(1e-2, 1e3),
    fm=st.floats(0, 1),
    fg=st.floats(0, 1),
)
def test_ratios_never_fall_as_inhibitor_concentration_rises(i1, di, ki, fm, fg):
    i2 = i1 + di
    assert ix.basic_static_r(i2, ki) >= ix.basic_static_r(i1, ki)
    assert ix.r2(i2, 3.0, ki, 0.01) >= ix.r2(i1, 3.0, ki, 0.01) - 1e-12
    kw = dict(ki_liver_um=ki, ki_gut_um=ki)
    lo = ix.mechanistic_static_auc_ratio(fm, fg, i_liver_um=i1, i_gut_um=i1, **kw)
    hi = ix.mechanistic_static_auc_ratio(fm, fg, i_liver_um=i2, i_gut_um=i2, **kw)
    assert hi >= lo * (1 - 1e-12)
    assert lo >= 1.0 - 1e-12


def test_vectorised_over_concentration_and_ki():
    i = np.linspace(0, 10, 5)
    r = ix.basic_static_r(i[:, None], np.array([1.0, 2.0])[None, :])
    assert r.shape == (5, 2)
    assert np.allclose(r[:, 0], 1 + i)
    m = ix.mechanistic_static_auc_ratio(np.array([0.5, 1.0]), 1.0, i_liver_um=1.0, ki_liver_um=1.0)
    assert np.allclose(m, [1 / (0.5 * 0.5 + 0.5), 2.0])


# ----------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: ix.basic_static_r(-1.0, 1.0), "i_um"),
        (lambda: ix.basic_static_r(1.0, 0.0), "ki_um"),
        (lambda: ix.basic_static_r(1.0, 1.0, fu=0.0), "fu"),
        (lambda: ix.basic_static_r(1.0, 1.0, fu=1.5), "fu"),
        (lambda: ix.basic_static_r(np.inf, 1.0), "i_um"),
        (lambda: ix.basic_static_r(np.array([1.0, np.nan]), 1.0), "i_um"),
        (lambda: ix.r2(1.0, -1.0, 1.0, 0.1), "kinact_per_h"),
        (lambda: ix.r2(1.0, 1.0, 1.0, 0.0), "kdeg_per_h"),
        (lambda: ix.mechanistic_static_auc_ratio(1.2), "fm"),
        (lambda: ix.mechanistic_static_auc_ratio(0.5, -0.1), "fg"),
        (lambda: ix.mechanistic_static_auc_ratio(0.5, 0.5, i_gut_um=-3), "i_gut_um"),
        (lambda: ix.mechanistic_static_auc_ratio(0.5, 0.5, liver_activity=0), "liver_activity"),
        (lambda: ix.kdeg_from_half_life(0), "t_half_h"),
        (lambda: ix.basic_static_r("a lot", 1.0), "i_um"),
    ],
)
def test_impossible_inputs_name_the_argument_and_range(call, name):
    with pytest.raises(ValueError) as err:
        call()
    msg = str(err.value)
    assert msg.startswith(name) and "allowed" in msg


def test_pick_inhibition_prefers_the_measured_cyp2d6_ki_and_explains_gaps():
    t = data.load("cyp_inhibition_in_vitro")
    row = ix.pick_inhibition(t, "mitragynine", "CYP2D6")
    assert row["inhibition_id"] == "mtg_cyp2d6_ki_hlm" and row["ki_um"] == 1.17
    assert ix.pick_inhibition(t, "mitragynine", "CYP3A", "time_dependent")["tdi_ki_um"] == 4.1
    with pytest.raises(ValueError, match="available for this perpetrator"):
        ix.pick_inhibition(t, "fluvoxamine", "CYP2D6")


def test_exceeds_is_at_or_above():
    assert ix.exceeds(1.02, 1.02) and not ix.exceeds(1.019, 1.02)
    assert ix.exceeds(np.array([1.0, 2.0]), 1.25).tolist() == [False, True]


def test_predicted_vs_observed_marks_each_rows_own_cut_off():
    import matplotlib.pyplot as plt

    from helpers.plots import interactions as ixplots

    nan = float("nan")
    fig = ixplots.predicted_vs_observed(
        ["gut", "R2", "observed"],
        [71.0, 19.0, 1.39],
        [nan, nan, 1.23],
        [nan, nan, 1.57],
        ["model", "model", "observed"],
        [11.0, nan, 1.25],
    )
    (bars,) = [ln for ln in fig.axes[0].get_lines() if ln.get_label() == "that row's cut-off"]
    # rows are drawn top to bottom (y = 2, 1, 0); the R2 row has no cut-off
    assert list(bars.get_xdata()) == [11.0, 1.25] and list(bars.get_ydata()) == [2, 0]
    plt.close(fig)
    with pytest.raises(ValueError, match="cutoffs has 2 values for 3 rows"):
        ixplots.predicted_vs_observed(
            ["a", "b", "c"], [1, 1, 1], [nan] * 3, [nan] * 3, ["k"] * 3, [1, 2]
        )
