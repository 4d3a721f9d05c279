"""Spot facts of lesson 05's tables, each checked against the source named in the test."""

from __future__ import annotations

import pytest

from helpers import data

COWS_ALLOWED = {  # Wesson & Ling 2003, Appendix (COWS form)
    "resting_pulse": [0, 1, 2, 4],
    "sweating": [0, 1, 2, 3, 4],
    "restlessness": [0, 1, 3, 5],
    "pupil_size": [0, 1, 2, 5],
    "bone_joint_aches": [0, 1, 2, 4],
    "runny_nose_tearing": [0, 1, 2, 4],
    "gi_upset": [0, 1, 2, 3, 5],
    "tremor": [0, 1, 2, 4],
    "yawning": [0, 1, 2, 4],
    "anxiety_irritability": [0, 1, 2, 4],
    "gooseflesh": [0, 3, 5],
}


def test_cows_items_are_the_eleven_items_with_their_allowed_scores():
    df = data.load("cows_items")
    got = {i: sorted(g["score"].astype(int)) for i, g in df.groupby("item")}
    assert got == COWS_ALLOWED
    assert sorted(df["item_no"].unique()) == list(range(1, 12))
    assert (df["source"] == "wesson2003cows").all()
    assert df.loc[(df["item"] == "resting_pulse") & (df["score"] == 4), "anchor"].item() == (
        "pulse above 120 per minute"
    )


def test_cows_bands_tile_the_total_without_gaps():
    b = data.load("cows_bands").sort_values("score_min")
    assert list(zip(b["score_min"], b["score_max"], strict=True)) == [
        (0, 4),
        (5, 12),
        (13, 24),
        (25, 36),
        (37, 48),
    ]
    assert list(b["band_label"]) == [
        "below the mild band",
        "mild",
        "moderate",
        "moderately severe",
        "severe",
    ]
    assert (b["score_min"].iloc[1:].to_numpy() == b["score_max"].iloc[:-1].to_numpy() + 1).all()
    # bands state totals; nothing in the table advises
    for text in b["notes"]:
        assert not any(w in text.lower() for w in ("give ", "dose", "treat", "medication"))


def test_cows_cases_are_marked_fictional():
    cases = data.load("cows_cases")
    assert cases["fictional"].all()
    assert cases["notes"].str.startswith("FICTIONAL").all()
    res = next(r for r in data.descriptor()["resources"] if r["name"] == "cows_cases")
    assert res["description"].startswith("FICTIONAL")
    for item, allowed in COWS_ALLOWED.items():
        assert cases[item].isin(allowed).all(), item


def test_melatonin_trial_counts_as_published():
    t = data.load("melatonin_sud_trials").set_index("trial_id")
    cols = ["events_melatonin", "n_melatonin", "events_control", "n_control"]
    # Garfinkel 1999 abstract: 14 of 18 vs 4 of 16 (P = .006)
    assert t.loc["garfinkel1999", cols].tolist() == [14, 18, 4, 16]
    # Peles 2007 abstract: 11/31 vs 11/30
    assert t.loc["peles2007", cols].tolist() == [11, 31, 11, 30]
    # Baandrup 2016 abstract: 16/42 vs 21/44, OR 0.64 (0.26 to 1.56)
    assert t.loc["baandrup2016", cols].tolist() == [16, 42, 21, 44]
    assert "OR 0.64 (95% CI 0.26 to 1.56)" in t.loc["baandrup2016", "reported_statistic"]
    # Lähteenmäki 2014 abstract: 31 (67%) on melatonin vs 39 (85%) on placebo of 46 each
    assert t.loc["lahteenmaki2014", cols].tolist() == [31, 46, 39, 46]
    # Wright 2015: OR 0.72 (0.21 to 2.41), I2 = 76%
    assert "OR 0.72 (95% CI 0.21 to 2.41)" in t.loc["wright2015", "reported_statistic"]
    assert "I2 = 76%" in t.loc["wright2015", "reported_statistic"]
    # Ghaderi 2019: PSQI beta -4.08 (-5.51 to -2.65), 26 vs 28
    assert "-4.08 (95% CI -5.51 to -2.65)" in t.loc["ghaderi2019", "reported_statistic"]
    assert t.loc["ghaderi2019", ["n_melatonin", "n_control"]].tolist() == [26, 28]
    assert not t["population"].str.contains("kratom", case=False).any()


