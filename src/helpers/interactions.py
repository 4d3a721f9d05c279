"""Static models of pharmacokinetic drug-drug interactions (enzyme inhibition).

A *perpetrator* (precipitant) inhibits an enzyme that clears a *victim* (object) drug, so
the victim's exposure (AUC) rises. Static models predict the AUC ratio (with / without the
perpetrator) from an in-vitro inhibition constant and one fixed inhibitor concentration:

* :func:`basic_static_r` — reversible inhibition, R1 = 1 + I_u / Ki,u (a screening value:
  it assumes the victim is cleared entirely by the inhibited enzyme in that organ);
* :func:`r2` — time-dependent (mechanism-based) inhibition, R2 = (kobs + kdeg) / kdeg with
  kobs = kinact · I_u / (KI + I_u);
* :func:`mechanistic_static_auc_ratio` — gut and liver terms weighted by the fraction of
  the victim's clearance through the enzyme (fm) and the fraction escaping gut-wall
  metabolism (Fg).

Units: every concentration and inhibition constant in µM (the same unit for I and Ki);
rate constants in 1/h unless the name says otherwise. All functions are numpy-vectorised
(arguments broadcast against each other) and return a float for scalar input.
Impossible inputs (negative concentrations, fractions outside [0, 1], non-positive Ki)
raise :class:`ValueError` naming the argument, the value and the allowed range.

These are the equations of the static-model literature; no library implements them, so
they are written out here and tested against published worked values.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = [
    "basic_static_r",
    "exceeds",
    "kdeg_from_half_life",
    "kobs",
    "mechanistic_static_auc_ratio",
    "pick_inhibition",
    "r2",
    "reversible_activity",
    "tdi_activity",
]

ArrayLike = float | np.ndarray


def _out(x: np.ndarray) -> ArrayLike:
    x = np.asarray(x, dtype=float)
    return float(x) if x.ndim == 0 else x


def _arr(
    name: str,
    value,
    *,
    lo: float | None = None,
    hi: float | None = None,
    lo_open: bool = False,
    allowed: str = "",
) -> np.ndarray:
    """``value`` as a float array, checked to lie in [lo, hi] (or (lo, hi] if lo_open)."""
    try:
        a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} = {value!r} is not a number; allowed: {allowed}") from None
    bad = np.isnan(a)
    if lo is not None:
        bad |= (a <= lo) if lo_open else (a < lo)
    if hi is not None:
        bad |= a > hi
    if bad.any():
        first = a[bad].flat[0] if a.ndim else float(a)
        raise ValueError(f"{name} = {first!r} is outside the allowed range: {allowed}")
    return a


def _conc(name: str, value) -> np.ndarray:
    a = _arr(name, value, lo=0.0, allowed=f"{name} ≥ 0 and finite (a concentration in µM)")
    if np.isinf(a).any():
        raise ValueError(f"{name} = inf is outside the allowed range: {name} ≥ 0 and finite (µM)")
    return a


def _const(name: str, value, unit: str = "µM") -> np.ndarray:
    return _arr(name, value, lo=0.0, lo_open=True, allowed=f"{name} > 0 ({unit}; may be inf)")


def _fraction(name: str, value, *, lo_open: bool = False) -> np.ndarray:
    rng = "0 < {n} ≤ 1" if lo_open else "0 ≤ {n} ≤ 1"
    return _arr(
        name, value, lo=0.0, hi=1.0, lo_open=lo_open, allowed=rng.format(n=name) + " (a fraction)"
    )


def basic_static_r(i_um: ArrayLike, ki_um: ArrayLike, fu: ArrayLike = 1.0) -> ArrayLike:
    """Basic static model for reversible inhibition: R1 = 1 + fu·I / Ki,u.

    Parameters
    ----------
    i_um : inhibitor concentration at the enzyme (µM): e.g. the maximal plasma concentration
        (total; give ``fu``), the unbound hepatic inlet concentration (``fu=1``) or the
        intestinal lumen concentration Igut = dose / 250 mL (``fu=1``).
    ki_um : unbound reversible inhibition constant Ki,u (µM), > 0 (``np.inf`` = no inhibition).
    fu : fraction of ``i_um`` that is unbound, 0 < fu ≤ 1 (1 when ``i_um`` is already unbound).

    Returns
    -------
    R1 ≥ 1 (dimensionless): the predicted AUC ratio if the victim were cleared only by this
    enzyme. It rises linearly with the inhibitor concentration.
    """
    i = _conc("i_um", i_um)
    ki = _const("ki_um", ki_um)
    f = _fraction("fu", fu, lo_open=True)
    return _out(1.0 + f * i / ki)


def kobs(i_um: ArrayLike, kinact_per_h: ArrayLike, ki_um: ArrayLike) -> ArrayLike:
    """Observed inactivation rate constant kobs = kinact · I / (KI + I) (1/h)."""
    i = _conc("i_um", i_um)
    k = _arr("kinact_per_h", kinact_per_h, lo=0.0, allowed="kinact_per_h ≥ 0 (1/h)")
    ki = _const("ki_um", ki_um)
    return _out(k * i / (ki + i))


def r2(
    i_um: ArrayLike,
    kinact_per_h: ArrayLike,
    ki_um: ArrayLike,
    kdeg_per_h: ArrayLike,
    fu: ArrayLike = 1.0,
) -> ArrayLike:
    """Basic static model for time-dependent inhibition: R2 = (kobs + kdeg) / kdeg.

    Parameters
    ----------
    i_um : inhibitor concentration (µM); multiplied by ``fu`` to give the unbound value.
    kinact_per_h : maximal inactivation rate constant kinact (1/h; × 60 from 1/min).
    ki_um : KI, the unbound inhibitor concentration at half-maximal inactivation (µM).
    kdeg_per_h : first-order degradation rate constant of the enzyme (1/h), > 0.
    fu : unbound fraction of ``i_um``, 0 < fu ≤ 1.

    Returns
    -------
    R2 ≥ 1 (dimensionless): the fold-decrease of the active enzyme at steady state, i.e. the
    predicted AUC ratio for a victim cleared only by this enzyme.
    """
    f = _fraction("fu", fu, lo_open=True)
    kd = _const("kdeg_per_h", kdeg_per_h, unit="1/h")
    ko = np.asarray(kobs(f * _conc("i_um", i_um), kinact_per_h, ki_um))
    return _out((ko + kd) / kd)


def reversible_activity(i_um: ArrayLike, ki_um: ArrayLike) -> ArrayLike:
    """Fraction of enzyme activity left under reversible inhibition: 1 / (1 + I/Ki)."""
    return _out(1.0 / np.asarray(basic_static_r(i_um, ki_um)))


def tdi_activity(
    i_um: ArrayLike, kinact_per_h: ArrayLike, ki_um: ArrayLike, kdeg_per_h: ArrayLike
) -> ArrayLike:
    """Fraction of active enzyme left at steady state under time-dependent inhibition.

    kdeg / (kdeg + kobs) = 1 / R2 (dimensionless, in (0, 1]).
    """
    return _out(1.0 / np.asarray(r2(i_um, kinact_per_h, ki_um, kdeg_per_h)))


def mechanistic_static_auc_ratio(
    fm: ArrayLike,
    fg: ArrayLike = 1.0,
    *,
    i_liver_um: ArrayLike = 0.0,
    ki_liver_um: ArrayLike = np.inf,
    i_gut_um: ArrayLike = 0.0,
    ki_gut_um: ArrayLike = np.inf,
    liver_activity: ArrayLike = 1.0,
    gut_activity: ArrayLike = 1.0,
) -> ArrayLike:
    """Mechanistic static model: AUC ratio of the victim with / without the inhibitor.

    AUCR = 1 / (Ag · (1 − Fg) + Fg) × 1 / (Ah · fm + (1 − fm)),

    where Ah and Ag are the fractions of enzyme activity left in liver and gut wall:
    the reversible term 1 / (1 + I/Ki) for each organ, multiplied by any further activity
    factor (``liver_activity``, ``gut_activity``, e.g. :func:`tdi_activity` for
    time-dependent inhibition).

    Parameters
    ----------
    fm : fraction of the victim's systemic clearance through the inhibited enzyme, 0 ≤ fm ≤ 1.
    fg : fraction of the victim escaping gut-wall metabolism by this enzyme, 0 ≤ Fg ≤ 1
        (Fg = 1: no gut-wall metabolism, so gut inhibition cannot matter).
    i_liver_um, ki_liver_um : unbound inhibitor concentration at the liver and Ki,u (µM).
    i_gut_um, ki_gut_um : inhibitor concentration in the gut wall / lumen and Ki,u (µM).
    liver_activity, gut_activity : extra fractions of activity left, in (0, 1].

    Returns
    -------
    AUCR ≥ 1 (dimensionless). With Fg = 1, fm = 1 and no extra factors it equals
    :func:`basic_static_r` for the liver concentration.
    """
    fm_ = _fraction("fm", fm)
    fg_ = _fraction("fg", fg)
    ih, kh = _conc("i_liver_um", i_liver_um), _const("ki_liver_um", ki_liver_um)
    ig, kg = _conc("i_gut_um", i_gut_um), _const("ki_gut_um", ki_gut_um)
    ah = _fraction("liver_activity", liver_activity, lo_open=True) / (1.0 + ih / kh)
    ag = _fraction("gut_activity", gut_activity, lo_open=True) / (1.0 + ig / kg)
    gut = 1.0 / (ag * (1.0 - fg_) + fg_)
    liver = 1.0 / (ah * fm_ + (1.0 - fm_))
    return _out(gut * liver)


def kdeg_from_half_life(t_half_h: ArrayLike) -> ArrayLike:
    """Enzyme degradation rate constant kdeg = ln 2 / t½ (1/h) from a half-life in hours."""
    t = _const("t_half_h", t_half_h, unit="h")
    return _out(math.log(2) / t)


def exceeds(value: ArrayLike, cutoff: ArrayLike) -> bool | np.ndarray:
    """True where a predicted ratio is at or above a decision cut-off (``>=``; broadcasts)."""
    out = np.asarray(value, dtype=float) >= np.asarray(cutoff, dtype=float)
    return bool(out) if out.ndim == 0 else out


def pick_inhibition(
    table: pd.DataFrame, perpetrator: str, enzyme: str, mechanism: str = "reversible"
) -> pd.Series:
    """The preferred row of ``cyp_inhibition_in_vitro`` for a perpetrator, enzyme, mechanism.

    CYP3A and CYP3A4 are treated as the same enzyme. Raises ``ValueError`` (listing what is
    available) when the data hold no preferred row for the combination.
    """
    enzymes = {"CYP3A", "CYP3A4"} if enzyme in {"CYP3A", "CYP3A4"} else {enzyme}
    hits = table[
        (table["perpetrator"] == perpetrator)
        & (table["enzyme"].isin(enzymes))
        & (table["mechanism"] == mechanism)
        & (table["preferred"].fillna(False).astype(bool))
    ]
    if len(hits) != 1:
        have = table.loc[table["perpetrator"] == perpetrator, ["enzyme", "mechanism"]]
        pairs = sorted({f"{e}/{m}" for e, m in have.itertuples(index=False)})
        raise ValueError(
            f"no single preferred in-vitro row for perpetrator={perpetrator!r}, "
            f"enzyme={enzyme!r}, mechanism={mechanism!r} ({len(hits)} found); "
            f"available for this perpetrator: {', '.join(pairs) or 'none'}"
        )
    return hits.iloc[0]
