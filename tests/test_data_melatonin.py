"""Lesson 02's melatonin tables: spot facts with their citations, and internal consistency."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import data, pk

MEL_TABLES = [
    "pk_results_melatonin",
    "study_arms_melatonin",
    "pk_model_inputs_melatonin",
    "melatonin_endogenous",
    "dlmo_definitions",
    "supplement_label_accuracy",
    "cyp1a2_modifiers",
]


def row(table, **match):
    return data.row(table, **match)


@pytest.mark.parametrize("name", MEL_TABLES)
def test_tables_load_and_every_row_is_cited(name):
    df = data.load(name)
    assert len(df) > 0
    assert df["source"].notna().all() and df["where"].notna().all()
    assert df["verified"].isin(["primary", "secondary"]).all()


# ------------------------------------------------------------------ spot facts
def test_andersen_2016_table_1():
    """Andersen et al. 2016, BMC Pharmacol Toxicol 17:8, Table 1 (10 mg oral, 12 men)."""
    cmax = row("pk_results_melatonin", result_id="andersen2016_oral_cmax")
    assert (cmax["value"], cmax["dispersion_low"], cmax["dispersion_high"]) == (
        3550.5,
        2500.5,
        8057.5,
    )
    assert cmax["statistic"] == "median" and cmax["dispersion"] == "iqr" and cmax["unit"] == "pg/mL"
    f = row("pk_results_melatonin", result_id="andersen2016_oral_f")
    assert (f["value"], f["dispersion_low"], f["dispersion_high"], f["unit"]) == (
        2.5,
        1.7,
        4.7,
        "%",
    )
    th = row("pk_results_melatonin", result_id="andersen2016_oral_t_half")
    assert (th["value"], th["dispersion_value"], th["unit"]) == (53.7, 7.0, "min")
    tmax = row("pk_results_melatonin", result_id="andersen2016_oral_tmax")
    assert (tmax["value"], tmax["dispersion_value"]) == (40.8, 17.8)
    for r in (cmax, f, th, tmax):
        assert (
            r["source"] == "andersen2016" and r["verified"] == "primary" and r["where"] == "Table 1"
        )


def test_gooneratne_2012_abstract():
    """Gooneratne et al. 2012, J Pineal Res 52:437 (surge-sustained 0.4 and 4 mg, older adults)."""
    assert row("pk_results_melatonin", result_id="gooneratne2012_0_4mg_cmax")["value"] == 405
    assert row("pk_results_melatonin", result_id="gooneratne2012_4mg_cmax")["value"] == 3999
    assert row("pk_results_melatonin", result_id="gooneratne2012_0_4mg_cl_f")["value"] == 379
    assert row("pk_results_melatonin", result_id="gooneratne2012_4mg_t_half")["value"] == 2.1
    above = row("pk_results_melatonin", result_id="gooneratne2012_4mg_above50")
    assert above["value"] == 10 and above["unit"] == "h" and above["source"] == "gooneratne2012"


def test_other_pk_sources():
    assert row("pk_results_melatonin", result_id="demuro2000_oral2_f")["value"] == 15
    assert row("pk_results_melatonin", result_id="aitabdellah2023_pr_cmax")["value"] == 1151
    assert row("pk_results_melatonin", result_id="aitabdellah2023_ir_tmax")["value"] == 23.3
    rng = row("pk_results_melatonin", result_id="harpsoe2015_f_range")
    assert (rng["dispersion_low"], rng["dispersion_high"]) == (9, 33) and pd.isna(rng["value"])
    assert row("pk_results_melatonin", result_id="fourtillan2000_iv_t_half_m")["value"] == 36


def test_night_time_levels_by_age():
    """J Clin Endocrinol Metab 1988;66:648 (PMID 3350912), abstract: mean ± SE, 23:00-01:00."""
    expected = {
        "under_6_months": (27.3, 5.4),
        "1_to_3_years": (329.5, 42.0),
        "15_to_20_years": (62.5, 9.0),
        "70_to_90_years": (29.2, 6.1),
    }
    for gid, (m, se) in expected.items():
        r = row("melatonin_endogenous", group_id=gid)
        assert (r["value_pg_per_ml"], r["dispersion_pg_per_ml"]) == (m, se)
        assert r["source"] == "anon1988melatoninage" and r["sampling_window"] == "23:00-01:00"
    assert row("melatonin_endogenous", group_id="young_adults_stage_v")["value_pg_per_ml"] == 49
    morning = row("melatonin_endogenous", group_id="morning_all_ages")
    assert (morning["range_low_pg_per_ml"], morning["range_high_pg_per_ml"]) == (0, 20)


def test_dlmo_thresholds():
    assert row("dlmo_definitions", definition_id="plasma_10")["threshold_pg_per_ml"] == 10
    assert row("dlmo_definitions", definition_id="saliva_3")["source"] == "crowley2016"
    assert row("dlmo_definitions", definition_id="saliva_4_home")["threshold_pg_per_ml"] == 4
    rel = row("dlmo_definitions", definition_id="saliva_3k")
    assert rel["method"] == "relative_threshold" and pd.isna(rel["threshold_pg_per_ml"])


def test_label_accuracy():
    """Erland & Saxena 2017 (JCSM abstract) and Cohen et al. 2023 (JAMA research letter)."""
    assert row("supplement_label_accuracy", finding_id="erland2017_dev_min")["value"] == -83
    assert row("supplement_label_accuracy", finding_id="erland2017_dev_max")["value"] == 478
    assert row("supplement_label_accuracy", finding_id="erland2017_dev_max")["n_products"] == 31
    assert row("supplement_label_accuracy", finding_id="cohen2023_pct_min")["value"] == 74
    assert row("supplement_label_accuracy", finding_id="cohen2023_pct_max")["value"] == 347
    assert row("supplement_label_accuracy", finding_id="cohen2023_within10")["value"] == 3
    # both studies counted products within or outside ±10 % of the label (the band drawn)
    lab = data.load("supplement_label_accuracy")
    band = lab.dropna(subset=["band_pct"])
    assert set(band["finding_id"]) == {
        "erland2017_outside10",
        "cohen2023_inaccurate",
        "cohen2023_within10",
    }
    assert (band["band_pct"] == 10).all()


def test_cyp1a2_modifiers():
    fluv = row("cyp1a2_modifiers", finding_id="fluvoxamine_auc")
    assert (fluv["value"], fluv["unit"], fluv["n"]) == (17, "fold", 5)
    assert row("cyp1a2_modifiers", finding_id="fluvoxamine_cmax")["value"] == 12
    assert row("cyp1a2_modifiers", finding_id="fluvoxamine_ki_6oh")["value"] == 0.02
    assert row("cyp1a2_modifiers", finding_id="caffeine_auc")["value"] == 120
    assert row("cyp1a2_modifiers", finding_id="caffeine_cmax")["value"] == 142
    smoke = row("cyp1a2_modifiers", finding_id="smoking_exogenous_auc")
    assert smoke["direction"] == "decrease" and pd.isna(smoke["value"])  # magnitude not read


# ------------------------------------------------------------------ consistency
def test_results_and_inputs_point_to_existing_arms_and_results():
    arms = set(data.load("study_arms_melatonin")["arm_id"])
    res = data.load("pk_results_melatonin")
    assert set(res["arm_id"].dropna()) <= arms
    ids = set(res["result_id"])
    inputs = data.load("pk_model_inputs_melatonin")
    assert set(inputs["arm_id"]) <= arms
    for ref in inputs["derived_from"]:
        assert set(ref.split(";")) <= ids, ref


def test_every_simulatable_arm_has_all_four_model_inputs_and_no_other_arm_does():
    arms = data.load("study_arms_melatonin")
    inputs = data.load("pk_model_inputs_melatonin")
    sim = set(arms.loc[arms["simulate"].astype(bool), "arm_id"])
    assert set(inputs["arm_id"]) == sim
    for a in sim:
        got = sorted(inputs.loc[inputs["arm_id"] == a, "parameter"])
        assert got == sorted(["ka_per_h", "ke_per_h", "v_over_f_l", "f"]), a


def test_derived_model_inputs_can_be_recomputed_from_the_published_results():
    res = data.load("pk_results_melatonin").set_index("result_id")
    inputs = data.load("pk_model_inputs_melatonin").set_index("input_id")
    to_h = {"h": 1.0, "min": 1 / 60}
    for arm, tag in [
        ("andersen2016_oral_10mg", "andersen2016_oral"),
        ("gooneratne2012_ss_0_4mg", "gooneratne2012_0_4mg"),
        ("gooneratne2012_ss_4mg", "gooneratne2012_4mg"),
    ]:
        th = res.loc[f"{tag}_t_half"]
        tmax = res.loc[f"{tag}_tmax"]
        cmax = res.loc[f"{tag}_cmax"]
        dose = data.row("study_arms_melatonin", arm_id=arm)["dose_mg"]
        ke = float(pk.ke_from_half_life(th["value"] * to_h[th["unit"]]))
        ka = pk.ka_from_tmax(tmax["value"] * to_h[tmax["unit"]], ke)
        v = pk.v_from_cmax(cmax["value"] / 1e6, dose, ka, ke)
        assert inputs.loc[f"{arm}_ke", "value"] == pytest.approx(ke, rel=1e-5)
        assert inputs.loc[f"{arm}_ka", "value"] == pytest.approx(ka, rel=1e-5)
        assert inputs.loc[f"{arm}_v_over_f", "value"] == pytest.approx(v, rel=1e-5)
        assert (
            inputs.loc[[f"{arm}_ke", f"{arm}_ka", f"{arm}_v_over_f"], "provenance"] == "derived"
        ).all()
    f = inputs.loc["andersen2016_oral_10mg_f"]
    assert (
        f["provenance"] == "reported"
        and f["value"] == res.loc["andersen2016_oral_f", "value"] / 100
    )


def test_spreads_are_ordered_and_ranges_have_no_central_value():
    res = data.load("pk_results_melatonin")
    spread = res.dropna(subset=["dispersion_low", "dispersion_high"])
    assert (spread["dispersion_low"] < spread["dispersion_high"]).all()
    iqr = spread[spread["dispersion"] == "iqr"]
    assert (
        (iqr["dispersion_low"] <= iqr["value"]) & (iqr["value"] <= iqr["dispersion_high"])
    ).all()
    assert res.loc[res["statistic"] == "range", "value"].isna().all()
    assert res.loc[res["statistic"] != "range", "value"].notna().all()


def test_night_levels_follow_the_reported_age_pattern():
    endo = data.load("melatonin_endogenous").set_index("group_id")["value_pg_per_ml"]
    assert (
        endo["1_to_3_years"]
        == endo[["under_6_months", "1_to_3_years", "15_to_20_years", "70_to_90_years"]].max()
    )
    assert endo["70_to_90_years"] < endo["15_to_20_years"]
    assert np.isfinite(endo.drop("morning_all_ages")).all()


def test_label_accuracy_figure_draws_the_band_it_is_given_and_refuses_nonsense():
    from helpers.plots import melatonin as mplots

    fig = mplots.label_accuracy({"study A": (74.0, 347.0)}, band_pct=10)
    band = fig.axes[0].patches[0].get_extents()  # the shaded accuracy band, in display units
    x0, x1 = fig.axes[0].transData.inverted().transform([[band.x0, 0], [band.x1, 0]])[:, 0]
    assert (round(x0), round(x1)) == (90, 110)
    with pytest.raises(ValueError, match="band_pct=150"):
        mplots.label_accuracy({"study A": (74.0, 347.0)}, band_pct=150)
