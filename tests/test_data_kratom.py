"""Spot-fact and consistency tests for the kratom pharmacology tables (lesson 01)."""

from __future__ import annotations

import math

import pytest

from helpers import data, pk

TABLES = [
    "molar_masses",
    "receptor_pharmacology",
    "pk_results_kratom",
    "study_arms_kratom",
    "pk_model_inputs_kratom",
    "alkaloid_content",
    "kratom_safety_pharmacology",
]


@pytest.mark.parametrize("name", TABLES)
def test_tables_load_and_carry_provenance(name):
    df = data.load(name)
    assert len(df) > 0
    assert df["source"].notna().all()
    assert set(df["verified"]) <= {"primary", "secondary"}
    if "provenance" in df:
        derived = df[df["provenance"] == "derived"]
        assert derived["notes"].notna().all(), "derived rows must say how in notes"


def _pk(study, analyte, parameter, **kw):
    df = data.load("pk_results_kratom")
    m = (df.study == study) & (df.analyte == analyte) & (df.parameter == parameter)
    for k, v in kw.items():
        m &= df[k] == v
    hits = df[m]
    assert len(hits) == 1, hits
    return hits.iloc[0]


def test_tanna_2022_mitragynine_values_as_in_review_table_3():
    # Tanna et al. 2022, read in Tanna et al. 2023 Drug Metab Dispos Table 3: median (range), n = 5
    r = _pk("Tanna 2022", "mitragynine", "t_half")
    assert (r.value, r.range_low, r.range_high, r.n) == (45.3, 31.9, 50.2, 5)
    assert r.source == "tanna2022pk" and r.verified == "secondary"
    assert _pk("Tanna 2022", "mitragynine", "cmax").value == 81.9
    assert _pk("Tanna 2022", "mitragynine", "auc_inf").value == 420
    assert _pk("Tanna 2022", "mitragynine", "cl_over_f").value == 233
    assert _pk("Tanna 2022", "7-hydroxymitragynine", "t_half").value == 5.67
    assert _pk("Tanna 2022", "speciociliatine", "auc_inf").value == 5120


def test_trakulsrichai_2015_half_life_and_sampling_caveat():
    r = _pk("Trakulsrichai 2015", "mitragynine", "t_half")
    assert (r.value, r.sd, r.statistic) == (23.24, 16.07, "mean_sd")
    assert r.source == "trakulsrichai2015" and r.verified == "primary"
    assert "0-24 h" in r.notes


def test_obeng_2021_ki_values_kept_with_transposition_caveat():
    df = data.load("receptor_pharmacology")
    ki = df[(df.source == "obeng2021mor") & (df.measure == "ki")].set_index("ligand")
    assert ki.loc["mitragynine", "value"] == 77.9
    assert ki.loc["7-hydroxymitragynine", "value"] == 709
    assert ki["notes"].str.contains("transposed").all()


def test_disagreement_on_mitragynine_efficacy_keeps_both_rows():
    df = data.load("receptor_pharmacology")
    mor = df[
        (df.ligand == "mitragynine") & (df.receptor == "MOR") & (df.measure == "functional_class")
    ]
    texts = " | ".join(mor.value_text)
    assert "antagonist" in texts and "partial agonist" in texts
    assert {"obeng2021mor", "kruegel2016"} <= set(mor.source)


def test_melatonin_mt1_mt2_affinity():
    df = data.load("receptor_pharmacology")
    pkd = df[(df.ligand == "melatonin") & (df.measure == "pkd")].set_index("receptor")["value"]
    assert pkd["MT1"] == 9.89 and pkd["MT2"] == 9.56


def test_morphine_comparator_ki():
    r = data.row("receptor_pharmacology", ligand="morphine", measure="ki")
    assert r.value == 1.2 and r.source == "anon1991mubinding"


def test_molar_masses_match_formulae():
    mm = data.load("molar_masses").set_index("substance")
    assert mm.loc["mitragynine", "molar_mass_g_per_mol"] == pytest.approx(398.495, abs=0.01)
    assert mm.loc["7-hydroxymitragynine", "molar_mass_g_per_mol"] == pytest.approx(414.49, abs=0.02)
    assert mm.loc["melatonin", "molar_mass_g_per_mol"] == pytest.approx(232.2783)
    assert mm.loc["morphine", "molar_mass_g_per_mol"] == pytest.approx(285.34, abs=0.01)


def test_tanna_mitragynine_auc_consistent_with_cl_and_dose():
    """AUC = dose / (CL/F): 39 mg / 233 L/h in nM·h matches the reported 420 nM·h."""
    mw = data.row("molar_masses", substance="mitragynine").molar_mass_g_per_mol
    auc_mg_h_per_l = 39 / _pk("Tanna 2022", "mitragynine", "cl_over_f").value
    auc_nm_h = pk.ng_per_ml_to_nm(auc_mg_h_per_l * 1000, mw)
    assert auc_nm_h == pytest.approx(_pk("Tanna 2022", "mitragynine", "auc_inf").value, rel=0.01)


