"""Lesson 04 (sleep physiology): recorded results of the executed notebook, both profiles."""

from __future__ import annotations

import pytest

from helpers import data, record
from helpers import sleep as sl

pytestmark = pytest.mark.notebooks


@pytest.fixture(scope="module")
def default(executed_notebook):
    return record.read(executed_notebook("default", "04"))


@pytest.fixture(scope="module")
def alternative(executed_notebook):
    return record.read(executed_notebook("alternative", "04"))


def test_default_standard_set_sleeps_once_a_day(default):
    assert default["parameter_set"] == "skeldon2025_fig1b"
    assert (default["steady_state_sleeps_per_cycle"], default["steady_state_cycle_days"]) == (1, 1)


def test_alternative_polyphasic_set_sleeps_twice_a_day(alternative):
    assert alternative["parameter_set"] == "skeldon2025_fig1e"
    assert (
        alternative["steady_state_sleeps_per_cycle"],
        alternative["steady_state_cycle_days"],
    ) == (
        2,
        1,
    )


@pytest.mark.parametrize("profile", ["default", "alternative"])
def test_every_published_pattern_is_reproduced(profile, request):
    rec = request.getfixturevalue(profile)
    assert rec["patterns_match_published"] is True and rec["n_pattern_sets"] == 4


@pytest.mark.parametrize("profile", ["default", "alternative"])
def test_the_day_after_deprivation_holds_more_sleep_and_discharges_more_pressure(profile, request):
    rec = request.getfixturevalue(profile)
    assert rec["sleep_deprivation_h"] > 0
    assert rec["recovery_extra_h"] > 0.1
    assert rec["recovery_s_drop"] > rec["usual_s_drop"]


def test_exercise_04_3_compares_the_same_24_hours(cell_value, check_cell):
    """The check, run on a 12 h deprivation that ends in the morning (standard set): the right
    answer counts both sleeps of the day after; comparing the first sleeps gets a hint."""
    from helpers import exercises

    std = data.load("two_process_parameters").set_index("set_id").loc["skeldon2025_fig1b"]
    phase = sl.phase_for_wake_time(std, 7.0)
    base, dep, forced = sl.deprivation_scenario(std, days=6, phase_h=phase, deprivation_h=12)
    end = forced[0][1]
    dt = float(base["t_h"].diff().median())

    def sampled_hours(run):  # independent: the run's samples counted where it is asleep
        inside = run[(run["t_h"] >= end) & (run["t_h"] < end + 24)]
        return float(inside["asleep"].sum()) * dt

    exact = (
        sl.sleep_in_window(dep, end, end + 24)["hours"]
        - sl.sleep_in_window(base, end, end + 24)["hours"]
    )
    assert exact == pytest.approx(sampled_hours(dep) - sampled_hours(base), abs=4 * dt)
    ep_b, ep_d = sl.sleep_episodes(base), sl.sleep_episodes(dep)
    first = {
        "without deprivation": ep_b[ep_b["onset_h"] >= end].iloc[0],
        "after deprivation": ep_d[ep_d["onset_h"] >= end].iloc[0],
    }
    first_only = (
        first["after deprivation"]["duration_h"] - first["without deprivation"]["duration_h"]
    )
    assert first_only < 0 < exact  # the morning sleep is short, the day holds more sleep
    ns = {"exercises": exercises, "recovery_extra_h": exact, "first": first}
    check = check_cell("04_sleep_physiology.ipynb", "04.3")
    assert cell_value(check, {**ns, "answer_3": round(exact, 2)}).status == "correct"
    firsts = cell_value(check, {**ns, "answer_3": first_only})
    assert firsts.status != "correct" and "first sleeps" in firsts.message
    assert "minutes" in cell_value(check, {**ns, "answer_3": 60 * exact}).message
    assert "sign" in cell_value(check, {**ns, "answer_3": -exact}).message


def test_night_statistics_are_those_of_the_seeded_hypnogram(default):
    expected = sl.sleep_statistics(sl.simulate_hypnogram(960, seed=2))
    assert default["night_stats"] == pytest.approx(expected)
    assert default["tiny_waso_min"] == 0.5  # W W N1 N2 [W] N2 N3 R W W: one W inside


def test_norms_and_prc_results_come_from_the_tables(default, alternative):
    n3 = data.load("sleep_norms").set_index("row_id")["value"]
    assert default["n3_age_difference_pct"] == n3["ohayon2004_5y_n3"] - n3["ohayon2004_70y_n3"]
    assert default["prc_in_advance_window"] is True  # 3 h before DLMO, window 2-4 h before
    assert alternative["prc_in_advance_window"] is False  # 2 h after DLMO
    assert alternative["prc_hours_from_advance_window"] == pytest.approx(4.0)
    sh = data.load("melatonin_phase_response").set_index("row_id")["shift_mean_h"]
    derived = sh["sharkey2002_0.5mg"] - sh["sharkey2002_placebo"]
    assert default["derived_extra_advance_h"] == pytest.approx(derived)
    # in the model, steady-state wake moves earlier by exactly the circadian advance
    assert default["model_wake_shift_h"] == pytest.approx(derived, abs=1e-4)


def test_adult_per_decade_changes_are_the_primary_meta_analysis_rows(default):
    norms = data.load("sleep_norms")
    rows = norms[norms["source"] == "boulos2019psg"]
    assert default["adult_change_per_decade"] == dict(
        zip(rows["metric"], rows["value"], strict=True)
    )
    # with age, staying asleep gets harder much more than falling asleep
    per = default["adult_change_per_decade"]
    assert per["WASO_change_min_per_decade"] > 5 * per["SOL_change_min_per_decade"] > 0


def test_exercise_04_4_counts_from_the_dose_time_in_the_parameters(cell_value, check_cell):
    from types import SimpleNamespace

    import pandas as pd

    from helpers import DATA_DIR, exercises

    prc = pd.read_csv(DATA_DIR / "melatonin_phase_response.csv")
    row = prc[(prc.dose_mg == 3) & (prc.landmark == "max_advance")].iloc[0]
    peak_before = -row.time_rel_dlmo_from_h  # hours before DLMO, from the CSV itself
    check = check_cell("04_sleep_physiology.ipynb", "04.4")
    for dose_before in (3.0, -2.0):  # the two profiles
        ns = {
            "exercises": exercises,
            "three": pd.Series({"max_advance": row.time_rel_dlmo_from_h}),
            "p": SimpleNamespace(melatonin_hours_before_dlmo=dose_before),
        }
        right = peak_before - dose_before
        assert cell_value(check, {**ns, "answer_4": right}).status == "correct"
        peak = cell_value(check, {**ns, "answer_4": peak_before})
        assert peak.status != "correct" and "subtract the parameter's time" in peak.message
        assert "sign" in cell_value(check, {**ns, "answer_4": -right}).message
