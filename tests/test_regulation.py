"""helpers.regulation: statuses before and after known events, currency warnings, date errors."""

from __future__ import annotations

import datetime as dt
import warnings

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import data, regulation


def status(date: str, where: str, substance: str = "kratom") -> str:
    return str(regulation.status_at(date, where, substance)["status"].iloc[0])


# ----------------------------------------------------------------------------- before/after


@pytest.mark.parametrize(
    ("where", "substance", "before", "after", "status_before", "status_after"),
    [
        # Alabama: SB 226 (Act 2016-279), effective on signature 10 May 2016
        ("AL", "kratom", "2016-05-09", "2016-05-10", "no_law_found", "controlled"),
        # Arkansas: Department of Health Schedule I listing effective 1 Feb 2016
        ("AR", "7-OH", "2016-01-31", "2016-02-01", "no_law_found", "controlled"),
        # Louisiana: Act 41 in force 1 Aug 2025
        ("LA", "kratom", "2025-07-31", "2025-08-01", "no_law_found", "controlled"),
        # Texas: SB 497 effective 1 Sep 2023
        ("TX", "kratom", "2023-08-31", "2023-09-01", "no_law_found", "regulated"),
        # Florida: 7-OH emergency rule of 13 Aug 2025
        ("FL", "7-OH", "2025-08-12", "2025-08-13", "no_law_found", "restricted"),
        # Ohio: the emergency rule of 12 Dec 2025 was due to lapse on 10 Jun 2026
        ("OH", "7-OH", "2026-06-09", "2026-06-10", "restricted", "unknown"),
        # federal: DEA notice of intent (81 FR 59929) and its withdrawal (81 FR 70652)
        ("US", "kratom", "2016-08-30", "2016-08-31", "not_controlled", "scheduling_proposed"),
        ("US", "kratom", "2016-10-12", "2016-10-13", "scheduling_proposed", "not_controlled"),
        ("US", "7-OH", "2026-06-30", "2026-07-01", "not_controlled", "scheduling_proposed"),
    ],
)
def test_status_changes_on_the_day_of_the_event(
    where, substance, before, after, status_before, status_after
):
    assert status(before, where, substance) == status_before
    assert status(after, where, substance) == status_after


def test_kratom_leaf_stays_federally_uncontrolled_after_the_2026_notices():
    # the July 2026 notices target 7-OH above a threshold, not the leaf
    assert status("2026-07-01", "US", "kratom") == "not_controlled"
    assert status("2026-07-01", "US", "7-OH") == "scheduling_proposed"


def test_state_name_and_code_give_the_same_answer():
    a = regulation.status_at("2020-01-01", "Alabama", "kratom")
    b = regulation.status_at("2020-01-01", "al", "kratom")
    pd.testing.assert_frame_equal(a, b)


# ----------------------------------------------------------------------------- coverage


def test_every_state_and_dc_present_at_any_date():
    codes = set(data.load("us_states")["state"])
    assert len(codes) == 51 and "DC" in codes
    for date in ("2012-01-01", "2016-09-15", "2026-07-01"):
        for sub in regulation.STATE_SUBSTANCES:
            st_ = regulation.status_at(date, None, sub)
            assert set(st_["state"]) == codes
            assert len(st_) == 51
            assert st_["status"].notna().all()


def test_no_law_found_is_never_called_legal():
    assert regulation.STATUS_LABELS["no_law_found"] == "no law found in our sources"
    assert not any("legal" in s for s in regulation.STATUS_LABELS)
    df = regulation.status_at("2026-07-01", None, "kratom")
    assert (df.loc[df["status"] == "no_law_found", "label"] == "no law found in our sources").all()


def test_counts_sum_to_51_and_match_the_table():
    counts = regulation.status_counts("2026-07-01", "kratom")
    assert counts.sum() == 51
    st_ = regulation.status_at("2026-07-01", None, "kratom")
    assert counts["controlled"] == (st_["status"] == "controlled").sum()
    # Alabama, Arkansas, Indiana, Louisiana, Rhode Island and Wisconsin list the alkaloids
    assert set(st_.loc[st_["status"] == "controlled", "state"]) == {
        "AL",
        "AR",
        "IN",
        "LA",
        "RI",
        "WI",
    }


# ----------------------------------------------------------------------------- uncertainty


