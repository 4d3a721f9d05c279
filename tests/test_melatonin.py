"""helpers.melatonin: closed forms, the well-stirred CYP1A2 model, DLMO and time-above rules."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import data, pk
from helpers import melatonin as mel

activities = st.floats(0.01, 100, allow_nan=False, allow_infinity=False)
fractions = st.floats(0.001, 0.95, allow_nan=False, allow_infinity=False)


# ------------------------------------------------------------------ CYP1A2 (well-stirred)
@settings(max_examples=200, deadline=None)
@given(f0=fractions, a=activities)
def test_oral_auc_ratio_is_one_over_activity_whatever_f0(f0, a):
    assert mel.oral_auc_ratio(f0, a) == pytest.approx(1 / a, rel=1e-9)


@settings(max_examples=100, deadline=None)
@given(f0=fractions, a=activities, b=activities)
def test_less_enzyme_means_more_bioavailability_and_slower_elimination(f0, a, b):
    lo, hi = sorted((a, b))
    f_lo, ke_lo = mel.cyp1a2_scaled(f0, 1.0, lo)
    f_hi, ke_hi = mel.cyp1a2_scaled(f0, 1.0, hi)
    assert 0 < f_hi <= f_lo < 1
    assert ke_lo <= ke_hi


def test_typical_activity_changes_nothing():
    assert mel.cyp1a2_scaled(0.025, 0.7745, 1.0) == pytest.approx((0.025, 0.7745))


def test_high_extraction_drug_gains_bioavailability_not_half_life():
    # F0 = 2.5 % (Andersen 2016), activity 1/17 (the fluvoxamine AUC ratio, Weigmann 2000):
    f, ke = mel.cyp1a2_scaled(0.025, 1.0, 1 / 17)
    assert f / 0.025 > 10  # bioavailability rises more than tenfold ...
    assert 1 / ke < 1.5  # ... while the half-life rises by less than half


def test_activity_for_auc_ratio_inverts_the_model_numerically():
    for f0, ratio in [(0.025, 17.0), (0.15, 2.2), (0.3, 0.5)]:
        assert mel.activity_for_auc_ratio(f0, ratio) == pytest.approx(1 / ratio, rel=1e-8)


@pytest.mark.parametrize("bad", [0, -2.0, float("nan"), 1e9])
def test_activity_for_auc_ratio_rejects_impossible_ratios(bad):
    with pytest.raises(ValueError, match="auc_ratio must"):
        mel.activity_for_auc_ratio(0.1, bad)


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf")])
def test_impossible_activity_is_rejected_with_a_clear_message(bad):
    with pytest.raises(ValueError, match="cyp1a2_activity must be"):
        mel.cyp1a2_scaled(0.1, 1.0, bad)


@pytest.mark.parametrize("bad", [0, 1, 1.5, -0.1])
def test_f0_must_leave_room_for_first_pass(bad):
    with pytest.raises(ValueError, match="f0 must be in \\(0, 1\\)"):
        mel.cyp1a2_scaled(bad, 1.0, 1.0)


# ------------------------------------------------------------------ arm simulation
@pytest.mark.parametrize(
    "arm_id", ["andersen2016_oral_10mg", "gooneratne2012_ss_0_4mg", "gooneratne2012_ss_4mg"]
)
def test_simulated_arm_reproduces_its_published_cmax_and_tmax(arm_id):
    res = data.load("pk_results_melatonin")
    rows = res[res["arm_id"] == arm_id].set_index("parameter")
    to_h = {"h": 1.0, "min": 1 / 60}
    model = mel.model_inputs(arm_id)
    t = np.linspace(21.0, 33.0, 24001)
    c = mel.simulate_arm(model, t, 21.0)
    assert c.max() == pytest.approx(rows.loc["cmax", "value"], rel=1e-3)
    tmax = rows.loc["tmax", "value"] * to_h[rows.loc["tmax", "unit"]]
    assert t[c.argmax()] - 21.0 == pytest.approx(tmax, abs=1e-3)


def test_simulation_matches_the_ode_reference_with_changed_enzyme_activity():
    model = mel.model_inputs("andersen2016_oral_10mg")
    t = np.linspace(0, 12, 97)
    closed = mel.simulate_arm(model, t, 0.0, cyp1a2_activity=0.3)
    f, ke = mel.cyp1a2_scaled(model.f, model.ke_per_h, 0.3)
    ode = pk.one_compartment_oral_ode(t, [0.0], model.dose_mg, model.ka_per_h, ke, model.v_l, f)
    np.testing.assert_allclose(closed, ode * 1e6, rtol=1e-6, atol=1e-9)


def test_simulated_auc_scales_as_one_over_activity():
    model = mel.model_inputs("gooneratne2012_ss_4mg")
    t = np.linspace(0, 200, 40001)
    auc = [np.trapezoid(mel.simulate_arm(model, t, 0.0, a), t) for a in (1.0, 0.25)]
    assert auc[1] / auc[0] == pytest.approx(4.0, rel=1e-3)


def test_unknown_arm_lists_the_simulatable_arms():
    with pytest.raises(ValueError, match="allowed: andersen2016_oral_10mg, gooneratne2012"):
        mel.model_inputs("demuro2000_oral_2mg")


def test_predicted_summary_agrees_with_nca_of_the_curve():
    model = mel.model_inputs("andersen2016_oral_10mg")
    t = np.linspace(0, 40, 8001)
    c = mel.simulate_arm(model, t, 0.0)
    r = pk.nca(t, c)
    pred = mel.predicted_summary(model)
    assert r.auc_inf == pytest.approx(pred["auc_pg_h_per_ml"], rel=1e-4)
    assert r.t_half_h == pytest.approx(pred["t_half_h"], rel=2e-3)  # λz fit on points


# ------------------------------------------------------------------ time above a level
def test_time_above_for_an_exponential_decay_is_its_closed_form():
    k, level = 0.7, 0.05
    t = np.linspace(0, 20, 20001)
    c = np.exp(-k * t)
    assert mel.time_above(t, c, level) == pytest.approx(math.log(1 / level) / k, abs=1e-3)
    assert mel.time_back_below(t, c, level) == pytest.approx(math.log(1 / level) / k, abs=1e-3)


def test_time_above_counts_separate_episodes():
    t = np.array([0.0, 1, 2, 3, 4, 5, 6])
    c = np.array([0.0, 2, 0, 0, 2, 2, 0])
    # above 1 from 0.5 to 1.5 and from 3.5 to 5.5
    assert mel.time_above(t, c, 1.0) == pytest.approx(3.0)
    assert mel.time_back_below(t, c, 1.0) == pytest.approx(5.5)
    assert math.isnan(mel.time_back_below(t, np.zeros(7), 1.0))


# ------------------------------------------------------------------ DLMO
def test_dlmo_reproduces_the_worked_example_of_the_plasma_definition():
    # Figure 1 legend of the Sleep Med Clin 2009 paper: 5 pg/mL at 20:00, 15 pg/mL at 20:30,
    # threshold 10 pg/mL -> onset 20:15.
    row = data.row("dlmo_definitions", definition_id="plasma_10")
    assert row["threshold_pg_per_ml"] == 10 and row["source"] == "lewy2009winter"
    assert mel.dlmo_crossing([19.5, 20.0, 20.5, 21.0], [2, 5, 15, 30], 10) == pytest.approx(20.25)


def test_dlmo_ignores_a_blip_and_needs_a_continuous_rise():
    t = np.arange(18.0, 23.0, 0.5)
    c = np.array([1, 12, 1, 1, 2, 6, 14, 20, 30, 40.0])
    assert mel.dlmo_crossing(t, c, 10) == pytest.approx(20.5 + 0.5 * (10 - 6) / (14 - 6))
    assert math.isnan(mel.dlmo_crossing(t, np.full(10, 3.0), 10))
    assert math.isnan(mel.dlmo_crossing(t, np.full(10, 30.0), 10))  # never below: no onset seen


def test_threshold_3k_is_mean_plus_two_sample_sd():
    x = [1.2, 0.8, 1.5, 9.0]
    expected = statistics.mean(x[:3]) + 2 * statistics.stdev(x[:3])
    assert mel.threshold_3k(x) == pytest.approx(expected)
    with pytest.raises(ValueError, match="need at least 3 samples"):
        mel.threshold_3k([1.0, 2.0])


def test_synthetic_profile_is_seeded_and_reaches_its_plateau():
    t = np.arange(18, 26, 0.5)
    a = mel.synthetic_evening_profile(t, 21.0, 60.0, seed=3)
    b = mel.synthetic_evening_profile(t, 21.0, 60.0, seed=3)
    np.testing.assert_array_equal(a, b)
    clean = mel.synthetic_evening_profile(t, 21.0, 60.0, noise_cv=0.0)
    assert clean[0] == pytest.approx(1.0, abs=1e-3) and clean[-1] == pytest.approx(60.0, rel=1e-3)
    with pytest.raises(ValueError, match="baseline_pg_per_ml must be"):
        mel.synthetic_evening_profile(t, 21.0, 5.0, baseline_pg_per_ml=8.0)


# ------------------------------------------------------------------ receptors, labels
def test_receptor_helpers():
    assert mel.kd_nm_from_pkd(9.0) == pytest.approx(1.0)
    assert mel.kd_nm_from_pkd(9.89) == pytest.approx(0.129, rel=1e-2)  # ≈ 0.13 nM (MT1)
    assert mel.fraction_bound(0.3, 0.3) == pytest.approx(0.5)
    occ = mel.fraction_bound(np.geomspace(1e-3, 1e3, 50), 0.2)
    assert np.all(np.diff(occ) > 0) and occ[-1] < 1
    with pytest.raises(ValueError, match="kd_nm > 0"):
        mel.fraction_bound(1.0, 0.0)


def test_label_ranges_convert_deviations_to_content():
    ranges = mel.label_ranges(data.load("supplement_label_accuracy"))
    assert ranges["Erland & Saxena 2017"] == pytest.approx((17.0, 578.0))  # −83 % .. +478 %
    assert ranges["Cohen 2023"] == pytest.approx((74.0, 347.0))
    with pytest.raises(ValueError, match="cannot be below"):
        mel.content_pct_of_label(-120)
    assert mel.ratio_from_pct_change(120) == pytest.approx(2.2)


def test_clock_label_wraps_to_the_next_morning():
    from helpers import sleep

    assert mel.clock_label is sleep.clock_label  # lesson 02 uses it from here
    assert mel.clock_label(20.25) == "20:15"
    assert mel.clock_label(28.376) == "04:23"
    assert mel.clock_label(23.9999) == "00:00"
    assert mel.clock_label(float("nan")) == "none"


def test_model_check_compares_the_reported_absorption_half_life_with_ln2_over_ka():
    res = data.load("pk_results_melatonin")
    model = mel.model_inputs("andersen2016_oral_10mg")
    rows = {r["quantity"]: r for r in mel.model_check(model, res)}
    absorption = rows["absorption t½"]
    reported_min = data.row("pk_results_melatonin", result_id="andersen2016_oral_t_half_abs")[
        "value"
    ]
    assert absorption["reported"] == pytest.approx(reported_min / 60)
    assert absorption["model"] == pytest.approx(math.log(2) / model.ka_per_h)
    assert not absorption["used_to_build_model"]  # like CL/F, a check the model was not fitted to
    assert (
        rows["Tmax"]["used_to_build_model"]
        and not rows["CL/F (dose / AUC0–∞)"]["used_to_build_model"]
    )


def test_model_check_sets_the_same_studys_intravenous_half_life_beside_the_oral_model():
    res = data.load("pk_results_melatonin")
    model = mel.model_inputs("andersen2016_oral_10mg")
    rows = {r["quantity"]: r for r in mel.model_check(model, res)}
    iv = rows["t½ after an intravenous dose"]
    reported_min = data.row("pk_results_melatonin", result_id="andersen2016_iv_t_half")["value"]
    assert iv["reported"] == pytest.approx(reported_min / 60)  # 39.4 min
    assert iv["model"] == pytest.approx(math.log(2) / model.ke_per_h)  # the oral decline's
    assert iv["model_over_reported"] > 1.3 and not iv["used_to_build_model"]
    # an arm whose study gave no intravenous dose gets no such row
    other = mel.model_check(mel.model_inputs("gooneratne2012_ss_4mg"), res)
    assert all(r["quantity"] != "t½ after an intravenous dose" for r in other)
