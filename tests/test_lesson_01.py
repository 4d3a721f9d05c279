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
