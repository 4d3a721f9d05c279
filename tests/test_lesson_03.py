"""Lesson 03 (drug interactions): recorded results of the executed notebook."""

from __future__ import annotations

import math

import pytest

from helpers import data, record
from helpers import interactions as ix

pytestmark = pytest.mark.notebooks


@pytest.fixture(scope="module")
def default(executed_notebook):
    return record.read(executed_notebook("default", "03"))


@pytest.fixture(scope="module")
def alternative(executed_notebook):
    return record.read(executed_notebook("alternative", "03"))


def test_default_is_the_midazolam_teaching_case(default):
    assert default["victim"] == "midazolam" and default["enzyme"] == "CYP3A"
    # R1 at the unbound hepatic inlet concentration with Ki = IC50/2 (Tanna 2023 DMD: 1.03)
    assert default["r1_selected"] == pytest.approx(1 + 0.19 / 5.7)
    assert default["r1_selected"] >= default["r1_cutoff_selected"] == 1.02


def test_published_table_is_reproduced(default):
    assert default["r1_hep_repro_max_abs_diff"] < 0.006
    assert default["r1_gut_cyp3a"] == pytest.approx(71, rel=0.01)


def test_time_dependent_inhibition_dominates_reversible(default):
    kdeg = math.log(2) / 72
    kobs = 0.068 * 60 * 0.19 / (4.1 + 0.19)
    assert default["r2_cyp3a_hep"] == pytest.approx((kobs + kdeg) / kdeg, rel=1e-9)
    assert default["r2_cyp3a_hep"] > 10 * (default["r1_hep_cyp3a"] - 1) + 1


def test_mechanistic_model_matches_helper_and_reduces(default):
    expected = ix.mechanistic_static_auc_ratio(
        default["fm"], default["fg"], i_liver_um=0.19, ki_liver_um=5.7, i_gut_um=400, ki_gut_um=5.7
    )
    assert default["aucr_mechanistic"] == pytest.approx(expected)
    assert default["aucr_reduces_to_r1"] is True
    assert default["aucr_mechanistic_with_tdi"] > default["aucr_mechanistic"]


def test_clinical_results_come_from_the_data(default):
    mdz = data.row("clinical_ddi", result_id="tanna2023_mdz_auc")["value"]
    assert default["observed_midazolam_auc_gmr"] == mdz == 1.39
    assert default["observed_dextromethorphan_auc_gmr"] == 0.99
    # predictions overstated the clinical effect
    assert (
        default["predicted_midazolam_mechanistic_published"] > default["observed_midazolam_auc_gmr"]
    )


def test_melatonin_bound_is_small_and_fluvoxamine_far_more_potent(default):
    assert default["melatonin_cyp1a2_r1_upper_bound"] == pytest.approx(1 + 0.19 / 22.5)
    assert default["melatonin_cyp1a2_r1_upper_bound"] < 1.02
    assert default["fluvoxamine_vs_mitragynine_cyp1a2_ki_fold"] == pytest.approx(22.5 / 0.02)


def test_alternative_profile_switches_to_melatonin(alternative):
    assert alternative["victim"] == "melatonin" and alternative["enzyme"] == "CYP1A2"
    assert alternative["inhibitor_scenario"] == "tanna_cmax_highest"
    assert alternative["r1_selected"] == pytest.approx(1 + 0.177 / 22.5)
    # fm = 1 and no gut term for CYP1A2: the mechanistic model equals R1
    assert alternative["aucr_mechanistic"] == pytest.approx(alternative["r1_selected"])


LESSON = "03_interactions.ipynb"


def test_exercise_03_4_reads_the_observed_interval_against_no_change(cell_value, check_cell):
    from helpers import exercises

    obs = data.load("clinical_ddi").set_index("result_id")
    lo, hi = obs.loc["tanna2023_mdz_auc", ["ci_lower", "ci_upper"]]
    assert 1 < lo < hi  # a rise in midazolam exposure was shown
    ns = {"exercises": exercises, "obs": obs}
    assert cell_value(check_cell(LESSON, "03.4"), {**ns, "answer_4": True}).status == "correct"
    assert cell_value(check_cell(LESSON, "03.4"), {**ns, "answer_4": False}).status != "correct"


def test_exercise_03_5_rejects_the_total_peak_concentration(cell_value, check_cell):
    from helpers import exercises

    scen = data.load("inhibitor_scenarios").set_index("scenario_id")["concentration_um"]
    ki = data.row("cyp_inhibition_in_vitro", inhibition_id="mtg_cyp1a2_review")["ki_um"]
    right = ix.basic_static_r(scen["tanna_hepatic_inlet_unbound"], ki)
    ns = {"exercises": exercises, "r1_mel_upper": right}
    for answer, ok in [
        (right, True),
        (round(right, 4), True),  # five significant digits
        (ix.basic_static_r(scen["tanna_cmax_highest"], ki), False),  # total peak, not unbound inlet
        (round(right, 3), False),  # 1.008: the digits that carry I/Ki are cut off
    ]:
        assert (
            cell_value(check_cell(LESSON, "03.5"), {**ns, "answer_5": answer}).status == "correct"
        ) is ok


def test_exercise_03_3_needs_the_gut_term(cell_value, check_cell):
    from helpers import exercises

    scen = data.load("inhibitor_scenarios").set_index("scenario_id")["concentration_um"]
    rev3a = ix.pick_inhibition(data.load("cyp_inhibition_in_vitro"), "mitragynine", "CYP3A")
    i_liver, i_gut, ki = (
        scen["tanna_hepatic_inlet_unbound"],
        scen["tanna_gut_lumen"],
        rev3a["ki_um"],
    )
    # the exercise reads CYP3A inputs whatever the lesson's victim: the namespace holds only them
    ns = {"exercises": exercises, "ix": ix, "rev3a": rev3a, "ihep": i_liver, "igut": i_gut}
    # independent closed form: gut term 1 / (Ag (1 - Fg) + Fg) with Ag = 1 / (1 + I/Ki), liver R1
    ag = 1 / (1 + i_gut / ki)
    right = 1 / (ag * 0.5 + 0.5) * (1 + i_liver / ki)
    assert cell_value(check_cell(LESSON, "03.3"), {**ns, "answer_3": right}).status == "correct"
    no_gut = cell_value(check_cell(LESSON, "03.3"), {**ns, "answer_3": 1 + i_liver / ki})
    assert no_gut.status != "correct" and "R1" in no_gut.message
