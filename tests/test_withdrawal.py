"""helpers.withdrawal: COWS scoring against the published scale, symptom tables, pooling."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import data, withdrawal

ALLOWED = withdrawal.allowed_scores()
ITEMS = list(ALLOWED)


def _zeros() -> dict[str, int]:
    return {k: 0 for k in ITEMS}


# ------------------------------------------------------------------ band boundaries


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "below the mild band"),
        (4, "below the mild band"),
        (5, "mild"),
        (12, "mild"),
        (13, "moderate"),
        (24, "moderate"),
        (25, "moderately severe"),
        (36, "moderately severe"),
        (37, "severe"),
        (48, "severe"),
    ],
)
def test_band_boundaries_follow_wesson_ling(total, band):
    # Wesson & Ling 2003 scoring key: 5-12 mild, 13-24 moderate, 25-36 moderately severe,
    # more than 36 severe (cows_bands)
    assert withdrawal.cows_band(total) == band


@pytest.mark.parametrize("bad", [-1, 49, 12.0, True, "12"])
def test_band_rejects_totals_outside_the_scale(bad):
    with pytest.raises(ValueError, match="total"):
        withdrawal.cows_band(bad)


def test_maximum_total_is_48_points():
    assert withdrawal.cows_max_total() == 48


# ------------------------------------------------------------------ each item's allowed scores


@pytest.mark.parametrize("item", ITEMS)
def test_each_allowed_score_counts_its_points(item):
    for s in ALLOWED[item]:
        items = _zeros() | {item: s}
        assert withdrawal.cows_score(items).total == s


@pytest.mark.parametrize("item", ITEMS)
def test_each_disallowed_score_is_rejected_naming_the_item(item):
    for s in range(-1, 7):
        if s in ALLOWED[item]:
            continue
        with pytest.raises(ValueError, match=rf"'{item}' got {s}; allowed scores are"):
            withdrawal.cows_score(_zeros() | {item: s})


def test_missing_item_is_named():
    items = _zeros()
    del items["yawning"]
    with pytest.raises(ValueError, match=r"missing COWS item\(s\) \['yawning'\]"):
        withdrawal.cows_score(items)


def test_extra_item_is_named():
    with pytest.raises(ValueError, match=r"unknown COWS item\(s\) \['heart_rate'\]"):
        withdrawal.cows_score(_zeros() | {"heart_rate": 1})


@pytest.mark.parametrize("bad", [2.0, True, "2", None])
def test_non_integer_scores_are_rejected(bad):
    with pytest.raises(ValueError, match="'tremor' got"):
        withdrawal.cows_score(_zeros() | {"tremor": bad})


@settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({k: st.sampled_from(v) for k, v in ALLOWED.items()}))
def test_total_is_the_sum_and_lies_in_its_band(items):
    r = withdrawal.cows_score(items)
    assert r.total == sum(items.values())
    band = data.load("cows_bands").set_index("band_label").loc[r.band]
    assert band["score_min"] <= r.total <= band["score_max"]


def test_fictional_cases_score_as_worked_by_hand():
    # hand sums of the rows of cows_cases
    expected = {"case_a": (8, "mild"), "case_b": (20, "moderate"), "case_d": (12, "mild")}
    expected["case_c"] = (30, "moderately severe")
    for case, (total, band) in expected.items():
        r = withdrawal.cows_score(withdrawal.case_items(case))
        assert (r.total, r.band) == (total, band)
    with pytest.raises(ValueError, match="case_id must be one of"):
        withdrawal.case_items("case_z")


def test_random_assessment_is_valid_and_reproducible():
    a = withdrawal.random_assessment(7)
    assert a == withdrawal.random_assessment(7)
    assert all(a[k] in ALLOWED[k] for k in ITEMS)
    assert any(withdrawal.random_assessment(s) != a for s in range(8, 12))
    with pytest.raises(ValueError, match="seed"):
        withdrawal.random_assessment(-1)


# ------------------------------------------------------------------ symptom-frequency tables


def _wilson(x, n, z=1.959963984540054):
    p = x / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return 100 * (centre - half), 100 * (centre + half)


def test_symptom_table_matches_the_wilson_formula_and_keeps_missing_as_missing():
    df = pd.DataFrame({"n_participants": [170, 150, 293], "percent": [46.0, 99.0, np.nan]})
    out = withdrawal.symptom_frequency_table(df)
    assert out["count_approx"].iloc[0] == 78  # round(0.46 * 170)
    lo, hi = _wilson(78, 170)
    assert out["ci_low_percent"].iloc[0] == pytest.approx(lo, rel=1e-9)
    assert out["ci_high_percent"].iloc[0] == pytest.approx(hi, rel=1e-9)
    assert pd.isna(out["count_approx"].iloc[2]) and np.isnan(out["ci_low_percent"].iloc[2])


def test_symptom_table_rejects_impossible_percentages():
    with pytest.raises(ValueError, match="percent must be 0–100"):
        withdrawal.symptom_frequency_table(
            pd.DataFrame({"n_participants": [10], "percent": [120.0]})
        )


# ------------------------------------------------------------------ trials and pooling


def _bzd():
    trials = data.load("melatonin_sud_trials")
    return withdrawal.split_poolable(trials, "bzd_discontinuation")


def test_only_trials_with_counts_for_the_outcome_are_poolable():
    pool, rest = _bzd()
    assert sorted(pool["trial_id"]) == [
        "baandrup2016",
        "garfinkel1999",
        "lahteenmaki2014",
        "peles2007",
    ]
    # Vissers (no arm counts) and the Wright meta-analysis are read, not pooled
    assert {"vissers2007", "wright2015", "ghaderi2019"} <= set(rest["trial_id"])


def test_trial_risk_ratios_match_hand_calculation():
    pool, _ = _bzd()
    rr = withdrawal.trial_risk_ratios(pool).set_index("trial_id")
    # Garfinkel 1999: (14/18)/(4/16) = 3.11, Wald CI 1.29-7.53 on the log scale
    g = rr.loc["garfinkel1999"]
    assert g["rr"] == pytest.approx((14 / 18) / (4 / 16))
    se = math.sqrt(1 / 14 - 1 / 18 + 1 / 4 - 1 / 16)
    assert g["rr_ci_low"] == pytest.approx(3.1111 * math.exp(-1.959964 * se), rel=1e-4)
    assert round(g["rr_ci_low"], 2) == 1.29 and round(g["rr_ci_high"], 2) == 7.53
    assert rr.loc["peles2007", "rr"] == pytest.approx((11 / 31) / (11 / 30))


def test_pooled_dersimonian_laird_matches_closed_form():
    pool, _ = _bzd()
    rr = withdrawal.trial_risk_ratios(pool)
    y, v = rr["log_rr"].to_numpy(), rr["var_log_rr"].to_numpy()
    w = 1 / v
    fe = np.sum(w * y) / np.sum(w)
    q = np.sum(w * (y - fe) ** 2)
    c = np.sum(w) - np.sum(w**2) / np.sum(w)
    tau2 = max(0.0, (q - (len(y) - 1)) / c)
    ws = 1 / (v + tau2)
    est = np.sum(ws * y) / np.sum(ws)
    se = math.sqrt(1 / np.sum(ws))
    res = withdrawal.pool_risk_ratios(pool, method="DL", hartung_knapp=False)
    assert res.tau2 == pytest.approx(tau2, rel=1e-8)
    assert res.rr == pytest.approx(math.exp(est), rel=1e-8)
    assert res.ci_low == pytest.approx(math.exp(est - 1.959964 * se), rel=1e-5)
    assert res.k == 4
    fixed = withdrawal.pool_risk_ratios(pool, method="FE", hartung_knapp=False)
    assert fixed.rr == pytest.approx(math.exp(fe), rel=1e-10)
    # one true effect: no prediction interval (its limits only repeat the CI)
    assert res.has_prediction_interval and not fixed.has_prediction_interval
    assert (fixed.pi_low, fixed.pi_high) == pytest.approx((fixed.ci_low, fixed.ci_high))


def test_hartung_knapp_widens_this_small_heterogeneous_pool():
    pool, _ = _bzd()
    hk = withdrawal.pool_risk_ratios(pool, method="REML", hartung_knapp=True)
    z = withdrawal.pool_risk_ratios(pool, method="REML", hartung_knapp=False)
    assert hk.rr == pytest.approx(z.rr)
    assert hk.ci_high / hk.ci_low > z.ci_high / z.ci_low
    assert hk.ci_low < 1 < hk.ci_high  # no clear effect either way


def test_pooling_refuses_mixed_outcomes():
    trials = data.load("melatonin_sud_trials").head(3).copy()
    trials.loc[trials.index[0], "outcome"] = "sleep_quality_psqi"
    with pytest.raises(ValueError, match="one outcome"):
        withdrawal.pool_risk_ratios(trials)


@settings(max_examples=80, deadline=None)
@given(n=st.integers(1, 5000), frac=st.floats(0, 1), level=st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_wilson_interval_matches_statsmodels(n, frac, level):
    from statsmodels.stats.proportion import proportion_confint

    x = round(frac * n)
    lo, hi = withdrawal.wilson_interval(np.array([x]), np.array([n]), level=level)
    sm_lo, sm_hi = proportion_confint(x, n, alpha=1 - level, method="wilson")
    assert lo[0] == pytest.approx(sm_lo, abs=1e-12) and hi[0] == pytest.approx(sm_hi, abs=1e-12)


@pytest.mark.parametrize("count, n", [(-1, 10), (11, 10), (1, 0)])
def test_wilson_interval_rejects_impossible_counts(count, n):
    with pytest.raises(ValueError, match="count"):
        withdrawal.wilson_interval(np.array([count]), np.array([n]))


@pytest.mark.parametrize(("method", "drawn"), [("REML", True), ("FE", False)])
def test_forest_draws_a_prediction_interval_only_for_a_random_effects_model(method, drawn):
    import matplotlib.pyplot as plt

    from helpers.plots import withdrawal as wplots

    pool, _ = withdrawal.split_poolable(data.load("melatonin_sud_trials"), "bzd_discontinuation")
    pooled = withdrawal.pool_risk_ratios(pool, method=method, hartung_knapp=False)
    fig = wplots.forest(withdrawal.trial_risk_ratios(pool), pooled)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    dashed = [ln for ln in fig.axes[0].get_lines() if ln.get_linestyle() == "--"]
    plt.close(fig)
    assert ("prediction interval" in labels) is drawn
    assert bool(dashed) is drawn