def test_model_inputs_reproduce_the_published_medians():
    mi = data.load("pk_model_inputs_kratom").set_index(["arm_id", "analyte"])
    assert (data.load("pk_model_inputs_kratom").provenance == "derived").all()
    arms = set(data.load("study_arms_kratom").arm_id)
    assert set(mi.index.get_level_values(0)) <= arms
    m = mi.loc[("tanna2022_2g_single", "mitragynine")]
    assert math.log(2) / m.ke_per_h == pytest.approx(45.3, rel=1e-4)
    assert pk.tmax_one_compartment(m.ka_per_h, m.ke_per_h) == pytest.approx(1.0, rel=1e-4)
    assert m.v_over_f_l * m.ke_per_h == pytest.approx(233, rel=1e-4)  # CL/F
    o = mi.loc[("tanna2022_2g_single", "7-hydroxymitragynine")]
    mw = data.row("molar_masses", substance="7-hydroxymitragynine").molar_mass_g_per_mol
    auc_nm_h = pk.ng_per_ml_to_nm(1000 * o.dose_mg / (o.v_over_f_l * o.ke_per_h), mw)
    assert auc_nm_h == pytest.approx(106, rel=1e-3)


def test_study_arms_doses():
    arms = data.load("study_arms_kratom").set_index("arm_id")
    assert arms.loc["tanna2022_2g_single", "leaf_dose_mg"] == 2000
    assert arms.loc["huestis2024_500mg_daily", "mitragynine_dose_mg"] == 6.65
    assert arms.loc["huestis2024_4000mg_daily", "mitragynine_dose_mg"] == 53.2
    assert (
        arms.loc["huestis2024_4000mg_daily", "n_doses"],
        arms.loc["huestis2024_4000mg_daily", "interval_h"],
    ) == (15, 24)


def test_alkaloid_content_spot_facts():
    ac = data.load("alkaloid_content")
    k51 = ac[ac["product"].str.contains("K51")].set_index("alkaloid")
    assert k51.loc["mitragynine", "content_mg_per_g"] == 19.48
    assert bool(k51.loc["7-hydroxymitragynine", "below_loq"])
    seven = ac[(ac.source == "brown2025") & (ac.alkaloid == "7-hydroxymitragynine")].iloc[0]
    assert (seven.range_low_mg_per_g, seven.range_high_mg_per_g) == (22, 75)


def test_safety_rows_name_their_kind_of_evidence():
    sf = data.load("kratom_safety_pharmacology")
    assert {"dependence_withdrawal", "liver", "seizures", "qt_cardiac"} <= set(sf.domain)
    seiz = sf[sf.domain == "seizures"].iloc[0]
    assert seiz.value == 6.1 and seiz.source == "eggleston2019"
    assert "poison-centre" in seiz.evidence_kind
    animal = sf[sf.evidence_kind.str.contains("animal")]
    assert animal["notes"].str.contains("not a human outcome").all()


def test_trakulsrichai_sampling_design_as_published():
    # abstract: blood concentrations "at 17 times points"; review (Tanna et al. 2023, Table 3
    # footnote b): "blood was collected from 0 to 24 hours"
    pk = data.load("pk_results_kratom")
    trak = pk[pk["study"] == "Trakulsrichai 2015"]
    blood = trak[trak["parameter"] != "urine_unchanged_fraction"]
    assert (blood["sampling_last_h"] == 24).all() and (blood["n_sampling_times"] == 17).all()
    urine = trak[trak["parameter"] == "urine_unchanged_fraction"]
    assert urine[["sampling_last_h", "n_sampling_times"]].isna().all().all()  # blood design only
    others = pk[pk["study"] != "Trakulsrichai 2015"]
    assert others[["sampling_last_h", "n_sampling_times"]].isna().all().all()  # not read: empty


def test_pk_dosing_agrees_with_the_arm_and_the_row_notes():
    res = data.load("pk_results_kratom")
    arms = data.load("study_arms_kratom").set_index("arm_id")
    # rows of a simulated arm: single dose exactly when the arm has one dose
    with_arm = res[res["arm_id"].notna()]
    single_arm = with_arm["arm_id"].map(arms["n_doses"]).eq(1)
    assert (with_arm["dosing"].eq("single dose") == single_arm).all()
    # Huestis 2024 reports both: each row's notes open with its dosing
    huestis = res[res["study"] == "Huestis 2024"]
    opening = huestis["notes"].str.extract(r"^(Single dose|After \d+ daily doses)", expand=False)
    assert (opening.str.lower() == huestis["dosing"].str.lower()).all()
    assert set(huestis["dosing"]) == {"single dose", "after 15 daily doses"}
    assert huestis.groupby("dosing").size().to_dict() == {
        "after 15 daily doses": 4,
        "single dose": 4,
    }
    # the regular users were sampled at steady state, as their notes say
    trak = res[res["study"] == "Trakulsrichai 2015"]
    assert trak["notes"].str.contains("steady state after a 7-day run-in").all()
    assert trak["dosing"].eq("steady state after a 7-day run-in").all()
