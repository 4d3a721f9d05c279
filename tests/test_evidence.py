"""Tests of helpers.evidence against published reference values and closed forms.

Reference numbers: metafor's own documentation and test suite for the BCG vaccine data
(Colditz et al. 1994, as printed in metadat's ``dat.colditz1994`` / ``dat.bcg``):
- README of wviechtb/metafor: REML with Knapp–Hartung (τ² 0.3132, I² 92.22 %, H² 12.86,
  Q 152.2330, estimate −0.7145, se 0.1808, CI −1.1084 to −0.3206, t −3.9522, p 0.0019;
  predicted RR 0.49 (0.33–0.73), prediction interval 0.14–1.76);
- printed ``rma(yi, vi)`` output (REML, z): se 0.1798, CI −1.0669 to −0.3622, z −3.9744;
- tests/testthat/test_misc_metan_vs_rma.uni_with_dat.bcg.r: FE −0.4303 (−0.5097, −0.3509),
  z −10.6247, Q 152.2330; DL −0.7141 (−1.0644, −0.3638), z −3.9952, τ² 0.3088, I² 92.1173;
  log OR: FE −0.4361 (Q 163.1649), DL −0.7474, τ² 0.3663, I² 92.6455;
- ``regtest(res, model="lm")`` output: t −1.4013, df 11, p 0.1887, limit estimate −0.1909.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.meta_analysis import combine_effects

from helpers import evidence as ev

# BCG trials: TB cases / non-cases in vaccinated (tpos, tneg) and control (cpos, cneg) groups.
TPOS = [4, 6, 3, 62, 33, 180, 8, 505, 29, 17, 186, 5, 27]
TNEG = [119, 300, 228, 13536, 5036, 1361, 2537, 87886, 7470, 1699, 50448, 2493, 16886]
CPOS = [11, 29, 11, 248, 47, 372, 10, 499, 45, 65, 141, 3, 29]
CNEG = [128, 274, 209, 12619, 5761, 1079, 619, 87892, 7232, 1600, 27197, 2338, 17825]


@pytest.fixture(scope="module")
def bcg_rr():
    return ev.log_risk_ratio(TPOS, np.add(TPOS, TNEG), CPOS, np.add(CPOS, CNEG))


@pytest.fixture(scope="module")
def bcg_or():
    return ev.log_odds_ratio(TPOS, TNEG, CPOS, CNEG)


# ----------------------------------------------------------------------------- effect sizes


def test_log_risk_ratios_match_metafor_escalc(bcg_rr):
    yi, vi = bcg_rr
    # first rows of escalc(measure="RR") as printed in metafor's README
    np.testing.assert_allclose(yi[:4], [-0.8893, -1.5854, -1.3481, -1.4416], atol=5e-5)
    np.testing.assert_allclose(vi[:4], [0.3256, 0.1946, 0.4154, 0.0200], atol=5e-5)
    assert yi[7] == pytest.approx(0.0120, abs=5e-5) and vi[7] == pytest.approx(0.0040, abs=5e-5)


def test_log_odds_ratios_match_metafor_escalc(bcg_or):
    yi, vi = bcg_or
    # escalc(measure="OR") rows printed on metafor-project.org (van Houwelingen 2002 page)
    np.testing.assert_allclose(yi[:3], [-0.9387, -1.6662, -1.3863], atol=5e-5)
    np.testing.assert_allclose(vi[:3], [0.3571, 0.2081, 0.4334], atol=5e-5)


def test_zero_cell_gets_documented_continuity_correction():
    yi, vi = ev.log_risk_ratio([0, 3], [10, 10], [2, 3], [10, 10])
    # study 1: 0.5 added to all four cells: a=0.5, n1=11, c=2.5, n2=11
    assert yi[0] == pytest.approx(math.log((0.5 / 11) / (2.5 / 11)))
    assert vi[0] == pytest.approx(1 / 0.5 - 1 / 11 + 1 / 2.5 - 1 / 11)
    assert yi[1] == pytest.approx(0.0)  # untouched study without zero cells
    yo, _ = ev.log_odds_ratio([0], [10], [5], [5])
    assert yo[0] == pytest.approx(math.log(0.5 * 5.5 / (10.5 * 5.5)))


def test_mean_difference_and_smd_closed_forms():
    md, v = ev.mean_difference(10, 2, 20, 8, 3, 25)
    assert md[0] == 2 and v[0] == pytest.approx(4 / 20 + 9 / 25)
    g, vg = ev.standardized_mean_difference(10, 2, 20, 8, 3, 25)
    sp = math.sqrt((19 * 4 + 24 * 9) / 43)
    j_approx = 1 - 3 / (4 * 43 - 1)  # Hedges' approximation of the exact J
    assert g[0] == pytest.approx(j_approx * 2 / sp, rel=1e-4)
    assert vg[0] == pytest.approx(1 / 20 + 1 / 25 + g[0] ** 2 / 90)


def test_smd_close_to_revman_values_for_a_melatonin_trial():
    # Ahn 2019 row of the LMD-nat extraction (RevMan: SMD −0.15 [−0.83, 0.52])
    g, v = ev.standardized_mean_difference(44.1, 37.9, 16, 50.3, 41.6, 18)
    assert round(float(g[0]), 2) == -0.15
    assert g[0] - 1.96 * math.sqrt(v[0]) == pytest.approx(-0.83, abs=0.01)


# ----------------------------------------------------------------------------- meta-analysis


def test_fixed_effect_matches_metafor(bcg_rr):
    r = ev.meta_analysis(*bcg_rr, method="FE")
    assert r.estimate == pytest.approx(-0.4303, abs=5e-5)
    assert (r.ci_low, r.ci_high) == pytest.approx((-0.5097, -0.3509), abs=5e-5)
    assert r.stat == pytest.approx(-10.6247, abs=5e-4)
    assert r.q == pytest.approx(152.2330, abs=5e-4)
    assert r.tau2 == 0 and r.k == 13 and r.q_df == 12


def test_dersimonian_laird_matches_metafor(bcg_rr):
    r = ev.meta_analysis(*bcg_rr, method="DL")
    assert r.estimate == pytest.approx(-0.7141, abs=5e-5)
    assert (r.ci_low, r.ci_high) == pytest.approx((-1.0644, -0.3638), abs=5e-5)
    assert r.stat == pytest.approx(-3.9952, abs=5e-4)
    assert r.tau2 == pytest.approx(0.3088, abs=5e-5)
    assert r.i2 == pytest.approx(92.1173, abs=5e-4)


def test_dl_log_odds_ratio_matches_metafor(bcg_or):
    fe = ev.meta_analysis(*bcg_or, method="FE")
    assert fe.estimate == pytest.approx(-0.4361, abs=5e-5) and fe.q == pytest.approx(
        163.1649, abs=5e-4
    )
    r = ev.meta_analysis(*bcg_or, method="DL")
    assert r.estimate == pytest.approx(-0.7474, abs=5e-5)
    assert r.tau2 == pytest.approx(0.3663, abs=5e-5)
    assert r.i2 == pytest.approx(92.6455, abs=5e-4)


def test_reml_matches_metafor_published_example(bcg_rr):
    r = ev.meta_analysis(*bcg_rr, method="REML")
    assert r.tau2 == pytest.approx(0.3132, abs=5e-5)
    assert r.estimate == pytest.approx(-0.7145, abs=5e-5)
    assert r.se == pytest.approx(0.1798, abs=5e-5)
    assert (r.ci_low, r.ci_high) == pytest.approx((-1.0669, -0.3622), abs=5e-5)
    assert r.stat == pytest.approx(-3.9744, abs=5e-4)
    assert r.i2 == pytest.approx(92.22, abs=5e-3)
    assert r.h2 == pytest.approx(12.86, abs=5e-3)


def test_reml_with_hartung_knapp_matches_metafor_readme(bcg_rr):
    r = ev.meta_analysis(*bcg_rr, method="REML", hartung_knapp=True)
    assert r.se == pytest.approx(0.1808, abs=5e-5)
    assert (r.ci_low, r.ci_high) == pytest.approx((-1.1084, -0.3206), abs=5e-5)
    assert r.stat == pytest.approx(-3.9522, abs=5e-4)
    assert r.p == pytest.approx(0.0019, abs=5e-5)
    rr = np.exp([r.estimate, r.ci_low, r.ci_high, r.pi_low, r.pi_high]).round(2)
    assert rr.tolist() == [0.49, 0.33, 0.73, 0.14, 1.76]


def test_reml_is_a_stationary_point_of_the_restricted_likelihood(bcg_rr):
    yi, vi = bcg_rr

    def restricted_loglik(t2):
        w = 1 / (vi + t2)
        mu = np.sum(w * yi) / w.sum()
        return -0.5 * (np.sum(np.log(vi + t2)) + math.log(w.sum()) + np.sum(w * (yi - mu) ** 2))

    t = ev.reml_tau2(yi, vi)
    assert restricted_loglik(t) > restricted_loglik(t * 0.99)
    assert restricted_loglik(t) > restricted_loglik(t * 1.01)


def test_dl_and_pm_agree_with_statsmodels(bcg_rr):
    yi, vi = bcg_rr
    for ours, theirs in (("DL", "dl"), ("PM", "pm")):
        sm = (
            combine_effects(yi, vi, method_re=theirs, atol=1e-12, maxiter=500)
            if theirs == "pm"
            else combine_effects(yi, vi, method_re=theirs)
        )
        r = ev.meta_analysis(yi, vi, method=ours)
        assert r.tau2 == pytest.approx(sm.tau2, rel=1e-8)
        assert r.estimate == pytest.approx(sm.mean_effect_re, rel=1e-8)


def test_paule_mandel_solves_its_estimating_equation(bcg_rr):
    yi, vi = bcg_rr
    r = ev.meta_analysis(yi, vi, method="PM")
    w = 1 / (vi + r.tau2)
    mu = np.sum(w * yi) / w.sum()
    assert np.sum(w * (yi - mu) ** 2) == pytest.approx(r.k - 1, abs=1e-6)


def test_homogeneous_studies_give_zero_tau2_for_every_method():
    yi = [0.1, 0.11, 0.09, 0.1]
    vi = [0.04, 0.05, 0.03, 0.04]
    for m in ev.METHODS:
        r = ev.meta_analysis(yi, vi, method=m)
        assert r.tau2 == 0 and r.i2 == 0
        assert r.pi_low == pytest.approx(r.ci_low) and r.pi_high == pytest.approx(r.ci_high)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.floats(-3, 3), st.floats(0.01, 2.0)), min_size=3, max_size=12),
    st.sampled_from(ev.METHODS),
)
def test_properties_of_any_meta_analysis(studies, method):
    yi, vi = np.array(studies).T
    r = ev.meta_analysis(yi, vi, method=method)
    assert min(yi) - 1e-9 <= r.estimate <= max(yi) + 1e-9
    assert r.ci_low < r.estimate < r.ci_high
    assert r.pi_low <= r.ci_low + 1e-12 and r.pi_high >= r.ci_high - 1e-12
    assert r.tau2 >= 0 and 0 <= r.i2 < 100
    assert sum(r.weights_percent) == pytest.approx(100)
    # shifting every effect shifts the pooled estimate and nothing else
    s = ev.meta_analysis(yi + 1.5, vi, method=method)
    assert s.estimate == pytest.approx(r.estimate + 1.5, abs=1e-6)
    assert s.tau2 == pytest.approx(r.tau2, abs=1e-6)


def test_leave_one_out_is_consistent_with_refitting(bcg_rr):
    yi, vi = bcg_rr
    labels = [f"t{i}" for i in range(13)]
    loo = ev.leave_one_out(yi, vi, labels=labels, method="REML")
    assert list(loo["omitted"]) == labels
    for i in (0, 7, 12):
        keep = np.arange(13) != i
        r = ev.meta_analysis(yi[keep], vi[keep], method="REML")
        assert loo.loc[i, "estimate"] == pytest.approx(r.estimate)
        assert loo.loc[i, "tau2"] == pytest.approx(r.tau2)
    # omitting the most influential trial (TPT Madras, RR ≈ 1) makes the average effect larger
    assert loo["estimate"].idxmin() == 7


@pytest.mark.parametrize(
    "yi, vi, message",
    [
        ([0.1], [0.1], "at least k = 2"),
        ([0.1, 0.2], [0.1], "same length"),
        ([0.1, 0.2], [0.1, -0.2], "must be > 0"),
        ([0.1, 0.2], [0.1, 0.0], "must be > 0"),
        ([0.1, float("nan")], [0.1, 0.1], "finite"),
    ],
)
def test_invalid_inputs_are_refused_clearly(yi, vi, message):
    with pytest.raises(ValueError, match=message):
        ev.meta_analysis(yi, vi)


def test_unknown_method_and_level_are_refused():
    with pytest.raises(ValueError, match="method must be one of"):
        ev.meta_analysis([0, 1], [1, 1], method="HS")
    with pytest.raises(ValueError, match="level"):
        ev.meta_analysis([0, 1], [1, 1], level=95)
    with pytest.raises(ValueError, match="k = 3"):
        ev.leave_one_out([0, 1], [1, 1])


# ----------------------------------------------------------------------------- Egger


def test_egger_matches_metafor_regtest_lm(bcg_rr):
    e = ev.egger_test(*bcg_rr)
    assert e.t == pytest.approx(-1.4013, abs=5e-4)
    assert e.df == 11
    assert e.p == pytest.approx(0.1887, abs=5e-4)
    assert e.slope == pytest.approx(-0.1909, abs=5e-4)


def test_egger_matches_statsmodels_ols(bcg_rr):
    import statsmodels.api as sm

    y, v = bcg_rr
    se = np.sqrt(v)
    fit = sm.OLS(y / se, sm.add_constant(1 / se)).fit()
    e = ev.egger_test(y, v)
    assert e.intercept == pytest.approx(fit.params[0], rel=1e-10)
    assert e.se == pytest.approx(fit.bse[0], rel=1e-10)
    assert e.p == pytest.approx(fit.pvalues[0], rel=1e-8)
    assert e.slope == pytest.approx(fit.params[1], rel=1e-10)


def test_egger_intercept_is_zero_without_small_study_effect():
    se = np.array([0.1, 0.2, 0.3, 0.4, 0.5])
    e = ev.egger_test(0.3 * np.ones(5), se**2)  # identical effects: z_i = 0.3 / se_i exactly
    assert e.intercept == pytest.approx(0, abs=1e-10) and e.slope == pytest.approx(0.3)


# ----------------------------------------------------------------------------- disproportionality


def test_ror_and_prr_closed_forms():
    ror = ev.reporting_odds_ratio(20, 180, 100, 9700)
    assert ror.ratio == pytest.approx(20 * 9700 / (180 * 100))
    se = math.sqrt(1 / 20 + 1 / 180 + 1 / 100 + 1 / 9700)
    assert ror.ci_low == pytest.approx(ror.ratio * math.exp(-1.959964 * se), rel=1e-6)
    prr = ev.proportional_reporting_ratio(20, 180, 100, 9700)
    assert prr.ratio == pytest.approx((20 / 200) / (100 / 9800))
    se_p = math.sqrt(1 / 20 - 1 / 200 + 1 / 100 - 1 / 9800)
    assert prr.ci_high == pytest.approx(prr.ratio * math.exp(1.959964 * se_p), rel=1e-6)
    assert not ror.corrected and not prr.corrected
    assert prr.ratio < ror.ratio  # PRR < ROR whenever the event is commoner with the drug


def test_zero_cell_uses_haldane_anscombe_correction():
    r = ev.reporting_odds_ratio(0, 50, 10, 1000)
    assert r.corrected and r.cells == (0.5, 50.5, 10.5, 1000.5)
    assert r.ratio == pytest.approx(0.5 * 1000.5 / (50.5 * 10.5))
    with pytest.raises(ValueError, match="continuity correction"):
        ev.proportional_reporting_ratio(0, 50, 10, 1000, correction=0)


@pytest.mark.parametrize("cells", [(-1, 5, 5, 5), (1.5, 5, 5, 5), (0, 0, 5, 5)])
def test_bad_tables_are_refused(cells):
    with pytest.raises(ValueError):
        ev.reporting_odds_ratio(*cells)


def test_yates_chi2_matches_scipy():
    from scipy.stats import chi2_contingency

    table = [[20, 180], [100, 9700]]
    expected = chi2_contingency(table, correction=True)[0]
    assert ev.chi2_yates(20, 180, 100, 9700) == pytest.approx(expected)


def test_signal_applies_the_given_thresholds():
    s = ev.signal(20, 180, 100, 9700, prr_min=2, chi2_min=4, n_min=3)
    assert s["evans_signal"] and s["ror_signal"]
    s2 = ev.signal(2, 180, 100, 9700, prr_min=2, chi2_min=4, n_min=3)
    assert not s2["evans_signal"]  # fewer than 3 cases


# ----------------------------------------------------------------------------- GRADE, RoB 2


def test_grade_starts_and_rates_down():
    assert ev.grade_certainty("randomized").certainty == "high"
    assert ev.grade_certainty("observational").certainty == "low"
    r = ev.grade_certainty("randomized", outcome="x", risk_of_bias=1, imprecision=2)
    assert r.score == 1 and r.certainty == "very low" and r.symbol == "⊕○○○"
    assert "imprecision (very serious)" in r.reasons
    assert ev.grade_certainty("randomized", inconsistency=1).certainty == "moderate"
    assert ev.grade_certainty("observational", large_effect=2).certainty == "high"
    # floor at very low
    assert ev.grade_certainty("observational", risk_of_bias=2, indirectness=2).score == 1


def test_grade_refuses_unknown_domains_and_levels():
    with pytest.raises(ValueError, match="unknown GRADE domain"):
        ev.grade_certainty("randomized", bias=1)
    with pytest.raises(ValueError, match="0, 1 or 2"):
        ev.grade_certainty("randomized", imprecision=3)
    with pytest.raises(ValueError, match="0 to 1"):
        ev.grade_certainty("observational", dose_response=2)
    with pytest.raises(ValueError, match="design"):
        ev.grade_certainty("case report")


def test_vocabulary_is_stable():
    assert ev.CERTAINTY_LEVELS == ("high", "moderate", "low", "very low")
    assert ev.DOWNGRADE_DOMAINS == (
        "risk_of_bias",
        "inconsistency",
        "indirectness",
        "imprecision",
        "publication_bias",
    )
    assert ev.NO_EVIDENCE == "no evidence"
    assert [ev.certainty_label(s) for s in (4, 3, 2, 1, 0)] == [
        "high",
        "moderate",
        "low",
        "very low",
        "very low",
    ]


def test_summary_of_findings_and_rob2_overall():
    sof = ev.summary_of_findings(
        [
            ev.grade_certainty("randomized", "a", imprecision=1),
            ev.grade_certainty("observational", "b"),
        ]
    )
    assert list(sof["certainty"]) == ["moderate", "low"]
    assert sof.loc[0, "imprecision_down"] == 1
    assert ev.rob2_overall({"D1": "low", "D2": "some concerns", "D3": "low"}) == "some concerns"
    assert ev.rob2_overall({"D1": "high", "D2": "some concerns"}) == "high"
    with pytest.raises(ValueError, match="RoB 2"):
        ev.rob2_overall({"D1": "unclear"})


def test_paule_mandel_finds_the_root_where_a_plain_iteration_overshoots():
    # statsmodels' iteration returns τ² = 0 here although Q(0) > k − 1
    yi = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.9375])
    vi = np.array([1.0, 1.0, 0.5, 0.03125, 0.0625, 0.125])
    r = ev.meta_analysis(yi, vi, method="PM")
    w = 1 / (vi + r.tau2)
    mu = np.sum(w * yi) / w.sum()
    assert r.tau2 > 0
    assert np.sum(w * (yi - mu) ** 2) == pytest.approx(5, abs=1e-6)


def test_study_intervals_and_funnel_limits_are_wald_limits():
    lo, hi = ev.study_intervals([0.0, 1.0], [0.04, 0.25])
    np.testing.assert_allclose(hi - lo, 2 * 1.959964 * np.sqrt([0.04, 0.25]), rtol=1e-6)
    se, a, b = ev.funnel_limits(-0.43, 0.8, n=5)
    assert se[0] == 0 and a[0] == b[0] == -0.43
    np.testing.assert_allclose((b - a) / 2, 1.959964 * se, rtol=1e-6)
    with pytest.raises(ValueError, match="se_max"):
        ev.funnel_limits(0.0, -1.0)


def test_reml_start_value_is_the_dersimonian_laird_estimate():
    from helpers.evidence import _moment_start, _statsmodels_tau2

    rng = np.random.default_rng(3)
    for _ in range(20):
        k = int(rng.integers(2, 15))
        y = rng.normal(0, 1, k)
        v = rng.uniform(0.01, 0.5, k)
        assert _moment_start(y, v) == pytest.approx(
            _statsmodels_tau2(y, v, "DL"), rel=1e-9, abs=1e-12
        )
