"""Lesson 07 (evidence appraisal): recorded results of the executed notebook, both profiles.

Each recorded number is recomputed here from the data tables with helpers.evidence, so the
test fails if the notebook pools the wrong trials, ignores a parameter or mislabels a result.
"""

from __future__ import annotations

import numpy as np
import pytest

from helpers import data, evidence, record

pytestmark = pytest.mark.notebooks

PROFILES = {
    "default": dict(
        outcome="bzd_discontinuation", method="REML", hartung_knapp=True, exclude_high_risk=False
    ),
    "alternative": dict(
        outcome="sleep_onset_latency_ncd", method="DL", hartung_knapp=False, exclude_high_risk=False
    ),
}


def _trials(outcome, exclude_high_risk):
    if outcome == "bzd_discontinuation":
        t = data.load("melatonin_sud_trials")
        cols = ["events_melatonin", "n_melatonin", "events_control", "n_control"]
        t = t[t["outcome"].eq(outcome) & t[cols].notna().all(axis=1)]
        return evidence.log_risk_ratio(*(t[c] for c in cols))
    t = data.load("melatonin_trials")
    if exclude_high_risk:
        t = t[~t["rob_overall"].eq("high")]
    return evidence.standardized_mean_difference(
        t["mean_melatonin_min"], t["sd_melatonin_min"], t["n_melatonin"],
        t["mean_control_min"], t["sd_control_min"], t["n_control"],
    )  # fmt: skip


@pytest.mark.parametrize("profile", ["default", "alternative"])
def test_pooled_result_is_the_meta_analysis_of_the_chosen_trials(executed_notebook, profile):
    want = PROFILES[profile]
    rec = record.read(executed_notebook(profile, "07"))
    assert rec["outcome"] == want["outcome"]
    assert (rec["method"], rec["hartung_knapp"]) == (want["method"], want["hartung_knapp"])
    yi, vi = _trials(want["outcome"], want["exclude_high_risk"])
    r = evidence.meta_analysis(yi, vi, method=want["method"], hartung_knapp=want["hartung_knapp"])
    assert rec["k"] == r.k
    for key in ("estimate", "ci_low", "ci_high", "tau2", "i2", "pi_low", "pi_high"):
        assert rec[key] == pytest.approx(getattr(r, key), rel=1e-9, abs=1e-12), key
    assert rec["pi_low"] <= rec["ci_low"] and rec["pi_high"] >= rec["ci_high"]


@pytest.mark.parametrize("profile", ["default", "alternative"])
def test_funnel_plot_only_with_ten_or_more_trials(executed_notebook, profile):
    rec = record.read(executed_notebook(profile, "07"))
    assert rec["n_independent_trials"] <= rec["k"]  # rows of one factorial trial count once
    if rec["n_independent_trials"] >= 10:
        assert rec["funnel_dataset"] == "melatonin_trials"
        yi, vi = _trials(rec["outcome"], PROFILES[profile]["exclude_high_risk"])
        assert rec["egger"]["t"] == pytest.approx(evidence.egger_test(yi, vi).t)
    else:
        # BCG teaching data: metafor regtest(model="lm") prints t = -1.4013, df = 11, p = 0.1887
        assert rec["funnel_dataset"] == "meta_teaching_dataset"
        assert rec["egger"]["t"] == pytest.approx(-1.4013, abs=5e-4)
        assert rec["egger"]["df"] == 11
        assert rec["egger"]["p"] == pytest.approx(0.1887, abs=5e-4)


def test_default_profile_specifics(executed_notebook):
    rec = record.read(executed_notebook("default", "07"))
    assert rec["k"] == 4  # four taper trials report counts
    assert rec["most_influential"] == "garfinkel1999"  # the small, manufacturer-supplied trial
    assert rec["rob2_garfinkel_overall"] == "some concerns"
    assert np.exp(rec["ci_low"]) < 1 < np.exp(rec["ci_high"])  # no clear effect on stopping


@pytest.mark.parametrize("profile", ["default", "alternative"])
def test_disproportionality_and_grade_summary(executed_notebook, profile):
    rec = record.read(executed_notebook(profile, "07"))
    d = rec["disproportionality"]
    assert (
        d["ror"] > d["prr"] > 1
    )  # ROR exceeds PRR whenever the event is commoner with the product
    assert d["prr_ci_low"] < d["prr"] < d["prr_ci_high"]
    sof = rec["sof"]
    assert sof["Melatonin combined with kratom, any outcome"] == evidence.NO_EVIDENCE
    assert set(sof.values()) <= set(evidence.CERTAINTY_LEVELS) | {evidence.NO_EVIDENCE}
    assert sof["Kratom to reduce or stop opioid use (self-report surveys)"] == "very low"


@pytest.mark.parametrize("profile", ["default", "alternative"])
def test_the_lesson_reproduces_its_pooled_results_with_statsmodels(executed_notebook, profile):
    """The cross-check table compares FE, DL and DL + Hartung–Knapp with combine_effects."""
    rec = record.read(executed_notebook(profile, "07"))
    assert 0 <= rec["statsmodels_largest_difference"] < 1e-9
