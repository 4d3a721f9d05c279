"""Spot facts and integrity of the interaction tables (lesson 03), with their citations."""

from __future__ import annotations

import pytest

from helpers import data

TABLES = ["cyp_inhibition_in_vitro", "clinical_ddi", "ddi_cutoffs", "inhibitor_scenarios"]


@pytest.mark.parametrize("name", TABLES)
def test_tables_validate_and_carry_provenance(name):
    data.validate(name)
    df = data.load(name)
    assert df["source"].notna().all() and df["where"].notna().all()
    assert df["verified"].isin(["primary", "secondary"]).all()


def test_tanna2023_cpt_midazolam_and_dextromethorphan():
    """Tanna et al. 2023, Clin Pharmacol Ther, abstract: GMR (90% CI), n = 12."""
    m = data.row("clinical_ddi", result_id="tanna2023_mdz_auc")
    assert (m["value"], m["ci_lower"], m["ci_upper"], m["n"]) == (1.39, 1.23, 1.57, 12)
    assert m["source"] == "tanna2023cpt" and m["ci_level_pct"] == 90
    c = data.row("clinical_ddi", result_id="tanna2023_mdz_cmax")
    assert (c["value"], c["ci_lower"], c["ci_upper"]) == (1.50, 1.32, 1.70)
    t = data.row("clinical_ddi", result_id="tanna2023_mdz_thalf")
    assert (t["value"], t["ci_lower"], t["ci_upper"]) == (1.07, 0.98, 1.17)
    d = data.row("clinical_ddi", result_id="tanna2023_dxm_auc")
    assert (d["value"], d["ci_lower"], d["ci_upper"]) == (0.99, 0.83, 1.19)
    d = data.row("clinical_ddi", result_id="tanna2023_dxm_cmax")
    assert (d["value"], d["ci_lower"], d["ci_upper"]) == (0.96, 0.78, 1.19)


def test_tanna2021_jpet_tdi_and_ki_and_predictions():
    """Tanna et al. 2021, J Pharmacol Exp Ther 376(1):64, abstract."""
    hlm = data.row("cyp_inhibition_in_vitro", inhibition_id="mtg_cyp3a_tdi_hlm")
    assert (hlm["tdi_ki_um"], hlm["tdi_ki_sd_um"], hlm["kinact_per_min"]) == (4.1, 0.9, 0.068)
    him = data.row("cyp_inhibition_in_vitro", inhibition_id="mtg_cyp3a_tdi_him")
    assert (him["tdi_ki_um"], him["tdi_ki_sd_um"], him["kinact_per_min"]) == (4.2, 2.5, 0.079)
    k = data.row("cyp_inhibition_in_vitro", inhibition_id="mtg_cyp2d6_ki_hlm")
    assert (k["ki_um"], k["ki_sd_um"], k["ki_kind"]) == (1.17, 0.07, "competitive")
    assert data.row("clinical_ddi", result_id="tanna2021_mdz_pred")["value"] == 5.69
    assert data.row("clinical_ddi", result_id="tanna2021_dxm_pred")["value"] == 1.06
    assert data.row("ddi_cutoffs", cutoff_id="aucr_mechanistic")["value"] == 1.25


def test_tanna2023_dmd_table5_panel():
    """Tanna et al. 2023, Drug Metab Dispos 51:923, Table 5 (IC50, Ki = IC50/2, R values)."""
    t = data.load("cyp_inhibition_in_vitro").set_index("inhibition_id")
    expect = {
        "mtg_cyp1a2_review": (45, 22.5, 1.01),
        "mtg_cyp2c8_review": (33.5, 16.8, 1.01),
        "mtg_cyp2c9_review": (39.7, 19.9, 1.01),
        "mtg_cyp2c19_review": (10.5, 5.25, 1.04),
        "mtg_cyp2d6_review": (0.67, 0.34, 1.57),
        "mtg_cyp3a_review": (11.4, 5.7, 1.03),
    }
    for rid, (ic50, ki, r1hep) in expect.items():
        assert (t.loc[rid, "ic50_um"], t.loc[rid, "ki_um"], t.loc[rid, "published_r1_hep"]) == (
            ic50,
            ki,
            r1hep,
        )
        assert t.loc[rid, "source"] == "tanna2023dmd" and t.loc[rid, "verified"] == "secondary"
    assert t.loc["mtg_cyp1a2_review", "relation"] == ">"
    assert t.loc["mtg_cyp3a_review", "published_r1_gut"] == 71
    s = data.load("inhibitor_scenarios").set_index("scenario_id")
    assert s.loc["tanna_gut_lumen", "concentration_um"] == 400
    assert s.loc["tanna_hepatic_inlet_unbound", "concentration_um"] == 0.19
    c = data.load("ddi_cutoffs").set_index("cutoff_id")
    assert c.loc["r1_basic_reversible", "value"] == 1.02
    assert c.loc["r1_gut_basic_reversible", "value"] == 11
    assert c.loc["igut_volume", "value"] == 250


