"""Lesson 05 as executed: its recorded results agree with the helpers and the data."""

from __future__ import annotations

import pytest

from helpers import data, manifest, record, withdrawal

pytestmark = pytest.mark.notebooks

DEFAULTS = {
    "population": "all",
    "outcome": "bzd_discontinuation",
    "case_id": "case_b",
    "seed": 5,
    "method": "REML",
    "hartung_knapp": True,
}


def _params(profile: str) -> dict:
    return DEFAULTS | manifest.load_manifest().overrides(profile, "05")


@pytest.mark.parametrize("profile", ["default", "alternative"])
def test_worked_case_and_practice_match_the_scorer(executed_notebook, profile):
    rec = record.read(executed_notebook(profile, "05"))
    p = _params(profile)
    assert rec["case_id"] == p["case_id"]
    case = withdrawal.cows_score(withdrawal.case_items(p["case_id"]))
    assert (rec["case_total"], rec["case_band"]) == (case.total, case.band)
    practice = withdrawal.cows_score(withdrawal.random_assessment(p["seed"]))
    assert (rec["practice_total"], rec["practice_band"]) == (practice.total, practice.band)


@pytest.mark.parametrize("profile", ["default", "alternative"])
def test_pooled_result_is_the_helper_result_for_the_profile(executed_notebook, profile):
    rec = record.read(executed_notebook(profile, "05"))
    p = _params(profile)
    assert (rec["method"], rec["hartung_knapp"]) == (p["method"], p["hartung_knapp"])
    trials = data.load("melatonin_sud_trials")
    if p["population"] != "all":
        trials = trials[trials["population_group"] == p["population"]]
    pool, rest = withdrawal.split_poolable(trials, p["outcome"])
    assert rec["k_pooled"] == len(pool) and rec["n_unpooled"] == len(rest)
    assert rec["pooled_trials"] == sorted(pool["trial_id"])
    res = withdrawal.pool_risk_ratios(pool, method=p["method"], hartung_knapp=p["hartung_knapp"])
    assert rec["pooled_rr"] == pytest.approx(res.rr, rel=1e-9)
    assert rec["pooled_ci"] == pytest.approx([res.ci_low, res.ci_high], rel=1e-9)
    assert rec["pooled_i2"] == pytest.approx(res.i2, rel=1e-9)


def test_default_pool_shows_no_clear_effect_and_no_kratom_trial(executed_notebook):
    rec = record.read(executed_notebook("default", "05"))
    # four benzodiazepine-taper trials with counts; the interval spans 1 (no clear effect)
    assert rec["k_pooled"] == 4
    low, high = rec["pooled_ci"]
    assert low < 1 < high
    assert rec["pooled_i2"] > 50  # the trials disagree
    assert rec["kratom_in_trials"] is False
    # Singh et al. 2018: 46% reported more sleep problems when they stopped kratom
    assert rec["kratom_sleep_percent"] == 46


def test_profiles_differ(executed_notebook):
    a = record.read(executed_notebook("default", "05"))
    b = record.read(executed_notebook("alternative", "05"))
    assert a["case_total"] != b["case_total"]
    assert a["pooled_ci"] != b["pooled_ci"]
