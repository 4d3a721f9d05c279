"""Withdrawal scales and the evidence tables of lesson 05, as small pure functions.

COWS scoring
------------
The Clinical Opiate Withdrawal Scale (Wesson & Ling 2003) has 11 clinician-rated items; each
allows only certain scores (resting pulse: 0, 1, 2 or 4 points; gooseflesh: 0, 3 or 5 …).
The allowed scores and the severity bands of the total are read from the data tables
``cows_items`` and ``cows_bands``, never typed here. :func:`cows_score` checks an assessment
(a mapping item → points) against them: a missing item, an unknown item or a score that the
item does not allow raises :class:`ValueError` naming the item, the value and what is
allowed. The result is the total (points) and the band's label. A band is a description of
a total score; nothing in this module attaches advice to it.

Symptom-frequency tables
------------------------
:func:`symptom_frequency_table` adds to a table of reported percentages (with the number of
participants) the approximate count and a Wilson 95% confidence interval. The count is reconstructed from a
rounded percentage, so the interval is approximate and says so (``count_approx``). The Wilson
interval is computed in closed form with numpy (the same formula as statsmodels'
``proportion_confint(method="wilson")``, which the tests compare it with), so the lesson
does not import statsmodels.

Trials of melatonin
-------------------
:func:`split_poolable` separates trials that report arm counts for one outcome (these can be
pooled) from the others (tabulated only). :func:`pool_risk_ratios` computes per-trial log
risk ratios with :func:`helpers.evidence.log_risk_ratio` and pools them with
:func:`helpers.evidence.meta_analysis`; results are returned on the ratio scale as well.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

import numpy as np
import pandas as pd

from helpers import data, evidence

__all__ = [
    "CowsResult",
    "PooledRatio",
    "allowed_scores",
    "case_items",
    "cows_band",
    "cows_max_total",
    "cows_score",
    "pool_risk_ratios",
    "random_assessment",
    "split_poolable",
    "symptom_frequency_table",
    "trial_risk_ratios",
    "wilson_interval",
]


# ============================================================================ COWS


@lru_cache(maxsize=1)
def _allowed_cached() -> tuple[tuple[str, tuple[int, ...]], ...]:
    df = data.load("cows_items").sort_values(["item_no", "score"])
    return tuple(
        (str(item), tuple(int(s) for s in grp["score"]))
        for item, grp in df.groupby("item", sort=False)
    )


def allowed_scores() -> dict[str, tuple[int, ...]]:
    """Item → allowed scores (points, ascending), in the form's item order (from ``cows_items``).

    The table is read once per process (the scale does not change while a lesson runs).
    """
    return dict(_allowed_cached())


def cows_max_total() -> int:
    """Highest possible COWS total (points): the sum of each item's largest allowed score."""
    return int(sum(max(s) for s in allowed_scores().values()))


@lru_cache(maxsize=1)
def _bands_cached() -> pd.DataFrame:
    return data.load("cows_bands").sort_values("score_min").reset_index(drop=True)


def _bands() -> pd.DataFrame:
    return _bands_cached().copy()


def cows_band(total: int) -> str:
    """The band label (from ``cows_bands``) of a COWS total score in points.

    Raises ValueError if ``total`` is not a whole number between 0 and the maximum total.
    """
    top = cows_max_total()
    if isinstance(total, bool) or not isinstance(total, int | np.integer):
        raise ValueError(f"total must be a whole number of points (0 to {top}); got {total!r}")
    if not 0 <= total <= top:
        raise ValueError(f"total must be between 0 and {top} points; got {total}")
    b = _bands()
    hit = b[(b["score_min"] <= total) & (b["score_max"] >= total)]
    if len(hit) != 1:  # the data would be inconsistent; the data tests guard against this
        raise ValueError(f"cows_bands has {len(hit)} bands containing total {total}")
    return str(hit["band_label"].iloc[0])


@dataclass(frozen=True)
class CowsResult:
    """A scored COWS assessment: total (points), band label, maximum possible total, items."""

    total: int
    band: str
    max_total: int
    items: Mapping[str, int]


