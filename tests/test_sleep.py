"""Tests of helpers.sleep: sleep statistics, two-process model, hypnograms, PRC timing."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import data
from helpers import sleep as sl

STANDARD = dict(chi_w_h=18.2, chi_s_h=4.2, h0_upper=0.67, h0_lower=0.17, amplitude=0.12, mu=1.0)


# ----------------------------------------------------------------------------- statistics


def test_hand_computed_hypnogram_labels():
    # 2 W (SOL 1 min), N1, N2 N2, W (WASO), N3, R R, N2, W W (after the last sleep)
    stages = ["W", "W", "N1", "N2", "N2", "W", "N3", "R", "R", "N2", "W", "W"]
    s = sl.sleep_statistics(stages, epoch_s=30)
    assert s["TIB_min"] == 6.0  # 12 epochs × 0.5 min
    assert s["SOL_min"] == 1.0  # two W epochs before the first N1
    assert s["TST_min"] == 3.5  # 7 sleep epochs
    assert s["SPT_min"] == 4.0  # epochs 2..9 inclusive = 8 epochs
    assert s["WASO_min"] == 0.5  # one W between onset and last sleep; final W not counted
    assert s["SE_pct"] == pytest.approx(100 * 7 / 12)
    assert s["N2_min"] == 1.5 and s["N2_pct"] == pytest.approx(100 * 3 / 7)
    assert s["N1_pct"] == pytest.approx(100 / 7)
    assert s["N3_pct"] == pytest.approx(100 / 7)
    assert s["REM_min"] == 1.0 and s["REM_pct"] == pytest.approx(200 / 7)
    assert s["REM_latency_min"] == 2.5  # onset epoch 2 -> first R at epoch 7: 5 epochs
    assert s["SPT_min"] == pytest.approx(s["TST_min"] + s["WASO_min"])


def test_integers_equal_labels_and_epoch_length_scales():
    labels = ["W", "N1", "N2", "N3", "N3", "N2", "R", "W", "N2"]
    codes = [sl.STAGE_CODES[x] for x in labels]
    a = sl.sleep_statistics(labels)
    b = sl.sleep_statistics(np.array(codes))
    assert a == b
    c = sl.sleep_statistics(labels, epoch_s=60)
    for k in ("TIB_min", "TST_min", "SOL_min", "WASO_min", "REM_latency_min"):
        assert c[k] == pytest.approx(2 * a[k])
    for k in ("SE_pct", "N2_pct", "REM_pct"):
        assert c[k] == pytest.approx(a[k])


def test_rem_latency_is_from_sleep_onset_not_lights_off():
    s = sl.sleep_statistics(["W"] * 10 + ["N2"] * 4 + ["R"])
    assert s["SOL_min"] == 5.0
    assert s["REM_latency_min"] == 2.0  # not 7.0


def test_no_sleep_and_no_rem_give_nan_not_zero():
    s = sl.sleep_statistics(["W"] * 6)
    assert s["TST_min"] == 0 and s["SE_pct"] == 0 and s["WASO_min"] == 0
    assert math.isnan(s["SOL_min"]) and math.isnan(s["REM_latency_min"])
    assert math.isnan(s["N2_pct"])
    s = sl.sleep_statistics(["N2", "N3"])
    assert math.isnan(s["REM_latency_min"]) and s["SOL_min"] == 0


@pytest.mark.parametrize(
    "stages, match",
    [
        (["W", "N4", "N2"], "'N4' at epoch 1"),
        (["W", "REM"], "'REM' at epoch 1"),
        ([0, 1, 5], "5 at epoch 2"),
        ([0, -1], "-1 at epoch 1"),
        (["W", 1], "mixed"),
        ([], "non-empty"),
        ([0.0, 1.0], "unsupported"),
    ],
)
def test_invalid_stages_are_named(stages, match):
    with pytest.raises(ValueError, match=match):
        sl.sleep_statistics(stages)


@pytest.mark.parametrize("epoch", [0, -30, float("nan"), 301, "30", True])
def test_invalid_epoch_length(epoch):
    with pytest.raises(ValueError, match="epoch_s"):
        sl.sleep_statistics(["W", "N1"], epoch_s=epoch)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=1, max_size=300))
def test_statistics_identities(codes):
    s = sl.sleep_statistics(codes)
    assert s["TST_min"] <= s["SPT_min"] + 1e-9 <= s["TIB_min"] + 1e-9
    if s["TST_min"] > 0:
        assert s["SPT_min"] == pytest.approx(s["TST_min"] + s["WASO_min"])
        assert s["SOL_min"] + s["SPT_min"] <= s["TIB_min"] + 1e-9
        assert s["N1_pct"] + s["N2_pct"] + s["N3_pct"] + s["REM_pct"] == pytest.approx(100)
        assert s["N1_min"] + s["N2_min"] + s["N3_min"] + s["REM_min"] == pytest.approx(s["TST_min"])


# ----------------------------------------------------------------------------- hypnogram


def test_simulated_hypnogram_is_seeded_and_valid():
    a = sl.simulate_hypnogram(500, seed=3)
    b = sl.simulate_hypnogram(500, seed=3)
    c = sl.simulate_hypnogram(500, seed=4)
    assert a.shape == (500,) and (a == b).all() and not (a == c).all()
    assert set(a) <= set(sl.STAGES) and a[0] == "W"


def test_simulated_hypnogram_transition_frequencies_match_the_matrix():
    x = sl.stage_codes(sl.simulate_hypnogram(200_000, seed=0))
    counts = np.zeros((5, 5))
    np.add.at(counts, (x[:-1], x[1:]), 1)
    freq = counts / counts.sum(axis=1, keepdims=True)
    assert np.allclose(freq, sl.ILLUSTRATIVE_TRANSITIONS, atol=0.01)


def test_bad_transition_matrix():
    with pytest.raises(ValueError, match="sum to 1"):
        sl.simulate_hypnogram(10, transitions=np.full((5, 5), 0.1))
    with pytest.raises(ValueError, match="5×5"):
        sl.simulate_hypnogram(10, transitions=np.eye(4))


# ----------------------------------------------------------------------------- two-process model


def _params(set_id: str) -> pd.Series:
    return data.row("two_process_parameters", set_id=set_id)


def test_default_published_set_gives_one_consolidated_sleep_per_day():
    p = _params("skeldon2025_fig1b")
    assert sl.steady_state_pattern(p) == (1, 1)
    sim = sl.simulate_two_process(10, p, burn_in_days=60)
    ep = sl.sleep_episodes(sim)
    assert len(ep) in (9, 10)
    assert ep["duration_h"].std() < 1e-6  # the same single episode every day
    assert (ep["duration_h"] > 6).all()  # consolidated, not naps


@pytest.mark.parametrize(
    "set_id", ["skeldon2025_fig1b", "skeldon2025_fig1c", "skeldon2025_fig1d", "skeldon2025_fig1e"]
)
def test_published_sets_give_their_published_patterns(set_id):
    p = _params(set_id)
    expected = (int(p["published_sleeps_per_cycle"]), int(p["published_cycle_days"]))
    assert sl.steady_state_pattern(p, burn_in_days=100) == expected


def test_a_pattern_read_from_a_settled_run_repeats_and_a_short_run_is_refused():
    p = _params("skeldon2025_fig1d")
    run = sl.simulate_two_process(24, p, burn_in_days=100, dt_min=60)
    sleeps, cycle = sl.repeating_pattern(run)
    assert (sleeps, cycle) == (
        int(p["published_sleeps_per_cycle"]),
        int(p["published_cycle_days"]),
    )
    # independent check: the onsets of the first cycle come back one cycle later
    on = sl.sleep_episodes(run)["onset_h"].to_numpy()
    first = on[on < 24 * cycle]
    again = on[(on >= 24 * cycle) & (on < 48 * cycle)]
    assert len(first) == len(again) == sleeps
    assert np.allclose(again - first, 24 * cycle, atol=0.05)
    with pytest.raises(ValueError, match=r"spans 10 days.*max_days=8.*24 days"):
        sl.repeating_pattern(sl.simulate_two_process(10, p, dt_min=60))


def test_without_circadian_modulation_the_period_matches_the_published_value():
    p = _params("skeldon2025_fig6a")
    sim = sl.simulate_two_process(10, p, dt_min=60)
    sw = sl.sleep_episodes(sim)
    period = np.diff(sw["onset_h"]).mean()
    assert period == pytest.approx(p["published_period_h"], abs=0.06)  # "approximately"
    assert sw["duration_h"].mean() == pytest.approx(p["published_sleep_h"], abs=0.05)
    # and the closed form: chi_w ln((mu-H-)/(mu-H+)) + chi_s ln(H+/H-)
    closed = 18.2 * math.log(0.83 / 0.33) + 4.2 * math.log(0.67 / 0.17)
    assert period == pytest.approx(closed, abs=1e-6)


def _ode_reference(p, t_end, phase_h=0.0):
    """Independent solution: scipy solve_ivp with terminal threshold events."""
    from scipy.integrate import solve_ivp

    w = 2 * np.pi / 24

    def c(t):
        return np.sin(w * (t - phase_h))

    t, s, asleep = 0.0, p["h0_lower"] + p["amplitude"] * c(0.0), False
    switches = []
    while t < t_end:
        if asleep:
            rhs = lambda _t, y: [-y[0] / p["chi_s_h"]]  # noqa: E731
            ev = lambda _t, y: y[0] - (p["h0_lower"] + p["amplitude"] * c(_t))  # noqa: E731
        else:
            rhs = lambda _t, y: [(p["mu"] - y[0]) / p["chi_w_h"]]  # noqa: E731
            ev = lambda _t, y: y[0] - (p["h0_upper"] + p["amplitude"] * c(_t))  # noqa: E731
        ev.terminal = True
        sol = solve_ivp(rhs, (t + 1e-7, t_end), [s], events=ev, rtol=1e-11, atol=1e-13)
        if not sol.t_events[0].size:
            break
        t, s = float(sol.t_events[0][0]), float(sol.y_events[0][0][0])
        asleep = not asleep
        switches.append(t)
    return np.array(switches)


def test_exact_solution_matches_numerical_integration():
    p = STANDARD
    sim = sl.simulate_two_process(6, p, dt_min=10)
    ours = sim.attrs["switches"]["t_h"].to_numpy()[1:]
    ref = _ode_reference(p, 6 * 24)
    assert len(ours) == len(ref) >= 10
    assert np.allclose(ours, ref, atol=1e-5)


def test_s_between_switches_solves_the_ode():
    from scipy.integrate import solve_ivp

    sim = sl.simulate_two_process(3, STANDARD, dt_min=1)
    sw = sim.attrs["switches"]
    a, b = sw["t_h"].iloc[1], sw["t_h"].iloc[2]  # one complete episode
    asleep = bool(sw["asleep"].iloc[1])
    rhs = (lambda _t, y: -y / 4.2) if asleep else (lambda _t, y: (1 - y) / 18.2)
    inside = sim[(sim["t_h"] > a) & (sim["t_h"] < b)]
    sol = solve_ivp(rhs, (a, b), [sw["S"].iloc[1]], t_eval=inside["t_h"], rtol=1e-11, atol=1e-13)
    assert np.allclose(sol.y[0], inside["S"], atol=1e-8)
    # at every switch S is on the relevant threshold
    thr = np.where(
        sw["asleep"],
        STANDARD["h0_upper"] + 0.12 * sl.circadian(sw["t_h"]),
        STANDARD["h0_lower"] + 0.12 * sl.circadian(sw["t_h"]),
    )
    assert np.allclose(sw["S"].iloc[1:], thr[1:], atol=1e-9)


def test_output_grid_and_columns():
    sim = sl.simulate_two_process(2, STANDARD, dt_min=1)
    assert list(sim.columns) == ["t_h", "clock_h", "day", "S", "upper", "lower", "asleep"]
    assert len(sim) == 2 * 24 * 60 + 1
    assert sim["asleep"].dtype == bool
    assert (sim["upper"] - sim["lower"]).round(12).eq(0.5).all()


def test_sleep_deprivation_delays_sleep_and_lengthens_recovery():
    p = _params("skeldon2025_fig1b")
    phase = sl.phase_for_wake_time(p, 7.0)
    base, dep, forced = sl.deprivation_scenario(p, days=5, phase_h=phase, deprivation_h=24)
    (a, b) = forced[0]
    assert b - a == pytest.approx(24)
    assert not dep.loc[(dep["t_h"] >= a) & (dep["t_h"] < b), "asleep"].any()
    ep_b, ep_d = sl.sleep_episodes(base), sl.sleep_episodes(dep)
    rec = ep_d[ep_d["onset_h"] >= b - 1e-9].iloc[0]
    assert rec["onset_h"] == pytest.approx(b)  # S is above threshold: sleeps as soon as allowed
    assert rec["duration_h"] > ep_b["duration_h"].iloc[0] + 0.3  # longer recovery sleep
    same, same2, _ = sl.deprivation_scenario(p, days=5, phase_h=phase, deprivation_h=0)
    assert same.equals(same2)


def test_phase_for_wake_time_and_phase_shift():
    p = _params("skeldon2025_fig1b")
    for wake in (6.5, 7.0, 9.25):
        ph = sl.phase_for_wake_time(p, wake)
        sim = sl.simulate_two_process(3, p, phase_h=ph, burn_in_days=30, dt_min=60)
        assert sl.sleep_episodes(sim)["offset_clock_h"].iloc[-1] == pytest.approx(wake, abs=1e-6)
    # a circadian phase advance of 2 h moves steady-state sleep 2 h earlier
    ph = sl.phase_for_wake_time(p, 7.0)
    sim = sl.simulate_two_process(
        40, p, phase_h=ph, burn_in_days=30, dt_min=60, phase_shift_h=2.0, phase_shift_at_h=24.0
    )
    assert sl.sleep_episodes(sim)["offset_clock_h"].iloc[-1] == pytest.approx(5.0, abs=1e-4)
    with pytest.raises(ValueError, match="one sleep per day"):
        sl.phase_for_wake_time(_params("skeldon2025_fig1e"), 7.0)


@pytest.mark.parametrize(
    "kw, match",
    [
        (dict(days=0), "days"),
        (dict(days=1, dt_min=0), "dt_min"),
        (dict(days=1, forced_wake=[(5, 3)]), "forced_wake"),
        (dict(days=1, params={**STANDARD, "h0_lower": 0.05}), "thresholds"),
        (dict(days=1, params={k: v for k, v in STANDARD.items() if k != "mu"}), "missing"),
    ],
)
def test_two_process_errors(kw, match):
    kw = {"params": STANDARD, **kw}
    with pytest.raises(ValueError, match=match):
        sl.simulate_two_process(**kw)


# ----------------------------------------------------------------------------- PRC helpers


def test_phase_shift_clock_wraps():
    assert sl.phase_shift_clock(1.0, 2.0) == pytest.approx(23.0)  # advance: earlier
    assert sl.phase_shift_clock(23.0, -2.0) == pytest.approx(1.0)  # delay: later


def test_prc_timing_uses_the_table_window():
    prc = data.load("melatonin_phase_response")
    r = sl.prc_timing(3.0, prc, dose_mg=0.5)  # 3 h before DLMO: inside 2-4 h before
    assert r["in_advance_window"] and r["hours_from_advance_window"] == 0
    assert r["advance_window_h"] == (-4.0, -2.0)
    r = sl.prc_timing(7.0, prc, dose_mg=0.5)
    assert not r["in_advance_window"] and r["hours_from_advance_window"] == pytest.approx(3.0)
    r = sl.prc_timing(5.0, prc, dose_mg=3)
    assert r["in_advance_window"]
    # around the 24-h clock: 11 h after DLMO is 13 h before the next DLMO, 9 h from the window
    assert sl.prc_timing(-11.0, prc, dose_mg=0.5)["hours_from_advance_window"] == pytest.approx(9.0)
    assert sl.prc_timing(-2.0, prc, dose_mg=0.5)["hours_from_advance_window"] == pytest.approx(4.0)
    with pytest.raises(ValueError, match="dose_mg"):
        sl.prc_timing(3.0, prc, dose_mg=10)
    with pytest.raises(ValueError, match="hours_before_dlmo"):
        sl.prc_timing(30, prc, dose_mg=0.5)


# ----------------------------------------------------------------------------- root refinement


@settings(max_examples=60, deadline=None)
@given(
    t=st.floats(0, 48),
    s=st.floats(0.05, 0.95),
    asleep=st.booleans(),
    phase=st.floats(0, 24),
)
def test_refine_root_matches_scipy_brentq(t, s, asleep, phase):
    """The switch-time refiner gives the root scipy's brentq gives, on the model's own f."""
    from scipy.optimize import brentq

    p = sl.TwoProcessParams.from_mapping(STANDARD)
    f = sl._scalar_f(p, t, s, asleep, lambda x: phase)
    grid = t + np.arange(0, 48, 0.1)
    g = np.array([f(x) for x in grid])
    idx = np.flatnonzero(np.sign(g[1:]) != np.sign(g[:-1]))
    if not idx.size:
        return
    a, b = grid[idx[0]], grid[idx[0] + 1]
    assert sl._refine_root(f, a, b, xtol=1e-11) == pytest.approx(
        brentq(f, a, b, xtol=1e-12), abs=1e-9
    )


def test_refine_root_needs_a_sign_change():
    with pytest.raises(ValueError, match="no sign change"):
        sl._refine_root(lambda x: x * x + 1, -1.0, 1.0)


def test_sleep_raster_double_plots_each_episode_on_its_day_and_the_previous_row():
    import pandas as pd
    from matplotlib.collections import PolyCollection

    from helpers.plots import sleep as sleep_plots

    # day 0, 23:00 for 8 h (past midnight), and day 2, 01:00 for 7 h
    ep = pd.DataFrame({"onset_h": [23.0, 49.0], "duration_h": [8.0, 7.0]})
    fig = sleep_plots.sleep_raster({"a": ep}, days=3)
    (coll,) = [c for c in fig.axes[0].collections if isinstance(c, PolyCollection)]
    bars = sorted(
        (round(v[0, 0], 6), round(v[1, 0] - v[0, 0], 6), round(v[0, 1] + 0.4, 6))
        for v in (path.vertices for path in coll.get_paths())
    )
    # (x start h, width h, row): each episode on its own day at clock time, on the previous
    # day's row 24 h later, and on the next day's row 24 h earlier (off the axis when < 0)
    assert bars == sorted([(23.0, 8.0, 0.0), (-1.0, 8.0, 1.0), (1.0, 7.0, 2.0), (25.0, 7.0, 1.0)])


def test_sleep_in_window_matches_the_sampled_run_and_compares_like_with_like():
    p = _params("skeldon2025_fig1b")
    phase = sl.phase_for_wake_time(p, 7.0)
    base, dep, forced = sl.deprivation_scenario(p, days=6, phase_h=phase, deprivation_h=12)
    end = forced[0][1]
    for run in (base, dep):
        got = sl.sleep_in_window(run, end, end + 24)
        # independent: the 5-minute samples of the run, counted where it is asleep
        inside = run[(run["t_h"] >= end) & (run["t_h"] < end + 24)]
        dt = float(run["t_h"].diff().median())
        assert got["hours"] == pytest.approx(
            inside["asleep"].sum() * dt, abs=2 * dt * got["episodes"]
        )
        falls = (
            -inside["S"].diff().where(inside["asleep"] & inside["asleep"].shift(fill_value=False))
        )
        assert got["s_fall"] == pytest.approx(falls.sum(), abs=0.02)
    after, before = sl.sleep_in_window(dep, end, end + 24), sl.sleep_in_window(base, end, end + 24)
    # a 12 h deprivation ends in the morning: a short daytime sleep, then the night's sleep
    assert after["episodes"] == 2 and before["episodes"] == 1
    assert after["hours"] > before["hours"] and after["s_fall"] > before["s_fall"]
    with pytest.raises(ValueError, match="end_h > start_h"):
        sl.sleep_in_window(base, 10.0, 10.0)
