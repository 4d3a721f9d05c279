"""Receptor pharmacology for teaching: occupancy, Cheng–Prusoff, Hill/Emax curves, the
operational model of agonism, and fitting a concentration–response curve.

Units: concentrations and affinity constants in **nM** (any unit works if all match);
``p`` values (pKi, pKD, pEC50) are −log10 of the molar value. Responses are in the unit of
``emax`` (often % of a reference full agonist). These are equilibrium, single-site,
mass-action models: they ignore receptor reserve differences between tissues, binding
kinetics, and plasma protein binding (occupancy needs the **unbound** concentration).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import curve_fit  # fit_hill; only lesson 01 imports this module

ArrayLike = float | np.ndarray

__all__ = [
    "HillFit",
    "cheng_prusoff_ki",
    "fit_hill",
    "hill",
    "ic50_from_ki",
    "nm_from_p",
    "occupancy",
    "operational_model",
    "operational_ec50",
    "operational_emax",
    "p_from_nm",
]


def _nonneg(name: str, value) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if np.any(~np.isfinite(arr) | (arr < 0)):
        raise ValueError(f"{name} must be finite and ≥ 0; got {value!r}")
    return arr


def _pos(name: str, value) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if np.any(~np.isfinite(arr) | (arr <= 0)):
        raise ValueError(f"{name} must be finite and > 0; got {value!r}")
    return arr


def nm_from_p(p_value: ArrayLike) -> np.ndarray:
    """Molar p-value (pKi, pKD, pEC50 = −log10 M) → nM: ``10^(9 − p)``."""
    return 10.0 ** (9.0 - np.asarray(p_value, dtype=float))


def p_from_nm(conc_nm: ArrayLike) -> np.ndarray:
    """nM → p-value (−log10 M): ``9 − log10(nM)``."""
    return 9.0 - np.log10(_pos("conc_nm", conc_nm))


def occupancy(conc_nm: ArrayLike, ki_nm: ArrayLike) -> np.ndarray:
    """Fraction of receptors occupied at equilibrium: ``C / (C + Ki)`` (0–1).

    Single binding site, law of mass action, no competing ligand. ``conc_nm`` should be the
    unbound concentration at the receptor; using total plasma concentration gives an upper
    bound when part of the drug is bound to plasma proteins.
    """
    c = _nonneg("conc_nm", conc_nm)
    ki = _pos("ki_nm", ki_nm)
    return c / (c + ki)


def cheng_prusoff_ki(
    ic50_nm: ArrayLike, radioligand_nm: ArrayLike, radioligand_kd_nm: ArrayLike
) -> np.ndarray:
    """Inhibition constant from a competition assay: ``Ki = IC50 / (1 + [L]/KD)``.

    Cheng & Prusoff (1973) for competitive binding at one site; [L] and KD are the
    radioligand's concentration and dissociation constant in the same assay.
    """
    ic50 = _pos("ic50_nm", ic50_nm)
    lig = _nonneg("radioligand_nm", radioligand_nm)
    kd = _pos("radioligand_kd_nm", radioligand_kd_nm)
    return ic50 / (1.0 + lig / kd)


def ic50_from_ki(
    ki_nm: ArrayLike, radioligand_nm: ArrayLike, radioligand_kd_nm: ArrayLike
) -> np.ndarray:
    """Inverse of :func:`cheng_prusoff_ki`: ``IC50 = Ki · (1 + [L]/KD)``."""
    ki = _pos("ki_nm", ki_nm)
    lig = _nonneg("radioligand_nm", radioligand_nm)
    kd = _pos("radioligand_kd_nm", radioligand_kd_nm)
    return ki * (1.0 + lig / kd)


def hill(
    conc_nm: ArrayLike,
    emax: ArrayLike,
    ec50_nm: ArrayLike,
    n_hill: ArrayLike = 1.0,
    e0: ArrayLike = 0.0,
) -> np.ndarray:
    """Hill (sigmoid Emax) equation: ``E = E0 + Emax · Cⁿ / (EC50ⁿ + Cⁿ)``."""
    c = _nonneg("conc_nm", conc_nm)
    ec50 = _pos("ec50_nm", ec50_nm)
    n = _pos("n_hill", n_hill)
    # written as 1 / (1 + (EC50/C)^n) to stay finite for large n and C
    with np.errstate(divide="ignore"):
        ratio = np.where(c > 0, (ec50 / np.where(c > 0, c, 1.0)) ** n, np.inf)
    return np.asarray(e0, dtype=float) + np.asarray(emax, dtype=float) / (1.0 + ratio)


def operational_model(
    conc_nm: ArrayLike,
    ka_nm: ArrayLike,
    tau: ArrayLike,
    em: ArrayLike = 100.0,
    n_slope: ArrayLike = 1.0,
) -> np.ndarray:
    """Black & Leff operational model of agonism.

    ``E = Em · τⁿ Aⁿ / ((KA + A)ⁿ + τⁿ Aⁿ)`` with A the agonist concentration, KA its
    equilibrium dissociation constant, τ its efficacy in this system (receptor density and
    coupling included) and Em the system's maximal response. A partial agonist has small τ;
    the same ligand can look like a full agonist where receptor reserve (τ) is high.
    """
    a = _nonneg("conc_nm", conc_nm)
    ka = _pos("ka_nm", ka_nm)
    t = _nonneg("tau", tau)
    n = _pos("n_slope", n_slope)
    num = (t * a) ** n
    return np.asarray(em, dtype=float) * num / ((ka + a) ** n + num)


def operational_emax(tau: ArrayLike, em: ArrayLike = 100.0) -> np.ndarray:
    """Maximal response of the operational model with slope 1: ``Em · τ / (1 + τ)``."""
    t = _nonneg("tau", tau)
    return np.asarray(em, dtype=float) * t / (1.0 + t)


def operational_ec50(ka_nm: ArrayLike, tau: ArrayLike) -> np.ndarray:
    """Observed EC50 of the operational model with slope 1: ``KA / (1 + τ)`` (nM)."""
    return _pos("ka_nm", ka_nm) / (1.0 + _nonneg("tau", tau))


@dataclass(frozen=True)
class HillFit:
    """Fitted Hill parameters with approximate standard errors (from the covariance)."""

    emax: float
    ec50_nm: float
    n_hill: float
    emax_se: float
    ec50_se_nm: float
    n_hill_se: float


def fit_hill(conc_nm: ArrayLike, response: ArrayLike, fix_n: float | None = None) -> HillFit:
    """Least-squares fit of :func:`hill` (E0 = 0) to concentration–response data.

    Wraps ``scipy.optimize.curve_fit``, fitting log10(EC50) so the estimate stays positive.
    ``fix_n`` fixes the Hill slope (its SE is then 0). Needs ≥ 3 (or 4 with free n) points.
    """
    c = _nonneg("conc_nm", conc_nm)
    y = np.asarray(response, dtype=float)
    if c.ndim != 1 or c.shape != y.shape:
        raise ValueError(
            f"conc_nm and response must be 1-D arrays of the same length; got {c.shape} and {y.shape}"
        )
    n_par = 2 if fix_n is not None else 3
    if c.size <= n_par:
        raise ValueError(f"fit_hill needs more than {n_par} points; got {c.size}")
    if not np.all(np.isfinite(y)):
        raise ValueError("response must be finite (no NaN)")
    pos = c[c > 0]
    guess_ec50 = float(np.median(pos)) if pos.size else 1.0
    guess_emax = float(np.max(y))

    if fix_n is not None:
        n_fixed = float(_pos("fix_n", fix_n))

        def f(x, emax, log_ec50):
            return hill(x, emax, 10.0**log_ec50, n_fixed)

        p0 = [guess_emax, np.log10(guess_ec50)]
    else:

        def f(x, emax, log_ec50, n):
            return hill(x, emax, 10.0**log_ec50, n)

        p0 = [guess_emax, np.log10(guess_ec50), 1.0]
    bounds = (
        [-np.inf, -6.0] + ([0.05] if fix_n is None else []),
        [np.inf, 9.0] + ([10.0] if fix_n is None else []),
    )
    popt, pcov = curve_fit(f, c, y, p0=p0, bounds=bounds, maxfev=10000)
    se = np.sqrt(np.clip(np.diag(pcov), 0, None))
    ec50 = 10.0 ** popt[1]
    ec50_se = ec50 * np.log(10.0) * se[1]  # delta method
    if fix_n is None:
        return HillFit(
            float(popt[0]), float(ec50), float(popt[2]), float(se[0]), float(ec50_se), float(se[2])
        )
    return HillFit(float(popt[0]), float(ec50), float(fix_n), float(se[0]), float(ec50_se), 0.0)
