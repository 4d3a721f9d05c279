"""The regulatory tables: dates, as_of, coverage of every state and DC, and spot facts with
their citations."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import cite, data

TABLES = ("regulatory_events", "state_status", "us_states")


@pytest.mark.parametrize("name", TABLES)
def test_table_validates_and_sources_resolve(name):
    df = data.load(name)
    assert len(df) > 0
    for key in df["source"].unique():
        cite.short(key)  # raises CitationError on an unknown key
    assert set(df["verified"]) <= {"primary", "secondary"}


def test_event_dates_parse_and_as_of_not_before_date():
    ev = data.load("regulatory_events")
    assert ev["date"].notna().all() and ev["as_of"].notna().all()
    assert (ev["as_of"] >= ev["date"]).all()
    has_latest = ev["date_latest"].notna()
    assert (ev.loc[has_latest, "date_latest"] > ev.loc[has_latest, "date"]).all()
    # month- and year-precision dates are stored as the first day of the period
    month = ev["date_precision"] == "month"
    year = ev["date_precision"] == "year"
    assert (ev.loc[month | year, "date"].dt.day == 1).all()
    assert (ev.loc[year, "date"].dt.month == 1).all()


def test_state_rows_dates_and_as_of():
    ss = data.load("state_status")
    dated = ss["effective_date"].notna()
    assert (ss.loc[dated, "as_of"] >= ss.loc[dated, "effective_date"]).all()
    assert (ss.loc[~dated, "date_precision"] == "none").all()
    assert (ss.loc[dated, "date_precision"] != "none").all()


def test_every_state_dc_and_federal_level_has_a_baseline_for_both_substances():
    ss = data.load("state_status")
    codes = set(data.load("us_states")["state"])
    base = ss[ss["effective_date"].isna()]
    for sub in ("kratom", "7-OH"):
        b = base[base["substance"] == sub].set_index("state")["status"]
        assert set(b.index) == codes | {"US"}
        assert b.index.is_unique
        assert (b.drop("US") == "no_law_found").all()
        assert b["US"] == "not_controlled"
    assert set(ss["state"]) <= codes | {"US"}


def test_us_states_grid():
    us = data.load("us_states")
    assert len(us) == 51 and us["state"].is_unique
    assert "DC" in set(us["state"]) and "PR" not in set(us["state"])
    # each state has its own tile
    assert not us.duplicated(["tile_row", "tile_col"]).any()
    assert (us["provenance"] == "derived").all()
    # names as in USPS Publication 28, Appendix B
    names = us.set_index("state")["name"]
    assert names["DC"] == "District of Columbia" and names["AK"] == "Alaska"
    assert names["WV"] == "West Virginia"


# ----------------------------------------------------------------------------- spot facts


def _ev(eid: str) -> pd.Series:
    return data.row("regulatory_events", event_id=eid)


def test_spot_dea_2016_notice_of_intent():
    # 81 FR 59929-59934, 31 Aug 2016, Docket DEA-442 (read in the FR text mirror)
    r = _ev("us_dea_2016_noi")
    assert r["date"] == pd.Timestamp("2016-08-31") and r["date_precision"] == "day"
    assert r["source"] == "dea2016noi" and r["verified"] == "primary"
    assert "81 FR 59929" in r["where"] and "DEA-442" in r["where"]
    assert r["status_after"] == "scheduling_proposed"


def test_spot_dea_2016_withdrawal():
    # 81 FR 70652-70654, 13 Oct 2016, Docket DEA-442W
    r = _ev("us_dea_2016_withdrawal")
    assert r["date"] == pd.Timestamp("2016-10-13")
    assert r["source"] == "dea2016withdrawal" and r["verified"] == "primary"
    assert "81 FR 70652" in r["where"] and "DEA-442W" in r["where"]


def test_spot_2026_notices_are_secondary_and_final_order_unconfirmed():
    r = _ev("us_dea_2026_7oh_noi")
    assert r["date"] == pd.Timestamp("2026-07-01")
    assert r["substance"] == "7-OH" and r["verified"] == "secondary"
    assert "final temporary scheduling order" in r["notes"]


def test_spot_mmwr_pediatric_melatonin_ingestions():
    # Lelak et al., MMWR 71(22):725-729, 3 Jun 2022
    r = _ev("us_cdc_2022_ingestions")
    assert r["date"] == pd.Timestamp("2022-06-03")
    assert r["source"] == "lelak2022" and r["verified"] == "primary"
    assert "260,435" in r["summary"] and "530%" in r["summary"]
    assert cite.entries()["lelak2022"].fields["doi"] == "10.15585/mmwr.mm7122a1"


def test_spot_thailand_descheduling_and_australian_s3():
    th = _ev("th_2021_deschedule")
    assert th["date"] == pd.Timestamp("2021-08-24") and th["status_after"] == "not_controlled"
    au = _ev("au_2021_s3")
    assert au["date"] == pd.Timestamp("2021-06-01") and au["verified"] == "secondary"


def test_spot_state_rows():
    ut = data.row("state_status", row_id="UT-kratom-1")
    assert ut["effective_date"] == pd.Timestamp("2019-05-14") and ut["status"] == "regulated"
    assert ut["source"] == "utleg2019sb58" and ut["verified"] == "primary"
    ok = data.row("state_status", row_id="OK-7-OH-1")
    assert ok["effective_date"] == pd.Timestamp("2021-11-01") and "2%" in ok["notes"]
    al = data.row("state_status", row_id="AL-kratom-1")
    assert al["effective_date"] == pd.Timestamp("2016-05-10") and al["status"] == "controlled"


def test_unverified_rows_are_left_out():
    ev = data.load("regulatory_events")
    # Florida's June 2026 rule (advocacy site only) and Thailand's 1943 "Kratom Act" (vendor page)
    assert not (ev["date"] == pd.Timestamp("2026-06-22")).any()
    assert not (ev["date"].dt.year == 1943).any()
    # DC's reported ban rests on unverified pages: DC stays "no law found"
    ss = data.load("state_status")
    assert set(ss.loc[ss["state"] == "DC", "status"]) == {"no_law_found"}