def test_imprecise_start_dates_are_uncertain_inside_their_window_only():
    # Georgia's first KCPA is dated only to 2019: uncertain during 2019, certain after
    ga_2019 = regulation.status_at("2019-03-01", "GA", "kratom").iloc[0]
    ga_2020 = regulation.status_at("2020-01-01", "GA", "kratom").iloc[0]
    assert ga_2019["status"] == "regulated" and bool(ga_2019["uncertain"])
    assert ga_2020["status"] == "regulated" and not bool(ga_2020["uncertain"])
    # Rhode Island: vendor pages say 2017, a 2024-03-01 bill shows the listing in force
    assert bool(regulation.status_at("2020-06-01", "RI")["uncertain"].iloc[0])
    assert not bool(regulation.status_at("2024-06-01", "RI")["uncertain"].iloc[0])
    # a status known to the day is never uncertain
    assert not bool(regulation.status_at("2016-05-10", "AL")["uncertain"].iloc[0])


def test_window_end_for_each_precision():
    d = pd.Series(pd.to_datetime(["2018-02-01", "2019-01-01", "2016-08-31", "2003-01-01"]))
    prec = pd.Series(["month", "year", "day", "year"])
    latest = pd.Series(pd.to_datetime([None, None, None, "2004-12-31"]))
    end = regulation.window_end(d, prec, latest)
    assert list(end.dt.date) == [
        dt.date(2018, 2, 28),
        dt.date(2019, 12, 31),
        dt.date(2016, 8, 31),
        dt.date(2004, 12, 31),
    ]


def test_window_end_matches_pandas_calendar_offsets():
    # every day of 2023-2025 (a leap year included) at each precision, plus a missing date:
    # the month and year ends must equal pandas' MonthEnd(0) and YearEnd(0)
    days = pd.Series(
        pd.date_range("2023-01-01", "2025-12-31", freq="D").append(pd.DatetimeIndex([pd.NaT]))
    )
    for precision, offset in (("month", pd.offsets.MonthEnd(0)), ("year", pd.offsets.YearEnd(0))):
        got = regulation.window_end(days, pd.Series([precision] * len(days)))
        pd.testing.assert_series_equal(got, days + offset, check_names=False)
    same = regulation.window_end(days, pd.Series(["day"] * len(days)))
    pd.testing.assert_series_equal(same, days, check_names=False)
    assert regulation.window_end(days, pd.Series(["month"] * len(days)))[423] == pd.Timestamp(
        "2024-02-29"
    )


# ----------------------------------------------------------------------------- dates and errors


@pytest.mark.parametrize("bad", ["2016-13-01", "31/08/2016", "yesterday", "", 20160831, None])
def test_malformed_date_gives_a_clear_error(bad):
    with pytest.raises(ValueError) as err:
        regulation.status_at(bad)
    msg = str(err.value)
    assert "date=" in msg and repr(bad) in msg and "YYYY-MM-DD" in msg


def test_date_past_the_data_warns_with_the_last_date():
    last = regulation.data_through()
    later = (last + dt.timedelta(days=1)).isoformat()
    with pytest.warns(regulation.DataCurrencyWarning, match=last.isoformat()):
        regulation.status_at(later, None, "kratom")
    with pytest.warns(regulation.DataCurrencyWarning, match=last.isoformat()):
        regulation.events(end=later)


def test_no_warning_on_or_before_the_last_date():
    last = regulation.data_through().isoformat()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        regulation.status_at(last, None, "7-OH")
        regulation.status_at("2016-09-15", "US", "kratom")


def test_data_through_is_the_newest_event_or_change():
    ev = data.load("regulatory_events")
    ss = data.load("state_status")
    expected = max(ev["date"].max(), ss["effective_date"].max()).date()
    assert regulation.data_through() == expected
    assert regulation.checked_through() >= regulation.data_through()


def test_bad_jurisdiction_and_substance_raise():
    with pytest.raises(ValueError, match="'Atlantis'"):
        regulation.status_at("2020-01-01", "Atlantis")
    with pytest.raises(ValueError, match="melatonin"):
        regulation.status_at("2020-01-01", None, "melatonin")
    with pytest.raises(ValueError, match="level="):
        regulation.events(level="county")
    with pytest.raises(ValueError, match="after end"):
        regulation.events(start="2020-01-01", end="2019-01-01")


# ----------------------------------------------------------------------------- events


def test_events_filters_by_window_level_and_substance():
    ev = regulation.events(start="2016-01-01", end="2016-12-31", level="federal", substance="7-OH")
    assert {"us_dea_2016_noi", "us_dea_2016_withdrawal"} <= set(ev["event_id"])
    assert (ev["level"] == "federal").all()
    assert ev["substance"].str.contains("7-OH").all()
    assert ev["date"].is_monotonic_increasing
    mel = regulation.events(substance="melatonin")
    assert not mel["substance"].str.contains("kratom").any()
    assert "us_dshea_1994" in set(mel["event_id"])


