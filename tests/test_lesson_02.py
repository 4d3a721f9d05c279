"""Lesson 02 (melatonin pharmacology): recorded results of the executed notebook."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from helpers import data, record
from helpers import melatonin as mel
from helpers.exercises import METADATA_KEY

pytestmark = pytest.mark.notebooks


def _checks(path) -> dict[str, str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    out = {}
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            meta = o.get("metadata", {}).get("text/plain", {}).get(METADATA_KEY)
            if meta:
                out[meta["id"]] = meta["status"]
    return out


def test_default_profile_reproduces_the_andersen_arm_against_young_night_levels(executed_notebook):
    rec = record.read(executed_notebook("default", "02"))
    assert rec["regimen"] == "andersen2016_oral_10mg" and rec["cyp1a2_activity"] == 1.0
    reported = data.row("pk_results_melatonin", result_id="andersen2016_oral_cmax")["value"]
    night = data.row("melatonin_endogenous", group_id="15_to_20_years")["value_pg_per_ml"]
    assert rec["cmax_pg_per_ml"] == pytest.approx(reported, rel=2e-3)
    assert rec["night_level_pg_per_ml"] == night
    assert rec["cmax_over_night_level"] == pytest.approx(reported / night, rel=2e-3)
    # single exponential decline from Cmax to the night level: t½ · log2(Cmax / level) after tmax
    th_h = data.row("pk_results_melatonin", result_id="andersen2016_oral_t_half")["value"] / 60
    assert rec["back_below_night_level_clock_h"] > 22.0 + th_h * 5
    assert rec["auc_ratio_at_activity"] == pytest.approx(1.0)
    for item in rec["model_check"]:
        if item["used_to_build_model"]:
            assert item["model_over_reported"] == pytest.approx(1.0, rel=1e-3), item


def test_default_profile_receptor_and_cyp1a2_results(executed_notebook):
    rec = record.read(executed_notebook("default", "02"))
    assert rec["kd_nm"]["MT1"] == pytest.approx(10 ** (9 - 9.89), rel=1e-6)
    assert rec["night_level_nm"] == pytest.approx(62.5 / 232.2783, rel=1e-3)
    fluv = data.row("cyp1a2_modifiers", finding_id="fluvoxamine_auc")["value"]
    assert rec["fluvoxamine_implied_activity"] == pytest.approx(1 / fluv, rel=1e-6)
    assert rec["label_ranges_pct"]["Erland & Saxena 2017"] == [17.0, 578.0]
    assert 21.0 < rec["dlmo_fixed_clock_h"] < 24.0  # the synthetic rise starts at 21:00
    assert rec["dlmo_3k_clock_h"] < rec["dlmo_fixed_clock_h"]


def test_default_profile_solutions_pass_their_checks(executed_notebook):
    checks = _checks(executed_notebook("default", "02"))
    assert checks == {"02.1": "correct", "02.2": "correct", "02.3": "correct", "02.4": "correct"}


def test_learner_edition_runs_and_reports_not_attempted(executed_notebook):
    checks = _checks(executed_notebook("student", "02"))
    assert set(checks) == {"02.1", "02.2", "02.3", "02.4"}
    assert set(checks.values()) == {"not attempted"}


def test_alternative_profile_halves_cyp1a2_on_the_older_adult_arm(executed_notebook):
    rec = record.read(executed_notebook("alternative", "02"))
    assert rec["regimen"] == "gooneratne2012_ss_0_4mg"
    assert rec["auc_ratio_at_activity"] == pytest.approx(2.0, rel=1e-9)  # 1 / activity
    reported = data.row("pk_results_melatonin", result_id="gooneratne2012_0_4mg_cmax")["value"]
    assert rec["cmax_pg_per_ml"] > reported * 1.5  # halved enzyme activity raises the peak
    assert (
        rec["night_level_pg_per_ml"]
        == data.row("melatonin_endogenous", group_id="70_to_90_years")["value_pg_per_ml"]
    )


def test_exercise_02_1_needs_the_second_night_interpolated(cell_value, check_cell):
    import numpy as np

    from helpers import exercises

    check = check_cell("02_melatonin_pharmacology.ipynb", "02.1")
    plasma = data.row("dlmo_definitions", definition_id="plasma_10")
    level = data.row("melatonin_endogenous", group_id="15_to_20_years")["value_pg_per_ml"]
    t = np.arange(18.0, 24.0 + 0.25, plasma["sampling_interval_min"] / 60)
    first = mel.synthetic_evening_profile(t, 21.0, level, seed=2)
    second = mel.synthetic_evening_profile(t, 21.75, level, seed=3)
    ns = {
        "exercises": exercises,
        "mel": mel,
        "sample_clock_h": t,
        "samples_2": second,
        "plasma_def": plasma,
        "dlmo_fixed_h": mel.dlmo_crossing(t, first, plasma["threshold_pg_per_ml"]),
    }
    # independent interpolation: last sample below the threshold, then the straight line up
    thr = plasma["threshold_pg_per_ml"]
    k = np.flatnonzero(second < thr)[-1]
    right = t[k] + (thr - second[k]) / (second[k + 1] - second[k]) * (t[k + 1] - t[k])
    assert cell_value(check, {**ns, "answer_1": right}).status == "correct"
    assert cell_value(check, {**ns, "answer_1": t[k + 1]}).status != "correct"  # first sample above
    copied = cell_value(check, {**ns, "answer_1": ns["dlmo_fixed_h"]})
    assert copied.status != "correct" and "samples_2" in copied.message


def test_exercise_02_3_needs_the_percent_change_turned_into_a_ratio(cell_value, check_cell):
    from helpers import exercises

    caff = data.row("cyp1a2_modifiers", finding_id="caffeine_auc")
    fluv = data.row("cyp1a2_modifiers", finding_id="fluvoxamine_auc")
    assert caff["unit"] == "%" and caff["outcome"] == "auc_change_pct"
    ns = {
        "exercises": exercises,
        "mel": mel,
        "caff_auc": caff,
        "fluv_activity": 1 / float(fluv["value"]),
    }
    check = check_cell("02_melatonin_pharmacology.ipynb", "02.3")
    # independent closed form: AUC ratio 1 + pct/100, activity its inverse (any baseline F)
    right = 1 / (1 + float(caff["value"]) / 100)
    for f in (0.03, 0.15, 0.6):
        ns["model"] = SimpleNamespace(f=f)
        assert cell_value(check, {**ns, "answer_3": round(right, 3)}).status == "correct"
    as_ratio = cell_value(check, {**ns, "answer_3": 100 / float(caff["value"])})
    assert as_ratio.status != "correct" and "1 + x/100" in as_ratio.message
    assert (
        "inverse" in cell_value(check, {**ns, "answer_3": 1 + float(caff["value"]) / 100}).message
    )
    assert "fluvoxamine" in cell_value(check, {**ns, "answer_3": 1 / float(fluv["value"])}).message
