"""Lesson 05 as executed: its recorded results agree with the helpers and the data."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import DATA_DIR, data, manifest, record, withdrawal

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


NB = "05_withdrawal_and_recovery.ipynb"


def _trials() -> pd.DataFrame:
    """The trials table read straight from its CSV file."""
    return pd.read_csv(DATA_DIR / "melatonin_sud_trials.csv")


def test_exercise_05_3_asks_for_the_wilson_interval(cell_value, check_cell):
    from statsmodels.stats.proportion import proportion_confint

    from helpers import exercises

    row = data.row("insomnia_prevalence_treatment", study_id="tripathi2020")
    lo, hi = proportion_confint(int(row["n_cases"]), int(row["n_participants"]), method="wilson")
    ns = {"exercises": exercises, "data": data, "withdrawal": withdrawal}
    check = check_cell(NB, "05.3")
    assert cell_value(check, {**ns, "answer_3": round(100 * lo, 1)}).status == "correct"
    printed = cell_value(check, {**ns, "answer_3": float(row["percent"])})
    assert printed.status != "correct" and "point estimate" in printed.message
    assert "upper end" in cell_value(check, {**ns, "answer_3": 100 * hi}).message
    assert "in %" in cell_value(check, {**ns, "answer_3": lo}).message


def _dl_pool(t) -> float:
    """DerSimonian-Laird pooled risk ratio, in closed form (independent of the helpers)."""
    import numpy as np

    a, n1, c, n2 = (t[k].to_numpy(float) for k in _COUNTS)
    y = np.log((a / n1) / (c / n2))
    v = 1 / a - 1 / n1 + 1 / c - 1 / n2
    w = 1 / v
    fe = (w * y).sum() / w.sum()
    q = (w * (y - fe) ** 2).sum()
    tau2 = max(0.0, (q - (len(y) - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    w = 1 / (v + tau2)
    return float(np.exp((w * y).sum() / w.sum()))


_COUNTS = ["events_melatonin", "n_melatonin", "events_control", "n_control"]


def test_exercise_05_4_leaves_out_the_trial_with_the_highest_risk_ratio(
    executed_notebook, cell_value, check_cell
):
    from types import SimpleNamespace

    from helpers import exercises

    t = _trials()
    pool = t[(t.outcome == "bzd_discontinuation") & t[_COUNTS].notna().all(axis=1)]
    rr = (pool.events_melatonin / pool.n_melatonin) / (pool.events_control / pool.n_control)
    top = pool.loc[rr.idxmax(), "trial_id"]
    assert top == "garfinkel1999"  # the small early trial the lesson's text describes
    right = _dl_pool(pool[pool.trial_id != top])
    all_trials = _dl_pool(pool)
    ns = {
        "exercises": exercises,
        "withdrawal": withdrawal,
        "pool": pool,
        "rr": pool.assign(rr=rr),
        "pooled": SimpleNamespace(rr=all_trials),
        "p": SimpleNamespace(
            method="DL", hartung_knapp=False, population="all", outcome="bzd_discontinuation"
        ),
    }
    check = check_cell(NB, "05.4")
    assert cell_value(check, {**ns, "answer_4": round(right, 3)}).status == "correct"
    whole = cell_value(check, {**ns, "answer_4": all_trials})
    assert whole.status != "correct" and "every trial" in whole.message
    assert "own risk ratio" in cell_value(check, {**ns, "answer_4": float(rr.max())}).message
    # too few trials: the cell says so instead of checking
    few = cell_value(check, {**ns, "pool": pool.head(2), "answer_4": 1.0})
    assert few.status != "correct" and "at least three" in few.message
    for profile in ("default", "alternative"):  # τ² is 0 without that trial: DL = REML = FE
        rec = record.read(executed_notebook(profile, "05"))
        assert rec["pooled_rr_without_highest"] == pytest.approx(right, rel=1e-6)
        assert rec["pooled_rr_without_highest"] < 1 < rec["pooled_rr"]


def test_exercise_05_5_asks_for_the_risk_difference(cell_value, check_cell):
    from helpers import exercises

    t = _trials().set_index("trial_id").loc["peles2007"]
    p1, p0 = t.events_melatonin / t.n_melatonin, t.events_control / t.n_control
    ns = {"exercises": exercises, "data": data}
    check = check_cell(NB, "05.5")
    assert cell_value(check, {**ns, "answer_5": round(100 * (p1 - p0), 2)}).status == "correct"
    ratio = cell_value(check, {**ns, "answer_5": p1 / p0})
    assert ratio.status != "correct" and "risk ratio" in ratio.message
    assert "percentage points" in cell_value(check, {**ns, "answer_5": p1 - p0}).message
    assert "sign" in cell_value(check, {**ns, "answer_5": 100 * (p0 - p1)}).message