def test_events_window_keeps_imprecise_events_that_may_fall_inside():
    # the 2012 import alert is dated only to the year: a window in mid-2012 must include it
    ev = regulation.events(start="2012-06-01", end="2012-06-30")
    assert "us_fda_2012_import_alert" in set(ev["event_id"])
    assert bool(ev.set_index("event_id").at["us_fda_2012_import_alert", "uncertain_date"])


def test_days_between_the_2016_notice_and_its_withdrawal():
    expected = (dt.date(2016, 10, 13) - dt.date(2016, 8, 31)).days  # 81 FR 59929 and 81 FR 70652
    assert regulation.days_between("us_dea_2016_noi", "us_dea_2016_withdrawal") == expected == 43
    with pytest.raises(ValueError, match="false precision"):
        regulation.days_between("us_fda_2012_import_alert", "us_dea_2016_noi")


def test_parse_fr_citation():
    out = regulation.parse_fr_citation("81 FR 59929-59934, FR Doc. 2016-20803, Docket DEA-442")
    assert out == {
        "volume": 81,
        "first_page": 59929,
        "last_page": 59934,
        "pages": 6,
        "fr_doc": "2016-20803",
        "docket": "DEA-442",
    }
    assert regulation.parse_fr_citation("see 81 FR 70652")["pages"] == 1
    with pytest.raises(ValueError, match="no Federal Register citation"):
        regulation.parse_fr_citation("Docket DEA-442")


# ----------------------------------------------------------------------------- properties

_DAYS = (dt.date(2026, 7, 1) - dt.date(2012, 1, 1)).days


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, _DAYS), min_size=1, max_size=4, unique=True))
def test_vectorised_matrix_equals_one_date_at_a_time(offsets):
    dates = [dt.date(2012, 1, 1) + dt.timedelta(days=o) for o in offsets]
    m = regulation.status_matrix(dates, "kratom")
    assert len(m) == 51 * len(dates)
    for d in dates:
        one = regulation.status_at(d, None, "kratom")
        sub = m[m["date"] == pd.Timestamp(d)].reset_index(drop=True)
        assert list(sub["status"]) == list(one["status"])
        assert list(sub["uncertain"]) == list(one["uncertain"])


@settings(max_examples=25, deadline=None)
@given(st.integers(0, _DAYS - 1))
def test_a_state_keeps_its_status_until_a_dated_change(offset):
    # between two consecutive dates with no change in the table, no status changes
    d0 = dt.date(2012, 1, 1) + dt.timedelta(days=offset)
    d1 = d0 + dt.timedelta(days=1)
    ss = data.load("state_status")
    changed = set(ss.loc[ss["effective_date"] == pd.Timestamp(d1), "state"])
    a = regulation.status_at(d0, None, "kratom").set_index("state")["status"]
    b = regulation.status_at(d1, None, "kratom").set_index("state")["status"]
    assert set(a.index[a != b]) <= changed


def test_compact_event_table_is_narrow_with_dates_kept_and_text_shortened():
    from helpers.plots import regulation as regplots

    ev = regulation.events(level="federal")
    out = regplots.compact(ev, ["date", "date_precision", "summary", "source"], max_chars=60)
    assert list(out.columns) == [
        "date (YYYY-MM-DD)",
        "date precision (day, month, year)",
        "summary (shortened)",
        "source (key)",
    ]
    assert pd.api.types.is_datetime64_any_dtype(out["date (YYYY-MM-DD)"])  # shown as YYYY-MM-DD
    text = out["summary (shortened)"]
    assert (text.str.len() <= 60).all()
    long = ev["summary"].str.len() > 60
    assert text[long.to_numpy()].str.endswith("…").all()
    assert (text[~long.to_numpy()] == ev.loc[~long, "summary"].to_numpy()).all()  # short text kept


def test_every_action_has_its_own_timeline_marker_shape():
    from helpers.plots import regulation as regplots

    allowed = next(
        f["constraints"]["enum"]
        for f in data._resource("regulatory_events")["schema"]["fields"]
        if f["name"] == "action"
    )
    assert set(regplots.ACTION_MARKERS) == set(allowed)
    shapes = [m for m, _colour in regplots.ACTION_MARKERS.values()]
    assert len(set(shapes)) == len(shapes)  # colour is never the only difference
    # nor a shape that only a close look tells apart at marker size
    for near_twins in ({"h", "H"}, {"o", "8"}, {"o", "H"}):
        assert not near_twins <= set(shapes), near_twins


def test_timeline_refuses_an_action_without_a_marker():
    from helpers.plots import regulation as regplots

    ev = regulation.events(level="federal").assign(action="rumour")
    with pytest.raises(ValueError, match="'rumour' has no timeline marker; allowed: advisory"):
        regplots.timeline(ev)
