"""Evidence appraisal: effect sizes, meta-analysis, small-study tests, disproportionality, GRADE.

Everything here is a small pure function on numbers; the lessons load the numbers from
``data/`` and cite them. Nothing plots (figures live in :mod:`helpers.plots.evidence`).

Meta-analysis
-------------
:func:`meta_analysis` pools effect sizes ``yi`` (on an additive scale: log risk ratio, log odds
ratio, mean difference in the outcome's unit, standardised mean difference) with their
sampling variances ``vi`` (same scale, squared). τ² estimators:

- ``"FE"``  fixed (common) effect, τ² = 0;
- ``"DL"``  DerSimonian–Laird, from statsmodels' ``combine_effects(method_re="dl")``;
- ``"PM"``  Paule–Mandel, from statsmodels' ``combine_effects(method_re="pm")``; when its
  iteration stops off the root (it returns 0 after an overshooting step), the estimating
  equation Q(τ²) = k − 1 is solved by bracketing (scipy's ``brentq``) instead;
- ``"REML"`` restricted maximum likelihood, written here (statsmodels has none) by Fisher
  scoring as in metafor's ``rma.uni``; tested against metafor's published BCG example.

Conventions follow metafor (``rma.uni``) so that numbers can be checked against it:
I² = 100·τ² / (τ² + s²) with the "typical" within-study variance
s² = (k − 1)·Σw / ((Σw)² − Σw²), w = 1/vi (for ``"FE"``, I² = max(0, (Q − df)/Q)·100);
the prediction interval is estimate ± z·√(se² + τ²), or ± t(k − 1)·√(se² + τ²) with the
Hartung–Knapp(–Sidik–Jonkman) adjustment (``hartung_knapp=True``), which also replaces the
standard error by the weighted residual version and z by t with k − 1 degrees of freedom.

Disproportionality
------------------
2×2 table of spontaneous reports: ``a`` drug & event, ``b`` drug & other events, ``c`` other
drugs & event, ``d`` other drugs & other events. :func:`reporting_odds_ratio` (ROR = ad/bc)
and :func:`proportional_reporting_ratio` (PRR = [a/(a+b)] / [c/(c+d)]) return the ratio
with a Wald confidence interval on the log scale. **Continuity correction:** when any cell
is 0, 0.5 is added to all four cells (Haldane–Anscombe) and the result says
``corrected=True``. :func:`signal` applies screening thresholds that the caller passes
(the lesson reads them from the ``signal_thresholds`` table).

GRADE bookkeeping (stable API, also used by the claim audit in :mod:`helpers.audit`)
-------------------------------------------------------------------------------------
Vocabulary (module constants, do not rename):

- :data:`CERTAINTY_LEVELS` = ``("high", "moderate", "low", "very low")`` (best first);
  :data:`CERTAINTY_SYMBOLS` maps each to ⊕⊕⊕⊕ … ⊕○○○; :data:`NO_EVIDENCE` = ``"no evidence"``
  labels an outcome with no study to rate (not a GRADE level: there is nothing to grade).
- :data:`DOWNGRADE_DOMAINS` = ``("risk_of_bias", "inconsistency", "indirectness",
  "imprecision", "publication_bias")``, each rated 0 (not serious), 1 (serious) or
  2 (very serious) levels down (:data:`NOT_SERIOUS`, :data:`SERIOUS`, :data:`VERY_SERIOUS`).
- :data:`UPGRADE_DOMAINS` = ``("large_effect", "dose_response", "plausible_confounding")``;
  large_effect 0–2 levels up, the others 0–1.
- :data:`STUDY_DESIGNS` = ``("randomized", "observational")``: randomized trials start at
  "high" (4), observational studies at "low" (2).

:func:`grade_certainty` ``(design, outcome="", **domains)`` → :class:`GradeRating`
(start, score 1–4, certainty label, symbol, the levels down/up per domain and a readable
``reasons`` string); :func:`certainty_label` ``(score)`` → label;
:func:`summary_of_findings` ``(ratings)`` → a DataFrame, one row per outcome.
:func:`rob2_overall` ``(judgements)`` gives the least favourable RoB 2 domain judgement
(:data:`ROB2_JUDGEMENTS` = ``("low", "some concerns", "high")``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from scipy import special  # distribution functions; lighter to import than scipy.stats

__all__ = [
    "CERTAINTY_LEVELS",
    "CERTAINTY_SYMBOLS",
    "DOWNGRADE_DOMAINS",
    "METHODS",
    "NO_EVIDENCE",
    "NOT_SERIOUS",
    "ROB2_JUDGEMENTS",
    "SERIOUS",
    "STUDY_DESIGNS",
    "UPGRADE_DOMAINS",
    "VERY_SERIOUS",
    "DisproportionalityResult",
    "EggerResult",
    "GradeRating",
    "MetaAnalysisResult",
    "certainty_label",
    "chi2_yates",
    "egger_test",
    "grade_certainty",
    "leave_one_out",
    "log_odds_ratio",
    "log_risk_ratio",
    "mean_difference",
    "meta_analysis",
    "proportional_reporting_ratio",
    "reml_tau2",
    "reporting_odds_ratio",
    "rob2_overall",
    "signal",
    "standardized_mean_difference",
    "study_intervals",
    "funnel_limits",
    "summary_of_findings",
]

METHODS = ("FE", "DL", "REML", "PM")
#: Continuity correction added to every cell of a 2×2 table that has a zero cell.
CONTINUITY_CORRECTION = 0.5


# ============================================================================ validation


def _as_1d(name: str, x) -> np.ndarray:
    arr = np.asarray(x, dtype=float)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional; got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must hold finite numbers; got {arr.tolist()}")
    return arr


def _check_yi_vi(yi, vi, min_k: int = 2) -> tuple[np.ndarray, np.ndarray]:
    y = _as_1d("yi", yi)
    v = _as_1d("vi", vi)
    if y.shape != v.shape:
        raise ValueError(
            f"yi and vi must have the same length; got {y.size} effect sizes and {v.size} variances"
        )
    if y.size < min_k:
        raise ValueError(f"need at least k = {min_k} studies; got k = {y.size}")
    bad = np.flatnonzero(v <= 0)
    if bad.size:
        raise ValueError(
            f"vi (sampling variances) must be > 0; got {v[bad].tolist()} at position(s) {bad.tolist()}"
        )
    return y, v


def _check_counts(**cells) -> dict[str, np.ndarray]:
    out = {}
    for name, x in cells.items():
        arr = _as_1d(name, x)
        if np.any(arr < 0):
            raise ValueError(f"{name} must be counts ≥ 0; got {arr.tolist()}")
        if np.any(arr != np.round(arr)):
            raise ValueError(f"{name} must be whole numbers (counts); got {arr.tolist()}")
        out[name] = arr
    sizes = {a.size for a in out.values()}
    if len(sizes) != 1:
        raise ValueError(
            "the cells must have the same length; got "
            + ", ".join(f"{k}: {v.size}" for k, v in out.items())
        )
    return out


# ============================================================================ effect sizes


def log_risk_ratio(
    events_1, n_1, events_2, n_2, correction: float = CONTINUITY_CORRECTION
) -> tuple[np.ndarray, np.ndarray]:
    """Log risk ratio of group 1 vs group 2 and its sampling variance (per study).

    yi = ln[(a/n1)/(c/n2)], vi = 1/a − 1/n1 + 1/c − 1/n2 (a, c events; n1, n2 group sizes),
    as metafor's ``escalc(measure="RR")``. A study with a zero cell (events or non-events)
    gets ``correction`` added to its four cells (metafor's default add=1/2, to="only0").
    Returns (yi, vi) as arrays (dimensionless; natural-log scale).
    """
    cells = _check_counts(events_1=events_1, n_1=n_1, events_2=events_2, n_2=n_2)
    a, n1, c, n2 = cells["events_1"], cells["n_1"], cells["events_2"], cells["n_2"]
    if np.any(a > n1) or np.any(c > n2):
        raise ValueError(f"events cannot exceed group size; got {a}/{n1} and {c}/{n2}")
    b, d = n1 - a, n2 - c
    zero = (np.minimum.reduce([a, b, c, d]) == 0).astype(float) * correction
    a, b, c, d = a + zero, b + zero, c + zero, d + zero
    n1, n2 = a + b, c + d
    yi = np.log((a / n1) / (c / n2))
    vi = 1 / a - 1 / n1 + 1 / c - 1 / n2
    return yi, vi


def log_odds_ratio(a, b, c, d, correction: float = CONTINUITY_CORRECTION):
    """Log odds ratio ad/bc and its variance 1/a + 1/b + 1/c + 1/d (per study).

    a, b: events and non-events in group 1; c, d: in group 2. A study with a zero cell gets
    ``correction`` added to its four cells. Returns (yi, vi), natural-log scale.
    """
    cells = _check_counts(a=a, b=b, c=c, d=d)
    a, b, c, d = (cells[k] for k in "abcd")
    zero = (np.minimum.reduce([a, b, c, d]) == 0).astype(float) * correction
    a, b, c, d = a + zero, b + zero, c + zero, d + zero
    return np.log(a * d / (b * c)), 1 / a + 1 / b + 1 / c + 1 / d


def _check_groups(m1, sd1, n1, m2, sd2, n2):
    m1, sd1, n1 = _as_1d("m1", m1), _as_1d("sd1", sd1), _as_1d("n1", n1)
    m2, sd2, n2 = _as_1d("m2", m2), _as_1d("sd2", sd2), _as_1d("n2", n2)
    if len({x.size for x in (m1, sd1, n1, m2, sd2, n2)}) != 1:
        raise ValueError("means, SDs and group sizes must have the same length")
    for name, sd in (("sd1", sd1), ("sd2", sd2)):
        if np.any(sd <= 0):
            raise ValueError(f"{name} (standard deviations) must be > 0; got {sd.tolist()}")
    for name, n in (("n1", n1), ("n2", n2)):
        if np.any(n < 2):
            raise ValueError(f"{name} (group sizes) must be ≥ 2; got {n.tolist()}")
    return m1, sd1, n1, m2, sd2, n2


def mean_difference(m1, sd1, n1, m2, sd2, n2) -> tuple[np.ndarray, np.ndarray]:
    """Raw mean difference m1 − m2 (outcome's unit) and variance sd1²/n1 + sd2²/n2 (unit²)."""
    m1, sd1, n1, m2, sd2, n2 = _check_groups(m1, sd1, n1, m2, sd2, n2)
    return m1 - m2, sd1**2 / n1 + sd2**2 / n2


def standardized_mean_difference(m1, sd1, n1, m2, sd2, n2) -> tuple[np.ndarray, np.ndarray]:
    """Hedges' g (bias-corrected SMD, dimensionless) and its large-sample variance.

    d = (m1 − m2)/s_pooled, g = J·d with the exact correction
    J = Γ(m/2) / (√(m/2)·Γ((m − 1)/2)), m = n1 + n2 − 2;
    vi = 1/n1 + 1/n2 + g²/(2(n1 + n2)) — metafor's ``escalc(measure="SMD")`` (vtype "LS").
    """
    m1, sd1, n1, m2, sd2, n2 = _check_groups(m1, sd1, n1, m2, sd2, n2)
    m = n1 + n2 - 2
    s_pooled = np.sqrt(((n1 - 1) * sd1**2 + (n2 - 1) * sd2**2) / m)
    j = np.exp(special.gammaln(m / 2) - np.log(np.sqrt(m / 2)) - special.gammaln((m - 1) / 2))
    g = j * (m1 - m2) / s_pooled
    return g, 1 / n1 + 1 / n2 + g**2 / (2 * (n1 + n2))


# ============================================================================ meta-analysis


@dataclass(frozen=True)
class MetaAnalysisResult:
    """A pooled estimate (same scale as ``yi``) with heterogeneity statistics.

    estimate, se, ci_low, ci_high: pooled effect, its standard error and confidence interval;
    tau2: between-study variance (scale of yi, squared); i2: percent of total variability
    due to heterogeneity (metafor's definition); h2: total / sampling variability;
    q, q_df, q_p: Cochran's Q, its degrees of freedom and p-value; pi_low, pi_high:
    prediction interval for the true effect in a new study; stat, p: z (or t) statistic of
    the pooled estimate and its two-sided p; weights_percent: each study's weight (%).
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    tau2: float
    i2: float
    h2: float
    q: float
    q_df: int
    q_p: float
    pi_low: float
    pi_high: float
    stat: float
    p: float
    k: int
    method: str
    hartung_knapp: bool
    level: float
    weights_percent: tuple[float, ...] = field(repr=False)

    @property
    def tau(self) -> float:
        """Between-study standard deviation (scale of yi)."""
        return math.sqrt(self.tau2)

    @property
    def has_prediction_interval(self) -> bool:
        """False for a fixed-effect model: it assumes one true effect, so there is no spread
        of true effects to predict (its ``pi_low``/``pi_high`` only repeat the CI)."""
        return self.method != "FE"

    def as_dict(self) -> dict:
        d = asdict(self)
        d["weights_percent"] = list(self.weights_percent)
        return d


def _cochran_q(y: np.ndarray, v: np.ndarray) -> float:
    w = 1 / v
    mu = np.sum(w * y) / np.sum(w)
    return float(np.sum(w * (y - mu) ** 2))


def _statsmodels_tau2(y: np.ndarray, v: np.ndarray, method: str) -> float:
    from statsmodels.stats.meta_analysis import combine_effects

    # statsmodels also computes HKSJ intermediates that warn (sqrt of a negative) when the
    # untruncated DL value is < 0, and its own I² divides by zero when every effect is equal
    # (H² = 0); only τ² is used here (I² is computed below), so those warnings are irrelevant.
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "DL":
            res = combine_effects(y, v, method_re="dl")
        else:  # PM: iterate to a tight tolerance (statsmodels' default atol is 1e-5)
            res = combine_effects(y, v, method_re="pm", atol=1e-12, maxiter=500)
    tau2 = max(0.0, float(res.tau2))  # statsmodels leaves a negative DL value untruncated
    if method == "PM" and not _pm_solved(y, v, tau2):
        # statsmodels' Paule–Mandel iteration returns 0 when a step overshoots the root;
        # the estimating equation is monotone in τ², so solve it by bracketing instead.
        tau2 = _pm_brentq(y, v)
    return tau2


def _moment_start(y: np.ndarray, v: np.ndarray) -> float:
    """The DerSimonian–Laird moment value, max(0, (Q − (k − 1)) / (Σw − Σw²/Σw)), used only
    as REML's starting point (so REML needs no statsmodels import; DL itself is statsmodels')."""
    w = 1 / v
    return max(0.0, (_cochran_q(y, v) - (y.size - 1)) / (w.sum() - np.sum(w**2) / w.sum()))


def _generalised_q(y: np.ndarray, v: np.ndarray, tau2: float) -> float:
    w = 1 / (v + tau2)
    mu = np.sum(w * y) / w.sum()
    return float(np.sum(w * (y - mu) ** 2))


def _pm_solved(y: np.ndarray, v: np.ndarray, tau2: float, tol: float = 1e-6) -> bool:
    gap = _generalised_q(y, v, tau2) - (y.size - 1)
    return abs(gap) < tol or (tau2 == 0 and gap <= 0)


def _pm_brentq(y: np.ndarray, v: np.ndarray) -> float:
    from scipy.optimize import brentq

    def f(t2):
        return _generalised_q(y, v, t2) - (y.size - 1)

    if f(0.0) <= 0:
        return 0.0
    hi = max(float(np.var(y, ddof=1)), float(v.max()), 1e-8)
    while f(hi) > 0:
        hi *= 2
    return float(brentq(f, 0.0, hi, xtol=1e-14, rtol=1e-12, maxiter=500))


def reml_tau2(yi, vi, tol: float = 1e-10, maxiter: int = 500) -> float:
    """REML estimate of τ² (random-effects model without moderators), by Fisher scoring.

    The update is metafor's: τ² ← τ² + (Y'PPY − tr P) / tr(PP), with
    P = W − w wᵀ/Σw, W = diag(1/(vi + τ²)); started at the DerSimonian–Laird value,
    step-halved to stay ≥ 0, and truncated at 0 when the likelihood is maximal there.
    """
    y, v = _check_yi_vi(yi, vi)
    tau2 = _moment_start(y, v)
    for _ in range(maxiter):
        w = 1 / (v + tau2)
        sw = w.sum()
        mu = np.sum(w * y) / sw
        r = y - mu
        tr_p = sw - np.sum(w**2) / sw
        ypp_y = np.sum(w**2 * r**2)
        tr_pp = np.sum(w**2) - 2 * np.sum(w**3) / sw + np.sum(w**2) ** 2 / sw**2
        step = (ypp_y - tr_p) / tr_pp
        new = tau2 + step
        while new < 0 and step < 0 and tau2 > 0:
            step /= 2
            new = tau2 + step
            if abs(step) < tol:
                new = 0.0
        if new < 0:
            new = 0.0
        if abs(new - tau2) < tol:
            return float(new)
        tau2 = new
    raise RuntimeError(f"REML did not converge in {maxiter} iterations (last τ² = {tau2})")


def meta_analysis(
    yi, vi, method: str = "REML", hartung_knapp: bool = False, level: float = 0.95
) -> MetaAnalysisResult:
    """Inverse-variance meta-analysis of effect sizes ``yi`` with sampling variances ``vi``.

    Parameters
    ----------
    yi : effect sizes on an additive scale (log RR, log OR, MD in the outcome's unit, SMD).
    vi : their sampling variances (> 0, same scale squared).
    method : "FE" (fixed effect), "DL", "REML" or "PM" (τ² estimator; see the module doc).
    hartung_knapp : use the Hartung–Knapp(–Sidik–Jonkman) standard error and t(k − 1)
        critical values for the CI, test and prediction interval.
    level : confidence level of the intervals (0 < level < 1).

    Raises ValueError for k < 2, lengths that differ, non-finite values, variances ≤ 0,
    an unknown method or a level outside (0, 1).
    """
    y, v = _check_yi_vi(yi, vi)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}; got {method!r}")
    if not (0 < level < 1):
        raise ValueError(f"level must be between 0 and 1; got {level!r}")
    k = y.size
    df = k - 1
    q = _cochran_q(y, v)
    if method == "FE":
        tau2 = 0.0
    elif method == "REML":
        tau2 = reml_tau2(y, v)
    else:
        tau2 = _statsmodels_tau2(y, v, method)

    w = 1 / (v + tau2)
    sw = w.sum()
    est = float(np.sum(w * y) / sw)
    se = math.sqrt(1 / sw)
    if hartung_knapp:
        se = math.sqrt(float(np.sum(w * (y - est) ** 2)) / (df * sw))
        crit = float(special.stdtrit(df, 0.5 + level / 2))
        stat = est / se
        p = float(2 * special.stdtr(df, -abs(stat)))
    else:
        crit = float(special.ndtri(0.5 + level / 2))
        stat = est / se
        p = float(2 * special.ndtr(-abs(stat)))

    w_fe = 1 / v
    s2 = df * w_fe.sum() / (w_fe.sum() ** 2 - np.sum(w_fe**2))  # "typical" sampling variance
    if method == "FE":
        i2 = max(0.0, 100 * (q - df) / q) if q > 0 else 0.0
        h2 = max(1.0, q / df)
    else:
        i2 = 100 * tau2 / (tau2 + s2)
        h2 = (tau2 + s2) / s2
    half_pi = crit * math.sqrt(se**2 + tau2)
    return MetaAnalysisResult(
        estimate=est,
        se=se,
        ci_low=est - crit * se,
        ci_high=est + crit * se,
        tau2=float(tau2),
        i2=float(i2),
        h2=float(h2),
        q=q,
        q_df=df,
        q_p=float(special.chdtrc(df, q)),
        pi_low=est - half_pi,
        pi_high=est + half_pi,
        stat=float(stat),
        p=p,
        k=k,
        method=method,
        hartung_knapp=bool(hartung_knapp),
        level=level,
        weights_percent=tuple((100 * w / sw).tolist()),
    )


def leave_one_out(
    yi,
    vi,
    labels: Sequence[str] | None = None,
    method: str = "REML",
    hartung_knapp: bool = False,
    level: float = 0.95,
) -> pd.DataFrame:
    """Re-run :func:`meta_analysis` k times, each time without one study (needs k ≥ 3).

    Returns one row per omitted study: ``omitted`` (label), estimate, ci_low, ci_high, tau2,
    i2, pi_low, pi_high (same scales as :class:`MetaAnalysisResult`).
    """
    y, v = _check_yi_vi(yi, vi, min_k=3)
    labels = list(labels) if labels is not None else [str(i + 1) for i in range(y.size)]
    if len(labels) != y.size:
        raise ValueError(f"labels must have k = {y.size} entries; got {len(labels)}")
    rows = []
    for i, lab in enumerate(labels):
        keep = np.arange(y.size) != i
        r = meta_analysis(y[keep], v[keep], method=method, hartung_knapp=hartung_knapp, level=level)
        rows.append(
            {
                "omitted": lab,
                "estimate": r.estimate,
                "ci_low": r.ci_low,
                "ci_high": r.ci_high,
                "tau2": r.tau2,
                "i2": r.i2,
                "pi_low": r.pi_low,
                "pi_high": r.pi_high,
            }
        )
    return pd.DataFrame(rows)


def study_intervals(yi, vi, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Each study's Wald confidence interval yi ± z·√vi (same scale as yi), for forest plots."""
    y, v = _check_yi_vi(yi, vi, min_k=1)
    z = float(special.ndtri(0.5 + level / 2))
    return y - z * np.sqrt(v), y + z * np.sqrt(v)


def funnel_limits(
    estimate: float, se_max: float, level: float = 0.95, n: int = 50
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pseudo-confidence region of a funnel plot: (se grid, estimate − z·se, estimate + z·se)."""
    if not (se_max > 0 and math.isfinite(se_max)):
        raise ValueError(f"se_max must be a positive number; got {se_max!r}")
    se = np.linspace(0.0, se_max, n)
    z = float(special.ndtri(0.5 + level / 2))
    return se, estimate - z * se, estimate + z * se


# ============================================================================ small-study effects


@dataclass(frozen=True)
class EggerResult:
    """Egger's regression test: z_i = yi/√vi regressed on precision 1/√vi (OLS).

    intercept (and its se, t, p with df = k − 2) measures funnel asymmetry; slope estimates
    the effect as precision grows.
    """

    intercept: float
    se: float
    t: float
    df: int
    p: float
    slope: float


def egger_test(yi, vi) -> EggerResult:
    """Egger et al. (1997) test for small-study effects (needs k ≥ 3, sensible from k ≥ 10).

    Ordinary least squares of the standardised effect yi/√vi on the precision 1/√vi; the
    t test of the intercept is the test (equivalent to metafor's
    ``regtest(model="lm", predictor="sei")``). The least-squares fit is written out with
    numpy (two parameters); the tests check it against statsmodels' OLS.
    """
    y, v = _check_yi_vi(yi, vi, min_k=3)
    se = np.sqrt(v)
    x = np.column_stack([np.ones_like(se), 1 / se])
    z = y / se
    params, *_ = np.linalg.lstsq(x, z, rcond=None)
    df = int(y.size - 2)
    resid = z - x @ params
    cov = float(resid @ resid) / df * np.linalg.inv(x.T @ x)
    b_se = float(np.sqrt(cov[0, 0]))
    t = float(params[0] / b_se)
    return EggerResult(
        intercept=float(params[0]),
        se=b_se,
        t=t,
        df=df,
        p=float(2 * special.stdtr(df, -abs(t))),
        slope=float(params[1]),
    )


# ============================================================================ disproportionality


@dataclass(frozen=True)
class DisproportionalityResult:
    """A disproportionality ratio (dimensionless) with its Wald CI on the log scale.

    ``corrected`` says whether 0.5 was added to every cell because one was 0; ``cells`` are
    the (a, b, c, d) actually used.
    """

    ratio: float
    ci_low: float
    ci_high: float
    se_log: float
    corrected: bool
    cells: tuple[float, float, float, float]


def _table(a, b, c, d, correction: float) -> tuple[tuple[float, float, float, float], bool]:
    cells = _check_counts(a=a, b=b, c=c, d=d)
    if any(x.size != 1 for x in cells.values()):
        raise ValueError("a, b, c and d must each be a single count")
    vals = [float(cells[k][0]) for k in "abcd"]
    if vals[0] + vals[1] == 0 or vals[2] + vals[3] == 0:
        raise ValueError(
            f"a + b (reports of the drug) and c + d (reports of other drugs) must be > 0; got {vals}"
        )
    if min(vals) == 0:
        if correction <= 0:
            raise ValueError(
                f"a zero cell needs a continuity correction > 0; got correction={correction!r} for cells {vals}"
            )
        return tuple(x + correction for x in vals), True
    return tuple(vals), False


def reporting_odds_ratio(
    a, b, c, d, level: float = 0.95, correction: float = CONTINUITY_CORRECTION
) -> DisproportionalityResult:
    """ROR = (a/b)/(c/d) with CI exp(ln ROR ± z·√(1/a + 1/b + 1/c + 1/d)).

    A zero cell adds ``correction`` (default 0.5) to all four cells; ``corrected`` says so.
    """
    (a, b, c, d), corrected = _table(a, b, c, d, correction)
    ror = (a * d) / (b * c)
    se = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    z = float(special.ndtri(0.5 + level / 2))
    return DisproportionalityResult(
        ror, ror * math.exp(-z * se), ror * math.exp(z * se), se, corrected, (a, b, c, d)
    )


def proportional_reporting_ratio(
    a, b, c, d, level: float = 0.95, correction: float = CONTINUITY_CORRECTION
) -> DisproportionalityResult:
    """PRR = [a/(a+b)] / [c/(c+d)] with CI exp(ln PRR ± z·√(1/a − 1/(a+b) + 1/c − 1/(c+d))).

    A zero cell adds ``correction`` (default 0.5) to all four cells; ``corrected`` says so.
    """
    (a, b, c, d), corrected = _table(a, b, c, d, correction)
    prr = (a / (a + b)) / (c / (c + d))
    se = math.sqrt(1 / a - 1 / (a + b) + 1 / c - 1 / (c + d))
    z = float(special.ndtri(0.5 + level / 2))
    return DisproportionalityResult(
        prr, prr * math.exp(-z * se), prr * math.exp(z * se), se, corrected, (a, b, c, d)
    )


def chi2_yates(a, b, c, d) -> float:
    """Yates-corrected χ² of the 2×2 table: N(|ad − bc| − N/2)² / [(a+b)(c+d)(a+c)(b+d)].

    (The correction is applied only while |ad − bc| > N/2; otherwise χ² = 0.)
    """
    cells = _check_counts(a=a, b=b, c=c, d=d)
    a, b, c, d = (float(cells[k][0]) for k in "abcd")
    n = a + b + c + d
    denom = (a + b) * (c + d) * (a + c) * (b + d)
    if denom == 0:
        raise ValueError(f"χ² is undefined when a margin is 0; got cells {(a, b, c, d)}")
    return n * max(0.0, abs(a * d - b * c) - n / 2) ** 2 / denom


def signal(
    a, b, c, d, *, prr_min: float, chi2_min: float, n_min: float, ror_lower_min: float = 1.0
) -> dict:
    """Apply screening thresholds to one 2×2 table.

    Returns a dict with prr, chi2, ror, ror_ci_low, and booleans ``evans`` (PRR ≥ prr_min and
    χ² ≥ chi2_min and a ≥ n_min) and ``ror`` (lower 95% CI of the ROR > ror_lower_min).
    The thresholds are arguments so that the lesson takes them from cited data.
    """
    prr = proportional_reporting_ratio(a, b, c, d)
    ror = reporting_odds_ratio(a, b, c, d)
    chi2 = chi2_yates(a, b, c, d)
    return {
        "a": float(a),
        "prr": prr.ratio,
        "prr_ci_low": prr.ci_low,
        "prr_ci_high": prr.ci_high,
        "chi2_yates": chi2,
        "ror": ror.ratio,
        "ror_ci_low": ror.ci_low,
        "ror_ci_high": ror.ci_high,
        "evans_signal": bool(prr.ratio >= prr_min and chi2 >= chi2_min and a >= n_min),
        "ror_signal": bool(ror.ci_low > ror_lower_min),
    }


# ============================================================================ GRADE and RoB 2

CERTAINTY_LEVELS = ("high", "moderate", "low", "very low")
CERTAINTY_SYMBOLS = {"high": "⊕⊕⊕⊕", "moderate": "⊕⊕⊕○", "low": "⊕⊕○○", "very low": "⊕○○○"}
NO_EVIDENCE = "no evidence"
DOWNGRADE_DOMAINS = (
    "risk_of_bias",
    "inconsistency",
    "indirectness",
    "imprecision",
    "publication_bias",
)
UPGRADE_DOMAINS = ("large_effect", "dose_response", "plausible_confounding")
STUDY_DESIGNS = ("randomized", "observational")
NOT_SERIOUS, SERIOUS, VERY_SERIOUS = 0, 1, 2
_START = {"randomized": 4, "observational": 2}
_UP_MAX = {"large_effect": 2, "dose_response": 1, "plausible_confounding": 1}
ROB2_JUDGEMENTS = ("low", "some concerns", "high")


def certainty_label(score: int) -> str:
    """GRADE label for a score (4 high, 3 moderate, 2 low, 1 very low; clipped to 1–4)."""
    if isinstance(score, bool) or not isinstance(score, int | np.integer):
        raise ValueError(f"score must be a whole number; got {score!r}")
    return CERTAINTY_LEVELS[4 - int(min(4, max(1, score)))]


@dataclass(frozen=True)
class GradeRating:
    """The certainty of one body of evidence for one outcome (GRADE)."""

    outcome: str
    design: str
    start: str
    downgrades: Mapping[str, int]
    upgrades: Mapping[str, int]
    score: int
    certainty: str
    symbol: str
    reasons: str


def grade_certainty(design: str, outcome: str = "", **domains: int) -> GradeRating:
    """Rate the certainty of a body of evidence for one outcome.

    ``design``: "randomized" (start high) or "observational" (start low). Keyword domains:
    risk_of_bias, inconsistency, indirectness, imprecision, publication_bias (0, 1 or 2 levels
    down) and large_effect (0–2), dose_response (0–1), plausible_confounding (0–1) levels up.
    The score is start − down + up, clipped to 1 (very low) … 4 (high).
    """
    if design not in STUDY_DESIGNS:
        raise ValueError(f"design must be one of {STUDY_DESIGNS}; got {design!r}")
    unknown = sorted(set(domains) - set(DOWNGRADE_DOMAINS) - set(UPGRADE_DOMAINS))
    if unknown:
        raise ValueError(
            f"unknown GRADE domain(s) {unknown}; allowed: {DOWNGRADE_DOMAINS + UPGRADE_DOMAINS}"
        )
    down, up = {}, {}
    for name in DOWNGRADE_DOMAINS:
        lv = domains.get(name, 0)
        if isinstance(lv, bool) or lv not in (0, 1, 2):
            raise ValueError(f"{name} must be 0, 1 or 2 levels down; got {lv!r}")
        down[name] = int(lv)
    for name in UPGRADE_DOMAINS:
        lv = domains.get(name, 0)
        if isinstance(lv, bool) or lv not in range(_UP_MAX[name] + 1):
            raise ValueError(f"{name} must be 0 to {_UP_MAX[name]} levels up; got {lv!r}")
        up[name] = int(lv)
    start = _START[design]
    score = int(min(4, max(1, start - sum(down.values()) + sum(up.values()))))
    label = certainty_label(score)
    words = {1: "serious", 2: "very serious"}
    parts = [f"−{lv} {n.replace('_', ' ')} ({words[lv]})" for n, lv in down.items() if lv]
    parts += [f"+{lv} {n.replace('_', ' ')}" for n, lv in up.items() if lv]
    reasons = f"starts {certainty_label(start)} ({design})" + (
        "; " + "; ".join(parts) if parts else "; no reason to rate down or up"
    )
    return GradeRating(
        outcome,
        design,
        certainty_label(start),
        down,
        up,
        score,
        label,
        CERTAINTY_SYMBOLS[label],
        reasons,
    )


def summary_of_findings(ratings: Iterable[GradeRating]) -> pd.DataFrame:
    """One row per outcome: outcome, design, start, one column per domain, certainty, symbol."""
    rows = []
    for r in ratings:
        row = {"outcome": r.outcome, "design": r.design, "start": r.start}
        row.update({f"{k}_down": v for k, v in r.downgrades.items()})
        row.update({f"{k}_up": v for k, v in r.upgrades.items()})
        row.update({"certainty": r.certainty, "symbol": r.symbol})
        rows.append(row)
    return pd.DataFrame(rows)


def rob2_overall(judgements: Mapping[str, str]) -> str:
    """Overall RoB 2 judgement: the least favourable of the domain judgements.

    ``judgements`` maps domain → "low" / "some concerns" / "high". (RoB 2 also lets reviewers
    judge "high" when several domains have some concerns; that is a judgement, not arithmetic.)
    """
    if not judgements:
        raise ValueError("judgements must name at least one domain")
    bad = {k: v for k, v in judgements.items() if v not in ROB2_JUDGEMENTS}
    if bad:
        raise ValueError(f"RoB 2 judgements must be one of {ROB2_JUDGEMENTS}; got {bad}")
    return max(judgements.values(), key=ROB2_JUDGEMENTS.index)