def test_kratom_cohort_percentages():
    k = data.load("kratom_withdrawal_symptoms").set_index(["study_id", "measure"])
    # Singh et al. 2019 (n = 150): 99% SUD, 95% withdrawal, 87% tolerance, 93% craving
    s19 = k.loc["singh2019"]
    assert s19["n_participants"].unique().tolist() == [150]
    assert sorted(s19["percent"]) == [87, 93, 95, 99]
    # Singh et al. 2018 (n = 170): 46% more sleep problems during cessation
    assert k.loc[("singh2018", "more sleep problems during cessation"), "percent"] == 46
    # Singh et al. 2014 (n = 293): 45% moderate dependence; symptoms listed without percentages
    assert k.loc[("singh2014", "moderate kratom dependence"), "percent"] == 45
    assert (
        k.loc[("singh2014", "sleeping difficulty on stopping"), "percent"]
        != k.loc[("singh2014", "sleeping difficulty on stopping"), "percent"]
    )  # NaN: not reported is not zero


def test_sleep_in_methadone_maintenance_polysomnography():
    s = data.load("sleep_in_opioid_treatment")
    p = s[(s["study_id"] == "peles2011") & (s["treatment_phase"] == "entry_to_methadone")]
    p = p.set_index("measure")
    # Peles et al. 2011 abstract: TST 5.5 ± 1.1 h, SE 80.6 ± 10.5 %, PSQI 11.4 ± 4.8
    assert p.loc["total sleep time", ["estimate", "sd"]].tolist() == [5.5, 1.1]
    assert p.loc["sleep efficiency", ["estimate", "sd"]].tolist() == [80.6, 10.5]
    assert p.loc["Pittsburgh Sleep Quality Index", "estimate"] == 11.4
    f = s[s["study_id"] == "finan2020"].set_index("measure")
    # Finan et al. 2020: TST lower by EEG than diary, d = 2.93 (2.06 to 4.14)
    assert f.loc["total sleep time, EEG vs diary", ["estimate", "ci_low", "ci_high"]].tolist() == [
        2.93,
        2.06,
        4.14,
    ]


def test_insomnia_prevalence_rows():
    ip = data.load("insomnia_prevalence_treatment").set_index("study_id")
    assert ip.loc["tripathi2020", ["n_cases", "n_participants"]].tolist() == [67, 106]
    assert (
        ip.loc["graulopez2020", "percent"] == 66.5
        and ip.loc["graulopez2020", "n_participants"] == 481
    )
    assert ip.loc["li2018", ["n_cases", "n_participants"]].tolist() == [29, 152]


def test_standard_of_care_evidence():
    s = data.load("standard_of_care").set_index("row_id")
    # Mattick et al. 2014 (Cochrane CD002207): low-dose buprenorphine vs placebo, retention
    assert s.loc["buprenorphine_retention_low", ["estimate", "ci_low", "ci_high"]].tolist() == [
        1.50,
        1.19,
        1.88,
    ]
    assert s.loc["buprenorphine_retention_low", "verified"] == "primary"
    # Mattick et al. 2009 (CD002209): methadone vs no replacement, retention RR 4.44 (3.26-6.04)
    assert s.loc["methadone_retention", ["estimate", "ci_low", "ci_high"]].tolist() == [
        4.44,
        3.26,
        6.04,
    ]
    assert s.loc["methadone_retention", "verified"] == "secondary"
    # ACP 2016: CBT-I first for all adults, strong recommendation, moderate-quality evidence
    assert s.loc["cbti_first_line", "certainty"] == "moderate"
    assert "strong recommendation" in s.loc["cbti_first_line", "statement"]
    assert set(s["condition"]) == {"opioid_use_disorder", "chronic_insomnia"}
    meds = " ".join(s.loc[s["condition"] == "opioid_use_disorder", "treatment"]).lower()
    for drug in ("methadone", "buprenorphine", "naltrexone"):
        assert drug in meds


@pytest.mark.parametrize(
    ("cls", "phase", "lo", "hi"),
    [
        ("short_acting", "onset", 6, 12),
        ("short_acting", "peak", 24, 48),
        ("long_acting", "onset", 30, 72),
    ],
)
def test_withdrawal_time_course(cls, phase, lo, hi):
    t = data.row("opioid_withdrawal_time_course", opioid_class=cls, phase=phase)
    assert (t["t_low_h"], t["t_high_h"]) == (lo, hi)
    assert t["verified"] == "secondary"
