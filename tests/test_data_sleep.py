"""Spot-fact tests for the sleep tables: values and their citations, as read in the sources."""

from __future__ import annotations

import pytest

from helpers import cite, data

TABLES = ("two_process_parameters", "melatonin_phase_response", "sleep_norms")


@pytest.mark.parametrize("name", TABLES)
def test_table_loads_and_sources_resolve(name):
    df = data.load(name)
    assert len(df) > 0
    for key in df["source"]:
        assert cite.short(key)  # every key is in references.bib
    assert set(df["verified"]) <= {"primary", "secondary"}


def test_skeldon_dijk_2025_fig1b_standard_set():
    r = data.row("two_process_parameters", set_id="skeldon2025_fig1b")
    assert (r["chi_w_h"], r["chi_s_h"]) == (18.2, 4.2)
    assert (r["h0_upper"], r["h0_lower"], r["amplitude"], r["mu"]) == (0.67, 0.17, 0.12, 1.0)
    assert r["source"] == "skeldon2025twoprocess" and r["verified"] == "primary"
    assert "Fig. 1b" in r["where"]


@pytest.mark.parametrize(
    "set_id, h0_lower, sleeps, days",
    [
        ("skeldon2025_fig1c", 0.09, 3, 4),
        ("skeldon2025_fig1d", 0.50, 3, 2),
        ("skeldon2025_fig1e", 0.58, 2, 1),
    ],
)
def test_skeldon_dijk_2025_fig1_alternative_sets(set_id, h0_lower, sleeps, days):
    r = data.row("two_process_parameters", set_id=set_id)
    assert (r["h0_upper"], r["amplitude"]) == (0.75, 0.07)
    assert r["h0_lower"] == h0_lower
    assert (r["published_sleeps_per_cycle"], r["published_cycle_days"]) == (sleeps, days)


def test_skeldon_dijk_2025_fig6a_natural_period():
    r = data.row("two_process_parameters", set_id="skeldon2025_fig6a")
    assert r["amplitude"] == 0 and r["published_period_h"] == 22.6
    assert r["published_sleep_h"] == 5.8


def test_burgess_2010_half_mg_advance_window():
    r = data.row("melatonin_phase_response", row_id="burgess2010_0.5mg_max_advance")
    assert (r["time_rel_dlmo_from_h"], r["time_rel_dlmo_to_h"]) == (-4, -2)
    assert r["n"] == 34 and r["source"] == "burgess2010prc"


def test_burgess_2008_three_mg_landmarks():
    adv = data.row("melatonin_phase_response", row_id="burgess2008_3mg_max_advance")
    dly = data.row("melatonin_phase_response", row_id="burgess2008_3mg_max_delay")
    assert adv["time_rel_dlmo_from_h"] == -5 and dly["time_rel_dlmo_from_h"] == 11
    assert adv["n"] == 27


def test_prc_peak_sizes_are_left_empty_not_invented():
    prc = data.load("melatonin_phase_response")
    peaks = prc[prc["landmark"].isin(["max_advance", "max_delay"])]
    assert peaks["shift_mean_h"].isna().all()


@pytest.mark.parametrize(
    "row_id, mean, sd",
    [
        ("sharkey2002_placebo", 1.7, 1.2),
        ("sharkey2002_0.5mg", 3.0, 1.1),
        ("sharkey2002_3mg", 3.9, 0.5),
    ],  # fmt: skip
)
def test_sharkey_eastman_2002_dlmo_advances(row_id, mean, sd):
    r = data.row("melatonin_phase_response", row_id=row_id)
    assert (r["shift_mean_h"], r["shift_sd_h"]) == (mean, sd)
    assert r["n"] == 32 and r["source"] == "sharkey2002melatonin"


def test_klerman_dijk_2008_maximal_sleep_capacity():
    young = data.row("sleep_norms", row_id="klerman2008_young_capacity")
    older = data.row("sleep_norms", row_id="klerman2008_older_capacity")
    assert (young["value"], young["spread"], young["n"]) == (8.9, 0.4, 35)
    assert (older["value"], older["spread"], older["n"]) == (7.4, 0.4, 18)
    assert young["spread_type"] == "sem"


def test_ohayon_values_are_marked_secondary():
    norms = data.load("sleep_norms")
    oh = norms[norms["source"] == "ohayon2004meta"]
    assert len(oh) == 10 and (oh["verified"] == "secondary").all()
    assert data.row("sleep_norms", row_id="ohayon2004_70y_n3")["value"] == 9


def test_walsleben_2004_per_decade_changes():
    assert data.row("sleep_norms", row_id="walsleben2004_se_slope")["value"] == -1.6
    assert data.row("sleep_norms", row_id="walsleben2004_tst_slope")["value"] == -6.0


def test_boulos_2019_per_decade_changes():
    # Lancet Respir Med 2019 abstract (PubMed 31006560): per decade of age, TST −10.1 min
    # (7.5 to 12.8), SE −2.1 % (1.5 to 2.6), WASO +9.7 min (6.9 to 12.4), SOL +1.1 min (0.3 to 1.9)
    df = data.load("sleep_norms").set_index("row_id")
    rows = df[df["source"] == "boulos2019psg"]
    got = {r.metric: (r.value, r.ci_low, r.ci_high) for r in rows.itertuples()}
    assert got == {
        "TST_change_min_per_decade": (-10.1, -12.8, -7.5),
        "SE_change_pct_per_decade": (-2.1, -2.6, -1.5),
        "WASO_change_min_per_decade": (9.7, 6.9, 12.4),
        "SOL_change_min_per_decade": (1.1, 0.3, 1.9),
    }
    assert set(rows["verified"]) == {"primary"} and set(rows["n"]) == {5273}
    assert (rows["ci_low"] <= rows["value"]).all() and (rows["value"] <= rows["ci_high"]).all()


def test_ohayon_2004_notes_say_where_the_values_were_read():
    oh = data.load("sleep_norms").query("source == 'ohayon2004meta'")
    assert oh["notes"].str.contains("secondary teaching page").all()
    assert "not read in the paper" in oh["where"].iloc[0] and "15586779" in oh["where"].iloc[0]


def test_scoring_epoch_is_the_standard_30_seconds_read_in_a_secondary_source():
    rule = data.row("sleep_scoring", rule_id="epoch_length")
    assert (rule["value"], rule["unit"]) == (30, "s")
    # read in a reference article that reports the AASM rule, not in the manual itself
    assert rule["source"] == "gonzalez2019sleepstaging" and rule["verified"] == "secondary"
    # the helpers' default epoch is the same convention
    import inspect

    from helpers import sleep

    default = inspect.signature(sleep.sleep_statistics).parameters["epoch_s"].default
    assert default == rule["value"]
