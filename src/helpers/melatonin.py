"""Melatonin-specific computations for lesson 02, on top of :mod:`helpers.pk`.

* :func:`model_inputs` and :func:`simulate_arm`: the one-compartment oral model of a
  published study arm (inputs from ``pk_model_inputs_melatonin``), placed at a clock time.
* :func:`cyp1a2_scaled`: how bioavailability and elimination change when CYP1A2 activity
  changes, in the well-stirred liver model.
* :func:`time_above`, :func:`time_back_below`: how long a concentration stays above a level.
* :func:`dlmo_crossing`, :func:`threshold_3k`, :func:`synthetic_evening_profile`: the dim
  light melatonin onset (DLMO) from evening samples.
* :func:`content_pct_of_label`: supplement content from reported deviations.

Units are in the argument names: hours (``*_h``), clock hours after midnight (``clock_h``,
may exceed 24 for the next morning), concentrations in pg/mL (``*_pg_per_ml``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from helpers import pk
from helpers.sleep import clock_label  # noqa: F401 - lesson 02 formats clock times with it

#: Parameters of the one-compartment oral model stored for each simulatable arm.
MODEL_PARAMETERS = ("ka_per_h", "ke_per_h", "v_over_f_l", "f")
PG_PER_ML_PER_MG_PER_L = 1e6


@dataclass(frozen=True)
class ArmModel:
    """One-compartment oral model of a study arm (rate constants in 1/h, V/F in L)."""

    arm_id: str
    dose_mg: float
    ka_per_h: float
    ke_per_h: float
    v_over_f_l: float
    f: float

    @property
    def v_l(self) -> float:
        """Volume of distribution (L): V/F × F."""
        return self.v_over_f_l * self.f


def _activity(cyp1a2_activity: float) -> float:
    a = float(cyp1a2_activity)
    if not np.isfinite(a) or a <= 0:
        raise ValueError(
            f"cyp1a2_activity must be a finite number > 0 (1 = typical activity); got {cyp1a2_activity!r}"
        )
    return a


def model_inputs(arm_id: str) -> ArmModel:
    """The model inputs of ``arm_id`` from ``pk_model_inputs_melatonin`` and its dose.

    Raises ``ValueError`` listing the simulatable arms if ``arm_id`` has no model inputs.
    """
    from helpers import data

    arms = data.load("study_arms_melatonin")
    inputs = data.load("pk_model_inputs_melatonin")
    allowed = sorted(arms.loc[arms["simulate"].astype(bool), "arm_id"])
    if arm_id not in allowed:
        raise ValueError(f"arm_id {arm_id!r} has no model inputs; allowed: {', '.join(allowed)}")
    rows = inputs[inputs["arm_id"] == arm_id].set_index("parameter")["value"]
    missing = [p for p in MODEL_PARAMETERS if p not in rows.index]
    if missing:
        raise ValueError(f"pk_model_inputs_melatonin lacks {missing} for arm {arm_id!r}")
    dose = float(arms.loc[arms["arm_id"] == arm_id, "dose_mg"].iloc[0])
    return ArmModel(arm_id, dose, *(float(rows[p]) for p in MODEL_PARAMETERS))


def cyp1a2_scaled(f0: float, ke0_per_h: float, cyp1a2_activity: float) -> tuple[float, float]:
    """Oral bioavailability and elimination rate when CYP1A2 activity is multiplied by ``a``.

    Well-stirred liver model with all clearance hepatic, complete absorption and no gut-wall
    metabolism, so the baseline hepatic availability is ``F0`` and the extraction ratio
    ``E0 = 1 − F0``. With intrinsic clearance scaled by ``a`` (``r = a·fu·CLint/Q``, and
    ``r0 = E0/(1 − E0)``): ``F = 1/(1 + a·r0)``, ``CL/CL0 = E/E0`` with ``E = a·r0/(1 + a·r0)``,
    and ke scales like CL (volume unchanged). Hepatic blood flow cancels out.

    Consequence (tested): the oral AUC ratio ``(F/F0)/(CL/CL0)`` equals ``1/a`` exactly,
    whatever F0, while the half-life of a high-extraction drug changes much less.
    Returns ``(f, ke_per_h)``.
    """
    a = _activity(cyp1a2_activity)
    f0 = float(f0)
    if not 0 < f0 < 1:
        raise ValueError(f"f0 must be in (0, 1) for a drug with first-pass extraction; got {f0!r}")
    ke0 = float(pk.ke_from_half_life(pk.half_life_from_ke(ke0_per_h)))
    r0 = (1.0 - f0) / f0
    f = 1.0 / (1.0 + a * r0)
    e, e0 = 1.0 - f, 1.0 - f0
    return f, ke0 * e / e0


def oral_auc_ratio(f0: float, cyp1a2_activity: float) -> float:
    """Oral AUC with activity ``a`` relative to typical activity, from :func:`cyp1a2_scaled`."""
    f, ke = cyp1a2_scaled(f0, 1.0, cyp1a2_activity)
    return (f / f0) / ke


def simulate_arm(
    model: ArmModel, clock_h: np.ndarray, dose_clock_h: float, cyp1a2_activity: float = 1.0
) -> np.ndarray:
    """Plasma concentration (pg/mL) at clock times ``clock_h`` after one dose at ``dose_clock_h``.

    Uses :func:`helpers.pk.one_compartment_oral` with ``f`` and ``V = V/F·F`` of the arm;
    ``cyp1a2_activity`` ≠ 1 changes f and ke as in :func:`cyp1a2_scaled`. Exogenous melatonin
    only: the body's own melatonin is not added.
    """
    f, ke = cyp1a2_scaled(model.f, model.ke_per_h, cyp1a2_activity)
    t_h = np.asarray(clock_h, dtype=float) - float(dose_clock_h)
    conc = pk.one_compartment_oral(t_h, model.dose_mg, model.ka_per_h, ke, model.v_l, f)
    return conc * PG_PER_ML_PER_MG_PER_L


_TO_HOURS = {"h": 1.0, "min": 1 / 60}


def predicted_summary(model: ArmModel) -> dict[str, float]:
    """Closed-form Cmax (pg/mL), Tmax (h), t½ (h), AUC0–∞ (pg·h/mL) and CL/F (L/h) of the arm model."""
    tmax = float(pk.tmax_one_compartment(model.ka_per_h, model.ke_per_h))
    cmax = float(
        pk.cmax_one_compartment(model.dose_mg, model.ka_per_h, model.ke_per_h, model.v_l, model.f)
    )
    cl_f = model.v_over_f_l * model.ke_per_h
    return {
        "cmax_pg_per_ml": cmax * PG_PER_ML_PER_MG_PER_L,
        "tmax_h": tmax,
        "t_half_h": float(pk.half_life_from_ke(model.ke_per_h)),
        "auc_pg_h_per_ml": model.dose_mg / cl_f * PG_PER_ML_PER_MG_PER_L,
        "cl_over_f_l_per_h": cl_f,
    }


def model_check(model: ArmModel, results) -> list[dict]:
    """Reported versus model-predicted values for an arm (rows of ``pk_results_melatonin``).

    Compares Tmax, Cmax and half-life (used to build the model, so they should agree) with
    values the model did not use: the apparent clearance CL/F (from a reported CL/F, or
    dose/AUC0–∞), a reported absorption half-life (against ln 2 / ka) and the elimination
    half-life after an intravenous dose in the same study, when there is one (against the
    model's ln 2 / ke, which comes from the oral decline). The disagreement shows how far a
    one-compartment fit to summary values goes.
    """
    rows = results[results["arm_id"] == model.arm_id]
    intravenous = results[
        results["study"].isin(rows["study"])
        & (results["route"] == "intravenous")
        & (results["parameter"] == "t_half_elimination")
    ]
    pred = predicted_summary(model)
    out = []
    for _, r in rows.iterrows():
        par, val, unit = r["parameter"], r["value"], r["unit"]
        if par == "tmax":
            out.append(("Tmax", val * _TO_HOURS[unit], pred["tmax_h"], "h", True))
        elif par == "cmax":
            out.append(("Cmax", val, pred["cmax_pg_per_ml"], "pg/mL", True))
        elif par == "t_half_elimination":
            out.append(("t½", val * _TO_HOURS[unit], pred["t_half_h"], "h", True))
        elif par == "t_half_absorption":
            t_abs_h = np.log(2) / model.ka_per_h
            out.append(("absorption t½", val * _TO_HOURS[unit], t_abs_h, "h", False))
        elif par == "apparent_clearance":
            out.append(("CL/F", val, pred["cl_over_f_l_per_h"], "L/h", False))
        elif par == "auc_0_inf" and unit == "pg·min/mL":
            cl_f = model.dose_mg / (val / 60 / PG_PER_ML_PER_MG_PER_L)
            out.append(("CL/F (dose / AUC0–∞)", cl_f, pred["cl_over_f_l_per_h"], "L/h", False))
    for _, r in intravenous.iterrows():
        t_iv_h = r["value"] * _TO_HOURS[r["unit"]]
        out.append(("t½ after an intravenous dose", t_iv_h, pred["t_half_h"], "h", False))
    return [
        {
            "quantity": q,
            "reported": rep,
            "model": mod,
            "unit": u,
            "used_to_build_model": used,
            "model_over_reported": mod / rep,
        }
        for q, rep, mod, u, used in out
    ]


def _check_series(t_h, conc) -> tuple[np.ndarray, np.ndarray]:
    t = np.asarray(t_h, dtype=float)
    c = np.asarray(conc, dtype=float)
    if t.ndim != 1 or c.shape != t.shape or t.size < 2:
        raise ValueError(
            f"t_h and conc must be 1-D arrays of the same length ≥ 2; got {t.shape} and {c.shape}"
        )
    if np.any(np.diff(t) <= 0):
        raise ValueError("t_h must be strictly increasing (hours)")
    return t, c


def _crossings(t: np.ndarray, c: np.ndarray, level: float) -> np.ndarray:
    """Linearly interpolated times where c crosses level, one per crossing segment."""
    d = c - level
    seg = np.flatnonzero((d[:-1] < 0) != (d[1:] < 0))
    return t[seg] + (t[seg + 1] - t[seg]) * d[seg] / (d[seg] - d[seg + 1])


def time_above(t_h, conc, level: float) -> float:
    """Hours during which ``conc`` is at or above ``level`` (linear interpolation between samples)."""
    t, c = _check_series(t_h, conc)
    edges = np.sort(np.concatenate([t[[0, -1]], _crossings(t, c, level)]))
    mids = (edges[:-1] + edges[1:]) / 2
    inside = np.interp(mids, t, c) >= level
    return float(np.sum(np.diff(edges)[inside]))


def time_back_below(t_h, conc, level: float) -> float:
    """Last time (h) at which ``conc`` falls below ``level`` (NaN if it never does, or is never above)."""
    t, c = _check_series(t_h, conc)
    d = c - level
    seg = np.flatnonzero((d[:-1] >= 0) & (d[1:] < 0))
    if seg.size == 0:
        return float("nan")
    i = seg[-1]
    return float(t[i] + (t[i + 1] - t[i]) * d[i] / (d[i] - d[i + 1]))


def dlmo_crossing(t_h, conc_pg_per_ml, threshold_pg_per_ml: float) -> float:
    """DLMO: interpolated time of the *continuous* rise above a threshold.

    The onset is where the line between the last sample below the threshold and the next
    sample reaches the threshold, provided every later sample stays at or above it (so an
    isolated blip does not count). Returns NaN when the profile never rises and stays above.
    Example: 5 pg/mL at 20:00 and 15 pg/mL at 20:30 with a 10 pg/mL threshold give 20:15.
    """
    t, c = _check_series(t_h, conc_pg_per_ml)
    thr = float(threshold_pg_per_ml)
    if not np.isfinite(thr) or thr <= 0:
        raise ValueError(f"threshold_pg_per_ml must be a number > 0; got {threshold_pg_per_ml!r}")
    below = np.flatnonzero(c < thr)
    if below.size == 0 or below[-1] == c.size - 1:
        return float("nan")
    i = below[-1]
    return float(t[i] + (t[i + 1] - t[i]) * (thr - c[i]) / (c[i + 1] - c[i]))


def threshold_3k(conc_pg_per_ml, n_baseline: int = 3) -> float:
    """Relative DLMO threshold: mean + 2 SD (sample SD, ddof = 1) of the first ``n_baseline`` samples."""
    c = np.asarray(conc_pg_per_ml, dtype=float)
    if isinstance(n_baseline, bool) or not isinstance(n_baseline, int) or n_baseline < 2:
        raise ValueError(f"n_baseline must be an integer ≥ 2; got {n_baseline!r}")
    if c.ndim != 1 or c.size < n_baseline:
        raise ValueError(f"need at least {n_baseline} samples; got shape {c.shape}")
    base = c[:n_baseline]
    return float(base.mean() + 2.0 * base.std(ddof=1))


def synthetic_evening_profile(
    clock_h,
    onset_clock_h: float,
    night_level_pg_per_ml: float,
    baseline_pg_per_ml: float = 1.0,
    rise_h: float = 1.5,
    noise_cv: float = 0.15,
    seed: int = 0,
) -> np.ndarray:
    """Illustrative evening melatonin samples (pg/mL): a logistic rise to a night-time plateau.

    ``baseline + (night − baseline)/(1 + exp(−(t − onset − rise/2)/(rise/8)))`` with
    multiplicative log-normal noise of coefficient of variation ``noise_cv`` (seeded). The
    shape and default numbers are a teaching illustration, not fitted to data; only the
    plateau comes from a measured night-time level.
    """
    t = np.asarray(clock_h, dtype=float)
    for name, v in (("night_level_pg_per_ml", night_level_pg_per_ml), ("rise_h", rise_h)):
        if not np.isfinite(v) or v <= 0:
            raise ValueError(f"{name} must be > 0; got {v!r}")
    if not 0 <= baseline_pg_per_ml < night_level_pg_per_ml:
        raise ValueError(
            f"baseline_pg_per_ml must be ≥ 0 and below the night level {night_level_pg_per_ml}; "
            f"got {baseline_pg_per_ml!r}"
        )
    if not 0 <= noise_cv < 1:
        raise ValueError(f"noise_cv must be in [0, 1); got {noise_cv!r}")
    mid = onset_clock_h + rise_h / 2
    mean = baseline_pg_per_ml + (night_level_pg_per_ml - baseline_pg_per_ml) / (
        1 + np.exp(-(t - mid) / (rise_h / 8))
    )
    rng = np.random.default_rng(seed)
    sigma = np.sqrt(np.log1p(noise_cv**2))
    return mean * np.exp(rng.normal(-(sigma**2) / 2, sigma, size=t.shape))


def content_pct_of_label(deviation_pct) -> np.ndarray:
    """Measured content as % of the label from a deviation (measured − label, % of label)."""
    d = np.asarray(deviation_pct, dtype=float)
    if np.any(d < -100):
        raise ValueError(f"deviation_pct cannot be below −100 % (no content); got {d.min()!r}")
    return 100.0 + d


def label_ranges(df) -> dict[str, tuple[float, float]]:
    """Per study, the (lowest, highest) measured content as % of label from supplement_label_accuracy."""
    out: dict[str, tuple[float, float]] = {}
    for study, g in df.groupby("study", sort=False):
        q = dict(zip(g["quantity"], g["value"].astype(float), strict=True))
        if "content_pct_of_label_min" in q:
            out[study] = (q["content_pct_of_label_min"], q["content_pct_of_label_max"])
        elif "deviation_from_label_min_pct" in q:
            lo, hi = content_pct_of_label(
                [q["deviation_from_label_min_pct"], q["deviation_from_label_max_pct"]]
            )
            out[study] = (float(lo), float(hi))
    return out


def activity_for_auc_ratio(f0: float, auc_ratio: float) -> float:
    """Relative CYP1A2 activity that gives an oral AUC ratio in the well-stirred model.

    Solved numerically by bisection on log(activity) over [1e-6, 1e6] on
    :func:`oral_auc_ratio` (which falls as activity rises), so that it checks the closed form
    ``1 / auc_ratio`` rather than assuming it. Plain bisection keeps scipy's import (about
    half a second) out of the lesson.
    """
    ratio = float(auc_ratio)
    if not np.isfinite(ratio) or ratio <= 0:
        raise ValueError(f"auc_ratio must be a number > 0; got {auc_ratio!r}")
    lo, hi = np.log(1e-6), np.log(1e6)
    if not oral_auc_ratio(f0, np.exp(hi)) <= ratio <= oral_auc_ratio(f0, np.exp(lo)):
        raise ValueError(f"auc_ratio must lie between 1e-6 and 1e6; got {auc_ratio!r}")
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if oral_auc_ratio(f0, float(np.exp(mid))) > ratio:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-14:
            break
    return float(np.exp(0.5 * (lo + hi)))


def ratio_from_pct_change(pct_change) -> np.ndarray:
    """Ratio (with/without) from a reported % change: ``1 + pct/100`` (e.g. +120 % → 2.2)."""
    pct = np.asarray(pct_change, dtype=float)
    if np.any(pct <= -100):
        raise ValueError(f"pct_change must be > −100 %; got {pct.min()!r}")
    return 1.0 + pct / 100.0


def kd_nm_from_pkd(pkd) -> np.ndarray:
    """Dissociation constant (nM) from pKD = −log10(KD / M): ``KD = 10^(9 − pKD)`` nM."""
    return 10.0 ** (9.0 - np.asarray(pkd, dtype=float))


def fraction_bound(conc_nm, kd_nm) -> np.ndarray:
    """Equilibrium fraction of receptors occupied, ``C / (C + KD)`` (law of mass action).

    A simple single-site model: it ignores protein binding, receptor reserve and the
    difference between plasma and tissue concentrations.
    """
    c = np.asarray(conc_nm, dtype=float)
    kd = np.asarray(kd_nm, dtype=float)
    if np.any(c < 0) or np.any(kd <= 0):
        raise ValueError(f"conc_nm must be ≥ 0 and kd_nm > 0; got {c.min()!r} and {kd.min()!r}")
    return c / (c + kd)
