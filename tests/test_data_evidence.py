"""Spot facts of lesson 07's tables, each checked against the source named in the test."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import cite, data, evidence

TABLES = [
    "melatonin_meta_analyses",
    "melatonin_trials",
    "meta_teaching_dataset",
    "kratom_evidence",
    "grade_domains",
    "rob2_domains",
    "cebm_levels",
    "signal_thresholds",
    "appraisal_rules",
]


@pytest.mark.parametrize("name", TABLES)
def test_table_loads_and_every_source_is_in_the_bibliography(name):
    df = data.load(name)
    assert len(df) > 0
    keys = set(cite.entries())
    assert set(df["source"]) <= keys
    assert set(df["verified"]) <= {"primary", "secondary"}
    assert df["where"].notna().all()


def test_bcg_teaching_data_reproduce_metafor_published_reml_result():
    # Colditz et al. 1994 as printed in metadat dat.bcg; metafor README: REML tau^2 0.3132, -0.7145
    bcg = data.load("meta_teaching_dataset")
    assert len(bcg) == 13
    row = bcg.set_index("trial").loc[8]
    assert (row["author"], row["tb_vaccinated"], row["no_tb_vaccinated"]) == (
        "TPT Madras",
        505,
        87886,
    )
    yi, vi = evidence.log_risk_ratio(
        bcg["tb_vaccinated"],
        bcg["tb_vaccinated"] + bcg["no_tb_vaccinated"],
        bcg["tb_control"],
        bcg["tb_control"] + bcg["no_tb_control"],
    )
    r = evidence.meta_analysis(yi, vi, method="REML")
    assert r.tau2 == pytest.approx(0.3132, abs=5e-5)
    assert r.estimate == pytest.approx(-0.7145, abs=5e-5)


def test_melatonin_trials_match_the_extraction_and_its_own_smds():
    # LMD-nat/melatonin Data/SleepLatency.csv: Ahn 2019 44.1 (37.9) n=16 vs 50.3 (41.6) n=18
    t = data.load("melatonin_trials").set_index("study")
    ahn = t.loc["Ahn 2019"]
    assert (ahn["mean_melatonin_min"], ahn["sd_melatonin_min"], ahn["n_melatonin"]) == (
        44.1,
        37.9,
        16,
    )
    assert (ahn["mean_control_min"], ahn["sd_control_min"], ahn["n_control"]) == (50.3, 41.6, 18)
    assert len(t) == 11 and set(t["rob_overall"]) == {"low", "some concerns", "high"}
    assert (t["rob_overall"] == "high").sum() == 3
    g, _ = evidence.standardized_mean_difference(
        t["mean_melatonin_min"], t["sd_melatonin_min"], t["n_melatonin"],
        t["mean_control_min"], t["sd_control_min"], t["n_control"],
    )  # fmt: skip
    reported = t["smd_ci_reported"].str.split(" ").str[0].astype(float).to_numpy()
    assert np.max(np.abs(g - reported)) <= 0.015  # RevMan's SMDs, to rounding
    assert t["notes"].str.contains("Data-quality flag").sum() == 3


def test_meta_analysis_rows_as_published():
    m = data.load("melatonin_meta_analyses").set_index("analysis_id")
    # Ferracioli-Oda 2013 abstract: WMD 7.06 min reduction [4.37, 9.75]; 19 studies, 1683 subjects
    sol = m.loc["ferracioli2013_sol"]
    assert (sol["effect"], sol["ci_low"], sol["ci_high"]) == (-7.06, -9.75, -4.37)
    assert (sol["k_studies"], sol["n_participants"], sol["provenance"]) == (19, 1683, "derived")
    # Buscemi 2005 abstract: -11.7 (-18.2, -5.2); insomnia -7.2 (-12.0, -2.4), n = 12
    assert tuple(m.loc["buscemi2005_sol", ["effect", "ci_low", "ci_high"]]) == (-11.7, -18.2, -5.2)
    assert m.loc["buscemi2005_sol_insomnia", "k_studies"] == 12
    assert (m["ci_low"] <= m["effect"]).all() and (m["effect"] <= m["ci_high"]).all()


def test_kratom_evidence_spot_facts():
    k = data.load("kratom_evidence").set_index("study_id")
    # MMWR 2019;68:326-7: 27,338 deaths, 152 kratom-positive
    assert (k.loc["olsen2019", "n"], k.loc["olsen2019", "key_value"]) == (27338, 152)
    assert "7 where kratom was the only substance" in k.loc["olsen2019", "finding"]
    # Li 2023 Clin Transl Sci: 489 reports, 94.2% since 2018
    assert (k.loc["li2023faers", "n"], k.loc["li2023faers", "key_value"]) == (489, 94.2)
    # Garcia-Romeu 2020: 2,798 respondents, 41% used kratom to stop or reduce opioids
    assert (k.loc["garciaromeu2020", "n"], k.loc["garciaromeu2020", "key_value"]) == (2798, 41)
    # Vicknasingam 2020: 26 men; pain tolerance 24.9 s after kratom
    assert (k.loc["vicknasingam2020", "n"], k.loc["vicknasingam2020", "key_value"]) == (26, 24.9)
    assert set(k["evidence_type"]) == {
        "survey", "national_prevalence", "dependence_withdrawal", "poison_centre",
        "mortality", "spontaneous_reports", "controlled_human",
    }  # fmt: skip


def test_appraisal_reference_tables():
    g = data.load("grade_domains").set_index("domain_id")
    assert g.loc["start_randomized", "levels"] == "high"
    assert g.loc["start_observational", "levels"] == "low"
    # the domain ids are the keywords of helpers.evidence.grade_certainty
    down = set(g.index[g["kind"] == "down"])
    up = set(g.index[g["kind"] == "up"])
    assert down == set(evidence.DOWNGRADE_DOMAINS) and up == set(evidence.UPGRADE_DOMAINS)
    assert list(g.loc[g["kind"] == "level", "name"].str.lower()) == list(evidence.CERTAINTY_LEVELS)
    symbols = dict(
        zip(
            g.loc[g["kind"] == "level", "name"].str.lower(),
            g.loc[g["kind"] == "level", "levels"],
            strict=True,
        )
    )
    assert symbols == evidence.CERTAINTY_SYMBOLS
    r = data.load("rob2_domains")
    assert list(r["domain_id"]) == ["D1", "D2", "D3", "D4", "D5", "overall"]
    c = data.load("cebm_levels").set_index("level")
    assert c.loc[5, "evidence"] == "Mechanism-based reasoning"
    assert c.loc[1, "evidence"].startswith("Systematic review of randomized trials")
    s = data.row("signal_thresholds", threshold_id="prr_evans")
    assert (s["prr_min"], s["chi2_min"], s["n_min"]) == (2, 4, 3)


def test_appraisal_rules_match_the_sentences_quoted_from_their_sources():
    """Each threshold against the sentence its notes quote: an edited value no longer matches."""
    r = data.load("appraisal_rules").set_index("rule_id")
    assert r.loc["egger_p", "value"] == 0.1 and "P < 0.1" in r.loc["egger_p", "notes"]
    assert r.loc["min_k_funnel", "value"] == 10 and "≥ 10 studies" in r.loc["min_k_funnel", "notes"]
    # the course rates down from the lower end of the Handbook's 'substantial' range (50-90 %)
    assert "50% to 90% may represent substantial" in r.loc["i2_serious", "notes"]
    assert r.loc["i2_serious", "value"] == 50
    # a course choice says so, and names no number its source does not give
    n_opt = r.loc["n_optimal"]
    assert n_opt["provenance"] == "course_choice" and "not a GRADE threshold" in n_opt["notes"]
    assert set(r["provenance"]) <= {"reported", "course_choice"}