def cows_score(items: Mapping[str, int]) -> CowsResult:
    """Score one COWS assessment: ``items`` maps each of the 11 item ids to its points.

    Every item must be present, no other key is allowed, and each score must be one of the
    item's allowed scores in ``cows_items`` (e.g. resting pulse 0, 1, 2 or 4). Otherwise a
    ValueError names the item, the value given and the allowed values.
    """
    if not isinstance(items, Mapping):
        raise ValueError(f"items must be a mapping item → points; got {type(items).__name__}")
    allowed = allowed_scores()
    missing = [k for k in allowed if k not in items]
    extra = sorted(str(k) for k in items if k not in allowed)
    if missing:
        raise ValueError(f"missing COWS item(s) {missing}; every one of {list(allowed)} is needed")
    if extra:
        raise ValueError(f"unknown COWS item(s) {extra}; the items are {list(allowed)}")
    for item, ok in allowed.items():
        v = items[item]
        if isinstance(v, bool) or not isinstance(v, int | np.integer) or int(v) not in ok:
            raise ValueError(
                f"COWS item {item!r} got {v!r}; allowed scores are {list(ok)} (points)"
            )
    clean = {k: int(items[k]) for k in allowed}
    total = int(sum(clean.values()))
    return CowsResult(total=total, band=cows_band(total), max_total=cows_max_total(), items=clean)


def case_items(case_id: str) -> dict[str, int]:
    """Item scores of a fictional worked case from ``cows_cases`` (item → points)."""
    cases = data.load("cows_cases")
    if case_id not in set(cases["case_id"]):
        raise ValueError(f"case_id must be one of {sorted(cases['case_id'])}; got {case_id!r}")
    row = cases.loc[cases["case_id"] == case_id].iloc[0]
    return {item: int(row[item]) for item in allowed_scores()}


def random_assessment(seed: int) -> dict[str, int]:
    """A random, valid, fictional assessment: each item's score drawn uniformly from its
    allowed scores with ``numpy.random.default_rng(seed)``. For scoring practice only."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a whole number ≥ 0; got {seed!r}")
    rng = np.random.default_rng(int(seed))
    return {item: int(rng.choice(ok)) for item, ok in allowed_scores().items()}


# ============================================================================ symptom frequencies


def symptom_frequency_table(df: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Add an approximate count and a Wilson confidence interval to reported percentages.

    ``df`` needs ``n_participants`` and ``percent`` (0–100, may be missing). Returns a copy
    with ``count_approx`` = round(percent/100 · n) and ``ci_low_percent``/``ci_high_percent``
    (Wilson interval of that count, in %; :func:`wilson_interval`). Rows without a
    reported percentage keep missing values: "not reported" is not zero.
    """
    for col in ("n_participants", "percent"):
        if col not in df.columns:
            raise ValueError(f"df needs a {col!r} column; it has {list(df.columns)}")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1; got {level!r}")
    out = df.copy()
    n = out["n_participants"].astype("float64").to_numpy()
    pct = out["percent"].astype("float64").to_numpy()
    bad = np.isfinite(pct) & ((pct < 0) | (pct > 100))
    if bad.any():
        raise ValueError(f"percent must be 0–100; got {pct[bad].tolist()}")
    if np.any(~np.isfinite(n) | (n < 1)):
        raise ValueError(f"n_participants must be ≥ 1; got {n.tolist()}")
    has = np.isfinite(pct)
    count = np.full(n.shape, np.nan)
    count[has] = np.round(pct[has] / 100 * n[has])
    lo = np.full(n.shape, np.nan)
    hi = np.full(n.shape, np.nan)
    if has.any():
        lo[has], hi[has] = wilson_interval(count[has], n[has], level=level)
    out["count_approx"] = pd.array(np.where(has, count, np.nan), dtype="Float64").astype("Int64")
    out["ci_low_percent"] = 100 * lo
    out["ci_high_percent"] = 100 * hi
    return out


