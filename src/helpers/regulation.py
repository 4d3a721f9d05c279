"""Regulatory history as data: the status of kratom and 7-OH in any US state on any date, and
the dated events behind it (US federal, states, cities, other countries; kratom, 7-OH, melatonin).

Facts live in three tables of ``data/`` (see :mod:`helpers.data`):

- ``regulatory_events``: one row per dated action, with ``date``, ``date_precision`` and ``as_of``;
- ``state_status``: one row per change of status of a state (or DC, or the federal level "US");
  every jurisdiction has an undated baseline row ("no_law_found" for states, "not_controlled"
  for the federal level);
- ``us_states``: USPS codes, names and the tile-grid positions used by the tile map.

Dates are calendar days (``pandas.Timestamp``). A date known only to the month or year is stored
as the first day of that period; a status whose start date is imprecise, or lies in a range
where sources conflict, is reported as *uncertain* for view dates inside that window.

Lookups are vectorised with :func:`pandas.merge_asof` (the last change on or before each date).
A view date after :func:`data_through` triggers a :class:`DataCurrencyWarning` naming the
newest date in the data: the law may have changed since.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from helpers import data

#: Substances with per-state status rows.
STATE_SUBSTANCES = ("kratom", "7-OH")
#: Substances with events.
SUBSTANCES = ("kratom", "7-OH", "melatonin")
#: Levels of government in ``regulatory_events``.
LEVELS = ("federal", "state", "local", "international", "non_governmental")

#: How each status is shown to learners. "no_law_found" is never shown as "legal".
STATUS_LABELS = {
    "controlled": "controlled (in a state schedule)",
    "restricted": "restricted (threshold, emergency or administrative rule)",
    "regulated": "regulated (consumer-protection law)",
    "no_law_found": "no law found in our sources",
    "unknown": "unknown (a rule lapsed; what followed was not found)",
    "not_controlled": "not controlled under the federal CSA",
    "scheduling_proposed": "federal scheduling proposed (notice of intent)",
}
#: Order of statuses in legends and counts.
STATUS_ORDER = tuple(STATUS_LABELS)

_FEDERAL_NAMES = {"us", "federal", "united states", "usa"}
_BASELINE = pd.Timestamp("1900-01-01")  # stands in for "before any dated change"
_FR_RE = re.compile(r"(?P<volume>\d+)\s*FR\s*(?P<first>\d+)(?:\s*[-–]\s*(?P<last>\d+))?")


class DataCurrencyWarning(UserWarning):
    """A view date lies after the newest date in the data: the law may have changed since."""


# ----------------------------------------------------------------------------- dates


def parse_date(value: str | dt.date | pd.Timestamp, name: str = "date") -> pd.Timestamp:
    """An ISO date ('YYYY-MM-DD'), ``datetime.date`` or Timestamp as a day-precision Timestamp.

    Raises ValueError naming ``name``, the value and the expected format.
    """
    if isinstance(value, pd.Timestamp):
        if pd.isna(value):
            raise ValueError(f"{name}={value!r} is not a date; expected an ISO date 'YYYY-MM-DD'")
        return value.normalize()
    if isinstance(value, dt.datetime):
        return pd.Timestamp(value.date())
    if isinstance(value, dt.date):
        return pd.Timestamp(value)
    if isinstance(value, str):
        try:
            return pd.Timestamp(dt.date.fromisoformat(value.strip()))
        except ValueError:
            pass
    raise ValueError(
        f"{name}={value!r} is not a valid date; expected an ISO date 'YYYY-MM-DD' "
        "(for example '2016-08-31')"
    )


def window_end(date: pd.Series, precision: pd.Series, latest: pd.Series | None = None) -> pd.Series:
    """Last day a dated fact could refer to: the end of its day, month or year, or ``latest``.

    ``date`` holds first days of periods (dates, no time of day); ``precision`` is 'day',
    'month', 'year' (or 'none'). Where ``latest`` (the end of a range of conflicting dates) is
    given it wins. Month and year ends are computed with numpy's calendar units (the first day
    of the next month or year, less one day), not with pandas offsets row by row.
    """
    date = pd.to_datetime(pd.Series(date))
    precision = pd.Series(precision, index=date.index).astype("string")
    values = date.to_numpy()
    day = np.timedelta64(1, "D")
    month_end = (values.astype("datetime64[M]") + 1).astype(values.dtype) - day
    year_end = (values.astype("datetime64[Y]") + 1).astype(values.dtype) - day
    month = (precision == "month").to_numpy(dtype=bool, na_value=False)
    year = (precision == "year").to_numpy(dtype=bool, na_value=False)
    end = pd.Series(np.where(month, month_end, np.where(year, year_end, values)), index=date.index)
    if latest is not None:
        latest = pd.to_datetime(pd.Series(latest, index=date.index))
        end = latest.where(latest.notna(), end)
    return end


def data_through() -> dt.date:
    """The newest date in the data: the latest event or status change (not the check date)."""
    ev = data.load("regulatory_events")["date"]
    st = data.load("state_status")["effective_date"]
    return max(ev.max(), st.max()).date()


def checked_through() -> dt.date:
    """The latest ``as_of`` date: when the most recently checked row was checked."""
    ev = data.load("regulatory_events")["as_of"]
    st = data.load("state_status")["as_of"]
    return max(ev.max(), st.max()).date()


def _check_currency(when: pd.Timestamp, name: str = "date") -> None:
    last = data_through()
    if when.date() > last:
        warnings.warn(
            f"{name} {when.date().isoformat()} is after the newest date in the data "
            f"({last.isoformat()}): statuses are shown as of {last.isoformat()} and may have "
            "changed since. Check the official sources (Federal Register, state legislature).",
            DataCurrencyWarning,
            stacklevel=3,
        )


# ----------------------------------------------------------------------------- jurisdictions


def states() -> pd.DataFrame:
    """The 50 states and DC: code, name, tile row and column."""
    return data.load("us_states")[["state", "name", "tile_row", "tile_col"]]


def _resolve_jurisdiction(jurisdiction: str | None) -> list[str]:
    st = states()
    if jurisdiction is None:
        return list(st["state"])
    if not isinstance(jurisdiction, str):
        raise ValueError(
            f"jurisdiction={jurisdiction!r}: expected None (all states and DC), 'US' (federal) "
            "or a state code or name"
        )
    key = jurisdiction.strip()
    if key.lower() in _FEDERAL_NAMES:
        return ["US"]
    by_code = dict(zip(st["state"].str.upper(), st["state"], strict=True))
    by_name = dict(zip(st["name"].str.lower(), st["state"], strict=True))
    if key.upper() in by_code:
        return [by_code[key.upper()]]
    if key.lower() in by_name:
        return [by_name[key.lower()]]
    raise ValueError(
        f"jurisdiction={jurisdiction!r} is not a US state, DC or 'US'; "
        f"allowed: None, 'US', or one of {', '.join(st['state'])} (or their names)"
    )


def _check_state_substance(substance: str) -> str:
    if substance not in STATE_SUBSTANCES:
        raise ValueError(
            f"substance={substance!r}: per-state status exists for {list(STATE_SUBSTANCES)} "
            "(melatonin is a dietary supplement under federal law and has no state rows)"
        )
    return substance


# ----------------------------------------------------------------------------- status


def _status_rows(substance: str, codes: Sequence[str]) -> pd.DataFrame:
    df = data.load("state_status")
    df = df[(df["substance"] == substance) & df["state"].isin(codes)].copy()
    df["start"] = df["effective_date"].fillna(_BASELINE)
    df["start_end"] = window_end(df["start"], df["date_precision"], df["date_latest"])
    return df.sort_values(["start", "state"], kind="stable")


def status_matrix(
    dates: Iterable[str | dt.date | pd.Timestamp],
    substance: str = "kratom",
    jurisdiction: str | None = None,
    warn: bool = True,
) -> pd.DataFrame:
    """Status of every requested jurisdiction at every date (long format).

    Returns one row per (date, state) with ``status``, ``label``, ``uncertain`` (True while
    the view date lies inside the imprecise window of the status's start), ``effective_date``,
    ``date_precision``, ``legal_basis``, ``source``, ``verified``, ``as_of`` and ``notes``.
    """
    _check_state_substance(substance)
    when = [parse_date(d, "date") for d in dates]
    if not when:
        raise ValueError("dates is empty; give at least one ISO date 'YYYY-MM-DD'")
    if warn:
        _check_currency(max(when))
    codes = _resolve_jurisdiction(jurisdiction)
    rows = _status_rows(substance, codes)
    grid = pd.MultiIndex.from_product([when, codes], names=["date", "state"]).to_frame(index=False)
    grid["state"] = grid["state"].astype("string")
    grid["date"] = grid["date"].astype("datetime64[ns]")
    rows = rows.assign(start=rows["start"].astype("datetime64[ns]"))
    grid = grid.sort_values(["date", "state"], kind="stable")
    out = pd.merge_asof(
        grid, rows, left_on="date", right_on="start", by="state", direction="backward"
    )
    out["uncertain"] = (
        (out["date"] <= out["start_end"])
        & (out["start_end"] > out["start"])
        & (out["start"] > _BASELINE)
    )
    out["label"] = out["status"].map(STATUS_LABELS)
    names = dict(zip(states()["state"], states()["name"], strict=True)) | {
        "US": "United States (federal)"
    }
    out["name"] = out["state"].map(names)
    cols = [
        "date",
        "state",
        "name",
        "substance",
        "status",
        "label",
        "uncertain",
        "effective_date",
        "date_precision",
        "date_latest",
        "legal_basis",
        "source",
        "verified",
        "as_of",
        "notes",
    ]
    return out[cols].sort_values(["date", "state"], kind="stable").reset_index(drop=True)


def status_at(
    date: str | dt.date | pd.Timestamp,
    jurisdiction: str | None = None,
    substance: str = "kratom",
) -> pd.DataFrame:
    """Status of ``substance`` on ``date``: all states and DC (``jurisdiction=None``), one state
    (code or name), or the federal level (``'US'``).

    A malformed date raises ValueError; a date after :func:`data_through` gives a
    :class:`DataCurrencyWarning` naming the data's last date.
    """
    when = parse_date(date, "date")
    _check_currency(when)
    return status_matrix([when], substance=substance, jurisdiction=jurisdiction, warn=False)


def status_counts(date: str | dt.date | pd.Timestamp, substance: str = "kratom") -> pd.Series:
    """How many of the 50 states and DC have each status on ``date`` (all statuses listed)."""
    st = status_at(date, None, substance)
    counts = st["status"].value_counts()
    order = [s for s in STATUS_ORDER if s not in ("not_controlled", "scheduling_proposed")]
    return counts.reindex(order, fill_value=0).astype(int)


def history(jurisdiction: str, substance: str = "kratom") -> pd.DataFrame:
    """Every status row of one jurisdiction (baseline first), with a display label."""
    _check_state_substance(substance)
    codes = _resolve_jurisdiction(jurisdiction)
    rows = _status_rows(substance, codes).copy()
    rows["label"] = rows["status"].map(STATUS_LABELS)
    return rows.drop(columns=["start", "start_end"]).reset_index(drop=True)


# ----------------------------------------------------------------------------- events


def events(
    start: str | dt.date | pd.Timestamp | None = None,
    end: str | dt.date | pd.Timestamp | None = None,
    level: str | Sequence[str] | None = None,
    substance: str | None = None,
) -> pd.DataFrame:
    """Dated events between ``start`` and ``end`` (inclusive), optionally of one or more levels
    and one substance, sorted by date. Adds ``date_end`` (last day the event could have
    happened given its precision) and ``uncertain_date`` (precision coarser than a day or a
    conflicting range).
    """
    df = data.load("regulatory_events")
    lo = parse_date(start, "start") if start is not None else None
    hi = parse_date(end, "end") if end is not None else None
    if lo is not None and hi is not None and lo > hi:
        raise ValueError(f"start={lo.date()} is after end={hi.date()}; give start <= end")
    if hi is not None:
        _check_currency(hi, "end")
    if level is not None:
        levels = [level] if isinstance(level, str) else list(level)
        bad = [lv for lv in levels if lv not in LEVELS]
        if bad:
            raise ValueError(f"level={level!r}: allowed levels are {list(LEVELS)}")
        df = df[df["level"].isin(levels)]
    if substance is not None:
        if substance not in SUBSTANCES:
            raise ValueError(f"substance={substance!r}: allowed are {list(SUBSTANCES)}")
        df = df[df["substance"].str.contains(rf"(?:^|;){re.escape(substance)}(?:;|$)", regex=True)]
    df = df.assign(date_end=window_end(df["date"], df["date_precision"], df["date_latest"]))
    df["uncertain_date"] = df["date_end"] > df["date"]
    if lo is not None:
        df = df[df["date_end"] >= lo]
    if hi is not None:
        df = df[df["date"] <= hi]
    return df.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)


def days_between(first_event: str, second_event: str) -> int:
    """Days from one event to another (by ``event_id``); both must have day precision."""
    ev = data.load("regulatory_events").set_index("event_id")
    for e in (first_event, second_event):
        if e not in ev.index:
            raise ValueError(f"event_id={e!r} is not in regulatory_events")
        if ev.at[e, "date_precision"] != "day":
            raise ValueError(
                f"event_id={e!r} is dated only to the {ev.at[e, 'date_precision']}; "
                "a day count would be false precision"
            )
    return int((ev.at[second_event, "date"] - ev.at[first_event, "date"]).days)


def parse_fr_citation(text: str) -> dict:
    """Pieces of a Federal Register citation such as '81 FR 59929-59934, FR Doc. 2016-20803,
    Docket DEA-442': volume, first and last page, FR Doc. number and docket (None if absent)."""
    if not isinstance(text, str):
        raise ValueError(f"text={text!r}: expected a citation string like '81 FR 59929'")
    m = _FR_RE.search(text)
    if not m:
        raise ValueError(f"text={text!r} holds no Federal Register citation ('<volume> FR <page>')")
    doc = re.search(r"FR Doc\.?\s*(?:No:?\s*)?([0-9]{4}-[0-9]+)", text)
    docket = re.search(r"Docket(?: No\.)?\s*([A-Z]+-[0-9A-Za-z]+)", text)
    first = int(m["first"])
    last = int(m["last"]) if m["last"] else first
    if last < first:
        raise ValueError(f"text={text!r}: last page {last} is before first page {first}")
    return {
        "volume": int(m["volume"]),
        "first_page": first,
        "last_page": last,
        "pages": last - first + 1,
        "fr_doc": doc.group(1) if doc else None,
        "docket": docket.group(1) if docket else None,
    }
