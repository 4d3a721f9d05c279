"""Pharmacokinetics for teaching: closed-form compartment models, repeated dosing,
population variability and non-compartmental analysis (NCA).

Units used throughout (they are in every argument name):

* time ``t_h`` in hours, rate constants ``*_per_h`` in 1/h;
* dose ``dose_mg`` in mg, volumes ``*_l`` in litres, clearances ``*_l_per_h`` in L/h;
* concentrations returned by the models in **mg/L** (numerically equal to µg/mL;
  multiply by 1000 for ng/mL, see :func:`mg_per_l_to_ng_per_ml`);
* ``f`` is the bioavailable fraction (0–1]. For oral data where F is unknown, pass
  ``f=1`` and read ``v_l`` as the apparent volume V/F.

All models are vectorised with numpy broadcasting: parameters may be arrays of shape
``(n_subjects, 1)`` against times of shape ``(n_times,)`` to give ``(n_subjects, n_times)``.
The scipy ODE solver (:func:`one_compartment_oral_ode`) is kept as a reference that the
tests and benchmark compare against; the closed forms are what lessons use.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass

import numpy as np

LN2 = float(np.log(2.0))

ArrayLike = float | np.ndarray

__all__ = [
    "NCAResult",
    "accumulation_ratio",
    "accumulation_ratio_from_ke",
    "cmax_one_compartment",
    "dimensionless_profile",
    "half_life_from_ke",
    "ka_from_tmax",
    "ke_from_half_life",
    "mg_per_l_to_ng_per_ml",
    "nca",
    "ng_per_ml_to_mg_per_l",
    "ng_per_ml_to_nm",
    "nm_to_ng_per_ml",
    "one_compartment_oral",
    "one_compartment_oral_ode",
    "one_compartment_oral_repeated",
    "repeated_doses",
    "sample_parameters",
    "simulate_population",
    "time_to_fraction_of_steady_state",
    "tmax_one_compartment",
    "two_compartment_oral",
    "v_from_cmax",
]


# --------------------------------------------------------------------------- validation
def _positive(name: str, value, allow_zero: bool = False) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    bad = ~np.isfinite(arr) | ((arr < 0) if allow_zero else (arr <= 0))
    if np.any(bad):
        shown = arr[bad].ravel()[0] if arr.ndim else float(arr)
        rng = "≥ 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be finite and {rng}; got {shown!r}")
    return arr


def _fraction(name: str, value) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if np.any(~np.isfinite(arr) | (arr <= 0) | (arr > 1)):
        shown = arr[~((arr > 0) & (arr <= 1))].ravel()[0] if arr.ndim else float(arr)
        raise ValueError(f"{name} must be in (0, 1]; got {shown!r}")
    return arr


def _times(name: str, t_h) -> np.ndarray:
    t = np.asarray(t_h, dtype=float)
    if not np.all(np.isfinite(t)):
        raise ValueError(f"{name} must be finite numbers (hours); got a NaN or infinite value")
    return t


# --------------------------------------------------------------------------- models
def _exp_diff_over(d: np.ndarray, t: np.ndarray) -> np.ndarray:
    """(1 - exp(-d·t)) / d, equal to t in the limit d → 0 (numerically stable)."""
    d_safe = np.where(d == 0, 1.0, d)
    out = -np.expm1(-d_safe * t) / d_safe
    return np.where(d == 0, t, out)


def one_compartment_oral(
    t_h: ArrayLike,
    dose_mg: ArrayLike,
    ka_per_h: ArrayLike,
    ke_per_h: ArrayLike,
    v_l: ArrayLike,
    f: ArrayLike = 1.0,
) -> np.ndarray:
    """Concentration (mg/L) after one oral dose given at t = 0, one-compartment model.

    ``C(t) = F·D·ka / (V·(ka − ke)) · (exp(−ke·t) − exp(−ka·t))`` for t ≥ 0, and 0 before
    the dose. The case ka = ke is handled by its limit ``F·D/V · k·t·exp(−k·t)``; values of
    ka close to ke are computed without cancellation (``expm1``).
    """
    t = _times("t_h", t_h)
    dose = _positive("dose_mg", dose_mg, allow_zero=True)
    ka = _positive("ka_per_h", ka_per_h)
    ke = _positive("ke_per_h", ke_per_h)
    v = _positive("v_l", v_l)
    f = _fraction("f", f)
    tp = np.maximum(t, 0.0)
    # exp(-ke t) - exp(-ka t) = exp(-ke t) * (1 - exp(-(ka-ke) t))
    conc = f * dose * ka / v * np.exp(-ke * tp) * _exp_diff_over(ka - ke, tp)
    return np.where(t >= 0, conc, 0.0)


def two_compartment_oral(
    t_h: ArrayLike,
    dose_mg: ArrayLike,
    ka_per_h: ArrayLike,
    cl_l_per_h: ArrayLike,
    v1_l: ArrayLike,
    q_l_per_h: ArrayLike,
    v2_l: ArrayLike,
    f: ArrayLike = 1.0,
) -> np.ndarray:
    """Central-compartment concentration (mg/L) after one oral dose at t = 0, two compartments.

    Micro-constants ``k10 = CL/V1``, ``k12 = Q/V1``, ``k21 = Q/V2``; ``α > β`` are the roots of
    ``s² − (k10+k12+k21)·s + k10·k21 = 0``. The closed form (sum of three exponentials) needs
    ka different from α and β: equal values raise ``ValueError``.
    """
    t = _times("t_h", t_h)
    dose = _positive("dose_mg", dose_mg, allow_zero=True)
    ka = _positive("ka_per_h", ka_per_h)
    cl = _positive("cl_l_per_h", cl_l_per_h)
    v1 = _positive("v1_l", v1_l)
    q = _positive("q_l_per_h", q_l_per_h)
    v2 = _positive("v2_l", v2_l)
    f = _fraction("f", f)
    k10, k12, k21 = cl / v1, q / v1, q / v2
    s = k10 + k12 + k21
    disc = np.sqrt(s * s - 4.0 * k10 * k21)
    alpha, beta = (s + disc) / 2.0, (s - disc) / 2.0
    for name, root in (("alpha", alpha), ("beta", beta)):
        if np.any(np.isclose(ka, root, rtol=1e-9, atol=0.0)):
            raise ValueError(
                f"ka_per_h equals the disposition rate {name} ({np.ravel(root)[0]:.6g} 1/h); "
                "the closed form needs ka different from alpha and beta: change ka slightly"
            )
    tp = np.maximum(t, 0.0)
    a = (k21 - alpha) / ((ka - alpha) * (beta - alpha))
    b = (k21 - beta) / ((ka - beta) * (alpha - beta))
    c = (k21 - ka) / ((alpha - ka) * (beta - ka))
    conc = (
        f
        * dose
        * ka
        / v1
        * (a * np.exp(-alpha * tp) + b * np.exp(-beta * tp) + c * np.exp(-ka * tp))
    )
    return np.where(t >= 0, conc, 0.0)


def repeated_doses(
    model_fn: Callable[..., np.ndarray],
    t_h: ArrayLike,
    dose_times_h: ArrayLike,
    **params,
) -> np.ndarray:
    """Concentration after several equal doses, by superposition of single-dose profiles.

    ``model_fn(t_h, **params)`` is a single-dose model that returns 0 for t < 0 (for example
    :func:`one_compartment_oral`). Valid for linear kinetics only. Vectorised: the dose axis
    is added last and summed; array parameters get a trailing axis so that shapes such as
    ``(n_subjects, 1)`` still broadcast against times ``(n_times,)``.
    """
    t = _times("t_h", t_h)
    tau = _times("dose_times_h", dose_times_h)
    if tau.ndim != 1 or tau.size == 0:
        raise ValueError(
            f"dose_times_h must be a non-empty 1-D array of hours; got shape {tau.shape}"
        )
    shifted = t[..., None] - tau  # (..., n_doses)
    expanded = {k: (np.asarray(v)[..., None] if np.ndim(v) > 0 else v) for k, v in params.items()}
    return np.sum(model_fn(shifted, **expanded), axis=-1)


def one_compartment_oral_repeated(
    t_h: ArrayLike,
    dose_times_h: ArrayLike,
    dose_mg: ArrayLike,
    ka_per_h: ArrayLike,
    ke_per_h: ArrayLike,
    v_l: ArrayLike,
    f: ArrayLike = 1.0,
) -> np.ndarray:
    """Fast repeated-dose one-compartment profile (mg/L), same result as superposition.

    Uses the exponential recursion ``S_k = S_{k−1}·exp(−k·(τ_k − τ_{k−1})) + 1`` so the
    cost is O(subjects × times), independent of the number of doses, and never exponentiates
    a positive number (no overflow). Parameters broadcast as ``(n_subjects, 1)``; the result
    has shape ``broadcast(params).shape[:-1] + (n_times,)`` or ``(n_times,)`` for scalars.
    Where ka and ke are within 1e-6 (relative) the exact superposition is used instead.
    """
    t = _times("t_h", t_h)
    tau = np.sort(_times("dose_times_h", dose_times_h))
    if t.ndim != 1:
        raise ValueError(f"t_h must be a 1-D array of hours; got shape {t.shape}")
    if tau.ndim != 1 or tau.size == 0:
        raise ValueError(
            f"dose_times_h must be a non-empty 1-D array of hours; got shape {tau.shape}"
        )
    dose = _positive("dose_mg", dose_mg, allow_zero=True)
    ka = _positive("ka_per_h", ka_per_h)
    ke = _positive("ke_per_h", ke_per_h)
    v = _positive("v_l", v_l)
    f = _fraction("f", f)
    dose, ka, ke, v, f = np.broadcast_arrays(dose, ka, ke, v, f)
    scalar = ka.ndim == 0
    if not scalar and ka.shape[-1] != 1:
        raise ValueError(
            "parameters must be scalars or arrays of shape (n_subjects, 1); got shape "
            f"{ka.shape} (add a trailing axis: x[:, None])"
        )
    # work on 2-D (n_subjects, 1) parameter columns
    lead = ka.shape[:-1] if ka.ndim else ()
    cols = [np.reshape(x, (-1, 1)) for x in (dose, ka, ke, v, f)]
    dose, ka, ke, v, f = cols
    gaps = np.diff(tau)  # (n_doses-1,)

    def running_sum(k: np.ndarray) -> np.ndarray:
        decay = np.exp(-k * gaps)  # (n, n_doses-1)
        s = np.ones((k.shape[0], tau.size))
        for j in range(1, tau.size):  # loop over doses only (≈ 10), not times or subjects
            s[:, j] = s[:, j - 1] * decay[:, j - 1] + 1.0
        return s

    idx = np.searchsorted(tau, t, side="right") - 1  # last dose at or before t
    started = idx >= 0
    idx_c = np.maximum(idx, 0)
    dt = np.where(started, t - tau[idx_c], 0.0)  # (n_times,)
    s_ke = running_sum(ke)[:, idx_c]
    s_ka = running_sum(ka)[:, idx_c]
    diff = ka - ke
    near = np.abs(diff) <= 1e-6 * ka
    diff_safe = np.where(near, 1.0, diff)
    conc = f * dose * ka / v * (np.exp(-ke * dt) * s_ke - np.exp(-ka * dt) * s_ka) / diff_safe
    conc = np.where(started, conc, 0.0)
    if np.any(near):
        rows = np.flatnonzero(near[:, 0])
        conc[rows] = repeated_doses(
            one_compartment_oral,
            t,
            tau,
            dose_mg=dose[rows],
            ka_per_h=ka[rows],
            ke_per_h=ke[rows],
            v_l=v[rows],
            f=f[rows],
        )
    if scalar:
        return conc[0]
    return conc.reshape(lead + (t.size,)) if lead else conc[0]


def one_compartment_oral_ode(
    t_h: ArrayLike,
    dose_times_h: ArrayLike,
    dose_mg: float,
    ka_per_h: float,
    ke_per_h: float,
    v_l: float,
    f: float = 1.0,
    rtol: float = 1e-10,
    atol: float = 1e-12,
) -> np.ndarray:
    """Reference solution (mg/L) of the one-compartment oral model by numerical integration.

    Wraps ``scipy.integrate.solve_ivp`` (LSODA) on ``dA_gut/dt = −ka·A_gut``,
    ``dA_c/dt = ka·A_gut − ke·A_c``, adding ``F·dose`` to the gut at each dose time. Slow by
    design (one subject at a time); used to test the closed forms and in the benchmark.
    """
    from scipy.integrate import solve_ivp

    t = _times("t_h", t_h)
    tau = np.sort(_times("dose_times_h", dose_times_h))
    _positive("dose_mg", dose_mg, allow_zero=True)
    _positive("ka_per_h", ka_per_h)
    _positive("ke_per_h", ke_per_h)
    _positive("v_l", v_l)
    _fraction("f", f)

    def rhs(_t, y):
        return [-ka_per_h * y[0], ka_per_h * y[0] - ke_per_h * y[1]]

    def jac(_t, _y):
        return [[-ka_per_h, 0.0], [ka_per_h, -ke_per_h]]

    order = np.argsort(t, kind="stable")
    ts = t[order]
    out_sorted = np.zeros_like(ts)
    state = np.array([0.0, 0.0])
    edges = np.append(tau, max(float(ts.max(initial=0.0)), float(tau[-1])) + 1.0)
    for j, start in enumerate(tau):
        state = state + np.array([f * dose_mg, 0.0])
        end = edges[j + 1]
        mask = (ts >= start) & (ts < end) if j < tau.size - 1 else ts >= start
        sol = solve_ivp(
            rhs,
            (start, end),
            state,
            method="LSODA",
            t_eval=np.append(ts[mask], end),
            rtol=rtol,
            atol=atol,
            jac=jac,
        )
        out_sorted[mask] = sol.y[1, :-1] / v_l
        state = sol.y[:, -1]
    out = np.empty_like(t)
    out[order] = out_sorted
    return out


# --------------------------------------------------------------------------- population
def sample_parameters(
    typical: Mapping[str, float],
    cv: float | Mapping[str, float],
    n_subjects: int,
    seed: int | np.random.Generator = 0,
) -> dict[str, np.ndarray]:
    """Draw log-normal individual parameters: ``θ_i = θ_typical · exp(η_i)``, η ~ N(0, ω²).

    ``ω² = ln(1 + CV²)`` so the individual values have coefficient of variation ``cv``; the
    typical value is their **median**. ``cv`` is one number for all parameters or a mapping
    per parameter (missing names get no variability). Returns arrays of shape
    ``(n_subjects, 1)`` ready to broadcast against times. Uses ``numpy.random.Generator``
    (seeded: the same seed gives the same subjects).
    """
    if isinstance(n_subjects, bool) or not isinstance(n_subjects, int | np.integer):
        raise ValueError(f"n_subjects must be an integer ≥ 1; got {n_subjects!r}")
    if n_subjects < 1:
        raise ValueError(f"n_subjects must be an integer ≥ 1; got {n_subjects!r}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    out = {}
    for name in sorted(typical):
        theta = float(_positive(name, typical[name]))
        c = cv.get(name, 0.0) if isinstance(cv, Mapping) else cv
        c = float(_positive(f"cv of {name}", c, allow_zero=True))
        omega = np.sqrt(np.log1p(c * c))
        eta = rng.normal(0.0, 1.0, size=(n_subjects, 1)) * omega
        out[name] = theta * np.exp(eta)
    return out


def simulate_population(
    t_h: ArrayLike,
    dose_times_h: ArrayLike,
    dose_mg: float,
    ka_per_h: float,
    ke_per_h: float,
    v_l: float,
    f: float = 1.0,
    n_subjects: int = 100,
    between_subject_cv: float | Mapping[str, float] = 0.3,
    seed: int | np.random.Generator = 0,
) -> np.ndarray:
    """Concentrations (mg/L), shape ``(n_subjects, n_times)``, for a one-compartment oral
    model with log-normal between-subject variability on ka, ke and V (typical = median).

    ``between_subject_cv`` is one CV for ka_per_h, ke_per_h and v_l, or a mapping with those
    keys. Vectorised over subjects and times (see :func:`one_compartment_oral_repeated`);
    the individual parameters are :func:`sample_parameters` with the same seed.
    """
    ind = sample_parameters(
        {"ka_per_h": ka_per_h, "ke_per_h": ke_per_h, "v_l": v_l},
        between_subject_cv,
        n_subjects,
        seed,
    )
    conc = one_compartment_oral_repeated(
        t_h, dose_times_h, dose_mg, ind["ka_per_h"], ind["ke_per_h"], ind["v_l"], f
    )
    return np.atleast_2d(conc)


# --------------------------------------------------------------------------- NCA
@dataclass(frozen=True)
class NCAResult:
    """Non-compartmental results; units follow the inputs (conc unit, hours).

    ``auc_last`` is to the last measurable (> 0) concentration; ``auc_inf`` adds
    ``C_last/λz``. ``lambda_z_per_h``, ``auc_inf`` and ``t_half_h`` are NaN when no terminal
    phase can be estimated (fewer than 3 points after Cmax, or no decline).
    """

    cmax: float
    tmax_h: float
    auc_last: float
    auc_inf: float
    lambda_z_per_h: float
    t_half_h: float
    n_lambda_z: int
    r2_adj: float

    def as_dict(self) -> dict:
        return asdict(self)


def _auc_linear_up_log_down(t: np.ndarray, c: np.ndarray) -> float:
    dt = np.diff(t)
    c1, c2 = c[:-1], c[1:]
    down = (c2 < c1) & (c2 > 0) & (c1 > 0)
    ratio = np.where(down, c1 / np.where(c2 > 0, c2, 1.0), 2.0)
    log_part = (c1 - c2) * dt / np.log(ratio)
    lin_part = (c1 + c2) * dt / 2.0
    return float(np.sum(np.where(down, log_part, lin_part)))


def _lambda_z(x: np.ndarray, y: np.ndarray, n_terminal: int | None) -> tuple[float, float, int]:
    """Terminal slope by log-linear least squares on the last n points, for every n at once.

    Suffix sums give slope, intercept and R² of all fits in one vectorised pass. Without
    ``n_terminal``: among fits with n ≥ 3 and a negative slope, the largest n whose adjusted
    R² is within 1e-4 of the best (the usual rule of NCA software). Returns (λz, R²adj, n),
    with n = 0 when no terminal phase can be estimated.
    """
    m = x.size
    if m < (2 if n_terminal is not None else 3):
        return np.nan, np.nan, 0
    xc, yc = x - x.mean(), y - y.mean()  # centring keeps the sums well conditioned
    n = np.arange(1, m + 1, dtype=float)
    sx, sy = np.cumsum(xc[::-1]), np.cumsum(yc[::-1])
    sxx, sxy, syy = np.cumsum(xc[::-1] ** 2), np.cumsum((xc * yc)[::-1]), np.cumsum(yc[::-1] ** 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        den = n * sxx - sx * sx
        slope = (n * sxy - sx * sy) / den
        intercept = (sy - slope * sx) / n
        ss_res = np.maximum(syy - intercept * sy - slope * sxy, 0.0)
        ss_tot = syy - sy * sy / n
        r2 = np.where(ss_tot > 0, 1.0 - ss_res / ss_tot, 1.0)
        r2_adj = np.where(n > 2, 1.0 - (1.0 - r2) * (n - 1) / (n - 2), r2)
    if n_terminal is not None:
        k = n_terminal - 1
        if not slope[k] < 0:
            return np.nan, np.nan, 0
        return float(-slope[k]), float(r2_adj[k]), int(n_terminal)
    ok = (n >= 3) & (slope < 0) & np.isfinite(r2_adj)
    if not ok.any():
        return np.nan, np.nan, 0
    best = np.max(r2_adj[ok])
    k = int(np.flatnonzero(ok & (r2_adj >= best - 1e-4))[-1])
    return float(-slope[k]), float(r2_adj[k]), k + 1


def nca(
    t_h: ArrayLike,
    conc: ArrayLike,
    n_terminal: int | None = None,
) -> NCAResult:
    """Non-compartmental analysis of one concentration–time profile.

    AUC by the linear-up/log-down trapezoid rule. λz by log-linear least squares on the
    terminal points after Cmax: with ``n_terminal`` the last that many points; otherwise the
    number of points (≥ 3) with the best adjusted R² (within 1e-4, more points win), the
    usual automatic rule of NCA software. ``t_half_h = ln 2 / λz``.
    """
    t = np.asarray(t_h, dtype=float)
    c = np.asarray(conc, dtype=float)
    if t.ndim != 1 or c.ndim != 1:
        raise ValueError(f"t_h and conc must be 1-D; got shapes {t.shape} and {c.shape}")
    if t.size != c.size:
        raise ValueError(
            f"t_h and conc must have the same length; got {t.size} times and {c.size} concentrations"
        )
    if t.size < 2:
        raise ValueError(f"nca needs at least 2 samples; got {t.size}")
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(c))):
        raise ValueError("t_h and conc must be finite (no NaN); drop missing samples first")
    if np.any(np.diff(t) <= 0):
        raise ValueError("t_h must be strictly increasing (hours)")
    if np.any(c < 0):
        raise ValueError(f"conc must be ≥ 0; got {c[c < 0][0]!r}")
    i_max = int(np.argmax(c))
    cmax, tmax = float(c[i_max]), float(t[i_max])
    positive = np.flatnonzero(c > 0)
    if positive.size == 0:
        return NCAResult(0.0, tmax, 0.0, np.nan, np.nan, np.nan, 0, np.nan)
    i_last = int(positive[-1])
    auc_last = _auc_linear_up_log_down(t[: i_last + 1], c[: i_last + 1])

    cand = np.arange(i_max + 1, i_last + 1)
    cand = cand[c[cand] > 0]
    if n_terminal is not None and (n_terminal < 2 or n_terminal > cand.size):
        raise ValueError(
            f"n_terminal must be between 2 and {cand.size} (points after Cmax); got {n_terminal}"
        )
    lam, r2_adj, n_used = _lambda_z(t[cand], np.log(c[cand]), n_terminal)
    if n_used == 0:
        return NCAResult(cmax, tmax, auc_last, np.nan, np.nan, np.nan, 0, np.nan)
    auc_inf = auc_last + float(c[i_last]) / lam
    return NCAResult(
        cmax,
        tmax,
        auc_last,
        float(auc_inf),
        float(lam),
        float(LN2 / lam),
        int(n_used),
        float(r2_adj),
    )


# --------------------------------------------------------------------------- derived inputs
def ke_from_half_life(t_half_h: ArrayLike) -> np.ndarray:
    """Elimination rate constant (1/h) from a half-life (h): ``ke = ln 2 / t½``."""
    return LN2 / _positive("t_half_h", t_half_h)


def half_life_from_ke(ke_per_h: ArrayLike) -> np.ndarray:
    """Half-life (h) from an elimination rate constant (1/h): ``t½ = ln 2 / ke``."""
    return LN2 / _positive("ke_per_h", ke_per_h)


def tmax_one_compartment(ka_per_h: ArrayLike, ke_per_h: ArrayLike) -> np.ndarray:
    """Time of the peak (h) after one oral dose: ``ln(ka/ke)/(ka − ke)`` (``1/k`` if equal)."""
    ka = _positive("ka_per_h", ka_per_h)
    ke = _positive("ke_per_h", ke_per_h)
    d = ka - ke
    d_safe = np.where(d == 0, 1.0, d)
    return np.where(d == 0, 1.0 / ka, np.log(ka / ke) / d_safe)


def cmax_one_compartment(
    dose_mg: ArrayLike, ka_per_h: ArrayLike, ke_per_h: ArrayLike, v_l: ArrayLike, f=1.0
) -> np.ndarray:
    """Peak concentration (mg/L) after one oral dose, one-compartment model."""
    return one_compartment_oral(
        tmax_one_compartment(ka_per_h, ke_per_h), dose_mg, ka_per_h, ke_per_h, v_l, f
    )


def ka_from_tmax(tmax_h: float, ke_per_h: float) -> float:
    """Absorption rate constant (1/h) that puts the peak at ``tmax_h`` for a given ke.

    Solves ``ln(ka/ke)/(ka − ke) = tmax`` for ka > ke (scipy ``brentq``). A peak is only
    possible before ``1/ke`` h (the ka → ke limit); a later tmax raises ``ValueError``.
    """
    from scipy.optimize import brentq

    tmax = float(_positive("tmax_h", tmax_h))
    ke = float(_positive("ke_per_h", ke_per_h))
    if tmax >= 1.0 / ke:
        raise ValueError(
            f"tmax_h must be < 1/ke = {1.0 / ke:.4g} h for an absorption faster than "
            f"elimination; got {tmax!r}"
        )

    def g(ka: float) -> float:
        return np.log(ka / ke) / (ka - ke) - tmax

    lo, hi = ke * (1 + 1e-9), ke * 2.0
    while g(hi) > 0:
        hi *= 2.0
    return float(brentq(g, lo, hi, xtol=1e-14, rtol=1e-12))


def v_from_cmax(
    cmax_mg_per_l: float, dose_mg: float, ka_per_h: float, ke_per_h: float, f: float = 1.0
) -> float:
    """Volume (L; V/F when f = 1) that reproduces an observed Cmax with given ka and ke."""
    _positive("cmax_mg_per_l", cmax_mg_per_l)
    unit_cmax = cmax_one_compartment(dose_mg, ka_per_h, ke_per_h, 1.0, f)
    return float(unit_cmax / cmax_mg_per_l)


# --------------------------------------------------------------------------- units
def ng_per_ml_to_nm(conc_ng_per_ml: ArrayLike, molar_mass_g_per_mol: float) -> np.ndarray:
    """ng/mL → nmol/L: ``nM = ng/mL × 1000 / (g/mol)`` (1 ng/mL = 1 µg/L)."""
    m = _positive("molar_mass_g_per_mol", molar_mass_g_per_mol)
    return np.asarray(conc_ng_per_ml, dtype=float) * 1000.0 / m


def nm_to_ng_per_ml(conc_nm: ArrayLike, molar_mass_g_per_mol: float) -> np.ndarray:
    """nmol/L → ng/mL (inverse of :func:`ng_per_ml_to_nm`)."""
    m = _positive("molar_mass_g_per_mol", molar_mass_g_per_mol)
    return np.asarray(conc_nm, dtype=float) * m / 1000.0


def mg_per_l_to_ng_per_ml(conc_mg_per_l: ArrayLike) -> np.ndarray:
    """mg/L → ng/mL (× 1000)."""
    return np.asarray(conc_mg_per_l, dtype=float) * 1000.0


def ng_per_ml_to_mg_per_l(conc_ng_per_ml: ArrayLike) -> np.ndarray:
    """ng/mL → mg/L (÷ 1000)."""
    return np.asarray(conc_ng_per_ml, dtype=float) / 1000.0


# --------------------------------------------------------------------------- dimensionless
def accumulation_ratio(tau_in_half_lives: ArrayLike) -> np.ndarray:
    """Steady-state accumulation ratio for a dosing interval given in half-lives.

    ``R = 1 / (1 − exp(−ke·τ)) = 1 / (1 − 2^(−τ/t½))`` (dimensionless; ≥ 1).
    """
    x = _positive("tau_in_half_lives", tau_in_half_lives)
    return 1.0 / -np.expm1(-LN2 * x)


def accumulation_ratio_from_ke(ke_per_h: ArrayLike, tau_h: ArrayLike) -> np.ndarray:
    """``1 / (1 − exp(−ke·τ))`` with ke in 1/h and the interval τ in h."""
    ke = _positive("ke_per_h", ke_per_h)
    tau = _positive("tau_h", tau_h)
    return 1.0 / -np.expm1(-ke * tau)


def time_to_fraction_of_steady_state(fraction: ArrayLike) -> np.ndarray:
    """Half-lives needed to reach ``fraction`` (0–1) of steady state: ``−log2(1 − fraction)``.

    E.g. 0.5 → 1 half-life, 0.9 → 3.32, 0.97 → 5.06. Independent of dose and interval.
    """
    fr = np.asarray(fraction, dtype=float)
    if np.any(~np.isfinite(fr) | (fr <= 0) | (fr >= 1)):
        raise ValueError(f"fraction must be in (0, 1) (e.g. 0.9 for 90 %); got {fraction!r}")
    return -np.log2(1.0 - fr)


def dimensionless_profile(
    t_in_half_lives: ArrayLike,
    tau_in_half_lives: float,
    n_doses: int,
    ka_over_ke: float = 5.0,
) -> np.ndarray:
    """Dose-normalised concentration ``C·V/(F·D)`` for repeated doses, time in half-lives.

    One-compartment model with ke = ln 2 per half-life and ka = ``ka_over_ke``·ke; doses at
    0, τ, 2τ, … For teaching accumulation without any real drug's numbers.
    """
    if isinstance(n_doses, bool) or not isinstance(n_doses, int | np.integer) or n_doses < 1:
        raise ValueError(f"n_doses must be an integer ≥ 1; got {n_doses!r}")
    tau = float(_positive("tau_in_half_lives", tau_in_half_lives))
    ratio = float(_positive("ka_over_ke", ka_over_ke))
    return one_compartment_oral_repeated(
        t_in_half_lives, tau * np.arange(n_doses), 1.0, ratio * LN2, LN2, 1.0
    )