def wilson_interval(
    count: np.ndarray | float, n: np.ndarray | float, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a proportion (count of n), as fractions 0–1.

    Closed form: centre (p + z²/2n)/(1 + z²/n), half-width z·sqrt(p(1−p)/n + z²/4n²)/(1 + z²/n)
    with p = count/n and z the standard-normal quantile for ``level``; identical to
    statsmodels' ``proportion_confint(count, n, method="wilson")``.
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1; got {level!r}")
    x = np.asarray(count, dtype=float)
    n = np.asarray(n, dtype=float)
    if np.any(n <= 0) or np.any((x < 0) | (x > n)):
        raise ValueError(f"need 0 ≤ count ≤ n and n > 0; got count={x.tolist()}, n={n.tolist()}")
    z = NormalDist().inv_cdf(0.5 + level / 2)
    p = x / n
    denom = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return centre - half, centre + half


# ============================================================================ melatonin trials

_COUNT_COLS = ("events_melatonin", "n_melatonin", "events_control", "n_control")


def split_poolable(trials: pd.DataFrame, outcome: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a trials table into (trials with all four arm counts for ``outcome``, the rest).

    Rows of other outcomes, rows without counts (e.g. a published meta-analysis or a trial
    reporting only a regression coefficient) go to the second table, to be read, not pooled.
    """
    missing = [c for c in (*_COUNT_COLS, "outcome") if c not in trials.columns]
    if missing:
        raise ValueError(f"trials lacks column(s) {missing}")
    has_counts = trials[list(_COUNT_COLS)].notna().all(axis=1)
    mask = (trials["outcome"] == outcome) & has_counts
    return trials[mask].copy(), trials[~mask].copy()


def trial_risk_ratios(trials: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Per-trial risk ratio (melatonin vs control) with a Wald CI on the log scale.

    Adds ``log_rr``, ``var_log_rr`` (from :func:`helpers.evidence.log_risk_ratio`, 0.5 added
    to a trial with a zero cell), ``rr``, ``rr_ci_low`` and ``rr_ci_high`` (dimensionless).
    These are computed here from published counts, not published values.
    """
    yi, vi = evidence.log_risk_ratio(
        trials["events_melatonin"].astype(float),
        trials["n_melatonin"].astype(float),
        trials["events_control"].astype(float),
        trials["n_control"].astype(float),
    )
    z = NormalDist().inv_cdf(0.5 + level / 2)
    out = trials.copy()
    out["log_rr"] = yi
    out["var_log_rr"] = vi
    out["rr"] = np.exp(yi)
    out["rr_ci_low"] = np.exp(yi - z * np.sqrt(vi))
    out["rr_ci_high"] = np.exp(yi + z * np.sqrt(vi))
    return out


@dataclass(frozen=True)
class PooledRatio:
    """A pooled risk ratio (dimensionless) with the meta-analysis it came from."""

    rr: float
    ci_low: float
    ci_high: float
    pi_low: float
    pi_high: float
    tau2: float
    i2: float
    k: int
    method: str
    hartung_knapp: bool
    result: evidence.MetaAnalysisResult

    @property
    def has_prediction_interval(self) -> bool:
        """False for a fixed-effect model (see :class:`~helpers.evidence.MetaAnalysisResult`)."""
        return self.result.has_prediction_interval


def pool_risk_ratios(
    trials: pd.DataFrame, method: str = "REML", hartung_knapp: bool = True
) -> PooledRatio:
    """Pool the trials' log risk ratios with :func:`helpers.evidence.meta_analysis`.

    ``trials`` must all report counts for one outcome (use :func:`split_poolable` first);
    at least two trials are needed. Returns the pooled RR, its CI and prediction interval
    (exp of the log-scale limits), τ² (log scale) and I² (%).
    """
    if trials["outcome"].nunique() != 1:
        raise ValueError(
            f"pool trials of one outcome only; got outcomes {sorted(trials['outcome'].unique())}"
        )
    rr = trial_risk_ratios(trials)
    res = evidence.meta_analysis(
        rr["log_rr"].to_numpy(),
        rr["var_log_rr"].to_numpy(),
        method=method,
        hartung_knapp=hartung_knapp,
    )
    return PooledRatio(
        rr=float(np.exp(res.estimate)),
        ci_low=float(np.exp(res.ci_low)),
        ci_high=float(np.exp(res.ci_high)),
        pi_low=float(np.exp(res.pi_low)),
        pi_high=float(np.exp(res.pi_high)),
        tau2=res.tau2,
        i2=res.i2,
        k=res.k,
        method=res.method,
        hartung_knapp=res.hartung_knapp,
        result=res,
    )