def test_tanna2022_cmax_conversions_are_derived_and_exact():
    """Tanna et al. 2022 (via the 2023 review, Table 3): Cmax 81.9 (50.1-177) nM, median of 5."""
    s = data.load("inhibitor_scenarios").set_index("scenario_id")
    assert s.loc["tanna_cmax_median", "concentration_um"] * 1000 == pytest.approx(81.9)
    assert s.loc["tanna_cmax_highest", "concentration_um"] * 1000 == pytest.approx(177)
    assert (s.loc[["tanna_cmax_median", "tanna_cmax_highest"], "provenance"] == "derived").all()
    assert (s.loc[["tanna_cmax_median", "tanna_cmax_highest"], "verified"] == "secondary").all()


def test_hanapi2013_kong2011_hartter2001_weigmann2000_galetin2006():
    t = data.load("cyp_inhibition_in_vitro").set_index("inhibition_id")
    # Hanapi et al. 2013, Pharmacognosy Res, abstract
    assert (t.loc["mtg_cyp2c9_hanapi", "ic50_um"], t.loc["mtg_cyp2c9_hanapi", "ki_um"]) == (
        9.70,
        61.48,
    )
    assert (t.loc["mtg_cyp3a4_hanapi", "ic50_um"], t.loc["mtg_cyp3a4_hanapi", "ki_um"]) == (
        41.32,
        379.18,
    )
    assert t.loc["mtg_cyp2d6_hanapi", "ki_um"] == 12.86
    assert (
        t.loc["mtg_cyp2d6_hanapi", "ic50_um"] != t.loc["mtg_cyp2d6_hanapi", "ic50_um"]
    )  # unit doubtful: left out
    # Kong et al. 2011, Molecules, abstract (extract, µg/mL)
    assert t.loc["mse_cyp3a4_kong", "ic50_ug_per_ml"] == 0.78
    assert t.loc["mse_cyp2d6_kong", "ic50_ug_per_ml"] == 0.636
    assert t.loc["mse_cyp1a2_kong", "ic50_ug_per_ml"] == 39
    # Härtter et al. 2001, J Clin Psychopharmacol, abstract
    assert t.loc["fvx_cyp1a2_6oh", "ki_um"] == 0.02 and t.loc["fvx_cyp1a2_nas", "ki_um"] == 0.05
    # Weigmann et al. 2000: fluvoxamine + melatonin, n = 5
    a = data.row("clinical_ddi", result_id="weigmann2000_mel_auc")
    assert (a["value"], a["n"]) == (17, 5)
    assert data.row("clinical_ddi", result_id="weigmann2000_mel_cmax")["value"] == 12
    # Galetin et al. 2006, Drug Metab Dispos, abstract: mean CYP3A4 t1/2,deg 3 days
    assert data.row("ddi_cutoffs", cutoff_id="cyp3a4_degradation_half_life")["value"] == 3


def test_one_preferred_row_per_perpetrator_enzyme_mechanism():
    t = data.load("cyp_inhibition_in_vitro")
    pref = t[t["preferred"].astype(bool)]
    assert not pref.duplicated(["perpetrator", "enzyme", "mechanism"]).any()
    # every victim enzyme of the clinical table has a preferred mitragynine row
    enzymes = set(data.load("clinical_ddi")["enzyme"])
    have = set(pref.loc[pref["perpetrator"] == "mitragynine", "enzyme"])
    assert enzymes <= have


def test_no_kratom_melatonin_clinical_result_is_claimed():
    d = data.load("clinical_ddi")
    mel = d[d["object_drug"] == "melatonin"]
    assert set(mel["precipitant"]) == {"fluvoxamine"}


def test_cutoffs_say_the_guidance_text_was_not_read():
    c = data.load("ddi_cutoffs")
    cut = c[c["kind"] == "decision_cutoff"]
    assert (cut["verified"] == "secondary").all()
    assert (cut["guidance_section"] == "not read").all()
