"""Sleep physiology for teaching: sleep statistics from hypnograms, the two-process model
of sleep regulation, a seeded Markov hypnogram, and melatonin phase-response landmarks.

Units are in every name: times in hours (``*_h``) or minutes (``*_min``), epoch lengths
in seconds (``epoch_s``), percentages in % (``*_pct``). Sleep pressure ``S`` and the
thresholds of the two-process model are dimensionless (the upper asymptote ``mu`` is 1 in
the published parameter sets).

Sleep stages
------------
A hypnogram is a sequence of scored epochs (30 s by default). Stages are given either as
labels ``"W"``, ``"N1"``, ``"N2"``, ``"N3"``, ``"R"`` (REM) or as integers with the coding
``0 = W, 1 = N1, 2 = N2, 3 = N3, 4 = R`` (:data:`STAGE_CODES`).

Two-process model
-----------------
The thresholded form of Daan, Beersma & Borbély (1984), with the symbols and parameter
values of Skeldon & Dijk (2025, Fig. 1)::

    awake:  dS/dt = (mu - S) / chi_w   ->  S(t) = mu + (S0 - mu) * exp(-(t - t0) / chi_w)
    asleep: dS/dt = -S / chi_s         ->  S(t) = S0 * exp(-(t - t0) / chi_s)
    upper threshold H+(t) = H0+ + a * C(t)   (wake -> sleep when S reaches H+)
    lower threshold H-(t) = H0- + a * C(t)   (sleep -> wake when S falls to H-)
    C(t) = sin(2 * pi * (t - phase_h) / 24)

The course uses a single sinusoid for C(t); the published model's circadian curve may be
skewed (several harmonics). :func:`simulate_two_process` uses the exact exponential
solutions between switches, so its only numerical step is root-finding for the switch
times: brackets found on a coarse grid, refined by the Illinois (modified regula falsi)
method in :func:`_refine_root` (a few lines of pure Python, so the lesson does not import
``scipy.optimize``; the tests check it against ``scipy.optimize.brentq``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "ILLUSTRATIVE_TRANSITIONS",
    "STAGES",
    "STAGE_CODES",
    "TwoProcessParams",
    "circadian",
    "count_sleeps",
    "phase_for_wake_time",
    "phase_shift_clock",
    "prc_timing",
    "repeating_pattern",
    "simulate_hypnogram",
    "simulate_two_process",
    "sleep_episodes",
    "sleep_in_window",
    "sleep_statistics",
    "stage_codes",
    "steady_state_pattern",
]

#: Stage labels in their integer order (0..4).
STAGES: tuple[str, ...] = ("W", "N1", "N2", "N3", "R")
#: Label -> integer code.
STAGE_CODES: dict[str, int] = {s: i for i, s in enumerate(STAGES)}

HOURS_PER_DAY = 24.0
MAX_EPOCH_S = 300.0


# ----------------------------------------------------------------------------- statistics


def stage_codes(stages: Iterable) -> np.ndarray:
    """Convert a hypnogram (labels or integer codes) to an integer array 0..4.

    Raises ``ValueError`` naming the first invalid entry, its position and the allowed values.
    """
    arr = np.asarray(list(stages) if not isinstance(stages, np.ndarray) else stages, dtype=object)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(
            f"stages: expected a non-empty 1-D sequence of epochs, got shape {arr.shape}"
        )
    is_str = np.array([isinstance(v, str) for v in arr])
    is_int = np.array(
        [isinstance(v, int | np.integer) and not isinstance(v, bool | np.bool_) for v in arr]
    )
    allowed = f"labels {list(STAGES)} or integers 0-4 (0=W, 1=N1, 2=N2, 3=N3, 4=R)"
    if is_str.all():
        lookup = np.array([STAGE_CODES.get(v, -1) for v in arr])
    elif is_int.all():
        lookup = arr.astype(int)
        lookup = np.where((lookup >= 0) & (lookup <= 4), lookup, -1)
    else:
        i = int(np.argmin(is_str)) if is_str.any() else int(np.argmin(is_int))
        raise ValueError(
            f"stages: mixed or unsupported entry {arr[i]!r} at epoch {i}; use only {allowed}"
        )
    bad = np.flatnonzero(lookup < 0)
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"stages: invalid stage {arr[i]!r} at epoch {i} ({bad.size} invalid in total); "
            f"allowed: {allowed}"
        )
    return lookup.astype(int)


def _check_epoch(epoch_s: float) -> float:
    if (
        isinstance(epoch_s, bool)
        or not isinstance(epoch_s, int | float | np.integer | np.floating)
        or not np.isfinite(epoch_s)
        or not 0 < epoch_s <= MAX_EPOCH_S
    ):
        raise ValueError(
            f"epoch_s: got {epoch_s!r}; allowed: a number of seconds > 0 and ≤ {MAX_EPOCH_S:g} "
            "(30 s is the standard scoring epoch)"
        )
    return float(epoch_s)


def sleep_statistics(stages: Iterable, epoch_s: float = 30) -> dict[str, float]:
    """Standard summary statistics of one night's hypnogram.

    Parameters
    ----------
    stages : sequence of epochs, labels ``W, N1, N2, N3, R`` or integers 0–4 (0 = W … 4 = R).
        The sequence is the whole recording, from lights-off to lights-on.
    epoch_s : length of one scored epoch in seconds (default 30).

    Returns
    -------
    dict with (minutes unless stated)

    * ``TIB_min`` time in bed: the whole recording (number of epochs × epoch length);
    * ``SOL_min`` sleep-onset latency: lights-off to the **first epoch of any sleep stage**
      (N1, N2, N3 or R);
    * ``SPT_min`` sleep period time: sleep onset to the end of the **last sleep epoch**;
    * ``TST_min`` total sleep time: all epochs scored N1, N2, N3 or R;
    * ``WASO_min`` wake after sleep onset: W epochs **between sleep onset and the last sleep
      epoch** (wake after the final awakening is not counted), so SPT = TST + WASO;
    * ``SE_pct`` sleep efficiency: TST / TIB × 100 (%);
    * ``N1_min``, ``N2_min``, ``N3_min``, ``REM_min`` and ``N1_pct`` … ``REM_pct``: minutes
      in each stage and the percentage **of TST**;
    * ``REM_latency_min``: **from sleep onset** (not from lights-off) to the first R epoch.

    With no sleep at all, TST, SPT and WASO are 0, SE is 0 %, and SOL, the stage percentages
    and REM latency are NaN (undefined); REM latency is also NaN when there is no R epoch.

    Raises
    ------
    ValueError
        an invalid stage (the message names it and its epoch) or an epoch length that is not
        a number of seconds in (0, 300].
    """
    epoch_min = _check_epoch(epoch_s) / 60.0
    codes = stage_codes(stages)
    n = codes.size
    asleep = codes > 0
    out: dict[str, float] = {"TIB_min": n * epoch_min}
    sleep_idx = np.flatnonzero(asleep)
    counts = np.bincount(codes, minlength=5)
    tst_epochs = int(asleep.sum())
    out["TST_min"] = tst_epochs * epoch_min
    out["SE_pct"] = 100.0 * tst_epochs / n
    if sleep_idx.size == 0:
        out.update(SOL_min=np.nan, SPT_min=0.0, WASO_min=0.0, REM_latency_min=np.nan)
    else:
        onset, last = int(sleep_idx[0]), int(sleep_idx[-1])
        out["SOL_min"] = onset * epoch_min
        out["SPT_min"] = (last - onset + 1) * epoch_min
        out["WASO_min"] = int((codes[onset : last + 1] == 0).sum()) * epoch_min
        rem = np.flatnonzero(codes == STAGE_CODES["R"])
        out["REM_latency_min"] = (int(rem[0]) - onset) * epoch_min if rem.size else np.nan
    for label, key in (("N1", "N1"), ("N2", "N2"), ("N3", "N3"), ("R", "REM")):
        c = int(counts[STAGE_CODES[label]])
        out[f"{key}_min"] = c * epoch_min
        out[f"{key}_pct"] = 100.0 * c / tst_epochs if tst_epochs else np.nan
    order = [
        "TIB_min", "SPT_min", "TST_min", "SOL_min", "WASO_min", "SE_pct",
        "N1_min", "N2_min", "N3_min", "REM_min", "N1_pct", "N2_pct", "N3_pct", "REM_pct",
        "REM_latency_min",
    ]  # fmt: skip
    return {k: float(out[k]) for k in order}


# ----------------------------------------------------------------------------- hypnograms

#: ILLUSTRATIVE per-epoch (30 s) transition probabilities between W, N1, N2, N3, R.
#: Invented for teaching so that a simulated night looks plausible; NOT estimated from data
#: and not cited. Rows are the current stage, columns the next stage (rows sum to 1).
ILLUSTRATIVE_TRANSITIONS = np.array(
    [
        [0.900, 0.100, 0.000, 0.000, 0.000],  # from W
        [0.040, 0.800, 0.150, 0.000, 0.010],  # from N1
        [0.008, 0.012, 0.955, 0.015, 0.010],  # from N2
        [0.005, 0.000, 0.030, 0.965, 0.000],  # from N3
        [0.012, 0.010, 0.013, 0.000, 0.965],  # from R
    ]
)


def _check_transitions(transitions: np.ndarray) -> np.ndarray:
    p = np.asarray(transitions, dtype=float)
    if p.shape != (5, 5) or not np.all(np.isfinite(p)) or (p < 0).any():
        raise ValueError(
            f"transitions: expected a 5×5 matrix of probabilities ≥ 0 (W, N1, N2, N3, R), got shape {p.shape}"
        )
    sums = p.sum(axis=1)
    if not np.allclose(sums, 1.0, atol=1e-9):
        raise ValueError(f"transitions: every row must sum to 1; row sums are {np.round(sums, 6)}")
    if (np.diag(p) >= 1).any():
        raise ValueError("transitions: a stage with staying probability 1 can never be left")
    return p


def simulate_hypnogram(
    n_epochs: int = 960,
    seed: int = 0,
    transitions: np.ndarray = ILLUSTRATIVE_TRANSITIONS,
    start: str = "W",
) -> np.ndarray:
    """A seeded Markov-chain hypnogram (array of stage labels), one entry per epoch.

    The chain is sampled as a *jump chain*: the time spent in a stage is geometric with
    parameter 1 − p_ii and the next stage is drawn from the row's off-diagonal
    probabilities. This is exactly equivalent to drawing every epoch, but loops over stage
    episodes rather than epochs. With the default :data:`ILLUSTRATIVE_TRANSITIONS` the result
    is **illustrative**: a time-homogeneous chain cannot reproduce the real night's drift
    (more N3 early, more REM late). Same ``seed`` → same hypnogram.
    """
    if isinstance(n_epochs, bool) or not isinstance(n_epochs, int | np.integer) or n_epochs < 1:
        raise ValueError(f"n_epochs: got {n_epochs!r}; allowed: a whole number ≥ 1")
    if start not in STAGE_CODES:
        raise ValueError(f"start: got {start!r}; allowed: {list(STAGES)}")
    p = _check_transitions(transitions)
    rng = np.random.default_rng(seed)
    stay = np.diag(p)
    jump = p * (1 - np.eye(5))
    jump = jump / jump.sum(axis=1, keepdims=True)
    states, lengths = [], []
    state, total = STAGE_CODES[start], 0
    while total < n_epochs:  # one iteration per stage episode
        length = int(rng.geometric(1.0 - stay[state]))
        states.append(state)
        lengths.append(length)
        total += length
        state = int(rng.choice(5, p=jump[state]))
    codes = np.repeat(states, lengths)[:n_epochs]
    return np.asarray(STAGES, dtype=object)[codes]


# ----------------------------------------------------------------------------- two-process model


@dataclass(frozen=True)
class TwoProcessParams:
    """Parameters of the thresholded two-process model (Skeldon & Dijk 2025 symbols).

    chi_w_h, chi_s_h : time constants (h) of the rise while awake and the decay while asleep.
    h0_upper, h0_lower : mean upper and lower thresholds (dimensionless).
    amplitude : circadian amplitude ``a`` of the thresholds (dimensionless, ≥ 0).
    mu : upper asymptote of S while awake (dimensionless).
    """

    chi_w_h: float
    chi_s_h: float
    h0_upper: float
    h0_lower: float
    amplitude: float
    mu: float = 1.0

    @classmethod
    def from_mapping(cls, m: Mapping | pd.Series | TwoProcessParams) -> TwoProcessParams:
        if isinstance(m, TwoProcessParams):
            return m
        names = ("chi_w_h", "chi_s_h", "h0_upper", "h0_lower", "amplitude", "mu")
        missing = [k for k in names if k not in m]
        if missing:
            raise ValueError(f"params: missing {missing}; needed: {list(names)}")
        p = cls(**{k: float(m[k]) for k in names})
        p.check()
        return p

    def check(self) -> None:
        for k in ("chi_w_h", "chi_s_h", "mu"):
            v = getattr(self, k)
            if not np.isfinite(v) or v <= 0:
                raise ValueError(f"params.{k}: got {v!r}; allowed: a number > 0")
        if not np.isfinite(self.amplitude) or self.amplitude < 0:
            raise ValueError(f"params.amplitude: got {self.amplitude!r}; allowed: a number ≥ 0")
        lo_min = self.h0_lower - self.amplitude
        hi_max = self.h0_upper + self.amplitude
        if not (0 < lo_min and self.h0_lower < self.h0_upper and hi_max < self.mu):
            raise ValueError(
                "params: thresholds must satisfy 0 < h0_lower − amplitude, h0_lower < h0_upper and "
                f"h0_upper + amplitude < mu; got h0_lower={self.h0_lower}, h0_upper={self.h0_upper}, "
                f"amplitude={self.amplitude}, mu={self.mu}"
            )


def circadian(t_h: np.ndarray | float, phase_h: float = 0.0) -> np.ndarray:
    """The circadian modulation C(t) = sin(2π (t − phase_h) / 24), dimensionless in [−1, 1]."""
    return np.sin(2 * np.pi * (np.asarray(t_h, dtype=float) - phase_h) / HOURS_PER_DAY)


def _s_awake(p: TwoProcessParams, s0, dt):
    return p.mu + (s0 - p.mu) * np.exp(-dt / p.chi_w_h)


def _s_asleep(p: TwoProcessParams, s0, dt):
    return s0 * np.exp(-dt / p.chi_s_h)


def _intervals(forced_wake) -> np.ndarray:
    w = np.asarray(list(forced_wake), dtype=float).reshape(-1, 2)
    if w.size and ((w[:, 1] <= w[:, 0]).any() or not np.all(np.isfinite(w))):
        raise ValueError(
            f"forced_wake: every interval must be (start_h, end_h) with end_h > start_h; got {w.tolist()}"
        )
    return w[np.argsort(w[:, 0])] if w.size else w


def _scalar_f(p: TwoProcessParams, t: float, s: float, asleep: bool, phase_fn):
    """Scalar (math-module) version of the switching function, for fast root refinement."""
    w = 2 * math.pi / HOURS_PER_DAY
    if asleep:

        def f(x: float) -> float:
            c = math.sin(w * (x - float(phase_fn(x))))
            return p.h0_lower + p.amplitude * c - s * math.exp(-(x - t) / p.chi_s_h)
    else:

        def f(x: float) -> float:
            c = math.sin(w * (x - float(phase_fn(x))))
            return p.mu + (s - p.mu) * math.exp(-(x - t) / p.chi_w_h) - p.h0_upper - p.amplitude * c

    return f


def _refine_root(f, a: float, b: float, xtol: float = 1e-11, maxiter: int = 200) -> float:
    """Root of a scalar function ``f`` in the bracket [a, b] (f(a), f(b) of opposite signs).

    Illinois variant of regula falsi: superlinear, and the bracket always holds the root.
    Stops when the bracket or the last step is shorter than ``xtol`` (same unit as a, b).
    """
    fa, fb = f(a), f(b)
    if fa == 0:
        return float(a)
    if fb == 0:
        return float(b)
    if (fa > 0) == (fb > 0):
        raise ValueError(f"no sign change of f on [{a}, {b}]: f(a) = {fa}, f(b) = {fb}")
    side, c_old = 0, a
    for _ in range(maxiter):
        c = (a * fb - b * fa) / (fb - fa)
        fc = f(c)
        if fc == 0 or abs(b - a) < xtol or abs(c - c_old) < xtol:
            return float(c)
        if (fc > 0) == (fb > 0):
            b, fb = c, fc
            if side == -1:
                fa /= 2
            side = -1
        else:
            a, fa = c, fc
            if side == 1:
                fb /= 2
            side = 1
        c_old = c
    return float(0.5 * (a + b))


def _switch_events(
    p: TwoProcessParams,
    t_start: float,
    t_end: float,
    s_start: float,
    asleep_start: bool,
    phase_fn,
    forced: np.ndarray,
    search_step_h: float = 0.1,
    window_h: float = 36.0,
):
    """Switch times: brackets from a coarse grid, refined with :func:`_refine_root`.

    Loops over sleep/wake episodes (a few per day), never over output time points.
    """

    def threshold(x, level):
        return level + p.amplitude * circadian(x, phase_fn(x))

    def blocked(x):
        if not forced.size:
            return np.zeros(np.shape(x), bool)
        x = np.asarray(x)
        return ((x[..., None] >= forced[:, 0]) & (x[..., None] < forced[:, 1])).any(-1)

    starts, states, s0s = [t_start], [asleep_start], [s_start]
    t, s, asleep = t_start, s_start, asleep_start
    while t < t_end:
        if asleep:

            def f(x, t=t, s=s):  # >= 0: S has fallen to the lower threshold -> wake
                return threshold(x, p.h0_lower) - _s_asleep(p, s, np.asarray(x) - t)
        else:

            def f(x, t=t, s=s):  # >= 0: S has reached the upper threshold -> sleep
                return _s_awake(p, s, np.asarray(x) - t) - threshold(x, p.h0_upper)

        found, lo = None, t
        while found is None and lo < t_end + window_h:
            hi = lo + window_h
            grid = np.arange(lo, hi + 1e-9, search_step_h)
            if forced.size:  # window edges become exact grid points
                e = forced.ravel()
                grid = np.unique(np.concatenate([grid, e[(e > lo) & (e < hi)]]))
            g = f(grid)
            ok = np.ones(grid.size, bool) if asleep else ~blocked(grid)
            hits = (g >= 0) & ok
            hits[0] = False  # grid[0] is the episode start or was checked in the last window
            idx = np.flatnonzero(hits)
            if idx.size:
                i = int(idx[0])
                a, b = grid[i - 1], grid[i]
                if ok[i - 1] and g[i - 1] < 0:
                    found = _refine_root(_scalar_f(p, t, s, asleep, phase_fn), a, b, xtol=1e-11)
                else:
                    found = float(b)  # the end of a forced-wake interval
            lo = hi
        if asleep and forced.size:  # a forced-wake interval starting during sleep ends it
            nxt = forced[forced[:, 0] > t, 0]
            if nxt.size and (found is None or nxt[0] < found):
                found = float(nxt[0])
        if found is None or found >= t_end:
            break
        s = float(_s_asleep(p, s, found - t) if asleep else _s_awake(p, s, found - t))
        t, asleep = float(found), not asleep
        starts.append(t)
        states.append(asleep)
        s0s.append(s)
    return np.array(starts), np.array(states, dtype=bool), np.array(s0s)


def simulate_two_process(
    days: float,
    params: Mapping | pd.Series | TwoProcessParams,
    *,
    dt_min: float = 1.0,
    phase_h: float = 0.0,
    s_init: float | None = None,
    asleep_init: bool = False,
    burn_in_days: float = 0.0,
    forced_wake: Sequence[tuple[float, float]] = (),
    phase_shift_h: float = 0.0,
    phase_shift_at_h: float | None = None,
) -> pd.DataFrame:
    """Simulate the thresholded two-process model with its exact exponential solutions.

    Parameters
    ----------
    days : simulated span in days (> 0, ≤ 400), output from t = 0 h.
    params : ``chi_w_h, chi_s_h, h0_upper, h0_lower, amplitude, mu`` (a mapping, a row of
        the ``two_process_parameters`` table, or :class:`TwoProcessParams`).
    dt_min : output resolution in minutes (the switch times themselves are exact).
    phase_h : phase of C(t) = sin(2π (t − phase_h)/24); t = 0 is midnight of day 0, so the
        thresholds are lowest at clock time phase_h + 18 h (mod 24).
    s_init, asleep_init : state at the start of the burn-in (default: awake, S on the lower
        threshold).
    burn_in_days : days simulated before t = 0 and discarded (to reach steady state).
    forced_wake : intervals (start_h, end_h) during which sleep is not allowed (sleep
        deprivation); a sleep in progress at start_h is interrupted. Times as in the output.
    phase_shift_h, phase_shift_at_h : a step change of the circadian phase at
        ``phase_shift_at_h`` (h): a **positive shift is an advance** (the thresholds' rhythm,
        and with it sleep, moves earlier by that many hours).

    Returns
    -------
    DataFrame with columns ``t_h`` (h from midnight of day 0), ``clock_h`` (0–24), ``day``,
    ``S``, ``upper``, ``lower`` and ``asleep`` (bool). ``df.attrs["switches"]`` holds the
    switch table (``t_h``, ``asleep`` after the switch, ``S``).
    """
    p = TwoProcessParams.from_mapping(params)
    if not (isinstance(days, int | float) and 0 < days <= 400):
        raise ValueError(f"days: got {days!r}; allowed: a number of days > 0 and ≤ 400")
    if not (isinstance(dt_min, int | float) and 0 < dt_min <= 60):
        raise ValueError(f"dt_min: got {dt_min!r}; allowed: minutes > 0 and ≤ 60")
    if not (isinstance(burn_in_days, int | float) and 0 <= burn_in_days <= 400):
        raise ValueError(f"burn_in_days: got {burn_in_days!r}; allowed: 0 to 400 days")
    forced = _intervals(forced_wake)
    shift_at = np.inf if phase_shift_at_h is None else float(phase_shift_at_h)

    def phase_fn(x):
        if np.isscalar(x):
            return phase_h - phase_shift_h * (x >= shift_at)
        return phase_h - phase_shift_h * (np.asarray(x) >= shift_at)

    t0 = -HOURS_PER_DAY * burn_in_days
    t_end = HOURS_PER_DAY * days
    if s_init is None:
        s_init = float(p.h0_lower + p.amplitude * circadian(t0, phase_fn(t0)))
    starts, states, s0s = _switch_events(p, t0, t_end, float(s_init), asleep_init, phase_fn, forced)

    n = int(round(t_end * 60 / dt_min))
    t = np.arange(n + 1) * (dt_min / 60.0)
    k = np.searchsorted(starts, t, side="right") - 1
    dt = t - starts[k]
    asleep = states[k]
    s = np.where(asleep, _s_asleep(p, s0s[k], dt), _s_awake(p, s0s[k], dt))
    c = circadian(t, phase_fn(t))
    block = np.column_stack(
        [t, np.mod(t, HOURS_PER_DAY), s, p.h0_upper + p.amplitude * c, p.h0_lower + p.amplitude * c]
    )
    df = pd.DataFrame(block, columns=["t_h", "clock_h", "S", "upper", "lower"], copy=False)
    df.insert(2, "day", np.floor(t / HOURS_PER_DAY).astype(int))
    df["asleep"] = asleep
    keep = starts >= 0
    df.attrs["switches"] = pd.DataFrame(
        {"t_h": starts[keep], "asleep": states[keep], "S": s0s[keep]}
    ).reset_index(drop=True)
    df.attrs["state_at_0"] = {"asleep": bool(asleep[0]), "S": float(s[0])}
    return df


def sleep_episodes(sim: pd.DataFrame) -> pd.DataFrame:
    """Sleep episodes of a simulation: onset_h, offset_h, duration_h, onset and offset clock time.

    Episodes cut by the start or end of the simulated span are dropped.
    """
    sw = sim.attrs["switches"]
    on = sw.loc[sw["asleep"], "t_h"].to_numpy()
    off = sw.loc[~sw["asleep"], "t_h"].to_numpy()
    off = off[off > on[0]] if on.size else off
    m = min(on.size, off.size)
    on, off = on[:m], off[:m]
    return pd.DataFrame(
        {
            "onset_h": on,
            "offset_h": off,
            "duration_h": off - on,
            "onset_clock_h": np.mod(on, HOURS_PER_DAY),
            "offset_clock_h": np.mod(off, HOURS_PER_DAY),
        }
    )


def count_sleeps(sim: pd.DataFrame, from_h: float, to_h: float) -> int:
    """Number of sleep onsets in [from_h, to_h)."""
    ep = sleep_episodes(sim)
    return int(((ep["onset_h"] >= from_h) & (ep["onset_h"] < to_h)).sum())


def steady_state_pattern(
    params: Mapping | pd.Series | TwoProcessParams,
    *,
    burn_in_days: float = 60,
    max_days: int = 8,
    phase_h: float = 0.0,
    tol_h: float = 0.05,
) -> tuple[int, int]:
    """The repeating sleep pattern after a burn-in: (sleeps per cycle, cycle length in days).

    Simulates ``3 * max_days`` days after the burn-in and reads the pattern with
    :func:`repeating_pattern`. Raises ``ValueError`` if none of ≤ ``max_days`` days is found.
    """
    sim = simulate_two_process(
        3 * max_days, params, dt_min=60, phase_h=phase_h, burn_in_days=burn_in_days
    )
    try:
        return repeating_pattern(sim, max_days=max_days, tol_h=tol_h)
    except ValueError as exc:
        raise ValueError(f"{exc} after {burn_in_days} days of burn-in") from None


def repeating_pattern(
    sim: pd.DataFrame, *, max_days: int = 8, tol_h: float = 0.05
) -> tuple[int, int]:
    """(sleeps per cycle, cycle length in days) of a simulation that has settled.

    Looks for the smallest number of days ``d`` (1..max_days) such that the sleep onsets
    repeat, shifted by ``d`` days, within ``tol_h``; the simulation must span at least
    ``3 * max_days`` days (a burn-in before t = 0 lets it settle first). Raises
    ``ValueError`` if it is shorter or no pattern is found.
    """
    span = float(sim["t_h"].iloc[-1]) / HOURS_PER_DAY
    if span < 3 * max_days - 1e-9:
        raise ValueError(
            f"sim: spans {span:g} days; finding a pattern of up to max_days={max_days} days "
            f"needs at least {3 * max_days} days"
        )
    on = sleep_episodes(sim)["onset_h"].to_numpy()
    for d in range(1, max_days + 1):
        shift = d * HOURS_PER_DAY
        first = on[on < span * HOURS_PER_DAY - 2 * shift]
        if first.size == 0:
            continue
        later = on[:, None]
        ok = np.all(np.min(np.abs(later - (first + shift)[None, :]), axis=0) < tol_h)
        if ok:
            window = (on >= 0) & (on < shift)
            return int(window.sum()), d
    raise ValueError(f"no repeating pattern of ≤ {max_days} days")


def phase_for_wake_time(
    params: Mapping | pd.Series | TwoProcessParams,
    wake_clock_h: float,
    *,
    burn_in_days: float = 30,
) -> float:
    """The circadian phase_h for which the steady-state spontaneous wake time is wake_clock_h.

    The model is invariant under shifting time and phase together, so the phase is found
    exactly from one simulation at phase 0. Meaningful for parameter sets with one sleep per
    day (raises ``ValueError`` otherwise).
    """
    if not (isinstance(wake_clock_h, int | float) and 0 <= wake_clock_h < 24):
        raise ValueError(f"wake_clock_h: got {wake_clock_h!r}; allowed: 0 ≤ h < 24")
    n, d = steady_state_pattern(params, burn_in_days=burn_in_days)
    if (n, d) != (1, 1):
        raise ValueError(
            f"params: the steady state has {n} sleep(s) per {d} day(s); a single daily wake time "
            "exists only for one sleep per day"
        )
    sim = simulate_two_process(2, params, dt_min=60, burn_in_days=burn_in_days)
    off = sleep_episodes(sim)["offset_clock_h"].iloc[0]
    return float(np.mod(wake_clock_h - off, HOURS_PER_DAY))


def clock_label(clock_h: float) -> str:
    """'HH:MM' for hours after midnight (values ≥ 24 wrap to the next day; NaN → 'none')."""
    h = float(clock_h)
    if not np.isfinite(h):
        return "none"
    minutes = int(round(h * 60)) % (24 * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# ----------------------------------------------------------------------------- melatonin PRC


def phase_shift_clock(clock_h: float | np.ndarray, advance_h: float | np.ndarray) -> np.ndarray:
    """Clock time (0–24 h) of a circadian marker after a phase shift.

    ``advance_h`` > 0 is a phase **advance** (the marker moves earlier), < 0 a delay.
    """
    return np.mod(np.asarray(clock_h, dtype=float) - np.asarray(advance_h, dtype=float), 24.0)


def prc_timing(hours_before_dlmo: float, prc: pd.DataFrame, dose_mg: float) -> dict[str, object]:
    """Where a dose time falls relative to a published PRC's landmarks for one dose.

    Parameters
    ----------
    hours_before_dlmo : time of the dose, hours **before** dim-light melatonin onset (DLMO);
        negative = after DLMO. Allowed range −12 to 12 h.
    prc : the ``melatonin_phase_response`` table (columns ``dose_mg``, ``landmark``,
        ``time_rel_dlmo_from_h``, ``time_rel_dlmo_to_h``; times relative to DLMO, negative
        before it).
    dose_mg : which study dose's landmarks to use (must be in the table).

    Returns
    -------
    dict: ``time_rel_dlmo_h`` (= −hours_before_dlmo), ``advance_window_h`` (from, to),
    ``in_advance_window`` (bool) and ``hours_from_advance_window`` (0 inside; otherwise the
    distance to the nearer edge around the 24-h clock, so 11 h after DLMO is 9 h from a window
    4 to 2 h before it). These are landmarks of a **population-average** curve from
    a laboratory study, not a prediction for an individual.
    """
    if not (isinstance(hours_before_dlmo, int | float) and -12 <= hours_before_dlmo <= 12):
        raise ValueError(
            f"hours_before_dlmo: got {hours_before_dlmo!r}; allowed: −12 to 12 h (negative = after DLMO)"
        )
    rows = prc[(prc["dose_mg"] == dose_mg) & (prc["landmark"] == "max_advance")]
    rows = rows.dropna(subset=["time_rel_dlmo_from_h", "time_rel_dlmo_to_h"])
    if rows.empty:
        doses = sorted(set(prc.loc[prc["landmark"] == "max_advance", "dose_mg"].dropna()))
        raise ValueError(f"dose_mg: got {dose_mg!r}; the table has advance landmarks for {doses}")
    lo = float(rows["time_rel_dlmo_from_h"].iloc[0])
    hi = float(rows["time_rel_dlmo_to_h"].iloc[0])
    x = -float(hours_before_dlmo)
    # the clock is circular: 11 h after DLMO is also 13 h before the next one
    dist = min(max(lo - (x + k), 0.0, (x + k) - hi) for k in (-24.0, 0.0, 24.0))
    return {
        "time_rel_dlmo_h": x,
        "advance_window_h": (lo, hi),
        "in_advance_window": lo <= x <= hi,
        "hours_from_advance_window": float(dist),
    }


def sleep_in_window(sim: pd.DataFrame, start_h: float, end_h: float) -> dict[str, float]:
    """Sleep of a two-process run within ``[start_h, end_h]``: hours asleep, episodes (n) and
    the fall of S over those hours (the pressure discharged; episodes are clipped at the window).

    Compares like with like after a deprivation: the same clock window with and without it,
    however many sleeps fall in it and whatever time of day they start.
    """
    if not end_h > start_h:
        raise ValueError(f"need end_h > start_h; got {start_h!r} and {end_h!r}")
    ep = sleep_episodes(sim)
    on = ep["onset_h"].clip(start_h, end_h).to_numpy()
    off = ep["offset_h"].clip(start_h, end_h).to_numpy()
    keep = off > on
    t, s = sim["t_h"].to_numpy(), sim["S"].to_numpy()
    fall = np.interp(on[keep], t, s) - np.interp(off[keep], t, s)
    return {
        "hours": float((off - on)[keep].sum()),
        "episodes": int(keep.sum()),
        "s_fall": float(fall.sum()),
    }


def deprivation_scenario(
    params: Mapping | pd.Series | TwoProcessParams,
    *,
    days: float,
    phase_h: float,
    deprivation_h: float,
    from_h: float = 36.0,
    burn_in_days: float = 30,
    dt_min: float = 5.0,
) -> tuple[pd.DataFrame, pd.DataFrame, list[tuple[float, float]]]:
    """Baseline and sleep-deprivation runs of the two-process model.

    Sleep is prevented for ``deprivation_h`` hours from the first spontaneous sleep onset at
    or after ``from_h`` (default: noon of day 1) of the baseline run. Returns ``(baseline,
    deprived, forced_wake)``; with ``deprivation_h = 0`` both runs are identical.
    """
    if not (isinstance(deprivation_h, int | float) and 0 <= deprivation_h <= 72):
        raise ValueError(f"deprivation_h: got {deprivation_h!r}; allowed: 0 to 72 h")
    kw = dict(phase_h=phase_h, burn_in_days=burn_in_days, dt_min=dt_min)
    base = simulate_two_process(days, params, **kw)
    ep = sleep_episodes(base)
    later = ep.loc[ep["onset_h"] >= from_h, "onset_h"]
    if later.empty:
        raise ValueError(f"from_h: no sleep onset after {from_h} h in {days} day(s)")
    forced = [(float(later.iloc[0]), float(later.iloc[0]) + deprivation_h)] if deprivation_h else []
    deprived = simulate_two_process(days, params, forced_wake=forced, **kw)
    return base, deprived, forced
