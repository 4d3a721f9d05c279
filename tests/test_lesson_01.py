"""Lesson 01 (kratom pharmacology): recorded results of the executed notebook, both profiles."""

from __future__ import annotations

import math

import pytest

from helpers import data, pk, receptors, record

pytestmark = pytest.mark.notebooks


@pytest.fixture(scope="module")
def default(executed_notebook):
    return record.read(executed_notebook("default", "01"))


@pytest.fixture(scope="module")
def alternative(executed_notebook):
    return record.read(executed_notebook("alternative", "01"))


def _cmax(analyte):
    df = data.load("pk_results_kratom")
    hit = df[(df.study == "Tanna 2022") & (df.analyte == analyte) & (df.parameter == "cmax")]
    return float(hit.value.iloc[0])


def _ki(ligand):
    df = data.load("receptor_pharmacology")
    return float(
        df[(df.source == "obeng2021mor") & (df.measure == "ki") & (df.ligand == ligand)].value.iloc[
            0
        ]
    )


def test_occupancy_follows_from_the_data(default):
    mit, oh = "mitragynine", "7-hydroxymitragynine"
    assert default["occupancy_mitragynine_as_printed"] == pytest.approx(
        float(receptors.occupancy(_cmax(mit), _ki(mit)))
    )
    assert default["occupancy_7oh_transposed"] == pytest.approx(
        float(receptors.occupancy(_cmax(oh), _ki(mit)))
    )
    # the two readings of one abstract change the answer several-fold: the lesson's point
    assert (
        default["occupancy_mitragynine_as_printed"]
        > 3 * default["occupancy_mitragynine_transposed"]
    )


def test_short_sampling_window_gives_worse_half_life(default):
    assert default["t_half_true_h"] == 23.24  # Trakulsrichai 2015 mean, from the data
    assert default["t_half_median_abs_error_24h"] > 2 * default["t_half_median_abs_error_120h"]
    assert default["auc_extrapolated_fraction_24h_median"] > 0.3


def test_repeated_dosing_matches_accumulation_theory(default):
    assert default["regimen"] == "huestis2024_500mg_daily"
    assert default["trough_accumulation_typical"] == pytest.approx(
        default["accumulation_ratio_theory"], rel=0.02
    )
    mi = data.row("pk_model_inputs_kratom", arm_id="huestis2024_500mg_daily", analyte="mitragynine")
    assert default["accumulation_ratio_theory"] == pytest.approx(
        float(pk.accumulation_ratio_from_ke(mi.ke_per_h, 24.0))
    )


def test_one_compartment_model_honours_auc_but_misses_the_peak(default):
    assert default["auc_model_over_observed_mitragynine"] == pytest.approx(1.0, rel=0.01)
    assert default["cmax_model_over_observed_mitragynine"] < 0.2


def test_dimensionless_results(default, alternative):
    assert default["accumulation_ratio_user"] == pytest.approx(2.0)
    assert default["time_to_steady_state_half_lives"] == pytest.approx(math.log2(10))
    assert alternative["accumulation_ratio_user"] == pytest.approx(1 / (1 - 2**-2.5))
    assert alternative["time_to_steady_state_half_lives"] == pytest.approx(-math.log2(0.03))


def test_alternative_profile_simulates_another_arm(alternative):
    assert alternative["regimen"] == "tanna2022_2g_single"
    assert alternative["alkaloid"] == "7-hydroxymitragynine"
    assert alternative["trough_accumulation_typical"] is None  # single dose: nothing accumulates


def test_explorer_rendered_and_safety_domains_listed(default):
    assert 0 < default["explorer_redraw_s"] < 1.0  # measured precisely in benchmarks/bench_pk.py
    assert {"dependence_withdrawal", "liver", "seizures", "qt_cardiac"} <= set(
        default["safety_domains"]
    )


NB = "01_kratom_pharmacology.ipynb"


def test_exercise_01_1_explains_the_generating_ec50(cell_value, check_cell):
    import numpy as np
    from scipy.optimize import least_squares

    from helpers import exercises

    conc = np.logspace(-1, 4, 11)
    response = receptors.operational_model(conc, 300.0, 1.5) + np.random.default_rng(2024).normal(
        0.0, 1.5, conc.size
    )

    # an independent Hill fit (least_squares on log EC50), not the helper the lesson uses
    def resid(q):
        emax, log_ec50, n = q
        return emax * conc**n / ((10**log_ec50) ** n + conc**n) - response

    fit = least_squares(resid, [100.0, 2.0, 1.0])
    ns = {
        "exercises": exercises,
        "receptors": receptors,
        "conc_nm": conc,
        "response": response,
        "demo_ka_nm": 300.0,
        "demo_tau": 1.5,
    }
    check = check_cell(NB, "01.1")
    assert cell_value(check, {**ns, "answer_1": 10 ** fit.x[1]}).status == "correct"
    truth = cell_value(check, {**ns, "answer_1": 120.0})  # KA / (1 + τ) of the made-up agonist
    assert truth.status != "correct" and "KA / (1 + τ)" in truth.message
    assert "KA" in cell_value(check, {**ns, "answer_1": 300.0}).message


def test_exercise_01_2_is_blank_in_the_table_and_hints_the_other_readings(
    default, cell_value, check_cell, executed_notebook
):
    import pandas as pd

    from helpers import exercises

    mit, oh = "mitragynine", "7-hydroxymitragynine"
    occ = pd.DataFrame(
        {
            "occupancy as printed": [_cmax(m) / (_cmax(m) + _ki(m)) for m in (mit, oh)],
            "occupancy if transposed": [
                _cmax(mit) / (_cmax(mit) + _ki(oh)),
                _cmax(oh) / (_cmax(oh) + _ki(mit)),
            ],
        },
        index=[mit, oh],
    )
    ns = {"exercises": exercises, "occ": occ}
    check = check_cell(NB, "01.2")
    right = occ.loc[oh, "occupancy if transposed"]
    assert cell_value(check, {**ns, "answer_2": right}).status == "correct"
    printed = cell_value(check, {**ns, "answer_2": occ.loc[oh, "occupancy as printed"]})
    assert printed.status != "correct" and "as printed" in printed.message
    assert (
        "mitragynine's row"
        in cell_value(check, {**ns, "answer_2": occ.loc[mit, "occupancy if transposed"]}).message
    )
    # no output a learner sees (tables, text, figures' captions) prints the answer
    import nbformat

    nb = nbformat.read(executed_notebook("default", "01"), as_version=4)
    shown = "".join(
        str(out.get("text", ""))
        + "".join(str(v) for k, v in out.get("data", {}).items() if k.startswith("text/"))
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
    )
    assert "occupancy if transposed" in shown and f"{right:.3f}" not in shown


def test_exercise_01_3_asks_for_the_interval_of_a_target_accumulation(
    default, alternative, cell_value, check_cell
):
    from types import SimpleNamespace

    import numpy as np
    from scipy.optimize import brentq

    from helpers import exercises

    check = check_cell(NB, "01.3")
    for target, interval in ((3.0, 1.0), (1.5, 2.5)):
        # the interval whose accumulation ratio is the target, found by root-finding
        x = brentq(lambda t, r=target: float(pk.accumulation_ratio(t)) - r, 0.01, 20.0, xtol=1e-12)
        ns = {
            "exercises": exercises,
            "np": np,
            "pk": pk,
            "p": SimpleNamespace(target_accumulation=target, interval_in_half_lives=interval),
        }
        assert cell_value(check, {**ns, "answer_3": x}).status == "correct"
        assert cell_value(check, {**ns, "answer_3": round(x, 3)}).status == "correct"
        forward = cell_value(check, {**ns, "answer_3": float(pk.accumulation_ratio(interval))})
        assert forward.status != "correct" and "the example interval" in forward.message
    assert default["interval_for_target_accumulation"] == pytest.approx(math.log2(1.5))
    assert alternative["interval_for_target_accumulation"] == pytest.approx(math.log2(3.0))


def test_exercise_01_4_hints_the_missing_fraction_mix_up(cell_value, check_cell):
    from types import SimpleNamespace

    import numpy as np

    from helpers import exercises

    ns = {"exercises": exercises, "np": np, "p": SimpleNamespace(steady_state_fraction=0.9)}
    check = check_cell(NB, "01.4")
    assert cell_value(check, {**ns, "answer_4": math.log(10) / math.log(2)}).status == "correct"
    swapped = cell_value(check, {**ns, "answer_4": -math.log2(0.9)})
    assert swapped.status != "correct" and "still" in swapped.message
    assert "log2(1" not in swapped.message and "log2(1" not in check.split("hint=")[1]


def test_3s_alkaloids_have_larger_volumes_and_longer_half_lives():
    """The caption's statement, read off the data: every 3S value above every 3R value."""
    df = data.load("pk_results_kratom")
    tanna = df[(df.study == "Tanna 2022") & df.c3_configuration.notna()]
    for param in ("vz_over_f", "t_half"):
        v = tanna[tanna.parameter == param].groupby("c3_configuration")["value"]
        assert v.min()["3S"] > v.max()["3R"], param
